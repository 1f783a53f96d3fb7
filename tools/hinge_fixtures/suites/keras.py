"""Keras 3's hinge-family losses (keras.losses.*): the NumPy mirror of keras 3.15.1 on
its TensorFlow 2.21.0 and JAX 0.10.2 backends (CPU, eager), and the generators of their
fixture cases.

Expected values come from Keras itself. KERAS_BACKEND is fixed when keras is imported,
so each backend runs in a worker process of its own (`python -m
hinge_fixtures.suites.keras --worker` with KERAS_BACKEND set, see
fixture.FrameworkWorker); the generator never imports keras. Every case is computed by
Keras and by the mirror, and generation stops, naming the case, unless they agree within
the case's tolerance (or raise the same error kind with the same message). Without the
pinned keras, tensorflow-cpu and jax the files cannot be written, but `--check` works:
`compute` is then the mirror alone.

Suites (outputs `output` and `grad_y_pred`, the gradient of output.sum() with respect
to y_pred as given, by tf.GradientTape or jax.grad):

    keras.losses.hinge / squared_hinge / categorical_hinge(y_true, y_pred)
        per-sample values (the last axis reduced); no params.
    keras.losses.Hinge / SquaredHinge / CategoricalHinge(reduction=..., dtype=...)
        called as loss(y_true, y_pred[, sample_weight=...]). params: `reduction` (omitted =
        "sum_over_batch_size"; JSON null = None) and `dtype` (omitted or null = floatx,
        float32; "float64" only on the TensorFlow backend: JAX without x64 has no float64).

Every case has `context: {"backend": "tensorflow" | "jax"}`.

How the mirror follows Keras (keras/src/losses/losses.py and loss.py; the spec
the workspace's shared specs, keras-tf-optax-mlx.md §0-1):

- hinge/squared_hinge: y_true cast to y_pred's dtype; if EVERY label of the tensor is 0
  or 1 (one test for the whole tensor) y := 2y - 1; m = 1 - y*p; h = maximum(m, 0)
  (squared: h*h); mean over the last axis. categorical_hinge never converts:
  pos = sum(y*p), neg = max((1 - y)*p) (the true slot is 0, so neg >= 0),
  maximum((neg - pos) + 1, 0).
- Kinks: d maximum(x, 0)/dx at x == 0 is 1 on TensorFlow (tf.maximum's x >= y) and 1/2
  on JAX (lax.max's balanced rule); at x = NaN it is 0 on both. reduce_max splits the
  gradient equally among the k tied maxima: TensorFlow (indicators / k) * g, JAX
  (g / k) * indicators; a NaN row has k = 0 and a NaN gradient.
- The classes: y_pred then y_true converted to the loss dtype; Keras's
  squeeze_or_expand_to_same_rank(y_true, y_pred); the function; sample_weight converted,
  rank-aligned with the values the same way and multiplied in (NumPy broadcasting, or
  the backend's error); then the reduction: a result of shape () or (0,) is returned as
  it is; "sum" = sum; "sum_over_batch_size"/"mean" = divide_no_nan(sum, element count);
  "mean_with_sample_weight" = divide_no_nan(sum, sum(aligned sample_weight)). The
  gradient is cast back to y_pred's dtype.
- Rounding: elementwise ops in the compute dtype as the backends do them (no fused
  multiply-add). Sums follow each backend's CPU order where it was measured: TensorFlow
  (Eigen, AVX packets of 8 floats / 4 doubles) adds the tail sequentially and the
  packet lanes as a halving tree, exact for fewer than 8 packets; XLA (JAX) sums the rows
  of an operand under 4096 elements sequentially (larger ones in min(16, the largest
  power of two below C) lanes, then a halving tree), and a whole vector sequentially up
  to 32 elements, in two halves up to 64, in chunks of 32 for multiples of 32. Under FTZ
  every partial sum that is subnormal is written as 0. Elsewhere the sum is taken in
  float64 and rounded, and the file tolerance (float32 rtol 2e-6, atol 1e-6; float64
  1e-12) absorbs the order. TensorFlow's mean is sum / C and its gradient g / C; XLA
  turns the division by the constant C into sum * (1/C), and in the gradient into
  g * (1/C) unless g has a single element (measured).
- Subnormals: both backends flush denormals on CPU (FTZ and DAZ). A subnormal score
  counts as 0 (so in categorical_hinge it ties with the masked true slot) and a subnormal
  product (a loss times a tiny sample_weight) becomes 0. The backward pass flushes too:
  divide_no_nan's gradient 1/divisor is 0 for a divisor above 2**126 (a weight near the
  float32 maximum), and g/C, g*weight, the max and maximum grads are flushed, so
  0 * inf downstream gives NaN where IEEE would give inf. Cases tagged "subnormal".
- Error kinds: a bad `reduction` or `dtype` -> invalid_parameter; shapes that do not
  broadcast, 0-d inputs (no last axis), an empty max (TensorFlow: any empty tensor in
  categorical_hinge; JAX: an empty class axis) -> shape_mismatch; string labels ->
  invalid_dtype. The messages are Keras's (workers run with PYTHONHASHSEED=0, because
  the reduction error prints a set).
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

PINS = {"keras": "3.15.1", "tensorflow-cpu": "2.21.0", "jax": "0.10.2", "jaxlib": "0.10.2"}
NO_FRAMEWORK_ENV = "HINGE_FIXTURES_NO_KERAS"  # set (non-empty) to use the mirror alone
BACKENDS = ("tensorflow", "jax")
NAN, INF = math.nan, math.inf
TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}
FUNCTIONS = ("hinge", "squared_hinge", "categorical_hinge")
CLASSES = {"Hinge": "hinge", "SquaredHinge": "squared_hinge", "CategoricalHinge": "categorical_hinge"}
REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


# =========================================================================== Keras itself

def worker_env(backend: str) -> dict[str, str]:
    return {"KERAS_BACKEND": backend, "PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "3",
            "CUDA_VISIBLE_DEVICES": "", "JAX_PLATFORMS": "cpu"}


@functools.cache
def framework_reason() -> str | None:
    """None when the pinned Keras stack is installed here, else why it cannot be used."""
    if os.environ.get(NO_FRAMEWORK_ENV):
        return f"{NO_FRAMEWORK_ENV} is set"
    return missing_pins(PINS)


@functools.cache
def _worker(backend: str) -> FrameworkWorker:
    return FrameworkWorker(__name__, worker_env(backend))


def _unwritable_reason(suite_name: str):
    pins = ", ".join(f"{k}=={v}" for k, v in PINS.items())
    return unwritable_reason(f"{pins} are", suite_name, framework_reason)


@functools.cache
def _framework_versions() -> dict[str, str]:
    if framework_reason() is not None:
        return {}
    versions = {}
    for backend in BACKENDS:
        versions.update(_worker(backend).call({"versions": True})["versions"])
    return versions


# Keras's and the backends' messages, mapped to the format's error kinds. A message that
# matches none stops the generator: a new kind of error needs a look, not a guess.
_ERROR_KINDS = (
    ("invalid_parameter", r"^Invalid value for argument `reduction`|to a mixed precision DTypePolicy"),
    ("invalid_dtype", r"Cast string to float is not supported|^could not convert string to float"),
    ("shape_mismatch", r"Incompatible shapes|incompatible shapes for broadcasting|^Cannot compute the max of an "
                       r"empty tensor|^zero-size array to reduction operation|Invalid reduction dimension"
                       r"|^tuple index out of range$|out of bounds for array of dimension"),
)


def classify_error(message: str) -> str:
    for kind, pattern in _ERROR_KINDS:
        if re.search(pattern, message):
            return kind
    raise RuntimeError(f"Keras raised an error no kind is mapped for: {message}")


def run_keras(suite: str, params: dict, inputs: Arrays, context: dict) -> Arrays:
    reply = _worker(context["backend"]).call({"suite": suite, "params": params,
                                              "inputs": {k: encode_array(v) for k, v in inputs.items()}})
    if "error" in reply:
        message = reply["error"]["message"]
        raise LossError(classify_error(message), message)
    return {k: decode_array(v) for k, v in reply["outputs"].items()}


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
        inputs = {k: decode_array(v) for k, v in request["inputs"].items()}
        try:
            outputs = run(request["suite"], request["params"], inputs)
        except Exception as e:  # Keras's error, classified by the parent
            return {"error": {"type": type(e).__name__, "message": str(e)}}
        return {"outputs": {k: encode_array(np.asarray(v)) for k, v in outputs.items()}}

    serve_worker(handle)


# =========================================================================== mirror: sums in each backend's order

def _add(a, b) -> np.ndarray:
    """One addition of a sum: under FTZ a subnormal partial sum is written as 0."""
    return flush_subnormals(a + b)


def _halving_tree(parts: list) -> np.ndarray:
    """Lane i += lane i + h (h = half, rounded up), until one is left (SIMD horizontal add)."""
    while len(parts) > 1:
        h = (len(parts) + 1) // 2
        parts = [_add(parts[i], parts[i + h]) if i + h < len(parts) else parts[i] for i in range(h)]
    return parts[0]


def _sum_f64(x: np.ndarray, axis) -> np.ndarray:
    """The fallback where the backend's order is not modelled: float64, rounded once."""
    return flush_subnormals(np.asarray(np.sum(x.astype(np.float64), axis=axis)).astype(x.dtype))


