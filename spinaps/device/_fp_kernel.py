"""Compiled time march of the discretised Fokker-Planck equation (backward Euler).

The generator is tridiagonal in the cell masses (see :mod:`spinaps.device.fokker_planck`):

    dM_k/ds = r_up[k-1] M[k-1] + r_down[k+1] M[k+1] - (r_up[k] + r_down[k] + out[k]) M[k].

Each backward-Euler step solves (I - ds A) M_new = M_old with the Thomas algorithm.  The
matrix is a column-diagonally-dominant M-matrix, so elimination without pivoting is
stable and every mass stays non-negative: sums of masses (write error rates down to
1e-15, flip probabilities down to 1e-300) carry no cancellation.

The factorisation of I - ds A depends on ds only, so it is computed once per step size
and kept (:func:`_slot`): the many steps at the cap of a long pulse, and the
error-controlled steps rounded to a ladder of sizes (:func:`_ladder`), each cost only
the two substitutions, which are multiply-adds of non-negative stored factors.
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
def _sums(m, split):
    """Masses with m_z > 0 (cells ``split`` and above) and m_z < 0, each summed in the
    order of the cells."""
    neg = 0.0
    pos = 0.0
    for k in range(split):
        neg += m[k]
    for k in range(split, m.size):
        pos += m[k]
    return pos, neg


@njit(nogil=True)
def _solve(inv_e, lower, upper, out, ds, src, dst, split):
    """One backward-Euler step from ``src`` into ``dst`` (which may be ``src``) with a
    factorisation from :func:`_factor`.  Both substitutions add non-negative terms (no
    cancellation).

    Returns
    -------
    absorbed, pos, neg : float
        The mass absorbed during the step, and the masses of the new state with
        m_z > 0 and m_z < 0 (:func:`_sums`).
    """
    n = src.size
    dst[0] = src[0] * inv_e[0]
    for k in range(1, n):
        dst[k] = src[k] * inv_e[k] + lower[k] * dst[k - 1]
    absorbed = out[n - 1] * dst[n - 1]
    for k in range(n - 2, -1, -1):
        dst[k] = dst[k] + upper[k] * dst[k + 1]
        absorbed += out[k] * dst[k]
    pos, neg = _sums(dst, split)
    return ds * absorbed, pos, neg


@njit(nogil=True)
def _solve2(inv_e, lower, upper, out, ds, a, a_new, b, b_new, split):
    """:func:`_solve` of two states with the same factorisation in one pass (two
    independent recurrences); returns (absorbed, pos, neg) of each."""
    n = a.size
    a_new[0] = a[0] * inv_e[0]
    b_new[0] = b[0] * inv_e[0]
    for k in range(1, n):
        a_new[k] = a[k] * inv_e[k] + lower[k] * a_new[k - 1]
        b_new[k] = b[k] * inv_e[k] + lower[k] * b_new[k - 1]
    abs_a, abs_b = out[n - 1] * a_new[n - 1], out[n - 1] * b_new[n - 1]
    for k in range(n - 2, -1, -1):
        a_new[k] = a_new[k] + upper[k] * a_new[k + 1]
        b_new[k] = b_new[k] + upper[k] * b_new[k + 1]
        abs_a += out[k] * a_new[k]
        abs_b += out[k] * b_new[k]
    pos_a, neg_a = _sums(a_new, split)
    pos_b, neg_b = _sums(b_new, split)
    return ds * abs_a, pos_a, neg_a, ds * abs_b, pos_b, neg_b


#: Masses below this are not error-controlled: near the underflow limit their relative
#: error is meaningless and would shrink the step without end (WER < 1e-250 is 0 for
#: any design).
_TINY = 1e-250


@njit(nogil=True)
def _rel(a, b):
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > _TINY else 0.0


#: Factorisations kept per march (least recently used is replaced).
_SLOTS = 8
#: Error-controlled steps are rounded down to powers of 2^(1 / _LADDER), so that a
#: factorisation serves many steps (and the fine step ds/2 of one level is the coarse
#: step of the level _LADDER below); capped steps and steps landing on an output time
#: are used as they are.
_LADDER = 4


@njit(nogil=True)
def _slot(ds, r_up, r_down, out, keys, used, clock, inv_s, low_s, up_s):
    """Index of the slot holding the factorisation of I - ds A, factorising on a miss."""
    for j in range(keys.size):
        if keys[j] == ds:
            used[j] = clock
            return j
    j = 0
    for q in range(1, keys.size):
        if used[q] < used[j]:
            j = q
    _factor(r_up, r_down, out, ds, inv_s[j], low_s[j], up_s[j])
    keys[j] = ds
    used[j] = clock
    return j


@njit(nogil=True)
def _ladder(ds):
    """The largest power of 2^(1 / _LADDER) not above ``ds`` (> 0)."""
    level = np.floor(_LADDER * np.log2(ds))
    q = 2.0 ** (level / _LADDER)
    return q if q <= ds else 2.0 ** ((level - 1.0) / _LADDER)


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
        For the coarse (0) and fine (1) march: mass with m_z > 0 and flipped mass,
        each divided by the total mass.
    n_steps : int
    """
    n = m0.size
    res = np.zeros((2, 2, s_out.size))
    # factorisations of I - ds A for the step sizes in use (see _slot)
    inv_s, low_s, up_s = np.empty((_SLOTS, n)), np.empty((_SLOTS, n)), np.empty((_SLOTS, n))
    keys = np.full(_SLOTS, -1.0)
    used = np.zeros(_SLOTS, dtype=np.int64)
    m_f = m0.copy()  # fine march
    m_c = m0.copy()  # coarse march
    t_c = np.empty(n)  # trial: one step ds from m_f (error estimate)
    t_f = np.empty(n)  # trial: two steps ds/2 from m_f
    t_m = np.empty(n)  # trial: one step ds from m_c
    abs_f = 0.0
    abs_c = 0.0
    pos_c = neg_c = pos_f = neg_f = 0.0
    s = 0.0
    ds = ds_first
    k = 0
    n_steps = 0
    n_tries = 0
    while k < s_out.size:
        cap = ds_max_early if s < s_late else ds_max_late
        ds = min(_ladder(ds), cap, s_out[k] - s)
        n_tries += 1
        jc = _slot(ds, r_up, r_down, out, keys, used, n_tries, inv_s, low_s, up_s)
        jf = _slot(0.5 * ds, r_up, r_down, out, keys, used, n_tries, inv_s, low_s, up_s)
        a_c, p_c, n_c, a_m, p_m, n_m = _solve2(inv_s[jc], low_s[jc], up_s[jc], out, ds, m_f, t_c, m_c, t_m, split)
        a_f, _, _ = _solve(inv_s[jf], low_s[jf], up_s[jf], out, 0.5 * ds, m_f, t_f, split)
        a_2, p_f, n_f = _solve(inv_s[jf], low_s[jf], up_s[jf], out, 0.5 * ds, t_f, t_f, split)
        a_f += a_2
        err = max(_rel(p_c, p_f), _rel(n_c + abs_f + a_c, n_f + abs_f + a_f))
        if err > tol and ds > ds_first:
            ds = max(ds_first, ds * max(0.2, 0.9 * np.sqrt(tol / err)))
            continue
        m_f, t_f = t_f, m_f
        m_c, t_m = t_m, m_c
        pos_f, neg_f, pos_c, neg_c = p_f, n_f, p_m, n_m
        abs_f += a_f
        abs_c += a_m
        s += ds
        n_steps += 1
        if s >= s_out[k] * (1.0 - 1e-14):
            s = s_out[k]
            # normalised by the total mass, which the march conserves only to rounding:
            # a state with no flipped mass reports exactly 1 (not 1 - a few eps)
            total_c = pos_c + neg_c + abs_c
            total_f = pos_f + neg_f + abs_f
            res[0, 0, k] = pos_c / total_c
            res[0, 1, k] = (neg_c + abs_c) / total_c
            res[1, 0, k] = pos_f / total_f
            res[1, 1, k] = (neg_f + abs_f) / total_f
            k += 1
        grow = 3.0 if err == 0.0 else min(3.0, 0.9 * np.sqrt(tol / err))
        ds = max(ds_first, ds * grow)
    return res, n_steps
