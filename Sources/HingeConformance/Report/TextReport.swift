/// The human-readable report: one table per suite, failures spelled out
/// under their row, and the closing line `N passed, N failed, N skipped`.
public enum TextReport {
    /// - Parameter verbose: list every case; otherwise only the failed and
    ///   skipped ones appear under each suite's summary row.
    public static func render(_ report: RunReport, verbose: Bool = true) -> String {
        var lines: [String] = []
        for (suite, results) in report.resultsBySuite {
            let passed = results.count { $0.status == .passed }
            let failed = results.count { $0.status == .failed }
            let skipped = results.count { $0.status == .skipped }
            let files = Set(results.map(\.file)).sorted().joined(separator: ", ")
            lines.append("\(suite)  [\(files)]  \(passed) passed, \(failed) failed, \(skipped) skipped")
            let shown = verbose ? results : results.filter { $0.status != .passed }
            guard !shown.isEmpty else {
                lines.append("")
                continue
            }
            let idWidth = min(64, max(4, shown.map(\.id.count).max() ?? 4))
            lines.append("  " + ["status", pad("case", idWidth), pad("max |Δ|", 9), "max ULP"].joined(separator: "  "))
            for result in shown {
                let status =
                    switch result.status {
                    case .passed: "pass  "
                    case .failed: "FAIL  "
                    case .skipped: "skip  "
                    }
                let ulp = result.maxULP.map(String.init) ?? "-"
                lines.append(
                    "  " + [status, pad(result.id, idWidth), pad(NumberText.short(result.maxAbsError), 9), ulp]
                        .joined(separator: "  "))
                if let message = result.message {
                    lines.append("        " + message)
                }
            }
            lines.append("")
        }
        for key in report.unmatchedExpectedFailures {
            lines.append("warning: expected failure '\(key)' matched no case")
        }
        lines.append(report.summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
