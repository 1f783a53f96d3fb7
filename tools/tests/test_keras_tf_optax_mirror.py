"""Checks of the NumPy mirrors of Keras 3, tf.compat.v1.losses.hinge_loss and optax
(hinge_fixtures.suites.keras / tensorflow / optax).

They run with NumPy alone. The expected numbers in SpecExampleTest are the [RUN] values
recorded in the project's design notes on these conventions (section cited per test), computed by
keras 3.15.1 (TensorFlow 2.21.0 and JAX 0.10.2 backends) and optax 0.2.8. Gradients
are compared with central finite differences away from every kink. Only
MirrorAgainstFrameworkTest needs the frameworks, and it is skipped where they are absent.
"""
import math
import os
import unittest

import numpy as np


from hinge_fixtures.fixture import (GenerationUnavailable, LossError, build_document, dumps_fixture,
                                    write_text)
from hinge_fixtures.suites import load_suite, mirrors_only
from hinge_fixtures.mirrors import keras as km
from hinge_fixtures.mirrors import optax as om
from hinge_fixtures.mirrors import tensorflow as tm
from hinge_fixtures.suites import keras as ks
from hinge_fixtures.suites import optax as os_
from hinge_fixtures.suites import tensorflow as ts

NAN, INF = math.nan, math.inf
F32, F64 = np.float32, np.float64
TF, JAX = {"backend": "tensorflow"}, {"backend": "jax"}
GAP = 0.05  # how far inputs stay from kinks in the finite-difference tests


def fn(name, y, p, ctx=TF, dtype=F32):
    return km.function_mirror(name, {}, {"y_true": np.asarray(y, dtype), "y_pred": np.asarray(p, dtype)}, ctx)


def cls(name, y, p, sw=None, ctx=TF, adt=F32, **params):
    """keras.losses.<name>(**params)(y, p, sample_weight=sw) with the arrays in dtype adt."""
    inputs = {"y_true": np.asarray(y, adt), "y_pred": np.asarray(p, adt)}
    if sw is not None:
        inputs["sample_weight"] = np.asarray(sw, adt)
    return km.class_mirror(name, params, inputs, ctx)


def v1(labels, logits, weights=None, dtype=F32, **params):
    inputs = {"labels": np.asarray(labels, dtype), "logits": np.asarray(logits, dtype)}
    if weights is not None:
        inputs["weights"] = np.asarray(weights, dtype)
    return tm.hinge_loss(params, inputs)


def ox(name, x, y, dtype=F32, labels=False):
    ctx = {"jax_enable_x64": True} if dtype == F64 else None
    if name in ("hinge_loss", "perceptron_loss"):
        return om.binary_mirror(name, {}, {"predictor_outputs": np.asarray(x, dtype),
                                           "targets": np.asarray(y, dtype)}, ctx)
    return om.multiclass_mirror(name, {}, {"scores": np.asarray(x, dtype), "labels": np.asarray(y, np.int64)}, ctx)


class Close:
    def close(self, actual, expected, rtol=1e-6, atol=1e-7, dtype=F32):
        actual = np.asarray(actual)
        self.assertEqual(actual.dtype, dtype)
        np.testing.assert_allclose(actual, np.asarray(expected, F64), rtol=rtol, atol=atol)


