#!/usr/bin/env python3
"""Benchmark HingeLosses' Swift LinearSVC against scikit-learn's LinearSVC.

Run with a Python that has scikit-learn 1.9.1 (and the SciPy 1.17.1 it pulls in):

    python tools/bench_linearsvc.py [--repeat-scale F] [--only NAME] [--keep DIR] [--binary PATH]

(--only digits|dense|sparse runs some rows; --keep keeps the data and
outputs; --binary times another LinearSVCBench build instead of building.)
About 1.5 minutes on 2 cores once the release build is done; the table goes to
stdout as Markdown, progress to stderr.

What it does, in one run:

1. builds the Swift benchmark (``swift build -c release --package-path Benchmarks --product LinearSVCBench``);
2. makes the datasets (fixed random_state) and writes each to a temporary
   folder as raw little-endian float64 / int64 arrays with a small JSON header
   (the format ``Benchmarks/Sources/LinearSVCBench/main.swift`` documents);
3. for each row (dataset x tol) runs, each in a fresh process,
   - ``LinearSVCBench``, which times ``fit`` alone in-process (loading excluded)
     and writes coef/intercept to a file; its peak RSS is the maximum resident
     set size ``/usr/bin/time`` reports for it (RUSAGE_CHILDREN of that small
     launcher, see ``bench.run_child``);
   - a scikit-learn worker (this script with ``--sklearn-worker``, also
     started by ``/usr/bin/time``), which loads the same files, times ``fit``
     alone with ``time.perf_counter`` and reports its own peak RSS with
     ``resource.getrusage(RUSAGE_SELF)``;
4. evaluates the primal objective of both models on the same data with the
   same NumPy code and prints a Markdown table (median fit times, ratio
   ours / sklearn, peak RSS, objectives and their relative difference).

BLAS kernel: solver 2 (TRON) follows the rounding of the OpenBLAS level-1 kernels
scikit-learn's SciPy picked for this CPU (threadpoolctl's `architecture`: SkylakeX on
AVX-512, Haswell on AVX2; OPENBLAS_CORETYPE overrides it). The driver asks a child
with the same environment which one that is, passes it to LinearSVCBench as
`--blas-kernel`, checks that every scikit-learn worker reports the same, and prints
it. A kernel the Swift port does not model stops the run.

Objectives (w~ = [w; b / intercept_scaling], the bias is a regularised feature
with value intercept_scaling, as in LIBLINEAR):
- one-vs-rest: sum over the sub-problems (one for binary, positive class 1;
  else one per class k, y = +1 for class k, -1 otherwise) of
  1/2 ||w~||^2 + C * sum_i max(0, 1 - y_i w~.x~_i)^2 (squared hinge);
- Crammer-Singer: 1/2 sum_m ||w~_m||^2
  + C * sum_i [max_m (1[m != y_i] + w~_m.x~_i) - w~_{y_i}.x~_i].

Threads: scikit-learn runs with the environment it is given (OPENBLAS_NUM_THREADS
/ OMP_NUM_THREADS as set, or unset = OpenBLAS's and OpenMP's default of one
thread per core); LIBLINEAR itself is single-threaded, only TRON's BLAS level-1
calls go through OpenBLAS. The Swift solver is single-threaded. The script
prints what threadpoolctl reports inside the worker.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# The driver pieces shared with tools/bench.py (fresh-process runs with peak RSS, the
# release build, the JSON line protocol).
from bench import BENCHMARKS, last_json_line, run_child, swift_build

REPO = Path(__file__).resolve().parent.parent
PRODUCT = "LinearSVCBench"

# Fixed everywhere.
RANDOM_STATE = 0
DEFAULT_TOL = 1e-4  # LinearSVC's default
TIGHT_TOL = 1e-6


# --------------------------------------------------------------------------
# Data exchange
# --------------------------------------------------------------------------


def write_dataset(folder: Path, name: str, X, y: np.ndarray, n_classes: int) -> dict:
    """Writes X and y as raw little-endian arrays; returns the header without params."""
    import scipy.sparse as sp

    folder.mkdir(parents=True, exist_ok=True)
    header = {"version": 1, "rows": int(X.shape[0]), "columns": int(X.shape[1]), "classes": int(n_classes)}
    if sp.issparse(X):
        X = sp.csr_matrix(X)
        np.asarray(X.indptr, dtype="<i8").tofile(folder / f"{name}.indptr.i64")
        np.asarray(X.indices, dtype="<i8").tofile(folder / f"{name}.indices.i64")
        np.asarray(X.data, dtype="<f8").tofile(folder / f"{name}.values.f64")
        header["format"] = "csr"
        header["x"] = {
            "indptr": f"{name}.indptr.i64",
            "indices": f"{name}.indices.i64",
            "values": f"{name}.values.f64",
        }
    else:
        np.ascontiguousarray(X, dtype="<f8").tofile(folder / f"{name}.x.f64")
        header["format"] = "dense"
        header["x"] = {"values": f"{name}.x.f64"}
    np.asarray(y, dtype="<i8").tofile(folder / f"{name}.y.i64")
    header["y"] = f"{name}.y.i64"
    return header


def read_dataset(header_path: Path):
    """The inverse of write_dataset, as scikit-learn would hold the data (int32 CSR indices)."""
    import scipy.sparse as sp

    header = json.loads(header_path.read_text())
    folder = header_path.parent
    n, p = header["rows"], header["columns"]
    if header["format"] == "csr":
        indptr = np.fromfile(folder / header["x"]["indptr"], dtype="<i8")
        indices = np.fromfile(folder / header["x"]["indices"], dtype="<i8")
        values = np.fromfile(folder / header["x"]["values"], dtype="<f8")
        # scipy's own choice for this size; LIBLINEAR needs int32 and would copy otherwise.
        X = sp.csr_matrix((values, indices.astype(np.int32), indptr.astype(np.int32)), shape=(n, p))
        del indptr, indices
    else:
        X = np.fromfile(folder / header["x"]["values"], dtype="<f8").reshape(n, p)
    y = np.fromfile(folder / header["y"], dtype="<i8")
    return header, X, y


def read_coef(path: Path, rows: int, columns: int):
    flat = np.fromfile(path, dtype="<f8")
    if flat.size != rows * columns + rows:
        raise RuntimeError(f"{path}: {flat.size} values, expected {rows * columns + rows}")
    return flat[: rows * columns].reshape(rows, columns), flat[rows * columns :]




# --------------------------------------------------------------------------
# The scikit-learn worker (a fresh process per row)
# --------------------------------------------------------------------------


def sklearn_worker(header_path: Path, out_path: Path) -> None:
    import resource
    import warnings

    import scipy
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    header, X, y = read_dataset(header_path)
    params = header["params"]
    repeats = header.get("repeats", 1)
    times = []
    converged = True
    model = None
    for _ in range(repeats):
        clf = LinearSVC(**params)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            start = time.perf_counter()
            clf.fit(X, y)
            times.append(time.perf_counter() - start)
        if any(issubclass(w.category, ConvergenceWarning) for w in caught):
            converged = False
        model = clf
    coef = np.ascontiguousarray(model.coef_, dtype="<f8")
    intercept = np.broadcast_to(np.asarray(model.intercept_, dtype="<f8"), (coef.shape[0],))
    np.concatenate([coef.ravel(), intercept]).astype("<f8").tofile(out_path)
    try:
        from threadpoolctl import threadpool_info

        kernel = scipy_blas_kernel()
        pools = [
            f"{p['internal_api']}:{p['num_threads']}" + (f" ({p.get('architecture')})" if p.get("architecture") else "")
            for p in threadpool_info()
        ]
    except Exception as error:  # threadpoolctl is a scikit-learn dependency, but be robust
        pools = [f"threadpoolctl unavailable: {error}"]
        kernel = None
    result = {
        "times": times,
        "n_iter": int(np.max(model.n_iter_)),
        "coef_shape": list(coef.shape),
        "converged": converged,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "baseline_rss_kib": baseline_kib,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "threadpools": pools,
        "blas_kernel": kernel,
    }
    print(json.dumps(result))


def scipy_blas_kernel() -> str:
    """The `architecture` threadpoolctl reports for SciPy's OpenBLAS, the library
    scikit-learn's _cython_blas (and so TRON) calls."""
    from threadpoolctl import threadpool_info
    import scipy.linalg  # noqa: F401  (loads it)

    found = [p for p in threadpool_info() if p.get("internal_api") == "openblas"
             and Path(p["filepath"]).parent.name == "scipy.libs"]
    if len(found) != 1:
        raise RuntimeError(f"expected one OpenBLAS in scipy.libs, threadpoolctl reports {threadpool_info()}")
    return found[0]["architecture"]


