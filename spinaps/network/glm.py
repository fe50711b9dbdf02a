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

from ..params import check_int
from .tools import log_not_sigmoid, log_sigmoid

__all__ = [
    "raised_cosine_basis",
    "encode",
    "traces",
    "traces_backward",
    "potentials",
    "potentials_backward",
    "first_spike_terms",
    "first_to_spike_loglik",
    "rate_loglik",
    "decode_first_to_spike",
    "decode_rate",
    "LOGLIKS",
    "NO_SPIKE",
]

#: Decision code of "no output spike within T steps".
NO_SPIKE = -1


def raised_cosine_basis(n_basis, tau):
    r"""K raised-cosine kernels a_k(d) over the lags d = 1 ... tau, shape (K, tau).

    Centres c_k = 1 + (k-1) D spread evenly over [1, tau] with spacing
    D = (tau - 1)/(K - 1), and

    .. math::

        a_k(d) = \tfrac12 \left(1 + \cos\frac{\pi (d - c_k)}{D}\right)
        \quad \text{for } |d - c_k| \le D \text{ (else 0)}:

    the kernels sum to 1 at every lag (a partition of unity).  K = 1 is the decaying bump
    a(d) = (1 + cos(pi (d - 1)/tau))/2, a(1) = 1.  Pillow et al. (Nature 2008) stretch
    the time axis logarithmically for long windows; over the few steps used here linear
    spacing is used (our choice).

    Parameters
    ----------
    n_basis : int
        K, in [1, 32].
    tau : int [time steps]
        The window in frames (time steps), in [K, 1000].

    Returns
    -------
    numpy.ndarray (K, tau) [-]
        a_k(d) at the lags d = 1 ... tau.

    Raises
    ------
    ValueError
        If ``n_basis`` or ``tau`` is not an integer in its range.

    References
    ----------
    * J. W. Pillow, J. Shlens, L. Paninski, A. Sher, A. M. Litke, E. J. Chichilnisky
      and E. P. Simoncelli, "Spatio-temporal correlations and visual signalling in a
      complete neuronal population", Nature 454, 995-999 (2008); citation key
      ``Pillow2008``.

    Examples
    --------
    >>> from spinaps.network.glm import raised_cosine_basis
    >>> raised_cosine_basis(2, 4).round(6).tolist()
    [[1.0, 0.75, 0.25, 0.0], [0.0, 0.25, 0.75, 1.0]]
    >>> raised_cosine_basis(4, 4).sum(axis=0).tolist()
    [1.0, 1.0, 1.0, 1.0]
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
    r"""Bernoulli rate code: spike frames (batch, T, inputs), probability p_max x per frame.

    Input i spikes independently in each of the T frames with probability
    ``p_max * x_i``, held to a resolution of 2^-16:

    .. math:: s_{i,t'} = [r_{i,t'} < \operatorname{round}(2^{16} p_\max x_i)],

    with r uniform 16-bit integers (four from each 64-bit word of the generator's bit
    stream, little-endian).  The probability realised is round(2^16 p) / 2^16, within
    2^-17 = 7.6e-6 of p (exactly 0 and 1 at p = 0 and 1); the features of the shipped
    data sets are 8-bit intensities (steps of 1/255, 510 times coarser), and the
    Bernoulli noise of a sample over T frames, sqrt(p (1 - p) / T), is larger still.
    Drawing 16 bits per frame instead of a float32 uniform makes the code about three
    times faster.  Training draws the same words (:func:`frame_words`) and turns them
    into frames in a compiled kernel (:mod:`spinaps.network._train_kernel`), so its
    spikes are bit for bit these.

    Parameters
    ----------
    x : array_like (batch, inputs) [-]
        Features in [0, 1].
    n_steps : int [time steps]
        T, the frames per sample.
    p_max : float [-]
        Peak spike probability per frame, in (0, 1].
    rng : numpy.random.Generator
        The stream of the spikes.

    Returns
    -------
    numpy.ndarray of bool (batch, T, inputs)
        The spike frames s_{i,t'}, t' = 0 ... T-1.

    Raises
    ------
    ValueError
        If a feature is not finite or outside [0, 1], or ``p_max`` is outside (0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.glm import encode
    >>> encode(np.array([[0.0, 1.0]]), 3, rng=np.random.default_rng(0)).astype(int).tolist()
    [[[0, 1], [0, 1], [0, 1]]]
    """
    check_int("n_steps", n_steps, 1, 1000)
    threshold = frame_thresholds(x, p_max)
    r = frame_words(threshold.shape[0] * n_steps * threshold.shape[1], rng).reshape(
        threshold.shape[0], n_steps, threshold.shape[1]
    )
    return r < threshold[:, None, :]


def frame_thresholds(x, p_max):
    """The 16-bit spike thresholds round(2^16 p_max x) of :func:`encode`.

    Parameters
    ----------
    x : array_like (samples, inputs) [-]
        Features in [0, 1].
    p_max : float [-]
        Peak spike probability per frame, in (0, 1].

    Returns
    -------
    numpy.ndarray of uint32 (samples, inputs)
        An input spikes in a frame when the frame's 16-bit word is below its threshold.

    Raises
    ------
    ValueError
        If a feature is not finite or outside [0, 1], or ``p_max`` is outside (0, 1].
    """
    x = np.asarray(x, dtype=np.float32)
    if not np.all(np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise ValueError("x: features must lie in [0, 1] (rescale signed features first)")
    check_p_max(p_max)
    return np.rint(x.astype(np.float64) * (p_max * 65536.0)).astype(np.uint32)


def check_p_max(p_max):
    """Refuse a peak spike probability outside (0, 1] (naming ``p_max`` and its value).

    Raises
    ------
    ValueError
        If ``p_max`` is outside (0, 1] or not a number.
    """
    if not 0.0 < p_max <= 1.0:
        raise ValueError(f"p_max = {p_max!r} must lie in (0, 1]")


def frame_words(size, rng):
    """``size`` uniform 16-bit words for :func:`encode`: four from each 64-bit word of
    the generator's bit stream, little-endian.

    Parameters
    ----------
    size : int
        Words wanted (frames x inputs).
    rng : numpy.random.Generator
        The stream.

    Returns
    -------
    numpy.ndarray of uint16 (size,)
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    words = rng.bit_generator.random_raw(-(-size // 4))
    return np.asarray(words, dtype="<u8").view("<u2")[:size]


def traces(spikes, w, dtype=np.float32):
    r"""Kernel traces of spike frames through the weights.

    .. math:: z_{j,k,t'} = \sum_i w_{j,i,k} \, s_{i,t'}

    One matrix product in ``dtype`` over all frames (and one per leading weight set, e.g.
    per chip).  Frames already in ``dtype`` (e.g. converted once per mini-batch for
    the forward and the backward pass) are not copied.

    Parameters
    ----------
    spikes : array_like (..., inputs)
        Spike frames (0/1), e.g. (batch, T, inputs).
    w : numpy.ndarray (W..., J, inputs, K) [-]
        Weights, with optional leading weight sets W... (e.g. chips).
    dtype : numpy dtype
        Precision of the product (default float32).

    Returns
    -------
    numpy.ndarray, shape W... + ``spikes.shape[:-1]`` + (J, K)
        The traces z.
    """
    j, n, k = w.shape[-3:]
    w2 = np.moveaxis(w, -2, -3).reshape(w.shape[:-3] + (n, j * k)).astype(dtype)
    z = np.asarray(spikes).reshape(-1, n).astype(dtype, copy=False) @ w2
    return z.reshape(w.shape[:-3] + spikes.shape[:-1] + (j, k))


def traces_backward(spikes, dz, dtype=np.float32):
    """dL/dw (J, inputs, K) from the frames (..., inputs) and dL/dz (..., J, K) (the
    adjoint of :func:`traces` for one weight set), computed in ``dtype``.

    Parameters
    ----------
    spikes : array_like (..., inputs)
        The spike frames of the forward pass.
    dz : numpy.ndarray (..., J, K)
        dL/dz, with the same leading dimensions as ``spikes``.
    dtype : numpy dtype
        Precision of the product (default float32).

    Returns
    -------
    numpy.ndarray (J, inputs, K)
        dL/dw, summed over the leading dimensions.
    """
    n = spikes.shape[-1]
    j, k = dz.shape[-2:]
    s2 = np.asarray(spikes).reshape(-1, n).astype(dtype, copy=False)
    dw = s2.T @ dz.reshape(-1, j * k).astype(dtype, copy=False)
    return np.moveaxis(dw.reshape(n, j, k), 0, 1)


def potentials(z, bias, basis):
    r"""Membrane potentials u (..., T, J) from the kernel traces z (..., T, J, K).

    u[..., t-1, j] (output step t) = bias_j + sum_k sum_d a_k(d) z[..., t-d, j, k]:

    .. math:: u_{j,t} = \gamma_j + \sum_k \sum_{d=1}^{\tau} a_k(d) \, z_{j,k,t-d}

    with z = 0 before frame 0 (a one-frame synaptic delay: output step t has seen
    frames 0 ... t-1).

    Parameters
    ----------
    z : numpy.ndarray (..., T, J, K) [-]
        Kernel traces (:func:`traces`).
    bias : array_like (J,) [-]
        gamma_j.
    basis : numpy.ndarray (K, tau) [-]
        The kernels (:func:`raised_cosine_basis`).

    Returns
    -------
    numpy.ndarray of float64 (..., T, J) [-]
        The potentials u (dimensionless: the spike probability is sigma(u)).
    """
    n_steps = z.shape[-3]
    u = np.zeros(z.shape[:-1], dtype=np.float64)
    for d in range(1, min(basis.shape[1], n_steps) + 1):
        if basis.shape[0] == 1:  # one kernel: the product over k is one multiplication (the same numbers, faster)
            u[..., d - 1 :, :] += z[..., : n_steps - d + 1, :, 0] * basis[0, d - 1]
        else:
            u[..., d - 1 :, :] += z[..., : n_steps - d + 1, :, :] @ basis[:, d - 1]
    return u + bias


def potentials_backward(du, basis):
    r"""dL/dz (..., T, J, K) from dL/du (..., T, J) (the adjoint of :func:`potentials`).

    .. math:: \frac{\partial L}{\partial z_{j,k,t'}} = \sum_d a_k(d) \, \frac{\partial L}{\partial u_{j,t'+d}}

    Parameters
    ----------
    du : numpy.ndarray (..., T, J)
        dL/du.
    basis : numpy.ndarray (K, tau) [-]
        The kernels of the forward pass.

    Returns
    -------
    numpy.ndarray of float64 (..., T, J, K)
        dL/dz.
    """
    n_steps = du.shape[-2]
    dz = np.zeros(du.shape + (basis.shape[0],))
    for d in range(1, min(basis.shape[1], n_steps) + 1):
        dz[..., : n_steps - d + 1, :, :] += du[..., d - 1 :, :, None] * basis[:, d - 1]
    return dz


def first_spike_terms(u, labels):
    r"""The per-step pieces of the first-to-spike likelihood, each (batch, T), in the
    precision of ``u``.

    .. math::

        S_t = \sum_j \log(1 - \sigma(u_{j,t})), \qquad
        A_t = \log\sigma(u_{c,t}) + \sum_{j \ne c} \log(1 - \sigma(u_{j,t})), \qquad
        e_t = \sum_{t' < t} S_{t'} + A_t,

    i.e. all silent at t, c alone spikes at t, and the terms with
    log P(c first) = logsumexp_t e_t.

    Parameters
    ----------
    u : numpy.ndarray (batch, T, J) [-]
        Output potentials.
    labels : array_like of int (batch,)
        The correct classes c.

    Returns
    -------
    silent_all, alone, terms : numpy.ndarray (batch, T) [-]
        S_t, A_t and e_t (natural logarithms).
    """
    rows = np.arange(u.shape[0])
    silent = log_not_sigmoid(u)  # log(1 - sigma), all neurons
    silent_all = silent.sum(axis=2)
    alone = log_sigmoid(u[rows, :, labels]) + silent_all - silent[rows, :, labels]
    before = np.concatenate([np.zeros_like(silent_all[:, :1]), np.cumsum(silent_all, axis=1)[:, :-1]], axis=1)
    return silent_all, alone, before + alone


def first_to_spike_loglik(u, labels, *, grad=False):
    r"""log P(correct neuron first and alone) per sample, optionally d/du (batch, T, J).

    .. math::

        P(c \text{ first}) = \sum_t \Big[\prod_{t' < t} \prod_j (1 - \sigma(u_{j,t'}))\Big]
            \, \sigma(u_{c,t}) \prod_{j \ne c} (1 - \sigma(u_{j,t})),

    computed in the log domain (a tie counts as a failure).  With q_t the posterior
    of "first spike at t" (a softmax over t) and :math:`H_s = \sum_{t \ge s} q_t`,
    the exact gradient is

    .. math::

        \frac{\partial \log P}{\partial u_{c,s}} = q_s - \sigma(u_{c,s}) H_s, \qquad
        \frac{\partial \log P}{\partial u_{j,s}} = -\sigma(u_{j,s}) H_s \quad (j \ne c).

    Parameters
    ----------
    u : numpy.ndarray (batch, T, J) [-]
        Output potentials.
    labels : array_like of int (batch,)
        The correct classes.
    grad : bool
        Also return the gradient.

    Returns
    -------
    loglik : numpy.ndarray (batch,) [-]
        log P(c first) (natural logarithm, <= 0).
    grad : numpy.ndarray (batch, T, J) [-]
        d log P / du, only if ``grad``.

    References
    ----------
    * A. Bagheri, O. Simeone and B. Rajendran, "Training probabilistic spiking neural
      networks with first-to-spike decoding", IEEE International Conference on
      Acoustics, Speech and Signal Processing (ICASSP) (2018), arXiv 1710.10704;
      citation key ``Bagheri2018``.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.glm import first_to_spike_loglik
    >>> round(float(np.exp(first_to_spike_loglik(np.zeros((1, 2, 3)), np.array([0]))[0])), 6)  # 1/8 + 1/64
    0.140625
    """
    rows = np.arange(u.shape[0])
    terms = first_spike_terms(u, labels)[2]
    loglik = logsumexp(terms, axis=1)
    if not grad:
        return loglik
    q = np.exp(terms - loglik[:, None])  # posterior over the first-spike step
    h = np.cumsum(q[:, ::-1], axis=1)[:, ::-1]  # H_s = sum_{t >= s} q_t
    g = -h[:, :, None] * expit(u)
    g[rows, :, labels] += q
    return loglik, g


def rate_loglik(u, labels, *, grad=False):
    r"""Rate-decoding log-likelihood: the correct neuron spikes at every step, others never.

    .. math::

        \log P = \sum_t \Big[\log\sigma(u_{c,t}) + \sum_{j \ne c} \log(1 - \sigma(u_{j,t}))\Big],
        \qquad \frac{\partial \log P}{\partial u_{j,t}} = [j = c] - \sigma(u_{j,t}).

    Parameters
    ----------
    u : numpy.ndarray (batch, T, J) [-]
        Output potentials.
    labels : array_like of int (batch,)
        The correct classes.
    grad : bool
        Also return the gradient.

    Returns
    -------
    loglik : numpy.ndarray (batch,) [-]
        log P (natural logarithm).
    grad : numpy.ndarray (batch, T, J) [-]
        d log P / du, only if ``grad``.
    """
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

    Parameters
    ----------
    u : numpy.ndarray (..., T, J) [-]
        Output potentials; neuron j spikes at step t with probability sigma(u).
    rng : numpy.random.Generator
        The stream of the output spikes and of the tie breaks.

    Returns
    -------
    decision : numpy.ndarray of int
        The decided class, or :data:`NO_SPIKE` (-1).
    first_t : numpy.ndarray of int
        Index 0 ... T-1 of the first spiking step (T if none).
    tie : numpy.ndarray of bool
        True if several neurons spiked at the first spiking step.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.glm import decode_first_to_spike
    >>> decision, first_t, tie = decode_first_to_spike(np.full((1, 3, 2), -50.0), np.random.default_rng(0))
    >>> decision.tolist(), first_t.tolist(), tie.tolist()
    ([-1], [3], [False])
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

    Parameters
    ----------
    u : numpy.ndarray (..., T, J) [-]
        Output potentials.
    rng : numpy.random.Generator
        The stream of the output spikes and of the tie breaks.

    Returns
    -------
    decisions : numpy.ndarray of int (..., T)
        The decided class by each deadline, or :data:`NO_SPIKE` (-1).
    ties : numpy.ndarray of bool (..., T)
        True if several neurons share the largest count (and it is not zero).
    """
    spikes = rng.random(u.shape, dtype=np.float32) < expit(u)
    counts = np.cumsum(spikes, axis=-2, dtype=np.int32)
    best = counts.max(axis=-1, keepdims=True)
    leaders = counts == best
    decision = _random_choice_among(leaders, rng)
    spiked = best[..., 0] > 0
    return np.where(spiked, decision, NO_SPIKE), spiked & (leaders.sum(axis=-1) > 1)
