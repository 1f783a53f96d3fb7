import RealModule

extension Optax {
    /// The exponent of `jnp.power(x, norm_degree)`: JAX takes a Python `int` to
    /// `lax.integer_pow` (repeated products, exact) and a `float` to `lax.pow`.
    public enum NormDegree: Hashable, Sendable {
        case integer(Int)
        case real(Double)

        var value: Double {
            switch self {
            case .integer(let n): Double(n)
            case .real(let y): y
            }
        }
    }

    /// `optax.losses.triplet_margin_loss(anchors, positives, negatives, axis=-1,
    /// norm_degree=2, margin=1.0, eps=1e-6)` (optax 0.2.8,
    /// `optax/losses/_self_supervised.py`), per triplet, with no reduction:
    ///
    ///     d(x, y) = power(power(x − y, norm_degree).sum(axis) + eps, 1 / norm_degree)
    ///     loss    = maximum(d(a, p) − d(a, n) + margin, 0)
    ///
    /// Quirks, each in the fixtures:
    /// - **No `abs`**: an odd degree sums signed powers. `norm_degree=1` is the signed
    ///   sum of the differences (a "distance" that can be negative), degree 3 with a
    ///   negative sum is NaN under the cube root.
    /// - `eps` is added to the **sum** inside the root (torch adds it to each
    ///   difference): `a == p` is at distance `eps^(1/degree)` (1e-3 for the defaults)
    ///   with a zero gradient; with `eps = 0` the root's derivative at 0 is infinite
    ///   and the gradient NaN.
    /// - No swap and no reduction; `axis` picks the feature axis; the inputs broadcast.
    /// - `norm_degree = 0` fails on Python's `1 / 0`; an integer input is rejected.
    /// - `jnp.maximum` splits the tie: half the gradient at `d(a,p) − d(a,n) + margin == 0`.
    /// - XLA flushes subnormals (``SubnormalMode/flushToZero``): a subnormal square is 0.
    ///
    /// The sums run in order along the axis; XLA's `pow` is within an ulp of C's.
    /// - Throws: `HingeError.shapeMismatch` for shapes that do not broadcast,
    ///   `.invalidParameter` for an axis out of range or `norm_degree` 0, in optax's order.
    public static func tripletMarginLoss<Scalar: Real & BinaryFloatingPoint & Sendable>(
        anchors: Tensor<Scalar>, positives: Tensor<Scalar>, negatives: Tensor<Scalar>, axis: Int = -1,
        normDegree: NormDegree = .integer(2), margin: Scalar = 1, eps: Scalar = 1e-6
    ) throws(HingeError) -> TripletResult<Scalar> {
        let f = SubnormalMode.flushToZero
        let a = Tensor(uncheckedShape: anchors.shape, scalars: f(anchors.scalars))
        let p = Tensor(uncheckedShape: positives.shape, scalars: f(positives.scalars))
        let n = Tensor(uncheckedShape: negatives.shape, scalars: f(negatives.scalars))
        let dP = try TripletDistance(a, p, "positives", axis: axis, degree: normDegree, eps: eps)
        let dN = try TripletDistance(a, n, "negatives", axis: axis, degree: normDegree, eps: eps)
        let shape = try Broadcasting.shape(dP.reducedShape, "positives", dN.reducedShape, "negatives")
        let dp = Broadcasting.expand(Tensor(uncheckedShape: dP.reducedShape, scalars: dP.value), to: shape)
        let dn = Broadcasting.expand(Tensor(uncheckedShape: dN.reducedShape, scalars: dN.value), to: shape)
        var values = [Scalar](repeating: 0, count: dp.count)
        var slope = [Scalar](repeating: 0, count: dp.count)
        for i in dp.indices {
            let z = f(f(dp[i] - dn[i]) + margin)
            values[i] = z.isNaN ? z : Swift.max(z, 0)
            slope[i] = KinkGradient.half.activeFraction(at: z)
        }
        let gP = dP.backward(Broadcasting.sumToShape(slope, from: shape, to: dP.reducedShape))
        let gN = dN.backward(Broadcasting.sumToShape(slope.map { -$0 }, from: shape, to: dN.reducedShape))
        func toShape(_ g: [Scalar], _ from: [Int], _ to: [Int], negate: Bool = false) -> [Scalar] {
            Broadcasting.sumToShape(negate ? g.map { -$0 } : g, from: from, to: to)
        }
        let gradA = zip(toShape(gP, dP.shape, a.shape), toShape(gN, dN.shape, a.shape)).map { $0 + $1 }
        return TripletResult(
            loss: Tensor(uncheckedShape: shape, scalars: values),
            gradAnchors: Tensor(uncheckedShape: a.shape, scalars: f(gradA)),
            gradPositives: Tensor(uncheckedShape: p.shape, scalars: f(toShape(gP, dP.shape, p.shape, negate: true))),
            gradNegatives: Tensor(uncheckedShape: n.shape, scalars: f(toShape(gN, dN.shape, n.shape, negate: true))))
    }

