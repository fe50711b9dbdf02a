"""Network activity that drives the accelerator: spikes per step, steps per inference.

Measured on the actual data set by :func:`spinaps.network.evaluate` (its Dataset has
the fields below; :meth:`Activity.from_evaluation` reads them, averaged over chips), or
given by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import check_int, check_range
from ..provenance import require

__all__ = ["Activity", "EVALUATION_SCHEMA"]

#: What the architecture reads from an evaluation (variable: units), checked on entry
#: (:func:`spinaps.provenance.require`).
EVALUATION_SCHEMA = {
    "input_spikes_per_step": "1",
    "steps_per_inference": "1",
    "input_spikes_per_inference": "1",
    "window_inputs_per_inference": "1",
}


@dataclass(frozen=True)
class Activity:
    r"""Mean activity per inference.

    The network activity that drives the accelerator, measured on the actual data set
    (:meth:`from_evaluation`) or given by hand.

    Parameters
    ----------
    input_spikes_per_step : float [-]
        Input spikes per time step (all inputs together), >= 0.
    steps_per_inference : float [time steps]
        Time steps processed per inference (first-to-spike: the decision step, or T if
        no output neuron spikes), > 0.
    input_spikes_per_inference : float, optional [-]
        Input spikes until the decision, >= 0; default spikes per step x steps.
    window_inputs_per_inference : float, optional [-]
        Inputs that spiked within the kernel window, summed over the steps processed
        (the rows the ``"window"`` dataflow reads), at least the input spikes per
        inference; default: an estimate with no input spiking twice within a window and
        every inference taking the mean number of steps, s sum_{t=1}^{n} min(t, tau)
        (see Notes).
    utilization : float [-]
        Fraction of the time the accelerator is running inferences (0 = idle), in
        [0, 1] (default 1).
    input_rates : tuple of float, optional [1/step]
        Spikes per step of each input, each in [0, 1] (sets the load of the busiest
        array); stored as a tuple of floats.
    n_inputs : int, optional [-]
        Inputs of the network the activity was measured on (checked against the
        design).
    tau : int, optional [time steps]
        Kernel window of that network (checked against the design).
    n_steps : int, optional [time steps]
        T of that network (checked against the design).
    source : str
        Where the numbers come from (default ``"given by hand"``).

    Raises
    ------
    ValueError
        If a value is outside its range (naming the field), or
        ``window_inputs_per_inference`` is below the input spikes per inference (every
        spike is in a window).

    See Also
    --------
    spinaps.network.evaluate : measures the activity on a data set.

    Notes
    -----
    The default window estimate, with s the input spikes per step, n the steps per
    inference and :math:`\tau` the kernel window, counts each spike once per step it is
    within the window of (no input spiking twice within a window, every inference taking
    the mean number of steps; an upper bound):

    .. math::

        s \sum_{t=1}^{n} \min(t, \tau)
        = s \left[\frac{m (m + 1)}{2} + \max(n - \tau, 0)\, \tau\right],
        \qquad m = \min(n, \tau),

    the right-hand side extending it to a real n.

    Examples
    --------
    >>> act = Activity(input_spikes_per_step=102.6, steps_per_inference=2.5)
    >>> act.spikes_per_inference()
    256.5
    >>> act.window_inputs(tau=4)
    448.875
    """

    input_spikes_per_step: float
    steps_per_inference: float
    input_spikes_per_inference: float | None = None
    window_inputs_per_inference: float | None = None
    utilization: float = 1.0
    input_rates: tuple | None = None
    n_inputs: int | None = None
    tau: int | None = None
    n_steps: int | None = None
    source: str = "given by hand"

    def __post_init__(self):
        check_range("input_spikes_per_step", self.input_spikes_per_step, low=0.0, low_inclusive=True)
        check_range("steps_per_inference", self.steps_per_inference, low=0.0)
        for name in ("input_spikes_per_inference", "window_inputs_per_inference"):
            if getattr(self, name) is not None:
                check_range(name, getattr(self, name), low=0.0, low_inclusive=True)
        check_range("utilization", self.utilization, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
        for name, high in (("n_inputs", 10_000_000), ("tau", 1000), ("n_steps", 1000)):
            if getattr(self, name) is not None:
                check_int(name, getattr(self, name), 1, high)
        if (
            self.window_inputs_per_inference is not None
            and self.window_inputs_per_inference < self.spikes_per_inference() * (1 - 1e-12)
        ):
            raise ValueError(
                f"window_inputs_per_inference = {self.window_inputs_per_inference} must be at least the "
                f"input spikes per inference ({self.spikes_per_inference()}): every spike is in a window"
            )
        if self.input_rates is not None:
            object.__setattr__(self, "input_rates", tuple(float(r) for r in np.ravel(self.input_rates)))
            check_range(
                "input_rates", np.array(self.input_rates), low=0.0, high=1.0, low_inclusive=True, high_inclusive=True
            )

    def spikes_per_inference(self) -> float:
        """Input spikes per inference (until the decision).

        Returns
        -------
        float [-]
            ``input_spikes_per_inference`` if given, else ``input_spikes_per_step`` x
            ``steps_per_inference``.
        """
        if self.input_spikes_per_inference is not None:
            return float(self.input_spikes_per_inference)
        return float(self.input_spikes_per_step * self.steps_per_inference)

    def window_inputs(self, tau) -> float:
        """Window-active inputs per inference (given, or the no-repeat upper bound).

        Parameters
        ----------
        tau : int [time steps]
            Kernel window of the network.

        Returns
        -------
        float [-]
            ``window_inputs_per_inference`` if given, else the estimate of the class
            Notes, s sum_{t=1}^{n} min(t, tau) for a real number n of steps.
        """
        if self.window_inputs_per_inference is not None:
            return float(self.window_inputs_per_inference)
        n = self.steps_per_inference
        full = min(n, tau)
        # sum_{t=1}^{n} min(t, tau) for real n: ramp up to tau, then tau per step
        return float(self.input_spikes_per_step * (full * (full + 1) / 2 + max(n - tau, 0.0) * tau))

    @classmethod
    def from_evaluation(cls, ds, *, utilization=1.0):
        """Activity measured by :func:`spinaps.network.evaluate` (means over chips).

        Parameters
        ----------
        ds : xarray.Dataset
            An evaluation holding the variables of :data:`EVALUATION_SCHEMA` (with
            those units); optionally ``input_spike_rate`` (per input) and the
            attributes ``n_inputs``, ``tau`` and ``n_steps`` (``T`` in evaluations
            written before it was renamed), which are recorded for the checks.
        utilization : float [-]
            Fraction of the time the accelerator runs inferences, in [0, 1] (default 1).

        Returns
        -------
        Activity
            Every number the mean over the evaluation's chips; ``source`` names the
            samples, the decoding and the seed of the evaluation.

        Raises
        ------
        TypeError
            If ``ds`` is not an :class:`xarray.Dataset`.
        ValueError
            If a variable of :data:`EVALUATION_SCHEMA` is missing or has other units,
            or the activity is not valid (see the class).
        """
        require(ds, EVALUATION_SCHEMA, "the evaluation of spinaps.network.evaluate")

        def mean(name):
            return float(np.mean(ds[name].values))

        # "T": the name of the attribute in evaluations written before it was renamed n_steps
        attr = {
            k: int(ds.attrs[a])
            for k, a in (("n_inputs", "n_inputs"), ("tau", "tau"), ("n_steps", "T"), ("n_steps", "n_steps"))
            if a in ds.attrs
        }
        rates = tuple(ds["input_spike_rate"].values) if "input_spike_rate" in ds else None
        return cls(
            input_spikes_per_step=mean("input_spikes_per_step"),
            steps_per_inference=mean("steps_per_inference"),
            input_spikes_per_inference=mean("input_spikes_per_inference"),
            window_inputs_per_inference=mean("window_inputs_per_inference"),
            utilization=utilization,
            input_rates=rates,
            **attr,
            source=f"measured: {ds.attrs.get('n_samples', '?')} samples, decoding "
            f"{ds.attrs.get('decoding', '?')}, seed {ds.attrs.get('seed', '?')}",
        )
