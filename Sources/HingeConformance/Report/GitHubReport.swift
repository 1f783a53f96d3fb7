/// GitHub Actions workflow commands: one `::error file=…,title=…::…` per failing
/// case (the title is `suite/id`, the message the failure in full, as
/// ``TextReport/failureDetail(_:)`` writes it), a `::warning` per stale
/// expected-failure entry, then the closing line `N passed, N failed, N skipped`.
///
/// Values are escaped as the Actions runner reads them back: in messages
/// `%`, `\r` and `\n` become `%25`, `%0D` and `%0A`; in properties `:` and `,`
/// also become `%3A` and `%2C`.
public enum GitHubReport {
    public static func render(_ report: RunReport) -> String {
        var lines: [String] = []
        for result in report.results where result.status == .failed {
            // The file is already a property; the message starts with what failed.
            let detail = TextReport.failureDetail(result).dropFirst()
            lines.append(
                "::error file=\(escapeProperty(result.file)),title=\(escapeProperty(result.suite + "/" + result.id))::"
                    + escapeData(detail.joined(separator: "\n")))
        }
        for key in report.unmatchedExpectedFailures {
            lines.append(
                "::warning title=\(escapeProperty("stale expected failure"))::"
                    + escapeData("expected failure '\(key)' matched no case"))
        }
        lines.append(report.summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes a command's message (the text after `::`).
    public static func escapeData(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a command property's value (`file=`, `title=`).
    public static func escapeProperty(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
