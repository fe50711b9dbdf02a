"""Chip instances cell by cell (spinaps.circuit.cells): every cell its own device.

The variable design below is shared by most tests (its interpolation tables are built
once per process and cached); ``tests/network/test_cell_faults.py`` uses the same one.
"""

import dataclasses

import numpy as np
import pytest
from scipy import stats

from spinaps.circuit import (
    ChipCells,
    MTJBitcell,
    cell_tables,
    chip_cells,
    chip_devices,
    homogeneous_cells,
    technology,
)
from spinaps.circuit import cells as cells_module
from spinaps.device import (
    preset,
    read_disturb_probability,
    retention_failure_probability,
    sample_variability,
    write_error_rate,
)
from spinaps.device.fokker_planck import TABLE_TOLERANCE
from spinaps.provenance import missing_units

#: The benchmark's device-to-device spread (benchmarks/bench_variability.py).
SPREAD = {"diameter": 0.03, "ku": 0.005, "ms": 0.0025, "alpha": 0.05, "ra": 0.05, "tmr0": 0.05}
T_STORAGE = 86400.0


@pytest.fixture(scope="module")
def cell():
    """Ikeda 2010 pMTJ at 1.5 I_c0 with a 60 ns pulse (nominal WER P->AP about 1.7e-9); a
    sense offset of 0.5 uA makes the read errors measurable (about 1e-3)."""
    mtj = preset("Ikeda2010")
    return MTJBitcell(
        mtj,
        technology(28),
        i_write=1.5 * float(mtj.ic0),
        v_write=1.2,
        t_pulse=60e-9,
        sense_offset=5e-7,
        t_storage=T_STORAGE,
    )


@pytest.fixture(scope="module")
def bits():
    return (np.random.default_rng(0).random((32, 64)) < 0.5).astype(np.uint8)


@pytest.fixture(scope="module")
def variable(cell, bits):
    return chip_cells(cell, bits, 4, spread=SPREAD, t_storage=T_STORAGE, seed=11)


def _width(cell):
    return max(float(cell.access_width(d)) for d in ("p_to_ap", "ap_to_p"))


@pytest.mark.parametrize("spread", [{}, {"diameter": 0.0, "alpha": 0.0}])
def test_zero_spread_reproduces_the_bitcell_figures(cell, spread):
    """Without spread every cell is the nominal device: a one-node table, i.e. the direct
    solve of MTJBitcell.figures().  Tolerance 1e-5: ln H is stored in float32 (6e-8) and
    p = exp(-H) amplifies it by H = -ln p <= 30 here."""
    bits = (np.arange(24).reshape(4, 6) % 3 == 0).astype(np.uint8)
    fig = cell.figures()
    c = chip_cells(cell, bits, 3, spread=spread, t_storage=cell.t_storage, seed=0)
    assert c.wer.shape == (3, 4, 6) and c.wer.dtype == np.float32
    ones = np.broadcast_to(bits == 1, c.wer.shape)
    np.testing.assert_allclose(c.wer[ones], float(fig.wer.sel(direction="p_to_ap")), rtol=1e-5)
    assert np.all(c.wer[~ones] < 1e-40)  # AP->P: 4.7e-45 nominal
    np.testing.assert_allclose(c.retention, float(fig.retention_failure), rtol=1e-5)
    np.testing.assert_allclose(c.read_error[ones], float(fig.read_error_ap), rtol=1e-5)
    np.testing.assert_allclose(c.read_error[~ones], float(fig.read_error_p), rtol=1e-5)
    np.testing.assert_allclose(c.delta, float(cell.mtj.delta(cell.temperature)), rtol=1e-6)
    # read disturb: the AP state's own read current pushing AP->P (figures() quotes the
    # worst case, the larger P current with the constant efficiency)
    i_ap = float(cell.read_currents(_width(cell))[1])
    expected = float(
        read_disturb_probability(
            cell.mtj, i_ap, cell.t_read, temperature=cell.temperature, stt_form=cell.stt_form, direction="ap_to_p"
        )
    )
    np.testing.assert_allclose(c.read_disturb, expected, rtol=1e-5)
    assert c.nominal["wer_p_to_ap"] == pytest.approx(float(fig.wer.sel(direction="p_to_ap")), rel=1e-12)
    assert c.nominal["read_error_p"] == pytest.approx(float(fig.read_error_p), rel=1e-12)
    assert c.table_max_rel_error < 1e-5 and c.n_direct == 0  # the one node is the solve (float32)


