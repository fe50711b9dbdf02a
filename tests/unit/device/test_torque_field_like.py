"""The field-like torque (``field_like_ratio`` r) in every collinear model.

In the Landau-Lifshitz form of our LLGS the field-like torque b_J = r a_J enters the
m_z equation only through the m x (m x p) coefficient a_J + alpha b_J, so the collinear
drive is i (1 + alpha r): I_c0 is divided by 1 + alpha r.  These tests check that
statement against the LLGS itself (the T = 0 instability threshold, found by bisection
on deterministic runs) and against the stochastic LLGS at 300 K (Fokker-Planck against
Monte Carlo), and that the pulse/current sizing follows.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import sympy as sp

from spinaps.device import current_for_wer, preset, simulate, write_error_rate
from spinaps.device.switching import reduced_current, thermal_escape_time

#: A damping of 0.2 makes alpha r = +-0.1 for r = +-0.5: a 10 % shift of I_c0 that the
#: old code (r ignored outside the LLGS) misses by far more than any tolerance below.
BASE = dataclasses.replace(preset("Ikeda2010"), alpha=0.2)
TILT = 0.01  # rad: initial tilt of the deterministic runs


def thermal_m0(delta, h, n, rng):
    """Unit vectors drawn from the Boltzmann density exp[Delta (m_z^2 + 2 h m_z)] of the
    +z well (m_z in [0, 1], uniform azimuth), the Fokker-Planck solver's initial state."""
    x = np.linspace(0.0, 1.0, 200_001)
    w = np.exp(delta * (x * x + 2.0 * h * x - (1.0 + 2.0 * h)))
    cdf = np.cumsum(w)
    cdf /= cdf[-1]
    mz = np.interp(rng.uniform(size=n), cdf, x)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    st = np.sqrt(1.0 - mz**2)
    return np.stack([st * np.cos(phi), st * np.sin(phi), mz], axis=1)


def llg_threshold(params, direction, stt_form, n_iter=24, s_run=4.0):
    """T = 0 instability threshold [A] of the +z state, per device, by bisection: a run
    from a tilt of TILT grows (m_z falls) above the threshold and relaxes below it; the
    sign of dtheta/dt does not change along a collinear trajectory, so a few tau_D
    decide each step."""
    n = params.n_devices
    # At 0 K: the presets' temperature law makes I_c0(0 K) differ from I_c0(t_ref).
    guess = np.broadcast_to(params.ic0_direction(direction, stt_form, temperature=0.0), (n,)).astype(float)
    lo, hi = 0.5 * guess, 1.5 * guess
    m0 = [np.sin(TILT), 0.0, np.cos(TILT)]
    t_end = s_run * float(np.max(params.tau_d))
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        ds = simulate(
            params, mid, t_end, n_devices=n, temperature=0.0, m0=m0, stt_form=stt_form, direction=direction, threads=1
        )
        grew = ds.mz.values[:, -1] < np.cos(TILT)
        hi, lo = np.where(grew, mid, hi), np.where(grew, lo, mid)
    return 0.5 * (lo + hi), guess


@pytest.mark.parametrize("stt_form", ["constant", "slonczewski"])
@pytest.mark.parametrize("direction", ["ap_to_p", "p_to_ap"])
def test_llgs_threshold_matches_ic0_with_field_like_torque(direction, stt_form):
    # r = -0.5, 0, +0.5 (and with an offset field of +-0.1 H_K,eff): the bisected LLGS
    # threshold equals ic0_direction = I_c0 (1 + h)(1 + c) with I_c0 ~ 1 / (1 + alpha r).
    r = np.array([-0.5, 0.0, 0.5, -0.5, 0.5])
    h_offset = np.array([0.0, 0.0, 0.0, 0.1, -0.1]) * float(BASE.hk_eff)
    ens = dataclasses.replace(BASE, field_like_ratio=r, h_offset=h_offset)
    threshold, predicted = llg_threshold(ens, direction, stt_form)
    # Tolerance 3e-4: the tilt moves the threshold by (1 - cos TILT) = 5e-5 relative,
    # the Heun step (dt = 1 ps, 0.03 rad per step) by about 3e-5 (measured 4e-5 to 9e-5
    # in all); the bisection resolves 2^-24.  Ignoring r would be 10 % off.
    np.testing.assert_allclose(threshold, predicted, rtol=3e-4)
    gain = 1.0 + BASE.alpha * r
    np.testing.assert_allclose(ens.ic0 * gain, float(BASE.ic0), rtol=1e-12)


