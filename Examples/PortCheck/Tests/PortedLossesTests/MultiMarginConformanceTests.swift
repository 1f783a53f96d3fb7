// Check a Swift port of torch.nn.functional.multi_margin_loss against the golden fixtures
// that hinge-conformance generated with PyTorch itself: values, gradients and errors.
import HingeConformance
import HingeFixtures
import PortedLosses
import Testing

/// The loss under test, as the fixtures call it. `MultiMarginLoss` is the port;
/// `AveragedOverOtherClasses` below is a wrong variant, to see what a failure looks like.
protocol MultiMarginPort: Sendable {
    init(p: Double, margin: Double, reduction: Reduction) throws(MultiMarginLossError)
    func callAsFunction<T: BinaryFloatingPoint & Sendable>(
        _ input: Tensor<T>, target: Tensor<Int>, weight: Tensor<T>?
    ) throws(MultiMarginLossError) -> (loss: Tensor<T>, gradient: Tensor<T>)
}

extension MultiMarginLoss: MultiMarginPort {}

/// Runs `Port` over every case of the suite's bundled fixture file.
func conformance<Port: MultiMarginPort>(of _: Port.Type) throws -> RunReport {
    var registry = SuiteRegistry()
    registry.register("torch.nn.functional.multi_margin_loss") { args in
        // The fixture's arguments, by PyTorch's names...
        try args.expectParams(["p", "margin", "reduction"])
        guard let reduction = Reduction(rawValue: try args.string("reduction", default: "mean")) else {
            throw CaseError(.invalidParameter, argument: "reduction", "not a valid value for reduction")
        }
        let port = try Port(p: try args.double("p", default: 1), margin: try args.double("margin", default: 1), reduction: reduction)
        let input = try args.input("input"), target = try args.input("target")
        guard case .int64(let labels) = target.storage else {
            throw CaseError(.invalidDtype, argument: "target", "expected scalar type Long")
        }
        let classes = Tensor(labels.map { Int($0) }, shape: target.shape)
        func run<T: BinaryFloatingPoint & Sendable>(_ scores: [T], _ weights: [T]?) throws -> NamedArrays {
            let weight = weights.map { Tensor($0, shape: args.optionalInput("weight")?.shape ?? []) }
            let (loss, gradient) = try port(Tensor(scores, shape: input.shape), target: classes, weight: weight)
            // ...and our results, by the fixture's output names.
            return ["output": try fixtureArray(loss), "grad_input": try fixtureArray(gradient)]
        }
        switch (input.storage, args.optionalInput("weight")?.storage) {
        case (.float32(let x), nil): return try run(x, nil)
        case (.float32(let x), .float32(let w)?): return try run(x, w)
        case (.float64(let x), nil): return try run(x, nil)
        case (.float64(let x), .float64(let w)?): return try run(x, w)
        default: throw CaseError(.invalidDtype, argument: "input", "float32 or float64 scores, a weight of the same type")
        }
    }
    let file = try HingeFixtures.url(for: "torch.nn.functional.multi_margin_loss")
    let cases = CaseSelection().items(from: FixtureLoader.load(paths: [file.path]))
    return ConformanceRunner(registry: registry).run(cases)
}

/// Our tensors as the fixture's arrays, float32 or float64 by the scalar type (the
/// conversions are exact: they change the static type only).
func fixtureArray<T: BinaryFloatingPoint>(_ tensor: Tensor<T>) throws -> FixtureArray {
    switch T.self {
    case is Float.Type: try .float32(tensor.scalars.map { Float($0) }, shape: tensor.shape)
    case is Double.Type: try .float64(tensor.scalars.map { Double($0) }, shape: tensor.shape)
    default: throw CaseError(.invalidDtype, argument: "output", "\(T.self) is not a fixture type")
    }
}

/// PyTorch's errors are kinds in the fixtures: the port's errors map onto them.
extension MultiMarginLossError: ClassifiedError {
    public var errorKind: ErrorKind {
        switch self {
        case .unsupportedP: .invalidParameter
        case .inputShape, .targetShape, .weightShape: .shapeMismatch
        case .targetOutOfRange: .invalidTarget
        }
    }
}

@Test func thePortAgreesWithPyTorchBitForBit() throws {
    let report = try conformance(of: MultiMarginLoss.self)
    #expect(report.passed == report.results.count && report.passed > 100, "\(TextReport.render(report, verbosity: .quiet))")
}

/// A port that averages over the C − 1 other classes instead of dividing by C: close, wrong.
struct AveragedOverOtherClasses: MultiMarginPort {
    let port: MultiMarginLoss
    init(p: Double, margin: Double, reduction: Reduction) throws(MultiMarginLossError) {
        port = try MultiMarginLoss(p: p, margin: margin, reduction: reduction)
    }
    func callAsFunction<T: BinaryFloatingPoint & Sendable>(
        _ input: Tensor<T>, target: Tensor<Int>, weight: Tensor<T>?
    ) throws(MultiMarginLossError) -> (loss: Tensor<T>, gradient: Tensor<T>) {
        var (loss, gradient) = try port(input, target: target, weight: weight)
        let classes = T(input.shape.last ?? 1), scale = classes > 1 ? classes / (classes - 1) : 1
        loss.scalars = loss.scalars.map { $0 * scale }
        gradient.scalars = gradient.scalars.map { $0 * scale }
        return (loss, gradient)
    }
}

@Test func aWrongPortFailsWithAReadableReport() throws {
    let report = try conformance(of: AveragedOverOtherClasses.self)
    let text = TextReport.render(report, verbosity: .quiet)
    let firstFailure = text.split(separator: "\n").prefix(7).joined(separator: "\n")
    print("The wrong variant's report, as expected:", firstFailure, "...", report.summaryLine, separator: "\n")
    #expect(report.failed > 0)
    // Every failure names the case, the output, where it differs and by how much.
    #expect(text.contains("FAIL torch.nn.functional.multi_margin_loss/float32/4x5/p1/none"))
    #expect(text.contains("output: 4 of 4 elements differ (float32, shape [4])"))
    #expect(text.contains("tolerance: |Δ|"))
    // The cases where the factor cannot show still pass: errors, losses of 0, one class.
    #expect(report.passed > 0)
}
