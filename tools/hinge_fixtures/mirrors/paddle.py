"""PaddlePaddle's hinge-family losses (paddle.nn.functional.*): the NumPy mirror of
paddlepaddle 3.3.1 on CPU in dynamic (eager) mode. Their case builders and the Paddle
runs are in hinge_fixtures/suites/paddle.py.

Every one of these losses is a Python composite of Paddle ops (paddle/nn/functional/
loss.py), so the mirror replays those ops in the same dtypes and order, and autograd's
backward of each:

    multi_margin_loss(input, label, p=1, margin=1.0, weight=None, reduction)   grad_input
        mean_c(w[y]·pow(clip(margin − x[y] + x, min=0), p)) − w[y]·(margin**p / C):
        the target's own term margin**p is included and then subtracted in floating
        point; p is not validated; clip(min=0) also clamps +inf to the dtype's max
    multi_label_margin_loss(input, label, reduction)                          grad_input
        per target j (up to the first −1, duplicates again): Σ_{i∉J} maximum(1 − x[j] +
        x[i], 0), then / C; maximum splits a tie (the kink) in half; NaN propagates
    hinge_embedding_loss(input, label, margin=1.0, reduction)                 grad_input
        where(label == 1, x, 0) + where(label == −1, relu(margin − x), 0): any other
        label gives 0; relu(NaN) = 0; == on floats is |a − b| < 1e-15
    margin_ranking_loss(input, other, label, margin=0.0, reduction)           grad_input, grad_other, grad_label
        relu((other − input)·label + margin), the margin added only when nonzero as a
        tensor of shape [1] (a 0-d call then returns shape [1])
    soft_margin_loss(input, label, reduction)                                 grad_input, grad_label
        log(1 + exp(−label·x)) with the label cast to the input's dtype: no log1p
    triplet_margin_loss(input, positive, negative, margin=1.0, p=2,           grad_input, grad_positive,
                        epsilon=1e-6, swap=False, reduction)                  grad_negative
    triplet_margin_with_distance_loss(input, positive, negative, margin=1.0,  (same)
                        swap=False, reduction; context.distance_function)
        clip(d(a,p) − d(a,n) + margin, min=0) with d = pairwise_distance = p_norm(x − y +
        epsilon): pow(Σ pow(|v|, p), 1/p); its backward divides by pow(norm, p−1), so a
        zero distance has a NaN gradient for p > 1

Orders (measured against Paddle 3.3.1, and read from phi's CPU kernels): a full
paddle.mean is Eigen's MeanReducer over the flat buffer (AVX packets of 8 floats / 4 doubles, one
packet accumulator, the tail added from 0, result tail + halving tree of the lanes, then
divided by the count in the dtype); paddle.sum is Eigen's SumReducer, which unrolls two
packet accumulators and splits runs longer than 1024 packets in halves (tree
reduction). A reduction over the last axis of a 2-D tensor (mean(axis=1), sum(axis=1))
adds each row in order from 0, and so do p_norm and the sums of broadcast gradients.
All are bit for bit. Eigen's packet exp, log and pow (pow(x, 2.0) included) are within
an ulp or two of the correctly rounded values taken here (in float64, rounded), except
where measured otherwise (exp's subnormal floor), so the suites using them carry a
tolerance (file default); the others are exact. Python-float scalars of these ops are
float32 attributes: margin**p / C in multi_margin_loss and 1/p in p_norm are rounded to
float32 even for float64 tensors.

Error kinds: reduction, negative margin, a distance check -> invalid_parameter; a class
index out of range, a label without targets -> invalid_target; shapes -> shape_mismatch;
dtypes -> invalid_dtype. Messages are Paddle's own first line (without the source
location).
"""
from __future__ import annotations

import math

import numpy as np

from ..contract import FrameworkUndefined, NotMirrored
from ..fixture import Arrays, LossError
from .torch import _ieee, _libm_pow

NAN, INF = math.nan, math.inf
REDUCTIONS = ("none", "mean", "sum")


# =========================================================================== shared helpers

