"""Device layer: physics of a perpendicular STT-MRAM magnetic tunnel junction.

* :class:`MTJParams` and literature presets (:data:`presets`, :func:`preset`);
* stochastic LLGS ensembles (:func:`simulate`);
* analytic switching models (:func:`switching_probability`,
  :func:`mean_switching_time`, :func:`retention_failure_probability`,
  :func:`read_disturb_probability`, ...).
"""

from .drive import Pulse
from .llg import simulate
from .mtj import MTJParams
from .presets import DEFAULT_PRESET, preset, presets, sources

__all__ = ["MTJParams", "Pulse", "simulate", "preset", "presets", "sources", "DEFAULT_PRESET"]
