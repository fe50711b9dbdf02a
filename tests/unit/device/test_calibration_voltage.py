"""Voltage-driven switching data, joint calibration and the V_50(T) prediction
(spinaps.device.calibration; the Rehm et al., APL 2024, data sets)."""

from dataclasses import replace

import numpy as np
import pytest

from spinaps.device import calibrate, current_for_wer, measurements, preset
from spinaps.device import fokker_planck as fp
from spinaps.device.calibration import (
    CalibrationResult,
    current_from_voltage,
    predict,
    predict_v50,
    voltage_for_current,
)
from spinaps.device.measurements import binomial_uncertainty, from_columns

from .conftest import small_device

N_PULSES = 10_000  # pulses per point of the Rehm et al. (2024) series (inferred from their 1e-4 resolution)


@pytest.fixture
def fast():
    """A 10 nm device (Delta = 30, alpha = 0.02) with a damping time of 90 ps and
    R_P = 6.4 kOhm: nanosecond-scale switching at a few hundred mV, cheap to solve."""
    return replace(small_device(30.0, 0.02), ra=5e-13)


# ------------------------------------------------------------------ binomial weights
def test_wilson_uncertainty_tends_to_the_wald_value_and_stays_positive_at_0_and_1():
    """Away from 0 and 1 the Wilson half-width is sqrt(p (1 - p) / n) up to O(1/n)
    (relative 1e-3 covers the 1 / n = 1e-4 corrections); at p = 0 and 1 it is
    (1 / 2n) / (1 + 1 / n) exactly, not 0."""
    p = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(binomial_uncertainty(p, N_PULSES), np.sqrt(p * (1 - p) / N_PULSES), rtol=1e-3)
    edge = binomial_uncertainty([0.0, 1.0], N_PULSES)
    np.testing.assert_allclose(edge, 0.5 / N_PULSES / (1 + 1 / N_PULSES), rtol=1e-12)


@pytest.mark.parametrize(
    "p, n, z, match",
    [(1.2, 10, 1.0, "p must be a probability"), (0.5, 0, 1.0, "n_trials must be >= 1"), (0.5, 10, 0.0, "z must be")],
)
def test_wilson_uncertainty_refuses_bad_input(p, n, z, match):
    with pytest.raises(ValueError, match=match):
        binomial_uncertainty(p, n, z)


# ------------------------------------------------------------------ kinds and shipped sets
def test_psw_vs_pulse_width_needs_exactly_one_drive():
    t, p = [1e-9, 2e-9], [0.2, 0.8]
    for cond in ({}, {"current": 1e-4, "voltage": 0.5}):
        with pytest.raises(ValueError, match="exactly one of the conditions 'current'"):
            from_columns("psw_vs_pulse_width", t_pulse=t, p_switch=p, conditions=cond)
    assert from_columns("psw_vs_pulse_width", t_pulse=t, p_switch=p, conditions={"voltage": 0.5}).n_points == 2


def test_psw_vs_voltage_needs_pulse_width_and_temperature():
    with pytest.raises(ValueError, match="needs the condition 'temperature'"):
        from_columns("psw_vs_voltage", voltage=[0.5, 0.6], p_switch=[0.2, 0.8], conditions={"t_pulse": 1e-9})


def test_rehm2024_sets_ship_with_provenance_and_binomial_weights():
    """The three sets load with the paper as citation; the probabilities are counts
    out of 1e4 (multiples of 1e-4 to rounding), weighted by the Wilson half-width."""
    sizes = {"Rehm2024_psw_vs_voltage_300K": 29, "Rehm2024_psw_vs_pulse_width": 28, "Rehm2024_dpdv_vs_pulse_width": 6}
    for name, n in sizes.items():
        m = measurements.load(name)
        assert m.n_points == n and m.citation_key == "Rehm2024" and "2310.18779" in m.reference
        assert "INFERENCE" in m.how_taken or "dpdv" in name
        assert m.condition("temperature") == 300.0
    for name in ("Rehm2024_psw_vs_voltage_300K", "Rehm2024_psw_vs_pulse_width"):
        m = measurements.load(name)
        counts = m.columns["p_switch"] * N_PULSES
        np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)
        np.testing.assert_allclose(m.uncertainty["p_switch"], binomial_uncertainty(m.columns["p_switch"], N_PULSES))
    assert measurements.load("Rehm2024_psw_vs_pulse_width").condition("voltage") == 0.681


