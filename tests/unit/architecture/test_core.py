"""The accelerator model (spinaps.architecture): conservation, limits, a hand-computed
design, the SRAM comparison, TOML designs and bad input."""

import math

import numpy as np
import pytest
import xarray as xr

from spinaps.architecture import Accelerator, Activity, MemorySpec, NetworkSpec, NeuronSpec, compare, figures, mapping
from spinaps.architecture.core import array_figures
from spinaps.architecture.memory import memory_figures
from spinaps.circuit import technology
from spinaps.circuit.digital import operation_energy
from spinaps.provenance import missing_units

#: Activity of the default network on the embedded MNIST (notebook 04: 102.6 spikes per
#: step, 2.5 steps, 256 spikes and 285 window inputs per inference).
MNIST = Activity(
    input_spikes_per_step=102.6,
    steps_per_inference=2.5,
    input_spikes_per_inference=256.3,
    window_inputs_per_inference=285.4,
)
#: A clock slow enough that every read takes one cycle at both clocks of the clock test.
SLOW = Accelerator(clock_hz=100e6)


@pytest.fixture(scope="module")
def both():
    return compare(Accelerator(), MNIST)


@pytest.mark.parametrize("hierarchy", ["memory", "subarray"])
@pytest.mark.parametrize("dataflow", ["trace", "window"])
@pytest.mark.parametrize("kind", ["mtj", "sram"])
def test_breakdowns_sum_to_totals(kind, dataflow, hierarchy):
    """Energy, area and leakage components sum to their totals; power = inferences per
    second x energy per inference = SOPs per second x energy per SOP (utilisation 1).
    Relative tolerance 1e-12: the same numbers summed in a different order."""
    acc = Accelerator(memory=MemorySpec(kind=kind, hierarchy=hierarchy), dataflow=dataflow, cores=3)
    ds = figures(acc, MNIST)
    assert float(ds.energy_breakdown.sum()) == pytest.approx(float(ds.energy_per_inference), rel=1e-12)
    assert float(ds.area_breakdown.sum()) == pytest.approx(float(ds.area), rel=1e-12)
    assert float(ds.leakage_breakdown.sum()) == pytest.approx(float(ds.leakage), rel=1e-12)
    assert float(ds.latency_breakdown.sum()) == pytest.approx(float(ds.latency_per_step), rel=1e-12)
    power = float(ds.power)
    assert float(ds.inferences_per_second) * float(ds.energy_per_inference) == pytest.approx(power, rel=1e-12)
    assert float(ds.sops_per_second) * float(ds.pj_per_sop) * 1e-12 == pytest.approx(power, rel=1e-12)
    assert float(ds.gsops_per_w) * float(ds.pj_per_sop) == pytest.approx(1000.0, rel=1e-12)
    assert missing_units(ds) == []
    # independent of how the totals were summed: dynamic power from the breakdown without
    # leakage, and the leakage charged to an inference = the running leakage x its latency
    e_dyn = float(ds.energy_breakdown.sum()) - float(ds.energy_breakdown.sel(energy_component="leakage"))
    assert float(ds.dynamic_power) == pytest.approx(float(ds.inferences_per_second) * e_dyn, rel=1e-12)
    assert float(ds.energy_breakdown.sel(energy_component="leakage")) == pytest.approx(
        float(ds.leakage) / 3 * float(ds.latency_per_inference), rel=1e-12
    )


def test_idle_chip_draws_leakage_only():
    """Utilisation 0: no throughput, power = leakage; the gated MTJ arrays draw nothing,
    the SRAM arrays their full leakage."""
    idle = Activity(input_spikes_per_step=102.6, steps_per_inference=2.5, utilization=0.0)
    for kind in ("mtj", "sram"):
        ds = figures(Accelerator(memory=MemorySpec(kind=kind)), idle)
        assert float(ds.gsops) == 0.0 and float(ds.dynamic_power) == 0.0
        assert float(ds.power) == float(ds.leakage) > 0
        arrays = float(ds.leakage_breakdown.sel(leakage_component="arrays"))
        assert (arrays == 0.0) if kind == "mtj" else (arrays > 0.0)


