"""scikit-learn 1.9.1: LinearSVC (LIBLINEAR), metrics.hinge_loss and the hinge-family
losses SGDClassifier trains with: the NumPy mirrors. The case builders and the
scikit-learn runs are in hinge_fixtures/suites/sklearn.py.

The mirrors import neither scikit-learn nor SciPy.

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
The data come from tools/hinge_fixtures/sklearn_data.json, a snapshot of scikit-learn's
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
import re

import numpy as np

from .. import liblinear_replay as ll
from .. import openblas_level1 as ob
from ..fixture import (Arrays, LossError)

NAN, INF = math.nan, math.inf


# =========================================================================== shared mirror pieces

_SET_LITERAL = re.compile(r"\{('[^'{}]*'(?:, '[^'{}]*')*)\}")


def normalize_message(message: str) -> str:
    """Sort the items of set literals such as {'squared_hinge', 'hinge'}: scikit-learn
    prints Python sets, whose order depends on PYTHONHASHSEED."""
    return _SET_LITERAL.sub(lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", message)



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

def nan_x_message(estimator: str) -> str:
    """scikit-learn's check_array message for NaN in X, naming the estimator."""
    return (f"Input X contains NaN.\n{estimator} does not accept missing values encoded as NaN natively. For supervised "
            "learning, you might want to consider sklearn.ensemble.HistGradientBoostingClassifier and Regressor which "
            "accept missing values encoded as NaNs natively. Alternatively, it is possible to preprocess the data, for "
            "instance by using an imputer transformer in a pipeline or drop samples with missing values. See "
            "https://scikit-learn.org/stable/modules/impute.html You can find a list of all estimators that handle NaN "
            "values at the following page: https://scikit-learn.org/stable/modules/impute.html#estimators-that-handle-"
            "nan-values")


NAN_X = nan_x_message("LinearSVC")
INF_X = "Input X contains infinity or a value too large for dtype('float64')."

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
    lookup = class_weight_for_sklearn(class_weight, classes)
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


def class_weight_for_sklearn(class_weight, classes_or_y: np.ndarray):
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


def check_X(X: np.ndarray, estimator: str = "LinearSVC") -> None:
    """check_array on a 2-D X (fit, decision_function, predict): NaN, infinity, then at
    least one sample and one feature (the message names the estimator)."""
    if np.isnan(X).any():
        raise LossError("invalid_parameter", nan_x_message(estimator))
    if np.isinf(X).any():
        raise LossError("invalid_parameter", INF_X)
    for count, what in ((X.shape[0], "sample"), (X.shape[1], "feature")):
        if count < 1:
            raise LossError("shape_mismatch", f"Found array with 0 {what}(s) (shape={X.shape}) while a minimum of 1 is "
                                              f"required by {estimator}.")


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


def decision_scores(coef: np.ndarray, intercept, X_test: np.ndarray) -> np.ndarray:
    if X_test.shape[1] != coef.shape[1]:
        raise LossError("shape_mismatch", f"X has {X_test.shape[1]} features, but LinearSVC is expecting "
                                          f"{coef.shape[1]} features as input.")
    s = X_test @ coef.T + (0.0 if intercept is None else intercept)
    return s.reshape(-1) if s.shape[1] == 1 else s


def predict_labels(classes: np.ndarray, scores: np.ndarray) -> np.ndarray:
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
    scores = decision_scores(coef, icpt, X_test)
    if radius is not None:
        p = {**LINEAR_SVC_DEFAULTS, **params}
        check_tight_outputs(radius, float(p["intercept_scaling"]) if p["fit_intercept"] else 0.0, coef, icpt, X_test,
                            scores)
    out = {"classes_": classes, "coef_": coef,
           "intercept_": np.asarray(0.0) if icpt is None else icpt,
           "decision_function": scores, "predict": predict_labels(classes, scores)}
    if n_iter is not None:
        out["n_iter_"] = np.asarray(n_iter, dtype=np.int64)
    return out


def is_tight(params: dict) -> bool:
    return {**LINEAR_SVC_DEFAULTS, **params}["tol"] <= TIGHT_TOL


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
        raise weights_sum_to_zero(e) from e
    return {"output": np.asarray(value)}


def weights_sum_to_zero(e: ZeroDivisionError) -> LossError:
    """np.average's ZeroDivisionError for weights summing to 0, as a fixture error:
    invalid_parameter, the kind the suites give bad input values (NaN in X, ...)."""
    return LossError("invalid_parameter", str(e))


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


def check_same_shape(p: np.ndarray, y: np.ndarray) -> None:
    if p.shape != y.shape:
        raise LossError("shape_mismatch", f"p and y must have the same shape, got {list(p.shape)} and {list(y.shape)}")


def sgd_loss(params: dict, inputs: Arrays) -> Arrays:
    """loss(p, y) and dloss(p, y) of SGDClassifier's loss object, elementwise in float64."""
    loss = _sgd_loss_name(params)
    p, y = np.asarray(inputs["p"], dtype=np.float64), np.asarray(inputs["y"], dtype=np.float64)
    check_same_shape(p, y)
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
