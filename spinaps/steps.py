"""The computations of the chain's steps, one function per layer, from a :class:`Design`.

Each function takes the design and the live objects of the steps before it and returns
its results as named ``xarray.Dataset``s (units, provenance) plus the live objects the
next step needs.  :mod:`spinaps.chain` runs them in order, caches them and writes them.

* :func:`device_step` -- the nominal device's properties, switching and write-error maps,
  pulses for target WERs per write direction at the design's write current, an LLGS
  ensemble, retention and read disturb;
* :func:`variability_step` -- the spread of a sampled ensemble and of its WER at the
  write point (part of the chain's device step, cached on its own);
* :func:`circuit_step` -- the bitcell at the write point (pulse for the target WER of
  the nominal device or of the worst cell of a sub-array), the MTJ and SRAM sub-arrays;
* :func:`training_step` -- the trained network (or the given model file) and the ANN;
* :func:`evaluation_step` -- cell-by-cell faults of ``study.chips`` chips drawn from the
  variability distribution, and the accuracy of those chips, of homogeneous chips with
  the same mean error probabilities, of homogeneous chips of the nominal device, and of
  fault-free chips;
* :func:`architecture_step` -- the accelerator holding the network in the circuit
  layer's very cells (banks of memories of its bitcells, or its sub-arrays with
  ``circuit.hierarchy = "subarray"``), against its SRAM equivalent, at the measured
  activity.
"""

from __future__ import annotations

import contextvars
import dataclasses
import json
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import xarray as xr

from .architecture import (
    Accelerator,
    Activity,
    MemorySpec,
    NetworkSpec,
    NeuronSpec,
    compare,
    compare_layered,
    hidden_network,
)
from .architecture.layers import LAYER_NAMES
from .circuit.bitcell import DIRECTIONS
from .device import simulate
from .device.error_rates import pulse_for_wer, read_disturb_probability, retention_failure_probability, write_error_rate
from .device.heating import describe_thermal_resistance
from .device.switching import switching_probability
from .device.variability import sample_variability, summarize, worst_of_n_pulse
from .provenance import annotate, finalize
from .threads import get_threads

__all__ = [
    "device_step",
    "variability_step",
    "circuit_step",
    "training_step",
    "evaluation_step",
    "architecture_step",
    "WER_TARGETS",
    "write_current",
]

#: Target write error rates for which the device step reports the pulse widths.
WER_TARGETS = (1e-6, 1e-9, 1e-12, 1e-15)


def _seeds(design, n):
    """Independent seed sequences of the study, one per named stream (fixed order)."""
    return np.random.SeedSequence(design.study.seed).spawn(n)


def write_current(design) -> float:
    """The write current of the design [A]: ``circuit.i_write``, or ``i_write_ic0``
    times the nominal device's I_c0 at the operating temperature."""
    c = design.circuit
    if c.i_write is not None:
        return float(c.i_write)
    return c.i_write_ic0 * float(design.device.params().at_temperature(design.storage.temperature).ic0)


def heating_keywords(design) -> dict:
    """The Joule-heating keywords of the device-layer write functions for ``design``
    (empty with ``device.joule_heating`` false, so the calls are unchanged)."""
    d = design.device
    return {"joule_heating": True, "thermal_resistance": d.thermal_resistance} if d.joule_heating else {}


def _heating_attrs(design) -> dict:
    """Output attributes recording the design's Joule-heating choice."""
    d = design.device
    r_th = "none" if not d.joule_heating else describe_thermal_resistance(d.thermal_resistance)
    return {"joule_heating": int(d.joule_heating), "thermal_resistance": r_th}


def _save_array(da: xr.DataArray) -> xr.Dataset:
    return da.to_dataset().assign_attrs(da.attrs)


