import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import HingeConformance

/// Parses XML and collects every element's attributes, failing on malformed input.
final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append((name, attributes))
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    static func parse(_ xml: String) -> (ok: Bool, collector: XMLCollector, error: String?) {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        let ok = parser.parse()
        return (ok, collector, parser.parserError.map { "\($0)" })
    }
}

@Suite("Reports")
struct ReportTests {
    static let nastyIDs = [
        #"quote " and apostrophe '"#, "amp & lt < gt >", "cdata ]]> end", "control \u{01}\u{1F} chars",
        "tab\tnewline\ncr\r", "non-ASCII é → 𝔁 中文", "form\u{0C}feed", "nonchar \u{FFFE}",
    ]

    func sampleReport() -> RunReport {
        var results = Self.nastyIDs.enumerated().map { i, id in
            CaseResult(
                suite: i % 2 == 0 ? "suite.a" : "suite<b>", id: id, file: "f&\"\u{02}.json",
                status: [.passed, .failed, .skipped][i % 3], message: i % 3 == 0 ? nil : "message with \(id)",
                outputs: [OutputComparison(name: "output", passed: i % 3 != 1, maxAbsError: i == 1 ? .infinity : 0.5, maxULP: 3)],
                duration: .milliseconds(i))
        }
        results.append(CaseResult(suite: "suite.a", id: "nan-error", file: "f", status: .failed, message: "m",
                                  outputs: [OutputComparison(name: "o", passed: false, maxAbsError: .nan, maxULP: nil)]))
        return RunReport(results: results, unmatchedExpectedFailures: ["suite.a/stale"])
    }

