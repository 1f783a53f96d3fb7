"""optax's margin losses: the case builders, and optax 0.2.8 on JAX 0.10.2 (CPU, eager) in
workers. The NumPy mirror, and how it follows optax (the suites, inputs, outputs and
error kinds), is hinge_fixtures/mirrors/optax.py.

Expected values come from optax, run in worker processes (`python -m
hinge_fixtures.suites.optax --worker`, see contract.FrameworkWorker): JAX's x64 mode is
fixed when jax starts, so float32 cases run in a worker without it and float64 cases in
one with JAX_ENABLE_X64=1. Every case is checked against the mirror as in keras.py.
Without jax, jaxlib and optax at their pins the files cannot be written; `--check` uses
the mirror alone.
"""
from __future__ import annotations

import sys

import numpy as np

from .. import exact
from ..contract import Framework, Suite, serve_worker, with_cases, worker_outputs
from ..fixture import LIBM_TAG, Arrays, CaseList, decode_array, encode_array, shape_label
from ..mirrors.optax import BINARY, MULTICLASS, TOLERANCE, TRIPLET, X64, mirror_of, x64_of

PINS = {"jax": "0.10.2", "jaxlib": "0.10.2", "optax": "0.2.8"}
NO_FRAMEWORK_ENV = "HINGE_FIXTURES_NO_OPTAX"  # set (non-empty) to use the mirror alone
NAN, INF = float("nan"), float("inf")


# =========================================================================== optax itself

_ERROR_KINDS = (
    ("invalid_dtype", r"^iota does not accept dtype|^Expected the input to have a dtype that is a subdtype of"),
    ("invalid_parameter", r"^division by zero$|out of bounds for array of dimension"),
    ("shape_mismatch", r"^Shape mismatch: got |incompatible shapes for broadcasting|^Incompatible shapes for "
                       r"broadcasting|^zero-size array to reduction operation"),
)


FRAMEWORK = Framework("optax", PINS, NO_FRAMEWORK_ENV, worker_module=__name__,
                      worker_env=lambda x64: {"JAX_ENABLE_X64": "1" if x64 else "0", "JAX_PLATFORMS": "cpu",
                                              "PYTHONHASHSEED": "0"},
                      error_kinds=_ERROR_KINDS,
                      versions_of=lambda: FRAMEWORK.worker(False).call({"versions": True})["versions"])


def run_optax(suite: str, params: dict, inputs: Arrays, context: dict | None) -> Arrays:
    return FRAMEWORK.call(x64_of(context), {"suite": suite, "params": params,
                                            "inputs": {k: encode_array(v) for k, v in inputs.items()}})


def _serve() -> None:
    import warnings

    import jax
    import jax.numpy as jnp
    import jaxlib
    import optax
    warnings.simplefilter("ignore")  # int64 -> int32 truncation notices without x64

    def run(suite: str, params: dict, inputs: Arrays) -> Arrays:
        fn = optax.hinge_loss if suite == "optax.hinge_loss" else getattr(optax.losses, suite.rsplit(".", 1)[1])
        args = {k: jnp.asarray(v) for k, v in inputs.items()}
        out = fn(**args, **params)
        # the differentiable inputs: the first, or all three of a triplet
        names = [n for n in inputs if n in ("predictor_outputs", "scores", "anchors", "positives", "negatives")]
        grads = jax.grad(lambda *qs: jnp.sum(fn(**{**args, **dict(zip(names, qs))}, **params)),
                         argnums=tuple(range(len(names))))(*(args[n] for n in names))
        return {"output": np.asarray(out), **{f"grad_{n}": np.asarray(g) for n, g in zip(names, grads)}}

    def handle(request: dict) -> dict:
        if "versions" in request:
            return {"versions": {"jax": jax.__version__, "jaxlib": jaxlib.__version__, "optax": optax.__version__}}
        return worker_outputs(lambda r: run(r["suite"], r.get("params", {}),
                                            {k: decode_array(v) for k, v in r["inputs"].items()}), request)

    serve_worker(handle)


# =========================================================================== cases

