"""Readers of NVSim's input files: a ``.cell`` file into a bitcell, a ``.cfg`` file into a design.

NVSim (Dong et al., IEEE TCAD 2012) describes a memory cell in a ``.cell`` file and a
memory in a ``.cfg`` file, one setting per line, ``-Key: value`` or
``-Key (unit): value``, with ``//`` comments.  These readers parse both formats (our
own parser, written from the format: nothing is executed), check every key against the
keys NVSim knows and every value against the values it accepts, and build what the
circuit layer models:

* :func:`read_nvsim_cell` returns an :class:`NVSimCell` (the cell's settings in SI
  units); :func:`from_nvsim_cell` turns it into an :class:`~spinaps.circuit.MTJBitcell`
  (``MemCellType: MRAM``) or :class:`~spinaps.circuit.SRAMBitcell` (``SRAM``).  The
  cell area and aspect ratio are the file's (NVSim takes them as given), not our
  transistor rule, and the access width is the file's.
* :func:`from_nvsim_cfg` returns an :class:`NVSimConfig` (the organisation keys typed,
  the cell file resolved beside the ``.cfg`` and parsed);
  :meth:`NVSimConfig.to_memory` builds the memory it describes
  (:class:`~spinaps.circuit.Memory`: mats, H-tree, the organisation forced by
  ``ForceBank``/``ForceMat``/``ForceMuxSenseAmp`` or searched for its
  ``OptimizationTarget``); :meth:`NVSimConfig.to_array` the one sub-array of a
  configuration forced to one bank of one mat.

Errors: a missing file raises :class:`FileNotFoundError` naming it; a malformed line a
:class:`ValueError` naming the file and the line number; a known key with a value we
do not model (``MemCellType: PCRAM``, ``AccessType: BJT``) a :class:`ValueError`
naming the key, the value and the allowed values; an unknown key a warning naming the
key and the file.  Keys NVSim knows that only matter for cells or features we do not
model are kept in ``settings`` and otherwise ignored.
"""

from __future__ import annotations

import math
import pathlib
import re
import warnings
from dataclasses import dataclass, field, replace

from ..device import MTJParams, preset
from .bitcell import MTJBitcell
from .sram import SRAMBitcell
from .technology import NODES, Technology, technology

__all__ = ["NVSimCell", "NVSimConfig", "read_nvsim_cell", "from_nvsim_cell", "from_nvsim_cfg"]

# Cell keys: name -> (unit written in the file or None, scale of that unit to SI).
# From NVSim's MemCell::ReadCellFromFile (SEAL-UCSB/NVSim, MemCell.cpp).
_CELL_NUMBERS = {
    "ProcessNode": (None, 1.0),
    "CellArea": ("F^2", 1.0),
    "CellAspectRatio": (None, 1.0),
    "ResistanceOn": ("ohm", 1.0),
    "ResistanceOff": ("ohm", 1.0),
    "CapacitanceOn": ("F", 1.0),
    "CapacitanceOff": ("F", 1.0),
    "ReadVoltage": ("V", 1.0),
    "ReadCurrent": ("uA", 1e-6),
    "ReadPower": ("uW", 1e-6),
    "WordlineBoostRatio": (None, 1.0),
    "MinSenseVoltage": ("mV", 1e-3),
    "ResetVoltage": ("V", 1.0),
    "ResetCurrent": ("uA", 1e-6),
    "ResetPulse": ("ns", 1e-9),
    "ResetEnergy": ("pJ", 1e-12),
    "SetVoltage": ("V", 1.0),
    "SetCurrent": ("uA", 1e-6),
    "SetPulse": ("ns", 1e-9),
    "SetEnergy": ("pJ", 1e-12),
    "AccessCMOSWidth": ("F", 1.0),
    "VoltageDropAccessDevice": ("V", 1.0),
    "LeakageCurrentAccessDevice": ("uA", 1e-6),
    "SRAMCellNMOSWidth": ("F", 1.0),
    "SRAMCellPMOSWidth": ("F", 1.0),
    "DRAMCellCapacitance": ("F", 1.0),
}
# Cell keys with a word value: name -> (values NVSim knows, values we model).
_CELL_CHOICES = {
    "MemCellType": (
        ("SRAM", "DRAM", "eDRAM", "MRAM", "PCRAM", "FBRAM", "memristor", "SLCNAND", "MLCNAND"),
        ("MRAM", "SRAM"),
    ),
    "ReadMode": (("voltage", "current"), ("voltage", "current")),
    "ResetMode": (("voltage", "current"), ("current",)),
    "SetMode": (("voltage", "current"), ("current",)),
    "AccessType": (("CMOS", "BJT", "diode", "none"), ("CMOS",)),
}
# Cell keys NVSim knows that matter only for cells we do not model (kept, ignored).
_CELL_IGNORED = (
    "ResistanceOnAtSetVoltage",
    "ResistanceOffAtSetVoltage",
    "ResistanceOnAtResetVoltage",
    "ResistanceOffAtResetVoltage",
    "ResistanceOnAtReadVoltage",
    "ResistanceOffAtReadVoltage",
    "ResistanceOnAtHalfReadVoltage",
    "ResistanceOffAtHalfReadVoltage",
    "ResistanceOnAtHalfResetVoltage",
    "GateOxThicknessFactor",
    "SOIDeviceWidth",
    "ReadFloating",
    "FlashEraseVoltage",
    "FlashProgramVoltage",
    "FlashPassVoltage",
    "FlashEraseTime",
    "FlashProgramTime",
    "GateCouplingRatio",
)

