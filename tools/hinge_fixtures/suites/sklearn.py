"""scikit-learn 1.9.1: LinearSVC (LIBLINEAR), metrics.hinge_loss and the hinge-family
losses SGDClassifier trains with. NumPy mirrors and the generators of their fixture cases.

Expected values come from scikit-learn itself when scikit-learn 1.9.1 is importable (with
numpy 2.4.6, scipy 1.17.1). Every case is then also computed by the NumPy mirror and the
generator stops, naming the case, unless both agree within the case's tolerance (or raise
the same error kind with the same message). Without scikit-learn the files cannot be
written, but `--check` works: `compute` is then the mirror, which imports neither
scikit-learn nor SciPy. (Set HINGE_FIXTURES_NO_SKLEARN=1 to use the mirror even where
scikit-learn is installed.)

Error messages are scikit-learn's own text, except that a set literal in a parameter
message ("a str among {'squared_hinge', 'hinge'}") is written with its items sorted:
scikit-learn prints a Python set, whose order changes with PYTHONHASHSEED.

sklearn.svm.LinearSVC
---------------------
params   the constructor's keyword arguments by name; a missing one takes scikit-learn's
         default (penalty "l2", loss "squared_hinge", dual "auto", tol 1e-4, C 1.0,
         multi_class "ovr", fit_intercept true, intercept_scaling 1, class_weight null,
         max_iter 1000). `dual` is true, false or "auto"; `class_weight` is null,
         "balanced" or an object label -> weight whose keys are strings: str(label) for
         int64 labels (the adapter parses them back to integers), the label itself for
         string labels (no fixture uses digit-only string labels, which scikit-learn would
         look up as integers). Every case sets `random_state` (an int).
inputs   X float64 (n, d), y int64 or string (n,), X_test float64 (m, d), and optionally
         sample_weight float64 (n,). fit(X, y, sample_weight), then the methods on X_test.
expected classes_ (int64/string (K,)), coef_ (float64 (rows, d); rows = 1 for two classes,
         also with crammer_singer, else K), intercept_ (float64 (rows,), or the float64
         scalar 0.0 with shape [] when fit_intercept is false: scikit-learn stores the
         Python float 0.0), decision_function (float64 (m,) for one row, else (m, K)),
         predict (labels (m,)), and n_iter_ (int64 scalar) in path cases only.

Two kinds of fitting cases, told apart by `tol`:

* tight (tol <= 1e-8; the fixtures use 1e-10 and max_iter 100000; tag "tight"): the model
  is the unique optimum of the problem; no n_iter_. Tolerance rtol = atol = 1e-5 on
  floats. The generator checks that scikit-learn with random_state r and r + 1 agree
  within that tolerance, and that its model is within it of the mirror's certified
  optimum (hinge_fixtures.liblinear_replay.optimum: a duality-gap, gradient or KKT
  certificate with a documented bound, checked on every run of the mirror, so also by
  --check). Test points whose decision is within 1e-3 of a tie (|score| for one row,
  top score minus runner-up otherwise) are left out, so a solver anywhere within the
  tolerance predicts the same labels.
* path (tol > 1e-8, scikit-learn's defaults unless the case says otherwise; tag "path";
  every solver): the model is what liblinear's trajectory gives with this
  random_state, including fits stopped by max_iter, and n_iter_ is included (tag
  "convergence-warning" where n_iter_ >= max_iter, when scikit-learn warns; crammer_singer
  ignores max_iter, its cap is 100000, tag "max-iter-ignored"). The mirror replays
  liblinear bit for bit (liblinear_replay.replay), so the
  file tolerance is 1e-9 (rtol and atol), which leaves room only for a different
  summation order in decision_function. Test points within 1e-6 of a tie are left out,
  except in the max_iter=0 case (tag "tie"): coef_ and intercept_ are exactly zero there,
  every score is exactly 0, and predict gives classes_[0] (scores > 0 for one row, the
  first argmax otherwise).

What the NumPy mirror (and so `--check`) verifies per LinearSVC case:
* path: liblinear replayed on the stored data with the stored random_state (and, for
  solver 2, context.blas_kernel's OpenBLAS rounding); coef_, intercept_ and n_iter_ come
  out bit for bit, decision_function/predict are recomputed from them on X_test. A
  solver-2 path case without a modelled kernel is refused (Unsupported / UnknownKernel).
* tight: the certified optimum of the documented objective (duality gap <= 2e-6 in
  radius for hinge and Crammer-Singer, gradient norm <= 1e-9 for squared hinge, KKT for
  L1; see liblinear_replay), and decision_function/predict from it; compared with the
  stored values at rtol = atol = 1e-5, so the stored model is within that of a certified
  optimum. The mirror raises NotCertified (and --check fails) if a certificate misses its
  bound; also when scikit-learn is not expected to reach the optimum (solver 2: an
  emulation of its TRON run ends at max_iter or on no reduction, as on ill-conditioned
  data the fuzzer drew; see liblinear_replay.tron_radius), and when the radius of the
  certificate (plus, for TRON, the emulated run's distance from the optimum) times
  |[x; intercept_scaling]| could move an output by more than the tolerance or change a
  prediction. The dual solvers' tight runs are taken to end at the optimum, as the
  fixtures check against scikit-learn with two random_states.
* errors: the same validation in scikit-learn's order, with its messages.
The data come from tools/hinge_fixtures/sklearn_data.py, a snapshot of scikit-learn's
bundled data sets and make_classification outputs (z-scored, rounded to 4 decimals),
checked against scikit-learn whenever the file is generated.

Solvers (tag "solver-N"): 1 dual CD squared hinge, 2 primal TRON, 3 dual CD hinge, 4
Crammer-Singer, 5 L1-regularized squared hinge.

TRON's path (solver 2 at a loose tol) depends on the rounding of the OpenBLAS level-1
kernels (ddot, dnrm2, daxpy, dscal) that scikit-learn's SciPy picks for the CPU. Its path
cases exist once per kernel the mirror models (hinge_fixtures.openblas_level1.KERNELS:
"SkylakeX", "Haswell"), with the id suffix "/<kernel>", tag "blas-<kernel>" and
context {"blas_kernel": "<kernel>"}: the `architecture` threadpoolctl reported for SciPy's
OpenBLAS in the scikit-learn worker that made the case (a process started with
OPENBLAS_CORETYPE=<kernel>; generation stops if threadpoolctl reports another kernel, as
it does on a CPU without that kernel's instructions). The mirror replays TRON bit for
bit with that kernel's rounding (liblinear_replay.tron_replay); every such case is
path-exact for its kernel. Cases without context.blas_kernel (all others) are made the
same way under OPENBLAS_CORETYPE=Haswell (DEFAULT_KERNEL), the kernel set every x86-64 CPU
with AVX2 runs, AVX-512 ones included, so they regenerate byte for byte on any of them
(only the tight solver-2 fits and decision_function's dgemm sums depend on the kernel, in
their last bits). dual="auto" (tag "dual-auto")
resolves as in scikit-learn: n_samples < n_features -> the dual solver if the
(multi_class, penalty, loss) combination has one; otherwise the primal one if it has one.

Errors (scikit-learn's ValueError text): invalid constructor values and rejected
penalty/loss/dual combinations -> invalid_parameter; a dict class_weight naming a label
that is not a class (while some class is unweighted) -> invalid_parameter; NaN or
infinity in X, X_test or sample_weight, and sample weights that are all zero ->
invalid_parameter (scikit-learn's message; the format has no kind for bad input values,
and it is not a target, shape or dtype problem); one class only -> invalid_target; X or
X_test without rows or columns, X/y rows, sample_weight length, X_test width ->
shape_mismatch. Validation order: constructor parameters (alphabetical); X (NaN,
infinity, then no rows or columns), y and their lengths; the class count; class_weight
(with 'balanced', sample_weight's checks run inside it); sample_weight (NaN, infinity,
empty, length, all zero); the solver combination; X_test at predict time (NaN, infinity,
no rows or columns, then its width).

sklearn.metrics.hinge_loss
--------------------------
inputs   y_true (int64 or string (n,)), pred_decision (float64 (n,) or (n, K)), optionally
         labels (same dtype as y_true) and sample_weight (float64 (n,)); no params.
expected output: float64 scalar. Binary (at most two distinct labels in `labels`, else in
         y_true): pred_decision raveled, y_true mapped by column 0 of
         LabelBinarizer(neg_label=-1) fitted on y_true alone, whatever `labels` says (two
         distinct values: the larger +1, the other -1; one value: all -1; three or more,
         possible when `labels` names at most two: one-hot, so the smallest value +1 and
         every other -1). Multi-class: columns in sorted-label order, margin = pred[i, y_i]
         - max over the other columns. loss = np.average(max(0, 1 - margin),
         weights=sample_weight); weights that sum to exactly 0 (NumPy's pairwise sum) make
         np.average raise ZeroDivisionError, recorded as invalid_parameter with its message
         (the kind of the other bad input values; the format has no kind for it).
         File tolerance 1e-12 (the mirror is NumPy's own computation; other summation
         orders differ in the last bits).

sklearn.linear_model.SGDClassifier.loss
---------------------------------------
params   loss: "hinge" (Hinge(1.0)), "squared_hinge" (SquaredHinge(1.0)), "modified_huber"
         (ModifiedHuber()), "perceptron" (Hinge(0.0)), the loss objects of
         BaseSGDClassifier.loss_functions.
inputs   p (decision values) and y (labels, +-1), float64 arrays of one shape (any rank).
expected output = loss(p, y) and grad_p = dloss(p, y) elementwise, from the objects'
         py_loss / py_dloss, including their values exactly at each kink. In C, per
         element: z = p*y; hinge(t): z <= t ? t - z : 0, dloss z <= t ? -y : 0;
         squared_hinge: u = 1 - p*y, u > 0 ? u*u : 0, dloss u > 0 ? (-2*y)*u : 0;
         modified_huber: z >= 1 ? 0 : z >= -1 ? (1-z)*(1-z) : -4*z, dloss z >= 1 ? 0 :
         z >= -1 ? (2*(1-z))*(-y) : -4*y. Tolerance 0 (bit-exact).
         An unknown loss -> invalid_parameter with SGDClassifier's parameter message; p and
         y of different shapes -> shape_mismatch (the suite's own rule: the loss objects
         are scalar functions).
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
import sys
import warnings

import numpy as np

from .. import liblinear_replay as ll
from .. import exact
from .. import openblas_level1 as ob
from ..fixture import (Arrays, CaseList, FrameworkWorker, LossError, Suite, _close, _tolerance, decode_array,
                       encode_array, serve_worker, unwritable_reason)

SKLEARN_VERSION = "1.9.1"
NO_SKLEARN_ENV = "HINGE_FIXTURES_NO_SKLEARN"
NAN, INF = math.nan, math.inf


# =========================================================================== scikit-learn itself

@functools.cache
def _sklearn_and_reason():
    """(the sklearn module, None) when scikit-learn 1.9.1 is importable, else (None, why not)."""
    if os.environ.get(NO_SKLEARN_ENV):
        return None, f"{NO_SKLEARN_ENV} is set"
    try:
        import sklearn
        import sklearn.linear_model._sgd_fast  # noqa: F401
        import sklearn.metrics  # noqa: F401
        import sklearn.svm  # noqa: F401
    except ImportError as e:
        return None, str(e)
    if sklearn.__version__ != SKLEARN_VERSION:
        return None, f"found scikit-learn {sklearn.__version__}"
    return sklearn, None


def sklearn_module():
    return _sklearn_and_reason()[0]


def _unwritable_reason(suite_name: str):
    return unwritable_reason(f"scikit-learn {SKLEARN_VERSION} is", suite_name, lambda: _sklearn_and_reason()[1])


def _framework_versions() -> dict[str, str]:
    skl = sklearn_module()
    if skl is None:
        return {}
    import scipy
    return {"scikit-learn": skl.__version__, "scipy": scipy.__version__}


_SET_LITERAL = re.compile(r"\{('[^'{}]*'(?:, '[^'{}]*')*)\}")


def normalize_message(message: str) -> str:
    """Sort the items of set literals such as {'squared_hinge', 'hinge'}: scikit-learn
    prints Python sets, whose order depends on PYTHONHASHSEED."""
    return _SET_LITERAL.sub(lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", message)


def _classify(e: Exception, table) -> str:
    text = str(e)
    for kind, pattern in table:
        if re.search(pattern, text):
            return kind
    raise RuntimeError(f"scikit-learn raised an error no kind is mapped for: {type(e).__name__}: {e}") from e


# =========================================================================== shared mirror pieces

def _inconsistent_lengths(*lengths) -> LossError:
    return LossError("shape_mismatch", "Found input variables with inconsistent numbers of samples: "
                                       f"{[int(n) for n in lengths]}")


def _param_error(estimator: str, name: str, description: str, value) -> LossError:
    return LossError("invalid_parameter", normalize_message(
        f"The {name!r} parameter of {estimator} must be {description}. Got {value!r} instead."))


def _is_real(v) -> bool:
    """numbers.Real, as scikit-learn's Interval(Real, ...) tests it (bool included)."""
    return isinstance(v, (int, float))