class PaddleCrashes(FrameworkUndefined):
    """Paddle 3.3.1 dies with SIGSEGV on these inputs: there is no reference, and the
    generators and the fuzzer must not call it."""


def mlm_crashes(inputs: Arrays) -> bool:
    """multi_label_margin_loss of an input with no rows and a label with targets
    (input[row_ids] on an empty tensor) segfaults in Paddle 3.3.1 (found by the fuzzer)."""
    x, label = inputs["input"], inputs["label"]
    if x.ndim != 2 or label.ndim != 2 or x.shape[0] != 0 or label.dtype.kind != "i":
        return False
    return any(row.size and row[0] != -1 for row in label)


def _reduction(params: dict, message: str) -> str:
    """Every loss's first check; `message` has a {} for the value received."""
    reduction = params.get("reduction", "mean")
    if reduction not in REDUCTIONS:
        raise LossError("invalid_parameter", message.format(reduction))
    return reduction


def _lanes(dtype) -> int:
    """Eigen's AVX packet: 8 floats or 4 doubles."""
    return 8 if np.dtype(dtype) == np.float32 else 4


def _halving(lanes: np.ndarray) -> np.generic:
    """Eigen's predux: lane i += lane i + h, h halving, until one is left."""
    parts = list(lanes)
    while len(parts) > 1:
        half = (len(parts) + 1) // 2
        parts = [parts[i] + parts[i + half] if i + half < len(parts) else parts[i] for i in range(half)]
    return parts[0]


def _tail(x: np.ndarray, start: int) -> np.generic:
    acc = x.dtype.type(0)
    for v in x[start:]:
        acc = x.dtype.type(acc + v)
    return acc


