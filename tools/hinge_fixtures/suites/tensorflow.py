"""TensorFlow's v1 hinge loss (tensorflow.compat.v1.losses.hinge_loss): the NumPy mirror
of TensorFlow 2.21.0 on CPU in eager mode, and the generator of its fixture cases.

Expected values come from TensorFlow, run in a worker process (`python -m
hinge_fixtures.suites.tensorflow --worker`, see fixture.FrameworkWorker); every case is
checked against the mirror as in keras.py. Without tensorflow-cpu 2.21.0 the file cannot
be written; `--check` uses the mirror alone.

Suite: hinge_loss(labels, logits, weights=1.0, reduction=...) with inputs `labels`,
`logits` and optional `weights`; param `reduction` by TensorFlow's string values
("none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
"weighted_sum_by_nonzero_weights" = the default when omitted); outputs `output` and
`grad_logits` (the gradient of output.sum() with respect to logits as given, by
tf.GradientTape). No context.

How the mirror follows TensorFlow (tensorflow/python/ops/losses/losses_impl.py; the spec
the workspace's shared specs, keras-tf-optax-mlx.md §2.1):

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

import functools
import math
import os
import re
import sys

import numpy as np

from .. import exact
from ..fixture import (Arrays, CaseList, FrameworkWorker, LossError, Suite, decode_array, encode_array,
                       missing_pins, serve_worker, shape_label, unwritable_reason, verify_mirror)
from .keras import EXACT, F32_MAX, F32_MIN_NORMAL, flush_subnormals, order_matters, total_sum

SUITE = "tensorflow.compat.v1.losses.hinge_loss"
PINS = {"tensorflow-cpu": "2.21.0"}
NO_FRAMEWORK_ENV = "HINGE_FIXTURES_NO_TENSORFLOW"  # set (non-empty) to use the mirror alone
NAN, INF = math.nan, math.inf
TOLERANCE = {"float32": {"rtol": 2e-6, "atol": 1e-6}, "float64": {"rtol": 1e-12, "atol": 1e-12}}
REDUCTIONS = ("none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
              "weighted_sum_by_nonzero_weights", "weighted_sum_by_nonzero_weights")  # Reduction.all()
DEFAULT_REDUCTION = "weighted_sum_by_nonzero_weights"
F32 = np.float32


# =========================================================================== TensorFlow itself

@functools.cache
def framework_reason() -> str | None:
    if os.environ.get(NO_FRAMEWORK_ENV):
        return f"{NO_FRAMEWORK_ENV} is set"
    return missing_pins(PINS)


@functools.cache
def _worker() -> FrameworkWorker:
    return FrameworkWorker(__name__, {"TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "",
                                      "PYTHONHASHSEED": "0"})


_unwritable_reason = unwritable_reason(f"tensorflow-cpu=={PINS['tensorflow-cpu']} is", SUITE, framework_reason)


@functools.cache
def _framework_versions() -> dict[str, str]:
    if framework_reason() is not None:
        return {}
    return _worker().call({"versions": True})["versions"]


_ERROR_KINDS = (
    ("invalid_parameter", r"^Invalid Reduction Key "),
    ("invalid_dtype", r"Cast string to float is not supported"),
    ("shape_mismatch", r"^weights can not be broadcast to values\.|^Shapes .* are incompatible$"),
)


def classify_error(message: str) -> str:
    for kind, pattern in _ERROR_KINDS:
        if re.search(pattern, message):
            return kind
    raise RuntimeError(f"TensorFlow raised an error no kind is mapped for: {message}")


def run_tensorflow(params: dict, inputs: Arrays) -> Arrays:
    reply = _worker().call({"params": params, "inputs": {k: encode_array(v) for k, v in inputs.items()}})
    if "error" in reply:
        message = reply["error"]["message"]
        raise LossError(classify_error(message), message)
    return {k: decode_array(v) for k, v in reply["outputs"].items()}


def _serve() -> None:
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)

    def run(params: dict, inputs: Arrays) -> Arrays:
        kwargs = dict(params)
        if "weights" in inputs:
            kwargs["weights"] = inputs["weights"]
        logits = tf.constant(inputs["logits"])
        with tf.GradientTape() as tape:
            tape.watch(logits)
            out = tf.compat.v1.losses.hinge_loss(inputs["labels"], logits, **kwargs)
            total = tf.reduce_sum(out)
        grad = tape.gradient(total, logits)
        return {"output": out.numpy(),
                "grad_logits": np.zeros_like(inputs["logits"]) if grad is None else grad.numpy()}

    def handle(request: dict) -> dict:
        if "versions" in request:
            return {"versions": {"tensorflow": tf.__version__}}
        inputs = {k: decode_array(v) for k, v in request["inputs"].items()}
        try:
            outputs = run(request["params"], inputs)
        except Exception as e:  # TensorFlow's error, classified by the parent
            return {"error": {"type": type(e).__name__, "message": str(e)}}
        return {"outputs": {k: encode_array(np.asarray(v)) for k, v in outputs.items()}}

    serve_worker(handle)


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
        raise NotImplementedError("only float logits are mirrored")
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


# =========================================================================== cases

AGREEMENT: dict[tuple[str, str, str], float] = {}


def mirror_of(suite: str):
    assert suite == SUITE
    return hinge_loss


class _Cases:
    def __init__(self, cases: CaseList):
        self.cases = cases

    def add(self, variant: str, tags, labels, logits, weights=None, w_label="w-default",
            reductions=("default",), error: str | None = None, tolerance: dict | None = None) -> None:
        for r in reductions:
            params = {} if r == "default" else {"reduction": r}
            inputs = {"labels": labels, "logits": logits}
            if weights is not None:
                inputs["weights"] = weights
            cid = f"{logits.dtype.name}/{shape_label(logits.shape)}/{variant}/{r}/{w_label}"
            self.cases.add(cid, list(tags) + (["error"] if error else []), params, inputs, error=error,
                           tolerance=tolerance)
            if framework_reason() is None:
                verify_mirror(SUITE, "TensorFlow", hinge_loss, TOLERANCE, self.cases.cases[-1], AGREEMENT)


def _grid(rng, shape, lo=-16, hi=16, step=8) -> np.ndarray:
    return np.asarray(rng.integers(lo, hi, shape) / step).astype(F32)


def _build(add: _Cases, rng: np.random.Generator) -> None:
    a = lambda v, dt=F32: np.array(v, dt)  # noqa: E731
    every = ("default", "none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
             "weighted_sum_by_nonzero_weights")
    means = ("weighted_mean", "weighted_sum_over_batch_size", "weighted_sum_by_nonzero_weights")
    labels, logits = a([[0, 1], [1, 0]]), a([[.3, -.2], [1, -1.5]])
    # the spec's data (§2.1): every reduction, then weights of every broadcastable shape
    add.add("spec", ["sample"], labels, logits, reductions=every)
    add.add("spec", ["weights"], labels, logits, a([[1], [0]]), "w-Nx1", reductions=means + ("weighted_sum",))
    add.add("spec", ["weights"], labels, logits, a(2.0), "w-scalar", reductions=("default", "weighted_mean"))
    add.add("spec", ["weights", "divide-no-nan"], labels, logits, a(0.0), "w-scalar0",
            reductions=("default", "weighted_mean", "none"))
    add.add("spec", ["weights"], labels, logits, a([[2, 0], [0, 0]]), "w-NxC", reductions=("default", "weighted_mean"))
    add.add("spec", ["weights"], labels, logits, a([[.5, 3]]), "w-1xC", reductions=("default", "weighted_sum"))
    add.add("spec", ["weights", "divide-no-nan"], labels, logits, np.zeros((2, 2), F32), "w-zeros",
            reductions=means)
    add.add("spec", ["weights", "dtype"], labels, logits, np.array([[.5], [.25]]), "w-Nx1-float64",
            reductions=("weighted_mean",))
    add.add("spec", ["weights", "dtype"], labels, logits, np.array([[1, 0]]), "w-1xC-int64")
    add.add("spec", ["weights", "subnormal"], labels, logits, a([[1e-40, 1e-45], [1, 1e-39]]), "w-subnormal",
            reductions=("none", "weighted_sum"))
    # ±1 labels are mapped too: -1 -> -3
    add.add("pm1-labels", ["conversion"], a([[-1, 1], [1, -1]]), logits, reductions=("none", "default"))
    add.add("soft-labels", ["conversion"], a([[.5, 2], [0, -.5]]), logits, reductions=("none",))
    # relu's kink: the gradient is 0 where 1 - l'*x == 0 exactly
    add.add("kink-spec", ["kink"], a([1, 0, 1]), a([1, -1, .5]), reductions=("weighted_sum", "default"))
    lk = rng.integers(0, 2, (4, 5)).astype(F32)
    xk = _grid(rng, (4, 5))
    at = rng.random((4, 5)) < 0.4
    xk[at] = (2 * lk[at] - 1)  # l' * x == 1
    add.add("kink", ["kink"], lk, xk, reductions=("none", "weighted_sum"))
    # random batches
    ls, xs = rng.integers(0, 2, (5, 4)).astype(F32), exact.normal(rng, (5, 4)).astype(F32)
    add.add("sample", ["sample"], ls, xs, reductions=("default", "none"))
    add.add("sample", ["sample", "weights"], ls, xs, exact.uniform(rng, 0, 2, (5, 1)).astype(F32), "w-Nx1",
            reductions=("default", "weighted_mean", "weighted_sum_over_batch_size"))
    wz = exact.uniform(rng, 0, 2, (5, 4)).astype(F32)
    wz[rng.random((5, 4)) < 0.4] = 0
    add.add("sample", ["sample", "weights"], ls, xs, wz, "w-NxC-some-zero",
            reductions=("default", "weighted_mean", "weighted_sum_over_batch_size"))
    add.add("reference", ["reference"], rng.integers(0, 2, (64, 10)).astype(F32),
            exact.normal(rng, (64, 10)).astype(F32), exact.uniform(rng, 0, 2, (64, 1)).astype(F32), "w-Nx1",
            reductions=("default", "weighted_sum"))
    x3 = exact.normal(rng, (2, 3, 4)).astype(F32)
    add.add("3d", ["rank", "weights"], rng.integers(0, 2, (2, 3, 4)).astype(F32), x3, a([[[1]], [[0]]]), "w-2x1x1",
            reductions=("default", "weighted_mean"))
    # dtypes: everything is float32; float64 logits get a float64 gradient
    l64, x64 = ls.astype(np.float64), exact.normal(rng, (5, 4))
    add.add("float64-in", ["dtype", "float64"], l64, x64, reductions=("default", "none"))
    add.add("float64-in", ["dtype", "float64", "weights"], l64, x64, exact.uniform(rng, 0, 2, (5, 1)), "w-Nx1-float64",
            reductions=("weighted_mean",))
    add.add("kink-spec-float64", ["dtype", "float64", "kink"], np.array([1., 0., 1.]), np.array([1., -1., .5]),
            reductions=("weighted_sum",))
    add.add("labels-int64", ["dtype"], rng.integers(0, 2, (3, 4)), exact.normal(rng, (3, 4)).astype(F32))
    add.add("labels-bool", ["dtype"], rng.integers(0, 2, (3, 4)).astype(bool), exact.normal(rng, (3, 4)).astype(F32),
            reductions=("none",))
    # NaN and inf
    add.add("nan-inf", ["nan", "inf"], a([[1, 0, 1], [1, NAN, 0]]), a([[NAN, INF, -INF], [.5, .5, INF]]),
            reductions=("none", "weighted_sum"))
    # empty, 0-d, 1-D
    add.add("empty", ["empty"], np.zeros((0, 3), F32), np.zeros((0, 3), F32),
            reductions=("default", "none", "weighted_sum", "weighted_mean"))
    add.add("0d", ["scalar"], a(1), a(.3), reductions=("default", "none"))
    add.add("0d", ["scalar", "weights"], a(0), a(.3), a(0.0), "w-scalar0", reductions=("default",))
    add.add("1d", ["sample"], a([1, 0, 1, 1]), a([.2, -.4, 1.5, -2]), a([1, 2, 0, 1]), "w-N",
            reductions=("default", "weighted_mean"))
    # errors
    add.add("spec-reduction-avg", [], labels, logits, reductions=("avg",), error="invalid_parameter")
    add.add("spec-reduction-keras-name", [], labels, logits, reductions=("sum_over_batch_size",),
            error="invalid_parameter")
    add.add("spec-weights-rank1", [], labels, logits, a([1, 0]), "w-N", error="shape_mismatch")
    add.add("spec-weights-1x3", [], labels, logits, a([[1, 0, 1]]), "w-1x3", error="shape_mismatch")
    add.add("spec-weights-rank3", [], labels, logits, a([[[1]]]), "w-1x1x1", error="shape_mismatch")
    add.add("labels-2x3", [], np.zeros((2, 3), F32), logits, error="shape_mismatch")
    add.add("labels-2x1", [], np.zeros((2, 1), F32), logits, error="shape_mismatch")
    add.add("labels-string", [], np.array([["a", "b"], ["b", "a"]]), logits, error="invalid_dtype")
    _fuzz_findings(add, labels, logits)


def _fuzz_findings(add: _Cases, labels: np.ndarray, logits: np.ndarray) -> None:
    """Golden cases from the fuzzer's findings (hinge-conformance fuzz, seed 1): the
    inputs as the fuzzer drew them, or the spec data with the drawn weights."""
    a = lambda v, dt=F32: np.array(v, dt)  # noqa: E731
    # float64 logits and (5, 1) float64 weights (case 278): the weights are cast to float32
    # and the divisor reduce_sum(ones_like(losses) * weights) is summed in Eigen's order,
    # one float32 ulp from a correctly rounded sum, hence 1 ulp in every gradient element.
    l278 = np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 1], [1, 1, 1, 1]], np.float64)
    x278 = np.array([[0, 0, 0, 0], [0, 0, 0.07592949860267643, 0], [0, 0.6410454677311375, 0, 1],
                     [0.3005256784018522, -2.0607550684960683, 1, 1],
                     [2.162392953797464, 1, -0.49745779628641185, -0.7492988126077341]])
    w278 = np.array([[-1.026619008094795], [1.8942243089502622], [-2.212350028477892], [2.0430748383595385],
                     [0.2242141757833884]])
    assert order_matters(np.broadcast_to(w278.astype(F32), x278.shape).copy(), "tensorflow")
    add.add("fuzz-divisor-order-float64", ["weights", "order", "dtype", "float64", "fuzz"], l278, x278, w278,
            "w-Nx1-float64", reductions=("weighted_mean",), tolerance=EXACT)
    # Weights with zeros that cancel (case 1817): the weighted sum and the weight sum in
    # Eigen's order (a correctly rounded sum is 26 ulps off).
    l1817 = a([[1, 1, 1, 1], [0, 1, 0, 1], [0, 1, 1, 0], [0, 0, 1, 0], [0, 1, 1, 0]])
    x1817 = a([[0.7654410600662231, 0.995624303817749, 1.2932631969451904, 2.0873827934265137],
               [-1.4381482601165771, -2.274372100830078, -0.2135358601808548, 8042.3828125],
               [2.211135149002075, -1.6632893085479736, 2.1796977519989014, -0.6460487246513367],
               [-1.7234045267105103, -0.7163980007171631, -0.2251456379890442, -1.9859291315078735],
               [-2.129956007003784, 0.5179611444473267, -0.23917251825332642, -0.9444952607154846]])
    w1817 = a([[2.6716670989990234, 6.859453378638136e-07, 0.8792287707328796, -3.718440666489187e-08],
               [1.1632581949234009, -0.6318100094795227, -1.2540873289108276, 0.36287376284599304],
               [-2.48892879486084, 1.898979902267456, -0.11882133781909943, -1.816253423690796],
               [-2.5917348861694336, -0.8377016186714172, -1.4501333236694336, 2.915048360824585],
               [1.14262855052948, 2.037038564682007, -0.7557010054588318, -1.0138401985168457]])
    assert order_matters(w1817, "tensorflow")
    add.add("fuzz-sum-order", ["weights", "order", "fuzz"], l1817, x1817, w1817, "w-NxC-cancel",
            reductions=("weighted_mean", "weighted_sum", "default"), tolerance=EXACT)
    # A weight near the float32 maximum (case 660): div_no_nan's gradient 1/sum(weights) is
    # subnormal and flushed, so no gradient flows (the mirror kept it: -0.99999994).
    add.add("fuzz-w-near-max", ["weights", "subnormal", "fuzz"], labels, logits, a([[2, F32_MAX], [0, 0]]),
            "w-NxC-max", reductions=("weighted_mean", "default"))
    # A partial sum that is subnormal is written as 0 (FTZ): the weight sum 2**-127 is 0, so
    # weighted_mean divides by 0 (div_no_nan: 0).
    add.add("ftz-weight-sum", ["weights", "subnormal", "divide-no-nan"], labels, logits,
            a([[1.5 * F32_MIN_NORMAL, -F32_MIN_NORMAL], [0, 0]]), "w-NxC-subnormal-sum",
            reductions=("weighted_mean",))


# =========================================================================== registry

def _compute(params: dict, inputs: Arrays) -> Arrays:
    if framework_reason() is None:
        return run_tensorflow(params, inputs)
    return hinge_loss(params, inputs)


def _build_cases(cases: CaseList, rng: np.random.Generator) -> None:
    _build(_Cases(cases), rng)


SUITES: dict[str, Suite] = {SUITE: Suite(SUITE, _compute, _build_cases, TOLERANCE,
                                         framework_versions=_framework_versions,
                                         unwritable_reason=_unwritable_reason)}


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
