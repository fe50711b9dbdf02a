"""GLM spiking neurons, likelihoods and decoding (spinaps.network.glm)."""

import numpy as np
import pytest

from spinaps.network.glm import (
    NO_SPIKE,
    decode_first_to_spike,
    decode_rate,
    encode,
    first_to_spike_loglik,
    potentials,
    potentials_backward,
    raised_cosine_basis,
    rate_loglik,
)


@pytest.mark.parametrize("fn", [first_to_spike_loglik, rate_loglik])
def test_gradient_matches_finite_differences(fn):
    """Central differences with h = 1e-6 on float64: agreement to 1e-6 relative (the
    truncation error is O(h^2) ~ 1e-12, rounding ~ 1e-10 / h)."""
    rng = np.random.default_rng(0)
    u = rng.normal(-1.0, 2.0, size=(3, 5, 4))
    labels = np.array([0, 2, 3])
    _, g = fn(u, labels, grad=True)
    h = 1e-6
    num = np.zeros_like(u)
    for idx in np.ndindex(u.shape):
        up, dn = u.copy(), u.copy()
        up[idx] += h
        dn[idx] -= h
        num[idx] = (fn(up, labels)[idx[0]] - fn(dn, labels)[idx[0]]) / (2 * h)
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-9)


def test_first_to_spike_matches_brute_force_enumeration():
    """P(c first and alone) summed over every spike pattern of 3 neurons x 3 steps
    (2^9 patterns) equals the log-domain formula to 1e-12."""
    rng = np.random.default_rng(3)
    u = rng.normal(size=(1, 3, 3))
    p = 1 / (1 + np.exp(-u[0]))
    total = 0.0
    for pattern in np.ndindex(*(2,) * 9):
        s = np.array(pattern).reshape(3, 3)
        prob = np.prod(np.where(s, p, 1 - p))
        fired = np.flatnonzero(s.any(axis=1))
        if fired.size and s[fired[0], 1] and s[fired[0]].sum() == 1:
            total += prob
    assert np.exp(first_to_spike_loglik(u, np.array([1]))[0]) == pytest.approx(total, rel=1e-12)


def test_weight_gradient_through_the_kernels():
    """d log P / d W through z and the kernels (the adjoint pair potentials /
    potentials_backward) against central differences, K = 2, tau = 3, T = 5: 1e-6 relative."""
    rng = np.random.default_rng(4)
    basis = raised_cosine_basis(2, 3)
    spikes = (rng.random((2, 5, 6)) < 0.4).astype(float)
    w = rng.normal(size=(6, 3, 2))  # (inputs, classes, K)
    bias = rng.normal(size=3)
    labels = np.array([2, 0])

    def loglik(w_):
        z = np.einsum("btn,njk->btjk", spikes, w_)
        return first_to_spike_loglik(potentials(z, bias, basis), labels).sum()

    z = np.einsum("btn,njk->btjk", spikes, w)
    _, du = first_to_spike_loglik(potentials(z, bias, basis), labels, grad=True)
    grad = np.einsum("btn,btjk->njk", spikes, potentials_backward(du, basis))
    h = 1e-6
    for idx in np.ndindex(w.shape):
        up, dn = w.copy(), w.copy()
        up[idx] += h
        dn[idx] -= h
        assert grad[idx] == pytest.approx((loglik(up) - loglik(dn)) / (2 * h), rel=1e-6, abs=1e-9)


def test_single_neuron_first_spike_is_the_complement_of_silence():
    """With one neuron, 'first to spike' = 'spikes at all within T': P = 1 - prod (1 - sigma)."""
    u = np.random.default_rng(1).normal(size=(6, 7, 1))
    p = np.exp(first_to_spike_loglik(u, np.zeros(6, int)))
    silent = np.prod(1 - 1 / (1 + np.exp(-u[:, :, 0])), axis=1)
    np.testing.assert_allclose(p, 1 - silent, rtol=1e-12)


def test_log_domain_survives_extreme_potentials():
    u = np.full((2, 50, 3), -60.0)
    u[0, 49, 1] = 40.0
    ll, g = first_to_spike_loglik(u, np.array([1, 0]), grad=True)
    assert np.all(np.isfinite(ll)) and np.all(np.isfinite(g)) and ll[0] > -1e-10 and ll[1] < -50


