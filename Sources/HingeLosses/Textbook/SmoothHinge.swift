import RealModule

/// The smooth hinge of Rennie and Srebro (2005) (suite `math.smooth_hinge`): the
/// hinge with its corner replaced by a parabola,
///
///     ℓ(m) = ½ − m        for m ≤ 0
///     ℓ(m) = ½·(1 − m)²   for 0 < m < 1
///     ℓ(m) = 0            for m ≥ 1
///
/// with `ℓ′(m) = −1`, `m − 1` and `0` on the three pieces. The pieces meet with equal
/// values and slopes at m = 0 and m = 1, so there is no kink to choose a subgradient at.
///
/// Properties: convex, non-negative, continuously differentiable with a 1-Lipschitz
/// derivative; `hinge(m) − ½ ≤ ℓ(m) ≤ hinge(m)`.
public struct SmoothHinge<Scalar: Real & BinaryFloatingPoint & Sendable>: MarginLoss {
    public init() {}

    @inlinable
    public func value(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        if m <= 0 { return 1 / 2 - m }
        let deficit = 1 - m
        return deficit > 0 ? deficit * deficit / 2 : 0
    }

    @inlinable
    public func derivative(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        if m <= 0 { return -1 }
        return m < 1 ? m - 1 : 0
    }
}
