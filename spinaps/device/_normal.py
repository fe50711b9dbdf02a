"""Counter-based standard normal numbers that compile to SIMD code inside numba loops.

The stochastic LLGS kernel needs three Gaussian numbers per device and step; drawing
them with numpy's ``Generator`` outside the kernel and reading them back was its
limit.  Here each number is a pure function of (seed, device, step, component), so the
kernel computes it in its loop over devices, branch-free, and LLVM vectorises the
whole step; the streams are tied to the device, not to a chunk or a thread.

Uniform bits
------------
SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): the ``n``-th output of the stream with
seed ``s`` is ``mix(s + n * GAMMA)`` with the odd Weyl increment GAMMA = 0x9E3779B97F4A7C15
and Stafford's "Mix13" finalizer (the finalizer of SplitMix64 as published).  Device
``d`` uses the stream positions ``n = d * 2**40 + 3 * step + k`` (k = 0, 1, 2): disjoint
segments of one SplitMix64 sequence, room for 2**24 > 1e8 devices of 2**40 / 3 > 2e8
steps each (the limits of :func:`spinaps.device.simulate`).

Normal numbers
--------------
Box-Muller (Box and Muller, Ann. Math. Stat. 1958): with U uniform on (0, 1) and
theta uniform on [0, 2 pi), ``R = sqrt(-2 ln U)`` gives the independent pair
(R cos theta, R sin theta).  Output ``k = 0`` of a step gives U (52 bits) for the (x, y)
pair, output 1 gives U for the z number (R cos theta), output 2 gives the two angles
(32 bits each: 2 bits of quadrant and 30 bits of angle within it).  U = (j + 1/2) 2**-52
with j in [0, 2**52) (exact in float64), so U lies in [2**-53, 1 - 2**-53] and
R <= sqrt(2 ln 2**53) = 8.57 (the normal tail beyond has probability 1e-17).  ln, sin
and cos are evaluated with polynomials (below) instead of libm calls, which LLVM does
not vectorise:

* ln U: U = 2**e m with m in [sqrt(1/2), sqrt(2)) from the bits of U, and
  ln m = 2 atanh(s) = 2 (s + s**3/3 + ... + s**17/17), s = (m - 1)/(m + 1), |s| <= 0.1716;
  the omitted terms are below 1e-15 relative.
* sin phi, cos phi on |phi| <= pi/4 by Taylor series to phi**15 and phi**16 (remainders
  below 5e-17), rotated by the quadrant q pi/2.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from .._jit import njit

_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}

#: SplitMix64 Weyl increment (Steele, Lea and Flood 2014).
GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S12 = np.uint64(12)
_S32 = np.uint64(32)
_S52 = np.uint64(52)
_LO32 = np.uint64(0xFFFFFFFF)
_LO30 = np.uint64(0x3FFFFFFF)
_MANT = np.uint64(0x000FFFFFFFFFFFFF)
_ONE_BITS = np.uint64(0x3FF0000000000000)
_Q1 = np.uint64(1)
_Q2 = np.uint64(2)
#: Stream positions per device: device d starts at d * 2**40.
DEVICE_STRIDE = np.uint64(1 << 40)
_THREE = np.uint64(3)

_LN2 = math.log(2.0)
_SQRT2 = math.sqrt(2.0)
_TWO_M52 = 2.0**-52
_TWO_M30 = 2.0**-30
_QUARTER_PI = math.pi / 4.0
_HALF_PI = math.pi / 2.0


@intrinsic
def _bits_to_float(typingctx, x):
    """Reinterpret the 64 bits of a uint64 as a float64."""
    if x != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.uint64), codegen


@intrinsic
def _float_to_bits(typingctx, x):
    """Reinterpret the 64 bits of a float64 as a uint64."""
    if x != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.uint64(types.float64), codegen


@njit(nogil=True, error_model="numpy", inline="always")
def mix(z):
    """Stafford's Mix13 finalizer of SplitMix64: a bijection of the 64-bit integers."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(fastmath=_FASTMATH, nogil=True, error_model="numpy", inline="always")
