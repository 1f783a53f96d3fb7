import HingeConformance
import HingeLosses

/// scikit-learn's suites: `sklearn.svm.LinearSVC` (fit on `X`, `y`, optional
/// `sample_weight`; outputs the fitted attributes and the methods' results on
/// `X_test`; `context.blas_kernel`, when present, names the OpenBLAS kernel set
/// scikit-learn's solver 2 ran on and becomes `blasKernel:`), `sklearn.metrics.hinge_loss` and
/// `sklearn.linear_model.SGDClassifier.loss` (the per-sample SGD losses).
public enum SKLearnSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("sklearn.svm.LinearSVC", linearSVC)
        registry.register("sklearn.svm.SVC", svc)
        registry.register("sklearn.metrics.hinge_loss", hingeLoss)
        registry.register("sklearn.linear_model.SGDClassifier.loss", sgdLoss)
        return registry
    }

    // MARK: - LinearSVC

    @Sendable static func linearSVC(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams([
            "penalty", "loss", "dual", "tol", "C", "multi_class", "fit_intercept", "intercept_scaling", "class_weight",
            "max_iter", "random_state",
        ])
        try args.expectInputs(["X", "y", "X_test", "sample_weight"])
        let labels = try LabelColumn(args.input("y"), argument: "y")
        let classes = labels.classes
        let x = try matrix(args, "X")
        let xTest = try matrix(args, "X_test")
        let dual: LinearSVC.Dual
        switch args.params["dual"] {
        case nil: dual = .auto
        case .bool(let flag)?: dual = .value(flag)
        case .string(let name)?: dual = try LinearSVC.Dual(parsing: name)
        case let value?:
            throw CaseError(.invalidParameter, argument: "dual", "The 'dual' parameter of LinearSVC must be an instance of 'bool' or a str among {'auto'}. Got \(value.serialized(indent: nil)) instead.")
        }
        let svc = try LinearSVC(
            penalty: LinearSVC.Penalty(parsing: args.string("penalty", default: "l2")),
            loss: LinearSVC.Loss(parsing: args.string("loss", default: "squared_hinge")),
            dual: dual,
            tol: args.double("tol", default: 1e-4),
            C: args.double("C", default: 1),
            multiClass: LinearSVC.MultiClass(parsing: args.string("multi_class", default: "ovr")),
            fitIntercept: args.bool("fit_intercept", default: true),
            interceptScaling: args.double("intercept_scaling", default: 1),
            classWeight: classWeight(args, classes: classes),
            randomState: args.params["random_state"].flatMap { $0 == .null ? nil : $0 }.map { _ in try args.int("random_state", default: 0) },
            maxIter: args.int("max_iter", default: 1000),
            blasKernel: blasKernel(args))
        let sampleWeight = try args.optionalInput("sample_weight").map { _ in
            try args.converted("sample_weight", to: Double.self).scalars
        }
        let model = try svc.fit(x, classIndices: labels.indices, classCount: classes.count, sampleWeight: sampleWeight)

        var outputs: NamedArrays = [:]
        outputs["classes_"] = try labels.array(of: Array(classes.indices))
        let d = model.featureCount
        outputs["coef_"] = try .float64(model.coef.flatMap { $0 }, shape: [model.coef.count, d])
        outputs["intercept_"] =
            try model.intercept.map { try .float64($0, shape: [$0.count]) } ?? .float64([0], shape: [])
        let decision = try model.decisionFunction(xTest)
        let columns = decision.first?.count ?? model.coef.count
        outputs["decision_function"] =
            columns == 1
            ? try .float64(decision.map { $0[0] }, shape: [decision.count])
            : try .float64(decision.flatMap { $0 }, shape: [decision.count, columns])
        outputs["predict"] = try labels.array(of: try model.predict(xTest))
        outputs["n_iter_"] = try .int64([Int64(model.nIter)], shape: [])
        return outputs
    }

    /// `context.blas_kernel`: threadpoolctl's name for the OpenBLAS kernels
    /// scikit-learn ran (the default kernel when absent). A name the port does
    /// not model is the adapter's error, not scikit-learn's, so it is reported
    /// against the context field rather than as one of the case's expected errors.
    static func blasKernel(_ args: CaseArguments) throws -> LinearSVC.BLASKernel {
        guard let value = args.context["blas_kernel"] else { return .skylakeX }
        guard let name = value.stringValue else {
            throw CaseError(.invalidParameter, argument: "context.blas_kernel", "must be a string, found \(value.serialized(indent: nil))")
        }
        do {
            return try LinearSVC.BLASKernel(parsing: name)
        } catch {
            throw CaseError(.invalidParameter, argument: "context.blas_kernel", error.message)
        }
    }

    /// A float matrix input as a dense `FeatureMatrix` (float32 is cast, as scikit-learn does).
    static func matrix(_ args: CaseArguments, _ name: String) throws -> FeatureMatrix {
        let array = try args.input(name)
        guard array.dtype.isFloatingPoint || array.dtype == .int64 || array.dtype == .bool else {
            throw CaseError(.invalidDtype, argument: name, "expected a numeric matrix, got \(array.dtype)")
        }
        guard array.shape.count == 2 else {
            throw CaseError(.shapeMismatch, argument: name, "Expected 2D array, got an array of shape \(array.shape) instead.")
        }
        let values = try args.converted(name, to: Double.self).scalars
        return try .dense(rows: array.shape[0], columns: array.shape[1], values: values)
    }

    /// `class_weight`: null, "balanced", or an object mapping labels (written as
    /// strings, as JSON keys must be) to weights.
    static func classWeight(_ args: CaseArguments, classes: [Label]) throws -> LinearSVC.ClassWeight? {
        switch args.params["class_weight"] {
        case nil, .null?: return nil
        case .string(let name)?: return try LinearSVC.ClassWeight(parsing: name)
        case .object(let object)?:
            var weights: [Int: Double] = [:]
            for (index, label) in classes.enumerated() {
                if let value = object[label.text] {
                    guard let weight = value.numberValue?.doubleValue else {
                        throw CaseError(.invalidParameter, argument: "class_weight", "weights must be numbers, found \(value.serialized(indent: nil))")
                    }
                    weights[index] = weight
                }
            }
            // Keys that name no class go in as class indices past the last class: `fit`
            // rejects them when some class is left unweighted, at the point of
            // scikit-learn's check (after X, y and the class count are validated);
            // their values are never used, so they go in as 1.
            let unknown = object.keys.filter { key in !classes.contains { $0.text == key } }
            for offset in unknown.indices {
                weights[classes.count + offset] = 1
            }
            return .perClass(weights)
        case let value?:
            throw CaseError(.invalidParameter, argument: "class_weight", "must be null, \"balanced\" or an object, found \(value.serialized(indent: nil))")
        }
    }

    // MARK: - metrics.hinge_loss

    @Sendable static func hingeLoss(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams([])
        try args.expectInputs(["y_true", "pred_decision", "labels", "sample_weight"])
        let yTrue = try LabelColumn(args.input("y_true"), argument: "y_true")
        let labels = try args.optionalInput("labels").map { try LabelColumn($0, argument: "labels").values }
        let weights = try args.optionalInput("sample_weight").map { _ in try args.converted("sample_weight", to: Double.self).scalars }
        let value = try SKLearnMetrics.hingeLoss(
            yTrue: yTrue.values, predDecision: try args.converted("pred_decision", to: Double.self), labels: labels,
            sampleWeight: weights)
        return ["output": try .float64([value], shape: [])]
    }

    // MARK: - SGDClassifier losses

    @Sendable static func sgdLoss(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["loss"])
        try args.expectInputs(["p", "y"])
        let loss = try SGDLoss(parsing: args.string("loss", default: "hinge"))
        let p = try args.tensor("p", as: Double.self)
        let y = try args.converted("y", to: Double.self)
        try Validate.sameShape(p, "p", y, "y")
        let values = zip(p.scalars, y.scalars).map { loss.loss($0, $1) }
        let slopes = zip(p.scalars, y.scalars).map { loss.derivative($0, $1) }
        return ["output": try .float64(values, shape: p.shape), "grad_p": try .float64(slopes, shape: p.shape)]
    }
}

