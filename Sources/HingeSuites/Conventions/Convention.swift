import HingeConformance

/// The loss families whose suites can be run on one canonical problem.
///
/// A canonical problem names its arrays in the family's own terms; each suite's
/// ``Convention`` maps them to the framework's arguments (its label encoding, its
/// argument names, its reduction for per-sample losses) and its outputs back.
public enum LossFamily: String, Sendable, CaseIterable {
    /// `scores` (N) and labels `y ∈ {−1, +1}` (N).
    case binary
    /// `scores` (N, C) and class indices `y` (N).
    case multiclass
    /// `x1`, `x2` (N) and `y ∈ {−1, +1}`: `x1` should rank above `x2` where `y = +1`.
    case ranking
    /// Embeddings `anchor`, `positive`, `negative` (N, D).
    case triplet
    /// Distances `x` (N) and `y ∈ {−1, +1}` (similar, dissimilar).
    case embedding

    /// The float arrays of the family's problems, in order.
    public var arrayNames: [String] {
        switch self {
        case .binary, .multiclass: ["scores"]
        case .ranking: ["x1", "x2"]
        case .triplet: ["anchor", "positive", "negative"]
        case .embedding: ["x"]
        }
    }
}

/// One problem of a family, drawn by ``CanonicalDraws``.
public struct CanonicalProblem: Sendable {
    /// What the draw exercises; each kind is reported apart.
    public enum Kind: String, Sendable, CaseIterable {
        /// Finite values away from every kink and tie (by construction).
        case regular
        /// Values on a coarse grid: margins exactly at the kink, tied scores.
        case kink
        /// A regular draw with one NaN.
        case nan
        /// A regular draw with one ±infinity.
        case inf
        /// No samples (N = 0).
        case empty
    }

    public var family: LossFamily
    public var kind: Kind
    /// `.float32` or `.float64`, the type of every array.
    public var dtype: DType
    /// The family's float arrays (``LossFamily/arrayNames``).
    public var arrays: NamedArrays
    /// ±1 (binary, ranking, embedding) or class indices (multiclass); empty for triplet.
    public var labels: [Int]
    /// Samples.
    public var count: Int
    /// Classes (multiclass), embedding width (triplet), else 1.
    public var width: Int

    /// The array `name` in the problem's dtype, its values widened to `Double`.
    public func values(_ name: String) -> [Double] { arrays[name].map(Self.doubles) ?? [] }

    static func doubles(_ array: FixtureArray) -> [Double] {
        switch array.storage {
        case .float32(let v): v.map(Double.init)
        case .float64(let v): v
        case .int64(let v): v.map(Double.init)
        case .bool(let v): v.map { $0 ? 1 : 0 }
        case .string: []
        }
    }

    /// Labels as an array of `dtype` (values −1/+1 or class indices).
    public func labelArray(_ transform: (Int) -> Double = { Double($0) }, shape: [Int]? = nil) throws -> FixtureArray {
        let values = labels.map(transform)
        return try Self.array(values, dtype: dtype, shape: shape ?? [labels.count])
    }

    /// Labels as int64 (class indices, or ±1).
    public func labelIndices(shape: [Int]? = nil) throws -> FixtureArray {
        try .int64(labels.map(Int64.init), shape: shape ?? [labels.count])
    }

    /// Labels one-hot, `(N, C)`, in `dtype` (multiclass).
    public func oneHot() throws -> FixtureArray {
        var values = [Double](repeating: 0, count: count * width)
        for (n, y) in labels.enumerated() { values[n * width + y] = 1 }
        return try Self.array(values, dtype: dtype, shape: [count, width])
    }

    /// The array `name` (it exists for every name of the family's ``LossFamily/arrayNames``).
    public func array(_ name: String) throws -> FixtureArray {
        guard let array = arrays[name] else { throw CaseError(.invalidParameter, argument: name, "no canonical array \(name)") }
        return array
    }

    /// A float array of `dtype`.
    public static func array(_ values: [Double], dtype: DType, shape: [Int]) throws -> FixtureArray {
        dtype == .float32 ? try .float32(values.map(Float.init), shape: shape) : try .float64(values, shape: shape)
    }
}

