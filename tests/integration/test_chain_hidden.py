"""The hidden-layer network through the chain (``network.model = "hidden"``): trained,
stored in MTJ cells with cell-by-cell faults in both layers, evaluated over chips and
mapped as two layers of arrays (a small design on part of the embedded MNIST)."""

import json

import numpy as np
import pytest

from spinaps.architecture.layers import LAYER_NAMES
from spinaps.chain import Chain, estimate_resources
from spinaps.network import HiddenSNN

from .small import SMALL

#: The small design with a hidden layer of 40 neurons, 2 float epochs and 1 QAT epoch.
HIDDEN = SMALL.with_values(
    {"network.model": "hidden", "network.n_hidden": 40, "network.epochs": 2, "network.qat_epochs": 1}
)


@pytest.fixture(scope="module")
def hidden_run(result, cache_dir, tmp_path_factory):
    """HIDDEN run once, its device and circuit steps from the small design's cache:
    (ChainResult, output folder, Chain)."""
    out = tmp_path_factory.mktemp("runs") / "hidden"
    chain = Chain(HIDDEN, cache_dir=cache_dir)
    return chain.run(out), out, chain


def test_the_hidden_layer_network_runs_through_every_layer(hidden_run):
    res, out, chain = hidden_run
    # the device and circuit do not depend on the network: the 2-layer run's steps
    assert chain._done["device"].cached and chain._done["circuit"].cached
    model = res.steps["training"].model
    assert isinstance(model, HiddenSNN) and (model.n_hidden, model.weight_bits, model.tau) == (40, 4, 8)
    assert model.history.size == 3  # the design's recipe: 2 float epochs, then 1 quantisation-aware
    ev = res.datasets["network"]
    assert ev.attrs["n_hidden"] == 40 and ev.sizes["chip"] == 6
    # every cell of both layers is its own device: one population, split by layer
    assert ev.attrs["hidden_fault_per_cell"] == 1 and ev.attrs["output_fault_per_cell"] == 1
    assert ev.attrs["hidden_fault_cell_bits"] == "per-cell planes of shape (40, 784, 1, 4)"
    cells = int(res.datasets["cell_faults"].cells.sum())
    assert cells == (784 * 1 + 10 * 4) * 40 * 4 == estimate_resources(HIDDEN)["cells_per_chip"]
    for name in ("network_homogeneous", "network_nominal", "network_fault_free"):
        assert res.datasets[name].attrs["n_hidden"] == 40, name
    # two layers of arrays, each driven by the spikes it receives
    arch = res.datasets["architecture"]
    assert tuple(arch.layer.values) == LAYER_NAMES
    expected = [40 * float(ev.input_spikes_per_inference.mean()), 10 * float(ev.hidden_spikes_per_inference.mean())]
    np.testing.assert_allclose(arch.layer_sops_per_inference.sel(design="mtj").values, expected, rtol=1e-9)
    total = float(arch.energy_per_inference.sel(design="mtj"))
    assert 0 < float(arch.layer_dynamic_energy.sel(design="mtj").sum()) <= total
    assert np.isfinite(float(arch.ratio_gsops_per_w_per_mm2)) and float(arch.ratio_gsops_per_w_per_mm2) > 0
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["architecture"]["layers"]) == list(LAYER_NAMES)
    assert summary["design"]["network"]["model"] == "hidden"
    assert "784 → 40 → 10" in (out / "report.md").read_text()
    assert len(res.sensitivity) > 0 and all(np.isfinite(list(r["ratios"].values())).all() for r in res.sensitivity)


def test_the_hidden_network_is_read_back_from_the_cache_and_from_a_model_file(hidden_run, cache_dir):
    res, out, _ = hidden_run
    trained = res.steps["training"].model
    again = Chain(HIDDEN, cache_dir=cache_dir).training()
    assert again.cached and isinstance(again.model, HiddenSNN)
    np.testing.assert_array_equal(again.model.w_hidden, trained.w_hidden)
    from_file = Chain(HIDDEN.with_values({"network.model_file": str(out / "network_model.npz")}), cache=False)
    np.testing.assert_array_equal(from_file.training().model.w_out, trained.w_out)
    with pytest.raises(ValueError, match="network.n_hidden = 41 but network.model_file"):
        Chain(
            HIDDEN.with_values({"network.n_hidden": 41, "network.model_file": str(out / "network_model.npz")}),
            cache=False,
        ).training()


def test_a_model_file_of_the_other_network_is_refused(result):
    _, out = result  # the 2-layer network's model file
    design = HIDDEN.with_values({"network.model_file": str(out / "network_model.npz")})
    with pytest.raises(ValueError, match="network.model_file for network.model = 'hidden'.*network_model.npz"):
        Chain(design, cache=False).training()


def test_the_memory_of_the_hidden_networks_chips_is_checked_before_any_step(monkeypatch):
    """The default hidden layer (784 -> 400 -> 10 at 4 bits) has 1,318,400 cells per chip:
    100 chips need about 10.5 GB (80 bytes per chip and cell), refused at once on a
    machine with 8 GiB available, naming study.chips; with 24 GiB they run, and the
    per-cell arrays may then take their share of it (above chip_cells' own 2 GiB)."""
    from spinaps import chain
    from spinaps.circuit.cells import MAX_RESULT_BYTES

    design = SMALL.with_values({"network.model": "hidden", "study.chips": 100})
    assert chain.estimate_resources(design)["memory"] == 100 * 1_318_400 * chain.BYTES_PER_CHIP_CELL
    monkeypatch.setattr(chain, "_available_memory", lambda: 8.0 * 2**30)
    with pytest.raises(ValueError, match=r"study.chips / study.llg_devices: .*GiB of memory.*now 100"):
        chain.check_resources(design)
    monkeypatch.setattr(chain, "_available_memory", lambda: 24.0 * 2**30)
    chain.check_resources(design)
    assert chain.cell_memory_limit() > 100 * 1_318_400 * 20 > MAX_RESULT_BYTES
