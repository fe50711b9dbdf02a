r"""Decoder outputs with input-slope delays: the row decoder and the column-mux decoder.

One *decoder output* is the gate path that selects one line (a wordline, or a column
multiplexer's select line): a NAND2 of two predecoded address lines followed by an
inverter chain that drives the line.  The path is designed once per decoder (every
output is the same circuit) and replicated once per output; only one output switches
per access.

Sizing (logical effort; Sutherland, Sproull and Harris, *Logical Effort*, 1999)
--------------------------------------------------------------------------------
The NAND2 has NMOS of 2 w_min and PMOS of beta w_min (the drive of the minimum
inverter, beta = r_eff_p / r_eff_n, w_min = F), logical effort g = (2 + beta) /
(1 + beta) and input capacitance C_nand = c_gate (2 + beta) w_min.  The path effort to
a load C_L is G = g C_L / C_nand; the path has N + 1 = max(2, round(log4 G)) stages
(N inverters), N made odd so that the active-low NAND output gives an active-high line.
With the stage effort f = G^(1 / (N + 1)), inverter i (1 ... N) has the input
capacitance C_i = C_nand f^i / g, i.e. the NMOS width C_i / (c_gate (1 + beta)) (at
least w_min) and a PMOS beta times wider.  The last inverter's NMOS is capped at
:data:`MAX_DRIVER_NMOS_F` F (100 F, the cap of both NVSim, ``MAX_NMOS_SIZE``, and
CACTI 7, ``max_w_nmos_``); a capped path is re-sized to that last stage, C_N = c_gate
(1 + beta) 100 F: N = round(log4(g C_N / C_nand)) inverters (odd, at least one) of stage
effort f = (g C_N / C_nand)^(1 / N), and its last stage drives C_L / C_N > f, slower
than the optimum.  This keeps a wide wordline's driver (and its area and leakage,
replicated per row) bounded, independent of the line's load.

Delay (Horowitz 1983)
---------------------
Each stage k has the time constant tau_k = R_k (C_p,k + C_load,k): R_k the pull-down
resistance (r_eff_n / w_n; the NAND2's two series NMOS of 2 w_min give r_eff_n / w_min),
C_p,k its drains (c_drain times the NMOS and PMOS widths on its output), C_load,k the
next stage's input (the line for the last stage, plus the line's own R_line C_L / 2).
Its delay for an input ramp of rise time t_in is Horowitz's

.. math:: t_d = \tau \sqrt{\ln^2 v_s + 2 b (1 - v_s) t_\mathrm{in} / \tau},

with v_s = 0.5 (the switching point) and b = 0.5 (CACTI 7's value for a rising input,
``horowitz`` in ``basic_circuit.cc``); with a step input it is 0.69 tau, our FO4
convention.  The output ramp passed to the next stage is t_d / (1 - v_s) (as both
tools).  The first stage's input ramp is that of a minimum inverter's FO4 stage with a
step input, tau_FO4 / (1 - v_s) (assumed: the address arrives through gates of the same
family).

Energy, area, leakage
---------------------
Per access one output switches: every node of the path, (C_p,k + C_load,k) V_dd^2; the
line's own C_L V_dd^2 is reported apart (the wordline or select-line component).
Area per output: each transistor (W + 2F) 4F (:func:`~spinaps.circuit.array.device_area`'s
rule).  Leakage per output: V_dd I_off W / 2 over the path's widths (the sub-array's rule:
half the devices of a static gate are off).

References
----------
* M. A. Horowitz, *Timing Models for MOS Circuits*, PhD thesis, Stanford University
  (1983); citation key ``Horowitz1983``.
* X. Dong, C. Xu, Y. Xie and N. P. Jouppi, IEEE TCAD 31(7), 994-1007 (2012) (NVSim:
  ``RowDecoder.cpp``, ``OutputDriver.cpp``); ``Dong2012``.
* R. Balasubramonian et al., ACM TACO 14(2), 14 (2017) (CACTI 7: ``decoder.cc``);
  ``Balasubramonian2017``.
"""

from __future__ import annotations

import math

from ..params import check_int, check_range
from .technology import Technology

__all__ = ["MAX_DRIVER_NMOS_F", "HOROWITZ_VS", "HOROWITZ_B", "horowitz", "decoder_output", "input_ramp"]

