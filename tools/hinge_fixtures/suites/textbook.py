"""The case builders of the math.* suites (textbook hinge-family losses). Their reference
is the NumPy mirror, hinge_fixtures/mirrors/textbook.py, which states the conventions."""
from __future__ import annotations

import math

import numpy as np

from .. import exact
from ..contract import Suite
from ..fixture import FLOAT_DTYPES, Arrays, CaseList, case_id
from ..mirrors.textbook import (crammer_singer, hinge, huber_margin, logistic, ranking_hinge, smooth_hinge,
                                softplus_hinge, squared_hinge, weston_watkins)

NAN, INF = math.nan, math.inf


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
    return exact.scores(rng, shape, dtype, 2.0)


_labels = exact.signs


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

def _suite(name: str, mirror, build) -> Suite:
    return Suite(name, mirror, build, _TOLERANCE)


def _huber_kinks(params: dict) -> tuple[float, ...]:
    # d == 0 at m == 1, and d == delta at m == 1 - delta (with delta = 1: z = 0*y = ±0).
    return 1.0, 1.0 - params.get("delta", 1.0)


SUITES: dict[str, Suite] = {s.name: s for s in (
    _suite("math.hinge", hinge, binary_cases()),
    _suite("math.squared_hinge", squared_hinge, binary_cases()),
    # the pieces meet at m = 0 and m = 1: both margins get exact cases
    _suite("math.smooth_hinge", smooth_hinge, binary_cases(kink_margins=lambda params: (0.0, 1.0))),
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
