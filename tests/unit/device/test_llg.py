"""Validation of the stochastic LLGS solver against physics it must obey.

Statistical tests use fixed seeds and k-sigma bounds (k = 4 unless stated), so they
are deterministic and a failure means a real deviation.
"""

import dataclasses

import numpy as np
import pytest
from scipy import stats

from spinaps.constants import GAMMA0
from spinaps.device import Pulse, simulate
from spinaps.device.equilibrium import fraction_up, mz2_mean
from spinaps.device.switching import (
    first_passage_time,
    mean_switching_time,
    precessional_switching_time,
    thermal_escape_time,
)
from spinaps.provenance import missing_units

from .conftest import small_device, tilt


def _boltzmann_cdf(delta, h=0.0):
    x = np.linspace(-1.0, 1.0, 40001)
    w = np.exp(delta * (x * x + 2 * h * x - 1 - 2 * abs(h)))
    c = np.concatenate([[0.0], np.cumsum(0.5 * (w[1:] + w[:-1]) * np.diff(x))])
    return lambda v: np.interp(v, x, c / c[-1])


# 1. Boltzmann equilibrium -------------------------------------------------------------
@pytest.mark.slow
def test_equilibrium_distribution_is_boltzmann():
    # Delta = 3, alpha = 0.5: damping time 45 ps, mean dwell time about 1.5 ns, so 10 ns
    # from m = +z equilibrates both wells.  N = 10^4 final states.
    p = small_device(3.0, 0.5)
    ds = simulate(p, 0.0, 10e-9, dt=0.5e-12, n_devices=10_000, seed=11, m0=[0, 0, 1])
    mz = ds.mz.isel(time=-1).values
    # KS goodness of fit against p(x) ~ exp(Delta x^2) on [-1, 1] (uniform solid-angle
    # measure).  With a fixed seed the p-value is a fixed number; 1e-3 rejects a wrong
    # distribution of this size decisively (a 1 % error in <mz^2> gives p < 1e-6).
    assert stats.kstest(mz, _boltzmann_cdf(3.0)).pvalue > 1e-3
    m2 = mz**2
    assert abs(m2.mean() - mz2_mean(3.0)) < 4 * m2.std() / np.sqrt(m2.size)
    assert abs((mz > 0).mean() - 0.5) < 4 * 0.5 / np.sqrt(mz.size)


@pytest.mark.slow
def test_detailed_balance_with_field():
    # Reduced field h = 0.1 along +z: P(mz > 0) from the Boltzmann integral (quadrature).
    p = small_device(3.0, 0.5)
    h = 0.1
    ds = simulate(
        p, 0.0, 10e-9, dt=0.5e-12, n_devices=10_000, seed=12, m0=[0, 0, -1], h_applied=(0.0, 0.0, h * float(p.hk_eff))
    )
    mz = ds.mz.isel(time=-1).values
    expected = fraction_up(3.0, h)
    assert abs((mz > 0).mean() - expected) < 4 * np.sqrt(expected * (1 - expected) / mz.size)
    assert stats.kstest(mz, _boltzmann_cdf(3.0, h)).pvalue > 1e-3


# 2. Kittel frequency and energy conservation -------------------------------------------
def test_small_angle_precession_at_kittel_frequency(bench):
    p = dataclasses.replace(bench, alpha=1e-6)
    theta = 0.02
    ds = simulate(p, 0.0, 2e-9, dt=0.25e-12, temperature=0.0, m0=tilt(theta), record_every=1e-12)
    phase = np.unwrap(np.arctan2(ds.my.values[0], ds.mx.values[0]))
    omega = abs(np.polyfit(ds.time.values, phase, 1)[0])
    # Precession about H = Hk mz z at polar angle theta: omega = gamma0 Hk cos(theta)/(1+alpha^2).
    # Heun's phase error per step is (omega dt)^3/6, a relative error (omega dt)^2/6 = 2e-5
    # at dt = 0.25 ps; the tolerance 1e-4 is five times that.
    expected = GAMMA0 * p.hk_eff * np.cos(theta) / (1 + p.alpha**2)
    assert omega == pytest.approx(expected, rel=1e-4)
    # and the device's Kittel frequency f_fmr is this simulated precession carried to the
    # zero-angle limit (divided by cos theta, undamped): same 1e-4 for the phase error
    assert omega * (1 + p.alpha**2) / np.cos(theta) / (2 * np.pi) == pytest.approx(p.f_fmr, rel=1e-4)


