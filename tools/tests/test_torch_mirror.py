"""Checks of the NumPy mirror of torch's hinge-family losses (hinge_fixtures.suites.torch).

They run with NumPy alone. The expected numbers in SpecExampleTest are the ones torch
2.15.0 computed for the project's design notes on torch (section cited per test). Gradients are
compared with central finite differences in float64 on inputs kept away from every kink.
Only MirrorAgainstTorchTest needs torch, and it is skipped where torch 2.15.0 is absent.
"""
import dataclasses
import itertools
import math
import os
import unittest

import numpy as np


from hinge_fixtures.fixture import (CaseList, GenerationUnavailable, LossError, build_document,
                                    dumps_fixture, write_text)
from hinge_fixtures.suites import load_suite, mirrors_only
from hinge_fixtures.contract import MirrorDisagreement, ulp_distance
from hinge_fixtures.mirrors import torch as tm
from hinge_fixtures.suites import torch as ts

NAN, INF = math.nan, math.inf
F32, F64 = np.float32, np.float64
REDUCTIONS = ("none", "mean", "sum")
GAP = 0.05  # how far inputs stay from kinks in the finite-difference tests


def f32(*values):
    return np.array(values, F32)


def mm(x, y, dtype=F32, w=None, **params):
    inputs = {"input": np.asarray(x, dtype), "target": np.asarray(y, np.int64)}
    if w is not None:
        inputs["weight"] = np.asarray(w, dtype)
    return tm.multi_margin_loss(params, inputs)


def ml(x, y, dtype=F32, **params):
    return tm.multilabel_margin_loss(params, {"input": np.asarray(x, dtype), "target": np.asarray(y, np.int64)})


def he(x, y, dtype=F32, **params):
    return tm.hinge_embedding_loss(params, {"input": np.asarray(x, dtype), "target": np.asarray(y, dtype)})


def mr(x1, x2, y, dtype=F32, **params):
    return tm.margin_ranking_loss(params, {"input1": np.asarray(x1, dtype), "input2": np.asarray(x2, dtype),
                                           "target": np.asarray(y, dtype)})


def sm(x, y, dtype=F32, **params):
    return tm.soft_margin_loss(params, {"input": np.asarray(x, dtype), "target": np.asarray(y, dtype)})


def tr(anchor, positive, negative, dtype=F32, **params):
    return tm.triplet_margin_loss(params, {"anchor": np.asarray(anchor, dtype), "positive": np.asarray(positive, dtype),
                                           "negative": np.asarray(negative, dtype)})


