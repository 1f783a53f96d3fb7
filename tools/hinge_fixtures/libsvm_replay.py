"""NumPy-only replay of the libsvm C-SVC behind scikit-learn 1.9.1's SVC (svm/src/libsvm/svm.cpp
as https://github.com/scikit-learn/scikit-learn/tree/1.9.1/sklearn/svm/src/libsvm has it, dense
representation). Used by mirrors/sklearn_svc.py (the NumPy mirror `--check` runs) and the
fuzzer's harness. Nothing here imports scikit-learn or SciPy.

What it reproduces, step by step:

* `svm_train`: samples with weight <= 0 dropped (`remove_zero_weight`; `support_` then
  indexes the remaining samples, a scikit-learn quirk), samples grouped by class index
  (stable), `weighted_C[k] = C * class_weight[k]`, one binary problem per pair i < j with
  class i as +1 (Cp = weighted_C[i]) and class j as -1 (Cn = weighted_C[j]), per-sample
  upper bounds C_k = W_k * (Cp | Cn), and the sv_coef / nSV / SV layout.
* `Solver::Solve`: SMO with WSS3 (`select_working_set`: the last index reaching the max of
  -y G over I_up, then the last index reaching the min of -(b^2)/a over I_low), the clipped
  two-variable update, `do_shrinking` every min(l, 1000) iterations with its one-time
  unshrink at Gmax1 + Gmax2 <= 10 eps, `reconstruct_gradient` in both of its summation
  orders, `calculate_rho`, `max_iter` (-1: none).
* The Q matrix in `Qfloat` = float32: `(float)(y_i y_j K(x_i, x_j))`; QD (the diagonal) in
  double. The kernel cache only stores these columns, so it is not modelled: results do not
  depend on `cache_size`.
* Kernels as `Kernel::kernel_*` (training) and `Kernel::k_function` (prediction) compute
  them: dense dot products are SciPy's OpenBLAS `ddot` (rounded per kernel set by
  openblas_level1), `powi` by squaring, rbf `exp(-gamma*((xx_i + xx_j) - 2 x_i.x_j))` in
  training but `exp(-gamma * ddot(x - sv, x - sv))` in prediction, sigmoid `tanh`, both
  from libm (math.exp / math.tanh: CPython calls the same libm). Arithmetic is double
  without FMA, as the wheel builds svm.cpp for baseline x86-64.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import openblas_level1 as ob

TAU = 1e-12
LOWER, UPPER, FREE = 0, 1, 2
KERNELS = ("linear", "poly", "rbf", "sigmoid", "precomputed")


# --------------------------------------------------------------------------- kernels

def gram(A: np.ndarray, B: np.ndarray, blas_kernel: str) -> np.ndarray:
    """G[i, j] = ddot(A[i], B[j]) rounded as OpenBLAS's single-thread ddot (openblas_level1.
    _dot_kernel), vectorised over the pairs (rows are short: no thread split)."""
    ob.check_kernel(blas_kernel)
    A = np.asarray(A, np.float64)
    B = np.asarray(B, np.float64)
    la, lb, n = A.shape[0], B.shape[0], A.shape[1]
    if n > ob.DOT_THREAD_THRESHOLD:
        return np.array([[ob.ddot(a, b, blas_kernel) for b in B] for a in A]).reshape(la, lb)
    x = np.broadcast_to(A[:, None, :], (la, lb, n))
    y = np.broadcast_to(B[None, :, :], (la, lb, n))
    n1 = n & -16
    dot = np.zeros((la, lb))
    if n1:
        if blas_kernel == "SkylakeX":
            n32 = n1 & ~31
            wide = np.zeros((la, lb, 32))
            for i in range(0, n32, 32):
                wide = ob.fma(x[..., i:i + 32], y[..., i:i + 32], wide)
            acc = wide.reshape(la, lb, 4, 2, 4)
            acc = acc[..., 0, :] + acc[..., 1, :]
            for i in range(n32, n1, 16):
                acc = ob.fma(x[..., i:i + 16].reshape(la, lb, 4, 4), y[..., i:i + 16].reshape(la, lb, 4, 4), acc)
            lanes = ((acc[..., 0, :] + acc[..., 1, :]) + acc[..., 2, :]) + acc[..., 3, :]
            half = lanes[..., :2] + lanes[..., 2:]
            dot = half[..., 0] + half[..., 1]
        else:
            acc = np.zeros((la, lb, 4, 4))
            for i in range(0, n1, 16):
                acc = ob.fma(x[..., i:i + 16].reshape(la, lb, 4, 4), y[..., i:i + 16].reshape(la, lb, 4, 4), acc)
            h = acc[..., :2] + acc[..., 2:]
            t = (h[..., 0, :] + h[..., 1, :]) + (h[..., 2, :] + h[..., 3, :])
            dot = t[..., 0] + t[..., 1]
    for i in range(n1, n):
        if blas_kernel == "SkylakeX":
            dot = ob.fma(y[..., i], x[..., i], dot)
        else:
            dot = dot + y[..., i] * x[..., i]
    return np.asarray(dot, np.float64).reshape(la, lb)


def powi(base: float, times: int) -> float:
    """svm.cpp's powi: binary exponentiation, ret *= tmp on odd bits, tmp squared each step."""
    tmp, ret = float(base), 1.0
    t = times
    while t > 0:
        if t % 2 == 1:
            ret = ret * tmp
        tmp = tmp * tmp
        t //= 2
    return ret


