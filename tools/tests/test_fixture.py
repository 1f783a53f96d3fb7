"""Checks of the format helpers (hinge_fixtures.fixture) and the generator's --check."""
import contextlib
import copy
import io
import json
import os
import shutil
import tempfile
import unittest

import numpy as np


import generate_fixtures
from hinge_fixtures.fixture import (LIBM_TAG, CaseList, LossError, build_document, compare_documents,
                                    decode_array, dumps_fixture, encode_array, suite_seed)
from hinge_fixtures.suites import REGISTRY, entry, load_suite, suite_names


def roundtrip(a):
    return decode_array(json.loads(json.dumps(encode_array(a))))


class ArrayEncodingTest(unittest.TestCase):
    def test_float32_is_written_as_the_exact_double(self):
        self.assertEqual(encode_array(np.float32(0.1))["data"], [0.10000000149011612])
        self.assertEqual(json.dumps(encode_array(np.array([-0.0, np.nan, np.inf, -np.inf], np.float32))["data"]),
                         '[-0.0, "nan", "inf", "-inf"]')

    def test_float_roundtrip_is_bit_exact(self):
        rng = np.random.default_rng(0)
        for dtype, uint in ((np.float32, np.uint32), (np.float64, np.uint64)):
            fi = np.finfo(dtype)
            special = [0.0, -0.0, np.inf, -np.inf, fi.smallest_subnormal, -fi.smallest_subnormal,
                       fi.smallest_normal, fi.max, -fi.max, fi.eps]
            a = np.concatenate([np.array(special, dtype), (rng.standard_normal(200) * 1e3).astype(dtype),
                                rng.integers(0, 2 ** 20, 50).astype(dtype) * fi.smallest_subnormal])
            b = roundtrip(a)
            self.assertEqual(b.dtype, a.dtype)
            np.testing.assert_array_equal(a.view(uint), b.view(uint))

    def test_other_dtypes_and_shapes(self):
        for a in (np.array(3.5), np.zeros((0, 3)), np.arange(6, dtype=np.int64).reshape(2, 3),
                  np.array([True, False]), np.array(["a", "b"]), np.array(-2 ** 63)):
            b = roundtrip(a)
            self.assertEqual(b.shape, a.shape)
            self.assertEqual(b.dtype.kind, a.dtype.kind)
            np.testing.assert_array_equal(a, b)
        self.assertEqual(encode_array(np.array(2.0))["shape"], [])


class DocumentTest(unittest.TestCase):
    def test_text_format(self):
        suite, generator = load_suite("math.hinge")
        text = dumps_fixture(build_document(suite, generator, "2000-01-01"))
        self.assertTrue(text.endswith("}\n"))
        doc = json.loads(text, parse_constant=lambda c: self.fail(f"bare {c}"))
        self.assertEqual(list(doc), ["format", "format_version", "suite", "provenance", "default_tolerance", "cases"])
        self.assertEqual(doc["provenance"]["seed"], suite_seed("math.hinge"))
        for case in doc["cases"]:
            self.assertEqual(list(case)[:4], ["id", "tags", "params", "inputs"])
        # Every array object sits on one line.
        self.assertIn('"y": {"dtype": "float32", "shape": [1], "data": [', text)
        array_lines = [line for line in text.splitlines() if '"dtype"' in line]
        self.assertTrue(all(line.rstrip(",").endswith("]}") for line in array_lines))

    def test_generation_is_deterministic(self):
        for name in suite_names():
            suite, generator = load_suite(name)
            first = dumps_fixture(build_document(suite, generator, "2000-01-01"))
            second = dumps_fixture(build_document(suite, generator, "2000-01-01"))
            self.assertEqual(first, second, name)

    def test_case_list_rejects_an_error_case_that_succeeds(self):
        suite, _ = load_suite("math.hinge")
        cases = CaseList(suite.compute)
        inputs = {"y": np.array([1.0]), "z": np.array([0.5])}
        with self.assertRaises(AssertionError):
            cases.add("a", ["error"], {}, inputs, error="invalid_target")
        with self.assertRaises(AssertionError):
            cases.add("b", ["sample"], {"reduction": "avg"}, inputs)
        with self.assertRaises(ValueError):
            LossError("no_such_kind", "")


class CompareTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        suite, generator = load_suite("math.crammer_singer")
        cls.doc = json.loads(dumps_fixture(build_document(suite, generator, "2000-01-01")))

    def case(self, doc, cid):
        return next(c for c in doc["cases"] if c["id"] == cid)

    def diffs(self, mutate):
        committed = copy.deepcopy(self.doc)
        mutate(committed)
        return compare_documents(self.doc, committed)

    def test_identical_documents_match_and_provenance_is_ignored(self):
        self.assertEqual(self.diffs(lambda d: d["provenance"].update(date="1999-12-31")), [])

    def test_expected_values_compare_within_tolerance(self):
        cid = "float32/5x3/sample/none"
        out = self.case(self.doc, cid)["expected"]["output"]["data"]
        i = next(i for i, v in enumerate(out) if isinstance(v, float) and v > 0.5)
        within = float(np.float32(out[i]) * np.float32(1 + 1e-6))
        beyond = float(np.float32(out[i]) * np.float32(1 + 1e-5))
        self.assertEqual(self.diffs(lambda d: self.case(d, cid)["expected"]["output"]["data"].__setitem__(i, within)), [])
        diffs = self.diffs(lambda d: self.case(d, cid)["expected"]["output"]["data"].__setitem__(i, beyond))
        self.assertEqual(len(diffs), 1)
        self.assertIn(cid, diffs[0])
        self.assertIn("expected.output", diffs[0])
        self.assertIn(f"flat index {i}", diffs[0])

    def test_nan_and_inf(self):
        cid = "float64/5x3/inf/none"
        out = self.case(self.doc, cid)["expected"]["output"]["data"]
        self.assertEqual(out, ["inf", 0.0, "nan", "nan", "inf"])
        self.assertEqual(self.diffs(lambda d: None), [])
        for index, value in ((0, "-inf"), (0, 1e308), (2, 0.0), (1, "nan")):
            with self.subTest(index=index, value=value):
                self.assertEqual(len(self.diffs(lambda d: self.case(d, cid)["expected"]["output"]["data"]
                                                .__setitem__(index, value))), 1)

    def test_inputs_compare_bit_for_bit(self):
        cid = "float64/1x2/sample/sum"
        z = self.case(self.doc, cid)["inputs"]["z"]["data"]
        nudged = float(np.nextafter(z[0], np.inf))
        self.assertEqual(len(self.diffs(lambda d: self.case(d, cid)["inputs"]["z"]["data"].__setitem__(0, nudged))), 1)
        cid = "float32/4x3/signed_zero/none"
        z = self.case(self.doc, cid)["inputs"]["z"]["data"]
        i = next(i for i, v in enumerate(z) if v == 0)
        self.assertEqual(len(self.diffs(lambda d: self.case(d, cid)["inputs"]["z"]["data"].__setitem__(i, -z[i]))), 1)

    def test_libm_tagged_cases_keep_exact_inputs_but_may_skip_expected_values(self):
        cid = "float32/5x3/sample/none"

        def tagged(mutate):
            def both(d):
                self.case(d, cid)["tags"].append(LIBM_TAG)
                mutate(d)
            fresh = copy.deepcopy(self.doc)
            self.case(fresh, cid)["tags"].append(LIBM_TAG)
            committed = copy.deepcopy(self.doc)
            both(committed)
            return (compare_documents(fresh, committed),
                    compare_documents(fresh, committed, libm_cases_expected=False))

        def bump_expected(d):
            self.case(d, cid)["expected"]["output"]["data"][0] += 1.0

        def bump_input(d):
            z = self.case(d, cid)["inputs"]["z"]["data"]
            z[0] = float(np.nextafter(np.float32(z[0]), np.float32(np.inf)))

        plain, exempt = tagged(bump_expected)
        self.assertEqual((len(plain), exempt), (1, []))
        plain, exempt = tagged(bump_input)
        self.assertEqual((len(plain), len(exempt)), (1, 1))
        self.assertIn("inputs.z", exempt[0])
        # Untagged cases are never exempt.
        committed = copy.deepcopy(self.doc)
        bump_expected(committed)
        self.assertEqual(len(compare_documents(self.doc, committed, libm_cases_expected=False)), 1)

    def test_structure_differences(self):
        cid = "float32/5x3/sample/mean"
        self.assertIn("missing from the committed file",
                      self.diffs(lambda d: d["cases"].remove(self.case(d, cid)))[0])
        self.assertIn("no longer generated",
                      self.diffs(lambda d: d["cases"].append({**self.case(d, cid), "id": "extra"}))[0])
        self.assertEqual(self.diffs(lambda d: d["cases"].reverse()), ["case order differs"])
        # 1, 1.0 and True are different JSON.
        err = "float32/5x3/error-reduction/1"
        self.assertEqual(len(self.diffs(lambda d: self.case(d, err)["params"].update(reduction=True))), 1)
        self.assertEqual(len(self.diffs(lambda d: self.case(d, err)["expected_error"].update(kind="invalid_target"))), 1)
        self.assertEqual(len(self.diffs(lambda d: self.case(d, cid).update(tags=["kink"]))), 1)
        self.assertEqual(len(self.diffs(lambda d: d["default_tolerance"]["float32"].update(rtol=1.0))), 1)
        self.assertEqual(len(self.diffs(lambda d: self.case(d, cid)["expected"]["grad_z"].update(dtype="float64"))), 1)