def test_sampled_decisions_match_the_likelihood():
    """The frequency of 'correct neuron first, no tie' over 20,000 samples agrees with
    P(c first) within 5 binomial sigmas."""
    rng = np.random.default_rng(2)
    u = np.tile(rng.normal(-1.5, 1.0, size=(1, 6, 3)), (20_000, 1, 1))
    p = float(np.exp(first_to_spike_loglik(u[:1], np.array([1]))[0]))
    decision, _, tie = decode_first_to_spike(u, rng)
    freq = np.mean((decision == 1) & ~tie)
    assert abs(freq - p) < 5 * np.sqrt(p * (1 - p) / 20_000)
    assert np.any(decision == NO_SPIKE)


def test_ties_are_broken_uniformly_and_silence_is_no_spike():
    """Two neurons certain to spike at step 1: each wins half of 20,000 draws (5 sigma);
    neurons that never spike give NO_SPIKE at step index T."""
    rng = np.random.default_rng(5)
    u = np.full((20_000, 4, 3), -50.0)
    u[:, 0, [0, 2]] = 50.0
    decision, first_t, tie = decode_first_to_spike(u, rng)
    assert np.all(tie) and np.all(first_t == 0) and set(np.unique(decision)) == {0, 2}
    assert abs(np.mean(decision == 0) - 0.5) < 5 * 0.5 / np.sqrt(20_000)
    decision, first_t, _ = decode_first_to_spike(np.full((3, 4, 3), -50.0), rng)
    assert np.all(decision == NO_SPIKE) and np.all(first_t == 4)


def test_rate_decoding_counts_spikes_by_each_deadline():
    u = np.full((1, 3, 2), -50.0)
    u[0, 0, 0] = 50.0  # neuron 0 spikes at step 1
    u[0, 1:, 1] = 50.0  # neuron 1 at steps 2 and 3
    dec, tie = decode_rate(u, np.random.default_rng(0))
    assert dec[0, 0] == 0 and dec[0, 2] == 1
    np.testing.assert_array_equal(tie[0], [False, True, False])  # deadline 2: one spike each
    dec, tie = decode_rate(np.full((1, 3, 2), -50.0), np.random.default_rng(0))
    assert np.all(dec == NO_SPIKE) and not np.any(tie)


def test_basis_is_a_partition_of_unity():
    for k, tau in ((2, 4), (3, 6), (4, 8)):
        b = raised_cosine_basis(k, tau)
        assert b.shape == (k, tau) and np.all(b >= 0) and np.allclose(b.sum(axis=0), 1.0)
    assert raised_cosine_basis(1, 1)[0, 0] == 1.0


@pytest.mark.parametrize("n_basis", [3, 1])
def test_potentials_are_the_delayed_kernel_convolution(n_basis):
    """An input spike in frame 2 reaches output steps 3 ... 2 + tau through a_k(d), with
    several kernels and with the single one (its own code path)."""
    basis = raised_cosine_basis(n_basis, 5)
    z = np.zeros((1, 9, 1, n_basis))
    z[0, 2, 0, :] = [1.0, 2.0, 3.0][:n_basis]
    u = potentials(z, np.array([0.5]), basis)[0, :, 0]
    expected = np.full(9, 0.5)
    expected[2:7] += np.array([1.0, 2.0, 3.0])[:n_basis] @ basis  # steps t = 3 ... 7 sit at index t - 1
    np.testing.assert_allclose(u, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: encode(np.array([[1.5]]), 4, rng=np.random.default_rng(0)), "features"),
        (lambda: encode(np.array([[np.nan]]), 4, rng=np.random.default_rng(0)), "features"),
        (lambda: encode(np.array([[0.5]]), 4, p_max=0.0, rng=np.random.default_rng(0)), "p_max"),
        (lambda: raised_cosine_basis(0, 4), "n_basis"),
        (lambda: raised_cosine_basis(3, 2), "tau"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_encode_spike_rate_within_five_sigma_and_reproducible():
    # The 16-bit threshold holds each probability to within 2^-17 = 7.6e-6, far below
    # the 5-sigma bound of the sampled rate (>= 1.5e-3 here, except at p = 0 and 1,
    # which are exact: never and always).
    x = np.array([[0.0, 1.0 / 255.0, 1.0 / 3.0, 0.5, 0.9, 1.0]])
    p_max = 0.8
    spikes = encode(np.repeat(x, 500, axis=0), 400, p_max=p_max, rng=np.random.default_rng(5))
    n = spikes.shape[0] * spikes.shape[1]
    rate = spikes.mean(axis=(0, 1))
    p = p_max * x[0]
    sigma = np.sqrt(p * (1 - p) / n)
    assert np.all(np.abs(rate - p) <= 5 * sigma + 2.0**-17)
    assert rate[0] == 0.0
    assert encode(np.ones((2, 3)), 4, rng=np.random.default_rng(0)).all()
    again = encode(np.repeat(x, 500, axis=0), 400, p_max=p_max, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(spikes, again)
