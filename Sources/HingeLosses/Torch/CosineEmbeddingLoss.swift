import RealModule

/// PyTorch's cosine embedding loss, `torch.nn.CosineEmbeddingLoss` /
/// `torch.nn.functional.cosine_embedding_loss` (torch 2.15.0, the composite
/// `cosine_embedding_loss` of `aten/src/ATen/native/Loss.cpp`), in ATen's order:
///
///     prod_sum = Σ x1·x2            m_i = Σ x_i·x_i + EPSILON          (sums over the last dimension)
///     cos      = prod_sum / sqrt(m1 · m2)
///     loss     = where(y == 1, 1 − cos, 0) + where(y == −1, max(0, cos − margin), 0)
///
/// Quirks, each in the fixtures:
/// - `EPSILON` is a `constexpr float` (`1e-12f`): float64 losses add
///   `Double(Float(1e-12))` = 9.999999960041972e-13, not 1e-12.
/// - The norms are multiplied **before** the square root, so in float32 two vectors of
///   squared norms above ~1.8e19 overflow `m1 · m2` to infinity and `cos` becomes 0:
///   a pair of equal large vectors costs 1 for `y = +1`.
/// - Zero vectors have `cos = 0` (0 / sqrt(EPSILON·m)) and a gradient of order
///   `1 / sqrt(EPSILON·m)`, finite but huge.
/// - Targets other than ±1 (0, 0.5, 2, NaN) select neither branch: their loss is 0.
///   No target is validated.
/// - `input1` and `input2` broadcast inside `x1 · x2` but each norm is its own:
///   `input2` of shape (N, 1) against (N, D) gives |cos| > 1.
/// - A 1-D target needs 2-D inputs (rows), a 0-d target 1-D inputs; the rows
///   broadcast with the target. `margin` is unchecked (negative is fine).
/// - At the kink `cos − margin == 0` (y = −1) the gradient follows ``kinkGradient``:
///   `.zero` in torch 2.15 (`clamp_min`'s `self > min`), `.full` in torch ≤ 2.13.
///
/// The row sums are torch's CPU sum kernel (``TorchSum``), the reduction
/// ``TorchReduction``; the gradient is autograd's chain through the same ops
/// (division, `sqrt`'s `grad / (2·result)`, the product, `x·x` sending `grad·x` down
/// both edges). The square root here is correctly rounded; torch 2.15's vectorised float
/// `sqrt` is not (on the AVX-512 machine the fixtures were made on, about one float32 value
/// in five is 1 ulp off), so results may differ from torch by that ulp, which rows with
/// |cos| = 1, whose gradients cancel to rounding residues, show as absolute differences
/// of ~1e-6 (fixture tolerance: float32 rtol 2e-6, atol 1e-6).
public struct CosineEmbeddingLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Scalar
    public let reduction: Reduction
    public let kinkGradient: KinkGradient

    /// ATen's `EPSILON`, a float constant, in `Scalar`.
    public static var epsilon: Scalar { Scalar(Float(1e-12)) }

    public init(margin: Scalar = 0, reduction: Reduction = .mean, kinkGradient: KinkGradient = .zero) {
        self.margin = margin
        self.reduction = reduction
        self.kinkGradient = kinkGradient
    }

    public struct Result: Sendable {
        public var loss: Tensor<Scalar>
        public var gradInput1: Tensor<Scalar>
        public var gradInput2: Tensor<Scalar>
    }

    /// - Parameter target: compared with ±1 only, in its own type (a float64 target
    ///   of a float32 loss is not rounded first).
    /// - Throws: `HingeError.shapeMismatch` for a target that is not 0-d or 1-D, inputs
    ///   of the wrong rank for it, inputs that do not broadcast, or rows that do not
    ///   broadcast with the target (torch's checks, in its order).
    public func callAsFunction<Target: BinaryFloatingPoint>(
        input1: Tensor<Scalar>, input2: Tensor<Scalar>, target: Tensor<Target>
    ) throws(HingeError) -> Result {
        guard target.rank <= 1 else {
            throw .shapeMismatch("target", "0D or 1D target tensor expected, multi-target not supported")
        }
        let rank = target.rank + 1
        guard input1.rank == rank, input2.rank == rank else {
            throw .shapeMismatch(
                input1.rank == rank ? "input2" : "input1",
                "\(target.rank)D target tensor expects \(rank)D input tensors, but found inputs with sizes \(input1.shape) and \(input2.shape)."
            )
        }
        let shape = try Broadcasting.shape(input1.shape, "input1", input2.shape, "input2")
        let width = shape[rank - 1]
        let rowShape = Array(shape.dropLast())
        let rows1 = Array(input1.shape.dropLast()), rows2 = Array(input2.shape.dropLast())
        let outShape = try Broadcasting.shape(target.shape, "target", rowShape, "input1")
        let rowCount = rowShape.reduce(1, *)

        let x1 = Broadcasting.expand(input1, to: shape), x2 = Broadcasting.expand(input2, to: shape)
        // Each norm is over its own input's rows (not the broadcast ones), then broadcast.
        let m1 = squaredNorms(input1.scalars, rows: rows1.reduce(1, *), width: input1.shape[rank - 1])
        let m2 = squaredNorms(input2.scalars, rows: rows2.reduce(1, *), width: input2.shape[rank - 1])
        let row1 = Broadcasting.sourceIndices(of: rows1, in: rowShape)
        let row2 = Broadcasting.sourceIndices(of: rows2, in: rowShape)
        var prodSum = [Scalar](repeating: 0, count: rowCount)
        var denom = [Scalar](repeating: 0, count: rowCount)
        var cos = [Scalar](repeating: 0, count: rowCount)
        for r in 0..<rowCount {
            let range = (r * width)..<(r * width + width)
            prodSum[r] = TorchSum.sum(zip(x1[range], x2[range]).map { $0 * $1 })
            denom[r] = (m1[row1[r]] * m2[row2[r]]).squareRoot()
            cos[r] = prodSum[r] / denom[r]
        }

        // where(target == 1, 1 − cos, 0) + where(target == −1, clamp_min(cos − margin, 0), 0)
        let y = Broadcasting.expand(target, to: outShape)
        let c = Broadcasting.expand(Tensor(uncheckedShape: rowShape, scalars: cos), to: outShape)
        var values = [Scalar](repeating: 0, count: y.count)
        for i in y.indices {
            let positive: Scalar = y[i] == 1 ? 1 - c[i] : 0
            let u = c[i] - margin
            let negative: Scalar = y[i] == -1 ? (u.isNaN ? u : Swift.max(u, 0)) : 0
            values[i] = positive + negative
        }

        // Backward, op by op: the where's gradients summed back onto the rows, then
        // rsub's −grad and clamp_min's kink rule, the division, sqrt, the product.
        let g: Scalar = TorchReduction.upstream(count: values.count, reduction)
        let gPos = Broadcasting.sumToShape(y.map { $0 == 1 ? g : 0 }, from: outShape, to: rowShape)
        let gNeg = Broadcasting.sumToShape(y.map { $0 == -1 ? g : 0 }, from: outShape, to: rowShape)
        var gProd = [Scalar](repeating: 0, count: rowCount)
        var gQ1 = [Scalar](repeating: 0, count: rowCount)
        var gQ2 = [Scalar](repeating: 0, count: rowCount)
        for r in 0..<rowCount {
            let gCos = -gPos[r] + kinkGradient.activeFraction(at: cos[r] - margin) * gNeg[r]
            gProd[r] = gCos / denom[r]
            let gDenom = -gCos * ((prodSum[r] / denom[r]) / denom[r])
            let gQ = gDenom / (2 * denom[r])
            gQ1[r] = gQ * m2[row2[r]]
            gQ2[r] = gQ * m1[row1[r]]
        }
        let gM1 = Broadcasting.sumToShape(gQ1, from: rowShape, to: rows1)
        let gM2 = Broadcasting.sumToShape(gQ2, from: rowShape, to: rows2)
        var cross1 = [Scalar](repeating: 0, count: x1.count)
        var cross2 = [Scalar](repeating: 0, count: x1.count)
        for k in x1.indices {
            let gp = gProd[width == 0 ? 0 : k / width]
            cross1[k] = gp * x2[k]
            cross2[k] = gp * x1[k]
        }
        return Result(
            loss: TorchReduction.reduce(values, shape: outShape, reduction),
            gradInput1: gradient(input1, gM1, sumToShape(cross1, from: shape, to: input1.shape)),
            gradInput2: gradient(input2, gM2, sumToShape(cross2, from: shape, to: input2.shape)))
    }

    /// autograd's `sum_to` of the product's gradient onto an input: a broadcast last
    /// dimension is summed per row in torch's order (the sum cancels on rows with
    /// |cos| = 1, so its order shows), then broadcast rows in turn.
    private func sumToShape(_ g: [Scalar], from shape: [Int], to target: [Int]) -> [Scalar] {
        let width = shape[shape.count - 1]
        guard target[target.count - 1] == 1, width != 1 else {
            return Broadcasting.sumToShape(g, from: shape, to: target)
        }
        let rows = width == 0 ? shape.dropLast().reduce(1, *) : g.count / width
        let sums = (0..<rows).map { r in TorchSum.sum(Array(g[(r * width)..<(r * width + width)])) }
        return Broadcasting.sumToShape(sums, from: Array(shape.dropLast()) + [1], to: target)
    }

    /// `(x·x).sum(−1) + EPSILON` per row, in torch's sum order.
    private func squaredNorms(_ x: [Scalar], rows: Int, width: Int) -> [Scalar] {
        (0..<rows).map { r in
            TorchSum.sum(x[(r * width)..<(r * width + width)].map { $0 * $0 }) + Self.epsilon
        }
    }

    /// An input's gradient: `x · x` sends `gM·x` down both of its edges (an exact
    /// doubling), to which autograd adds the product's term.
    private func gradient(_ x: Tensor<Scalar>, _ gM: [Scalar], _ cross: [Scalar]) -> Tensor<Scalar> {
        let width = x.shape.last ?? 1
        var result = [Scalar](repeating: 0, count: x.count)
        for k in x.scalars.indices {
            let t = gM[width == 0 ? 0 : k / width] * x.scalars[k]
            result[k] = (t + t) + cross[k]
        }
        return Tensor(uncheckedShape: x.shape, scalars: result)
    }
}
