"""Read hinge-conformance fixtures (format v1, fixtures/FORMAT.md) into NumPy arrays, bit for bit,
and check a Python implementation against them. Pure Python + NumPy; pytest is optional.

    from hinge_conformance_fixtures import case_id, cases, check_case

    for case in cases("math.hinge"):                  # the bundled fixtures/math.hinge.json
        check_case(lambda c: my_hinge(c.params, c.inputs), case)   # AssertionError on a mismatch

    # with pytest:
    @pytest.mark.parametrize("case", cases("math.hinge", filter="float64/"), ids=case_id)
    def test_my_hinge(case):
        check_case(lambda c: my_hinge(c.params, c.inputs), case)

Where fixtures are found: the folder or file you pass, else $HINGE_FIXTURES, else the fixtures/
folder of the checkout this module sits in (tools/hinge_conformance_fixtures -> ../../fixtures).
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "ERROR_KINDS", "FALLBACK_TOLERANCE", "Case", "ErrorSpec", "Fixture", "FixtureFormatError",
    "assert_outputs_match", "case_id", "cases", "check_case", "compare_outputs", "decode_array",
    "fixtures_folder", "load", "load_folder", "parametrize",
]

FORMAT = "hinge-conformance/fixture"
FORMAT_VERSION = 1
DTYPES = ("float32", "float64", "int64", "bool", "string")
FLOAT_DTYPES = ("float32", "float64")
ERROR_KINDS = ("invalid_parameter", "invalid_target", "shape_mismatch", "invalid_dtype")
# FORMAT.md: without a case or file tolerance, torch.testing's defaults.
FALLBACK_TOLERANCE = {"float32": {"rtol": 1.3e-6, "atol": 1e-5}, "float64": {"rtol": 1e-7, "atol": 1e-7}}
ENV_VAR = "HINGE_FIXTURES"

_TOP_REQUIRED = ("format", "format_version", "suite", "provenance", "cases")
_TOP_ALLOWED = {*_TOP_REQUIRED, "default_tolerance"}
_CASE_ALLOWED = {"id", "params", "context", "inputs", "expected", "expected_error", "tolerance", "tags"}
_FLOAT_WORDS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class FixtureFormatError(ValueError):
    """A fixture file breaks format v1. The message names the file, the case and the field."""


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class ErrorSpec:
    kind: str
    message: str | None = None


@dataclass
class Case:
    """One case: arguments by the framework's own names, and what the framework did with them."""
    suite: str
    id: str
    params: dict
    context: dict
    inputs: dict[str, np.ndarray]
    expected: dict[str, np.ndarray] | None
    expected_error: ErrorSpec | None
    tags: list[str]
    path: str
    case_tolerance: dict = field(default_factory=dict)   # the case's own {rtol?, atol?}
    file_tolerance: dict = field(default_factory=dict)   # the file's default_tolerance

    @property
    def full_id(self) -> str:
        return f"{self.suite}/{self.id}"

    @property
    def is_error(self) -> bool:
        return self.expected_error is not None

    def tolerance(self, dtype: str) -> tuple[float, float]:
        """(rtol, atol) for an output of this float dtype: the case's own, else the file default
        for the dtype, else the fallback; a partial level takes the missing part from the next."""
        if dtype not in FLOAT_DTYPES:
            raise ValueError(f"no tolerance for dtype {dtype!r}: only float outputs have one")
        tol = {**FALLBACK_TOLERANCE[dtype], **self.file_tolerance.get(dtype, {}), **self.case_tolerance}
        return float(tol["rtol"]), float(tol["atol"])

    def __repr__(self) -> str:
        return f"Case({self.full_id!r})"


@dataclass
class Fixture:
    path: str
    suite: str
    provenance: dict
    default_tolerance: dict
    cases: list[Case]


def case_id(case: Case) -> str:
    """A test id for pytest's parametrize(ids=case_id): "<suite>/<case id>"."""
    return case.full_id


# --------------------------------------------------------------------------- decoding

def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _to_double(v: int | float | str) -> float:
    if isinstance(v, str):
        return _FLOAT_WORDS[v]
    try:
        return float(v)            # an int rounds once, correctly; json already made 1e400 inf
    except OverflowError:          # an integer lexeme beyond the double range
        return math.inf if v > 0 else -math.inf