@dataclass(frozen=True)
class KernelParams:
    kernel: str
    degree: int
    gamma: float
    coef0: float
    blas_kernel: str


def _from_dots(dots: np.ndarray, kp: KernelParams, sq_a=None, sq_b=None) -> np.ndarray:
    out = np.empty(dots.shape)
    g, c0 = float(kp.gamma), float(kp.coef0)
    for idx, d in np.ndenumerate(dots):
        d = float(d)
        if kp.kernel == "linear":
            out[idx] = d
        elif kp.kernel == "poly":
            out[idx] = powi(g * d + c0, kp.degree)
        elif kp.kernel == "rbf":
            out[idx] = math.exp(-g * ((float(sq_a[idx[0]]) + float(sq_b[idx[1]])) - 2 * d))
        else:
            out[idx] = math.tanh(g * d + c0)
    return out


def train_kernel(X: np.ndarray, orig: np.ndarray, kp: KernelParams) -> np.ndarray:
    """K[i, j] = Kernel::kernel_function(i, j) over the kept samples (rows of X in `orig`
    order). Precomputed: X_full[orig_i, orig_j] (x[j].ind is the row in the full X)."""
    if kp.kernel == "precomputed":
        return np.asarray(X, np.float64)[np.ix_(orig, orig)]
    Xs = np.asarray(X, np.float64)[orig]
    dots = gram(Xs, Xs, kp.blas_kernel)
    sq = np.diagonal(dots).copy() if kp.kernel == "rbf" else None   # x_square[i] = dot(x_i, x_i)
    return _from_dots(dots, kp, sq, sq)


def predict_kernel(X_test: np.ndarray, SV: np.ndarray, support: np.ndarray, kp: KernelParams) -> np.ndarray:
    """kvalue[t, s] = Kernel::k_function(x_t, SV_s): rbf sums the squared difference with
    ddot; precomputed reads X_test[t, support_[s]]."""
    X_test = np.asarray(X_test, np.float64)
    if kp.kernel == "precomputed":
        return X_test[:, np.asarray(support, np.int64)]
    if kp.kernel == "rbf":
        out = np.empty((X_test.shape[0], SV.shape[0]))
        for t in range(X_test.shape[0]):
            d = X_test[t][None, :] - SV
            sums = np.array([gram(d[s:s + 1], d[s:s + 1], kp.blas_kernel)[0, 0] for s in range(SV.shape[0])])
            for s in range(SV.shape[0]):
                out[t, s] = math.exp(-float(kp.gamma) * float(sums[s]))
        return out
    return _from_dots(gram(X_test, SV, kp.blas_kernel), kp)


# --------------------------------------------------------------------------- sparse (svm_csr)

def csr_rows(X: np.ndarray) -> list:
    """scipy.sparse.csr_array(X) after sort_indices(): per row the (columns, values) of its
    non-zeros in column order (libsvm's svm_csr_node lists)."""
    X = np.asarray(X, np.float64)
    return [(np.flatnonzero(r), r[np.flatnonzero(r)]) for r in X]


def _sparse_dot(a, b) -> float:
    """svm_csr Kernel::dot: the products of matching indices, summed in index order."""
    (ia, va), (ib, vb) = a, b
    s, p, q = 0.0, 0, 0
    while p < len(ia) and q < len(ib):
        if ia[p] == ib[q]:
            s += float(va[p]) * float(vb[q])
            p += 1
            q += 1
        elif ia[p] > ib[q]:
            q += 1
        else:
            p += 1
    return s


