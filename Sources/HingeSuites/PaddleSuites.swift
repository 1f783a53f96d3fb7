import HingeConformance
import HingeLosses

/// PaddlePaddle's margin losses (suites `paddle.nn.functional.*`, paddlepaddle 3.3.1 on
/// CPU), by Paddle's own argument names: `input`/`label`/`weight`,
/// `input`/`other`/`label`, `input`/`positive`/`negative`; outputs `output` and
/// `grad_<input>` for every float input Paddle's autograd differentiates.
public enum PaddleSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("paddle.nn.functional.multi_margin_loss", multiMargin)
        registry.register("paddle.nn.functional.multi_label_margin_loss", multiLabelMargin)
        registry.register("paddle.nn.functional.hinge_embedding_loss", hingeEmbedding)
        registry.register("paddle.nn.functional.margin_ranking_loss", marginRanking)
        registry.register("paddle.nn.functional.soft_margin_loss", softMargin)
        registry.register("paddle.nn.functional.triplet_margin_loss", tripletMargin)
        registry.register("paddle.nn.functional.triplet_margin_with_distance_loss", tripletMarginWithDistance)
        return registry
    }

    @Sendable static func multiMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["p", "margin", "reduction"])
        try args.expectInputs(["input", "label", "weight"])
        let reduction = try args.reduction()
        let p = try args.double("p", default: 1)
        let margin = try args.double("margin", default: 1)
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let weight = try args.optionalInput("weight").map { _ in try args.tensor("weight", as: T.self) }
            let result = try PaddleMultiMarginLoss<T>(p: p, margin: margin, weight: weight, reduction: reduction)(
                input: try args.tensor("input", as: T.self), label: try args.classIndices("label"))
            return ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradient)]
        }
        return try run(args.floatType(of: "input"))
    }

    @Sendable static func multiLabelMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["reduction"])
        try args.expectInputs(["input", "label"])
        let reduction = try args.reduction()
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let result = try PaddleMultiLabelMarginLoss<T>(reduction: reduction)(
                input: try args.tensor("input", as: T.self), label: try args.classIndices("label"))
            return ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradient)]
        }
        return try run(args.floatType(of: "input"))
    }

    @Sendable static func hingeEmbedding(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "reduction"])
        try args.expectInputs(["input", "label"])
        let reduction = try args.reduction()
        let margin = try args.double("margin", default: 1)
        // The label is compared with ±1 in its own dtype (integers exactly, as Double).
        let labelType: any FixtureFloat.Type = try args.input("label").dtype == .float32 ? Float.self : Double.self
        func run<T: FixtureFloat, L: FixtureFloat>(_: T.Type, _: L.Type) throws -> NamedArrays {
            let result = try PaddleHingeEmbeddingLoss<T>(margin: T(margin), reduction: reduction)(
                input: try args.tensor("input", as: T.self), label: try args.converted("label", to: L.self))
            return ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradient)]
        }
        return try run(args.floatType(of: "input"), labelType)
    }

    @Sendable static func marginRanking(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "reduction"])
        try args.expectInputs(["input", "other", "label"])
        let reduction = try args.reduction()
        let margin = try args.double("margin", default: 0)
        let names = ["input", "other", "label"]
        let arrays = try names.map { try args.input($0) }
        for (name, array) in zip(names, arrays) where !array.dtype.isFloatingPoint {
            // Paddle's type promotion: only float tensors combine with float tensors.
            throw CaseError(.invalidDtype, argument: name, "Type promotion only support floating-point numbers, got \(array.dtype)")
        }
        // other − input in the promotion of those two, the rest in the promotion with the label.
        func run<D: FixtureFloat, S: FixtureFloat>(_: D.Type, _: S.Type) throws -> NamedArrays {
            let result = try PaddleMarginRankingLoss<S>(margin: margin, reduction: reduction)(
                input: try args.converted("input", to: D.self), other: try args.converted("other", to: D.self),
                label: try args.converted("label", to: S.self))
            return [
                "output": FixtureArray(result.loss),
                "grad_input": FixtureArray(result.gradInput, as: arrays[0].dtype)!,
                "grad_other": FixtureArray(result.gradOther, as: arrays[1].dtype)!,
                "grad_label": FixtureArray(result.gradLabel, as: arrays[2].dtype)!,
            ]
        }
        return try run(promotedFloatType(arrays[0...1]), promotedFloatType(arrays))
    }

    @Sendable static func softMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["reduction"])
        try args.expectInputs(["input", "label"])
        let reduction = try args.reduction()
        let label = try args.input("label")
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            // paddle.cast(label, input.dtype): the label in the input's type.
            let result = try PaddleSoftMarginLoss<T>(reduction: reduction)(
                input: try args.tensor("input", as: T.self), label: try args.converted("label", to: T.self))
            var outputs: NamedArrays = ["output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradInput)]
            // An integer label has no gradient; a float one gets it cast back to its dtype.
            outputs["grad_label"] = FixtureArray(result.gradLabel, as: label.dtype)
            return outputs
        }
        return try run(args.floatType(of: "input"))
    }

    @Sendable static func tripletMargin(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "p", "epsilon", "swap", "reduction"])
        let reduction = try args.reduction()
        let distance = PaddlePairwiseDistance(p: try args.double("p", default: 2), epsilon: try args.double("epsilon", default: 1e-6))
        return try triplet(args, distance: distance, reduction: reduction, checksDistances: false)
    }

    /// The distance is named by `context.distance_function` (absent: Paddle's default,
    /// `PairwiseDistance(2)`); fixtures can only name distances, not carry code.
    @Sendable static func tripletMarginWithDistance(_ args: CaseArguments) throws -> NamedArrays {
        try args.expectParams(["margin", "swap", "reduction"])
        let reduction = try args.reduction()
        var distance = PaddlePairwiseDistance()
        if let value = args.context["distance_function"] {
            guard value.stringValue == "pairwise_distance_p1" else {
                throw CaseError(
                    .invalidParameter, argument: "distance_function",
                    "context.distance_function must be \"pairwise_distance_p1\", found \(value.serialized(indent: nil))")
            }
            distance = PaddlePairwiseDistance(p: 1, epsilon: 1e-6)
        }
        return try triplet(args, distance: distance, reduction: reduction, checksDistances: true)
    }

    static func triplet(
        _ args: CaseArguments, distance: PaddlePairwiseDistance, reduction: Reduction, checksDistances: Bool
    ) throws -> NamedArrays {
        try args.expectInputs(["input", "positive", "negative"])
        let margin = try args.double("margin", default: 1)
        let swap = try args.bool("swap", default: false)
        func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays {
            let loss = try PaddleTripletMarginLoss<T>(
                margin: margin, distance: distance, swap: swap, reduction: reduction, checksDistances: checksDistances)
            let result = try loss(
                input: try args.tensor("input", as: T.self), positive: try args.tensor("positive", as: T.self),
                negative: try args.tensor("negative", as: T.self))
            return [
                "output": FixtureArray(result.loss), "grad_input": FixtureArray(result.gradInput),
                "grad_positive": FixtureArray(result.gradPositive), "grad_negative": FixtureArray(result.gradNegative),
            ]
        }
        return try run(args.floatType(of: "input"))
    }
}

