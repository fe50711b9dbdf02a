"""A battery of bad inputs across the layers' public entry points: every one is refused
with a ``ValueError`` (or ``TypeError``) whose message names the parameter -- no silent
rounding of a count, no bare numpy message."""

import pathlib
import tempfile

import numpy as np
import pytest

from spinaps import params, threads
from spinaps.architecture import Accelerator, MemorySpec, NetworkSpec
from spinaps.circuit import MTJBitcell, technology
from spinaps.device import (
    preset,
    pulse_for_wer,
    read_disturb_probability,
    retention_failure_probability,
    sample_variability,
    simulate,
    switching_probability,
    worst_of_n,
    write_error_rate,
)
from spinaps.network import evaluate, train_snn
from spinaps.sweep import Sweep, sweep

NEVER = pathlib.Path(tempfile.gettempdir()) / "spinaps-never-written.zarr"
SWEEP = Sweep.from_dict({"axes": {"circuit.node": [22, 28]}})
MTJ = preset("Ikeda2010")
IC0 = float(MTJ.ic0)
X = np.random.default_rng(0).random((20, 784))
Y = np.arange(20) % 10

CASES = {
    # device
    "simulate n_devices 2.7": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2.7), "n_devices"),
    "simulate n_devices '4'": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices="4"), "n_devices"),
    "simulate n_devices 0": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=0), "n_devices"),
    "simulate seed -1": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2, seed=-1), "seed"),
    "simulate seed 1.5": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2, seed=1.5), "seed"),
    "simulate seed True": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, n_devices=2, seed=True), "seed"),
    "simulate current text": (lambda: simulate(MTJ, "fast", 1e-10, n_devices=2), "current"),
    "simulate t_end nan": (lambda: simulate(MTJ, 1.5 * IC0, float("nan")), "t_end"),
    "simulate t_end text": (lambda: simulate(MTJ, 1.5 * IC0, "long"), "t_end"),
    "simulate temperature < 0": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, temperature=-5), "temperature"),
    "simulate dt too large": (lambda: simulate(MTJ, 1.5 * IC0, 1e-9, dt=1e-9), "dt"),
    "simulate threads 0": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, threads=0), "threads"),
    "simulate stt_form": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, stt_form="linear"), "stt_form"),
    "sample_variability n 2.7": (lambda: sample_variability(MTJ, 2.7, spread={"diameter": 0.03}), "n"),
    "sample_variability n 0": (lambda: sample_variability(MTJ, 0, spread={"diameter": 0.03}), "n"),
    "sample_variability spread 3": (lambda: sample_variability(MTJ, 10, spread=3), "spread"),
    "sample_variability seed text": (lambda: sample_variability(MTJ, 10, spread={"diameter": 0.03}, seed="a"), "seed"),
    "sample_variability seed -2": (lambda: sample_variability(MTJ, 10, spread={"diameter": 0.03}, seed=-2), "seed"),
    "write_error_rate i_write text": (lambda: write_error_rate(MTJ, "fast", 1e-8), "i_write"),
    "write_error_rate t_pulse < 0": (lambda: write_error_rate(MTJ, 1.5 * IC0, -1e-9), "t_pulse"),
    "write_error_rate t_pulse text": (lambda: write_error_rate(MTJ, 1.5 * IC0, "short"), "t_pulse"),
    "switching_probability i_write text": (lambda: switching_probability(MTJ, "x", 1e-8), "i_write"),
    "pulse_for_wer target 2": (lambda: pulse_for_wer(MTJ, 1.5 * IC0, 2.0), "target"),
    "worst_of_n n 2.5": (lambda: worst_of_n(np.array([1e-9, 1e-8]), 2.5), "n_array"),
    "retention t_storage < 0": (lambda: retention_failure_probability(MTJ, -1.0), "t_storage"),
    "read_disturb temperature text": (
        lambda: read_disturb_probability(MTJ, 0.3 * IC0, 1e-8, temperature="hot"),
        "temperature",
    ),
    "seed_sequence seed list": (lambda: params.seed_sequence([1, 2]), "seed"),
    "delta temperature 0": (lambda: MTJ.delta(0.0), "temperature"),
    "at_temperature above T_MAX": (lambda: MTJ.at_temperature(2500.0), "temperature"),
    "write_error_rate temperature 0": (lambda: write_error_rate(MTJ, 1.5 * IC0, 1e-8, temperature=0.0), "temperature"),
    "simulate temperature above T_MAX": (lambda: simulate(MTJ, 1.5 * IC0, 1e-10, temperature=2500.0), "temperature"),
    "MTJBitcell temperature text": (lambda: MTJBitcell(MTJ, technology(28), temperature="room"), "temperature"),
    "MemorySpec temperature < 0": (lambda: MemorySpec(temperature=-1.0), "temperature"),
    # circuit
    "technology node 23": (lambda: technology(23), "23"),
    "MTJBitcell t_pulse < 0": (lambda: MTJBitcell(MTJ, technology(28), t_pulse=-1e-9), "t_pulse"),
    "MTJBitcell target_wer 1.5": (lambda: MTJBitcell(MTJ, technology(28), target_wer=1.5), "target_wer"),
    "MTJBitcell v_read text": (lambda: MTJBitcell(MTJ, technology(28), v_read="low"), "v_read"),
    "MTJBitcell degenerated": (lambda: MTJBitcell(MTJ, technology(28), degenerated="both"), "degenerated"),
    # network
    "train_snn epochs 2.5": (lambda: train_snn(X, Y, epochs=2.5), "epochs"),
    "train_snn weight_bits 0": (lambda: train_snn(X, Y, weight_bits=0, epochs=1), "weight_bits"),
    "train_snn seed -1": (lambda: train_snn(X, Y, epochs=1, seed=-1), "seed"),
    "train_snn rule": (lambda: train_snn(X, Y, epochs=1, rule="hebb"), "rule"),
    # architecture
    "NetworkSpec n_inputs 0": (lambda: NetworkSpec(n_inputs=0), "n_inputs"),
    "NetworkSpec weight_bits 2.5": (lambda: NetworkSpec(weight_bits=2.5), "weight_bits"),
    "MemorySpec rows 100": (lambda: MemorySpec(rows=100), "rows"),
    "MemorySpec kind": (lambda: MemorySpec(kind="dram"), "kind"),
    "Accelerator node 23": (lambda: Accelerator(node=23), "node"),
    "Accelerator clock_hz < 0": (lambda: Accelerator(clock_hz=-1.0), "clock_hz"),
    "Accelerator cores 1.5": (lambda: Accelerator(cores=1.5), "cores"),
    # sweeps (refused before the store is made)
    "sweep workers 1.5": (lambda: sweep(SWEEP, NEVER, workers=1.5), "workers"),
    "sweep workers 0": (lambda: sweep(SWEEP, NEVER, workers=0), "workers"),
    "sweep scheduler text": (lambda: sweep(SWEEP, NEVER, scheduler="threads"), "scheduler"),
    "threads set 0": (lambda: threads.set_threads(0), "threads"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_refused_and_names_the_parameter(case):
    call, name = CASES[case]
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert name in str(info.value), f"{case}: the message does not name {name!r}: {info.value}"
    assert not NEVER.exists()


def test_evaluate_refuses_a_non_integral_chip_count():
    model = train_snn(X, Y, epochs=1, seed=0)
    for bad in (1.5, 0, "2"):
        with pytest.raises(ValueError, match="n_chips"):
            evaluate(model, X, Y, n_chips=bad)


def test_one_temperature_rule():
    """[0, T_MAX] K, or (0, T_MAX] where a quantity diverges at 0 K; the same bounds in
    every layer's message."""
    params.check_temperature(0.0)
    params.check_temperature(params.T_MAX)
    for bad, allow_zero in ((0.0, False), (-1.0, True), (params.T_MAX * 1.01, True), (float("nan"), True)):
        with pytest.raises(ValueError, match=r"temperature = .* K is outside the allowed range"):
            params.check_temperature(bad, allow_zero=allow_zero)


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
