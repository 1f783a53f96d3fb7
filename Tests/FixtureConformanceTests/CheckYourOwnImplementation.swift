import Foundation
import HingeConformance
import Testing

// README: begin
// Check your own hinge loss against the bundled golden fixtures.
// (From your own test target: depend on the "HingeConformance" product and
// point `fixtures` at hinge-conformance's fixtures/ folder or your copy of it.)

/// The implementation under test: per-element hinge losses and their slopes.
func myHinge(labels: [Double], scores: [Double]) -> (losses: [Double], slopes: [Double]) {
    var losses: [Double] = [], slopes: [Double] = []
    for (y, z) in zip(labels, scores) {
        let margin = y * z
        losses.append(margin.isNaN ? .nan : max(0, 1 - margin))
        slopes.append(margin.isNaN ? .nan : (margin < 1 ? -y : 0))
    }
    return (losses, slopes)
}

@Test func myHingeMatchesTheGoldenFixtures() throws {
    var registry = SuiteRegistry()
    registry.register("math.hinge") { args in
        // Turn the fixture's arguments (by the suite's own names) into a call...
        let z = try args.input("z"), y = try args.input("y")
        guard case .float64(let scores) = z.storage else { throw CaseError(.invalidDtype, argument: "z", "float64 only") }
        let labels: [Double] =
            switch y.storage {
            case .float64(let values): values
            case .int64(let values): values.map(Double.init)
            default: throw CaseError(.invalidDtype, argument: "y", "float64 or int64")
            }
        let (losses, slopes) = myHinge(labels: labels, scores: scores)
        // ...and its results into the outputs the fixture names.
        let n = Double(losses.count)
        switch try args.string("reduction", default: "mean") {
        case "none": return ["output": try .float64(losses, shape: z.shape), "grad_z": try .float64(slopes, shape: z.shape)]
        case "sum": return ["output": try .float64([losses.reduce(0, +)], shape: []), "grad_z": try .float64(slopes, shape: z.shape)]
        default: return ["output": try .float64([losses.reduce(0, +) / n], shape: []), "grad_z": try .float64(slopes.map { $0 / n }, shape: z.shape)]
        }
    }
    let fixtures = FixtureLoader.load(paths: [BundledFixtures.folder + "/math.hinge.json"])
    // This port covers float64 and valid input only: select those cases.
    let items = CaseSelection(filters: ["math.hinge/float64/"]).items(from: fixtures).filter { item in
        if case .fixtureCase(let c, _) = item { !c.tags.contains("error") } else { true }
    }
    let report = ConformanceRunner(registry: registry).run(items)
    #expect(report.passed > 0)
    #expect(report.failed == 0, "\(TextReport.render(report, verbose: false))")
}
// README: end

/// The example above is the one README.md shows, character for character.
@Test func readmeShowsTheCompiledExample() throws {
    let source = try String(contentsOfFile: #filePath, encoding: .utf8)
    let readme = try String(contentsOfFile: BundledFixtures.packageRoot.appendingPathComponent("README.md").path, encoding: .utf8)
    let example = try #require(section(of: source, from: "// README: begin\n", to: "// README: end\n"))
    let shown = try #require(section(of: readme, from: "```swift\n// README: begin\n", to: "// README: end\n```"))
    #expect(shown == example)
}

private func section(of text: String, from start: String, to end: String) -> String? {
    guard let lower = text.range(of: start), let upper = text.range(of: end, range: lower.upperBound..<text.endIndex) else {
        return nil
    }
    return String(text[lower.upperBound..<upper.lowerBound])
}