def _sparse_rbf_sum(a, b) -> float:
    """svm_csr k_function's rbf sum: (x - y)^2 where both have an index, x^2 or y^2 where one
    has, in index order, then the rest of x, then the rest of y."""
    (ia, va), (ib, vb) = a, b
    s, p, q = 0.0, 0, 0
    while p < len(ia) and q < len(ib):
        if ia[p] == ib[q]:
            d = float(va[p]) - float(vb[q])
            s += d * d
            p += 1
            q += 1
        elif ia[p] > ib[q]:
            s += float(vb[q]) * float(vb[q])
            q += 1
        else:
            s += float(va[p]) * float(va[p])
            p += 1
    while p < len(ia):
        s += float(va[p]) * float(va[p])
        p += 1
    while q < len(ib):
        s += float(vb[q]) * float(vb[q])
        q += 1
    return s


def sparse_train_kernel(rows: list, kp: KernelParams) -> np.ndarray:
    n = len(rows)
    dots = np.array([[_sparse_dot(rows[i], rows[j]) for j in range(n)] for i in range(n)]).reshape(n, n)
    sq = np.diagonal(dots).copy() if kp.kernel == "rbf" else None
    return _from_dots(dots, kp, sq, sq)


def sparse_predict_kernel(test_rows: list, sv_rows: list, kp: KernelParams) -> np.ndarray:
    out = np.empty((len(test_rows), len(sv_rows)))
    for t, x in enumerate(test_rows):
        for s, v in enumerate(sv_rows):
            if kp.kernel == "rbf":
                out[t, s] = math.exp(-float(kp.gamma) * _sparse_rbf_sum(x, v))
            else:
                out[t, s] = _from_dots(np.array([[_sparse_dot(x, v)]]), kp)[0, 0]
    return out


def sparse_scale_gamma(X: np.ndarray) -> float:
    """gamma='scale' on sparse X: X.multiply(X).mean() - X.mean() ** 2, scipy's mean being the
    pairwise np.sum of data * (1 / (n * d))."""
    X = np.asarray(X, np.float64)
    data = X[X != 0]                               # csr data, row by row
    inv = 1.0 / (X.shape[0] * X.shape[1])
    sq = data * data
    sq = sq[sq != 0]                               # the elementwise product drops zeros it makes
    mean_sq = np.sum(sq * inv) if sq.size else 0.0
    mean = np.sum(data * inv) if data.size else 0.0
    var = float(mean_sq) - float(mean) ** 2
    return 1.0 / (X.shape[1] * var) if var != 0 else 1.0


# --------------------------------------------------------------------------- the solver

def _last_max(values: np.ndarray, eligible: np.ndarray) -> tuple[float, int]:
    """C's `for t: if (eligible[t] && values[t] >= best) { best = values[t]; idx = t; }` from
    best = -INF, idx = -1: NaN never qualifies, and ties go to the last index."""
    with np.errstate(invalid="ignore"):
        ok = np.asarray(eligible, bool) & ~np.isnan(values)
    if not ok.any():
        return -math.inf, -1
    m = values[ok].max()
    return float(m), int(np.flatnonzero(ok & (values == m))[-1])


@dataclass
class Solution:
    alpha: np.ndarray      # in the sub-problem's order, signed (alpha_i * y_i)
    rho: float
    n_iter: int
    timed_out: bool