def eigen_mean(x: np.ndarray) -> np.generic:
    """paddle.mean / mean_all of a flat run (Eigen MeanReducer: one packet accumulator)."""
    x = np.ascontiguousarray(x).ravel()
    dt, n, width = x.dtype.type, x.size, _lanes(x.dtype)
    whole = (n // width) * width
    total = _tail(x, whole)
    if whole:
        acc = x[:width].copy()
        for j in range(width, whole, width):
            acc = acc + x[j:j + width]
        total = dt(total + _halving(acc))
    return dt(total / dt(n))  # 0/0 = NaN for an empty run


def _eigen_sum_leaf(x: np.ndarray) -> np.generic:
    dt, n, width = x.dtype.type, x.size, _lanes(x.dtype)
    unrolled = (n // (2 * width)) * 2 * width
    whole = (n // width) * width
    total = _tail(x, whole)
    if not whole:
        return total
    a, b = np.zeros(width, x.dtype), np.zeros(width, x.dtype)
    for j in range(0, unrolled, 2 * width):
        a = a + x[j:j + width]
        b = b + x[j + width:j + 2 * width]
    for j in range(unrolled, whole, width):
        a = a + x[j:j + width]
    return dt(total + _halving(a + b))


def eigen_sum(x: np.ndarray) -> np.generic:
    """paddle.sum of a flat run (Eigen SumReducer: tree reduction with leaves of 1024 packets)."""
    x = np.ascontiguousarray(x).ravel()
    width = _lanes(x.dtype)
    if x.size <= width * 1024:
        return _eigen_sum_leaf(x)
    half = (x.size + 1) // 2
    split = width * ((half + width - 1) // width)  # half, rounded up to a whole packet
    return x.dtype.type(x.dtype.type(0 + eigen_sum(x[:split])) + eigen_sum(x[split:]))


def axis_sum(x: np.ndarray) -> np.generic:
    """paddle.sum(x, axis=-1) of one row of a 2-D tensor: a reduction that keeps the
    outer axis adds the row in order, from 0 (not the full reductions' packet order)."""
    return _tail(np.ascontiguousarray(x).ravel(), 0)


def _reduce(out: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "none":
        return out
    with np.errstate(all="ignore"):
        return np.asarray(eigen_mean(out) if reduction == "mean" else eigen_sum(out))


def _seed(out: np.ndarray, reduction: str) -> np.ndarray:
    """The gradient of output.sum() reaching the unreduced loss: 1, or mean's 1/n."""
    dt = out.dtype.type
    return np.full(out.shape, dt(1) / dt(out.size) if reduction == "mean" else dt(1), out.dtype)


def broadcast_shape(x: tuple, y: tuple) -> tuple:
    """phi's elementwise broadcast (funcs/common_shape.h), with its message."""
    nd = max(len(x), len(y))
    xs, ys = (1,) * (nd - len(x)) + tuple(x), (1,) * (nd - len(y)) + tuple(y)
    out = []
    for i, (a, b) in enumerate(zip(xs, ys)):
        if not (a == b or (a <= 1 and a != 0) or (b <= 1 and b != 0)):
            raise LossError("shape_mismatch", "(InvalidArgument) Broadcast dimension mismatch. Operands could not be "
                                              f"broadcast together with the shape of X = {list(x)} and the shape of "
                                              f"Y = {list(y)}. Received [{a}] in X is not equal to [{b}] in Y at i:{i}.")
        out.append(b if a == 1 else a)
    return tuple(out)


def _sum_to(g: np.ndarray, shape) -> np.ndarray:
    """An elementwise op's backward for a broadcast operand: a sum over the broadcast
    axes in which each output adds its elements in row-major order from 0 (measured,
    also when everything goes to one element: not the full reduction's order)."""
    shape = tuple(shape)
    if g.shape == shape:
        return g
    padded = (1,) * (g.ndim - len(shape)) + shape
    out = np.zeros(padded, g.dtype)
    for index in np.ndindex(*g.shape):
        target = tuple(0 if s == 1 else i for i, s in zip(index, padded))
        out[target] = out[target] + g[index]
    return out.reshape(shape)


def _promotion_error(a, b) -> LossError:
    return LossError("invalid_dtype", "(InvalidType) Type promotion only support calculations between floating-point "
                                      "numbers and between complex and real numbers. But got different data type "
                                      f"x: {np.dtype(a).name}, y: {np.dtype(b).name}.")


def _promote(a, b) -> np.dtype:
    """Paddle's automatic promotion between two float tensors (the wider)."""
    a, b = np.dtype(a), np.dtype(b)
    if a.kind != "f" or b.kind != "f":
        raise _promotion_error(a, b)
    return a if a.itemsize >= b.itemsize else b


def _dtype_max(dt) -> float:
    return float(np.finfo(dt).max)


def _pow(x: np.ndarray, p: float) -> np.ndarray:
    """pow(x, p) in the dtype: x for p = 1, x*x for p = 2, sqrt for p = 0.5, else glibc's pow. Paddle's
    packet pow is Eigen's generic pow, within an ulp or so of these (even for p = 2);
    the lanes past the last whole packet use std::pow."""
    if p == 1:
        return x.copy()
    if p == 2:
        return x * x
    if p == 0.5:
        return np.sqrt(x)  # glibc's pow(x, 0.5), correctly rounded, without a libm call
    return _libm_pow(x, float(np.float32(p)))  # the exponent is a float32 attribute


# Eigen's packet exp never goes below these subnormals (measured bits): exp(-inf) is
# 2096816 * 2**-149 = 2.938e-39 in float32 and 1124451685830934 * 2**-1074 = 5.556e-309
# in float64, not 0
EXP_FLOOR = {np.dtype(np.float32): float(np.float32(math.ldexp(2096816, -149))),
             np.dtype(np.float64): math.ldexp(1124451685830934, -1074)}


def eigen_exp(x: np.ndarray) -> np.ndarray:
    """paddle.exp on CPU: Eigen's packet exp over the whole packets of the flat buffer,
    floored at EXP_FLOOR, and std::exp for the last n mod P elements (which reach 0).
    Otherwise the correctly rounded value (Paddle's is within an ulp or two)."""
    flat = np.exp(np.ascontiguousarray(x).ravel().astype(np.float64)).astype(x.dtype)
    whole = (flat.size // _lanes(x.dtype)) * _lanes(x.dtype)
    flat[:whole] = np.maximum(flat[:whole], x.dtype.type(EXP_FLOOR[x.dtype]))  # NaN stays NaN
    return flat.reshape(x.shape)


def _sign(x: np.ndarray) -> np.ndarray:
    """Eigen's sign: -1, 0 or 1, and NaN for NaN."""
    return np.where(np.isnan(x), x, ((x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)).astype(x.dtype))


def paddle_equal(a: np.ndarray, value: float) -> np.ndarray:
    """`tensor == value` for a float tensor: phi's EqualFunctor tests |a - value| < 1e-15
    (measured: 2**-50 away is equal, 2**-49 is not), so float64 labels a few ulp from
    +-1 count as +-1; float32 neighbours of +-1 are farther than that."""
    if a.dtype.kind != "f":
        return a == value
    return np.abs(a - a.dtype.type(value)).astype(np.float64) < 1e-15


def _relu_grad(out: np.ndarray) -> np.ndarray:
    return (out > 0).astype(out.dtype)


def _clip0(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """paddle.clip(u, min=0.0): max is the dtype's largest finite value, so +inf comes out
    as that; NaN stays NaN. The backward passes where min <= u <= max (boundaries
    included: the kink keeps its gradient)."""
    top = u.dtype.type(_dtype_max(u.dtype))
    out = np.where(u < 0, u.dtype.type(0), np.where(u > top, top, u))
    return out, (u >= 0) & (u <= top)


# =========================================================================== multi_margin_loss

@_ieee
def multi_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    reduction = _reduction(params, "'reduction' in 'multi_margin_loss' should be 'sum', 'mean' or 'none', "
                                   "but received {}.")
    p, margin = params.get("p", 1), params.get("margin", 1.0)
    x, label, weight = inputs["input"], inputs["label"], inputs.get("weight")
    if x.ndim == 0 or label.ndim == 0:
        raise LossError("shape_mismatch", "list index out of range")
    if x.shape[0] != label.shape[0]:
        raise LossError("shape_mismatch", "The label's shape[0] should be equal to input's shape[0], but received "
                                          f"input's shape[0] {x.shape[0]} and label's shape[0]:{label.shape[0]}.")
    index = label.reshape(-1, 1)
    if x.ndim != 2:
        raise LossError("shape_mismatch", "(InvalidArgument) Inputs(X) shape of IndexSample op should be 2-D, but got "
                                          f"X's shape = {list(x.shape)}, please check X shape.")
    if index.shape[0] != x.shape[0]:
        raise LossError("shape_mismatch", "(InvalidArgument) Inputs(X)'s value of dimension 0 must same with "
                                          "Inputs(Index)'s value of dimension 0, but got "
                                          f"{x.shape[0]} of Inputs(X), and got {index.shape[0]} of Inputs(Index), "
                                          "please check Inputs shape.")
    if index.dtype.kind != "i":
        raise LossError("invalid_dtype", f"(InvalidArgument) Input(Index) holds the wrong type, it holds "
                                         f"{index.dtype.name}, but desires to be int32 or int64")
    n, c = x.shape
    for v in index.ravel():
        if v < 0 or v >= c:
            raise LossError("invalid_target", f"(InvalidArgument) Variable value (index) of OP(index_sample) expected "
                                              f">= 0 and < {c}, but got {v}. Please check input value.")
    if x.dtype.kind != "f":
        raise _promotion_error("float32", x.dtype)
    if weight is not None:
        if weight.ndim == 0:
            raise LossError("shape_mismatch", "list index out of range")
        if x.shape[1] != weight.shape[0]:
            raise LossError("shape_mismatch", "The weight's shape[0] should be equal to input's shape[1]but received "
                                              f"weight's shape[0]: {weight.shape[0]} and input's shape[1]: "
                                              f"{x.shape[1]}")
        if weight.ndim != 1 or weight.dtype != x.dtype:
            raise NotMirrored("a weight of another rank or dtype is not mirrored")
    dt = x.dtype.type
    ys = index.ravel().astype(np.int64)
    xs = x[np.arange(n), ys].reshape(n, 1)
    z = (dt(margin) - xs) + x                      # margin - index_sample + input
    clipped, clip_pass = _clip0(z)
    powered = _pow(clipped, p)
    w = weight[ys].reshape(n, 1) if weight is not None else None
    terms = w * powered if w is not None else powered
    row_means = np.array([dt(axis_sum(r) / dt(c)) for r in terms], x.dtype).reshape(n)  # mean(axis=1)
    # Python float arithmetic, then a float32 attribute of the scalar op, then the dtype:
    # float64 losses carry a float32-rounded margin**p / C
    correction = dt(np.float32(margin ** p / c))
    if w is not None:
        loss = row_means - (w * correction).reshape(n)  # weight * scalar: the same float32 scalar
    else:
        loss = row_means - correction
    g = _seed(loss, reduction).reshape(n, 1)
    g_terms = np.broadcast_to(g / dt(c), (n, c))  # mean over axis 1
    g_pow = g_terms * w if w is not None else g_terms
    pf = dt(p)  # pow's backward: dout * factor * pow(x, factor - 1), left to right
    if p == 1:
        d_pow = g_pow * pf
    elif p == 2:
        d_pow = (g_pow * pf) * clipped
    else:
        d_pow = (g_pow * pf) * _libm_pow(clipped, float(pf - dt(1)))
    g_z = np.where(clip_pass, d_pow, dt(0))
    grad = g_z.copy()
    for r in range(n):
        acc = dt(0)
        for v in g_z[r]:                             # index_sample's backward adds the row in order
            acc = dt(acc + v)
        grad[r, ys[r]] = dt(grad[r, ys[r]] - acc)
    return {"output": _reduce(loss, reduction), "grad_input": grad}


# =========================================================================== multi_label_margin_loss

@_ieee
def multi_label_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    reduction = _reduction(params, "'reduction' in 'multi_label_margin_loss' should be 'sum', 'mean' or 'none', "
                                   "but received {}.")
    x, label = inputs["input"], inputs["label"]
    if x.ndim != 2:
        raise LossError("shape_mismatch", f"Expected 2D input tensor, but got {x.ndim}D")
    if label.ndim != 2:
        raise LossError("shape_mismatch", f"Expected 2D label tensor, but got {label.ndim}D")
    n, c = x.shape
    if label.size:
        if label.dtype.kind != "i":
            raise NotMirrored("a float label is not mirrored")
        if label.min() < -1:
            raise LossError("invalid_target", "label values should be >= -1")
        if label.max() >= c:
            raise LossError("invalid_target", f"label values should be < {c}")
    if label.dtype != np.int64:
        raise NotMirrored("only int64 labels are mirrored")
    if x.dtype.kind != "f":
        raise NotMirrored("integer inputs are not mirrored")
    # row_ids, col_ids = where(valid_mask): targets before each row's first -1, row-major
    pairs = []
    for r in range(label.shape[0]):
        for k in range(label.shape[1]):
            if label[r, k] == -1:
                break
            pairs.append((r, int(label[r, k])))
    if label.size == 0:
        if n and c == 0:
            raise LossError("shape_mismatch", "(InvalidArgument) Broadcast dimension mismatch. Operands could not be "
                                              f"broadcast together with the shape of X = [{n}] and the shape of "
                                              f"Y = [0]. Received [{n}] in X is not equal to [0] in Y at i:0.")
        if n:
            raise NotMirrored("an empty label for a non-empty input is not mirrored")
        out = np.zeros(0, x.dtype)
        return {"output": _reduce(out, reduction), "grad_input": np.zeros_like(x)}
    if mlm_crashes(inputs):
        raise PaddleCrashes("multi_label_margin_loss with no input rows and a label with targets segfaults")
    for r, _ in pairs:
        if r >= n:  # input[row_ids]
            raise LossError("shape_mismatch", "(OutOfRange) The index is out of bounds, please check whether the "
                                              "dimensions of index and input meet the requirements. It should be less "
                                              f"than [{n}] and greater or equal to [-{n}], but received [{r}]")
    if not pairs:
        raise LossError("invalid_target", "(InvalidArgument) The pointer p_index is nullptr, please check whether the "
                                          "index tensor is valid and its data is correctly initialized.")
    dt = x.dtype.type
    is_target = np.zeros((n, c), bool)
    for r, j in pairs:
        is_target[r, j] = True
    losses = np.zeros(n, x.dtype)
    margins = []
    for r, j in pairs:
        m = (dt(1) - x[r, j]) + x[r]
        m = np.where(is_target[r], dt(0), m)
        relu = np.where(m > 0, m, np.where(np.isnan(m), m, dt(0)))  # maximum(m, 0): NaN propagates
        margins.append(m)
        s = axis_sum(relu)                           # relu_margin.sum(axis=1)
        losses[r] = dt(losses[r] + s)                # scatter_nd_add, in order
    out = losses / dt(c)
    g_out = _seed(out, reduction)
    g_loss = g_out / dt(c)
    grad = np.zeros((n, c), x.dtype)
    for (r, j), m in zip(pairs, margins):
        gm = g_loss[r] * np.where(m > 0, dt(1), np.where(m == 0, dt(0.5), dt(0)))
        gm = np.where(is_target[r], dt(0), gm)
        grad[r] = grad[r] + gm
        acc = dt(0)
        for v in gm:
            acc = dt(acc + v)
        grad[r, j] = dt(grad[r, j] - acc)
    return {"output": _reduce(out, reduction), "grad_input": grad}


# =========================================================================== hinge_embedding_loss

@_ieee
def hinge_embedding_loss(params: dict, inputs: Arrays) -> Arrays:
    reduction = _reduction(params, "'reduction' in 'hinge_embedding_loss' should be 'sum', 'mean' or 'none', "
                                   "but received {}.")
    margin = params.get("margin", 1.0)
    x, label = inputs["input"], inputs["label"]
    if x.dtype.kind != "f":
        raise NotMirrored("integer inputs are not mirrored")
    dt = x.dtype.type
    pos, neg = paddle_equal(label, 1.0), paddle_equal(label, -1.0)
    # where(label == 1, input, zero_): the input is X, the label Y; zero_ has shape [1]
    shape = broadcast_shape(broadcast_shape(x.shape, label.shape), (1,))
    u = dt(margin) - x
    relu = np.where(u > 0, u, dt(0))             # relu(NaN) = 0
    out = np.broadcast_to(np.where(pos, x, dt(0)) + np.where(neg, relu, dt(0)), shape).astype(x.dtype)
    g = _seed(out, reduction)
    g_first = _sum_to(np.where(np.broadcast_to(pos, out.shape), g, dt(0)), x.shape)
    g_relu = _sum_to(np.where(np.broadcast_to(neg, out.shape), g, dt(0)), x.shape)
    grad = g_first - g_relu * _relu_grad(relu)
    return {"output": _reduce(out, reduction), "grad_input": grad.astype(x.dtype)}


# =========================================================================== margin_ranking_loss

@_ieee
def margin_ranking_loss(params: dict, inputs: Arrays) -> Arrays:
    reduction = _reduction(params, "The value of 'reduction' in MarginRankingLoss should be 'sum', 'mean' or 'none', "
                                   "but received {}, which is not allowed.")
    margin = params.get("margin", 0.0)
    x1, x2, label = inputs["input"], inputs["other"], inputs["label"]
    dshape = broadcast_shape(x2.shape, x1.shape)
    ddt = _promote(x2.dtype, x1.dtype)
    d = x2.astype(ddt) - x1.astype(ddt)              # subtract(other, input)
    ushape = broadcast_shape(dshape, label.shape)
    udt = _promote(ddt, label.dtype)
    u = d.astype(udt) * label.astype(udt)
    if margin != 0.0:
        ushape = broadcast_shape(ushape, (1,))
        u = u + udt.type(margin)
    u = np.broadcast_to(u, ushape).astype(udt)
    out = np.where(u > 0, u, udt.type(0))
    gu = _seed(out, reduction) * _relu_grad(out)
    g_d = _sum_to(gu * label.astype(udt), d.shape).astype(ddt)
    outputs = {"output": _reduce(out, reduction),
               "grad_input": _sum_to(-g_d, x1.shape).astype(x1.dtype),
               "grad_other": _sum_to(g_d, x2.shape).astype(x2.dtype),
               "grad_label": _sum_to(gu * d.astype(udt), label.shape).astype(label.dtype)}
    return outputs


# =========================================================================== soft_margin_loss

@_ieee
def soft_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    reduction = _reduction(params, "The value of 'reduction' in soft_margin_loss should be 'sum', 'mean' or 'none', "
                                   "but received {}, which is not allowed.")
    x, label = inputs["input"], inputs["label"]
    if x.shape != label.shape:
        raise LossError("shape_mismatch", "input's shape must equal to label's shape")
    if x.dtype.kind != "f":
        raise NotMirrored("integer inputs are not mirrored")
    dt = x.dtype.type
    y = label.astype(x.dtype)                        # paddle.cast(label, input.dtype)
    t = (-y) * x
    e = eigen_exp(t)
    s = dt(1) + e
    out = np.log(s.astype(np.float64)).astype(x.dtype)
    g = _seed(out, reduction)
    g_t = (g / s) * e                                # log's backward, then exp's (dout * out)
    outputs = {"output": _reduce(out, reduction), "grad_input": g_t * (-y)}
    if label.dtype.kind == "f":
        outputs["grad_label"] = (-(g_t * x)).astype(label.dtype)
    return outputs


# =========================================================================== triplet losses

def p_norm(v: np.ndarray, p: float) -> np.ndarray:
    """phi's p_norm over the last axis (epsilon 0): p = 0 counts nonzeros, ±inf is the
    max/min of |v|, else pow(Σ pow(|v|, p), 1/p) with the sum in order and 1/p in float32."""
    w = np.abs(v).reshape(v.shape if v.ndim else (1,))
    shape = w.shape[:-1]
    if w.shape[-1] == 0:
        return np.zeros(shape, v.dtype)
    if p == 0:
        return np.sum((w != 0).astype(np.float64), axis=-1).astype(v.dtype)
    if p == INF:
        return np.max(w, axis=-1)
    if p == -INF:
        return np.min(w, axis=-1)
    terms = _pow(w, p)
    acc = np.zeros(shape, v.dtype)
    for k in range(w.shape[-1]):
        acc = acc + terms[..., k]
    # 1/p is computed in float (porder is a float attribute): float64 norms for p other
    # than 1 and 2 are off by ~1e-8 relative
    return _pow(acc, float(np.float32(1) / np.float32(p))) if p != 1 else acc


def p_norm_grad(v: np.ndarray, norm: np.ndarray, dy: np.ndarray, p: float) -> np.ndarray:
    """phi's p_norm_grad (epsilon 0): pow(|v|, p−1) / pow(norm, p−1) · dy · sign(v);
    |v| == norm picks the elements for ±inf; p = 0 has none."""
    w = np.abs(v)
    if v.ndim == 0:
        norm_b, dy_b = norm, dy
    else:
        norm_b, dy_b = norm[..., None], dy[..., None]
    dt = v.dtype.type
    if p == 0:
        return np.zeros_like(v)
    if p in (INF, -INF):
        return (w == norm_b).astype(v.dtype) * _sign(v) * dy_b
    q = float(dt(p - 1.0))
    num = np.ones_like(w) if q == 0 else (w.copy() if q == 1 else _libm_pow(w, q))
    den = np.ones_like(norm_b) if q == 0 else (norm_b.copy() if q == 1 else _libm_pow(norm_b, q))
    return ((num / (den + dt(0))) * dy_b) * _sign(v)


def pairwise_distance(x: np.ndarray, y: np.ndarray, p: float, epsilon: float) -> tuple[np.ndarray, np.ndarray]:
    """paddle.nn.functional.pairwise_distance(x, y, p, epsilon): (the difference, its norm)."""
    sub = x - y
    if epsilon != 0.0:
        sub = sub + np.full((1,), epsilon, x.dtype)  # a [1] tensor: a 0-d difference becomes [1]
    return sub, p_norm(sub, p)


DISTANCES = {"pairwise_distance_p1": (1.0, 1e-6)}  # context.distance_function -> (p, epsilon)


def _triplet(reduction: str, a: np.ndarray, pos: np.ndarray, neg: np.ndarray, margin: float, p: float,
             epsilon: float, swap: bool, check_distances: bool) -> Arrays:
    if not (a.shape == pos.shape == neg.shape):
        raise LossError("shape_mismatch", "input's shape must equal to positive's shape and negative's shape")
    if not (a.dtype == pos.dtype == neg.dtype) or a.dtype.kind != "f":
        raise NotMirrored("mixed or integer dtypes are not mirrored")
    dt = a.dtype.type
    sub_ap, d_ap = pairwise_distance(a, pos, p, epsilon)
    sub_an, d_an = pairwise_distance(a, neg, p, epsilon)
    d_neg = d_an
    if swap:
        sub_pn, d_pn = pairwise_distance(pos, neg, p, epsilon)
        d_neg = np.where(np.isnan(d_an) | np.isnan(d_pn), d_an + d_pn, np.minimum(d_an, d_pn))
    if check_distances and not (np.all(d_ap >= 0) and np.all(d_neg >= 0)):
        raise LossError("invalid_parameter", "The positive distance or negative distance should be greater than 0, "
                                             "The distance functions should be checked.")
    u = (d_ap - d_neg) + dt(margin)
    out, clip_pass = _clip0(u)
    g = np.where(clip_pass, _seed(out, reduction), dt(0))
    g_ap, g_neg = g, -g
    if swap:  # minimum's backward: a tie splits the gradient in half
        half = g_neg / dt(2)
        g_an = np.where(d_an < d_pn, g_neg, np.where(d_an == d_pn, half, dt(0)))
        g_pn = np.where(d_an > d_pn, g_neg, np.where(d_an == d_pn, half, dt(0)))
    else:
        g_an = g_neg
    gv_ap = p_norm_grad(sub_ap, d_ap, g_ap, p)
    gv_an = p_norm_grad(sub_an, d_an, g_an, p)
    ga = (gv_ap + gv_an).reshape(a.shape) if a.ndim else (gv_ap + gv_an).reshape(())
    gp = (-gv_ap).reshape(a.shape)
    gn = (-gv_an).reshape(a.shape)
    if swap:
        gv_pn = p_norm_grad(sub_pn, d_pn, g_pn, p).reshape(a.shape)
        gp = gp + gv_pn
        gn = gn - gv_pn
    return {"output": _reduce(out, reduction), "grad_input": ga, "grad_positive": gp, "grad_negative": gn}


def _margin_check(margin: float) -> None:
    if margin < 0:
        raise LossError("invalid_parameter", "The margin between positive samples and negative samples should be "
                                             "greater than 0.")


@_ieee
def triplet_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    reduction = _reduction(params, "'reduction' in 'triplet_margin_loss' should be 'sum', 'mean' or 'none', "
                                   "but received {}.")
    margin = params.get("margin", 1.0)
    _margin_check(margin)
    return _triplet(reduction, inputs["input"], inputs["positive"], inputs["negative"], margin,
                    float(params.get("p", 2)), params.get("epsilon", 1e-6), params.get("swap", False), False)


@_ieee
def triplet_margin_with_distance_loss(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    reduction = _reduction(params, "'reduction' in 'triplet_margin_with_distance_loss' should be 'sum', 'mean' or "
                                   "'none', but received {}.")
    margin = params.get("margin", 1.0)
    _margin_check(margin)
    name = (context or {}).get("distance_function")
    p, epsilon = DISTANCES[name] if name is not None else (2.0, 1e-6)
    return _triplet(reduction, inputs["input"], inputs["positive"], inputs["negative"], margin, p, epsilon,
                    params.get("swap", False), True)
