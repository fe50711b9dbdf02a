"""Network layer (in progress): data sets and the GLM spiking network.

* :mod:`spinaps.network.datasets` -- :func:`~spinaps.network.datasets.load` ("mnist"
  embedded or from IDX files, "digits", "har") and
  :func:`~spinaps.network.datasets.load_idx`;
* :mod:`spinaps.network.glm` -- Bernoulli rate encoding, raised-cosine GLM neurons,
  the first-to-spike and rate log-likelihoods with exact gradients, Adam training and
  first-to-spike decoding (ties and "no spike" explicit), many chips evaluated at once;
* :mod:`spinaps.network.weights` -- B-bit quantisation, bit planes in binary MTJ cells
  (1 = AP), quantisation-aware training support, and the cell fault model taken from
  the circuit layer's bitcell;
* :mod:`spinaps.network.baselines` -- the equivalent ANNs (logistic regression, MLP).
"""

from . import baselines, datasets, glm, weights

__all__ = ["baselines", "datasets", "glm", "weights"]