def solve(K: np.ndarray, y: np.ndarray, C: np.ndarray, eps: float, shrinking: bool, max_iter: int) -> Solution:
    """Solver::Solve for C-SVC (p = -1, alpha = 0 at the start) on the kernel matrix K of
    the sub-problem (K[i, j] = kernel(i, j)), labels y = +-1 and upper bounds C."""
    l = len(y)
    ysub = np.asarray(y, np.int64)
    Qf = (ysub[:, None] * ysub[None, :] * K).astype(np.float32).astype(np.float64)   # (Qfloat) then widened
    Kd = np.diagonal(K).astype(np.float64).copy()
    a = np.arange(l)                      # active_set: position -> sub-problem index
    yv = ysub.astype(np.int64).copy()
    Cv = np.asarray(C, np.float64).copy()
    alpha = np.zeros(l)
    p = -np.ones(l)
    G = p.copy()
    G_bar = np.zeros(l)
    status = np.full(l, LOWER, np.int64)  # alpha = 0 <= 0; C > 0 for kept samples
    for i in range(l):
        status[i] = UPPER if alpha[i] >= Cv[i] else (LOWER if alpha[i] <= 0 else FREE)
    st = {"active": l, "unshrink": False}

    def update_status(i):
        status[i] = UPPER if alpha[i] >= Cv[i] else (LOWER if alpha[i] <= 0 else FREE)

    def Qrow(i, length):
        return Qf[a[i], a[:length]]

    def swap(i, j):
        for arr in (a, yv, G, status, alpha, p, G_bar, Cv):
            arr[i], arr[j] = arr[j], arr[i]

    def reconstruct():
        A = st["active"]
        if A == l:
            return
        G[A:] = G_bar[A:] + p[A:]
        free = np.flatnonzero(status[:A] == FREE)
        nr_free = len(free)
        if nr_free * l > 2 * A * (l - A):
            for j in free:                # G[i] += alpha[j] * Q_i[j], i inactive, j ascending
                G[A:] = G[A:] + alpha[j] * Qf[a[A:], a[j]]
        else:
            for i in free:                # G[j] += alpha_i * Q_i[j]
                G[A:] = G[A:] + alpha[i] * Qf[a[i], a[A:]]

    def select():
        # C's sequential `if (v >= best) best = v` from -INF: NaN never wins, ties go to the
        # last index; `obj_diff <= min` from +INF likewise.
        A = st["active"]
        yA, GA, sA = yv[:A], G[:A], status[:A]
        up = np.where(yA == 1, sA != UPPER, sA != LOWER)
        val = np.where(yA == 1, -GA, GA)
        Gmax, imax = _last_max(val, up)
        low = np.where(yA == 1, sA != LOWER, sA != UPPER)
        cl = np.flatnonzero(low)
        Gmax2 = _last_max(np.where(yA == 1, GA, -GA), low)[0]
        jmin = -1
        if cl.size and imax != -1:
            grad_diff = np.where(yA[cl] == 1, Gmax + GA[cl], Gmax - GA[cl])
            Qi = Qrow(imax, A)[cl]
            yi2 = 2.0 * yv[imax]
            with np.errstate(all="ignore"):
                quad = np.where(yA[cl] == 1, (Kd[a[imax]] + Kd[a[cl]]) - yi2 * Qi, (Kd[a[imax]] + Kd[a[cl]]) + yi2 * Qi)
                obj = np.where(quad > 0, -(grad_diff * grad_diff) / np.where(quad > 0, quad, 1.0),
                               -(grad_diff * grad_diff) / TAU)
                ok = grad_diff > 0
            m, k = _last_max(-obj, ok)
            if k != -1:
                jmin = int(cl[k])
        if Gmax + Gmax2 < eps or jmin == -1:
            return None
        return imax, jmin

    def be_shrunk(i, g1, g2):
        if status[i] == UPPER:
            return (-G[i] > g1) if yv[i] == 1 else (-G[i] > g2)
        if status[i] == LOWER:
            return (G[i] > g2) if yv[i] == 1 else (G[i] > g1)
        return False

    def do_shrinking():
        A = st["active"]
        yA, GA, sA = yv[:A], G[:A], status[:A]
        g1 = _last_max(np.where(yA == 1, -GA, GA), np.where(yA == 1, sA != UPPER, sA != LOWER))[0]
        g2 = _last_max(np.where(yA == 1, GA, -GA), np.where(yA == 1, sA != LOWER, sA != UPPER))[0]
        if not st["unshrink"] and g1 + g2 <= eps * 10:
            st["unshrink"] = True
            reconstruct()
            st["active"] = l
        i = 0
        while i < st["active"]:
            if be_shrunk(i, g1, g2):
                st["active"] -= 1
                while st["active"] > i:
                    if not be_shrunk(st["active"], g1, g2):
                        swap(i, st["active"])
                        break
                    st["active"] -= 1
            i += 1

    it = 0
    counter = min(l, 1000) + 1
    timed_out = False
    while True:
        if max_iter != -1 and it >= max_iter:
            timed_out = True
            break
        counter -= 1
        if counter == 0:
            counter = min(l, 1000)
            if shrinking:
                do_shrinking()
        ws = select()
        if ws is None:
            reconstruct()
            st["active"] = l
            ws = select()
            if ws is None:
                break
            counter = 1
        i, j = ws
        it += 1
        A = st["active"]
        Qi = Qrow(i, A)
        Qj = Qrow(j, A)
        Ci, Cj = float(Cv[i]), float(Cv[j])
        oi, oj = float(alpha[i]), float(alpha[j])
        ai, aj = oi, oj
        Qij = float(Qi[j])
        Gi, Gj = float(G[i]), float(G[j])
        QDi, QDj = float(Kd[a[i]]), float(Kd[a[j]])
        if yv[i] != yv[j]:
            quad = (QDi + QDj) + 2 * Qij
            if quad <= 0:
                quad = TAU
            delta = (-Gi - Gj) / quad
            diff = ai - aj
            ai += delta
            aj += delta
            if diff > 0:
                if aj < 0:
                    aj = 0.0
                    ai = diff
            else:
                if ai < 0:
                    ai = 0.0
                    aj = -diff
            if diff > Ci - Cj:
                if ai > Ci:
                    ai = Ci
                    aj = Ci - diff
            else:
                if aj > Cj:
                    aj = Cj
                    ai = Cj + diff
        else:
            quad = (QDi + QDj) - 2 * Qij
            if quad <= 0:
                quad = TAU
            delta = (Gi - Gj) / quad
            s = ai + aj
            ai -= delta
            aj += delta
            if s > Ci:
                if ai > Ci:
                    ai = Ci
                    aj = s - Ci
            else:
                if aj < 0:
                    aj = 0.0
                    ai = s
            if s > Cj:
                if aj > Cj:
                    aj = Cj
                    ai = s - Cj
            else:
                if ai < 0:
                    ai = 0.0
                    aj = s
        alpha[i], alpha[j] = ai, aj
        dai, daj = ai - oi, aj - oj
        G[:A] = G[:A] + (Qi * dai + Qj * daj)
        ui, uj = status[i] == UPPER, status[j] == UPPER
        update_status(i)
        update_status(j)
        if ui != (status[i] == UPPER):
            row = Qrow(i, l)
            G_bar[:] = G_bar - Ci * row if ui else G_bar + Ci * row
        if uj != (status[j] == UPPER):
            row = Qrow(j, l)
            G_bar[:] = G_bar - Cj * row if uj else G_bar + Cj * row

    # calculate_rho
    A = st["active"]
    yG = yv[:A] * G[:A]
    sA, yA = status[:A], yv[:A]
    ub_set = ((sA == UPPER) & (yA == -1)) | ((sA == LOWER) & (yA == 1))
    lb_set = ((sA == UPPER) & (yA == 1)) | ((sA == LOWER) & (yA == -1))
    free = sA == FREE
    if free.any():
        sum_free = 0.0
        for v in yG[free]:
            sum_free += float(v)
        rho = sum_free / int(free.sum())
    else:
        ub = math.inf
        for v in yG[ub_set]:
            ub = ub if ub < v else float(v)      # min(ub, yG) = (ub < yG) ? ub : yG
        lb = -math.inf
        for v in yG[lb_set]:
            lb = lb if lb > v else float(v)
        rho = (ub + lb) / 2
    out = np.zeros(l)
    out[a] = alpha
    out = out * ysub                     # alpha[i] *= y[i] (0 * -1 = -0.0, as in C)
    return Solution(out, float(rho), it, timed_out)


