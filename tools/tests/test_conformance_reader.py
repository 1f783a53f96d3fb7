"""hinge_conformance_fixtures, the standalone reader: every bundled fixture reads bit-exactly (against
an independent json + NumPy decode and against hinge_fixtures' decoder), the tolerance chain of
fixtures/FORMAT.md, clear errors on malformed files, where fixtures are found, the comparison rule,
and a demo: a tiny NumPy math.hinge passes fixtures/math.hinge.json and a wrong variant fails."""
from __future__ import annotations

import copy
import json
import math
import os
import tempfile
import time
import unittest
from unittest import mock

import numpy as np

import hinge_conformance_fixtures as reader
from hinge_fixtures.fixture import case_tolerance, decode_array  # the reference, in this test only
from hinge_fixtures.suites import suite_names

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "fixtures")
FILES = sorted(n for n in os.listdir(FIXTURES) if n.endswith(".json"))


def independent_decode(obj: dict) -> np.ndarray:
    """json + NumPy, written from FORMAT.md alone: doubles via float(), float32 via a double."""
    dtype, data = obj["dtype"], obj["data"]
    if dtype in ("float32", "float64"):
        doubles = np.array([float(v) for v in data], dtype=np.float64)
        flat = doubles.astype(np.float32) if dtype == "float32" else doubles
    elif dtype == "string":
        flat = np.array(data, dtype=str)
    else:
        flat = np.array(data, dtype={"int64": np.int64, "bool": np.bool_}[dtype])
    return flat.reshape(obj["shape"])


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "U":
        return bool(np.array_equal(a, b))
    return a.tobytes() == b.tobytes()


class AllBundledFixturesTest(unittest.TestCase):
    def test_every_file_reads_bit_exactly(self):
        self.assertEqual(len(FILES), len(suite_names()))  # one file per registered suite
        started = time.perf_counter()
        fixtures = reader.load_folder(FIXTURES)
        elapsed = time.perf_counter() - started
        self.assertEqual([os.path.basename(f.path) for f in fixtures], FILES)
        arrays = 0
        for fixture in fixtures:
            with open(fixture.path, encoding="utf-8") as f:
                doc = json.load(f)
            self.assertEqual(fixture.suite, doc["suite"])
            self.assertEqual(len(fixture.cases), len(doc["cases"]), fixture.path)
            for case, raw in zip(fixture.cases, doc["cases"]):
                where = f"{FILES[fixtures.index(fixture)]}: {case.id}"
                self.assertEqual(case.id, raw["id"])
                self.assertEqual(case.params, raw.get("params", {}), where)
                self.assertEqual(case.tags, raw.get("tags", []), where)
                for group, decoded in (("inputs", case.inputs), ("expected", case.expected or {})):
                    self.assertEqual(sorted(decoded), sorted(raw.get(group, {})), where)
                    for name, arr in decoded.items():
                        obj = raw[group][name]
                        self.assertTrue(same_bits(arr, independent_decode(obj)), f"{where} {group}.{name}")
                        self.assertTrue(same_bits(arr, decode_array(obj)), f"{where} {group}.{name}")
                        arrays += 1
                if "expected_error" in raw:
                    self.assertIsNone(case.expected)
                    self.assertEqual(case.expected_error.kind, raw["expected_error"]["kind"], where)
                else:
                    self.assertIsNone(case.expected_error)
                for dtype in ("float32", "float64"):
                    self.assertEqual(case.tolerance(dtype), case_tolerance(doc, raw, dtype), where)
        self.assertGreater(arrays, 10000)
        print(f"\n  reader: {len(fixtures)} files, {sum(len(f.cases) for f in fixtures)} cases, "
              f"{arrays} arrays read in {elapsed:.2f} s")

    def test_cases_by_suite_and_filter(self):
        hinge = reader.cases("math.hinge", folder=FIXTURES)
        self.assertEqual(len(hinge), 113)
        self.assertTrue(all(c.full_id.startswith("math.hinge/") for c in hinge))
        f64 = reader.cases("math.hinge", filter="/float64/", folder=FIXTURES)
        self.assertTrue(f64 and len(f64) < len(hinge))
        errors = reader.cases(os.path.join(FIXTURES, "math.hinge.json"), filter=lambda c: c.is_error)
        self.assertTrue(errors and all(c.expected_error.kind in reader.ERROR_KINDS for c in errors))
        self.assertEqual(reader.case_id(hinge[0]), "math.hinge/" + hinge[0].id)
        with self.assertRaisesRegex(LookupError, "no.such"):
            reader.cases("no.such", folder=FIXTURES)


