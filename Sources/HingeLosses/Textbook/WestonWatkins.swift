import RealModule

/// The Weston–Watkins multi-class hinge (suite `math.weston_watkins`):
/// `ℓ = Σ_{j≠y} max(0, 1 + z_j − z_y)`, each term evaluated as `(1 + z_j) − z_y`
/// and summed over ascending `j`.
///
/// Every violating class is penalised: the gradient is +1 at each `j` whose
/// term is > 0 and minus their count at `y`; a term exactly 0 (on the margin)
/// contributes nothing. A NaN term makes its own gradient entry and the entry
/// at `y` NaN, the two scores it depends on.
public struct WestonWatkins<Scalar: Real & BinaryFloatingPoint & Sendable>: MulticlassMarginLoss {
    public init() {}

    @inlinable
    public func row(
        _ z: UnsafeBufferPointer<Scalar>, label y: Int, gradient: UnsafeMutableBufferPointer<Scalar>
    ) -> Scalar {
        var total: Scalar = 0
        var first = true
        var gradientAtLabel: Scalar = 0
        for j in z.indices where j != y {
            let term = (1 + z[j]) - z[y]
            let contribution: Scalar
            if term.isNaN {
                contribution = term
                gradient[j] = .nan
                gradientAtLabel = .nan
            } else if term > 0 {
                contribution = term
                gradient[j] = 1
                gradientAtLabel -= 1
            } else {
                contribution = 0
            }
            // Start from the first term, as the sequential sum of the reductions does.
            total = first ? contribution : total + contribution
            first = false
        }
        gradient[y] = gradientAtLabel
        return total
    }
}
