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
        String.escaping(text, dataEscape)
    }

    /// Escapes a command property's value (`file=`, `title=`): the message's escapes
    /// plus `:` and `,`, which end a property.
    public static func escapeProperty(_ text: String) -> String {
        String.escaping(text) { scalar in
            switch scalar {
            case ":": "%3A"
            case ",": "%2C"
            default: dataEscape(scalar)
            }
        }
    }

    private static func dataEscape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "%": "%25"
        case "\r": "%0D"
        case "\n": "%0A"
        default: nil
        }
    }
}