# ------------------------------------------------------------------ voltage drive
def test_current_from_voltage_uses_the_initial_state_resistance():
    """P start: I = V / R_P exactly; AP start at V = V_h: R_AP = R_P (1 + TMR0 / 2)
    exactly (the Lorentzian roll-off halves the TMR there)."""
    p = preset("Ikeda2010")
    v = float(p.v_half)
    assert float(current_from_voltage(p, v, initial_state="p")) == pytest.approx(v / float(p.r_p), rel=1e-14)
    r_ap = float(p.r_p) * (1 + float(p.tmr0) / 2)
    assert float(current_from_voltage(p, v, initial_state="ap")) == pytest.approx(v / r_ap, rel=1e-14)


def test_voltage_for_current_inverts_the_drive():
    p = preset("Ikeda2010")
    v = np.array([0.05, 0.3, 0.9])
    for state in ("p", "ap"):
        i = current_from_voltage(p, v, initial_state=state)
        np.testing.assert_allclose(voltage_for_current(p, i, initial_state=state), v, rtol=1e-10)


def test_ap_current_follows_the_tmr_temperature_law():
    """With a TMR law the AP resistance falls as T rises, so the same voltage drives
    more current; the P current (RA held constant) does not change."""
    p = preset("Ikeda2010")
    assert p.tmr_bloch_coefficient is not None
    cold, hot = (float(current_from_voltage(p, 0.4, initial_state="ap", temperature=t)) for t in (250.0, 350.0))
    assert hot > cold
    assert float(current_from_voltage(p, 0.4, temperature=250.0)) == float(current_from_voltage(p, 0.4))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"initial_state": "up"}, "initial_state"),
        ({"voltage": np.nan}, "voltage must be finite"),
        ({"temperature": -1.0}, "temperature"),
    ],
)
def test_current_from_voltage_refuses_bad_input(kwargs, match):
    args = {"voltage": 0.4, **kwargs}
    with pytest.raises(ValueError, match=match):
        current_from_voltage(preset("Ikeda2010"), args.pop("voltage"), **args)


def test_direction_contradicting_the_initial_state_is_refused(fast):
    m = from_columns(
        "psw_vs_voltage", voltage=[0.3, 0.4], p_switch=[0.2, 0.8], conditions={"t_pulse": 1e-9, "temperature": 300.0}
    )
    with pytest.raises(ValueError, match="contradicts initial_state"):
        predict(fast, m, initial_state="p", direction="ap_to_p")


def test_voltage_data_equal_current_data_at_the_converted_current(fast):
    """A p(V) series is the p(I) series at I = V / R_0(V): same numbers from both kinds."""
    v = np.array([0.2, 0.3, 0.4])
    cond = {"t_pulse": 2 * float(fast.tau_d), "temperature": 300.0}
    by_v = from_columns("psw_vs_voltage", voltage=v, p_switch=np.full(3, 0.5), conditions=cond)
    i = current_from_voltage(fast, v, initial_state="ap")
    by_i = from_columns("psw_vs_current", current=i, p_switch=np.full(3, 0.5), conditions=cond)
    a = predict(fast, by_v, initial_state="ap", n_cells=160)["p_switch"]
    b = predict(fast, by_i, direction="ap_to_p", n_cells=160)["p_switch"]
    np.testing.assert_allclose(a, b, rtol=1e-12)


