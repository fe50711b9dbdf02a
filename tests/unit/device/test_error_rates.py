"""Write error rates, pulse sizing, read disturb and retention (spinaps.device.error_rates)."""

import dataclasses
import threading
import warnings

import numpy as np
import pytest

from spinaps.device import (
    current_for_wer,
    preset,
    pulse_for_wer,
    read_disturb_probability,
    retention_failure_probability,
    write_error_rate,
)
from spinaps.device import fokker_planck as fp
from spinaps.device.switching import mean_first_passage_reduced

from .conftest import small_device


@pytest.fixture(scope="module")
def fast():
    """Delta = 20 and alpha = 0.05 on a 10 nm disk: tau_D = 54 ps, so a Monte Carlo of
    10^4 devices over several tau_D takes about a second."""
    return small_device(20.0, 0.05)


@pytest.mark.parametrize("criterion", ["first_passage", "end_state"])
@pytest.mark.parametrize("i, s", [(1.5, [2.0, 4.0, 8.0]), (3.0, [0.6, 1.2, 2.4])])
def test_fokker_planck_agrees_with_llg_monte_carlo(fast, criterion, i, s):
    """Where the Monte Carlo resolves the WER (>= 1e-4 with 10^4 samples), the
    Fokker-Planck value lies in its 99.9 % Wilson interval (fixed seed).  The
    collinear macrospin's m_z obeys Brown's 1-D equation exactly, so no model
    tolerance is added; dt = tau_D / 400 keeps the Heun bias far below the interval."""
    tau = float(fast.tau_d)
    current, t = i * float(fast.ic0), np.array(s) * tau
    mc = write_error_rate(
        fast, current, t, method="llg", n_samples=10_000, seed=3, dt=tau / 400, criterion=criterion, confidence=0.999
    )
    fpk = write_error_rate(fast, current, t, criterion=criterion)
    assert np.all(mc.values >= 1e-4)
    assert np.all((fpk.values >= mc.ci_low.values) & (fpk.values <= mc.ci_high.values)), (fpk.values, mc.values)


@pytest.mark.parametrize("direction", ["ap_to_p", "p_to_ap"])
def test_slonczewski_asymmetry_agrees_with_llg(fast, direction):
    """The angle-dependent efficiency enters both solvers the same way."""
    tau = float(fast.tau_d)
    t = np.array([2.0, 4.0]) * tau
    kw = dict(stt_form="slonczewski", direction=direction, criterion="end_state")
    mc = write_error_rate(
        fast, 1.5 * float(fast.ic0), t, method="llg", n_samples=10_000, seed=4, dt=tau / 400, confidence=0.999, **kw
    )
    fpk = write_error_rate(fast, 1.5 * float(fast.ic0), t, **kw)
    assert np.all((fpk.values >= mc.ci_low.values) & (fpk.values <= mc.ci_high.values)), (fpk.values, mc.values)


def test_wer_map_dims_units_and_monotonicity(bench):
    ic = float(bench.ic0)
    w = write_error_rate(bench, np.array([1.5, 2.0, 3.0]) * ic, np.array([5e-9, 10e-9, 30e-9]))
    assert w.dims == ("i_write", "t_pulse") and w.attrs["units"] == "1"
    assert w.attrs["method"] == "fokker_planck" and "Butler2012" in w.attrs["citation_keys"]
    assert np.all(np.diff(w.values, axis=0) < 0) and np.all(np.diff(w.values, axis=1) < 0)
    assert w.values.min() < 1e-15  # the map reaches the far tail


def test_zero_pulse_never_switches(bench):
    assert float(write_error_rate(bench, 2 * float(bench.ic0), 0.0)) == 1.0


def test_butler_closed_form_is_close_in_the_tail(bench):
    """Butler et al.'s closed form is an asymptotic approximation: in the tail it decays
    at exactly 2 (i - 1) / tau_D and lies within a factor 3 of the Fokker-Planck value
    (observed 1.8-2.0 at i = 2, s = 10-16)."""
    ic, tau = float(bench.ic0), float(bench.tau_d)
    t = np.array([10.0, 13.0, 16.0]) * tau
    butler = write_error_rate(bench, 2 * ic, t, method="butler").values
    ratio = butler / write_error_rate(bench, 2 * ic, t).values
    assert np.all((ratio > 1 / 3) & (ratio < 3))
    np.testing.assert_allclose(np.diff(np.log(butler)) / 3.0, -2.0, rtol=1e-6)


