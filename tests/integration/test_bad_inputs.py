"""A battery of bad inputs across the layers' public entry points and the command line:
every one is refused with the exception its case names (a ``ValueError`` -- a
:class:`~spinaps.design.DesignError` for a configuration --, or a ``TypeError``) whose
message names the parameter (for a configuration its dotted key) and, where the code
states one, the allowed range -- no silent rounding of a count, no NaN carried on, no
bare numpy message, no hang and no huge allocation."""

import atexit
import dataclasses
import functools
import pathlib
import shutil
import tempfile
import warnings

import numpy as np
import pytest

from spinaps import params, threads
from spinaps.architecture import Accelerator, Activity, MemorySpec, NetworkSpec, NeuronSpec, compare, figures, mapping
from spinaps.circuit import (
    Array,
    MTJBitcell,
    SRAMBitcell,
    chip_cells,
    chip_devices,
    from_nvsim_cell,
    from_nvsim_cfg,
    homogeneous_cells,
    operation_area,
    operation_energy,
    technology,
)
from spinaps.cli import main
from spinaps.design import Design, DesignError
from spinaps.device import (
    MTJParams,
    Pulse,
    calibrate,
    current_for_wer,
    first_passage_time,
    mean_switching_time,
    measurements,
    precessional_switching_time,
    preset,
    pulse_for_wer,
    read_disturb_probability,
    retention_failure_probability,
    sample_variability,
    simulate,
    summarize,
    switching_probability,
    thermal_escape_time,
    worst_of_n,
    worst_of_n_pulse,
    write_error_rate,
)
from spinaps.device.heating import junction_temperature
from spinaps.network import (
    SNN,
    FaultModel,
    HiddenSNN,
    datasets,
    evaluate,
    evaluate_hidden,
    glm,
    train_ann,
    train_hidden_snn,
    train_snn,
)
from spinaps.network.tools import ClassCoverageWarning
from spinaps.sweep import Sweep, sweep

NEVER = pathlib.Path(tempfile.gettempdir()) / "spinaps-never-written.zarr"
SWEEP = Sweep.from_dict({"axes": {"circuit.node": [22, 28]}})
MTJ = preset("Ikeda2010")
IC0 = float(MTJ.ic0)
X = np.random.default_rng(0).random((20, 784))
Y = np.arange(20) % 10
T28 = technology(28)
CELL = MTJBitcell(MTJ, T28, i_write=1.5 * IC0, t_pulse=20e-9)
BITS = np.zeros((2, 8, 8), dtype=bool)
SPREAD = {"diameter": 0.03}
ACC = Accelerator()
ACT = Activity(input_spikes_per_step=100.0, steps_per_inference=3.0)
DESIGN = Design()
RNG = np.random.default_rng(0)


@functools.cache
def ensemble():
    """A small device-to-device ensemble (20 devices)."""
    return sample_variability(MTJ, 20, spread=SPREAD)


#: An otherwise 10-class training set with one stray label 10.
Y_STRAY = np.where(np.arange(20) == 7, 10, Y)


