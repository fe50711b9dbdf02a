"""Our circuit figures against published silicon and tools (spinaps.circuit.validation).

A row of :func:`spinaps.circuit.validation.comparison` carries an accepted range of ours /
published where our model's physics says how close it must come (never wider than a
decade), with its reason; those ranges are asserted here.  The other rows carry no range
(a memory of ours against a whole macro whose unmodelled parts take an unpublished share,
a sensing time on an unpublished organisation, or a known gap of the model): their
measured ratios are kept below as regression values with a stated tolerance and reason.
The physics behind the read model is checked against its own equations.
"""

import math
from dataclasses import replace

import pytest

from spinaps.circuit import Array, technology
from spinaps.circuit.array import latch_time
from spinaps.circuit.validation import (
    SEARCH_TARGET,
    Comparison,
    _capacity_bytes,
    _tiled_capacity,
    access2019_memory,
    comparison,
    comparison_table,
    horowitz_sram_memory,
    intel_22ffl_cell,
    intel_22ffl_memory,
    nvsim_sample_cell,
    samsung14_memory,
)

COMPARISONS = comparison()
ROWS = {c.quantity: c for c in COMPARISONS}
BOUNDED = [c for c in COMPARISONS if c.low is not None]

#: The rows without a physical range: ours / published as measured (3 digits), the
#: relative tolerance, and whether ratio < 1 is a physical bound (asserted too).  5 %: a
#: regression guard -- the model is deterministic, so a change beyond 5 % is a model change
#: to be looked at (and this value and the table in docs/circuit.md updated), while
#: corrections of a few per cent to a constant pass.  The energies are of a whole memory of
#: ours (sub-arrays, predecoders, H-tree, output drivers) of the macro's capacity and word,
#: its organisation searched for read EDP; the macros further hold write-verify, charge
#: pumps, reference and bias generation, control and I/O, whose share none of the papers
#: (Patrigeon et al., IEEE Access 2019; Samsung, IEDM 2022; Horowitz, ISSCC 2014) gives:
#: ratio < 1 is the one physical bound.  Intel's sensing time has neither bound: it is set
#: by the bitline of its unpublished sub-array, ours by the one our search picks.
REGRESSION = {
    # one sub-array before (0.0299, 512 x 512, 32-bit); the 128 kB memory, searched for read
    # EDP (32 x 1024 sub-arrays, one active), adds the H-tree and output drivers: 0.0361
    "28 nm macro read energy per bit": (0.0361, 0.05, True),
    # 0.259 -> 0.262: the cell current (96 % of ours) is unchanged, the routing adds 1 %
    "28 nm macro write energy per bit (10 ns)": (0.262, 0.05, True),
    # 0.0311 (the 128 kB sub-array) -> 0.0376 (a 16 Mb memory: longer H-tree)
    "14 nm eMRAM write energy per bit": (0.0376, 0.05, True),
    # 0.230 (one 256 x 256 sub-array) -> 0.246 (8 kB in 4 mats of 32 x 512, the H-tree and
    # output drivers 0.9 pJ, a smaller sub-array part than the 256 x 256 sub-array's)
    "8 kB SRAM 64-bit read energy, 45 nm 0.9 V": (0.246, 0.05, True),
    # new at macro level: 0.568 ns (32-row sub-arrays) against Intel's 4 ns sensing time
    "Intel 22FFL read time at 0.9 V, 8 Mb macro": (0.142, 0.05, False),
}

#: The rows of a whole memory (Comparison.subarray_share set).
MACRO_ROWS = set(REGRESSION)

#: Known discrepancies: shown in the table, recorded here, not accepted.  NVSim's sample
#: cell comes out at 14.6 F^2 against the file's 57.5 F^2: the file takes an 8.5 F access
#: transistor as an input, while our sizing needs 1.36 F for its 40.82 uA on CACTI's 22 nm
#: HP device, so the MTJ pillar's footprint ((40 + 44) / 22)^2 = 14.58 F^2 sets the cell.
#: Tolerance 1 %: that footprint is exact arithmetic, so the ratio moves only if the
#: sizing or the spacing rule changes -- e.g. when the NVSim-class circuit model (the
#: issue this gap is filed under) lands, and then this entry must go.
#: Intel's 22FFL cell: with the cylinder's demagnetising factors the 70 nm benchmark
#: junction's I_c0 is 49 uA (64 uA in the thin-film limit), so 2 I_c0 needs W = 3.27 F,
#: below the 4.5-8.5 F the area rule is calibrated on; 1 %: the same exact footprint
#: arithmetic once the width is fixed.
KNOWN_DISCREPANCIES = {
    "NVSim sample cell area, access width sized by our model": (0.2535, 0.01),
    "Intel 22FFL 1T-1MTJ cell area": (0.267, 0.01),
}


