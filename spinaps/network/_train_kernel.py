"""Compiled pieces of a training step of the 2-layer GLM network (for
:func:`spinaps.network.train_snn`).

A training step is two dense float32 matrix products (the traces of the frames through
the weights, and its adjoint, dL/dw; BLAS does those) and, between them, many small
operations on the (batch, T, J) potentials that numpy would run as dozens of separate
calls.  These kernels do the small ones in one pass each:

* :func:`frames` -- the 0/1 float32 frames of :func:`~spinaps.network.glm.encode` from
  the same 16-bit words (bit for bit the same spikes);
* :func:`batch_loglik` -- :func:`~spinaps.network.glm.potentials`, the rule's
  log-likelihood (:func:`~spinaps.network.glm.first_to_spike_loglik` or
  :func:`~spinaps.network.glm.rate_loglik`) and its gradient, and
  :func:`~spinaps.network.glm.potentials_backward`, per sample in float64.

They agree with the numpy functions to rounding (checked in
``tests/unit/network/test_train_kernel.py``).  They run serially and without the GIL:
one step is too small to split between threads that would wait for each other on a busy
machine, and the chain trains in a background thread while the device step runs.
"""

from __future__ import annotations

import math

import numpy as np

from .._jit import njit

__all__ = []

#: Rule codes of the kernel (the keys of :data:`spinaps.network.glm.LOGLIKS`).
RULES = {"first_to_spike": 0, "rate": 1}


@njit(nogil=True)
def _softplus_sigmoid(x):  # pragma: no cover - compiled
    """log(1 + e^x) and sigma(x) = 1 / (1 + e^-x) from one exponential, without
    overflow: with e = exp(-|x|), softplus = max(x, 0) + log1p(e) and sigma = 1 / (1 + e)
    for x >= 0, e / (1 + e) below."""
    e = math.exp(-abs(x))
    if x >= 0.0:
        return x + math.log1p(e), 1.0 / (1.0 + e)
    return math.log1p(e), e / (1.0 + e)


@njit(nogil=True)
def _first_to_spike(u, c, g):  # pragma: no cover - compiled
    """log P(c first and alone) of one sample's potentials u (T, J); its gradient
    d log P / du into g (T, J).

    The formulas of ``first_to_spike_terms`` and ``first_to_spike_loglik``, with
    A_t = log sigma(u_c) + S_t - log(1 - sigma(u_c)) = u_c + S_t (as
    log sigma(x) - log(1 - sigma(x)) = x).
    """
    n_steps, n_out = u.shape
    terms = np.empty(n_steps)
    before = 0.0
    for t in range(n_steps):
        silent_all = 0.0
        for j in range(n_out):
            softplus, sigma = _softplus_sigmoid(u[t, j])
            silent_all -= softplus
            g[t, j] = sigma
        terms[t] = before + u[t, c] + silent_all
        before += silent_all
    top = terms.max()
    total = 0.0
    for t in range(n_steps):
        total += math.exp(terms[t] - top)
    loglik = top + math.log(total)
    h = 0.0
    for t in range(n_steps - 1, -1, -1):
        q = math.exp(terms[t] - loglik)
        h += q
        for j in range(n_out):
            g[t, j] *= -h
        g[t, c] += q
    return loglik


@njit(nogil=True)
def _rate(u, c, g):  # pragma: no cover - compiled
    """The rate-decoding log-likelihood of one sample (formulas of ``rate_loglik``,
    log sigma(x) = x - softplus(x)) and its gradient into g."""
    n_steps, n_out = u.shape
    loglik = 0.0
    for t in range(n_steps):
        for j in range(n_out):
            softplus, sigma = _softplus_sigmoid(u[t, j])
            loglik -= softplus
            g[t, j] = -sigma
        loglik += u[t, c]
        g[t, c] += 1.0
    return loglik


#: 1.5 x 2^52: (v + _ROUND) - _ROUND is v rounded to the nearest integer, ties to even
#: (numpy.rint), for |v| < 2^51; here v = 2^16 p_max x <= 2^16.
_ROUND = 6755399441055744.0


#: The smallest normal float32, 2^-126 (numpy.finfo(numpy.float32).tiny).
_FLOAT32_TINY = 1.1754943508222875e-38


