import ArgumentParser
import Foundation
import HingeConformance
import HingeSuites

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

    func run() throws {
        #if PythonHarness
        try FuzzRun(options: self).run()
        #else
        throw HarnessUnavailable.fail("fuzz")
        #endif
    }
}

#if PythonHarness
/// What a reference (mirror or framework) or the Swift implementation did with a case.
enum FuzzOutcome {
    case outputs(NamedArrays)
    case error(ErrorKind, message: String)
    /// The framework leaves the result undefined (torch's empty-batch mean), or the mirror
    /// does not model these inputs: not compared.
    case skipped(reason: String, message: String)
    /// Python raised something that is not the suite's LossError: a bug in the mirror or the harness.
    case crashed(String)
}

/// One suite's fuzz totals.
struct FuzzTally {
    var cases = 0
    var agree = 0
    var disagree = 0
    /// Draws not judged, by reason (`TorchUndefined`, `NotCertified`, `timeout`, ...).
    var skipped: [String: Int] = [:]
    var seconds = 0.0
    /// What the reference did with the judged cases (for `--stats`).
    var outcomes: [String: Int] = [:]

    var rate: Double { seconds > 0 ? Double(cases) / seconds : 0 }

    var line: String {
        let shownRate = rate >= 100 ? String(Int(rate.rounded())) : String(format: "%.2g", rate)
        var text = "\(cases) cases, \(agree) agree, \(disagree) disagree, \(shownRate) cases/s"
        if !skipped.isEmpty {
            let reasons = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            text += " (\(skipped.values.reduce(0, +)) more drawn and skipped: \(reasons))"
        }
        return text
    }

    static func + (a: FuzzTally, b: FuzzTally) -> FuzzTally {
        FuzzTally(cases: a.cases + b.cases, agree: a.agree + b.agree, disagree: a.disagree + b.disagree,
                  skipped: a.skipped.merging(b.skipped, uniquingKeysWith: +), seconds: a.seconds + b.seconds)
    }
}

/// A disagreement, as it goes into the findings file.
struct FuzzFinding {
    var id: String
    var base: FixtureCase
    var inputs: NamedArrays
    /// The reference's result (the framework's when available, else the mirror's); nil when it crashed.
    var expected: FuzzOutcome
    var what: [String]
}

struct FuzzRun {
    let options: Fuzz
    let registry = SuiteRegistry.bundled

    func run() throws {
        let loaded = FixtureLoader.load(paths: options.fixtures.resolvedPaths())
        var files: [String: FixtureFile] = [:]
        var order: [String] = []
        for fixture in loaded {
            switch fixture {
            case .unreadable(let error): Console.err("warning: \(error)")
            case .file(let file):
                if files[file.suite] == nil { order.append(file.suite) }
                files[file.suite] = files[file.suite] ?? file
            }
        }
        let selected = (options.suites.isEmpty ? order : options.suites).filter { !options.skippedSuites.contains($0) }
        for suite in selected where files[suite] == nil {
            throw ValidationError("no fixture file for suite '\(suite)' in \(options.fixtures.resolvedPaths().joined(separator: ", "))")
        }
        let python: EmbeddedPython
        let module: PythonObject
        do {
            (python, module) = try HarnessModule.load(venv: options.harness.venv, tools: PackageLayout.tools)
        } catch {
            Console.err("hinge-conformance fuzz: \(error)")
            throw ExitCode.failure
        }
        Console.out("embedded Python \(python.pythonVersion) (venv \(python.venv)), NumPy \(python.numpyVersion)")
        var total = FuzzTally()
        var announced: Set<String> = []
        var failedSetUp = false
        for suite in selected {
            guard let file = files[suite] else { continue }
            do {
                let tally = try fuzz(file, python: python, module: module, announced: &announced)
                total = total + tally
            } catch {
                failedSetUp = true
                Console.err("\(suite): \(error)")
            }
        }
        if selected.count > 1 { Console.out("total: " + total.line) }
        if total.disagree > 0 || failedSetUp { throw ExitCode.failure }
    }

    // MARK: - One suite