#: Cap on a line driver's NMOS width, in F: NVSim's ``MAX_NMOS_SIZE`` (constant.h) and
#: CACTI 7's ``max_w_nmos_`` (parameter.cc), both 100 F.
MAX_DRIVER_NMOS_F = 100.0
#: Normalised switching voltage of Horowitz's delay (both tools take 0.5).
HOROWITZ_VS = 0.5
#: Horowitz's b for a rising input (CACTI 7's constant in ``horowitz``).
HOROWITZ_B = 0.5


def horowitz(tau, t_in, v_s: float = HOROWITZ_VS, b: float = HOROWITZ_B):
    r"""Horowitz's delay of a gate of time constant ``tau`` for an input ramp ``t_in``.

    .. math:: t_d = \tau \sqrt{\ln^2 v_s + 2 b (1 - v_s) t_\mathrm{in} / \tau},
              \qquad t_\mathrm{out} = t_d / (1 - v_s)

    Parameters
    ----------
    tau : float [s]
        The gate's time constant R (C_p + C_load), > 0.
    t_in : float [s]
        Rise time of its input, >= 0 (0: a step, t_d = tau ln(1 / v_s)).
    v_s : float [1]
        Normalised switching voltage, in (0, 1) (default 0.5).
    b : float [1]
        Horowitz's input-slope coefficient, > 0 (default 0.5, CACTI 7's rising input).

    Returns
    -------
    tuple of float
        The delay t_d [s] and the output ramp t_out [s].

    Raises
    ------
    ValueError
        If ``tau`` is not positive, ``t_in`` is negative or ``v_s`` outside (0, 1).

    References
    ----------
    * M. A. Horowitz, *Timing Models for MOS Circuits*, PhD thesis, Stanford (1983).

    Examples
    --------
    >>> from spinaps.circuit.decoder import horowitz
    >>> round(horowitz(1e-12, 0.0)[0] * 1e12, 4)   # a step: ln 2 tau [ps]
    0.6931
    """
    check_range("tau", tau, low=0.0, units="s")
    check_range("t_in", t_in, low=0.0, low_inclusive=True, units="s")
    check_range("v_s", v_s, low=0.0, high=1.0)
    check_range("b", b, low=0.0)
    t_d = tau * math.sqrt(math.log(v_s) ** 2 + 2.0 * b * (1.0 - v_s) * t_in / tau)
    return t_d, t_d / (1.0 - v_s)


def input_ramp(tech: Technology) -> float:
    """Rise time [s] of an address line: the output of a minimum inverter's FO4 stage
    with a step input, tau_FO4 / (1 - v_s), tau_FO4 = R_0 (4 C_0 + C_p) (assumed)."""
    beta = tech.r_eff_p / tech.r_eff_n
    f = tech.feature_size
    tau = tech.r_eff_n / f * (4.0 * tech.c_gate + tech.c_drain) * f * (1.0 + beta)
    return horowitz(tau, 0.0)[1]


def _stage_widths(tech: Technology, c_load: float, max_nmos: float):
    """NMOS widths [m] of the NAND2 (first) and the inverters of one decoder output."""
    f = tech.feature_size
    beta = tech.r_eff_p / tech.r_eff_n
    g = (2.0 + beta) / (1.0 + beta)
    c_nand = tech.c_gate * (2.0 + beta) * f
    c_unit = tech.c_gate * (1.0 + beta)  # input capacitance per metre of inverter NMOS
    effort = max(g * c_load / c_nand, 1.0)
    n_inv = max(2, round(math.log(effort, 4.0))) - 1
    if n_inv % 2 == 0:
        n_inv += 1
    fanout = effort ** (1.0 / (n_inv + 1))
    c_in = [c_nand * fanout**i / g for i in range(1, n_inv + 1)]
    if c_in[-1] / c_unit > max_nmos:  # capped: size the path to the capped last stage
        c_last = c_unit * max_nmos
        effort = max(g * c_last / c_nand, 1.0)
        n_inv = max(1, round(math.log(effort, 4.0)))
        if n_inv % 2 == 0:
            n_inv += 1
        fanout = effort ** (1.0 / n_inv)
        c_in = [c_nand * fanout**i / g for i in range(1, n_inv)] + [c_last]
    return [max(c / c_unit, f) for c in c_in]


