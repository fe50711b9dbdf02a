"""Our circuit figures next to published silicon and tools (:func:`comparison`).

Each comparison configures our bitcell -- and, for a published macro, a whole
:class:`~spinaps.circuit.Memory` of the macro's capacity and word -- like the published
design as far as its paper says, and states what we had to assume.  Where our model's
physics says how close ours must come to the published figure, the row carries that
accepted range of ours / published (never wider than a decade) and its reason.  Where it
does not -- a macro whose unmodelled parts (write-verify, charge pumps, reference and bias
generation, control, I/O) take an unpublished share of its total, an organisation the
paper does not publish, or a known gap of the model -- the row carries no range, only the
reason why there is none, and ``tests/unit/circuit/test_validation.py`` keeps the measured
ratio as a regression value with a stated tolerance.  The published numbers:

* NVSim's sample STT-RAM cell (Dong et al., IEEE TCAD 2012; ``sample_STTRAM.cell``):
  40.82 uA for 5 ns, set energy 0.193895 pJ (= 0.95 V I t), 57.5 F^2 with an 8.5 F
  access transistor (an input of the file, not derived from the current); the cell is
  read from NVSim's own 2013 file (:data:`NVSIM_SAMPLE_CELL_FILE`).
* Intel 22FFL STT-MRAM (L. Wei et al., ISSCC 2019; Golonzka et al., IEDM 2018): a 7 Mb
  macro of 0.0486 um^2 1T-1MTJ cells (216 x 225 nm, about 100 F^2 at 22 nm), MTJ CD
  60-80 nm, TMR 180 %, 4 ns read sensing at 0.9 V.  Its organisation and word are not
  public.
* A 128 kB STT-MRAM macro in 28 nm FD-SOI (G. Patrigeon et al., IEEE Access 2019):
  0.9 pJ/bit read in 5 ns, 3 pJ/bit write in 10 ns (macro level, periphery included);
  its organisation and word are not recorded here.
* Samsung 14 nm FinFET eMRAM (IEEE IEDM 2022, paper 10.7): 25 pJ/bit write (macro
  level), a 16 Mb device (the conference's tip sheet on the paper).
* CACTI 7's 6T SRAM cell: 146 F^2 (Balasubramonian et al., ACM TACO 2017).
* Horowitz (ISSCC 2014), 45 nm, 0.9 V: a 64-bit read of an 8 kB SRAM costs 10 pJ.

The macros are compared at macro level: a :class:`~spinaps.circuit.Memory` of the macro's
capacity (8 Mb for Intel's 7 Mb, the nearest power of two our organisations tile; 16 Mb
for Samsung's) and word (assumed where not published), its organisation searched for
:data:`SEARCH_TARGET` (read EDP, the default of :class:`~spinaps.circuit.Memory` and of
NVSim's sample configurations) since none of these sources publishes one.  Ours
includes the sub-arrays, the predecoders, the H-tree and its output drivers; the macros
further contain write-verify, charge pumps, reference and bias generation, control and
I/O, which the memory model does not have (``spinaps.circuit.memory``: not modelled), so
our energies stay lower bounds of theirs, and no source says how much of its total those
parts take: the energies have no accepted range, only the bound ratio < 1 and a
regression value.  Intel's 4 ns is a sensing time on its unpublished sub-array: our
macro's read, on the short bitlines the search picks, has no bound either way (a
regression value); the same read on one 1024-row sub-array, the bitline length at which
our sensing matches Intel's, keeps its accepted range.  Each macro row reports
:attr:`Comparison.subarray_share`, the share of ours in the active sub-arrays (the rest:
predecoders, H-tree, output drivers).  The known gap of NVSim's own sample cell (our sizing gives 14.6 F^2
against the file's 57.5 F^2) is shown as a row of its own; the cell read from NVSim's
file reports the file's 57.5 F^2.  The published numbers are the literature tables
``published_memory``, ``cacti7_circuit`` and ``horowitz2014_energy``
(``spinaps/data/literature``, :mod:`spinaps.literature`); the configurations, the
assumptions and the accepted ranges are ours and stay here.
"""

from __future__ import annotations

import math
import pathlib
from dataclasses import dataclass, replace

import pandas as pd

