"""The 6T SRAM baseline cell (:class:`SRAMBitcell`).

Transistor widths are CACTI 7's SRAM cell (access 1.31 F, pull-down NMOS 2.08 F,
pull-up PMOS 1.23 F; ``tech_params/*.dat``).  The cell area convention is explicit,
because it alone moves an SRAM-versus-MRAM density comparison by about 1.3x:

* ``"cacti"`` (default): 146 F^2, aspect ratio 1.46 (CACTI 7);
* ``"silicon28"``: 0.152 um^2 at 28 nm = 194 F^2 (the 6T cell of the TrueNorth core
  memory, Akopyan et al., IEEE TCAD 2015, as quoted by secondary sources);
* a number: any area in F^2.

Per-cell figures (the array multiplies them by the rows and columns it drives):

* bitline capacitance a cell adds: its access-transistor drain plus a cell height of
  local wire, C_cell = c_drain W_a + c_wire h;
* read: the cell current (access and pull-down NMOS in series, taken as half the
  saturation current of the narrower) discharges the bitline by the sense swing
  dV = ``swing`` x V_dd; energy per cell on the bitline C_cell V_dd dV;
* write: full-swing bitline C_cell V_dd^2;
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
    swing : float [1]
        Bitline read swing as a fraction of V_dd, in (0, 1] (default 0.1, assumed).
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
        If ``area`` is an unknown convention or outside (50, 1000) F^2, or ``swing``
        is outside (0, 1].

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
    swing: float = 0.1
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
        check_range("swing", self.swing, low=0.0, high=1.0, high_inclusive=True)
        check_range("aspect_ratio", self.aspect_ratio, low=0.1, high=10.0, low_inclusive=True, high_inclusive=True)
        for name in ("access_width_f", "nmos_width_f", "pmos_width_f"):
            check_range(
                name, getattr(self, name), low=0.5, high=20.0, low_inclusive=True, high_inclusive=True, units="F"
            )

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
            ``read_current`` [A] (half the saturation current of the narrower of the
            access and pull-down NMOS), ``read_energy_per_cell`` [J] (C_cell V_dd dV),
            ``read_time_per_cell`` [s] (C_cell dV / I_cell), ``write_energy_per_cell``
            [J] (C_cell V_dd^2) and ``leakage_power`` [W] per bit.  Attributes: the
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
        i_cell = 0.5 * t.i_on(min(w_a, w_n))
        dv = self.swing * t.vdd
        items = {
            "cell_area_f2": (self.area_f2, "1", "cell area in F^2"),
            "cell_area": (self.area_f2 * f**2, "m^2", "cell area"),
            "bitline_c_per_cell": (c_cell, "F", "bitline capacitance added by one cell"),
            "read_current": (i_cell, "A", "cell read current"),
            "read_energy_per_cell": (c_cell * t.vdd * dv, "J", "read energy per cell on the bitline (x rows)"),
            "read_time_per_cell": (c_cell * dv / i_cell, "s", "bitline discharge time per cell (x rows)"),
            "write_energy_per_cell": (c_cell * t.vdd**2, "J", "write energy per cell on the bitline (x rows)"),
            "leakage_power": (t.vdd * (t.i_off_n * (w_a + w_n) + t.i_off_p * w_p), "W", "leakage power per bit"),
        }
        ds = xr.Dataset({k: annotate(xr.DataArray(float(v)), u, ln) for k, (v, u, ln) in items.items()})
        return finalize(
            ds, cite=("Balasubramonian2017",), technology=t.name, area_convention=str(self.area), swing=self.swing
        )