@pytest.fixture(scope="module")
def table():
    """comparison_table(), once for this module (it builds and searches four memories)."""
    return comparison_table()


def test_every_row_states_its_acceptance_and_no_range_spans_more_than_a_decade():
    """Each row either has a range of at most a factor 10 or is a regression value or a
    known discrepancy here (exactly one of these), and says why."""
    assert len(ROWS) == len(COMPARISONS), "duplicate quantities"
    for row in COMPARISONS:
        assert row.reason.strip() and row.assumed.strip(), row.quantity
        kinds = [row.low is not None, row.quantity in REGRESSION, row.quantity in KNOWN_DISCREPANCIES]
        assert sum(kinds) == 1, row.quantity
        assert row.known_discrepancy == (row.quantity in KNOWN_DISCREPANCIES), row.quantity
        if row.low is not None:
            assert 0 < row.low <= row.high <= 10 * row.low, row.quantity
    assert set(REGRESSION) | set(KNOWN_DISCREPANCIES) <= set(ROWS), "a stale entry in this file"


@pytest.mark.parametrize("row", BOUNDED, ids=[c.quantity for c in BOUNDED])
def test_published_figures_within_their_physical_range(row):
    # the range and its reason are stated with each row in validation.comparison
    assert row.agrees, f"{row.quantity}: ours/published = {row.ratio:.4g}, accepted {row.accepted}"


@pytest.mark.parametrize("quantity", list(REGRESSION))
def test_regression_values_of_the_rows_without_a_range(quantity):
    row = ROWS[quantity]
    expected, rel, below_one = REGRESSION[quantity]
    assert row.agrees is None
    if below_one:  # the published macro holds all that ours has and parts ours lacks
        assert row.ratio < 1.0
    assert row.ratio == pytest.approx(expected, rel=rel), f"{quantity}: ours/published = {row.ratio:.4g}"


def test_macro_rows_are_whole_memories_and_say_their_sub_array_share(table):
    """Every macro row is a memory (its sub-array share strictly between 0 and 1: the
    hierarchy adds routing to every access), the other rows are cells or one sub-array
    (no share); the share is also the table's column (NaN elsewhere)."""
    shares = table.set_index("quantity").subarray_share
    for row in COMPARISONS:
        if row.quantity in MACRO_ROWS:
            assert 0.0 < row.subarray_share < 1.0, row.quantity
            assert shares[row.quantity] == row.subarray_share
            assert "searched for read EDP" in row.assumed, row.quantity
        else:
            assert row.subarray_share is None and math.isnan(shares[row.quantity])
    with pytest.raises(ValueError, match="subarray_share"):
        replace(COMPARISONS[0], subarray_share=1.5)


def test_macro_memories_have_the_published_capacity_and_word():
    """Capacities from the literature table (binary prefixes: 1 kB = 1024 B, 1 Mb = 2^20
    bit), rounded up to a power of two where the organisations cannot tile them (Intel's
    7 Mb -> 8 Mb); Horowitz's 64-bit word is published, the others assumed."""
    assert _capacity_bytes("128 kB") == 131072 and _capacity_bytes("7 Mb") == 7 * 2**17
    assert _tiled_capacity("7 Mb") == 2**20 and _tiled_capacity("16 Mb") == 2**21
    expected = {
        intel_22ffl_memory: (2**20, 64),
        access2019_memory: (128 * 1024, 32),
        samsung14_memory: (2**21, 64),
        horowitz_sram_memory: (8 * 1024, 64),
    }
    for build, (capacity, word) in expected.items():
        memory = build()
        assert (memory.capacity, memory.word_bits, memory.organisation) == (capacity, word, None), build.__name__
        assert memory.target == SEARCH_TARGET == "read_edp"
    sram = horowitz_sram_memory().bitcell
    assert (sram.tech.feature_size, sram.tech.vdd) == (45e-9, 0.9)


