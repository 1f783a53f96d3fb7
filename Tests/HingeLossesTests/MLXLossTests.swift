import HingeLosses
import Testing

/// `MLXLosses` beyond the fixtures: the conventions the README states, on small inputs whose
/// results follow from the definitions, and bad input that must be a typed error, never a trap.
@Suite("MLX losses")
struct MLXLossTests {
    static func t(_ shape: [Int], _ values: [Float]) -> Tensor<Float> { try! Tensor(shape: shape, scalars: values) }

    /// `maximum(1 − x·t, 0)` passes nothing at the kink; `maximum(0, z)` passes everything.
    @Test func theKinkGradientDependsOnTheArgumentOrder() throws {
        let hinge = try MLXLosses.hingeLoss(inputs: Self.t([2], [1, 0.5]), targets: Self.t([2], [1, 1]))
        #expect(hinge.loss.scalars == [0, 0.5])
        #expect(hinge.gradInputs.scalars == [0, -1])
        let ranking = try MLXLosses.marginRankingLoss(
            inputs1: Self.t([2], [1, 2]), inputs2: Self.t([2], [1, 1]), targets: Self.t([2], [1, -1]))
        #expect(ranking.loss.scalars == [0, 1])
        #expect(ranking.gradInputs1.scalars == [-1, 1])  // the kink (z = 0) gets the full −y
    }

    /// `mean` multiplies by the reciprocal rounded to the type (1.25 · Float(1/3), not
    /// 1.25 / 3, one ulp apart), and is 0 · ∞ = NaN for no elements.
    @Test func meanIsASumTimesTheRoundedReciprocal() throws {
        let x = Self.t([3], [-0.25, 1, 2]), y = Self.t([3], [1, 1, 1])  // losses 1.25, 0 (the kink), 0
        let mean = try MLXLosses.hingeLoss(inputs: x, targets: y, reduction: .mean)
        #expect(mean.loss.scalars == [Float(1.25) * Float(1.0 / 3.0)])
        #expect(mean.loss.scalars != [Float(1.25) / 3])
        #expect(mean.gradInputs.scalars == [-Float(1.0 / 3.0), 0, 0])
        let empty = try MLXLosses.hingeLoss(inputs: Self.t([0], []), targets: Self.t([0], []), reduction: .mean)
        #expect(empty.loss.scalars.first?.isNaN == true)
    }

    /// The two triplet formulas agree for p = 2 and part ways for odd p with negative differences.
    @Test func tripletFormulas() throws {
        let a = Self.t([1, 3], [1, 2, 3]), p = Self.t([1, 3], [2, 3, 4]), n = Self.t([1, 3], [0, 0, 0])
        let pNorm = try MLXLosses.tripletLoss(anchors: a, positives: p, negatives: n, p: 1)
        let legacy = try MLXLosses.tripletLoss(anchors: a, positives: p, negatives: n, p: 1, formula: .sqrtOfPowerSum)
        #expect(pNorm.loss.scalars == [0])
        #expect(legacy.loss.scalars.first?.isNaN == true)  // sqrt(Σ(a − p) + eps) = sqrt(−3 + eps)
        let two = try MLXLosses.tripletLoss(anchors: a, positives: p, negatives: n, eps: 0)
        let twoLegacy = try MLXLosses.tripletLoss(anchors: a, positives: p, negatives: n, eps: 0, formula: .sqrtOfPowerSum)
        #expect(two.loss.scalars == twoLegacy.loss.scalars)
    }

    @Test func badInputIsATypedError() {
        func rejects(_ kind: HingeError.Kind, _ argument: String, _ call: () throws -> Void) {
            #expect {
                try call()
            } throws: { error in
                (error as? HingeError).map { $0.kind == kind && $0.argument == argument } ?? false
            }
        }
        let x = Self.t([2, 3], [1, 2, 3, 4, 5, 6])
        rejects(.shapeMismatch, "targets") { _ = try MLXLosses.hingeLoss(inputs: x, targets: Self.t([2], [1, 1])) }
        rejects(.shapeMismatch, "targets") {
            _ = try MLXLosses.marginRankingLoss(inputs1: x, inputs2: x, targets: Self.t([2, 1], [1, 1]))
        }
        rejects(.invalidParameter, "axis") { _ = try MLXLosses.tripletLoss(anchors: x, positives: x, negatives: x, axis: 2) }
        rejects(.invalidParameter, "axis") {
            _ = try MLXLosses.tripletLoss(anchors: Self.t([], [1]), positives: Self.t([], [1]), negatives: Self.t([], [1]))
        }
        rejects(.invalidParameter, "p") { _ = try MLXLosses.tripletLoss(anchors: x, positives: x, negatives: x, p: 0) }
        rejects(.shapeMismatch, "negatives") {
            _ = try MLXLosses.tripletLoss(anchors: x, positives: x, negatives: Self.t([3, 3], Array(repeating: 0, count: 9)))
        }
        // Int.max rows of nothing: one distance per row could not be stored.
        let huge = Self.t([Int.max, 0], [])
        rejects(.shapeMismatch, "positives") { _ = try MLXLosses.tripletLoss(anchors: huge, positives: huge, negatives: huge) }
        let wide = Self.t([0, Int.max, 2], [])
        rejects(.shapeMismatch, "positives") {
            _ = try MLXLosses.tripletLoss(anchors: wide, positives: wide, negatives: wide, axis: 0)
        }
        // p = 0 is no error for the legacy formula; all-empty shapes are fine.
        #expect(throws: Never.self) {
            _ = try MLXLosses.tripletLoss(anchors: x, positives: x, negatives: x, p: 0, formula: .sqrtOfPowerSum)
            _ = try MLXLosses.tripletLoss(anchors: wide, positives: wide, negatives: wide, axis: 1)
        }
    }
}