# ------------------------------------------------------------------ joint fit
def _counted(truth, kind, x, conditions, seed, **options):
    """Synthetic switching probabilities: binomial counts of 1e4 pulses (fixed seed)."""
    column = "voltage" if kind == "psw_vs_voltage" else "t_pulse"
    m0 = from_columns(kind, conditions=conditions, **{column: x}, p_switch=np.full(x.size, 0.5))
    p = predict(truth, m0, **options)["p_switch"]
    counted = np.random.default_rng(seed).binomial(N_PULSES, p) / N_PULSES
    return from_columns(
        kind,
        name=f"synthetic_{kind}",
        conditions=conditions,
        uncertainty={"p_switch": binomial_uncertainty(counted, N_PULSES)},
        **{column: x},
        p_switch=counted,
    )


@pytest.fixture
def joint_data(fast):
    """p(V) at 2 tau_D and p(t) at the V_50 of 2 tau_D, the layout of Rehm et al. (2024)."""
    tau = float(fast.tau_d)
    v50 = float(voltage_for_current(fast, current_for_wer(fast, 2 * tau, 0.5, n_cells=160)))
    by_v = _counted(
        fast,
        "psw_vs_voltage",
        v50 * np.linspace(0.8, 1.3, 7),
        {"t_pulse": 2 * tau, "temperature": 300.0},
        seed=11,
        n_cells=160,
    )
    by_t = _counted(
        fast,
        "psw_vs_pulse_width",
        tau * np.linspace(1.2, 4.0, 7),
        {"voltage": v50, "temperature": 300.0},
        12,
        n_cells=160,
    )
    return by_v, by_t


def test_joint_fit_recovers_delta_damping_and_polarization(fast, joint_data):
    """Both curves, one parameter set: K_u, alpha and P come back within 3 standard
    errors (fixed seeds; each 3-sigma bound fails with probability 0.3 %) from a start
    10-25 % off, and chi^2 lies within 3 sigma of its chi-square(dof) mean (binomial
    counts are the only noise, so the stated weights are right)."""
    names = ("ku", "alpha", "polarization")
    start = replace(fast, ku=float(fast.ku) * 1.03, alpha=0.025, polarization=0.5)
    fit = calibrate(list(joint_data), start, fit=names)
    true = np.array([float(getattr(fast, n)) for n in names])
    assert fit.success and fit.dof == 14 - 3
    assert np.all(np.abs(fit.values - true) < 3 * fit.stderr), (fit.values, true, fit.stderr)
    assert abs(fit.chi2 - fit.dof) < 3 * np.sqrt(2 * fit.dof)
    assert set(fit.residuals_by_measurement()) == {m.name for m in joint_data}
    # the grid is held at the default of the starting Delta (the fitted one needs no finer)
    assert fit.options["n_cells"] == fp.default_cells(float(start.delta(300.0)))
    assert fit.methods == ("fokker_planck", "fokker_planck")
    ds = fit.to_dataset()
    assert ds.attrs["measurement"] == ", ".join(m.name for m in joint_data)


def test_joint_fit_of_one_measurement_equals_the_single_fit(fast, joint_data):
    a = calibrate(joint_data[0], fast, fit=("polarization",))
    b = calibrate([joint_data[0]], fast, fit=("polarization",))
    assert b.values[0] == a.values[0] and b.stderr[0] == a.stderr[0]
    assert isinstance(b, CalibrationResult) and b.measurements == (a.measurement,)


def test_empty_list_of_measurements_is_refused(fast):
    with pytest.raises(ValueError, match="empty list"):
        calibrate([], fast)


# ------------------------------------------------------------------ dp/dV and V_50(T)
def test_dpdv_is_the_slope_of_the_probability_curve_at_v50(fast):
    """The dp/dV model equals the slope of the p(V) curve through V_50 (a +-2 % secant;
    the curve is smooth on that scale, so they agree to 1 %)."""
    tau = float(fast.tau_d)
    cond = {"temperature": 300.0}
    m = from_columns("dpdv_vs_pulse_width", t_pulse=[2 * tau, 4 * tau], dp_dv=[1.0, 1.0], conditions=cond)
    slope = predict(fast, m, n_cells=160)["dp_dv"]
    for t, s in zip(m.x, slope):
        v50 = float(voltage_for_current(fast, current_for_wer(fast, t, 0.5, n_cells=160)))
        mv = from_columns(
            "psw_vs_voltage",
            voltage=v50 * np.array([0.98, 1.02]),
            p_switch=[0.5, 0.5],
            conditions={"t_pulse": t, "temperature": 300.0},
        )
        p = predict(fast, mv, n_cells=160)["p_switch"]
        assert s == pytest.approx((p[1] - p[0]) / (0.04 * v50), rel=0.01)


