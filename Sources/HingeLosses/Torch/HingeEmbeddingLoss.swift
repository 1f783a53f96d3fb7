import RealModule

/// PyTorch's hinge embedding loss, `torch.nn.HingeEmbeddingLoss` /
/// `torch.nn.functional.hinge_embedding_loss`: a loss on **distances**, and
/// **not** the SVM hinge `max(0, 1 − y·x)`.
///
///     loss = where(y != 1, max(0, margin − x), 0) + where(y != −1, x, 0)
///
/// - For `y = 1` the loss is `x` itself, unbounded below: negative losses are normal.
/// - For `y = −1` it is `max(0, margin − x)`.
/// - Any other target value (0, 2, 0.5, ...) takes **both** branches:
///   `max(0, margin − x) + x`. Targets are not validated.
/// - Input and target broadcast; `mean` divides by the broadcast element count.
/// - The gradient of the clamp at `margin − x == 0` follows ``kinkGradient``:
///   `.zero` in PyTorch 2.15 (`clamp_min`'s strict `>`), `.full` in PyTorch ≤ 2.13.
/// - A NaN input gives a NaN loss; its gradient is 1 for `y = 1` and 0 for `y = −1`.
public struct HingeEmbeddingLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Scalar
    public let reduction: Reduction
    public let kinkGradient: KinkGradient

    public init(margin: Scalar = 1, reduction: Reduction = .mean, kinkGradient: KinkGradient = .zero) {
        self.margin = margin
        self.reduction = reduction
        self.kinkGradient = kinkGradient
    }

    /// The loss and its gradient with respect to `input` (the target has none).
    ///
    /// - Throws: `HingeError.shapeMismatch` when the shapes do not broadcast.
    public func callAsFunction(input: Tensor<Scalar>, target: Tensor<Scalar>) throws(HingeError) -> LossAndGradient<Scalar> {
        let shape = try Broadcasting.shape(input.shape, "input", target.shape, "target")
        let x = Broadcasting.expand(input, to: shape)
        let y = Broadcasting.expand(target, to: shape)
        let upstream: Scalar = TorchReduction.upstream(count: x.count, reduction)
        var values = [Scalar](repeating: 0, count: x.count)
        var gradient = [Scalar](repeating: 0, count: x.count)
        for i in x.indices {
            let z = margin - x[i]
            let clamped: Scalar = z.isNaN ? z : (z > 0 ? z : 0)
            let negativeBranch: Scalar = y[i] != 1 ? clamped : 0
            let positiveBranch: Scalar = y[i] != -1 ? x[i] : 0
            values[i] = negativeBranch + positiveBranch
            var g: Scalar = 0
            if y[i] != -1 { g += upstream }
            if y[i] != 1 { g -= upstream * kinkGradient.activeFraction(at: z) }
            gradient[i] = g
        }
        return LossAndGradient(
            loss: TorchReduction.reduce(values, shape: shape, reduction),
            gradient: Tensor(
                uncheckedShape: input.shape, scalars: Broadcasting.sumToShape(gradient, from: shape, to: input.shape)))
    }
}
