#!/usr/bin/env python3
"""Benchmark HingeLosses' Swift losses against PyTorch, Keras (JAX and TensorFlow) and NumPy.

Run from anywhere with any python3 that has NumPy (the frameworks live in their
own virtualenvs and are run as worker processes):

    python3 tools/bench.py [--quick] [--only REGEX] [--threads 1,2] [--dtypes float32,float64]
        [--torch-python PATH] [--keras-python PATH] [--skip CONTENDER] [--binary PATH]
        [--output PATH | --no-write] [--keep DIR]

The full run takes 15-20 minutes on 2 cores and rewrites BENCHMARKS.md at the
repository root; ``--quick`` (smaller shapes, shorter budgets) and ``--only`` print
the table without touching BENCHMARKS.md unless ``--output`` names a file. Progress
goes to stderr, the Markdown report to stdout.

What it does, in one run:

1. builds ``swift build -c release --package-path Benchmarks --product HingeBench`` and, in the root
   package, ``swift build -c release --product hinge-conformance``;
2. per data set (fixed seed 0): writes the inputs once as raw little-endian arrays
   (float64, and the same values rounded to float32) with a JSON header per workload
   (the format ``Benchmarks/Sources/HingeBench/main.swift`` documents), so every contender reads
   the same data;
3. per row (loss, shape, forward | forward+backward, dtype, threads) runs each
   contender in a fresh process, started by ``/usr/bin/time`` for its peak RSS:
   ours (``HingeBench``), torch (``torch.nn.functional``), Keras 3 on JAX and on
   TensorFlow (``keras.losses.Hinge`` / ``CategoricalHinge``, reduction
   ``sum_over_batch_size``), and NumPy (a vectorised implementation in this file);
   each worker loads the files, makes ``warmup`` untimed calls, then times
   ``clamp(ceil(budget / warm-up time), min, max)`` calls one by one (fewer when
   they would take longer than ``cap`` seconds), and reports the times, the loss
   value, its CPU time and, for forward+backward, writes its gradient;
4. measures the memory bandwidth with ``HingeBench --stream BYTES``: a sum of a
   buffer as large as the row's inputs, on the row's thread count;
5. compares every loss value and gradient with ours and prints a Markdown report.

Contenders whose Python or package is missing are reported as n/a with the reason.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
# The benchmark executables are a package of their own (Benchmarks/Package.swift,
# depending on the root package by path); hinge-conformance is the root's.
BENCHMARKS = REPO / "Benchmarks"
PRODUCT = "HingeBench"
CONFORMANCE = "hinge-conformance"
SEED = 0
# The interpreters that run the framework workers: --torch-python / --keras-python, else
# these environment variables, else the python3 on PATH (which then needs the frameworks).
TORCH_PYTHON_ENV = "HINGE_TORCH_PYTHON"
KERAS_PYTHON_ENV = "HINGE_KERAS_PYTHON"


def default_python(variable: str) -> str:
    """$variable when set and non-empty, else python3 from PATH (this interpreter when
    there is none)."""
    return os.environ.get(variable) or shutil.which("python3") or sys.executable
CONTENDERS = ["ours", "torch", "jax", "tf", "numpy"]
FRAMEWORK_NAMES = {"ours": "ours", "torch": "torch", "jax": "Keras/JAX", "tf": "Keras/TF", "numpy": "NumPy"}
NP_DTYPE = {"float32": "<f4", "float64": "<f8"}
SUFFIX = {"float32": "f32", "float64": "f64"}

# --------------------------------------------------------------------------
# The repetition rule (HingeBench's Repetitions implements the same)
# --------------------------------------------------------------------------


def repetitions(rule: dict, warm_seconds: float | None) -> int:
    if not warm_seconds or warm_seconds <= 0:
        return rule["max_repeats"]
    n = min(rule["max_repeats"], max(rule["min_repeats"], math.ceil(rule["budget_seconds"] / warm_seconds)))
    if n * warm_seconds > rule["cap_seconds"]:
        # Never below min_repeats: a median of one call let a single page-fault storm
        # (seen once on a 2.3 GiB row) stand for the row.
        n = max(rule["min_repeats"], min(n, int(rule["cap_seconds"] / warm_seconds)))
    return n


def measure(rule: dict, call):
    """Warm-up calls, then timed calls; returns (warmup times, times, last result, identical, cpu seconds)."""
    warm = []
    last = None
    identical = True
    for _ in range(rule["warmup"]):
        start = time.perf_counter()
        r = call()
        warm.append(time.perf_counter() - start)
        if last is not None and not same_loss(last, r):
            identical = False
        last = r
    count = repetitions(rule, warm[-1] if warm else None)
    times = []
    cpu0 = time.process_time()
    for _ in range(count):
        start = time.perf_counter()
        r = call()
        times.append(time.perf_counter() - start)
        if last is not None and not same_loss(last, r):
            identical = False
        last = r
    return warm, times, last, identical, time.process_time() - cpu0


def same_loss(a, b) -> bool:
    a, b = float(a[0]), float(b[0])
    return a == b or (math.isnan(a) and math.isnan(b))


# --------------------------------------------------------------------------
# Workers (run with the framework's own Python; they import only NumPy and it)
# --------------------------------------------------------------------------


def load_inputs(header_path: Path):
    header = json.loads(header_path.read_text())
    folder = header_path.parent

    def path(name):
        return Path(name) if name.startswith("/") else folder / name

    shape = tuple(header["shape"])
    x = np.fromfile(path(header["x"]), dtype=NP_DTYPE[header["dtype"]]).reshape(shape)
    if header["loss"] == "multi_margin":
        target = np.fromfile(path(header["target"]), dtype="<i8")
    else:
        target = np.fromfile(path(header["target"]), dtype=NP_DTYPE[header["dtype"]]).reshape(shape)
    return header, x, target, path


def rss_kib() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def finish_worker(name, header, path, warm, times, last, identical, cpu, baseline, threads, info):
    loss, gradient = last
    result = {
        "contender": name,
        "times": times,
        "warmup_times": warm,
        "loss": float(loss) if math.isfinite(float(loss)) else None,
        "losses_identical": identical,
        "cpu_seconds": cpu,
        "threads_requested": threads,
        "baseline_rss_kib": baseline,
        **info,
    }
    if header.get("gradient_out"):
        out = path(header["gradient_out"])
        np.ascontiguousarray(gradient, dtype=NP_DTYPE[header["dtype"]]).tofile(out)
        result["gradient_file"] = str(out)
    result["max_rss_kib"] = rss_kib()
    print(json.dumps(result))


def torch_worker(header_path: Path, threads: int) -> None:
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    baseline = rss_kib()
    header, x_np, target_np, path = load_inputs(header_path)
    x = torch.from_numpy(x_np)
    target = torch.from_numpy(target_np)
    if header["loss"] == "multi_margin":
        p = header.get("p", 1)

        def f(scores):
            return F.multi_margin_loss(scores, target, p=p, margin=1.0, reduction="mean")
    elif header["loss"] == "hinge_embedding":

        def f(scores):
            return F.hinge_embedding_loss(scores, target, margin=1.0, reduction="mean")
    else:
        raise SystemExit(f"torch has no {header['loss']}")

    if header["mode"] == "forward":

        def call():
            with torch.inference_mode():
                return f(x).item(), None
    else:
        xg = x.detach().requires_grad_(True)

        def call():
            xg.grad = None  # as zero_grad(set_to_none=True): a fresh gradient per call
            loss = f(xg)
            loss.backward()
            return loss.item(), xg.grad

    warm, times, last, identical, cpu = measure(header, call)
    if last[1] is not None:
        last = (last[0], last[1].numpy())
    info = {
        "versions": {"torch": torch.__version__, "numpy": np.__version__},
        "threads_used": torch.get_num_threads(),
        "execution": "eager; forward under inference_mode, backward by .backward()",
    }
    finish_worker("torch", header, path, warm, times, last, identical, cpu, baseline, threads, info)


def keras_worker(backend: str, header_path: Path, threads: int) -> None:
    # The thread settings are in the environment the driver gave this process
    # (XLA_FLAGS, TF_NUM_*_THREADS, OMP_NUM_THREADS), read when the backends start.
    os.environ["KERAS_BACKEND"] = "jax" if backend == "jax" else "tensorflow"
    header = json.loads(header_path.read_text())
    dtype = header["dtype"]
    versions = {}
    if backend == "jax":
        import jax

        if dtype == "float64":
            jax.config.update("jax_enable_x64", True)
        import jaxlib

        versions["jax"] = jax.__version__
        versions["jaxlib"] = jaxlib.__version__
    else:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        versions["tensorflow"] = tf.__version__
    import keras

    versions["keras"] = keras.__version__
    versions["numpy"] = np.__version__
    cls = {"keras_hinge": keras.losses.Hinge, "keras_categorical_hinge": keras.losses.CategoricalHinge}[header["loss"]]
    loss_fn = cls(reduction="sum_over_batch_size", dtype=dtype)
    baseline = rss_kib()
    header, x_np, target_np, path = load_inputs(header_path)

    if backend == "jax":
        import jax

        y_pred = jax.device_put(x_np)
        y_true = jax.device_put(target_np)
        y_pred.block_until_ready()
        y_true.block_until_ready()
        del x_np, target_np
        if header["mode"] == "forward":
            fwd = jax.jit(lambda yt, yp: loss_fn(yt, yp))

            def call():
                return float(fwd(y_true, y_pred)), None
        else:
            vg = jax.jit(jax.value_and_grad(lambda yp, yt: loss_fn(yt, yp)))

            def call():
                value, grad = vg(y_pred, y_true)
                grad.block_until_ready()
                return float(value), grad

        execution = "jax.jit" + (" of jax.value_and_grad" if header["mode"] != "forward" else "")
        warm, times, last, identical, cpu = measure(header, call)
        if last[1] is not None:
            last = (last[0], np.asarray(last[1]))
    else:
        import tensorflow as tf

        y_pred = tf.constant(x_np)
        y_true = tf.constant(target_np)
        del x_np, target_np
        if header["mode"] == "forward":

            @tf.function
            def fwd(yt, yp):
                return loss_fn(yt, yp)

            def call():
                return float(fwd(y_true, y_pred).numpy()), None
        else:

            @tf.function
            def fb(yt, yp):
                with tf.GradientTape() as tape:
                    tape.watch(yp)
                    value = loss_fn(yt, yp)
                return value, tape.gradient(value, yp)

            def call():
                value, grad = fb(y_true, y_pred)
                return float(value.numpy()), grad

        execution = "tf.function (graph, no XLA)" + (" with tf.GradientTape" if header["mode"] != "forward" else "")
        warm, times, last, identical, cpu = measure(header, call)
        if last[1] is not None:
            last = (last[0], last[1].numpy())
    info = {"versions": versions, "execution": execution,
            "threads_used": threads, "env": {k: os.environ.get(k) for k in THREAD_ENV_KEYS}}
    finish_worker(backend, header, path, warm, times, last, identical, cpu, baseline, threads, info)


# The NumPy contender: straightforward vectorised implementations.


def np_multi_margin(x, y, p, margin, backward):
    n, c = x.shape
    rows = np.arange(n)
    dtype = x.dtype
    xt = x[rows, y]
    z = x + (dtype.type(margin) - xt)[:, None]  # (margin - x[y]) + x[i], in the input's type
    z[rows, y] = 0  # the target's own term is excluded
    np.maximum(z, 0, out=z)
    h = z * z if p == 2 else z
    per_row = h.sum(axis=1) / dtype.type(c)
    loss = dtype.type(per_row.sum(dtype=np.float64) / n)
    if not backward:
        return loss, None
    step = dtype.type(1.0 / (n * c))
    g = z * dtype.type(2 * step) if p == 2 else (z > 0).astype(dtype) * step
    g[rows, y] = -g.sum(axis=1)
    return loss, g


def np_hinge_embedding(x, y, margin, backward):
    dtype = x.dtype
    m = dtype.type(margin) - x
    clamped = np.maximum(m, 0)
    values = np.where(y != 1, clamped, 0) + np.where(y != -1, x, 0)
    loss = values.mean(dtype=dtype)
    if not backward:
        return loss, None
    u = dtype.type(1.0 / x.size)
    g = np.where(y != -1, u, 0).astype(dtype) - np.where((y != 1) & (m > 0), u, 0).astype(dtype)
    return loss, g


def np_keras_hinge(y_true, y_pred, backward):
    dtype = y_pred.dtype
    n, c = y_pred.shape
    m = 1 - y_true * y_pred
    per_row = np.maximum(m, 0).mean(axis=-1)
    loss = per_row.sum() / dtype.type(n)
    if not backward:
        return loss, None
    # At the kink (m == 0) the full gradient, as TensorFlow's maximum passes it (JAX passes half).
    g = np.where(m >= 0, -y_true, 0).astype(dtype) * dtype.type(1.0 / (n * c))
    return loss, g


def np_keras_categorical_hinge(y_true, y_pred, backward):
    dtype = y_pred.dtype
    n, _ = y_pred.shape
    pos = np.sum(y_true * y_pred, axis=-1)
    masked = (1 - y_true) * y_pred
    neg = masked.max(axis=-1)
    z = neg - pos + 1
    loss = np.maximum(z, 0).sum() / dtype.type(n)
    if not backward:
        return loss, None
    g = -y_true
    g[np.arange(n), masked.argmax(axis=-1)] += 1  # ties are measure-zero on this data
    g *= np.where(z > 0, dtype.type(1.0 / n), 0).astype(dtype)[:, None]
    return loss, g


def numpy_worker(header_path: Path, threads: int) -> None:
    baseline = rss_kib()
    header, x, target, path = load_inputs(header_path)
    backward = header["mode"] != "forward"
    kind = header["loss"]
    if kind == "multi_margin":
        p = header.get("p", 1)

        def call():
            return np_multi_margin(x, target, p, 1.0, backward)
    elif kind == "hinge_embedding":

        def call():
            return np_hinge_embedding(x, target, 1.0, backward)
    elif kind == "keras_hinge":

        def call():
            return np_keras_hinge(target, x, backward)
    else:

        def call():
            return np_keras_categorical_hinge(target, x, backward)

    warm, times, last, identical, cpu = measure(header, call)
    info = {"versions": {"numpy": np.__version__}, "threads_used": 1, "execution": "eager (NumPy, single-threaded)"}
    finish_worker("numpy", header, path, warm, times, last, identical, cpu, baseline, threads, info)


# --------------------------------------------------------------------------
# Children, threads, probes
# --------------------------------------------------------------------------

TIME = shutil.which("time", path="/usr/bin:/bin")
THREAD_ENV_KEYS = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "XLA_FLAGS",
                   "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"]


def thread_env(threads: int) -> dict:
    env = dict(os.environ)
    for key in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[key] = str(threads)
    env["TF_NUM_INTRAOP_THREADS"] = str(threads)
    env["TF_NUM_INTEROP_THREADS"] = "1"
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    if threads == 1:
        env["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    else:
        env.pop("XLA_FLAGS", None)  # XLA's CPU thread pool defaults to one thread per core
    return env


class ChildError(RuntimeError):
    pass


def run_child(command: list[str], env: dict | None = None, timeout: float = 1800) -> tuple[str, int | None, float]:
    """Runs a command in a fresh process; returns (stdout, its peak RSS in KiB or None, wall seconds).

    Linux carries a process's peak RSS over exec, so children are started by a
    small process, GNU ``/usr/bin/time -f %M``, whose figure is returned (the
    driver itself holds the data sets only while writing them).
    """
    with tempfile.TemporaryDirectory() as scratch:
        rss_file = Path(scratch) / "rss"
        if TIME:
            wrapped = [TIME, "-f", "%M", "-o", str(rss_file), *command]
        else:
            wrapped = ["/bin/sh", "-c", '"$@" & wait $!', "sh", *command]
        start = time.perf_counter()
        proc = subprocess.run(wrapped, capture_output=True, text=True, cwd=REPO, env=env, timeout=timeout)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-3:])
            raise ChildError(f"exit status {proc.returncode}: {tail}")
        rss = None
        if TIME and rss_file.exists():
            words = rss_file.read_text().split()
            rss = int(words[-1]) if words and words[-1].isdigit() else None
    return proc.stdout, rss, wall


def last_json_line(text: str) -> dict:
    lines = [line for line in text.splitlines() if line.startswith("{")]
    if not lines:
        raise ChildError(f"no JSON line in output: {text[-300:]}")
    return json.loads(lines[-1])


PROBES = {
    "torch": ("torch_python", "import torch, numpy; print(torch.__version__)"),
    "jax": ("keras_python", "import os; os.environ['KERAS_BACKEND']='jax'; import jax, keras, numpy; "
            "print('keras', keras.__version__, 'jax', jax.__version__)"),
    "tf": ("keras_python", "import os; os.environ['KERAS_BACKEND']='tensorflow'; "
           "os.environ['TF_CPP_MIN_LOG_LEVEL']='2'; import tensorflow as tf, keras, numpy; "
           "print('keras', keras.__version__, 'tensorflow', tf.__version__)"),
}


def probe(name: str, python: str) -> str | None:
    """None when the contender can run, else the reason it cannot."""
    if not Path(python).exists():
        return f"{python} not found"
    _, code = PROBES[name]
    try:
        proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=300,
                              env=thread_env(1))
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{python}: {error}"
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return f"{python}: {lines[-1] if lines else 'exit status ' + str(proc.returncode)}"
    return None


# --------------------------------------------------------------------------
# Workloads and data
# --------------------------------------------------------------------------


def workloads(quick: bool) -> list[dict]:
    """Each workload: key, label, loss, p, data set, shape, frameworks."""
    k = 10 if quick else 1
    mm_shapes = [(100_000 // k, 10), (10_000 // k, 1_000), (1_000 // k, 100_000)]
    elements = 10_000_000 // k
    keras_shape = (100_000 // k, 100)
    out = []
    for n, c in mm_shapes:
        for p in (1, 2):
            out.append({"key": f"multi_margin:p={p}:{n}x{c}", "label": f"MultiMarginLoss p={p} {n:,}×{c:,}",
                        "loss": "multi_margin", "p": p, "data": f"mm_{n}x{c}", "shape": [n, c],
                        "frameworks": ["torch", "numpy"]})
    out.append({"key": f"hinge_embedding:{elements}", "label": f"HingeEmbeddingLoss {elements:,}",
                "loss": "hinge_embedding", "p": None, "data": f"hel_{elements}", "shape": [elements],
                "frameworks": ["torch", "numpy"]})
    n, c = keras_shape
    out.append({"key": f"keras_hinge:{n}x{c}", "label": f"Keras hinge {n:,}×{c}",
                "loss": "keras_hinge", "p": None, "data": f"keras_{n}x{c}", "shape": [n, c],
                "frameworks": ["jax", "tf", "numpy"]})
    out.append({"key": f"keras_categorical_hinge:{n}x{c}", "label": f"Keras categorical_hinge {n:,}×{c}",
                "loss": "keras_categorical_hinge", "p": None, "data": f"keras_{n}x{c}", "shape": [n, c],
                "frameworks": ["jax", "tf", "numpy"]})
    return out


def write_data(folder: Path, key: str, shape: list[int]) -> dict:
    """Writes the data set's arrays for both dtypes; returns {role: {dtype: file name}}."""
    rng = np.random.default_rng([SEED, sum(map(ord, key))])
    files = {}
    x = rng.standard_normal(int(np.prod(shape)))
    files["x"] = {}
    for dtype in NP_DTYPE:
        name = f"{key}.x.{SUFFIX[dtype]}"
        x.astype(NP_DTYPE[dtype]).tofile(folder / name)
        files["x"][dtype] = name
    del x
    if key.startswith("mm_"):
        n, c = shape
        name = f"{key}.y.i64"
        rng.integers(0, c, n, dtype=np.int64).astype("<i8").tofile(folder / name)
        files["classes"] = {d: name for d in NP_DTYPE}
    else:
        signs = np.where(rng.random(int(np.prod(shape))) < 0.5, -1.0, 1.0)
        files["signs"] = {}
        for dtype in NP_DTYPE:
            name = f"{key}.signs.{SUFFIX[dtype]}"
            signs.astype(NP_DTYPE[dtype]).tofile(folder / name)
            files["signs"][dtype] = name
        if key.startswith("keras_"):
            # Exact kinks of the hinge, 1 - y·p == 0, where the backends' gradients differ.
            files["hinge_kinks"] = {}
            for dtype in NP_DTYPE:
                p = np.fromfile(folder / files["x"][dtype], dtype=NP_DTYPE[dtype])
                files["hinge_kinks"][dtype] = int(np.count_nonzero(1 - signs.astype(p.dtype) * p == 0))
                del p
        del signs
        if key.startswith("keras_"):
            n, c = shape
            onehot = np.zeros((n, c))
            onehot[np.arange(n), rng.integers(0, c, n)] = 1
            files["onehot"] = {}
            for dtype in NP_DTYPE:
                name = f"{key}.onehot.{SUFFIX[dtype]}"
                onehot.astype(NP_DTYPE[dtype]).tofile(folder / name)
                files["onehot"][dtype] = name
            del onehot
    return files


