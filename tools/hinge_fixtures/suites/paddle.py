"""The case builders of the paddle.nn.functional.* suites, and paddlepaddle 3.3.1 itself
(CPU, dynamic mode, imported in-process like torch). Their NumPy mirror, which states the
conventions, is hinge_fixtures/mirrors/paddle.py.

Expected values come from Paddle. Every case is computed by Paddle and by the mirror when
paddlepaddle 3.3.1 is importable (run the generator with an interpreter that has it), and
generation stops, naming the case, unless they agree within the case's tolerance or raise
errors of the same kind with the same message. Without Paddle the files cannot be written,
but `--check` works with the mirror alone.

A Paddle error message is recorded as its first line without the trailing source location
(`(at /paddle/...)`), the part that names the problem.
"""
from __future__ import annotations

import functools
import math
import re
import warnings

import numpy as np

from .. import exact
from ..contract import Framework, Suite, with_cases
from ..fixture import LIBM_TAG, Arrays, CaseList, LossError, case_id
from ..mirrors.paddle import (DISTANCES, PaddleCrashes, hinge_embedding_loss, mlm_crashes, margin_ranking_loss, multi_label_margin_loss,
                              multi_margin_loss, soft_margin_loss, triplet_margin_loss,
                              triplet_margin_with_distance_loss)

PADDLE_VERSION = "3.3.1"
NO_PADDLE_ENV = "HINGE_FIXTURES_NO_PADDLE"  # set (non-empty) to use the mirror alone even where Paddle is installed
NAN, INF = math.nan, math.inf


# =========================================================================== Paddle itself

@functools.cache
def _import_paddle():
    """(the paddle module, None) when paddlepaddle 3.3.1 is importable, else (None, why not)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import paddle
    except ImportError as e:
        return None, str(e)
    if paddle.__version__ != PADDLE_VERSION:
        return None, f"found paddlepaddle {paddle.__version__}"
    paddle.set_device("cpu")
    return paddle, None


def paddle_module():
    return _import_paddle()[0] if FRAMEWORK.available() else None


def _framework_versions() -> dict[str, str]:
    return {"paddlepaddle": paddle_module().__version__}


_ERROR_KINDS = (
    ("invalid_parameter", r"^'reduction' in|^The value of 'reduction'|^The margin between positive"
                          r"|^The positive distance or negative distance"),
    ("invalid_target", r"OP\(index_sample\) expected >= 0|^label values should be|The pointer p_index is nullptr"),
    ("invalid_dtype", r"Type promotion only support|holds the wrong type"),
    ("shape_mismatch", r"^list index out of range$|^\(OutOfRange\) The index is out of bounds|shape\[0\] should be equal|should be 2-D|must same with "
                       r"Inputs\(Index\)|^Expected 2D (input|label) tensor|Broadcast dimension mismatch"
                       r"|^input's shape must equal"),
)

FRAMEWORK = Framework("paddle", {"paddlepaddle": PADDLE_VERSION}, NO_PADDLE_ENV, label="Paddle",
                      requirement=f"paddlepaddle {PADDLE_VERSION} is", probe=lambda: _import_paddle()[1],
                      error_kinds=_ERROR_KINDS, versions_of=_framework_versions)


def paddle_message(e: Exception) -> str:
    """Paddle's message as recorded: its first line without ` (at /paddle/...)`."""
    first = str(e).strip().split("\n")[0].strip()
    return re.sub(r"\s*\(at /paddle/[^)]*\)$", "", first)


def _distance(paddle, name: str):
    p, epsilon = DISTANCES[name]
    return lambda x, y: paddle.nn.functional.pairwise_distance(x, y, p=p, epsilon=epsilon)