# Configuration keys (NVSim's InputParameter::ReadInputParameterFromFile, InputParameter.cpp).
_CFG_CHOICES = {
    "DesignTarget": (("cache", "RAM", "CAM"), ("RAM", "cache", "CAM")),
    "OptimizationTarget": (
        (
            "ReadLatency",
            "WriteLatency",
            "ReadDynamicEnergy",
            "WriteDynamicEnergy",
            "ReadEDP",
            "WriteEDP",
            "LeakagePower",
            "Area",
            "Full",
        ),
        None,
    ),
    "DeviceRoadmap": (("HP", "LSTP", "LOP"), ("HP", "LSTP")),
}
_CFG_CAPACITY_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2}
_CFG_INTEGERS = {
    "ProcessNode": None,
    "WordWidth": "bit",
    "Temperature": "K",
    "ForceMuxSenseAmp": None,
    "ForceMuxOutputLev1": None,
    "ForceMuxOutputLev2": None,
}
_CFG_FORCE_ORG = ("ForceBank", "ForceMat")
_CFG_OTHER = (
    "OutputFilePrefix",
    "Associativity",
    "MaxDriverCurrent",
    "WriteScheme",
    "CacheAccessMode",
    "LocalWireType",
    "LocalWireRepeaterType",
    "LocalWireUseLowSwing",
    "GlobalWireType",
    "GlobalWireRepeaterType",
    "GlobalWireUseLowSwing",
    "Routing",
    "InternalSensing",
    "MaxNmosSize",
    "UseCactiAssumption",
    "EnablePruning",
    "BufferDesignOptimization",
    "FlashPageSize",
    "FlashBlockSize",
    "ApplyReadLatencyConstraint",
    "ApplyWriteLatencyConstraint",
    "ApplyReadDynamicEnergyConstraint",
    "ApplyWriteDynamicEnergyConstraint",
    "ApplyLeakageConstraint",
    "ApplyAreaConstraint",
    "ApplyReadEdpConstraint",
    "ApplyWriteEdpConstraint",
    "MemoryCellInputFile",
    "Capacity",
)

#: NVSim's optimisation targets we search for, and our names for them.
_TARGETS = {
    "ReadLatency": "read_latency",
    "WriteLatency": "write_latency",
    "ReadDynamicEnergy": "read_energy",
    "WriteDynamicEnergy": "write_energy",
    "ReadEDP": "read_edp",
    "LeakagePower": "leakage",
    "Area": "area",
}
#: NVSim's global-wire repeater types we model, and ours.
_REPEATERS = {"RepeatedNone": "none", "RepeatedOpt": "optimal"}

_LINE = re.compile(r"^-(?P<key>[A-Za-z][A-Za-z0-9]*)\s*(?:\((?P<unit>[^)]*)\))?\s*:\s*(?P<value>.*?)\s*$")


