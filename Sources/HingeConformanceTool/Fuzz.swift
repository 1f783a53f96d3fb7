import ArgumentParser
import Foundation
import HingeConformance
import HingeFuzz

#if PythonHarness
import PythonBridge
#endif

struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: harnessAbstractPrefix + "Fuzz the Swift implementations against the NumPy mirrors (and the frameworks, when importable), in-process.",
        discussion: """
            For each suite, draws cases from its fixture file's non-error cases: the same params, dtypes and \
            (mostly) shapes, with fresh values rich in exact kinks, ties, ±0, subnormals, NaN and ±inf. Each case \
            runs through the suite's NumPy mirror in the embedded Python, through the framework too when it is \
            importable in the venv, and through the Swift implementation; outputs are compared under the fixture \
            file's tolerance for the base case, errors by kind. Every disagreement becomes a ready-to-commit \
            fixture case (format v1, tag "fuzz") in <out>/<suite>.seed-<seed>.json, its expected values from the \
            framework when available, else from the mirror. Prints a summary line per suite \
            ('N cases, N agree, N disagree, N cases/s') and exits 1 on any disagreement. \
            Only in a build with `--traits PythonHarness`.
            """)

    @Option(name: .customLong("suite"), help: ArgumentHelp("A suite to fuzz; repeatable (default: every suite with a fixture file).", valueName: "name"))
    var suites: [String] = []

    @Option(name: .customLong("skip-suite"), help: ArgumentHelp("A suite to leave out; repeatable.", valueName: "name"))
    var skippedSuites: [String] = []

    @Option(help: "Cases per suite.")
    var cases: Int = 1000

    @Option(help: "The seed; case i of a seed is always the same case.")
    var seed: UInt64 = 0

    @Option(name: .customLong("case-index"), help: ArgumentHelp("Run only case I of the seed (to reproduce a finding); repeatable.", valueName: "I"))
    var caseIndices: [Int] = []

    @Option(help: ArgumentHelp("Folder for the findings files.", valueName: "dir"))
    var out: String = "fuzz-findings"

    @Option(help: ArgumentHelp("Skip a case when a Python reference runs longer than this (0: no limit).", valueName: "seconds"))
    var timeout: Double = 10

    @Flag(help: "Compare with the NumPy mirror alone, even where the framework is importable.")
    var mirrorOnly = false

    @Flag(help: "After each suite, say what the reference did with the drawn cases (outputs with NaN/inf, error kinds, draw modes).")
    var stats = false

    @OptionGroup var fixtures: FixtureOptions
    @OptionGroup var harness: HarnessOptions

    func validate() throws {
        guard cases >= 0 else { throw ValidationError("--cases must be >= 0") }
        guard caseIndices.allSatisfy({ $0 >= 0 }) else { throw ValidationError("--case-index must be >= 0") }
    }

    /// The options as the fuzz engine takes them.
    var engineOptions: FuzzOptions {
        var options = FuzzOptions()
        options.suites = suites
        options.skippedSuites = skippedSuites
        options.cases = cases
        options.seed = seed
        options.caseIndices = caseIndices
        options.out = out
        options.timeout = timeout
        options.mirrorOnly = mirrorOnly
        options.stats = stats
        return options
    }

    func run() throws {
        #if PythonHarness
        let paths = try fixtures.resolvedPaths()
        let plan: FuzzPlan
        do {
            plan = try FuzzPlan(loaded: FixtureLoader.load(paths: paths), options: engineOptions, searched: paths)
        } catch {
            throw ValidationError(error.description)
        }
        let python: EmbeddedPython
        let module: PythonObject
        do {
            (python, module) = try HarnessModule.load(venv: harness.venv, tools: PackageLayout.tools)
        } catch {
            Console.err("hinge-conformance fuzz: \(error)")
            throw ExitCode.failure
        }
        if !FuzzEngine(options: engineOptions).run(plan, python: python, module: module) { throw ExitCode.failure }
        #else
        throw HarnessUnavailable.fail("fuzz")
        #endif
    }
}
