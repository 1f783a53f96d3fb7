import HingeLosses
import PropertyBased
import Testing

/// Invariances that hold whatever the values: reordering the samples reorders the
/// unreduced outputs and their gradients bit for bit and changes a sum only by the
/// rounding of its reassociation; scaling MultiMargin's class weights scales the loss;
/// Keras's {0,1} labels are exactly their {−1,+1} conversion.
@Suite("Invariances")
struct InvarianceProperties {
    static let draws = 300

    /// Evaluates a loss on its samples taken in `order`: the `none` outputs, the gradients
    /// (each with `width` elements per sample), and the `sum` reduction.
    struct Evaluation {
        var values: [Double]
        var gradients: [(width: Int, scalars: [Double])]
        var sum: Double
    }

    /// Compares the evaluation in `order` with the one in the original order.
    static func checkPermutation(
        _ label: String, samples: Int, order shuffled: [Int], sourceLocation: SourceLocation = #_sourceLocation,
        _ evaluate: ([Int]) throws -> Evaluation
    ) throws {
        let order = permutation(shuffled, count: samples)
        let original = try evaluate(Array(0..<samples))
        let reordered = try evaluate(order)
        #expect(reordered.values == permuted(original.values, order), "\(label): none outputs, order \(order)", sourceLocation: sourceLocation)
        for (g, (o, r)) in zip(original.gradients, reordered.gradients).enumerated() {
            #expect(
                r.scalars == permutedRows(o.scalars, width: o.width, order), "\(label): gradient \(g), order \(order)",
                sourceLocation: sourceLocation)
        }
        #expect(
            sumsAgree(reordered.sum, original.sum, terms: original.values),
            "\(label): sum \(reordered.sum) after reordering, \(original.sum) before (order \(order))", sourceLocation: sourceLocation)
    }

    // MARK: Permutations

    @Test func multiMarginPermutesRows() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.multiMarginDraws, shuffled16) { draw, shuffled in
            let shape = [draw.rows, draw.classes]
            try Self.checkPermutation("multi_margin_loss", samples: draw.rows, order: shuffled) { order in
                let x = Tensor.of(shape, permutedRows(draw.x, width: draw.classes, order))
                let target = Tensor(permuted(draw.target, order))
                let weight = draw.weight.map { Tensor($0) }
                let none = try MultiMarginLoss<Double>(p: draw.p, margin: draw.margin, weight: weight, reduction: .none)(input: x, target: target)
                let sum = try MultiMarginLoss<Double>(p: draw.p, margin: draw.margin, weight: weight, reduction: .sum).loss(input: x, target: target)
                return Evaluation(values: none.loss.scalars, gradients: [(draw.classes, none.gradient.scalars)], sum: total(sum))
            }
        }
    }

    @Test func hingeEmbeddingPermutesElements() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.hingeEmbeddingDraws, shuffled16) { draw, shuffled in
            try Self.checkPermutation("hinge_embedding_loss", samples: draw.x.count, order: shuffled) { order in
                let (x, y) = (Tensor(permuted(draw.x, order)), Tensor(permuted(draw.y, order)))
                let none = try HingeEmbeddingLoss<Double>(margin: draw.margin, reduction: .none)(input: x, target: y)
                let sum = try HingeEmbeddingLoss<Double>(margin: draw.margin, reduction: .sum).loss(input: x, target: y)
                return Evaluation(values: none.loss.scalars, gradients: [(1, none.gradient.scalars)], sum: total(sum))
            }
        }
    }

    @Test func marginRankingPermutesElements() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.marginRankingDraws, shuffled16) { draw, shuffled in
            try Self.checkPermutation("margin_ranking_loss", samples: draw.x1.count, order: shuffled) { order in
                let (a, b, y) = (Tensor(permuted(draw.x1, order)), Tensor(permuted(draw.x2, order)), Tensor(permuted(draw.y, order)))
                let none = try MarginRankingLoss<Double>(margin: draw.margin, reduction: .none)(input1: a, input2: b, target: y)
                let sum = try MarginRankingLoss<Double>(margin: draw.margin, reduction: .sum)(input1: a, input2: b, target: y)
                return Evaluation(
                    values: none.loss.scalars,
                    gradients: [(1, none.gradInput1.scalars), (1, none.gradInput2.scalars), (1, none.gradTarget.scalars)],
                    sum: total(sum.loss))
            }
        }
    }

    @Test func softMarginPermutesElements() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.softMarginDraws, shuffled16) { draw, shuffled in
            try Self.checkPermutation("soft_margin_loss", samples: draw.x.count, order: shuffled) { order in
                let (x, y) = (Tensor(permuted(draw.x, order)), Tensor(permuted(draw.y, order)))
                let none = try SoftMarginLoss<Double>(reduction: .none)(input: x, target: y)
                let sum = try SoftMarginLoss<Double>(reduction: .sum)(input: x, target: y)
                return Evaluation(values: none.loss.scalars, gradients: [(1, none.gradient.scalars)], sum: total(sum.loss))
            }
        }
    }

    @Test func multiLabelMarginPermutesRows() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.multiLabelDraws, shuffled16) { draw, shuffled in
            let shape = [draw.rows, draw.classes]
            try Self.checkPermutation("multilabel_margin_loss", samples: draw.rows, order: shuffled) { order in
                let x = Tensor.of(shape, permutedRows(draw.x, width: draw.classes, order))
                let target = intTensor(shape, permutedRows(draw.target, width: draw.classes, order))
                let none = try MultiLabelMarginLoss<Double>(reduction: .none)(input: x, target: target)
                let sum = try MultiLabelMarginLoss<Double>(reduction: .sum)(input: x, target: target)
                return Evaluation(values: none.loss.scalars, gradients: [(draw.classes, none.gradient.scalars)], sum: total(sum.loss))
            }
        }
    }

    @Test func tripletPermutesRows() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.tripletDraws, shuffled16) { draw, shuffled in
            let shape = [draw.rows, draw.width]
            try Self.checkPermutation("triplet_margin_loss", samples: draw.rows, order: shuffled) { order in
                func rows(_ v: [Double]) -> Tensor<Double> { .of(shape, permutedRows(v, width: draw.width, order)) }
                let none = try TripletMarginLoss<Double>(margin: draw.margin, p: draw.norm, swap: draw.swap, reduction: .none)(
                    anchor: rows(draw.a), positive: rows(draw.p), negative: rows(draw.n))
                let sum = try TripletMarginLoss<Double>(margin: draw.margin, p: draw.norm, swap: draw.swap, reduction: .sum)(
                    anchor: rows(draw.a), positive: rows(draw.p), negative: rows(draw.n))
                return Evaluation(
                    values: none.loss.scalars,
                    gradients: [(draw.width, none.gradAnchor.scalars), (draw.width, none.gradPositive.scalars), (draw.width, none.gradNegative.scalars)],
                    sum: total(sum.loss))
            }
        }
    }

    @Test func kerasPermutesRows() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.kerasDraws, shuffled16) { draw, shuffled in
            let shape = [draw.rows, draw.width]
            try Self.checkPermutation("keras \(draw.function)", samples: draw.rows, order: shuffled) { order in
                let yTrue = Tensor.of(shape, permutedRows(draw.yTrue, width: draw.width, order))
                let yPred = Tensor.of(shape, permutedRows(draw.yPred, width: draw.width, order))
                let weight = draw.weight.map { Tensor(permuted($0, order)) }
                let none = try KerasLoss<Double>(draw.function, reduction: .none, backend: draw.backend)(yTrue: yTrue, yPred: yPred, sampleWeight: weight)
                let sum = try KerasLoss<Double>(draw.function, reduction: .sum, backend: draw.backend)(yTrue: yTrue, yPred: yPred, sampleWeight: weight)
                return Evaluation(values: none.loss.scalars, gradients: [(draw.width, none.gradient.scalars)], sum: total(sum.loss))
            }
        }
    }

    @Test func tensorflowV1PermutesElements() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.tfDraws, shuffled16) { draw, shuffled in
            // Flattened to one axis, with per-element weights (or none, or a scalar).
            let n = draw.labels.count
            let weights: [Double]? = draw.weights.map { w in w.count == n ? w.scalars : (w.count == 1 ? [Double](repeating: w.scalars[0], count: n) : (0..<n).map { w.scalars[$0 / draw.width] }) }
            try Self.checkPermutation("tf v1 hinge_loss", samples: n, order: shuffled) { order in
                let (l, x) = (Tensor(permuted(draw.labels, order)), Tensor(permuted(draw.logits, order)))
                let w = weights.map { Tensor(permuted($0, order)) }
                let none = try HingeLossV1<Double>(reduction: .none)(labels: l, logits: x, weights: w)
                let sum = try HingeLossV1<Double>(reduction: .sum)(labels: l, logits: x, weights: w)
                return Evaluation(values: none.loss.scalars, gradients: [(1, none.gradient.scalars)], sum: total(sum.loss))
            }
        }
    }

    @Test func optaxPermutesSamples() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.optaxMulticlassDraws, shuffled16) { draw, shuffled in
            let shape = [draw.rows, draw.classes]
            try Self.checkPermutation("optax multiclass", samples: draw.rows, order: shuffled) { order in
                let s = Tensor.of(shape, permutedRows(draw.scores, width: draw.classes, order))
                let labels = Tensor(permuted(draw.labels, order))
                let r = draw.variant == 0 ? try Optax.multiclassHingeLoss(scores: s, labels: labels) : try Optax.multiclassPerceptronLoss(scores: s, labels: labels)
                return Evaluation(values: r.loss.scalars, gradients: [(draw.classes, r.gradient.scalars)], sum: total(r.loss))
            }
            // The same scores element-wise, against alternating ±1 targets.
            let targets = draw.scores.indices.map { $0 % 2 == 0 ? 1.0 : -1.0 }
            try Self.checkPermutation("optax hinge_loss", samples: min(draw.scores.count, 16), order: shuffled) { order in
                let r = try Optax.hingeLoss(predictorOutputs: Tensor(permuted(draw.scores, order)), targets: Tensor(permuted(targets, order)))
                return Evaluation(values: r.loss.scalars, gradients: [(1, r.gradient.scalars)], sum: total(r.loss))
            }
        }
    }

    @Test func textbookLossesPermuteSamples() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.textbookBinaryDraws, shuffled16) { draw, shuffled in
            for loss in ["hinge", "squared_hinge", "softplus_hinge", "logistic", "huber_margin"] {
                try Self.checkPermutation(loss, samples: draw.x.count, order: shuffled) { order in
                    let (y, z) = (Tensor(permuted(draw.y, order)), Tensor(permuted(draw.x, order)))
                    func run(_ reduction: Reduction) throws -> LossAndGradient<Double> {
                        switch loss {
                        case "hinge": try Hinge<Double>()(labels: y, scores: z, reduction: reduction)
                        case "squared_hinge": try SquaredHinge<Double>()(labels: y, scores: z, reduction: reduction)
                        case "softplus_hinge": try SoftplusHinge<Double>()(labels: y, scores: z, reduction: reduction)
                        case "logistic": try Logistic<Double>()(labels: y, scores: z, reduction: reduction)
                        default: try HuberMargin<Double>(delta: draw.margin)(labels: y, scores: z, reduction: reduction)
                        }
                    }
                    let none = try run(.none)
                    return Evaluation(values: none.loss.scalars, gradients: [(1, none.gradient.scalars)], sum: total(try run(.sum).loss))
                }
            }
        }
    }

    @Test func textbookMulticlassAndRankingPermuteSamples() async throws {
        await propertyCheck(count: Self.draws, input: GradientProperties.textbookMulticlassDraws, shuffled16) { draw, shuffled in
            let shape = [draw.rows, draw.classes]
            try Self.checkPermutation(draw.variant == 0 ? "crammer_singer" : "weston_watkins", samples: draw.rows, order: shuffled) { order in
                let z = Tensor.of(shape, permutedRows(draw.scores, width: draw.classes, order))
                let y = Tensor(permuted(draw.labels, order))
                func run(_ reduction: Reduction) throws -> LossAndGradient<Double> {
                    draw.variant == 0
                        ? try CrammerSinger<Double>()(labels: y, scores: z, reduction: reduction)
                        : try WestonWatkins<Double>()(labels: y, scores: z, reduction: reduction)
                }
                let none = try run(.none)
                return Evaluation(values: none.loss.scalars, gradients: [(draw.classes, none.gradient.scalars)], sum: total(try run(.sum).loss))
            }
            // The same scores as ranking pairs: row-major positives against the reversed negatives.
            let pos = draw.scores, neg = Array(draw.scores.reversed())
            try Self.checkPermutation("ranking_hinge", samples: min(pos.count, 16), order: shuffled) { order in
                let loss = try RankingHinge<Double>(margin: 0.5)
                let (p, n) = (Tensor(permuted(pos, order)), Tensor(permuted(neg, order)))
                let none = try loss(positive: p, negative: n, reduction: .none)
                return Evaluation(
                    values: none.loss.scalars, gradients: [(1, none.gradPositive.scalars), (1, none.gradNegative.scalars)],
                    sum: total(try loss(positive: p, negative: n, reduction: .sum).loss))
            }
        }
    }

    // MARK: MultiMargin's class weights

    struct ScalingDraw: Sendable, CustomStringConvertible {
        var draw: GradientProperties.MultiMarginDraw
        var weight: [Double]
        var k: Double
        var description: String { "k \(k), weight \(weight), \(draw)" }
    }

    static let scalingDraws = zip(GradientProperties.multiMarginDraws, Gen.double(in: 0.1...3).array(of: 5), Gen.double(in: 0.01...100))
        .map { t in ScalingDraw(draw: t.0, weight: Array(t.1.prefix(t.0.classes)), k: t.2) }

    /// `loss(k·w) = k·loss(w)` for p = 1 and 2, every reduction, loss and gradient, up
    /// to rounding: each term is a product with one weight, and the terms of a row all
    /// have the sign of k, so the relative error stays within a few ulps per term.
    @Test func multiMarginScalesWithItsWeights() async throws {
        await propertyCheck(count: Self.draws, input: Self.scalingDraws) { s in
            let d = s.draw
            let x = Tensor.of([d.rows, d.classes], d.x)
            let target = Tensor(d.target)
            let base = try MultiMarginLoss<Double>(p: d.p, margin: d.margin, weight: Tensor(s.weight), reduction: d.reduction)(input: x, target: target)
            let scaled = try MultiMarginLoss<Double>(p: d.p, margin: d.margin, weight: Tensor(s.weight.map { s.k * $0 }), reduction: d.reduction)(
                input: x, target: target)
            let rtol = Double(4 * (d.classes + d.rows + 8)) * Double.ulpOfOne
            for (a, b) in Array(zip(scaled.loss.scalars, base.loss.scalars)) + Array(zip(scaled.gradient.scalars, base.gradient.scalars)) {
                #expect((a - s.k * b).magnitude <= rtol * (s.k * b).magnitude, "\(a) vs \(s.k) · \(b)")
            }
            #expect(scaled.loss.shape == base.loss.shape)
        }
    }

    // MARK: Keras's {0,1} labels

    struct BinaryLabelsDraw: Sendable, CustomStringConvertible {
        var function: KerasLossFunction, rows: Int, width: Int, labels: [Double], yPred: [Double], weight: [Double]?
        var reduction: KerasReduction, backend: KerasBackend
        var description: String { "\(function) \(reduction) \(backend), rows \(rows), T \(width), labels \(labels), y_pred \(yPred)" }
    }

    static let binaryLabelDraws = zip(
        Gen.bool, Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.bool.array(of: 16), Gen.double(in: -3...3).array(of: 16),
        Gen.double(in: 0...2).array(of: 4).optional, Gen<KerasReduction>.case, Gen<KerasBackend>.case
    ).map { t in
        BinaryLabelsDraw(
            function: t.0 ? .hinge : .squaredHinge, rows: t.1, width: t.2, labels: t.3.prefix(t.1 * t.2).map { $0 ? 1 : 0 },
            yPred: Array(t.4.prefix(t.1 * t.2)), weight: t.5.map { Array($0.prefix(t.1)) }, reduction: t.6, backend: t.7)
    }

    /// When every label is 0 or 1, hinge and squared_hinge convert them to −1/+1: the
    /// result is bit for bit that of the converted labels (the function and the Loss class).
    @Test func kerasBinaryLabelsEqualTheirSignConversion() async throws {
        await propertyCheck(count: 2 * Self.draws, input: Self.binaryLabelDraws) { d in
            let shape = [d.rows, d.width]
            let binary = Tensor.of(shape, d.labels), signs = Tensor.of(shape, d.labels.map { 2 * $0 - 1 })
            let yPred = Tensor.of(shape, d.yPred)
            let a = try d.function(yTrue: binary, yPred: yPred, backend: d.backend)
            let b = try d.function(yTrue: signs, yPred: yPred, backend: d.backend)
            #expect(a.values == b.values)
            let upstream = (0..<d.rows).map { Double($0 + 1) }
            #expect(try a.gradient(upstream: upstream) == b.gradient(upstream: upstream))
            let loss = KerasLoss<Double>(d.function, reduction: d.reduction, backend: d.backend)
            let weight = d.weight.map { Tensor($0) }
            let c = try loss(yTrue: binary, yPred: yPred, sampleWeight: weight)
            let e = try loss(yTrue: signs, yPred: yPred, sampleWeight: weight)
            #expect(c.loss == e.loss && c.gradient == e.gradient)
        }
    }
}
