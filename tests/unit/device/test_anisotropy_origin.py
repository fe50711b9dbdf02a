"""The anisotropy's origin (interfacial K_i / bulk K_u) and the thickness spread it implies.

Both samplers -- spinaps.device.sample_variability and the chip-cell sampler of
spinaps.circuit.cells -- must carry K_u with a drawn thickness, K_u(t) = K_u [f t0 / t + 1 - f],
so that Delta falls with thickness for interfacial PMA.  The reference is the first-order
sensitivity

    d ln Delta / d ln t = [(1 - f) K_u - K_d Delta N - K_d dDelta N / d ln t] / K_eff,

K_d = mu0 Ms^2 / 2, Delta N = N_zz - N_xx (cylinder factors), and, for the Monte Carlo
checks, the exact spread of Delta(t) over the log-normal thickness law (quadrature).
"""

import dataclasses

import numpy as np
import pytest
from scipy import integrate, optimize

from spinaps.circuit import cells
from spinaps.constants import K_B, MU0
from spinaps.device import MTJParams, preset, sample_variability
from spinaps.device.demag import demag_factor_difference
from spinaps.device.mtj import anisotropy_at_thickness
from spinaps.device.variability import couple_anisotropy, invalid_masks

K_SIGMA = 5.0  # statistical acceptance bands, in standard errors
N = 20000
CV_T = 0.03  # the 3 % thickness spread


@pytest.fixture(scope="module")
def ikeda():
    return preset("Ikeda2010")


def _sensitivity(p):
    """The analytic d ln Delta / d ln t of the module docstring (dDelta N / d ln t by a
    central difference of the closed form, step 1e-5: truncation error ~1e-10)."""
    k_d = 0.5 * MU0 * p.ms**2
    h = 1e-5
    ddn = (
        demag_factor_difference(p.diameter, p.thickness * np.exp(h))
        - demag_factor_difference(p.diameter, p.thickness * np.exp(-h))
    ) / (2 * h)
    f = p.interfacial_fraction
    return float(((1 - f) * p.ku - k_d * p.demag_factor_difference - k_d * ddn) / p.k_eff)


def _exact_spread(p, cv):
    """std / mean of Delta(t) for t log-normal with mean t0 and std/mean cv, conditioned on a
    perpendicular layer as the samplers are (an interfacial layer turns in-plane about 4
    sigma thick: K_eff = 0 at t / t0 = K_u / (K_d Delta N) = 1.12 for Ikeda2010).  Trapezoid
    on 20001 points of z in [-9, z_c): discretisation error < 1e-8 relative."""
    s2 = np.log1p(cv**2)
    thickness = lambda z: p.thickness * np.exp(np.sqrt(s2) * z - 0.5 * s2)  # noqa: E731

    def k_eff(z):
        ku, _ = anisotropy_at_thickness(p.ku, p.interfacial_fraction, p.thickness, thickness(z))
        return ku - 0.5 * MU0 * p.ms**2 * demag_factor_difference(p.diameter, thickness(z))

    z_c = optimize.brentq(k_eff, 0.0, 9.0) if k_eff(9.0) < 0 else 9.0
    z = np.linspace(-9.0, z_c * (1 - 1e-12), 20001)
    delta = np.asarray(k_eff(z) * np.pi * p.diameter**2 / 4 * thickness(z) / (K_B * 300.0))
    w = np.exp(-0.5 * z**2)
    norm = integrate.trapezoid(w, z)
    mean = integrate.trapezoid(w * delta, z) / norm
    var = integrate.trapezoid(w * (delta - mean) ** 2, z) / norm
    return float(np.sqrt(var) / mean)


def _rel_std_and_error(x):
    """Sample std / mean and its standard error (delta method, from the sample's moments)."""
    n = x.size
    m, s = x.mean(), x.std()
    d = x - m
    var_s = (np.mean(d**4) - s**4) / (4 * n * s**2)
    return s / m, np.sqrt(var_s / m**2 + (s / m) ** 4 / n)


# ----------------------------------------------------------------------------- the law
def test_default_origin_is_interfacial(ikeda):
    assert MTJParams.__dataclass_fields__["interfacial_fraction"].default == 1.0
    assert ikeda.interfacial_fraction == 1.0


@pytest.mark.parametrize("f", [0.0, 0.5, 1.0])
def test_first_order_sensitivity_matches_the_formula(ikeda, f):
    p = dataclasses.replace(ikeda, interfacial_fraction=f)
    h = 1e-5  # central difference: truncation ~h^2 S''' ~ 1e-9 relative
    numeric = np.log(
        p.at_thickness(p.thickness * np.exp(h)).delta(300.0) / p.at_thickness(p.thickness * np.exp(-h)).delta(300.0)
    ) / (2 * h)
    assert float(numeric) == pytest.approx(_sensitivity(p), rel=1e-6)


def test_ikeda_numbers_of_the_docstring(ikeda):
    # Quoted in MTJParams.at_thickness and sample_variability: -7.47 (f = 1), about +2 (f = 0).
    assert _sensitivity(ikeda) == pytest.approx(-7.47, abs=0.01)
    assert _sensitivity(dataclasses.replace(ikeda, interfacial_fraction=0.0)) == pytest.approx(2.0, abs=0.05)
    # thin-film limit of the same device (Delta N = 1, no dDelta N / d ln t): -K_d / K_eff = -9.8,
    # so 3 % -> 29 %; with the cylinder factors about 22 %.
    assert abs(_sensitivity(ikeda)) * CV_T == pytest.approx(0.224, abs=0.002)