    func fuzz(_ file: FixtureFile, python: EmbeddedPython, module: PythonObject, announced: inout Set<String>) throws -> FuzzTally {
        let suite = file.suite
        guard let implementation = registry.implementation(for: suite) else {
            throw ValidationError("no Swift implementation registered for \(suite)")
        }
        let bases = file.cases.filter { if case .outputs = $0.expectation { true } else { false } }
        guard !bases.isEmpty else { throw ValidationError("\(file.path) has no non-error case to start from") }
        let handle = try module.attribute("FuzzSuite").call([.string(suite)])
        let about = try handle.callMethod("describe").swiftValue()
        let framework = about.entry("framework")?.stringValue
        var useFramework = about.entry("framework_available")?.boolValue ?? false
        if let framework {
            if options.mirrorOnly {
                useFramework = false
                if announced.insert(framework).inserted { Console.out("framework \(framework): not used (--mirror-only): fuzzing against the NumPy mirror alone") }
            } else if !useFramework {
                if announced.insert(framework).inserted {
                    Console.out("framework \(framework) not importable: fuzzing against the NumPy mirror alone")
                    if let reason = about.entry("framework_reason")?.stringValue { Console.out("  (\(reason))") }
                }
            } else if announced.insert(framework).inserted {
                Console.out("framework \(framework) importable: expected values from \(framework), the mirror checked against it")
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
        var progress = ProgressBar(label: suite, total: target)
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
                tally.outcomes[FuzzRun.describeOutcome(reference), default: 0] += 1
            }
            var what: [String] = []
            let swift = Result { try implementation(CaseArguments(params: base.params, context: base.context, inputs: draw.inputs)) }
            let referenceName = useFramework ? framework ?? "framework" : "mirror"
            if let problem = compare(swift.mapError { $0 as any Error }, with: reference, file: file, base: base) {
                what.append("swift vs \(referenceName): \(problem)")
            }
            if useFramework {
                if case .skipped = mirror {} else if let problem = compare(mirror.asResult, with: reference, file: file, base: base) {
                    what.append("mirror vs \(referenceName): \(problem)")
                }
            }
            for outcome in [mirror, reference] {
                if case .crashed(let traceback) = outcome, shownCrashes.insert(traceback).inserted {
                    progress.clear()
                    Console.err("\(suite) \(id): Python raised:\n\(traceback)")
                }
            }
            if what.isEmpty {
                tally.agree += 1
            } else {
                tally.disagree += 1
                findings.append(FuzzFinding(id: id, base: base, inputs: draw.inputs, expected: reference, what: what))
                if findings.count <= 10 {
                    progress.clear()
                    Console.out("DISAGREE \(suite) \(id) [\(draw.mode.rawValue)\(draw.shrunk.map { ", leading axis -> \($0)" } ?? "")]")
                    for line in what { Console.out("  " + line) }
                }
            }
            progress.update(done: tally.cases, disagree: tally.disagree, start: start)
        }
        tally.seconds = Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds) / 1e18
        progress.finish()
        if findings.count > 10 { Console.out("... \(findings.count - 10) more disagreements") }
        if !findings.isEmpty {
            let versions = (try? handle.callMethod("versions").swiftValue()) ?? .none
            let path = try FindingsFile.write(
                findings, of: file, seed: options.seed, cases: options.cases, directory: options.out,
                expectedFrom: useFramework ? "\(framework ?? "the framework") (the framework itself)" : "the NumPy mirror in \(generator)",
                versions: versions, generator: generator)
            Console.out("wrote \(findings.count) finding(s) to \(path)")
        }
        Console.out("\(suite): " + tally.line)
        if options.stats {
            for (key, count) in tally.outcomes.sorted(by: { $0.key < $1.key }) { Console.out("  \(count)\t\(key)") }
        }
        return tally
    }

    /// How `--stats` counts a reference's result.
    static func describeOutcome(_ outcome: FuzzOutcome) -> String {
        switch outcome {
        case .outputs(let outputs):
            var nonFinite = false
            for (_, array) in outputs {
                switch array.storage {
                case .float32(let a): nonFinite = nonFinite || a.contains { !$0.isFinite }
                case .float64(let a): nonFinite = nonFinite || a.contains { !$0.isFinite }
                default: break
                }
            }
            return nonFinite ? "reference: outputs with NaN/inf" : "reference: finite outputs"
        case .error(let kind, _): return "reference: \(kind) error"
        case .skipped(let reason, _): return "reference: skipped (\(reason))"
        case .crashed: return "reference: crashed"
        }
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

    /// Why `actual` does not match `expected` (nil when it does).
    func compare(_ actual: Result<NamedArrays, any Error>, with expected: FuzzOutcome, file: FixtureFile, base: FixtureCase) -> String? {
        switch (expected, actual) {
        case (.crashed(let traceback), _):
            return "the reference crashed: " + (traceback.split(separator: "\n").last.map(String.init) ?? traceback)
        case (.skipped, _):
            return nil
        case (.outputs(let want), .success(let got)):
            var problems: [String] = []
            for (name, array) in want {
                guard let mine = got[name] else {
                    problems.append("\(name): missing (returned \(got.keys))")
                    continue
                }
                let result = Comparator.compare(
                    name: name, actual: mine, expected: array, tolerance: file.tolerance(for: base, dtype: array.dtype))
                if !result.passed { problems.append(result.message ?? name) }
            }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        case (.outputs, .failure(let error)):
            return "threw \(describe(error)), the reference returned outputs"
        case (.error(let kind, let message), .success(let got)):
            return "returned \(got.keys), the reference raised \(kind): \(message)"
        case (.error(let kind, let message), .failure(let error)):
            if let classified = error as? any ClassifiedError, classified.errorKind == kind { return nil }
            return "threw \(describe(error)), the reference raised \(kind): \(message)"
        }
    }

    private func describe(_ error: any Error) -> String {
        if let classified = error as? any ClassifiedError { return "\(classified.errorKind) '\(error)'" }
        return "'\(error)'"
    }
}

