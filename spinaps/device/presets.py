"""Literature parameter sets for perpendicular MTJs (PyBaMM style).

``presets`` maps a name to an :class:`~spinaps.device.MTJParams`; ``sources`` maps the
same name to a :class:`PresetSource` with the full reference, what the published
values were, and which values we had to assume.  :func:`preset` looks a name up and
raises a ``KeyError`` listing the valid names.

Where a paper publishes a derived figure (thermal stability Delta, critical current
I_c0) rather than the material constants, the constants are back-solved from it with
the same formulas the models use (:func:`ku_for_delta`, :func:`polarization_for_ic0`),
so the preset reproduces the published figure exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np

from ..constants import E_CHARGE, EULER_GAMMA, HBAR, K_B, MU0
from .mtj import MTJParams

__all__ = ["presets", "sources", "preset", "PresetSource", "ku_for_delta", "polarization_for_ic0",
           "DEFAULT_PRESET"]

#: Shang TMR(T) coefficient a [K^-1.5] of the CoFeB/MgO presets: calibrated with
#: :func:`spinaps.device.calibrate` to the perpendicular CoFeB/MgO junction of
#: Skowronski et al. (arXiv 1701.06411, 2017: TMR 180 % at room temperature, 280 % at
#: 20 K), data set ``Skowronski2017_tmr_vs_temperature``.  A different stack from the
#: presets' own, so an assumption for them.
TMR_BLOCH_COFEB = 1.93e-5

_TEMPERATURE_ASSUMED = {
    "tmr_bloch_coefficient": "1.93e-5 K^-1.5, calibrated to Skowronski et al. 2017 (another CoFeB/MgO pMTJ)",
    "curie_temperature": "not set: no sourced effective T_C of a CoFeB free layer was found, so Ms and Ku "
                         "do not depend on temperature unless the user sets one",
}

#: Preset used by ``spinaps run`` when none is given.
DEFAULT_PRESET = "Ikeda2010"


def ku_for_delta(delta, *, diameter, thickness, ms, temperature=300.0):
    """Anisotropy K_u [J/m^3] giving thermal stability ``delta`` at ``temperature`` [K].

    K_u = Delta k_B T / V + mu0 M_s^2 / 2 (thin-film demagnetisation).
    """
    volume = np.pi * diameter ** 2 / 4.0 * thickness
    return delta * K_B * temperature / volume + 0.5 * MU0 * ms ** 2


def polarization_for_ic0(ic0, *, delta, alpha, temperature=300.0):
    """Spin polarisation P giving the critical current ``ic0`` [A].

    From I_c0 = (4 e alpha k_B T / (hbar P)) Delta (Sun 2000), i.e.
    P = 4 e alpha k_B T Delta / (hbar I_c0).
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


def _ikeda2010():
    d, t, ms, alpha, delta, ic0 = 40e-9, 1.3e-9, 1.257e6, 0.027, 40.0, 49e-6
    params = MTJParams(
        diameter=d, thickness=t, ms=ms, ku=ku_for_delta(delta, diameter=d, thickness=t, ms=ms),
        alpha=alpha, polarization=polarization_for_ic0(ic0, delta=delta, alpha=alpha),
        ra=10e-12, tmr0=1.2, v_half=0.5, tmr_bloch_coefficient=TMR_BLOCH_COFEB)
    src = PresetSource(
        "Ikeda2010",
        "S. Ikeda et al., 'A perpendicular-anisotropy CoFeB-MgO magnetic tunnel junction', "
        "Nature Materials 9, 721 (2010)",
        published={"diameter": "40 nm", "delta": "about 40", "ic0": "about 49 uA", "tmr0": "over 120 %"},
        assumed={"thickness": "1.3 nm, within the 1.0-1.7 nm CoFeB electrodes of the stack",
                 "ms": "1.257 MA/m (mu0 Ms = 1.58 T, annealed Co20Fe60B20)",
                 "alpha": "0.027 (value used in the Zhang et al. IEEE TED 2012 compact model)",
                 "ku": "back-solved for delta = 40 at 300 K",
                 "polarization": "back-solved for ic0 = 49 uA",
                 "ra": "10 Ohm um^2 (typical CoFeB/MgO, not given in the headline figures)",
                 "v_half": "0.5 V (Zhang et al. 2012 compact model)", **_TEMPERATURE_ASSUMED})
    return params, src


def _sato2013():
    d, t, ms, alpha, delta, ic0 = 20e-9, 2.6e-9, 1.0e6, 0.01, 58.0, 24e-6
    params = MTJParams(
        diameter=d, thickness=t, ms=ms, ku=ku_for_delta(delta, diameter=d, thickness=t, ms=ms),
        alpha=alpha, polarization=polarization_for_ic0(ic0, delta=delta, alpha=alpha),
        ra=5e-12, tmr0=1.0, v_half=0.5, tmr_bloch_coefficient=TMR_BLOCH_COFEB)
    src = PresetSource(
        "Sato2013",
        "H. Sato et al., double-interface MgO/CoFeB/Ta/CoFeB/MgO MTJs down to 11 nm, IEEE IEDM 2013",
        published={"diameter": "20 nm", "delta": "58", "ic0": "24 uA"},
        assumed={"thickness": "2.6 nm: the CoFeB(1.6 nm)/Ta/CoFeB(1.0 nm) recording stack of Sato et al. APL 2012",
                 "ms": "1.0 MA/m (typical CoFeB)", "alpha": "0.01",
                 "ku": "back-solved for delta = 58 at 300 K",
                 "polarization": "back-solved for ic0 = 24 uA",
                 "ra": "5 Ohm um^2", "tmr0": "1.0", "v_half": "0.5 V", **_TEMPERATURE_ASSUMED})
    return params, src


