"""Cross-cutting machinery: citations, parameter validation, provenance, CLI and the run chain."""

import json
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

import spinaps
from spinaps import citations
from spinaps.chain import run
from spinaps.cli import main
from spinaps.params import check_range
from spinaps.provenance import annotate, finalize, missing_units


def test_citation_registry_and_bibtex():
    citations.reset()
    citations.register("Sun2000", "Brown1963")
    assert citations.used() == ["Sun2000", "Brown1963"]
    assert "@article{Sun2000" in citations.bibtex()
    assert "Physical Review B" in citations.format_citations(["Sun2000"])
    with pytest.raises(KeyError, match="unknown citation key 'Nobody1999'"):
        citations.register("Nobody1999")
    assert len(citations.known_keys()) >= 15


def test_check_range_messages():
    with pytest.raises(ValueError, match=r"x = -1.0 m is outside the allowed range \(0, inf\) m"):
        check_range("x", -1.0, low=0.0, units="m")
    with pytest.raises(ValueError, match=r"x = nan"):
        check_range("x", float("nan"), low=0.0)
    check_range("x", np.array([0.5, 1.0]), low=0.0, high=1.0, high_inclusive=True)


def test_provenance_and_units():
    da = annotate(xr.DataArray(np.ones(3), dims="t"), "s", "a time")
    ds = finalize(xr.Dataset({"a": da}), seed=4, cite=("Brown1963",))
    assert missing_units(ds) == []  # the dim 't' has no coordinate variable
    assert ds.attrs["seed"] == "4" and ds.attrs["spinaps_version"] == spinaps.__version__
    assert "Brown" in ds.attrs["citations"]
    ds["b"] = xr.DataArray(np.zeros(3), dims="t")
    assert missing_units(ds) == ["b"]


def test_cli_version_and_help():
    out = subprocess.run([sys.executable, "-m", "spinaps.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and spinaps.__version__ in out.stdout
    out = subprocess.run([sys.executable, "-m", "spinaps.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "run" in out.stdout


def test_cli_rejects_unknown_preset(capsys):
    assert main(["run", "--preset", "nope", "--no-progress"]) == 2
    assert "valid names" in capsys.readouterr().err


def test_run_writes_results_with_units_and_citations(tmp_path):
    out = run("benchmark", tmp_path / "r", seed=3, n_devices=200, progress=False)
    names = {p.name for p in out.iterdir()}
    assert {"device_properties.nc", "switching_map.nc", "llg_ensemble.nc", "retention.nc", "read_disturb.nc",
            "wer_map.nc", "pulse_for_wer.nc", "variability.nc", "wer_map.png",
            "bitcell_mtj.nc", "array_mtj.nc", "array_sram.nc", "network.nc", "network_fault_free.nc",
            "network_model.npz", "architecture.nc",
            "switching_map.png", "switching_times.png", "citations.bib", "summary.json"} <= names
    for nc in out.glob("*.nc"):
        with xr.open_dataset(nc) as ds:
            assert missing_units(ds) == [], nc.name
            assert ds.attrs["spinaps_version"] == spinaps.__version__
    summary = json.loads((out / "summary.json").read_text())
    assert summary["delta"] == pytest.approx(50.0, rel=1e-3)
    pulses = summary["pulse_for_wer_s"]
    assert pulses["1e-15"]["2.0 Ic0"] > pulses["1e-09"]["2.0 Ic0"] > pulses["1e-06"]["2.0 Ic0"] > 0
    assert summary["network"]["accuracy_fault_free"] > 0.89  # the network layer's target (observed 91-92 %)
    arch = summary["architecture"]
    assert arch["ratio_gsops_per_w_per_mm2"] > 1 and arch["mtj_gsops"] > 0
    arrays = summary["circuit"]
    assert arrays["array_mtj"]["leakage"] < arrays["array_sram"]["leakage"]
    with xr.open_dataset(out / "wer_map.nc") as wer:
        assert float(wer.wer.min()) < 1e-15
    assert "Brown1963" in (out / "citations.bib").read_text()
    # same seed, same numbers (the second run reuses the trained network as a cache)
    again = run("benchmark", tmp_path / "r2", seed=3, n_devices=200, progress=False,
                network_model=out / "network_model.npz")
    with xr.open_dataset(out / "llg_ensemble.nc") as a, xr.open_dataset(again / "llg_ensemble.nc") as b:
        np.testing.assert_array_equal(a.t_switch.values, b.t_switch.values)
    with xr.open_dataset(out / "network.nc") as a, xr.open_dataset(again / "network.nc") as b:
        np.testing.assert_array_equal(a.accuracy.values, b.accuracy.values)
