"""Literature parameter sets for perpendicular MTJs (PyBaMM style).

``presets`` maps a name to an :class:`~spinaps.device.MTJParams`; ``sources`` maps the
same name to a :class:`PresetSource` with the full reference, what the published
values were, and which values we had to assume.  :func:`preset` looks a name up and
raises a ``KeyError`` listing the valid names.

Where a paper publishes a derived figure (thermal stability Delta, critical current
I_c0) rather than the material constants, the constants are back-solved from it with
the same formulas the models use (:func:`ku_for_delta`, :func:`polarization_for_ic0`),
so the preset reproduces the published figure exactly.  The numbers, sources and notes
are the literature table ``mtj_presets`` (``spinaps/data/literature/mtj_presets.toml``,
read with :mod:`spinaps.literature`); this module keeps the recipes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
from scipy import optimize

from .. import literature
from ..constants import E_CHARGE, EULER_GAMMA, HBAR, K_B, MU0
from .demag import demag_factor_difference
from .mtj import MTJParams

__all__ = [
    "presets",
    "sources",
    "preset",
    "PresetSource",
    "ku_for_delta",
    "polarization_for_ic0",
    "DEFAULT_PRESET",
    "CURIE_TEMPERATURE_COFEB",
    "ANISOTROPY_EXPONENT_COFEB",
]

#: The parameter sets with their sources: the literature table ``mtj_presets``
#: (``spinaps/data/literature/mtj_presets.toml``, :mod:`spinaps.literature`).  Every entry
#: gives the free layer (diameter, thickness, ms, alpha) and v_half; the recipes below say
#: how the rest follows.
_TABLE = literature.load("mtj_presets", required=("diameter", "thickness", "ms", "alpha", "v_half"))

#: Shang TMR(T) coefficient a [K^-1.5] of the CoFeB/MgO presets: calibrated with
#: :func:`spinaps.device.calibrate` to the perpendicular CoFeB/MgO junction of
#: Skowronski et al. (arXiv 1701.06411, 2017: TMR 180 % at room temperature, 280 % at
#: 20 K), data set ``Skowronski2017_tmr_vs_temperature``.  A different stack from the
#: presets' own, so an assumption for them (the Ikeda2010 and Sato2013 entries).
TMR_BLOCH_COFEB = _TABLE["Ikeda2010"]["tmr_bloch_coefficient"]
#: Effective Curie temperature T_C [K] of the Bloch law M_s(T) = M_s(0)[1 - (T / T_C)^(3/2)]
#: of the CoFeB/MgO presets: 925 K, calibrated with :func:`spinaps.device.calibrate` to the
#: free layer of Rehm et al. (Phys. Rev. Applied 15, 034088, 2021; data set
#: ``Rehm2021_ms_keff_t_vs_temperature``, 4-295 K; fit 925 +- 29 K).  Another CoFeB/MgO
#: stack than the presets' own, so an assumption for them.
CURIE_TEMPERATURE_COFEB = _TABLE["Ikeda2010"]["curie_temperature"]
#: Callen-Callen exponent n of K_u proportional to M_s^n of the CoFeB/MgO presets: 1.80,
#: calibrated jointly with :data:`CURIE_TEMPERATURE_COFEB` to Rehm et al. 2021 (fit
#: 1.80 +- 0.06); an assumption for the presets' own stacks.
ANISOTROPY_EXPONENT_COFEB = _TABLE["Ikeda2010"]["anisotropy_exponent"]

#: Preset used by ``spinaps run`` when none is given: ``"Ikeda2010"``, the 40 nm
#: CoFeB/MgO junction of Ikeda et al., Nature Materials 9, 721 (2010) (citation key
#: ``Ikeda2010``).
DEFAULT_PRESET = "Ikeda2010"


def ku_for_delta(delta, *, diameter, thickness, ms, temperature=300.0):
    r"""Anisotropy K_u [J/m^3] giving thermal stability ``delta`` at ``temperature`` [K].

    K_u = Delta k_B T / V + (mu0 M_s^2 / 2)(N_zz - N_xx), with the cylinder's
    magnetometric demagnetising factors at t_F / d (:mod:`spinaps.device.demag`):

    .. math::

       K_u = \frac{\Delta k_B T}{V} + \frac{\mu_0 M_s^2}{2} (N_{zz} - N_{xx}), \qquad
       V = \frac{\pi d^2}{4} t_F

    At the preset's ``t_ref`` (= ``temperature``) a temperature law does not change
    Delta, so this holds with or without one.

    Parameters
    ----------
    delta : float or array [-]
        Thermal stability factor Delta to reproduce.
    diameter : float or array [m]
        Free-layer diameter d.
    thickness : float or array [m]
        Free-layer thickness t_F.
    ms : float or array [A/m]
        Saturation magnetisation M_s.
    temperature : float [K]
        Temperature at which ``delta`` holds (default 300).

    Returns
    -------
    float or numpy.ndarray [J/m^3]
        K_u (no range check: :class:`~spinaps.device.MTJParams` checks it).
    """
    volume = np.pi * diameter**2 / 4.0 * thickness
    return delta * K_B * temperature / volume + 0.5 * MU0 * ms**2 * demag_factor_difference(diameter, thickness)


def polarization_for_ic0(ic0, *, delta, alpha, temperature=300.0):
    r"""Spin polarisation P giving the critical current ``ic0`` [A].

    From I_c0 = (4 e alpha k_B T / (hbar P)) Delta (Sun 2000), i.e.
    P = 4 e alpha k_B T Delta / (hbar I_c0):

    .. math:: P = \frac{4 e \alpha k_B T \Delta}{\hbar I_{c0}}

    Parameters
    ----------
    ic0 : float or array [A]
        Zero-temperature critical current I_c0 to reproduce.
    delta : float or array [-]
        Thermal stability factor Delta at ``temperature``.
    alpha : float or array [-]
        Gilbert damping.
    temperature : float [K]
        Temperature at which ``delta`` holds (default 300).

    Returns
    -------
    float or numpy.ndarray [-]
        P (no range check: :class:`~spinaps.device.MTJParams` requires P in (0, 1]).

    References
    ----------
    * Sun, J. Z., Phys. Rev. B 62, 570-578 (2000); citation key ``Sun2000``.
    """
    return 4.0 * E_CHARGE * alpha * K_B * temperature * delta / (HBAR * ic0)


@dataclass(frozen=True)
class PresetSource:
    """Provenance of a preset.

    Attributes
    ----------
    citation : str
        Key in the package bibliography (``spinaps.citations``).
    reference : str
        Authors, venue and year in words.
    published : dict
        The published values the preset reproduces (name -> value with units).
    assumed : dict
        Values that are *not* from the source, with the reason for each choice.
    """

    citation: str
    reference: str
    published: dict = field(default_factory=dict)
    assumed: dict = field(default_factory=dict)


def _source(name) -> PresetSource:
    """The :class:`PresetSource` of the table entry ``name``."""
    entry = _TABLE[name]
    if not entry.source.bibkeys:
        raise ValueError(
            f"{_TABLE.file}: entry {name!r}, key 'source.bibkeys': a preset cites its work "
            "by its key in spinaps/references.bib"
        )
    return PresetSource(
        entry.source.bibkeys[0],
        entry.source.reference,
        published=dict(entry.note("published")),
        assumed=dict(entry.note("assumed")),
    )


def _from_delta_and_ic0(name):
    """K_u back-solved from the published thermal stability ``delta`` (at 300 K) and P
    from the published critical current ``ic0`` (Ikeda2010, Sato2013)."""
    v = _TABLE[name].require(
        "delta", "ic0", "ra", "tmr0", "tmr_bloch_coefficient", "curie_temperature", "anisotropy_exponent"
    )
    d, t, ms, alpha, delta = v["diameter"], v["thickness"], v["ms"], v["alpha"], v["delta"]
    params = MTJParams(
        diameter=d,
        thickness=t,
        ms=ms,
        ku=ku_for_delta(delta, diameter=d, thickness=t, ms=ms),
        alpha=alpha,
        polarization=polarization_for_ic0(v["ic0"], delta=delta, alpha=alpha),
        ra=v["ra"],
        tmr0=v["tmr0"],
        v_half=v["v_half"],
        tmr_bloch_coefficient=v["tmr_bloch_coefficient"],
        curie_temperature=v["curie_temperature"],
        anisotropy_exponent=v["anisotropy_exponent"],
    )
    return params, _source(name)


def _from_delta(name):
    """K_u back-solved from ``delta`` (at 300 K), P given (Golonzka2018, benchmark)."""
    v = _TABLE[name].require("delta", "polarization", "ra", "tmr0")
    d, t, ms = v["diameter"], v["thickness"], v["ms"]
    params = MTJParams(
        diameter=d,
        thickness=t,
        ms=ms,
        ku=ku_for_delta(v["delta"], diameter=d, thickness=t, ms=ms),
        alpha=v["alpha"],
        polarization=v["polarization"],
        ra=v["ra"],
        tmr0=v["tmr0"],
        v_half=v["v_half"],
    )
    return params, _source(name)


def _from_retention(name):
    """K_u back-solved for a retention *failure fraction*: the fraction of bits that have
    escaped after ``retention_time`` at ``retention_temperature`` equals
    ``failure_fraction``, 1 - exp(-t / tau(T)) with the Neel-Brown escape time of
    :func:`spinaps.device.thermal_escape_time` and the entry's temperature law; P given
    (Golonzka2018)."""
    from .switching import thermal_escape_time  # noqa: PLC0415 - switching imports the device stack

    v = _TABLE[name].require(
        "polarization",
        "ra",
        "tmr0",
        "curie_temperature",
        "anisotropy_exponent",
        "failure_fraction",
        "retention_time",
        "retention_temperature",
    )
    d, t, ms = v["diameter"], v["thickness"], v["ms"]

    def device(delta):
        return MTJParams(
            diameter=d,
            thickness=t,
            ms=ms,
            ku=ku_for_delta(delta, diameter=d, thickness=t, ms=ms),
            alpha=v["alpha"],
            polarization=v["polarization"],
            ra=v["ra"],
            tmr0=v["tmr0"],
            v_half=v["v_half"],
            curie_temperature=v["curie_temperature"],
            anisotropy_exponent=v["anisotropy_exponent"],
        )

    def log_gap(delta):
        tau = float(thermal_escape_time(device(delta), 0.0, temperature=v["retention_temperature"]))
        return np.log(-np.expm1(-v["retention_time"] / tau)) - np.log(v["failure_fraction"])

    delta = optimize.brentq(log_gap, 20.0, 400.0, xtol=1e-12)
    return device(delta), _source(name)


def _dong2012(name="Dong2012"):
    """NVSim's sample cell: P back-solved so that Sun's thermally averaged switching time
    at the set current ``i_write`` equals the set pulse ``t_pulse``; RA = R_P x area and
    TMR = R_AP / R_P - 1."""
    v = _TABLE[name].require("delta", "r_p", "r_ap", "i_write", "t_pulse", "curie_temperature", "anisotropy_exponent")
    d, t, ms, alpha, delta, i_write, t_pulse = (
        v[k] for k in ("diameter", "thickness", "ms", "alpha", "delta", "i_write", "t_pulse")
    )
    area = np.pi * d**2 / 4.0
    # tau_D does not depend on P: take it from a provisional device, then solve for P.
    draft = MTJParams(
        diameter=d,
        thickness=t,
        ms=ms,
        ku=ku_for_delta(delta, diameter=d, thickness=t, ms=ms),
        alpha=alpha,
        polarization=1.0,
        ra=v["r_p"] * area,
        tmr0=v["r_ap"] / v["r_p"] - 1.0,
        v_half=v["v_half"],
        curie_temperature=v["curie_temperature"],
        anisotropy_exponent=v["anisotropy_exponent"],
    )
    i_red = 1.0 + draft.tau_d * (np.log(np.pi**2 * delta / 4.0) + EULER_GAMMA) / (2.0 * t_pulse)
    params = replace(draft, polarization=polarization_for_ic0(i_write / i_red, delta=delta, alpha=alpha))
    return params, _source(name)


#: How each preset is built from its table entry.
_RECIPES = {
    "Ikeda2010": _from_delta_and_ic0,
    "Sato2013": _from_delta_and_ic0,
    "Golonzka2018": _from_retention,
    "Dong2012": _dong2012,
    "benchmark": _from_delta,
}


def _build(name):
    if name not in _RECIPES:
        raise ValueError(
            f"{_TABLE.file}: entry {name!r}: no recipe in spinaps.device.presets; recipes: {', '.join(_RECIPES)}"
        )
    return _RECIPES[name](name)


# Golonzka2018's 60 nm disk is above the macrospin limit once its K_u is back-solved for the
# retention target (its source note says so); building the table must not warn at import.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="diameter exceeds the macrospin validity limit")
    _BUILT = {name: _build(name) for name in _TABLE.entries}

#: Read-only mapping name -> MTJParams of the literature presets (``Ikeda2010``,
#: ``Sato2013``, ``Golonzka2018``, ``Dong2012``, ``benchmark``); :func:`preset` looks
#: one up with a helpful error.
presets = MappingProxyType({name: p for name, (p, _) in _BUILT.items()})
#: Read-only mapping name -> PresetSource: for each preset its citation key in
#: ``spinaps/references.bib``, the reference in words, the published values it
#: reproduces and the values that had to be assumed.
sources = MappingProxyType({name: s for name, (_, s) in _BUILT.items()})


def preset(name: str) -> MTJParams:
    """The literature parameter set ``name``.

    Parameters
    ----------
    name : str [object]
        A key of :data:`presets`: ``"Ikeda2010"`` (the default of ``spinaps run``,
        :data:`DEFAULT_PRESET`), ``"Sato2013"``, ``"Golonzka2018"``, ``"Dong2012"`` or
        ``"benchmark"``.

    Returns
    -------
    MTJParams
        A single device at ``t_ref`` = 300 K; :data:`sources` ``[name]`` says what was
        published and what was assumed.

    Raises
    ------
    KeyError
        If ``name`` is unknown; the message lists the valid names.

    Notes
    -----
    Where the source publishes Delta and I_c0 rather than the material constants,
    K_u and P are back-solved from them (:func:`ku_for_delta`,
    :func:`polarization_for_ic0`), so the preset reproduces the published figures.
    Golonzka2018's K_u is back-solved for a retention failure fraction (1e-6 of the
    bits in 10 years at 200 C, an assumed product target) instead.  The CoFeB/MgO
    presets (all but ``benchmark``) carry the Bloch and Callen-Callen temperature law
    calibrated to Rehm et al. 2021 (:data:`CURIE_TEMPERATURE_COFEB`,
    :data:`ANISOTROPY_EXPONENT_COFEB`), so Delta(T) falls faster than 1/T.

    Write asymmetry: I_c0 above is the constant-efficiency (eta = P) threshold.  With
    the Slonczewski tunnel-junction efficiency eta = P / (1 + P^2 cos theta) (the
    :class:`~spinaps.design.Design` default ``stt_form="slonczewski"``) the two writes
    differ, I_c0(AP->P) = I_c0 (1 - P^2) and I_c0(P->AP) = I_c0 (1 + P^2)
    (:meth:`MTJParams.ic0_direction`; ``spinaps presets`` lists them).  The
    efficiency depends on P, not on the TMR, so the bias-dependent TMR does not change
    these currents (only the voltage that drives them).  Every preset has
    ``field_like_ratio = 0`` and ``h_offset = 0`` (assumed: the sources give neither a
    field-like torque nor a reference-layer offset field); set them with
    :func:`dataclasses.replace` for a measured device.  At 300 K, no field:

    ============  ========  =====  ========  ========
    preset        I_c0      P      AP->P     P->AP
    ============  ========  =====  ========  ========
    Ikeda2010     49.0 uA   0.555  33.9 uA   64.1 uA
    Sato2013      24.0 uA   0.608  15.1 uA   32.9 uA
    Golonzka2018  46.6 uA   0.600  29.8 uA   63.3 uA
    Dong2012      20.0 uA   0.755  8.6 uA    31.4 uA
    benchmark     21.0 uA   0.600  13.4 uA   28.5 uA
    ============  ========  =====  ========  ========

    References
    ----------
    * Ikeda, S., et al., "A perpendicular-anisotropy CoFeB-MgO magnetic tunnel
      junction", Nature Materials 9, 721-724 (2010); citation key ``Ikeda2010``.
    * Sato, H., et al., IEEE IEDM 2013 (MgO/CoFeB/Ta/CoFeB/MgO recording structure
      down to 11 nm); citation key ``Sato2013``.
    * Golonzka, O., et al., "MRAM as Embedded Non-Volatile Memory Solution for 22FFL
      FinFET Technology", IEEE IEDM 2018; citation key ``Golonzka2018``.
    * Dong, X., Xu, C., Xie, Y. and Jouppi, N. P., "NVSim", IEEE Trans. CAD 31,
      994-1007 (2012): the sample STT-RAM cell; citation key ``Dong2012``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012): the regime of the
      ``benchmark`` macrospin workload; citation key ``Butler2012``.
    * Rehm, L., et al., "Thermal effects in spin-torque switching of perpendicular
      magnetic tunnel junctions at cryogenic temperatures", Phys. Rev. Applied 15,
      034088 (2021): the temperature law; citation key ``Rehm2021``.

    Examples
    --------
    >>> from spinaps.device import preset, sources
    >>> p = preset("Ikeda2010")
    >>> p.diameter, round(float(p.delta(300.0)), 6), sources["Ikeda2010"].citation
    (4e-08, 40.0, 'Ikeda2010')
    >>> [f"{float(p.ic0_direction(d)) * 1e6:.1f} uA" for d in ("ap_to_p", "p_to_ap")]
    ['33.9 uA', '64.1 uA']
    >>> preset("Ikeda")
    Traceback (most recent call last):
        ...
    KeyError: "unknown MTJ preset 'Ikeda'; valid names: Ikeda2010, Sato2013, Golonzka2018, Dong2012, benchmark"
    """
    try:
        return presets[name]
    except KeyError:
        raise KeyError(f"unknown MTJ preset {name!r}; valid names: {', '.join(presets)}") from None
