import RealModule

/// A binary margin loss: a function `ℓ(m)` of the margin `m = y·z` of a label
/// `y ∈ {−1, +1}` and a score `z`.
///
/// Conforming types give the value and the derivative `dℓ/dm`; the protocol
/// extension does the rest once for all of them: it checks the labels, forms
/// the margins, applies a ``Reduction`` and returns the gradient with respect to
/// the scores, `∂ℓ/∂z = y · ℓ′(y·z)` (exact, since `y` is ±1).
///
/// NaN scores give NaN values and NaN gradients: a loss that cannot be
/// evaluated has no slope either, and a silent 0 would hide the NaN from
/// training code that only looks at gradients.
public protocol MarginLoss<Scalar>: Sendable {
    associatedtype Scalar: Real & BinaryFloatingPoint & Sendable

    /// The loss `ℓ(m)` at margin `m`.
    func value(atMargin m: Scalar) -> Scalar
    /// The derivative `ℓ′(m)`; at a kink, the subgradient the loss documents.
    func derivative(atMargin m: Scalar) -> Scalar
}

extension MarginLoss {
    /// Evaluates the loss and its gradient for labels `y` and scores `z` of the same shape.
    ///
    /// - Parameters:
    ///   - labels: `y`, every element exactly −1 or +1.
    ///   - scores: `z`, any shape, including rank 0 and empty.
    ///   - reduction: `.mean` (the default) divides the sum by the element count;
    ///     the mean of an empty batch is NaN.
    /// - Throws: `HingeError.shapeMismatch` when the shapes differ,
    ///   `.invalidTarget` when a label is not ±1.
    @inlinable
    public func callAsFunction(
        labels: Tensor<Scalar>, scores: Tensor<Scalar>, reduction: Reduction = .mean
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        try Validate.sameShape(scores, "z", labels, "y")
        try Validate.signLabels(labels, "y")
        let n = scores.count
        var values = [Scalar](repeating: 0, count: n)
        var gradients = [[Scalar](repeating: 0, count: n)]
        labels.scalars.withUnsafeBufferPointer { y in
            scores.scalars.withUnsafeBufferPointer { z in
                for i in 0..<n {
                    let m = y[i] * z[i]
                    values[i] = value(atMargin: m)
                    gradients[0][i] = y[i] * derivative(atMargin: m)
                }
            }
        }
        let loss = try reduction.apply(to: values, shape: scores.shape, gradients: &gradients)
        return LossAndGradient(
            loss: loss, gradient: Tensor(uncheckedShape: scores.shape, scalars: gradients[0]))
    }
}
