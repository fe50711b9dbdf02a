"""Values from the literature (spinaps.literature and the tables in spinaps/data/literature)."""

import math
import re
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from spinaps import citations, literature
from spinaps.circuit import technology
from spinaps.device import preset, presets, sources

TABLES = (
    "cacti7_circuit",
    "cacti7_technology",
    "horowitz2014_energy",
    "mtj_presets",
    "published_accelerators",
    "published_memory",
)

GOOD = """
[table]
title = "A table"
description = "for the tests"

[units]
diameter = "m"
pj_per_sop = "pJ"

[entries.one]
diameter = 40e-9
pj_per_sop = 12.7
label = "a string"
source = {reference = "A. Author, Some Journal 1, 2 (2010)", bibkeys = ["Sun2000"]}

[entries.one.assumed]
diameter = "40 nm, assumed"
"""


def _write(tmp_path, text, name="table.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ loader
def test_a_good_table_reads_into_frozen_entries(tmp_path):
    table = literature.read(_write(tmp_path, GOOD))
    entry = table["one"]
    assert (
        table.name == "table"
        and table.title == "A table"
        and dict(table.units) == {"diameter": "m", "pj_per_sop": "pJ"}
    )
    assert entry["diameter"] == 40e-9 and entry["label"] == "a string" and "pj_per_sop" in entry
    assert entry.source.reference.startswith("A. Author") and entry.source.bibkeys == ("Sun2000",)
    assert entry.note("assumed")["diameter"] == "40 nm, assumed" and dict(entry.note("derived")) == {}
    with pytest.raises(TypeError):
        entry.values["diameter"] = 1.0
    with pytest.raises(KeyError, match="entry 'one' has no key 'thickness'"):
        entry["thickness"]
    with pytest.raises(KeyError, match="no entry 'two'; entries: one"):
        table["two"]


@pytest.mark.parametrize(
    "old, new, where, problem",
    [
        ("pj_per_sop = 12.7", 'pj_per_sop = "12.7"', "entry 'one', key 'pj_per_sop'", "must be a number in 'pJ'"),
        ("pj_per_sop = 12.7", "pj_per_sop = true", "entry 'one', key 'pj_per_sop'", "must be a number"),
        ("pj_per_sop = 12.7", "pj_per_sop = nan", "entry 'one', key 'pj_per_sop'", "must be finite"),
        ('label = "a string"', "power = 1.0", "entry 'one', key 'power'", "needs its units"),
        ('pj_per_sop = "pJ"', 'pj_per_sop = "picojoule"', r"\[units\], key 'pj_per_sop'", "unknown units 'picojoule'"),
        ('pj_per_sop = "pJ"', 'pj_per_sop = "pJ"\npower_w = "W"', r"\[units\], key 'power_w'", "no entry has this key"),
        (
            'source = {reference = "A. Author, Some Journal 1, 2 (2010)", bibkeys = ["Sun2000"]}',
            "",
            "entry 'one', key 'source'",
            "every entry names its source",
        ),
        ('reference = "A. Author, Some Journal 1, 2 (2010)", ', "", "entry 'one', key 'source.reference'", "required"),
        (
            'bibkeys = ["Sun2000"]',
            'bibkeys = ["Nobody1999"]',
            "entry 'one', key 'source.bibkeys'",
            "'Nobody1999' is not a key of spinaps/references.bib",
        ),
        ('bibkeys = ["Sun2000"]', 'bibkey = "Sun2000"', "entry 'one', key 'source.bibkey'", "unknown key"),
        ("[entries.one.assumed]", "[entries.one.guessed]", "entry 'one', key 'guessed'", "must be a note group"),
        (
            'diameter = "40 nm, assumed"',
            "diameter = 40",
            "entry 'one', key 'assumed', key 'diameter'",
            "must be a non-empty string",
        ),
        ('title = "A table"', "", r"\[table\], key 'title'", "required"),
        ("[units]", "[unit]", "top-level key 'unit'", "unknown"),
    ],
)
def test_malformed_tables_name_the_file_entry_and_key(tmp_path, old, new, where, problem):
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: {where}: .*{problem}"):
        literature.read(path)


def test_invalid_toml_and_missing_required_keys_are_reported(tmp_path):
    path = _write(tmp_path, GOOD.replace("diameter = 40e-9", "diameter = 40 e-9"))
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: not valid TOML"):
        literature.read(path)
    path = _write(tmp_path, GOOD, "ok.toml")
    with pytest.raises(ValueError, match=r"ok.toml: entry 'one', key 'thickness': required key missing"):
        literature.read(path, required=("diameter", "thickness"))
    with pytest.raises(ValueError, match=r"entry 'one', key 'ra': required key missing"):
        literature.read(path)["one"].require("diameter", "ra")
    with pytest.raises(ValueError, match="no literature table 'nope'; available tables: cacti7_circuit"):
        literature.load("nope")


# ------------------------------------------------------------------- the package's tables
def test_the_package_ships_its_tables_with_a_readme():
    assert literature.tables() == TABLES
    folder = resources.files("spinaps").joinpath("data").joinpath("literature")
    assert folder.joinpath("README.md").is_file()
    for name in TABLES:
        table = literature.load(name)
        assert table is literature.load(name)  # read once
        assert table.file == f"spinaps/data/literature/{name}.toml" and len(table) > 0


@pytest.mark.parametrize("name", TABLES)
def test_every_entry_has_a_source_with_a_year_and_known_keys(name):
    known = set(citations.known_keys())
    for entry in literature.load(name).entries.values():
        assert entry.source.reference.strip(), (name, entry.name)
        assert re.search(r"\b(19|20)\d\d\b", entry.source.reference), (name, entry.name)
        assert set(entry.source.bibkeys) <= known, (name, entry.name)


def test_key_published_numbers_and_their_citations():
    """A few headline numbers of each table, read back through the public API."""
    ikeda = literature.load("mtj_presets")["Ikeda2010"]
    assert ikeda["diameter"] == 40e-9 == preset("Ikeda2010").diameter
    assert ikeda.note("published")["ic0"] == "about 49 uA"
    assert float(preset("Ikeda2010").ic0) == pytest.approx(49e-6, rel=1e-12)  # back-solved exactly
    assert sources["Ikeda2010"].citation == "Ikeda2010" and "Nature Materials 9, 721 (2010)" in ikeda.source.reference

    hp45 = literature.load("cacti7_technology")["hp-45"]
    assert (hp45["vdd"], hp45["i_on_n"]) == (1.0, 2046.6) == (technology(45).vdd, technology(45).i_on_n)
    assert hp45.source.bibkeys == ("Balasubramonian2017",) and "tech_params/45nm.dat" in hp45.source.location

    mul = literature.load("horowitz2014_energy")["multiply_32bit"]
    assert (mul["energy"], mul["bits"], mul.source.bibkeys) == (3.1e-12, 32, ("Horowitz2014",))

    nvsim = literature.load("published_memory")["nvsim_sample_sttram"]
    assert nvsim["write_energy"] == 0.193895e-12 and nvsim.source.bibkeys == ("Dong2012",)

    from spinaps.architecture import published_accelerators

    ds = published_accelerators()
    odin = literature.load("published_accelerators")["odin"]
    assert odin["pj_per_sop"] == 12.7 == float(ds.pj_per_sop.sel(design="odin"))
    assert "Frenkel" in odin.source.reference and "2019" in str(ds.citation.sel(design="odin").values)


# ------------------------------------------------------------------------ round trips
def test_presets_round_trip():
    table = literature.load("mtj_presets")
    assert tuple(table.entries) == tuple(presets)
    direct = ("diameter", "thickness", "ms", "alpha", "polarization", "ra", "tmr0", "v_half", "tmr_bloch_coefficient")
    for name, entry in table.entries.items():
        params, source = presets[name], sources[name]
        for key in direct:
            if key in entry:
                assert getattr(params, key) == entry[key], (name, key)
        if "delta" in entry:
            assert float(params.delta(300.0)) == pytest.approx(entry["delta"], rel=1e-12), name
        assert source.citation == entry.source.bibkeys[0] and source.reference == entry.source.reference
        assert source.published == dict(entry.note("published")) and source.assumed == dict(entry.note("assumed"))
    dong = table["Dong2012"]
    assert presets["Dong2012"].ra == dong["r_p"] * presets["Dong2012"].area
    assert float(presets["Dong2012"].r_ap) == pytest.approx(dong["r_ap"], rel=1e-12)


def test_technology_round_trip():
    table = literature.load("cacti7_technology")
    same = ("vdd", "vth", "i_on_n", "i_on_p", "i_off_n")
    for entry in table.entries.values():
        node, flavor = entry["node_nm"], entry["flavor"]
        t, hp_entry = technology(node, flavor), table[f"hp-{node}"]
        for key in same:
            assert getattr(t, key) == entry[key], (entry.name, key)
        assert t.i_off_p == entry["i_off_n"]
        assert t.c_gate == entry["c_g_ideal"] * 1.2 + 3.0 * entry["c_fringe"]
        for key in (
            "feature_size",
            "wire_r_local",
            "wire_c_local",
            "wire_r_global",
            "wire_c_global",
            "sense_delay",
            "sense_energy",
        ):
            assert getattr(t, key) == hp_entry[key], (entry.name, key)
        if flavor == "hp":
            assert (t.r_eff_n, t.r_eff_p) == (entry["r_nch_on"], entry["r_pch_on"])
        else:
            r_n = entry["r_multiplier"] * entry["vdd"] / entry["i_on_n"]
            assert (t.r_eff_n, t.r_eff_p) == (r_n, entry["n_to_p"] * r_n)
        mob, c_ox, l_elec, v_dsat, p_to_n = (entry[k] for k in ("mobility_n", "c_ox", "l_elec", "v_dsat", "gm_p_to_n"))
        assert t.gm_latch == mob / 2.0 * c_ox * v_dsat / l_elec * (1.0 + p_to_n)
    from spinaps.circuit.technology import lstp_sources
    from spinaps.circuit.technology import sources as hp_sources

    assert hp_sources[45].startswith(table["hp-45"].source.reference + ", tech_params/45nm.dat, high-performance")
    assert table.info["method"] in lstp_sources[28] and "tech_params/{32,22}nm.dat" in lstp_sources[28]


def test_published_accelerators_round_trip():
    from spinaps.architecture import published_accelerators

    ds = published_accelerators()
    table = literature.load("published_accelerators")
    assert list(ds.design.values) == list(table.entries)
    for name, entry in table.entries.items():
        row = ds.sel(design=name)
        assert str(row.citation.values) == entry.source.reference
        for key, value in entry.values.items():
            if key in table.units:
                assert float(row[key]) == value and row[key].attrs["units"] == table.units[key], (name, key)
            elif key == "comparable":
                assert bool(row.comparable) is value
            else:
                assert str(row[key].values) == value, (name, key)
        derived = set(str(row.derived.values).split(", "))
        for key in table.units:
            if key not in entry and key not in derived:
                assert math.isnan(float(row[key])), (name, key)  # not published: NaN, never guessed


def test_circuit_tables_round_trip():
    from spinaps.circuit import OPERATIONS, operation_energy
    from spinaps.circuit.array import _W_EQUALISE, _W_ISO, _W_PRECHARGE, _W_SA_MUX, _W_SENSE_N, _W_SENSE_P
    from spinaps.circuit.bitcell import INTEL_22FFL_CELL_F2
    from spinaps.circuit.digital import REFERENCE_F, REFERENCE_VDD
    from spinaps.circuit.sram import AREA_CONVENTIONS, ASPECT_RATIO, CELL_WIDTHS_F
    from spinaps.circuit.validation import comparison

    cacti = literature.load("cacti7_circuit")
    cell = cacti["sram_cell"]
    assert AREA_CONVENTIONS["cacti"] == cell["area"] and ASPECT_RATIO == cell["aspect_ratio"]
    assert CELL_WIDTHS_F == {"access": cell["access_width"], "nmos": cell["nmos_width"], "pmos": cell["pmos_width"]}
    sense, pre = cacti["sense_amplifier"], cacti["precharge"]
    assert (_W_SENSE_N, _W_SENSE_P, _W_ISO, _W_SA_MUX) == tuple(
        sense[k] for k in ("latch_nmos_width", "latch_pmos_width", "isolation_width", "mux_width")
    )
    assert (_W_PRECHARGE, _W_EQUALISE) == (pre["precharge_width"], pre["equaliser_width"])

    memory = literature.load("published_memory")
    tn, intel = memory["truenorth_sram_cell"], memory["intel_22ffl_cell"]
    assert AREA_CONVENTIONS["silicon28"] == tn["cell_area"] / tn["feature_size"] ** 2
    assert INTEL_22FFL_CELL_F2 == intel["cell_area"] / intel["feature_size"] ** 2

    horowitz = literature.load("horowitz2014_energy")
    assert (REFERENCE_F, REFERENCE_VDD) == (45e-9, 0.9)
    from dataclasses import replace

    t45 = replace(technology(45), feature_size=REFERENCE_F, vdd=REFERENCE_VDD)
    for entry in horowitz.entries.values():
        op = {"sram_read": "sram_read_bit"}.get(entry["operation"], entry["operation"])
        assert op in OPERATIONS
        rel = 0.06 if entry.name == "multiply_8bit" else 1e-12  # the quadratic rule gives 0.19 pJ, not 0.2
        assert float(operation_energy(t45, op, entry["bits"])) == pytest.approx(entry["energy"], rel=rel)

    published = {c.quantity: c.published for c in comparison()}
    assert published["NVSim sample cell set energy"] == memory["nvsim_sample_sttram"]["write_energy"]
    assert published["Intel 22FFL 1T-1MTJ cell area"] == intel["cell_area"]
    assert published["Intel 22FFL read time at 0.9 V, 8 Mb macro"] == intel["read_time"]
    assert published["Intel 22FFL read (sensing) time at 0.9 V, one 1024-row sub-array"] == intel["read_time"]
    assert published["28 nm macro read energy per bit"] == memory["access2019_macro"]["read_energy_per_bit"]
    assert published["14 nm eMRAM write energy per bit"] == memory["samsung14_emram"]["write_energy_per_bit"]
    assert published["CACTI SRAM cell area"] == cell["area"]
    assert published["8 kB SRAM 64-bit read energy, 45 nm 0.9 V"] == horowitz["sram_read_64bit"]["energy"]


def test_tables_that_quote_one_source_agree():
    """NVSim's sample cell is in the MTJ presets (Dong2012) and in the published memory cells."""
    dong, nvsim = literature.load("mtj_presets")["Dong2012"], literature.load("published_memory")["nvsim_sample_sttram"]
    for key in ("r_p", "r_ap", "i_write", "t_pulse"):
        assert dong[key] == nvsim[key], key
    golonzka, intel = (
        literature.load("mtj_presets")["Golonzka2018"],
        literature.load("published_memory")["intel_22ffl_cell"],
    )
    assert golonzka["tmr0"] == intel["tmr0"] and golonzka["diameter"] == intel["mtj_cd_min"]


def test_every_units_string_of_the_tables_is_known_and_numbers_are_finite():
    for name in TABLES:
        table = literature.load(name)
        assert set(table.units.values()) <= literature.KNOWN_UNITS
        for entry in table.entries.values():
            for key, value in entry.values.items():
                if key in table.units:
                    assert np.isfinite(value), (name, entry.name, key)


def test_the_files_are_plain_toml():
    """The files parse with tomllib alone (no spinaps), as any other tool would read them."""
    folder = Path(literature.__file__).parent / "data" / "literature"
    for name in TABLES:
        data = tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
        assert set(data) == {"table", "units", "entries"}
