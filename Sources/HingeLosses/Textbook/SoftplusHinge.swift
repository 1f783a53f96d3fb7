import RealModule

/// The softplus (smoothed) hinge, `ℓ(m) = log(1 + exp(1 − m))` (suite `math.softplus_hinge`).
///
/// A smooth upper bound of the hinge that it approaches far from the margin.
/// Computed through ``Real/softplus(_:)``, so it neither overflows for very
/// negative margins nor loses the tiny values of very positive ones;
/// `ℓ′(m) = −σ(1 − m)`.
public struct SoftplusHinge<Scalar: Real & BinaryFloatingPoint & Sendable>: MarginLoss {
    public init() {}

    @inlinable
    public func value(atMargin m: Scalar) -> Scalar { .softplus(1 - m) }

    @inlinable
    public func derivative(atMargin m: Scalar) -> Scalar { -Scalar.sigmoid(1 - m) }
}
