import Foundation
import HingeConformance
import HingeSuites

#if PythonHarness
import PythonBridge
#endif

/// What `hinge-conformance fuzz` was asked to do.
package struct FuzzOptions: Sendable {
    /// Suites to fuzz (empty: every suite with a fixture file), and suites to leave out.
    package var suites: [String] = []
    package var skippedSuites: [String] = []
    /// Cases judged per suite.
    package var cases = 1000
    /// Case i of a seed is always the same case.
    package var seed: UInt64 = 0
    /// Only these cases of the seed (to reproduce findings).
    package var caseIndices: [Int] = []
    /// The folder for the findings files.
    package var out = "fuzz-findings"
    /// Seconds a Python reference may take per case (0: no limit).
    package var timeout = 10.0
    /// Compare with the NumPy mirror alone, even where the framework is importable.
    package var mirrorOnly = false
    /// Say what the reference did with the drawn cases, per suite.
    package var stats = false

    package init() {}
}

/// Where the fuzzer's messages go: lines for standard output and standard error.
package struct FuzzConsole: Sendable {
    package var out: @Sendable (String) -> Void
    package var err: @Sendable (String) -> Void
    /// Whether to draw progress bars (standard error is a terminal).
    package var showsProgress: Bool

    package init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void, showsProgress: Bool) {
        self.out = out
        self.err = err
        self.showsProgress = showsProgress
    }

    /// Unbuffered standard output and error, so that lines written by Swift and by the
    /// embedded Python (which writes straight to the file descriptors) keep their order.
    package static let standard = FuzzConsole(
        out: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
        err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
        showsProgress: isatty(2) != 0)
}

/// A fuzz run's setup problem (a suite without a fixture file or an implementation).
package struct FuzzSetupError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// The fixture files to fuzz, one per suite, in the order asked for.
package struct FuzzPlan: Sendable {
    package var files: [FixtureFile]
    /// Fixture files that did not load (reported as warnings; the run goes on).
    package var unreadable: [FixtureError]

    /// The first fixture file of each suite in `loaded`, filtered by `suites` and `skippedSuites`.
    ///
    /// - Throws: `FuzzSetupError` when a suite asked for has no fixture file.
    package init(loaded: [LoadedFixture], options: FuzzOptions, searched: [String]) throws(FuzzSetupError) {
        var files: [String: FixtureFile] = [:]
        var order: [String] = []
        unreadable = []
        for fixture in loaded {
            switch fixture {
            case .unreadable(let error): unreadable.append(error)
            case .file(let file):
                if files[file.suite] == nil {
                    order.append(file.suite)
                    files[file.suite] = file
                }
            }
        }
        let selected = (options.suites.isEmpty ? order : options.suites).filter { !options.skippedSuites.contains($0) }
        for suite in selected where files[suite] == nil {
            throw FuzzSetupError("no fixture file for suite '\(suite)' in \(searched.joined(separator: ", "))")
        }
        self.files = selected.compactMap { files[$0] }
    }
}

