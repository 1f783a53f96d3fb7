import RealModule

/// PyTorch's soft margin loss, `torch.nn.SoftMarginLoss` /
/// `torch.nn.functional.soft_margin_loss`, the logistic loss on ±1 targets:
///
///     loss = log1p(exp((−x) · y))
///
/// computed the way PyTorch computes it, **not** as a stable softplus:
/// - in float32, `exp` overflows for `y·x < ≈ −88.7`, so the loss is `inf` and
///   its gradient NaN there (float64 overflows only past ≈ −709);
/// - tiny losses survive through `log1p` (x = 20 gives 2.06e-9; x = 100 a subnormal);
/// - targets are not validated (y = 0 gives log 2); they broadcast to the input's
///   shape, and the output has the input's shape and type;
/// - smooth: no kink. The gradient is PyTorch's native backward,
///   `((y · z) · (−norm)) / (z + 1)` with `z = exp(−(y·x))` and `norm = 1/numel`
///   for `mean`, else 1; the target gets no gradient.
public struct SoftMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let reduction: Reduction

    public init(reduction: Reduction = .mean) {
        self.reduction = reduction
    }

    /// - Parameter target: any floating-point type; products with it are formed in
    ///   the wider of the two types and rounded to `Scalar`, as PyTorch's in-place
    ///   `mul_` does. (A `Double` product of two `Float`s is exact, so rounding it
    ///   once gives the `Float` product.)
    /// - Throws: `HingeError.shapeMismatch` when the target does not broadcast to the input's shape.
    public func callAsFunction<Target: BinaryFloatingPoint>(
        input: Tensor<Scalar>, target: Tensor<Target>
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        guard Broadcasting.shape(input.shape, target.shape) == input.shape else {
            throw .shapeMismatch(
                "target",
                "output with shape \(input.shape) doesn't match the broadcast shape \(Broadcasting.shape(input.shape, target.shape).map { "\($0)" } ?? "(none)")"
            )
        }
        let x = input.scalars
        let y = Broadcasting.expand(target, to: input.shape)
        let norm = Scalar(reduction == .mean ? -1.0 / Double(x.count) : -1.0)
        var values = [Scalar](repeating: 0, count: x.count)
        for i in x.indices {
            let product = Scalar(Double(-x[i]) * Double(y[i]))
            values[i] = .log(onePlus: .exp(product))
        }
        // The backward's `z = exp(-target * input)` is a new tensor of the promoted type:
        // a float64 target keeps z finite where float32 would overflow.
        let gradient = Target.significandBitCount > Scalar.significandBitCount
            ? Self.backward(x, y, norm: norm, promoted: Double.self)
            : Self.backward(x, y, norm: norm, promoted: Scalar.self)
        return LossAndGradient(
            loss: TorchReduction.reduce(values, shape: input.shape, reduction),
            gradient: Tensor(uncheckedShape: input.shape, scalars: gradient))
    }

    /// `soft_margin_loss_backward`: `z = exp(-target * input)` in the promoted type
    /// `W`; `mul_out(grad_input, target, z)` rounds `y·z` into the input's type, where
    /// `.mul_(-norm)` scales it; `div_(z + 1)` divides in `W` and rounds back.
    private static func backward<Target: BinaryFloatingPoint, W: Real & BinaryFloatingPoint>(
        _ x: [Scalar], _ y: [Target], norm: Scalar, promoted: W.Type
    ) -> [Scalar] {
        var gradient = [Scalar](repeating: 0, count: x.count)
        for i in x.indices {
            let z = W.exp(-(W(y[i]) * W(x[i])))
            let yz = Scalar(Double(y[i]) * Double(z))
            gradient[i] = Scalar(W(yz * norm) / (z + 1))
        }
        return gradient
    }
}
