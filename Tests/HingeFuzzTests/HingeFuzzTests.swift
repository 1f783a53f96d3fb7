import Foundation
import HingeConformance
import Testing

@testable import HingeFuzz

/// A base case like the fixtures': labels, scores, class indices and a margin param.
func baseCase() throws -> FixtureCase {
    FixtureCase(
        id: "float64/3x2/sample/mean", params: ["margin": .number(JSONNumber(Double(1.5))!), "reduction": .string("mean")],
        inputs: [
            "y": try .float64([1, -1, 1], shape: [3]),
            "z": try .float64([0.25, -2, 3.5, 0.125, -0.5, 1], shape: [3, 2]),
            "w": try .float32([0.5, 2], shape: [2]),
            "t": try .int64([0, 2, 1], shape: [3]),
        ],
        expectation: .outputs(["output": try .float64([0.75], shape: [])]))
}

@Suite("Fuzz: drawing inputs")
struct FuzzInputsTests {
    @Test func aCaseOfASeedIsAlwaysTheSameDraw() throws {
        let base = try baseCase()
        for index in [0, 1, 17, 999] {
            var a = SplitMix64(seed: 5, index: index), b = SplitMix64(seed: 5, index: index)
            let first = FuzzInputs.draw(from: base, rng: &a), second = FuzzInputs.draw(from: base, rng: &b)
            #expect(first.inputs == second.inputs || first.inputs.contains { $0.value.hasNaN })
            #expect(first.mode == second.mode && first.shrunk == second.shrunk)
        }
    }

    /// The streams are part of the contract (`--seed S --case-index I` reproduces a finding): pin them.
    @Test func theStreamsArePinned() {
        var plain = SplitMix64(seed: 0)
        #expect(plain.next() == 0xE220_A839_7B1D_CDAF)
        var stream = SplitMix64(seed: 1, index: 7)
        let pinned: [UInt64] = [0xD780_EF2D_BB12_3B9D, 0x2813_0A56_5C91_ED8F, 0x17D4_5B70_CF8E_9088]
        #expect((0..<3).map { _ in stream.next() } == pinned)
    }

    @Test func drawsKeepNamesDtypesAndRowShapes() throws {
        let base = try baseCase()
        var modes: Set<FuzzInputs.Mode> = []
        var shrunk = 0
        for index in 0..<400 {
            var rng = SplitMix64(seed: 3, index: index)
            let draw = FuzzInputs.draw(from: base, rng: &rng)
            modes.insert(draw.mode)
            #expect(Array(draw.inputs.keys) == Array(base.inputs.keys))
            for (name, array) in draw.inputs {
                let original = try #require(base.inputs[name])
                #expect(array.dtype == original.dtype)
                #expect(Array(array.shape.dropFirst()) == Array(original.shape.dropFirst()))
                if draw.shrunk == nil { #expect(array.shape == original.shape) }
            }
            if let extent = draw.shrunk {
                shrunk += 1
                #expect(draw.inputs["y"]?.shape == [extent] && draw.inputs["z"]?.shape == [extent, 2] && draw.inputs["t"]?.shape == [extent])
                #expect(draw.inputs["w"]?.shape == [2], "an array of another leading extent keeps its shape")
            }
        }
        #expect(modes == Set(FuzzInputs.Mode.allCases))
        #expect(shrunk > 0)
    }

    @Test func labelsAndSpecials() {
        #expect(FuzzInputs.isLabelLike([1, -1, 0, 1]))
        #expect(!FuzzInputs.isLabelLike([1, 0.5]) && !FuzzInputs.isLabelLike([]))
        for value in FuzzInputs.specials(Float.self) where !value.isNaN {
            #expect(Double(Float(value)) == value, "\(value) is exact in float32")
        }
        #expect(FuzzInputs.specials(Double.self).contains(Double.leastNonzeroMagnitude))
        #expect(FuzzInputs.paramValues(["margin": .number(JSONNumber(Double(2))!), "r": .string("sum"), "p": .null]) == [2])
        #expect(FuzzInputs.scale(of: [.nan, -3, 2, .infinity]) == 3 && FuzzInputs.scale(of: [0]) == 1)
    }

    @Test func shrinkingTheLeadingAxisKeepsRowsAligned() throws {
        let base = try baseCase()
        let shrunk = try #require(FuzzInputs.shrinkLeadingAxis(base.inputs, to: 1))
        #expect(shrunk["y"] == (try .float64([1], shape: [1])))
        #expect(shrunk["z"] == (try .float64([0.25, -2], shape: [1, 2])))
        #expect(shrunk["w"] == base.inputs["w"])
        #expect(FuzzInputs.shrinkLeadingAxis(["s": try .float64([1], shape: [])], to: 0) == nil)
    }
}

extension FixtureArray {
    var hasNaN: Bool {
        switch storage {
        case .float32(let a): a.contains { $0.isNaN }
        case .float64(let a): a.contains { $0.isNaN }
        default: false
        }
    }
}

@Suite("Fuzz: judging, findings, progress")
struct FuzzReportingTests {
    static let file = FixtureFile(
        path: "fixtures/test.suite.json", suite: "test.suite",
        defaultTolerance: [.float64: PartialTolerance(rtol: 0, atol: 0)], entries: [])