from .. import citations, literature
from ..device import preset
from .array import Array
from .bitcell import MTJBitcell, cell_area_f2
from .memory import Memory
from .nvsim import from_nvsim_cell
from .sram import SRAMBitcell
from .technology import technology

#: NVSim input files shipped with the package (see the README beside them).
NVSIM_DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "nvsim"
#: NVSim's 2013 sample STT-RAM cell file (``sample_STTRAM.cell`` as first published).
NVSIM_SAMPLE_CELL_FILE = NVSIM_DATA / "sample_STTRAM_2013.cell"

#: Read voltage of :func:`nvsim_sample_cell` [V]: our default 0.1 V instead of the
#: file's 0.25 V, which drives about 30 uA through 6 kOhm, above the benchmark
#: junction's AP->P read threshold (13.4 uA; assumed, the file gives no junction).
NVSIM_SAMPLE_V_READ = 0.1

__all__ = [
    "Comparison",
    "comparison",
    "comparison_table",
    "intel_22ffl_cell",
    "access2019_cell",
    "nvsim_sample_cell",
    "intel_22ffl_memory",
    "access2019_memory",
    "samsung14_memory",
    "horowitz_sram_memory",
    "SEARCH_TARGET",
]

#: Widest accepted range of ours / published, high / low: one decade.
MAX_RANGE = 10.0


def _published(name):
    """The entry ``name`` of the literature table ``published_memory``."""
    return literature.load("published_memory")[name]


@dataclass(frozen=True)
class Comparison:
    """One published figure and ours.

    ``low`` and ``high`` bound the accepted ratio ours / published where our model's
    physics says how close it must be (at most a decade apart); where it does not, both
    are None and the ratio is kept as a regression value by the tests.  ``reason`` says
    why in either case.

    Parameters
    ----------
    quantity : str
        What is compared.
    ours, published : float [``units``]
        Our figure and the published one, both in ``units``.
    units : str
        Units of ``ours`` and ``published`` (SI, or ``"F^2"``).
    source : str
        Where the published figure comes from.
    low, high : float or None [1]
        Accepted range of ``ratio``, with 0 < low <= high <= 10 low; both None if there
        is no physical range (a regression value in the tests, or a known discrepancy).
    reason : str
        Why that range, or why there is none.
    assumed : str, optional
        What we had to assume to configure ours like the published design.
    known_discrepancy : bool, optional
        True for a known gap of the model that is shown, not accepted (``low`` and
        ``high`` are then None).
    subarray_share : float or None, optional [1]
        For a figure of a :class:`~spinaps.circuit.Memory`: the share of ``ours`` in
        its active sub-arrays (the rest is the predecoders, the H-tree and its output
        drivers), in [0, 1]; None for a cell or a lone sub-array.

    Attributes
    ----------
    ratio : float [1]
        ours / published.
    agrees : bool or None
        True if ``low <= ratio <= high``; None if the row has no accepted range.
    accepted : str
        The accepted range as text, or what stands in for it.

    Raises
    ------
    ValueError
        If only one of ``low`` and ``high`` is given, the range is not positive or spans
        more than a decade, a known discrepancy carries a range, ``reason`` is empty, or
        ``subarray_share`` lies outside [0, 1].
    """

    quantity: str
    ours: float
    published: float
    units: str
    source: str
    low: float | None
    high: float | None
    reason: str
    assumed: str = ""
    known_discrepancy: bool = False
    subarray_share: float | None = None

    def __post_init__(self):
        if not self.reason.strip():
            raise ValueError(f"{self.quantity}: a comparison states the reason for its accepted range")
        if self.subarray_share is not None and not 0.0 <= self.subarray_share <= 1.0:
            raise ValueError(f"{self.quantity}: subarray_share = {self.subarray_share!r} must lie in [0, 1]")
        if (self.low is None) != (self.high is None):
            raise ValueError(f"{self.quantity}: give both low and high, or neither")
        if self.low is None:
            return
        if self.known_discrepancy:
            raise ValueError(f"{self.quantity}: a known discrepancy is shown, not accepted: low and high must be None")
        if not 0.0 < self.low <= self.high <= MAX_RANGE * self.low:
            raise ValueError(
                f"{self.quantity}: accepted range [{self.low:g}, {self.high:g}] must be positive and span at most "
                f"a factor {MAX_RANGE:g}; without a physical bound that tight, keep the ratio as a regression value"
            )

    @property
    def ratio(self) -> float:
        """ours / published [1]."""
        return self.ours / self.published

    @property
    def agrees(self) -> bool | None:
        """True if the ratio lies in the accepted range [low, high]; None without a range."""
        if self.low is None:
            return None
        return self.low <= self.ratio <= self.high

    @property
    def accepted(self) -> str:
        """The accepted range of the ratio as text (``"1 ± 1e-09"``, ``"[0.707, 1.41]"``),
        or ``"none: known discrepancy"`` / ``"none: regression value (tests)"``."""
        if self.low is None:
            return "none: known discrepancy" if self.known_discrepancy else "none: regression value (tests)"
        half = (self.high - self.low) / 2.0
        if abs((self.low + self.high) / 2.0 - 1.0) < 1e-12 and half < 1e-3:
            return f"1 ± {half:.0e}"
        return f"[{self.low:.3g}, {self.high:.3g}]"


