"""The case builders of the torch.nn.functional.* suites, and torch 2.15.0 itself (CPU,
eager). Their NumPy mirror, which states the conventions, is hinge_fixtures/mirrors/torch.py.

Expected values come from torch itself. Every case is computed twice when torch 2.15.0
is importable: by torch (that is what the file records) and by the mirror, and the
generator stops, naming the case, unless the mirror's result lies within the case's
tolerance of torch's, or both raise errors of the same kind with the same message
(hinge_fixtures/contract.py, verify_mirror). Without torch the files cannot be written,
but `--check` still works: `compute` is then the mirror alone, which is why the mirror
must be exact where the tolerance is 0.
"""
from __future__ import annotations

import functools
import math
import warnings

import numpy as np

from .. import exact
from ..contract import Framework, Suite, with_cases
from ..fixture import LIBM_TAG, Arrays, CaseList, LossError, case_id
from ..mirrors.torch import (DISTANCE_FUNCTIONS, cosine_embedding_loss, distance_function, hinge_embedding_loss,
                             margin_ranking_loss, multi_margin_loss, multilabel_margin_loss, soft_margin_loss,
                             triplet_margin_loss, triplet_margin_with_distance_loss)

TORCH_VERSION = "2.15.0"
NO_TORCH_ENV = "HINGE_FIXTURES_NO_TORCH"  # set (non-empty) to use the mirror alone even where torch is installed
NAN, INF = math.nan, math.inf


# =========================================================================== torch itself

@functools.cache
def _import_torch():
    """(the torch module, None) when torch 2.15.0 is importable, else (None, why not)."""
    try:
        import torch
    except ImportError as e:
        return None, str(e)
    if torch.__version__.split("+")[0] != TORCH_VERSION:
        return None, f"found torch {torch.__version__}"
    torch.set_num_threads(1)
    return torch, None


def torch_module():
    """torch, when it is usable here (FRAMEWORK.available()), else None."""
    return _import_torch()[0] if FRAMEWORK.available() else None


def _framework_versions() -> dict[str, str]:
    """torch's version, and the CPU kernels it used: reductions (sums, norms) round in
    an order that depends on them, which is why those outputs carry a tolerance."""
    torch = torch_module()
    return {"torch": torch.__version__, "torch_cpu_capability": torch.backends.cpu.get_cpu_capability()}


# torch's messages, mapped to the format's error kinds. A message that matches none
# stops the generator: a new kind of error needs a look, not a guess.
_ERROR_KINDS = (
    ("invalid_target", r"^target out of range$|'target' is out of range$"),
    ("invalid_parameter", r"is not a valid value for reduction$|^only p == 1 and p == 2 supported$"
                          r"|^margin must be greater than 0, got "),
    ("invalid_dtype", r"^expected scalar type \w+ but found \w+$|\" not implemented for '\w+'$"
                      r"|could not infer output dtype|can't be cast to the desired output type"),
    ("shape_mismatch", r"^Expected non-empty vector or matrix|target tensor should be 1-D"
                       r"|^inconsistent (target|weight) size|^weight must be one-dimensional$"
                       r"|All input tensors should have same dimension|expected to have the same number of dimensions"
                       r"|^The size of tensor a \(\d+\) must match the size of tensor b"
                       r"|doesn't match the broadcast shape"
                       r"|^0D or 1D target tensor expected|^[01]D target tensor expects [12]D input tensors"),
)


FRAMEWORK = Framework("torch", {"torch": TORCH_VERSION}, NO_TORCH_ENV, requirement=f"torch {TORCH_VERSION} is",
                      probe=lambda: _import_torch()[1], error_kinds=_ERROR_KINDS, versions_of=_framework_versions)


def classify_torch_error(e: Exception) -> str:
    return FRAMEWORK.classify(str(e), e)


def run_torch(function: str, differentiable: tuple[str, ...], params: dict, inputs: Arrays) -> Arrays:
    """torch.nn.functional.<function>(**inputs, **params) on CPU; returns `output` and the
    gradient of output.sum() for every floating-point input named in `differentiable`
    (zeros where autograd leaves it None). A torch error becomes a LossError carrying
    torch's own message."""
    torch = torch_module()
    if "distance_function" in params:  # a name (fixtures cannot hold a callable): the function it names
        params = dict(params)
        if params["distance_function"] is not None:
            distance_function(params)  # an unknown name stops the generator
            p, eps = DISTANCE_FUNCTIONS[params["distance_function"]]
            params["distance_function"] = functools.partial(torch.nn.functional.pairwise_distance, p=p, eps=eps)
    tensors = {}
    for name, a in inputs.items():
        t = torch.from_numpy(np.array(a))  # a copy: torch must not share the case's arrays
        if name in differentiable and t.is_floating_point():
            t.requires_grad_(True)
        tensors[name] = t
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(torch.nn.functional, function)(**tensors, **params)
            if out.requires_grad:
                out.sum().backward()
    except Exception as e:  # torch raises RuntimeError, ValueError, NotImplementedError, ...
        raise LossError(classify_torch_error(e), str(e)) from e
    outputs = {"output": out.detach().numpy().copy()}
    for name in differentiable:
        t = tensors.get(name)
        if t is not None and t.requires_grad:
            outputs[f"grad_{name}"] = (t.grad if t.grad is not None else torch.zeros_like(t)).numpy().copy()
    return outputs


# =========================================================================== cases

class _Cases:
    """Adds cases to a CaseList (which, with torch present, checks each against the mirror)."""

    def __init__(self, cases: CaseList):
        self.cases = cases

    def add(self, cid: str, tags, params: dict, inputs: Arrays, *, error: str | None = None,
            tolerance: dict | None = None) -> None:
        self.cases.add(cid, tags, params, inputs, error=error, tolerance=tolerance)

    def reductions(self, dtype: str, shape, variant: str, tags, inputs: Arrays, params: dict | None = None,
                   which=("none", "mean", "sum", "default"), tolerance: dict | None = None) -> None:
        """One case per reduction choice on the same inputs; "default" omits the param."""
        for label in which:
            p = dict(params or {})
            if label != "default":
                p["reduction"] = label
            self.add(case_id(dtype, shape, variant, label), tags, p, inputs, tolerance=tolerance)

    def error(self, dtype: str, shape, fault: str, kind: str, inputs: Arrays, params: dict | None = None) -> None:
        params = params or {}
        self.add(case_id(dtype, shape, f"error-{fault}", str(params.get("reduction", "default"))),
                 ["error"], params, inputs, error=kind)


DTYPES = ("float32", "float64")
_OTHER = {"float32": "float64", "float64": "float32"}


_scores, _grid, _labels = exact.scores, exact.grid, exact.signs


def dtype_type(dtype: str):
    return np.dtype(dtype).type


# --------------------------------------------------------------------------- multi_margin_loss

