/// Distances in units in the last place, as NumPy's `nulp_diff` counts them.
///
/// Each float maps to a sign-magnitude integer (its bit pattern, negated for
/// negative numbers), so that adjacent floats differ by 1, `+0` and `−0` both
/// map to 0, and the largest finite value is 1 step from infinity.
public enum ULP {
    /// The number of representable `Float`s between `a` and `b`; `nil` if either is NaN.
    public static func distance(_ a: Float, _ b: Float) -> UInt64? {
        guard !a.isNaN, !b.isNaN else { return nil }
        return ordinal(Int64(a.bitPattern & 0x7FFF_FFFF), negative: a.sign == .minus)
            .distance(to: ordinal(Int64(b.bitPattern & 0x7FFF_FFFF), negative: b.sign == .minus))
    }

    /// The number of representable `Double`s between `a` and `b`; `nil` if either is NaN.
    public static func distance(_ a: Double, _ b: Double) -> UInt64? {
        guard !a.isNaN, !b.isNaN else { return nil }
        return ordinal(Int64(a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF), negative: a.sign == .minus)
            .distance(to: ordinal(Int64(b.bitPattern & 0x7FFF_FFFF_FFFF_FFFF), negative: b.sign == .minus))
    }

    private static func ordinal(_ magnitude: Int64, negative: Bool) -> Int64 {
        negative ? -magnitude : magnitude
    }
}

extension Int64 {
    /// `|other − self|` without overflow (the span of two 63-bit magnitudes fits a UInt64).
    fileprivate func distance(to other: Int64) -> UInt64 {
        self > other
            ? UInt64(bitPattern: self &- other)
            : UInt64(bitPattern: other &- self)
    }
}
