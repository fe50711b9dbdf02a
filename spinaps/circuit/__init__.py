"""Circuit layer: CMOS technology nodes (bitcells, arrays and peripherals are in progress).

* :class:`Technology` and the CACTI-based presets :func:`technology` (45, 32, 28, 22 nm);
* :func:`operation_energy`: digital operation energies from Horowitz (ISSCC 2014), scaled;
* :class:`MTJBitcell` (1T-1MTJ: write sizing, WER, read margin and errors) and
  :class:`SRAMBitcell` (6T baseline; area convention explicit);
* :class:`Array`: a sub-array with decoder, wordline driver, column mux, sense
  amplifiers and write drivers (first version; validation against silicon pending).
"""

from .array import Array
from .bitcell import MTJBitcell
from .digital import OPERATIONS, operation_area, operation_energy
from .sram import SRAMBitcell
from .technology import NODES, Technology, technologies, technology

__all__ = ["Technology", "technology", "technologies", "NODES", "operation_energy", "operation_area", "OPERATIONS",
           "MTJBitcell", "SRAMBitcell", "Array"]
