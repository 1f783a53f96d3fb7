import ArgumentParser
import Foundation
import HingeConformance
import HingeSuites

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run fixture cases against the bundled implementations (the default subcommand).",
        discussion: """
            The text report prints a line per suite (counts and the worst ULP distance and \
            absolute error), every failure in full, and ends with the line \
            'N passed, N failed, N skipped'; --verbose lists every case, --quiet only the failures. \
            Colour only on a terminal, when NO_COLOR is unset and TERM is not dumb. --format github writes GitHub Actions \
            ::error annotations, one per failing case, then the same closing line. \
            Exits with status 1 when any case failed, including broken fixture files and cases \
            whose suite has no implementation.
            """)

    @OptionGroup var fixtures: FixtureOptions

    @Option(name: .customLong("filter"), help: ArgumentHelp("Keep cases whose suite/id contains this text; repeatable (any match keeps a case).", valueName: "text"))
    var filters: [String] = []

    @Option(help: "Report format: text, json, junit or github.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Run every N-th case starting at I (0-based), for a CI matrix of N jobs.", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("A file of expected failures, one suite/id a line ('#' starts a comment).", valueName: "file"))
    var xfail: String?

    @Flag(help: "Print the suite/id of each case that would run, and run nothing.")
    var list = false

    @Flag(help: "In the text report, print only the failures and the closing line.")
    var quiet = false

    @Flag(help: "In the text report, list every case under its suite's line.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
        if let shard {
            do { _ = try CaseSelection.Shard(parsing: shard) } catch { throw ValidationError(error.message) }
        }
    }

    func run() throws {
        let selection = CaseSelection(filters: filters, shard: try shard.map { try CaseSelection.Shard(parsing: $0) })
        let items = selection.items(from: FixtureLoader.load(paths: try fixtures.resolvedPaths()))
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
        let rendered: String
        if format == .text {
            let verbosity: TextReport.Verbosity = quiet ? .quiet : verbose ? .verbose : .normal
            let color = output == nil && TextReport.shouldColor(isTerminal: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment)
            rendered = TextReport.render(report, verbosity: verbosity, color: color)
        } else {
            rendered = format.render(report)
        }
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
            // json and junit carry no closing line of their own: CI still finds it on stderr.
            if format == .json || format == .junit { FileHandle.standardError.write(Data((report.summaryLine + "\n").utf8)) }
        }
        if report.failed > 0 { throw ExitCode.failure }
    }
}