# The kernels LinearSVCBench --blas-kernel takes (LinearSVC.BLASKernel).
MODELLED_KERNELS = ("SkylakeX", "Haswell")


# --------------------------------------------------------------------------
# Running children with their own rusage
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# Objectives
# --------------------------------------------------------------------------


def scores(X, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return np.asarray(X @ coef.T) + intercept


def ovr_objective(X, y, n_classes, coef, intercept, C, s, loss) -> float:
    z = scores(X, coef, intercept)
    targets = [1] if n_classes == 2 else list(range(n_classes))
    if coef.shape[0] != len(targets):
        raise RuntimeError(f"coef has {coef.shape[0]} rows for {n_classes} classes")
    wb = intercept / s
    total = 0.0
    for r, k in enumerate(targets):
        yk = np.where(y == k, 1.0, -1.0)
        slack = np.maximum(0.0, 1.0 - yk * z[:, r])
        data = np.sum(slack * slack) if loss == "squared_hinge" else np.sum(slack)
        total += 0.5 * (coef[r] @ coef[r] + wb[r] * wb[r]) + C * data
    return float(total)


def crammer_singer_objective(X, y, n_classes, coef, intercept, C, s) -> float:
    if coef.shape[0] != n_classes or n_classes < 3:
        raise RuntimeError("the Crammer-Singer objective needs one coef row per class (K >= 3)")
    z = scores(X, coef, intercept)
    n = z.shape[0]
    rows = np.arange(n)
    margins = z + 1.0
    margins[rows, y] -= 1.0
    xi = margins.max(axis=1) - z[rows, y]
    wb = intercept / s
    return float(0.5 * (np.sum(coef * coef) + np.sum(wb * wb)) + C * np.sum(xi))


def objective(X, y, header, coef, intercept) -> float:
    params = header["params"]
    C = params.get("C", 1.0)
    s = params.get("intercept_scaling", 1.0)
    if not params.get("fit_intercept", True):
        intercept = np.zeros(coef.shape[0])
        s = 1.0
    if params.get("multi_class", "ovr") == "crammer_singer":
        return crammer_singer_objective(X, y, header["classes"], coef, intercept, C, s)
    return ovr_objective(X, y, header["classes"], coef, intercept, C, s, params.get("loss", "squared_hinge"))


# --------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------


def make_digits():
    from sklearn.datasets import load_digits
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X.astype(np.float64)), y.astype(np.int64), 10