def _golonzka2018():
    # 10-year retention at 200 C with tau_0 = 1 ns needs Delta(473 K) >= ln(10 yr / 1 ns) = 40.3,
    # i.e. Delta(300 K) >= 63.6 with Delta proportional to 1/T; we take 64.
    d, t, ms, alpha, pol = 60e-9, 1.3e-9, 1.0e6, 0.01, 0.6
    params = MTJParams(
        diameter=d, thickness=t, ms=ms, ku=ku_for_delta(64.0, diameter=d, thickness=t, ms=ms),
        alpha=alpha, polarization=pol, ra=10e-12, tmr0=1.8, v_half=0.5)
    src = PresetSource(
        "Golonzka2018",
        "O. Golonzka et al., 'MRAM as embedded non-volatile memory solution for 22FFL FinFET "
        "technology', IEEE IEDM 2018 (22 nm embedded-MRAM class cell)",
        published={"diameter": "MTJ CD 60-80 nm (60 nm taken)", "tmr0": "180 % at 25 C",
                   "retention": "10 years at 200 C"},
        assumed={"ku": "back-solved for delta(300 K) = 64, the minimum for 10-year retention at 200 C "
                       "with tau_0 = 1 ns and temperature-independent K_eff",
                 "thickness": "1.3 nm", "ms": "1.0 MA/m", "alpha": "0.01", "polarization": "0.6",
                 "ra": "10 Ohm um^2", "v_half": "0.5 V"})
    return params, src


def _dong2012():
    # NVSim's sample STT-RAM cell: R_on/R_off = 6/12 kOhm, set pulse 40.82 uA x 5 ns (22 nm).
    # We choose a 40 nm x 1.3 nm free layer with Delta = 60 and alpha = 0.01, and back-solve P
    # so that Sun's thermally averaged switching time at 40.82 uA equals 5 ns.
    d, t, ms, alpha, delta, i_write, t_write = 40e-9, 1.3e-9, 1.0e6, 0.01, 60.0, 40.82e-6, 5e-9
    area = np.pi * d ** 2 / 4.0
    # tau_D does not depend on P: take it from a provisional device, then solve for P.
    draft = MTJParams(diameter=d, thickness=t, ms=ms, ku=ku_for_delta(delta, diameter=d, thickness=t, ms=ms),
                      alpha=alpha, polarization=1.0, ra=6e3 * area, tmr0=1.0, v_half=0.5)
    i_red = 1.0 + draft.tau0 * (np.log(np.pi ** 2 * delta / 4.0) + EULER_GAMMA) / (2.0 * t_write)
    params = replace(draft, polarization=polarization_for_ic0(i_write / i_red, delta=delta, alpha=alpha))
    src = PresetSource(
        "Dong2012",
        "X. Dong, C. Xu, Y. Xie, N. P. Jouppi, 'NVSim', IEEE TCAD 31, 994 (2012): the sample STT-RAM cell file",
        published={"r_p": "6 kOhm", "r_ap": "12 kOhm", "set current": "40.82 uA", "set pulse": "5 ns"},
        assumed={"diameter": "40 nm", "thickness": "1.3 nm", "ms": "1.0 MA/m", "alpha": "0.01",
                 "ku": "back-solved for delta = 60 at 300 K",
                 "polarization": "back-solved so that Sun's mean switching time at 40.82 uA is 5 ns",
                 "ra": "R_P x area", "v_half": "0.5 V"})
    return params, src


def _benchmark():
    d, t, ms = 40e-9, 1.3e-9, 1.0e6
    params = MTJParams(diameter=d, thickness=t, ms=ms, ku=ku_for_delta(50.0, diameter=d, thickness=t, ms=ms),
                       alpha=0.01, polarization=0.6, ra=5e-12, tmr0=1.5, v_half=0.5)
    src = PresetSource(
        "Butler2012",
        "Reference macrospin workload of the LLG benchmark (40 nm x 1.3 nm, Delta = 50, alpha = 0.01, "
        "P = 0.6), in the regime analysed by Butler et al., IEEE Trans. Magn. 48, 4684 (2012)",
        published={},
        assumed={"all": "a synthetic device chosen for validation and benchmarking, not a measured one",
                 "ra": "5 Ohm um^2", "tmr0": "1.5", "v_half": "0.5 V"})
    return params, src


_BUILT = {name: fn() for name, fn in {
    "Ikeda2010": _ikeda2010, "Sato2013": _sato2013, "Golonzka2018": _golonzka2018,
    "Dong2012": _dong2012, "benchmark": _benchmark}.items()}

#: Read-only mapping name -> MTJParams.
presets = MappingProxyType({name: p for name, (p, _) in _BUILT.items()})
#: Read-only mapping name -> PresetSource.
sources = MappingProxyType({name: s for name, (_, s) in _BUILT.items()})


def preset(name: str) -> MTJParams:
    """The literature parameter set ``name``.

    Raises
    ------
    KeyError
        If ``name`` is unknown; the message lists the valid names.
    """
    try:
        return presets[name]
    except KeyError:
        raise KeyError(f"unknown MTJ preset {name!r}; valid names: {', '.join(presets)}") from None
