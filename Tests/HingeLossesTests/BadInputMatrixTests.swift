import Testing

import HingeLosses

/// Issue 8: every public entry point of `HingeLosses`, fed input it must refuse
/// (wrong shapes, empty and 0-d tensors, labels outside the convention, NaN and
/// ±inf where the framework rejects them, parameters out of range, sizes whose
/// product overflows `Int`) and input the framework accepts although it looks
/// wrong. A refusal must be a typed `HingeError` of the right kind naming the
/// argument at fault, never a trap; an acceptance must return without error.
///
/// Only the public API is used (no `@testable`), so every row is reachable by a
/// user of the library.
@Suite("Bad input matrix")
struct BadInputMatrixTests {
    @Test("Tensor and shapes", arguments: BadInput.tensor)
    func tensor(_ row: BadInput) { row.check() }

    @Test("PyTorch losses", arguments: BadInput.torch)
    func torch(_ row: BadInput) { row.check() }

    @Test("Keras, TensorFlow v1 and optax", arguments: BadInput.kerasTFOptax)
    func kerasTFOptax(_ row: BadInput) { row.check() }

    @Test("scikit-learn", arguments: BadInput.sklearn)
    func sklearn(_ row: BadInput) { row.check() }

    @Test("Textbook losses", arguments: BadInput.textbook)
    func textbook(_ row: BadInput) { row.check() }

    /// `Tensor.elementCount(of:)` is the size check every tensor goes through:
    /// the product of the shape, or nil for a negative extent or an overflow.
    @Test(arguments: [
        ElementCount([], 1), ElementCount([0], 0), ElementCount([3, 4], 12), ElementCount([0, Int.max], 0),
        ElementCount([Int.max, 0], 0), ElementCount([Int.max], Int.max), ElementCount([1, Int.max, 1], Int.max),
        ElementCount([1 << 31, 1 << 31], 1 << 62), ElementCount([Int.max, 2], nil), ElementCount([1 << 40, 1 << 40], nil),
        ElementCount([1 << 32, 1 << 32], nil), ElementCount([2, 2, Int.max / 4 + 1], nil), ElementCount([-1], nil),
        ElementCount([0, -1], nil), ElementCount([Int.min], nil), ElementCount([Int.max, Int.max, 0], nil),
        ElementCount([3, -2, 0], nil),
    ])
    func elementCount(_ example: ElementCount) {
        #expect(Tensor<Double>.elementCount(of: example.shape) == example.count)
    }

    /// The matrix is meant to cover every public entry point; a lost row or table shows here.
    @Test func theMatrixHasRowsForEveryArea() {
        #expect(BadInput.tensor.count >= 15)
        #expect(BadInput.torch.count >= 60)
        #expect(BadInput.kerasTFOptax.count >= 30)
        #expect(BadInput.sklearn.count >= 50)
        #expect(BadInput.textbook.count >= 25)
        let all = BadInput.tensor + BadInput.torch + BadInput.kerasTFOptax + BadInput.sklearn + BadInput.textbook
        #expect(Set(all.map(\.name)).count == all.count, "row names must be unique")
    }
}

struct ElementCount: Sendable, CustomTestStringConvertible {
    let shape: [Int]
    let count: Int?
    init(_ shape: [Int], _ count: Int?) {
        self.shape = shape
        self.count = count
    }
    var testDescription: String { "\(shape) -> \(count.map(String.init) ?? "nil")" }
}

/// One row of the matrix: a call and what the library must do with it.
struct BadInput: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        /// Throws a `HingeError` of this kind whose `argument` is this name.
        case rejects(HingeError.Kind, argument: String)
        /// Returns without error (the framework accepts the input too).
        case accepts
    }

    let name: String
    let outcome: Outcome
    let call: @Sendable () throws -> Void

    var testDescription: String { name }

    init(_ name: String, _ outcome: Outcome, _ call: @escaping @Sendable () throws -> Void) {
        self.name = name
        self.outcome = outcome
        self.call = call
    }

    static func rejects(
        _ name: String, _ kind: HingeError.Kind, _ argument: String, _ call: @escaping @Sendable () throws -> Void
    ) -> BadInput {
        BadInput(name, .rejects(kind, argument: argument), call)
    }

    static func accepts(_ name: String, _ call: @escaping @Sendable () throws -> Void) -> BadInput {
        BadInput(name, .accepts, call)
    }

    func check(sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try call()
            if case .rejects(let kind, let argument) = outcome {
                Issue.record("\(name): returned, but should throw \(kind.rawValue) naming '\(argument)'", sourceLocation: sourceLocation)
            }
        } catch let error as HingeError {
            switch outcome {
            case .accepts:
                Issue.record("\(name): threw \(error), but the framework accepts this input", sourceLocation: sourceLocation)
            case .rejects(let kind, let argument):
                #expect(error.kind == kind, "\(name): \(error)", sourceLocation: sourceLocation)
                #expect(error.argument == argument, "\(name): \(error)", sourceLocation: sourceLocation)
                #expect(!error.message.isEmpty, "\(name): empty message", sourceLocation: sourceLocation)
                #expect(error.description.hasPrefix("\(kind.rawValue): \(argument): "), sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("\(name): threw \(type(of: error)) '\(error)', not a HingeError", sourceLocation: sourceLocation)
        }
    }
}

// MARK: - Building blocks

/// A float64 tensor for a row; a mistake in the row's own data shows as the argument "row".
private func d(_ shape: [Int], _ scalars: [Double]) throws(HingeError) -> Tensor<Double> {
    try Tensor(shape: shape, scalars: scalars, argument: "row")
}
private func f(_ shape: [Int], _ scalars: [Float]) throws(HingeError) -> Tensor<Float> {
    try Tensor(shape: shape, scalars: scalars, argument: "row")
}
private func i(_ shape: [Int], _ scalars: [Int]) throws(HingeError) -> Tensor<Int> {
    try Tensor(shape: shape, scalars: scalars, argument: "row")
}
/// A 2×3 score matrix and labels that fit it.
private func scores23() throws(HingeError) -> Tensor<Double> { try d([2, 3], [0.5, -1, 2, 0, 0.25, -0.5]) }
private let empty2D: [Int] = [Int.max, 0]  // no elements, but Int.max rows
private let emptyWide: [Int] = [0, Int.max]  // no elements, but Int.max columns

extension BadInput {
    // MARK: Tensor

