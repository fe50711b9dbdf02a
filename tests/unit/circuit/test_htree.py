"""Global-wire segments of the H-tree against the analytic limits of their models."""

import numpy as np
import pytest

from spinaps.circuit import technology
from spinaps.circuit.htree import driver_chain, fo4_delay, min_inverter, repeated_wire, wire_segment

T22 = technology(22)


def test_unrepeated_wire_is_the_distributed_rc_line():
    """The wire part is 0.38 r c l^2 (Sakurai 1983's 50 % point) and c l V^2: exact
    formulas, so a float tolerance (1e-12 relative)."""
    length = np.array([1e-5, 1e-4, 1e-3])
    seg = wire_segment(T22, length)
    r, c = T22.wire_r_global, T22.wire_c_global
    np.testing.assert_allclose(seg["wire_delay"], 0.38 * r * c * length**2, rtol=1e-12)
    np.testing.assert_allclose(seg["wire_energy"], c * length * T22.vdd**2, rtol=1e-12)
    # the driver chain's gates are a third of the load (geometric fan-out-4 chain)
    np.testing.assert_allclose(seg["driver_energy"], seg["wire_energy"] / 3.0, rtol=1e-12)


def test_driver_chain_has_one_stage_per_factor_four():
    """A load of C_0 4^n needs n fan-out-4 stages, each one FO4 delay: exact."""
    c0 = min_inverter(T22)[0]
    for n in (1, 2, 5):
        chain = driver_chain(T22, c0 * 4.0**n)
        assert chain["stages"] == n
        assert chain["delay"] == pytest.approx(n * fo4_delay(T22), rel=1e-12)


def test_fo4_delay_is_in_the_range_of_22nm_processes():
    """A 22 nm FO4 is a few ps (CACTI 7's devices; published 22 nm FO4 about 5-15 ps):
    within [2, 20] ps, a decade-wide sanity band since our FO4 uses R_eff and C_gate only."""
    assert 2e-12 < fo4_delay(T22) < 2e-11


def test_repeaters_are_the_bakoglu_optimum():
    """Perturbing the optimal repeater size or spacing by 20 % lengthens the delay per
    metre (the optimum of a smooth function: tolerance none needed, strict inequality),
    and the optimum's delay grows linearly with length."""
    rep = repeated_wire(T22)
    c0, cp, r0, _ = min_inverter(T22)
    r, c = T22.wire_r_global, T22.wire_c_global

    def per_m(h, s):
        return (0.69 * (r0 / h) * (h * cp + c * s + h * c0) + 0.38 * r * c * s**2 + 0.69 * r * s * h * c0) / s

    best = per_m(rep["size"], rep["spacing"])
    assert best == pytest.approx(rep["delay_per_m"], rel=1e-12)
    for dh, ds in ((1.2, 1), (0.8, 1), (1, 1.2), (1, 0.8)):
        assert per_m(rep["size"] * dh, rep["spacing"] * ds) > best
    seg = wire_segment(T22, [1e-3, 2e-3], "optimal")
    assert seg["wire_delay"][1] == pytest.approx(2 * seg["wire_delay"][0], rel=1e-12)


def test_repeated_wire_delay_matches_published_global_wires():
    """Optimally repeated global wire at 22 nm: Ho, Mai and Horowitz (Proc. IEEE 2001)
    project some tens of ps/mm for global wires; we accept [20, 150] ps/mm (our wire is
    CACTI 7's 22 nm global wire and our repeater the CACTI device: a band, not a fit)."""
    assert 20e-12 < repeated_wire(T22)["delay_per_m"] * 1e-3 < 150e-12


def test_long_wires_need_repeaters():
    """Unrepeated delay is quadratic in length, repeated linear: beyond about a
    millimetre the repeated wire is faster by a growing factor."""
    length = np.array([1e-3, 3e-3, 1e-2])
    a, b = wire_segment(T22, length), wire_segment(T22, length, "optimal")
    ratio = (a["wire_delay"] + a["driver_delay"]) / (b["wire_delay"] + b["driver_delay"])
    assert np.all(ratio > 1) and np.all(np.diff(ratio) > 0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(length=1e-3, repeaters="half"), r"repeaters = 'half'; allowed: none, optimal"),
        (dict(length=[-1e-3]), r"length = -0.001 m; allowed: >= 0"),
    ],
)
def test_bad_wire_input_is_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        wire_segment(T22, **kwargs)
