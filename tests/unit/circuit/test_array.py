"""Sub-arrays with peripherals (spinaps.circuit.Array): conservation and physical sanity."""

from dataclasses import replace

import numpy as np
import pytest

from spinaps.circuit import Array, MTJBitcell, SRAMBitcell, technology
from spinaps.circuit.array import SENSING, latch_load
from spinaps.device import preset


@pytest.fixture(scope="module")
def mtj_cell():
    return MTJBitcell(preset("benchmark"), technology(22), t_pulse=20e-9)


@pytest.fixture(scope="module")
def sram_cell():
    return SRAMBitcell(technology(22))


@pytest.mark.parametrize("which", ["mtj_cell", "sram_cell"])
def test_breakdowns_sum_to_totals(request, which):
    """The totals are summed from the breakdowns (Array._dataset), so the sum check only
    guards that contract against a total computed elsewhere.  The behaviour: every
    component is non-negative, the cell array's area is rows x cols times the bitcell's
    own area (from MTJBitcell/SRAMBitcell.figures, not the array code), and the
    periphery adds area on top of it (1e-12: one product)."""
    cell = request.getfixturevalue(which)
    ds = Array(cell, 256, 256, 32).figures()
    for name in ("area", "read_latency", "write_latency", "read_energy", "write_energy", "leakage"):
        assert float(ds[f"{name}_breakdown"].sum()) == pytest.approx(float(ds[name]), rel=1e-12)
        assert np.all(ds[f"{name}_breakdown"].values >= 0)
    cells = float(ds.area_breakdown.sel(area_component="cells"))
    assert cells == pytest.approx(256 * 256 * float(cell.figures().cell_area), rel=1e-12)
    assert float(ds.area) > cells
    for var in ds.data_vars.values():
        assert "units" in var.attrs


@pytest.mark.parametrize("which", ["mtj_cell", "sram_cell"])
def test_bigger_arrays_are_slower_and_costlier(request, which):
    cell = request.getfixturevalue(which)
    small, big = Array(cell, 128, 128, 32).figures(), Array(cell, 1024, 1024, 32).figures()
    for name in ("read_latency", "read_energy", "area", "bitline_c", "wordline_c"):
        assert float(big[name]) > float(small[name])
    # the cell array's area is exactly rows x cols cells
    assert float(big.area_breakdown.sel(area_component="cells")) == pytest.approx(
        64 * float(small.area_breakdown.sel(area_component="cells"))
    )


def test_mtj_cells_do_not_leak_and_sram_cells_do(mtj_cell, sram_cell):
    m, s = Array(mtj_cell, 256, 256, 32).figures(), Array(sram_cell, 256, 256, 32).figures()
    assert float(m.leakage_breakdown.sel(leakage_component="cells")) == 0.0
    assert float(s.leakage_breakdown.sel(leakage_component="cells")) == pytest.approx(
        256 * 256 * float(sram_cell.figures().leakage_power)
    )


def test_word_error_follows_bit_errors(mtj_cell):
    ds = Array(replace(mtj_cell, t_pulse=10e-9), 256, 256, 64).figures()
    p = float(ds.bit_write_error)
    assert 0 < p < 1
    assert float(ds.word_write_error) == pytest.approx(1 - (1 - p) ** 64, rel=1e-9)


