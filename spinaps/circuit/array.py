"""A memory sub-array with its peripherals (:class:`Array`), for MTJ and SRAM cells.

An NVSim-class model (Dong et al., IEEE TCAD 2012): ``rows`` x ``cols`` cells, one row
read or written per access, ``access_bits`` columns selected through column multiplexers
of degree ``cols / access_bits``, one sense amplifier and one write driver per selected
column.  Every figure has a breakdown by component that sums to its total.  The
periphery may use another device flavour than the cells (``periphery="lstp"``: CACTI's
low-standby-power devices, for low-leakage MRAM macros).

Geometry and wires
------------------
Cell height (along the bitline) sqrt(A r) and width sqrt(A / r) for a cell of area A
and aspect ratio r; the wordline spans ``cols`` cells and the bitline ``rows`` cells
of local wire:

    C_WL = c_wire L_WL + cols c_gate W_a,       R_WL = r_wire L_WL,
    C_BL = c_wire L_BL + rows c_drain W_a / 2,  R_BL = r_wire L_BL

(one access drain per two cells on the bitline: shared contacts, as NVSim).

Periphery
---------
* Row decoder and wordline driver (:mod:`.decoder`): per row one decoder output, a
  NAND2 of predecoded lines and an inverter chain sized by logical effort to the
  wordline, the last NMOS capped at 100 F (NVSim's and CACTI 7's cap), designed once and
  replicated per row; each stage's delay by Horowitz's input-slope formula (Horowitz
  1983), the ramp carried from stage to stage; the stand-alone sub-array adds
  ``ceil(log2(rows) / 2) - 1`` NAND2 predecode stages ahead (``predecoded=False``).
  Components: ``decoder`` (the NAND stages and the driver's inner stages), ``wordline``
  (the last stage onto the wordline, with R_WL C_WL / 2); energy one output's path and
  C_WL V_dd^2; area and leakage rows x one output's transistors.
* Column-mux decoder (mux > 1): the same decoder output per select line, driving the
  gates of ``access_bits`` mux devices and a wire across the sub-array; it runs beside
  the row decoder and wordline, so only its excess delay counts (``column_decoder``);
  energy one select line's path and line; area and leakage ``mux`` outputs.
* Column multiplexer: one NMOS per column, sized to pass the write current (NVSim:
  W = I_write / i_on, at least 1.5 F); it adds its drain to the bitline.
* Precharge (CACTI's devices: precharge PMOS 9 beta F, equaliser 1.5 beta F): SRAM
  bitline pairs are restored to V_dd after a read, every column (two precharge devices
  and an equaliser each); for MTJ cells each sense amplifier's data and reference
  bitlines are charged to V_read before sensing.  Latency: 2.3 (R_pre + R_BL / 2)
  (C_BL + C_mux) (to 10 %); energy: the gates of the precharge devices and their
  enable line switched at V_dd (the charge put back on the bitlines is the bitline
  component).  The read latency is the read cycle: it includes the precharge.
* Sensing, MTJ cells, against a reference cell midway between the median P and AP
  currents, in one of two schemes (``sensing``):

  - ``"voltage"`` (default): the bitline first settles through the cell to its operating
    point, 2.3 (R_cell + R_BL/2 + R_mux)(C_BL + C_mux); then the margin current dI (the
    median cell's distance to the reference) charges the bitline capacitance until the
    signal reaches ``sa_sigmas`` times the latch offset ``sa_offset``: t_dev = (C_BL +
    C_mux) k sigma_os / dI.
  - ``"current"``: a clamp NMOS (a source follower of g_m = 2 I_cell / V_ov, V_ov =
    0.1 V assumed) holds each bitline at V_read and a current-mirror PMOS load turns the
    cell current into a voltage on the sense node.  The bitline hardly swings: it settles
    through the clamp in parallel with the cell, 2.3 (R_c || R_cell)(C_BL + C_mux) with
    R_c = R_BL/2 + R_mux + 1/g_m; the margin current then charges only the sense node,
    C_sn = C_ld + the clamp and load drains: t_dev = C_sn k sigma_os / dI.  Clamp and
    load carry the worst read current at full drive (W = I / i_on, at least F,
    assumed); four such devices per sense amplifier (assumed).

  In both, the cell and its reference cell draw their current from the periphery supply
  from settling to the latch, 2 V_dd I_cell t (NVSim's current-sensing read power and
  reference factor 2; the reference branch is the amplifier's bias), and the data and
  reference bitlines are charged to V_read from V_dd.  SRAM (CACTI 7's rules,
  :mod:`.sram`): the cell discharges the bitline by the sense voltage dV = max(0.05
  V_dd, 80 mV) through its access and pull-down devices, t = tau ln(V_dd / (V_dd - dV)),
  tau = R_cell (C_BL + C_mux + C_ld) + R_BL (C_BL/2 + C_mux + C_ld) + R_mux (C_mux +
  C_ld); bitline energy 2 dV V_dd on every column's bitline and on each sense
  amplifier's mux and latch side; then the latch regenerates.
* Latch regeneration (CACTI 7, ``mat.cc``): t = (C_ld / g_m) ln(V_dd / dV_in), with
  C_ld the gates of the latch pair plus the drains of the pair, the isolation and the
  sense-amplifier mux devices (CACTI's widths 3.75, 7.5, 12.5 and 9 F) and g_m CACTI's
  latch transconductance (:attr:`Technology.gm_latch`); dV_in is the developed signal.
  Sense-amplifier energy per sensing: CACTI's C_ld V_dd^2 (``power_sa``); the current
  sense amplifier adds its sense nodes and mirror gates.
* Write driver: the column multiplexer device's width again (assumed).  SRAM write
  energy (CACTI 7): the written columns' bitline pairs at full swing, 2 (C_BL + C_mux)
  V_dd^2 each, plus the flip of half the written cells (random data, assumed), C_node
  V_dd^2 each (:mod:`.sram`).

Areas of peripheral transistors: (W + 2F)(4F) each (assumed layout rule: a diffusion
width W plus contacts, one contacted gate pitch 4F), times the transistors per block:
per row the decoder output (NAND2 and driver chain, every transistor), per select line
the column decoder's; per column the mux device; the precharge devices; per selected
column a sense amplifier of 10 minimum devices (assumed; with ``sensing="current"``
four clamp and load devices more) and a write driver.

Error rates per word of ``access_bits`` bits, from the cell's bit error rates:
1 - prod(1 - p_bit); writes count half the bits in each direction (random data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .. import literature
from ..deprecation import renamed_fields
from ..params import check_range, is_integer
from ..provenance import annotate, breakdown, finalize
from .bitcell import MTJBitcell
from .decoder import decoder_output
from .sram import SRAMBitcell
from .technology import FLAVORS, Technology, technology

__all__ = ["Array", "SENSING", "check_sensing", "latch_load", "latch_time"]

_SA_DEVICES = 10  # minimum-width devices per sense amplifier (assumed)
_GATE_PITCH_F = 4.0  # contacted gate pitch in F (assumed)
#: CACTI 7 device widths in F (technology.cc; the literature table ``cacti7_circuit``):
#: latch NMOS, latch PMOS, isolation, sense-amplifier mux (6 x the 1.5 F minimum NMOS);
#: precharge PMOS 6 x 1.5 F x beta and equaliser 1.5 F x beta (beta the PMOS/NMOS sizing ratio).
_SENSE = literature.load("cacti7_circuit")["sense_amplifier"]
_PRECHARGE = literature.load("cacti7_circuit")["precharge"]
_W_SENSE_N, _W_SENSE_P, _W_ISO, _W_SA_MUX = (
    _SENSE[k] for k in ("latch_nmos_width", "latch_pmos_width", "isolation_width", "mux_width")
)
_W_PRECHARGE, _W_EQUALISE = _PRECHARGE["precharge_width"], _PRECHARGE["equaliser_width"]
_SETTLE = math.log(10.0)  # RC settling to within 10 %
#: The MTJ read schemes (:class:`Array` ``sensing``).
SENSING = ("voltage", "current")


def check_sensing(sensing, bitcell) -> None:
    """Refuse a read scheme that is not one of :data:`SENSING` or not the cell's.

    Raises
    ------
    ValueError
        Naming ``sensing`` and its value: not one of :data:`SENSING`, or
        ``"current"`` for a cell that is not an :class:`MTJBitcell` (an SRAM array
        senses its bitline pair).
    """
    if sensing not in SENSING:
        raise ValueError(f"sensing = {sensing!r}; allowed: {', '.join(SENSING)}")
    if sensing == "current" and not isinstance(bitcell, MTJBitcell):
        raise ValueError("sensing = 'current' needs an MTJ cell; an SRAM array senses its bitline pair ('voltage')")


#: Overdrive of the current-sense amplifier's clamp and load devices, g_m = 2 I_D / V_ov
#: (assumed: moderate inversion; the weak-inversion bound I_D / (n kT/q), n = 1.5, is
#: 26 uS/uA, 1.3x this square-law value, so the assumption is within that of the bound).
_CLAMP_OVERDRIVE = 0.1
#: Devices a current-sense amplifier adds to the latch: a clamp NMOS and a current-mirror
#: load PMOS on the data and on the reference branch (assumed: the conventional clamped
#: sensing circuit).
_CSA_DEVICES = 4


def latch_load(tech: Technology) -> float:
    """Load capacitance C_ld [F] of a CACTI sense-amplifier latch (CACTI 7, ``mat.cc``).

    The gates of the latch pair (3.75 F NMOS, 7.5 F PMOS) and the drains of the pair,
    the isolation (12.5 F) and the sense-amplifier mux (9 F) devices; the latch switches
    it through V_dd once per sensing, C_ld V_dd^2 (CACTI's ``power_sa``).
    """
    f = tech.feature_size
    gates = tech.c_gate * (_W_SENSE_N + _W_SENSE_P) * f
    return gates + tech.c_drain * (_W_SENSE_N + _W_SENSE_P + _W_ISO + _W_SA_MUX) * f


def latch_time(tech: Technology, dv_in):
    r"""Regeneration time of a CACTI sense-amplifier latch from ``dv_in`` to V_dd.

    .. math:: t = \frac{C_{ld}}{g_m} \ln\frac{V_{dd}}{\Delta V_{in}}

    (CACTI 7, ``mat.cc``), with C_ld the latch pair's gates (3.75 F NMOS, 7.5 F PMOS)
    and the drains of the pair, the isolation (12.5 F) and the mux (9 F) devices, and
    g_m CACTI's latch transconductance (:attr:`Technology.gm_latch`) for the NMOS
    width 3.75 F.

    Parameters
    ----------
    tech : Technology
        The node of the sense amplifier.
    dv_in : float or array_like [V]
        Signal developed at the latch input, in (0, V_dd).

    Returns
    -------
    numpy.ndarray [s]
        The regeneration time, of the shape of ``dv_in``.

    Raises
    ------
    ValueError
        If ``dv_in`` is outside (0, V_dd).

    References
    ----------
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee and V. Srinivas,
      "CACTI 7: New tools for interconnect exploration in innovative off-chip
      memories", ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25 (2017); citation
      key ``Balasubramonian2017``.

    Examples
    --------
    >>> from spinaps.circuit import technology
    >>> from spinaps.circuit.array import latch_time
    >>> round(float(latch_time(technology(22), 0.06)) * 1e12, 2)   # [ps]
    1.1
    """
    check_range("dv_in", dv_in, low=0.0, high=tech.vdd, units="V")
    c_ld = latch_load(tech)
    return c_ld / (tech.gm_latch * _W_SENSE_N * tech.feature_size) * np.log(tech.vdd / np.asarray(dv_in, dtype=float))


def device_area(width, f):
    """Layout area [m^2] of a transistor of ``width``: (W + 2F) x 4F (assumed rule)."""
    return (width + 2.0 * f) * _GATE_PITCH_F * f


@renamed_fields(word_bits="access_bits")
@dataclass(frozen=True)
class Array:
    """A sub-array of ``rows`` x ``cols`` cells reading/writing ``access_bits`` per access.

    An NVSim-class model: one row is read or written per access, ``access_bits``
    columns are selected through column multiplexers of degree ``cols / access_bits``,
    with one sense amplifier and one write driver per selected column.  The geometry,
    wire, periphery and sensing models are in the module notes; every figure has a
    breakdown by component that sums to its total.

    Parameters
    ----------
    bitcell : MTJBitcell or SRAMBitcell
        The cell (an MTJ cell may hold an ensemble: the array takes the worst device
        for areas and currents and the median for the sense margin).
    rows, cols : int
        Powers of two, 4 ... 8192.
    access_bits : int [bit]
        Bits per access; divides ``cols``.  ``word_bits`` is its deprecated name.
    aspect_ratio : float, optional [1]
        Cell height / width, in (0.1, 10) (default the bitcell's ``aspect_ratio``:
        1.46 for SRAM, CACTI; for an MTJ cell its own, else 1.0, assumed).
    periphery : Technology or {"hp", "lstp"}, optional
        Devices of the decoder, drivers, precharge, multiplexers and sense amplifiers
        (default: the cell's technology).  A flavour name picks the preset of the
        cell's node in that flavour; a Technology must have the cell's feature size.
    sa_offset : float [V]
        Standard deviation of the sense-amplifier latch's input offset (default 10 mV,
        assumed: Pelgrom's law, sigma = A_VT / sqrt(W L), with A_VT ~ 1.5 mV um and an
        input pair of about 0.02 um^2; Pelgrom et al., IEEE JSSC 1989).  In (0, 0.5).
    sa_sigmas : float [1]
        Signal required at the latch in units of ``sa_offset`` (default 6, assumed: a
        one-sided latch error Q(6) = 1e-9 per decision).  In [1, 10].
    predecoded : bool
        The row address arrives predecoded (a :class:`~spinaps.circuit.Memory`'s mat
        predecoder): the decoder keeps only its final NAND stage (one FO4 delay)
        instead of ``ceil(log2(rows) / 2)`` stages.  Default False.
    sensing : {"voltage", "current"}
        The MTJ read scheme (module notes, *Sensing*): ``"voltage"`` (default) lets the
        margin current develop the signal on the bitline itself; ``"current"`` holds the
        bitline at V_read with a clamp and develops the signal on the sense node of a
        current mirror.  An SRAM array takes ``"voltage"`` only.

    Attributes
    ----------
    tech : Technology
        The cell's technology.
    periphery_tech : Technology
        The periphery's technology.
    mux : int
        Column multiplexer degree ``cols // access_bits`` (columns per sense
        amplifier).

    Raises
    ------
    TypeError
        If ``bitcell`` is neither an :class:`MTJBitcell` nor an :class:`SRAMBitcell`.
    ValueError
        If ``rows`` or ``cols`` is not a power of two in [4, 8192], ``access_bits``
        does not divide ``cols``, ``aspect_ratio``, ``sa_offset`` or ``sa_sigmas`` is
        outside its range, ``sensing`` is not one of :data:`SENSING` (or ``"current"``
        for an SRAM cell), ``periphery`` is an unknown flavour (or a flavour at a
        node without a preset), or the periphery's feature size differs from the
        cell's.

    References
    ----------
    * X. Dong, C. Xu, Y. Xie and N. P. Jouppi, "NVSim: a circuit-level performance,
      energy, and area model for emerging nonvolatile memory", IEEE Trans.
      Comput.-Aided Des. Integr. Circuits Syst. 31(7), 994-1007 (2012); citation key
      ``Dong2012``.
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee and V. Srinivas,
      "CACTI 7: New tools for interconnect exploration in innovative off-chip
      memories", ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25 (2017); citation
      key ``Balasubramonian2017``.
    * M. J. M. Pelgrom, A. C. J. Duinmaijer and A. P. G. Welbers, "Matching
      properties of MOS transistors", IEEE J. Solid-State Circuits 24(5), 1433-1440
      (1989); citation key ``Pelgrom1989``.
    * I. Sutherland, B. Sproull and D. Harris, *Logical Effort: Designing Fast CMOS
      Circuits*, Morgan Kaufmann (1999) (the decoders' sizing; not in
      ``references.bib``).
    * M. A. Horowitz, *Timing Models for MOS Circuits*, PhD thesis, Stanford
      University (1983) (the decoders' input-slope delays); citation key
      ``Horowitz1983``.

    Examples
    --------
    >>> from spinaps.circuit import Array, SRAMBitcell, technology
    >>> a = Array(SRAMBitcell(technology(22)), 256, 256, 64)
    >>> a.mux
    4
    >>> Array(SRAMBitcell(technology(22)), 256, 256, 64, periphery="lstp").periphery_tech.name
    '22nm-lstp'
    >>> ds = a.figures()
    >>> bool(abs(float(ds.read_energy_breakdown.sum()) - float(ds.read_energy)) < 1e-25)
    True
    """

    bitcell: MTJBitcell | SRAMBitcell
    rows: int
    cols: int
    access_bits: int
    aspect_ratio: float | None = None
    periphery: Technology | str | None = None
    sa_offset: float = 0.01
    sa_sigmas: float = 6.0
    predecoded: bool = False
    sensing: str = "voltage"

    def __post_init__(self):
        if not isinstance(self.bitcell, (MTJBitcell, SRAMBitcell)):
            raise TypeError(f"bitcell must be an MTJBitcell or SRAMBitcell, got {type(self.bitcell).__name__}")
        for name in ("rows", "cols"):
            v = getattr(self, name)
            if not (is_integer(v) and 4 <= v <= 8192 and v & (v - 1) == 0):
                raise ValueError(f"{name} = {v!r} must be a power of two in [4, 8192]")
        if not (
            is_integer(self.access_bits) and 1 <= self.access_bits <= self.cols and self.cols % self.access_bits == 0
        ):
            raise ValueError(f"access_bits = {self.access_bits!r} must divide cols = {self.cols}")
        if self.aspect_ratio is not None:
            check_range("aspect_ratio", self.aspect_ratio, low=0.1, high=10.0)
        check_range("sa_offset", self.sa_offset, low=0.0, high=0.5, units="V")
        check_range("sa_sigmas", self.sa_sigmas, low=1.0, high=10.0, low_inclusive=True, high_inclusive=True)
        if not isinstance(self.predecoded, bool):
            raise ValueError(f"predecoded = {self.predecoded!r} must be True or False")
        check_sensing(self.sensing, self.bitcell)
        if isinstance(self.periphery, str) and self.periphery not in FLAVORS:
            raise ValueError(f"periphery = {self.periphery!r}; allowed: {', '.join(FLAVORS)} or a Technology")
        p = self.periphery_tech
        if not math.isclose(p.feature_size, self.tech.feature_size, rel_tol=1e-9):
            raise ValueError(
                f"periphery feature_size = {p.feature_size:g} m must equal the cell's {self.tech.feature_size:g} m"
            )

    @property
    def tech(self):
        """The cell's technology (:class:`Technology`, ``bitcell.tech``)."""
        return self.bitcell.tech

    @property
    def periphery_tech(self) -> Technology:
        """The periphery's technology (the cell's unless ``periphery`` says otherwise).

        A flavour name gives the preset of the cell's node in that flavour.

        Raises
        ------
        ValueError
            If ``periphery`` is a flavour name but the cell's feature size is not a
            preset node.
        """
        if self.periphery is None:
            return self.tech
        if isinstance(self.periphery, Technology):
            return self.periphery
        node = round(self.tech.feature_size * 1e9)
        try:
            return technology(node, self.periphery)
        except ValueError:
            raise ValueError(
                f"periphery = {self.periphery!r} needs a preset node, but the cell's feature size is "
                f"{self.tech.feature_size:g} m; pass a Technology instead"
            ) from None

    @property
    def mux(self) -> int:
        """Column multiplexer degree (columns per sense amplifier)."""
        return self.cols // self.access_bits

    def figures(self, cell_figures: xr.Dataset | None = None) -> xr.Dataset:
        """Area, latency, energy and leakage with breakdowns, and word error rates.

        Parameters
        ----------
        cell_figures : xarray.Dataset, optional
            ``bitcell.figures()``, computed once by a caller that builds many arrays of
            the same cell (default: computed here).

        Returns
        -------
        xarray.Dataset
            Every variable has ``units`` and ``long_name``.  Totals (scalars) and
            their breakdowns along ``<name>_component``, whose coordinate holds the
            component names:

            * ``area`` [m^2]; components cells, decoder, column_mux, precharge,
              sense_amps, write_drivers;
            * ``read_latency`` [s], the read cycle including the precharge;
              components decoder, wordline, precharge, bitline, mux, sense_amp;
            * ``write_latency`` [s]; components decoder, wordline, cell (the MTJ
              pulse, or the SRAM bitline drive);
            * ``read_energy`` [J] per access; components decoder, wordline,
              precharge, bitline, cells, sense_amp;
            * ``write_energy`` [J] per access; components decoder, wordline, bitline,
              cells;
            * ``leakage`` [W]; components cells (zero for MTJ cells), periphery.

            Further scalars: ``wordline_c``, ``bitline_c`` [F], ``wordline_r``,
            ``bitline_r`` [ohm], ``sense_signal`` [V] (the signal at the latch),
            ``sense_settling_time`` (the bitline's, before the signal develops; zero
            for SRAM), ``sense_development_time``, ``sense_latch_time`` [s],
            ``sense_current_margin`` [A] (MTJ cells only: the median cell's margin to
            the reference), and the error probabilities [1] ``bit_write_error`` (mean
            over devices and both directions), ``bit_read_error`` (read decision
            error, mean of the states, plus read disturb), ``word_write_error`` and
            ``word_read_error``, 1 - (1 - p_bit)^access_bits.  Attributes: the
            organisation (rows, cols, access_bits, mux), the cell kind, the
            technologies, ``sa_offset``, ``sa_sigmas``, ``sensing``, the MTJ parameters and the
            citations (``Dong2012``, ``Balasubramonian2017``, ``Pelgrom1989``,
            ``Horowitz1983``).

        Raises
        ------
        ValueError
            If the median P and AP read currents do not differ (an MTJ cell that
            cannot be sensed), or from :meth:`MTJBitcell.figures`.
        """
        is_mtj = isinstance(self.bitcell, MTJBitcell)
        cell = self.bitcell.figures() if cell_figures is None else cell_figures
        g = self._geometry(cell, is_mtj)
        row = self._row_path(g)
        read = (self._read_mtj if is_mtj else self._read_sram)(cell, g)
        write = self._write(cell, g, is_mtj)
        p, f = self.periphery_tech, self.tech.feature_size
        # the column-mux decoder runs beside the row decoder and wordline: only its excess counts
        t_col = max(0.0, row["t_column_decoder"] - row["t_decoder"] - row["t_wordline"])
        read_parts = {
            "decoder": row["t_decoder"],
            "wordline": row["t_wordline"],
            "column_decoder": t_col,
            "precharge": read["t_precharge"],
            "bitline": read["t_bitline"],
            "mux": g["t_mux"],
            "sense_amp": read["t_sense"],
        }
        e_read_parts = {
            "decoder": row["e_decoder"],
            "wordline": row["e_wordline"],
            "column_decoder": row["e_column_decoder"],
            "precharge": read["e_precharge"],
            "bitline": read["e_bitline"],
            "cells": read["e_cells"],
            "sense_amp": read["e_sense"],
        }
        write_parts = {
            "decoder": row["t_decoder"],
            "wordline": row["t_wordline"],
            "column_decoder": t_col,
            "cell": write["t_cell"],
        }
        e_write_parts = {
            "decoder": row["e_decoder"],
            "wordline": row["e_wordline"],
            "column_decoder": row["e_column_decoder"],
            "bitline": write["e_bitline"],
            "cells": write["e_cells"],
        }
        w_pre = read["precharge_widths"]
        csa_area = device_area(read["csa_width"], f) if read["csa_width"] else 0.0  # clamps and loads
        area_parts = {
            "cells": self.rows * self.cols * g["area_cell"],
            "decoder": self.rows * sum(device_area(w, f) for w in row["row_n_widths"] + row["row_p_widths"]),
            "column_decoder": self.mux * sum(device_area(w, f) for w in row["col_n_widths"] + row["col_p_widths"]),
            "column_mux": self.cols * device_area(g["w_mux"], f),
            "precharge": sum(n * device_area(w, f) for n, w in w_pre),
            "sense_amps": self.access_bits * (_SA_DEVICES * device_area(f, f) + _CSA_DEVICES * csa_area),
            "write_drivers": self.access_bits * 2 * device_area(g["w_mux"], f),
        }
        # leakage: periphery devices are off but powered; SRAM cells leak, MTJ cells do not
        w_periph = (
            self.rows * sum(row["row_n_widths"] + row["row_p_widths"])
            + self.mux * sum(row["col_n_widths"] + row["col_p_widths"])
            + self.cols * g["w_mux"]
            + sum(n * w for n, w in w_pre)
            + self.access_bits * (_SA_DEVICES * f + _CSA_DEVICES * read["csa_width"] + 2 * g["w_mux"])
        )
        leak_parts = {
            "cells": 0.0 if is_mtj else self.rows * self.cols * float(cell.leakage_power),
            "periphery": p.vdd * p.i_off_n * w_periph / 2.0,
        }

        wer_bit, read_bit = _bit_errors(cell, is_mtj)
        extra = {
            "wordline_c": (g["c_wl"], "F", "wordline capacitance"),
            "bitline_c": (g["c_bl"], "F", "bitline capacitance"),
            "wordline_r": (g["r_wl"], "ohm", "wordline resistance"),
            "bitline_r": (g["r_bl"], "ohm", "bitline resistance"),
            "sense_signal": (read["dv_in"], "V", "signal at the sense-amplifier latch"),
            "sense_settling_time": (read["t_settle"], "s", "bitline settling time before the signal develops"),
            "sense_development_time": (read["t_develop"], "s", "time to develop the sense signal"),
            "sense_latch_time": (read["t_latch"], "s", "latch regeneration time"),
        }
        if is_mtj:
            extra["sense_current_margin"] = (read["margin"], "A", "margin current of the median cell to the reference")
        return _dataset(
            area_parts,
            read_parts,
            write_parts,
            e_read_parts,
            e_write_parts,
            leak_parts,
            _word_error(wer_bit, self.access_bits),
            _word_error(read_bit, self.access_bits),
            wer_bit,
            read_bit,
            extra=extra,
            attrs=dict(
                rows=self.rows,
                cols=self.cols,
                access_bits=self.access_bits,
                mux=self.mux,
                cell="MTJ" if is_mtj else "SRAM",
                technology=self.tech.name,
                periphery=self.periphery_tech.name,
                sa_offset=self.sa_offset,
                sa_sigmas=self.sa_sigmas,
                sensing=self.sensing,
            ),
            params=self.bitcell.mtj if is_mtj else None,
        )

    # ------------------------------------------------------------------ pieces
    def _geometry(self, cell, is_mtj):
        """Cell pitch, wordline and bitline R and C, the column mux [SI units]."""
        t, p = self.tech, self.periphery_tech
        f = t.feature_size
        area_cell = _worst(cell.cell_area)
        ar = self.aspect_ratio or self.bitcell.aspect_ratio or 1.0  # an MTJ cell without one is square
        h, w = math.sqrt(area_cell * ar), math.sqrt(area_cell / ar)
        w_a = _worst(cell.access_width) if is_mtj else self.bitcell.access_width_f * f
        l_wl, l_bl = self.cols * w, self.rows * h
        i_write = float(cell.i_write) if is_mtj else t.i_on(w_a) * 0.5
        w_mux = max(i_write / p.i_on_n, 1.5 * f)
        c_mux = self.mux * p.c_drain * w_mux
        return dict(
            area_cell=area_cell,
            w_a=w_a,
            w_mux=w_mux,
            c_mux=c_mux,
            c_wl=t.wire_c_local * l_wl + self.cols * t.c_gate * w_a,
            r_wl=t.wire_r_local * l_wl,
            c_bl=t.wire_c_local * l_bl + self.rows * t.c_drain * w_a / 2.0 + p.c_drain * w_mux,
            r_bl=t.wire_r_local * l_bl,
            l_wl=l_wl,
            t_mux=0.69 * p.r_on(w_mux) * c_mux,
        )

    def _row_path(self, g):
        """Row decoder, wordline driver and column-mux decoder (:mod:`.decoder`): delays
        [s], energies [J] and the transistor widths [m] of every output."""
        p = self.periphery_tech
        v = p.vdd
        n_dec = 1 if self.predecoded else math.ceil(math.log2(self.rows) / 2.0)
        row = decoder_output(p, g["c_wl"], g["r_wl"], extra_nand_stages=n_dec - 1)
        out = dict(
            t_decoder=row["t_gates"],
            t_wordline=row["t_driver"],
            e_wordline=g["c_wl"] * v**2,
            e_decoder=row["c_path"] * v**2,  # one output's path switches
            row_n_widths=row["n_widths"],
            row_p_widths=row["p_widths"],
            t_column_decoder=0.0,
            e_column_decoder=0.0,
            col_n_widths=[],
            col_p_widths=[],
        )
        if self.mux > 1:  # one select line per mux input, across the sub-array's width
            c_sel = self.access_bits * p.c_gate * g["w_mux"] + p.wire_c_local * g["l_wl"]
            col = decoder_output(p, c_sel, p.wire_r_local * g["l_wl"])
            out.update(
                t_column_decoder=col["t_gates"] + col["t_driver"],
                e_column_decoder=(col["c_path"] + c_sel) * v**2,
                col_n_widths=col["n_widths"],
                col_p_widths=col["p_widths"],
            )
        return out

    def _precharge(self, g, n_devices, widths, r_series=0.0):
        """Precharge of one bitline through a CACTI precharge PMOS (and ``r_series``
        [Ohm]): latency [s] to 10 % and the energy [J] of switching ``n_devices``
        precharge gates of ``widths`` and their enable line along the wordline."""
        p = self.periphery_tech
        f = p.feature_size
        beta = p.r_eff_p / p.r_eff_n
        w_pre = _W_PRECHARGE * beta * f
        t_pre = _SETTLE * (p.r_on(w_pre, "p") + r_series + g["r_bl"] / 2.0) * (g["c_bl"] + g["c_mux"])
        c_gates = sum(n * w for n, w in zip(n_devices, widths)) * p.c_gate
        e_pre = (c_gates + p.wire_c_local * g["l_wl"]) * p.vdd**2
        return float(t_pre), e_pre, w_pre

    def _read_mtj(self, cell, g):
        """MTJ read: precharge to V_read, then the bitline scheme (``sensing``): settling
        through the cell and margin integration on the bitline, or the clamp's settling and
        margin integration on the mirror's sense node; then the latch (module notes)."""
        p, v_read, f = self.periphery_tech, self.bitcell.v_read, self.tech.feature_size
        beta = p.r_eff_p / p.r_eff_n
        i_p, i_ap = np.asarray(cell.i_read_p), np.asarray(cell.i_read_ap)
        c_line = g["c_bl"] + g["c_mux"]
        # precharge: data and reference bitline of each sense amplifier, through the mux
        t_pre, e_pre, w_pre = self._precharge(
            g, (2 * self.access_bits,), (_W_PRECHARGE * beta * f,), r_series=float(p.r_on(g["w_mux"]))
        )
        r_cell = 0.5 * (v_read / _worst(i_p) + v_read / _worst(i_ap))
        margin = 0.5 * (float(np.median(i_p)) - float(np.median(i_ap)))
        if margin <= 0:
            raise ValueError(
                f"the median P and AP read currents do not differ (margin {margin:.3g} A): the cell cannot be sensed"
            )
        i_mean = 0.5 * (_worst(i_p) + _worst(i_ap))
        r_path = g["r_bl"] / 2.0 + p.r_on(g["w_mux"])  # bitline and mux between the cell and the sense amplifier
        dv_in = self.sa_sigmas * self.sa_offset
        t_latch = float(latch_time(p, min(dv_in, p.vdd)))
        c_ld = latch_load(p)
        w_csa = 0.0
        if self.sensing == "voltage":
            t_settle = _SETTLE * (r_cell + r_path) * c_line
            t_develop = c_line * dv_in / margin
            e_amp = c_ld * p.vdd**2
        else:
            # the clamp, a source follower of g_m = 2 I / V_ov, holds the bitline at V_read: the
            # line settles through the clamp (and the path) in parallel with the cell
            r_clamp = r_path + _CLAMP_OVERDRIVE / (2.0 * i_mean)
            t_settle = _SETTLE * c_line * r_clamp * r_cell / (r_clamp + r_cell)
            # clamp and load carry the worst read current at full drive (at least F wide)
            w_csa = max(f, max(_worst(i_p), _worst(i_ap)) / p.i_on_n)
            c_sense = c_ld + p.c_drain * 2.0 * w_csa  # the sense node: latch, clamp and load drains
            t_develop = c_sense * dv_in / margin
            # the latch, and the sense nodes and the load mirror's gates swung once
            e_amp = (c_ld + p.c_drain * 2.0 * w_csa + p.c_gate * w_csa) * p.vdd**2
        # cell plus reference cell (NVSim's factor 2; the reference branch is the amplifier's
        # bias) draw their current from the periphery supply from settling to the latch
        e_cell = 2.0 * p.vdd * i_mean * (t_settle + t_develop + t_latch)
        return dict(
            t_precharge=t_pre,
            t_bitline=float(t_settle + t_develop),
            t_sense=t_latch,
            t_settle=float(t_settle),
            t_develop=float(t_develop),
            t_latch=t_latch,
            dv_in=dv_in,
            margin=margin,
            e_precharge=e_pre,
            # data and reference bitlines charged to V_read from the periphery supply
            e_bitline=self.access_bits * 2.0 * c_line * v_read * p.vdd,
            e_cells=self.access_bits * e_cell,
            e_sense=self.access_bits * e_amp,
            precharge_widths=((2 * self.access_bits, w_pre),),
            csa_width=w_csa,
        )

    def _read_sram(self, cell, g):
        """SRAM read by CACTI 7's rules: the cell discharges the bitline by the sense
        swing through its access and pull-down devices; the precharge then restores every
        column's bitline pair."""
        t, p = self.tech, self.periphery_tech
        beta = p.r_eff_p / p.r_eff_n
        f = t.feature_size
        swing = float(cell.sense_voltage)
        c_ld = latch_load(p)
        w_eq = _W_EQUALISE * beta * f
        t_pre, e_pre, w_pre = self._precharge(g, (2 * self.cols, self.cols), (_W_PRECHARGE * beta * f, w_eq))
        # CACTI's bitline time constant: the cell path, the bitline wire and the mux device
        # each charging the capacitance downstream of them
        tau = (
            float(cell.read_resistance) * (g["c_bl"] + g["c_mux"] + c_ld)
            + g["r_bl"] * (g["c_bl"] / 2.0 + g["c_mux"] + c_ld)
            + float(p.r_on(g["w_mux"])) * (g["c_mux"] + c_ld)
        )
        t_develop = tau * math.log(t.vdd / (t.vdd - swing))
        t_latch = float(latch_time(p, min(swing, p.vdd)))
        return dict(
            t_precharge=t_pre,
            t_bitline=t_develop,
            t_sense=t_latch,
            t_settle=0.0,
            t_develop=t_develop,
            t_latch=t_latch,
            dv_in=swing,
            e_precharge=e_pre,
            # CACTI: 2 dV V_dd on every column's bitline, and on each sense amplifier's mux and latch side
            e_bitline=2.0 * swing * t.vdd * (self.cols * g["c_bl"] + self.access_bits * (g["c_mux"] + c_ld)),
            e_cells=0.0,
            e_sense=self.access_bits * c_ld * p.vdd**2,
            precharge_widths=((2 * self.cols, w_pre), (self.cols, w_eq)),
            csa_width=0.0,
        )

    def _write(self, cell, g, is_mtj):
        t, p = self.tech, self.periphery_tech
        if is_mtj:
            return dict(
                t_cell=float(cell.t_pulse),
                e_cells=self.access_bits * float(cell.write_energy),
                e_bitline=self.access_bits * g["c_bl"] * float(self.bitcell.write_voltage) ** 2,
            )
        return dict(
            t_cell=0.69 * p.r_on(g["w_mux"]) * (g["c_bl"] + g["c_mux"]),
            # random data: half the written cells flip (assumed)
            e_cells=0.5 * self.access_bits * float(cell.flip_energy),
            # CACTI's differential write: the written columns' bitline pair at full swing
            e_bitline=self.access_bits * 2.0 * (g["c_bl"] + g["c_mux"]) * t.vdd**2,
        )


def _worst(x):
    """The worst (largest) value over an ensemble."""
    return float(np.max(np.asarray(x)))


def _bit_errors(cell, is_mtj):
    """Mean write and read error probabilities per bit (zero for SRAM cells)."""
    if not is_mtj:
        return 0.0, 0.0
    wer_bit = float(np.mean(cell.wer.values))  # mean over devices and the two directions
    read_bit = float(np.mean(0.5 * (cell.read_error_p + cell.read_error_ap) + cell.read_disturb))
    return wer_bit, read_bit


def _word_error(p_bit, n):
    """1 - (1 - p_bit)^n, accurate for small p_bit."""
    return -math.expm1(n * math.log1p(-p_bit)) if p_bit < 1 else 1.0


def _dataset(
    area,
    t_read,
    t_write_latency,
    e_read,
    e_write,
    leak,
    word_write_error,
    word_read_error,
    wer_bit,
    read_bit,
    extra,
    attrs,
    params,
):
    """Assemble the figures: each breakdown along its own component dimension plus its total."""
    data = {}
    for name, parts, units, long_name in (
        ("area", area, "m^2", "area"),
        ("read_latency", t_read, "s", "read latency"),
        ("write_latency", t_write_latency, "s", "write latency"),
        ("read_energy", e_read, "J", "read energy per access"),
        ("write_energy", e_write, "J", "write energy per access"),
        ("leakage", leak, "W", "leakage power"),
    ):
        data[f"{name}_breakdown"] = breakdown(parts, f"{name}_component", units, f"{long_name} by component")
        data[name] = annotate(xr.DataArray(float(sum(parts.values()))), units, long_name)
    for name, (value, units, long_name) in extra.items():
        data[name] = annotate(xr.DataArray(float(value)), units, long_name)
    for name, value, long_name in (
        ("word_write_error", word_write_error, "write error probability per word"),
        ("word_read_error", word_read_error, "read error probability per word"),
        ("bit_write_error", wer_bit, "write error rate per bit (mean of directions)"),
        ("bit_read_error", read_bit, "read error probability per bit"),
    ):
        data[name] = annotate(xr.DataArray(float(value)), "1", long_name)
    return finalize(
        xr.Dataset(data),
        params=params,
        cite=("Dong2012", "Balasubramonian2017", "Pelgrom1989", "Horowitz1983"),
        **attrs,
    )
