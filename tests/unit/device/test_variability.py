"""Device-to-device variability: sampling, ensemble summaries and worst-of-n pulses.

Statistical checks use fixed seeds and bounds of K_SIGMA standard errors of the
estimator being checked, so a correct implementation fails them with probability
below 1e-6 per check (and, the seeds being fixed, never spuriously on a given
platform), while a wrong parametrisation (e.g. sigma instead of sigma^2 in the
log-normal mean) is many standard errors off at these sample sizes.
"""

import dataclasses

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from spinaps import citations
from spinaps.constants import MU0
from spinaps.device import DEFAULT_PRESET, preset, pulse_for_wer, write_error_rate
from spinaps.device.demag import demag_factor_difference
from spinaps.device.variability import (
    _BOUNDS,
    VARIABLE_FIELDS,
    invalid_masks,
    sample_variability,
    summarize,
    worst_of_n,
    worst_of_n_pulse,
)

K_SIGMA = 5.0  # width of the statistical acceptance bands, in standard errors
N_LARGE = 20000  # devices for the moment checks: relative standard error cv / 141

# Spreads chosen so that truncation is negligible: the valid-range edges are > 8 sigma
# away, except K_eff = K_u - mu0 Ms^2 / 2, which the 1 % spreads of K_u and M_s scatter
# by about 22 % for the Ikeda device (K_u / K_eff = 11), putting K_eff <= 0 at 4.5 sigma
# (about 0.07 of 20000 devices expected).
ALL_FIELDS_SPREAD = {
    "diameter": 0.05,
    "thickness": 0.05,
    "ms": 0.01,
    "ku": 0.01,
    "alpha": 0.1,
    "ra": 0.1,
    "tmr0": 0.1,
    "polarization": 0.1,
    "v_half": 0.1,
}


@pytest.fixture(scope="module")
def nominal():
    return preset(DEFAULT_PRESET)


def _std_error_of_std(x):
    """Standard error of the sample standard deviation, sqrt((m4 - s^4) / (4 n s^2)),
    from the sample's own fourth central moment (valid for any finite-kurtosis law)."""
    d = x - x.mean()
    s2 = np.mean(d**2)
    return np.sqrt((np.mean(d**4) - s2**2) / (4 * x.size * s2))


# --------------------------------------------------------------------------- sampling
@pytest.mark.parametrize("distribution", ["normal", "lognormal"])
def test_sampled_mean_and_relative_spread_match_request(nominal, distribution):
    # A bulk anisotropy (interfacial_fraction = 0) keeps K_u independent of the drawn
    # thickness, so every field's marginal is the requested one (with the default
    # interfacial origin K_u follows the thickness: test_anisotropy_origin.py).
    nominal = dataclasses.replace(nominal, interfacial_fraction=0.0)
    ens = sample_variability(nominal, N_LARGE, spread=ALL_FIELDS_SPREAD, seed=11, distribution=distribution)
    assert ens.n_devices == N_LARGE
    for name, cv in ALL_FIELDS_SPREAD.items():
        x = getattr(ens, name) / getattr(nominal, name)
        assert x.shape == (N_LARGE,)
        # Both laws have mean = nominal: the sample mean has standard error cv / sqrt(n).
        assert abs(x.mean() - 1.0) < K_SIGMA * cv / np.sqrt(N_LARGE), name
        assert abs(x.std() - cv) < K_SIGMA * _std_error_of_std(x), name
    # Fields not in spread stay scalar.
    assert ens.field_like_ratio == nominal.field_like_ratio and np.ndim(ens.t_ref) == 0


