import RealModule

/// A fitted ``SVC``: scikit-learn's attributes (`support_`, `support_vectors_`,
/// `n_support_`, `dual_coef_`, `intercept_`, `fit_status_`, `n_iter_`,
/// `shape_fit_`, `coef_`) and `decision_function` / `predict` as libsvm's
/// `svm_predict_values` computes them.
public struct SVCModel: Sendable {
    public let classCount: Int
    /// `support_`: indices of the support vectors among the samples with weight > 0.
    public let support: [Int]
    /// The rows of `X` of the support vectors (equal to `support` without zero weights).
    public let supportRows: [Int]
    /// `support_vectors_`, row-major (`(n_SV, n_features)`; empty for a precomputed kernel).
    public let supportVectors: [Double]
    /// `n_support_`: support vectors per class.
    public let nSupport: [Int]
    /// `dual_coef_` as scikit-learn exposes it (`(K − 1, n_SV)`, negated for two classes).
    public let dualCoef: [[Double]]
    /// `intercept_` as scikit-learn exposes it (one per class pair, negated for two classes).
    public let intercept: [Double]
    /// `n_iter_`: SMO iterations per class pair.
    public let nIter: [Int]
    /// `fit_status_`: 1 when some problem stopped at `max_iter`.
    public let fitStatus: Int
    /// `shape_fit_`.
    public let shapeFit: (rows: Int, columns: Int)
    /// `_gamma`: the gamma the kernel used.
    public let gamma: Double

    let estimator: SVC
    /// The support vectors as libsvm's sparse rows, for a model fitted on CSR input.
    let sparseSupport: SortedCSR?
    /// libsvm's sv_coef and rho (before scikit-learn's binary sign flip).
    let libsvmDualCoef: [[Double]]
    let rho: [Double]
    /// `_intercept_` (copy_intercept: −rho, with 0 for a zero rho).
    let internalIntercept: [Double]

    init(
        estimator: SVC, gamma: Double, classCount: Int, support: [Int], supportRows: [Int], x: FeatureMatrix,
        sparseSupport: SortedCSR?, nSupport: [Int], libsvmDualCoef: [[Double]], rho: [Double], nIter: [Int],
        fitStatus: Int
    ) {
        self.estimator = estimator
        self.gamma = gamma
        self.classCount = classCount
        self.support = support
        self.supportRows = supportRows
        self.sparseSupport = sparseSupport
        switch x {
        case .dense(let x):
            supportVectors =
                estimator.kernel == .precomputed
                ? [] : supportRows.flatMap { x.values[($0 * x.columns)..<(($0 + 1) * x.columns)] }
        case .sparse:
            // support_vectors_.toarray(): the stored values of each row at their columns.
            var dense = [Double](repeating: 0, count: supportRows.count * x.columns)
            if let sv = sparseSupport {
                for r in 0..<sv.rows {
                    for k in sv.indptr[r]..<sv.indptr[r + 1] { dense[r * x.columns + sv.indices[k]] += sv.values[k] }
                }
            }
            supportVectors = dense
        }
        self.nSupport = nSupport
        self.libsvmDualCoef = libsvmDualCoef
        self.rho = rho
        self.nIter = nIter
        self.fitStatus = fitStatus
        self.shapeFit = (x.rows, x.columns)
        let internalIntercept = rho.map { $0 != 0 ? -$0 : 0 }
        self.internalIntercept = internalIntercept
        if classCount == 2 {
            dualCoef = libsvmDualCoef.map { $0.map { -$0 } }
            intercept = internalIntercept.map { $0 * -1 }
        } else {
            dualCoef = libsvmDualCoef
            intercept = internalIntercept
        }
    }

    /// The number of features `X_test` must have (`n_samples` of the training set for a precomputed kernel).
    public var featureCount: Int { shapeFit.columns }

