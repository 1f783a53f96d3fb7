/// scikit-learn's `sklearn.svm.SVC` (1.9.1), fitted by a port of the libsvm it
/// vendors (`svm/src/libsvm/svm.cpp`, C-SVC): one binary problem per pair of
/// classes (one-vs-one), each solved by SMO with WSS3 working-set selection and
/// shrinking (``LibsvmSolver``).
///
/// Each binary problem (classes i < j, class i as +1) is the dual
///
///     min ½αᵀQα − eᵀα   s.t.  yᵀα = 0,  0 ≤ α_k ≤ C_k,   Q_kl = y_k y_l K(x_k, x_l)
///
/// with `C_k = sample_weight_k · C · class_weight[class of k]`, so unlike
/// ``LinearSVC`` the intercept is not regularised, the loss is the plain
/// hinge, and the problems are one-vs-one rather than one-vs-rest.
///
/// What follows scikit-learn's `BaseSVC.fit` and libsvm's `svm_train`:
/// - samples with weight ≤ 0 are dropped before training (`remove_zero_weight`),
///   and `support_` then indexes the **remaining** samples, not the rows of `X`
///   (a scikit-learn quirk, kept);
/// - samples are grouped by class in sorted class order (scikit-learn's libsvm
///   sorts the labels in `svm_group_classes`), so the problems come in the order
///   (0,1), (0,2), …, (1,2), … of `classes_`;
/// - `'balanced'` class weights ignore `sample_weight` (SVC does not pass it to
///   `compute_class_weight`);
/// - `gamma='scale'` is `1 / (n_features · X.var())` with NumPy's pairwise sums
///   (1 when the variance is 0), `'auto'` is `1 / n_features`;
/// - for two classes scikit-learn flips the signs of `dual_coef_`,
///   `intercept_` and the decision function, so that positive means `classes_[1]`.
///
/// Fits reproduce `support_`, `dual_coef_`, `intercept_` and `n_iter_` bit for bit
/// when `blasKernel` names the OpenBLAS kernel set scikit-learn's SciPy ran (the
/// dense kernels call `ddot`) and, for rbf and sigmoid, the machine's libm agrees
/// with the one scikit-learn ran on (`exp`, `tanh`). CSR input follows libsvm's
/// sparse code (`svm_csr`: columns sorted per row as `sort_indices` does, dot
/// products as sequential sums over matching columns, no BLAS).
///
/// Deviations, documented where they apply:
/// - `probability=True` (Platt scaling by internal cross-validation) is not ported:
///   an `invalid_parameter` error;
/// - `C = inf`, which scikit-learn accepts but on which libsvm does not terminate,
///   is an error;
/// - a class whose samples all have weight ≤ 0 is an error (scikit-learn returns a
///   model whose shapes disagree with `classes_`, or raises an IndexError);
/// - a sample weight of +inf is an error (libsvm would get C_i = inf); NaN and
///   −inf weights are dropped like 0, as scikit-learn does.
public struct SVC: Sendable {
    public enum Kernel: String, Sendable, CaseIterable { case linear, poly, rbf, sigmoid, precomputed }
    public enum Gamma: Sendable, Hashable { case scale, auto, value(Double) }
    public enum DecisionFunctionShape: String, Sendable, CaseIterable { case ovr, ovo }
    public typealias ClassWeight = LinearSVC.ClassWeight

    public let kernel: Kernel
    public let degree: Int
    public let gamma: Gamma
    public let coef0: Double
    public let tol: Double
    public let C: Double
    public let shrinking: Bool
    /// libsvm's kernel cache in MB: only memory, never results.
    public let cacheSize: Double
    public let classWeight: ClassWeight?
    public let maxIter: Int
    public let decisionFunctionShape: DecisionFunctionShape
    public let breakTies: Bool
    /// The OpenBLAS kernel set whose `ddot` rounding the dense kernels follow.
    public let blasKernel: LinearSVC.BLASKernel