def test_lognormal_parametrisation(nominal):
    cv = 0.5  # wide enough that mu = ln(nominal) - s^2/2 differs from ln(nominal) by 8 standard errors
    ens = sample_variability(nominal, N_LARGE, spread={"diameter": cv}, seed=5, distribution="lognormal")
    s2 = np.log1p(cv**2)
    log_d = np.log(ens.diameter)
    # ln d ~ N(mu, s^2): the mean of ln d has standard error s / sqrt(n), its std s / sqrt(2 n).
    assert abs(log_d.mean() - (np.log(nominal.diameter) - s2 / 2)) < K_SIGMA * np.sqrt(s2 / N_LARGE)
    assert abs(log_d.std() - np.sqrt(s2)) < K_SIGMA * np.sqrt(s2 / (2 * N_LARGE))
    # ...so that the mean of d is the nominal value (standard error cv / sqrt(n) relative).
    assert abs(ens.diameter.mean() / nominal.diameter - 1) < K_SIGMA * cv / np.sqrt(N_LARGE)
    # Normality of ln d (Kolmogorov-Smirnov at the 1e-6 level).
    assert stats.kstest(log_d, "norm", args=(np.log(nominal.diameter) - s2 / 2, np.sqrt(s2))).pvalue > 1e-6


def test_per_field_distribution_override(nominal):
    # thickness is normal (override), diameter log-normal (default).  The normal law is
    # symmetric: its sample skewness has standard error sqrt(6 / n) = 0.017.  The
    # log-normal one with cv = 0.4 has skewness 3 cv + cv^3 = 1.26, far above 1 compared
    # with the standard error of its sample skewness (about 0.05 at n = 20000).  Bulk
    # anisotropy: an interfacial one would truncate (in-plane) the thick tail.
    nominal = dataclasses.replace(nominal, interfacial_fraction=0.0)
    ens = sample_variability(nominal, N_LARGE, spread={"diameter": 0.4, "thickness": (0.2, "normal")}, seed=2)
    assert abs(stats.skew(ens.thickness)) < K_SIGMA * np.sqrt(6 / N_LARGE)
    assert stats.skew(ens.diameter) > 1.0


@pytest.mark.parametrize("rho", [-0.6, 0.3, 0.8])
def test_correlation_is_recovered(nominal, rho):
    # Bulk anisotropy, so that no thick device is truncated as in-plane (which would
    # bias the correlation).
    nominal = dataclasses.replace(nominal, interfacial_fraction=0.0)
    ens = sample_variability(
        nominal,
        N_LARGE,
        spread={"diameter": 0.05, "thickness": 0.05, "ra": 0.1},
        correlation={("diameter", "thickness"): rho},
        seed=3,
    )
    # Gaussian copula with log-normal marginals: (ln d, ln t) is bivariate normal with
    # correlation rho; the sample Pearson r has standard error (1 - rho^2) / sqrt(n).
    r = np.corrcoef(np.log(ens.diameter), np.log(ens.thickness))[0, 1]
    assert abs(r - rho) < K_SIGMA * (1 - rho**2) / np.sqrt(N_LARGE)
    # Unnamed pairs stay uncorrelated (standard error 1 / sqrt(n)).
    r0 = np.corrcoef(np.log(ens.diameter), np.log(ens.ra))[0, 1]
    assert abs(r0) < K_SIGMA / np.sqrt(N_LARGE)


def test_correlation_matrix_equals_pair_dict(nominal):
    spread = {"ms": 0.01, "ku": 0.01, "alpha": 0.1}
    matrix = [[1.0, 0.9, 0.0], [0.9, 1.0, -0.2], [0.0, -0.2, 1.0]]
    pairs = {("ku", "ms"): 0.9, ("alpha", "ku"): -0.2}  # either order of a pair
    a = sample_variability(nominal, 500, spread=spread, correlation=matrix, seed=4)
    b = sample_variability(nominal, 500, spread=spread, correlation=pairs, seed=4)
    for name in spread:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_normal_correlation_of_values(nominal):
    ens = sample_variability(
        nominal,
        N_LARGE,
        spread={"alpha": 0.1, "polarization": 0.05},
        distribution="normal",
        correlation={("alpha", "polarization"): 0.5},
        seed=8,
    )
    # Normal marginals are affine in the copula normals: Pearson r of the values is rho.
    r = np.corrcoef(ens.alpha, ens.polarization)[0, 1]
    assert abs(r - 0.5) < K_SIGMA * 0.75 / np.sqrt(N_LARGE)


