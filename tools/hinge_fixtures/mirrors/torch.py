"""PyTorch's hinge-family losses (torch.nn.functional.*): the NumPy mirror of torch
2.15.0 on CPU in eager mode. Their case builders and the torch runs are in
hinge_fixtures/suites/torch.py.

Every torch case is checked against this mirror when it is made; `--check` runs the mirror alone,
which is why the mirror must be exact where the tolerance is 0.

Suites (the function's own argument names; outputs `output` and `grad_<input>` for each
floating-point differentiable input, the gradient of output.sum() by autograd):

    multi_margin_loss(input, target, p=1, margin=1.0, weight=None, reduction)    grad_input
    multilabel_margin_loss(input, target, reduction)                             grad_input
    hinge_embedding_loss(input, target, margin=1.0, reduction)                   grad_input
    margin_ranking_loss(input1, input2, target, margin=0, reduction)             grad_input1, grad_input2,
                                                                                 grad_target
    soft_margin_loss(input, target, reduction)                                   grad_input
    triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6,   grad_anchor, grad_positive,
                        swap=False, reduction)                                   grad_negative

How the mirror follows torch (the shared spec notes, specs/torch.md, derive it from ATen):

- multi_margin_loss and multilabel_margin_loss are native CPU kernels; the mirror runs
  their loops in the input dtype with NumPy scalars (float32 stays float32), in their
  order: margin rounded to the dtype, z = (margin - x[y]) + x[i], strict z > 0, per-sample
  sums in the dtype (MultiMargin) or float64 (MultiLabelMargin), the batch accumulated
  in float64, the gradient step dtype(1/float64(N*C)) rounded once. It is bit-exact, and
  their files have tolerance 0.
- The composite losses (hinge_embedding, margin_ranking, soft_margin, triplet) are
  chains of ATen ops; the mirror does the same ops in the same dtypes (type promotion,
  a Python-float margin or eps rounded to the tensor dtype, clamp_min's backward
  `where(x > 0, grad, 0)`, minimum's tie split, norm_backward, the engine's
  sum-to-shape for broadcast inputs), so elementwise results are exact or within an
  ulp or two (exp, log1p and norms: torch uses vectorised kernels). torch's mean/sum is
  a vectorised cascade sum whose order depends on the CPU, so the mirror sums in
  float64, rounds to the dtype and divides there; reduced outputs therefore need a
  tolerance (file default float32 rtol 2e-6, atol 1e-6; float64 1e-12, 1e-12).
- Validation follows torch's order (torch.nn.functional's Python checks, then ATen's)
  and reproduces its messages word for word, since --check compares them.

Error kinds: out-of-range class index -> invalid_target; p, reduction, margin values ->
invalid_parameter; dtypes -> invalid_dtype; shapes, sizes, dims -> shape_mismatch.

Not in the fixtures because torch leaves them undefined: multi_margin_loss and
multilabel_margin_loss with an empty batch and reduction mean/sum (the output is never
written; the mirror raises TorchUndefined).
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from ..contract import FrameworkUndefined, NotMirrored
from ..fixture import (Arrays, LossError)

NAN, INF = math.nan, math.inf


# =========================================================================== mirror helpers

REDUCTIONS = ("none", "mean", "sum")
_TORCH_DTYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
                      "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool", "float16": "Half"}


class TorchUndefined(FrameworkUndefined):
    """torch's result for these inputs is not defined (uninitialised memory)."""


def _ieee(fn):
    @functools.wraps(fn)
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return quiet


def _tname(dtype) -> str:
    return _TORCH_DTYPE_NAMES.get(np.dtype(dtype).name, np.dtype(dtype).name)


def _is_float(a) -> bool:
    return np.asarray(a).dtype.kind == "f"


def _reduction(params: dict) -> str:
    """torch.nn._reduction.get_enum: the first check of every loss."""
    reduction = params.get("reduction", "mean")
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise LossError("invalid_parameter", f"{reduction} is not a valid value for reduction")
    return reduction


def _promote(*dtypes) -> np.dtype:
    """torch's type promotion for same-rank tensors of these dtypes (float32, float64,
    int64): the widest float, else int64. (NumPy would make float32 + int64 float64.)"""
    floats = [np.dtype(d) for d in dtypes if np.dtype(d).kind == "f"]
    return max(floats, key=lambda d: d.itemsize) if floats else np.dtype("int64")


def _infer_size(a: tuple, b: tuple) -> tuple:
    """ATen's infer_size: the broadcast of shapes a and b, or its error."""
    ndim = max(len(a), len(b))
    out = []
    for i in range(ndim - 1, -1, -1):
        offset = ndim - 1 - i
        da, db = len(a) - 1 - offset, len(b) - 1 - offset
        sa, sb = (a[da] if da >= 0 else 1), (b[db] if db >= 0 else 1)
        if not (sa == sb or sa == 1 or sb == 1):
            raise LossError("shape_mismatch", f"The size of tensor a ({sa}) must match the size of tensor b "
                                              f"({sb}) at non-singleton dimension {i}")
        out.insert(0, sb if sa == 1 else sa)
    return tuple(out)


