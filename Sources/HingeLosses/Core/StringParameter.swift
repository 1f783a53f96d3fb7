/// How the losses parse a framework's string parameter (a reduction, a penalty,
/// a kernel name): an enum's case by its raw value, else the framework's own error.
extension RawRepresentable where Self: CaseIterable, RawValue == String {
    /// The case whose raw value is `name`, else the error `invalid(name)`.
    static func parsed(_ name: String, else invalid: (String) -> HingeError) throws(HingeError) -> Self {
        guard let value = Self(rawValue: name) else { throw invalid(name) }
        return value
    }

    /// The raw values quoted and listed as Python writes them: `'l1', 'l2'`.
    static var quotedRawValues: String { allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") }
}
