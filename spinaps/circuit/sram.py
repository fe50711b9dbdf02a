"""The 6T SRAM baseline cell (:class:`SRAMBitcell`).

Transistor widths are CACTI 7's SRAM cell (access 1.31 F, pull-down NMOS 2.08 F,
pull-up PMOS 1.23 F; ``tech_params/*.dat``).  The cell area convention is explicit,
because it alone moves an SRAM-versus-MRAM density comparison by about 1.3x:

* ``"cacti"`` (default): 146 F^2, aspect ratio 1.46 (CACTI 7);
* ``"silicon28"``: 0.152 um^2 at 28 nm = 194 F^2 (the 6T cell of the TrueNorth core
  memory, Akopyan et al., IEEE TCAD 2015, as quoted by secondary sources);
* a number: any area in F^2.

Per-cell figures by CACTI 7's rules (``mat.cc``, ``Mat::compute_bitline_delay``; the
array multiplies them by the rows and columns it drives):

* bitline capacitance a cell adds: its access-transistor drain plus a cell height of
  local wire, C_cell = c_drain W_a + c_wire h;
* sense swing dV = max(0.05 V_dd, 80 mV) (CACTI's ``V_b_sense``, ``VBITSENSEMIN``), or
  ``swing`` x V_dd when a fraction is given;
* read: the cell discharges its bitline through the access and pull-down NMOS in
  series, R_cell = R_on(W_a) + R_on(W_n) (CACTI's ``R_cell_acc + R_cell_pull_down``),
  in t = R_cell C ln(V_dd / (V_dd - dV)); the cell read current is the current of that
  path at the start of the discharge, V_dd / R_cell; energy per cell on the bitline
  2 C_cell V_dd dV (CACTI's rule, with its factor 2);
* write: the written column's bitline pair, full swing, 2 C_cell V_dd^2 (CACTI's
  differential write), plus the cell flip: the storage node that rises is charged to
  V_dd, C_node V_dd^2, C_node = the gates of the opposite inverter plus the drains on
  the node (our addition; CACTI leaves it out);
* leakage per bit: V_dd [i_off,n (W_a + W_n) + i_off,p W_p] (one off device of each
  kind per half cell, the access transistor leaking into the precharged bitline).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from .. import literature
from ..params import check_range
from ..provenance import annotate, finalize
from .technology import Technology

__all__ = ["SRAMBitcell", "AREA_CONVENTIONS", "CELL_WIDTHS_F"]

# CACTI 7's SRAM cell and the TrueNorth 6T cell: the literature tables ``cacti7_circuit``
# and ``published_memory`` (spinaps/data/literature, :mod:`spinaps.literature`).
_CACTI_CELL = literature.load("cacti7_circuit")["sram_cell"].require(
    "area", "aspect_ratio", "access_width", "nmos_width", "pmos_width"
)
_SILICON28 = literature.load("published_memory")["truenorth_sram_cell"].require("cell_area", "feature_size")

#: Named SRAM cell-area conventions [F^2] (see the module notes for their sources).
AREA_CONVENTIONS = {
    "cacti": _CACTI_CELL["area"],
    "silicon28": _SILICON28["cell_area"] / _SILICON28["feature_size"] ** 2,
}
#: CACTI 7's SRAM cell transistor widths in F (access, pull-down NMOS, pull-up PMOS).
CELL_WIDTHS_F = {
    "access": _CACTI_CELL["access_width"],
    "nmos": _CACTI_CELL["nmos_width"],
    "pmos": _CACTI_CELL["pmos_width"],
}
#: CACTI 7's SRAM cell aspect ratio (height / width).
ASPECT_RATIO = _CACTI_CELL["aspect_ratio"]
#: CACTI 7's sense voltage: max(fraction x V_dd, minimum) (``parameter.cc``: ``V_b_sense``;
#: ``const.h``: ``VBITSENSEMIN`` = 80 mV).
_V_SENSE_FRACTION = 0.05
_V_SENSE_MIN = 0.08


@dataclass(frozen=True)
class SRAMBitcell:
    """A 6T SRAM cell, the baseline of the MTJ cells.

    Transistor widths are CACTI 7's SRAM cell (:data:`CELL_WIDTHS_F`); the cell-area
    convention is explicit because it alone moves an SRAM-versus-MRAM density
    comparison by about 1.3x (see the module notes for the per-cell figures).

    Parameters
    ----------
    tech : Technology
        The node of the cell.
    area : {"cacti", "silicon28"} or float [F^2]
        Cell-area convention (:data:`AREA_CONVENTIONS`: ``"cacti"``, 146 F^2, the
        default; ``"silicon28"``, the 0.152 um^2 TrueNorth cell at 28 nm, 194 F^2) or
        an area in F^2, in (50, 1000).
    swing : float [1], optional
        Bitline read swing as a fraction of V_dd, in (0, 1]; default None: CACTI 7's
        sense voltage max(0.05 V_dd, 80 mV) (:attr:`sense_voltage`).
    aspect_ratio : float [1]
        Cell height / width, in [0.1, 10] (default CACTI 7's 1.46).
    access_width_f, nmos_width_f, pmos_width_f : float [F]
        Widths of the access, pull-down NMOS and pull-up PMOS transistors in units of
        F, each in [0.5, 20] (default CACTI 7's 1.31, 2.08 and 1.23 F,
        :data:`CELL_WIDTHS_F`); an NVSim ``.cell`` file's ``AccessCMOSWidth``,
        ``SRAMCellNMOSWidth`` and ``SRAMCellPMOSWidth``.

    Attributes
    ----------
    area_f2 : float [F^2]
        The cell area in F^2.

    Raises
    ------
    TypeError
        If ``tech`` is not a :class:`Technology`.
    ValueError
        If ``area`` is an unknown convention or outside (50, 1000) F^2, ``swing`` is
        outside (0, 1], or CACTI's 80 mV sense voltage exceeds V_dd.

    References
    ----------
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee and V. Srinivas,
      "CACTI 7: New tools for interconnect exploration in innovative off-chip
      memories", ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25 (2017); citation
      key ``Balasubramonian2017``.
    * F. Akopyan et al., "TrueNorth: design and tool flow of a 65 mW 1 million neuron
      programmable neurosynaptic chip", IEEE Trans. Comput.-Aided Des. Integr.
      Circuits Syst. 34(10), 1537-1557 (2015), as quoted by secondary sources (the
      ``"silicon28"`` area; not in ``references.bib``).

    Examples
    --------
    >>> from spinaps.circuit import SRAMBitcell, technology
    >>> SRAMBitcell(technology(22)).area_f2
    146.0
    >>> round(SRAMBitcell(technology(28), area="silicon28").area_f2)
    194
    """

    tech: Technology
    area: str | float = "cacti"
    swing: float | None = None
    aspect_ratio: float = ASPECT_RATIO
    access_width_f: float = CELL_WIDTHS_F["access"]
    nmos_width_f: float = CELL_WIDTHS_F["nmos"]
    pmos_width_f: float = CELL_WIDTHS_F["pmos"]

    def __post_init__(self):
        if not isinstance(self.tech, Technology):
            raise TypeError(f"tech must be a Technology, got {type(self.tech).__name__}")
        if isinstance(self.area, str):
            if self.area not in AREA_CONVENTIONS:
                raise ValueError(f"area = {self.area!r}; allowed: {', '.join(AREA_CONVENTIONS)} or a number of F^2")
        else:
            check_range("area", self.area, low=50.0, high=1000.0, units="F^2")
        if self.swing is not None:
            check_range("swing", self.swing, low=0.0, high=1.0, high_inclusive=True)
        elif self.tech.vdd <= _V_SENSE_MIN:
            raise ValueError(f"vdd = {self.tech.vdd:g} V must exceed CACTI's minimum sense voltage {_V_SENSE_MIN} V")
        check_range("aspect_ratio", self.aspect_ratio, low=0.1, high=10.0, low_inclusive=True, high_inclusive=True)
        for name in ("access_width_f", "nmos_width_f", "pmos_width_f"):
            check_range(
                name, getattr(self, name), low=0.5, high=20.0, low_inclusive=True, high_inclusive=True, units="F"
            )

    @property
    def sense_voltage(self) -> float:
        """Bitline read swing dV [V]: ``swing`` x V_dd, or CACTI 7's max(0.05 V_dd, 80 mV)."""
        if self.swing is not None:
            return float(self.swing * self.tech.vdd)
        return max(_V_SENSE_FRACTION * self.tech.vdd, _V_SENSE_MIN)

    @property
    def area_f2(self) -> float:
        """The cell area in F^2 [F^2]: the convention's, or ``area`` itself."""
        return float(AREA_CONVENTIONS[self.area] if isinstance(self.area, str) else self.area)

    def figures(self) -> xr.Dataset:
        """Area, per-cell bitline capacitance, read/write energy and time, leakage.

        The per-cell figures of the module notes; the array multiplies the bitline
        figures by the rows it drives.

        Returns
        -------
        xarray.Dataset
            Scalar variables, each with ``units`` and ``long_name``:
            ``cell_area_f2`` [F^2, units "1"], ``cell_area`` [m^2],
            ``bitline_c_per_cell`` [F] (C_cell = c_drain W_a + c_wire h),
            ``sense_voltage`` [V] (dV), ``read_resistance`` [ohm] (R_cell = R_on(W_a)
            + R_on(W_n)), ``read_current`` [A] (V_dd / R_cell), ``read_energy_per_cell``
            [J] (2 C_cell V_dd dV), ``read_time_per_cell`` [s] (R_cell C_cell
            ln(V_dd / (V_dd - dV))), ``write_energy_per_cell`` [J] (2 C_cell V_dd^2),
            ``flip_energy`` [J] (C_node V_dd^2) and ``leakage_power`` [W] per bit (the
            rules of the module notes).  Attributes: the
            technology, the area convention, the swing and the provenance
            (citation ``Balasubramonian2017``).

        References
        ----------
        * R. Balasubramonian et al., ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25
          (2017) (CACTI 7's cell); citation key ``Balasubramonian2017``.

        Examples
        --------
        >>> from spinaps.circuit import SRAMBitcell, technology
        >>> float(SRAMBitcell(technology(22)).figures().cell_area_f2)
        146.0
        """
        t = self.tech
        f = t.feature_size
        w_a, w_n, w_p = (w * f for w in (self.access_width_f, self.nmos_width_f, self.pmos_width_f))
        height = np.sqrt(self.area_f2 * self.aspect_ratio) * f
        c_cell = t.c_drain * w_a + t.wire_c_local * height
        r_cell = float(t.r_on(w_a) + t.r_on(w_n))  # access and pull-down in series (CACTI)
        dv = self.sense_voltage
        # the node that rises: the opposite inverter's gates, this inverter's and the access drains
        c_node = t.c_gate * (w_n + w_p) + t.c_drain * (w_n + w_p + w_a)
        items = {
            "cell_area_f2": (self.area_f2, "1", "cell area in F^2"),
            "cell_area": (self.area_f2 * f**2, "m^2", "cell area"),
            "bitline_c_per_cell": (c_cell, "F", "bitline capacitance added by one cell"),
            "sense_voltage": (dv, "V", "bitline read swing"),
            "read_resistance": (r_cell, "ohm", "access plus pull-down resistance of the read path"),
            "read_current": (t.vdd / r_cell, "A", "cell read current at the start of the discharge"),
            "read_energy_per_cell": (2.0 * c_cell * t.vdd * dv, "J", "read energy per cell on the bitline (x rows)"),
            "read_time_per_cell": (
                r_cell * c_cell * np.log(t.vdd / (t.vdd - dv)),
                "s",
                "bitline discharge time per cell (x rows)",
            ),
            "write_energy_per_cell": (
                2.0 * c_cell * t.vdd**2,
                "J",
                "write energy per cell on the bitline pair (x rows)",
            ),
            "flip_energy": (c_node * t.vdd**2, "J", "energy of one cell flip (its rising storage node)"),
            "leakage_power": (t.vdd * (t.i_off_n * (w_a + w_n) + t.i_off_p * w_p), "W", "leakage power per bit"),
        }
        ds = xr.Dataset({k: annotate(xr.DataArray(float(v)), u, ln) for k, (v, u, ln) in items.items()})
        return finalize(
            ds,
            cite=("Balasubramonian2017",),
            technology=t.name,
            area_convention=str(self.area),
            swing="cacti" if self.swing is None else self.swing,
        )
