"""MLX's margin losses (mlx.nn.losses.*): the case builders, and MLX itself (CPU) in
workers. The NumPy mirror, and how it follows MLX, is hinge_fixtures/mirrors/mlx.py.

Expected values come from MLX, run in worker processes (`python -m
hinge_fixtures.suites.mlx --worker`, see contract.FrameworkWorker), one per release:
MLX 0.32.4 in this interpreter, and MLX 0.31.2 (the last release before triplet_loss's
formula changed; cases with `context.mlx_version` "0.31.2") in the interpreter named by
$HINGE_MLX_LEGACY_PYTHON. Every case is also computed by the mirror, which must agree
(contract.verify_mirror). Without both the files cannot be written; `--check` uses the
mirror alone.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys

import numpy as np

from .. import exact
from ..contract import CannotJudge, Framework, Suite, missing_pins, serve_worker, with_cases, worker_outputs
from ..fixture import LIBM_TAG, Arrays, CaseList, decode_array, encode_array, shape_label
from ..mirrors.mlx import LEGACY, PINNED, TOLERANCE_EXACT, TOLERANCE_TRIPLET, mirror_of, version_of

PINS = {"mlx": PINNED, "mlx-cpu": PINNED}
NO_FRAMEWORK_ENV = "HINGE_FIXTURES_NO_MLX"      # set (non-empty) to use the mirror alone
LEGACY_PYTHON_ENV = "HINGE_MLX_LEGACY_PYTHON"   # an interpreter with mlx[cpu]==0.31.2
NAN, INF = float("nan"), float("inf")


# =========================================================================== MLX itself

_ERROR_KINDS = (
    ("invalid_parameter", r"^Invalid reduction\. |^Invalid axis -?\d+ for array with \d+ dimensions\.$"
                          r"|^float division by zero$"),
    ("shape_mismatch", r"^\[broadcast_shapes\] Shapes .* cannot be broadcast\.$"
                       r"|^The shapes of the arguments do not match\. "),
)


def _legacy_problem() -> str | None:
    """Why the MLX 0.31.2 interpreter cannot be used, else None."""
    python = os.environ.get(LEGACY_PYTHON_ENV)
    if not python:
        return f"${LEGACY_PYTHON_ENV} (an interpreter with mlx[cpu]=={LEGACY}) is not set"
    try:
        found = subprocess.run([python, "-c", "from importlib import metadata; print(metadata.version('mlx'))"],
                               capture_output=True, text=True, timeout=60).stdout.strip()
    except OSError as e:
        return f"${LEGACY_PYTHON_ENV}={python}: {e}"
    return None if found == LEGACY else f"${LEGACY_PYTHON_ENV}={python} has mlx {found or 'missing'}, need {LEGACY}"


def _probe() -> str | None:
    return missing_pins(PINS) or _legacy_problem()


FRAMEWORK = Framework("mlx", PINS, NO_FRAMEWORK_ENV, label="MLX",
                      requirement=f"mlx[cpu]=={PINNED} (and ${LEGACY_PYTHON_ENV} with mlx[cpu]=={LEGACY}) is",
                      probe=_probe, worker_module=__name__,
                      worker_env=lambda version: {"PYTHONHASHSEED": "0"},
                      worker_python=lambda version: os.environ.get(LEGACY_PYTHON_ENV) if version == LEGACY else None,
                      error_kinds=_ERROR_KINDS,
                      versions_of=lambda: {"mlx": FRAMEWORK.worker(PINNED).call({"versions": True})["mlx"],
                                           "mlx_triplet_legacy": FRAMEWORK.worker(LEGACY).call(
                                               {"versions": True})["mlx"]})


def run_mlx(suite: str, params: dict, inputs: Arrays, context: dict | None = None) -> Arrays:
    version = version_of(context) if suite.endswith("triplet_loss") else PINNED
    if context and not suite.endswith("triplet_loss"):
        raise AssertionError(f"unexpected context {context}")
    if any(a.dtype.kind not in "fiub" for a in inputs.values()):
        raise CannotJudge("MLX takes numeric arrays only")
    return FRAMEWORK.call(version, {"suite": suite, "params": params,
                                    "inputs": {k: encode_array(v) for k, v in inputs.items()}})


def _serve() -> None:
    import mlx.core as mx
    import mlx.nn as nn
    from importlib import metadata
    dtypes = {"float32": mx.float32, "float64": mx.float64, "int64": mx.int64, "bool": mx.bool_}

    def run(request: dict) -> Arrays:
        fn = getattr(nn.losses, request["suite"].rsplit(".", 1)[1])
        arrays = {k: decode_array(v) for k, v in request["inputs"].items()}
        args = {k: mx.array(v, dtype=dtypes[v.dtype.name]) for k, v in arrays.items()}
        params = request["params"]
        out = fn(**args, **params)
        mx.eval(out)
        floats = [k for k, v in arrays.items() if v.dtype.kind == "f"]

        def total(*xs):
            return fn(**{**args, **dict(zip(floats, xs))}, **params).sum()

        grads = mx.grad(total, argnums=tuple(range(len(floats))))(*[args[k] for k in floats])
        grads = grads if isinstance(grads, tuple) else (grads,)  # one argnum: the array itself
        mx.eval(grads)
        result = {"output": np.array(out)}
        result.update({f"grad_{k}": np.array(g) for k, g in zip(floats, grads)})
        return result

    def handle(request: dict) -> dict:
        if "versions" in request:
            return {"mlx": metadata.version("mlx")}
        return worker_outputs(run, request)

    serve_worker(handle)


# =========================================================================== cases

_pm1, _grid = exact.signs, exact.grid


class _Cases:
    """Adds a case with the id "<dtype>/<shape>/<variant>/<reduction>"."""

    def __init__(self, cases: CaseList, names: tuple[str, ...]):
        self.cases, self.names = cases, names

    def add(self, variant: str, tags, arrays, params=None, *, error=None, context=None) -> None:
        params = dict(params or {})
        first = arrays[0]
        reduction = params.get("reduction", "none")
        cid = f"{first.dtype.name}/{shape_label(first.shape)}/{variant}/{reduction}"
        if context is not None:
            cid += f"/mlx-{context['mlx_version']}"
        tags = list(tags) + (["error"] if error else [])
        self.cases.add(cid, tags, params, dict(zip(self.names, arrays)), error=error, context=context)


def _hinge(add: _Cases, rng: np.random.Generator) -> None:
    for dt in ("float32", "float64"):
        a = lambda v, d=dt: np.array(v, d)
        x_spec, t_spec = a([1, -1, .5, 2, 0, -.25]), a([1, -1, 1, -1, 1, -1])
        for r in ("none", "mean", "sum"):
            add.add("spec", ["sample", "kink"], (x_spec, t_spec), {"reduction": r})
        add.add("default", ["sample", "default"], (x_spec, t_spec))
        x, t = exact.normal(rng, (4, 5)).astype(dt), _pm1(rng, (4, 5), dt)
        for r in ("none", "mean", "sum"):
            add.add("sample", ["sample"], (x, t), {"reduction": r})
        add.add("reference", ["reference"], (exact.normal(rng, (64, 10)).astype(dt), _pm1(rng, (64, 10), dt)),
                {"reduction": "mean"})
        # kinks: x*t == 1 exactly, so maximum(1 - x*t, 0) ties and its vjp sends nothing to x
        t = _pm1(rng, (4, 6), dt)
        x = _grid(rng, (4, 6), dt)
        at = rng.random((4, 6)) < 0.5
        x[at] = t[at]
        add.add("kink", ["kink"], (x, t))
        add.add("kink", ["kink"], (x, t), {"reduction": "mean"})
        add.add("targets-01", ["labels"], (x_spec, a([1, 0, 1, 0, 1, 0])))
        add.add("targets-soft", ["labels"], (a([.5, .5, 2, -.5, 0]), a([.5, 2, .25, 1, 0])))
        add.add("targets-int64", ["dtype"], (x_spec, np.array([1, -1, 1, -1, 1, -1])))
        add.add("nan-inf", ["nan", "inf"], (a([NAN, INF, -INF, INF, .5, .5, 1]), a([1, 1, 1, -1, NAN, INF, 0])))
        add.add("nan-inf", ["nan", "inf"], (a([NAN, INF, -INF, INF, .5, .5, 1]), a([1, 1, 1, -1, NAN, INF, 0])),
                {"reduction": "sum"})
        for r in ("none", "mean", "sum"):
            add.add("empty", ["empty"], (np.zeros(0, dt), np.zeros(0, dt)), {"reduction": r})
        add.add("empty", ["empty"], (np.zeros((0, 3), dt), np.zeros((0, 3), dt)))
        add.add("0d", ["scalar"], (a(.25), a(-1)))
        add.add("0d-kink", ["scalar", "kink"], (a(-1), a(-1)), {"reduction": "mean"})
        add.add("3d", ["rank"], (exact.normal(rng, (2, 3, 4)).astype(dt), _pm1(rng, (2, 3, 4), dt)),
                {"reduction": "sum"})
        tiny = [1e-45, -1e-45, 1e-40, 1e-38] if dt == "float32" else [5e-324, -5e-324, 1e-310, 2e-308]
        add.add("subnormal", ["subnormal"], (a(tiny), a([-1, 1, 1e30, -1])))
        # broadcasting is silent: the gradient of a broadcast input is summed back
        add.add("targets-6x1", ["broadcast"], (x_spec, t_spec.reshape(6, 1)))
        add.add("1x4-targets-3x1", ["broadcast"], (exact.normal(rng, (1, 4)).astype(dt), _pm1(rng, (3, 1), dt)),
                {"reduction": "mean"})
        add.add("targets-0d", ["broadcast"], (exact.normal(rng, (2, 3)).astype(dt), a(-1)), {"reduction": "sum"})
        add.add("error-4x3-4x2", [], (exact.normal(rng, (4, 3)).astype(dt), _pm1(rng, (4, 2), dt)),
                error="shape_mismatch")
        add.add("error-reduction", [], (x_spec, t_spec), {"reduction": "batchmean"}, error="invalid_parameter")
    # shapes are checked before the reduction
    add.add("error-shape-and-reduction", [], (np.zeros(3, np.float32), np.zeros(2, np.float32)),
            {"reduction": "avg"}, error="shape_mismatch")


def _margin_ranking(add: _Cases, rng: np.random.Generator) -> None:
    for dt in ("float32", "float64"):
        a = lambda v, d=dt: np.array(v, d)
        x1, x2, y = a([1, -1, .5, 2, 0, 3]), a([.5, -1, 1, 2, -.5, 1]), a([1, -1, 1, -1, 1, -1])
        for r in ("none", "mean", "sum"):
            add.add("spec", ["sample", "kink"], (x1, x2, y), {"reduction": r})
        add.add("default", ["sample", "default"], (x1, x2, y))
        for m in (.5, -.5, 1.0):
            add.add(f"margin{m:g}", ["margin"], (x1, x2, y), {"margin": m})
        s1, s2, sy = (exact.normal(rng, (4, 5)).astype(dt), exact.normal(rng, (4, 5)).astype(dt),
                      _pm1(rng, (4, 5), dt))
        for r in ("none", "mean", "sum"):
            add.add("sample", ["sample"], (s1, s2, sy), {"reduction": r, "margin": .25})
        add.add("reference", ["reference"], (exact.normal(rng, (256,)).astype(dt), exact.normal(rng, (256,)).astype(dt),
                                             _pm1(rng, (256,), dt)), {"reduction": "mean", "margin": .1})
        # kinks: -y(x1 - x2) + margin == 0 exactly; maximum(0, z)'s vjp gives z the full gradient there
        k1 = _grid(rng, (3, 4), dt)
        ky = _pm1(rng, (3, 4), dt)
        k2 = (k1 - ky * dt_type(dt)(.5)).astype(dt)
        add.add("kink", ["kink"], (k1, k2, ky), {"margin": .5})
        add.add("kink-margin0", ["kink", "tie"], (k1, k1.copy(), ky))
        add.add("targets-unvalidated", ["labels"], (x1, x2, a([0, 2, -2, .5, 1, 3])))
        add.add("targets-int64", ["dtype"], (x1, x2, np.array([1, -1, 1, -1, 1, -1])))
        add.add("nan-inf", ["nan", "inf"], (a([NAN, INF, 1, INF, 1, 0]), a([0, 1, INF, INF, NAN, 0]),
                                            a([1, 1, -1, 1, 1, INF])), {"margin": .5})
        for r in ("none", "mean", "sum"):
            add.add("empty", ["empty"], (np.zeros(0, dt), np.zeros(0, dt), np.zeros(0, dt)), {"reduction": r})
        add.add("0d", ["scalar"], (a(.25), a(1), a(-1)), {"margin": .5})
        add.add("3d", ["rank"], (exact.normal(rng, (2, 3, 2)).astype(dt), exact.normal(rng, (2, 3, 2)).astype(dt),
                                 _pm1(rng, (2, 3, 2), dt)), {"reduction": "sum"})
        # no broadcasting at all: every shape must be equal
        add.add("error-targets-6x1", ["broadcast"], (x1, x2, y.reshape(6, 1)), error="shape_mismatch")
        add.add("error-targets-0d", ["broadcast"], (x1, x2, a(1)), error="shape_mismatch")
        add.add("error-inputs2-1", ["broadcast"], (x1, a([0]), y), error="shape_mismatch")
        add.add("error-reduction", [], (x1, x2, y), {"reduction": "elementwise_mean"}, error="invalid_parameter")


def dt_type(dt: str):
    return np.dtype(dt).type


def _triplet(add: _Cases, rng: np.random.Generator) -> None:
    # The same inputs for both releases (a generator per dtype, restarted for each), so each
    # float32 case of 0.31.2 has a twin of 0.32.4 with the same id stem and inputs.
    seeds = {dt: int(rng.integers(2**31)) for dt in ("float32", "float64")}
    for version in (PINNED, LEGACY):
        ctx = {"mlx_version": version}
        legacy = version == LEGACY
        for dt in ("float32", "float64") if not legacy else ("float32",):
            rng = np.random.default_rng(seeds[dt])
            def tr(variant, tags, arrays, params=None, error=None, libm=False):
                add.add(variant, list(tags) + ([LIBM_TAG] if libm else []), arrays, params, error=error, context=ctx)
            a = lambda v, d=dt: np.array(v, d)
            A, P, N = (exact.normal(rng, (4, 8)).astype(dt) for _ in range(3))
            for r in ("none", "mean", "sum"):
                tr("sample", ["sample"], (A, P, N), {"reduction": r})
            tr("reference", ["reference"], tuple(exact.normal(rng, (32, 16)).astype(dt) for _ in range(3)),
               {"reduction": "mean"})
            # the norm degree: odd p with negative differences is where the releases part. Cases
            # tagged libm show pow's last bits through a kink or a cancellation (--check's
            # perturbed passes move them)
            for p in (1, 3):
                tr(f"p{p}", ["p"], (A, P, N), {"p": p}, libm=True)
            tr("p1.5", ["p"], (A, P, N), {"p": 1.5})
            tr("p-neg-diff", ["p"], (a([[1, 2, 3]]), a([[2, 3, 4]]), a([[0, 0, 0]])), {"p": 1})
            for m in (0.0, .5, -1.0):
                tr(f"margin{m:g}", ["margin"], (A, P, N), {"margin": m})
            for e in (0.0, 1e-3):
                tr(f"eps{e:g}", ["eps"], (A, P, N), {"eps": e})
            # anchors == positives: only eps keeps the distance (and its gradient) finite
            tr("a-equals-p", ["eps"], (a([[1, 2], [3, 4]]), a([[1, 2], [3, 4]]), a([[0, 0], [3, 5]])))
            tr("a-equals-p-p3", ["eps"], (a([[1, 2], [3, 4]]), a([[1, 2], [3, 4]]), a([[0, 0], [3, 5]])), {"p": 3})
            tr("a-equals-p-eps0", ["eps", "nan"], (a([[1, 2], [3, 4]]), a([[1, 2], [3, 4]]), a([[0, 0], [3, 5]])),
               {"eps": 0.0}, libm=True)
            # an exact kink: distances 5 and 10 (eps 0), margin 5
            tr("kink", ["kink"], (a([[0, 0], [1, 1]]), a([[3, 4], [4, 5]]), a([[6, 8], [7, 9]])),
               {"eps": 0.0, "margin": 5.0}, libm=True)
            # axes
            B3 = tuple(exact.normal(rng, (2, 3, 4)).astype(dt) for _ in range(3))
            tr("axis0", ["axis"], B3, {"axis": 0})
            tr("axis1", ["axis"], B3, {"axis": 1, "reduction": "sum"})
            tr("axis-None", ["axis"], B3, {"axis": None})
            # broadcasting between anchors, positives and negatives
            tr("positives-1x8", ["broadcast"], (A, P[:1], N), libm=True)
            tr("negatives-4x1", ["broadcast"], (A, P, N[:, :1]), {"reduction": "mean"})
            tr("nan-inf", ["nan", "inf"], (a([[NAN, 0], [INF, 0], [0, 0], [1, 1]]), a([[0, 0], [0, 0], [INF, 0], [1, 1]]),
                                          a([[1, 1], [1, 1], [1, 1], [-INF, 1]])))
            for r in ("none", "mean", "sum"):
                tr("empty", ["empty"], (np.zeros((0, 3), dt),) * 3, {"reduction": r})
            tr("empty-features", ["empty"], (np.zeros((2, 0), dt),) * 3)
            tr("1d", ["rank"], (A[0], P[0], N[0]))
            tr("error-0d", ["scalar"], (a(1), a(2), a(3)), error="invalid_parameter")
            tr("error-axis2", ["axis"], (A, P, N), {"axis": 2}, error="invalid_parameter")
            tr("error-axis-3", ["axis"], (A, P, N), {"axis": -3}, error="invalid_parameter")
            tr("error-positives-4x3", ["broadcast"], (A, P[:, :3], N), error="shape_mismatch")
            tr("error-negatives-3x8", ["broadcast"], (A, P, N[:3]), error="shape_mismatch")
            tr("error-reduction", [], (A, P, N), {"reduction": "max"}, error="invalid_parameter")
            if legacy:
                tr("p0", ["p"], (A, P, N), {"p": 0})
            else:
                tr("error-p0", ["p"], (A, P, N), {"p": 0}, error="invalid_parameter")


# =========================================================================== registry

_NAMES = {"mlx.nn.losses.hinge_loss": (("inputs", "targets"), _hinge, TOLERANCE_EXACT),
          "mlx.nn.losses.margin_ranking_loss": (("inputs1", "inputs2", "targets"), _margin_ranking, TOLERANCE_EXACT),
          "mlx.nn.losses.triplet_loss": (("anchors", "positives", "negatives"), _triplet, TOLERANCE_TRIPLET)}


def _suite(name: str) -> Suite:
    names, build, tolerance = _NAMES[name]
    return Suite(name, mirror_of(name), with_cases(functools.partial(_Cases, names=names), build), tolerance,
                 FRAMEWORK, run=functools.partial(run_mlx, name))


SUITES: dict[str, Suite] = {name: _suite(name) for name in _NAMES}


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
