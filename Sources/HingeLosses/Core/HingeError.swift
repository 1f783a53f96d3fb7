/// The error every loss in this package throws for input it cannot accept.
///
/// Bad input never traps: a wrong shape, a label outside a loss's convention or
/// a parameter out of range is reported as a `HingeError` whose ``kind`` says
/// what class of mistake it is and whose ``argument`` names the offending
/// argument by the framework's own name (`"target"`, `"y_true"`, `"margin"`, ...).
///
/// The kinds mirror the error kinds of fixture format v1, so a conformance
/// runner can match them against a framework's expected error.
public struct HingeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A hyper-parameter outside what the framework accepts (`p = 3`, `reduction = "avg"`).
        case invalidParameter = "invalid_parameter"
        /// A label outside the convention or range (`y = 0` for a ±1 loss, a class index ≥ C).
        case invalidTarget = "invalid_target"
        /// Shapes that do not fit together (different lengths, wrong rank).
        case shapeMismatch = "shape_mismatch"
        /// An element type the loss does not accept (integer scores, float class indices).
        case invalidDtype = "invalid_dtype"
    }

    public var kind: Kind
    /// The framework's name of the argument at fault.
    public var argument: String
    /// What is wrong, phrased so a person can act on it.
    public var message: String

    public init(_ kind: Kind, argument: String, _ message: String) {
        self.kind = kind
        self.argument = argument
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(argument): \(message)" }

    public static func invalidParameter(_ argument: String, _ message: String) -> HingeError {
        HingeError(.invalidParameter, argument: argument, message)
    }
    public static func invalidTarget(_ argument: String, _ message: String) -> HingeError {
        HingeError(.invalidTarget, argument: argument, message)
    }
    public static func shapeMismatch(_ argument: String, _ message: String) -> HingeError {
        HingeError(.shapeMismatch, argument: argument, message)
    }
    public static func invalidDtype(_ argument: String, _ message: String) -> HingeError {
        HingeError(.invalidDtype, argument: argument, message)
    }
}
