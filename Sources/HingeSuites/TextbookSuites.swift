import HingeConformance
import HingeLosses

/// The textbook margin losses (suites `math.*`), by the argument names of
/// `tools/hinge_fixtures/suites/textbook.py`: labels `y`, scores `z`, outputs
/// `output` and `grad_z`.
public enum TextbookSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("math.hinge") { args in
            try binary(args) { (_: Float.Type) in Hinge() } float64: { (_: Double.Type) in Hinge() }
        }
        registry.register("math.squared_hinge") { args in
            try binary(args) { (_: Float.Type) in SquaredHinge() } float64: { (_: Double.Type) in SquaredHinge() }
        }
        registry.register("math.softplus_hinge") { args in
            try binary(args) { (_: Float.Type) in SoftplusHinge() } float64: { (_: Double.Type) in SoftplusHinge() }
        }
        registry.register("math.logistic") { args in
            try binary(args) { (_: Float.Type) in Logistic() } float64: { (_: Double.Type) in Logistic() }
        }
        registry.register("math.huber_margin") { args in
            let delta = try args.double("delta", default: 1)
            return try binary(args, extraParams: ["delta"]) { (_: Float.Type) in
                try HuberMargin(delta: Float(delta))
            } float64: { (_: Double.Type) in
                try HuberMargin(delta: delta)
            }
        }
        registry.register("math.ranking_hinge") { args in
            try args.expectParams(["reduction", "margin"])
            try args.expectInputs(["pos_scores", "neg_scores"])
            let margin = try args.double("margin", default: 1)
            return try args.dispatchFloat(
                on: "pos_scores",
                float32: { try ranking(args, RankingHinge<Float>(margin: Float(margin))) },
                float64: { try ranking(args, RankingHinge<Double>(margin: margin)) })
        }
        registry.register("math.crammer_singer") { args in
            try multiclass(args, float32: CrammerSinger<Float>(), float64: CrammerSinger<Double>())
        }
        registry.register("math.weston_watkins") { args in
            try multiclass(args, float32: WestonWatkins<Float>(), float64: WestonWatkins<Double>())
        }
        return registry
    }

    /// A binary margin loss with inputs `y` and `z`; the loss is built per
    /// dtype because its parameters (Huber's `delta`) take the scores' type.
    private static func binary<L32: MarginLoss<Float>, L64: MarginLoss<Double>>(
        _ args: CaseArguments, extraParams: Set<String> = [],
        float32: (Float.Type) throws -> L32, float64: (Double.Type) throws -> L64
    ) throws -> NamedArrays {
        try args.expectParams(extraParams.union(["reduction"]))
        try args.expectInputs(["y", "z"])
        let reduction = try args.reduction()
        return try args.dispatchFloat(
            on: "z",
            float32: { try evaluate(try float32(Float.self), args, reduction) },
            float64: { try evaluate(try float64(Double.self), args, reduction) })
    }

    private static func evaluate<L: MarginLoss>(
        _ loss: L, _ args: CaseArguments, _ reduction: Reduction
    ) throws -> NamedArrays where L.Scalar: FixtureFloat {
        let z = try args.tensor("z", as: L.Scalar.self)
        let y = try args.tensor("y", as: L.Scalar.self, allowInt64: true)
        let result = try loss(labels: y, scores: z, reduction: reduction)
        return ["output": FixtureArray(result.loss), "grad_z": FixtureArray(result.gradient)]
    }

    private static func ranking<T: FixtureFloat>(_ args: CaseArguments, _ loss: RankingHinge<T>) throws -> NamedArrays {
        let reduction = try args.reduction()
        let pos = try args.tensor("pos_scores", as: T.self)
        let neg = try args.tensor("neg_scores", as: T.self)
        let result = try loss(positive: pos, negative: neg, reduction: reduction)
        return [
            "output": FixtureArray(result.loss),
            "grad_pos_scores": FixtureArray(result.gradPositive),
            "grad_neg_scores": FixtureArray(result.gradNegative),
        ]
    }

    private static func multiclass<L32: MulticlassMarginLoss<Float>, L64: MulticlassMarginLoss<Double>>(
        _ args: CaseArguments, float32: L32, float64: L64
    ) throws -> NamedArrays {
        try args.expectParams(["reduction"])
        try args.expectInputs(["y", "z"])
        let reduction = try args.reduction()
        func run<L: MulticlassMarginLoss>(_ loss: L) throws -> NamedArrays where L.Scalar: FixtureFloat {
            let z = try args.tensor("z", as: L.Scalar.self)
            let y = try args.classIndices("y")
            let result = try loss(labels: y, scores: z, reduction: reduction)
            return ["output": FixtureArray(result.loss), "grad_z": FixtureArray(result.gradient)]
        }
        return try args.dispatchFloat(on: "z", float32: { try run(float32) }, float64: { try run(float64) })
    }
}
