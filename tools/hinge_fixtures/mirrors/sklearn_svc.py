"""The NumPy mirror of scikit-learn 1.9.1's SVC (C-SVC on libsvm): validation in
scikit-learn's order with its messages, then the step-by-step libsvm replay
(hinge_fixtures/libsvm_replay.py) and the fitted attributes and methods.

params   kernel, degree, gamma ('scale' | 'auto' | float), coef0, tol, C, shrinking,
         class_weight (None | 'balanced' | {label-as-string: weight}), max_iter,
         decision_function_shape ('ovr' | 'ovo'), break_ties
inputs   X (n, d) float64 (n x n for kernel='precomputed'), y (n,) int64 or str labels,
         X_test (m, d) float64, optional sample_weight (n,) float64
context  blas_kernel: the OpenBLAS kernel set SciPy's ddot ran ('Haswell' | 'SkylakeX');
         input: 'csr' to pass X and X_test as scipy.sparse.csr_array (libsvm's sparse
         representation: sequential sums, no BLAS), absent for dense arrays
outputs  classes_, support_ (int64), support_vectors_, n_support_ (int64), dual_coef_,
         intercept_, fit_status_ (int64), n_iter_ (int64), shape_fit_ (int64), coef_ (linear
         kernel only), decision_function (on X_test), predict (on X_test)

`probability=True` is not mirrored (Platt scaling runs libsvm's internal cross-validation).
"""
from __future__ import annotations

import functools
import json

import numpy as np

from .. import libsvm_replay as ls
from .. import openblas_level1 as ob
from ..contract import NotMirrored
from ..fixture import Arrays, LossError
from .sklearn import _inconsistent_lengths, check_X, _is_int, _is_real, _param_error

SVC_DEFAULTS = {"kernel": "rbf", "degree": 3, "gamma": "scale", "coef0": 0.0, "tol": 1e-3, "C": 1.0,
                "shrinking": True, "class_weight": None, "max_iter": -1, "decision_function_shape": "ovr",
                "break_ties": False}
DEFAULT_BLAS_KERNEL = "Haswell"


def _check_params(params: dict) -> dict:
    unknown = set(params) - set(SVC_DEFAULTS) - {"probability"}
    if unknown:
        raise NotMirrored(f"SVC parameters the mirror does not know: {sorted(unknown)}")
    p = {**SVC_DEFAULTS, **params}
    if p.get("probability", False) is not False:
        raise NotMirrored("probability=True (Platt scaling) is not mirrored")
    kernels = "a str among {'linear', 'poly', 'precomputed', 'rbf', 'sigmoid'} or a callable"
    if p["kernel"] not in ls.KERNELS:
        raise _param_error("SVC", "kernel", kernels, p["kernel"])
    if not (_is_int(p["degree"]) and p["degree"] >= 0):
        raise _param_error("SVC", "degree", "an int in the range [0, inf)", p["degree"])
    g = p["gamma"]
    if not ((isinstance(g, str) and g in ("scale", "auto")) or (_is_real(g) and not isinstance(g, str) and g >= 0)):
        raise _param_error("SVC", "gamma", "a str among {'auto', 'scale'} or a float in the range [0.0, inf)", g)
    if not (_is_real(p["coef0"]) and np.isfinite(p["coef0"])):
        raise _param_error("SVC", "coef0", "a float in the range (-inf, inf)", p["coef0"])
    if not (_is_real(p["tol"]) and p["tol"] > 0 and np.isfinite(p["tol"])):
        raise _param_error("SVC", "tol", "a float in the range (0.0, inf)", p["tol"])
    if not (_is_real(p["C"]) and p["C"] > 0):
        raise _param_error("SVC", "C", "a float in the range (0.0, inf]", p["C"])
    if not (_is_int(p["max_iter"]) and p["max_iter"] >= -1):
        raise _param_error("SVC", "max_iter", "an int in the range [-1, inf)", p["max_iter"])
    if p["decision_function_shape"] not in ("ovr", "ovo"):
        raise _param_error("SVC", "decision_function_shape", "a str among {'ovo', 'ovr'}",
                           p["decision_function_shape"])
    cw = p["class_weight"]
    if isinstance(cw, str) and cw != "balanced":
        raise _param_error("SVC", "class_weight", "a str among {'balanced'}, an instance of 'dict' or None", cw)
    if not np.isfinite(p["C"]):
        raise NotMirrored("C = inf: libsvm does not terminate")
    return p