def _mm_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(x, y, w=None):
        return {"input": x, "target": np.asarray(y, np.int64), **({"weight": w} if w is not None else {})}

    for dtype in DTYPES:
        n, c = 4, 5
        for variant, params, weight, tags in (
                ("p1", {}, None, ["sample"]),
                ("p2", {"p": 2}, None, ["sample"]),
                ("p2.0", {"p": 2.0}, None, ["sample"]),
                ("p1-margin0.5", {"p": 1, "margin": 0.5}, None, ["sample"]),
                ("p1-weight", {"p": 1}, "positive", ["sample", "weight"]),
                ("p2-margin0.5-weight", {"p": 2, "margin": 0.5}, "positive", ["sample", "weight"]),
                ("p1-margin0", {"margin": 0.0}, None, ["sample", "zero-margin"]),
                ("p2-margin-0.5", {"p": 2, "margin": -0.5}, None, ["sample", "negative-margin"]),
                ("p1-margin2", {"margin": 2}, None, ["sample"]),  # an integer margin
                ("p2-weight-negative", {"p": 2}, "negative", ["sample", "weight"])):
            w = None
            if weight == "positive":
                w = exact.uniform(rng, 0.25, 2.0, c).astype(dtype)
            elif weight == "negative":
                w = exact.uniform(rng, -1.5, 1.5, c).astype(dtype)
                w[0] = -abs(w[0])
            add.reductions(dtype, (n, c), variant, tags,
                           inputs(_scores(rng, (n, c), dtype), rng.integers(0, c, n), w), params)
        # reference: a larger batch
        add.reductions(dtype, (64, 10), "p2-weight", ["reference", "weight"],
                       inputs(_scores(rng, (64, 10), dtype), rng.integers(0, 10, 64),
                              exact.uniform(rng, 0.25, 2.0, 10).astype(dtype)), {"p": 2}, which=("none", "mean", "sum"))
        add.reductions(dtype, (64, 10), "p1", ["reference"],
                       inputs(_scores(rng, (64, 10), dtype), rng.integers(0, 10, 64)), {"p": 1},
                       which=("mean", "sum"))
        # kinks: z = (margin - x[y]) + x[i] == 0 exactly for one or two wrong classes per row
        for variant, params, margin in (("p1-kink", {}, 1.0), ("p2-margin0.5-kink", {"p": 2, "margin": 0.5}, 0.5)):
            x = _grid(rng, (6, 4), dtype)
            y = rng.integers(0, 4, 6)
            for r in range(4):
                wrong = [i for i in range(4) if i != y[r]]
                for i in rng.choice(wrong, 1 + r % 2, replace=False):
                    x[r, i] = x[r, y[r]] - dtype_type(dtype)(margin)
            add.reductions(dtype, x.shape, variant, ["kink"], inputs(x, y), params, which=("none", "sum"))
        # the spec's kink example (torch.md §1 example 4)
        add.reductions(dtype, (1, 3), "p1-kink-spec", ["kink"], inputs(np.array([[1, 0, 2]], dtype), [2]),
                       {}, which=("sum",))
        # NaN: in a wrong class (dropped), at the target (loss 0), two in a row, a clean row
        x = _grid(rng, (4, 4), dtype)
        y = np.array([3, 1, 0, 2])
        x[0, 0], x[1, 1], x[2, 1], x[2, 3] = NAN, NAN, NAN, NAN
        for p in (1, 2):
            add.reductions(dtype, x.shape, f"p{p}-nan", ["nan"], inputs(x, y), {"p": p}, which=("none", "mean"))
        # inf: +inf / -inf in a wrong class, +inf / -inf at the target
        x = _grid(rng, (4, 4), dtype)
        x[0, 1], x[1, 2], x[2, 0], x[3, 3] = INF, -INF, INF, -INF
        y = np.array([0, 0, 0, 3])
        for p in (1, 2):
            add.reductions(dtype, x.shape, f"p{p}-inf", ["inf"], inputs(x, y), {"p": p}, which=("none", "sum"))
        # scalar shapes
        x1 = _scores(rng, 4, dtype)
        add.reductions(dtype, (4,), "target-0d", ["scalar"], inputs(x1, np.int64(2)), {"margin": 0.5},
                       which=("none", "mean", "sum"))
        add.reductions(dtype, (4,), "target-1", ["scalar"], inputs(x1, [2]), {"p": 2}, which=("none", "sum"))
        add.reductions(dtype, (1, 4), "target-0d", ["scalar"], inputs(x1.reshape(1, 4), np.int64(1)), {},
                       which=("none",))
        add.reductions(dtype, (), "target-0d", ["scalar", "c1"], inputs(np.asarray(dtype_type(dtype)(0.5)),
                                                                        np.int64(0)), {}, which=("none", "mean"))
        add.reductions(dtype, (), "target-1", ["scalar", "c1"], inputs(np.asarray(dtype_type(dtype)(-1.5)), [0]),
                       {}, which=("none",))
        # C = 1: loss 0
        add.reductions(dtype, (3, 1), "c1", ["c1"], inputs(_scores(rng, (3, 1), dtype), [0, 0, 0]),
                       {"p": 2}, which=("none", "mean"))
        # empty batch: only 'none' is defined
        add.reductions(dtype, (0, 4), "empty", ["empty"], inputs(np.zeros((0, 4), dtype), np.zeros(0, np.int64)),
                       {}, which=("none",))
        add.reductions(dtype, (0, 4), "empty-weight", ["empty", "weight"],
                       inputs(np.zeros((0, 4), dtype), np.zeros(0, np.int64), np.ones(4, dtype)), {"p": 2},
                       which=("none",))
        # errors
        x, y = _scores(rng, (3, 4), dtype), rng.integers(0, 4, 3)
        for fault, bad in (("target-c", 4), ("target-negative", -1)):
            yy = y.copy()
            yy[1] = bad
            add.error(dtype, x.shape, fault, "invalid_target", inputs(x, yy))
        for fault, params in (("p3", {"p": 3}), ("p1.5", {"p": 1.5}), ("reduction", {"reduction": "avg"})):
            add.error(dtype, x.shape, fault, "invalid_parameter", inputs(x, y), params)
        for fault, ins in (("weight-2d", inputs(x, y, np.ones((1, 4), dtype))),
                           ("weight-size", inputs(x, y, np.ones(3, dtype))),
                           ("target-size", inputs(x, np.append(y, 0))),
                           ("target-2d", inputs(x, y.reshape(3, 1))),
                           ("input-3d", inputs(x.reshape(3, 2, 2), y)),
                           ("c0", inputs(np.zeros((3, 0), dtype), y))):
            add.error(dtype, ins["input"].shape, fault, "shape_mismatch", ins)
        for fault, ins in (("target-float", {"input": x, "target": y.astype(dtype)}),
                           (f"weight-{_OTHER[dtype]}", inputs(x, y, np.ones(4, _OTHER[dtype])))):
            add.error(dtype, x.shape, fault, "invalid_dtype", ins)
    add.error("int64", (3, 4), "input-int64", "invalid_dtype",
              inputs(rng.integers(-3, 3, (3, 4)), rng.integers(0, 4, 3)))
    # Batches that fill the Swift kernel's 8-row SIMD blocks and leave a tail, with
    # NaN/inf scores, exact kinks (grid values) and weights of both signs.
    for dtype in DTYPES:
        for n, c, p, weighted in ((37, 5, 1, False), (37, 5, 2, True), (19, 3, 1, True), (16, 9, 2, False)):
            x = _grid(rng, (n, c), dtype)
            x.ravel()[rng.choice(n * c, 4, replace=False)] = [NAN, INF, -INF, NAN]
            w = exact.uniform(rng, -1.5, 1.5, c).astype(dtype) if weighted else None
            add.reductions(dtype, (n, c), f"p{p}-blocks" + ("-weight" if weighted else ""), ["sample", "kink", "nan"],
                           inputs(x, rng.integers(0, c, n), w), {"p": p}, which=("none", "sum"))


# --------------------------------------------------------------------------- multilabel_margin_loss

def ml_targets(rng, n: int, c: int) -> np.ndarray:
    """Rows of distinct labels (1..c-1 of them) padded with -1."""
    t = np.full((n, c), -1, np.int64)
    for i in range(n):
        k = int(rng.integers(1, c))
        t[i, :k] = rng.permutation(c)[:k]
    return t