# ---------------------------------------------------------------------- device
def device_properties(params, temperature=300.0) -> xr.Dataset:
    """Derived properties of a device as a Dataset with units."""
    items = {
        "delta": (params.delta(temperature), "1", f"thermal stability factor at {temperature:g} K"),
        "ic0": (params.at_temperature(temperature).ic0, "A", "zero-temperature critical current"),
        "tau_d": (params.at_temperature(temperature).tau_d, "s", "damping time tau_D"),
        "hk_eff": (params.at_temperature(temperature).hk_eff, "A/m", "effective anisotropy field"),
        "f_fmr": (params.at_temperature(temperature).f_fmr, "Hz", "small-angle precession frequency"),
        "r_p": (params.r_p, "ohm", "parallel resistance"),
        "r_ap": (params.at_temperature(temperature).r_ap, "ohm", "zero-bias antiparallel resistance"),
        "energy_barrier": (params.at_temperature(temperature).energy_barrier, "J", "energy barrier K_eff V"),
    }
    ds = xr.Dataset({k: annotate(xr.DataArray(np.asarray(v, float)), u, ln) for k, (v, u, ln) in items.items()})
    return finalize(ds, params=params, cite=("Sun2000", "Julliere1975"), temperature=float(temperature))


def device_step(design, progress=False) -> dict:
    """Device-layer results of the nominal device (see the module notes)."""
    params, temp = design.device.params(), design.storage.temperature
    stt = design.device.stt_form
    p_t = params.at_temperature(temp)
    ic0, tau_d = float(p_t.ic0), float(p_t.tau_d)
    out = {"device_properties": device_properties(params, temp)}
    out["device_properties"].attrs.update(preset=design.device.preset or "none (fields given)", stt_form=stt)
    out["device_properties"].attrs.update(_heating_attrs(design))
    heat = heating_keywords(design)

    currents = np.linspace(0.2, 3.0, 57) * ic0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the crossover band is marked in the figure instead
        pmap = switching_probability(params, currents, np.logspace(-10, -2, 81), temperature=temp)
    out["switching_map"] = _save_array(pmap)

    wer = write_error_rate(
        params,
        np.linspace(1.1, 4.0, 40) * ic0,
        np.geomspace(0.3, 30.0, 50) * tau_d,
        temperature=temp,
        stt_form=stt,
        **heat,
    )
    out["wer_map"] = _save_array(wer)

    i_size = np.unique(np.r_[np.array([1.5, 2.0, 3.0]) * ic0, write_current(design)])
    per_dir = []
    for d in DIRECTIONS:
        sized = xr.concat(
            [
                pulse_for_wer(params, i_size, target, temperature=temp, stt_form=stt, direction=d, **heat).expand_dims(
                    target_wer=[target]
                )
                for target in WER_TARGETS
            ],
            dim="target_wer",
        )
        per_dir.append(sized.expand_dims(direction=[d]))
    pulses = xr.concat(per_dir, dim="direction", combine_attrs="override")
    annotate(pulses["target_wer"], "1", "target write error rate")
    annotate(pulses["direction"], "1", "write direction (the state written)")
    ds = _save_array(pulses)
    ds.attrs.update(stt_form=stt, design_current=write_current(design), **_heating_attrs(design))
    out["pulse_for_wer"] = ds

    runs, duration = [], 4.0 * tau_d  # a pulse short enough that not every device switches
    n_llg = design.study.llg_devices
    for factor, sq in zip((1.5, 2.0), _seeds(design, 2)):
        ds = simulate(
            params, factor * ic0, duration, n_devices=n_llg, temperature=temp, seed=sq, stt_form=stt, progress=progress
        )
        runs.append(ds[["t_switch", "switched"]].expand_dims(i_write=[factor * ic0]))
    llg = xr.concat(runs, dim="i_write")
    annotate(llg["i_write"], "A", "write current")
    out["llg_ensemble"] = finalize(
        llg,
        params=params,
        seed=design.study.seed,
        cite=("Brown1963", "GarciaPalacios1998", "Sun2000"),
        duration=duration,
        temperature=float(temp),
        stt_form=stt,
    )

    # The "currently flipped" probability (quantity="p_flipped", recorded in the attrs):
    # the one the circuit and network layers use, whichever method the device picks.
    out["retention"] = _save_array(
        retention_failure_probability(params, np.logspace(-3, 9, 61), temperature=temp, quantity="p_flipped")
    )
    out["read_disturb"] = _save_array(
        read_disturb_probability(params, 0.3 * ic0, np.logspace(-9, -6, 31), temperature=temp, quantity="p_flipped")
    )
    return out