class SpecExampleTest(Close, unittest.TestCase):
    """The spec's [RUN] examples, reproduced by the mirror on the backend(s) the spec names."""

    def test_kink_example_section_0(self):
        y, p = [1, -1, 1, -1], [1, -1, .5, 2]
        for ctx, grad in ((TF, [-.25, .25, -.25, .25]), (JAX, [-.125, .125, -.25, .25])):
            out = fn("hinge", y, p, ctx)  # 1-D: the last axis is the whole vector, a mean
            self.close(out["output"], .875)
            self.close(out["grad_y_pred"], grad)
        out = ox("hinge_loss", p, y)
        self.close(out["output"].mean(), .875)
        self.close(out["grad_predictor_outputs"] / 4, [-.125, .125, -.25, .25])
        out = v1((np.array(y) + 1) / 2, p)  # default reduction: / count of nonzero weights = 4
        self.close(out["output"], .875)
        self.close(out["grad_logits"], [0, 0, -.25, .25])

    def test_label_conversion_section_1_2(self):
        p = [[.6, .4], [.4, .6]]
        for ctx in (TF, JAX):
            self.close(fn("hinge", [[-1, 0], [1, 0]], p, ctx)["output"], [1.3, .8])
            self.close(fn("hinge", [[0, 1], [-1, 1]], p, ctx)["output"], [.8, .9])
            self.close(fn("hinge", [[.5, 1], [0, 1]], p, ctx)["output"], [.65, .7])
            out = fn("hinge", [[NAN, 1], [0, 1]], p, ctx)["output"]
            self.assertTrue(np.isnan(out[0]))
            self.close(out[1], .7)

    def test_functions_do_not_align_ranks_section_1_1(self):
        for ctx in (TF, JAX):
            out = fn("hinge", [0, 1, 1], [[.3], [-.2], [2]], ctx)
            self.close(out["output"], [.9, 1.0666667, 1.0])
            self.assertEqual(out["grad_y_pred"].shape, (3, 1))

    def test_categorical_section_1_3(self):
        for ctx in (TF, JAX):
            self.close(fn("categorical_hinge", [0, 0, 1], [-.5, -.7, .2], ctx)["output"], .8)
            self.close(fn("categorical_hinge", [1, 0], [-3, -5], ctx)["output"], 4)  # keras#8083
            self.close(fn("categorical_hinge", [.3, .4, .3], [3, 4, 5], ctx)["output"], .5)
            self.close(fn("categorical_hinge", [-1, -1, 1], [-.5, -.7, .2], ctx)["output"], 0)
            self.close(fn("categorical_hinge", [0, 0], [.4, .6], ctx)["output"], 1.6)
            for p, grad in (([0, -1, .5], [.5, 0, -1]), ([.3, .3, .2], [.5, .5, -1]), ([-.3, -.3, .2], [0, 0, -1])):
                self.close(fn("categorical_hinge", [0, 0, 1], p, ctx)["grad_y_pred"], grad)

    def test_reductions_section_1_5(self):
        for ctx in (TF, JAX):
            for r in km.REDUCTIONS:  # 1-D inputs: the scalar batch mean bypasses every reduction
                out = cls("Hinge", [0, 1, 1], [.3, -.2, 2], ctx=ctx, reduction=r)
                self.assertEqual(out["output"].shape, ())
                self.close(out["output"], .8333333)
            y = [[1, -1, 1], [-1, 1, 1], [1, 1, -1], [-1, -1, -1]]
            p = [[.5, .2, -.3], [.1, 2, .9], [1, 1, 1], [-2, .3, -.1]]
            self.close(cls("Hinge", y, p, 2.0, ctx, reduction="mean_with_sample_weight")["output"], 2.8)
            self.close(cls("Hinge", y, p, 2.0, ctx)["output"], 1.4)
            self.close(cls("Hinge", y, p, [0, 0, 0, 0], ctx, reduction="mean_with_sample_weight")["output"], 0)
            out = cls("Hinge", np.zeros((0, 3)), np.zeros((0, 3)), ctx=ctx, reduction="sum")
            self.assertEqual(out["output"].shape, (0,))

    def test_sample_weight_section_1_6(self):
        y, p = [0, 1, 1], [.3, -.2, 2]
        for ctx, sobs in ((TF, .27777776), (JAX, .2777778)):
            self.close(cls("Hinge", y, p, [1, 0, 0], ctx, reduction="none")["output"], [.8333333, 0, 0])
            self.assertEqual(float(cls("Hinge", y, p, [1, 0, 0], ctx)["output"]), float(F32(sobs)))
            self.close(cls("Hinge", y, p, [1, 0, 0], ctx, reduction="sum")["output"], .8333333)
            self.close(cls("Hinge", y, p, [1, 0, 0], ctx, reduction="mean_with_sample_weight")["output"], .8333333)
            # (3, 3, 4) with sw [1, 0, 0]: T == N, the weights run along the time axis
            rng = np.random.default_rng(0)
            y3, p3 = rng.choice([-1., 1.], (3, 3, 4)), rng.standard_normal((3, 3, 4))
            out = cls("Hinge", y3, p3, [1, 0, 0], ctx, reduction="none")["output"]
            plain = cls("Hinge", y3, p3, ctx=ctx, reduction="none")["output"]
            np.testing.assert_array_equal(out[:, 0], plain[:, 0])
            np.testing.assert_array_equal(out[:, 1:], 0)

    def test_numeric_examples_section_1_8(self):
        y, p = [[0, 1], [0, 0]], [[.6, .4], [.4, .6]]
        Y = [[1, -1, 1], [-1, 1, 1], [1, 1, -1], [-1, -1, -1]]
        P = [[.5, .2, -.3], [.1, 2, .9], [1, 1, 1], [-2, .3, -.1]]
        sw = [1, .5, 0, 2]
        for ctx in (TF, JAX):
            self.close(fn("hinge", y, p, ctx)["output"], [1.1, 1.5])
            self.close(fn("squared_hinge", y, p, ctx)["output"], [1.46, 2.26])
            self.close(fn("categorical_hinge", y, p, ctx)["output"], [1.2, 1.6])
            self.close(cls("Hinge", y, p, ctx=ctx, reduction="sum")["output"], 2.6)
            self.close(cls("Hinge", y, p, [1, 0], ctx)["output"], .55)
            self.close(cls("Hinge", y, p, [1, 0], ctx, reduction="sum")["output"], 1.1)
            self.close(cls("Hinge", y, p, [1, 0], ctx, reduction="none")["output"], [1.1, 0])
            self.close(cls("Hinge", y, p, 0.0, ctx)["output"], 0)
            self.close(fn("hinge", Y, P, ctx)["output"], [1, .4, .6666667, .7333333])
            for r, plain, weighted in (("none", [1, .4, .6666667, .7333333], [1, .2, 0, 1.4666666]),
                                       ("sum", 2.8, 2.6666665), ("sum_over_batch_size", .7, .6666666),
                                       ("mean_with_sample_weight", .7, .7619047)):
                self.close(cls("Hinge", Y, P, ctx=ctx, reduction=r)["output"], plain)
                self.close(cls("Hinge", Y, P, sw, ctx, reduction=r)["output"], weighted)
            out = fn("squared_hinge", Y[:2], P[:2], ctx)["output"]
            self.close(out, [1.1266667, .4066667])
            self.close(out.mean(), .7666667)
            self.close(cls("SquaredHinge", [0, 1, 1], [.3, -.2, 2], ctx=ctx, reduction="sum")["output"], 1.0433333)
            yc, pc = [[0, 0, 1], [0, 0, 1], [1, 0, 0]], [[-.5, -.7, .2], [.3, -1, .2], [2, 1.5, -3]]
            self.close(fn("categorical_hinge", yc, pc, ctx)["output"], [.8, 1.1, .5])
            self.close(cls("CategoricalHinge", [yc[0], yc[2]], [pc[0], pc[2]], [2, 1], ctx)["output"], 1.05)
            out = fn("squared_hinge", [1, -1, 1, -1], [1, -1, .5, 2], ctx)
            self.close(out["output"], 2.3125)  # 1-D: the per-sample value is the mean of the four
            self.close(out["grad_y_pred"], [0, 0, -.25, 1.5])

    def test_backends_round_the_per_sample_mean_differently(self):
        # row [.1, 2, .9] with y [-1, 1, 1]: sum 1.2; TF divides by 3, XLA multiplies by 1/3
        Y = [[1, -1, 1], [-1, 1, 1]]
        P = [[.5, .2, -.3], [.1, 2, .9]]
        self.assertEqual(float(fn("hinge", Y, P, TF)["output"][1]), float(F32(.4)))
        self.assertEqual(float(fn("hinge", Y, P, JAX)["output"][1]), float(F32(.40000004)))

    def test_tf_v1_section_2_1(self):
        logits = [[.3, -.2], [1, -1.5]]
        self.close(v1([[-1, 1], [1, -1]], logits, reduction="none")["output"], [[1.9, 1.2], [0, 0]])
        labels = [[0, 1], [1, 0]]
        self.close(v1(labels, logits)["output"], .625)
        self.close(v1(labels, logits, reduction="weighted_sum")["output"], 2.5)
        for r, value in (("weighted_mean", 1.25), ("weighted_sum_by_nonzero_weights", 1.25),
                         ("weighted_sum_over_batch_size", .625)):
            self.close(v1(labels, logits, [[1], [0]], reduction=r)["output"], value)
        self.close(v1(labels, logits, 2.0)["output"], 1.25)
        self.close(v1(labels, logits, [[2, 0], [0, 0]])["output"], 2.6)
        out = v1([1, 0, 1], [1, -1, .5], reduction="weighted_sum")
        self.close(out["grad_logits"], [0, 0, -1])
        out = v1([1, 0, 1], [1, -1, .5], dtype=F64, reduction="weighted_sum")
        self.assertEqual(out["output"].dtype, F32)
        self.assertEqual(out["grad_logits"].dtype, F64)

    def test_optax_section_3(self):
        p = [1, -1, .5, 2, 0]
        for dtype in (F32, F64):
            self.close(ox("hinge_loss", p, [1, 0, 1, 0, 1], dtype)["output"], [0, 1, .5, 1, 1], dtype=dtype)
            out = ox("hinge_loss", p, [1, -1, 1, -1, 1], dtype)
            self.close(out["output"], [0, 0, .5, 3, 1], dtype=dtype)
            self.close(out["grad_predictor_outputs"], [-.5, .5, -1, 1, -1], dtype=dtype)
            out = ox("perceptron_loss", p, [1, -1, 1, -1, 1], dtype)
            self.close(out["output"], [0, 0, 0, 2, 0], dtype=dtype)
            self.close(out["grad_predictor_outputs"], [0, 0, 0, 1, -.5], dtype=dtype)
            self.assertEqual(ox("hinge_loss", p, np.reshape([1, -1, 1, -1, 1], (5, 1)), dtype)["output"].shape, (5, 5))
            s = [[-.5, -.7, .2], [.3, -1, .2], [2, 1.5, -3], [1, 2, 3], [.5, -1, 1.5]]
            out = ox("multiclass_hinge_loss", s, [2, 2, 0, 0, 2], dtype)
            self.close(out["output"], [.3, 1.1, .5, 3, 0], dtype=dtype)
            self.close(out["grad_scores"], [[1, 0, -1], [1, 0, -1], [-1, 1, 0], [-1, 0, 1], [.5, 0, -.5]], dtype=dtype)
            self.close(ox("multiclass_perceptron_loss", s, [2, 2, 0, 0, 2], dtype)["output"], [0, .1, 0, 2, 0],
                       dtype=dtype)
            out = ox("multiclass_hinge_loss", [0, 0, 0], 0, dtype)
            self.close(out["output"], 1, dtype=dtype)
            self.close(out["grad_scores"], [-1, .5, .5], dtype=dtype)
            out = ox("multiclass_perceptron_loss", [0, 0, 0], 0, dtype)
            self.close(out["output"], 0, dtype=dtype)
            self.close(out["grad_scores"], [-2 / 3, 1 / 3, 1 / 3], dtype=dtype)
            # out-of-range labels: a zero one-hot row, max(s) + 1
            self.close(ox("multiclass_hinge_loss", [[.2, -.1, .1], [.3, .2, .1]], [-1, 3], dtype)["output"], [1.2, 1.3],
                       dtype=dtype)