def _ml_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(x, t):
        return {"input": x, "target": np.asarray(t, np.int64)}

    for dtype in DTYPES:
        for n, c in ((4, 5), (6, 3)):
            add.reductions(dtype, (n, c), "sample", ["sample"], inputs(_scores(rng, (n, c), dtype),
                                                                       ml_targets(rng, n, c)))
        # torch.md §5 examples 1-2 (the trailing 1 after -1 is ignored)
        x = np.array([[.1, .2, .4, .8], [.9, -.3, .2, 0]], dtype)
        t = [[3, 0, -1, 1], [1, 2, -1, 0]]
        add.reductions(dtype, (2, 4), "spec", ["sample"], inputs(x, t), which=("none", "mean", "sum"))
        add.reductions(dtype, (64, 10), "reference", ["reference"],
                       inputs(_scores(rng, (64, 10), dtype), ml_targets(rng, 64, 10)), which=("none", "mean", "sum"))
        # kinks: z = (1 - x[j]) + x[i] == 0 for a non-target i
        x = _grid(rng, (5, 4), dtype)
        t = ml_targets(rng, 5, 4)
        for r in range(4):
            labels = [int(v) for v in t[r] if v >= 0]
            others = [i for i in range(4) if i not in labels]
            x[r, others[0]] = x[r, labels[-1]] - 1
        add.reductions(dtype, x.shape, "kink", ["kink"], inputs(x, t), which=("none", "sum"))
        add.reductions(dtype, (1, 3), "kink-spec", ["kink"], inputs(np.array([[1, 0, .5]], dtype), [[0, -1, 2]]),
                       which=("sum",))
        # special target rows: duplicates, entries after the first -1, all classes, leading -1
        x = _scores(rng, (5, 4), dtype)
        t = [[3, 3, -1, 0], [1, 1, 1, 2], [2, -1, 0, 3], [0, 1, 2, 3], [-1, 2, 1, 0]]
        add.reductions(dtype, x.shape, "duplicates-after-all-leading", ["duplicate"], inputs(x, t),
                       which=("none", "mean", "sum", "default"))
        # NaN and inf scores
        x = _grid(rng, (4, 4), dtype)
        t = [[0, -1, -1, -1], [1, 2, -1, -1], [3, -1, -1, -1], [2, 0, -1, -1]]
        xn = x.copy()
        xn[0, 2], xn[1, 1], xn[3, 3] = NAN, NAN, NAN  # a non-target, a target, a non-target
        add.reductions(dtype, x.shape, "nan", ["nan"], inputs(xn, t), which=("none", "sum"))
        xi = x.copy()
        xi[0, 2], xi[1, 1], xi[2, 0], xi[3, 2] = INF, -INF, -INF, INF
        add.reductions(dtype, x.shape, "inf", ["inf"], inputs(xi, t), which=("none", "sum"))
        # scalar shapes: 1-D input (0-d output even for 'none'), 0-d input, C = 1
        x1 = _scores(rng, 5, dtype)
        add.reductions(dtype, (5,), "1d", ["scalar"], inputs(x1, [4, 0, -1, 2, 2]), which=("none", "mean", "sum"))
        add.reductions(dtype, (1,), "target-0d", ["scalar", "c1"], inputs(x1[:1], np.int64(0)), which=("none",))
        add.reductions(dtype, (), "target-0d", ["scalar", "c1"], inputs(np.asarray(x1[1]), np.int64(0)),
                       which=("none", "sum"))
        add.reductions(dtype, (), "target-1", ["scalar", "c1"], inputs(np.asarray(x1[2]), [-1]), which=("none",))
        add.reductions(dtype, (3, 1), "c1", ["c1"], inputs(_scores(rng, (3, 1), dtype), [[0], [-1], [0]]),
                       which=("none", "mean"))
        add.reductions(dtype, (0, 4), "empty", ["empty"], inputs(np.zeros((0, 4), dtype), np.zeros((0, 4))),
                       which=("none",))
        # errors
        x, t = _scores(rng, (3, 4), dtype), ml_targets(rng, 3, 4)
        for fault, row, col, value in (("target-c", 1, 0, 4), ("target-minus2", 0, 0, -2),
                                       ("target-c-after-pad", 2, 3, 4)):
            tt = t.copy()
            tt[row, col] = value
            if fault == "target-c-after-pad":
                tt[row, 1] = -1
            add.error(dtype, x.shape, fault, "invalid_target", inputs(x, tt))
        add.error(dtype, x.shape, "reduction", "invalid_parameter", inputs(x, t), {"reduction": "avg"})
        for fault, ins in (("target-size", inputs(x, t[:, :3])),
                           ("target-1d", inputs(x[:1], t[0])),
                           ("target-2d-for-1d", inputs(x[0], t[:1])),
                           ("input-3d", inputs(x.reshape(3, 2, 2), t.reshape(3, 2, 2))),
                           ("c0", inputs(np.zeros((3, 0), dtype), np.zeros((3, 0))))):
            add.error(dtype, ins["input"].shape, fault, "shape_mismatch", ins)
        add.error(dtype, x.shape, "target-float", "invalid_dtype", {"input": x, "target": t.astype(dtype)})
    add.error("int64", (3, 4), "input-int64", "invalid_dtype",
              inputs(rng.integers(-3, 3, (3, 4)), ml_targets(rng, 3, 4)))
    # Padding mid-row and duplicate labels together, at exact kinks (issue 15): only
    # the prefix before the first -1 counts, a duplicate counts twice (its kink term
    # twice too), and a label after the -1 that repeats a prefix label is ignored while
    # one that does not is a non-target class like any other.
    for dtype in DTYPES:
        x = _grid(rng, (5, 4), dtype)
        t = np.array([[1, -1, 1, 0], [2, 2, -1, 3], [0, 3, 0, -1], [3, -1, -1, 2], [1, 1, 1, 1]])
        x[0, 2] = x[0, 1] - 1   # non-target 2 at the kink of label 1
        x[1, 0] = x[1, 2] - 1   # non-target 0 at the kink of the duplicated label 2
        x[2, 1] = x[2, 0] + 1   # label 3 equals the duplicated label 0 plus the margin
        x[3, 2] = x[3, 3] - 1   # 2 comes after the -1: a non-target, at the kink of label 3
        add.reductions(dtype, x.shape, "pad-mid-row-duplicates-kink", ["duplicate", "kink"], inputs(x, t),
                       which=("none", "mean", "sum"))
        x1 = _grid(rng, 6, dtype)
        add.reductions(dtype, (6,), "1d-pad-mid-row-duplicates", ["duplicate", "scalar"],
                       inputs(x1, [5, 5, 0, -1, 5, 3]), which=("none", "sum"))


# --------------------------------------------------------------------------- hinge_embedding_loss

