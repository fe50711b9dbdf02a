"""Analytic switching models: exact references, published limits, agreement with LLGS."""

import dataclasses
import warnings

import numpy as np
import pytest

from spinaps.device.error_rates import read_disturb_probability, retention_failure_probability, write_error_rate
from spinaps.device.switching import (
    CROSSOVER_BARRIER,
    first_passage_time,
    mean_switching_time,
    precessional_switching_time,
    switching_probability,
    thermal_escape_time,
)
from spinaps.provenance import missing_units

from .conftest import small_device, with_delta


@pytest.mark.parametrize(
    "delta,i,expected",
    [
        # Exact mean first-passage times T/tau_D from x = 1 to x = -0.999 (double quadrature of
        # Brown's Fokker-Planck equation, computed independently at 4-5 significant digits).
        (5, 0.0, 162.0),
        (10, 0.0, 1.3895e4),
        (15, 0.0, 1.6101e6),
        (20, 0.0, 2.0288e8),
        (15, 0.3, 1302.8),
        (15, 0.5, 73.92),
        (20, 0.5, 202.96),
    ],
)
def test_first_passage_time_matches_exact_quadrature(bench, delta, i, expected):
    p = with_delta(bench, delta)
    t = first_passage_time(p, i * float(p.ic0), mz_target=-0.999, mz_start=1.0) / p.tau_d
    assert float(t) == pytest.approx(expected, rel=1e-3)  # reference rounded to 4-5 digits


def test_first_passage_grid_convergence(bench):
    p = with_delta(bench, 60.0)
    coarse = float(first_passage_time(p, 0.5 * float(p.ic0), n_grid=2001))
    fine = float(first_passage_time(p, 0.5 * float(p.ic0), n_grid=16001))
    assert coarse == pytest.approx(fine, rel=1e-5)


def test_brown_asymptote_approaches_exact_at_high_barrier(bench):
    # Coffey et al. 1994: the high-barrier asymptote converges to the exact escape time.
    ratios = []
    for delta in (10, 20, 40, 80):
        p = with_delta(bench, delta)
        exact = float(first_passage_time(p, 0.0, mz_target=-0.999, mz_start=1.0))
        ratios.append(exact / float(thermal_escape_time(p, 0.0)))
    assert ratios[0] == pytest.approx(1.125, rel=2e-3)  # table value at Delta = 10
    assert all(r1 > r2 > 1.0 for r1, r2 in zip(ratios, ratios[1:]))
    assert ratios[-1] < 1.02


@pytest.mark.parametrize(
    "theta0,i,expected_ns",
    [
        (0.01, 1.5, 20.53),
        (0.01, 2.0, 10.83),
        (0.01, 3.0, 5.63),
        (0.05, 2.0, 7.23),
        (0.1, 3.0, 3.05),
    ],
)
def test_precessional_time_matches_closed_form_table(bench, theta0, i, expected_ns):
    t = precessional_switching_time(bench, i * float(bench.ic0), theta0)
    assert float(t) * 1e9 == pytest.approx(expected_ns, rel=2e-3)  # table at 4 digits


def test_precessional_wer_has_butler_slope_and_closed_form(bench):
    # Butler et al. 2012: ln WER decays as -2 (i - 1) t / tau_D at long times.
    delta = float(bench.delta())
    for i in (1.5, 2.0, 3.0):
        # deep in the tail, from WER ~ 1e-3 to beyond 1e-15
        t = bench.tau_d * np.array([10.0, 20.0, 40.0]) / (2 * (i - 1))
        wer = switching_probability(bench, i * float(bench.ic0), t, method="precessional", complement=True).values
        slope = np.diff(np.log(wer)) / np.diff(t)
        assert slope[-1] == pytest.approx(-2 * (i - 1) / bench.tau_d, rel=1e-6)
        assert wer[-1] < 1e-15
        # Small-angle closed form: theta_c^2 = 2 2^((i-1)/(i+1)) ((i-1)/i)^(2/(i+1)) e^(-2(i-1)t/tau_D)
        # (limit of the exact trajectory) and WER = Delta_eff theta_c^2 (1 - 1/(2 Delta_eff)) for the
        # exactly normalised Boltzmann well, Delta_eff = Delta (i-1)/i.  Agreement to 1e-3 in the tail.
        d_eff = delta * (i - 1) / i
        theta_c2 = (
            2 * 2 ** ((i - 1) / (i + 1)) * ((i - 1) / i) ** (2 / (i + 1)) * np.exp(-2 * (i - 1) * t / bench.tau_d)
        )
        # next order is O(1 / Delta_eff^2) = 4e-3 at i = 1.5, hence rtol = 5e-3
        np.testing.assert_allclose(wer[1:], d_eff * theta_c2[1:] * (1 - 1 / (2 * d_eff)), rtol=5e-3)


