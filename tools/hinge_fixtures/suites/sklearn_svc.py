"""scikit-learn 1.9.1: SVC (libsvm's C-SVC), the case builder and scikit-learn's own runs.
The NumPy mirror is hinge_fixtures/mirrors/sklearn_svc.py (a step-by-step replay of libsvm,
hinge_fixtures/libsvm_replay.py).

Each case is fitted by scikit-learn in a worker process started with OPENBLAS_CORETYPE set
to the case's context.blas_kernel (libsvm's dense kernels call SciPy's OpenBLAS ddot, whose
rounding depends on that kernel set; every case records it). The mirror must agree: integer
outputs (support_, n_support_, n_iter_, fit_status_, predict) exactly, floats within the
case's tolerance; the largest ULP distance seen is reported by the generator.

Tolerance. libsvm is deterministic, so dual_coef_, intercept_ and decision_function are
reproduced bit for bit by the mirror and by the Swift port (asserted separately, to the bit,
by Tests/FixtureConformanceTests/SVCFixtureTests.swift). The fixture tolerance (rtol = atol =
1e-9) exists for coef_, which scikit-learn computes with NumPy's matmul on OpenBLAS (its own
summation order) from dual_coef_ and support_vectors_: the port sums sequentially, and the two
differ by up to n_SV * eps * sum_k |alpha_k x_k|, which with C = 1000 reached 5e-12 on a
coefficient of 1.9 (fuzz seed 1, case 167).

libm. rbf and sigmoid cases call exp and tanh from libm inside the solver; a one-ulp change
of a kernel value can move a float32 Q entry and with it the SMO path. Measured on these
cases (every exp and tanh result moved one ulp up, then down, and the replay rerun): of the
31 rbf/sigmoid fits, 8 (up) and 7 (down) take another path (n_iter_ or support_ change) and
all but one of the others change dual_coef_ or decision_function in the last bits. They are
tagged `libm`: their expected values hold with the libm they were made with (glibc), which
the perturbed-libm pass of `--check` exempts. linear, poly and precomputed cases use only
correctly rounded operations and survive that pass bit for bit.
"""
from __future__ import annotations

import sys
import warnings

import numpy as np

from .. import exact
from ..contract import Framework, FrameworkUndefined, Suite, serve_worker, worker_outputs
from ..fixture import Arrays, CaseList, LossError
from ..mirrors.sklearn_svc import DEFAULT_BLAS_KERNEL, svc
from ..mirrors.sklearn import normalize_message
from .sklearn import FRAMEWORK as SKLEARN, STRING_LABELS, _framework_versions, _import_sklearn, data_split

NAN, INF = float("nan"), float("inf")

FRAMEWORK = Framework(
    "scikit-learn", SKLEARN.pins, SKLEARN.off_env, requirement=SKLEARN.requirement,
    probe=lambda: _import_sklearn()[1], worker_module=__name__,
    worker_env=lambda kernel: {"OPENBLAS_CORETYPE": kernel, "PYTHONHASHSEED": "0"},
    versions_of=_framework_versions,
    error_kinds=(
        ("invalid_parameter", r"^The '\w+' parameter of SVC must be|^Input X contains (NaN|infinity)"
                              r"|are not in class_weight$|^Invalid input - all samples"
                              r"|^break_ties must be False|^The dual coefficients or intercepts are not finite"
                              r"|^Sparse precomputed kernels are not supported"),
        ("invalid_target", r"^The number of classes has to be greater than one"),
        ("shape_mismatch", r"inconsistent numbers of samples|^sample_weight and X have incompatible shapes"
                           r"|features, but SVC is expecting|^Found array with 0 (sample|feature)\(s\)"
                           r"|^Precomputed matrix must be a square matrix"),
    ))

TOLERANCE = {"float64": {"rtol": 1e-9, "atol": 1e-9}}


