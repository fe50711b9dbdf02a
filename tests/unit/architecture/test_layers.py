"""A network of several layers on one core (spinaps.architecture.layered_figures) and the
hidden-layer network's two layers (spinaps.architecture.hidden_network)."""

import numpy as np
import pytest

from spinaps.architecture import (
    Accelerator,
    Activity,
    NetworkSpec,
    compare_layered,
    figures,
    hidden_network,
    layered_figures,
)
from spinaps.circuit import technology
from spinaps.circuit.digital import operation_area
from spinaps.network import HiddenSNN, evaluate_hidden
from spinaps.provenance import missing_units

#: The hidden-layer network of the embedded MNIST (784 -> 400 -> 10, K_h = 1, K = 4,
#: tau = 4; activity of the order measured by scripts/measure_hidden.py).
HIDDEN = Accelerator(network=NetworkSpec(n_inputs=784, n_outputs=400, n_basis=1, tau=4))
OUTPUT = Accelerator(network=NetworkSpec(n_inputs=400, n_outputs=10, n_basis=4, tau=4))
STEPS = 3.0
LAYERS = [
    (HIDDEN, Activity(input_spikes_per_step=102.0, steps_per_inference=STEPS, n_inputs=784, tau=4)),
    (OUTPUT, Activity(input_spikes_per_step=94.0, steps_per_inference=STEPS, n_inputs=400, tau=4)),
]
#: Relative tolerance of sums of the same numbers taken in another order.
RTOL = 1e-12


@pytest.fixture(scope="module")
def two():
    return layered_figures(LAYERS, names=["hidden", "output"])


def test_one_layer_is_the_two_layer_network_of_figures():
    """layered_figures of one (Accelerator, Activity) pair is figures() itself: every
    scalar total and breakdown equal."""
    acc, act = Accelerator(), Activity(102.6, 2.5)
    a, b = layered_figures([(acc, act)]), figures(acc, act)
    for name in b.data_vars:
        np.testing.assert_allclose(a[name].values, b[name].values, rtol=RTOL, err_msg=name)


def test_two_layers_add_up(two):
    """Area (less the hidden layer's selector) and SOPs are the layers' sums; the
    dynamic energy is the sum of each layer's own (figures() of the layer alone, less its
    leakage and, for the hidden layer, its first-to-spike selector and that selector's
    share of the control: only the last layer decides); the step is the slower layer's
    and the pipeline fills once; breakdowns sum to totals."""
    alone = [figures(acc, act) for acc, act in LAYERS]
    # the hidden layer alone holds a 400-way selector: 399 comparators of ceil(log2 400) = 9
    # bits, and the control logic's share of them
    selector = 399 * float(operation_area(technology(28), "compare", 9)) * (1 + HIDDEN.neuron.control_overhead)
    np.testing.assert_allclose(float(two.area), sum(float(f.area) for f in alone) - selector, rtol=1e-9)
    np.testing.assert_allclose(float(two.sops_per_inference), 102.0 * STEPS * 400 + 94.0 * STEPS * 10, rtol=RTOL)
    np.testing.assert_allclose(two.layer_sops_per_inference, [f.sops_per_inference for f in alone], rtol=RTOL)
    t = [float(f.latency_per_step) for f in alone]
    np.testing.assert_allclose(two.layer_latency_per_step, t, rtol=RTOL)
    np.testing.assert_allclose(float(two.latency_per_step), max(t), rtol=RTOL)
    np.testing.assert_allclose(float(two.latency_per_inference), STEPS * max(t) + min(t), rtol=RTOL)
    decide_hidden = float(alone[0].energy_breakdown.sel(energy_component="decide"))
    assert decide_hidden > 0
    np.testing.assert_allclose(
        float(two.energy_breakdown.sel(energy_component="decide")),
        float(alone[1].energy_breakdown.sel(energy_component="decide")),
        rtol=RTOL,
    )
    dynamic = [float(f.energy_per_inference) - float(f.energy_breakdown.sel(energy_component="leakage")) for f in alone]
    # with the selector goes its share of the control energy
    hidden_dynamic = dynamic[0] - decide_hidden * (1 + HIDDEN.neuron.control_overhead)
    np.testing.assert_allclose(two.layer_dynamic_energy, [hidden_dynamic, dynamic[1]], rtol=1e-9)
    for name, total in (("area_breakdown", "area"), ("energy_breakdown", "energy_per_inference")):
        np.testing.assert_allclose(float(two[name].sum()), float(two[total]), rtol=RTOL)
    np.testing.assert_allclose(float(two.power), float(two.inferences_per_second * two.energy_per_inference), rtol=1e-9)
    assert missing_units(two) == []
    assert two.attrs["layers"] == "hidden, output" and "pipeline" in two.attrs


