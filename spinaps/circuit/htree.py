r"""Global wires of a memory's H-tree: buffered segments, with or without repeaters.

Vectorised over segment lengths (numpy arrays broadcast).  The wire's resistance and
capacitance per metre are the :class:`Technology`'s global wires
(``wire_r_global``, ``wire_c_global``: CACTI 7's, Balasubramonian et al., ACM TACO
2017).

Delay models
------------
* A minimum balanced inverter (NMOS of width F, PMOS beta times wider, beta =
  r_eff_p / r_eff_n) has the input capacitance C_0 = c_gate F (1 + beta), the output
  capacitance C_p = c_drain F (1 + beta) and the drive R_0 = r_eff_n / F; its fan-out-4
  delay is tau_FO4 = 0.69 R_0 (4 C_0 + C_p) (a gate of logical effort one;
  Sutherland, Sproull and Harris, *Logical Effort*, 1999).
* A driver chain of fan-out 4 from a minimum inverter to a load C_L has
  n = ceil(log4(C_L / C_0)) stages (at least one), delay n tau_FO4, and its gates add
  C_L / 3 to the switched capacitance (the geometric series 1/4 + 1/16 + ...).
* An unrepeated wire of length l (``repeaters="none"``, NVSim's ``RepeatedNone``):
  driven by such a chain, delay n tau_FO4 + 0.38 r c l^2, the 50 % point of a
  distributed RC line (T. Sakurai, IEEE J. Solid-State Circuits 18(4), 1983; the same
  rule as the sub-array's wordline); energy (c l + c l / 3) V_dd^2 per transition.
* A wire with optimally sized and spaced repeaters (``repeaters="optimal"``; H. B.
  Bakoglu and J. D. Meindl, IEEE Trans. Electron Devices 32(5), 903-909, 1985; the
  same rule in R. Ho, K. W. Mai and M. A. Horowitz, Proc. IEEE 89(4), 490-504, 2001):
  a repeater h times the minimum inverter every s metres, segment delay

  .. math:: t_s = 0.69 \frac{R_0}{h} (h C_p + c s + h C_0) + 0.38 r c s^2 + 0.69 r s h C_0,

  minimised at h* = sqrt(R_0 c / (r C_0)), s* = sqrt(0.69 R_0 (C_0 + C_p) / (0.38 r c));
  delay per metre t_s* / s*, energy per metre (c + h* (C_0 + C_p) / s*) V_dd^2, and one
  repeater's leakage and area per s*.  The wire's first repeater is driven by one
  FO4 stage.

Both tools route their H-trees on global wires; NVSim's unrepeated rule is
2.3 r c l^2 / 2 (the 90 % point) with buffers left out (``Wire.cpp``); ours keeps the
sub-array's 50 % convention and counts the buffers.  (Sakurai 1983, Bakoglu and Meindl
1985 and Ho, Mai and Horowitz 2001 are not in ``references.bib``.)
"""

from __future__ import annotations

import numpy as np

from ..params import check_choice
from .technology import Technology

__all__ = ["REPEATERS", "fo4_delay", "min_inverter", "driver_chain", "wire_segment", "repeated_wire"]

#: Repeater options of :func:`wire_segment`.
REPEATERS = ("none", "optimal")

_ELMORE_DISTRIBUTED = 0.38  # 50 % point of a distributed RC line (Sakurai 1983)
_ELMORE_LUMPED = 0.69  # 50 % point of a lumped RC stage, ln 2


def min_inverter(tech: Technology):
    """The minimum balanced inverter: (C_0 [F], C_p [F], R_0 [Ohm], total width [m]).

    NMOS of width F, PMOS ``beta = r_eff_p / r_eff_n`` times wider.
    """
    f = tech.feature_size
    beta = tech.r_eff_p / tech.r_eff_n
    return tech.c_gate * f * (1.0 + beta), tech.c_drain * f * (1.0 + beta), tech.r_eff_n / f, f * (1.0 + beta)


def fo4_delay(tech: Technology) -> float:
    r"""Fan-out-4 delay of a minimum inverter [s]: 0.69 R_0 (4 C_0 + C_p).

    Parameters
    ----------
    tech : Technology
        The devices.

    Returns
    -------
    float [s]

    Examples
    --------
    >>> from spinaps.circuit import technology
    >>> from spinaps.circuit.htree import fo4_delay
    >>> 1e-12 < fo4_delay(technology(22)) < 3e-11
    True
    """
    c0, cp, r0, _ = min_inverter(tech)
    return _ELMORE_LUMPED * r0 * (4.0 * c0 + cp)


