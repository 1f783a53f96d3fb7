import ArgumentParser
import Foundation
import HingeConformance
import HingeSuites

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run fixture cases against the bundled implementations (the default subcommand).",
        discussion: """
            Prints a table per suite and ends with the line 'N passed, N failed, N skipped'. \
            Exits with status 1 when any case failed, including broken fixture files and cases \
            whose suite has no implementation.
            """)

    @OptionGroup var fixtures: FixtureOptions

    @Option(name: .customLong("filter"), help: ArgumentHelp("Keep cases whose suite/id contains this text; repeatable (any match keeps a case).", valueName: "text"))
    var filters: [String] = []

    @Option(help: "Report format: text, json or junit.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Run every N-th case starting at I (0-based), for a CI matrix of N jobs.", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("A file of expected failures, one suite/id a line ('#' starts a comment).", valueName: "file"))
    var xfail: String?

    @Flag(help: "Print the suite/id of each case that would run, and run nothing.")
    var list = false

    @Flag(help: "In the text report, list only the cases that did not pass.")
    var quiet = false

    func validate() throws {
        if let shard {
            do { _ = try CaseSelection.Shard(parsing: shard) } catch { throw ValidationError(error.message) }
        }
    }

    func run() throws {
        let selection = CaseSelection(filters: filters, shard: try shard.map { try CaseSelection.Shard(parsing: $0) })
        let items = selection.items(from: FixtureLoader.load(paths: fixtures.resolvedPaths()))
        if list {
            for item in items { print(item.key) }
            print("\(items.count) cases")
            return
        }
        var expectedFailures = ExpectedFailures()
        if let xfail {
            guard let data = FileManager.default.contents(atPath: xfail), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read the expected-failures file '\(xfail)'")
            }
            expectedFailures = ExpectedFailures(parsing: text)
        }
        let runner = ConformanceRunner(registry: .bundled, expectedFailures: expectedFailures)
        let report = runner.run(items)
        let rendered = format == .text ? TextReport.render(report, verbose: !quiet) : format.render(report)
        if let output {
            do {
                try rendered.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("cannot write the report to '\(output)': \(error.localizedDescription)")
            }
            print("wrote \(format.rawValue) report to \(output)")
            print(report.summaryLine)
        } else {
            print(rendered, terminator: "")
            if format != .text { FileHandle.standardError.write(Data((report.summaryLine + "\n").utf8)) }
        }
        if report.failed > 0 { throw ExitCode.failure }
    }
}
