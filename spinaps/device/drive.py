"""Current drives for the device solvers: constants, pulses, waveforms, callables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..deprecation import renamed_fields
from ..params import as_float_array, check_range

__all__ = ["Pulse", "current_on_grid"]


@renamed_fields(width="t_pulse")
@dataclass(frozen=True)
class Pulse:
    """A rectangular (optionally trapezoidal) current pulse.

    A drive for :func:`spinaps.device.simulate` (its ``current``): the current of
    device i at time t is ``amplitude[i] * shape(t)``.

    Parameters
    ----------
    amplitude : float or array [A]
        Pulse current, in (-1, 1) A; an array gives one amplitude per device.
        Positive current destabilises the +z state.
    t_pulse : float [s]
        Pulse width: the duration at full amplitude (> 0).  (``width`` is a
        deprecated alias, accepted with a ``DeprecationWarning`` until spinaps 0.2.0.)
    start : float [s]
        Start of the rising edge (>= 0).
    rise : float [s]
        Linear rise and fall time (>= 0); 0 gives an ideal rectangle.  The pulse
        ends at ``start + t_pulse + 2 rise``.

    Raises
    ------
    ValueError
        If a field is not finite or outside its range.
    TypeError
        If both ``width`` and ``t_pulse`` are given.

    Examples
    --------
    >>> pulse = Pulse(amplitude=100e-6, t_pulse=5e-9, start=1e-9, rise=1e-9)
    >>> pulse.shape([0.0, 1.5e-9, 3e-9, 7.5e-9, 9e-9]).round(6).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """

    amplitude: float
    t_pulse: float
    start: float = 0.0
    rise: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "amplitude", as_float_array(self.amplitude, "amplitude"))
        check_range("amplitude", self.amplitude, low=-1.0, high=1.0, units="A")
        check_range("t_pulse", self.t_pulse, low=0.0, units="s")
        check_range("start", self.start, low=0.0, low_inclusive=True, units="s")
        check_range("rise", self.rise, low=0.0, low_inclusive=True, units="s")

    def shape(self, t):
        """Dimensionless waveform in [0, 1] at times ``t`` [s].

        With ``rise = 0``: 1 on [start, start + t_pulse), else 0.  Otherwise the
        trapezoid rises linearly over [start, start + rise], stays at 1 for
        ``t_pulse`` and falls linearly to 0 at start + t_pulse + 2 rise.

        Parameters
        ----------
        t : float or array [s]
            Times.

        Returns
        -------
        numpy.ndarray [-]
            The waveform, shaped as ``t``.
        """
        t = np.asarray(t, dtype=float) - self.start
        if self.rise == 0.0:
            return ((t >= 0.0) & (t < self.t_pulse)).astype(float)
        up = np.clip(t / self.rise, 0.0, 1.0)
        down = np.clip((self.t_pulse + 2 * self.rise - t) / self.rise, 0.0, 1.0)
        return np.minimum(up, down)


def current_on_grid(current, times, n_devices):
    """Split a current specification into per-device amplitude and a waveform.

    Parameters
    ----------
    current : float, array, Pulse or callable
        * scalar [A]: constant current;
        * 1-D array of length ``n_devices`` [A]: constant current per device;
        * 1-D array of length ``len(times)`` [A]: waveform on the time grid;
        * :class:`Pulse`;
        * callable ``f(t) -> current [A]``, vectorised over a time array.
    times : numpy.ndarray [s]
        Time grid (step boundaries), length n_steps + 1.
    n_devices : int

    Returns
    -------
    amplitude : numpy.ndarray, shape (n_devices,) [A]
    shape : numpy.ndarray, shape (len(times),) [-]
        Current of device i at grid time k is ``amplitude[i] * shape[k]``.
    """
    n_grid = len(times)
    if isinstance(current, Pulse):
        amp = (
            np.broadcast_to(np.asarray(current.amplitude, float), (n_devices,))
            if np.ndim(current.amplitude) == 0 or np.size(current.amplitude) == n_devices
            else None
        )
        if amp is None:
            raise ValueError(
                f"Pulse.amplitude has {np.size(current.amplitude)} values; expected 1 or n_devices = {n_devices}"
            )
        return amp.copy(), current.shape(times)
    if callable(current):
        values = np.asarray(current(times), dtype=float)
        if values.ndim == 0:
            values = np.full(n_grid, float(values))
        if values.shape != (n_grid,):
            raise ValueError(f"current(t) returned shape {values.shape}; expected ({n_grid},) on the time grid")
        _check_current(values)
        return np.ones(n_devices), values
    values = np.asarray(as_float_array(current, "current"))
    _check_current(values)
    if values.ndim == 0:
        return np.full(n_devices, float(values)), np.ones(n_grid)
    if values.ndim == 1 and len(values) == n_devices and len(values) != n_grid:
        return values.copy(), np.ones(n_grid)
    if values.ndim == 1 and len(values) == n_grid and len(values) != n_devices:
        return np.ones(n_devices), values.copy()
    if values.ndim == 1 and len(values) == n_grid == n_devices:
        raise ValueError(
            f"current array of length {n_grid} is ambiguous (n_devices = time-grid length); "
            "pass a Pulse or a callable for a waveform"
        )
    raise ValueError(
        f"current array of shape {values.shape} matches neither n_devices = {n_devices} "
        f"nor the time grid ({n_grid} points)"
    )


def _check_current(values):
    check_range("current", values, low=-1.0, high=1.0, low_inclusive=True, high_inclusive=True, units="A")
