"""Network layer (in progress): data sets and the GLM spiking network.

* :mod:`spinaps.network.datasets` -- :func:`~spinaps.network.datasets.load` ("mnist"
  embedded or from IDX files, "digits", "har") and
  :func:`~spinaps.network.datasets.load_idx`;
* :mod:`spinaps.network.glm` -- Bernoulli rate encoding, raised-cosine GLM neurons,
  the first-to-spike and rate log-likelihoods with exact gradients, Adam training and
  first-to-spike decoding (ties and "no spike" explicit).
"""

from . import datasets, glm

__all__ = ["datasets", "glm"]