def run_paddle(function: str, differentiable: tuple[str, ...], params: dict, inputs: Arrays,
               context: dict | None = None) -> Arrays:
    """paddle.nn.functional.<function>(**inputs, **params) on CPU; `output` and the
    gradient of output.sum() (paddle.grad) for every float input named in
    `differentiable` (zeros where Paddle returns none)."""
    if function == "multi_label_margin_loss" and mlm_crashes(inputs):
        raise PaddleCrashes("Paddle 3.3.1 segfaults on multi_label_margin_loss with no input rows and a label with "
                            "targets; not called")
    paddle = paddle_module()
    tensors = {}
    for name, a in inputs.items():
        t = paddle.to_tensor(np.array(a))
        if name in differentiable and t.dtype in (paddle.float32, paddle.float64):
            t.stop_gradient = False
        tensors[name] = t
    kwargs = dict(params)
    if context and "distance_function" in context:
        kwargs["distance_function"] = _distance(paddle, context["distance_function"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(paddle.nn.functional, function)(**tensors, **kwargs)
            wrt = [n for n in differentiable if n in tensors and not tensors[n].stop_gradient]
            grads = (paddle.grad(out.sum(), [tensors[n] for n in wrt], allow_unused=True)
                     if wrt and not out.stop_gradient else [None] * len(wrt))
    except Exception as e:  # ValueError, TypeError, IndexError, ...
        message = paddle_message(e)
        raise LossError(FRAMEWORK.classify(message, e), message) from e
    outputs = {"output": np.array(out.numpy())}
    for name, g in zip(wrt, grads):
        outputs[f"grad_{name}"] = (np.zeros_like(inputs[name]) if g is None else np.array(g.numpy()))
    return outputs


# =========================================================================== cases

DTYPES = ("float32", "float64")
_OTHER = {"float32": "float64", "float64": "float32"}


class _Cases:
    def __init__(self, cases: CaseList):
        self.cases = cases

    def add(self, cid, tags, params, inputs, *, error=None, tolerance=None, context=None):
        self.cases.add(cid, list(tags), params, inputs, error=error, tolerance=tolerance, context=context)

    def reductions(self, dtype, shape, variant, tags, inputs, params=None, which=("none", "mean", "sum", "default"),
                   context=None, tolerance=None):
        for label in which:
            p = dict(params or {})
            if label != "default":
                p["reduction"] = label
            self.add(case_id(dtype, shape, variant, label), tags, p, inputs, context=context, tolerance=tolerance)

    def error(self, dtype, shape, fault, kind, inputs, params=None, context=None):
        params = params or {}
        self.add(case_id(dtype, shape, f"error-{fault}", str(params.get("reduction", "default"))), ["error"],
                 params, inputs, error=kind, context=context)


_scores, _grid, _pm1 = exact.scores, exact.grid, exact.signs


def _dt(dtype):
    return np.dtype(dtype).type


# --------------------------------------------------------------------------- multi_margin_loss

def _mm_build(add: _Cases, rng: np.random.Generator) -> None:
    def ins(x, y, w=None):
        return {"input": x, "label": np.asarray(y, np.int64), **({"weight": w} if w is not None else {})}

    for dtype in DTYPES:
        n, c = 4, 5
        for variant, params, weight, tags in (
                ("p1", {}, None, ["sample"]),
                ("p2", {"p": 2}, None, ["sample"]),
                ("p1-margin0.5", {"margin": 0.5}, None, ["sample"]),
                ("p1-weight", {}, "positive", ["sample", "weight"]),
                ("p2-margin0.5-weight", {"p": 2, "margin": 0.5}, "positive", ["sample", "weight"]),
                ("p2-weight-negative", {"p": 2}, "negative", ["sample", "weight"]),
                ("p3", {"p": 3}, None, ["sample", LIBM_TAG]),
                ("p1-margin0", {"margin": 0.0}, None, ["sample", "zero-margin"]),
                ("p1-margin-0.5", {"margin": -0.5}, None, ["sample", "negative-margin"]),
                ("p2-margin-0.5", {"p": 2, "margin": -0.5}, None, ["sample", "negative-margin"])):
            w = None
            if weight == "positive":
                w = exact.uniform(rng, 0.25, 2.0, c).astype(dtype)
            elif weight == "negative":
                w = exact.uniform(rng, -1.5, 1.5, c).astype(dtype)
                w[0] = -abs(w[0])
            add.reductions(dtype, (n, c), variant, tags, ins(_scores(rng, (n, c), dtype), rng.integers(0, c, n), w),
                           params)
        add.reductions(dtype, (64, 10), "p2-weight", ["reference", "weight"],
                       ins(_scores(rng, (64, 10), dtype), rng.integers(0, 10, 64),
                           exact.uniform(rng, 0.25, 2.0, 10).astype(dtype)), {"p": 2}, which=("none", "mean", "sum"))
        # kinks: margin - x[y] + x[i] == 0 exactly: clip passes the gradient there (p = 1)
        for variant, params, margin in (("p1-kink", {}, 1.0), ("p2-margin0.5-kink", {"p": 2, "margin": 0.5}, 0.5)):
            x = _grid(rng, (6, 4), dtype)
            y = rng.integers(0, 4, 6)
            for r in range(4):
                wrong = [i for i in range(4) if i != y[r]]
                for i in rng.choice(wrong, 1 + r % 2, replace=False):
                    x[r, i] = x[r, y[r]] - _dt(dtype)(margin)
            add.reductions(dtype, x.shape, variant, ["kink"], ins(x, y), params, which=("none", "sum"))
        add.reductions(dtype, (1, 3), "p1-kink-spec", ["kink"], ins(np.array([[1, 0, 2]], dtype), [2]), {},
                       which=("none",))
        # NaN propagates (a NaN in a wrong class, at the target, two in a row, a clean row)
        x = _grid(rng, (4, 4), dtype)
        x[0, 0], x[1, 1], x[2, 1], x[2, 3] = NAN, NAN, NAN, NAN
        for p in (1, 2):
            add.reductions(dtype, x.shape, f"p{p}-nan", ["nan"], ins(x, [3, 1, 0, 2]), {"p": p}, which=("none", "mean"))
        # inf: clip's max is the dtype's largest value, so +inf becomes it (gradient 0)
        x = _grid(rng, (4, 4), dtype)
        x[0, 1], x[1, 2], x[2, 0], x[3, 3] = INF, -INF, INF, -INF
        for p in (1, 2):
            add.reductions(dtype, x.shape, f"p{p}-inf", ["inf"], ins(x, [0, 0, 0, 3]), {"p": p}, which=("none", "sum"))
        add.reductions(dtype, (5, 1), "c1", ["c1"], ins(_scores(rng, (5, 1), dtype), [0] * 5), {"p": 2},
                       which=("none", "mean"))
        add.reductions(dtype, (3, 4), "label-3x1", ["scalar"], ins(_scores(rng, (3, 4), dtype), [[1], [3], [0]]),
                       {}, which=("none",))
        add.reductions(dtype, (0, 4), "empty", ["empty"], ins(np.zeros((0, 4), dtype), np.zeros(0, np.int64)),
                       which=("none", "mean", "sum"))
        # errors
        x, y = _scores(rng, (3, 4), dtype), rng.integers(0, 4, 3)
        for fault, bad in (("label-c", 4), ("label-negative", -1)):
            yy = y.copy()
            yy[1] = bad
            add.error(dtype, x.shape, fault, "invalid_target", ins(x, yy))
        add.error(dtype, x.shape, "reduction", "invalid_parameter", ins(x, y), {"reduction": "avg"})
        for fault, bad in (("weight-size", ins(x, y, np.ones(3, dtype))),
                           ("weight-1x4", ins(x, y, np.ones((1, 4), dtype))),
                           ("label-size", ins(x, np.append(y, 0))),
                           ("label-3x2", ins(x, np.stack([y, y], 1))),
                           ("label-0d", ins(x[0], np.int64(1))),
                           ("input-3d", ins(x.reshape(3, 2, 2), y))):
            add.error(dtype, bad["input"].shape, fault, "shape_mismatch", bad)
        add.error(dtype, x.shape, "label-float", "invalid_dtype", {"input": x, "label": y.astype(dtype)})
    add.error("int64", (3, 4), "input-int64", "invalid_dtype", ins(rng.integers(-3, 3, (3, 4)), rng.integers(0, 4, 3)))
    # pow's backward multiplies dout * p first, then x: no overflow in 2 * x (found by the fuzzer)
    add.reductions("float64", (3, 4), "p2-weight-huge", ["fuzz", "inf"],
                   ins(np.array([[1e308, -1e308, 0, 5e307], [0, 1.5e308, 1, 2], [-1, 0, 1, 1e308]]), [1, 0, 2],
                       np.array([0.5, 0.25, 1.5, 1.0])), {"p": 2}, which=("none", "sum"))
    for dtype in DTYPES:
        for n, c, p, weighted in ((37, 5, 1, False), (19, 9, 2, True)):
            x = _grid(rng, (n, c), dtype)
            w = exact.uniform(rng, -1.5, 1.5, c).astype(dtype) if weighted else None
            add.reductions(dtype, (n, c), f"p{p}-grid" + ("-weight" if weighted else ""), ["sample", "kink"],
                           ins(x, rng.integers(0, c, n), w), {"p": p}, which=("none", "mean"))


# --------------------------------------------------------------------------- multi_label_margin_loss

def ml_labels(rng, n: int, c: int) -> np.ndarray:
    """Rows of distinct labels (1..c-1 of them) padded with -1."""
    t = np.full((n, c), -1, np.int64)
    for i in range(n):
        k = int(rng.integers(1, c))
        t[i, :k] = rng.permutation(c)[:k]
    return t


def _ml_build(add: _Cases, rng: np.random.Generator) -> None:
    def ins(x, t):
        return {"input": x, "label": np.asarray(t, np.int64)}

    for dtype in DTYPES:
        for n, c in ((4, 5), (6, 3), (3, 11)):
            add.reductions(dtype, (n, c), "sample", ["sample"], ins(_scores(rng, (n, c), dtype), ml_labels(rng, n, c)))
        add.reductions(dtype, (32, 20), "reference", ["reference"],
                       ins(_scores(rng, (32, 20), dtype), ml_labels(rng, 32, 20)), which=("none", "mean"))
        # kinks: 1 - x[j] + x[i] == 0: maximum(m, 0) splits the tie, half the gradient
        x = _grid(rng, (4, 4), dtype)
        t = np.array([[0, -1, -1, -1], [1, 2, -1, -1], [3, -1, -1, -1], [2, 0, 1, -1]])
        for r, (j, i) in enumerate(((0, 1), (1, 0), (3, 2), (2, 3))):
            x[r, i] = x[r, j] - 1
        add.reductions(dtype, (4, 4), "kink", ["kink"], ins(x, t), which=("none", "sum"))
        add.reductions(dtype, (1, 4), "kink-all", ["kink"], ins(np.array([[1, 0, 0, 0]], dtype), [[0, -1, 2, 3]]),
                       which=("none",))
        # -1 padding mid-row (the rest ignored), duplicates (counted twice)
        x = _scores(rng, (3, 5), dtype)
        add.reductions(dtype, (3, 5), "padding-mid-row", ["padding"],
                       ins(x, [[1, -1, 3, 4, 0], [2, 0, -1, 1, 1], [4, 3, 2, 1, -1]]), which=("none", "mean"))
        add.reductions(dtype, (3, 5), "duplicates", ["duplicates"],
                       ins(x, [[1, 1, -1, -1, -1], [2, 0, 2, 0, -1], [3, 3, 3, 3, 3]]), which=("none", "sum"))
        add.reductions(dtype, (3, 5), "row-without-targets", ["padding"],
                       ins(x, [[-1, 1, 2, 3, 4], [0, -1, -1, -1, -1], [-1, -1, -1, -1, -1]]), which=("none",))
        # a label of fewer rows or columns than the input is accepted (missing rows: no targets)
        add.reductions(dtype, (3, 5), "label-2x5", ["shape"], ins(x, [[1, 2, -1, 0, 0], [0, -1, 0, 0, 0]]),
                       which=("none",))
        add.reductions(dtype, (3, 5), "label-3x2", ["shape"], ins(x, [[1, 2], [0, -1], [4, 3]]), which=("none",))
        # NaN propagates, inf
        x = _grid(rng, (4, 4), dtype)
        x[0, 3], x[1, 1], x[2, 0], x[3, 2] = NAN, INF, -INF, INF
        add.reductions(dtype, (4, 4), "nan-inf", ["nan", "inf"],
                       ins(x, [[0, 1, -1, -1], [1, -1, -1, -1], [2, 0, -1, -1], [1, -1, -1, -1]]),
                       which=("none", "mean"))
        add.reductions(dtype, (0, 4), "empty", ["empty"], ins(np.zeros((0, 4), dtype), np.zeros((0, 4), np.int64)),
                       which=("none", "mean", "sum"))
        # errors
        x, t = _scores(rng, (3, 4), dtype), ml_labels(rng, 3, 4)
        for fault, bad in (("label-c", 4), ("label-2", -2)):
            tt = t.copy()
            tt[1, 0] = bad
            add.error(dtype, (3, 4), fault, "invalid_target", ins(x, tt))
        add.error(dtype, (3, 4), "all-padding", "invalid_target", ins(x, np.full((3, 4), -1)))
        # found by the fuzzer: label rows past the input's are indexed only if they hold targets
        add.error(dtype, (1, 4), "label-2x4", "shape_mismatch", ins(x[:1], t[:2]))
        add.reductions(dtype, (1, 4), "label-2x4-padding", ["shape"], ins(x[:1], [t[0], [-1, 0, 1, 2]]),
                       which=("none",))
        add.error(dtype, (3, 4), "reduction", "invalid_parameter", ins(x, t), {"reduction": "avg"})
        add.error(dtype, (4,), "input-1d", "shape_mismatch", ins(x[0], t[0]))
        add.error(dtype, (3, 4), "label-1d", "shape_mismatch", ins(x, t[0]))
        add.error(dtype, (2, 0), "c0", "shape_mismatch", ins(np.zeros((2, 0), dtype), np.zeros((2, 0), np.int64)))


# --------------------------------------------------------------------------- hinge_embedding_loss

def _he_build(add: _Cases, rng: np.random.Generator) -> None:
    def ins(x, y):
        return {"input": x, "label": y}

    for dtype in DTYPES:
        for variant, params in (("sample", {}), ("margin2", {"margin": 2.0}), ("margin0", {"margin": 0.0}),
                                ("margin-1", {"margin": -1.0})):
            add.reductions(dtype, (4, 5), variant, ["sample"],
                           ins(_scores(rng, (4, 5), dtype, 2), _pm1(rng, (4, 5), dtype)), params)
        add.reductions(dtype, (200,), "reference", ["reference"],
                       ins(_scores(rng, 200, dtype, 2), _pm1(rng, 200, dtype)), which=("none", "mean", "sum"))
        # kink: margin - x == 0 (relu passes nothing there)
        add.reductions(dtype, (6,), "kink", ["kink"],
                       ins(np.array([1, 1, 0.5, 2, -1, 0], dtype), np.array([-1, 1, -1, -1, -1, -1], dtype)),
                       which=("none", "mean"))
        add.reductions(dtype, (4,), "margin2-kink", ["kink"],
                       ins(np.array([2, 2, 1, 3], dtype), np.array([-1, 1, -1, -1], dtype)), {"margin": 2},
                       which=("none",))
        # labels other than +-1 give 0 (torch takes both branches)
        add.reductions(dtype, (6,), "labels-0-2-0.5", ["labels"],
                       ins(_scores(rng, 6, dtype, 2), np.array([0, 2, 0.5, -2, 1, -1], dtype)), which=("none", "sum"))
        add.reductions(dtype, (5,), "label-int64", ["labels", "promotion"],
                       ins(_scores(rng, 5, dtype, 2), np.array([1, -1, 0, 1, -1], np.int64)), which=("none", "mean"))
        # == on floats is |a - b| < 1e-15: float64 labels a few ulp from +-1 count as +-1 (found by the fuzzer)
        near = np.array([1 + 2.0 ** -52, -1 - 2.0 ** -51, 1 - 2.0 ** -50, -1 + 2.0 ** -49, 1 + 2.0 ** -40, -1 - 2.0 ** -50])
        add.reductions(dtype, (6,), "label-near-1-float64", ["labels", "fuzz"],
                       ins(_scores(rng, 6, dtype, 2), near), which=("none", "sum"))
        add.reductions(dtype, (5,), f"label-{_OTHER[dtype]}", ["labels", "promotion"],
                       ins(_scores(rng, 5, dtype, 2), _pm1(rng, 5, _OTHER[dtype])), which=("none",))
        # NaN, inf: relu(NaN) = 0, so a NaN input with label -1 has loss 0
        add.reductions(dtype, (8,), "nan-inf", ["nan", "inf"],
                       ins(np.array([NAN, NAN, INF, -INF, INF, -INF, 1, 1], dtype),
                           np.array([1, -1, 1, 1, -1, -1, NAN, INF], dtype)), which=("none", "sum"))
        # broadcasting, 0-d (the result has shape [1]), empty
        add.reductions(dtype, (3, 4), "label-4", ["broadcast"],
                       ins(_grid(rng, (3, 4), dtype), _pm1(rng, 4, dtype)), which=("none", "mean"))
        add.reductions(dtype, (4, 1), "label-3", ["broadcast"],
                       ins(_grid(rng, (4, 1), dtype), np.array([1, -1, 0], dtype)), which=("none", "sum"))
        s = _dt(dtype)
        add.reductions(dtype, (), "0d", ["scalar"], ins(np.asarray(s(0.25)), np.asarray(s(-1))), which=("none", "mean"))
        add.reductions(dtype, (0,), "empty", ["empty"], ins(np.zeros(0, dtype), np.zeros(0, dtype)),
                       which=("none", "mean", "sum"))
        x, y = _scores(rng, 4, dtype), _pm1(rng, 4, dtype)
        add.error(dtype, (4,), "reduction", "invalid_parameter", ins(x, y), {"reduction": "avg"})
        add.error(dtype, (4,), "label-3", "shape_mismatch", ins(x, y[:3]))
        add.error(dtype, (2, 2), "label-3", "shape_mismatch", ins(x.reshape(2, 2), y[:3]))


# --------------------------------------------------------------------------- margin_ranking_loss

def _mr_build(add: _Cases, rng: np.random.Generator) -> None:
    def ins(a, b, y):
        return {"input": a, "other": b, "label": y}

    for dtype in DTYPES:
        for variant, params in (("default", {}), ("margin0.5", {"margin": 0.5}), ("margin-0.5", {"margin": -0.5}),
                                ("margin2", {"margin": 2})):
            add.reductions(dtype, (8,), variant, ["sample"],
                           ins(_scores(rng, 8, dtype), _scores(rng, 8, dtype), _pm1(rng, 8, dtype)), params)
        add.reductions(dtype, (300,), "reference", ["reference"],
                       ins(_scores(rng, 300, dtype), _scores(rng, 300, dtype), _pm1(rng, 300, dtype)),
                       {"margin": 0.25}, which=("none", "mean", "sum"))
        # kinks (u == 0: relu's gradient is 0) and labels other than +-1
        a = np.array([1, 2, 0.5, -1, 3, 0], dtype)
        b = np.array([1, 1.5, 1, -1, 2, 0], dtype)
        add.reductions(dtype, (6,), "kink", ["kink"], ins(a, b, np.array([1, 1, -1, -1, 0.5, 2], dtype)),
                       which=("none", "sum"))
        add.reductions(dtype, (6,), "margin0.5-kink", ["kink"], ins(a, b, np.array([1, 1, -1, -1, 1, 1], dtype)),
                       {"margin": 0.5}, which=("none",))
        add.reductions(dtype, (6,), "labels-0-2-0.5", ["labels"],
                       ins(_scores(rng, 6, dtype), _scores(rng, 6, dtype), np.array([0, 2, 0.5, -3, 1, -1], dtype)),
                       {"margin": 0.5}, which=("none", "mean"))
        # NaN: relu(NaN) = 0, but the label's gradient is 0 * NaN
        add.reductions(dtype, (6,), "nan-inf", ["nan", "inf"],
                       ins(np.array([NAN, 1, INF, 0, -INF, 1], dtype), np.array([0, NAN, 0, INF, 0, 1], dtype),
                           np.array([1, 1, -1, -1, 1, NAN], dtype)), {"margin": 0.5}, which=("none", "sum"))
        # broadcasting (no same-rank rule), 0-d (shape [1] when the margin is nonzero)
        add.reductions(dtype, (2, 3), "other-3-label-1", ["broadcast"],
                       ins(_grid(rng, (2, 3), dtype), _grid(rng, 3, dtype), _pm1(rng, 1, dtype)), {"margin": 0.5},
                       which=("none", "mean"))
        add.reductions(dtype, (4, 1), "label-1x3", ["broadcast"],
                       ins(_grid(rng, (4, 1), dtype), _grid(rng, (4, 1), dtype), _pm1(rng, (1, 3), dtype)),
                       which=("none", "sum"))
        s = _dt(dtype)
        for variant, params in (("0d", {}), ("0d-margin0.5", {"margin": 0.5})):
            add.reductions(dtype, (), variant, ["scalar"],
                           ins(np.asarray(s(1)), np.asarray(s(0.5)), np.asarray(s(-1))), params, which=("none",))
        add.reductions(dtype, (7,), f"other-{_OTHER[dtype]}", ["promotion"],
                       ins(_scores(rng, 7, dtype), _scores(rng, 7, _OTHER[dtype]), _pm1(rng, 7, dtype)),
                       {"margin": 0.5}, which=("none", "sum"))
        add.reductions(dtype, (0,), "empty", ["empty"], ins(*(np.zeros(0, dtype) for _ in range(3))),
                       which=("none", "mean", "sum"))
        x = _scores(rng, 4, dtype)
        add.error(dtype, (4,), "reduction", "invalid_parameter", ins(x, x, _pm1(rng, 4, dtype)), {"reduction": "avg"})
        add.error(dtype, (4,), "other-3", "shape_mismatch", ins(x, x[:3], _pm1(rng, 4, dtype)))
        add.error(dtype, (4,), "label-2", "shape_mismatch", ins(x, x, _pm1(rng, 2, dtype)))
        add.error(dtype, (4,), "label-int64", "invalid_dtype", ins(x, x, _pm1(rng, 4, "int64")))


# --------------------------------------------------------------------------- soft_margin_loss

def _sm_build(add: _Cases, rng: np.random.Generator) -> None:
    def ins(x, y):
        return {"input": x, "label": y}

    for dtype in DTYPES:
        for shape in ((4, 5), (9,)):
            add.reductions(dtype, shape, "sample", ["sample"], ins(_scores(rng, shape, dtype, 3), _pm1(rng, shape, dtype)))
        add.reductions(dtype, (300,), "reference", ["reference"],
                       ins(_scores(rng, 300, dtype, 3), _pm1(rng, 300, dtype)), which=("none", "mean", "sum"))
        # no log1p: a small exp(-y x) is lost in 1 + it; a large one overflows
        add.reductions(dtype, (10,), "extremes", ["extreme", "inf"],
                       ins(np.array([0, 1e-8, 17, 20, 40, 80, 100, 800, -20, -100], dtype), np.ones(10, dtype)),
                       which=("none", "sum"))
        add.reductions(dtype, (6,), "labels-0-2-0.5", ["labels"],
                       ins(_scores(rng, 6, dtype), np.array([0, 2, 0.5, -3, 1, -1], dtype)), which=("none", "mean"))
        # the packet exp's floor: exp(-y x) for huge y x is a subnormal in the whole packets and
        # 0 in the tail, and the label's gradient -(g_t x) shows it (found by the fuzzer)
        big = np.finfo(dtype).max
        huge = np.array([big, 1e30, 200, 1000, -big, 800, 750, 745, big, 1e30, 1000], dtype)
        add.reductions(dtype, (11,), "exp-floor", ["extreme", "fuzz"], ins(huge, np.ones(11, dtype) * np.array(
            [1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1], dtype)), which=("none", "mean"))
        add.reductions(dtype, (5,), "label-int64", ["labels", "promotion"],
                       ins(_scores(rng, 5, dtype), np.array([1, -1, 0, 1, -1], np.int64)), which=("none", "mean"))
        # the label is cast to the input's dtype: a float64 label's gradient is float32 arithmetic
        # cast back, so it carries float32's tolerance (found by the fuzzer)
        add.reductions(dtype, (5,), f"label-{_OTHER[dtype]}", ["labels", "promotion"],
                       ins(_scores(rng, 5, dtype), _scores(rng, 5, _OTHER[dtype])), which=("none",),
                       tolerance=TOLERANCE["float32"] if dtype == "float32" else None)
        add.reductions(dtype, (6,), "nan-inf", ["nan", "inf"],
                       ins(np.array([NAN, 1, INF, -INF, INF, 0], dtype), np.array([1, NAN, 1, 1, -1, INF], dtype)),
                       which=("none", "sum"))
        s = _dt(dtype)
        add.reductions(dtype, (), "0d", ["scalar"], ins(np.asarray(s(2)), np.asarray(s(-1))), which=("none", "mean"))
        add.reductions(dtype, (0,), "empty", ["empty"], ins(np.zeros(0, dtype), np.zeros(0, dtype)),
                       which=("none", "mean", "sum"))
        x, y = _scores(rng, 4, dtype), _pm1(rng, 4, dtype)
        add.error(dtype, (4,), "reduction", "invalid_parameter", ins(x, y), {"reduction": "avg"})
        add.error(dtype, (4,), "label-1", "shape_mismatch", ins(x, y[:1]))
        add.error(dtype, (2, 2), "label-4", "shape_mismatch", ins(x.reshape(2, 2), y))


# --------------------------------------------------------------------------- triplet losses

def _triplet_common(add: _Cases, rng: np.random.Generator, with_distance: bool) -> None:
    def ins(a, p, n):
        return {"input": a, "positive": p, "negative": n}

    def sample(shape, dtype):
        return ins(*(_scores(rng, shape, dtype) for _ in range(3)))

    if with_distance:
        variants = (("default", {}, None, ["sample"]),
                    ("swap", {"swap": True}, None, ["sample", "swap"]),
                    ("margin0.5", {"margin": 0.5}, None, ["sample"]),
                    ("margin0", {"margin": 0.0}, None, ["sample"]),
                    ("l1", {}, "pairwise_distance_p1", ["sample", "distance"]),
                    ("l1-swap-margin2", {"swap": True, "margin": 2.0}, "pairwise_distance_p1",
                     ["sample", "distance", "swap"]))
    else:
        variants = (("p2", {}, None, ["sample"]),
                    ("p1", {"p": 1}, None, ["sample"]),
                    ("p3", {"p": 3}, None, ["sample", LIBM_TAG]),
                    ("p1.5", {"p": 1.5}, None, ["sample", LIBM_TAG]),
                    ("p2-swap", {"swap": True}, None, ["sample", "swap"]),
                    ("p1-swap", {"p": 1, "swap": True}, None, ["sample", "swap"]),
                    ("p2-eps0", {"epsilon": 0.0}, None, ["sample"]),
                    ("p2-eps1e-3", {"epsilon": 1e-3}, None, ["sample"]),
                    ("p2-margin0", {"margin": 0.0}, None, ["sample"]),
                    ("p2-margin2", {"margin": 2}, None, ["sample"]))
    for dtype in DTYPES:
        for variant, params, distance, tags in variants:
            context = {"distance_function": distance} if distance else None
            add.reductions(dtype, (5, 4), variant, tags, sample((5, 4), dtype), params, context=context)
        add.reductions(dtype, (64, 8), "reference", ["reference"], sample((64, 8), dtype), {"swap": True},
                       which=("none", "mean", "sum"))
        # kinks with integer distances: clip passes the gradient at 0
        a = _grid(rng, (4, 2), dtype, -4, 4, 1)
        u = np.array([[3, 4], [0, 1], [1, 0], [0, 2]], dtype)
        v = np.array([[6, 0], [0, -2], [-2, 0], [3, 0]], dtype)
        v1 = np.array([[8, 0], [0, -2], [-2, 0], [2, 1]], dtype)
        if with_distance:
            add.reductions(dtype, (4, 2), "l1-kink", ["kink", "distance"], ins(a, a + u, a + v1), {},
                           which=("none", "sum"), context={"distance_function": "pairwise_distance_p1"})
        else:
            add.reductions(dtype, (4, 2), "p2-eps0-kink", ["kink"], ins(a, a + u, a + v), {"epsilon": 0.0},
                           which=("none", "sum"))
            add.reductions(dtype, (4, 2), "p1-eps0-kink", ["kink"], ins(a, a + u, a + v1), {"p": 1, "epsilon": 0.0},
                           which=("none", "sum"))
            # a == p with epsilon 0: the norm's backward is 0/0 = NaN for p = 2
            a2 = _scores(rng, (3, 4), dtype)
            same = ins(a2, a2.copy(), a2 + _scores(rng, (3, 4), dtype, 0.2))
            add.reductions(dtype, (3, 4), "p2-eps0-a-eq-p", ["kink", "nan"], same, {"epsilon": 0.0}, which=("none",))
            add.reductions(dtype, (3, 4), "p1-eps0-a-eq-p", ["kink"], same, {"p": 1, "epsilon": 0.0}, which=("none",))
            add.reductions(dtype, (3, 4), "p2-a-eq-p", ["kink"], same, {}, which=("none",))
        # swap ties d(a,n) == d(p,n): minimum's backward sends it to one side
        a = np.array([[0, 0], [1, 1]], dtype)
        p = np.array([[2, 0], [1, 3]], dtype)
        n = np.array([[1, 3], [3, 2]], dtype)
        tie_params = {"swap": True, "margin": 3}
        if with_distance:
            add.reductions(dtype, (2, 2), "l1-swap-tie", ["swap", "kink", "distance"], ins(a, p, n), tie_params,
                           which=("none", "sum"), context={"distance_function": "pairwise_distance_p1"})
        else:
            add.reductions(dtype, (2, 2), "p2-eps0-swap-tie", ["swap", "kink"], ins(a, p, n),
                           {**tie_params, "epsilon": 0.0}, which=("none", "sum"))
        # NaN and inf (triplet_margin_with_distance_loss rejects a NaN distance)
        ins_nan = sample((4, 3), dtype)
        ins_nan["input"][0, 1] = NAN
        ins_nan["negative"][1, 0] = NAN
        ins_nan["positive"][2, 2] = INF
        ins_nan["negative"][3, 1] = -INF
        ins_inf = sample((4, 3), dtype)
        ins_inf["positive"][2, 2] = INF
        ins_inf["negative"][3, 1] = -INF
        if with_distance:
            add.reductions(dtype, (4, 3), "inf", ["inf"], ins_inf, which=("none", "sum"))
            add.error(dtype, (4, 3), "nan-distance", "invalid_parameter", ins_nan)
        else:
            for variant, params in (("p2-nan-inf", {}), ("p1-swap-nan-inf", {"p": 1, "swap": True})):
                add.reductions(dtype, (4, 3), variant, ["nan", "inf"], ins_nan, params, which=("none", "sum"))
        # shapes: 1-D gives a 0-d result, 3-D a norm over the last axis, empty rows
        add.reductions(dtype, (4,), "1d", ["scalar"], sample(4, dtype), which=("none", "mean"))
        add.reductions(dtype, (3, 2, 2), "3d", ["shape"], sample((3, 2, 2), dtype), which=("none", "mean"))
        add.reductions(dtype, (0, 4), "empty", ["empty"], sample((0, 4), dtype), which=("none", "mean", "sum"))
        add.reductions(dtype, (2, 0), "empty-rows", ["empty"], sample((2, 0), dtype), which=("none",))
        # errors
        s = sample((3, 4), dtype)
        for fault, params in (("margin-1", {"margin": -1.0}), ("reduction", {"reduction": "avg"})):
            add.error(dtype, (3, 4), fault, "invalid_parameter", s, params)
        for fault, bad in (("positive-1x4", {**s, "positive": s["positive"][:1]}),
                           ("negative-3x5", {**s, "negative": _scores(rng, (3, 5), dtype)})):
            add.error(dtype, (3, 4), fault, "shape_mismatch", bad)


def _tr_build(add: _Cases, rng: np.random.Generator) -> None:
    _triplet_common(add, rng, with_distance=False)


def _twd_build(add: _Cases, rng: np.random.Generator) -> None:
    _triplet_common(add, rng, with_distance=True)


# =========================================================================== registry

# Every sum and mean, and the elementwise + - * / and selects, are modelled bit for bit:
# suites made of those alone are exact. Eigen's packet exp, log and pow (pow(x, 2.0)
# included: it is not x*x in the vector lanes) are within a few ulp of the correctly
# rounded values the mirror and the Swift port use, so suites with them carry a
# tolerance; the float32 bound covers a loss that cancels two norms (margin + d(a,p) -
# d(a,n)) and float64's the same for its ulp.
EXACT = {"float32": {"rtol": 0, "atol": 0}, "float64": {"rtol": 0, "atol": 0}}
TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}

_TRIPLET = ("input", "positive", "negative")
_LOSSES = {
    "multi_margin_loss": (multi_margin_loss, ("input",), _mm_build, TOLERANCE),
    "multi_label_margin_loss": (multi_label_margin_loss, ("input",), _ml_build, EXACT),
    "hinge_embedding_loss": (hinge_embedding_loss, ("input",), _he_build, EXACT),
    "margin_ranking_loss": (margin_ranking_loss, ("input", "other", "label"), _mr_build, EXACT),
    "soft_margin_loss": (soft_margin_loss, ("input", "label"), _sm_build, TOLERANCE),
    "triplet_margin_loss": (triplet_margin_loss, _TRIPLET, _tr_build, TOLERANCE),
    "triplet_margin_with_distance_loss": (triplet_margin_with_distance_loss, _TRIPLET, _twd_build, TOLERANCE),
}
MIRRORS = {f"paddle.nn.functional.{name}": mirror for name, (mirror, *_rest) in _LOSSES.items()}
DIFFERENTIABLE = {f"paddle.nn.functional.{name}": diff for name, (_m, diff, *_rest) in _LOSSES.items()}


def _suite(function: str) -> Suite:
    mirror, differentiable, build, tolerance = _LOSSES[function]
    return Suite(f"paddle.nn.functional.{function}", mirror, with_cases(_Cases, build), tolerance, FRAMEWORK,
                 run=functools.partial(run_paddle, function, differentiable))


SUITES: dict[str, Suite] = {s.name: s for s in map(_suite, _LOSSES)}
