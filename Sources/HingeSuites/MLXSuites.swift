import HingeConformance
import HingeLosses

/// MLX's margin losses (suites `mlx.nn.losses.*`), by MLX's own argument names: inputs
/// `inputs`/`targets`, `inputs1`/`inputs2`/`targets`, `anchors`/`positives`/`negatives`;
/// outputs `output` and `grad_<input>` for every float input (MLX cannot differentiate
/// with respect to integer targets). `triplet_loss` cases name the MLX release in
/// `context.mlx_version`, which picks ``MLXLosses/TripletFormula``.
public enum MLXSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("mlx.nn.losses.hinge_loss", hinge)
        registry.register("mlx.nn.losses.margin_ranking_loss", marginRanking)
        registry.register("mlx.nn.losses.triplet_loss", triplet)
        return registry
    }

    @Sendable static func hinge(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["reduction"])
        try args.expectInputs(["inputs", "targets"])
        try expectNoContext(args)
        let arrays = try numericInputs(args, ["inputs", "targets"])
        let (reduction, reductionError) = try deferredReduction(args)
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let r = try MLXLosses.hingeLoss(
                inputs: try args.converted("inputs", to: T.self), targets: try args.converted("targets", to: T.self),
                reduction: reduction)
            if let reductionError { throw reductionError }
            return outputs(r.loss, [("inputs", r.gradInputs), ("targets", r.gradTargets)], arrays)
        }
        return try run(promotedFloatType(arrays))
    }

    @Sendable static func marginRanking(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "reduction"])
        try args.expectInputs(["inputs1", "inputs2", "targets"])
        try expectNoContext(args)
        let arrays = try numericInputs(args, ["inputs1", "inputs2", "targets"])
        let margin = try args.double("margin", default: 0)
        let (reduction, reductionError) = try deferredReduction(args)
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let r = try MLXLosses.marginRankingLoss(
                inputs1: try args.converted("inputs1", to: T.self), inputs2: try args.converted("inputs2", to: T.self),
                targets: try args.converted("targets", to: T.self), margin: T(margin), reduction: reduction)
            if let reductionError { throw reductionError }
            return outputs(
                r.loss, [("inputs1", r.gradInputs1), ("inputs2", r.gradInputs2), ("targets", r.gradTargets)], arrays)
        }
        return try run(promotedFloatType(arrays))
    }

    @Sendable static func triplet(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["axis", "p", "margin", "eps", "reduction"])
        try args.expectInputs(["anchors", "positives", "negatives"])
        let formula = try tripletFormula(args)
        let names = ["anchors", "positives", "negatives"]
        let arrays = try names.map { try args.input($0) }
        for (name, array) in zip(names, arrays) where !array.dtype.isFloatingPoint {
            throw CaseError(.invalidDtype, argument: name, "expected float32 or float64, got \(array.dtype)")
        }
        let axis: Int? = args.params["axis"] == .null ? nil : try args.int("axis", default: -1)
        let p = try args.double("p", default: 2)
        let margin = try args.double("margin", default: 1), eps = try args.double("eps", default: 1e-6)
        let (reduction, reductionError) = try deferredReduction(args)
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let r = try MLXLosses.tripletLoss(
                anchors: try args.converted("anchors", to: T.self), positives: try args.converted("positives", to: T.self),
                negatives: try args.converted("negatives", to: T.self), axis: axis, p: p, margin: T(margin), eps: T(eps),
                reduction: reduction, formula: formula)
            if let reductionError { throw reductionError }
            return outputs(
                r.loss, [("anchors", r.gradAnchors), ("positives", r.gradPositives), ("negatives", r.gradNegatives)], arrays)
        }
        return try run(promotedFloatType(arrays))
    }

    /// The MLX losses on the divergence matrix's canonical problems: targets ±1 in the
    /// inputs' type, reduction `none` (MLX's default); `triplet_loss` once per release
    /// formula (0.31.2's is mlx-swift's `MLXNN.tripletLoss`).
    public static var conventions: [Convention] {
        let none = "default reduction: none"
        let triplet = ["anchor": "grad_anchors", "positive": "grad_positives", "negative": "grad_negatives"]
        @Sendable func tripletInputs(_ p: CanonicalProblem) throws -> NamedArrays {
            ["anchors": try p.array("anchor"), "positives": try p.array("positive"), "negatives": try p.array("negative")]
        }
        return [
            .standard(
                suite: "mlx.nn.losses.hinge_loss", family: .binary, loss: "hinge",
                notes: ["targets ±1 in the inputs' type", "0 gradient at the kink", none],
                unreduced: [:], gradients: ["scores": "grad_inputs"]
            ) { p in ["inputs": try p.array("scores"), "targets": try p.labelArray()] },
            .standard(
                suite: "mlx.nn.losses.margin_ranking_loss", family: .ranking, loss: "ranking_hinge",
                notes: ["targets ±1 in the inputs' type", "margin 0 by default: called with margin 1",
                        "the full gradient at the kink", none],
                unreduced: ["margin": .number(JSONNumber(1))], gradients: ["x1": "grad_inputs1", "x2": "grad_inputs2"]
            ) { p in ["inputs1": try p.array("x1"), "inputs2": try p.array("x2"), "targets": try p.labelArray()] },
            .standard(
                suite: "mlx.nn.losses.triplet_loss", variant: "mlx_version=0.32.4", family: .triplet, loss: "triplet",
                notes: ["(Σ abs(a − x)^p + eps)^(1/p): eps added to the sum of powers", "p = 2, eps = 1e-6", "no swap", none],
                unreduced: [:], context: ["mlx_version": .string("0.32.4")], gradients: triplet, inputs: tripletInputs),
            .standard(
                suite: "mlx.nn.losses.triplet_loss", variant: "mlx_version=0.31.2", family: .triplet, loss: "triplet",
                notes: ["sqrt(Σ(a − x)^p + eps), as mlx-swift's MLXNN.tripletLoss", "p = 2, eps = 1e-6", "no swap", none],
                unreduced: [:], context: ["mlx_version": .string("0.31.2")], gradients: triplet, inputs: tripletInputs),
        ]
    }

    /// `context.mlx_version`: the MLX release whose `triplet_loss` the case records (the
    /// newest pinned formula when absent). A release the port does not know is the
    /// adapter's error, reported against the context field, as LinearSVC's
    /// `context.blas_kernel` is.
    static func tripletFormula(_ args: CaseArguments) throws -> MLXLosses.TripletFormula {
        for key in args.context.keys where key != "mlx_version" {
            throw CaseError(.invalidParameter, argument: "context.\(key)", "triplet_loss takes only context.mlx_version")
        }
        guard let value = args.context["mlx_version"] else { return .pNorm }
        guard let version = value.stringValue else {
            throw CaseError(.invalidParameter, argument: "context.mlx_version", "must be a string, found \(value.serialized(indent: nil))")
        }
        do {
            return try MLXLosses.TripletFormula(mlxVersion: version)
        } catch {
            throw CaseError(.invalidParameter, argument: "context.mlx_version", error.message)
        }
    }

    private static func expectNoContext(_ args: CaseArguments) throws {
        if let key = args.context.keys.sorted().first {
            throw CaseError(.invalidParameter, argument: "context.\(key)", "this MLX loss takes no context")
        }
    }

    /// The inputs `names`, which must be numeric (MLX takes no strings).
    private static func numericInputs(_ args: CaseArguments, _ names: [String]) throws -> [FixtureArray] {
        try names.map { name in
            let array = try args.input(name)
            guard array.dtype != .string else {
                throw CaseError(.invalidDtype, argument: name, "expected a numeric array, got string")
            }
            return array
        }
    }

    /// The `reduction` param (default `none`) and, for an unknown one, the error to throw
    /// once the loss has run: MLX's `_reduce` checks it last, so shape errors come first.
    private static func deferredReduction(_ args: CaseArguments) throws -> (Reduction, HingeError?) {
        let name = try args.string("reduction", default: "none")
        do {
            return (try Reduction(parsing: name), nil)
        } catch {
            return (.none, error)
        }
    }

    /// `output`, and `grad_<name>` for every float input, in that input's dtype.
    private static func outputs<T: FixtureFloat>(
        _ loss: Tensor<T>, _ grads: [(String, Tensor<T>)], _ arrays: [FixtureArray]
    ) -> NamedArrays {
        var result: NamedArrays = ["output": FixtureArray(loss)]
        for ((name, grad), array) in zip(grads, arrays) where array.dtype.isFloatingPoint {
            result["grad_\(name)"] = FixtureArray(grad, as: array.dtype)
        }
        return result
    }
}
