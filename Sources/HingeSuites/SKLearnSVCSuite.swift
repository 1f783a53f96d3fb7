import HingeConformance
import HingeLosses

extension SKLearnSuites {
    /// `sklearn.svm.SVC`: fit on `X`, `y` and optional `sample_weight`; outputs the
    /// fitted attributes (`coef_` for the linear kernel only) and `decision_function`
    /// and `predict` on `X_test`. `context.blas_kernel` names the OpenBLAS kernel
    /// set scikit-learn's `ddot` ran (Haswell when absent, the generator's default);
    /// `context.input = "csr"` passes `X` and `X_test` as CSR matrices.
    @Sendable static func svc(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams([
            "C", "kernel", "degree", "gamma", "coef0", "shrinking", "probability", "tol", "cache_size", "class_weight",
            "max_iter", "decision_function_shape", "break_ties",
        ])
        try args.expectInputs(["X", "y", "X_test", "sample_weight"])
        let labels = try LabelColumn(args.input("y"), argument: "y")
        let classes = labels.classes
        // context.input = "csr": scikit-learn got scipy.sparse.csr_array(X) (the non-zeros).
        let csr: Bool
        switch args.context["input"] {
        case nil: csr = false
        case .string("csr")?: csr = true
        case let value?:
            throw CaseError(.invalidParameter, argument: "context.input", "must be \"csr\" or absent, found \(value.serialized(indent: nil))")
        }
        let x = csr ? .sparse(try matrix(args, "X").toCSR()) : try matrix(args, "X")
        let xTest = csr ? .sparse(try matrix(args, "X_test").toCSR()) : try matrix(args, "X_test")
        let gamma: SVC.Gamma
        switch args.params["gamma"] {
        case nil: gamma = .scale
        case .string(let name)?: gamma = try SVC.Gamma(parsing: name)
        default: gamma = .value(try args.double("gamma", default: 0))
        }
        let blasKernel: LinearSVC.BLASKernel = args.context["blas_kernel"] == nil ? .haswell : try Self.blasKernel(args)
        let estimator = try SVC(
            C: args.double("C", default: 1),
            kernel: SVC.Kernel(parsing: args.string("kernel", default: "rbf")),
            degree: args.int("degree", default: 3),
            gamma: gamma,
            coef0: args.double("coef0", default: 0),
            shrinking: args.bool("shrinking", default: true),
            probability: args.bool("probability", default: false),
            tol: args.double("tol", default: 1e-3),
            cacheSize: args.double("cache_size", default: 200),
            classWeight: classWeight(args, classes: classes),
            maxIter: args.int("max_iter", default: -1),
            decisionFunctionShape: SVC.DecisionFunctionShape(parsing: args.string("decision_function_shape", default: "ovr")),
            breakTies: args.bool("break_ties", default: false),
            blasKernel: blasKernel)
        let sampleWeight = try args.optionalInput("sample_weight").map { _ in
            try args.converted("sample_weight", to: Double.self).scalars
        }
        let model = try estimator.fit(x, classIndices: labels.indices, classCount: classes.count, sampleWeight: sampleWeight)

        var outputs: NamedArrays = [:]
        let d = model.featureCount
        let svCount = model.support.count
        outputs["classes_"] = try labels.array(of: Array(classes.indices))
        outputs["support_"] = try .int64(model.support.map { Int64($0) }, shape: [svCount])
        outputs["support_vectors_"] =
            estimator.kernel == .precomputed
            ? try .float64([], shape: [0, 0]) : try .float64(model.supportVectors, shape: [svCount, d])
        outputs["n_support_"] = try .int64(model.nSupport.map { Int64($0) }, shape: [model.nSupport.count])
        // Fitted on CSR input, scikit-learn's dual_coef_ is a sparse matrix; the fixture
        // holds its toarray(), which adds the stored values to zeros (−0.0 becomes 0.0).
        let dualCoef = model.dualCoef.flatMap { $0 }.map { csr ? 0.0 + $0 : $0 }
        outputs["dual_coef_"] = try .float64(dualCoef, shape: [model.dualCoef.count, svCount])
        outputs["intercept_"] = try .float64(model.intercept, shape: [model.intercept.count])
        outputs["fit_status_"] = try .int64([Int64(model.fitStatus)], shape: [])
        outputs["n_iter_"] = try .int64(model.nIter.map { Int64($0) }, shape: [model.nIter.count])
        outputs["shape_fit_"] = try .int64([Int64(model.shapeFit.rows), Int64(model.shapeFit.columns)], shape: [2])
        if estimator.kernel == .linear {
            let coef = try model.coef()
            outputs["coef_"] = try .float64(coef.flatMap { $0 }, shape: [coef.count, d])
        }
        let decision = try model.decisionFunction(xTest)
        let columns = decision.first?.count ?? (model.classCount == 2 ? 1 : model.classCount)
        outputs["decision_function"] =
            model.classCount == 2
            ? try .float64(decision.map { $0[0] }, shape: [decision.count])
            : try .float64(decision.flatMap { $0 }, shape: [decision.count, columns])
        outputs["predict"] = try labels.array(of: try model.predict(xTest))
        return outputs
    }
}
