import Foundation
import Testing

@testable import HingeConformance

/// A registry with one deliberately simple suite: `output = 2·x`, raising
/// `invalid_parameter` when the param `fail` is true.
func doublingRegistry() -> SuiteRegistry {
    var registry = SuiteRegistry()
    registry.register("test.double") { args in
        try args.expectParams(["fail"])
        if try args.bool("fail", default: false) {
            throw CaseError(.invalidParameter, argument: "fail", "asked to fail")
        }
        guard case .float64(let x) = try args.input("x").storage else {
            throw CaseError(.invalidDtype, argument: "x", "expected float64")
        }
        return ["output": try .float64(x.map { 2 * $0 }, shape: try args.input("x").shape)]
    }
    return registry
}

func file(_ suite: String, _ cases: [FixtureCase], path: String = "mem.json") -> FixtureFile {
    FixtureFile(path: path, suite: suite, entries: cases.map { .valid($0) })
}

func doublingCase(_ id: String, x: [Double], expected: [Double], params: JSONObject = [:]) -> FixtureCase {
    FixtureCase(
        id: id, params: params, inputs: ["x": try! .float64(x, shape: [x.count])],
        expectation: .outputs(["output": try! .float64(expected, shape: [expected.count])]))
}

@Suite("Runner")
struct RunnerTests {
    let runner = ConformanceRunner(registry: doublingRegistry())

    @Test func passesAndFails() {
        let f = file("test.double", [doublingCase("ok", x: [1, 2], expected: [2, 4]), doublingCase("bad", x: [1], expected: [3])])
        let report = runner.run(CaseSelection().items(from: [.file(f)]))
        #expect(report.results.map(\.status) == [.passed, .failed])
        #expect(report.results[1].message?.contains("output: 1 of 1 elements differ") == true)
        #expect(report.summaryLine == "1 passed, 1 failed, 0 skipped")
    }

    @Test func missingImplementationFailsNeverSkips() {
        let f = file("torch.nowhere", [doublingCase("a", x: [1], expected: [2])])
        let result = runner.run(f.cases[0], in: f)
        #expect(result.status == .failed)
        #expect(result.message == "no implementation for suite torch.nowhere")
    }

    @Test func errorExpectations() {
        let raise: JSONObject = ["fail": .bool(true)]
        let cases = [
            FixtureCase(id: "right-kind", params: raise, inputs: [:], expectation: .error(.invalidParameter, message: "m")),
            FixtureCase(id: "wrong-kind", params: raise, inputs: [:], expectation: .error(.invalidTarget, message: "fw says")),
            FixtureCase(
                id: "no-error", inputs: ["x": try! .float64([1], shape: [1])], expectation: .error(.shapeMismatch, message: nil)),
            doublingCase("unexpected-error", x: [1], expected: [2], params: raise),
            FixtureCase(id: "missing-output", inputs: ["x": try! .float64([1], shape: [1])],
                        expectation: .outputs(["grad_x": try! .float64([1], shape: [1])])),
        ]
        let results = cases.map { runner.run($0, in: file("test.double", cases)) }
        #expect(results.map(\.status) == [.passed, .failed, .failed, .failed, .failed])
        #expect(results[1].message?.contains("framework raised invalid_target (framework: fw says)") == true)
        #expect(results[2].message?.contains("instead of raising shape_mismatch") == true)
        #expect(results[3].message?.contains("but the framework returned outputs") == true)
        #expect(results[4].message?.contains("grad_x: missing") == true)
    }

    @Test func unclassifiedErrorsNeverSatisfyAnErrorCase() {
        struct Boom: Error {}
        var registry = SuiteRegistry()
        registry.register("test.boom") { _ in throw Boom() }
        let c = FixtureCase(id: "e", inputs: [:], expectation: .error(.invalidTarget, message: nil))
        let result = ConformanceRunner(registry: registry).run(c, in: file("test.boom", [c]))
        #expect(result.status == .failed)
        #expect(result.message?.contains("unclassified error") == true)
    }

    @Test func expectedFailuresAreStrict() {
        let f = file("test.double", [doublingCase("known-bug", x: [1], expected: [3]), doublingCase("fixed", x: [1], expected: [2])])
        let xfail = ExpectedFailures(parsing: "# known\n  test.double/known-bug  \n\ntest.double/fixed\ntest.double/gone\n")
        let report = ConformanceRunner(registry: doublingRegistry(), expectedFailures: xfail).run(CaseSelection().items(from: [.file(f)]))
        #expect(report.results.map(\.status) == [.skipped, .failed])
        #expect(report.results[0].message?.hasPrefix("expected failure: ") == true)
        #expect(report.results[1].message?.contains("unexpectedly passed") == true)
        #expect(report.unmatchedExpectedFailures == ["test.double/gone"])
    }