def test_ensemble_gives_each_devices_own_wer():
    devices = [small_device(d, 0.05) for d in (15.0, 20.0, 25.0)]
    ens = type(devices[0])(
        **{
            k: np.array([getattr(d, k) for d in devices]) if k == "ku" else getattr(devices[0], k)
            for k in devices[0].__dataclass_fields__
        }
    )
    current, t = 60e-6, np.array([0.1e-9, 0.3e-9])
    w = write_error_rate(ens, current, t)
    assert w.dims == ("device", "t_pulse")
    for k, d in enumerate(devices):
        np.testing.assert_allclose(w.isel(device=k).values, write_error_rate(d, current, t).values, rtol=1e-12)


@pytest.mark.parametrize("target", [1e-6, 1e-9, 1e-12])
def test_pulse_for_wer_round_trip(bench, target):
    """The pulse returned gives the target WER back to 1e-3 (the secant polish)."""
    currents = np.array([1.5, 3.0]) * float(bench.ic0)
    t = pulse_for_wer(bench, currents, target)
    assert t.attrs["units"] == "s" and np.all(np.isfinite(t.values))
    back = [float(write_error_rate(bench, c, tp)) for c, tp in zip(currents, t.values)]
    np.testing.assert_allclose(back, target, rtol=1e-3)
    assert t.values[0] > t.values[1]  # more current, shorter pulse


def test_current_for_wer_round_trip(bench):
    t = np.array([5e-9, 20e-9])
    current = current_for_wer(bench, t, 1e-12)
    back = [float(write_error_rate(bench, c, tp)) for c, tp in zip(current.values, t)]
    np.testing.assert_allclose(back, 1e-12, rtol=1e-3)
    assert current.values[0] > current.values[1] > float(bench.ic0)


def test_unreachable_target_gives_inf_with_a_warning(bench):
    with pytest.warns(UserWarning, match="never reach"):
        t = pulse_for_wer(bench, -float(bench.ic0), 1e-6)
    assert np.isinf(float(t))


def test_read_disturb_at_zero_current_is_retention(bench):
    t = np.array([1e-9, 1e-6])
    np.testing.assert_allclose(
        read_disturb_probability(bench, 0.0, t, method="fokker_planck").values,
        retention_failure_probability(bench, t, method="fokker_planck").values,
        rtol=1e-12,
    )


@pytest.mark.parametrize("i_read", [0.3, 0.6])
def test_read_disturb_follows_the_escape_rate_over_the_lowered_barrier(bench, i_read):
    """After the transient, a read current i < 1 flips the bit at the rate 1 / T, T the
    exact mean first-passage time to m_z = -1/2, past the current-shifted barrier top
    at m_z = i (the return flux is smaller by exp(-4 Delta i)): P(s) = 1 - exp(-s / T).
    Tolerance 1 %: the solver's accuracy."""
    tau = float(bench.tau_d)
    t_mfpt = float(mean_first_passage_reduced(float(bench.delta()), i_read, mz_target=-0.5))
    s = np.array([0.01, 0.02]) * t_mfpt
    assert s[0] > 20.0  # well past the relaxation transient
    p = read_disturb_probability(bench, i_read * float(bench.ic0), s * tau, method="fokker_planck").values
    expected = np.exp(-s[0] / t_mfpt) - np.exp(-s[1] / t_mfpt)
    assert p[1] - p[0] == pytest.approx(expected, rel=0.01)


def test_read_disturb_grows_with_read_current(bench):
    p = [float(read_disturb_probability(bench, f * float(bench.ic0), 10e-9)) for f in (0.0, 0.2, 0.4)]
    assert p[0] < p[1] < p[2]


