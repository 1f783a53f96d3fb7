import ArgumentParser
import Foundation

/// Options of the subcommands that run Python in-process (`regen`, `fuzz`).
struct HarnessOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The Python venv the embedded interpreter runs in (default: $HINGE_PYTHON_VENV).",
            discussion: "It must be for the same Python minor version as the linked libpython and have NumPy; see README.md.",
            valueName: "path"))
    var venv: String?
}

/// Where the package's pieces are when the tool runs from a checkout.
enum PackageLayout {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The package's `tools/` folder (the fixture generators), else `./tools`.
    static var tools: String {
        let candidate = root.appendingPathComponent("tools").path
        return FileManager.default.fileExists(atPath: candidate + "/generate_fixtures.py") ? candidate : "tools"
    }
}

/// Unbuffered output, so that lines written by Swift and by the embedded
/// Python (which writes straight to the file descriptors) keep their order.
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}

#if PythonHarness
let harnessAbstractPrefix = ""
#else
/// Marks `regen` and `fuzz` in the help of a build without the trait.
let harnessAbstractPrefix = "[needs --traits PythonHarness] "
#endif

#if !PythonHarness
/// What `regen` and `fuzz` say in a build without the trait.
enum HarnessUnavailable {
    static func fail(_ subcommand: String) -> ExitCode {
        Console.err(
            "hinge-conformance \(subcommand) needs the embedded Python: build with `swift build --traits PythonHarness` "
                + "(or `swift run --traits PythonHarness hinge-conformance \(subcommand) ...`; needs libpython3-dev)")
        return .failure
    }
}
#endif

#if PythonHarness
import PythonBridge

/// The embedded interpreter's side of `regen` and `fuzz`: the Python module
/// `hinge_fixtures.harness` (tools/hinge_fixtures/harness.py), imported from `tools`.
enum HarnessModule {
    /// The started interpreter with the harness imported and pointed at `tools`.
    static func load(venv: String?, tools: String) throws(PythonError) -> (EmbeddedPython, PythonObject) {
        let python = try EmbeddedPython.start(venv: venv)
        try python.importModule("sys").attribute("path").callMethod("insert", [.int(0), .string(tools)])
        let module = try python.importModule("hinge_fixtures.harness")
        try module.attribute("setup").call([.string(tools)])
        return (python, module)
    }
}
#endif