/// A scikit-learn label: an integer or a string, ordered as `np.unique` orders
/// them (strings by code point, which Swift's `String` ordering is not).
struct Label: Hashable, Comparable {
    enum Value: Hashable {
        case int(Int64)
        case string(String)
    }
    let value: Value

    /// The label as a JSON object key names it (`str(label)`).
    var text: String {
        switch value {
        case .int(let n): String(n)
        case .string(let s): s
        }
    }

    static func < (lhs: Label, rhs: Label) -> Bool {
        switch (lhs.value, rhs.value) {
        case (.int(let a), .int(let b)): a < b
        case (.string(let a), .string(let b)): a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
        case (.int, .string): true
        case (.string, .int): false
        }
    }
}

/// A column of labels with its sorted classes and each sample's class index.
struct LabelColumn {
    let values: [Label]
    let dtype: DType
    let classes: [Label]
    let indices: [Int]

    init(_ array: FixtureArray, argument: String) throws {
        guard array.shape.count <= 1 || (array.shape.count == 2 && array.shape[1] == 1) else {
            throw CaseError(.shapeMismatch, argument: argument, "y should be a 1d array, got an array of shape \(array.shape) instead.")
        }
        switch array.storage {
        case .int64(let v): values = v.map { Label(value: .int($0)) }
        case .string(let v): values = v.map { Label(value: .string($0)) }
        default: throw CaseError(.invalidDtype, argument: argument, "labels must be int64 or string, got \(array.dtype)")
        }
        dtype = array.dtype
        classes = Array(Set(values)).sorted()
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        indices = values.map { position[$0] ?? 0 }
    }