def test_derived_quantities_follow_each_devices_fields(nominal):
    ens = sample_variability(nominal, 300, spread=ALL_FIELDS_SPREAD, seed=9)
    delta, ic0, r_ap, tau_d = ens.delta(300.0), ens.ic0, ens.r_ap, ens.tau_d
    for i in (0, 17, 299):
        dev = ens.device(i)
        assert delta[i] == pytest.approx(float(dev.delta(300.0)), rel=1e-12)
        assert ic0[i] == pytest.approx(dev.ic0, rel=1e-12)
        assert r_ap[i] == pytest.approx(dev.r_ap, rel=1e-12)
        assert tau_d[i] == pytest.approx(dev.tau_d, rel=1e-12)


def test_geometry_spread_scales_derived_quantities(nominal):
    # Only the diameter varies: Delta and I_c0 are proportional to K_eff(d) d^2, with
    # K_eff(d) = K_u - (mu0 Ms^2 / 2)(N_zz - N_xx)(t / d) (cylinder factors), and R_P to
    # 1 / d^2, exactly.
    ens = sample_variability(nominal, 1000, spread={"diameter": 0.1}, seed=1)
    d2 = (ens.diameter / nominal.diameter) ** 2
    k_eff = nominal.ku - 0.5 * MU0 * nominal.ms**2 * demag_factor_difference(ens.diameter, nominal.thickness)
    scale = d2 * k_eff / nominal.k_eff
    np.testing.assert_allclose(ens.delta(300.0) / scale, float(nominal.delta(300.0)), rtol=1e-12)
    np.testing.assert_allclose(ens.ic0 / scale, nominal.ic0, rtol=1e-12)
    np.testing.assert_allclose(ens.r_p * d2, nominal.r_p, rtol=1e-12)
    # With a 5 % damping spread as well, I_c0 (proportional to alpha K_eff d^2) stays
    # dominated by K_eff d^2 (relative spread 0.1 here, measured above): expected
    # Pearson r = 0.1 / sqrt(0.1^2 + 0.05^2) = 0.89.
    ens = sample_variability(nominal, 1000, spread={"diameter": 0.1, "alpha": 0.05}, seed=1)
    k_eff = nominal.ku - 0.5 * MU0 * nominal.ms**2 * demag_factor_difference(ens.diameter, nominal.thickness)
    assert np.corrcoef(ens.ic0, ens.diameter**2 * k_eff)[0, 1] > 0.8


def test_reproducible_from_seed(nominal):
    spread = {"diameter": 0.05, "ku": 0.01}
    a = sample_variability(nominal, 100, spread=spread, seed=123)
    b = sample_variability(nominal, 100, spread=spread, seed=123)
    c = sample_variability(nominal, 100, spread=spread, seed=124)
    d = sample_variability(nominal, 100, spread=spread, seed=np.random.SeedSequence(123))
    np.testing.assert_array_equal(a.diameter, b.diameter)
    np.testing.assert_array_equal(a.ku, b.ku)
    np.testing.assert_array_equal(a.diameter, d.diameter)
    assert not np.any(a.diameter == c.diameter)


def test_single_device_ensemble(nominal):
    ens = sample_variability(nominal, 1, spread={"alpha": 0.1})
    assert ens.n_devices == 1 and ens.alpha.shape == (1,)


def test_zero_spread_gives_the_nominal_value(nominal):
    ens = sample_variability(nominal, 10, spread={"alpha": 0.0, "ra": (0.0, "normal")})
    np.testing.assert_array_equal(ens.alpha, nominal.alpha)
    np.testing.assert_array_equal(ens.ra, nominal.ra)


