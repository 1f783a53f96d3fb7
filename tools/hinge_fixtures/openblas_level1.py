"""NumPy models of the four OpenBLAS level-1 routines LIBLINEAR's TRON calls through
scikit-learn's `_cython_blas` (ddot, dnrm2, daxpy, dscal), one per x86-64 kernel set that
the OpenBLAS bundled in SciPy 1.17.1's wheel (scipy-openblas 0.3.30, DYNAMIC_ARCH) selects:

  "SkylakeX"  AVX-512 CPUs (also what Cooperlake, SapphireRapids and AVX-512 Zen 4/5 get)
  "Haswell"   AVX2 + FMA CPUs without AVX-512 (also what Zen 1-3 get: KERNEL.ZEN builds
              the same micro-kernels, and the wheel maps Zen to Haswell)

The names are the `architecture` threadpoolctl reports for the library. They are the
same rounding as Sources/HingeLosses/SKLearn/OpenBLASLevel1.swift; the sources are
OpenBLAS's kernel/x86_64/{ddot.c, ddot_microk_haswell-2.c, ddot_microk_skylakex-2.c,
daxpy.c, daxpy_microk_haswell-2.c, daxpy_microk_skylakex-2.c, dscal.c, nrm2.S} and
KERNEL.HASWELL / KERNEL.SKYLAKEX (which includes KERNEL.HASWELL and overrides none of the
four), read at OpenBLAS's develop snapshot of October 2024 (after 0.3.28); the models were
then checked against the 0.3.30 binary itself: tools/check_openblas_level1.py compares every
model with scipy.linalg.blas. The wheel's other x86-64 kernel sets (threadpoolctl:
Sandybridge, Nehalem, Katmai; pre-AVX2 CPUs) are not modelled.

Everything here is exactly rounded IEEE double arithmetic (plus x87 extended precision
for dnrm2), so the results are data: the same on every machine where NumPy's longdouble
is the x87 80-bit format (x86-64 Linux/macOS); elsewhere dnrm2 falls back to an exact
rational emulation of it.
"""
from __future__ import annotations

import math as _math
import struct as _struct
from fractions import Fraction

import numpy as np

KERNELS = ("SkylakeX", "Haswell")
DEFAULT_KERNEL = "SkylakeX"
# OpenBLAS splits ddot over its threads above this length (kernel/x86_64/ddot.c).
DOT_THREAD_THRESHOLD = 10000
# The thread count the reference values come from (OpenBLAS uses every core: 2 here).
DOT_THREADS = 2

_SPLITTER = 134217729.0                     # 2**27 + 1 (Veltkamp)
# fma_exact's error-free transformations are exact only away from overflow and underflow.
_SAFE_HI = 2.0 ** 995
_SAFE_LO = 2.0 ** -969


class UnknownKernel(ValueError):
    pass


def check_kernel(kernel: str) -> str:
    if kernel not in KERNELS:
        raise UnknownKernel(f"unknown OpenBLAS kernel {kernel!r}: expected one of {', '.join(KERNELS)}")
    return kernel


# ------------------------------------------------------------------------- exact fma

