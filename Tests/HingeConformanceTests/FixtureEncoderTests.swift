import Foundation
import Testing

@testable import HingeConformance

@Suite("Fixture encoder")
struct FixtureEncoderTests {
    /// `repr(float)` in CPython 3.11, by the value's hex form.
    static let pythonReprs: [(hex: String, repr: String)] = [
        ("0x0.0p+0", "0.0"), ("-0x0.0p+0", "-0.0"), ("0x1.0000000000000p+0", "1.0"), ("-0x1.0000000000000p+0", "-1.0"),
        ("0x1.999999999999ap-4", "0.1"), ("0x1.a36e2eb1c432dp-14", "0.0001"), ("0x1.4f8b588e368f1p-17", "1e-05"),
        ("0x1.02e4b6ce5dc68p-13", "0.00012345"), ("0x1.c6bf526340000p+49", "1000000000000000.0"),
        ("0x1.1c37937e08000p+53", "1e+16"), ("0x1.aa535d3d0c000p+53", "1.5e+16"),
        ("0x1.b69b4ba630f35p+56", "1.2345678901234568e+17"), ("0x1.0000000000000p+53", "9007199254740992.0"),
        ("0x0.0000000000001p-1022", "5e-324"), ("-0x0.0000000000001p-1022", "-5e-324"),
        ("0x1.0000000000000p-1022", "2.2250738585072014e-308"), ("0x0.fffffffffffffp-1022", "2.225073858507201e-308"),
        ("0x1.fffffffffffffp+1023", "1.7976931348623157e+308"), ("-0x1.fffffffffffffp+1023", "-1.7976931348623157e+308"),
        ("0x1.0f0cf064dd592p+73", "1e+22"), ("0x1.52d02c7e14af6p+76", "1e+23"),
        ("0x1.5555560000000p-2", "0.3333333432674408"), ("0x1.0000000000000p-149", "1.401298464324817e-45"),
        ("0x1.fffffe0000000p+127", "3.4028234663852886e+38"), ("0x1.9000000000000p+6", "100.0"),
        ("0x1.34a0000000000p+10", "1234.5"), ("0x1.0000000000000p-1", "0.5"), ("0x1.0c6f7a0b5ed8dp-19", "2e-06"),
        ("0x1.56e1fc2f8f359p-997", "1e-300"), ("0x1.1c37937e07fffp+53", "9999999999999998.0"),
        ("0x0.0000000000002p-1022", "1e-323"),
    ]

    @Test func floatsAreWrittenAsPythonsRepr() throws {
        for (hex, repr) in Self.pythonReprs {
            let value = try #require(Double(hex), "\(hex)")
            #expect(FixtureEncoder.pythonRepr(value) == repr, "\(hex)")
        }
        #expect(FixtureEncoder.float(.nan) == .string("nan"))
        #expect(FixtureEncoder.float(.infinity) == .string("inf"))
        #expect(FixtureEncoder.float(-.infinity) == .string("-inf"))
    }