def target_role(loss: str) -> str:
    return {"multi_margin": "classes", "hinge_embedding": "signs", "keras_hinge": "signs",
            "keras_categorical_hinge": "onehot"}[loss]


def traffic_bytes(w: dict, dtype: str, mode: str) -> tuple[int, int]:
    """(bytes the loss must read, bytes it must write): the inputs once, the gradient once."""
    size = np.dtype(NP_DTYPE[dtype]).itemsize
    elements = int(np.prod(w["shape"]))
    if w["loss"] == "multi_margin":
        read = elements * size + w["shape"][0] * 8
    else:
        read = 2 * elements * size
    write = elements * size if mode == "forward_backward" else 0
    return read, write


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------


def rel_diff(a, b) -> float | None:
    if a is None or b is None:
        return None
    if a == b:
        return 0.0
    return abs(a - b) / abs(b) if b != 0 else math.inf


def gradient_diff(ours: Path, theirs: Path, dtype: str) -> float | None:
    """max |ours − theirs| / max |theirs|, streamed in chunks (no big arrays in the driver)."""
    if not ours.exists() or not theirs.exists():
        return None
    a = np.memmap(ours, dtype=NP_DTYPE[dtype], mode="r")
    b = np.memmap(theirs, dtype=NP_DTYPE[dtype], mode="r")
    if a.size != b.size:
        return math.inf
    worst, scale = 0.0, 0.0
    step = 1 << 22
    for start in range(0, a.size, step):
        ca = np.asarray(a[start:start + step], dtype=np.float64)
        cb = np.asarray(b[start:start + step], dtype=np.float64)
        d = np.abs(ca - cb)
        if np.any(np.isnan(ca) != np.isnan(cb)):
            return math.inf
        worst = max(worst, float(np.nanmax(d)) if d.size else 0.0)
        scale = max(scale, float(np.nanmax(np.abs(cb))) if cb.size else 0.0)
    del a, b
    if worst == 0:
        return 0.0
    return worst / scale if scale > 0 else math.inf


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def swift_build(product: str, package: Path = REPO) -> Path:
    """Build `product` in release mode in `package` (the root package, or BENCHMARKS for
    the benchmark executables); the path of the built executable."""
    where = [] if package == REPO else ["--package-path", str(package.relative_to(REPO))]
    log(f"building: {' '.join(['swift', 'build', '-c', 'release', *where, '--product', product])}")
    subprocess.run(["swift", "build", "-c", "release", *where, "--product", product], cwd=REPO, check=True,
                   stdout=sys.stderr)
    bin_path = subprocess.run(["swift", "build", "-c", "release", *where, "--show-bin-path"], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout.strip()
    binary = Path(bin_path) / product
    if not binary.exists():
        raise RuntimeError(f"{binary} was not built")
    return binary


def median(values):
    return statistics.median(values) if values else None


def run_contender(name: str, args, binary: Path, header_path: Path, threads: int) -> dict:
    if name == "ours":
        command = [str(binary), "--threads", str(threads), str(header_path)]
    elif name == "numpy":
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", "numpy", str(header_path),
                   "--worker-threads", str(threads)]
    else:
        python = args.torch_python if name == "torch" else args.keras_python
        command = [python, str(Path(__file__).resolve()), "--worker", name, str(header_path),
                   "--worker-threads", str(threads)]
    text, rss, wall = run_child(command, env=thread_env(threads))
    result = last_json_line(text)
    result["rss_kib"] = rss if rss is not None else result.get("max_rss_kib")
    result["process_wall"] = wall
    result["median"] = median(result["times"])
    return result