def test_nvsim_sample_cell_area_is_a_known_discrepancy():
    """Recorded, not accepted (see KNOWN_DISCREPANCIES): the cause is the access width,
    1.36 F from our sizing against the file's 8.5 F (5 %: the alpha-power sizing); at the
    file's own width our area rule gives 57 F^2 (the bounded row next to it)."""
    quantity = "NVSim sample cell area, access width sized by our model"
    row = ROWS[quantity]
    expected, rel = KNOWN_DISCREPANCIES[quantity]
    assert row.known_discrepancy and row.agrees is None
    assert row.ratio == pytest.approx(expected, rel=rel)
    sized = replace(nvsim_sample_cell(), area_f2=None, access_width_f=None).figures()
    assert float(sized.access_width) / 22e-9 == pytest.approx(1.36, rel=0.05)
    assert ROWS["NVSim sample cell area by our rule at its access width (8.5 F)"].agrees


def test_nvsim_sample_cell_read_from_its_file_reproduces_area_and_set_energy():
    """NVSim's 2013 sample cell read from its own file: the cell area is the file's 57.5
    F^2 (1e-12: NVSim and we take CellArea as given, so only rounding may differ) and the
    attributes say so; the set energy is V_w I t with V_w = E / (I t) implied by the
    file's 0.193895 pJ, i.e. 0.95 V (1e-12: one product and one quotient); the access
    width is the file's 8.5 F (1e-12)."""
    cell = nvsim_sample_cell()
    ds = cell.figures()
    assert float(ds.cell_area_f2) == pytest.approx(57.5, rel=1e-12)
    assert "given" in ds.attrs["area_source"]
    assert float(ds.write_energy) == pytest.approx(0.193895e-12, rel=1e-12)
    assert cell.write_voltage == pytest.approx(0.95, rel=1e-12)
    assert float(ds.access_width) == pytest.approx(8.5 * 22e-9, rel=1e-12)
    assert ROWS["NVSim sample cell area, read from its file"].agrees
    assert ROWS["NVSim sample cell set energy"].agrees


def test_intel_22ffl_cell_area_is_a_known_discrepancy():
    """Recorded, not accepted: the access width our sizing gives (3.27 F, 5 %: the
    alpha-power sizing) lies below the span the planar area rule is calibrated on."""
    quantity = "Intel 22FFL 1T-1MTJ cell area"
    row = ROWS[quantity]
    expected, rel = KNOWN_DISCREPANCIES[quantity]
    assert row.known_discrepancy and row.agrees is None
    assert row.ratio == pytest.approx(expected, rel=rel)
    width = float(intel_22ffl_cell().figures().access_width) / 22e-9
    assert width == pytest.approx(3.27, rel=0.05) and width < 4.5


def test_comparison_table_states_range_and_reason_for_every_row(table):
    """The published table: one row per comparison in the same order, the ratio is ours /
    published (1e-12: one division), and every row states its accepted range (or that it
    has none, and which kind) and the reason."""
    assert list(table.quantity) == [c.quantity for c in COMPARISONS]
    for c, (_, t) in zip(COMPARISONS, table.iterrows()):
        assert t.ratio == pytest.approx(t.ours / t.published, rel=1e-12)
        assert t.reason == c.reason and t.assumed == c.assumed and t.source == c.source
        assert math.isnan(t.subarray_share) if c.subarray_share is None else t.subarray_share == c.subarray_share
        if c.low is None:
            assert t.accepted.startswith("none: ") and ("known discrepancy" in t.accepted) == c.known_discrepancy
        elif c.high - c.low < 1e-3:
            assert t.accepted == f"1 ± {(c.high - c.low) / 2:.0e}"
        else:
            assert t.accepted == f"[{c.low:.3g}, {c.high:.3g}]"
    accepted = table.set_index("quantity").accepted
    assert accepted["Intel 22FFL read (sensing) time at 0.9 V, one 1024-row sub-array"] == "[0.707, 1.41]"
    assert accepted["Intel 22FFL read time at 0.9 V, 8 Mb macro"] == "none: regression value (tests)"


@pytest.mark.parametrize(
    "low, high, kwargs, match",
    [
        (0.01, 1.0, {}, "at most a factor 10"),  # the two-decade ranges this file replaced
        (0.5, None, {}, "both low and high"),
        (-1.0, 1.0, {}, "positive"),
        (0.5, 1.0, dict(known_discrepancy=True), "shown, not accepted"),
        (0.5, 1.0, dict(reason=" "), "reason"),
    ],
)
def test_a_range_that_cannot_fail_is_refused(low, high, kwargs, match):
    args = dict(quantity="q", ours=1.0, published=1.0, units="J", source="s", low=low, high=high, reason="r")
    with pytest.raises(ValueError, match=match):
        Comparison(**(args | kwargs))


