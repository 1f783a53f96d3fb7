"""TensorFlow's v1 hinge loss (tensorflow.compat.v1.losses.hinge_loss): the NumPy mirror
of TensorFlow 2.21.0 on CPU in eager mode. Its case builder and the TensorFlow worker
are in hinge_fixtures/suites/tensorflow.py.

Suite: hinge_loss(labels, logits, weights=1.0, reduction=...) with inputs `labels`,
`logits` and optional `weights`; param `reduction` by TensorFlow's string values
("none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
"weighted_sum_by_nonzero_weights" = the default when omitted); outputs `output` and
`grad_logits` (the gradient of output.sum() with respect to logits as given, by
tf.GradientTape). No context.

How the mirror follows TensorFlow
(https://github.com/tensorflow/tensorflow/blob/v2.21.0/tensorflow/python/ops/losses/losses_impl.py):

- logits, then labels, are cast to float32 (a string tensor fails in the Cast op); their
  static shapes must be equal (assert_is_compatible_with: no broadcasting).
- labels' = 2*labels - 1, ALWAYS (±1 labels become -3 and 1); losses =
  relu(1 - labels'*logits), element-wise. relu's gradient is g * (relu(x) > 0): 0 at the
  kink, 0 where the loss is NaN.
- compute_weighted_loss: Reduction.validate, then assert_broadcastable(weights, losses)
  (a scalar, or the same rank with each dimension 1 or equal), then weights are cast to
  float32 and multiplied in. "none": the weighted losses; otherwise s = sum of them and
  "weighted_sum": s; "weighted_mean": s / sum(broadcast weights);
  "weighted_sum_over_batch_size": s / number of elements;
  "weighted_sum_by_nonzero_weights": s / count of nonzero broadcast weights (the number
  of elements for a nonzero scalar weight). Every division is div_no_nan (0 / 0 = 0).
  The result is float32; the gradient is cast back to logits' dtype.
- Sums are Eigen's (keras.py's model of TensorFlow's reduce_sum; exact below 64
  float32 elements, float64-rounded beyond, hence the file tolerance float32 rtol 2e-6,
  atol 1e-6).
- Subnormals: TensorFlow flushes denormals on CPU (FTZ and DAZ): a loss times a
  subnormal weight is 0 (case tagged "subnormal"); div_no_nan's gradient 1/divisor is
  flushed too, so a divisor above 2**126 passes no gradient.
- Error kinds: a bad reduction string -> invalid_parameter; weights that do not
  broadcast, labels and logits of different shapes -> shape_mismatch; string labels or
  logits -> invalid_dtype. Messages are TensorFlow's.
"""
from __future__ import annotations

import math

import numpy as np

from ..contract import NotMirrored
from ..fixture import (Arrays, LossError)
from .keras import flush_subnormals, total_sum

SUITE = "tensorflow.compat.v1.losses.hinge_loss"
NAN, INF = math.nan, math.inf
TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}
REDUCTIONS = ("none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
              "weighted_sum_by_nonzero_weights", "weighted_sum_by_nonzero_weights")  # Reduction.all()
DEFAULT_REDUCTION = "weighted_sum_by_nonzero_weights"
F32 = np.float32


# =========================================================================== mirror

_CAST_ERROR = ("{{function_node __wrapped__Cast_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
               "Cast string to float is not supported [Op:Cast] name: ")
_PREFIX = "weights can not be broadcast to values."