def variability_step(design) -> dict:
    """Spread of Delta, I_c0, R_P, R_AP and of the WER at the write point over a sampled
    ensemble of ``study.variability_devices`` devices (per-device values and quantiles).

    Kept apart from :func:`device_step` because it alone depends on the variability
    section and the write pulse: a sweep over those recomputes only this part."""
    v = design.variability
    params, temp = design.device.params(), design.storage.temperature
    spread = {k: float(x) for k, x in v.spread.items() if x > 0}
    seed = _seeds(design, 3)[2]
    ens = (
        sample_variability(
            params,
            design.study.variability_devices,
            spread=spread,
            seed=seed,
            distribution=v.distribution,
            correlation=v.correlation_pairs() or None,
        )
        if spread
        else params
    )
    i_w, t_w = write_current(design), _nominal_pulse(design)
    wer = write_error_rate(ens, i_w, t_w, temperature=temp, stt_form=design.device.stt_form, **heating_keywords(design))
    if "device" not in wer.dims:
        wer = wer.expand_dims(device=1)
    ds = summarize(ens, temperature=temp, wer=wer)
    n = wer.sizes["device"]
    p_t = ens.at_temperature(temp)
    per_device = {
        "delta": (ens.delta(temp), "1", "thermal stability factor Delta(T)"),
        "ic0": (p_t.ic0, "A", "critical current I_c0"),
        "r_p": (ens.r_p, "ohm", "parallel resistance"),
        "r_ap": (p_t.r_ap, "ohm", "antiparallel resistance"),
        "wer": (wer.values, "1", "write error rate at the write point"),
    }
    for name, (value, units, long_name) in per_device.items():
        ds[name] = annotate(
            xr.DataArray(np.broadcast_to(np.asarray(value, float).reshape(-1), (n,)).copy(), dims="device"),
            units,
            long_name,
        )
    cite = [k for da in (ds, wer) for k in da.attrs.get("citation_keys", "").split(", ") if k]
    cite += ["Nelsen2006"] if v.correlation else []
    return {
        "variability": finalize(
            ds,
            params=ens,
            seed=design.study.seed,
            cite=cite,
            spread=json.dumps(spread),
            distribution=v.distribution,
            wer_current=i_w,
            wer_t_pulse=t_w,
            stt_form=design.device.stt_form,
            temperature=float(temp),
            **_heating_attrs(design),
        )
    }


def _nominal_pulse(design) -> float:
    """The write pulse [s] for the nominal device: ``circuit.t_pulse`` or the pulse
    reaching ``circuit.target_wer`` in the worse direction."""
    c = design.circuit
    if c.t_pulse is not None:
        return float(c.t_pulse)
    params, temp = design.device.params(), design.storage.temperature
    return max(
        float(
            pulse_for_wer(
                params,
                write_current(design),
                c.target_wer,
                temperature=temp,
                stt_form=design.device.stt_form,
                direction=d,
                **heating_keywords(design),
            )
        )
        for d in DIRECTIONS
    )