def test_doubling_the_clock_doubles_throughput_and_dynamic_power():
    """In the clock-bound regime (reads within one cycle at 100 and 200 MHz) latency
    halves, throughput and dynamic power double exactly; energy per SOP excluding
    leakage is unchanged."""
    a, b = figures(SLOW, MNIST), figures(SLOW.replace(clock_hz=200e6), MNIST)
    assert float(memory_figures(SLOW).read_latency) < 5e-9
    assert float(b.gsops) == pytest.approx(2 * float(a.gsops), rel=1e-12)
    assert float(b.dynamic_power) == pytest.approx(2 * float(a.dynamic_power), rel=1e-12)
    assert float(b.latency_per_inference) == pytest.approx(float(a.latency_per_inference) / 2, rel=1e-12)


def test_halving_the_weight_bits_halves_the_array_reads():
    """B = 4 -> 2 with 16-bit accesses: a word of 10 x 4 x B bits takes 10 -> 5 accesses,
    and the array read energy per inference halves exactly (sub-arrays: the same array
    serves both; a memory would halve its capacity too)."""
    acc = Accelerator(memory=MemorySpec(access_bits=16, hierarchy="subarray"))
    a, b = figures(acc, MNIST), figures(acc.replace(network={"weight_bits": 2}), MNIST)
    assert (float(a.accesses_per_word), float(b.accesses_per_word)) == (10.0, 5.0)
    ea, eb = (float(d.energy_breakdown.sel(energy_component="array_read")) for d in (a, b))
    assert eb == pytest.approx(ea / 2, rel=1e-12)


def test_hand_computed_small_design():
    """16 inputs -> 2 neurons, K = 1, tau = 1, B = 2 (4-bit words, 4 per row of a 16 x 16
    array read 4 bits at a time), 3 spikes per step over 2 steps, 100 MHz.  Each
    component is written out from the dataflow in the module notes and must match to
    1e-12 (only summation order differs)."""
    acc = Accelerator(
        network=NetworkSpec(n_inputs=16, n_outputs=2, n_basis=1, tau=1, weight_bits=2, n_steps=2),
        memory=MemorySpec(rows=16, cols=16, access_bits=4, hierarchy="subarray"),
        clock_hz=100e6,
    )
    act = Activity(input_spikes_per_step=3.0, steps_per_inference=2.0)
    ds = figures(acc, act)
    tech = technology(28)
    arr = array_figures(acc.memory, 28)
    e = lambda op, bits: float(operation_energy(tech, op, bits))  # noqa: E731
    m = mapping(acc)
    assert (int(m.n_arrays), int(m.rows_needed)) == (1, 4)
    assert all(m[name].attrs["units"] == "1" and m[name].attrs["long_name"] for name in m.data_vars)
    expected = {
        "array_read": 6 * 1 * float(arr.read_energy),  # 6 spikes x 1 access
        "spike_input": 6 * 2 * e("register", 4),  # FIFO write + read of a 4-bit address
        "accumulate": 6 * 2 * 1 * (e("add", 16) + e("register", 16)),
        "kernel": 2 * 2 * (1 * e("add", 16) + 1 * e("register", 16)),  # one tap a(1) = 1, no multiplier
        "neuron_fire": 2 * 2 * (e("add", 16) + e("sram_read_bit", 8) + e("lfsr", 8) + e("compare", 8)),
        "decide": 2 * 1 * e("compare", 1),
    }
    expected["control"] = 0.1 * sum(v for k, v in expected.items() if k != "array_read")
    expected["weight_write"] = 64 * float(arr.write_energy) / 4 / 1e9
    for name, value in expected.items():
        assert float(ds.energy_breakdown.sel(energy_component=name)) == pytest.approx(value, rel=1e-12), name
    cycles = max(1, math.ceil(float(arr.read_latency) * 100e6))
    t_step = (max(3 * cycles, 3) + 4 + 1) / 100e6  # reads, then 4 fire cycles + 1 tap
    assert float(ds.latency_per_step) == pytest.approx(t_step, rel=1e-12)
    assert float(ds.inferences_per_second) == pytest.approx(1 / (2 * t_step), rel=1e-12)
    assert float(ds.sops_per_inference) == 12.0  # 6 spikes x 2 neurons


