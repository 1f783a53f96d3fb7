"""MLX's margin losses: the NumPy mirror of mlx.nn.losses in MLX 0.32.4 (CPU), and of
triplet_loss in MLX 0.31.2, the last release before its formula changed. Their case
builders and the MLX workers are in hinge_fixtures/suites/mlx.py.

Suites (inputs by MLX's argument names, passed to MLX as mx.array of the same dtype;
outputs `output` and, by mx.grad of output.sum(), the gradient with respect to every
float input):

    mlx.nn.losses.hinge_loss(inputs, targets, reduction="none")
        grad_inputs, grad_targets
    mlx.nn.losses.margin_ranking_loss(inputs1, inputs2, targets, margin=0.0, reduction="none")
        grad_inputs1, grad_inputs2, grad_targets
    mlx.nn.losses.triplet_loss(anchors, positives, negatives, axis=-1, p=2, margin=1.0,
                               eps=1e-6, reduction="none")
        grad_anchors, grad_positives, grad_negatives

triplet_loss cases carry `context: {"mlx_version": V}`: its formula depends on the
release (https://github.com/ml-explore/mlx/pull/3613, first released in 0.32.0):

    0.32.0 and later   d(x, y) = (sum(|x - y|^p, axis) + eps)^(1/p)
    0.31.2 and earlier d(x, y) = sqrt(sum((x - y)^p, axis) + eps)   (no abs, sqrt for every p;
                       mlx-swift's MLXNN.tripletLoss still computes this one)

How the mirror follows MLX
(https://github.com/ml-explore/mlx/blob/v0.32.1/python/mlx/nn/losses.py, unchanged in
0.32.4; the primitives' vjps in mlx/primitives.cpp, the CPU kernels in mlx/backend/cpu):

- Every op rounds to the array's dtype; Python scalars (1, margin, eps, p, 1.0/p) take the
  array's dtype (MLX's weak scalars): 1.0/p is the double rounded to float32.
- On Linux the CPU kernels are scalar (simd max_size 1): a sum runs sequentially, in index
  order, from +0, in the dtype. mean(x) is sum(x) * dtype(1.0/n) (a product, not a
  division; n = 0 gives 0 * inf = NaN).
- maximum(a, b) returns a NaN a, else (a > b ? a : b); its vjp sends the cotangent to a
  where a > b and to b where a <= b. hinge_loss is maximum(1 - x*t, 0): 0 at the kink;
  margin_ranking_loss is maximum(0, -t*(x1 - x2) + margin): the whole gradient at the
  kink. A NaN sends nothing to either side.
- power(x, y) is std::pow (glibc's powf / pow, called here through ctypes so the mirror
  has its bits); its vjp is cot * (pow(x, y - 1) * y). abs's vjp is cot * sign(x) with
  sign(NaN) = sign(0) = 0; sqrt's is (0.5 * cot) / sqrt(x). A broadcast input's gradient
  is summed back sequentially in row-major order.
- No FTZ: subnormals are kept.
- Errors (the messages are MLX's): shapes that do not broadcast, and margin_ranking_loss's
  shape check (no broadcasting at all) -> shape_mismatch; an unknown reduction, an axis out
  of range and p = 0 (1.0 / p in Python, 0.32 only) -> invalid_parameter.
"""
from __future__ import annotations

import ctypes
import functools
import math

import numpy as np

from ..contract import NotMirrored
from ..fixture import Arrays, LossError

TOLERANCE_EXACT = {"float32": {"rtol": 0.0, "atol": 0.0}, "float64": {"rtol": 0.0, "atol": 0.0}}
# triplet_loss goes through libm's pow (powf in float32): bit for bit with the same glibc,
# a few ulp of the distances elsewhere. 4 ulp at 1 absolute, 4 ulp relative.
TOLERANCE_TRIPLET = {"float32": {"rtol": 4.8e-7, "atol": 4.8e-7}, "float64": {"rtol": 8.9e-16, "atol": 8.9e-16}}
REDUCTIONS = ("none", "mean", "sum")
PINNED = "0.32.4"
LEGACY = "0.31.2"
VERSIONS = (PINNED, LEGACY)  # the releases whose triplet_loss the fixtures record

SUITES = ("mlx.nn.losses.hinge_loss", "mlx.nn.losses.margin_ranking_loss", "mlx.nn.losses.triplet_loss")

_LIBM = ctypes.CDLL(None)  # the process's libm (a preloaded one first, for perturb.py)
_POWF, _POW = _LIBM.powf, _LIBM.pow
_POWF.restype, _POWF.argtypes = ctypes.c_float, (ctypes.c_float, ctypes.c_float)
_POW.restype, _POW.argtypes = ctypes.c_double, (ctypes.c_double, ctypes.c_double)


def libm_pow(x: np.ndarray, y) -> np.ndarray:
    """std::pow elementwise in x's dtype: glibc's powf for float32, pow for float64."""
    x = np.asarray(x)
    fn = _POWF if x.dtype == np.float32 else _POW
    yb = np.broadcast_to(np.asarray(y, x.dtype), x.shape)
    flat = [fn(float(a), float(b)) for a, b in zip(x.ravel().tolist(), yb.ravel().tolist())]
    return np.array(flat, x.dtype).reshape(x.shape)