def test_at_thickness_keeps_k_i_and_k_b(ikeda):
    p = dataclasses.replace(ikeda, interfacial_fraction=0.7)
    q = p.at_thickness(1.2 * p.thickness)
    k_i, k_b = 0.7 * p.ku * p.thickness, 0.3 * p.ku
    assert float(q.ku) == pytest.approx(k_i / q.thickness + k_b, rel=1e-14)
    assert float(q.interfacial_fraction) == pytest.approx(k_i / (q.ku * q.thickness), rel=1e-14)
    back = q.at_thickness(p.thickness)  # the round trip returns the original stack
    assert float(back.ku) == pytest.approx(p.ku, rel=1e-14)
    assert float(back.interfacial_fraction) == pytest.approx(0.7, rel=1e-14)


def test_interfacial_fraction_is_checked(ikeda):
    with pytest.raises(ValueError, match=r"interfacial_fraction = 1.5 is outside the allowed range \[0, 1\]"):
        dataclasses.replace(ikeda, interfacial_fraction=1.5)


def test_anisotropy_at_thickness_bulk_is_unchanged():
    ku, f = anisotropy_at_thickness(5e5, 0.0, 1e-9, 2e-9)
    assert float(ku) == 5e5 and float(f) == 0.0


# ------------------------------------------------------------------ sample_variability
def test_thickness_spread_gives_the_analytic_delta_spread(ikeda):
    ens = sample_variability(ikeda, N, spread={"thickness": CV_T}, seed=7)
    delta = ens.delta(300.0)
    rel, err = _rel_std_and_error(delta)
    # Monte Carlo against the exact spread of Delta(t) (same law, no truncation at 3 %):
    assert abs(rel - _exact_spread(ikeda, CV_T)) < K_SIGMA * err
    # ...and the first-order estimate |S| cv, which the nonlinearity of Delta(t) shifts by
    # ~ (S^2 / 2) cv^2 relative (4 % here): 6 % tolerance.
    assert rel == pytest.approx(abs(_sensitivity(ikeda)) * CV_T, rel=0.06)
    # Regression (old code held ku fixed, so Delta grew with t): Delta falls with t.
    assert np.corrcoef(ens.thickness, delta)[0, 1] < -0.99
    # K_u follows the interfacial law device by device.
    np.testing.assert_allclose(ens.ku, ikeda.ku * ikeda.thickness / ens.thickness, rtol=1e-13)


def test_bulk_origin_keeps_ku_and_delta_follows_the_volume(ikeda):
    bulk = dataclasses.replace(ikeda, interfacial_fraction=0.0)
    ens = sample_variability(bulk, N, spread={"thickness": CV_T}, seed=7)
    assert np.all(ens.ku == bulk.ku)
    rel, err = _rel_std_and_error(ens.delta(300.0))
    assert abs(rel - _exact_spread(bulk, CV_T)) < K_SIGMA * err
    assert np.corrcoef(ens.thickness, ens.delta(300.0))[0, 1] > 0.99


def test_ku_spread_scales_on_top_of_the_thickness_law(ikeda):
    ens = sample_variability(ikeda, 2000, spread={"thickness": 0.01, "ku": 0.005}, seed=3)
    ratio = ens.ku / (ikeda.ku * ikeda.thickness / ens.thickness)  # the drawn K_u factor
    assert abs(ratio.mean() - 1) < K_SIGMA * 0.005 / np.sqrt(2000)
    assert ratio.std() == pytest.approx(0.005, rel=0.1)  # std error of a std at n = 2000: 1.6 %


# ------------------------------------------------------------------- chip-cell sampler
def test_chip_cells_sample_the_same_law(ikeda):
    sampling = cells._sampling({"thickness": CV_T}, "lognormal", None, None)
    assert set(sampling.fields) == {"thickness", "ku", "interfacial_fraction"}
    rng = np.random.default_rng(11)
    fields = cells._cell_fields(ikeda, N, sampling, rng, rng)
    ens = dataclasses.replace(ikeda, **fields)
    rel, err = _rel_std_and_error(ens.delta(300.0))
    assert abs(rel - _exact_spread(ikeda, CV_T)) < K_SIGMA * err
    assert rel == pytest.approx(abs(_sensitivity(ikeda)) * CV_T, rel=0.06)
    assert np.corrcoef(ens.thickness, ens.delta(300.0))[0, 1] < -0.99


def test_chip_to_chip_thickness_carries_the_chip_ku(ikeda):
    sampling = cells._sampling({}, "lognormal", None, None, {"thickness": 0.05})
    chip = cells._chip_nominal(ikeda, sampling, np.random.default_rng(4))
    assert chip.thickness != ikeda.thickness
    assert chip.ku == pytest.approx(ikeda.ku * ikeda.thickness / chip.thickness, rel=1e-14)
    # the chip's cells then vary around the chip's own stack
    fields = cells._cell_fields(ikeda, 10, sampling, np.random.default_rng(1), np.random.default_rng(4))
    np.testing.assert_allclose(fields["ku"], chip.ku, rtol=0)
    np.testing.assert_allclose(fields["thickness"], chip.thickness, rtol=0)


def test_invalid_thickness_draws_are_rejected_not_raised(ikeda):
    # A normal marginal's tail can draw t <= 0: the coupling must not raise on it, and the
    # validity masks reject that device (it is then redrawn with all its fields).
    values = couple_anisotropy({"thickness": np.array([-1e-9, 1.3e-9])}, ikeda)
    masks = invalid_masks(values, ikeda, 2)
    assert np.logical_or.reduce(list(masks.values())).tolist() == [True, False]
    assert float(values["ku"][1]) == pytest.approx(ikeda.ku, rel=1e-14)
    with pytest.raises(ValueError, match=r"new_thickness = -1e-09 m is outside the allowed range"):
        anisotropy_at_thickness(1e6, 1.0, 1e-9, -1e-9)