def _tf_row_sum(x: np.ndarray) -> np.ndarray:
    """Eigen's inner-most SumReducer over the last axis: packets of P = 8 floats / 4
    doubles (AVX) accumulated lane-wise, the tail added sequentially from 0, then
    tail + halving-tree(lanes). Measured exact for C < 8P."""
    c = x.shape[-1]
    p = 32 // x.dtype.itemsize
    if c >= 8 * p:
        return _sum_f64(x, -1)
    v = (c // p) * p
    tail = np.zeros(x.shape[:-1], x.dtype)
    for j in range(v, c):
        tail = _add(tail, x[..., j])
    if v == 0:
        return tail
    lanes = [x[..., i].copy() for i in range(p)]
    for b in range(p, v, p):
        lanes = [_add(lanes[i], x[..., b + i]) for i in range(p)]
    return _add(tail, _halving_tree(lanes))


def _sequential(x: np.ndarray) -> np.ndarray:
    """x[..., 0] + x[..., 1] + ... in x's dtype (0 for an empty axis)."""
    acc = np.zeros(x.shape[:-1], x.dtype)
    for j in range(x.shape[-1]):
        acc = _add(acc, x[..., j])
    return acc


def _xla_row_sum(x: np.ndarray) -> np.ndarray:
    """XLA:CPU's row reduction over the last axis. An operand of fewer than 4096 elements
    is summed row by row sequentially. A larger one in L = min(16, the largest power of
    two below C) lanes, lane i summing x[i], x[i+L], ... sequentially, then a halving
    tree (measured exact for float32 rows up to C = 65)."""
    c = x.shape[-1]
    if x.size < 4096:
        return _sequential(x)
    if c > 65:
        return _sum_f64(x, -1)
    lanes_n = 1
    while lanes_n * 2 < c:
        lanes_n *= 2
    lanes_n = min(lanes_n, 16)
    return _halving_tree([_sequential(x[..., i::lanes_n]) for i in range(lanes_n)])


def row_sum(x: np.ndarray, backend: str) -> np.ndarray:
    """ops.sum(x, axis=-1)."""
    return _tf_row_sum(x) if backend == "tensorflow" else _xla_row_sum(x)


def total_sum(x: np.ndarray, backend: str) -> np.ndarray:
    """ops.sum(x) over every element, a 0-d array."""
    if backend == "tensorflow":
        return _tf_row_sum(x.reshape(-1))  # Eigen's full reduction runs over the flat buffer
    flat = x.reshape(-1)
    n = flat.size
    if n <= 32:  # XLA sums a short vector sequentially
        return np.asarray(_sequential(flat))
    if n <= 64:  # two chunks of ceil(n/2), each sequential, then added
        h = (n + 1) // 2
        return np.asarray(_add(_sequential(flat[:h]), _sequential(flat[h:])))
    if n % 32 == 0:  # chunks of 32, each sequential, the chunk sums sequentially
        return np.asarray(_sequential(_sequential(flat.reshape(-1, 32))))
    return np.asarray(_sum_f64(flat, None))


def sum_to(g: np.ndarray, shape, backend: str) -> np.ndarray:
    """Autograd's sum of a broadcast gradient back to an input's shape."""
    shape = tuple(shape)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
    if axes == (g.ndim - 1,):
        return row_sum(g, backend).reshape(shape)
    return _sum_f64(g, axes).reshape(shape)


# =========================================================================== mirror: errors

_TF_NODE = ("{{{{function_node __wrapped__{op}_device_/job:localhost/replica:0/task:0/device:CPU:0}}}} {text} "
            "[Op:{op}] name: ")
# Keras prints the allowed reductions as a Python set: its order is that of CPython 3.11
# with PYTHONHASHSEED=0, which the workers run with (other seeds give other orders).
REDUCTION_MESSAGE = ("Invalid value for argument `reduction`. Expected one of {{'sum_over_batch_size', 'sum', "
                     "'mean_with_sample_weight', 'mean', 'none', None}}. Received: reduction={}")
DTYPE_MESSAGE = ("Cannot convert '{}' to a mixed precision DTypePolicy. Valid policies include 'mixed_float16', "
                 "'mixed_bfloat16', and the name of any float dtype such as 'float32'.")
EMPTY_MAX_MESSAGE = ("Cannot compute the max of an empty tensor.\nCondition x > y did not hold.\n"
                     "First 1 elements of x:\n[0]\nFirst 1 elements of y:\n[0]")


def _tf_shape(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def broadcast_shape(a: tuple, b: tuple, backend: str, op: str = "mul") -> tuple:
    """The shape of a*b, or the backend's error (operands in call order)."""
    try:
        return tuple(np.broadcast_shapes(tuple(a), tuple(b)))
    except ValueError:
        pass
    if backend == "tensorflow":
        text = f"Incompatible shapes: {_tf_shape(a)} vs. {_tf_shape(b)}"
        raise LossError("shape_mismatch", _TF_NODE.format(op=op.capitalize(), text=text))
    if len(a) == len(b):
        raise LossError("shape_mismatch", f"{op} got incompatible shapes for broadcasting: {tuple(a)}, {tuple(b)}.")
    raise LossError("shape_mismatch", f"Incompatible shapes for broadcasting: shapes=[{tuple(a)}, {tuple(b)}]")


def _string_error(a: np.ndarray) -> LossError:
    """NumPy's message when a string array is converted to float (the first bad element)."""
    for v in a.ravel():
        try:
            float(v)
        except ValueError:
            return LossError("invalid_dtype", f"could not convert string to float: {v!r}")
    raise NotImplementedError("numeric strings are not mirrored")


def cast(a: np.ndarray, dtype, backend: str, via: str) -> np.ndarray:
    """ops.cast (via="cast", a TF Cast op) or ops.convert_to_tensor(x, dtype) (via="convert",
    NumPy's conversion first) of a NumPy input to a float dtype."""
    if a.dtype.kind == "U":
        if backend == "tensorflow" and via == "cast":
            raise LossError("invalid_dtype", _TF_NODE.format(op="Cast", text="Cast string to float is not supported"))
        raise _string_error(a)
    return a.astype(dtype)


# =========================================================================== mirror: the functions

def flush_subnormals(x: np.ndarray) -> np.ndarray:
    """TensorFlow and XLA run with denormals flushed on CPU (FTZ and DAZ): a subnormal
    operand counts as zero and a subnormal product becomes zero. Applied to the inputs of
    the arithmetic and to the products that can be subnormal."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        return x
    return np.where(np.abs(x) < np.finfo(x.dtype).tiny, np.copysign(x.dtype.type(0), x), x)


def _max0_grad(g: np.ndarray, x: np.ndarray, backend: str) -> np.ndarray:
    """The gradient through maximum(x, 0) with respect to x."""
    dt = x.dtype.type
    if backend == "tensorflow":  # _MaximumGrad: where(x >= y, grad, 0)
        return np.where(x >= 0, g, dt(0))
    factor = np.where(x > 0, dt(1), np.where(x == 0, dt(0.5), dt(0)))  # lax.max: balanced tie
    return flush_subnormals(g * factor)


def _mean_grad_factor(g: np.ndarray, c: int, backend: str) -> np.ndarray:
    dt = g.dtype.type
    if backend == "tensorflow" or g.size == 1:
        return flush_subnormals(g / dt(c))  # _MeanGrad: truediv(sum_grad, factor); XLA keeps a one-element division
    return flush_subnormals(g * (dt(1) / dt(c)))  # XLA: the division by a constant becomes a multiplication


def convert_binary_labels(y: np.ndarray) -> np.ndarray:
    """convert_binary_labels_to_hinge: one test over the whole tensor."""
    dt = y.dtype.type
    if np.all((y == 0) | (y == 1)):
        return dt(2) * y - dt(1)
    return y


def keras_function(name: str, y_true: np.ndarray, y_pred: np.ndarray, backend: str, via_cast: bool = True):
    """One of keras.losses.hinge/squared_hinge/categorical_hinge on arrays. Returns
    (values, backward) where backward(g) is the gradient with respect to y_pred of
    sum(g * values). y_pred's dtype is the compute dtype."""
    p = flush_subnormals(y_pred)
    dt = p.dtype.type
    y = flush_subnormals(cast(y_true, p.dtype, backend, "cast" if via_cast else "convert"))
    if name in ("hinge", "squared_hinge"):
        y = convert_binary_labels(y)
        shape = broadcast_shape(y.shape, p.shape, backend)
        if not shape:
            if backend == "tensorflow":
                raise LossError("shape_mismatch", _TF_NODE.format(
                    op="Mean", text="Invalid reduction dimension (-1 for input with 0 dimension(s)"))
            raise LossError("shape_mismatch", "tuple index out of range")
        yb = np.broadcast_to(y, shape)
        m = dt(1) - flush_subnormals(yb * np.broadcast_to(p, shape))
        h = np.maximum(m, dt(0))
        s = flush_subnormals(h * h) if name == "squared_hinge" else h
        c = shape[-1]
        total = row_sum(s, backend)
        values = flush_subnormals(total / dt(c) if backend == "tensorflow" else total * (dt(1) / dt(c)))

        def backward(g: np.ndarray) -> np.ndarray:
            ge = np.broadcast_to(_mean_grad_factor(np.asarray(g, p.dtype), c, backend)[..., None], shape)
            if name == "squared_hinge":
                ge = flush_subnormals(ge * flush_subnormals(h * dt(2)))
            gm = _max0_grad(ge, m, backend)
            return flush_subnormals(sum_to(flush_subnormals(-gm * yb), p.shape, backend))
        return np.asarray(values), backward

    # categorical_hinge
    shape = broadcast_shape(y.shape, p.shape, backend)
    if not shape:
        if backend == "tensorflow":
            raise LossError("shape_mismatch", _TF_NODE.format(
                op="Sum", text="Invalid reduction dimension (-1 for input with 0 dimension(s)"))
        raise LossError("shape_mismatch", "axis -1 is out of bounds for array of dimension 0")
    yb, pb = np.broadcast_to(y, shape), np.broadcast_to(p, shape)
    pos = row_sum(flush_subnormals(yb * pb), backend)
    one_minus = dt(1) - yb
    b = flush_subnormals(one_minus * pb)
    if backend == "tensorflow" and b.size == 0:
        raise LossError("shape_mismatch", EMPTY_MAX_MESSAGE)
    if shape[-1] == 0:
        raise LossError("shape_mismatch", "zero-size array to reduction operation max which has no identity")
    neg = np.max(b, axis=-1)  # NaN-propagating, as reduce_max and lax.max
    u = flush_subnormals(flush_subnormals(neg - pos) + dt(1))
    values = np.maximum(u, dt(0))

    def backward(g: np.ndarray) -> np.ndarray:
        gu = _max0_grad(np.asarray(g, p.dtype), u, backend)
        ind = (b == neg[..., None]).astype(p.dtype)
        k = np.sum(ind, axis=-1).astype(p.dtype)
        if backend == "tensorflow":   # _MinOrMaxGrad: divide(indicators, num_selected) * grad
            gb = flush_subnormals(flush_subnormals(ind / k[..., None]) * gu[..., None])
        else:                         # _reduce_chooser_jvp_rule, transposed: (g / counts) * indicators
            gb = flush_subnormals(flush_subnormals(gu / k)[..., None] * ind)
        gp = flush_subnormals(flush_subnormals((-gu)[..., None] * yb) + flush_subnormals(gb * one_minus))
        return flush_subnormals(sum_to(gp, p.shape, backend))
    return np.asarray(values), backward


def _quiet(fn):
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return wrapped


@_quiet
def function_mirror(name: str, params: dict, inputs: Arrays, context: dict) -> Arrays:
    if params:
        raise AssertionError(f"keras.losses.{name} takes no params, got {params}")
    backend = context["backend"]
    y_pred = inputs["y_pred"]
    if y_pred.dtype.kind != "f" or (backend == "jax" and y_pred.dtype != np.float32):
        raise NotImplementedError("only float y_pred (float32 on JAX) is mirrored")
    values, backward = keras_function(name, inputs["y_true"], y_pred, backend)
    return {"output": values, "grad_y_pred": backward(np.ones(values.shape, y_pred.dtype))}


# =========================================================================== mirror: the classes

def squeeze_or_expand(x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """keras.src.losses.loss.squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True)."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1:
            x2 = x2[..., None]
        else:
            x1 = x1.reshape(x1.shape[:-1])
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1:
            x1 = x1[..., None]
        else:
            x2 = x2.reshape(x2.shape[:-1])
    return x1, x2


def _standardize_reduction(reduction):
    if not (reduction is None or (isinstance(reduction, str) and reduction in REDUCTIONS)):
        raise LossError("invalid_parameter", REDUCTION_MESSAGE.format(reduction))
    return reduction


def _loss_dtype(dtype, backend: str) -> np.dtype:
    if dtype is None or dtype == "float32":
        return np.dtype("float32")
    if dtype == "float64":
        if backend == "jax":
            raise NotImplementedError("dtype='float64' on JAX without x64 (float32 in practice) is not mirrored")
        return np.dtype("float64")
    if dtype in ("float16", "bfloat16", "mixed_float16", "mixed_bfloat16"):
        raise NotImplementedError(f"dtype={dtype!r} is not mirrored")
    raise LossError("invalid_parameter", DTYPE_MESSAGE.format(dtype))


@_quiet
def class_mirror(name: str, params: dict, inputs: Arrays, context: dict) -> Arrays:
    """Loss.__call__ of keras.losses.<Class>(**params)."""
    unknown = set(params) - {"reduction", "dtype"}
    if unknown:
        raise AssertionError(f"unexpected params {sorted(unknown)}")
    backend = context["backend"]
    reduction = _standardize_reduction(params.get("reduction", "sum_over_batch_size"))
    dt = _loss_dtype(params.get("dtype"), backend)
    y_pred_in, y_true_in, sw_in = inputs["y_pred"], inputs["y_true"], inputs.get("sample_weight")
    if y_pred_in.dtype.kind != "f" or (backend == "jax" and y_pred_in.dtype != np.float32):
        raise NotImplementedError("only float y_pred (float32 on JAX: no x64) is mirrored")
    p = cast(y_pred_in, dt, backend, "convert")
    y = cast(y_true_in, dt, backend, "convert")
    y, p_aligned = squeeze_or_expand(y, p)
    values, backward = keras_function(CLASSES[name], y, p_aligned, backend, via_cast=False)

    sw = None
    v = values
    aligned_values = values
    if sw_in is not None:
        sw = flush_subnormals(cast(sw_in, dt, backend, "convert"))
        aligned_values, sw = squeeze_or_expand(values, sw)
        shape = broadcast_shape(aligned_values.shape, sw.shape, backend)
        v = flush_subnormals(np.broadcast_to(aligned_values, shape) * np.broadcast_to(sw, shape))
    v = np.asarray(v, dt)

    one = dt.type(1)
    if reduction in (None, "none") or v.shape in ((), (0,)):
        output, g_scale = v, one
    else:
        total = total_sum(v, backend)
        if reduction == "sum":
            output, g_scale = total, one
        else:
            if reduction == "mean_with_sample_weight" and sw is not None:
                divisor = total_sum(sw, backend)
            else:
                divisor = np.asarray(dt.type(v.size))
            zero = divisor == 0
            # divide_no_nan and its gradient g / divisor: a quotient below the smallest
            # normal (a divisor above 2**126, e.g. a weight near the float32 maximum) is 0
            output = flush_subnormals(np.asarray(dt.type(0) if zero else total / divisor, dt))
            g_scale = dt.type(0) if zero else flush_subnormals(one / divisor)
    g_v = np.full(v.shape, g_scale, dt)
    if sw is not None:
        g_v = flush_subnormals(sum_to(flush_subnormals(g_v * np.broadcast_to(sw, v.shape)), aligned_values.shape,
                                      backend))
    g_values = g_v.reshape(values.shape)
    grad = backward(g_values).reshape(y_pred_in.shape).astype(y_pred_in.dtype)
    return {"output": np.asarray(output, dt), "grad_y_pred": grad}


def mirror_of(suite: str):
    name = suite.rsplit(".", 1)[1]
    if name in CLASSES:
        return functools.partial(class_mirror, name)
    return functools.partial(function_mirror, name)


# =========================================================================== cases

AGREEMENT: dict[tuple[str, str, str], float] = {}  # (suite, output, dtype) -> largest ulp distance seen


class _Cases:
    """Adds cases to a CaseList and, with Keras present, checks each against the mirror."""

    def __init__(self, cases: CaseList, suite: str):
        self.cases, self.suite, self.mirror = cases, suite, mirror_of(suite)

    def add(self, cid: str, tags, params: dict, inputs: Arrays, context: dict, *, error: str | None = None,
            tolerance: dict | None = None) -> None:
        self.cases.add(cid, list(tags), params, inputs, error=error, tolerance=tolerance, context=context)
        if framework_reason() is None:
            verify_mirror(self.suite, f"Keras ({context['backend']})", self.mirror, TOLERANCE, self.cases.cases[-1],
                          AGREEMENT)


def _dt(dtype: str):
    return np.dtype(dtype).type


def _scores(rng, shape, dtype, scale=1.0) -> np.ndarray:
    return np.asarray(exact.normal(rng, shape) * scale).astype(dtype)


def _grid(rng, shape, dtype, lo=-16, hi=16, step=8) -> np.ndarray:
    """Values k/step: sums and products of a few of them are exact in float32."""
    return np.asarray(rng.integers(lo, hi, shape) / step).astype(dtype)


def _pm1(rng, shape, dtype="float32") -> np.ndarray:
    return np.asarray(rng.choice(np.array([-1.0, 1.0]), size=shape)).astype(dtype)


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
    a = lambda v, dt=f: np.array(v, dt)  # noqa: E731
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
    a = lambda v, dt=f: np.array(v, dt)  # noqa: E731
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
        a = lambda v, dt=f: np.array(v, dt)  # noqa: E731
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
        a = lambda v, dt=f: np.array(v, dt)  # noqa: E731

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
    a = lambda v, dt=f: np.array(v, dt)  # noqa: E731
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

def _reference(suite: str):
    mirror = mirror_of(suite)

    def compute(params: dict, inputs: Arrays, context: dict) -> Arrays:
        if framework_reason() is None:
            return run_keras(suite, params, inputs, context)
        return mirror(params, inputs, context)
    return compute


def _builder(suite: str, build):
    def build_cases(cases: CaseList, rng: np.random.Generator) -> None:
        build(_Cases(cases, suite), rng)
    return build_cases


def _suite(name: str, build) -> Suite:
    suite = f"keras.losses.{name}"
    return Suite(suite, _reference(suite), _builder(suite, build), TOLERANCE,
                 framework_versions=_framework_versions, unwritable_reason=_unwritable_reason(suite))


SUITES: dict[str, Suite] = {s.name: s for s in (
    [_suite(f, _fn_build(f)) for f in FUNCTIONS] + [_suite(c, _cls_build(c)) for c in CLASSES])}


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
