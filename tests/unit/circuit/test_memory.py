"""The memory hierarchy (mats, banks, predecoders, H-tree, output drivers) above Array."""

from dataclasses import replace

import numpy as np
import pytest

from spinaps.circuit import Array, Memory, Organisation, SRAMBitcell, technology
from spinaps.circuit.validation import nvsim_sample_cell
from spinaps.provenance import missing_units

T22 = technology(22)
SRAM = SRAMBitcell(T22)
FIGURES = ("area", "read_latency", "write_latency", "read_energy", "write_energy", "leakage")


@pytest.fixture(scope="module")
def mtj():
    return nvsim_sample_cell()


def test_breakdowns_sum_to_totals_and_carry_units(mtj):
    """Each total is the sum of its components (float sums: 1e-12 relative) and every
    variable has units (DESIGN.md convention 3)."""
    org = Organisation(256, 256, mats=(2, 1), active_mats=(1, 1), subarrays=(2, 2), sense_amp_mux=4)
    for cell in (SRAM, mtj):
        ds = Memory(cell, 64 * 1024, 64, org).figures()
        assert missing_units(ds) == []
        for name in FIGURES:
            assert float(ds[f"{name}_breakdown"].sum()) == pytest.approx(float(ds[name]), rel=1e-12)
        assert set(ds.read_energy_component.values) >= {"htree", "output_drivers", "predecoders", "sense_amp"}


def test_one_subarray_is_the_array_plus_its_predecoder(mtj):
    """A memory of one sub-array has no H-tree: its figures are the Array's plus the
    predecoder (exact composition: 1e-12 relative), and the MTJ cell's device error
    rates pass through (word error 1 - (1 - p)^w of the Array's bit error)."""
    for cell in (SRAM, mtj):
        ds = Memory(cell, 8192, 64, Organisation(256, 256, sense_amp_mux=4)).figures()
        a = Array(cell, 256, 256, 64).figures()
        for name in ("read_energy", "write_energy", "read_latency", "write_latency"):
            comp = f"{name}_component"
            assert float(ds[f"{name}_breakdown"].sel({comp: "htree"})) == 0.0
            assert float(ds[f"{name}_breakdown"].sel({comp: "output_drivers"})) == 0.0
            pred = float(ds[f"{name}_breakdown"].sel({comp: "predecoders"}))
            assert float(ds[name]) == pytest.approx(float(a[name]) + pred, rel=1e-12)
        p = float(a.bit_read_error)
        assert float(ds.word_read_error) == pytest.approx(-np.expm1(64 * np.log1p(-p)), rel=1e-12)
    assert float(Memory(mtj, 8192, 64, Organisation(256, 256, sense_amp_mux=4)).figures().bit_write_error) > 0


def test_more_mats_cost_htree_energy_and_latency():
    """At a fixed capacity, cutting the memory into more mats lengthens and multiplies
    the H-tree: its energy and latency rise strictly with the mats."""
    e, t = [], []
    for mats, rows in (((1, 1), 2048), ((2, 2), 512), ((4, 4), 128), ((8, 8), 32)):
        ds = Memory(SRAM, 128 * 1024, 64, Organisation(rows, 512, mats=mats, sense_amp_mux=8)).figures()
        e.append(float(ds.read_energy_breakdown.sel(read_energy_component="htree")))
        t.append(float(ds.read_latency_breakdown.sel(read_latency_component="htree")))
    assert e[0] == t[0] == 0.0
    assert np.all(np.diff(e) > 0) and np.all(np.diff(t) > 0)


def test_capacity_scaling():
    """Quadrupling the mats of a fixed sub-array quadruples the cells: area and leakage
    scale by 4 within 10 % (the H-tree's drivers add a little), while the read energy
    grows by less than 4 (only one sub-array is read; the H-tree grows) and the read
    latency grows (longer H-tree)."""
    prev = None
    for mats in ((1, 1), (2, 2), (4, 4), (8, 8)):
        n = mats[0] * mats[1]
        ds = Memory(SRAM, n * 8192, 64, Organisation(256, 256, mats=mats, sense_amp_mux=4)).figures()
        if prev is not None:
            assert float(ds.area) / float(prev.area) == pytest.approx(4.0, rel=0.1)
            assert float(ds.leakage) / float(prev.leakage) == pytest.approx(4.0, rel=0.1)
            assert 1.0 < float(ds.read_energy) / float(prev.read_energy) < 4.0
            assert float(ds.read_latency) > float(prev.read_latency)
        prev = ds


