"""Checks of the embedded interpreter's module (hinge_fixtures.harness), with the API the
Swift side calls: setup, regen, FuzzSuite(name).describe/versions/run."""
import contextlib
import io
import subprocess
import sys
import unittest

import numpy as np

from hinge_fixtures.contract import TOOLS_DIR as TOOLS

from hinge_fixtures import harness, liblinear_replay
from hinge_fixtures.contract import CannotJudge, FrameworkUndefined, NotMirrored
from hinge_fixtures.mirrors import torch as torch_mirror
from hinge_fixtures.suites import GENERATORS, mirrors_only, suite_names

F32 = np.float32


class NoFrameworks(unittest.TestCase):
    """Every framework switched off, as in CI: the harness has the mirrors alone."""

    def setUp(self):
        off = mirrors_only()
        off.__enter__()
        self.addCleanup(off.__exit__, None, None, None)
        harness.setup(TOOLS)


class ExceptionHierarchyTest(unittest.TestCase):
    def test_what_a_reference_cannot_judge_has_one_base(self):
        for cls in (liblinear_replay.Unsupported, liblinear_replay.NotCertified, torch_mirror.TorchUndefined,
                    NotMirrored, FrameworkUndefined, harness.FuzzTimeout):
            self.assertTrue(issubclass(cls, CannotJudge), cls)
        # the Swift fuzzer tells "the framework's result is undefined" by the name's suffix
        self.assertTrue(torch_mirror.TorchUndefined.__name__.endswith("Undefined"))
        self.assertTrue(issubclass(NotMirrored, NotImplementedError))
        self.assertTrue(issubclass(liblinear_replay.NotCertified, AssertionError))


class FuzzSuiteTest(NoFrameworks):
    def test_every_suite_has_a_mirror_and_describes_itself(self):
        for name in suite_names():
            suite = harness.FuzzSuite(name)
            self.assertTrue(callable(suite.mirror), name)
            about = suite.describe()
            self.assertEqual(set(about), {"generator", "framework", "framework_available", "framework_reason"})
            self.assertTrue(about["generator"].startswith("tools/hinge_fixtures/suites/"), about)
            self.assertFalse(about["framework_available"])
            if name.startswith("math."):
                self.assertIsNone(about["framework"])
                self.assertIsNone(about["framework_reason"])
            else:
                self.assertIn(about["framework"], ("torch", "keras", "tensorflow", "optax", "scikit-learn", "mlx", "paddle"))
                self.assertIn("--check works with NumPy alone", about["framework_reason"])
            versions = suite.versions()
            self.assertEqual(set(versions), {"python", "numpy"})

    def test_outputs_and_errors(self):
        suite = harness.FuzzSuite("math.hinge")
        inputs = {"y": np.array([1.0, -1.0]), "z": np.array([0.5, 2.0])}
        tag, outputs = suite.run("mirror", {"reduction": "none"}, inputs, {}, 0.0)
        self.assertEqual(tag, "outputs")
        self.assertEqual([name for name, _ in outputs], ["output", "grad_z"])
        np.testing.assert_array_equal(outputs[0][1], [0.5, 3.0])
        self.assertEqual(suite.run("mirror", {"reduction": "avg"}, inputs, {}, 0.0)[:2], ("error", "invalid_parameter"))

    def test_context_is_passed_when_present(self):
        suite = harness.FuzzSuite("keras.losses.hinge")
        inputs = {"y_true": np.array([[1.0, -1.0]], F32), "y_pred": np.array([[0.5, 2.0]], F32)}
        tag, outputs = suite.run("mirror", {}, inputs, {"backend": "jax"}, 0.0)
        self.assertEqual(tag, "outputs")
        self.assertEqual([name for name, _ in outputs], ["output", "grad_y_pred"])

    def test_draws_the_reference_cannot_judge_are_skipped_by_class_name(self):
        suite = harness.FuzzSuite("torch.nn.functional.multi_margin_loss")
        empty = {"input": np.zeros((0, 3), F32), "target": np.zeros(0, np.int64)}
        tag, reason, message = suite.run("mirror", {"reduction": "mean"}, empty, {}, 0.0)
        self.assertEqual((tag, reason), ("skip", "TorchUndefined"))
        self.assertIn("uninitialised", message)
        suite = harness.FuzzSuite("optax.hinge_loss")
        ints = {"predictor_outputs": np.array([1, 2]), "targets": np.array([1, -1])}
        self.assertEqual(suite.run("mirror", {}, ints, {}, 0.0)[:2], ("skip", "NotMirrored"))

    def test_a_bug_is_not_skipped(self):
        suite = harness.FuzzSuite("math.hinge")
        suite.mirror = lambda params, inputs: 1 / 0
        with self.assertRaises(ZeroDivisionError):
            suite.run("mirror", {}, {}, {}, 0.0)

    def test_timeout(self):
        suite = harness.FuzzSuite("math.hinge")

        def slow(params, inputs):
            while True:
                pass
        suite.mirror = slow
        self.assertEqual(suite.run("mirror", {}, {}, {}, 0.05)[:2], ("skip", "timeout"))

    def test_no_framework_reference_without_the_framework(self):
        with self.assertRaises(ValueError):
            harness.FuzzSuite("torch.nn.functional.soft_margin_loss").run("framework", {}, {}, {}, 0.0)


class MirrorsArePureNumPyTest(unittest.TestCase):
    def test_no_mirror_module_imports_a_framework(self):
        frameworks = ("torch", "keras", "tensorflow", "jax", "jaxlib", "optax", "sklearn", "scipy")
        code = ("import importlib, pkgutil, sys\n"
                f"for name in {frameworks!r}: sys.modules[name] = None\n"
                f"sys.path.insert(0, {TOOLS!r})\n"
                "import hinge_fixtures.mirrors as m\n"
                "names = [i.name for i in pkgutil.iter_modules(m.__path__)]\n"
                "for name in names: importlib.import_module('hinge_fixtures.mirrors.' + name)\n"
                "print(sorted(names))")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), str(sorted(set(GENERATORS))))


class RegenTest(NoFrameworks):
    def test_check_of_one_suite(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = harness.regen(["--check", "--no-perturb", "--suite", "math.hinge"])
        self.assertEqual(status, 0, out.getvalue())
        self.assertIn("1 files match", out.getvalue())

    def test_argument_errors_are_a_status(self):
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(harness.regen(["--suite", "no.such.suite"]), 2)


if __name__ == "__main__":
    unittest.main()
