import Testing

import HingeLosses

/// PaddlePaddle's losses (`Sources/HingeLosses/Paddle/`): the bad-input matrix of
/// their public entry points (a typed `HingeError` naming the argument, never a trap),
/// and the conventions that set them apart from torch's, stated as relations between
/// calls rather than as numbers (the numbers are in the fixtures).
@Suite("PaddlePaddle losses")
struct PaddleLossTests {
    @Test("Bad input", arguments: BadInput.paddle)
    func badInput(_ row: BadInput) { row.check() }

    @Test func theMatrixCoversEveryLoss() {
        #expect(BadInput.paddle.count >= 25)
        #expect(Set(BadInput.paddle.map(\.name)).count == BadInput.paddle.count, "row names must be unique")
    }

    /// hinge_embedding_loss: a label other than ±1 contributes nothing (torch takes
    /// both branches), and relu(NaN) is 0.
    @Test func hingeEmbeddingIgnoresOtherLabels() throws {
        let x = try Tensor(shape: [4], scalars: [0.25, -3, 2, Double.nan])
        let y = try Tensor(shape: [4], scalars: [0.0, 2, 0.5, -1])
        let result = try PaddleHingeEmbeddingLoss<Double>(reduction: .none)(input: x, label: y)
        #expect(result.loss.scalars == [0, 0, 0, 0])
        #expect(result.gradient.scalars == [0, 0, 0, 0])
    }

    /// multi_margin_loss: the target's own term is included and subtracted, so with a
    /// negative margin every clipped row still has loss −margin/C (p = 1).
    @Test func multiMarginNegativeMargin() throws {
        let x = try Tensor(shape: [2, 4], scalars: [5, -5, -5, -5, -5, 5, -5, -5] as [Double])
        let label = try Tensor(shape: [2], scalars: [0, 1])
        let loss = PaddleMultiMarginLoss<Double>(margin: -0.5, reduction: .none)
        let result = try loss(input: x, label: label)
        let correction = Double(Float(-0.5 / 4.0))
        #expect(result.loss.scalars == [-correction, -correction])
    }

    /// multi_label_margin_loss splits the gradient of a tie (the kink) in half.
    @Test func multiLabelKinkSplits() throws {
        let x = try Tensor(shape: [1, 2], scalars: [1, 0] as [Double])  // 1 − x[0] + x[1] == 0
        let label = try Tensor(shape: [1, 2], scalars: [0, -1])
        let full = try PaddleMultiLabelMarginLoss<Double>(reduction: .sum)(input: x, label: label).gradient.scalars
        let active = try PaddleMultiLabelMarginLoss<Double>(reduction: .sum)(
            input: try Tensor(shape: [1, 2], scalars: [1, 0.5]), label: label
        ).gradient.scalars
        #expect(full == active.map { $0 / 2 })
    }

    /// triplet_margin_loss: with epsilon 0 a zero distance has a NaN gradient for p = 2
    /// (the norm's backward divides by it), a zero one for p = 1.
    @Test func tripletZeroDistance() throws {
        let a = try Tensor(shape: [1, 2], scalars: [1, 2] as [Double])
        let n = try Tensor(shape: [1, 2], scalars: [1.5, 2])
        let p2 = try PaddleTripletMarginLoss<Double>(distance: .init(p: 2, epsilon: 0))(input: a, positive: a, negative: n)
        let p1 = try PaddleTripletMarginLoss<Double>(distance: .init(p: 1, epsilon: 0))(input: a, positive: a, negative: n)
        #expect(p2.gradPositive.scalars.allSatisfy { $0.isNaN })
        #expect(p1.gradPositive.scalars.allSatisfy { $0 == 0 })
    }

    /// The full reduction adds packets lane-wise, the last-axis one in order: on values
    /// that cancel, the two differ, and each equals its own reference loop.
    @Test func reductionOrders() {
        let x: [Float] = [1e8, -1e8] + [Float](repeating: 1, count: 35)  // lanes 0 and 1 absorb their ones
        var lanes = [Float](repeating: 0, count: 8)
        for block in stride(from: 0, to: 32, by: 8) { for k in 0..<8 { lanes[k] += x[block + k] } }
        var tail: Float = 0
        for v in x[32...] { tail += v }
        let predux = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]))
        #expect(PaddleKernels.mean(x[...]) == (tail + predux) / 37)
        var ordered: Float = 0
        for v in x { ordered += v }
        #expect(PaddleKernels.axisSum(x[...]) == ordered)
        #expect(PaddleKernels.mean(x[...]) != ordered / 37, "these values must tell the orders apart")
    }
}