class _Cases:
    def __init__(self, cases: CaseList):
        self.cases, self.suite = cases, cases.suite
        self.first = "predictor_outputs" if self.suite in BINARY else "scores"
        self.second = "targets" if self.suite in BINARY else "labels"

    def add(self, variant: str, tags, x, y, *, x64: bool | None = None, error: str | None = None) -> None:
        """One case; x64 defaults to "the input is float64"."""
        if x64 is None:
            x64 = x.dtype == np.float64
        cid = f"{x.dtype.name}/{shape_label(x.shape)}/{variant}"
        tags = list(tags) + (["error"] if error else []) + ([] if x64 or x.dtype != np.float64 else ["x64-off"])
        self.cases.add(cid, tags, {}, {self.first: x, self.second: y}, error=error, context=X64 if x64 else None)


_grid, _pm1 = exact.grid, exact.signs


def _binary_build(name: str):
    hinge = name == "hinge_loss"

    def build(add: _Cases, rng: np.random.Generator) -> None:
        for dt in ("float32", "float64"):
            a = lambda v, d=dt: np.array(v, d)
            p_spec, t_spec = a([1, -1, .5, 2, 0]), a([1, -1, 1, -1, 1])
            add.add("spec", ["sample", "kink"], p_spec, t_spec)
            add.add("targets-01", ["conversion"], p_spec, a([1, 0, 1, 0, 1]))
            add.add("sample", ["sample"], exact.normal(rng, (4, 5)).astype(dt), _pm1(rng, (4, 5), dt))
            add.add("reference", ["reference"], exact.normal(rng, (64, 10)).astype(dt), _pm1(rng, (64, 10), dt))
            # kinks: hinge at p*t == 1, perceptron at p*t == 0 (p == 0 or t == 0)
            t = _pm1(rng, (4, 6), dt)
            p = _grid(rng, (4, 6), dt)
            at = rng.random((4, 6)) < 0.4
            p[at] = t[at] if hinge else 0
            add.add("kink", ["kink"], p, t)
            add.add("targets-soft", ["conversion"], a([.5, .5, 2, -.5, 0]), a([.5, 2, .25, 1, 0]))
            add.add("targets-int64", ["dtype"], exact.normal(rng, 6).astype(dt), rng.choice([-1, 1], 6))
            add.add("nan-inf", ["nan", "inf"], a([NAN, INF, -INF, INF, .5, .5]), a([1, 1, 1, -1, NAN, INF]))
            add.add("empty", ["empty"], np.zeros((0, 3), dt), np.zeros((0, 3), dt))
            add.add("0d", ["scalar"], a(.25), a(-1))
            add.add("0d-kink", ["scalar", "kink"], a(1 if hinge else 0), a(1))
            add.add("3d", ["rank"], exact.normal(rng, (2, 3, 4)).astype(dt), _pm1(rng, (2, 3, 4), dt))
            if not hinge:  # subnormal products are flushed to 0 and count as the tie
                tiny = [1e-45, -1e-45, 1e-40, 1e-30, 1e-38, 2e-38] if dt == "float32" else \
                    [5e-324, -5e-324, 1e-310, 1e-300, 2e-308, 3e-308]
                add.add("subnormal", ["subnormal", "kink"], a(tiny), a([-1] * 6))
            if hinge:  # broadcasting is silent
                add.add("targets-5x1", ["broadcast"], p_spec, t_spec.reshape(5, 1))
                add.add("1x4-targets-3x1", ["broadcast"], exact.normal(rng, (1, 4)).astype(dt),
                        _pm1(rng, (3, 1), dt))
                add.add("targets-0d", ["broadcast"], exact.normal(rng, (2, 3)).astype(dt), a(-1))
                add.add("error-4x3-4x2", [], exact.normal(rng, (4, 3)).astype(dt), _pm1(rng, (4, 2), dt),
                        error="shape_mismatch")
                add.add("error-4-4x2", [], exact.normal(rng, 4).astype(dt), _pm1(rng, (4, 2), dt),
                        error="shape_mismatch")
            else:  # equal shapes are required
                add.add("error-targets-5x1", [], p_spec, t_spec.reshape(5, 1), error="shape_mismatch")
                add.add("error-targets-0d", [], exact.normal(rng, 3).astype(dt), a(1), error="shape_mismatch")
                add.add("error-3x4-4x3", [], exact.normal(rng, (3, 4)).astype(dt), _pm1(rng, (4, 3), dt),
                        error="shape_mismatch")
        # targets bool ({0,1}); float64 input without x64 (stored as float32)
        add.add("targets-bool", ["dtype"], np.array([1, -1, .5, 2, 0], np.float32),
                np.array([True, False, True, False, True]))
        add.add("x64-off", ["dtype"], np.array([1, -1, .5, 2, 0.1]), np.array([1., -1., 1., -1., 1.]), x64=False)
        # fuzz seed 2 case 406: a product with a bool array is a select, so NaN or inf
        # times False is 0, not NaN
        add.add("targets-bool-nan-inf", ["dtype", "nan", "inf", "fuzz"],
                np.array([NAN, INF, -INF, NAN, .5], np.float32), np.array([False, False, False, True, True]))
    return build


