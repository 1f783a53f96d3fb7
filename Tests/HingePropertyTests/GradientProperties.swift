import Foundation
import HingeLosses
import PropertyBased
import Testing

/// Away from kinks, every gradient a loss returns is the derivative of the sum of its
/// output: each component equals the central finite difference of that sum. Draws
/// that come within `kinkClearance` of a kink (a clamp's zero, a tie in a max, a zero
/// coordinate of an L1 distance) are resampled, since there the loss documents a
/// subgradient instead.
@Suite("Gradients equal central differences away from kinks")
struct GradientProperties {
    static let draws = 300

    // MARK: PyTorch

    struct MultiMarginDraw: Sendable, CustomStringConvertible {
        var rows: Int, classes: Int, x: [Double], target: [Int], weight: [Double]?, p: Int, margin: Double, reduction: Reduction
        var description: String { "rows \(rows), C \(classes), p \(p), margin \(margin), \(reduction), weight \(weight.map { "\($0)" } ?? "nil"), x \(x), target \(target)" }

        var clearance: Double {
            var least = Double.infinity
            for n in 0..<rows {
                let y = target[n]
                for i in 0..<classes where i != y {
                    least = min(least, HingePropertyTests.clearance(margin - x[n * classes + y] + x[n * classes + i]))
                }
            }
            return least
        }
    }

    /// Up to 10 rows, so that the kernel's 8-row SIMD blocks and its scalar tail are both checked.
    static let multiMarginDraws = zip(
        Gen.int(in: 1...10), Gen.int(in: 2...5), Gen.double(in: -2...2).array(of: 50), Gen.int(in: 0...4).array(of: 10),
        Gen.double(in: 0.1...3).array(of: 5).optional, Gen.int(in: 1...2), Gen.double(in: 0.5...1.5), Gen<Reduction>.case
    ).map { t in
        let (rows, classes) = (t.0, t.1)
        return MultiMarginDraw(
            rows: rows, classes: classes, x: Array(t.2.prefix(rows * classes)), target: t.3.prefix(rows).map { $0 % classes },
            weight: t.4.map { Array($0.prefix(classes)) }, p: t.5, margin: t.6, reduction: t.7)
    }.filter { $0.clearance >= kinkClearance }