def test_v50_prediction_without_a_temperature_law_is_the_current_for_wer_root(fast):
    """V_50(T) = I_50(T) R_P for a P start, and dV_50/dT is the central difference of it."""
    ds = predict_v50(fast, [300.0], t_pulse=2 * float(fast.tau_d), n_cells=160)
    i = [float(current_for_wer(fast, 2 * float(fast.tau_d), 0.5, temperature=t, n_cells=160)) for t in (295, 300, 305)]
    r = float(fast.r_p)
    assert float(ds.v50[0]) == pytest.approx(i[1] * r, rel=1e-12)
    assert float(ds.dv50_dt[0]) == pytest.approx((i[2] - i[0]) * r / 10.0, rel=1e-9)
    assert float(ds.v50_stderr[0]) == 0.0  # bare parameters: no fit error to propagate


def test_v50_falls_faster_with_a_magnetisation_law(fast):
    """Thermal agitation alone lowers V_50 as T rises; a Bloch M_s(T) with
    K_u ~ M_s^2 lowers the barrier and I_c0 too, so the slope is steeper; the law
    can be given as a dict or taken from another MTJParams."""
    t = 2 * float(fast.tau_d)
    bare = predict_v50(fast, [300.0], t_pulse=t, n_cells=160)
    law = {"curie_temperature": 900.0, "anisotropy_exponent": 2.0}
    hot = predict_v50(fast, [300.0], t_pulse=t, n_cells=160, law=law)
    assert float(bare.dv50_dt[0]) < 0 and float(hot.dv50_dt[0]) < float(bare.dv50_dt[0])
    other = replace(fast, curie_temperature=900.0)
    same = predict_v50(fast, [300.0], t_pulse=t, n_cells=160, law=other)
    assert float(same.dv50_dt[0]) == float(hot.dv50_dt[0])
    assert hot.attrs["curie_temperature"] == 900.0 and bare.attrs["curie_temperature"] == "none"


@pytest.mark.slow
def test_v50_standard_error_propagates_the_fit_covariance(fast, joint_data):
    """The delta-method error of V_50 at the calibration temperature is about the
    spread of V_50 over parameter sets drawn from the fit covariance (40 draws with a
    fixed seed: the sample standard deviation is within 35 % of the truth at
    3 sigma, sqrt(1/(2*39)) = 11 % each)."""
    fit = calibrate(list(joint_data), fast, fit=("ku", "alpha", "polarization"))
    t = float(joint_data[0].condition("t_pulse"))
    ds = predict_v50(fit, [300.0], t_pulse=t)
    rng = np.random.default_rng(3)
    draws = rng.multivariate_normal(fit.values, fit.cov, size=40)
    v = []
    for d in draws:
        p = replace(fit.params, **dict(zip(fit.names, d)))
        v.append(float(voltage_for_current(p, current_for_wer(p, t, 0.5, n_cells=160))))
    assert float(ds.v50_stderr[0]) == pytest.approx(np.std(v, ddof=1), rel=0.35)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"temperatures": [2.0]}, "temperatures"),
        ({"law": {"curie": 900.0}}, "unknown field"),
        ({"initial_state": "x"}, "initial_state"),
        ({"law_stderr": {"curie_temperature": 10.0}}, "not a set field"),
    ],
)
def test_predict_v50_refuses_bad_input(fast, kwargs, match):
    args = {"temperatures": [300.0], **kwargs}
    with pytest.raises(ValueError, match=match):
        predict_v50(fast, args.pop("temperatures"), n_cells=160, **args)
