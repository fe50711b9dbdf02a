"""Fix 1.8: switching_probability(method="auto") in the thermal/precessional crossover.

At I = I_c0 the thermal model (zero barrier) and the precessional model (infinite
deterministic switching time) both degenerate and "auto" returned 0 for every pulse
width.  Inside the band Delta (1 - i)^2 < CROSSOVER_BARRIER it now solves the
Fokker-Planck equation (end-state criterion, as write_error_rate).
"""

import dataclasses
import warnings

import numpy as np
import pytest

from spinaps.device import preset, switching_probability, write_error_rate
from spinaps.device.switching import CROSSOVER_BARRIER, in_crossover


def _auto(p, i, t):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*crossover", category=UserWarning)
        return switching_probability(p, i, t)


@pytest.mark.parametrize("name", ["benchmark", "Ikeda2010"])
def test_auto_at_ic0_is_the_fokker_planck_solution_and_monotone(name):
    p = preset(name)
    ic0 = float(p.at_temperature(300.0).ic0)
    t = np.logspace(-10, -2, 17)
    with pytest.warns(UserWarning, match="17 points lie in the thermal/precessional crossover.*Fokker-Planck"):
        auto = switching_probability(p, ic0, t)
    fp = 1.0 - write_error_rate(p, ic0, t, method="fokker_planck").values
    # The same solver at the same reduced times: equal to rounding (the WER is returned
    # as 1 - P here and P there).
    np.testing.assert_allclose(auto.values, fp, rtol=1e-9, atol=1e-15)
    assert np.all(np.diff(auto.values) >= 0)  # longer pulses never switch less
    assert auto.values[-1] == pytest.approx(1.0, abs=1e-6)  # 10 ms at I_c0: switched
    assert np.all(auto.values[t >= 1e-8] > 0)  # regression: the old "auto" returned 0 everywhere
    assert auto.attrs["crossover_points"] == 17
    assert "ScharfetterGummel1969" in auto.attrs["citation_keys"]


def test_band_limits_and_outside_points_unchanged(bench):
    delta = float(bench.delta(300.0))
    ic0 = float(bench.at_temperature(300.0).ic0)
    half = np.sqrt(CROSSOVER_BARRIER / delta)  # 2 / sqrt(Delta) = 0.283 at Delta = 50
    assert bool(in_crossover(delta, 1.0 - 0.999 * half)) and bool(in_crossover(delta, 1.0 + 0.999 * half))
    assert not in_crossover(delta, 1.0 - 1.001 * half) and not in_crossover(delta, 1.0 + 1.001 * half)
    t = np.logspace(-9, -6, 4)
    # Below and above the band "auto" is the thermal and the precessional model, as before.
    lo, hi = (1.0 - 1.5 * half) * ic0, (1.0 + 1.5 * half) * ic0
    np.testing.assert_array_equal(_auto(bench, lo, t).values, switching_probability(bench, lo, t, method="thermal"))
    np.testing.assert_array_equal(
        _auto(bench, hi, t).values, switching_probability(bench, hi, t, method="precessional")
    )


def test_band_edges_join_the_asymptotic_models(bench):
    # At the band edges the asymptotic models are within 0.12 of the Fokker-Planck
    # solution (measured 0.11 below, 0.06 above for Delta = 50), so "auto" has no jump
    # larger than that where it changes model.
    delta = float(bench.delta(300.0))
    ic0 = float(bench.at_temperature(300.0).ic0)
    half = np.sqrt(CROSSOVER_BARRIER / delta)
    t = np.logspace(-10, -6, 9)
    for edge in (1.0 - half, 1.0 + half):
        outside = _auto(bench, edge * (1 + np.sign(edge - 1) * 1e-3) * ic0, t).values
        inside = _auto(bench, edge * (1 - np.sign(edge - 1) * 1e-3) * ic0, t).values
        assert np.max(np.abs(outside - inside)) < 0.12


def test_crossover_over_an_ensemble(bench):
    ens = dataclasses.replace(bench, diameter=np.array([38e-9, 40e-9]))
    ic0 = float(bench.at_temperature(300.0).ic0)
    t = np.array([0.0, 1e-8, 1e-6])
    m = _auto(ens, ic0, t)
    for d in range(2):
        single = _auto(ens.device(d), ic0, t)
        np.testing.assert_allclose(m.values[d], single.values, rtol=1e-12)
    assert np.all(m.values[:, 0] == 0.0)  # a zero-length pulse switches nothing
