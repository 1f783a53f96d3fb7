"""Textbook hinge-family losses: the NumPy mirror (reference implementation) of the
math.* suites, and the generators of their fixture cases.

Every function computes in the dtype of its scores: float32 inputs stay float32 through
every operation and constants are scalars of that dtype, because the Swift side computes
in Float and the fixtures pin single-precision results, not rounded double ones.

Binary margin losses. Inputs y (labels, exactly -1 or +1) and z (scores), same shape of
any rank; y is z's float dtype or int64. With the margin m = y*z:

    math.hinge           L = max(0, 1 - m)                           dL/dm = -1 if m < 1 else 0
    math.squared_hinge   d = 1 - m;  L = d*d if d > 0 else 0         dL/dm = -2d if d > 0 else 0
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
from typing import Callable

import numpy as np

from .. import exact
from ..fixture import FLOAT_DTYPES, Arrays, CaseList, LossError, Suite, case_id, dtype_label

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


def _huber_value(m, delta):
    d = _hinge_distance(m)
    two = _c(m, 2)
    return np.where(d <= delta, d * d / two, delta * (d - delta / two))


def _huber_slope(m, delta):
    return -np.minimum(_hinge_distance(m), delta)


hinge = margin_loss(_hinge_distance, _hinge_slope)
squared_hinge = margin_loss(_squared_hinge_value, _squared_hinge_slope)
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


# =========================================================================== cases

DTYPES = FLOAT_DTYPES
# Every variant runs once per reduction; the last omits the param to exercise the default.
REDUCTION_CHOICES = (("none", {"reduction": "none"}), ("mean", {"reduction": "mean"}),
                     ("sum", {"reduction": "sum"}), ("default", {}))
SPECIAL_VARIANTS = ("nan", "inf", "signed_zero", "subnormal", "large")
_TOLERANCE = {  # atol sits just above the least normal magnitude: subnormal results compare absolutely
    "float32": {"rtol": 2e-6, "atol": 1e-37},
    "float64": {"rtol": 1e-12, "atol": 1e-300},
}


def _add_reductions(cases: CaseList, dtype: str, shape, variant: str, tags: list[str],
                    inputs: Arrays, params: dict | None = None) -> None:
    """One case per reduction choice, all on the same inputs. Non-default params are
    spelled into the variant ("sample,delta=0.5") so ids stay unique and readable."""
    params = params or {}
    name = variant + "".join(f",{k}={v!r}" for k, v in params.items())
    for label, reduction in REDUCTION_CHOICES:
        cases.add(case_id(dtype, shape, name, label), tags, {**reduction, **params}, inputs)


def _add_error(cases: CaseList, dtype: str, shape, fault: str, kind: str, inputs: Arrays,
               params: dict | None = None) -> None:
    params = params or {}
    reduction = str(params.get("reduction", "default"))
    cases.add(case_id(dtype, shape, f"error-{fault}", reduction), ["error"], params, inputs, error=kind)


def _add_param_errors(cases: CaseList, dtype: str, shape, inputs: Arrays, extra=()) -> None:
    """Faults every math suite rejects the same way, plus the suite's own param faults
    (extra: (fault, params) pairs); all invalid_parameter, on otherwise valid inputs."""
    faults = (("reduction", {"reduction": "avg"}), ("reduction", {"reduction": 1}),
              ("unknown-param", {"foo": 1.0}), *extra)
    for fault, params in faults:
        _add_error(cases, dtype, shape, fault, "invalid_parameter", inputs, params)


def _other_float(dtype: str) -> str:
    return "float64" if dtype == "float32" else "float32"


def _scores(rng, shape, dtype) -> np.ndarray:
    return np.asarray(exact.normal(rng, shape) * 2).astype(dtype)


def _labels(rng, shape, dtype) -> np.ndarray:
    return np.asarray(rng.choice(np.array([-1, 1], dtype=dtype), size=shape))


def _shuffle(rng, *arrays):
    """The same random permutation (along axis 0) of every array, so special or kink
    entries sit among the ordinary ones rather than in front."""
    perm = rng.permutation(len(arrays[0]))
    return tuple(a[perm] for a in arrays)


def _special_values(variant: str, dtype: str) -> list[float]:
    """The values a special variant puts among ordinary scores; all exact in `dtype`.
    They are laid out for the alternating labels +1, -1, +1, ... of the binary cases, so
    that every kind of value meets both label signs (positive and negative margins)."""
    fi = np.finfo(dtype)
    tiny, normal = float(fi.smallest_subnormal), float(fi.smallest_normal)
    return {
        "nan": [NAN, NAN],
        "inf": [INF, INF, -INF, -INF],
        "signed_zero": [0.0, 0.0, -0.0, -0.0],
        "subnormal": [tiny, tiny, -normal / 2, -normal / 2, 3 * tiny, normal / 4,
                      -(normal - tiny), -(normal - tiny)],
        # exp of margins this size overflows (float32 past 88.7) unless softplus and sigmoid
        # use their stable forms; ±90 puts exp(-|t|) in float32's subnormal range.
        "large": [1e2, 90.0, -1e2, -90.0, 1e30, 1e8, -1e30, -1e15],
    }[variant]


def _special_scores(rng, variant: str, dtype: str, n: int) -> np.ndarray:
    """n scores: the variant's special values first, then ordinary random ones."""
    z = _scores(rng, n, dtype)
    special = _special_values(variant, dtype)
    z[:len(special)] = special
    return z


