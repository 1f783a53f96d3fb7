"""Check the OpenBLAS level-1 kernel models (hinge_fixtures/openblas_level1.py) bit for bit
against scipy.linalg.blas, once per kernel, each in its own process started with
OPENBLAS_CORETYPE=<kernel> (OpenBLAS reads it when it loads). Needs a Python with scipy
1.17.1 and threadpoolctl (for example the one with scikit-learn 1.9.1 that regenerates the
fixtures); each worker fails unless threadpoolctl reports the requested architecture for
SciPy's OpenBLAS, so run it on a CPU that has that kernel's instructions (AVX-512 for
SkylakeX).

    python tools/check_openblas_level1.py [--kernels SkylakeX Haswell] [--seed 0]

Lengths 1..300 and a few above the 10000-element thread split; vectors whose entries span
many binades, so every reassociation shows. Prints one line per kernel and routine and
exits 1 on any difference.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

LENGTHS = list(range(1, 301)) + [1000, 4099, 10000, 10001, 10017, 16411, 20001, 30001]


def scipy_openblas_architecture() -> str:
    from threadpoolctl import threadpool_info
    import scipy.linalg  # noqa: F401  (loads SciPy's OpenBLAS)
    found = [i for i in threadpool_info() if i.get("internal_api") == "openblas" and "scipy" in i["filepath"]
             and "numpy" not in i["filepath"]]
    if len(found) != 1:
        raise SystemExit(f"expected one SciPy OpenBLAS, threadpoolctl reports {found}")
    return found[0]["architecture"]


def worker(kernel: str, seed: int) -> dict:
    import numpy as np
    from scipy.linalg import blas
    from hinge_fixtures import openblas_level1 as ob

    arch = scipy_openblas_architecture()
    if arch != kernel:
        raise SystemExit(f"OPENBLAS_CORETYPE={kernel}: threadpoolctl reports {arch}")
    threads = [i for i in __import__("threadpoolctl").threadpool_info() if "scipy" in i["filepath"]][0]["num_threads"]
    rng = np.random.default_rng(seed)
    counts = {r: [0, 0] for r in ("ddot", "dnrm2", "daxpy", "dscal")}
    other = [k for k in ob.KERNELS if k != kernel]
    differs = {k: 0 for k in other}
    for n in LENGTHS:
        for rep in range(2):
            x = rng.standard_normal(n) * np.ldexp(1.0, rng.integers(-20, 21, n))
            y = rng.standard_normal(n) * np.ldexp(1.0, rng.integers(-20, 21, n))
            if rep:
                y = -x * (1 + np.ldexp(rng.standard_normal(n), -30))       # heavy cancellation
            alpha = float(rng.standard_normal() * 2.0 ** int(rng.integers(-10, 11)))
            want = blas.ddot(x, y)
            got = ob.ddot(x, y, kernel, threads=threads)
            counts["ddot"][0] += 1
            counts["ddot"][1] += (np.float64(want).view(np.int64) == np.float64(got).view(np.int64))
            for k in other:
                differs[k] += ob.ddot(x, y, k, threads=threads) != got
            counts["dnrm2"][0] += 1
            counts["dnrm2"][1] += (np.float64(blas.dnrm2(x)).view(np.int64) == np.float64(ob.dnrm2(x)).view(np.int64))
            want_y = blas.daxpy(x, y.copy(), a=alpha)
            counts["daxpy"][0] += 1
            counts["daxpy"][1] += bool(np.array_equal(want_y.view(np.int64), ob.daxpy(alpha, x, y, kernel, threads=threads).view(np.int64)))
            want_x = blas.dscal(alpha, x.copy())
            counts["dscal"][0] += 1
            counts["dscal"][1] += bool(np.array_equal(want_x.view(np.int64), ob.dscal(alpha, x, kernel).view(np.int64)))
    counts = {k: [int(t), int(e)] for k, (t, e) in counts.items()}
    return {"kernel": kernel, "architecture": arch, "threads": threads, "counts": counts,
            "ddot_differs_from": {k: int(v) for k, v in differs.items()}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernels", nargs="+", default=["SkylakeX", "Haswell"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(worker(a.worker, a.seed)))
        return 0
    ok = True
    for kernel in a.kernels:
        env = dict(os.environ, OPENBLAS_CORETYPE=kernel)
        out = subprocess.run([sys.executable, __file__, "--worker", kernel, "--seed", str(a.seed)], env=env,
                             capture_output=True, text=True)
        if out.returncode:
            print(out.stdout + out.stderr, file=sys.stderr)
            return 1
        r = json.loads(out.stdout.strip().splitlines()[-1])
        for routine, (total, equal) in r["counts"].items():
            print(f"{kernel:9s} (threadpoolctl: {r['architecture']}, {r['threads']} threads) {routine}: "
                  f"{equal}/{total} bit-equal")
            ok &= equal == total
        for k, v in r["ddot_differs_from"].items():
            print(f"{kernel:9s} ddot model differs from the {k} model on {v} of {r['counts']['ddot'][0]} vectors")
    print(f"lengths {LENGTHS[0]}..{LENGTHS[299]} and {LENGTHS[300:]}, 2 vectors each")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