def _class_weight(cw, classes: np.ndarray, y_index: np.ndarray) -> np.ndarray:
    """compute_class_weight(class_weight, classes=classes_, y=y): 'balanced' is
    n_samples / (K * count) with float counts (no sample weights: SVC does not pass them)."""
    K = classes.size
    if cw is None:
        return np.ones(K)
    if cw == "balanced":
        counts = np.bincount(y_index, weights=np.ones(y_index.size), minlength=K)
        return np.sum(counts) / (K * counts)
    w = np.ones(K)
    unweighted = []
    for i, c in enumerate(classes):
        key = str(c)
        if key in cw:
            w[i] = float(cw[key])
        else:
            unweighted.append(int(c) if classes.dtype.kind in "iu" else str(c))
    if unweighted and K - len(unweighted) != len(cw):
        raise LossError("invalid_parameter", f"The classes, {unweighted}, are not in class_weight")
    return w


def resolve_gamma(p: dict, X: np.ndarray) -> float:
    if p["kernel"] == "precomputed":
        return 0.0
    if p["gamma"] == "scale":
        with np.errstate(all="ignore"):
            var = X.var()
        return 1.0 / (X.shape[1] * var) if var != 0 else 1.0
    if p["gamma"] == "auto":
        return 1.0 / X.shape[1]
    return float(p["gamma"])


def blas_kernel_of(context: dict | None) -> str:
    context = context or {}
    if set(context) - {"blas_kernel", "input"} or context.get("input", "csr") != "csr":
        raise ValueError(f"unexpected SVC context {context}")
    return ob.check_kernel(context.get("blas_kernel", DEFAULT_BLAS_KERNEL))


def is_sparse(context: dict | None) -> bool:
    return (context or {}).get("input") == "csr"


@functools.lru_cache(maxsize=64)
def _train_cached(sparse: bool, X: bytes, shape: tuple, y: tuple, W: bytes, cw: bytes, C: float, tol: float,
                  shrinking: bool, max_iter: int, kernel: str, degree: int, gamma: float, coef0: float, blas: str):
    Xa = np.frombuffer(X, np.float64).reshape(shape)
    kp = ls.KernelParams(kernel, degree, gamma, coef0, blas)
    with np.errstate(all="ignore"):     # overflow to inf and NaN follow C's IEEE arithmetic
        return ls.train(Xa, np.array(y, np.int64), np.frombuffer(W, np.float64), np.frombuffer(cw, np.float64), C, kp,
                        tol, shrinking, max_iter, sparse)


def fit(params: dict, inputs: Arrays, context: dict | None = None):
    """Validation and fit: (p, classes, model, gamma, X)."""
    blas = blas_kernel_of(context)
    p = _check_params(params)
    sparse = is_sparse(context)
    if sparse and p["kernel"] == "precomputed":
        raise LossError("invalid_parameter", "Sparse precomputed kernels are not supported.")
    X = np.asarray(inputs["X"], np.float64)
    y = np.asarray(inputs["y"])
    if X.ndim != 2:
        raise LossError("shape_mismatch", f"Expected 2D array, got {X.ndim}D array instead")
    check_X(X, "SVC")
    if y.ndim != 1:
        raise LossError("shape_mismatch", f"y should be a 1d array, got an array of shape {y.shape} instead.")
    if X.shape[0] != y.shape[0]:
        raise _inconsistent_lengths(X.shape[0], y.shape[0])
    classes, y_index = np.unique(y, return_inverse=True)
    cw = _class_weight(p["class_weight"], classes, y_index)
    if classes.size < 2:
        raise LossError("invalid_target", f"The number of classes has to be greater than one; got {classes.size} class")
    n = X.shape[0]
    if p["kernel"] == "precomputed" and n != X.shape[1]:
        raise LossError("shape_mismatch", f"Precomputed matrix must be a square matrix. Input is a {X.shape[0]}x"
                                          f"{X.shape[1]} matrix.")
    sw = inputs.get("sample_weight")
    if sw is not None:
        sw = np.asarray(sw, np.float64)
        if sw.shape[0] != n:
            raise LossError("shape_mismatch", f"sample_weight and X have incompatible shapes: {sw.shape!r} vs "
                                              f"{X.shape!r}\nNote: Sparse matrices cannot be indexed w/boolean masks "
                                              "(use `indices=True` in CV).")
        if np.isposinf(sw).any():
            raise NotMirrored("an infinite sample weight (an infinite C_i)")
    W = np.ones(n) if sw is None else sw
    with np.errstate(invalid="ignore"):
        kept = W > 0                    # remove_zero_weight: NaN and -inf go too
    if not kept.any():
        raise LossError("invalid_parameter", "Invalid input - all samples have zero or negative weights.")
    if not kept.all() and np.unique(y_index[kept]).size == 1:
        raise LossError("invalid_parameter",
                        "Invalid input - all samples with positive weights belong to the same class.")
    if np.unique(y_index[kept]).size != classes.size:
        raise NotMirrored("a class whose samples all have weight <= 0 (scikit-learn returns a malformed model)")
    gamma = ls.sparse_scale_gamma(X) if sparse and p["gamma"] == "scale" else resolve_gamma(p, X)
    model = _train_cached(sparse, np.ascontiguousarray(X).tobytes(), X.shape, tuple(int(v) for v in y_index),
                          np.ascontiguousarray(W).tobytes(), np.ascontiguousarray(cw, np.float64).tobytes(),
                          float(p["C"]), float(p["tol"]), bool(p["shrinking"]), int(p["max_iter"]), p["kernel"],
                          int(p["degree"]), float(gamma), float(p["coef0"]), blas)
    return p, classes, model, gamma, X


