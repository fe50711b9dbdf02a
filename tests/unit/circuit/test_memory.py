"""The memory hierarchy (mats, banks, predecoders, H-tree, output drivers) above Array."""

from dataclasses import replace

import numpy as np
import pytest

from spinaps.circuit import Array, Memory, Organisation, SRAMBitcell, technology
from spinaps.circuit.htree import wire_segment
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
            assert float(ds[f"{name}_breakdown"].sum()) == pytest.approx(float(ds[name]), rel=1e-12, abs=0)
        assert set(ds.read_energy_component.values) >= {"htree", "output_drivers", "predecoders", "sense_amp"}


def test_one_subarray_is_the_array_plus_its_predecoder(mtj):
    """A memory of one sub-array has no H-tree: its figures are the predecoded Array's
    (final NAND stage only) plus the predecoder (exact composition: 1e-12 relative),
    and the MTJ cell's device error rates pass through (word error 1 - (1 - p)^w of the
    Array's bit error)."""
    for cell in (SRAM, mtj):
        ds = Memory(cell, 8192, 64, Organisation(256, 256, sense_amp_mux=4)).figures()
        a = Array(cell, 256, 256, 64, predecoded=True).figures()
        for name in ("read_energy", "write_energy", "read_latency", "write_latency"):
            comp = f"{name}_component"
            assert float(ds[f"{name}_breakdown"].sel({comp: "htree"})) == 0.0
            assert float(ds[f"{name}_breakdown"].sel({comp: "output_drivers"})) == 0.0
            pred = float(ds[f"{name}_breakdown"].sel({comp: "predecoders"}))
            assert float(ds[name]) == pytest.approx(float(a[name]) + pred, rel=1e-12, abs=0)
        p = float(a.bit_read_error)
        assert float(ds.word_read_error) == pytest.approx(-np.expm1(64 * np.log1p(-p)), rel=1e-12, abs=0)
    assert float(Memory(mtj, 8192, 64, Organisation(256, 256, sense_amp_mux=4)).figures().bit_write_error) > 0


