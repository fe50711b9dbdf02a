"""The chain that runs the layers in order and writes a run's results.

For now the chain runs the device layer on one preset: derived properties, a
switching-probability map over current x pulse width, a Fokker-Planck write-error-rate
map and the pulse widths for target error rates, an LLGS Monte-Carlo ensemble at two
write currents, retention and read-disturb curves, the spread of the device figures
over a sampled ensemble, and the circuit layer's bitcell and sub-array figures (MTJ
and SRAM) at the design point :data:`RUN_CIRCUIT`, the first-to-spike network of
:data:`RUN_NETWORK` stored in those cells with their fault probabilities, and the
accelerator holding that network (MTJ arrays against the SRAM equivalent) driven by the
network's measured activity.  Each result is written as
a netCDF file (with units, parameters, seed, version and citations in its attributes)
and a PNG figure; ``citations.bib`` lists exactly the works the run relied on.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import pathlib
import warnings

import numpy as np
import xarray as xr

from . import citations
from ._version import __version__
from .params import to_dict
from .provenance import annotate, finalize
from .device import preset as get_preset, simulate
from .device.presets import DEFAULT_PRESET, sources
from .device.error_rates import (pulse_for_wer, read_disturb_probability, retention_failure_probability,
                                 write_error_rate)
from .device.variability import sample_variability, summarize
from .circuit import Array, MTJBitcell, SRAMBitcell, technology
from .architecture import Accelerator, Activity, MemorySpec, NetworkSpec, compare
from .network import SNN, FaultModel, evaluate, train_snn
from .network.datasets import load as load_dataset
from .device.switching import switching_probability

__all__ = ["run", "device_properties", "default_output_dir", "RUN_SPREAD", "WER_TARGETS"]

#: Relative device-to-device spreads of the run's variability ensemble (assumed,
#: illustrative values: a few percent in geometry, RA and TMR, sub-percent in K_u and
#: M_s, whose difference K_eff magnifies them about tenfold in Delta).
RUN_SPREAD = {"diameter": 0.03, "ku": 0.005, "ms": 0.0025, "alpha": 0.05, "ra": 0.05, "tmr0": 0.05}
#: The run's circuit design point (assumed): 28 nm (the node reported for the SpinAPS
#: core), write current 1.5 I_c0 from a boosted 1.2 V write supply, pulse for WER 1e-9,
#: 256 x 256 sub-arrays read and written 32 bits at a time.
RUN_CIRCUIT = {"node": 28, "i_write_ic0": 1.5, "v_write": 1.2, "target_wer": 1e-9, "rows": 256, "cols": 256,
               "word_bits": 32}
#: The run's network (assumed): the embedded MNIST, first-to-spike GLM with the default
#: recipe (T = 8, K = 4, tau = 4, 60 epochs), fine-tuned quantisation-aware to 4-bit
#: sign-magnitude weights (20 epochs), 8 chips with the bitcell's faults, weights
#: stored for one day (a weight refresh interval we assume).
RUN_NETWORK = {"dataset": "mnist", "bits": 4, "qat_epochs": 20, "chips": 8, "t_storage_s": 86400.0}
#: Target write error rates for which the run reports the pulse widths.
WER_TARGETS = (1e-6, 1e-9, 1e-12, 1e-15)


def default_output_dir() -> pathlib.Path:
    """``spinaps-output/run-YYYYmmdd-HHMMSS`` in the current directory."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return pathlib.Path("spinaps-output") / f"run-{stamp}"


def device_properties(params, temperature=300.0) -> xr.Dataset:
    """Derived properties of a device as a Dataset with units."""
    items = {
        "delta": (params.delta(temperature), "1", f"thermal stability factor at {temperature:g} K"),
        "ic0": (params.ic0, "A", "zero-temperature critical current"),
        "tau0": (params.tau0, "s", "damping time tau_D"),
        "hk_eff": (params.hk_eff, "A/m", "effective anisotropy field"),
        "f_fmr": (params.f_fmr, "Hz", "small-angle precession frequency"),
        "r_p": (params.r_p, "Ohm", "parallel resistance"),
        "r_ap": (params.r_ap, "Ohm", "zero-bias antiparallel resistance"),
        "energy_barrier": (params.energy_barrier, "J", "energy barrier K_eff V"),
    }
    ds = xr.Dataset({k: annotate(xr.DataArray(np.asarray(v, float)), u, ln) for k, (v, u, ln) in items.items()})
    return finalize(ds, params=params, cite=("Sun2000", "Julliere1975"), temperature=float(temperature))