def test_truncation_keeps_every_device_valid(nominal):
    # Untruncated, alpha (normal, 90 %) would be negative for 13 % of the devices,
    # P = 0.555 (normal, 50 %) above 1 for 5 % and below 0 for 1.3 %, and K_u
    # (log-normal, 10 %) below the demagnetising energy (in-plane) for 18 %.
    ens = sample_variability(
        nominal,
        5000,
        spread={"alpha": 0.9, "polarization": 0.5, "ku": (0.1, "lognormal")},
        distribution="normal",
        seed=6,
    )
    assert np.all(ens.alpha > 0) and np.all(ens.alpha < 1)
    assert np.all(ens.polarization > 0) and np.all(ens.polarization <= 1)
    assert np.all(ens.ku > 0.5 * MU0 * ens.ms**2 * ens.demag_factor_difference)
    # The documented bias: dropping the negative tail raises the mean of alpha.
    assert ens.alpha.mean() > nominal.alpha * 1.05


def test_mostly_invalid_spread_is_rejected(nominal):
    # A 90 % log-normal K_u spread makes about 60 % of the devices in-plane.
    with pytest.raises(ValueError, match=r"spread: .*% of the sampled devices are invalid.*in-plane"):
        sample_variability(nominal, 100, spread={"ku": 0.9})


@pytest.mark.parametrize("field", list(_BOUNDS))
def test_bounds_table_matches_mtjparams(nominal, field):
    # The vectorised validity check must accept exactly what MTJParams accepts, at and
    # just inside every bound.
    low, high = _BOUNDS[field][:2]
    for value in (low, np.nextafter(low, np.inf), high, np.nextafter(high, -np.inf)):
        masks = invalid_masks({field: np.array([value])}, nominal, 1)
        table_ok = not any(bool(m[0]) for m in masks.values())
        try:
            dataclasses.replace(nominal, **{field: value})
            mtj_ok = True
        except ValueError:
            mtj_ok = False
        assert table_ok == mtj_ok, (field, value)
    assert set(_BOUNDS) == set(VARIABLE_FIELDS)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"n": 0}, r"n = 0 is outside the allowed range \[1, inf\)"),
        ({"n": 2.5}, r"n must be an integer"),
        ({"n": True}, r"n must be an integer"),
        ({"spread": {"alpha": -0.1}}, r"spread\['alpha'\] = -0.1 .*outside the allowed range \[0, 1\)"),
        ({"spread": {"alpha": 1.0}}, r"spread\['alpha'\] = 1.0"),
        ({"spread": {"alpha": (0.1, "uniform")}}, r"distribution of spread\['alpha'\] = 'uniform'"),
        ({"spread": {"alpha": (0.1,)}}, r"spread\['alpha'\] must be sigma_rel or"),
        ({"spread": {"damping": 0.1}}, r"spread has unknown field 'damping'; allowed: diameter, thickness"),
        ({"spread": {}}, r"spread must be a non-empty dict"),
        ({"distribution": "gamma"}, r"distribution = 'gamma'; allowed: normal, lognormal"),
        ({"correlation": {("alpha", "ra"): 0.5}}, r"correlation names 'ra', not in spread"),
        ({"correlation": {("alpha", "ms"): 1.5}}, r"correlation\[\('alpha', 'ms'\)\] = 1.5 .*\[-1, 1\]"),
        ({"correlation": {("alpha", "alpha"): 0.5}}, r"correlation keys must be pairs"),
        ({"correlation": {("alpha", "ms"): 0.5, ("ms", "alpha"): 0.4}}, r"given twice"),
        ({"correlation": [[1.0, 0.5]]}, r"correlation must be .* 2 x 2 matrix"),
        ({"correlation": [[1.0, 0.5], [0.4, 1.0]]}, r"correlation matrix must be symmetric"),
        ({"correlation": [[1.0, 1.0], [1.0, 1.0]]}, r"correlation matrix .* not positive definite"),
    ],
)
def test_bad_inputs_name_the_parameter(nominal, kwargs, match):
    args = {"n": 10, "spread": {"alpha": 0.1, "ms": 0.01}, **kwargs}
    with pytest.raises(ValueError, match=match):
        sample_variability(nominal, args.pop("n"), **args)