def _energy(ds, p, h):
    """Energy density / (mu0 Ms) [A/m]: -Hk mz^2 / 2 - H . m."""
    return -0.5 * p.hk_eff * ds.mz.values**2 - (h[0] * ds.mx.values + h[1] * ds.my.values + h[2] * ds.mz.values)


def test_energy_is_conserved_without_damping(bench):
    # alpha -> 0 (1e-9), no current, no noise, an oblique field so the orbit is not a
    # circle about z.  Heun's energy error is O(dt^2) globally.
    p = dataclasses.replace(bench, alpha=1e-9)
    h = (0.3 * float(p.hk_eff), 0.0, 0.0)
    drifts = []
    for dt in (1e-12, 0.5e-12):
        ds = simulate(p, 0.0, 2e-9, dt=dt, temperature=0.0, m0=tilt(0.6), h_applied=h, record_every=10e-12)
        e = _energy(ds, p, h)[0]
        drifts.append(np.max(np.abs(e - e[0])) / float(p.hk_eff))
    assert drifts[0] < 1e-3
    # second order: halving dt divides the drift by about 4 (>= 3 allows for the
    # higher-order terms); damping alone (1e-9) would give a drift of ~1e-9.
    assert drifts[0] / drifts[1] > 3.0


def test_energy_decreases_with_damping(bench):
    p = dataclasses.replace(bench, alpha=0.05)
    h = (0.3 * float(p.hk_eff), 0.0, 0.0)
    ds = simulate(p, 0.0, 5e-9, dt=0.5e-12, temperature=0.0, m0=tilt(0.6), h_applied=h, record_every=5e-12)
    e = _energy(ds, p, h)[0]
    # monotone within rounding: dE/dt = -alpha gamma0 mu0 Ms V |m x H|^2 / (1 + alpha^2) <= 0
    assert np.all(np.diff(e) <= 1e-9 * float(p.hk_eff))
    assert e[-1] < e[0]


# 3. Critical current and growth rate (zero temperature) --------------------------------
def test_switches_above_and_not_below_ic0(bench):
    ic0 = float(bench.ic0)
    ds = simulate(bench, np.array([0.95, 1.05]) * ic0, 400e-9, dt=1e-12, n_devices=2, temperature=0.0, m0=tilt(0.05))
    assert not ds.switched.values[0] and ds.switched.values[1]
    assert ds.mz.values[0, -1] > 0.999  # relaxed back to +z below Ic0


def test_small_angle_growth_rate_above_ic0(bench):
    i = 1.5
    ds = simulate(bench, i * float(bench.ic0), 12e-9, dt=0.5e-12, temperature=0.0, m0=tilt(1e-4), record_every=20e-12)
    sin_theta = np.hypot(ds.mx.values[0], ds.my.values[0])
    window = sin_theta < 0.01  # small-angle regime: O(theta^2) = 1e-4 corrections
    rate = np.polyfit(ds.time.values[window], np.log(sin_theta[window]), 1)[0]
    # (i - 1) / tau_D (Sun 2000); tolerance 0.5 % covers the O(theta^2) nonlinearity
    # inside the window and the O(dt^2) integration error.
    assert rate == pytest.approx((i - 1) / bench.tau_d, rel=5e-3)


def test_zero_temperature_switching_time_matches_exact_formula(bench):
    for i in (1.5, 2.0, 3.0):
        ds = simulate(bench, i * float(bench.ic0), 30e-9, dt=0.5e-12, temperature=0.0, m0=tilt(0.01))
        exact = float(precessional_switching_time(bench, i * float(bench.ic0), 0.01))
        # O(dt^2) Heun error: (gamma0 Hk dt)^2 = 5e-4 at dt = 0.5 ps
        assert float(ds.t_switch[0]) == pytest.approx(exact, rel=1e-3)


