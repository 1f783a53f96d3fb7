"""Checks of the textbook NumPy mirror (hinge_fixtures.suites.textbook).

Gradients are compared with central finite differences in float64 on inputs kept away
from every kink and tie (where the derivative is a convention, not a limit). The
identities are ones that can be derived by hand, so a wrong formula, a wrong tie rule
or a silent float64 upcast makes them fail.
"""
import math
import unittest

import numpy as np


from hinge_fixtures.fixture import LossError
from hinge_fixtures.suites import textbook as tb

BINARY = {"hinge": tb.hinge, "squared_hinge": tb.squared_hinge, "softplus_hinge": tb.softplus_hinge,
          "logistic": tb.logistic, "huber_margin": tb.huber_margin}
REDUCTIONS = ({"reduction": "none"}, {"reduction": "mean"}, {"reduction": "sum"}, {})
GAP = 0.05  # how far inputs stay from kinks and ties in the finite-difference tests


def numeric_grad(compute, params, inputs, name, h=1e-6):
    """Central difference of sum(output) with respect to inputs[name] (float64)."""
    def f(a):
        return float(np.sum(compute(params, {**inputs, name: a})["output"]))

    base = inputs[name]
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad


def binary(compute, y, z, dtype="float64", **params):
    return compute(params, {"y": np.asarray(y, dtype), "z": np.asarray(z, dtype)})


