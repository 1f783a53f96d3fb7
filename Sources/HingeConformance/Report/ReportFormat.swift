import Foundation

/// The report formats of a conformance run.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// A line per suite, every failure in full, and the closing line
    /// `N passed, N failed, N skipped` (see ``TextReport``).
    case text
    /// `{"summary": {...}, "cases": [...]}` for tools.
    case json
    /// JUnit XML: one `<testcase>` per fixture case, for CI dashboards.
    case junit
    /// GitHub Actions workflow commands: an `::error` annotation per failing case,
    /// then the closing line (see ``GitHubReport``).
    case github

    public func render(_ report: RunReport) -> String {
        switch self {
        case .text: TextReport.render(report)
        case .json: JSONReport.render(report)
        case .junit: JUnitReport.render(report)
        case .github: GitHubReport.render(report)
        }
    }
}

extension RunReport {
    /// The results grouped by suite, suites in order of first appearance.
    var resultsBySuite: [(suite: String, results: [CaseResult])] {
        var order: [String] = []
        var groups: [String: [CaseResult]] = [:]
        for result in results {
            if groups[result.suite] == nil { order.append(result.suite) }
            groups[result.suite, default: []].append(result)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }
}

/// Short, fixed-width-friendly number formatting for reports.
package enum NumberText {
    package static func short(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value == 0 { return "0" }
        if !value.isFinite { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.3g", value)
    }

    static func seconds(_ duration: Duration) -> String {
        let (s, attoseconds) = duration.components
        return String(format: "%.6f", Double(s) + Double(attoseconds) * 1e-18)
    }
}