class DecodingTest(unittest.TestCase):
    def test_format_md_number_rules(self):
        def dec(dtype, data, shape=None):
            return reader.decode_array({"dtype": dtype, "shape": [len(data)] if shape is None else shape, "data": data})
        a = dec("float64", [-0.0, -0, "nan", "inf", "-inf", 1e400, 10**400, -(10**400), 2**53 + 1, 0.1])
        self.assertEqual(math.copysign(1, a[0]), -1.0)          # -0.0 stays negative
        self.assertEqual(math.copysign(1, a[1]), 1.0)           # the integer -0 is +0.0
        self.assertTrue(math.isnan(a[2]))
        self.assertEqual(list(a[3:8]), [math.inf, -math.inf, math.inf, math.inf, -math.inf])
        self.assertEqual(a[8], float(2**53))                    # a huge integer rounds once, to even
        self.assertEqual(a[9], 0.1)
        f = dec("float32", [0.10000000149011612, 16777217, 3.4028234663852886e38])
        self.assertEqual(f.dtype, np.float32)
        self.assertEqual(f.tobytes(), np.array([0.1, 16777216.0, 3.4028234663852886e38], np.float32).tobytes())
        self.assertEqual(dec("float32", [1e39]).tolist(), [math.inf])   # beyond float32: an infinity
        self.assertEqual(dec("int64", [-2**63, 2**63 - 1]).tolist(), [-2**63, 2**63 - 1])
        self.assertEqual(dec("bool", [True, False]).dtype, np.bool_)
        self.assertEqual(dec("string", ["a", "bc"]).tolist(), ["a", "bc"])
        s = dec("float32", [2.5], shape=[])
        self.assertEqual((s.shape, float(s)), ((), 2.5))
        self.assertEqual(dec("float64", [], shape=[0, 3]).shape, (0, 3))


def document(**top) -> dict:
    doc = {"format": "hinge-conformance/fixture", "format_version": 1, "suite": "demo.suite", "provenance": {},
           "cases": [{"id": "c1", "inputs": {"x": {"dtype": "float32", "shape": [1], "data": [1.0]}},
                      "expected": {"output": {"dtype": "float64", "shape": [], "data": [2.0]}}}]}
    doc.update(top)
    return doc


class FileTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, doc, name="demo.suite.json", raw: str | None = None) -> str:
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(raw if raw is not None else json.dumps(doc))
        return path


class ToleranceChainTest(FileTestCase):
    def tol(self, default_tolerance, case_tolerance):
        doc = document()
        if default_tolerance is not None:
            doc["default_tolerance"] = default_tolerance
        if case_tolerance is not None:
            doc["cases"][0]["tolerance"] = case_tolerance
        return reader.load(self.write(doc)).cases[0]

    def test_fallback_chain(self):
        fb = reader.FALLBACK_TOLERANCE
        c = self.tol(None, None)
        self.assertEqual(c.tolerance("float32"), (1.3e-6, 1e-5))
        self.assertEqual(c.tolerance("float64"), (fb["float64"]["rtol"], fb["float64"]["atol"]))
        c = self.tol({"float32": {"rtol": 1e-3, "atol": 1e-4}}, None)
        self.assertEqual(c.tolerance("float32"), (1e-3, 1e-4))
        self.assertEqual(c.tolerance("float64"), (1e-7, 1e-7))        # no file default for float64
        c = self.tol({"float32": {"atol": 1e-4}}, None)
        self.assertEqual(c.tolerance("float32"), (1.3e-6, 1e-4))      # partial default: rtol from fallback
        c = self.tol({"float32": {"atol": 1e-4}, "float64": {"rtol": 1e-12, "atol": 0}}, {"rtol": 0.5})
        self.assertEqual(c.tolerance("float32"), (0.5, 1e-4))         # case rtol, file atol
        self.assertEqual(c.tolerance("float64"), (0.5, 0.0))
        c = self.tol(None, {"rtol": 0, "atol": 3})
        self.assertEqual(c.tolerance("float32"), (0.0, 3.0))
        with self.assertRaises(ValueError):
            c.tolerance("int64")