def test_sram_energy_scales_with_v_squared(sram_cell):
    """Every SRAM energy is C V^2 (1.1 V_dd costs 1.21x; 1e-9: products of the same
    capacitances) except the bitline read energy under CACTI's sense voltage
    max(0.05 V_dd, 80 mV): at 22 nm the 80 mV floor holds, so 2 dV V_dd C scales as V_dd
    alone (1.1x).  The sense amplifier costs CACTI's C_ld V_dd^2 per sensed bit."""
    t = sram_cell.tech
    hot_t = replace(t, vdd=1.1 * t.vdd)
    lo, hi = (Array(replace(sram_cell, tech=x), 256, 256, 32).figures() for x in (t, hot_t))
    assert float(hi.write_energy) / float(lo.write_energy) == pytest.approx(1.21, rel=1e-9)
    bl = {k: float(ds.read_energy_breakdown.sel(read_energy_component="bitline")) for k, ds in (("lo", lo), ("hi", hi))}
    assert bl["hi"] / bl["lo"] == pytest.approx(1.1, rel=1e-9)
    fixed = [Array(replace(sram_cell, tech=x, swing=0.1), 256, 256, 32).figures() for x in (t, hot_t)]
    assert float(fixed[1].read_energy) / float(fixed[0].read_energy) == pytest.approx(1.21, rel=1e-9)
    sa = float(lo.read_energy_breakdown.sel(read_energy_component="sense_amp"))
    assert sa == pytest.approx(32 * latch_load(t) * t.vdd**2, rel=1e-12)


def test_mtj_write_latency_is_the_pulse_plus_row_access(mtj_cell):
    ds = Array(mtj_cell, 256, 256, 32).figures()
    assert float(ds.write_latency_breakdown.sel(write_latency_component="cell")) == 20e-9
    assert 20e-9 < float(ds.write_latency) < 21e-9


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(rows=100), "rows"),
        (dict(cols=3), "cols"),
        (dict(access_bits=48), "access_bits"),
        (dict(aspect_ratio=0.0), "aspect_ratio"),
        (dict(sensing="charge"), "sensing"),
        (dict(sensing="current"), "sensing"),  # an SRAM array senses its bitline pair
    ],
)
def test_bad_array_inputs(sram_cell, kwargs, match):
    args = dict(rows=256, cols=256, access_bits=32) | kwargs
    with pytest.raises(ValueError, match=match):
        Array(sram_cell, **args)


def test_lstp_periphery_cuts_mram_leakage_and_slows_the_read(mtj_cell):
    """LSTP periphery: the MTJ array's leakage (all periphery: MTJ cells do not leak)
    falls by the off-current ratio (> 10^3) and the read gets slower (weaker devices)."""
    hp = Array(mtj_cell, 256, 256, 32).figures()
    lstp = Array(mtj_cell, 256, 256, 32, periphery="lstp").figures()
    assert lstp.attrs["periphery"] == "22nm-lstp"
    assert float(hp.leakage) / float(lstp.leakage) > 1e3
    assert float(lstp.read_latency) > float(hp.read_latency)
    # a Technology works as well, and the cells are unchanged
    same = Array(mtj_cell, 256, 256, 32, periphery=technology(22, "lstp")).figures()
    assert float(same.leakage) == float(lstp.leakage)
    assert float(lstp.area_breakdown.sel(area_component="cells")) == float(
        hp.area_breakdown.sel(area_component="cells")
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(periphery="ulp"), "periphery"),
        (dict(periphery=technology(45)), "feature_size"),
        (dict(sa_offset=0.0), "sa_offset"),
        (dict(sa_sigmas=20.0), "sa_sigmas"),
    ],
)
def test_bad_periphery_and_sense_inputs(mtj_cell, kwargs, match):
    with pytest.raises(ValueError, match=match):
        Array(mtj_cell, 256, 256, 32, **kwargs)