def _cast32(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "U":
        raise LossError("invalid_dtype", _CAST_ERROR)
    return a.astype(F32)


def _tensor_shape(shape) -> str:
    """str(TensorShape): like a Python tuple."""
    return str(tuple(int(d) for d in shape))


def _check_broadcastable(weights: np.ndarray, losses: np.ndarray) -> None:
    """weights_broadcast_ops.assert_broadcastable, static branch. The message prints both
    tensors with NumPy's str (weights as given, losses as float32)."""
    if weights.ndim == 0:
        return
    received = f"Received weights={weights}, values={losses}"
    if weights.ndim != losses.ndim:
        raise LossError("shape_mismatch", f"{_PREFIX} values.rank={losses.ndim}. weights.rank={weights.ndim}. "
                                          f"values.shape={_tensor_shape(losses.shape)}. "
                                          f"weights.shape={_tensor_shape(weights.shape)}. {received}")
    for i, (w, v) in enumerate(zip(weights.shape, losses.shape)):
        if w not in (1, v):
            raise LossError("shape_mismatch", f"{_PREFIX} Mismatch at dim {i}. "
                                              f"values.shape={np.array(losses.shape, np.int32)}, "
                                              f"weights.shape={np.array(weights.shape, np.int32)}. {received}")


def hinge_loss(params: dict, inputs: Arrays) -> Arrays:
    """The mirror: hinge_loss(labels, logits[, weights], **params) and its gradient."""
    with np.errstate(all="ignore"):
        return _hinge_loss(params, inputs)


def _hinge_loss(params: dict, inputs: Arrays) -> Arrays:
    unknown = set(params) - {"reduction"}
    if unknown:
        raise AssertionError(f"unexpected params {sorted(unknown)}")
    reduction = params.get("reduction", DEFAULT_REDUCTION)
    logits_in, labels_in = inputs["logits"], inputs["labels"]
    weights_in = inputs.get("weights")
    if logits_in.dtype.kind != "f":
        raise NotMirrored("only float logits are mirrored")
    x = flush_subnormals(_cast32(logits_in))
    labels = flush_subnormals(_cast32(labels_in))
    if x.shape != labels.shape:
        raise LossError("shape_mismatch", f"Shapes {_tensor_shape(x.shape)} and {_tensor_shape(labels.shape)} "
                                          "are incompatible")
    ones = np.ones_like(labels)
    lab = F32(2) * labels - ones
    u = ones - flush_subnormals(lab * x)
    losses = np.maximum(u, F32(0))  # relu; NaN stays NaN
    # compute_weighted_loss
    if not (isinstance(reduction, str) and reduction in REDUCTIONS):
        raise LossError("invalid_parameter", f"Invalid Reduction Key {reduction}. Key should be one of {REDUCTIONS}.")
    if weights_in is not None:
        _check_broadcastable(weights_in, losses)
        w = flush_subnormals(_cast32(weights_in))
    else:
        w = np.asarray(F32(1.0))
    wb = np.broadcast_to(w, losses.shape)
    weighted = flush_subnormals(losses * wb)
    if reduction == "none":
        output, g_scale = weighted, F32(1)
    else:
        total = total_sum(weighted, "tensorflow")
        if reduction == "weighted_sum":
            divisor = None
        elif reduction == "weighted_mean":
            divisor = total_sum(np.ones_like(losses) * wb, "tensorflow")
        elif reduction == "weighted_sum_over_batch_size" or (w.ndim == 0 and w != 0):
            divisor = F32(losses.size)
        else:  # by nonzero weights: present = where(w == 0, 0, 1), broadcast, summed
            divisor = total_sum(np.where(wb == 0, F32(0), F32(1)), "tensorflow")
        if divisor is None:
            output, g_scale = total, F32(1)
        elif divisor == 0:
            output, g_scale = F32(0), F32(0)
        else:  # div_no_nan and its gradient div_no_nan(g, divisor), flushed (a divisor above 2**126 gives 0)
            output, g_scale = flush_subnormals(total / divisor), flush_subnormals(F32(1) / divisor)
    g = flush_subnormals(np.full(losses.shape, g_scale, F32) * wb)  # Mul grad with respect to the losses
    g_relu = g * (losses > 0).astype(F32)                   # ReluGrad uses relu's output
    grad = flush_subnormals(lab * -g_relu)                  # Sub, then Mul grad with respect to logits
    return {"output": np.asarray(output, F32), "grad_logits": grad.astype(logits_in.dtype)}


def mirror_of(suite: str):
    assert suite == SUITE
    return hinge_loss
