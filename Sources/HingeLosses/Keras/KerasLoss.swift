import RealModule

/// How a Keras 3 `Loss` reduces its weighted per-sample values
/// (`keras/src/losses/loss.py`, `reduce_values`).
public enum KerasReduction: String, Hashable, Sendable, CaseIterable {
    /// The default: `sum / number of elements` of the weighted values (not of nonzero weights).
    case sumOverBatchSize = "sum_over_batch_size"
    case sum
    /// Identical to `sumOverBatchSize`.
    case mean
    /// `sum / sum(sample_weight)`, the weights as given (a scalar weight therefore gives a sum).
    case meanWithSampleWeight = "mean_with_sample_weight"
    /// The weighted values, unreduced (`None` in Python).
    case none

    /// Parses Keras's reduction names; `nil` (Python's `None`) is `.none`.
    ///
    /// - Throws: `HingeError.invalidParameter` naming `reduction` for any other name.
    public init(parsing name: String?) throws(HingeError) {
        guard let name else {
            self = .none
            return
        }
        self = try .parsed(name) {
            .invalidParameter(
                "reduction",
                "Invalid value for argument `reduction`. Expected one of sum_over_batch_size, sum, None, none, mean, mean_with_sample_weight. Received: reduction=\($0)"
            )
        }
    }
}

/// The Keras 3 loss classes `keras.losses.Hinge`, `keras.losses.SquaredHinge`
/// and `keras.losses.CategoricalHinge`: a ``KerasLossFunction`` inside
/// `Loss.__call__`'s pipeline.
///
/// The pipeline, in Keras's order:
/// 1. `y_true` and `y_pred` are cast to the loss's dtype (float32 unless `dtype=`),
///    which the caller does by choosing `Scalar`;
/// 2. `squeeze_or_expand_to_same_rank(y_true, y_pred)`: when the ranks differ by
///    exactly one and the longer's last dimension is 1, a rank-1 shorter one is
///    expanded to `(N, 1)`, otherwise the longer is squeezed;
/// 3. the function gives per-sample values;
/// 4. `sample_weight` is rank-aligned with the values the same way, multiplied in
///    (broadcasting: a `(N,)` weight on `(N, T)` values broadcasts along T when
///    T == N and is an error otherwise);
/// 5. the reduction; a result of shape `()` or `(0,)` bypasses it, so 1-D inputs
///    give one batch mean whatever the reduction, and an empty batch an empty
///    array. Divisions are divide-no-NaN: 0 when the divisor is 0.
///
/// Sums (`ops.sum` of the weighted values and of the weights, and autograd's sums
/// of broadcast gradients) follow the backend's ``ReductionOrder``; every product
/// and quotient, forward and backward, is flushed like the backend's CPU kernels
/// flush subnormals (so `1 / divisor` is 0 for a divisor above 2¹²⁶, and a
/// subnormal sample weight is 0).
public struct KerasLoss<Scalar: Real & BinaryFloatingPoint & Sendable>: Sendable {
    public let function: KerasLossFunction
    public let reduction: KerasReduction
    public let backend: KerasBackend

    public init(_ function: KerasLossFunction, reduction: KerasReduction = .sumOverBatchSize, backend: KerasBackend = .tensorflow) {
        self.function = function
        self.reduction = reduction
        self.backend = backend
    }