def log_unit(u):
    """ln u for a positive normal float64 ``u`` (branch-free; relative error ~1e-15)."""
    bits = _float_to_bits(u)
    e = float(np.int64(bits >> _S52)) - 1023.0
    m = _bits_to_float((bits & _MANT) | _ONE_BITS)  # [1, 2)
    big = m > _SQRT2
    m = 0.5 * m if big else m
    e = e + 1.0 if big else e
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    p = 1.0 / 17.0
    p = p * s2 + 1.0 / 15.0
    p = p * s2 + 1.0 / 13.0
    p = p * s2 + 1.0 / 11.0
    p = p * s2 + 1.0 / 9.0
    p = p * s2 + 1.0 / 7.0
    p = p * s2 + 1.0 / 5.0
    p = p * s2 + 1.0 / 3.0
    p = p * s2 + 1.0
    return e * _LN2 + 2.0 * s * p


@njit(fastmath=_FASTMATH, nogil=True, error_model="numpy", inline="always")
def radius(r):
    """Box-Muller radius sqrt(-2 ln U) from 64 random bits (U from the top 52)."""
    u = (float(np.int64(r >> _S12)) + 0.5) * _TWO_M52
    return math.sqrt(-2.0 * log_unit(u))


@njit(fastmath=_FASTMATH, nogil=True, error_model="numpy", inline="always")
def direction(a):
    """(cos theta, sin theta) of the angle theta uniform on [0, 2 pi) given by the low 32
    of the bits ``a``: 2 bits of quadrant, 30 of angle within it."""
    q = (a >> _S30) & np.uint64(3)
    v = (float(np.int64(a & _LO30)) + 0.5) * _TWO_M30  # (0, 1)
    phi = (v - 0.5) * _HALF_PI  # (-pi/4, pi/4)
    p2 = phi * phi
    sn = -1.0 / 1307674368000.0
    sn = sn * p2 + 1.0 / 6227020800.0
    sn = sn * p2 - 1.0 / 39916800.0
    sn = sn * p2 + 1.0 / 362880.0
    sn = sn * p2 - 1.0 / 5040.0
    sn = sn * p2 + 1.0 / 120.0
    sn = sn * p2 - 1.0 / 6.0
    sn = phi + phi * p2 * sn
    cs = 1.0 / 20922789888000.0
    cs = cs * p2 - 1.0 / 87178291200.0
    cs = cs * p2 + 1.0 / 479001600.0
    cs = cs * p2 - 1.0 / 3628800.0
    cs = cs * p2 + 1.0 / 40320.0
    cs = cs * p2 - 1.0 / 720.0
    cs = cs * p2 + 1.0 / 24.0
    cs = cs * p2 - 0.5
    cs = 1.0 + p2 * cs
    # rotate (cs, sn) by q pi/2: q = 1 -> (-sn, cs), 2 -> (-cs, -sn), 3 -> (sn, -cs)
    odd = (q & _Q1) != 0
    x = sn if odd else cs
    y = cs if odd else sn
    x = -x if (q == _Q1) | (q == _Q2) else x
    y = -y if (q & _Q2) != 0 else y
    return x, y


@njit(fastmath=_FASTMATH, nogil=True, error_model="numpy", inline="always")
def normal3(key, step):
    """Three independent standard normal numbers of one device at one step.

    Parameters
    ----------
    key : uint64
        ``seed + d * 2**40 * GAMMA`` of device ``d`` (:func:`device_key`).
    step : uint64
        Global step index.

    Returns
    -------
    (float, float, float)
        Standard normal numbers [1].
    """
    base = key + step * _THREE * GAMMA
    r0 = mix(base)
    r1 = mix(base + GAMMA)
    r2 = mix(base + GAMMA + GAMMA)
    ra = radius(r0)
    rb = radius(r1)
    ca, sa = direction(r2)
    cb, _ = direction(r2 >> _S32)
    return ra * ca, ra * sa, rb * cb


@njit(nogil=True, error_model="numpy", inline="always")
def device_key(seed, device):
    """Key of device ``device`` in the stream ``seed``: ``seed + device * 2**40 * GAMMA`` (uint64)."""
    return seed + np.uint64(device) * DEVICE_STRIDE * GAMMA


@njit(fastmath=_FASTMATH, nogil=True, error_model="numpy")
def fill(out, seed, device0, step0):
    """Fill ``out`` (float64[S, 3, n]) with the normal numbers of devices
    ``device0 .. device0 + n - 1`` at steps ``step0 .. step0 + S - 1`` (the numbers
    the LLGS kernel draws; for tests and throughput measurements)."""
    n = out.shape[2]
    for s in range(out.shape[0]):
        st = np.uint64(step0 + s)
        for i in range(n):
            a, b, c = normal3(device_key(seed, device0 + i), st)
            out[s, 0, i] = a
            out[s, 1, i] = b
            out[s, 2, i] = c