def numeric_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        up, down = x.copy(), x.copy()
        up.flat[i] += h
        down.flat[i] -= h
        g.flat[i] = (np.sum(f(up)) - np.sum(f(down))) / (2 * h)
    return g


class FiniteDifferenceTest(unittest.TestCase):
    """Analytic gradients against central differences, away from kinks: Keras in float64
    on the TensorFlow backend (JAX's gradient must then equal TensorFlow's), optax under
    x64, TF v1 (float32 inside) on piecewise-linear data with a large step."""

    def setUp(self):
        self.rng = np.random.default_rng(2024)

    def binary_data(self, shape, labels=(-1.0, 1.0)):
        y = self.rng.choice(labels, shape)
        p = self.rng.standard_normal(shape) * 1.5
        bad = np.abs(1 - np.where(y == 0, -1, y) * p) < GAP
        p[bad] += 0.2
        return y, p

    def categorical_data(self, n, c):
        y = np.eye(c)[self.rng.integers(0, c, n)]
        while True:
            p = self.rng.standard_normal((n, c))
            b = (1 - y) * p
            top = np.sort(b, -1)
            u = top[:, -1] - np.sum(y * p, -1) + 1
            if np.all(top[:, -1] - top[:, -2] > GAP) and np.all(np.abs(u) > GAP):
                return y, p

    def test_keras_functions(self):
        for name in km.FUNCTIONS:
            if name == "categorical_hinge":
                y, p = self.categorical_data(8, 4)
            else:
                y, p = self.binary_data((6, 4), (0.0, 1.0))
            out = fn(name, y, p, TF, F64)
            numeric = numeric_grad(lambda q: fn(name, y, q, TF, F64)["output"], p)
            np.testing.assert_allclose(out["grad_y_pred"], numeric, rtol=1e-6, atol=1e-8, err_msg=name)
            jax = fn(name, y, p.astype(F32), JAX)["grad_y_pred"]
            np.testing.assert_allclose(jax, out["grad_y_pred"], rtol=1e-6, atol=1e-7, err_msg=name)

    def test_keras_classes(self):
        for name in km.CLASSES:
            y, p = self.categorical_data(6, 3) if name == "CategoricalHinge" else self.binary_data((6, 3))
            sw = self.rng.uniform(0.1, 2, 6)
            for r in ("sum_over_batch_size", "sum", "mean_with_sample_weight", "none"):
                for weights in (None, sw, sw[:, None], 1.5):
                    def loss(q, r=r, weights=weights):
                        return cls(name, y, q, weights, TF, F64, reduction=r, dtype="float64")["output"]
                    out = cls(name, y, p, weights, TF, F64, reduction=r, dtype="float64")
                    np.testing.assert_allclose(out["grad_y_pred"], numeric_grad(loss, p), rtol=1e-6, atol=1e-8,
                                               err_msg=f"{name} {r} {weights}")

    def test_tf_v1(self):
        labels = self.rng.integers(0, 2, (5, 4)).astype(F64)
        logits = self.rng.standard_normal((5, 4)) * 2
        logits[np.abs(1 - (2 * labels - 1) * logits) < GAP] += 0.2
        for r in tm.REDUCTIONS[:5]:
            for weights in (None, self.rng.uniform(0, 2, (5, 1)), np.where(self.rng.random((5, 4)) < .3, 0, 1.5)):
                out = v1(labels, logits, weights, F64, reduction=r)
                numeric = numeric_grad(lambda q: v1(labels, q, weights, F64, reduction=r)["output"].astype(F64),
                                       logits, h=1e-2)
                np.testing.assert_allclose(out["grad_logits"], numeric, rtol=1e-3, atol=1e-4, err_msg=r)

    def test_optax(self):
        t, p = self.binary_data((4, 5))
        for name in ("hinge_loss", "perceptron_loss"):
            pp = p.copy()
            pp[np.abs(pp) < GAP] += 0.2
            out = ox(name, pp, t, F64)["grad_predictor_outputs"]
            np.testing.assert_allclose(out, numeric_grad(lambda q: ox(name, q, t, F64)["output"], pp), rtol=1e-6,
                                       atol=1e-8)
        for name in ("multiclass_hinge_loss", "multiclass_perceptron_loss"):
            s = self.rng.standard_normal((20, 4))
            labels = self.rng.integers(0, 4, 20)
            z = s + (1 - np.eye(4)[labels]) * (name == "multiclass_hinge_loss")
            top = np.sort(z, -1)
            keep = top[:, -1] - top[:, -2] > GAP
            s, labels = s[keep], labels[keep]
            out = ox(name, s, labels, F64)["grad_scores"]
            np.testing.assert_allclose(out, numeric_grad(lambda q: ox(name, q, labels, F64)["output"], s),
                                       rtol=1e-6, atol=1e-8)


