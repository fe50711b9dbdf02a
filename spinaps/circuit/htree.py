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
* A driver chain from a minimum inverter to a load C_L has n stages of effective fan-out
  f = (C_L / C_0)^(1/n) <= 4: of n_4 = ceil(log4(C_L / C_0)) (at least one) up to
  n_4 + 3 stages, the fastest (with the drains' C_p the best fan-out is below 4, so a
  load of C_0 4^n may take n + 1 stages; the delay is then nondecreasing in C_L, which
  the organisation search's bound relies on).  Stage k is f^k minimum inverters.  From
  the same stage sizes: its width w_0 sum f^k, its gate capacitance C_0 sum f^k, the
  capacitance it switches (gates and drains) (C_0 + C_p) sum f^k, and its delay
  n 0.69 R_0 (f C_0 + C_p) (one FO4 per stage when f = 4).
* An unrepeated wire of length l (``repeaters="none"``, NVSim's ``RepeatedNone``):
  driven by such a chain, delay chain + 0.38 r c l^2, the 50 % point of a distributed
  RC line (T. Sakurai, IEEE J. Solid-State Circuits 18(4), 1983; the same rule as the
  sub-array's wordline); energy (c l + the chain's switched capacitance) V_dd^2 per
  transition.
* A wire with optimally sized and spaced repeaters (``repeaters="optimal"``; H. B.
  Bakoglu and J. D. Meindl, IEEE Trans. Electron Devices 32(5), 903-909, 1985; the
  same rule in R. Ho, K. W. Mai and M. A. Horowitz, Proc. IEEE 89(4), 490-504, 2001):
  a repeater h times the minimum inverter every s metres, segment delay

  .. math:: t_s = 0.69 \frac{R_0}{h} (h C_p + c s + h C_0) + 0.38 r c s^2 + 0.69 r s h C_0,

  minimised at h* = sqrt(R_0 c / (r C_0)), s* = sqrt(0.69 R_0 (C_0 + C_p) / (0.38 r c)).
  A wire of length l gets n = max(1, ceil(l / s*)) repeaters of size h* spaced l / n:
  delay n t_s(h*, l / n), energy (c l + n h* (C_0 + C_p)) V_dd^2, and the repeaters'
  leakage and area from their width n h* w_0 (a wire shorter than s* is one segment,
  not a fraction of one).  The first repeater is driven by a driver chain to its
  input h* C_0.

Known low estimate: the FO4 delay from R_eff, C_gate and C_drain with a step input
(the sub-array's decoder uses the same) is 2.3 ps at 22 nm, 0.3x the rule of thumb
FO4 = 360 ps x L_drawn [um] (7.9 ps; Ho, Mai and Horowitz 2001) and 0.4-0.45x of it at
32 and 45 nm.  The input slope is left out and the devices are CACTI 7's effective
resistances and capacitances; the driver delays built on this FO4 are low by about that
factor, the wires' RC delays do not depend on it.

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

ELMORE_DISTRIBUTED = 0.38  # 50 % point of a distributed RC line (Sakurai 1983)
_ELMORE_LUMPED = 0.69  # 50 % point of a lumped RC stage, ln 2
#: Rule-of-thumb FO4 delay per drawn gate length [s/m]: 360 ps per um (Ho, Mai and
#: Horowitz, Proc. IEEE 2001); the published value our step-input FO4 is compared to.
FO4_PER_LENGTH = 360e-12 / 1e-6


def min_inverter(tech: Technology):
    """The minimum balanced inverter: (C_0 [F], C_p [F], R_0 [Ohm], total width [m]).

    NMOS of width F, PMOS ``beta = r_eff_p / r_eff_n`` times wider.
    """
    f = tech.feature_size
    beta = tech.r_eff_p / tech.r_eff_n
    return tech.c_gate * f * (1.0 + beta), tech.c_drain * f * (1.0 + beta), tech.r_eff_n / f, f * (1.0 + beta)


def fo4_delay(tech: Technology) -> float:
    r"""Fan-out-4 delay of a minimum inverter [s]: 0.69 R_0 (4 C_0 + C_p).

    A step-input estimate, low against published FO4 delays (module notes).

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
    """A driver chain from a minimum inverter to ``c_load`` (module notes).

    Parameters
    ----------
    tech : Technology
        The devices.
    c_load : float or array_like [F]
        The load, >= 0.

    Returns
    -------
    dict of numpy.ndarray
        ``stages`` n [1], ``fanout`` f = (C_L / C_0)^(1/n) [1], ``delay`` [s]
        n 0.69 R_0 (f C_0 + C_p), ``c_gate`` [F] C_0 sum f^k (the chain's gates),
        ``c_switched`` [F] (C_0 + C_p) sum f^k (its gates and drains) and ``width``
        [m] w_0 sum f^k (NMOS plus PMOS), k = 0 ... n - 1.

    Examples
    --------
    >>> from spinaps.circuit import technology
    >>> from spinaps.circuit.htree import driver_chain, min_inverter
    >>> t = technology(22)
    >>> chain = driver_chain(t, 4 * min_inverter(t)[0])
    >>> int(chain["stages"]), round(float(chain["fanout"]), 9)
    (1, 4.0)
    >>> int(driver_chain(t, 64 * min_inverter(t)[0])["stages"])  # four stages of 2.8 beat three of 4
    4
    """
    c0, cp, r0, w0 = min_inverter(tech)
    ratio = np.asarray(c_load, dtype=float) / c0
    # fewest stages of fan-out <= 4 (1e-9: a load of exactly C_0 4^n is n stages despite
    # rounding), then up to three more where they are faster (the drains favour f < 4)
    fewest = np.maximum(1.0, np.ceil(np.log(np.maximum(ratio, 1.0)) / np.log(4.0) - 1e-9))
    options = fewest[..., None] + np.arange(4.0)
    delays = options * (np.asarray(ratio)[..., None] ** (1.0 / options) * c0 + cp)
    stages = np.take_along_axis(options, np.argmin(delays, axis=-1)[..., None], axis=-1)[..., 0]
    fanout = ratio ** (1.0 / stages)
    near_one = np.abs(fanout - 1.0) < 1e-12
    sizes = np.where(near_one, stages, (fanout**stages - 1.0) / np.where(near_one, 1.0, fanout - 1.0))
    return dict(
        stages=stages,
        fanout=fanout,
        delay=stages * _ELMORE_LUMPED * r0 * (fanout * c0 + cp),
        c_gate=c0 * sizes,
        c_switched=(c0 + cp) * sizes,
        width=w0 * sizes,
    )


def _segment_delay(tech: Technology, size, spacing):
    """Delay [s] of one repeated segment: a repeater ``size`` x the minimum inverter
    driving ``spacing`` metres of global wire and the next repeater (module notes)."""
    c0, cp, r0, _ = min_inverter(tech)
    r, c = tech.wire_r_global, tech.wire_c_global
    return (
        _ELMORE_LUMPED * (r0 / size) * (size * cp + c * spacing + size * c0)
        + ELMORE_DISTRIBUTED * r * c * spacing**2
        + _ELMORE_LUMPED * r * spacing * size * c0
    )


def repeated_wire(tech: Technology):
    """Optimal repeaters on the global wire (Bakoglu and Meindl 1985; module notes).

    Returns
    -------
    dict of float
        ``size`` h* [1], ``spacing`` s* [m], ``delay_per_m`` [s/m],
        ``energy_per_m`` [J/m] per transition, ``width_per_m`` [1] (repeater NMOS+PMOS
        width per metre of wire, [m/m]), all at the optimum spacing.
    """
    c0, cp, r0, w0 = min_inverter(tech)
    r, c = tech.wire_r_global, tech.wire_c_global
    h = np.sqrt(r0 * c / (r * c0))
    s = np.sqrt(_ELMORE_LUMPED * r0 * (c0 + cp) / (ELMORE_DISTRIBUTED * r * c))
    return dict(
        size=float(h),
        spacing=float(s),
        delay_per_m=float(_segment_delay(tech, h, s) / s),
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
        An unrepeated wire driven by a driver chain, or optimal repeaters (module
        notes).

    Returns
    -------
    dict of numpy.ndarray
        ``wire_delay``, ``driver_delay`` [s]; ``wire_energy`` (c l V^2, plus the
        repeaters' n h* (C_0 + C_p) V^2 on a repeated wire), ``driver_energy`` [J] per
        transition (the driver chain at the wire's start: to the wire, or to the first
        repeater); ``driver_width`` [m] (NMOS + PMOS of the chain, plus the repeaters),
        per bit.

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
            wire_delay=ELMORE_DISTRIBUTED * r * c * length**2,
            driver_delay=np.where(length > 0, chain["delay"], 0.0),
            wire_energy=c_wire * v**2,
            driver_energy=np.where(length > 0, chain["c_switched"] * v**2, 0.0),
            driver_width=np.where(length > 0, chain["width"], 0.0),
        )
    rep = repeated_wire(tech)
    c0, cp, _, w0 = min_inverter(tech)
    h = rep["size"]
    present = length > 0
    n = np.where(present, np.maximum(1.0, np.ceil(length / rep["spacing"] - 1e-9)), 0.0)
    first = driver_chain(tech, h * c0)
    return dict(
        wire_delay=np.where(present, n * _segment_delay(tech, h, length / np.maximum(n, 1.0)), 0.0),
        driver_delay=np.where(present, first["delay"], 0.0),
        wire_energy=(c_wire + n * h * (c0 + cp)) * v**2,
        driver_energy=np.where(present, first["c_switched"] * v**2, 0.0),
        driver_width=np.where(present, first["width"], 0.0) + n * h * w0,
    )
