"""optax's margin losses: the NumPy mirror of optax 0.2.8 on JAX 0.10.2 (CPU, eager), and
the generators of their fixture cases.

Expected values come from optax, run in worker processes (`python -m
hinge_fixtures.suites.optax --worker`, see fixture.FrameworkWorker): JAX's x64 mode is
fixed when jax starts, so float32 cases run in a worker without it and float64 cases in
one with JAX_ENABLE_X64=1. Every case is checked against the mirror as in keras.py.
Without jax, jaxlib and optax at their pins the files cannot be written; `--check` uses
the mirror alone.

Suites (inputs by optax's argument names, passed to optax as jax arrays; outputs
`output` and the gradient of output.sum() by jax.grad with respect to the first input):

    optax.hinge_loss(predictor_outputs, targets)                     grad_predictor_outputs
    optax.losses.perceptron_loss(predictor_outputs, targets)         grad_predictor_outputs
    optax.losses.multiclass_hinge_loss(scores, labels)               grad_scores
    optax.losses.multiclass_perceptron_loss(scores, labels)          grad_scores

No params. float32 cases have no context; float64 cases carry
`context: {"jax_enable_x64": true}`. Cases tagged "x64-off" give float64 inputs
without that context: JAX stores them as float32, so output and gradient are float32.

How the mirror follows optax (optax/losses/_classification.py; the spec
the workspace's shared specs, keras-tf-optax-mlx.md §3):

- hinge_loss = maximum(0, 1 - p*t), broadcasting p and t (the gradient is summed back
  to p's shape). perceptron_loss = maximum(0, (-p)*t) after check_shapes_equal. No
  label conversion: {0,1} targets give 1 - 0 = 1 for every 0. JAX's type promotion:
  integer or bool targets take p's float type; but a product with a bool array is a
  select (x * False = 0 even for a NaN or inf x, measured with jax 0.10.2).
- multiclass: one_hot(labels, K) (float32, float64 under x64; a label outside 0..K-1
  gives a zero row; bool labels are rejected by iota). multiclass_hinge_loss =
  max((s + 1) - onehot) - dot(s, onehot); multiclass_perceptron_loss = max(s) -
  dot(s, onehot). The dot has one nonzero term, so it is exact (but 0*inf = NaN).
- Gradients: lax.max's tie rule gives 1/2 to each side of maximum(0, m) at m == 0 (0 for
  NaN); jnp.max sends g/k to each of k tied maxima ((g / k) * indicators; a NaN row has
  k = 0 and a NaN gradient); the dot sends -g to the label's column.
- Everything is element-wise or a max: the mirror is exact, except that a broadcast
  gradient is summed in order along the broadcast axis, as XLA does for small arrays.
- Subnormals: XLA flushes denormals on CPU (FTZ and DAZ), in float64 too: a subnormal
  score counts as 0 (a tie at the kink) and a subnormal loss is 0. Cases tagged
  "subnormal".
- Error kinds: shapes that do not broadcast, perceptron_loss's shape check, an empty
  class axis -> shape_mismatch; bool labels -> invalid_dtype. Messages are JAX's and
  optax's.
"""
from __future__ import annotations

import functools
import math
import os
import re
import sys

import numpy as np

from .. import exact
from ..fixture import (Arrays, CaseList, FrameworkWorker, LossError, Suite, decode_array, encode_array,
                       missing_pins, serve_worker, shape_label, unwritable_reason, verify_mirror)
from .keras import flush_subnormals

PINS = {"jax": "0.10.2", "jaxlib": "0.10.2", "optax": "0.2.8"}
NO_FRAMEWORK_ENV = "HINGE_FIXTURES_NO_OPTAX"  # set (non-empty) to use the mirror alone
NAN, INF = math.nan, math.inf
TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}
BINARY = {"optax.hinge_loss": "hinge_loss", "optax.losses.perceptron_loss": "perceptron_loss"}
MULTICLASS = {"optax.losses.multiclass_hinge_loss": "multiclass_hinge_loss",
              "optax.losses.multiclass_perceptron_loss": "multiclass_perceptron_loss"}
X64 = {"jax_enable_x64": True}


# =========================================================================== optax itself

