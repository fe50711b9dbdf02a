"""Temperature law of MTJParams: Bloch Ms(T), Callen-Callen Ku(T), Shang TMR(T)."""

from dataclasses import replace

import numpy as np
import pytest

T_C = 1100.0  # an assumed effective Curie temperature for these tests [K]


@pytest.fixture
def hot(bench):
    return replace(bench, curie_temperature=T_C, tmr_bloch_coefficient=2e-5)


def test_without_a_law_only_kT_changes(bench):
    assert bench.at_temperature(400.0) is bench
    assert float(bench.delta(400.0)) == pytest.approx(float(bench.delta(300.0)) * 300.0 / 400.0, rel=1e-12)


def test_bloch_law(hot):
    """M_s(T) follows Bloch's T^(3/2) law, checked by its properties rather than its
    formula: the ratio is 1 at t_ref and larger below; the deficit 1 - M_s(T) / M_s(0)
    has log-log slope 3/2 (50 ... 1000 K; an exact law, so 1e-12); M_s vanishes at T_C,
    where the law is refused."""
    assert float(hot.ms_ratio(300.0)) == 1.0 and float(hot.ms_ratio(0.0)) > 1.0
    t = np.array([50.0, 200.0, 500.0, 1000.0])
    deficit = 1.0 - hot.ms_ratio(t) / hot.ms_ratio(0.0)
    np.testing.assert_allclose(np.diff(np.log(deficit)) / np.diff(np.log(t)), 1.5, rtol=1e-12)
    assert hot.ms_ratio(T_C - 1e-6) == pytest.approx(0.0, abs=1e-8)
    with pytest.raises(ValueError, match="temperature"):
        hot.ms_ratio(T_C)


@pytest.mark.parametrize("n", [2.0, 2.5, 3.0])
def test_anisotropy_follows_ms_to_the_n(hot, n):
    p = replace(hot, anisotropy_exponent=n)
    q = p.at_temperature(400.0)
    r = float(q.ms / p.ms)
    assert float(q.ku / p.ku) == pytest.approx(r**n, rel=1e-14)
    # Delta(T) from the parameters at T equals the law evaluated from t_ref.
    assert float(q.delta(400.0)) == pytest.approx(float(p.delta(400.0)), rel=1e-12)


def test_delta_and_ic0_fall_with_temperature(hot):
    temps = np.array([250.0, 300.0, 358.15, 398.15, 500.0])
    deltas = hot.delta(temps)
    ic0s = np.array([float(hot.at_temperature(t).ic0) for t in temps])
    assert np.all(np.diff(deltas) < 0) and np.all(np.diff(ic0s) < 0)
    # Faster than 1 / T alone, since K_eff falls too.
    assert deltas[-1] / deltas[1] < 300.0 / 500.0


def test_at_temperature_is_idempotent_and_reversible(hot):
    q = hot.at_temperature(400.0)
    assert q.t_ref == 400.0
    for name in ("ms", "ku", "tmr0"):
        assert float(getattr(q.at_temperature(400.0), name)) == pytest.approx(float(getattr(q, name)), rel=1e-14)
        assert float(getattr(q.at_temperature(300.0), name)) == pytest.approx(float(getattr(hot, name)), rel=1e-12)


def test_tmr_follows_julliere_with_bloch_polarisation(hot):
    """TMR(T) = 2 P^2 / (1 - P^2) with P(T) = P_0 (1 - a T^1.5) (Shang et al. 1998),
    checked from the outputs: the polarisation Julliere's formula gives back from each
    TMR(T) lies on a straight line in T^1.5 whose slope / intercept is -a (least squares
    through four temperatures; the law is exact, so 1e-9 for the fit's rounding); the
    TMR at t_ref is tmr0 and it falls with temperature."""
    a = 2e-5
    temps = np.array([4.0, 100.0, 300.0, 400.0])
    tmr = np.array([float(hot.at_temperature(t).tmr0) for t in temps])
    pol = np.sqrt(tmr / (2.0 + tmr))  # Julliere's formula inverted
    slope, intercept = np.polyfit(temps**1.5, pol, 1)
    np.testing.assert_allclose(np.polyval([slope, intercept], temps**1.5), pol, rtol=1e-12)
    assert slope / intercept == pytest.approx(-a, rel=1e-9)
    assert np.all(np.diff(tmr) < 0) and tmr[2] == pytest.approx(float(hot.tmr0), rel=1e-12)


def test_ensemble_at_temperature(hot):
    ens = replace(hot, curie_temperature=np.array([900.0, 1100.0, 1300.0]))
    d = ens.delta(358.15)
    assert d.shape == (3,) and np.all(np.diff(d) > 0)  # higher T_C, less loss of barrier


@pytest.mark.parametrize(
    "field, value, match",
    [
        ("curie_temperature", 250.0, "curie_temperature"),
        ("tmr_bloch_coefficient", 1e-3, "tmr_bloch_coefficient"),
        ("anisotropy_exponent", -1.0, "anisotropy_exponent"),
        ("t_ref", -1.0, "t_ref"),
    ],
)
def test_bad_temperature_law_is_named(bench, field, value, match):
    with pytest.raises(ValueError, match=match):
        replace(bench, **{field: value})


def test_law_that_makes_the_layer_in_plane_is_reported(bench):
    """Near T_C, K_u ~ M_s^3 falls below mu0 M_s^2 / 2 for this layer: a clear error."""
    p = replace(bench, curie_temperature=700.0, anisotropy_exponent=3.0)
    with pytest.raises(ValueError, match="temperature = 690 K"):
        p.at_temperature(690.0)