def make_dense():
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=100_000, n_features=100, random_state=RANDOM_STATE)
    return X, y.astype(np.int64), 2


def make_sparse():
    """50,000 x 100,000 CSR, 0.1 % non-zeros uniform in [0, 1); labels from a
    random hyperplane through the median score, 1 % flipped."""
    import scipy.sparse as sp

    rng = np.random.default_rng(RANDOM_STATE)
    X = sp.random(50_000, 100_000, density=0.001, format="csr", dtype=np.float64, random_state=rng)
    X.sum_duplicates()
    X.sort_indices()
    w = rng.standard_normal(X.shape[1])
    score = X @ w
    y = (score > np.median(score)).astype(np.int64)
    flip = rng.random(X.shape[0]) < 0.01
    y[flip] = 1 - y[flip]
    return X, y, 2


def rows_to_run(scale: float):
    """(dataset, maker, extra params, tol, repeats)."""
    def reps(n):
        return max(1, int(round(n * scale)))

    ovr = {}
    cs = {"multi_class": "crammer_singer"}
    return [
        ("digits", "digits", ovr, DEFAULT_TOL, reps(5)),
        ("digits", "digits", ovr, TIGHT_TOL, reps(5)),
        ("dense 100k×100", "dense", ovr, DEFAULT_TOL, reps(5)),
        ("dense 100k×100", "dense", ovr, TIGHT_TOL, reps(5)),
        ("sparse 50k×100k", "sparse", ovr, DEFAULT_TOL, reps(5)),
        ("sparse 50k×100k", "sparse", ovr, TIGHT_TOL, reps(5)),
        ("digits Crammer–Singer", "digits", cs, DEFAULT_TOL, reps(5)),
        ("digits Crammer–Singer", "digits", cs, TIGHT_TOL, reps(5)),
    ]


