/// The Keras 3 backend a loss runs on. Values agree across backends (to
/// rounding); gradients at kinks do not, because the backends' `maximum`
/// primitives break ties differently.
public enum KerasBackend: String, Hashable, Sendable, CaseIterable {
    /// `tf.maximum(x, y)` sends a tie to `x` (`greater_equal`): `maximum(1 − y·p, 0)`
    /// passes the full gradient at the kink.
    case tensorflow
    /// `jnp.maximum` splits a tie 0.5/0.5: half the gradient at the kink.
    case jax

    /// The subgradient of `maximum(z, 0)` at `z == 0` on this backend.
    public var kinkGradient: KinkGradient {
        switch self {
        case .tensorflow: .full
        case .jax: .half
        }
    }

    /// Both backends flush subnormals on CPU (``SubnormalMode/flushToZero``).
    public var subnormals: SubnormalMode { .flushToZero }

    /// The gradient `maximum(z, 0)` passes back to `z` from an incoming `g`.
    ///
    /// TensorFlow's `_MaximumGrad` **selects** (`where(z >= 0, g, 0)`), so a NaN in
    /// `g` on the inactive side is dropped; JAX **multiplies** by its 1 / ½ / 0 mask,
    /// so `NaN · 0` stays NaN. The two differ only in the kink and in NaN handling.
    @inlinable
    public func maximumBackward<T: BinaryFloatingPoint>(_ g: T, at z: T) -> T {
        switch self {
        case .tensorflow: return z >= 0 ? g : 0
        case .jax: return g * KinkGradient.half.activeFraction(at: z)
        }
    }
}
