/// A loss value together with its gradient with respect to one input.
public struct LossAndGradient<Scalar: Sendable>: Sendable {
    /// The loss after the reduction: per sample for `.none`, rank 0 otherwise.
    public var loss: Tensor<Scalar>
    /// The gradient of the sum of all elements of ``loss`` with respect to the
    /// differentiable input (the scores), in that input's shape.
    public var gradient: Tensor<Scalar>

    public init(loss: Tensor<Scalar>, gradient: Tensor<Scalar>) {
        self.loss = loss
        self.gradient = gradient
    }
}