extension FuzzOutcome {
    /// A reference's outcome as if it were an implementation's, to compare the mirror with the framework.
    var asResult: Result<NamedArrays, any Error> {
        switch self {
        case .outputs(let outputs): .success(outputs)
        case .error(let kind, let message): .failure(CaseError(kind, argument: "mirror", message))
        case .skipped(let reason, let text): .failure(MirrorFailure(text: "\(reason): " + text))
        case .crashed(let text): .failure(MirrorFailure(text: text))
        }
    }
}

private struct MirrorFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

extension PythonValue {
    /// The value of `key` in a dict value.
    func entry(_ key: String) -> PythonValue? {
        entries?.first { $0.key == key }?.value
    }
}

/// A one-line progress bar on standard error, drawn only when it is a terminal.
struct ProgressBar {
    let label: String
    let total: Int
    let enabled = Console.stderrIsTerminal
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false

    init(label: String, total: Int) {
        self.label = label
        self.total = total
    }

    mutating func update(done: Int, disagree: Int, start: ContinuousClock.Instant) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let lastDraw, now - lastDraw < .milliseconds(100), done < total { return }
        lastDraw = now
        let elapsed = now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = seconds > 0 ? Int((Double(done) / seconds).rounded()) : 0
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label) [\(bar)] \(done)/\(total)  \(rate) cases/s  \(disagree) disagree".utf8))
        drawn = true
    }

    /// Erases the bar so a message can be printed on a clean line.
    mutating func clear() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
        lastDraw = nil
    }

    mutating func finish() { clear() }
}

/// The findings of one suite as a fixture file (format v1), laid out like the generators' files.
enum FindingsFile {
    static func write(
        _ findings: [FuzzFinding], of file: FixtureFile, seed: UInt64, cases: Int, directory: String,
        expectedFrom: String, versions: PythonValue, generator: String
    ) throws -> String {
        var provenance = JSONObject()
        provenance["generator"] = .string("hinge-conformance fuzz")
        provenance["command"] = .string(
            "swift run --traits PythonHarness hinge-conformance fuzz --suite \(file.suite) --cases \(cases) --seed \(seed)")
        provenance["date"] = .string(today())
        provenance["seed"] = .number(JSONNumber(seed))
        provenance["versions"] = json(versions)
        provenance["expected_from"] = .string(expectedFrom)
        provenance["mirror"] = .string(generator)
        provenance["base_fixture"] = .string(file.path)
        provenance["findings"] = .array(findings.map { finding in
            var entry = JSONObject()
            entry["id"] = .string(finding.id)
            entry["base_case"] = .string(finding.base.id)
            entry["disagreement"] = .array(finding.what.map(JSONValue.string))
            return .object(entry)
        })
        var document = JSONObject()
        document["format"] = .string("hinge-conformance/fixture")
        document["format_version"] = .number(JSONNumber(1))
        document["suite"] = .string(file.suite)
        document["provenance"] = .object(provenance)
        if !file.defaultTolerance.isEmpty {
            var tolerance = JSONObject()
            for dtype in [DType.float32, .float64] {
                guard let t = file.defaultTolerance[dtype] else { continue }
                tolerance[dtype.rawValue] = .object(tolerancJSON(t))
            }
            document["default_tolerance"] = .object(tolerance)
        }
        document["cases"] = .array(findings.compactMap(caseJSON))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("\(file.suite).seed-\(seed).json")
        let text = dump(.object(document), depth: 0) + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let problems = FixtureDecoder.validate([UInt8](text.utf8), path: path)
        for problem in problems { Console.err("warning: the findings file breaks format v1: \(problem)") }
        return path
    }