def ours_threads(binary: Path, loss: str, threads: int, cache: dict) -> int:
    """How many threads HingeBench's calls of `loss` use at --threads `threads`."""
    if (loss, threads) not in cache:
        try:
            text, _, _ = run_child([str(binary), "--threads", str(threads), "--threads-used", loss])
            cache[(loss, threads)] = int(last_json_line(text)["threads_used"])
        except (ChildError, KeyError, ValueError):
            cache[(loss, threads)] = threads
    return cache[(loss, threads)]


def stream_baseline(binary: Path, nbytes: int, threads: int, rule: dict, cache: dict) -> dict | None:
    key = (nbytes, threads)
    if key not in cache:
        try:
            text, _, _ = run_child([str(binary), "--threads", str(threads), "--stream", str(nbytes),
                                    "--budget", str(rule["budget_seconds"]), "--min-repeats", "5",
                                    "--max-repeats", "200"])
            cache[key] = last_json_line(text)
        except ChildError as error:
            log(f"  stream {nbytes} B, {threads} threads failed: {error}")
            cache[key] = None
    return cache[key]


def conformance_run(binary: Path, runs: int = 5) -> dict:
    walls, rss, summary = [], [], ""
    for _ in range(runs):
        text, kib, wall = run_child([str(binary), "--quiet"])
        walls.append(wall)
        if kib is not None:
            rss.append(kib)
        lines = [line for line in text.splitlines() if "passed" in line]
        summary = lines[-1].strip() if lines else summary
    return {"walls": walls, "median": median(walls), "rss_kib": max(rss) if rss else None, "summary": summary}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", choices=["torch", "jax", "tf", "numpy"], help=argparse.SUPPRESS)
    parser.add_argument("worker_header", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true",
                        help="shapes divided by 10 (rows), shorter budgets; for checking the harness")
    parser.add_argument("--only", metavar="REGEX",
                        help="run the rows whose key (e.g. 'multi_margin:p=2:10000x1000:forward:float32:T=1') matches")
    parser.add_argument("--threads", default=None,
                        help=f"comma-separated thread counts (default 1,{os.cpu_count()}: one and all cores)")
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--torch-python", metavar="PATH", default=default_python(TORCH_PYTHON_ENV),
                        help=f"Python with torch 2.15.0 for the torch worker (default: ${TORCH_PYTHON_ENV}, "
                             "else python3 on PATH)")
    parser.add_argument("--keras-python", metavar="PATH", default=default_python(KERAS_PYTHON_ENV),
                        help="Python with keras 3.15.1, TensorFlow 2.21 and JAX 0.10.2 for the Keras workers "
                             f"(default: ${KERAS_PYTHON_ENV}, else python3 on PATH)")
    parser.add_argument("--skip", action="append", default=[], choices=CONTENDERS[1:],
                        help="leave a framework contender out (repeatable)")
    parser.add_argument("--binary", type=Path, help="use this HingeBench instead of building it")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds of timed calls per contender and row (default 0.5, --quick 0.2)")
    parser.add_argument("--cap", type=float, default=None,
                        help="at most this many seconds of timed calls per contender and row, even if that "
                             "means fewer than 3 (default 5, --quick 2)")
    parser.add_argument("--output", type=Path,
                        help="write the report here (default: BENCHMARKS.md for a full run; not written with "
                             "--quick/--only/--threads/--dtypes/--skip unless given)")
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    parser.add_argument("--json", type=Path, help="also write every measurement (per-call times etc.) here as JSON")
    parser.add_argument("--keep", type=Path, help="write the data, headers and gradients here and keep them")
    args = parser.parse_args()

    if args.worker:
        if args.worker_header is None:
            parser.error("--worker needs a header")
        if args.worker == "torch":
            torch_worker(args.worker_header, args.worker_threads)
        elif args.worker == "numpy":
            numpy_worker(args.worker_header, args.worker_threads)
        else:
            keras_worker(args.worker, args.worker_header, args.worker_threads)
        return 0

    threads_list = [int(t) for t in (args.threads or f"1,{os.cpu_count()}").split(",")]
    threads_list = sorted(set(threads_list))
    dtypes = [d for d in args.dtypes.split(",") if d]
    for d in dtypes:
        if d not in NP_DTYPE:
            parser.error(f"unknown dtype {d}")
    partial = bool(args.quick or args.only or args.threads or args.dtypes != "float32,float64" or args.skip)
    output = args.output
    if output is None and not partial and not args.no_write:
        output = REPO / "BENCHMARKS.md"
    if args.no_write:
        output = None
    rule = {"warmup": 1, "min_repeats": 3, "max_repeats": 30,
            "budget_seconds": args.budget if args.budget is not None else (0.2 if args.quick else 0.5),
            "cap_seconds": args.cap if args.cap is not None else (2.0 if args.quick else 5.0)}

    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    binary = args.binary or swift_build(PRODUCT, BENCHMARKS)
    conformance_binary = swift_build(CONFORMANCE)
    swift_version = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    swift_version = swift_version[0] if swift_version else "unknown"

    unavailable = {}
    for name in ("torch", "jax", "tf"):
        if name in args.skip:
            unavailable[name] = "skipped (--skip)"
            continue
        python = args.torch_python if name == "torch" else args.keras_python
        log(f"probing {name} with {python} ...")
        reason = probe(name, python)
        if reason:
            log(f"  {name}: n/a: {reason}")
            unavailable[name] = reason

    log("conformance run: hinge-conformance --quiet x5 ...")
    try:
        conformance = conformance_run(conformance_binary)
    except (ChildError, subprocess.TimeoutExpired) as error:
        conformance = {"error": str(error)}

    machine_stream = {}
    for t in threads_list:
        try:
            text, _, _ = run_child([str(binary), "--threads", str(t), "--stream", str(1 << 30), "--budget", "1",
                                    "--min-repeats", "5", "--max-repeats", "50"])
            machine_stream[t] = last_json_line(text)
        except ChildError as error:
            machine_stream[t] = None
            log(f"stream 1 GiB, {t} threads: {error}")

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="hinge_bench."))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    stream_cache = {}
    threads_cache = {}
    done = {}
    kinks = {}
    versions = {}
    executions = {}
    pattern = re.compile(args.only) if args.only else None
    try:
        by_data = {}
        for w in workloads(args.quick):
            by_data.setdefault(w["data"], []).append(w)
        for data_key, group in by_data.items():
            planned = [(w, dtype, mode, t) for dtype in dtypes for w in group
                       for mode in ("forward", "forward_backward") for t in threads_list]
            planned = [item for item in planned if not pattern or pattern.search(row_key(*item))]
            if not planned:
                continue
            log(f"data {data_key}: writing ...")
            files = write_data(workdir, data_key, group[0]["shape"])
            for w, dtype, mode, t in planned:
                key = row_key(w, dtype, mode, t)
                loads.append(os.getloadavg()[0])
                row = {"workload": w, "dtype": dtype, "mode": mode, "threads": t, "key": key,
                       "load": loads[-1], "results": {}, "errors": {}}
                tag = re.sub(r"[^A-Za-z0-9_.=-]", "_", key)
                contenders = ["ours"] + [c for c in w["frameworks"]]
                for name in contenders:
                    if name == "ours" and t > 1:
                        used = ours_threads(binary, w["loss"], t, threads_cache)
                        earlier = done.get((w["key"], dtype, mode, used))
                        if used < t and earlier is not None:
                            # The API cannot use t threads: the used-thread measurement is this row's.
                            row["results"]["ours"] = dict(earlier, reused_from_threads=used)
                            log(f"{key}: ours runs on {used} thread(s) at --threads {t}: "
                                f"the {used}-thread figure is reused")
                            continue
                    if name in unavailable:
                        row["errors"][name] = unavailable[name]
                        continue
                    if name == "numpy" and t != 1:
                        row["errors"][name] = "single-threaded: see the 1-thread row"
                        continue
                    header = {"version": 1, "loss": w["loss"], "dtype": dtype, "shape": w["shape"],
                              "x": files["x"][dtype], "target": files[target_role(w["loss"])][dtype],
                              "mode": mode, **rule}
                    if w["p"]:
                        header["p"] = w["p"]
                    if w["loss"].startswith("keras_"):
                        header["backend"] = "tensorflow"
                    if mode == "forward_backward":
                        header["gradient_out"] = f"{tag}.{name}.grad"
                    header_path = workdir / f"{tag}.{name}.json"
                    header_path.write_text(json.dumps(header))
                    log(f"{key}: {name} ...")
                    try:
                        result = run_contender(name, args, binary, header_path, t)
                        row["results"][name] = result
                        versions.update(result.get("versions", {}))
                        if "execution" in result:
                            executions.setdefault(name, set()).add(result["execution"])
                        log(f"  {fmt_ms(result['median'])} ms x{len(result['times'])}, loss {result['loss']!r}, "
                            f"peak {fmt_mib(result['rss_kib'])} MiB")
                    except (ChildError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as error:
                        row["errors"][name] = f"failed: {error}"
                        log(f"  failed: {error}")
                if "ours" in row["results"]:
                    done.setdefault((w["key"], dtype, mode, t), row["results"]["ours"])
                compare_row(row, workdir)
                read, write = traffic_bytes(w, dtype, mode)
                row["traffic"] = (read, write)
                row["stream"] = stream_baseline(binary, read, t, rule, stream_cache)
                rows.append(row)
                for path in workdir.glob(f"{tag}.*.grad"):
                    if not path.name.endswith(".ours.grad"):  # ours may be reused by the next thread count
                        path.unlink()
            for dtype, count in files.pop("hinge_kinks", {}).items():
                kinks[(data_key, dtype)] = count
            for role in files.values():
                for name in set(role.values()):
                    (workdir / name).unlink(missing_ok=True)
            for path in workdir.glob("*.grad"):
                path.unlink()
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    loads.append(os.getloadavg()[0])
    total = time.perf_counter() - started
    report = render(rows, args, rule, conformance, machine_stream, unavailable, versions, executions,
                    swift_version, total, loads, threads_list, dtypes, kinks)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "conformance": conformance, "machine_stream": machine_stream,
                                         "unavailable": unavailable, "versions": versions, "loads": loads,
                                         "total_seconds": total, "rule": rule,
                                         "hinge_kinks": {f"{k[0]}:{k[1]}": v for k, v in kinks.items()}},
                                        indent=1, default=str))
        log(f"wrote {args.json}")
    print(report)
    if output:
        output.write_text(report + kept_sections(output))
        log(f"wrote {output}")
    return 0


