import ArgumentParser
import Foundation
import HingeConformance
import HingeSuites

@main
struct HingeConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hinge-conformance",
        abstract: "Check hinge-family loss implementations against golden fixtures from the real frameworks.",
        subcommands: [Run.self, Validate.self, Suites.self, Regen.self, Fuzz.self],
        defaultSubcommand: Run.self
    )
}

/// Where the fixtures come from; shared by every subcommand that reads them.
struct FixtureOptions: ParsableArguments {
    @Option(
        name: .customLong("fixtures"),
        help: ArgumentHelp(
            "A fixture file or a folder of them (searched recursively for *.json); repeatable.",
            discussion: "Defaults to the package's bundled fixtures/ folder.",
            valueName: "path"))
    var paths: [String] = []

    /// The given paths, or the package's `fixtures/` folder.
    func resolvedPaths() -> [String] {
        paths.isEmpty ? [Self.bundledFixtures] : paths
    }

    /// The package's `fixtures/` folder: found from this source file's location
    /// when run from a checkout, else `./fixtures`.
    static var bundledFixtures: String {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = packageRoot.appendingPathComponent("fixtures").path
        if FileManager.default.fileExists(atPath: candidate) {
            return relativeToCurrentDirectory(candidate)
        }
        return "fixtures"
    }

    /// Shorter paths in messages when the fixtures sit below the working directory.
    private static func relativeToCurrentDirectory(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

extension ReportFormat: ExpressibleByArgument {}
