"""Sub-arrays with peripherals (spinaps.circuit.Array): conservation and physical sanity."""

import math
from dataclasses import replace

import numpy as np
import pytest

from spinaps.circuit import Array, MTJBitcell, SRAMBitcell, technology
from spinaps.device import preset


@pytest.fixture(scope="module")
def mtj_cell():
    return MTJBitcell(preset("benchmark"), technology(22), t_pulse=20e-9)


@pytest.fixture(scope="module")
def sram_cell():
    return SRAMBitcell(technology(22))


@pytest.mark.parametrize("which", ["mtj_cell", "sram_cell"])
def test_breakdowns_sum_to_totals(request, which):
    ds = Array(request.getfixturevalue(which), 256, 256, 32).figures()
    for name in ("area", "read_latency", "write_latency", "read_energy", "write_energy", "leakage"):
        assert float(ds[f"{name}_breakdown"].sum()) == pytest.approx(float(ds[name]), rel=1e-12)
        assert np.all(ds[f"{name}_breakdown"].values >= 0)
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
    t = sram_cell.tech
    lo = Array(sram_cell, 256, 256, 32).figures()
    hi = Array(replace(sram_cell, tech=replace(t, vdd=1.1 * t.vdd, sense_energy=0.0)), 256, 256, 32).figures()
    lo0 = Array(replace(sram_cell, tech=replace(t, sense_energy=0.0)), 256, 256, 32).figures()
    assert float(hi.write_energy) / float(lo0.write_energy) == pytest.approx(1.21, rel=1e-9)
    assert float(lo.read_energy) > float(lo0.read_energy)


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
    """SRAM precharge energy = (2 precharge + 1 equaliser gates per column + the enable
    wire along the row) V_dd^2 with CACTI's widths 9 beta F and 1.5 beta F."""
    t = sram_cell.tech
    ds = Array(sram_cell, 256, 256, 32).figures()
    f, beta = t.feature_size, t.r_eff_p / t.r_eff_n
    width = 256 * math.sqrt(float(sram_cell.figures().cell_area) / 1.46)
    expected = (256 * (2 * 9.0 + 1.5) * beta * f * t.c_gate + t.wire_c_local * width) * t.vdd**2
    assert float(ds.read_energy_breakdown.sel(read_energy_component="precharge")) == pytest.approx(expected, rel=1e-9)