# --------------------------------------------------------------------------- svm_train

@dataclass
class Model:
    support: np.ndarray          # int32, indices into the kept samples
    sv_rows: np.ndarray          # rows of the full X of each support vector
    n_support: np.ndarray        # int32 per class
    dual_coef: np.ndarray        # (K-1, nSV) libsvm's sv_coef
    rho: np.ndarray              # per classifier
    n_iter: np.ndarray           # per classifier
    fit_status: int
    class_count: int


def train(X: np.ndarray, y_index: np.ndarray, W: np.ndarray, class_weight: np.ndarray, C: float,
          kp: KernelParams, tol: float, shrinking: bool, max_iter: int, sparse: bool = False) -> Model:
    """svm_train for C_SVC on class indices 0..K-1 (scikit-learn's encoded y)."""
    keep = np.flatnonzero(np.asarray(W, np.float64) > 0)          # remove_zero_weight
    yk = np.asarray(y_index, np.int64)[keep]
    Wk = np.asarray(W, np.float64)[keep]
    labels = sorted(set(int(v) for v in yk))                       # svm_group_classes sorts them
    K = len(labels)
    data_label = np.array([labels.index(int(v)) for v in yk], dtype=np.int64)
    perm = np.concatenate([np.flatnonzero(data_label == c) for c in range(K)]).astype(np.int64)
    count = np.array([int((data_label == c).sum()) for c in range(K)])
    start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    Wp = Wk[perm]
    weighted_C = np.array([C * float(class_weight[lab]) if lab < len(class_weight) else C for lab in labels])
    if len(class_weight) == 0:
        weighted_C = np.full(K, float(C))
    if sparse:
        rows = csr_rows(X)
        Kfull = sparse_train_kernel([rows[r] for r in keep[perm]], kp)
    else:
        Kfull = train_kernel(X, keep[perm], kp)                    # in grouped order
    nonzero = np.zeros(len(perm), bool)
    fs = []
    status = 0
    for i in range(K):
        for j in range(i + 1, K):
            idx = np.concatenate((np.arange(start[i], start[i] + count[i]), np.arange(start[j], start[j] + count[j])))
            ysub = np.concatenate((np.ones(count[i], np.int64), -np.ones(count[j], np.int64)))
            Csub = np.concatenate((Wp[start[i]:start[i] + count[i]] * weighted_C[i],
                                   Wp[start[j]:start[j] + count[j]] * weighted_C[j]))
            sol = solve(Kfull[np.ix_(idx, idx)], ysub, Csub, tol, shrinking, max_iter)
            status |= int(sol.timed_out)
            nonzero[idx[np.abs(sol.alpha) > 0]] = True
            fs.append(sol)
    nz_count = np.array([int(nonzero[start[c]:start[c] + count[c]].sum()) for c in range(K)])
    nz_start = np.concatenate(([0], np.cumsum(nz_count)[:-1])).astype(np.int64)
    total = int(nz_count.sum())
    sv_pos = np.flatnonzero(nonzero)
    coef = np.zeros((K - 1, total))
    p = 0
    for i in range(K):
        for j in range(i + 1, K):
            ai = fs[p].alpha
            q = nz_start[i]
            for k in range(count[i]):
                if nonzero[start[i] + k]:
                    coef[j - 1, q] = ai[k]
                    q += 1
            q = nz_start[j]
            for k in range(count[j]):
                if nonzero[start[j] + k]:
                    coef[i, q] = ai[count[i] + k]
                    q += 1
            p += 1
    return Model(support=perm[sv_pos].astype(np.int32), sv_rows=keep[perm[sv_pos]], n_support=nz_count.astype(np.int32),
                 dual_coef=coef, rho=np.array([f.rho for f in fs]), n_iter=np.array([f.n_iter for f in fs], np.int32),
                 fit_status=status, class_count=K)


