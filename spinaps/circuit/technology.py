"""CMOS technology nodes for the circuit layer (:class:`Technology`, :func:`technology`).

A :class:`Technology` holds what the bitcell and array models need of a CMOS node, in SI
units: the feature size F, the supply voltage, the on- and off-current and the gate and
drain capacitance per metre of transistor width, and the resistance and capacitance per
metre of the local and global wires.  The presets for 45, 32 and 22 nm are CACTI 7's
devices (Hewlett Packard Labs, ``tech_params/<node>.dat`` and ``technology.cc``) in two
flavours: high performance (``"hp"``, the default) and low standby power (``"lstp"``:
thicker oxide, higher threshold, about 10^4 times less off-current and a third of the
on-current), ``technology(node, "lstp")``; 28 nm is not a CACTI node and is
interpolated between 32 and 22 nm (see :data:`INTERPOLATION`).  Each preset records
where each number comes from in :data:`sources` (HP) and :data:`lstp_sources`.

Derived quantities
------------------
* effective on-resistance of a transistor of width W: R_on = R_eff / W, with the
  per-width effective resistance R_eff (CACTI's ``R_nch_on``/``R_pch_on``);
* wire R and C per metre: CACTI's wire formula (the wires do not depend on the flavour);
* the transconductance of a sense-amplifier latch per metre of its NMOS width,
  CACTI's g_m = (mu_n / 2) C_ox V_dsat / l_elec x (1 + g_mp/g_mn) (``technology.cc``).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..params import check_choice, check_range

__all__ = ["Technology", "technology", "technologies", "sources", "lstp_sources", "NODES", "FLAVORS"]

#: Device flavours of the presets: CACTI 7's high-performance and low-standby-power devices.
FLAVORS = ("hp", "lstp")


@dataclass(frozen=True)
class Technology:
    """A CMOS technology node (SI units).

    What the bitcell and array models need of a node: the feature size, the supply,
    the on- and off-currents and capacitances per metre of transistor width, and the
    wires.  The presets are made by :func:`technology`; any field may be changed with
    :func:`dataclasses.replace` (e.g. another ``vdd``).

    Parameters
    ----------
    name : str
        Label of the node, e.g. ``"28nm"`` or ``"45nm-lstp"``.
    feature_size : float [m]
        F, in (1 nm, 1 um).
    vdd : float [V]
        Nominal supply voltage, in (0.3, 5).
    vth : float [V]
        NMOS threshold voltage, in (0, ``vdd``).
    i_on_n, i_on_p : float [A/m]
        Saturation on-current per metre of gate width at ``vdd``.
    i_off_n, i_off_p : float [A/m]
        Sub-threshold off-current per metre of width at ``t_leak``.
    r_eff_n, r_eff_p : float [Ohm m]
        Effective switching resistance times width (R_on = r_eff / W).
    c_gate : float [F/m]
        Gate capacitance per metre of width (ideal gate + fringe + overlap).
    c_drain : float [F/m]
        Drain (junction) capacitance per metre of width.
    wire_r_local, wire_c_local : float [Ohm/m], [F/m]
        Local (minimum-pitch) wire resistance and capacitance per metre.
    wire_r_global, wire_c_global : float [Ohm/m], [F/m]
        Global wire resistance and capacitance per metre.
    sense_delay, sense_energy : float [s], [J]
        Latency and dynamic energy of one voltage sense amplifier.
    t_leak : float [K]
        Temperature of the off-currents.
    gm_latch : float [S/m]
        Transconductance of a cross-coupled sense-amplifier latch (NMOS plus PMOS) per
        metre of its NMOS width (default: CACTI 7's 32 nm HP value).
    flavor : str
        Device flavour, ``"hp"`` or ``"lstp"`` (a label; the numbers are the fields).

    Raises
    ------
    ValueError
        If a field is outside its range (the message names the field, the value and
        the range; the currents, resistances, ``c_gate``, the wires, ``t_leak`` and
        ``gm_latch`` must be positive, ``c_drain``, ``sense_delay`` and
        ``sense_energy`` non-negative), ``flavor`` is not one of :data:`FLAVORS`, or an
        off-current is not below the on-current.

    See Also
    --------
    technology : the CACTI-based presets.

    References
    ----------
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee and V. Srinivas,
      "CACTI 7: New tools for interconnect exploration in innovative off-chip
      memories", ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25 (2017); citation
      key ``Balasubramonian2017``.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from spinaps.circuit import technology
    >>> replace(technology(22), vdd=0.9).vdd
    0.9
    """

    name: str
    feature_size: float
    vdd: float
    vth: float
    i_on_n: float
    i_on_p: float
    i_off_n: float
    i_off_p: float
    r_eff_n: float
    r_eff_p: float
    c_gate: float
    c_drain: float
    wire_r_local: float
    wire_c_local: float
    wire_r_global: float
    wire_c_global: float
    sense_delay: float = 3e-11
    sense_energy: float = 2.16e-15
    t_leak: float = 300.0
    gm_latch: float = 8892.0
    flavor: str = "hp"

    def __post_init__(self):
        check_range("feature_size", self.feature_size, low=1e-9, high=1e-6, units="m")
        check_range("vdd", self.vdd, low=0.3, high=5.0, units="V")
        check_range("vth", self.vth, low=0.0, high=self.vdd, units="V")
        for name in ("i_on_n", "i_on_p", "i_off_n", "i_off_p", "r_eff_n", "r_eff_p", "c_gate",
                     "wire_r_local", "wire_c_local", "wire_r_global", "wire_c_global", "t_leak", "gm_latch"):
            check_range(name, getattr(self, name), low=0.0)
        for name in ("c_drain", "sense_delay", "sense_energy"):  # may be neglected (zero)
            check_range(name, getattr(self, name), low=0.0, low_inclusive=True)
        check_choice("flavor", self.flavor, FLAVORS)
        if self.i_off_n >= self.i_on_n or self.i_off_p >= self.i_on_p:
            raise ValueError(f"{self.name}: the off-current must be below the on-current")

    def r_on(self, width, kind="n"):
        r"""Effective on-resistance of a transistor of ``width``.

        .. math:: R_\mathrm{on} = r_\mathrm{eff} / W

        with the per-width effective resistance ``r_eff_n`` or ``r_eff_p``.

        Parameters
        ----------
        width : float or array_like [m]
            Transistor width W, > 0.
        kind : {"n", "p"}
            NMOS (``"n"``, default) or PMOS (any other value is taken as PMOS).

        Returns
        -------
        numpy.ndarray [Ohm]
            R_on, of the shape of ``width``.

        Raises
        ------
        ValueError
            If ``width`` is not positive.

        Examples
        --------
        >>> from spinaps.circuit import technology
        >>> round(float(technology(28).r_on(100e-9)))
        5405
        """
        check_range("width", width, low=0.0, units="m")
        return (self.r_eff_n if kind == "n" else self.r_eff_p) / np.asarray(width, dtype=float)

    def i_on(self, width, kind="n"):
        """Saturation current of a transistor of ``width`` at ``vdd``: ``i_on_n`` W (or
        ``i_on_p`` W).

        Parameters
        ----------
        width : float or array_like [m]
            Transistor width W, > 0.
        kind : {"n", "p"}
            NMOS (``"n"``, default) or PMOS (any other value is taken as PMOS).

        Returns
        -------
        numpy.ndarray [A]
            The saturation current, of the shape of ``width``.

        Raises
        ------
        ValueError
            If ``width`` is not positive.
        """
        check_range("width", width, low=0.0, units="m")
        return (self.i_on_n if kind == "n" else self.i_on_p) * np.asarray(width, dtype=float)

    def width_for_current(self, current, kind="n"):
        """Smallest width whose saturation current at ``vdd`` is ``current`` (the inverse
        of :meth:`i_on`).

        Parameters
        ----------
        current : float or array_like [A]
            Required saturation current, > 0.
        kind : {"n", "p"}
            NMOS (``"n"``, default) or PMOS (any other value is taken as PMOS).

        Returns
        -------
        numpy.ndarray [m]
            The width ``current / i_on_n`` (or ``/ i_on_p``), without a minimum-width
            floor.

        Raises
        ------
        ValueError
            If ``current`` is not positive.
        """
        check_range("current", current, low=0.0, units="A")
        return np.asarray(current, dtype=float) / (self.i_on_n if kind == "n" else self.i_on_p)


# --------------------------------------------------------------------------- presets
#: Assumed length of the drain diffusion along the channel, in F, used with CACTI's
#: junction capacitance per area to give a drain capacitance per width (CACTI lays out
#: the diffusion from its own design rules; this one-number layout is ours).
DRAIN_LENGTH_F = 2.0

_CACTI = ("CACTI 7 (Balasubramonian et al., ACM TACO 2017; Hewlett Packard Labs), tech_params/{node}.dat, {column} "
          "column; R_eff = multiplier Vdd / I_on and C_overlap = 0.2 C_g_ideal as CACTI computes them; wire R and C "
          "per length from CACTI's wire formula (parameter.cc / basic_circuit.cc) with the conservative projection")
_COLUMNS = {"hp": "high-performance (HP)", "lstp": "low-standby-power (LSTP)"}

# Per node: F, Vdd, Vth, I_on_n, I_on_p, I_off_n (300 K; CACTI sets I_off_p = I_off_n),
# R_nch_on, R_pch_on, C_g_ideal, C_fringe, C_junc [F/m^2], C_junc_sw [F/m],
# local wire R, C, global wire R, C, sense-amplifier delay [s] and energy [J].
_CACTI_HP = {
    45: (45e-9, 1.0, 0.18035, 2046.6, 1023.3, 0.28, 7.378090e-4, 1.778120e-3, 6.78e-10, 5e-11, 1e-3, 2.5e-10,
         4.2023829e6, 2.580174e-10, 3.629596e5, 2.813554e-10, 4e-11, 2.7e-15),
    32: (32e-9, 0.9, 0.21835, 2211.7, 1105.85, 0.152, 6.063209e-4, 1.461233e-3, 5.34e-10, 4e-11, 1e-3, 2.5e-10,
         8.4033613e6, 2.457711e-10, 7.200442e5, 2.673388e-10, 3e-11, 2.16e-15),
    22: (22e-9, 0.8, 0.1395, 2626.4, 1313.2, 0.1216, 4.416692e-4, 8.833384e-4, 3.27e-10, 6e-11, 0.0, 2.5e-10,
         2.06618962e7, 2.394341e-10, 1.6451023e6, 2.600498e-10, 3e-11, 2.16e-15),
}
# LSTP columns of the same files: Vdd, Vth, I_on_n, I_on_p, I_off_n (300 K), the
# effective-resistance multiplier, the PMOS/NMOS drive ratio n2p, C_g_ideal, C_fringe,
# C_junc; C_junc_sw, the wires and the sense amplifier are the HP row's.
_LSTP = {45: (1.1, 0.50245, 666.2, 333.1, 1.01e-5, 1.99, 2.23, 5.18e-10, 8e-11, 1e-3),
         32: (1.0, 0.513, 683.6, 341.8, 2.06e-5, 1.99, 2.23, 4.58e-10, 5.3e-11, 1e-3),
         22: (0.8, 0.40126, 727.6, 363.8, 2.43e-5, 1.99, 2.0, 3.22e-10, 8e-11, 0.0)}
_CACTI_LSTP = {node: (hp[0], vdd, vth, ion_n, ion_p, ioff, mult * vdd / ion_n, n2p * mult * vdd / ion_n, cg, cf,
                      cj) + hp[11:]
               for node, hp in _CACTI_HP.items()
               for vdd, vth, ion_n, ion_p, ioff, mult, n2p, cg, cf, cj in [_LSTP[node]]}
# Sense-amplifier latch transconductance, CACTI 7 technology.cc: mobility_n [m^2/(V s)],
# C_ox [F/m^2], l_elec [m], V_dsat [V], g_mp/g_mn, from the same tech_params files.
_LATCH = {("hp", 45): (2.6668e-2, 3.77e-2, 13.45e-9, 0.0938, 1.38),
          ("hp", 32): (3.6184e-2, 4.11e-2, 10.13e-9, 0.0509, 1.38),
          ("hp", 22): (4.2607e-2, 3.63e-2, 4.68e-9, 0.0233, 1.38),
          ("lstp", 45): (3.6396e-2, 2.01e-2, 21.2e-9, 0.0912, 0.99),
          ("lstp", 32): (3.4746e-2, 2.29e-2, 17.3e-9, 0.0864, 0.99),
          ("lstp", 22): (7.3809e-2, 2.3e-2, 8.0e-9, 0.0664, 0.99)}


def _gm_latch(mobility, c_ox, l_elec, v_dsat, p_to_n):
    """CACTI's latch g_m per metre of NMOS width: (mu/2) C_ox V_dsat / l_elec (1 + g_mp/g_mn)."""
    return mobility / 2.0 * c_ox * v_dsat / l_elec * (1.0 + p_to_n)


#: 28 nm is not a CACTI node: like CACTI for an input of 28 nm, every value is
#: 0.6 x (32 nm) + 0.4 x (22 nm) (linear in the node between its neighbours); CACTI
#: takes the sense amplifier from 22 nm, which here equals 32 nm.
INTERPOLATION = {28: (32, 22, 0.6)}
#: Nodes of the presets [nm] (28 nm interpolated, see :data:`INTERPOLATION`).
NODES = (45, 32, 28, 22)


def _from_cacti(node, row, flavor):
    (f, vdd, vth, ion_n, ion_p, ioff, rn, rp, cg, cf, cj, cjsw, rl, cl, rg, cgl, s_delay, s_energy, gm) = row
    return Technology(
        name=f"{node}nm" if flavor == "hp" else f"{node}nm-{flavor}", feature_size=f, vdd=vdd, vth=vth, i_on_n=ion_n,
        i_on_p=ion_p, i_off_n=ioff, i_off_p=ioff, r_eff_n=rn, r_eff_p=rp, c_gate=cg * 1.2 + 3.0 * cf,
        c_drain=cj * DRAIN_LENGTH_F * f + cjsw, wire_r_local=rl, wire_c_local=cl, wire_r_global=rg,
        wire_c_global=cgl, sense_delay=s_delay, sense_energy=s_energy, gm_latch=gm, flavor=flavor)


def _build(flavor, table):
    rows = {node: row + (_gm_latch(*_LATCH[flavor, node]),) for node, row in table.items()}
    for node, (upper, lower, w) in INTERPOLATION.items():
        rows[node] = tuple(w * a + (1.0 - w) * b for a, b in zip(rows[upper], rows[lower]))
    techs = {node: _from_cacti(node, rows[node], flavor) for node in NODES}
    column = _COLUMNS[flavor]
    srcs = {node: _CACTI.format(node=f"{node}nm", column=column) if node in table else
            "interpolated as CACTI 7 does for 28 nm: 0.6 x 32 nm + 0.4 x 22 nm of "
            + _CACTI.format(node="{32,22}nm", column=column) for node in NODES}
    return MappingProxyType(techs), MappingProxyType(srcs)


#: ``technologies``: the high-performance presets, node [nm] -> :class:`Technology`
#: (read-only mapping); ``sources``: node -> where its numbers come from.
technologies, sources = _build("hp", _CACTI_HP)
_lstp_technologies, lstp_sources = _build("lstp", _CACTI_LSTP)


def technology(node, flavor="hp") -> Technology:
    """The CACTI 7-based preset of a technology node.

    The presets for 45, 32 and 22 nm are CACTI 7's devices (``tech_params/<node>.dat``
    and ``technology.cc``); 28 nm is not a CACTI node and is interpolated as
    0.6 x (32 nm) + 0.4 x (22 nm), as CACTI does for an input of 28 nm
    (:data:`INTERPOLATION`).  Where each number comes from: :data:`sources` (HP) and
    :data:`lstp_sources`.

    Parameters
    ----------
    node : int or str [nm]
        45, 32, 28 or 22 (:data:`NODES`); a string such as ``"45nm"`` is accepted.
    flavor : {"hp", "lstp"}
        Device flavour: high performance (default) or low standby power (thicker
        oxide, higher threshold, about 10^4 times less off-current and a third of the
        on-current).

    Returns
    -------
    Technology
        The preset (named ``"<node>nm"``, or ``"<node>nm-lstp"``).

    Raises
    ------
    ValueError
        If ``flavor`` is not one of :data:`FLAVORS` or there is no preset for ``node``.

    References
    ----------
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee and V. Srinivas,
      "CACTI 7: New tools for interconnect exploration in innovative off-chip
      memories", ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25 (2017); citation
      key ``Balasubramonian2017``.

    Examples
    --------
    >>> from spinaps.circuit import technology
    >>> technology(28).feature_size
    2.8e-08
    >>> technology("45nm", "lstp").name
    '45nm-lstp'
    """
    check_choice("flavor", flavor, FLAVORS)
    key = int(str(node).removesuffix("nm")) if str(node).removesuffix("nm").isdigit() else node
    if key not in technologies:
        raise ValueError(f"no technology preset {node!r}; available nodes: {', '.join(map(str, NODES))} nm")
    return (technologies if flavor == "hp" else _lstp_technologies)[key]