def test_precharge_energy_is_its_gates_and_enable_line(sram_cell):
    """SRAM precharge energy, probed from outside: it does not depend on the rows (one set
    of devices per column, the enable line along the row), doubles with the columns and
    scales as V_dd^2.  Its sensitivity to the gate capacitance per width is (2 x 9 + 1.5)
    beta F per column -- CACTI's two precharge PMOS of 9 beta F and the equaliser of
    1.5 beta F -- and to the wire capacitance per length the row's length, 256 cells of
    10 F (CACTI's 146 F^2 cell at aspect 1.46 is 14.6 F x 10 F).  The energy is linear in
    each of these, so the tolerance is rounding (1e-9)."""
    t = sram_cell.tech
    f, beta = t.feature_size, t.r_eff_p / t.r_eff_n

    def precharge(tech=t, rows=256, cols=256):
        ds = Array(replace(sram_cell, tech=tech), rows, cols, 32).figures()
        return float(ds.read_energy_breakdown.sel(read_energy_component="precharge"))

    e = precharge()
    assert precharge(rows=1024) == pytest.approx(e, rel=1e-9)
    assert precharge(cols=512) == pytest.approx(2 * e, rel=1e-9)
    assert precharge(replace(t, vdd=1.1 * t.vdd)) == pytest.approx(1.21 * e, rel=1e-9)
    per_gate = (precharge(replace(t, c_gate=2 * t.c_gate)) - e) / (t.c_gate * t.vdd**2)
    assert per_gate == pytest.approx(256 * (2 * 9.0 + 1.5) * beta * f, rel=1e-9)
    per_wire = (precharge(replace(t, wire_c_local=2 * t.wire_c_local)) - e) / (t.wire_c_local * t.vdd**2)
    assert per_wire == pytest.approx(256 * 10 * f, rel=1e-9)


def test_current_sensing_holds_the_bitline(mtj_cell):
    """The clamped current-sense read (module notes, *Sensing*).

    * The signal develops on the mirror's sense node, not on the bitline: its time does
      not depend on the rows (equal to 1e-12) and is C_sense k sigma / dI with C_sense
      below the 256-row bitline's capacitance (so it is faster than the voltage scheme's).
    * The bitline settles through the clamp in parallel with the cell: 2.3 C (R_c || R_cell)
      is below the voltage scheme's 2.3 C (R_cell + R_path) at every size, and still
      grows with the rows (the bitline capacitance), at most linearly plus the wire's RC.
    * With less time, the cells draw less energy; the precharge, decoders and bitline
      charge are the same rule in both schemes (equal to 1e-12).
    """
    figs = {
        (s, n): Array(mtj_cell, n, 256, 32, sensing=s).figures() for s in ("voltage", "current") for n in (256, 1024)
    }
    dev = {k: float(v.sense_development_time) for k, v in figs.items()}
    settle = {k: float(v.sense_settling_time) for k, v in figs.items()}
    assert dev[("current", 256)] == pytest.approx(dev[("current", 1024)], rel=1e-12)
    assert dev[("current", 256)] < 0.2 * dev[("voltage", 256)]
    for n in (256, 1024):
        assert settle[("current", n)] < settle[("voltage", n)]
        assert float(figs[("current", n)].read_energy) < float(figs[("voltage", n)].read_energy)
        for comp in ("precharge", "bitline", "decoder", "wordline"):
            e = [float(figs[(s, n)].read_energy_breakdown.sel(read_energy_component=comp)) for s in SENSING]
            assert e[0] == pytest.approx(e[1], rel=1e-12), comp
    assert settle[("current", 256)] < settle[("current", 1024)] < 5 * settle[("current", 256)]
    assert figs[("current", 256)].attrs["sensing"] == "current"


def test_memory_passes_the_sensing_scheme_to_its_subarrays(mtj_cell):
    """Memory(sensing=...) builds every sub-array with that scheme: a forced 2 x 2
    sub-array memory reads faster and with less energy with the clamped scheme, and its
    write (no sensing) is the same to 1e-12."""
    from spinaps.circuit import Memory, Organisation

    org = Organisation(256, 256, subarrays=(2, 2), active_subarrays=(2, 2), sense_amp_mux=4)
    ds = {s: Memory(mtj_cell, 32 * 1024, 256, org, sensing=s).figures() for s in SENSING}
    assert float(ds["current"].read_latency) < float(ds["voltage"].read_latency)
    assert float(ds["current"].read_energy) < float(ds["voltage"].read_energy)
    assert float(ds["current"].write_energy) == pytest.approx(float(ds["voltage"].write_energy), rel=1e-12)
    with pytest.raises(ValueError, match="sensing"):
        Memory(mtj_cell, 32 * 1024, 256, org, sensing="charge")