def test_non_positive_definite_pair_correlations_are_rejected(nominal):
    # Pairwise valid (|rho| <= 1) but jointly impossible: a ~ b, b ~ c, a anti c.
    corr = {("diameter", "thickness"): 0.9, ("thickness", "ra"): 0.9, ("diameter", "ra"): -0.9}
    with pytest.raises(ValueError, match="not positive definite"):
        sample_variability(nominal, 10, spread={"diameter": 0.1, "thickness": 0.1, "ra": 0.1}, correlation=corr)


def test_ensemble_input_is_rejected(nominal):
    ens = sample_variability(nominal, 4, spread={"alpha": 0.1})
    with pytest.raises(ValueError, match=r"params must be a single nominal device .* 4 device\(s\).*alpha"):
        sample_variability(ens, 10, spread={"ra": 0.1})
    with pytest.raises(TypeError, match="params must be an MTJParams"):
        sample_variability({"alpha": 0.01}, 10, spread={"ra": 0.1})


# --------------------------------------------------------------------------- summarize
def test_summarize_matches_numpy(nominal):
    ens = sample_variability(nominal, 2000, spread=ALL_FIELDS_SPREAD, seed=10)
    q = (0.001, 0.05, 0.5, 0.999)
    ds = summarize(ens, temperature=350.0, quantiles=q)
    np.testing.assert_array_equal(ds["quantile"].values, q)
    hot = ens.at_temperature(350.0)  # the TMR of the preset follows its temperature law
    expected = {"delta": ens.delta(350.0), "ic0": hot.ic0, "r_p": hot.r_p, "r_ap": hot.r_ap, "tau_d": hot.tau_d}
    units = {"delta": "1", "ic0": "A", "r_p": "ohm", "r_ap": "ohm", "tau_d": "s"}
    for name, x in expected.items():
        np.testing.assert_allclose(ds[f"{name}_quantile"].values, np.quantile(x, q), rtol=1e-12)
        assert float(ds[f"{name}_mean"]) == pytest.approx(np.mean(x), rel=1e-12)
        assert float(ds[f"{name}_std"]) == pytest.approx(np.std(x), rel=1e-12)
        for suffix in ("mean", "std", "quantile"):
            assert ds[f"{name}_{suffix}"].attrs["units"] == units[name]
    assert ds["quantile"].attrs["units"] == "1"
    assert ds.attrs["n_devices"] == 2000 and ds.attrs["temperature"] == 350.0


def test_summarize_cites_the_works_of_its_quantities(nominal, bench):
    """I_c0 and tau_D are the macrospin's (Sun 2000); with a TMR temperature law (the
    default preset has one) R_AP follows Julliere's polarisation and Shang's law.  The
    keys are stored and registered, as for every other device output."""
    citations.reset()
    with_law = summarize(sample_variability(nominal, 20, spread={"diameter": 0.05}, seed=1), temperature=350.0)
    assert with_law.attrs["citation_keys"].split(", ") == ["Sun2000", "Julliere1975", "Shang1998"]
    assert set(citations.used()) == {"Sun2000", "Julliere1975", "Shang1998"}
    without = summarize(sample_variability(bench, 20, spread={"diameter": 0.05}, seed=1))
    assert bench.tmr_bloch_coefficient is None and without.attrs["citation_keys"] == "Sun2000"


def test_summarize_write_error_rate(nominal):
    ens = sample_variability(nominal, 50, spread={"diameter": 0.05}, seed=12)
    wer = write_error_rate(ens, [1.5 * nominal.ic0, 2 * nominal.ic0], 5e-9, method="butler")
    ds = summarize(ens, wer=wer, quantiles=(0.5, 0.99))
    assert ds["wer_quantile"].dims == ("quantile", "i_write")
    np.testing.assert_allclose(
        ds["wer_quantile"].values,
        np.quantile(wer.transpose("device", "i_write").values, (0.5, 0.99), axis=0),
        rtol=1e-12,
    )
    assert ds["wer_mean"].attrs["units"] == "1"
    with pytest.raises(ValueError, match="wer must be an xarray.DataArray with a 'device' dimension"):
        summarize(ens, wer=wer.isel(device=0))
    with pytest.raises(ValueError, match="wer has 49 devices but params has 50"):
        summarize(ens, wer=wer.isel(device=slice(1, None)))
    with pytest.raises(ValueError, match=r"quantiles = 1.5"):
        summarize(ens, quantiles=(0.5, 1.5))