# ---------------------------------------------------------------------- circuit
def memory_spec(design, kind="mtj", t_pulse=None) -> MemorySpec:
    """The design's weight arrays as the architecture layer describes them."""
    c, s = design.circuit, design.storage
    params = design.device.params()
    ic0 = float(params.at_temperature(s.temperature).ic0)
    return MemorySpec(
        kind=kind,
        rows=c.rows,
        cols=c.cols,
        access_bits=c.access_bits,
        hierarchy=c.hierarchy,
        banks=c.banks,
        search_target=c.search_target,
        organisation=dict(c.organisation) or None,
        sram_area=c.sram_area,
        periphery=c.periphery,
        mtj=params,
        i_write_ic0=write_current(design) / ic0,
        v_write=c.v_write,
        target_wer=c.target_wer if c.target_wer is not None else 1e-9,
        t_pulse=t_pulse,
        mtj_min_area_f2=c.min_area_f2,
        temperature=s.temperature,
        power_gating=design.architecture.power_gating,
        stt_form=design.device.stt_form,
        v_read=c.v_read,
        sense_offset=c.sense_offset,
        sensing=c.sensing,
        joule_heating=design.device.joule_heating and kind == "mtj",
        thermal_resistance=design.device.thermal_resistance if kind == "mtj" else None,
    )


def _sized_pulse(design) -> tuple[float, str]:
    """The write pulse of the chip [s] and how it was sized."""
    c = design.circuit
    if c.t_pulse is not None:
        return float(c.t_pulse), "given (circuit.t_pulse)"
    if c.pulse_sizing == "nominal" or not design.variability.spread:
        return _nominal_pulse(design), f"nominal device reaches WER {c.target_wer:g} in the worse direction"
    v = design.variability
    n_ens = design.study.variability_devices
    ens = sample_variability(
        design.device.params(),
        n_ens,
        spread=dict(v.spread),
        seed=_seeds(design, 4)[3],
        distribution=v.distribution,
        correlation=v.correlation_pairs() or None,
    )
    n_array = c.rows * c.cols
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # extrapolation of the tail is recorded in the text below
        pulses = [
            float(
                worst_of_n_pulse(
                    ens,
                    write_current(design),
                    c.target_wer,
                    n_array,
                    temperature=design.storage.temperature,
                    confidence=c.worst_confidence,
                    stt_form=design.device.stt_form,
                    direction=d,
                    **heating_keywords(design),
                )
            )
            for d in DIRECTIONS
        ]
    return max(pulses), (
        f"worst of {n_array} cells reaches WER {c.target_wer:g} with probability "
        f"{c.worst_confidence:g} ({n_ens} sampled devices, log-normal tail extrapolation)"
    )


def circuit_step(design) -> dict:
    """The bitcell at the write point and the MTJ and SRAM sub-arrays, built once."""
    t_pulse, sizing = _sized_pulse(design)
    mtj_memory = memory_spec(design, "mtj", t_pulse)
    node = design.circuit.node
    arrays = {"mtj": mtj_memory.array(node), "sram": memory_spec(design, "sram").array(node)}
    cell = arrays["mtj"].bitcell
    bitcell = cell.figures()
    bitcell.attrs.update(
        pulse_sizing=sizing,
        t_storage_note="retention_failure over 10 years (bitcell default); the network's faults use storage.t_storage",
    )
    datasets = {"bitcell_mtj": bitcell, "array_mtj": arrays["mtj"].figures(), "array_sram": arrays["sram"].figures()}
    return {"datasets": datasets, "arrays": arrays, "bitcell": cell, "memory": mtj_memory}


# ---------------------------------------------------------------------- network
def load_data(design):
    """(x_train, y_train, x_test, y_test) of the design's data set."""
    from .network.datasets import load

    n = design.network
    ds = load(n.dataset, path=n.data_path, seed=design.study.seed)
    train, test = slice(0, n.train_samples), slice(0, n.test_samples)
    return ds.x_train.values[train], ds.y_train.values[train], ds.x_test.values[test], ds.y_test.values[test]


