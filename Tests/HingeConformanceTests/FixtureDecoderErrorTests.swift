import Testing

@testable import HingeConformance

/// Every way a file can break format v1, and the field each error must name.
@Suite("Fixture decoder: malformed input")
struct FixtureDecoderErrorTests {
    struct FileLevel: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let field: String
        let fragment: String
        var testDescription: String { name }
    }

    static func mutated(_ edit: (inout JSONObject) -> Void) -> String {
        var doc = baseDocument()
        edit(&doc)
        return JSONValue.object(doc).serialized()
    }

    static let fileLevel: [FileLevel] = [
        FileLevel(name: "broken JSON", text: #"{"format": "#, field: "", fragment: "invalid JSON at line 1"),
        FileLevel(name: "trailing comma", text: #"{"a": 1,}"#, field: "", fragment: "invalid JSON"),
        FileLevel(name: "bare NaN", text: #"{"a": NaN}"#, field: "", fragment: "bare NaN"),
        FileLevel(name: "byte-order mark", text: "\u{FEFF}{}", field: "", fragment: "byte-order mark"),
        FileLevel(name: "extra data", text: "{} {}", field: "", fragment: "extra data"),
        FileLevel(name: "empty file", text: "", field: "", fragment: "unexpected end"),
        FileLevel(name: "top-level array", text: "[]", field: "", fragment: "must be an object"),
        FileLevel(name: "missing format", text: mutated { $0["format"] = nil }, field: "format", fragment: "missing"),
        FileLevel(name: "unknown format", text: mutated { $0["format"] = .string("onnx") }, field: "format", fragment: "unknown format"),
        FileLevel(name: "newer version", text: mutated { $0["format_version"] = .number(JSONNumber(2)) }, field: "format_version", fragment: "newer"),
        FileLevel(name: "version as string", text: mutated { $0["format_version"] = .string("1") }, field: "format_version", fragment: "must be"),
        FileLevel(name: "version 0", text: mutated { $0["format_version"] = .number(JSONNumber(0)) }, field: "format_version", fragment: "unsupported"),
        FileLevel(name: "missing version", text: mutated { $0["format_version"] = nil }, field: "format_version", fragment: "missing"),
        FileLevel(name: "missing suite", text: mutated { $0["suite"] = nil }, field: "suite", fragment: "missing"),
        FileLevel(name: "empty suite", text: mutated { $0["suite"] = .string("") }, field: "suite", fragment: "non-empty"),
        FileLevel(name: "missing provenance", text: mutated { $0["provenance"] = nil }, field: "provenance", fragment: "missing"),
        FileLevel(name: "provenance not object", text: mutated { $0["provenance"] = .string("x") }, field: "provenance", fragment: "object"),
        FileLevel(name: "missing cases", text: mutated { $0["cases"] = nil }, field: "cases", fragment: "missing"),
        FileLevel(name: "cases not list", text: mutated { $0["cases"] = .object([:]) }, field: "cases", fragment: "list"),
        FileLevel(name: "unknown top-level field", text: mutated { $0["extra"] = .null }, field: "extra", fragment: "unknown"),
        FileLevel(
            name: "default tolerance for int64",
            text: mutated { $0["default_tolerance"] = .object(["int64": .object(["rtol": .number(JSONNumber(0))])]) },
            field: "default_tolerance.int64", fragment: "float32 and float64"),
        FileLevel(
            name: "default tolerance negative",
            text: mutated { $0["default_tolerance"] = .object(["float32": .object(["rtol": .number(JSONNumber(-1))])]) },
            field: "default_tolerance.float32.rtol", fragment: ">= 0"),
        FileLevel(
            name: "default tolerance empty",
            text: mutated { $0["default_tolerance"] = .object(["float32": .object([:])]) },
            field: "default_tolerance.float32", fragment: "rtol and/or atol"),
    ]

    @Test(arguments: fileLevel)
    func fileLevelErrors(_ example: FileLevel) {
        do {
            _ = try decode(text: example.text, path: "dir/broken.json")
            Issue.record("decoded a broken file: \(example.name)")
        } catch {
            #expect(error.file == "dir/broken.json")
            #expect(error.field == example.field)
            #expect(error.caseID == nil)
            #expect(error.message.contains(example.fragment), "\(error.message)")
            #expect(error.description.hasPrefix("dir/broken.json: "))
            #expect(!error.description.contains("\n"))
        }
    }

    struct CaseLevel: Sendable, CustomTestStringConvertible {
        let name: String
        let edit: @Sendable (inout JSONObject) -> Void
        let field: String
        let fragment: String
        var testDescription: String { name }
    }

    static func array(_ dtype: String, _ shape: [JSONValue], _ data: [JSONValue]) -> JSONValue {
        .object(["dtype": .string(dtype), "shape": .array(shape), "data": .array(data)])
    }
    static func n(_ x: Int) -> JSONValue { .number(JSONNumber(x)) }
    static func d(_ x: Double) -> JSONValue { .float(x) }

    static let caseLevel: [CaseLevel] = [
        CaseLevel(name: "unknown case field", edit: { $0["kind"] = .string("sample") }, field: "kind", fragment: "unknown"),
        CaseLevel(name: "params not object", edit: { $0["params"] = .array([]) }, field: "params", fragment: "object"),
        CaseLevel(name: "context not object", edit: { $0["context"] = .string("jax") }, field: "context", fragment: "object"),
        CaseLevel(name: "missing inputs", edit: { $0["inputs"] = nil }, field: "inputs", fragment: "object of arrays"),
        CaseLevel(name: "neither expectation", edit: { $0["expected"] = nil }, field: "expected", fragment: "exactly one"),
        CaseLevel(
            name: "both expectations",
            edit: { $0["expected_error"] = .object(["kind": .string("invalid_target")]) },
            field: "expected", fragment: "exactly one"),
        CaseLevel(name: "empty expected", edit: { $0["expected"] = .object([:]) }, field: "expected", fragment: "non-empty"),
        CaseLevel(
            name: "unknown error kind",
            edit: {
                $0["expected"] = nil
                $0["expected_error"] = .object(["kind": .string("value_error")])
            },
            field: "expected_error.kind", fragment: "invalid_parameter"),
        CaseLevel(
            name: "extra field in expected_error",
            edit: {
                $0["expected"] = nil
                $0["expected_error"] = .object(["kind": .string("invalid_target"), "type": .string("ValueError")])
            },
            field: "expected_error.type", fragment: "unknown"),
        CaseLevel(name: "tolerance unknown key", edit: { $0["tolerance"] = .object(["ulp": n(1)]) }, field: "tolerance.ulp", fragment: "rtol and atol"),
        CaseLevel(name: "tolerance as string", edit: { $0["tolerance"] = .object(["rtol": .string("1e-3")]) }, field: "tolerance.rtol", fragment: "finite"),
        CaseLevel(name: "tolerance boolean", edit: { $0["tolerance"] = .object(["rtol": .bool(true)]) }, field: "tolerance.rtol", fragment: "finite"),
        CaseLevel(
            name: "tolerance infinite",
            edit: { $0["tolerance"] = .object(["atol": .number(JSONNumber(validatedText: "1e400", isInteger: false))]) },
            field: "tolerance.atol", fragment: "finite"),
        CaseLevel(name: "tags not list", edit: { $0["tags"] = .string("kink") }, field: "tags", fragment: "list"),
        CaseLevel(name: "tag not string", edit: { $0["tags"] = .array([n(1)]) }, field: "tags[0]", fragment: "string"),
        CaseLevel(name: "array missing data", edit: { $0["inputs"] = .object(["z": .object(["dtype": .string("float32"), "shape": .array([])])]) }, field: "inputs.z", fragment: "exactly {dtype, shape, data}"),
        CaseLevel(
            name: "array extra key",
            edit: { $0["inputs"] = .object(["z": .object(["dtype": .string("float32"), "shape": .array([]), "data": .array([n(1)]), "order": .string("C")])]) },
            field: "inputs.z", fragment: "exactly"),
        CaseLevel(name: "unknown dtype", edit: { $0["inputs"] = .object(["z": array("float16", [], [n(1)])]) }, field: "inputs.z.dtype", fragment: "is not one of"),
        CaseLevel(name: "shape with float", edit: { $0["inputs"] = .object(["z": array("float32", [d(2.0)], [n(1), n(2)])]) }, field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(name: "shape negative", edit: { $0["inputs"] = .object(["z": array("float32", [n(-1)], [])]) }, field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(name: "shape boolean", edit: { $0["inputs"] = .object(["z": array("float32", [.bool(true)], [n(1)])]) }, field: "inputs.z.shape", fragment: "non-negative integers"),
        CaseLevel(
            name: "shape overflowing Int",
            edit: { $0["inputs"] = .object(["z": array("float32", [n(1 << 62), n(1 << 62)], [])]) },
            field: "inputs.z.data", fragment: "does not match shape"),
        CaseLevel(name: "data too short", edit: { $0["inputs"] = .object(["z": array("float32", [n(2), n(2)], [n(1), n(2), n(3)])]) }, field: "inputs.z.data", fragment: "length 3 does not match shape [2, 2] (4)"),
        CaseLevel(name: "scalar without data", edit: { $0["inputs"] = .object(["z": array("float64", [], [])]) }, field: "inputs.z.data", fragment: "length 0"),
        CaseLevel(name: "float as text", edit: { $0["inputs"] = .object(["z": array("float32", [n(1)], [.string("1.5")])]) }, field: "inputs.z.data[0]", fragment: "not a valid float32"),
        CaseLevel(name: "float NaN spelled NaN", edit: { $0["inputs"] = .object(["z": array("float64", [n(1)], [.string("NaN")])]) }, field: "inputs.z.data[0]", fragment: "not a valid float64"),
        CaseLevel(name: "float boolean", edit: { $0["inputs"] = .object(["z": array("float64", [n(1)], [.bool(true)])]) }, field: "inputs.z.data[0]", fragment: "not a valid"),
        CaseLevel(name: "int64 with fraction", edit: { $0["inputs"] = .object(["y": array("int64", [n(2)], [n(1), d(1.5)])]) }, field: "inputs.y.data[1]", fragment: "not a valid int64"),
        CaseLevel(name: "int64 written 1.0", edit: { $0["inputs"] = .object(["y": array("int64", [n(1)], [d(1.0)])]) }, field: "inputs.y.data[0]", fragment: "not a valid int64"),
        CaseLevel(name: "int64 boolean", edit: { $0["inputs"] = .object(["y": array("int64", [n(1)], [.bool(false)])]) }, field: "inputs.y.data[0]", fragment: "not a valid int64"),
        CaseLevel(name: "bool as integer", edit: { $0["inputs"] = .object(["m": array("bool", [n(1)], [n(1)])]) }, field: "inputs.m.data[0]", fragment: "not a valid bool"),
        CaseLevel(name: "string as number", edit: { $0["inputs"] = .object(["s": array("string", [n(1)], [n(1)])]) }, field: "inputs.s.data[0]", fragment: "not a valid string"),
        CaseLevel(name: "bad expected array", edit: { $0["expected"] = .object(["output": array("float64", [n(3)], [])]) }, field: "expected.output.data", fragment: "length 0"),
    ]

    @Test(arguments: caseLevel)
    func caseLevelErrors(_ example: CaseLevel) throws {
        let file = try decode(withCase(example.edit), path: "f.json")
        #expect(file.cases.isEmpty)
        let invalid = try #require(file.invalidCases.first)
        #expect(invalid.id == "c1")
        #expect(invalid.error.caseID == "c1")
        #expect(invalid.error.field == example.field)
        #expect(invalid.error.message.contains(example.fragment), "\(invalid.error.message)")
        #expect(invalid.error.description.hasPrefix("f.json: case 'c1': \(example.field)"))
    }

    @Test func caseWithoutUsableIDIsNamedByPosition() throws {
        var doc = baseDocument()
        doc["cases"] = .array([.object(["inputs": .object([:])]), .string("x")])
        let file = try decode(doc)
        #expect(file.invalidCases.map(\.displayID) == ["cases[0]", "cases[1]"])
        #expect(file.invalidCases[0].error.field == "id")
        #expect(file.invalidCases[1].error.message.contains("must be an object"))
    }

    @Test func duplicateIDFailsOnlyTheSecondCase() throws {
        var doc = baseDocument()
        let first = doc["cases"]!.arrayValue![0]
        doc["cases"] = .array([first, first])
        let file = try decode(doc)
        #expect(file.cases.count == 1)
        #expect(file.invalidCases.count == 1)
        #expect(file.invalidCases[0].index == 1)
        #expect(file.invalidCases[0].error.message.contains("duplicate id 'c1'"))
    }

    @Test func invalidUTF8AndControlCharactersInStrings() {
        var bytes = Array(#"{"format": "hinge-conformance/fixture", "suite": "x"#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(#""}"#.utf8)
        #expect(throws: FixtureError.self) { try FixtureDecoder.decode(bytes, path: "p") }
        #expect(throws: FixtureError.self) { try decode(text: "{\"a\": \"tab\there\"}") }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func validateListsEveryInvalidCase() {
        var doc = baseDocument()
        let good = doc["cases"]!.arrayValue![0]
        doc["cases"] = .array([good, .object(["id": .string("bad1")]), .object(["id": .string("bad2")])])
        let errors = FixtureDecoder.validate(Array(JSONValue.object(doc).serialized().utf8), path: "v.json")
        #expect(errors.map(\.caseID) == ["bad1", "bad2"])
    }
}
