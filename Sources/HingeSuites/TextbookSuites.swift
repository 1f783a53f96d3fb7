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

extension TextbookSuites {
    /// The textbook losses on the canonical problems: labels ±1 (binary) or class
    /// indices (multiclass) in the scores' type, `reduction="none"`; their default
    /// reduction is the mean.
    public static var conventions: [Convention] {
        let binary: [(String, String)] = [("math.hinge", "hinge"), ("math.squared_hinge", "squared_hinge"), ("math.logistic", "logistic")]
        var conventions = binary.map { suite, loss in
            Convention.standard(
                suite: suite, family: .binary, loss: loss, notes: ["y ±1 in the scores' type", "default reduction: mean"],
                unreduced: ["reduction": .string("none")], gradients: ["scores": "grad_z"]
            ) { p in ["z": try p.array("scores"), "y": try p.labelArray()] }
        }
        for (suite, note) in [
            ("math.weston_watkins", "Σ over the other classes, not divided by C"), ("math.crammer_singer", "the largest other class only"),
        ] {
            conventions.append(
                .standard(
                    suite: suite, family: .multiclass, loss: "multiclass_hinge",
                    notes: [note, "y class indices (int64)", "default reduction: mean"],
                    unreduced: ["reduction": .string("none")], gradients: ["scores": "grad_z"]
                ) { p in ["z": try p.array("scores"), "y": try p.labelIndices()] })
        }
        // The textbook ranking hinge has no labels: the pair is ordered by y first.
        conventions.append(
            Convention(
                suite: "math.ranking_hinge", family: .ranking, loss: "ranking_hinge",
                notes: ["pos_scores/neg_scores: (x1, x2) where y = +1, (x2, x1) where y = −1", "default reduction: mean"]
            ) { p, implementation in
                let (x1, x2) = (p.values("x1"), p.values("x2"))
                let positive = p.labels.indices.map { p.labels[$0] == 1 ? x1[$0] : x2[$0] }
                let negative = p.labels.indices.map { p.labels[$0] == 1 ? x2[$0] : x1[$0] }
                let inputs: NamedArrays = [
                    "pos_scores": try CanonicalProblem.array(positive, dtype: p.dtype, shape: [p.count]),
                    "neg_scores": try CanonicalProblem.array(negative, dtype: p.dtype, shape: [p.count]),
                ]
                let outputs = try implementation(CaseArguments(params: ["reduction": .string("none")], inputs: inputs))
                let byDefault = try? implementation(CaseArguments(inputs: inputs))["output"]
                let (gp, gn) = (outputs["grad_pos_scores"].map(CanonicalProblem.doubles) ?? [], outputs["grad_neg_scores"].map(CanonicalProblem.doubles) ?? [])
                guard let output = outputs["output"], gp.count == p.count, gn.count == p.count else {
                    throw CaseError(.invalidParameter, argument: "output", "math.ranking_hinge gave no output or gradients")
                }
                return CanonicalOutcome(
                    losses: CanonicalProblem.doubles(output), dtype: output.dtype,
                    gradients: [
                        "x1": p.labels.indices.map { p.labels[$0] == 1 ? gp[$0] : gn[$0] },
                        "x2": p.labels.indices.map { p.labels[$0] == 1 ? gn[$0] : gp[$0] },
                    ],
                    defaults: byDefault.map { ($0.shape, CanonicalProblem.doubles($0)) })
            })
        return conventions
    }
}