def nvsim_sample_cell() -> MTJBitcell:
    """NVSim's 2013 sample STT-RAM cell, read from its own file, at 22 nm.

    :data:`NVSIM_SAMPLE_CELL_FILE` through :func:`~spinaps.circuit.from_nvsim_cell`:
    R_P = 6 kOhm and R_AP = 12 kOhm (the benchmark junction's RA and TMR set to them),
    40.82 uA for 5 ns from the 0.95 V the file's 0.193895 pJ implies, the file's 8.5 F
    access width, 57.5 F^2 and aspect ratio 0.57; read at :data:`NVSIM_SAMPLE_V_READ`
    = 0.1 V, not the file's 0.25 V (about 30 uA through 6 kOhm, above the benchmark
    junction's AP->P read threshold of 13.4 uA: a read that would switch the cell).

    Returns
    -------
    MTJBitcell
        On the 22 nm HP preset.

    References
    ----------
    * X. Dong, C. Xu, Y. Xie and N. P. Jouppi, IEEE Trans. Comput.-Aided Des.
      Integr. Circuits Syst. 31(7), 994-1007 (2012) (file ``sample_STTRAM.cell``,
      2013); citation key ``Dong2012``.
    """
    # The file reads at 0.25 V: through 6 kOhm that is about 30 uA, above the AP->P read
    # threshold I_c0 (1 + c) = 13.4 uA of the benchmark junction, and the device layer
    # refuses a read that would switch the cell.  The file gives no junction, so the
    # read is taken at our default 0.1 V (12 uA; assumed).
    return replace(from_nvsim_cell(NVSIM_SAMPLE_CELL_FILE, technology(22)), v_read=NVSIM_SAMPLE_V_READ)


def intel_22ffl_cell() -> MTJBitcell:
    """A 22FFL-like cell: the benchmark junction at CD 70 nm (the middle of 60-80 nm)
    and TMR 180 %, written with 2 I_c0 for 20 ns (assumed; Intel's write is
    write-verify-write), on the 22 nm HP preset at Intel's 0.9 V read supply.

    Returns
    -------
    MTJBitcell

    References
    ----------
    * L. Wei et al., "A 7Mb STT-MRAM in 22FFL FinFET technology with 4ns read sensing
      time at 0.9V using write-verify-write scheme and offset-cancellation sensing
      technique", IEEE ISSCC (2019); citation key ``Wei2019``.
    * O. Golonzka et al., "MRAM as embedded non-volatile memory solution for 22FFL
      FinFET technology", IEEE IEDM (2018); citation key ``Golonzka2018``.
    """
    intel = _published("intel_22ffl_cell").require("tmr0", "vdd_read")
    mtj = replace(preset("benchmark"), diameter=70e-9, tmr0=intel["tmr0"])
    return MTJBitcell(mtj, replace(technology(22), vdd=intel["vdd_read"]), i_write=2.0 * float(mtj.ic0), t_pulse=20e-9)