def test_hand_computed_design_with_two_arrays_and_multiplying_taps():
    """64 inputs -> 2 neurons, K = 2 over tau = 3 (taps 1, 0.5 | 0.5, 1: four taps, two of
    them constant multiplies), B = 4: 16-bit words read in 2 accesses of 8 bits, one word
    per 16-column row, 64 rows in two 32-row arrays; even inputs spike 3x as often as odd
    ones, so the interleaved arrays carry loads 3 : 1 (imbalance 1.5).  Written out from
    the module notes; relative tolerance 1e-12 (summation order only)."""
    acc = Accelerator(
        network=NetworkSpec(n_inputs=64, n_outputs=2, n_basis=2, tau=3, weight_bits=4, n_steps=4),
        memory=MemorySpec(rows=32, cols=16, access_bits=8, hierarchy="subarray"),
        clock_hz=100e6,
    )
    rates = np.where(np.arange(64) % 2 == 0, 3.0 / 32, 1.0 / 32)
    act = Activity(input_spikes_per_step=4.0, steps_per_inference=3.0, input_rates=rates)
    ds = figures(acc, act)
    m = mapping(acc, rates)
    assert (int(m.n_arrays), int(m.accesses_per_word), int(m.rows_needed)) == (2, 2, 64)
    assert float(m.load_imbalance) == pytest.approx(1.5, rel=1e-12)
    tech, arr = technology(28), array_figures(acc.memory, 28)
    e = lambda op, bits: float(operation_energy(tech, op, bits))  # noqa: E731
    expected = {
        "array_read": 12 * 2 * float(arr.read_energy),
        "spike_input": 12 * 2 * e("register", 6),
        "accumulate": 12 * 2 * 2 * (e("add", 16) + e("register", 16)),
        "kernel": 3 * 2 * (4 * e("add", 16) + 2 * e("multiply", 12) + 2 * e("register", 16)),  # 12 = ceil sqrt(16 x 8)
        "neuron_fire": 3 * 2 * (e("add", 16) + e("sram_read_bit", 8) + e("lfsr", 8) + e("compare", 8)),
        "decide": 3 * 1 * e("compare", 1),
    }
    expected["control"] = 0.1 * sum(v for k, v in expected.items() if k != "array_read")
    expected["weight_write"] = 64 * 16 * float(arr.write_energy) / 8 / 1e9
    c = max(1, math.ceil(float(arr.read_latency) * 100e6))
    t_step = (max(8 * c * 1.5 / 2, 4) + 4 + 4) / 100e6  # busiest array, then 4 fire cycles + 4 taps
    assert float(ds.latency_per_step) == pytest.approx(t_step, rel=1e-12)
    # leakage: the gated arrays for their read time (8 accesses of c cycles per step,
    # over both arrays), the logic from its transistors (24 F^2 each, half off, 2F wide)
    duty = 8 * c / 100e6 / (2 * t_step)
    logic_area = float(ds.area_breakdown.sum()) - float(
        ds.area_breakdown.sel(area_component=["array_cells", "array_periphery"]).sum()
    )
    f = tech.feature_size
    leak_logic = logic_area / (24 * f**2) * 0.5 * 0.5 * (tech.i_off_n + tech.i_off_p) * 2 * f * tech.vdd
    leak_arrays = 2 * float(arr.leakage) * duty
    assert float(ds.array_read_duty) == pytest.approx(duty, rel=1e-12)
    assert float(ds.leakage) == pytest.approx(leak_arrays + leak_logic, rel=1e-12)
    expected["leakage"] = (leak_arrays + leak_logic) * 3 * t_step
    for name, value in expected.items():
        assert float(ds.energy_breakdown.sel(energy_component=name)) == pytest.approx(value, rel=1e-12), name
    assert float(ds.area_breakdown.sel(area_component="array_cells")) == pytest.approx(
        2 * float(arr.area_breakdown.sel(area_component="cells")), rel=1e-12
    )


