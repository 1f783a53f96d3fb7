"""Keras 3's hinge-family losses (keras.losses.*): the NumPy mirror of keras 3.15.1 on
its TensorFlow 2.21.0 and JAX 0.10.2 backends (CPU, eager). Their case builders and the
Keras workers are in hinge_fixtures/suites/keras.py.

Suites (outputs `output` and `grad_y_pred`, the gradient of output.sum() with respect
to y_pred as given, by tf.GradientTape or jax.grad):

    keras.losses.hinge / squared_hinge / categorical_hinge(y_true, y_pred)
        per-sample values (the last axis reduced); no params.
    keras.losses.Hinge / SquaredHinge / CategoricalHinge(reduction=..., dtype=...)
        called as loss(y_true, y_pred[, sample_weight=...]). params: `reduction` (omitted =
        "sum_over_batch_size"; JSON null = None) and `dtype` (omitted or null = floatx,
        float32; "float64" only on the TensorFlow backend: JAX without x64 has no float64).

Every case has `context: {"backend": "tensorflow" | "jax"}`.

How the mirror follows Keras (https://github.com/keras-team/keras/blob/v3.15.1/keras/src/losses/losses.py
and loss.py):

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

import numpy as np

from ..contract import NotMirrored
from ..fixture import (Arrays, LossError)

BACKENDS = ("tensorflow", "jax")
NAN, INF = math.nan, math.inf
TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}
FUNCTIONS = ("hinge", "squared_hinge", "categorical_hinge")
CLASSES = {"Hinge": "hinge", "SquaredHinge": "squared_hinge", "CategoricalHinge": "categorical_hinge"}
REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


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
    raise NotMirrored("numeric strings are not mirrored")


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
        raise NotMirrored("only float y_pred (float32 on JAX) is mirrored")
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
            raise NotMirrored("dtype='float64' on JAX without x64 (float32 in practice) is not mirrored")
        return np.dtype("float64")
    if dtype in ("float16", "bfloat16", "mixed_float16", "mixed_bfloat16"):
        raise NotMirrored(f"dtype={dtype!r} is not mirrored")
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
        raise NotMirrored("only float y_pred (float32 on JAX: no x64) is mirrored")
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
