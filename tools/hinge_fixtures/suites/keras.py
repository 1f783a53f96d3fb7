"""Keras 3's hinge-family losses (keras.losses.*): the case builders, and keras 3.15.1 on
its TensorFlow 2.21.0 and JAX 0.10.2 backends (CPU, eager) in workers. The NumPy mirror,
and how it follows Keras (the suites, params, inputs, outputs and error kinds), is
hinge_fixtures/mirrors/keras.py.

Expected values come from Keras itself. KERAS_BACKEND is fixed when keras is imported,
so each backend runs in a worker process of its own (`python -m
hinge_fixtures.suites.keras --worker` with KERAS_BACKEND set, see
contract.FrameworkWorker); the generator never imports keras. Every case is computed by
Keras and by the mirror, and generation stops, naming the case, unless they agree within
the case's tolerance (or raise the same error kind with the same message). Without the
pinned keras, tensorflow-cpu and jax the files cannot be written, but `--check` works:
`compute` is then the mirror alone. Workers run with PYTHONHASHSEED=0, because the
reduction error prints a set.
"""
from __future__ import annotations

import os
import sys

import numpy as np

from .. import exact
from ..contract import Framework, Suite, serve_worker, with_cases, worker_outputs
from ..fixture import Arrays, CaseList, decode_array, encode_array, shape_label
from ..mirrors.keras import BACKENDS, CLASSES, FUNCTIONS, TOLERANCE, mirror_of, total_sum

PINS = {"keras": "3.15.1", "tensorflow-cpu": "2.21.0", "jax": "0.10.2", "jaxlib": "0.10.2"}
NO_FRAMEWORK_ENV = "HINGE_FIXTURES_NO_KERAS"  # set (non-empty) to use the mirror alone
NAN, INF = float("nan"), float("inf")


# =========================================================================== Keras itself

def worker_env(backend: str) -> dict[str, str]:
    return {"KERAS_BACKEND": backend, "PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "3",
            "CUDA_VISIBLE_DEVICES": "", "JAX_PLATFORMS": "cpu"}


# Keras's and the backends' messages, mapped to the format's error kinds. A message that
# matches none stops the generator: a new kind of error needs a look, not a guess.
_ERROR_KINDS = (
    ("invalid_parameter", r"^Invalid value for argument `reduction`|to a mixed precision DTypePolicy"),
    ("invalid_dtype", r"Cast string to float is not supported|^could not convert string to float"),
    ("shape_mismatch", r"Incompatible shapes|incompatible shapes for broadcasting|^Cannot compute the max of an "
                       r"empty tensor|^zero-size array to reduction operation|Invalid reduction dimension"
                       r"|^tuple index out of range$|out of bounds for array of dimension"),
)


def _framework_versions() -> dict[str, str]:
    versions = {}
    for backend in BACKENDS:
        versions.update(FRAMEWORK.worker(backend).call({"versions": True})["versions"])
    return versions


FRAMEWORK = Framework("keras", PINS, NO_FRAMEWORK_ENV, label="Keras", worker_module=__name__, worker_env=worker_env,
                      error_kinds=_ERROR_KINDS, versions_of=_framework_versions)


def run_keras(suite: str, params: dict, inputs: Arrays, context: dict) -> Arrays:
    return FRAMEWORK.call(context["backend"], {"suite": suite, "params": params,
                                               "inputs": {k: encode_array(v) for k, v in inputs.items()}})


