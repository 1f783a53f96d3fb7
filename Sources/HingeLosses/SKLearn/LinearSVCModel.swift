/// A fitted ``LinearSVC``: scikit-learn's `coef_`, `intercept_` and `n_iter_`,
/// with `decision_function` and `predict` of `LinearClassifierMixin`.
public struct LinearSVCModel: Sendable, Hashable {
    /// `coef_`: one row for two classes (positive class = index 1), else one per class.
    public let coef: [[Double]]
    /// `intercept_`, one per row; `nil` when the intercept is not fitted
    /// (scikit-learn then stores the Python float `0.0`).
    public let intercept: [Double]?
    /// `n_iter_`: the largest iteration count over the sub-problems.
    public let nIter: Int
    /// The iteration count of each LIBLINEAR sub-problem (one for binary and Crammer–Singer).
    public let nIterPerProblem: [Int]
    /// The LIBLINEAR solver id used (1, 2, 3, 4 or 5).
    public let solver: Int
    /// Whether scikit-learn would warn "Liblinear failed to converge":
    /// `n_iter_ >= max_iter`, even for Crammer–Singer, which ignores max_iter.
    public let convergenceWarning: Bool
    /// The number of features the model was fitted on.
    public let featureCount: Int

    /// The class count the model predicts over (2 when ``coef`` has one row).
    public var classCount: Int { coef.count == 1 ? 2 : coef.count }

    init(
        trained: LinearSVC.Trained, featureCount: Int, fitIntercept: Bool, interceptScaling: Double,
        crammerSinger: Bool, maxIter: Int, solver: Int
    ) {
        var coef: [[Double]]
        var intercept: [Double]?
        if fitIntercept {
            // coef_ = raw[:, :-1]; intercept_ = intercept_scaling * raw[:, -1]
            coef = trained.rows.map { Array($0[0..<featureCount]) }
            intercept = trained.rows.map { interceptScaling * $0[featureCount] }
        } else {
            coef = trained.rows
            intercept = nil
        }
        if crammerSinger && coef.count == 2 {
            // LinearSVC.fit: coef_ = (coef_[1] − coef_[0])[None], intercept_ = [b1 − b0].
            coef = [zip(coef[1], coef[0]).map { $0 - $1 }]
            intercept = intercept.map { [$0[1] - $0[0]] }
        }
        self.coef = coef
        self.intercept = intercept
        self.nIterPerProblem = trained.iterations
        self.nIter = trained.iterations.max() ?? 0
        self.solver = solver
        self.convergenceWarning = nIter >= maxIter
        self.featureCount = featureCount
    }

    /// `decision_function(X)`: `X @ coef_.T + intercept_`, one row per sample
    /// with one column per coef row (a single column for binary models, where
    /// scikit-learn ravels to shape `(n,)`). Each dot product is summed
    /// sequentially in column order (scikit-learn's BLAS `gemm` may round the
    /// last bits differently).
    ///
    /// - Throws: in scikit-learn's order (`validate_data`: `check_array`, then
    ///   the feature count): `HingeError.shapeMismatch` naming `X` for no rows or
    ///   no columns; `.invalidParameter` naming `X` for NaN or infinity;
    ///   `.shapeMismatch` naming `X` when its feature count differs.
    public func decisionFunction(_ x: FeatureMatrix) throws(HingeError) -> [[Double]] {
        try x.validateForSKLearn()
        guard x.columns == featureCount else {
            throw .shapeMismatch("X", "X has \(x.columns) features, but LinearSVC is expecting \(featureCount) features as input.")
        }
        let offsets = intercept ?? [Double](repeating: 0, count: coef.count)
        var scores: [[Double]] = []
        scores.reserveCapacity(x.rows)
        switch x {
        case .dense(let m):
            for i in 0..<m.rows {
                let row = m.values[(i * featureCount)..<((i + 1) * featureCount)]
                scores.append(
                    coef.indices.map { k in
                        var sum = 0.0
                        for (v, wj) in zip(row, coef[k]) { sum += v * wj }
                        return sum + offsets[k]
                    })
            }
        case .sparse(let m):
            // The stored entries in their stored order; skipping the zeros of
            // a dense row changes no sum, so both layouts agree.
            for i in 0..<m.rows {
                scores.append(
                    coef.indices.map { k in
                        var sum = 0.0
                        for e in m.indptr[i]..<m.indptr[i + 1] { sum += m.values[e] * coef[k][m.indices[e]] }
                        return sum + offsets[k]
                    })
            }
        }
        return scores
    }

    /// `predict(X)` as class indices: binary → 1 where the score is > 0, else 0
    /// (a score of exactly 0, or NaN, gives class 0); multi-class → the first
    /// index of the largest score (NumPy's `argmax`, where a NaN wins).
    public func predict(_ x: FeatureMatrix) throws(HingeError) -> [Int] {
        try decisionFunction(x).map { row in
            if row.count == 1 { return row[0] > 0 ? 1 : 0 }
            var best = 0
            for k in 1..<row.count {
                if row[best].isNaN { break }
                if row[k] > row[best] || row[k].isNaN { best = k }
            }
            return best
        }
    }
}