def test_shared_prng_costs_cycles_and_saves_area():
    a, b = figures(SLOW, MNIST), figures(SLOW.replace(neuron={"prng": "shared"}), MNIST)
    assert float(b.latency_breakdown.sel(latency_component="neuron_update")) == pytest.approx(
        float(a.latency_breakdown.sel(latency_component="neuron_update")) + 9 / 100e6, rel=1e-12
    )
    assert float(b.area_breakdown.sel(area_component="prng")) == pytest.approx(
        float(a.area_breakdown.sel(area_component="prng")) / 10, rel=1e-12
    )


@pytest.mark.parametrize(
    "activity, match",
    [
        (Activity(102.6, 2.5, tau=4), "tau"),
        (Activity(102.6, 9.0), "n_steps"),
        (Activity(900.0, 2.5), "n_inputs"),
        (Activity(102.6, 2.5, 256.0, 2100.0), "exceeds tau"),
        (Activity(102.6, 2.5, input_rates=[0.1] * 10), "input_rates"),
    ],
)
def test_activity_must_fit_the_design(activity, match):
    with pytest.raises(ValueError, match=match):
        figures(Accelerator(), activity)


def test_mram_against_its_sram_equivalent(both):
    """Same network, logic and activity: the MTJ design has smaller arrays and less
    leakage, identical logic; the ratio variables are the quotients of the two designs."""
    mtj, sram = both.sel(design="mtj"), both.sel(design="sram")
    assert float(mtj.area) < float(sram.area) and float(mtj.leakage) < float(sram.leakage)
    for c in ("neuron_logic", "sigmoid", "prng", "buffers", "control"):
        assert float(mtj.area_breakdown.sel(area_component=c)) == float(sram.area_breakdown.sel(area_component=c))
    assert float(both.ratio_gsops_per_w_per_mm2) == pytest.approx(
        float(mtj.gsops_per_w_per_mm2) / float(sram.gsops_per_w_per_mm2), rel=1e-12
    )
    assert float(both.ratio_gsops_per_w_per_mm2) > 1


def test_activity_moves_the_figures():
    """More spikes, more energy per inference; idle-heavy use favours the MRAM design
    more (SRAM arrays leak while the chip waits)."""
    busy = figures(Accelerator(), MNIST)
    more = figures(Accelerator(), Activity(input_spikes_per_step=205.2, steps_per_inference=2.5))
    assert float(more.energy_per_inference) > float(busy.energy_per_inference)
    quiet = Activity(input_spikes_per_step=102.6, steps_per_inference=2.5, utilization=0.01)
    assert float(compare(Accelerator(), quiet).ratio_power) < float(compare(Accelerator(), MNIST).ratio_power)


def test_window_dataflow_reads_the_window_inputs():
    a = figures(Accelerator(dataflow="window", memory=MemorySpec(hierarchy="subarray")), MNIST)
    arr = array_figures(MemorySpec(hierarchy="subarray"), 28)
    expected = MNIST.window_inputs_per_inference * 5 * float(arr.read_energy)
    assert float(a.energy_breakdown.sel(energy_component="array_read")) == pytest.approx(expected, rel=1e-12)


def test_activity_default_window_bound():
    """No input repeating within the window: s x sum_{t<=n} min(t, tau)."""
    act = Activity(input_spikes_per_step=10.0, steps_per_inference=6.0)
    assert act.window_inputs(4) == pytest.approx(10 * (1 + 2 + 3 + 4 + 4 + 4))
    assert act.spikes_per_inference() == 60.0


