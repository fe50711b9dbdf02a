"""The many-chip potentials of evaluate (spinaps.network._chips) against the plain
traces -> potentials of spinaps.network.glm."""

import numpy as np
import pytest

from spinaps.network import _chips
from spinaps.network._chips import ChipPotentials
from spinaps.network.glm import encode, potentials, raised_cosine_basis, traces


def _chip_weights(rng, n_chips, changed):
    """Nominal weights (J, inputs, K) and chips that differ from them in a fraction
    ``changed`` of the weights."""
    nominal = np.round(rng.normal(size=(3, 30, 4)) * 4) / 4
    w = np.repeat(nominal[None], n_chips, axis=0)
    mask = rng.random(w.shape) < changed
    w[mask] += rng.choice([-0.5, 0.25, 1.0], size=mask.sum())
    return nominal, w


@pytest.mark.parametrize("changed", [0.0, 0.003, 0.5])  # fault-free, sparse and dense paths
# (1, 8, 8): one kernel, whose faulty chips are not folded into the lags (fold_lags)
@pytest.mark.parametrize("n_basis,tau,n_steps", [(4, 4, 8), (2, 6, 4), (1, 1, 3), (1, 8, 8)])
def test_chip_potentials_equal_traces_then_potentials(changed, n_basis, tau, n_steps):
    rng = np.random.default_rng(11)
    nominal, w = _chip_weights(rng, 6, changed)
    basis = raised_cosine_basis(n_basis, tau)
    nominal, w = nominal[..., :n_basis], w[..., :n_basis]
    bias = rng.normal(size=3)
    spikes = encode(rng.random((5, 30)), n_steps, rng=rng)
    chips = ChipPotentials(w, nominal, bias, basis, n_steps)
    path = "dense" if chips.dense is not None else ("sparse" if chips.delta is not None else "nominal")
    assert path == {0.0: "nominal", 0.003: "sparse", 0.5: "dense"}[changed]
    folded = changed > 0 and _chips.fold_lags(n_basis, min(tau, n_steps))
    assert (chips.mix is None) == folded and folded == (changed > 0 and n_basis > 1)
    u = chips(spikes.astype(np.float32))
    reference = potentials(traces(spikes, w), bias, basis)  # (chips, batch, T, J)
    if changed == 0.0:
        assert u.shape == (1,) + reference.shape[1:]
    else:
        assert u.shape == reference.shape
    # float32 products of integers / quarters summed over <= 30 inputs in another order:
    # relative rounding of a few float32 epsilons (1.2e-7) of the largest |u|
    np.testing.assert_allclose(
        np.broadcast_to(u, reference.shape), reference, rtol=0, atol=1e-5 * np.abs(reference).max()
    )


def test_sparse_threshold_switches_to_dense(monkeypatch):
    rng = np.random.default_rng(2)
    nominal, w = _chip_weights(rng, 4, 0.01)
    basis = raised_cosine_basis(4, 4)
    assert ChipPotentials(w, nominal, np.zeros(3), basis, 8).delta is not None
    monkeypatch.setattr(_chips, "SPARSE_DENSITY", 0.0)
    assert ChipPotentials(w, nominal, np.zeros(3), basis, 8).dense is not None


@pytest.mark.parametrize("changed", [0.0, 0.003, 0.5])  # fault-free, sparse and dense paths
def test_per_chip_frames_equal_traces_then_potentials_chip_by_chip(changed):
    """Each chip's own frames (a layer fed by the previous layer's spikes) through its
    own weights: the same potentials as the plain glm path, chip by chip, to float32
    rounding; frames of another number of chips are refused."""
    rng = np.random.default_rng(5)
    nominal, w = _chip_weights(rng, 4, changed)
    basis = raised_cosine_basis(4, 6)
    bias = rng.normal(size=3)
    spikes = np.stack([encode(rng.random((5, 30)), 8, rng=rng) for _ in range(4)])  # (chips, b, T, inputs)
    chips = ChipPotentials(w, nominal, bias, basis, 8)
    u = chips.per_chip(spikes.astype(np.float32))
    assert u.shape == (4, 5, 8, 3)
    for c in range(4):
        reference = potentials(traces(spikes[c], w[c]), bias, basis)
        np.testing.assert_allclose(u[c], reference, rtol=0, atol=1e-5 * np.abs(reference).max())
    with pytest.raises(ValueError, match="frames of 3 chips"):
        chips.per_chip(spikes[:3].astype(np.float32))
