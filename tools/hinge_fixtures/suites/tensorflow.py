"""TensorFlow's v1 hinge loss (tensorflow.compat.v1.losses.hinge_loss): the case builder,
and TensorFlow 2.21.0 (CPU, eager) in a worker. The NumPy mirror, and how it follows
TensorFlow (inputs, reductions, outputs, error kinds), is hinge_fixtures/mirrors/tensorflow.py.

Expected values come from TensorFlow, run in a worker process (`python -m
hinge_fixtures.suites.tensorflow --worker`, see contract.FrameworkWorker); every case is
checked against the mirror as in keras.py. Without tensorflow-cpu 2.21.0 the file cannot
be written; `--check` uses the mirror alone.
"""
from __future__ import annotations

import sys

import numpy as np

from .. import exact
from ..contract import Framework, Suite, serve_worker, with_cases, worker_outputs
from ..fixture import Arrays, CaseList, decode_array, encode_array, shape_label
from ..mirrors.tensorflow import F32, SUITE, TOLERANCE, hinge_loss
from .keras import EXACT, F32_MAX, F32_MIN_NORMAL, order_matters

PINS = {"tensorflow-cpu": "2.21.0"}
NO_FRAMEWORK_ENV = "HINGE_FIXTURES_NO_TENSORFLOW"  # set (non-empty) to use the mirror alone
NAN, INF = float("nan"), float("inf")


# =========================================================================== TensorFlow itself

_ERROR_KINDS = (
    ("invalid_parameter", r"^Invalid Reduction Key "),
    ("invalid_dtype", r"Cast string to float is not supported"),
    ("shape_mismatch", r"^weights can not be broadcast to values\.|^Shapes .* are incompatible$"),
)


FRAMEWORK = Framework("tensorflow", PINS, NO_FRAMEWORK_ENV, label="TensorFlow", worker_module=__name__,
                      worker_env=lambda _: {"TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "",
                                            "PYTHONHASHSEED": "0"},
                      error_kinds=_ERROR_KINDS,
                      versions_of=lambda: FRAMEWORK.worker().call({"versions": True})["versions"])


def run_tensorflow(params: dict, inputs: Arrays) -> Arrays:
    return FRAMEWORK.call(None, {"params": params, "inputs": {k: encode_array(v) for k, v in inputs.items()}})


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
        return worker_outputs(lambda r: run(r["params"], {k: decode_array(v) for k, v in r["inputs"].items()}),
                              request)

    serve_worker(handle)


# =========================================================================== cases

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


def _grid(rng, shape, lo=-16, hi=16, step=8) -> np.ndarray:
    return exact.grid(rng, shape, F32, lo, hi, step)


def _build(add: _Cases, rng: np.random.Generator) -> None:
    a = lambda v, dt=F32: np.array(v, dt)
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
    a = lambda v, dt=F32: np.array(v, dt)
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

SUITES: dict[str, Suite] = {SUITE: Suite(SUITE, hinge_loss, with_cases(_Cases, _build), TOLERANCE, FRAMEWORK,
                                         run=run_tensorflow)}


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
