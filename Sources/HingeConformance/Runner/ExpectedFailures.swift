/// A list of cases known to fail, by `suite/id`: the only source of skips.
///
/// A listed case that fails is reported as skipped; a listed case that
/// passes is reported as a failure (strict xfail), so the list cannot silently
/// outlive the bug it records.
public struct ExpectedFailures: Sendable, Hashable {
    public private(set) var keys: Set<String>

    public init(_ keys: some Sequence<String> = []) {
        self.keys = Set(keys)
    }

    /// Parses a list file: one `suite/id` a line; blank lines and lines
    /// starting with `#` are ignored, surrounding white space is trimmed.
    public init(parsing text: String) {
        var keys = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.trimmingWhitespace()
            if !entry.isEmpty, !entry.hasPrefix("#") { keys.insert(entry) }
        }
        self.keys = keys
    }

    public func contains(suite: String, id: String) -> Bool { keys.contains("\(suite)/\(id)") }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