class MalformedFileTest(FileTestCase):
    def expect(self, doc, *fragments, raw=None):
        path = self.write(doc, raw=raw)
        with self.assertRaises(reader.FixtureFormatError) as ctx:
            reader.load(path)
        message = str(ctx.exception)
        for fragment in ("demo.suite.json", *fragments):
            self.assertIn(fragment, message)
        return message

    def mutate(self, change):
        doc = document()
        change(doc)
        return doc

    def test_errors_name_file_case_and_field(self):
        case = lambda f: self.mutate(lambda d: f(d["cases"][0]))
        self.expect(None, "not valid JSON", raw="{")
        self.expect(None, "bare NaN", raw=json.dumps(document()).replace("[1.0]", "[NaN]"))
        self.expect(document(format="other"), "format")
        self.assertIn("newer", self.expect(document(format_version=2), "format_version"))
        self.expect(document(format_version="1"), "format_version")
        self.expect(document(suite=""), "suite")
        self.expect(self.mutate(lambda d: d.pop("provenance")), "provenance", "missing")
        self.expect(document(extra=1), "extra", "unknown top-level")
        self.expect(document(default_tolerance={"int64": {"rtol": 1}}), "default_tolerance")
        self.expect(document(default_tolerance={"float32": {"rtol": -1}}), "default_tolerance.float32", "rtol")
        self.expect(case(lambda c: c.update(id="")), "cases[0]", "id")
        self.expect(self.mutate(lambda d: d["cases"].append(copy.deepcopy(d["cases"][0]))), "duplicate id 'c1'")
        self.expect(case(lambda c: c.update(weights=1)), "case 'c1'", "weights", "unknown case field")
        self.expect(case(lambda c: c.pop("inputs")), "case 'c1'", "inputs")
        self.expect(case(lambda c: c.update(expected_error={"kind": "shape_mismatch"})), "case 'c1'", "exactly one")
        self.expect(case(lambda c: c.pop("expected")), "case 'c1'", "exactly one")
        self.expect(case(lambda c: c.update(expected={})), "case 'c1'", "expected")
        self.expect(case(lambda c: (c.pop("expected"), c.update(expected_error={"kind": "oops"}))),
                    "case 'c1'", "expected_error")
        self.expect(case(lambda c: c.update(tolerance={"rtol": "1"})), "case 'c1'", "tolerance.rtol")
        self.expect(case(lambda c: c.update(tags="kink")), "case 'c1'", "tags")
        self.expect(case(lambda c: c.update(params=[])), "case 'c1'", "params")
        x = lambda **o: case(lambda c: c["inputs"]["x"].update(o))
        self.expect(x(dtype="float16"), "case 'c1'", "inputs.x.dtype", "float16")
        self.expect(x(shape=[2]), "case 'c1'", "inputs.x.data", "length 1", "[2]")
        self.expect(x(shape=[-1]), "inputs.x.shape")
        self.expect(x(data=["NaN"]), "inputs.x.data[0]", "'NaN'")
        self.expect(x(data=[True]), "inputs.x.data[0]")
        self.expect(x(dtype="int64", data=[2**63]), "inputs.x.data[0]", "int64")
        self.expect(x(dtype="int64", data=[1.0]), "inputs.x.data[0]")
        self.expect(x(dtype="bool", data=[1]), "inputs.x.data[0]", "bool")
        self.expect(x(dtype="string", data=[1]), "inputs.x.data[0]", "string")
        self.expect(case(lambda c: c["expected"]["output"].update(unit="m")), "case 'c1'", "expected.output")

    def test_version_one_point_oh_is_accepted(self):
        self.assertEqual(reader.load(self.write(document(format_version=1.0))).suite, "demo.suite")


