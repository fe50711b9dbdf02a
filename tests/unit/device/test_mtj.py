"""MTJParams: derived quantities, validation, ensembles, presets, sympy cross-check."""

import dataclasses

import numpy as np
import pytest
import sympy as sp

from spinaps.constants import E_CHARGE, GAMMA0, HBAR, K_B, MU0
from spinaps.device import preset, presets, sources, symbolic


def test_benchmark_device_derived_values(bench):
    # Reference values computed independently for the benchmark workload (40 nm x 1.3 nm,
    # Ms = 1 MA/m, Ku = 7.551e5 J/m^3, alpha = 0.01, P = 0.6): Delta = 50.0,
    # mu0 Hk = 0.25356 T, tau_D = 2.2399 ns, Ic0 = 20.977 uA, f = 7.106 GHz.  The tables
    # are rounded to 4-5 digits and used gamma0 = 2.2128e5, hence rel=1e-3.
    assert float(bench.delta(300.0)) == pytest.approx(50.0, rel=1e-3)
    assert MU0 * bench.hk_eff == pytest.approx(0.25356, rel=1e-3)
    assert bench.tau_d == pytest.approx(2.2399e-9, rel=1e-3)
    assert bench.ic0 == pytest.approx(20.977e-6, rel=1e-3)
    assert bench.f_fmr == pytest.approx(7.106e9, rel=1e-3)
    # Ic0 = 25.17 uA (alpha / eta) Delta at 300 K (4 e kB T / hbar = 25.17 uA)
    assert bench.ic0 == pytest.approx(4 * E_CHARGE * K_B * 300 / HBAR * 0.01 / 0.6 * 50.0, rel=1e-12)


def test_resistance_and_tmr(bench):
    # R_P = RA / A: 5 Ohm um^2 over a 40 nm disk = 3.979 kOhm (exact arithmetic).
    assert bench.r_p == pytest.approx(5e-12 / (np.pi * 20e-9**2), rel=1e-12)
    assert bench.r_ap == pytest.approx(bench.r_p * 2.5, rel=1e-12)
    assert bench.tmr(bench.v_half) == pytest.approx(bench.tmr0 / 2, rel=1e-12)
    assert bench.tmr(0.0) == bench.tmr0
    assert bench.r_ap_at(1.0) < bench.r_ap  # TMR falls with bias


def test_delta_scales_inversely_with_temperature(bench):
    assert float(bench.delta(600.0)) == pytest.approx(float(bench.delta(300.0)) / 2, rel=1e-12)
    with pytest.raises(ValueError, match="temperature"):
        bench.delta(-1.0)


@pytest.mark.parametrize(
    "field,value,match",
    [
        ("diameter", -40e-9, r"diameter = -4e-08 m .*\(0, 1e-05\]"),
        ("alpha", 1.5, r"alpha = 1.5 .*\(0, 1\)"),
        ("alpha", 0.0, r"alpha = 0.0"),
        ("ms", 0.0, r"ms = 0.0 A/m"),
        ("thickness", float("nan"), r"thickness = nan"),
        ("polarization", 1.2, r"polarization"),
        ("ra", -1e-12, r"ra ="),
        ("tmr0", -0.1, r"tmr0"),
        ("v_half", 0.0, r"v_half"),
    ],
)
def test_invalid_fields_are_named(bench, field, value, match):
    with pytest.raises(ValueError, match=match):
        dataclasses.replace(bench, **{field: value})


def test_in_plane_barrier_is_rejected(bench):
    # the threshold is the cylinder's shape anisotropy (mu0 ms^2 / 2)(N_zz - N_xx)
    ku_demag = 0.5 * MU0 * bench.ms**2 * bench.demag_factor_difference
    with pytest.raises(ValueError, match="ku = .* in-plane"):
        dataclasses.replace(bench, ku=0.99 * ku_demag)


def test_non_numeric_field_is_rejected(bench):
    with pytest.raises(ValueError, match="alpha must be a real number"):
        dataclasses.replace(bench, alpha="fast")