    /// A finding as a fixture case; `nil` when the reference crashed (nothing to expect).
    static func caseJSON(_ finding: FuzzFinding) -> JSONValue? {
        var c = JSONObject()
        c["id"] = .string(finding.id)
        c["tags"] = .array([.string("fuzz")])
        c["params"] = .object(finding.base.params)
        if !finding.base.context.isEmpty { c["context"] = .object(finding.base.context) }
        var inputs = JSONObject()
        for (name, array) in finding.inputs { inputs[name] = arrayJSON(array) }
        c["inputs"] = .object(inputs)
        switch finding.expected {
        case .outputs(let outputs):
            var expected = JSONObject()
            for (name, array) in outputs { expected[name] = arrayJSON(array) }
            c["expected"] = .object(expected)
        case .error(let kind, let message):
            c["expected_error"] = .object(["kind": .string(kind.rawValue), "message": .string(message)])
        case .skipped, .crashed:
            return nil
        }
        if let tolerance = finding.base.tolerance { c["tolerance"] = .object(tolerancJSON(tolerance)) }
        return .object(c)
    }

    static func tolerancJSON(_ t: PartialTolerance) -> JSONObject {
        var o = JSONObject()
        if let rtol = t.rtol { o["rtol"] = .float(rtol) }
        if let atol = t.atol { o["atol"] = .float(atol) }
        return o
    }

    static func arrayJSON(_ array: FixtureArray) -> JSONValue {
        let data: [JSONValue] =
            switch array.storage {
            case .float32(let a): a.map { .float(Double($0)) }
            case .float64(let a): a.map { .float($0) }
            case .int64(let a): a.map { .number(JSONNumber($0)) }
            case .bool(let a): a.map { .bool($0) }
            case .string(let a): a.map { .string($0) }
            }
        var o = JSONObject()
        o["dtype"] = .string(array.dtype.rawValue)
        o["shape"] = .array(array.shape.map { .number(JSONNumber($0)) })
        o["data"] = .array(data)
        return .object(o)
    }

    static func json(_ value: PythonValue) -> JSONValue {
        switch value {
        case .none: .null
        case .bool(let b): .bool(b)
        case .int(let i): .number(JSONNumber(i))
        case .double(let d): .float(d)
        case .string(let s): .string(s)
        case .list(let items), .tuple(let items): .array(items.map(json))
        case .dict(let entries):
            .object({
                var o = JSONObject()
                for (k, v) in entries { o[k] = json(v) }
                return o
            }())
        case .array, .json, .object: .string("\(value)")
        }
    }

    /// The generators' layout: two-space indent, every ARRAY object on one line.
    static func dump(_ value: JSONValue, depth: Int) -> String {
        let pad = String(repeating: "  ", count: depth)
        let inner = String(repeating: "  ", count: depth + 1)
        switch value {
        case .object(let o) where !o.isEmpty && !(o.count == 3 && o["dtype"] != nil && o["shape"] != nil && o["data"] != nil):
            let items = o.map { inner + JSONValue.string($0.key).serialized(indent: nil) + ": " + dump($0.value, depth: depth + 1) }
            return "{\n" + items.joined(separator: ",\n") + "\n" + pad + "}"
        case .array(let a) where !a.isEmpty:
            return "[\n" + a.map { inner + dump($0, depth: depth + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
        default:
            return value.serialized(indent: nil)
        }
    }

    static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
#endif
