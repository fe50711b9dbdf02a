"""Write asymmetry: the per-direction I_c0 of the Slonczewski efficiency, for every preset."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from spinaps.cli import main
from spinaps.constants import E_CHARGE, HBAR, MU0
from spinaps.device import preset, presets
from spinaps.device.presets import preset as preset_function


def sun_ic0(params, eta):
    """Sun (2000) I_c0 = 2 e alpha mu0 M_s H_K,eff V / (hbar eta), from the SI parameters."""
    return 2.0 * E_CHARGE * params.alpha * MU0 * params.ms * params.hk_eff * params.volume / (HBAR * eta)


@pytest.mark.parametrize("name", list(presets))
def test_per_direction_ic0_is_sun_with_slonczewski_efficiency(name):
    # Slonczewski (1996, 2005) tunnel-junction efficiency eta = P / (1 + P^2 cos theta)
    # at the initial state: theta = pi (AP) for AP->P, theta = 0 (P) for P->AP
    # (Sun 2000: I_c0 ~ 1 / eta).  Tolerance 1e-12: the same closed form, rounding only.
    p = presets[name]
    pol = float(p.polarization)
    eta = {"ap_to_p": pol / (1.0 - pol**2), "p_to_ap": pol / (1.0 + pol**2)}
    for direction, e in eta.items():
        assert float(p.ic0_direction(direction, "slonczewski")) == pytest.approx(sun_ic0(p, e), rel=1e-12)
        assert float(p.ic0_direction(direction, "constant")) == pytest.approx(sun_ic0(p, pol), rel=1e-12)
    ratio = float(p.ic0_direction("p_to_ap") / p.ic0_direction("ap_to_p"))
    assert ratio == pytest.approx((1.0 + pol**2) / (1.0 - pol**2), rel=1e-12) and ratio > 1.0


def test_per_direction_ic0_follows_temperature_and_field_like_torque():
    p = preset("Ikeda2010")
    hot = p.at_temperature(358.15)
    assert float(p.ic0_direction("ap_to_p", temperature=358.15)) == pytest.approx(
        float(hot.ic0) * (1.0 - float(hot.polarization) ** 2), rel=1e-12
    )
    fl = dataclasses.replace(p, field_like_ratio=2.0)
    gain = 1.0 + float(p.alpha) * 2.0
    assert float(fl.ic0_direction("p_to_ap")) == pytest.approx(float(p.ic0_direction("p_to_ap")) / gain, rel=1e-12)
    with pytest.raises(ValueError, match=r"direction = 'up'; allowed: 'ap_to_p', 'p_to_ap'"):
        p.ic0_direction("up")
    with pytest.raises(ValueError, match=r"stt_form = 'x'; allowed: 'constant', 'slonczewski'"):
        p.ic0_direction("ap_to_p", "x")


def test_presets_command_and_docs_state_the_per_direction_ic0(capsys):
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    doc = preset_function.__doc__
    for name, p in presets.items():
        ap, pa = (f"{float(p.ic0_direction(d)) * 1e6:.1f}" for d in ("ap_to_p", "p_to_ap"))
        assert f"{name}: " in out and f"AP->P {ap} uA, P->AP {pa} uA" in out
        row = re.search(rf"^\s*{name}\s+(\S+) uA\s+(\S+)\s+(\S+) uA\s+(\S+) uA\s*$", doc, re.MULTILINE)
        assert row is not None, name
        assert row.groups() == (f"{float(p.ic0) * 1e6:.1f}", f"{float(p.polarization):.3f}", ap, pa)
    assert np.all([float(p.field_like_ratio) == 0.0 for p in presets.values()])