    /// Specials, extremes, subnormals and random bit patterns (NaN payloads and infinities included).
    static func doubles() -> [Double] {
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 1.0 / 3, .pi, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            Double.leastNormalMagnitude.nextDown, -Double.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .ulpOfOne, 1e23, Double(1 << 53).nextUp, 1e16, 1e15, 1e-4, 1e-5, .nan, .infinity, -.infinity,
        ]
        var generator = SplitMix64(seed: 0xE4C0DE)
        for _ in 0..<5000 { values.append(Double(bitPattern: generator.next())) }
        for _ in 0..<1000 { values.append(Double(bitPattern: generator.next() >> 12)) }  // subnormals
        return values
    }

    static func floats() -> [Float] {
        var values: [Float] = [
            0, -0.0, 1, -1, 0.1, 1.0 / 3, .pi, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            Float.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne,
            Float(1 << 24).nextUp, .nan, .infinity, -.infinity,
        ]
        var generator = SplitMix64(seed: 0xF32)
        for _ in 0..<5000 { values.append(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))) }
        for _ in 0..<1000 { values.append(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next() >> 41))) }
        return values
    }

    /// Bit for bit, except that every NaN is the one "nan" of the format.
    static func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }
    static func same(_ a: Float, _ b: Float) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

    static func file(inputs: NamedArrays, expected: NamedArrays) -> FixtureFile {
        let testCase = FixtureCase(id: "c", params: ["reduction": .string("none")], inputs: inputs, expectation: .outputs(expected))
        return FixtureFile(path: "t.json", suite: "test.suite", entries: [.valid(testCase)])
    }

    @Test func floatsRoundTripBitExactly() throws {
        let doubles = Self.doubles(), floats = Self.floats()
        let original = Self.file(
            inputs: ["x": try .float64(doubles, shape: [doubles.count])],
            expected: ["y": try .float32(floats, shape: [floats.count])])
        let text = try FixtureEncoder.encode(original)
        let decoded = try FixtureDecoder.decode(Array(text.utf8), path: "t.json")
        let testCase = try #require(decoded.cases.first)
        guard case .float64(let readDoubles) = testCase.inputs["x"]?.storage,
            case .outputs(let outputs) = testCase.expectation, case .float32(let readFloats) = outputs["y"]?.storage
        else {
            Issue.record("the arrays did not come back with their dtypes")
            return
        }
        #expect(readDoubles.count == doubles.count && readFloats.count == floats.count)
        for (a, b) in zip(doubles, readDoubles) where !Self.same(a, b) { Issue.record("float64 \(a) came back as \(b)") }
        for (a, b) in zip(floats, readFloats) where !Self.same(a, b) { Issue.record("float32 \(a) came back as \(b)") }
        // And the text is stable: encoding the decoded file gives it again.
        #expect(try FixtureEncoder.encode(decoded) == text)
    }

    @Test func everyFieldRoundTrips() throws {
        let testCase = FixtureCase(
            id: "float32/2x2/weights/mean", params: ["margin": .number(JSONNumber(2)), "p": .null, "w": .array([])],
            context: ["backend": .string("jax")],
            inputs: [
                "i": try .int64([Int64.min, -1, 0, Int64.max], shape: [2, 2]),
                "b": try FixtureArray(shape: [0], storage: .bool([])),
                "s": try FixtureArray(shape: [], storage: .string(["é \"q\" \n\u{1}"])),
                "t": try FixtureArray(shape: [2], storage: .bool([true, false])),
            ],
            expectation: .outputs(["output": try .float64([0.5], shape: [])]),
            tolerance: PartialTolerance(rtol: 1e-5), tags: ["sample", "edge"])
        let errorCase = FixtureCase(
            id: "error", inputs: ["z": try .float64([], shape: [0, 3])],
            expectation: .error(.invalidTarget, message: "label 2 out of range"), tags: [])
        let silentError = FixtureCase(id: "error/no-message", inputs: [:], expectation: .error(.shapeMismatch, message: nil))
        let original = FixtureFile(
            path: "t.json", suite: "test.suite", provenance: ["seed": .number(JSONNumber(3))],
            defaultTolerance: [.float64: PartialTolerance(rtol: 0, atol: 1e-300), .float32: PartialTolerance(atol: 1e-37)],
            entries: [.valid(testCase), .valid(errorCase), .valid(silentError)])
        let text = try FixtureEncoder.encode(original)
        #expect(FixtureDecoder.validate(Array(text.utf8), path: "t.json").isEmpty)
        let decoded = try FixtureDecoder.decode(Array(text.utf8), path: "t.json")
        #expect(decoded == original)
        #expect(text.hasPrefix("{\n  \"format\": \"hinge-conformance/fixture\",\n  \"format_version\": 1,\n"))
        #expect(text.contains(#"        "i": {"dtype": "int64", "shape": [2, 2], "data": [-9223372036854775808, -1, 0, 9223372036854775807]},"#))
        #expect(text.contains("\"default_tolerance\": {\n    \"float32\": {\n      \"atol\": 1e-37\n    },\n    \"float64\": {\n      \"rtol\": 0.0,"))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func aToleranceKeepsItsWrittenNumbersUntilChanged() throws {
        let text = documentText(inputs: "{}").replacingOccurrences(of: #""id": "c","#, with: #""id": "c", "tolerance": {"rtol": 0, "atol": 1e-5},"#)
        let file = try decode(text: text)
        var tolerance = try #require(file.cases.first?.tolerance)
        #expect(FixtureEncoder.json(tolerance).serialized(indent: nil) == #"{"rtol": 0, "atol": 1e-5}"#)
        tolerance.rtol = 0.5
        #expect(FixtureEncoder.json(tolerance).serialized(indent: nil) == #"{"rtol": 0.5, "atol": 1e-5}"#)
        #expect(tolerance == PartialTolerance(rtol: 0.5, atol: 1e-5))
    }

    @Test func anInvalidCaseCannotBeEncoded() throws {
        let file = try decode(withCase { $0["inputs"] = .string("no") })
        #expect(throws: FixtureError.self) { try FixtureEncoder.encode(file) }
    }

    static let bundled: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    @Test func theBundledFixturesAreThere() { #expect(Self.bundled.count >= 28) }

    /// The generators' files come back byte for byte: the encoder writes what `dumps_fixture` writes.
    @Test(arguments: bundled)
    func bundledFixtureRoundTripsByteForByte(_ path: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let file = try FixtureDecoder.decode(Array(bytes), path: path)
        let text = try FixtureEncoder.encode(file)
        if text.utf8.elementsEqual(bytes) { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let original = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let first = (0..<min(lines.count, original.count)).first { lines[$0] != original[$0] } ?? min(lines.count, original.count)
        Issue.record("""
            \(path): differs at line \(first + 1):
              encoded: \(first < lines.count ? String(lines[first].prefix(300)) : "<end>")
              file:    \(first < original.count ? String(original[first].prefix(300)) : "<end>")
            """)
    }
}
