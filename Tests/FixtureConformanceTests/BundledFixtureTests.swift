import Foundation
import HingeConformance
import HingeFixtures
import HingeSuites
import Testing

/// The bundled fixtures as a user gets them: the `HingeFixtures` resource bundle
/// (`HingeFixturesTests` checks it holds exactly the files of `fixtures/`).
enum BundledFixtures {
    /// The checkout, for the files that are not resources (registry.json, README.md).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A missing bundle leaves a path that does not exist: every test that loads it fails, naming it.
    static let folder = (try? HingeFixtures.folder.path) ?? "missing-HingeFixtures-bundle"
    static let loaded = FixtureLoader.load(paths: [folder])
    static let files: [FixtureFile] = loaded.compactMap { if case .file(let f) = $0 { f } else { nil } }
    static let items = CaseSelection().items(from: loaded).map(FixtureItem.init)
    static let runner = ConformanceRunner(registry: .bundled)
}

/// The suite registry the Python generators share, `tools/hinge_fixtures/registry.json`:
/// suite name -> the least number of cases its fixture file must have.
enum SuiteRegistryFile {
    static let path = BundledFixtures.packageRoot.appendingPathComponent("tools/hinge_fixtures/registry.json").path

    static func load() throws -> [String: Int] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let rows = try JSONParser.parse([UInt8](data)).objectValue?["suites"]?.arrayValue else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var minimum: [String: Int] = [:]
        for row in rows {
            guard let entry = row.objectValue, let suite = entry["suite"]?.stringValue,
                let least = entry["min_cases"]?.numberValue?.int64Value
            else { throw CocoaError(.fileReadCorruptFile) }
            minimum[suite] = Int(least)
        }
        return minimum
    }
}

/// A fixture case as a test argument, named `suite/id` in the test log.
struct FixtureItem: Sendable, CustomTestStringConvertible {
    let item: RunItem
    var testDescription: String { item.key }
}

@Suite("Bundled fixtures")
struct BundledFixtureTests {
    /// Every bundled fixture case, evaluated against the bundled implementations.
    @Test(arguments: BundledFixtures.items)
    func fixtureCase(_ fixture: FixtureItem) {
        let result = BundledFixtures.runner.run(fixture.item)
        #expect(result.status == .passed, "\(fixture.item.key): \(result.message ?? "")")
    }

    @Test func everyFileDecodesCleanly() {
        for fixture in BundledFixtures.loaded {
            switch fixture {
            case .unreadable(let error): Issue.record("\(error)")
            case .file(let file):
                #expect(file.invalidCases.isEmpty, "\(file.invalidCases.map(\.error.description))")
                #expect(!file.cases.isEmpty, "\(file.path) has no cases")
            }
        }
    }

    /// No suite without fixtures, no fixtures without an implementation, and
    /// each suite's file named after it.
    @Test func suitesAndFixtureFilesCorrespond() {
        let fileSuites = Set(BundledFixtures.files.map(\.suite))
        let implemented = Set(SuiteRegistry.bundled.suites)
        #expect(!fileSuites.isEmpty, "no fixtures found in \(BundledFixtures.folder)")
        #expect(fileSuites == implemented, "fixtures without implementation: \(fileSuites.subtracting(implemented)); implementations without fixtures: \(implemented.subtracting(fileSuites))")
        for file in BundledFixtures.files {
            #expect(file.path.hasSuffix("/\(file.suite).json"), "\(file.path) holds suite \(file.suite)")
        }
    }

    /// Each file records how to regenerate it.
    @Test func everyFileRecordsItsProvenance() {
        for file in BundledFixtures.files {
            for field in ["generator", "command", "date", "seed", "versions"] {
                #expect(file.provenance[field] != nil, "\(file.path): provenance.\(field) missing")
            }
            #expect(file.provenance["versions"]?.objectValue?["numpy"] != nil, "\(file.path): numpy version missing")
        }
    }