# --------------------------------------------------------------------------- worst of n
@pytest.fixture(scope="module")
def pulses(nominal):
    """Per-device pulses (WER = 1e-4 at twice the nominal I_c0) of 200 sampled devices.

    The ensemble is above pulse_for_wer's direct-solve limit, so this uses its
    interpolation table (about 5 s).
    """
    ens = sample_variability(nominal, 200, spread={"diameter": 0.05, "thickness": 0.03, "alpha": 0.1}, seed=21)
    return pulse_for_wer(ens, 2 * nominal.ic0, 1e-4)


def test_worst_of_one_at_even_odds_is_the_median(pulses):
    out = worst_of_n(pulses, 1, confidence=0.5)
    assert float(out) == pytest.approx(float(np.median(pulses.values)), rel=1e-12)
    assert out.attrs["method"] == "empirical" and out.attrs["n_samples"] == 200
    assert out.attrs["units"] == "s"


def test_worst_of_n_grows_with_array_size_and_confidence(pulses):
    # Within the sample (q = 0.5^(1/n) <= 1 - 1/201 up to n = 138) ...
    empirical = [float(worst_of_n(pulses, n)) for n in (1, 2, 10, 100)]
    assert np.all(np.diff(empirical) > 0)
    assert empirical[-1] <= float(pulses.max())
    # ... and beyond it.
    with pytest.warns(UserWarning, match="extrapolated"):
        extrapolated = [float(worst_of_n(pulses, n)) for n in (1000, 10**4, 10**6)]
    assert np.all(np.diff(extrapolated) > 0) and extrapolated[0] > empirical[-1]
    by_confidence = [float(worst_of_n(pulses, 10, confidence=c)) for c in (0.1, 0.5, 0.9)]
    assert np.all(np.diff(by_confidence) > 0)


def test_extrapolation_is_the_lognormal_quantile(pulses):
    n_array = 2**20  # a 1 Mb array
    with pytest.warns(UserWarning, match=r"extrapolated with a log-normal fit to the 200 samples"):
        out = worst_of_n(pulses, n_array, confidence=0.9)
    log_t = np.log(pulses.values)
    q = 0.9 ** (1 / n_array)
    expected = np.exp(log_t.mean() + log_t.std(ddof=1) * stats.norm.ppf(q))
    # ppf(q) near q = 1 loses ~7 digits to the rounding of q; the code uses isf(1 - q).
    assert float(out) == pytest.approx(expected, rel=1e-6)
    assert out.attrs["method"] == "lognormal_extrapolation" and out.attrs["quantile"] == pytest.approx(q, rel=1e-15)


def test_extrapolation_recovers_a_lognormal_tail():
    rng = np.random.default_rng(0)
    mu, sigma, n = np.log(5e-9), 0.2, 2000
    sample = xr.DataArray(np.exp(mu + sigma * rng.standard_normal(n)), dims="device")
    tail = -np.expm1(np.log(0.5) / 10**5)
    with pytest.warns(UserWarning, match="extrapolated"):
        out = float(worst_of_n(sample, 10**5))
    # ln t_q = mu_hat + sigma_hat z has standard error sigma sqrt((1 + z^2 / 2) / n).
    z = stats.norm.isf(tail)
    assert abs(np.log(out) - (mu + sigma * z)) < K_SIGMA * sigma * np.sqrt((1 + z**2 / 2) / n)