SECTION_BEGIN, SECTION_END = "<!-- section:", "<!-- end section -->"


def kept_sections(path: Path) -> str:
    """The sections other scripts keep in the report file (tools/bench_svc.py's SVC table),
    between `<!-- section:NAME -->` and `<!-- end section -->`: carried over on a rewrite."""
    if not path.exists():
        return ""
    text, out, start = path.read_text(), [], 0
    while (i := text.find(SECTION_BEGIN, start)) != -1 and (j := text.find(SECTION_END, i)) != -1:
        out.append("\n" + text[i:j + len(SECTION_END)] + "\n")
        start = j + len(SECTION_END)
    return "".join(out)


def row_key(w: dict, dtype: str, mode: str, t: int) -> str:
    return f"{w['key']}:{mode}:{dtype}:T={t}"


def compare_row(row: dict, workdir: Path) -> None:
    ours = row["results"].get("ours")
    row["loss_diff"], row["grad_diff"] = {}, {}
    if not ours:
        return
    for name, r in row["results"].items():
        if name == "ours":
            continue
        row["loss_diff"][name] = rel_diff(ours["loss"], r["loss"])
        if "gradient_file" in ours and "gradient_file" in r:
            row["grad_diff"][name] = gradient_diff(Path(ours["gradient_file"]), Path(r["gradient_file"]),
                                                   row["dtype"])


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def fmt_ms(seconds) -> str:
    if seconds is None:
        return "n/a"
    ms = seconds * 1e3
    if ms < 1:
        return f"{ms:.3f}"
    if ms < 10:
        return f"{ms:.2f}"
    if ms < 100:
        return f"{ms:.1f}"
    return f"{ms:.0f}"


