"""Textbook hinge-family losses: the NumPy mirror (reference implementation) of the
math.* suites. Their case builders are in hinge_fixtures/suites/textbook.py.

Every function computes in the dtype of its scores: float32 inputs stay float32 through
every operation and constants are scalars of that dtype, because the Swift side computes
in Float and the fixtures pin single-precision results, not rounded double ones.

Binary margin losses. Inputs y (labels, exactly -1 or +1) and z (scores), same shape of
any rank; y is z's float dtype or int64. With the margin m = y*z:

    math.hinge           L = max(0, 1 - m)                           dL/dm = -1 if m < 1 else 0
    math.squared_hinge   d = 1 - m;  L = d*d if d > 0 else 0         dL/dm = -2d if d > 0 else 0
    math.smooth_hinge    L = 1/2 - m if m <= 0, (1 - m)^2/2 if m < 1, else 0
                         dL/dm = -1 if m <= 0, m - 1 if m < 1, else 0 (Rennie & Srebro)
    math.softplus_hinge  t = 1 - m;  L = softplus(t)                 dL/dm = -sigmoid(t)
    math.logistic        t = -m;     L = softplus(t)                 dL/dm = -sigmoid(t)
    math.huber_margin    d = max(0, 1 - m)                           dL/dm = -min(d, delta)
                         L = d*d/2 if d <= delta else delta*(d - delta/2)     (param delta > 0, default 1)

    grad_z = y * dL/dm (the chain rule, dm/dz = y); where m is NaN, L and grad_z are NaN.
    softplus(t) = max(t, 0) + log1p(exp(-|t|)) and sigmoid(t) = 1/(1 + exp(-t)) for t >= 0,
    exp(t)/(1 + exp(t)) for t < 0: both only ever take exp of a non-positive number, so
    neither overflows (float32 exp overflows past t = 88.7).

Pairwise ranking. Inputs pos_scores, neg_scores (same shape, same float dtype), param
margin (finite, default 1):

    math.ranking_hinge   v = (margin + neg) - pos;  L = max(0, v)
                         grad_pos_scores = -1, grad_neg_scores = +1 where v > 0, else 0; NaN v -> NaN.

Multi-class. Inputs y (int64 class indices, shape (N,)) and z (scores, shape (N, K)):

    math.crammer_singer  w = max_{j != y} z_j, attained first at j*;  L = max(0, (1 + w) - z_y)
                         grad: +1 at j*, -1 at y where L > 0; NaN row where L is NaN (any wrong
                         score NaN makes L NaN); K == 1 gives L = 0 and a zero gradient.
    math.weston_watkins  L = sum over ascending j != y of max(0, (1 + z_j) - z_y)
                         grad: +1 at each j with a positive term, -(their count) at y; a NaN
                         term puts NaN at j and at y.

Reductions (param `reduction`, default "mean"): "none" keeps the per-sample loss, "sum"
adds it up left to right from the first element in the dtype (the Swift order; numpy's pairwise np.sum
rounds differently), "mean" divides that sum by the element count converted to the dtype
(an empty mean is 0/0 = NaN) and divides the gradients by the same count.

Validation order: parameters (invalid_parameter), dtypes (invalid_dtype), shapes
(shape_mismatch), then label values (invalid_target). A fixture error case has exactly
one fault, so the order only matters for inputs with several.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

from ..fixture import FLOAT_DTYPES, Arrays, LossError, dtype_label

NAN, INF = math.nan, math.inf

# =========================================================================== reference

REDUCTIONS = ("none", "mean", "sum")

# name -> (default, extra requirement beyond "finite number", requirement as text)
NumericParams = dict[str, tuple[float, Callable[[float], bool], str]]
_DELTA: NumericParams = {"delta": (1.0, lambda d: d > 0, "a finite number > 0")}
_MARGIN: NumericParams = {"margin": (1.0, lambda _: True, "a finite number")}


def _ieee(fn):
    """Run a reference function with numpy's floating-point warnings off: inf - inf, 0/0
    (the mean of an empty batch) and overflow are meant to give NaN/inf silently, as
    IEEE arithmetic does on the Swift side."""
    @functools.wraps(fn)
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return quiet


def _finite_number(v) -> bool:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    try:
        return math.isfinite(float(v))
    except OverflowError:  # an int beyond the float range
        return False


def _parse_params(params: dict, numeric: NumericParams | None = None) -> tuple[str, dict[str, float]]:
    """Validate `reduction` and the suite's numeric params; returns (reduction, {name: value})."""
    numeric = numeric or {}
    unknown = sorted(set(params) - {"reduction", *numeric})
    if unknown:
        raise LossError("invalid_parameter", f"unknown parameter {', '.join(map(repr, unknown))}; "
                                             f"expected {', '.join(map(repr, ['reduction', *numeric]))}")
    reduction = params.get("reduction", "mean")
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise LossError("invalid_parameter", f"reduction must be one of 'none', 'mean', 'sum'; got {reduction!r}")
    values = {}
    for name, (default, requirement, text) in numeric.items():
        v = params.get(name, default)
        if not _finite_number(v) or not requirement(v):
            raise LossError("invalid_parameter", f"{name} must be {text}; got {v!r}")
        values[name] = float(v)
    return reduction, values


