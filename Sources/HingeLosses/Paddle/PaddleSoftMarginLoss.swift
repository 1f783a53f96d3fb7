import RealModule

/// PaddlePaddle's `paddle.nn.functional.soft_margin_loss` (paddlepaddle 3.3.1):
///
///     loss = log(1 + exp(−label·x)),   label cast to the input's dtype
///
/// Quirks against torch (each backed by a fixture case, `extremes`):
/// - `log(1 + e)`, not `log1p`: once `exp(−y·x)` is below half an ulp of 1 the loss is
///   exactly 0 (float32 from `y·x ≈ 17`), while the gradient stays nonzero;
/// - Eigen's packet `exp` clamps its argument from below, so a very large `y·x` gives a
///   tiny nonzero gradient (−2.9e−39 in float32) where `std::exp` would give 0 — for the
///   elements in whole packets of the flat buffer only;
/// - `exp` overflows: float32 loss `inf`, gradient NaN, below `y·x ≈ −88.7`;
/// - input and label must have equal shapes (no broadcasting); the label has a gradient.
public struct PaddleSoftMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let reduction: Reduction

    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public struct Result: Sendable {
        public var loss: Tensor<Scalar>
        public var gradInput: Tensor<Scalar>
        /// In the input's type; Paddle rounds it to the label's dtype.
        public var gradLabel: Tensor<Scalar>
    }

    /// - Throws: `shapeMismatch` unless `label` has the input's shape.
    public func callAsFunction(input: Tensor<Scalar>, label: Tensor<Scalar>) throws(HingeError) -> Result {
        guard input.shape == label.shape else {
            throw .shapeMismatch("label", "input's shape must equal to label's shape")
        }
        let x = input.scalars, y = label.scalars
        let e = PaddleKernels.exp(zip(x, y).map { -$1 * $0 })
        let s = e.map { 1 + $0 }
        let out = s.map { PaddleKernels.log($0) }
        let g: Scalar = PaddleKernels.seed(count: out.count, reduction)
        let gt = zip(s, e).map { (g / $0) * $1 }
        return Result(
            loss: PaddleKernels.reduce(out, shape: input.shape, reduction),
            gradInput: Tensor(uncheckedShape: input.shape, scalars: zip(gt, y).map { $0 * -$1 }),
            gradLabel: Tensor(uncheckedShape: input.shape, scalars: zip(gt, x).map { -($0 * $1) }))
    }
}