class FiniteDifferenceTest(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(1234)

    def assert_grad(self, compute, params, inputs, name, analytic):
        np.testing.assert_allclose(analytic, numeric_grad(compute, params, inputs, name),
                                   rtol=1e-6, atol=1e-7, err_msg=f"{name} with {params}")

    def test_binary_losses(self):
        deltas = (1.0, 0.5, 2.5)
        for loss_name, compute in BINARY.items():
            for extra in ([{"delta": d} for d in deltas] if loss_name == "huber_margin" else [{}]):
                y = self.rng.choice([-1.0, 1.0], 40)
                z = self.rng.standard_normal(40) * 2
                m = y * z
                # Away from m == 1 (hinge kink, huber d == 0) and m == 1 - delta (huber d == delta).
                keep = np.all([np.abs(m - k) > GAP for k in (1.0, *(1 - d for d in deltas))], axis=0)
                inputs = {"y": y[keep], "z": z[keep]}
                for reduction in REDUCTIONS:
                    params = {**reduction, **extra}
                    with self.subTest(loss=loss_name, params=params):
                        out = compute(params, inputs)
                        self.assert_grad(compute, params, inputs, "z", out["grad_z"])

    def test_ranking_hinge(self):
        for margin in (1.0, 0.0, 0.5, -1.0):
            pos, neg = self.rng.standard_normal((2, 30)) * 2
            keep = np.abs(margin + neg - pos) > GAP
            inputs = {"pos_scores": pos[keep], "neg_scores": neg[keep]}
            for reduction in REDUCTIONS:
                params = {**reduction, "margin": margin}
                with self.subTest(params=params):
                    out = tb.ranking_hinge(params, inputs)
                    for name in inputs:
                        self.assert_grad(tb.ranking_hinge, params, inputs, name, out[f"grad_{name}"])

    def multiclass_inputs(self, n=40, k=4):
        y = self.rng.integers(0, k, n)
        z = self.rng.standard_normal((n, k)) * 2
        keep = []
        for i in range(n):
            wrong = np.delete(z[i], y[i])
            args = 1 + wrong - z[i, y[i]]  # the hinge arguments of every wrong class
            top_two = np.sort(wrong)[-2:]
            keep.append(np.all(np.abs(args) > GAP) and top_two[1] - top_two[0] > GAP)
        return {"y": y[keep], "z": z[keep]}

    def test_multiclass_losses(self):
        inputs = self.multiclass_inputs()
        self.assertGreater(len(inputs["y"]), 10)
        for compute in (tb.crammer_singer, tb.weston_watkins):
            for reduction in REDUCTIONS:
                with self.subTest(loss=compute.__name__, params=reduction):
                    out = compute(reduction, inputs)
                    self.assert_grad(compute, reduction, inputs, "z", out["grad_z"])


class IdentityTest(unittest.TestCase):
    def test_hinge_on_the_margin_is_zero_with_zero_gradient(self):
        for dtype in ("float32", "float64"):
            y = np.array([1, -1, 1, -1], dtype)
            out = binary(tb.hinge, y, y, dtype, reduction="none")  # z = y, so y*z == 1
            np.testing.assert_array_equal(out["output"], 0)
            np.testing.assert_array_equal(out["grad_z"], 0)

    def test_hinge_just_inside_the_margin_has_gradient_minus_y(self):
        y = np.array([1.0, -1.0])
        out = binary(tb.hinge, y, 0.5 * y, reduction="none")
        np.testing.assert_array_equal(out["output"], [0.5, 0.5])
        np.testing.assert_array_equal(out["grad_z"], -y)

    def test_crammer_singer_with_two_classes_is_hinge_of_the_score_difference(self):
        rng = np.random.default_rng(7)
        y = rng.integers(0, 2, 50)
        z = rng.standard_normal((50, 2)) * 2
        cs = tb.crammer_singer({"reduction": "none"}, {"y": y, "z": z})
        sign = 2.0 * y - 1  # class 1 -> +1, class 0 -> -1
        h = binary(tb.hinge, sign, z[:, 1] - z[:, 0], reduction="none")
        np.testing.assert_allclose(cs["output"], h["output"], rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(cs["grad_z"][:, 1], h["grad_z"])
        np.testing.assert_array_equal(cs["grad_z"][:, 0], -h["grad_z"])

    def test_weston_watkins_equals_crammer_singer_with_two_classes(self):
        rng = np.random.default_rng(8)
        inputs = {"y": rng.integers(0, 2, 30), "z": rng.standard_normal((30, 2))}
        for reduction in REDUCTIONS:
            ww, cs = tb.weston_watkins(reduction, inputs), tb.crammer_singer(reduction, inputs)
            for name in ("output", "grad_z"):
                np.testing.assert_array_equal(ww[name], cs[name])

    def test_crammer_singer_tie_goes_to_the_first_wrong_class(self):
        out = tb.crammer_singer({"reduction": "none"},
                                {"y": np.array([3, 0]), "z": np.array([[2.0, 1.0, 2.0, 1.5], [0.0, 1.0, 1.0, 1.0]])})
        np.testing.assert_array_equal(out["output"], [1.5, 2.0])
        np.testing.assert_array_equal(out["grad_z"], [[1, 0, 0, -1], [-1, 1, 0, 0]])

    def test_crammer_singer_single_class_is_zero(self):
        out = tb.crammer_singer({"reduction": "sum"}, {"y": np.zeros(3, np.int64), "z": np.array([[5.0], [-1.0], [0.0]])})
        self.assertEqual(out["output"], 0)
        np.testing.assert_array_equal(out["grad_z"], 0)

    def test_multiclass_nan_rules(self):
        z = np.array([[0.5, np.nan, 0.25], [-2.0, 3.0, np.nan]])
        y = np.array([0, 0])
        cs = tb.crammer_singer({"reduction": "none"}, {"y": y, "z": z})
        self.assertTrue(np.isnan(cs["grad_z"]).all())
        ww = tb.weston_watkins({"reduction": "none"}, {"y": y, "z": z})
        self.assertTrue(np.isnan(ww["output"]).all())
        # Finite terms keep their +1; the NaN term marks its own class and the true class.
        np.testing.assert_array_equal(ww["grad_z"], [[np.nan, np.nan, 1.0], [np.nan, 1.0, np.nan]])

    def test_weston_watkins_gradient_counts_active_terms(self):
        out = tb.weston_watkins({"reduction": "none"},
                                {"y": np.array([1]), "z": np.array([[0.5, 1.0, 0.5, -3.0]])})
        np.testing.assert_array_equal(out["output"], [1.0])  # 0.5 + 0.5 + 0
        np.testing.assert_array_equal(out["grad_z"], [[1, -2, 1, 0]])

    def test_huber_with_huge_delta_is_half_the_squared_hinge(self):
        rng = np.random.default_rng(9)
        y, z = rng.choice([-1.0, 1.0], 40), rng.standard_normal(40) * 3
        hub = binary(tb.huber_margin, y, z, reduction="none", delta=1e6)
        sq = binary(tb.squared_hinge, y, z, reduction="none")
        np.testing.assert_array_equal(hub["output"], sq["output"] / 2)
        np.testing.assert_array_equal(hub["grad_z"], sq["grad_z"] / 2)

    def test_huber_at_d_equal_delta(self):
        for delta in (0.5, 1.0, 2.5):
            y = np.array([1.0, -1.0])
            out = binary(tb.huber_margin, y, (1 - delta) * y, reduction="none", delta=delta)
            np.testing.assert_array_equal(out["output"], [delta * delta / 2] * 2)
            np.testing.assert_array_equal(out["grad_z"], -delta * y)

    def test_huber_linear_region(self):
        out = binary(tb.huber_margin, [1.0], [-3.0], reduction="none", delta=0.5)  # d = 4
        np.testing.assert_array_equal(out["output"], [0.5 * (4 - 0.25)])
        np.testing.assert_array_equal(out["grad_z"], [-0.5])

    def test_logistic_at_zero_margin(self):
        y = np.array([1.0, -1.0])
        out = binary(tb.logistic, y, [0.0, 0.0], reduction="none")
        np.testing.assert_allclose(out["output"], [math.log(2)] * 2, rtol=1e-15)
        np.testing.assert_array_equal(out["grad_z"], -y / 2)

    def test_softplus_hinge_is_logistic_shifted_by_one(self):
        rng = np.random.default_rng(10)
        y, z = rng.choice([-1.0, 1.0], 30), rng.standard_normal(30) * 3
        # t = 1 - m for softplus_hinge and t = -m for logistic: moving z by y moves m by 1.
        a = binary(tb.softplus_hinge, y, z + y, reduction="none")
        b = binary(tb.logistic, y, z, reduction="none")
        for name in ("output", "grad_z"):
            np.testing.assert_allclose(a[name], b[name], rtol=1e-12, atol=1e-15)

    def test_stable_softplus_does_not_overflow_in_float32(self):
        y = np.ones(6, np.float32)
        z = np.array([-1e30, 1e30, -100.0, 100.0, -90.0, 90.0], np.float32)
        out = binary(tb.logistic, y, z, "float32", reduction="none")  # t = -z
        self.assertEqual(out["output"].dtype, np.float32)
        self.assertTrue(np.isfinite(out["output"]).all())
        np.testing.assert_array_equal(out["output"][[0, 1, 2]], np.float32([1e30, 0.0, 100.0]))
        np.testing.assert_array_equal(out["grad_z"][[0, 2]], [-1.0, -1.0])
        self.assertEqual(out["grad_z"][1], 0.0)
        # t = -90: exp(-90) ≈ 8.2e-40 is subnormal in float32, but not zero.
        self.assertGreater(out["output"][5], 0)
        self.assertLess(out["output"][5], np.finfo(np.float32).smallest_normal)
        np.testing.assert_allclose(out["output"][4:], [90.0, math.exp(-90)], rtol=1e-5)

    def test_infinite_margins(self):
        y = np.array([1.0, -1.0, 1.0, -1.0])
        z = np.array([np.inf, np.inf, -np.inf, -np.inf])  # m = +inf, -inf, -inf, +inf
        for compute in (tb.softplus_hinge, tb.logistic):
            out = binary(compute, y, z, reduction="none")
            np.testing.assert_array_equal(out["output"], [0, np.inf, np.inf, 0])
            np.testing.assert_array_equal(out["grad_z"], [0, 1, -1, 0])
        out = binary(tb.hinge, y, z, reduction="none")
        np.testing.assert_array_equal(out["output"], [0, np.inf, np.inf, 0])

    def test_nan_margin_gives_nan_value_and_gradient(self):
        for name, compute in BINARY.items():
            out = binary(compute, [1.0, -1.0], [np.nan, 0.5], reduction="none")
            with self.subTest(loss=name):
                self.assertTrue(np.isnan(out["output"][0]) and np.isnan(out["grad_z"][0]))
                self.assertFalse(np.isnan(out["output"][1]) or np.isnan(out["grad_z"][1]))

    def test_ranking_hinge_is_hinge_of_the_margin(self):
        rng = np.random.default_rng(11)
        y, z = rng.choice([-1.0, 1.0], 30), rng.standard_normal(30) * 2
        # max(0, (1 + 0) - y*z) is the hinge exactly, and d/dz = y * d/dpos.
        r = tb.ranking_hinge({"reduction": "none"}, {"pos_scores": y * z, "neg_scores": np.zeros(30)})
        h = binary(tb.hinge, y, z, reduction="none")
        np.testing.assert_array_equal(r["output"], h["output"])
        np.testing.assert_array_equal(y * r["grad_pos_scores"], h["grad_z"])
        np.testing.assert_array_equal(r["grad_neg_scores"], -r["grad_pos_scores"])


class ReductionTest(unittest.TestCase):
    def test_mean_is_sum_over_count(self):
        rng = np.random.default_rng(12)
        inputs = {"y": rng.choice([-1.0, 1.0], (3, 4)), "z": rng.standard_normal((3, 4))}
        for compute in BINARY.values():
            none, total, mean = (compute({"reduction": r}, inputs) for r in ("none", "sum", "mean"))
            self.assertEqual(none["output"].shape, (3, 4))
            self.assertEqual(mean["output"].shape, ())
            self.assertEqual(mean["output"], total["output"] / 12)
            np.testing.assert_array_equal(mean["grad_z"], none["grad_z"] / 12)
            np.testing.assert_array_equal(total["grad_z"], none["grad_z"])

    def test_default_reduction_is_mean(self):
        inputs = {"y": np.array([1, 0]), "z": np.array([[0.0, 1.0], [2.0, 0.5]])}
        for compute in (tb.crammer_singer, tb.weston_watkins):
            for name, a in compute({}, inputs).items():
                np.testing.assert_array_equal(a, compute({"reduction": "mean"}, inputs)[name])

    def test_empty_batch(self):
        for compute in BINARY.values():
            empty = {"y": np.zeros(0), "z": np.zeros(0)}
            self.assertTrue(np.isnan(compute({"reduction": "mean"}, empty)["output"]))
            self.assertEqual(compute({"reduction": "sum"}, empty)["output"], 0)
            self.assertEqual(compute({"reduction": "none"}, empty)["output"].shape, (0,))
        out = tb.weston_watkins({"reduction": "none"}, {"y": np.zeros(0, np.int64), "z": np.zeros((0, 3))})
        self.assertEqual(out["grad_z"].shape, (0, 3))

    def test_sum_is_sequential_in_the_dtype(self):
        # 1 + 2^-24 rounds back to 1 in float32 at every step, so a left-to-right sum stays
        # 1; a pairwise sum (np.sum) adds the small terms together first and does not.
        values = np.array([1.0] + [2.0 ** -24] * 15, np.float32)
        self.assertNotEqual(np.sum(values), 1.0)
        out = tb.ranking_hinge({"reduction": "sum", "margin": 0.0},
                               {"pos_scores": np.zeros(16, np.float32), "neg_scores": values})
        self.assertEqual(out["output"].dtype, np.float32)
        self.assertEqual(out["output"], 1.0)

    def test_float32_stays_float32(self):
        rng = np.random.default_rng(13)
        y = rng.choice([-1, 1], 9).astype(np.float32)
        z = rng.standard_normal(9).astype(np.float32)
        calls = [(c, {"y": y, "z": z}) for c in BINARY.values()]
        calls += [(tb.ranking_hinge, {"pos_scores": z, "neg_scores": z[::-1].copy()})]
        calls += [(c, {"y": rng.integers(0, 3, 3), "z": z.reshape(3, 3)}) for c in (tb.crammer_singer, tb.weston_watkins)]
        for compute, inputs in calls:
            for reduction in REDUCTIONS:
                for name, a in compute(reduction, inputs).items():
                    self.assertEqual(a.dtype, np.float32, f"{compute.__name__} {reduction} {name}")

    def test_float32_result_differs_from_a_float64_computation(self):
        # A sanity check that the comparison above can fail: the float32 mean of these
        # hinge values is not the float64 mean rounded to float32.
        rng = np.random.default_rng(14)
        y = rng.choice([-1, 1], 1000).astype(np.float32)
        z = (rng.standard_normal(1000) * 2).astype(np.float32)
        f32 = tb.hinge({}, {"y": y, "z": z})["output"]
        f64 = tb.hinge({}, {"y": y.astype(np.float64), "z": z.astype(np.float64)})["output"]
        self.assertNotEqual(f32, np.float32(f64))


class ValidationTest(unittest.TestCase):
    def assert_error(self, kind, compute, params, **inputs):
        with self.assertRaises(LossError) as ctx:
            compute(params, inputs)
        self.assertEqual(ctx.exception.kind, kind, ctx.exception.message)

    def test_binary_errors(self):
        y, z = np.array([1.0, -1.0, 1.0]), np.array([0.5, 0.25, -2.0])
        for compute in BINARY.values():
            self.assert_error("invalid_target", compute, {}, y=np.array([1.0, 0.0, 1.0]), z=z)
            self.assert_error("invalid_target", compute, {}, y=np.array([1, 0, 1]), z=z)
            self.assert_error("invalid_target", compute, {}, y=np.array([1.0, np.nan, 1.0]), z=z)
            self.assert_error("shape_mismatch", compute, {}, y=y[:2], z=z)
            self.assert_error("invalid_parameter", compute, {"reduction": "avg"}, y=y, z=z)
            self.assert_error("invalid_parameter", compute, {"reduction": 1}, y=y, z=z)
            self.assert_error("invalid_parameter", compute, {"foo": 1}, y=y, z=z)
            self.assert_error("invalid_dtype", compute, {}, y=y.astype(np.int64), z=z.astype(np.int64))
            self.assert_error("invalid_dtype", compute, {}, y=y.astype(np.float32), z=z)
            self.assert_error("invalid_dtype", compute, {}, y=y.astype(bool), z=z)
        for delta in (0.0, -1.0, math.inf, "1", True):
            self.assert_error("invalid_parameter", tb.huber_margin, {"delta": delta}, y=y, z=z)

    def test_ranking_errors(self):
        p = np.array([0.5, 1.0])
        self.assert_error("invalid_parameter", tb.ranking_hinge, {"margin": math.nan}, pos_scores=p, neg_scores=p)
        self.assert_error("invalid_parameter", tb.ranking_hinge, {"margin": "1"}, pos_scores=p, neg_scores=p)
        self.assert_error("invalid_dtype", tb.ranking_hinge, {}, pos_scores=p, neg_scores=p.astype(np.float32))
        self.assert_error("shape_mismatch", tb.ranking_hinge, {}, pos_scores=p, neg_scores=p[:1])

    def test_multiclass_errors(self):
        y, z = np.array([0, 2]), np.zeros((2, 3))
        for compute in (tb.crammer_singer, tb.weston_watkins):
            self.assert_error("invalid_target", compute, {}, y=np.array([0, 3]), z=z)
            self.assert_error("invalid_target", compute, {}, y=np.array([-1, 0]), z=z)
            self.assert_error("invalid_dtype", compute, {}, y=y.astype(np.float64), z=z)
            self.assert_error("invalid_dtype", compute, {}, y=y, z=z.astype(np.int64))
            self.assert_error("shape_mismatch", compute, {}, y=y[:1], z=z)
            self.assert_error("shape_mismatch", compute, {}, y=y, z=z[:, 0])
            self.assert_error("shape_mismatch", compute, {}, y=y.reshape(2, 1), z=z)

    def test_valid_inputs_pass(self):
        tb.hinge({"reduction": "sum"}, {"y": np.array(1), "z": np.array(0.3)})  # 0-d, int64 label
        tb.huber_margin({"delta": 2}, {"y": np.array([-1.0]), "z": np.array([0.3])})  # an integer delta


if __name__ == "__main__":
    unittest.main()
