import Foundation
import Testing

@testable import HingeConformance

/// Issue 8: what `FixtureDecoderErrorTests` does not already cover. Truncated files at
/// every length, values of the wrong JSON type in every field, numbers past what a
/// double or an int64 holds, shapes past what `Int` counts, nesting at and past the
/// parser's limit; and the runner's options. Every broken file or case must give a
/// `FixtureError` naming the file, the case and the field; nothing may trap.
@Suite("Fixture reader: hardening")
struct FixtureReaderHardeningTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every proper prefix of a valid file is a file-level error (a JSON object cannot end
    /// early), and `validate` reports exactly that one problem.
    @Test func everyTruncationIsAFileLevelError() throws {
        var doc = baseDocument()
        let good = doc["cases"]!.arrayValue![0]
        doc["cases"] = .array([good, .object(["id": .string("second"), "inputs": .object([:]), "expected_error": .object(["kind": .string("invalid_target")])])])
        let bytes = Array(JSONValue.object(doc).serialized().utf8)
        let end = bytes.lastIndex(of: UInt8(ascii: "}"))!
        _ = try FixtureDecoder.decode(bytes, path: "full.json")
        for length in 0...end {
            let prefix = Array(bytes[0..<length])
            expectFileLevelError(prefix, path: "dir/cut-\(length).json")
        }
    }

    /// The same with a real fixture file, cut at 400 evenly spaced lengths.
    @Test func truncatedBundledFixtureIsAFileLevelError() throws {
        let path = Self.packageRoot.appendingPathComponent("fixtures/math.hinge.json").path
        let bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
        _ = try FixtureDecoder.decode(bytes, path: path)
        let end = bytes.lastIndex(of: UInt8(ascii: "}"))!
        for k in 0..<400 {
            expectFileLevelError(Array(bytes[0..<(end * k / 400)]), path: "math.hinge.json")
        }
    }

    func expectFileLevelError(_ bytes: [UInt8], path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try FixtureDecoder.decode(bytes, path: path)
            Issue.record("a truncated file of \(bytes.count) bytes decoded", sourceLocation: sourceLocation)
        } catch {
            #expect(error.file == path, sourceLocation: sourceLocation)
            #expect(error.caseID == nil && error.field.isEmpty, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains("invalid JSON") || error.message.contains("unexpected end"), "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
            #expect(FixtureDecoder.validate(bytes, path: path) == [error], sourceLocation: sourceLocation)
        }
    }

    // MARK: File level: wrong types and numbers out of range

    struct FileLevel: Sendable, CustomTestStringConvertible {
        let name: String
        let edit: @Sendable (inout JSONObject) -> Void
        let field: String
        let fragment: String
        var testDescription: String { name }
    }

    static func number(_ text: String) -> JSONValue { .number(JSONNumber(validatedText: text, isInteger: !text.contains { "eE.".contains($0) })) }

    static let fileLevel: [FileLevel] = [
        FileLevel(name: "format as a number", edit: { $0["format"] = number("1") }, field: "format", fragment: "unknown format"),
        FileLevel(name: "format null", edit: { $0["format"] = .null }, field: "format", fragment: "unknown format"),
        FileLevel(name: "format_version null", edit: { $0["format_version"] = .null }, field: "format_version", fragment: "must be the integer 1"),
        FileLevel(name: "format_version false", edit: { $0["format_version"] = .bool(false) }, field: "format_version", fragment: "must be the integer 1"),
        FileLevel(name: "format_version 1e400", edit: { $0["format_version"] = number("1e400") }, field: "format_version", fragment: "newer"),
        FileLevel(name: "format_version -1e400", edit: { $0["format_version"] = number("-1e400") }, field: "format_version", fragment: "unsupported"),
        FileLevel(name: "format_version 1.5", edit: { $0["format_version"] = number("1.5") }, field: "format_version", fragment: "newer"),
        FileLevel(
            name: "format_version past Int64", edit: { $0["format_version"] = number("99999999999999999999999") }, field: "format_version",
            fragment: "newer"),
        FileLevel(name: "suite as a number", edit: { $0["suite"] = number("7") }, field: "suite", fragment: "non-empty string"),
        FileLevel(name: "suite as a list", edit: { $0["suite"] = .array([.string("math.hinge")]) }, field: "suite", fragment: "non-empty string"),
        FileLevel(name: "provenance as a list", edit: { $0["provenance"] = .array([]) }, field: "provenance", fragment: "object"),
        FileLevel(name: "cases null", edit: { $0["cases"] = .null }, field: "cases", fragment: "list"),
        FileLevel(name: "cases as a string", edit: { $0["cases"] = .string("[]") }, field: "cases", fragment: "list"),
        FileLevel(name: "default_tolerance as a list", edit: { $0["default_tolerance"] = .array([]) }, field: "default_tolerance", fragment: "object"),
        FileLevel(
            name: "default_tolerance for an unknown dtype", edit: { $0["default_tolerance"] = .object(["float16": .object(["rtol": number("0")])]) },
            field: "default_tolerance.float16", fragment: "float32 and float64"),
        FileLevel(
            name: "default_tolerance rtol 1e400",
            edit: { $0["default_tolerance"] = .object(["float64": .object(["rtol": number("1e400")])]) },
            field: "default_tolerance.float64.rtol", fragment: "finite"),
        FileLevel(
            name: "unknown top-level field after the others", edit: { $0["zzz_cases_v2"] = .array([]) }, field: "zzz_cases_v2",
            fragment: "unknown top-level field"),
    ]

    @Test(arguments: fileLevel)
    func fileLevelWrongTypes(_ example: FileLevel) {
        var doc = baseDocument()
        example.edit(&doc)
        do {
            _ = try decode(doc, path: "sub/f.json")
            Issue.record("decoded: \(example.name)")
        } catch {
            #expect(error.file == "sub/f.json")
            #expect(error.caseID == nil)
            #expect(error.field == example.field, "\(error)")
            #expect(error.message.contains(example.fragment), "\(error.message)")
            #expect(FixtureDecoder.validate(Array(JSONValue.object(doc).serialized().utf8), path: "sub/f.json") == [error])
        }
    }

    // MARK: Case level

    struct CaseLevel: Sendable, CustomTestStringConvertible {
        let name: String
        /// The case's JSON text (an object), written by hand so that any lexeme can appear.
        let text: String
        /// The case id the error must carry (`cases[0]` when the case has no usable id).
        let caseID: String
        let field: String
        let fragment: String
        var testDescription: String { name }
    }

    static func caseText(inputs: String = #"{"z": {"dtype": "float64", "shape": [1], "data": [1]}}"#, extra: String = "") -> String {
        #"{"id": "c1", "inputs": \#(inputs), "expected": {"output": {"dtype": "float64", "shape": [], "data": [1]}}\#(extra)}"#
    }
    static func input(_ dtype: String, _ shape: String, _ data: String) -> String {
        #"{"z": {"dtype": \#(dtype), "shape": \#(shape), "data": \#(data)}}"#
    }

    static let caseLevel: [CaseLevel] = [
        CaseLevel(name: "id as a number", text: #"{"id": 7, "inputs": {}, "expected": {}}"#, caseID: "cases[0]", field: "id", fragment: "non-empty string"),
        CaseLevel(name: "id null", text: #"{"id": null, "inputs": {}, "expected": {}}"#, caseID: "cases[0]", field: "id", fragment: "non-empty string"),
        CaseLevel(name: "case null", text: "null", caseID: "cases[0]", field: "", fragment: "must be an object"),
        CaseLevel(name: "case as a list", text: #"["c1"]"#, caseID: "cases[0]", field: "", fragment: "must be an object"),
        CaseLevel(name: "inputs as a list", text: caseText(inputs: "[]"), caseID: "c1", field: "inputs", fragment: "object of arrays"),
        CaseLevel(name: "input as a number", text: caseText(inputs: #"{"z": 3}"#), caseID: "c1", field: "inputs.z", fragment: "exactly {dtype, shape, data}"),
        CaseLevel(name: "input null", text: caseText(inputs: #"{"z": null}"#), caseID: "c1", field: "inputs.z", fragment: "exactly"),
        CaseLevel(name: "input as a bare list", text: caseText(inputs: #"{"z": [1, 2]}"#), caseID: "c1", field: "inputs.z", fragment: "exactly"),
        CaseLevel(
            name: "expected as a list", text: #"{"id": "c1", "inputs": {}, "expected": [1]}"#, caseID: "c1", field: "expected", fragment: "non-empty object"),
        CaseLevel(
            name: "expected output null", text: #"{"id": "c1", "inputs": {}, "expected": {"output": null}}"#, caseID: "c1", field: "expected.output",
            fragment: "exactly"),
        CaseLevel(
            name: "expected_error as a string", text: #"{"id": "c1", "inputs": {}, "expected_error": "invalid_target"}"#, caseID: "c1",
            field: "expected_error", fragment: "{kind, message?}"),
        CaseLevel(
            name: "expected_error kind as a number", text: #"{"id": "c1", "inputs": {}, "expected_error": {"kind": 1}}"#, caseID: "c1",
            field: "expected_error.kind", fragment: "must be one of"),
        CaseLevel(name: "tolerance as a list", text: caseText(extra: #", "tolerance": [0.1]"#), caseID: "c1", field: "tolerance", fragment: "rtol and/or atol"),
        CaseLevel(name: "tolerance rtol null", text: caseText(extra: #", "tolerance": {"rtol": null}"#), caseID: "c1", field: "tolerance.rtol", fragment: "finite number"),
        CaseLevel(name: "tolerance atol -0.5", text: caseText(extra: #", "tolerance": {"atol": -0.5}"#), caseID: "c1", field: "tolerance.atol", fragment: ">= 0"),
        CaseLevel(name: "tag null", text: caseText(extra: #", "tags": ["kink", null]"#), caseID: "c1", field: "tags[1]", fragment: "string"),
        CaseLevel(name: "params as a number", text: caseText(extra: #", "params": 1e400"#), caseID: "c1", field: "params", fragment: "object"),
        // dtype
        CaseLevel(name: "dtype as a number", text: caseText(inputs: input("64", "[1]", "[1]")), caseID: "c1", field: "inputs.z.dtype", fragment: "is not one of"),
        CaseLevel(name: "dtype null", text: caseText(inputs: input("null", "[1]", "[1]")), caseID: "c1", field: "inputs.z.dtype", fragment: "is not one of"),
        CaseLevel(name: "dtype Float64", text: caseText(inputs: input(#""Float64""#, "[1]", "[1]")), caseID: "c1", field: "inputs.z.dtype", fragment: "is not one of"),
        CaseLevel(name: "dtype int32", text: caseText(inputs: input(#""int32""#, "[1]", "[1]")), caseID: "c1", field: "inputs.z.dtype", fragment: "is not one of"),
        // shape
        CaseLevel(name: "shape as a string", text: caseText(inputs: input(#""float64""#, #""[1]""#, "[1]")), caseID: "c1", field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(name: "shape null", text: caseText(inputs: input(#""float64""#, "null", "[1]")), caseID: "c1", field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(name: "shape as an integer", text: caseText(inputs: input(#""float64""#, "1", "[1]")), caseID: "c1", field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(name: "shape with 1e400", text: caseText(inputs: input(#""float64""#, "[1e400]", "[1]")), caseID: "c1", field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(name: "shape with 1e0", text: caseText(inputs: input(#""float64""#, "[1e0]", "[1]")), caseID: "c1", field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(
            name: "shape past Int64", text: caseText(inputs: input(#""float64""#, "[9223372036854775808]", "[]")), caseID: "c1", field: "inputs.z.shape",
            fragment: "non-negative integers"),
        CaseLevel(
            name: "shape [Int.max, 2]", text: caseText(inputs: input(#""float64""#, "[9223372036854775807, 2]", "[]")), caseID: "c1", field: "inputs.z.data",
            fragment: "does not match shape"),
        CaseLevel(
            name: "shape [2^40, 2^40]", text: caseText(inputs: input(#""float32""#, "[1099511627776, 1099511627776]", "[1]")), caseID: "c1",
            field: "inputs.z.data", fragment: "does not match shape"),
        CaseLevel(
            name: "shape [Int.max, Int.max, 0] (overflows before the 0)", text: caseText(inputs: input(#""float64""#, "[9223372036854775807, 9223372036854775807, 0]", "[]")),
            caseID: "c1", field: "inputs.z.data", fragment: "does not match shape"),
        CaseLevel(name: "shape with a nested list", text: caseText(inputs: input(#""float64""#, "[[1]]", "[1]")), caseID: "c1", field: "inputs.z.shape", fragment: "non-negative integers"),
        // data
        CaseLevel(name: "data as an object", text: caseText(inputs: input(#""float64""#, "[1]", #"{"0": 1}"#)), caseID: "c1", field: "inputs.z.data", fragment: "must be a list"),
        CaseLevel(name: "data null", text: caseText(inputs: input(#""float64""#, "[1]", "null")), caseID: "c1", field: "inputs.z.data", fragment: "must be a list"),
        CaseLevel(name: "data as a string", text: caseText(inputs: input(#""float64""#, "[2]", #""1,2""#)), caseID: "c1", field: "inputs.z.data", fragment: "must be a list"),
        CaseLevel(name: "nested data", text: caseText(inputs: input(#""float64""#, "[2]", "[[1], [2]]")), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid float64"),
        CaseLevel(name: "float64 null", text: caseText(inputs: input(#""float64""#, "[2]", "[1, null]")), caseID: "c1", field: "inputs.z.data[1]", fragment: "not a valid float64"),
        CaseLevel(name: "float32 Infinity string", text: caseText(inputs: input(#""float32""#, "[1]", #"["Infinity"]"#)), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid float32"),
        CaseLevel(name: "int64 2^63", text: caseText(inputs: input(#""int64""#, "[1]", "[9223372036854775808]")), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid int64"),
        CaseLevel(name: "int64 -2^63 - 1", text: caseText(inputs: input(#""int64""#, "[1]", "[-9223372036854775809]")), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid int64"),
        CaseLevel(name: "int64 1e400", text: caseText(inputs: input(#""int64""#, "[1]", "[1e400]")), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid int64"),
        CaseLevel(name: "int64 1e2", text: caseText(inputs: input(#""int64""#, "[1]", "[1e2]")), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid int64"),
        CaseLevel(name: "int64 as a string", text: caseText(inputs: input(#""int64""#, "[1]", #"["1"]"#)), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid int64"),
        CaseLevel(name: "bool as a string", text: caseText(inputs: input(#""bool""#, "[1]", #"["true"]"#)), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid bool"),
        CaseLevel(name: "bool null", text: caseText(inputs: input(#""bool""#, "[1]", "[null]")), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid bool"),
        CaseLevel(name: "string null", text: caseText(inputs: input(#""string""#, "[2]", #"["a", null]"#)), caseID: "c1", field: "inputs.z.data[1]", fragment: "not a valid string"),
        CaseLevel(name: "string as an object", text: caseText(inputs: input(#""string""#, "[1]", "[{}]")), caseID: "c1", field: "inputs.z.data[0]", fragment: "not a valid string"),
    ]

    /// The broken case sits between two good ones: it alone fails, named by id and field,
    /// and `validate` lists exactly its problem.
    @Test(arguments: caseLevel)
    func caseLevelWrongTypesAndRanges(_ example: CaseLevel) throws {
        let good = #"{"id": "ok-%d", "inputs": {}, "expected": {"output": {"dtype": "bool", "shape": [], "data": [true]}}}"#
        let text = """
            {"format": "hinge-conformance/fixture", "format_version": 1, "suite": "s", "provenance": {},
             "cases": [\(good.replacingOccurrences(of: "%d", with: "a")), \(example.text), \(good.replacingOccurrences(of: "%d", with: "b"))]}
            """
        let bytes = Array(text.utf8)
        let file = try FixtureDecoder.decode(bytes, path: "dir/case.json")
        #expect(file.cases.map(\.id) == ["ok-a", "ok-b"])
        let invalid = try #require(file.invalidCases.first)
        #expect(file.invalidCases.count == 1)
        #expect(invalid.index == 1)
        #expect(invalid.error.file == "dir/case.json")
        #expect(invalid.error.caseID == (example.caseID == "cases[0]" ? "cases[1]" : example.caseID))
        #expect(invalid.error.field == example.field, "\(invalid.error)")
        #expect(invalid.error.message.contains(example.fragment), "\(invalid.error.message)")
        #expect(!invalid.error.description.contains("\n"))
        #expect(FixtureDecoder.validate(bytes, path: "dir/case.json") == [invalid.error])
    }

    /// What the format allows although it looks wrong: an empty array of Int.max rows,
    /// overflowing float lexemes, an integer lexeme past Int64 in float data, deep but
    /// legal nesting inside params.
    @Test func acceptsLegalExtremes() throws {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth - 10) + String(repeating: "]", count: JSONParser.maximumDepth - 10)
        let text = """
            {"format": "hinge-conformance/fixture", "format_version": 1.0, "suite": "s", "provenance": {"deep": \(deep)},
             "cases": [{"id": "c", "params": {"deep": \(deep)}, "inputs": {
               "empty": {"dtype": "float64", "shape": [9223372036854775807, 0], "data": []},
               "wide": {"dtype": "int64", "shape": [0, 9223372036854775807], "data": []},
               "minus-zero-rows": {"dtype": "bool", "shape": [-0, 3], "data": []},
               "big": {"dtype": "float64", "shape": [4], "data": [1e400, -1e400, 18446744073709551616, 1e-400]},
               "f32": {"dtype": "float32", "shape": [2], "data": [3.5e38, -1e300]},
               "i64": {"dtype": "int64", "shape": [2], "data": [9223372036854775807, -9223372036854775808]}},
              "expected": {"output": {"dtype": "bool", "shape": [], "data": [true]}}}]}
            """
        let file = try decode(text: text, path: "extremes.json")
        let c = try #require(file.cases.first)
        #expect(c.inputs["empty"]?.shape == [Int.max, 0])
        #expect(c.inputs["wide"]?.shape == [0, Int.max])
        guard case .float64(let big) = c.inputs["big"]?.storage, case .float32(let f32) = c.inputs["f32"]?.storage,
            case .int64(let i64) = c.inputs["i64"]?.storage
        else {
            Issue.record("wrong storage")
            return
        }
        #expect(c.inputs["minus-zero-rows"]?.shape == [0, 3])
        #expect(big == [.infinity, -.infinity, 18_446_744_073_709_551_616.0, 0])
        #expect(f32 == [.infinity, -.infinity])
        #expect(i64 == [.max, .min])
    }

    /// One level past the parser's limit, anywhere in the file, is a file-level error;
    /// the limit itself is not.
    @Test func nestingPastTheLimitInsideACase() throws {
        let limit = JSONParser.maximumDepth
        for depth in [limit - 5, limit - 4, limit - 3, limit + 1, 100_000] {
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            // The document and "cases", the case and "params" add four levels.
            let text = #"{"format": "hinge-conformance/fixture", "format_version": 1, "suite": "s", "provenance": {}, "cases": [{"id": "c", "params": {"p": \#(nested)}, "inputs": {}, "expected_error": {"kind": "invalid_target"}}]}"#
            let result = Result { () throws(FixtureError) in try decode(text: text, path: "deep.json") }
            switch result {
            case .success(let file):
                #expect(depth + 4 <= limit, "depth \(depth) decoded")
                #expect(file.cases.count == 1)
            case .failure(let error):
                #expect(depth + 4 > limit, "depth \(depth): \(error)")
                #expect(error.field.isEmpty && error.caseID == nil)
                #expect(error.message.contains("nested deeper than \(JSONParser.maximumDepth)"), "\(error.message)")
            }
        }
    }

    /// Many unknown fields at every level: the first is named, and an unknown field never
    /// hides a case's other problems from its siblings.
    @Test func unknownFieldsAtEveryLevel() throws {
        let text = """
            {"format": "hinge-conformance/fixture", "format_version": 1, "suite": "s", "provenance": {"anything": {"goes": [1]}},
             "cases": [
               {"id": "a", "inputs": {}, "expected_error": {"kind": "invalid_target"}, "comment": "x"},
               {"id": "b", "inputs": {"z": {"dtype": "bool", "shape": [], "data": [true], "strides": [8]}}, "expected_error": {"kind": "invalid_target"}},
               {"id": "c", "inputs": {}, "expected_error": {"kind": "invalid_target", "traceback": []}},
               {"id": "d", "inputs": {}, "expected_error": {"kind": "invalid_target"}, "tolerance": {"rtol": 0, "ulp": 1}},
               {"id": "e", "inputs": {}, "expected_error": {"kind": "invalid_target"}, "context": {"unknown": "fine"}, "params": {"x": null}}
             ]}
            """
        let file = try decode(text: text, path: "u.json")
        #expect(file.cases.map(\.id) == ["e"])
        #expect(file.invalidCases.map(\.error.field) == ["comment", "inputs.z", "expected_error.traceback", "tolerance.ulp"])
    }

    // MARK: Runner options

    @Test(arguments: ["3/3", "-1/2", "1", "a/b", "0/0", "1/-2", "", "/", "1/2/3", " 0/2", "0/2 ", "0 / 2", "9223372036854775808/1", "0x1/2", "1.0/2"])
    func badShardsNameTheOption(_ text: String) {
        do {
            _ = try CaseSelection.Shard(parsing: text)
            Issue.record("accepted shard '\(text)'")
        } catch {
            #expect(error.errorKind == .invalidParameter)
            #expect(error.argument == "shard")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func extremeButValidShards() throws {
        let big = try CaseSelection.Shard(parsing: "9223372036854775806/9223372036854775807")
        #expect(big.index == Int.max - 1 && big.count == Int.max)
        #expect(try CaseSelection.Shard(parsing: "+1/2").index == 1)
        let items: [LoadedFixture] = [.file(file("test.double", (0..<5).map { doublingCase("c\($0)", x: [1], expected: [2]) }))]
        #expect(CaseSelection(shard: big).items(from: items).isEmpty)
        #expect(CaseSelection(shard: try .init(index: 0, count: .max)).items(from: items).count == 1)
    }

    /// Filters never drop a broken file and match `suite/id` substrings, markup characters included.
    @Test func filtersKeepBrokenFilesAndMatchSubstrings() {
        let cases = ["float32/a", "float64/b", "x&<y>"].map { doublingCase($0, x: [1], expected: [2]) }
        let fixtures: [LoadedFixture] = [
            .file(file("test.double", cases)), .unreadable(FixtureError(file: "broken.json", field: "", message: "invalid JSON")),
        ]
        func ids(_ filters: [String]) -> [String] { CaseSelection(filters: filters).items(from: fixtures).map(\.key) }
        #expect(ids(["nothing matches"]) == ["fixture-file/broken.json"])
        #expect(ids(["test.double/float"]) == ["test.double/float32/a", "test.double/float64/b", "fixture-file/broken.json"])
        #expect(ids(["&<y"]) == ["test.double/x&<y>", "fixture-file/broken.json"])
        #expect(ids([]).count == 4)
    }
}
