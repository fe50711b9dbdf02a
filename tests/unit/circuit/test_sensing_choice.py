"""The MTJ read scheme as a design choice: ``circuit.sensing`` and ``memory.sensing``
reach every sub-array the chain builds, and ``NVSimConfig.to_memory(sensing=)`` reads
an NVSim setup with either scheme.  Tolerances: relative 1e-12 where the same numbers
are computed along two paths."""

import pytest

from spinaps import Design, steps
from spinaps.architecture import Accelerator
from spinaps.architecture.memory import memory_figures, weight_memory
from spinaps.circuit import Array, Memory, from_nvsim_cfg
from spinaps.circuit.validation import NVSIM_DATA, NVSIM_SAMPLE_V_READ
from spinaps.design import DesignError

TWO_MATS = {"rows": 128, "cols": 128, "mats": [2, 1], "sense_amp_mux": 4}


def test_design_key_reaches_the_mtj_arrays_only():
    """``circuit.sensing = "current"`` gives current-sensed MTJ sub-arrays and banks;
    the SRAM equivalent still senses its bitline pair; the default is voltage."""
    assert steps.memory_spec(Design()).array(28).sensing == "voltage"
    d = Design().with_values({"circuit.sensing": "current"})
    assert Design.from_toml_text(d.to_toml()).circuit.sensing == "current"
    mtj, sram = steps.memory_spec(d), steps.memory_spec(d, "sram")
    assert mtj.array(28).sensing == "current" and sram.array(28).sensing == "voltage"
    assert sram.read_scheme == "voltage"


def test_a_bank_is_built_and_searched_with_the_chosen_scheme():
    """A forced bank's figures are those of the circuit layer's Memory with the same
    scheme; the current-sensed bank reads faster (the clamped bitline does not swing:
    module notes of spinaps.circuit.array), and a searched bank carries the scheme."""
    figures = {}
    for sensing in ("voltage", "current"):
        acc = Accelerator().replace(memory={"organisation": TWO_MATS, "sensing": sensing})
        bank = weight_memory(acc)
        assert bank.sensing == sensing
        direct = Memory(acc.memory.bitcell(28), 4096, 32, bank.organisation, sensing=sensing).figures()
        figures[sensing] = memory_figures(acc)
        for name in ("read_latency", "read_energy", "area"):
            assert float(figures[sensing][name]) == pytest.approx(float(direct[name]), rel=1e-12)
    assert float(figures["current"].read_latency) < float(figures["voltage"].read_latency)
    searched = Accelerator().replace(memory={"sensing": "current"})
    assert weight_memory(searched).sensing == "current"
    sram = Accelerator().replace(memory={"kind": "sram", "organisation": TWO_MATS, "sensing": "current"})
    assert weight_memory(sram).sensing == "voltage"


def test_nvsim_setup_read_with_either_scheme():
    """A forced 1024 x 1024 NVSim configuration read both ways: same organisation, the
    current-sensed read faster; an SRAM setup refuses current sensing naming it."""
    cfg = from_nvsim_cfg(NVSIM_DATA / "mtj_22nm_1024x1024_w64.cfg")
    voltage = cfg.to_memory(v_read=NVSIM_SAMPLE_V_READ)
    current = cfg.to_memory(v_read=NVSIM_SAMPLE_V_READ, sensing="current")
    assert (voltage.sensing, current.sensing) == ("voltage", "current")
    assert voltage.organisation == current.organisation
    assert float(current.figures().read_latency) < float(voltage.figures().read_latency)
    sram = from_nvsim_cfg(NVSIM_DATA / "sram_22nm_256x256_w64.cfg")
    with pytest.raises(ValueError, match="sensing = 'current' needs an MTJ cell"):
        sram.to_memory(sensing="current")


def test_bad_schemes_are_named():
    with pytest.raises(DesignError, match="circuit.sensing"):
        Design().with_values({"circuit.sensing": "charge"})
    with pytest.raises(ValueError, match="sensing = 'charge'"):
        Accelerator().replace(memory={"sensing": "charge"})
    cell = steps.memory_spec(Design(), "sram").bitcell(28)
    with pytest.raises(ValueError, match="needs an MTJ cell"):
        Memory(cell, 4096, 32, sensing="current")
    with pytest.raises(ValueError, match="needs an MTJ cell"):
        Array(cell, 128, 128, 32, sensing="current")
