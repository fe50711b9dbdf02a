r"""Switching parameters Delta, I_c0 and tau_D as fit coordinates, and the Rehm 2024 device.

The Fokker-Planck switching probability of the collinear macrospin depends on the device
only through three numbers (:mod:`spinaps.device.fokker_planck`: reduced current
i = I / I_c0, reduced time s = t / tau_D and the barrier Delta):

.. math::

   \Delta = \frac{K_\mathrm{eff} V}{k_B T}, \qquad
   I_{c0} = \frac{4 e \alpha k_B T \Delta}{\hbar P (1 + \alpha r)}, \qquad
   \tau_D = \frac{1 + \alpha^2}{\alpha \gamma_0 H_{K,\mathrm{eff}}},
   \quad H_{K,\mathrm{eff}} = \frac{2 K_\mathrm{eff}}{\mu_0 M_s}.

Fitting the fields K_u, alpha and P with M_s and the volume fixed couples all three
(K_u moves Delta, H_K and hence tau_D and I_c0 together); fitting Delta, I_c0 and tau_D
directly gives well-conditioned coordinates, each constrained by a distinct feature of
the data (the width of the curves in time, their position, their width in drive).
:func:`with_switching_parameters` turns them back into the fields, with M_s, the
diameter and the thickness of the device description held fixed (stated assumptions of
the caller): Delta gives K_u (:func:`~spinaps.device.presets.ku_for_delta`), tau_D the
damping (the small root of alpha^2 - a alpha + 1 = 0, a = gamma0 H_K,eff tau_D) and
I_c0 the polarisation (I_c0 is proportional to 1 / P).

:func:`rehm2024_device` is the device description of the Rehm et al. (Appl. Phys.
Lett. 2024) junction that the calibration to the shipped switching curves starts from.

References
----------
* Sun, J. Z., "Spin-current interaction with a monodomain magnetic body: a model
  study", Phys. Rev. B 62, 570-578 (2000): I_c0 and tau_D; citation key ``Sun2000``.
* Rehm, L., et al., "Temperature-resilient true random number generation with
  stochastic actuated magnetic tunnel junction devices", Appl. Phys. Lett. (2024),
  arXiv:2310.18779; citation key ``Rehm2024``.
* Rehm, L., et al., "Thermal effects in spin-torque switching of perpendicular
  magnetic tunnel junctions at cryogenic temperatures", Phys. Rev. Applied 15, 034088
  (2021): M_s at 295 K and the temperature law; citation key ``Rehm2021``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..constants import GAMMA0
from .mtj import MTJParams
from .presets import ANISOTROPY_EXPONENT_COFEB, CURIE_TEMPERATURE_COFEB, TMR_BLOCH_COFEB, ku_for_delta

__all__ = [
    "DERIVED",
    "REHM2024_FIT",
    "alpha_for_tau_d",
    "rehm2024_device",
    "rehm2024_fitted",
    "switching_parameter",
    "with_switching_parameters",
]

#: The switching parameters usable as fit coordinates (see the module notes).
DERIVED = ("delta", "ic0", "tau_d")
#: The fields each switching parameter is solved into (fitting both is refused).
SOLVES_FOR = {"delta": "ku", "tau_d": "alpha", "ic0": "polarization"}


def alpha_for_tau_d(tau_d, hk_eff):
    r"""Gilbert damping alpha giving the damping time ``tau_d`` [s] at field ``hk_eff`` [A/m].

    The small root of tau_D = (1 + alpha^2) / (alpha gamma0 H_K,eff):

    .. math:: \alpha = \frac{a - \sqrt{a^2 - 4}}{2}, \qquad a = \gamma_0 H_{K,\mathrm{eff}} \tau_D \ge 2

    (the large root, alpha > 1, is outside the range of :class:`MTJParams`).

    Raises
    ------
    ValueError
        If a < 2: tau_D is shorter than the shortest damping time 2 / (gamma0 H_K,eff)
        (reached at alpha = 1).
    """
    a = GAMMA0 * np.asarray(hk_eff, dtype=float) * np.asarray(tau_d, dtype=float)
    if np.any(~(a >= 2.0)):
        shortest = 2.0 / (GAMMA0 * np.asarray(hk_eff, dtype=float))
        raise ValueError(
            f"tau_d = {tau_d!r} s is below the shortest damping time 2 / (gamma0 H_K,eff) = "
            f"{np.min(shortest):.4g} s of the device (alpha would exceed 1)"
        )
    root = 0.5 * (a - np.sqrt(a * a - 4.0))
    return float(root) if root.ndim == 0 else root


def switching_parameter(params: MTJParams, name: str) -> float:
    """Delta (at ``t_ref``), I_c0 [A] or tau_D [s] of a single device, by ``name``."""
    if name == "delta":
        return float(params.delta(float(params.t_ref)))
    if name == "ic0":
        return float(params.ic0)
    if name == "tau_d":
        return float(params.tau_d)
    raise ValueError(f"name = {name!r}; allowed: {', '.join(DERIVED)}")


def with_switching_parameters(params: MTJParams, **values) -> MTJParams:
    r"""``params`` with K_u, alpha and P solved for given Delta, tau_D and I_c0.

    Parameters
    ----------
    params : MTJParams
        A single device; its M_s, diameter, thickness, field-like ratio and temperature
        law are kept.
    **values
        Any of ``delta`` [-] (at ``params.t_ref``), ``tau_d`` [s], ``ic0`` [A]; the
        others keep their present values (so giving ``delta`` alone keeps tau_D and
        I_c0 by re-solving alpha and P as well).

    Returns
    -------
    MTJParams
        Delta, tau_D and I_c0 of the result equal the values asked for (to rounding).

    Raises
    ------
    ValueError
        For an unknown name, a tau_D below 2 / (gamma0 H_K,eff), or fields outside the
        ranges of :class:`MTJParams` (e.g. P > 1 for a small I_c0).

    Examples
    --------
    >>> from spinaps.device.switching_fit import rehm2024_device, with_switching_parameters
    >>> p = with_switching_parameters(rehm2024_device(), delta=60.0, tau_d=0.3e-9, ic0=150e-6)
    >>> round(float(p.delta(300.0)), 6), round(float(p.tau_d) * 1e9, 6), round(float(p.ic0) * 1e6, 6)
    (60.0, 0.3, 150.0)
    """
    unknown = sorted(set(values) - set(DERIVED))
    if unknown:
        raise ValueError(f"unknown switching parameter(s) {unknown}; allowed: {', '.join(DERIVED)}")
    target = {n: switching_parameter(params, n) for n in DERIVED}
    target.update({n: float(v) for n, v in values.items()})
    ku = ku_for_delta(
        target["delta"], diameter=params.diameter, thickness=params.thickness, ms=params.ms, temperature=params.t_ref
    )
    p = replace(params, ku=float(ku))
    p = replace(p, alpha=alpha_for_tau_d(target["tau_d"], p.hk_eff))
    return replace(p, polarization=float(p.polarization * p.ic0 / target["ic0"]))


def rehm2024_device(*, v_half=0.5) -> MTJParams:
    r"""Device description of the Rehm et al. (2024) pMTJ, the start of its calibration.

    What is known and what is assumed:

    * diameter 40 nm, free-layer thickness 2.6 nm, R_P = 2530 Ohm, R_AP = 5850 Ohm:
      the modelling choices of the third party that carried the data (recorded in the
      data files' ``device`` entry), not numbers read in the paper;
      RA = R_P pi d^2 / 4 = 3.18 Ohm um^2 and TMR0 = R_AP / R_P - 1 = 1.312 follow;
    * M_s = 4.73e5 A/m: the free-layer M_s at 295 K of Rehm et al. (Phys. Rev. Applied
      2021, data set ``Rehm2021_ms_keff_t_vs_temperature``), a junction of the same
      group, assumed for this one;
    * temperature law: the Bloch T_C = 925 K and Callen-Callen n = 1.80 calibrated to that
      2021 data set (:data:`~spinaps.device.presets.CURIE_TEMPERATURE_COFEB`,
      :data:`~spinaps.device.presets.ANISOTROPY_EXPONENT_COFEB`) and the Shang TMR(T)
      coefficient of Skowronski et al. 2017 (:data:`~spinaps.device.presets.TMR_BLOCH_COFEB`),
      assumed for this junction;
    * ``v_half`` = 0.5 V, the bias at which the TMR halves: not given for this junction,
      assumed (a value typical of CoFeB/MgO, as in the Ikeda2010 preset); it matters only
      for an AP start (R_AP(V));
    * K_u, alpha and P: placeholders (Delta = 60, alpha = 0.05, P = 0.5) that a
      calibration replaces.

    Parameters
    ----------
    v_half : float [V]
        TMR half-bias voltage, in (0, 100].

    Returns
    -------
    MTJParams
        With ``t_ref`` = 300 K.
    """
    diameter, thickness, ms = 40e-9, 2.6e-9, 4.73e5
    r_p, r_ap = 2530.0, 5850.0
    ku = ku_for_delta(60.0, diameter=diameter, thickness=thickness, ms=ms)
    return MTJParams(
        diameter=diameter,
        thickness=thickness,
        ms=ms,
        ku=float(ku),
        alpha=0.05,
        polarization=0.5,
        ra=r_p * np.pi * diameter**2 / 4.0,
        tmr0=r_ap / r_p - 1.0,
        v_half=v_half,
        t_ref=300.0,
        curie_temperature=CURIE_TEMPERATURE_COFEB,
        anisotropy_exponent=ANISOTROPY_EXPONENT_COFEB,
        tmr_bloch_coefficient=TMR_BLOCH_COFEB,
    )


#: The joint fit of the two Rehm et al. (2024) 1 ns switching curves
#: (``Rehm2024_psw_vs_voltage_300K``, ``Rehm2024_psw_vs_pulse_width``) published in
#: ``docs/device.md`` and notebook 02: ``calibrate([by_voltage, by_width],
#: rehm2024_device(), fit=("delta", "ic0", "tau_d"), errors="scaled",
#: initial_state=..., n_cells=...)``; Delta at 300 K, I_c0 [A], tau_D [s] with standard
#: errors scaled by chi^2/dof, the macrospin Fokker-Planck model (end-state criterion,
#: constant efficiency).  ``chi2_dof_bound`` is the bound the test suite holds the
#: published point to.
REHM2024_FIT = {
    "initial_state": "ap",
    "n_cells": 400,
    "delta": 139.114,
    "ic0": 1.03412e-4,
    "tau_d": 3.22967e-10,
    "delta_stderr": 5.61,
    "ic0_stderr": 2.25e-6,
    "tau_d_stderr": 1.18e-11,
    "chi2_dof": 8.51,
    "chi2_dof_bound": 9.5,
}


def rehm2024_fitted() -> MTJParams:
    """:func:`rehm2024_device` at the published fit :data:`REHM2024_FIT`."""
    return with_switching_parameters(rehm2024_device(), **{n: REHM2024_FIT[n] for n in ("delta", "ic0", "tau_d")})