def _is_int(v) -> bool:
    """numbers.Integral (bool included)."""
    return isinstance(v, int)


# =========================================================================== LinearSVC mirror

LINEAR_SVC_DEFAULTS = {"penalty": "l2", "loss": "squared_hinge", "dual": "auto", "tol": 1e-4, "C": 1.0,
                       "multi_class": "ovr", "fit_intercept": True, "intercept_scaling": 1, "class_weight": None,
                       "random_state": None, "max_iter": 1000}
TIGHT_TOL = 1e-8                 # cases with tol <= this are "tight"
TIGHT_TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}
TIGHT_TIE_GAP = 1e-3
PATH_TIE_GAP = 1e-6

_NAN_X = ("Input X contains NaN.\nLinearSVC does not accept missing values encoded as NaN natively. For supervised "
          "learning, you might want to consider sklearn.ensemble.HistGradientBoostingClassifier and Regressor which "
          "accept missing values encoded as NaNs natively. Alternatively, it is possible to preprocess the data, for "
          "instance by using an imputer transformer in a pipeline or drop samples with missing values. See "
          "https://scikit-learn.org/stable/modules/impute.html You can find a list of all estimators that handle NaN "
          "values at the following page: https://scikit-learn.org/stable/modules/impute.html#estimators-that-handle-"
          "nan-values")
_INF_X = "Input X contains infinity or a value too large for dtype('float64')."

# (name, test, description) in get_params order (sorted names), as _parameter_constraints says
_LINEAR_SVC_CONSTRAINTS = (
    ("C", lambda v: _is_real(v) and v > 0, "a float in the range (0.0, inf)"),
    ("class_weight", lambda v: v is None or isinstance(v, dict) or v == "balanced",
     "None, an instance of 'dict' or a str among {'balanced'}"),
    ("dual", lambda v: isinstance(v, bool) or v == "auto",
     "an instance of 'bool' or an instance of 'numpy.bool' or a str among {'auto'}"),
    ("fit_intercept", lambda v: isinstance(v, bool), "an instance of 'bool' or an instance of 'numpy.bool'"),
    ("intercept_scaling", lambda v: _is_real(v) and v > 0, "a float in the range (0.0, inf)"),
    ("loss", lambda v: v in ("hinge", "squared_hinge"), "a str among {'hinge', 'squared_hinge'}"),
    ("max_iter", lambda v: _is_int(v) and v >= 0, "an int in the range [0, inf)"),
    ("multi_class", lambda v: v in ("ovr", "crammer_singer"), "a str among {'crammer_singer', 'ovr'}"),
    ("penalty", lambda v: v in ("l1", "l2"), "a str among {'l1', 'l2'}"),
    ("random_state", lambda v: v is None or (_is_int(v) and 0 <= v <= 4294967295),
     "an int in the range [0, 4294967295], an instance of 'numpy.random.mtrand.RandomState' or None"),
    ("tol", lambda v: _is_real(v) and v > 0, "a float in the range (0.0, inf)"),
)

# _get_liblinear_solver_type, "ovr" branch: loss -> penalty -> dual -> solver
_SOLVER_TABLE = {"hinge": {"l2": {True: 3}}, "squared_hinge": {"l1": {False: 5}, "l2": {False: 2, True: 1}}}


def solver_type(multi_class: str, penalty: str, loss: str, dual: bool) -> int:
    """scikit-learn's _get_liblinear_solver_type for LinearSVC's values."""
    if multi_class == "crammer_singer":
        return 4
    by_penalty = _SOLVER_TABLE[loss]
    if penalty not in by_penalty:
        text = f"The combination of penalty='{penalty}' and loss='{loss}' is not supported"
    elif dual not in by_penalty[penalty]:
        text = f"The combination of penalty='{penalty}' and loss='{loss}' are not supported when dual={dual}"
    else:
        return by_penalty[penalty][dual]
    raise LossError("invalid_parameter", f"Unsupported set of arguments: {text}, Parameters: "
                                         f"penalty={penalty!r}, loss={loss!r}, dual={dual!r}")


def resolve_dual(dual, loss: str, penalty: str, multi_class: str, n_samples: int, n_features: int) -> bool:
    """_validate_dual_parameter."""
    if dual != "auto":
        return dual
    first = n_samples < n_features          # try the dual first when n < d, else the primal
    try:
        solver_type(multi_class, penalty, loss, first)
        return first
    except LossError:
        return not first


def class_weight_vector(class_weight, classes: np.ndarray, y_index: np.ndarray,
                        sample_weight: np.ndarray | None) -> np.ndarray:
    """compute_class_weight with the fixture's class_weight (a dict has string keys)."""
    K = classes.size
    if class_weight is None or len(class_weight) == 0:
        return np.ones(K)
    if class_weight == "balanced":
        # compute_class_weight validates sample_weight against y (_check_sample_weight)
        sw = np.ones(y_index.size) if sample_weight is None else check_sample_weight(sample_weight, y_index.size)
        counts = np.bincount(y_index, weights=sw)
        return np.sum(counts) / (K * counts)
    weight = np.ones(K)
    unweighted = []
    lookup = _class_weight_for_sklearn(class_weight, classes)
    for i, c in enumerate(classes):
        try:
            key = int(c)
        except ValueError:
            key = str(c)
        if key in lookup:
            weight[i] = lookup[key]
        else:
            unweighted.append(key)
    if unweighted and K - len(unweighted) != len(lookup):
        raise LossError("invalid_parameter", f"The classes, {np.array(unweighted).tolist()}, are not in class_weight")
    return weight


def _class_weight_for_sklearn(class_weight, classes_or_y: np.ndarray):
    """The fixture's class_weight as passed to scikit-learn: a dict's string keys become
    ints for int64 labels."""
    if not isinstance(class_weight, dict):
        return class_weight
    if np.asarray(classes_or_y).dtype.kind in "iu":
        return {int(k): float(v) for k, v in class_weight.items()}
    return {str(k): float(v) for k, v in class_weight.items()}


def _check_params(params: dict) -> dict:
    unknown = set(params) - set(LINEAR_SVC_DEFAULTS)
    if unknown:
        raise ValueError(f"not LinearSVC parameters: {sorted(unknown)}")
    p = {**LINEAR_SVC_DEFAULTS, **params}
    for name, ok, description in _LINEAR_SVC_CONSTRAINTS:
        if not ok(p[name]):
            raise _param_error("LinearSVC", name, description, p[name])
    return p


@functools.lru_cache(maxsize=256)
def _model_cached(params_json: str, X: bytes, xshape: tuple, y: tuple, sw: bytes | None, blas_kernel: str | None):
    """The mirror's fit (after validation): (classes_, coef_, intercept_ or None, n_iter_ or None,
    radius per row for tight cases else None)."""
    params = json.loads(params_json)
    Xa = np.frombuffer(X, dtype=np.float64).reshape(xshape)
    ya = np.array(y)
    swa = None if sw is None else np.frombuffer(sw, dtype=np.float64)
    return _fit_mirror(params, Xa, ya, swa, blas_kernel)


def _fit_mirror(p: dict, X: np.ndarray, y: np.ndarray, sw: np.ndarray | None, blas_kernel: str | None = None):
    classes, y_index = np.unique(y, return_inverse=True)
    K = classes.size
    dual = resolve_dual(p["dual"], p["loss"], p["penalty"], p["multi_class"], X.shape[0], X.shape[1])
    if K < 2:
        raise LossError("invalid_target", "This solver needs samples of at least 2 classes in the data, but the "
                                          f"data contains only one class: {classes[0]!r}")
    cw = class_weight_vector(p["class_weight"], classes, y_index, sw)
    if sw is not None:
        sw = check_sample_weight(sw, X.shape[0])
    solver = solver_type(p["multi_class"], p["penalty"], p["loss"], dual)
    bias = float(p["intercept_scaling"]) if p["fit_intercept"] else -1.0
    if p["random_state"] is None:
        raise ll.Unsupported("the mirror needs an int random_state")
    problem = ll.make_problem(X, y_index, K, float(p["C"]), cw, sw, bias)
    if p["tol"] <= TIGHT_TOL:
        if not np.all(np.isfinite(problem.weighted_C) & (problem.weighted_C > 0)):
            # class_weight='balanced' with negative sample weights can give a class a negative
            # weight: scikit-learn then fits a non-convex problem, which has no optimum to certify
            raise ll.NotCertified(f"class weights {problem.weighted_C / problem.C} are not all positive: the problem "
                                  "is not convex")
        coef, icpt, certificates = ll.optimum(problem, solver, int(p["random_state"]))
        n_iter = None
        radius = _tight_radius(problem, solver, p, coef, icpt, certificates)
    else:
        coef, icpt, n_iter = ll.replay(problem, solver, float(p["tol"]), int(p["max_iter"]), int(p["random_state"]),
                                       blas_kernel=blas_kernel)
        radius = None
    return classes, coef, icpt, n_iter, radius


