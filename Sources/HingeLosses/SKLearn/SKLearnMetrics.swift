/// `sklearn.metrics.hinge_loss(y_true, pred_decision, *, labels=None, sample_weight=None)`
/// (`metrics/_classification.py`): the average, unregularised, non-squared hinge.
///
///     loss = Σ_i w_i · max(0, 1 − margin_i) / Σ_i w_i
///
/// - **Binary** (at most two distinct labels in `labels`, or in `y_true` when
///   `labels` is absent): `pred_decision` is one score per sample, and the
///   labels become ±1 by a `LabelBinarizer` fitted on `y_true` **alone** (the
///   larger label is +1; a `y_true` with one value makes every sample −1);
///   `margin = y± · pred`.
/// - **Multi-class**: `pred_decision` is `(n, K)` with columns in sorted-label
///   order; `margin_i = pred[i, y_i] − max_{k ≠ y_i} pred[i, k]` (Crammer–Singer).
public enum SKLearnMetrics {
    /// - Parameters:
    ///   - yTrue: one label per sample.
    ///   - predDecision: `(n)` or `(n, 1)` scores (binary), `(n, K)` (multi-class).
    ///   - labels: every class, when `y_true` may not show them all.
    ///   - sampleWeight: one weight per sample.
    /// - Throws: `HingeError.shapeMismatch` for shapes that do not fit the labels,
    ///   `.invalidTarget` for a label not in `labels`, `.invalidParameter` for
    ///   NaN or infinite scores and for weights that sum to 0.
    public static func hingeLoss<Label: Hashable & Comparable>(
        yTrue: [Label], predDecision: Tensor<Double>, labels: [Label]? = nil, sampleWeight: [Double]? = nil
    ) throws(HingeError) -> Double {
        let n = yTrue.count
        if let sampleWeight, sampleWeight.count != n {
            throw .shapeMismatch("sample_weight", "Found input variables with inconsistent numbers of samples: [\(n), \(sampleWeight.count)]")
        }
        // check_array(pred_decision) refuses an empty batch and non-finite scores.
        if predDecision.shape.first == 0 || predDecision.count == 0 {
            throw .shapeMismatch(
                "pred_decision",
                "Found array with 0 sample(s) (shape=\(predDecision.shape)) while a minimum of 1 is required.")
        }
        if predDecision.scalars.contains(where: \.isNaN) {
            throw .invalidParameter("pred_decision", "Input contains NaN.")
        }
        if predDecision.scalars.contains(where: \.isInfinite) {
            throw .invalidParameter("pred_decision", "Input contains infinity or a value too large for dtype('float64').")
        }
        let classes = Array(Set(labels ?? yTrue)).sorted()
        var losses = [Double](repeating: 0, count: n)
        if classes.count > 2 {
            guard predDecision.rank == 2 else {
                throw .shapeMismatch(
                    "pred_decision",
                    "The shape of pred_decision cannot be 1d arraywith a multiclass target. pred_decision shape must be (n_samples, n_classes), that is (\(n), \(classes.count)). Got: \(predDecision.shape)"
                )
            }
            let width = predDecision.shape[1]
            guard width == classes.count else {
                throw .shapeMismatch(
                    "pred_decision",
                    labels == nil
                        ? "Please include all labels in y_true or pass labels as third argument"
                        : "The shape of pred_decision is not consistent with the number of classes. With a multiclass target, pred_decision shape must be (n_samples, n_classes), that is (\(n), \(classes.count)). Got: \(predDecision.shape)"
                )
            }
            guard predDecision.shape[0] == n else {
                throw .shapeMismatch("pred_decision", "Found input variables with inconsistent numbers of samples: [\(n), \(predDecision.shape[0])]")
            }
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
            for (i, label) in yTrue.enumerated() {
                guard let y = index[label] else {
                    throw .invalidTarget("y_true", "y contains previously unseen labels: \(label)")
                }
                let row = predDecision.scalars[(i * width)..<(i * width + width)]
                var best = -Double.infinity
                for (k, v) in row.enumerated() where k != y {
                    best = v.isNaN || best.isNaN ? .nan : max(best, v)
                }
                let margin = row[row.startIndex + y] - best
                losses[i] = clip(1 - margin)
            }
        } else {
            let columns = predDecision.rank == 2 ? predDecision.shape[1] : 1
            guard predDecision.rank <= 1 || (predDecision.rank == 2 && columns == 1) else {
                throw .shapeMismatch("pred_decision", "y should be a 1d array, got an array of shape \(predDecision.shape) instead.")
            }
            guard predDecision.count == n else {
                throw .shapeMismatch("pred_decision", "Found input variables with inconsistent numbers of samples: [\(n), \(predDecision.count)]")
            }
            let fitted = Array(Set(yTrue)).sorted()
            for i in 0..<n {
                let sign: Double = fitted.count == 2 && yTrue[i] == fitted[1] ? 1 : -1
                losses[i] = clip(1 - sign * predDecision.scalars[i])
            }
        }
        // np.average: Σ w·l / Σ w (plain mean without weights).
        guard let sampleWeight else {
            return losses.reduce(0, +) / Double(n)
        }
        let total = sampleWeight.reduce(0, +)
        guard total != 0 else {
            throw .invalidParameter("sample_weight", "Weights sum to zero, can't be normalized")
        }
        var weighted = 0.0
        for i in 0..<n { weighted += losses[i] * sampleWeight[i] }
        return weighted / total
    }

    /// `np.clip(x, 0, None)`: NaN stays NaN.
    private static func clip(_ x: Double) -> Double { x.isNaN ? x : max(x, 0) }
}