def test_intel_read_is_dominated_by_the_bitline_not_the_latch():
    """At 1024 rows the bitline (settling through the cell and signal development) and the
    precharge make up more than 90 % of the read; CACTI's latch regenerates in ps."""
    ds = Array(intel_22ffl_cell(), 1024, 512, 64).figures()
    parts = ds.read_latency_breakdown
    slow = float(parts.sel(read_latency_component=["bitline", "precharge"]).sum())
    assert slow > 0.9 * float(ds.read_latency)
    assert float(ds.sense_latch_time) < 0.05e-9


def test_nvsim_array_write_energy_is_the_set_energy_plus_a_bitline_term_linear_in_rows():
    """NVSim's array write energy per bit is the set energy plus C_BL V^2.  Ours: the cell
    part is the file's published 0.193895 pJ at every bitline length (1e-9: V I t of the
    file's own inputs); the bitline part grows linearly with the rows (C_BL is the wire
    plus one access drain per two cells, plus the mux drain), so its second difference
    over 256, 512 and 1024 rows vanishes (1e-9: rounding); at 256 rows it adds less than
    10 % to the cell: the write is dominated by the cell current, as NVSim's sample
    outputs are."""
    cell = nvsim_sample_cell()
    parts = {}
    for rows in (256, 512, 1024):
        breakdown = Array(cell, rows, 256, 32).figures().write_energy_breakdown
        parts[rows] = {k: float(breakdown.sel(write_energy_component=k)) / 32 for k in ("cells", "bitline")}
    for p in parts.values():
        assert p["cells"] == pytest.approx(0.193895e-12, rel=1e-9)
    b = [parts[rows]["bitline"] for rows in (256, 512, 1024)]
    assert 0 < b[0] < b[1] < b[2]
    assert b[2] - b[1] == pytest.approx(2 * (b[1] - b[0]), rel=1e-9)
    assert b[0] < 0.1 * 0.193895e-12


def test_signal_development_is_c_k_sigma_over_margin():
    """t_dev = (C_BL + C_mux) k sigma_os / dI: exactly proportional to the offset and to
    the number of sigmas (linear charging of a capacitor by a constant current)."""
    cell = intel_22ffl_cell()
    base = Array(cell, 512, 512, 64).figures()
    double = Array(cell, 512, 512, 64, sa_offset=0.02).figures()
    fewer = Array(cell, 512, 512, 64, sa_sigmas=3.0).figures()
    t0 = float(base.sense_development_time)
    assert float(double.sense_development_time) == pytest.approx(2 * t0, rel=1e-12)
    assert float(fewer.sense_development_time) == pytest.approx(t0 / 2, rel=1e-12)
    assert float(base.sense_signal) == pytest.approx(0.06)


def test_higher_tmr_senses_faster():
    cell = intel_22ffl_cell()
    lo = Array(replace(cell, mtj=replace(cell.mtj, tmr0=1.0)), 512, 512, 64).figures()
    hi = Array(cell, 512, 512, 64).figures()
    assert float(hi.sense_current_margin) > float(lo.sense_current_margin)
    assert float(hi.sense_development_time) < float(lo.sense_development_time)


def test_latch_time_follows_cactis_formula():
    """t = (C_ld / g_m) ln(V_dd / dV): halving the input signal adds (C_ld / g_m) ln 2."""
    t = technology(22)
    a, b, c = (float(latch_time(t, dv)) for dv in (0.08, 0.04, 0.02))
    assert b - a == pytest.approx(c - b, rel=1e-12)
    tau = (b - a) / math.log(2.0)
    assert a == pytest.approx(tau * math.log(0.8 / 0.08), rel=1e-12)
    assert 0 < a < 30e-12  # faster than CACTI's tabulated sense delay bound of 30 ps at 22 nm
    with pytest.raises(ValueError, match="dv_in"):
        latch_time(t, 0.0)


def test_read_cycle_includes_precharge_for_both_cells():
    from spinaps.circuit import SRAMBitcell

    for cell in (intel_22ffl_cell(), SRAMBitcell(technology(22))):
        ds = Array(cell, 256, 256, 32).figures()
        for name in ("read_latency", "read_energy", "area"):
            assert float(ds[f"{name}_breakdown"].sel({f"{name}_component": "precharge"})) > 0, name
