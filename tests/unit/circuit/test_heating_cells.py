"""Joule heating in chip_cells' write path: the writes of every cell at its direction's
nominal junction temperature (spinaps.circuit.cells)."""

import dataclasses

import numpy as np
import pytest

from spinaps.circuit import MTJBitcell, chip_cells, technology
from spinaps.device import preset, write_error_rate
from spinaps.device.heating import junction_temperature


@pytest.fixture(scope="module")
def hot_cell():
    """Ikeda 2010 at 1.5 I_c0 with a 60 ns pulse and Joule heating on (default R_th)."""
    mtj = preset("Ikeda2010")
    return MTJBitcell(mtj, technology(28), i_write=1.5 * float(mtj.ic0), v_write=1.2, t_pulse=60e-9, joule_heating=True)


BITS = (np.arange(24).reshape(4, 6) % 3 == 0).astype(np.uint8)


def test_zero_spread_cells_are_the_heated_bitcell(hot_cell):
    # Without spread every cell is the nominal device written at its junction
    # temperature: the heated figures() to 1e-5 (ln H stored in float32, as in
    # test_cells.test_zero_spread_reproduces_the_bitcell_figures).
    fig = hot_cell.figures()
    c = chip_cells(hot_cell, BITS, 2, spread={}, t_storage=hot_cell.t_storage, seed=0)
    ones = np.broadcast_to(BITS == 1, c.wer.shape)
    np.testing.assert_allclose(c.wer[ones], float(fig.wer.sel(direction="p_to_ap")), rtol=1e-5)
    assert c.nominal["wer_p_to_ap"] == pytest.approx(float(fig.wer.sel(direction="p_to_ap")), rel=1e-12)
    # retention and Delta stay at the ambient temperature
    np.testing.assert_allclose(c.delta, float(hot_cell.mtj.delta(hot_cell.temperature)), rtol=1e-6)


def test_heated_cells_write_better_than_cold_ones(hot_cell):
    cold_cell = dataclasses.replace(hot_cell, joule_heating=False)
    hot = chip_cells(hot_cell, BITS, 1, spread={}, t_storage=hot_cell.t_storage, seed=0)
    cold = chip_cells(cold_cell, BITS, 1, spread={}, t_storage=hot_cell.t_storage, seed=0)
    assert hot.nominal["wer_p_to_ap"] < cold.nominal["wer_p_to_ap"]
    # and the cold value is the unheated device-layer WER (the switch changes nothing else)
    i = hot_cell.write_current
    expected = float(write_error_rate(hot_cell.mtj, i, 60e-9, stt_form="slonczewski", direction="p_to_ap"))
    assert cold.nominal["wer_p_to_ap"] == pytest.approx(expected, rel=1e-12)
    tj = float(junction_temperature(hot_cell.mtj, i, direction="p_to_ap"))
    at_tj = float(write_error_rate(hot_cell.mtj, i, 60e-9, stt_form="slonczewski", direction="p_to_ap", temperature=tj))
    assert hot.nominal["wer_p_to_ap"] == pytest.approx(at_tj, rel=1e-12)