class RuleTest(Close, unittest.TestCase):
    """Kink and tie rules per backend, label conversion, rank alignment, reductions."""

    def test_kink_rules(self):
        # Keras hinge at 1 - y*p == 0: TF full (tf.maximum's x >= y), JAX half (lax.max)
        for ctx, factor in ((TF, 1.0), (JAX, 0.5)):
            out = fn("hinge", [[1, -1]], [[1, -1]], ctx)
            self.close(out["grad_y_pred"], [[-factor / 2, factor / 2]])
            out = fn("categorical_hinge", [[0, 0, 1]], [[.5, .25, 1.5]], ctx)  # neg - pos + 1 == 0
            self.close(out["output"], [0])
            self.close(out["grad_y_pred"], [[factor, 0, -factor]])
        self.close(fn("squared_hinge", [[1]], [[1]], JAX)["grad_y_pred"], [[0]])
        self.close(v1([1, 0], [1, -1], reduction="none")["grad_logits"], [0, 0])  # relu: 0
        self.close(ox("hinge_loss", [1, -1], [1, -1])["grad_predictor_outputs"], [-.5, .5])
        self.close(ox("perceptron_loss", [0, 0], [1, -1])["grad_predictor_outputs"], [-.5, .5])

    def test_reduce_max_splits_ties_in_each_backends_order(self):
        # three tied wrong scores and an upstream weight where (1/3)*g != g/3 in float32
        y, p, g = [[0, 0, 0, 1]], [[.25, .25, .25, 0]], F32(.3)
        tf = cls("CategoricalHinge", y, p, [g], TF, reduction="sum")["grad_y_pred"][0, 0]
        jax = cls("CategoricalHinge", y, p, [g], JAX, reduction="sum")["grad_y_pred"][0, 0]
        self.assertNotEqual((F32(1) / F32(3)) * g, g / F32(3))
        self.assertEqual(tf, (F32(1) / F32(3)) * g)
        self.assertEqual(jax, g / F32(3))
        out = ox("multiclass_perceptron_loss", [[2, 2, 2, 2]], [0])
        self.close(out["grad_scores"], [[-.75, .25, .25, .25]])

    def test_binary_label_conversion(self):
        p = np.array([[.5, -.25], [.75, 2]])
        for y, converted in (([[0, 1], [1, 0]], True), ([[1, 1], [1, 1]], True), ([[0, 0], [0, 0]], True),
                             ([[0, 1], [-1, 0]], False), ([[0, 1], [.5, 0]], False), ([[0, 1], [NAN, 0]], False),
                             ([[0, 2], [1, 0]], False)):
            y = np.array(y, F32)
            want = np.maximum(1 - (2 * y - 1 if converted else y) * p, 0).mean(-1)
            got = fn("hinge", y, p)["output"]
            np.testing.assert_allclose(got, want, rtol=1e-6, err_msg=str(y))
        for labels in (np.array([[0, 1], [1, 0]], np.int64), np.array([[False, True], [True, False]])):
            out = km.function_mirror("hinge", {}, {"y_true": labels, "y_pred": p.astype(F32)}, TF)
            self.close(out["output"], [1.375, 1.625])
        # categorical_hinge never converts, TF v1 always does (±1 becomes -3 and 1), optax never
        # y = [-1, 1] as given: pos = -.5 + .25, neg = max(2 * .5, 0 * .25) = 1, 1 + .25 + 1
        self.close(fn("categorical_hinge", [[-1, 1]], [[.5, .25]])["output"], [2.25])
        self.close(v1([-1, 1], [.5, .5], reduction="none")["output"], [2.5, .5])
        self.close(ox("hinge_loss", [.5, .5], [0, 1])["output"], [1, .5])

    def test_rank_alignment(self):
        sq = km.squeeze_or_expand
        a = np.zeros
        for s1, s2, w1, w2 in (((3,), (3, 1), (3, 1), (3, 1)), ((3, 1), (3,), (3, 1), (3, 1)),
                               ((3, 4, 1), (3, 4), (3, 4), (3, 4)), ((3, 4), (3, 4, 1), (3, 4), (3, 4)),
                               ((3,), (3, 2), (3,), (3, 2)), ((), (1,), (), ()), ((3, 4), (3,), (3, 4), (3,))):
            x1, x2 = sq(a(s1), a(s2))
            self.assertEqual((x1.shape, x2.shape), (w1, w2), (s1, s2))
        for ctx in (TF, JAX):
            # y (N,) with p (N, 1) and p (N,) with y (N, 1): per-sample (N,); sw (N, 1): values (N, 1)
            for y, p in (([0, 1, 1], [[.3], [-.2], [2]]), ([[0], [1], [1]], [.3, -.2, 2])):
                out = cls("Hinge", y, p, ctx=ctx, reduction="none")
                self.close(out["output"], [1.3, 1.2, 0])
                self.assertEqual(out["grad_y_pred"].shape, np.shape(p))
            out = cls("Hinge", [[0, 1], [1, 1]], [[.3, .1], [-.2, .5]], [[1], [2]], ctx, reduction="none")
            self.assertEqual(out["output"].shape, (2, 1))

    def test_reductions(self):
        y, p = [[1, -1], [1, 1], [-1, 1]], [[.5, .5], [.25, 2], [1, -.5]]
        values = np.maximum(1 - np.array(y) * np.array(p), 0).mean(-1)
        sw = np.array([2, 0, .5])
        for ctx in (TF, JAX):
            self.close(cls("Hinge", y, p, sw, ctx, reduction="sum")["output"], np.sum(values * sw))
            self.close(cls("Hinge", y, p, sw, ctx, reduction="mean")["output"], np.sum(values * sw) / 3)
            self.close(cls("Hinge", y, p, sw, ctx, reduction="mean_with_sample_weight")["output"],
                       np.sum(values * sw) / 2.5)
            self.close(cls("Hinge", y, p, 3.0, ctx, reduction="mean_with_sample_weight")["output"], np.sum(values))
            out = cls("Hinge", y, p, [0, 0, 0], ctx, reduction="mean_with_sample_weight")
            self.close(out["output"], 0)
            np.testing.assert_array_equal(out["grad_y_pred"], 0)
            self.assertEqual(cls("Hinge", y, p, ctx=ctx, reduction=None)["output"].shape, (3,))
        # TF v1 divides by the count of nonzero weights, not of nonzero losses
        out = v1([[1, 1], [1, 1]], [[2, .5], [3, 0]], [[1, 0], [1, 1]])
        self.close(out["output"], (0 + 0 + 1) / 3)
        out = v1([[1, 1], [1, 1]], [[2, .5], [3, 0]], [[1, 0], [1, 1]], reduction="weighted_mean")
        self.close(out["output"], 1 / 3)
        out = v1(np.zeros((0, 3)), np.zeros((0, 3)), reduction="weighted_mean")
        self.close(out["output"], 0)

    def test_empty_and_nan(self):
        for name in km.FUNCTIONS:
            out = fn(name, np.zeros((0, 3)), np.zeros((0, 3)), JAX)
            self.assertEqual(out["output"].shape, (0,))
        with self.assertRaises(LossError) as ctx:  # TF's max refuses an empty tensor
            fn("categorical_hinge", np.zeros((0, 3)), np.zeros((0, 3)), TF)
        self.assertEqual(ctx.exception.kind, "shape_mismatch")
        self.assertTrue(np.isnan(fn("hinge", np.zeros((2, 0)), np.zeros((2, 0)))["output"]).all())
        out = fn("categorical_hinge", [[1, 0, 0], [0, 0, 1]], [[.5, NAN, .2], [.2, .1, .3]])
        self.assertTrue(np.isnan(out["output"][0]) and np.isnan(out["grad_y_pred"][0]).all())
        np.testing.assert_array_equal(np.isnan(out["grad_y_pred"][1]), False)
        out = ox("multiclass_hinge_loss", [[0, INF, 1]], [1])  # inf - inf: NaN value, finite gradient
        self.assertTrue(np.isnan(out["output"][0]))
        self.close(out["grad_scores"], [[0, 0, 0]])

    def test_subnormals_are_flushed(self):
        tiny = F32(1e-40)
        for ctx in (TF, JAX):  # a subnormal wrong score counts as 0 and ties with the masked true slot
            self.close(fn("categorical_hinge", [[0, 0, 1]], [[tiny, -1, .5]], ctx)["grad_y_pred"], [[.5, 0, -1]])
        self.close(ox("perceptron_loss", [tiny, 1e-30], [-1, -1])["output"], [0, 1e-30])
        self.close(ox("perceptron_loss", [tiny, 1e-30], [-1, -1])["grad_predictor_outputs"], [.5, 1])
        self.close(v1([1], [.5], [1e-40], reduction="none")["output"], [0])
        self.close(cls("Hinge", [[1]], [[.5]], [1e-40], reduction="none")["output"], [0])

    def test_backward_pass_flushes(self):
        big, tiny_normal = np.finfo(F32).max, np.finfo(F32).tiny
        y, p = [[1, -1, 1], [-1, 1, 1]], [[.5, .2, -.3], [.1, 2, .9]]
        for ctx in (TF, JAX):
            for name in km.CLASSES:
                # 1/sum(sample_weight) is subnormal: no gradient flows through divide_no_nan
                out = cls(name, y, p, [big, 1], ctx, reduction="mean_with_sample_weight")
                self.assertTrue(np.all(out["grad_y_pred"] == 0), (name, ctx))
                # a subnormal scalar weight is 0: divisor 0, output and gradient 0
                out = cls(name, y, p, F32(1e-40), ctx, reduction="mean_with_sample_weight")
                self.assertEqual(out["output"], 0)
                self.assertTrue(np.all(out["grad_y_pred"] == 0), (name, ctx))
            # g / C flushed before square's 2h = inf: 0 * inf is NaN, not inf
            out = cls("SquaredHinge", [[-1, 1, 1]], [[big, 0, 0]], [tiny_normal], ctx, reduction="none")
            self.assertTrue(np.isnan(out["grad_y_pred"][0, 0]), ctx)
        self.close(v1([[1, 1], [0, 0]], [[.3, -.2], [-.2, -1.5]], [[2, big], [0, 0]],
                      reduction="weighted_mean")["grad_logits"], [[0, 0], [0, 0]])

    def test_sum_orders(self):
        # 2**24 then eight 1s: sequential (XLA) loses every 1, Eigen's packet lanes keep them
        x = np.array([2 ** 24] + [1] * 8, F32)
        self.assertEqual(km.total_sum(x, "jax"), 2 ** 24)
        self.assertEqual(km.total_sum(x, "tensorflow"), 2 ** 24 + 8)
        self.assertTrue(ks.order_matters(x, "jax"))
        self.assertFalse(ks.order_matters(x, "tensorflow"))

    def test_dtypes(self):
        y, p = np.array([[1., 0.]]), np.array([[.3, .2]])
        out = cls("Hinge", y, p, adt=F64)  # float64 in, loss dtype float32: float32 out, float64 gradient
        self.assertEqual((out["output"].dtype, out["grad_y_pred"].dtype), (F32, F64))
        out = cls("Hinge", y, p, adt=F64, dtype="float64")
        self.assertEqual((out["output"].dtype, out["grad_y_pred"].dtype), (F64, F64))
        out = cls("Hinge", y, p, adt=F32, dtype="float64")
        self.assertEqual((out["output"].dtype, out["grad_y_pred"].dtype), (F64, F32))
        out = om.binary_mirror("hinge_loss", {}, {"predictor_outputs": np.array([.5]), "targets": np.array([1.])})
        self.assertEqual(out["output"].dtype, F32)  # float64 without x64: float32


