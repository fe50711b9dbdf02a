"""Compiled time march of the discretised Fokker-Planck equation (backward Euler).

The generator is tridiagonal in the cell masses (see :mod:`spinaps.device.fokker_planck`):

    dM_k/ds = r_up[k-1] M[k-1] + r_down[k+1] M[k+1] - (r_up[k] + r_down[k] + out[k]) M[k].

Each backward-Euler step solves (I - ds A) M_new = M_old with the Thomas algorithm.  The
matrix is a column-diagonally-dominant M-matrix, so elimination without pivoting is
stable and every mass stays non-negative: sums of masses (write error rates down to
1e-15, flip probabilities down to 1e-300) carry no cancellation.
"""

from __future__ import annotations

import numpy as np

from .._jit import njit


@njit(nogil=True)
def _factor(r_up, r_down, out, ds, inv_e, lower, upper):
    """Factorise I - ds A for the Thomas algorithm, without subtractions.

    In the spirit of the Grassmann-Taksar-Heyman elimination, with e_k the pivot and
    f_k = e_k - ds r_up[k],

        f_k = 1 + ds out[k] + ds r_down[k] f_{k-1} / e_{k-1},   e_k = f_k + ds r_up[k],

    so every quantity is a sum of non-negative terms and is accurate to rounding
    whatever ds is: mass is conserved even for steps of 1e17 tau_D (retention), where
    the textbook recursion b - a c' loses all digits.  Stored (all >= 0): ``inv_e`` =
    1 / e_k, ``lower[k]`` = ds r_up[k-1] / e_k (forward substitution) and ``upper[k]``
    = ds r_down[k+1] / e_k (back substitution).
    """
    n = r_up.size
    f = 1.0 + ds * out[0]
    e = f + ds * r_up[0]
    inv_e[0] = 1.0 / e
    lower[0] = 0.0
    for k in range(1, n):
        f = 1.0 + ds * out[k] + ds * r_down[k] * f / e
        e = f + ds * r_up[k]
        inv_e[k] = 1.0 / e
        lower[k] = ds * r_up[k - 1] / e
    for k in range(n - 1):
        upper[k] = ds * r_down[k + 1] * inv_e[k]
    upper[n - 1] = 0.0


@njit(nogil=True)
def _solve(inv_e, lower, upper, out, ds, m):
    """One backward-Euler step in place with a factorisation from :func:`_factor`;
    returns the mass absorbed during the step.  Both substitutions add non-negative
    terms (no cancellation)."""
    n = m.size
    m[0] = m[0] * inv_e[0]
    for k in range(1, n):
        m[k] = m[k] * inv_e[k] + lower[k] * m[k - 1]
    absorbed = ds * out[n - 1] * m[n - 1]
    for k in range(n - 2, -1, -1):
        m[k] = m[k] + upper[k] * m[k + 1]
        absorbed += ds * out[k] * m[k]
    return absorbed


@njit(nogil=True)
def _solve2(inv_e, lower, upper, out, ds, a, b):
    """:func:`_solve` on two states with the same factorisation (one pass, two
    independent recurrences); returns the two absorbed masses."""
    n = a.size
    a[0] = a[0] * inv_e[0]
    b[0] = b[0] * inv_e[0]
    for k in range(1, n):
        a[k] = a[k] * inv_e[k] + lower[k] * a[k - 1]
        b[k] = b[k] * inv_e[k] + lower[k] * b[k - 1]
    abs_a = ds * out[n - 1] * a[n - 1]
    abs_b = ds * out[n - 1] * b[n - 1]
    for k in range(n - 2, -1, -1):
        a[k] = a[k] + upper[k] * a[k + 1]
        b[k] = b[k] + upper[k] * b[k + 1]
        abs_a += ds * out[k] * a[k]
        abs_b += ds * out[k] * b[k]
    return abs_a, abs_b


@njit(nogil=True)
def _step(r_up, r_down, out, m, ds, cp, dp):
    """One backward-Euler step in place (factorisation and solve); returns the mass
    absorbed during the step.  ``cp`` and ``dp`` are work arrays of the size of ``m``."""
    upper = np.empty(m.size)
    _factor(r_up, r_down, out, ds, cp, dp, upper)
    return _solve(cp, dp, upper, out, ds, m)