def _multiclass_build(name: str):
    hinge = name == "multiclass_hinge_loss"

    def build(add: _Cases, rng: np.random.Generator) -> None:
        for dt in ("float32", "float64"):
            a = lambda v, d=dt: np.array(v, d)
            lab = lambda v: np.array(v, np.int64)
            s_spec = a([[-.5, -.7, .2], [.3, -1, .2], [2, 1.5, -3], [1, 2, 3], [.5, -1, 1.5]])
            add.add("spec", ["sample", "kink"], s_spec, lab([2, 2, 0, 0, 2]))
            add.add("sample", ["sample"], exact.normal(rng, (6, 5)).astype(dt), rng.integers(0, 5, 6))
            add.add("reference", ["reference"], exact.normal(rng, (64, 10)).astype(dt), rng.integers(0, 10, 64))
            # ties: all equal, k-way ties among wrong classes, tie with the label's (s + 1) - 1
            add.add("ties", ["tie"], a([[0, 0, 0], [0, 0, 0], [1, 1, 1], [.5, .5, -.5]]), lab([0, 2, 1, 2]))
            add.add("tie-4way", ["tie"], a([[.25, .25, .25, .25], [2, 2, 2, 1]]), lab([3, 3]))
            s = _grid(rng, (5, 4), dt)
            y = rng.integers(0, 4, 5)
            margin = 1 if hinge else 0
            for r in range(4):  # a wrong class exactly at the margin (hinge) or at the label's score (perceptron),
                t = int(y[r])   # every other wrong class below it: the max is a tie between j and the label
                j = (t + 1 + r % 3) % 4
                for k in range(4):
                    if k != t:
                        s[r, k] = s[r, t] - margin if k == j else min(s[r, k], s[r, t] - margin - .25)
            add.add("kink", ["kink", "tie"], s, y)
            # labels out of range: a zero one-hot row
            add.add("labels-out-of-range", ["labels"], a([[.2, -.1, .1], [.3, .2, .1], [.1, .2, .3]]),
                    lab([-1, 3, 1]))
            add.add("labels-far-out-of-range", ["labels"], a([[.2, -.1, .1], [.3, .2, .1]]), lab([-7, 100]))
            # labels (N, 1): one_hot is (N, 1, K) and the result broadcasts to (N, N)
            add.add("labels-Nx1-broadcast", ["labels", "broadcast"], a([[.2, -.1, .1], [.3, .2, .4]]), lab([[2], [0]]))
            # shapes: one row with a 0-d label, 3-D, one class, empty batch
            add.add("1d-label-0d", ["scalar"], a([.5, -1, 1.5]), np.int64(2))
            if not hinge:  # a subnormal score counts as 0: a 3-way tie
                tiny = 1e-45 if dt == "float32" else 5e-324
                add.add("subnormal", ["subnormal", "tie"], a([[tiny, 0, 0], [0, -tiny, 0]]), lab([1, 0]))
            add.add("3d", ["rank"], exact.normal(rng, (2, 3, 4)).astype(dt), rng.integers(0, 4, (2, 3)))
            add.add("k1", ["c1"], exact.normal(rng, (3, 1)).astype(dt), lab([0, 0, 0]))
            add.add("empty", ["empty"], np.zeros((0, 4), dt), lab([]))
            # NaN and inf
            add.add("nan-inf", ["nan", "inf"], a([[NAN, 0, 1], [INF, 0, 1], [0, INF, 1], [0, 0, -INF], [-INF, 0, 1]]),
                    lab([1, 1, 1, 2, 1]))
            # errors
            add.add("error-k0", [], np.zeros((2, 0), dt), lab([0, 0]), error="shape_mismatch")
            add.add("error-labels-3-for-2", [], exact.normal(rng, (2, 3)).astype(dt), lab([0, 1, 2]),
                    error="shape_mismatch")
        add.add("labels-bool", [], np.array([[.1, .2], [.3, .4]], np.float32), np.array([True, False]),
                error="invalid_dtype")
        add.add("x64-off", ["dtype"], np.array([[.1, .5, -.2], [1, 2, 3]]), np.array([1, 0]), x64=False)
    return build