def _he_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(x, y):
        return {"input": x, "target": y}

    for dtype in DTYPES:
        for variant, params, tags in (("margin-default", {}, ["sample"]),
                                      ("margin0.5", {"margin": 0.5}, ["sample"]),
                                      ("margin2", {"margin": 2}, ["sample"]),  # an integer margin
                                      ("margin0", {"margin": 0.0}, ["sample", "zero-margin"]),
                                      ("margin-0.5", {"margin": -0.5}, ["sample", "negative-margin"])):
            add.reductions(dtype, (7,), variant, tags,
                           inputs(_scores(rng, 7, dtype, 1.5), _labels(rng, 7, dtype)), params)
        add.reductions(dtype, (3, 4), "margin-default", ["sample"],
                       inputs(_scores(rng, (3, 4), dtype, 1.5), _labels(rng, (3, 4), dtype)))
        add.reductions(dtype, (64,), "reference", ["reference"],
                       inputs(np.abs(_scores(rng, 64, dtype, 1.5)), _labels(rng, 64, dtype)),
                       which=("none", "mean", "sum"))
        # kinks: x == margin with y = -1 (gradient 0 in torch 2.15)
        for variant, params, margin in (("margin-default-kink", {}, 1.0), ("margin0.5-kink", {"margin": 0.5}, 0.5),
                                        ("margin2-kink", {"margin": 2}, 2.0)):
            x, y = _grid(rng, 8, dtype), _labels(rng, 8, dtype)
            x[:3], y[:3] = margin, -1
            perm = rng.permutation(8)
            add.reductions(dtype, (8,), variant, ["kink"], inputs(x[perm], y[perm]), params, which=("none", "sum"))
        add.reductions(dtype, (6,), "spec", ["kink"],
                       inputs(np.array([.3, -.5, 1, 2, .5, 1], dtype), np.array([1, -1, -1, -1, 1, 1], dtype)),
                       which=("none", "mean"))
        # targets other than +-1 take both branches
        x = _scores(rng, 8, dtype, 1.5)
        y = np.array([0, 2, 0.5, -2, 1, -1, 0, 2], dtype)
        add.reductions(dtype, (8,), "targets-0-2-0.5", ["sample"], inputs(x, y), which=("none", "mean"))
        add.reductions(dtype, (7,), "target-int64", ["sample"],
                       inputs(_scores(rng, 7, dtype, 1.5), _labels(rng, 7, "int64")), which=("none", "sum"))
        add.reductions(dtype, (7,), f"target-{_OTHER[dtype]}", ["promotion"],
                       inputs(_scores(rng, 7, dtype, 1.5), _labels(rng, 7, _OTHER[dtype])), which=("none", "mean"))
        # broadcasting
        add.reductions(dtype, (2, 2), "target-2", ["broadcast"],
                       inputs(_scores(rng, (2, 2), dtype, 1.5), np.array([1, -1], dtype)), which=("none", "mean"))
        add.reductions(dtype, (1,), "target-2x2", ["broadcast"],
                       inputs(np.array([.3], dtype), np.array([[1, -1], [-1, -1]], dtype)),
                       which=("none", "mean", "sum"))
        # NaN and inf inputs against each kind of target
        y = np.array([1, -1, 0, 1, -1, 0], dtype)
        add.reductions(dtype, (6,), "nan", ["nan"],
                       inputs(np.array([NAN, NAN, NAN, .5, .5, .5], dtype), y), which=("none", "mean"))
        add.reductions(dtype, (6,), "inf", ["inf"],
                       inputs(np.array([INF, INF, INF, -INF, -INF, -INF], dtype), y), which=("none", "sum"))
        add.reductions(dtype, (), "0d", ["scalar"], inputs(np.asarray(dtype_type(dtype)(0.25)),
                                                           np.asarray(dtype_type(dtype)(-1))), which=("none", "mean"))
        add.reductions(dtype, (0,), "empty", ["empty"], inputs(np.zeros(0, dtype), np.zeros(0, dtype)),
                       which=("none", "mean", "sum"))
        # errors
        x, y = _scores(rng, 7, dtype), _labels(rng, 7, dtype)
        add.error(dtype, x.shape, "reduction", "invalid_parameter", inputs(x, y), {"reduction": "avg"})
        add.error(dtype, x.shape, "target-size", "shape_mismatch", inputs(x, y[:6]))
        add.error(dtype, (2, 3), "target-2", "shape_mismatch", inputs(x[:6].reshape(2, 3), y[:2]))
    add.error("int64", (7,), "input-int64", "invalid_dtype",
              inputs(rng.integers(-3, 3, 7), _labels(rng, 7, "float32")), {"reduction": "mean"})
    # Found by the fuzzer: torch.mean rounds the float32 sum (inf past FLT_MAX) before
    # dividing by the count.
    big = np.array([3e38, 2e38, 1e38, .5], "float32")
    add.reductions("float32", (4,), "sum-overflow", ["fuzz", "inf"], inputs(big, np.ones(4, "float32")),
                   which=("mean", "sum"))
    # torch.sum's cascade order decides which of +-DBL_MAX cancel (found by the fuzzer),
    # and, on long inputs of wide dynamic range, every last bit of the sum
    mx = np.finfo("float64").max
    add.reductions("float64", (7,), "max-cancelling", ["fuzz", "inf"],
                   inputs(np.array([-mx, -1.5, .5, 2.75, -mx, -3.25, -2.25]),
                          np.array([1, -1, -1, -1, -1, 1, -1], "float64")),
                   {"margin": 0.5}, which=("mean", "sum"))
    for dtype, n, which in (("float32", 9000, ("sum",)), ("float64", 4500, ("mean",))):
        x = exact.wide(rng, n, -17, 17).astype(dtype)  # |x| from 2**-17 to 2**18, as exp(+-12) spans
        add.reductions(dtype, (n,), "cascade-sum", ["reference"], inputs(x, _labels(rng, n, dtype)), which=which,
                       tolerance={"rtol": 0, "atol": 0})


# --------------------------------------------------------------------------- margin_ranking_loss

def _mr_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(x1, x2, y):
        return {"input1": x1, "input2": x2, "target": y}

    def sample(shape, dtype, target_dtype=None):
        return inputs(_scores(rng, shape, dtype), _scores(rng, shape, dtype),
                      _labels(rng, shape, target_dtype or dtype))

    for dtype in DTYPES:
        for variant, params, tags in (("margin-default", {}, ["sample"]),
                                      ("margin0.5", {"margin": 0.5}, ["sample"]),
                                      ("margin1", {"margin": 1}, ["sample"]),  # an integer margin
                                      ("margin0", {"margin": 0.0}, ["sample", "zero-margin"]),
                                      ("margin-0.5", {"margin": -0.5}, ["sample", "negative-margin"])):
            add.reductions(dtype, (7,), variant, tags, sample(7, dtype), params)
        add.reductions(dtype, (3, 4), "margin0.5", ["sample"], sample((3, 4), dtype), {"margin": 0.5},
                       which=("none", "mean"))
        add.reductions(dtype, (64,), "reference", ["reference"], sample(64, dtype), {"margin": 0.5},
                       which=("none", "mean", "sum"))
        # kinks: -y*(x1 - x2) + margin == 0, i.e. x2 = x1 - y*margin, exact on the grid
        for variant, params, margin in (("margin-default-kink", {}, 0.0), ("margin0.5-kink", {"margin": 0.5}, 0.5),
                                        ("margin1-kink", {"margin": 1}, 1.0)):
            x1, x2, y = _grid(rng, 8, dtype), _grid(rng, 8, dtype), _labels(rng, 8, dtype)
            x2[:4] = x1[:4] - y[:4] * margin
            perm = rng.permutation(8)
            add.reductions(dtype, (8,), variant, ["kink"], inputs(x1[perm], x2[perm], y[perm]), params,
                           which=("none", "sum"))
        # torch.md §3 example 3 (a kink in element 3)
        add.reductions(dtype, (4,), "spec", ["kink"],
                       inputs(np.array([.5, .2, -1, .3], dtype), np.array([.1, .6, 0, .3], dtype),
                              np.array([1, -1, -1, 1], dtype)), {"margin": 1}, which=("sum",))
        # targets 0 and +-2 (not validated)
        x1, x2 = _scores(rng, 6, dtype), _scores(rng, 6, dtype)
        add.reductions(dtype, (6,), "targets-0-2", ["sample"],
                       inputs(x1, x2, np.array([0, 2, -2, 0, 2, -2], dtype)), {"margin": 0.1}, which=("none", "mean"))
        # type promotion: a target of the other float dtype; an int64 target (no grad_target)
        add.reductions(dtype, (5,), f"target-{_OTHER[dtype]}", ["promotion"], sample(5, dtype, _OTHER[dtype]),
                       {"margin": 0.25}, which=("none", "mean"))
        add.reductions(dtype, (5,), "target-int64", ["promotion"], sample(5, dtype, "int64"), {"margin": 0.25},
                       which=("none", "sum"))
        # broadcasting
        add.reductions(dtype, (1, 2), "bcast-1x2-2x1-1x2", ["broadcast"],
                       inputs(_scores(rng, (1, 2), dtype), _scores(rng, (2, 1), dtype), _labels(rng, (1, 2), dtype)),
                       which=("none", "mean"))
        add.reductions(dtype, (3, 4), "target-3x1", ["broadcast"],
                       inputs(_scores(rng, (3, 4), dtype), _scores(rng, (3, 4), dtype), _labels(rng, (3, 1), dtype)),
                       {"margin": 0.5}, which=("none", "sum"))
        # NaN and inf
        x1 = np.array([NAN, .5, .5, INF, -INF, INF, .5, 1], dtype)
        x2 = np.array([.5, NAN, .5, .5, .5, INF, -INF, 0], dtype)
        y = np.array([1, -1, 1, 1, 1, -1, -1, 1], dtype)
        y[2] = NAN
        add.reductions(dtype, (8,), "nan-inf", ["nan", "inf"], inputs(x1, x2, y), {"margin": 0.5},
                       which=("none", "sum"))
        s = dtype_type(dtype)
        add.reductions(dtype, (), "0d", ["scalar"], inputs(np.asarray(s(.5)), np.asarray(s(.1)), np.asarray(s(-1))),
                       which=("none", "mean"))
        add.reductions(dtype, (0,), "empty", ["empty"], sample(0, dtype), which=("none", "mean", "sum"))
        # errors
        ins = sample(5, dtype)
        add.error(dtype, (5,), "reduction", "invalid_parameter", ins, {"reduction": "avg"})
        for fault, bad in (("target-0d", inputs(ins["input1"], ins["input2"], np.asarray(ins["target"][0]))),
                           ("input1-2d", inputs(ins["input1"].reshape(5, 1), ins["input2"], ins["target"])),
                           ("input2-size", inputs(ins["input1"], ins["input2"][:4], ins["target"])),
                           ("target-size", inputs(ins["input1"], ins["input2"], ins["target"][:3]))):
            add.error(dtype, bad["input1"].shape, fault, "shape_mismatch", bad)
    # Found by the fuzzer: torch.mean rounds the float32 sum (inf past FLT_MAX) first.
    f32 = "float32"
    add.reductions(f32, (4,), "sum-overflow", ["fuzz", "inf"],
                   inputs(np.array([3e38, 2e38, 1e38, 1], f32), np.array([-1e37, -1e37, -1e37, 0], f32),
                          np.array([-1, -1, -1, 1], f32)),
                   which=("mean", "sum"))