def test_activity_from_a_network_evaluation():
    """The network -> architecture boundary is checked: a missing variable or one in
    other units is named in the message."""
    one = {"units": "1"}
    ds = xr.Dataset(
        {
            "input_spikes_per_step": xr.DataArray(100.0, attrs=one),
            "steps_per_inference": xr.DataArray([2.0, 3.0], dims="chip", attrs=one),
            "input_spikes_per_inference": xr.DataArray([200.0, 300.0], dims="chip", attrs=one),
            "window_inputs_per_inference": xr.DataArray([210.0, 330.0], dims="chip", attrs=one),
        },
        attrs={"n_samples": 2000, "decoding": "first_to_spike", "seed": "0"},
    )
    act = Activity.from_evaluation(ds)
    assert (act.steps_per_inference, act.input_spikes_per_inference, act.window_inputs_per_inference) == (
        2.5,
        250.0,
        270.0,
    )
    with pytest.raises(ValueError, match="lacks the variable 'steps_per_inference'"):
        Activity.from_evaluation(ds.drop_vars("steps_per_inference"))
    wrong = ds.copy()
    wrong["steps_per_inference"].attrs["units"] = "s"
    with pytest.raises(ValueError, match="'steps_per_inference' has units 's', expected '1'"):
        Activity.from_evaluation(wrong)
    with pytest.raises(TypeError, match="an xarray.Dataset"):
        Activity.from_evaluation({"steps_per_inference": 2.0})


