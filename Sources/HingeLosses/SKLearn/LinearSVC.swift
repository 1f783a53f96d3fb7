/// scikit-learn's `sklearn.svm.LinearSVC` (1.9.1), fitted by a port of the
/// LIBLINEAR it vendors (`svm/src/liblinear/linear.cpp`, `tron.cpp`).
///
/// The estimator minimises, for each binary sub-problem with labels ±1,
///
///     ½‖w̃‖² + Σ_i C_i L(y_i w̃ᵀx̃_i)          (penalty l2; ‖w̃‖₁ for l1)
///
/// with `L(z) = max(0, 1 − z)` (hinge) or its square (squared hinge),
/// `x̃_i = [x_i; intercept_scaling]` and `w̃ = [w; w_b]`, so `intercept_ =
/// intercept_scaling · w_b` and **the intercept is regularised** (the reason
/// `LinearSVC` differs from `SVC(kernel='linear')`). `C_i = sample_weight_i ·
/// C · class_weight[k]` for the positive class of the sub-problem and
/// `sample_weight_i · C` for its negatives: in one-vs-rest with K > 2 classes
/// the negatives of sub-problem k get the **plain C**, not their own class
/// weight (a quirk inherited from upstream LIBLINEAR, cjlin1/liblinear#64).
/// Binary problems use `Cp = C·cw[1]`, `Cn = C·cw[0]` and one coefficient row
/// whose positive class is class index 1.
///
/// Solver choice (`_get_liblinear_solver_type`): ovr + l2 + squared_hinge →
/// 1 (dual CD) or 2 (primal TRON); ovr + l2 + hinge + dual → 3; ovr + l1 +
/// squared_hinge + primal → 5; crammer_singer → 4 whatever penalty, loss and
/// dual say. `dual = .auto` (`_validate_dual_parameter`): for
/// `n_samples < n_features` the dual if the combination has one, else the
/// primal; otherwise the primal if it has one, else the dual. So a tie goes
/// to the primal, and l1 + hinge, which has neither, fails quoting
/// `dual=False` for wide data and `dual=True` for tall data.
///
/// Fits reproduce scikit-learn's `coef_`, `intercept_` and `n_iter_` bit for
/// bit: solvers 1, 3, 4 and 5 everywhere (same class grouping, seed, mt19937
/// shuffles, shrinking and stopping rules, sequential unfused sums), solver 2
/// when `blasKernel` names the OpenBLAS kernel set scikit-learn's SciPy ran
/// (``BLASKernel``: what threadpoolctl reports as `architecture`; SkylakeX on
/// AVX-512 x86-64, Haswell on AVX2-only x86-64; two OpenBLAS threads). With
/// another kernel solver 2 agrees to rounding, which a loose tol can amplify
/// to ~1e-3 on ill-conditioned data.
///
/// Deviations, all documented at the point where they apply:
/// - `randomState: nil` uses a fixed seed, that of `random_state = 0`, where
///   scikit-learn would draw a fresh one from NumPy's global generator;
/// - a class whose samples all have weight ≤ 0 is an error (scikit-learn
///   silently returns a model with a class missing);
/// - per-class (dictionary) weights must be finite and ≥ 0 (scikit-learn accepts
///   negative ones and returns a meaningless model). `'balanced'` weights are
///   not checked for sign: sample weights whose total is negative make them
///   negative, and LIBLINEAR's run on the resulting non-convex problem is
///   reproduced as scikit-learn does it (only non-finite ones are an error).
public struct LinearSVC: Sendable {
    public enum Penalty: String, Sendable, CaseIterable { case l1, l2 }
    public enum Loss: String, Sendable, CaseIterable { case hinge, squaredHinge = "squared_hinge" }
    public enum Dual: Hashable, Sendable { case auto, value(Bool) }
    public enum MultiClass: String, Sendable, CaseIterable { case ovr, crammerSinger = "crammer_singer" }
    /// `class_weight`: `'balanced'` or a dictionary keyed by class **index**
    /// (position in the sorted `classes_`; the adapter maps labels to indices).
    /// Classes missing from the dictionary get weight 1.
    public enum ClassWeight: Sendable, Hashable { case balanced, perClass([Int: Double]) }

