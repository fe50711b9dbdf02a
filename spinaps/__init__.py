"""spinaps: multiscale models of a spintronic accelerator for probabilistic spiking
neural networks, from the physics of one magnetic tunnel junction to the chip.

Layers: :mod:`spinaps.device`, :mod:`spinaps.circuit`, :mod:`spinaps.architecture`,
:mod:`spinaps.network`.  One :class:`Design` describes a whole study and
:class:`Chain` runs it through every layer (:mod:`spinaps.chain`).
"""

from . import citations
from ._version import __version__

__all__ = ["__version__", "citations", "Design", "Chain", "run"]


def __getattr__(name):
    # Design and Chain import every layer: loaded on first use, so that
    # ``import spinaps.device`` stays light.
    if name == "Design":
        from .design import Design

        return Design
    if name in ("Chain", "run"):
        from . import chain

        return getattr(chain, name)
    raise AttributeError(f"module 'spinaps' has no attribute {name!r}")
