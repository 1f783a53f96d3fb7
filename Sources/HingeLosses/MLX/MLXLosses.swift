#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// MLX's margin losses, `mlx.nn.losses` (MLX 0.32.4 on the CPU,
/// https://github.com/ml-explore/mlx/blob/v0.32.1/python/mlx/nn/losses.py, unchanged in 0.32.4),
/// values and the gradients `mx.grad` gives, bit for bit on the same libm.
///
/// What they share, from MLX's kernels and primitives:
/// - The default reduction is **`none`**. `mean` is `sum · T(1/n)`: a product with the
///   reciprocal rounded to `T`, not a division (and NaN for no elements: `0 · ∞`).
///   Sums run sequentially from +0 in index order (the Linux CPU kernels are scalar).
/// - `maximum(a, b)`'s gradient goes to `a` where `a > b` and to `b` where `a ≤ b`, so
///   the kink's subgradient depends on the argument order: `hinge_loss`
///   (`maximum(1 − x·t, 0)`) passes nothing at the kink, `margin_ranking_loss`
///   (`maximum(0, z)`) the whole gradient. A NaN passes nothing either way.
/// - Python scalars take the array's type; subnormals are kept (no flush to zero).
/// - An unknown reduction is checked last, after the shapes (the adapters keep that order).
///
/// mlx-swift's `MLXNN` (0.31.x) computes `hingeLoss` as here and `tripletLoss` with
/// ``TripletFormula/sqrtOfPowerSum``, the formula of MLX Python up to 0.31.2.
public enum MLXLosses {
    /// `hinge_loss`'s value and its gradients with respect to both arguments.
    public struct HingeResult<T: Sendable>: Sendable {
        public var loss: Tensor<T>
        public var gradInputs: Tensor<T>
        public var gradTargets: Tensor<T>
    }

    /// `margin_ranking_loss`'s value and its gradients with respect to the three arguments.
    public struct MarginRankingResult<T: Sendable>: Sendable {
        public var loss: Tensor<T>
        public var gradInputs1: Tensor<T>
        public var gradInputs2: Tensor<T>
        public var gradTargets: Tensor<T>
    }

    /// `triplet_loss`'s value and its gradients with respect to the three arguments.
    public struct TripletResult<T: Sendable>: Sendable {
        public var loss: Tensor<T>
        public var gradAnchors: Tensor<T>
        public var gradPositives: Tensor<T>
        public var gradNegatives: Tensor<T>
    }

    /// `mlx.nn.losses.hinge_loss(inputs, targets, reduction="none")`:
    /// `maximum(1 − inputs·targets, 0)`.
    ///
    /// Targets are not validated or converted ({0, 1} targets give 1 for every 0), and
    /// the two arguments broadcast; a broadcast argument's gradient is summed back in
    /// row-major order. At the kink (`inputs·targets == 1`) the gradient is 0.
    ///
    /// - Throws: `HingeError.shapeMismatch` naming `targets` when the shapes do not broadcast.
    public static func hingeLoss<T: BinaryFloatingPoint & Sendable>(
        inputs: Tensor<T>, targets: Tensor<T>, reduction: Reduction = .none
    ) throws(HingeError) -> HingeResult<T> {
        let shape = try broadcastShape(inputs.shape, targets.shape, "targets")
        let x = Broadcasting.expand(inputs, to: shape), t = Broadcasting.expand(targets, to: shape)
        var margins = [T](repeating: 0, count: x.count)
        for i in x.indices { margins[i] = 1 - x[i] * t[i] }
        let (loss, upstream) = reduce(margins.map { maximum($0, 0) }, shape: shape, reduction)
        var gradX = [T](repeating: 0, count: x.count), gradT = gradX
        for i in x.indices {
            // maximum(m, 0): m gets the cotangent where m > 0; then 1 − x·t and the product.
            let gradProduct = -(upstream * (margins[i] > 0 ? 1 : 0))
            gradX[i] = t[i] * gradProduct
            gradT[i] = x[i] * gradProduct
        }
        return HingeResult(
            loss: loss,
            gradInputs: Tensor(uncheckedShape: inputs.shape, scalars: Broadcasting.sumToShape(gradX, from: shape, to: inputs.shape)),
            gradTargets: Tensor(uncheckedShape: targets.shape, scalars: Broadcasting.sumToShape(gradT, from: shape, to: targets.shape)))
    }

