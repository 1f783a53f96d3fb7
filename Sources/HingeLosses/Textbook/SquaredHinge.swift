import RealModule

/// The squared hinge loss, `ℓ(m) = max(0, 1 − m)²` (suite `math.squared_hinge`):
/// the L2-loss SVM of LIBLINEAR and `LinearSVC`'s default.
///
/// Differentiable everywhere: `ℓ′(m) = −2·(1 − m)` for `m < 1`, else 0, so the
/// kink question does not arise.
///
/// Properties: convex, non-negative, smooth (its derivative is 2-Lipschitz).
public struct SquaredHinge<Scalar: Real & BinaryFloatingPoint & Sendable>: MarginLoss {
    public init() {}

    @inlinable
    public func value(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        let deficit = 1 - m
        return deficit > 0 ? deficit * deficit : 0
    }

    @inlinable
    public func derivative(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        let deficit = 1 - m
        return deficit > 0 ? -2 * deficit : 0
    }
}
