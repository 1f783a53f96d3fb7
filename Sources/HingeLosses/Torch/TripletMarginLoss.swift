import RealModule

/// PyTorch's triplet margin loss, `torch.nn.TripletMarginLoss` /
/// `torch.nn.functional.triplet_margin_loss`:
///
///     d(u, v) = ‖u − v + eps‖_p          (over the last dimension)
///     loss    = max(0, margin + d(a, p) − d(a, n))
///
/// - `eps` is added to the **difference vector**, not to the norm, so `a == p`
///   still has a non-zero gradient with the default `eps = 1e-6`.
/// - With `swap`, `d(a, n)` is replaced by `min(d(a, n), d(p, n))`; a tie splits
///   the gradient equally (PyTorch's `minimum` backward).
/// - `margin` must be > 0; `p` may be any positive real (1 and 2 are the usual).
/// - The three tensors must have the same rank, then broadcast; a 1-D or 0-d
///   triplet gives a 0-d loss.
/// - At the kink (`margin + d(a,p) − d(a,n) == 0`) the gradient follows
///   ``kinkGradient``: `.zero` in PyTorch 2.15, `.full` in PyTorch ≤ 2.13. A zero
///   distance has a zero gradient (the norm's subgradient at 0).
///
/// Norms are summed in the input's type in the order of PyTorch's CPU kernels (so
/// float32 overflows where PyTorch's does): see ``Distance/sumOfSquares(_:)`` for p = 2;
/// other p are sequential sums of `pow(|x|, p)`.
public struct TripletMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Scalar
    public let p: Scalar
    public let eps: Scalar
    public let swap: Bool
    public let reduction: Reduction
    public let kinkGradient: KinkGradient

    /// - Throws: `HingeError.invalidParameter` for `margin ≤ 0` or a non-positive or NaN `p`.
    public init(
        margin: Scalar = 1, p: Scalar = 2, eps: Scalar = 1e-6, swap: Bool = false, reduction: Reduction = .mean,
        kinkGradient: KinkGradient = .zero
    ) throws(HingeError) {
        guard margin > 0 else { throw .invalidParameter("margin", "margin must be greater than 0, got \(margin)") }
        guard p > 0 else { throw .invalidParameter("p", "p must be a positive number, got \(p)") }
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap
        self.reduction = reduction
        self.kinkGradient = kinkGradient
    }

    public struct Result: Sendable {
        public var loss: Tensor<Scalar>
        public var gradAnchor: Tensor<Scalar>
        public var gradPositive: Tensor<Scalar>
        public var gradNegative: Tensor<Scalar>
    }

    /// - Throws: `HingeError.shapeMismatch` when the ranks differ or the shapes do not broadcast.
    public func callAsFunction(
        anchor: Tensor<Scalar>, positive: Tensor<Scalar>, negative: Tensor<Scalar>
    ) throws(HingeError) -> Result {
        guard anchor.rank == positive.rank, anchor.rank == negative.rank else {
            throw .shapeMismatch(
                "positive",
                "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor \(anchor.rank)D, positive \(positive.rank)D, and negative \(negative.rank)D inputs"
            )
        }
        let ap = try Broadcasting.shape(anchor.shape, "anchor", positive.shape, "positive")
        let broadcast = try Broadcasting.shape(ap, "anchor", negative.shape, "negative")
        // 0-d points are points of one coordinate, as PyTorch's norm over dim −1 treats them.
        let shape = broadcast.isEmpty ? [1] : broadcast
        let a = Broadcasting.expand(anchor, to: shape)
        let pos = Broadcasting.expand(positive, to: shape)
        let neg = Broadcasting.expand(negative, to: shape)
        let width = shape[shape.count - 1]
        // Rows of no coordinates ([Int.max, 0]) still get one loss each: they must fit.
        guard Validate.fitsInMemory(Array(shape.dropLast())) else {
            throw .shapeMismatch("anchor", "\(shape) has more rows than memory can address a result for")
        }
        let rows = width == 0 ? shape.dropLast().reduce(1, *) : a.count / width
        let upstream: Scalar = TorchReduction.upstream(count: rows, reduction)
        // A last dimension of size 1 is a reduction over one element, which torch's norm
        // answers with |x| (no x·x to overflow, no pow round trip); a 0-d input is not.
        let trivial = !broadcast.isEmpty && width == 1

        var values = [Scalar](repeating: 0, count: rows)
        var gradA = [Scalar](repeating: 0, count: a.count)
        var gradP = [Scalar](repeating: 0, count: a.count)
        var gradN = [Scalar](repeating: 0, count: a.count)
        for r in 0..<rows {
            let range = (r * width)..<(r * width + width)
            let dAP = Distance(u: a[range], v: pos[range], p: p, eps: eps, trivialReduction: trivial)
            let dAN = Distance(u: a[range], v: neg[range], p: p, eps: eps, trivialReduction: trivial)
            let dPN = swap ? Distance(u: pos[range], v: neg[range], p: p, eps: eps, trivialReduction: trivial) : nil
            var negativeDistance = dAN.value
            if let dPN, dPN.value < negativeDistance || negativeDistance.isNaN { negativeDistance = dPN.value }
            let z = (margin + dAP.value) - negativeDistance
            values[r] = z.isNaN ? z : (z > 0 ? z : 0)
            // No early exit for g == 0: like autograd, a NaN distance still turns
            // its zero upstream gradient into NaN (0 · NaN).
            let g = upstream * kinkGradient.activeFraction(at: z)
            // minimum's backward: the smaller distance takes the gradient, a tie halves it.
            var gAN = -g
            var gPN: Scalar = 0
            if let dPN {
                if dPN.value == dAN.value {
                    gAN = -g / 2
                    gPN = -g / 2
                } else if dPN.value < dAN.value {
                    gAN = 0
                    gPN = -g
                }
            }
            dAP.accumulate(g, into: &gradA, &gradP, at: range)
            dAN.accumulate(gAN, into: &gradA, &gradN, at: range)
            dPN?.accumulate(gPN, into: &gradP, &gradN, at: range)
        }
        let lossShape = Array(shape.dropLast())
        return Result(
            loss: TorchReduction.reduce(values, shape: lossShape, reduction),
            gradAnchor: Tensor(uncheckedShape: anchor.shape, scalars: Broadcasting.sumToShape(gradA, from: shape, to: anchor.shape)),
            gradPositive: Tensor(uncheckedShape: positive.shape, scalars: Broadcasting.sumToShape(gradP, from: shape, to: positive.shape)),
            gradNegative: Tensor(uncheckedShape: negative.shape, scalars: Broadcasting.sumToShape(gradN, from: shape, to: negative.shape)))
    }

    /// `‖u − v + eps‖_p` of one row and what its gradient needs.
    struct Distance {
        let difference: [Scalar]
        let value: Scalar
        let p: Scalar

        init(u: ArraySlice<Scalar>, v: ArraySlice<Scalar>, p: Scalar, eps: Scalar, trivialReduction: Bool) {
            difference = zip(u, v).map { ($0 - $1) + eps }
            self.p = p
            if trivialReduction {
                value = difference[0].magnitude
                return
            }
            // linalg_vector_norm as torch's CPU reduction runs it: sums in the input's type
            // (so float32 overflows where torch's does); p = 2 has its own kernel, other p a
            // sequential sum of std::pow(|x|, p) (not Tensor.pow: p = 3 is not x·x·x), then
            // pow(sum, 1/p) with 1/p rounded to the type.
            var total: Scalar = 0
            if p.isInfinite {
                for d in difference { total = d.isNaN || total.isNaN ? .nan : Swift.max(total, d.magnitude) }
            } else if p == 1 {
                for d in difference { total += d.magnitude }
            } else if p == 2 {
                total = Distance.sumOfSquares(difference).squareRoot()
            } else {
                for d in difference { total += Scalar(Double.pow(Double(d.magnitude), Double(p))) }
                total = Scalar(Double.pow(Double(total), Double(1 / p)))
            }
            value = total
        }

        /// The sum of squares of torch's `norm_two` last-dimension kernel
        /// (ReduceOpsKernel.cpp, `binary_kernel_reduce_lastdim`), in its order:
        /// `Vectorized` lanes (8 floats or 4 doubles with AVX2) accumulate `x*x` over
        /// whole vectors, the lanes are added left to right, and the tail is a scalar
        /// loop the compiler contracts to fused multiply-adds, except that a float tail
        /// of 4 or more starts with 4 rounded products added in turn (its vectorised
        /// prologue). Measured bit for bit against torch 2.15 for 1 ≤ D ≤ 257.
        static func sumOfSquares(_ x: [Scalar]) -> Scalar {
            let width = Scalar.self == Float.self ? 8 : 4
            let whole = x.count - x.count % width
            var lanes = [Scalar](repeating: 0, count: width)
            for start in stride(from: 0, to: whole, by: width) {
                for j in 0..<width { lanes[j] += x[start + j] * x[start + j] }
            }
            var total = lanes[0]
            for j in 1..<width { total = total + lanes[j] }
            var d = whole
            if width == 8 && x.count - d >= 4 {
                for k in d..<(d + 4) { total = total + x[k] * x[k] }
                d += 4
            }
            for k in d..<x.count { total = total.addingProduct(x[k], x[k]) }
            return total
        }

        /// `Tensor.pow(scalar)`: exact products for the exponents 0 to 3, else the
        /// correctly rounded power (torch's vectorised pow is within an ulp of it).
        static func power(_ x: Scalar, _ exponent: Scalar) -> Scalar {
            switch exponent {
            case 0: return 1
            case 1: return x
            case 2: return x * x
            case 3: return x * x * x
            default: return Scalar(Double.pow(Double(x), Double(exponent)))
            }
        }

        /// Adds `g · ∂d/∂u` to `gradU` and `−g · ∂d/∂u` to `gradV` (since `∂d/∂v = −∂d/∂u`).
        func accumulate(_ g: Scalar, into gradU: inout [Scalar], _ gradV: inout [Scalar], at range: Range<Int>) {
            for (k, d) in difference.enumerated() {
                let partial = backward(g, d)
                gradU[range.lowerBound + k] += partial
                gradV[range.lowerBound + k] -= partial
            }
        }

        /// `g · ∂‖v‖_p / ∂v_k` in the shape of PyTorch's `norm_backward`:
        /// `v·(g/‖v‖)` for p = 2, `sgn(v)·g` for p = 1,
        /// `sgn(v)·|v|^(p−1) · (g/‖v‖^(p−1))` otherwise; 0 where the norm is 0.
        private func backward(_ g: Scalar, _ d: Scalar) -> Scalar {
            // PyTorch's sgn(NaN) is 0, so a NaN coordinate gets no gradient for p = 1.
            let sign: Scalar = d > 0 ? 1 : (d < 0 ? -1 : 0)
            if p == 1 { return sign * g }
            guard value != 0 else { return 0 }
            if p == 2 { return g * (d / value) }
            if p.isInfinite {
                let ties = difference.count { $0.magnitude == value }
                return d.magnitude == value ? sign * (g / Scalar(ties)) : 0
            }
            let scaled = p < 2 ? sign * Distance.power(d.magnitude, p - 1) : d * Distance.power(d.magnitude, p - 2)
            return scaled * (g / Distance.power(value, p - 1))
        }

    }
}