@njit(nogil=True)
def frames(words, x, scale, rows, out):  # pragma: no cover - compiled
    """The 0/1 spike frames of :func:`~spinaps.network.glm.encode` from its words.

    Input i of sample s spikes in a frame when the frame's word is below
    round(2^16 p_max x_{s,i}) (:func:`~spinaps.network.glm.frame_thresholds`), so the
    frames are bit for bit those of ``encode``.

    Parameters
    ----------
    words : numpy.ndarray of uint16 (batch T N,)
        The 16-bit uniform words of the batch's frames (``encode``'s layout).
    x : numpy.ndarray of float32 (samples, N)
        The training features, in [0, 1] (checked by the caller).
    scale : float
        2^16 p_max.
    rows : numpy.ndarray of int64 (batch,)
        The training samples of the batch, in the order of ``words``.
    out : numpy.ndarray of float32 (batch T, N)
        Set to the frames: out[b T + t', i] = 1 if input i of sample rows[b] spikes in
        frame t'.
    """
    n_frames, n_in = out.shape
    n_steps = n_frames // rows.shape[0]
    thr = np.empty(n_in, dtype=np.uint32)
    for b in range(rows.shape[0]):
        xs = x[rows[b]]
        for i in range(n_in):
            thr[i] = np.uint32((np.float64(xs[i]) * scale + _ROUND) - _ROUND)
        for t in range(n_steps):
            r = b * n_steps + t
            frame = words[r * n_in : (r + 1) * n_in]
            row = out[r]
            for i in range(n_in):
                row[i] = np.float32(frame[i] < thr[i])


@njit(nogil=True)
def batch_loglik(z, bias, basis, labels, rule, dz, grad_b):  # pragma: no cover - compiled
    """Log-likelihood of a mini-batch from its kernel traces, and its gradient.

    Parameters
    ----------
    z : numpy.ndarray of float32 (batch T, J K)
        The traces of :func:`~spinaps.network.glm.traces`, z[b T + t', j K + k].
    bias : numpy.ndarray of float64 (J,)
    basis : numpy.ndarray of float64 (K, tau)
    labels : numpy.ndarray of int64 (batch,)
    rule : int
        :data:`RULES` code.
    dz, grad_b : numpy.ndarray of float32 (batch T, J K), float64 (J,)
        Set to d log P / dz (entries below float32's smallest normal number, 2^-126 in
        magnitude, set to 0) and the sum over the batch of d log P / d bias.

    Returns
    -------
    float
        The sum of log P over the batch.
    """
    n_out = bias.shape[0]
    n_basis, tau = basis.shape
    n_steps = z.shape[0] // labels.shape[0]
    depth = min(tau, n_steps)
    grad_b[:] = 0.0
    u = np.empty((n_steps, n_out))
    g = np.empty((n_steps, n_out))
    total = 0.0
    for b in range(labels.shape[0]):
        r0 = b * n_steps
        # u[t] = bias + sum_{d=1}^{depth} sum_k a_k(d) z[t - d + 1]   (potentials)
        for t in range(n_steps):
            for j in range(n_out):
                acc = bias[j]
                for d in range(1, min(depth, t + 1) + 1):
                    zr = z[r0 + t - d + 1]
                    for k in range(n_basis):
                        acc += basis[k, d - 1] * zr[j * n_basis + k]
                u[t, j] = acc
        if rule == 0:
            total += _first_to_spike(u, labels[b], g)
        else:
            total += _rate(u, labels[b], g)
        # dz[t'] = sum_d a_k(d) g[t' + d - 1]   (potentials_backward)
        for t in range(n_steps):
            dzr = dz[r0 + t]
            for j in range(n_out):
                grad_b[j] += g[t, j]
                for k in range(n_basis):
                    acc = 0.0
                    for d in range(1, min(depth, n_steps - t) + 1):
                        acc += basis[k, d - 1] * g[t + d - 1, j]
                    # below float32's normal range -> 0: subnormal operands slow the
                    # dL/dw product several times over (a change of < 1.2e-38 each)
                    dzr[j * n_basis + k] = acc if abs(acc) >= _FLOAT32_TINY else 0.0
    return total