def access2019_cell() -> MTJBitcell:
    """A cell like the 28 nm macro's: the benchmark junction written in 10 ns (the
    macro's write time) with 3 I_c0 from a 1.2 V write supply (assumed), on the
    28 nm HP preset.

    Returns
    -------
    MTJBitcell

    References
    ----------
    * G. Patrigeon, P. Benoit, L. Torres, S. Senni, G. Prenat and G. Di Pendina,
      "Design and evaluation of a 28-nm FD-SOI STT-MRAM for ultra-low power
      microcontrollers", IEEE Access 7, 58085-58093 (2019): a 128 kB macro, 0.9 pJ/bit
      read in 5 ns, 3 pJ/bit write in 10 ns; citation key ``Patrigeon2019``.
    """
    mtj = preset("benchmark")
    return MTJBitcell(
        mtj,
        technology(28),
        i_write=3.0 * float(mtj.ic0),
        t_pulse=_published("access2019_macro").require("write_time")["write_time"],
        v_write=1.2,
    )


#: Target of the organisation search of every macro whose organisation is not
#: published: read EDP, the default of :class:`~spinaps.circuit.Memory` and of NVSim's
#: sample configurations (a choice; the papers give no target either).
SEARCH_TARGET = "read_edp"

#: :data:`SEARCH_TARGET` in words.
_TARGET_WORDS = SEARCH_TARGET.replace("_edp", " EDP").replace("_", " ")

#: Components of a :class:`~spinaps.circuit.Memory` breakdown above the sub-array.
_HIERARCHY = ("predecoders", "htree", "output_drivers")

#: Words of the macros [bit], none published (Horowitz's 64-bit read is, in its table):
#: assumed, Intel's and Samsung's 64 bits as the sub-array comparison before them, the
#: 28 nm macro's 32 bits as the word of the 32-bit microcontrollers it is designed for.
WORD_BITS = {"intel": 64, "access2019": 32, "samsung14": 64}


def _capacity_bytes(text: str) -> int:
    """Bytes of a published capacity such as ``"128 kB"`` or ``"7 Mb"`` (binary prefixes)."""
    number, unit = text.split()
    factor = {"kB": 2**10, "MB": 2**20, "kb": 2**7, "Mb": 2**17}[unit]
    return int(round(float(number) * factor))


def _tiled_capacity(text: str) -> int:
    """The published capacity ``text`` [byte], rounded up to a power of two (our
    organisations tile powers of two: Intel's 7 Mb becomes 8 Mb)."""
    n = _capacity_bytes(text)
    return 1 << (n - 1).bit_length()


def intel_22ffl_memory() -> Memory:
    """Intel's 22FFL macro as our memory: :func:`intel_22ffl_cell` in 8 Mb (Intel's 7 Mb
    rounded up to a power of two), 64-bit words (assumed: not published), organisation
    searched for :data:`SEARCH_TARGET` (not published).

    Returns
    -------
    Memory

    References
    ----------
    * L. Wei et al., IEEE ISSCC (2019) (a 7 Mb macro); citation key ``Wei2019``.
    """
    capacity = _tiled_capacity(_published("intel_22ffl_cell").require("capacity")["capacity"])
    return Memory(intel_22ffl_cell(), capacity, WORD_BITS["intel"], target=SEARCH_TARGET)


def access2019_memory() -> Memory:
    """The 28 nm FD-SOI macro as our memory: :func:`access2019_cell` in 128 kB, 32-bit
    words (assumed: not recorded here), organisation searched for :data:`SEARCH_TARGET`.

    Returns
    -------
    Memory

    References
    ----------
    * G. Patrigeon et al., IEEE Access 7, 58085-58093 (2019); citation key
      ``Patrigeon2019``.
    """
    capacity = _tiled_capacity(_published("access2019_macro").require("capacity")["capacity"])
    return Memory(access2019_cell(), capacity, WORD_BITS["access2019"], target=SEARCH_TARGET)


def samsung14_memory() -> Memory:
    """Samsung's 14 nm eMRAM as our memory, an upper bracket: our 28 nm cell
    (:func:`access2019_cell`; there is no 14 nm preset) in 16 Mb (the device of the
    IEDM 2022 tip sheet), 64-bit words (assumed), organisation searched for
    :data:`SEARCH_TARGET`.

    Returns
    -------
    Memory

    References
    ----------
    * Samsung, "World's most energy-efficient MRAM technology for non-volatile RAM
      applications", IEEE IEDM (2022), paper 10.7 (authors not recorded here).
    """
    capacity = _tiled_capacity(_published("samsung14_emram").require("capacity")["capacity"])
    return Memory(access2019_cell(), capacity, WORD_BITS["samsung14"], target=SEARCH_TARGET)