@pytest.mark.parametrize("r", [-0.5, 0.5])
def test_fokker_planck_matches_stochastic_llgs_with_field_like_torque(r):
    # Regression: the Fokker-Planck solver ignored field_like_ratio (its WER at r = 0
    # is 0.71 / 0.30 here against 0.52 with it, about 25 sigma away from the LLGS).
    p = dataclasses.replace(BASE, field_like_ratio=r)
    i_write, t_pulse, n = 1.5 * float(p.ic0), 3.0 * float(p.tau_d), 4000
    fp = float(write_error_rate(p, i_write, t_pulse))
    ds = simulate(p, i_write, t_pulse, n_devices=n, m0=thermal_m0(40.0, 0.0, n, np.random.default_rng(1)), seed=2)
    llg = 1.0 - float(ds.switched.mean())
    sigma = np.sqrt(fp * (1.0 - fp) / n)
    # 4 sigma of the binomial count plus 0.01 for the Heun step bias of the LLGS at
    # dt = 1 ps (the LLGS sits 0.5-1 sigma below the Fokker-Planck in every case tried).
    assert abs(llg - fp) < 4.0 * sigma + 0.01, (llg, fp, sigma)
    old = float(write_error_rate(dataclasses.replace(p, field_like_ratio=0.0), i_write, t_pulse))
    assert abs(old - llg) > 10.0 * sigma  # the check above would have caught the old code


def test_reduced_current_and_sizing_include_field_like_torque():
    # i = I (1 + alpha r) / I_c0(r = 0); current_for_wer scales by 1 / (1 + alpha r)
    # (the Fokker-Planck problem depends on I only through i), thermal escape too.
    r = 0.5
    p = dataclasses.replace(BASE, field_like_ratio=r)
    gain = 1.0 + BASE.alpha * r
    assert float(reduced_current(p, 30e-6)) == pytest.approx(float(reduced_current(BASE, 30e-6)) * gain, rel=1e-12)
    i0 = float(current_for_wer(BASE, 1e-3, 5e-9))
    i1 = float(current_for_wer(p, 1e-3, 5e-9))
    assert i1 == pytest.approx(i0 / gain, rel=1e-6)  # root tolerance of the sizing
    t0 = float(thermal_escape_time(BASE, 10e-6))
    t1 = float(thermal_escape_time(p, 10e-6 / gain))
    assert t1 == pytest.approx(t0, rel=1e-12)


def test_field_like_ratio_that_cancels_the_damping_like_torque_is_refused():
    with pytest.raises(ValueError, match=r"field_like_ratio = -5.0 with alpha = 0.2 gives 1 \+ alpha r = 0 <= 0"):
        dataclasses.replace(BASE, field_like_ratio=-5.0)
    with pytest.raises(ValueError, match=r"field_like_ratio = .*allowed range \(-5, 10\]"):
        dataclasses.replace(BASE, field_like_ratio=np.array([0.0, -6.0]))


def test_cmtj_beta_mapping_in_docstring():
    # The sign convention against cmtj's beta is documented where r is defined.
    doc = type(BASE).__doc__
    assert "beta = alpha - r" in doc and "kappa = 1 + alpha r" in doc


def test_collinear_drift_from_the_llgs_is_i_times_one_plus_alpha_r():
    # Derivation (sympy) of dm_z/dt from the Landau-Lifshitz form of _kernel.py, with
    # b_J = r a_J, p = -z and H = (H_K m_z + H_z) z: the field-like torque enters the
    # m_z equation only as a_J (1 + alpha r), so the drift in reduced time
    # s = t / tau_D is (1 - m_z^2) [m_z + h - i (1 + alpha r)], i = a_J / (alpha H_K).
    mx, my, mz = sp.symbols("m_x m_y m_z", real=True)
    alpha, gamma0, hk, hz, a_j, r = sp.symbols("alpha gamma_0 H_K H_z a_J r", real=True)
    m = sp.Matrix([mx, my, mz])
    field = sp.Matrix([0, 0, hk * mz + hz])
    p = sp.Matrix([0, 0, -1])
    b_j = r * a_j
    mxh, mxp = m.cross(field), m.cross(p)
    rhs = (
        -gamma0
        / (1 + alpha**2)
        * (mxh + alpha * m.cross(mxh) + (b_j - alpha * a_j) * mxp + (a_j + alpha * b_j) * m.cross(mxp))
    )
    tau_d = (1 + alpha**2) / (alpha * gamma0 * hk)
    drift = sp.expand((rhs[2] * tau_d).subs(mx**2, 1 - my**2 - mz**2))
    i, h = a_j / (alpha * hk), hz / hk
    expected = sp.expand((1 - mz**2) * (mz + h - i * (1 + alpha * r)))
    assert sp.simplify(drift - expected) == 0
    # the same in the code: the reduced current of the solver is I (1 + alpha r) / I_c0(r = 0)
    assert float(dataclasses.replace(BASE, field_like_ratio=0.5).ic0) == pytest.approx(
        float(BASE.ic0) / (1 + 0.2 * 0.5), rel=1e-12
    )
