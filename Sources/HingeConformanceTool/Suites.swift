import ArgumentParser
import HingeConformance
import HingeSuites

struct Suites: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the suites this package implements and the fixture cases each has.")

    @OptionGroup var fixtures: FixtureOptions

    func run() throws {
        var counts: [String: Int] = [:]
        for fixture in FixtureLoader.load(paths: try fixtures.resolvedPaths()) {
            if case .file(let file) = fixture { counts[file.suite, default: 0] += file.entries.count }
        }
        let implemented = Set(SuiteRegistry.bundled.suites)
        for suite in implemented.union(counts.keys).sorted() {
            let status = implemented.contains(suite) ? "implemented" : "NO IMPLEMENTATION"
            print("\(suite)  \(counts[suite] ?? 0) cases  \(status)")
        }
    }
}
