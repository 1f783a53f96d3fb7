import RealModule

/// The reductions of TF v1's `tf.compat.v1.losses.compute_weighted_loss`
/// (`tensorflow/python/ops/losses/losses_impl.py`), by their string values.
public enum TFV1Reduction: String, Hashable, Sendable, CaseIterable {
    /// The weighted losses, unreduced.
    case none
    /// `Σ w·l`.
    case sum = "weighted_sum"
    /// `Σ w·l / Σ w` (the weights broadcast to the losses' shape).
    case mean = "weighted_mean"
    /// `Σ w·l / number of losses`.
    case sumOverBatchSize = "weighted_sum_over_batch_size"
    /// The default: `Σ w·l / number of nonzero (broadcast) weights`.
    case sumByNonzeroWeights = "weighted_sum_by_nonzero_weights"

    /// - Throws: `HingeError.invalidParameter` naming `reduction` for an unknown name.
    public init(parsing name: String) throws(HingeError) {
        self = try .parsed(name) { .invalidParameter("reduction", "Invalid Reduction Key \($0).") }
    }
}

/// `tf.compat.v1.losses.hinge_loss(labels, logits, weights=1.0, reduction=SUM_BY_NONZERO_WEIGHTS)`.
///
///     labels' = 2·labels − 1                       (always: ±1 labels become {−3, +1})
///     losses  = relu(1 − labels' · logits)        (element-wise, no mean over any axis)
///
/// Quirks:
/// - labels are **always** mapped with `2·l − 1`, without any check;
/// - everything is computed in float32, whatever the input type;
/// - the gradient at the kink is 0 (`relu`'s);
/// - TensorFlow's CPU kernels flush subnormals (``SubnormalMode/flushToZero``);
/// - `weights` must be a scalar or have the losses' rank with each dimension 1
///   or equal; the default reduction divides by the number of **nonzero
///   weights** (broadcast), not of nonzero losses; divisions are divide-no-NaN.
/// - The sums (`reduce_sum` of the weighted losses, of the broadcast weights for
///   `weighted_mean`, of the nonzero indicators) are Eigen's
///   (``ReductionOrder/eigen``), which under cancellation differs from a
///   correctly rounded sum by many ulps; `div_no_nan`'s gradient `1 / divisor`
///   is flushed, so a divisor above 2¹²⁶ passes no gradient.
public struct HingeLossV1<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let reduction: TFV1Reduction

    public init(reduction: TFV1Reduction = .sumByNonzeroWeights) {
        self.reduction = reduction
    }

    /// The loss and its gradient with respect to `logits`.
    ///
    /// - Throws: `HingeError.shapeMismatch` when `labels` and `logits` differ in shape,
    ///   or `weights` cannot broadcast to them.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(
        labels: Tensor<Scalar>, logits: Tensor<Scalar>, weights: Tensor<Scalar>? = nil
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        guard labels.shape == logits.shape else {
            throw .shapeMismatch("labels", "Shapes \(logits.shape) and \(labels.shape) are incompatible")
        }
        let weights = weights ?? Tensor(scalar: 1)
        guard weights.rank == 0 || (weights.rank == logits.rank && zip(weights.shape, logits.shape).allSatisfy { $0 == 1 || $0 == $1 })
        else {
            throw .shapeMismatch(
                "weights", "weights can not be broadcast to values. values.shape=\(logits.shape), weights.shape=\(weights.shape)")
        }
        let f = SubnormalMode.flushToZero
        let shape = logits.shape
        let w = f(Broadcasting.expand(weights, to: shape))
        let x = f(logits.scalars)
        let l = f(labels.scalars)
        let n = logits.count
        var margins = [Scalar](repeating: 0, count: n)
        var weighted = [Scalar](repeating: 0, count: n)
        var signs = [Scalar](repeating: 0, count: n)
        for i in 0..<n {
            signs[i] = f(f(2 * l[i]) - 1)
            let z = f(1 - f(signs[i] * x[i]))
            margins[i] = z
            let loss = z.isNaN ? z : Swift.max(z, 0)
            weighted[i] = f(loss * w[i])
        }

        let output: Tensor<Scalar>
        var upstream: Scalar = 1
        if reduction == .none {
            output = Tensor(uncheckedShape: shape, scalars: weighted)
        } else {
            // compute_weighted_loss: reduce_sum(weighted losses), then div_no_nan by
            let sum = ReductionOrder.eigen.total(weighted)
            let divisor: Scalar?
            switch reduction {
            case .none, .sum: divisor = nil
            case .mean:
                // reduce_sum(ones_like(losses) * weights)
                divisor = ReductionOrder.eigen.total(w)
            case .sumOverBatchSize: divisor = Scalar(n)
            case .sumByNonzeroWeights:
                // _num_present: the element count for a nonzero scalar weight, else
                // reduce_sum(where(weights == 0, 0, 1)) broadcast to the losses
                divisor =
                    weights.rank == 0 && w.first.map({ $0 != 0 }) ?? false
                    ? Scalar(n) : ReductionOrder.eigen.total(w.map { $0 == 0 ? 0 : 1 })
            }
            if let divisor {
                output = Tensor(scalar: divisor == 0 ? 0 : f(sum / divisor))
                upstream = divisor == 0 ? 0 : f(1 / divisor)
            } else {
                output = Tensor(scalar: sum)
            }
        }
        var gradient = [Scalar](repeating: 0, count: n)
        for i in 0..<n {
            // relu's gradient is 0 at the kink and for NaN; then 1 − l'·x negates and scales.
            let g = f(upstream * w[i]) * KinkGradient.zero.activeFraction(at: margins[i])
            gradient[i] = f((-g) * signs[i])
        }
        return LossAndGradient(loss: output, gradient: Tensor(uncheckedShape: shape, scalars: gradient))
    }
}