class ErrorKindTest(unittest.TestCase):
    def assert_error(self, kind, compute, *args, message=None, **kwargs):
        with self.assertRaises(LossError) as ctx:
            compute(*args, **kwargs)
        self.assertEqual(ctx.exception.kind, kind)
        if message is not None:
            self.assertEqual(ctx.exception.message, message)

    def test_keras(self):
        y, p = np.ones((4, 3), F32), np.ones((4, 2), F32)
        self.assert_error("shape_mismatch", fn, "hinge", y, p, TF, message=(
            "{{function_node __wrapped__Mul_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
            "Incompatible shapes: [4,3] vs. [4,2] [Op:Mul] name: "))
        self.assert_error("shape_mismatch", fn, "hinge", y, p, JAX,
                          message="mul got incompatible shapes for broadcasting: (4, 3), (4, 2).")
        self.assert_error("shape_mismatch", cls, "Hinge", y, y, np.ones((4, 3)), JAX,
                          message="Incompatible shapes for broadcasting: shapes=[(4,), (4, 3)]")
        for ctx in (TF, JAX):
            self.assert_error("shape_mismatch", fn, "hinge", 1.0, .3, ctx)
            self.assert_error("shape_mismatch", fn, "categorical_hinge", 1.0, .3, ctx)
            self.assert_error("shape_mismatch", fn, "categorical_hinge", np.zeros((3, 0)), np.zeros((3, 0)), ctx)
            self.assert_error("shape_mismatch", cls, "Hinge", np.ones((3, 2, 4)), np.ones((3, 2, 4)), [1, 0, 0], ctx)
            self.assert_error("invalid_parameter", cls, "Hinge", y, y, None, ctx, reduction="avg")
            self.assert_error("invalid_parameter", cls, "Hinge", y, y, None, ctx, reduction="weighted_sum")
            self.assert_error("invalid_parameter", cls, "Hinge", y, y, None, ctx, dtype="float65")
            self.assert_error("invalid_dtype", km.function_mirror, "hinge", {},
                              {"y_true": np.array([["a", "b"]]), "y_pred": np.ones((1, 2), F32)}, ctx)
            self.assert_error("invalid_dtype", km.class_mirror, "Hinge", {},
                              {"y_true": np.array([["a", "b"]]), "y_pred": np.ones((1, 2), F32)}, ctx,
                              message="could not convert string to float: np.str_('a')")

    def test_tf_v1(self):
        labels, logits = np.ones((2, 2), F32), np.ones((2, 2), F32)
        self.assert_error("invalid_parameter", v1, labels, logits, None, F32, reduction="sum")
        self.assert_error("shape_mismatch", v1, labels, logits, [1, 0], message=(
            "weights can not be broadcast to values. values.rank=2. weights.rank=1. values.shape=(2, 2). "
            "weights.shape=(2,). Received weights=[1. 0.], values=[[0. 0.]\n [0. 0.]]"))
        self.assert_error("shape_mismatch", v1, labels, logits, [[1, 0, 1]])
        self.assert_error("shape_mismatch", v1, np.ones((2, 3)), logits,
                          message="Shapes (2, 2) and (2, 3) are incompatible")
        self.assert_error("shape_mismatch", v1, np.ones(2), logits)
        self.assert_error("invalid_dtype", tm.hinge_loss, {}, {"labels": np.array(["a"]), "logits": np.ones(1, F32)})

    def test_optax(self):
        self.assert_error("shape_mismatch", ox, "perceptron_loss", np.ones(5), np.ones((5, 1)),
                          message="Shape mismatch: got (5,) and (5, 1).")
        self.assert_error("shape_mismatch", ox, "hinge_loss", np.ones((4, 3)), np.ones((4, 2)))
        self.assert_error("shape_mismatch", ox, "multiclass_hinge_loss", np.ones((2, 3)), [0, 1, 2])
        self.assert_error("shape_mismatch", ox, "multiclass_perceptron_loss", np.ones((2, 3)), [0, 1, 2],
                          message="Incompatible shapes for broadcasting: shapes=[(2,), (3,)]")
        self.assert_error("shape_mismatch", ox, "multiclass_hinge_loss", np.ones((2, 0)), [0, 0])
        self.assert_error("invalid_dtype", om.multiclass_mirror, "multiclass_hinge_loss", {},
                          {"scores": np.ones((2, 2), F32), "labels": np.array([True, False])})