def decoder_output(
    tech: Technology,
    c_load: float,
    r_load: float = 0.0,
    *,
    t_in: float | None = None,
    extra_nand_stages: int = 0,
    max_nmos_f: float = MAX_DRIVER_NMOS_F,
):
    """One decoder output: NAND2 and line driver sized for ``c_load`` (module notes).

    Parameters
    ----------
    tech : Technology
        The periphery's devices.
    c_load : float [F]
        The line's capacitance (a wordline: the access gates and the wire), > 0.
    r_load : float [Ohm]
        The line's wire resistance, >= 0 (adds R C_L / 2 to the last stage).
    t_in : float [s], optional
        Rise time of the address input (default :func:`input_ramp`).
    extra_nand_stages : int
        NAND2 stages of fan-out 4 ahead of the final NAND2 (a sub-array decoding its
        own address: its predecode levels), 0 ... 8.
    max_nmos_f : float [F]
        Cap on the last inverter's NMOS width, in units of F (default 100, both tools'),
        in [1, 1e4].

    Returns
    -------
    dict
        ``t_gates`` [s]: the delay through the NAND stages and every inverter but the
        last; ``t_driver`` [s]: the last inverter's delay onto the line; ``t_out`` [s]:
        the line's ramp; ``c_path`` [F]: the capacitance switched in the path per
        access (drains and gates, the line excluded); ``n_widths``, ``p_widths``
        (lists [m]): every transistor width of one output, NMOS and PMOS; ``stages``:
        the inverters of the driver; ``last_nmos`` [m]: the last inverter's NMOS width.

    Raises
    ------
    ValueError
        If ``c_load`` is not positive, ``r_load`` negative, ``extra_nand_stages`` or
        ``max_nmos_f`` outside its range.

    Examples
    --------
    >>> from spinaps.circuit import technology
    >>> from spinaps.circuit.decoder import decoder_output
    >>> t = technology(22)
    >>> d = decoder_output(t, 1e-12)     # a 1 pF line hits the 100 F cap
    >>> round(d["last_nmos"] / t.feature_size)
    100
    """
    check_range("c_load", c_load, low=0.0, units="F")
    check_range("r_load", r_load, low=0.0, low_inclusive=True, units="Ohm")
    check_int("extra_nand_stages", extra_nand_stages, 0, 8)
    check_range("max_nmos_f", max_nmos_f, low=1.0, high=1e4, low_inclusive=True, high_inclusive=True)
    f = tech.feature_size
    beta = tech.r_eff_p / tech.r_eff_n
    cg, cd, rn = tech.c_gate, tech.c_drain, tech.r_eff_n
    t = input_ramp(tech) if t_in is None else t_in
    check_range("t_in", t, low=0.0, low_inclusive=True, units="s")
    widths = _stage_widths(tech, c_load, max_nmos_f * f)
    c_nand_in = cg * (2.0 + beta) * f
    c_nand_out = cd * (2.0 * f + 2.0 * beta * f)  # one NMOS of 2F and two PMOS of beta F
    t_gates, c_path = 0.0, 0.0
    n_w, p_w = [], []
    for _ in range(extra_nand_stages):  # predecode levels: NAND2 driving four NAND2 inputs
        tau = rn / f * (c_nand_out + 4.0 * c_nand_in)
        d, t = horowitz(tau, t)
        t_gates += d
        c_path += c_nand_out + 4.0 * c_nand_in
        n_w += [2.0 * f, 2.0 * f]
        p_w += [beta * f, beta * f]
    loads = [cg * (1.0 + beta) * w for w in widths[1:]] + [c_load]
    tau = rn / f * (c_nand_out + cg * (1.0 + beta) * widths[0])  # the final NAND2
    d, t = horowitz(tau, t)
    t_gates += d
    c_path += c_nand_out + cg * (1.0 + beta) * widths[0]
    n_w += [2.0 * f, 2.0 * f]
    p_w += [beta * f, beta * f]
    t_driver = 0.0
    for k, (w, load) in enumerate(zip(widths, loads)):
        c_p = cd * (1.0 + beta) * w
        last = k == len(widths) - 1
        tau = rn / w * (c_p + load) + (r_load * c_load / 2.0 if last else 0.0)
        d, t = horowitz(tau, t)
        if last:
            t_driver = d
            c_path += c_p
        else:
            t_gates += d
            c_path += c_p + load
        n_w.append(w)
        p_w.append(beta * w)
    return dict(
        t_gates=t_gates,
        t_driver=t_driver,
        t_out=t,
        c_path=c_path,
        n_widths=n_w,
        p_widths=p_w,
        stages=len(widths),
        last_nmos=widths[-1],
    )