    /// `mlx.nn.losses.margin_ranking_loss(inputs1, inputs2, targets, margin=0.0, reduction="none")`:
    /// `maximum(0, −targets·(inputs1 − inputs2) + margin)`.
    ///
    /// The default margin is 0; targets are not validated; **no broadcasting**: the three
    /// shapes must be equal. The kink (`z == 0`) gets the full gradient, unlike
    /// ``hingeLoss(inputs:targets:reduction:)``, because `z` is `maximum`'s second argument.
    ///
    /// - Throws: `HingeError.shapeMismatch` naming `targets` when the shapes differ.
    public static func marginRankingLoss<T: BinaryFloatingPoint & Sendable>(
        inputs1: Tensor<T>, inputs2: Tensor<T>, targets: Tensor<T>, margin: T = 0, reduction: Reduction = .none
    ) throws(HingeError) -> MarginRankingResult<T> {
        guard inputs1.shape == inputs2.shape, inputs2.shape == targets.shape else {
            throw .shapeMismatch(
                "targets",
                "The shapes of the arguments do not match. The provided shapes are inputs1.shape=\(pythonTuple(inputs1.shape)), inputs2.shape=\(pythonTuple(inputs2.shape)), and targets.shape=\(pythonTuple(targets.shape))."
            )
        }
        let x1 = inputs1.scalars, x2 = inputs2.scalars, t = targets.scalars
        var z = [T](repeating: 0, count: x1.count)
        for i in x1.indices { z[i] = (-t[i]) * (x1[i] - x2[i]) + margin }
        let (loss, upstream) = reduce(z.map { maximum(0, $0) }, shape: targets.shape, reduction)
        var grad1 = z, grad2 = z, gradT = z
        for i in z.indices {
            let g = upstream * (0 <= z[i] ? 1 : 0)  // maximum(0, z): z gets 0 <= z
            let gradDifference = (-t[i]) * g
            grad1[i] = gradDifference
            grad2[i] = -gradDifference
            gradT[i] = -((x1[i] - x2[i]) * g)
        }
        return MarginRankingResult(
            loss: loss, gradInputs1: Tensor(uncheckedShape: inputs1.shape, scalars: grad1),
            gradInputs2: Tensor(uncheckedShape: inputs2.shape, scalars: grad2),
            gradTargets: Tensor(uncheckedShape: targets.shape, scalars: gradT))
    }

    /// The distance `triplet_loss` uses, which changed in MLX 0.32.0
    /// (https://github.com/ml-explore/mlx/pull/3613).
    public enum TripletFormula: String, Hashable, Sendable, CaseIterable {
        /// MLX 0.32.0 and later: `(Σ |a − x|^p + eps)^(1/p)`, the p-norm with eps added
        /// to the sum of powers (not to the differences, as in torch); `p = 0` is an error
        /// (`1.0 / p` in Python).
        case pNorm
        /// MLX 0.31.2 and earlier, and mlx-swift's `MLXNN.tripletLoss`:
        /// `sqrt(Σ (a − x)^p + eps)` for every p. Without `abs`, odd p sums signed powers
        /// (negative sums give NaN); only p = 2 is a norm.
        case sqrtOfPowerSum

        /// The formula of the MLX Python release `version` ("0.31.2", "0.32.4"): up to
        /// 0.31.x ``sqrtOfPowerSum``, 0.32.0 through 0.32.4 (the newest release these
        /// fixtures pin) ``pNorm``.
        ///
        /// - Throws: `HingeError.invalidParameter` naming `mlx_version` for anything else
        ///   (not a version, or a release newer than 0.32.4, whose formula is not known here).
        public init(mlxVersion version: String) throws(HingeError) {
            let parts = version.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 3, let major = parts[0], let minor = parts[1], let patch = parts[2],
                major >= 0, minor >= 0, patch >= 0
            else {
                throw .invalidParameter("mlx_version", "\"\(version)\" is not an MLX release (major.minor.patch)")
            }
            switch (major, minor, patch) {
            case (0, ..<32, _): self = .sqrtOfPowerSum
            case (0, 32, ...4): self = .pNorm
            default:
                throw .invalidParameter("mlx_version", "MLX \(version) is newer than 0.32.4: its triplet_loss formula is not known here")
            }
        }
    }

