"""Checks of tools/bench.py's own pieces that need NumPy alone (CI never runs the benchmark).

The NumPy contender's losses are compared with the fixtures' NumPy mirror of torch
(hinge_fixtures.mirrors.torch) and with plain loops for the Keras functions; the
repetition rule is the one HingeBench implements in Swift.
"""
import unittest

import numpy as np


import bench
from hinge_fixtures.mirrors import torch as tm


class NumPyContenderTest(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(7)

    def test_multi_margin_matches_the_torch_mirror(self):
        for dtype in (np.float32, np.float64):
            for p in (1, 2):
                x = self.rng.standard_normal((37, 11)).astype(dtype)
                y = self.rng.integers(0, 11, 37).astype(np.int64)
                expected = tm.multi_margin_loss({"p": p, "margin": 1.0}, {"input": x, "target": y})
                loss, grad = bench.np_multi_margin(x, y, p, 1.0, backward=True)
                self.assertEqual(grad.dtype, dtype)
                np.testing.assert_allclose(loss, expected["output"], rtol=1e-6)
                np.testing.assert_allclose(grad, expected["grad_input"], rtol=1e-5, atol=1e-7)
                forward_only, none = bench.np_multi_margin(x, y, p, 1.0, backward=False)
                self.assertIsNone(none)
                self.assertEqual(forward_only, loss)

    def test_hinge_embedding_matches_the_torch_mirror(self):
        for dtype in (np.float32, np.float64):
            x = (self.rng.standard_normal(1000) * 2).astype(dtype)
            y = np.where(self.rng.random(1000) < 0.5, -1, 1).astype(dtype)
            expected = tm.hinge_embedding_loss({"margin": 1.0}, {"input": x, "target": y})
            loss, grad = bench.np_hinge_embedding(x, y, 1.0, backward=True)
            np.testing.assert_allclose(loss, expected["output"], rtol=1e-6)
            np.testing.assert_allclose(grad, expected["grad_input"], rtol=1e-6)

    def test_keras_hinge_and_categorical_hinge_match_loops(self):
        n, c = 23, 7
        p = self.rng.standard_normal((n, c))
        signs = np.where(self.rng.random((n, c)) < 0.5, -1.0, 1.0)
        onehot = np.eye(c)[self.rng.integers(0, c, n)]
        # hinge: mean over rows of mean(max(1 - y p, 0)); gradient -y/(n c) where active
        loss, grad = bench.np_keras_hinge(signs, p, backward=True)
        rows = [np.mean([max(1 - signs[i, k] * p[i, k], 0) for k in range(c)]) for i in range(n)]
        self.assertAlmostEqual(loss, sum(rows) / n, places=12)
        for i in range(n):
            for k in range(c):
                g = -signs[i, k] / (n * c) if 1 - signs[i, k] * p[i, k] >= 0 else 0.0
                self.assertAlmostEqual(grad[i, k], g, places=14)
        # categorical_hinge: max(max((1 - y) p) - sum(y p) + 1, 0)
        loss, grad = bench.np_keras_categorical_hinge(onehot, p, backward=True)
        total = 0.0
        for i in range(n):
            masked = (1 - onehot[i]) * p[i]
            z = masked.max() - (onehot[i] * p[i]).sum() + 1
            total += max(z, 0)
            g = np.zeros(c)
            if z > 0:
                g -= onehot[i] / n
                g[masked.argmax()] += 1 / n
            np.testing.assert_allclose(grad[i], g, atol=1e-15)
        self.assertAlmostEqual(loss, total / n, places=12)


class RepetitionRuleTest(unittest.TestCase):
    RULE = {"warmup": 1, "min_repeats": 3, "max_repeats": 30, "budget_seconds": 1.0, "cap_seconds": 5.0}

    def test_budget_min_max_and_cap(self):
        self.assertEqual(bench.repetitions(self.RULE, 0.001), 30)   # max
        self.assertEqual(bench.repetitions(self.RULE, 0.1), 10)     # ceil(1 / 0.1)
        self.assertEqual(bench.repetitions(self.RULE, 0.9), 3)      # min
        self.assertEqual(bench.repetitions(self.RULE, 0.3), 4)      # ceil(1 / 0.3)
        self.assertEqual(bench.repetitions(self.RULE, 2.0), 3)      # the cap never goes below min
        self.assertEqual(bench.repetitions(self.RULE, 20.0), 3)
        self.assertEqual(bench.repetitions(self.RULE, None), 30)

    def test_traffic_counts_inputs_once_and_the_gradient_once(self):
        w = {"loss": "multi_margin", "shape": [10, 4]}
        self.assertEqual(bench.traffic_bytes(w, "float32", "forward"), (10 * 4 * 4 + 10 * 8, 0))
        self.assertEqual(bench.traffic_bytes(w, "float64", "forward_backward"), (10 * 4 * 8 + 80, 10 * 4 * 8))
        w = {"loss": "keras_hinge", "shape": [10, 4]}
        self.assertEqual(bench.traffic_bytes(w, "float32", "forward_backward"), (2 * 160, 160))


if __name__ == "__main__":
    unittest.main()
