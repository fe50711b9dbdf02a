"""The chain: one Design through every layer, typed steps, the step cache, the output
folder, reproducibility and provenance (a small design on part of the embedded MNIST)."""

import dataclasses
import json

import numpy as np
import pytest
import xarray as xr

import spinaps
from spinaps import citations, steps
from spinaps.chain import Chain, ChainResult, CircuitResult, NetworkResult
from spinaps.design import Design
from spinaps.output import OutputError
from spinaps.provenance import missing_units

from .small import SMALL


def test_every_step_is_typed_and_carries_units(result):
    res, _ = result
    assert isinstance(res, ChainResult) and res.design == SMALL
    assert isinstance(res.steps["circuit"], CircuitResult) and isinstance(res.steps["evaluation"], NetworkResult)
    expected = {
        "device_properties",
        "switching_map",
        "wer_map",
        "pulse_for_wer",
        "llg_ensemble",
        "retention",
        "read_disturb",
        "variability",
        "bitcell_mtj",
        "array_mtj",
        "array_sram",
        "ann",
        "cell_faults",
        "network",
        "network_homogeneous",
        "network_nominal",
        "network_fault_free",
        "architecture",
    }
    assert expected <= set(res.datasets)
    for name, ds in res.datasets.items():
        assert missing_units(ds) == [], name
        assert ds.attrs["spinaps_version"] == spinaps.__version__, name
    # every output records the study's seed; values that depend on it record their own
    # stream's seed (variability.nc and architecture.nc recorded "none" before)
    for name, ds in res.datasets.items():
        assert ds.attrs["study_seed"] == 2 and ds.attrs["design_fingerprint"] == SMALL.fingerprint(), name
    for name in ("variability", "architecture", "llg_ensemble"):
        assert res.datasets[name].attrs["seed"] == "2", name
    assert res.datasets["network"].attrs["seed"] not in ("none", "")
    for name in ("variability", "cell_faults", "architecture", "bitcell_mtj"):  # variability.nc had none
        assert res.datasets[name].attrs["citation_keys"], name
    # the fault model is stored as structured attributes, not a Python repr
    assert "FaultModel(" not in json.dumps({k: str(v) for k, v in res.datasets["network"].attrs.items()})


def test_every_units_attribute_parses_as_a_unit(result):
    """Every ``units`` of every output of a run is a unit pint understands, with counted
    operations as the one dimension of our own (``OP``; a synaptic operation ``SOP`` is
    one), so that ``GSOP/s/W/mm^2`` and ``TOP/s/W`` convert like any unit."""
    import pint

    units = pint.UnitRegistry()
    units.define("operation = [operation] = OP")
    units.define("synaptic_operation = operation = SOP")
    res, _ = result
    seen = set()
    for name, ds in res.datasets.items():
        for var in ds.variables.values():
            text = var.attrs["units"]
            seen.add(text)
            try:
                units.parse_units(text)
            except Exception as err:  # noqa: BLE001 - any parse failure names the variable
                pytest.fail(f"{name}.{var.name}: units {text!r} do not parse ({type(err).__name__}: {err})")
    assert {"1", "s", "A", "J", "GSOP/s/W/mm^2"} <= seen
    assert units.Quantity(1, "GSOP/s/W/mm^2").to("SOP/s/W/m^2").magnitude == pytest.approx(1e15)


def test_one_write_pulse_through_the_layers(result):
    """The device layer's pulse for the target WER at the design's write current (worse
    direction, the design's torque form) is the circuit layer's write pulse."""
    res, _ = result
    pw, cell = res.datasets["pulse_for_wer"], res.datasets["bitcell_mtj"]
    i_w = steps.write_current(SMALL)
    at = pw.t_pulse.sel(i_write=i_w, method="nearest").sel(target_wer=SMALL.circuit.target_wer)
    assert float(pw.i_write.sel(i_write=i_w, method="nearest")) == pytest.approx(i_w, rel=1e-12)
    assert float(at.max()) == pytest.approx(float(cell.t_pulse), rel=1e-9)
    assert float(cell.i_write) == pytest.approx(i_w, rel=1e-12)
    assert float(cell.wer.max()) == pytest.approx(1e-9, rel=0.02)  # the pulse is sized to hit 1e-9 (root tolerance)


