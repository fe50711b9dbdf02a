"""Memories built from NVSim's own files, side by side with NVSim's printed results.

The runs are this project's NVSim reference set (spinaps/data/nvsim and its out/ folder:
NVSim's printed results for exactly those files).  Tolerances: the target is ours /
NVSim within [1/1.5, 1.5] on every figure; a figure outside it must be named, with its
cause, in :data:`spinaps.circuit.memory_validation.CAUSES`, and must lie on the side
that cause says (so a stale cause fails too).
"""

import warnings

import pytest

from spinaps.circuit import Organisation, from_nvsim_cfg
from spinaps.circuit.memory_validation import CAUSES, NVSIM_RUNS, TARGET, nvsim_memory_table
from spinaps.circuit.nvsim_output import read_nvsim_output
from spinaps.circuit.validation import NVSIM_DATA, NVSIM_SAMPLE_V_READ


@pytest.fixture(scope="module")
def table():
    return nvsim_memory_table()


def test_every_run_is_compared(table):
    assert set(table.run) == set(NVSIM_RUNS)
    assert set(zip(table.run, table.organisation, table.figure)) >= set(CAUSES)


def test_each_figure_is_within_target_or_its_cause_holds(table):
    """Within [1/1.5, 1.5] of NVSim, or outside on the side its named cause predicts."""
    for row in table.itertuples():
        where = f"{row.run} ({row.organisation}) {row.figure}: ratio {row.ratio:.3g}"
        if row.expected == "within":
            assert 1 / TARGET <= row.ratio <= TARGET, where
        elif row.expected == "low":
            assert row.ratio < 1 / TARGET, where
        else:
            assert row.expected == "high" and row.ratio > TARGET, where


def test_the_8mb_sample_agrees_where_the_hierarchy_decides(table):
    """NVSim's 8 MB sample cache on NVSim's organisation (32 mats of 2 x 2 sub-arrays,
    16 active): area, both energies and the write latency within 1.5x -- the H-tree is
    62 % of NVSim's read energy, so the hierarchy decides these."""
    rows = table[(table.run == "sample_STTRAM_cache") & (table.organisation == "NVSim's")].set_index("figure")
    for figure in ("area", "read_energy", "write_energy", "write_latency"):
        assert 1 / TARGET <= rows.ratio[figure] <= TARGET, figure


#: NVSim's global wire of the 8 MB sample (GlobalWireType GlobalAggressive at 22 nm and
#: the file's 350 K), r [ohm/m] and c [F/m], as NVSim computes them from its ITRS
#: geometry (``Wire.cpp``, commit 6334d00); with them NVSim's printed H-tree read latency
#: (971.99 ps) is reproduced from its rule and segment lengths.  Not CACTI 7's wire of
#: our Technology (1.645 ohm/um, 0.260 fF/um).
NVSIM_22NM_GLOBAL_WIRE = (2.023568e6, 2.9446156e-10)


def test_htree_energy_and_latency_against_nvsim():
    """The 8 MB sample's H-tree alone.  Energy: the routed bits of every active branch
    switching once per access, c l V^2 on each tool's own wires (ours CACTI 7's c and
    V_dd 0.8 V, NVSim's its own c, 0.88x ours, and 0.9 V), so within 1.5x.  Latency of
    the wires: NVSim's rule is 2.3 r c l^2 / 2 = 1.15 r c l^2 (the 90 % point), ours
    0.38 r c l^2 (the 50 % point), so the expected ratio is 0.38 / 1.15 = 0.33 times the
    ratio of the wires' r c (0.72) times the square of the ratio of the banks'
    half-perimeters (the tree's wires span them; NVSim's bank is 2.179 x 1.012 mm as
    printed); within 1.2x of that for the rest of the geometry (the split of the
    lengths between horizontal and vertical levels, and our levels inside the mats:
    3 % measured)."""
    from dataclasses import replace

    from spinaps.circuit import Memory

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cfg = from_nvsim_cfg(NVSIM_DATA / "sample_STTRAM_cache.cfg")
        cell = replace(cfg.to_bitcell(), v_read=NVSIM_RUNS["sample_STTRAM_cache"])
    theirs = read_nvsim_output(NVSIM_DATA / "out" / "sample_STTRAM_cache.out")
    ds = Memory(cell, cfg.capacity, cfg.word_width, theirs.organisation).figures()
    e = float(ds.read_energy_breakdown.sel(read_energy_component="htree"))
    t = float(ds.read_latency_breakdown.sel(read_latency_component="htree"))
    assert 1 / TARGET <= e / theirs.htree_read_energy <= TARGET
    span = (float(ds.width) + float(ds.height)) / (2.179e-3 + 1.012e-3)
    r, c = NVSIM_22NM_GLOBAL_WIRE
    rc = cell.tech.wire_r_global * cell.tech.wire_c_global / (r * c)
    expected = 0.38 / 1.15 * rc * span**2
    assert expected / 1.2 <= t / theirs.htree_read_latency <= expected * 1.2