    /// The seed used for `randomState: nil`: scikit-learn would seed from
    /// NumPy's global state, which is not reproducible; this port fixes it.
    public static let defaultRandomState: UInt32 = 0

    public let penalty: Penalty
    public let loss: Loss
    public let dual: Dual
    public let tol: Double
    public let C: Double
    public let multiClass: MultiClass
    public let fitIntercept: Bool
    public let interceptScaling: Double
    public let classWeight: ClassWeight?
    public let randomState: UInt32?
    public let maxIter: Int
    /// The OpenBLAS level-1 kernels whose rounding solver 2 (TRON) follows;
    /// the other solvers make no BLAS call.
    public let blasKernel: BLASKernel

    /// Checks the parameters like scikit-learn's `_parameter_constraints`.
    ///
    /// - Throws: `HingeError.invalidParameter` naming the parameter, with
    ///   scikit-learn's message, for `tol`, `C` or `intercept_scaling` not a
    ///   finite number > 0 (NaN and infinity included), `max_iter < 0`, or
    ///   `random_state` outside `0...4294967295`; and naming `class_weight` for a
    ///   per-class weight that is negative or not finite.
    public init(
        penalty: Penalty = .l2, loss: Loss = .squaredHinge, dual: Dual = .auto, tol: Double = 1e-4, C: Double = 1,
        multiClass: MultiClass = .ovr, fitIntercept: Bool = true, interceptScaling: Double = 1,
        classWeight: ClassWeight? = nil, randomState: Int? = nil, maxIter: Int = 1000,
        blasKernel: BLASKernel = .skylakeX
    ) throws(HingeError) {
        try LinearSVC.requireOpenPositive(tol, "tol")
        try LinearSVC.requireOpenPositive(C, "C")
        try LinearSVC.requireOpenPositive(interceptScaling, "intercept_scaling")
        guard maxIter >= 0 else {
            throw .invalidParameter(
                "max_iter", "The 'max_iter' parameter of LinearSVC must be an int in the range [0, inf). Got \(maxIter) instead.")
        }
        if let randomState, !(0...Int(UInt32.max)).contains(randomState) {
            throw .invalidParameter(
                "random_state",
                "The 'random_state' parameter of LinearSVC must be an int in the range [0, 4294967295], an instance of 'numpy.random.mtrand.RandomState' or None. Got \(randomState) instead.")
        }
        if case .perClass(let weights) = classWeight {
            for (key, value) in weights.sorted(by: { $0.key < $1.key }) where !(value.isFinite && value >= 0) {
                throw .invalidParameter(
                    "class_weight",
                    "the weight \(value) of class index \(key) must be a finite number >= 0 (scikit-learn accepts it but fits a meaningless model)")
            }
        }
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.multiClass = multiClass
        self.fitIntercept = fitIntercept
        self.interceptScaling = interceptScaling
        self.classWeight = classWeight
        self.randomState = randomState.map { UInt32($0) }
        self.maxIter = maxIter
        self.blasKernel = blasKernel
    }

    /// scikit-learn's message for `Interval(Real, 0.0, None, closed="neither")`, which also rejects NaN and inf.
    private static func requireOpenPositive(_ value: Double, _ name: String) throws(HingeError) {
        guard value.isFinite, value > 0 else {
            throw .invalidParameter(
                name, "The '\(name)' parameter of LinearSVC must be a float in the range (0.0, inf). Got \(pythonRepr(value)) instead.")
        }
    }