    @Test func junitIsWellFormedWhateverTheStringsContain() throws {
        let report = sampleReport()
        let xml = JUnitReport.render(report)
        let (ok, collector, error) = XMLCollector.parse(xml)
        #expect(ok, "JUnit not well-formed: \(error ?? "")")
        let testcases = collector.elements.filter { $0.name == "testcase" }
        #expect(testcases.count == report.results.count)
        #expect(collector.elements.filter { $0.name == "failure" }.count == report.failed)
        #expect(collector.elements.filter { $0.name == "skipped" }.count == report.skipped)
        #expect(collector.elements.filter { $0.name == "testsuite" }.map { $0.attributes["name"] } == ["suite.a", "suite<b>"])
        // Characters XML can carry survive the round trip exactly.
        let carried = Self.nastyIDs.filter { id in !id.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" || $0.value == 0xFFFE } }
        let names = Set(testcases.compactMap { $0.attributes["name"] })
        for id in carried { #expect(names.contains(id), "lost \(id)") }
        let suites = collector.elements.first { $0.name == "testsuites" }?.attributes
        #expect(suites?["tests"] == "\(report.results.count)")
        #expect(suites?["failures"] == "\(report.failed)")
    }

    @Test func junitFailureNamesTheOutput() {
        let result = CaseResult(
            suite: "s", id: "i", file: "x.json", status: .failed,
            message: "grad_z: 1 of 2 elements differ; worst at [1]: actual 1.0, expected 2.0 (...)",
            outputs: [OutputComparison(name: "grad_z", passed: false, maxAbsError: 1, maxULP: 9)])
        let (ok, collector, _) = XMLCollector.parse(JUnitReport.render(RunReport(results: [result])))
        #expect(ok)
        let failure = collector.elements.first { $0.name == "failure" }
        #expect(failure?.attributes["message"]?.hasPrefix("grad_z: 1 of 2 elements differ; worst at [1]") == true)
        #expect(collector.text.contains("grad_z: FAILED"))
    }

    @Test func jsonReportParsesBackWithTheDocumentedFields() throws {
        let report = sampleReport()
        let parsed = try JSONParser.parse(JSONReport.render(report))
        let root = try #require(parsed.objectValue)
        let summary = try #require(root["summary"]?.objectValue)
        #expect(summary["passed"]?.numberValue?.int64Value == Int64(report.passed))
        #expect(summary["failed"]?.numberValue?.int64Value == Int64(report.failed))
        #expect(summary["skipped"]?.numberValue?.int64Value == Int64(report.skipped))
        let cases = try #require(root["cases"]?.arrayValue)
        #expect(cases.count == report.results.count)
        for (entry, result) in zip(cases, report.results) {
            let object = try #require(entry.objectValue)
            #expect(Array(object.keys.prefix(6)) == ["suite", "id", "status", "message", "max_abs_error", "max_ulp"])
            #expect(object["id"]?.stringValue == result.id)
            #expect(object["status"]?.stringValue == result.status.rawValue)
        }
        #expect(cases[1].objectValue?["max_abs_error"]?.stringValue == "inf")
        #expect(cases.last?.objectValue?["max_abs_error"]?.stringValue == "nan")
        #expect(cases.last?.objectValue?["max_ulp"] == .null)
        #expect(cases[0].objectValue?["message"] == .null)
    }

    @Test func textReportHasALinePerSuiteAndEndsWithTheSummaryLine() {
        let report = sampleReport()
        let text = TextReport.render(report)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.dropLast().last.map(String.init) == report.summaryLine)
        #expect(lines.first?.hasPrefix("suite.a   2 passed, 2 failed, 1 skipped  worst 3 ULP, |Δ| nan") == true, "\(lines[0])")
        #expect(lines.contains { $0.hasPrefix("suite<b>  1 passed, 2 failed, 1 skipped  worst 3 ULP, |Δ| inf") })
        #expect(text.contains("warning: expected failure 'suite.a/stale' matched no case"))
        // Every failure in full, with its file; passing and skipped cases only in the verbose report.
        #expect(text.contains("FAIL suite.a/nan-error\n  file: f\n  m\n"))
        #expect(text.contains("FAIL suite.a/tab\tnewline\ncr\r\n  file: f&\"\u{02}.json\n  message with tab"))
        #expect(!text.contains("pass  "))
        let verbose = TextReport.render(report, verbose: true)
        #expect(verbose.contains("pass  "))
        #expect(verbose.contains("FAIL  "))
        #expect(verbose.contains("skip  "))
    }
}

@Suite("JSON")
struct JSONTests {
    @Test func roundTripPreservesOrderNumbersAndEscapes() throws {
        let text = #"{"b": [1, -0.0, 1e-7, 12345678901234567890], "a": {"s": "q\"\\\/\b\f\n\r\t\u0001\u00e9\ud835\udc01"}, "n": null, "t": true}"#
        let value = try JSONParser.parse(text)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "n", "t"])
        #expect(object["a"]?.objectValue?["s"]?.stringValue == "q\"\\/\u{08}\u{0C}\n\r\t\u{01}é𝐁")
        let list = try #require(object["b"]?.arrayValue)
        let numbers = list.compactMap(\.numberValue)
        #expect(numbers.map(\.text) == ["1", "-0.0", "1e-7", "12345678901234567890"])
        #expect(numbers.map(\.isInteger) == [true, false, false, true])
        #expect(numbers[3].int64Value == nil)
        let again = try JSONParser.parse(value.serialized())
        #expect(again == value)
        #expect(try JSONParser.parse(value.serialized(indent: nil)) == value)
    }

    @Test(arguments: [
        "01", "1.", ".5", "-", "+1", "1e", "0x10", "[1,]", "{\"a\" 1}", "{'a': 1}", "[1 2]", "tru", "nul",
        "\"\\x\"", "\"\\u12\"", "\"unterminated", "Infinity", "-Infinity", "NaN", "// c\n{}", "{\"a\":1}}",
    ])
    func rejectsWhatPythonRejects(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func errorPositionIsLineAndColumn() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": [1,\n   x]}")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 4)
        }
    }

    @Test func loneSurrogateBecomesReplacementCharacter() throws {
        #expect(try JSONParser.parse(#""\ud800x""#).stringValue == "\u{FFFD}x")
    }
}
