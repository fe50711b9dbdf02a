"""CMOS technology nodes for the circuit layer (:class:`Technology`, :func:`technology`).

A :class:`Technology` holds what the bitcell and array models need of a CMOS node, in SI
units: the feature size F, the supply voltage, the on- and off-current and the gate and
drain capacitance per metre of transistor width, and the resistance and capacitance per
metre of the local and global wires.  The presets for 45, 32 and 22 nm are CACTI 7's
devices (Hewlett Packard Labs, ``tech_params/<node>.dat`` and ``technology.cc``) in two
flavours: high performance (``"hp"``, the default) and low standby power (``"lstp"``:
thicker oxide, higher threshold, about 10^4 times less off-current and a third of the
on-current), ``technology(node, "lstp")``; 28 nm is not a CACTI node and is
interpolated between 32 and 22 nm (see :data:`INTERPOLATION`).  The CACTI numbers are
the literature table ``cacti7_technology`` (``spinaps/data/literature``, read with
:mod:`spinaps.literature`); each preset records where each number comes from in
:data:`sources` (HP) and :data:`lstp_sources`.

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

from .. import literature
from ..params import check_choice, check_range

__all__ = ["Technology", "technology", "technologies", "sources", "lstp_sources", "NODES", "FLAVORS"]

#: Device flavours of the presets: CACTI 7's high-performance and low-standby-power devices.
FLAVORS = ("hp", "lstp")
#: Transistor kinds of :meth:`Technology.r_on`, :meth:`Technology.i_on` and
#: :meth:`Technology.width_for_current`: NMOS and PMOS.
KINDS = ("n", "p")


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
        for name in (
            "i_on_n",
            "i_on_p",
            "i_off_n",
            "i_off_p",
            "r_eff_n",
            "r_eff_p",
            "c_gate",
            "wire_r_local",
            "wire_c_local",
            "wire_r_global",
            "wire_c_global",
            "t_leak",
            "gm_latch",
        ):
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
            NMOS (``"n"``, default) or PMOS (``"p"``); anything else is refused.

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
        check_choice("kind", kind, KINDS)
        return (self.r_eff_n if kind == "n" else self.r_eff_p) / np.asarray(width, dtype=float)

    def i_on(self, width, kind="n"):
        """Saturation current of a transistor of ``width`` at ``vdd``: ``i_on_n`` W (or
        ``i_on_p`` W).

        Parameters
        ----------
        width : float or array_like [m]
            Transistor width W, > 0.
        kind : {"n", "p"}
            NMOS (``"n"``, default) or PMOS (``"p"``); anything else is refused.

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
        check_choice("kind", kind, KINDS)
        return (self.i_on_n if kind == "n" else self.i_on_p) * np.asarray(width, dtype=float)

    def width_for_current(self, current, kind="n"):
        """Smallest width whose saturation current at ``vdd`` is ``current`` (the inverse
        of :meth:`i_on`).

        Parameters
        ----------
        current : float or array_like [A]
            Required saturation current, > 0.
        kind : {"n", "p"}
            NMOS (``"n"``, default) or PMOS (``"p"``); anything else is refused.

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
        check_choice("kind", kind, KINDS)
        return np.asarray(current, dtype=float) / (self.i_on_n if kind == "n" else self.i_on_p)


# --------------------------------------------------------------------------- presets
#: Assumed length of the drain diffusion along the channel, in F, used with CACTI's
#: junction capacitance per area to give a drain capacitance per width (CACTI lays out
#: the diffusion from its own design rules; this one-number layout is ours).
DRAIN_LENGTH_F = 2.0

#: CACTI 7's devices and wires per flavour and node (HP and LSTP at 45, 32 and 22 nm),
#: with their sources: the literature table ``cacti7_technology``
#: (``spinaps/data/literature/cacti7_technology.toml``, :mod:`spinaps.literature`).
_TABLE = literature.load(
    "cacti7_technology",
    required=(
        "flavor",
        "node_nm",
        "vdd",
        "vth",
        "i_on_n",
        "i_on_p",
        "i_off_n",
        "c_g_ideal",
        "c_fringe",
        "c_junc",
        "mobility_n",
        "c_ox",
        "l_elec",
        "v_dsat",
        "gm_p_to_n",
    ),
)

# Per node, the row of a flavour: F, Vdd, Vth, I_on_n, I_on_p, I_off_n (300 K; CACTI sets
# I_off_p = I_off_n), R_nch_on, R_pch_on, C_g_ideal, C_fringe, C_junc [F/m^2], C_junc_sw [F/m],
# local wire R, C, global wire R, C, sense-amplifier delay [s] and energy [J].
_ROW_KEYS = (
    "feature_size",
    "vdd",
    "vth",
    "i_on_n",
    "i_on_p",
    "i_off_n",
    "r_nch_on",
    "r_pch_on",
    "c_g_ideal",
    "c_fringe",
    "c_junc",
    "c_junc_sw",
    "wire_r_local",
    "wire_c_local",
    "wire_r_global",
    "wire_c_global",
    "sense_delay",
    "sense_energy",
)
# Sense-amplifier latch transconductance, CACTI 7 technology.cc: mobility_n [m^2/(V s)],
# C_ox [F/m^2], l_elec [m], V_dsat [V], g_mp/g_mn, from the same tech_params files.
_LATCH_KEYS = ("mobility_n", "c_ox", "l_elec", "v_dsat", "gm_p_to_n")


def _entries(flavor):
    """The table's entries of ``flavor``, by node [nm]."""
    return {entry["node_nm"]: entry for entry in _TABLE.entries.values() if entry["flavor"] == flavor}


