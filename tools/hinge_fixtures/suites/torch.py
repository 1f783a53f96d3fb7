"""PyTorch's hinge-family losses (torch.nn.functional.*): the NumPy mirror of torch
2.15.0 on CPU in eager mode, and the generators of their fixture cases.

Expected values come from torch itself. Every case is computed twice when torch 2.15.0
is importable: by torch (that is what the file records) and by the mirror, and the
generator stops, naming the case, unless the mirror's result lies within the case's
tolerance of torch's, or both raise errors of the same kind with the same message.
Without torch the files cannot be written, but `--check` still works: `compute` is then
the mirror alone, which is why the mirror must be exact where the tolerance is 0.

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
import os
import re
import warnings
from fractions import Fraction

import numpy as np

from .. import exact
from ..fixture import (FALLBACK_TOLERANCE, LIBM_TAG, Arrays, CaseList, LossError, Suite, case_id, decode_array,
                       ulp_distance, unwritable_reason)

TORCH_VERSION = "2.15.0"
NO_TORCH_ENV = "HINGE_FIXTURES_NO_TORCH"  # set (non-empty) to use the mirror alone even where torch is installed
NAN, INF = math.nan, math.inf


# =========================================================================== torch itself

@functools.cache
def _torch_and_reason():
    """(the torch module, None) when torch 2.15.0 is importable, else (None, why not)."""
    if os.environ.get(NO_TORCH_ENV):
        return None, f"{NO_TORCH_ENV} is set"
    try:
        import torch
    except ImportError as e:
        return None, str(e)
    if torch.__version__.split("+")[0] != TORCH_VERSION:
        return None, f"found torch {torch.__version__}"
    torch.set_num_threads(1)
    return torch, None


def torch_module():
    return _torch_and_reason()[0]


def _unwritable_reason(suite_name: str):
    return unwritable_reason(f"torch {TORCH_VERSION} is", suite_name, lambda: _torch_and_reason()[1])


def _framework_versions() -> dict[str, str]:
    """torch's version, and the CPU kernels it used: reductions (sums, norms) round in
    an order that depends on them, which is why those outputs carry a tolerance."""
    torch = torch_module()
    if torch is None:
        return {}
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
                       r"|doesn't match the broadcast shape"),
)


def classify_torch_error(e: Exception) -> str:
    for kind, pattern in _ERROR_KINDS:
        if re.search(pattern, str(e)):
            return kind
    raise RuntimeError(f"torch raised an error no kind is mapped for: {type(e).__name__}: {e}") from e


def run_torch(function: str, differentiable: tuple[str, ...], params: dict, inputs: Arrays) -> Arrays:
    """torch.nn.functional.<function>(**inputs, **params) on CPU; returns `output` and the
    gradient of output.sum() for every floating-point input named in `differentiable`
    (zeros where autograd leaves it None). A torch error becomes a LossError carrying
    torch's own message."""
    torch = torch_module()
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


# =========================================================================== mirror helpers

REDUCTIONS = ("none", "mean", "sum")
_TORCH_DTYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
                      "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool", "float16": "Half"}


class TorchUndefined(Exception):
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
        raise NotImplementedError("integer inputs (an integer result with the margin truncated) are not mirrored")
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
        raise NotImplementedError("all-integer inputs are not mirrored")
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
        raise NotImplementedError("integer inputs are not mirrored")
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


# =========================================================================== mirror vs torch

# (suite, output, dtype) -> largest ulp distance seen between mirror and torch
AGREEMENT: dict[tuple[str, str, str], float] = {}


class MirrorDisagreement(AssertionError):
    """The mirror and torch disagree on a case: the mirror or its understanding is wrong."""


def _tolerance(default: dict, case: dict, dtype: str) -> tuple[float, float]:
    tol = {**FALLBACK_TOLERANCE[dtype], **default.get(dtype, {}), **case.get("tolerance", {})}
    return float(tol["rtol"]), float(tol["atol"])