def test_retention_matches_browns_thermal_limit(bench):
    """At zero current the Fokker-Planck flip probability and Brown's high-barrier
    escape law agree to the accuracy of the latter, O(1 / Delta) = 2 % at Delta = 50
    (tolerance 2 / Delta); observed 2.0 %."""
    t = np.array([1e-3, 1.0, 1e3])
    fpk = retention_failure_probability(bench, t, method="fokker_planck").values
    brown = retention_failure_probability(bench, t, method="thermal").values
    np.testing.assert_allclose(fpk, brown, rtol=2.0 / float(bench.delta()))


def test_retention_saturates_at_one_half_over_geological_times(fast):
    p = retention_failure_probability(fast, 1e6 * 3.15e7, method="fokker_planck")
    assert float(p) == pytest.approx(0.5, abs=1e-6)


def test_retention_at_elevated_temperature_is_a_one_liner(bench):
    """Ten years at 85 C: with a temperature law the barrier drops through Ms(T) and
    Ku(T) as well as through k_B T, so the failure is larger than with k_B T alone."""
    hot = bench.__class__(**{**{k: getattr(bench, k) for k in bench.__dataclass_fields__}, "curie_temperature": 1100.0})
    ten_years = 10 * 365.25 * 86400.0
    room = float(retention_failure_probability(hot, ten_years))
    kt_only = float(retention_failure_probability(bench, ten_years, temperature=358.15))
    at_85 = float(retention_failure_probability(hot, ten_years, temperature=358.15))
    assert room < kt_only < at_85


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda p: write_error_rate(p, 1e-4, 1e-9, method="magic"), "method"),
        (lambda p: write_error_rate(p, 1e-4, 1e-9, criterion="halfway"), "criterion"),
        (lambda p: write_error_rate(p, 1e-4, -1e-9), "t_pulse"),
        (lambda p: write_error_rate(p, 1e-4, 1e-9, temperature=-5.0), "temperature"),
        (lambda p: write_error_rate(p, np.nan, 1e-9), "i_write"),
        (lambda p: pulse_for_wer(p, 1e-4, 2.0), "target"),
        (lambda p: current_for_wer(p, 1e-9, 0.0), "target"),
        (lambda p: current_for_wer(p, 1e-9, 1e-6, threads=0), "threads"),
        (lambda p: read_disturb_probability(p, 2 * float(p.ic0), 1e-9), "i_read"),
        (lambda p: retention_failure_probability(p, -1.0), "t_storage"),
        (lambda p: retention_failure_probability(p, 1.0, method="magic"), "method"),
    ],
)
def test_bad_input_gives_clear_errors(bench, call, match):
    with pytest.raises(ValueError, match=match):
        call(bench)


def test_no_warning_on_a_plain_map(bench):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_error_rate(bench, np.linspace(1.2, 3.0, 4) * float(bench.ic0), np.geomspace(1e-9, 3e-8, 5))


def test_flip_probabilities_are_named_as_in_the_glossary(bench):
    """docs/glossary.md names them ``retention_failure`` and ``read_disturb``, by either method."""
    for method in ("fokker_planck", "thermal"):
        assert retention_failure_probability(bench, 1.0, method=method).name == "retention_failure"
        assert read_disturb_probability(bench, 0.1 * float(bench.ic0), 1e-9, method=method).name == "read_disturb"


def test_current_for_wer_solves_the_pulse_widths_in_threads(bench, monkeypatch):
    """With threads = 2 the pulse widths are solved in worker threads (not the caller's),
    and the currents are identical to one thread's (each pulse width is its own root
    search)."""
    seen, solve = set(), fp.solve_reduced

    def spy(*args, **kwargs):
        seen.add(threading.get_ident())
        return solve(*args, **kwargs)

    monkeypatch.setattr(fp, "solve_reduced", spy)
    t = np.array([5e-9, 10e-9, 20e-9])
    one = current_for_wer(bench, t, 1e-9, threads=1)
    assert seen == {threading.get_ident()}
    seen.clear()
    two = current_for_wer(bench, t, 1e-9, threads=2)
    assert seen and threading.get_ident() not in seen and len(seen) <= 2
    np.testing.assert_array_equal(one.values, two.values)