def test_live_objects_cross_the_layers(result, cache_dir):
    """The circuit step's bitcell holds the design's device; the accelerator's banks of
    memories are built from the circuit step's very cells (the same figures again from
    those live arrays), and on independent sub-arrays (``hierarchy = "subarray"``) the
    accelerator is evaluated with the circuit step's very sub-array figures (doubling
    their read energy doubles the arrays' read energy per inference)."""
    res, _ = result
    circuit = res.steps["circuit"]
    assert circuit.bitcell.mtj == SMALL.device.params()
    assert circuit.arrays["mtj"].bitcell.t_pulse == pytest.approx(circuit.t_pulse)
    arch = res.datasets["architecture"]
    assert circuit.memory.hierarchy == "memory"
    live = (circuit.arrays["mtj"], circuit.arrays["sram"])
    again = steps.architecture_step(SMALL, circuit.memory, live, res.datasets["network"], 784, 10)
    for name in ("area", "energy_per_inference", "gsops_per_w_per_mm2"):
        np.testing.assert_allclose(again[name].values, arch[name].values, rtol=1e-12, err_msg=name)
    sub = dataclasses.replace(circuit.memory, hierarchy="subarray")
    arr = res.datasets["array_mtj"]
    figures = (arr, res.datasets["array_sram"])
    per_word = float(
        steps.architecture_step(SMALL, sub, figures, res.datasets["network"], 784, 10).energy_breakdown.sel(
            design="mtj", energy_component="array_read"
        )
    )
    assert per_word > 0 and float(arr.read_energy) > 0
    doubled = arr.copy(deep=True)
    doubled["read_energy"] = arr.read_energy * 2
    twice = steps.architecture_step(SMALL, sub, (doubled, figures[1]), res.datasets["network"], 784, 10)
    assert float(twice.energy_breakdown.sel(design="mtj", energy_component="array_read")) == pytest.approx(
        2 * per_word, rel=1e-12
    )


def test_output_folder_is_complete_and_trusted(result):
    res, out = result
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "complete" and manifest["design_fingerprint"] == SMALL.fingerprint()
    assert Design.from_toml(out / "design.toml") == SMALL
    for name in ("report.md", "report.html", "summary.json", "citations.bib", "network_model.npz", "network.nc"):
        assert (out / name).is_file(), name
    assert not list(out.glob("*.part"))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 2 and summary["accuracy_network"]["chips"] == 6
    assert (
        summary["accuracy_network_nominal"]["chips"] == 6 and len(summary["accuracy_network"]["by_deadline"]["p5"]) == 8
    )
    assert set(res.citations) <= set(citations.known_keys()) and "Babu2020" in res.citations
    assert "Babu" in (out / "citations.bib").read_text()
    with pytest.raises(OutputError, match="another design"):
        Chain(SMALL.with_values({"study.seed": 3})).run(out)


def test_the_step_cache_reuses_exactly_what_did_not_change(result, cache_dir):
    """Only an architecture value changed: device, circuit, training and evaluation come
    from the cache with identical Datasets; a network value: device and circuit do."""
    res, _ = result
    arch = Chain(SMALL.with_values({"architecture.clock_hz": 250e6}), cache_dir=cache_dir)
    arch.architecture()
    arch.device()
    assert all(arch._done[n].cached for n in ("device", "circuit", "training", "evaluation"))
    xr.testing.assert_equal(arch._done["circuit"].datasets["bitcell_mtj"], res.datasets["bitcell_mtj"])
    assert float(arch._done["architecture"].datasets["architecture"].gsops.sel(design="mtj")) < float(
        res.datasets["architecture"].gsops.sel(design="mtj")
    )
    net = Chain(SMALL.with_values({"network.qat_epochs": 1}), cache_dir=cache_dir)
    net.training()
    net.circuit()
    net.device()
    assert not net._done["training"].cached and net._done["circuit"].cached and net._done["device"].cached
    # the cached circuit step still hands over live objects
    assert net.circuit().bitcell.mtj == SMALL.device.params()


