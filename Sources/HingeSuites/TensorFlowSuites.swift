import HingeConformance
import HingeLosses

/// TensorFlow's v1 hinge loss (suite `tensorflow.compat.v1.losses.hinge_loss`).
/// It always computes in float32; the gradient comes back in `logits`' own type.
public enum TensorFlowSuites {
    public static var registry: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.register("tensorflow.compat.v1.losses.hinge_loss") { args in
            try args.expectParams(["reduction"])
            try args.expectInputs(["labels", "logits", "weights"])
            let reduction = try TFV1Reduction(parsing: args.string("reduction", default: TFV1Reduction.sumByNonzeroWeights.rawValue))
            let logitsType = try args.input("logits").dtype
            for name in ["labels", "logits", "weights"] where args.optionalInput(name)?.dtype == .string {
                throw CaseError(.invalidDtype, argument: name, "expected a numeric tensor, got string")
            }
            let weights = try args.optionalInput("weights").map { _ in try args.converted("weights", to: Float.self) }
            let result = try HingeLossV1<Float>(reduction: reduction)(
                labels: try args.converted("labels", to: Float.self), logits: try args.converted("logits", to: Float.self),
                weights: weights)
            var outputs: NamedArrays = ["output": FixtureArray(result.loss)]
            outputs["grad_logits"] = FixtureArray(result.gradient, as: logitsType)
            return outputs
        }
        return registry
    }
}

extension TensorFlowSuites {
    /// `tf.compat.v1.losses.hinge_loss` on the binary problems: labels {0, 1} (the
    /// canonical ±1 mapped by (y + 1)/2), always computed in float32, `reduction="none"`;
    /// the default reduction is SUM_BY_NONZERO_WEIGHTS.
    public static var conventions: [Convention] {
        [
            .standard(
                suite: "tensorflow.compat.v1.losses.hinge_loss", family: .binary, loss: "hinge",
                notes: ["labels {0, 1}: (y + 1)/2", "computed in float32", "the full gradient at the kink",
                        "default reduction: SUM_BY_NONZERO_WEIGHTS"],
                unreduced: ["reduction": .string("none")], gradients: ["scores": "grad_logits"]
            ) { p in ["labels": try p.labelArray { Double($0 + 1) / 2 }, "logits": try p.array("scores")] }
        ]
    }
}