# --------------------------------------------------------------------------- elementwise cases

SAMPLE_SHAPES = ((1,), (7,), (3, 4), ())


def _add_elementwise_variants(cases: CaseList, rng, dtype: str, *, sample, kink, special,
                              param_sets=({},)) -> None:
    """The valid variants every elementwise suite (binary margin losses, ranking) has, on
    inputs from the family's functions: sample(rng, dtype, shape) -> inputs;
    kink(rng, dtype, params) -> inputs; special(rng, dtype, variant) -> (inputs, params).
    param_sets: the non-reduction params to run the kink variant with ({} = defaults);
    each non-default set also gets a sample case."""
    def add(variant, tags, inputs, params=None):
        shape = next(iter(inputs.values())).shape  # all inputs share it in a valid case
        _add_reductions(cases, dtype, shape, variant, tags, inputs, params)

    for shape in SAMPLE_SHAPES:
        add("sample", ["sample", "2d"] if len(shape) == 2 else ["sample"], sample(rng, dtype, shape))
    for params in param_sets:
        if params:
            add("sample", ["sample"], sample(rng, dtype, (7,)), params)
        add("kink", ["kink"], kink(rng, dtype, params), params)
    add("empty", ["empty"], sample(rng, dtype, (0,)))
    for variant in SPECIAL_VARIANTS:
        add(variant, [variant], *special(rng, dtype, variant))


def _binary_sample(rng, dtype: str, shape, label_dtype: str | None = None) -> Arrays:
    return {"y": _labels(rng, shape, label_dtype or dtype), "z": _scores(rng, shape, dtype)}


def _binary_kink(rng, dtype: str, margins) -> Arrays:
    """Two elements per margin value placed exactly there (z = m*y, exact for y = ±1),
    among random ones."""
    y, z = _labels(rng, 8, dtype), _scores(rng, 8, dtype)
    for k, margin in enumerate(m for m in margins for _ in range(2)):
        z[k] = margin * y[k]
    y, z = _shuffle(rng, y, z)
    return {"y": y, "z": z}


def _binary_special(rng, dtype: str, variant: str) -> tuple[Arrays, None]:
    y = np.resize(np.array([1, -1], dtype), 8)  # see _special_values
    y, z = _shuffle(rng, y, _special_scores(rng, variant, dtype, 8))
    return {"y": y, "z": z}, None


def binary_cases(param_sets=({},), kink_margins=lambda params: (1.0,), param_faults=()):
    """The case generator of a binary margin suite. param_sets: as for
    _add_elementwise_variants; kink_margins(params): the margins where the loss has a
    kink with those params; param_faults: the suite's own (fault, params) error cases."""
    def build(cases: CaseList, rng: np.random.Generator) -> None:
        for dtype in DTYPES:
            _add_elementwise_variants(
                cases, rng, dtype, sample=_binary_sample, special=_binary_special, param_sets=param_sets,
                kink=lambda rng, dtype, params: _binary_kink(rng, dtype, kink_margins(params)))
            _add_reductions(cases, dtype, (7,), "int-labels", ["sample"], _binary_sample(rng, dtype, (7,), "int64"))

            y, z = _labels(rng, 7, dtype), _scores(rng, 7, dtype)
            _add_param_errors(cases, dtype, z.shape, {"y": y, "z": z}, param_faults)
            for fault, label in (("label-0.5", 0.5), ("label-nan", NAN), ("label-0", 0)):
                bad = y.astype("int64") if label == 0 else y.copy()  # 0/1 labels arrive as integers
                bad[3] = label
                _add_error(cases, dtype, z.shape, fault, "invalid_target", {"y": bad, "z": z})
            _add_error(cases, dtype, (6,), "shape-mismatch", "shape_mismatch", {"y": y, "z": z[:6]})
            _add_error(cases, dtype, z.shape, f"y-{_other_float(dtype)}", "invalid_dtype",
                       {"y": y.astype(_other_float(dtype)), "z": z})
        y = _labels(rng, 7, "int64")
        _add_error(cases, "int64", (7,), "z-int64", "invalid_dtype", {"y": y, "z": y.copy()})
    return build


