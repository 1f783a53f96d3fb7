import Testing

@testable import HingeLosses

/// Properties of the Keras, TF v1 and optax losses; the exact values are
/// checked against the real libraries by the fixtures.
@Suite("Keras, TF v1 and optax losses")
struct KerasTFOptaxTests {
    let p = try! Tensor<Float>(shape: [3, 2], scalars: [0.6, 0.4, 0.4, 0.6, -1.5, 2])

    @Test func binaryLabelsConvertOnlyWhenTheWholeTensorIsBinary() throws {
        let binary = try Tensor<Float>(shape: [3, 2], scalars: [0, 1, 0, 0, 1, 1])
        let signs = binary.map { 2 * $0 - 1 }
        for function in [KerasLossFunction.hinge, .squaredHinge] {
            let converted = try function(yTrue: binary, yPred: p, backend: .tensorflow)
            let explicit = try function(yTrue: signs, yPred: p, backend: .tensorflow)
            #expect(converted.values == explicit.values)
            // One −1 anywhere: nothing converts, so every 0 label costs exactly 1 per element.
            var mixed = binary.scalars
            mixed[5] = -1
            let unconverted = try function(yTrue: try Tensor(shape: [3, 2], scalars: mixed), yPred: p, backend: .tensorflow)
            #expect(unconverted.values.scalars[1] == 1)
        }
        // categorical_hinge never converts.
        let categorical = try KerasLossFunction.categoricalHinge(yTrue: binary, yPred: p, backend: .tensorflow)
        let categoricalSigns = try KerasLossFunction.categoricalHinge(yTrue: signs, yPred: p, backend: .tensorflow)
        #expect(categorical.values != categoricalSigns.values)
    }

    @Test func categoricalNegIncludesTheMaskedTrueSlot() throws {
        // All wrong scores negative: neg is the masked slot's 0, so the loss is max(0, 1 − p_true).
        let y = try Tensor<Double>(shape: [2, 3], scalars: [1, 0, 0, 0, 0, 1])
        let scores = try Tensor<Double>(shape: [2, 3], scalars: [-3, -5, -4, -0.5, -0.7, 0.2])
        let result = try KerasLossFunction.categoricalHinge(yTrue: y, yPred: scores, backend: .jax)
        #expect(result.values.scalars == [Swift.max(0, 1 - -3), Swift.max(0, 1 - 0.2)])
        // Wrong classes below the masked 0 get no gradient; the true class gets −1.
        let g = try result.gradient(upstream: [1, 1]).scalars
        #expect(g == [-1, 0, 0, 0, 0, -1])
    }

    @Test func kinkGradientDependsOnTheBackend() throws {
        let y = Tensor<Float>([1, -1])
        let onTheMargin = Tensor<Float>([1, -1])
        let tf = try KerasLossFunction.hinge(yTrue: y, yPred: onTheMargin, backend: .tensorflow)
        let jax = try KerasLossFunction.hinge(yTrue: y, yPred: onTheMargin, backend: .jax)
        #expect(tf.values == jax.values)
        let gt = try tf.gradient(upstream: [1]).scalars
        let gj = try jax.gradient(upstream: [1]).scalars
        #expect(gt.allSatisfy { $0 != 0 })
        #expect(zip(gt, gj).allSatisfy { $0 == 2 * $1 })
    }

    @Test func reductionsAndTheScalarBypass() throws {
        let y = try Tensor<Float>(shape: [3, 2], scalars: [1, -1, -1, 1, 1, 1])
        func run(_ r: KerasReduction, _ w: Tensor<Float>? = nil, y yt: Tensor<Float>? = nil, p yp: Tensor<Float>? = nil) throws -> LossAndGradient<Float> {
            try KerasLoss<Float>(.hinge, reduction: r)(yTrue: yt ?? y, yPred: yp ?? p, sampleWeight: w)
        }
        let none = try run(.none).loss.scalars
        let sum = try run(.sum).loss.scalar!
        #expect(try run(.sumOverBatchSize).loss.scalar == sum / 3)
        #expect(try run(.mean).loss == run(.sumOverBatchSize).loss)
        #expect((Double(sum) - none.reduce(0.0) { $0 + Double($1) }).magnitude < 1e-6)
        // A scalar weight with mean_with_sample_weight divides by the weight as given: a sum.
        let two = Tensor<Float>(scalar: 2)
        #expect(try run(.meanWithSampleWeight, two).loss.scalar == sum)
        // divide-no-NaN: all-zero weights give 0 and no gradient.
        let zeros = Tensor<Float>([0, 0, 0])
        let zeroed = try run(.sumOverBatchSize, zeros)
        #expect(zeroed.loss.scalar == 0 && zeroed.gradient.scalars.allSatisfy { $0 == 0 })
        // 1-D inputs give one batch mean, which every reduction returns unchanged.
        let flat = try (KerasReduction.allCases).map { try run($0, y: Tensor([1, -1, 1]), p: Tensor([0.3, -0.2, 2])).loss }
        #expect(flat.allSatisfy { $0 == flat[0] && $0.shape == [] })
    }