def test_the_hidden_layer_dominates_and_grows_with_its_width(two):
    """784 x 400 x 1 x 4 bits against 400 x 10 x 4 x 4: the hidden layer holds 20x the
    cells and does 400 / 10 x the SOPs per spike; a wider hidden layer costs more area
    and energy per inference."""
    area = two.layer_area.values
    assert area[0] > area[1]
    assert two.layer_n_arrays.values[0] > two.layer_n_arrays.values[1]
    wide_hidden = HIDDEN.replace(network={"n_outputs": 800})
    wide_output = OUTPUT.replace(network={"n_inputs": 800})
    wide = layered_figures([(wide_hidden, LAYERS[0][1]), (wide_output, LAYERS[1][1].__class__(94.0, STEPS))])
    assert float(wide.area) > float(two.area)
    assert float(wide.energy_per_inference) > float(two.energy_per_inference)


def test_against_sram(two):
    """compare_layered: both designs along ``design`` and every ratio a / b."""
    both = compare_layered(LAYERS, names=["hidden", "output"])
    assert list(both.design.values) == ["mtj", "sram"]
    sram = layered_figures([(a.sram_equivalent(), act) for a, act in LAYERS])
    np.testing.assert_allclose(
        float(both.ratio_gsops_per_w_per_mm2), float(two.gsops_per_w_per_mm2 / sram.gsops_per_w_per_mm2), rtol=RTOL
    )
    assert both.layer_area.dims == ("design", "layer")


@pytest.mark.parametrize(
    "layers,match",
    [
        ([], "layers is empty"),
        ([LAYERS[0], (OUTPUT.replace(network={"n_inputs": 300}), LAYERS[1][1])], "n_inputs = 300"),
        ([LAYERS[0], (OUTPUT, Activity(94.0, 2.0))], "steps_per_inference = 2.0"),
        ([LAYERS[0], (OUTPUT.replace(node=45), LAYERS[1][1])], "node = 45"),
        ([LAYERS[0], OUTPUT], "must be an \\(Accelerator, Activity\\) pair"),
    ],
)
def test_bad_layers_are_refused(layers, match):
    with pytest.raises((ValueError, TypeError), match=match):
        layered_figures(layers)


def test_hidden_network_reads_an_evaluation():
    """The two layers of a small hidden-layer network: their networks (words of H K_h B
    and J K B bits) and activities (the evaluation's means over chips), ready for
    layered_figures."""
    rng = np.random.default_rng(0)
    model = HiddenSNN(
        rng.normal(size=(6, 12, 1)), rng.normal(size=6), rng.normal(size=(3, 6, 4)), np.zeros(3), weight_bits=2
    )
    x, y = rng.random((30, 12)), np.arange(30) % 3
    ev = evaluate_hidden(model, x, y, n_chips=3, seed=1)
    (acc_h, act_h), (acc_o, act_o) = layers = hidden_network(Accelerator(), ev)
    assert (acc_h.network.n_inputs, acc_h.network.n_outputs, acc_h.network.n_basis) == (12, 6, 1)
    assert (acc_o.network.n_inputs, acc_o.network.n_outputs, acc_o.network.n_basis) == (6, 3, 4)
    assert acc_h.network.weight_bits == acc_o.network.weight_bits == 2
    assert act_h.input_spikes_per_inference == pytest.approx(float(ev.input_spikes_per_inference.mean()), rel=RTOL)
    assert act_o.input_spikes_per_inference == pytest.approx(float(ev.hidden_spikes_per_inference.mean()), rel=RTOL)
    assert act_o.input_spikes_per_step == pytest.approx(float(ev.hidden_spikes_per_step.mean()), rel=RTOL)
    assert len(act_o.input_rates) == 6
    ds = layered_figures(layers)
    np.testing.assert_allclose(float(ds.sops_per_inference), float(ev.sops_per_inference.mean()), rtol=1e-9)
    with pytest.raises(ValueError, match="hidden_spikes_per_step"):
        hidden_network(Accelerator(), ev.drop_vars("hidden_spikes_per_step"))
