import HingeConformance
import HingeLosses

/// PyTorch's margin losses (suites `torch.nn.functional.*`), by torch's own
/// argument names: inputs `input`/`target`/`weight`, `input1`/`input2`/`target`,
/// `anchor`/`positive`/`negative`; outputs `output` and `grad_<input>`.
///
/// The fixtures pin torch 2.15.0 on CPU, so every loss runs with the 2.15 kink
/// convention (`KinkGradient.zero`).
public enum TorchSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("torch.nn.functional.multi_margin_loss", multiMargin)
        registry.register("torch.nn.functional.multilabel_margin_loss", multiLabelMargin)
        registry.register("torch.nn.functional.hinge_embedding_loss", hingeEmbedding)
        registry.register("torch.nn.functional.margin_ranking_loss", marginRanking)
        registry.register("torch.nn.functional.soft_margin_loss", softMargin)
        registry.register("torch.nn.functional.triplet_margin_loss", tripletMargin)
        registry.register("torch.nn.functional.cosine_embedding_loss", cosineEmbedding)
        registry.register("torch.nn.functional.triplet_margin_with_distance_loss", tripletMarginWithDistance)
        return registry
    }

    /// `p` as torch accepts it: an integral number (2.0 is 2); the loss checks 1 or 2.
    private static func power(_ args: CaseArguments) throws -> Int {
        let p = try args.double("p", default: 1)
        guard p.isFinite, p.rounded() == p, let integral = Int(exactly: p) else {
            throw HingeError.invalidParameter("p", "only p == 1 and p == 2 supported")
        }
        return integral
    }

    @Sendable static func multiMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["p", "margin", "reduction"])
        try args.expectInputs(["input", "target", "weight"])
        let p = try power(args)
        let margin = try args.double("margin", default: 1)
        let reduction = try args.reduction()
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let weight = try args.optionalInput("weight").map { _ in try args.tensor("weight", as: T.self) }
            let loss = try MultiMarginLoss<T>(p: p, margin: T(margin), weight: weight, reduction: reduction)
            let result = try loss(input: try args.tensor("input", as: T.self), target: try args.classIndices("target"))
            return ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradient)]
        }
        return try run(args.floatType(of: "input"))
    }

    @Sendable static func multiLabelMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["reduction"])
        try args.expectInputs(["input", "target"])
        let reduction = try args.reduction()
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let result = try MultiLabelMarginLoss<T>(reduction: reduction)(
                input: try args.tensor("input", as: T.self), target: try args.classIndices("target"))
            return ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradient)]
        }
        return try run(args.floatType(of: "input"))
    }

    @Sendable static func hingeEmbedding(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "reduction"])
        try args.expectInputs(["input", "target"])
        let margin = try args.double("margin", default: 1)
        let reduction = try args.reduction()
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            // Targets are only compared with ±1, so any numeric dtype converts exactly enough.
            let result = try HingeEmbeddingLoss<T>(margin: T(margin), reduction: reduction)(
                input: try args.tensor("input", as: T.self), target: try args.converted("target", to: T.self))
            return ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradient)]
        }
        return try run(args.floatType(of: "input"))
    }

    @Sendable static func marginRanking(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "reduction"])
        try args.expectInputs(["input1", "input2", "target"])
        let margin = try args.double("margin", default: 0)
        let reduction = try args.reduction()
        let arrays = [try args.input("input1"), try args.input("input2"), try args.input("target")]
        for (name, array) in zip(["input1", "input2", "target"], arrays) where array.dtype == .string {
            throw CaseError(.invalidDtype, argument: name, "expected a numeric tensor, got string")
        }
        // x1 − x2 is formed in the promotion of the two inputs, the rest in the promotion of all three.
        func run<I: FixtureFloat, S: FixtureFloat>(_: I.Type, _: S.Type) throws -> NamedArrays {
            let loss = MarginRankingLoss<S>(margin: S(margin), reduction: reduction)
            let result = try loss(
                input1: try args.converted("input1", to: I.self), input2: try args.converted("input2", to: I.self),
                target: try args.converted("target", to: S.self))
            var outputs: NamedArrays = ["output": FixtureArray(result.loss)]
            // Autograd rounds each gradient to its input's type; integer inputs have none.
            outputs["grad_input1"] = FixtureArray(result.gradInput1, as: arrays[0].dtype)
            outputs["grad_input2"] = FixtureArray(result.gradInput2, as: arrays[1].dtype)
            outputs["grad_target"] = FixtureArray(result.gradTarget, as: arrays[2].dtype)
            return outputs
        }
        return try run(promotedFloatType(arrays[0...1]), promotedFloatType(arrays))
    }

    @Sendable static func softMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["reduction"])
        try args.expectInputs(["input", "target"])
        let reduction = try args.reduction()
        let target = try args.input("target")
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let input = try args.tensor("input", as: T.self)
            let loss = SoftMarginLoss<T>(reduction: reduction)
            // Products with a float64 target are formed in float64, as torch's in-place mul_ promotes.
            let result =
                target.dtype == .float64
                ? try loss(input: input, target: try args.converted("target", to: Double.self))
                : try loss(input: input, target: try args.converted("target", to: T.self))
            return ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradient)]
        }
        return try run(args.floatType(of: "input"))
    }

    @Sendable static func tripletMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "p", "eps", "swap", "reduction"])
        try args.expectInputs(["anchor", "positive", "negative"])
        let margin = try args.double("margin", default: 1)
        let p = try args.double("p", default: 2)
        let eps = try args.double("eps", default: 1e-6)
        let swap = try args.bool("swap", default: false)
        let reduction = try args.reduction()
        let names = ["anchor", "positive", "negative"]
        let arrays = try names.map { try args.input($0) }
        for (name, array) in zip(names, arrays) where !array.dtype.isFloatingPoint {
            throw CaseError(.invalidDtype, argument: name, "expected float32 or float64, got \(array.dtype)")
        }
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let loss = try TripletMarginLoss<T>(margin: T(margin), p: T(p), eps: T(eps), swap: swap, reduction: reduction)
            let result = try loss(
                anchor: try args.converted("anchor", to: T.self), positive: try args.converted("positive", to: T.self),
                negative: try args.converted("negative", to: T.self))
            return tripletOutputs(result, types: arrays.map(\.dtype))
        }
        return try run(promotedFloatType(arrays))
    }

    /// A triplet loss's outputs, each gradient in its own input's type (float32 or float64,
    /// checked by the caller, so the conversions cannot fail).
    private static func tripletOutputs<T: FixtureFloat>(_ result: TripletMarginLoss<T>.Result, types: [DType]) -> NamedArrays {
        [
            "output": FixtureArray(result.loss),
            "grad_anchor": FixtureArray(result.gradAnchor, as: types[0])!,
            "grad_positive": FixtureArray(result.gradPositive, as: types[1])!,
            "grad_negative": FixtureArray(result.gradNegative, as: types[2])!,
        ]
    }

    @Sendable static func cosineEmbedding(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "reduction"])
        try args.expectInputs(["input1", "input2", "target"])
        let margin = try args.double("margin", default: 0)
        let reduction = try args.reduction()
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            // The target is only compared with ±1: in float64 any numeric dtype keeps its identity.
            let result = try CosineEmbeddingLoss<T>(margin: T(margin), reduction: reduction)(
                input1: try args.tensor("input1", as: T.self), input2: try args.tensor("input2", as: T.self),
                target: try args.converted("target", to: Double.self))
            return [
                "output": FixtureArray(result.loss), "grad_input1": FixtureArray(result.gradInput1),
                "grad_input2": FixtureArray(result.gradInput2),
            ]
        }
        return try run(args.floatType(of: "input1"))
    }

    /// The fixture's names for distance functions (a callable cannot be written in
    /// JSON): `distance_function` absent or null is torch's default.
    static func distanceFunction<T: FixtureFloat>(
        _ args: CaseArguments, as _: T.Type
    ) throws -> TripletMarginWithDistanceLoss<T>.DistanceFunction {
        guard let value = args.params["distance_function"], value != .null else { return .pairwiseDistance() }
        switch value.stringValue {
        case "pairwise_distance": return .pairwiseDistance(p: 2, eps: 1e-6)
        case "pairwise_distance_p1": return .pairwiseDistance(p: 1, eps: 1e-6)
        default:
            throw CaseError(
                .invalidParameter, argument: "distance_function",
                "unknown distance function \(value.serialized(indent: nil)); known: \"pairwise_distance\", \"pairwise_distance_p1\" or null")
        }
    }

    @Sendable static func tripletMarginWithDistance(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["distance_function", "margin", "swap", "reduction"])
        try args.expectInputs(["anchor", "positive", "negative"])
        let reduction = try args.reduction()
        let margin = try args.double("margin", default: 1)
        let swap = try args.bool("swap", default: false)
        let names = ["anchor", "positive", "negative"]
        let arrays = try names.map { try args.input($0) }
        for (name, array) in zip(names, arrays) where !array.dtype.isFloatingPoint {
            throw CaseError(.invalidDtype, argument: name, "expected float32 or float64, got \(array.dtype)")
        }
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let loss = try TripletMarginWithDistanceLoss<T>(
                distanceFunction: try distanceFunction(args, as: T.self), margin: T(margin), swap: swap,
                reduction: reduction)
            let result = try loss(
                anchor: try args.converted("anchor", to: T.self), positive: try args.converted("positive", to: T.self),
                negative: try args.converted("negative", to: T.self))
            return tripletOutputs(result, types: arrays.map(\.dtype))
        }
        return try run(promotedFloatType(arrays))
    }
}