def _serve() -> None:
    """The worker: KERAS_BACKEND is set by the parent before keras is imported here."""
    backend = os.environ["KERAS_BACKEND"]
    import keras
    if backend == "tensorflow":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        versions = {"keras": keras.__version__, "tensorflow": tf.__version__}
    else:
        import jax
        import jax.numpy as jnp
        import jaxlib
        versions = {"jax": jax.__version__, "jaxlib": jaxlib.__version__}

    def call_of(suite: str, params: dict, inputs: Arrays):
        name = suite.rsplit(".", 1)[1]
        y_true = inputs["y_true"]
        if name in CLASSES:
            loss = getattr(keras.losses, name)(**params)
            kwargs = {"sample_weight": inputs["sample_weight"]} if "sample_weight" in inputs else {}
            return lambda y_pred: loss(y_true, y_pred, **kwargs)
        function = getattr(keras.losses, name)
        return lambda y_pred: function(y_true, y_pred)

    def run(suite: str, params: dict, inputs: Arrays) -> Arrays:
        y_pred = inputs["y_pred"]
        if backend == "tensorflow":
            p = tf.constant(y_pred)
            call = call_of(suite, params, inputs)
            with tf.GradientTape() as tape:
                tape.watch(p)
                out = call(p)
                total = tf.reduce_sum(out)
            grad = tape.gradient(total, p)
            return {"output": np.asarray(out), "grad_y_pred": np.zeros_like(y_pred) if grad is None else grad.numpy()}
        p = jnp.asarray(y_pred)
        call = call_of(suite, params, inputs)
        out = call(p)  # the value a plain call returns
        grad = jax.grad(lambda q: jnp.sum(call(q)))(p)
        return {"output": np.asarray(out), "grad_y_pred": np.asarray(grad)}

    def handle(request: dict) -> dict:
        if "versions" in request:
            return {"versions": versions}
        return worker_outputs(lambda r: run(r["suite"], r["params"], {k: decode_array(v) for k, v in
                                                                      r["inputs"].items()}), request)

    serve_worker(handle)


# =========================================================================== cases

class _Cases:
    """Adds cases to a CaseList (which, with Keras present, checks each against the mirror)."""

    def __init__(self, cases: CaseList):
        self.cases, self.suite = cases, cases.suite

    def add(self, cid: str, tags, params: dict, inputs: Arrays, context: dict, *, error: str | None = None,
            tolerance: dict | None = None) -> None:
        self.cases.add(cid, list(tags), params, inputs, error=error, tolerance=tolerance, context=context)


def _dt(dtype: str):
    return np.dtype(dtype).type


_scores, _grid = exact.scores, exact.grid


def _pm1(rng, shape, dtype="float32") -> np.ndarray:
    return exact.signs(rng, shape, dtype)


def _b01(rng, shape, dtype="float32") -> np.ndarray:
    y = rng.integers(0, 2, shape)
    y.flat[0], y.flat[-1] = 0, 1  # both values present
    return y.astype(dtype)


def _one_hot(rng, n, c, dtype="float32") -> np.ndarray:
    return np.eye(c, dtype=dtype)[rng.integers(0, c, n)]


def _binary_kinks(rng, n, c, dtype):
    """±1 labels with p = y (so 1 - y*p == 0 exactly) in about a third of the entries."""
    y = _pm1(rng, (n, c), dtype)
    p = _grid(rng, (n, c), dtype)
    at = rng.random((n, c)) < 0.35
    at.flat[0] = True
    p[at] = y[at]
    return y, p