class SpecExampleTest(unittest.TestCase):
    """torch.md's numeric examples (torch 2.15.0, float32) reproduced by the mirror."""

    def close(self, actual, expected, rtol=1e-6, atol=1e-7):
        actual = np.asarray(actual)
        self.assertEqual(actual.dtype, F32)
        np.testing.assert_allclose(actual, np.asarray(expected, F64), rtol=rtol, atol=atol)

    def test_multi_margin_section_1(self):
        x = [[.1, .2, .4, .8]]
        out = mm(x, [3])  # example 1
        self.close(out["output"], 0.325)
        self.close(out["grad_input"], [[.25, .25, .25, -.75]])
        out = mm(x, [3], p=2)  # example 2
        self.close(out["output"], 0.1525)
        self.close(out["grad_input"], [[.15, .2, .3, -.65]])
        x3, w = [[.1, .2, .4, .8], [.5, .3, .9, .1]], [1, 2, 3, 4]  # example 3
        out = mm(x3, [3, 0], w=w, reduction="none")
        self.close(out["output"], [1.3, .7])
        self.close(out["grad_input"], [[1, 1, 1, -3], [-.75, .25, .25, .25]])
        out = mm(x3, [3, 0], w=w)
        self.close(out["output"], 1.0)
        self.close(out["grad_input"], [[.5, .5, .5, -1.5], [-.375, .125, .125, .125]])
        out = mm(x3, [3, 0], w=w, p=2, reduction="sum")
        self.close(out["output"], 1.35)
        self.close(out["grad_input"], [[.6, .8, 1.2, -2.6], [-1.4, .4, .7, .3]])
        self.close(mm(x, [3], w=w, p=2)["output"], 0.61)  # weight after the power: 4 * 0.1525
        for p in (1, 2):  # example 4: the kink, z == 0 exactly
            out = mm([[1, 0, 2]], [2], p=p, reduction="sum")
            self.close(out["output"], 0)
            np.testing.assert_array_equal(out["grad_input"], 0)
        out = mm([1, -1, .5], np.int64(0), margin=.5, reduction="none")  # example 5
        self.assertEqual(out["output"].shape, ())
        self.close(out["output"], 0)
        for y, margin, value in ((3, .5, .025), (3, 0.0, 0), (0, -.5, .05), (3, 2, 1.075)):  # example 6
            self.close(mm(x, [y], margin=margin)["output"], value)

    def test_multi_margin_nan_inf_and_negative_weights_section_1(self):
        out = mm([[NAN, .2, .4, .8]], [3], reduction="sum")  # NaN class dropped
        self.close(out["output"], .25)
        self.close(out["grad_input"], [[0, .25, .25, -.5]])
        out = mm([[.1, .2, .4, NAN]], [3], reduction="sum")  # NaN target: loss 0, grad 0
        self.close(out["output"], 0)
        np.testing.assert_array_equal(out["grad_input"], 0)
        out = mm([[INF, .2, .4, .8]], [3], reduction="sum")
        self.assertEqual(out["output"], INF)
        self.close(out["grad_input"], [[.25, .25, .25, -.75]])
        self.close(mm([[.1, .2, .4, .8]], [3], w=[-1, -1, -1, -1])["output"], -0.325)

    def test_hinge_embedding_section_2(self):
        x, y = [.3, -.5, 1, 2, .5, 1], [1, -1, -1, -1, 1, 1]  # example 1 (third element: the kink)
        out = he(x, y, reduction="none")
        self.close(out["output"], [.3, 1.5, 0, 0, .5, 1])
        self.close(out["grad_input"], [1, -1, 0, 0, 1, 1])
        out = he(x, y)
        self.close(out["output"], .55)
        self.close(out["grad_input"], np.array([1, -1, 0, 0, 1, 1]) / 6)
        out = he([.5, 2, -1], [-1, -1, 1], margin=2, reduction="sum")  # example 2
        self.close(out["output"], .5)
        self.close(out["grad_input"], [-1, 0, 1])
        out = he([.3, .3, 2, .3], [0, 2, 0, .5], reduction="none")  # example 3: both branches
        self.close(out["output"], [1, 1, 2, 1])
        self.close(out["grad_input"], [0, 0, 1, 0])
        out = tm.hinge_embedding_loss({}, {"input": f32(.3), "target": np.array([[1, -1], [-1, -1]], F32)})
        self.close(out["output"], .6)  # example 4: broadcasting
        self.close(out["grad_input"], [-.5])
        out = he([NAN, NAN], [1, -1], reduction="none")
        self.assertTrue(np.isnan(out["output"]).all())
        self.close(out["grad_input"], [1, 0])

    def test_margin_ranking_section_3(self):
        x1, x2 = [.5, .2, -1, .3], [.1, .6, 0, .3]
        out = mr(x1, x2, [1, 1, -1, -1], reduction="none")  # example 1
        self.close(out["output"], [0, .4, 0, 0])
        self.close(out["grad_input1"], [0, -1, 0, 0])
        self.close(out["grad_input2"], [0, 1, 0, 0])
        self.close(out["grad_target"], [0, .4, 0, 0])
        out = mr(x1, x2, [1, 1, -1, -1], margin=.5)  # example 2
        self.close(out["output"], .375)
        self.close(out["grad_input1"], [-.25, -.25, 0, .25])
        self.close(out["grad_input2"], [.25, .25, 0, -.25])
        self.close(out["grad_target"], [-.1, .1, 0, 0])
        out = mr(x1, x2, [1, -1, -1, 1], margin=1, reduction="sum")  # example 3 (element 3: the kink)
        self.close(out["output"], 2.2)
        self.close(out["grad_input1"], [-1, 1, 0, -1])
        self.close(out["grad_input2"], [1, -1, 0, 1])
        self.close(out["grad_target"], [-.4, .4, 0, 0])
        out = mr([[.5, .2]], [[.1], [.6]], [[1, 1]])  # example 4: broadcasting
        self.close(out["output"], .125)
        self.close(out["grad_input1"], [[-.25, -.25]])
        self.close(out["grad_input2"], [[0], [.5]])
        self.close(mr(.5, .1, -1, reduction="none")["output"], .4)  # example 5
        self.close(mr([.5] * 3, [.1] * 3, [0, 2, -2], margin=.1, reduction="none")["output"], [.1, 0, .9])

    def test_margin_ranking_promotes_to_a_float64_target(self):
        out = tm.margin_ranking_loss({"reduction": "none"}, {"input1": f32(.5), "input2": f32(.1),
                                                             "target": np.array([-1.0])})
        self.assertEqual(out["output"].dtype, F64)
        self.assertEqual(out["grad_input1"].dtype, F32)
        self.assertEqual(out["grad_target"].dtype, F64)
        # the difference is rounded in float32 before the float64 product
        self.assertEqual(out["output"][0], F64(F32(.5) - F32(.1)))

    def test_soft_margin_section_4(self):
        x, y = [.5, -2, 0, 3], [1, 1, -1, -1]  # example 1
        out = sm(x, y, reduction="none")
        self.close(out["output"], [0.474077, 2.1269281, 0.6931472, 3.0485873])
        self.close(out["grad_input"], [-0.3775407, -0.8807971, 0.5, 0.9525741])
        out = sm(x, y)
        self.close(out["output"], 1.5856849)
        self.close(out["grad_input"], np.array([-0.3775407, -0.8807971, 0.5, 0.9525741]) / 4)
        out = sm([20, -100, 100], [1, 1, 1], reduction="none")  # example 2: overflow and tiny losses
        self.close(out["output"][0], 2.0611537e-09, rtol=1e-6, atol=0)
        self.assertEqual(out["output"][1], INF)
        self.assertTrue(0 < out["output"][2] < 4e-44)  # subnormal; torch's vectorised exp gives 3.92e-44
        self.close(out["grad_input"][0], -2.0611537e-09, rtol=1e-6, atol=0)
        self.assertTrue(np.isnan(out["grad_input"][1]))
        self.close(out["grad_input"][2], -3.78e-44, rtol=0.02, atol=0)
        out = sm([-100], [1], F64, reduction="none")
        self.assertEqual((out["output"][0], out["grad_input"][0]), (100.0, -1.0))
        out = sm([.5, .5, .5], [0, 2, .5], reduction="none")  # example 3
        self.close(out["output"], [0.6931472, 0.3132617, 0.5759394])
        self.close(out["grad_input"], [0, -0.5378829, -0.2189118])
        self.assertTrue(np.signbit(out["grad_input"][0]))  # -0.0, as torch
        out = tm.soft_margin_loss({}, {"input": np.array([[.5, .2], [.1, .3]], F32), "target": f32(1, -1)})
        self.close(out["output"], 0.6927419)  # example 4
        self.close(out["grad_input"], [[-.0943852, .1374585], [-.1187552, .1436106]])

    def test_multilabel_margin_section_5(self):
        for reduction in REDUCTIONS:  # example 1: the trailing 1 after -1 is ignored
            out = ml([[.1, .2, .4, .8]], [[3, 0, -1, 1]], reduction=reduction)
            self.close(out["output"], [.85] if reduction == "none" else .85)
            self.close(out["grad_input"], [[-.5, .5, .5, -.5]])
        x, y = [[.1, .2, .4, .8], [.9, -.3, .2, 0]], [[3, 0, -1, 1], [1, 2, -1, 0]]  # example 2
        out = ml(x, y, reduction="none")
        self.close(out["output"], [.85, 1.5])
        self.close(out["grad_input"], [[-.5, .5, .5, -.5], [.5, -.5, -.5, .5]])
        out = ml(x, y)
        self.close(out["output"], 1.175)
        self.close(out["grad_input"], [[-.25, .25, .25, -.25], [.25, -.25, -.25, .25]])
        out = ml([[.1, .2, .4, .8]], [[3, 3, -1, 0]], reduction="sum")  # example 3: duplicates count twice
        self.close(out["output"], .65)
        self.close(out["grad_input"], [[.5, .5, .5, -1.5]])
        out = ml([[1, 0, .5]], [[0, -1, 2]], reduction="sum")  # example 4: the kink is dropped
        self.close(out["output"], 0.1666667)
        self.close(out["grad_input"], [[-1 / 3, 0, 1 / 3]])
        out = ml([[1, 0, .5], [.2, .3, .1]], [[0, 1, 2], [-1, 0, 1]], reduction="none")  # example 5
        np.testing.assert_array_equal(out["output"], 0)
        np.testing.assert_array_equal(out["grad_input"], 0)
        self.assertEqual(ml([.1, .2, .4], [0, -1, 0], reduction="none")["output"].shape, ())  # 1-D: 0-d

    def test_triplet_section_6(self):
        a, p, n = [[0, 0], [1, 1]], [[1, 0], [1, 2]], [[0, 2], [1.5, 1]]  # example 1
        out = tr(a, p, n, reduction="none")
        self.close(out["output"], [0, 1.5])
        # (the digits beyond torch.md's rounded ones are torch 2.15.0's float32 results)
        self.close(out["grad_anchor"][1], [1.0000009536743164, -1.0000020265579224])
        self.close(out["grad_positive"][1], [-1.0000010206567822e-06, 1], atol=1e-12)
        self.close(out["grad_negative"][1], [-1, 2.0000040876766434e-06], atol=1e-12)
        self.close(tr(a, p, n)["output"], .75)
        out = tr([[0, 0]], [[1, 0]], [[2, 0]], eps=0.0)  # example 2: the kink
        self.close(out["output"], 0)
        for name in ("grad_anchor", "grad_positive", "grad_negative"):
            np.testing.assert_array_equal(out[name], 0)
        out = tr([[0, 0]], [[1, 0]], [[2, 0]], swap=True)  # example 3
        self.close(out["output"], 1.0)
        self.close(out["grad_anchor"], [[-1, 1.0000010206567822e-06]], atol=1e-12)
        self.close(out["grad_positive"], [[2, -2.0000020413135644e-06]], atol=1e-12)
        self.close(out["grad_negative"], [[-1, 1.0000010206567822e-06]], atol=1e-12)
        self.close(tr([[0, 0]], [[1, 1]], [[2, 0]], p=1.5)["output"], 0.5874, rtol=1e-4)  # example 4
        # a == p with the default eps: the difference is (eps, eps), the gradient +-(0.7071, 0.7071)
        out = tr([[.3, .4]], [[.3, .4]], [[.3, .6]], reduction="none")
        self.close(out["grad_positive"], [[-.70710677, -.70710677]])
        out = tr([[.3, .4]], [[.3, .4]], [[.3, .6]], eps=0.0, reduction="none")
        np.testing.assert_array_equal(out["grad_positive"], 0)