MAKERS = {"digits": make_digits, "dense": make_dense, "sparse": make_sparse}


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds < 1e-2:
        return f"{seconds * 1e3:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sklearn-worker", nargs=2, metavar=("HEADER", "COEF_OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--repeat-scale", type=float, default=1.0,
                        help="multiply every row's repetition count (default 1: 5 per row; every fit here takes < 3 s)")
    parser.add_argument("--only", action="append", choices=sorted(MAKERS),
                        help="run only these datasets (repeatable)")
    parser.add_argument("--keep", type=Path, help="write the data and outputs here and keep them")
    parser.add_argument("--binary", type=Path, help="use this LinearSVCBench instead of building it")
    parser.add_argument("--print-blas-kernel", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.sklearn_worker:
        sklearn_worker(Path(args.sklearn_worker[0]), Path(args.sklearn_worker[1]))
        return 0
    if args.print_blas_kernel:
        print(json.dumps({"blas_kernel": scipy_blas_kernel()}))
        return 0

    # Asked in a child with the environment the scikit-learn workers get (OPENBLAS_CORETYPE included).
    text, _, _ = run_child([sys.executable, str(Path(__file__).resolve()), "--print-blas-kernel"])
    blas_kernel = last_json_line(text)["blas_kernel"]
    if blas_kernel not in MODELLED_KERNELS:
        print(f"scikit-learn's OpenBLAS runs its {blas_kernel} kernels here, which LinearSVC.BLASKernel does not "
              f"model ({', '.join(MODELLED_KERNELS)}); set OPENBLAS_CORETYPE to one of them", file=sys.stderr)
        return 1
    print(f"OpenBLAS kernel (threadpoolctl, SciPy's OpenBLAS): {blas_kernel}", file=sys.stderr, flush=True)

    binary = args.binary or swift_build(PRODUCT, BENCHMARKS)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench_linearsvc."))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    try:
        results = []
        cache = {}
        for label, key, extra, tol, repeats in rows_to_run(args.repeat_scale):
            if args.only and key not in args.only:
                continue
            if key not in cache:
                print(f"making {key} ...", file=sys.stderr, flush=True)
                X, y, k = MAKERS[key]()
                cache.clear()  # keep one dataset in memory at a time
                cache[key] = (X, y, write_dataset(workdir, key, X, y, k))
            X, y, base_header = cache[key]
            params = {"penalty": "l2", "loss": "squared_hinge", "dual": "auto", "tol": tol, "C": 1.0,
                      "multi_class": "ovr", "fit_intercept": True, "intercept_scaling": 1.0,
                      "random_state": RANDOM_STATE, "max_iter": 1000}
            params.update(extra)
            header = dict(base_header, params=params, repeats=repeats)
            tag = f"{key}_{extra.get('multi_class', 'ovr')}_{tol:g}"
            header_path = workdir / f"{tag}.json"
            header_path.write_text(json.dumps(header, indent=1))

            loads.append(os.getloadavg()[0])
            print(f"{label}, tol={tol:g}: ours x{repeats} ...", file=sys.stderr, flush=True)
            ours_out = workdir / f"{tag}.ours.coef"
            text, ours_rss, _ = run_child([str(binary), "--blas-kernel", blas_kernel, str(header_path), str(ours_out)])
            ours = last_json_line(text)
            if ours_rss is None:
                ours_rss = ours["max_rss_kib"]
            print(f"{label}, tol={tol:g}: sklearn x{repeats} ...", file=sys.stderr, flush=True)
            sk_out = workdir / f"{tag}.sklearn.coef"
            text, sk_rss_time, _ = run_child(
                [sys.executable, str(Path(__file__).resolve()), "--sklearn-worker", str(header_path), str(sk_out)])
            sk = last_json_line(text)
            if sk["blas_kernel"] != blas_kernel or ours["blas_kernel"] != blas_kernel:
                raise RuntimeError(f"{label}: OpenBLAS kernel {sk['blas_kernel']} in the scikit-learn worker, "
                                   f"{ours['blas_kernel']} in ours, {blas_kernel} expected")

            shape = ours["coef_shape"]
            if shape != sk["coef_shape"]:
                raise RuntimeError(f"{label}: coef shapes differ: ours {shape}, sklearn {sk['coef_shape']}")
            ours_coef, ours_b = read_coef(ours_out, *shape)
            sk_coef, sk_b = read_coef(sk_out, *shape)
            f_ours = objective(X, y, header, ours_coef, ours_b)
            f_sk = objective(X, y, header, sk_coef, sk_b)
            rel = abs(f_ours - f_sk) / abs(f_sk)
            dw = max(float(np.max(np.abs(ours_coef - sk_coef))), float(np.max(np.abs(ours_b - sk_b))))
            t_ours = statistics.median(ours["times"])
            t_sk = statistics.median(sk["times"])
            results.append({
                "label": label, "tol": tol, "repeats": repeats, "solver": ours["solver"],
                "t_ours": t_ours, "t_sk": t_sk, "ratio": t_ours / t_sk,
                "times_ours": ours["times"], "times_sk": sk["times"],
                "rss_ours": ours_rss, "rss_sk": sk["max_rss_kib"], "rss_sk_time": sk_rss_time, "rss_ours_self": ours.get("max_rss_kib"),
                "rss_sk_baseline": sk["baseline_rss_kib"],
                "f_ours": f_ours, "f_sk": f_sk, "rel": rel, "dw": dw,
                "iter_ours": ours["n_iter"], "iter_sk": sk["n_iter"], "blas_kernel": blas_kernel,
                "converged_sk": sk["converged"], "deterministic": ours["deterministic"],
                "sk_info": sk,
            })
            print(f"  ours {fmt_time(t_ours)}, sklearn {fmt_time(t_sk)}, ratio {t_ours / t_sk:.2f}, "
                  f"rel. objective diff {rel:.1e}", file=sys.stderr, flush=True)
        cache.clear()
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    total = time.perf_counter() - started
    loads.append(os.getloadavg()[0])
    print_report(results, total, loads)
    return 0


def print_report(results: list[dict], total: float, loads: list[float]) -> None:
    if not results:
        print("no rows ran")
        return
    info = results[0]["sk_info"]
    solver_names = {1: "dual CD (1)", 2: "primal TRON (2)", 3: "dual CD hinge (3)", 4: "Crammer–Singer (4)",
                    5: "primal CD l1 (5)"}
    print("## LinearSVC fit: HingeLosses (Swift) vs scikit-learn\n")
    print("| dataset | tol | solver | reps | ours | sklearn | ours / sklearn | peak RSS ours (MiB) "
          "| peak RSS sklearn (MiB) | objective ours | objective sklearn | rel. diff | max abs Δcoef "
          "| n_iter ours / sklearn |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['label']} | {r['tol']:g} | {solver_names.get(r['solver'], r['solver'])} | {r['repeats']} "
              f"| {fmt_time(r['t_ours'])} | {fmt_time(r['t_sk'])} | {r['ratio']:.2f} "
              f"| {fmt_mib(r['rss_ours'])} | {fmt_mib(r['rss_sk'])} "
              f"| {r['f_ours']:.10g} | {r['f_sk']:.10g} | {r['rel']:.1e} | {r['dw']:.1e} "
              f"| {r['iter_ours']} / {r['iter_sk']}{'' if r['converged_sk'] else ' ⚠'} |")
    print()
    env = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    print("- Times: median over `reps` fits, each timed around `fit` alone (data loading excluded): "
          "scikit-learn in-process with `time.perf_counter`, ours inside `LinearSVCBench` "
          "(`swift build -c release`) with `ContinuousClock`; `reps` fits per row in one process for each side "
          "(the first fit included).")
    print(f"- Peak RSS: whole process, one fresh process per row; scikit-learn by `resource.getrusage(RUSAGE_SELF)` "
          f"in its worker (which has {fmt_mib(results[0]['rss_sk_baseline'])} MiB after importing NumPy, SciPy "
          f"and scikit-learn, before loading data), ours by `/usr/bin/time` (its maximum resident set size of the "
          f"Swift process). Both processes are started by `/usr/bin/time`, not forked from the driver: Linux carries "
          f"a process's peak RSS over `exec`, so a child exec'd from the driver would report the driver's memory. "
          f"Both hold the data as loaded (float64; CSR with int64 indices for ours, int32 for scikit-learn).")
    print("- Objective: primal of the fitted model with the bias as a regularised feature, summed over the "
          "one-vs-rest sub-problems (squared hinge), or the Crammer–Singer primal; rel. diff = "
          "|ours − sklearn| / |sklearn|.")
    print(f"- OpenBLAS kernel: {results[0]['blas_kernel']} (threadpoolctl's architecture for SciPy's OpenBLAS in "
          f"every scikit-learn worker; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}); ours ran "
          f"with `--blas-kernel {results[0]['blas_kernel']}`, so solver 2 follows the same rounding.")
    tron = [r for r in results if r["solver"] == 2]
    if tron:
        exact = [r for r in tron if r["iter_ours"] == r["iter_sk"] and r["dw"] == 0]
        print(f"- TRON (solver 2) rows path-exact (n_iter equal, max abs Δcoef 0): {len(exact)} of {len(tron)}.")
    print(f"- Threads: ours single-threaded. scikit-learn: {', '.join(f'{k}={v}' for k, v in env.items())}; "
          f"threadpoolctl in the worker: {'; '.join(info['threadpools'])}. LIBLINEAR is single-threaded; only "
          f"TRON's level-1 BLAS goes through OpenBLAS (it splits `ddot` only for n > 10000).")
    if any(not r["converged_sk"] for r in results):
        print("- ⚠: scikit-learn warned \"Liblinear failed to converge\" (n_iter ≥ max_iter = 1000). For "
              "Crammer–Singer the warning is spurious: that solver ignores max_iter (its own cap is 100,000 "
              "passes) and stopped on its tolerance.")
    print("- Data: digits = `load_digits` standardised (1,797×64, 10 classes); dense = "
          "`make_classification(n_samples=100000, n_features=100, random_state=0)`; sparse = "
          "`scipy.sparse.random(50000, 100000, density=0.001)` with labels from a random hyperplane "
          "(1 % flipped), seed 0. LinearSVC defaults (C=1, squared hinge, l2, dual='auto', max_iter=1000), "
          "random_state=0.")
    print(f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"scikit-learn {info['sklearn']}, NumPy {info['numpy']}, SciPy {info['scipy']}; "
          f"whole run {total:.0f} s; 1-minute load average {min(loads):.2f}–{max(loads):.2f} over the run "
          f"(the benchmark itself accounts for 1–2: one busy process, plus OpenBLAS threads that spin "
          f"for a while after scikit-learn's BLAS calls; a higher figure means other work shared the 2 cores).")
    slow = [r for r in results if r["ratio"] > 1]
    off = [r for r in results if not r["rel"] <= 1e-6]
    if slow or off:
        print()
        for r in slow:
            print(f"- SLOWER: {r['label']} tol={r['tol']:g}: ours {fmt_time(r['t_ours'])} vs "
                  f"{fmt_time(r['t_sk'])} (×{r['ratio']:.2f}); per rep ours "
                  f"{[round(t, 4) for t in r['times_ours']]}, sklearn {[round(t, 4) for t in r['times_sk']]}")
        for r in off:
            print(f"- OBJECTIVE: {r['label']} tol={r['tol']:g}: relative difference {r['rel']:.2e} > 1e-6")
    else:
        print("\nEvery row: ours no slower than scikit-learn, objectives equal to 1e-6 relative.")


if __name__ == "__main__":
    sys.exit(main())
