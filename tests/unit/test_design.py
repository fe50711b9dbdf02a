"""The Design: defaults, TOML round trips, dotted changes, and bad configuration
rejected with the dotted key, the value and what is allowed."""

import dataclasses

import pytest

from spinaps.design import RECIPES, CircuitDesign, Design, DesignError, DeviceDesign
from spinaps.device import preset
from spinaps.steps import write_current


def test_default_round_trips_exactly_with_and_without_comments():
    d = Design()
    assert Design.from_toml_text(d.to_toml()) == d
    assert Design.from_toml_text(d.to_toml(comments=True)) == d
    changed = d.with_values(
        {
            "circuit.node": 22,
            "variability.spread.diameter": 0.05,
            "study.chips": 7,
            "variability.correlation.diameter:ra": 0.3,
            "variability.cycle.i_write": 0.01,
            "device.mtj.alpha": 0.02,
            "architecture.neuron.sigmoid": "pwl",
        }
    )
    assert Design.from_toml_text(changed.to_toml()) == changed
    assert changed.circuit.node == 22 and changed.variability.spread["diameter"] == 0.05
    assert changed.device.params().alpha == 0.02 and changed.architecture.neuron.sigmoid == "pwl"
    assert changed.fingerprint() != d.fingerprint() and d.fingerprint() == Design().fingerprint()


def test_every_key_is_documented_with_units_and_source():
    text = Design().to_toml(comments=True)
    for line in ("node = 28", "t_storage = 86400.0", "# t_pulse ="):
        assert line in text
    assert text.count("source:") >= 50
    assert "[nm]" in text and "[A]" in text and "[s]" in text


def test_one_write_pulse_definition():
    """A pulse and a target WER cannot both be given; giving one by a change replaces
    the other (so --set circuit.t_pulse=... works on the default design)."""
    d = Design().with_values({"circuit.t_pulse": 2e-8})
    assert d.circuit.t_pulse == 2e-8 and d.circuit.target_wer is None
    with pytest.raises(DesignError, match="circuit.t_pulse and circuit.target_wer are both given"):
        CircuitDesign(t_pulse=2e-8, target_wer=1e-9)
    text = Design().to_toml().replace("# t_pulse =", "t_pulse = 2e-8")
    with pytest.raises(DesignError, match="both given"):
        Design.from_toml_text(text)
    with pytest.raises(DesignError, match="circuit.pulse_sizing"):
        Design().with_values({"circuit.t_pulse": 2e-8, "circuit.pulse_sizing": "worst_of_n"})
    d = Design().with_values({"circuit.i_write": 1e-4})
    assert write_current(d) == 1e-4 and d.circuit.i_write_ic0 is None
    assert write_current(Design()) == pytest.approx(1.5 * float(preset("Ikeda2010").ic0), rel=1e-12)


def test_device_from_params_or_calibration():
    own = dataclasses.replace(preset("Sato2013"), alpha=0.007)
    dev = DeviceDesign.from_params(own)
    assert dev.preset is None and dev.params() == own
    d = Design(device=dev)
    assert Design.from_toml_text(d.to_toml()).device.params() == own
    with pytest.raises(DesignError, match="device.preset"):
        Design.from_dict({"device": {"preset": None, "mtj": {"alpha": 0.01}}})