# 4. Sun's mean switching time and Brown's escape time ------------------------------------
@pytest.mark.slow
def test_mean_switching_time_far_above_ic0(bench):
    i, n = 4.0, 4000
    ds = simulate(bench, i * float(bench.ic0), 15e-9, dt=0.5e-12, n_devices=n, seed=21)
    t = ds.t_switch.values
    assert np.all(np.isfinite(t))
    sem = t.std() / np.sqrt(n)
    exact = float(mean_switching_time(bench, i * float(bench.ic0), method="exact"))
    sun = float(mean_switching_time(bench, i * float(bench.ic0), method="sun"))
    # The Fokker-Planck first-passage time is exact for this model: 4 sigma plus 0.5 %
    # for the time step.
    assert abs(t.mean() - exact) < 4 * sem + 5e-3 * exact
    # Sun's formula neglects noise during the reversal and uses the small-angle
    # approximation of the exact trajectory, which overestimates by 4-20 %.
    assert 1.0 < sun / t.mean() < 1.2


@pytest.mark.slow
@pytest.mark.parametrize("delta,i", [(5.0, 0.0), (10.0, 0.2)])
def test_thermal_escape_time_matches_brown_within_its_accuracy(delta, i):
    p = small_device(delta, 0.5)
    current = i * float(p.ic0)
    level = -0.9  # first passage into the opposite well
    exact = float(first_passage_time(p, current, mz_target=level))
    brown = float(thermal_escape_time(p, current))
    n = 1500
    ds = simulate(p, current, 9 * exact, dt=0.25e-12, n_devices=n, seed=31, switch_level=level)
    t = ds.t_switch.values
    assert np.isfinite(t).mean() > 0.99  # exp(-9) of the devices may not have escaped
    # censored at 9 exact means: the mean of an exponential censored at 9 tau is
    # tau (1 - e^-9) (1 - 1.2e-4 relative), negligible.
    t = np.where(np.isfinite(t), t, 9 * exact)
    sem = t.std() / np.sqrt(n)
    assert abs(t.mean() - exact) < 4 * sem + 0.02 * exact  # 2 %: time-step bias at dt = 0.25 ps
    # Brown's high-barrier asymptote is low by (exact/brown - 1) (27 % at Delta = 5,
    # Coffey et al. 1994); the LLGS must sit at that distance from it, within 4 sigma.
    assert abs(t.mean() / brown - exact / brown) < 4 * sem / brown + 0.02 * exact / brown


# 5. Numerics: time-step convergence, norm, reproducibility -------------------------------
@pytest.mark.slow
def test_switched_fraction_converges_in_dt(bench):
    n = 4000
    fractions = []
    for dt, seed in ((1e-12, 1), (0.5e-12, 2)):
        ds = simulate(bench, 1.5 * float(bench.ic0), 10e-9, dt=dt, n_devices=n, seed=seed, m0=tilt(0.01))
        fractions.append(float(ds.switched.mean()))
    p = np.mean(fractions)
    assert abs(fractions[0] - fractions[1]) < 4 * np.sqrt(2 * p * (1 - p) / n)
    # and both agree with the cmtj Heun reference 0.752 +- 0.008 (3000 trajectories)
    for f in fractions:
        assert abs(f - 0.752) < 4 * np.hypot(0.008, np.sqrt(p * (1 - p) / n))


def test_norm_is_preserved_to_rounding(bench):
    ds = simulate(bench, 2 * float(bench.ic0), 5e-9, n_devices=50, seed=5, record_every=50e-12)
    norm = np.sqrt(ds.mx**2 + ds.my**2 + ds.mz**2)
    assert float(np.abs(norm - 1).max()) < 1e-14


def test_same_seed_same_numbers_any_thread_count(bench):
    kw = dict(n_devices=5000, seed=123, record_every=1e-9)
    a = simulate(bench, 1.5 * float(bench.ic0), 3e-9, threads=1, **kw)
    b = simulate(bench, 1.5 * float(bench.ic0), 3e-9, threads=2, **kw)
    c = simulate(bench, 1.5 * float(bench.ic0), 3e-9, n_devices=5000, seed=124, record_every=1e-9)
    np.testing.assert_array_equal(a.mz.values, b.mz.values)
    np.testing.assert_array_equal(a.t_switch.values, b.t_switch.values)
    assert not np.array_equal(a.mz.values, c.mz.values)
    assert a.attrs["seed"] == "123"