@pytest.mark.parametrize("rows", [64, 256, 1024])
def test_the_row_address_is_predecoded_once(rows):
    """The mat's predecoder replaces the sub-array's predecode stages: the memory's
    sub-array row path is the predecoded Array's (its final NAND2 and the driver),
    ceil(log2(rows) / 2) - 1 NAND2 stages fewer than a stand-alone Array's, so
    predecoding is not counted twice (exact composition: 1e-12 relative)."""
    org = Organisation(rows, 256, sense_amp_mux=4)
    ds = Memory(SRAM, rows * 256 // 8, 64, org).figures()
    alone = Array(SRAM, rows, 256, 64).figures()
    pre = Array(SRAM, rows, 256, 64, predecoded=True).figures()
    own = ["decoder", "wordline", "column_decoder"]  # the ramp into the driver differs too
    sel = dict(read_latency_component=own)

    def part(x):
        return float(x.read_latency_breakdown.sel(sel).sum())

    assert part(ds) == pytest.approx(part(pre), rel=1e-12, abs=0)
    stages = np.ceil(np.log2(rows) / 2)
    # each predecode stage is a NAND2 into four NAND2 inputs: at least its step delay
    c_in = T22.c_gate * (2 + T22.r_eff_p / T22.r_eff_n) * T22.feature_size
    step = 0.69 * T22.r_eff_n / T22.feature_size * 4 * c_in
    assert part(alone) - part(pre) >= (stages - 1) * step
    # the whole read: the stand-alone Array less its predecode stages, plus the predecoder
    pred = float(ds.read_latency_breakdown.sel(read_latency_component="predecoders"))
    expected = float(alone.read_latency) - part(alone) + part(pre) + pred
    assert float(ds.read_latency) == pytest.approx(expected, rel=1e-12, abs=0)


def test_active_subarrays_split_on_their_own_levels():
    """Two mats side by side (one active), each of two sub-arrays side by side (both
    active): the word passes the mat node whole (one address bit consumed) and splits at
    the sub-array node, below the last wire; so both levels carry A + D and A - 1 + D
    bits on one branch (A = log2(4096 words) = 12 address bits, D = 64).  The H-tree and output-driver
    energies are those sums over NVSim's segment lengths 2 w and w (w the sub-array
    pitch, bank width / 4): exact composition, 1e-12 relative.  Splitting at the top
    (the old rule) would give 2 (A + D/2) on the top level.  (``abs=0``: pytest's
    default absolute tolerance of 1e-12 would admit any pJ-scale value.)"""
    org = Organisation(256, 256, mats=(1, 2), subarrays=(1, 2), active_subarrays=(1, 2), sense_amp_mux=8)
    ds = Memory(SRAM, 4 * 256 * 256 // 8, 64, org).figures()
    w = float(ds.width) / 4
    seg = wire_segment(T22, [2 * w, w])
    a, d = 12, 64
    bits = np.array([a + d, a - 1 + d])
    sel = "read_energy_component"
    htree = float(ds.read_energy_breakdown.sel({sel: "htree"}))
    drivers = float(ds.read_energy_breakdown.sel({sel: "output_drivers"}))
    assert htree == pytest.approx(float(np.sum(bits * seg["wire_energy"])), rel=1e-12, abs=0)
    assert drivers == pytest.approx(float(np.sum(bits * seg["driver_energy"])), rel=1e-12, abs=0)


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
    """Quadrupling the mats of a fixed sub-array quadruples the cells exactly (1e-12);
    the total area and leakage grow by at least 4 (the sub-arrays replicate, the H-tree's
    drivers only add) and at most 4.2 (the drivers and predecoders are a few per cent of
    a 256 x 256 SRAM mat; a band, not a fit).  One sub-array is read at any size, so its
    own read-energy components are unchanged (1e-12), while the H-tree's read energy
    and the read latency grow."""
    prev = None
    own = ("decoder", "wordline", "precharge", "bitline", "cells", "sense_amp")
    for mats in ((1, 1), (2, 2), (4, 4), (8, 8)):
        n = mats[0] * mats[1]
        ds = Memory(SRAM, n * 8192, 64, Organisation(256, 256, mats=mats, sense_amp_mux=4)).figures()
        if prev is not None:
            cells = [float(x.area_breakdown.sel(area_component="cells")) for x in (ds, prev)]
            assert cells[0] == pytest.approx(4 * cells[1], rel=1e-12, abs=0)
            assert 4.0 <= float(ds.area) / float(prev.area) <= 4.2
            assert 4.0 <= float(ds.leakage) / float(prev.leakage) <= 4.2
            sel = dict(read_energy_component=list(own))
            np.testing.assert_allclose(
                ds.read_energy_breakdown.sel(sel).values, prev.read_energy_breakdown.sel(sel).values, rtol=1e-12
            )
            htree = [float(x.read_energy_breakdown.sel(read_energy_component="htree")) for x in (ds, prev)]
            assert htree[0] > htree[1]
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
    assert float(four.read_energy_breakdown.sel(sel)) == pytest.approx(
        float(one.read_energy_breakdown.sel(sel)), rel=1e-12, abs=0
    )


def test_banks_replicate_area_and_leakage():
    """Two banks of the same organisation: twice the area and leakage, and the same
    access energy (one bank is accessed and its H-tree routes the same address bits;
    the bank-select bit and inter-bank routing are not modelled): exact composition,
    1e-12 relative."""
    org = Organisation(256, 256, mats=(2, 2), sense_amp_mux=4)
    one = Memory(SRAM, 32 * 1024, 64, org).figures()
    two = Memory(SRAM, 64 * 1024, 64, replace(org, banks=2)).figures()
    assert float(two.area) == pytest.approx(2 * float(one.area), rel=1e-12, abs=0)
    assert float(two.leakage) == pytest.approx(2 * float(one.leakage), rel=1e-12, abs=0)
    assert float(two.read_energy) == pytest.approx(float(one.read_energy), rel=1e-12, abs=0)


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
    assert float(ds.access_energy) == pytest.approx(expected, rel=1e-12, abs=0)


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