def driver_chain(tech: Technology, c_load):
    """A fan-out-4 chain from a minimum inverter to ``c_load``.

    Parameters
    ----------
    tech : Technology
        The devices.
    c_load : float or array_like [F]
        The load, >= 0.

    Returns
    -------
    dict of numpy.ndarray
        ``stages`` [1], ``delay`` [s] (stages x tau_FO4), ``c_switched`` [F] (the
        chain's gate capacitance, c_load / 3) and ``width`` [m] (the chain's NMOS plus
        PMOS widths, sum of 4^k minimum inverters).
    """
    c0, _, _, w0 = min_inverter(tech)
    c_load = np.asarray(c_load, dtype=float)
    stages = np.maximum(1.0, np.ceil(np.log(np.maximum(c_load / c0, 1.0)) / np.log(4.0)))
    return dict(
        stages=stages,
        delay=stages * fo4_delay(tech),
        c_switched=c_load / 3.0,
        width=w0 * (4.0**stages - 1.0) / 3.0,
    )


def repeated_wire(tech: Technology):
    """Optimal repeaters on the global wire (Bakoglu and Meindl 1985; module notes).

    Returns
    -------
    dict of float
        ``size`` h* [1], ``spacing`` s* [m], ``delay_per_m`` [s/m],
        ``energy_per_m`` [J/m] per transition, ``width_per_m`` [1] (repeater NMOS+PMOS
        width per metre of wire, [m/m]).
    """
    c0, cp, r0, w0 = min_inverter(tech)
    r, c = tech.wire_r_global, tech.wire_c_global
    h = np.sqrt(r0 * c / (r * c0))
    s = np.sqrt(_ELMORE_LUMPED * r0 * (c0 + cp) / (_ELMORE_DISTRIBUTED * r * c))
    t_s = (
        _ELMORE_LUMPED * (r0 / h) * (h * cp + c * s + h * c0)
        + _ELMORE_DISTRIBUTED * r * c * s**2
        + _ELMORE_LUMPED * r * s * h * c0
    )
    return dict(
        size=float(h),
        spacing=float(s),
        delay_per_m=float(t_s / s),
        energy_per_m=float((c + h * (c0 + cp) / s) * tech.vdd**2),
        width_per_m=float(h * w0 / s),
    )


def wire_segment(tech: Technology, length, repeaters: str = "none"):
    r"""Delay, energy and driver width of buffered global-wire segments.

    Parameters
    ----------
    tech : Technology
        Devices and global wires.
    length : float or array_like [m]
        Segment lengths, >= 0.
    repeaters : {"none", "optimal"}
        An unrepeated wire driven by a fan-out-4 chain, or optimal repeaters
        (module notes).

    Returns
    -------
    dict of numpy.ndarray
        ``wire_delay``, ``driver_delay`` [s]; ``wire_energy`` (c l V^2, or the repeated
        wire's per-metre energy times l), ``driver_energy`` [J] per transition (the
        chain's gates; zero for repeated wires, whose repeaters are in
        ``wire_energy``); ``driver_width`` [m] (NMOS + PMOS of the chain or of the
        repeaters), per bit.

    Raises
    ------
    ValueError
        If ``repeaters`` is not one of :data:`REPEATERS` or a length is negative.

    Examples
    --------
    >>> from spinaps.circuit import technology
    >>> from spinaps.circuit.htree import wire_segment
    >>> s = wire_segment(technology(22), [1e-4, 2e-4])
    >>> bool(s["wire_delay"][1] / s["wire_delay"][0] == 4.0)   # unrepeated: quadratic in l
    True
    """
    check_choice("repeaters", repeaters, REPEATERS)
    length = np.asarray(length, dtype=float)
    if np.any(length < 0):
        raise ValueError(f"length = {length.min():g} m; allowed: >= 0")
    r, c, v = tech.wire_r_global, tech.wire_c_global, tech.vdd
    c_wire = c * length
    if repeaters == "none":
        chain = driver_chain(tech, c_wire)
        return dict(
            wire_delay=_ELMORE_DISTRIBUTED * r * c * length**2,
            driver_delay=np.where(length > 0, chain["delay"], 0.0),
            wire_energy=c_wire * v**2,
            driver_energy=chain["c_switched"] * v**2,
            driver_width=np.where(length > 0, chain["width"], 0.0),
        )
    rep = repeated_wire(tech)
    return dict(
        wire_delay=rep["delay_per_m"] * length,
        driver_delay=np.where(length > 0, fo4_delay(tech), 0.0),
        wire_energy=rep["energy_per_m"] * length,
        driver_energy=np.zeros_like(length),
        driver_width=rep["width_per_m"] * length,
    )