def test_replace_gives_consistent_device(bench):
    # Delta and I_c0 scale as K_eff(d) d^2: the shape anisotropy (N_zz - N_xx) follows t / d.
    bigger = dataclasses.replace(bench, diameter=2 * bench.diameter)
    scale = 4 * float(bigger.k_eff) / float(bench.k_eff)
    assert float(bigger.k_eff) < float(bench.k_eff)
    assert float(bigger.delta()) == pytest.approx(scale * float(bench.delta()), rel=1e-12)
    assert bigger.ic0 == pytest.approx(scale * bench.ic0, rel=1e-12)
    assert bigger.r_p == pytest.approx(bench.r_p / 4, rel=1e-12)


def test_ensemble_broadcasts(bench):
    diam = np.array([30e-9, 40e-9, 50e-9])
    ens = dataclasses.replace(bench, diameter=diam)
    assert ens.n_devices == 3
    assert ens.delta().shape == (3,)
    for k in range(3):
        single = ens.device(k)
        assert float(single.delta()) == pytest.approx(float(ens.delta()[k]), rel=1e-14)
        assert single.ic0 == pytest.approx(ens.ic0[k], rel=1e-14)
    with pytest.raises(ValueError, match="ensemble .* must be one-dimensional|incompatible"):
        dataclasses.replace(bench, diameter=diam, alpha=np.array([0.01, 0.02]))
    with pytest.raises(ValueError, match=r"alpha = 2.0 .*element 1 of 3"):
        dataclasses.replace(bench, alpha=np.array([0.01, 2.0, 0.01]))


def test_presets_reproduce_published_figures():
    # Each preset back-solves its material constants from the published figures, so
    # these agree to rounding.
    assert float(preset("Ikeda2010").delta()) == pytest.approx(40.0, rel=1e-9)
    assert preset("Ikeda2010").ic0 == pytest.approx(49e-6, rel=1e-9)
    assert float(preset("Sato2013").delta()) == pytest.approx(58.0, rel=1e-9)
    assert preset("Sato2013").ic0 == pytest.approx(24e-6, rel=1e-9)
    assert preset("Golonzka2018").tmr0 == 1.8
    nvsim = preset("Dong2012")
    assert nvsim.r_p == pytest.approx(6e3, rel=1e-12)
    assert nvsim.r_ap == pytest.approx(12e3, rel=1e-12)
    assert len(presets) >= 3
    for name in presets:
        src = sources[name]
        assert src.reference and src.assumed, name


def test_unknown_preset_lists_valid_names():
    with pytest.raises(KeyError, match="Ikeda2010.*Sato2013"):
        preset("nope")


def test_numeric_formulae_match_sympy_derivation(bench):
    s = symbolic.symbols()
    values = {
        s["Ms"]: bench.ms,
        s["Ku"]: bench.ku,
        s["mu0"]: MU0,
        s["V"]: bench.volume,
        s["kB"]: K_B,
        s["T"]: 300.0,
        s["alpha"]: bench.alpha,
        s["gamma0"]: GAMMA0,
        s["eta"]: bench.polarization,
        s["hbar"]: HBAR,
        s["e"]: E_CHARGE,
        s["dN"]: float(bench.demag_factor_difference),
    }

    def ev(expr):
        return float(expr.subs(values).evalf(30))

    # Agreement to 1e-12 is floating-point rounding: the formulae are the same.
    assert ev(symbolic.effective_anisotropy_field()) == pytest.approx(bench.hk_eff, rel=1e-12)
    assert ev(symbolic.thermal_stability()) == pytest.approx(float(bench.delta(300.0)), rel=1e-12)
    assert ev(symbolic.critical_current()) == pytest.approx(bench.ic0, rel=1e-12)
    assert ev(symbolic.damping_time()) == pytest.approx(bench.tau_d, rel=1e-12)
    assert ev(symbolic.kittel_frequency()) == pytest.approx(bench.f_fmr, rel=1e-12)
    i, delta = symbolic.symbols()["i"], sp.Symbol("Delta", real=True)
    assert sp.simplify(symbolic.barrier_with_current() - delta * (1 - i) ** 2) == 0
