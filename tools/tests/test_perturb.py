"""The perturbed check and the exact input helpers: the perturbation really moves what it
claims to move (so a passing perturbed check means something), and the exact helpers
really do not depend on it.

Each perturbed computation runs in a child process (the wrappers replace module
attributes of numpy and math; the shim is preloaded), and is compared with the same
computation here, unperturbed.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from hinge_fixtures.contract import TOOLS_DIR as TOOLS

from hinge_fixtures import exact, perturb

# Values computed with and without the perturbation. Each returns a JSON-able list of the
# results' bit patterns (float64 as uint64, float32 as uint32).
PROBES = r'''
import json, math, sys
import numpy as np
sys.path.insert(0, TOOLS)
from hinge_fixtures import exact, perturb
if WRAP:
    perturb.install(DIRECTION)

def bits(a):
    a = np.asarray(a)
    return a.view({4: np.uint32, 8: np.uint64}[a.dtype.itemsize]).ravel().tolist()

rng = np.random.default_rng(7)
out = {
    "np.exp f64": bits(np.exp(np.array([0.5, 1.0, -3.25]))),
    "np.exp f32": bits(np.exp(np.array([0.5, 1.0, -3.25], np.float32))),
    "np.log out=": bits(np.log(np.array([2.0, 3.0]), out=np.empty(2))),
    "np.power int": np.power(np.array([2, 3]), 3).tolist(),
    "np.exp inf nan": bits(np.exp(np.array([np.inf, np.nan]))),
    "math.pow": bits(np.float64(math.pow(1.5, 0.3))),
    "float **": bits(np.float64(1.5 ** 0.3)),
    "array ** float": bits(np.array([1.5, 2.5, 3.5]) ** 1.3),
    "standard_normal": bits(np.random.default_rng(0).standard_normal(20000)),
    "exp(uniform)": bits(np.exp(rng.uniform(-12, 12, 64))),
    "exact.normal": bits(exact.normal(np.random.default_rng(1), (64, 3), 2.0)),
    "exact.uniform": bits(exact.uniform(np.random.default_rng(2), -1, 1, 64)),
    "exact.wide": bits(exact.wide(np.random.default_rng(3), 64, -17, 17)),
    "ldexp": bits(np.float64(math.ldexp(1.0, -1074))),
}
print(json.dumps(out))
'''


def probe(wrap: bool, direction: str = "up", env: dict | None = None) -> dict:
    code = PROBES.replace("TOOLS", repr(TOOLS)).replace("WRAP", repr(wrap)).replace("DIRECTION", repr(direction))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env if env is not None else dict(os.environ))
    if run.returncode != 0:
        raise AssertionError(f"probe failed:\n{run.stderr}")
    return json.loads(run.stdout)


def moved_bits(bits: list[int], dtype, towards: float) -> list[int]:
    a = np.array(bits, {np.float64: np.uint64, np.float32: np.uint32}[dtype]).view(dtype)
    m = np.where(np.isfinite(a), np.nextafter(a, dtype(towards)), a)
    return m.view(np.uint64 if dtype is np.float64 else np.uint32).tolist()


class ExactInputsStay:
    """Shared by both layers: what the exact helpers build is not moved by either."""
    plain: dict
    up: dict
    down: dict

    def test_exact_helpers_do_not_change(self):
        for key in ("exact.normal", "exact.uniform", "exact.wide", "ldexp"):
            self.assertEqual(self.up[key], self.plain[key], key)
            self.assertEqual(self.down[key], self.plain[key], key)


class WrapperTest(ExactInputsStay, unittest.TestCase):
    """install(): NumPy's and math's functions move their floating-point results one ulp."""

    @classmethod
    def setUpClass(cls):
        cls.plain = probe(wrap=False)
        cls.up = probe(wrap=True, direction="up")
        cls.down = probe(wrap=True, direction="down")

    def test_numpy_results_move_one_ulp_each_way(self):
        for key, dtype in (("np.exp f64", np.float64), ("np.exp f32", np.float32), ("np.log out=", np.float64)):
            self.assertEqual(self.up[key], moved_bits(self.plain[key], dtype, math.inf), key)
            self.assertEqual(self.down[key], moved_bits(self.plain[key], dtype, -math.inf), key)

    def test_math_results_move(self):
        self.assertEqual(self.up["math.pow"], moved_bits(self.plain["math.pow"], np.float64, math.inf))

    def test_integers_and_non_finite_results_stay(self):
        self.assertEqual(self.up["np.power int"], [8, 27])
        self.assertEqual(self.up["np.exp inf nan"], self.plain["np.exp inf nan"])

    def test_inputs_built_with_transcendentals_change(self):
        self.assertNotEqual(self.up["exp(uniform)"], self.plain["exp(uniform)"])


class ShimTest(ExactInputsStay, unittest.TestCase):
    """libm_nudge.c, preloaded with NumPy's SIMD dispatch off: what Python cannot wrap."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        shim = perturb.build_shim(cls.folder.name)
        cls.plain = probe(wrap=False)
        cls.up = probe(wrap=False, env=perturb.child_environment("up", shim, cls.folder.name))
        cls.down = probe(wrap=False, env=perturb.child_environment("down", shim, cls.folder.name))

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_ziggurat_tail_of_standard_normal_moves(self):
        # 20,000 draws reach the ziggurat's log1p tail about five times
        self.assertNotEqual(self.up["standard_normal"], self.plain["standard_normal"])

    def test_python_float_pow_moves(self):
        self.assertEqual(self.up["float **"], moved_bits(self.plain["float **"], np.float64, math.inf))
        self.assertEqual(self.down["float **"], moved_bits(self.plain["float **"], np.float64, -math.inf))

    def test_array_power_moves(self):
        self.assertNotEqual(self.up["array ** float"], self.plain["array ** float"])



class ExactHelpersTest(unittest.TestCase):
    def test_normal_has_unit_spread_and_bounded_support(self):
        z = exact.normal(np.random.default_rng(0), 200_000)
        self.assertEqual(z.dtype, np.float64)
        self.assertLess(abs(z.mean()), 0.01)
        self.assertLess(abs(z.std() - 1.0), 0.01)
        self.assertLess(np.abs(z).max(), 6.0)
        self.assertEqual(exact.normal(np.random.default_rng(0), (3, 4), 2.5).shape, (3, 4))

    def test_uniform_is_generator_uniform_where_nothing_is_fused(self):
        a = exact.uniform(np.random.default_rng(4), -12, 12, 10_000)
        b = np.random.default_rng(4).uniform(-12, 12, 10_000)
        self.assertTrue(np.array_equal(a.view(np.uint64), b.view(np.uint64)))

    def test_wide_spans_the_requested_binades(self):
        w = exact.wide(np.random.default_rng(5), 10_000, -17, 17)
        _, e = np.frexp(np.abs(w))
        self.assertEqual((int(e.min()) - 1, int(e.max()) - 1), (-17, 17))
        self.assertTrue((w < 0).any() and (w > 0).any())
        self.assertTrue((exact.wide(np.random.default_rng(5), 100, 6, 23, signed=False) > 0).all())


if __name__ == "__main__":
    unittest.main()
