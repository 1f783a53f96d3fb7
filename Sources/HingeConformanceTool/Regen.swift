import ArgumentParser
import Foundation

#if PythonHarness
import PythonBridge
#endif

struct Regen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: harnessAbstractPrefix + "Regenerate the fixtures (or check them) with tools/generate_fixtures.py in the embedded Python.",
        discussion: """
            Runs the package's own generator in-process, so the files are those `python3 tools/generate_fixtures.py` \
            writes with the same --date and the same Python version (provenance records the interpreter's). Suites \
            whose expected values come from a framework need it importable in the venv; --check needs NumPy alone. \
            Only in a build with `--traits PythonHarness`.
            """)

    @Option(name: .customLong("suite"), help: ArgumentHelp("A suite to regenerate; repeatable (default: all).", valueName: "name"))
    var suites: [String] = []

    @Flag(help: "Regenerate in memory and compare with the committed files instead of writing.")
    var check = false

    @Option(help: ArgumentHelp("The date recorded in provenance (default: today, UTC).", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(name: .customLong("fixtures-dir"), help: ArgumentHelp("The folder of the fixture files (default: the package's fixtures/).", valueName: "path"))
    var fixturesDirectory: String?

    @OptionGroup var harness: HarnessOptions

    /// The generator's command line.
    var generatorArguments: [String] {
        var argv: [String] = []
        for suite in suites { argv += ["--suite", suite] }
        if check { argv.append("--check") }
        if let date { argv += ["--date", date] }
        if let fixturesDirectory { argv += ["--fixtures-dir", fixturesDirectory] }
        return argv
    }

    func run() throws {
        #if PythonHarness
        let status: Int64
        do {
            let (_, module) = try HarnessModule.load(venv: harness.venv, tools: PackageLayout.tools)
            let result = try module.attribute("regen").call([.list(generatorArguments.map(PythonValue.string))])
            status = try result.swiftValue().intValue ?? 1
        } catch {
            Console.err("hinge-conformance regen: \(error)")
            throw ExitCode.failure
        }
        if status != 0 { throw ExitCode(Int32(clamping: status)) }
        #else
        throw HarnessUnavailable.fail("regen")
        #endif
    }
}