def _binary_scenarios(rng):
    """(variant, tags, y_true, y_pred, float64-too) shared by hinge and squared_hinge and their classes."""
    f = "float32"
    a = lambda v, dt=f: np.array(v, dt)
    doc_p = a([[.6, .4], [.4, .6]])
    y, p = _binary_kinks(rng, 4, 3, f)
    return [
        ("doc-binary01", ["sample", "conversion"], a([[0, 1], [0, 0]]), doc_p, True),
        ("sample-pm1", ["sample"], _pm1(rng, (5, 4)), _scores(rng, (5, 4), f), True),
        ("sample-binary01", ["sample", "conversion"], _b01(rng, (5, 4)), _scores(rng, (5, 4), f), True),
        ("mixed-minus1", ["conversion"], a([[-1, 0], [1, 0]]), doc_p, False),
        ("batch-global-minus1", ["conversion"], a([[0, 1], [-1, 1]]), doc_p, False),
        ("soft-0.5", ["conversion"], a([[.5, 1], [0, 1]]), doc_p, False),
        ("label-2", ["conversion"], a([[0, 2], [1, 0]]), doc_p, False),
        ("label-nan", ["conversion", "nan"], a([[NAN, 1], [0, 1]]), doc_p, False),
        ("all-ones", ["conversion"], np.ones((3, 4), f), _scores(rng, (3, 4), f), False),
        ("all-zeros", ["conversion"], np.zeros((3, 4), f), _scores(rng, (3, 4), f), False),
        ("labels-int64", ["conversion", "dtype"], _b01(rng, (4, 3), "int64"), _scores(rng, (4, 3), f), False),
        ("labels-bool", ["conversion", "dtype"], _b01(rng, (4, 3), "bool"), _scores(rng, (4, 3), f), False),
        ("kink-spec", ["kink"], a([[1, -1, 1, -1]]), a([[1, -1, .5, 2]]), True),
        ("kink-pm1", ["kink"], y, p, True),
        ("kink-binary01", ["kink", "conversion"], a([[1, 0, 1], [0, 0, 1]]), a([[1, -1, .5], [-1, 2, 1]]), False),
        ("nan-inf", ["nan", "inf"], a([[1, -1], [1, 1], [-1, 1], [1, -1]]),
         a([[NAN, 1], [INF, 0], [INF, -INF], [-INF, .5]]), False),
        ("3d", ["rank"], _pm1(rng, (2, 3, 4)), _scores(rng, (2, 3, 4), f), False),
    ]


def _categorical_kinks(rng, n=6, c=4, dtype="float32"):
    """One-hot rows where (neg - pos) + 1 == 0 exactly in the first four rows: wrong
    scores on a grid, the true score max(0, best wrong) + 1 (neg includes the true slot's 0)."""
    y = _one_hot(rng, n, c, dtype)
    p = _grid(rng, (n, c), dtype, -8, 8)
    for r in range(4):
        t = int(np.argmax(y[r]))
        p[r, t] = max(0.0, max(float(p[r, j]) for j in range(c) if j != t)) + 1
    return y, p


def _categorical_scenarios(rng):
    f = "float32"
    a = lambda v, dt=f: np.array(v, dt)
    y, p = _categorical_kinks(rng)
    return [
        ("spec-onehot", ["sample"], a([[0, 0, 1], [0, 0, 1], [1, 0, 0]]),
         a([[-.5, -.7, .2], [.3, -1, .2], [2, 1.5, -3]]), True),
        ("doc-binary01", ["sample"], a([[0, 1], [0, 0]]), a([[.6, .4], [.4, .6]]), True),
        ("sample-onehot", ["sample"], _one_hot(rng, 6, 5), _scores(rng, (6, 5), f), True),
        ("keras8083", ["quirk"], a([[1, 0], [0, 1]]), a([[-3, -5], [-2, -1]]), False),
        ("soft", ["soft"], a([[.3, .4, .3], [.2, .2, .6]]), a([[3, 4, 5], [.5, -.5, .25]]), False),
        ("multi-hot", ["soft"], a([[1, 1, 0, 0], [0, 1, 1, 1]]), _scores(rng, (2, 4), f), False),
        ("pm1-labels", ["quirk"], a([[-1, -1, 1], [1, -1, -1]]), a([[-.5, -.7, .2], [.3, -1, .2]]), False),
        ("all-zero-rows", ["quirk"], a([[0, 0], [0, 0], [0, 1]]), a([[.4, .6], [-.4, -.6], [.1, .2]]), False),
        ("tie-masked-slot", ["tie"], a([[0, 0, 1], [1, 0, 0]]), a([[0, -1, .5], [2, 0, -.5]]), False),
        ("tie-wrong", ["tie"], a([[0, 0, 1], [0, 1, 0]]), a([[.3, .3, .2], [.7, .1, .7]]), False),
        ("tie-3way", ["tie"], a([[0, 0, 0, 1], [1, 0, 0, 0]]), a([[.25, .25, .25, 0], [1, 0, 0, 0]]), False),
        ("wrong-negative", ["tie"], a([[0, 0, 1]]), a([[-.3, -.3, .2]]), False),
        ("kink", ["kink"], y, p, True),
        ("labels-int64", ["dtype"], _one_hot(rng, 4, 3, "int64"), _scores(rng, (4, 3), f), False),
        ("nan-inf", ["nan", "inf"], a([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]),
         a([[NAN, 1, 0], [INF, 0, 0], [.5, -INF, 0], [.2, .1, .3]]), False),
        ("label-nan", ["nan"], a([[NAN, 0, 1], [0, 1, 0]]), a([[.2, .1, .3], [.5, .4, -.1]]), False),
        ("3d", ["rank"], _one_hot(rng, 6, 4).reshape(2, 3, 4), _scores(rng, (2, 3, 4), f), False),
        ("subnormal", ["subnormal", "tie"], a([[0, 0, 1], [0, 0, 1], [0, 1, 0]]),
         a([[1e-40, -1, .5], [1e-45, -1e-45, .5], [-1e-40, .25, 1e-38]]), False),
    ]