def test_output_carries_units_and_provenance(bench):
    ds = simulate(bench, 1e-5, 1e-10, n_devices=3, seed=0)
    assert missing_units(ds) == []
    for key in ("parameters", "seed", "spinaps_version", "citations"):
        assert ds.attrs[key]
    assert "Brown" in ds.attrs["citations"]
    assert set(ds.dims) == {"device", "time"} and ds.sizes["time"] == 2


def test_thermal_initial_state_follows_boltzmann_in_well(bench):
    p = small_device(10.0, 0.1)
    ds = simulate(p, 0.0, 0.25e-12, dt=0.25e-12, n_devices=20_000, seed=8)
    mz = ds.mz.values[:, 0]
    assert np.all(mz > 0)
    m2 = mz**2
    assert abs(m2.mean() - mz2_mean(10.0)) < 4 * m2.std() / np.sqrt(m2.size)


# drives and ensembles -----------------------------------------------------------------
def test_pulse_and_callable_drives_agree(bench):
    i = 2.0 * float(bench.ic0)
    kw = dict(dt=1e-12, temperature=0.0, m0=tilt(0.05), record_every=1e-9)
    a = simulate(bench, Pulse(i, t_pulse=3e-9), 6e-9, **kw)
    b = simulate(bench, lambda t: np.where(t < 3e-9, i, 0.0), 6e-9, **kw)
    c = simulate(bench, np.where(np.arange(6001) * 1e-12 < 3e-9, i, 0.0), 6e-9, **kw)
    np.testing.assert_allclose(a.mz.values, b.mz.values, atol=1e-12)
    np.testing.assert_allclose(a.mz.values, c.mz.values, atol=1e-12)
    assert float(a.current[-1]) == 0.0 and float(a.current[0]) == pytest.approx(i)


def test_ensemble_params_give_per_device_results(bench):
    # Larger devices need more current: at a fixed current, the smallest switches first.
    ens = dataclasses.replace(bench, diameter=np.array([30e-9, 40e-9, 60e-9]))
    ds = simulate(ens, 2.0 * float(bench.ic0), 30e-9, temperature=0.0, m0=tilt(0.05))
    t = ds.t_switch.values
    assert ds.sizes["device"] == 3
    assert t[0] < t[1] and not np.isfinite(t[2])  # 60 nm: Ic0 is 2.25x, so 2 Ic0(40 nm) is sub-critical


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(t_end=-1e-9), "t_end"),
        (dict(dt=0.0), "dt"),
        (dict(dt=1e-9), "dt"),
        (dict(temperature=-5.0), "temperature"),
        (dict(m0=[0, 0, 0]), "m0"),
        (dict(m0=np.ones((2, 3))), "m0"),
        (dict(n_devices=0), "n_devices"),
        (dict(current=float("nan")), "current"),
        (dict(current=np.ones(7)), "current array"),
        (dict(stt_form="magic"), "stt_form"),
        (dict(switch_level=1.5), "switch_level"),
    ],
)
def test_bad_input_gives_clear_errors(bench, kwargs, match):
    args = dict(current=1e-5, t_end=1e-10)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        simulate(bench, args.pop("current"), args.pop("t_end"), **args)


def test_slonczewski_angular_efficiency_favours_ap_to_p(bench):
    # eta = P / (1 + P^2 cos theta): AP->P starts at cos theta = -1 with eta = P/(1-P^2),
    # so it switches sooner than P->AP (eta = P/(1+P^2)) at the same current.
    kw = dict(dt=1e-12, temperature=0.0, m0=tilt(0.05), stt_form="slonczewski")
    i = 1.2 * float(bench.ic0)
    ap_p = float(simulate(bench, i, 40e-9, direction="ap_to_p", **kw).t_switch[0])
    p_ap = simulate(bench, i, 40e-9, direction="p_to_ap", **kw).t_switch.values[0]
    # P->AP needs (1 + P^2) Ic0 = 1.36 Ic0 at the start, so 1.2 Ic0 is sub-critical for it
    assert np.isfinite(ap_p) and not np.isfinite(p_ap)