# --------------------------------------------------------------------------- soft_margin_loss

# The subnormal loss of x = 100 (exp(-100) ~ 3.7e-44 in float32) and the float64 tiny
# losses are where the mirror and torch's vectorised exp differ most in relative terms;
# these cases compare them absolutely at the smallest subnormal scale instead of
# letting the file's atol 1e-6 swallow them.
_TINY_TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 3e-45}, "float64": {"rtol": 1e-12, "atol": 1e-300}}


def _sm_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(x, y):
        return {"input": x, "target": y}

    for dtype in DTYPES:
        add.reductions(dtype, (7,), "sample", ["sample"], inputs(_scores(rng, 7, dtype, 2), _labels(rng, 7, dtype)))
        add.reductions(dtype, (3, 4), "sample", ["sample"],
                       inputs(_scores(rng, (3, 4), dtype, 2), _labels(rng, (3, 4), dtype)))
        add.reductions(dtype, (64,), "reference", ["reference"],
                       inputs(_scores(rng, 64, dtype, 2), _labels(rng, 64, dtype)), which=("none", "mean", "sum"))
        # torch.md §4 example 1
        add.reductions(dtype, (4,), "spec", ["sample"],
                       inputs(np.array([.5, -2, 0, 3], dtype), np.array([1, 1, -1, -1], dtype)),
                       which=("none", "mean"))
        # float32 exp overflows for x*y < -88.7: inf loss, NaN gradient (float64: finite)
        add.reductions(dtype, (4,), "overflow", ["inf"],
                       inputs(np.array([-100, -90, -50, 1], dtype), np.ones(4, dtype)), which=("none", "mean", "sum"))
        add.reductions(dtype, (4,), "tiny", ["sample"],
                       inputs(np.array([20, 100, 30, 60], dtype), np.ones(4, dtype)), which=("none", "sum"),
                       tolerance=_TINY_TOLERANCE[dtype])
        add.reductions(dtype, (6,), "targets-0-2-0.5", ["sample"],
                       inputs(_scores(rng, 6, dtype, 2), np.array([0, 2, .5, -2, 1, -1], dtype)),
                       which=("none", "mean"))
        add.reductions(dtype, (7,), "target-int64", ["sample"],
                       inputs(_scores(rng, 7, dtype, 2), _labels(rng, 7, "int64")), which=("none", "mean"))
        add.reductions(dtype, (7,), f"target-{_OTHER[dtype]}", ["promotion"],
                       inputs(_scores(rng, 7, dtype, 2), _scores(rng, 7, _OTHER[dtype])), which=("none", "sum"))
        add.reductions(dtype, (2, 2), "target-2", ["broadcast"],
                       inputs(_scores(rng, (2, 2), dtype), np.array([1, -1], dtype)), which=("none", "mean"))
        add.reductions(dtype, (3, 4), "target-1", ["broadcast"],
                       inputs(_scores(rng, (3, 4), dtype), np.array([-1], dtype)), which=("sum",))
        add.reductions(dtype, (6,), "nan-inf", ["nan", "inf"],
                       inputs(np.array([NAN, .5, INF, -INF, INF, -INF], dtype),
                              np.array([1, NAN, 1, 1, -1, -1], dtype)),
                       which=("none", "sum"))
        s = dtype_type(dtype)
        add.reductions(dtype, (), "0d", ["scalar"], inputs(np.asarray(s(.5)), np.asarray(s(1))), which=("none", "mean"))
        add.reductions(dtype, (0,), "empty", ["empty"], inputs(np.zeros(0, dtype), np.zeros(0, dtype)),
                       which=("none", "mean", "sum"))
        # errors
        x, y = _scores(rng, 4, dtype), _labels(rng, 4, dtype)
        add.error(dtype, (4,), "reduction", "invalid_parameter", inputs(x, y), {"reduction": "avg"})
        add.error(dtype, (2,), "target-2x2", "shape_mismatch", inputs(x[:2], y.reshape(2, 2)))
        add.error(dtype, (4,), "target-size", "shape_mismatch", inputs(x, y[:3]))
    add.error("int64", (4,), "input-int64", "invalid_dtype",
              inputs(rng.integers(-3, 3, 4), _labels(rng, 4, "float32")))
    # Found by the fuzzer: the backward's z = exp(-target * input) is computed in the
    # promoted dtype, so a float64 target keeps it finite where float32 overflows; the
    # float32 product y*z is then inf and the gradient -inf (float64 exp(1000): NaN).
    add.reductions("float32", (5,), "overflow-target-float64", ["fuzz", "inf", "promotion"],
                   inputs(np.array([-100, -90, -50, 1, -1000], "float32"), np.ones(5, "float64")),
                   which=("none", "mean"))


# --------------------------------------------------------------------------- triplet_margin_loss