def _fn_build(function: str):
    def build(add: _Cases, rng: np.random.Generator) -> None:
        binary = function != "categorical_hinge"
        scenarios = _binary_scenarios(rng) if binary else _categorical_scenarios(rng)

        def both(cid_tail, tags, y, p, backends=BACKENDS, error=None):
            for backend in backends:
                dtype = p.dtype.name
                cid = f"{backend}/{dtype}/{shape_label(p.shape)}/{cid_tail}"
                add.add(cid, tags, {}, {"y_true": y, "y_pred": p}, {"backend": backend}, error=error)

        for variant, tags, y, p, f64 in scenarios:
            both(variant, tags, y, p)
            if f64:  # float64 on TensorFlow only (JAX without x64 has no float64)
                both(variant, tags + ["float64"], y.astype("float64") if y.dtype.kind == "f" else y,
                     p.astype("float64"), backends=("tensorflow",))
        f = "float32"
        a = lambda v, dt=f: np.array(v, dt)
        # rank: the functions do not align ranks; y (3,) against p (3, 1) broadcasts to (3, 3)
        both("broadcast-y3-p3x1", ["rank", "broadcast"], a([0, 1, 1]), a([[.3], [-.2], [2]]))
        both("1d", ["rank"], a([0, 1, 1]) if binary else a([0, 0, 1]), a([.3, -.2, 2]))
        both("reference", ["reference"], _pm1(rng, (64, 10)) if binary else _one_hot(rng, 64, 10),
             _scores(rng, (64, 10), f))
        # empty batch; an empty class axis
        if binary:
            both("empty", ["empty"], np.zeros((0, 3), f), np.zeros((0, 3), f))
            both("c0", ["empty"], np.zeros((3, 0), f), np.zeros((3, 0), f))
        else:
            both("empty", ["empty"], np.zeros((0, 3), f), np.zeros((0, 3), f), backends=("jax",))
            both("empty", ["empty", "error"], np.zeros((0, 3), f), np.zeros((0, 3), f), backends=("tensorflow",),
                 error="shape_mismatch")
            both("c0", ["empty", "error"], np.zeros((3, 0), f), np.zeros((3, 0), f), error="shape_mismatch")
        # errors
        both("error-shapes-4x3-4x2", ["error"], _pm1(rng, (4, 3)), _scores(rng, (4, 2), f), error="shape_mismatch")
        both("error-0d", ["error"], a(1), a(.3), error="shape_mismatch")
        both("error-string-labels", ["error"], np.array([["a", "b"], ["b", "a"]]), _scores(rng, (2, 2), f),
             error="invalid_dtype")
    return build