def test_per_cell_probabilities_match_direct_solves(cell, bits, variable):
    """Cells of chip 2 chosen at the extremes (largest WER of each direction, smallest
    and largest Delta, largest retention) and at random, against direct solves of their
    own device.  Tolerance: the tables' 2 % (TABLE_TOLERANCE) for probabilities >= 1e-20
    (below, the solver itself is not validated: they must only stay tiny)."""
    flat = bits.ravel()
    k = 2
    wer, ret, delta = variable.wer[k].ravel(), variable.retention[k].ravel(), variable.delta[k].ravel()
    picks = {
        int(np.argmax(np.where(flat == 1, wer, -1))),
        int(np.argmax(np.where(flat == 0, wer, -1))),
        int(np.argmin(delta)),
        int(np.argmax(delta)),
        int(np.argmax(ret)),
    }
    picks |= set(np.random.default_rng(5).choice(flat.size, 4, replace=False).tolist())
    devices, i_write, t_pulse = chip_devices(cell, flat.size, k, spread=SPREAD, seed=11)
    np.testing.assert_allclose(devices.delta(cell.temperature), delta, rtol=1e-6)  # float32 storage
    width = _width(cell)
    i_p, i_ap = dataclasses.replace(cell, mtj=devices).read_currents(width)
    for j in sorted(picks):
        dev = devices.device(j)
        direction = "p_to_ap" if flat[j] == 1 else "ap_to_p"
        exact = {
            "wer": float(
                write_error_rate(
                    dev,
                    i_write[j],
                    t_pulse[j],
                    temperature=cell.temperature,
                    stt_form=cell.stt_form,
                    direction=direction,
                )
            ),
            "retention": float(retention_failure_probability(dev, T_STORAGE, temperature=cell.temperature)),
            "read_disturb": float(
                read_disturb_probability(
                    dev,
                    float(i_ap[j]),
                    cell.t_read,
                    temperature=cell.temperature,
                    stt_form=cell.stt_form,
                    direction="ap_to_p",
                )
            ),
        }
        for name, value in exact.items():
            got = float(getattr(variable, name)[k].ravel()[j])
            if value >= 1e-20:
                assert got == pytest.approx(value, rel=TABLE_TOLERANCE), (name, j, direction)
            else:
                assert got < 1e-18, (name, j)
    assert variable.table_max_rel_error <= TABLE_TOLERANCE
    # read decision: the cell's own current against the nominal midpoint reference
    p_as_ap, ap_as_p = cells_module._decision_errors(i_p, i_ap, variable.nominal["i_ref"], cell.sense_offset)
    np.testing.assert_allclose(
        variable.read_error[k].ravel(), np.where(flat == 1, ap_as_p, p_as_ap).astype(np.float32), rtol=1e-6, atol=1e-37
    )