def numeric_grad(compute, params, inputs, name, h=1e-6):
    """Central difference of sum(output) with respect to inputs[name] (float64)."""
    def f(a):
        return float(np.sum(compute(params, {**inputs, name: a})["output"]))

    grad = np.zeros_like(inputs[name])
    for idx in np.ndindex(grad.shape):
        plus, minus = inputs[name].copy(), inputs[name].copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad


class FiniteDifferenceTest(unittest.TestCase):
    """Analytic gradients against central differences, float64, away from kinks."""

    def setUp(self):
        self.rng = np.random.default_rng(2024)

    def assert_grads(self, compute, params, inputs, names):
        out = compute(params, inputs)
        for name in names:
            with self.subTest(name=name, params=params):
                np.testing.assert_allclose(out[f"grad_{name}"], numeric_grad(compute, params, inputs, name),
                                           rtol=1e-6, atol=1e-7)

    def test_multi_margin(self):
        for p, margin, weighted in ((1, 1.0, False), (2, 0.5, True), (2, -0.5, False), (1, 2, True)):
            x = self.rng.standard_normal((12, 4))
            y = self.rng.integers(0, 4, 12)
            z = margin - x[np.arange(12), y][:, None] + x
            z[np.arange(12), y] = 1.0  # the target column is not a term
            keep = np.all(np.abs(z) > GAP, axis=1)
            inputs = {"input": x[keep], "target": y[keep]}
            if weighted:
                inputs["weight"] = self.rng.uniform(-1, 2, 4)
            for reduction in REDUCTIONS:
                self.assert_grads(tm.multi_margin_loss, {"p": p, "margin": margin, "reduction": reduction},
                                  inputs, ["input"])

    def test_multilabel_margin(self):
        x = self.rng.standard_normal((10, 5))
        t = ts.ml_targets(self.rng, 10, 5)
        keep = []
        for r in range(10):
            labels = [int(v) for v in t[r] if v >= 0]
            others = [i for i in range(5) if i not in labels]
            keep.append(all(abs(1 - x[r, j] + x[r, i]) > GAP for j in labels for i in others))
        inputs = {"input": x[keep], "target": t[keep]}
        for reduction in REDUCTIONS:
            self.assert_grads(tm.multilabel_margin_loss, {"reduction": reduction}, inputs, ["input"])

    def test_hinge_embedding(self):
        for margin in (1.0, 0.5, -0.5):
            x = self.rng.standard_normal(30) * 1.5
            y = self.rng.choice([1.0, -1.0, 0.0, 2.0], 30)
            keep = np.abs(margin - x) > GAP
            for reduction in REDUCTIONS:
                self.assert_grads(tm.hinge_embedding_loss, {"margin": margin, "reduction": reduction},
                                  {"input": x[keep], "target": y[keep]}, ["input"])
        # broadcast: x (2, 1) against y (2, 3)
        x = np.array([[.3], [1.7]])
        self.assert_grads(tm.hinge_embedding_loss, {}, {"input": x, "target": self.rng.choice([1.0, -1.0], (2, 3))},
                          ["input"])

    def test_margin_ranking(self):
        for margin in (0.0, 0.5, -0.5):
            x1, x2 = self.rng.standard_normal((2, 30))
            y = self.rng.choice([1.0, -1.0, 2.0, 0.5], 30)
            keep = np.abs(-y * (x1 - x2) + margin) > GAP
            for reduction in REDUCTIONS:
                self.assert_grads(tm.margin_ranking_loss, {"margin": margin, "reduction": reduction},
                                  {"input1": x1[keep], "input2": x2[keep], "target": y[keep]},
                                  ["input1", "input2", "target"])
        inputs = {"input1": np.array([[.5, .2]]), "input2": np.array([[.1], [.9]]), "target": np.array([[1.0, -1.0]])}
        self.assert_grads(tm.margin_ranking_loss, {"margin": 0.3}, inputs, ["input1", "input2", "target"])

    def test_soft_margin(self):
        x = self.rng.standard_normal(20) * 2
        y = self.rng.choice([1.0, -1.0, 0.5, 2.0], 20)
        for reduction in REDUCTIONS:
            self.assert_grads(tm.soft_margin_loss, {"reduction": reduction}, {"input": x, "target": y}, ["input"])
        self.assert_grads(tm.soft_margin_loss, {}, {"input": self.rng.standard_normal((3, 2)),
                                                    "target": np.array([1.0, -1.0])}, ["input"])

    def test_triplet(self):
        names = ["anchor", "positive", "negative"]
        for params in ({}, {"p": 1}, {"p": 1.5}, {"p": 3}, {"swap": True}, {"eps": 0.0, "margin": 0.5},
                       {"p": 1, "swap": True, "eps": 1e-3}):
            a, p, n = (self.rng.standard_normal((12, 3)) for _ in range(3))
            full = {"eps": 1e-6, "p": 2, "margin": 1.0, "swap": False, **params}
            dist = {k: np.sum(np.abs(u - v + full["eps"]) ** full["p"], -1) ** (1 / full["p"])
                    for k, (u, v) in {"ap": (a, p), "an": (a, n), "pn": (p, n)}.items()}
                                        # p = 1: the norm has a kink where a component is 0
            keep = ((np.abs(full["margin"] + dist["ap"] - np.minimum(dist["an"], dist["pn"]) if full["swap"]
                            else full["margin"] + dist["ap"] - dist["an"]) > GAP)
                    & (np.abs(dist["an"] - dist["pn"]) > GAP)
                    & np.all(np.abs(np.concatenate([a - p, a - n, p - n], -1)) > GAP, -1))
            inputs = {"anchor": a[keep], "positive": p[keep], "negative": n[keep]}
            self.assertGreater(len(inputs["anchor"]), 2)
            for reduction in REDUCTIONS:
                self.assert_grads(tm.triplet_margin_loss, {**params, "reduction": reduction}, inputs, names)