    /// The labels of `classIndices`, as an array of this column's dtype.
    func array(of classIndices: [Int]) throws -> FixtureArray {
        let picked = classIndices.map { classes[$0] }
        switch dtype {
        case .string:
            return try FixtureArray(shape: [picked.count], storage: .string(picked.map(\.text)))
        default:
            return try .int64(picked.map { if case .int(let n) = $0.value { n } else { 0 } }, shape: [picked.count])
        }
    }
}

extension SKLearnSuites {
    /// scikit-learn's hinge losses on the canonical problems, always in float64.
    ///
    /// `metrics.hinge_loss` returns only the weighted mean over samples and no gradient;
    /// the per-sample losses of a batch come from one call per sample with that sample's
    /// `sample_weight` 1 and the others' 0 (`np.average` then returns that loss exactly),
    /// so the batch's labels are encoded as scikit-learn encodes them: a binary batch
    /// of one class is all −1 (`LabelBinarizer`'s single-class rule). The default
    /// output is the unweighted mean. `SGDClassifier`'s loss functions take `p` and `y` ±1.
    public static var conventions: [Convention] {
        var conventions: [Convention] = [
            Convention(
                suite: "sklearn.metrics.hinge_loss", variant: "binary", family: .binary, loss: "hinge",
                notes: ["y_true ±1 (int64)", "a batch of one class is encoded as all −1", "float64", "no gradient",
                        "the mean over samples only"]
            ) { p, implementation in try metricsHingeLoss(p, implementation, labels: nil) },
            Convention(
                suite: "sklearn.metrics.hinge_loss", variant: "multiclass", family: .multiclass, loss: "multiclass_hinge",
                notes: ["the largest other class only (Crammer–Singer)", "y_true class indices, labels 0..<C", "float64",
                        "no gradient", "the mean over samples only"]
            ) { p, implementation in try metricsHingeLoss(p, implementation, labels: Array(0..<p.width)) },
        ]
        for loss in [SGDLoss.hinge, .squaredHinge, .perceptron] {
            conventions.append(
                .standard(
                    suite: "sklearn.linear_model.SGDClassifier.loss", variant: "loss=\(loss.rawValue)", family: .binary,
                    loss: loss.rawValue, notes: ["y ±1", "float64", "per-sample (the loss functions have no reduction)"],
                    unreduced: ["loss": .string(loss.rawValue)], defaultParams: ["loss": .string(loss.rawValue)],
                    gradients: ["scores": "grad_p"]
                ) { p in
                    ["p": try p.array("scores").widened(), "y": try CanonicalProblem.array(p.labels.map(Double.init), dtype: .float64, shape: [p.count])]
                })
        }
        return conventions
    }

    private static func metricsHingeLoss(
        _ p: CanonicalProblem, _ implementation: SuiteRegistry.Implementation, labels: [Int]?
    ) throws -> CanonicalOutcome {
        var inputs: NamedArrays = [
            "y_true": try p.labelIndices(),
            "pred_decision": try p.array("scores").widened(),
        ]
        if let labels { inputs["labels"] = try .int64(labels.map(Int64.init), shape: [labels.count]) }
        let byDefault = try? implementation(CaseArguments(inputs: inputs))["output"]
        var losses: [Double] = []
        for n in 0..<p.count {
            inputs["sample_weight"] = try .float64((0..<p.count).map { $0 == n ? 1 : 0 }, shape: [p.count])
            guard let output = try implementation(CaseArguments(inputs: inputs))["output"] else {
                throw CaseError(.invalidParameter, argument: "output", "sklearn.metrics.hinge_loss gave no output")
            }
            losses += CanonicalProblem.doubles(output)
        }
        return CanonicalOutcome(
            losses: losses, dtype: .float64, gradients: [:], defaults: byDefault.map { ($0.shape, CanonicalProblem.doubles($0)) })
    }
}
