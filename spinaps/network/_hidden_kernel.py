"""Compiled local learning signal of the hidden-layer network (the inner loop of
:func:`spinaps.network.hidden.hidden_gradients`, estimator ``"local"``).

For every sample b, hidden frame t' and hidden neuron m the kernel returns
f(G | g_{m,t'} = 1) - f(G | g_{m,t'} = 0), f = log P(c first | G), by flipping the
sampled spike and recomputing only what the flip changes (the derivation is in
:func:`spinaps.network.hidden._local_signal`).  Three identities make it cheap:

* log sigma(x) - log(1 - sigma(x)) = x, so the "c alone" term of a step is
  A_s = S_s + u_{c,s} with S_s = sum_j log(1 - sigma(u_{j,s})): no logarithm for the
  correct class;
* the flipped silence is a product, e^{-S'_s} = prod_j (1 + e^{u_{j,s}} e^{delta R_{m,l,j}}),
  with e^{u} computed once per (sample, step, class) and e^{+-R} once per (hidden
  neuron, lag, class), so e^{dS_s} = e^{-S_s} / e^{-S'_s} costs J multiplications;
* the new likelihood is a sum of exponentials of the old terms times these factors,

      P' / e^{max e} = sum_{s < t'} w_s + sum_{window} w_s C_s e^{dS_s} e^{delta R_{m,l,c}}
                       + C sum_{s >= t' + tau} w_s,     w_s = e^{e_s - max e},

  with C_s the product of the window's e^{dS} before s and C that of all of them: the
  prefix and suffix sums of w are computed once per sample, and each hidden spike
  costs one logarithm, log(P' / P).

Where a factor leaves a safe range (a product above 1e290 -- sum_j max(u + delta R, 0)
above about 670 --, a change of more than e^{+-230}, a total below 1e-30) the entry is
recomputed term by term in the log domain with the stable softplus, so the result is
exact for any potentials.

Everything runs in float64 (the numpy version ran in float32); the rounding error of
a signal is about 1e-15 |S| instead of 1e-7 |S|.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .._jit import njit

__all__ = []

#: Largest product of the flipped factors (1 + e^u e^{delta R}) accepted before the
#: entry is recomputed term by term: far below the float64 limit (1.8e308), so the
#: J factors of one step cannot overflow between two checks.
_PRODUCT_LIMIT = 1e290
#: Range of the factors of the multiplicative update -- e^{the window's silence changes
#: so far} and e^{+-R_{m,l,c}} -- and smallest accepted total
#: sum_s e^{e'_s - max_s e_s} after the flip; outside them the entry is recomputed in
#: the log domain.  Terms lost to underflow (below 1e-308 before the update, at most
#: 1e-308 x 1e100 x 1e100 = 1e-108 after it) then change a total of at least 1e-30 by
#: less than 1e-78 relative.
_CARRY_LOW, _CARRY_HIGH = 1e-100, 1e100
_TOTAL_LOW = 1e-30


@njit(nogil=True)
def _softplus(x):  # pragma: no cover - compiled
    """log(1 + e^x), stable for any x."""
    if x > 0.0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))


@njit(nogil=True)
def _flip_by_logs(u_b, terms, silent, response, m, tp, sign, c):  # pragma: no cover - compiled
    """f(G with g_{m,t'} flipped) in the log domain, term by term (any potentials)."""
    n_t, n_j = u_b.shape
    n_lags = response.shape[1]
    new = terms.copy()
    cum = 0.0
    for s in range(tp, n_t):
        lag = s - tp
        if lag < n_lags:
            flipped = 0.0
            for j in range(n_j):
                flipped -= _softplus(u_b[s, j] + sign * response[m, lag, j])
            d_s = flipped - silent[s]
            new[s] += cum + d_s + sign * response[m, lag, c]
            cum += d_s
        else:
            new[s] += cum
    top = new.max()
    total = 0.0
    for s in range(n_t):
        total += math.exp(new[s] - top)
    return top + math.log(total)


@njit(nogil=True)
def local_signal(u, g, labels, response, out):  # pragma: no cover - compiled
    """f(G | g = 1) - f(G | g = 0) for every hidden spike, into ``out`` (batch, T, H).

    The innermost loops run over the hidden neurons (contiguous, so that they compile to
    vector instructions); an entry whose factors leave the safe ranges is recomputed in
    the log domain (:func:`_flip_by_logs`).

    Parameters
    ----------
    u : ndarray of float64 (batch, T, J)
        Output potentials of the sampled hidden frames.
    g : ndarray of bool (batch, T, H)
        The sampled hidden frames.
    labels : ndarray of int64 (batch,)
        The correct classes c.
    response : ndarray of float64 (H, lags, J)
        R_{m,l,j}, the change of u_{j,t'+l} per unit change of g_{m,t'}.
    out : ndarray of float64 (batch, T, H)
        The signals (written).
    """
    n_b, n_t, n_j = u.shape
    n_h, n_lags = response.shape[0], response.shape[1]
    # e^{+R} and e^{-R} as (lag, J, H): the factor of a flip 0 -> 1 and 1 -> 0
    exp_up = np.empty((n_lags, n_j, n_h))
    exp_down = np.empty((n_lags, n_j, n_h))
    for m in range(n_h):
        for lag in range(n_lags):
            for j in range(n_j):
                exp_up[lag, j, m] = math.exp(response[m, lag, j])
                exp_down[lag, j, m] = math.exp(-response[m, lag, j])
    eu = np.empty((n_t, n_j))
    silent = np.empty(n_t)
    quiet = np.empty(n_t)  # e^{-S_s} = prod_j (1 + e^{u_{j,s}})
    terms = np.empty(n_t)
    weight = np.empty(n_t)  # e^{e_s - top}
    prefix = np.empty(n_t + 1)  # sum_{s < t} e^{e_s - top}
    suffix = np.empty(n_t + 1)  # sum_{s >= t} e^{e_s - top}
    prod = np.empty(n_h)
    carry = np.empty(n_h)
    total = np.empty(n_h)
    safe = np.empty(n_h, np.bool_)
    for b in range(n_b):
        c = labels[b]
        before = 0.0
        for s in range(n_t):
            acc = 0.0
            q = 1.0
            for j in range(n_j):
                eu[s, j] = math.exp(u[b, s, j])
                acc -= _softplus(u[b, s, j])
                q *= 1.0 + eu[s, j]
            silent[s] = acc
            quiet[s] = q
            terms[s] = before + acc + u[b, s, c]  # e_s = sum_{s' < s} S_s' + A_s, A_s = S_s + u_c
            before += acc
        top = terms.max()
        prefix[0] = 0.0
        for s in range(n_t):
            weight[s] = math.exp(terms[s] - top)
            prefix[s + 1] = prefix[s] + weight[s]
        suffix[n_t] = 0.0
        for s in range(n_t - 1, -1, -1):
            suffix[s] = suffix[s + 1] + weight[s]
        f = top + math.log(prefix[n_t])
        inv_all = 1.0 / prefix[n_t]
        for tp in range(n_t):
            last = min(n_t, tp + n_lags)
            spiked = g[b, tp]
            for m in range(n_h):
                carry[m] = 1.0
                total[m] = prefix[tp]
                safe[m] = True
            # e^{change} of the window's terms and after it, multiplicatively:
            # e^{dS_s} = quiet_s / prod_s, e^{dA_s} = e^{dS_s} e^{sign R_c}
            for s in range(tp, last):
                lag = s - tp
                up, down = exp_up[lag], exp_down[lag]
                for m in range(n_h):
                    prod[m] = 1.0
                for j in range(n_j):
                    e = eu[s, j]
                    for m in range(n_h):
                        prod[m] *= 1.0 + e * (down[j, m] if spiked[m] else up[j, m])
                q, w = quiet[s], weight[s]
                q_ok = q < _PRODUCT_LIMIT
                for m in range(n_h):
                    erc = down[c, m] if spiked[m] else up[c, m]
                    ratio = q / prod[m]
                    total[m] += w * carry[m] * ratio * erc
                    carry[m] *= ratio
                    ok = q_ok and prod[m] < _PRODUCT_LIMIT and _CARRY_LOW < carry[m] < _CARRY_HIGH
                    safe[m] = safe[m] and ok and _CARRY_LOW < erc < _CARRY_HIGH
            tail = suffix[last]
            for m in range(n_h):
                sign = -1.0 if spiked[m] else 1.0
                t_m = total[m] + carry[m] * tail
                if safe[m] and _TOTAL_LOW < t_m < _PRODUCT_LIMIT:
                    out[b, tp, m] = sign * math.log(t_m * inv_all)
                else:
                    out[b, tp, m] = sign * (_flip_by_logs(u[b], terms, silent, response, m, tp, sign, c) - f)


@njit(nogil=True, parallel=True)
def local_signal_blocks(u, g, labels, response, out, n_blocks):  # pragma: no cover - compiled
    """:func:`local_signal` on ``n_blocks`` contiguous blocks of samples in parallel
    (numba's threads; each block has its own scratch arrays, and every sample's signal
    is computed alone, so the result does not depend on ``n_blocks``)."""
    n_b = u.shape[0]
    for k in numba.prange(n_blocks):
        lo = (k * n_b) // n_blocks
        hi = ((k + 1) * n_b) // n_blocks
        local_signal(u[lo:hi], g[lo:hi], labels[lo:hi], response, out[lo:hi])