def test_a_variability_or_pulse_change_recomputes_only_the_spread(result, cache_dir, monkeypatch):
    """The nominal device's maps and LLGS ensemble do not depend on the variability nor the
    pulse: changing those recomputes the sampled spread only (the nominal part is loaded)."""
    res, _ = result

    def not_again(*args, **kwargs):
        raise AssertionError("the nominal device part was recomputed")

    monkeypatch.setattr(steps, "device_step", not_again)
    for change in ({"variability.spread.diameter": 0.06}, {"circuit.t_pulse": 20e-9}):
        dev = Chain(SMALL.with_values(change), cache_dir=cache_dir).device()
        assert not dev.cached  # the spread was computed
        for name in ("llg_ensemble", "wer_map"):
            xr.testing.assert_equal(dev.datasets[name], res.datasets[name])
        assert not dev.datasets["variability"].wer.equals(res.datasets["variability"].wer)


def test_citations_are_complete_from_the_cache(result, cache_dir):
    """A run served entirely from the cache lists the same works as the computed run."""
    res, _ = result
    again = Chain(SMALL, cache_dir=cache_dir)
    citations.reset()
    for name in ("device", "circuit", "training", "network", "architecture"):
        getattr(again, name)()
    assert set(res.citations) <= set(citations.used())


def test_a_run_after_a_step_cites_what_a_fresh_run_cites(result, cache_dir, tmp_path):
    """``run`` resets the citation registry: steps the same Chain had already done (and
    returns from memory) register their works again, so ``citations.bib`` is complete."""
    fresh = Chain(SMALL, cache_dir=cache_dir).run(tmp_path / "fresh")
    chain = Chain(SMALL, cache_dir=cache_dir)
    chain.device()
    chain.circuit()
    again = chain.run(tmp_path / "again")
    assert again.citations == fresh.citations
    assert (tmp_path / "again" / "citations.bib").read_text() == (tmp_path / "fresh" / "citations.bib").read_text()
    assert {"Brown1963", "GarciaPalacios1998", "Sun2000", "Julliere1975"} <= set(again.citations)


def test_a_rerun_reuses_the_report_figures_and_the_sensitivity_table(result, cache_dir, tmp_path, monkeypatch):
    """A second run of the same design draws no figure and recomputes no sensitivity
    table (both cached beside the steps), and writes the same figures and table; a
    changed design draws its figures again."""
    _, out = result
    from spinaps import figures, report

    def not_again(*args, **kwargs):
        raise AssertionError("recomputed")

    with monkeypatch.context() as m:
        m.setattr(report, "draw_figure", not_again)
        m.setattr(steps, "sensitivity", not_again)
        again = Chain(SMALL, cache_dir=cache_dir).run(tmp_path / "again")
    names = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert names and names == sorted(p.name for p in (tmp_path / "again" / "figures").glob("*.png"))
    for name in names:
        assert (tmp_path / "again" / "figures" / name).read_bytes() == (out / "figures" / name).read_bytes()
    assert [r["ratios"] for r in again.sensitivity] == [r["ratios"] for r in result[0].sensitivity]
    drawn = []
    monkeypatch.setattr(report, "draw_figure", lambda name, ds: drawn.append(name) or figures.draw_figure(name, ds))
    Chain(SMALL.with_values({"architecture.clock_hz": 250e6}), cache_dir=cache_dir).run(tmp_path / "other")
    assert sorted(drawn) == sorted(n.removesuffix(".png") for n in names)


def test_same_seed_same_numbers_without_cache(result):
    """Recomputed from scratch (no cache), the same design gives the same numbers."""
    res, _ = result
    fresh = Chain(SMALL, cache=False)
    np.testing.assert_array_equal(
        fresh.device().datasets["llg_ensemble"].t_switch.values, res.datasets["llg_ensemble"].t_switch.values
    )
    np.testing.assert_array_equal(
        fresh.network().datasets["network"].accuracy.values, res.datasets["network"].accuracy.values
    )


