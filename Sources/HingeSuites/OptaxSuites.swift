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
        registry.register("optax.losses.triplet_margin_loss", tripletMargin)
        return registry
    }

    /// JAX's compute type for an input: float64 only with x64 enabled, else float32.
    static func computeType(_ args: CaseArguments, _ name: String) throws -> any FixtureFloat.Type {
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
    /// `optax.losses.triplet_margin_loss(anchors, positives, negatives, axis, norm_degree,
    /// margin, eps)`: an integer `norm_degree` lexeme is Python's `int` (JAX's
    /// `integer_pow`), a fractional or exponent one a `float` (`lax.pow`).
    @Sendable static func tripletMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["axis", "norm_degree", "margin", "eps"])
        try args.expectInputs(["anchors", "positives", "negatives"])
        let names = ["anchors", "positives", "negatives"]
        for name in names where try !args.input(name).dtype.isFloatingPoint {
            throw CaseError(.invalidDtype, argument: name, "Expected the input to have a dtype that is a subdtype of floating")
        }
        let axis = try args.int("axis", default: -1)
        let degree: Optax.NormDegree
        switch args.params["norm_degree"] {
        case nil: degree = .integer(2)
        case .number(let n) where n.isInteger:
            guard let value = n.int64Value, let integer = Int(exactly: value) else {
                throw CaseError(.invalidParameter, argument: "norm_degree", "must be an integer or a number, found \(n)")
            }
            degree = .integer(integer)
        default: degree = .real(try args.double("norm_degree", default: 2))
        }
        let margin = try args.double("margin", default: 1)
        let eps = try args.double("eps", default: 1e-6)
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let r = try Optax.tripletMarginLoss(
                anchors: try args.converted("anchors", to: T.self), positives: try args.converted("positives", to: T.self),
                negatives: try args.converted("negatives", to: T.self), axis: axis, normDegree: degree, margin: T(margin),
                eps: T(eps))
            return [
                "output": FixtureArray(r.loss), "grad_anchors": FixtureArray(r.gradAnchors),
                "grad_positives": FixtureArray(r.gradPositives), "grad_negatives": FixtureArray(r.gradNegatives),
            ]
        }
        return try run(computeType(args, "anchors"))
    }

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
            .standard(
                suite: "optax.losses.triplet_margin_loss", family: .triplet, loss: "triplet",
                notes: ["norm_degree 2 with no abs, eps = 1e-6 added to the sum under the root", x32,
                        "a tie at the kink splits the gradient (½)", "no reduction (per-sample)"],
                unreduced: [:],
                gradients: ["anchor": "grad_anchors", "positive": "grad_positives", "negative": "grad_negatives"]
            ) { p in ["anchors": try p.array("anchor"), "positives": try p.array("positive"), "negatives": try p.array("negative")] },
        ]
    }
}
