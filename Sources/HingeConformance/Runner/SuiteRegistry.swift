/// Implementations under test, keyed by suite name (the framework's public
/// dotted name, e.g. `torch.nn.functional.multi_margin_loss`).
///
/// An implementation takes a case's arguments and returns its outputs by the
/// names the fixtures use (`output`, `grad_<input>`, `coef_`, ...). To check
/// your own implementation against the bundled fixtures, register it under
/// the suite's name and hand the registry to a ``ConformanceRunner``.
public struct SuiteRegistry: Sendable {
    public typealias Implementation = @Sendable (CaseArguments) throws -> NamedArrays

    private var implementations: [String: Implementation] = [:]

    public init() {}

    /// Registers (or replaces) the implementation of `suite`.
    public mutating func register(_ suite: String, _ implementation: @escaping Implementation) {
        implementations[suite] = implementation
    }

    /// Adds every suite of `other`, replacing those registered under the same name.
    public mutating func merge(_ other: SuiteRegistry) {
        implementations.merge(other.implementations) { _, new in new }
    }

    public func implementation(for suite: String) -> Implementation? { implementations[suite] }

    /// The registered suite names, sorted.
    public var suites: [String] { implementations.keys.sorted() }
}
