"""Our circuit figures against published silicon and tools (spinaps.circuit.validation).

Each comparison carries its accepted range of ours / published and the reason for it
(see :func:`spinaps.circuit.validation.comparison`); here they are asserted one by one,
and the physics behind the new read model is checked against its own equations.
"""

import math
from dataclasses import replace

import pytest

from spinaps.circuit import Array, technology
from spinaps.circuit.array import latch_time
from spinaps.circuit.validation import comparison, comparison_table, intel_22ffl_cell, nvsim_sample_cell

COMPARISONS = comparison()


@pytest.mark.parametrize("row", COMPARISONS, ids=[c.quantity for c in COMPARISONS])
def test_published_figures_within_their_stated_tolerance(row):
    # the tolerance and its reason are stated with each row in validation.comparison
    assert row.reason
    assert row.low <= row.ratio <= row.high, f"{row.quantity}: ours/published = {row.ratio:.3g}"


def test_comparison_table_lists_every_row():
    table = comparison_table()
    assert len(table) == len(COMPARISONS) and set(table.columns) >= {"quantity", "ours", "published", "ratio"}


def test_intel_read_is_dominated_by_the_bitline_not_the_latch():
    """At 1024 rows the bitline (settling through the cell and signal development) and the
    precharge make up more than 90 % of the read; CACTI's latch regenerates in ps."""
    ds = Array(intel_22ffl_cell(), 1024, 512, 64).figures()
    parts = ds.read_latency_breakdown
    slow = float(parts.sel(read_latency_component=["bitline", "precharge"]).sum())
    assert slow > 0.9 * float(ds.read_latency)
    assert float(ds.sense_latch_time) < 0.05e-9


def test_nvsim_array_write_energy_is_cell_plus_bitline_cv2():
    """NVSim's array write energy per bit: set energy + C_BL V^2.  Ours is the same
    formula; at 256 rows the bitline adds less than 10 % to the 0.194 pJ of the cell
    (the write is dominated by the cell current, as NVSim's sample outputs are)."""
    cell = nvsim_sample_cell()
    ds = Array(cell, 256, 256, 32).figures()
    per_bit = float(ds.write_energy_breakdown.sel(write_energy_component=["bitline", "cells"]).sum()) / 32
    expected = 0.193895e-12 + float(ds.bitline_c) * 0.95**2
    assert per_bit == pytest.approx(expected, rel=1e-5)
    assert float(ds.bitline_c) * 0.95**2 < 0.1 * 0.193895e-12


def test_signal_development_is_c_k_sigma_over_margin():
    """t_dev = (C_BL + C_mux) k sigma_os / dI: exactly proportional to the offset and to
    the number of sigmas (linear charging of a capacitor by a constant current)."""
    cell = intel_22ffl_cell()
    base = Array(cell, 512, 512, 64).figures()
    double = Array(cell, 512, 512, 64, sa_offset=0.02).figures()
    fewer = Array(cell, 512, 512, 64, sa_sigmas=3.0).figures()
    t0 = float(base.sense_development_time)
    assert float(double.sense_development_time) == pytest.approx(2 * t0, rel=1e-12)
    assert float(fewer.sense_development_time) == pytest.approx(t0 / 2, rel=1e-12)
    assert float(base.sense_signal) == pytest.approx(0.06)


def test_higher_tmr_senses_faster():
    cell = intel_22ffl_cell()
    lo = Array(replace(cell, mtj=replace(cell.mtj, tmr0=1.0)), 512, 512, 64).figures()
    hi = Array(cell, 512, 512, 64).figures()
    assert float(hi.sense_current_margin) > float(lo.sense_current_margin)
    assert float(hi.sense_development_time) < float(lo.sense_development_time)


def test_latch_time_follows_cactis_formula():
    """t = (C_ld / g_m) ln(V_dd / dV): halving the input signal adds (C_ld / g_m) ln 2."""
    t = technology(22)
    a, b, c = (float(latch_time(t, dv)) for dv in (0.08, 0.04, 0.02))
    assert b - a == pytest.approx(c - b, rel=1e-12)
    tau = (b - a) / math.log(2.0)
    assert a == pytest.approx(tau * math.log(0.8 / 0.08), rel=1e-12)
    assert 0 < a < 30e-12  # faster than CACTI's tabulated sense delay bound of 30 ps at 22 nm
    with pytest.raises(ValueError, match="dv_in"):
        latch_time(t, 0.0)


def test_read_cycle_includes_precharge_for_both_cells():
    from spinaps.circuit import SRAMBitcell

    for cell in (intel_22ffl_cell(), SRAMBitcell(technology(22))):
        ds = Array(cell, 256, 256, 32).figures()
        for name in ("read_latency", "read_energy", "area"):
            assert float(ds[f"{name}_breakdown"].sel({f"{name}_component": "precharge"})) > 0, name
