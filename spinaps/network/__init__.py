"""Network layer: data sets, the first-to-spike GLM spiking network, weights in binary
MTJ cells with device-driven faults, and the equivalent ANNs.

* :func:`train_snn`, :func:`evaluate`, :class:`SNN` (:mod:`spinaps.network.snn`) --
  train (float or quantisation-aware), evaluate many chip instances at once (accuracy
  per decision deadline, no-spike rate, decision times, activity), save and load;
* :func:`train_hidden_snn`, :func:`evaluate_hidden`, :class:`HiddenSNN`,
  :func:`layer_faults` (:mod:`spinaps.network.hidden`) -- a hidden layer of stochastic
  GLM neurons trained by the learning-signal rule (float or quantisation-aware), its
  weights in binary MTJ cells with faults in both layers, the activity of both layers;
* :func:`train_ann` -- the equivalent logistic regression or small MLP;
* :mod:`spinaps.network.datasets` -- :func:`~spinaps.network.datasets.load` ("mnist"
  embedded or from IDX files, "digits", "har") and
  :func:`~spinaps.network.datasets.load_idx`;
* human activity recognition without a download: :mod:`spinaps.network.hapt` (the raw
  UCI HAPT recordings of the extra ``spinaps[har]``, read by the restricted unpickler
  of :mod:`spinaps.network.pickles`), :mod:`spinaps.network.har` (UCI HAR's filters,
  windows and split), :mod:`spinaps.network.har_features` (its 561 features) and
  :mod:`spinaps.network.arraycache` (converted once, cached with the source's
  checksum);
* :mod:`spinaps.network.recipe` -- the training recipe chosen on a validation split
  carved from the training set (:func:`~spinaps.network.recipe.select_recipe`);
* :mod:`spinaps.network.modelfile` -- model files (``.npz``, read without pickle and
  checked);
* :mod:`spinaps.network.glm` -- Bernoulli rate encoding, raised-cosine GLM neurons,
  the first-to-spike and rate log-likelihoods with exact gradients, decoding;
* :mod:`spinaps.network.weights` -- B-bit quantisation, bit planes in binary MTJ cells
  (1 = AP), and the cell :class:`FaultModel` taken from the circuit layer's bitcell.
"""

from . import (
    arraycache,
    baselines,
    datasets,
    glm,
    hapt,
    har,
    har_features,
    hidden,
    modelfile,
    pickles,
    recipe,
    snn,
    weights,
)
from .baselines import train_ann
from .datasets import load_idx
from .hidden import HiddenSNN, evaluate_hidden, layer_faults, train_hidden_snn
from .snn import SNN, evaluate, train_snn
from .weights import FaultModel

__all__ = [
    "arraycache",
    "baselines",
    "datasets",
    "glm",
    "hapt",
    "har",
    "har_features",
    "hidden",
    "modelfile",
    "pickles",
    "recipe",
    "snn",
    "weights",
    "SNN",
    "train_snn",
    "evaluate",
    "train_ann",
    "load_idx",
    "FaultModel",
    "HiddenSNN",
    "train_hidden_snn",
    "evaluate_hidden",
    "layer_faults",
]
