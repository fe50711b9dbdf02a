"""Circuit layer: CMOS technology nodes, bitcells, sub-arrays with their peripherals.

* :class:`Technology` and the CACTI-based presets :func:`technology` (45, 32, 28, 22 nm;
  high-performance or low-standby-power devices);
* :func:`operation_energy`: digital operation energies from Horowitz (ISSCC 2014), scaled;
* :class:`MTJBitcell` (1T-1MTJ: write sizing, WER, read margin and errors) and
  :class:`SRAMBitcell` (6T baseline; area convention explicit);
* :class:`Array`: a sub-array with decoder, wordline driver, column mux, precharge,
  sense amplifiers (signal development and latch) and write drivers, with an optional
  low-leakage periphery;
* :class:`Memory`: sub-arrays in mats in banks with predecoders, an H-tree on the
  global wires (:mod:`.htree`) and output drivers, its :class:`Organisation` forced or
  found by :func:`search_organisation` for a target;
* :func:`from_nvsim_cell` and :func:`from_nvsim_cfg`: NVSim's ``.cell`` and ``.cfg``
  files read into a bitcell and a typed configuration (:mod:`.nvsim`);
* :mod:`.validation`: our figures next to NVSim, CACTI, Horowitz and published
  STT-MRAM silicon, each with its tolerance.
"""

from .array import SENSING, Array
from .bitcell import MTJBitcell
from .cells import ChipCells, cell_tables, chip_cells, chip_devices, homogeneous_cells
from .digital import OPERATIONS, operation_area, operation_energy
from .memory import TARGETS, Memory
from .nvsim import NVSimCell, NVSimConfig, from_nvsim_cell, from_nvsim_cfg, read_nvsim_cell
from .organisation import Organisation
from .search import SearchResult, search_organisation
from .sram import SRAMBitcell
from .technology import FLAVORS, NODES, Technology, technologies, technology

__all__ = [
    "Technology",
    "technology",
    "technologies",
    "NODES",
    "FLAVORS",
    "operation_energy",
    "operation_area",
    "OPERATIONS",
    "MTJBitcell",
    "SRAMBitcell",
    "Array",
    "SENSING",
    "Memory",
    "Organisation",
    "TARGETS",
    "search_organisation",
    "SearchResult",
    "chip_cells",
    "cell_tables",
    "homogeneous_cells",
    "chip_devices",
    "ChipCells",
    "NVSimCell",
    "NVSimConfig",
    "read_nvsim_cell",
    "from_nvsim_cell",
    "from_nvsim_cfg",
]