def decode_array(obj: Any, where: str = "array") -> np.ndarray:
    """ARRAY object -> numpy array. Floats are read as doubles; float32 is that double converted
    to float (exact for every file the format allows). `where` prefixes error messages."""
    if not isinstance(obj, dict) or set(obj) != {"dtype", "shape", "data"}:
        keys = sorted(obj) if isinstance(obj, dict) else type(obj).__name__
        raise FixtureFormatError(f"{where}: an array is exactly {{dtype, shape, data}}; got {keys}")
    dtype, shape, data = obj["dtype"], obj["shape"], obj["data"]
    if dtype not in DTYPES:
        raise FixtureFormatError(f"{where}.dtype: {dtype!r} is not one of {list(DTYPES)}")
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise FixtureFormatError(f"{where}.shape: must be a list of non-negative integers; got {shape!r}")
    n = math.prod(shape)
    if not isinstance(data, list):
        raise FixtureFormatError(f"{where}.data: must be a list; got {type(data).__name__}")
    if len(data) != n:
        raise FixtureFormatError(f"{where}.data: length {len(data)} does not match shape {shape} ({n} elements)")
    valid = {
        "float32": lambda v: _number(v) or v in _FLOAT_WORDS,
        "float64": lambda v: _number(v) or v in _FLOAT_WORDS,
        "int64": lambda v: isinstance(v, int) and not isinstance(v, bool) and -2**63 <= v < 2**63,
        "bool": lambda v: isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
    }[dtype]
    for i, v in enumerate(data):
        if not valid(v):
            raise FixtureFormatError(f"{where}.data[{i}]: {v!r} is not a valid {dtype}")
    if dtype in FLOAT_DTYPES:
        with np.errstate(over="ignore"):  # a double beyond float32's range is an infinity, as in C
            flat = np.array([_to_double(v) for v in data], dtype=np.float64).astype(dtype)
    elif dtype == "int64":
        flat = np.array(data, dtype=np.int64)
    elif dtype == "bool":
        flat = np.array(data, dtype=bool)
    else:
        flat = np.array(data, dtype=str)
    return flat.reshape(shape)


def _check_tolerance(t: Any, where: str) -> dict:
    if not isinstance(t, dict) or not t or set(t) - {"rtol", "atol"}:
        raise FixtureFormatError(f"{where}: a tolerance is an object with rtol and/or atol; got {t!r}")
    for k, v in t.items():
        if not _number(v) or not v >= 0 or math.isinf(v):
            raise FixtureFormatError(f"{where}.{k}: must be a finite number >= 0; got {v!r}")
    return dict(t)


def _reject_constant(name: str) -> None:
    raise ValueError(f"bare {name} is not JSON (write the string \"nan\", \"inf\" or \"-inf\")")


def _parse_document(doc: Any, path: str) -> Fixture:
    p = os.path.basename(path)
    if not isinstance(doc, dict):
        raise FixtureFormatError(f"{p}: the top level must be an object")
    if doc.get("format") != FORMAT:
        raise FixtureFormatError(f"{p}: format: must be {FORMAT!r}; got {doc.get('format')!r}")
    version = doc.get("format_version")
    if _number(version) and version > FORMAT_VERSION:
        raise FixtureFormatError(f"{p}: format_version: {version!r} is newer than this reader, which reads version {FORMAT_VERSION}")
    if version != FORMAT_VERSION:
        raise FixtureFormatError(f"{p}: format_version: must be {FORMAT_VERSION}; got {version!r}")
    for k in _TOP_REQUIRED:
        if k not in doc:
            raise FixtureFormatError(f"{p}: {k}: missing top-level field")
    unknown = sorted(set(doc) - _TOP_ALLOWED)
    if unknown:
        raise FixtureFormatError(f"{p}: {unknown[0]}: unknown top-level field")
    suite = doc["suite"]
    if not isinstance(suite, str) or not suite:
        raise FixtureFormatError(f"{p}: suite: must be a non-empty string; got {suite!r}")
    if not isinstance(doc["provenance"], dict):
        raise FixtureFormatError(f"{p}: provenance: must be an object")
    defaults = doc.get("default_tolerance", {})
    if not isinstance(defaults, dict) or set(defaults) - set(FLOAT_DTYPES):
        raise FixtureFormatError(f"{p}: default_tolerance: an object keyed by float32/float64; got {defaults!r}")
    defaults = {k: _check_tolerance(t, f"{p}: default_tolerance.{k}") for k, t in defaults.items()}
    if not isinstance(doc["cases"], list):
        raise FixtureFormatError(f"{p}: cases: must be a list")
    seen: set[str] = set()
    out = []
    for i, c in enumerate(doc["cases"]):
        w = f"{p}: cases[{i}]"
        if not isinstance(c, dict):
            raise FixtureFormatError(f"{w}: a case must be an object")
        cid = c.get("id")
        if not isinstance(cid, str) or not cid:
            raise FixtureFormatError(f"{w}.id: must be a non-empty string; got {cid!r}")
        if cid in seen:
            raise FixtureFormatError(f"{w}.id: duplicate id {cid!r}")
        seen.add(cid)
        w = f"{p}: case {cid!r}"
        unknown = sorted(set(c) - _CASE_ALLOWED)
        if unknown:
            raise FixtureFormatError(f"{w}: {unknown[0]}: unknown case field")
        for k in ("params", "context"):
            if not isinstance(c.get(k, {}), dict):
                raise FixtureFormatError(f"{w}: {k}: must be an object")
        if not isinstance(c.get("inputs"), dict):
            raise FixtureFormatError(f"{w}: inputs: required, an object of arrays")
        inputs = {k: decode_array(a, f"{w}: inputs.{k}") for k, a in c["inputs"].items()}
        if ("expected" in c) == ("expected_error" in c):
            raise FixtureFormatError(f"{w}: needs exactly one of expected / expected_error")
        expected = error = None
        if "expected" in c:
            if not isinstance(c["expected"], dict) or not c["expected"]:
                raise FixtureFormatError(f"{w}: expected: must be a non-empty object of arrays")
            expected = {k: decode_array(a, f"{w}: expected.{k}") for k, a in c["expected"].items()}
        else:
            e = c["expected_error"]
            if not isinstance(e, dict) or e.get("kind") not in ERROR_KINDS or set(e) - {"kind", "message"} \
                    or not isinstance(e.get("message", ""), str):
                raise FixtureFormatError(f"{w}: expected_error: must be {{kind in {list(ERROR_KINDS)}, message?}}; got {e!r}")
            error = ErrorSpec(e["kind"], e.get("message"))
        tol = _check_tolerance(c["tolerance"], f"{w}: tolerance") if "tolerance" in c else {}
        tags = c.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise FixtureFormatError(f"{w}: tags: must be a list of strings")
        out.append(Case(suite=suite, id=cid, params=dict(c.get("params", {})), context=dict(c.get("context", {})),
                        inputs=inputs, expected=expected, expected_error=error, tags=list(tags), path=path,
                        case_tolerance=tol, file_tolerance=defaults))
    return Fixture(path=path, suite=suite, provenance=doc["provenance"], default_tolerance=defaults, cases=out)