def test_unreachable_devices_give_inf_only_when_reached():
    values = xr.DataArray(np.r_[np.linspace(1e-9, 2e-9, 98), np.inf, np.inf], dims="device", attrs={"units": "s"})
    assert float(worst_of_n(values, 1)) == pytest.approx(float(np.median(values.values)), rel=1e-12)
    with pytest.warns(UserWarning, match="2 of 100 sampled values are infinite"):
        assert np.isinf(float(worst_of_n(values, 60)))  # q = 0.9885 reaches the two infinite values
    with pytest.warns(UserWarning) as record:
        assert np.isinf(float(worst_of_n(values, 10**4)))  # extrapolating: beyond the finite fraction
    messages = " | ".join(str(w.message) for w in record)
    assert "extrapolated" in messages and "infinite" in messages


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"n_array": 0}, r"n_array = 0 is outside the allowed range \[1, inf\)"),
        ({"n_array": 1.5}, r"n_array must be an integer"),
        ({"confidence": 1.0}, r"confidence = 1.0 is outside the allowed range \(0, 1\)"),
    ],
)
def test_worst_of_n_bad_inputs(pulses, kwargs, match):
    args = {"n_array": 10, **kwargs}
    with pytest.raises(ValueError, match=match):
        worst_of_n(pulses, args.pop("n_array"), **args)


def test_worst_of_n_pulse_end_to_end(nominal):
    ens = sample_variability(nominal, 8, spread={"diameter": 0.05}, seed=7)
    current = 2 * nominal.ic0
    out = worst_of_n_pulse(ens, current, 1e-6, 1, confidence=0.5)
    assert float(out) == pytest.approx(float(np.median(pulse_for_wer(ens, current, 1e-6).values)), rel=1e-9)
    assert out.name == "t_pulse" and out.attrs["units"] == "s"
    assert out.attrs["target"] == 1e-6 and out.attrs["n_array"] == 1 and out.attrs["confidence"] == 0.5
    assert out.attrs["method"] == "empirical" and out.attrs["n_samples"] == 8
    assert "Brown1963" in out.attrs["citation_keys"]
    with pytest.raises(ValueError, match="at least 2 devices"):
        worst_of_n_pulse(nominal, current, 1e-6, 10)
    with pytest.raises(ValueError, match="n_array = 0"):
        worst_of_n_pulse(ens, current, 1e-6, 0)


@pytest.mark.slow
def test_every_device_function_takes_the_ensemble(nominal):
    """10^4 sampled devices at one operating point: the WER comes from the reduced-
    variable table and matches direct single-device solves within its tolerance
    (2 %); retention, read disturb, resistances and the LLG solver return one value
    per device."""
    from spinaps.device import read_disturb_probability, retention_failure_probability, simulate, write_error_rate
    from spinaps.device.fokker_planck import TABLE_TOLERANCE

    ens = sample_variability(
        nominal, 10_000, spread={"diameter": 0.03, "ku": 0.005, "ms": 0.0025, "alpha": 0.05}, seed=7
    )
    current, t = 2.0 * float(nominal.ic0), 10e-9
    wer = write_error_rate(ens, current, t)
    assert wer.sizes == {"device": 10_000} and wer.attrs["table_max_rel_error"] <= TABLE_TOLERANCE
    for k in (0, 4321, 9999):
        direct = float(write_error_rate(ens.device(k), current, t))
        if 1e-30 < direct < 0.999:
            assert float(wer[k]) == pytest.approx(direct, rel=TABLE_TOLERANCE)
    small = sample_variability(nominal, 64, spread={"ku": 0.005, "ra": 0.05, "tmr0": 0.05}, seed=8)
    assert retention_failure_probability(small, 3.15e7).sizes == {"device": 64}
    assert read_disturb_probability(small, 0.2 * float(nominal.ic0), 5e-9).sizes == {"device": 64}
    assert np.shape(small.r_ap_at(0.1)) == (64,)
    assert simulate(small, current, 1e-10, dt=1e-12, seed=1).sizes["device"] == 64