def _rows(flavor):
    """Per node, the row of ``flavor`` (:data:`_ROW_KEYS`).  An LSTP entry gives its own
    columns (Vdd, Vth, I_on, I_off, the effective-resistance multiplier, the PMOS/NMOS drive
    ratio n2p, C_g_ideal, C_fringe, C_junc); its feature size, C_junc_sw, wires and sense
    amplifier are the HP row's, and R_eff = multiplier Vdd / I_on as CACTI computes it."""
    hp = {node: entry.require(*_ROW_KEYS) for node, entry in _entries("hp").items()}
    if flavor == "hp":
        return {node: tuple(entry[k] for k in _ROW_KEYS) for node, entry in hp.items()}
    rows = {}
    for node, e in _entries(flavor).items():
        e.require("r_multiplier", "n_to_p")
        base = hp[node]
        vdd, ion_n, mult, n2p = e["vdd"], e["i_on_n"], e["r_multiplier"], e["n_to_p"]
        rows[node] = (
            base["feature_size"],
            vdd,
            e["vth"],
            ion_n,
            e["i_on_p"],
            e["i_off_n"],
            mult * vdd / ion_n,
            n2p * mult * vdd / ion_n,
            e["c_g_ideal"],
            e["c_fringe"],
            e["c_junc"],
        ) + tuple(base[k] for k in _ROW_KEYS[11:])
    return rows


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
        name=f"{node}nm" if flavor == "hp" else f"{node}nm-{flavor}",
        feature_size=f,
        vdd=vdd,
        vth=vth,
        i_on_n=ion_n,
        i_on_p=ion_p,
        i_off_n=ioff,
        i_off_p=ioff,
        r_eff_n=rn,
        r_eff_p=rp,
        c_gate=cg * 1.2 + 3.0 * cf,
        c_drain=cj * DRAIN_LENGTH_F * f + cjsw,
        wire_r_local=rl,
        wire_c_local=cl,
        wire_r_global=rg,
        wire_c_global=cgl,
        sense_delay=s_delay,
        sense_energy=s_energy,
        gm_latch=gm,
        flavor=flavor,
    )


def _source(flavor, node):
    """Where the preset of ``flavor`` at ``node`` comes from (interpolated nodes: from what)."""
    method, column = _TABLE.info["method"], _TABLE.info["columns"][flavor]
    if node in INTERPOLATION:
        upper, lower, w = INTERPOLATION[node]
        reference = _entries(flavor)[upper].source.reference
        return (
            f"interpolated as CACTI 7 does for {node} nm: {w:g} x {upper} nm + {1.0 - w:g} x {lower} nm of "
            f"{reference}, tech_params/{{{upper},{lower}}}nm.dat, {column} column; {method}"
        )
    source = _entries(flavor)[node].source
    return f"{source.reference}, {source.location}; {method}"


def _build(flavor):
    entries = _entries(flavor)
    rows = {node: row + (_gm_latch(*(entries[node][k] for k in _LATCH_KEYS)),) for node, row in _rows(flavor).items()}
    for node, (upper, lower, w) in INTERPOLATION.items():
        rows[node] = tuple(w * a + (1.0 - w) * b for a, b in zip(rows[upper], rows[lower]))
    techs = {node: _from_cacti(node, rows[node], flavor) for node in NODES}
    srcs = {node: _source(flavor, node) for node in NODES}
    return MappingProxyType(techs), MappingProxyType(srcs)


#: ``technologies``: the high-performance presets, node [nm] -> :class:`Technology`
#: (read-only mapping); ``sources``: node -> where its numbers come from.
technologies, sources = _build("hp")
_lstp_technologies, lstp_sources = _build("lstp")


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
    if isinstance(node, (bool, float, np.bool_, np.floating)) or key not in technologies:
        raise ValueError(f"node = {node!r}: no technology preset; available nodes: {', '.join(map(str, NODES))} nm")
    return (technologies if flavor == "hp" else _lstp_technologies)[key]