def horowitz_sram_memory() -> Memory:
    """Horowitz's 8 kB SRAM as our memory: CACTI's 6T cell on the 45 nm HP preset at
    0.9 V, 8 kB, 64-bit words (both published), organisation searched for
    :data:`SEARCH_TARGET` (not published).

    Returns
    -------
    Memory

    References
    ----------
    * M. Horowitz, IEEE ISSCC, 10-14 (2014); citation key ``Horowitz2014``.
    """
    entry = literature.load("horowitz2014_energy")["sram_read_64bit"]
    tech = replace(technology(round(entry["feature_size"] * 1e9)), vdd=entry["vdd"])
    capacity = _tiled_capacity(entry["memory"].removesuffix(" SRAM"))
    return Memory(SRAMBitcell(tech), capacity, entry["bits"], target=SEARCH_TARGET)


def _subarray_share(ds, figure: str) -> float:
    """The share of a memory's ``figure`` in its active sub-arrays (module notes)."""
    parts = ds[f"{figure}_breakdown"]
    names = [str(c) for c in parts[f"{figure}_component"].values]
    above = sum(float(v) for c, v in zip(names, parts.values) if c in _HIERARCHY)
    return 1.0 - above / float(ds[figure])


def _component(ds, figure: str, *names) -> float:
    """The sum of the components ``names`` of a memory's ``figure``."""
    return float(ds[f"{figure}_breakdown"].sel({f"{figure}_component": list(names)}).sum())


def _organisation(ds) -> str:
    """A memory's organisation as text, for the ``assumed`` column."""
    a = ds.attrs
    return (
        f"organisation {a['organisation'].replace(SEARCH_TARGET, _TARGET_WORDS)} (not published): "
        f"{a['rows']} x {a['cols']} sub-arrays, {a['mats']} mats of {a['subarrays']} sub-arrays, "
        f"{a['active_mats']} mats and {a['active_subarrays']} sub-arrays per mat active, sense-amp mux "
        f"{a['sense_amp_mux']}"
    )


def _macro_reason(missing: str, note: str = "") -> str:
    """Why an energy of our memory against a whole published macro has no accepted range."""
    return (
        f"no accepted range: ours is the whole memory -- sub-arrays, predecoders, H-tree and output drivers -- but "
        f"not the published memory's {missing}, which the memory model does not have; the source gives the total, "
        f"not their share, so the one physical bound is ratio < 1 and no lower bound follows{note}. The tests keep "
        f"the measured ratio as a regression value"
    )