def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def _two_prod(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _fma_fraction(a: float, b: float, c: float) -> float:
    a, b, c = float(a), float(b), float(c)
    if not (np.isfinite(a) and np.isfinite(b) and np.isfinite(c)):
        return a * b + c                    # inf/nan: the rounding of a*b cannot matter
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        # An exact zero sum is +0 unless both a*b and c are -0 (IEEE 754 6.3).
        return c if (a * b == 0 and c == 0 and np.signbit(a * b) and np.signbit(c)) else 0.0
    try:
        return float(exact)
    except OverflowError:
        return np.inf if exact > 0 else -np.inf


def fma(a, b, c) -> np.ndarray:
    """Element-wise a*b + c rounded once (what vfmadd does), for float64 arrays.

    Boldo and Melquiond's emulation ("Emulation of FMA and correctly rounded sums: proved
    algorithms using rounding to odd", IEEE Trans. Computers 57(4), 2008): the product
    exactly as p + e (Dekker), c + p exactly as s + t, then RN(s + RO(t + e)) where RO
    rounds to odd. A zero product leaves c + p, rounded once already (and with IEEE's
    signed-zero rule). Lanes outside the range where these steps are exact (overflow,
    underflow, non-finite) are computed with Fractions instead."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    if not (a.shape == b.shape == c.shape):
        a, b, c = np.broadcast_arrays(a, b, c)
    with np.errstate(all="ignore"):
        p, e = _two_prod(a, b)
        s, t = _two_sum(c, p)
        u, v = _two_sum(t, e)
        # round to odd: if t + e was inexact and u's last bit is even, take the neighbour
        # of u on the side of the exact value (it is odd).
        fix = (v != 0) & ((u.view(np.int64) & 1) == 0)
        if fix.any():
            u = np.where(fix, np.nextafter(u, np.where(v > 0, np.inf, -np.inf)), u)
        out = s + u
        zero = p == 0
        if zero.any():
            out = np.where(zero, c + p, out)
        ap, ac, ao = np.abs(p), np.abs(c), np.abs(out)
        unsafe = ~((np.maximum(np.abs(a), np.abs(b)) <= _SAFE_HI) & (ap <= _SAFE_HI) & (ac <= _SAFE_HI)
                   & ((ap >= _SAFE_LO) | zero) & ((ac >= _SAFE_LO) | (c == 0)) & ((ao >= _SAFE_LO) | (out == 0)))
    if unsafe.any():
        out = np.array(out, dtype=np.float64, copy=True)
        for i in zip(*np.nonzero(unsafe)) if out.ndim else [()]:
            out[i] = _fma_fraction(a[i], b[i], c[i])
    return out


def fma1(a: float, b: float, c: float) -> float:
    """fma for one lane in plain Python floats (the same emulation as `fma`, without
    NumPy's per-call overhead: ddot's tail calls it once per element)."""
    a, b, c = float(a), float(b), float(c)
    p = a * b
    if p == 0 and a == a and b == b and abs(a) != _math.inf and abs(b) != _math.inf:
        return c + p
    mag = max(abs(a), abs(b), abs(c))
    ap = abs(p)
    if not (mag <= _SAFE_HI and ap <= _SAFE_HI) or (ap < _SAFE_LO and p != 0) or (abs(c) < _SAFE_LO and c != 0):
        return _fma_fraction(a, b, c)
    t = _SPLITTER * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLITTER * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = c + p
    bb = s - c
    t = (c - (s - bb)) + (p - bb)
    u = t + e
    bb = u - t
    v = (t - (u - bb)) + (e - bb)
    if v != 0 and not (_struct.unpack("<q", _struct.pack("<d", u))[0] & 1):
        u = _math.nextafter(u, _math.inf if v > 0 else -_math.inf)
    out = s + u
    if (abs(out) < _SAFE_LO and out != 0) or out != out or abs(out) == _math.inf:
        return _fma_fraction(a, b, c)
    return out


# ------------------------------------------------------------------------- ddot

def _dot_kernel(x: np.ndarray, y: np.ndarray, kernel: str) -> float:
    """One thread's dot_compute (ddot.c): the micro-kernel on the first n & -16 elements,
    then the C loop `dot += y[i] * x[i]`. The wheel compiles the SkylakeX kernels with
    AVX-512 (FMA implied), so GCC contracts that loop to an fma; the Haswell kernels get
    -mavx2 only, no -mfma, so there it stays a multiply and an add (only the asm
    micro-kernel fuses)."""
    n = x.shape[0]
    n1 = n & -16
    dot = np.float64(0.0)
    if n1:
        if kernel == "SkylakeX":
            # ddot_microk_skylakex-2.c: four 8-lane zmm accumulators over blocks of 32,
            # each folded to 4 lanes (low half + high half), then four 4-lane ymm
            # accumulators over blocks of 16; ((a0 + a1) + a2) + a3 lane-wise, then
            # low pair + high pair and a horizontal add: (l0 + l2) + (l1 + l3).
            n32 = n1 & ~31
            wide = np.zeros(32)
            for i in range(0, n32, 32):
                wide = fma(x[i:i + 32], y[i:i + 32], wide)
            acc = wide.reshape(4, 2, 4)
            acc = acc[:, 0, :] + acc[:, 1, :]                       # (4 accumulators, 4 lanes)
            for i in range(n32, n1, 16):
                acc = fma(x[i:i + 16].reshape(4, 4), y[i:i + 16].reshape(4, 4), acc)
            lanes = ((acc[0] + acc[1]) + acc[2]) + acc[3]
            half = lanes[:2] + lanes[2:]
            dot = half[0] + half[1]
        else:
            # ddot_microk_haswell-2.c: four 4-lane ymm accumulators over blocks of 16;
            # each folded to 2 lanes (low + high 128 bits) first, then (h0 + h1) + (h2 + h3)
            # and a horizontal add.
            acc = np.zeros((4, 4))
            for i in range(0, n1, 16):
                acc = fma(x[i:i + 16].reshape(4, 4), y[i:i + 16].reshape(4, 4), acc)
            h = acc[:, :2] + acc[:, 2:]
            t = (h[0] + h[1]) + (h[2] + h[3])
            dot = t[0] + t[1]
    dot = float(dot)
    if kernel == "SkylakeX":
        for i in range(n1, n):
            dot = fma1(y[i], x[i], dot)
    else:
        for i in range(n1, n):
            dot = dot + float(y[i]) * float(x[i])
    return dot


def ddot(x, y, kernel: str = DEFAULT_KERNEL, threads: int = DOT_THREADS) -> float:
    """ddot(n, x, 1, y, 1). Above DOT_THREAD_THRESHOLD OpenBLAS gives each of its threads
    a contiguous part (blas_level1_thread_with_return_value: width = ceil(rest / threads
    left)) and adds the partial results to 0 in thread order."""
    check_kernel(kernel)
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    n = x.shape[0]
    if n <= DOT_THREAD_THRESHOLD or threads <= 1:
        return _dot_kernel(x, y, kernel)
    dot = 0.0
    for start, stop in _thread_parts(n, threads):
        dot = dot + _dot_kernel(x[start:stop], y[start:stop], kernel)
    return dot


def _thread_parts(n: int, threads: int) -> list:
    """The contiguous parts blas_level1_thread(_with_return_value) gives its threads when
    n > 10000: width = ceil(rest / threads left), in order."""
    if n <= DOT_THREAD_THRESHOLD or threads <= 1:
        return [(0, n)]
    parts, start, rest = [], 0, n
    for t in range(threads):
        if rest <= 0:
            break
        width = min(-(-rest // (threads - t)), rest)
        parts.append((start, start + width))
        start += width
        rest -= width
    return parts


# ------------------------------------------------------------------------- dnrm2

def _ext_round(q: Fraction) -> Fraction:
    """q rounded to the x87 extended format's 64-bit significand, ties to even."""
    if q == 0:
        return q
    sign = -1 if q < 0 else 1
    q = abs(q)
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1
    scale = Fraction(2) ** (63 - e)
    m = q * scale
    fl = m.numerator // m.denominator
    rem = m - fl
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and fl % 2 == 1):
        fl += 1
    return sign * Fraction(fl) / scale


