import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import HingeConformance

/// Replays every input in `tools/fuzz/regressions/` (crashers the libFuzzer target
/// `tools/fuzz/run.sh` found, committed once fixed) through the reader, with the
/// fuzzer's own invariants: no crash, a parsed value survives serialising, and
/// `validate` agrees with `decode`.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/fuzz/regressions")

    /// Every regular file of the folder, `.keep` included (an empty input is a fine regression too).
    static let inputs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
    }()

    @Test func theFolderIsThere() {
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: Self.folder.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(!Self.inputs.isEmpty, "tools/fuzz/regressions/ holds at least its .keep")
    }

    @Test(arguments: inputs)
    func replay(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Self.folder.appendingPathComponent(name).path))
        Self.check(Array(data), path: name)
    }

    /// The invariants of `tools/fuzz/FuzzFixtureReader.swift`, as expectations.
    static func check(_ bytes: [UInt8], path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let value = try? JSONParser.parse(bytes) {
            for indent in [nil, 2] as [Int?] {
                let again = try? JSONParser.parse(value.serialized(indent: indent))
                #expect(again == value, "\(path): JSON round trip (indent \(indent.map(String.init) ?? "nil"))", sourceLocation: sourceLocation)
            }
        }
        let problems = FixtureDecoder.validate(bytes, path: path)
        var results: [CaseResult] = []
        do {
            let file = try FixtureDecoder.decode(bytes, path: path)
            #expect(problems == file.invalidCases.map(\.error), "\(path): validate and decode disagree", sourceLocation: sourceLocation)
            #expect(problems.isEmpty == file.invalidCases.isEmpty, sourceLocation: sourceLocation)
            results += file.cases.map { CaseResult(suite: file.suite, id: $0.id, file: path, status: .passed) }
            results += file.invalidCases.map {
                CaseResult(suite: file.suite, id: $0.displayID, file: path, status: .failed, message: $0.error.description)
            }
        } catch {
            #expect(problems == [error], "\(path): decode failed with \(error) but validate found \(problems)", sourceLocation: sourceLocation)
            results.append(CaseResult(suite: RunItem.unreadableSuite, id: path, file: path, status: .failed, message: error.description))
        }
        // The reports echo what the file held: the JUnit one must stay well-formed.
        let report = RunReport(results: results)
        let parser = XMLParser(data: Data(JUnitReport.render(report).utf8))
        #expect(parser.parse(), "\(path): JUnit report not well-formed: \(parser.parserError.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
        #expect(TextReport.render(report).hasSuffix(report.summaryLine + "\n"), sourceLocation: sourceLocation)
        #expect((try? JSONParser.parse(JSONReport.render(report))) != nil, "\(path): JSON report does not parse", sourceLocation: sourceLocation)
    }

    /// The same invariants over the inputs the fuzzer is seeded with, so the replay itself
    /// is exercised while the folder holds no crasher: the bundled fixtures cut at many
    /// lengths, and mutations of a small file.
    @Test func invariantsHoldOnSeedLikeInputs() throws {
        let root = Self.folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("fixtures/math.crammer_singer.json").path
        let bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
        for k in stride(from: 0, through: bytes.count, by: max(1, bytes.count / 64)) {
            Self.check(Array(bytes[0..<k]), path: "cut-\(k)")
        }
        Self.check(bytes, path: "whole")
        // Byte flips and insertions on a small document, from a fixed seed.
        let small = Array(JSONValue.object(baseDocument()).serialized().utf8)
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array(#"{}[],:"\-0123456789.eE nultrfas\u"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF]
        for i in 0..<400 {
            var mutated = small
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(mutated.count))
                let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                if generator.next() % 2 == 0 { mutated[position] = byte } else { mutated.insert(byte, at: position) }
            }
            Self.check(mutated, path: "mutant-\(i)")
        }
    }
}
