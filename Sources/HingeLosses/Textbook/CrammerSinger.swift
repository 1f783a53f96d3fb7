import RealModule

/// The Crammer–Singer multi-class hinge (suite `math.crammer_singer`):
/// `ℓ = max(0, 1 + max_{j≠y} z_j − z_y)`, evaluated as `(1 + w) − z_y`.
///
/// Only the strongest wrong class is penalised. Its gradient is +1 at the
/// first index `j*` attaining the maximum among `j ≠ y` (ties go to the lowest
/// index, as `argmax` breaks them) and −1 at `y`, where the loss is > 0; 0 on
/// the margin and beyond. With one class there is no wrong class: the loss is 0.
/// A NaN among the scores makes the row's loss and whole gradient row NaN,
/// because the maximum depends on every wrong score.
public struct CrammerSinger<Scalar: Real & BinaryFloatingPoint & Sendable>: MulticlassMarginLoss {
    public init() {}

    @inlinable
    public func row(
        _ z: UnsafeBufferPointer<Scalar>, label y: Int, gradient: UnsafeMutableBufferPointer<Scalar>
    ) -> Scalar {
        var best: Scalar = -.infinity
        var bestIndex = -1
        for j in z.indices where j != y {
            if z[j].isNaN {
                bestIndex = j
                best = z[j]
                break
            }
            if bestIndex < 0 || z[j] > best {
                best = z[j]
                bestIndex = j
            }
        }
        guard bestIndex >= 0 else { return 0 }
        let v = (1 + best) - z[y]
        if v.isNaN {
            for j in gradient.indices { gradient[j] = .nan }
            return v
        }
        guard v > 0 else { return 0 }
        gradient[bestIndex] = 1
        gradient[y] = -1
        return v
    }
}