def _fit_here(request: dict) -> Arrays:
    """SVC in this process (the worker's side)."""
    from sklearn.svm import SVC
    from ..fixture import decode_array
    params = dict(request["params"])
    inputs = {k: decode_array(v) for k, v in request["inputs"].items()}
    y = inputs["y"]
    if isinstance(params.get("class_weight"), dict):
        labels = {str(v): v.item() if hasattr(v, "item") else v for v in np.unique(y)}
        params["class_weight"] = {labels.get(k, int(k) if k.lstrip("-").isdigit() else k): w
                                  for k, w in params["class_weight"].items()}
    X, X_test = inputs["X"], inputs["X_test"]
    if request.get("input") == "csr":
        from scipy.sparse import csr_array
        X, X_test = csr_array(X), csr_array(X_test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = SVC(**params).fit(X, y, sample_weight=inputs.get("sample_weight"))
        out = {"classes_": est.classes_, "support_": est.support_.astype(np.int64),
               "support_vectors_": est.support_vectors_, "n_support_": est.n_support_.astype(np.int64),
               "dual_coef_": est.dual_coef_, "intercept_": est.intercept_,
               "fit_status_": np.asarray(est.fit_status_, np.int64), "n_iter_": est.n_iter_.astype(np.int64),
               "shape_fit_": np.asarray(est.shape_fit_, np.int64)}
        if est.kernel == "linear":
            out["coef_"] = np.asarray(est.coef_.toarray() if hasattr(est.coef_, "toarray") else est.coef_)
        for name in ("support_vectors_", "dual_coef_"):
            if hasattr(out[name], "toarray"):
                out[name] = out[name].toarray()
        if est.support_vectors_.shape[0] == 0 and hasattr(est.support_vectors_, "toarray"):
            out["dual_coef_"] = np.zeros((len(est.classes_) - 1, 0))
        out["decision_function"] = est.decision_function(X_test)
        out["predict"] = est.predict(X_test)
    return out


def run_svc(params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    """scikit-learn's SVC in a worker started with OPENBLAS_CORETYPE = context.blas_kernel.
    Inputs on which scikit-learn has no defined result are not sent: an infinite sample
    weight (libsvm gets C_i = inf) and weights that leave a class without a positive one
    (scikit-learn then crashes with an IndexError or returns a model whose shapes disagree
    with classes_); the port rejects both."""
    from ..fixture import encode_array
    sw = inputs.get("sample_weight")
    if sw is not None and np.ndim(sw) == 1 and len(sw) == len(inputs["y"]) and np.ndim(inputs["y"]) == 1:
        sw = np.asarray(sw, np.float64)
        y = np.asarray(inputs["y"])
        with np.errstate(invalid="ignore"):
            kept = sw > 0
        if np.isposinf(sw).any():
            raise FrameworkUndefined("an infinite sample weight")
        if kept.any() and not kept.all() and np.unique(y[kept]).size not in (1, np.unique(y).size):
            raise FrameworkUndefined("a class whose sample weights are all <= 0")
    kernel = (context or {}).get("blas_kernel", DEFAULT_BLAS_KERNEL)
    reply = FRAMEWORK.worker(kernel).call({"params": params, "input": (context or {}).get("input"),
                                           "inputs": {k: encode_array(v) for k, v in inputs.items()}})
    if reply.get("architecture") != kernel:
        raise RuntimeError(f"OPENBLAS_CORETYPE={kernel}: threadpoolctl reports {reply.get('architecture')!r}")
    if "error" in reply:
        message = normalize_message(reply["error"]["message"])
        raise LossError(FRAMEWORK.classify(message), message)
    from ..fixture import decode_array
    return {k: decode_array(v) for k, v in reply["outputs"].items()}


# =========================================================================== cases

def _split(name: str):
    """(X, y, X_test candidates): the LinearSVC splits, wine scaled by its column maxima
    (unscaled, libsvm needs ~10^5 iterations), digits restricted to classes 0-4."""
    if name == "wine":
        X, y, Xc = data_split("wine")
        m = np.abs(X).max(axis=0)
        return X / m, y, Xc / m
    if name == "digits5":
        X, y, Xc = data_split("digits")
        return X[y < 5], y[y < 5], Xc
    return data_split(name)


def _int_split(name: str, scale: float = 4.0):
    """A split rounded to small integers, so that X @ X.T (a precomputed kernel) is exact."""
    X, y, Xc = _split(name)
    return np.round(X * scale), y, np.round(Xc * scale)


class _Cases:
    def __init__(self, cases: CaseList, rng: np.random.Generator):
        self.cases, self.rng = cases, rng

    def weights(self, n: int, zeros: int = 0, negative: int = 0) -> np.ndarray:
        w = np.round(exact.uniform(self.rng, 0.25, 2.0, n), 3)
        idx = self.rng.permutation(n)
        w[idx[:zeros]] = 0.0
        w[idx[zeros:zeros + negative]] = -1.0
        return w

    def fit(self, split: str, variant: str, tags: list, params: dict, *, sw=None, strings=False,
            blas_kernel: str = DEFAULT_BLAS_KERNEL, data=None, test_rows: int = 12, csr: bool = False) -> None:
        X, y, Xc = _split(split) if data is None else data
        if strings:
            y = STRING_LABELS[y]
        inputs = {"X": X, "y": y, "X_test": Xc[:test_rows]}
        if sw is not None:
            inputs["sample_weight"] = sw
        kernel = params.get("kernel", "rbf")
        K = np.unique(y).size
        all_tags = [f"kernel-{kernel}", "binary" if K == 2 else "multiclass"] + list(tags)
        if kernel in ("rbf", "sigmoid"):
            all_tags.append("libm")
        if strings:
            all_tags.append("string-labels")
        if blas_kernel != DEFAULT_BLAS_KERNEL:
            all_tags.append(f"blas-{blas_kernel}")
        cid = f"{split}-{X.shape[0]}x{X.shape[1]}/{kernel}/{variant}"
        if blas_kernel != DEFAULT_BLAS_KERNEL:
            cid += f"/{blas_kernel}"
        context = {"blas_kernel": blas_kernel}
        if csr:
            cid += "/csr"
            all_tags.append("sparse")
            context["input"] = "csr"
        self.cases.add(cid, all_tags, params, inputs, context=context)

    def error(self, split: str, fault: str, kind: str, params: dict, inputs: dict | None = None) -> None:
        if inputs is None:
            X, y, Xc = _split(split)
            inputs = {"X": X, "y": y, "X_test": Xc[:5]}
        X = inputs["X"]
        self.cases.add(f"error/{split}-{X.shape[0]}x{X.shape[1]}/{fault}", ["error"], params, inputs, error=kind,
                       context={"blas_kernel": DEFAULT_BLAS_KERNEL})


def _build(cases: CaseList, rng: np.random.Generator) -> None:
    add = _Cases(cases, rng)
    L, P, R, S = {"kernel": "linear"}, {"kernel": "poly"}, {"kernel": "rbf"}, {"kernel": "sigmoid"}

    # ---------------------------------------------------------------- every kernel on every data set
    for split in ("iris", "wine", "breast_cancer", "mc_binary", "mc_multi3", "mc_4class", "digits5"):
        for params in (L, P, R):
            add.fit(split, "default", ["default"], params)
    for split in ("iris", "breast_cancer", "mc_binary", "mc_4class"):
        add.fit(split, "default", ["default"], S)
    add.fit("wine", "gamma0.1-coef0-0.5", ["gamma-float"], {**S, "gamma": 0.1, "coef0": -0.5})
    add.fit("mc_wide", "gamma0.01", ["gamma-float", "n<d"], {**S, "gamma": 0.01})
    add.fit("mc_wide", "default", ["n<d"], L)
    add.fit("mc_wide", "default", ["n<d"], R)

    # ---------------------------------------------------------------- shrinking, tol, max_iter
    add.fit("iris", "no-shrinking", ["shrinking-off"], {**R, "shrinking": False})
    add.fit("breast_cancer", "no-shrinking-C10", ["shrinking-off"], {**L, "shrinking": False, "C": 10.0})
    add.fit("mc_4class", "no-shrinking-degree2", ["shrinking-off"], {**P, "shrinking": False, "degree": 2})
    add.fit("mc_multi3", "tol0.1", ["tol"], {**R, "tol": 0.1})
    add.fit("mc_multi3", "tol1e-6", ["tol"], {**R, "tol": 1e-6})
    add.fit("breast_cancer", "tol1e-7-C100", ["tol", "huge-C"], {**L, "tol": 1e-7, "C": 100.0})
    add.fit("mc_4class", "max_iter5", ["max-iter", "convergence-warning"], {**R, "max_iter": 5})
    add.fit("mc_binary", "max_iter0", ["max-iter", "convergence-warning"], {**L, "max_iter": 0})
    add.fit("wine", "max_iter30-C100", ["max-iter", "convergence-warning"], {**L, "max_iter": 30, "C": 100.0})

    # ---------------------------------------------------------------- C, gamma, degree, coef0
    add.fit("mc_multi3", "C1e-3", ["tiny-C"], {**R, "C": 1e-3})
    add.fit("mc_binary", "C1e-4", ["tiny-C"], {**L, "C": 1e-4})
    add.fit("mc_4class", "C1e3", ["huge-C"], {**R, "C": 1000.0})
    add.fit("iris", "C1e3", ["huge-C"], {**L, "C": 1000.0})
    add.fit("mc_binary", "gamma-auto", ["gamma-auto"], {**R, "gamma": "auto"})
    add.fit("iris", "gamma0.5", ["gamma-float"], {**R, "gamma": 0.5})
    add.fit("mc_binary", "gamma0", ["gamma-float", "gamma-zero"], {**P, "gamma": 0.0, "coef0": 1.0})
    add.fit("mc_multi3", "degree2-coef0-1", ["degree"], {**P, "degree": 2, "coef0": 1.0})
    add.fit("iris", "degree5-gamma-auto", ["degree", "gamma-auto"], {**P, "degree": 5, "gamma": "auto"})
    add.fit("breast_cancer", "degree0", ["degree"], {**P, "degree": 0})
    add.fit("mc_4class", "degree1-coef0-2", ["degree"], {**P, "degree": 1, "coef0": 2.0})

    # ---------------------------------------------------------------- class and sample weights
    add.fit("mc_imbalanced", "balanced", ["class-weight-balanced", "imbalanced"], {**R, "class_weight": "balanced"})
    add.fit("mc_imbalanced", "balanced", ["class-weight-balanced", "imbalanced"], {**L, "class_weight": "balanced"})
    add.fit("mc_multi3", "dict-partial", ["class-weight-dict"], {**L, "class_weight": {"cat": 3.0}}, strings=True)
    add.fit("mc_binary", "dict", ["class-weight-dict"], {**R, "class_weight": {"0": 2.0, "1": 0.5}})
    n_m3, n_bc, n_mcb, n_imb = 120, 90, 120, 120
    add.fit("mc_multi3", "sample-weight-zeros", ["sample-weight", "zero-weight"], R, sw=add.weights(n_m3, zeros=6))
    add.fit("breast_cancer", "sample-weight", ["sample-weight"], L, sw=add.weights(n_bc))
    add.fit("mc_binary", "sample-weight-negative", ["sample-weight", "negative-weight", "zero-weight"], P,
            sw=add.weights(n_mcb, zeros=3, negative=4))
    add.fit("mc_imbalanced", "balanced-sample-weight", ["class-weight-balanced", "sample-weight", "imbalanced"],
            {**R, "class_weight": "balanced"}, sw=add.weights(n_imb, zeros=2))
    add.fit("mc_4class", "sample-weight-C10", ["sample-weight"], {**L, "C": 10.0}, sw=add.weights(120))

    # ---------------------------------------------------------------- decision_function_shape, break_ties
    add.fit("mc_multi3", "ovo", ["ovo"], {**R, "decision_function_shape": "ovo"}, strings=True)
    add.fit("mc_4class", "ovo", ["ovo"], {**L, "decision_function_shape": "ovo"})
    add.fit("mc_4class", "break_ties", ["break-ties"], {**R, "break_ties": True, "C": 0.05})
    add.fit("iris", "break_ties", ["break-ties"], {**P, "break_ties": True, "degree": 2})

    # ---------------------------------------------------------------- ties in the decision
    # 1-D data, symmetric about 0 (binary) or about -1 and 1 (three classes): test points on the
    # boundaries get a decision of exactly 0 and the three-way vote ties 1-1-1.
    xb = np.array([-3.0, -2.0, -1.5, 1.5, 2.0, 3.0])[:, None]
    yb = np.array([0, 0, 0, 1, 1, 1])
    tb = np.array([0.0, -0.5, 0.5, 1.5, -4.0])[:, None]
    add.fit("ties", "binary-midpoint", ["tie"], L, data=(xb, yb, tb))
    x3 = np.array([-4.0, -3.0, -0.5, 0.0, 0.5, 3.0, 4.0])[:, None]
    y3 = np.array([0, 0, 1, 1, 1, 2, 2])
    t3 = np.array([-1.75, 1.75, 0.0, -10.0, 10.0])[:, None]
    add.fit("ties", "three-class", ["tie"], L, data=(x3, y3, t3))
    add.fit("ties", "three-class-break_ties", ["tie", "break-ties"], {**L, "break_ties": True}, data=(x3, y3, t3))
    add.fit("ties", "three-class-ovo", ["tie", "ovo"], {**L, "decision_function_shape": "ovo"}, data=(x3, y3, t3))
    xt = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 1.0], [-1.0, -1.0]])
    yt = np.array([0, 1, 2, 0, 1, 2])
    add.fit("ties", "cycle", ["tie"], {**R, "gamma": 0.5}, data=(xt, yt, np.array([[0.0, 0.0], [0.5, 0.5]])))

    # ---------------------------------------------------------------- duplicate points
    X, y, Xc = _split("mc_binary")
    add.fit("mc_binary-dup", "stacked", ["duplicates"], R, data=(np.vstack([X, X]), np.concatenate([y, y]), Xc))
    add.fit("mc_binary-dup", "conflicting", ["duplicates"], L,
            data=(np.vstack([X, X[:10]]), np.concatenate([y, 1 - y[:10]]), Xc))

    # ---------------------------------------------------------------- precomputed (integer data: X X^T exact)
    Xi, yi, Xci = _int_split("mc_multi3")
    add.fit("mc_multi3-int", "gram", ["precomputed"], {"kernel": "precomputed"}, data=(Xi @ Xi.T, yi, Xci @ Xi.T))
    Xi, yi, Xci = _int_split("mc_binary")
    # zero weights: support_ indexes the kept samples, and prediction reads X_test at those
    # indices (scikit-learn's quirk, reproduced)
    add.fit("mc_binary-int", "gram-zero-weights", ["precomputed", "sample-weight", "zero-weight"],
            {"kernel": "precomputed", "C": 0.01}, data=(Xi @ Xi.T, yi, Xci @ Xi.T), sw=add.weights(n_mcb, zeros=5))
    add.fit("mc_binary-int", "linear", ["precomputed-pair"], {**L, "C": 0.01}, data=(Xi, yi, Xci))

    # ---------------------------------------------------------------- paired with sklearn.svm.LinearSVC cases
    # Same data as the LinearSVC fixture's tight/iris-90x4/s3-hinge, tight/breast_cancer-90x10/auto-s2
    # and tight/iris12-60x4/s1-C10 (README: why the two estimators differ).
    add.fit("iris", "paired-linearsvc", ["paired-linearsvc"], L)
    add.fit("breast_cancer", "paired-linearsvc", ["paired-linearsvc"], L)
    add.fit("iris12", "paired-linearsvc-C10", ["paired-linearsvc"], {**L, "C": 10.0})

    # ---------------------------------------------------------------- the other OpenBLAS kernel set
    for split, params in (("digits5", L), ("digits5", R), ("wine", P), ("breast_cancer", L), ("mc_wide", L)):
        add.fit(split, "default", ["default"], params, blas_kernel="SkylakeX")

    # ---------------------------------------------------------------- found by the fuzzer (seed 1)
    # Case 273: one X entry at the largest double makes dot products overflow to inf, so Q holds
    # inf and G NaN; libsvm's sequential `>=` / `<=` comparisons skip the NaNs (the mirror's
    # vectorised max/min propagated them and stopped after 1 iteration instead of 436).
    X, y, Xc = _split("mc_imbalanced")
    Xo = X.copy()
    Xo[27, 3] = np.finfo(np.float64).max
    add.fit("mc_imbalanced-overflow", "balanced", ["fuzz", "overflow", "class-weight-balanced"],
            {**L, "class_weight": "balanced"}, data=(Xo, y, Xc))
    # Case 210: scikit-learn does not check sample_weight; libsvm drops a NaN weight like a zero.
    X, y, Xc = _split("breast_cancer")
    sw = np.ones(len(y))
    sw[73] = NAN
    add.fit("breast_cancer", "sample-weight-nan", ["fuzz", "sample-weight", "nan"], L, sw=sw)

    # ---------------------------------------------------------------- CSR input (libsvm's sparse kernels)
    # X and X_test go to scikit-learn as scipy.sparse.csr_array: svm_csr sums the products of
    # matching indices in order (no BLAS), rbf prediction walks both rows, and gamma='scale' is
    # X.multiply(X).mean() - X.mean()**2. A fifth of mc_binary and half of digits are zeros.
    for split, params in (("mc_binary", L), ("mc_binary", R), ("digits5", R), ("digits5", P), ("iris", S),
                          ("mc_multi3", {**R, "gamma": "auto", "C": 10.0})):
        add.fit(split, "default", ["default"], params, csr=True)
    add.fit("mc_multi3", "sample-weight-zeros", ["sample-weight", "zero-weight"], L, sw=add.weights(n_m3, zeros=6),
            csr=True)
    Xi, yi, Xci = _int_split("mc_binary")
    add.fit("mc_binary-int", "linear", ["precomputed-pair"], {**L, "C": 0.01}, data=(Xi, yi, Xci), csr=True)

    # ---------------------------------------------------------------- errors
    for fault, params in (("C0", {"C": 0.0}), ("C-1", {"C": -1.0}), ("kernel-foo", {"kernel": "foo"}),
                          ("gamma-foo", {"gamma": "foo"}), ("gamma-negative", {"gamma": -1.0}),
                          ("degree-negative", {"kernel": "poly", "degree": -1}), ("tol0", {"tol": 0.0}),
                          ("max_iter-2", {"max_iter": -2}),
                          ("decision_function_shape-foo", {"decision_function_shape": "foo"}),
                          ("class_weight-foo", {"class_weight": "foo"}),
                          ("class_weight-unknown-label", {"class_weight": {"0": 2.0, "5": 1.0}}),
                          ("break_ties-ovo", {"break_ties": True, "decision_function_shape": "ovo"}),
                          # a class weight of 0 gives its samples C_i = 0: libsvm's rho of a
                          # problem without free variables is then infinite, and fit refuses it
                          ("class_weight-zero", {"kernel": "poly", "class_weight": {"2": 0.0}})):
        add.error("mc_multi3", fault, "invalid_parameter", params)
    X, y, Xc = _split("mc_multi3")
    Xn = X.copy()
    Xn[3, 1] = NAN
    add.error("mc_multi3", "X-nan", "invalid_parameter", {}, {"X": Xn, "y": y, "X_test": Xc[:5]})
    Xn = X.copy()
    Xn[5, 0] = INF
    add.error("mc_multi3", "X-inf", "invalid_parameter", {}, {"X": Xn, "y": y, "X_test": Xc[:5]})
    add.error("mc_multi3", "one-class", "invalid_target", {}, {"X": X, "y": np.zeros_like(y), "X_test": Xc[:5]})
    add.error("mc_multi3", "y-rows", "shape_mismatch", {}, {"X": X, "y": y[:-1], "X_test": Xc[:5]})
    add.error("mc_multi3", "precomputed-not-square", "shape_mismatch", {"kernel": "precomputed"})
    add.error("mc_multi3", "sample_weight-length", "shape_mismatch", {},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.ones(len(y) - 1)})
    add.error("mc_multi3", "sample_weight-all-zero", "invalid_parameter", {},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.zeros(len(y))})
    add.error("mc_multi3", "sample_weight-one-class-left", "invalid_parameter", {},
              {"X": X, "y": y, "X_test": Xc[:5], "sample_weight": np.where(y == 1, 1.0, 0.0)})
    add.error("mc_multi3", "X_test-width", "shape_mismatch", {}, {"X": X, "y": y, "X_test": Xc[:5, :4]})
    Xt = Xc[:5].copy()
    Xt[2, 3] = NAN
    add.error("mc_multi3", "X_test-nan", "invalid_parameter", {}, {"X": X, "y": y, "X_test": Xt})
    # fuzz seed 1, case 321: with rbf the overflow makes gamma='scale' NaN and the intercepts
    # non-finite, which fit refuses
    X4, y4, Xc4 = _split("mc_4class")
    X4 = X4.copy()
    X4[34, 4] = np.finfo(np.float64).max
    add.error("mc_4class", "rbf-overflow-not-finite", "invalid_parameter", {**R, "C": 1000.0},
              {"X": X4, "y": y4, "X_test": Xc4[:5]})
    X3, y3, Xc3 = _int_split("mc_multi3")
    add.cases.add("error/mc_multi3-int-120x120/precomputed-csr", ["error", "sparse"], {"kernel": "precomputed"},
                  {"X": X3 @ X3.T, "y": y3, "X_test": Xc3[:5] @ X3.T}, error="invalid_parameter",
                  context={"blas_kernel": DEFAULT_BLAS_KERNEL, "input": "csr"})
    add.error("mc_multi3", "X-empty", "shape_mismatch", {}, {"X": X[:0], "y": y[:0], "X_test": Xc[:5]})
    add.error("mc_multi3", "X-no-features", "shape_mismatch", {}, {"X": X[:, :0], "y": y, "X_test": Xc[:5, :0]})


SUITES: dict[str, Suite] = {"sklearn.svm.SVC": Suite("sklearn.svm.SVC", svc, _build, TOLERANCE, FRAMEWORK,
                                                     run=run_svc)}


# =========================================================================== worker

def _serve() -> None:
    from .sklearn import scipy_openblas_architecture
    architecture = scipy_openblas_architecture()

    def handle(request: dict) -> dict:
        return {"architecture": architecture, **worker_outputs(_fit_here, request)}

    serve_worker(handle)


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
