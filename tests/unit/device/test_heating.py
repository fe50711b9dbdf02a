"""Joule heating during a write (spinaps.device.heating and the joule_heating keyword).

The junction temperature is checked against its closed form (bias-independent
resistance), against independent root solves (TMR(V), and TMR(V) with the TMR(T) law),
and in its limits (no current, no thermal resistance, linear response); the write
error rate, the pulse and the current sizing with heating are checked to be the
unheated functions at the junction temperature, and to fall monotonically with the
heating.
"""

from dataclasses import replace

import numpy as np
import pytest
from scipy import optimize

from spinaps.device import current_for_wer, preset, pulse_for_wer, write_error_rate
from spinaps.device.heating import (
    THERMAL_RESISTANCE_AREA,
    default_thermal_resistance,
    junction_temperature,
    solve_junction_temperature,
)

#: Write point of the default preset (Ikeda2010, I_c0 = 49 uA): 1.5 I_c0, the default
#: circuit.i_write_ic0 of a Design.
I_WRITE = 73.5e-6


@pytest.fixture
def ikeda():
    return preset("Ikeda2010")


@pytest.fixture
def no_law(ikeda):
    """Ikeda2010 without its TMR(T) law: the resistance does not depend on T."""
    return replace(ikeda, tmr_bloch_coefficient=None)


def _v_ap(p, i):
    """Independent bias of the AP junction: V = I R_P (1 + TMR0 / (1 + V^2 / V_h^2))."""
    r_p = float(p.ra / (np.pi * p.diameter**2 / 4))
    tmr0, vh = float(p.tmr0), float(p.v_half)
    return optimize.brentq(lambda v: v - i * r_p * (1 + tmr0 / (1 + (v / vh) ** 2)), 0.0, 10.0, xtol=1e-15)


# --------------------------------------------------------------------------- temperature rise
def test_constant_resistance_closed_form(no_law):
    # P state: R = R_P is bias independent, so Delta T = I^2 R_P R_th exactly
    # (1e-12 relative: floating point only).
    r_th = 5e5
    t = junction_temperature(no_law, I_WRITE, thermal_resistance=r_th, direction="p_to_ap")
    expected = 300.0 + I_WRITE**2 * float(no_law.r_p) * r_th
    assert float(t) == pytest.approx(expected, rel=1e-12)
    assert t.attrs["units"] == "K" and t.name == "t_junction"


def test_tmr_of_bias_against_independent_root(no_law):
    # AP state with TMR(V): the bias from an independent Brent solve, Delta T = I V R_th.
    # 1e-9 relative on Delta T: the module bisects V to 1e-12 relative.
    r_th = 8e5
    currents = np.array([20e-6, I_WRITE, 150e-6])
    t = junction_temperature(no_law, currents, thermal_resistance=r_th).values
    expected = np.array([i * _v_ap(no_law, i) * r_th for i in currents])
    np.testing.assert_allclose(t - 300.0, expected, rtol=1e-9)


def test_tmr_of_temperature_against_independent_fixed_point(ikeda):
    # TMR(V) and the TMR(T) law (Julliere with a Bloch polarisation, Shang et al. 1998),
    # written out independently here, solved as one nested root: T - T0 - R_th I V(T).
    # Tolerance 1e-6 K: both roots are converged to 1e-9 K or better.
    r_th, i, a = 8e5, I_WRITE, float(ikeda.tmr_bloch_coefficient)
    p_ref = np.sqrt(1.2 / 3.2)

    def tmr0(t):
        pt = p_ref * (1 - a * t**1.5) / (1 - a * 300.0**1.5)
        return 2 * pt**2 / (1 - pt**2)

    def residual(t):
        return t - 300.0 - r_th * i * _v_ap(replace(ikeda, tmr0=tmr0(t), tmr_bloch_coefficient=None), i)

    expected = optimize.brentq(residual, 300.0, 1000.0, xtol=1e-10)
    assert float(junction_temperature(ikeda, i, thermal_resistance=r_th)) == pytest.approx(expected, abs=1e-6)
    # the TMR falls as the junction heats, so the rise is below the rise at fixed R(T0)
    assert expected - 300.0 < r_th * i * _v_ap(ikeda, i)