    /// Checks the parameters like scikit-learn's `_parameter_constraints`.
    ///
    /// - Throws: `HingeError.invalidParameter` naming the parameter, with
    ///   scikit-learn's message, for `degree < 0`, a `gamma` value < 0 or not
    ///   finite, `coef0` not finite, `tol` not in (0, inf), `C` ≤ 0 or NaN,
    ///   `max_iter < −1`, `cache_size` ≤ 0; naming `C` for `C = inf` and
    ///   `probability` for `true` (both not ported).
    public init(
        C: Double = 1, kernel: Kernel = .rbf, degree: Int = 3, gamma: Gamma = .scale, coef0: Double = 0,
        shrinking: Bool = true, probability: Bool = false, tol: Double = 1e-3, cacheSize: Double = 200,
        classWeight: ClassWeight? = nil, maxIter: Int = -1, decisionFunctionShape: DecisionFunctionShape = .ovr,
        breakTies: Bool = false, blasKernel: LinearSVC.BLASKernel = .haswell
    ) throws(HingeError) {
        guard degree >= 0 else {
            throw .invalidParameter("degree", "The 'degree' parameter of SVC must be an int in the range [0, inf). Got \(degree) instead.")
        }
        if case .value(let g) = gamma, !(g >= 0 && g.isFinite) {
            throw .invalidParameter(
                "gamma",
                "The 'gamma' parameter of SVC must be a str among {'auto', 'scale'} or a float in the range [0.0, inf). Got \(LinearSVC.pythonRepr(g)) instead.")
        }
        guard coef0.isFinite else {
            throw .invalidParameter("coef0", "The 'coef0' parameter of SVC must be a float in the range (-inf, inf). Got \(LinearSVC.pythonRepr(coef0)) instead.")
        }
        guard tol > 0, tol.isFinite else {
            throw .invalidParameter("tol", "The 'tol' parameter of SVC must be a float in the range (0.0, inf). Got \(LinearSVC.pythonRepr(tol)) instead.")
        }
        guard C > 0 else {
            throw .invalidParameter("C", "The 'C' parameter of SVC must be a float in the range (0.0, inf]. Got \(LinearSVC.pythonRepr(C)) instead.")
        }
        guard C.isFinite else {
            throw .invalidParameter("C", "C = inf is accepted by scikit-learn but libsvm does not terminate on it; not supported")
        }
        guard maxIter >= -1 else {
            throw .invalidParameter("max_iter", "The 'max_iter' parameter of SVC must be an int in the range [-1, inf). Got \(maxIter) instead.")
        }
        guard cacheSize > 0, cacheSize.isFinite else {
            throw .invalidParameter("cache_size", "The 'cache_size' parameter of SVC must be a float in the range (0, inf). Got \(LinearSVC.pythonRepr(cacheSize)) instead.")
        }
        guard !probability else {
            throw .invalidParameter(
                "probability",
                "probability=True (Platt scaling with libsvm's internal 5-fold cross-validation) is not ported; scikit-learn 1.9 deprecates it in favour of CalibratedClassifierCV(SVC(), ensemble=False)")
        }
        if case .perClass(let weights) = classWeight {
            for (key, value) in weights.sorted(by: { $0.key < $1.key }) where !(value.isFinite && value >= 0) {
                throw .invalidParameter(
                    "class_weight",
                    "the weight \(value) of class index \(key) must be a finite number >= 0 (scikit-learn accepts it but fits a meaningless model)")
            }
        }
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.shrinking = shrinking
        self.cacheSize = cacheSize
        self.classWeight = classWeight
        self.maxIter = maxIter
        self.decisionFunctionShape = decisionFunctionShape
        self.breakTies = breakTies
        self.blasKernel = blasKernel
    }