class RegistryTest(unittest.TestCase):
    def test_every_suite_is_registered_once_with_a_case_count(self):
        self.assertEqual(len(REGISTRY), len({e.suite for e in REGISTRY}))
        self.assertTrue(all(e.min_cases > 0 for e in REGISTRY))
        self.assertEqual(suite_names(), [e.suite for e in REGISTRY])

    def test_a_document_short_of_the_registry_is_a_difference(self):
        least = entry("math.hinge").min_cases
        error_case = {"id": "e", "expected_error": {"kind": "invalid_parameter", "message": "m"}}
        self.assertEqual(generate_fixtures.registry_problems("math.hinge", {"cases": [error_case] * least}), [])
        short = generate_fixtures.registry_problems("math.hinge", {"cases": [error_case] * (least - 1)})
        self.assertEqual(len(short), 1)
        self.assertIn(f"at least {least}", short[0])
        self.assertEqual(generate_fixtures.registry_problems("math.hinge", {"cases": [{"id": "x"}] * least}),
                         ["no error case"])


class GeneratorCommandTest(unittest.TestCase):
    def run_main(self, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = generate_fixtures.main([*args, "--fixtures-dir", self.dir, "--date", "2000-01-01"])
        return rc, out.getvalue()

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def test_write_then_check_then_perturb(self):
        rc, out = self.run_main("--suite", "math.hinge", "--suite", "math.weston_watkins")
        self.assertEqual(rc, 0)
        self.assertEqual(len(out.splitlines()), 2)
        rc, out = self.run_main("--check", "--no-perturb", "--suite", "math.hinge", "--suite", "math.weston_watkins")
        self.assertEqual((rc, out.strip()), (0, "2 files match"))
        # Then twice more with every transcendental result moved one ulp, in child processes.
        rc, out = self.run_main("--check", "--suite", "math.hinge", "--suite", "math.weston_watkins")
        self.assertEqual((rc, out.splitlines()),
                         (0, ["2 files match", "[libm +-1 ulp, up] 2 files match", "[libm +-1 ulp, down] 2 files match"]))

        path = os.path.join(self.dir, "math.hinge.json")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        doc = json.loads(text)
        case = next(c for c in doc["cases"] if c["id"] == "float64/7/sample/sum")
        case["expected"]["output"]["data"][0] += 1.0
        with open(path, "w", encoding="utf-8") as f:
            f.write(dumps_fixture(doc))
        rc, out = self.run_main("--check")
        self.assertEqual(rc, 1)
        self.assertIn("math.hinge.json: case 'float64/7/sample/sum': expected.output", out)
        # The other suites were never written: each is a missing file.
        self.assertEqual(out.count("missing file"), len(suite_names()) - 2)

    def test_full_check_reports_extra_files(self):
        self.run_main("--suite", "math.hinge")  # writing every suite would need torch
        with open(os.path.join(self.dir, "torch.unknown.json"), "w") as f:
            f.write("{}")
        rc, out = self.run_main("--check")
        self.assertEqual(rc, 1)
        self.assertIn("torch.unknown.json: extra file", out)


if __name__ == "__main__":
    unittest.main()