private func d(_ shape: [Int], _ scalars: [Double]) throws(HingeError) -> Tensor<Double> {
    try Tensor(shape: shape, scalars: scalars, argument: "row")
}
private func i(_ shape: [Int], _ scalars: [Int]) throws(HingeError) -> Tensor<Int> {
    try Tensor(shape: shape, scalars: scalars, argument: "row")
}

extension BadInput {
    static let paddle: [BadInput] = [
        // multi_margin_loss
        .rejects("paddle mm: 3-D input", .shapeMismatch, "input") {
            _ = try PaddleMultiMarginLoss<Double>()(input: d([1, 2, 2], [0, 1, 2, 3]), label: i([1], [0]))
        },
        .rejects("paddle mm: 0-d label", .shapeMismatch, "label") {
            _ = try PaddleMultiMarginLoss<Double>()(input: d([3], [0, 1, 2]), label: i([], [0]))
        },
        .rejects("paddle mm: label rows", .shapeMismatch, "label") {
            _ = try PaddleMultiMarginLoss<Double>()(input: d([2, 2], [0, 1, 2, 3]), label: i([3], [0, 1, 0]))
        },
        .rejects("paddle mm: label 2x2", .shapeMismatch, "label") {
            _ = try PaddleMultiMarginLoss<Double>()(input: d([2, 2], [0, 1, 2, 3]), label: i([2, 2], [0, 1, 0, 1]))
        },
        .rejects("paddle mm: label = C", .invalidTarget, "label") {
            _ = try PaddleMultiMarginLoss<Double>()(input: d([2, 2], [0, 1, 2, 3]), label: i([2], [0, 2]))
        },
        .rejects("paddle mm: label -1", .invalidTarget, "label") {
            _ = try PaddleMultiMarginLoss<Double>()(input: d([2, 2], [0, 1, 2, 3]), label: i([2], [-1, 0]))
        },
        .rejects("paddle mm: weight size", .shapeMismatch, "weight") {
            _ = try PaddleMultiMarginLoss<Double>(weight: d([3], [1, 1, 1]))(input: d([1, 2], [0, 1]), label: i([1], [0]))
        },
        .rejects("paddle mm: weight 0-d", .shapeMismatch, "weight") {
            _ = try PaddleMultiMarginLoss<Double>(weight: d([], [1]))(input: d([1, 2], [0, 1]), label: i([1], [0]))
        },
        .rejects("paddle mm: C = 0", .invalidTarget, "label") {
            _ = try PaddleMultiMarginLoss<Double>()(input: d([1, 0], []), label: i([1], [0]))
        },
        .accepts("paddle mm: empty batch, negative margin, p = 0.5, label (N, 1)") {
            _ = try PaddleMultiMarginLoss<Double>(p: 0.5, margin: -1)(input: d([0, 3], []), label: i([0], []))
            _ = try PaddleMultiMarginLoss<Double>(p: 0.5, margin: -1)(input: d([2, 2], [0, 1, 2, 3]), label: i([2, 1], [1, 0]))
        },
        // multi_label_margin_loss
        .rejects("paddle mlm: 1-D input", .shapeMismatch, "input") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([2], [0, 1]), label: i([1, 2], [0, -1]))
        },
        .rejects("paddle mlm: 1-D label", .shapeMismatch, "label") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([1, 2], [0, 1]), label: i([2], [0, -1]))
        },
        .rejects("paddle mlm: label -2", .invalidTarget, "label") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([1, 2], [0, 1]), label: i([1, 2], [-2, 0]))
        },
        .rejects("paddle mlm: label = C after the padding", .invalidTarget, "label") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([1, 2], [0, 1]), label: i([1, 2], [-1, 2]))
        },
        .rejects("paddle mlm: padding only", .invalidTarget, "label") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([1, 2], [0, 1]), label: i([1, 2], [-1, -1]))
        },
        .rejects("paddle mlm: label rows past the input with targets", .shapeMismatch, "label") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([0, 2], []), label: i([1, 2], [0, -1]))
        },
        .rejects("paddle mlm: C = 0", .shapeMismatch, "label") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([2, 0], []), label: i([2, 0], []))
        },
        .accepts("paddle mlm: fewer label rows and columns, empty batch") {
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([2, 3], [0, 1, 2, 3, 4, 5]), label: i([1, 2], [2, 0]))
            _ = try PaddleMultiLabelMarginLoss<Double>()(input: d([0, 3], []), label: i([0, 3], []))
        },
        // hinge_embedding_loss
        .rejects("paddle he: shapes", .shapeMismatch, "label") {
            _ = try PaddleHingeEmbeddingLoss<Double>()(input: d([2], [0, 1]), label: d([3], [1, 1, 1]))
        },
        .rejects("paddle he: broadcast past memory", .shapeMismatch, "label") {
            _ = try PaddleHingeEmbeddingLoss<Double>()(
                input: d([Int.max, 0], []), label: Tensor<Double>(shape: [0, 1 << 40, 1], scalars: [], argument: "row"))
        },
        .accepts("paddle he: 0-d, empty, labels 0 and NaN") {
            _ = try PaddleHingeEmbeddingLoss<Double>()(input: d([], [1]), label: d([], [0]))
            _ = try PaddleHingeEmbeddingLoss<Double>()(input: d([0], []), label: d([0], []))
            _ = try PaddleHingeEmbeddingLoss<Double>()(input: d([2], [1, .nan]), label: d([2], [.nan, 0]))
        },
        // margin_ranking_loss
        .rejects("paddle mr: input and other", .shapeMismatch, "input") {
            _ = try PaddleMarginRankingLoss<Double>()(input: d([2], [0, 1]), other: d([3], [0, 1, 2]), label: d([1], [1]))
        },
        .rejects("paddle mr: label", .shapeMismatch, "label") {
            _ = try PaddleMarginRankingLoss<Double>()(input: d([2], [0, 1]), other: d([2], [0, 1]), label: d([3], [1, 1, 1]))
        },
        .accepts("paddle mr: ranks differ, 0-d with a margin") {
            _ = try PaddleMarginRankingLoss<Double>()(input: d([2, 2], [0, 1, 2, 3]), other: d([2], [0, 1]), label: d([], [1]))
            _ = try PaddleMarginRankingLoss<Double>(margin: 0.5)(input: d([], [0]), other: d([], [1]), label: d([], [-1]))
        },
        // soft_margin_loss
        .rejects("paddle sm: shapes", .shapeMismatch, "label") {
            _ = try PaddleSoftMarginLoss<Double>()(input: d([2], [0, 1]), label: d([1], [1]))
        },
        .accepts("paddle sm: 0-d, empty, overflow") {
            _ = try PaddleSoftMarginLoss<Double>()(input: d([], [1]), label: d([], [-1]))
            _ = try PaddleSoftMarginLoss<Double>(reduction: .sum)(input: d([0], []), label: d([0], []))
            _ = try PaddleSoftMarginLoss<Double>()(input: d([2], [-1e300, .infinity]), label: d([2], [1e10, -1]))
        },
        // triplet losses
        .rejects("paddle triplet: negative margin", .invalidParameter, "margin") {
            _ = try PaddleTripletMarginLoss<Double>(margin: -1)
        },
        .rejects("paddle triplet: shapes", .shapeMismatch, "positive") {
            _ = try PaddleTripletMarginLoss<Double>()(input: d([1, 2], [0, 1]), positive: d([2], [0, 1]), negative: d([1, 2], [0, 1]))
        },
        .rejects("paddle triplet with distance: NaN distance", .invalidParameter, "distance_function") {
            _ = try PaddleTripletMarginLoss<Double>(checksDistances: true)(
                input: d([1, 2], [.nan, 1]), positive: d([1, 2], [0, 1]), negative: d([1, 2], [0, 1]))
        },
        .accepts("paddle triplet: margin 0, empty rows, 0-d, p = 0 and inf") {
            _ = try PaddleTripletMarginLoss<Double>(margin: 0)(input: d([2, 0], []), positive: d([2, 0], []), negative: d([2, 0], []))
            _ = try PaddleTripletMarginLoss<Double>()(input: d([], [1]), positive: d([], [2]), negative: d([], [0]))
            for p in [0, Double.infinity, -Double.infinity] {
                _ = try PaddleTripletMarginLoss<Double>(distance: .init(p: p))(
                    input: d([1, 2], [0, 1]), positive: d([1, 2], [2, 1]), negative: d([1, 2], [0, 3]))
            }
        },
    ]
}