    /// `gamma` as `fit` resolves it (`_gamma`): 0 for a precomputed kernel.
    func resolvedGamma(_ x: FeatureMatrix) -> Double {
        if kernel == .precomputed { return 0 }
        switch (gamma, x) {
        case (.value(let g), _): return g
        case (.auto, _): return 1 / Double(x.columns)
        case (.scale, .sparse(let m)):
            // X.multiply(X).mean() - X.mean() ** 2: scipy's mean is the pairwise np.sum of
            // data · (1 / (n·d)); the elementwise product drops the zeros it makes.
            let inverse = 1 / Double(m.rows * m.columns)
            let meanSquare = NumPySum.sum(m.values.map { $0 * $0 }.filter { $0 != 0 }.map { $0 * inverse })
            let mean = NumPySum.sum(m.values.map { $0 * inverse })
            let variance = meanSquare - mean * mean
            return variance != 0 ? 1 / (Double(x.columns) * variance) : 1
        case (.scale, .dense(let x)):
            // ndarray.var(): mean by a pairwise sum / N, then the pairwise sum of the squared deviations / N.
            let count = Double(x.values.count)
            let mean = NumPySum.sum(x.values) / count
            let variance = NumPySum.sum(x.values.map { ($0 - mean) * ($0 - mean) }) / count
            return variance != 0 ? 1 / (Double(x.columns) * variance) : 1
        }
    }

    // MARK: - Fit

    /// Fits on class indices `0..<classCount` (the adapter sorts the labels like
    /// `np.unique` and encodes them).
    ///
    /// - Throws: `HingeError`, in scikit-learn's order: `.invalidParameter("X")`
    ///   for CSR input with a precomputed kernel, NaN or infinity; `.shapeMismatch("X")` for no
    ///   rows or columns; `.shapeMismatch("y")` for a label count other than the
    ///   row count; `.invalidTarget("y")` for an index outside `0..<classCount` or a
    ///   class without samples; `.invalidParameter("class_weight")` for
    ///   dictionary keys that are not classes while some class is unweighted;
    ///   `.invalidTarget("y")` for fewer than 2 classes; `.shapeMismatch("X")` for
    ///   a precomputed kernel that is not square; `.shapeMismatch("sample_weight")`
    ///   for a wrong length; `.invalidParameter("sample_weight")` for a weight of
    ///   +inf (NaN and −inf are dropped like 0, as libsvm does), all weights ≤ 0, positive weights in one class only, or a class
    ///   without positive weight; `.invalidParameter("X")` when the fitted
    ///   intercepts or dual coefficients are not finite (scikit-learn's check after
    ///   libsvm, reached e.g. with a class weight of 0).
    public func fit(_ x: FeatureMatrix, classIndices y: [Int], classCount: Int, sampleWeight: [Double]? = nil)
        throws(HingeError) -> SVCModel
    {
        if case .sparse = x, kernel == .precomputed {
            throw .invalidParameter("X", "Sparse precomputed kernels are not supported.")
        }
        try x.validateForSKLearn(estimator: "SVC")
        guard x.rows < Int(Int32.max), x.columns < Int(Int32.max) else {
            throw .shapeMismatch("X", "libsvm indexes samples with 32-bit ints; shape (\(x.rows), \(x.columns)) is too large")
        }
        guard y.count == x.rows else {
            throw .shapeMismatch("y", "Found input variables with inconsistent numbers of samples: [\(x.rows), \(y.count)]")
        }
        guard classCount >= 0, classCount <= y.count || y.isEmpty else {
            throw .invalidTarget("y", "classCount \(classCount) must be the number of distinct labels (np.unique)")
        }
        var present = [Bool](repeating: false, count: classCount)
        for (i, label) in y.enumerated() {
            guard (0..<classCount).contains(label) else {
                throw .invalidTarget("y", "class index \(label) at position \(i) is outside 0..<\(classCount)")
            }
            present[label] = true
        }
        if let missing = present.firstIndex(of: false) {
            throw .invalidTarget("y", "class index \(missing) has no samples; classCount must be the number of distinct labels (np.unique)")
        }
        // _validate_targets: compute_class_weight (without sample weights) before the class count.
        let classWeights = try LinearSVC.classWeights(classWeight, y: y, classCount: classCount, sampleWeight: nil)
        guard classCount >= 2 else {
            throw .invalidTarget("y", "The number of classes has to be greater than one; got \(classCount) class")
        }
        if kernel == .precomputed && x.rows != x.columns {
            throw .shapeMismatch("X", "Precomputed matrix must be a square matrix. Input is a \(x.rows)x\(x.columns) matrix.")
        }
        let weights: [Double]
        if let sampleWeight {
            guard sampleWeight.count == x.rows else {
                throw .shapeMismatch(
                    "sample_weight",
                    "sample_weight and X have incompatible shapes: (\(sampleWeight.count),) vs (\(x.rows), \(x.columns))")
            }
            // scikit-learn does not check them: libsvm drops NaN and −inf with the
            // weights ≤ 0. +inf would give C_i = inf, on which libsvm need not stop.
            if let bad = sampleWeight.firstIndex(of: .infinity) {
                throw .invalidParameter(
                    "sample_weight", "sample_weight[\(bad)] is inf: libsvm would get an infinite C for that sample; not supported")
            }
            weights = sampleWeight
        } else {
            weights = [Double](repeating: 1, count: x.rows)
        }
        // svm_check_parameter on the weights.
        let kept = (0..<x.rows).filter { weights[$0] > 0 }
        guard !kept.isEmpty else {
            throw .invalidParameter("sample_weight", "Invalid input - all samples have zero or negative weights.")
        }
        let keptClasses = Set(kept.map { y[$0] })
        if kept.count != x.rows && keptClasses.count == 1 {
            throw .invalidParameter("sample_weight", "Invalid input - all samples with positive weights belong to the same class.")
        }
        if keptClasses.count != classCount {
            let missing = (0..<classCount).first { !keptClasses.contains($0) } ?? 0
            throw .invalidParameter(
                "sample_weight",
                "class index \(missing) has no sample with a positive weight (scikit-learn returns a malformed model)")
        }
        let gammaValue = resolvedGamma(x)
        let model = train(
            x, y: y, classCount: classCount, weights: weights, kept: kept, classWeights: classWeights, gamma: gammaValue)
        // BaseLibSVM.fit: a problem without free variables and a zero upper bound
        // (a class weight of 0) has an infinite rho, which scikit-learn refuses.
        guard model.internalIntercept.allSatisfy(\.isFinite), model.libsvmDualCoef.allSatisfy({ $0.allSatisfy(\.isFinite) })
        else {
            throw .invalidParameter(
                "X",
                "The dual coefficients or intercepts are not finite. The input data may contain large values and need to be preprocessed.")
        }
        return model
    }