class LocatingTest(FileTestCase):
    def test_explicit_then_environment_then_checkout(self):
        self.write(document())
        with mock.patch.dict(os.environ, {reader.ENV_VAR: self.tmp.name}):
            self.assertEqual(reader.fixtures_folder(), self.tmp.name)
            self.assertEqual([c.full_id for c in reader.cases("demo.suite")], ["demo.suite/c1"])
            self.assertEqual(reader.fixtures_folder(FIXTURES), FIXTURES)
        env = {k: v for k, v in os.environ.items() if k != reader.ENV_VAR}
        with mock.patch.dict(os.environ, env, clear=True):
            self.assertEqual(os.path.realpath(reader.fixtures_folder()), os.path.realpath(FIXTURES))
            self.assertEqual(len(reader.cases("math.hinge")), 113)


class ComparisonRuleTest(FileTestCase):
    def case(self, dtype, values, tolerance=None):
        doc = document()
        doc["cases"][0]["expected"] = {"output": {"dtype": dtype, "shape": [len(values)], "data": values}}
        if tolerance:
            doc["cases"][0]["tolerance"] = tolerance
        return reader.load(self.write(doc)).cases[0]

    def test_rule(self):
        c = self.case("float64", [1.0, "nan", "inf", "-inf", 0.0, 100.0], {"rtol": 1e-3, "atol": 1e-6})
        good = np.array([1.0 + 1e-6 + 1e-3 * 0.999, np.nan, np.inf, -np.inf, -0.0, 100.1])
        self.assertEqual(reader.compare_outputs({"output": good, "extra": 1}, c), [])
        for i, v in ((0, 1.0 + 2e-3), (1, 0.0), (2, -np.inf), (3, np.nan), (4, 2e-6), (5, np.inf)):
            bad = good.copy()
            bad[i] = v
            problems = reader.compare_outputs({"output": bad}, c)
            self.assertEqual(len(problems), 1, (i, v))
            self.assertIn(f"flat index {i}", problems[0])
        self.assertIn("dtype float32", reader.compare_outputs({"output": good.astype(np.float32)}, c)[0])
        self.assertIn("shape [3]", reader.compare_outputs({"output": good[:3]}, c)[0])
        self.assertIn("missing", reader.compare_outputs({"grad_x": good}, c)[0])
        self.assertEqual(reader.compare_outputs({"output": np.where(np.isfinite(good), np.nextafter(good, 0), good)}, c), [])
        c = self.case("float32", [1.0], {"rtol": 0, "atol": 0})
        problems = reader.compare_outputs({"output": np.array([np.nextafter(np.float32(1), np.float32(2))])}, c)
        self.assertIn("largest ULP distance 1", problems[0])
        self.assertEqual(reader.compare_outputs({"output": np.array([-0.0], np.float32)},
                                                self.case("float32", [0.0], {"rtol": 0, "atol": 0})), [])
        ints = self.case("int64", [1, 2])
        self.assertEqual(reader.compare_outputs({"output": np.array([1, 2])}, ints), [])
        self.assertTrue(reader.compare_outputs({"output": np.array([1, 3])}, ints))
        self.assertTrue(reader.compare_outputs({"output": np.array(["a", "c"])}, self.case("string", ["a", "b"])))
        with self.assertRaisesRegex(AssertionError, "demo.suite/c1: output"):
            reader.assert_outputs_match({"output": np.array([1, 3])}, ints)

    def test_error_cases(self):
        doc = document()
        del doc["cases"][0]["expected"]
        doc["cases"][0]["expected_error"] = {"kind": "invalid_target", "message": "labels"}
        c = reader.load(self.write(doc)).cases[0]
        reader.assert_outputs_match(ValueError("bad label"), c, error_kind={TypeError: "invalid_dtype",
                                                                            ValueError: "invalid_target"})
        reader.assert_outputs_match(ValueError("bad label"), c, error_kind=lambda e: "invalid_target")
        with self.assertRaisesRegex(AssertionError, "kind 'invalid_target'.*kind 'invalid_dtype'"):
            reader.assert_outputs_match(TypeError("x"), c, error_kind={TypeError: "invalid_dtype"})
        with self.assertRaisesRegex(AssertionError, "expected an error"):
            reader.assert_outputs_match({"output": np.zeros(1)}, c)
        with self.assertRaisesRegex(AssertionError, "expected outputs"):
            reader.assert_outputs_match(ValueError("x"), self.case("float64", [1.0]))