@pytest.mark.parametrize("run", [r for r in NVSIM_RUNS if r.endswith("_w64") and "free" not in r and "cache" not in r])
def test_forced_configurations_give_nvsim_s_organisation(run):
    """ForceBank, ForceMat and ForceMuxSenseAmp of the file build the organisation NVSim
    printed for it (an exact match of integers)."""
    cfg = from_nvsim_cfg(NVSIM_DATA / f"{run}.cfg")
    assert cfg.to_organisation() == read_nvsim_output(NVSIM_DATA / "out" / f"{run}.out").organisation


def test_free_configuration_searches_for_its_target():
    cfg = from_nvsim_cfg(NVSIM_DATA / "mtj_22nm_8kB_w64_free.cfg")
    assert cfg.to_organisation() is None
    memory = cfg.to_memory(v_read=NVSIM_SAMPLE_V_READ)
    assert memory.target == "read_edp" and memory.organisation.word_bits == 64
    assert memory.organisation.capacity_bits == 8 * 8192
    assert memory.searched_for == "read_edp"
    assert memory.figures().attrs["organisation"] == "searched for read_edp"
    forced = from_nvsim_cfg(NVSIM_DATA / "mtj_22nm_256x256_w64.cfg").to_memory(v_read=NVSIM_SAMPLE_V_READ)
    assert forced.searched_for is None and forced.figures().attrs["organisation"] == "forced"


def test_cache_configuration_warns_that_the_tag_array_is_left_out(tmp_path):
    """A cache design builds its data array (capacity and line as the word), with a warning."""
    text = (NVSIM_DATA / "mtj_22nm_256x256_w64.cfg").read_text().replace("-DesignTarget: RAM", "-DesignTarget: cache")
    cfg = from_nvsim_cfg(write(tmp_path, "c.cfg", text))
    with pytest.warns(UserWarning, match="the data array is modelled"):
        memory = cfg.to_memory(v_read=NVSIM_SAMPLE_V_READ)
    assert memory.organisation == Organisation(256, 256, sense_amp_mux=4)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    (tmp_path / "mtj_nvsim2013.cell").write_text((NVSIM_DATA / "mtj_nvsim2013.cell").read_text())
    return path


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("-ForceMat (Total AxB, Active CxD): 1x1, 1x1\n", "", r"ForceBank, ForceMuxSenseAmp forced but not ForceMat"),
        ("-DesignTarget: RAM", "-DesignTarget: CAM", r"DesignTarget = 'CAM' is not modelled; allowed: RAM, cache"),
        ("-Routing: H-tree", "-Routing: non-H-tree", r"Routing = 'non-H-tree' is not modelled; allowed: H-tree"),
        (
            "-GlobalWireRepeaterType: RepeatedNone",
            "-GlobalWireRepeaterType: Repeated5%Penalty",
            r"GlobalWireRepeaterType = 'Repeated5%Penalty' is not modelled; allowed: RepeatedNone, RepeatedOpt",
        ),
        (
            "-ForceMuxSenseAmp: 4",
            "-ForceMuxSenseAmp: 4\n-ForceMuxOutputLev1: 512",
            r"Capacity = 8192 B is not a whole number of rows",
        ),
    ],
)
def test_unmodelled_configurations_are_named(tmp_path, old, new, match):
    text = (NVSIM_DATA / "mtj_22nm_256x256_w64.cfg").read_text().replace("-ForceMuxOutputLev1: 1\n", "")
    assert old in text
    cfg = from_nvsim_cfg(write(tmp_path, "c.cfg", text.replace(old, new)))
    with pytest.raises(ValueError, match=match):
        cfg.to_memory(v_read=NVSIM_SAMPLE_V_READ)


def test_unmodelled_optimisation_target_is_named(tmp_path):
    text = (NVSIM_DATA / "mtj_22nm_8kB_w64_free.cfg").read_text().replace("ReadEDP", "WriteEDP")
    cfg = from_nvsim_cfg(write(tmp_path, "c.cfg", text))
    with pytest.raises(ValueError, match=r"OptimizationTarget = 'WriteEDP' is not modelled; allowed: ReadLatency"):
        cfg.to_memory()