    /// `mlx.nn.losses.triplet_loss(anchors, positives, negatives, axis=-1, p=2, margin=1.0,
    /// eps=1e-6, reduction="none")`: `maximum(d(a, pos) − d(a, neg) + margin, 0)` with the
    /// distance `d` of `formula`, summed over `axis` (every axis for `nil`).
    ///
    /// The three arguments broadcast; there is no `swap`; margin, eps and p are not
    /// validated (a negative margin or eps is used as given). The gradient is 0 at the kink.
    /// With eps = 0 and `anchors == positives` the gradient is NaN (`∞ · 0` in pow's vjp).
    ///
    /// - Throws: `HingeError.shapeMismatch` when shapes do not broadcast,
    ///   `.invalidParameter` naming `axis` when it is out of range (a 0-d input has none),
    ///   and naming `p` for p = 0 with ``TripletFormula/pNorm``, in MLX's order.
    public static func tripletLoss<T: BinaryFloatingPoint & Sendable>(
        anchors: Tensor<T>, positives: Tensor<T>, negatives: Tensor<T>, axis: Int? = -1, p: Double = 2,
        margin: T = 1, eps: T = 1e-6, reduction: Reduction = .none, formula: TripletFormula = .pNorm
    ) throws(HingeError) -> TripletResult<T> {
        let sqrtForm = formula == .sqrtOfPowerSum
        let power = T(p), epsilon = eps

        /// One distance: the broadcast difference, the summed axis and the sum of powers plus eps.
        func distance(_ other: Tensor<T>, _ name: String) throws(HingeError) -> Distance<T> {
            let shape = try broadcastShape(anchors.shape, other.shape, name)
            let a = Broadcasting.expand(anchors, to: shape), o = Broadcasting.expand(other, to: shape)
            var difference = a
            for i in a.indices { difference[i] = a[i] - o[i] }
            let split = try AxisSplit(shape: shape, axis: axis, argument: name)
            var sums = [T](repeating: 0, count: split.outer * split.inner)
            for outer in 0..<split.outer {
                for inner in 0..<split.inner {
                    var total: T = 0
                    for k in 0..<split.extent {
                        let d = difference[split.index(outer, k, inner)]
                        total += Self.power(sqrtForm ? d : abs(d), power)
                    }
                    sums[outer * split.inner + inner] = total + epsilon
                }
            }
            return Distance(shape: shape, difference: difference, split: split, sumsPlusEps: sums)
        }

        let positive = try distance(positives, "positives")
        guard sqrtForm || p != 0 else { throw .invalidParameter("p", "float division by zero") }
        let exponent = T(1.0 / p)  // Python's 1.0 / p, then the array's type
        func root(_ s: T) -> T { sqrtForm ? s.squareRoot() : Self.power(s, exponent) }
        let dPositive = positive.sumsPlusEps.map(root)
        let negative = try distance(negatives, "negatives")
        let dNegative = negative.sumsPlusEps.map(root)

        let shape = try broadcastShape(positive.split.reducedShape, negative.split.reducedShape, "negatives")
        let dp = Broadcasting.expand(Tensor(uncheckedShape: positive.split.reducedShape, scalars: dPositive), to: shape)
        let dn = Broadcasting.expand(Tensor(uncheckedShape: negative.split.reducedShape, scalars: dNegative), to: shape)
        var z = dp
        for i in z.indices { z[i] = (dp[i] - dn[i]) + margin }
        let (loss, upstream) = reduce(z.map { maximum($0, 0) }, shape: shape, reduction)
        let gradZ = z.map { upstream * ($0 > 0 ? 1 : 0) }  // maximum(z, 0): z gets z > 0

        /// Back through one distance: the gradient with respect to the broadcast difference.
        func backward(_ dist: Distance<T>, _ distances: [T], _ gradDistance: [T]) -> [T] {
            let s = dist.split
            var gradDifference = dist.difference
            for outer in 0..<s.outer {
                for inner in 0..<s.inner {
                    let r = outer * s.inner + inner
                    // sqrt's vjp (0.5·g)/sqrt(s); power's g·(pow(s, 1/p − 1)·(1/p)).
                    let gradSum =
                        sqrtForm
                        ? (T(0.5) * gradDistance[r]) / distances[r]
                        : gradDistance[r] * (Self.power(dist.sumsPlusEps[r], exponent - 1) * exponent)
                    for k in 0..<s.extent {
                        let i = s.index(outer, k, inner)
                        let d = dist.difference[i]
                        let gradBase = gradSum * (Self.power(sqrtForm ? d : abs(d), power - 1) * power)
                        // abs's vjp multiplies by sign(d), which is 0 for ±0 and NaN.
                        gradDifference[i] = sqrtForm ? gradBase : gradBase * (d > 0 ? 1 : (d < 0 ? -1 : 0))
                    }
                }
            }
            return gradDifference
        }
        let gradPositiveDistance = Broadcasting.sumToShape(gradZ, from: shape, to: positive.split.reducedShape)
        let gradNegativeDistance = Broadcasting.sumToShape(gradZ.map { -$0 }, from: shape, to: negative.split.reducedShape)
        let gradP = backward(positive, dPositive, gradPositiveDistance)
        let gradN = backward(negative, dNegative, gradNegativeDistance)
        var gradA = Broadcasting.sumToShape(gradP, from: positive.shape, to: anchors.shape)
        let gradAFromN = Broadcasting.sumToShape(gradN, from: negative.shape, to: anchors.shape)
        for i in gradA.indices { gradA[i] += gradAFromN[i] }
        return TripletResult(
            loss: loss, gradAnchors: Tensor(uncheckedShape: anchors.shape, scalars: gradA),
            gradPositives: Tensor(uncheckedShape: positives.shape, scalars: Broadcasting.sumToShape(gradP.map { -$0 }, from: positive.shape, to: positives.shape)),
            gradNegatives: Tensor(uncheckedShape: negatives.shape, scalars: Broadcasting.sumToShape(gradN.map { -$0 }, from: negative.shape, to: negatives.shape)))
    }

