"""spinaps: multiscale models of a spintronic accelerator for probabilistic spiking
neural networks, from the physics of one magnetic tunnel junction to the chip.

Layers: :mod:`spinaps.device`, :mod:`spinaps.circuit`, :mod:`spinaps.architecture`,
:mod:`spinaps.network`; the chain that runs them is :mod:`spinaps.chain`.
"""

from . import citations
from ._version import __version__

__all__ = ["__version__", "citations"]