@functools.cache
def framework_reason() -> str | None:
    if os.environ.get(NO_FRAMEWORK_ENV):
        return f"{NO_FRAMEWORK_ENV} is set"
    return missing_pins(PINS)


@functools.cache
def _worker(x64: bool) -> FrameworkWorker:
    return FrameworkWorker(__name__, {"JAX_ENABLE_X64": "1" if x64 else "0", "JAX_PLATFORMS": "cpu",
                                      "PYTHONHASHSEED": "0"})


def _x64(context: dict | None) -> bool:
    context = context or {}
    if set(context) - {"jax_enable_x64"}:
        raise AssertionError(f"unexpected context {context}")
    return bool(context.get("jax_enable_x64", False))


def _unwritable_reason(suite_name: str):
    pins = ", ".join(f"{k}=={v}" for k, v in PINS.items())
    return unwritable_reason(f"{pins} are", suite_name, framework_reason)


@functools.cache
def _framework_versions() -> dict[str, str]:
    if framework_reason() is not None:
        return {}
    return _worker(False).call({"versions": True})["versions"]


_ERROR_KINDS = (
    ("invalid_dtype", r"^iota does not accept dtype"),
    ("shape_mismatch", r"^Shape mismatch: got |incompatible shapes for broadcasting|^Incompatible shapes for "
                       r"broadcasting|^zero-size array to reduction operation"),
)


def classify_error(message: str) -> str:
    for kind, pattern in _ERROR_KINDS:
        if re.search(pattern, message):
            return kind
    raise RuntimeError(f"optax raised an error no kind is mapped for: {message}")


def run_optax(suite: str, inputs: Arrays, context: dict | None) -> Arrays:
    reply = _worker(_x64(context)).call({"suite": suite, "inputs": {k: encode_array(v) for k, v in inputs.items()}})
    if "error" in reply:
        message = reply["error"]["message"]
        raise LossError(classify_error(message), message)
    return {k: decode_array(v) for k, v in reply["outputs"].items()}


def _serve() -> None:
    import warnings

    import jax
    import jax.numpy as jnp
    import jaxlib
    import optax
    warnings.simplefilter("ignore")  # int64 -> int32 truncation notices without x64

    def run(suite: str, inputs: Arrays) -> Arrays:
        fn = optax.hinge_loss if suite == "optax.hinge_loss" else getattr(optax.losses, suite.rsplit(".", 1)[1])
        first = "predictor_outputs" if suite in BINARY else "scores"
        args = {k: jnp.asarray(v) for k, v in inputs.items()}
        out = fn(**args)
        grad = jax.grad(lambda q: jnp.sum(fn(**{**args, first: q})))(args[first])
        return {"output": np.asarray(out), f"grad_{first}": np.asarray(grad)}

    def handle(request: dict) -> dict:
        if "versions" in request:
            return {"versions": {"jax": jax.__version__, "jaxlib": jaxlib.__version__, "optax": optax.__version__}}
        inputs = {k: decode_array(v) for k, v in request["inputs"].items()}
        try:
            outputs = run(request["suite"], inputs)
        except Exception as e:  # optax's or JAX's error, classified by the parent
            return {"error": {"type": type(e).__name__, "message": str(e)}}
        return {"outputs": {k: encode_array(np.asarray(v)) for k, v in outputs.items()}}

    serve_worker(handle)


# =========================================================================== mirror

def _as_jax(a: np.ndarray, x64: bool) -> np.ndarray:
    """jnp.asarray: without x64, 64-bit types are stored in 32 bits."""
    if not x64 and a.dtype == np.float64:
        return a.astype(np.float32)
    if not x64 and a.dtype == np.int64:
        return a.astype(np.int32)
    return a


def _promote(p: np.ndarray, t: np.ndarray) -> np.dtype:
    """JAX's promotion of a float array with another array: integers and bools take the
    float type; two floats the wider."""
    if t.dtype.kind != "f":
        return p.dtype
    return np.promote_types(p.dtype, t.dtype)


