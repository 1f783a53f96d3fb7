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

/// The embedded interpreter's side of `regen` and `fuzz`, loaded as the module `hinge_harness`.
enum HarnessModule {
    static let source = #"""
        """hinge-conformance's side of the embedded interpreter: runs tools/generate_fixtures.py
        and evaluates a suite's NumPy mirror (and its framework, when importable) for the fuzzer."""
        import importlib
        import importlib.util
        import os
        import platform
        import signal
        import sys
        import threading
        import warnings

        import numpy as np

        TOOLS = None
        # Mirror exceptions that mean "these inputs are outside what I can vouch for" (the
        # LinearSVC replay: liblinear_replay.Unsupported, and NotCertified when the optimum's
        # certificate misses its bound), not a wrong answer.
        MIRROR_LIMITS = {"Unsupported", "NotCertified"}


        class FuzzTimeout(Exception):
            """A reference ran past the fuzzer's per-case budget."""


        def _alarm(signum, frame):
            raise FuzzTimeout()
        # The generator module of each framework -> the framework's name in messages.
        FRAMEWORKS = {"torch": "torch", "keras": "keras", "tensorflow": "tensorflow", "optax": "optax",
                      "sklearn": "scikit-learn"}


        def setup(tools_dir):
            global TOOLS
            TOOLS = tools_dir
            if tools_dir not in sys.path:
                sys.path.insert(0, tools_dir)


        def regen(argv):
            """tools/generate_fixtures.py main(argv); its exit status."""
            path = os.path.join(TOOLS, "generate_fixtures.py")
            spec = importlib.util.spec_from_file_location("generate_fixtures", path)
            module = importlib.util.module_from_spec(spec)
            saved = sys.argv
            sys.argv = [path] + list(argv)
            try:
                spec.loader.exec_module(module)
                return int(module.main(list(argv)) or 0)
            except SystemExit as e:  # argparse errors, GenerationUnavailable
                if e.code is None:
                    return 0
                if isinstance(e.code, int):
                    return e.code
                print(e.code, file=sys.stderr)
                return 1
            finally:
                sys.argv = saved
                sys.stdout.flush()
                sys.stderr.flush()


        class FuzzSuite:
            """A suite's NumPy mirror and, when importable, its framework reference."""

            def __init__(self, name):
                from hinge_fixtures.fixture import LossError
                from hinge_fixtures.suites import GENERATORS, load_suite
                self.name = name
                self.loss_error = LossError
                self.suite, self.generator = load_suite(name)
                module_name = next(m for m, names in GENERATORS.items() if name in names)
                module = importlib.import_module(f"hinge_fixtures.suites.{module_name}")
                compute = self.suite.compute
                # A framework suite's compute(...) is `framework if importable else mirror`;
                # its mirror is the closure's `mirror`, or the module's mirror_of(suite).
                cells = dict(zip(compute.__code__.co_freevars, [c.cell_contents for c in compute.__closure__ or ()]))
                if callable(cells.get("mirror")):
                    self.mirror = cells["mirror"]
                elif hasattr(module, "mirror_of"):
                    self.mirror = module.mirror_of(name)
                elif self.suite.unwritable_reason is None:
                    self.mirror = compute  # a NumPy-only suite: compute is the mirror
                else:
                    raise RuntimeError(f"cannot find the NumPy mirror of {name} in {self.generator}")
                self.framework_name = FRAMEWORKS.get(module_name)
                self.framework = None
                self.framework_reason = None
                if self.suite.unwritable_reason is not None:
                    reason = self.suite.unwritable_reason()
                    if reason is None:
                        self.framework = compute
                    else:
                        self.framework_reason = reason

            def describe(self):
                return {"generator": self.generator, "framework": self.framework_name,
                        "framework_available": self.framework is not None,
                        "framework_reason": self.framework_reason}

            def versions(self):
                versions = {"python": platform.python_version(), "numpy": np.__version__}
                if self.framework is not None and self.suite.framework_versions is not None:
                    versions.update(self.suite.framework_versions())
                return versions

            def run(self, which, params, inputs, context, timeout=0.0):
                """("outputs", [(name, array), ...]) or ("error", kind, message); ("skip", type,
                message) when the framework leaves the result undefined (TorchUndefined) or the
                mirror does not model these inputs (NotImplementedError, "... not modelled")."""
                fn = self.mirror if which == "mirror" else self.framework
                timer = timeout > 0 and threading.current_thread() is threading.main_thread()
                if timer:
                    signal.signal(signal.SIGALRM, _alarm)
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        out = fn(params, inputs, context) if context else fn(params, inputs)
                except self.loss_error as e:
                    return ("error", e.kind, e.message)
                except FuzzTimeout:
                    return ("skip", "timeout", f"the {which} took longer than {timeout:g} s")
                except Exception as e:
                    name = type(e).__name__
                    if which == "mirror" and "not modelled" in str(e):
                        return ("skip", "not modelled", str(e))
                    if (name.endswith("Undefined") or isinstance(e, NotImplementedError)
                            or (which == "mirror" and name in MIRROR_LIMITS)):
                        return ("skip", name, str(e))
                    raise
                finally:
                    if timer:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                        signal.signal(signal.SIGALRM, signal.SIG_DFL)
                return ("outputs", [(k, np.asarray(v)) for k, v in out.items()])
        """#

    /// The started interpreter with `hinge_harness` loaded and pointed at `tools`.
    static func load(venv: String?, tools: String) throws(PythonError) -> (EmbeddedPython, PythonObject) {
        let python = try EmbeddedPython.start(venv: venv)
        let module = try python.module(named: "hinge_harness", source: source, filename: "<hinge_harness>")
        try module.attribute("setup").call([.string(tools)])
        return (python, module)
    }
}
#endif
