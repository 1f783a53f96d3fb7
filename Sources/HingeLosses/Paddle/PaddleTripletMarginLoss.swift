import RealModule

/// `paddle.nn.functional.pairwise_distance(x, y, p, epsilon)` (paddlepaddle 3.3.1): phi's
/// `p_norm` over the last axis of `x − y + epsilon` (epsilon added only when nonzero,
/// as a tensor of shape [1]).
public struct PaddlePairwiseDistance: Hashable, Sendable {
    public var p: Double
    public var epsilon: Double

    public init(p: Double = 2, epsilon: Double = 1e-6) {
        self.p = p
        self.epsilon = epsilon
    }

    /// The difference (its shape, a 0-d one made [1] by a nonzero epsilon) and its norms.
    func callAsFunction<T: Real & BinaryFloatingPoint>(_ x: [T], _ y: [T], shape: [Int]) -> (difference: [T], shape: [Int], norms: [T]) {
        var sub = zip(x, y).map { $0 - $1 }
        var shape = shape
        if epsilon != 0 {
            let e = T(epsilon)
            sub = sub.map { $0 + e }
            if shape.isEmpty { shape = [1] }
        }
        let width = shape.last ?? 1
        let rows = width == 0 ? shape.dropLast().reduce(1, *) : sub.count / width
        var norms = [T](repeating: 0, count: rows)
        guard width > 0 else { return (sub, shape, norms) }
        // 1/p is computed in float (porder is a float attribute)
        let inverse = Double(Float(1) / Float(p))
        for r in 0..<rows {
            let row = sub[(r * width)..<(r * width + width)].map(\.magnitude)
            if p == 0 {
                norms[r] = T(row.filter { $0 != 0 }.count)
            } else if p == .infinity {
                norms[r] = row.dropFirst().reduce(row[0]) { $1 > $0 || $1.isNaN ? $1 : $0 }
            } else if p == -.infinity {
                norms[r] = row.dropFirst().reduce(row[0]) { $1 < $0 || $1.isNaN ? $1 : $0 }
            } else {
                var acc: T = 0
                for v in row { acc += PaddleKernels.pow(v, p) }
                norms[r] = p == 1 ? acc : PaddleKernels.pow(acc, inverse)
            }
        }
        return (sub, shape, norms)
    }

    /// phi's `p_norm_grad` (epsilon 0): `pow(|v|, p−1) / pow(norm, p−1) · dy · sign(v)`,
    /// so a zero norm gives 0/0 = NaN for p > 1.
    func gradient<T: Real & BinaryFloatingPoint>(_ sub: [T], width: Int, norms: [T], upstream: [T]) -> [T] {
        guard width > 0 else { return sub }
        let q = Double(T(p - 1))
        return sub.indices.map { i in
            let r = i / width, v = sub[i]
            if p == 0 { return 0 }
            if p.isInfinite { return (v.magnitude == norms[r] ? 1 : 0) * PaddleKernels.sign(v) * upstream[r] }
            let numerator: T = q == 0 ? 1 : PaddleKernels.pow(v.magnitude, q)
            let denominator: T = q == 0 ? 1 : PaddleKernels.pow(norms[r], q)
            return ((numerator / (denominator + 0)) * upstream[r]) * PaddleKernels.sign(v)
        }
    }
}

