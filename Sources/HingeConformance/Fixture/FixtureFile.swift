/// The error kinds of fixture format v1: what an error case expects the
/// implementation to throw.
public enum ErrorKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case invalidParameter = "invalid_parameter"
    case invalidTarget = "invalid_target"
    case shapeMismatch = "shape_mismatch"
    case invalidDtype = "invalid_dtype"

    public var description: String { rawValue }
}

/// One case of a fixture file: a call of the framework and what it gave.
public struct FixtureCase: Sendable, Hashable, CustomStringConvertible {
    /// What the framework did for this call.
    public enum Expectation: Sendable, Hashable {
        /// It returned these outputs (`output`, `grad_<input>`, fitted attributes, ...).
        case outputs(NamedArrays)
        /// It raised an error of this kind; `message` is the framework's own, for information.
        case error(ErrorKind, message: String?)
    }

    /// Unique within its file.
    public let id: String
    /// The framework's keyword arguments, by their own names (JSON null = None).
    public let params: JSONObject
    /// Settings outside the call, such as `{"backend": "jax"}`.
    public let context: JSONObject
    /// The call's array arguments, by the framework's own names.
    public let inputs: NamedArrays
    public let expectation: Expectation
    /// A per-case override of the file's default tolerance.
    public let tolerance: PartialTolerance?
    public let tags: [String]

    public init(
        id: String, params: JSONObject = [:], context: JSONObject = [:], inputs: NamedArrays,
        expectation: Expectation, tolerance: PartialTolerance? = nil, tags: [String] = []
    ) {
        self.id = id
        self.params = params
        self.context = context
        self.inputs = inputs
        self.expectation = expectation
        self.tolerance = tolerance
        self.tags = tags
    }

    public var description: String { id }
}

/// A case that could not be decoded; the runner reports it as a failure.
public struct InvalidCase: Sendable, Hashable {
    /// The case's position in the file's `cases` list.
    public let index: Int
    /// The case's id when it had a usable one.
    public let id: String?
    public let error: FixtureError

    /// How reports name the case: its id, else its position.
    public var displayID: String { id ?? "cases[\(index)]" }
}

/// A decoded fixture file (format v1).
public struct FixtureFile: Sendable, Hashable {
    /// One entry of the `cases` list, in file order.
    public enum Entry: Sendable, Hashable {
        case valid(FixtureCase)
        case invalid(InvalidCase)
    }

    /// Where the file was read from (as given, for messages).
    public let path: String
    public let formatVersion: Int
    /// The framework's public dotted name of the function under test.
    public let suite: String
    /// Free-form: generator, command, date, seed, library versions.
    public let provenance: JSONObject
    public let defaultTolerance: [DType: PartialTolerance]
    public let entries: [Entry]

    public init(
        path: String, formatVersion: Int = FixtureDecoder.supportedVersion, suite: String,
        provenance: JSONObject = [:], defaultTolerance: [DType: PartialTolerance] = [:], entries: [Entry]
    ) {
        self.path = path
        self.formatVersion = formatVersion
        self.suite = suite
        self.provenance = provenance
        self.defaultTolerance = defaultTolerance
        self.entries = entries
    }

    /// The cases that decoded.
    public var cases: [FixtureCase] {
        entries.compactMap { if case .valid(let c) = $0 { c } else { nil } }
    }

    /// The cases that did not decode, with their errors.
    public var invalidCases: [InvalidCase] {
        entries.compactMap { if case .invalid(let c) = $0 { c } else { nil } }
    }

    /// The tolerance that applies to an output of `dtype` in `testCase`:
    /// the case's own, else the file's default for the dtype, else
    /// ``Tolerance/torchDefault(for:)``. Non-float dtypes always compare exactly.
    public func tolerance(for testCase: FixtureCase, dtype: DType) -> Tolerance {
        guard dtype.isFloatingPoint else { return .exact }
        let builtIn = Tolerance.torchDefault(for: dtype)
        let fileDefault = defaultTolerance[dtype]?.resolved(over: builtIn) ?? builtIn
        return testCase.tolerance?.resolved(over: fileDefault) ?? fileDefault
    }
}

/// A fixture file, or a case in one, that breaks format v1.
///
/// Its description is one line that names the file, the case and the field,
/// e.g. `fixtures/x.json: case 'float32/7/mean': inputs.z.data: length 3 does not match shape [2, 2] (4)`.
public struct FixtureError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// The case's id, or `cases[i]` when it has no usable id; `nil` for file-level problems.
    public var caseID: String?
    /// The path of the field at fault, e.g. `inputs.z.data[3]`; empty when the whole file is at fault.
    public var field: String
    public var message: String

    public init(file: String, caseID: String? = nil, field: String, message: String) {
        self.file = file
        self.caseID = caseID
        self.field = field
        self.message = message
    }

    public var description: String {
        var parts = [file]
        if let caseID { parts.append("case '\(caseID)'") }
        if !field.isEmpty { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