def _require_float(a: np.ndarray, name: str) -> None:
    if dtype_label(a) not in FLOAT_DTYPES:
        raise LossError("invalid_dtype", f"{name} must be float32 or float64; got {dtype_label(a)}")


def _c(x, v):
    """The constant v as a scalar of x's dtype (a float64 scalar would upcast float32)."""
    return x.dtype.type(v)


def _nan_where(mask, x):
    return np.where(mask, _c(x, NAN), x)


def _sequential_sum(values, dtype: np.dtype):
    """Left-to-right sum ((v0 + v1) + v2) + ... in `dtype`, the order of the Swift loop.

    It starts from the first element, not from +0, so that the sum of [-0.0] is -0.0
    as in NumPy's own reductions; the sum of nothing is +0."""
    values = list(values)
    if not values:
        return dtype.type(0)
    total = dtype.type(values[0])
    for v in values[1:]:
        total = total + v
    return total


def _reduce(loss, grads: Arrays, reduction: str) -> Arrays:
    """Apply the reduction to the per-sample loss and the matching scaling to the gradients."""
    loss = np.asarray(loss)
    dtype = loss.dtype
    if reduction == "none":
        output = loss
    else:
        output = _sequential_sum(loss.ravel(), dtype)
        if reduction == "mean":
            n = dtype.type(loss.size)
            output = output / n
            grads = {name: g / n for name, g in grads.items()}
    outputs = {"output": np.asarray(output), **{name: np.asarray(g) for name, g in grads.items()}}
    leaked = [name for name, a in outputs.items() if a.dtype != dtype]
    if leaked:  # a guard on this module, not an input error
        raise AssertionError(f"{leaked} left the case dtype {dtype}")
    return outputs


# --------------------------------------------------------------------------- binary