    /// Python's `repr` of a float as scikit-learn prints it in these messages (`0`, `-1.5`, `nan`, `inf`).
    static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), value.magnitude < 1e16 { return String(Int(value)) }
        return String(value)
    }

    // MARK: - Solver selection

    /// `_validate_dual_parameter`: the dual actually used for `samples × features` data.
    public func resolvedDual(samples: Int, features: Int) -> Bool {
        switch dual {
        case .value(let value):
            return value
        case .auto:
            if samples < features {
                return (try? LinearSVC.solverType(multiClass, penalty, loss, dual: true)) != nil
            } else {
                return (try? LinearSVC.solverType(multiClass, penalty, loss, dual: false)) == nil
            }
        }
    }

    /// `_get_liblinear_solver_type`: the LIBLINEAR solver id.
    ///
    /// - Throws: `HingeError.invalidParameter` naming `penalty` (l1 with hinge)
    ///   or `dual` (a combination without that formulation), with scikit-learn's
    ///   "Unsupported set of arguments" message.
    public static func solverType(_ multiClass: MultiClass, _ penalty: Penalty, _ loss: Loss, dual: Bool)
        throws(HingeError) -> Int
    {
        if multiClass == .crammerSinger { return 4 }
        let reason: String
        let argument: String
        switch (loss, penalty, dual) {
        case (.squaredHinge, .l2, true): return 1
        case (.squaredHinge, .l2, false): return 2
        case (.hinge, .l2, true): return 3
        case (.squaredHinge, .l1, false): return 5
        case (.hinge, .l1, _):
            reason = "The combination of penalty='l1' and loss='hinge' is not supported"
            argument = "penalty"
        case (_, _, let dual):
            reason = "The combination of penalty='\(penalty.rawValue)' and loss='\(loss.rawValue)' are not supported when dual=\(dual ? "True" : "False")"
            argument = "dual"
        }
        throw .invalidParameter(
            argument,
            "Unsupported set of arguments: \(reason), Parameters: penalty='\(penalty.rawValue)', loss='\(loss.rawValue)', dual=\(dual ? "True" : "False")")
    }

    // MARK: - Fit

    /// Fits on class indices `0..<classCount` (the adapter sorts the labels
    /// like `np.unique` and encodes them).
    ///
    /// - Parameters:
    ///   - x: `(n_samples, n_features)`, dense or CSR.
    ///   - y: one class index per row; every index in `0..<classCount` must occur.
    ///   - sampleWeight: one weight per row, `nil` for ones. Weights ≤ 0 drop
    ///     their sample (as LIBLINEAR's `remove_zero_weight`) but still count in
    ///     `'balanced'` class weights.
    /// - Throws: `HingeError`, in scikit-learn's order:
    ///   `.invalidParameter("X")` for NaN or infinity; `.shapeMismatch("X")` for
    ///   no rows or no columns; `.shapeMismatch("y")` for a label count other
    ///   than the row count; `.invalidTarget("y")` for an index outside
    ///   `0..<classCount`, a class without samples, or fewer than 2 classes;
    ///   `.invalidParameter("class_weight")` for dictionary keys that are not
    ///   classes while some class is unweighted; `.shapeMismatch("sample_weight")`
    ///   or `.invalidParameter("sample_weight")` for a weight vector with NaN or
    ///   infinity, empty or of the wrong length (in that order), all zero, or
    ///   leaving a class without positive weight; `.invalidParameter("penalty" | "dual")` for an unsupported
    ///   combination.
    public func fit(_ x: FeatureMatrix, classIndices y: [Int], classCount: Int, sampleWeight: [Double]? = nil)
        throws(HingeError) -> LinearSVCModel
    {
        // validate_data
        try x.validateForSKLearn()
        guard x.columns < Int(Int32.max), x.rows < Int(Int32.max) else {
            throw .shapeMismatch(
                "X", "LIBLINEAR indexes samples and features with 32-bit ints; shape (\(x.rows), \(x.columns)) is too large")
        }
        guard y.count == x.rows else {
            throw .shapeMismatch("y", "Found input variables with inconsistent numbers of samples: [\(x.rows), \(y.count)]")
        }
        // The label encoding the adapter did, checked.
        guard classCount >= 0 else {
            throw .invalidTarget("y", "classCount must be >= 0, got \(classCount)")
        }
        for (i, label) in y.enumerated() where !(0..<classCount).contains(label) {
            throw .invalidTarget("y", "class index \(label) at position \(i) is outside 0..<\(classCount)")
        }
        // More classes than samples leaves one without samples (and would not fit in memory).
        if classCount > y.count {
            let seen = Set(y)
            let missing = (0...y.count).first { !seen.contains($0) } ?? y.count
            throw .invalidTarget(
                "y", "class index \(missing) has no samples; classCount must be the number of distinct labels (np.unique)")
        }
        var present = [Bool](repeating: false, count: classCount)
        for label in y { present[label] = true }
        if let missing = present.firstIndex(of: false) {
            throw .invalidTarget(
                "y", "class index \(missing) has no samples; classCount must be the number of distinct labels (np.unique)")
        }
        guard classCount >= 2 else {
            throw .invalidTarget(
                "y",
                "This solver needs samples of at least 2 classes in the data, but the data contains only one class: class index 0")
        }

        let useDual = resolvedDual(samples: x.rows, features: x.columns)
        let classWeights = try computeClassWeight(y: y, classCount: classCount, sampleWeight: sampleWeight)

        let weights: [Double]
        if let sampleWeight {
            try LinearSVC.checkSampleWeight(sampleWeight, samples: x.rows)
            weights = sampleWeight
        } else {
            weights = [Double](repeating: 1, count: x.rows)
        }
        let solver = try LinearSVC.solverType(multiClass, penalty, loss, dual: useDual)

        let problem = try LiblinearProblem(
            x: x, labels: y, classCount: classCount, weights: weights, bias: fitIntercept ? interceptScaling : nil)
        var random = LiblinearRandom(randomState: randomState ?? LinearSVC.defaultRandomState)
        let trained = LinearSVC.train(
            problem, solver: solver, C: C, weightedC: classWeights.map { C * $0 }, tol: tol, maxIter: maxIter,
            random: &random, blasKernel: blasKernel)
        return LinearSVCModel(
            trained: trained, featureCount: x.columns, fitIntercept: fitIntercept, interceptScaling: interceptScaling,
            crammerSinger: solver == 4, maxIter: maxIter, solver: solver)
    }

    /// `compute_class_weight(class_weight, classes, y, sample_weight)`.
    func computeClassWeight(y: [Int], classCount: Int, sampleWeight: [Double]?) throws(HingeError) -> [Double] {
        try LinearSVC.classWeights(classWeight, y: y, classCount: classCount, sampleWeight: sampleWeight)
    }

    /// `compute_class_weight(class_weight, classes, y, sample_weight)` for any
    /// estimator (``SVC`` passes no sample weights).
    static func classWeights(_ classWeight: ClassWeight?, y: [Int], classCount: Int, sampleWeight: [Double]?)
        throws(HingeError) -> [Double]
    {
        switch classWeight {
        case nil:
            return [Double](repeating: 1, count: classCount)
        case .balanced:
            // compute_class_weight checks sample_weight against y first.
            if let sampleWeight { try LinearSVC.checkSampleWeight(sampleWeight, samples: y.count) }
            // np.bincount(y, weights): per-class sums in sample order.
            var counts = [Double](repeating: 0, count: classCount)
            for (i, label) in y.enumerated() { counts[label] += sampleWeight?[i] ?? 1 }
            // xp.sum over the K counts (pairwise in NumPy; sequential for K < 8,
            // and K ≥ 8 sums of integer-valued counts are exact either way).
            let total = NumPySum.sum(counts)
            let weights = counts.map { total / (Double(classCount) * $0) }
            if let bad = weights.firstIndex(where: { !$0.isFinite }) {
                throw .invalidParameter(
                    "sample_weight",
                    "class_weight='balanced' gives class index \(bad) the weight \(weights[bad]): its sample weights sum to \(counts[bad])")
            }
            return weights
        case .perClass(let dictionary):
            var weights = [Double](repeating: 1, count: classCount)
            var unweighted: [Int] = []
            for k in 0..<classCount {
                if let value = dictionary[k] { weights[k] = value } else { unweighted.append(k) }
            }
            let weightedCount = classCount - unweighted.count
            if !unweighted.isEmpty && weightedCount != dictionary.count {
                throw .invalidParameter(
                    "class_weight",
                    "The classes, \(unweighted), are not in class_weight (as class indices; it holds keys that are not classes)")
            }
            return weights
        }
    }

    /// `_check_sample_weight`, in its order: `check_array` (NaN, infinity, no
    /// element), the length, then weights that are all zero.
    static func checkSampleWeight(_ sampleWeight: [Double], samples: Int) throws(HingeError) {
        try FeatureMatrix.requireFinite(sampleWeight, "sample_weight")
        guard !sampleWeight.isEmpty else {
            throw .shapeMismatch(
                "sample_weight", "Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 is required.")
        }
        guard sampleWeight.count == samples else {
            throw .shapeMismatch(
                "sample_weight", "sample_weight.shape == (\(sampleWeight.count),), expected (\(samples),)!")
        }
        guard sampleWeight.contains(where: { $0 != 0 }) else {
            throw .invalidParameter("sample_weight", "Sample weights must contain at least one non-zero number.")
        }
    }

    // MARK: - train()

    /// What LIBLINEAR's `train()` returns: one weight row per class (or one
    /// row for a binary one-vs-rest problem), each with the bias weight last,
    /// and the iteration count of each sub-problem.
    struct Trained: Sendable {
        var rows: [[Double]]
        var iterations: [Int]
    }

    /// LIBLINEAR's `train()` after grouping: weighted C per class, then one
    /// Crammer–Singer problem or the binary / one-vs-rest sub-problems, all
    /// drawing from one random stream.
    static func train(
        _ problem: LiblinearProblem, solver: Int, C: Double, weightedC: [Double], tol: Double, maxIter: Int,
        random: inout LiblinearRandom, blasKernel: BLASKernel = .skylakeX
    ) -> Trained {
        let n = problem.variableCount
        let k = problem.classCount
        if solver == 4 {
            let cost = (0..<problem.sampleCount).map { problem.weights[$0] * weightedC[problem.labels[$0]] }
            let result = CrammerSingerSolver.solve(
                rows: problem.rows, variableCount: n, classCount: k, labels: problem.labels, cost: cost, eps: tol,
                random: &random)
            let rows = (0..<k).map { m in (0..<n).map { j in result.w[j * k + m] } }
            return Trained(rows: rows, iterations: [result.iterations])
        }
        // Binary: class 1 is +1 with Cp = weighted_C[1], Cn = weighted_C[0].
        // One-vs-rest: class c is +1 with Cp = weighted_C[c], Cn = C (plain).
        let targets = k == 2 ? [1] : Array(0..<k)
        var rows: [[Double]] = []
        var iterations: [Int] = []
        for positive in targets {
            let cp = weightedC[positive]
            let cn = k == 2 ? weightedC[0] : C
            let y = problem.labels.map { $0 == positive ? 1.0 : -1.0 }
            let result = trainOne(
                problem, solver: solver, y: y, cp: cp, cn: cn, tol: tol, maxIter: maxIter, random: &random,
                blasKernel: blasKernel)
            rows.append(result.w)
            iterations.append(result.iterations)
        }
        return Trained(rows: rows, iterations: iterations)
    }

    /// LIBLINEAR's `train_one` for one binary sub-problem (y = ±1).
    static func trainOne(
        _ problem: LiblinearProblem, solver: Int, y: [Double], cp: Double, cn: Double, tol: Double, maxIter: Int,
        random: inout LiblinearRandom, blasKernel: BLASKernel = .skylakeX
    ) -> (w: [Double], iterations: Int, alpha: [Double]?) {
        let l = problem.sampleCount
        let pos = y.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        let neg = l - pos
        let primalTol = tol * Double(max(min(pos, neg), 1)) / Double(l)
        let cost = (0..<l).map { problem.weights[$0] * (y[$0] > 0 ? cp : cn) }
        switch solver {
        case 1, 3:
            let result = DualCoordinateDescent.solve(
                rows: problem.rows, variableCount: problem.variableCount, y: y, cost: cost,
                loss: solver == 1 ? .squaredHinge : .hinge, eps: tol, maxIter: maxIter, random: &random)
            return (result.w, result.iterations, result.alpha)
        case 2:
            let result = TrustRegionNewton.solve(
                rows: problem.rows, variableCount: problem.variableCount, y: y, cost: cost, eps: primalTol,
                maxIter: maxIter, blasKernel: blasKernel)
            return (result.w, result.iterations, nil)
        default:
            let result = L1RegularizedL2LossSVC.solve(
                rows: problem.rows, variableCount: problem.variableCount, y: y, cost: cost, eps: primalTol,
                maxIter: maxIter, random: &random)
            return (result.w, result.iterations, nil)
        }
    }
}

