"""The organisation search: exact on what it considers, pruning only what cannot win."""

import numpy as np
import pytest

from spinaps.circuit import TARGETS, Array, Memory, SRAMBitcell, search_organisation, technology
from spinaps.circuit.search import candidate_organisations
from spinaps.circuit.validation import nvsim_sample_cell

T22 = technology(22)
FIG = ("area", "read_latency", "write_latency", "read_energy", "write_energy", "leakage")
SRAM = SRAMBitcell(T22)


@pytest.fixture(scope="module")
def mtj():
    return nvsim_sample_cell()


def _value(ds, target):
    return float(ds.read_energy * ds.read_latency) if target == "read_edp" else float(ds[target])


@pytest.mark.parametrize("target", ["read_edp", "read_latency", "area", "leakage"])
def test_searched_organisation_is_never_worse_than_a_forced_one(mtj, target):
    """The search's best, forced and recomputed by Memory, is no worse on its target than
    any candidate it considered, evaluated or pruned (20 drawn with a fixed seed, each
    forced and recomputed: the same code, so 1e-9 relative for float noise)."""
    result = search_organisation(mtj, 16 * 1024, 64, target)
    best = _value(Memory(mtj, 16 * 1024, 64, result.organisation).figures(), target)
    assert best == pytest.approx(float(result.candidates.objective[result.candidates.attrs["best"]]), rel=1e-9, abs=0)
    orgs = result.organisations()
    rng = np.random.default_rng(15)
    for i in rng.choice(len(orgs), size=min(20, len(orgs)), replace=False):
        forced = _value(Memory(mtj, 16 * 1024, 64, orgs[i]).figures(), target)
        assert forced >= best * (1 - 1e-9)


@pytest.mark.parametrize("target", ["read_energy", "read_edp", "area"])
def test_lower_bound_holds_and_prunes(mtj, target):
    """Every candidate computed after the first round was scheduled on a bound; its
    exact value is at least that bound (a bad bound fails here), and every pruned
    candidate's final bound is at least the best value: the pruning loses nothing.
    1e-12 relative: the bound and the value are the same sums in another order."""
    r = search_organisation(mtj, 16 * 1024, 64, target)
    c = r.candidates
    done = np.isfinite(c.objective.values)
    bounded = done & np.isfinite(c.lower_bound.values)
    assert bounded.sum() > 0 and (~done).sum() > 0  # both the bound and the pruning are exercised
    assert np.all(c.objective.values[bounded] >= c.lower_bound.values[bounded] * (1 - 1e-12))
    assert np.all(c.lower_bound.values[~done] >= float(np.nanmin(c.objective.values)))
    assert c.attrs["subarrays_evaluated"] < c.attrs["subarrays_considered"]


@pytest.mark.parametrize("target", ["read_edp", "read_latency", "area", "leakage"])
def test_exhaustive_search_agrees(mtj, target):
    """Every candidate evaluated (``prune=False``) gives the same best organisation as
    the branch and bound, and the same values where both computed (the same code:
    exact equality)."""
    fast = search_organisation(mtj, 16 * 1024, 64, target)
    full = search_organisation(mtj, 16 * 1024, 64, target, prune=False)
    assert np.all(np.isfinite(full.candidates.objective.values))
    assert full.candidates.attrs["subarrays_evaluated"] == full.candidates.attrs["subarrays_considered"]
    assert fast.organisation == full.organisation
    a, b = fast.candidates.objective.values, full.candidates.objective.values
    done = np.isfinite(a)
    np.testing.assert_array_equal(a[done], b[done])


def test_memory_without_organisation_uses_the_search():
    m = Memory(SRAM, 8 * 1024, 64, target="read_latency")
    ds = m.figures()
    assert ds.attrs["organisation"] == "searched for read_latency"
    r = search_organisation(SRAM, 8 * 1024, 64, "read_latency")
    assert float(ds.read_latency) == pytest.approx(float(np.nanmin(r.candidates.objective)), rel=1e-9, abs=0)


def test_two_workers_give_the_same_answer():
    """Two processes share the sub-arrays: the same best and the same values where both
    evaluated (their rounds differ in size, so the pruning may differ)."""
    one = search_organisation(SRAM, 8 * 1024, 64, "area")
    two = search_organisation(SRAM, 8 * 1024, 64, "area", workers=2)
    assert one.organisation == two.organisation
    a, b = one.candidates.objective.values, two.candidates.objective.values
    both = np.isfinite(a) & np.isfinite(b)
    assert both.sum() > 0
    np.testing.assert_array_equal(a[both], b[both])


