"""Quantised weights in binary MTJ cells and cell faults (spinaps.network.weights)."""

import numpy as np
import pytest

from spinaps.network.weights import CODES, FaultModel, dequantize, from_bit_planes, quantize, to_bit_planes


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("bits", range(1, 9))
def test_bit_planes_round_trip(bits, code):
    w = np.random.default_rng(bits).normal(size=(4, 50))
    q, s = quantize(w, bits)
    planes = to_bit_planes(q, bits, code)
    assert planes.shape == (4, 50, bits) and set(np.unique(planes)) <= {0, 1}
    np.testing.assert_array_equal(from_bit_planes(planes, code), q)
    if bits > 1:  # the searched scale is never worse than plain max scaling (c = 1 is in the grid)
        top = 2 ** (bits - 1) - 1
        s_max = np.max(np.abs(w), axis=1, keepdims=True) / top
        err_max = np.sum((w - s_max * np.clip(np.rint(w / s_max), -top, top)) ** 2, axis=1)
        assert np.all(np.sum((q * s - w) ** 2, axis=1) <= err_max * (1 + 1e-12))


def test_more_bits_approximate_better():
    w = np.random.default_rng(0).normal(size=(10, 500))
    errs = [np.sqrt(np.mean((dequantize(w, b) - w) ** 2)) for b in (2, 4, 8)]
    assert errs[0] > errs[1] > errs[2] and errs[2] < 0.01 * np.std(w)


def test_fault_rates_match_their_probabilities():
    """Flip frequencies of 10^6 cells within 5 binomial sigmas of the model."""
    rng = np.random.default_rng(1)
    planes = np.zeros(500_000, np.uint8)
    planes[::2] = 1
    fm = FaultModel(wer_p_to_ap=0.02, wer_ap_to_p=0.001, read_error_ap=0.003)
    out = fm.apply(planes, 2, rng)
    ones, zeros = out[:, ::2], out[:, 1::2]
    n = ones.size
    p1 = 0.02 + (1 - 0.02) * 0.003  # a 1 becomes 0: write failure, or written and then misread
    p0 = 0.001 * (1 - 0.003)  # a 0 becomes 1: write failure, then read correctly as 1
    for observed, p in ((np.mean(ones == 0), p1), (np.mean(zeros == 1), p0)):
        assert abs(observed - p) < 5 * np.sqrt(p * (1 - p) / n)


def test_stuck_cells_and_retention():
    rng = np.random.default_rng(2)
    planes = np.ones(400_000, np.uint8)
    out = FaultModel(stuck_at_0=0.1).apply(planes, 1, rng)
    assert abs(np.mean(out == 0) - 0.1) < 5 * np.sqrt(0.09 / 400_000)
    out = FaultModel(retention=0.05, read_disturb=0.01, n_reads=5).apply(planes, 1, rng)
    p = 1 - 0.95 * 0.99 ** 5                      # AP cells (1): retention and read disturb
    assert abs(np.mean(out == 0) - p) < 5 * np.sqrt(p * (1 - p) / 400_000)
    out = FaultModel(retention=0.05, read_disturb=0.01, n_reads=5).apply(1 - planes, 1, rng)
    assert abs(np.mean(out == 1) - 0.05) < 5 * np.sqrt(0.05 * 0.95 / 400_000)   # P cells: retention only


def test_fault_model_from_the_bitcell():
    from spinaps.circuit import MTJBitcell, technology
    from spinaps.device import preset
    fig = MTJBitcell(preset("benchmark"), technology(22), t_write=8e-9).figures()
    fm = FaultModel.from_bitcell(fig, n_reads=1000)
    assert fm.wer_p_to_ap > fm.wer_ap_to_p  # the Slonczewski asymmetry reaches the network
    assert fm.wer_p_to_ap == pytest.approx(float(fig.wer.sel(direction="p_to_ap")))


def test_codes_of_a_flipped_bit():
    """4 bits: level 1 is 0001 in both codes; flipping the top bit gives -1 in sign-
    magnitude but 1 - 8 = -7 in two's complement (the reason for the default code)."""
    planes = {c: to_bit_planes(np.array([1]), 4, c) for c in CODES}
    for c in CODES:
        np.testing.assert_array_equal(planes[c][0], [1, 0, 0, 0])
        planes[c][0, 3] ^= 1
    assert from_bit_planes(planes["sign_magnitude"], "sign_magnitude")[0] == -1
    assert from_bit_planes(planes["twos_complement"], "twos_complement")[0] == -7
    with pytest.raises(ValueError, match="code"):
        to_bit_planes(np.array([1]), 4, "gray")


def test_plain_bit_error_rate():
    planes = np.zeros(400_000, np.uint8)
    out = FaultModel(flip=0.02).apply(planes, 1, np.random.default_rng(4))
    assert abs(np.mean(out) - 0.02) < 5 * np.sqrt(0.02 * 0.98 / 400_000)


@pytest.mark.parametrize("kwargs, match", [
    (dict(wer_p_to_ap=1.5), "wer_p_to_ap"), (dict(stuck_at_0=0.6, stuck_at_1=0.6), "stuck"),
    (dict(n_reads=-1), "n_reads"), (dict(n_reads=2.5), "n_reads"), (dict(flip=-0.1), "flip"),
    (dict(read_disturb_state="both"), "read_disturb_state"),
])
def test_bad_fault_models(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FaultModel(**kwargs)


def test_bad_bit_width():
    with pytest.raises(ValueError, match="bits"):
        quantize(np.ones((2, 2)), 9)
