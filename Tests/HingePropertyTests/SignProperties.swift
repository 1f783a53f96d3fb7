import HingeLosses
import PropertyBased
import Testing

/// The hinge family is non-negative: for finite inputs (drawn across the whole
/// exponent range, so that products and squares overflow to +∞ and subnormals
/// appear) every loss value is ≥ 0, and never NaN. Class weights, sample weights
/// and margins are drawn where the frameworks keep the sign: positive class weights
/// (a zero weight times an overflowed +∞ term is NaN in torch too), non-negative
/// sample weights.
@Suite("Non-negative losses")
struct SignProperties {
    static let draws = 400

    static func expectNonNegative(_ label: String, _ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, v) in values.enumerated() {
            #expect(v >= 0, "\(label): value \(i) is \(v)", sourceLocation: sourceLocation)
        }
    }

    struct WideDraw: Sendable, CustomStringConvertible {
        var rows: Int, width: Int, a: [Double], b: [Double], c: [Double], labels: [Int], bits: [Bool], weights: [Double]
        var parameter: Double, choice: Int
        var count: Int { rows * width }
        var description: String {
            "rows \(rows), width \(width), choice \(choice), parameter \(parameter), a \(a), b \(b), c \(c), labels \(labels), bits \(bits), weights \(weights)"
        }
        func first(_ v: [Double]) -> [Double] { Array(v.prefix(count)) }
    }

    /// Three wide arrays of up to 16 finite values, class indices, bits, positive weights.
    static func wideDraws(maxExponent: Int = 300) -> Generator<WideDraw, some SendableSequenceType> {
        zip(
            Gen.int(in: 1...4), Gen.int(in: 1...4), Gen<Double>.wide(maxExponent: maxExponent).array(of: 16),
            Gen<Double>.wide(maxExponent: maxExponent).array(of: 16), Gen<Double>.wide(maxExponent: maxExponent).array(of: 16),
            Gen.int(in: 0...3).array(of: 4), Gen.bool.array(of: 16), Gen.double(in: 0.1...10).array(of: 16),
            Gen<Double>.wide(maxExponent: maxExponent), Gen.int(in: 0...5)
        ).map { t in
            WideDraw(rows: t.0, width: t.1, a: t.2, b: t.3, c: t.4, labels: t.5.prefix(t.0).map { $0 % t.1 }, bits: t.6, weights: t.7, parameter: t.8, choice: t.9)
        }
    }

    @Test func torchLosses() async throws {
        await propertyCheck(count: Self.draws, input: Self.wideDraws()) { d in
            let shape = [d.rows, d.width]
            let x = Tensor.of(shape, d.first(d.a))
            for reduction in Reduction.allCases {
                // MultiMargin: p = 1 and 2, any finite margin, positive class weights.
                for p in 1...2 {
                    let weight = d.choice % 2 == 0 ? nil : Tensor(Array(d.weights.prefix(d.width)))
                    let loss = try MultiMarginLoss<Double>(p: p, margin: d.parameter, weight: weight, reduction: reduction)
                    Self.expectNonNegative("multi_margin_loss p=\(p) \(reduction)", try loss(input: x, target: Tensor(d.labels)).loss.scalars)
                    Self.expectNonNegative("multi_margin_loss.loss p=\(p) \(reduction)", try loss.loss(input: x, target: Tensor(d.labels)).scalars)
                }
                // MultiLabelMargin: a prefix of the drawn classes, then −1.
                let target = (0..<d.count).map { k in k % d.width < d.choice % (d.width + 1) ? d.labels[k / d.width] : -1 }
                Self.expectNonNegative(
                    "multilabel_margin_loss \(reduction)", try MultiLabelMarginLoss<Double>(reduction: reduction)(input: x, target: intTensor(shape, target)).loss.scalars)
                // SoftMargin: any finite target.
                Self.expectNonNegative(
                    "soft_margin_loss \(reduction)", try SoftMarginLoss<Double>(reduction: reduction)(input: x, target: Tensor.of(shape, d.first(d.b))).loss.scalars)
            }
        }
    }

    /// Coordinates up to 1e100, so that the p-norms of their differences stay finite
    /// (an overflowed distance minus another is ∞ − ∞).
    @Test func tripletMarginLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.wideDraws(maxExponent: 100)) { d in
            let shape = [d.rows, d.width]
            for p in [1.0, 2, 3] {
                let loss = try TripletMarginLoss<Double>(
                    margin: d.parameter.magnitude + 1e-3, p: p, swap: d.choice % 2 == 1, reduction: Reduction.allCases[d.choice % 3])
                let r = try loss(anchor: .of(shape, d.first(d.a)), positive: .of(shape, d.first(d.b)), negative: .of(shape, d.first(d.c)))
                Self.expectNonNegative("triplet_margin_loss p=\(p)", r.loss.scalars)
            }
        }
    }

    @Test func kerasLosses() async throws {
        await propertyCheck(count: Self.draws, input: Self.wideDraws()) { d in
            let shape = [d.rows, d.width]
            let yPred = Tensor.of(shape, d.first(d.a))
            // hinge and squared_hinge: any finite labels; categorical_hinge: {0,1} labels.
            let anyLabels = Tensor.of(shape, d.first(d.b))
            let bits = Tensor.of(shape, d.bits.prefix(d.count).map { $0 ? 1 : 0 })
            let weight = d.choice % 2 == 0 ? nil : Tensor(Array(d.weights.prefix(d.rows)))
            for backend in KerasBackend.allCases {
                for function in KerasLossFunction.allCases {
                    let yTrue = function == .categoricalHinge ? bits : anyLabels
                    Self.expectNonNegative("keras.losses.\(function) \(backend)", try function(yTrue: yTrue, yPred: yPred, backend: backend).values.scalars)
                    for reduction in KerasReduction.allCases {
                        let loss = KerasLoss<Double>(function, reduction: reduction, backend: backend)
                        Self.expectNonNegative("keras \(function) \(reduction) \(backend)", try loss(yTrue: yTrue, yPred: yPred, sampleWeight: weight).loss.scalars)
                    }
                }
            }
        }
    }

    @Test func tensorflowV1AndOptax() async throws {
        await propertyCheck(count: Self.draws, input: Self.wideDraws()) { d in
            let shape = [d.rows, d.width]
            let logits = Tensor.of(shape, d.first(d.a))
            let labels = Tensor.of(shape, d.bits.prefix(d.count).map { $0 ? 1 : 0 })
            // Non-negative weights, zeros included.
            let weights = Tensor.of(shape, d.weights.prefix(d.count).enumerated().map { $0.offset % 3 == 0 ? 0 : $0.element })
            for reduction in TFV1Reduction.allCases {
                let r = try HingeLossV1<Double>(reduction: reduction)(labels: labels, logits: logits, weights: weights)
                Self.expectNonNegative("tf v1 hinge_loss \(reduction)", r.loss.scalars)
            }
            // optax: any finite targets for the binary losses, valid class indices for the multi-class
            // perceptron. Not multiclass_hinge_loss: optax computes max(s + 1 − onehot) − s_y, whose
            // (s_y + 1) − 1 rounds, so a tiny positive s_y gives −s_y (this property found
            // s = [2.2e-308], label 0 → −2.2e-308); the Swift port reproduces optax's order.
            let targets = Tensor.of(shape, d.first(d.b))
            Self.expectNonNegative("optax.hinge_loss", try Optax.hingeLoss(predictorOutputs: logits, targets: targets).loss.scalars)
            Self.expectNonNegative("optax.perceptron_loss", try Optax.perceptronLoss(predictorOutputs: logits, targets: targets).loss.scalars)
            Self.expectNonNegative(
                "optax.multiclass_perceptron_loss", try Optax.multiclassPerceptronLoss(scores: logits, labels: Tensor(d.labels)).loss.scalars)
        }
    }

    @Test func textbookAndSKLearnLosses() async throws {
        await propertyCheck(count: Self.draws, input: Self.wideDraws()) { d in
            let z = Tensor(d.first(d.a))
            let y = Tensor(d.bits.prefix(d.count).map { $0 ? 1.0 : -1.0 })
            for reduction in Reduction.allCases {
                Self.expectNonNegative("hinge", try Hinge<Double>()(labels: y, scores: z, reduction: reduction).loss.scalars)
                Self.expectNonNegative("squared_hinge", try SquaredHinge<Double>()(labels: y, scores: z, reduction: reduction).loss.scalars)
                Self.expectNonNegative("softplus_hinge", try SoftplusHinge<Double>()(labels: y, scores: z, reduction: reduction).loss.scalars)
                Self.expectNonNegative("logistic", try Logistic<Double>()(labels: y, scores: z, reduction: reduction).loss.scalars)
                let huber = try HuberMargin<Double>(delta: d.parameter.magnitude + 1e-300)
                Self.expectNonNegative("huber_margin", try huber(labels: y, scores: z, reduction: reduction).loss.scalars)
                let scores = Tensor.of([d.rows, d.width], d.first(d.a))
                Self.expectNonNegative("crammer_singer", try CrammerSinger<Double>()(labels: Tensor(d.labels), scores: scores, reduction: reduction).loss.scalars)
                Self.expectNonNegative("weston_watkins", try WestonWatkins<Double>()(labels: Tensor(d.labels), scores: scores, reduction: reduction).loss.scalars)
                let ranking = try RankingHinge<Double>(margin: d.parameter)
                Self.expectNonNegative(
                    "ranking_hinge", try ranking(positive: z, negative: Tensor(d.first(d.b)), reduction: reduction).loss.scalars)
            }
            for loss in SGDLoss.allCases {
                Self.expectNonNegative("SGD \(loss)", zip(d.first(d.a), y.scalars).map { loss.loss($0, $1) })
            }
            // scikit-learn's hinge_loss: binary (one score per sample) and multi-class.
            let binary = try SKLearnMetrics.hingeLoss(yTrue: y.scalars, predDecision: z, sampleWeight: Array(d.weights.prefix(d.count)))
            Self.expectNonNegative("sklearn hinge_loss binary", [binary])
            if d.width >= 3 {
                let multiclass = try SKLearnMetrics.hingeLoss(
                    yTrue: d.labels, predDecision: .of([d.rows, d.width], d.first(d.a)), labels: Array(0..<d.width),
                    sampleWeight: Array(d.weights.prefix(d.rows)))
                Self.expectNonNegative("sklearn hinge_loss multi-class", [multiclass])
            }
        }
    }
}