class GenerationWithoutFrameworksTest(unittest.TestCase):
    def setUp(self):
        off = mirrors_only(("keras", "tensorflow", "optax"))
        off.__enter__()
        self.addCleanup(off.__exit__, None, None, None)

    def test_writing_is_refused_but_the_document_builds(self):
        for name, minimum in (("keras.losses.hinge", 30), ("keras.losses.Hinge", 40),
                              ("tensorflow.compat.v1.losses.hinge_loss", 30), ("optax.losses.perceptron_loss", 30)):
            suite, generator = load_suite(name)
            doc = build_document(suite, generator, "2000-01-01")  # what --check does: the mirror alone
            self.assertGreaterEqual(len(doc["cases"]), minimum)
            path = os.path.join(os.path.dirname(__file__), "never-written.json")
            with self.assertRaises(GenerationUnavailable) as ctx:
                write_text(path, dumps_fixture(doc))
            self.assertIn(f"are needed to generate {name}" if "tensorflow" not in name else "is needed to generate",
                          str(ctx.exception))
            self.assertIn("--check works with NumPy alone", str(ctx.exception))
            self.assertFalse(os.path.exists(path))

    def test_every_keras_case_names_its_backend(self):
        for name in ("keras.losses.categorical_hinge", "keras.losses.CategoricalHinge"):
            suite, generator = load_suite(name)
            doc = build_document(suite, generator, "2000-01-01")
            backends = {c["context"]["backend"] for c in doc["cases"]}
            self.assertEqual(backends, {"tensorflow", "jax"})
            jax_float64 = [c["id"] for c in doc["cases"] if c["context"]["backend"] == "jax"
                           and c["inputs"]["y_pred"]["dtype"] == "float64"]
            self.assertEqual(jax_float64, [])