_MARGIN_SETS = ({}, {"margin": 0.0}, {"margin": 0.5}, {"margin": -1.0})


def _ranking_inputs(pos: np.ndarray, neg: np.ndarray) -> Arrays:
    return {"pos_scores": pos, "neg_scores": neg}


def _ranking_sample(rng, dtype: str, shape) -> Arrays:
    return _ranking_inputs(_scores(rng, shape, dtype), _scores(rng, shape, dtype))


def _ranking_kink(rng, dtype: str, params: dict) -> Arrays:
    """Four pairs with v == 0 exactly: quarter-integer pos and neg = pos - margin keep
    (margin + neg) - pos exact. The other four are random."""
    pos, neg = _scores(rng, 8, dtype), _scores(rng, 8, dtype)
    pos[:4] = rng.integers(-8, 8, 4) / 4
    neg[:4] = pos[:4] - params.get("margin", 1.0)
    return _ranking_inputs(*_shuffle(rng, pos, neg))


def _ranking_special(rng, dtype: str, variant: str) -> tuple[Arrays, dict | None]:
    # neg is offset by one place, so special values meet ordinary ones and each other
    # (inf against inf gives NaN).
    pos = _special_scores(rng, variant, dtype, 8)
    neg = np.roll(_special_scores(rng, variant, dtype, 8), 1)
    # Margin 0 keeps v = neg - pos subnormal, so subnormal results get compared.
    return _ranking_inputs(*_shuffle(rng, pos, neg)), {"margin": 0.0} if variant == "subnormal" else None


def _ranking_build(cases: CaseList, rng: np.random.Generator) -> None:
    for dtype in DTYPES:
        _add_elementwise_variants(cases, rng, dtype, sample=_ranking_sample, kink=_ranking_kink,
                                  special=_ranking_special, param_sets=_MARGIN_SETS)
        pos, neg = _scores(rng, 7, dtype), _scores(rng, 7, dtype)
        _add_param_errors(cases, dtype, pos.shape, _ranking_inputs(pos, neg), (("margin-string", {"margin": "1"}),))
        _add_error(cases, dtype, pos.shape, "shape-mismatch", "shape_mismatch", _ranking_inputs(pos, neg[:6]))
        _add_error(cases, dtype, pos.shape, f"neg-{_other_float(dtype)}", "invalid_dtype",
                   _ranking_inputs(pos, neg.astype(_other_float(dtype))))
    ints = rng.integers(-3, 3, (2, 7))
    _add_error(cases, "int64", (7,), "scores-int64", "invalid_dtype", _ranking_inputs(*ints))


# --------------------------------------------------------------------------- multi-class cases

