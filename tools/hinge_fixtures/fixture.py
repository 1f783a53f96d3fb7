"""Shared helpers for fixture format v1: array encoding, case building, deterministic
file writing and the `--check` comparison.

The format is stated executably by the project's validator; in short, a file is

    {"format": "hinge-conformance/fixture", "format_version": 1, "suite": NAME,
     "provenance": {...}, "default_tolerance": {DTYPE: {"rtol", "atol"}}, "cases": [CASE, ...]}
    CASE  = {"id", "tags", "params", ["context"], "inputs", "expected" | "expected_error", ["tolerance"]}
    ARRAY = {"dtype": float32|float64|int64|bool|string, "shape": [...], "data": [row-major flat list]}

Floats are written so that a reader which parses a Double (and, for float32, converts
it to Float) recovers every value bit for bit: float64 as `repr(x)`, float32 as the
repr of the float64 that equals the float32 exactly, non-finite values as the strings
"nan", "inf", "-inf".

Nothing here knows a loss function: a suite (hinge_fixtures.contract.Suite) supplies a
`compute(params, inputs)` reference function and a case generator, and `build_document`
turns them into a file. The framework side (workers, mirror verification) is in
hinge_fixtures/contract.py.
"""
from __future__ import annotations

import json
import math
import os
import platform
import zlib
from typing import Any
from collections.abc import Callable, Iterable

import numpy as np

FORMAT = "hinge-conformance/fixture"
FORMAT_VERSION = 1
FLOAT_DTYPES = ("float32", "float64")
ERROR_KINDS = ("invalid_parameter", "invalid_target", "shape_mismatch", "invalid_dtype")

Arrays = dict[str, np.ndarray]
# compute(params, inputs), or compute(params, inputs, context) for a case with a context
Compute = Callable[..., Arrays]


class LossError(Exception):
    """A typed failure of a reference function; becomes a case's `expected_error`."""

    def __init__(self, kind: str, message: str):
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown error kind {kind!r}")
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


def dtype_label(a: np.ndarray) -> str:
    """The fixture dtype name of an array ("string" for numpy's unicode arrays)."""
    return "string" if a.dtype.kind == "U" else a.dtype.name


# --------------------------------------------------------------------------- arrays

def _encode_float(x: float) -> float | str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def encode_array(a: Any) -> dict:
    """numpy array -> ARRAY object. `float(np.float32(x))` is exact, and json writes a
    Python float with repr, which gives the shortest decimal of that float64."""
    a = np.asarray(a)
    dtype = dtype_label(a)
    flat = a.ravel()  # C order: row-major
    if dtype in FLOAT_DTYPES:
        data = [_encode_float(float(v)) for v in flat]
    elif dtype == "int64":
        data = [int(v) for v in flat]
    elif dtype == "bool":
        data = [bool(v) for v in flat]
    elif dtype == "string":
        data = [str(v) for v in flat]
    else:
        raise TypeError(f"dtype {a.dtype} cannot be written to a fixture")
    return {"dtype": dtype, "shape": list(a.shape), "data": data}


def decode_array(obj: dict) -> np.ndarray:
    """ARRAY object -> numpy array, the way the Swift reader does it (float32 through a Double)."""
    dtype, shape, data = obj["dtype"], tuple(obj["shape"]), obj["data"]
    if dtype in FLOAT_DTYPES:
        flat = np.array([float(v) for v in data], dtype=np.float64).astype(dtype)
    elif dtype == "int64":
        flat = np.array(data, dtype=np.int64)
    elif dtype == "bool":
        flat = np.array(data, dtype=bool)
    elif dtype == "string":
        flat = np.array(data, dtype=str)
    else:
        raise ValueError(f"unknown dtype {dtype!r}")
    return flat.reshape(shape)


def is_array_object(obj: Any) -> bool:
    return isinstance(obj, dict) and set(obj) == {"dtype", "shape", "data"}


# --------------------------------------------------------------------------- cases