// MARK: - Parsing scikit-learn's string parameters

extension LinearSVC {
    /// scikit-learn's `_parameter_constraints` error: "The 'P' parameter of
    /// LinearSVC must be ALLOWED. Got 'NAME' instead.", naming `parameter`.
    static func constraintError(_ parameter: String, mustBe allowed: String, got name: String) -> HingeError {
        .invalidParameter(parameter, "The '\(parameter)' parameter of LinearSVC must be \(allowed). Got '\(name)' instead.")
    }

    /// The case of `Value` whose raw value is `name`, else scikit-learn's error
    /// for a string outside `{'case', ...}`, naming `parameter`.
    static func choice<Value: RawRepresentable & CaseIterable>(
        _ name: String, of parameter: String
    ) throws(HingeError) -> Value where Value.RawValue == String {
        try .parsed(name) { constraintError(parameter, mustBe: "a str among {\(Value.quotedRawValues)}", got: $0) }
    }

    /// Requires `name` to be the one string `parameter` accepts, else scikit-learn's error.
    static func expect(_ name: String, is accepted: String, for parameter: String, mustBe allowed: String) throws(HingeError) {
        guard name == accepted else { throw constraintError(parameter, mustBe: allowed, got: name) }
    }
}

extension LinearSVC.Penalty {
    /// Parses `penalty`. - Throws: `HingeError.invalidParameter` naming `penalty`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) { self = try LinearSVC.choice(name, of: "penalty") }
}

extension LinearSVC.Loss {
    /// Parses `loss`. - Throws: `HingeError.invalidParameter` naming `loss`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) { self = try LinearSVC.choice(name, of: "loss") }
}

extension LinearSVC.MultiClass {
    /// Parses `multi_class`. - Throws: `HingeError.invalidParameter` naming `multi_class`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) { self = try LinearSVC.choice(name, of: "multi_class") }
}

extension LinearSVC.Dual {
    /// Parses the string form of `dual`: only `"auto"` (booleans map to `.value`).
    /// - Throws: `HingeError.invalidParameter` naming `dual`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) {
        try LinearSVC.expect(
            name, is: "auto", for: "dual", mustBe: "an instance of 'bool' or an instance of 'numpy.bool' or a str among {'auto'}")
        self = .auto
    }
}

extension LinearSVC.ClassWeight {
    /// Parses the string form of `class_weight`: only `"balanced"`.
    /// - Throws: `HingeError.invalidParameter` naming `class_weight`, in scikit-learn's words.
    public init(parsing name: String) throws(HingeError) {
        try LinearSVC.expect(name, is: "balanced", for: "class_weight", mustBe: "None, an instance of 'dict' or a str among {'balanced'}")
        self = .balanced
    }
}
