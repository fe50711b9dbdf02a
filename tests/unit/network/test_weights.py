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
    p = 1 - 0.95 * 0.99**5  # AP cells (1): retention and read disturb
    assert abs(np.mean(out == 0) - p) < 5 * np.sqrt(p * (1 - p) / 400_000)
    out = FaultModel(retention=0.05, read_disturb=0.01, n_reads=5).apply(1 - planes, 1, rng)
    assert abs(np.mean(out == 1) - 0.05) < 5 * np.sqrt(0.05 * 0.95 / 400_000)  # P cells: retention only


def test_fault_model_from_the_bitcell():
    from spinaps.circuit import MTJBitcell, technology
    from spinaps.device import preset

    fig = MTJBitcell(preset("benchmark"), technology(22), t_pulse=8e-9).figures()
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


def test_a_bit_error_rate_combines_with_the_flip():
    """Two independent flips: the cell keeps its bit only if neither happens, so
    1 - (1 - 0.02)(1 - 0.1) = 0.118 (rounding only); a rate of 0 is the model itself; a
    rate outside [0, 1] is refused naming it."""
    model = FaultModel(flip=0.02, retention=0.3)
    both = model.with_bit_error_rate(0.1)
    assert both.flip == pytest.approx(0.118, rel=1e-12) and both.retention == 0.3
    assert model.with_bit_error_rate(0.0) is model
    with pytest.raises(ValueError, match="bit_error_rate"):
        model.with_bit_error_rate(1.5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(wer_p_to_ap=1.5), "wer_p_to_ap"),
        (dict(stuck_at_0=0.6, stuck_at_1=0.6), "stuck"),
        (dict(n_reads=-1), "n_reads"),
        (dict(n_reads=2.5), "n_reads"),
        (dict(flip=-0.1), "flip"),
        (dict(read_disturb_state="both"), "read_disturb_state"),
    ],
)
def test_bad_fault_models(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FaultModel(**kwargs)


def test_bad_bit_width():
    with pytest.raises(ValueError, match="bits"):
        quantize(np.ones((2, 2)), 9)


# --------------------------------------------------------------------------- per-cell probabilities
def _apply_scalar_reference(fm, planes, n_chips, rng):
    """A plain copy of the scalar path of FaultModel.apply (the apply of before per-cell
    arrays, with the one later change that a step whose probabilities are all zero draws
    nothing): the scalar path must stay bit-identical to it."""
    bits = np.broadcast_to(np.asarray(planes, dtype=np.uint8), (n_chips,) + np.shape(planes)).copy()
    shape = bits.shape
    if fm.wer_p_to_ap or fm.wer_ap_to_p:
        write_fail = np.where(bits == 1, fm.wer_p_to_ap, fm.wer_ap_to_p)
        bits ^= (rng.random(shape) < write_fail).astype(np.uint8)
    if fm.flip or fm.retention or (fm.read_disturb and fm.n_reads):
        disturbed = bits == (1 if fm.read_disturb_state == "ap" else 0)
        p_flip = 1.0 - (1.0 - fm.flip) * (1.0 - fm.retention) * np.where(
            disturbed, (1.0 - fm.read_disturb) ** fm.n_reads, 1.0
        )
        bits ^= (rng.random(shape) < p_flip).astype(np.uint8)
    if fm.read_error_ap or fm.read_error_p:
        misread = np.where(bits == 1, fm.read_error_ap, fm.read_error_p)
        bits ^= (rng.random(shape) < misread).astype(np.uint8)
    if fm.stuck_at_0 or fm.stuck_at_1:
        stuck = rng.random(shape)
        bits = np.where(stuck < fm.stuck_at_0, 0, np.where(stuck < fm.stuck_at_0 + fm.stuck_at_1, 1, bits))
    return bits.astype(np.uint8)


def test_scalar_path_is_bit_identical():
    planes = (np.random.default_rng(3).random((60, 40)) < 0.4).astype(np.uint8)
    for fm in (
        FaultModel(flip=0.01),
        FaultModel(wer_p_to_ap=0.02, read_error_p=0.01, stuck_at_1=0.05),
        FaultModel(retention=0.01, read_disturb=0.1),  # no reads: the disturb is skipped
        FaultModel(
            wer_p_to_ap=0.02,
            wer_ap_to_p=0.001,
            retention=0.01,
            read_disturb=1e-3,
            n_reads=3,
            read_error_p=0.002,
            read_error_ap=0.003,
            stuck_at_0=0.01,
            stuck_at_1=0.02,
            flip=0.005,
            read_disturb_state="p",
        ),
    ):
        np.testing.assert_array_equal(
            fm.apply(planes, 5, np.random.default_rng(7)),
            _apply_scalar_reference(fm, planes, 5, np.random.default_rng(7)),
        )
    assert FaultModel() == FaultModel() and FaultModel(flip=0.1) != FaultModel()  # scalar models still compare


def test_per_cell_probabilities_apply_cell_by_cell():
    """A cell with p = 1 always takes the fault, one with p = 0 never, on every chip."""
    planes = np.array([[1, 1, 0, 0], [1, 0, 1, 0]], np.uint8)
    certain = np.array([[1, 0, 1, 0], [0, 0, 1, 1]], np.float32)
    n = 2000
    for name in ("wer_p_to_ap", "retention", "read_error_ap"):
        kw = {name: certain}
        if name == "wer_p_to_ap":  # one array for both directions (a cell's own direction)
            kw["wer_ap_to_p"] = certain
        if name == "read_error_ap":
            kw["read_error_p"] = certain
        out = FaultModel(**kw).apply(planes, n, np.random.default_rng(1))
        np.testing.assert_array_equal(out, np.broadcast_to(planes ^ certain.astype(np.uint8), out.shape))
    # the write error applies in the cell's direction: P->AP array only touches the 1s
    out = FaultModel(wer_p_to_ap=np.ones((2, 4)), wer_ap_to_p=0.0).apply(planes, 3, np.random.default_rng(2))
    np.testing.assert_array_equal(out, np.zeros((3, 2, 4), np.uint8))


def test_per_cell_arrays_broadcast_over_chips_and_planes():
    planes = np.ones((3, 5), np.uint8)
    per_chip = np.zeros((4, 1, 1))
    per_chip[2] = 1.0  # chip 2: every stored bit flips
    out = FaultModel(retention=per_chip).apply(planes, 4, np.random.default_rng(0))
    assert np.all(out[2] == 0) and np.all(out[[0, 1, 3]] == 1)
    per_column = np.zeros(5)
    per_column[1] = 1.0
    out = FaultModel(read_error_ap=per_column).apply(planes, 3, np.random.default_rng(0))
    assert np.all(out[:, :, 1] == 0) and np.all(np.delete(out, 1, axis=2) == 1)
    with pytest.raises(ValueError, match=r"retention has shape \(4, 1, 1\).*n_chips = 3"):
        FaultModel(retention=per_chip).apply(planes, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="broadcast together"):
        FaultModel(retention=np.zeros((3, 5)), read_disturb=np.zeros((2, 5)))


def test_per_cell_rates_match_their_probabilities():
    """Arrays of per-cell probabilities: flip frequencies of 2 x 300,000 cells within 5
    binomial sigmas, with the per-read disturb accumulated in the log domain: 1e-12 per
    read over 1e9 reads is 1 - exp(-1e-3) (lost entirely if 1 - p were rounded in float32)."""
    rng = np.random.default_rng(4)
    planes = np.ones(300_000, np.uint8)
    p = np.where(np.arange(planes.size) % 2 == 0, 0.02, 0.002).astype(np.float32)  # two groups of cells
    fm = FaultModel(wer_p_to_ap=p, wer_ap_to_p=p, read_disturb=np.full(planes.size, 1e-12, np.float32), n_reads=10**9)
    out = fm.apply(planes, 2, rng)
    disturb = -np.expm1(-1e-3)
    for group, q in ((slice(0, None, 2), 0.02), (slice(1, None, 2), 0.002)):
        flipped = np.mean(out[:, group] == 0)
        expected = q + (1 - q) * disturb  # written wrongly (then P: not disturbed), or disturbed
        n = out[:, group].size
        assert abs(flipped - expected) < 5 * np.sqrt(expected * (1 - expected) / n)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(retention=np.array([0.1, np.nan])), "retention"),
        (dict(wer_p_to_ap=np.array([0.5, 1.5])), "wer_p_to_ap"),
        (dict(read_error_p=np.array([-0.1])), "read_error_p"),
        (dict(read_disturb=np.array(["a"])), "read_disturb"),
        (dict(stuck_at_0=np.array([0.1])), "stuck_at_0 must be a scalar"),
        (dict(wer_p_to_ap=np.zeros((2, 3)), cell_bits=np.zeros((2, 4), np.uint8)), "cell_bits"),
        (dict(cell_bits=np.array([0, 2])), "cell_bits"),
    ],
)
def test_bad_per_cell_arrays(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FaultModel(**kwargs)


def test_cell_bits_guard_and_fault_free():
    planes = np.array([1, 0, 1], np.uint8)
    fm = FaultModel(wer_p_to_ap=np.zeros(3), wer_ap_to_p=np.zeros(3), cell_bits=planes)
    assert fm.is_fault_free() and fm.per_cell
    assert not FaultModel(retention=np.array([0.0, 0.0, 1e-9])).is_fault_free()
    assert FaultModel(read_disturb=0.5).is_fault_free()  # no reads, no disturb
    assert not FaultModel(read_disturb=0.5, n_reads=1).is_fault_free() and not FaultModel(flip=1e-6).is_fault_free()
    np.testing.assert_array_equal(fm.apply(planes, 2, np.random.default_rng(0)), np.stack([planes, planes]))
    with pytest.raises(ValueError, match="other bit planes"):
        fm.apply(1 - planes, 2, np.random.default_rng(0))


def test_to_attrs():
    a = FaultModel(wer_p_to_ap=0.01, n_reads=5).to_attrs()
    assert a["fault_wer_p_to_ap"] == 0.01 and a["fault_n_reads"] == 5 and a["fault_read_disturb_state"] == "ap"
    assert a["fault_per_cell"] == 0 and a["fault_cell_bits"] == "none"
    b = FaultModel(retention=np.array([[0.0, 0.2], [0.1, 0.1]])).to_attrs()
    assert b["fault_retention_mean"] == pytest.approx(0.1) and b["fault_retention_max"] == pytest.approx(0.2)
    assert "fault_retention" not in b and b["fault_per_cell"] == 1
    assert all(isinstance(v, (int, float, str)) for v in b.values())


def test_from_cells():
    """FaultModel.from_cells: one WER array for both directions, read errors of the
    programmed state per cell (the nominal one for the other state), the planes guard,
    and chip-broadcast (homogeneous) arrays kept as one chip."""
    from spinaps.circuit import MTJBitcell, homogeneous_cells, technology
    from spinaps.device import preset

    mtj = preset("Ikeda2010")
    cell = MTJBitcell(mtj, technology(28), i_write=1.5 * float(mtj.ic0), v_write=1.2, t_pulse=60e-9, sense_offset=5e-7)
    planes = np.array([[1, 0, 1], [0, 0, 1]], np.uint8)
    cells = homogeneous_cells(cell, planes, 4, t_storage=86400.0)
    fm = FaultModel.from_cells(cells, n_reads=7)
    assert fm.wer_p_to_ap.shape == planes.shape and fm.n_reads == 7 and fm.read_disturb_state == "ap"
    np.testing.assert_array_equal(fm.wer_p_to_ap, fm.wer_ap_to_p)
    np.testing.assert_allclose(fm.wer_p_to_ap[planes == 1], cells.nominal["wer_p_to_ap"], rtol=1e-6)
    np.testing.assert_allclose(fm.read_error_ap, cells.nominal["read_error_ap"], rtol=1e-6)
    np.testing.assert_allclose(fm.read_error_p, cells.nominal["read_error_p"], rtol=1e-6)
    assert fm.apply(planes, 9, np.random.default_rng(0)).shape == (9, 2, 3)
    with pytest.raises(ValueError, match="other bit planes"):
        fm.apply(planes[:, :2], 4, np.random.default_rng(0))
    with pytest.raises(TypeError, match="ChipCells"):
        FaultModel.from_cells(fm)


def _reference_quantize(w, bits):
    """The plain numpy search of the scale (the implementation before the compiled kernel)."""
    w = np.asarray(w, dtype=float)
    top = 2 ** (bits - 1) - 1
    peak = np.max(np.abs(w), axis=-1, keepdims=True)
    peak = np.where(peak > 0, peak, 1.0)
    best_scale, best_err = peak / top, np.full(peak.shape, np.inf)
    for c in np.linspace(0.05, 1.0, 39):
        scale = c * peak / top
        err = np.sum((w - scale * np.clip(np.rint(w / scale), -top, top)) ** 2, axis=-1, keepdims=True)
        better = err < best_err
        best_scale, best_err = np.where(better, scale, best_scale), np.where(better, err, best_err)
    return np.clip(np.rint(w / best_scale), -top, top).astype(np.int64), best_scale


@pytest.mark.parametrize("bits", [2, 3, 4, 8])
def test_quantize_equals_the_plain_numpy_search_bit_for_bit(bits):
    # The compiled scale search must reproduce the numpy loop exactly (same levels, same
    # scales to the last bit), including rows of every length class of the pairwise sum
    # (< 8, <= 128, > 128 terms), all-zero rows, rows of equal magnitudes (every clip
    # ratio ties on some rows) and values on rounding ties (w / s = k + 1/2).
    rng = np.random.default_rng(7)
    cases = [rng.normal(size=(5, n)) for n in (1, 5, 8, 13, 128, 129, 1000, 3136)]
    cases.append(np.zeros((3, 40)))
    cases.append(np.vstack([np.zeros(40), rng.normal(size=40), np.full(40, 0.3)]))
    cases.append(np.sign(rng.normal(size=(4, 64))) * 0.5)  # equal magnitudes
    cases.append(rng.integers(-8, 9, size=(4, 200)) / 4.0)  # many exact half-level ties
    cases.append(rng.normal(size=(2, 3, 50)))  # leading dimensions
    for w in cases:
        q, s = quantize(w, bits)
        q_ref, s_ref = _reference_quantize(w, bits)
        assert q.dtype == q_ref.dtype and s.shape == s_ref.shape
        np.testing.assert_array_equal(q, q_ref)
        np.testing.assert_array_equal(s, s_ref)