def _tr_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(a, p, n):
        return {"anchor": a, "positive": p, "negative": n}

    def sample(shape, dtype):
        return inputs(*(_scores(rng, shape, dtype) for _ in range(3)))

    for dtype in DTYPES:
        for variant, params, tags in (("p2", {}, ["sample"]),
                                      ("p1", {"p": 1}, ["sample"]),
                                      ("p1.5", {"p": 1.5}, ["sample"]),
                                      ("p3", {"p": 3}, ["sample"]),
                                      ("p2-swap", {"swap": True}, ["sample", "swap"]),
                                      ("p1-swap", {"p": 1, "swap": True}, ["sample", "swap"]),
                                      ("p2-eps0", {"eps": 0.0}, ["sample"]),
                                      ("p2-eps1e-3", {"eps": 1e-3}, ["sample"]),
                                      ("p2-margin0.5", {"margin": 0.5}, ["sample"]),
                                      ("p2-margin2", {"margin": 2}, ["sample"])):  # an integer margin
            add.reductions(dtype, (5, 4), variant, tags, sample((5, 4), dtype), params)
        add.reductions(dtype, (64, 8), "reference", ["reference"], sample((64, 8), dtype), {"swap": True},
                       which=("none", "mean", "sum"))
        # kinks with eps = 0: margin + d(a,p) - d(a,n) == 0 with integer distances
        # (3-4-5 and axis-aligned differences are exact in any order)
        a = _grid(rng, (4, 2), dtype, -4, 4, 1)
        u = np.array([[3, 4], [0, 1], [1, 0], [0, 2]], dtype)
        v = np.array([[6, 0], [0, -2], [-2, 0], [3, 0]], dtype)
        add.reductions(dtype, (4, 2), "p2-eps0-kink", ["kink"], inputs(a, a + u, a + v), {"eps": 0.0},
                       which=("none", "sum"))
        v1 = np.array([[8, 0], [0, -2], [-2, 0], [2, 1]], dtype)  # p = 1: |3|+|4| = 7, + margin 1 = 8
        add.reductions(dtype, (4, 2), "p1-eps0-kink", ["kink"], inputs(a, a + u, a + v1), {"p": 1, "eps": 0.0},
                       which=("none", "sum"))
        # swap with a tie d(a,n) == d(p,n): minimum's backward splits the gradient
        a = np.array([[0, 0], [1, 1]], dtype)
        p = np.array([[2, 0], [1, 3]], dtype)
        n = np.array([[1, 3], [3, 2]], dtype)
        add.reductions(dtype, (2, 2), "p2-eps0-swap-tie", ["swap", "kink"], inputs(a, p, n),
                       {"eps": 0.0, "swap": True, "margin": 3}, which=("none", "sum"))
        # torch.md §6 example 3
        add.reductions(dtype, (1, 2), "p2-swap-spec", ["swap"],
                       inputs(np.array([[0, 0]], dtype), np.array([[1, 0]], dtype), np.array([[2, 0]], dtype)),
                       {"swap": True}, which=("sum",))
        # a == p: the default eps gives a nonzero gradient, eps = 0 a zero one (the
        # negatives sit close to the anchors, so the loss is active)
        a = _scores(rng, (3, 4), dtype)
        same = inputs(a, a.copy(), a + _scores(rng, (3, 4), dtype, 0.2))
        add.reductions(dtype, (3, 4), "p2-a-eq-p", ["kink"], same, which=("none",))
        add.reductions(dtype, (3, 4), "p2-eps0-a-eq-p", ["kink"], same, {"eps": 0.0}, which=("none",))
        add.reductions(dtype, (3, 4), "p1-eps0-a-eq-p", ["kink"], same, {"p": 1, "eps": 0.0}, which=("none",))
        # NaN and inf
        ins = sample((4, 3), dtype)
        ins["anchor"][0, 1] = NAN
        ins["negative"][1, 0] = NAN
        ins["positive"][2, 2] = INF
        ins["negative"][3, 1] = -INF
        for variant, params in (("p2-nan-inf", {}), ("p1-swap-nan-inf", {"p": 1, "swap": True})):
            add.reductions(dtype, (4, 3), variant, ["nan", "inf"] + (["swap"] if "swap" in params else []),
                           ins, params, which=("none", "sum"))
        # scalar shapes, broadcasting, empty
        add.reductions(dtype, (4,), "p2-1d", ["scalar"], sample(4, dtype), which=("none", "mean"))
        s = dtype_type(dtype)
        add.reductions(dtype, (), "p2-0d", ["scalar"],
                       inputs(np.asarray(s(0.25)), np.asarray(s(1)), np.asarray(s(1.5))), which=("none",))
        add.reductions(dtype, (5, 4), "p2-positive-1x4", ["broadcast"],
                       inputs(_scores(rng, (5, 4), dtype), _scores(rng, (1, 4), dtype), _scores(rng, (5, 4), dtype)),
                       {"swap": True}, which=("none", "mean"))
        add.reductions(dtype, (0, 4), "p2-empty", ["empty"], sample((0, 4), dtype), which=("none", "mean", "sum"))
        # errors
        ins = sample((3, 4), dtype)
        for fault, params in (("margin0", {"margin": 0.0}), ("margin-1", {"margin": -1}),
                              ("reduction", {"reduction": "avg"})):
            add.error(dtype, (3, 4), fault, "invalid_parameter", ins, params)
        for fault, bad in (("positive-1d", {**ins, "positive": ins["positive"][0]}),
                           ("positive-3x5", {**ins, "positive": _scores(rng, (3, 5), dtype)}),
                           ("negative-2x4", {**ins, "negative": _scores(rng, (2, 4), dtype)})):
            add.error(dtype, (3, 4), fault, "shape_mismatch", bad)
    # Found by the fuzzer. Nearly equal large distances: the loss cancels them, so it
    # shows each norm's last bits (the norm_two kernel's lane and fused-multiply-add
    # order for p = 2, std::pow rather than x*x*x for p = 3).
    for dtype in DTYPES:
        for width in (2, 3, 4, 5, 9, 13):
            a = _scores(rng, (4, width), dtype)
            u = _scores(rng, (4, width), dtype)
            v = _scores(rng, (4, width), dtype)
            big = exact.wide(rng, 4, 6, 23, signed=False)  # 64 .. 2**24: 10**2 .. 10**7
            u[:, 0], v[:, 0] = big, -big + exact.uniform(rng, -1, 1, 4)
            for p in (2, 3):
                # p = 3: the expected values are std::pow's last bits (glibc's here), amplified
                add.reductions(dtype, (4, width), f"p{p}-cancelling",
                               ["fuzz", "cancellation"] + ([LIBM_TAG] if p == 3 else []),
                               inputs(a, (a + u).astype(dtype), (a + v).astype(dtype)), {"p": p},
                               which=("none", "sum"))
        # a last dim of size 1 is |x| (float32: no x*x overflow); a 0-d triplet is computed
        big = np.array([[3e30], [-2e30], [1.5]], dtype)
        for p in (2, 3):
            add.reductions(dtype, (3, 1), f"p{p}-width1-large", ["fuzz", "scalar"],
                           inputs(big, big * 0, big * 2), {"p": p}, which=("none",))
        s = dtype_type(dtype)
        add.reductions(dtype, (), "p2-0d-large", ["fuzz", "scalar"],
                       inputs(np.asarray(s(3e30)), np.asarray(s(0)), np.asarray(s(-3e30))), which=("none",))
    # torch.mean rounds the float32 sum (inf past FLT_MAX) before dividing
    f32 = "float32"
    a = np.zeros((3, 2), f32)
    add.reductions(f32, (3, 2), "p1-sum-overflow", ["fuzz", "inf"],
                   inputs(a, np.array([[2e38, 0], [2e38, 0], [1, 0]], f32), np.zeros((3, 2), f32)), {"p": 1},
                   which=("none", "mean", "sum"))


# --------------------------------------------------------------------------- cosine_embedding_loss

