"""The design choice [device] joule_heating passes through the chain's device and circuit steps."""

import numpy as np
import pytest

from spinaps import Design, steps
from spinaps.device import pulse_for_wer

HOT = Design().with_values({"device.joule_heating": True, "study.variability_devices": 10})


def test_design_default_is_off_and_round_trips():
    d = Design()
    assert d.device.joule_heating is False and d.device.thermal_resistance is None
    assert steps.heating_keywords(d) == {}
    hot = Design().with_values({"device.joule_heating": True, "device.thermal_resistance": 5e5})
    assert Design.from_toml_text(hot.to_toml()).device == hot.device


def test_pulse_sizing_and_bitcell_use_the_junction_temperature():
    t_hot, _ = steps._sized_pulse(HOT)
    t_cold, _ = steps._sized_pulse(Design())
    assert t_hot < t_cold  # a heated write needs a shorter pulse at the same current
    i = steps.write_current(HOT)
    expected = max(
        float(pulse_for_wer(HOT.device.params(), i, 1e-9, stt_form="slonczewski", direction=d, joule_heating=True))
        for d in ("p_to_ap", "ap_to_p")
    )
    assert t_hot == pytest.approx(expected, rel=1e-12)
    cell = steps.memory_spec(HOT, "mtj", t_hot).bitcell(28)
    assert cell.joule_heating and cell.write_pulse() == t_hot
    assert not steps.memory_spec(HOT, "sram").joule_heating


def test_variability_step_records_heating():
    hot = HOT.with_values({"circuit.t_pulse": 20e-9})  # one pulse for both (the sized one differs)
    ds = steps.variability_step(hot)["variability"]
    assert ds.attrs["joule_heating"] == 1 and ds.attrs["thermal_resistance"].startswith("default")
    cold = steps.variability_step(hot.with_values({"device.joule_heating": False}))["variability"]
    assert cold.attrs["joule_heating"] == 0
    assert np.all(ds["wer"].values < cold["wer"].values)  # every sampled device writes better when heated