def _cls_build(cls: str):
    function = CLASSES[cls]
    binary = function != "categorical_hinge"

    def build(add: _Cases, rng: np.random.Generator) -> None:
        f = "float32"
        a = lambda v, dt=f: np.array(v, dt)

        def case(variant, tags, y, p, sw=None, sw_label="sw-none", reductions=("default",), dtype=None,
                 backends=BACKENDS, error=None, tolerance=None):
            for backend in backends:
                for r in reductions:
                    params = {}
                    if r != "default":
                        params["reduction"] = None if r == "None" else r
                    if dtype is not None:
                        params["dtype"] = dtype
                    inputs = {"y_true": y, "y_pred": p}
                    if sw is not None:
                        inputs["sample_weight"] = sw
                    cid = f"{backend}/{p.dtype.name}/{shape_label(p.shape)}/{variant}/{r}/{sw_label}"
                    add.add(cid, tags, params, inputs, {"backend": backend}, error=error, tolerance=tolerance)

        every = ("default", "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", "None")
        main = ("default", "sum", "mean_with_sample_weight", "none")
        if binary:
            y = a([[1, -1, 1], [-1, 1, 1], [1, 1, -1], [-1, -1, -1]])
            p = a([[.5, .2, -.3], [.1, 2, .9], [1, 1, 1], [-2, .3, -.1]])
        else:
            y = a([[0, 0, 1], [0, 0, 1], [1, 0, 0], [0, 1, 0]])
            p = a([[-.5, -.7, .2], [.3, -1, .2], [2, 1.5, -3], [.4, .4, -1]])
        n = y.shape[0]
        # the spec's data (§1.8): every reduction, without and with (N,) weights
        case("spec", ["sample"], y, p, reductions=every)
        case("spec", ["sample", "weights"], y, p, a([1, .5, 0, 2]), "sw-N", reductions=every)
        # weights: scalar, (N,1), all zero, float64, int64
        case("spec", ["weights"], y, p, a(2.0), "sw-scalar",
             reductions=("sum_over_batch_size", "sum", "mean_with_sample_weight"))
        case("spec", ["weights"], y, p, a([[1], [2], [0], [.5]]), "sw-Nx1", reductions=("none", "sum_over_batch_size",
                                                                                       "mean_with_sample_weight"))
        case("spec", ["weights", "divide-no-nan"], y, p, np.zeros(n, f), "sw-zeros",
             reductions=("sum_over_batch_size", "mean_with_sample_weight"))
        case("spec", ["weights", "dtype"], y, p, np.array([.1, .2, .3, .4]), "sw-N-float64", reductions=("sum",))
        case("spec", ["weights", "dtype"], y, p, np.array([1, 2, 0, 3]), "sw-N-int64",
             reductions=("mean_with_sample_weight",))
        # random batches
        if binary:
            ys, ps = _pm1(rng, (6, 5)), _scores(rng, (6, 5), f)
            yb, pb = _b01(rng, (6, 5)), _scores(rng, (6, 5), f)
            case("sample-binary01", ["sample", "conversion"], yb, pb, exact.uniform(rng, 0, 2, 6).astype(f), "sw-N",
                 reductions=main)
        else:
            ys, ps = _one_hot(rng, 6, 5), _scores(rng, (6, 5), f)
        case("sample", ["sample"], ys, ps, reductions=main)
        case("sample", ["sample", "weights"], ys, ps, exact.uniform(rng, 0, 2, 6).astype(f), "sw-N", reductions=main)
        case("reference", ["reference"], _pm1(rng, (64, 10)) if binary else _one_hot(rng, 64, 10),
             _scores(rng, (64, 10), f), exact.uniform(rng, 0, 2, 64).astype(f), "sw-N", reductions=("default", "sum"))
        # kinks
        if binary:
            yk, pk = _binary_kinks(rng, 4, 3, f)
        else:
            yk, pk = _categorical_kinks(rng)
        case("kink", ["kink"], yk, pk, reductions=("default", "none"))
        # conversion rules and label dtypes
        if binary:
            dp = a([[.6, .4], [.4, .6]])
            case("doc-binary01", ["conversion"], a([[0, 1], [0, 0]]), dp, reductions=("default", "sum"))
            case("doc-binary01", ["conversion", "weights"], a([[0, 1], [0, 0]]), dp, a([1, 0]), "sw-N",
                 reductions=("sum_over_batch_size", "sum", "none"))
            case("doc-binary01", ["conversion", "weights"], a([[0, 1], [0, 0]]), dp, a(0.0), "sw-scalar0",
                 reductions=("default",))
            case("batch-global-minus1", ["conversion"], a([[0, 1], [-1, 1]]), dp, reductions=("none",))
            case("labels-int64", ["conversion", "dtype"], _b01(rng, (4, 3), "int64"), _scores(rng, (4, 3), f),
                 reductions=("default",))
            case("labels-bool", ["conversion", "dtype"], _b01(rng, (4, 3), "bool"), _scores(rng, (4, 3), f),
                 reductions=("none",))
        else:
            case("keras8083", ["quirk"], a([[1, 0], [0, 1]]), a([[-3, -5], [-2, -1]]), reductions=("none",))
            case("spec-rows-1-3", ["sample", "weights"], a([[0, 0, 1], [1, 0, 0]]), a([[-.5, -.7, .2], [2, 1.5, -3]]),
                 a([2, 1]), "sw-N", reductions=("default",))
            case("ties", ["tie"], a([[0, 0, 1], [0, 0, 1], [0, 0, 1]]), a([[0, -1, .5], [.3, .3, .2], [.1, .1, .1]]),
                 reductions=("default", "sum"))
            case("soft", ["soft"], a([[.3, .4, .3], [.2, .2, .6]]), a([[3, 4, 5], [.5, -.5, .25]]),
                 reductions=("default",))
            case("labels-int64", ["dtype"], _one_hot(rng, 4, 3, "int64"), _scores(rng, (4, 3), f),
                 reductions=("default",))
        # rank alignment: y (N,) with p (N,1), p (N,) with y (N,1); 1-D inputs; 3-D
        y1 = a([0, 1, 1]) if binary else a([1, 0, 0])
        p1 = a([.3, -.2, 2])
        case("y-N-p-Nx1", ["rank"], y1, p1.reshape(3, 1), reductions=("none", "sum"))
        case("p-N-y-Nx1", ["rank"], y1.reshape(3, 1), p1, reductions=("none", "sum"))
        case("1d", ["rank", "scalar"], y1, p1, reductions=("sum_over_batch_size", "sum", "none"))
        case("1d", ["rank", "scalar", "weights"], y1, p1, a([1, 0, 0]), "sw-N",
             reductions=("none", "sum_over_batch_size", "sum", "mean_with_sample_weight"))
        y3 = _pm1(rng, (3, 3, 4)) if binary else _one_hot(rng, 9, 4).reshape(3, 3, 4)
        p3 = _scores(rng, (3, 3, 4), f)
        case("3d", ["rank"], y3, p3, reductions=("default", "none"))
        case("3d-T-eq-N", ["rank", "weights", "broadcast"], y3, p3, a([1, 0, 0]), "sw-N",
             reductions=("none", "sum_over_batch_size"))
        case("3d", ["rank", "weights"], y3, p3, a([[1], [0], [2]]), "sw-Nx1", reductions=("none",))
        # empty batch
        empty_backends = BACKENDS if binary else ("jax",)
        case("empty", ["empty"], np.zeros((0, 3), f), np.zeros((0, 3), f), reductions=("default", "sum", "none"),
             backends=empty_backends)
        case("empty", ["empty", "weights"], np.zeros((0, 3), f), np.zeros((0, 3), f), np.zeros(0, f), "sw-N",
             reductions=("mean_with_sample_weight",), backends=empty_backends)
        if not binary:
            case("empty", ["empty", "error"], np.zeros((0, 3), f), np.zeros((0, 3), f), backends=("tensorflow",),
                 error="shape_mismatch")
        # NaN and inf
        if binary:
            case("nan-inf", ["nan", "inf"], a([[1, -1], [1, 1], [-1, 1], [1, -1]]),
                 a([[NAN, 1], [INF, 0], [INF, -INF], [-INF, .5]]), reductions=("none", "sum"))
        else:
            case("nan-inf", ["nan", "inf"], a([[1, 0, 0], [1, 0, 0], [0, 0, 1]]), a([[NAN, 1, 0], [INF, 0, 0],
                                                                                     [.2, .1, .3]]),
                 reductions=("none", "sum"))
        # subnormal weights: the weighted values are flushed to 0
        case("spec", ["weights", "subnormal"], y, p, a([1e-40, 1e-45, 1e-39, 1]), "sw-subnormal",
             reductions=("none", "sum"))
        if not binary:  # a subnormal wrong score counts as 0 and ties with the masked true slot
            case("subnormal", ["subnormal", "tie"], a([[0, 0, 1], [0, 0, 1]]),
                 a([[1e-40, -1, .5], [1e-45, -1e-45, .5]]),
                 reductions=("sum",))
        # dtypes: float64 in (cast to float32; the gradient comes back float64), dtype="float64"
        y64, p64 = ys.astype("float64"), ps.astype("float64")
        case("sample-f64-in", ["dtype", "float64"], y64, p64, reductions=("default", "none"), backends=("tensorflow",))
        case("sample-dtype-float64", ["dtype", "float64"], y64, p64, reductions=("default", "none"), dtype="float64",
             backends=("tensorflow",))
        case("sample-dtype-float64", ["dtype", "float64", "weights"], y64, p64, exact.uniform(rng, 0, 2, 6), "sw-N",
             reductions=("mean_with_sample_weight",), dtype="float64", backends=("tensorflow",))
        case("sample-f32-dtype-float64", ["dtype", "float64"], ys, ps, reductions=("sum",), dtype="float64",
             backends=("tensorflow",))
        case("sample-dtype-null", ["dtype"], ys, ps, reductions=("sum",), dtype=None)
        # errors
        case("spec", ["error"], y, p, reductions=("avg",), error="invalid_parameter")
        case("spec-dtype-float65", ["error"], y, p, reductions=("default",), dtype="float65", error="invalid_parameter")
        case("spec-error-sw-NxC", ["error", "weights"], y, p, np.ones(y.shape, f), "sw-NxC", error="shape_mismatch")
        y32, p32 = (_pm1(rng, (3, 2, 4)) if binary else _one_hot(rng, 6, 4).reshape(3, 2, 4)), _scores(rng, (3, 2, 4),
                                                                                                      f)
        case("3d-T-ne-N-error", ["error", "weights"], y32, p32, a([1, 0, 0]), "sw-N", error="shape_mismatch")
        case("error-shapes", ["error"], y, _scores(rng, (4, 2), f), error="shape_mismatch")
        case("error-0d", ["error"], a(1), a(.3), error="shape_mismatch")
        case("error-string-labels", ["error"], np.array([["a", "b"], ["b", "a"]]), _scores(rng, (2, 2), f),
             error="invalid_dtype")
        _fuzz_findings(case, y, p)
    return build