class RuleTest(unittest.TestCase):
    """Kinks, empty batches, C = 1, dtypes."""

    def test_kink_gradients_are_zero(self):
        x = np.array([[0.5, -0.5, 1.25], [1.0, 2.0, 0.0]])  # row 0: z(1) = 1 - 0.5 - 0.5 = 0; row 1: z(0) = 0
        for p in (1, 2):
            out = mm(x, [0, 1], F64, p=p, reduction="none")
            self.assertEqual(out["grad_input"][0, 1], 0)
            self.assertEqual(out["grad_input"][1, 0], 0)
        out = he([1.0, 0.5, 2.0], [-1, -1, -1], F64, reduction="none")  # x == margin
        np.testing.assert_array_equal(out["output"], [0, 0.5, 0])
        np.testing.assert_array_equal(out["grad_input"], [0, -1, 0])
        # element 0: -1 * (0.75 - 0.25) + 0.5 == 0, the kink; element 1: 0.5 > 0, active
        out = mr([0.75, 0.25], [0.25, 0.25], [1.0, -1.0], F64, margin=0.5, reduction="none")
        np.testing.assert_array_equal(out["output"], [0, 0.5])
        np.testing.assert_array_equal(out["grad_input1"], [0, 1])
        np.testing.assert_array_equal(out["grad_input2"], [0, -1])
        np.testing.assert_array_equal(out["grad_target"], [0, 0])
        out = tr([[0, 0]], [[3, 4]], [[6, 0]], F64, eps=0.0, reduction="sum")  # 1 + 5 - 6 == 0
        self.assertEqual(out["output"], 0)
        for name in ("grad_anchor", "grad_positive", "grad_negative"):
            np.testing.assert_array_equal(out[name], 0)
        out = ml([[1.0, 0.0, 0.5]], [[0, -1, 2]], F64, reduction="sum")  # z(0, 1) == 0
        self.assertEqual(out["grad_input"][0, 1], 0)

    def test_native_empty_batch_defines_only_none(self):
        for compute, inputs in ((tm.multi_margin_loss, {"input": np.zeros((0, 3), F32),
                                                        "target": np.zeros(0, np.int64)}),
                                (tm.multilabel_margin_loss, {"input": np.zeros((0, 3), F32),
                                                             "target": np.zeros((0, 3), np.int64)})):
            out = compute({"reduction": "none"}, inputs)
            self.assertEqual(out["output"].shape, (0,))
            self.assertEqual(out["grad_input"].shape, (0, 3))
            for reduction in ("mean", "sum"):
                with self.assertRaises(tm.TorchUndefined):
                    compute({"reduction": reduction}, inputs)

    def test_composite_empty_batch(self):
        empty = np.zeros(0, F32)
        cases = ((tm.hinge_embedding_loss, {"input": empty, "target": empty}),
                 (tm.margin_ranking_loss, {"input1": empty, "input2": empty, "target": empty}),
                 (tm.soft_margin_loss, {"input": empty, "target": empty}),
                 (tm.triplet_margin_loss, {"anchor": np.zeros((0, 2), F32), "positive": np.zeros((0, 2), F32),
                                           "negative": np.zeros((0, 2), F32)}))
        for compute, inputs in cases:
            with self.subTest(compute.__name__):
                self.assertTrue(np.isnan(compute({}, inputs)["output"]))
                self.assertEqual(compute({"reduction": "sum"}, inputs)["output"], 0)
                self.assertEqual(compute({"reduction": "none"}, inputs)["output"].shape, (0,))

    def test_one_class_gives_zero(self):
        x = np.array([[0.3], [-2.0]], F32)
        for p in (1, 2):
            out = mm(x, [0, 0], p=p, reduction="none")
            np.testing.assert_array_equal(out["output"], 0)
            np.testing.assert_array_equal(out["grad_input"], 0)
        out = mm(np.float32(0.5), np.int64(0), reduction="none")  # 0-d input: C = 1
        self.assertEqual((out["output"].shape, float(out["output"])), ((), 0.0))
        out = ml(x, [[0], [-1]], reduction="none")
        np.testing.assert_array_equal(out["output"], 0)
        np.testing.assert_array_equal(out["grad_input"], 0)

    def test_float32_stays_float32(self):
        rng = np.random.default_rng(5)
        x = rng.standard_normal((4, 3)).astype(F32)
        outs = [mm(x, [0, 1, 2, 0]), ml(x, [[0, -1, 0]] * 4), he(x, np.ones((4, 3))), mr(x, x.T[:1].T, np.ones((4, 1))),
                sm(x, np.ones(3)), tr(x, x[::-1], x[:, ::-1])]
        for out in outs:
            for name, a in out.items():
                self.assertEqual(a.dtype, F32, name)
        # a float64 target does not promote hinge_embedding or soft_margin, but margin_ranking
        self.assertEqual(tm.hinge_embedding_loss({}, {"input": x, "target": np.ones(3)})["output"].dtype, F32)
        self.assertEqual(tm.soft_margin_loss({}, {"input": x, "target": np.ones(3)})["output"].dtype, F32)

    def test_float32_margin_rounds_before_the_subtraction(self):
        # (margin - x[y]) + x[i] with the margin rounded to float32 first
        x = np.array([[F32(0.1), F32(0.3)]])
        out = mm(x, [1], margin=0.7, reduction="none")
        z = (F32(0.7) - F32(0.3)) + F32(0.1)
        self.assertEqual(out["output"][0], z / F32(2))