extension TorchSuites {
    /// PyTorch's margin losses on the canonical problems: labels ±1 as floats of the
    /// input's type, class indices as int64, `reduction="none"`; the default reduction is
    /// the mean and the margin 1.
    public static var conventions: [Convention] {
        let mean = "default reduction: mean"
        return [
            .standard(
                suite: "torch.nn.functional.soft_margin_loss", family: .binary, loss: "logistic",
                notes: ["target ±1 in the input's type", mean],
                unreduced: ["reduction": .string("none")], gradients: ["scores": "grad_input"]
            ) { p in ["input": try p.array("scores"), "target": try p.labelArray()] },
            .standard(
                suite: "torch.nn.functional.multi_margin_loss", family: .multiclass, loss: "multiclass_hinge",
                notes: ["Σ over the other classes divided by C", "target class indices (int64)", "p = 1, margin 1", mean],
                unreduced: ["reduction": .string("none")], gradients: ["scores": "grad_input"]
            ) { p in ["input": try p.array("scores"), "target": try p.labelIndices()] },
            .standard(
                suite: "torch.nn.functional.margin_ranking_loss", family: .ranking, loss: "ranking_hinge",
                notes: ["target ±1 in the inputs' type", "margin 0 by default: called with margin 1", mean],
                unreduced: ["reduction": .string("none"), "margin": .number(JSONNumber(1))],
                gradients: ["x1": "grad_input1", "x2": "grad_input2"]
            ) { p in ["input1": try p.array("x1"), "input2": try p.array("x2"), "target": try p.labelArray()] },
            .standard(
                suite: "torch.nn.functional.triplet_margin_loss", family: .triplet, loss: "triplet",
                notes: ["p = 2, eps = 1e-6 added to the difference, swap off", mean],
                unreduced: ["reduction": .string("none")],
                gradients: ["anchor": "grad_anchor", "positive": "grad_positive", "negative": "grad_negative"]
            ) { p in ["anchor": try p.array("anchor"), "positive": try p.array("positive"), "negative": try p.array("negative")] },
            .standard(
                suite: "torch.nn.functional.triplet_margin_with_distance_loss", family: .triplet, loss: "triplet",
                notes: ["distance_function None: pairwise_distance (p = 2, eps = 1e-6 added to the difference)", "swap off", mean],
                unreduced: ["reduction": .string("none")],
                gradients: ["anchor": "grad_anchor", "positive": "grad_positive", "negative": "grad_negative"]
            ) { p in ["anchor": try p.array("anchor"), "positive": try p.array("positive"), "negative": try p.array("negative")] },
            .standard(
                suite: "torch.nn.functional.hinge_embedding_loss", family: .embedding, loss: "hinge_embedding",
                notes: ["target ±1 in the input's type", "margin 1", mean],
                unreduced: ["reduction": .string("none")], gradients: ["x": "grad_input"]
            ) { p in ["input": try p.array("x"), "target": try p.labelArray()] },
        ]
    }
}
