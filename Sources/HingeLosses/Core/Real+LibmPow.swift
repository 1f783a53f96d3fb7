import RealModule

extension BinaryFloatingPoint {
    /// C's `pow(x, y)` in `Double`, rounded to `Self`: unlike RealModule's `pow`,
    /// a negative base is allowed with an integral exponent (`pow(−3, 2) = 9`,
    /// `pow(−2, 3) = −8`) and gives NaN only with a fractional one, which is what
    /// XLA's and NumPy's `pow` compute (within an ulp).
    @inlinable
    package static func libmPow(_ x: Self, _ y: Self) -> Self {
        let (base, exponent) = (Double(x), Double(y))
        guard base < 0 else { return Self(Double.pow(base, exponent)) }  // RealModule's pow is C's for x ≥ 0
        let odd = exponent.isFinite && exponent.rounded() == exponent
            && (exponent / 2).rounded(.towardZero) * 2 != exponent
        if exponent.isFinite && exponent.rounded() != exponent {
            return base == -.infinity ? Self(exponent > 0 ? Double.infinity : 0) : .nan
        }
        let magnitude = Double.pow(-base, exponent)
        return Self(odd ? -magnitude : magnitude)
    }
}