def shape_label(shape: Iterable[int]) -> str:
    """Shape as written in case ids: "7", "3x4", "0x3", and "scalar" for 0-d."""
    shape = tuple(shape)
    return "x".join(str(d) for d in shape) if shape else "scalar"


def case_id(dtype: str, shape: Iterable[int], variant: str, reduction: str) -> str:
    """The id convention "<dtype>/<shape>/<variant>/<reduction>"."""
    return f"{dtype}/{shape_label(shape)}/{variant}/{reduction}"


class CaseList:
    """Collects the cases of one suite, computing every expected value (or error) with the
    suite's reference function, so no expected value is ever written by hand."""

    def __init__(self, compute: Compute, check: Callable[[dict], None] | None = None, suite: str = ""):
        self.compute, self.check, self.suite = compute, check, suite
        self.cases: list[dict] = []
        self._ids: set[str] = set()

    def add(self, cid: str, tags: list[str], params: dict, inputs: Arrays, *,
            error: str | None = None, tolerance: dict | None = None,
            context: dict | None = None) -> None:
        """Add one case. `error` names the kind the case is meant to fail with; the
        reference function must agree, so a generator typo cannot silently turn an
        error case into a success case or the other way round."""
        if cid in self._ids:
            raise ValueError(f"duplicate case id {cid!r}")
        self._ids.add(cid)
        case: dict[str, Any] = {"id": cid, "tags": list(tags), "params": dict(params)}
        if context is not None:
            case["context"] = dict(context)
        case["inputs"] = {name: encode_array(a) for name, a in inputs.items()}
        try:
            # A case with a context (a backend, a mode) hands it to the reference
            # function; cases without one call it with params and inputs alone.
            outputs = (self.compute(dict(params), dict(inputs)) if context is None
                       else self.compute(dict(params), dict(inputs), dict(context)))
        except LossError as e:
            if e.kind != error:
                raise AssertionError(f"{cid}: meant to {'fail with ' + error if error else 'succeed'}, "
                                     f"but the reference raised {e}") from e
            case["expected_error"] = {"kind": e.kind, "message": e.message}
        except Exception as e:  # a bug or an unmapped framework error: say which case
            e.add_note(f"while computing case {cid!r}")
            raise
        else:
            if error is not None:
                raise AssertionError(f"{cid}: meant to fail with {error}, but the reference succeeded")
            case["expected"] = {name: encode_array(a) for name, a in outputs.items()}
        if tolerance is not None:
            case["tolerance"] = dict(tolerance)
        self.cases.append(case)
        if self.check is not None:  # the suite's framework present: its mirror must agree with the case
            self.check(case)


# --------------------------------------------------------------------------- documents

class GenerationUnavailable(SystemExit):
    """Raised by write_text for a document whose suite cannot be generated here. A
    SystemExit, so the command-line driver stops with just the message, no traceback."""


class FixtureDocument(dict):
    """A built document; `unwritable` is the reason it must not be written, if any."""
    unwritable: str | None = None


class FixtureText(str):
    """The text of a document; carries the document's `unwritable` to write_text."""
    unwritable: str | None = None


def suite_seed(name: str) -> int:
    """Each suite's RNG seed: stable across runs, Python versions and suite order."""
    return zlib.crc32(name.encode())


def build_document(suite, generator: str, date: str) -> dict:
    """The document of a suite (a hinge_fixtures.contract.Suite): its cases computed by
    `suite.compute`, each checked by `suite.check_case` (the mirror against the framework)."""
    seed = suite_seed(suite.name)
    cases = CaseList(suite.compute, suite.check_case, suite.name)
    suite.build_cases(cases, np.random.default_rng(seed))
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    versions.update(suite.framework_versions())
    doc = FixtureDocument({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "suite": suite.name,
        "provenance": {
            "generator": generator,
            "command": f"python3 tools/generate_fixtures.py --suite {suite.name}",
            "date": date,
            "seed": seed,
            "versions": versions,
        },
        "default_tolerance": suite.default_tolerance,
        "cases": cases.cases,
    })
    doc.unwritable = suite.unwritable_reason()
    return doc


