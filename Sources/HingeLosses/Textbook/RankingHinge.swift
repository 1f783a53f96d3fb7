import RealModule

/// The pairwise ranking hinge (suite `math.ranking_hinge`):
/// `ℓ = max(0, margin + neg − pos)` for a positive item's score `pos` that
/// should beat a negative item's score `neg` by at least `margin`.
///
/// Evaluated as `(margin + neg) − pos`, in that order. The gradient is −1 for
/// `pos` and +1 for `neg` where that difference is > 0, and 0 elsewhere
/// (including exactly at the kink); NaN differences give NaN gradients.
public struct RankingHinge<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    /// The required gap between the positive and the negative score.
    public let margin: Scalar

    /// - Throws: `HingeError.invalidParameter` naming `margin` unless it is finite.
    public init(margin: Scalar = 1) throws(HingeError) {
        try Validate.finite(margin, "margin")
        self.margin = margin
    }

    /// The reduced loss and its gradients with respect to both score tensors.
    public struct Result: Sendable {
        public var loss: Tensor<Scalar>
        public var gradPositive: Tensor<Scalar>
        public var gradNegative: Tensor<Scalar>

        public init(loss: Tensor<Scalar>, gradPositive: Tensor<Scalar>, gradNegative: Tensor<Scalar>) {
            self.loss = loss
            self.gradPositive = gradPositive
            self.gradNegative = gradNegative
        }
    }

    /// - Throws: `HingeError.shapeMismatch` unless both score tensors have the same shape.
    @inlinable
    public func callAsFunction(
        positive: Tensor<Scalar>, negative: Tensor<Scalar>, reduction: Reduction = .mean
    ) throws(HingeError) -> Result {
        try Validate.sameShape(positive, "pos_scores", negative, "neg_scores")
        let n = positive.count
        var values = [Scalar](repeating: 0, count: n)
        var gradients = [[Scalar](repeating: 0, count: n), [Scalar](repeating: 0, count: n)]
        for i in 0..<n {
            let v = (margin + negative.scalars[i]) - positive.scalars[i]
            if v.isNaN {
                values[i] = v
                gradients[0][i] = v
                gradients[1][i] = v
            } else if v > 0 {
                values[i] = v
                gradients[0][i] = -1
                gradients[1][i] = 1
            }
        }
        let loss = try reduction.apply(to: values, shape: positive.shape, gradients: &gradients)
        return Result(
            loss: loss,
            gradPositive: Tensor(uncheckedShape: positive.shape, scalars: gradients[0]),
            gradNegative: Tensor(uncheckedShape: positive.shape, scalars: gradients[1]))
    }
}