def _frameworks_here() -> bool:
    return all(m.FRAMEWORK.available() for m in (ks, ts, os_))


@unittest.skipUnless(_frameworks_here(), "needs keras, tensorflow-cpu, jax and optax at their pins; the committed "
                                         "fixtures were made by them and --check covers the mirror without them")
class MirrorAgainstFrameworkTest(unittest.TestCase):
    """Random cases through the real frameworks (in their workers) and the mirrors."""

    def check(self, suite, run, mirror, params, inputs, context, exact=False):
        want = run(params, inputs, context)
        got = mirror(params, inputs, context)
        self.assertEqual(list(got), list(want))
        for key in want:
            self.assertEqual((got[key].dtype, got[key].shape), (want[key].dtype, want[key].shape), (suite, key))
            rtol = 2e-6 if want[key].dtype == F32 else 1e-12
            np.testing.assert_allclose(got[key], want[key], rtol=0 if exact else rtol, atol=0 if exact else 1e-6,
                                       err_msg=f"{suite} {key} {params} {context}")

    def test_random_cases(self):
        rng = np.random.default_rng(99)
        for backend in km.BACKENDS:
            ctx = {"backend": backend}
            for name in km.FUNCTIONS:
                suite = f"keras.losses.{name}"
                n, c = int(rng.integers(1, 30)), int(rng.integers(1, 9))
                y = np.eye(c, dtype=F32)[rng.integers(0, c, n)] if name == "categorical_hinge" else \
                    rng.choice([-1., 1., 0.], (n, c)).astype(F32)
                p = rng.standard_normal((n, c)).astype(F32)
                self.check(suite, lambda pa, i, cx, s=suite: ks.run_keras(s, pa, i, cx), km.mirror_of(suite), {},
                           {"y_true": y, "y_pred": p}, ctx)
            for cname in km.CLASSES:
                suite = f"keras.losses.{cname}"
                for r in ("sum_over_batch_size", "sum", "mean_with_sample_weight", "none"):
                    n, c = int(rng.integers(1, 30)), int(rng.integers(1, 9))
                    y = np.eye(c, dtype=F32)[rng.integers(0, c, n)]
                    inputs = {"y_true": y, "y_pred": rng.standard_normal((n, c)).astype(F32),
                              "sample_weight": rng.uniform(0, 2, n).astype(F32)}
                    self.check(suite, lambda pa, i, cx, s=suite: ks.run_keras(s, pa, i, cx), km.mirror_of(suite),
                               {"reduction": r}, inputs, ctx)
        for r in tm.REDUCTIONS[:5]:
            n, c = int(rng.integers(1, 20)), int(rng.integers(1, 6))
            inputs = {"labels": rng.integers(0, 2, (n, c)).astype(F32),
                      "logits": rng.standard_normal((n, c)).astype(F32),
                      "weights": rng.uniform(0, 2, (n, 1)).astype(F32)}
            self.check(tm.SUITE, lambda pa, i, cx: ts.run_tensorflow(pa, i), lambda pa, i, cx: tm.hinge_loss(pa, i),
                       {"reduction": r}, inputs, None)
        for dtype, ctx in ((F32, None), (F64, {"jax_enable_x64": True})):
            for suite in om.BINARY:
                inputs = {"predictor_outputs": rng.standard_normal((7, 3)).astype(dtype),
                          "targets": rng.choice([-1., 1.], (7, 3)).astype(dtype)}
                self.check(suite, lambda pa, i, cx, s=suite: os_.run_optax(s, i, cx), om.mirror_of(suite), {}, inputs,
                           ctx, exact=True)
            for suite in om.MULTICLASS:
                inputs = {"scores": rng.standard_normal((9, 4)).astype(dtype), "labels": rng.integers(-1, 5, 9)}
                self.check(suite, lambda pa, i, cx, s=suite: os_.run_optax(s, i, cx), om.mirror_of(suite), {}, inputs,
                           ctx, exact=True)


if __name__ == "__main__":
    unittest.main()
