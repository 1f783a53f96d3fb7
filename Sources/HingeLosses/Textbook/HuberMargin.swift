import RealModule

/// The Huberised hinge (suite `math.huber_margin`): quadratic for a small margin
/// deficit, linear beyond `delta`.
///
/// With the deficit `d = max(0, 1 − m)`:
/// `ℓ = d²/2` when `d ≤ delta`, else `delta·(d − delta/2)`; `ℓ′(m) = −min(d, delta)`.
/// The two pieces meet with equal value and slope at `d = delta`, so the loss
/// is differentiable everywhere; it is robust to outliers like the hinge yet
/// smooth like the squared hinge.
public struct HuberMargin<Scalar: Real & BinaryFloatingPoint & Sendable>: MarginLoss {
    /// Where the quadratic piece gives way to the linear one.
    public let delta: Scalar

    /// - Throws: `HingeError.invalidParameter` naming `delta` unless it is finite and > 0.
    public init(delta: Scalar = 1) throws(HingeError) {
        try Validate.positive(delta, "delta")
        self.delta = delta
    }

    @inlinable
    public func value(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        let d = deficit(m)
        return d <= delta ? d * d / 2 : delta * (d - delta / 2)
    }

    @inlinable
    public func derivative(atMargin m: Scalar) -> Scalar {
        if m.isNaN { return m }
        let d = deficit(m)
        return -(d < delta ? d : delta)
    }

    @inlinable
    func deficit(_ m: Scalar) -> Scalar {
        let d = 1 - m
        return d > 0 ? d : 0
    }
}