/// PaddlePaddle's `paddle.nn.functional.triplet_margin_loss` and
/// `triplet_margin_with_distance_loss` (paddlepaddle 3.3.1), composites replayed in order:
///
///     loss = clip(d(a, p) − d(a, n) + margin, min=0),   d = pairwise_distance (p-norm of a − b + eps)
///
/// Quirks against torch (each backed by a fixture case):
/// - `margin = 0` is accepted, only a negative margin is an error (`margin0`);
/// - `clip`'s backward passes **at** the kink (`p2-eps0-kink`);
/// - the norm's backward divides by `pow(norm, p − 1)`: a zero distance has a **NaN**
///   gradient for p > 1 (`p2-eps0-a-eq-p`, torch gives 0);
/// - `1/p` is rounded to float32, so float64 norms for p ∉ {1, 2} are ~1e−8 off (`p3`);
/// - `swap` uses `minimum`, whose backward splits a tie in half (`p2-eps0-swap-tie`);
/// - `sign(NaN)` is NaN, so NaN inputs have NaN gradients even for p = 1;
/// - inputs must have equal shapes (no broadcasting); `with distance` rejects a
///   negative or NaN distance (`checksDistances`).
public struct PaddleTripletMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let margin: Double
    public let distance: PaddlePairwiseDistance
    public let swap: Bool
    public let reduction: Reduction
    /// `triplet_margin_with_distance_loss` checks that every distance is `>= 0`.
    public let checksDistances: Bool

    public struct Result: Sendable {
        public var loss: Tensor<Scalar>
        public var gradInput: Tensor<Scalar>
        public var gradPositive: Tensor<Scalar>
        public var gradNegative: Tensor<Scalar>
    }

    /// - Throws: `invalidParameter` for a negative margin.
    public init(
        margin: Double = 1, distance: PaddlePairwiseDistance = .init(), swap: Bool = false, reduction: Reduction = .mean,
        checksDistances: Bool = false
    ) throws(HingeError) {
        guard !(margin < 0) else {
            throw .invalidParameter("margin", "The margin between positive samples and negative samples should be greater than 0.")
        }
        self.margin = margin
        self.distance = distance
        self.swap = swap
        self.reduction = reduction
        self.checksDistances = checksDistances
    }

    /// - Throws: `shapeMismatch` unless the three shapes are equal; `invalidParameter`
    ///   when distances are checked and one is negative or NaN.
    public func callAsFunction(input: Tensor<Scalar>, positive: Tensor<Scalar>, negative: Tensor<Scalar>) throws(HingeError)
        -> Result
    {
        guard input.shape == positive.shape, input.shape == negative.shape else {
            throw .shapeMismatch("positive", "input's shape must equal to positive's shape and negative's shape")
        }
        let a = input.scalars, p = positive.scalars, n = negative.scalars
        let ap = distance(a, p, shape: input.shape)
        let an = distance(a, n, shape: input.shape)
        let width = ap.shape.last ?? 1
        var dNeg = an.norms
        var pn: (difference: [Scalar], shape: [Int], norms: [Scalar])?
        if swap {
            let d = distance(p, n, shape: input.shape)
            pn = d
            dNeg = zip(an.norms, d.norms).map { $0.isNaN || $1.isNaN ? $0 + $1 : Swift.min($0, $1) }
        }
        if checksDistances, !(ap.norms.allSatisfy { $0 >= 0 } && dNeg.allSatisfy { $0 >= 0 }) {
            throw .invalidParameter(
                "distance_function",
                "The positive distance or negative distance should be greater than 0, The distance functions should be checked.")
        }
        let m = Scalar(margin)
        var out = [Scalar](), passes = [Bool]()
        for (dp, dn) in zip(ap.norms, dNeg) {
            let (v, pass) = PaddleKernels.clipAtZero((dp - dn) + m)
            out.append(v)
            passes.append(pass)
        }
        let seed: Scalar = PaddleKernels.seed(count: out.count, reduction)
        let g = passes.map { $0 ? seed : 0 }
        let gNeg = g.map { -$0 }
        var gAN = gNeg, gPN = [Scalar]()
        if let pn {
            gAN = []
            for (k, (x, y)) in zip(an.norms, pn.norms).enumerated() {
                let half = gNeg[k] / 2
                gAN.append(x < y ? gNeg[k] : (x == y ? half : 0))
                gPN.append(x > y ? gNeg[k] : (x == y ? half : 0))
            }
        }
        let vAP = distance.gradient(ap.difference, width: width, norms: ap.norms, upstream: g)
        let vAN = distance.gradient(an.difference, width: width, norms: an.norms, upstream: gAN)
        var gp = vAP.map { -$0 }
        var gn = vAN.map { -$0 }
        if let pn {
            let vPN = distance.gradient(pn.difference, width: width, norms: pn.norms, upstream: gPN)
            gp = zip(gp, vPN).map { $0 + $1 }
            gn = zip(gn, vPN).map { $0 - $1 }
        }
        let outShape = Array(ap.shape.dropLast())
        return Result(
            loss: PaddleKernels.reduce(out, shape: outShape, reduction),
            gradInput: Tensor(uncheckedShape: input.shape, scalars: zip(vAP, vAN).map { $0 + $1 }),
            gradPositive: Tensor(uncheckedShape: input.shape, scalars: gp),
            gradNegative: Tensor(uncheckedShape: input.shape, scalars: gn))
    }
}