    @Test func outcomesAreComparedUnderTheFilesTolerance() throws {
        let base = try baseCase()
        let want = FuzzOutcome.outputs(["output": try .float64([0.75], shape: [])])
        #expect(want.disagreement(with: .success(["output": try .float64([0.75], shape: [])]), file: Self.file, base: base) == nil)
        let off = want.disagreement(with: .success(["output": try .float64([Double(0.75).nextUp], shape: [])]), file: Self.file, base: base)
        #expect(off != nil)
        #expect(want.disagreement(with: .success([:]), file: Self.file, base: base)?.contains("output: missing") == true)
        let raised = FuzzOutcome.error(.invalidTarget, message: "bad label")
        #expect(raised.disagreement(with: .failure(CaseError(.invalidTarget, argument: "y", "no")), file: Self.file, base: base) == nil)
        #expect(raised.disagreement(with: .failure(CaseError(.shapeMismatch, argument: "y", "no")), file: Self.file, base: base) != nil)
        #expect(FuzzOutcome.skipped(reason: "timeout", message: "").disagreement(with: .success([:]), file: Self.file, base: base) == nil)
        #expect(FuzzOutcome.crashed("Traceback\nValueError: x").disagreement(with: .success([:]), file: Self.file, base: base)
            == "the reference crashed: ValueError: x")
        #expect(want.statsLabel == "reference: finite outputs")
        #expect(FuzzOutcome.outputs(["o": try .float32([.nan], shape: [1])]).statsLabel == "reference: outputs with NaN/inf")
    }

    @Test func tallies() {
        let a = FuzzTally(cases: 300, agree: 299, disagree: 1, skipped: ["timeout": 2], seconds: 2)
        let b = FuzzTally(cases: 3, agree: 3, skipped: ["timeout": 1, "NotCertified": 4], seconds: 2)
        #expect(a.line == "300 cases, 299 agree, 1 disagree, 150 cases/s (2 more drawn and skipped: 2 timeout)")
        #expect(b.line == "3 cases, 3 agree, 0 disagree, 1.5 cases/s (5 more drawn and skipped: 4 NotCertified, 1 timeout)")
        #expect((a + b).line == "303 cases, 302 agree, 1 disagree, 76 cases/s (7 more drawn and skipped: 4 NotCertified, 3 timeout)")
        #expect(FuzzTally().line == "0 cases, 0 agree, 0 disagree, 0 cases/s")
    }

