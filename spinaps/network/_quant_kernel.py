"""Compiled search of the MSE-optimal B-bit scale of each weight row (for
:func:`spinaps.network.weights.quantize`).

The kernel does, row by row and clip ratio by clip ratio, the arithmetic of the plain
numpy search (``scale = c * peak / top``, ``q = clip(rint(w / scale), -top, top)``,
``err = sum((w - scale * q) ** 2)``, the first ratio with the strictly smallest error
wins) in the same order, without temporaries.  The row sum repeats numpy's pairwise
summation (blocks of 8 partial sums up to 128 terms, halves above), so the errors, and
hence the chosen scales, are bit for bit those of ``numpy.sum`` (checked against a
plain reference in ``tests/unit/network/test_weights.py``).
"""

from __future__ import annotations

import numpy as np

from .._jit import njit

__all__ = []

#: 1.5 x 2^52: (x + _ROUND) - _ROUND is x rounded to the nearest integer, ties to even
#: (the IEEE default rounding, as numpy.rint), for |x| < 2^51.  Here
#: |w / scale| <= (2^(B-1) - 1) / 0.05 < 2^12 (the smallest clip ratio is 0.05).
_ROUND = 6755399441055744.0


@njit(nogil=True)
def _block_sum(a, lo, n):  # pragma: no cover - compiled
    """numpy's sum of a block of at most 128 terms: 8 partial sums (sequential below 8)."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    m = n - n % 8
    while i < m:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(nogil=True)
def _pairwise_sum(a, n):  # pragma: no cover - compiled
    """Sum of a[:n] in numpy's pairwise order (float64): blocks of at most 128 terms,
    longer spans split at n2 = n // 2 rounded down to a multiple of 8, the two halves
    added.  Iterative (an explicit stack; numba cannot cache recursive functions
    safely); the order in which the halves are evaluated does not matter, x + y being
    exactly y + x."""
    if n <= 128:
        return _block_sum(a, 0, n)
    t_lo = np.empty(256, np.int64)
    t_n = np.empty(256, np.int64)
    t_join = np.empty(256, np.bool_)
    values = np.empty(128)
    tp, vp = 1, 0
    t_lo[0], t_n[0], t_join[0] = 0, n, False
    while tp > 0:
        tp -= 1
        lo, m = t_lo[tp], t_n[tp]
        if t_join[tp]:
            values[vp - 2] = values[vp - 2] + values[vp - 1]
            vp -= 1
        elif m <= 128:
            values[vp] = _block_sum(a, lo, m)
            vp += 1
        else:
            n2 = m // 2
            n2 -= n2 % 8
            t_lo[tp], t_n[tp], t_join[tp] = lo, m, True
            t_lo[tp + 1], t_n[tp + 1], t_join[tp + 1] = lo + n2, m - n2, False
            t_lo[tp + 2], t_n[tp + 2], t_join[tp + 2] = lo, n2, False
            tp += 3
    return values[0]


@njit(nogil=True)
def best_scales(w, peak, ratios, top):  # pragma: no cover - compiled
    """The MSE-optimal scale of each row of w (rows, n) over the clip ratios.

    Parameters
    ----------
    w : ndarray of float64 (rows, n)
        Weights, C-contiguous.
    peak : ndarray of float64 (rows,)
        max |w| of each row (1 for an all-zero row).
    ratios : ndarray of float64
        Clip ratios c, searched in order.
    top : int
        2^(B-1) - 1, the largest level.

    Returns
    -------
    ndarray of float64 (rows,)
        The scale of the smallest squared error (the first on ties; ``peak / top`` if
        no error is finite).
    """
    rows, n = w.shape
    out = np.empty(rows)
    sq = np.empty(n)
    lo, hi = -float(top), float(top)
    for r in range(rows):
        best, best_err = peak[r] / top, np.inf
        for c in ratios:
            scale = c * peak[r] / top
            for i in range(n):
                q = min(max((w[r, i] / scale + _ROUND) - _ROUND, lo), hi)
                e = w[r, i] - scale * q
                sq[i] = e * e
            err = 0.0 + _pairwise_sum(sq, n)
            if err < best_err:
                best, best_err = scale, err
        out[r] = best
    return out
