import Foundation

/// The golden fixtures of hinge-conformance, shipped as a SwiftPM resource.
///
/// Depend on the `HingeFixtures` product and the fixture files come with the
/// build: SwiftPM copies them into a resource bundle beside every executable and
/// test runner that links this module, so neither a package that checks its own
/// port nor an installed `hinge-conformance` needs to know where the checkout
/// was. The files are the package's top-level `fixtures/` folder (this target's
/// `fixtures` entry is a symbolic link to it), one `<suite>.json` per suite in
/// fixture format v1, plus `FORMAT.md`.
///
/// ```swift
/// let file = try HingeFixtures.url(for: "torch.nn.functional.multi_margin_loss")
/// let fixtures = FixtureLoader.load(paths: [file.path])
/// ```
///
/// The bundle is found without `Bundle.module`, whose accessor stops the
/// process with `fatalError` when the bundle is missing (an executable copied
/// without it, for instance); here a missing bundle is a ``HingeFixturesError``
/// that lists where it was looked for.
///
/// SwiftPM refreshes the copy when a fixture file changes or a new one appears,
/// but it does not delete a copied file whose source was removed: after removing
/// or renaming a fixture file, rebuild from clean (`swift package clean`).
public enum HingeFixtures {
    /// The resource bundle's name, `<package>_<target>`: SwiftPM takes the
    /// manifest's package name, not the folder the package was cloned into.
    static let bundleName = "hinge-conformance_HingeFixtures"

    /// The file that marks a folder as the fixtures folder.
    static let marker = "FORMAT.md"

    /// The folder that holds every bundled fixture file.
    public static var folder: URL {
        get throws(HingeFixturesError) { try located.get() }
    }

    /// The fixture file of `suite`, e.g. `torch.nn.functional.multi_margin_loss`.
    ///
    /// - Throws: ``HingeFixturesError`` when the bundle is missing or no file
    ///   of that suite is bundled (the message lists the suites that are).
    public static func url(for suite: String) throws(HingeFixturesError) -> URL {
        let file = try folder.appendingPathComponent(suite + ".json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw HingeFixturesError(.unknownSuite(suite, available: try suites))
        }
        return file
    }

    /// The suites with a bundled fixture file, sorted by name.
    public static var suites: [String] {
        get throws(HingeFixturesError) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: try folder.path)) ?? []
            return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }.sorted()
        }
    }

    private static let located: Result<URL, HingeFixturesError> = locate(
        besides: searchFolders(), fileExists: { FileManager.default.fileExists(atPath: $0) })

    /// The folders a resource bundle can sit in: the main bundle's (the
    /// executable's folder on Linux, where SwiftPM puts every bundle), then that
    /// of the executable with symbolic links resolved (an installed tool linked
    /// from a `bin/`), then those of the other loaded bundles (test bundles).
    static func searchFolders() -> [URL] {
        var folders = [Bundle.main.bundleURL]
        if let resources = Bundle.main.resourceURL { folders.append(resources) }
        if let executable = Bundle.main.executableURL {
            folders.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles { folders.append(bundle.bundleURL.deletingLastPathComponent()) }
        var seen = Set<String>()
        return folders.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    /// The first `<bundleName>.resources` (Linux) or `.bundle` (Apple platforms,
    /// where the files sit in `Contents/Resources`) in `folders` that holds the
    /// marker file.
    static func locate(besides folders: [URL], fileExists: (String) -> Bool) -> Result<URL, HingeFixturesError> {
        var searched: [String] = []
        for folder in folders {
            for candidate in [
                folder.appendingPathComponent(bundleName + ".resources"),
                folder.appendingPathComponent(bundleName + ".bundle"),
                folder.appendingPathComponent(bundleName + ".bundle/Contents/Resources"),
            ] {
                searched.append(candidate.path)
                if fileExists(candidate.appendingPathComponent(marker).path) { return .success(candidate) }
            }
        }
        return .failure(HingeFixturesError(.bundleNotFound(searched: searched)))
    }
}

/// Why ``HingeFixtures`` could not give a fixture file.
public struct HingeFixturesError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// No resource bundle with the fixtures beside the executable; the paths that were tried.
        case bundleNotFound(searched: [String])
        /// No fixture file for this suite; the suites that have one.
        case unknownSuite(String, available: [String])
    }

    public var reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    public var description: String {
        switch reason {
        case .bundleNotFound(let searched):
            "the bundled fixtures are missing: no \(HingeFixtures.bundleName).resources (or .bundle) beside this "
                + "executable; copy it from the build folder next to the executable, or name a fixtures folder "
                + "explicitly (hinge-conformance --fixtures PATH). Looked in: "
                + searched.joined(separator: ", ")
        case .unknownSuite(let suite, let available):
            "no bundled fixture file for suite '\(suite)'; the bundled suites are: " + available.joined(separator: ", ")
        }
    }
}
