import ArgumentParser
import Foundation
import HingeConformance
import HingeFixtures
import HingeSuites

@main
struct HingeConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hinge-conformance",
        abstract: "Check hinge-family loss implementations against golden fixtures from the real frameworks.",
        subcommands: [Run.self, Validate.self, Suites.self, Compare.self, Regen.self, Fuzz.self],
        defaultSubcommand: Run.self
    )
}

/// Where the fixtures come from; shared by every subcommand that reads them.
struct FixtureOptions: ParsableArguments {
    @Option(
        name: .customLong("fixtures"),
        help: ArgumentHelp(
            "A fixture file or a folder of them (searched recursively for *.json); repeatable.",
            discussion: "Defaults to the fixtures bundled with this executable (the package's fixtures/ folder, copied by the build).",
            valueName: "path"))
    var paths: [String] = []

    /// The given paths, or the bundled fixtures (the `HingeFixtures` resource
    /// bundle beside this executable).
    func resolvedPaths() throws(HingeFixturesError) -> [String] {
        paths.isEmpty ? [Self.relativeToCurrentDirectory(try HingeFixtures.folder.path)] : paths
    }

    /// Shorter paths in messages when the fixtures sit below the working directory.
    private static func relativeToCurrentDirectory(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

extension ReportFormat: ExpressibleByArgument {}
