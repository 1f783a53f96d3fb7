import RealModule

extension Real {
    /// `log(1 + exp(x))`, without overflow for large `x` and without losing
    /// precision for very negative `x`.
    ///
    /// Computed as `max(x, 0) + log1p(exp(−|x|))`: the exponential's argument is
    /// never positive, so it cannot overflow, and `log1p` keeps the tiny values
    /// of the far-negative tail.
    ///
    /// Properties: `softplus(x) > 0`; `softplus(x) − softplus(−x) == x`;
    /// `softplus(+inf) == +inf`; `softplus(−inf) == 0`; NaN propagates.
    @inlinable
    public static func softplus(_ x: Self) -> Self {
        if x.isNaN { return x }
        let positivePart: Self = x > 0 ? x : 0
        return positivePart + .log(onePlus: .exp(-x.magnitude))
    }

    /// The logistic function `1 / (1 + exp(−x))`, the derivative of ``softplus(_:)``.
    ///
    /// Each branch exponentiates a non-positive number, so neither overflows:
    /// `1 / (1 + exp(−x))` for `x ≥ 0` and `exp(x) / (1 + exp(x))` for `x < 0`.
    /// `sigmoid(+inf) == 1`, `sigmoid(−inf) == 0`; NaN propagates.
    @inlinable
    public static func sigmoid(_ x: Self) -> Self {
        if x.isNaN { return x }
        if x >= 0 { return 1 / (1 + .exp(-x)) }
        let e = Self.exp(x)
        return e / (1 + e)
    }
}
