"""Device layer: physics of a perpendicular STT-MRAM magnetic tunnel junction.

* :class:`MTJParams` and literature presets (:data:`presets`, :func:`preset`);
* stochastic LLGS ensembles (:func:`simulate`);
* analytic switching models (:func:`switching_probability`,
  :func:`mean_switching_time`, :func:`retention_failure_probability`,
  :func:`read_disturb_probability`, ...);
* Fokker-Planck write error rates down to 1e-15 (:func:`write_error_rate`,
  :func:`pulse_for_wer`, :func:`current_for_wer`), optionally with Joule heating of the
  junction during the pulse (:func:`junction_temperature`);
* device-to-device variability (:func:`sample_variability`, :func:`summarize`,
  :func:`worst_of_n_pulse`);
* calibration to measurements (:func:`calibrate`, :mod:`measurements`; the switching
  parameters Delta, I_c0, tau_D as fit coordinates and the Rehm 2024 device:
  :mod:`switching_fit`).

Helpers the modules share (constants, validation, labelling, the one conversion to the
operating temperature, a vectorised root finder) live in :mod:`spinaps.device.tools`;
they and the cross-module kernels documented as "Internal API" in their modules are
not part of :data:`__all__`.
"""

from . import measurements, switching_fit
from .calibration import CalibrationResult, calibrate
from .drive import Pulse
from .error_rates import (
    current_for_wer,
    pulse_for_wer,
    read_disturb_probability,
    retention_failure_probability,
    write_error_rate,
)
from .heating import default_thermal_resistance, junction_temperature
from .llg import simulate
from .mtj import MTJParams
from .presets import DEFAULT_PRESET, preset, presets, sources
from .switching import (
    first_passage_time,
    mean_switching_time,
    precessional_switching_time,
    switching_probability,
    thermal_escape_time,
)
from .variability import sample_variability, summarize, worst_of_n, worst_of_n_pulse

__all__ = [
    "MTJParams",
    "Pulse",
    "simulate",
    "preset",
    "presets",
    "sources",
    "DEFAULT_PRESET",
    "switching_probability",
    "mean_switching_time",
    "first_passage_time",
    "thermal_escape_time",
    "precessional_switching_time",
    "retention_failure_probability",
    "read_disturb_probability",
    "write_error_rate",
    "pulse_for_wer",
    "current_for_wer",
    "junction_temperature",
    "default_thermal_resistance",
    "calibrate",
    "CalibrationResult",
    "measurements",
    "switching_fit",
    "sample_variability",
    "summarize",
    "worst_of_n",
    "worst_of_n_pulse",
]
