import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import HingeConformance

/// Issue 8: reports that survive. The `hinge-conformance` command, run as a process
/// over a folder that mixes good fixture files, broken ones and a file of an unknown
/// suite, names every file and fails; and the JUnit report stays well-formed XML, with
/// every id and message intact, whatever characters they hold.
@Suite("Reports that survive")
struct ReportRobustnessTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    // MARK: The command over a folder of good and broken files

    /// The built `hinge-conformance` next to this test bundle (`swift build` and `swift test`
    /// build every product of the package into the same folder).
    static func commandURL() -> URL? {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            packageRoot.appendingPathComponent(".build/debug"),
        ]
        return candidates.compactMap { $0?.appendingPathComponent("hinge-conformance") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in folder: URL) throws -> Outcome {
        guard let command = commandURL() else {
            throw CaseError(.invalidParameter, argument: "hinge-conformance", "the command is not built next to the tests (run `swift build`)")
        }
        let out = folder.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let err = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = command
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "the command died of signal \(process.terminationStatus)")
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    static func bundled(_ name: String) throws -> JSONObject {
        let data = try #require(FileManager.default.contents(atPath: packageRoot.appendingPathComponent("fixtures/\(name)").path))
        return try #require(try JSONParser.parse([UInt8](data)).objectValue)
    }

    static func write(_ object: JSONObject, to url: URL) throws {
        try JSONValue.object(object).serialized().write(to: url, atomically: true, encoding: .utf8)
    }

    /// A folder with every kind of file, and the files the report must name.
    static func mixedFolder() throws -> (folder: URL, files: [String: String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hc-robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested/deeper"), withIntermediateDirectories: true)
        var files: [String: String] = [:]

        // Good: a bundled fixture as it is, and another one two folders down.
        try write(try bundled("math.hinge.json"), to: dir.appendingPathComponent("good.json"))
        files["good"] = "good.json"
        try write(try bundled("optax.hinge_loss.json"), to: dir.appendingPathComponent("nested/deeper/also-good.json"))
        files["nested"] = "nested/deeper/also-good.json"

        // A bad case and a wrong expected value among good cases.
        var mixed = try bundled("math.squared_hinge.json")
        var cases = try #require(mixed["cases"]?.arrayValue)
        var broken = try #require(cases[2].objectValue)
        broken["inputs"] = nil
        cases[2] = .object(broken)
        var wrong = try #require(cases[5].objectValue)
        var expected = try #require(wrong["expected"]?.objectValue)
        var output = try #require(expected["output"]?.objectValue)
        let data = try #require(output["data"]?.arrayValue)
        output["data"] = .array(data.map { _ in .float(12345.5) })
        expected["output"] = .object(output)
        wrong["expected"] = .object(expected)
        cases[5] = .object(wrong)
        mixed["cases"] = .array(cases)
        try write(mixed, to: dir.appendingPathComponent("mixed.json"))
        files["mixed"] = "mixed.json"

        // Broken files: not JSON, another format, a newer version, the wrong top-level type.
        try "{\"format\": \"hinge-conformance/fixture\", \"cases\": [".write(to: dir.appendingPathComponent("truncated.json"), atomically: true, encoding: .utf8)
        files["truncated"] = "truncated.json"
        var other = try bundled("math.hinge.json")
        other["format"] = .string("onnx-test-vectors")
        try write(other, to: dir.appendingPathComponent("nested/wrong-format.json"))
        files["wrong-format"] = "nested/wrong-format.json"
        var newer = try bundled("math.hinge.json")
        newer["format_version"] = .number(JSONNumber(2))
        try write(newer, to: dir.appendingPathComponent("newer.json"))
        files["newer"] = "newer.json"
        try "[1, 2, 3]".write(to: dir.appendingPathComponent("list.json"), atomically: true, encoding: .utf8)
        files["list"] = "list.json"

        // A well-formed file of a suite nobody implements.
        var unknown = try bundled("math.hinge.json")
        unknown["suite"] = .string("keras.losses.not_a_loss")
        unknown["cases"] = .array(Array(try #require(unknown["cases"]?.arrayValue).prefix(3)))
        try write(unknown, to: dir.appendingPathComponent("unknown-suite.json"))
        files["unknown"] = "unknown-suite.json"

        // Not a fixture: ignored.
        try "notes".write(to: dir.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        return (dir, files)
    }

    @Test func commandReportsEveryFileAndFails() throws {
        let (dir, files) = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try Self.run(["--fixtures", dir.path], in: dir)
        #expect(outcome.status == 1, "exit status \(outcome.status); stderr: \(outcome.stderr)")
        // The default report names the file of every failure; the verbose one every file.
        let verbose = try Self.run(["--fixtures", dir.path, "--verbose"], in: dir)
        #expect(verbose.status == 1)
        for (key, file) in files.sorted(by: { $0.key < $1.key }) {
            #expect(verbose.stdout.contains(dir.appendingPathComponent(file).path), "\(file) is not named in the verbose report")
            guard key != "good", key != "nested" else { continue }
            #expect(outcome.stdout.contains("  file: " + dir.appendingPathComponent(file).path), "\(file) is not named in the report")
        }
        #expect(!outcome.stdout.contains("README.txt"))
        #expect(!verbose.stdout.contains("README.txt"))
        // The fates: broken files under fixture-file with the reader's reason, each on its line.
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        func line(naming file: String, containing text: String) -> Bool {
            lines.contains { $0.contains(dir.appendingPathComponent(file).path) && $0.contains(text) }
        }
        #expect(line(naming: files["truncated"]!, containing: "invalid JSON"))
        #expect(line(naming: files["wrong-format"]!, containing: "unknown format"))
        #expect(line(naming: files["newer"]!, containing: "newer than this reader supports"))
        #expect(line(naming: files["list"]!, containing: "must be an object"))
        #expect(line(naming: files["mixed"]!, containing: "inputs: must be an object of arrays"))
        #expect(outcome.stdout.contains("no implementation for suite keras.losses.not_a_loss"))
        #expect(outcome.stdout.contains("output: "), "the wrong expected value is reported by output name")
        // A line per suite, then every failure in full under a `FAIL suite/id` line.
        #expect(lines.contains { $0.hasPrefix("math.hinge ") && $0.contains(" 0 failed, 0 skipped  worst ") })
        #expect(lines.contains { $0.hasPrefix("optax.hinge_loss ") && $0.contains(" 0 failed, 0 skipped  worst ") })
        #expect(lines.contains { $0.hasPrefix("fixture-file ") && $0.contains(" 0 passed, 4 failed") })
        #expect(lines.count { $0.hasPrefix("FAIL ") } == 9)
        #expect(lines.contains("  file: " + dir.appendingPathComponent(files["mixed"]!).path))
        #expect(lines.contains { $0.hasPrefix("    expected:  12345.5") })
        // 4 unreadable files, the broken and the wrong case, 3 cases of the unknown suite.
        let summary = try #require(lines.last)
        #expect(summary.hasSuffix(" passed, 9 failed, 0 skipped"), "\(summary)")
    }

    @Test func junitAndJSONReportsOfTheSameFolderNameEveryFile() throws {
        let (dir, files) = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let junit = dir.appendingPathComponent("report.xml")
        let outcome = try Self.run(["--fixtures", dir.path, "--format", "junit", "--output", junit.path], in: dir)
        #expect(outcome.status == 1)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        let tree = XMLTree.parse(xml)
        #expect(tree.ok, "\(tree.error ?? "")")
        let named = Set(tree.elements.flatMap { [$0.attributes["value"], $0.attributes["name"]].compactMap { $0 } })
        for (_, file) in files {
            #expect(named.contains(dir.appendingPathComponent(file).path), "\(file) missing from the JUnit report")
        }
        let json = try Self.run(["--fixtures", dir.path, "--format", "json"], in: dir)
        #expect(json.status == 1)
        let root = try #require(try JSONParser.parse(json.stdout).objectValue)
        let failed = try #require(root["summary"]?.objectValue?["failed"]?.numberValue?.int64Value)
        #expect(failed >= 8)
        #expect(json.stderr.contains("\(failed) failed"))
    }

    @Test func brokenFilesSurviveFiltersAndShards() throws {
        let (dir, _) = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A filter that matches no case still runs (and fails on) the broken files.
        let filtered = try Self.run(["--fixtures", dir.path, "--filter", "matches/nothing/at/all"], in: dir)
        #expect(filtered.status == 1)
        #expect(filtered.stdout.contains("0 passed, 4 failed, 0 skipped"))
        // Shards cover every item once between them, broken files included.
        var failed = 0
        for i in 0..<3 {
            let shard = try Self.run(["--fixtures", dir.path, "--shard", "\(i)/3", "--quiet"], in: dir)
            let summary = try #require(shard.stdout.split(separator: "\n").last)
            failed += Int(summary.split(separator: " ")[2])!
        }
        let whole = try Self.run(["--fixtures", dir.path, "--quiet"], in: dir)
        #expect(Int(try #require(whole.stdout.split(separator: "\n").last).split(separator: " ")[2]) == failed)
    }

    @Test func goodFilesAloneSucceed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hc-good-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(try Self.bundled("math.hinge.json"), to: dir.appendingPathComponent("a.json"))
        let outcome = try Self.run(["--fixtures", dir.path, "--quiet"], in: dir)
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.hasSuffix(" passed, 0 failed, 0 skipped\n"))
    }

    /// Options the command refuses before running anything: ArgumentParser's usage error (64).
    @Test(arguments: [["--shard", "3/3"], ["--shard", "x"], ["--shard", "1/0"], ["--format", "yaml"], ["--no-such-option"]])
    func badOptionsAreUsageErrors(_ arguments: [String]) throws {
        let dir = FileManager.default.temporaryDirectory
        let outcome = try Self.run(arguments, in: dir)
        #expect(outcome.status == 64, "\(arguments): status \(outcome.status)")
        #expect(!outcome.stderr.isEmpty)
        #expect(outcome.stderr.contains(arguments[0].trimmingCharacters(in: CharacterSet(charactersIn: "-"))) || outcome.stderr.contains("Unknown option"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func missingFixturePathIsAFailureNamingIt() throws {
        let dir = FileManager.default.temporaryDirectory
        let missing = dir.appendingPathComponent("hc-missing-\(UUID().uuidString)/none.json").path
        let outcome = try Self.run(["--fixtures", missing], in: dir)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("\(missing): no such file or folder"))
    }

    // MARK: JUnit whatever the strings hold

    /// Characters XML 1.0 cannot carry at all: C0 controls but tab, newline and
    /// carriage return, and U+FFFE, U+FFFF.
    static func isXMLChar(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    static let nasty: [String] = {
        var strings = [
            "plain", "", " ", "quote \" apostrophe ' both \"'", "amp & entity &amp; &#0; &#x41; &lt;", "<tag attr=\"v\">text</tag>",
            "cdata ]]> end", "]]>", "<![CDATA[ x ]]>", "<!-- comment -->", "<?xml version=\"1.0\"?>", "--", "trailing &",
            "tab\tnewline\ncarriage\rcrlf\r\n", "\n\n", "\r", "  leading and trailing spaces  ",
            "non-ASCII é ü ß → ∑ 中文 日本語 한국어 עברית العربية", "emoji 😀 👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽", "combining e\u{301} a\u{30A}\u{31B}",
            "U+007F \u{7F} U+0085 \u{85} U+009F \u{9F}", "U+2028 \u{2028} U+2029 \u{2029}", "U+FEFF \u{FEFF} U+FFFD \u{FFFD}",
            "noncharacters \u{FFFE} \u{FFFF}", "U+FDD0 \(Character(Unicode.Scalar(0xFDD0)!)) U+10FFFF \(Character(Unicode.Scalar(0x10FFFF)!)) U+E000 \u{E000}", "NUL \u{0} inside",
            String(repeating: "long ", count: 2000),
        ]
        for c in 0..<0x20 { strings.append("C0 \(c): [\(Character(Unicode.Scalar(UInt8(c))))]") }
        // Random strings over every plane, controls and markup included.
        var generator = SplitMix64(seed: 8)
        let pool: [Unicode.Scalar] = ["<", ">", "&", "\"", "'", "]", "\u{0}", "\u{1B}", "\t", "\n", "\r", "\u{FFFE}", "\u{FFFF}"]
        for _ in 0..<300 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 24) {
                let r = generator.next()
                if r % 3 == 0 {
                    s.append(pool[Int(r / 3 % UInt64(pool.count))])
                } else if let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: (r >> 8) % 0x110000)) {
                    s.append(scalar)
                }
            }
            strings.append(String(s))
        }
        return strings
    }()

    /// What an attribute or text holding `s` reads back as: `s` itself where XML can carry
    /// it, and the report's visible `\u{X}` for the characters it cannot.
    static func readBack(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if isXMLChar(scalar) { out.unicodeScalars.append(scalar) } else { out += "\\u{\(String(scalar.value, radix: 16))}" }
        }
        return out
    }

    @Test func escapeReadsBackThroughAnXMLParser() {
        for (i, s) in Self.nasty.enumerated() {
            let escaped = JUnitReport.escape(s)
            #expect(escaped.unicodeScalars.allSatisfy(Self.isXMLChar), "string \(i): unescaped character")
            let tree = XMLTree.parse("<r a=\"\(escaped)\" b='\(escaped)'>\(escaped)</r>")
            #expect(tree.ok, "string \(i) \(s.debugDescription): \(tree.error ?? "")")
            #expect(tree.elements.first?.attributes["a"] == Self.readBack(s), "string \(i) \(s.debugDescription)")
            #expect(tree.elements.first?.attributes["b"] == Self.readBack(s), "string \(i) \(s.debugDescription)")
            #expect(tree.elements.first?.text == Self.readBack(s), "string \(i) \(s.debugDescription)")
        }
    }

    /// A whole report whose suites, ids, files and messages are the nasty strings: it parses,
    /// and every one of them reads back where the report put it.
    @Test func junitReportOfNastyStringsRoundTrips() {
        let results = Self.nasty.enumerated().map { i, s in
            CaseResult(
                suite: i % 7 == 0 ? "suite \(s)" : "suite.\(i % 3)", id: "\(i) \(s)", file: "f\(i % 5) \(s).json",
                status: [.passed, .failed, .skipped][i % 3], message: i % 3 == 0 ? nil : "message \(s)",
                outputs: [OutputComparison(name: "out \(s)", passed: i % 3 != 1, maxAbsError: [0.5, .nan, .infinity][i % 3], maxULP: 3)],
                duration: .milliseconds(i))
        }
        let report = RunReport(results: results)
        let xml = JUnitReport.render(report)
        let tree = XMLTree.parse(xml)
        #expect(tree.ok, "\(tree.error ?? "")")
        let testcases = tree.elements.filter { $0.name == "testcase" }
        #expect(testcases.count == results.count)
        #expect(Set(tree.elements.filter { $0.name == "testsuite" }.compactMap { $0.attributes["name"] }) == Set(results.map { Self.readBack($0.suite) }))
        for (element, result) in zip(testcases, report.resultsBySuite.flatMap(\.results)) {
            #expect(element.attributes["name"] == Self.readBack(result.id))
            #expect(element.attributes["classname"] == Self.readBack(result.suite))
        }
        let failures = tree.elements.filter { $0.name == "failure" }
        let failed = report.resultsBySuite.flatMap(\.results).filter { $0.status == .failed }
        #expect(failures.count == failed.count)
        for (element, result) in zip(failures, failed) {
            #expect(element.attributes["message"] == Self.readBack(result.message!))
            #expect(element.text.hasPrefix("file: " + Self.readBack(result.file) + "\n" + Self.readBack(result.message!) + "\n"))
        }
        let skipped = tree.elements.filter { $0.name == "skipped" }
        #expect(skipped.map { $0.attributes["message"] } == report.resultsBySuite.flatMap(\.results).filter { $0.status == .skipped }.map { Self.readBack($0.message!) })
        let fileProperties = Set(tree.elements.filter { $0.attributes["name"] == "fixture_file" }.compactMap { $0.attributes["value"] })
        #expect(fileProperties == Set(results.map { Self.readBack($0.file) }))
    }
}

/// Every element of an XML document with its attributes and its own text, or the parser's error.
final class XMLTree: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }
    var elements: [Element] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(Element(name: name, attributes: attributes))
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    static func parse(_ xml: String) -> (ok: Bool, elements: [Element], error: String?) {
        let tree = XMLTree()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = tree
        let ok = parser.parse()
        return (ok, tree.elements, parser.parserError.map { "\($0)" })
    }
}