def load(path: str | os.PathLike) -> Fixture:
    """Read and validate one fixture file. Raises FixtureFormatError (file, case, field) on any breach."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as e:
        raise FixtureFormatError(f"{os.path.basename(path)}: not valid JSON: {e}") from e
    return _parse_document(doc, path)


def fixtures_folder(folder: str | os.PathLike | None = None) -> str:
    """The folder to read: `folder` if given, else $HINGE_FIXTURES, else the checkout's fixtures/."""
    if folder is not None:
        return os.fspath(folder)
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    bundled = os.path.join(os.path.dirname(os.path.dirname(here)), "fixtures")
    if os.path.isfile(os.path.join(bundled, "FORMAT.md")):
        return bundled
    raise FileNotFoundError(f"no fixtures folder: pass one, or set {ENV_VAR} to hinge-conformance's fixtures/ folder")


def load_folder(folder: str | os.PathLike | None = None) -> list[Fixture]:
    """Every *.json file of the folder (sorted by name), each read and validated."""
    folder = fixtures_folder(folder)
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    return [load(os.path.join(folder, n)) for n in names]


def cases(suite_or_path: str | os.PathLike | None = None, filter: str | Callable[[Case], bool] | None = None, *,
          folder: str | os.PathLike | None = None) -> list[Case]:
    """The cases of a suite ("math.hinge": every file of the fixtures folder with that suite), of a
    fixture file or folder (a path), or of every fixture (None). `filter` keeps the cases whose
    "<suite>/<id>" contains the string, or for which the callable is true."""
    if suite_or_path is not None and (os.path.isfile(suite_or_path) or os.path.isdir(suite_or_path)):
        fixtures = [load(suite_or_path)] if os.path.isfile(suite_or_path) else load_folder(suite_or_path)
    else:
        fixtures = [f for f in load_folder(folder) if suite_or_path is None or f.suite == suite_or_path]
        if not fixtures:
            raise LookupError(f"no fixture file of suite {suite_or_path!r} in {fixtures_folder(folder)}")
    selected = [c for f in fixtures for c in f.cases]
    if isinstance(filter, str):
        selected = [c for c in selected if filter in c.full_id]
    elif filter is not None:
        selected = [c for c in selected if filter(c)]
    return selected


def parametrize(suite_or_path: str | os.PathLike | None = None, filter: str | Callable[[Case], bool] | None = None,
                *, argname: str = "case", folder: str | os.PathLike | None = None):
    """pytest.mark.parametrize(argname, cases(...), ids=case_id). Imports pytest only when called."""
    import pytest
    return pytest.mark.parametrize(argname, cases(suite_or_path, filter, folder=folder), ids=case_id)


# --------------------------------------------------------------------------- comparison

def _dtype_label(a: np.ndarray) -> str:
    return "string" if a.dtype.kind == "U" else a.dtype.name


