/// The subgradient a framework's autograd assigns exactly at a kink of a
/// piecewise-linear loss (where `max(0, z)` has `z == 0`), as a fraction of the
/// one-sided slope.
///
/// Frameworks disagree, and the choice shows up in every gradient computed on
/// a margin: PyTorch ≥ 2.15's `clamp_min` and `relu` give `.zero`; PyTorch ≤ 2.13's
/// `clamp_min` passed the gradient through (`.full`); Keras on TensorFlow gives
/// `.full`, on JAX `.half` (`jnp.maximum` splits ties); TF v1 `hinge_loss` (relu)
/// gives `.zero`; optax gives `.half`.
public enum KinkGradient: String, Hashable, Sendable, CaseIterable {
    /// No gradient at the kink (the right-hand, inactive side's derivative).
    case zero
    /// Half the active side's gradient: the midpoint of the subdifferential.
    case half
    /// The active side's full gradient.
    case full

    /// The factor applied to the active side's gradient at `z`: 1 for `z > 0`,
    /// this rule's fraction for `z == 0`, 0 for `z < 0` and NaN (a NaN fails
    /// every comparison, as it does in the frameworks' `where(z > 0, ...)`).
    @inlinable
    public func activeFraction<T: BinaryFloatingPoint>(at z: T) -> T {
        if z > 0 { return 1 }
        guard z == 0 else { return 0 }
        switch self {
        case .zero: return 0
        case .half: return 0.5
        case .full: return 1
        }
    }
}
