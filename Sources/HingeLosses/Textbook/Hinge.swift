import RealModule

/// The hinge loss of the soft-margin SVM, `ℓ(m) = max(0, 1 − m)` (suite `math.hinge`).
///
/// Its subgradient at the kink `m = 1` is taken as 0, the right-hand
/// derivative, so a sample exactly on the margin does not move:
/// `ℓ′(m) = −1` for `m < 1` and `0` for `m ≥ 1`.
///
/// Properties: convex, non-negative, 1-Lipschitz; an upper bound of the 0-1 loss.
public struct Hinge<Scalar: Real & BinaryFloatingPoint & Sendable>: MarginLoss {
    public init() {}

    @inlinable
    public func value(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        let deficit = 1 - m
        return deficit > 0 ? deficit : 0
    }

    @inlinable
    public func derivative(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        return m < 1 ? -1 : 0
    }
}
