import Foundation
import Testing

@testable import HingeConformance

/// Issue 14 items 3 and 4: a default text report short enough to read when all
/// passes and complete enough to diagnose a failure, `--quiet`/`--verbose`, colour
/// only on a terminal without `NO_COLOR`, and GitHub Actions annotations.
@Suite("Text and GitHub reports")
struct ReportTextTests {
    /// `suites` suites of `perSuite` passing cases each.
    static func passingReport(suites: Int, perSuite: Int) -> RunReport {
        let results = (0..<suites).flatMap { s in
            (0..<perSuite).map { i in
                CaseResult(
                    suite: "suite.\(s)", id: "case/\(i)", file: "fixtures/suite.\(s).json", status: .passed,
                    outputs: [OutputComparison(name: "output", passed: true, maxAbsError: Double(i) * 1e-9, maxULP: UInt64(i % 4))])
            }
        }
        return RunReport(results: results)
    }

    static func lines(_ text: String) -> [String] {
        #expect(text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// A run of the doubling suite over a [2, 3] input with one wrong expected value
    /// (flat index 4), one passing case and one case that raises unexpectedly.
    static func failingReport() -> RunReport {
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        var expected = x.map { 2 * $0 }
        expected[4] = 10.5
        let wrong = FixtureCase(
            id: "shape2x3/wrong", inputs: ["x": try! .float64(x, shape: [2, 3])],
            expectation: .outputs(["output": try! .float64(expected, shape: [2, 3])]))
        let cases = [
            doublingCase("fine", x: [1], expected: [2]), wrong,
            doublingCase("raises", x: [1], expected: [2], params: ["fail": .bool(true)]),
        ]
        let f = file("test.double", cases, path: "fixtures/test.double.json")
        return ConformanceRunner(registry: doublingRegistry()).run(CaseSelection().items(from: [.file(f)]))
    }

    // MARK: Default report

    @Test func defaultReportOfPassingRunIsALinePerSuiteAndTheClosingLine() {
        let report = Self.passingReport(suites: 30, perSuite: 100)
        let lines = Self.lines(TextReport.render(report))
        #expect(lines.count == 30 + 2, "\(lines.count) lines")
        #expect(lines.last == "3000 passed, 0 failed, 0 skipped")
        #expect(lines[30] == "")
        for (s, line) in lines.prefix(30).enumerated() {
            #expect(line.hasPrefix("suite.\(s) "))
            #expect(line.contains("100 passed, 0 failed, 0 skipped"))
            #expect(line.hasSuffix("worst 3 ULP, |Δ| 9.9e-08"), "\(line)")
        }
        #expect(!lines.contains { $0.contains("case/") }, "passing cases are listed only with --verbose")
    }

    @Test func suiteLineShowsCountsAndTheWorstError() throws {
        let lines = Self.lines(TextReport.render(Self.failingReport()))
        let suiteLine = try #require(lines.first)
        #expect(suiteLine.hasPrefix("test.double  1 passed, 2 failed, 0 skipped  worst "))
        // The comparator's largest ULP distance and |Δ| (10 against 10.5).
        let result = Self.failingReport().results[1]
        #expect(suiteLine.hasSuffix("worst \(result.maxULP!) ULP, |Δ| 0.5, over tolerance"), "\(suiteLine)")
        #expect(TextReport.worstError(of: []) == "-")
        let nan = CaseResult(suite: "s", id: "i", file: "f", status: .failed, outputs: [
            OutputComparison(name: "a", passed: false, maxAbsError: 1, maxULP: 2),
            OutputComparison(name: "b", passed: false, maxAbsError: .nan, maxULP: nil),
        ])
        #expect(TextReport.worstError(of: [nan]) == "2 ULP, |Δ| nan")
    }

    /// Near zero a tiny |Δ| is a huge ULP distance; the share of the tolerance says how close it came.
    @Test func suiteLineShowsTheShareOfTheToleranceUsed() {
        func use(_ actual: Double, _ expected: Double, rtol: Double, atol: Double) -> Double? {
            Comparator.compare(
                name: "o", actual: try! .float64([actual], shape: [1]), expected: try! .float64([expected], shape: [1]),
                tolerance: Tolerance(rtol: rtol, atol: atol)
            ).maxToleranceUse
        }
        #expect(use(1e-11, 0, rtol: 1e-5, atol: 1e-5) == 1e-11 / 1e-5)
        #expect(use(1.5, 1, rtol: 0.5, atol: 0.25) == 0.5 / 0.75)
        #expect(use(1, 1, rtol: 0, atol: 0) == 0, "exact: nothing used")
        #expect(use(2, 1, rtol: 0, atol: 0) == .infinity, "a difference where nothing is allowed")
        #expect(use(.nan, .nan, rtol: 0, atol: 0) == 0)
        #expect(use(.infinity, 1, rtol: 1, atol: 1) == .infinity)
        #expect(TextReport.toleranceUse(0.4701) == "48% of tolerance")
        #expect(TextReport.toleranceUse(1) == "100% of tolerance")
        #expect(TextReport.toleranceUse(0.009) == "<1% of tolerance")
        #expect(TextReport.toleranceUse(1.0000001) == "over tolerance")
        let near = CaseResult(suite: "s", id: "i", file: "f", status: .passed, outputs: [
            OutputComparison(name: "a", passed: true, maxAbsError: 1.7e-11, maxULP: 97_930_214_354, maxToleranceUse: 1.7e-6),
            OutputComparison(name: "b", passed: true, maxAbsError: 0, maxULP: 0, maxToleranceUse: 0),
        ])
        #expect(TextReport.worstError(of: [near]) == "97930214354 ULP, |Δ| 1.7e-11, <1% of tolerance")
        let exact = CaseResult(suite: "s", id: "i", file: "f", status: .passed, outputs: [
            OutputComparison(name: "a", passed: true, maxAbsError: 0, maxULP: 0, maxToleranceUse: 0)
        ])
        #expect(TextReport.worstError(of: [exact]) == "0 ULP, |Δ| 0", "exact outputs say nothing of tolerance")
    }

    @Test func failureIsPrintedInFull() throws {
        let report = Self.failingReport()
        let text = TextReport.render(report)
        let lines = Self.lines(text)
        #expect(lines.last == "1 passed, 2 failed, 0 skipped")
        let start = try #require(lines.firstIndex(of: "FAIL test.double/shape2x3/wrong"))
        #expect(Array(lines[(start + 1)...].prefix(6)) == [
            "  file: fixtures/test.double.json",
            "  output: 1 of 6 elements differ (float64, shape [2, 3]); worst at flat index 4 = [1, 1]",
            "    actual:    10.0",
            "    expected:  10.5",
            "    tolerance: |Δ| 0.5 > atol 1e-07 + rtol 1e-07·|expected| = 1.15e-06",
            "    over the output: max |Δ| 0.5, max ULP \(report.results[1].maxULP!)",
        ])
        // The same element the comparator's message names.
        #expect(report.results[1].message?.contains("worst at [1, 1]: actual 10.0, expected 10.5") == true)
        // A failure with no compared output prints its message.
        let raised = try #require(lines.firstIndex(of: "FAIL test.double/raises"))
        #expect(lines[raised + 1] == "  file: fixtures/test.double.json")
        #expect(lines[raised + 2].contains("threw invalid_parameter error"))
        #expect(lines[raised + 2].contains("but the framework returned outputs"))
        #expect(!text.contains("FAIL test.double/fine"))
    }

    @Test func exactOutputsAndShapeMismatchesAreDetailedToo() {
        let ints = OutputDetail.of(
            name: "labels", actual: try! .int64([1, 2, 3, 9], shape: [2, 2]), expected: try! .int64([1, 7, 3, 4], shape: [2, 2]),
            tolerance: .exact)
        #expect(ints.failingCount == 2)
        #expect(ints.worst == OutputDetail.Element(flatIndex: 1, actual: "2", expected: "7"))
        let strings = OutputDetail.of(
            name: "s", actual: try! FixtureArray(shape: [2], storage: .string(["a", "b\n"])),
            expected: try! FixtureArray(shape: [2], storage: .string(["a", "b"])), tolerance: .exact)
        #expect(strings.worst?.actual == #""b\n""#)
        let shape = OutputDetail.of(
            name: "o", actual: try! .float64([1, 2], shape: [2]), expected: try! .float64([1, 2], shape: [1, 2]), tolerance: .exact)
        #expect(shape.worst == nil && shape.failingCount == 0)

        let result = CaseResult(
            suite: "s", id: "i", file: "f.json", status: .failed, message: "o: shape [2] differs from the expected [1, 2]",
            outputs: [
                OutputComparison(name: "o", passed: false, message: "o: shape [2] differs from the expected [1, 2]"),
                OutputComparison(name: "labels", passed: false, message: "labels: ..."),
            ],
            details: [shape, ints])
        #expect(TextReport.failureDetail(result) == [
            "file: f.json",
            "o: shape [2] differs from the expected [1, 2]",
            "labels: 2 of 4 elements differ (int64, shape [2, 2]); first at flat index 1 = [0, 1]",
            "  actual:    2",
            "  expected:  7",
            "  tolerance: exact match required",
        ])
    }

    /// The located element is the comparator's, over random data with NaN and infinities.
    @Test func detailLocatesTheComparatorsWorstElement() {
        var generator = SplitMix64(seed: 14)
        let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e300]
        for round in 0..<300 {
            let n = 1 + Int(generator.next() % 12)
            func value() -> Double {
                let r = generator.next()
                return r % 5 == 0 ? specials[Int(r / 5 % UInt64(specials.count))] : Double(Int64(r % 2001) - 1000) / 100
            }
            let expected = (0..<n).map { _ in value() }
            let actual = expected.map { e in generator.next() % 3 == 0 ? value() : e }
            let shape = [n]
            let tolerance = Tolerance(rtol: [0, 1e-3, 0.5][round % 3], atol: [0, 1e-2][round % 2])
            let a = try! FixtureArray.float64(actual, shape: shape)
            let e = try! FixtureArray.float64(expected, shape: shape)
            let comparison = Comparator.compare(name: "o", actual: a, expected: e, tolerance: tolerance)
            let detail = OutputDetail.of(name: "o", actual: a, expected: e, tolerance: tolerance)
            guard let worst = detail.worst else {
                #expect(comparison.passed, "round \(round)")
                continue
            }
            #expect(!comparison.passed)
            #expect(
                comparison.message?.contains(
                    "\(detail.failingCount) of \(n) elements differ; worst at [\(worst.flatIndex)]: actual \(worst.actual), expected \(worst.expected) ")
                    == true, "round \(round): \(comparison.message ?? "") vs \(worst)")
        }
    }

    // MARK: Quiet and verbose

    @Test func quietPrintsOnlyFailuresAndTheClosingLine() {
        let passing = Self.passingReport(suites: 5, perSuite: 10)
        #expect(TextReport.render(passing, verbosity: .quiet) == "50 passed, 0 failed, 0 skipped\n")
        let report = Self.failingReport()
        let lines = Self.lines(TextReport.render(report, verbosity: .quiet))
        #expect(lines.first == "FAIL test.double/shape2x3/wrong")
        #expect(!lines.contains { $0.hasPrefix("test.double ") }, "no suite line")
        #expect(lines.filter { $0.hasPrefix("FAIL ") }.count == 2)
        #expect(lines.last == "1 passed, 2 failed, 0 skipped")
        // The same failure text as the default report.
        let normal = TextReport.render(report)
        #expect(normal.hasSuffix(TextReport.render(report, verbosity: .quiet)))
    }

    @Test func verboseListsEveryCase() {
        let report = Self.passingReport(suites: 3, perSuite: 7)
        let text = TextReport.render(report, verbosity: .verbose)
        for result in report.results {
            #expect(text.contains("pass    \(result.id) "), "\(result.id) missing")
        }
        #expect(Self.lines(text).count == 3 * (1 + 1 + 7) + 2)
        #expect(TextReport.render(report, verbose: true) == text)
        #expect(TextReport.render(report, verbose: false) == TextReport.render(report))
        let failing = TextReport.render(Self.failingReport(), verbosity: .verbose)
        #expect(failing.contains("pass    fine "))
        #expect(failing.contains("FAIL    shape2x3/wrong "))
        #expect(failing.contains("FAIL test.double/shape2x3/wrong\n  file: fixtures/test.double.json\n"))
    }

    @Test func skippedCasesShowInVerboseAndStaleEntriesWarn() {
        let skipped = CaseResult(suite: "s", id: "x", file: "f", status: .skipped, message: "expected failure: o: differs")
        let report = RunReport(results: [skipped], unmatchedExpectedFailures: ["s/gone"])
        let normal = TextReport.render(report)
        #expect(normal.contains("0 passed, 0 failed, 1 skipped"))
        #expect(!normal.contains("expected failure: o: differs"))
        #expect(normal.contains("warning: expected failure 's/gone' matched no case"))
        #expect(TextReport.render(report, verbosity: .verbose).contains("        expected failure: o: differs"))
        #expect(TextReport.render(report, verbosity: .quiet) == "0 passed, 0 failed, 1 skipped\n")
    }

    // MARK: Colour

    @Test(arguments: [
        (true, [String: String](), true),
        (false, [:], false),
        (true, ["NO_COLOR": "1"], false),
        (true, ["NO_COLOR": ""], false),
        (false, ["NO_COLOR": "1"], false),
        (true, ["TERM": "dumb"], false),
        (true, ["TERM": "xterm-256color", "CLICOLOR": "0"], true),
    ])
    func colourOnlyOnATerminalWithoutNoColor(isTerminal: Bool, environment: [String: String], expected: Bool) {
        #expect(TextReport.shouldColor(isTerminal: isTerminal, environment: environment) == expected)
    }

    @Test func colourWrapsStatusWordsButNeverTheClosingLine() {
        let report = Self.failingReport()
        let plain = TextReport.render(report)
        #expect(!plain.contains("\u{1B}"))
        let coloured = TextReport.render(report, color: true)
        #expect(coloured.contains("\u{1B}[1;31mFAIL\u{1B}[0m test.double/shape2x3/wrong"))
        #expect(Self.lines(coloured).last == report.summaryLine)
        // Without the escapes it is the plain report.
        let stripped = coloured.replacing(/\x{1B}\[[0-9;]*m/, with: "")
        #expect(stripped == plain)
    }

    // MARK: GitHub

    @Test func githubEscapingFollowsTheRunnersRules() {
        #expect(GitHubReport.escapeData("100% a\r\nb, c: d") == "100%25 a%0D%0Ab, c: d")
        #expect(GitHubReport.escapeProperty("100% a\r\nb, c: d") == "100%25 a%0D%0Ab%2C c%3A d")
        #expect(GitHubReport.escapeData("%0A") == "%250A", "an escape sequence in the text stays text")
        #expect(GitHubReport.escapeProperty("C:\\x,y") == "C%3A\\x%2Cy")
        #expect(GitHubReport.escapeData("é → 中") == "é → 中")
    }

    /// What the Actions runner does to a value: the escapes undone, `%25` last.
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",")
            .replacingOccurrences(of: "%25", with: "%")
    }

    @Test func githubReportIsAnErrorPerFailingCaseThenTheClosingLine() throws {
        let report = Self.failingReport()
        let lines = Self.lines(GitHubReport.render(report))
        #expect(lines.count == report.failed + 1)
        #expect(lines.last == "1 passed, 2 failed, 0 skipped")
        #expect(lines[0].hasPrefix("::error file=fixtures/test.double.json,title=test.double/shape2x3/wrong::output: 1 of 6 elements differ"))
        let message = try #require(lines[0].split(separator: "::", maxSplits: 2).last.map(String.init))
        #expect(Self.unescape(message) == TextReport.failureDetail(report.results[1]).dropFirst().joined(separator: "\n"))
        #expect(lines[1].hasPrefix("::error file=fixtures/test.double.json,title=test.double/raises::"))
        #expect(ReportFormat.github.render(report) == GitHubReport.render(report))
        let passing = Self.passingReport(suites: 2, perSuite: 3)
        #expect(GitHubReport.render(passing) == "6 passed, 0 failed, 0 skipped\n")
    }

    @Test func githubReportSurvivesNastyStrings() throws {
        let nasty = ["a,b:c", "100%", "line\nbreak", "cr\rhere", "%0A literally", "::error::", "é 中 😀"]
        let results = nasty.map { s in
            CaseResult(suite: "suite \(s)", id: "id \(s)", file: "dir, \(s).json", status: .failed, message: "message \(s)")
        }
        let report = RunReport(results: results, unmatchedExpectedFailures: ["s/x,y:\n"])
        let lines = Self.lines(GitHubReport.render(report))
        #expect(lines.count == nasty.count + 2, "one physical line per command")
        for (line, result) in zip(lines, results) {
            let match = try #require(line.wholeMatch(of: /::error file=([^,:]*),title=([^,:]*)::(.*)/), "\(line)")
            #expect(Self.unescape(String(match.1)) == result.file)
            #expect(Self.unescape(String(match.2)) == result.suite + "/" + result.id)
            #expect(Self.unescape(String(match.3)) == result.message)
        }
        #expect(lines[nasty.count] == "::warning title=stale expected failure::expected failure 's/x,y:%0A' matched no case")
        #expect(lines.last == report.summaryLine)
    }
}

