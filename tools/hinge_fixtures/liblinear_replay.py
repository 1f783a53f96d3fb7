"""NumPy-only replay of the LIBLINEAR solvers behind scikit-learn 1.9.1's LinearSVC, and
certified optima of the same problems. Used by mirrors/sklearn.py (the NumPy mirror, which
is what `generate_fixtures.py --check` runs) and by tools/tests/test_sklearn_mirror.py.
Nothing here imports scikit-learn or SciPy.

Two ways to get a model from the same data:

* `replay(...)` runs liblinear's own algorithm step by step, as built in scikit-learn
  1.9.1 (svm/src/liblinear/linear.cpp): zero-weight samples dropped, samples grouped by
  class, the seed `RandomState(random_state).randint(2**31 - 1)`, mt19937 with Lemire's
  bounded draw, the same Fisher-Yates permutation, shrinking and stopping rules, and
  sequential double sums without FMA (plain Python floats). For solvers 1 and 3 (dual
  coordinate descent), 4 (Crammer-Singer) and 5 (L1-regularized CDN) it reproduces
  coef_, intercept_ and n_iter_ bit for bit. It follows the reference replays in the
  project's design notes (Python transcriptions of liblinear's linear.cpp and tron.cpp as
  https://github.com/scikit-learn/scikit-learn/tree/1.9.1/sklearn/svm/src/liblinear has them), with
  sample and class weights added to the primal and Crammer-Singer solvers the way
  linear.cpp applies them (C_i = W_i * Cp|Cn, and W_i * weighted_C[y_i] for CS).
  Solver 2 (TRON) is replayed bit for bit too (`tron_replay`), given the OpenBLAS kernel
  set scikit-learn's SciPy ran (`blas_kernel`, see openblas_level1): its result at a
  loose tolerance depends on that rounding.

* `optimum(...)` returns the exact minimiser of the problem (what any solver reaches at
  a tight tolerance) together with a certificate that it is one, and raises
  `NotCertified` when the certificate fails its bound:

    squared hinge, L2 (solvers 1, 2)  primal Newton with the generalized Hessian, which ends
        on the exact minimiser of a piecewise quadratic. P is 1-strongly convex in the
        variables w~ = [w; w_b], so ||w~ - w~*|| <= ||grad P(w~)||. Bound: 1e-9.
    hinge, L2 (solver 3) and Crammer-Singer (solver 4)  a dense primal-dual interior-point
        method on the dual QP (`qp_interior_point`; the replayed coordinate descent at
        tolerance 1e-6, then 1e-8, is the fall-back) tells which dual variables sit at a
        bound (alphas at 0 or C; per CS sample, its support classes and whether
        alpha_i^y = C_i); the equality-constrained problem on that face is then solved
        exactly by least squares with iterative refinement ("polishing"), the sets are
        corrected until the KKT conditions hold, and the duality gap of the primal-dual
        pair (w(alpha), alpha) is summed from its non-negative complementarity terms.
        1-strong convexity gives ||w~ - w~*|| <= sqrt(2 * gap) (Frobenius norm over all
        classes for CS). Bound: 2e-6 (the gap of a pair rounded to doubles has a floor
        near 1e-14 to 1e-12, hence a radius floor near 1e-7 to 1e-6; 2e-6 is still 5 times
        below the fixtures' atol 1e-5).
    L1-regularized squared hinge (solver 5)  the replay (tolerance 1e-4, then 1e-6, 1e-8)
        identifies the support and the signs; Newton on that support finishes it. The certificate is the KKT system:
        |g_j + sign(w_j)| <= 1e-9 on the support, |g_j| <= 1 - 1e-7 off it (strict
        complementarity) and a positive definite Hessian on the support (smallest
        eigenvalue >= 1e-8), which together make the minimiser unique. This certifies
        stationarity, not a distance.

* `tron(...)` emulates solver 2's TRON run step for step with NumPy's rounding (not
  OpenBLAS's, so not bit for bit; cheaper than `tron_replay`), and `tron_radius(...)` uses it to tell whether
  scikit-learn's tight run is expected to end at the optimum at all: on ill-conditioned
  data it can stop at max_iter far from it, and the mirror then raises NotCertified
  rather than give the optimum as scikit-learn's result.

Notation: the variables are w~ = [w; w_b] with the bias feature x~_i = [x_i; s], s =
intercept_scaling (the bias is regularized like any weight); intercept_ = s * w_b.
C_i = W_i * Cp for y_i = +1, W_i * Cn otherwise: binary Cp = C*cw[1], Cn = C*cw[0];
one-vs-rest row k Cp = C*cw[k], Cn = C (the plain C, liblinear's quirk); Crammer-Singer
C_i = W_i * C*cw[y_i]. Samples with W_i <= 0 are dropped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .contract import CannotJudge

INF = math.inf
CS_MAX_ITER = 100000            # Solver_MCSVM_CS's hard cap (scikit-learn passes no max_iter to it)
SQ_HINGE_BOUND = 1e-9           # ||grad P|| bound of the squared-hinge optimum
DUAL_RADIUS_BOUND = 2e-6           # sqrt(2 gap) bound for hinge and Crammer-Singer
L1_KKT_BOUND = 1e-9             # |g_j + sign(w_j)| on the support
L1_STRICT_MARGIN = 1e-7         # |g_j| <= 1 - margin off the support
L1_MIN_EIGENVALUE = 1e-8        # restricted Hessian
SOLVERS = (1, 2, 3, 4, 5)


class Unsupported(CannotJudge):
    """Inputs the replay does not model (scikit-learn's result there is a broken model)."""


class NotCertified(CannotJudge, AssertionError):
    """The optimum's certificate failed its documented bound."""


# =========================================================================== RNG

def liblinear_seed(random_state: int) -> int:
    """The seed _fit_liblinear passes to liblinear: rnd.randint(np.iinfo('i').max)."""
    return int(np.random.RandomState(random_state).randint(np.iinfo(np.int32).max))


class MT19937:
    """std::mt19937 seeded with `seed` (NumPy's RandomState uses the same init_genrand)
    and newrand.h's bounded_rand_int (Lemire's method, "tweaked")."""

    def __init__(self, seed: int):
        self._raw = np.random.RandomState(seed)._bit_generator.random_raw

    def next32(self) -> int:
        return int(self._raw())

    def bounded(self, rng: int) -> int:
        m = self.next32() * rng
        low = m & 0xFFFFFFFF
        if low < rng:
            t = (-rng) & 0xFFFFFFFF
            if t >= rng:
                t -= rng
                if t >= rng:
                    t %= rng
            while low < t:
                m = self.next32() * rng
                low = m & 0xFFFFFFFF
        return m >> 32


def _shuffle(index: list, active: int, mt: MT19937) -> None:
    """for i in 0..<active: j = i + bounded(active - i); swap(index[i], index[j])."""
    for i in range(active):
        j = i + mt.bounded(active - i)
        index[i], index[j] = index[j], index[i]


def _div(a: float, b: float) -> float:
    """a / b with IEEE semantics (Python raises on division by zero)."""
    try:
        return a / b
    except ZeroDivisionError:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(INF, a) * math.copysign(1.0, b)


# =========================================================================== problem

@dataclass
class Problem:
    """The training set as liblinear sees it after remove_zero_weight and group_classes."""
    K: int                      # number of classes (len(classes_))
    labels: list                # class index 0..K-1 per kept sample, grouped by class
    W: list                     # sample weight per kept sample (> 0)
    rows: list                  # per kept sample: (feature indices, values), non-zeros only, bias node last
    dense: np.ndarray           # (l, n) the same rows as a dense matrix (bias column included)
    n: int                      # number of variables: n_features + (bias > 0)
    bias: float                 # intercept_scaling, or -1 without an intercept
    weighted_C: np.ndarray      # C * class_weight_, per class
    C: float

    @property
    def l(self) -> int:
        return len(self.labels)


def make_problem(X: np.ndarray, y_index: np.ndarray, K: int, C: float, class_weight: np.ndarray,
                 sample_weight: np.ndarray | None, bias: float) -> Problem:
    X = np.asarray(X, dtype=np.float64)
    n_samples, d = X.shape
    W = np.ones(n_samples) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    keep = W > 0
    order = [i for k in range(K) for i in range(n_samples) if y_index[i] == k and keep[i]]
    present = {int(y_index[i]) for i in order}
    if len(present) != K:
        raise Unsupported("a class has no sample with a positive weight; scikit-learn then fits fewer rows "
                          "than classes_")
    n = d + (1 if bias > 0 else 0)
    dense = np.zeros((len(order), n))
    dense[:, :d] = X[order]
    if bias > 0:
        dense[:, d] = bias
    rows = []
    for r in dense:
        idx = [j for j in range(n) if r[j] != 0]
        rows.append((idx, [float(r[j]) for j in idx]))
    weighted_C = np.array([C * float(c) for c in class_weight])
    return Problem(K, [int(y_index[i]) for i in order], [float(W[i]) for i in order], rows, dense, n,
                   float(bias), weighted_C, float(C))


def subproblems(p: Problem, solver: int):
    """(y +-1 list, C_i list) per one-vs-rest row, in liblinear's order."""
    if p.K == 2:
        targets = [(1, float(p.weighted_C[1]), float(p.weighted_C[0]))]
    else:
        targets = [(k, float(p.weighted_C[k]), p.C) for k in range(p.K)]
    out = []
    for k, Cp, Cn in targets:
        ypm = [1 if c == k else -1 for c in p.labels]
        out.append((ypm, [w * (Cp if s > 0 else Cn) for w, s in zip(p.W, ypm)]))
    return out


def cs_costs(p: Problem) -> list:
    return [w * float(p.weighted_C[c]) for w, c in zip(p.W, p.labels)]


# =========================================================================== solvers 1 and 3

def dual_cd(rows, ypm, Cv, n, eps, loss, max_iter, mt):
    """solve_l2r_l1l2_svc: returns (w, alpha, iterations)."""
    l = len(rows)
    if loss == "hinge":
        diag = [0.0] * l
        ub = list(Cv)
    else:
        diag = [0.5 / c for c in Cv]
        ub = [INF] * l
    alpha = [0.0] * l
    w = [0.0] * n
    QD = []
    for i in range(l):
        q = diag[i]
        for v in rows[i][1]:
            q += v * v
        QD.append(q)
    index = list(range(l))
    active = l
    PGmax_old, PGmin_old = INF, -INF
    it = 0
    while it < max_iter:
        PGmax_new, PGmin_new = -INF, INF
        _shuffle(index, active, mt)
        s = 0
        while s < active:
            i = index[s]
            yi = ypm[i]
            idx, val = rows[i]
            G = 0.0
            for j, v in zip(idx, val):
                G += w[j] * v
            G = G * yi - 1
            C = ub[i]
            G += alpha[i] * diag[i]
            PG = 0.0
            a = alpha[i]
            if a == 0:
                if G > PGmax_old:
                    active -= 1
                    index[s], index[active] = index[active], index[s]
                    continue
                elif G < 0:
                    PG = G
            elif a == C:
                if G < PGmin_old:
                    active -= 1
                    index[s], index[active] = index[active], index[s]
                    continue
                elif G > 0:
                    PG = G
            else:
                PG = G
            PGmax_new = max(PGmax_new, PG)
            PGmin_new = min(PGmin_new, PG)
            if abs(PG) > 1.0e-12:
                anew = min(max(a - _div(G, QD[i]), 0.0), C)
                alpha[i] = anew
                d = (anew - a) * yi
                for j, v in zip(idx, val):
                    w[j] += d * v
            s += 1
        it += 1
        if PGmax_new - PGmin_new <= eps:
            if active == l:
                break
            active = l
            PGmax_old, PGmin_old = INF, -INF
            continue
        PGmax_old, PGmin_old = PGmax_new, PGmin_new
        if PGmax_old <= 0:
            PGmax_old = INF
        if PGmin_old >= 0:
            PGmin_old = -INF
    return w, alpha, it


# =========================================================================== solver 5

def l1r_l2_svc(rows, ypm, Cv, n, eps, max_iter, mt):
    """solve_l1r_l2_svc on the transposed data: returns (w, iterations). `eps` is the
    primal tolerance tol * max(min(#pos, #neg), 1) / l."""
    l = len(rows)
    cols = [([], []) for _ in range(n)]
    for i, (idx, val) in enumerate(rows):
        for j, v in zip(idx, val):
            cols[j][0].append(i)
            cols[j][1].append(v * ypm[i])          # x->value *= y[ind]
    w = [0.0] * n
    b = [1.0] * l
    xj_sq = [0.0] * n
    for j in range(n):
        q = 0.0
        for i, v in zip(*cols[j]):
            q += Cv[i] * v * v
        xj_sq[j] = q
    index = list(range(n))
    active = n
    Gmax_old = INF
    Gnorm1_init = -1.0
    it = 0
    sigma = 0.01
    loss_old = 0.0
    while it < max_iter:
        Gmax_new = 0.0
        Gnorm1_new = 0.0
        _shuffle(index, active, mt)
        s = 0
        while s < active:
            j = index[s]
            ci, cv = cols[j]
            G_loss = 0.0
            H = 0.0
            for i, v in zip(ci, cv):
                if b[i] > 0:
                    tmp = Cv[i] * v
                    G_loss -= tmp * b[i]
                    H += tmp * v
            G_loss *= 2
            G = G_loss
            H *= 2
            H = max(H, 1e-12)
            Gp = G + 1
            Gn = G - 1
            violation = 0.0
            wj = w[j]
            if wj == 0:
                if Gp < 0:
                    violation = -Gp
                elif Gn > 0:
                    violation = Gn
                elif Gp > Gmax_old / l and Gn < -Gmax_old / l:
                    active -= 1
                    index[s], index[active] = index[active], index[s]
                    continue
            elif wj > 0:
                violation = abs(Gp)
            else:
                violation = abs(Gn)
            Gmax_new = max(Gmax_new, violation)
            Gnorm1_new += violation
            if Gp < H * wj:
                d = -Gp / H
            elif Gn > H * wj:
                d = -Gn / H
            else:
                d = -wj
            if abs(d) < 1.0e-12:
                s += 1
                continue
            delta = abs(wj + d) - abs(wj) + G * d
            d_old = 0.0
            nls = 0
            while nls < 20:
                d_diff = d_old - d
                cond = abs(wj + d) - abs(wj) - sigma * delta
                appxcond = xj_sq[j] * d * d + G_loss * d + cond
                if appxcond <= 0:
                    for i, v in zip(ci, cv):
                        b[i] += d_diff * v
                    break
                if nls == 0:
                    loss_old = 0.0
                    loss_new = 0.0
                    for i, v in zip(ci, cv):
                        if b[i] > 0:
                            loss_old += Cv[i] * b[i] * b[i]
                        bn = b[i] + d_diff * v
                        b[i] = bn
                        if bn > 0:
                            loss_new += Cv[i] * bn * bn
                else:
                    loss_new = 0.0
                    for i, v in zip(ci, cv):
                        bn = b[i] + d_diff * v
                        b[i] = bn
                        if bn > 0:
                            loss_new += Cv[i] * bn * bn
                cond = cond + loss_new - loss_old
                if cond <= 0:
                    break
                d_old = d
                d *= 0.5
                delta *= 0.5
                nls += 1
            w[j] += d
            if nls >= 20:                              # recompute b from w
                b = [1.0] * l
                for jj in range(n):
                    if w[jj] == 0:
                        continue
                    for i, v in zip(*cols[jj]):
                        b[i] -= w[jj] * v
            s += 1
        if it == 0:
            Gnorm1_init = Gnorm1_new
        it += 1
        if Gnorm1_new <= eps * Gnorm1_init:
            if active == n:
                break
            active = n
            Gmax_old = INF
            continue
        Gmax_old = Gmax_new
    return w, it


def primal_tolerance(tol: float, ypm) -> float:
    """train_one's primal_solver_tol: tol * max(min(#pos, #neg), 1) / l."""
    pos = sum(1 for s in ypm if s > 0)
    return tol * max(min(pos, len(ypm) - pos), 1) / len(ypm)


# =========================================================================== solver 4

def _cs_sub_problem(Ai, yi, Cyi, act, B):
    D = list(B[:act])
    if yi < act:
        D[yi] += Ai * Cyi
    D.sort(reverse=True)
    beta = D[0] - Ai * Cyi
    r = 1
    while r < act and beta < r * D[r]:
        beta += D[r]
        r += 1
    beta /= r
    return [min(Cyi, (beta - B[m]) / Ai) if m == yi else min(0.0, (beta - B[m]) / Ai) for m in range(act)]


def mcsvm_cs(rows, labels, Cv, n, K, eps, mt, max_iter=CS_MAX_ITER):
    """Solver_MCSVM_CS::Solve: returns (W as a (K, n) array, alpha (l x K lists), iterations)."""
    l = len(rows)
    alpha = [[0.0] * K for _ in range(l)]
    Wt = [[0.0] * K for _ in range(n)]                   # w[(feature)*nr_class + m]
    aidx = [list(range(K)) for _ in range(l)]
    QD = []
    for _idx, val in rows:
        q = 0.0
        for v in val:
            q += v * v
        QD.append(q)
    act_i = [K] * l
    yidx = list(labels)
    index = list(range(l))
    active = l
    eps_shrink = max(10.0 * eps, 1.0)
    start_from_all = True
    it = 0
    G = [0.0] * K

    def shrunk(i, m, yi, a, minG):
        bound = Cv[i] if m == yi else 0.0
        return a == bound and G[m] < minG

    while it < max_iter:
        stopping = -INF
        _shuffle(index, active, mt)
        s = 0
        while s < active:
            i = index[s]
            Ai = QD[i]
            ai = alpha[i]
            ix = aidx[i]
            if Ai > 0:
                na = act_i[i]
                for m in range(na):
                    G[m] = 1.0
                if yidx[i] < na:
                    G[yidx[i]] = 0.0
                for j, v in zip(*rows[i]):
                    wj = Wt[j]
                    for m in range(na):
                        G[m] += wj[ix[m]] * v
                minG, maxG = INF, -INF
                for m in range(na):
                    if ai[ix[m]] < 0 and G[m] < minG:
                        minG = G[m]
                    if G[m] > maxG:
                        maxG = G[m]
                if yidx[i] < na and ai[labels[i]] < Cv[i] and G[yidx[i]] < minG:
                    minG = G[yidx[i]]
                m = 0
                while m < act_i[i]:
                    if shrunk(i, m, yidx[i], ai[ix[m]], minG):
                        act_i[i] -= 1
                        while act_i[i] > m:
                            a = act_i[i]
                            if not shrunk(i, a, yidx[i], ai[ix[a]], minG):
                                ix[m], ix[a] = ix[a], ix[m]
                                G[m], G[a] = G[a], G[m]
                                if yidx[i] == a:
                                    yidx[i] = m
                                elif yidx[i] == m:
                                    yidx[i] = a
                                break
                            act_i[i] -= 1
                    m += 1
                if act_i[i] <= 1:
                    active -= 1
                    index[s], index[active] = index[active], index[s]
                    continue
                if maxG - minG <= 1e-12:
                    s += 1
                    continue
                stopping = max(maxG - minG, stopping)
                na = act_i[i]
                B = [G[m] - Ai * ai[ix[m]] for m in range(na)]
                anew = _cs_sub_problem(Ai, yidx[i], Cv[i], na, B)
                d_ind, d_val = [], []
                for m in range(na):
                    d = anew[m] - ai[ix[m]]
                    ai[ix[m]] = anew[m]
                    if abs(d) >= 1e-12:
                        d_ind.append(ix[m])
                        d_val.append(d)
                for j, v in zip(*rows[i]):
                    wj = Wt[j]
                    for mm in range(len(d_ind)):
                        wj[d_ind[mm]] += d_val[mm] * v
            s += 1
        it += 1
        if stopping < eps_shrink:
            if stopping < eps and start_from_all:
                break
            active = l
            act_i = [K] * l
            eps_shrink = max(eps_shrink / 2, eps)
            start_from_all = True
        else:
            start_from_all = False
    return np.array(Wt).T.copy(), alpha, it


# =========================================================================== replay

def _split(p: Problem, Wrows: np.ndarray):
    """(rows, n) variables -> coef_ (rows, d), intercept_ ((rows,) or None without a bias)."""
    Wrows = np.asarray(Wrows, dtype=np.float64)
    if p.bias > 0:
        return Wrows[:, :-1].copy(), p.bias * Wrows[:, -1]
    return Wrows.copy(), None


def replay(p: Problem, solver: int, tol: float, max_iter: int, random_state: int, blas_kernel: str | None = None):
    """liblinear's fit as scikit-learn 1.9.1 runs it: (coef_, intercept_ or None, n_iter_).
    For CS with two classes the two rows are already combined as scikit-learn does.
    Solver 2 (TRON) needs `blas_kernel`, the OpenBLAS kernel set scikit-learn's SciPy ran
    (openblas_level1.KERNELS): its path depends on that rounding."""
    if solver == 2:
        if blas_kernel is None:
            raise Unsupported("solver 2 (TRON) is replayed only for a named OpenBLAS kernel (blas_kernel)")
        out, iters = [], []
        for ypm, Cv in subproblems(p, 2):
            w, it = tron_replay(p.dense, ypm, Cv,
                                primal_tolerance(tol, ypm), max_iter, blas_kernel)
            out.append(w)
            iters.append(it)
        coef, icpt = _split(p, np.array(out))
        return coef, icpt, max(iters)
    mt = MT19937(liblinear_seed(random_state))
    if solver == 4:
        Wk, _alpha, it = mcsvm_cs(p.rows, p.labels, cs_costs(p), p.n, p.K, tol, mt)
        coef, icpt = _split(p, Wk)
        if p.K == 2:
            coef = (coef[1] - coef[0]).reshape(1, -1)
            icpt = None if icpt is None else np.array([icpt[1] - icpt[0]])
        return coef, icpt, it
    out, iters = [], []
    for ypm, Cv in subproblems(p, solver):
        if solver in (1, 3):
            w, _alpha, it = dual_cd(p.rows, ypm, Cv, p.n, tol, "hinge" if solver == 3 else "squared_hinge",
                                    max_iter, mt)
        else:
            w, it = l1r_l2_svc(p.rows, ypm, Cv, p.n, primal_tolerance(tol, ypm), max_iter, mt)
        out.append(w)
        iters.append(it)
    coef, icpt = _split(p, np.array(out))
    return coef, icpt, max(iters)


# =========================================================================== TRON (solver 2), emulated

TRON_ITER_MARGIN = 0.5          # the emulated run must end within this share of max_iter
TRON_ITER_CAP = 1000            # ... and within this many iterations (Newton normally needs a dozen)
TRON_SAFETY = 2.0               # scikit-learn's distance to the optimum: up to this times the emulation's


@dataclass
class TronRun:
    """An emulated run of liblinear's TRON (tron.cpp as scikit-learn 1.9.1 vendors it) on
    one squared-hinge sub-problem, with NumPy's rounding instead of OpenBLAS's."""
    w: np.ndarray
    iterations: int
    exit: str                   # "gradient", "max_iter", "small_reduction", "no_reduction", "unbounded"
    gnorm0: float               # ||grad f(0)||
    eps: float                  # the stopping tolerance: stop when ||grad f|| <= eps * gnorm0
    gnorm: float                # ||grad f(w)|| at the end


# tron.cpp's trust-region constants and its radius update after a trial step, shared by
# the NumPy-rounding emulation (tron) and the bit-for-bit replay (tron_replay); C's min,
# max and division semantics, as tron.cpp has them.
TRON_ETA = (1e-4, 0.25, 0.75)
TRON_SIGMA = (0.25, 0.5, 4.0)


def _tron_radius(delta: float, it: int, snorm: float, gs: float, f: float, fnew: float, actred: float,
                 prered: float) -> float:
    """The new radius after a step of norm `snorm` (the first iteration first clips the
    initial radius to it)."""
    eta0, eta1, eta2 = TRON_ETA
    sigma1, sigma2, sigma3 = TRON_SIGMA
    if it == 1:
        delta = _cmin(delta, snorm)
    if fnew - f - gs <= 0:
        alpha = sigma3
    else:
        alpha = _cmax(sigma1, -0.5 * _div(gs, fnew - f - gs))
    if actred < eta0 * prered:
        return _cmin(_cmax(alpha, sigma1) * snorm, sigma2 * delta)
    if actred < eta1 * prered:
        return _cmax(sigma1 * delta, _cmin(alpha * snorm, sigma2 * delta))
    if actred < eta2 * prered:
        return _cmax(sigma1 * delta, _cmin(alpha * snorm, sigma3 * delta))
    return _cmax(delta, _cmin(alpha * snorm, sigma3 * delta))


def tron(A: np.ndarray, Cv: np.ndarray, eps: float, max_iter: int) -> TronRun:
    """TRON on min 1/2|w|^2 + sum_i C_i max(0, 1 - a_i.w)^2 (a_i = y_i x~_i), step for step as
    liblinear runs it (no preconditioner, CG to ||r|| <= 0.1 ||g||, the same trust-region
    updates and stopping tests), but with NumPy's sums: it follows scikit-learn's path to
    rounding, which tells how scikit-learn's run ends (see tron_radius)."""
    eta0 = TRON_ETA[0]  # a step is taken when the actual reduction exceeds eta0 * predicted
    n = A.shape[1]

    def fun(w):
        z = A @ w
        d = 1.0 - z
        act = d > 0
        return 0.5 * float(w @ w) + float(np.sum(Cv[act] * d[act] * d[act])), z

    def grad(w, z):
        act = z < 1
        return w + 2.0 * (A[act].T @ (Cv[act] * (z[act] - 1.0))), act

    def trcg(delta, g, act):
        Aa, Ca = A[act], Cv[act]
        s = np.zeros(n)
        r = -g
        d = r.copy()
        cgtol = 0.1 * np.linalg.norm(g)
        rTr = float(r @ r)
        while np.linalg.norm(r) > cgtol:
            Hd = d + 2.0 * (Aa.T @ (Ca * (Aa @ d)))
            alpha = rTr / float(d @ Hd)
            s = s + alpha * d
            if np.linalg.norm(s) > delta:
                s = s - alpha * d
                std, sts, dtd = float(s @ d), float(s @ s), float(d @ d)
                dsq = delta * delta
                rad = math.sqrt(max(std * std + dtd * (dsq - sts), 0.0))
                alpha = (dsq - sts) / (std + rad) if std >= 0 else (rad - std) / dtd
                s = s + alpha * d
                r = r - alpha * Hd
                break
            r = r - alpha * Hd
            rnew = float(r @ r)
            d = (rnew / rTr) * d + r
            rTr = rnew
        return s, r

    with np.errstate(all="ignore"):
        w = np.zeros(n)
        f, z = fun(w)
        g, act = grad(w, z)
        delta = float(np.linalg.norm(g))
        gnorm0 = gnorm = delta
        it = 1
        exit_ = "max_iter"
        if not math.isfinite(gnorm0):
            return TronRun(w, 0, "unbounded", gnorm0, eps, gnorm)
        if gnorm0 <= eps * gnorm0:                  # liblinear's `search` is false: no step
            return TronRun(w, 0, "gradient", gnorm0, eps, gnorm)
        while it <= max_iter:
            s, r = trcg(delta, g, act)
            w_new = w + s
            gs = float(g @ s)
            prered = -0.5 * (gs - float(s @ r))
            fnew, z_new = fun(w_new)
            actred = f - fnew
            snorm = float(np.linalg.norm(s))
            delta = _tron_radius(delta, it, snorm, gs, f, fnew, actred, prered)
            if actred > eta0 * prered:
                it += 1
                w, f = w_new, fnew
                g, act = grad(w, z_new)
                gnorm = float(np.linalg.norm(g))
                if gnorm <= eps * gnorm0:
                    exit_ = "gradient"
                    break
            if not all(map(math.isfinite, (f, actred, prered))):
                exit_ = "unbounded"
                break
            if f < -1.0e32:
                exit_ = "unbounded"
                break
            if abs(actred) <= 0 and prered <= 0:
                exit_ = "no_reduction"
                break
            if abs(actred) <= 1.0e-12 * abs(f) and abs(prered) <= 1.0e-12 * abs(f):
                exit_ = "small_reduction"
                break
    return TronRun(w, it - 1, exit_, gnorm0, eps, gnorm)


def _seq_rows(P: np.ndarray) -> np.ndarray:
    """Per row of P, its entries added left to right (what liblinear's sparse dot does over a
    row's non-zeros; the zeros of the dense row add +-0, which moves no non-zero sum)."""
    if P.shape[1] == 0:
        return np.zeros(P.shape[0])
    return np.add.accumulate(P, axis=1)[:, -1]


def _seq_cols(P: np.ndarray, n: int) -> np.ndarray:
    """Per column of P, its entries added top to bottom (liblinear's XTv: row after row)."""
    if P.shape[0] == 0:
        return np.zeros(n)
    return np.add.accumulate(P, axis=0)[-1]


def _cmin(x: float, y: float) -> float:
    """C's min macro, (x < y) ? x : y (Python's min keeps a NaN first argument)."""
    return x if x < y else y


def _cmax(x: float, y: float) -> float:
    return x if x > y else y


def tron_replay(A: np.ndarray, ypm, Cv, eps: float, max_iter: int, kernel: str):
    """Solver 2 bit for bit: l2r_l2_svc_fun and tron.cpp as scikit-learn 1.9.1 builds them
    (plain unfused C loops for f, X v and X^T v; TRON's vectors through the OpenBLAS
    level-1 kernel `kernel`, see openblas_level1). A is the dense (l, n) design (bias
    column included), ypm the +-1 labels, Cv the costs C_i. Returns (w, iterations): the
    step order, tests and trust-region updates are those of TrustRegionNewton.swift."""
    from . import openblas_level1 as ob
    ob.check_kernel(kernel)
    X = np.ascontiguousarray(A, dtype=np.float64)
    y = np.asarray(ypm, dtype=np.float64)
    C = np.asarray(Cv, dtype=np.float64)
    n = X.shape[1]
    dot = lambda a, b: ob.ddot(a, b, kernel)
    nrm2 = ob.dnrm2
    axpy = lambda al, a, b: ob.daxpy(al, a, b, kernel)

    def fun(w):
        z = y * _seq_rows(X * w)
        f = float(_seq_cols((w * w)[:, None], 1)[0]) / 2.0
        d = 1.0 - z
        on = d > 0
        terms = (C[on] * d[on]) * d[on]
        if terms.size:
            f = float(np.add.accumulate(np.concatenate([[f], terms]))[-1])
        return f, z

    def grad(w, z):
        act = np.flatnonzero(z < 1)
        coef = (C[act] * y[act]) * (z[act] - 1.0)
        Xa = X[act]
        g = w + 2.0 * _seq_cols(coef[:, None] * Xa, n)
        return g, Xa, C[act]

    def hv(s, Xa, Ca):
        wa = Ca * _seq_rows(Xa * s)
        return s + 2.0 * _seq_cols(wa[:, None] * Xa, n)

    def trcg(delta, g, Xa, Ca):
        s = np.zeros(n)
        r = -g
        d = r.copy()
        cgtol = 0.1 * nrm2(g)
        rTr = dot(r, r)
        while True:
            if nrm2(r) <= cgtol:
                break
            Hd = hv(d, Xa, Ca)
            alpha = _div(rTr, dot(d, Hd))
            s = axpy(alpha, d, s)
            if nrm2(s) > delta:
                alpha = -alpha
                s = axpy(alpha, d, s)
                std, sts, dtd = dot(s, d), dot(s, s), dot(d, d)
                dsq = delta * delta
                rad = math.sqrt(std * std + dtd * (dsq - sts)) if std * std + dtd * (dsq - sts) >= 0 else math.nan
                alpha = _div(dsq - sts, std + rad) if std >= 0 else _div(rad - std, dtd)
                s = axpy(alpha, d, s)
                alpha = -alpha
                r = axpy(alpha, Hd, r)
                break
            alpha = -alpha
            r = axpy(alpha, Hd, r)
            rnew = dot(r, r)
            beta = _div(rnew, rTr)
            d = ob.dscal(beta, d, kernel)
            d = axpy(1.0, r, d)
            rTr = rnew
        return s, r

    eta0 = TRON_ETA[0]  # a step is taken when the actual reduction exceeds eta0 * predicted
    with np.errstate(all="ignore"):
        w = np.zeros(n)
        f, z = fun(w)
        g, Xa, Ca = grad(w, z)
        delta = nrm2(g)
        gnorm1 = delta
        it = 1
        search = not (delta <= eps * gnorm1)
        while it <= max_iter and search:
            s, r = trcg(delta, g, Xa, Ca)
            w_new = axpy(1.0, s, w)
            gs = dot(g, s)
            prered = -0.5 * (gs - dot(s, r))
            fnew, z_new = fun(w_new)
            actred = f - fnew
            snorm = nrm2(s)
            delta = _tron_radius(delta, it, snorm, gs, f, fnew, actred, prered)
            if actred > eta0 * prered:
                it += 1
                w, f = w_new, fnew
                g, Xa, Ca = grad(w, z_new)
                if nrm2(g) <= eps * gnorm1:
                    break
            if f < -1.0e32:
                break
            if abs(actred) <= 0 and prered <= 0:
                break
            if abs(actred) <= 1.0e-12 * abs(f) and abs(prered) <= 1.0e-12 * abs(f):
                break
    return w, it - 1


def tron_radius(p: Problem, tol: float, max_iter: int, optimum_rows: np.ndarray) -> list:
    """For each sub-problem of solver 2, how far scikit-learn's TRON result is expected to lie
    from the optimum `optimum_rows[k]` (in w~ = [w; w_b]); NotCertified when it is not
    expected to get there.

    TRON stops on ||grad f(w)|| <= eps ||grad f(0)|| (eps = primal_tolerance(tol)); or on a
    step whose actual and predicted reductions are both below 1e-12 |f|, which is how a
    tight tolerance usually ends near the optimum (f has no digits left to give); or on no
    reduction; or at max_iter. Only the first bounds the distance by itself, and on
    ill-conditioned data the others can leave the run far from the optimum (the fuzzer
    found scikit-learn at max_iter with ||grad f|| ~ 400). How scikit-learn's run goes is
    read off the emulation `tron`, which follows the same path with NumPy's rounding
    instead of OpenBLAS's: on every tight fixture case its end point is within 2e-12 of
    scikit-learn's. This is a prediction, not a proof. Certified only when the emulated
    run ends on the gradient or the reduction test within TRON_ITER_MARGIN of max_iter and
    within TRON_ITER_CAP iterations (past that, the run is left as not certifiable); the
    radius is TRON_SAFETY times the emulated end point's distance from the optimum, plus
    1e-12 (1 + |w~*|) for the rest of the rounding."""
    radii = []
    for (ypm, Cv), w_opt in zip(subproblems(p, 2), optimum_rows):
        A = np.array(ypm, dtype=np.float64)[:, None] * p.dense
        run = tron(A, np.array(Cv), primal_tolerance(tol, ypm), min(int(TRON_ITER_MARGIN * max_iter), TRON_ITER_CAP))
        if run.exit not in ("gradient", "small_reduction"):
            raise NotCertified(f"scikit-learn's TRON run is not expected to reach the optimum: the emulated run ends "
                               f"on {run.exit} after {run.iterations} iterations, ||grad f|| {run.gnorm:.3g}")
        with np.errstate(all="ignore"):
            radius = TRON_SAFETY * float(np.linalg.norm(run.w - w_opt)) + 1e-12 * (1.0 + float(np.linalg.norm(w_opt)))
        if not math.isfinite(radius):
            raise NotCertified("the emulated TRON run ends on a non-finite point")
        radii.append(radius)
    return radii


# =========================================================================== where the tight dual runs end

REPLAY_ITER_CAP = 3000          # outer iterations replayed per sub-problem before falling back on a bound


def _sq_hinge_l2_primal(A, Cv, w):
    b = np.maximum(1.0 - A @ w, 0.0)
    return 0.5 * float(w @ w) + float(np.sum(Cv * b * b))


def _hinge_l2_primal(A, Cv, w):
    return 0.5 * float(w @ w) + float(np.sum(Cv * np.maximum(1.0 - A @ w, 0.0)))


def _cs_primal(Xd, labels, Cv, W):
    S = Xd @ W.T
    r = np.arange(len(labels))
    G = 1.0 + S - S[r, labels][:, None]
    G[r, labels] = 0.0
    return 0.5 * float(np.sum(W * W)) + float(np.sum(Cv * G.max(axis=1)))


class _Inconclusive(Exception):
    """A replay cut short gives no useful bound."""


def dual_radius(p: Problem, solver: int, tol: float, max_iter: int, random_state: int, optimum_rows: np.ndarray) -> list:
    """See _dual_radius: first with at most REPLAY_ITER_CAP iterations per sub-problem, then,
    when that is inconclusive, with the whole run (which the fuzzer's time limit may cut)."""
    try:
        return _dual_radius(p, solver, tol, max_iter, random_state, optimum_rows, REPLAY_ITER_CAP)
    except _Inconclusive:
        return _dual_radius(p, solver, tol, max_iter, random_state, optimum_rows, max(max_iter, CS_MAX_ITER))


def _dual_radius(p: Problem, solver: int, tol: float, max_iter: int, random_state: int, optimum_rows: np.ndarray,
                 replay_cap: int) -> list:
    """For each coef_ row of a tight fit by solver 1, 3, 4 or 5, a bound on how far (in w~)
    scikit-learn's model lies from the optimum `optimum_rows` (for solver 4 and two classes
    the bound on each of the two rows); NotCertified when none is known.

    liblinear is replayed bit for bit (`replay`'s solvers, same seed) for at most
    `replay_cap` outer iterations per sub-problem. A run that ends within that is
    scikit-learn's own: the radius is its distance from the optimum (on fuzzed data the
    runs can end at max_iter far from it). For a dual solver (1, 3, 4) cut short at alpha_c,
    scikit-learn goes on from there by exact coordinate (block) minimisations, which never
    raise the dual objective D; and D(alpha) - D* >= 1/2 |w(alpha) - w*|^2 (strong duality
    P* = -D*, the dual Hessian dominates A A^T). So its model lies within
    sqrt(2 (D(alpha_c) + P(w_opt))) of the optimum, P(w_opt) >= P* being the mirror's
    optimum's primal value (plus a rounding allowance). Only the last one-vs-rest
    sub-problem can be cut short: the later ones start from liblinear's random generator
    where the earlier ones left it. Solver 5 (primal, L1) has no such bound. A cut that
    leaves no bound, or one above DUAL_RADIUS_BOUND, raises _Inconclusive."""
    mt = MT19937(liblinear_seed(random_state))
    cap = min(max_iter, replay_cap)
    if solver == 4:
        Cv = cs_costs(p)
        labels = np.array(p.labels)
        Wt, alpha, it = mcsvm_cs(p.rows, p.labels, Cv, p.n, p.K, tol, mt, max_iter=min(CS_MAX_ITER, replay_cap))
        Wopt = np.asarray(optimum_rows)
        if it < replay_cap or replay_cap >= CS_MAX_ITER:
            radius = float(np.sqrt(np.sum((Wt - Wopt) ** 2)))
        else:
            alpha = np.array(alpha)
            W = alpha.T @ p.dense
            r = np.arange(len(labels))
            off = alpha.copy()
            off[r, labels] = 0.0
            dual = 0.5 * float(np.sum(W * W)) + float(np.sum(off))
            primal = _cs_primal(p.dense, labels, np.array(Cv), Wopt)
            radius = _gap_radius(dual, primal)
        return [radius] * (1 if p.K == 2 else p.K)
    radii = []
    subs = subproblems(p, solver)
    for k, ((ypm, Cv), w_opt) in enumerate(zip(subs, optimum_rows)):
        if solver == 5:
            w, it = l1r_l2_svc(p.rows, ypm, Cv, p.n, primal_tolerance(tol, ypm), cap, mt)
            if it >= cap and cap < max_iter:
                raise _Inconclusive()
            radii.append(float(np.linalg.norm(np.array(w) - w_opt)))
            continue
        loss = "hinge" if solver == 3 else "squared_hinge"
        w, alpha, it = dual_cd(p.rows, ypm, Cv, p.n, tol, loss, cap, mt)
        if it < cap or cap >= max_iter:
            radii.append(float(np.linalg.norm(np.array(w) - w_opt)))
            continue
        if k != len(subs) - 1:
            raise _Inconclusive()
        A = np.array(ypm, dtype=np.float64)[:, None] * p.dense
        a, Cva = np.array(alpha), np.array(Cv)
        wa = A.T @ a
        dual = 0.5 * float(wa @ wa) - float(np.sum(a))
        if solver == 1:
            dual += float(np.sum(a * a / (4.0 * Cva)))
            primal = _sq_hinge_l2_primal(A, Cva, w_opt)
        else:
            primal = _hinge_l2_primal(A, Cva, w_opt)
        radii.append(_gap_radius(dual, primal))
    return radii


def _gap_radius(dual: float, primal: float) -> float:
    """sqrt(2 (D + P)) with an allowance for the rounding of D and P; _Inconclusive above
    DUAL_RADIUS_BOUND."""
    gap = dual + primal + 1e-13 * (abs(dual) + abs(primal))
    radius = math.sqrt(2.0 * max(gap, 0.0)) if math.isfinite(gap) else INF
    if not radius <= DUAL_RADIUS_BOUND:
        raise _Inconclusive()
    return radius


# =========================================================================== certified optima

@dataclass
class Certificate:
    kind: str           # "gradient", "duality_gap" or "kkt"
    value: float        # the radius bound (gradient, duality_gap) or the worst KKT residual (kkt)
    bound: float
    detail: str = ""


def _sq_hinge_primal(A, Cv, w):
    b = 1.0 - A @ w
    act = b > 0
    return 0.5 * (w @ w) + float(np.sum(Cv[act] * b[act] ** 2)), b, act


def optimum_sq_hinge_l2(A: np.ndarray, Cv: np.ndarray):
    """argmin 1/2|w|^2 + sum C_i max(0, 1 - a_i.w)^2 (a_i = y_i x~_i) by Newton with the
    generalized Hessian I + 2 A_I^T C_I A_I and Armijo backtracking."""
    n = A.shape[1]
    w = np.zeros(n)
    for _ in range(500):
        f, b, act = _sq_hinge_primal(A, Cv, w)
        g = w - 2.0 * (A[act].T @ (Cv[act] * b[act]))
        if np.linalg.norm(g) <= 1e-14 * max(1.0, np.linalg.norm(w)):
            break
        H = np.eye(n) + 2.0 * (A[act].T @ (Cv[act, None] * A[act]))
        d = np.linalg.solve(H, -g)
        gd = float(g @ d)
        if gd >= 0:
            break
        t = 1.0
        while t > 1e-20:
            w_new = w + t * d
            f_new = _sq_hinge_primal(A, Cv, w_new)[0]
            if f_new <= f + 1e-4 * t * gd:
                break
            t *= 0.5
        if np.array_equal(w_new, w):
            break
        w = w_new
    b = 1.0 - A @ w
    act = b > 0
    g = w - 2.0 * (A[act].T @ (Cv[act] * b[act]))
    cert = Certificate("gradient", float(np.linalg.norm(g)), SQ_HINGE_BOUND,
                       "||w~ - w~*|| <= ||grad P(w~)|| (P is 1-strongly convex)")
    return w, cert


def _hinge_gap(A, Cv, alpha):
    """w = A^T alpha and the duality gap sum_i [C_i max(0, 1-z_i) - alpha_i (1 - z_i)], each
    term written in its non-negative form."""
    w = A.T @ alpha
    z = A @ w
    t = np.where(z < 1, (Cv - alpha) * (1 - z), alpha * (z - 1))
    return w, float(np.sum(t))


def optimum_hinge_l2(A: np.ndarray, Cv: np.ndarray, alpha0):
    """argmin 1/2|w|^2 + sum C_i max(0, 1 - a_i.w), polished from an approximate dual alpha0:
    on the face (alpha = C on `upper`, 0 off `upper | free`, a_i.w = 1 on `free`) the
    free alphas solve (A_F A_F^T) alpha_F = 1 - A_F (A_U^T C_U), by least squares with
    iterative refinement; samples whose KKT conditions then fail change sets."""
    l = A.shape[0]
    alpha = np.clip(np.asarray(alpha0, dtype=np.float64), 0.0, Cv)
    upper = alpha >= Cv
    free = (alpha > 0) & ~upper
    best = None
    for _ in range(50):
        sol = np.where(upper, Cv, np.where(free, alpha, 0.0))
        if free.any():
            Af = A[free]
            gram = Af @ Af.T
            for _refine in range(4):
                residual = 1.0 - Af @ (A.T @ sol)
                sol[free] += np.linalg.lstsq(gram, residual, rcond=None)[0]
        cand = np.clip(sol, 0.0, Cv)
        w, gap = _hinge_gap(A, Cv, cand)
        if best is None or gap < best[1]:
            best = (cand, gap, w)
        z = A @ w
        tiny = 1e-12 * max(1.0, float(np.max(np.abs(z))))
        zero = ~upper & ~free
        new_free = (free & (sol > 0) & (sol < Cv)) | (zero & (z < 1 - tiny)) | (upper & (z > 1 + tiny))
        new_upper = (upper & (z <= 1 + tiny)) | (free & (sol >= Cv))
        if np.array_equal(new_upper, upper) and np.array_equal(new_free, free):
            break
        upper, free = new_upper, new_free
        alpha = cand
    alpha, gap, w = best
    return w, alpha, Certificate("duality_gap", math.sqrt(2.0 * gap), DUAL_RADIUS_BOUND,
                                 f"||w~ - w~*|| <= sqrt(2 gap), gap {gap:.3g} over {l} samples")


def _cs_gap(Xd, labels, Cv, alpha):
    """W_m = sum_i alpha_i^m x_i and the duality gap sum_i [(C_i - alpha_i^y) xi_i +
    sum_{m != y} |alpha_i^m| (xi_i - G_i^m)], G_i^m = 1[m != y] + (W_m - W_y).x_i."""
    W = alpha.T @ Xd                                   # (K, n)
    S = Xd @ W.T                                       # (l, K)
    l, K = S.shape
    r = np.arange(l)
    G = 1.0 + S - S[r, labels][:, None]
    G[r, labels] = 0.0
    xi = G.max(axis=1)
    ay = alpha[r, labels]
    neg = -alpha.copy()
    neg[r, labels] = 0.0
    t = (Cv - ay) * xi + np.sum(neg * (xi[:, None] - G), axis=1)
    return W, float(np.sum(np.maximum(t, 0.0))), G, xi


def _cs_feasible(alpha, labels, Cv):
    """Project onto the CS dual set: alpha_i^m <= 0 off y, alpha_i^y = -sum, <= C_i."""
    a = np.minimum(alpha, 0.0)
    r = np.arange(len(labels))
    a[r, labels] = 0.0
    tot = -a.sum(axis=1)
    scale = np.where(tot > Cv, Cv / np.where(tot > 0, tot, 1.0), 1.0)
    a *= scale[:, None]
    a[r, labels] = -a.sum(axis=1)
    a[r, labels] = np.minimum(a[r, labels], Cv)
    return a


def optimum_cs(Xd: np.ndarray, labels: np.ndarray, Cv: np.ndarray, K: int, alpha0):
    """argmin 1/2 sum_m |w_m|^2 + sum_i C_i max_m (1[m != y_i] + (w_m - w_y).x~_i), polished
    from an approximate dual alpha0 (l, K). The face: per sample the wrong classes with
    alpha_i^m < 0 (its support) and whether alpha_i^y = C_i (bound). On it, a free sample's
    support classes have G_i^m = 0; a bound sample's have equal G_i^m and sum to -C_i.
    These linear equations in the support alphas are solved by least squares with
    iterative refinement; supports and bound flags are corrected until KKT holds."""
    l = Xd.shape[0]
    r = np.arange(l)
    Kx = Xd @ Xd.T
    alpha0 = np.asarray(alpha0, dtype=np.float64)
    at_bound = alpha0[r, labels] >= Cv * (1 - 1e-12)     # the solver clips alpha_i^y to exactly C_i
    alpha = _cs_feasible(alpha0, labels, Cv)
    supp = [set(int(m) for m in np.flatnonzero(alpha[i] < 0) if m != labels[i]) for i in range(l)]
    bound = [bool(at_bound[i]) for i in range(l)]
    best = None
    for _ in range(50):
        unknowns = [(i, m) for i in range(l) for m in sorted(supp[i])]
        face = np.zeros((l, K))
        if unknowns:
            col = {u: c for c, u in enumerate(unknowns)}
            ui = np.array([u[0] for u in unknowns])
            um = np.array([u[1] for u in unknowns])
            uy = labels[ui]

            def dG(j, p):
                # d G_j^p / d u_(i,m) = Kx[j,i] ([p=m] - [p=y_i] - [y_j=m] + [y_j=y_i])
                yj = labels[j]
                return Kx[j, ui] * ((p == um).astype(float) - (p == uy) - (yj == um) + (yj == uy))

            # equations (kind, i, m1, m2): "sum": the unknowns of i sum to -C_i; "zero": G_i^m1 = 0;
            # "equal": G_i^m1 = G_i^m2
            eqs, jac = [], []
            for i in range(l):
                ms = sorted(supp[i])
                if not ms:
                    continue
                if bound[i]:
                    e = np.zeros(len(unknowns))
                    for m in ms:
                        e[col[(i, m)]] = 1.0
                    eqs.append(("sum", i, 0, 0))
                    jac.append(e)
                    for m1, m2 in zip(ms, ms[1:]):
                        eqs.append(("equal", i, m1, m2))
                        jac.append(dG(i, m1) - dG(i, m2))
                else:
                    for m in ms:
                        eqs.append(("zero", i, m, 0))
                        jac.append(dG(i, m))
            jac = np.array(jac)
            u = alpha[ui, um].copy()

            def full(u):
                a = np.zeros((l, K))
                a[ui, um] = u
                a[r, labels] = -a.sum(axis=1)
                return a

            for _refine in range(4):
                face = full(u)
                S = Xd @ (face.T @ Xd).T
                G = 1.0 + S - S[r, labels][:, None]
                res = np.empty(len(eqs))
                for q, (kind, i, m1, m2) in enumerate(eqs):
                    if kind == "sum":
                        res[q] = Cv[i] - face[i, labels[i]]       # sum of u + C_i
                    elif kind == "zero":
                        res[q] = G[i, m1]
                    else:
                        res[q] = G[i, m1] - G[i, m2]
                u = u - np.linalg.lstsq(jac, res, rcond=None)[0]
            face = full(u)
        cand = _cs_feasible(face, labels, Cv)
        W, gap, _G, _xi = _cs_gap(Xd, labels, Cv, cand)
        if best is None or gap < best[1]:
            best = (cand, gap, W)
        # primal-dual active-set step, judged on the face solution itself (not clipped)
        S = Xd @ (face.T @ Xd).T
        G = 1.0 + S - S[r, labels][:, None]
        G[r, labels] = -INF
        tiny = 1e-10 * max(1.0, float(np.max(np.abs(S))))
        changed = False
        for i in range(l):
            y = labels[i]
            new_supp = {m for m in supp[i] if face[i, m] < 0}                 # (a) sign violations leave
            level = 0.0
            if bound[i] and supp[i]:
                level = float(np.mean([G[i, m] for m in supp[i]]))
            new_bound = bound[i]
            if not bound[i] and face[i, y] > Cv[i] * (1 + 1e-12):            # (b) over the box: bound
                new_bound = True
            elif bound[i] and level < -tiny:                                  # (c) negative slack: free
                new_bound = False
            worst = int(np.argmax(G[i]))
            if G[i, worst] > level + tiny and worst not in new_supp:          # (d) a violated class joins
                new_supp.add(worst)
            if bound[i] and not new_supp:
                new_supp.add(worst)
            if new_supp != supp[i] or new_bound != bound[i]:
                changed = True
                supp[i], bound[i] = new_supp, new_bound
        if not changed:
            break
        alpha = face
    alpha, gap, W = best
    return W, alpha, Certificate("duality_gap", math.sqrt(2.0 * gap), DUAL_RADIUS_BOUND,
                                 f"||W~ - W~*||_F <= sqrt(2 gap), gap {gap:.3g} over {l} samples")


def optimum_l1_sq_hinge(A: np.ndarray, Cv: np.ndarray, w0):
    """argmin |w|_1 + sum C_i max(0, 1 - a_i.w)^2, finished by Newton on the support and
    the signs of an approximate solution w0."""
    w0 = np.asarray(w0, dtype=np.float64)
    n = A.shape[1]
    S = np.flatnonzero(w0 != 0)
    for _round in range(20):
        sig = np.sign(w0[S])
        AS = A[:, S]
        u = w0[S].copy()
        for _ in range(200):
            b = 1.0 - AS @ u
            act = b > 0
            g = sig - 2.0 * (AS[act].T @ (Cv[act] * b[act]))
            if np.linalg.norm(g) <= 1e-15 * max(1.0, np.linalg.norm(u)):
                break
            H = 2.0 * (AS[act].T @ (Cv[act, None] * AS[act]))
            d = np.linalg.lstsq(H, -g, rcond=None)[0]
            gd = float(g @ d)
            if gd >= 0:
                break

            def f(v):
                bb = 1.0 - AS @ v
                return float(sig @ v + np.sum(Cv[bb > 0] * bb[bb > 0] ** 2))
            t, f0 = 1.0, f(u)
            while t > 1e-20 and f(u + t * d) > f0 + 1e-4 * t * gd:
                t *= 0.5
            u_new = u + t * d
            if np.array_equal(u_new, u):
                break
            u = u_new
        w = np.zeros(n)
        w[S] = u
        b = 1.0 - A @ w
        act = b > 0
        gfull = -2.0 * (A[act].T @ (Cv[act] * b[act]))
        flipped = S[np.sign(w[S]) != sig]
        outside = np.setdiff1d(np.arange(n), S)
        enter = outside[np.abs(gfull[outside]) > 1.0]
        if flipped.size == 0 and enter.size == 0:
            break
        w0 = w.copy()
        w0[flipped] = 0.0
        for j in enter:
            w0[j] = -np.sign(gfull[j]) * 1e-12
        S = np.flatnonzero(w0 != 0)
    on = np.abs(gfull[S] + np.sign(w[S])) if S.size else np.zeros(0)
    off = np.abs(np.delete(gfull, S))
    H = 2.0 * (A[act][:, S].T @ (Cv[act, None] * A[act][:, S]))
    lam = float(np.linalg.eigvalsh(H).min()) if S.size else INF
    worst = float(on.max()) if on.size else 0.0
    detail = (f"max |g_j + sign(w_j)| on the support {worst:.3g}, max |g_j| off it "
              f"{float(off.max()) if off.size else 0.0:.12g}, smallest restricted Hessian eigenvalue {lam:.3g}")
    ok = (worst <= L1_KKT_BOUND and (off.size == 0 or off.max() <= 1 - L1_STRICT_MARGIN)
          and lam >= L1_MIN_EIGENVALUE)
    return w, Certificate("kkt", worst if ok else INF, L1_KKT_BOUND, detail)


def qp_interior_point(Q, c, A, b, upper, max_iter=200):
    """min 1/2 x^T Q x + c^T x  s.t.  A x = b, 0 <= x <= upper (entries may be inf), Q
    positive semidefinite: a dense primal-dual interior-point method (Mehrotra's
    predictor-corrector). Returns x near the analytic centre of the optimal face, which
    tells the variables at a bound from the free ones far more reliably than a
    coordinate-descent iterate; the polishing then makes it exact."""
    N, m = c.size, A.shape[0]
    up = np.isfinite(upper)
    x = np.where(up, 0.5 * np.where(up, upper, 1.0), 1.0)
    if m:
        # start on the equality constraints when they are per-block sums (A has 0/1 rows)
        x = x * (b / (A @ x))[np.argmax(A, axis=0)]
    z = np.ones(N)
    w = np.where(up, 1.0, 0.0)
    y = np.zeros(m)
    u = np.where(up, upper, 0.0)
    n_comp = N + int(up.sum())
    scale = 1.0 + float(np.max(np.abs(c)))
    for _ in range(max_iter):
        t = np.where(up, u - x, 1.0)
        r_d = Q @ x + c - A.T @ y - z + w
        r_p = A @ x - b
        mu = (x @ z + (t * w)[up].sum()) / n_comp
        if mu < 1e-15 * scale and np.max(np.abs(r_d)) < 1e-12 * scale and \
                (m == 0 or np.max(np.abs(r_p)) < 1e-12 * (1 + float(np.max(np.abs(b))))):
            break
        D = z / x + np.where(up, w / t, 0.0)
        K = np.zeros((N + m, N + m))
        K[:N, :N] = Q + np.diag(D)
        K[:N, N:] = -A.T
        K[N:, :N] = A

        def solve(target_xz, target_tw):
            rhs1 = -r_d + target_xz / x - np.where(up, target_tw / t, 0.0)
            sol = np.linalg.solve(K, np.concatenate([rhs1, -r_p]))
            dx, dy = sol[:N], sol[N:]
            dz = (target_xz - z * dx) / x
            dw = np.where(up, (target_tw + w * dx) / t, 0.0)
            return dx, dy, dz, dw

        def step(v, dv):
            neg = dv < 0
            return min(1.0, float(np.min(-v[neg] / dv[neg]))) if neg.any() else 1.0

        # predictor
        dx, dy, dz, dw = solve(-x * z, np.where(up, -t * w, 0.0))
        ap = min(step(x, dx), step(t[up], -dx[up]) if up.any() else 1.0)
        ad = min(step(z, dz), step(w[up], dw[up]) if up.any() else 1.0)
        mu_aff = ((x + ap * dx) @ (z + ad * dz) + ((t - ap * dx) * (w + ad * dw))[up].sum()) / n_comp
        sigma = (mu_aff / mu) ** 3
        # corrector
        dx, dy, dz, dw = solve(sigma * mu - x * z - dx * dz,
                               np.where(up, sigma * mu - t * w + dx * dw, 0.0))
        ap = 0.99 * min(step(x, dx), step(t[up], -dx[up]) if up.any() else 1.0)
        ad = 0.99 * min(step(z, dz), step(w[up], dw[up]) if up.any() else 1.0)
        x = x + ap * dx
        y = y + ad * dy
        z = z + ad * dz
        w = np.where(up, w + ad * dw, 0.0)
    return x


def _ipm_hinge_alpha(A: np.ndarray, Cv: np.ndarray) -> np.ndarray:
    """The hinge dual min 1/2 a^T (A A^T) a - sum a, 0 <= a <= C, snapped to its bounds."""
    alpha = qp_interior_point(A @ A.T, -np.ones(A.shape[0]), np.zeros((0, A.shape[0])), np.zeros(0), Cv)
    alpha[alpha < 1e-7 * Cv] = 0.0
    alpha[alpha > Cv * (1 - 1e-7)] = Cv[alpha > Cv * (1 - 1e-7)]
    return alpha


def _ipm_cs_alpha(Xd: np.ndarray, labels: np.ndarray, Cv: np.ndarray, K: int) -> np.ndarray:
    """The Crammer-Singer dual in beta = C e_y - alpha >= 0 (sum_m beta_i^m = C_i), snapped."""
    l = Xd.shape[0]
    r = np.arange(l)
    Q = np.kron(Xd @ Xd.T, np.eye(K))                    # index i*K + m
    a0 = np.zeros((l, K))
    a0[r, labels] = Cv
    e = np.ones((l, K))
    e[r, labels] = 0.0
    c = -(Q @ a0.ravel() + e.ravel())
    A = np.kron(np.eye(l), np.ones((1, K)))
    beta = qp_interior_point(Q, c, A, Cv.copy(), np.full(l * K, INF)).reshape(l, K)
    beta[beta < 1e-7 * Cv[:, None]] = 0.0
    return a0 - beta


def optimum(p: Problem, solver: int, random_state: int, approx=("interior-point", 1e-6, 1e-8)):
    """The exact minimiser of the problem scikit-learn's solver `solver` solves:
    (coef_, intercept_ or None, [Certificate per sub-problem]). The approximate solution
    that the polishing starts from comes from the interior-point method, else from the
    replayed solver at tolerance 1e-6, then 1e-8. Raises NotCertified."""
    for how in approx:
        try:
            return _optimum(p, solver, random_state, how)
        except NotCertified as e:
            failure = e
    raise failure


def _optimum(p: Problem, solver: int, random_state: int, how):
    ipm = how == "interior-point"
    mt = MT19937(liblinear_seed(random_state))
    certs = []
    if solver == 4:
        Cv = np.array(cs_costs(p))
        labels = np.array(p.labels)
        if ipm:
            alpha0 = _ipm_cs_alpha(p.dense, labels, Cv, p.K)
        else:
            alpha0 = np.array(mcsvm_cs(p.rows, p.labels, list(Cv), p.n, p.K, how, mt)[1])
        Wk, _alpha, cert = optimum_cs(p.dense, labels, Cv, p.K, alpha0)
        _check(cert)
        coef, icpt = _split(p, Wk)
        if p.K == 2:
            coef = (coef[1] - coef[0]).reshape(1, -1)
            icpt = None if icpt is None else np.array([icpt[1] - icpt[0]])
        return coef, icpt, [cert]
    out = []
    for ypm, Cv in subproblems(p, solver):
        A = np.array(ypm, dtype=np.float64)[:, None] * p.dense
        Cva = np.array(Cv)
        if solver in (1, 2):
            w, cert = optimum_sq_hinge_l2(A, Cva)
        elif solver == 3:
            if ipm:
                alpha0 = _ipm_hinge_alpha(A, Cva)
            else:
                alpha0 = dual_cd(p.rows, ypm, Cv, p.n, how, "hinge", 10**6, mt)[1]
            w, _alpha, cert = optimum_hinge_l2(A, Cva, alpha0)
        else:
            w0, _it = l1r_l2_svc(p.rows, ypm, Cv, p.n, primal_tolerance(1e-4 if ipm else how, ypm), 10**6, mt)
            w, cert = optimum_l1_sq_hinge(A, Cva, w0)
        _check(cert)
        out.append(w)
        certs.append(cert)
    coef, icpt = _split(p, np.array(out))
    return coef, icpt, certs


def _check(cert: Certificate) -> None:
    if not cert.value <= cert.bound:
        raise NotCertified(f"{cert.kind} certificate {cert.value:.3g} exceeds {cert.bound:g}: {cert.detail}")
