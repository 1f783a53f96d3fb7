import Foundation
import HingeConformance
@testable import HingeFixtures
import Testing

@Suite("HingeFixtures resource bundle")
struct HingeFixturesTests {
    static let source = BundledFixtures.packageRoot.appendingPathComponent("fixtures")

    /// The bundle is the top-level `fixtures/` folder, file for file and byte for byte: a
    /// missing, extra (a removed fixture still in an old build) or stale file fails here.
    @Test func theBundleHoldsExactlyTheFixturesFolder() throws {
        let bundle = try HingeFixtures.folder
        let manager = FileManager.default
        let bundled = try manager.contentsOfDirectory(atPath: bundle.path).sorted()
        let expected = try manager.contentsOfDirectory(atPath: Self.source.path).sorted()
        #expect(bundled == expected, "rebuild from clean (swift package clean) if a fixture file was removed")
        for name in expected {
            let a = manager.contents(atPath: bundle.appendingPathComponent(name).path)
            let b = manager.contents(atPath: Self.source.appendingPathComponent(name).path)
            #expect(a != nil && a == b, "\(name) differs between the bundle and fixtures/")
        }
    }

    @Test func suitesAreTheFixtureFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.source.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        #expect(try HingeFixtures.suites == files)
        #expect(files.contains("torch.nn.functional.multi_margin_loss"))
    }

    @Test func urlForASuiteLoadsAsThatSuite() throws {
        let url = try HingeFixtures.url(for: "math.hinge")
        guard case .file(let file) = FixtureLoader.load(file: url.path) else {
            Issue.record("\(url.path) does not load")
            return
        }
        #expect(file.suite == "math.hinge")
        #expect(!file.cases.isEmpty)
    }

    @Test func anUnknownSuiteIsATypedErrorListingTheBundledOnes() throws {
        let error = #expect(throws: HingeFixturesError.self) { try HingeFixtures.url(for: "torch.nn.functional.hinge") }
        let message = try #require(error).description
        #expect(message.contains("no bundled fixture file for suite 'torch.nn.functional.hinge'"))
        #expect(message.contains("torch.nn.functional.hinge_embedding_loss"))
    }

    /// A bundle that is nowhere to be found is an error that says where it looked, not a trap.
    @Test func aMissingBundleIsAnErrorNamingWhereItLooked() {
        let folders = [URL(fileURLWithPath: "/opt/tool/bin"), URL(fileURLWithPath: "/usr/local/bin")]
        let result = HingeFixtures.locate(besides: folders, fileExists: { _ in false })
        guard case .failure(let error) = result, case .bundleNotFound(let searched) = error.reason else {
            Issue.record("expected bundleNotFound, got \(result)")
            return
        }
        #expect(searched.count == 6)
        #expect(searched.first == "/opt/tool/bin/hinge-conformance_HingeFixtures.resources")
        #expect(error.description.contains("--fixtures"))
        #expect(error.description.contains("/usr/local/bin/hinge-conformance_HingeFixtures.bundle/Contents/Resources"))
    }

    /// The first folder with the marker file wins, in the order given; a bundle folder
    /// without the marker (an empty copy) is passed over.
    @Test func theFirstBundleWithTheMarkerWins() {
        let present: Set<String> = [
            "/b/hinge-conformance_HingeFixtures.bundle/Contents/Resources/FORMAT.md",
            "/c/hinge-conformance_HingeFixtures.resources/FORMAT.md",
        ]
        let folders = ["/a", "/b", "/c"].map { URL(fileURLWithPath: $0) }
        let result = HingeFixtures.locate(besides: folders, fileExists: present.contains)
        #expect((try? result.get().path) == "/b/hinge-conformance_HingeFixtures.bundle/Contents/Resources")
    }

    /// The search starts beside the running executable (here the test runner, which SwiftPM
    /// builds into the same folder as the bundles).
    @Test func theSearchStartsBesideTheExecutable() throws {
        let folders = HingeFixtures.searchFolders()
        #expect(folders.first == Bundle.main.bundleURL)
        #expect(try HingeFixtures.folder.deletingLastPathComponent().standardizedFileURL
            == Bundle.main.bundleURL.standardizedFileURL)
    }
}