def _broadcast(*shapes) -> tuple:
    """A TensorIterator's shape: its operands' shapes broadcast left to right, so the
    error names the first failing pair as torch does (tensor a = the shapes so far)."""
    shape = tuple(shapes[0])
    for s in shapes[1:]:
        if tuple(s) != shape:
            shape = _infer_size(shape, tuple(s))
    return shape


def _sum_to(g: np.ndarray, shape) -> np.ndarray:
    """The autograd engine's reduction of a broadcast gradient to an input's shape (a sum
    over the broadcast dims; summed in float64 and rounded, torch's order differs)."""
    shape = tuple(shape)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
    return np.sum(g.astype(np.float64), axis=axes).reshape(shape).astype(g.dtype)


def _clamp_min0(u: np.ndarray) -> np.ndarray:
    """clamp_min(u, 0): NaN stays NaN, -0.0 stays -0.0 (std::max(u, 0))."""
    return np.where(u < 0, u.dtype.type(0), u)


def _ceil_log2(x: int) -> int:
    """ATen's utils::CeilLog2 (1 for x <= 2)."""
    return 1 if x <= 2 else (x - 1).bit_length()


def _multi_row_sum(x: np.ndarray, items: int, width: int, rows: int) -> np.ndarray:
    """SumKernel.cpp multi_row_sum: `items` interleaved accumulators of `width` lanes over
    `rows` rows of `items` consecutive vectors, cascaded through 4 levels."""
    levels = 4
    power = max(4, _ceil_log2(rows) // levels)
    step, mask = 1 << power, (1 << power) - 1
    block = items * width
    acc = np.zeros((levels, block), x.dtype)
    i = 0
    while i + step <= rows:
        # one level-0 step is a plain in-order sum of `step` blocks
        for _ in range(step):
            acc[0] = acc[0] + x[i * block:(i + 1) * block]
            i += 1
        for j in range(1, levels):
            acc[j] = acc[j] + acc[j - 1]
            acc[j - 1] = 0
            if i & (mask << (j * power)):
                break
    while i < rows:
        acc[0] = acc[0] + x[i * block:(i + 1) * block]
        i += 1
    for j in range(1, levels):
        acc[0] = acc[0] + acc[j]
    return acc[0].reshape(items, width)


def _row_sum(x: np.ndarray, width: int, vectors: int) -> np.ndarray:
    """SumKernel.cpp row_sum (ilp_factor 4) over `vectors` vectors of `width` lanes."""
    rows = vectors // 4
    partial = _multi_row_sum(x, 4, width, rows)
    for i in range(rows * 4, vectors):
        partial[0] = partial[0] + x[i * width:(i + 1) * width]
    for k in range(1, 4):
        partial[0] = partial[0] + partial[k]
    return partial[0]


def _torch_sum(values: np.ndarray) -> np.generic:
    """torch.sum of a contiguous CPU tensor to a scalar, single-threaded, in cascade_sum's
    order (SumKernel.cpp): row_sum over scalars below one Vectorized register (8 floats or
    4 doubles), else row_sum over whole vectors lane-wise, the scalar tail, then the lanes
    in turn. Bit for bit against torch 2.15 for 0 <= n <= 40,000."""
    x = np.ascontiguousarray(values).ravel()
    dt = x.dtype.type
    width = 4 if x.dtype == np.float64 else 8
    if x.size < width:
        return dt(_row_sum(x, 1, x.size)[0])
    vectors = x.size // width
    lanes = _row_sum(x, width, vectors)
    total = dt(0)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(vectors * width, x.size):
            total = dt(total + x[k])
        for lane in lanes:
            total = dt(total + lane)
    return total


def _reduce(out: np.ndarray, reduction: str) -> np.ndarray:
    """apply_loss_reduction: torch.sum in its own order; mean = that sum / numel in the
    dtype (an empty mean is NaN)."""
    if reduction == "none":
        return out
    dt = out.dtype.type
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        total = _torch_sum(out)
        return np.asarray(total / dt(out.size) if reduction == "mean" else total)


def _grad_seed(out: np.ndarray, reduction: str) -> np.ndarray:
    """The gradient reaching the unreduced loss from output.sum(): ones, or (mean) the
    mean's backward grad / numel, one float division in the dtype."""
    dt = out.dtype.type
    value = dt(1) / dt(out.size) if reduction == "mean" else dt(1)
    return np.full(out.shape, value, out.dtype)


def _sign(x: np.ndarray) -> np.ndarray:
    """torch.sgn for real tensors: (0 < x) - (x < 0); NaN and -0.0 give +0."""
    return ((x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)).astype(x.dtype)


def _pow(x: np.ndarray, exponent: float) -> np.ndarray:
    """Tensor.pow(scalar) on CPU: exact for the exponents 0, 1, 2, 3 (a copy, x*x,
    x*x*x), else a vectorised pow within an ulp of the correctly rounded value used here
    (0.5 included: torch does not take sqrt there; 84 % of float32 results agree)."""
    if exponent == 0:
        return np.ones_like(x)
    if exponent == 1:
        return x.copy()
    if exponent == 2:
        return x * x
    if exponent == 3:
        return x * x * x
    return np.power(x.astype(np.float64), exponent).astype(x.dtype)


def _in_float64(fn, x: np.ndarray) -> np.ndarray:
    """A transcendental function evaluated in float64 and rounded to x's dtype (for
    float32 this is the correctly rounded value almost always; torch's vectorised kernel
    is within an ulp or two of it). Overflow to inf survives the rounding."""
    return fn(x.astype(np.float64)).astype(x.dtype)


def _check_same(a: np.ndarray, b: np.ndarray) -> None:
    if a.dtype != b.dtype or a.shape != b.shape:  # a guard on this module
        raise AssertionError(f"mirror bug: {a.dtype}{a.shape} vs {b.dtype}{b.shape}")


# =========================================================================== native losses

def _native_shape_check(x: np.ndarray) -> None:
    ndims = x.ndim
    if not ((ndims == 2 and x.shape[1] != 0) or (ndims == 1 and x.shape[0] != 0) or ndims == 0):
        raise LossError("shape_mismatch", "Expected non-empty vector or matrix with optional 0-dim batch size, "
                                          f"but got: {list(x.shape)}")


def _native_dtype_check(x: np.ndarray, kernel: str) -> None:
    if not _is_float(x):
        raise LossError("invalid_dtype", f'"{kernel}" not implemented for \'{_tname(x.dtype)}\'')


def _expect_dtype(a: np.ndarray, dtype) -> None:
    """const_data_ptr<T>() on a tensor of another dtype."""
    if a.dtype != np.dtype(dtype):
        raise LossError("invalid_dtype", f"expected scalar type {_tname(dtype)} but found {_tname(a.dtype)}")


@_ieee
def multi_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    """ATen multi_margin_loss_cpu / _backward_cpu (LossMultiMargin.cpp), loop for loop."""
    reduction = _reduction(params)
    p, margin = params.get("p", 1), params.get("margin", 1.0)
    x, target, weight = inputs["input"], inputs["target"], inputs.get("weight")
    # torch.nn.functional's checks
    if p != 1 and p != 2:
        raise LossError("invalid_parameter", "only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise LossError("shape_mismatch", "weight must be one-dimensional")
    p = int(p)
    # ATen's
    _native_shape_check(x)
    nframe = 1 if x.ndim <= 1 else x.shape[0]
    dim = 1 if x.ndim == 0 else x.shape[-1]
    if not (target.ndim <= 1 and target.size == nframe):
        raise LossError("shape_mismatch", "multi_margin_loss: target tensor should be 1-D with size equal to the "
                                          "number of input samples (batch size). Expected target size "
                                          f"[{nframe}], but got {list(target.shape)}. Input has shape {list(x.shape)}.")
    if weight is not None and weight.size != dim:
        raise LossError("shape_mismatch", f"inconsistent weight size, expected {dim} but got {list(weight.shape)}")
    out_shape = (nframe,) if reduction == "none" and target.ndim > 0 else ()
    if x.size == 0:  # returns before dispatching: the output is resized but never written
        if out_shape == ():
            raise TorchUndefined("multi_margin_loss of an empty batch with a reduction is uninitialised memory")
        return {"output": np.zeros(out_shape, x.dtype), "grad_input": np.zeros_like(x)}
    _native_dtype_check(x, "multi_margin_loss_cpu_kernel")
    _expect_dtype(target, np.int64)
    if weight is not None:
        _expect_dtype(weight, x.dtype)
    ys = target.reshape(-1)
    if np.any((ys < 0) | (ys >= dim)):
        raise LossError("invalid_target", "target out of range")

    dt = x.dtype.type
    m = dt(margin)                      # margin.to<scalar_t>()
    g = dt(1.0 / (nframe * dim)) if reduction == "mean" else dt(1.0 / dim)
    two = dt(2)
    rows = x.reshape(nframe, dim)
    loss = np.zeros(nframe, x.dtype)
    grad = np.zeros((nframe, dim), x.dtype)
    for n in range(nframe):
        row, y = rows[n], int(ys[n])
        xt, wy = row[y], (weight[y] if weight is not None else None)
        s, gt = dt(0), dt(0)
        for d in range(dim):
            if d == y:
                continue
            z = (m - xt) + row[d]
            if z > 0:                   # NaN: false, the class is dropped
                h = z if p == 1 else z * z
                hg = g if p == 1 else (two * g) * z
                if wy is not None:
                    h, hg = h * wy, hg * wy
                s = s + h
                gt = gt - hg
                grad[n, d] = hg
        loss[n] = s / dt(dim)
        grad[n, y] = gt
    if out_shape:
        output = loss
    else:
        acc = 0.0                       # accscalar_t: double on CPU
        for s in loss:
            acc += float(s)
        if reduction == "mean":
            acc /= nframe
        output = np.asarray(dt(acc))
    return {"output": output, "grad_input": grad.reshape(x.shape)}


@_ieee
def multilabel_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    """ATen multilabel_margin_loss_forward_out_cpu / _backward (LossMultiLabelMargin.cpp)."""
    reduction = _reduction(params)
    x, target = inputs["input"], inputs["target"]
    _native_shape_check(x)
    if x.ndim <= 1:
        nframe, dim = 1, (1 if x.ndim == 0 else x.shape[0])
        ok = target.ndim <= 1 and target.size == dim
    else:
        nframe, dim = x.shape
        ok = target.ndim == 2 and target.shape == x.shape
    if not ok:
        raise LossError("shape_mismatch", f"inconsistent target size: {list(target.shape)} "
                                          f"for input of size: {list(x.shape)}")
    scalar_out = reduction != "none" or target.ndim <= 1
    if x.size == 0:
        if scalar_out:
            raise TorchUndefined("multilabel_margin_loss of an empty batch with a reduction is uninitialised memory")
        return {"output": np.zeros((nframe,), x.dtype), "grad_input": np.zeros_like(x)}
    ts = target.reshape(nframe, dim)
    if ts.min() < -1 or ts.max() >= dim:  # over the whole tensor, entries after the first -1 included
        raise LossError("invalid_target", "argument #2 'target' is out of range")
    _native_dtype_check(x, "multilabel_margin_loss_forward_out_frame")
    _expect_dtype(target, np.int64)

    dt = x.dtype.type
    one = dt(1)
    g = dt(1.0 / (nframe * dim)) if reduction == "mean" else dt(1.0 / dim)
    rows = x.reshape(nframe, dim)
    sums = np.zeros(nframe, x.dtype)    # per sample: the float64 sum rounded to the dtype
    grad = np.zeros((nframe, dim), x.dtype)
    for n in range(nframe):
        row, labels = rows[n], []
        for t in ts[n]:
            if t < 0:
                break
            labels.append(int(t))
        is_target = set(labels)
        acc = 0.0
        for j in labels:                # duplicates count again
            xt = row[j]
            for d in range(dim):
                if d in is_target:
                    continue
                z = (one - xt) + row[d]
                if z > 0:
                    acc += float(z)
                    grad[n, j] = grad[n, j] - g
                    grad[n, d] = grad[n, d] + g
        sums[n] = dt(acc)
    if scalar_out:
        acc = 0.0
        for s in sums:
            acc += float(s)
        acc /= dim
        if reduction == "mean":
            acc /= nframe
        output = np.asarray(dt(acc))
    else:
        output = sums / dt(dim)
    return {"output": output, "grad_input": grad.reshape(x.shape)}


# =========================================================================== composite losses

@_ieee
def hinge_embedding_loss(params: dict, inputs: Arrays) -> Arrays:
    """Loss.cpp: where(target != 1, clamp_min(margin - x, 0), 0) + where(target != -1, x, 0)."""
    reduction = _reduction(params)
    margin = params.get("margin", 1.0)
    x, y = inputs["input"], inputs["target"]
    # where(target != 1, margin_clamp, zeros): tensor a is the target
    shape = _broadcast(y.shape, x.shape)
    if not _is_float(x):
        if reduction == "mean":
            raise LossError("invalid_dtype", "mean(): could not infer output dtype. Input dtype must be either a "
                                             f"floating point or complex dtype. Got: {_tname(x.dtype)}")
        raise NotMirrored("integer inputs (an integer result with the margin truncated) are not mirrored")
    dt = x.dtype.type
    zero = dt(0)
    u = dt(margin) - x                  # the margin rounded to the dtype first
    ne1, nem1 = y != 1, y != -1         # any target other than +-1 takes both branches
    out = np.where(ne1, _clamp_min0(u), zero) + np.where(nem1, x, zero)
    _check_same(out, np.zeros(shape, x.dtype))
    gout = _grad_seed(out, reduction)
    g_margin = -np.where(u > 0, _sum_to(np.where(ne1, gout, zero), x.shape), zero)
    g_self = _sum_to(np.where(nem1, gout, zero), x.shape)
    return {"output": _reduce(out, reduction), "grad_input": g_margin + g_self}


@_ieee
def margin_ranking_loss(params: dict, inputs: Arrays) -> Arrays:
    """Loss.cpp: clamp_min(-target * (input1 - input2) + margin, 0), with type promotion."""
    reduction = _reduction(params)
    margin = params.get("margin", 0)
    x1, x2, y = inputs["input1"], inputs["input2"], inputs["target"]
    if not (x1.ndim == x2.ndim == y.ndim):
        raise LossError("shape_mismatch", "margin_ranking_loss : All input tensors should have same dimension but "
                                          f"got sizes: input1: torch.Size({list(x1.shape)}), input2: "
                                          f"torch.Size({list(x2.shape)}), target: torch.Size({list(y.shape)}) ")
    dshape = _broadcast(x1.shape, x2.shape)
    pshape = _broadcast(y.shape, dshape)
    dtype_d = _promote(x1.dtype, x2.dtype)
    ptype = _promote(y.dtype, dtype_d)
    if ptype.kind != "f":
        raise NotMirrored("all-integer inputs are not mirrored")
    negy = -y
    d = x1.astype(dtype_d) - x2.astype(dtype_d)
    u = negy.astype(ptype) * d.astype(ptype) + ptype.type(margin)
    out = _clamp_min0(u)
    _check_same(out, np.zeros(pshape, ptype))
    zero = ptype.type(0)
    gu = np.where(u > 0, _grad_seed(out, reduction), zero)
    # mul backward: grad * other in the promoted dtype; the engine sums to the input's
    # shape, then casts to its dtype
    g_d = _sum_to(gu * negy.astype(ptype), d.shape).astype(dtype_d)
    outputs = {"output": _reduce(out, reduction),
               "grad_input1": _sum_to(g_d, x1.shape).astype(x1.dtype),
               "grad_input2": _sum_to(-g_d, x2.shape).astype(x2.dtype)}
    if _is_float(y):
        outputs["grad_target"] = -_sum_to(gu * d.astype(ptype), y.shape).astype(y.dtype)
    return outputs


@_ieee
def soft_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    """Loss.cpp soft_margin_loss_out: output = log1p(exp((-input) * target)) computed in
    place in the input's dtype; backward soft_margin_loss_backward_out."""
    reduction = _reduction(params)
    x, y = inputs["input"], inputs["target"]
    # neg_out(output, input).mul_(target): an in-place op on a tensor of the input's shape
    shape = _infer_size(tuple(x.shape), tuple(y.shape)) if x.shape != y.shape else x.shape
    if shape != x.shape:
        raise LossError("shape_mismatch", f"output with shape {list(x.shape)} doesn't match the broadcast "
                                          f"shape {list(shape)}")
    if not _is_float(x):
        result = _promote(x.dtype, y.dtype)
        result = np.dtype("float32") if result.kind != "f" else result  # exp_ of the integer product
        raise LossError("invalid_dtype", f"result type {_tname(result)} can't be cast to the desired output "
                                         f"type {_tname(x.dtype)}")
    dt = x.dtype
    t = -x
    ct = _promote(dt, y.dtype)
    t = (t.astype(ct) * y.astype(ct)).astype(dt)
    out = _in_float64(np.log1p, _in_float64(np.exp, t))

    norm = np.float64(1) / x.size if reduction == "mean" else 1.0  # inf for an empty mean, as in C++
    zt = _promote(y.dtype, dt)
    z = _in_float64(np.exp, (-y).astype(zt) * x.astype(zt))
    gt = _promote(y.dtype, zt)
    gi = (y.astype(gt) * z.astype(gt)).astype(dt)
    gi = gi * dt.type(-norm)
    z = z + zt.type(1)
    qt = _promote(dt, zt)
    gi = (gi.astype(qt) / z.astype(qt)).astype(dt)
    _check_same(out, gi)
    return {"output": _reduce(out, reduction), "grad_input": gi}


def _fma(a, b, c, dt):
    """A fused multiply-add rounded once to dt (exact rational arithmetic for finite values)."""
    a, b, c = float(a), float(b), float(c)
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return dt(a * b + c)
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    try:
        return dt(float(exact)) if dt is np.float64 else dt(_round_fraction_to_float32(exact))
    except OverflowError:
        return dt(math.inf if exact > 0 else -math.inf)


def _round_fraction_to_float32(x: Fraction) -> float:
    """x rounded to the nearest float32 (ties to even) in one step, with no double rounding
    through float64: float32's 24-bit significand is rounded from the exact rational."""
    if x == 0:
        return 0.0
    sign = -1.0 if x < 0 else 1.0
    x = abs(x)
    e = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** e > x:
        e -= 1
    e = max(e, -126)  # subnormals share the smallest exponent
    scaled = x / Fraction(2) ** (e - 23)
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r > scaled.denominator or (2 * r == scaled.denominator and q % 2):
        q += 1
    return sign * float(np.float32(math.ldexp(q, e - 23)))


def _sum_of_squares(row: np.ndarray) -> np.generic:
    """torch's `norm_two` last-dimension kernel (ReduceOpsKernel.cpp,
    binary_kernel_reduce_lastdim) in its order: Vectorized lanes (8 floats or 4 doubles:
    AVX2) accumulate x*x over whole vectors, the lanes are added left to right, and the
    scalar tail is contracted to fused multiply-adds, except that a float tail of 4 or more
    starts with 4 rounded products added in turn. Bit for bit against torch 2.15 for
    1 <= D <= 257 on the machine the fixtures were made on."""
    dt = row.dtype.type
    width = 8 if row.dtype == np.float32 else 4
    whole = len(row) - len(row) % width
    lanes = np.zeros(width, row.dtype)
    for start in range(0, whole, width):
        chunk = row[start:start + width]
        lanes = lanes + chunk * chunk
    total = lanes[0]
    for j in range(1, width):
        total = dt(total + lanes[j])
    d = whole
    if width == 8 and len(row) - d >= 4:
        for k in range(d, d + 4):
            total = dt(total + dt(row[k] * row[k]))
        d += 4
    for k in range(d, len(row)):
        total = _fma(row[k], row[k], total, dt)
    return total


def _libm_pow(x: np.ndarray, exponent: float) -> np.ndarray:
    """std::pow elementwise in float64 (glibc's, correctly rounded in practice), rounded to
    x's dtype; np.power may use a SIMD pow a few ulp off. math.pow raises where C returns
    inf (overflow, 0 to a negative power) or NaN."""
    def one(v: float) -> float:
        try:
            return math.pow(v, exponent)
        except OverflowError:
            return math.inf
        except ValueError:
            return math.inf if v == 0 else math.nan
    flat = [one(float(v)) for v in np.asarray(x, np.float64).ravel()]
    return np.array(flat, np.float64).reshape(np.shape(x)).astype(x.dtype)


def _vector_norm(v: np.ndarray, p: float) -> np.ndarray:
    """linalg_vector_norm over the last dim (a 0-d tensor is its own last dim) as torch's
    CPU reduction does it: p = 2 through the norm_two kernel (_sum_of_squares, then sqrt);
    p = 1 and other p a sequential sum in the dtype of |x| or std::pow(|x|, p) (then
    pow(sum, 1/p), 1/p in the dtype)."""
    dt = v.dtype.type
    if v.ndim and v.shape[-1] == 1:  # a reduction over one element is |x| (0-d is not)
        return np.abs(v).reshape(v.shape[:-1])
    w = np.abs(v).reshape(v.shape if v.ndim else (1,))
    if p == 2:
        rows = w.reshape(int(np.prod(w.shape[:-1])), w.shape[-1])
        acc = np.array([_sum_of_squares(r) for r in rows], v.dtype).reshape(w.shape[:-1])
        return np.asarray(np.sqrt(acc)).reshape(v.shape[:-1] if v.ndim else ())
    acc = np.zeros(w.shape[:-1], v.dtype)
    for k in range(w.shape[-1]):
        col = w[..., k]
        acc = acc + (col if p == 1 else _libm_pow(col, p))
    if p != 1:
        acc = _libm_pow(acc, float(dt(1) / dt(p)))
    return np.asarray(acc).reshape(v.shape[:-1] if v.ndim else ())


def _norm_backward(grad: np.ndarray, x: np.ndarray, p: float, norm: np.ndarray) -> np.ndarray:
    """FunctionsManual.cpp norm_backward for 1 <= p < inf."""
    if x.ndim:
        grad, norm = grad[..., None], norm[..., None]
    zero = x.dtype.type(0)
    if p == 1:
        return _sign(x) * grad
    if p == 2:
        return grad * np.where(norm == 0, zero, x / norm)
    scaled = _sign(x) * _pow(np.abs(x), p - 1) if p < 2 else x * _pow(np.abs(x), p - 2)
    scale = np.where(norm == 0, zero, grad / _pow(norm, p - 1))
    return scaled * scale


@_ieee
def triplet_margin_loss(params: dict, inputs: Arrays) -> Arrays:
    """Loss.cpp: clamp_min(margin + d(a, p) - d(a, n), 0) with d = pairwise_distance =
    ||x1 - x2 + eps||_p over the last dim; swap: d(a, n) := minimum(d(a, n), d(p, n))."""
    reduction = _reduction(params)
    margin, p = params.get("margin", 1.0), params.get("p", 2)
    eps, swap = params.get("eps", 1e-6), params.get("swap", False)
    if margin <= 0:
        raise LossError("invalid_parameter", f"margin must be greater than 0, got {margin}")
    a, pos, neg = inputs["anchor"], inputs["positive"], inputs["negative"]
    if not (a.ndim == pos.ndim == neg.ndim):
        raise LossError("shape_mismatch", "The anchor, positive, and negative tensors are expected to have the same "
                                          f"number of dimensions, but got: anchor {a.ndim}D, positive {pos.ndim}D, "
                                          f"and negative {neg.ndim}D inputs")
    if not (_is_float(a) and _is_float(pos) and _is_float(neg)):
        raise NotMirrored("integer inputs are not mirrored")
    p = float(p)

    def distance(x1, x2):
        _broadcast(x1.shape, x2.shape)
        dt = _promote(x1.dtype, x2.dtype)
        diff = (x1.astype(dt) - x2.astype(dt)) + dt.type(eps)
        return diff, _vector_norm(diff, p)

    diff_ap, d_ap = distance(a, pos)
    diff_an, d_an = distance(a, neg)
    d_neg = d_an
    if swap:
        diff_pn, d_pn = distance(pos, neg)
        _broadcast(d_an.shape, d_pn.shape)
        d_neg = np.minimum(d_an, d_pn)  # NaN-propagating, as at::minimum
    _broadcast(d_ap.shape, d_neg.shape)
    dt = np.result_type(d_ap, d_neg)
    u = (dt.type(margin) + d_ap) - d_neg
    out = _clamp_min0(u)
    zero = dt.type(0)
    gu = np.where(u > 0, _grad_seed(out, reduction), zero)
    g_ap, g_neg = _sum_to(gu, d_ap.shape), _sum_to(-gu, d_neg.shape)
    if swap:  # minimum's backward: ties split in half; NaN sends the gradient both ways
        half = np.where(d_an == d_pn, g_neg / dt.type(2), g_neg)
        g_an = _sum_to(np.where(d_an > d_pn, zero, half), d_an.shape)
        g_pn = _sum_to(np.where(d_an < d_pn, zero, half), d_pn.shape)
    else:
        g_an = g_neg
    gd_ap = _norm_backward(g_ap, diff_ap, p, d_ap)
    gd_an = _norm_backward(g_an, diff_an, p, d_an)
    grad_a = _sum_to(gd_ap, a.shape) + _sum_to(gd_an, a.shape)
    grad_p = _sum_to(-gd_ap, pos.shape)
    grad_n = _sum_to(-gd_an, neg.shape)
    if swap:
        gd_pn = _norm_backward(g_pn, diff_pn, p, d_pn)
        grad_p = grad_p + _sum_to(gd_pn, pos.shape)
        grad_n = grad_n + _sum_to(-gd_pn, neg.shape)
    return {"output": _reduce(out, reduction), "grad_anchor": grad_a.astype(a.dtype),
            "grad_positive": grad_p.astype(pos.dtype), "grad_negative": grad_n.astype(neg.dtype)}


# torch's EPSILON in Loss.cpp is a `constexpr float`: float64 losses add float32(1e-12),
# 9.999999960041972e-13, not 1e-12.
COSINE_EPSILON = float(np.float32(1e-12))


def _row_sums(x: np.ndarray) -> np.ndarray:
    """x.sum(-1) of a contiguous tensor as torch's CPU sum kernel does it: each row is
    one cascade_sum (vectorised for rows of at least one register, else scalar), with
    the same order as the full reduction of a row's elements (_torch_sum)."""
    if x.ndim == 0:
        raise AssertionError("mirror bug: a row sum of a 0-d tensor")
    rows = np.ascontiguousarray(x).reshape(-1, x.shape[-1]) if x.size else np.zeros((int(np.prod(x.shape[:-1])), 0),
                                                                                  x.dtype)
    return np.array([_torch_sum(r) for r in rows], x.dtype).reshape(x.shape[:-1])


@_ieee
def cosine_embedding_loss(params: dict, inputs: Arrays) -> Arrays:
    """Loss.cpp cosine_embedding_loss (composite), op for op:

        prod_sum = (x1 * x2).sum(d);  m_i = (x_i * x_i).sum(d) + EPSILON
        cos = prod_sum / sqrt(m1 * m2)
        output = where(target == 1, 1 - cos, 0) + where(target == -1, clamp_min(cos - margin, 0), 0)

    with d the target's rank (rows of 2-D inputs for a 1-D target, the whole 1-D input
    for a 0-d one). The inputs broadcast with each other, the rows with the target;
    targets other than +-1 give 0. The backward is autograd's through those ops."""
    reduction = _reduction(params)
    margin = params.get("margin", 0)
    x1, x2, y = inputs["input1"], inputs["input2"], inputs["target"]
    if y.ndim not in (0, 1):
        raise LossError("shape_mismatch", "0D or 1D target tensor expected, multi-target not supported")
    want = 2 if y.ndim == 1 else 1
    if x1.ndim != want or x2.ndim != want:
        raise LossError("shape_mismatch", f"{y.ndim}D target tensor expects {want}D input tensors, but found inputs "
                                          f"with sizes {list(x1.shape)} and {list(x2.shape)}.")
    if not (_is_float(x1) and _is_float(x2)) or x1.dtype != x2.dtype:
        raise NotMirrored("integer or mixed-dtype inputs are not mirrored")
    dt = x1.dtype.type
    shape12 = _broadcast(x1.shape, x2.shape)
    prod = np.broadcast_to(x1, shape12) * np.broadcast_to(x2, shape12)
    prod_sum = _row_sums(prod)
    m1 = _row_sums(x1 * x1) + dt(COSINE_EPSILON)
    m2 = _row_sums(x2 * x2) + dt(COSINE_EPSILON)
    q = m1 * m2                                     # broadcasts when one input has a single row
    denom = np.sqrt(q)
    _broadcast(prod_sum.shape, denom.shape)
    cos = prod_sum / denom
    pos = dt(1) - cos
    u = cos - dt(margin)                            # the margin rounded to the dtype first
    neg = _clamp_min0(u)
    is_pos, is_neg = y == 1, y == -1
    zero = dt(0)
    # where(target == 1, pos, zeros): the target is tensor a of the broadcast
    shape = _broadcast(y.shape, pos.shape, pos.shape)
    out = np.where(is_pos, pos, zero) + np.where(is_neg, neg, zero)
    _check_same(out, np.zeros(shape, x1.dtype))

    gout = _grad_seed(out, reduction)
    g_pos = _sum_to(np.where(is_pos, gout, zero), cos.shape)
    g_neg = _sum_to(np.where(is_neg, gout, zero), cos.shape)
    g_cos = -g_pos + np.where(u > 0, g_neg, zero)   # rsub's -grad; clamp_min's strict > (2.15)
    g_ps = _sum_to(g_cos / denom, prod_sum.shape)
    g_denom = _sum_to(-g_cos * ((prod_sum / denom) / denom), denom.shape)
    g_q = g_denom / (dt(2) * denom)                 # sqrt's backward: grad / (2 * result)
    g_m1, g_m2 = _sum_to(g_q * m2, m1.shape), _sum_to(g_q * m1, m2.shape)
    g_prod = np.broadcast_to(g_ps[..., None], shape12)

    def cross(other, shape):
        """The product's gradient summed to an input's shape: over a broadcast last
        dimension in torch's row-sum order (a cancelling sum: |cos| = 1 rows), then
        over broadcast rows."""
        g = g_prod * np.broadcast_to(other, shape12)
        if shape[-1] == 1 and shape12[-1] != 1:
            g = _row_sums(g)[..., None]
        return _sum_to(g, shape)

    # x * x sends grad * x down both edges (an exact doubling); then the product's term
    grad1 = (g_m1[..., None] * x1 + g_m1[..., None] * x1) + cross(x2, x1.shape)
    grad2 = (g_m2[..., None] * x2 + g_m2[..., None] * x2) + cross(x1, x2.shape)
    return {"output": _reduce(out, reduction), "grad_input1": grad1, "grad_input2": grad2}


# The distance functions a triplet_margin_with_distance_loss case may name in its
# `distance_function` param (a callable cannot be written in a fixture): name ->
# torch.nn.functional.pairwise_distance's (p, eps). Absent or null is torch's default,
# torch.pairwise_distance itself.
DISTANCE_FUNCTIONS = {
    "pairwise_distance": (2.0, 1e-6),
    "pairwise_distance_p1": (1.0, 1e-6),
}


def distance_function(params: dict) -> tuple[float, float]:
    """(p, eps) of the pairwise_distance a case names; an unknown name is a broken case."""
    name = params.get("distance_function")
    if name is None:
        return DISTANCE_FUNCTIONS["pairwise_distance"]
    if name not in DISTANCE_FUNCTIONS:
        raise ValueError(f"params.distance_function: unknown distance {name!r}; known: "
                         f"{', '.join(sorted(DISTANCE_FUNCTIONS))} or null")
    return DISTANCE_FUNCTIONS[name]


def triplet_margin_with_distance_loss(params: dict, inputs: Arrays) -> Arrays:
    """torch/nn/functional.py triplet_margin_with_distance_loss (Python): reduction and
    margin checks, the rank check, then distance(a, p), distance(a, n), with swap
    minimum(d(a, n), distance(p, n)), clamp_min(margin + d_pos - d_neg, 0) and
    torch.sum / torch.mean: for a pairwise_distance the same ops as ATen's
    triplet_margin_loss, whose mirror computes it."""
    reduction = params.get("reduction", "mean")
    if reduction not in REDUCTIONS:
        raise LossError("invalid_parameter", f"{reduction} is not a valid value for reduction")
    margin = params.get("margin", 1.0)
    p, eps = distance_function(params)
    return triplet_margin_loss({"margin": margin, "p": p, "eps": eps, "swap": params.get("swap", False),
                                "reduction": reduction}, inputs)