def broadcast_shape(a: tuple, b: tuple, op: str | None) -> tuple:
    """jnp's broadcasting of two operands in call order, or its error: lax's (naming the
    op) for operands of equal rank, jnp's otherwise and for jnp.vectorize (op None)."""
    try:
        return tuple(np.broadcast_shapes(tuple(a), tuple(b)))
    except ValueError:
        pass
    if op is not None and len(a) == len(b):
        raise LossError("shape_mismatch", f"{op} got incompatible shapes for broadcasting: {tuple(a)}, {tuple(b)}.")
    raise LossError("shape_mismatch", f"Incompatible shapes for broadcasting: shapes=[{tuple(a)}, {tuple(b)}]")


def _sum_to(g: np.ndarray, shape) -> np.ndarray:
    """The sum of a broadcast gradient back to an input's shape, in order along each
    summed axis (XLA's order for small operands)."""
    shape = tuple(shape)
    lead = g.ndim - len(shape)
    for _ in range(lead):
        acc = np.zeros(g.shape[1:], g.dtype)
        for i in range(g.shape[0]):
            acc = acc + g[i]
        g = acc
    for axis, s in enumerate(shape):
        if s == 1 and g.shape[axis] != 1:
            acc = np.zeros(g.shape[:axis] + (1,) + g.shape[axis + 1:], g.dtype)
            for i in range(g.shape[axis]):
                acc = acc + np.take(g, [i], axis=axis)
            g = acc
    return g.reshape(shape)


def _max0_grad(m: np.ndarray) -> np.ndarray:
    """d maximum(0, m)/dm under lax.max's balanced rule: 1, 1/2 at the tie, 0 (and 0 for NaN)."""
    dt = m.dtype.type
    return np.where(m > 0, dt(1), np.where(m == 0, dt(0.5), dt(0)))