def test_limits(ikeda):
    # No current, or no thermal resistance: the ambient temperature exactly.
    assert float(junction_temperature(ikeda, 0.0)) == 300.0
    assert float(junction_temperature(ikeda, I_WRITE, thermal_resistance=0.0)) == 300.0
    # Linear response: at R_th = 1 K/W the rise is I V(T0) R_th to 1e-6 relative (the
    # TMR(T) feedback is of order dR/dT * Delta T / R, about 1e-6 here).
    rise = float(junction_temperature(ikeda, I_WRITE, thermal_resistance=1.0)) - 300.0
    assert rise == pytest.approx(I_WRITE * _v_ap(ikeda, I_WRITE), rel=1e-6)


def test_rise_increases_with_current_and_is_larger_in_ap(ikeda):
    currents = np.linspace(0.0, 150e-6, 7)
    t_ap = junction_temperature(ikeda, currents).values
    t_p = junction_temperature(ikeda, currents, direction="p_to_ap").values
    assert np.all(np.diff(t_ap) > 0) and np.all(np.diff(t_p) > 0)
    assert np.all(t_ap[1:] > t_p[1:])  # R_AP(V) > R_P


def test_default_thermal_resistance_scales_with_inverse_area(ikeda):
    ens = replace(ikeda, diameter=np.array([20e-9, 40e-9, 60e-9]))
    r = default_thermal_resistance(ens)
    np.testing.assert_allclose(r * ens.area, THERMAL_RESISTANCE_AREA, rtol=1e-14)
    assert float(default_thermal_resistance(ikeda)) == pytest.approx(7.96e5, rel=1e-3)  # 40 nm: the doc value


def test_ensemble_matches_single_devices(ikeda):
    ens = replace(ikeda, diameter=np.array([38e-9, 42e-9]))
    t = junction_temperature(ens, [50e-6, I_WRITE])
    assert t.dims == ("device", "i_write")
    for k in range(2):
        single = junction_temperature(ens.device(k), [50e-6, I_WRITE]).values
        np.testing.assert_allclose(t.values[k], single, rtol=1e-14)


def test_default_write_point_rise(ikeda):
    # Reported figure: 1.5 I_c0 AP -> P on Ikeda2010 with the default R_th heats the
    # junction by 45.3 K (recomputed here to 0.1 K so a change of the model is seen).
    assert float(junction_temperature(ikeda, I_WRITE)) - 300.0 == pytest.approx(45.31, abs=0.1)


# --------------------------------------------------------------------------- no solution, bad input
def test_no_steady_temperature_is_reported(ikeda):
    with pytest.raises(ValueError, match="no steady junction temperature"):
        junction_temperature(ikeda, 1e-3)


def test_heating_past_the_curie_temperature_is_reported(ikeda):
    hot = replace(ikeda, curie_temperature=600.0)
    with pytest.raises(ValueError, match="joule heating"):
        junction_temperature(hot, 300e-6)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"thermal_resistance": -1.0}, "thermal_resistance"),
        ({"thermal_resistance": np.inf}, "thermal_resistance"),
        ({"thermal_resistance": [1e5, 2e5, 3e5]}, "thermal_resistance"),
        ({"direction": "sideways"}, "direction"),
        ({"temperature": -1.0}, "temperature"),
    ],
)
def test_bad_input_names_the_parameter(ikeda, kw, match):
    with pytest.raises(ValueError, match=match):
        junction_temperature(ikeda, I_WRITE, **kw)


def test_bad_current_names_the_parameter(ikeda):
    with pytest.raises(ValueError, match="i_write"):
        solve_junction_temperature(ikeda, 2.0, 300.0)


