"""Joule heating in the 1T-1MTJ bitcell's write path (MTJBitcell.joule_heating)."""

import numpy as np
import pytest

from spinaps.circuit import MTJBitcell, technology
from spinaps.device import preset, pulse_for_wer, write_error_rate


@pytest.fixture
def mtj():
    return preset("Ikeda2010")


def _cell(mtj, **kw):
    return MTJBitcell(mtj, technology(28), i_write=1.5 * float(mtj.ic0), **kw)


def test_heated_pulse_is_the_device_layers_heated_pulse(mtj):
    cell = _cell(mtj, joule_heating=True)
    i = cell.write_current
    expected = max(
        float(pulse_for_wer(mtj, i, 1e-9, stt_form="slonczewski", direction=d, joule_heating=True))
        for d in ("p_to_ap", "ap_to_p")
    )
    assert cell.write_pulse() == pytest.approx(expected, rel=1e-12)  # the same call


def test_heated_write_is_shorter_for_the_same_current(mtj):
    cold, hot = _cell(mtj).write_pulse(), _cell(mtj, joule_heating=True).write_pulse()
    assert hot < 0.99 * cold  # about 3 % shorter at the default write point (pulse sizing accurate to 1e-3)


def test_figures_record_heating(mtj):
    cell = _cell(mtj, joule_heating=True, thermal_resistance=5e5, t_pulse=20e-9)
    ds = cell.figures()
    assert ds.attrs["joule_heating"] == 1 and ds.attrs["thermal_resistance"] == 5e5
    assert ds["t_junction"].attrs["units"] == "K" and ds["t_junction"].dims == ("direction",)
    assert np.all(ds["t_junction"].values > cell.temperature)
    for k, d in enumerate(("p_to_ap", "ap_to_p")):
        heated = write_error_rate(
            mtj,
            cell.write_current,
            20e-9,
            stt_form="slonczewski",
            direction=d,
            joule_heating=True,
            thermal_resistance=5e5,
        )
        assert ds["wer"].values[k] == pytest.approx(float(heated), rel=1e-12)
    cold = _cell(mtj, t_pulse=20e-9).figures()
    assert cold.attrs["joule_heating"] == 0 and "t_junction" not in cold
    assert np.all(ds["wer"].values < cold["wer"].values)  # a hotter junction switches more readily


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"joule_heating": "yes"}, "joule_heating"),
        ({"joule_heating": True, "thermal_resistance": -1.0}, "thermal_resistance"),
        ({"thermal_resistance": 1e5}, "thermal_resistance"),
    ],
)
def test_bad_heating_input(mtj, kw, match):
    with pytest.raises(ValueError, match=match):
        _cell(mtj, **kw)