    /// libsvm's `svm_train` for C_SVC after `remove_zero_weight`.
    private func train(
        _ x: FeatureMatrix, y: [Int], classCount K: Int, weights: [Double], kept: [Int], classWeights: [Double], gamma: Double
    ) -> SVCModel {
        // svm_group_classes: stable grouping by (sorted) class.
        var perm: [Int] = []  // grouped position -> kept position
        var count = [Int](repeating: 0, count: K)
        for c in 0..<K {
            for (k, row) in kept.enumerated() where y[row] == c {
                perm.append(k)
                count[c] += 1
            }
        }
        var start = [Int](repeating: 0, count: K)
        for c in 1..<K { start[c] = start[c - 1] + count[c - 1] }
        let rows = perm.map { kept[$0] }  // grouped position -> row of X
        let weightedC = classWeights.map { C * $0 }

        // The kernel on the grouped samples; precomputed reads X[row_i][row_j].
        let libsvmKernel: LibsvmKernel
        var sparseSupport: SortedCSR?
        switch x {
        case .sparse(let m):
            let grouped = SortedCSR(m).rows(rows)
            libsvmKernel = LibsvmKernel(kernel: kernel, degree: degree, gamma: gamma, coef0: coef0, sparse: grouped)
            sparseSupport = grouped
        case .dense(let x) where kernel == .precomputed:
            libsvmKernel = LibsvmKernel(
                kernel: kernel, degree: degree, gamma: gamma, coef0: coef0, blasKernel: blasKernel, values: x.values,
                columns: x.columns)
        case .dense(let x):
            var values: [Double] = []
            values.reserveCapacity(rows.count * x.columns)
            for r in rows { values.append(contentsOf: x.values[(r * x.columns)..<((r + 1) * x.columns)]) }
            libsvmKernel = LibsvmKernel(
                kernel: kernel, degree: degree, gamma: gamma, coef0: coef0, blasKernel: blasKernel, values: values,
                columns: x.columns)
        }
        let precomputed = kernel == .precomputed

        var nonzero = [Bool](repeating: false, count: rows.count)
        var solutions: [LibsvmSolver.Solution] = []
        var status = 0
        for i in 0..<K {
            for j in (i + 1)..<K {
                let members = Array(start[i]..<(start[i] + count[i])) + Array(start[j]..<(start[j] + count[j]))
                let ySub = [Int8](repeating: 1, count: count[i]) + [Int8](repeating: -1, count: count[j])
                let upper = members.enumerated().map { k, g in weights[rows[g]] * (k < count[i] ? weightedC[i] : weightedC[j]) }
                // The kernel's row of each sample: X's row (precomputed) or the grouped row.
                let kernelRows = precomputed ? members.map { rows[$0] } : members
                let solution = LibsvmSolver.solve(
                    y: ySub, upper: upper, kernel: libsvmKernel, rows: kernelRows, eps: tol, shrinking: shrinking,
                    maxIter: maxIter, cacheBytes: cacheSize * 1_048_576)
                if solution.timedOut { status = 1 }
                for (k, g) in members.enumerated() where solution.alpha[k].magnitude > 0 { nonzero[g] = true }
                solutions.append(solution)
            }
        }

        var nSupport = [Int](repeating: 0, count: K)
        for c in 0..<K { nSupport[c] = nonzero[start[c]..<(start[c] + count[c])].filter { $0 }.count }
        var nzStart = [Int](repeating: 0, count: K)
        for c in 1..<K { nzStart[c] = nzStart[c - 1] + nSupport[c - 1] }
        let total = nSupport.reduce(0, +)
        var dualCoef = [[Double]](repeating: [Double](repeating: 0, count: total), count: K - 1)
        var p = 0
        for i in 0..<K {
            for j in (i + 1)..<K {
                let alpha = solutions[p].alpha
                var q = nzStart[i]
                for k in 0..<count[i] where nonzero[start[i] + k] {
                    dualCoef[j - 1][q] = alpha[k]
                    q += 1
                }
                q = nzStart[j]
                for k in 0..<count[j] where nonzero[start[j] + k] {
                    dualCoef[i][q] = alpha[count[i] + k]
                    q += 1
                }
                p += 1
            }
        }
        let supportPositions = nonzero.indices.filter { nonzero[$0] }
        return SVCModel(
            estimator: self, gamma: gamma, classCount: K, support: supportPositions.map { perm[$0] },
            supportRows: supportPositions.map { rows[$0] }, x: x, sparseSupport: sparseSupport?.rows(supportPositions),
            nSupport: nSupport, libsvmDualCoef: dualCoef, rho: solutions.map(\.rho), nIter: solutions.map(\.iterations),
            fitStatus: status)
    }
}

extension SVC.Kernel {
    /// Parses `kernel`. - Throws: `HingeError.invalidParameter` naming `kernel`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) {
        self = try .parsed(name) {
            .invalidParameter(
                "kernel",
                "The 'kernel' parameter of SVC must be a str among {\(Self.quotedRawValues)} or a callable. Got '\($0)' instead.")
        }
    }
}

extension SVC.DecisionFunctionShape {
    /// Parses `decision_function_shape`. - Throws: `HingeError.invalidParameter`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) {
        self = try .parsed(name) {
            .invalidParameter(
                "decision_function_shape",
                "The 'decision_function_shape' parameter of SVC must be a str among {\(Self.quotedRawValues)}. Got '\($0)' instead.")
        }
    }
}

extension SVC.Gamma {
    /// Parses the string form of `gamma`: `"scale"` or `"auto"`.
    /// - Throws: `HingeError.invalidParameter` naming `gamma`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) {
        switch name {
        case "scale": self = .scale
        case "auto": self = .auto
        default:
            throw .invalidParameter(
                "gamma",
                "The 'gamma' parameter of SVC must be a str among {'auto', 'scale'} or a float in the range [0.0, inf). Got '\(name)' instead.")
        }
    }
}