    /// `coef_`: `dual_coef_ @ support_vectors_` (binary) or `_one_vs_one_coef`, one
    /// row per class pair; each entry summed sequentially over the support
    /// vectors (scikit-learn's BLAS may round the last bits differently).
    ///
    /// - Throws: `HingeError.invalidParameter` naming `kernel` unless the kernel is
    ///   linear (scikit-learn's `AttributeError`).
    public func coef() throws(HingeError) -> [[Double]] {
        guard estimator.kernel == .linear else {
            throw .invalidParameter("kernel", "coef_ is only available when using a linear kernel")
        }
        let d = featureCount
        var locs = [0]
        for n in nSupport { locs.append(locs.last! + n) }
        func combination(_ parts: [(row: [Double], range: Range<Int>)]) -> [Double] {
            var out = [Double](repeating: 0, count: d)
            for f in 0..<d {
                var sum = 0.0
                for part in parts {
                    var s = 0.0
                    for k in part.range { s += part.row[k] * supportVectors[k * d + f] }
                    sum += s
                }
                out[f] = sum
            }
            return out
        }
        if classCount == 2 { return [combination([(dualCoef[0], 0..<locs[2])])] }
        var rows: [[Double]] = []
        for c1 in 0..<classCount {
            for c2 in (c1 + 1)..<classCount {
                rows.append(
                    combination([(dualCoef[c2 - 1], locs[c1]..<locs[c1 + 1]), (dualCoef[c1], locs[c2]..<locs[c2 + 1])]))
            }
        }
        return rows
    }

    /// Validates `X_test` as `_validate_for_predict` does; a model fitted on CSR
    /// input takes dense `X_test` as `csr_array(X)` (its non-zeros).
    private func validate(_ x: FeatureMatrix) throws(HingeError) -> FeatureMatrix {
        try x.validateForSKLearn(estimator: "SVC")
        guard x.columns == featureCount else {
            throw .shapeMismatch("X", "X has \(x.columns) features, but SVC is expecting \(featureCount) features as input.")
        }
        if sparseSupport != nil { return .sparse(x.toCSR()) }
        if case .sparse = x {
            throw .invalidParameter("X", "cannot use sparse input in 'SVC' trained on dense data")
        }
        return x
    }

    /// `svm_csr`'s `svm_predict_values` kernel values for one test row.
    private func sparseKernelValues(_ test: SortedCSR, _ t: Int, _ sv: SortedCSR, into kvalue: inout [Double]) {
        let k = estimator.kernel
        for s in 0..<sv.rows {
            if k == .rbf {
                kvalue[s] = Double.exp(-gamma * test.squaredDistance(t, sv, s))
            } else {
                kvalue[s] = LibsvmKernel.finish(
                    k, test.dot(t, sv, s), gamma: gamma, coef0: estimator.coef0, degree: estimator.degree) { 0 }
            }
        }
    }

    /// libsvm's `svm_predict_values`: per class pair (i, j) the sequential sum over
    /// class i's then class j's support vectors of `sv_coef · K(x, sv)`, minus rho.
    func libsvmDecisionValues(_ x: FeatureMatrix) -> [[Double]] {
        switch x {
        case .dense(let x): return libsvmDecisionValues(dense: x)
        case .sparse(let m):
            let test = SortedCSR(m)
            guard let sv = sparseSupport else { return [] }
            var kvalue = [Double](repeating: 0, count: sv.rows)
            return (0..<test.rows).map { t in
                sparseKernelValues(test, t, sv, into: &kvalue)
                return combine(kvalue)
            }
        }
    }

    /// The per-pair sums of `svm_predict_values` from one sample's kernel values.
    private func combine(_ kvalue: [Double]) -> [Double] {
        var starts = [0]
        for n in nSupport.dropLast() { starts.append(starts.last! + n) }
        var values: [Double] = []
        var p = 0
        for i in 0..<classCount {
            for j in (i + 1)..<classCount {
                var sum = 0.0
                for m in 0..<nSupport[i] { sum += libsvmDualCoef[j - 1][starts[i] + m] * kvalue[starts[i] + m] }
                for m in 0..<nSupport[j] { sum += libsvmDualCoef[i][starts[j] + m] * kvalue[starts[j] + m] }
                sum -= -internalIntercept[p]
                values.append(sum)
                p += 1
            }
        }
        return values
    }

