import RealModule

/// PaddlePaddle's `paddle.nn.functional.margin_ranking_loss` (paddlepaddle 3.3.1):
///
///     loss = relu((other − input)·label + margin)
///
/// Quirks against torch (each backed by a fixture case):
/// - the margin is added only when it is nonzero, as a tensor of shape [1]: 0-d inputs
///   give shape [1] with a margin and shape [] without (`0d-margin0.5`, `0d`);
/// - `relu(NaN)` is 0, but the label's gradient is `0·NaN` = NaN (`nan-inf`);
/// - no same-rank rule: any broadcastable shapes (`other-3-label-1`);
/// - `other − input` is formed in the promotion of those two (`D`), the rest in the
///   promotion with the label (`S`, float32 or float64; an integer label is an error);
///   each gradient is rounded to its input's dtype.
public struct PaddleMarginRankingLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Double
    public let reduction: Reduction

    public init(margin: Double = 0, reduction: Reduction = .mean) {
        self.margin = margin
        self.reduction = reduction
    }

    public struct Result: Sendable {
        public var loss: Tensor<Scalar>
        public var gradInput: Tensor<Scalar>
        public var gradOther: Tensor<Scalar>
        public var gradLabel: Tensor<Scalar>
    }

    /// `input` and `other` in their promoted type `D`, the label in `Scalar`.
    ///
    /// - Throws: `shapeMismatch` when the shapes do not broadcast.
    public func callAsFunction<D: Real & BinaryFloatingPoint & Sendable>(
        input: Tensor<D>, other: Tensor<D>, label: Tensor<Scalar>
    ) throws(HingeError) -> Result {
        let dShape = try PaddleKernels.broadcast(other.shape, input.shape, argument: "input")
        let x1 = Broadcasting.expand(input, to: dShape), x2 = Broadcasting.expand(other, to: dShape)
        let d = zip(x2, x1).map { Scalar($0 - $1) }
        var shape = try PaddleKernels.broadcast(dShape, label.shape, argument: "label")
        if margin != 0 { shape = try PaddleKernels.broadcast(shape, [1], argument: "label") }
        let dWide = Broadcasting.expand(Tensor(uncheckedShape: dShape, scalars: d), to: shape)
        let y = Broadcasting.expand(label, to: shape)
        let m = Scalar(margin)
        let out = zip(dWide, y).map { PaddleKernels.relu(margin != 0 ? $0 * $1 + m : $0 * $1) }
        let g: Scalar = PaddleKernels.seed(count: out.count, reduction)
        let gu = out.map { $0 > 0 ? g : 0 }
        let gD = Broadcasting.sumToShape(zip(gu, y).map { $0 * $1 }, from: shape, to: dShape).map { D($0) }
        let gInput = Broadcasting.sumToShape(gD.map { -$0 }, from: dShape, to: input.shape)
        let gOther = Broadcasting.sumToShape(gD, from: dShape, to: other.shape)
        let gLabel = Broadcasting.sumToShape(zip(gu, dWide).map { $0 * $1 }, from: shape, to: label.shape)
        return Result(
            loss: PaddleKernels.reduce(out, shape: shape, reduction),
            gradInput: Tensor(uncheckedShape: input.shape, scalars: gInput.map { Scalar($0) }),
            gradOther: Tensor(uncheckedShape: other.shape, scalars: gOther.map { Scalar($0) }),
            gradLabel: Tensor(uncheckedShape: label.shape, scalars: gLabel))
    }
}
