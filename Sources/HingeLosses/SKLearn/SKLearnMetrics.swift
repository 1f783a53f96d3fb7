/// `sklearn.metrics.hinge_loss(y_true, pred_decision, *, labels=None, sample_weight=None)`
/// (`metrics/_classification.py`): the average, unregularised, non-squared hinge.
///
///     loss = Σ_i w_i · max(0, 1 − margin_i) / Σ_i w_i
///
/// - **Binary** (at most two distinct labels in `labels`, or in `y_true` when
///   `labels` is absent): `pred_decision` is one score per sample, and the
///   labels become ±1 by column 0 of `LabelBinarizer(neg_label=-1)` fitted on
///   `y_true` **alone**, whatever `labels` says: with two distinct values in
///   `y_true` the larger is +1; with one value every sample is −1; with three
///   or more (possible when `labels` names at most two) the binarizer is
///   one-hot, so the **smallest** value of `y_true` is +1 and all others −1.
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
            // LabelBinarizer(neg_label=-1).fit_transform(y_true)[:, 0]
            let fitted = Array(Set(yTrue)).sorted()
            let positive: Label? =
                switch fitted.count {
                case 2: fitted[1]  // binary: one column, the larger class
                case 3...: fitted[0]  // multi-class: one-hot, column 0 is the smallest class
                default: nil  // one class: every row gets neg_label
                }
            for i in 0..<n {
                let sign: Double = yTrue[i] == positive ? 1 : -1
                losses[i] = clip(1 - sign * predDecision.scalars[i])
            }
        }
        // np.average: Σ w·l / Σ w (plain mean without weights), each sum NumPy's
        // pairwise one, so that a weight sum is exactly 0 exactly when NumPy's is.
        guard let sampleWeight else {
            return NumPySum.sum(losses) / Double(n)
        }
        let total = NumPySum.sum(sampleWeight)
        guard total != 0 else {
            // np.average raises ZeroDivisionError (not a ValueError); the fixtures
            // classify it as invalid_parameter, like other bad input values.
            throw .invalidParameter("sample_weight", "Weights sum to zero, can't be normalized")
        }
        let weighted = NumPySum.sum((0..<n).map { losses[$0] * sampleWeight[$0] })
        return weighted / total
    }

    /// `np.clip(x, 0, None)`: NaN stays NaN.
    private static func clip(_ x: Double) -> Double { x.isNaN ? x : max(x, 0) }
}