#if PythonHarness
/// Fuzzes the Swift implementations against the suites' NumPy mirrors (and frameworks,
/// when importable) through the embedded interpreter's `hinge_harness` module.
package struct FuzzEngine {
    package let options: FuzzOptions
    package let console: FuzzConsole
    package let registry: SuiteRegistry

    package init(options: FuzzOptions, console: FuzzConsole = .standard, registry: SuiteRegistry = .bundled) {
        self.options = options
        self.console = console
        self.registry = registry
    }

    /// Fuzzes every file of the plan; `true` when every suite was set up and nothing disagreed.
    package func run(_ plan: FuzzPlan, python: EmbeddedPython, module: PythonObject) -> Bool {
        for error in plan.unreadable { console.err("warning: \(error)") }
        console.out("embedded Python \(python.pythonVersion) (venv \(python.venv)), NumPy \(python.numpyVersion)")
        var total = FuzzTally()
        var announced: Set<String> = []
        var failedSetUp = false
        for file in plan.files {
            do {
                total = total + (try fuzz(file, module: module, announced: &announced))
            } catch {
                failedSetUp = true
                console.err("\(file.suite): \(error)")
            }
        }
        if plan.files.count > 1 { console.out("total: " + total.line) }
        return total.disagree == 0 && !failedSetUp
    }

    // MARK: - One suite

    func fuzz(_ file: FixtureFile, module: PythonObject, announced: inout Set<String>) throws -> FuzzTally {
        let suite = file.suite
        guard let implementation = registry.implementation(for: suite) else {
            throw FuzzSetupError("no Swift implementation registered for \(suite)")
        }
        let bases = file.cases.filter { if case .outputs = $0.expectation { true } else { false } }
        guard !bases.isEmpty else { throw FuzzSetupError("\(file.path) has no non-error case to start from") }
        let handle = try module.attribute("FuzzSuite").call([.string(suite)])
        let about = try handle.callMethod("describe").swiftValue()
        let framework = about.entry("framework")?.stringValue
        var useFramework = about.entry("framework_available")?.boolValue ?? false
        if let framework {
            if options.mirrorOnly {
                useFramework = false
                if announced.insert(framework).inserted { console.out("framework \(framework): not used (--mirror-only): fuzzing against the NumPy mirror alone") }
            } else if !useFramework {
                if announced.insert(framework).inserted {
                    console.out("framework \(framework) not importable: fuzzing against the NumPy mirror alone")
                    if let reason = about.entry("framework_reason")?.stringValue { console.out("  (\(reason))") }
                }
            } else if announced.insert(framework).inserted {
                console.out("framework \(framework) importable: expected values from \(framework), the mirror checked against it")
            }
        }
        let generator = about.entry("generator")?.stringValue ?? "tools/"
        // Case i of a seed is always the same draw. Draws the references skip (undefined or
        // not modelled) do not count: the run goes on until `--cases` cases were judged.
        let explicit = !options.caseIndices.isEmpty
        let target = explicit ? options.caseIndices.count : options.cases
        let limit = explicit ? options.caseIndices.count : options.cases * 10
        var tally = FuzzTally()
        var findings: [FuzzFinding] = []
        var progress = ProgressBar(label: suite, total: target, enabled: console.showsProgress)
        let clock = ContinuousClock()
        let start = clock.now
        var shownCrashes: Set<String> = []
        var drawn = 0
        while (explicit ? drawn < limit : tally.cases < target && drawn < limit) {
            let index = explicit ? options.caseIndices[drawn] : drawn
            drawn += 1
            var rng = SplitMix64(seed: options.seed, index: index)
            let base = bases[rng.index(bases.count)]
            let draw = FuzzInputs.draw(from: base, rng: &rng)
            let id = "fuzz/seed-\(options.seed)/case-\(index)/\(base.id)"
            let mirror = evaluate(handle, "mirror", base: base, inputs: draw.inputs)
            // The mirror knows where the framework's result is undefined (TorchUndefined:
            // torch returns uninitialised memory there); the framework itself does not say.
            let undefined: FuzzOutcome? = if case .skipped(let reason, _) = mirror, reason.hasSuffix("Undefined") { mirror } else { nil }
            let reference = undefined ?? (useFramework ? evaluate(handle, "framework", base: base, inputs: draw.inputs) : mirror)
            if case .skipped(let reason, _) = reference {
                tally.skipped[reason, default: 0] += 1
                progress.update(done: tally.cases, disagree: tally.disagree, start: start)
                continue
            }
            tally.cases += 1
            if options.stats {
                tally.outcomes["mode " + draw.mode.rawValue, default: 0] += 1
                if let shrunk = draw.shrunk { tally.outcomes["leading axis -> \(shrunk)", default: 0] += 1 }
                tally.outcomes[reference.statsLabel, default: 0] += 1
            }
            var what: [String] = []
            let swift = Result { try implementation(CaseArguments(params: base.params, context: base.context, inputs: draw.inputs)) }
            let referenceName = useFramework ? framework ?? "framework" : "mirror"
            if let problem = reference.disagreement(with: swift.mapError { $0 as any Error }, file: file, base: base) {
                what.append("swift vs \(referenceName): \(problem)")
            }
            if useFramework {
                if case .skipped = mirror {} else if let problem = reference.disagreement(with: mirror.asResult, file: file, base: base) {
                    what.append("mirror vs \(referenceName): \(problem)")
                }
            }
            for outcome in [mirror, reference] {
                if case .crashed(let traceback) = outcome, shownCrashes.insert(traceback).inserted {
                    progress.clear()
                    console.err("\(suite) \(id): Python raised:\n\(traceback)")
                }
            }
            if what.isEmpty {
                tally.agree += 1
            } else {
                tally.disagree += 1
                findings.append(FuzzFinding(id: id, base: base, inputs: draw.inputs, expected: reference, what: what))
                if findings.count <= 10 {
                    progress.clear()
                    console.out("DISAGREE \(suite) \(id) [\(draw.mode.rawValue)\(draw.shrunk.map { ", leading axis -> \($0)" } ?? "")]")
                    for line in what { console.out("  " + line) }
                }
            }
            progress.update(done: tally.cases, disagree: tally.disagree, start: start)
        }
        tally.seconds = (clock.now - start).seconds
        progress.finish()
        if findings.count > 10 { console.out("... \(findings.count - 10) more disagreements") }
        if !findings.isEmpty {
            let versions = (try? handle.callMethod("versions").swiftValue()) ?? .none
            let provenance = FindingsFile.Provenance(
                seed: options.seed, cases: options.cases,
                expectedFrom: useFramework ? "\(framework ?? "the framework") (the framework itself)" : "the NumPy mirror in \(generator)",
                versions: versions.json, generator: generator)
            let path = try FindingsFile.write(findings, of: file, provenance: provenance, directory: options.out, warn: console.err)
            console.out("wrote \(findings.count) finding(s) to \(path)")
        }
        console.out("\(suite): " + tally.line)
        if options.stats {
            for (key, count) in tally.outcomes.sorted(by: { $0.key < $1.key }) { console.out("  \(count)\t\(key)") }
        }
        return tally
    }

    /// Runs the mirror or the framework on a case.
    func evaluate(_ handle: PythonObject, _ which: String, base: FixtureCase, inputs: NamedArrays) -> FuzzOutcome {
        do {
            let result = try handle.callMethod(
                "run",
                [.string(which), .json(.object(base.params)), .dict(inputs.map { (key: $0.key, value: .array($0.value)) }),
                 .json(.object(base.context)), .double(options.timeout)]
            ).swiftValue()
            guard let items = result.items, let tag = items.first?.stringValue else {
                return .crashed("the harness returned an unexpected value")
            }
            switch tag {
            case "outputs":
                var outputs = NamedArrays()
                for pair in items[1].items ?? [] {
                    guard let pair = pair.items, pair.count == 2, let name = pair[0].stringValue, let array = pair[1].arrayValue else {
                        return .crashed("the \(which) returned an output that is not a named array")
                    }
                    outputs[name] = array
                }
                return .outputs(outputs)
            case "error":
                let kindText = items[1].stringValue ?? ""
                let message = items[2].stringValue ?? ""
                guard let kind = ErrorKind(rawValue: kindText) else { return .crashed("unknown error kind '\(kindText)': \(message)") }
                return .error(kind, message: message)
            default:
                return .skipped(reason: items.count > 1 ? items[1].stringValue ?? tag : tag, message: items.count > 2 ? items[2].stringValue ?? "" : "")
            }
        } catch {
            return .crashed("\(error)")
        }
    }
}

extension PythonValue {
    /// The value of `key` in a dict value.
    func entry(_ key: String) -> PythonValue? {
        entries?.first { $0.key == key }?.value
    }

    /// The value as JSON (for the findings' provenance); arrays and objects as their description.
    var json: JSONValue {
        switch self {
        case .none: .null
        case .bool(let b): .bool(b)
        case .int(let i): .number(JSONNumber(i))
        case .double(let d): FixtureEncoder.float(d)
        case .string(let s): .string(s)
        case .list(let items), .tuple(let items): .array(items.map(\.json))
        case .dict(let entries):
            .object({
                var o = JSONObject()
                for (k, v) in entries { o[k] = v.json }
                return o
            }())
        case .array, .json, .object: .string("\(self)")
        }
    }
}
#endif
