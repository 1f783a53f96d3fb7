import RealModule

/// PaddlePaddle's `paddle.nn.functional.hinge_embedding_loss` (paddlepaddle 3.3.1):
///
///     loss = where(label == 1, x, 0) + where(label == −1, relu(margin − x), 0)
///
/// Quirks against torch (each backed by a fixture case):
/// - a label other than ±1 gives **0** (torch takes both branches) (`labels-0-2-0.5`);
/// - `relu(NaN)` is 0, so a NaN input with label −1 has loss 0 (`nan-inf`);
/// - relu's gradient at the kink `margin − x == 0` is 0 (`kink`);
/// - the zeros are a tensor of shape [1], so 0-d inputs give a result of shape [1] (`0d`);
/// - `==` on floats is phi's `|a − b| < 1e−15`, in the label's own type: float64
///   labels a few ulp from ±1 count as ±1 (`label-near-1-float64`);
/// - input and label broadcast; the label may be any numeric dtype.
public struct PaddleHingeEmbeddingLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Scalar
    public let reduction: Reduction

    public init(margin: Scalar = 1, reduction: Reduction = .mean) {
        self.margin = margin
        self.reduction = reduction
    }

    /// `label == value` as Paddle compares floats: `|label − value| < 1e−15` in the label's type.
    static func equal<L: BinaryFloatingPoint>(_ label: L, _ value: L) -> Bool { Double((label - value).magnitude) < 1e-15 }

    /// - Parameter label: in its own type (integers as `Double`): the comparison with ±1
    ///   happens there.
    /// - Throws: `shapeMismatch` when input and label do not broadcast.
    public func callAsFunction<L: BinaryFloatingPoint & Sendable>(input: Tensor<Scalar>, label: Tensor<L>) throws(HingeError)
        -> LossAndGradient<Scalar>
    {
        let shape = try PaddleKernels.broadcast(
            try PaddleKernels.broadcast(input.shape, label.shape, argument: "label"), [1], argument: "label")
        let x = Broadcasting.expand(input, to: shape)
        let labels = Broadcasting.expand(label, to: shape)
        // 1 for label == 1, −1 for label == −1, else 0
        let y: [Int] = labels.map { Self.equal($0, 1) ? 1 : (Self.equal($0, -1) ? -1 : 0) }
        let out = zip(x, y).map { xi, yi in
            (yi == 1 ? xi : 0) + (yi == -1 ? PaddleKernels.relu(margin - xi) : 0)
        }
        let g: Scalar = PaddleKernels.seed(count: out.count, reduction)
        let first = Broadcasting.sumToShape(y.map { $0 == 1 ? g : 0 }, from: shape, to: input.shape)
        let second = Broadcasting.sumToShape(y.map { $0 == -1 ? g : 0 }, from: shape, to: input.shape)
        let grad = input.scalars.indices.map { i in
            first[i] - second[i] * (PaddleKernels.relu(margin - input.scalars[i]) > 0 ? 1 : 0)
        }
        return LossAndGradient(
            loss: PaddleKernels.reduce(out, shape: shape, reduction), gradient: Tensor(uncheckedShape: input.shape, scalars: grad))
    }
}