def svc(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    """SVC(**params).fit(X, y, sample_weight), its attributes and decision_function/predict on X_test."""
    p, classes, model, gamma, X = fit(params, inputs, context)
    blas = blas_kernel_of(context)
    K = classes.size
    binary = K == 2
    kp = ls.KernelParams(p["kernel"], int(p["degree"]), gamma, float(p["coef0"]), blas)
    sv = np.zeros((0, 0)) if p["kernel"] == "precomputed" else X[model.sv_rows]
    intercept_internal = np.array([-r if r != 0 else 0.0 for r in model.rho])   # copy_intercept
    if not (np.isfinite(intercept_internal).all() and np.isfinite(model.dual_coef).all()):
        raise LossError("invalid_parameter", "The dual coefficients or intercepts are not finite. The input data may "
                                             "contain large values and need to be preprocessed.")
    dual_coef = -model.dual_coef if binary else model.dual_coef
    intercept = intercept_internal * -1 if binary else intercept_internal
    out = {"classes_": classes, "support_": model.support.astype(np.int64), "support_vectors_": sv,
           "n_support_": model.n_support.astype(np.int64), "dual_coef_": dual_coef, "intercept_": intercept,
           "fit_status_": np.asarray(model.fit_status, np.int64), "n_iter_": model.n_iter.astype(np.int64),
           "shape_fit_": np.asarray(X.shape, np.int64)}
    if p["kernel"] == "linear":
        out["coef_"] = linear_coef(model, sv, binary)
    X_test = np.asarray(inputs["X_test"], np.float64)
    if X_test.ndim != 2:
        raise LossError("shape_mismatch", f"Expected 2D array, got {X_test.ndim}D array instead")
    check_X(X_test, "SVC")
    width = X.shape[1]
    if X_test.shape[1] != width:
        raise LossError("shape_mismatch", f"X has {X_test.shape[1]} features, but SVC is expecting {width} features "
                                          "as input.")
    with np.errstate(all="ignore"):
        if is_sparse(context):
            kvalue = ls.sparse_predict_kernel(ls.csr_rows(X_test), ls.csr_rows(sv), kp)
        else:
            kvalue = ls.predict_kernel(X_test, sv, model.support, kp)
        dec = ls.decision_values(model, kvalue, -intercept_internal)
    if binary:
        scores = -dec.ravel()
    elif p["decision_function_shape"] == "ovr":
        scores = ls.ovr_decision_function(dec < 0, -dec, K)
    else:
        scores = dec
    if p["break_ties"] and p["decision_function_shape"] == "ovo":
        raise LossError("invalid_parameter", "break_ties must be False when decision_function_shape is 'ovo'")
    if p["break_ties"] and p["decision_function_shape"] == "ovr" and K > 2:
        pred = np.argmax(scores, axis=1)
    else:
        pred = ls.vote(dec, K)
    out["decision_function"] = scores
    out["predict"] = classes[pred]
    return out


def linear_coef(model: ls.Model, sv: np.ndarray, binary: bool) -> np.ndarray:
    """coef_ = dual_coef_ @ support_vectors_ (binary) or _one_vs_one_coef. scikit-learn uses
    BLAS here, whose summation order is its own: compared with a tolerance."""
    if binary:
        return -model.dual_coef @ sv
    K = model.class_count
    locs = np.concatenate(([0], np.cumsum(model.n_support)))
    rows = []
    for c1 in range(K):
        for c2 in range(c1 + 1, K):
            a1 = model.dual_coef[c2 - 1, locs[c1]:locs[c1 + 1]]
            a2 = model.dual_coef[c1, locs[c2]:locs[c2 + 1]]
            rows.append(a1 @ sv[locs[c1]:locs[c1 + 1]] + a2 @ sv[locs[c2]:locs[c2 + 1]])
    return np.vstack(rows)


def canonical(params: dict) -> str:
    return json.dumps(params, sort_keys=True)