def test_nvsim_output_reader(tmp_path):
    """Numbers as printed in NVSim's 8 MB sample output, converted to SI (exact up to
    float conversion: 1e-12 relative)."""
    r = read_nvsim_output(NVSIM_DATA / "out" / "sample_STTRAM_cache.out")
    assert r.area == pytest.approx(2.204e-6, rel=1e-12, abs=0)
    assert r.read_latency == pytest.approx(3.121e-9, rel=1e-12, abs=0)
    assert r.write_energy == pytest.approx(763.999e-12, rel=1e-12, abs=0)
    assert r.leakage == pytest.approx(1.005, rel=1e-12, abs=0)
    assert r.organisation == Organisation(
        1024, 512, mats=(8, 4), active_mats=(1, 4), subarrays=(2, 2), active_subarrays=(2, 2), sense_amp_mux=16
    )
    with pytest.raises(FileNotFoundError, match="nothing.out"):
        read_nvsim_output(tmp_path / "nothing.out")
    (tmp_path / "cut.out").write_text("Bank Organization: 1 x 1\n")
    with pytest.raises(ValueError, match=r"cut.out: NVSim entry 'area' not found"):
        read_nvsim_output(tmp_path / "cut.out")


def test_repeated_global_wires_are_honoured(tmp_path):
    text = (NVSIM_DATA / "mtj_22nm_256x256_w64.cfg").read_text()
    text = text.replace("-GlobalWireRepeaterType: RepeatedNone", "-GlobalWireRepeaterType: RepeatedOpt")
    memory = from_nvsim_cfg(write(tmp_path, "c.cfg", text)).to_memory(v_read=NVSIM_SAMPLE_V_READ)
    assert memory.repeaters == "optimal"


def test_current_sensing_removes_most_of_the_read_latency_growth():
    """With the clamped current-sense read (sensing='current') our MTJ read latency on
    NVSim's organisations no longer settles through the cell: the 1024 x 1024 sub-array
    and the 8 MB sample come within 1.5x of NVSim (measured 1.10 and 1.05; 2.30 and 2.70
    with the default), and the 256 x 256 one falls below NVSim's fixed 1.45 ns sense
    amplifier (0.47; the growth with the rows that remains is our precharge, which NVSim
    leaves out).  Less sensing time costs less cell current: both read energies fall."""
    runs = ["mtj_22nm_256x256_w64", "mtj_22nm_1024x1024_w64", "sample_STTRAM_cache"]
    cur = nvsim_memory_table(runs, search=False, sensing="current").set_index(["run", "figure"]).ratio
    vol = nvsim_memory_table(runs, search=False).set_index(["run", "figure"]).ratio
    for run in runs[1:]:
        assert 1 / TARGET <= cur[(run, "read_latency")] <= TARGET, run
        assert cur[(run, "read_latency")] < vol[(run, "read_latency")], run
        assert cur[(run, "read_energy")] < vol[(run, "read_energy")], run
    assert cur[(runs[0], "read_latency")] < 1 / TARGET


def test_sram_against_cacti_on_its_own_organisation():
    """CACTI 7's 8 kB SRAM at 32 nm on its forced organisation (2 x 2 sub-arrays of
    128 x 128, all active, mux 8): every figure CACTI prints within 1.5x (measured: area
    0.80, read latency 1.22, read energy 1.40, write energy 1.17, leakage 1.15), and the
    bitline read energy by CACTI's rules, 2 C V_dd dV, within 1.5x of CACTI's "Bitlines"
    1.477 pJ (measured 0.78; 0.44 with the former C V_dd dV rule)."""
    from spinaps.circuit import Memory, SRAMBitcell, technology
    from spinaps.circuit.memory_validation import CACTI_8KB, cacti_memory_table

    t = cacti_memory_table()
    assert set(t.figure) == set(CACTI_8KB)
    for row in t.itertuples():
        assert 1 / TARGET <= row.ratio <= TARGET, f"{row.figure}: {row.ratio:.3g}"
    org = Organisation(128, 128, subarrays=(2, 2), active_subarrays=(2, 2), sense_amp_mux=8)
    ds = Memory(SRAMBitcell(technology(32)), 8 * 1024, 64, org).figures()
    bitlines = float(ds.read_energy_breakdown.sel(read_energy_component="bitline"))
    assert 1 / TARGET <= bitlines / 1.47657e-12 <= TARGET