def test_read_currents_are_the_bitcells(cell):
    """The vectorised fixed point equals MTJBitcell.read_currents (30 iterations) to
    rounding (1e-12: it stops once the step is below 1e-14)."""
    ens = sample_variability(cell.mtj, 500, spread=SPREAD, seed=2)
    ctx = cells_module._context(cell, T_STORAGE, "ap")
    ours = cells_module._read_currents(ens, ctx.r_t, ctx.v_read)
    theirs = dataclasses.replace(cell, mtj=ens).read_currents(_width(cell))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_direction_is_respected(variable, bits):
    """Bit-1 cells carry the P->AP write error, bit-0 cells the AP->P one: with the
    Slonczewski efficiency (c = +P^2 for P->AP) P->AP errors are many orders of magnitude
    larger (nominal 1.7e-9 against 5e-45), so every chip's bit-1 median exceeds its bit-0
    maximum."""
    ones = bits.ravel() == 1
    wer = variable.wer.reshape(variable.n_chips, -1)
    assert np.all(np.median(wer[:, ones], axis=1) > 1e3 * wer[:, ~ones].max(axis=1))


def test_delta_spread_matches_the_requested_spread(cell, bits, variable):
    """ln Delta of the cells against an independent sample_variability ensemble of the same
    distribution: means within 5 standard errors and standard deviations within 5
    standard errors (se of a std ~ sigma / sqrt(2 n)); every sampled field passes a
    two-sample KS test at the 1e-4 level."""
    ours = np.log(variable.delta.astype(float).ravel())
    ref_ens = sample_variability(cell.mtj, 40000, spread=SPREAD, seed=99)
    ref = np.log(ref_ens.delta(cell.temperature))
    n, m = ours.size, ref.size
    sigma = ref.std()
    assert abs(ours.mean() - ref.mean()) < 5 * sigma * np.sqrt(1 / n + 1 / m)
    assert abs(ours.std() - sigma) < 5 * sigma * np.sqrt(1 / (2 * n) + 1 / (2 * m))
    # About 1.0*0.03 (d: Delta ~ K_eff(d) d^2, and K_eff falls as N_zz - N_xx grows with d)
    # (+) 9.5*0.005 (Ku: K_u / K_eff) (+) 17*0.0025 (Ms: 2 K_d Delta N / K_eff) in quadrature = 0.070
    # (0.08-0.11 with the thin-film Delta N = 1).
    assert 0.06 < sigma < 0.08
    devices, _, _ = chip_devices(cell, bits.size, 0, spread=SPREAD, seed=11)
    for name in SPREAD:
        assert stats.ks_2samp(getattr(devices, name), getattr(ref_ens, name)).pvalue > 1e-4, name


def test_correlation_and_cycle_to_cycle_spread(cell):
    """The Gaussian copula reaches the devices (Pearson rho of ln d, ln RA = 0.8 within
    5 standard errors, se ~ (1 - rho^2) / sqrt(n)), and the cycle-to-cycle factors are
    log-normal of mean 1 and the requested spread, drawn from their own stream: adding
    them leaves the devices unchanged."""
    n = 20000
    kw = dict(spread={"diameter": 0.03, "ra": 0.05}, correlation={("diameter", "ra"): 0.8}, seed=4)
    dev, i_w, t_w = chip_devices(cell, n, 3, **kw)
    rho = np.corrcoef(np.log(dev.diameter), np.log(dev.ra))[0, 1]
    assert abs(rho - 0.8) < 5 * (1 - 0.8**2) / np.sqrt(n)
    assert np.all(i_w == cell.write_current) and np.all(t_w == cell.write_pulse())
    dev2, i_w2, t_w2 = chip_devices(cell, n, 3, cycle_spread={"i_write": 0.04, "t_pulse": 0.02}, **kw)
    np.testing.assert_array_equal(dev2.diameter, dev.diameter)
    for x, nominal, cv in ((i_w2, cell.write_current, 0.04), (t_w2, cell.write_pulse(), 0.02)):
        r = x / nominal
        assert abs(r.mean() - 1) < 5 * cv / np.sqrt(n)
        assert abs(r.std() / cv - 1) < 5 / np.sqrt(2 * n)


