import Testing

@testable import HingeConformance

/// A minimal valid fixture document, as JSON, that tests mutate.
func baseDocument() -> JSONObject {
    let array: JSONValue = .object([
        "dtype": .string("float64"), "shape": .array([.number(JSONNumber(2))]),
        "data": .array([.float(0.5), .string("nan")]),
    ])
    let testCase: JSONObject = [
        "id": .string("c1"),
        "params": .object(["reduction": .string("sum")]),
        "inputs": .object(["z": array]),
        "expected": .object(["output": array]),
    ]
    return [
        "format": .string("hinge-conformance/fixture"),
        "format_version": .number(JSONNumber(1)),
        "suite": .string("test.suite"),
        "provenance": .object(["seed": .number(JSONNumber(1))]),
        "cases": .array([.object(testCase)]),
    ]
}

func decode(_ document: JSONObject, path: String = "t.json") throws(FixtureError) -> FixtureFile {
    try FixtureDecoder.decode(Array(JSONValue.object(document).serialized().utf8), path: path)
}

func decode(text: String, path: String = "t.json") throws(FixtureError) -> FixtureFile {
    try FixtureDecoder.decode(Array(text.utf8), path: path)
}

/// Replaces the first case of the base document.
func withCase(_ edit: (inout JSONObject) -> Void) -> JSONObject {
    var doc = baseDocument()
    var testCase = doc["cases"]!.arrayValue![0].objectValue!
    edit(&testCase)
    doc["cases"] = .array([.object(testCase)])
    return doc
}

/// An array JSON object with raw data lexemes, to test exactly what a writer put in the file.
func arrayText(_ dtype: String, _ shape: String, _ data: String) -> String {
    #"{"dtype": "\#(dtype)", "shape": \#(shape), "data": \#(data)}"#
}

func documentText(inputs: String, expected: String = #"{"output": {"dtype": "bool", "shape": [], "data": [true]}}"#) -> String {
    """
    {"format": "hinge-conformance/fixture", "format_version": 1, "suite": "s", "provenance": {},
     "cases": [{"id": "c", "inputs": \(inputs), "expected": \(expected)}]}
    """
}