# --------------------------------------------------------------------------- demo

class HingeError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def numpy_hinge(params: dict, inputs: dict, *, kink_slope: bool = False) -> dict:
    """math.hinge in a few lines of NumPy: L = max(0, 1 - y z), dL/dz = -y where y z < 1.
    kink_slope=True is the deliberately wrong variant: it takes the slope -y at y z == 1 too."""
    unknown = set(params) - {"reduction"}
    if unknown:
        raise HingeError("invalid_parameter", f"unknown parameter {sorted(unknown)[0]!r}")
    reduction = params.get("reduction", "mean")
    if not isinstance(reduction, str) or reduction not in ("none", "mean", "sum"):
        raise HingeError("invalid_parameter", f"reduction {reduction!r}")
    y, z = inputs["y"], inputs["z"]
    if z.dtype not in (np.float32, np.float64) or y.dtype not in (np.int64, z.dtype):
        raise HingeError("invalid_dtype", f"y {y.dtype}, z {z.dtype}")
    if y.shape != z.shape:
        raise HingeError("shape_mismatch", f"{y.shape} vs {z.shape}")
    if not np.all((y == 1) | (y == -1)):
        raise HingeError("invalid_target", "labels must be -1 or +1")
    y = y.astype(z.dtype)
    m = y * z
    one, zero = z.dtype.type(1), z.dtype.type(0)
    loss = np.where(np.isnan(m), m, np.maximum(zero, one - m))
    slope = np.where(m <= one if kink_slope else m < one, -y, zero)
    grad = np.where(np.isnan(m), m, slope)
    if reduction == "none":
        return {"output": loss, "grad_z": grad}
    total = zero
    for v in loss.ravel():  # left to right, in the case dtype
        total = total + v
    if reduction == "sum":
        return {"output": np.asarray(total), "grad_z": grad}
    n = z.dtype.type(loss.size)
    return {"output": np.asarray(total / n), "grad_z": grad / n}


class DemoTest(unittest.TestCase):
    def run_all(self, implementation) -> list[str]:
        failures = []
        with np.errstate(all="ignore"):
            for case in reader.cases(os.path.join(FIXTURES, "math.hinge.json")):
                try:
                    reader.check_case(lambda c: implementation(c.params, c.inputs), case)
                except AssertionError as e:
                    failures.append(str(e))
        return failures

    def test_a_numpy_hinge_passes_math_hinge(self):
        self.assertEqual(self.run_all(numpy_hinge), [])

    def test_a_wrong_variant_fails(self):
        failures = self.run_all(lambda p, i: numpy_hinge(p, i, kink_slope=True))
        self.assertTrue(failures)
        self.assertTrue(all("grad_z" in f for f in failures), failures[:3])
        self.assertIn("math.hinge/", failures[0])


if __name__ == "__main__":
    unittest.main()
