"""CMOS technology presets (spinaps.circuit.technology)."""

from dataclasses import replace

import numpy as np
import pytest

from spinaps.circuit import NODES, technologies, technology
from spinaps.circuit.technology import DRAIN_LENGTH_F, sources


def test_presets_exist_for_the_issue_nodes():
    assert set(NODES) == {45, 32, 28, 22}
    assert technology("22nm") is technology(22)
    for node in NODES:
        assert technology(node).feature_size == pytest.approx(node * 1e-9)
        assert "CACTI 7" in sources[node]


def test_45nm_values_are_cactis():
    """Values read from CACTI 7's tech_params/45nm.dat (HP column), exactly."""
    t = technology(45)
    assert (t.vdd, t.vth, t.i_on_n, t.i_on_p, t.i_off_n) == (1.0, 0.18035, 2046.6, 1023.3, 0.28)
    # C_g = C_g_ideal + C_overlap (0.2 C_g_ideal) + 3 C_fringe, as CACTI sums them
    assert t.c_gate == pytest.approx(6.78e-10 * 1.2 + 3 * 5e-11, rel=1e-12)
    # drain: junction area (assumed 2F long) + sidewall
    assert t.c_drain == pytest.approx(1e-3 * DRAIN_LENGTH_F * 45e-9 + 2.5e-10, rel=1e-12)


def test_28nm_lies_between_its_neighbours():
    t28, t32, t22 = technology(28), technology(32), technology(22)
    for name in ("vdd", "i_on_n", "r_eff_n", "c_gate", "wire_r_local", "wire_c_global"):
        a, b, c = getattr(t32, name), getattr(t28, name), getattr(t22, name)
        assert b == pytest.approx(0.6 * a + 0.4 * c, rel=1e-12)
        assert min(a, c) <= b <= max(a, c)


@pytest.mark.parametrize("node", NODES)
def test_physical_sanity(node):
    t = technology(node)
    assert t.i_on_n / t.i_off_n > 1e3  # a usable switch
    assert t.i_on_n > t.i_on_p  # electrons are more mobile
    # R_eff I_on is of the order of Vdd (CACTI: a fitted multiplier of 1.5 times Vdd)
    assert 1.0 < t.r_eff_n * t.i_on_n / t.vdd < 2.0
    assert t.wire_r_local > t.wire_r_global  # thin local wires resist more
    # Gate capacitance of order 1 fF/um, wire capacitance of order 0.2 fF/um
    assert 3e-10 < t.c_gate < 2e-9 and 1e-10 < t.wire_c_local < 5e-10


def test_scaling_trends():
    """Smaller nodes: lower Vdd, more drive per width, more resistive local wires."""
    ts = [technology(n) for n in (45, 32, 28, 22)]
    assert all(a.vdd > b.vdd for a, b in zip(ts, ts[1:]))
    assert all(a.i_on_n < b.i_on_n for a, b in zip(ts, ts[1:]))
    assert all(a.wire_r_local < b.wire_r_local for a, b in zip(ts, ts[1:]))


def test_transistor_helpers_are_consistent():
    t = technology(22)
    w = np.array([50e-9, 100e-9, 200e-9])
    np.testing.assert_allclose(t.r_on(w) * w, t.r_eff_n)
    np.testing.assert_allclose(t.width_for_current(t.i_on(w)), w)
    assert t.r_on(100e-9, "p") > t.r_on(100e-9, "n")


@pytest.mark.parametrize(
    "change, match",
    [
        (dict(vdd=0.1), "vdd"),
        (dict(feature_size=0.0), "feature_size"),
        (dict(i_off_n=1e4), "off-current"),
        (dict(c_gate=-1.0), "c_gate"),
    ],
)
def test_bad_values_are_named(change, match):
    with pytest.raises(ValueError, match=match):
        replace(technology(45), **change)


def test_unknown_node_lists_the_available_ones():
    with pytest.raises(ValueError, match="45, 32, 28, 22"):
        technology(7)
    with pytest.raises(ValueError, match="width"):
        technology(45).r_on(-1e-9)
    assert set(technologies) == set(NODES)


def test_lstp_45nm_values_are_cactis():
    """CACTI 7's tech_params/45nm.dat, LSTP column: R_eff = 1.99 Vdd / I_on, PMOS 2.23x."""
    from spinaps.circuit.technology import lstp_sources

    t = technology(45, "lstp")
    assert (t.vdd, t.vth, t.i_on_n, t.i_on_p, t.i_off_n) == (1.1, 0.50245, 666.2, 333.1, 1.01e-5)
    assert t.r_eff_n == pytest.approx(1.99 * 1.1 / 666.2, rel=1e-12)
    assert t.r_eff_p == pytest.approx(2.23 * t.r_eff_n, rel=1e-12)
    assert t.c_gate == pytest.approx(5.18e-10 * 1.2 + 3 * 8e-11, rel=1e-12)
    assert t.name == "45nm-lstp" and t.flavor == "lstp" and "LSTP" in lstp_sources[45]


@pytest.mark.parametrize("node", NODES)
def test_lstp_trades_drive_for_leakage(node):
    """LSTP devices leak at least 10^3 times less than HP ones but drive about 3x less,
    with a higher threshold; the wires are the node's and do not change."""
    hp, lstp = technology(node), technology(node, "lstp")
    assert hp.i_off_n / lstp.i_off_n > 1e3
    assert 2.0 < hp.i_on_n / lstp.i_on_n < 5.0 and lstp.vth > hp.vth
    assert (lstp.wire_r_local, lstp.wire_c_local) == (hp.wire_r_local, hp.wire_c_local)
    assert lstp.i_on_n / lstp.i_off_n > 1e6


def test_latch_transconductance_is_cactis():
    """g_m = (mu / 2) C_ox V_dsat / l_elec (1 + g_mp/g_mn), 32 nm HP: 8892 S per m of NMOS."""
    assert technology(32).gm_latch == pytest.approx(3.6184e-2 / 2 * 4.11e-2 * 0.0509 / 10.13e-9 * 2.38, rel=1e-12)
    assert technology(28, "lstp").gm_latch == pytest.approx(
        0.6 * technology(32, "lstp").gm_latch + 0.4 * technology(22, "lstp").gm_latch, rel=1e-12
    )


def test_unknown_flavor_is_named():
    with pytest.raises(ValueError, match="flavor"):
        technology(22, "ulp")
    with pytest.raises(ValueError, match="flavor"):
        replace(technology(22), flavor="ulp")