extension PaddleSuites {
    /// Paddle's margin losses on the canonical problems: labels ±1 as floats of the
    /// input's type, class indices as int64, `reduction="none"`; the default reduction is
    /// the mean and the margin 1 (0 for margin_ranking_loss).
    public static var conventions: [Convention] {
        let mean = "default reduction: mean"
        return [
            .standard(
                suite: "paddle.nn.functional.soft_margin_loss", family: .binary, loss: "logistic",
                notes: ["label ±1 in the input's type", "log(1 + exp(−y·x)), no log1p", mean],
                unreduced: ["reduction": .string("none")], gradients: ["scores": "grad_input"]
            ) { p in ["input": try p.array("scores"), "label": try p.labelArray()] },
            .standard(
                suite: "paddle.nn.functional.multi_margin_loss", family: .multiclass, loss: "multiclass_hinge",
                notes: ["mean over all C classes, the target's own margin^p subtracted in float32",
                        "the full gradient at the kink", "label class indices (int64)", "p = 1, margin 1", mean],
                unreduced: ["reduction": .string("none")], gradients: ["scores": "grad_input"]
            ) { p in ["input": try p.array("scores"), "label": try p.labelIndices()] },
            .standard(
                suite: "paddle.nn.functional.margin_ranking_loss", family: .ranking, loss: "ranking_hinge",
                notes: ["relu((other − input)·label + margin): relu(NaN) = 0",
                        "margin 0 by default: called with margin 1", mean],
                unreduced: ["reduction": .string("none"), "margin": .number(JSONNumber(1))],
                gradients: ["x1": "grad_input", "x2": "grad_other"]
            ) { p in ["input": try p.array("x1"), "other": try p.array("x2"), "label": try p.labelArray()] },
            .standard(
                suite: "paddle.nn.functional.triplet_margin_loss", family: .triplet, loss: "triplet",
                notes: ["p = 2, epsilon = 1e-6 added to the difference, swap off", "the full gradient at the kink", mean],
                unreduced: ["reduction": .string("none")],
                gradients: ["anchor": "grad_input", "positive": "grad_positive", "negative": "grad_negative"]
            ) { p in ["input": try p.array("anchor"), "positive": try p.array("positive"), "negative": try p.array("negative")] },
            .standard(
                suite: "paddle.nn.functional.triplet_margin_with_distance_loss", family: .triplet, loss: "triplet",
                notes: ["default distance: pairwise_distance, p = 2, epsilon = 1e-6", "a NaN distance is an error", mean],
                unreduced: ["reduction": .string("none")],
                gradients: ["anchor": "grad_input", "positive": "grad_positive", "negative": "grad_negative"]
            ) { p in ["input": try p.array("anchor"), "positive": try p.array("positive"), "negative": try p.array("negative")] },
            .standard(
                suite: "paddle.nn.functional.hinge_embedding_loss", family: .embedding, loss: "hinge_embedding",
                notes: ["label ±1 in the input's type; other labels give 0", "relu(NaN) = 0", "margin 1", mean],
                unreduced: ["reduction": .string("none")], gradients: ["x": "grad_input"]
            ) { p in ["input": try p.array("x"), "label": try p.labelArray()] },
        ]
    }
}
