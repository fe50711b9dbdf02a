"""The reference layer's offset (stray) field ``MTJParams.h_offset``.

Positive along the reference-layer magnetisation: it stabilises the P state
(Delta_P = Delta (1 + h)^2) and destabilises the AP state (Delta (1 - h)^2), and it
shifts the instability thresholds to I_c0 (1 +/- h).  Checked against the
Stoner-Wohlfarth energy computed from the SI parameters, a two-state master equation
with Brown's escape times, the stochastic LLGS, and the T = 0 LLGS threshold (in
test_torque_field_like.py).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from spinaps.constants import K_B, MU0
from spinaps.design import Design
from spinaps.device import (
    current_for_wer,
    preset,
    pulse_for_wer,
    retention_failure_probability,
    simulate,
    switching_probability,
    write_error_rate,
)
from spinaps.device.switching import first_passage_time, precessional_switching_time, tau_escape, thermal_escape_time
from spinaps.device.tools import operating_point

from .test_torque_field_like import thermal_m0

BASE = preset("Ikeda2010")  # Delta = 40, H_K,eff = 1.28e5 A/m
HK = float(BASE.hk_eff)


def with_offset(h, params=BASE):
    """``params`` with an offset field of ``h`` x H_K,eff."""
    return dataclasses.replace(params, h_offset=h * float(params.hk_eff))


@pytest.mark.parametrize("h", [-0.3, -0.1, 0.1, 0.3])
def test_state_barriers_match_the_stoner_wohlfarth_energy(h):
    # E(theta) = K_eff V sin^2 theta - mu0 M_s V H cos theta for a state along the
    # field (P: H = +h_offset) or against it (AP: H = -h_offset); the barrier is the
    # maximum of E over theta minus E(0), found on a fine grid from the SI parameters.
    p = with_offset(h)
    theta = np.linspace(0.0, np.pi, 2_000_001)
    for state, sign in (("p", 1.0), ("ap", -1.0)):
        field = sign * float(p.h_offset)
        energy = float(p.k_eff) * float(p.volume) * np.sin(theta) ** 2 - MU0 * float(p.ms) * float(
            p.volume
        ) * field * np.cos(theta)
        barrier = (energy.max() - energy[0]) / (K_B * 300.0)
        # Tolerance 1e-9: the grid step 1.6e-6 rad puts the maximum within 1e-12 relative.
        assert float(p.delta_state(state, 300.0)) == pytest.approx(barrier, rel=1e-9)
        assert float(p.delta_state(state, 300.0)) == pytest.approx(40.0 * (1.0 + sign * h) ** 2, rel=1e-12)


def test_ic0_direction_shifts_by_one_plus_minus_h():
    h = 0.1
    p = with_offset(h)
    ic0 = float(BASE.ic0)
    # AP->P starts against the reference layer: I_c0 (1 - h); P->AP along it: I_c0 (1 + h).
    assert float(p.ic0_direction("ap_to_p", "constant")) == pytest.approx(ic0 * (1 - h), rel=1e-12)
    assert float(p.ic0_direction("p_to_ap", "constant")) == pytest.approx(ic0 * (1 + h), rel=1e-12)
    # an applied field along +z of the reversal adds to it
    assert float(p.ic0_direction("ap_to_p", "constant", h_applied=0.05 * HK)) == pytest.approx(
        ic0 * (1 - h + 0.05), rel=1e-12
    )


def two_state_flip(t, tau_out, tau_back):
    """P(in the other well at t) of the two-state master equation, starting in the first."""
    k1, k2 = 1.0 / tau_out, 1.0 / tau_back
    return k1 / (k1 + k2) * -np.expm1(-(k1 + k2) * t)


@pytest.mark.parametrize("direction", ["ap_to_p", "p_to_ap"])
def test_fokker_planck_at_zero_current_follows_the_per_state_barriers(direction):
    # With h = 0.1 the AP state (Delta 32.4) empties into the P state (Delta 48.4);
    # the Fokker-Planck flip probability follows the two-state master equation with
    # Brown's escape time of each well, tau_D sqrt(pi/Delta) e^{Delta (1 +/- h)^2} / ...
    h = 0.1
    p = with_offset(h)
    h_start = float(p.reduced_field(direction))  # -0.1 (AP) or +0.1 (P) along +z
    tau_d = float(p.tau_d)
    tau_out = float(tau_escape(-h_start, 40.0, tau_d))
    tau_back = float(tau_escape(h_start, 40.0, tau_d))
    t = 0.1 * min(tau_out, tau_back)
    flip = 1.0 - float(write_error_rate(p, 0.0, t, direction=direction))
    # Tolerance 6 %: Brown's high-barrier asymptote is within about 1/Delta_eff of the
    # exact rate (Coffey et al. 1994: 8 % at 15, measured 2-3 % here at h = 0).  An
    # offset of the wrong sign or ignored changes the result by e^{+-8} or more.
    assert flip == pytest.approx(two_state_flip(t, tau_out, tau_back), rel=0.06)
    # thermal_escape_time uses the same barrier for the +z well of this direction
    assert float(thermal_escape_time(p, 0.0, direction=direction)) == pytest.approx(tau_out, rel=1e-12)


@pytest.mark.parametrize("direction,stt_form", [("ap_to_p", "constant"), ("p_to_ap", "slonczewski")])
def test_fokker_planck_matches_stochastic_llgs_with_offset(direction, stt_form):
    # The LLGS adds the offset to its effective field along the reference layer; the
    # Fokker-Planck solver through the operating point.  Both start from the tilted
    # Boltzmann state exp[Delta (m_z^2 + 2 h m_z)] (drawn here, independent of the
    # default initial state of simulate).
    p = dataclasses.replace(with_offset(0.1), alpha=0.2)
    h = float(p.reduced_field(direction))
    i_write, t_pulse, n = 1.5 * float(p.ic0_direction(direction, stt_form)), 3.0 * float(p.tau_d), 4000
    fp = float(write_error_rate(p, i_write, t_pulse, stt_form=stt_form, direction=direction))
    m0 = thermal_m0(40.0, h, n, np.random.default_rng(3))
    ds = simulate(p, i_write, t_pulse, n_devices=n, m0=m0, seed=4, stt_form=stt_form, direction=direction)
    llg = 1.0 - float(ds.switched.mean())
    sigma = np.sqrt(fp * (1.0 - fp) / n)
    # 4 sigma of the binomial count plus 0.01 for the Heun step bias (dt = 1 ps)
    assert abs(llg - fp) < 4.0 * sigma + 0.01, (llg, fp, sigma)
    no_offset = float(
        write_error_rate(dataclasses.replace(p, h_offset=0.0), i_write, t_pulse, stt_form=stt_form, direction=direction)
    )
    assert abs(no_offset - llg) > 10.0 * sigma  # ignoring the offset would fail the check


def test_precessional_time_uses_the_offset():
    # d theta / ds = sin theta (i - h - cos theta): the time of j = i - h.
    p = with_offset(0.1)
    i = 2.0 * float(BASE.ic0)
    t_ap = float(precessional_switching_time(p, i, 0.05, direction="ap_to_p"))
    t_ref = float(precessional_switching_time(BASE, (2.0 + 0.1) * float(BASE.ic0), 0.05))
    assert t_ap == pytest.approx(t_ref, rel=1e-12)
    with pytest.raises(ValueError, match=r"i_write: precessional switching needs I > I_c0 \(1 \+ h\)"):
        precessional_switching_time(p, 1.05 * float(BASE.ic0), 0.05, direction="p_to_ap")


@pytest.mark.parametrize("direction", ["ap_to_p", "p_to_ap"])
def test_analytic_models_include_the_offset(direction):
    # Precessional: j = i - h and the initial stiffness Delta (1 + h) (wer_precessional)
    # against the Fokker-Planck first passage; thermal: Brown's escape over Delta (1 - j)^2.
    p = with_offset(0.1)
    i = 3.0 * float(p.ic0)
    t = np.array([1.0, 2.0, 3.0]) * float(p.tau_d)  # WER from 0.6 down to 2e-4
    model = write_error_rate(p, i, t, method="precessional", direction=direction).values
    exact = write_error_rate(p, i, t, criterion="first_passage", direction=direction).values
    # Tolerance 3 %: the model's own error at h = 0 is 1.1 % here (linearised noise
    # during the reversal); measured 0.9-1.2 % with the offset.  Ignoring the offset
    # is 12-87 % off.
    np.testing.assert_allclose(model, exact, rtol=0.03)
    ignored = write_error_rate(BASE, i, t, method="precessional").values
    assert np.all(np.abs(ignored / exact - 1.0) > 0.1)
    i_sub, t_sub = 0.3 * float(p.ic0), 1e-3
    tau = float(thermal_escape_time(p, i_sub, direction=direction))
    thermal = float(write_error_rate(p, i_sub, t_sub, method="thermal", direction=direction))
    assert thermal == pytest.approx(np.exp(-t_sub / tau), rel=1e-12)


def test_models_without_a_field_or_a_direction_refuse_the_offset():
    p = with_offset(0.1)
    with pytest.raises(ValueError, match=r"method = 'butler' does not include the reference layer's offset field"):
        write_error_rate(p, 80e-6, 5e-9, method="butler")
    with pytest.raises(ValueError, match=r"switching_probability: the reference layer's offset field h_offset = 1.28"):
        switching_probability(p, 80e-6, 5e-9)


@pytest.mark.parametrize("h", [1.0, -1.2])
def test_offset_field_beyond_hk_is_refused(h):
    with pytest.raises(ValueError, match=r"h_offset = .* A/m: \|h_offset\| must be below H_K,eff = 128409 A/m"):
        with_offset(h)


def test_offset_field_default_and_design():
    assert BASE.h_offset == 0.0 and float(BASE.delta_state("p")) == float(BASE.delta_state("ap"))
    design = Design.from_dict({"device": {"preset": "Ikeda2010", "mtj": {"h_offset": 5000.0}}})
    assert float(design.device.params().h_offset) == 5000.0
    with pytest.raises(ValueError, match="h_offset"):
        Design.from_dict({"device": {"preset": "Ikeda2010", "mtj": {"h_offset": 2e5}}}).device.params()
    with pytest.raises(ValueError, match=r"state = 'x'; allowed: 'p', 'ap'"):
        BASE.delta_state("x")


def test_first_passage_time_adds_the_offset_to_the_applied_field():
    p = with_offset(0.1)
    for direction, sign in (("ap_to_p", -1.0), ("p_to_ap", 1.0)):
        with_off = float(first_passage_time(p, 20e-6, direction=direction))
        as_field = float(first_passage_time(BASE, 20e-6, h=sign * 0.1))
        assert with_off == pytest.approx(as_field, rel=1e-12)


@pytest.mark.parametrize("direction,sign", [("ap_to_p", -1.0), ("p_to_ap", 1.0)])
def test_sizing_sees_the_offset_as_a_field_along_the_reference_layer(direction, sign):
    # pulse_for_wer / current_for_wer with h_offset are the same reduced problem as
    # with h_applied = s h_offset along +z of the reversal (s = -1 AP->P, +1 P->AP).
    p = with_offset(0.1)
    kw = dict(direction=direction, stt_form="slonczewski")
    as_field = dict(kw, h_applied=sign * float(p.h_offset))
    i = 1.5 * float(BASE.ic0)
    assert float(pulse_for_wer(p, i, 1e-6, **kw)) == pytest.approx(float(pulse_for_wer(BASE, i, 1e-6, **as_field)))
    assert float(current_for_wer(p, 1e-6, 10e-9, **kw)) == pytest.approx(
        float(current_for_wer(BASE, 1e-6, 10e-9, **as_field))
    )
    assert float(pulse_for_wer(p, i, 1e-6, **kw)) != pytest.approx(float(pulse_for_wer(BASE, i, 1e-6, **kw)), rel=0.05)


def test_operating_point_fields_and_thresholds_match_the_parameters():
    p = dataclasses.replace(with_offset(0.2), curie_temperature=1100.0)
    op = operating_point(p, 358.15)
    hot = p.at_temperature(358.15)
    h = float(p.h_offset) / float(hot.hk_eff)  # the offset in A/m is temperature independent
    assert float(op.h_offset) == pytest.approx(h, rel=1e-12)
    assert float(op.write_field("ap_to_p", 0.01 * HK)) == pytest.approx(0.01 * HK / float(hot.hk_eff) - h, rel=1e-12)
    assert float(op.stored_field("p")) == -float(op.stored_field("ap")) == pytest.approx(h, rel=1e-12)
    for d in ("ap_to_p", "p_to_ap"):
        assert float(op.ic0_direction(d, "slonczewski")) == pytest.approx(
            float(p.ic0_direction(d, "slonczewski", temperature=358.15)), rel=1e-12
        )
    assert float(p.delta_state("ap", 358.15)) == pytest.approx(float(hot.delta(358.15)) * (1 - h) ** 2, rel=1e-12)


@pytest.mark.parametrize("direction", ["ap_to_p", "p_to_ap"])
def test_thermal_initial_state_sits_in_the_offset_field(direction):
    # simulate(m0=None) draws the Boltzmann state exp[Delta (m_z^2 + 2 h m_z)] of the +z
    # well with h the write's reduced field, offset included (-h for AP->P, +h for P->AP).
    p = with_offset(0.1)
    h = float(p.reduced_field(direction))
    delta, n = float(p.delta(300.0)), 20000
    ds = simulate(p, 0.0, 1e-12, n_devices=n, seed=6, direction=direction)
    mz = ds.mz.values[:, 0]
    x = np.linspace(0.0, 1.0, 200_001)
    w = np.exp(delta * (x * x + 2.0 * h * x - (1.0 + 2.0 * h)))
    mean = float(np.sum(x * w) / np.sum(w))
    sem = float(np.std(mz)) / np.sqrt(n)
    # 4 sigma of the sample mean; the zero-field mean lies about 12 sigma away here
    assert abs(float(np.mean(mz)) - mean) < 4.0 * sem, (float(np.mean(mz)), mean, sem)
    w0 = np.exp(delta * (x * x - 1.0))
    assert abs(float(np.sum(x * w0) / np.sum(w0)) - mean) > 8.0 * sem


@pytest.mark.parametrize("method", ["fokker_planck", "thermal"])
def test_retention_per_state_sees_the_offset(method):
    # The offset along the stored state's magnetisation is a field along its +z: the P
    # state's retention with the offset equals the offset-free device's with the same
    # field applied (+h_offset), the AP state's with -h_offset (both methods, to
    # rounding); the offset stabilises P, so P keeps its bit longer than AP.
    p = with_offset(0.05)
    free = dataclasses.replace(p, h_offset=0.0)
    t = np.logspace(0, 8, 5)
    kw = dict(method=method, quantity="p_flipped")
    ret = {s: retention_failure_probability(p, t, state=s, **kw) for s in ("p", "ap")}
    hoff = float(p.h_offset)
    same_p = retention_failure_probability(free, t, h_applied=hoff, **kw)
    same_ap = retention_failure_probability(free, t, h_applied=-hoff, **kw)
    np.testing.assert_allclose(ret["p"].values, same_p.values, rtol=1e-10)
    np.testing.assert_allclose(ret["ap"].values, same_ap.values, rtol=1e-10)
    assert np.all(ret["p"].values < ret["ap"].values) and ret["p"].attrs["state"] == "p"
    with pytest.raises(ValueError, match=r"state = 'x'"):
        retention_failure_probability(p, t, state="x")