    @Test func progressLines() {
        #expect(ProgressBar.line(label: "s", total: 10, done: 5, disagree: 1, seconds: 2, width: 10)
            == "s [#####-----] 5/10  3 cases/s  1 disagree")
        #expect(ProgressBar.line(label: "s", total: 0, done: 0, disagree: 0, seconds: 0, width: 4) == "s [####] 0/0  0 cases/s  0 disagree")
        var written: [String] = []
        var bar = ProgressBar(label: "s", total: 2, enabled: true) { written.append($0) }
        bar.update(done: 2, disagree: 0, start: .now)
        bar.clear()
        #expect(written.count == 2 && written[0].hasPrefix("\r\u{1B}[Ks [") && written[1] == "\r\u{1B}[K")
        var quiet = ProgressBar(label: "s", total: 2, enabled: false) { _ in Issue.record("a disabled bar wrote") }
        quiet.update(done: 1, disagree: 0, start: .now)
        quiet.finish()
    }

    @Test func findingsAreAFixtureFileOfTheSuite() throws {
        let base = try baseCase()
        var rng = SplitMix64(seed: 9, index: 0)
        let inputs = FuzzInputs.draw(from: base, rng: &rng).inputs
        let findings = [
            FuzzFinding(id: "fuzz/seed-9/case-0/\(base.id)", base: base, inputs: inputs,
                        expected: .outputs(["output": try .float64([.nan], shape: [])]), what: ["swift vs mirror: output differs"]),
            FuzzFinding(id: "fuzz/seed-9/case-1/\(base.id)", base: base, inputs: inputs,
                        expected: .error(.invalidTarget, message: "label 3"), what: ["swift vs mirror: returned"]),
            FuzzFinding(id: "fuzz/seed-9/case-2/\(base.id)", base: base, inputs: inputs, expected: .crashed("boom"), what: ["crashed"]),
        ]
        var provenance = FindingsFile.Provenance(
            seed: 9, cases: 50, expectedFrom: "the NumPy mirror in tools/x.py", versions: .object(["numpy": .string("2.4.6")]),
            generator: "tools/x.py")
        provenance.date = "2026-12-04"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hinge-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var warnings: [String] = []
        let path = try FindingsFile.write(findings, of: Self.file, provenance: provenance, directory: directory) { warnings.append($0) }
        #expect(path == directory + "/test.suite.seed-9.json")
        #expect(warnings.isEmpty)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let written = try FixtureDecoder.decode(Array(bytes), path: path)
        #expect(written.suite == "test.suite" && written.defaultTolerance == Self.file.defaultTolerance)
        #expect(written.cases.map(\.id) == [findings[0].id, findings[1].id], "a crashed reference expects nothing")
        #expect(written.cases.allSatisfy { $0.tags == ["fuzz"] && $0.params == base.params && $0.inputs == inputs })
        #expect(written.cases[1].expectation == .error(.invalidTarget, message: "label 3"))
        #expect(written.provenance["date"] == .string("2026-12-04") && written.provenance["seed"] == .number(JSONNumber(9)))
        #expect(written.provenance["findings"]?.arrayValue?.count == 3)
        // Written as the generators write: the encoder's text, byte for byte.
        #expect(String(decoding: bytes, as: UTF8.self) == (try FixtureEncoder.encode(written)))
    }

    @Test func thePlanTakesTheFirstFileOfEachSuiteAskedFor() throws {
        let a = FixtureFile(path: "a.json", suite: "a", entries: []), a2 = FixtureFile(path: "a2.json", suite: "a", entries: [])
        let b = FixtureFile(path: "b.json", suite: "b", entries: [])
        let broken = FixtureError(file: "c.json", field: "", message: "not JSON")
        var options = FuzzOptions()
        let all = try FuzzPlan(loaded: [.file(a), .unreadable(broken), .file(a2), .file(b)], options: options, searched: ["f"])
        #expect(all.files.map(\.path) == ["a.json", "b.json"] && all.unreadable == [broken])
        options.suites = ["b", "a"]
        options.skippedSuites = ["a"]
        #expect(try FuzzPlan(loaded: [.file(a), .file(b)], options: options, searched: ["f"]).files.map(\.path) == ["b.json"])
        options.suites = ["missing"]
        #expect(throws: FuzzSetupError.self) { try FuzzPlan(loaded: [.file(a)], options: options, searched: ["f"]) }
    }
}