    /// The loss alone: the same pipeline without the backward pass.
    ///
    /// - Throws: as ``callAsFunction(yTrue:yPred:sampleWeight:)``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func loss(
        yTrue: Tensor<Scalar>, yPred: Tensor<Scalar>, sampleWeight: Tensor<Scalar>? = nil
    ) throws(HingeError) -> Tensor<Scalar> {
        try evaluate(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, withGradient: false).loss
    }

    /// The loss and its gradient with respect to `y_pred`.
    ///
    /// - Throws: `HingeError.shapeMismatch` when `y_true`/`y_pred` or the values and
    ///   `sample_weight` do not broadcast.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(
        yTrue: Tensor<Scalar>, yPred: Tensor<Scalar>, sampleWeight: Tensor<Scalar>? = nil
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        try evaluate(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight, withGradient: true)
    }

    private func evaluate(
        yTrue: Tensor<Scalar>, yPred: Tensor<Scalar>, sampleWeight: Tensor<Scalar>?, withGradient: Bool
    ) throws(HingeError) -> LossAndGradient<Scalar> {
        let f = backend.subnormals
        let (alignedTrue, alignedPred) = KerasRank.squeezeOrExpand(yTrue, yPred)
        let evaluation = try function(yTrue: alignedTrue, yPred: alignedPred, backend: backend)

        // Weight the values (rank-aligned with the weights first).
        var values = evaluation.values
        var weights: Tensor<Scalar>? = nil
        var weighted = values.scalars
        var weightedShape = values.shape
        var expandedWeights: [Scalar]? = nil
        if let sampleWeight {
            let (v, w) = KerasRank.squeezeOrExpand(
                values, Tensor(uncheckedShape: sampleWeight.shape, scalars: f(sampleWeight.scalars)))
            values = v
            weights = w
            weightedShape = try Broadcasting.shape(v.shape, "values", w.shape, "sample_weight")
            let vb = Broadcasting.expand(v, to: weightedShape)
            let wb = Broadcasting.expand(w, to: weightedShape)
            expandedWeights = wb
            weighted = zip(vb, wb).map { f($0 * $1) }
        }

        // Reduce, and find the gradient of the output's sum with respect to each weighted value.
        let output: Tensor<Scalar>
        let upstream: Scalar
        if reduction == .none || weightedShape == [] || weightedShape == [0] {
            output = Tensor(uncheckedShape: weightedShape, scalars: weighted)
            upstream = 1
        } else {
            let order = backend.reductionOrder
            let sum = order.total(weighted)
            switch reduction {
            case .sum, .none:
                output = Tensor(scalar: sum)
                upstream = 1
            case .sumOverBatchSize, .mean, .meanWithSampleWeight:
                let divisor: Scalar
                if reduction == .meanWithSampleWeight, let weights {
                    // ops.sum(sample_weight): the rank-aligned weights, before broadcasting.
                    divisor = order.total(weights.scalars)
                } else {
                    divisor = Scalar(weighted.count)
                }
                output = Tensor(scalar: divisor == 0 ? 0 : f(sum / divisor))
                upstream = divisor == 0 ? 0 : f(1 / divisor)
            }
        }

        guard withGradient else { return LossAndGradient(loss: output, gradient: Tensor(uncheckedShape: [0], scalars: [])) }
        // Back through the weights to the per-sample values, then through the function.
        var perWeighted = [Scalar](repeating: upstream, count: weighted.count)
        if let expandedWeights {
            perWeighted = expandedWeights.map { f(upstream * $0) }
        }
        let perValue = f(backend.reductionOrder.sum(perWeighted, from: weightedShape, to: values.shape))
        let gradient = try evaluation.gradient(upstream: perValue)
        return LossAndGradient(loss: output, gradient: Tensor(uncheckedShape: yPred.shape, scalars: gradient.scalars))
    }
}

/// Keras 3's rank alignment, `squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True)`.
enum KerasRank {
    /// When the ranks differ by exactly one and the longer tensor's last dimension
    /// is 1: a rank-1 shorter tensor is expanded to `(N, 1)`; otherwise the longer
    /// one is squeezed. Anything else is returned as it is (and may then broadcast).
    static func squeezeOrExpand<A, B>(_ x1: Tensor<A>, _ x2: Tensor<B>) -> (Tensor<A>, Tensor<B>) {
        var (a, b) = (x1, x2)
        if a.rank == b.rank + 1, a.shape.last == 1 {
            if b.rank == 1 {
                b = Tensor(uncheckedShape: b.shape + [1], scalars: b.scalars)
            } else {
                a = Tensor(uncheckedShape: Array(a.shape.dropLast()), scalars: a.scalars)
            }
        }
        if b.rank == a.rank + 1, b.shape.last == 1 {
            if a.rank == 1 {
                a = Tensor(uncheckedShape: a.shape + [1], scalars: a.scalars)
            } else {
                b = Tensor(uncheckedShape: Array(b.shape.dropLast()), scalars: b.scalars)
            }
        }
        return (a, b)
    }
}