def _dump(obj: Any, depth: int) -> str:
    # Pretty-printed with a 2-space indent, except that every ARRAY object is one line,
    # so a changed value shows up as a one-line diff next to its dtype and shape.
    if is_array_object(obj) or not isinstance(obj, (dict, list)) or not obj:
        return json.dumps(obj, allow_nan=False, ensure_ascii=False)
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, depth + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [inner + _dump(v, depth + 1) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def dumps_fixture(doc: dict) -> str:
    """The exact text of a fixture file (UTF-8, trailing newline)."""
    text = FixtureText(_dump(doc, 0) + "\n")
    text.unwritable = getattr(doc, "unwritable", None)
    return text


def write_text(path: str, text: str) -> None:
    """Write through a temporary file and rename, so an interrupted run never leaves a
    truncated fixture behind. (Not tempfile.mkstemp: its 0600 mode would end up on the
    committed file.) Refuses text from a document that cannot be generated here."""
    if getattr(text, "unwritable", None):
        raise GenerationUnavailable(f"{path}: {text.unwritable}")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --------------------------------------------------------------------------- --check

def _canonical(obj: Any) -> str:
    # JSON text equality rather than Python equality, which would let 1 == 1.0 == True
    # and 0.0 == -0.0 through.
    return json.dumps(obj, sort_keys=True, allow_nan=False)


# fixtures/FORMAT.md: without a file default, tolerances fall back to torch.testing's.
FALLBACK_TOLERANCE = {"float32": {"rtol": 1.3e-6, "atol": 1e-5}, "float64": {"rtol": 1e-7, "atol": 1e-7}}


def case_tolerance(committed_doc: dict, case: dict, dtype: str) -> tuple[float, float]:
    """The case's tolerance, else the file default for the dtype, else the fallback; a
    partial tolerance takes its missing part from the next level (fixtures/FORMAT.md)."""
    tol = {**FALLBACK_TOLERANCE[dtype], **committed_doc.get("default_tolerance", {}).get(dtype, {}),
           **case.get("tolerance", {})}
    return float(tol["rtol"]), float(tol["atol"])


def _bits_equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise bit-for-bit equality; all NaNs are one value (the format has one "nan")."""
    if a.dtype.kind == "f":
        nan = np.isnan(a) & np.isnan(b)
        uint = np.dtype(f"u{a.dtype.itemsize}")
        return nan | (a.view(uint) == b.view(uint))
    return a == b


def close_values(fresh: np.ndarray, committed: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """|a - e| <= atol + rtol*|e| with e the committed value; NaN matches NaN; an
    infinity matches only the same infinity."""
    if fresh.dtype.kind != "f":
        return fresh == committed
    a, e = fresh.astype(np.float64), committed.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        finite = np.isfinite(a) & np.isfinite(e)
        within = np.abs(a - e) <= atol + rtol * np.abs(e)
    return np.where(finite, within, (np.isnan(a) & np.isnan(e)) | (a == e))


def _compare_arrays(where: str, fresh: dict, committed: dict, exact: bool,
                    rtol: float = 0.0, atol: float = 0.0) -> list[str]:
    if fresh["dtype"] != committed["dtype"] or fresh["shape"] != committed["shape"]:
        return [f"{where}: dtype/shape {committed['dtype']}{committed['shape']} committed, "
                f"{fresh['dtype']}{fresh['shape']} regenerated"]
    a, e = decode_array(fresh), decode_array(committed)
    ok = (_bits_equal(a, e) if exact else close_values(a, e, rtol, atol)).ravel()
    if ok.all():
        return []
    bad = np.flatnonzero(~ok)
    i = int(bad[0])
    how = "bit for bit" if exact else f"rtol={rtol:g}, atol={atol:g}"
    return [f"{where}: {bad.size} of {ok.size} values differ ({how}); first at flat index {i}: "
            f"committed {committed['data'][i]!r}, regenerated {fresh['data'][i]!r}"]


def _compare_array_maps(where: str, fresh: dict, committed: dict, exact: bool,
                        tolerance: Callable[[str], tuple[float, float]]) -> list[str]:
    if list(fresh) != list(committed):
        return [f"{where}: names {list(committed)} committed, {list(fresh)} regenerated"]
    diffs = []
    for name in fresh:
        # Integers, booleans and strings always compare exactly (as the format says).
        dtype = fresh[name]["dtype"]
        rtol, atol = (0.0, 0.0) if exact or dtype not in FLOAT_DTYPES else tolerance(dtype)
        diffs += _compare_arrays(f"{where}.{name}", fresh[name], committed[name], exact, rtol, atol)
    return diffs


def _compare_case(fresh: dict, committed: dict, committed_doc: dict, expected: bool = True) -> list[str]:
    where = f"case {fresh['id']!r}"
    diffs = []
    for key, default in (("tags", []), ("params", {}), ("context", {}), ("tolerance", None),
                         ("expected_error", None)):
        if _canonical(fresh.get(key, default)) != _canonical(committed.get(key, default)):
            diffs.append(f"{where}: {key} {_canonical(committed.get(key, default))} committed, "
                         f"{_canonical(fresh.get(key, default))} regenerated")
    diffs += _compare_array_maps(f"{where}: inputs", fresh.get("inputs", {}), committed.get("inputs", {}),
                                 exact=True, tolerance=lambda _: (0.0, 0.0))
    if ("expected" in fresh) != ("expected" in committed):
        diffs.append(f"{where}: expected {'present' if 'expected' in committed else 'absent'} committed, "
                     f"{'present' if 'expected' in fresh else 'absent'} regenerated")
    elif "expected" in fresh and expected:
        diffs += _compare_array_maps(f"{where}: expected", fresh["expected"], committed["expected"],
                                     exact=False, tolerance=lambda dt: case_tolerance(committed_doc, committed, dt))
    return diffs


# The tag of a case whose expected values show a libm function's last bits by design (the
# framework's std::pow seen through cancellation): no tolerance short of defeating the case
# covers another libm. The perturbed check (hinge_fixtures/perturb.py) holds such a case's
# inputs to the bit but does not compare its expected values.
LIBM_TAG = "libm"


def compare_documents(fresh: dict, committed: dict, *, libm_cases_expected: bool = True) -> list[str]:
    """Every difference between a regenerated document and the committed one, ignoring
    provenance. Expected values compare within tolerance, everything else exactly; with
    libm_cases_expected=False, not the expected values of cases tagged LIBM_TAG."""
    diffs = []
    for key in ("format", "format_version", "suite", "default_tolerance"):
        if _canonical(fresh.get(key)) != _canonical(committed.get(key)):
            diffs.append(f"{key}: {_canonical(committed.get(key))} committed, {_canonical(fresh.get(key))} regenerated")
    fresh_cases = {c["id"]: c for c in fresh["cases"]}
    committed_cases = {c.get("id"): c for c in committed.get("cases", [])}
    diffs += [f"case {cid!r}: missing from the committed file" for cid in fresh_cases if cid not in committed_cases]
    diffs += [f"case {cid!r}: committed but no longer generated" for cid in committed_cases if cid not in fresh_cases]
    common_fresh = [cid for cid in fresh_cases if cid in committed_cases]
    common_committed = [cid for cid in committed_cases if cid in fresh_cases]
    if common_fresh != common_committed:
        diffs.append("case order differs")
    for cid in common_fresh:
        try:
            diffs += _compare_case(fresh_cases[cid], committed_cases[cid], committed,
                                   expected=libm_cases_expected or LIBM_TAG not in committed_cases[cid].get("tags", []))
        except (KeyError, TypeError, ValueError) as e:  # a hand-damaged committed case
            diffs.append(f"case {cid!r}: unreadable committed case ({type(e).__name__}: {e})")
    return diffs
