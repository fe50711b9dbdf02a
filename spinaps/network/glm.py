"""Probabilistic GLM spiking neurons and their likelihoods (Bagheri, Simeone,
Rajendran, ICASSP 2018, arXiv 1710.10704).

Time is discrete.  Input frames s_{t'} (t' = 0 ... T-1) are Bernoulli rate codes: input
i spikes in each frame with probability p_max x_i (features x in [0, 1]).  Output
neuron j (one per class) at output step t = 1 ... T has the membrane potential

    u_{j,t} = gamma_j + sum_k sum_{d=1}^{tau} a_k(d) z_{j,k,t-d},
    z_{j,k,t'} = sum_i w_{j,i,k} s_{i,t'}   (s = 0 before frame 0),

i.e. the input spikes filtered by K raised-cosine basis kernels a_k over the last
``tau`` frames (Pillow et al., Nature 2008), with a one-frame synaptic delay: output
step t has seen frames 0 ... t-1, so a decision by step t has used t input frames.
Neuron j spikes at step t with probability sigmoid(u_{j,t}).  There is no feedback
kernel: under first-to-spike decoding no output spike exists before the decision.

Computing z first (one matrix product for all steps and kernels) and filtering only
the J K traces in time makes the cost independent of tau; the backward pass mirrors
it (dL/dz_{j,k,t'} = sum_d a_k(d) dL/du_{j,t'+d}).

First-to-spike likelihood: the correct class c is decoded if its neuron spikes at some
step t and no neuron spiked before t and no other neuron spikes at t (a tie counts as a
failure):

    P(c first) = sum_t [prod_{t' < t} prod_j (1 - sigma(u_{j,t'}))]
                       sigma(u_{c,t}) prod_{j != c} (1 - sigma(u_{j,t})),

computed in the log domain (log sigma(u) = -softplus(-u), log(1 - sigma(u)) =
-softplus(u), logsumexp over t).  With q_t the posterior of "first spike at t" (a
softmax over t) and H_s = sum_{t >= s} q_t, the exact gradient is

    d log P / d u_{c,s} = q_s - sigma(u_{c,s}) H_s,   d log P / d u_{j,s} = -sigma(u_{j,s}) H_s.

The rate-decoding maximum-likelihood rule (the correct neuron spikes at every step,
the others never) is provided for comparison.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logsumexp

from .tools import log_not_sigmoid, log_sigmoid

__all__ = ["raised_cosine_basis", "encode", "traces", "traces_backward", "potentials", "potentials_backward",
           "first_spike_terms", "first_to_spike_loglik",
           "rate_loglik", "decode_first_to_spike", "decode_rate", "LOGLIKS", "NO_SPIKE"]

#: Decision code of "no output spike within T steps".
NO_SPIKE = -1


def raised_cosine_basis(n_basis, tau):
    """K raised-cosine kernels a_k(d) over the lags d = 1 ... tau, shape (K, tau).

    Centres c_k = 1 + (k-1) D spread evenly over [1, tau] with spacing
    D = (tau - 1)/(K - 1), and a_k(d) = (1 + cos(pi (d - c_k)/D))/2 for |d - c_k| <= D:
    the kernels sum to 1 at every lag (a partition of unity).  K = 1 is the decaying bump
    a(d) = (1 + cos(pi (d - 1)/tau))/2, a(1) = 1.  Pillow et al. (Nature 2008) stretch
    the time axis logarithmically for long windows; over the few steps used here linear
    spacing is used (our choice).
    """
    if not (isinstance(n_basis, (int, np.integer)) and 1 <= n_basis <= 32):
        raise ValueError(f"n_basis = {n_basis!r} must be an integer in [1, 32]")
    if not (isinstance(tau, (int, np.integer)) and n_basis <= tau <= 1000):
        raise ValueError(f"tau = {tau!r} must be an integer in [n_basis, 1000]")
    d = np.arange(1, tau + 1, dtype=float)
    if n_basis == 1:
        return (0.5 * (1.0 + np.cos(np.pi * (d - 1.0) / tau)))[None, :]
    spacing = (tau - 1.0) / (n_basis - 1.0)
    centres = 1.0 + spacing * np.arange(n_basis)
    arg = np.clip((d[None, :] - centres[:, None]) / spacing, -1.0, 1.0)
    return 0.5 * (1.0 + np.cos(np.pi * arg))


def encode(x, n_steps, *, p_max=1.0, rng):
    """Bernoulli rate code: spike frames (batch, T, inputs), probability p_max x per frame."""
    x = np.asarray(x, dtype=np.float32)
    if not np.all(np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise ValueError("features must lie in [0, 1] (rescale signed features first)")
    if not 0.0 < p_max <= 1.0:
        raise ValueError(f"p_max = {p_max!r} must lie in (0, 1]")
    return rng.random((x.shape[0], n_steps, x.shape[1]), dtype=np.float32) < np.float32(p_max) * x[:, None, :]


def traces(spikes, w, dtype=np.float32):
    """Kernel traces z_{j,k,t'} = sum_i w_{j,i,k} s_{i,t'} of spike frames (..., inputs)
    through weights (W..., J, inputs, K): shape W... + spikes.shape[:-1] + (J, K).

    One matrix product in ``dtype`` over all frames (and one per leading weight set, e.g.
    per chip)."""
    j, n, k = w.shape[-3:]
    w2 = np.moveaxis(w, -2, -3).reshape(w.shape[:-3] + (n, j * k)).astype(dtype)
    z = spikes.reshape(-1, n).astype(dtype) @ w2
    return z.reshape(w.shape[:-3] + spikes.shape[:-1] + (j, k))


def traces_backward(spikes, dz, dtype=np.float32):
    """dL/dw (J, inputs, K) from the frames (..., inputs) and dL/dz (..., J, K) (the
    adjoint of :func:`traces` for one weight set), computed in ``dtype``."""
    n = spikes.shape[-1]
    j, k = dz.shape[-2:]
    dw = spikes.reshape(-1, n).T.astype(dtype) @ dz.reshape(-1, j * k).astype(dtype)
    return np.moveaxis(dw.reshape(n, j, k), 0, 1)


def potentials(z, bias, basis):
    """Membrane potentials u (..., T, J) from the kernel traces z (..., T, J, K).

    u[..., t-1, j] (output step t) = bias_j + sum_k sum_d a_k(d) z[..., t-d, j, k].
    """
    n_steps = z.shape[-3]
    u = np.zeros(z.shape[:-1], dtype=np.float64)
    for d in range(1, min(basis.shape[1], n_steps) + 1):
        u[..., d - 1:, :] += z[..., :n_steps - d + 1, :, :] @ basis[:, d - 1]
    return u + bias


def potentials_backward(du, basis):
    """dL/dz (..., T, J, K) from dL/du (..., T, J) (the adjoint of :func:`potentials`)."""
    n_steps = du.shape[-2]
    dz = np.zeros(du.shape + (basis.shape[0],))
    for d in range(1, min(basis.shape[1], n_steps) + 1):
        dz[..., :n_steps - d + 1, :, :] += du[..., d - 1:, :, None] * basis[:, d - 1]
    return dz


def first_spike_terms(u, labels):
    """The per-step pieces of the first-to-spike likelihood, each (batch, T), in the
    precision of ``u``: S_t = sum_j log(1 - sigma(u_{j,t})) (all silent at t),
    A_t = log sigma(u_{c,t}) + sum_{j != c} log(1 - sigma(u_{j,t})) (c alone spikes at t)
    and the terms e_t = sum_{t' < t} S_{t'} + A_t, log P(c first) = logsumexp_t e_t."""
    rows = np.arange(u.shape[0])
    silent = log_not_sigmoid(u)                                # log(1 - sigma), all neurons
    silent_all = silent.sum(axis=2)
    alone = log_sigmoid(u[rows, :, labels]) + silent_all - silent[rows, :, labels]
    before = np.concatenate([np.zeros_like(silent_all[:, :1]), np.cumsum(silent_all, axis=1)[:, :-1]], axis=1)
    return silent_all, alone, before + alone


def first_to_spike_loglik(u, labels, *, grad=False):
    """log P(correct neuron first and alone) per sample, optionally d/du (batch, T, J)."""
    rows = np.arange(u.shape[0])
    terms = first_spike_terms(u, labels)[2]
    loglik = logsumexp(terms, axis=1)
    if not grad:
        return loglik
    q = np.exp(terms - loglik[:, None])                 # posterior over the first-spike step
    h = np.cumsum(q[:, ::-1], axis=1)[:, ::-1]          # H_s = sum_{t >= s} q_t
    g = -h[:, :, None] * expit(u)
    g[rows, :, labels] += q
    return loglik, g


def rate_loglik(u, labels, *, grad=False):
    """Rate-decoding log-likelihood: the correct neuron spikes at every step, others never."""
    rows = np.arange(u.shape[0])
    target = np.zeros_like(u)
    target[rows, :, labels] = 1.0
    loglik = (target * log_sigmoid(u) + (1 - target) * log_not_sigmoid(u)).sum(axis=(1, 2))
    if not grad:
        return loglik
    return loglik, target - expit(u)


#: The training rules: log-likelihood functions of (u, labels, grad).
LOGLIKS = {"first_to_spike": first_to_spike_loglik, "rate": rate_loglik}


def _random_choice_among(candidates, rng):
    """Index of a uniformly random True entry along the last axis (largest random key)."""
    keys = np.where(candidates, rng.random(candidates.shape, dtype=np.float32), -1.0)
    return np.argmax(keys, axis=-1)


def decode_first_to_spike(u, rng):
    """Sample output spikes and decode: the first neuron to spike; ties at the first
    spiking step are broken uniformly at random; NO_SPIKE if none spikes within T.

    ``u`` has shape (..., T, J); leading dimensions (chips, samples) are decoded at once.
    Returns (decision, first spiking step index 0 ... T-1 (T if none), tie flag), each
    of shape ``u.shape[:-2]``.
    """
    spikes = rng.random(u.shape, dtype=np.float32) < expit(u)
    any_t = spikes.any(axis=-1)
    fired = any_t.any(axis=-1)
    first_t = np.where(fired, np.argmax(any_t, axis=-1), u.shape[-2])
    at_first = np.take_along_axis(spikes, np.minimum(first_t, u.shape[-2] - 1)[..., None, None], axis=-2)[..., 0, :]
    at_first &= fired[..., None]
    decision = np.where(fired, _random_choice_among(at_first, rng), NO_SPIKE)
    return decision, first_t, at_first.sum(axis=-1) > 1


def decode_rate(u, rng):
    """Rate decoding at every deadline: the neuron with the most spikes up to step t
    (ties uniformly at random; NO_SPIKE if no neuron has spiked).

    Returns (decisions, tie flags), each of shape ``u.shape[:-1]``: (..., deadline
    t = 1 ... T).
    """
    spikes = rng.random(u.shape, dtype=np.float32) < expit(u)
    counts = np.cumsum(spikes, axis=-2, dtype=np.int32)
    best = counts.max(axis=-1, keepdims=True)
    leaders = counts == best
    decision = _random_choice_among(leaders, rng)
    spiked = best[..., 0] > 0
    return np.where(spiked, decision, NO_SPIKE), spiked & (leaders.sum(axis=-1) > 1)
