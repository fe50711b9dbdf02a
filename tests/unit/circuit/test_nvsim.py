"""NVSim's ``.cell`` and ``.cfg`` files read into bitcells and configurations.

The files are NVSim's own sample cells and this project's side-by-side configurations
(spinaps/data/nvsim, with a README); the expected values are the numbers written in
them and in NVSim's printed output for them (22 nm, 8 kB, 256 x 256 sub-array).
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest

from spinaps.circuit import MTJBitcell, SRAMBitcell, from_nvsim_cell, from_nvsim_cfg, read_nvsim_cell, technology
from spinaps.circuit.validation import NVSIM_DATA, NVSIM_SAMPLE_CELL_FILE

T22 = technology(22)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_sample_cell_is_parsed_in_si_units():
    """Every number of NVSim's 2013 sample cell, converted from the file's units (uA, ns,
    pJ) to SI (1e-12: one multiplication each)."""
    c = read_nvsim_cell(NVSIM_SAMPLE_CELL_FILE)
    assert c.cell_type == "MRAM" and c.read_mode == "current"
    expected = dict(
        area_f2=57.5,
        aspect_ratio=0.57,
        r_p=6000.0,
        r_ap=12000.0,
        v_read=0.25,
        i_set=40.82e-6,
        i_reset=40.82e-6,
        t_set=5e-9,
        t_reset=5e-9,
        e_set=0.193895e-12,
        e_reset=0.193895e-12,
        access_width_f=8.5,
    )
    for name, value in expected.items():
        assert getattr(c, name) == pytest.approx(value, rel=1e-12), name
    assert c.settings["MinSenseVoltage"] == "25"


def test_mtj_bitcell_from_the_file_takes_its_resistances_area_and_width():
    """The junction's R_P and R_AP are the file's (1e-9: RA and TMR rescaled, R = RA / A),
    as are the area, aspect ratio, access width, write current and pulse, and the read
    voltage; a cell of our own keeps our transistor rule (14.6 F^2 here, 1 %)."""
    cell = from_nvsim_cell(NVSIM_SAMPLE_CELL_FILE, T22)
    assert isinstance(cell, MTJBitcell)
    assert float(cell.mtj.r_p) == pytest.approx(6000.0, rel=1e-9)
    assert float(cell.mtj.r_ap) == pytest.approx(12000.0, rel=1e-9)
    assert (cell.area_f2, cell.aspect_ratio, cell.access_width_f) == (57.5, 0.57, 8.5)
    assert (cell.i_write, cell.t_pulse, cell.v_read) == (40.82e-6, 5e-9, 0.25)
    own = MTJBitcell(cell.mtj, T22, i_write=40.82e-6, t_pulse=5e-9, v_write=0.95, v_read=0.1)
    ds = own.figures()
    assert float(ds.cell_area_f2) == pytest.approx(14.58, rel=0.01)
    assert ds.attrs["area_source"] == "transistor rule"


def test_sram_cell_file_gives_cactis_cell():
    """NVSim's SRAM.cell is CACTI 7's 6T cell: 146 F^2, aspect 1.46, widths 1.31, 2.08 and
    1.23 F, so its figures equal our default SRAM cell's (1e-12)."""
    cell = from_nvsim_cell(NVSIM_DATA / "SRAM.cell", T22)
    assert isinstance(cell, SRAMBitcell)
    ours, default = cell.figures(), SRAMBitcell(T22).figures()
    for name in ("cell_area_f2", "bitline_c_per_cell", "read_energy_per_cell", "leakage_power"):
        assert float(ours[name]) == pytest.approx(float(default[name]), rel=1e-12), name


def test_sram_cell_widths_and_aspect_ratio_are_used():
    """A wider access transistor adds drain capacitance to the bitline, and a taller cell
    more wire: both raise the per-cell bitline capacitance."""
    base = float(SRAMBitcell(T22).figures().bitline_c_per_cell)
    assert float(SRAMBitcell(T22, access_width_f=2.62).figures().bitline_c_per_cell) > base
    assert float(SRAMBitcell(T22, aspect_ratio=3.0).figures().bitline_c_per_cell) > base


def test_forced_configurations_build_the_sub_array_nvsim_ran():
    """The 8 kB, 64-bit, sense-amp mux 4 configurations at 22 nm HP are one 256 x 256
    sub-array of the configured cell, as NVSim's output for them says."""
    for name, kind in (("mtj_22nm_256x256_w64.cfg", MTJBitcell), ("sram_22nm_256x256_w64.cfg", SRAMBitcell)):
        cfg = from_nvsim_cfg(NVSIM_DATA / name)
        assert (cfg.capacity, cfg.word_width, cfg.node, cfg.flavor) == (8192, 64, 22, "hp")
        assert cfg.force_bank == cfg.force_mat == (1, 1, 1, 1) and cfg.force_mux_sense_amp == 4
        assert cfg.optimization_target == "ReadLatency" and cfg.temperature == 300.0
        assert cfg.cell_path.parent == NVSIM_DATA.resolve()
        array = cfg.to_array()
        assert (array.rows, array.cols, array.access_bits, array.mux) == (256, 256, 64, 4)
        assert isinstance(array.bitcell, kind) and array.tech == technology(22, "hp")


def test_free_organisation_is_refused_naming_the_key():
    cfg = from_nvsim_cfg(NVSIM_DATA / "mtj_22nm_8kB_w64_free.cfg")
    assert cfg.force_bank is None and cfg.optimization_target == "ReadEDP"
    with pytest.raises(ValueError, match="ForceBank.*not modelled yet"):
        cfg.to_array()


