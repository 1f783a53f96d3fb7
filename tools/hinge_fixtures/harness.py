"""hinge-conformance's side of the embedded interpreter (the `regen` and `fuzz` subcommands,
Sources/HingeConformanceTool/Harness.swift): runs tools/generate_fixtures.py in-process and
evaluates a suite's NumPy mirror (and its framework, when usable here) for the fuzzer.

The Swift side calls, by name: `setup(tools_dir)`, `regen(argv)`, `FuzzSuite(name)` and its
`describe()`, `versions()` and `run(which, params, inputs, context, timeout)`.
"""
from __future__ import annotations

import importlib.util
import os
import platform
import signal
import sys
import threading
import warnings

import numpy as np

from .contract import CannotJudge, call_reference
from .fixture import LossError
from .suites import load_suite

TOOLS: str | None = None


class FuzzTimeout(CannotJudge):
    """A reference ran past the fuzzer's per-case budget."""


def _alarm(signum, frame):
    raise FuzzTimeout()


def setup(tools_dir: str) -> None:
    """Where tools/ is (for `regen`); puts it on sys.path."""
    global TOOLS
    TOOLS = tools_dir
    if tools_dir not in sys.path:
        sys.path.insert(0, tools_dir)


def regen(argv: list[str]) -> int:
    """tools/generate_fixtures.py main(argv); its exit status."""
    tools = TOOLS or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(tools, "generate_fixtures.py")
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
    """A suite's NumPy mirror and, when usable here, its framework reference."""

    def __init__(self, name: str):
        self.name = name
        self.suite, self.generator = load_suite(name)
        self.mirror = self.suite.mirror
        framework = self.suite.framework
        self.framework_name = None if framework is None else framework.name
        self.framework = self.suite.run if self.suite.uses_framework() else None
        self.framework_reason = self.suite.unwritable_reason() if framework is not None else None

    def describe(self) -> dict:
        return {"generator": self.generator, "framework": self.framework_name,
                "framework_available": self.framework is not None,
                "framework_reason": self.framework_reason}

    def versions(self) -> dict:
        versions = {"python": platform.python_version(), "numpy": np.__version__}
        if self.framework is not None:
            versions.update(self.suite.framework_versions())
        return versions

    def run(self, which: str, params: dict, inputs: dict, context: dict | None, timeout: float = 0.0):
        """("outputs", [(name, array), ...]) or ("error", kind, message); ("skip", reason,
        message) when the reference cannot judge the draw (a CannotJudge: the framework
        leaves the result undefined, e.g. TorchUndefined; the mirror does not model these
        inputs, e.g. NotMirrored, liblinear_replay.Unsupported or NotCertified; the
        reference ran past `timeout` seconds). The reason is the exception's class name."""
        fn = self.mirror if which == "mirror" else self.framework
        if fn is None:
            raise ValueError(f"no {which} reference for {self.name}")
        timer = timeout > 0 and threading.current_thread() is threading.main_thread()
        if timer:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = call_reference(fn, params, inputs, context or None)
        except LossError as e:
            return ("error", e.kind, e.message)
        except FuzzTimeout:
            return ("skip", "timeout", f"the {which} took longer than {timeout:g} s")
        except CannotJudge as e:
            return ("skip", type(e).__name__, str(e))
        finally:
            if timer:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
        return ("outputs", [(k, np.asarray(v)) for k, v in out.items()])
