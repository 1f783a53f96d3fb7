/// What an implementation under test is called with: one fixture case's
/// `params`, `context` and `inputs`, with typed accessors whose errors name the
/// argument.
///
/// The accessors throw ``CaseError``s of the format's error kinds, so an
/// adapter's own argument handling (a string where a number belongs, an
/// unknown keyword) is judged like the framework's: the fixture's error cases
/// expect `invalid_parameter` for a bad keyword and `invalid_dtype` for an
/// array of the wrong element type.
public struct CaseArguments: Sendable {
    public let params: JSONObject
    public let context: JSONObject
    public let inputs: NamedArrays

    public init(params: JSONObject = [:], context: JSONObject = [:], inputs: NamedArrays) {
        self.params = params
        self.context = context
        self.inputs = inputs
    }

    public init(_ testCase: FixtureCase) {
        self.init(params: testCase.params, context: testCase.context, inputs: testCase.inputs)
    }

    // MARK: - Inputs

    /// A required input.
    public func input(_ name: String) throws(CaseError) -> FixtureArray {
        guard let array = inputs[name] else {
            throw CaseError(.invalidParameter, argument: name, "missing required input '\(name)'")
        }
        return array
    }

    /// An optional input (`nil` when absent).
    public func optionalInput(_ name: String) -> FixtureArray? { inputs[name] }

    /// Rejects inputs the function does not take, as Python rejects an unexpected keyword.
    public func expectInputs(_ allowed: Set<String>) throws(CaseError) {
        for name in inputs.keys where !allowed.contains(name) {
            throw CaseError(.invalidParameter, argument: name, "unexpected input '\(name)'; expected \(allowed.sorted())")
        }
    }

    // MARK: - Params

    /// Rejects params the function does not take.
    public func expectParams(_ allowed: Set<String>) throws(CaseError) {
        for name in params.keys where !allowed.contains(name) {
            throw CaseError(.invalidParameter, argument: name, "unexpected keyword argument '\(name)'; expected \(allowed.sorted())")
        }
    }

    /// A string param, `defaultValue` when absent.
    public func string(_ name: String, default defaultValue: String) throws(CaseError) -> String {
        guard let value = params[name] else { return defaultValue }
        guard let text = value.stringValue else {
            throw CaseError(.invalidParameter, argument: name, "must be a string, found \(value.serialized(indent: nil))")
        }
        return text
    }

    /// A numeric param, `defaultValue` when absent. Accepts the strings "nan",
    /// "inf" and "-inf" for non-finite values, as arrays do.
    public func double(_ name: String, default defaultValue: Double) throws(CaseError) -> Double {
        guard let value = params[name] else { return defaultValue }
        switch value {
        case .number(let n): return n.doubleValue
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default:
            throw CaseError(.invalidParameter, argument: name, "must be a number, found \(value.serialized(indent: nil))")
        }
    }

    /// An integer param (an integral number), `defaultValue` when absent.
    public func int(_ name: String, default defaultValue: Int) throws(CaseError) -> Int {
        guard let value = params[name] else { return defaultValue }
        guard let integral = value.numberValue?.integralValue, let n = Int(exactly: integral) else {
            throw CaseError(.invalidParameter, argument: name, "must be an integer, found \(value.serialized(indent: nil))")
        }
        return n
    }

    /// A boolean param, `defaultValue` when absent.
    public func bool(_ name: String, default defaultValue: Bool) throws(CaseError) -> Bool {
        guard let value = params[name] else { return defaultValue }
        guard let flag = value.boolValue else {
            throw CaseError(.invalidParameter, argument: name, "must be true or false, found \(value.serialized(indent: nil))")
        }
        return flag
    }
}

/// An error an implementation under test reports, classified by the format's error kinds.
///
/// Implementations may throw any `Error`; those that conform to
/// ``ClassifiedError`` can satisfy a fixture's `expected_error`, the others
/// always fail the case.
public protocol ClassifiedError: Error {
    var errorKind: ErrorKind { get }
}

/// An argument problem found while turning a case into a call.
public struct CaseError: ClassifiedError, Hashable, Sendable, CustomStringConvertible {
    public var errorKind: ErrorKind
    public var argument: String
    public var message: String

    public init(_ kind: ErrorKind, argument: String, _ message: String) {
        self.errorKind = kind
        self.argument = argument
        self.message = message
    }

    public var description: String { "\(errorKind): \(argument): \(message)" }
}