@functools.cache
def model_files():
    """Model files a new user might hand to ``SNN.load`` / ``HiddenSNN.load``: random
    bytes, a truncated archive, one with a pickled object array, the other kind of
    model, and valid archives with one thing wrong (made once, removed at exit)."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="spinaps-bad-models-"))
    atexit.register(shutil.rmtree, folder, True)
    good = folder / "good.npz"
    model().save(good)
    (folder / "garbage.npz").write_bytes(np.random.default_rng(0).bytes(200))
    (folder / "truncated.npz").write_bytes(good.read_bytes()[:300])
    hidden_model().save(folder / "hidden.npz")
    with np.load(good) as f:
        parts = {k: f[k] for k in f.files}
    variants = {
        "pickled": parts | {"weights": np.array([{"a": 1}], dtype=object)},
        "weights2d": parts | {"weights": parts["weights"][:, :, 0]},
        "bias_misfit": parts | {"bias": np.zeros(3)},
        "int_weights": parts | {"weights": parts["weights"].astype(np.int64)},
        "nan_weights": parts | {"weights": np.full_like(parts["weights"], np.nan)},
        "meta_text": parts | {"meta": np.array("not json")},
        "meta_unknown": parts
        | {
            "meta": np.array(
                '{"n_steps": 8, "tau": 4, "p_max": 1.0, "weight_bits": null, '
                '"code": "sign_magnitude", "rule": "first_to_spike", "seed": 0, '
                '"colour": "red"}'
            )
        },
        "meta_range": parts
        | {
            "meta": np.array(
                '{"n_steps": 0, "tau": 4, "p_max": 1.0, "weight_bits": null, '
                '"code": "sign_magnitude", "rule": "first_to_spike", "seed": 0}'
            )
        },
        "extra_array": parts | {"notes": np.zeros(2)},
    }
    for name, arrays in variants.items():
        np.savez(folder / f"{name}.npz", **arrays)
    return folder


def load_file(cls, name):
    return lambda: cls.load(model_files() / name)


@functools.cache
def model():
    """An SNN trained for one epoch on 20 random samples."""
    return train_snn(X, Y, epochs=1, seed=0)


def hidden_model():
    return HiddenSNN(np.zeros((5, 784, 1)), np.zeros(5), np.zeros((10, 5, 4)), np.zeros(10))


def tmr_data():
    return measurements.load(measurements.list()[0])


def enter(context):
    """Enter and leave a context manager (the threads limit checks on entering)."""
    with context:
        pass


def bad(call, name, *also, exc=ValueError):
    """A case: ``call()`` raises ``exc`` naming ``name``; the message also holds ``also``
    (the allowed range, where the code states one)."""
    return call, name, also, exc


def nvsim_file(name, text):
    """Write ``text`` into a fresh folder as ``name`` and return its path."""
    path = pathlib.Path(tempfile.mkdtemp()) / name
    path.write_text(text)
    return path


def strict(call):
    """``call`` with warnings raised as errors (an unknown NVSim key warns)."""

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return call()

    return run


def with_values(values):
    return lambda: DESIGN.with_values(values)


def toml(text):
    return lambda: Design.from_toml_text(text)


def sweep_of(data):
    return lambda: Sweep.from_dict(data)


CASES = {
    # ------------------------------------------------------------------ device
    "simulate n_devices 2.7": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2.7), "n_devices", "[1, "),
    "simulate n_devices '4'": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices="4"), "n_devices"),
    "simulate n_devices 0": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=0), "n_devices"),
    "simulate n_devices 1e12": bad(
        lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=10**12), "n_devices", "[1, 100000000]"
    ),
    "simulate seed -1": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2, seed=-1), "seed"),
    "simulate seed 1.5": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2, seed=1.5), "seed"),
    "simulate seed True": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2, seed=True), "seed"),
    "simulate current text": bad(lambda: simulate(MTJ, "fast", 1e-10, n_devices=2), "current"),
    "simulate current nan": bad(lambda: simulate(MTJ, float("nan"), 1e-10), "current", "[-1, 1] A"),
    "simulate t_end nan": bad(lambda: simulate(MTJ, 1.5 * IC0, float("nan")), "t_end", "(0, inf) s"),
    "simulate t_end text": bad(lambda: simulate(MTJ, 1.5 * IC0, "long"), "t_end"),
    "simulate t_end / dt too many steps": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e3), "t_end / dt", "2e8"),
    "simulate temperature < 0": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, temperature=-5), "temperature"),
    "simulate temperature above T_MAX": bad(
        lambda: simulate(MTJ, 1.5 * IC0, 1e-10, temperature=2500.0), "temperature", "[0, 2000] K"
    ),
    "simulate dt too large": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-9, dt=1e-9), "dt", "(0, 1e-10] s"),
    "simulate dt nan": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, dt=float("nan")), "dt"),
    "simulate threads 0": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, threads=0), "threads", "[1, inf)"),
    "simulate stt_form": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, stt_form="linear"), "stt_form", "slonczewski"),
    "simulate direction": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, direction="up"), "direction", "ap_to_p"),
    "simulate record_every 0": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, record_every=0.0), "record_every", "(0,"),
    "simulate record_every nan": bad(
        lambda: simulate(MTJ, 1.5 * IC0, 1e-10, record_every=float("nan")), "record_every"
    ),
    "simulate records too many": bad(
        lambda: simulate(MTJ, 1.5 * IC0, 1e-8, n_devices=10**6, record_every=1e-12), "record_every", "1e+09"
    ),
    "simulate m0 shape": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, m0=(1.0, 0.0)), "m0"),
    "simulate h_applied text": bad(lambda: simulate(MTJ, 1.5 * IC0, 1e-10, h_applied="strong"), "h_applied"),
    "simulate switch_level 2": bad(
        lambda: simulate(MTJ, 1.5 * IC0, 1e-10, switch_level=2.0), "switch_level", "(-1, 1)"
    ),
    "sample_variability n 2.7": bad(lambda: sample_variability(MTJ, 2.7, spread=SPREAD), "n", "[1, inf)"),
    "sample_variability n 0": bad(lambda: sample_variability(MTJ, 0, spread=SPREAD), "n"),
    "sample_variability n True": bad(lambda: sample_variability(MTJ, True, spread=SPREAD), "n"),
    "sample_variability n '10'": bad(lambda: sample_variability(MTJ, "10", spread=SPREAD), "n"),
    "sample_variability n 1e12": bad(lambda: sample_variability(MTJ, 10**12, spread=SPREAD), "n", "[1, 1e+08]"),
    "sample_variability spread 3": bad(lambda: sample_variability(MTJ, 10, spread=3), "spread"),
    "sample_variability spread field": bad(lambda: sample_variability(MTJ, 10, spread={"size": 0.1}), "spread"),
    "sample_variability spread < 0": bad(
        lambda: sample_variability(MTJ, 10, spread={"diameter": -0.1}), "spread['diameter']", "[0, 1)"
    ),
    "sample_variability spread nan": bad(
        lambda: sample_variability(MTJ, 10, spread={"diameter": float("nan")}), "spread['diameter']"
    ),
    "sample_variability distribution": bad(
        lambda: sample_variability(MTJ, 10, spread=SPREAD, distribution="uniform"), "distribution", "lognormal"
    ),
    "sample_variability correlation 2": bad(
        lambda: sample_variability(
            MTJ, 10, spread={"diameter": 0.03, "ra": 0.05}, correlation={("diameter", "ra"): 2.0}
        ),
        "correlation",
        "[-1, 1]",
    ),
    "sample_variability seed text": bad(lambda: sample_variability(MTJ, 10, spread=SPREAD, seed="a"), "seed"),
    "sample_variability seed -2": bad(lambda: sample_variability(MTJ, 10, spread=SPREAD, seed=-2), "seed"),
    "summarize quantiles 1.5": bad(lambda: summarize(ensemble(), quantiles=(0.5, 1.5)), "quantiles", "[0, 1]"),
    "summarize quantiles text": bad(lambda: summarize(ensemble(), quantiles="median"), "quantiles"),
    "summarize temperature < 0": bad(lambda: summarize(ensemble(), temperature=-1.0), "temperature"),
    "summarize wer text": bad(lambda: summarize(ensemble(), wer="low"), "wer"),
    "write_error_rate i_write text": bad(lambda: write_error_rate(MTJ, "fast", 1e-8), "i_write"),
    "write_error_rate i_write nan": bad(lambda: write_error_rate(MTJ, float("nan"), 1e-8), "i_write"),
    "write_error_rate i_write 1 A": bad(lambda: write_error_rate(MTJ, 1.0, 1e-8), "i_write", "[-1000, 1000]"),
    "write_error_rate t_pulse < 0": bad(lambda: write_error_rate(MTJ, 1.5 * IC0, -1e-9), "t_pulse", "[0, inf) s"),
    "write_error_rate thermal_resistance < 0": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, joule_heating=True, thermal_resistance=-1.0),
        "thermal_resistance",
        "[0, 1e+12] K/W",
    ),
    "write_error_rate thermal_resistance without heating": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, thermal_resistance=1e5), "thermal_resistance", "joule_heating"
    ),
    "write_error_rate joule_heating 'yes'": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, joule_heating="yes"), "joule_heating", "True or False"
    ),
    "write_error_rate joule heating runaway": bad(
        lambda: write_error_rate(MTJ, 1e-3, 1e-8, joule_heating=True), "i_write", "no steady junction temperature"
    ),
    "junction_temperature direction": bad(
        lambda: junction_temperature(MTJ, 1.5 * IC0, direction="up"), "direction", "ap_to_p"
    ),
    "MTJBitcell thermal_resistance < 0": bad(
        lambda: MTJBitcell(MTJ, T28, i_write=1.5 * IC0, joule_heating=True, thermal_resistance=-1.0),
        "thermal_resistance",
    ),
    "write_error_rate t_pulse inf": bad(lambda: write_error_rate(MTJ, 1.5 * IC0, float("inf")), "t_pulse"),
    "write_error_rate t_pulse text": bad(lambda: write_error_rate(MTJ, 1.5 * IC0, "short"), "t_pulse"),
    "write_error_rate temperature 0": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, temperature=0.0), "temperature", "(0, 2000] K"
    ),
    "write_error_rate method": bad(lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, method="exact"), "method"),
    "write_error_rate criterion": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, criterion="middle"), "criterion", "end_state"
    ),
    "write_error_rate direction": bad(lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, direction="up"), "direction"),
    "write_error_rate n_cells 2.5": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, n_cells=2.5), "n_cells", "[8, 20000]"
    ),
    "write_error_rate n_cells 1e9": bad(lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, n_cells=10**9), "n_cells"),
    "write_error_rate threads 1.5": bad(lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, threads=1.5), "threads"),
    "write_error_rate llg n_samples 2.5": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-9, method="llg", n_samples=2.5), "n_samples", "[1, 100000000]"
    ),
    "write_error_rate llg confidence 2": bad(
        lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-9, method="llg", n_samples=10, confidence=2.0),
        "confidence",
        "(0, 1)",
    ),
    "pulse_for_wer target 2": bad(lambda: pulse_for_wer(MTJ, 1.5 * IC0, 2.0), "target", "(1e-300, 1)"),
    "pulse_for_wer target 0": bad(lambda: pulse_for_wer(MTJ, 1.5 * IC0, 0.0), "target"),
    "pulse_for_wer target nan": bad(lambda: pulse_for_wer(MTJ, 1.5 * IC0, float("nan")), "target"),
    "pulse_for_wer i_write 1 A": bad(lambda: pulse_for_wer(MTJ, 1.0, 1e-9), "i_write", "[-1000, 1000]"),
    "pulse_for_wer n_cells 0": bad(lambda: pulse_for_wer(MTJ, 1.5 * IC0, 1e-9, n_cells=0), "n_cells"),
    "pulse_for_wer temperature < 0": bad(lambda: pulse_for_wer(MTJ, 1.5 * IC0, 1e-9, temperature=-1), "temperature"),
    "pulse_for_wer stt_form": bad(lambda: pulse_for_wer(MTJ, 1.5 * IC0, 1e-9, stt_form="linear"), "stt_form"),
    "current_for_wer target 1.5": bad(lambda: current_for_wer(MTJ, 1e-8, 1.5), "target", "(1e-300, 1)"),
    "current_for_wer t_pulse 0": bad(lambda: current_for_wer(MTJ, 0.0, 1e-9), "t_pulse", "(0, inf) s"),
    "current_for_wer i_max < 0": bad(lambda: current_for_wer(MTJ, 1e-8, 1e-9, i_max=-1.0), "i_max", "(1, 1000)"),
    "current_for_wer i_max nan": bad(lambda: current_for_wer(MTJ, 1e-8, 1e-9, i_max=float("nan")), "i_max"),
    "current_for_wer n_cells 2.5": bad(lambda: current_for_wer(MTJ, 1e-8, 1e-9, n_cells=2.5), "n_cells"),
    "switching_probability i_write text": bad(lambda: switching_probability(MTJ, "x", 1e-8), "i_write"),
    "switching_probability t_pulse nan": bad(lambda: switching_probability(MTJ, 1.5 * IC0, float("nan")), "t_pulse"),
    "switching_probability temperature nan": bad(
        lambda: switching_probability(MTJ, 1.5 * IC0, 1e-8, temperature=float("nan")), "temperature"
    ),
    "switching_probability method": bad(lambda: switching_probability(MTJ, 1.5 * IC0, 1e-8, method="x"), "method"),
    "switching_probability n_samples '10'": bad(
        lambda: switching_probability(MTJ, 1.5 * IC0, 1e-9, method="llg", n_samples="10"), "n_samples"
    ),
    "switching_probability confidence 0": bad(
        lambda: switching_probability(MTJ, 1.5 * IC0, 1e-9, method="llg", n_samples=10, confidence=0.0),
        "confidence",
        "(0, 1)",
    ),
    "switching_probability seed 1.5": bad(
        lambda: switching_probability(MTJ, 1.5 * IC0, 1e-9, method="llg", n_samples=10, seed=1.5), "seed"
    ),
    "switching_probability dt < 0": bad(
        lambda: switching_probability(MTJ, 1.5 * IC0, 1e-9, method="llg", n_samples=10, dt=-1.0), "dt"
    ),
    "mean_switching_time i_write text": bad(lambda: mean_switching_time(MTJ, "x"), "i_write"),
    "mean_switching_time method": bad(lambda: mean_switching_time(MTJ, 2 * IC0, method="x"), "method", "'exact'"),
    "mean_switching_time temperature < 0": bad(
        lambda: mean_switching_time(MTJ, 2 * IC0, temperature=-1.0), "temperature", "[0, 2000] K"
    ),
    "mean_switching_time sun below I_c0": bad(
        lambda: mean_switching_time(MTJ, 0.5 * IC0, method="sun"), "i_write", "I > I_c0"
    ),
    "thermal_escape_time current text": bad(lambda: thermal_escape_time(MTJ, "x"), "current"),
    "thermal_escape_time temperature 0": bad(lambda: thermal_escape_time(MTJ, temperature=0.0), "temperature"),
    "thermal_escape_time h nan": bad(lambda: thermal_escape_time(MTJ, h=float("nan")), "h"),
    "first_passage_time n_grid 2.5": bad(lambda: first_passage_time(MTJ, n_grid=2.5), "n_grid", "[101, 1000000]"),
    "first_passage_time n_grid 2": bad(lambda: first_passage_time(MTJ, n_grid=2), "n_grid"),
    "first_passage_time n_grid 1e10": bad(lambda: first_passage_time(MTJ, n_grid=10**10), "n_grid"),
    "first_passage_time mz_target 2": bad(lambda: first_passage_time(MTJ, mz_target=2.0), "mz_target", "(-1, 1)"),
    "first_passage_time mz_start nan": bad(lambda: first_passage_time(MTJ, mz_start=float("nan")), "mz_start"),
    "first_passage_time temperature text": bad(lambda: first_passage_time(MTJ, temperature="hot"), "temperature"),
    "precessional theta0 0": bad(lambda: precessional_switching_time(MTJ, 2 * IC0, 0.0), "theta0", "(0, 1.5708]"),
    "precessional theta0 nan": bad(lambda: precessional_switching_time(MTJ, 2 * IC0, float("nan")), "theta0"),
    "precessional i_write text": bad(lambda: precessional_switching_time(MTJ, "x", 0.1), "i_write"),
    "precessional i_write below I_c0": bad(
        lambda: precessional_switching_time(MTJ, 0.5 * IC0, 0.1), "i_write", "I > I_c0"
    ),
    "worst_of_n n 2.5": bad(lambda: worst_of_n(np.array([1e-9, 1e-8]), 2.5), "n_array", "[1, inf)"),
    "worst_of_n n 0": bad(lambda: worst_of_n(np.array([1e-9, 1e-8]), 0), "n_array"),
    "worst_of_n n True": bad(lambda: worst_of_n(np.array([1e-9, 1e-8]), True), "n_array"),
    "worst_of_n confidence 1": bad(
        lambda: worst_of_n(np.array([1e-9, 1e-8]), 5, confidence=1.0), "confidence", "(0, 1)"
    ),
    "worst_of_n values text": bad(lambda: worst_of_n("pulses", 5), "values"),
    "worst_of_n_pulse n_array 2.5": bad(lambda: worst_of_n_pulse(ensemble(), 1.5 * IC0, 1e-9, 2.5), "n_array"),
    "worst_of_n_pulse confidence nan": bad(
        lambda: worst_of_n_pulse(ensemble(), 1.5 * IC0, 1e-9, 64, confidence=float("nan")), "confidence"
    ),
    "worst_of_n_pulse target 1": bad(lambda: worst_of_n_pulse(ensemble(), 1.5 * IC0, 1.0, 64), "target"),
    "retention t_storage < 0": bad(lambda: retention_failure_probability(MTJ, -1.0), "t_storage", "[0, inf) s"),
    "retention t_storage nan": bad(lambda: retention_failure_probability(MTJ, float("nan")), "t_storage"),
    "retention criterion": bad(lambda: retention_failure_probability(MTJ, 1.0, criterion="x"), "criterion"),
    "retention method": bad(lambda: retention_failure_probability(MTJ, 1.0, method="x"), "method"),
    "retention n_cells 1.5": bad(lambda: retention_failure_probability(MTJ, 1.0, n_cells=1.5), "n_cells"),
    "read_disturb temperature text": bad(
        lambda: read_disturb_probability(MTJ, 0.3 * IC0, 1e-8, temperature="hot"), "temperature"
    ),
    "read_disturb i_read text": bad(lambda: read_disturb_probability(MTJ, "low", 1e-8), "i_read"),
    "read_disturb i_read nan": bad(lambda: read_disturb_probability(MTJ, float("nan"), 1e-8), "i_read"),
    "read_disturb i_read above I_c0": bad(lambda: read_disturb_probability(MTJ, 2 * IC0, 1e-8), "i_read", "I_c0"),
    "read_disturb t_read < 0": bad(lambda: read_disturb_probability(MTJ, 0.3 * IC0, -1e-8), "t_read"),
    "read_disturb direction": bad(lambda: read_disturb_probability(MTJ, 0.3 * IC0, 1e-8, direction="x"), "direction"),
    "delta temperature 0": bad(lambda: MTJ.delta(0.0), "temperature", "(0, 2000] K"),
    "at_temperature above T_MAX": bad(lambda: MTJ.at_temperature(2500.0), "temperature", "[0, 2000] K"),
    "MTJParams(...) diameter 0": bad(lambda: MTJParams(**{**params.to_dict(MTJ), "diameter": 0.0}), "diameter"),
    "MTJParams diameter 0": bad(lambda: dataclasses.replace(MTJ, diameter=0.0), "diameter", "(0, 1e-05] m"),
    "MTJParams tmr0 < 0": bad(lambda: dataclasses.replace(MTJ, tmr0=-1.0), "tmr0", "[0, 100]"),
    "MTJParams alpha nan": bad(lambda: dataclasses.replace(MTJ, alpha=float("nan")), "alpha", "(0, 1)"),
    "MTJParams ms text": bad(lambda: dataclasses.replace(MTJ, ms="big"), "ms"),
    "MTJParams ku None": bad(lambda: dataclasses.replace(MTJ, ku=None), "ku"),
    "MTJParams polarization 1.5": bad(lambda: dataclasses.replace(MTJ, polarization=1.5), "polarization", "(0, 1]"),
    "MTJParams t_ref < 0": bad(lambda: dataclasses.replace(MTJ, t_ref=-1.0), "t_ref", "[0, 2000) K"),
    "MTJParams curie_temperature below t_ref": bad(
        lambda: dataclasses.replace(MTJ, curie_temperature=100.0), "curie_temperature", "(300, 5000) K"
    ),
    "MTJParams diameter list with text": bad(lambda: dataclasses.replace(MTJ, diameter=[40e-9, "a"]), "diameter"),
    "MTJParams h_offset above H_K,eff": bad(
        lambda: dataclasses.replace(MTJ, h_offset=2.0 * float(MTJ.hk_eff)), "h_offset", "H_K,eff", "allowed range"
    ),
    "MTJParams h_offset nan": bad(lambda: dataclasses.replace(MTJ, h_offset=float("nan")), "h_offset"),
    "MTJParams h_offset text": bad(lambda: dataclasses.replace(MTJ, h_offset="strong"), "h_offset"),
    "MTJParams field_like_ratio cancels the torque": bad(
        lambda: dataclasses.replace(MTJ, field_like_ratio=-1.0 / float(MTJ.alpha)), "field_like_ratio", "allowed range"
    ),
    "ic0_direction direction": bad(lambda: MTJ.ic0_direction("up"), "direction", "ap_to_p"),
    "ic0_direction stt_form": bad(lambda: MTJ.ic0_direction("ap_to_p", "linear"), "stt_form", "slonczewski"),
    "ic0_direction h_applied nan": bad(lambda: MTJ.ic0_direction("ap_to_p", h_applied=float("nan")), "h_applied"),
    "delta_state state": bad(lambda: MTJ.delta_state("up"), "state", "'p', 'ap'"),
    "delta_state temperature 0": bad(lambda: MTJ.delta_state("p", 0.0), "temperature"),
    "thermal_escape_time direction": bad(lambda: thermal_escape_time(MTJ, 0.0, direction="x"), "direction"),
    "write_error_rate butler with h_offset": bad(
        lambda: write_error_rate(dataclasses.replace(MTJ, h_offset=1e3), 2 * IC0, 1e-8, method="butler"),
        "h_offset",
        "fokker_planck",
    ),
    "preset nope": bad(lambda: preset("nope"), "preset", "Ikeda2010", exc=KeyError),
    "Pulse amplitude text": bad(lambda: Pulse("high", 1e-9), "amplitude"),
    "Pulse t_pulse < 0": bad(lambda: Pulse(1e-4, -1e-9), "t_pulse", "(0, inf) s"),
    "Pulse t_pulse nan": bad(lambda: Pulse(1e-4, float("nan")), "t_pulse"),
    "Pulse rise < 0": bad(lambda: Pulse(1e-4, 1e-9, rise=-1e-10), "rise", "[0, inf) s"),
    "Pulse start nan": bad(lambda: Pulse(1e-4, 1e-9, start=float("nan")), "start"),
    "calibrate measurement text": bad(lambda: calibrate("tmr.json", MTJ), "measurement", exc=TypeError),
    "calibrate params text": bad(lambda: calibrate(tmr_data(), "Ikeda2010"), "params", exc=TypeError),
    "calibrate fit unknown": bad(lambda: calibrate(tmr_data(), MTJ, fit=("size",)), "fit"),
    "calibrate method": bad(lambda: calibrate(tmr_data(), MTJ, method="magic"), "method"),
    "seed_sequence seed list": bad(lambda: params.seed_sequence([1, 2]), "seed"),
    # ------------------------------------------------------------------ circuit
    "technology node 23": bad(lambda: technology(23), "node", "23", "45, 32, 28, 22"),
    "technology node 7": bad(lambda: technology(node=7), "node", "45, 32, 28, 22"),
    "technology node 28.0": bad(lambda: technology(28.0), "node"),
    "technology node True": bad(lambda: technology(True), "node"),
    "technology flavor": bad(lambda: technology(28, "ulp"), "flavor", "hp, lstp"),
    "Technology vdd < 0": bad(lambda: dataclasses.replace(T28, vdd=-1.0), "vdd", "(0.3, 5) V"),
    "Technology flavor": bad(lambda: dataclasses.replace(T28, flavor="x"), "flavor"),
    "Technology.r_on kind": bad(lambda: T28.r_on(100e-9, kind="x"), "kind", "n, p"),
    "Technology.i_on kind": bad(lambda: T28.i_on(100e-9, kind="nmos"), "kind", "n, p"),
    "Technology.width_for_current kind": bad(lambda: T28.width_for_current(1e-4, kind="P"), "kind", "n, p"),
    "Technology.r_on width 0": bad(lambda: T28.r_on(0.0), "width", "(0, inf) m"),
    "Technology.r_on width text": bad(lambda: T28.r_on("wide"), "width"),
    "Technology.width_for_current current nan": bad(lambda: T28.width_for_current(float("nan")), "current"),
    "MTJBitcell temperature text": bad(lambda: MTJBitcell(MTJ, T28, temperature="room"), "temperature"),
    "MTJBitcell temperature 0": bad(lambda: MTJBitcell(MTJ, T28, temperature=0.0), "temperature", "(0, 2000] K"),
    "MTJBitcell t_pulse < 0": bad(lambda: MTJBitcell(MTJ, T28, t_pulse=-1e-9), "t_pulse", "(0, 1) s"),
    "MTJBitcell target_wer 1.5": bad(lambda: MTJBitcell(MTJ, T28, target_wer=1.5), "target_wer", "(1e-300, 1)"),
    "MTJBitcell v_read text": bad(lambda: MTJBitcell(MTJ, T28, v_read="low"), "v_read"),
    "MTJBitcell v_read above vdd": bad(lambda: MTJBitcell(MTJ, T28, v_read=0.9), "v_read", "(0, 0.86) V"),
    "MTJBitcell v_write below vth": bad(lambda: MTJBitcell(MTJ, T28, v_write=0.1), "v_write", "(0.18681, 5) V"),
    "MTJBitcell degenerated": bad(lambda: MTJBitcell(MTJ, T28, degenerated="both"), "degenerated", "p_to_ap"),
    "MTJBitcell stt_form": bad(lambda: MTJBitcell(MTJ, T28, stt_form="linear"), "stt_form", "slonczewski"),
    "MTJBitcell mtj text": bad(lambda: MTJBitcell("Ikeda2010", T28), "mtj", exc=TypeError),
    "MTJBitcell tech int": bad(lambda: MTJBitcell(MTJ, 28), "tech", exc=TypeError),
    "MTJBitcell i_write nan": bad(lambda: MTJBitcell(MTJ, T28, i_write=float("nan")), "i_write", "(0, 0.01) A"),
    "MTJBitcell t_read 0": bad(lambda: MTJBitcell(MTJ, T28, t_read=0.0), "t_read", "(0, 0.001) s"),
    "MTJBitcell sense_offset < 0": bad(lambda: MTJBitcell(MTJ, T28, sense_offset=-1e-7), "sense_offset"),
    "MTJBitcell alpha_power 3": bad(lambda: MTJBitcell(MTJ, T28, alpha_power=3.0), "alpha_power", "[1, 2]"),
    "MTJBitcell min_area_f2 1000": bad(lambda: MTJBitcell(MTJ, T28, min_area_f2=1000.0), "min_area_f2", "[0, 1000)"),
    "MTJBitcell t_storage < 0": bad(lambda: MTJBitcell(MTJ, T28, t_storage=-1.0), "t_storage"),
    "SRAMBitcell area text": bad(lambda: SRAMBitcell(T28, area="small"), "area", "cacti"),
    "SRAMBitcell swing 0": bad(lambda: SRAMBitcell(T28, swing=0.0), "swing", "(0, 1]"),
    "Array rows 100": bad(lambda: Array(CELL, 100, 256, 32), "rows", "[4, 8192]"),
    "Array rows 256.0": bad(lambda: Array(CELL, 256.0, 256, 32), "rows"),
    "Array cols '256'": bad(lambda: Array(CELL, 256, "256", 32), "cols"),
    "Array access_bits 3": bad(lambda: Array(CELL, 256, 256, 3), "access_bits"),
    "Array access_bits True": bad(lambda: Array(CELL, 256, 256, True), "access_bits"),
    "Array bitcell text": bad(lambda: Array("cell", 256, 256, 32), "bitcell", exc=TypeError),
    "Array periphery": bad(lambda: Array(CELL, 256, 256, 32, periphery="ulp"), "periphery", "hp, lstp"),
    "Array sa_offset < 0": bad(lambda: Array(CELL, 256, 256, 32, sa_offset=-1.0), "sa_offset", "(0, 0.5) V"),
    "Array sa_sigmas nan": bad(lambda: Array(CELL, 256, 256, 32, sa_sigmas=float("nan")), "sa_sigmas", "[1, 10]"),
    "Array aspect_ratio 0": bad(lambda: Array(CELL, 256, 256, 32, aspect_ratio=0.0), "aspect_ratio", "(0.1, 10)"),
    "chip_cells n_chips 2.5": bad(
        lambda: chip_cells(CELL, BITS, 2.5, spread=SPREAD, t_storage=1.0, seed=0), "n_chips", "[1, 10000000]"
    ),
    "chip_cells n_chips 0": bad(lambda: chip_cells(CELL, BITS, 0, spread=SPREAD, t_storage=1.0, seed=0), "n_chips"),
    "chip_cells seed -1": bad(lambda: chip_cells(CELL, BITS, 1, spread=SPREAD, t_storage=1.0, seed=-1), "seed"),
    "chip_cells t_storage nan": bad(
        lambda: chip_cells(CELL, BITS, 1, spread=SPREAD, t_storage=float("nan"), seed=0), "t_storage", "[0, 1e+12] s"
    ),
    "chip_cells spread field": bad(
        lambda: chip_cells(CELL, BITS, 1, spread={"size": 0.03}, t_storage=1.0, seed=0), "spread"
    ),
    "chip_cells read_disturb_state": bad(
        lambda: chip_cells(CELL, BITS, 1, spread=SPREAD, t_storage=1.0, seed=0, read_disturb_state="x"),
        "read_disturb_state",
        "ap, p",
    ),
    "chip_cells block_cells 1.5": bad(
        lambda: chip_cells(CELL, BITS, 1, spread=SPREAD, t_storage=1.0, seed=0, block_cells=1.5), "block_cells"
    ),
    "chip_cells bits text": bad(lambda: chip_cells(CELL, "0101", 1, spread=SPREAD, t_storage=1.0, seed=0), "bits"),
    "chip_cells distribution": bad(
        lambda: chip_cells(CELL, BITS, 1, spread=SPREAD, t_storage=1.0, seed=0, distribution="uniform"),
        "distribution",
    ),
    "chip_cells bitcell SRAM": bad(
        lambda: chip_cells(SRAMBitcell(T28), BITS, 1, spread=SPREAD, t_storage=1.0, seed=0), "bitcell", exc=TypeError
    ),
    "homogeneous_cells n_chips '2'": bad(lambda: homogeneous_cells(CELL, BITS, "2", t_storage=1.0), "n_chips"),
    "homogeneous_cells n_chips True": bad(lambda: homogeneous_cells(CELL, BITS, True, t_storage=1.0), "n_chips"),
    "homogeneous_cells t_storage < 0": bad(lambda: homogeneous_cells(CELL, BITS, 1, t_storage=-1.0), "t_storage"),
    "homogeneous_cells read_disturb_state": bad(
        lambda: homogeneous_cells(CELL, BITS, 1, t_storage=1.0, read_disturb_state="x"), "read_disturb_state"
    ),
    "chip_devices chip -1": bad(lambda: chip_devices(CELL, 10, -1, spread=SPREAD, seed=0), "chip", "[0, 10000000]"),
    "chip_devices n_cells 2.5": bad(lambda: chip_devices(CELL, 2.5, 0, spread=SPREAD, seed=0), "n_cells"),
    "operation_energy operation": bad(lambda: operation_energy(T28, "divide"), "operation", "add"),
    "operation_energy bits 2.5": bad(lambda: operation_energy(T28, "add", bits=2.5), "bits", "[1, 64]"),
    "operation_energy bits 0": bad(lambda: operation_energy(T28, "add", bits=0), "bits", "[1, 64]"),
    "operation_energy bits '8'": bad(lambda: operation_energy(T28, "add", bits="8"), "bits"),
    "operation_energy bits float array": bad(lambda: operation_energy(T28, "add", bits=np.array([4.0, 8.5])), "bits"),
    "operation_energy tech int": bad(lambda: operation_energy(28, "add"), "tech", exc=TypeError),
    "operation_area bits True": bad(lambda: operation_area(T28, "add", bits=True), "bits"),
    "NVSim cell file missing": bad(
        lambda: from_nvsim_cell("no/such/file.cell", T28), "no/such/file.cell", exc=FileNotFoundError
    ),
    "NVSim cell malformed line": bad(
        lambda: from_nvsim_cell(nvsim_file("m.cell", "-MemCellType: MRAM\nCellArea 57.5\n"), T28),
        "m.cell, line 2",
        "malformed line",
    ),
    "NVSim cell unknown key": bad(
        strict(lambda: from_nvsim_cell(nvsim_file("u.cell", "-MemCellType: SRAM\n-CellSize: 3\n"), T28)),
        "CellSize",
        "u.cell",
        exc=UserWarning,
    ),
    "NVSim cell type PCRAM": bad(
        lambda: from_nvsim_cell(nvsim_file("p.cell", "-MemCellType: PCRAM\n"), T28),
        "MemCellType",
        "'PCRAM'",
        "allowed: MRAM, SRAM",
    ),
    "NVSim cell current in nA": bad(
        lambda: from_nvsim_cell(nvsim_file("n.cell", "-MemCellType: MRAM\n-SetCurrent (nA): 40\n"), T28),
        "SetCurrent",
        "'uA'",
    ),
    "NVSim cfg missing": bad(lambda: from_nvsim_cfg("no/such/file.cfg"), "no/such/file.cfg", exc=FileNotFoundError),
    "NVSim cfg roadmap LOP": bad(
        lambda: from_nvsim_cfg(nvsim_file("r.cfg", "-DeviceRoadmap: LOP\n")), "DeviceRoadmap", "allowed: HP, LSTP"
    ),
    "NVSim cfg missing capacity": bad(
        lambda: from_nvsim_cfg(nvsim_file("c.cfg", "-DesignTarget: RAM\n-WordWidth (bit): 64\n")), "Capacity"
    ),
    "MTJBitcell area_f2 2000": bad(
        lambda: MTJBitcell(MTJ, T28, i_write=1.5 * IC0, t_pulse=20e-9, area_f2=2000.0), "area_f2", "1000"
    ),
    "MTJBitcell access_width_f 0.5": bad(
        lambda: MTJBitcell(MTJ, T28, i_write=1.5 * IC0, t_pulse=20e-9, access_width_f=0.5), "access_width_f", "[1, 100]"
    ),
    "SRAMBitcell nmos_width_f 0": bad(lambda: SRAMBitcell(T28, nmos_width_f=0.0), "nmos_width_f", "[0.5, 20]"),
    # ------------------------------------------------------------------ network
    "train_snn epochs 2.5": bad(lambda: train_snn(X, Y, epochs=2.5), "epochs", "[1, 100000]"),
    "train_snn epochs '3'": bad(lambda: train_snn(X, Y, epochs="3"), "epochs"),
    "train_snn epochs True": bad(lambda: train_snn(X, Y, epochs=True), "epochs"),
    "train_snn n_steps 0": bad(lambda: train_snn(X, Y, n_steps=0, epochs=1), "n_steps", "[1, 1000]"),
    "train_snn n_steps 2.5": bad(lambda: train_snn(X, Y, n_steps=2.5, epochs=1), "n_steps"),
    "train_snn batch 0": bad(lambda: train_snn(X, Y, epochs=1, batch=0), "batch", "[1, 1000000]"),
    "train_snn batch 2.5": bad(lambda: train_snn(X, Y, epochs=1, batch=2.5), "batch"),
    "train_snn lr nan": bad(lambda: train_snn(X, Y, epochs=1, lr=float("nan")), "lr", "(0, 1]"),
    "train_snn lr < 0": bad(lambda: train_snn(X, Y, epochs=1, lr=-1.0), "lr"),
    "train_snn lr_final text": bad(lambda: train_snn(X, Y, epochs=1, lr_final="slow"), "lr_final", "(0, 1]"),
    "train_snn final_epochs 1.5": bad(lambda: train_snn(X, Y, epochs=1, final_epochs=1.5), "final_epochs"),
    "train_snn weight_bits 0": bad(lambda: train_snn(X, Y, weight_bits=0, epochs=1), "weight_bits", "[1, 8]"),
    "train_snn weight_bits 2.5": bad(lambda: train_snn(X, Y, weight_bits=2.5, epochs=1), "weight_bits"),
    "train_snn seed -1": bad(lambda: train_snn(X, Y, epochs=1, seed=-1), "seed"),
    "train_snn seed 1.5": bad(lambda: train_snn(X, Y, epochs=1, seed=1.5), "seed"),
    "train_snn rule": bad(lambda: train_snn(X, Y, epochs=1, rule="hebb"), "rule", "first_to_spike"),
    "train_snn code": bad(lambda: train_snn(X, Y, epochs=1, code="gray"), "code", "sign_magnitude"),
    "train_snn n_basis 0": bad(lambda: train_snn(X, Y, epochs=1, n_basis=0), "n_basis", "[1, 32]"),
    "train_snn n_basis 2.5": bad(lambda: train_snn(X, Y, epochs=1, n_basis=2.5), "n_basis"),
    "train_snn tau 2.5": bad(lambda: train_snn(X, Y, epochs=1, tau=2.5), "tau"),
    "train_snn p_max 2": bad(lambda: train_snn(X, Y, epochs=1, p_max=2.0), "p_max", "(0, 1]"),
    "train_snn p_max nan": bad(lambda: train_snn(X, Y, epochs=1, p_max=float("nan")), "p_max"),
    "train_snn n_classes 2.5": bad(lambda: train_snn(X, Y, epochs=1, n_classes=2.5), "n_classes", "[1, 100000]"),
    "train_snn n_classes below the labels": bad(lambda: train_snn(X, Y, epochs=1, n_classes=5), "n_classes"),
    "train_snn x_train nan": bad(lambda: train_snn(np.full_like(X, np.nan), Y, epochs=1), "x_train", "[0, 1]"),
    "train_snn x_train above 1": bad(lambda: train_snn(5 * X, Y, epochs=1), "x_train", "[0, 1]"),
    "train_snn x_train text": bad(lambda: train_snn("digits", Y, epochs=1), "x_train"),
    "train_snn y_train float": bad(lambda: train_snn(X, Y + 0.5, epochs=1), "y_train"),
    "train_snn y_train negative": bad(lambda: train_snn(X, Y - 1, epochs=1), "y_train"),
    "train_snn y_train length": bad(lambda: train_snn(X, Y[:5], epochs=1), "y_train"),
    "train_snn stray label 10 of 10 classes": bad(
        lambda: train_snn(X, Y_STRAY, epochs=1, n_classes=10), "y_train", "label 10", "[0, 9]"
    ),
    "train_ann stray label 10 of 10 classes": bad(
        lambda: train_ann(X, Y_STRAY, epochs=1, n_classes=10), "y_train", "label 10", "[0, 9]"
    ),
    "train_ann n_classes 2.5": bad(lambda: train_ann(X, Y, epochs=1, n_classes=2.5), "n_classes", "[1, 100000]"),
    "train_hidden_snn stray label 10 of 10 classes": bad(
        lambda: train_hidden_snn(X, Y_STRAY, hidden=4, epochs=1, n_classes=10), "y_train", "label 10", "[0, 9]"
    ),
    "train_snn init text": bad(lambda: train_snn(X, Y, epochs=1, init="model.npz"), "init", exc=TypeError),
    "train_hidden_snn hidden 0": bad(lambda: train_hidden_snn(X, Y, hidden=0, epochs=1), "hidden", "[1, 100000]"),
    "train_hidden_snn hidden 2.5": bad(lambda: train_hidden_snn(X, Y, hidden=2.5, epochs=1), "hidden"),
    "train_hidden_snn estimator": bad(lambda: train_hidden_snn(X, Y, hidden=4, epochs=1, estimator="x"), "estimator"),
    "train_hidden_snn n_samples 0": bad(
        lambda: train_hidden_snn(X, Y, hidden=4, epochs=1, n_samples=0), "n_samples", "[1, 10000]"
    ),
    "train_hidden_snn epochs 1.5": bad(lambda: train_hidden_snn(X, Y, hidden=4, epochs=1.5), "epochs"),
    "train_hidden_snn seed -1": bad(lambda: train_hidden_snn(X, Y, hidden=4, epochs=1, seed=-1), "seed"),
    "train_hidden_snn l2 < 0": bad(lambda: train_hidden_snn(X, Y, hidden=4, epochs=1, l2=-1.0), "l2"),
    "train_hidden_snn init_scale nan": bad(
        lambda: train_hidden_snn(X, Y, hidden=4, epochs=1, init_scale=float("nan")), "init_scale"
    ),
    "train_hidden_snn n_basis_hidden 0": bad(
        lambda: train_hidden_snn(X, Y, hidden=4, epochs=1, n_basis_hidden=0), "n_basis_hidden", "[1, 32]"
    ),
    "train_hidden_snn batch 1.5": bad(lambda: train_hidden_snn(X, Y, hidden=4, epochs=1, batch=1.5), "batch"),
    "train_hidden_snn y_train length": bad(lambda: train_hidden_snn(X, Y[:3], hidden=4, epochs=1), "y_train"),
    "evaluate decoding": bad(lambda: evaluate(model(), X, Y, decoding="vote"), "decoding", "first_to_spike"),
    "evaluate batch 0": bad(lambda: evaluate(model(), X, Y, batch=0), "batch", "[1, 1000000]"),
    "evaluate batch 2.5": bad(lambda: evaluate(model(), X, Y, batch=2.5), "batch"),
    "evaluate threads 0": bad(lambda: evaluate(model(), X, Y, threads=0), "threads", "[1, inf)"),
    "train_snn threads 0": bad(lambda: train_snn(X, Y, epochs=1, threads=0), "threads", "[1, inf)"),
    "evaluate bit_error_rate 2": bad(lambda: evaluate(model(), X, Y, bit_error_rate=2.0), "bit_error_rate", "[0, 1]"),
    "evaluate bit_error_rate nan": bad(lambda: evaluate(model(), X, Y, bit_error_rate=float("nan")), "bit_error_rate"),
    "evaluate bit_error_rate text": bad(lambda: evaluate(model(), X, Y, bit_error_rate="low"), "bit_error_rate"),
    "evaluate faults text": bad(lambda: evaluate(model(), X, Y, faults="none"), "faults", exc=TypeError),
    "evaluate seed -1": bad(lambda: evaluate(model(), X, Y, seed=-1), "seed"),
    "evaluate model text": bad(lambda: evaluate("model.npz", X, Y), "model", exc=TypeError),
    "evaluate x_test width": bad(lambda: evaluate(model(), X[:, :10], Y), "x_test", "784"),
    "evaluate y_test beyond the classes": bad(lambda: evaluate(model(), X, Y + 10), "y_test", "label 19", "[0, 9]"),
    "SNN.load missing file": bad(load_file(SNN, "absent.npz"), "absent.npz", exc=FileNotFoundError),
    "SNN.load random bytes": bad(load_file(SNN, "garbage.npz"), "garbage.npz", "not a model file for SNN", "zip"),
    "SNN.load truncated": bad(load_file(SNN, "truncated.npz"), "truncated.npz", "corrupt"),
    "SNN.load pickled array": bad(load_file(SNN, "pickled.npz"), "pickled.npz", "'weights' holds Python objects"),
    "SNN.load a HiddenSNN file": bad(load_file(SNN, "hidden.npz"), "hidden.npz", "missing array(s) bias, weights"),
    "HiddenSNN.load an SNN file": bad(load_file(HiddenSNN, "good.npz"), "good.npz", "missing array(s) b_hidden"),
    "SNN.load 2-D weights": bad(load_file(SNN, "weights2d.npz"), "weights2d.npz", "'weights' has 2 dimension"),
    "SNN.load bias misfit": bad(load_file(SNN, "bias_misfit.npz"), "bias_misfit.npz", "'bias' of shape (3,)"),
    "SNN.load integer weights": bad(load_file(SNN, "int_weights.npz"), "int_weights.npz", "dtype int64"),
    "SNN.load nan weights": bad(load_file(SNN, "nan_weights.npz"), "nan_weights.npz", "non-finite"),
    "SNN.load meta not JSON": bad(load_file(SNN, "meta_text.npz"), "meta_text.npz", "not valid JSON"),
    "SNN.load unknown meta": bad(load_file(SNN, "meta_unknown.npz"), "meta_unknown.npz", "unknown colour"),
    "SNN.load meta out of range": bad(load_file(SNN, "meta_range.npz"), "meta_range.npz", "n_steps", "[1, 1000]"),
    "SNN.load extra array": bad(load_file(SNN, "extra_array.npz"), "extra_array.npz", "unexpected array(s) notes"),
    "evaluate n_chips True": bad(lambda: evaluate(model(), X, Y, n_chips=True), "n_chips", "[1, 100000]"),
    "evaluate n_chips 1e9": bad(lambda: evaluate(model(), X, Y, n_chips=10**9), "n_chips", "[1, 100000]"),
    "evaluate_hidden model SNN": bad(lambda: evaluate_hidden(model(), X, Y), "model", exc=TypeError),
    "evaluate_hidden n_chips 1.5": bad(lambda: evaluate_hidden(hidden_model(), X, Y, n_chips=1.5), "n_chips"),
    "load nope": bad(lambda: datasets.load("nope"), "name", "mnist, digits, har"),
    "load seed -1": bad(lambda: datasets.load("mnist", seed=-1), "seed"),
    "load mnist path missing": bad(
        lambda: datasets.load("mnist", path="/no/such/folder"), "path", exc=FileNotFoundError
    ),
    "FaultModel wer_p_to_ap 1.5": bad(lambda: FaultModel(wer_p_to_ap=1.5), "wer_p_to_ap", "[0, 1]"),
    "FaultModel retention nan": bad(lambda: FaultModel(retention=float("nan")), "retention"),
    "FaultModel n_reads 2.5": bad(lambda: FaultModel(n_reads=2.5), "n_reads", "[0, 1000000000000000000]"),
    "FaultModel n_reads -1": bad(lambda: FaultModel(n_reads=-1), "n_reads"),
    "FaultModel stuck_at sum": bad(lambda: FaultModel(stuck_at_0=0.6, stuck_at_1=0.6), "stuck_at_0"),
    "FaultModel read_disturb_state": bad(lambda: FaultModel(read_disturb_state="x"), "read_disturb_state", "ap, p"),
    "FaultModel flip text": bad(lambda: FaultModel(flip="often"), "flip"),
    "FaultModel cell_bits text": bad(lambda: FaultModel(cell_bits="0101"), "cell_bits"),
    "FaultModel wer_ap_to_p text array": bad(lambda: FaultModel(wer_ap_to_p=np.array(["a"])), "wer_ap_to_p"),
    "SNN n_steps 2.5": bad(lambda: dataclasses.replace(model(), n_steps=2.5), "n_steps", "[1, 1000]"),
    "SNN tau 0": bad(lambda: dataclasses.replace(model(), tau=0), "tau", "[1, 1000]"),
    "SNN p_max 2": bad(lambda: dataclasses.replace(model(), p_max=2.0), "p_max", "(0, 1]"),
    "SNN rule": bad(lambda: dataclasses.replace(model(), rule="hebb"), "rule"),
    "SNN code": bad(lambda: dataclasses.replace(model(), code="gray"), "code"),
    "SNN weight_bits 9": bad(lambda: dataclasses.replace(model(), weight_bits=9), "weight_bits", "[1, 8]"),
    "SNN seed -1": bad(lambda: dataclasses.replace(model(), seed=-1), "seed"),
    "SNN weights 2-D": bad(lambda: SNN(np.zeros((3, 3)), np.zeros(3)), "weights"),
    "encode n_steps 2.5": bad(lambda: glm.encode(X, 2.5, rng=RNG), "n_steps", "[1, 1000]"),
    "encode n_steps 0": bad(lambda: glm.encode(X, 0, rng=RNG), "n_steps"),
    "encode n_steps '8'": bad(lambda: glm.encode(X, "8", rng=RNG), "n_steps"),
    "encode n_steps 1e9": bad(lambda: glm.encode(X, 10**9, rng=RNG), "n_steps", "[1, 1000]"),
    "encode p_max 2": bad(lambda: glm.encode(X, 8, p_max=2.0, rng=RNG), "p_max", "(0, 1]"),
    "encode rng int": bad(lambda: glm.encode(X, 8, rng=3), "rng", exc=TypeError),
    "encode x nan": bad(lambda: glm.encode(np.full((2, 3), np.nan), 8, rng=RNG), "x", "[0, 1]"),
    "train_ann hidden text": bad(lambda: train_ann(X, Y, hidden="100"), "hidden", "[1, 100000]"),
    "train_ann hidden 2.5": bad(lambda: train_ann(X, Y, hidden=(2.5,)), "hidden"),
    "train_ann epochs 1.5": bad(lambda: train_ann(X, Y, epochs=1.5), "epochs", "[1, 100000]"),
    "train_ann l2 < 0": bad(lambda: train_ann(X, Y, l2=-1.0), "l2", "[0, inf)"),
    "train_ann seed -1": bad(lambda: train_ann(X, Y, seed=-1), "seed"),
    # ------------------------------------------------------------------ architecture
    "NetworkSpec n_inputs 0": bad(lambda: NetworkSpec(n_inputs=0), "n_inputs", "[1, 10000000]"),
    "NetworkSpec n_inputs True": bad(lambda: NetworkSpec(n_inputs=True), "n_inputs"),
    "NetworkSpec n_outputs 2.5": bad(lambda: NetworkSpec(n_outputs=2.5), "n_outputs", "[1, 100000]"),
    "NetworkSpec weight_bits 2.5": bad(lambda: NetworkSpec(weight_bits=2.5), "weight_bits", "[1, 8]"),
    "NetworkSpec tau below n_basis": bad(lambda: NetworkSpec(n_basis=4, tau=2), "tau", "[4, 1000]"),
    "NetworkSpec n_steps '8'": bad(lambda: NetworkSpec(n_steps="8"), "n_steps"),
    "MemorySpec rows 100": bad(lambda: MemorySpec(rows=100), "rows", "power of two"),
    "MemorySpec cols 2.5": bad(lambda: MemorySpec(cols=2.5), "cols", "[4, 8192]"),
    "MemorySpec access_bits 3": bad(lambda: MemorySpec(access_bits=3), "access_bits"),
    "MemorySpec kind": bad(lambda: MemorySpec(kind="dram"), "kind", "mtj, sram"),
    "MemorySpec temperature < 0": bad(lambda: MemorySpec(temperature=-1.0), "temperature", "(0, 2000] K"),
    "MemorySpec temperature nan": bad(lambda: MemorySpec(temperature=float("nan")), "temperature"),
    "MemorySpec v_read 1": bad(lambda: MemorySpec(v_read=1.0), "v_read", "(0, 1) V"),
    "MemorySpec sense_offset 1e-4": bad(lambda: MemorySpec(sense_offset=1e-4), "sense_offset", "[0, 0.0001) A"),
    "MemorySpec i_write_ic0 20": bad(lambda: MemorySpec(i_write_ic0=20.0), "i_write_ic0", "(1, 20)"),
    "MemorySpec v_write 5": bad(lambda: MemorySpec(v_write=5.0), "v_write", "(0.1, 5) V"),
    "MemorySpec target_wer 0.5": bad(lambda: MemorySpec(target_wer=0.5), "target_wer", "(1e-30, 0.5)"),
    "MemorySpec t_pulse 1e-3": bad(lambda: MemorySpec(t_pulse=1e-3), "t_pulse", "(0, 0.001) s"),
    "MemorySpec mtj_min_area_f2 1000": bad(lambda: MemorySpec(mtj_min_area_f2=1000.0), "mtj_min_area_f2", "[0, 1000)"),
    "MemorySpec mtj nope": bad(lambda: MemorySpec(mtj="nope"), "mtj", "Ikeda2010"),
    "MemorySpec mtj int": bad(lambda: MemorySpec(mtj=3), "mtj", exc=TypeError),
    "MemorySpec stt_form": bad(lambda: MemorySpec(stt_form="linear"), "stt_form"),
    "MemorySpec power_gating 1": bad(lambda: MemorySpec(power_gating=1), "power_gating", "true or false"),
    "MemorySpec sram_area 10": bad(lambda: MemorySpec(sram_area=10.0), "sram_area", "(50, 1000)"),
    "MemorySpec periphery": bad(lambda: MemorySpec(periphery="ulp"), "periphery", "hp, lstp"),
    "MemorySpec.bitcell v_read above vdd": bad(lambda: MemorySpec(v_read=0.9).bitcell(28), "v_read", "(0, 0.86) V"),
    "MemorySpec.bitcell node 7": bad(lambda: MemorySpec().bitcell(7), "node"),
    "NeuronSpec accumulator_bits 1": bad(lambda: NeuronSpec(accumulator_bits=1), "accumulator_bits", "[2, 64]"),
    "NeuronSpec lut_entries 2.5": bad(lambda: NeuronSpec(lut_entries=2.5), "lut_entries", "[2, 65536]"),
    "NeuronSpec sigmoid": bad(lambda: NeuronSpec(sigmoid="tanh"), "sigmoid", "lut, pwl"),
    "NeuronSpec control_overhead 1": bad(lambda: NeuronSpec(control_overhead=1.0), "control_overhead", "[0, 1)"),
    "NeuronSpec prng": bad(lambda: NeuronSpec(prng="global"), "prng"),
    "NeuronSpec spike_fifo_depth 0": bad(lambda: NeuronSpec(spike_fifo_depth=0), "spike_fifo_depth", "[1, 1000000]"),
    "Accelerator node 23": bad(lambda: Accelerator(node=23), "node", "45, 32, 28, 22"),
    "Accelerator node 28.0": bad(lambda: Accelerator(node=28.0), "node", "45, 32, 28, 22"),
    "Accelerator node '28'": bad(lambda: Accelerator(node="28"), "node"),
    "Accelerator clock_hz < 0": bad(lambda: Accelerator(clock_hz=-1.0), "clock_hz", "(1000, 1e+11) Hz"),
    "Accelerator clock_hz nan": bad(lambda: Accelerator(clock_hz=float("nan")), "clock_hz"),
    "Accelerator cores 1.5": bad(lambda: Accelerator(cores=1.5), "cores", "[1, 1000000]"),
    "Accelerator network dict": bad(lambda: Accelerator(network={"n_inputs": 10}), "network", exc=TypeError),
    "Accelerator dataflow": bad(lambda: Accelerator(dataflow="stream"), "dataflow", "trace, window"),
    "Accelerator window tau 20": bad(lambda: Accelerator(network=NetworkSpec(tau=20), dataflow="window"), "tau"),
    "Accelerator inferences_per_weight_write 0.5": bad(
        lambda: Accelerator(inferences_per_weight_write=0.5), "inferences_per_weight_write", "[1, inf)"
    ),
    "Accelerator logic": bad(lambda: Accelerator(logic="ulp"), "logic"),
    "Accelerator.from_dict unknown key": bad(lambda: Accelerator.from_dict({"bogus": 1}), "bogus"),
    "Activity input_spikes_per_step < 0": bad(
        lambda: Activity(input_spikes_per_step=-1.0, steps_per_inference=3.0), "input_spikes_per_step", "[0, inf)"
    ),
    "Activity input_spikes_per_step text": bad(
        lambda: Activity(input_spikes_per_step="many", steps_per_inference=3.0), "input_spikes_per_step"
    ),
    "Activity steps_per_inference 0": bad(
        lambda: Activity(input_spikes_per_step=1.0, steps_per_inference=0.0), "steps_per_inference", "(0, inf)"
    ),
    "Activity utilization 2": bad(
        lambda: Activity(input_spikes_per_step=1.0, steps_per_inference=3.0, utilization=2.0), "utilization", "[0, 1]"
    ),
    "Activity input_rates 2": bad(
        lambda: Activity(input_spikes_per_step=1.0, steps_per_inference=3.0, input_rates=[0.1, 2.0]), "input_rates"
    ),
    "Activity n_inputs 2.5": bad(
        lambda: Activity(input_spikes_per_step=1.0, steps_per_inference=3.0, n_inputs=2.5), "n_inputs", "[1, 10000000]"
    ),
    "Activity tau 0": bad(
        lambda: Activity(input_spikes_per_step=1.0, steps_per_inference=3.0, tau=0), "tau", "[1, 1000]"
    ),
    "Activity n_steps '8'": bad(
        lambda: Activity(input_spikes_per_step=1.0, steps_per_inference=3.0, n_steps="8"), "n_steps"
    ),
    "Activity window_inputs_per_inference below the spikes": bad(
        lambda: Activity(input_spikes_per_step=10.0, steps_per_inference=3.0, window_inputs_per_inference=1.0),
        "window_inputs_per_inference",
    ),
    "figures acc text": bad(lambda: figures("spinaps", ACT), "acc", exc=TypeError),
    "figures activity text": bad(lambda: figures(ACC, "busy"), "activity", exc=TypeError),
    "figures more input spikes than inputs": bad(
        lambda: figures(ACC, Activity(input_spikes_per_step=1e6, steps_per_inference=3.0)), "input_spikes_per_step"
    ),
    "figures array text": bad(lambda: figures(ACC, ACT, array="array"), "array", exc=TypeError),
    "compare acc text": bad(lambda: compare("spinaps", ACT), "acc", exc=TypeError),
    "compare other text": bad(lambda: compare(ACC, ACT, other="sram"), "other", exc=TypeError),
    "mapping input_rates wrong length": bad(lambda: mapping(ACC, input_rates=[0.1, 0.2]), "input_rates", "784"),
    "mapping input_rates nan": bad(lambda: mapping(ACC, input_rates=[float("nan")] * 784), "input_rates", "[0, 1]"),
    "mapping acc text": bad(lambda: mapping("spinaps"), "acc", exc=TypeError),
    # ------------------------------------------------------------------ design (dotted keys)
    "Design circuit.node 'fast'": bad(
        with_values({"circuit.node": "fast"}), "circuit.node", "one of 45, 32, 28, 22", exc=DesignError
    ),
    "Design circuit.node 7": bad(with_values({"circuit.node": 7}), "circuit.node", "45, 32, 28, 22", exc=DesignError),
    "Design circuit.node 28.5": bad(with_values({"circuit.node": 28.5}), "circuit.node", "integer", exc=DesignError),
    "Design unknown section": bad(with_values({"circut.node": 22}), "circut", "circuit", exc=DesignError),
    "Design unknown key": bad(with_values({"circuit.nodes": 22}), "circuit.nodes", "circuit.node", exc=DesignError),
    "Design below a value": bad(with_values({"circuit.node.x": 1}), "circuit.node.x", exc=DesignError),
    "Design values not a table": bad(lambda: DESIGN.with_values("circuit.node=22"), "design", exc=DesignError),
    "Design study.chips True": bad(with_values({"study.chips": True}), "study.chips", "[1, 100000]", exc=DesignError),
    "Design study.chips list": bad(with_values({"study.chips": [1, 2]}), "study.chips", exc=DesignError),
    "Design study.chips 2.7": bad(with_values({"study.chips": 2.7}), "study.chips", "not an integer", exc=DesignError),
    "Design study.seed -1": bad(with_values({"study.seed": -1}), "study.seed", exc=DesignError),
    "Design study.llg_devices 5": bad(
        with_values({"study.llg_devices": 5}), "study.llg_devices", "[10, 1e+08]", exc=DesignError
    ),
    "Design variability.spread 1.5": bad(
        with_values({"variability.spread.diameter": 1.5}), "variability.spread.diameter", "[0, 1)", exc=DesignError
    ),
    "Design variability.spread unknown field": bad(
        with_values({"variability.spread.diamter": 0.1}), "variability.spread.diamter", "diameter", exc=DesignError
    ),
    "Design variability.correlation": bad(
        with_values({"variability.correlation": {"diameter:size": 0.1}}),
        "variability.correlation.diameter:size",
        exc=DesignError,
    ),
    "Design variability.cycle unknown field": bad(
        with_values({"variability.cycle": {"ku": 0.1}}), "variability.cycle.ku", "i_write, t_pulse", exc=DesignError
    ),
    "Design device.mtj.diameter 0": bad(
        with_values({"device.mtj.diameter": 0.0}), "device.mtj.diameter", "(0, 1e-05] m", exc=DesignError
    ),
    "Design device.mtj.tmr0 < 0": bad(
        with_values({"device.mtj.tmr0": -1.0}), "device.mtj.tmr0", "[0, 100]", exc=DesignError
    ),
    "Design device.mtj.ms text": bad(with_values({"device.mtj.ms": "big"}), "device.mtj.ms", exc=DesignError),
    "Design device.mtj.h_offset above H_K,eff": bad(
        with_values({"device.mtj.h_offset": 1e6}), "device.mtj.h_offset", "H_K,eff", exc=DesignError
    ),
    "Design device.preset 3": bad(with_values({"device.preset": 3}), "device.preset", "Ikeda2010", exc=DesignError),
    "Design device.joule_heating 'yes'": bad(
        with_values({"device.joule_heating": "yes"}), "device.joule_heating", "true or false", exc=DesignError
    ),
    "Design device.thermal_resistance < 0": bad(
        with_values({"device.joule_heating": True, "device.thermal_resistance": -1.0}),
        "device.thermal_resistance",
        "[0, 1e+12] K/W",
        exc=DesignError,
    ),
    "Design device.thermal_resistance without heating": bad(
        with_values({"device.thermal_resistance": 1e5}), "device.thermal_resistance", "joule_heating", exc=DesignError
    ),
    "Design storage.temperature nan": bad(
        with_values({"storage.temperature": float("nan")}), "storage.temperature", "(0, 600] K", exc=DesignError
    ),
    "Design storage.temperature 0": bad(
        with_values({"storage.temperature": 0}), "storage.temperature", "(0, 600] K", exc=DesignError
    ),
    "Design circuit.v_read 1": bad(with_values({"circuit.v_read": 1}), "circuit.v_read", "(0, 1) V", exc=DesignError),
    "Design circuit.v_read above vdd": bad(
        with_values({"circuit.v_read": 0.9}), "circuit.v_read", "(0, 0.86) V", exc=DesignError
    ),
    "Design circuit.v_write 5": bad(
        with_values({"circuit.v_write": 5}), "circuit.v_write", "(0.1, 5) V", exc=DesignError
    ),
    "Design circuit.v_write below vth": bad(
        with_values({"circuit.v_write": 0.15}), "circuit.v_write", "(0.18681, 5) V", exc=DesignError
    ),
    "Design circuit.sense_offset 1e-4": bad(
        with_values({"circuit.sense_offset": 1e-4}), "circuit.sense_offset", "[0, 0.0001) A", exc=DesignError
    ),
    "Design circuit.min_area_f2 1000": bad(
        with_values({"circuit.min_area_f2": 1000}), "circuit.min_area_f2", "[0, 1000) F^2", exc=DesignError
    ),
    "Design circuit.t_pulse 1e-3": bad(
        with_values({"circuit.t_pulse": 1e-3}), "circuit.t_pulse", "(0, 0.001) s", exc=DesignError
    ),
    "Design circuit.target_wer 0.5": bad(
        with_values({"circuit.target_wer": 0.5}), "circuit.target_wer", "(1e-30, 0.5)", exc=DesignError
    ),
    "Design circuit.i_write_ic0 20": bad(
        with_values({"circuit.i_write_ic0": 20}), "circuit.i_write_ic0", "(1, 20)", exc=DesignError
    ),
    "Design circuit.i_write below I_c0": bad(
        with_values({"circuit.i_write": 1e-6}), "circuit.i_write", "(1, 20) x I_c0", exc=DesignError
    ),
    "Design circuit.i_write 1e-2": bad(with_values({"circuit.i_write": 1e-2}), "circuit.i_write", exc=DesignError),
    "Design architecture.clock_hz 1e11": bad(
        with_values({"architecture.clock_hz": 1e11}), "architecture.clock_hz", "(1000, 1e+11) Hz", exc=DesignError
    ),
    "Design architecture.neuron.control_overhead 1": bad(
        with_values({"architecture.neuron.control_overhead": 1.0}),
        "architecture.neuron.control_overhead",
        "[0, 1)",
        exc=DesignError,
    ),
    "Design window dataflow with tau 20": bad(
        with_values({"architecture.dataflow": "window", "network.tau": 20}), "network.tau", "[1, 10]", exc=DesignError
    ),
    "Design TOML circuit.node text": bad(toml('[circuit]\nnode = "28"'), "circuit.node", exc=DesignError),
    "Design TOML study.chips 2.5": bad(toml("[study]\nchips = 2.5"), "study.chips", "[1, 100000]", exc=DesignError),
    "Design TOML circuit.rows list": bad(toml("[circuit]\nrows = [256]"), "circuit.rows", "[4, 8192]", exc=DesignError),
    "Design TOML power_gating 1": bad(
        toml("[architecture]\npower_gating = 1"), "architecture.power_gating", "true or false", exc=DesignError
    ),
    "Design TOML section not a table": bad(toml("circuit = 3"), "circuit", "table", exc=DesignError),
    "Design TOML invalid": bad(toml("[circuit"), "design", "not valid TOML", exc=DesignError),
    "Design TOML neuron unknown key": bad(
        toml("[architecture.neuron]\nbogus = 1"), "architecture.neuron.bogus", exc=DesignError
    ),
    "Design TOML network.epochs 0": bad(toml("[network]\nepochs = 0"), "network.epochs", "[1, 10000]", exc=DesignError),
    "Design TOML network.tau below n_basis": bad(toml("[network]\ntau = 2"), "network.tau", exc=DesignError),
    # ------------------------------------------------------------------ sweeps (refused before the store is made)
    "sweep workers 1.5": bad(lambda: sweep(SWEEP, NEVER, workers=1.5), "workers", "[1, inf)"),
    "sweep workers 0": bad(lambda: sweep(SWEEP, NEVER, workers=0), "workers"),
    "sweep scheduler text": bad(lambda: sweep(SWEEP, NEVER, scheduler="threads"), "scheduler"),
    "Sweep axis empty": bad(sweep_of({"axes": {"circuit.node": []}}), "axes.circuit.node", exc=DesignError),
    "Sweep axis a scalar": bad(sweep_of({"axes": {"circuit.node": 22}}), "axes.circuit.node", exc=DesignError),
    "Sweep axis value refused": bad(
        sweep_of({"axes": {"circuit.node": [22, 7]}}), "circuit.node", "45, 32, 28, 22", exc=DesignError
    ),
    "Sweep axis unknown key": bad(sweep_of({"axes": {"circuit.nod": [22]}}), "circuit.nod", exc=DesignError),
    "Sweep axis count 2.5": bad(
        sweep_of({"axes": {"circuit.t_pulse": {"geomspace": [1e-9, 1e-8, 2.5]}}}),
        "axes.circuit.t_pulse",
        exc=DesignError,
    ),
    "Sweep axis count 1e12": bad(
        sweep_of({"axes": {"circuit.t_pulse": {"geomspace": [1e-9, 1e-8, 10**12]}}}),
        "axes.circuit.t_pulse",
        "[1, 1000000]",
        exc=DesignError,
    ),
    "Sweep axis generator unknown": bad(
        sweep_of({"axes": {"circuit.t_pulse": {"arange": [1e-9, 1e-8, 2]}}}), "axes.circuit.t_pulse", exc=DesignError
    ),
    "Sweep axis geomspace < 0": bad(
        sweep_of({"axes": {"circuit.t_pulse": {"geomspace": [-1e-9, 1e-8, 2]}}}),
        "axes.circuit.t_pulse",
        exc=DesignError,
    ),
    "Sweep axis changes nothing": bad(sweep_of({"axes": {"circuit.node": [28]}}), "axes.circuit.node", exc=DesignError),
    "Sweep too many points": bad(
        sweep_of({"axes": {"circuit.t_pulse": {"geomspace": [1e-9, 1e-8, 1000]}, "study.seed": list(range(2000))}}),
        "axes",
        "1,000,000",
        exc=DesignError,
    ),
    "Sweep zip unequal lengths": bad(
        sweep_of({"zip": {"g": {"circuit.node": [22, 28], "circuit.rows": [128]}}}), "zip.g", exc=DesignError
    ),
    "Sweep zip not a table": bad(sweep_of({"zip": {"g": [1, 2]}}), "zip.g", exc=DesignError),
    "Sweep seed 1.5": bad(
        sweep_of({"sweep": {"seed": 1.5}, "axes": {"circuit.node": [22]}}), "sweep.seed", ">= 0", exc=DesignError
    ),
    "Sweep replicates 0": bad(
        sweep_of({"sweep": {"replicates": 0}, "axes": {"circuit.node": [22]}}),
        "sweep.replicates",
        "[1, 1000]",
        exc=DesignError,
    ),
    "Sweep replicates True": bad(
        sweep_of({"sweep": {"replicates": True}, "axes": {"circuit.node": [22]}}), "sweep.replicates", exc=DesignError
    ),
    "Sweep chips 2.5": bad(
        sweep_of({"sweep": {"chips": 2.5}, "axes": {"circuit.node": [22]}}),
        "sweep.chips",
        "[1, 100000]",
        exc=DesignError,
    ),
    "Sweep unknown table": bad(sweep_of({"bogus": {}}), "bogus", exc=DesignError),
    "Sweep unknown key": bad(sweep_of({"sweep": {"bogus": 1}}), "sweep.bogus", exc=DesignError),
    "Sweep no axis": bad(sweep_of({}), "axes", exc=DesignError),
    "Sweep file missing": bad(lambda: Sweep.from_toml("/no/such/sweep.toml"), "sweep", exc=DesignError),
    # ------------------------------------------------------------------ threads
    "threads set 0": bad(lambda: threads.set_threads(0), "threads", "[1, inf)"),
    "threads set 2.5": bad(lambda: threads.set_threads(2.5), "threads"),
    "threads set '2'": bad(lambda: threads.set_threads("2"), "threads"),
    "threads limit -1": bad(lambda: enter(threads.limit(-1)), "threads", "[1, inf)"),
    "threads limit True": bad(lambda: enter(threads.limit(True)), "threads"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_refused_and_names_the_parameter(case):
    call, name, also, exc = CASES[case]
    with pytest.raises(Exception) as info:
        call()
    assert type(info.value) is exc, f"{case}: raised {type(info.value).__name__}, not {exc.__name__}: {info.value}"
    message = str(info.value)
    assert name in message, f"{case}: the message does not name {name!r}: {message}"
    for text in also:
        assert text in message, f"{case}: the message does not state {text!r}: {message}"
    if exc is DesignError:
        assert info.value.key == name and message.startswith(name)
    assert not NEVER.exists()


#: Bad command lines: (argv, the key or option the one-line message names).
CLI_CASES = {
    "run --set circuit.node=fast": (["run", "--set", "circuit.node=fast"], "circuit.node"),
    "run --set circuit.node=[22,28]": (["run", "--set", "circuit.node=[22,28]"], "circuit.node"),
    "run --seed -1": (["run", "--seed", "-1"], "study.seed"),
    "run --chips 2.5": (["run", "--chips", "2.5"], "study.chips"),
    "run --chips 0": (["run", "--chips", "0"], "study.chips"),
    "run --temperature nan": (["run", "--temperature", "nan"], "storage.temperature"),
    "run --temperature 0": (["run", "--temperature", "0"], "storage.temperature"),
    "run --preset 3": (["run", "--preset", "3"], "device.preset"),
    "run --set circuit.v_read=1": (["run", "--set", "circuit.v_read=1"], "circuit.v_read"),
    "run --set network.epochs=true": (["run", "--set", "network.epochs=true"], "network.epochs"),
    "run --set =3": (["run", "--set", "=3"], "--set"),
    "run missing design file": (["run", "no/such/design.toml"], "design"),
    "config --check missing file": (["config", "--check", "no/such/design.toml"], "design"),
    "config --set study.seed=1.5": (["config", "--set", "study.seed=1.5"], "study.seed"),
    "config --set lut_entries=2.5": (
        ["config", "--set", "architecture.neuron.lut_entries=2.5"],
        "architecture.neuron.lut_entries",
    ),
    "config --bogus": (["config", "--bogus"], "--bogus"),
    "sweep missing file": (["sweep", "no/such/sweep.toml"], "sweep"),
    "sweep --workers 0": (["sweep", "s.toml", "--workers", "0"], "--workers"),
    "sweep --workers 1.5": (["sweep", "s.toml", "--workers", "1.5"], "--workers"),
    "sweep bad axis": (["sweep", "bad.toml"], "axes.circuit.node"),
}


@pytest.mark.parametrize("case", list(CLI_CASES), ids=list(CLI_CASES))
def test_bad_command_line_fails_in_one_line_naming_the_key(case, capsys, tmp_path, monkeypatch):
    argv, name = CLI_CASES[case]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPINAPS_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "s.toml").write_text('[axes]\n"circuit.node" = [22]\n')
    (tmp_path / "bad.toml").write_text('[axes]\n"circuit.node" = []\n')
    try:
        code = main(argv)
    except SystemExit as stop:  # refused by argparse (unknown option, not an integer)
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2, f"{case}: exit code {code}"
    assert name in err.strip().splitlines()[-1], f"{case}: the message does not name {name!r}: {err}"
    assert "Traceback" not in err
    assert not (tmp_path / "spinaps-output").exists() and not (tmp_path / "s.zarr").exists()


def test_a_stray_label_without_n_classes_is_reported():
    """Without n_classes the number of classes is the largest label + 1: one stray label
    10 among 2,000 digits 0-9 is reported as a suspiciously rare eleventh class, and a
    class the labels skip as one without samples (warnings: a small subset may miss a
    class legitimately); with n_classes = 10 the stray label is refused (CASES)."""
    y = np.arange(2000) % 10
    y[7] = 10
    x = np.random.default_rng(1).random((2000, 5))
    for train in (lambda: train_snn(x, y, epochs=1), lambda: train_ann(x, y, epochs=1)):
        with pytest.warns(
            ClassCoverageWarning, match=r"inferred as 11 from the largest label 10.*class 10 \(1 sample\)"
        ):
            train()
    with pytest.warns(ClassCoverageWarning, match="class 3 of the 10 classes has no training sample"):
        train_snn(x[y != 3], np.where(y == 10, 9, y)[y != 3], epochs=1, n_classes=10)


@pytest.mark.parametrize("train", [train_snn, train_hidden_snn], ids=["snn", "hidden"])
def test_features_that_leave_part_of_the_range_unused_are_reported(train):
    """Features at most 0.5 (an image at half intensity) train, with a warning naming
    x_train, the largest feature and the gain that would use [0, 1]; all-zero features
    are reported as never spiking; features reaching 0.9 train silently."""
    kw = {"epochs": 1} if train is train_snn else {"epochs": 1, "hidden": 4}
    with pytest.warns(UserWarning, match=r"x_train: the largest feature is 0\.5.*by 2\b"):
        train(X * 0.5 / X.max(), Y, **kw)
    with pytest.warns(UserWarning, match="x_train: every feature is 0, so no input ever spikes"):
        train(np.zeros_like(X), Y, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        train(X * 0.9 / X.max(), Y, **kw)


def test_evaluate_refuses_a_non_integral_chip_count():
    for bad_count in (1.5, 0, "2"):
        with pytest.raises(ValueError, match="n_chips"):
            evaluate(model(), X, Y, n_chips=bad_count)


@pytest.mark.parametrize("seed", [None, np.random.SeedSequence(3), np.random.default_rng(4), 5])
def test_a_model_trained_with_any_seed_saves_and_loads(seed, tmp_path):
    """The seed rule allows None, a SeedSequence and a Generator: saving records an integer
    seed as given and any other as absent (None), and loading reads it back."""
    expected = seed if isinstance(seed, int) else None
    snn = train_snn(X, Y, epochs=1, seed=seed)
    snn.save(tmp_path / "snn.npz")
    back = SNN.load(tmp_path / "snn.npz")
    assert back.seed == expected
    np.testing.assert_array_equal(back.weights, snn.weights)
    hidden = train_hidden_snn(X, Y, hidden=3, epochs=1, seed=seed)
    hidden.save(tmp_path / "hidden.npz")
    assert HiddenSNN.load(tmp_path / "hidden.npz").seed == expected


def test_one_temperature_rule():
    """[0, T_MAX] K, or (0, T_MAX] where a quantity diverges at 0 K; the same bounds in
    every layer's message."""
    params.check_temperature(0.0)
    params.check_temperature(params.T_MAX)
    for bad_value, allow_zero in ((0.0, False), (-1.0, True), (params.T_MAX * 1.01, True), (float("nan"), True)):
        with pytest.raises(ValueError, match=r"temperature = .* K is outside the allowed range"):
            params.check_temperature(bad_value, allow_zero=allow_zero)


def test_the_seed_rule():
    """An integer >= 0, a SeedSequence, a Generator or None; a Generator gives fresh,
    reproducible entropy."""
    seq = np.random.SeedSequence(5)
    assert params.seed_sequence(seq) is seq and params.seed_sequence(5).entropy == 5
    a = params.seed_sequence(np.random.default_rng(1)).entropy
    assert a == params.seed_sequence(np.random.default_rng(1)).entropy
    gen = np.random.default_rng(1)
    assert params.seed_sequence(gen).entropy != params.seed_sequence(gen).entropy
    one = simulate(MTJ, 1.5 * IC0, 5e-11, n_devices=4, seed=np.random.default_rng(3))
    two = simulate(MTJ, 1.5 * IC0, 5e-11, n_devices=4, seed=np.random.default_rng(3))
    np.testing.assert_array_equal(one.mz.values, two.mz.values)
