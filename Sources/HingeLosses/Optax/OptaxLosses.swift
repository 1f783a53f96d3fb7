import RealModule

/// optax's margin losses (`optax/losses/_classification.py`): element-wise or
/// per row, with **no reduction, no weights and no label conversion**
/// (targets must already be ±1; {0,1} targets silently give 1 for every 0).
///
/// JAX's `jnp.maximum` splits a tie 0.5/0.5 and `jnp.max` splits a k-way tie
/// equally, so every kink gets half (or 1/k of) the gradient. XLA's CPU
/// kernels flush subnormals, so a subnormal margin is a tie
/// (``SubnormalMode/flushToZero``).
public enum Optax {
    /// `optax.hinge_loss(predictor_outputs, targets) = maximum(0, 1 − p·t)`; the
    /// inputs broadcast.
    ///
    /// - Parameter booleanTargets: the targets were a bool array (given here as 0 and 1):
    ///   `jnp.multiply` by a bool array selects, so `p·False` is 0 even for a NaN or
    ///   infinite `p`.
    public static func hingeLoss<Scalar: Real & BinaryFloatingPoint & Sendable>(
        predictorOutputs: Tensor<Scalar>, targets: Tensor<Scalar>, booleanTargets: Bool = false
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        try binary(predictorOutputs, targets) { p, t in 1 - product(p, t, booleanTargets) } slope: { t in -t }
    }

    /// `optax.losses.perceptron_loss(predictor_outputs, targets) = maximum(0, −p·t)`;
    /// the shapes must be equal. `booleanTargets` as in ``hingeLoss(predictorOutputs:targets:booleanTargets:)``.
    public static func perceptronLoss<Scalar: Real & BinaryFloatingPoint & Sendable>(
        predictorOutputs: Tensor<Scalar>, targets: Tensor<Scalar>, booleanTargets: Bool = false
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        guard predictorOutputs.shape == targets.shape else {
            throw .shapeMismatch(
                "targets", "Shape mismatch: predictor_outputs \(predictorOutputs.shape), targets \(targets.shape)")
        }
        return try binary(predictorOutputs, targets) { p, t in product(-p, t, booleanTargets) } slope: { t in -t }
    }

    /// `x · t` as JAX computes it: a select when `t` came from a bool array, else a product.
    private static func product<Scalar: BinaryFloatingPoint>(_ x: Scalar, _ t: Scalar, _ boolean: Bool) -> Scalar {
        boolean ? (t != 0 ? x : 0) : SubnormalMode.flushToZero(x * t)
    }

    /// `optax.losses.multiclass_hinge_loss(scores, labels)
    ///   = max(scores + 1 − onehot(labels), axis=−1) − ⟨scores, onehot(labels)⟩`:
    /// Crammer–Singer. An out-of-range label (−1, K) has an all-zero one-hot row,
    /// so its loss is `max(scores) + 1`.
    public static func multiclassHingeLoss<Scalar: Real & BinaryFloatingPoint & Sendable>(
        scores: Tensor<Scalar>, labels: Tensor<Int>
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        try multiclass(scores, labels, hinge: true)
    }

    /// `optax.losses.multiclass_perceptron_loss(scores, labels)
    ///   = max(scores, axis=−1) − ⟨scores, onehot(labels)⟩`.
    public static func multiclassPerceptronLoss<Scalar: Real & BinaryFloatingPoint & Sendable>(
        scores: Tensor<Scalar>, labels: Tensor<Int>
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        try multiclass(scores, labels, hinge: false)
    }

    private static func binary<Scalar: Real & BinaryFloatingPoint & Sendable>(
        _ predictions: Tensor<Scalar>, _ targets: Tensor<Scalar>,
        margin: (Scalar, Scalar) -> Scalar, slope: (Scalar) -> Scalar
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        let shape = try Broadcasting.shape(predictions.shape, "predictor_outputs", targets.shape, "targets")
        let f = SubnormalMode.flushToZero
        let p = f(Broadcasting.expand(predictions, to: shape))
        let t = f(Broadcasting.expand(targets, to: shape))
        var values = [Scalar](repeating: 0, count: p.count)
        var gradient = [Scalar](repeating: 0, count: p.count)
        for i in p.indices {
            let z = f(margin(p[i], t[i]))
            values[i] = z.isNaN ? z : Swift.max(z, 0)
            gradient[i] = KinkGradient.half.activeFraction(at: z) * slope(t[i])
        }
        return LossAndGradient(
            loss: Tensor(uncheckedShape: shape, scalars: values),
            gradient: Tensor(
                uncheckedShape: predictions.shape,
                scalars: Broadcasting.sumToShape(gradient, from: shape, to: predictions.shape)))
    }

    private static func multiclass<Scalar: Real & BinaryFloatingPoint & Sendable>(
        _ scores: Tensor<Scalar>, _ labels: Tensor<Int>, hinge: Bool
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        let classes = try LastAxis.Layout(scores.shape, argument: "scores").width
        guard classes > 0 else {
            throw .shapeMismatch("scores", "zero-size array to reduction operation max which has no identity")
        }
        let shape = try Broadcasting.shape(scores.shape, "scores", labels.shape + [classes], "labels")
        let layout = try LastAxis.Layout(shape, argument: "scores")
        let f = SubnormalMode.flushToZero
        let s = f(Broadcasting.expand(scores, to: shape))
        let y = Broadcasting.expand(labels, to: layout.rowShape)
        var values = [Scalar](repeating: 0, count: layout.rows)
        var gradient = [Scalar](repeating: 0, count: s.count)
        for row in 0..<layout.rows {
            let range = layout.range(ofRow: row)
            let label = y[row]
            // The hinge maximises `scores + 1 − onehot`, the perceptron the scores themselves.
            func shifted(_ k: Int) -> Scalar {
                hinge ? f(f(s[k] + 1) - (k - range.lowerBound == label ? 1 : 0)) : s[k]
            }
            var best: Scalar = -.infinity
            var dot: Scalar = 0
            for k in range {
                let v = shifted(k)
                best = v.isNaN || best.isNaN ? .nan : Swift.max(best, v)
                dot = f(dot + s[k] * (k - range.lowerBound == label ? 1 : 0))
            }
            values[row] = best - dot
            // jnp.max's gradient: an equal split among the maxima; a NaN max equals
            // nothing and the split is 0/0 = NaN for the whole row.
            let ties = range.count { shifted($0) == best }
            for k in range {
                let share = (shifted(k) == best ? 1 : 0) / Scalar(ties)
                gradient[k] = share - (k - range.lowerBound == label ? 1 : 0)
            }
        }
        return LossAndGradient(
            loss: Tensor(uncheckedShape: layout.rowShape, scalars: values),
            gradient: Tensor(
                uncheckedShape: scores.shape, scalars: Broadcasting.sumToShape(gradient, from: shape, to: scores.shape)))
    }
}