class ErrorKindTest(unittest.TestCase):
    def assert_kind(self, kind, compute, params, inputs, message=None):
        with self.assertRaises(LossError) as ctx:
            compute(params, inputs)
        self.assertEqual(ctx.exception.kind, kind)
        if message is not None:
            self.assertEqual(ctx.exception.message, message)

    def test_multi_margin(self):
        x, y = np.zeros((2, 3), F32), np.array([0, 1])
        ok = {"input": x, "target": y}
        self.assert_kind("invalid_target", tm.multi_margin_loss, {}, {"input": x, "target": np.array([0, 3])},
                         "target out of range")
        self.assert_kind("invalid_target", tm.multi_margin_loss, {}, {"input": x, "target": np.array([-1, 0])})
        self.assert_kind("invalid_parameter", tm.multi_margin_loss, {"p": 3}, ok, "only p == 1 and p == 2 supported")
        self.assert_kind("invalid_parameter", tm.multi_margin_loss, {"reduction": "avg"}, ok,
                         "avg is not a valid value for reduction")
        self.assert_kind("invalid_dtype", tm.multi_margin_loss, {}, {"input": x, "target": y.astype(F32)},
                         "expected scalar type Long but found Float")
        self.assert_kind("invalid_dtype", tm.multi_margin_loss, {}, {"input": x.astype(np.int64), "target": y},
                         "\"multi_margin_loss_cpu_kernel\" not implemented for 'Long'")
        self.assert_kind("invalid_dtype", tm.multi_margin_loss, {}, {**ok, "weight": np.ones(3)},
                         "expected scalar type Float but found Double")
        self.assert_kind("shape_mismatch", tm.multi_margin_loss, {}, {**ok, "weight": np.ones((1, 3), F32)},
                         "weight must be one-dimensional")
        self.assert_kind("shape_mismatch", tm.multi_margin_loss, {}, {**ok, "weight": np.ones(2, F32)},
                         "inconsistent weight size, expected 3 but got [2]")
        self.assert_kind("shape_mismatch", tm.multi_margin_loss, {}, {"input": x, "target": np.array([0, 1, 2])},
                         "multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                         "samples (batch size). Expected target size [2], but got [3]. Input has shape [2, 3].")
        self.assert_kind("shape_mismatch", tm.multi_margin_loss, {}, {"input": np.zeros((2, 0), F32), "target": y},
                         "Expected non-empty vector or matrix with optional 0-dim batch size, but got: [2, 0]")
        self.assert_kind("shape_mismatch", tm.multi_margin_loss, {}, {"input": np.zeros((2, 3, 1), F32), "target": y})

    def test_multilabel_margin(self):
        x, t = np.zeros((2, 3), F32), np.array([[0, -1, 2], [1, 2, -1]])
        msg = "argument #2 'target' is out of range"
        for bad in ([[0, 3, -1], [1, 2, -1]], [[-2, 0, -1], [1, 2, -1]], [[0, -1, 3], [1, 2, -1]]):
            self.assert_kind("invalid_target", tm.multilabel_margin_loss, {}, {"input": x, "target": np.array(bad)},
                             msg)
        self.assert_kind("shape_mismatch", tm.multilabel_margin_loss, {}, {"input": x, "target": t[:1]},
                         "inconsistent target size: [1, 3] for input of size: [2, 3]")
        self.assert_kind("invalid_dtype", tm.multilabel_margin_loss, {}, {"input": x, "target": t.astype(F32)})
        self.assert_kind("invalid_parameter", tm.multilabel_margin_loss, {"reduction": None}, {"input": x, "target": t})

    def test_composites(self):
        v = np.zeros(3, F32)
        self.assert_kind("shape_mismatch", tm.hinge_embedding_loss, {}, {"input": v[:2], "target": v},
                         "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")
        self.assert_kind("invalid_dtype", tm.hinge_embedding_loss, {}, {"input": np.zeros(3, np.int64), "target": v})
        self.assert_kind("shape_mismatch", tm.margin_ranking_loss, {}, {"input1": v, "input2": v, "target": v[0]},
                         "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: "
                         "torch.Size([3]), input2: torch.Size([3]), target: torch.Size([]) ")
        self.assert_kind("shape_mismatch", tm.margin_ranking_loss, {}, {"input1": v, "input2": v[:2], "target": v})
        self.assert_kind("shape_mismatch", tm.soft_margin_loss, {}, {"input": v[:2], "target": np.zeros((2, 2), F32)},
                         "output with shape [2] doesn't match the broadcast shape [2, 2]")
        self.assert_kind("invalid_dtype", tm.soft_margin_loss, {}, {"input": np.zeros(3, np.int64), "target": v},
                         "result type Float can't be cast to the desired output type Long")
        t3 = {"anchor": np.zeros((2, 3), F32), "positive": np.zeros((2, 3), F32), "negative": np.zeros((2, 3), F32)}
        for margin in (0, 0.0, -1):
            self.assert_kind("invalid_parameter", tm.triplet_margin_loss, {"margin": margin}, t3,
                             f"margin must be greater than 0, got {margin}")
        self.assert_kind("shape_mismatch", tm.triplet_margin_loss, {}, {**t3, "positive": np.zeros(3, F32)},
                         "The anchor, positive, and negative tensors are expected to have the same number of "
                         "dimensions, but got: anchor 2D, positive 1D, and negative 2D inputs")
        self.assert_kind("shape_mismatch", tm.triplet_margin_loss, {}, {**t3, "negative": np.zeros((2, 4), F32)})
        for compute, inputs in ((tm.hinge_embedding_loss, {"input": v, "target": v}),
                                (tm.soft_margin_loss, {"input": v, "target": v}),
                                (tm.triplet_margin_loss, t3)):
            self.assert_kind("invalid_parameter", compute, {"reduction": "avg"}, inputs,
                             "avg is not a valid value for reduction")


class GenerationWithoutTorchTest(unittest.TestCase):
    def setUp(self):
        off = mirrors_only(("torch",))
        off.__enter__()
        self.addCleanup(off.__exit__, None, None, None)

    def test_writing_is_refused_but_the_document_builds(self):
        suite, generator = load_suite("torch.nn.functional.hinge_embedding_loss")
        doc = build_document(suite, generator, "2000-01-01")  # what --check does: the mirror alone
        self.assertGreaterEqual(len(doc["cases"]), 40)
        self.assertNotIn("torch", doc["provenance"]["versions"])
        path = os.path.join(os.path.dirname(__file__), "never-written.json")
        with self.assertRaises(GenerationUnavailable) as ctx:
            write_text(path, dumps_fixture(doc))
        self.assertIn("torch 2.15.0 is needed to generate torch.nn.functional.hinge_embedding_loss", str(ctx.exception))
        self.assertIn("--check works with NumPy alone", str(ctx.exception))
        self.assertFalse(os.path.exists(path))


@unittest.skipIf(ts.torch_module() is None,
                 f"needs torch {ts.TORCH_VERSION} (absent here: {ts.FRAMEWORK.reason()}); "
                 "the committed fixtures were made by it and --check covers the mirror without it")
class MirrorAgainstTorchTest(unittest.TestCase):
    """Random cases through both torch and the mirror."""

    def compare(self, suite, params, inputs, exact):
        name = f"torch.nn.functional.{suite}"
        want = ts.run_torch(suite, ts.DIFFERENTIABLE[name], params, inputs)
        got = ts.MIRRORS[name](params, inputs)
        self.assertEqual(list(got), list(want))
        for key in want:
            with self.subTest(suite=suite, output=key, params=params):
                self.assertEqual(got[key].dtype, want[key].dtype)
                self.assertEqual(got[key].shape, want[key].shape)
                if exact:
                    self.assertEqual(float(ulp_distance(got[key], want[key]).max(initial=0)), 0.0)
                else:
                    rtol, atol = (2e-6, 1e-6) if want[key].dtype == F32 else (1e-12, 1e-12)
                    np.testing.assert_allclose(got[key], want[key], rtol=rtol, atol=atol)

    def test_generator_refuses_a_mirror_that_disagrees(self):
        name = "torch.nn.functional.hinge_embedding_loss"
        suite, _ = load_suite(name)

        def off_by_one_ulp(params, inputs):
            out = tm.hinge_embedding_loss(params, inputs)
            return {**out, "output": np.nextafter(out["output"], np.inf)}

        def never_fails(params, inputs):
            return tm.hinge_embedding_loss({}, inputs)

        inputs = {"input": np.array([.3, 2.0], F32), "target": np.array([1.0, -1.0], F32)}
        for mirror, params, match in ((off_by_one_ulp, {"reduction": "sum"}, "case 'x': output"),
                                      (never_fails, {"reduction": "avg"}, "the mirror succeeded")):
            checked = dataclasses.replace(suite, mirror=mirror, default_tolerance={"float32": {"rtol": 0, "atol": 0}})
            cases = CaseList(checked.compute, checked.check_case, name)
            with self.assertRaisesRegex(MirrorDisagreement, match):
                cases.add("x", ["sample"], params, inputs, error="invalid_parameter" if "avg" in str(params) else None)

    def test_random_cases(self):
        rng = np.random.default_rng(99)
        for dtype, reduction, _ in itertools.product((F32, F64), REDUCTIONS, range(3)):
            r = {"reduction": reduction}
            n, c = int(rng.integers(1, 200)), int(rng.integers(1, 12))
            x = rng.standard_normal((n, c)).astype(dtype)
            self.compare("multi_margin_loss", {**r, "p": int(rng.integers(1, 3)), "margin": float(rng.uniform(-1, 2))},
                         {"input": x, "target": rng.integers(0, c, n), "weight": rng.uniform(-1, 2, c).astype(dtype)},
                         exact=True)
            targets = ts.ml_targets(rng, n, c) if c > 1 else rng.integers(-1, 1, (n, 1))
            self.compare("multilabel_margin_loss", r, {"input": x, "target": targets}, exact=True)
            y = rng.choice([-1.0, 1.0, 0.0, 2.0], n).astype(dtype)
            v = rng.standard_normal((3, n)).astype(dtype)
            self.compare("hinge_embedding_loss", {**r, "margin": 0.75}, {"input": v[0], "target": y}, exact=False)
            self.compare("margin_ranking_loss", {**r, "margin": 0.25},
                         {"input1": v[0], "input2": v[1], "target": y}, exact=False)
            self.compare("soft_margin_loss", r, {"input": v[0] * 3, "target": y}, exact=False)
            t = rng.standard_normal((3, n, 4)).astype(dtype)
            self.compare("triplet_margin_loss", {**r, "p": float(rng.choice([1, 1.5, 2, 3])), "swap": bool(n % 2)},
                         {"anchor": t[0], "positive": t[1], "negative": t[2]}, exact=False)


if __name__ == "__main__":
    unittest.main()