def test_toml_design_round_trip(tmp_path):
    path = tmp_path / "design.toml"
    path.write_text(
        "node = 22\ncores = 4\nclock_hz = 2e8\n[network]\nweight_bits = 1\n"
        '[memory]\nkind = "sram"\nsram_area = "silicon28"\n[neuron]\nsigmoid = "pwl"\n'
    )
    acc = Accelerator.from_toml(path)
    assert acc == Accelerator(
        node=22,
        cores=4,
        clock_hz=2e8,
        network=NetworkSpec(weight_bits=1),
        memory=MemorySpec(kind="sram", sram_area="silicon28"),
        neuron=NeuronSpec(sigmoid="pwl"),
    )
    assert Accelerator.from_dict(acc.to_dict()) == acc
    path.write_text("[memory]\nrowz = 3\n")
    with pytest.raises(ValueError, match="rowz"):
        Accelerator.from_toml(path)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: NetworkSpec(weight_bits=9), "weight_bits"),
        (lambda: NetworkSpec(tau=2, n_basis=4), "tau"),
        (lambda: MemorySpec(kind="flash"), "kind"),
        (lambda: MemorySpec(access_bits=48), "access_bits"),
        (lambda: MemorySpec(rows=2), "rows"),
        (lambda: NeuronSpec(sigmoid="tanh"), "sigmoid"),
        (lambda: Accelerator(node=65), "node"),
        (lambda: Accelerator(clock_hz=0.0), "clock_hz"),
        (lambda: Accelerator(dataflow="dense"), "dataflow"),
        (lambda: Activity(-1.0, 2.0), "input_spikes_per_step"),
        (lambda: Activity(1.0, 2.0, utilization=1.5), "utilization"),
        (lambda: Activity(10.0, 2.0, 20.0, 5.0), "window_inputs_per_inference"),
        (lambda: Accelerator(dataflow="window", network=NetworkSpec(tau=16, n_basis=1)), "tau"),
        (lambda: MemorySpec(sram_area="tiny"), "sram_area"),
        (lambda: MemorySpec(mtj="nope"), "mtj"),
        (lambda: MemorySpec(power_gating="false"), "power_gating"),
        (lambda: MemorySpec(rows=96), "power of two"),
    ],
)
def test_bad_designs_are_rejected(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_results_carry_design_and_citations(both):
    assert "Babu" in both.attrs["citations"] and '"kind": "mtj"' in both.attrs["design"]
    assert np.isfinite(float(both.ratio_power))


def test_activity_from_a_real_evaluation():
    """An untrained network's evaluation on 50 digits carries the network's shape and the
    per-input rates; the MNIST ink (centre-heavy) makes the interleaved arrays' loads
    differ only a little (observed 1.1 on the full test split)."""
    from spinaps.network import SNN, evaluate
    from spinaps.network.datasets import load

    ds = load("mnist")
    model = SNN(np.zeros((10, 784, 4)), np.full(10, -2.0))
    act = Activity.from_evaluation(evaluate(model, ds.x_test.values[:50], ds.y_test.values[:50], seed=0))
    assert (act.n_inputs, act.tau, act.n_steps, len(act.input_rates)) == (784, 8, 8, 784)
    assert sum(act.input_rates) == pytest.approx(act.input_spikes_per_step, rel=1e-9)
    m = mapping(Accelerator(), act.input_rates)
    assert 1.0 < float(m.load_imbalance) < 1.5
    assert float(figures(Accelerator(), act).gsops) > 0


def test_mtj_arrays_at_the_operating_temperature():
    """The MTJ cells follow MemorySpec.temperature (as the circuit layer's bitcell at that
    temperature): a hotter junction has a lower I_c0 and Delta, so the cell written at
    1.5 I_c0(T) for WER 1e-9 needs less energy per write."""
    from spinaps.circuit import Array, MTJBitcell
    from spinaps.device import preset

    hot = MemorySpec(mtj="Ikeda2010", temperature=350.0)
    mtj = preset("Ikeda2010")
    cell = MTJBitcell(
        mtj,
        technology(28),
        i_write=1.5 * float(mtj.at_temperature(350.0).ic0),
        v_write=1.2,
        target_wer=1e-9,
        temperature=350.0,
    )
    assert float(array_figures(hot, 28).write_energy) == float(Array(cell, 256, 256, 32).figures().write_energy)
    assert float(array_figures(hot, 28).write_energy) < float(
        array_figures(MemorySpec(mtj="Ikeda2010"), 28).write_energy
    )
    with pytest.raises(ValueError, match="temperature"):
        MemorySpec(temperature=-1.0)


def test_memory_takes_the_device_itself():
    """MemorySpec takes an MTJParams (e.g. calibrated or sampled), not only a preset name:
    the arrays are built from that very device, and the deprecated preset keyword still
    works with a warning."""
    import dataclasses

    from spinaps.device import preset

    own = dataclasses.replace(preset("Ikeda2010"), ra=0.5 * float(preset("Ikeda2010").ra))
    by_name, by_device = MemorySpec(), MemorySpec(mtj=own)
    assert by_name.device() is preset("Ikeda2010")
    assert by_device.device() is own
    # half the RA: the array is built from that very device, the (cached) figures are that
    # array's own, and they are not the preset's (the cache tells the devices apart)
    arr = by_device.array(28)
    assert arr.bitcell.mtj is own
    assert float(array_figures(by_device, 28).read_energy) == float(arr.figures().read_energy)
    assert float(array_figures(by_device, 28).read_energy) != float(array_figures(by_name, 28).read_energy)
    with pytest.warns(DeprecationWarning, match="mtj_preset"):
        assert MemorySpec(mtj_preset="Sato2013").mtj == "Sato2013"
    # a TOML round trip keeps the device's fields
    acc = Accelerator(memory=by_device)
    assert Accelerator.from_dict(acc.to_dict()).memory.device().ra == own.ra


def test_array_figures_are_independent_copies_with_citations():
    """The cached sub-array figures are a fresh copy for each caller, and the works they
    rely on are registered again after citations.reset()."""
    from spinaps import citations

    a = array_figures(MemorySpec(), 28)
    a["read_energy"] = a.read_energy * 0 + 123.0
    assert float(array_figures(MemorySpec(), 28).read_energy) != 123.0
    citations.reset()
    array_figures(MemorySpec(), 28)
    assert "Dong2012" in citations.used() and "Pelgrom1989" in citations.used()


def test_figures_use_the_given_array():
    """figures() evaluates the sub-array handed in by the circuit layer (not a rebuilt
    one); an array of another organisation is refused."""
    acc = Accelerator(memory=MemorySpec(hierarchy="subarray"))
    arr = array_figures(acc.memory, 28)
    doubled = arr.copy(deep=True)
    doubled["read_energy"] = arr.read_energy * 2
    e = lambda ds: float(ds.energy_breakdown.sel(energy_component="array_read"))  # noqa: E731
    assert e(figures(acc, MNIST, array=doubled)) == pytest.approx(2 * e(figures(acc, MNIST)), rel=1e-12)
    other = array_figures(MemorySpec(rows=512, hierarchy="subarray"), 28)
    with pytest.raises(ValueError, match="rows = 512"):
        figures(acc, MNIST, array=other)
