import HingeConformance
import HingeLosses

/// Keras 3's hinge-family losses (suites `keras.losses.*`), functions and
/// classes, under the backend named by the case's `context.backend`
/// (`"tensorflow"`, the default, or `"jax"`).
public enum KerasSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        for function in KerasLossFunction.allCases {
            registry.register("keras.losses.\(function.rawValue)") { args in try callFunction(function, args) }
            registry.register("keras.losses.\(className(function))") { args in try callClass(function, args) }
        }
        return registry
    }

    private static func className(_ function: KerasLossFunction) -> String {
        switch function {
        case .hinge: "Hinge"
        case .squaredHinge: "SquaredHinge"
        case .categoricalHinge: "CategoricalHinge"
        }
    }

    static func backend(_ args: CaseArguments) throws -> KerasBackend {
        guard let value = args.context["backend"] else { return .tensorflow }
        guard let name = value.stringValue, let backend = KerasBackend(rawValue: name) else {
            throw CaseError(.invalidParameter, argument: "backend", "context.backend must be \"tensorflow\" or \"jax\", found \(value.serialized(indent: nil))")
        }
        return backend
    }

    /// `keras.losses.hinge(y_true, y_pred)` and siblings: computed in `y_pred`'s
    /// type, `y_true` cast to it.
    static func callFunction(_ function: KerasLossFunction, _ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams([])
        try args.expectInputs(["y_true", "y_pred"])
        let backend = try backend(args)
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let evaluation = try function(
                yTrue: try args.converted("y_true", to: T.self), yPred: try args.tensor("y_pred", as: T.self),
                backend: backend)
            let gradient = try evaluation.gradient(upstream: [T](repeating: 1, count: evaluation.values.count))
            return ["output": FixtureArray(evaluation.values), "grad_y_pred": FixtureArray(gradient)]
        }
        return try run(args.floatType(of: "y_pred"))
    }

    /// `keras.losses.Hinge(reduction=..., dtype=...)(y_true, y_pred, sample_weight)` and
    /// siblings: computed in the loss's dtype (float32 unless `dtype="float64"`); the
    /// gradient comes back in `y_pred`'s own type, as autograd casts it.
    static func callClass(_ function: KerasLossFunction, _ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["reduction", "dtype"])
        try args.expectInputs(["y_true", "y_pred", "sample_weight"])
        let backend = try backend(args)
        let reduction: KerasReduction
        switch args.params["reduction"] {
        case nil: reduction = .sumOverBatchSize
        case .null?: reduction = try KerasReduction(parsing: nil)
        case let value?:
            guard let name = value.stringValue else {
                throw CaseError(.invalidParameter, argument: "reduction", "must be a string or null, found \(value.serialized(indent: nil))")
            }
            reduction = try KerasReduction(parsing: name)
        }
        let lossType: any FixtureFloat.Type
        switch args.params["dtype"] {
        case nil, .null?: lossType = Float.self
        case .string("float32")?: lossType = Float.self
        case .string("float64")?: lossType = Double.self
        case let value?:
            throw CaseError(.invalidParameter, argument: "dtype", "supported loss dtypes are float32 and float64, found \(value.serialized(indent: nil))")
        }
        let predictionType = try args.input("y_pred").dtype
        for name in ["y_true", "y_pred", "sample_weight"] where args.optionalInput(name)?.dtype == .string {
            throw CaseError(.invalidDtype, argument: name, "expected a numeric tensor, got string")
        }
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let loss = KerasLoss<T>(function, reduction: reduction, backend: backend)
            let weight = try args.optionalInput("sample_weight").map { _ in try args.converted("sample_weight", to: T.self) }
            let result = try loss(
                yTrue: try args.converted("y_true", to: T.self), yPred: try args.converted("y_pred", to: T.self),
                sampleWeight: weight)
            var outputs: NamedArrays = ["output": FixtureArray(result.loss)]
            outputs["grad_y_pred"] = FixtureArray(result.gradient, as: predictionType)
            return outputs
        }
        return try run(lossType)
    }
}

extension KerasSuites {
    /// Keras 3's functions on the canonical problems, per backend: `y_true` ±1 in
    /// `y_pred`'s type (Keras maps {0, 1} to ±1 itself), binary scores as an `(N, 1)`
    /// column so that the mean over the last axis is the per-sample loss; one-hot
    /// `y_true` for `categorical_hinge`. The functions have no reduction: their default
    /// output is the per-sample loss.
    public static var conventions: [Convention] {
        KerasBackend.allCases.flatMap { backend -> [Convention] in
            let context: JSONObject = ["backend": .string(backend.rawValue)]
            let kink = backend == .jax ? "a tie at the kink splits the gradient (½)" : "the full gradient at the kink"
            var conventions = [("hinge", "hinge"), ("squared_hinge", "squared_hinge")].map { function, loss in
                Convention.standard(
                    suite: "keras.losses.\(function)", variant: "backend=\(backend.rawValue)", family: .binary, loss: loss,
                    notes: ["y_true ±1, y_pred as an (N, 1) column", kink, "no reduction (per-sample)"],
                    unreduced: [:], context: context, gradients: ["scores": "grad_y_pred"]
                ) { p in
                    ["y_true": try p.labelArray(shape: [p.count, 1]), "y_pred": try p.array("scores").reshaped([p.count, 1])]
                }
            }
            conventions.append(
                .standard(
                    suite: "keras.losses.categorical_hinge", variant: "backend=\(backend.rawValue)", family: .multiclass,
                    loss: "multiclass_hinge",
                    notes: ["the largest other class only (Crammer–Singer)", "y_true one-hot", kink, "no reduction (per-sample)"],
                    unreduced: [:], context: context, gradients: ["scores": "grad_y_pred"]
                ) { p in ["y_true": try p.oneHot(), "y_pred": try p.array("scores")] })
            return conventions
        }
    }
}