def test_candidates_tile_the_capacity():
    c = candidate_organisations(8 * 1024 * 1024 * 8, 512)
    n_sub = c["mats_r"] * c["mats_c"] * c["sub_r"] * c["sub_c"]
    assert np.all(n_sub * c["rows"] * c["cols"] == 8 * 1024 * 1024 * 8)
    n_active = c["active_mats_r"] * c["active_mats_c"] * c["active_sub_r"] * c["active_sub_c"]
    assert np.all(n_active * c["cols"] // c["sense_amp_mux"] == 512)


def test_each_target_is_searchable():
    for target in TARGETS:
        assert search_organisation(SRAM, 4 * 1024, 32, target).organisation.word_bits == 32


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(max_mats=5000), r"^max_mats = 5000 must be an integer in \[1, 4096\]"),
        (dict(max_mats=48), r"^max_mats = 48 must be a power of two in \[1, 4096\]$"),
        (dict(max_sense_amp_mux=12), r"^max_sense_amp_mux = 12 must be a power of two in \[1, 1024\]$"),
        (dict(rows=256), r"^rows = 256 must be a pair \(lowest, highest\) of powers of two in \[4, 8192\]$"),
        (dict(cols=(32, 100)), r"^cols\[1\] = 100 must be a power of two in \[4, 8192\]$"),
        (dict(workers=0), r"^workers = 0 must be an integer in \[1, 64\]"),
    ],
)
def test_search_input_errors_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        search_organisation(SRAM, 8192, 64, **kwargs)


def test_search_errors_are_named():
    with pytest.raises(ValueError, match=r"no organisation of 64 B .* widen the bounds"):
        search_organisation(SRAM, 64, 64, rows=(2048, 2048))
    with pytest.raises(ValueError, match=r"target = 'fast'"):
        search_organisation(SRAM, 8192, 64, "fast")


@pytest.mark.parametrize("predecoded", [True, False])
def test_array_figures_grow_with_rows(mtj, predecoded):
    """The search's bound relies on every Array figure being nondecreasing in the rows
    at fixed columns and sense amplifiers (longer bitlines, more decoder stages, more
    cells), and so are the periphery's area and leakage; checked on both cells over
    32-2048 rows, as the memory builds them (predecoded) and stand-alone (a float
    margin of 1e-12)."""
    for cell in (SRAM, mtj):
        for cols, sensed in ((256, 64), (1024, 32), (64, 64)):
            prev = None
            for rows in (32, 64, 128, 256, 512, 1024, 2048):
                ds = Array(cell, rows, cols, sensed, predecoded=predecoded).figures()
                totals = [float(ds[k]) for k in FIG]
                totals += [float(ds.area - ds.area_breakdown.sel(area_component="cells"))]
                totals += [float(ds.leakage - ds.leakage_breakdown.sel(leakage_component="cells"))]
                if prev is not None:
                    assert all(t >= p * (1 - 1e-12) for t, p in zip(totals, prev)), (cols, sensed, rows)
                prev = totals


def test_exhaustive_search_agrees_on_the_8mb_sample():
    """NVSim's 8 MB sample cache (its cell read at 0.03 V, as the validation table):
    every one of the 254 distinct sub-arrays evaluated gives the branch and bound's best
    organisation, and the same read EDP (the same code: exact equality)."""
    import warnings
    from dataclasses import replace

    from spinaps.circuit import from_nvsim_cfg
    from spinaps.circuit.memory_validation import NVSIM_RUNS
    from spinaps.circuit.validation import NVSIM_DATA

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the cache's tag array, the cell's set/reset
        cfg = from_nvsim_cfg(NVSIM_DATA / "sample_STTRAM_cache.cfg")
        cell = replace(cfg.to_bitcell(), v_read=NVSIM_RUNS["sample_STTRAM_cache"])
    fast = search_organisation(cell, cfg.capacity, cfg.word_width, "read_edp")
    full = search_organisation(cell, cfg.capacity, cfg.word_width, "read_edp", prune=False)
    assert full.candidates.attrs["subarrays_evaluated"] == full.candidates.attrs["subarrays_considered"]
    assert fast.candidates.attrs["subarrays_evaluated"] < fast.candidates.attrs["subarrays_considered"]
    assert fast.organisation == full.organisation
    best = fast.candidates.attrs["best"]
    assert float(fast.candidates.objective[best]) == float(np.nanmin(full.candidates.objective))


def test_worker_pool_falls_back_to_spawn_without_fork(monkeypatch):
    """Where the platform has no ``fork`` (Windows; macOS by policy), the pool is spawned
    instead of failing; one worker needs no pool at all."""
    import multiprocessing

    from spinaps.circuit.memory import subarray_pool

    cell = SRAM.figures()
    assert subarray_pool(SRAM, cell, None, 1) is None
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    pool = subarray_pool(SRAM, cell, None, 2)
    try:
        assert pool._mp_context.get_start_method() == "spawn"
    finally:
        pool.shutdown()