    /// The loss and the gradients of its sum with respect to each input.
    public struct TripletResult<Scalar: Sendable>: Sendable {
        public var loss: Tensor<Scalar>
        public var gradAnchors: Tensor<Scalar>
        public var gradPositives: Tensor<Scalar>
        public var gradNegatives: Tensor<Scalar>
    }

    /// `power(power(x − y, degree).sum(axis) + eps, 1 / degree)` and its backward.
    struct TripletDistance<Scalar: Real & BinaryFloatingPoint & Sendable> {
        let shape: [Int]
        let reducedShape: [Int]
        let difference: [Scalar]
        let inner: [Scalar]
        let value: [Scalar]
        let degree: NormDegree
        let root: Double
        let outer: Int
        let length: Int
        let innerCount: Int

        init(
            _ x: Tensor<Scalar>, _ y: Tensor<Scalar>, _ name: String, axis: Int, degree: NormDegree, eps: Scalar
        ) throws(HingeError) {
            let f = SubnormalMode.flushToZero
            shape = try Broadcasting.shape(x.shape, "anchors", y.shape, name)
            let rank = shape.count
            guard rank > 0, (-rank..<rank).contains(axis) else {
                throw .invalidParameter("axis", "axis \(axis) is out of bounds for array of dimension \(rank)")
            }
            let ax = axis < 0 ? axis + rank : axis
            outer = shape[..<ax].reduce(1, *)
            length = shape[ax]
            innerCount = shape[(ax + 1)...].reduce(1, *)
            reducedShape = Array(shape[..<ax]) + Array(shape[(ax + 1)...])
            difference = f(zip(Broadcasting.expand(x, to: shape), Broadcasting.expand(y, to: shape)).map { $0 - $1 })
            self.degree = degree
            let powers = difference.map { Self.power($0, degree) }
            var total = [Scalar](repeating: 0, count: outer * innerCount)
            for o in 0..<outer {
                for k in 0..<length {
                    for i in 0..<innerCount {
                        total[o * innerCount + i] = f(total[o * innerCount + i] + powers[(o * length + k) * innerCount + i])
                    }
                }
            }
            inner = total.map { f($0 + eps) }
            // 1 / norm_degree is Python's, after the sum: a zero degree fails only here.
            guard degree.value != 0 else { throw .invalidParameter("norm_degree", "division by zero") }
            root = 1 / degree.value
            value = inner.map { [root] in Self.power($0, .real(root)) }
        }

        /// `jnp.power(x, y)` for a scalar exponent.
        static func power(_ x: Scalar, _ y: NormDegree) -> Scalar {
            let f = SubnormalMode.flushToZero
            switch y {
            case .real(let e): return f(Scalar.libmPow(x, Scalar(e)))
            case .integer(let e):
                guard e != 0 else { return 1 }
                // lax.integer_pow's binary exponentiation (of 1/x for a negative power)
                var (base, count) = e < 0 ? (1 / x, -e) : (x, e)
                var acc: Scalar?
                while count > 0 {
                    if count & 1 == 1 { acc = acc.map { f($0 * base) } ?? base }
                    count >>= 1
                    if count > 0 { base = f(base * base) }
                }
                return acc ?? 1
            }
        }

        /// `g · ∂ power(x, y) / ∂x` by JAX's rules: `g · (y · x^(y−1))` (0 for an integer
        /// `y == 0`), with `y − 1` computed in `Scalar` for a real `y`.
        static func powerGradient(_ g: Scalar, _ x: Scalar, _ y: NormDegree) -> Scalar {
            let f = SubnormalMode.flushToZero
            switch y {
            case .integer(let e):
                guard e != 0 else { return 0 }
                return f(g * f(Scalar(e) * power(x, .integer(e - 1))))
            case .real(let e):
                let exponent = Scalar(e)
                return f(g * f(exponent * power(x, .real(Double(exponent - 1)))))
            }
        }

        /// The gradient with respect to the difference (shape `shape`) from that of the distance.
        func backward(_ gValue: [Scalar]) -> [Scalar] {
            let gInner = zip(gValue, inner).map { Self.powerGradient($0, $1, .real(root)) }
            var result = [Scalar](repeating: 0, count: difference.count)
            for o in 0..<outer {
                for k in 0..<length {
                    for i in 0..<innerCount {
                        let j = (o * length + k) * innerCount + i
                        result[j] = Self.powerGradient(gInner[o * innerCount + i], difference[j], degree)
                    }
                }
            }
            return result
        }
    }
}
