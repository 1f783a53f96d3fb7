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