def test_cycle_to_cycle_jitter_reaches_the_write_error(cell):
    """Nominal devices, jittered writes: each cell's WER is the direct solve at its own
    current and pulse (2 % table tolerance), and the spread of the WER comes from the
    jitter only."""
    bits = np.ones(400, np.uint8)
    cycle = {"i_write": 0.03, "t_pulse": 0.03}
    c = chip_cells(cell, bits, 2, spread={}, cycle_spread=cycle, t_storage=T_STORAGE, seed=8)
    np.testing.assert_allclose(c.retention, c.nominal["retention"], rtol=1e-5)  # devices are nominal
    _, i_w, t_w = chip_devices(cell, bits.size, 1, spread={}, cycle_spread=cycle, seed=8)
    wer = c.wer[1]
    for j in (int(np.argmax(wer)), int(np.argmin(wer)), 7):
        exact = float(
            write_error_rate(
                cell.mtj, i_w[j], t_w[j], temperature=cell.temperature, stt_form=cell.stt_form, direction="p_to_ap"
            )
        )
        assert float(wer[j]) == pytest.approx(exact, rel=TABLE_TOLERANCE)
    assert wer.max() > 10 * wer.min()  # 3 % on I and t moves a 1e-9 WER by decades


def test_reproducible_and_independent_of_n_chips_and_blocks(cell, bits, variable):
    """Chip k depends on (seed, k) only: the same numbers for another n_chips, another
    block size and a SeedSequence of the same seed; another seed gives other cells."""
    again = chip_cells(cell, bits, 4, spread=SPREAD, t_storage=T_STORAGE, seed=11)
    fewer = chip_cells(
        cell, bits, 2, spread=SPREAD, t_storage=T_STORAGE, seed=np.random.SeedSequence(11), block_cells=1
    )
    blocks = chip_cells(cell, bits, 4, spread=SPREAD, t_storage=T_STORAGE, seed=11, block_cells=3 * bits.size)
    for name in ("wer", "retention", "read_disturb", "read_error", "delta"):
        np.testing.assert_array_equal(getattr(again, name), getattr(variable, name))
        np.testing.assert_array_equal(getattr(fewer, name), getattr(variable, name)[:2])
        np.testing.assert_array_equal(getattr(blocks, name), getattr(variable, name))
    other = chip_cells(cell, bits, 1, spread=SPREAD, t_storage=T_STORAGE, seed=12)
    assert not np.array_equal(other.delta[0], variable.delta[0])
    assert not np.array_equal(variable.delta[0], variable.delta[1])  # chips differ
    assert not variable.wer.flags.writeable


def test_tables_built_ahead_serve_chip_cells_unchanged(cell, bits, variable, monkeypatch):
    """cell_tables builds exactly the tables chip_cells looks up (no bits needed): built
    ahead for a new design, a later chip_cells solves nothing more and gives the numbers
    it gives without them."""
    other = dataclasses.replace(cell, t_pulse=70e-9)
    cells_module._TABLE_CACHE.clear()
    plain = chip_cells(other, bits, 2, spread=SPREAD, t_storage=T_STORAGE, seed=11)
    cells_module._TABLE_CACHE.clear()
    error = cell_tables(other, spread=SPREAD, t_storage=T_STORAGE)
    assert 0.0 <= error <= TABLE_TOLERANCE

    def no_solve(*args, **kwargs):
        raise AssertionError("a table was built again")

    monkeypatch.setattr(cells_module, "_nominal", no_solve)
    ahead = chip_cells(other, bits, 2, spread=SPREAD, t_storage=T_STORAGE, seed=11)
    for name in ("wer", "retention", "read_disturb", "read_error", "delta"):
        np.testing.assert_array_equal(getattr(ahead, name), getattr(plain, name))