@Suite("Fixture decoder: bit-exact values")
struct FixtureDecoderValueTests {
    static let doubles: [Double] = {
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 1.0 / 3, .pi, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, Double.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .ulpOfOne, Double(Float.greatestFiniteMagnitude), 1e23, 9007199254740993,
        ]
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let value = Double(bitPattern: generator.next())
            if value.isFinite { values.append(value) }
        }
        return values
    }()

    static let floats: [Float] = {
        var values: [Float] = [
            0, -0.0, 1, -1, 0.1, 1.0 / 3, .pi, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, Float.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .ulpOfOne, 16_777_217 - 1,
        ]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if value.isFinite { values.append(value) }
        }
        return values
    }()

    @Test func float64RoundTripsBitForBit() throws {
        // The shortest decimal of each Double, as Python's repr writes it.
        let data = Self.doubles.map { "\($0)" }.joined(separator: ", ")
        let file = try decode(text: documentText(inputs: "{\"x\": \(arrayText("float64", "[\(Self.doubles.count)]", "[\(data)]"))}"))
        guard case .float64(let decoded) = file.cases[0].inputs["x"]?.storage else {
            Issue.record("not decoded as float64")
            return
        }
        #expect(decoded.map(\.bitPattern) == Self.doubles.map(\.bitPattern))
    }

    @Test func float32RoundTripsBitForBitFromTheEqualFloat64() throws {
        // The format writes a float32 as the shortest decimal of the float64 equal to it.
        let data = Self.floats.map { "\(Double($0))" }.joined(separator: ", ")
        let file = try decode(text: documentText(inputs: "{\"x\": \(arrayText("float32", "[\(Self.floats.count)]", "[\(data)]"))}"))
        guard case .float32(let decoded) = file.cases[0].inputs["x"]?.storage else {
            Issue.record("not decoded as float32")
            return
        }
        #expect(decoded.map(\.bitPattern) == Self.floats.map(\.bitPattern))
    }

    @Test func float32AlsoReadsItsOwnShortestDecimal() throws {
        let data = Self.floats.prefix(500).map { "\($0)" }.joined(separator: ", ")
        let file = try decode(text: documentText(inputs: "{\"x\": \(arrayText("float32", "[500]", "[\(data)]"))}"))
        guard case .float32(let decoded) = file.cases[0].inputs["x"]?.storage else {
            Issue.record("not decoded as float32")
            return
        }
        #expect(decoded.map(\.bitPattern) == Self.floats.prefix(500).map(\.bitPattern))
    }

    @Test func nonFiniteStringsAndOverflowingLexemes() throws {
        let text = documentText(
            inputs: "{\"x\": \(arrayText("float64", "[7]", #"["nan", "inf", "-inf", 1e400, -1e400, 1e-400, 2]"#)), "
                + "\"y\": \(arrayText("float32", "[3]", #"["nan", 1e39, -1e39]"#))}")
        let file = try decode(text: text)
        guard case .float64(let x) = file.cases[0].inputs["x"]?.storage,
            case .float32(let y) = file.cases[0].inputs["y"]?.storage
        else {
            Issue.record("wrong storage")
            return
        }
        #expect(x[0].isNaN)
        #expect(x[1] == .infinity && x[2] == -.infinity)
        // Python's float() of these lexemes: ±inf and 0, and an integer lexeme is exact.
        #expect(x[3] == .infinity && x[4] == -.infinity && x[5] == 0)
        #expect(x[6] == 2)
        #expect(y[0].isNaN && y[1] == .infinity && y[2] == -.infinity)
    }

    @Test func negativeZeroFollowsPython() throws {
        // "-0.0" is the float -0.0; "-0" is the integer 0, which converts to +0.0.
        let file = try decode(text: documentText(inputs: "{\"x\": \(arrayText("float64", "[2]", "[-0.0, -0]"))}"))
        guard case .float64(let x) = file.cases[0].inputs["x"]?.storage else {
            Issue.record("wrong storage")
            return
        }
        #expect(x[0].sign == .minus && x[0] == 0)
        #expect(x[1].sign == .plus && x[1] == 0)
    }

    @Test func int64Extremes() throws {
        let file = try decode(
            text: documentText(inputs: "{\"i\": \(arrayText("int64", "[3]", "[9223372036854775807, -9223372036854775808, -0]"))}"))
        #expect(file.cases[0].inputs["i"]?.storage == .int64([.max, .min, 0]))
        #expect(throws: Never.self) { try decode(text: documentText(inputs: "{}")) }
        let tooBig = try decode(text: documentText(inputs: "{\"i\": \(arrayText("int64", "[1]", "[9223372036854775808]"))}"))
        #expect(tooBig.invalidCases.first?.error.field == "inputs.i.data[0]")
    }

    @Test func scalarsBoolsStringsAndEmptyArrays() throws {
        let text = documentText(
            inputs: "{\"s\": \(arrayText("float64", "[]", "[3.5]")), \"b\": \(arrayText("bool", "[2]", "[true, false]")), "
                + "\"t\": \(arrayText("string", "[2]", #"["a", "\u00e9\n"]"#)), \"e\": \(arrayText("float32", "[0, 3]", "[]"))}")
        let c = try decode(text: text).cases[0]
        #expect(c.inputs["s"]?.shape == [] && c.inputs["s"]?.storage == .float64([3.5]))
        #expect(c.inputs["b"]?.storage == .bool([true, false]))
        #expect(c.inputs["t"]?.storage == .string(["a", "é\n"]))
        #expect(c.inputs["e"]?.shape == [0, 3] && c.inputs["e"]?.count == 0)
        #expect(c.inputs.keys == ["s", "b", "t", "e"])
    }

    @Test func acceptsWhatTheReferenceValidatorAccepts() throws {
        // validate_fixtures.py compares with Python's ==, so 1.0 and true equal 1;
        // the message of expected_error may be any JSON value; tolerances may be integers;
        // default_tolerance may be an empty object; params may hold nulls.
        for version in ["1", "1.0", "1e0", "true"] {
            let text = """
                {"format": "hinge-conformance/fixture", "format_version": \(version), "suite": "s", "provenance": {},
                 "default_tolerance": {}, "cases": [
                   {"id": "e", "params": {"margin": null}, "inputs": {}, "expected_error": {"kind": "invalid_target", "message": 3}},
                   {"id": "t", "tags": [], "context": {"backend": "jax"}, "tolerance": {"atol": 0}, "inputs": {},
                    "expected": {"output": {"dtype": "float32", "shape": [1], "data": [1]}}}]}
                """
            let file = try decode(text: text)
            #expect(file.invalidCases.isEmpty, "format_version \(version)")
            #expect(file.cases.count == 2)
            #expect(file.cases[0].expectation == .error(.invalidTarget, message: "3"))
            #expect(file.cases[1].tolerance == PartialTolerance(rtol: nil, atol: 0))
        }
    }

    @Test func duplicateKeysKeepTheLastValueLikePython() throws {
        let text = """
            {"format": "hinge-conformance/fixture", "format_version": 1, "suite": "first", "suite": "second",
             "provenance": {}, "cases": []}
            """
        #expect(try decode(text: text).suite == "second")
    }

    @Test func toleranceResolution() throws {
        var doc = withCase { $0["tolerance"] = .object(["rtol": .float(0.5)]) }
        doc["default_tolerance"] = .object(["float64": .object(["rtol": .float(0.25), "atol": .float(0.125)])])
        let file = try decode(doc)
        let c = file.cases[0]
        #expect(file.tolerance(for: c, dtype: .float64) == Tolerance(rtol: 0.5, atol: 0.125))
        #expect(file.tolerance(for: c, dtype: .float32) == Tolerance(rtol: 0.5, atol: Tolerance.torchDefault(for: .float32).atol))
        #expect(file.tolerance(for: c, dtype: .int64) == .exact)
        let plain = try decode(baseDocument())
        #expect(plain.tolerance(for: plain.cases[0], dtype: .float32) == Tolerance.torchDefault(for: .float32))
    }
}