def test_a_larger_forced_bank_is_refused(tmp_path):
    text = (
        (NVSIM_DATA / "mtj_22nm_256x256_w64.cfg")
        .read_text()
        .replace("-ForceMat (Total AxB, Active CxD): 1x1, 1x1", "-ForceMat (Total AxB, Active CxD): 2x2, 1x1")
    )
    (tmp_path / "mtj_nvsim2013.cell").write_text((NVSIM_DATA / "mtj_nvsim2013.cell").read_text())
    cfg = from_nvsim_cfg(write(tmp_path, "m.cfg", text))
    assert cfg.force_mat == (2, 2, 1, 1)
    with pytest.raises(ValueError, match="ForceMat is 2x2, 1x1"):
        cfg.to_array()


def test_unknown_key_warns_with_key_and_file(tmp_path):
    path = write(tmp_path, "x.cell", "-MemCellType: SRAM\n-CellArea (F^2): 146\n-CellAspectRatio: 1.46\n-Bogus: 3\n")
    with pytest.warns(UserWarning, match=r"x.cell, line 4: unknown NVSim cell key 'Bogus'"):
        read_nvsim_cell(path)


def test_comments_and_trailing_comments_are_skipped(tmp_path):
    path = write(
        tmp_path,
        "y.cell",
        "// a cell\n\n//-MemCellType: MRAM\n-MemCellType: SRAM // six transistors\n"
        "-CellArea (F^2): 150\n-CellAspectRatio: 1.5",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = read_nvsim_cell(path)
    assert (c.cell_type, c.area_f2, c.aspect_ratio) == ("SRAM", 150.0, 1.5)


@pytest.mark.parametrize(
    "text, match",
    [
        ("-MemCellType: PCRAM\n", r"MemCellType = 'PCRAM' is not modelled by spinaps; allowed: MRAM, SRAM"),
        ("-MemCellType: Foo\n", r"MemCellType = 'Foo'; NVSim knows SRAM"),
        ("-MemCellType: MRAM\nCellArea: 3\n", r"line 2: malformed line"),
        ("-MemCellType: MRAM\n-CellArea (um^2): 3\n", r"line 2: CellArea in 'um\^2'; NVSim reads it in 'F\^2'"),
        ("-MemCellType: MRAM\n-CellArea (F^2): big\n", r"line 2: CellArea = 'big' is not a number"),
        ("-MemCellType: MRAM\n-CellAspectRatio: 1\n", r"CellArea is missing"),
        ("-MemCellType: MRAM\n-AccessType: BJT\n", r"AccessType = 'BJT' is not modelled by spinaps; allowed: CMOS"),
    ],
)
def test_bad_cell_files_are_refused_with_file_and_key(tmp_path, text, match):
    with pytest.raises(ValueError, match=match):
        read_nvsim_cell(write(tmp_path, "bad.cell", text))


def test_voltage_read_of_an_mram_cell_is_refused(tmp_path):
    text = NVSIM_SAMPLE_CELL_FILE.read_text().replace("-ReadMode: current", "-ReadMode: voltage")
    with pytest.raises(ValueError, match="ReadMode = 'voltage' is not modelled for an MRAM cell; allowed: current"):
        from_nvsim_cell(write(tmp_path, "v.cell", text), T22)


def test_missing_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.cell"):
        read_nvsim_cell(tmp_path / "nothing.cell")
    text = (NVSIM_DATA / "mtj_22nm_256x256_w64.cfg").read_text()
    with pytest.raises(FileNotFoundError, match="MemoryCellInputFile .*mtj_nvsim2013.cell"):
        from_nvsim_cfg(write(tmp_path, "c.cfg", text))


@pytest.mark.parametrize(
    "old, new, match",
    [
        (
            "-DeviceRoadmap: HP",
            "-DeviceRoadmap: LOP",
            "DeviceRoadmap = 'LOP' is not modelled by spinaps; allowed: HP, LSTP",
        ),
        ("-ProcessNode: 22", "-ProcessNode: 90", "ProcessNode = 90; allowed: 45, 32, 28, 22"),
        ("-Capacity (KB): 8", "-Capacity (GB): 8", "Capacity in 'GB'; allowed: B, KB, MB"),
        ("-ForceMuxSenseAmp: 4", "-ForceMuxSenseAmp: 2.5", "ForceMuxSenseAmp = '2.5' must be a positive integer"),
        ("-ForceBank (Total AxB, Active CxD): 1x1, 1x1", "-ForceBank (Total AxB, Active CxD): 1x1, 2x1", "ForceBank"),
    ],
)
def test_bad_configurations_are_refused_naming_the_key(tmp_path, old, new, match):
    (tmp_path / "mtj_nvsim2013.cell").write_text((NVSIM_DATA / "mtj_nvsim2013.cell").read_text())
    text = (NVSIM_DATA / "mtj_22nm_256x256_w64.cfg").read_text()
    assert old in text
    with pytest.raises(ValueError, match=match):
        from_nvsim_cfg(write(tmp_path, "c.cfg", text.replace(old, new)))


def test_a_given_width_narrower_than_the_write_needs_warns():
    """80 uA from 1.5 V needs more than a minimum (1 F) transistor on the 22 nm HP device:
    the given width is kept, with a warning naming it."""
    cell = replace(from_nvsim_cell(NVSIM_SAMPLE_CELL_FILE, T22), i_write=80e-6, v_write=1.5, v_read=0.1)
    needed = max(float(cell.access_width(d)) for d in ("p_to_ap", "ap_to_p"))
    assert needed > 22e-9
    with pytest.warns(UserWarning, match="access_width_f = 1.0 F is narrower"):
        ds = replace(cell, access_width_f=1.0).figures()
    assert float(ds.access_width) == pytest.approx(22e-9, rel=1e-12)
