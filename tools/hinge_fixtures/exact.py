"""Random fixture inputs built only from correctly rounded operations, so that they are
data: the same bits on every IEEE-754 machine with the pinned NumPy, whatever its CPU,
SIMD paths, libm or compiler.

The generator's integers() and random() are exact (random() is a 53-bit integer times
2**-53). Everything else here is NumPy's + - * / and ldexp, each a separate ufunc call
(so no compiler can fuse a multiply-add), in a fixed order. What is avoided:

* Generator.standard_normal / normal: the ziggurat draws its tail with log1p and
  decides its wedges with exp, libm functions whose last bits differ between machines.
* Generator.uniform(a, b): `a + (b - a) * random()` in C, where a compiler targeting a
  CPU with fused multiply-add may fuse it. `uniform` below is the same formula in NumPy
  and gives the same bits as Generator.uniform where nothing is fused (x86-64).
* exp, log, power, sin, ... of anything (`10 ** u`, `exp(u)`): use ldexp with an integer
  exponent for wide dynamic ranges.

`generate_fixtures.py --check` proves it: its perturbed passes move every transcendental
result one ulp and require every input to come out the same (hinge_fixtures/perturb.py).
"""
from __future__ import annotations

import numpy as np

Shape = int | tuple[int, ...]

IRWIN_HALL_TERMS = 12


def normal(rng: np.random.Generator, shape: Shape = (), scale: float = 1.0) -> np.ndarray:
    """float64 values of mean 0 and standard deviation `scale`, roughly normal: the
    Irwin-Hall sum of 12 random() draws minus 6 (support (-6, 6), variance 1), summed
    term by term, then multiplied by `scale`. Draws 12 doubles per value."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    u = rng.random((IRWIN_HALL_TERMS,) + shape)
    total = u[0]
    for k in range(1, IRWIN_HALL_TERMS):
        total = total + u[k]
    return np.asarray((total - 6.0) * scale, dtype=np.float64)


def uniform(rng: np.random.Generator, low: float, high: float, shape: Shape = ()) -> np.ndarray:
    """float64 values in [low, high): `low + (high - low) * random()`, rounded once per
    operation (Generator.uniform's formula, without the chance of a fused multiply-add)."""
    return np.asarray(low + (high - low) * rng.random(shape), dtype=np.float64)


def wide(rng: np.random.Generator, shape: Shape, low_exponent: int, high_exponent: int,
         signed: bool = True) -> np.ndarray:
    """float64 values of wide dynamic range: m * 2**e with m in [1, 2) from random() and
    e an integer in [low_exponent, high_exponent] (ldexp is exact unless it leaves the
    normal range); a random sign when `signed`. The exact stand-in for exp(uniform(...))
    or 10 ** uniform(...)."""
    mantissa = 1.0 + rng.random(shape)
    exponent = rng.integers(low_exponent, high_exponent, shape, endpoint=True)
    values = np.ldexp(mantissa, exponent)
    if signed:
        values = values * rng.choice(np.array([-1.0, 1.0]), size=shape)
    return np.asarray(values, dtype=np.float64)


def scores(rng: np.random.Generator, shape: Shape, dtype, scale: float = 1.0) -> np.ndarray:
    """`normal` scores times `scale`, rounded once to `dtype`: the builders' score arrays."""
    return np.asarray(normal(rng, shape) * scale).astype(dtype)


def grid(rng: np.random.Generator, shape: Shape, dtype, lo: int = -16, hi: int = 16, step: int = 8) -> np.ndarray:
    """Values k/step for integers k in [lo, hi): sums, differences and products of a few
    of them are exact in float32, so margins land exactly on kinks and ties."""
    return np.asarray(rng.integers(lo, hi, shape) / step).astype(dtype)


def signs(rng: np.random.Generator, shape: Shape, dtype) -> np.ndarray:
    """Labels −1 or +1, uniformly, in `dtype`."""
    return np.asarray(rng.choice(np.array([-1.0, 1.0]), size=shape)).astype(dtype)