# --------------------------------------------------------------------------- error rates with heating
def test_heated_wer_is_the_wer_at_the_junction_temperature(ikeda):
    hot_law = replace(ikeda, curie_temperature=900.0)  # Delta, I_c0 and tau_D follow T too
    heated = write_error_rate(hot_law, I_WRITE, 10e-9, stt_form="slonczewski", joule_heating=True)
    tj = float(heated.coords["t_junction"])
    direct = write_error_rate(hot_law, I_WRITE, 10e-9, stt_form="slonczewski", temperature=tj)
    assert float(heated) == pytest.approx(float(direct), rel=1e-12)  # the same solve
    assert heated.attrs["joule_heating"] == 1 and heated.attrs["temperature"] == 300.0
    assert "Sousa2004" in heated.attrs["citation_keys"]


def test_zero_thermal_resistance_changes_nothing(ikeda):
    cold = write_error_rate(ikeda, [60e-6, I_WRITE], 10e-9)
    heated = write_error_rate(ikeda, [60e-6, I_WRITE], 10e-9, joule_heating=True, thermal_resistance=0.0)
    np.testing.assert_allclose(heated.values, cold.values, rtol=1e-12)


def test_wer_falls_monotonically_with_heating(ikeda):
    # Same current and pulse, growing R_th: a hotter junction has a lower barrier and
    # switches more readily (strictly: the differences are far above the solver's 1 %).
    hot_law = replace(ikeda, curie_temperature=900.0)
    wers = [
        float(write_error_rate(hot_law, I_WRITE, 10e-9, joule_heating=True, thermal_resistance=r))
        for r in (0.0, 2e5, 8e5)
    ]
    assert wers[0] > 1.05 * wers[1] > 1.05**2 * wers[2]


def test_heated_grid_shape_and_coordinate(ikeda):
    ens = replace(ikeda, diameter=np.array([38e-9, 42e-9]))
    wer = write_error_rate(ens, [60e-6, I_WRITE], [5e-9, 10e-9], joule_heating=True)
    assert wer.dims == ("device", "i_write", "t_pulse")
    assert wer.coords["t_junction"].dims == ("device", "i_write")
    assert wer.coords["t_junction"].attrs["units"] == "K"
    single = write_error_rate(ens.device(1), I_WRITE, [5e-9, 10e-9], joule_heating=True)
    np.testing.assert_allclose(wer.values[1, 1], single.values, rtol=1e-12)


def test_heated_pulse_is_shorter(ikeda):
    hot_law = replace(ikeda, curie_temperature=900.0)
    cold = pulse_for_wer(hot_law, I_WRITE, 1e-9)
    heated = pulse_for_wer(hot_law, I_WRITE, 1e-9, joule_heating=True)
    assert float(heated) < 0.97 * float(cold)  # a few % shorter; the sizing is accurate to 1e-3
    assert float(heated.coords["t_junction"]) > 300.0


def test_heated_current_is_lower(ikeda):
    cold = current_for_wer(ikeda, 10e-9, 1e-9)
    heated = current_for_wer(ikeda, 10e-9, 1e-9, joule_heating=True)
    assert float(heated) < float(cold)
    # and it is self-consistent: the heated WER at that current is the target (Brent to 1e-6)
    wer = write_error_rate(ikeda, float(heated), 10e-9, joule_heating=True)
    assert float(wer) == pytest.approx(1e-9, rel=1e-3)


@pytest.mark.parametrize("func", ["write_error_rate", "pulse_for_wer"])
def test_thermal_resistance_without_heating_is_refused(ikeda, func):
    call = {
        "write_error_rate": lambda **kw: write_error_rate(ikeda, I_WRITE, 1e-8, **kw),
        "pulse_for_wer": lambda **kw: pulse_for_wer(ikeda, I_WRITE, 1e-9, **kw),
    }[func]
    with pytest.raises(ValueError, match="thermal_resistance"):
        call(thermal_resistance=1e5)
    with pytest.raises(ValueError, match="joule_heating"):
        call(joule_heating="yes")
