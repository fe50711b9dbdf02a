"""Decoder outputs: Horowitz's delay, logical-effort sizing, the drivers' cap, and the
sub-array's row and column-mux decoders built from them."""

import math

import pytest

from spinaps.circuit import Array, SRAMBitcell, technology
from spinaps.circuit.decoder import MAX_DRIVER_NMOS_F, decoder_output, horowitz, input_ramp

T22 = technology(22)
F = T22.feature_size
BETA = T22.r_eff_p / T22.r_eff_n
C_NAND = T22.c_gate * (2 + BETA) * F
G_NAND = (2 + BETA) / (1 + BETA)


def test_horowitz_limits():
    """A step input gives tau ln(1/v_s) exactly (1e-12); a slow ramp tends to
    sqrt(2 b (1 - v_s) t_in tau) (analytic limit: 1e-3 at t_in = 1e6 tau); the output
    ramp is t_d / (1 - v_s); the delay grows with the input ramp."""
    tau = 3e-12
    assert horowitz(tau, 0.0)[0] == pytest.approx(tau * math.log(2), rel=1e-12, abs=0)
    slow = 1e6 * tau
    assert horowitz(tau, slow)[0] == pytest.approx(math.sqrt(2 * 0.5 * 0.5 * slow * tau), rel=1e-3, abs=0)
    d, out = horowitz(tau, 2 * tau)
    assert out == pytest.approx(d / 0.5, rel=1e-12, abs=0)
    assert horowitz(tau, 1e-12)[0] < horowitz(tau, 2e-12)[0] < horowitz(tau, 4e-12)[0]


def test_horowitz_and_decoder_refuse_bad_input():
    with pytest.raises(ValueError, match="tau"):
        horowitz(0.0, 1e-12)
    with pytest.raises(ValueError, match="t_in"):
        horowitz(1e-12, -1.0)
    with pytest.raises(ValueError, match="c_load"):
        decoder_output(T22, -1e-15)
    with pytest.raises(ValueError, match="max_nmos_f"):
        decoder_output(T22, 1e-15, max_nmos_f=0.5)
    with pytest.raises(ValueError, match="extra_nand_stages"):
        decoder_output(T22, 1e-15, extra_nand_stages=9)


@pytest.mark.parametrize("c_load", [2e-15, 5e-15, 1.2e-14])
def test_uncapped_path_is_sized_by_logical_effort(c_load):
    """Below the cap, the stage efforts multiply to the path effort G = g C_L / C_nand
    (exact: 1e-9), each within [2, 8] (the rounding of log4 G and the odd inverter
    count move the optimum 4 by at most a factor 2), with an odd number of inverters."""
    d = decoder_output(T22, c_load)
    c_in = [T22.c_gate * (1 + BETA) * w for w in d["n_widths"][2:]]  # the inverters (after the NAND2 pair)
    efforts = [G_NAND * c_in[0] / C_NAND] + [b / a for a, b in zip(c_in, c_in[1:])] + [c_load / c_in[-1]]
    assert math.prod(efforts) == pytest.approx(G_NAND * c_load / C_NAND, rel=1e-9, abs=0)
    assert all(2.0 <= e <= 8.0 for e in efforts), efforts
    assert d["stages"] % 2 == 1


def test_wide_line_driver_is_capped_and_bounded():
    """A wordline beyond the cap gets a last NMOS of exactly 100 F (both tools' cap), so
    one output's transistor width no longer grows with the load (exact), while its
    driver delay keeps growing (the capped last stage drives more)."""
    small, big = decoder_output(T22, 2e-12), decoder_output(T22, 4e-12)
    assert small["last_nmos"] == pytest.approx(MAX_DRIVER_NMOS_F * F, rel=1e-12, abs=0)
    assert sum(small["n_widths"]) == pytest.approx(sum(big["n_widths"]), rel=1e-12, abs=0)
    assert big["t_driver"] > 1.9 * small["t_driver"]  # nearly linear in C_L once capped


def test_input_slope_slows_the_path():
    """The same path with a step input is faster than with the default address ramp, and
    a path of equal stages is slower than its step-input estimate by Horowitz's
    self-consistent factor (x^2 = ln^2 2 + x: x = 1.33 against ln 2 = 0.69), so by
    between 1.2 and 2.0x for the whole path."""
    ramp = decoder_output(T22, 1e-14)
    step = decoder_output(T22, 1e-14, t_in=0.0)
    assert step["t_gates"] < ramp["t_gates"]
    assert input_ramp(T22) > 0
    total_ramp = ramp["t_gates"] + ramp["t_driver"]
    total_step = step["t_gates"] + step["t_driver"]
    assert 1.0 < total_ramp / total_step < 2.0


def test_array_row_decoder_is_one_path_per_row():
    """The sub-array's decoder area and leakage are rows x one output's (doubling the
    rows at fixed columns doubles the decoder area: exact, 1e-9), its energy is one
    output's path (independent of the rows: 1e-9), and a mux-1 array has no column
    decoder (zero, exactly)."""
    sram = SRAMBitcell(T22)
    a, b = Array(sram, 256, 256, 64).figures(), Array(sram, 512, 256, 64, predecoded=False).figures()
    area = [float(x.area_breakdown.sel(area_component="decoder")) for x in (a, b)]
    # 256 and 512 rows: ceil(log2 / 2) = 4 and 5 decode stages, one more NAND2 pair per row
    extra = 2 * (2 * 2 * F + 2 * BETA * F) * 4 * F + 2 * 2 * 2 * F * 4 * F  # upper bound of one NAND2's area
    assert 2 * area[0] < area[1] <= 2 * area[0] + 512 * extra
    pa = Array(sram, 256, 256, 64, predecoded=True).figures()
    pb = Array(sram, 512, 256, 64, predecoded=True).figures()
    sel = dict(area_component="decoder")
    assert float(pb.area_breakdown.sel(sel)) == pytest.approx(2 * float(pa.area_breakdown.sel(sel)), rel=1e-9)
    e = dict(read_energy_component="decoder")
    assert float(pb.read_energy_breakdown.sel(e)) == pytest.approx(float(pa.read_energy_breakdown.sel(e)), rel=1e-9)
    none = Array(sram, 64, 64, 64).figures()
    assert float(none.area_breakdown.sel(area_component="column_decoder")) == 0.0
    assert float(none.read_energy_breakdown.sel(read_energy_component="column_decoder")) == 0.0


def test_mtj_decoder_leakage_no_longer_scales_with_the_wordline():
    """With the driver capped, a 1024-column MTJ sub-array's periphery leakage per row
    is bounded: doubling the columns from 1024 to 2048 (wordline capacitance x2) leaves
    the row decoder's width per row unchanged, so the periphery leakage grows by less
    than the columns' own devices (below 1.5x; it was 2x with one full chain per row)."""
    from spinaps.circuit.validation import nvsim_sample_cell

    cell = nvsim_sample_cell()
    a = Array(cell, 1024, 1024, 64, predecoded=True).figures()
    b = Array(cell, 1024, 2048, 64, predecoded=True).figures()
    sel = dict(area_component="decoder")
    assert float(b.area_breakdown.sel(sel)) == pytest.approx(float(a.area_breakdown.sel(sel)), rel=1e-9)
    la, lb = (float(x.leakage_breakdown.sel(leakage_component="periphery")) for x in (a, b))
    assert lb < 1.5 * la
