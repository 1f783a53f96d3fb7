"""optax's margin losses: the NumPy mirror of optax 0.2.8 on JAX 0.10.2 (CPU, eager). Their
case builders and the optax workers are in hinge_fixtures/suites/optax.py.

Suites (inputs by optax's argument names, passed to optax as jax arrays; outputs
`output` and the gradient of output.sum() by jax.grad with respect to the first input):

    optax.hinge_loss(predictor_outputs, targets)                     grad_predictor_outputs
    optax.losses.perceptron_loss(predictor_outputs, targets)         grad_predictor_outputs
    optax.losses.multiclass_hinge_loss(scores, labels)               grad_scores
    optax.losses.multiclass_perceptron_loss(scores, labels)          grad_scores
    optax.losses.triplet_margin_loss(anchors, positives, negatives,  grad_anchors, grad_positives,
        axis=-1, norm_degree=2, margin=1.0, eps=1e-6)                grad_negatives

The first four take no params. float32 cases have no context; float64 cases carry
`context: {"jax_enable_x64": true}`. Cases tagged "x64-off" give float64 inputs
without that context: JAX stores them as float32, so output and gradient are float32.

How the mirror follows optax
(https://github.com/google-deepmind/optax/blob/v0.2.8/optax/losses/_classification.py):

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

import numpy as np

from ..contract import NotMirrored
from ..fixture import (Arrays, LossError)
from .keras import flush_subnormals

NAN, INF = math.nan, math.inf
TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}
BINARY = {"optax.hinge_loss": "hinge_loss", "optax.losses.perceptron_loss": "perceptron_loss"}
MULTICLASS = {"optax.losses.multiclass_hinge_loss": "multiclass_hinge_loss",
              "optax.losses.multiclass_perceptron_loss": "multiclass_perceptron_loss"}
X64 = {"jax_enable_x64": True}


# =========================================================================== mirror

def x64_of(context: dict | None) -> bool:
    context = context or {}
    if set(context) - {"jax_enable_x64"}:
        raise AssertionError(f"unexpected context {context}")
    return bool(context.get("jax_enable_x64", False))


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
    x64 = x64_of(context)
    p_in, t_in = inputs["predictor_outputs"], inputs["targets"]
    if p_in.dtype.kind != "f":
        raise NotMirrored("only float predictor_outputs are mirrored")
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
    x64 = x64_of(context)
    s_in, labels_in = inputs["scores"], inputs["labels"]
    if s_in.dtype.kind != "f":
        raise NotMirrored("only float scores are mirrored")
    s, labels = flush_subnormals(_as_jax(s_in, x64)), _as_jax(labels_in, x64)
    if labels.dtype == bool:
        raise LossError("invalid_dtype", "iota does not accept dtype bool. Accepted dtypes are subtypes of integer, "
                                         "floating, complexfloating.")
    if labels.dtype.kind not in "iu":
        raise NotMirrored("only integer labels are mirrored")
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


TRIPLET = "optax.losses.triplet_margin_loss"


@functools.cache
def _libm_powf():
    """The C library's powf (XLA's CPU pow of float32 calls it), or None."""
    import ctypes
    import ctypes.util
    name = ctypes.util.find_library("m")
    if name is None:
        return None
    fn = ctypes.CDLL(name).powf
    fn.restype, fn.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]
    return fn


def _c_pow(x: np.ndarray, y: float) -> np.ndarray:
    """C's pow elementwise in x's dtype: powf for float32, pow (math.pow) for float64,
    which is what XLA's CPU pow calls, bit for bit. (Without a loadable powf, float32
    falls back to the float64 pow rounded, within an ulp.)"""
    powf = _libm_powf() if x.dtype == np.float32 else None

    def one(v: float) -> float:
        if powf is not None:
            return powf(v, y)
        try:
            return math.pow(v, y)
        except OverflowError:
            return math.copysign(math.inf, v) if v < 0 and y == int(y) and int(y) % 2 else math.inf
        except ValueError:  # 0 to a negative power (inf), a negative base to a fractional one (NaN)
            return math.inf if v == 0 else math.nan
    flat = [one(float(v)) for v in x.ravel()]
    return np.array(flat, np.float64).reshape(x.shape).astype(x.dtype)


def _pow(x: np.ndarray, y) -> np.ndarray:
    """jnp.power(x, y) for a Python-scalar exponent: lax.integer_pow (repeated products,
    exact) for an int, lax.pow for a float: C's pow of the dtype (_c_pow)."""
    dt = x.dtype.type
    if isinstance(y, int):
        if y == 0:
            return np.ones_like(x)
        base, n = (dt(1) / x, -y) if y < 0 else (x, y)
        acc = None
        while n > 0:  # _integer_pow's binary exponentiation
            if n & 1:
                acc = base if acc is None else flush_subnormals(acc * base)
            n >>= 1
            if n > 0:
                base = flush_subnormals(base * base)
        return acc
    return flush_subnormals(_c_pow(x, float(dt(y))))