@pytest.mark.parametrize(
    "values, key, match",
    [
        ({"circuit.nod": 22}, "circuit.nod", "did you mean circuit.node"),
        ({"circuit.node": 23}, "circuit.node", "23 is not allowed; allowed: one of 45, 32, 28, 22"),
        ({"circuit.rows": 300}, "circuit.rows", "power of two"),
        ({"circuit.access_bits": 48}, "circuit.access_bits", "must divide circuit.cols"),
        ({"circuit.v_write": -1.0}, "circuit.v_write", r"allowed: a number in \(0.1, 5\) V"),
        ({"circuit.target_wer": 0.9}, "circuit.target_wer", "outside the allowed range"),
        ({"network.weight_bits": 2.7}, "network.weight_bits", "not an integer"),
        ({"network.weight_bits": True}, "network.weight_bits", "not allowed"),
        ({"network.dataset": "cifar"}, "network.dataset", "allowed: one of 'mnist', 'digits', 'har'"),
        ({"network.tau": 2}, "network.tau", "must be >= network.n_basis"),
        ({"network.model_file": "missing.npz"}, "network.model_file", "is not a file"),
        ({"device.preset": "Ikeda"}, "device.preset", "did you mean 'Ikeda2010'"),
        ({"device.mtj.alpha": 2.0}, "device.mtj.alpha", r"alpha = 2.0 is outside the allowed range \(0, 1\)"),
        ({"device.mtj.alpa": 0.01}, "device.mtj.alpa", "did you mean 'alpha'"),
        ({"device.mtj.diameter": [40e-9, 41e-9]}, "device.mtj.diameter", "one device"),
        ({"variability.spread.diam": 0.1}, "variability.spread.diam", "did you mean 'diameter'"),
        ({"variability.spread.diameter": 1.5}, "variability.spread.diameter", r"in \[0, 1\)"),
        ({"variability.cycle.ku": 0.1}, "variability.cycle.ku", "allowed: i_write, t_pulse"),
        (
            {"variability.correlation.diameter:thickness": 0.3},
            "variability.correlation.diameter:thickness",
            "two different fields of variability.spread",
        ),
        ({"variability.distribution": "uniform"}, "variability.distribution", "allowed: one of"),
        ({"storage.temperature": -3.0}, "storage.temperature", "outside the allowed range"),
        ({"storage.t_storage": float("nan")}, "storage.t_storage", "outside the allowed range"),
        ({"architecture.neuron.sigmoid": "tanh"}, "architecture.neuron.sigmoid", "allowed: one of 'lut', 'pwl'"),
        ({"architecture.power_gating": "yes"}, "architecture.power_gating", "true or false"),
        ({"study.chips": 0}, "study.chips", r"an integer in \[1, 100000\]"),
        ({"study.seed": -1}, "study.seed", "outside the allowed range"),
        ({"studies.seed": 1}, "studies", "did you mean study"),
        ({"network.model": "mlp"}, "network.model", "allowed: one of 'snn', 'hidden'"),
        ({"network.n_hidden": 0}, "network.n_hidden", r"an integer in \[1, 100000\]"),
        ({"network.model": "hidden", "network.n_basis_hidden": 9}, "network.tau", "network.n_basis_hidden = 9"),
        ({"network.qat_epochs": -1}, "network.qat_epochs", r"\[0, 10000\] \(or absent\)"),
    ],
)
def test_bad_values_name_their_key(values, key, match):
    with pytest.raises(DesignError, match=match) as info:
        Design().with_values(values)
    assert info.value.key == key
    assert str(info.value).startswith(key)


def test_each_network_model_has_its_own_recipe():
    """Absent recipe values take the model's recipe (the 2-layer and the hidden-layer
    network were chosen apart); given ones are kept for either model; the hidden
    layer's K_h is checked against tau only for the hidden-layer network."""
    snn, hidden = Design().network, Design().with_values({"network.model": "hidden"}).network
    assert snn.recipe == RECIPES["snn"] and hidden.recipe == RECIPES["hidden"]
    assert snn.recipe == {"epochs": 60, "lr": 1e-2, "lr_final": 1e-3, "qat_epochs": 20, "qat_lr": 3e-3}
    assert hidden.recipe["epochs"] == 16 and hidden.recipe["qat_lr"] == 1.5e-3
    given = Design().with_values({"network.model": "hidden", "network.epochs": 3, "network.qat_epochs": 0}).network
    assert given.recipe == RECIPES["hidden"] | {"epochs": 3, "qat_epochs": 0}
    assert Design().with_values({"network.n_basis_hidden": 9}).network.n_basis_hidden == 9  # unused by snn
    text = Design().to_toml(comments=True)
    assert "# epochs =" in text and "snn 60, hidden 16" in text
    assert Design.from_toml_text(Design().with_values({"network.model": "hidden"}).to_toml()).network == hidden


def test_har_needs_a_folder_only_without_the_extra(monkeypatch):
    """With the raw recordings of the extra spinaps[har] installed, dataset = "har" needs
    no data_path; without them the error names network.data_path and what to install."""
    from spinaps.network import hapt

    assert Design().with_values({"network.dataset": "har"}).network.dataset == "har"
    monkeypatch.setattr(hapt, "package_file", lambda: None)
    with pytest.raises(DesignError, match="install the optional extra spinaps\\[har\\]") as info:
        Design().with_values({"network.dataset": "har"})
    assert info.value.key == "network.data_path"


def test_bad_toml_files():
    with pytest.raises(DesignError, match="not valid TOML"):
        Design.from_toml_text("[circuit\nnode = 28")
    with pytest.raises(DesignError, match="circuit.node: '28' \\(str\\) is not allowed"):
        Design.from_toml_text('[circuit]\nnode = "28"')
    with pytest.raises(DesignError, match="nework: unknown key; did you mean network"):
        Design.from_toml_text("[nework]\nepochs = 3")
    with pytest.raises(DesignError, match="is not a file"):
        Design.from_toml("no/such/design.toml")