def _lines(path):
    """The settings of an NVSim file: {key: (unit, value, line number)} in file order.

    Comments (``//`` to the end of the line, and lines starting with ``#``, which
    NVSim's sample cache configuration uses) and blank lines are skipped.  A repeated
    key keeps its last value (as NVSim does) with a warning.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"NVSim file {str(path)!r} does not exist")
    settings = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        text = raw.split("//", 1)[0].strip()
        if not text or text.startswith("#"):  # NVSim's own sample files use '#' comment lines
            continue
        match = _LINE.match(text)
        if match is None or not match["value"]:
            raise ValueError(
                f"{path.name}, line {number}: malformed line {raw.strip()!r}; expected '-Key: value' or "
                f"'-Key (unit): value'"
            )
        key = match["key"]
        if key in settings:
            warnings.warn(
                f"{path.name}, line {number}: {key} repeated; the last value is used", UserWarning, stacklevel=2
            )
        settings[key] = (match["unit"], match["value"], number)
    return settings


def _number(path, key, unit, value, number, expected_unit):
    """A number of ``key`` in its expected unit, or a ValueError naming file, line and key."""
    if (unit or None) != expected_unit and not (unit is None and expected_unit is None):
        raise ValueError(
            f"{path.name}, line {number}: {key} in {unit!r}; NVSim reads it in "
            f"{expected_unit!r}" + ("" if expected_unit else " (no unit)")
        )
    try:
        x = float(value.split()[0])
    except ValueError:
        raise ValueError(f"{path.name}, line {number}: {key} = {value!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{path.name}, line {number}: {key} = {value!r} is not a finite number")
    return x


def _choice(path, key, value, number, known, modelled):
    """A word value of ``key``: known to NVSim and modelled here, else a ValueError."""
    word = value.split()[0]
    if word not in known:
        raise ValueError(f"{path.name}, line {number}: {key} = {word!r}; NVSim knows {', '.join(known)}")
    if modelled is not None and word not in modelled:
        raise ValueError(
            f"{path.name}, line {number}: {key} = {word!r} is not modelled by spinaps; allowed: {', '.join(modelled)}"
        )
    return word


@dataclass(frozen=True)
class NVSimCell:
    """The settings of an NVSim ``.cell`` file, in SI units (:func:`read_nvsim_cell`).

    Parameters
    ----------
    path : pathlib.Path
        The file read.
    cell_type : {"MRAM", "SRAM"}
        ``MemCellType``.
    area_f2 : float [F^2]
        ``CellArea``, taken as given (as NVSim does).
    aspect_ratio : float [1]
        ``CellAspectRatio`` (height / width).
    read_mode : {"current", "voltage"}
        ``ReadMode`` (MRAM cells are read by current sensing here: a voltage across the
        cell, its current compared with a reference).  A file without it reads as
        ``"current"`` for MRAM and ``"voltage"`` for SRAM (NVSim's own default is
        voltage sensing for every cell).
    access_width_f : float or None [F]
        ``AccessCMOSWidth`` in units of F.
    r_p, r_ap : float or None [Ohm]
        ``ResistanceOn`` and ``ResistanceOff`` (MRAM).
    v_read : float or None [V]
        ``ReadVoltage``.
    i_set, i_reset : float or None [A]
        ``SetCurrent`` (AP to P) and ``ResetCurrent`` (P to AP).
    t_set, t_reset : float or None [s]
        ``SetPulse`` and ``ResetPulse``.
    e_set, e_reset : float or None [J]
        ``SetEnergy`` and ``ResetEnergy`` (NVSim uses them as given).
    v_set, v_reset : float or None [V]
        ``SetVoltage`` and ``ResetVoltage``.
    nmos_width_f, pmos_width_f : float or None [F]
        ``SRAMCellNMOSWidth`` and ``SRAMCellPMOSWidth`` (SRAM).
    settings : dict
        Every key of the file with its value as written (including the keys NVSim
        knows that the circuit layer does not use, e.g. ``MinSenseVoltage``).

    References
    ----------
    * X. Dong, C. Xu, Y. Xie and N. P. Jouppi, "NVSim: a circuit-level performance,
      energy, and area model for emerging nonvolatile memory", IEEE Trans.
      Comput.-Aided Des. Integr. Circuits Syst. 31(7), 994-1007 (2012); citation key
      ``Dong2012``.
    """

    path: pathlib.Path
    cell_type: str
    area_f2: float
    aspect_ratio: float
    read_mode: str = "current"
    access_width_f: float | None = None
    r_p: float | None = None
    r_ap: float | None = None
    v_read: float | None = None
    i_set: float | None = None
    i_reset: float | None = None
    t_set: float | None = None
    t_reset: float | None = None
    e_set: float | None = None
    e_reset: float | None = None
    v_set: float | None = None
    v_reset: float | None = None
    nmos_width_f: float | None = None
    pmos_width_f: float | None = None
    settings: dict = field(default_factory=dict, compare=False)

    def to_bitcell(self, tech: Technology, mtj: MTJParams | None = None) -> MTJBitcell | SRAMBitcell:
        r"""The bitcell of this cell at the node ``tech``.

        MRAM: an :class:`MTJBitcell` whose junction has the file's R_P and R_AP (the RA
        and TMR of ``mtj`` replaced so that R_P = ``ResistanceOn`` and R_AP =
        ``ResistanceOff``; the other junction parameters, which the file does not give,
        are those of ``mtj``, by default the ``"benchmark"`` preset: assumed), written
        with the larger of the set and reset currents for the longer of the two pulses
        (our cell writes both directions alike; a warning says so if they differ), from
        the write supply the file's energies imply, V_w = E / (I t) (the larger of set
        and reset; else ``SetVoltage``; else the node's V_dd, as NVSim), read at
        ``ReadVoltage``, with the file's access width, cell area and aspect ratio.
        SRAM: an :class:`SRAMBitcell` with the file's area, aspect ratio and widths.

        Parameters
        ----------
        tech : Technology
            The node (NVSim's cell files do not name one; the ``.cfg`` does).
        mtj : MTJParams, optional
            The junction whose RA and TMR are set to the file's resistances (default
            the ``"benchmark"`` preset).

        Returns
        -------
        MTJBitcell or SRAMBitcell

        Raises
        ------
        ValueError
            If a setting the cell needs is missing (the message names the key and the
            file), an MRAM cell is read in voltage mode, or a value is outside the
            bitcell's range.
        """
        if not isinstance(tech, Technology):
            raise TypeError(f"tech must be a Technology, got {type(tech).__name__}")
        if self.cell_type == "SRAM":
            if self.read_mode != "voltage":
                raise ValueError(f"{self.path.name}: ReadMode = {self.read_mode!r} for an SRAM cell; allowed: voltage")
            widths = {
                k: v
                for k, v in (
                    ("access_width_f", self.access_width_f),
                    ("nmos_width_f", self.nmos_width_f),
                    ("pmos_width_f", self.pmos_width_f),
                )
                if v is not None
            }
            return SRAMBitcell(tech, area=self.area_f2, aspect_ratio=self.aspect_ratio, **widths)
        if self.read_mode != "current":
            raise ValueError(
                f"{self.path.name}: ReadMode = {self.read_mode!r} is not modelled for an MRAM cell; allowed: current"
            )
        need = {
            "ResistanceOn": self.r_p,
            "ResistanceOff": self.r_ap,
            "ReadVoltage": self.v_read,
            "AccessCMOSWidth": self.access_width_f,
        }
        need.update({"SetCurrent": self.i_set, "ResetCurrent": self.i_reset})
        need.update({"SetPulse": self.t_set, "ResetPulse": self.t_reset})
        missing = [k for k, v in need.items() if v is None]
        if missing:
            raise ValueError(f"{self.path.name}: an MRAM cell needs {', '.join(missing)}; not in the file")
        if not self.r_ap > self.r_p > 0:
            raise ValueError(
                f"{self.path.name}: ResistanceOff = {self.r_ap} Ohm must exceed ResistanceOn = {self.r_p} Ohm > 0"
            )
        if self.i_set != self.i_reset or self.t_set != self.t_reset:
            warnings.warn(
                f"{self.path.name}: set ({self.i_set:.4g} A, {self.t_set:.4g} s) and reset ({self.i_reset:.4g} A, "
                f"{self.t_reset:.4g} s) differ; the cell writes both directions with the larger current and pulse",
                UserWarning,
                stacklevel=2,
            )
        i_write, t_pulse = max(self.i_set, self.i_reset), max(self.t_set, self.t_reset)
        implied = [
            e / (i * t)
            for e, i, t in ((self.e_set, self.i_set, self.t_set), (self.e_reset, self.i_reset, self.t_reset))
            if e
        ]
        v_write = max(implied) if implied else self.v_set
        base = preset("benchmark") if mtj is None else mtj
        if not isinstance(base, MTJParams):
            raise TypeError(f"mtj must be an MTJParams, got {type(base).__name__}")
        junction = replace(base, ra=float(base.ra) * self.r_p / float(base.r_p), tmr0=self.r_ap / self.r_p - 1.0)
        return MTJBitcell(
            junction,
            tech,
            i_write=i_write,
            t_pulse=t_pulse,
            v_read=self.v_read,
            v_write=v_write,
            area_f2=self.area_f2,
            aspect_ratio=self.aspect_ratio,
            access_width_f=self.access_width_f,
        )


def read_nvsim_cell(path) -> NVSimCell:
    """Parse an NVSim ``.cell`` file (see the module notes for the format and the errors).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    NVSimCell
        Its settings in SI units.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        On a malformed line (file and line number), a value NVSim does not know or
        we do not model (key, value and allowed values), a unit other than NVSim's, or
        a missing ``MemCellType``, ``CellArea`` or ``CellAspectRatio``.

    Examples
    --------
    >>> from spinaps.circuit.nvsim import read_nvsim_cell
    >>> from spinaps.circuit.validation import NVSIM_SAMPLE_CELL_FILE
    >>> read_nvsim_cell(NVSIM_SAMPLE_CELL_FILE).area_f2
    57.5
    """
    path = pathlib.Path(path)
    settings = _lines(path)
    values = {}
    for key, (unit, value, number) in settings.items():
        if key in _CELL_NUMBERS:
            expected, scale = _CELL_NUMBERS[key]
            values[key] = _number(path, key, unit, value, number, expected) * scale
        elif key in _CELL_CHOICES:
            values[key] = _choice(path, key, value, number, *_CELL_CHOICES[key])
        elif key not in _CELL_IGNORED:
            warnings.warn(
                f"{path.name}, line {number}: unknown NVSim cell key {key!r}; ignored", UserWarning, stacklevel=2
            )
    for key in ("MemCellType", "CellArea", "CellAspectRatio"):
        if key not in values:
            raise ValueError(f"{path.name}: {key} is missing; NVSim cell files must give it")
    get = values.get
    return NVSimCell(
        path=path,
        cell_type=values["MemCellType"],
        area_f2=values["CellArea"],
        aspect_ratio=values["CellAspectRatio"],
        read_mode=get("ReadMode", "voltage" if values["MemCellType"] == "SRAM" else "current"),
        access_width_f=get("AccessCMOSWidth"),
        r_p=get("ResistanceOn"),
        r_ap=get("ResistanceOff"),
        v_read=get("ReadVoltage"),
        i_set=get("SetCurrent"),
        i_reset=get("ResetCurrent"),
        t_set=get("SetPulse"),
        t_reset=get("ResetPulse"),
        e_set=get("SetEnergy"),
        e_reset=get("ResetEnergy"),
        v_set=get("SetVoltage"),
        v_reset=get("ResetVoltage"),
        nmos_width_f=get("SRAMCellNMOSWidth"),
        pmos_width_f=get("SRAMCellPMOSWidth"),
        settings={k: v for k, (_, v, _) in settings.items()},
    )


def from_nvsim_cell(path, tech: Technology, mtj: MTJParams | None = None) -> MTJBitcell | SRAMBitcell:
    """The bitcell of an NVSim ``.cell`` file: ``read_nvsim_cell(path).to_bitcell(tech, mtj)``.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.cell`` file.
    tech : Technology
        The node of the cell.
    mtj : MTJParams, optional
        The junction whose RA and TMR take the file's resistances (MRAM; default the
        ``"benchmark"`` preset, assumed).

    Returns
    -------
    MTJBitcell or SRAMBitcell
        With the file's cell area (``area_source`` ``"file"`` in its figures).

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`read_nvsim_cell` and :meth:`NVSimCell.to_bitcell`.

    Examples
    --------
    >>> from spinaps.circuit import from_nvsim_cell, technology
    >>> from spinaps.circuit.validation import NVSIM_SAMPLE_CELL_FILE
    >>> from_nvsim_cell(NVSIM_SAMPLE_CELL_FILE, technology(22)).area_f2
    57.5
    """
    return read_nvsim_cell(path).to_bitcell(tech, mtj)


@dataclass(frozen=True)
class NVSimConfig:
    """The settings of an NVSim ``.cfg`` file (:func:`from_nvsim_cfg`), typed.

    :meth:`to_memory` builds the memory (mats, H-tree; forced or searched
    organisation); :meth:`to_array` the one sub-array of a configuration forced to one
    bank of one mat, refusing the others naming the key.

    Parameters
    ----------
    path : pathlib.Path
        The file read.
    design_target : {"RAM", "cache", "CAM"}
        ``DesignTarget``.
    capacity : int [byte]
        ``Capacity`` (given in B, KB or MB; 1 KB = 1024 B).
    word_width : int [bit]
        ``WordWidth``.
    node : int [nm]
        ``ProcessNode``.
    flavor : {"hp", "lstp"}
        ``DeviceRoadmap`` (HP or LSTP; NVSim's LOP is not among our presets).
    temperature : float [K]
        ``Temperature`` (default 300 K, as NVSim's sample files).
    optimization_target : str or None
        ``OptimizationTarget`` (NVSim's names: ReadLatency, ReadEDP, Area, ...).
    force_bank, force_mat : tuple of 4 int, or None
        ``ForceBank`` and ``ForceMat``: total rows x columns, active rows x columns.
    force_mux_sense_amp, force_mux_output_lev1, force_mux_output_lev2 : int or None
        ``ForceMuxSenseAmp``, ``ForceMuxOutputLev1``, ``ForceMuxOutputLev2``.
    cell_path : pathlib.Path
        ``MemoryCellInputFile``, resolved relative to the ``.cfg`` file's folder.
    cell : NVSimCell
        The parsed cell file.
    settings : dict
        Every key of the file with its value as written (wire types, routing, ...).
    """

    path: pathlib.Path
    design_target: str
    capacity: int
    word_width: int
    node: int
    flavor: str
    cell_path: pathlib.Path
    cell: NVSimCell
    temperature: float = 300.0
    optimization_target: str | None = None
    force_bank: tuple | None = None
    force_mat: tuple | None = None
    force_mux_sense_amp: int | None = None
    force_mux_output_lev1: int | None = None
    force_mux_output_lev2: int | None = None
    settings: dict = field(default_factory=dict, compare=False)

    def to_technology(self) -> Technology:
        """The node's preset, :func:`~spinaps.circuit.technology` (``node``, ``flavor``)."""
        return technology(self.node, self.flavor)

    def to_bitcell(self, mtj: MTJParams | None = None) -> MTJBitcell | SRAMBitcell:
        """The cell at the configuration's node (:meth:`NVSimCell.to_bitcell`)."""
        return self.cell.to_bitcell(self.to_technology(), mtj)

    def to_array(self, mtj: MTJParams | None = None):
        """The one sub-array of a configuration forced to 1 bank x 1 mat x 1 sub-array.

        Columns = ``word_width`` x ``force_mux_sense_amp``, rows = 8 ``capacity`` /
        columns, ``access_bits`` = ``word_width``.

        Parameters
        ----------
        mtj : MTJParams, optional
            As :meth:`NVSimCell.to_bitcell`.

        Returns
        -------
        Array
            Its figures come from :meth:`~spinaps.circuit.Array.figures`; for an MRAM
            cell whose ``ReadVoltage`` drives a current above the junction's read
            threshold (NVSim's 2013 sample cell at 0.25 V on the benchmark junction),
            the device layer refuses them: replace the bitcell's ``v_read``.

        Raises
        ------
        ValueError
            Naming the key, if the configuration needs what is not modelled yet: a
            ``DesignTarget`` other than RAM, a free or larger ``ForceBank`` /
            ``ForceMat`` (banks, mats and H-tree), a free ``ForceMuxSenseAmp``, output
            mux levels other than 1, or a capacity that is not a whole number of rows.
        """
        from .array import Array

        name = self.path.name
        hierarchy = "banks, mats and H-tree routing are not modelled yet in a sub-array: use to_memory"
        if self.design_target != "RAM":
            raise ValueError(f"{name}: DesignTarget = {self.design_target!r}; allowed: RAM ({hierarchy})")
        for key, value in (("ForceBank", self.force_bank), ("ForceMat", self.force_mat)):
            if value != (1, 1, 1, 1):
                shown = "not forced" if value is None else "{}x{}, {}x{}".format(*value)
                raise ValueError(f"{name}: {key} is {shown}; allowed: 1x1, 1x1 ({hierarchy})")
        if self.force_mux_sense_amp is None:
            raise ValueError(f"{name}: ForceMuxSenseAmp is not forced; the organisation search needs to_memory")
        for key, value in (
            ("ForceMuxOutputLev1", self.force_mux_output_lev1),
            ("ForceMuxOutputLev2", self.force_mux_output_lev2),
        ):
            if value not in (None, 1):
                raise ValueError(f"{name}: {key} = {value}; allowed: 1 (output mux levels are not modelled yet)")
        cols = self.word_width * self.force_mux_sense_amp
        bits = 8 * self.capacity
        if bits % cols:
            raise ValueError(
                f"{name}: Capacity = {self.capacity} B is not a whole number of rows of {cols} cells "
                f"(WordWidth x ForceMuxSenseAmp)"
            )
        return Array(self.to_bitcell(mtj), bits // cols, cols, self.word_width)

    def to_organisation(self):
        """The forced :class:`~spinaps.circuit.Organisation`, or None if the file leaves it to the search.

        ``ForceBank`` gives the mats of the bank (total rows x columns, active rows x
        columns; NVSim's bank is a grid of mats), ``ForceMat`` the sub-arrays of a mat,
        ``ForceMuxSenseAmp`` the sense-amplifier mux and ``ForceMuxOutputLev1`` x
        ``ForceMuxOutputLev2`` the output mux.  Each active sub-array delivers
        ``WordWidth`` / (active sub-arrays) bits; columns = that share x the muxes, rows
        = the capacity / (sub-arrays x columns).

        Raises
        ------
        ValueError
            Naming the keys, if only some of ``ForceBank``, ``ForceMat`` and
            ``ForceMuxSenseAmp`` are given (we search all of the organisation or none), or
            if the forced organisation does not tile the capacity with the word.
        """
        from .organisation import Organisation

        forced = {
            "ForceBank": self.force_bank,
            "ForceMat": self.force_mat,
            "ForceMuxSenseAmp": self.force_mux_sense_amp,
        }
        given = [k for k, v in forced.items() if v is not None]
        if not given:
            return None
        name = self.path.name
        if len(given) < len(forced):
            missing = [k for k in forced if k not in given]
            raise ValueError(
                f"{name}: {', '.join(given)} forced but not {', '.join(missing)}; force all three or none "
                f"(a partly forced search is not modelled)"
            )
        bank, mat = self.force_bank, self.force_mat
        out_mux = (self.force_mux_output_lev1 or 1) * (self.force_mux_output_lev2 or 1)
        n_active = bank[2] * bank[3] * mat[2] * mat[3]
        n_sub = bank[0] * bank[1] * mat[0] * mat[1]
        if self.word_width % n_active:
            raise ValueError(
                f"{name}: WordWidth = {self.word_width} bit does not split over {n_active} active sub-arrays "
                f"(ForceBank and ForceMat active counts)"
            )
        cols = self.word_width // n_active * self.force_mux_sense_amp * out_mux
        bits = 8 * self.capacity
        if bits % (n_sub * cols):
            raise ValueError(
                f"{name}: Capacity = {self.capacity} B is not a whole number of rows of {cols} cells in "
                f"{n_sub} sub-arrays (ForceBank, ForceMat, ForceMuxSenseAmp, WordWidth)"
            )
        try:
            return Organisation(
                bits // (n_sub * cols),
                cols,
                mats=(bank[0], bank[1]),
                active_mats=(bank[2], bank[3]),
                subarrays=(mat[0], mat[1]),
                active_subarrays=(mat[2], mat[3]),
                sense_amp_mux=self.force_mux_sense_amp,
                output_mux=out_mux,
            )
        except ValueError as err:
            raise ValueError(f"{name}: the forced organisation is not valid: {err}") from None

    def repeaters(self) -> str:
        """The H-tree's wires of ``GlobalWireRepeaterType``: "none" or "optimal".

        Raises
        ------
        ValueError
            Naming the key and value, for a repeater type we do not model.
        """
        repeater = self.settings.get("GlobalWireRepeaterType", "RepeatedNone").split()[0]
        if repeater not in _REPEATERS:
            raise ValueError(
                f"{self.path.name}: GlobalWireRepeaterType = {repeater!r} is not modelled; "
                f"allowed: {', '.join(_REPEATERS)}"
            )
        return _REPEATERS[repeater]

    def to_memory(
        self,
        mtj: MTJParams | None = None,
        *,
        v_read: float | None = None,
        sensing: str = "voltage",
        workers: int = 1,
    ):
        """The memory this configuration describes (:class:`~spinaps.circuit.Memory`).

        Forced organisation (:meth:`to_organisation`) or NVSim's search for its
        ``OptimizationTarget`` (ReadLatency, WriteLatency, ReadDynamicEnergy,
        WriteDynamicEnergy, ReadEDP, LeakagePower, Area), over our candidate space
        (:func:`~spinaps.circuit.search_organisation`); H-tree routing on the global
        wires with ``GlobalWireRepeaterType`` RepeatedNone or RepeatedOpt.  A ``cache``
        design gives its data array (capacity and ``WordWidth`` as the line; the tag
        array is not modelled), with a warning.

        Parameters
        ----------
        mtj : MTJParams, optional
            As :meth:`NVSimCell.to_bitcell`.
        v_read : float, optional [V]
            Read voltage replacing the cell file's (e.g. 0.1 V for NVSim's 2013 cell,
            whose 0.25 V drives a current above the benchmark junction's read threshold).
        sensing : {"voltage", "current"}
            The sub-arrays' read scheme (:class:`~spinaps.circuit.Array`).  Default
            ``"voltage"`` for every cell: our voltage path is the one validated
            against NVSim's current-sensed MRAM runs (``docs/circuit.md``);
            ``"current"`` is the clamped-bitline read of an MTJ cell.
        workers : int
            Processes of the search (:func:`~spinaps.circuit.search_organisation`).

        Returns
        -------
        Memory
            Its :meth:`~spinaps.circuit.Memory.figures` give NVSim's figures' counterparts;
            a searched organisation is carried with ``searched_for`` set to the target.

        Raises
        ------
        ValueError
            Naming the key and value: ``DesignTarget: CAM``, ``Routing`` other than
            H-tree, a repeater type or optimisation target we do not model, a partly
            forced or non-tiling organisation; ``sensing`` not one of
            :data:`~spinaps.circuit.array.SENSING`, or ``"current"`` for an SRAM cell.
        """
        from dataclasses import replace as _replace

        from .memory import Memory

        name = self.path.name
        if self.design_target == "CAM":
            raise ValueError(f"{name}: DesignTarget = 'CAM' is not modelled; allowed: RAM, cache")
        if self.design_target == "cache":
            warnings.warn(
                f"{name}: DesignTarget = cache: the data array is modelled (tag array and cache access modes are not)",
                UserWarning,
                stacklevel=2,
            )
        routing = self.settings.get("Routing", "H-tree").split()[0]
        if routing != "H-tree":
            raise ValueError(f"{name}: Routing = {routing!r} is not modelled; allowed: H-tree")
        repeaters = self.repeaters()
        org = self.to_organisation()
        target = "read_edp"
        if org is None:
            nv = self.optimization_target or "ReadEDP"
            if nv not in _TARGETS:
                raise ValueError(f"{name}: OptimizationTarget = {nv!r} is not modelled; allowed: {', '.join(_TARGETS)}")
            target = _TARGETS[nv]
        bitcell = self.to_bitcell(mtj)
        if v_read is not None:
            bitcell = _replace(bitcell, v_read=v_read)
        memory = Memory(
            bitcell, self.capacity, self.word_width, org, target=target, repeaters=repeaters, sensing=sensing
        )
        if org is None:
            from .search import search_organisation

            found = search_organisation(
                bitcell,
                self.capacity,
                self.word_width,
                target,
                repeaters=memory.repeaters,
                sensing=sensing,
                workers=workers,
            ).organisation
            memory = _replace(memory, organisation=found, searched_for=target)
        return memory


def _force_org(path, key, unit, value, number):
    match = re.fullmatch(r"\s*(\d+)\s*x\s*(\d+)\s*,\s*(\d+)\s*x\s*(\d+)\s*", value)
    if match is None:
        raise ValueError(f"{path.name}, line {number}: {key} = {value!r}; expected 'AxB, CxD' (total, active)")
    org = tuple(int(g) for g in match.groups())
    if min(org) < 1 or org[2] > org[0] or org[3] > org[1]:
        raise ValueError(
            f"{path.name}, line {number}: {key} = {value!r}; every count must be >= 1 and the active ones at most "
            f"the totals"
        )
    return org


def _integer(path, key, unit, value, number, expected_unit):
    x = _number(path, key, unit, value, number, expected_unit)
    if x != int(x) or x < 1:
        raise ValueError(f"{path.name}, line {number}: {key} = {value!r} must be a positive integer")
    return int(x)


def from_nvsim_cfg(path) -> NVSimConfig:
    """Parse an NVSim ``.cfg`` file and the ``.cell`` file it names.

    Parameters
    ----------
    path : str or pathlib.Path
        The configuration; its ``MemoryCellInputFile`` is resolved relative to its
        folder.

    Returns
    -------
    NVSimConfig
        The typed settings; :meth:`NVSimConfig.to_array` builds its sub-array.

    Raises
    ------
    FileNotFoundError
        If the file or its cell file does not exist.
    ValueError
        On a malformed line (file and line number), a value NVSim does not know or we
        do not model (key, value and allowed values, e.g. ``DeviceRoadmap: LOP`` or a
        ``ProcessNode`` without a preset), or a missing ``Capacity``, ``WordWidth``,
        ``ProcessNode``, ``DeviceRoadmap``, ``DesignTarget`` or
        ``MemoryCellInputFile``.

    Examples
    --------
    >>> from spinaps.circuit import from_nvsim_cfg
    >>> from spinaps.circuit.validation import NVSIM_DATA
    >>> cfg = from_nvsim_cfg(NVSIM_DATA / "mtj_22nm_256x256_w64.cfg")
    >>> cfg.capacity, cfg.word_width, cfg.force_mux_sense_amp
    (8192, 64, 4)
    >>> a = cfg.to_array()
    >>> a.rows, a.cols
    (256, 256)
    """
    path = pathlib.Path(path)
    settings = _lines(path)
    values = {}
    for key, (unit, value, number) in settings.items():
        if key in _CFG_CHOICES:
            values[key] = _choice(path, key, value, number, *_CFG_CHOICES[key])
        elif key in _CFG_INTEGERS:
            values[key] = _integer(path, key, unit, value, number, _CFG_INTEGERS[key])
        elif key in _CFG_FORCE_ORG:
            values[key] = _force_org(path, key, unit, value, number)
        elif key == "Capacity":
            if unit not in _CFG_CAPACITY_UNITS:
                raise ValueError(
                    f"{path.name}, line {number}: Capacity in {unit!r}; allowed: {', '.join(_CFG_CAPACITY_UNITS)}"
                )
            values[key] = _integer(path, key, unit, value, number, unit) * _CFG_CAPACITY_UNITS[unit]
        elif key == "MemoryCellInputFile":
            values[key] = value.split()[0]
        elif key not in _CFG_OTHER:
            warnings.warn(
                f"{path.name}, line {number}: unknown NVSim configuration key {key!r}; ignored",
                UserWarning,
                stacklevel=2,
            )
    for key in ("DesignTarget", "Capacity", "WordWidth", "ProcessNode", "DeviceRoadmap", "MemoryCellInputFile"):
        if key not in values:
            raise ValueError(f"{path.name}: {key} is missing")
    if values["ProcessNode"] not in NODES:
        line = settings["ProcessNode"][2]
        raise ValueError(
            f"{path.name}, line {line}: ProcessNode = {values['ProcessNode']}; allowed: "
            f"{', '.join(str(n) for n in NODES)} (our technology presets)"
        )
    flavor = values["DeviceRoadmap"].lower()  # HP or LSTP: _choice refused LOP
    cell_path = (path.parent / values["MemoryCellInputFile"]).resolve()
    if not cell_path.is_file():
        raise FileNotFoundError(f"{path.name}: MemoryCellInputFile {str(cell_path)!r} does not exist")
    return NVSimConfig(
        path=path,
        design_target=values["DesignTarget"],
        capacity=values["Capacity"],
        word_width=values["WordWidth"],
        node=values["ProcessNode"],
        flavor=flavor,
        cell_path=cell_path,
        cell=read_nvsim_cell(cell_path),
        temperature=float(values.get("Temperature", 300)),
        optimization_target=values.get("OptimizationTarget"),
        force_bank=values.get("ForceBank"),
        force_mat=values.get("ForceMat"),
        force_mux_sense_amp=values.get("ForceMuxSenseAmp"),
        force_mux_output_lev1=values.get("ForceMuxOutputLev1"),
        force_mux_output_lev2=values.get("ForceMuxOutputLev2"),
        settings={k: v for k, (_, v, _) in settings.items()},
    )