def comparison() -> list[Comparison]:
    """Our figures against the published ones (see the module notes).

    Registers the citations ``Dong2012``, ``Wei2019``, ``Golonzka2018``,
    ``Patrigeon2019``, ``Horowitz2014`` and ``Balasubramonian2017``.  Builds and
    searches four memories (:func:`intel_22ffl_memory`, :func:`access2019_memory`,
    :func:`samsung14_memory`, :func:`horowitz_sram_memory`): a few seconds.

    Returns
    -------
    list of Comparison
        NVSim's sample-cell set energy and cell area (at its own access width, and
        with the width our sizing gives: a known discrepancy), Intel 22FFL's cell area,
        its read time at macro level and on one 1024-row sub-array, the 28 nm macro's
        read and write energy per bit, the 14 nm eMRAM write energy per bit (all three
        at macro level), CACTI's SRAM cell area and Horowitz's 8 kB SRAM read energy
        (macro level), each with its accepted range (or why there is none), reason and,
        at macro level, the sub-array share.

    References
    ----------
    * X. Dong et al., IEEE Trans. Comput.-Aided Des. Integr. Circuits Syst. 31(7),
      994-1007 (2012) (NVSim); citation key ``Dong2012``.
    * L. Wei et al., IEEE ISSCC (2019) (Intel 22FFL STT-MRAM); citation key
      ``Wei2019``.
    * O. Golonzka et al., IEEE IEDM (2018) (Intel 22FFL MRAM); citation key
      ``Golonzka2018``.
    * G. Patrigeon et al., IEEE Access 7, 58085-58093 (2019) (the 128 kB STT-MRAM
      macro in 28 nm FD-SOI); citation key ``Patrigeon2019``.
    * M. Horowitz, IEEE ISSCC, 10-14 (2014); citation key ``Horowitz2014``.
    * R. Balasubramonian et al., ACM Trans. Archit. Code Optim. 14(2), 14:1-14:25
      (2017) (CACTI 7); citation key ``Balasubramonian2017``.
    * Samsung's 14 nm FinFET eMRAM (IEEE IEDM 2022, paper 10.7) is not in
      ``references.bib`` (its authors are not recorded here).

    Examples
    --------
    >>> from spinaps.circuit.validation import comparison
    >>> all(c.agrees for c in comparison() if c.agrees is not None)   # doctest: +SKIP
    True
    """
    citations.register("Dong2012", "Wei2019", "Golonzka2018", "Patrigeon2019", "Horowitz2014", "Balasubramonian2017")
    nvsim, intel_pub, macro, samsung = (
        _published(k) for k in ("nvsim_sample_sttram", "intel_22ffl_cell", "access2019_macro", "samsung14_emram")
    )
    cacti_sram = literature.load("cacti7_circuit")["sram_cell"]
    sram_read = literature.load("horowitz2014_energy")["sram_read_64bit"]
    nv_source = "Dong et al., IEEE TCAD 2012 (sample_STTRAM.cell)"
    rows = []
    nv_cell = nvsim_sample_cell()
    nv = nv_cell.figures()
    rows.append(
        Comparison(
            "NVSim sample cell set energy",
            float(nv.write_energy),
            nvsim["write_energy"],
            "J",
            nv_source,
            1 - 1e-9,
            1 + 1e-9,
            "an input check: ours is V_w I t with the file's 40.82 uA and 5 ns and the write supply V_w = "
            "E / (I t) = 0.95 V that the file's own 0.193895 pJ implies (NVSim uses the file's energy as given), "
            "so only floating-point rounding may separate them",
            assumed="R_P 6 kOhm and R_AP 12 kOhm on the benchmark junction's stack; 22 nm HP device",
        )
    )
    rows.append(
        Comparison(
            "NVSim sample cell area, read from its file",
            float(nv.cell_area_f2),
            nvsim["cell_area_f2"],
            "F^2",
            nv_source,
            1 - 1e-9,
            1 + 1e-9,
            "an input check: a cell read from an NVSim file takes the file's CellArea as given, as NVSim does, so "
            "only floating-point rounding may separate them",
            assumed="none: the cell is read from NVSim's 2013 sample file (sample_STTRAM_2013.cell)",
        )
    )
    f_nv = nv_cell.tech.feature_size
    rows.append(
        Comparison(
            "NVSim sample cell area by our rule at its access width (8.5 F)",
            float(cell_area_f2(nvsim["access_width"] * f_nv, f_nv)),
            nvsim["cell_area_f2"],
            "F^2",
            nv_source,
            0.95,
            1.05,
            "our area rule K (W/F + 1) F^2, K = 6, is fitted to NVSim's three sample cells (57.5, 54 and "
            "34.5 F^2 at 8.5, 8 and 4.5 F); its worst residual is 4.3 %",
            assumed="the file's access width 8.5 F, taken as given",
        )
    )
    sized_cell = replace(nv_cell, area_f2=None, access_width_f=None)
    sized = sized_cell.figures()
    rows.append(
        Comparison(
            "NVSim sample cell area, access width sized by our model",
            float(sized.cell_area_f2),
            nvsim["cell_area_f2"],
            "F^2",
            nv_source,
            None,
            None,
            f"known discrepancy, not accepted: NVSim takes the 8.5 F width as an input; our sizing carries "
            f"40.82 uA on CACTI's 22 nm HP device at W = {float(sized.access_width) / f_nv:.2f} F, so the cell is "
            f"the MTJ pillar's footprint (d + 2F)^2 (a cell read from the file reports the file's 57.5 F^2). "
            f"The tests record the ratio",
            assumed="the access transistor sized for 40.82 uA at 0.95 V (alpha-power law) on the 22 nm HP device",
            known_discrepancy=True,
        )
    )
    intel = intel_22ffl_cell()
    intel_cell = intel.figures()
    f_intel = intel.tech.feature_size
    w_intel = float(intel_cell.access_width) / f_intel
    rows.append(
        Comparison(
            "Intel 22FFL 1T-1MTJ cell area",
            float(intel_cell.cell_area),
            intel_pub["cell_area"],
            "m^2",
            "L. Wei et al., ISSCC 2019",
            None,
            None,
            f"known discrepancy, not accepted: our sizing carries 2 I_c0 = {2e6 * float(intel.mtj.ic0):.0f} uA of "
            f"the 70 nm junction (cylinder demagnetisation) at W = {w_intel:.2f} F, below the 4.5-8.5 F our planar "
            "area rule is calibrated on (NVSim's cells), so the rule is extrapolated; Intel's FinFET cell with two "
            "poly word lines is set by gate and fin pitches (min_area_f2 gives that floor), which the rule does "
            "not model. Part of the NVSim-class circuit issue; the tests record the ratio",
            assumed="CD 70 nm (middle of 60-80 nm), TMR 180 %, written with 2 I_c0 for 20 ns",
            known_discrepancy=True,
        )
    )
    # ---- Intel's read: the macro, and one sub-array of the bitline length that matches
    intel_source = "L. Wei et al., ISSCC 2019"
    intel_mem = intel_22ffl_memory().figures()
    t_read = float(intel_mem.read_latency)
    t_sense = _component(intel_mem, "read_latency", "precharge", "bitline", "mux", "sense_amp")
    # 1024 cells per bitline and 512 columns, 64-bit words: assumed (not published); the
    # neighbouring bitline lengths show how the read scales with the rows
    t_rows = {
        n: float(Array(intel, n, 512, 64).figures(cell_figures=intel_cell).read_latency) for n in (256, 512, 2048)
    }
    a = Array(intel, 1024, 512, 64).figures(cell_figures=intel_cell)
    t_rows[1024] = float(a.read_latency)
    rows.append(
        Comparison(
            "Intel 22FFL read time at 0.9 V, 8 Mb macro",
            t_read,
            intel_pub["read_time"],
            "s",
            intel_source,
            None,
            None,
            f"no accepted range: Intel's figure is the sensing time of its unpublished sub-array; ours is the "
            f"macro's whole read (address in, decode, wordline, bitline, latch, data out) on the organisation our "
            f"{_TARGET_WORDS} search picks, {intel_mem.attrs['rows']}-row sub-arrays whose precharge, bitline and "
            f"latch take {t_sense * 1e9:.2f} ns. Our sensing grows about linearly with the bitline "
            f"({float(a.read_latency) * 1e9:.2f} ns on 1024 rows, the row below), so the ratio measures the bitline "
            f"of Intel's sub-array against the short one the search picks, not the read physics, and neither bound "
            f"follows; the decoder and driver delays also rest on a known low FO4. The tests keep "
            f"the measured ratio as a regression value",
            assumed=f"8 Mb (Intel's 7 Mb rounded up to a power of two), 64-bit word (not published); "
            f"{_organisation(intel_mem)}; CD 70 nm, TMR 180 %, 22 nm HP at 0.9 V; sense offset 10 mV, 6 sigma",
            subarray_share=_subarray_share(intel_mem, "read_latency"),
        )
    )
    rows.append(
        Comparison(
            "Intel 22FFL read (sensing) time at 0.9 V, one 1024-row sub-array",
            float(a.read_latency),
            intel_pub["read_time"],
            "s",
            intel_source,
            1 / math.sqrt(2.0),
            math.sqrt(2.0),
            f"the sensing physics alone, on an assumed bitline: our read of one sub-array is about linear in the "
            f"rows ({', '.join(f'{t_rows[n] * 1e9:.2f}' for n in sorted(t_rows))} ns at 256 to 2048 rows), so "
            f"within sqrt 2 means 1024 rows, and no neighbouring power of two, matches Intel's 4 ns. First-order "
            f"RC and sense model; Intel's offset-cancelling sense amplifier is not modelled",
            assumed="1024 rows x 512 columns, 64-bit word; sense offset 10 mV, 6 sigma",
        )
    )
    # ---- the 28 nm FD-SOI macro, read and write, at macro level
    acc_source = "G. Patrigeon et al., IEEE Access 2019 (128 kB, 28 nm FD-SOI)"
    acc_mem = access2019_memory().figures()
    acc_bits = WORD_BITS["access2019"]
    acc_assumed = (
        f"128 kB (published), 32-bit word (assumed); {_organisation(acc_mem)}; the benchmark junction written "
        f"with 3 I_c0 for 10 ns from 1.2 V (assumed); 28 nm HP"
    )
    rows.append(
        Comparison(
            "28 nm macro read energy per bit",
            float(acc_mem.read_energy) / acc_bits,
            macro["read_energy_per_bit"],
            "J",
            acc_source,
            None,
            None,
            _macro_reason("read reference and bias generation, timing control and I/O"),
            assumed=acc_assumed,
            subarray_share=_subarray_share(acc_mem, "read_energy"),
        )
    )
    cell_share = _component(acc_mem, "write_energy", "cells") / float(acc_mem.write_energy)
    rows.append(
        Comparison(
            "28 nm macro write energy per bit (10 ns)",
            float(acc_mem.write_energy) / acc_bits,
            macro["write_energy_per_bit"],
            "J",
            acc_source,
            None,
            None,
            _macro_reason(
                "write-voltage generation (our 1.2 V write supply is ideal), write-driver bias, control and I/O "
                "(and any verify)",
                f"; the cell current that makes {cell_share:.0%} of ours (3 I_c0 for 10 ns) is assumed",
            ),
            assumed=acc_assumed,
            subarray_share=_subarray_share(acc_mem, "write_energy"),
        )
    )
    sam_mem = samsung14_memory().figures()
    rows.append(
        Comparison(
            "14 nm eMRAM write energy per bit",
            float(sam_mem.write_energy) / WORD_BITS["samsung14"],
            samsung["write_energy_per_bit"],
            "J",
            "Samsung, IEEE IEDM 2022, paper 10.7 (14 nm FinFET eMRAM; compared with our 28 nm memory)",
            None,
            None,
            _macro_reason(
                "write-verify, charge pumps, control and I/O",
                "; another node (there is no 14 nm preset) and cell than ours: an upper bracket",
            ),
            assumed=f"16 Mb (the IEDM 2022 tip sheet's device), 64-bit word (assumed); {_organisation(sam_mem)}; "
            f"our 28 nm cell of the rows above",
            subarray_share=_subarray_share(sam_mem, "write_energy"),
        )
    )
    rows.append(
        Comparison(
            "CACTI SRAM cell area",
            float(SRAMBitcell(technology(22)).figures().cell_area_f2),
            cacti_sram["area"],
            "F^2",
            "CACTI 7 (Balasubramonian et al., ACM TACO 2017)",
            1 - 1e-9,
            1 + 1e-9,
            "an input check: the default area convention is CACTI's 146 F^2; only rounding may separate them",
            assumed="the default area convention 'cacti'",
        )
    )
    sram_mem = horowitz_sram_memory().figures()
    rows.append(
        Comparison(
            "8 kB SRAM 64-bit read energy, 45 nm 0.9 V",
            float(sram_mem.read_energy),
            sram_read["energy"],
            "J",
            "M. Horowitz, ISSCC 2014",
            None,
            None,
            _macro_reason(
                "control, timing and I/O",
                "; Horowitz's 10 pJ is a rounded whole-memory figure without a breakdown (our memory model is within "
                "1.5x of CACTI 7 on CACTI's own 8 kB SRAM: memory_validation.cacti_memory_table)",
            ),
            assumed=f"8 kB, 64-bit word (published); {_organisation(sram_mem)}; CACTI's 6T cell, 45 nm HP at 0.9 V",
            subarray_share=_subarray_share(sram_mem, "read_energy"),
        )
    )
    return rows


def comparison_table() -> pd.DataFrame:
    """:func:`comparison` as a table: quantity, ours, published, units, ratio, accepted
    range, its reason, what we assumed, the source and the sub-array share.

    Returns
    -------
    pandas.DataFrame
        One row per comparison; columns ``quantity``, ``ours``, ``published``,
        ``units``, ``ratio`` [1], ``accepted`` (:attr:`Comparison.accepted`),
        ``reason`` (why that range, or why there is none), ``assumed``, ``source`` and
        ``subarray_share`` [1] (:attr:`Comparison.subarray_share`; NaN for a cell or a
        lone sub-array).
    """
    return pd.DataFrame(
        [
            dict(
                quantity=c.quantity,
                ours=c.ours,
                published=c.published,
                units=c.units,
                ratio=c.ratio,
                accepted=c.accepted,
                reason=c.reason,
                assumed=c.assumed,
                source=c.source,
                subarray_share=math.nan if c.subarray_share is None else c.subarray_share,
            )
            for c in comparison()
        ]
    )