    @Test func rankAlignmentExpandsARank1Label() throws {
        let y = Tensor<Float>([1, -1, 1])
        let column = try Tensor<Float>(shape: [3, 1], scalars: [0.3, -0.2, 2])
        let aligned = try KerasLoss<Float>(.hinge, reduction: .none)(yTrue: y, yPred: column)
        let explicit = try KerasLoss<Float>(.hinge, reduction: .none)(yTrue: try y.reshaped(to: [3, 1]), yPred: column)
        #expect(aligned.loss == explicit.loss)
        #expect(aligned.gradient == explicit.gradient)
        // Weights with the full (N, C) shape do not fit (N,) losses.
        #expect(throws: HingeError.self) {
            try KerasLoss<Float>(.hinge)(yTrue: try Tensor(shape: [3, 2], scalars: [1, 1, 1, 1, 1, 1]), yPred: p,
                                        sampleWeight: try Tensor(shape: [3, 2], scalars: [1, 1, 1, 1, 1, 1]))
        }
    }

    @Test func tfV1AlwaysMapsLabelsAndCountsNonzeroWeights() throws {
        let labels = Tensor<Float>([0, 1, 1, 0])
        let logits = Tensor<Float>([0.3, -0.2, 1, -1.5])
        let v1 = try HingeLossV1<Float>(reduction: .none)(labels: labels, logits: logits)
        let textbook = try Hinge<Float>()(labels: labels.map { 2 * $0 - 1 }, scores: logits, reduction: .none)
        #expect(v1.loss == textbook.loss)
        let weights = Tensor<Float>([2, 0, 0, 1])
        let byNonzero = try HingeLossV1<Float>()(labels: labels, logits: logits, weights: weights).loss.scalar!
        let sum = try HingeLossV1<Float>(reduction: .sum)(labels: labels, logits: logits, weights: weights).loss.scalar!
        #expect(byNonzero == sum / 2)
        #expect(throws: HingeError.self) { try HingeLossV1<Float>()(labels: labels, logits: logits, weights: Tensor([1, 2])) }
        #expect(throws: HingeError.self) { try TFV1Reduction(parsing: "mean") }
    }

    @Test func sumsFollowTheBackendsOrder() throws {
        // 2²⁴ then eight 1s: a sequential float32 sum loses every 1 (2²⁴ + 1 rounds to even),
        // Eigen's packet lanes add the 1s among themselves first and the tail last.
        let x: [Float] = [16_777_216] + [Float](repeating: 1, count: 8)
        #expect(ReductionOrder.xla.total(x) == 16_777_216)
        #expect(ReductionOrder.eigen.total(x) == 16_777_224)
        #expect(ReductionOrder.eigen.rowSums(x + x, rows: 2, width: 9) == [16_777_224, 16_777_224])
        // XLA adds 33 to 64 elements as two sequential halves, the first ⌈n/2⌉ long.
        let halves: [Float] = [16_777_216] + [Float](repeating: 1, count: 32)
        #expect(ReductionOrder.xla.total(halves) == 16_777_216 + 16)
        // Autograd's sum over a broadcast last axis is a row sum; others are widened.
        #expect(ReductionOrder.eigen.sum(x, from: [1, 9], to: [1, 1]) == [16_777_224])
        #expect(ReductionOrder.xla.sum(x, from: [9, 1], to: [1, 1]) == [16_777_224])
        // Flush-to-zero: a subnormal partial sum is written as 0.
        let m = Float.leastNormalMagnitude
        for order in ReductionOrder.allCases { #expect(order.total([1.5 * m, -m]) == 0) }
    }

    @Test func subnormalWeightsAndHugeDivisorsPassNoGradient() throws {
        let y = try Tensor<Float>(shape: [2, 3], scalars: [0, 0, 1, 1, 0, 0])
        let scores = try Tensor<Float>(shape: [2, 3], scalars: [-0.5, -0.7, 0.2, 2, 1.5, -3])
        for backend in KerasBackend.allCases {
            // A subnormal scalar weight reads as 0: sum(sample_weight) is 0, divide_no_nan gives 0.
            let loss = KerasLoss<Float>(.categoricalHinge, reduction: .meanWithSampleWeight, backend: backend)
            let tiny = try loss(yTrue: y, yPred: scores, sampleWeight: Tensor(scalar: 1e-40))
            #expect(tiny.loss.scalar == 0)
            #expect(tiny.gradient.scalars.allSatisfy { $0 == 0 })
            // A weight near the maximum: 1 / sum(sample_weight) is subnormal and flushed.
            let huge = try loss(yTrue: y, yPred: scores, sampleWeight: Tensor([.greatestFiniteMagnitude, 1]))
            #expect(huge.gradient.scalars.allSatisfy { $0 == 0 })
        }
        let v1 = try HingeLossV1<Float>(reduction: .mean)(
            labels: y, logits: scores, weights: try Tensor(shape: [2, 1], scalars: [.greatestFiniteMagnitude, 1]))
        #expect(v1.gradient.scalars.allSatisfy { $0 == 0 })
    }

    @Test func optaxMulticlassHingeIsCrammerSinger() throws {
        let scores = try Tensor<Double>(shape: [3, 3], scalars: [-0.5, -0.7, 0.2, 0.3, -1, 0.2, 2, 1.5, -3])
        let labels = Tensor<Int>([2, 2, 0])
        let optax = try Optax.multiclassHingeLoss(scores: scores, labels: labels)
        let cs = try CrammerSinger<Double>()(labels: labels, scores: scores, reduction: .none)
        for i in 0..<3 { #expect((optax.loss.scalars[i] - cs.loss.scalars[i]).magnitude < 1e-15) }
        // An out-of-range label has an all-zero one-hot row: max(scores) + 1.
        let outside = try Optax.multiclassHingeLoss(scores: scores, labels: Tensor([-1, 3, 0]))
        #expect(outside.loss.scalars[0] == 0.2 + 1)
        // perceptron: shapes must match exactly; hinge broadcasts.
        #expect(throws: HingeError.self) { try Optax.perceptronLoss(predictorOutputs: Tensor<Double>([1, 2]), targets: Tensor([1])) }
        #expect(try Optax.hingeLoss(predictorOutputs: Tensor<Double>([1, 2]), targets: try Tensor(shape: [2, 1], scalars: [1, -1])).loss.shape == [2, 2])
    }

    @Test func optaxTripletHasNoAbsAndPutsEpsInsideTheRoot() throws {
        let a = try Tensor<Double>(shape: [1, 2], scalars: [0, 0])
        let p = try Tensor<Double>(shape: [1, 2], scalars: [0.5, 0.25])
        let n = try Tensor<Double>(shape: [1, 2], scalars: [-1, 0])
        // Degree 1 is the signed sum: d(a,p) = −0.75 + eps, d(a,n) = 1 + eps, loss −0.75 − 1 + 1 < 0 → 0;
        // swapping the roles of p and n makes it 2.75.
        let signed = try Optax.tripletMarginLoss(anchors: a, positives: n, negatives: p, normDegree: .integer(1), eps: 0)
        #expect(signed.loss.scalars == [2.75])
        // Degree 3 with a negative sum is NaN under the cube root.
        let cube = try Optax.tripletMarginLoss(anchors: a, positives: p, negatives: n, normDegree: .integer(3))
        #expect(cube.loss.scalars[0].isNaN)
        // a == p is at distance sqrt(eps), with no gradient through it.
        let same = try Optax.tripletMarginLoss(anchors: a, positives: a, negatives: p, margin: 1)
        #expect((same.loss.scalars[0] - (1e-3 + 1 - (0.3125 + 1e-6).squareRoot())).magnitude < 1e-12)
        #expect(same.gradPositives.scalars.allSatisfy { $0 == 0 })
        #expect(throws: HingeError.self) { try Optax.tripletMarginLoss(anchors: a, positives: p, negatives: n, axis: 2) }
        #expect(throws: HingeError.self) {
            try Optax.tripletMarginLoss(anchors: a, positives: p, negatives: n, normDegree: .integer(0))
        }
        // C's pow: a negative base with an integral exponent.
        #expect(Double.libmPow(-3, 2) == 9 && Double.libmPow(-2, 3) == -8 && Double.libmPow(-8, 1.0 / 3).isNaN)
    }
}
