import RealModule

/// PyTorch's margin ranking loss, `torch.nn.MarginRankingLoss` /
/// `torch.nn.functional.margin_ranking_loss`:
///
///     loss = max(0, −y · (x1 − x2) + margin)
///
/// evaluated as `((−y) · (x1 − x2)) + margin`, each step rounded as PyTorch does.
/// - The default margin is **0**, not 1.
/// - Target values are not validated: `y = 0` gives `margin`, `y = ±2` scales the difference.
/// - All three tensors must have the same number of dimensions; then they broadcast.
/// - The **target is differentiable**: `∂/∂y = −(x1 − x2)` where the clamp is active.
/// - At the kink (`−y(x1 − x2) + margin == 0`) the gradient follows ``kinkGradient``:
///   `.zero` in PyTorch 2.15, `.full` in PyTorch ≤ 2.13.
/// - A NaN makes the loss NaN; the inputs' gradients are then 0 (the clamp
///   passes nothing) and the target's is NaN (`0 · NaN`).
///
/// `Input` is the type `x1 − x2` is computed in (PyTorch's promotion of the two
/// inputs) and `Scalar` the result's (the promotion of all three); they differ
/// only for float32 inputs with a float64 target.
public struct MarginRankingLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Scalar
    public let reduction: Reduction
    public let kinkGradient: KinkGradient

    public init(margin: Scalar = 0, reduction: Reduction = .mean, kinkGradient: KinkGradient = .zero) {
        self.margin = margin
        self.reduction = reduction
        self.kinkGradient = kinkGradient
    }

    /// The loss and its gradients, each in its input's shape.
    public struct Result<Input: Sendable>: Sendable {
        public var loss: Tensor<Scalar>
        /// Computed in `Scalar`, then rounded to the input's type by the caller if it differs.
        public var gradInput1: Tensor<Input>
        public var gradInput2: Tensor<Input>
        public var gradTarget: Tensor<Scalar>
    }

    /// - Throws: `HingeError.shapeMismatch` when the ranks differ or the shapes do not broadcast.
    public func callAsFunction<Input: BinaryFloatingPoint & Sendable>(
        input1: Tensor<Input>, input2: Tensor<Input>, target: Tensor<Scalar>
    ) throws(HingeError) -> Result<Input> {
        guard input1.rank == input2.rank, input1.rank == target.rank else {
            throw .shapeMismatch(
                "target",
                "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: \(input1.shape), input2: \(input2.shape), target: \(target.shape)"
            )
        }
        let inputs = try Broadcasting.shape(input1.shape, "input1", input2.shape, "input2")
        let shape = try Broadcasting.shape(inputs, "input", target.shape, "target")
        let a = Broadcasting.expand(input1, to: shape)
        let b = Broadcasting.expand(input2, to: shape)
        let y = Broadcasting.expand(target, to: shape)
        let upstream: Scalar = TorchReduction.upstream(count: a.count, reduction)
        var values = [Scalar](repeating: 0, count: a.count)
        var gradDifference = [Input](repeating: 0, count: a.count)
        var gradTarget = [Scalar](repeating: 0, count: a.count)
        for i in a.indices {
            let difference = Scalar(a[i] - b[i])
            let z = (-y[i]) * difference + margin
            values[i] = z.isNaN ? z : (z > 0 ? z : 0)
            // clamp_min's backward passes nothing where z is NaN, but the target's
            // gradient still multiplies by the (NaN) difference, as autograd does.
            let g = upstream * kinkGradient.activeFraction(at: z)
            // mul's backward: grad·other for each factor; the difference's gradient
            // is rounded to its own type, as autograd casts it back.
            gradDifference[i] = Input(g * (-y[i]))
            gradTarget[i] = -(g * difference)
        }
        let negated = gradDifference.map { -$0 }
        return Result(
            loss: TorchReduction.reduce(values, shape: shape, reduction),
            gradInput1: Tensor(uncheckedShape: input1.shape, scalars: Broadcasting.sumToShape(gradDifference, from: shape, to: input1.shape)),
            gradInput2: Tensor(uncheckedShape: input2.shape, scalars: Broadcasting.sumToShape(negated, from: shape, to: input2.shape)),
            gradTarget: Tensor(uncheckedShape: target.shape, scalars: Broadcasting.sumToShape(gradTarget, from: shape, to: target.shape)))
    }
}