def _pow_grad(g: np.ndarray, x: np.ndarray, y) -> np.ndarray:
    """The JVP rules of jnp.power with a scalar exponent: integer_pow's g * (y * x^(y-1))
    (0 for y == 0), pow's g * (y * pow(x, y - 1)) with y - 1 in the dtype."""
    dt = x.dtype.type
    if isinstance(y, int):
        if y == 0:
            return np.zeros_like(x)
        return flush_subnormals(g * flush_subnormals(dt(y) * _pow(x, y - 1)))
    yd = dt(y)
    return flush_subnormals(g * flush_subnormals(yd * _pow(x, float(yd - dt(1)))))


def triplet_mirror(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    """optax/losses/_self_supervised.py triplet_margin_loss (optax 0.2.8):

        d(x, y) = power(power(x - y, norm_degree).sum(axis) + eps, 1 / norm_degree)
        loss    = maximum(d(a, p) - d(a, n) + margin, 0)

    No abs (an odd degree sums signed powers: negative distances, or NaN under the
    root), eps added to the sum inside the root (a == p is at distance eps**(1/degree)),
    no swap, no reduction; the gradient is jax.grad's through those ops, lax.max's half
    at the tie."""
    x64 = x64_of(context)
    unknown = set(params) - {"axis", "norm_degree", "margin", "eps"}
    if unknown:
        raise AssertionError(f"unexpected params {sorted(unknown)}")
    axis, degree = params.get("axis", -1), params.get("norm_degree", 2)
    margin, eps = params.get("margin", 1.0), params.get("eps", 1e-6)
    names = ("anchors", "positives", "negatives")
    arrays = [_as_jax(inputs[k], x64) for k in names]
    for a in arrays:  # utils.check_subdtype(x, jnp.floating)
        if a.dtype.kind != "f":
            raise LossError("invalid_dtype", "Expected the input to have a dtype that is a subdtype of <class "
                                             f"'numpy.floating'>, got {a.dtype.name} instead")
    if len({a.dtype for a in arrays}) != 1:
        raise NotMirrored("mixed float dtypes are not mirrored")
    a, pos, neg = (flush_subnormals(v) for v in arrays)
    dt = a.dtype.type

    with np.errstate(all="ignore"):
        def distance(x, y):
            shape = broadcast_shape(x.shape, y.shape, "sub")
            diff = flush_subnormals(np.broadcast_to(x, shape) - np.broadcast_to(y, shape))
            if not -diff.ndim <= axis < max(diff.ndim, 1) or diff.ndim == 0:
                raise LossError("invalid_parameter", f"axis {axis} is out of bounds for array of dimension {diff.ndim}")
            powers = _pow(diff, degree)
            total = np.zeros(np.delete(np.array(diff.shape), axis).tolist(), a.dtype)
            for k in range(diff.shape[axis]):  # in order along the axis
                total = flush_subnormals(total + np.take(powers, k, axis=axis))
            inner = flush_subnormals(total + dt(eps))
            if degree == 0:  # Python's 1 / norm_degree, after the first sum
                raise LossError("invalid_parameter", "division by zero")
            return diff, inner, _pow(inner, 1 / degree)

        diff_p, inner_p, d_p = distance(a, pos)
        diff_n, inner_n, d_n = distance(a, neg)
        z_shape = broadcast_shape(d_p.shape, d_n.shape, "sub")
        z = flush_subnormals(flush_subnormals(np.broadcast_to(d_p, z_shape) - np.broadcast_to(d_n, z_shape))
                             + dt(margin))
        out = np.maximum(z, dt(0))
        g_z = _max0_grad(z)

        def backward(g_d, diff, inner):
            g_inner = _pow_grad(_sum_to(g_d, inner.shape), inner, root)
            g_powers = np.expand_dims(g_inner, axis) if diff.ndim else g_inner
            return _pow_grad(np.broadcast_to(g_powers, diff.shape), diff, degree)

        root = 1 / degree
        g_diff_p = backward(g_z, diff_p, inner_p)
        g_diff_n = backward(-g_z, diff_n, inner_n)
        grads = {"grad_anchors": _sum_to(g_diff_p, a.shape) + _sum_to(g_diff_n, a.shape),
                 "grad_positives": _sum_to(-g_diff_p, pos.shape), "grad_negatives": _sum_to(-g_diff_n, neg.shape)}
    return {"output": np.asarray(out), **{k: flush_subnormals(v).astype(a.dtype) for k, v in grads.items()}}


def mirror_of(suite: str):
    if suite == TRIPLET:
        return triplet_mirror
    if suite in BINARY:
        return functools.partial(binary_mirror, BINARY[suite])
    return functools.partial(multiclass_mirror, MULTICLASS[suite])