    @Test func filterAndShard() throws {
        let cases = (0..<10).map { doublingCase("c\($0)", x: [1], expected: [2]) }
        let fixtures: [LoadedFixture] = [.file(file("test.double", cases))]
        let filtered = CaseSelection(filters: ["c1", "c9"]).items(from: fixtures).map(\.id)
        #expect(filtered == ["c1", "c9"])
        // An empty filter is a substring of every key: it selects everything.
        #expect(CaseSelection(filters: [""]).items(from: fixtures).count == cases.count)
        var union: [String] = []
        for i in 0..<3 {
            let shard = try CaseSelection.Shard(parsing: "\(i)/3")
            union += CaseSelection(shard: shard).items(from: fixtures).map(\.id)
        }
        #expect(union.sorted() == cases.map(\.id).sorted())
        #expect(CaseSelection(shard: try .init(index: 1, count: 3)).items(from: fixtures).map(\.id) == ["c1", "c4", "c7"])
        for bad in ["3/3", "-1/2", "1", "a/b", "0/0"] {
            #expect(throws: CaseError.self) { try CaseSelection.Shard(parsing: bad) }
        }
    }

    @Test func folderMixingGoodBrokenAndUnknownSuiteFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hc-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var good = baseDocument()
        good["suite"] = .string("test.double")
        var goodCase = good["cases"]!.arrayValue![0].objectValue!
        goodCase["params"] = .object([:])
        goodCase["inputs"] = .object(["x": .object(["dtype": .string("float64"), "shape": .array([.number(JSONNumber(1))]), "data": .array([.float(1.5)])])])
        goodCase["expected"] = .object(["output": .object(["dtype": .string("float64"), "shape": .array([.number(JSONNumber(1))]), "data": .array([.float(3.0)])])])
        good["cases"] = .array([.object(goodCase), .object(["id": .string("broken-case")])])
        try JSONValue.object(good).serialized().write(to: dir.appendingPathComponent("a-good.json"), atomically: true, encoding: .utf8)
        try "{not json".write(to: dir.appendingPathComponent("nested/b-broken.json"), atomically: true, encoding: .utf8)
        var unknown = baseDocument()
        unknown["suite"] = .string("keras.losses.unknown")
        try JSONValue.object(unknown).serialized().write(to: dir.appendingPathComponent("c-unknown.json"), atomically: true, encoding: .utf8)
        try "not a fixture".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)

        let loaded = FixtureLoader.load(paths: [dir.path, dir.appendingPathComponent("missing.json").path])
        let report = runner.run(CaseSelection().items(from: loaded))
        let summary = report.results.map { "\($0.suite)|\($0.id)|\($0.status)" }
        #expect(summary.count == 5)
        #expect(summary[0] == "test.double|c1|passed")
        #expect(summary[1] == "test.double|broken-case|failed")
        #expect(summary[2] == "keras.losses.unknown|c1|failed")
        #expect(summary[3].hasPrefix("fixture-file|") && summary[3].hasSuffix("b-broken.json|failed"))
        #expect(summary[4].hasSuffix("missing.json|failed"))
        #expect(report.results[1].message?.contains("case 'broken-case': inputs") == true)
        #expect(report.results[2].message == "no implementation for suite keras.losses.unknown")
        #expect(report.results[3].message?.contains("invalid JSON at line 1") == true)
        #expect(report.results[4].message?.contains("no such file or folder") == true)
        #expect(report.failed == 4 && report.passed == 1)
    }

    @Test func caseArgumentAccessorsClassifyTheirErrors() throws {
        let args = CaseArguments(
            params: ["reduction": .number(JSONNumber(1)), "p": .float(2.0), "q": .float(2.5),
                     "flag": .string("yes"), "margin": .string("inf")],
            inputs: ["x": try .float64([1], shape: [1])])
        #expect(throws: CaseError(.invalidParameter, argument: "reduction", "must be a string, found 1")) {
            try args.string("reduction", default: "mean")
        }
        #expect(try args.int("p", default: 1) == 2)
        #expect(throws: CaseError.self) { try args.int("q", default: 1) }
        #expect(throws: CaseError.self) { try args.bool("flag", default: false) }
        #expect(try args.double("margin", default: 0) == .infinity)
        #expect(try args.double("absent", default: 0.5) == 0.5)
        #expect(throws: CaseError.self) { try args.input("y") }
        #expect(throws: CaseError.self) { try args.expectInputs(["y"]) }
        #expect(throws: CaseError.self) { try args.expectParams(["reduction"]) }
    }
}
