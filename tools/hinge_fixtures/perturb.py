"""The perturbed pass of `generate_fixtures.py --check`: proof that the fixtures do not
depend on the last bits of any transcendental function.

NumPy's exp, log, power, sin, ... take different code paths per CPU (AVX-512 SVML,
AVX2, baseline, libm) and glibc picks FMA variants of its own at run time, so their
last bits are a property of the machine, not of the seed. A fixture input built with
them (`exp(uniform(...))`, `10 ** uniform(...)`, a standard normal drawn from the
ziggurat's tail) regenerates differently on another machine, and so would an expected
value compared bit for bit.

The perturbed pass regenerates every fixture in a child process in which the result of
every such function is moved by one unit in the last place, and runs the ordinary
comparison: inputs (and integer, boolean, string outputs) must still match bit for bit,
expected values within their tolerance, so a zero-tolerance expected value must not
depend on them either. It runs once with every result moved towards +inf and once
towards -inf. Two layers do the moving:

* Python wrappers (`install`): numpy.exp & co. and math.exp & co. are replaced by
  functions that call the original and move each floating-point result; they catch
  NumPy's SIMD loops too, whatever the CPU.
* libm_nudge.c, compiled here with the C compiler and preloaded (LD_PRELOAD, Linux):
  moves libm's results, which reaches what Python code cannot see: NumPy's random
  distributions (standard_normal's ziggurat calls log1p and exp), CPython's float
  `**` and its constant folding of `2 ** -52` (a fresh PYTHONPYCACHEPREFIX makes the
  child compile every module anew, under the perturbation), and NumPy's scalar
  ufunc loops, which an `array ** x` reaches once NumPy's SIMD dispatch is disabled
  (NPY_DISABLE_CPU_FEATURES with every dispatched feature).

What stays exact, and so may build inputs: integers, + - * / (NumPy's ufuncs and
Python's floats round them correctly everywhere), sqrt, ldexp/frexp, rint/round,
exact decimal literals, and the generator's integers() and random() (a 53-bit integer
times 2**-53). uniform(a, b) is `a + (b - a) * random()` in C, where a compiler may
fuse the multiply-add on some platforms: build scaled values with NumPy arithmetic
instead.
"""
from __future__ import annotations

import functools
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import numpy as np

DIRECTIONS = ("up", "down")
ENV_DIRECTION = "HINGE_PERTURB_LIBM"    # set in the child: which way the wrappers move results
ENV_NUDGE = "HINGE_NUDGE_DIRECTION"     # read by libm_nudge.c
SHIM_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libm_nudge.c")

# Every NumPy function whose floating-point results are not correctly rounded everywhere.
# (sqrt, add, multiply, divide, ldexp, rint and friends are IEEE-exact and stay.)
NUMPY_FUNCTIONS = (
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "logaddexp", "logaddexp2",
    "power", "float_power", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2",
    "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "cbrt", "hypot",
)
MATH_FUNCTIONS = (
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "pow", "sin", "cos", "tan",
    "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "cbrt", "hypot", "erf", "erfc", "gamma", "lgamma", "dist",
)


def _moved(value, towards: float):
    """`value` with each finite floating-point element moved one ulp towards `towards`;
    non-finite elements, integers and booleans as they are."""
    if isinstance(value, (np.ndarray, np.generic)):  # np.float64 is also a Python float
        if value.dtype.kind != "f":
            return value
        with np.errstate(all="ignore"):
            moved = np.nextafter(value, value.dtype.type(towards))
        if isinstance(value, np.ndarray):
            return np.where(np.isfinite(value), moved, value)
        return moved if np.isfinite(value) else value
    if isinstance(value, float):
        return math.nextafter(value, towards) if math.isfinite(value) else value
    return value


class _MovedUfunc:
    """A NumPy ufunc whose floating-point outputs are moved one ulp. Everything else
    (attributes, reduce, ...) is the ufunc's own."""

    def __init__(self, ufunc: np.ufunc, towards: float):
        self._ufunc, self._towards = ufunc, towards
        functools.update_wrapper(self, ufunc, updated=())

    def __call__(self, *args, **kwargs):
        result = self._ufunc(*args, **kwargs)
        out = kwargs.get("out")
        if out is None:
            return _moved(result, self._towards)
        for a in (out if isinstance(out, tuple) else (out,)):
            if isinstance(a, np.ndarray) and a.dtype.kind == "f":
                a[...] = _moved(a, self._towards)
        return result

    def __getattr__(self, name):
        return getattr(self._ufunc, name)


def install(direction: str) -> None:
    """Replace numpy's and math's transcendental functions by wrappers that move every
    result one ulp ("up": towards +inf, "down": towards -inf). For this process only,
    and before the suite modules run (they call np.exp & co. through the module)."""
    towards = math.inf if direction == "up" else -math.inf
    for name in NUMPY_FUNCTIONS:
        original = getattr(np, name)
        if not isinstance(original, _MovedUfunc):
            setattr(np, name, _MovedUfunc(original, towards))
    for name in MATH_FUNCTIONS:
        original = getattr(math, name, None)
        if original is None or getattr(original, "__wrapped__", None) is not None:
            continue

        def moved(*args, _f=original, **kwargs):
            return _moved(_f(*args, **kwargs), towards)
        moved.__wrapped__ = original
        setattr(math, name, moved)


class PerturbationUnavailable(RuntimeError):
    """The C part of the perturbation cannot be built or loaded here."""


def build_shim(folder: str) -> str:
    """Compile libm_nudge.c into `folder`; the path of the shared library."""
    if platform.system() != "Linux":
        raise PerturbationUnavailable(f"the libm part of the perturbed check needs Linux's LD_PRELOAD "
                                      f"(this is {platform.system()})")
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        raise PerturbationUnavailable("the perturbed check compiles tools/hinge_fixtures/libm_nudge.c and "
                                      "found no C compiler (install gcc, or set CC)")
    library = os.path.join(folder, "libm_nudge.so")
    run = subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", library, SHIM_SOURCE, "-ldl", "-lm"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise PerturbationUnavailable(f"{cc} could not compile {SHIM_SOURCE}:\n{run.stderr}")
    return library


def child_environment(direction: str, shim: str, folder: str) -> dict[str, str]:
    """The environment of a perturbed child process."""
    from numpy._core import _multiarray_umath as umath
    env = dict(os.environ)
    preload = " ".join(p for p in (shim, env.get("LD_PRELOAD", "")) if p)
    dispatched = " ".join(umath.__cpu_dispatch__)
    env.update({
        ENV_DIRECTION: direction,
        ENV_NUDGE: direction,
        "LD_PRELOAD": preload,
        # Compile every module anew, so constant folding (2 ** -52) runs under the shim.
        "PYTHONPYCACHEPREFIX": os.path.join(folder, f"pycache-{direction}"),
        # Route NumPy's transcendental loops that Python cannot wrap (array ** x) to libm.
        "NPY_DISABLE_CPU_FEATURES": dispatched,
    })
    return env


def run_perturbed(argv: list[str], script: str) -> int:
    """Run `python script argv` once per direction in a perturbed child; the worst exit
    status. The child's output is passed through with each line prefixed."""
    status = 0
    with tempfile.TemporaryDirectory(prefix="hinge-perturb-") as folder:
        shim = build_shim(folder)
        for direction in DIRECTIONS:
            env = child_environment(direction, shim, folder)
            child = subprocess.run([sys.executable, script, *argv], env=env, capture_output=True, text=True)
            for line in (child.stdout + child.stderr).splitlines():
                print(f"[libm +-1 ulp, {direction}] {line}")
            status = max(status, child.returncode)
    return status