/// What a suite gave for a canonical problem, in the family's terms.
public struct CanonicalOutcome: Sendable {
    /// The per-sample losses (the suite's unreduced output, flattened).
    public var losses: [Double]
    /// The type the losses came back in.
    public var dtype: DType
    /// The gradient of the sum of the losses with respect to each canonical array
    /// (flattened); absent when the suite gives none.
    public var gradients: [String: [Double]]
    /// The output of a call with the suite's defaults (its default reduction): shape and
    /// values; `nil` when that call raised.
    public var defaults: (shape: [Int], values: [Double])?
}

/// How one suite is called on a family's canonical problems: the framework's
/// conventions, stated as code (the mapping) and as prose (``notes``).
///
/// Only conventions of the same ``loss`` are compared: a hinge with a hinge, a
/// squared hinge with a squared hinge. Each framework's conventions are declared
/// next to its adapters (`<Framework>Suites.conventions`).
public struct Convention: Sendable {
    /// The suite whose implementation is called.
    public var suite: String
    /// Tells apart conventions of one suite, e.g. `backend=jax`; empty when there is one.
    public var variant: String
    public var family: LossFamily
    /// The loss computed, e.g. `hinge`, `squared_hinge`, `multiclass_hinge`.
    public var loss: String
    /// How the canonical problem was mapped and what the defaults are, one phrase each.
    public var notes: [String]
    /// Runs the suite's implementation on a problem.
    let evaluate: @Sendable (CanonicalProblem, SuiteRegistry.Implementation) throws -> CanonicalOutcome

    /// The name in reports: the suite, and its variant in brackets.
    public var name: String { variant.isEmpty ? suite : "\(suite)[\(variant)]" }

    public init(
        suite: String, variant: String = "", family: LossFamily, loss: String, notes: [String],
        evaluate: @escaping @Sendable (CanonicalProblem, SuiteRegistry.Implementation) throws -> CanonicalOutcome
    ) {
        self.suite = suite
        self.variant = variant
        self.family = family
        self.loss = loss
        self.notes = notes
        self.evaluate = evaluate
    }

    /// The common shape of a convention: the suite's inputs built from the problem,
    /// `unreduced` params (plus `context`) give per-sample losses in `output` and the
    /// gradient of their sum in `gradients` (canonical name → output name); a second
    /// call with only `defaultParams` (those that choose the loss, not its reduction) and
    /// `context` gives the defaults.
    public static func standard(
        suite: String, variant: String = "", family: LossFamily, loss: String, notes: [String],
        unreduced: JSONObject, defaultParams: JSONObject = [:], context: JSONObject = [:], gradients: [String: String],
        inputs: @escaping @Sendable (CanonicalProblem) throws -> NamedArrays
    ) -> Convention {
        Convention(suite: suite, variant: variant, family: family, loss: loss, notes: notes) { problem, implementation in
            let arrays = try inputs(problem)
            let outputs = try implementation(CaseArguments(params: unreduced, context: context, inputs: arrays))
            guard let output = outputs["output"] else {
                throw CaseError(.invalidParameter, argument: "output", "\(suite) gave no output")
            }
            var grads: [String: [Double]] = [:]
            for (canonical, name) in gradients {
                if let g = outputs[name] { grads[canonical] = CanonicalProblem.doubles(g) }
            }
            let byDefault = try? implementation(CaseArguments(params: defaultParams, context: context, inputs: arrays))["output"]
            return CanonicalOutcome(
                losses: CanonicalProblem.doubles(output), dtype: output.dtype, gradients: grads,
                defaults: byDefault.map { ($0.shape, CanonicalProblem.doubles($0)) })
        }
    }
}

extension FixtureArray {
    /// The same values under another shape of as many elements.
    func reshaped(_ shape: [Int]) throws -> FixtureArray { try FixtureArray(shape: shape, storage: storage) }

    /// A float32 array as float64 (exact), a float64 one as it is.
    func widened() throws -> FixtureArray {
        guard case .float32(let values) = storage else { return self }
        return try .float64(values.map(Double.init), shape: shape)
    }
}
