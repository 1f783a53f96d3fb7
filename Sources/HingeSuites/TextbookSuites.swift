import HingeConformance
import HingeLosses

/// The textbook margin losses (suites `math.*`), by the argument names of
/// `tools/hinge_fixtures/mirrors/textbook.py` (builders in `suites/textbook.py`): labels `y`, scores `z`, outputs
/// `output` and `grad_z`.
public enum TextbookSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("math.hinge") { args in
            let (reduction, type) = try labelsAndScores(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try binary(Hinge<T>(), args, reduction) }
            return try run(type)
        }
        registry.register("math.squared_hinge") { args in
            let (reduction, type) = try labelsAndScores(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try binary(SquaredHinge<T>(), args, reduction) }
            return try run(type)
        }
        registry.register("math.smooth_hinge") { args in
            let (reduction, type) = try labelsAndScores(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try binary(SmoothHinge<T>(), args, reduction) }
            return try run(type)
        }
        registry.register("math.softplus_hinge") { args in
            let (reduction, type) = try labelsAndScores(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try binary(SoftplusHinge<T>(), args, reduction) }
            return try run(type)
        }
        registry.register("math.logistic") { args in
            let (reduction, type) = try labelsAndScores(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try binary(Logistic<T>(), args, reduction) }
            return try run(type)
        }
        registry.register("math.huber_margin") { args in
            let delta = try args.double("delta", default: 1)
            let (reduction, type) = try labelsAndScores(args, extraParams: ["delta"])
            // The loss is built in the scores' type: its delta takes that type.
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try binary(try HuberMargin<T>(delta: T(delta)), args, reduction) }
            return try run(type)
        }
        registry.register("math.ranking_hinge") { args in
            try args.expectParams(["reduction", "margin"])
            try args.expectInputs(["pos_scores", "neg_scores"])
            let margin = try args.double("margin", default: 1)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try ranking(args, RankingHinge<T>(margin: T(margin))) }
            return try run(args.floatType(of: "pos_scores"))
        }
        registry.register("math.crammer_singer") { args in
            let (reduction, type) = try labelsAndScores(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try multiclass(CrammerSinger<T>(), args, reduction) }
            return try run(type)
        }
        registry.register("math.weston_watkins") { args in
            let (reduction, type) = try labelsAndScores(args)
            func run<T: FixtureFloat>(_: T.Type) throws -> NamedArrays { try multiclass(WestonWatkins<T>(), args, reduction) }
            return try run(type)
        }
        return registry
    }

    /// Checks a case of labels `y` and scores `z`; its reduction and the scores' float type.
    private static func labelsAndScores(
        _ args: CaseArguments, extraParams: Set<String> = []
    ) throws -> (Reduction, any FixtureFloat.Type) {
        try args.expectParams(extraParams.union(["reduction"]))
        try args.expectInputs(["y", "z"])
        let reduction = try args.reduction()
        return (reduction, try args.floatType(of: "z"))
    }

    /// A binary margin loss: labels `y` (±1, float or int64), scores `z`.
    private static func binary<L: MarginLoss>(
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

    /// A multi-class margin loss: class indices `y` (int64), scores `z` (N, K).
    private static func multiclass<L: MulticlassMarginLoss>(
        _ loss: L, _ args: CaseArguments, _ reduction: Reduction
    ) throws -> NamedArrays where L.Scalar: FixtureFloat {
        let z = try args.tensor("z", as: L.Scalar.self)
        let y = try args.classIndices("y")
        let result = try loss(labels: y, scores: z, reduction: reduction)
        return ["output": FixtureArray(result.loss), "grad_z": FixtureArray(result.gradient)]
    }
}
