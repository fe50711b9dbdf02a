"""Circuit layer: CMOS technology nodes (bitcells, arrays and peripherals are in progress).

* :class:`Technology` and the CACTI-based presets :func:`technology` (45, 32, 28, 22 nm).
"""

from .technology import NODES, Technology, technologies, technology

__all__ = ["Technology", "technology", "technologies", "NODES"]
