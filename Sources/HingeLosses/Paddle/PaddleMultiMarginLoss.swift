import RealModule

/// PaddlePaddle's `paddle.nn.functional.multi_margin_loss` (paddlepaddle 3.3.1,
/// `python/paddle/nn/functional/loss.py`), a composite of Paddle ops replayed in order:
///
///     loss[n] = mean_c(w[y]·pow(clip(margin − x[n, y] + x[n, c], min=0), p)) − w[y]·(margin^p / C)
///
/// Quirks against torch's kernel (each backed by a fixture case):
/// - the target's own term `margin^p` is **included** and subtracted afterwards in
///   floating point, and `margin^p / C` is rounded to **float32** first, so float64
///   losses are off by ~1e−9 and a row of zeros need not give exactly 0;
/// - a negative margin is accepted and gives `−margin^p / C` where every term clips to 0
///   (`p1-margin-0.5`); `p` is not validated (`p3`);
/// - `clip`'s backward passes **at** the kink (`z == 0`): the gradient there is the full
///   slope (`p1-kink`);
/// - NaN propagates (torch drops a NaN class); `+inf` is clipped to the dtype's largest
///   value, whose gradient is 0 (`p1-inf`);
/// - the label may be `(N)` or `(N, 1)`; an empty batch's mean is NaN, its sum 0.
public struct PaddleMultiMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let p: Double
    public let margin: Double
    public let weight: Tensor<Scalar>?
    public let reduction: Reduction

    public init(p: Double = 1, margin: Double = 1, weight: Tensor<Scalar>? = nil, reduction: Reduction = .mean) {
        self.p = p
        self.margin = margin
        self.weight = weight
        self.reduction = reduction
    }

    /// - Parameters:
    ///   - input: `(N, C)` scores.
    ///   - label: class indices, `(N)` or `(N, 1)`.
    /// - Throws: `shapeMismatch` for an input that is not 2-D, a label without one index
    ///   per row or a weight without `C` elements; `invalidTarget` for an index outside `0..<C`.
    public func callAsFunction(input: Tensor<Scalar>, label: Tensor<Int>) throws(HingeError) -> LossAndGradient<Scalar> {
        guard input.rank >= 1, label.rank >= 1 else { throw .shapeMismatch("label", "list index out of range") }
        guard input.shape[0] == label.shape[0] else {
            throw .shapeMismatch("label", "The label's shape[0] should be equal to input's shape[0]")
        }
        guard input.rank == 2 else { throw .shapeMismatch("input", "Inputs(X) shape of IndexSample op should be 2-D") }
        guard label.count == input.shape[0] else {
            throw .shapeMismatch("label", "Inputs(X)'s value of dimension 0 must same with Inputs(Index)'s")
        }
        let n = input.shape[0], c = input.shape[1]
        for y in label.scalars where !(0..<c).contains(y) {
            throw .invalidTarget("label", "index \(y) is outside 0..<\(c)")
        }
        if let weight {
            guard weight.rank >= 1 else { throw .shapeMismatch("weight", "list index out of range") }
            guard weight.rank == 1, weight.count == c else {
                throw .shapeMismatch("weight", "The weight's shape[0] should be equal to input's shape[1]")
            }
        }
        let x = input.scalars
        let m = Scalar(margin)
        let top = Double(Float(p)) // pow's exponent is a float32 attribute
        // Python's margin ** p (a negative margin with an integral p keeps its sign), / C,
        // then the scalar op's float32 attribute
        let power = p.rounded() == p && p.magnitude < 64 ? Double.pow(margin, Int(p)) : Double.pow(margin, p)
        let correction = Scalar(Float(power / Double(c)))
        let pScalar = Scalar(p)
        var losses = [Scalar](repeating: 0, count: n)
        var clipped = [Scalar](repeating: 0, count: n * c)
        var passes = [Bool](repeating: false, count: n * c)
        var terms = [Scalar](repeating: 0, count: c)
        for r in 0..<n {
            let y = label.scalars[r], base = r * c
            let w = weight?.scalars[y]
            let xs = x[base + y]
            for k in 0..<c {
                let (v, pass) = PaddleKernels.clipAtZero((m - xs) + x[base + k])
                clipped[base + k] = v
                passes[base + k] = pass
                let powered = PaddleKernels.pow(v, top)
                terms[k] = w.map { $0 * powered } ?? powered
            }
            let rowMean = PaddleKernels.axisSum(terms[...]) / Scalar(c)  // mean(axis=1)
            losses[r] = rowMean - (w.map { $0 * correction } ?? correction)
        }
        let g: Scalar = PaddleKernels.seed(count: n, reduction)
        let gTerm = g / Scalar(c)
        var grad = [Scalar](repeating: 0, count: n * c)
        for r in 0..<n {
            let y = label.scalars[r], base = r * c
            let gPow = weight.map { gTerm * $0.scalars[y] } ?? gTerm
            var acc: Scalar = 0
            for k in 0..<c {
                let v = clipped[base + k]
                let slope: Scalar
                // pow's backward: dout * factor * pow(x, factor − 1), left to right
                if p == 1 {
                    slope = gPow * pScalar
                } else if p == 2 {
                    slope = (gPow * pScalar) * v
                } else {
                    slope = (gPow * pScalar) * PaddleKernels.pow(v, Double(pScalar - 1))
                }
                let gz = passes[base + k] ? slope : 0
                grad[base + k] = gz
                acc += gz
            }
            grad[base + y] -= acc
        }
        return LossAndGradient(
            loss: PaddleKernels.reduce(losses, shape: [n], reduction),
            gradient: Tensor(uncheckedShape: input.shape, scalars: grad))
    }
}
