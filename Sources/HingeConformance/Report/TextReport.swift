/// The human-readable report.
///
/// By default: one line per suite (passed, failed and skipped counts and the worst
/// error the comparator measured: the largest ULP distance and absolute error),
/// then every failure in full (suite, case id, file, and for each failing output
/// its dtype and shape, the worst element's flat and multi-index, actual and
/// expected values, and the tolerance it broke), then the closing line
/// `N passed, N failed, N skipped`, which CI parses.
///
/// ``Verbosity/verbose`` adds the suite's fixture files to its line and every case
/// under it; ``Verbosity/quiet``
/// prints only the failures and the closing line.
public enum TextReport {
    /// How much of a run the report shows.
    public enum Verbosity: Sendable, Hashable, CaseIterable {
        /// Only the failures in full, and the closing line.
        case quiet
        /// A line per suite, the failures in full, and the closing line.
        case normal
        /// As ``normal``, with the suite's files on its line and every case under it.
        case verbose
    }

    /// Renders `report`.
    ///
    /// - Parameters:
    ///   - verbosity: how much to show (see ``Verbosity``).
    ///   - color: wrap status words in ANSI colours; decide it with
    ///     ``shouldColor(isTerminal:environment:)``. The closing line is never coloured.
    public static func render(_ report: RunReport, verbosity: Verbosity = .normal, color: Bool = false) -> String {
        let paint = Paint(enabled: color)
        var lines: [String] = []
        if verbosity != .quiet {
            let groups = report.resultsBySuite
            let nameWidth = min(48, groups.map(\.suite.count).max() ?? 0)
            let all = groups.map { counts(of: $0.results) }
            let widths = (0..<3).map { column in all.map { String($0[column]).count }.max() ?? 1 }
            for (suite, results) in groups {
                var line = pad(suite, nameWidth) + "  " + countsText(of: results, widths: widths, paint: paint) + "  worst "
                line += worstError(of: results)
                if verbosity == .verbose {
                    line += "  [" + Set(results.map(\.file)).sorted().joined(separator: ", ") + "]"
                }
                lines.append(line)
                if verbosity == .verbose {
                    lines.append(contentsOf: caseTable(results, paint: paint))
                }
            }
            if !groups.isEmpty { lines.append("") }
        }
        for result in report.results where result.status == .failed {
            lines.append(paint.red("FAIL") + " " + result.suite + "/" + result.id)
            lines.append(contentsOf: failureDetail(result).map { "  " + $0 })
            lines.append("")
        }
        if verbosity != .quiet {
            for key in report.unmatchedExpectedFailures {
                lines.append(paint.yellow("warning") + ": expected failure '\(key)' matched no case")
            }
        }
        lines.append(report.summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as it was before ``Verbosity``: `verbose` lists every case,
    /// otherwise the default (``Verbosity/normal``) report.
    public static func render(_ report: RunReport, verbose: Bool) -> String {
        render(report, verbosity: verbose ? .verbose : .normal)
    }

    /// Whether a report written to standard output gets ANSI colours: only on a
    /// terminal, and only when `NO_COLOR` is not set (to anything, even the empty
    /// string) and `TERM` is not `dumb`.
    public static func shouldColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// The full account of a failed case, one line each, without indentation:
    /// the file, then for each failing output its dtype, shape, worst element
    /// (flat and multi-index), actual, expected and tolerance; or the failure's
    /// message when no output was compared (broken input, errors, a missing suite).
    public static func failureDetail(_ result: CaseResult) -> [String] {
        var lines = ["file: \(result.file)"]
        let failedOutputs = result.outputs.filter { !$0.passed }
        // Outputs that can say why they failed; otherwise the case's message says it.
        let explained = failedOutputs.filter { $0.message != nil || result.detail(for: $0.name)?.worst != nil }
        if explained.isEmpty {
            lines.append(contentsOf: (result.message ?? "failed").split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            return lines
        }
        for output in failedOutputs {
            guard let detail = result.detail(for: output.name), let worst = detail.worst else {
                lines.append(output.message ?? "\(output.name): failed")
                continue
            }
            let index = Comparator.format(index: worst.flatIndex, shape: detail.shape)
            let shape = "[" + detail.shape.map(String.init).joined(separator: ", ") + "]"
            let which = detail.dtype.isFloatingPoint ? "worst" : "first"
            lines.append(
                "\(output.name): \(detail.failingCount) of \(FixtureArray.elementCount(of: detail.shape) ?? 0) elements differ "
                    + "(\(detail.dtype), shape \(shape)); \(which) at flat index \(worst.flatIndex) = \(index)")
            lines.append("  actual:    \(worst.actual)")
            lines.append("  expected:  \(worst.expected)")
            if let absError = worst.absError, let allowed = worst.allowed {
                lines.append(
                    "  tolerance: |Δ| \(absError) > atol \(detail.tolerance.atol) + rtol \(detail.tolerance.rtol)·|expected| = \(allowed)")
                lines.append(
                    "  over the output: max |Δ| \(NumberText.short(output.maxAbsError)), max ULP \(output.maxULP.map(String.init) ?? "-")")
            } else {
                lines.append("  tolerance: exact match required")
            }
        }
        return lines
    }

    // MARK: Pieces

    /// `N passed, N failed, N skipped` with each number right-aligned to `widths`,
    /// the non-zero failed and skipped counts painted.
    private static func countsText(of results: [CaseResult], widths: [Int], paint: Paint) -> String {
        let counts = counts(of: results)
        func number(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        let passed = paint.green(number(counts[0], widths[0]) + " passed")
        let failed = number(counts[1], widths[1]) + " failed"
        let skipped = number(counts[2], widths[2]) + " skipped"
        return passed + ", " + (counts[1] > 0 ? paint.red(failed) : failed) + ", " + (counts[2] > 0 ? paint.yellow(skipped) : skipped)
    }

    /// Passed, failed and skipped counts.
    private static func counts(of results: [CaseResult]) -> [Int] {
        [results.count { $0.status == .passed }, results.count { $0.status == .failed }, results.count { $0.status == .skipped }]
    }

    /// The largest ULP distance and absolute error over a suite's compared float outputs.
    static func worstError(of results: [CaseResult]) -> String {
        let outputs = results.flatMap(\.outputs)
        let ulp = outputs.compactMap(\.maxULP).max()
        let abs = outputs.compactMap(\.maxAbsError).max { a, b in a < b || (b.isNaN && !a.isNaN) }  // NaN is the worst
        guard ulp != nil || abs != nil else { return "-" }
        var text = "\(ulp.map(String.init) ?? "-") ULP, |Δ| \(NumberText.short(abs))"
        if let use = outputs.compactMap(\.maxToleranceUse).max(), use > 0 { text += ", " + toleranceUse(use) }
        return text
    }

    /// The share of the tolerance the worst element used: `12% of tolerance`, `<1% of
    /// tolerance`, or `over tolerance` (a failure).
    static func toleranceUse(_ use: Double) -> String {
        guard use <= 1 else { return "over tolerance" }
        guard use >= 0.01 else { return "<1% of tolerance" }
        return "\(Int((use * 100).rounded(.up)))% of tolerance"
    }

    /// Every case of a suite, for the verbose report.
    private static func caseTable(_ results: [CaseResult], paint: Paint) -> [String] {
        guard !results.isEmpty else { return [] }
        let idWidth = min(64, max(4, results.map(\.id.count).max() ?? 4))
        var lines = ["  " + ["status", pad("case", idWidth), pad("max |Δ|", 9), "max ULP"].joined(separator: "  ")]
        for result in results {
            let status =
                switch result.status {
                case .passed: paint.green("pass") + "  "
                case .failed: paint.red("FAIL") + "  "
                case .skipped: paint.yellow("skip") + "  "
                }
            let ulp = result.maxULP.map(String.init) ?? "-"
            lines.append("  " + [status, pad(result.id, idWidth), pad(NumberText.short(result.maxAbsError), 9), ulp].joined(separator: "  "))
            if result.status == .skipped, let message = result.message {
                lines.append("        " + message)
            }
        }
        return lines
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// ANSI colours, or plain text when disabled.
    struct Paint {
        var enabled: Bool
        func red(_ s: String) -> String { wrap(s, "1;31") }
        func green(_ s: String) -> String { wrap(s, "32") }
        func yellow(_ s: String) -> String { wrap(s, "33") }
        private func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    }
}