def model_class(design):
    """The class of the design's network: :class:`~spinaps.network.SNN` (``network.model
    = "snn"``) or :class:`~spinaps.network.HiddenSNN` (``"hidden"``)."""
    from .network import SNN, HiddenSNN

    return HiddenSNN if design.network.model == "hidden" else SNN


def training_step(design, data, progress=False):
    """The trained network (float, then quantisation-aware at weight_bits, with the
    design's recipe :attr:`~spinaps.design.NetworkDesign.recipe`) or the model file; and
    the equivalent ANN's test accuracy as a Dataset."""
    from .network.baselines import train_ann

    n = design.network
    x, y, xt, yt = data
    seed = int(_seeds(design, 5)[4].generate_state(1)[0])
    # the equivalent ANN is independent of the spiking network: it trains in a thread of
    # its own (numpy releases the GIL), in a copy of this context for the citations
    pool = ThreadPoolExecutor(max_workers=1)
    ann_future = pool.submit(contextvars.copy_context().run, train_ann, x, y, seed=seed, epochs=n.ann_epochs)
    pool.shutdown(wait=False)
    if n.model_file is not None:
        try:
            model = model_class(design).load(n.model_file)
        except ValueError as err:
            raise ValueError(f"network.model_file for network.model = {n.model!r}: {err}") from None
        _check_model(model, design, x.shape[1])
    else:
        model = _train(design, x, y, seed, progress)
    acc = float(ann_future.result().accuracy(xt, yt))
    ann_ds = finalize(
        xr.Dataset(
            {
                "accuracy": annotate(
                    xr.DataArray(acc),
                    "1",
                    "test accuracy of the equivalent ANN (logistic regression on the same inputs)",
                )
            }
        ),
        seed=design.study.seed,
        cite=("Bagheri2018",),
        epochs=n.ann_epochs,
        dataset=n.dataset,
    )
    return model, ann_ds


def _train(design, x, y, seed, progress):
    """The design's network trained on (x, y): float, then quantisation-aware."""
    from .network import train_hidden_snn, train_snn

    n, recipe = design.network, design.network.recipe
    if n.model == "hidden":
        train, shape = train_hidden_snn, {"hidden": n.n_hidden, "n_basis_hidden": n.n_basis_hidden}
    else:
        train, shape = train_snn, {}
    common = {"n_steps": n.n_steps, "seed": seed, "batch": n.batch, "progress": progress}
    model = train(
        x,
        y,
        n_basis=n.n_basis,
        tau=n.tau,
        p_max=n.p_max,
        epochs=recipe["epochs"],
        lr=recipe["lr"],
        lr_final=recipe["lr_final"],
        **shape,
        **common,
    )
    if not recipe["qat_epochs"]:
        return dataclasses.replace(model, weight_bits=n.weight_bits, code=n.code)
    return train(
        x,
        y,
        weight_bits=n.weight_bits,
        code=n.code,
        epochs=recipe["qat_epochs"],
        lr=recipe["qat_lr"],
        lr_final=recipe["qat_lr"] * 0.1,
        init=model,
        **common,
    )


def _check_model(model, design, n_inputs):
    n = design.network
    pairs = [
        ("network.n_steps", n.n_steps, model.n_steps),
        ("network.tau", n.tau, model.tau),
        ("network.n_basis", n.n_basis, model.n_basis),
        ("network.weight_bits", n.weight_bits, model.weight_bits),
        ("network.code", n.code, model.code),
    ]
    if n.model == "hidden":
        pairs += [("network.n_hidden", n.n_hidden, model.n_hidden)]
        pairs += [("network.n_basis_hidden", n.n_basis_hidden, model.n_basis_hidden)]
    for name, own, given in pairs:
        if own != given:
            raise ValueError(f"{name} = {own!r} but network.model_file {n.model_file!r} has {given!r}")
    if model.n_inputs != n_inputs:
        raise ValueError(
            f"network.model_file {n.model_file!r} has {model.n_inputs} inputs; network.dataset "
            f"{n.dataset!r} has {n_inputs}"
        )


