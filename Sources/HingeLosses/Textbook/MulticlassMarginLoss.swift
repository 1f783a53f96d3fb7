import RealModule

/// A multi-class margin loss over scores `z` of shape (N, K) and class indices
/// `y` of shape (N,): one loss per row.
///
/// Conforming types evaluate one row; the protocol extension checks shapes
/// and labels and applies the ``Reduction`` once for all of them.
public protocol MulticlassMarginLoss<Scalar>: Sendable {
    associatedtype Scalar: Real & BinaryFloatingPoint & Sendable

    /// The loss of one row of scores whose true class is `label`, writing the
    /// row's gradient into `gradient` (zero-filled on entry, `scores.count` long).
    func row(
        _ scores: UnsafeBufferPointer<Scalar>, label: Int, gradient: UnsafeMutableBufferPointer<Scalar>
    ) -> Scalar
}

extension MulticlassMarginLoss {
    /// Evaluates the loss of every row and its gradient with respect to the scores.
    ///
    /// - Parameters:
    ///   - labels: `y`, shape (N,), each in `0..<K`.
    ///   - scores: `z`, shape (N, K) with K ≥ 1 (K may be 0 only when N is 0).
    /// - Throws: `HingeError.shapeMismatch` when `z` is not 2-D or `y` does not
    ///   have N elements; `.invalidTarget` for a class index outside `0..<K`.
    @inlinable
    public func callAsFunction(
        labels: Tensor<Int>, scores: Tensor<Scalar>, reduction: Reduction = .mean
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        guard scores.rank == 2 else {
            throw .shapeMismatch("z", "expected a 2-D tensor of scores (N, K), got shape \(scores.shape)")
        }
        let (n, k) = (scores.shape[0], scores.shape[1])
        try Validate.classIndices(labels, "y", batch: n, classCount: k, scoresName: "z")
        var values = [Scalar](repeating: 0, count: n)
        var gradients = [[Scalar](repeating: 0, count: n * k)]
        scores.scalars.withUnsafeBufferPointer { z in
            gradients[0].withUnsafeMutableBufferPointer { g in
                for i in 0..<n {
                    let rowRange = (i * k)..<(i * k + k)
                    values[i] = row(
                        UnsafeBufferPointer(rebasing: z[rowRange]), label: labels.scalars[i],
                        gradient: UnsafeMutableBufferPointer(rebasing: g[rowRange]))
                }
            }
        }
        let loss = try reduction.apply(to: values, shape: [n], gradients: &gradients)
        return LossAndGradient(loss: loss, gradient: Tensor(uncheckedShape: scores.shape, scalars: gradients[0]))
    }
}
