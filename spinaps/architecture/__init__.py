"""Architecture layer: the SpinAPS core and chip.

* :class:`Accelerator` (with :class:`NetworkSpec`, :class:`MemorySpec`,
  :class:`NeuronSpec`) -- a design as data, loadable from TOML;
* :class:`Activity` -- the network activity that drives it, measured by
  :func:`spinaps.network.evaluate` or given by hand;
* :func:`figures` -- area, energy, latency, leakage, throughput, GSOPS, GSOPS/W,
  pJ/SOP, GSOPS/W/mm^2, TOPS/W, each with its breakdown; :func:`compare` -- against
  the same design in SRAM, with the ratio of every figure;
* :func:`published_accelerators`, :func:`plot_published` -- published figures of other
  accelerators with their metric definitions and citations.
"""

from .activity import Activity
from .core import compare, figures, mapping
from .design import Accelerator, MemorySpec, NetworkSpec, NeuronSpec
from .published import PLOT_VARIABLES, plot_published, published_accelerators

__all__ = ["Accelerator", "NetworkSpec", "MemorySpec", "NeuronSpec", "Activity", "figures", "compare", "mapping",
           "published_accelerators", "plot_published", "PLOT_VARIABLES"]