def _ce_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(x1, x2, y):
        return {"input1": x1, "input2": x2, "target": y}

    def sample(n, d, dtype):
        return inputs(_scores(rng, (n, d), dtype), _scores(rng, (n, d), dtype), _labels(rng, n, dtype))

    for dtype in DTYPES:
        s = dtype_type(dtype)
        for variant, params in (("margin-default", {}), ("margin0.5", {"margin": 0.5}),
                                ("margin-0.5", {"margin": -0.5}), ("margin1", {"margin": 1})):  # an integer margin
            add.reductions(dtype, (5, 4), variant, ["sample"], sample(5, 4, dtype), params)
        add.reductions(dtype, (64, 8), "reference", ["reference"], sample(64, 8, dtype), {"margin": 0.25},
                       which=("none", "mean", "sum"))
        # row sums of every length class of torch's sum kernel: scalar (< 1 register),
        # one register plus a tail, several registers
        for d in (1, 3, 9, 17, 40):
            add.reductions(dtype, (3, d), "width", ["sample"], sample(3, d, dtype), {"margin": -0.25},
                           which=("none",))
        # kinks: cos == margin exactly for y = -1 (clamp_min's strict > gives 0 there); the
        # same rows with y = +1 are smooth. Scaled 3-4-5 vectors: |x|^2 absorbs EPSILON and
        # cos = 24/25 and 0 are the margin's rounding.
        scale = s(1024) if dtype == "float32" else s(2 ** 20)
        x1 = np.array([[3, 4], [3, 4], [4, -3], [0, 5]], dtype) * scale
        x2 = np.array([[4, 3], [4, 3], [3, 4], [5, 0]], dtype) * scale
        for variant, margin in (("kink-cos0.96", 0.96), ("kink-cos0", 0.0)):
            for label in (-1, 1):
                add.reductions(dtype, (4, 2), f"{variant}-y{label:+d}", ["kink"],
                               inputs(x1, x2, np.full(4, label, dtype)), {"margin": margin}, which=("none", "sum"))
        # zero vectors: cos = 0 / sqrt(EPSILON^2) = 0, so y = +1 gives 1 and y = -1 sits at
        # the kink of margin 0; tiny vectors where EPSILON dominates the squared norms
        x1 = np.array([[0, 0, 0], [0, 0, 0], [1, 2, 3], [0, 0, 0]], dtype)
        x2 = np.array([[1, -1, 2], [0, 0, 0], [0, 0, 0], [0, 0, 0]], dtype)
        add.reductions(dtype, (4, 3), "zero-vectors", ["kink", "zero"],
                       inputs(x1, x2, np.array([1, 1, -1, -1], dtype)), which=("none", "mean"))
        tiny = np.array([[1e-7, 0], [1e-6, 1e-6], [3e-7, -4e-7]], dtype)
        add.reductions(dtype, (3, 2), "tiny-vectors-epsilon", ["epsilon"],
                       inputs(tiny, tiny.copy(), np.array([1, 1, -1], dtype)), which=("none",))
        # float32: m1 * m2 overflows, so cos = prod_sum / inf = 0 even for x1 == x2
        big = np.array([[3e18, 4e18], [1e19, 0], [1, 2]], dtype)
        add.reductions(dtype, (3, 2), "large-norms", ["inf"], inputs(big, big.copy(), np.array([1, -1, 1], dtype)),
                       {"margin": -0.5}, which=("none", "sum"))
        # targets other than +-1 select neither branch: 0; integer and bool targets
        add.reductions(dtype, (6, 3), "targets-0-2-0.5", ["target"],
                       inputs(_scores(rng, (6, 3), dtype), _scores(rng, (6, 3), dtype),
                              np.array([0, 2, .5, -2, 1, -1], dtype)), which=("none", "mean"))
        add.reductions(dtype, (4, 3), "target-int64", ["target"],
                       inputs(_scores(rng, (4, 3), dtype), _scores(rng, (4, 3), dtype), _labels(rng, 4, "int64")),
                       which=("none", "sum"))
        add.reductions(dtype, (4, 3), "target-bool", ["target"],
                       inputs(_scores(rng, (4, 3), dtype), _scores(rng, (4, 3), dtype),
                              np.array([True, False, True, False])), which=("none",))
        # NaN and inf in either input or the target
        x1, x2 = _grid(rng, (6, 3), dtype), _grid(rng, (6, 3), dtype)
        x1[0, 1], x2[1, 2], x1[2, 0], x2[3, 0], x1[4, 2] = NAN, NAN, INF, -INF, INF
        x2[4, 2] = INF
        y = np.array([1, -1, 1, -1, 1, 1], dtype)
        y[5] = NAN
        add.reductions(dtype, (6, 3), "nan-inf", ["nan", "inf"], inputs(x1, x2, y), {"margin": 0.5},
                       which=("none", "sum"))
        # shapes: 1-D inputs with a 0-d target, broadcasting, empty
        add.reductions(dtype, (5,), "1d", ["scalar"],
                       inputs(_scores(rng, 5, dtype), _scores(rng, 5, dtype), np.asarray(s(-1))), {"margin": -0.5},
                       which=("none", "mean"))
        add.reductions(dtype, (5,), "1d-y+1", ["scalar"],
                       inputs(_scores(rng, 5, dtype), _scores(rng, 5, dtype), np.asarray(s(1))), which=("none",))
        add.reductions(dtype, (4, 3), "input2-1x3", ["broadcast"],
                       inputs(_scores(rng, (4, 3), dtype), _scores(rng, (1, 3), dtype), _labels(rng, 4, dtype)),
                       which=("none", "mean"))
        add.reductions(dtype, (1, 3), "target-4", ["broadcast"],
                       inputs(_scores(rng, (1, 3), dtype), _scores(rng, (1, 3), dtype), _labels(rng, 4, dtype)),
                       which=("none", "sum"))
        add.reductions(dtype, (4, 3), "target-1", ["broadcast"],
                       inputs(_scores(rng, (4, 3), dtype), _scores(rng, (4, 3), dtype), np.array([-1], dtype)),
                       {"margin": -0.5}, which=("none",))
        # input2 (N, 1) broadcasts inside x1 * x2 but not in its own norm: |cos| > 1
        add.reductions(dtype, (3, 4), "input2-3x1-cos-above-1", ["broadcast"],
                       inputs(_grid(rng, (3, 4), dtype), np.array([[1], [-2], [.5]], dtype),
                              np.array([1, -1, 1], dtype)), which=("none",))
        add.reductions(dtype, (0, 4), "empty", ["empty"],
                       inputs(np.zeros((0, 4), dtype), np.zeros((0, 4), dtype), np.zeros(0, dtype)),
                       which=("none", "mean", "sum"))
        add.reductions(dtype, (3, 0), "d0", ["empty"],
                       inputs(np.zeros((3, 0), dtype), np.zeros((3, 0), dtype), np.array([1, -1, 1], dtype)),
                       which=("none",))
        # errors (torch's own messages)
        ins = sample(3, 4, dtype)
        add.error(dtype, (3, 4), "reduction", "invalid_parameter", ins, {"reduction": "avg"})
        add.error(dtype, (3, 4), "reduction-none", "invalid_parameter", ins, {"reduction": None})
        for fault, bad in (("target-2d", {**ins, "target": ins["target"].reshape(3, 1)}),
                           ("target-0d-for-2d", {**ins, "target": np.asarray(s(1))}),
                           ("target-1d-for-1d", inputs(ins["input1"][0], ins["input2"][0], ins["target"][:1])),
                           ("input2-1d", {**ins, "input2": ins["input2"][0]}),
                           ("input1-3d", {**ins, "input1": ins["input1"].reshape(3, 2, 2)}),
                           ("input2-2x4", {**ins, "input2": ins["input2"][:2]}),
                           ("input2-3x5", {**ins, "input2": _scores(rng, (3, 5), dtype)}),
                           ("target-2", {**ins, "target": ins["target"][:2]})):
            add.error(dtype, bad["input1"].shape, fault, "shape_mismatch", bad)


# --------------------------------------------------------------------------- triplet_margin_with_distance_loss

