/// A parsed JSON document, as fixture format v1 needs it.
///
/// Two things set it apart from `JSONSerialization`'s `Any`: numbers keep their
/// source text (so an `int64` of 2^63 − 1 and a float's last bit survive, and
/// `1` is never confused with `true`), and objects keep their key order (so
/// reports and re-written fixtures stay diff-friendly).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let n): n.isInteger ? "an integer" : "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}

/// A JSON number, kept as the text it was written as.
///
/// Conversions follow Python's `json` module, which is how the fixture
/// generators and the format validator read the same files: an integer
/// lexeme is an exact integer, and a lexeme with a fraction or an exponent is
/// the correctly rounded `Double`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, e.g. `-0.5`, `12`, `1e-7`.
    public let text: String
    /// Whether the text has neither a fraction nor an exponent (Python reads it as `int`).
    public let isInteger: Bool

    /// Wraps text that is already a valid JSON number.
    init(validatedText text: String, isInteger: Bool) {
        self.text = text
        self.isInteger = isInteger
    }

    /// The shortest text that reads back as `value`, or `nil` for NaN and
    /// infinities, which JSON has no literal for (fixture format v1 writes them
    /// as strings; see ``JSONValue/float(_:)``).
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.text = "\(value)"
        self.isInteger = false
    }

    public init<I: BinaryInteger>(_ value: I) {
        self.text = "\(value)"
        self.isInteger = true
    }

    /// The value as a `Double`, as Python's `float()` of the parsed number gives it.
    ///
    /// An integer lexeme converts like Python's `float(int)`: correctly rounded,
    /// and `-0` becomes +0.0 because the integer −0 is 0. Lexemes too large for
    /// a `Double` give ±infinity, as `float("1e400")` does.
    public var doubleValue: Double {
        // Any text this type holds is a valid number, so the parse cannot fail;
        // NaN here would only flag a bug in the parser.
        let value = Double(text) ?? .nan
        return isInteger && value == 0 ? 0 : value
    }

    /// The value as an `Int64` when it is an integer lexeme in range, else `nil`.
    public var int64Value: Int64? { isInteger ? Int64(text) : nil }

    /// The value as an exact `Double` integer: an integer lexeme, or a
    /// fraction/exponent whose value is integral (Python's `1.0 == 1`).
    public var integralValue: Double? {
        let value = doubleValue
        return value.isFinite && value.rounded(.towardZero) == value ? value : nil
    }

    public var description: String { text }
}

/// A JSON object: its members in the order they were written.
public typealias JSONObject = OrderedMap<JSONValue>