F32_MAX, F32_MIN_NORMAL, F64_MAX = float(np.finfo(np.float32).max), float(np.finfo(np.float32).tiny), float(
    np.finfo(np.float64).max)
EXACT = {"rtol": 0.0, "atol": 0.0}


def order_matters(x: np.ndarray, backend: str) -> bool:
    """Whether the backend's order of ops.sum(x) gives another value than the
    correctly rounded sum: a golden case about the order must be one where it does."""
    return bool(total_sum(x, backend) != x.dtype.type(np.sum(x.astype(np.longdouble))))


def _fuzz_findings(case, y: np.ndarray, p: np.ndarray) -> None:
    """Golden cases from the fuzzer's findings (hinge-conformance fuzz, seed 1), every
    class: the inputs as the fuzzer drew them (or the spec data with the drawn weights)."""
    f = "float32"
    a = lambda v, dt=f: np.array(v, dt)
    # A subnormal scalar weight is 0: the divisor sum(sample_weight) is 0 and divide_no_nan
    # gives 0 and a zero gradient (Swift gave NaN: 1/subnormal times the flushed weight).
    case("fuzz-sw-subnormal-scalar", ["weights", "subnormal", "divide-no-nan", "fuzz"], y, p, a(1e-40),
         "sw-scalar-subnormal", reductions=("mean_with_sample_weight", "sum_over_batch_size"))
    # Weights that cancel (seed 1 case 170): sum(sample_weight) = 0.0023 in the backend's
    # order; a correctly rounded sum is hundreds of ulps off in the output and gradient.
    sw = a([-1.7199734449386597, -1.5351591110229492, 2.7557413578033447, 0.501639723777771])
    y170 = a([[0, 1, 0], [1, 1, 0], [1, 0, 0], [1, 0, 0]])
    p170 = a([[-2.628443956375122, -3.232693910598755, -9.338654649582168e-07],
              [2.4708712100982666, -1.5420814752578735, -2.3673431873321533],
              [-3.477857828140259, -2.53039288520813, -0.6979742050170898],
              [4.25025749206543, -0.1545577049255371, -3.8753302097320557]])
    for backend in BACKENDS:
        assert order_matters(sw, backend), "the weights of fuzz-sum-order must exercise the sum order"
    case("fuzz-sum-order", ["weights", "order", "fuzz"], y170, p170, sw, "sw-N-cancel",
         reductions=("mean_with_sample_weight",), tolerance=EXACT)
    # A weight near the float32 maximum (case 1008): 1/sum(sample_weight) is subnormal, so
    # the gradient through divide_no_nan is flushed to 0 (the mirror kept 1/2**128).
    case("fuzz-sw-near-max", ["weights", "subnormal", "fuzz"], y, p, a([F32_MAX, .5, 0, 2]), "sw-N-max",
         reductions=("mean_with_sample_weight",))
    case("fuzz-sw-near-max-float64", ["weights", "subnormal", "dtype", "float64", "fuzz"], y.astype("float64"),
         p.astype("float64"), np.array([1, .5, -F64_MAX, 2]), "sw-N-max", reductions=("mean_with_sample_weight",),
         dtype="float64", backends=("tensorflow",))
    # The smallest normal weight (case 5585): the mean's gradient g / C is subnormal, flushed
    # to 0, and 0 times square's 2h = inf is NaN (the mirror kept the subnormal: inf).
    p_big = p.copy()
    p_big[0, 1] = F32_MAX
    case("fuzz-sw-min-normal", ["weights", "subnormal", "inf", "fuzz"], y, p_big, a([F32_MIN_NORMAL, 1, 1, 1]),
         "sw-N-min-normal", reductions=("none", "sum"))
    # A partial sum that is subnormal is written as 0 (FTZ): sum(sample_weight) of these
    # normal weights is 2**-127, so the divisor is 0 and divide_no_nan gives 0.
    case("ftz-weight-sum", ["weights", "subnormal", "divide-no-nan"], y, p,
         a([1.5 * F32_MIN_NORMAL, -F32_MIN_NORMAL, 0, 0]), "sw-N-subnormal-sum",
         reductions=("mean_with_sample_weight",))


# =========================================================================== registry

def _suite(name: str, build) -> Suite:
    suite = f"keras.losses.{name}"
    return Suite(suite, mirror_of(suite), with_cases(_Cases, build), TOLERANCE, FRAMEWORK,
                 run=lambda params, inputs, context: run_keras(suite, params, inputs, context),
                 framework_label=lambda case: f"Keras ({case['context']['backend']})")


SUITES: dict[str, Suite] = {s.name: s for s in (
    [_suite(f, _fn_build(f)) for f in FUNCTIONS] + [_suite(c, _cls_build(c)) for c in CLASSES])}


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