def test_complement_is_accurate_where_one_minus_p_is_not(bench):
    wer = switching_probability(bench, 3 * float(bench.ic0), 30e-9, method="precessional", complement=True)
    p = switching_probability(bench, 3 * float(bench.ic0), 30e-9, method="precessional")
    assert 1e-25 < float(wer) < 1e-18 and float(p) == 1.0
    assert wer.name == "wer" and p.name == "p_switch"


def test_sun_mean_time_values(bench):
    # Thermal average <tau> = tau_D [ln(pi^2 Delta / 4) + gamma_E] / (2 (i - 1)): 12.1, 6.0, 3.0 ns.
    t = mean_switching_time(bench, np.array([1.5, 2.0, 3.0]) * float(bench.ic0), method="sun")
    np.testing.assert_allclose(t.values * 1e9, [12.1, 6.0, 3.0], rtol=1e-2)
    assert t.attrs["units"] == "s"


def test_retention_matches_ten_year_table(bench):
    # Delta needed for P_fail = 1e-6 over 10 years with tau_0 = 1 ns is 54.1 (rounded to
    # 0.1, i.e. e^0.05 = 5 % in P).
    p = dataclasses.replace(with_delta(bench, 54.1), attempt_time=1e-9)
    p_fail = float(retention_failure_probability(p, 10 * 3.15576e7))
    assert p_fail == pytest.approx(1e-6, rel=0.06)


def test_read_disturb_beta_two_example(bench):
    # Delta = 60, tau_0 = 1 ns, t_read = 10 ns: RDR = 1e-9 at I_read / Ic0 = 0.3805
    # (from 10 exp(-60 (1 - i)^2) = 1e-9).
    p = dataclasses.replace(with_delta(bench, 60.0), attempt_time=1e-9)
    rdr = float(read_disturb_probability(p, 0.38048 * float(p.ic0), 10e-9))
    assert rdr == pytest.approx(1e-9, rel=1e-2)
    with pytest.raises(ValueError, match="i_read"):
        read_disturb_probability(p, 1.1 * float(p.ic0), 10e-9)


def test_thermal_limit_of_read_disturb_is_retention(bench):
    t = np.logspace(-9, -3, 7)
    a = read_disturb_probability(bench, 0.0, t).values
    b = retention_failure_probability(bench, t).values
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_switching_map_is_labelled_and_monotone(bench):
    currents = np.linspace(0.3, 3.0, 28) * float(bench.ic0)
    pulses = np.logspace(-10, -3, 30)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = switching_probability(bench, currents, pulses)
    assert any("crossover" in str(w.message) for w in caught)
    assert m.dims == ("i_write", "t_pulse") and m.shape == (28, 30)
    assert missing_units(m) == []
    assert np.all((m.values >= 0) & (m.values <= 1))
    # longer pulses never switch less; within each regime larger currents never switch less
    assert np.all(np.diff(m.values, axis=1) >= -1e-12)
    # (outside the crossover band, where Brown's prefactor 1/(1-i)^2 is no longer valid)
    i = currents / float(bench.ic0)
    valid = float(bench.delta()) * (1 - i) ** 2 >= CROSSOVER_BARRIER
    for regime in (valid & (i < 1), valid & (i > 1)):
        assert np.all(np.diff(m.values[regime], axis=0) >= -1e-12)