def _shape_str(shape) -> str:
    """A shape as MLX's messages print it: (2,3), (3), ()."""
    return "(" + ",".join(str(s) for s in shape) + ")"


def broadcast_shape(a: tuple, b: tuple) -> tuple:
    try:
        return tuple(np.broadcast_shapes(tuple(a), tuple(b)))
    except ValueError:
        raise LossError("shape_mismatch", f"[broadcast_shapes] Shapes {_shape_str(a)} and {_shape_str(b)} "
                                          f"cannot be broadcast.") from None


def sum_to(g: np.ndarray, shape) -> np.ndarray:
    """A broadcast gradient summed back to `shape` (Broadcast's vjp): per element of the
    result, a sequential sum from +0 over the broadcast positions in row-major order."""
    shape = tuple(shape)
    if g.shape == shape:
        return g
    padded = (1,) * (g.ndim - len(shape)) + shape
    out = np.zeros(padded, g.dtype)
    for idx in np.ndindex(*g.shape):
        src = tuple(0 if padded[k] == 1 else i for k, i in enumerate(idx))
        out[src] = out[src] + g[idx]
    return out.reshape(shape)


def seq_sum(x: np.ndarray, axis=None) -> np.ndarray:
    """MLX's CPU sum: sequential from +0 in index order along `axis` (all axes for None:
    the flattened array), in x's dtype."""
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    acc = np.zeros(x.shape[:axis] + x.shape[axis + 1:], x.dtype)
    for k in range(x.shape[axis]):
        acc = acc + np.take(x, k, axis=axis)
    return acc


def reduce_loss(loss: np.ndarray, reduction: str) -> tuple[np.ndarray, np.ndarray]:
    """_reduce: the output and the cotangent each loss element receives from the sum of
    the output (1, or mean's dtype(1.0/n))."""
    dt = loss.dtype.type
    if reduction not in REDUCTIONS:
        raise LossError("invalid_parameter", f"Invalid reduction. Must be one of {REDUCTIONS}.")
    if reduction == "none":
        return loss, np.ones(loss.shape, loss.dtype)
    total = seq_sum(loss)
    if reduction == "sum":
        return np.asarray(total), np.ones(loss.shape, loss.dtype)
    n = loss.size
    norm = dt(1.0 / n) if n else dt(math.inf)
    return np.asarray(total * norm), np.full(loss.shape, norm, loss.dtype)


def _float_type(inputs: Arrays, names) -> np.dtype:
    floats = {inputs[n].dtype for n in names if inputs[n].dtype.kind == "f"}
    if len(floats) != 1 or inputs[names[0]].dtype.kind != "f":
        raise NotMirrored("the first input must be float and every float input of one dtype")
    for n in names:
        if inputs[n].dtype.kind not in "fiub":
            raise NotMirrored(f"{n}: dtype {inputs[n].dtype} is not mirrored")
    return floats.pop()


def _mask(cond: np.ndarray, dt) -> np.ndarray:
    return cond.astype(dt)


def _params(params: dict, allowed: dict) -> dict:
    if set(params) - set(allowed):
        raise AssertionError(f"unexpected params {sorted(set(params) - set(allowed))}")
    return {**allowed, **params}


def _no_context(context: dict | None) -> None:
    if context:
        raise AssertionError(f"unexpected context {context}")