def _cell_options(design) -> dict:
    """The keywords of :func:`spinaps.circuit.chip_cells` the design sets (variability, storage)."""
    v = design.variability
    return dict(
        spread={k: float(x) for k, x in v.spread.items() if x > 0},
        distribution=v.distribution,
        correlation=v.correlation_pairs() or None,
        cycle_spread={k: float(x) for k, x in v.cycle.items() if x > 0} or None,
        chip_spread={k: float(x) for k, x in v.chip.items() if x > 0} or None,
        t_storage=design.storage.t_storage,
    )


def prepare_evaluation(design, bitcell) -> None:
    """Build the cell tables of :func:`evaluation_step` ahead of time
    (:func:`spinaps.circuit.cell_tables`): they need the circuit, not the trained bits."""
    from .circuit import cell_tables

    cell_tables(bitcell, **_cell_options(design))


def evaluation_step(design, model, data, bitcell, progress=False) -> dict:
    """Accuracy over chips: cell by cell with device-to-device variability, homogeneous
    chips with the same mean error probabilities, and fault-free chips.

    For the hidden-layer network (``network.model = "hidden"``) the cells of a chip are
    those of both layers (one population, so that a chip's chip-to-chip draw is shared
    by its layers), split into each layer's faults (:meth:`ChipCells.split`)."""
    from .chain import cell_memory_limit
    from .circuit import chip_cells, homogeneous_cells
    from .network import FaultModel, evaluate, evaluate_hidden

    _, _, xt, yt = data
    s, chips = design.storage, design.study.chips
    seeds = _seeds(design, 7)
    eval_seed = int(seeds[6].generate_state(1)[0])
    planes = model.bit_planes()
    if design.network.model == "hidden":
        bits = np.concatenate([p.reshape(-1) for p in planes.values()])
        run = evaluate_hidden

        def faults(population):
            parts = population.split([p.shape for p in planes.values()])
            return {layer: FaultModel.from_cells(part, n_reads=s.n_reads) for layer, part in zip(planes, parts)}
    else:
        bits, run = planes, evaluate

        def faults(population):
            return FaultModel.from_cells(population, n_reads=s.n_reads)

    cells = chip_cells(
        bitcell,
        bits,
        chips,
        seed=seeds[5],
        progress=progress,
        max_bytes=cell_memory_limit(),  # the run's memory was checked: check_resources
        **_cell_options(design),
    )
    populations = {
        "network": cells,
        "network_homogeneous": homogeneous_cells(bitcell, bits, chips, t_storage=s.t_storage, match_mean_of=cells),
        "network_nominal": homogeneous_cells(bitcell, bits, chips, t_storage=s.t_storage),
    }

    def accuracy(population):
        if population is None:
            return run(model, xt, yt, n_chips=1, seed=eval_seed)
        ds = run(model, xt, yt, n_chips=chips, faults=faults(population), seed=eval_seed)
        ds.attrs.update(population=population.population, t_storage=s.t_storage, n_reads=s.n_reads)
        return ds

    # the evaluations are independent (each its own seeded streams) and mostly numpy,
    # which releases the GIL: they share the package's threads, results in a fixed
    # order; each runs in a copy of this context, so that the step's citation
    # recorders (spinaps.citations) see what it registers
    populations["network_fault_free"] = None
    contexts = [contextvars.copy_context() for _ in populations]
    with ThreadPoolExecutor(max_workers=min(get_threads(), len(populations))) as pool:
        done = pool.map(lambda ctx, population: ctx.run(accuracy, population), contexts, populations.values())
        results = dict(zip(populations, done))
    return {"cell_faults": cells.dataset(), **results}


