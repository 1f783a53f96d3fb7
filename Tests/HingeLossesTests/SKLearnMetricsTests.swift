import Testing

@testable import HingeLosses

/// `sklearn.metrics.hinge_loss`: relations that follow from scikit-learn's code
/// (the values themselves are checked against scikit-learn by the fixtures).
@Suite("sklearn.metrics.hinge_loss")
struct SKLearnMetricsTests {
    let pred: [Double] = [-2.5, -0.9, 2.9, 3.6e-7, 2.4, 1.8]

    /// `labels` names at most two classes but `y_true` holds three or more: the
    /// LabelBinarizer fitted on `y_true` is one-hot, column 0 is taken, so the
    /// smallest value of `y_true` is +1 and every other −1.
    @Test func binaryPathWithThreeClassesInYTrueMakesTheSmallestPositive() throws {
        let yTrue = [101, 1, 1, 0, 1, 0]
        let asBinary = try SKLearnMetrics.hingeLoss(yTrue: yTrue.map { $0 == 0 ? 1 : 0 }, predDecision: Tensor(pred))
        #expect(try SKLearnMetrics.hingeLoss(yTrue: yTrue, predDecision: Tensor(pred), labels: [0, 1]) == asBinary)
        #expect(try SKLearnMetrics.hingeLoss(yTrue: yTrue, predDecision: Tensor(pred), labels: [1, 1]) == asBinary)
        #expect(try SKLearnMetrics.hingeLoss(yTrue: yTrue, predDecision: Tensor(pred), labels: [7]) == asBinary)
        let strings = ["b", "c", "a", "c"]
        #expect(
            try SKLearnMetrics.hingeLoss(yTrue: strings, predDecision: Tensor(Array(pred[..<4])), labels: ["a", "b"])
                == SKLearnMetrics.hingeLoss(yTrue: [0, 0, 1, 0], predDecision: Tensor(Array(pred[..<4]))))
    }

    /// Two values: the larger is +1; one value: every sample is −1.
    @Test func binaryPathWithOneOrTwoClasses() throws {
        let flipped = try SKLearnMetrics.hingeLoss(yTrue: [3, 7, 7, 3, 7, 3], predDecision: Tensor(pred.map { -$0 }))
        #expect(try SKLearnMetrics.hingeLoss(yTrue: [7, 3, 3, 7, 3, 7], predDecision: Tensor(pred)) == flipped)
        #expect(
            try SKLearnMetrics.hingeLoss(yTrue: [5, 5, 5, 5, 5, 5], predDecision: Tensor(pred))
                == SKLearnMetrics.hingeLoss(yTrue: [0, 0, 0, 0, 0, 1], predDecision: Tensor(Array(pred[..<5]) + [-pred[5]])))
    }

    /// np.average raises when the weights sum to exactly 0 in NumPy's pairwise order.
    @Test func weightsSummingToZeroThrowInvalidParameter() throws {
        let error = HingeError.invalidParameter("sample_weight", "Weights sum to zero, can't be normalized")
        for weights: [Double] in [[1, -1, 0.5, -0.5], [0, 0, -0.0, 0], [0.7, 0.5, -0.2, -0.5, 0, -0.2, 0.6, -0.9]] {
            let n = weights.count
            let scores = (0..<n).map { Double($0) / Double(n) - 0.5 }
            #expect(throws: error) {
                try SKLearnMetrics.hingeLoss(yTrue: (0..<n).map { $0 % 2 }, predDecision: Tensor(scores), sampleWeight: weights)
            }
        }
        // These eight sum to 0 sequentially but not pairwise: NumPy gives a (finite) value.
        let weights: [Double] = [0.2, -0.1, 0.3, 1, 0.8, 0.6, -0.8, -2]
        #expect(weights.reduce(0, +) == 0)
        let value = try SKLearnMetrics.hingeLoss(
            yTrue: (0..<8).map { $0 % 2 }, predDecision: Tensor((0..<8).map { Double($0) / 8 - 0.5 }), sampleWeight: weights)
        #expect(value.isFinite)
    }
}
