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
}