    // MARK: - MLX's primitives

    /// One side of the triplet: its broadcast shape, differences, axis and `Σ pow + eps`.
    struct Distance<T> {
        var shape: [Int]
        var difference: [T]
        var split: AxisSplit
        var sumsPlusEps: [T]
    }

    /// A shape cut around the summed axis (all of it for `nil`): `outer × extent × inner`.
    struct AxisSplit {
        var outer = 1, extent = 1, inner = 1
        var reducedShape: [Int]

        /// - Throws: `HingeError.invalidParameter` naming `axis`, in MLX's words, when it is
        ///   out of range; `.shapeMismatch` naming `argument` when the distances of an empty
        ///   broadcast shape (`[Int.max, 0]` summed over its last axis) could not be stored.
        init(shape: [Int], axis: Int?, argument: String) throws(HingeError) {
            guard let axis else {
                extent = Tensor<UInt8>.elementCount(of: shape) ?? 0  // the broadcast shape fits: checked before
                reducedShape = []
                return
            }
            guard (-shape.count..<shape.count).contains(axis) else {
                throw .invalidParameter("axis", "Invalid axis \(axis) for array with \(shape.count) dimensions.")
            }
            let a = axis < 0 ? axis + shape.count : axis
            reducedShape = Array(shape[..<a]) + Array(shape[(a + 1)...])
            guard Validate.fitsInMemory(reducedShape), let outer = Tensor<UInt8>.elementCount(of: Array(shape[..<a])),
                let inner = Tensor<UInt8>.elementCount(of: Array(shape[(a + 1)...]))
            else {
                throw .shapeMismatch(argument, "the distances of shape \(reducedShape) have more elements than memory can address")
            }
            (self.outer, extent, self.inner) = (outer, shape[a], inner)
        }

        func index(_ o: Int, _ k: Int, _ i: Int) -> Int { (o * extent + k) * inner + i }
    }

    /// `std::pow` as MLX's CPU kernel calls it: `powf` for `Float`, `pow` otherwise (through `Double`).
    @inlinable
    static func power<T: BinaryFloatingPoint>(_ x: T, _ y: T) -> T {
        if T.self == Float.self { return T(powf(Float(x), Float(y))) }
        return T(pow(Double(x), Double(y)))
    }

    /// MLX's `maximum`: a NaN first argument is returned, else `a > b ? a : b` (so a NaN
    /// second argument too).
    @inlinable
    static func maximum<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        a.isNaN ? a : (a > b ? a : b)
    }

    /// `_reduce`: the output, and the cotangent each element gets from the output's sum.
    static func reduce<T: BinaryFloatingPoint>(_ values: [T], shape: [Int], _ reduction: Reduction) -> (Tensor<T>, T) {
        switch reduction {
        case .none:
            return (Tensor(uncheckedShape: shape, scalars: values), 1)
        case .sum:
            return (Tensor(scalar: sequentialSum(values)), 1)
        case .mean:
            let normalizer = T(1.0 / Double(values.count))  // ∞ for no elements
            return (Tensor(scalar: sequentialSum(values) * normalizer), normalizer)
        }
    }

    /// MLX's CPU sum: from +0, in index order.
    static func sequentialSum<T: BinaryFloatingPoint>(_ values: [T]) -> T {
        var total: T = 0
        for v in values { total += v }
        return total
    }

    /// The broadcast shape, or MLX's error naming `argument`.
    static func broadcastShape(_ a: [Int], _ b: [Int], _ argument: String) throws(HingeError) -> [Int] {
        guard let shape = Broadcasting.shape(a, b) else {
            throw .shapeMismatch(argument, "[broadcast_shapes] Shapes \(mlxShape(a)) and \(mlxShape(b)) cannot be broadcast.")
        }
        guard Validate.fitsInMemory(shape) else {
            throw .shapeMismatch(argument, "the broadcast shape \(shape) has more elements than memory can address")
        }
        return shape
    }

    /// A shape as MLX's C++ messages print it: `(2,3)`, `(3)`, `()`.
    static func mlxShape(_ shape: [Int]) -> String { "(" + shape.map(String.init).joined(separator: ",") + ")" }

    /// A shape as Python prints a tuple: `(2, 3)`, `(3,)`, `()`.
    static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