def verify_case(suite: str, mirror, default_tolerance: dict, case: dict) -> None:
    """Compare the mirror with a case as written (torch's values after the JSON round
    trip, which is what --check will compare against). Raises MirrorDisagreement."""
    cid = case["id"]
    inputs = {name: decode_array(a) for name, a in case["inputs"].items()}
    try:
        got = mirror(dict(case["params"]), inputs)
    except LossError as e:
        want = case.get("expected_error")
        if want is None:
            raise MirrorDisagreement(f"{suite} case {cid!r}: torch succeeded, the mirror raised {e}") from e
        if (e.kind, e.message) != (want["kind"], want["message"]):
            raise MirrorDisagreement(f"{suite} case {cid!r}: torch raised {want['kind']}: {want['message']!r}, "
                                     f"the mirror {e.kind}: {e.message!r}") from e
        return
    if "expected_error" in case:
        raise MirrorDisagreement(f"{suite} case {cid!r}: torch raised {case['expected_error']}, the mirror succeeded")
    expected = case["expected"]
    if list(got) != list(expected):
        raise MirrorDisagreement(f"{suite} case {cid!r}: outputs {list(expected)} from torch, "
                                 f"{list(got)} from the mirror")
    for name, want_obj in expected.items():
        want, have = decode_array(want_obj), np.asarray(got[name])
        if have.dtype != want.dtype or have.shape != want.shape:
            raise MirrorDisagreement(f"{suite} case {cid!r}: {name} is {want.dtype}{list(want.shape)} from torch, "
                                     f"{have.dtype}{list(have.shape)} from the mirror")
        if want.dtype.kind != "f":
            continue
        rtol, atol = _tolerance(default_tolerance, case, want.dtype.name)
        a, e = have.astype(np.float64), want.astype(np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            close = np.where(np.isfinite(a) & np.isfinite(e), np.abs(a - e) <= atol + rtol * np.abs(e),
                             (np.isnan(a) & np.isnan(e)) | (a == e))
        ulps = ulp_distance(have, want)
        key = (suite, name, want.dtype.name)
        AGREEMENT[key] = max(AGREEMENT.get(key, 0.0), float(ulps.max()) if ulps.size else 0.0)
        if not close.all():
            i = int(np.flatnonzero(~close.ravel())[0])
            raise MirrorDisagreement(
                f"{suite} case {cid!r}: {name}[{i}] torch {want.ravel()[i]!r}, mirror {have.ravel()[i]!r} "
                f"({ulps.ravel()[i]:g} ulp; rtol={rtol:g}, atol={atol:g})")


class _Cases:
    """Adds cases to a CaseList and, with torch present, checks each against the mirror."""

    def __init__(self, cases: CaseList, suite: str, mirror, default_tolerance: dict):
        self.cases, self.suite, self.mirror, self.default_tolerance = cases, suite, mirror, default_tolerance

    def add(self, cid: str, tags, params: dict, inputs: Arrays, *, error: str | None = None,
            tolerance: dict | None = None) -> None:
        self.cases.add(cid, tags, params, inputs, error=error, tolerance=tolerance)
        if torch_module() is not None:
            verify_case(self.suite, self.mirror, self.default_tolerance, self.cases.cases[-1])

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


# =========================================================================== cases

DTYPES = ("float32", "float64")
_OTHER = {"float32": "float64", "float64": "float32"}


def _scores(rng, shape, dtype, scale=1.0) -> np.ndarray:
    return np.asarray(exact.normal(rng, shape) * scale).astype(dtype)


def _grid(rng, shape, dtype, lo=-16, hi=16, step=8) -> np.ndarray:
    """Values k/step: sums and differences of a few of them are exact in float32."""
    return np.asarray(rng.integers(lo, hi, shape) / step).astype(dtype)


def dtype_type(dtype: str):
    return np.dtype(dtype).type


def _labels(rng, shape, dtype) -> np.ndarray:
    return np.asarray(rng.choice(np.array([-1, 1]), size=shape)).astype(dtype)


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

def _ml_targets(rng, n: int, c: int) -> np.ndarray:
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
                                                                       _ml_targets(rng, n, c)))
        # torch.md §5 examples 1-2 (the trailing 1 after -1 is ignored)
        x = np.array([[.1, .2, .4, .8], [.9, -.3, .2, 0]], dtype)
        t = [[3, 0, -1, 1], [1, 2, -1, 0]]
        add.reductions(dtype, (2, 4), "spec", ["sample"], inputs(x, t), which=("none", "mean", "sum"))
        add.reductions(dtype, (64, 10), "reference", ["reference"],
                       inputs(_scores(rng, (64, 10), dtype), _ml_targets(rng, 64, 10)), which=("none", "mean", "sum"))
        # kinks: z = (1 - x[j]) + x[i] == 0 for a non-target i
        x = _grid(rng, (5, 4), dtype)
        t = _ml_targets(rng, 5, 4)
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
        x, t = _scores(rng, (3, 4), dtype), _ml_targets(rng, 3, 4)
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
              inputs(rng.integers(-3, 3, (3, 4)), _ml_targets(rng, 3, 4)))


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
}
MIRRORS = {f"torch.nn.functional.{name}": mirror for name, (mirror, *_rest) in _LOSSES.items()}
DIFFERENTIABLE = {f"torch.nn.functional.{name}": diff for name, (_m, diff, *_rest) in _LOSSES.items()}


def _reference(function: str, mirror, differentiable):
    """What a case records: torch's result when torch 2.15.0 is here, else the mirror's."""
    def compute(params: dict, inputs: Arrays) -> Arrays:
        if torch_module() is not None:
            return run_torch(function, differentiable, params, inputs)
        return mirror(params, inputs)
    return compute


def _builder(suite: str, mirror, build, tolerance):
    def build_cases(cases: CaseList, rng: np.random.Generator) -> None:
        build(_Cases(cases, suite, mirror, tolerance), rng)
    return build_cases


def _suite(function: str) -> Suite:
    mirror, differentiable, build, tolerance = _LOSSES[function]
    name = f"torch.nn.functional.{function}"
    return Suite(name, _reference(function, mirror, differentiable), _builder(name, mirror, build, tolerance),
                 tolerance, framework_versions=_framework_versions, unwritable_reason=_unwritable_reason(name))


SUITES: dict[str, Suite] = {s.name: s for s in map(_suite, _LOSSES)}