def test_current_for_wer_warns_for_each_unreached_pulse_width_in_threads(bench):
    """Warnings of the worker threads' pulse widths reach the caller, one per pulse width."""
    with pytest.warns(UserWarning, match="not reached") as record:
        i = current_for_wer(bench, [1e-12, 2e-12], 1e-9, i_max=1.5, threads=2)
    assert np.all(np.isinf(i.values)) and len(record) == 2 and record[0].filename == __file__


@pytest.mark.parametrize("method", ["precessional", "thermal", "auto", "butler", "llg"])
def test_methods_without_the_fokker_planck_grid_warn_about_n_cells(fast, method):
    """``n_cells`` sets the Fokker-Planck grid: the other methods cannot honour it and say
    so (the warning points at the caller)."""
    i = (0.5 if method == "thermal" else 2.5) * float(fast.ic0)
    with pytest.warns(UserWarning, match="n_cells") as record:
        tau = float(fast.tau_d)
        write_error_rate(fast, i, 5 * tau, method=method, n_cells=400, n_samples=10, seed=1, dt=tau / 400)
    assert any(r.filename == __file__ and "n_cells" in str(r.message) for r in record)


@pytest.mark.parametrize("method", ["precessional", "thermal", "auto", "butler"])
def test_default_arguments_of_the_analytic_methods_do_not_warn(bench, method):
    """Defaults stay silent; ``criterion="first_passage"`` is what these methods compute."""
    i = (0.3 if method == "thermal" else 3.0) * float(bench.ic0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wer = write_error_rate(bench, i, 5e-9, method=method)
        write_error_rate(bench, i, 5e-9, method=method, criterion="first_passage", threads=1)
    assert wer.attrs["criterion"] == "first_passage"


# (``criterion`` of retention and read disturb is now a deprecated way of choosing
# ``quantity``, which the thermal method honours: see test_fixes_flip_quantities.py.)
@pytest.mark.parametrize("kwargs", [{"n_cells": 400}, {"stt_form": "slonczewski", "direction": "p_to_ap"}])
def test_thermal_flip_probabilities_warn_about_fokker_planck_arguments(bench, kwargs):
    """``method="thermal"`` cannot honour the Fokker-Planck criterion, grid or torque form."""
    name = next(iter(kwargs))
    with pytest.warns(UserWarning, match=name) as record:
        read_disturb_probability(bench, 0.1 * float(bench.ic0), 1e-9, method="thermal", **kwargs)
    assert record[0].filename == __file__
    if name != "stt_form":
        with pytest.warns(UserWarning, match=name):
            retention_failure_probability(bench, 1.0, method="thermal", **kwargs)


def test_thermal_flip_probabilities_with_defaults_do_not_warn(bench):
    calibrated = dataclasses.replace(bench, attempt_time=1e-9)  # "thermal" is then the default method
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        retention_failure_probability(bench, 1.0, method="thermal", threads=1)
        read_disturb_probability(bench, 0.1 * float(bench.ic0), 1e-9, method="thermal", direction="p_to_ap")
        retention_failure_probability(calibrated, 1.0)
        read_disturb_probability(calibrated, 0.1 * float(bench.ic0), 1e-9)


@pytest.fixture(scope="module")
def strong():
    """I_c0 = 1.8 mA (alpha = 0.7, 60 nm, Delta = 58 with the cylinder's demagnetising
    factors): 1.5 A is 813 I_c0, inside the solver's reduced range, so only a check in
    amperes rejects it."""
    p = dataclasses.replace(preset("Ikeda2010"), alpha=0.7, diameter=60e-9)
    assert 1.5 < 1e3 * float(p.ic0)
    return p


@pytest.mark.parametrize("method", ["fokker_planck", "butler", "llg", "precessional", "thermal", "auto"])
def test_every_method_checks_i_write_in_amperes(strong, method):
    with pytest.raises(ValueError, match=r"i_write = 1\.5 A .*\[-1, 1\] A"):
        write_error_rate(strong, 1.5, 1e-9, method=method)


def test_pulse_for_wer_checks_i_write_in_amperes(strong):
    with pytest.raises(ValueError, match=r"i_write = -1\.5 A .*\[-1, 1\] A"):
        pulse_for_wer(strong, [1e-3, -1.5], 1e-6)