    /// The textbook suites exercise what the foundation issue promises: sample,
    /// kink, empty, NaN/inf and error cases, in both float dtypes and every reduction.
    @Test func textbookFixturesCoverTheirEdgeCases() {
        for file in BundledFixtures.files where file.suite.hasPrefix("math.") {
            let tags = Set(file.cases.flatMap(\.tags))
            for tag in ["sample", "kink", "empty", "nan", "inf", "error"] {
                #expect(tags.contains(tag), "\(file.suite) has no case tagged \(tag)")
            }
            let kinds = Set(file.cases.compactMap { c -> ErrorKind? in
                if case .error(let kind, _) = c.expectation { kind } else { nil }
            })
            #expect(kinds.isSuperset(of: [.invalidParameter, .shapeMismatch, .invalidDtype]), "\(file.suite): \(kinds)")
            let dtypes = Set(file.cases.flatMap { c in c.inputs.map(\.value.dtype) })
            #expect(dtypes.isSuperset(of: [.float32, .float64]))
            let reductions = Set(file.cases.compactMap { $0.params["reduction"]?.stringValue })
            #expect(reductions.isSuperset(of: ["none", "mean", "sum"]))
        }
    }

    /// The PyTorch suites: at least 40 cases each, both float dtypes, every
    /// reduction, special values and error cases; the two native kernels at 0 ULP.
    @Test func torchFixturesCoverTheirEdgeCases() {
        let torchFiles = BundledFixtures.files.filter { $0.suite.hasPrefix("torch.nn.functional.") }
        #expect(torchFiles.count == 8)
        for file in torchFiles {
            #expect(file.cases.count >= 40, "\(file.suite): \(file.cases.count) cases")
            let tags = Set(file.cases.flatMap(\.tags))
            for tag in ["sample", "reference", "nan", "inf", "empty", "error"] {
                #expect(tags.contains(tag), "\(file.suite) has no case tagged \(tag)")
            }
            if !file.suite.hasSuffix("soft_margin_loss") {
                #expect(tags.contains("kink"), "\(file.suite) has no kink case")
            }
            let dtypes = Set(file.cases.flatMap { c in c.inputs.map(\.value.dtype) })
            #expect(dtypes.isSuperset(of: [.float32, .float64]))
            let reductions = Set(file.cases.compactMap { $0.params["reduction"]?.stringValue })
            #expect(reductions.isSuperset(of: ["none", "mean", "sum"]), "\(file.suite): \(reductions)")
            #expect(file.provenance["versions"]?.objectValue?["torch"]?.stringValue?.hasPrefix("2.15.0") == true)
        }
        for file in torchFiles where file.suite.hasSuffix("multi_margin_loss") || file.suite.hasSuffix("multilabel_margin_loss") {
            for testCase in file.cases {
                for dtype in [DType.float32, .float64] {
                    #expect(file.tolerance(for: testCase, dtype: dtype) == .exact, "\(file.suite)/\(testCase.id) must match torch to the ULP")
                }
            }
        }
    }

    /// Every registered suite (tools/hinge_fixtures/registry.json): a fixture file with at
    /// least the registry's number of cases, error cases among them, and every Keras
    /// sample under both backends.
    @Test func fixturesMeetTheRegistrysCaseCounts() throws {
        let registry = try SuiteRegistryFile.load()
        #expect(Set(registry.keys) == Set(BundledFixtures.files.map(\.suite)), "registry.json and fixtures/ list other suites")
        let files = Dictionary(grouping: BundledFixtures.files, by: \.suite)
        for (suite, count) in registry {
            let cases = files[suite]?.flatMap(\.cases) ?? []
            #expect(cases.count >= count, "\(suite): \(cases.count) cases, expected at least \(count)")
            #expect(cases.contains { if case .error = $0.expectation { true } else { false } }, "\(suite) has no error case")
            if suite.hasPrefix("keras.") {
                let backends = Set(cases.compactMap { $0.context["backend"]?.stringValue })
                #expect(backends == ["tensorflow", "jax"], "\(suite): \(backends)")
                #expect(cases.allSatisfy { $0.context["backend"] != nil }, "\(suite): a case without a backend")
            }
        }
        // LinearSVC: every liblinear solver's configuration appears, and path cases pin n_iter_.
        let svc = files["sklearn.svm.LinearSVC"]?.flatMap(\.cases) ?? []
        let pathCases = svc.filter { c in if case .outputs(let o) = c.expectation { o["n_iter_"] != nil } else { false } }
        #expect(pathCases.count >= 10)
        #expect(svc.contains { $0.params["multi_class"]?.stringValue == "crammer_singer" })
        #expect(svc.contains { $0.params["penalty"]?.stringValue == "l1" })
        #expect(svc.contains { $0.params["loss"]?.stringValue == "hinge" })
        #expect(svc.contains { $0.params["dual"] == .bool(false) })
        #expect(svc.contains { $0.inputs["y"]?.dtype == .string })
    }
}