def _tight_radius(problem: ll.Problem, solver: int, p: dict, coef: np.ndarray, icpt, certificates) -> np.ndarray:
    """Per coef_ row, a bound on the distance (in w~ = [w; w_b]) between scikit-learn's model
    and the mirror's: the certificate's radius (0 for the L1 KKT certificate, which bounds
    no distance) plus how far scikit-learn's run stops from the optimum: for TRON as an
    emulation of it predicts (liblinear_replay.tron_radius), for the other solvers from
    their bit-for-bit replay (liblinear_replay.dual_radius); both raise NotCertified when
    the run is not known to get near the optimum. Doubled for the two-row Crammer-Singer
    difference."""
    rows = coef.shape[0]
    cert = np.array([c.value if c.kind != "kkt" else 0.0 for c in certificates])
    radius = np.full(rows, float(cert.max())) if cert.size != rows else cert.copy()
    W = coef if icpt is None else np.hstack([coef, (np.asarray(icpt) / problem.bias)[:, None]])
    if solver == 2:
        radius += np.array(ll.tron_radius(problem, float(p["tol"]), int(p["max_iter"]), W))
    else:
        if solver == 4 and problem.K == 2:
            W = np.vstack([-W / 2, W / 2])     # the optimum's two rows sum to 0 (sum_m alpha_i^m = 0)
        radius += np.array(ll.dual_radius(problem, solver, float(p["tol"]), int(p["max_iter"]),
                                          int(p["random_state"]), W))
    if solver == 4 and problem.K == 2:
        radius *= 2.0
    return radius


def check_tight_outputs(radius: np.ndarray, bias: float, coef: np.ndarray, icpt, X_test: np.ndarray,
                        scores: np.ndarray) -> None:
    """NotCertified unless a model within `radius` (per row, in w~) of the mirror's gives every
    output within the tight tolerance of the mirror's and the same predictions: |coef_ error|
    <= r, |intercept_ error| <= r * bias, |decision_function error| <= r * |[x; bias]|."""
    rtol, atol = TIGHT_TOLERANCE["rtol"], TIGHT_TOLERANCE["atol"]
    scale = max(bias, 0.0)
    with np.errstate(all="ignore"):
        xnorm = np.sqrt(np.sum(X_test * X_test, axis=1) + scale * scale)
        err = np.outer(xnorm, radius)                                   # (m, rows)
        S = scores.reshape(len(X_test), -1)
        checks = [("coef_", np.broadcast_to(radius[:, None], coef.shape), coef),
                  ("decision_function", err, S)]
        if icpt is not None:
            checks.append(("intercept_", radius * scale, np.asarray(icpt)))
        for name, bound, value in checks:
            bad = ~(bound <= atol + rtol * np.abs(value))
            if bad.any():
                i = int(np.flatnonzero(bad.ravel())[0])
                raise ll.NotCertified(f"the tight model is known to {float(radius.max()):.3g} (in w~): {name} could be "
                                      f"off by {float(bound.ravel()[i]):.3g}, beyond the tolerance")
        if S.shape[1] == 1:
            flip = np.abs(S[:, 0]) <= err[:, 0]
        else:
            order = np.argsort(-S, axis=1, kind="stable")
            r = np.arange(len(S))
            flip = S[r, order[:, 0]] - S[r, order[:, 1]] <= err[r, order[:, 0]] + err[r, order[:, 1]]
        if flip.any():
            raise ll.NotCertified(f"the tight model is known to {float(radius.max()):.3g} (in w~): the prediction for "
                                  f"X_test row {int(np.flatnonzero(flip)[0])} could change")


def tight_solution_bound(params: dict, inputs: Arrays, coef: np.ndarray, intercept) -> float:
    """A bound on how far a model (coef_, intercept_) lies from the optimum of a tight
    case's problem, in the units of coef_ and intercept_: the largest difference from the
    mirror's certified optimum plus that optimum's certified radius (scaled by
    intercept_scaling for the intercept, doubled for the two-row Crammer-Singer
    difference). For L1 (solver 5) the certificate bounds stationarity, not a distance,
    and the radius term is 0."""
    p = _check_params(params)
    X, y, sw = _validate_inputs(inputs)
    classes, y_index = np.unique(y, return_inverse=True)
    dual = resolve_dual(p["dual"], p["loss"], p["penalty"], p["multi_class"], X.shape[0], X.shape[1])
    cw = class_weight_vector(p["class_weight"], classes, y_index, sw)
    solver = solver_type(p["multi_class"], p["penalty"], p["loss"], dual)
    bias = float(p["intercept_scaling"]) if p["fit_intercept"] else -1.0
    problem = ll.make_problem(X, y_index, classes.size, float(p["C"]), cw, sw, bias)
    c_opt, i_opt, certs = ll.optimum(problem, solver, int(p["random_state"]))
    diff = float(np.max(np.abs(np.asarray(coef) - c_opt)))
    if i_opt is not None:
        diff = max(diff, float(np.max(np.abs(np.asarray(intercept) - i_opt))))
    radius = max((c.value for c in certs if c.kind != "kkt"), default=0.0)
    radius *= max(1.0, bias) * (2.0 if solver == 4 and classes.size == 2 else 1.0)
    return diff + radius


def check_sample_weight(sw: np.ndarray, n_samples: int) -> np.ndarray:
    """_check_sample_weight(sample_weight, X or y) in its order: check_array (NaN,
    infinity, at least one element), the shape, then all-zero weights."""
    sw = np.asarray(sw, dtype=np.float64)
    if np.isnan(sw).any():
        raise LossError("invalid_parameter", "Input sample_weight contains NaN.")
    if np.isinf(sw).any():
        raise LossError("invalid_parameter", "Input sample_weight contains infinity or a value too large for "
                                             "dtype('float64').")
    if sw.ndim == 1 and sw.shape[0] < 1:
        raise LossError("shape_mismatch", f"Found array with 0 sample(s) (shape={sw.shape}) while a minimum of 1 is "
                                          "required.")
    if sw.ndim != 1:
        raise LossError("shape_mismatch", f"Sample weights must be 1D array or scalar, got {sw.ndim}D array. Expected "
                                          f"either a scalar value or a 1D array of length {n_samples}.")
    if sw.shape != (n_samples,):
        raise LossError("shape_mismatch", f"sample_weight.shape == {sw.shape}, expected {(n_samples,)}!")
    if np.all(sw == 0):
        raise LossError("invalid_parameter", "Sample weights must contain at least one non-zero number.")
    return sw


def check_X(X: np.ndarray) -> None:
    """check_array on a 2-D X (fit, decision_function, predict): NaN, infinity, then at
    least one sample and one feature."""
    if np.isnan(X).any():
        raise LossError("invalid_parameter", _NAN_X)
    if np.isinf(X).any():
        raise LossError("invalid_parameter", _INF_X)
    for count, what in ((X.shape[0], "sample"), (X.shape[1], "feature")):
        if count < 1:
            raise LossError("shape_mismatch", f"Found array with 0 {what}(s) (shape={X.shape}) while a minimum of 1 is "
                                              "required by LinearSVC.")


def _validate_inputs(inputs: Arrays):
    X, y = np.asarray(inputs["X"]), np.asarray(inputs["y"])
    sw = inputs.get("sample_weight")
    if X.ndim != 2:
        raise LossError("shape_mismatch", f"Expected 2D array, got {X.ndim}D array instead")
    check_X(X)
    if y.ndim != 1:
        raise LossError("shape_mismatch", f"y should be a 1d array, got an array of shape {y.shape} instead.")
    if X.shape[0] != y.shape[0]:
        raise _inconsistent_lengths(X.shape[0], y.shape[0])
    return X, y, (None if sw is None else np.asarray(sw, dtype=np.float64))


def mirror_model(params: dict, inputs: Arrays, context: dict | None = None):
    """Validation and fit of the mirror: (classes_, coef_, intercept_ or None, n_iter_ or None)."""
    return _mirror_fit(params, inputs, context)[:4]


def blas_kernel_of(context: dict | None) -> str | None:
    """A LinearSVC case's context.blas_kernel (the OpenBLAS kernel scikit-learn's TRON ran),
    checked against the kernels the mirror models; None without one."""
    context = context or {}
    if set(context) - {"blas_kernel"}:
        raise ValueError(f"unexpected LinearSVC context {context}")
    kernel = context.get("blas_kernel")
    return None if kernel is None else ob.check_kernel(kernel)


def _mirror_fit(params: dict, inputs: Arrays, context: dict | None = None):
    kernel = blas_kernel_of(context)
    p = _check_params(params)
    X, y, sw = _validate_inputs(inputs)
    return _model_cached(json.dumps(p, sort_keys=True), np.ascontiguousarray(X).tobytes(), X.shape, tuple(y.tolist()),
                         None if sw is None else np.ascontiguousarray(sw).tobytes(), kernel)


def _scores(coef: np.ndarray, intercept, X_test: np.ndarray) -> np.ndarray:
    if X_test.shape[1] != coef.shape[1]:
        raise LossError("shape_mismatch", f"X has {X_test.shape[1]} features, but LinearSVC is expecting "
                                          f"{coef.shape[1]} features as input.")
    s = X_test @ coef.T + (0.0 if intercept is None else intercept)
    return s.reshape(-1) if s.shape[1] == 1 else s


def _predict(classes: np.ndarray, scores: np.ndarray) -> np.ndarray:
    if scores.ndim == 1:
        return classes[(scores > 0).astype(int)]
    return classes[np.argmax(scores, axis=1)]


