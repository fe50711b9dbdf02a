"""Network layer (in progress): data sets so far.

* :mod:`spinaps.network.datasets` -- :func:`~spinaps.network.datasets.load` ("mnist"
  embedded or from IDX files, "digits", "har") and
  :func:`~spinaps.network.datasets.load_idx`.
"""

from . import datasets

__all__ = ["datasets"]
