extension String {
    /// Appends `text` with each Unicode scalar for which `replacement` returns a
    /// string written as that string, and every other scalar as it is: the one
    /// loop behind the JSON, JUnit (XML) and GitHub-command escapers, which differ
    /// only in their tables.
    mutating func appendEscaping(_ text: String, _ replacement: (Unicode.Scalar) -> String?) {
        // No reserveCapacity here: the JSON writer appends many strings to one buffer, and
        // exact reservations would defeat its geometric growth.
        for scalar in text.unicodeScalars {
            if let replaced = replacement(scalar) {
                self += replaced
            } else {
                unicodeScalars.append(scalar)
            }
        }
    }

    /// `text` escaped by `replacement` (see ``appendEscaping(_:_:)``).
    static func escaping(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        out.appendEscaping(text, replacement)
        return out
    }
}