def _tw_build(add: _Cases, rng: np.random.Generator) -> None:
    def inputs(a, p, n):
        return {"anchor": a, "positive": p, "negative": n}

    def sample(shape, dtype):
        return inputs(*(_scores(rng, shape, dtype) for _ in range(3)))

    p1 = {"distance_function": "pairwise_distance_p1"}
    for dtype in DTYPES:
        s = dtype_type(dtype)
        for variant, params, tags in (("default", {}, ["sample"]),
                                      ("pairwise", {"distance_function": "pairwise_distance"}, ["sample"]),
                                      ("pairwise-p1", p1, ["sample"]),
                                      ("swap", {"swap": True}, ["sample", "swap"]),
                                      ("pairwise-p1-swap", {**p1, "swap": True}, ["sample", "swap"]),
                                      ("margin0.5", {"margin": 0.5}, ["sample"]),
                                      ("pairwise-p1-margin2", {**p1, "margin": 2}, ["sample"])):  # integer margin
            add.reductions(dtype, (5, 4), variant, tags, sample((5, 4), dtype), params)
        add.reductions(dtype, (64, 8), "reference-swap", ["reference", "swap"], sample((64, 8), dtype),
                       {"swap": True}, which=("none", "mean", "sum"))
        add.reductions(dtype, (64, 8), "reference-pairwise-p1", ["reference"], sample((64, 8), dtype), p1,
                       which=("mean",))
        # kinks: margin + d(a,p) - d(a,n) == 0. pairwise_distance adds eps = 1e-6 to each
        # difference; coordinates scaled past 2**5 (float32) or 2**33 (float64) absorb it,
        # so 3-4-5 distances are exact, and the margin is one scale unit.
        scale = s(64) if dtype == "float32" else s(2 ** 34)
        a = _grid(rng, (4, 2), dtype, -4, 4, 1) * scale
        u = np.array([[3, 4], [0, 1], [1, 0], [0, 2]], dtype) * scale
        v = np.array([[6, 0], [0, -2], [-2, 0], [3, 0]], dtype) * scale
        margin = float(scale)
        add.reductions(dtype, (4, 2), "kink", ["kink"], inputs(a, a + u, a + v), {"margin": margin},
                       which=("none", "sum"))
        v1 = np.array([[8, 0], [0, -2], [-2, 0], [2, 1]], dtype) * scale  # p = 1: |3|+|4| = 7, + margin 1 = 8
        add.reductions(dtype, (4, 2), "pairwise-p1-kink", ["kink"], inputs(a, a + u, a + v1), {**p1, "margin": margin},
                       which=("none", "sum"))
        # swap with a tie d(a,n) == d(p,n): minimum's backward splits the gradient
        a = np.array([[0, 0], [1, 1]], dtype) * scale
        p = np.array([[2, 0], [1, 3]], dtype) * scale
        n = np.array([[1, 3], [3, 2]], dtype) * scale
        add.reductions(dtype, (2, 2), "swap-tie", ["swap", "kink"], inputs(a, p, n),
                       {"swap": True, "margin": 3 * margin}, which=("none", "sum"))
        # a == p: eps makes the difference (eps, ..., eps), so the gradient is not 0
        a = _scores(rng, (3, 4), dtype)
        same = inputs(a, a.copy(), a + _scores(rng, (3, 4), dtype, 0.2))
        add.reductions(dtype, (3, 4), "a-eq-p", ["kink"], same, which=("none",))
        add.reductions(dtype, (3, 4), "pairwise-p1-a-eq-p", ["kink"], same, p1, which=("none",))
        # NaN and inf
        ins = sample((4, 3), dtype)
        ins["anchor"][0, 1] = NAN
        ins["negative"][1, 0] = NAN
        ins["positive"][2, 2] = INF
        ins["negative"][3, 1] = -INF
        for variant, params in (("nan-inf", {}), ("pairwise-p1-swap-nan-inf", {**p1, "swap": True})):
            add.reductions(dtype, (4, 3), variant, ["nan", "inf"] + (["swap"] if "swap" in params else []),
                           ins, params, which=("none", "sum"))
        # scalar shapes, broadcasting, empty
        add.reductions(dtype, (4,), "1d", ["scalar"], sample(4, dtype), which=("none", "mean"))
        add.reductions(dtype, (), "0d", ["scalar"],
                       inputs(np.asarray(s(0.25)), np.asarray(s(1)), np.asarray(s(1.5))), p1, which=("none",))
        add.reductions(dtype, (5, 4), "positive-1x4", ["broadcast"],
                       inputs(_scores(rng, (5, 4), dtype), _scores(rng, (1, 4), dtype), _scores(rng, (5, 4), dtype)),
                       {"swap": True}, which=("none", "mean"))
        add.reductions(dtype, (0, 4), "empty", ["empty"], sample((0, 4), dtype), which=("none", "mean", "sum"))
        # errors: the Python checks, in their order (reduction, margin, ranks), then broadcasting
        ins = sample((3, 4), dtype)
        for fault, params in (("margin0", {"margin": 0.0}), ("margin-1", {"margin": -1}),
                              ("reduction", {"reduction": "avg"}), ("reduction-none", {"reduction": None}),
                              ("reduction-before-margin", {"reduction": "avg", "margin": 0.0})):
            add.error(dtype, (3, 4), fault, "invalid_parameter", ins, params)
        for fault, bad in (("positive-1d", {**ins, "positive": ins["positive"][0]}),
                           ("positive-3x5", {**ins, "positive": _scores(rng, (3, 5), dtype)}),
                           ("negative-2x4", {**ins, "negative": _scores(rng, (2, 4), dtype)})):
            add.error(dtype, (3, 4), fault, "shape_mismatch", bad)


# =========================================================================== registry

_NATIVE_TOLERANCE = {"float32": {"rtol": 0, "atol": 0}, "float64": {"rtol": 0, "atol": 0}}
_COMPOSITE_TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}

# function -> (mirror, differentiable inputs in output order, case generator, tolerance)
_LOSSES = {
    "multi_margin_loss": (multi_margin_loss, ("input",), _mm_build, _NATIVE_TOLERANCE),
    "hinge_embedding_loss": (hinge_embedding_loss, ("input",), _he_build, _COMPOSITE_TOLERANCE),
    "margin_ranking_loss": (margin_ranking_loss, ("input1", "input2", "target"), _mr_build, _COMPOSITE_TOLERANCE),
    "soft_margin_loss": (soft_margin_loss, ("input",), _sm_build, _COMPOSITE_TOLERANCE),
    "multilabel_margin_loss": (multilabel_margin_loss, ("input",), _ml_build, _NATIVE_TOLERANCE),
    "triplet_margin_loss": (triplet_margin_loss, ("anchor", "positive", "negative"), _tr_build, _COMPOSITE_TOLERANCE),
    # torch's vectorised float sqrt (of m1 * m2) is not correctly rounded (+-1 ulp on AVX-512)
    "cosine_embedding_loss": (cosine_embedding_loss, ("input1", "input2"), _ce_build, _COMPOSITE_TOLERANCE),
    "triplet_margin_with_distance_loss": (triplet_margin_with_distance_loss, ("anchor", "positive", "negative"),
                                          _tw_build, _COMPOSITE_TOLERANCE),
}
MIRRORS = {f"torch.nn.functional.{name}": mirror for name, (mirror, *_rest) in _LOSSES.items()}
DIFFERENTIABLE = {f"torch.nn.functional.{name}": diff for name, (_m, diff, *_rest) in _LOSSES.items()}


def _suite(function: str) -> Suite:
    mirror, differentiable, build, tolerance = _LOSSES[function]
    return Suite(f"torch.nn.functional.{function}", mirror, with_cases(_Cases, build), tolerance, FRAMEWORK,
                 run=functools.partial(run_torch, function, differentiable))


SUITES: dict[str, Suite] = {s.name: s for s in map(_suite, _LOSSES)}
