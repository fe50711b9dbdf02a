"""The hidden-layer network on the accelerator: two layers of arrays from one design.

:func:`hidden_network` turns an accelerator design and an evaluation of the hidden-layer
network (:func:`spinaps.network.evaluate_hidden`) into the two (Accelerator, Activity)
pairs that :func:`~spinaps.architecture.core.layered_figures` evaluates: the input ->
hidden synapses (one word of H x K_h x B bits per input, read at each input spike; a
GLM neuron unit per hidden neuron) and the hidden -> output synapses (one word of
J x K x B bits per hidden neuron, read at each hidden spike; the output neurons and the
first-to-spike selector).  Both layers keep the design's memory, neuron units, node,
clock and dataflow.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..provenance import require
from .activity import Activity
from .design import Accelerator, NetworkSpec

__all__ = ["hidden_network", "HIDDEN_EVALUATION_SCHEMA", "LAYER_NAMES"]

#: What the architecture reads from an evaluation of the hidden-layer network
#: (variable: units), checked on entry (:func:`spinaps.provenance.require`).
HIDDEN_EVALUATION_SCHEMA = {
    "input_spikes_per_step": "1",
    "hidden_spikes_per_step": "1",
    "steps_per_inference": "1",
    "input_spikes_per_inference": "1",
    "hidden_spikes_per_inference": "1",
    "window_inputs_per_inference": "1",
    "window_hidden_per_inference": "1",
}
#: The layers' names in the figures.
LAYER_NAMES = ("input -> hidden", "hidden -> output")


def hidden_network(acc, evaluation, *, utilization=1.0, weight_bits=None):
    """The two layers of the hidden-layer network on the design ``acc``.

    Parameters
    ----------
    acc : Accelerator
        The design (memory, neurons, node, clock, dataflow); its ``network`` gives the
        weight bits unless ``weight_bits`` or the evaluation does.
    evaluation : xarray.Dataset
        An evaluation by :func:`spinaps.network.evaluate_hidden` (the variables of
        :data:`HIDDEN_EVALUATION_SCHEMA`; the attributes ``n_inputs``, ``n_hidden``,
        ``n_classes``, ``n_basis``, ``n_basis_hidden``, ``tau``, ``n_steps``,
        ``weight_bits``); activity as means over its chips.
    utilization : float [-]
        Fraction of the time the accelerator runs inferences, in [0, 1] (default 1).
    weight_bits : int, optional [bit]
        B of both layers; default the evaluation's (if the model was B-bit), else the
        design's.

    Returns
    -------
    list of (Accelerator, Activity)
        Input -> hidden, then hidden -> output (names :data:`LAYER_NAMES`), for
        :func:`~spinaps.architecture.core.layered_figures` and
        :func:`~spinaps.architecture.core.compare_layered`.

    Raises
    ------
    TypeError
        If ``acc`` is not an Accelerator or ``evaluation`` not an xarray Dataset.
    ValueError
        If a variable or attribute is missing (or has other units), or a value is
        outside its range (naming it).

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.architecture import Accelerator, hidden_network, layered_figures
    >>> from spinaps.network import HiddenSNN, evaluate_hidden
    >>> model = HiddenSNN(np.zeros((5, 6, 1)), np.zeros(5), np.zeros((2, 5, 4)), np.zeros(2), weight_bits=4)
    >>> x, y = np.random.default_rng(0).random((10, 6)), np.arange(10) % 2
    >>> layers = hidden_network(Accelerator(), evaluate_hidden(model, x, y))
    >>> [a.network.word_bits for a, _ in layers]      # 5 x 1 x 4 and 2 x 4 x 4 bits
    [20, 32]
    """
    if not isinstance(acc, Accelerator):
        raise TypeError(f"acc must be an Accelerator, got {type(acc).__name__}")
    if not isinstance(evaluation, xr.Dataset):
        raise TypeError(f"evaluation must be the xarray Dataset of evaluate_hidden, got {type(evaluation).__name__}")
    require(evaluation, HIDDEN_EVALUATION_SCHEMA, "the evaluation of spinaps.network.evaluate_hidden")
    attrs = evaluation.attrs
    missing = [
        k
        for k in ("n_inputs", "n_hidden", "n_classes", "n_basis", "n_basis_hidden", "tau", "n_steps")
        if k not in attrs
    ]
    if missing:
        raise ValueError(f"the evaluation lacks the attribute(s) {missing} (an evaluation of evaluate_hidden has them)")
    n_in, n_hidden, n_out = int(attrs["n_inputs"]), int(attrs["n_hidden"]), int(attrs["n_classes"])
    tau, n_steps = int(attrs["tau"]), int(attrs["n_steps"])
    if weight_bits is None:
        stored = attrs.get("weight_bits", "float")
        weight_bits = acc.network.weight_bits if stored == "float" else int(stored)

    def mean(name):
        return float(np.mean(evaluation[name].values))

    source = (
        f"measured: {attrs.get('n_samples', '?')} samples of the hidden-layer network, seed {attrs.get('seed', '?')}"
    )
    common = {"steps_per_inference": mean("steps_per_inference"), "utilization": utilization, "tau": tau}
    common |= {"n_steps": n_steps, "source": source}

    def activity(per_step, per_inference, window, rate, n_inputs):
        """The activity driving one layer: the spikes it receives (means over chips)."""
        rates = tuple(float(r) for r in evaluation[rate].values) if rate in evaluation else None
        return Activity(
            input_spikes_per_step=mean(per_step),
            input_spikes_per_inference=mean(per_inference),
            window_inputs_per_inference=mean(window),
            input_rates=rates,
            n_inputs=n_inputs,
            **common,
        )

    hidden = activity(
        "input_spikes_per_step", "input_spikes_per_inference", "window_inputs_per_inference", "input_spike_rate", n_in
    )
    output = activity(
        "hidden_spikes_per_step",
        "hidden_spikes_per_inference",
        "window_hidden_per_inference",
        "hidden_spike_rate",
        n_hidden,
    )
    layer = {"tau": tau, "weight_bits": weight_bits, "n_steps": n_steps}
    return [
        (
            acc.replace(
                network=NetworkSpec(n_inputs=n_in, n_outputs=n_hidden, n_basis=int(attrs["n_basis_hidden"]), **layer)
            ),
            hidden,
        ),
        (
            acc.replace(
                network=NetworkSpec(n_inputs=n_hidden, n_outputs=n_out, n_basis=int(attrs["n_basis"]), **layer)
            ),
            output,
        ),
    ]