    static let tensor: [BadInput] = [
        .rejects("shape [Int.max, 2] overflows", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [Int.max, 2], scalars: []) },
        .rejects("shape [1<<40, 1<<40] overflows", .shapeMismatch, "x") {
            _ = try Tensor<Float>(shape: [1 << 40, 1 << 40], scalars: [], argument: "x")
        },
        .rejects("shape [Int.max, Int.max, 0] overflows before the 0", .shapeMismatch, "tensor") {
            _ = try Tensor<Int>(shape: [Int.max, Int.max, 0], scalars: [])
        },
        .rejects("negative extent", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [-1], scalars: []) },
        .rejects("negative extent times zero", .shapeMismatch, "y") { _ = try Tensor<Double>(shape: [0, -3], scalars: [], argument: "y") },
        .rejects("Int.min extent", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [Int.min], scalars: [1]) },
        .rejects("too few scalars", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3]) },
        .rejects("too many scalars", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [2], scalars: [1, 2, 3]) },
        .rejects("0-d without its scalar", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [], scalars: []) },
        .rejects("0-d with two scalars", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [], scalars: [1, 2]) },
        .rejects("scalars for an empty shape", .shapeMismatch, "tensor") { _ = try Tensor<Double>(shape: [0, 4], scalars: [1]) },
        .accepts("0-d with one scalar") { _ = try Tensor<Double>(shape: [], scalars: [1]) },
        .accepts("empty with Int.max columns") { _ = try Tensor<Double>(shape: [0, Int.max], scalars: []) },
        .accepts("empty with Int.max rows") { _ = try Tensor<Double>(shape: [Int.max, 0], scalars: []) },
        .accepts("NaN and infinities are data") { _ = try Tensor<Double>(shape: [3], scalars: [.nan, .infinity, -.infinity]) },
        .rejects("reshape to another size", .shapeMismatch, "tensor") { _ = try d([2, 2], [1, 2, 3, 4]).reshaped(to: [3]) },
        .rejects("reshape to an overflowing shape", .shapeMismatch, "z") {
            _ = try d([0], []).reshaped(to: [Int.max, 3, 0], argument: "z")
        },
        .accepts("reshape to the same size") { _ = try d([2, 2], [1, 2, 3, 4]).reshaped(to: [4, 1]) },
        .rejects("broadcast mismatch", .shapeMismatch, "b") { _ = try Broadcasting.shape([2, 3], "a", [4, 3], "b") },
        .rejects("broadcast of two empty tensors to an overflowing shape", .shapeMismatch, "b") {
            _ = try Broadcasting.shape([1 << 40, 1, 0], "a", [1, 1 << 40, 0], "b")
        },
        .accepts("broadcast to a large empty shape") { _ = try Broadcasting.shape([0, 1, 1 << 40], "a", [1, 1 << 20, 1], "b") },
        .rejects("Reduction 'avg'", .invalidParameter, "reduction") { _ = try Reduction(parsing: "avg") },
        .rejects("Reduction 'Mean' (case matters)", .invalidParameter, "reduction") { _ = try Reduction(parsing: "Mean") },
        .rejects("Reduction.apply with values that do not fill the shape", .shapeMismatch, "values") {
            var gradients: [[Double]] = [[1, 2]]
            _ = try Reduction.none.apply(to: [1.0, 2.0], shape: [5], gradients: &gradients)
        },
        .accepts("Reduction.apply of nothing") {
            var gradients: [[Double]] = [[]]
            _ = try Reduction.mean.apply(to: [Double](), shape: [0, 3], gradients: &gradients)
        },
    ]

    // MARK: PyTorch

    static let torch: [BadInput] = multiMargin + hingeEmbedding + marginRanking + softMargin + multiLabelMargin + triplet

    static let multiMargin: [BadInput] = [
        .rejects("MultiMargin p = 3", .invalidParameter, "p") { _ = try MultiMarginLoss<Double>(p: 3) },
        .rejects("MultiMargin p = 0", .invalidParameter, "p") { _ = try MultiMarginLoss<Double>(p: 0) },
        .rejects("MultiMargin p = -1", .invalidParameter, "p") { _ = try MultiMarginLoss<Float>(p: -1) },
        .rejects("MultiMargin p = Int.max", .invalidParameter, "p") { _ = try MultiMarginLoss<Float>(p: .max) },
        .rejects("MultiMargin threads 0", .invalidParameter, "threads") { _ = try MultiMarginLoss<Double>(threads: 0) },
        .rejects("MultiMargin threads -4", .invalidParameter, "threads") { _ = try MultiMarginLoss<Double>(threads: -4) },
        .rejects("MultiMargin 2-D weight", .shapeMismatch, "weight") {
            _ = try MultiMarginLoss<Double>(weight: try d([1, 3], [1, 1, 1]))
        },
        .rejects("MultiMargin 0-d weight", .shapeMismatch, "weight") { _ = try MultiMarginLoss<Double>(weight: Tensor(scalar: 1)) },
        .accepts("MultiMargin NaN, infinite and negative margins and weights") {
            for margin in [Double.nan, .infinity, -2] {
                let loss = try MultiMarginLoss<Double>(p: 2, margin: margin, weight: Tensor([-1, .nan, .infinity]), threads: 3)
                _ = try loss(input: scores23(), target: Tensor([0, 2]))
            }
        },
        .rejects("MultiMargin 3-D input", .shapeMismatch, "input") {
            _ = try MultiMarginLoss<Double>()(input: d([1, 1, 2], [1, 2]), target: Tensor([0]))
        },
        .rejects("MultiMargin no classes", .shapeMismatch, "input") {
            _ = try MultiMarginLoss<Double>()(input: d([2, 0], []), target: Tensor([0, 0]))
        },
        .rejects("MultiMargin no classes and Int.max rows", .shapeMismatch, "input") {
            _ = try MultiMarginLoss<Double>().loss(input: d(empty2D, []), target: Tensor([]))
        },
        .rejects("MultiMargin empty 1-D input", .shapeMismatch, "input") {
            _ = try MultiMarginLoss<Double>().loss(input: d([0], []), target: Tensor([]))
        },
        .rejects("MultiMargin too few targets", .shapeMismatch, "target") {
            _ = try MultiMarginLoss<Double>()(input: scores23(), target: Tensor([0]))
        },
        .rejects("MultiMargin 2-D target", .shapeMismatch, "target") {
            _ = try MultiMarginLoss<Double>().loss(input: scores23(), target: i([2, 1], [0, 1]))
        },
        .rejects("MultiMargin target = C", .invalidTarget, "target") {
            _ = try MultiMarginLoss<Double>()(input: scores23(), target: Tensor([0, 3]))
        },
        .rejects("MultiMargin target = -1 (forward only)", .invalidTarget, "target") {
            _ = try MultiMarginLoss<Double>().loss(input: scores23(), target: Tensor([-1, 0]))
        },
        .rejects("MultiMargin target Int.min", .invalidTarget, "target") {
            _ = try MultiMarginLoss<Float>(threads: 2)(input: f([1, 2], [0, 1]), target: Tensor([.min]))
        },
        .rejects("MultiMargin weight with C - 1 entries", .shapeMismatch, "weight") {
            _ = try MultiMarginLoss<Double>(weight: Tensor([1, 2]))(input: scores23(), target: Tensor([0, 1]))
        },
        .accepts("MultiMargin 0-d input and target") {
            _ = try MultiMarginLoss<Double>()(input: Tensor(scalar: 0.5), target: Tensor(scalar: 0))
        },
        .accepts("MultiMargin 1-D input and a 1-element target") {
            _ = try MultiMarginLoss<Double>().loss(input: d([3], [1, 2, 3]), target: Tensor([2]))
        },
        .accepts("MultiMargin empty batch") {
            for reduction in Reduction.allCases {
                _ = try MultiMarginLoss<Double>(reduction: reduction)(input: d([0, 3], []), target: Tensor([]))
            }
        },
        .accepts("MultiMargin empty batch of Int.max classes") {
            _ = try MultiMarginLoss<Double>(threads: 2)(input: d(emptyWide, []), target: Tensor([]))
        },
        .accepts("MultiMargin NaN and infinite scores") {
            _ = try MultiMarginLoss<Float>(p: 2)(input: f([2, 2], [.nan, 1, .infinity, -.infinity]), target: Tensor([0, 1]))
        },
    ]

    static let hingeEmbedding: [BadInput] = [
        .rejects("HingeEmbedding threads 0", .invalidParameter, "threads") { _ = try HingeEmbeddingLoss<Double>(threads: 0) },
        .rejects("HingeEmbedding threads Int.min", .invalidParameter, "threads") { _ = try HingeEmbeddingLoss<Float>(threads: .min) },
        .rejects("HingeEmbedding shapes that do not broadcast", .shapeMismatch, "target") {
            _ = try HingeEmbeddingLoss<Double>()(input: d([3], [1, 2, 3]), target: d([2], [1, -1]))
        },
        .rejects("HingeEmbedding shapes that do not broadcast (forward only)", .shapeMismatch, "target") {
            _ = try HingeEmbeddingLoss<Double>().loss(input: d([2, 3], [1, 2, 3, 4, 5, 6]), target: d([2, 2], [1, -1, 1, -1]))
        },
        .rejects("HingeEmbedding empty tensors broadcasting to an overflowing shape", .shapeMismatch, "target") {
            _ = try HingeEmbeddingLoss<Double>()(input: d([1 << 40, 1, 0], []), target: d([1, 1 << 40, 0], []))
        },
        .accepts("HingeEmbedding targets are not validated (0, 2, 0.5, NaN, inf)") {
            _ = try HingeEmbeddingLoss<Double>()(input: d([5], [1, 2, 3, 4, 5]), target: d([5], [0, 2, 0.5, .nan, .infinity]))
        },
        .accepts("HingeEmbedding NaN, negative and infinite margins") {
            for margin in [Double.nan, -1, .infinity] {
                _ = try HingeEmbeddingLoss<Double>(margin: margin, threads: 4).loss(input: d([2], [1, 2]), target: d([2], [1, -1]))
            }
        },
        .accepts("HingeEmbedding forward only, broadcasting the input") {
            for reduction in Reduction.allCases {
                _ = try HingeEmbeddingLoss<Double>(reduction: reduction).loss(input: d([2], [1, 2]), target: d([3, 2], [1, -1, 0, 1, -1, 0]))
            }
        },
        .accepts("HingeEmbedding 0-d and empty") {
            _ = try HingeEmbeddingLoss<Double>()(input: Tensor(scalar: 1), target: Tensor(scalar: -1))
            _ = try HingeEmbeddingLoss<Double>(reduction: .mean)(input: d([0], []), target: d([0], []))
            _ = try HingeEmbeddingLoss<Double>(reduction: .sum).loss(input: d(empty2D, []), target: Tensor(scalar: 1))
        },
    ]

    static let marginRanking: [BadInput] = [
        .rejects("MarginRanking ranks differ", .shapeMismatch, "target") {
            _ = try MarginRankingLoss<Double>()(input1: d([2], [1, 2]), input2: d([2], [1, 2]), target: Tensor(scalar: 1))
        },
        .rejects("MarginRanking input ranks differ", .shapeMismatch, "target") {
            _ = try MarginRankingLoss<Double>()(input1: d([1, 2], [1, 2]), input2: d([2], [1, 2]), target: d([1, 2], [1, 1]))
        },
        .rejects("MarginRanking inputs do not broadcast", .shapeMismatch, "input2") {
            _ = try MarginRankingLoss<Double>()(input1: d([2], [1, 2]), input2: d([3], [1, 2, 3]), target: d([1], [1]))
        },
        .rejects("MarginRanking target does not broadcast", .shapeMismatch, "target") {
            _ = try MarginRankingLoss<Double>()(input1: d([2], [1, 2]), input2: d([2], [1, 2]), target: d([3], [1, 1, 1]))
        },
        .rejects("MarginRanking empty tensors broadcasting to an overflowing shape", .shapeMismatch, "input2") {
            _ = try MarginRankingLoss<Double>()(
                input1: d([1 << 40, 1, 0], []), input2: d([1, 1 << 40, 0], []), target: d([1, 1, 0], []))
        },
        .accepts("MarginRanking float32 inputs with a float64 target (dtype promotion)") {
            _ = try MarginRankingLoss<Double>(margin: 0.5)(input1: f([2], [1, 2]), input2: f([2], [2, 1]), target: d([2], [1, -1]))
        },
        .accepts("MarginRanking unvalidated targets and margins") {
            _ = try MarginRankingLoss<Double>(margin: .nan)(input1: d([3], [1, 2, 3]), input2: d([3], [0, 0, 0]), target: d([3], [0, 2, .nan]))
        },
        .accepts("MarginRanking 0-d and empty") {
            _ = try MarginRankingLoss<Double>()(input1: Tensor(scalar: 1), input2: Tensor(scalar: 2), target: Tensor(scalar: 1))
            _ = try MarginRankingLoss<Double>()(input1: d([0], []), input2: d([1], [1]), target: d([1], [1]))
        },
    ]

    static let softMargin: [BadInput] = [
        .rejects("SoftMargin target does not broadcast", .shapeMismatch, "target") {
            _ = try SoftMarginLoss<Double>()(input: d([3], [1, 2, 3]), target: d([2], [1, -1]))
        },
        .rejects("SoftMargin target larger than the input", .shapeMismatch, "target") {
            _ = try SoftMarginLoss<Double>()(input: d([3], [1, 2, 3]), target: d([2, 3], [1, 1, 1, 1, 1, 1]))
        },
        .rejects("SoftMargin 0-d input with a 1-D target", .shapeMismatch, "target") {
            _ = try SoftMarginLoss<Float>()(input: Tensor(scalar: 1), target: f([2], [1, 1]))
        },
        .accepts("SoftMargin float32 input with a float64 target") {
            _ = try SoftMarginLoss<Float>()(input: f([2], [1, -90]), target: d([2], [1, 1]))
        },
        .accepts("SoftMargin unvalidated targets, NaN, inf, empty") {
            _ = try SoftMarginLoss<Double>()(input: d([4], [1, .nan, .infinity, -800]), target: d([4], [0, 3, .nan, 1]))
            _ = try SoftMarginLoss<Double>(reduction: .mean)(input: d([0, 2], []), target: d([2], [1, -1]))
        },
    ]

    static let multiLabelMargin: [BadInput] = [
        .rejects("MultiLabelMargin 3-D input", .shapeMismatch, "input") {
            _ = try MultiLabelMarginLoss<Double>()(input: d([1, 1, 2], [1, 2]), target: i([1, 1, 2], [0, -1]))
        },
        .rejects("MultiLabelMargin no classes", .shapeMismatch, "input") {
            _ = try MultiLabelMarginLoss<Double>()(input: d([2, 0], []), target: i([2, 0], []))
        },
        .rejects("MultiLabelMargin no classes and Int.max rows", .shapeMismatch, "input") {
            _ = try MultiLabelMarginLoss<Double>()(input: d(empty2D, []), target: i(empty2D, []))
        },
        .rejects("MultiLabelMargin target of another shape", .shapeMismatch, "target") {
            _ = try MultiLabelMarginLoss<Double>()(input: scores23(), target: i([3, 2], [0, -1, 0, -1, 0, -1]))
        },
        .rejects("MultiLabelMargin 1-D input with a short target", .shapeMismatch, "target") {
            _ = try MultiLabelMarginLoss<Double>()(input: d([3], [1, 2, 3]), target: Tensor([0, -1]))
        },
        .rejects("MultiLabelMargin target = C", .invalidTarget, "target") {
            _ = try MultiLabelMarginLoss<Double>()(input: scores23(), target: i([2, 3], [0, 3, -1, 0, -1, 0]))
        },
        .rejects("MultiLabelMargin target < -1, even after the first -1", .invalidTarget, "target") {
            _ = try MultiLabelMarginLoss<Double>()(input: scores23(), target: i([2, 3], [0, -1, -2, 1, -1, 0]))
        },
        .accepts("MultiLabelMargin 0-d input, duplicates, NaN") {
            _ = try MultiLabelMarginLoss<Double>()(input: Tensor(scalar: 1), target: Tensor([0]))
            _ = try MultiLabelMarginLoss<Double>()(input: d([2, 3], [.nan, 1, 2, 3, 4, 5]), target: i([2, 3], [0, 0, -1, -1, 2, 1]))
        },
        .accepts("MultiLabelMargin empty batch") {
            for reduction in Reduction.allCases {
                _ = try MultiLabelMarginLoss<Double>(reduction: reduction)(input: d([0, 3], []), target: i([0, 3], []))
            }
        },
        .accepts("MultiLabelMargin empty batch of Int.max classes") {
            _ = try MultiLabelMarginLoss<Double>()(input: d(emptyWide, []), target: i(emptyWide, []))
        },
    ]

    static let triplet: [BadInput] = [
        .rejects("Triplet margin 0", .invalidParameter, "margin") { _ = try TripletMarginLoss<Double>(margin: 0) },
        .rejects("Triplet margin -1", .invalidParameter, "margin") { _ = try TripletMarginLoss<Double>(margin: -1) },
        .rejects("Triplet margin NaN", .invalidParameter, "margin") { _ = try TripletMarginLoss<Float>(margin: .nan) },
        .rejects("Triplet margin -inf", .invalidParameter, "margin") { _ = try TripletMarginLoss<Float>(margin: -.infinity) },
        .rejects("Triplet p 0", .invalidParameter, "p") { _ = try TripletMarginLoss<Double>(p: 0) },
        .rejects("Triplet p -2", .invalidParameter, "p") { _ = try TripletMarginLoss<Double>(p: -2) },
        .rejects("Triplet p NaN", .invalidParameter, "p") { _ = try TripletMarginLoss<Double>(p: .nan) },
        .accepts("Triplet p = inf, 3, 0.5; margin inf; NaN eps") {
            for p in [Double.infinity, 3, 0.5] {
                _ = try TripletMarginLoss<Double>(margin: .infinity, p: p, eps: .nan, swap: true)(
                    anchor: d([2], [1, 2]), positive: d([2], [0, 1]), negative: d([2], [3, 3]))
            }
        },
        .rejects("Triplet ranks differ", .shapeMismatch, "positive") {
            _ = try TripletMarginLoss<Double>()(anchor: d([1, 2], [1, 2]), positive: d([2], [1, 2]), negative: d([1, 2], [1, 2]))
        },
        .rejects("Triplet positive does not broadcast", .shapeMismatch, "positive") {
            _ = try TripletMarginLoss<Double>()(anchor: d([1, 2], [1, 2]), positive: d([1, 3], [1, 2, 3]), negative: d([1, 2], [1, 2]))
        },
        .rejects("Triplet negative does not broadcast", .shapeMismatch, "negative") {
            _ = try TripletMarginLoss<Double>()(anchor: d([2, 2], [1, 2, 3, 4]), positive: d([1, 2], [1, 2]), negative: d([3, 2], [1, 2, 3, 4, 5, 6]))
        },
        .rejects("Triplet Int.max rows of no coordinates", .shapeMismatch, "anchor") {
            _ = try TripletMarginLoss<Double>()(anchor: d(empty2D, []), positive: d(empty2D, []), negative: d(empty2D, []))
        },
        .accepts("Triplet 0-d, empty, rows without coordinates") {
            _ = try TripletMarginLoss<Double>()(anchor: Tensor(scalar: 1), positive: Tensor(scalar: 2), negative: Tensor(scalar: 3))
            _ = try TripletMarginLoss<Double>(reduction: .mean)(anchor: d([0, 3], []), positive: d([0, 3], []), negative: d([0, 3], []))
            _ = try TripletMarginLoss<Double>(reduction: .none)(anchor: d([4, 0], []), positive: d([4, 0], []), negative: d([1, 0], []))
            _ = try TripletMarginLoss<Double>()(anchor: d(emptyWide, []), positive: d(emptyWide, []), negative: d(emptyWide, []))
        },
        .accepts("Triplet NaN and infinite coordinates") {
            _ = try TripletMarginLoss<Float>(p: 1)(anchor: f([1, 2], [.nan, 1]), positive: f([1, 2], [.infinity, 0]), negative: f([1, 2], [-.infinity, 0]))
        },
    ]

    // MARK: Keras, TF v1, optax

    static let kerasTFOptax: [BadInput] = [
        .rejects("KerasReduction 'auto'", .invalidParameter, "reduction") { _ = try KerasReduction(parsing: "auto") },
        .accepts("KerasReduction None") { _ = try KerasReduction(parsing: nil) },
        .rejects("Keras function on 0-d tensors", .shapeMismatch, "y_pred") {
            _ = try KerasLossFunction.hinge(yTrue: Tensor<Double>(scalar: 1), yPred: Tensor(scalar: 1), backend: .tensorflow)
        },
        .rejects("Keras function shapes that do not broadcast", .shapeMismatch, "y_pred") {
            _ = try KerasLossFunction.squaredHinge(yTrue: d([2, 2], [1, 0, 0, 1]), yPred: d([2, 3], [1, 2, 3, 4, 5, 6]), backend: .jax)
        },
        .rejects("Keras categorical_hinge on an empty tensor (TensorFlow)", .shapeMismatch, "y_pred") {
            _ = try KerasLossFunction.categoricalHinge(yTrue: d([0, 3], []), yPred: d([0, 3], []), backend: .tensorflow)
        },
        .rejects("Keras categorical_hinge over an empty axis (JAX)", .shapeMismatch, "y_pred") {
            _ = try KerasLossFunction.categoricalHinge(yTrue: d([2, 0], []), yPred: d([2, 0], []), backend: .jax)
        },
        .accepts("Keras categorical_hinge on an empty batch (JAX)") {
            _ = try KerasLossFunction.categoricalHinge(yTrue: d([0, 3], []), yPred: d([0, 3], []), backend: .jax)
        },
        .rejects("Keras hinge over Int.max rows of nothing", .shapeMismatch, "y_pred") {
            _ = try KerasLossFunction.hinge(yTrue: d(empty2D, []), yPred: d(empty2D, []), backend: .tensorflow)
        },
        .rejects("KerasLoss hinge over Int.max rows of nothing", .shapeMismatch, "y_pred") {
            _ = try KerasLoss<Float>(.squaredHinge)(yTrue: f(empty2D, []), yPred: f(empty2D, []))
        },
        .rejects("Keras gradient with too few upstream values", .shapeMismatch, "upstream") {
            let evaluation = try KerasLossFunction.hinge(yTrue: d([2, 2], [1, 0, 0, 1]), yPred: d([2, 2], [1, 2, 3, 4]), backend: .jax)
            _ = try evaluation.gradient(upstream: [1])
        },
        .rejects("Keras gradient with too many upstream values", .shapeMismatch, "upstream") {
            let evaluation = try KerasLossFunction.categoricalHinge(yTrue: d([1, 2], [1, 0]), yPred: d([1, 2], [1, 2]), backend: .tensorflow)
            _ = try evaluation.gradient(upstream: [1, 1, 1])
        },
        .accepts("Keras labels outside {0,1} and {-1,1}, NaN, inf") {
            _ = try KerasLossFunction.hinge(yTrue: d([1, 4], [0.5, .nan, 3, -1]), yPred: d([1, 4], [1, 2, .infinity, 4]), backend: .tensorflow)
                .gradient(upstream: [1])
        },
        .rejects("KerasLoss y_true/y_pred do not broadcast", .shapeMismatch, "y_pred") {
            _ = try KerasLoss<Double>(.hinge)(yTrue: d([3, 2], [1, 0, 1, 0, 1, 0]), yPred: d([2, 2], [1, 2, 3, 4]))
        },
        .rejects("KerasLoss sample_weight does not broadcast", .shapeMismatch, "sample_weight") {
            _ = try KerasLoss<Double>(.hinge)(yTrue: d([3, 2], [1, 0, 1, 0, 1, 0]), yPred: d([3, 2], [1, 2, 3, 4, 5, 6]), sampleWeight: d([2], [1, 1]))
        },
        .rejects("KerasLoss (N,) weight on (N, T) values with T != N", .shapeMismatch, "sample_weight") {
            _ = try KerasLoss<Double>(.hinge, reduction: .sum)(
                yTrue: d([2, 3, 2], [Double](repeating: 1, count: 12)), yPred: d([2, 3, 2], [Double](repeating: 0, count: 12)),
                sampleWeight: d([2], [1, 1]))
        },
        .rejects("KerasLoss on 0-d tensors", .shapeMismatch, "y_pred") {
            _ = try KerasLoss<Double>(.categoricalHinge)(yTrue: Tensor(scalar: 1), yPred: Tensor(scalar: 2))
        },
        .accepts("KerasLoss zero weights, negative weights, NaN weights, empty batch") {
            for reduction in KerasReduction.allCases {
                let loss = KerasLoss<Double>(.hinge, reduction: reduction, backend: .jax)
                _ = try loss(yTrue: d([2, 2], [1, 0, 0, 1]), yPred: d([2, 2], [1, 2, 3, 4]), sampleWeight: d([2], [0, 0]))
                _ = try loss(yTrue: d([2, 2], [1, 0, 0, 1]), yPred: d([2, 2], [1, 2, 3, 4]), sampleWeight: d([2], [-1, .nan]))
                _ = try loss(yTrue: d([0, 2], []), yPred: d([0, 2], []))
            }
        },
        .rejects("TFV1Reduction unknown", .invalidParameter, "reduction") { _ = try TFV1Reduction(parsing: "mean") },
        .rejects("TF v1 labels and logits of different shapes", .shapeMismatch, "labels") {
            _ = try HingeLossV1<Float>()(labels: f([2], [1, 0]), logits: f([2, 1], [1, 2]))
        },
        .rejects("TF v1 weights of another rank", .shapeMismatch, "weights") {
            _ = try HingeLossV1<Float>()(labels: f([2, 2], [1, 0, 1, 0]), logits: f([2, 2], [1, 2, 3, 4]), weights: f([2], [1, 1]))
        },
        .rejects("TF v1 weights that do not broadcast", .shapeMismatch, "weights") {
            _ = try HingeLossV1<Float>()(labels: f([2, 2], [1, 0, 1, 0]), logits: f([2, 2], [1, 2, 3, 4]), weights: f([3, 1], [1, 1, 1]))
        },
        .accepts("TF v1 labels outside {0,1}, 0-d, empty, zero weights") {
            for reduction in TFV1Reduction.allCases {
                _ = try HingeLossV1<Float>(reduction: reduction)(labels: f([3], [-1, 2, .nan]), logits: f([3], [1, 2, 3]), weights: f([3], [0, 0, 0]))
                _ = try HingeLossV1<Float>(reduction: reduction)(labels: Tensor(scalar: 1), logits: Tensor(scalar: 0))
                _ = try HingeLossV1<Double>(reduction: reduction)(labels: d(empty2D, []), logits: d(empty2D, []))
            }
        },
        .rejects("optax hinge_loss shapes that do not broadcast", .shapeMismatch, "targets") {
            _ = try Optax.hingeLoss(predictorOutputs: d([3], [1, 2, 3]), targets: d([2], [1, -1]))
        },
        .rejects("optax hinge_loss empty tensors broadcasting to an overflowing shape", .shapeMismatch, "targets") {
            _ = try Optax.hingeLoss(predictorOutputs: d([1 << 40, 1, 0], []), targets: d([1, 1 << 40, 0], []))
        },
        .rejects("optax perceptron_loss shapes differ (no broadcasting)", .shapeMismatch, "targets") {
            _ = try Optax.perceptronLoss(predictorOutputs: d([2], [1, 2]), targets: d([1], [1]))
        },
        .accepts("optax hinge_loss broadcasts, takes any targets") {
            _ = try Optax.hingeLoss(predictorOutputs: d([2, 1], [1, 2]), targets: d([3], [0, 1, .nan]))
            _ = try Optax.perceptronLoss(predictorOutputs: Tensor(scalar: 1.0), targets: Tensor(scalar: 0.0))
        },
        .rejects("optax multiclass_hinge_loss 0-d scores", .shapeMismatch, "scores") {
            _ = try Optax.multiclassHingeLoss(scores: Tensor<Double>(scalar: 1), labels: Tensor(scalar: 0))
        },
        .rejects("optax multiclass_hinge_loss no classes", .shapeMismatch, "scores") {
            _ = try Optax.multiclassHingeLoss(scores: d([2, 0], []), labels: Tensor([0, 0]))
        },
        .rejects("optax multiclass_perceptron_loss labels of another batch", .shapeMismatch, "labels") {
            _ = try Optax.multiclassPerceptronLoss(scores: scores23(), labels: Tensor([0, 1, 2]))
        },
        .accepts("optax multiclass losses: out-of-range labels, empty batch, broadcast labels") {
            _ = try Optax.multiclassHingeLoss(scores: scores23(), labels: Tensor([-1, 3]))
            _ = try Optax.multiclassPerceptronLoss(scores: d([0, 3], []), labels: Tensor([]))
            _ = try Optax.multiclassHingeLoss(scores: scores23(), labels: i([2, 1], [0, 1]))
            _ = try Optax.multiclassHingeLoss(scores: d(emptyWide, []), labels: Tensor([]))
        },
    ]

    // MARK: scikit-learn

    static let x22: FeatureMatrix = try! .dense(rows: 4, columns: 2, values: [0, 1, 1, 0, 2, 2, -1, -2])
    static let y4 = [0, 0, 1, 1]

    static let sklearn: [BadInput] = linearSVCInit + linearSVCFit + featureMatrices + model + metrics + sgd

    static let linearSVCInit: [BadInput] = {
        var rows: [BadInput] = []
        for (value, label) in [(0.0, "0"), (-1, "-1"), (.nan, "NaN"), (.infinity, "inf"), (-.infinity, "-inf")] {
            rows.append(.rejects("LinearSVC C = \(label)", .invalidParameter, "C") { _ = try LinearSVC(C: value) })
            rows.append(.rejects("LinearSVC tol = \(label)", .invalidParameter, "tol") { _ = try LinearSVC(tol: value) })
            rows.append(
                .rejects("LinearSVC intercept_scaling = \(label)", .invalidParameter, "intercept_scaling") {
                    _ = try LinearSVC(interceptScaling: value)
                })
        }
        for value in [-1, Int.min] {
            rows.append(.rejects("LinearSVC max_iter = \(value)", .invalidParameter, "max_iter") { _ = try LinearSVC(maxIter: value) })
        }
        rows.append(.accepts("LinearSVC max_iter = 0 (scikit-learn's range is [0, inf))") { _ = try LinearSVC(maxIter: 0) })
        for value in [-1, 1 << 32, Int.max] {
            rows.append(
                .rejects("LinearSVC random_state = \(value)", .invalidParameter, "random_state") { _ = try LinearSVC(randomState: value) })
        }
        for value in [-1.0, .nan, .infinity] {
            rows.append(
                .rejects("LinearSVC class_weight {1: \(value)}", .invalidParameter, "class_weight") {
                    _ = try LinearSVC(classWeight: .perClass([1: value]))
                })
        }
        rows += [
            .rejects("LinearSVC penalty 'l3'", .invalidParameter, "penalty") { _ = try LinearSVC.Penalty(parsing: "l3") },
            .rejects("LinearSVC loss 'log'", .invalidParameter, "loss") { _ = try LinearSVC.Loss(parsing: "log") },
            .rejects("LinearSVC multi_class 'ovo'", .invalidParameter, "multi_class") { _ = try LinearSVC.MultiClass(parsing: "ovo") },
            .rejects("LinearSVC dual 'true' (a string)", .invalidParameter, "dual") { _ = try LinearSVC.Dual(parsing: "true") },
            .rejects("LinearSVC class_weight 'auto'", .invalidParameter, "class_weight") { _ = try LinearSVC.ClassWeight(parsing: "auto") },
            .rejects("LinearSVC l1 + hinge", .invalidParameter, "penalty") {
                _ = try LinearSVC.solverType(.ovr, .l1, .hinge, dual: true)
            },
            .rejects("LinearSVC l2 + hinge + primal", .invalidParameter, "dual") {
                _ = try LinearSVC.solverType(.ovr, .l2, .hinge, dual: false)
            },
            .rejects("LinearSVC l1 + squared_hinge + dual", .invalidParameter, "dual") {
                _ = try LinearSVC.solverType(.ovr, .l1, .squaredHinge, dual: true)
            },
        ]
        return rows
    }()

    static let linearSVCFit: [BadInput] = [
        .rejects("fit X with NaN", .invalidParameter, "X") {
            _ = try LinearSVC().fit(.dense(rows: 2, columns: 1, values: [.nan, 1]), classIndices: [0, 1], classCount: 2)
        },
        .rejects("fit X with inf", .invalidParameter, "X") {
            _ = try LinearSVC().fit(.dense(rows: 2, columns: 1, values: [-.infinity, 1]), classIndices: [0, 1], classCount: 2)
        },
        .rejects("fit sparse X with NaN", .invalidParameter, "X") {
            _ = try LinearSVC().fit(.csr(rows: 2, columns: 3, indptr: [0, 1, 1], indices: [2], values: [.nan]), classIndices: [0, 1], classCount: 2)
        },
        .rejects("fit X without rows", .shapeMismatch, "X") {
            _ = try LinearSVC().fit(.dense(rows: 0, columns: 2, values: []), classIndices: [], classCount: 2)
        },
        .rejects("fit X without columns", .shapeMismatch, "X") {
            _ = try LinearSVC().fit(.dense(rows: 2, columns: 0, values: []), classIndices: [0, 1], classCount: 2)
        },
        .rejects("fit X with more columns than LIBLINEAR indexes", .shapeMismatch, "X") {
            _ = try LinearSVC().fit(
                .csr(rows: 2, columns: Int(Int32.max), indptr: [0, 1, 2], indices: [0, 5], values: [1, 1]), classIndices: [0, 1], classCount: 2)
        },
        .rejects("fit y too short", .shapeMismatch, "y") { _ = try LinearSVC().fit(x22, classIndices: [0, 1], classCount: 2) },
        .rejects("fit class index = classCount", .invalidTarget, "y") { _ = try LinearSVC().fit(x22, classIndices: [0, 1, 2, 1], classCount: 2) },
        .rejects("fit class index -1", .invalidTarget, "y") { _ = try LinearSVC().fit(x22, classIndices: [0, -1, 1, 1], classCount: 2) },
        .rejects("fit classCount -1", .invalidTarget, "y") { _ = try LinearSVC().fit(x22, classIndices: y4, classCount: -1) },
        .rejects("fit classCount Int.min", .invalidTarget, "y") { _ = try LinearSVC().fit(x22, classIndices: y4, classCount: .min) },
        .rejects("fit classCount 1 (one class)", .invalidTarget, "y") {
            _ = try LinearSVC().fit(x22, classIndices: [0, 0, 0, 0], classCount: 1)
        },
        .rejects("fit a class without samples", .invalidTarget, "y") { _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 3) },
        .rejects("fit classCount Int.max", .invalidTarget, "y") { _ = try LinearSVC().fit(x22, classIndices: y4, classCount: .max) },
        .rejects("fit classCount 1 << 40", .invalidTarget, "y") { _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 1 << 40) },
        .rejects("fit sample_weight too short", .shapeMismatch, "sample_weight") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2, sampleWeight: [1, 1])
        },
        .rejects("fit sample_weight NaN", .invalidParameter, "sample_weight") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2, sampleWeight: [1, .nan, 1, 1])
        },
        .rejects("fit sample_weight inf", .invalidParameter, "sample_weight") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2, sampleWeight: [1, 1, .infinity, 1])
        },
        .rejects("fit a class whose weights are all <= 0", .invalidParameter, "sample_weight") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2, sampleWeight: [1, 1, 0, -1])
        },
        .rejects("fit balanced class weights with a zero-weight class", .invalidParameter, "sample_weight") {
            _ = try LinearSVC(classWeight: .balanced).fit(x22, classIndices: y4, classCount: 2, sampleWeight: [1, 1, 0, 0])
        },
        .rejects("fit balanced with sample_weight too long", .shapeMismatch, "sample_weight") {
            _ = try LinearSVC(classWeight: .balanced).fit(x22, classIndices: y4, classCount: 2, sampleWeight: [1, 1, 1, 1, 1])
        },
        .rejects("fit class_weight keyed by a class that does not exist", .invalidParameter, "class_weight") {
            _ = try LinearSVC(classWeight: .perClass([0: 2, 7: 1])).fit(x22, classIndices: y4, classCount: 2)
        },
        .rejects("fit l1 + hinge", .invalidParameter, "penalty") {
            _ = try LinearSVC(penalty: .l1, loss: .hinge).fit(x22, classIndices: y4, classCount: 2)
        },
        .rejects("fit l2 + hinge + dual=False", .invalidParameter, "dual") {
            _ = try LinearSVC(loss: .hinge, dual: .value(false)).fit(x22, classIndices: y4, classCount: 2)
        },
        .accepts("fit max_iter 0, zero-weight samples, crammer_singer ignoring penalty") {
            _ = try LinearSVC(maxIter: 0).fit(x22, classIndices: y4, classCount: 2)
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2, sampleWeight: [1, 0, 1, -3])
            _ = try LinearSVC(penalty: .l1, loss: .hinge, multiClass: .crammerSinger).fit(x22, classIndices: y4, classCount: 2)
        },
    ]

    static let featureMatrices: [BadInput] = [
        .rejects("dense negative rows", .shapeMismatch, "X") { _ = try FeatureMatrix.dense(rows: -1, columns: 2, values: []) },
        .rejects("dense values do not fill the shape", .shapeMismatch, "X") { _ = try FeatureMatrix.dense(rows: 2, columns: 2, values: [1, 2, 3]) },
        .rejects("dense shape (Int.max, 2) overflows", .shapeMismatch, "X") { _ = try FeatureMatrix.dense(rows: .max, columns: 2, values: []) },
        .rejects("dense shape (1<<40, 1<<40) overflows", .shapeMismatch, "X") {
            _ = try FeatureMatrix.dense(rows: 1 << 40, columns: 1 << 40, values: [])
        },
        .accepts("dense (0, Int.max) and its conversions") {
            let m = try FeatureMatrix.dense(rows: 0, columns: .max, values: [])
            #expect(m.toCSR().indptr == [0])
            #expect(m.toDense().values.isEmpty)
        },
        .rejects("dense (Int.max, 0): its CSR form would need Int.max + 1 offsets", .shapeMismatch, "X") {
            _ = try FeatureMatrix.dense(rows: .max, columns: 0, values: [])
        },
        .rejects("dense (1 << 60, 0): its CSR offsets would overflow the byte count", .shapeMismatch, "X") {
            _ = try FeatureMatrix.dense(rows: 1 << 60, columns: 0, values: [])
        },
        .rejects("CSR negative columns", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 1, columns: -1, indptr: [0, 0], indices: [], values: [])
        },
        .rejects("CSR Int.max rows (indptr would need Int.max + 1 entries)", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: .max, columns: 1, indptr: [0, 0], indices: [], values: [])
        },
        .rejects("CSR indptr of the wrong length", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 2, columns: 2, indptr: [0, 1], indices: [0], values: [1])
        },
        .rejects("CSR empty indptr", .shapeMismatch, "X") { _ = try FeatureMatrix.csr(rows: 0, columns: 2, indptr: [], indices: [], values: []) },
        .rejects("CSR indices and values of different lengths", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 1, columns: 2, indptr: [0, 1], indices: [0, 1], values: [1])
        },
        .rejects("CSR indptr not starting at 0", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 1, columns: 2, indptr: [1, 1], indices: [0], values: [1])
        },
        .rejects("CSR indptr decreasing", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 2, columns: 2, indptr: [0, 2, 1], indices: [0], values: [1])
        },
        .rejects("CSR column index out of range", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 1, columns: 2, indptr: [0, 1], indices: [2], values: [1])
        },
        .rejects("CSR negative column index", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 1, columns: 2, indptr: [0, 1], indices: [-1], values: [1])
        },
        .rejects("CSR (2, Int.max): its dense form overflows Int", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 2, columns: .max, indptr: [0, 0, 1], indices: [7], values: [1])
        },
        .rejects("CSR (1, Int.max): its dense form overflows the byte count", .shapeMismatch, "X") {
            _ = try FeatureMatrix.csr(rows: 1, columns: .max, indptr: [0, 1], indices: [7], values: [1])
        },
        .accepts("CSR (2, 2^31 - 1) and its CSR form") {
            let m = try FeatureMatrix.csr(rows: 2, columns: Int(Int32.max), indptr: [0, 1, 1], indices: [7], values: [1])
            #expect(m.toCSR().indices == [7])
        },
    ]

    static let model: [BadInput] = [
        .rejects("decision_function with other feature count", .shapeMismatch, "X") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2).decisionFunction(.dense(rows: 1, columns: 3, values: [1, 2, 3]))
        },
        .rejects("decision_function NaN", .invalidParameter, "X") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2).decisionFunction(.dense(rows: 1, columns: 2, values: [1, .nan]))
        },
        .rejects("predict inf", .invalidParameter, "X") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2).predict(.dense(rows: 1, columns: 2, values: [.infinity, 1]))
        },
        .rejects("predict sparse with other feature count", .shapeMismatch, "X") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2).predict(.csr(rows: 1, columns: 9, indptr: [0, 0], indices: [], values: []))
        },
        // check_array: "Found array with 0 sample(s) ... while a minimum of 1 is required".
        .rejects("decision_function on no rows", .shapeMismatch, "X") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2).decisionFunction(.dense(rows: 0, columns: 2, values: []))
        },
        .rejects("predict on no rows", .shapeMismatch, "X") {
            _ = try LinearSVC().fit(x22, classIndices: y4, classCount: 2).predict(.csr(rows: 0, columns: 2, indptr: [0], indices: [], values: []))
        },
    ]

    static let metrics: [BadInput] = [
        .rejects("hinge_loss sample_weight too short", .shapeMismatch, "sample_weight") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1], predDecision: d([2], [1, 2]), sampleWeight: [1])
        },
        .rejects("hinge_loss empty pred_decision", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [Int](), predDecision: d([0], []))
        },
        .rejects("hinge_loss pred_decision of Int.max rows and no columns", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1], predDecision: d(empty2D, []))
        },
        .rejects("hinge_loss NaN score", .invalidParameter, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1], predDecision: d([2], [.nan, 1]))
        },
        .rejects("hinge_loss infinite score", .invalidParameter, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: ["a", "b", "c"], predDecision: d([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, -.infinity]))
        },
        .rejects("hinge_loss multi-class with 1-D scores", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1, 2], predDecision: d([3], [1, 2, 3]))
        },
        .rejects("hinge_loss multi-class with too few columns", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1, 2], predDecision: d([3, 2], [1, 2, 3, 4, 5, 6]))
        },
        .rejects("hinge_loss multi-class with labels= and too few columns", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1, 1], predDecision: d([3, 2], [1, 2, 3, 4, 5, 6]), labels: [0, 1, 2])
        },
        .rejects("hinge_loss multi-class with too few rows", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1, 2, 0], predDecision: d([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]))
        },
        .rejects("hinge_loss label not in labels=", .invalidTarget, "y_true") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1, 5], predDecision: d([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), labels: [0, 1, 2])
        },
        .rejects("hinge_loss binary with two columns", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1], predDecision: d([2, 2], [1, 2, 3, 4]))
        },
        .rejects("hinge_loss binary with too many scores", .shapeMismatch, "pred_decision") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1], predDecision: d([3], [1, 2, 3]))
        },
        .rejects("hinge_loss weights summing to 0", .invalidParameter, "sample_weight") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [0, 1], predDecision: d([2], [1, 2]), sampleWeight: [1, -1])
        },
        .accepts("hinge_loss one label, (n, 1) scores, 0-d score, string labels") {
            _ = try SKLearnMetrics.hingeLoss(yTrue: [3, 3], predDecision: d([2, 1], [1, 2]))
            _ = try SKLearnMetrics.hingeLoss(yTrue: ["x"], predDecision: Tensor(scalar: 0.5))
            _ = try SKLearnMetrics.hingeLoss(yTrue: ["b", "a"], predDecision: d([2], [1, -1]), sampleWeight: [0.5, 2])
        },
    ]

    static let sgd: [BadInput] = [
        .rejects("SGD loss 'log_loss' (not a hinge)", .invalidParameter, "loss") { _ = try SGDLoss(parsing: "log_loss") },
        .rejects("SGD loss ''", .invalidParameter, "loss") { _ = try SGDLoss(parsing: "") },
        .accepts("SGD losses parse and take any finite or non-finite value") {
            for name in ["hinge", "squared_hinge", "modified_huber", "perceptron"] {
                let loss = try SGDLoss(parsing: name)
                for p in [Double.nan, .infinity, -1e308, 0] {
                    _ = loss.loss(p, 1)
                    _ = loss.derivative(p, -1)
                }
            }
        },
    ]

    // MARK: Textbook

    static let textbook: [BadInput] = {
        var rows: [BadInput] = []
        let binary: [(String, @Sendable (Tensor<Double>, Tensor<Double>) throws -> Void)] = [
            ("Hinge", { y, z in _ = try Hinge<Double>()(labels: y, scores: z) }),
            ("SquaredHinge", { y, z in _ = try SquaredHinge<Double>()(labels: y, scores: z, reduction: .sum) }),
            ("SoftplusHinge", { y, z in _ = try SoftplusHinge<Double>()(labels: y, scores: z, reduction: .none) }),
            ("Logistic", { y, z in _ = try Logistic<Double>()(labels: y, scores: z) }),
            ("HuberMargin", { y, z in _ = try HuberMargin<Double>(delta: 0.5)(labels: y, scores: z) }),
        ]
        for (name, loss) in binary {
            rows += [
                .rejects("\(name) shapes differ", .shapeMismatch, "y") { try loss(d([2], [1, -1]), d([2, 1], [1, 2])) },
                .rejects("\(name) 0-d labels, 1-D scores", .shapeMismatch, "y") { try loss(Tensor(scalar: 1), d([1], [1])) },
                .rejects("\(name) label 0", .invalidTarget, "y") { try loss(d([2], [1, 0]), d([2], [1, 2])) },
                .rejects("\(name) label NaN", .invalidTarget, "y") { try loss(d([1], [.nan]), d([1], [1])) },
                .rejects("\(name) label inf", .invalidTarget, "y") { try loss(d([1], [.infinity]), d([1], [1])) },
                .accepts("\(name) 0-d, empty, NaN and infinite scores") {
                    try loss(Tensor(scalar: -1), Tensor(scalar: 3))
                    try loss(d([0, 4], []), d([0, 4], []))
                    try loss(d(empty2D, []), d(empty2D, []))
                    try loss(d([3], [1, -1, 1]), d([3], [.nan, .infinity, -.infinity]))
                },
            ]
        }
        for (label, delta) in [("0", 0.0), ("-1", -1), ("NaN", .nan), ("inf", .infinity)] {
            rows.append(.rejects("HuberMargin delta \(label)", .invalidParameter, "delta") { _ = try HuberMargin<Double>(delta: delta) })
        }
        let multiclass: [(String, @Sendable (Tensor<Int>, Tensor<Double>) throws -> Void)] = [
            ("CrammerSinger", { y, z in _ = try CrammerSinger<Double>()(labels: y, scores: z) }),
            ("WestonWatkins", { y, z in _ = try WestonWatkins<Double>()(labels: y, scores: z, reduction: .none) }),
        ]
        for (name, loss) in multiclass {
            rows += [
                .rejects("\(name) 1-D scores", .shapeMismatch, "z") { try loss(Tensor([0]), d([3], [1, 2, 3])) },
                .rejects("\(name) 0-d scores", .shapeMismatch, "z") { try loss(Tensor([0]), Tensor(scalar: 1)) },
                .rejects("\(name) 2-D labels", .shapeMismatch, "y") { try loss(i([2, 1], [0, 1]), scores23()) },
                .rejects("\(name) too few labels", .shapeMismatch, "y") { try loss(Tensor([0]), scores23()) },
                .rejects("\(name) label = K", .invalidTarget, "y") { try loss(Tensor([0, 3]), scores23()) },
                .rejects("\(name) label -1", .invalidTarget, "y") { try loss(Tensor([-1, 0]), scores23()) },
                .rejects("\(name) no classes", .invalidTarget, "y") { try loss(Tensor([0, 0]), d([2, 0], [])) },
                .rejects("\(name) Int.max rows of no classes", .shapeMismatch, "y") { try loss(Tensor([0]), d(empty2D, [])) },
                .accepts("\(name) empty batch, one class, NaN scores") {
                    try loss(Tensor([]), d([0, 3], []))
                    try loss(Tensor([]), d(emptyWide, []))
                    try loss(Tensor([0, 0]), d([2, 1], [1, 2]))
                    try loss(Tensor([0, 2]), d([2, 3], [.nan, 1, 2, .infinity, -.infinity, 0]))
                },
            ]
        }
        rows += [
            .rejects("RankingHinge margin NaN", .invalidParameter, "margin") { _ = try RankingHinge<Double>(margin: .nan) },
            .rejects("RankingHinge margin -inf", .invalidParameter, "margin") { _ = try RankingHinge<Double>(margin: -.infinity) },
            .rejects("RankingHinge shapes differ", .shapeMismatch, "neg_scores") {
                _ = try RankingHinge<Double>()(positive: d([2], [1, 2]), negative: d([1, 2], [1, 2]))
            },
            .accepts("RankingHinge negative margin, 0-d, empty") {
                _ = try RankingHinge<Double>(margin: -1)(positive: Tensor(scalar: 1), negative: Tensor(scalar: 2))
                _ = try RankingHinge<Double>()(positive: d(empty2D, []), negative: d(empty2D, []), reduction: .mean)
            },
        ]
        return rows
    }()
}