def decision_values(model: Model, kvalue: np.ndarray, rho_predict: np.ndarray) -> np.ndarray:
    """svm_predict_values: per classifier (i, j) the sum over class i's then class j's
    support vectors of coef * kvalue, sequentially, minus rho."""
    K = model.class_count
    start = np.concatenate(([0], np.cumsum(model.n_support)[:-1])).astype(np.int64)
    out = np.zeros((kvalue.shape[0], K * (K - 1) // 2))
    for t in range(kvalue.shape[0]):
        p = 0
        for i in range(K):
            for j in range(i + 1, K):
                s = 0.0
                for k in range(model.n_support[i]):
                    s += float(model.dual_coef[j - 1, start[i] + k]) * float(kvalue[t, start[i] + k])
                for k in range(model.n_support[j]):
                    s += float(model.dual_coef[i, start[j] + k]) * float(kvalue[t, start[j] + k])
                s -= float(rho_predict[p])
                out[t, p] = s
                p += 1
    return out


def vote(dec: np.ndarray, K: int) -> np.ndarray:
    """svm_predict's vote: dec > 0 votes for i, else j; the first class with most votes."""
    out = np.zeros(dec.shape[0], np.int64)
    for t in range(dec.shape[0]):
        votes = [0] * K
        p = 0
        for i in range(K):
            for j in range(i + 1, K):
                if dec[t, p] > 0:
                    votes[i] += 1
                else:
                    votes[j] += 1
                p += 1
        best = 0
        for c in range(1, K):
            if votes[c] > votes[best]:
                best = c
        out[t] = best
    return out


def ovr_decision_function(predictions: np.ndarray, confidences: np.ndarray, n_classes: int) -> np.ndarray:
    """sklearn.utils.multiclass._ovr_decision_function."""
    n = predictions.shape[0]
    votes = np.zeros((n, n_classes))
    sums = np.zeros((n, n_classes))
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            sums[:, i] -= confidences[:, k]
            sums[:, j] += confidences[:, k]
            votes[predictions[:, k] == 0, i] += 1
            votes[predictions[:, k] == 1, j] += 1
            k += 1
    return votes + sums / (3 * (np.abs(sums) + 1))