    private func libsvmDecisionValues(dense x: DenseMatrix) -> [[Double]] {
        let k = estimator.kernel
        let d = x.columns
        let svCount = support.count
        var out: [[Double]] = []
        out.reserveCapacity(x.rows)
        var kvalue = [Double](repeating: 0, count: svCount)
        var diff = [Double](repeating: 0, count: d)
        x.values.withUnsafeBufferPointer { xv in
            supportVectors.withUnsafeBufferPointer { sv in
                for t in 0..<x.rows {
                    let row = UnsafeBufferPointer(rebasing: xv[(t * d)..<((t + 1) * d)])
                    for s in 0..<svCount {
                        switch k {
                        case .precomputed:
                            kvalue[s] = row[support[s]]
                        case .rbf:
                            // k_function: the differences, then ddot(diff, diff).
                            for f in 0..<d { diff[f] = row[f] - sv[s * d + f] }
                            let sum = diff.withUnsafeBufferPointer { OpenBLASLevel1.dot($0, $0, kernel: estimator.blasKernel) }
                            kvalue[s] = Double.exp(-gamma * sum)
                        default:
                            let dot = OpenBLASLevel1.dot(
                                row, UnsafeBufferPointer(rebasing: sv[(s * d)..<((s + 1) * d)]), kernel: estimator.blasKernel)
                            kvalue[s] = LibsvmKernel.finish(
                                k, dot, gamma: gamma, coef0: estimator.coef0, degree: estimator.degree
                            ) { 0 }
                        }
                    }
                    out.append(combine(kvalue))
                }
            }
        }
        return out
    }

    /// `decision_function(X)`: one column for two classes (the negated libsvm
    /// value, positive for `classes_[1]`); for more, the one-vs-one values
    /// (`'ovo'`, pairs (0,1), (0,2), …) or `_ovr_decision_function(dec < 0, −dec, K)`
    /// (`'ovr'`: votes plus the summed confidences mapped into (−1/3, 1/3)).
    ///
    /// - Throws: `HingeError.invalidParameter` naming `X` for CSR input, NaN or
    ///   infinity; `.shapeMismatch("X")` for no rows or columns, or a feature count
    ///   other than the training one.
    public func decisionFunction(_ x: FeatureMatrix) throws(HingeError) -> [[Double]] {
        let dec = libsvmDecisionValues(try validate(x))
        if classCount == 2 { return dec.map { [-$0[0]] } }
        if estimator.decisionFunctionShape == .ovo { return dec }
        return dec.map { SVCModel.ovrDecision($0, classCount) }
    }

    /// `sklearn.utils.multiclass._ovr_decision_function` on one sample.
    static func ovrDecision(_ dec: [Double], _ classCount: Int) -> [Double] {
        var votes = [Double](repeating: 0, count: classCount)
        var sums = [Double](repeating: 0, count: classCount)
        var k = 0
        for i in 0..<classCount {
            for j in (i + 1)..<classCount {
                let confidence = -dec[k]
                sums[i] -= confidence
                sums[j] += confidence
                if dec[k] < 0 { votes[j] += 1 } else { votes[i] += 1 }
                k += 1
            }
        }
        return (0..<classCount).map { votes[$0] + sums[$0] / (3 * (sums[$0].magnitude + 1)) }
    }

    /// `predict(X)` as class indices: libsvm's vote (a positive value votes for
    /// the first class of the pair; the first class with the most votes wins), or
    /// with `break_ties` and `'ovr'` and more than two classes the first argmax of
    /// the ovr decision function.
    ///
    /// - Throws: as ``decisionFunction(_:)``; `HingeError.invalidParameter`
    ///   naming `break_ties` with `'ovo'`.
    public func predict(_ x: FeatureMatrix) throws(HingeError) -> [Int] {
        if estimator.breakTies && estimator.decisionFunctionShape == .ovo {
            throw .invalidParameter("break_ties", "break_ties must be False when decision_function_shape is 'ovo'")
        }
        let dense = try validate(x)
        let dec = libsvmDecisionValues(dense)
        if estimator.breakTies && classCount > 2 {
            return dec.map { row in
                let scores = SVCModel.ovrDecision(row, classCount)
                var best = 0
                for c in 1..<classCount where scores[c] > scores[best] { best = c }
                return best
            }
        }
        return dec.map { row in
            var votes = [Int](repeating: 0, count: classCount)
            var p = 0
            for i in 0..<classCount {
                for j in (i + 1)..<classCount {
                    if row[p] > 0 { votes[i] += 1 } else { votes[j] += 1 }
                    p += 1
                }
            }
            var best = 0
            for c in 1..<classCount where votes[c] > votes[best] { best = c }
            return best
        }
    }
}