def test_dataset_summarises_per_chip_direction_and_state(variable, bits):
    ds = variable.dataset()
    assert missing_units(ds) == []
    for name in list(ds.data_vars) + list(ds.coords):
        assert "long_name" in ds[name].attrs, name
    assert ds.sizes == {"chip": 4, "direction": 2, "state": 2, "quantile": 4}
    ones = bits.ravel() == 1
    wer = variable.wer.reshape(4, -1).astype(float)
    np.testing.assert_allclose(ds.wer_mean.sel(direction="p_to_ap"), wer[:, ones].mean(axis=1), rtol=1e-6)
    np.testing.assert_allclose(ds.wer_max.sel(direction="ap_to_p"), wer[:, ~ones].max(axis=1), rtol=1e-6)
    np.testing.assert_allclose(
        ds.read_error_quantile.sel(state="p", quantile=0.5),
        np.quantile(variable.read_error.reshape(4, -1)[:, ~ones], 0.5, axis=1),
        rtol=1e-6,
    )
    assert int(ds.cells.sel(direction="p_to_ap")) == ones.sum()
    assert float(ds.nominal_wer.sel(direction="p_to_ap")) == variable.nominal["wer_p_to_ap"]
    # the tail sets the mean: the spread population's mean P->AP WER is far above nominal
    assert np.all(ds.wer_mean.sel(direction="p_to_ap") > 100 * ds.nominal_wer.sel(direction="p_to_ap"))
    assert ds.attrs["seed"] == "11" and "Nelsen2006" in ds.attrs["citation_keys"]
    assert "diameter" in ds.attrs["spread"]


def test_homogeneous_cells(cell, bits, variable):
    """Nominal: every cell carries the nominal value of its direction and state.  Same
    mean: per direction and state, the population means of the variable chips."""
    nom = homogeneous_cells(cell, bits, 5, t_storage=T_STORAGE)
    ones = np.broadcast_to(bits == 1, nom.wer.shape)
    assert nom.wer.shape == (5,) + bits.shape and nom.wer.strides[0] == 0  # broadcast, no memory per chip
    np.testing.assert_allclose(nom.wer[ones], variable.nominal["wer_p_to_ap"], rtol=1e-6)
    np.testing.assert_allclose(nom.read_error[~ones], variable.nominal["read_error_p"], rtol=1e-6)
    same = homogeneous_cells(cell, bits, 5, t_storage=T_STORAGE, match_mean_of=variable)
    flat = bits.ravel() == 1
    v = {
        name: getattr(variable, name).reshape(4, -1).astype(float)
        for name in ("wer", "retention", "read_error", "read_disturb")
    }
    for name in ("wer", "retention", "read_error"):
        got = getattr(same, name).reshape(5, -1)
        assert got[0, flat][0] == pytest.approx(v[name][:, flat].mean(), rel=1e-6)
        assert got[0, ~flat][0] == pytest.approx(v[name][:, ~flat].mean(), rel=1e-6)
    assert float(same.read_disturb.ravel()[0]) == pytest.approx(v["read_disturb"][:, flat].mean(), rel=1e-6)
    assert "same mean" in same.population and isinstance(same, ChipCells)
    with pytest.raises(ValueError, match="t_storage"):
        homogeneous_cells(cell, bits, 5, t_storage=1.0, match_mean_of=variable)
    with pytest.raises(ValueError, match="other bits"):
        homogeneous_cells(cell, 1 - bits, 5, t_storage=T_STORAGE, match_mean_of=variable)