class _TripletCases:
    """Cases of optax.losses.triplet_margin_loss: three inputs and params."""

    def __init__(self, cases: CaseList):
        self.cases = cases

    def add(self, variant: str, tags, a, p, n, params: dict | None = None, *, x64: bool | None = None,
            error: str | None = None) -> None:
        if x64 is None:
            x64 = a.dtype == np.float64
        cid = f"{a.dtype.name}/{shape_label(a.shape)}/{variant}"
        tags = list(tags) + (["error"] if error else []) + ([] if x64 or a.dtype != np.float64 else ["x64-off"])
        self.cases.add(cid, tags, params or {}, {"anchors": a, "positives": p, "negatives": n}, error=error,
                       context=X64 if x64 else None)


def _triplet_build(add: _TripletCases, rng: np.random.Generator) -> None:
    for dt in ("float32", "float64"):
        a = lambda v, d=dt: np.array(v, d)

        def normal(shape, d=dt):
            return exact.normal(rng, shape).astype(d)

        def sample(shape):
            return normal(shape), normal(shape), normal(shape)

        # the docstring's example
        add.add("spec", ["sample"], a([[0, 0], [1, 1]]), a([[.1, .1], [1.1, 1.1]]), a([[1, 0], [0, 1]]))
        for variant, params in (("default", {}), ("margin0.5", {"margin": 0.5}), ("margin-1", {"margin": -1.0}),
                                ("eps0", {"eps": 0.0}), ("eps0.25", {"eps": 0.25}),
                                ("norm-degree-2.0", {"norm_degree": 2.0}), ("norm-degree-4", {"norm_degree": 4}),
                                ("norm-degree-1.5", {"norm_degree": 1.5})):
            add.add(variant, ["sample"], *sample((5, 4)), params)
        add.add("reference", ["reference"], *sample((64, 8)))
        # odd degrees: no abs, so a signed sum of differences (degree 1: negative
        # distances) or a negative sum under a fractional root (NaN)
        x, y, z = a([[0, 0], [1, 1], [2, 0]]), a([[.5, .25], [0, .5], [1, 1]]), a([[-1, 0], [1, 3], [0, 2]])
        add.add("norm-degree-1-signed", ["odd-degree"], x, y, z, {"norm_degree": 1})
        add.add("norm-degree-3-negative-nan", ["odd-degree", "nan"], x, y, z, {"norm_degree": 3})
        add.add("norm-degree-3", ["odd-degree"], *sample((5, 4)), {"norm_degree": 3})
        # eps inside the root: a == p is at distance eps ** (1 / degree), with a zero
        # gradient; with eps = 0 the root's derivative at 0 is inf and the gradient NaN
        x = normal((3, 4))
        same = (x, x.copy(), x + normal((3, 4)) * .25)
        add.add("a-eq-p", ["eps"], *same)
        add.add("a-eq-p-eps0", ["eps", "nan"], *same, {"eps": 0.0})
        # kinks (eps = 0, exact 3-4-5 distances): d(a,p) - d(a,n) + margin == 0, half gradient
        x = _grid(rng, (4, 2), dt, -4, 4, 1)
        u = a([[3, 4], [0, 1], [1, 0], [0, 2]])
        v = a([[6, 0], [0, -2], [-2, 0], [3, 0]])
        # (the distances are pow(s, 0.5) of perfect squares: exact in XLA and glibc, not
        # under the perturbed check's nudged pow, hence LIBM_TAG)
        add.add("kink-eps0", ["kink", LIBM_TAG], x, x + u, x + v, {"eps": 0.0})
        add.add("kink-eps0-margin2", ["kink", LIBM_TAG], x, x + u, x + v + a([[1, 0], [0, -1], [-1, 0], [1, 0]]),
                {"eps": 0.0, "margin": 2.0})
        # axis
        add.add("axis0", ["axis"], *sample((4, 3)), {"axis": 0})
        add.add("3d-axis1", ["axis", "rank"], *sample((2, 3, 4)), {"axis": 1})
        # shapes: 1-D, broadcasting, empty batch, empty features
        add.add("1d", ["scalar"], *sample(4))
        add.add("positives-1x4", ["broadcast"], normal((5, 4)), normal((1, 4)), normal((5, 4)))
        add.add("negatives-4", ["broadcast"], normal((3, 4)), normal((3, 4)), normal(4))
        add.add("empty", ["empty"], np.zeros((0, 3), dt), np.zeros((0, 3), dt), np.zeros((0, 3), dt))
        add.add("d0", ["empty"], np.zeros((3, 0), dt), np.zeros((3, 0), dt), np.zeros((3, 0), dt))
        # NaN and inf
        x, y, z = sample((4, 3))
        x[0, 1], z[1, 0], y[2, 2], z[3, 1] = NAN, NAN, INF, -INF
        add.add("nan-inf", ["nan", "inf"], x, y, z)
        # subnormal differences square to 0 (XLA flushes denormals)
        tiny = 1e-20 if dt == "float32" else 1e-160  # squares 1e-40, 1e-320: subnormal
        # (row 0: the square flushes, so d(a,p) = 0 and the root's gradient is infinite)
        add.add("subnormal-squares", ["subnormal", "inf"], a([[0, 0], [1, 1]]), a([[tiny, 0], [1, 1 + 2 ** -20]]),
                a([[1, 0], [2, 1]]), {"eps": 0.0, "margin": 2.0})
        # errors
        x, y, z = sample((3, 4))
        add.add("error-positives-3x5", [], x, normal((3, 5)), z, error="shape_mismatch")
        add.add("error-negatives-2x4", [], x, y, normal((2, 4)), error="shape_mismatch")
        add.add("error-axis2", [], x, y, z, {"axis": 2}, error="invalid_parameter")
        add.add("error-norm-degree-0", [], x, y, z, {"norm_degree": 0}, error="invalid_parameter")
        add.add("error-0d", [], a(1), a(2), a(3), error="invalid_parameter")
    add.add("error-int64", [], np.array([[1, 2]]), np.array([[0, 1]]), np.array([[2, 2]]), error="invalid_dtype",
            x64=True)
    add.add("x64-off", ["dtype"], np.array([[.1, .5, -.2], [1, 2, 3]]), np.array([[0, .5, 0], [1, 1, 1]]),
            np.array([[1., 1, 1], [3, 2, 1]]), x64=False)


# =========================================================================== registry

def _suite(suite: str, build, cases=_Cases) -> Suite:
    return Suite(suite, mirror_of(suite), with_cases(cases, build), TOLERANCE, FRAMEWORK,
                 run=lambda params, inputs, context=None: run_optax(suite, params, inputs, context))


SUITES: dict[str, Suite] = {s.name: s for s in (
    [_suite(k, _binary_build(v)) for k, v in BINARY.items()] +
    [_suite(k, _multiclass_build(v)) for k, v in MULTICLASS.items()] +
    [_suite(TRIPLET, _triplet_build, _TripletCases)])}


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
