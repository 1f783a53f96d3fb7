"""The suite contract: what a suite is, and the framework glue every framework shares.

A `Suite` is a fixture file's maker:

- `mirror(params, inputs[, context])`: the NumPy mirror (pure NumPy, in
  hinge_fixtures/mirrors/<framework>.py), which is what `--check`, the tests and the
  fuzzer's harness (hinge_fixtures/harness.py) run;
- `build_cases(cases, rng)`: the case builder (hinge_fixtures/suites/<framework>.py);
- `default_tolerance`;
- for a suite whose expected values come from a framework, `framework` (a `Framework`:
  pins, worker environment, error-kind patterns, versions) and `run(params, inputs[,
  context])`, the framework's own result. `compute` is `run` when the framework is usable
  here, else the mirror; every case written with the framework is also computed by the
  mirror (`check_case`, through `verify_mirror`), and generation stops on a disagreement.

The minimum case count of each suite is in the registry, hinge_fixtures/registry.json.

Exceptions a reference raises when it cannot judge a draw (the fuzzer skips the draw)
derive from `CannotJudge`; a `LossError` is a judgement (the case's expected error).
"""
from __future__ import annotations

import atexit
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import numpy as np

from .fixture import Arrays, CaseList, Compute, LossError, case_tolerance, close_values, decode_array, dtype_label

# --------------------------------------------------------------------------- what a reference cannot judge


class CannotJudge(Exception):
    """The reference (a mirror or a framework) cannot judge these inputs: not a wrong
    answer and not an expected error. The fuzzer skips such a draw."""


class NotMirrored(CannotJudge, NotImplementedError):
    """Inputs outside what a mirror reproduces (e.g. integer scores)."""


class FrameworkUndefined(CannotJudge):
    """The framework's result for these inputs is not defined (e.g. uninitialised memory):
    no reference exists, so the framework's own answer must not be compared either."""


# --------------------------------------------------------------------------- framework workers

TOOLS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def missing_pins(pins: dict[str, str]) -> str | None:
    """Why the pinned distributions (name -> version) cannot be used by this interpreter,
    or None when every one is installed at its pinned version. Reads package metadata
    only: nothing is imported."""
    from importlib import metadata
    problems = []
    for name, version in pins.items():
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} is not installed")
            continue
        if found != version:
            problems.append(f"found {name} {found}, need {version}")
    return "; ".join(problems) or None


class WorkerFailed(RuntimeError):
    """A framework worker died or answered something unreadable."""