/// The command itself: the bundled run is short, `--quiet` and `--verbose` exclude
/// each other, and `--format github` annotates every failing case.
@Suite("Text and GitHub reports from the command")
struct ReportTextCommandTests {
    @Test func bundledRunPrintsALinePerSuiteWhenAllPass() throws {
        let root = ReportRobustnessTests.packageRoot
        let outcome = try ReportRobustnessTests.run([], in: root)
        #expect(outcome.status == 0, "\(outcome.stdout)")
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let suites = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("fixtures").path)
            .filter { $0.hasSuffix(".json") }.count
        // A line per suite, a blank line and the closing line: nothing per passing case.
        #expect(lines.count == suites + 2)
        let closing = try #require(lines.last)
        #expect(closing.wholeMatch(of: /[0-9]+ passed, 0 failed, 0 skipped/) != nil, "\(closing)")
        #expect(!outcome.stdout.contains("\u{1B}"), "no colour when stdout is not a terminal")

        let quiet = try ReportRobustnessTests.run(["--quiet"], in: root)
        #expect(quiet.stdout == closing + "\n")
        let verbose = try ReportRobustnessTests.run(["--verbose"], in: root)
        #expect(verbose.stdout.split(separator: "\n").count > 2000)
        #expect(verbose.stdout.hasSuffix("\n\n" + closing + "\n"))
    }

    @Test func quietAndVerboseExcludeEachOther() throws {
        let outcome = try ReportRobustnessTests.run(["--quiet", "--verbose"], in: FileManager.default.temporaryDirectory)
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--quiet and --verbose exclude each other"))
    }

    @Test func githubFormatAnnotatesEveryFailingCase() throws {
        let (dir, files) = try ReportRobustnessTests.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try ReportRobustnessTests.run(["--fixtures", dir.path, "--format", "github"], in: dir)
        #expect(outcome.status == 1)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count { $0.hasPrefix("::error file=") } == 9)
        #expect(lines.count == 10)
        #expect(try #require(lines.last).hasSuffix(" passed, 9 failed, 0 skipped"))
        let mixed = GitHubReport.escapeProperty(dir.appendingPathComponent(files["mixed"]!).path)
        #expect(lines.contains { $0.hasPrefix("::error file=\(mixed),title=math.squared_hinge/") && $0.contains("%0A  expected:  12345.5%0A") })
        #expect(outcome.stderr.isEmpty, "the closing line is already on stdout")
    }
}
