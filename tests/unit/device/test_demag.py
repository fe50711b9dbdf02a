"""Size-dependent demagnetisation: the cylinder's magnetometric factors and their use."""

import dataclasses
import warnings

import numpy as np
import pytest
from scipy import integrate, optimize, special

from spinaps.constants import K_B, MU0
from spinaps.device import preset, presets
from spinaps.device.demag import cylinder_demag_factors, demag_factor_difference
from spinaps.device.presets import ku_for_delta

PUBLISHED = {"Ikeda2010": (40.0, 49e-6), "Sato2013": (58.0, 24e-6)}


def _n_zz_quadrature(p):
    """Independent N_zz: the Fourier-space volume average (1 / p) int J1(x)^2 / x^2 (1 - e^{-2 p x}) dx."""
    value, _ = integrate.quad(lambda x: special.j1(x) ** 2 / x**2 * -np.expm1(-2.0 * p * x), 0.0, np.inf, limit=4000)
    return value / p


@pytest.mark.parametrize("p", [0.01, 0.0325, 0.1, 0.5, 0.9, 2.0, 10.0])
def test_closed_form_matches_independent_quadrature(p):
    # The quadrature converges to ~1e-9 (an oscillatory Bessel integrand); 1e-7 leaves margin.
    assert float(cylinder_demag_factors(p)[1]) == pytest.approx(_n_zz_quadrature(p), rel=1e-7)


def test_trace_is_one():
    p = np.geomspace(1e-5, 1e4, 50)
    n_xx, n_zz = cylinder_demag_factors(p)
    np.testing.assert_allclose(2 * n_xx + n_zz, 1.0, rtol=0, atol=1e-14)  # by construction, rounding only
    assert np.all(np.diff(n_zz) < 0)  # a thicker disk has a weaker axial factor


def test_thin_film_limit():
    # N_zz -> 1 as t / d -> 0, as 1 - (2p / pi)(ln(4/p) - 1/2): at p = 1e-4 the deficit is 6.4e-4.
    n_xx, n_zz = cylinder_demag_factors(1e-4)
    assert float(n_zz) == pytest.approx(1.0, abs=1e-3) and float(n_xx) == pytest.approx(0.0, abs=5e-4)
    # Just above the switch to the series (p < 1e-6) the closed form still agrees with the
    # series 1 - (2p / pi)(ln(4/p) - 1/2) (cancellation error ~ 1e-16 / p = 1e-10 there).
    p = 1.001e-6
    series = 1.0 - 2.0 * p / np.pi * (np.log(4.0 / p) - 0.5)
    assert float(cylinder_demag_factors(p)[1]) == pytest.approx(series, abs=1e-9)
    # p = 1e-9: Delta N = 1 - (3p / pi)(ln(4/p) - 1/2) = 1 - 2.1e-8
    assert float(demag_factor_difference(1.0, 1e-9)) == pytest.approx(1.0, abs=1e-7)


def test_equal_factor_aspect_ratio_and_tabulated_value():
    # Chen, Brug and Goldfarb (1991): N_m = 1/3 at length / diameter = 0.906, and
    # N_m = 0.3116 at 1 (their table, four digits: tolerance half a unit of the last one).
    root = optimize.brentq(lambda p: float(cylinder_demag_factors(p)[1]) - 1.0 / 3.0, 0.5, 1.5, xtol=1e-12)
    assert root == pytest.approx(0.906, abs=1e-3)
    assert float(cylinder_demag_factors(1.0)[1]) == pytest.approx(0.3116, abs=5e-5)
    assert float(demag_factor_difference(1.0, root)) == pytest.approx(0.0, abs=1e-12)


def test_long_rod_limit():
    # N_zz -> 4 / (3 pi p) (relative correction O(1/p)), N_xx -> 1/2, Delta N -> -1/2.
    n_xx, n_zz = cylinder_demag_factors(1e3)
    assert float(n_zz) * 1e3 == pytest.approx(4 / (3 * np.pi), rel=2e-3)
    assert float(n_xx) == pytest.approx(0.5, abs=1e-3)


def test_invalid_aspect_ratio_is_named():
    with pytest.raises(ValueError, match=r"aspect_ratio = .* outside the allowed range"):
        cylinder_demag_factors(-1.0)


def test_k_eff_and_field_use_the_cylinder_factors():
    p = preset("Ikeda2010")
    dn = float(demag_factor_difference(p.diameter, p.thickness))
    assert dn == pytest.approx(0.8661, abs=1e-4)  # t / d = 0.0325 (Joseph 1966 closed form)
    k_eff = p.ku - 0.5 * MU0 * p.ms**2 * dn
    assert float(p.k_eff) == pytest.approx(k_eff, rel=1e-14)
    assert float(p.hk_eff) == pytest.approx(2 * k_eff / (MU0 * p.ms), rel=1e-14)
    assert float(p.delta(300.0)) == pytest.approx(k_eff * p.volume / (K_B * 300.0), rel=1e-12)