# ---------------------------------------------------------------------- architecture
def accelerator(design, memory: MemorySpec, n_inputs: int, n_outputs: int) -> Accelerator:
    """The design's accelerator holding a network of ``n_inputs`` x ``n_outputs``."""
    n, a = design.network, design.architecture
    return Accelerator(
        network=NetworkSpec(
            n_inputs=n_inputs,
            n_outputs=n_outputs,
            n_basis=n.n_basis,
            tau=n.tau,
            weight_bits=n.weight_bits,
            n_steps=n.n_steps,
        ),
        memory=memory,
        neuron=NeuronSpec(**a.neuron.to_dict()),
        node=design.circuit.node,
        cores=a.cores,
        clock_hz=a.clock_hz,
        dataflow=a.dataflow,
        inferences_per_weight_write=a.inferences_per_weight_write,
        logic=a.logic,
    )


def architecture_step(design, memory: MemorySpec, arrays, evaluation: xr.Dataset, n_inputs, n_outputs) -> xr.Dataset:
    """The accelerator in the circuit step's cells (``arrays`` = the MTJ and SRAM
    sub-arrays, whose bitcells build the banks of memories, or their figures with
    ``circuit.hierarchy = "subarray"``) against its SRAM equivalent, driven by the
    activity measured on the chips with variability; the hidden-layer network as its
    two layers of arrays (:func:`spinaps.architecture.hidden_network`)."""
    out = _compare(design, accelerator(design, memory, n_inputs, n_outputs), evaluation, arrays)
    out.attrs.update(seed=str(design.study.seed), seed_note="the activity was measured on the study's chips")
    return out


def _compare(design, acc, evaluation, arrays=(None, None)) -> xr.Dataset:
    """:func:`~spinaps.architecture.compare` of ``acc`` driven by the activity of
    ``evaluation`` (:func:`~spinaps.architecture.compare_layered` of the two layers of
    the hidden-layer network)."""
    utilization = design.architecture.utilization
    if design.network.model == "hidden":
        layers = hidden_network(acc, evaluation, utilization=utilization)
        return compare_layered(layers, names=LAYER_NAMES, arrays=arrays)
    return compare(acc, Activity.from_evaluation(evaluation, utilization=utilization), arrays=arrays)


#: Assumptions that move the GSOPS/W/mm^2 ratio most (notebook 05), with the values
#: the report tries: (dotted key, alternative values, units, why it matters).
SENSITIVITY = (
    (
        "circuit.min_area_f2",
        (0.0, 40.0, 100.0),
        "F^2",
        "MTJ cell layout floor: our transistor rule lies about 3x below silicon (Intel 22FFL: about 100 F^2)",
    ),
    ("circuit.sram_area", ("cacti", "silicon28"), "", "SRAM cell-area convention of the reference design"),
    ("architecture.utilization", (1.0, 0.1, 0.01), "1", "idle time: SRAM leaks, gated MTJ arrays do not"),
    ("circuit.periphery", ("hp", "lstp"), "", "array periphery devices (CACTI HP or LSTP)"),
    ("architecture.logic", ("hp", "lstp"), "", "neuron logic devices"),
)


def sensitivity(design, t_pulse, evaluation, n_inputs, n_outputs) -> list[dict]:
    """The GSOPS/W/mm^2 ratio (MTJ / SRAM) at other values of the assumptions of
    :data:`SENSITIVITY`, everything else as designed (the write pulse ``t_pulse`` [s] kept)."""
    rows = []
    for key, values, units, why in SENSITIVITY:
        ratios = {}
        for value in values:
            d = design.with_values({key: value})
            acc = accelerator(d, memory_spec(d, "mtj", t_pulse), n_inputs, n_outputs)
            ratios[value] = float(_compare(d, acc, evaluation).ratio_gsops_per_w_per_mm2)
        rows.append(
            {
                "key": key,
                "value": design.value(key),
                "units": units,
                "effect": why + "; GSOPS/W/mm^2 ratio " + ", ".join(f"{v!s}: {r:.3g}" for v, r in ratios.items()),
                "ratios": ratios,
            }
        )
    return rows