class FrameworkWorker:
    """A child process `python -m <module> --worker` (the same interpreter, `env` added
    to the environment), started on the first call and kept for the run. A request is a
    JSON object on one line; the worker answers one line (see `serve_worker`). The
    child's stderr goes to a temporary file, shown when it fails."""

    def __init__(self, module: str, env: dict[str, str], python: str | None = None):
        self.module, self.env = module, dict(env)
        self.python = python or sys.executable  # another interpreter: a second release of the framework
        self._proc: subprocess.Popen | None = None
        self._stderr = None

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (TOOLS_DIR, env.get("PYTHONPATH", "")) if p)
        self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        self._proc = subprocess.Popen([self.python, "-m", self.module, "--worker"], cwd=TOOLS_DIR, env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                      text=True, encoding="utf-8")
        atexit.register(self.close)  # the worker ends when its stdin closes; wait for it
        return self._proc

    def _failure(self, what: str) -> WorkerFailed:
        tail = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            tail = self._stderr.read()[-4000:]
        self.close()
        settings = " ".join(f"{k}={v}" for k, v in self.env.items())
        return WorkerFailed(f"worker `{settings} {self.python} -m {self.module} --worker` {what}\n{tail}")

    def call(self, request: dict) -> dict:
        proc = self._proc if self._proc is not None and self._proc.poll() is None else self._start()
        try:
            proc.stdin.write(json.dumps(request, allow_nan=False) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except OSError as e:
            raise self._failure(f"could not be reached ({e})") from e
        except BaseException:
            # Interrupted while the worker may still answer (the fuzzer's timeout alarm): its
            # late reply would be read as the next request's, so end it; the next call starts anew.
            self.close(kill=True)
            raise
        if not line:
            raise self._failure("exited")
        try:
            return json.loads(line)
        except ValueError as e:
            raise self._failure(f"answered {line[:200]!r}") from e

    def close(self, kill: bool = False) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                if kill:
                    proc.kill()
                proc.stdin.close()
                proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def serve_worker(handle: Callable[[dict], dict]) -> None:
    """The worker's side: answer each request line with json(handle(request)). Protocol
    lines go to the original stdout; anything else written to stdout (a framework's
    banner) is sent to stderr, so it cannot corrupt the exchange."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if line.strip():
            channel.write(json.dumps(handle(json.loads(line)), allow_nan=False) + "\n")
            channel.flush()


def unwritable_reason(requirement: str, suite_name: str,
                      why: Callable[[], str | None]) -> Callable[[], str | None]:
    """A Suite.unwritable_reason: None while `why()` finds the framework usable, else one
    line saying what writing `suite_name` needs (`requirement`, e.g. "torch 2.15.0 is")
    and that `--check` does not."""
    def reason():
        problem = why()
        if problem is None:
            return None
        return f"{requirement} needed to generate {suite_name} ({problem}); --check works with NumPy alone"
    return reason


# --------------------------------------------------------------------------- the framework spec

@dataclass(eq=False)
class Framework:
    """One framework as the generators use it.

    name          its name in the fuzzer's messages ("torch", "keras", "scikit-learn")
    label         its name in generator messages ("Keras", "TensorFlow")
    pins          distribution -> version; `reason()` is None only when every pin is installed
    off_env       an environment variable that, when set (non-empty), makes the generators
                  use the mirror alone
    probe         for a framework imported in-process: why it cannot be used, else None
                  (default: missing_pins(pins), which imports nothing)
    worker_module the module run as `python -m <module> --worker` (see `worker`)
    worker_env    the environment of the worker for a key (a backend, x64 or not, a BLAS kernel)
    worker_python the interpreter of the worker for a key (default: this one), for a key that
                  needs another release of the framework
    error_kinds   ((kind, regex), ...): the framework's messages -> the format's error kinds
    versions_of   the framework versions recorded in provenance (called only when usable)
    """
    name: str
    pins: dict[str, str]
    off_env: str
    label: str = ""
    requirement: str = ""
    probe: Callable[[], str | None] | None = None
    worker_module: str | None = None
    worker_env: Callable[[Any], dict[str, str]] | None = None
    worker_python: Callable[[Any], str | None] | None = None
    error_kinds: tuple[tuple[str, str], ...] = ()
    versions_of: Callable[[], dict[str, str]] | None = None
    _workers: dict = field(default_factory=dict, repr=False)
    _reason: list = field(default_factory=list, repr=False)  # [] until reason() ran, then [reason]

    def __post_init__(self):
        self.label = self.label or self.name
        if not self.requirement:
            pins = ", ".join(f"{k}=={v}" for k, v in self.pins.items())
            self.requirement = f"{pins} {'are' if len(self.pins) > 1 else 'is'}"

    def reason(self) -> str | None:
        """None when the framework can be used here, else why not. Cached: tests that
        change the environment call `forget()`."""
        if not self._reason:
            if os.environ.get(self.off_env):
                self._reason.append(f"{self.off_env} is set")
            else:
                self._reason.append(self.probe() if self.probe is not None else missing_pins(self.pins))
        return self._reason[0]

    def forget(self) -> None:
        """Look for the framework again at the next `reason()`."""
        self._reason.clear()

    def available(self) -> bool:
        return self.reason() is None

    def unwritable_reason(self, suite_name: str) -> Callable[[], str | None]:
        return unwritable_reason(self.requirement, suite_name, self.reason)

    def versions(self) -> dict[str, str]:
        if not self.available() or self.versions_of is None:
            return {}
        return self.versions_of()

    def worker(self, key: Any = None) -> FrameworkWorker:
        """The worker process for `key` (started on its first call, kept for the run)."""
        if key not in self._workers:
            python = self.worker_python(key) if self.worker_python is not None else None
            self._workers[key] = FrameworkWorker(self.worker_module, self.worker_env(key), python)
        return self._workers[key]

    def classify(self, message: str, error: Exception | None = None) -> str:
        """The error kind of a framework message; a message that matches no pattern stops
        the generator: a new kind of error needs a look, not a guess."""
        for kind, pattern in self.error_kinds:
            if re.search(pattern, message):
                return kind
        what = f"{type(error).__name__}: {message}" if error is not None else message
        raise RuntimeError(f"{self.label} raised an error no kind is mapped for: {what}") from error

    def call(self, key: Any, request: dict) -> Arrays:
        """One request to the worker for `key` whose reply is {"outputs": ...} or
        {"error": {"message": ...}} (classified here)."""
        reply = self.worker(key).call(request)
        if "error" in reply:
            message = reply["error"]["message"]
            raise LossError(self.classify(message), message)
        return {k: decode_array(v) for k, v in reply["outputs"].items()}


def worker_outputs(run: Callable[[dict], Arrays], request: dict) -> dict:
    """The worker's reply to one request: {"outputs": ...}, or {"error": ...} carrying the
    framework's message (classified by the parent, `Framework.call`)."""
    from .fixture import encode_array
    try:
        outputs = run(request)
    except Exception as e:  # the framework's error
        return {"error": {"type": type(e).__name__, "message": str(e)}}
    return {"outputs": {k: encode_array(np.asarray(v)) for k, v in outputs.items()}}


# --------------------------------------------------------------------------- the suite

AGREEMENT: dict[tuple[str, str, str], float] = {}  # (suite, output, dtype) -> largest ulp distance seen


@dataclass(frozen=True)
class Suite:
    """A fixture file's maker; see the module docstring."""
    name: str
    mirror: Compute
    build_cases: Callable[[CaseList, np.random.Generator], None]
    default_tolerance: dict
    framework: Framework | None = None
    run: Compute | None = None
    # how the framework is named in mirror disagreements (e.g. with the case's backend)
    framework_label: Callable[[dict], str] | None = None

    def uses_framework(self) -> bool:
        return self.framework is not None and self.framework.available()

    def compute(self, *args) -> Arrays:
        """What a case records: the framework's result when it is usable here, else the mirror's."""
        return (self.run if self.uses_framework() else self.mirror)(*args)

    def framework_versions(self) -> dict[str, str]:
        return {} if self.framework is None else self.framework.versions()

    def unwritable_reason(self) -> str | None:
        return None if self.framework is None else self.framework.unwritable_reason(self.name)()

    def check_case(self, case: dict) -> None:
        """With the framework present: the mirror must agree with the case as written."""
        if self.uses_framework():
            label = self.framework_label(case) if self.framework_label else self.framework.label
            verify_mirror(self.name, label, self.mirror, self.default_tolerance, case, AGREEMENT)


def with_cases(wrap: Callable[[CaseList], Any], build: Callable[[Any, np.random.Generator], None]):
    """A Suite.build_cases that hands `build` the suite's own case adder, `wrap(cases)`."""
    def build_cases(cases: CaseList, rng: np.random.Generator) -> None:
        build(wrap(cases), rng)
    return build_cases


# --------------------------------------------------------------------------- mirror vs framework

def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise distance in units in the last place (NumPy's nulp_diff counting: +0
    and -0 are 0 apart); NaN against NaN and equal infinities are 0, any other pairing
    with a non-finite value is inf."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind != "f":
        return np.where(a == b, 0.0, math.inf)
    ints = {4: np.int32, 8: np.int64}[a.dtype.itemsize]

    def ordered(v):
        i = v.view(ints).astype(np.float64)  # exact enough for distances below 2**53
        return np.where(i < 0, -(i - np.iinfo(ints).min), i)

    with np.errstate(invalid="ignore"):
        finite = np.isfinite(a) & np.isfinite(b)
        same = (np.isnan(a) & np.isnan(b)) | (a == b)
        dist = np.abs(ordered(a) - ordered(b))
    return np.where(same, 0.0, np.where(finite, dist, math.inf))


class MirrorDisagreement(AssertionError):
    """A framework and a suite's NumPy mirror disagree on a case: the mirror, or the
    understanding it encodes, is wrong."""


def call_reference(fn: Compute, params: dict, inputs: Arrays, context: dict | None) -> Arrays:
    """fn(params, inputs), or fn(params, inputs, context) for a case with a context."""
    return fn(dict(params), inputs) if context is None else fn(dict(params), inputs, dict(context))


def compare_outputs(where: str, source: str, got: Arrays, case: dict, default_tolerance: dict,
                    agreement: dict | None = None, key: str = "") -> None:
    """`got` against the case's expected outputs (from `source`): the same names, dtypes
    and shapes, non-float values equal, float values within the case's tolerance. Records
    the largest ULP distance per (key, output, dtype) in `agreement`. Raises MirrorDisagreement."""
    expected = case["expected"]
    if list(got) != list(expected):
        raise MirrorDisagreement(f"{where}: outputs {list(expected)} from {source}, {list(got)} from the mirror")
    for name, want_obj in expected.items():
        want, have = decode_array(want_obj), np.asarray(got[name])
        if dtype_label(have) != want_obj["dtype"] or have.shape != want.shape:
            raise MirrorDisagreement(f"{where}: {name} is {want_obj['dtype']}{list(want.shape)} from {source}, "
                                     f"{dtype_label(have)}{list(have.shape)} from the mirror")
        if want.dtype.kind != "f":
            if not np.array_equal(have, want):
                raise MirrorDisagreement(f"{where}: {name} differs: {source} {want.tolist()}, mirror {have.tolist()}")
            continue
        rtol, atol = case_tolerance({"default_tolerance": default_tolerance}, case, want.dtype.name)
        close = close_values(have, want, rtol, atol)
        ulps = ulp_distance(have, want)
        if agreement is not None:
            k = (key, name, want.dtype.name)
            agreement[k] = max(agreement.get(k, 0.0), float(ulps.max()) if ulps.size else 0.0)
        if not close.all():
            i = int(np.flatnonzero(~close.ravel())[0])
            raise MirrorDisagreement(
                f"{where}: {name}[{i}] {source} {want.ravel()[i]!r}, mirror {have.ravel()[i]!r} "
                f"({ulps.ravel()[i]:g} ulp; rtol={rtol:g}, atol={atol:g})")


def verify_mirror(suite: str, framework: str, mirror: Compute, default_tolerance: dict, case: dict,
                  agreement: dict | None = None) -> None:
    """Compare `mirror` with a case as written (the framework's values after the JSON
    round trip, which is what --check compares against): the same error kind and
    message, or the same output names, dtypes and shapes and values within the case's
    tolerance (non-float outputs exactly). Records the largest ULP distance per (suite,
    output, dtype) in `agreement`. Raises MirrorDisagreement."""
    where = f"{suite} case {case['id']!r}"
    inputs = {name: decode_array(a) for name, a in case["inputs"].items()}
    try:
        got = call_reference(mirror, case["params"], inputs, case.get("context"))
    except LossError as e:
        want = case.get("expected_error")
        if want is None:
            raise MirrorDisagreement(f"{where}: {framework} succeeded, the mirror raised {e}") from e
        if (e.kind, e.message) != (want["kind"], want["message"]):
            raise MirrorDisagreement(f"{where}: {framework} raised {want['kind']}: {want['message']!r}, "
                                     f"the mirror {e.kind}: {e.message!r}") from e
        return
    if "expected_error" in case:
        raise MirrorDisagreement(f"{where}: {framework} raised {case['expected_error']}, the mirror succeeded")
    compare_outputs(where, framework, got, case, default_tolerance, agreement, suite)