def _save(da: xr.DataArray, path):
    """Write a DataArray as a netCDF Dataset carrying the array's provenance attributes."""
    da.to_dataset().assign_attrs(da.attrs).to_netcdf(path)


def _write_error_rates(params, out, temperature, plt):
    """Fokker-Planck WER map, pulse widths for the target WERs; returns the pulses [s]."""
    ic0 = float(params.ic0)
    currents = np.linspace(1.1, 4.0, 40) * ic0
    pulses = np.geomspace(0.3, 30.0, 50) * float(params.tau0)
    wer = write_error_rate(params, currents, pulses, temperature=temperature)
    _save(wer, out / "wer_map.nc")
    i_size = np.array([1.5, 2.0, 3.0]) * ic0
    sized = xr.concat([pulse_for_wer(params, i_size, target, temperature=temperature).expand_dims(target_wer=[target])
                       for target in WER_TARGETS], dim="target_wer")
    annotate(sized["target_wer"], "1", "target write error rate")
    _save(sized, out / "pulse_for_wer.nc")
    fig, ax = plt.subplots(figsize=(6, 4))
    log_wer = np.log10(np.maximum(wer.values, 1e-30))
    mesh = ax.pcolormesh(pulses, currents / ic0, log_wer, shading="auto", vmin=-30, vmax=0)
    ax.contour(pulses, currents / ic0, log_wer, levels=[-15, -12, -9, -6, -3], colors="w", linewidths=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("pulse width t_pulse [s]")
    ax.set_ylabel("I / I_c0")
    ax.set_title("write error rate (Fokker-Planck); contours 1e-3 ... 1e-15")
    fig.colorbar(mesh, ax=ax, label="log10 WER")
    fig.tight_layout()
    fig.savefig(out / "wer_map.png", dpi=120)
    plt.close(fig)
    return {f"{target:g}": {f"{float(i) / ic0:.1f} Ic0": float(t) for i, t in zip(i_size, sized.sel(target_wer=target).values)}
            for target in WER_TARGETS}


def _variability(params, out, temperature, seed):
    """Spread of Delta, I_c0, R_P, R_AP and the WER at 2 I_c0 over a sampled ensemble."""
    ens = sample_variability(params, 2000, spread=RUN_SPREAD, seed=seed)
    t_op = 10.0 * float(params.tau0)
    wer = write_error_rate(ens, 2.0 * float(params.ic0), t_op, temperature=temperature)
    summary = summarize(ens, temperature=temperature, wer=wer)
    summary.attrs.update(spread=json.dumps(RUN_SPREAD), spread_note="assumed illustrative spreads",
                         wer_current=2.0 * float(params.ic0), wer_t_pulse=t_op)
    summary.to_netcdf(out / "variability.nc")
    quantiles = {f"{name}_q{q:g}": float(summary[f"{name}_quantile"].sel(quantile=q))
                 for name in ("delta", "wer") for q in (0.01, 0.5, 0.99)}
    return quantiles | {"wer_current_A": 2.0 * float(params.ic0), "wer_t_pulse_s": t_op}


def _circuit(params, out, temperature):
    """Bitcell and sub-array figures of the design point, MTJ and SRAM; returns a summary."""
    d = RUN_CIRCUIT
    tech = technology(d["node"])
    cell = MTJBitcell(params, tech, i_write=d["i_write_ic0"] * float(params.at_temperature(temperature).ic0),
                      v_write=d["v_write"], target_wer=d["target_wer"], temperature=temperature)
    figures = cell.figures()
    figures.to_netcdf(out / "bitcell_mtj.nc")
    summary = {"node_nm": d["node"], "bitcell": {k: float(np.max(figures[k].values)) for k in (
        "cell_area_f2", "access_width", "t_write", "write_energy", "sense_margin", "read_energy", "read_disturb",
        "retention_failure")}}
    for name, c in (("mtj", cell), ("sram", SRAMBitcell(tech))):
        ds = Array(c, d["rows"], d["cols"], d["word_bits"]).figures()
        ds.to_netcdf(out / f"array_{name}.nc")
        summary[f"array_{name}"] = {k: float(ds[k]) for k in (
            "area", "read_latency", "write_latency", "read_energy", "write_energy", "leakage", "word_write_error",
            "word_read_error")}
    return summary, figures


def _network(params, cell_figures, out, seed, temperature, model_path=None):
    """The GLM network in binary MTJ cells with the bitcell's fault probabilities.

    The trained model is read from ``model_path`` if that file exists; otherwise it is
    trained and written there (and always to ``network_model.npz`` in the output)."""
    d = RUN_NETWORK
    ds = load_dataset(d["dataset"])
    x, y, xt, yt = ds.x_train.values, ds.y_train.values, ds.x_test.values, ds.y_test.values
    if model_path is not None and pathlib.Path(model_path).exists():
        model = SNN.load(model_path)
    else:
        model = train_snn(x, y, weight_bits=d["bits"], seed=seed, epochs=d["qat_epochs"], lr=3e-3,
                          init=train_snn(x, y, seed=seed))
        if model_path is not None:
            model.save(model_path)
    model.save(out / "network_model.npz")
    clean = evaluate(model, xt, yt, n_chips=d["chips"], seed=seed)
    faults = dataclasses.replace(FaultModel.from_bitcell(cell_figures), retention=float(
        retention_failure_probability(params, d["t_storage_s"], temperature=temperature)))
    faulty = evaluate(model, xt, yt, n_chips=d["chips"], faults=faults, seed=seed)
    faulty.attrs.update(t_storage_s=d["t_storage_s"])
    clean.to_netcdf(out / "network_fault_free.nc")
    faulty.to_netcdf(out / "network.nc")
    final = faulty.accuracy.isel(deadline=-1)
    return clean, {"accuracy_fault_free": float(clean.accuracy.isel(deadline=-1).mean()),
            "accuracy_within_4_steps_fault_free": float(clean.accuracy.sel(deadline=4).mean()),
            "accuracy_chips_mean": float(final.mean()), "accuracy_chips_std": float(final.std()),
            "no_spike": float(faulty.no_spike.mean()), "input_spikes_per_step": float(faulty.input_spikes_per_step),
            "sops_per_inference": float(faulty.sops_per_inference.mean()),
            "fault_probabilities": dataclasses.asdict(faults)}


def _architecture(preset, evaluation, out, temperature):
    """The default accelerator holding the run's network, with the run's MTJ and the
    circuit design point, against its SRAM equivalent, driven by the measured activity."""
    d = RUN_CIRCUIT
    acc = Accelerator(memory=MemorySpec(kind="mtj", rows=d["rows"], cols=d["cols"], access_bits=d["word_bits"],
                                        mtj_preset=preset, i_write_ic0=d["i_write_ic0"], v_write=d["v_write"],
                                        target_wer=d["target_wer"], temperature=temperature),
                      network=NetworkSpec(weight_bits=RUN_NETWORK["bits"]), node=d["node"])
    result = compare(acc, Activity.from_evaluation(evaluation))
    result.to_netcdf(out / "architecture.nc")
    keys = ("area", "power", "energy_per_inference", "latency_per_inference", "inferences_per_second", "gsops",
            "gsops_per_w", "pj_per_sop", "gsops_per_w_per_mm2", "tops_per_w")
    return {"design": acc.to_dict(),
            **{f"{kind}_{k}": float(result[k].sel(design=kind)) for kind in ("mtj", "sram") for k in keys},
            **{f"ratio_{k}": float(result[f"ratio_{k}"]) for k in keys}}


def run(preset: str = DEFAULT_PRESET, output=None, *, seed: int = 0, n_devices: int = 2000,
        temperature: float = 300.0, progress: bool = True, network_model=None) -> pathlib.Path:
    """Run the model chain on ``preset`` and write the results to ``output``.

    Parameters
    ----------
    preset : str
        Name of a literature preset (``spinaps.device.presets``).
    output : path-like, optional
        Output folder (created); default :func:`default_output_dir`.
    seed : int
        Seed of every random stream in the run.
    n_devices : int
        Devices per LLGS Monte-Carlo ensemble (>= 10).
    temperature : float [K]
    progress : bool
        Show progress bars.
    network_model : path-like, optional
        A trained network (:meth:`spinaps.network.SNN.save`) to use instead of training
        one; if the file does not exist yet, the trained model is written there (a cache
        for later runs).

    Returns
    -------
    pathlib.Path
        The output folder.
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if int(n_devices) < 10:
        raise ValueError(f"n_devices = {n_devices} must be >= 10")
    params = get_preset(preset)
    out = pathlib.Path(output) if output is not None else default_output_dir()
    out.mkdir(parents=True, exist_ok=True)
    citations.reset()
    seeds = np.random.SeedSequence(seed).spawn(2)

    props = device_properties(params, temperature)
    props.attrs["preset"] = preset
    props.attrs["preset_source"] = sources[preset].reference
    props.to_netcdf(out / "device_properties.nc")

    # switching-probability map (analytic models)
    ic0 = float(params.ic0)
    currents = np.linspace(0.2, 3.0, 57) * ic0
    pulses = np.logspace(-10, -2, 81)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # crossover points are marked in the figure instead
        pmap = switching_probability(params, currents, pulses, temperature=temperature)
    _save(pmap, out / "switching_map.nc")
    fig, ax = plt.subplots(figsize=(6, 4))
    mesh = ax.pcolormesh(pulses, currents / ic0, pmap.values, shading="auto", vmin=0, vmax=1)
    ax.set_xscale("log")
    ax.axhline(1.0, color="w", ls="--", lw=1)
    ax.set_xlabel("pulse width t_pulse [s]")
    ax.set_ylabel("I / I_c0")
    ax.set_title(f"{preset}: switching probability (thermal below, precessional above I_c0)")
    fig.colorbar(mesh, ax=ax, label="p_switch")
    fig.tight_layout()
    fig.savefig(out / "switching_map.png", dpi=120)
    plt.close(fig)

    wer_pulses = _write_error_rates(params, out, temperature, plt)

    # LLGS ensembles at two write currents
    runs = []
    duration = 4.0 * float(params.tau0)  # a pulse short enough that not every device switches
    for factor, sq in zip((1.5, 2.0), seeds):
        ds = simulate(params, factor * ic0, duration, n_devices=n_devices, temperature=temperature, seed=sq,
                      progress=progress)
        runs.append(ds[["t_switch", "switched"]].expand_dims(i_write=[factor * ic0]))
    llg = xr.concat(runs, dim="i_write")
    annotate(llg["i_write"], "A", "write current")
    llg = finalize(llg, params=params, seed=seed, cite=("Brown1963", "GarciaPalacios1998", "Sun2000"),
                   duration=duration, temperature=float(temperature))
    llg.to_netcdf(out / "llg_ensemble.nc")
    fig, ax = plt.subplots(figsize=(6, 4))
    for k in range(llg.sizes["i_write"]):
        ts = llg.t_switch.isel(i_write=k).values
        ax.hist(ts[np.isfinite(ts)] * 1e9, bins=50, histtype="step",
                label=f"I = {float(llg.i_write[k]) / ic0:.1f} I_c0, P_sw = {float(llg.switched.isel(i_write=k).mean()):.3f}")
    ax.set_xlabel("switching time t_switch [ns]")
    ax.set_ylabel("devices")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "switching_times.png", dpi=120)
    plt.close(fig)

    # retention and read disturb
    t_store = np.logspace(-3, 9, 61)
    ret = retention_failure_probability(params, t_store, temperature=temperature)
    t_read = np.logspace(-9, -6, 31)
    rd = read_disturb_probability(params, 0.3 * ic0, t_read, temperature=temperature)
    _save(ret.rename("retention_failure"), out / "retention.nc")
    _save(rd.rename("read_disturb"), out / "read_disturb.nc")

    spread = _variability(params, out, temperature, seed)
    circuit, cell_figures = _circuit(params, out, temperature)
    activity, network = _network(params, cell_figures, out, seed, temperature, network_model)
    architecture = _architecture(preset, activity, out, temperature)

    (out / "citations.bib").write_text(citations.bibtex(), encoding="utf-8")
    summary = {
        "spinaps_version": __version__,
        "preset": preset,
        "source": sources[preset].reference,
        "assumed": sources[preset].assumed,
        "parameters": to_dict(params),
        "seed": seed,
        "temperature_K": temperature,
        "delta": float(props.delta),
        "ic0_A": float(props.ic0),
        "tau0_s": float(props.tau0),
        "r_p_Ohm": float(props.r_p),
        "r_ap_Ohm": float(props.r_ap),
        "p_switch_llg": {f"{float(llg.i_write[k]) / ic0:.1f} Ic0, {duration:.3g} s":
                         float(llg.switched.isel(i_write=k).mean()) for k in range(llg.sizes["i_write"])},
        "pulse_for_wer_s": wer_pulses,
        "variability": {"spread": RUN_SPREAD, **spread},
        "circuit": {"design": RUN_CIRCUIT, **circuit},
        "network": {"design": RUN_NETWORK, **network},
        "architecture": architecture,
        "retention_failure_10yr": float(retention_failure_probability(params, 3.156e8, temperature=temperature)),
        "citations": citations.used(),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return out