def _multiclass_sample(rng, dtype: str, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.integers(0, k, n), _scores(rng, (n, k), dtype)


def _multiclass_kink(rng, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows 0-1: z_y = w + 1, the crammer-singer kink (and a zero weston-watkins term).
    Rows 2-3: z_y = z_j + 1 for the lower wrong class j, a zero weston-watkins term while
    the crammer-singer loss is positive. Rows 4-5: random. Distinct quarter-integer scores
    keep z_j + 1 and (1 + z_j) - z_y exact."""
    n, k = 6, 3
    y = rng.integers(0, k, n)
    z = np.stack([rng.permutation(12)[:k] - 6 for _ in range(n)]) / 4
    for i in range(4):
        wrong = sorted((j for j in range(k) if j != y[i]), key=lambda j: z[i, j])
        z[i, y[i]] = z[i, wrong[-1] if i < 2 else wrong[0]] + 1
    z[4:] = exact.normal(rng, (n - 4, k)) * 2
    return _shuffle(rng, y, z.astype(dtype))


def _multiclass_ties(rng, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """Two (in the last row, all) best wrong scores equal; z_y sits 1, 0 or -0.5 away from
    the tie so the loss is positive and the first tied class must take crammer-singer's +1."""
    n, k = 5, 4
    y = rng.integers(0, k, n)
    z = rng.integers(-8, 0, (n, k)) / 4  # below every tie value
    for i in range(n):
        wrong = [j for j in range(k) if j != y[i]]
        tied = wrong if i == n - 1 else rng.choice(wrong, 2, replace=False)
        top = rng.integers(1, 8) / 4
        z[i, tied] = top
        z[i, y[i]] = top + (-1.0, 0.0, 0.5)[i % 3]
    return y, z.astype(dtype)


def _multiclass_nan(dtype: str) -> tuple[np.ndarray, np.ndarray]:
    return np.array([0, 1, 2, 0]), np.array([
        [0.5, NAN, 0.25],   # NaN among the wrong scores
        [0.5, NAN, 0.25],   # NaN true-class score
        [1.0, -0.5, 0.75],  # clean row
        [-2.0, 3.0, NAN],   # NaN next to a positive weston-watkins term
    ], dtype=dtype)


def _multiclass_inf(dtype: str) -> tuple[np.ndarray, np.ndarray]:
    return np.array([0, 1, 2, 0, 1]), np.array([
        [0.0, INF, 1.0],     # w = +inf: loss +inf with a finite gradient
        [2.0, INF, -INF],    # z_y = +inf: (1 + w) - inf = -inf, loss 0
        [INF, 1.0, INF],     # w = z_y = +inf: inf - inf = NaN
        [-INF, -INF, -INF],  # w = z_y = -inf: NaN
        [0.5, -INF, -INF],   # z_y = -inf: loss +inf, the other wrong score is -inf
    ], dtype=dtype)


def _multiclass_build(cases: CaseList, rng: np.random.Generator) -> None:
    for dtype in DTYPES:
        def add(variant, tags, y, z):
            _add_reductions(cases, dtype, z.shape, variant, tags, {"y": y, "z": z})

        for n, k in ((1, 2), (5, 3), (6, 4)):
            add("sample", ["sample"], *_multiclass_sample(rng, dtype, n, k))
        add("degenerate", ["sample"], np.zeros(3, np.int64), _scores(rng, (3, 1), dtype))  # K == 1
        add("kink", ["kink"], *_multiclass_kink(rng, dtype))
        add("tie", ["tie"], *_multiclass_ties(rng, dtype))
        add("empty", ["empty"], np.zeros(0, np.int64), np.zeros((0, 3), dtype))
        add("nan", ["nan"], *_multiclass_nan(dtype))
        add("inf", ["inf"], *_multiclass_inf(dtype))
        for variant in ("signed_zero", "subnormal", "large"):
            z = _special_scores(rng, variant, dtype, 12).reshape(4, 3)
            add(variant, [variant], *_shuffle(rng, rng.integers(0, 3, 4), z))

        y, z = _multiclass_sample(rng, dtype, 5, 3)
        _add_param_errors(cases, dtype, z.shape, {"y": y, "z": z})
        for fault, index in (("class-negative", -1), ("class-k", 3)):
            bad = y.copy()
            bad[2] = index
            _add_error(cases, dtype, z.shape, fault, "invalid_target", {"y": bad, "z": z})
        for fault, bad_y, bad_z in (("shape-mismatch", y[:4], z), ("y-2d", y.reshape(5, 1), z),
                                    ("z-1d", y[:3], z[:3, 0])):
            _add_error(cases, dtype, bad_z.shape, fault, "shape_mismatch", {"y": bad_y, "z": bad_z})
        _add_error(cases, dtype, z.shape, "y-float64", "invalid_dtype", {"y": y.astype("float64"), "z": z})
    y = rng.integers(0, 3, 5)
    _add_error(cases, "int64", (5, 3), "z-int64", "invalid_dtype", {"y": y, "z": rng.integers(-3, 3, (5, 3))})


# =========================================================================== registry

def _suite(name: str, compute, build) -> Suite:
    return Suite(name, compute, build, _TOLERANCE)


def _huber_kinks(params: dict) -> tuple[float, ...]:
    # d == 0 at m == 1, and d == delta at m == 1 - delta (with delta = 1: z = 0*y = ±0).
    return 1.0, 1.0 - params.get("delta", 1.0)


SUITES: dict[str, Suite] = {s.name: s for s in (
    _suite("math.hinge", hinge, binary_cases()),
    _suite("math.squared_hinge", squared_hinge, binary_cases()),
    _suite("math.softplus_hinge", softplus_hinge, binary_cases()),
    _suite("math.logistic", logistic, binary_cases()),
    _suite("math.huber_margin", huber_margin, binary_cases(
        param_sets=({}, {"delta": 0.5}, {"delta": 2.5}),
        kink_margins=_huber_kinks,
        param_faults=(("delta-0", {"delta": 0.0}), ("delta-negative", {"delta": -1.0}),
                      ("delta-string", {"delta": "1"})),
    )),
    _suite("math.ranking_hinge", ranking_hinge, _ranking_build),
    _suite("math.crammer_singer", crammer_singer, _multiclass_build),
    _suite("math.weston_watkins", weston_watkins, _multiclass_build),
)}