def test_split_cuts_one_population_into_consecutive_parts(cell, bits, variable):
    """The parts of a split are exactly the consecutive slices of every chip's cells
    (the layers of a network stored as one population), reshaped; a homogeneous
    population stays a broadcast view; sizes that do not add up are refused."""
    parts = variable.split([(2, 3), (32 * 64 - 6,)])
    assert [p.cell_shape for p in parts] == [(2, 3), (32 * 64 - 6,)]
    for name in ("wer", "retention", "read_disturb", "read_error", "delta"):
        whole = getattr(variable, name).reshape(4, -1)
        np.testing.assert_array_equal(getattr(parts[0], name), whole[:, :6].reshape(4, 2, 3), err_msg=name)
        np.testing.assert_array_equal(getattr(parts[1], name), whole[:, 6:], err_msg=name)
    np.testing.assert_array_equal(parts[1].bits, bits.ravel()[6:])
    assert parts[0].population == variable.population and parts[0].seed == variable.seed
    nom = homogeneous_cells(cell, bits, 5, t_storage=T_STORAGE).split([(64,), (31, 64)])
    assert all(p.wer.strides[0] == 0 for p in nom)
    with pytest.raises(ValueError, match="hold 7 cells; the chips have 2048 per chip"):
        variable.split([(7,)])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_chips=0), "n_chips"),
        (dict(n_chips=2.5), "n_chips"),
        (dict(bits=np.array([0, 2])), "bits"),
        (dict(bits=np.zeros(0, np.uint8)), "bits"),
        (dict(bits=np.array([0.5, 1.0])), "bits"),
        (dict(spread={"width": 0.1}), "spread has unknown field 'width'"),
        (dict(spread={"diameter": 1.5}), r"spread\['diameter'\] = 1.5"),
        (dict(spread=[("diameter", 0.1)]), "spread must be a dict"),
        (dict(distribution="uniform"), "distribution"),
        (dict(correlation={("diameter", "ra"): 0.5}), "correlation"),
        (dict(cycle_spread={"v_read": 0.1}), "cycle_spread field"),
        (dict(cycle_spread={"i_write": -0.1}), r"cycle_spread\['i_write'\] = -0.1"),
        (dict(t_storage=-1.0), "t_storage = -1.0"),
        (dict(seed=-1), "seed = -1"),
        (dict(seed=np.random.default_rng(0)), "Generator"),
        (dict(read_disturb_state="both"), "read_disturb_state"),
        (dict(block_cells=0), "block_cells"),
    ],
)
def test_bad_inputs(cell, kwargs, match):
    args = dict(bitcell=cell, bits=np.array([0, 1, 1]), n_chips=2, spread={"diameter": 0.03}, t_storage=1.0, seed=0)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        chip_cells(**args)


def test_bad_bitcell(cell):
    ens = sample_variability(cell.mtj, 4, spread={"ra": 0.05}, seed=0)
    with pytest.raises(ValueError, match="bitcell.mtj must be the nominal device"):
        chip_cells(dataclasses.replace(cell, mtj=ens), np.ones(3, np.uint8), 1, spread={}, t_storage=1.0, seed=0)
    with pytest.raises(TypeError, match="MTJBitcell"):
        chip_cells("cell", np.ones(3, np.uint8), 1, spread={}, t_storage=1.0, seed=0)


def test_memory_guard(cell):
    """100 chips of the default network (125,440 cells, 250 MB) are allowed; 1000 chips
    (2.5 GB of per-cell arrays) are refused before anything is computed."""
    bits = np.zeros((10, 784, 4, 4), np.uint8)
    cells_module._check_memory(100, bits.size)
    with pytest.raises(ValueError, match=r"n_chips = 1000 .* 2\.51 GB .* at most 855 chips"):
        chip_cells(cell, bits, 1000, spread=SPREAD, t_storage=1.0, seed=0)


def test_an_offset_field_is_refused_by_the_zero_field_tables(cell, bits):
    # The chip-cell tables are built at h = 0: a non-zero reference-layer offset field
    # would be silently dropped, so it is refused with the parameter's name.
    mtj = dataclasses.replace(cell.mtj, h_offset=0.05 * float(cell.mtj.hk_eff))
    offset_cell = dataclasses.replace(cell, mtj=mtj)
    with pytest.raises(ValueError, match=r"bitcell\.mtj\.h_offset = .* A/m: the chip-cell tables are built at zero"):
        chip_cells(offset_cell, bits, 1, spread={}, t_storage=T_STORAGE, seed=0)
