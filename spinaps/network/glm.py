"""Probabilistic GLM spiking neurons with first-to-spike training (Bagheri, Simeone,
Rajendran, ICASSP 2018, arXiv 1710.10704).

Encoding: input i spikes at each of T steps with probability p_max x_i (Bernoulli rate
code; features in [0, 1]).  Output neuron j (one per class) has the membrane potential

    u_{j,t} = sum_i sum_k w_{j,i,k} (a_k * s_i)_t + b_j,

the spikes s_i filtered by K raised-cosine basis kernels a_k over a window of ``tau``
steps (Pillow et al., Nature 2008), and spikes with probability sigmoid(u_{j,t}).

First-to-spike likelihood: the correct class c is decoded if its neuron is the first
to spike and no other neuron spikes at or before that step:

    P(c first) = sum_t [prod_{t' < t} prod_j (1 - sigma(u_{j,t'}))]
                       sigma(u_{c,t}) prod_{j != c} (1 - sigma(u_{j,t})),

computed in the log domain (log sigma(u) = -softplus(-u), log(1 - sigma(u)) =
-softplus(u), logsumexp over t).  Its exact gradient is

    d log P / d u_{j,t'} = sum_{t > t'} r_t (-sigma(u_{j,t'}))
                           + r_{t'} [1{j = c} - sigma(u_{j,t'})],

r_t the posterior weight of "first spike at t" (a softmax over t).  The rate-decoding
maximum-likelihood rule (the correct neuron spikes at every step, the others never)
is provided for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, logsumexp

from .optim import Adam

__all__ = ["raised_cosine_basis", "encode", "filter_spikes", "GLMNetwork", "first_to_spike_loglik",
           "rate_loglik", "decode_first_to_spike", "NO_SPIKE"]

#: Decision code of "no output spike within T steps".
NO_SPIKE = -1


def raised_cosine_basis(n_basis, tau):
    """K raised-cosine kernels over ``tau`` steps, shape (K, tau), each with unit sum.

    a_k(t) = (1 + cos(pi (t - c_k) / w)) / 2 for |t - c_k| < w, centres c_k spread
    evenly over [0, tau - 1] and width w = 2 x the spacing (Pillow et al. 2008 use a
    log-stretched time axis; over the few steps used here linear spacing is used).
    """
    if not (isinstance(n_basis, (int, np.integer)) and 1 <= n_basis <= 32):
        raise ValueError(f"n_basis = {n_basis!r} must be an integer in [1, 32]")
    if not (isinstance(tau, (int, np.integer)) and n_basis <= tau <= 1000):
        raise ValueError(f"tau = {tau!r} must be an integer in [n_basis, 1000]")
    t = np.arange(tau, dtype=float)
    centres = np.linspace(0.0, tau - 1.0, n_basis)
    width = 2.0 * (centres[1] - centres[0]) if n_basis > 1 else float(tau)
    arg = np.clip((t[None, :] - centres[:, None]) / width, -1.0, 1.0)
    basis = 0.5 * (1.0 + np.cos(np.pi * arg))
    return basis / basis.sum(axis=1, keepdims=True)


def encode(x, n_steps, *, p_max=1.0, rng):
    """Bernoulli rate code: spikes (batch, T, inputs) with probability p_max x each step."""
    x = np.asarray(x, dtype=float)
    if np.any((x < 0) | (x > 1)) or not np.all(np.isfinite(x)):
        raise ValueError("features must lie in [0, 1] (rescale signed features first)")
    if not 0.0 < p_max <= 1.0:
        raise ValueError(f"p_max = {p_max!r} must lie in (0, 1]")
    return (rng.random((x.shape[0], n_steps, x.shape[1])) < p_max * x[:, None, :]).astype(np.float32)


def filter_spikes(spikes, basis):
    """Basis-filtered spike traces (batch, T, inputs x K): sum_tau a_k(tau) s_{t - tau}."""
    b, t_steps, n_in = spikes.shape
    k_basis, tau = basis.shape
    out = np.zeros((b, t_steps, n_in, k_basis), dtype=np.float32)
    for lag in range(min(tau, t_steps)):
        out[:, lag:, :, :] += spikes[:, :t_steps - lag, :, None] * basis[None, None, None, :, lag]
    return out.reshape(b, t_steps, n_in * k_basis)


@dataclass
class GLMNetwork:
    """Weights (classes, inputs x K) and biases (classes) of the output GLM neurons."""

    weights: np.ndarray
    bias: np.ndarray

    @classmethod
    def zeros(cls, n_inputs, n_classes, n_basis, *, bias=-2.0):
        return cls(np.zeros((n_classes, n_inputs * n_basis)), np.full(n_classes, float(bias)))

    def potentials(self, features):
        """Membrane potentials u (batch, T, classes) from filtered traces."""
        return features @ self.weights.T + self.bias


def _log_sig(u):
    return -np.logaddexp(0.0, -u)


def _log_not(u):
    return -np.logaddexp(0.0, u)


def first_to_spike_loglik(u, labels, *, grad=False):
    """log P(correct neuron first) per sample, and optionally d/du (batch, T, classes)."""
    b, t_steps, n_cls = u.shape
    rows = np.arange(b)
    silent = _log_not(u)                                # log(1 - sigma), all neurons
    silent_all = silent.sum(axis=2)                     # (b, T)
    before = np.concatenate([np.zeros((b, 1)), np.cumsum(silent_all, axis=1)[:, :-1]], axis=1)
    u_c = u[rows, :, labels]                            # (b, T)
    at_t = _log_sig(u_c) + silent_all - silent[rows, :, labels]
    terms = before + at_t
    loglik = logsumexp(terms, axis=1)
    if not grad:
        return loglik
    r = np.exp(terms - loglik[:, None])                 # posterior over the first-spike step
    later = np.cumsum(r[:, ::-1], axis=1)[:, ::-1] - r  # sum_{t > t'} r_t
    sig = expit(u)
    g = -(later + r)[:, :, None] * sig
    g[rows, :, labels] += r
    return loglik, g


def rate_loglik(u, labels, *, grad=False):
    """Rate-decoding log-likelihood: the correct neuron spikes at every step, others never."""
    b = u.shape[0]
    rows = np.arange(b)
    target = np.zeros_like(u)
    target[rows, :, labels] = 1.0
    loglik = (target * _log_sig(u) + (1 - target) * _log_not(u)).sum(axis=(1, 2))
    if not grad:
        return loglik
    return loglik, target - expit(u)


def decode_first_to_spike(u, rng):
    """Sample output spikes and decode: the first neuron to spike; ties at the first
    spiking step are broken uniformly at random; NO_SPIKE if none spikes within T.

    ``u`` has shape (..., T, classes); leading dimensions (samples, chips) are decoded
    at once.  Returns (decision, decision step, tie flag), each of shape ``u.shape[:-2]``.
    """
    spikes = rng.random(u.shape) < expit(u)
    any_t = spikes.any(axis=-1)
    fired = any_t.any(axis=-1)
    first_t = np.where(fired, np.argmax(any_t, axis=-1), u.shape[-2])
    at_first = np.take_along_axis(spikes, np.minimum(first_t, u.shape[-2] - 1)[..., None, None], axis=-2)[..., 0, :]
    at_first &= fired[..., None]
    # a uniformly random candidate: the largest of independent uniform keys among them
    keys = np.where(at_first, rng.random(at_first.shape), -1.0)
    decision = np.where(fired, np.argmax(keys, axis=-1), NO_SPIKE)
    return decision, first_t, at_first.sum(axis=-1) > 1


RULES = {"first_to_spike": first_to_spike_loglik, "rate": rate_loglik}


def train(x, y, *, n_classes, n_steps=8, n_basis=2, tau=4, p_max=1.0, rule="first_to_spike", epochs=2,
          batch=64, lr=0.05, seed=0, net=None, bits=None):
    """Maximum-likelihood training by Adam (Kingma and Ba, ICLR 2015) on fresh spike
    samples each mini-batch.  With ``bits`` the forward pass uses the B-bit quantised
    weights and the gradient updates float shadow weights (straight-through estimator,
    Bengio et al. 2013).  Returns the network (float weights) and the mean
    log-likelihood per epoch."""
    from .weights import dequantize
    if rule not in RULES:
        raise ValueError(f"rule = {rule!r}; allowed: {', '.join(RULES)}")
    rng = np.random.default_rng(seed)
    basis = raised_cosine_basis(n_basis, tau)
    net = net or GLMNetwork.zeros(x.shape[1], n_classes, n_basis)
    adam = Adam([net.weights, net.bias], lr)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            feats = filter_spikes(encode(x[idx], n_steps, p_max=p_max, rng=rng), basis)
            w_fwd = net.weights if bits is None else dequantize(net.weights, bits)
            ll, g = RULES[rule](feats @ w_fwd.T + net.bias, y[idx], grad=True)
            total += ll.sum()
            adam.update([-(np.einsum("btj,btf->jf", g, feats)) / len(idx), -g.sum(axis=(0, 1)) / len(idx)])
        history.append(total / len(x))
    return net, np.array(history)


def evaluate(net, x, y, *, n_steps=8, n_basis=2, tau=4, p_max=1.0, seed=0, weights=None):
    """First-to-spike accuracy, no-spike fraction, tie fraction, mean decision step, and
    the accuracy reached within t steps (``accuracy_by_step``, t = 1 ... T).

    ``weights`` (chips, classes, features) evaluates many chip instances at once on the
    same input spikes (e.g. faulty copies of a quantised network); the results are
    then arrays over chips."""
    rng = np.random.default_rng(seed)
    basis = raised_cosine_basis(n_basis, tau)
    feats = filter_spikes(encode(x, n_steps, p_max=p_max, rng=rng), basis)
    w = net.weights[None] if weights is None else np.asarray(weights)
    u = np.einsum("btf,cjf->cbtj", feats, w) + net.bias
    decision, step, tie = decode_first_to_spike(u, rng)       # (chips, samples)
    correct = decision == y
    decided = decision != NO_SPIKE
    with np.errstate(invalid="ignore"):
        mean_step = np.where(decided, step + 1, 0).sum(axis=1) / decided.sum(axis=1)
    out = {"accuracy": correct.mean(axis=1), "no_spike": (~decided).mean(axis=1), "ties": tie.mean(axis=1),
           "mean_decision_step": mean_step,
           # fraction decided correctly within the first t steps, t = 1 ... T
           "accuracy_by_step": (correct[..., None] & (step[..., None] < np.arange(1, n_steps + 1))).mean(axis=1)}
    if weights is None:
        return {k: (v[0] if k == "accuracy_by_step" else float(v[0])) for k, v in out.items()}
    return out