def test_switching_probability_over_an_ensemble(bench):
    ens = dataclasses.replace(bench, diameter=np.array([35e-9, 40e-9, 45e-9]))
    m = switching_probability(ens, 2 * float(bench.ic0), np.array([5e-9, 10e-9]), method="precessional")
    assert m.dims == ("device", "t_pulse")
    # a larger device has a larger Ic0, so switches less at the same current
    assert np.all(np.diff(m.values[:, 0]) < 0)
    single = switching_probability(ens.device(1), 2 * float(bench.ic0), np.array([5e-9, 10e-9]), method="precessional")
    np.testing.assert_allclose(m.values[1], single.values, rtol=1e-12)


@pytest.mark.parametrize("i", [2.0, 3.0])
def test_precessional_model_agrees_with_llg(bench, i):
    # Regime of validity: i >= 2, where the reversal is driven rather than diffusive.
    tmean = float(mean_switching_time(bench, i * float(bench.ic0)))
    pulses = np.array([0.75, 1.0, 1.5]) * tmean
    mc = switching_probability(bench, i * float(bench.ic0), pulses, method="llg", n_samples=3000, seed=4)
    an = switching_probability(bench, i * float(bench.ic0), pulses, method="precessional")
    assert set(mc.coords) >= {"ci_low", "ci_high"}
    sigma = np.sqrt(mc.values * (1 - mc.values) / 3000)
    # 4 sigma plus 0.03: the model treats noise during the reversal only in the
    # linearised small-angle stage (Delta_eff); at i = 2 that leaves errors of ~0.02.
    assert np.all(np.abs(mc.values - an.values) < 4 * sigma + 0.03)
    assert np.all((mc.ci_low <= mc) & (mc <= mc.ci_high))


@pytest.mark.slow
def test_thermal_model_agrees_with_llg():
    # Regime of validity: a barrier Delta (1 - i)^2 = 8.1 well above 1.  Small fast device.
    p = small_device(10.0, 0.5)
    i = 0.1 * float(p.ic0)
    tau = float(thermal_escape_time(p, i))
    pulses = np.array([0.5, 1.0]) * tau
    mc = switching_probability(p, i, pulses, method="llg", n_samples=1500, seed=9, dt=0.25e-12)
    th = switching_probability(p, i, pulses, method="thermal")
    # Brown's asymptote is about 12 % fast at this barrier (Coffey 1994), which moves P by
    # less than 0.05 here; plus 4 sigma.  The Monte-Carlo counts crossings of the
    # equator, which include the fraction that recross: they make P(MC) a little larger.
    sigma = np.sqrt(mc.values * (1 - mc.values) / 1500)
    assert np.all(np.abs(mc.values - th.values) < 4 * sigma + 0.08)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(method="magic"), "method"),
        (dict(t_pulse=-1e-9), "t_pulse"),
        (dict(i_write=np.ones((2, 2)) * 1e-5), "i_write"),
    ],
)
def test_switching_probability_bad_input(bench, kwargs, match):
    args = dict(i_write=1e-5, t_pulse=1e-9)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        switching_probability(bench, args.pop("i_write"), args.pop("t_pulse"), **args)


def test_thermal_model_rejects_supercritical_current(bench):
    with pytest.raises(ValueError, match="sub-critical"):
        switching_probability(bench, 2 * float(bench.ic0), 1e-9, method="thermal")


def test_thermal_methods_above_ic0_name_the_call_the_argument_and_the_way_out(bench):
    """Above I_c0 thermal activation does not apply: the message names the function the
    user called, ``i_write`` and the methods that do apply (not an internal helper)."""
    i = 2.0 * float(bench.ic0)
    with pytest.raises(ValueError, match=r"mean_switching_time\(method='thermal'\): i_write .*method='exact'"):
        mean_switching_time(bench, i, method="thermal")
    with pytest.raises(ValueError, match=r"switching_probability\(method='thermal'\): i_write .*method='auto'"):
        switching_probability(bench, i, 1e-9, method="thermal")
    with pytest.raises(ValueError, match=r"write_error_rate\(method='thermal'\): i_write .*method='auto'"):
        write_error_rate(bench, i, 1e-9, method="thermal")