def _binary_inputs(inputs: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """Validated (y converted to z's dtype, z)."""
    y, z = inputs["y"], inputs["z"]
    _require_float(z, "z")
    if dtype_label(y) not in ("int64", z.dtype.name):
        raise LossError("invalid_dtype", f"y must be int64 or {z.dtype.name} like z; got {dtype_label(y)}")
    if y.shape != z.shape:
        raise LossError("shape_mismatch", f"y has shape {list(y.shape)} but z has shape {list(z.shape)}")
    bad = np.flatnonzero(~((y == 1) | (y == -1)))  # NaN compares unequal, so it is caught too
    if bad.size:
        i = int(bad[0])
        raise LossError("invalid_target", f"labels must be -1 or +1; y has {y.ravel()[i].item()!r} at flat index {i}")
    return y.astype(z.dtype), z  # int64 -1/+1 convert exactly


def margin_loss(value: Callable, slope: Callable, numeric: NumericParams | None = None):
    """The reference function of a binary margin loss, from value(m, **params) = L and
    slope(m, **params) = dL/dm, both elementwise in m's dtype. Numeric params arrive as
    scalars of that dtype. Shared by every binary suite: validation, the NaN rule, the
    chain rule and the reduction live here once."""
    @_ieee
    def compute(params: dict, inputs: Arrays) -> Arrays:
        reduction, extra = _parse_params(params, numeric)
        y, z = _binary_inputs(inputs)
        constants = {name: _c(z, v) for name, v in extra.items()}
        m = y * z
        # Comparisons with NaN are false, which would give NaN margins a finite branch.
        nan = np.isnan(m)
        loss = _nan_where(nan, value(m, **constants))
        grad_z = _nan_where(nan, y * slope(m, **constants))
        return _reduce(loss, {"grad_z": grad_z}, reduction)
    return compute


def _softplus(t):
    return np.maximum(t, _c(t, 0)) + np.log1p(np.exp(-np.abs(t)))


def _sigmoid(t):
    e = np.exp(-np.abs(t))  # exp(-t) where t >= 0, exp(t) where t < 0
    one = _c(t, 1)
    return np.where(t >= 0, one / (one + e), e / (one + e))


def _hinge_distance(m):
    """max(0, 1 - m): the hinge value, and huber's d."""
    return np.maximum(_c(m, 0), _c(m, 1) - m)


def _hinge_slope(m):
    return np.where(m < _c(m, 1), _c(m, -1), _c(m, 0))


def _squared_hinge_value(m):
    d = _c(m, 1) - m
    return np.where(d > 0, d * d, _c(m, 0))


def _squared_hinge_slope(m):
    d = _c(m, 1) - m
    return np.where(d > 0, _c(m, -2) * d, _c(m, 0))


def _smooth_hinge_value(m):
    d = _c(m, 1) - m
    return np.where(m <= _c(m, 0), _c(m, 0.5) - m, np.where(d > 0, d * d / _c(m, 2), _c(m, 0)))


def _smooth_hinge_slope(m):
    return np.where(m <= _c(m, 0), _c(m, -1), np.where(m < _c(m, 1), m - _c(m, 1), _c(m, 0)))


def _huber_value(m, delta):
    d = _hinge_distance(m)
    two = _c(m, 2)
    return np.where(d <= delta, d * d / two, delta * (d - delta / two))


def _huber_slope(m, delta):
    return -np.minimum(_hinge_distance(m), delta)


hinge = margin_loss(_hinge_distance, _hinge_slope)
squared_hinge = margin_loss(_squared_hinge_value, _squared_hinge_slope)
smooth_hinge = margin_loss(_smooth_hinge_value, _smooth_hinge_slope)
softplus_hinge = margin_loss(lambda m: _softplus(_c(m, 1) - m), lambda m: -_sigmoid(_c(m, 1) - m))
logistic = margin_loss(lambda m: _softplus(-m), lambda m: -_sigmoid(-m))
huber_margin = margin_loss(_huber_value, _huber_slope, numeric=_DELTA)


# --------------------------------------------------------------------------- ranking

@_ieee
def ranking_hinge(params: dict, inputs: Arrays) -> Arrays:
    reduction, extra = _parse_params(params, _MARGIN)
    pos, neg = inputs["pos_scores"], inputs["neg_scores"]
    _require_float(pos, "pos_scores")
    if neg.dtype != pos.dtype:
        raise LossError("invalid_dtype", f"neg_scores must be {pos.dtype.name} like pos_scores; got {dtype_label(neg)}")
    if pos.shape != neg.shape:
        raise LossError("shape_mismatch",
                        f"pos_scores has shape {list(pos.shape)} but neg_scores has shape {list(neg.shape)}")
    v = (_c(pos, extra["margin"]) + neg) - pos
    nan, active = np.isnan(v), v > 0
    return _reduce(np.maximum(_c(v, 0), v), {
        "grad_pos_scores": _nan_where(nan, np.where(active, _c(v, -1), _c(v, 0))),
        "grad_neg_scores": _nan_where(nan, np.where(active, _c(v, 1), _c(v, 0))),
    }, reduction)


# --------------------------------------------------------------------------- multi-class

def _multiclass_inputs(inputs: Arrays) -> tuple[np.ndarray, np.ndarray]:
    y, z = inputs["y"], inputs["z"]
    if dtype_label(y) != "int64":
        raise LossError("invalid_dtype", f"y must hold int64 class indices; got {dtype_label(y)}")
    _require_float(z, "z")
    if z.ndim != 2:
        raise LossError("shape_mismatch", f"z must be 2-D (N, K); got shape {list(z.shape)}")
    if y.ndim != 1 or y.shape[0] != z.shape[0]:
        raise LossError("shape_mismatch", f"y must have shape [{z.shape[0]}] to match z {list(z.shape)}; "
                                          f"got {list(y.shape)}")
    # With N > 0 this also rejects K == 0, where no index is valid.
    bad = np.flatnonzero((y < 0) | (y >= z.shape[1]))
    if bad.size:
        i = int(bad[0])
        raise LossError("invalid_target", f"class indices must be in 0..{z.shape[1] - 1}; y[{i}] = {int(y[i])}")
    return y, z


@_ieee
def crammer_singer(params: dict, inputs: Arrays) -> Arrays:
    reduction, _ = _parse_params(params)
    y, z = _multiclass_inputs(inputs)
    loss, grad = np.zeros(z.shape[0], z.dtype), np.zeros_like(z)
    for i, c in enumerate(y):
        row = z[i]
        wrong = [j for j in range(z.shape[1]) if j != c]
        if not wrong:  # K == 1: no competing class, loss and gradient stay 0
            continue
        if np.isnan(row[wrong]).any():  # the max over the wrong classes is NaN
            loss[i], grad[i] = NAN, NAN
            continue
        j_star = wrong[int(np.argmax(row[wrong]))]  # argmax returns the first maximum
        loss[i] = np.maximum(_c(z, 0), (_c(z, 1) + row[j_star]) - row[c])
        if np.isnan(loss[i]):
            grad[i] = NAN
        elif loss[i] > 0:
            grad[i, j_star], grad[i, c] = 1, -1
    return _reduce(loss, {"grad_z": grad}, reduction)


@_ieee
def weston_watkins(params: dict, inputs: Arrays) -> Arrays:
    reduction, _ = _parse_params(params)
    y, z = _multiclass_inputs(inputs)
    loss, grad = np.zeros(z.shape[0], z.dtype), np.zeros_like(z)
    for i, c in enumerate(y):
        row = z[i]
        terms = {j: np.maximum(_c(z, 0), (_c(z, 1) + row[j]) - row[c]) for j in range(z.shape[1]) if j != c}
        loss[i] = _sequential_sum(terms.values(), z.dtype)
        count = _c(z, 0)
        for j, term in terms.items():
            if np.isnan(term):
                grad[i, j], count = NAN, _c(z, NAN)
            elif term > 0:
                grad[i, j], count = 1, count + _c(z, 1)
        grad[i, c] = -count
    return _reduce(loss, {"grad_z": grad}, reduction)
