import RealModule

extension Real where Self: BinaryFloatingPoint {
    /// C's `pow(x, y)` in `Self` (glibc's `powf` for `Float`, `pow` for `Double`,
    /// which is what XLA's CPU `pow` calls): unlike RealModule's `pow`, a negative base
    /// is allowed with an integral exponent (`pow(−3, 2) = 9`, `pow(−2, 3) = −8`) and
    /// gives NaN only with a fractional one, and `pow(x, 0) = pow(1, y) = 1` even for NaN.
    @inlinable
    package static func libmPow(_ x: Self, _ y: Self) -> Self {
        if y == 0 || x == 1 { return 1 }
        if x.isNaN || y.isNaN { return .nan }
        guard x < 0 else { return Self.pow(x, y) }  // RealModule's pow is libm's for x ≥ 0
        if y.isFinite && y.rounded() != y {
            return x == -.infinity ? (y > 0 ? .infinity : 0) : .nan
        }
        let odd = y.isFinite && (y / 2).rounded(.towardZero) * 2 != y
        let magnitude = Self.pow(-x, y)
        return odd ? -magnitude : magnitude
    }
}
