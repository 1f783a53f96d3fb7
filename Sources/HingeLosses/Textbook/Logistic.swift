import RealModule

/// The logistic loss, `ℓ(m) = log(1 + exp(−m))` (suite `math.logistic`): the
/// negative log-likelihood of logistic regression with ±1 labels.
///
/// Computed through ``Real/softplus(_:)`` without overflow; `ℓ′(m) = −σ(−m)`.
public struct Logistic<Scalar: Real & BinaryFloatingPoint & Sendable>: MarginLoss {
    public init() {}

    @inlinable
    public func value(atMargin m: Scalar) -> Scalar { .softplus(-m) }

    @inlinable
    public func derivative(atMargin m: Scalar) -> Scalar { -Scalar.sigmoid(-m) }
}