def _ulp_distance(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    """NumPy's nulp_diff counting on finite values: +0 and -0 are 0 apart."""
    bits = {4: (np.int32, np.int64), 8: (np.int64, object)}[a.dtype.itemsize]

    def ordered(x):
        i = x.view(bits[0]).astype(bits[1])
        return np.where(i < 0, -(i & (2 ** (8 * a.dtype.itemsize - 1) - 1)), i)
    return np.abs(ordered(a) - ordered(e))


def compare_outputs(actual: Mapping[str, Any], case: Case) -> list[str]:
    """The mismatches of `actual` (outputs by name) against the case's expected outputs; [] if all match.
    Extra outputs are ignored; a missing one is a mismatch."""
    if case.expected is None:
        return [f"{case.full_id}: expected an error of kind {case.expected_error.kind!r}, got outputs"]
    problems = []
    for name, e in case.expected.items():
        where = f"{case.full_id}: {name}"
        if name not in actual:
            problems.append(f"{where}: missing (returned: {sorted(actual)})")
            continue
        a = np.asarray(actual[name])
        if _dtype_label(a) != _dtype_label(e):
            problems.append(f"{where}: dtype {_dtype_label(a)}, expected {_dtype_label(e)}")
            continue
        if a.shape != e.shape:
            problems.append(f"{where}: shape {list(a.shape)}, expected {list(e.shape)}")
            continue
        if e.dtype.kind != "f":
            bad = np.flatnonzero(a != e)
            if bad.size:
                i = int(bad[0])
                problems.append(f"{where}: {bad.size} of {e.size} differ; first at flat index {i}: "
                                f"{a.ravel()[i].item()!r}, expected {e.ravel()[i].item()!r}")
            continue
        rtol, atol = case.tolerance(_dtype_label(e))
        af, ef = a.ravel().astype(np.float64), e.ravel().astype(np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            finite = np.isfinite(af) & np.isfinite(ef)
            diff = np.abs(af - ef)
            within = diff <= atol + rtol * np.abs(ef)
        ok = np.where(finite, within, (np.isnan(af) & np.isnan(ef)) | (af == ef))
        bad = np.flatnonzero(~ok)
        if bad.size:
            i = int(bad[0])
            both = finite & ~ok
            worst = ""
            if both.any():  # among the finite mismatches
                worst = (f"; largest abs error {float(diff[both].max()):g}, "
                         f"largest ULP distance {int(_ulp_distance(a.ravel()[both], e.ravel()[both]).max())}")
            problems.append(f"{where}: {bad.size} of {e.size} outside |a - e| <= atol + rtol*|e| "
                            f"(rtol {rtol:g}, atol {atol:g}); first at flat index {i}: {a.ravel()[i].item()!r}, "
                            f"expected {e.ravel()[i].item()!r}{worst}")
    return problems


def _kind_of(exc: BaseException, error_kind: Callable[[BaseException], str | None] | Mapping | None) -> str | None:
    if error_kind is None:
        return getattr(exc, "kind", None)
    if isinstance(error_kind, Mapping):
        for exc_type, kind in error_kind.items():
            if isinstance(exc, exc_type):
                return kind
        return None
    return error_kind(exc)


def assert_outputs_match(actual: Mapping[str, Any] | BaseException, case: Case, *,
                         error_kind: Callable[[BaseException], str | None] | Mapping | None = None) -> None:
    """AssertionError unless `actual` matches the case. `actual` is the implementation's outputs by name,
    or the exception it raised: then `error_kind` maps it to a kind (a callable, or {ExceptionType: kind};
    default: the exception's `kind` attribute) and it must equal the case's expected_error.kind."""
    if isinstance(actual, BaseException):
        kind = _kind_of(actual, error_kind)
        if case.expected_error is None:
            raise AssertionError(f"{case.full_id}: expected outputs {sorted(case.expected)}, "
                                 f"got {type(actual).__name__}: {actual}") from actual
        if kind != case.expected_error.kind:
            raise AssertionError(f"{case.full_id}: expected an error of kind {case.expected_error.kind!r} "
                                 f"({case.expected_error.message}), got {type(actual).__name__} of kind {kind!r}: {actual}") from actual
        return
    problems = compare_outputs(actual, case)
    if problems:
        raise AssertionError(f"{case.path}\n" + "\n".join(problems))


def check_case(implementation: Callable[[Case], Mapping[str, Any]], case: Case, *,
               error_kind: Callable[[BaseException], str | None] | Mapping | None = None) -> None:
    """Run implementation(case) and assert_outputs_match its outputs, or the Exception it raised."""
    try:
        actual = implementation(case)
    except Exception as exc:  # an error is a result to compare
        actual = exc
    assert_outputs_match(actual, case, error_kind=error_kind)