    @Test func multiMarginLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.multiMarginDraws) { draw in
            let loss = try MultiMarginLoss<Double>(
                p: draw.p, margin: draw.margin, weight: draw.weight.map { Tensor($0) }, reduction: draw.reduction)
            let shape = [draw.rows, draw.classes]
            let target = Tensor(draw.target)
            let result = try loss(input: .of(shape, draw.x), target: target)
            #expect(try loss.loss(input: .of(shape, draw.x), target: target) == result.loss, "forward-only loss differs")
            try FiniteDifference.check("multi_margin_loss", at: draw.x, gradient: result.gradient.scalars) { x in
                total(try loss.loss(input: .of(shape, x), target: target))
            }
        }
    }

    struct ElementwiseDraw: Sendable, CustomStringConvertible {
        var x: [Double], y: [Double], margin: Double, reduction: Reduction
        var description: String { "x \(x), y \(y), margin \(margin), \(reduction)" }
    }

    static let hingeEmbeddingDraws = zip(
        Gen.int(in: 1...12), Gen.double(in: -3...3).array(of: 12), Gen.int(in: 0...3).array(of: 12), Gen.double(in: 0.5...2),
        Gen<Reduction>.case
    ).map { t in
        // Targets −1 and 1, and two values torch does not validate (both branches apply).
        let labels: [Double] = [-1, 1, 0, 2]
        return ElementwiseDraw(x: Array(t.1.prefix(t.0)), y: t.2.prefix(t.0).map { labels[$0] }, margin: t.3, reduction: t.4)
    }.filter { draw in
        zip(draw.x, draw.y).allSatisfy { x, y in y == 1 || clearance(draw.margin - x) >= kinkClearance }
    }

    @Test func hingeEmbeddingLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.hingeEmbeddingDraws) { draw in
            let loss = try HingeEmbeddingLoss<Double>(margin: draw.margin, reduction: draw.reduction)
            let target = Tensor(draw.y)
            let result = try loss(input: Tensor(draw.x), target: target)
            #expect(try loss.loss(input: Tensor(draw.x), target: target) == result.loss, "forward-only loss differs")
            try FiniteDifference.check("hinge_embedding_loss", at: draw.x, gradient: result.gradient.scalars) { x in
                total(try loss.loss(input: Tensor(x), target: target))
            }
        }
    }

    struct RankingDraw: Sendable, CustomStringConvertible {
        var x1: [Double], x2: [Double], y: [Double], margin: Double, reduction: Reduction
        var description: String { "x1 \(x1), x2 \(x2), y \(y), margin \(margin), \(reduction)" }
    }

    /// Targets anywhere in [−2, 2]: torch does not validate them, and they are differentiable.
    static let marginRankingDraws = zip(
        Gen.int(in: 1...10), Gen.double(in: -2...2).array(of: 10), Gen.double(in: -2...2).array(of: 10),
        Gen.double(in: -2...2).array(of: 10), Gen.double(in: -1...1), Gen<Reduction>.case
    ).map { t in
        RankingDraw(x1: Array(t.1.prefix(t.0)), x2: Array(t.2.prefix(t.0)), y: Array(t.3.prefix(t.0)), margin: t.4, reduction: t.5)
    }.filter { draw in
        draw.x1.indices.allSatisfy { i in clearance(-draw.y[i] * (draw.x1[i] - draw.x2[i]) + draw.margin) >= kinkClearance }
    }

    @Test func marginRankingLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.marginRankingDraws) { draw in
            let loss = MarginRankingLoss<Double>(margin: draw.margin, reduction: draw.reduction)
            let result = try loss(input1: Tensor(draw.x1), input2: Tensor(draw.x2), target: Tensor(draw.y))
            try FiniteDifference.check("margin_ranking_loss input1", at: draw.x1, gradient: result.gradInput1.scalars) { x in
                total(try loss(input1: Tensor(x), input2: Tensor(draw.x2), target: Tensor(draw.y)).loss)
            }
            try FiniteDifference.check("margin_ranking_loss input2", at: draw.x2, gradient: result.gradInput2.scalars) { x in
                total(try loss(input1: Tensor(draw.x1), input2: Tensor(x), target: Tensor(draw.y)).loss)
            }
            try FiniteDifference.check("margin_ranking_loss target", at: draw.y, gradient: result.gradTarget.scalars) { y in
                total(try loss(input1: Tensor(draw.x1), input2: Tensor(draw.x2), target: Tensor(y)).loss)
            }
        }
    }

    /// Smooth everywhere; unvalidated targets in [−2, 2].
    static let softMarginDraws = zip(
        Gen.int(in: 1...12), Gen.double(in: -4...4).array(of: 12), Gen.double(in: -2...2).array(of: 12), Gen<Reduction>.case
    ).map { t in ElementwiseDraw(x: Array(t.1.prefix(t.0)), y: Array(t.2.prefix(t.0)), margin: 0, reduction: t.3) }

    @Test func softMarginLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.softMarginDraws) { draw in
            let loss = SoftMarginLoss<Double>(reduction: draw.reduction)
            let result = try loss(input: Tensor(draw.x), target: Tensor(draw.y))
            try FiniteDifference.check("soft_margin_loss", at: draw.x, gradient: result.gradient.scalars) { x in
                total(try loss(input: Tensor(x), target: Tensor(draw.y)).loss)
            }
        }
    }

    struct MultiLabelDraw: Sendable, CustomStringConvertible {
        var rows: Int, classes: Int, x: [Double], target: [Int], reduction: Reduction
        var description: String { "rows \(rows), C \(classes), \(reduction), x \(x), target \(target)" }

        var clearance: Double {
            var least = Double.infinity
            for n in 0..<rows {
                let row = target[(n * classes)..<(n * classes + classes)]
                let prefix = row.prefix { $0 != -1 }
                for j in prefix {
                    for i in 0..<classes where !prefix.contains(i) {
                        least = min(least, HingePropertyTests.clearance(1 - x[n * classes + j] + x[n * classes + i]))
                    }
                }
            }
            return least
        }
    }

    /// Each row: a prefix of k class indices (duplicates allowed), then −1, then entries
    /// torch range-checks but ignores.
    static let multiLabelDraws = zip(
        Gen.int(in: 1...4), Gen.int(in: 2...5), Gen.double(in: -2...2).array(of: 20), Gen.int(in: 0...5).array(of: 4),
        Gen.int(in: 0...4).array(of: 20), Gen<Reduction>.case
    ).map { t in
        let (rows, classes) = (t.0, t.1)
        var target: [Int] = []
        for n in 0..<rows {
            let k = min(t.3[n], classes)
            for c in 0..<classes {
                let raw = t.4[n * 5 + c]
                target.append(c < k ? raw % classes : (c == k ? -1 : raw % (classes + 1) - 1))
            }
        }
        return MultiLabelDraw(rows: rows, classes: classes, x: Array(t.2.prefix(rows * classes)), target: target, reduction: t.5)
    }.filter { $0.clearance >= kinkClearance }

    @Test func multiLabelMarginLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.multiLabelDraws) { draw in
            let loss = MultiLabelMarginLoss<Double>(reduction: draw.reduction)
            let shape = [draw.rows, draw.classes]
            let target = intTensor(shape, draw.target)
            let result = try loss(input: .of(shape, draw.x), target: target)
            try FiniteDifference.check("multilabel_margin_loss", at: draw.x, gradient: result.gradient.scalars) { x in
                total(try loss(input: .of(shape, x), target: target).loss)
            }
        }
    }

    struct TripletDraw: Sendable, CustomStringConvertible {
        var rows: Int, width: Int, a: [Double], p: [Double], n: [Double], norm: Double, margin: Double, swap: Bool, reduction: Reduction
        var description: String { "rows \(rows), D \(width), p \(norm), margin \(margin), swap \(swap), \(reduction), a \(a), p \(p), n \(n)" }
        static let eps = 1e-6

        func distance(_ u: ArraySlice<Double>, _ v: ArraySlice<Double>) -> (value: Double, smallestCoordinate: Double) {
            let d = zip(u, v).map { ($0 - $1) + Self.eps }
            let value = norm == 1 ? d.reduce(0) { $0 + $1.magnitude } : pow(d.reduce(0) { $0 + pow($1.magnitude, norm) }, 1 / norm)
            return (value, d.map(\.magnitude).min() ?? .infinity)
        }

        var clearance: Double {
            var least = Double.infinity
            for r in 0..<rows {
                let range = (r * width)..<(r * width + width)
                let ap = distance(a[range], p[range]), an = distance(a[range], n[range]), pn = distance(p[range], n[range])
                var negative = an.value
                var distances = [ap, an]
                if swap {
                    negative = min(an.value, pn.value)
                    distances.append(pn)
                    least = min(least, HingePropertyTests.clearance(an.value - pn.value))
                }
                least = min(least, HingePropertyTests.clearance(margin + ap.value - negative))
                // Norms are not differentiable at 0; the L1 norm at any zero coordinate.
                for d in distances { least = min(least, norm == 1 ? d.smallestCoordinate : d.value) }
            }
            return least
        }
    }

    static let tripletDraws = zip(
        Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.double(in: -2...2).array(of: 48), Gen.int(in: 1...3), Gen.double(in: 0.25...2),
        Gen.bool, Gen<Reduction>.case
    ).map { t in
        let (rows, width) = (t.0, t.1)
        let count = rows * width
        return TripletDraw(
            rows: rows, width: width, a: Array(t.2[0..<count]), p: Array(t.2[16..<(16 + count)]), n: Array(t.2[32..<(32 + count)]),
            norm: Double(t.3), margin: t.4, swap: t.5, reduction: t.6)
    }.filter { $0.clearance >= kinkClearance }

    @Test func tripletMarginLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.tripletDraws) { draw in
            let loss = try TripletMarginLoss<Double>(margin: draw.margin, p: draw.norm, swap: draw.swap, reduction: draw.reduction)
            let shape = [draw.rows, draw.width]
            func run(_ a: [Double], _ p: [Double], _ n: [Double]) throws -> TripletMarginLoss<Double>.Result {
                try loss(anchor: .of(shape, a), positive: .of(shape, p), negative: .of(shape, n))
            }
            let result = try run(draw.a, draw.p, draw.n)
            try FiniteDifference.check("triplet anchor", at: draw.a, gradient: result.gradAnchor.scalars) { total(try run($0, draw.p, draw.n).loss) }
            try FiniteDifference.check("triplet positive", at: draw.p, gradient: result.gradPositive.scalars) { total(try run(draw.a, $0, draw.n).loss) }
            try FiniteDifference.check("triplet negative", at: draw.n, gradient: result.gradNegative.scalars) { total(try run(draw.a, draw.p, $0).loss) }
        }
    }

    // MARK: Keras, TF v1, optax

    struct KerasDraw: Sendable, CustomStringConvertible {
        var function: KerasLossFunction, rows: Int, width: Int, yTrue: [Double], yPred: [Double], weight: [Double]?
        var reduction: KerasReduction, backend: KerasBackend
        var description: String { "\(function) \(reduction) \(backend), rows \(rows), T \(width), y_true \(yTrue), y_pred \(yPred), weight \(weight.map { "\($0)" } ?? "nil")" }

        var clearance: Double {
            var least = Double.infinity
            let binary = yTrue.allSatisfy { $0 == 0 || $0 == 1 }
            for r in 0..<rows {
                let range = (r * width)..<(r * width + width)
                switch function {
                case .hinge, .squaredHinge:
                    for k in range {
                        let y = binary ? 2 * yTrue[k] - 1 : yTrue[k]
                        least = min(least, HingePropertyTests.clearance(1 - y * yPred[k]))
                    }
                case .categoricalHinge:
                    let masked = range.map { (1 - yTrue[$0]) * yPred[$0] }
                    let pos = range.reduce(0) { $0 + yTrue[$1] * yPred[$1] }
                    least = min(least, topGap(masked), HingePropertyTests.clearance(masked.max()! - pos + 1))
                }
            }
            return least
        }
    }

    /// Labels: ±1, {0,1} (converted), or one-hot for categorical_hinge; sample weights optional.
    static let kerasDraws = zip(
        Gen<KerasLossFunction>.case, Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.int(in: 0...3).array(of: 16),
        Gen.double(in: -2...2).array(of: 16), Gen.double(in: 0.1...2).array(of: 4).optional, Gen<KerasReduction>.case,
        Gen<KerasBackend>.case, Gen.bool
    ).map { t in
        let (function, rows, width) = (t.0, t.1, t.2)
        let count = rows * width
        let yTrue: [Double]
        switch function {
        case .hinge, .squaredHinge:
            yTrue = t.3.prefix(count).map { t.8 ? Double($0 % 2) : ($0 % 2 == 0 ? -1 : 1) }
        case .categoricalHinge:
            yTrue = (0..<count).map { k in k % width == t.3[k / width] % width ? 1 : 0 }
        }
        return KerasDraw(
            function: function, rows: rows, width: width, yTrue: yTrue, yPred: Array(t.4.prefix(count)),
            weight: t.5.map { Array($0.prefix(rows)) }, reduction: t.6, backend: t.7)
    }.filter { $0.clearance >= kinkClearance }

    @Test func kerasLosses() async throws {
        await propertyCheck(count: 2 * Self.draws, input: Self.kerasDraws) { draw in
            let loss = KerasLoss<Double>(draw.function, reduction: draw.reduction, backend: draw.backend)
            let shape = [draw.rows, draw.width]
            let weight = draw.weight.map { Tensor($0) }
            let result = try loss(yTrue: .of(shape, draw.yTrue), yPred: .of(shape, draw.yPred), sampleWeight: weight)
            try FiniteDifference.check("keras \(draw.function)", at: draw.yPred, gradient: result.gradient.scalars) { p in
                total(try loss(yTrue: .of(shape, draw.yTrue), yPred: .of(shape, p), sampleWeight: weight).loss)
            }
        }
    }

    struct TFDraw: Sendable, CustomStringConvertible {
        var rows: Int, width: Int, labels: [Double], logits: [Double], weights: Tensor<Double>?, reduction: TFV1Reduction
        var description: String { "rows \(rows), T \(width), \(reduction), labels \(labels), logits \(logits), weights \(weights.map { "\($0)" } ?? "nil")" }
    }

    /// {0,1} labels; weights absent, scalar, per row `(N, 1)` or per element, some of them 0.
    static let tfDraws = zip(
        Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.int(in: 0...1).array(of: 16), Gen.double(in: -2...2).array(of: 16),
        Gen.int(in: 0...3), Gen.int(in: 0...3).array(of: 16), Gen<TFV1Reduction>.case
    ).map { t in
        let (rows, width) = (t.0, t.1)
        let count = rows * width
        let w = t.5.map { Double($0) / 2 }
        let weights: Tensor<Double>? =
            switch t.4 {
            case 0: nil
            case 1: Tensor(scalar: w[0] + 0.5)
            case 2: .of([rows, 1], Array(w.prefix(rows)))
            default: .of([rows, width], Array(w.prefix(count)))
            }
        return TFDraw(rows: rows, width: width, labels: t.2.prefix(count).map(Double.init), logits: Array(t.3.prefix(count)), weights: weights, reduction: t.6)
    }.filter { draw in
        zip(draw.labels, draw.logits).allSatisfy { l, x in clearance(1 - (2 * l - 1) * x) >= kinkClearance }
    }

    @Test func tensorflowV1HingeLoss() async throws {
        await propertyCheck(count: Self.draws, input: Self.tfDraws) { draw in
            let loss = HingeLossV1<Double>(reduction: draw.reduction)
            let shape = [draw.rows, draw.width]
            let result = try loss(labels: .of(shape, draw.labels), logits: .of(shape, draw.logits), weights: draw.weights)
            try FiniteDifference.check("tf.compat.v1.losses.hinge_loss", at: draw.logits, gradient: result.gradient.scalars) { x in
                total(try loss(labels: .of(shape, draw.labels), logits: .of(shape, x), weights: draw.weights).loss)
            }
        }
    }

    static let optaxBinaryDraws = zip(Gen.int(in: 1...12), Gen.double(in: -3...3).array(of: 12), Gen.bool.array(of: 12), Gen.bool)
        .map { t in
            ElementwiseDraw(x: Array(t.1.prefix(t.0)), y: t.2.prefix(t.0).map { $0 ? 1 : -1 }, margin: t.3 ? 1 : 0, reduction: .none)
        }.filter { draw in
            // margin 1: hinge_loss, kink at 1 − p·t = 0; margin 0: perceptron_loss, kink at p·t = 0.
            zip(draw.x, draw.y).allSatisfy { x, y in clearance(draw.margin - x * y) >= kinkClearance }
        }

    @Test func optaxBinaryLosses() async throws {
        await propertyCheck(count: Self.draws, input: Self.optaxBinaryDraws) { draw in
            let hinge = draw.margin == 1
            func run(_ p: [Double]) throws -> LossAndGradient<Double> {
                hinge
                    ? try Optax.hingeLoss(predictorOutputs: Tensor(p), targets: Tensor(draw.y))
                    : try Optax.perceptronLoss(predictorOutputs: Tensor(p), targets: Tensor(draw.y))
            }
            let result = try run(draw.x)
            try FiniteDifference.check(hinge ? "optax.hinge_loss" : "optax.perceptron_loss", at: draw.x, gradient: result.gradient.scalars) {
                total(try run($0).loss)
            }
        }
    }

    struct MulticlassDraw: Sendable, CustomStringConvertible {
        var rows: Int, classes: Int, scores: [Double], labels: [Int], variant: Int, reduction: Reduction
        var description: String { "variant \(variant), rows \(rows), K \(classes), \(reduction), scores \(scores), labels \(labels)" }

        func row(_ n: Int) -> ArraySlice<Double> { scores[(n * classes)..<(n * classes + classes)] }
    }

    /// Scores (N, K) and class indices; `variant` picks the loss.
    static func multiclassDraws(variants: ClosedRange<Int>, clearance: @escaping @Sendable (MulticlassDraw) -> Double)
        -> Generator<MulticlassDraw, some SendableSequenceType>
    {
        zip(
            Gen.int(in: 1...5), Gen.int(in: 1...5), Gen.double(in: -2...2).array(of: 25), Gen.int(in: 0...4).array(of: 5),
            Gen.int(in: variants), Gen<Reduction>.case
        ).map { t in
            MulticlassDraw(
                rows: t.0, classes: t.1, scores: Array(t.2.prefix(t.0 * t.1)), labels: t.3.prefix(t.0).map { $0 % t.1 }, variant: t.4,
                reduction: t.5)
        }.filter { clearance($0) >= kinkClearance }
    }

    /// optax's Crammer–Singer (variant 0: ties of `scores + 1 − onehot`) and perceptron
    /// (variant 1: ties of the scores) multi-class losses.
    static var optaxMulticlassDraws: Generator<MulticlassDraw, some SendableSequenceType> {
        multiclassDraws(variants: 0...1, clearance: optaxMulticlassClearance)
    }
    @Sendable static func optaxMulticlassClearance(_ draw: MulticlassDraw) -> Double {
        (0..<draw.rows).map { n in
            let row = draw.row(n)
            let label = draw.labels[n]
            return topGap(draw.variant == 0 ? row.indices.map { row[$0] + 1 - ($0 - row.startIndex == label ? 1 : 0) } : Array(row))
        }.min() ?? .infinity
    }

    @Test func optaxMulticlassLosses() async throws {
        await propertyCheck(count: Self.draws, input: Self.optaxMulticlassDraws) { draw in
            let shape = [draw.rows, draw.classes]
            let labels = Tensor(draw.labels)
            func run(_ s: [Double]) throws -> LossAndGradient<Double> {
                draw.variant == 0
                    ? try Optax.multiclassHingeLoss(scores: .of(shape, s), labels: labels)
                    : try Optax.multiclassPerceptronLoss(scores: .of(shape, s), labels: labels)
            }
            let result = try run(draw.scores)
            try FiniteDifference.check("optax multiclass variant \(draw.variant)", at: draw.scores, gradient: result.gradient.scalars) {
                total(try run($0).loss)
            }
        }
    }

    // MARK: Textbook

    /// ±1 labels, scores in [−3, 3]; `margin` carries Huber's delta.
    static let textbookBinaryDraws = zip(
        Gen.int(in: 1...12), Gen.double(in: -3...3).array(of: 12), Gen.bool.array(of: 12), Gen.double(in: 0.25...2), Gen<Reduction>.case
    ).map { t in
        ElementwiseDraw(x: Array(t.1.prefix(t.0)), y: t.2.prefix(t.0).map { $0 ? 1 : -1 }, margin: t.3, reduction: t.4)
    }.filter { draw in
        // Kinks: the hinge at m = 1; Huber's pieces meet at a deficit of 0 and of delta.
        zip(draw.x, draw.y).allSatisfy { z, y in
            let deficit = 1 - y * z
            return clearance(deficit) >= kinkClearance && clearance(deficit, from: draw.margin) >= kinkClearance
        }
    }

    @Test func textbookMarginLosses() async throws {
        await propertyCheck(count: Self.draws, input: Self.textbookBinaryDraws) { draw in
            let y = Tensor(draw.y)
            let losses: [(String, (Tensor<Double>) throws -> LossAndGradient<Double>)] = [
                ("hinge", { try Hinge<Double>()(labels: y, scores: $0, reduction: draw.reduction) }),
                ("squared_hinge", { try SquaredHinge<Double>()(labels: y, scores: $0, reduction: draw.reduction) }),
                ("softplus_hinge", { try SoftplusHinge<Double>()(labels: y, scores: $0, reduction: draw.reduction) }),
                ("logistic", { try Logistic<Double>()(labels: y, scores: $0, reduction: draw.reduction) }),
                ("huber_margin", { try HuberMargin<Double>(delta: draw.margin)(labels: y, scores: $0, reduction: draw.reduction) }),
            ]
            for (name, run) in losses {
                let result = try run(Tensor(draw.x))
                try FiniteDifference.check(name, at: draw.x, gradient: result.gradient.scalars) { total(try run(Tensor($0)).loss) }
            }
        }
    }

    /// Crammer–Singer (variant 0: ties among the wrong scores, and its clamp) and
    /// Weston–Watkins (variant 1: each term's clamp).
    static var textbookMulticlassDraws: Generator<MulticlassDraw, some SendableSequenceType> {
        multiclassDraws(variants: 0...1, clearance: textbookMulticlassClearance)
    }
    @Sendable static func textbookMulticlassClearance(_ draw: MulticlassDraw) -> Double {
        (0..<draw.rows).map { n in
            let row = Array(draw.row(n))
            let label = draw.labels[n]
            let wrong = row.indices.filter { $0 != label }.map { row[$0] }
            if draw.variant == 0 {
                guard let best = wrong.max() else { return Double.infinity }
                return min(topGap(wrong), clearance(1 + best - row[label]))
            }
            return wrong.map { clearance(1 + $0 - row[label]) }.min() ?? .infinity
        }.min() ?? .infinity
    }

    @Test func textbookMulticlassLosses() async throws {
        await propertyCheck(count: Self.draws, input: Self.textbookMulticlassDraws) { draw in
            let shape = [draw.rows, draw.classes]
            let labels = Tensor(draw.labels)
            func run(_ s: [Double]) throws -> LossAndGradient<Double> {
                draw.variant == 0
                    ? try CrammerSinger<Double>()(labels: labels, scores: .of(shape, s), reduction: draw.reduction)
                    : try WestonWatkins<Double>()(labels: labels, scores: .of(shape, s), reduction: draw.reduction)
            }
            let result = try run(draw.scores)
            try FiniteDifference.check(draw.variant == 0 ? "crammer_singer" : "weston_watkins", at: draw.scores, gradient: result.gradient.scalars) {
                total(try run($0).loss)
            }
        }
    }

    static let rankingDraws = zip(
        Gen.int(in: 1...12), Gen.double(in: -2...2).array(of: 12), Gen.double(in: -2...2).array(of: 12), Gen.double(in: -1...1),
        Gen<Reduction>.case
    ).map { t in
        RankingDraw(x1: Array(t.1.prefix(t.0)), x2: Array(t.2.prefix(t.0)), y: [], margin: t.3, reduction: t.4)
    }.filter { draw in
        zip(draw.x1, draw.x2).allSatisfy { pos, neg in clearance(draw.margin + neg - pos) >= kinkClearance }
    }

    @Test func rankingHinge() async throws {
        await propertyCheck(count: Self.draws, input: Self.rankingDraws) { draw in
            let loss = try RankingHinge<Double>(margin: draw.margin)
            let result = try loss(positive: Tensor(draw.x1), negative: Tensor(draw.x2), reduction: draw.reduction)
            try FiniteDifference.check("ranking_hinge pos", at: draw.x1, gradient: result.gradPositive.scalars) {
                total(try loss(positive: Tensor($0), negative: Tensor(draw.x2), reduction: draw.reduction).loss)
            }
            try FiniteDifference.check("ranking_hinge neg", at: draw.x2, gradient: result.gradNegative.scalars) {
                total(try loss(positive: Tensor(draw.x1), negative: Tensor($0), reduction: draw.reduction).loss)
            }
        }
    }
}