def test_active_subarrays_share_the_word(mtj):
    """Four active sub-arrays each read a quarter of the word: the sense amplifiers of
    the access are the same in number, so the sense-amplifier energy is the same as one
    sub-array reading the whole word (exact: 1e-12 relative)."""
    one = Memory(mtj, 128 * 1024, 64, Organisation(256, 1024, subarrays=(2, 2), sense_amp_mux=16)).figures()
    four = Memory(
        mtj, 128 * 1024, 64, Organisation(1024, 256, subarrays=(2, 2), active_subarrays=(2, 2), sense_amp_mux=16)
    ).figures()
    sel = dict(read_energy_component="sense_amp")
    assert float(four.read_energy_breakdown.sel(sel)) == pytest.approx(float(one.read_energy_breakdown.sel(sel)))


def test_banks_replicate_area_and_leakage():
    """Two banks of the same organisation: twice the area and leakage (exact), the same
    access energy apart from one address bit fewer per bank."""
    org = Organisation(256, 256, mats=(2, 2), sense_amp_mux=4)
    one = Memory(SRAM, 32 * 1024, 64, org).figures()
    two = Memory(SRAM, 64 * 1024, 64, replace(org, banks=2)).figures()
    assert float(two.area) == pytest.approx(2 * float(one.area), rel=1e-12)
    assert float(two.leakage) == pytest.approx(2 * float(one.leakage), rel=1e-12)
    assert float(two.read_energy) == pytest.approx(float(one.read_energy), rel=1e-12)


def test_repeaters_speed_up_a_large_htree():
    """A 4 MB SRAM's H-tree spans millimetres: optimal repeaters make it faster."""
    org = Organisation(1024, 1024, mats=(16, 16), sense_amp_mux=16)
    none = Memory(SRAM, 32 * 1024 * 1024, 64, org).figures()
    rep = Memory(SRAM, 32 * 1024 * 1024, 64, org, repeaters="optimal").figures()
    sel = dict(read_latency_component="htree")
    assert float(rep.read_latency_breakdown.sel(sel)) < float(none.read_latency_breakdown.sel(sel))


def test_access_pattern_weights_reads_and_writes():
    org = Organisation(256, 256, sense_amp_mux=4)
    ds = Memory(SRAM, 8192, 64, org, read_fraction=0.25).figures()
    expected = 0.25 * float(ds.read_energy) + 0.75 * float(ds.write_energy)
    assert float(ds.access_energy) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(rows=100, cols=256), r"rows = 100 must be a power of two in \[4, 8192\]"),
        (dict(rows=256, cols=256, mats=(3, 1)), r"mats = \(3, 1\) must be a pair \(rows, columns\) of powers of two"),
        (dict(rows=256, cols=256, active_mats=(2, 1)), r"active_mats = \(2, 1\) must be at most mats = \(1, 1\)"),
        (dict(rows=256, cols=256, sense_amp_mux=3), r"sense_amp_mux = 3 must be a power of two"),
        (dict(rows=256, cols=16, sense_amp_mux=8, output_mux=4), r"sense_amp_mux x output_mux = 32 must divide cols"),
    ],
)
def test_bad_organisation_is_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Organisation(**kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((1001, 64), {}, r"capacity = 1001 B \(8008 bits\) is not a multiple of word_bits = 64"),
        ((8192, 48), {}, r"word_bits = 48 must be a power of two"),
        ((8192, 64), dict(organisation=Organisation(512, 256, sense_amp_mux=4)), r"holds 131072 bits .* 65536 bits"),
        ((8192, 64), dict(organisation=Organisation(256, 256, sense_amp_mux=2)), r"reads 128 bits per access"),
        ((8192, 64), dict(target="speed"), r"target = 'speed'; allowed: read_latency"),
        ((8192, 64), dict(read_fraction=1.5), r"read_fraction"),
    ],
)
def test_bad_memory_input_is_named(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        Memory(SRAM, *args, **kwargs)


def test_memory_refuses_other_cells():
    with pytest.raises(TypeError, match="bitcell must be an MTJBitcell or SRAMBitcell"):
        Memory("sram", 8192, 64)