def test_an_interrupted_run_is_marked_incomplete(tmp_path, monkeypatch, cache_dir):
    def interrupt(*args, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(steps, "training_step", interrupt)
    # the interruption comes from the training step itself: train ahead in a thread of
    # this process (the patched function does not reach the training process)
    monkeypatch.setattr(Chain, "_training_ahead", lambda self: self._ahead("training"))
    out = tmp_path / "stopped"
    design = SMALL.with_values({"network.epochs": 5})
    with pytest.raises(KeyboardInterrupt):
        Chain(design, cache_dir=cache_dir).run(out)
    assert json.loads((out / "run.json").read_text())["status"] == "interrupted"
    assert "INCOMPLETE" in (out / "report.md").read_text()
    assert (out / "bitcell_mtj.nc").is_file() and not (out / "network.nc").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_size_guards(monkeypatch):
    from spinaps import chain

    huge = SMALL.with_values({"study.chips": 100_000, "network.dataset": "mnist"})
    with pytest.raises(ValueError, match=r"study.chips.*GiB of memory.*available"):
        chain.check_resources(huge)
    with pytest.warns(UserWarning, match="study.llg_devices.*minutes"):
        chain.check_resources(SMALL.with_values({"study.llg_devices": 20_000_000}))


def test_cli_runs_a_design_file_with_overrides(result, cache_dir, tmp_path, monkeypatch, capsys):
    """`spinaps run d.toml --set ...` runs the file's design with the change (here served
    from the step cache up to the architecture), prints the headline and writes the
    report."""
    from spinaps.cli import main

    monkeypatch.setattr("spinaps.chain.user_cache_dir", lambda: cache_dir.parent)
    path = tmp_path / "d.toml"
    path.write_text(SMALL.to_toml(comments=True))
    out = tmp_path / "cli"
    assert main(["run", str(path), "-o", str(out), "--set", "architecture.cores=2", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "GSOPS/W/mm" in printed and str(out) in printed
    assert Design.from_toml(out / "design.toml") == SMALL.with_values({"architecture.cores": 2})
    assert json.loads((out / "run.json").read_text())["status"] == "complete"


def test_worst_of_n_pulse_sizing(result):
    """Sizing the pulse for the worst cell of a sub-array (over the variability
    distribution) gives a longer pulse than the nominal device's, and the bitcell the
    next layers get is written with it."""
    res, _ = result
    design = SMALL.with_values({"circuit.pulse_sizing": "worst_of_n"})
    circuit = Chain(design, cache=False).circuit()  # 50 sampled devices: the tail is extrapolated
    assert circuit.t_pulse > 1.5 * res.steps["circuit"].t_pulse
    assert circuit.bitcell.write_pulse() == circuit.t_pulse
    assert "worst of 65536 cells" in circuit.datasets["bitcell_mtj"].attrs["pulse_sizing"]


def test_a_result_saves_to_a_new_folder(result, tmp_path):
    """ChainResult.save writes the same complete folder as run() did."""
    res, out = result
    copy = res.save(tmp_path / "copy")
    assert json.loads((copy / "run.json").read_text())["status"] == "complete"
    assert {p.name for p in out.glob("*.nc")} == {p.name for p in copy.glob("*.nc")}
    assert json.loads((copy / "summary.json").read_text())["accuracy_network"] == res.summary()["accuracy_network"]


def test_the_training_process_is_read_from_the_cache_and_stopped_on_interrupt(tmp_path, monkeypatch, cache_dir):
    """The training ahead runs in a process of its own and stores its step in the cache;
    the run reads it from there.  A Ctrl-C while waiting for it stops the process and
    marks the run interrupted."""
    import spinaps.chain as chain_module

    design = SMALL.with_values({"network.epochs": 3})
    started = []
    real = chain_module.Chain._training_ahead

    def spy(self):
        started.append(True)
        return real(self)

    monkeypatch.setattr(chain_module.Chain, "_training_ahead", spy)
    res = Chain(design, cache_dir=tmp_path / "cache").run(tmp_path / "ok")
    # computed by the process (so not "cached" for this run), read from the cache
    assert started and not res.steps["training"].cached
    assert (tmp_path / "ok" / "network_model.npz").is_file()

    def interrupt(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(chain_module.Chain, "training", interrupt)
    out = tmp_path / "stopped"
    with pytest.raises(KeyboardInterrupt):
        Chain(design.with_values({"network.epochs": 4}), cache_dir=tmp_path / "cache").run(out)
    assert json.loads((out / "run.json").read_text())["status"] == "interrupted"