def fmt_mib(kib) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.0f}"


def fmt_diff(d) -> str:
    if d is None:
        return "–"
    if d == 0:
        return "0"
    if math.isinf(d):
        return "∞"
    return f"{d:.1e}"


def fmt_ratio(ours, theirs) -> str:
    if ours is None or theirs is None or theirs == 0:
        return "–"
    return f"{ours / theirs:.2f}"


def cell_time(row, name) -> str:
    r = row["results"].get(name)
    if r:
        return fmt_ms(r["median"]) + (" ¹" if r.get("reused_from_threads") else "")
    if name in row["errors"]:
        return "—" if row["errors"][name].startswith("single-threaded") else "n/a"
    return "–"


def render(rows, args, rule, conformance, machine_stream, unavailable, versions, executions, swift_version,
           total, loads, threads_list, dtypes, kinks) -> str:
    out = []
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    today = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    out.append("# Benchmarks: HingeLosses (Swift) vs PyTorch, Keras (JAX, TensorFlow) and NumPy\n")
    out.append("Generated by `tools/bench.py`" + (" --quick" if args.quick else "")
               + (f" --only '{args.only}'" if args.only else "") + f" on {today}; do not edit by hand. "
               "Regenerate with `python3 tools/bench.py` (15–20 minutes on 2 cores; it rewrites this file; "
               "`--quick` or `--only REGEX` print a partial table to stdout instead). See README.md, "
               "section Benchmarks.\n")
    out.append(f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}; "
               f"1-minute load average {min(loads):.2f}–{max(loads):.2f} during the run "
               "(the benchmark itself accounts for about 1 at 1 thread, 2 at 2 threads; more means other work "
               f"shared the cores). Whole run {total / 60:.1f} min.")
    vers = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
    out.append(f"- Versions: {swift_version}; {vers or 'no framework ran'}; driver Python "
               f"{platform.python_version()} with NumPy {np.__version__}.")
    if unavailable:
        out.append("- Not measured: " + "; ".join(f"{FRAMEWORK_NAMES[k]}: {v}" for k, v in unavailable.items()) + ".")
    ms = []
    for t in threads_list:
        s = machine_stream.get(t)
        if s:
            ms.append(f"{s['gb_per_s']:.1f} GB/s with {t} thread{'s' if t > 1 else ''}")
    out.append(f"- Memory bandwidth (streaming sum of a 1 GiB float32 buffer, `HingeBench --stream`): "
               f"{', '.join(ms) or 'n/a'}.")
    if "error" in conformance:
        out.append(f"- Conformance run: failed: {conformance['error']}")
    else:
        out.append(f"- **Conformance run** (`.build/release/hinge-conformance --quiet` over the bundled fixtures, "
                   f"wall time including process start, median of {len(conformance['walls'])}): "
                   f"**{conformance['median'] * 1e3:.0f} ms** (runs: "
                   f"{', '.join(f'{w * 1e3:.0f}' for w in conformance['walls'])} ms), peak RSS "
                   f"{fmt_mib(conformance['rss_kib'])} MiB; {conformance['summary']}.")
    out.append("")

    out.append("## Time\n")
    out.append("Median wall time of one call in ms; ratio = ours / theirs (below 1: we are faster). "
               "`—`: NumPy is single-threaded, see the 1-thread row. GB/s = the bytes the loss must move "
               "(inputs read once, gradient written once) / our median; % = that against a streaming sum of a "
               "buffer as large as the inputs on the same thread count (so small workloads compare with cache "
               "bandwidth).")
    if any(r["results"].get("ours", {}).get("reused_from_threads") for r in rows):
        out.append(" ¹: this loss of ours is single-threaded (the Keras losses; `threadsUsed` in "
                   "`Benchmarks/Sources/HingeBench/Workloads.swift`), so this row repeats our 1-thread measurement.")
    out.append("")
    out.append("| workload | pass | dtype | threads | ours | torch | ours/torch | Keras/JAX | ours/JAX | Keras/TF "
               "| ours/TF | NumPy | ours/NumPy | ours GB/s | % of stream |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        ours = row["results"].get("ours")
        t_ours = ours["median"] if ours else None
        cells = [row["workload"]["label"], "fwd" if row["mode"] == "forward" else "fwd+bwd", row["dtype"],
                 str(row["threads"]), cell_time(row, "ours")]
        for name in ("torch", "jax", "tf", "numpy"):
            r = row["results"].get(name)
            cells.append(cell_time(row, name))
            cells.append(fmt_ratio(t_ours, r["median"] if r else None))
        if t_ours:
            gbs = (row["traffic"][0] + row["traffic"][1]) / t_ours / 1e9
            cells.append(f"{gbs:.2f}")
            s = row.get("stream")
            cells.append(f"{100 * gbs / s['gb_per_s']:.1f} %" if s else "n/a")
        else:
            cells += ["n/a", "n/a"]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    out.append("## Memory, agreement, CPU use\n")
    out.append("Peak RSS of each contender's whole process in MiB (`/usr/bin/time`; each holds its own copy of "
               "the inputs; the Python figures include the interpreter and framework, see the notes). "
               "Agreement: relative difference of the loss value, ours against theirs, then (fwd+bwd) "
               "max |Δgradient| / max |their gradient|; 0 = identical bits. CPU/wall: process CPU time over "
               "the timed calls / their wall time (about the threads really busy; below 1 at 1 thread means "
               "the process waited for a core).\n")
    out.append("| workload | pass | dtype | threads | RSS ours | torch | JAX | TF | NumPy | vs torch | vs JAX "
               "| vs TF | vs NumPy | CPU/wall ours · torch · JAX · TF · NumPy | stream GB/s | load |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---|---|---:|---:|")
    for row in rows:
        cells = [row["workload"]["label"], "fwd" if row["mode"] == "forward" else "fwd+bwd", row["dtype"],
                 str(row["threads"])]
        for name in CONTENDERS:
            r = row["results"].get(name)
            cells.append(fmt_mib(r["rss_kib"]) + (" ¹" if r.get("reused_from_threads") else "") if r else "–")
        for name in ("torch", "jax", "tf", "numpy"):
            if name not in row["results"]:
                cells.append("–")
                continue
            text = fmt_diff(row["loss_diff"].get(name))
            if row["mode"] == "forward_backward":
                text += " / " + fmt_diff(row["grad_diff"].get(name))
            cells.append(text)
        usage = []
        for name in CONTENDERS:
            r = row["results"].get(name)
            if r and r["times"]:
                usage.append(f"{r['cpu_seconds'] / sum(r['times']):.2f}")
            else:
                usage.append("–")
        cells.append(" · ".join(usage))
        s = row.get("stream")
        cells.append(f"{s['gb_per_s']:.1f}" if s else "n/a")
        cells.append(f"{row['load']:.1f}")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    out.append("## What is measured\n")
    out.append("- Every contender runs in a fresh process per row, started by `/usr/bin/time` (Linux carries a "
               "process's peak RSS over `exec`, so nothing is forked from the driver), and reads the same raw "
               "files: float64 scores from a standard normal (seed 0), the float32 inputs the same values "
               "rounded. Targets: class indices (MultiMarginLoss), ±1 (HingeEmbeddingLoss, Keras hinge), "
               "one-hot (Keras categorical_hinge). Default configurations: margin 1, reduction `mean` (torch) / "
               "`sum_over_batch_size` (Keras), no weights.")
    out.append(f"- Repetitions: {rule['warmup']} untimed warm-up call, then "
               f"clamp(⌈{rule['budget_seconds']:g} s / warm-up time⌉, {rule['min_repeats']}, "
               f"{rule['max_repeats']}) timed calls, fewer (at least 1) when they would take more than "
               f"{rule['cap_seconds']:g} s; each call timed alone (`ContinuousClock` in Swift, "
               "`time.perf_counter` in Python), data loading excluded. Medians reported.")
    out.append("- fwd: the loss value only. fwd+bwd: the loss value and its gradient with respect to the scores. "
               "A call includes everything the API does per call (validation, allocation of the result and "
               "gradient).")
    out.append("- Ours: `HingeBench` (`swift build -c release`, Swift's default x86-64 target), calling the public "
               "API the way a client module does (`Benchmarks/Sources/HingeBench/Workloads.swift`). "
               "`MultiMarginLoss(p:margin:weight:reduction:)`, `HingeEmbeddingLoss`, and `KerasLoss` with "
               "`backend: .tensorflow`." + forward_note(rows))
    execs = "; ".join(f"{FRAMEWORK_NAMES[k]}: {', '.join(sorted(v))}" for k, v in sorted(executions.items()))
    out.append(f"- Framework execution: {execs or 'n/a'}. torch's fwd+bwd sets `x.grad = None` before each call "
               "(a fresh gradient, like `zero_grad(set_to_none=True)`); JAX's timed call ends with "
               "`block_until_ready`, every timed call fetches the loss value as a Python float. "
               "Compilation (jit / tf.function tracing) happens in the warm-up call.")
    threads_note = ", ".join(str(t) for t in threads_list)
    out.append(f"- Threads ({threads_note}; {os.cpu_count()} = all cores), the same for every contender: "
               "`OMP_NUM_THREADS`/`MKL_NUM_THREADS`/`OPENBLAS_NUM_THREADS` = T for all; torch "
               "`set_num_threads(T)`, `set_num_interop_threads(1)` (its `multi_margin_loss` kernel is serial; "
               "`hinge_embedding_loss` is elementwise ops, parallel above 32,768 elements); TensorFlow "
               "`set_intra_op_parallelism_threads(T)`, inter-op 1 (and `TF_NUM_INTRAOP_THREADS`); JAX at 1 "
               "thread `XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`, at all "
               "cores XLA's default (one thread per core); NumPy is single-threaded and runs only at 1 thread. "
               "The CPU/wall column shows how many cores each really kept busy.")
    out.append("- Peak RSS baselines (before loading data, after importing the framework): "
               + baseline_note(rows) + ".")
    out.append("- Agreement is a sanity check that every contender computed the same loss on the same data; "
               "the bit-exactness of ours against the frameworks is what the fixtures test (`swift test`, "
               "`hinge-conformance`), on small inputs. NumPy's sums run in its own order, so its figures differ "
               "in the last bits. The Keras losses: ours sums in TensorFlow's (Eigen) or XLA's order where that "
               "order is modelled (short runs); the 100-wide rows and 10^5-row totals here fall back to a "
               "float64 pairwise sum, so float32 results can differ from TF/JAX by an ulp or so. Keras/JAX in float64 runs with `jax_enable_x64`, which the fixtures "
               "do not cover (they test JAX in float32 only); there Keras rounds the hinge's 1/size mean factor "
               "through float32 (its gradient holds float32(1/(N·C))), hence about 1e-8 from ours and TF.")
    kink_text = ", ".join(f"{count} in {dtype}" for (key, dtype), count in sorted(kinks.items()) if count)
    out.append("- Kinks: the Keras backends differ only where the hinge's argument is exactly 0 (y·p = 1): "
               "TensorFlow's `maximum` passes the full gradient there, JAX half; ours follows TensorFlow here "
               "(`backend: .tensorflow`; `.jax` gives JAX's), and so does the NumPy contender. "
               + (f"This data has such exact kinks ({kink_text} of the Keras inputs), so the Keras hinge's "
                  "fwd+bwd gradient differs from JAX's there by half a gradient step (0.5 in the agreement "
                  "column); the kinks of the torch losses (z = 0) take torch's zero gradient in ours and "
                  "NumPy alike." if kink_text else "This data has no exact Keras hinge kink."))
    out.append("- At 2 threads torch adds HingeEmbeddingLoss's mean in per-thread chunks, so its value changes in "
               "the last bits against its own 1-thread value; ours reproduces that only once it is called with "
               "that thread count.")
    out.append("- The machine is shared: other jobs ran during the run (see the load average and the CPU/wall "
               "column), which slows every contender by a varying amount; the contenders of a row run back to "
               "back, so their ratios are less affected than the absolute times.")
    out.append("")
    return "\n".join(out)


def forward_note(rows) -> str:
    names = {"multi_margin": "MultiMarginLoss", "hinge_embedding": "HingeEmbeddingLoss",
             "keras_hinge": "Keras hinge", "keras_categorical_hinge": "Keras categorical_hinge"}
    fused = [names[loss] for loss in names
             if any(row["workload"]["loss"] == loss and row["results"].get("ours", {}).get("forward_computes_gradient")
                    for row in rows)]
    if not fused:
        return ""
    return (" Without a forward-only entry point in the API yet, our fwd rows of " + ", ".join(fused)
            + " time the same call as fwd+bwd (it computes the gradient and drops it).")


def baseline_note(rows) -> str:
    seen = {}
    for row in rows:
        for name, r in row["results"].items():
            if r.get("baseline_rss_kib"):
                seen.setdefault(name, []).append(r["baseline_rss_kib"])
    if not seen:
        return "n/a"
    return ", ".join(f"{FRAMEWORK_NAMES[k]} {fmt_mib(statistics.median(v))} MiB" for k, v in seen.items())


if __name__ == "__main__":
    sys.exit(main())