def binary_mirror(name: str, params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    if params:
        raise AssertionError(f"{name} takes no params, got {params}")
    x64 = _x64(context)
    p_in, t_in = inputs["predictor_outputs"], inputs["targets"]
    if p_in.dtype.kind != "f":
        raise NotImplementedError("only float predictor_outputs are mirrored")
    p, t = flush_subnormals(_as_jax(p_in, x64)), flush_subnormals(_as_jax(t_in, x64))
    if name == "perceptron_loss" and p.shape != t.shape:
        raise LossError("shape_mismatch", f"Shape mismatch: got {p.shape} and {t.shape}.")
    dt = _promote(p, t)
    with np.errstate(all="ignore"):
        shape = broadcast_shape(p.shape, t.shape, "mul")
        pb, tb = np.broadcast_to(p.astype(dt), shape), np.broadcast_to(t.astype(dt), shape)
        if t.dtype == bool:  # jnp.multiply by a bool array selects: x * False is 0, even for a NaN or inf x
            def times_t(x):
                return np.where(tb != 0, x, dt.type(0))
        else:
            def times_t(x):
                return flush_subnormals(x * tb)
        m = dt.type(1) - times_t(pb) if name == "hinge_loss" else times_t(-pb)
        out = np.maximum(dt.type(0), m)
        gm = np.ones(shape, dt) * _max0_grad(m)
        g = -(gm * tb)
        grad = _sum_to(g, p.shape).astype(p.dtype)
    return {"output": np.asarray(out), "grad_predictor_outputs": grad}


def multiclass_mirror(name: str, params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    if params:
        raise AssertionError(f"{name} takes no params, got {params}")
    x64 = _x64(context)
    s_in, labels_in = inputs["scores"], inputs["labels"]
    if s_in.dtype.kind != "f":
        raise NotImplementedError("only float scores are mirrored")
    s, labels = flush_subnormals(_as_jax(s_in, x64)), _as_jax(labels_in, x64)
    if labels.dtype == bool:
        raise LossError("invalid_dtype", "iota does not accept dtype bool. Accepted dtypes are subtypes of integer, "
                                         "floating, complexfloating.")
    if labels.dtype.kind not in "iu":
        raise NotImplementedError("only integer labels are mirrored")
    k = s.shape[-1]
    oh_dt = np.dtype(np.float64 if x64 else np.float32)
    oh = (labels[..., None] == np.arange(k)).astype(oh_dt)  # jax.nn.one_hot
    dt = np.promote_types(s.dtype, oh_dt)
    with np.errstate(all="ignore"):
        if name == "multiclass_hinge_loss":
            z_shape = broadcast_shape(s.shape, oh.shape, "sub")
            z = np.broadcast_to(s.astype(dt) + dt.type(1), z_shape) - np.broadcast_to(oh, z_shape)
        else:
            z = s.astype(dt)
        if z.shape[-1] == 0:
            raise LossError("shape_mismatch", "zero-size array to reduction operation max which has no identity")
        d_shape = broadcast_shape(s.shape[:-1], oh.shape[:-1], None)  # jnp.vectorize's loop dimensions
        sb = np.broadcast_to(s.astype(dt), d_shape + (k,))
        ob = np.broadcast_to(oh.astype(dt), d_shape + (k,))
        mx = np.max(z, axis=-1)                        # NaN-propagating
        dot = np.sum(sb * ob, axis=-1)                 # one nonzero term: exact
        out = mx - dot                                 # (broadcasts when labels carry extra dims)
        g = np.ones(out.shape, dt)
        g_mx, g_dot = _sum_to(g, mx.shape), _sum_to(-g, dot.shape)
        ind = (z == mx[..., None]).astype(dt)
        cnt = np.sum(ind, axis=-1)
        g_z = (g_mx / cnt)[..., None] * ind            # jnp.max: (g / k) * indicators
        grad = _sum_to(g_z, s.shape) + _sum_to(g_dot[..., None] * ob, s.shape)
    return {"output": np.asarray(out), "grad_scores": grad.astype(s.dtype)}


def mirror_of(suite: str):
    if suite in BINARY:
        return functools.partial(binary_mirror, BINARY[suite])
    return functools.partial(multiclass_mirror, MULTICLASS[suite])


# =========================================================================== cases

AGREEMENT: dict[tuple[str, str, str], float] = {}


class _Cases:
    def __init__(self, cases: CaseList, suite: str):
        self.cases, self.suite, self.mirror = cases, suite, mirror_of(suite)
        self.first = "predictor_outputs" if suite in BINARY else "scores"
        self.second = "targets" if suite in BINARY else "labels"

    def add(self, variant: str, tags, x, y, *, x64: bool | None = None, error: str | None = None) -> None:
        """One case; x64 defaults to "the input is float64"."""
        if x64 is None:
            x64 = x.dtype == np.float64
        cid = f"{x.dtype.name}/{shape_label(x.shape)}/{variant}"
        tags = list(tags) + (["error"] if error else []) + ([] if x64 or x.dtype != np.float64 else ["x64-off"])
        self.cases.add(cid, tags, {}, {self.first: x, self.second: y}, error=error, context=X64 if x64 else None)
        if framework_reason() is None:
            verify_mirror(self.suite, "optax", self.mirror, TOLERANCE, self.cases.cases[-1], AGREEMENT)


def _grid(rng, shape, dtype, lo=-16, hi=16, step=8) -> np.ndarray:
    return np.asarray(rng.integers(lo, hi, shape) / step).astype(dtype)


def _pm1(rng, shape, dtype) -> np.ndarray:
    return np.asarray(rng.choice(np.array([-1.0, 1.0]), size=shape)).astype(dtype)


def _binary_build(name: str):
    hinge = name == "hinge_loss"

    def build(add: _Cases, rng: np.random.Generator) -> None:
        for dt in ("float32", "float64"):
            a = lambda v, d=dt: np.array(v, d)  # noqa: E731
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
            a = lambda v, d=dt: np.array(v, d)  # noqa: E731
            lab = lambda v: np.array(v, np.int64)  # noqa: E731
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


# =========================================================================== registry

def _reference(suite: str):
    mirror = mirror_of(suite)

    def compute(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
        if framework_reason() is None:
            return run_optax(suite, inputs, context)
        return mirror(params, inputs, context)
    return compute


def _builder(suite: str, build):
    def build_cases(cases: CaseList, rng: np.random.Generator) -> None:
        build(_Cases(cases, suite), rng)
    return build_cases


def _suite(suite: str, build) -> Suite:
    return Suite(suite, _reference(suite), _builder(suite, build), TOLERANCE,
                 framework_versions=_framework_versions, unwritable_reason=_unwritable_reason(suite))


SUITES: dict[str, Suite] = {s.name: s for s in (
    [_suite(k, _binary_build(v)) for k, v in BINARY.items()] +
    [_suite(k, _multiclass_build(v)) for k, v in MULTICLASS.items()])}


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
