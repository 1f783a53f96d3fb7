import HingeConformance
import HingeLosses

/// optax's margin losses (suites `optax.hinge_loss`, `optax.losses.*`). JAX
/// computes in float32 unless the case's `context.jax_enable_x64` is true, in
/// which case float64 inputs stay float64.
public enum OptaxSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("optax.hinge_loss") { args in
            let type = try predictorsAndTargets(args)
            // bool targets: JAX's product with them is a select (see Optax.hingeLoss).
            let boolean = args.optionalInput("targets")?.dtype == .bool
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
                let (p, t): (Tensor<T>, Tensor<T>) = (try args.converted("predictor_outputs"), try args.converted("targets"))
                return binaryOutputs(try Optax.hingeLoss(predictorOutputs: p, targets: t, booleanTargets: boolean))
            }
            return try run(type)
        }
        registry.register("optax.losses.perceptron_loss") { args in
            let type = try predictorsAndTargets(args)
            // bool targets: JAX's product with them is a select (see Optax.perceptronLoss).
            let boolean = args.optionalInput("targets")?.dtype == .bool
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
                let (p, t): (Tensor<T>, Tensor<T>) = (try args.converted("predictor_outputs"), try args.converted("targets"))
                return binaryOutputs(try Optax.perceptronLoss(predictorOutputs: p, targets: t, booleanTargets: boolean))
            }
            return try run(type)
        }
        registry.register("optax.losses.multiclass_hinge_loss") { args in
            let (labels, type) = try scoresAndLabels(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
                multiclassOutputs(try Optax.multiclassHingeLoss(scores: try args.converted("scores", to: T.self), labels: labels))
            }
            return try run(type)
        }
        registry.register("optax.losses.multiclass_perceptron_loss") { args in
            let (labels, type) = try scoresAndLabels(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
                multiclassOutputs(try Optax.multiclassPerceptronLoss(scores: try args.converted("scores", to: T.self), labels: labels))
            }
            return try run(type)
        }
        return registry
    }

    /// JAX's compute type for an input: float64 only with x64 enabled, else float32.
    private static func computeType(_ args: CaseArguments, _ name: String) throws -> any FixtureFloat.Type {
        let x64 = args.context["jax_enable_x64"]?.boolValue ?? false
        return try args.input(name).dtype == .float64 && x64 ? Double.self : Float.self
    }

    /// Checks a case of `predictor_outputs` and `targets`; the compute type.
    private static func predictorsAndTargets(_ args: CaseArguments) throws -> any FixtureFloat.Type {
        try args.expectParams([])
        try args.expectInputs(["predictor_outputs", "targets"])
        for name in ["predictor_outputs", "targets"] where try args.input(name).dtype == .string {
            throw CaseError(.invalidDtype, argument: name, "expected a numeric tensor, got string")
        }
        return try computeType(args, "predictor_outputs")
    }

    private static func binaryOutputs<T: FixtureFloat>(_ r: LossAndGradient<T>) -> NamedArrays {
        ["output": FixtureArray(r.loss), "grad_predictor_outputs": FixtureArray(r.gradient)]
    }

    /// Checks a case of `scores` and `labels`; the labels and the compute type.
    private static func scoresAndLabels(_ args: CaseArguments) throws -> (Tensor<Int>, any FixtureFloat.Type) {
        try args.expectParams([])
        try args.expectInputs(["scores", "labels"])
        if try args.input("scores").dtype == .string {
            throw CaseError(.invalidDtype, argument: "scores", "expected a numeric tensor, got string")
        }
        let labels = try args.classIndices("labels")
        return (labels, try computeType(args, "scores"))
    }

    private static func multiclassOutputs<T: FixtureFloat>(_ r: LossAndGradient<T>) -> NamedArrays {
        ["output": FixtureArray(r.loss), "grad_scores": FixtureArray(r.gradient)]
    }
}

extension OptaxSuites {
    /// optax's losses on the canonical problems, with JAX's default `jax_enable_x64=False`
    /// (float64 inputs are computed in float32): targets ±1 in the scores' type, class
    /// indices as int64. They have no reduction: the default output is per-sample.
    public static var conventions: [Convention] {
        let x32 = "JAX default x64 off: float64 computed in float32"
        return [
            .standard(
                suite: "optax.hinge_loss", family: .binary, loss: "hinge",
                notes: ["targets ±1", x32, "a tie at the kink splits the gradient (½)", "no reduction (per-sample)"],
                unreduced: [:], gradients: ["scores": "grad_predictor_outputs"]
            ) { p in ["predictor_outputs": try p.array("scores"), "targets": try p.labelArray()] },
            .standard(
                suite: "optax.losses.perceptron_loss", family: .binary, loss: "perceptron",
                notes: ["targets ±1", x32, "no reduction (per-sample)"],
                unreduced: [:], gradients: ["scores": "grad_predictor_outputs"]
            ) { p in ["predictor_outputs": try p.array("scores"), "targets": try p.labelArray()] },
            .standard(
                suite: "optax.losses.multiclass_hinge_loss", family: .multiclass, loss: "multiclass_hinge",
                notes: ["the largest other class only (Crammer–Singer)", "labels class indices (int64)", x32,
                        "no reduction (per-sample)"],
                unreduced: [:], gradients: ["scores": "grad_scores"]
            ) { p in ["scores": try p.array("scores"), "labels": try p.labelIndices()] },
        ]
    }
}
