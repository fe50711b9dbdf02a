"""Architecture layer: the SpinAPS core and chip.

* :class:`Accelerator` (with :class:`NetworkSpec`, :class:`MemorySpec`,
  :class:`NeuronSpec`) -- a design as data, loadable from TOML;
* :class:`Activity` -- the network activity that drives it, measured by
  :func:`spinaps.network.evaluate` or given by hand;
* :func:`figures` -- area, energy, latency, leakage, throughput, GSOPS, GSOPS/W,
  pJ/SOP, GSOPS/W/mm^2, TOPS/W, each with its breakdown; :func:`compare` -- against
  the same design in SRAM, with the ratio of every figure; :func:`mapping` -- how the
  weights map to sub-arrays;
* :func:`layered_figures`, :func:`compare_layered` -- a network of several layers on one
  core (the hidden-layer network: :func:`hidden_network` makes its two layers from a
  design and an evaluation of :func:`spinaps.network.evaluate_hidden`);
* :func:`published_accelerators`, :func:`plot_published` -- published figures of other
  accelerators with their metric definitions and citations.

References
----------
* A. V. Babu, O. Simeone, B. Rajendran, "SpinAPS: A High-Performance Spintronic
  Accelerator for Probabilistic Spiking Neural Networks", arXiv:2008.02189 (2020)
  (citation key ``Babu2020``): the architecture modelled (its internal numbers are not
  available, so every assumption is a field of the design).

Examples
--------
>>> from spinaps.architecture import Accelerator, Activity, figures
>>> act = Activity(input_spikes_per_step=102.6, steps_per_inference=2.5)   # or Activity.from_evaluation(...)
>>> ds = figures(Accelerator().sram_equivalent(), act)
>>> ds.gsops_per_w.attrs["units"]
'GSOP/s/W'
"""

from .activity import Activity
from .core import compare, compare_layered, figures, layered_figures, mapping
from .design import Accelerator, MemorySpec, NetworkSpec, NeuronSpec
from .layers import hidden_network
from .published import PLOT_VARIABLES, plot_published, published_accelerators

__all__ = [
    "Accelerator",
    "NetworkSpec",
    "MemorySpec",
    "NeuronSpec",
    "Activity",
    "figures",
    "compare",
    "layered_figures",
    "compare_layered",
    "hidden_network",
    "mapping",
    "published_accelerators",
    "plot_published",
    "PLOT_VARIABLES",
]