def hinge_loss(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    _no_context(context)
    p = _params(params, {"reduction": "none"})
    dt = _float_type(inputs, ("inputs", "targets"))
    x, t_in = inputs["inputs"], inputs["targets"]
    t = t_in.astype(dt)
    with np.errstate(all="ignore"):
        shape = broadcast_shape(x.shape, t.shape)
        xb, tb = np.broadcast_to(x, shape), np.broadcast_to(t, shape)
        m = dt.type(1) - xb * tb
        loss = np.where(np.isnan(m) | (m > 0), m, dt.type(0))
        out, cot = reduce_loss(loss, p["reduction"])
        g_m = cot * _mask(m > 0, dt)            # maximum(m, 0): m gets m > 0
        g_prod = -g_m
        result = {"output": out, "grad_inputs": sum_to(tb * g_prod, x.shape)}
        if t_in.dtype.kind == "f":
            result["grad_targets"] = sum_to(xb * g_prod, t.shape)
    return result


def margin_ranking_loss(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    _no_context(context)
    p = _params(params, {"margin": 0.0, "reduction": "none"})
    dt = _float_type(inputs, ("inputs1", "inputs2", "targets"))
    x1, x2, t_in = inputs["inputs1"], inputs["inputs2"], inputs["targets"]
    if not (x1.shape == x2.shape == t_in.shape):
        raise LossError("shape_mismatch", "The shapes of the arguments do not match. The provided shapes are "
                                          f"inputs1.shape={tuple(x1.shape)}, inputs2.shape={tuple(x2.shape)}, "
                                          f"and targets.shape={tuple(t_in.shape)}.")
    t = t_in.astype(dt)
    with np.errstate(all="ignore"):
        diff = x1 - x2
        neg_t = -t
        z = neg_t * diff + dt.type(p["margin"])
        loss = np.where(np.isnan(z) | (z > dt.type(0)), z, dt.type(0))  # maximum(0, z)
        out, cot = reduce_loss(loss, p["reduction"])
        g_z = cot * _mask(dt.type(0) <= z, dt)   # z is maximum's b: it gets 0 <= z (the kink included)
        g_diff = neg_t * g_z
        result = {"output": out, "grad_inputs1": g_diff, "grad_inputs2": -g_diff}
        if t_in.dtype.kind == "f":
            result["grad_targets"] = -(diff * g_z)
    return result


def version_of(context: dict | None) -> str:
    """A triplet_loss case's context.mlx_version (the pinned release when absent)."""
    context = context or {}
    if set(context) - {"mlx_version"}:
        raise AssertionError(f"unexpected context {context}")
    version = context.get("mlx_version", PINNED)
    if version not in VERSIONS:
        raise AssertionError(f"context.mlx_version {version!r} is not one of {VERSIONS}")
    return version


def _sign(x: np.ndarray) -> np.ndarray:
    dt = x.dtype.type
    return np.where(x > 0, dt(1), np.where(x < 0, dt(-1), dt(0)))


def triplet_loss(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    legacy = version_of(context) == LEGACY
    prm = _params(params, {"axis": -1, "p": 2, "margin": 1.0, "eps": 1e-6, "reduction": "none"})
    names = ("anchors", "positives", "negatives")
    if any(inputs[n].dtype.kind != "f" for n in names):
        raise NotMirrored("only float inputs are mirrored")
    dt = _float_type(inputs, names)
    a, pos, neg = (inputs[n] for n in names)
    p, axis_param = prm["p"], prm["axis"]
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not isinstance(axis_param, (int, type(None))):
        raise NotMirrored("only numeric p and int or None axis are mirrored")
    P, E, M = dt.type(p), dt.type(prm["eps"]), dt.type(prm["margin"])

    def axis_of(ndim: int):
        if axis_param is None:
            return None
        if not -ndim <= axis_param < ndim:
            raise LossError("invalid_parameter", f"Invalid axis {axis_param} for array with {ndim} dimensions.")
        return axis_param % ndim

    with np.errstate(all="ignore"):
        def distance(other: np.ndarray):
            shape = broadcast_shape(a.shape, other.shape)
            d = np.broadcast_to(a, shape) - np.broadcast_to(other, shape)
            axis = axis_of(d.ndim)
            base = d if legacy else np.abs(d)
            s2 = seq_sum(libm_pow(base, P), axis) + E
            return d, base, axis, s2

        def root(s2, Q):
            return np.sqrt(s2) if legacy else libm_pow(s2, Q)

        d_p, base_p, axis, s2_p = distance(pos)
        if not legacy and p == 0:
            raise LossError("invalid_parameter", "float division by zero")
        Q = None if legacy else dt.type(1.0 / p)
        dist_p = root(s2_p, Q)
        d_n, base_n, _, s2_n = distance(neg)
        dist_n = root(s2_n, Q)
        shape = broadcast_shape(dist_p.shape, dist_n.shape)
        z = (np.broadcast_to(dist_p, shape) - np.broadcast_to(dist_n, shape)) + M
        loss = np.where(np.isnan(z) | (z > 0), z, dt.type(0))
        out, cot = reduce_loss(loss, prm["reduction"])
        g_z = cot * _mask(z > 0, dt)
        grads = {}
        for sign, d, base, s2, dist, other in ((1, d_p, base_p, s2_p, dist_p, "positives"),
                                               (-1, d_n, base_n, s2_n, dist_n, "negatives")):
            g_dist = sum_to(g_z if sign > 0 else -g_z, dist.shape)
            if legacy:
                g_s2 = (dt.type(0.5) * g_dist) / dist
            else:
                g_s2 = g_dist * (libm_pow(s2, Q - dt.type(1)) * Q)
            g_pw = np.broadcast_to(g_s2 if axis is None else np.expand_dims(g_s2, axis), d.shape)
            g_base = g_pw * (libm_pow(base, P - dt.type(1)) * P)
            g_d = g_base if legacy else g_base * _sign(d)
            grads[other] = sum_to(-g_d, inputs[other].shape)
            ga = sum_to(g_d, a.shape)
            grads["anchors"] = ga if "anchors" not in grads else grads["anchors"] + ga
    return {"output": out, "grad_anchors": grads["anchors"], "grad_positives": grads["positives"],
            "grad_negatives": grads["negatives"]}


MIRRORS = {"mlx.nn.losses.hinge_loss": hinge_loss, "mlx.nn.losses.margin_ranking_loss": margin_ranking_loss,
           "mlx.nn.losses.triplet_loss": triplet_loss}


def mirror_of(suite: str):
    return functools.partial(MIRRORS[suite])