def _ext_sqrt_to_double(q: Fraction) -> float:
    """fsqrt (correctly rounded to 64 bits), then the store to double (rounded again)."""
    if q == 0:
        return 0.0
    # the integer square root of q * 2**(2k) with enough bits, then round to 64 bits
    k = 200
    num = q.numerator * (1 << (2 * k))
    r = _isqrt_frac(num, q.denominator)
    root = Fraction(r, 1 << k)
    # r is floor(sqrt(q) * 2^k); the exact root is not representable unless r*r == ..., so
    # nudge it off a possible tie before rounding (the floor is within 2^-k of the root).
    exact = (Fraction(r * r, 1 << (2 * k)) == q)
    ext = _ext_round(root if exact else root + Fraction(1, 1 << (k + 1)))
    return float(ext)


def _isqrt_frac(num: int, den: int) -> int:
    import math
    return math.isqrt(num // den)


_HAS_X87 = np.finfo(np.longdouble).nmant == 63


def dnrm2(x) -> float:
    """dnrm2(n, x, 1) by nrm2.S (every x86-64 core of the wheel uses it): squares and
    sums in x87 extended precision, element i into accumulator i mod 4 for the blocks of
    8, the rest into the first; ((a2 + a0) + a1) + a3; fsqrt; rounded to double."""
    x = np.asarray(x, np.float64)
    n = x.shape[0]
    if n <= 0:
        return 0.0
    n8 = n & -8
    if _HAS_X87:
        sq = x.astype(np.longdouble)
        sq = sq * sq
        acc = [np.longdouble(0)] * 4
        for k in range(4):
            seq = sq[k:n8:4] if k else np.concatenate([sq[0:n8:4], sq[n8:]])
            if seq.size:
                acc[k] = np.add.accumulate(seq)[-1]
        total = ((acc[2] + acc[0]) + acc[1]) + acc[3]
        return float(np.sqrt(total))
    sqf = [_ext_round(Fraction(float(v)) ** 2) for v in x]
    acc = [Fraction(0)] * 4
    for i in range(n8):
        acc[i % 4] = _ext_round(acc[i % 4] + sqf[i])
    for i in range(n8, n):
        acc[0] = _ext_round(acc[0] + sqf[i])
    total = _ext_round(_ext_round(_ext_round(acc[2] + acc[0]) + acc[1]) + acc[3])
    return _ext_sqrt_to_double(total)


# ------------------------------------------------------------------------- daxpy, dscal

def daxpy(alpha: float, x, y, kernel: str = DEFAULT_KERNEL, threads: int = DOT_THREADS) -> np.ndarray:
    """y + alpha * x as daxpy(n, alpha, x, 1, y, 1) returns it: interface/axpy.c returns y
    untouched when alpha == 0. The micro-kernel (first n & -16 elements) is one fma per
    element on both kernels (vfmadd231pd; the SkylakeX intrinsics contracted); the C tail
    `y[i] += da * x[i]` is an fma on SkylakeX and a multiply then an add on Haswell (built
    without -mfma, see _dot_kernel). Above 10000 elements each thread's part has its own
    tail (interface/axpy.c splits like ddot)."""
    check_kernel(kernel)
    y = np.asarray(y, np.float64)
    if alpha == 0:
        return y.copy()
    x = np.asarray(x, np.float64)
    out = fma(np.float64(alpha), x, y)
    if kernel == "Haswell":
        for start, stop in _thread_parts(y.shape[0], threads):
            n1 = start + ((stop - start) & -16)
            out[n1:stop] = y[n1:stop] + np.float64(alpha) * x[n1:stop]
    return out


def dscal(alpha: float, x, kernel: str = DEFAULT_KERNEL) -> np.ndarray:
    """alpha * x (dscal.c and its micro-kernels multiply element by element; alpha == 0
    is not modelled: TRON never scales by 0 before it stops)."""
    check_kernel(kernel)
    return np.float64(alpha) * np.asarray(x, np.float64)