def test_presets_keep_their_published_delta_and_ic0():
    # Re-solved with the new factors: the published figures are reproduced to rounding.
    for name, (delta, ic0) in PUBLISHED.items():
        p = preset(name)
        assert float(p.delta(300.0)) == pytest.approx(delta, rel=1e-12)
        assert float(p.ic0) == pytest.approx(ic0, rel=1e-12)
        # Regression: the thin-film K_u (Delta N = 1) gives another device.
        thin = p.ku + 0.5 * MU0 * p.ms**2 * (1.0 - p.demag_factor_difference)
        assert float(dataclasses.replace(p, ku=thin).delta(300.0)) > 1.1 * delta


def test_ku_for_delta_inverts_delta_at_any_size():
    for d in (20e-9, 40e-9, 60e-9):
        ku = ku_for_delta(45.0, diameter=d, thickness=1.3e-9, ms=1.0e6)
        p = dataclasses.replace(preset("benchmark"), diameter=d, ku=ku)
        assert float(p.delta(300.0)) == pytest.approx(45.0, rel=1e-12)


def test_delta_grows_slower_than_the_area():
    # Sato et al. (APL 2014): with the size-dependent factors Delta(D) / D^2 falls with D at
    # fixed material constants (Delta N grows toward 1 as the disk widens).
    p = preset("Sato2013")
    d = np.array([15e-9, 20e-9, 30e-9])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 30 nm is near this stack's macrospin limit
        ens = dataclasses.replace(p, diameter=d)
    per_area = ens.delta(300.0) / d**2
    assert np.all(np.diff(per_area) < 0)


def test_llgs_field_is_the_analytic_one():
    # The LLGS takes H_K,eff (llg.py: params.hk_eff), so I_c0, tau_D and f_FMR are consistent
    # with K_eff: f_FMR = gamma0 H_K,eff / (2 pi (1 + alpha^2)), H_K,eff from the cylinder factors.
    from spinaps.constants import GAMMA0

    p = preset("Ikeda2010")
    assert float(p.f_fmr) == pytest.approx(GAMMA0 * float(p.hk_eff) / (2 * np.pi * (1 + p.alpha**2)), rel=1e-14)
    assert float(p.ic0) == pytest.approx(p.alpha * float(p.hk_eff) / float(p.stt_field_per_ampere), rel=1e-14)


def test_macrospin_limit_warns():
    p = preset("Ikeda2010")
    d_c = float(p.macrospin_max_diameter)
    # (16 / pi) sqrt(A / K_eff), A = 1.5e-11 J/m (assumed)
    assert d_c == pytest.approx(16 / np.pi * np.sqrt(1.5e-11 / float(p.k_eff)), rel=1e-14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dataclasses.replace(p, diameter=0.9 * p.diameter)  # below the limit: silent
    # 30 % more K_u: K_eff = 3.9e5 J/m^3, d_c = 31 nm < 40 nm.
    with pytest.warns(UserWarning, match="macrospin validity limit"):
        dataclasses.replace(p, ku=1.3 * p.ku)


def test_every_preset_but_golonzka_is_inside_the_macrospin_limit():
    # Golonzka2018 (60 nm, Delta = 111 after the retention back-solve) is stated beyond it.
    for name, p in presets.items():
        inside = float(p.diameter) < float(p.macrospin_max_diameter)
        assert inside == (name != "Golonzka2018"), name


def test_llgs_instability_threshold_is_the_analytic_ic0():
    # At 0 K the macrospin LLGS leaves +z only above I_c0 (Sun 2000).  With the thin-film
    # factor instead of the cylinder's, H_K,eff would differ by K_d (1 - Delta N) / K_eff = 130 %,
    # so +-10 % around the analytic I_c0 separates the two cleanly.  150 ns is 11 e-folds of
    # the growth rate (i - 1) / tau_D at i = 1.1 (tau_D = 1.3 ns).
    from spinaps.device import simulate

    p = preset("Ikeda2010")
    m0 = [0.05, 0.0, float(np.sqrt(1 - 0.05**2))]
    below = simulate(p, 0.9 * float(p.ic0), 150e-9, temperature=0.0, m0=m0)
    above = simulate(p, 1.1 * float(p.ic0), 150e-9, temperature=0.0, m0=m0)
    assert float(below.mz.values.ravel()[-1]) > 0.999
    assert float(above.mz.values.ravel()[-1]) < -0.999