@njit(nogil=True)
def _sums(m, split):
    neg = 0.0
    pos = 0.0
    for k in range(split):
        neg += m[k]
    for k in range(split, m.size):
        pos += m[k]
    return pos, neg


#: Masses below this are not error-controlled: near the underflow limit their relative
#: error is meaningless and would shrink the step without end (WER < 1e-250 is 0 for
#: any design).
_TINY = 1e-250


@njit(nogil=True)
def _rel(a, b):
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > _TINY else 0.0


@njit(nogil=True)
def march(r_up, r_down, out, m0, s_out, split, tol, ds_first, ds_max_early, ds_max_late, s_late):
    """Adaptive backward-Euler march with steps ds (coarse) and two steps ds/2 (fine).

    Each step is tried from the fine state with ds and with two ds/2; the relative
    difference of the two (the local error of the fine march) in the mass with
    m_z > 0 and in the flipped mass (m_z < 0 plus absorbed) must not exceed ``tol``,
    otherwise the step is shortened (down to ``ds_first``).  Steps never exceed
    ``ds_max_early`` before ``s_late`` and ``ds_max_late`` after it, and land exactly on
    the output times.  The coarse march follows the same steps, so the pair supports
    Richardson extrapolation.

    Parameters
    ----------
    r_up, r_down, out : float64[n]
        Transition rates to the next / previous cell and out of the domain [1/tau_D].
    m0 : float64[n]
        Initial cell masses.
    s_out : float64[k]
        Increasing output times (> 0).
    split : int
        Cell index of the equator: cells [split, n) have m_z > 0.

    Returns
    -------
    res : float64[2, 2, k]
        For the coarse (0) and fine (1) march: mass with m_z > 0, flipped mass.
    n_steps : int
    """
    n = m0.size
    res = np.zeros((2, 2, s_out.size))
    # factorisations of I - ds A (coarse) and I - ds/2 A (fine), kept while ds is unchanged
    inv_c, low_c, up_c = np.empty(n), np.empty(n), np.empty(n)
    inv_f, low_f, up_f = np.empty(n), np.empty(n), np.empty(n)
    ds_c = -1.0
    m_f = m0.copy()
    m_c = m0.copy()
    t_c = np.empty(n)
    t_f = np.empty(n)
    m_try = np.empty(n)
    abs_f = 0.0
    abs_c = 0.0
    s = 0.0
    ds = ds_first
    k = 0
    n_steps = 0
    while k < s_out.size:
        cap = ds_max_early if s < s_late else ds_max_late
        ds = min(ds, cap, s_out[k] - s)
        if ds != ds_c:
            _factor(r_up, r_down, out, ds, inv_c, low_c, up_c)
            _factor(r_up, r_down, out, 0.5 * ds, inv_f, low_f, up_f)
            ds_c = ds
        t_c[:] = m_f
        t_f[:] = m_f
        m_try[:] = m_c
        a_c, a_mc = _solve2(inv_c, low_c, up_c, out, ds, t_c, m_try)
        a_f = _solve(inv_f, low_f, up_f, out, 0.5 * ds, t_f)
        a_f += _solve(inv_f, low_f, up_f, out, 0.5 * ds, t_f)
        pos_c, neg_c = _sums(t_c, split)
        pos_f, neg_f = _sums(t_f, split)
        err = max(_rel(pos_c, pos_f), _rel(neg_c + abs_f + a_c, neg_f + abs_f + a_f))
        if err > tol and ds > ds_first:
            ds = max(ds_first, ds * max(0.2, 0.9 * np.sqrt(tol / err)))
            continue
        m_f[:] = t_f
        m_c[:] = m_try
        abs_f += a_f
        abs_c += a_mc
        s += ds
        n_steps += 1
        if s >= s_out[k] * (1.0 - 1e-14):
            s = s_out[k]
            pc, nc = _sums(m_c, split)
            pf, nf = _sums(m_f, split)
            res[0, 0, k] = pc
            res[0, 1, k] = nc + abs_c
            res[1, 0, k] = pf
            res[1, 1, k] = nf + abs_f
            k += 1
        grow = 3.0 if err == 0.0 else min(3.0, 0.9 * np.sqrt(tol / err))
        ds = max(ds_first, ds * grow)
    return res, n_steps
