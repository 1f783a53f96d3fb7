import HingeConformance
import HingeLosses

/// optax's margin losses (suites `optax.hinge_loss`, `optax.losses.*`). JAX
/// computes in float32 unless the case's `context.jax_enable_x64` is true, in
/// which case float64 inputs stay float64.
public enum OptaxSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("optax.hinge_loss") { args in
            // bool targets: JAX's product with them is a select (see Optax.hingeLoss).
            let boolean = args.optionalInput("targets")?.dtype == .bool
            return try binary(args) { p, t throws(HingeError) in
                try Optax.hingeLoss(predictorOutputs: p, targets: t, booleanTargets: boolean)
            } float64: { p, t throws(HingeError) in
                try Optax.hingeLoss(predictorOutputs: p, targets: t, booleanTargets: boolean)
            }
        }
        registry.register("optax.losses.perceptron_loss") { args in
            // bool targets: JAX's product with them is a select (see Optax.perceptronLoss).
            let boolean = args.optionalInput("targets")?.dtype == .bool
            return try binary(args) { p, t throws(HingeError) in
                try Optax.perceptronLoss(predictorOutputs: p, targets: t, booleanTargets: boolean)
            } float64: { p, t throws(HingeError) in
                try Optax.perceptronLoss(predictorOutputs: p, targets: t, booleanTargets: boolean)
            }
        }
        registry.register("optax.losses.multiclass_hinge_loss") { args in
            try multiclass(args) { s, l throws(HingeError) in try Optax.multiclassHingeLoss(scores: s, labels: l) } float64: { s, l throws(HingeError) in
                try Optax.multiclassHingeLoss(scores: s, labels: l)
            }
        }
        registry.register("optax.losses.multiclass_perceptron_loss") { args in
            try multiclass(args) { s, l throws(HingeError) in try Optax.multiclassPerceptronLoss(scores: s, labels: l) } float64: { s, l throws(HingeError) in
                try Optax.multiclassPerceptronLoss(scores: s, labels: l)
            }
        }
        return registry
    }

    /// JAX's compute type for an input: float64 only with x64 enabled.
    private static func usesFloat64(_ args: CaseArguments, _ name: String) throws -> Bool {
        let x64 = args.context["jax_enable_x64"]?.boolValue ?? false
        return try args.input(name).dtype == .float64 && x64
    }

    private static func binary(
        _ args: CaseArguments,
        float32: (Tensor<Float>, Tensor<Float>) throws(HingeError) -> LossAndGradient<Float>,
        float64: (Tensor<Double>, Tensor<Double>) throws(HingeError) -> LossAndGradient<Double>
    ) throws -> NamedArrays {
        try args.expectParams([])
        try args.expectInputs(["predictor_outputs", "targets"])
        for name in ["predictor_outputs", "targets"] where try args.input(name).dtype == .string {
            throw CaseError(.invalidDtype, argument: name, "expected a numeric tensor, got string")
        }
        if try usesFloat64(args, "predictor_outputs") {
            let r = try float64(try args.converted("predictor_outputs"), try args.converted("targets"))
            return ["output": FixtureArray(r.loss), "grad_predictor_outputs": FixtureArray(r.gradient)]
        }
        let r = try float32(try args.converted("predictor_outputs"), try args.converted("targets"))
        return ["output": FixtureArray(r.loss), "grad_predictor_outputs": FixtureArray(r.gradient)]
    }

    private static func multiclass(
        _ args: CaseArguments,
        float32: (Tensor<Float>, Tensor<Int>) throws(HingeError) -> LossAndGradient<Float>,
        float64: (Tensor<Double>, Tensor<Int>) throws(HingeError) -> LossAndGradient<Double>
    ) throws -> NamedArrays {
        try args.expectParams([])
        try args.expectInputs(["scores", "labels"])
        if try args.input("scores").dtype == .string {
            throw CaseError(.invalidDtype, argument: "scores", "expected a numeric tensor, got string")
        }
        let labels = try args.classIndices("labels")
        if try usesFloat64(args, "scores") {
            let r = try float64(try args.converted("scores"), labels)
            return ["output": FixtureArray(r.loss), "grad_scores": FixtureArray(r.gradient)]
        }
        let r = try float32(try args.converted("scores"), labels)
        return ["output": FixtureArray(r.loss), "grad_scores": FixtureArray(r.gradient)]
    }
}