def linear_svc(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    """The NumPy mirror of LinearSVC(**params).fit(X, y, sample_weight) and its
    decision_function/predict on X_test (solver 2 on a loose tol: with the OpenBLAS kernel
    context.blas_kernel names)."""
    classes, coef, icpt, n_iter, radius = _mirror_fit(params, inputs, context)
    X_test = np.asarray(inputs["X_test"], dtype=np.float64)
    if X_test.ndim != 2:
        raise LossError("shape_mismatch", f"Expected 2D array, got {X_test.ndim}D array instead")
    check_X(X_test)                     # validate_data: check_array before the feature count
    scores = _scores(coef, icpt, X_test)
    if radius is not None:
        p = {**LINEAR_SVC_DEFAULTS, **params}
        check_tight_outputs(radius, float(p["intercept_scaling"]) if p["fit_intercept"] else 0.0, coef, icpt, X_test,
                            scores)
    out = {"classes_": classes, "coef_": coef,
           "intercept_": np.asarray(0.0) if icpt is None else icpt,
           "decision_function": scores, "predict": _predict(classes, scores)}
    if n_iter is not None:
        out["n_iter_"] = np.asarray(n_iter, dtype=np.int64)
    return out


_LINEAR_SVC_ERRORS = (
    ("invalid_parameter", r"^The '\w+' parameter of LinearSVC must be|^Unsupported set of arguments"
                          r"|^Input (X|sample_weight) contains (NaN|infinity)|are not in class_weight$"
                          r"|^Sample weights must contain at least one non-zero number"),
    ("invalid_target", r"needs samples of at least 2 classes"),
    ("shape_mismatch", r"inconsistent numbers of samples|^sample_weight\.shape =="
                       r"|features, but LinearSVC is expecting|^Found array with 0 (sample|feature)\(s\)"
                       r"|^Expected 2D array|^Sample weights must be 1D"),
)


def _tight(params: dict) -> bool:
    return {**LINEAR_SVC_DEFAULTS, **params}["tol"] <= TIGHT_TOL


def scipy_openblas_architecture() -> str:
    """The kernel set SciPy's OpenBLAS (the one scikit-learn's _cython_blas calls) chose, as
    threadpoolctl reports it."""
    from threadpoolctl import threadpool_info
    import scipy.linalg  # noqa: F401  (loads it)
    found = [i for i in threadpool_info() if i.get("internal_api") == "openblas"
             and os.path.basename(os.path.dirname(i["filepath"])) == "scipy.libs"]
    if len(found) != 1:
        raise RuntimeError(f"expected one OpenBLAS in scipy.libs, threadpoolctl reports {threadpool_info()}")
    return found[0]["architecture"]


# The kernel of the cases without context.blas_kernel: Haswell's runs on every x86-64 CPU
# with AVX2 (AVX-512 ones too), so those cases regenerate byte for byte on any of them.
DEFAULT_KERNEL = "Haswell"


@functools.cache
def _kernel_worker(kernel: str) -> FrameworkWorker:
    return FrameworkWorker(__name__, {"OPENBLAS_CORETYPE": kernel, "PYTHONHASHSEED": "0"})


def run_linear_svc(params: dict, inputs: Arrays, random_state=None, context: dict | None = None) -> Arrays:
    """scikit-learn's LinearSVC on a case (optionally with another random_state), in a worker
    started with OPENBLAS_CORETYPE set to the case's context.blas_kernel, else DEFAULT_KERNEL;
    generation stops unless threadpoolctl reports that kernel there."""
    kernel = blas_kernel_of(context) or DEFAULT_KERNEL
    reply = _kernel_worker(kernel).call({"params": params, "random_state": random_state,
                                         "inputs": {k: encode_array(v) for k, v in inputs.items()}})
    if reply["architecture"] != kernel:
        raise RuntimeError(f"OPENBLAS_CORETYPE={kernel}: threadpoolctl reports SciPy's OpenBLAS running "
                           f"{reply['architecture']!r}; this CPU cannot make the {kernel} cases")
    if "error" in reply:
        raise LossError(reply["error"]["kind"], reply["error"]["message"])
    return {k: decode_array(v) for k, v in reply["outputs"].items()}


def _fit_here(params: dict, inputs: Arrays, random_state=None) -> Arrays:
    """LinearSVC in this process, with whatever OpenBLAS kernel it loaded (the worker's side)."""
    from sklearn.svm import LinearSVC
    kwargs = dict(params)
    if "class_weight" in kwargs:
        kwargs["class_weight"] = _class_weight_for_sklearn(kwargs["class_weight"], inputs["y"])
    if random_state is not None:
        kwargs["random_state"] = random_state
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = LinearSVC(**kwargs).fit(np.array(inputs["X"]), np.array(inputs["y"]),
                                         sample_weight=None if "sample_weight" not in inputs
                                         else np.array(inputs["sample_weight"]))
            scores = est.decision_function(np.array(inputs["X_test"]))
            pred = est.predict(np.array(inputs["X_test"]))
    except ValueError as e:
        raise LossError(_classify(e, _LINEAR_SVC_ERRORS), normalize_message(str(e))) from e
    out = {"classes_": est.classes_, "coef_": est.coef_, "intercept_": np.asarray(est.intercept_, dtype=np.float64),
           "decision_function": scores, "predict": pred}
    if not _tight(params):
        out["n_iter_"] = np.asarray(est.n_iter_, dtype=np.int64)
    return out


# =========================================================================== hinge_loss mirror

def hinge_loss(params: dict, inputs: Arrays) -> Arrays:
    """sklearn.metrics.hinge_loss(y_true, pred_decision, labels=, sample_weight=)."""
    if params:
        raise ValueError(f"hinge_loss takes no params here: {params}")
    y_true, pred = np.asarray(inputs["y_true"]), np.asarray(inputs["pred_decision"])
    labels, sw = inputs.get("labels"), inputs.get("sample_weight")
    lengths = [len(y_true), len(pred)] + ([len(sw)] if sw is not None else [])
    if len(set(lengths)) > 1:
        raise _inconsistent_lengths(*lengths)
    if pred.ndim > 2:
        raise LossError("shape_mismatch", f"Found array with dim {pred.ndim}, while dim <= 2 is required.")
    if pred.shape[0] < 1:
        raise LossError("shape_mismatch", f"Found array with 0 sample(s) (shape={pred.shape}) while a minimum of 1 "
                                          "is required.")
    if np.isnan(pred).any():
        raise LossError("invalid_parameter", "Input contains NaN.")
    if np.isinf(pred).any():
        raise LossError("invalid_parameter", "Input contains infinity or a value too large for dtype('float64').")
    if y_true.ndim == 2 and y_true.shape[1] == 1:
        y_true = y_true.ravel()
    elif y_true.ndim != 1:
        raise LossError("shape_mismatch", f"y should be a 1d array, got an array of shape {y_true.shape} instead.")
    unique = np.unique(labels if labels is not None else y_true)
    n = y_true.shape[0]
    if unique.size > 2:
        if pred.ndim <= 1:
            raise LossError("shape_mismatch", "The shape of pred_decision cannot be 1d arraywith a multiclass target. "
                                              "pred_decision shape must be (n_samples, n_classes), that is "
                                              f"({n}, {unique.size}). Got: {pred.shape}")
        if unique.size != pred.shape[1]:
            if labels is None:
                raise LossError("shape_mismatch",
                                "Please include all labels in y_true or pass labels as third argument")
            raise LossError("shape_mismatch", "The shape of pred_decision is not consistent with the number of "
                                              "classes. With a multiclass target, pred_decision shape must be "
                                              f"(n_samples, n_classes), that is ({n}, {unique.size}). "
                                              f"Got: {pred.shape}")
        known = np.unique(labels if labels is not None else unique)
        unseen = np.setdiff1d(y_true, known)
        if unseen.size:
            raise LossError("invalid_target", f"y contains previously unseen labels: {list(unseen)}")
        index = np.searchsorted(known, y_true)
        mask = np.ones_like(pred, dtype=bool)
        mask[np.arange(n), index] = False
        margin = pred[~mask]
        margin -= np.max(pred[mask].reshape(n, -1), axis=1)
    else:
        if pred.ndim == 2 and pred.shape[1] != 1:
            raise LossError("shape_mismatch", f"y should be a 1d array, got an array of shape {pred.shape} instead.")
        pred = np.ravel(pred)
        # LabelBinarizer(neg_label=-1).fit_transform(y_true)[:, 0], fitted on y_true alone:
        # two classes -> one column, the larger is +1; one class -> all -1; three or more
        # (when `labels` names at most two) -> one-hot, column 0 is the smallest class.
        seen = np.unique(y_true)
        if seen.size == 2:
            ypm = np.where(y_true == seen[1], 1, -1)
        elif seen.size > 2:
            ypm = np.where(y_true == seen[0], 1, -1)
        else:
            ypm = np.full(n, -1)
        margin = ypm * pred
    losses = 1 - margin
    np.clip(losses, 0, None, out=losses)
    try:
        value = float(np.average(losses, weights=sw))
    except ZeroDivisionError as e:      # weights that sum to 0
        raise _weights_sum_to_zero(e) from e
    return {"output": np.asarray(value)}


def _weights_sum_to_zero(e: ZeroDivisionError) -> LossError:
    """np.average's ZeroDivisionError for weights summing to 0, as a fixture error:
    invalid_parameter, the kind the suites give bad input values (NaN in X, ...)."""
    return LossError("invalid_parameter", str(e))


_HINGE_LOSS_ERRORS = (
    ("invalid_parameter", r"^Input contains (NaN|infinity)"),
    ("invalid_target", r"previously unseen labels"),
    ("shape_mismatch", r"inconsistent numbers of samples|^Found array with|^The shape of pred_decision"
                       r"|^Please include all labels|^y should be a 1d array"),
)


def run_hinge_loss(params: dict, inputs: Arrays) -> Arrays:
    from sklearn.metrics import hinge_loss as sk_hinge_loss
    kwargs = {name: np.array(inputs[name]) for name in ("labels", "sample_weight") if name in inputs}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = sk_hinge_loss(np.array(inputs["y_true"]), np.array(inputs["pred_decision"]), **kwargs, **params)
    except ValueError as e:
        raise LossError(_classify(e, _HINGE_LOSS_ERRORS), normalize_message(str(e))) from e
    except ZeroDivisionError as e:      # np.average: weights that sum to 0
        raise _weights_sum_to_zero(e) from e
    return {"output": np.asarray(value, dtype=np.float64)}


# =========================================================================== SGD losses mirror

SGD_LOSSES = ("hinge", "squared_hinge", "modified_huber", "perceptron")
# BaseSGDClassifier.loss_functions' keys: what SGDClassifier's parameter check accepts
SGD_ALL_LOSSES = ("epsilon_insensitive", "hinge", "huber", "log_loss", "modified_huber", "perceptron",
                  "squared_epsilon_insensitive", "squared_error", "squared_hinge")


def _sgd_loss_name(params: dict) -> str:
    loss = params.get("loss", "hinge")
    if not isinstance(loss, str) or loss not in SGD_ALL_LOSSES:
        raise _param_error("SGDClassifier", "loss", "a str among {" + ", ".join(repr(s) for s in SGD_ALL_LOSSES) + "}",
                           loss)
    if loss not in SGD_LOSSES:
        raise ValueError(f"loss {loss!r} is not a hinge-family loss of this suite")
    return loss


def _same_shape(p: np.ndarray, y: np.ndarray) -> None:
    if p.shape != y.shape:
        raise LossError("shape_mismatch", f"p and y must have the same shape, got {list(p.shape)} and {list(y.shape)}")


def sgd_loss(params: dict, inputs: Arrays) -> Arrays:
    """loss(p, y) and dloss(p, y) of SGDClassifier's loss object, elementwise in float64."""
    loss = _sgd_loss_name(params)
    p, y = np.asarray(inputs["p"], dtype=np.float64), np.asarray(inputs["y"], dtype=np.float64)
    _same_shape(p, y)
    with np.errstate(all="ignore"):
        if loss in ("hinge", "perceptron"):
            t = 1.0 if loss == "hinge" else 0.0
            z = p * y
            active = z <= t
            out = np.where(active, t - z, 0.0)
            grad = np.where(active, -y, 0.0)
        elif loss == "squared_hinge":
            u = 1.0 - p * y
            active = u > 0
            out = np.where(active, u * u, 0.0)
            grad = np.where(active, (-2.0 * y) * u, 0.0)
        else:
            z = p * y
            quad = (z < 1.0) & (z >= -1.0)
            lin = ~(z >= 1.0) & ~(z >= -1.0)
            out = np.where(quad, (1.0 - z) * (1.0 - z), np.where(lin, -4.0 * z, 0.0))
            grad = np.where(quad, (2.0 * (1.0 - z)) * -y, np.where(lin, -4.0 * y, 0.0))
    return {"output": np.asarray(out, dtype=np.float64).reshape(p.shape),
            "grad_p": np.asarray(grad, dtype=np.float64).reshape(p.shape)}


def run_sgd_loss(params: dict, inputs: Arrays) -> Arrays:
    from sklearn.linear_model import SGDClassifier
    from sklearn.utils._param_validation import InvalidParameterError
    loss = params.get("loss", "hinge")
    try:
        SGDClassifier(loss=loss)._validate_params()
    except InvalidParameterError as e:
        raise LossError("invalid_parameter", normalize_message(str(e))) from e
    p, y = np.asarray(inputs["p"], dtype=np.float64), np.asarray(inputs["y"], dtype=np.float64)
    _same_shape(p, y)
    cls, *args = SGDClassifier.loss_functions[loss]
    obj = cls(*args)
    out = np.array([obj.py_loss(float(a), float(b)) for a, b in zip(p.ravel(), y.ravel())], dtype=np.float64)
    grad = np.array([obj.py_dloss(float(a), float(b)) for a, b in zip(p.ravel(), y.ravel())], dtype=np.float64)
    return {"output": out.reshape(p.shape), "grad_p": grad.reshape(p.shape)}


# =========================================================================== verification

class MirrorDisagreement(AssertionError):
    """scikit-learn and the NumPy mirror disagree on a case."""


def verify_case(suite: str, mirror, default_tolerance: dict, case: dict) -> None:
    """Compare the mirror with a case as written: the same error kind and message, or the
    same outputs (names, dtypes, shapes) within the case's tolerance."""
    cid = case["id"]
    inputs = {name: decode_array(a) for name, a in case["inputs"].items()}
    try:
        got = (mirror(dict(case["params"]), inputs) if "context" not in case
               else mirror(dict(case["params"]), inputs, dict(case["context"])))
    except LossError as e:
        want = case.get("expected_error")
        if want is None:
            raise MirrorDisagreement(f"{suite} case {cid!r}: scikit-learn succeeded, the mirror raised {e}") from e
        if (e.kind, e.message) != (want["kind"], want["message"]):
            raise MirrorDisagreement(f"{suite} case {cid!r}: scikit-learn raised {want['kind']}: "
                                     f"{want['message']!r}, the mirror {e.kind}: {e.message!r}") from e
        return
    if "expected_error" in case:
        raise MirrorDisagreement(f"{suite} case {cid!r}: scikit-learn raised {case['expected_error']}, the mirror "
                                 "succeeded")
    _compare_outputs(f"{suite} case {cid!r}: mirror", got, case, default_tolerance)


def _compare_outputs(where: str, got: Arrays, case: dict, default_tolerance: dict) -> None:
    expected = case["expected"]
    if list(got) != list(expected):
        raise MirrorDisagreement(f"{where}: outputs {list(got)}, the case has {list(expected)}")
    for name, want_obj in expected.items():
        want, have = decode_array(want_obj), np.asarray(got[name])
        have_label = "string" if have.dtype.kind == "U" else have.dtype.name
        if have_label != want_obj["dtype"] or have.shape != want.shape:
            raise MirrorDisagreement(f"{where}: {name} is {have_label}{list(have.shape)}, the case has "
                                     f"{want_obj['dtype']}{list(want.shape)}")
        if want.dtype.kind != "f":
            if not np.array_equal(have, want):
                raise MirrorDisagreement(f"{where}: {name} differs: {have.tolist()} vs {want.tolist()}")
            continue
        rtol, atol = _tolerance({"default_tolerance": default_tolerance}, case, want.dtype.name)
        close = _close(have.astype(want.dtype), want, rtol, atol)
        if not close.all():
            i = int(np.flatnonzero(~close.ravel())[0])
            raise MirrorDisagreement(f"{where}: {name}[{i}] {have.ravel()[i]!r}, the case has {want.ravel()[i]!r} "
                                     f"(rtol={rtol:g}, atol={atol:g}; max |diff| "
                                     f"{float(np.max(np.abs(have - want))):.3g})")


def check_stored_consistency(case: dict) -> None:
    """A LinearSVC case's own outputs agree: decision_function = X_test coef_^T + intercept_
    (to 1e-12 relative to the terms' size) and predict follows from it and classes_."""
    exp = {name: decode_array(a) for name, a in case["expected"].items()}
    X_test = decode_array(case["inputs"]["X_test"])
    terms = np.abs(X_test) @ np.abs(exp["coef_"]).T + np.abs(exp["intercept_"])
    want = X_test @ exp["coef_"].T + exp["intercept_"]
    want = want.reshape(-1) if want.shape[1] == 1 else want
    terms = terms.reshape(want.shape)
    if want.shape != exp["decision_function"].shape or \
            not np.all(np.abs(want - exp["decision_function"]) <= 1e-12 * (1.0 + terms)):
        raise MirrorDisagreement(f"case {case['id']!r}: decision_function is not X_test coef_^T + intercept_")
    if not np.array_equal(_predict(exp["classes_"], exp["decision_function"]), exp["predict"]):
        raise MirrorDisagreement(f"case {case['id']!r}: predict does not follow from decision_function")


# =========================================================================== LinearSVC cases

def _data(name: str):
    from ..sklearn_data import DATA
    d = DATA[name]
    X = np.array(d["X"], dtype=np.float64)
    if name == "digits":
        X = X / 16.0
    return X, np.array(d["y"], dtype=np.int64)


def _check_snapshot() -> None:
    """With scikit-learn present: the snapshot must be what scikit-learn gives today."""
    from .. import sklearn_data_build
    from ..sklearn_data import DATA
    fresh = sklearn_data_build.build()
    for name, s in fresh.items():
        if name not in DATA or not (np.array_equal(np.array(DATA[name]["X"]), s["X"])
                                    and np.array_equal(np.array(DATA[name]["y"]), s["y"])):
            raise RuntimeError(f"tools/hinge_fixtures/sklearn_data.py is stale for {name!r}; regenerate it with "
                               "`python -m hinge_fixtures.sklearn_data_build` (from tools/)")


def _per_class(y: np.ndarray, take: slice) -> np.ndarray:
    """Row indices: `take` of each class's rows, classes in order."""
    return np.concatenate([np.flatnonzero(y == c)[take] for c in np.unique(y)])


def _split(name: str):
    """(X_train, y_train, X_test candidates) for a named split."""
    if name in ("iris", "wine"):
        X, y = _data(name)
        per = 30 if name == "iris" else 20
        return X[_per_class(y, slice(0, per))], y[_per_class(y, slice(0, per))], X[_per_class(y, slice(per, per + 5))]
    if name == "iris12":                       # iris versicolor (1) vs virginica (2): labels 1 and 2
        X, y = _data("iris")
        keep = y > 0
        X, y = X[keep], y[keep]
        return X[_per_class(y, slice(0, 30))], y[_per_class(y, slice(0, 30))], X[_per_class(y, slice(30, 36))]
    X, y = _data(name)
    n_train = {"breast_cancer": 90, "digits": 80, "mc_binary": 120, "mc_imbalanced": 120, "mc_multi3": 120,
               "mc_wide": 30, "mc_4class": 120}[name]
    return X[:n_train], y[:n_train], X[n_train:n_train + 20]


STRING_LABELS = np.array(["ant", "bee", "cat", "dog"])


class _LinearSVCCases:
    def __init__(self, cases: CaseList, rng: np.random.Generator):
        self.cases, self.rng = cases, rng
        self.verify = sklearn_module() is not None

    def weights(self, n: int, zeros: int = 0, negative: int = 0) -> np.ndarray:
        w = np.round(exact.uniform(self.rng, 0.25, 2.0, n), 3)
        idx = self.rng.permutation(n)
        w[idx[:zeros]] = 0.0
        w[idx[zeros:zeros + negative]] = -np.round(exact.uniform(self.rng, 0.1, 1.0, negative), 3)
        return w

    def fit(self, kind: str, split: str, variant: str, tags: list, params: dict, *, sw=None, strings=False,
            keep_ties=False, test_rows=20, blas_kernel: str | None = None) -> None:
        tight = kind == "tight"
        context = None if blas_kernel is None else {"blas_kernel": blas_kernel}
        params = dict(params)
        if tight:
            params = {"tol": 1e-10, "max_iter": 100000, **params}
        X, y, X_cand = _split(split)
        if strings:
            y = STRING_LABELS[y]
        inputs = {"X": X, "y": y}
        if sw is not None:
            inputs["sample_weight"] = sw
        cid = f"{kind}/{split}-{X.shape[0]}x{X.shape[1]}/{variant}"
        if blas_kernel is not None:
            cid += f"/{blas_kernel}"
        try:
            classes, coef, icpt, n_iter = mirror_model(params, inputs, context)
        except Exception as e:
            e.add_note(f"while fitting the mirror for case {cid!r}")
            raise
        scores = _scores(coef, icpt, X_cand)
        if scores.ndim == 1:
            gap = np.abs(scores)
        else:
            top = np.sort(scores, axis=1)
            gap = top[:, -1] - top[:, -2]
        keep = np.ones(len(X_cand), bool) if keep_ties else gap >= (TIGHT_TIE_GAP if tight else PATH_TIE_GAP)
        X_test = X_cand[keep][:test_rows]
        inputs = {"X": X, "y": y, "X_test": X_test, **({"sample_weight": sw} if sw is not None else {})}
        K = classes.size
        all_tags = [kind, "binary" if K == 2 else "multiclass"] + list(tags)
        if strings:
            all_tags.append("string-labels")
        if n_iter is not None and n_iter >= {**LINEAR_SVC_DEFAULTS, **params}["max_iter"]:
            all_tags.append("convergence-warning")        # scikit-learn warns iff n_iter_ >= max_iter
        if blas_kernel is not None:
            all_tags.append(f"blas-{blas_kernel}")
        self.add(cid, all_tags, params, inputs, tolerance=TIGHT_TOLERANCE if tight else None, context=context)

    def error(self, split: str, fault: str, kind: str, params: dict, inputs: dict | None = None) -> None:
        if inputs is None:
            X, y, X_cand = _split(split)
            inputs = {"X": X, "y": y, "X_test": X_cand[:5]}
        X = inputs["X"]
        self.add(f"error/{split}-{X.shape[0]}x{X.shape[1]}/{fault}", ["error"], params, inputs, error=kind)

    def add(self, cid, tags, params, inputs, *, error=None, tolerance=None, context=None) -> None:
        self.cases.add(cid, tags, params, inputs, error=error, tolerance=tolerance, context=context)
        if not self.verify:
            return
        case = self.cases.cases[-1]
        verify_case("sklearn.svm.LinearSVC", linear_svc, LINEAR_SVC_TOLERANCE, case)
        if "expected" in case:
            check_stored_consistency(case)
        if "expected" in case and _tight(params):
            # the optimum is unique: another random_state must land within the tolerance
            ins = {name: decode_array(a) for name, a in case["inputs"].items()}
            exp = {name: decode_array(a) for name, a in case["expected"].items()}
            bound = tight_solution_bound(params, ins, exp["coef_"], exp["intercept_"])
            if not bound <= TIGHT_TOLERANCE["atol"]:
                raise MirrorDisagreement(f"sklearn.svm.LinearSVC case {cid!r}: scikit-learn's model is only known "
                                         f"to lie within {bound:.3g} of the optimum")
            other = run_linear_svc(params, ins, random_state=params["random_state"] + 1)
            _compare_outputs(f"sklearn.svm.LinearSVC case {cid!r}: random_state + 1", other, case, LINEAR_SVC_TOLERANCE)


LINEAR_SVC_TOLERANCE = {"float64": {"rtol": 1e-9, "atol": 1e-9}}


def _linear_svc_build(cases: CaseList, rng: np.random.Generator) -> None:
    if sklearn_module() is not None:
        _check_snapshot()
    add = _LinearSVCCases(cases, rng)
    S1, S2, S3 = {"dual": True}, {"dual": False}, {"loss": "hinge", "dual": True}
    S4, S5 = {"multi_class": "crammer_singer"}, {"penalty": "l1", "dual": False}
    n_iris, n_bc, n_mcb, n_imb, n_m3 = 90, 90, 120, 120, 120

    # ---------------------------------------------------------------- tight: the optimum
    t = "tight"
    add.fit(t, "iris", "s2-primal", ["solver-2"], {**S2, "random_state": 0})
    add.fit(t, "iris", "s1-dual", ["solver-1"], {**S1, "random_state": 0})
    add.fit(t, "iris", "s3-hinge", ["solver-3"], {**S3, "random_state": 0})
    add.fit(t, "iris", "s4-cs", ["solver-4"], {**S4, "random_state": 0})
    add.fit(t, "iris", "s5-l1", ["solver-5"], {**S5, "random_state": 0})
    add.fit(t, "iris", "s2-no-intercept", ["solver-2", "intercept-off"],
            {**S2, "fit_intercept": False, "random_state": 3})
    add.fit(t, "wine", "s2-C0.1", ["solver-2"], {**S2, "C": 0.1, "random_state": 0})
    add.fit(t, "wine", "s4-cs-C0.5", ["solver-4"], {**S4, "C": 0.5, "random_state": 1})
    add.fit(t, "wine", "s3-hinge-balanced", ["solver-3", "class-weight-balanced"],
            {**S3, "class_weight": "balanced", "random_state": 2})
    add.fit(t, "breast_cancer", "auto-s2", ["solver-2", "dual-auto"], {"random_state": 0})
    add.fit(t, "breast_cancer", "s3-hinge-scaling5", ["solver-3", "intercept-scaling"],
            {**S3, "intercept_scaling": 5.0, "random_state": 4})
    add.fit(t, "breast_cancer", "s1-no-intercept", ["solver-1", "intercept-off"],
            {**S1, "fit_intercept": False, "random_state": 5})
    add.fit(t, "breast_cancer", "auto-s5-l1-C0.5", ["solver-5", "dual-auto"],
            {"penalty": "l1", "C": 0.5, "random_state": 0})
    add.fit(t, "mc_binary", "s2-sample-weight", ["solver-2", "sample-weight", "zero-weight", "sparse"],
            {**S2, "random_state": 0}, sw=add.weights(n_mcb, zeros=8))
    add.fit(t, "mc_binary", "s3-hinge-weights-dict", ["solver-3", "sample-weight", "class-weight-dict", "sparse"],
            {**S3, "class_weight": {"0": 2.0, "1": 0.5}, "random_state": 6}, sw=add.weights(n_mcb))
    add.fit(t, "mc_binary", "s5-l1-no-intercept", ["solver-5", "intercept-off", "sparse"],
            {**S5, "fit_intercept": False, "C": 2.0, "random_state": 7})
    add.fit(t, "mc_imbalanced", "s2-balanced", ["solver-2", "class-weight-balanced", "imbalanced"],
            {**S2, "class_weight": "balanced", "random_state": 0})
    add.fit(t, "mc_imbalanced", "s3-hinge-balanced-weights",
            ["solver-3", "class-weight-balanced", "sample-weight", "zero-weight", "imbalanced"],
            {**S3, "class_weight": "balanced", "random_state": 8}, sw=add.weights(n_imb, zeros=5))
    add.fit(t, "mc_multi3", "s2-dict-partial", ["solver-2", "class-weight-dict"],
            {**S2, "class_weight": {"cat": 3.0}, "random_state": 0}, strings=True)
    add.fit(t, "mc_multi3", "s4-cs-weights", ["solver-4", "sample-weight", "zero-weight"],
            {**S4, "random_state": 9}, sw=add.weights(n_m3, zeros=6), strings=True)
    add.fit(t, "mc_wide", "auto-s1", ["solver-1", "dual-auto", "n<d"], {"random_state": 0})
    add.fit(t, "mc_wide", "auto-s3-hinge", ["solver-3", "dual-auto", "n<d"], {"loss": "hinge", "random_state": 1})
    add.fit(t, "digits", "auto-s2", ["solver-2", "dual-auto", "sparse"], {"random_state": 0})
    add.fit(t, "digits", "s4-cs-C0.1", ["solver-4", "sparse"], {**S4, "C": 0.1, "random_state": 0})
    add.fit(t, "mc_4class", "s1-scaling0.5", ["solver-1", "intercept-scaling"],
            {**S1, "intercept_scaling": 0.5, "random_state": 0})
    add.fit(t, "mc_4class", "s5-l1", ["solver-5"], {**S5, "random_state": 0})
    add.fit(t, "iris12", "s4-cs-binary", ["solver-4"], {**S4, "random_state": 0})
    add.fit(t, "iris12", "s4-cs-binary-no-intercept", ["solver-4", "intercept-off"],
            {**S4, "fit_intercept": False, "random_state": 1})
    add.fit(t, "iris12", "s1-C10", ["solver-1"], {**S1, "C": 10.0, "random_state": 2})

    # ---------------------------------------------------------------- path: liblinear's trajectory
    p = "path"
    add.fit(p, "iris", "s1-dual", ["solver-1"], {**S1, "random_state": 0})
    add.fit(p, "iris", "s3-hinge", ["solver-3"], {**S3, "random_state": 1})
    add.fit(p, "iris", "s4-cs", ["solver-4"], {**S4, "random_state": 2})
    add.fit(p, "iris", "s5-l1", ["solver-5"], {**S5, "random_state": 3})
    add.fit(p, "wine", "s1-max_iter5", ["solver-1"], {**S1, "max_iter": 5, "random_state": 0})
    add.fit(p, "wine", "s3-hinge-max_iter20-balanced", ["solver-3", "class-weight-balanced"],
            {**S3, "max_iter": 20, "class_weight": "balanced", "random_state": 4})
    add.fit(p, "wine", "s4-cs-max_iter1", ["solver-4", "max-iter-ignored"], {**S4, "max_iter": 1, "random_state": 5})
    add.fit(p, "breast_cancer", "s1-sample-weight", ["solver-1", "sample-weight", "zero-weight"],
            {**S1, "random_state": 6}, sw=add.weights(n_bc, zeros=6))
    add.fit(p, "breast_cancer", "s3-hinge-C0.5-scaling3", ["solver-3", "intercept-scaling"],
            {**S3, "C": 0.5, "intercept_scaling": 3.0, "random_state": 7})
    add.fit(p, "breast_cancer", "auto-s5-l1-max_iter3", ["solver-5", "dual-auto"],
            {"penalty": "l1", "max_iter": 3, "random_state": 8})
    add.fit(p, "breast_cancer", "s3-hinge-no-intercept-max_iter50", ["solver-3", "intercept-off"],
            {**S3, "fit_intercept": False, "max_iter": 50, "random_state": 9})
    add.fit(p, "mc_binary", "s1-no-intercept", ["solver-1", "intercept-off", "sparse"],
            {**S1, "fit_intercept": False, "random_state": 0})
    add.fit(p, "mc_binary", "s3-hinge-dict", ["solver-3", "class-weight-dict", "sparse"],
            {**S3, "class_weight": {"1": 3.0}, "random_state": 1})
    add.fit(p, "mc_binary", "s5-l1-sample-weight", ["solver-5", "sample-weight", "sparse"],
            {**S5, "random_state": 2}, sw=add.weights(n_mcb))
    add.fit(p, "mc_binary", "s1-negative-weights", ["solver-1", "sample-weight", "negative-weight", "sparse"],
            {**S1, "random_state": 3}, sw=add.weights(n_mcb, zeros=3, negative=4))
    add.fit(p, "mc_imbalanced", "s1-balanced", ["solver-1", "class-weight-balanced", "imbalanced"],
            {**S1, "class_weight": "balanced", "random_state": 4})
    add.fit(p, "mc_imbalanced", "s5-l1-balanced-weights",
            ["solver-5", "class-weight-balanced", "sample-weight", "imbalanced"],
            {**S5, "class_weight": "balanced", "random_state": 5}, sw=add.weights(n_imb))
    add.fit(p, "mc_multi3", "s1-dict", ["solver-1", "class-weight-dict"],
            {**S1, "class_weight": {"ant": 0.5, "bee": 2.0, "cat": 1.5}, "random_state": 6}, strings=True)
    add.fit(p, "mc_multi3", "s4-cs-balanced", ["solver-4", "class-weight-balanced"],
            {**S4, "class_weight": "balanced", "random_state": 7}, strings=True)
    add.fit(p, "mc_multi3", "s3-hinge-tol1e-3", ["solver-3"], {**S3, "tol": 1e-3, "random_state": 8}, strings=True)
    add.fit(p, "mc_wide", "auto-s1", ["solver-1", "dual-auto", "n<d"], {"random_state": 0})
    add.fit(p, "mc_wide", "auto-s3-hinge", ["solver-3", "dual-auto", "n<d"], {"loss": "hinge", "random_state": 1})
    add.fit(p, "mc_wide", "auto-s5-l1", ["solver-5", "dual-auto", "n<d"], {"penalty": "l1", "random_state": 2})
    add.fit(p, "digits", "s1-dual", ["solver-1", "sparse"], {**S1, "random_state": 0})
    add.fit(p, "digits", "s3-hinge", ["solver-3", "sparse"], {**S3, "random_state": 1})
    add.fit(p, "digits", "s4-cs", ["solver-4", "sparse"], {**S4, "random_state": 2})
    add.fit(p, "mc_4class", "s1-max_iter0", ["solver-1", "tie"],
            {**S1, "max_iter": 0, "random_state": 0}, keep_ties=True, test_rows=5)
    add.fit(p, "mc_4class", "s3-hinge-C2", ["solver-3"], {**S3, "C": 2.0, "random_state": 3})
    add.fit(p, "mc_4class", "s5-l1-C0.1", ["solver-5"], {**S5, "C": 0.1, "random_state": 4})
    add.fit(p, "iris12", "s4-cs-binary", ["solver-4"], {**S4, "random_state": 5})
    add.fit(p, "iris12", "s3-hinge-max_iter1", ["solver-3"], {**S3, "max_iter": 1, "random_state": 6})

    # ---------------------------------------------------------------- errors
    for fault, params in (("C0", {"C": 0.0}), ("C-1", {"C": -1.0}), ("loss-foo", {"loss": "foo"}),
                          ("penalty-l3", {"penalty": "l3"}), ("tol0", {"tol": 0.0}),
                          ("intercept_scaling0", {"intercept_scaling": 0.0}), ("max_iter-1", {"max_iter": -1}),
                          ("multi_class-ova", {"multi_class": "ova"}), ("dual-yes", {"dual": "yes"}),
                          ("class_weight-foo", {"class_weight": "foo"}),
                          ("l1-hinge-auto", {"penalty": "l1", "loss": "hinge"}),
                          ("l1-hinge-primal", {"penalty": "l1", "loss": "hinge", "dual": False}),
                          ("l2-hinge-primal", {"loss": "hinge", "dual": False}),
                          ("l1-sq-hinge-dual", {"penalty": "l1", "dual": True}),
                          ("class_weight-unknown-label", {"class_weight": {"0": 2.0, "5": 1.0}})):
        add.error("mc_binary", fault, "invalid_parameter", {**params, "random_state": 0})
    add.error("mc_wide", "l1-hinge-auto-n<d", "invalid_parameter",
              {"penalty": "l1", "loss": "hinge", "random_state": 0})
    X, y, Xc = _split("mc_binary")
    Xn = X.copy()
    Xn[3, 1] = NAN
    add.error("mc_binary", "X-nan", "invalid_parameter", {"random_state": 0}, {"X": Xn, "y": y, "X_test": Xc[:5]})
    add.error("mc_binary", "one-class", "invalid_target", {"random_state": 0},
              {"X": X, "y": np.zeros_like(y), "X_test": Xc[:5]})
    add.error("mc_binary", "y-rows", "shape_mismatch", {"random_state": 0}, {"X": X, "y": y[:-1], "X_test": Xc[:5]})
    add.error("mc_binary", "sample_weight-length", "shape_mismatch", {"random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.ones(len(y) - 1)})
    add.error("mc_binary", "X_test-width", "shape_mismatch", {"dual": True, "random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:5, :4]})
    # found by the fuzzer. The class count is checked before class_weight: one class with a
    # class_weight key that names no class is invalid_target (seed 1, case 21 of 100).
    add.error("mc_binary", "one-class-class_weight-stray-key", "invalid_target",
              {"loss": "hinge", "dual": True, "class_weight": {"1": 3.0}, "random_state": 1},
              {"X": X[:1], "y": y[:1] * 0, "X_test": Xc[:5]})
    # validate_data on X_test (decision_function, predict): check_array (NaN, infinity, no
    # rows) before the feature count.
    Xt = Xc[:5].copy()
    Xt[2, 3] = NAN
    add.error("mc_binary", "X_test-nan", "invalid_parameter", {"dual": True, "random_state": 0},
              {"X": X, "y": y, "X_test": Xt})
    Xt = Xc[:5].copy()
    Xt[4, 0] = -INF
    add.error("mc_binary", "X_test-inf", "invalid_parameter", {"dual": True, "random_state": 0},
              {"X": X, "y": y, "X_test": Xt})
    add.error("mc_binary", "X_test-nan-and-width", "invalid_parameter", {"dual": True, "random_state": 0},
              {"X": X, "y": y, "X_test": np.where(np.arange(4) == 1, NAN, Xc[:5, :4])})
    add.error("mc_binary", "X_test-empty", "shape_mismatch", {"dual": True, "random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:0]})
    # check_array on X: no rows (the mirror crashed on it), no features
    add.error("mc_binary", "X-empty", "shape_mismatch", {"random_state": 0}, {"X": X[:0], "y": y[:0], "X_test": Xc[:5]})
    add.error("mc_binary", "X-no-features", "shape_mismatch", {"random_state": 0},
              {"X": X[:, :0], "y": y, "X_test": Xc[:5, :0]})
    # _check_sample_weight: NaN or infinity (before the length), all zero; with 'balanced' it
    # runs inside compute_class_weight
    n = len(y)
    add.error("mc_binary", "sample_weight-inf", "invalid_parameter", {"random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.where(np.arange(n) == 7, INF, 1.0)})
    add.error("mc_binary", "sample_weight-nan-and-length", "invalid_parameter", {"random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.where(np.arange(n - 1) == 0, NAN, 1.0)})
    add.error("mc_binary", "sample_weight-all-zero", "invalid_parameter", {"dual": True, "random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.zeros(n)})
    add.error("mc_binary", "balanced-sample_weight-nan", "invalid_parameter",
              {"class_weight": "balanced", "random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.where(np.arange(n) == 3, NAN, 1.0)})
    add.error("mc_binary", "balanced-sample_weight-all-zero", "invalid_parameter",
              {"class_weight": "balanced", "random_state": 0},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.zeros(n)})
    # class_weight='balanced' with sample weights whose total is negative gives a class a negative
    # weight; scikit-learn fits anyway (seed 2, case 41 of 200: Swift refused, the mirror's tight
    # optimum was meaningless). The path is replayed; a tight case is not certifiable.
    sw = np.ones(n_imb)
    sw[[5, 17]] = [-150.0, 0.0]
    add.fit(p, "mc_imbalanced", "s3-hinge-balanced-negative-total",
            ["solver-3", "class-weight-balanced", "sample-weight", "negative-weight", "imbalanced"],
            {**S3, "class_weight": "balanced", "random_state": 8}, sw=sw)

    # ---------------------------------------------------------------- path: solver 2 (TRON) per OpenBLAS kernel
    # TRON's path depends on the rounding of the OpenBLAS level-1 kernels scikit-learn's
    # SciPy runs (see openblas_level1), so each case is made once per modelled kernel, by
    # scikit-learn in a worker with OPENBLAS_CORETYPE=<kernel>, and records the kernel in
    # context.blas_kernel (tag "blas-<kernel>"). The mirror replays TRON bit for bit with
    # that kernel's rounding. Same data and params for every kernel, so the pairs show what
    # the kernel changes (digits C=10: n_iter_ 36 vs 32, wide C=10: 224 vs 197).
    sw_tron = add.weights(n_mcb, zeros=8)
    for kernel in ob.KERNELS:
        k = {"blas_kernel": kernel}
        add.fit(p, "iris", "s2-primal", ["solver-2"], {**S2, "random_state": 0}, **k)
        add.fit(p, "iris", "s2-no-intercept", ["solver-2", "intercept-off"],
                {**S2, "fit_intercept": False, "random_state": 0}, **k)
        add.fit(p, "wine", "s2-C10", ["solver-2"], {**S2, "C": 10.0, "random_state": 0}, **k)
        add.fit(p, "breast_cancer", "auto-s2", ["solver-2", "dual-auto"], {"random_state": 0}, **k)
        add.fit(p, "breast_cancer", "s2-C100-tol1e-3", ["solver-2"],
                {**S2, "C": 100.0, "tol": 1e-3, "random_state": 0}, **k)
        add.fit(p, "digits", "s2-C10", ["solver-2", "sparse"], {**S2, "C": 10.0, "random_state": 0}, **k)
        add.fit(p, "digits", "s2-C10-max_iter5", ["solver-2", "sparse"],
                {**S2, "C": 10.0, "max_iter": 5, "random_state": 0}, **k)
        add.fit(p, "mc_wide", "s2-primal-C10", ["solver-2", "n<d"], {**S2, "C": 10.0, "random_state": 0}, **k)
        add.fit(p, "mc_binary", "s2-sample-weight", ["solver-2", "sample-weight", "zero-weight", "sparse"],
                {**S2, "random_state": 0}, sw=sw_tron, **k)
        add.fit(p, "mc_imbalanced", "s2-balanced", ["solver-2", "class-weight-balanced", "imbalanced"],
                {**S2, "class_weight": "balanced", "random_state": 0}, **k)
        add.fit(p, "mc_multi3", "s2-dict-partial", ["solver-2", "class-weight-dict"],
                {**S2, "class_weight": {"cat": 3.0}, "random_state": 0}, strings=True, **k)


# =========================================================================== hinge_loss cases

class _SimpleCases:
    def __init__(self, cases: CaseList, suite: str, mirror, tolerance: dict):
        self.cases, self.suite, self.mirror, self.tolerance = cases, suite, mirror, tolerance
        self.verify = sklearn_module() is not None

    def add(self, cid, tags, params, inputs, *, error=None) -> None:
        self.cases.add(cid, tags, params, inputs, error=error)
        if self.verify:
            verify_case(self.suite, self.mirror, self.tolerance, self.cases.cases[-1])


HINGE_LOSS_TOLERANCE = {"float64": {"rtol": 1e-12, "atol": 1e-12}}


def _hl_inputs(y_true, pred, labels=None, sample_weight=None) -> Arrays:
    y_true = np.asarray(y_true)
    y_true = y_true.astype(np.int64) if y_true.dtype.kind in "iu" else y_true.astype(str)
    out = {"y_true": y_true, "pred_decision": np.asarray(pred, dtype=np.float64)}
    if labels is not None:
        labels = np.asarray(labels)
        out["labels"] = labels.astype(np.int64) if labels.dtype.kind in "iu" else labels.astype(str)
    if sample_weight is not None:
        out["sample_weight"] = np.asarray(sample_weight, dtype=np.float64)
    return out


def _hinge_loss_build(cases: CaseList, rng: np.random.Generator) -> None:
    add = _SimpleCases(cases, "sklearn.metrics.hinge_loss", hinge_loss, HINGE_LOSS_TOLERANCE)

    def case(cid, tags, *args, error=None, **kw):
        add.add(cid, tags, {}, _hl_inputs(*args, **kw), error=error)

    # spec examples (sklearn-liblinear.md section 4, [V])
    case("binary/4/spec-0.45", ["binary", "spec"], [0, 1, 1, 0], [-2, .5, 1, .3])
    case("binary/4/spec-sample-weight-0.62", ["binary", "spec", "sample-weight"], [0, 1, 1, 0], [-2, .5, 1, .3],
         sample_weight=[1, 2, 3, 4])
    case("multiclass/3x3/spec-eye-0.0", ["multiclass", "spec"], [0, 1, 2], np.eye(3))
    case("multiclass/3x3/spec-zeros-1.0", ["multiclass", "spec", "tie"], [0, 1, 2], np.zeros((3, 3)))
    case("binary/3/spec-one-label-1.5", ["binary", "spec", "one-label"], [1, 1, 1], [.5, .5, .5])
    # binary label conventions
    case("binary/8/labels-pm1", ["binary"], rng.choice([-1, 1], 8), np.round(exact.normal(rng, 8, 1.5), 3))
    case("binary/8/labels-3-7", ["binary"], rng.choice([3, 7], 8), np.round(exact.normal(rng, 8, 1.5), 3))
    case("binary/8/labels-strings", ["binary", "string-labels"], rng.choice(["no", "yes"], 8),
         np.round(exact.normal(rng, 8, 1.5), 3))
    case("binary/6/labels-argument-ignored", ["binary", "labels"], [0, 1, 1, 0, 1, 0],
         [.2, -.4, 1.5, -2, .9, .1], labels=[0, 1])
    case("binary/5/column-pred", ["binary"], [2, 5, 5, 2, 5], [[.3], [-.2], [1.2], [-1.5], [.8]])
    case("binary/8/kinks", ["binary", "kink"], [0, 1, 0, 1, 0, 1, 0, 1], [-1, 1, 1, -1, 0, 0, -.999, 1.001])
    case("binary/1/single-sample", ["binary"], [1], [.25])
    case("binary/64/reference-weighted", ["binary", "sample-weight", "reference"], rng.choice([0, 1], 64),
         exact.normal(rng, 64, 2), sample_weight=np.round(exact.uniform(rng, 0, 3, 64), 3))
    case("binary/6/zero-and-negative-weights", ["binary", "sample-weight"], [0, 1, 1, 0, 1, 0],
         [.5, .5, -.3, -1.2, 2, .7], sample_weight=[0, 1, 2, -0.5, 0, 1.5])
    # multi-class (Crammer-Singer margins)
    case("multiclass/5x3/sample", ["multiclass"], [0, 2, 1, 1, 0], np.round(exact.normal(rng, (5, 3), 1), 3))
    case("multiclass/6x4/strings", ["multiclass", "string-labels"], ["b", "d", "a", "c", "a", "d"],
         np.round(exact.normal(rng, (6, 4), 1), 3))
    case("multiclass/4x4/labels-superset", ["multiclass", "labels"], [0, 2, 3, 0],
         np.round(exact.normal(rng, (4, 4), 1), 3),
         labels=[0, 1, 2, 3])
    case("multiclass/4x3/labels-unordered", ["multiclass", "labels"], [10, 30, 20, 10],
         np.round(exact.normal(rng, (4, 3), 1), 3), labels=[30, 10, 20])
    case("multiclass/3x4/two-in-y-four-labels", ["multiclass", "labels"], [1, 3, 1],
         np.round(exact.normal(rng, (3, 4), 1), 3),
         labels=[0, 1, 2, 3])
    case("multiclass/6x3/kinks-ties", ["multiclass", "kink", "tie"], [0, 1, 2, 0, 1, 2],
         [[1, 0, 0], [0, 1, 1], [2, 1, 3], [1.5, .5, .5], [0, 0, 0], [-1, -1, -2]])
    case("multiclass/50x5/reference-weighted", ["multiclass", "sample-weight", "reference"], rng.integers(0, 5, 50),
         exact.normal(rng, (50, 5), 1.5), sample_weight=np.round(exact.uniform(rng, 0, 2, 50), 3))
    case("multiclass/5x3/sample-weight", ["multiclass", "sample-weight"], [2, 0, 1, 2, 1],
         np.round(exact.normal(rng, (5, 3), 1), 3), sample_weight=[1, 0, 2.5, 1, .5])
    # errors
    case("error/3/lengths", ["error"], [0, 1, 1], [.1, .2], error="shape_mismatch")
    case("error/3/sample-weight-length", ["error"], [0, 1, 1], [.1, .2, .3], sample_weight=[1, 2],
         error="shape_mismatch")
    case("error/3/multiclass-1d", ["error"], [0, 1, 2], [.1, .2, .3], error="shape_mismatch")
    case("error/3x2/multiclass-columns", ["error"], [0, 1, 2], [[.1, .2]] * 3, error="shape_mismatch")
    case("error/3x3/labels-columns", ["error", "labels"], [0, 1, 2], [[.1, .2, .3]] * 3, labels=[0, 1, 2, 5],
         error="shape_mismatch")
    case("error/3x3/unseen-label", ["error", "labels"], [0, 1, 7], [[.1, .2, .3]] * 3, labels=[0, 1, 2],
         error="invalid_target")
    case("error/2x2/binary-2-columns", ["error"], [0, 1], [[.1, .2], [.3, .4]], error="shape_mismatch")
    case("error/2/nan", ["error", "nan"], [0, 1], [NAN, .2], error="invalid_parameter")
    # found by the fuzzer: the binary path when y_true has three or more values but `labels` names
    # at most two. LabelBinarizer is fitted on y_true alone and is one-hot then: column 0 makes the
    # smallest value of y_true +1 and every other -1 (seed 1, cases 2320 and 2425).
    case("binary/6/labels-two-y-three-classes", ["binary", "labels", "fuzz"], [101, 1, 1, 0, 1, 0],
         [-2.5266, -.9465, 2.95, 3.6e-7, 2.4576, 1.8113], labels=[0, 1])
    case("binary/6/labels-repeated-y-negative", ["binary", "labels", "fuzz"], [1, 1, 1, -1, 0, 1],
         [5e-324, -.4, 1.5, -2, -1.7976931348623157e308, -1.4], labels=[1, 1])
    case("binary/5/labels-one-y-four-strings", ["binary", "labels", "string-labels", "fuzz"],
         ["cat", "ant", "dog", "bee", "ant"], [.5, -.25, 1.5, -1, .75], labels=["ant"])
    case("binary/7/labels-two-y-three-weighted", ["binary", "labels", "sample-weight", "fuzz"],
         [2, 0, 1, 2, 0, 1, 1], [.3, -1.2, .8, -.1, 1.9, 0, -.6], labels=[0, 2],
         sample_weight=[1, .5, 2, 0, 1.5, 1, .25])
    # weights that sum to 0: np.average raises ZeroDivisionError (recorded as invalid_parameter). NumPy
    # sums pairwise from 8 elements on: the 8 weights below sum to 0 pairwise but not sequentially,
    # the next 8 the other way round (found by the fuzzer: the mirror crashed on them).
    case("error/4/sample-weight-sum-zero", ["error", "sample-weight", "zero-weight"], [0, 1, 1, 0],
         [.5, -.5, 1, .25], sample_weight=[1, -1, .5, -.5], error="invalid_parameter")
    case("error/3x3/sample-weight-all-zero", ["error", "sample-weight", "zero-weight", "multiclass"],
         [0, 1, 2], [[.1, .2, .3]] * 3, sample_weight=[0, 0, -0.0], error="invalid_parameter")
    case("error/8/sample-weight-pairwise-sum-zero", ["error", "sample-weight", "negative-weight"],
         [0, 1, 1, 0, 1, 0, 0, 1], [.5, -.5, 1, .25, 0, 2, -1, .75],
         sample_weight=[.7, .5, -.2, -.5, 0, -.2, .6, -.9], error="invalid_parameter")
    case("binary/8/sample-weight-sequential-sum-zero", ["binary", "sample-weight", "negative-weight"],
         [0, 1, 1, 0, 1, 0, 0, 1], [.5, -.5, 1, .25, 0, 2, -1, .75],
         sample_weight=[.2, -.1, .3, 1, .8, .6, -.8, -2])


# =========================================================================== SGD loss cases

SGD_TOLERANCE = {"float64": {"rtol": 0, "atol": 0}}


def _sgd_build(cases: CaseList, rng: np.random.Generator) -> None:
    add = _SimpleCases(cases, "sklearn.linear_model.SGDClassifier.loss", sgd_loss, SGD_TOLERANCE)

    def case(loss, shape_label, variant, tags, p, y, error=None):
        add.add(f"{loss}/{shape_label}/{variant}", tags, {"loss": loss},
                {"p": np.asarray(p, dtype=np.float64), "y": np.asarray(y, dtype=np.float64)}, error=error)

    # kinks per loss: z = p*y at the thresholds, with y = +1 and -1
    # 2 ** -52 would be CPython's pow (constant-folded when the module is compiled): not data
    e52, e53, tiny = math.ldexp(1.0, -52), math.ldexp(1.0, -53), math.ldexp(1.0, -1074)
    kinks = {"hinge": [1.0, 1.0 + e52, 1.0 - e53, 0.0, -1.0],
             "squared_hinge": [1.0, 1.0 + e52, 1.0 - e53, 0.0, -1.0],
             "modified_huber": [1.0, 1.0 - e53, -1.0, -1.0 - e52, -1.0 + e53, 0.0],
             "perceptron": [0.0, -0.0, tiny, -tiny, 1.0, -1.0]}
    for loss in SGD_LOSSES:
        p = np.round(exact.normal(rng, 16, 1.5), 4)
        y = rng.choice([-1.0, 1.0], 16)
        case(loss, "16", "sample", ["sample"], p, y)
        case(loss, "3x4", "sample", ["sample"], np.round(exact.normal(rng, (3, 4), 1.5), 4),
             rng.choice([-1.0, 1.0], (3, 4)))
        z = np.array(kinks[loss])
        yk = np.concatenate([np.ones_like(z), -np.ones_like(z)])
        case(loss, f"{2 * z.size}", "kinks", ["kink"], np.concatenate([z, -z]), yk)
        grid = np.arange(-12, 13) / 4.0                       # -3 .. 3 by 0.25: every kink and each piece
        case(loss, f"{2 * grid.size}", "grid", ["kink", "sample"], np.concatenate([grid, grid]),
             np.concatenate([np.ones_like(grid), -np.ones_like(grid)]))
        case(loss, "8", "nan-inf", ["nan", "inf"], [NAN, INF, -INF, INF, -INF, 1e308, -1e308, NAN],
             [1, 1, 1, -1, -1, -1, -1, -1])
        case(loss, "scalar", "0d", ["scalar"], np.asarray(0.5), np.asarray(-1.0))
        case(loss, "0", "empty", ["empty"], np.zeros(0), np.zeros(0))
    case("hinge", "4", "error-shape", ["error"], np.zeros(4), np.ones(3), error="shape_mismatch")
    for bad in ("log", "hinge2", "Hinge"):
        case(bad, "4", "error-loss", ["error"], np.zeros(4), np.ones(4), error="invalid_parameter")


# =========================================================================== registry

def _reference(mirror, runner):
    def compute(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
        fn = runner if sklearn_module() is not None else mirror
        return fn(params, inputs) if context is None else fn(params, inputs, context=context)
    return compute


def _suite(name, mirror, runner, build, tolerance) -> Suite:
    return Suite(name, _reference(mirror, runner), build, tolerance, framework_versions=_framework_versions,
                 unwritable_reason=_unwritable_reason(name))


SUITES: dict[str, Suite] = {s.name: s for s in (
    _suite("sklearn.svm.LinearSVC", linear_svc, run_linear_svc, _linear_svc_build, LINEAR_SVC_TOLERANCE),
    _suite("sklearn.metrics.hinge_loss", hinge_loss, run_hinge_loss, _hinge_loss_build, HINGE_LOSS_TOLERANCE),
    _suite("sklearn.linear_model.SGDClassifier.loss", sgd_loss, run_sgd_loss, _sgd_build, SGD_TOLERANCE),
)}


# =========================================================================== worker

def _serve() -> None:
    """One scikit-learn per OpenBLAS kernel: OPENBLAS_CORETYPE is read when OpenBLAS loads,
    so each kernel's LinearSVC runs in its own process (FrameworkWorker). Each reply
    carries the architecture threadpoolctl reports, which the caller checks."""
    architecture = scipy_openblas_architecture()

    def handle(request: dict) -> dict:
        inputs = {k: decode_array(v) for k, v in request["inputs"].items()}
        try:
            out = _fit_here(request["params"], inputs, random_state=request.get("random_state"))
        except LossError as e:
            return {"architecture": architecture, "error": {"kind": e.kind, "message": e.message}}
        return {"architecture": architecture, "outputs": {k: encode_array(v) for k, v in out.items()}}

    serve_worker(handle)


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
