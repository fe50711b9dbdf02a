"""Area, energy, latency, throughput and efficiency of an accelerator at an activity.

:func:`figures` evaluates an :class:`~spinaps.architecture.design.Accelerator` driven by
an :class:`~spinaps.architecture.activity.Activity`; :func:`compare` evaluates it
against its SRAM equivalent and gives the ratio of every figure.

Mapping (per core; every core holds the whole network)
------------------------------------------------------
Input i's synapses -- n_outputs x K weights of B bits -- form one *word* of
W = n_outputs K B bits, padded to a whole number of accesses (``access_bits``).  The
B bits of one weight sit side by side: a read delivers whole signed weights
(bit-parallel; sign-magnitude levels are added or subtracted).  Where the words sit
depends on ``MemorySpec.hierarchy``:

* ``"memory"`` (default): ``banks`` banks, each a :class:`spinaps.circuit.Memory` with
  H-tree routing, inputs interleaved over the banks, the words in each bank's flat
  address space (:mod:`spinaps.architecture.memory`: capacity, organisation, what runs
  in parallel, which figures come from the memory);
* ``"subarray"``: words packed along the rows of ``rows x cols`` sub-arrays (several
  words per row when they fit, else one word over several rows); n_arrays sub-arrays
  hold all inputs, with no routing between them.

Dataflow per time step
----------------------
``"trace"`` (default):

1. every input spike of the frame arrives as an address in the spike FIFO and reads its
   word (W / access_bits accesses); every neuron adds its K weights into K trace
   registers z_{j,k} (K adders per neuron: one word per clock cycle);
2. once per step every neuron forms u_j = gamma_j + sum_k sum_d a_k(d) z_{j,k,t-d}
   from its trace history (the non-zero taps of the basis: taps equal to 1 are adds,
   others a constant multiply and an add), reads sigma(u_j) from its look-up table
   (or a piecewise-linear unit), steps its LFSR and compares: spike or not;
3. the first-to-spike unit ends the inference at the first output spike (ties broken
   by the random numbers), else the next frame starts.

``"window"``: every step reads the words of all inputs that spiked within the last
``tau`` frames and accumulates a_k(lag) w_{j,i,k} directly into u_j (K multiplies and
adds per neuron per active input, coefficients from a shared 2^tau-entry table indexed
by the input's spike history); no trace history.

Timing: inputs are interleaved over the parallel units -- the sub-arrays (input i in
array i mod n_arrays), or the banks of the memory -- and the units work in parallel on
different spikes, the busiest one (measured per-input spike rates, when given) setting
the pace; a read takes ceil(t_read f_clk) cycles (t_read of the sub-array, or of the
memory with its H-tree) and a unit is not pipelined (assumed); the neuron unit accepts
one word per cycle; a shared LFSR costs n_outputs - 1 extra cycles per step.  The neuron
update follows the frame's reads (not overlapped, assumed).  Leakage: SRAM arrays must
stay powered; MTJ arrays (non-volatile) are powered only while reading if
``power_gating`` (a sub-array while it is read; in a memory, what an access uses: the
active sub-arrays, their predecoders and the bank's H-tree drivers); logic always
leaks.

Counting
--------
A synaptic operation (SOP) is one input spike delivered to one output neuron: per
inference, SOPs = input spikes until the decision x n_outputs (the K basis weights and
B bits of the synapse are read once per SOP and do not multiply the count).  TOPS/W
counts 2 operations per SOP and basis weight (each of the K accumulates as one
multiply-accumulate, 1 MAC = 2 ops, the convention of NeuroSim and of dense-DNN
accelerators).
"""

from __future__ import annotations

import json
import math

import numpy as np
import xarray as xr

from ..circuit import Array, technology
from ..circuit.digital import ROUTING_FACTOR, TRANSISTOR_AREA_F2, operation_area, operation_energy
from ..network.glm import raised_cosine_basis
from ..params import check_range
from ..provenance import annotate, breakdown, finalize, require
from .activity import Activity
from .design import Accelerator
from .memory import bank_capacity_bits, content_key, given_memory, memory_figures, memory_terms, registered

__all__ = [
    "figures",
    "compare",
    "layered_figures",
    "compare_layered",
    "mapping",
    "array_figures",
    "basis_taps",
    "LOGIC_LEAK_WIDTH_F",
    "LOGIC_OFF_FRACTION",
]

#: Mean transistor width of the logic for its leakage [F] (assumed).
LOGIC_LEAK_WIDTH_F = 2.0
#: Fraction of the logic transistors that are off and leak at any time (assumed).
LOGIC_OFF_FRACTION = 0.5
#: Clock cycles [-] of the neuron update besides the kernel taps: bias add, sigmoid,
#: random-number compare, first-to-spike decision (assumed, one cycle each).
FIRE_CYCLES = 4


def basis_taps(n_basis, tau):
    """(taps, multiplying taps): the non-zero coefficients a_k(d) of the network's
    raised-cosine basis, and those not equal to 1 (which need a constant multiplier).

    Parameters
    ----------
    n_basis : int [-]
        K, raised-cosine basis kernels per synapse.
    tau : int [time steps]
        Kernel window.

    Returns
    -------
    taps : int [-]
        Coefficients a_k(d) > 1e-12 over the K kernels and tau lags.
    mult_taps : int [-]
        Those of them not equal to 1.

    Examples
    --------
    >>> basis_taps(4, 4)      # tau = K: the taps are pure delays (adds only)
    (4, 0)
    """
    a = raised_cosine_basis(n_basis, tau)
    nonzero = a > 1e-12
    return int(nonzero.sum()), int((nonzero & ~np.isclose(a, 1.0)).sum())


#: The variables of :func:`mapping`: units and long name.
MAPPING_VARIABLES = {
    "word_bits": ("1", "bits of one input's weight word (n_outputs K B)"),
    "accesses_per_word": ("1", "array accesses per input word"),
    "rows_needed": ("1", "array rows holding the weights of one core"),
    "n_arrays": ("1", "sub-arrays per core"),
    "parallel_reads": ("1", "accesses served at once per core (sub-arrays, or banks of the memory)"),
    "weight_bits_total": ("1", "weight bits stored per core"),
    "cell_utilization": ("1", "fraction of the array cells holding weights"),
    "load_imbalance": ("1", "read load of the busiest sub-array or bank over the mean"),
}


def mapping(acc: Accelerator, input_rates=None, *, memory=None) -> xr.Dataset:
    """How the weights map to sub-arrays or banks (per core).

    Each input's word of W = n_outputs K B bits is padded to whole accesses of
    ``access_bits``.  With ``hierarchy="subarray"`` words are packed into rows of
    ``cols`` cells (or spread over rows when one word is wider than a row), and rows
    into arrays of ``rows`` rows; inputs are interleaved over the arrays (input i in
    array i mod n_arrays), so that neighbouring inputs -- neighbouring pixels, with
    similar spike rates -- are read by different arrays, which serve reads in parallel.
    With ``hierarchy="memory"`` inputs are interleaved over the ``banks`` banks
    (:mod:`spinaps.architecture.memory`), their words laid out one access after the
    other, and the banks serve reads in parallel.  With ``input_rates`` the load of the
    busiest array (or bank) relative to the mean, ``load_imbalance``, follows; without
    them the load is taken as balanced.

    Parameters
    ----------
    acc : Accelerator
        The network and memory organisation.
    input_rates : array_like, optional [1/step]
        Spikes per time step of each input, shape (n_inputs,).
    memory : xarray.Dataset, optional
        With ``hierarchy="memory"``, the figures of one bank (default
        :func:`spinaps.architecture.memory.memory_figures`, which searches the
        organisation unless it is forced); ignored otherwise.

    Returns
    -------
    xarray.Dataset
        0-d variables :data:`MAPPING_VARIABLES` (``word_bits``, ``accesses_per_word``,
        ``rows_needed``, ``n_arrays``, ``parallel_reads``, ``weight_bits_total`` [1],
        ``cell_utilization``, ``load_imbalance`` [1]), with units and long names.

    Raises
    ------
    ValueError
        If ``input_rates`` does not have one value per input.

    Examples
    --------
    >>> sub = Accelerator().replace(memory={"hierarchy": "subarray"})
    >>> m = mapping(sub)      # 784 inputs x 10 outputs x K = 4 x B = 4 bits
    >>> int(m.word_bits), int(m.accesses_per_word), int(m.n_arrays)
    (160, 5, 4)
    """
    if not isinstance(acc, Accelerator):
        raise TypeError(f"acc must be an Accelerator, got {type(acc).__name__}")
    net, mem = acc.network, acc.memory
    accesses = math.ceil(net.word_bits / mem.access_bits)
    padded = accesses * mem.access_bits
    if mem.hierarchy == "memory":
        ds = memory_figures(acc) if memory is None else memory
        parallel = mem.banks
        cols = int(ds.attrs["cols"])
        rows_needed = math.ceil(net.n_inputs * padded / cols)
        n_arrays = memory_terms(ds, mem.banks)["n_arrays"]
        cells = mem.banks * bank_capacity_bits(acc)
    else:
        if padded <= mem.cols:
            words_per_row = mem.cols // padded
            rows_needed = math.ceil(net.n_inputs / words_per_row)
        else:
            rows_needed = net.n_inputs * math.ceil(padded / mem.cols)
        n_arrays = parallel = math.ceil(rows_needed / mem.rows)
        cells = n_arrays * mem.rows * mem.cols
    imbalance = 1.0
    if input_rates is not None:
        check_range("input_rates", input_rates, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
        rates = np.asarray(input_rates, dtype=float)
        if rates.shape != (net.n_inputs,):
            raise ValueError(f"input_rates has {rates.size} values; the network has {net.n_inputs} inputs")
        loads = np.bincount(np.arange(net.n_inputs) % parallel, weights=rates, minlength=parallel)
        imbalance = float(loads.max() / loads.mean()) if loads.mean() > 0 else 1.0
    values = {
        "word_bits": net.word_bits,
        "accesses_per_word": accesses,
        "rows_needed": rows_needed,
        "n_arrays": n_arrays,
        "parallel_reads": parallel,
        "weight_bits_total": net.n_inputs * net.word_bits,
        "cell_utilization": net.n_inputs * net.word_bits / cells,
        "load_imbalance": imbalance,
    }
    return xr.Dataset({name: annotate(xr.DataArray(value), *MAPPING_VARIABLES[name]) for name, value in values.items()})


#: What the accelerator reads from a sub-array's figures (variable: units), checked on
#: entry (:func:`spinaps.provenance.require`).
ARRAY_SCHEMA = {
    "area": "m^2",
    "read_latency": "s",
    "read_energy": "J",
    "write_energy": "J",
    "leakage": "W",
    "area_breakdown": "m^2",
}
#: Sub-array figures already computed, by the content of (memory, node): the Fokker-Planck
#: sizing of the write pulse is the expensive part.  Callers get independent copies.
_ARRAY_CACHE: dict[str, xr.Dataset] = {}
_ARRAY_CACHE_SIZE = 64


def array_figures(memory, node) -> xr.Dataset:
    """Figures of one sub-array of ``memory`` (a MemorySpec) at ``node``.

    Computed once per content of (memory, node) and returned as an independent copy;
    the citations of the computation are registered on every call.  (The Fokker-Planck
    sizing of the write pulse is the expensive part; up to 64 results are kept, the
    oldest dropped first.)

    Parameters
    ----------
    memory : MemorySpec
        The weight arrays.
    node : int [nm]
        Technology node (45, 32, 28 or 22).

    Returns
    -------
    xarray.Dataset
        :meth:`spinaps.circuit.Array.figures` of ``memory.array(node)``, among them
        ``area`` [m^2], ``read_latency`` [s], ``read_energy`` [J] and ``write_energy``
        [J] per access, ``leakage`` [W] and ``area_breakdown`` [m^2].

    Raises
    ------
    ValueError
        If there is no technology preset for ``node`` or the circuit layer refuses the
        memory's operating point.
    """
    key = content_key(memory, node)
    if key not in _ARRAY_CACHE:
        if len(_ARRAY_CACHE) >= _ARRAY_CACHE_SIZE:
            _ARRAY_CACHE.pop(next(iter(_ARRAY_CACHE)))
        _ARRAY_CACHE[key] = memory.array(node).figures()
    return registered(_ARRAY_CACHE[key].copy(deep=True))


def _given_array(array, acc):
    """Sub-array figures handed in by the caller: an Array (its figures) or its Dataset,
    checked to be of the accelerator's memory technology and organisation."""
    if not isinstance(array, (Array, xr.Dataset)):
        raise TypeError(f"array must be a spinaps.circuit.Array or its figures() Dataset, got {type(array).__name__}")
    ds = array.figures() if isinstance(array, Array) else registered(array.copy(deep=True))
    require(ds, ARRAY_SCHEMA, "the sub-array figures of spinaps.circuit.Array")
    mem = acc.memory
    for name, own in (("rows", mem.rows), ("cols", mem.cols), ("access_bits", mem.access_bits)):
        value = ds.attrs.get(name)
        if value is not None and int(value) != own:
            raise ValueError(f"the given array has {name} = {value}; the accelerator's memory has {own}")
    return ds


def _widths(acc: Accelerator) -> dict:
    """Operand widths [bits] and kernel taps of the neuron unit: the constant multiplier
    of a kernel tap (accumulator x basis constant) and of the window dataflow (weight x
    basis constant) as square multipliers of the geometric-mean width, the
    first-to-spike selector and the spike address."""
    net, neu = acc.network, acc.neuron
    taps, mult_taps = basis_taps(net.n_basis, net.tau)
    return {
        "taps": taps,
        "mult_taps": mult_taps,
        "kernel_mult": math.ceil(math.sqrt(neu.accumulator_bits * neu.basis_bits)),
        "weight_mult": math.ceil(math.sqrt(net.weight_bits * neu.basis_bits)),
        "select": max(1, math.ceil(math.log2(net.n_outputs))),
        "address": max(1, math.ceil(math.log2(net.n_inputs))),
    }


def _neuron_logic(acc: Accelerator, tech, decides=True):
    """Per-core logic area by component [m^2]; ``decides``: the layer holds the
    first-to-spike selector (the output layer)."""
    net, neu = acc.network, acc.neuron
    j, k, a = net.n_outputs, net.n_basis, neu.accumulator_bits
    w = _widths(acc)
    area = {}
    if acc.dataflow == "trace":
        regs = (k + k * net.tau + 2) * a  # traces, trace history, potential, bias
        area["accumulate"] = j * (k * operation_area(tech, "add", a) + regs * operation_area(tech, "register", 1))
        area["kernel"] = j * (
            operation_area(tech, "add", a)
            + (operation_area(tech, "multiply", w["kernel_mult"]) if w["mult_taps"] else 0.0)
        )
        area["buffers"] = 0.0
    else:
        area["accumulate"] = j * (
            k * (operation_area(tech, "add", a) + operation_area(tech, "multiply", w["weight_mult"]))
            + 2 * operation_area(tech, "register", a)
        )
        area["kernel"] = 0.0
        # spike history (tau bits per input) and the shared coefficient table
        area["buffers"] = net.n_inputs * net.tau * operation_area(
            tech, "register", 1
        ) + 2**net.tau * k * neu.basis_bits * operation_area(tech, "sram_read_bit", 1)
    if neu.sigmoid == "lut":
        area["sigmoid"] = j * neu.lut_entries * neu.probability_bits * operation_area(tech, "sram_read_bit", 1)
    else:
        area["sigmoid"] = j * (
            2 * operation_area(tech, "add", a)
            + 2 * operation_area(tech, "compare", a)
            + 3 * operation_area(tech, "mux2", neu.probability_bits)
        )
    n_prng = j if neu.prng == "per_neuron" else 1
    area["prng"] = n_prng * operation_area(tech, "lfsr", neu.probability_bits)
    area["fire_decide"] = j * operation_area(tech, "compare", neu.probability_bits) + decides * (
        j - 1
    ) * operation_area(tech, "compare", w["select"])
    area["buffers"] += neu.spike_fifo_depth * operation_area(tech, "register", w["address"])
    area["control"] = neu.control_overhead * sum(area.values())
    return area


def _energies(acc: Accelerator, tech, act: Activity, mapped, per, decides=True):
    """Dynamic energy per inference by component [J] (leakage added by the caller);
    ``per``: the memory's figures per access (:func:`_per_access`)."""
    net, neu = acc.network, acc.neuron
    j, k, a = net.n_outputs, net.n_basis, neu.accumulator_bits
    e = lambda op, bits: float(operation_energy(tech, op, bits))  # noqa: E731
    w = _widths(acc)
    spikes, steps = act.spikes_per_inference(), act.steps_per_inference
    words = spikes if acc.dataflow == "trace" else act.window_inputs(net.tau)
    out = {name: words * mapped["accesses_per_word"] * energy for name, energy in per["read_energy"].items()}
    out["spike_input"] = spikes * 2 * e("register", w["address"])
    if acc.dataflow == "trace":
        out["accumulate"] = spikes * j * k * (e("add", a) + e("register", a))
        out["kernel"] = (
            steps
            * j
            * (w["taps"] * e("add", a) + w["mult_taps"] * e("multiply", w["kernel_mult"]) + k * e("register", a))
        )
    else:
        out["accumulate"] = words * (
            j * k * (e("multiply", w["weight_mult"]) + e("add", a) + e("register", a))
            + k * neu.basis_bits * e("sram_read_bit", 1)
            + e("mux2", net.tau)
        )
        out["kernel"] = spikes * e("register", 1)  # spike history bit per spike
    sigmoid = (
        e("sram_read_bit", neu.probability_bits)
        if neu.sigmoid == "lut"
        else 2 * e("add", a) + 2 * e("compare", a) + 3 * e("mux2", neu.probability_bits)
    )
    out["neuron_fire"] = (
        steps * j * (e("add", a) + sigmoid + e("lfsr", neu.probability_bits) + e("compare", neu.probability_bits))
    )
    out["decide"] = decides * steps * (j - 1) * e("compare", w["select"])
    out["control"] = neu.control_overhead * sum(v for name, v in out.items() if name not in per["read_energy"])
    write_per_bit = per["write_energy"] / acc.memory.access_bits
    out["weight_write"] = mapped["weight_bits_total"] * write_per_bit / acc.inferences_per_weight_write
    return out


def _latency(acc: Accelerator, act: Activity, mapped, per):
    """Per-step latency by component [s], and the read time summed over the arrays (or
    banks) per step [s] (the time they are powered when gated)."""
    net = acc.network
    t_clk = 1.0 / acc.clock_hz
    read_cycles = max(1, math.ceil(per["read_latency"] * acc.clock_hz - 1e-9))
    steps = act.steps_per_inference
    words = act.spikes_per_inference() if acc.dataflow == "trace" else act.window_inputs(net.tau)
    words_per_step = words / steps if steps > 0 else 0.0
    accesses = words_per_step * mapped["accesses_per_word"]
    # arrays (or banks) in parallel on different words (the busiest one sets the pace);
    # the neuron unit takes one word per cycle
    busiest = accesses * read_cycles * mapped["load_imbalance"] / mapped["parallel_reads"]
    read_time = max(busiest, words_per_step) * t_clk
    prng_cycles = net.n_outputs - 1 if acc.neuron.prng == "shared" else 0  # one LFSR stepped per neuron
    update = (FIRE_CYCLES + (_widths(acc)["taps"] if acc.dataflow == "trace" else 0) + prng_cycles) * t_clk
    return {"array_read": read_time, "neuron_update": update}, accesses * read_cycles * t_clk


def _check_activity(acc: Accelerator, act: Activity):
    """The activity must fit the network the accelerator holds."""
    net = acc.network
    for name, own in (("n_inputs", net.n_inputs), ("tau", net.tau), ("n_steps", net.n_steps)):
        value = getattr(act, name)
        if value is not None and value != own:
            raise ValueError(f"the activity was measured with {name} = {value}; the design has {own}")
    if act.steps_per_inference > net.n_steps * (1 + 1e-12):
        raise ValueError(
            f"steps_per_inference = {act.steps_per_inference} exceeds the design's n_steps = {net.n_steps}"
        )
    if act.input_spikes_per_step > net.n_inputs:
        raise ValueError(f"input_spikes_per_step = {act.input_spikes_per_step} exceeds n_inputs = {net.n_inputs}")
    if (
        act.window_inputs_per_inference is not None
        and act.window_inputs_per_inference > net.tau * act.spikes_per_inference() * (1 + 1e-12)
    ):
        raise ValueError(
            f"window_inputs_per_inference = {act.window_inputs_per_inference} exceeds tau x the input "
            f"spikes ({net.tau} x {act.spikes_per_inference()})"
        )


def figures(acc: Accelerator, activity: Activity, *, array=None) -> xr.Dataset:
    r"""Area, energy, latency, leakage, throughput and efficiency of ``acc`` (chip totals).

    The mapping, dataflow, timing, leakage and counting rules are those of the module
    notes.

    Parameters
    ----------
    acc : Accelerator
        The accelerator.
    activity : Activity
        The network activity that drives it (checked against ``acc.network``).
    array : spinaps.circuit.Array, spinaps.circuit.Memory or xarray.Dataset, optional
        With ``hierarchy="subarray"``: the sub-array the circuit layer built for
        ``acc.memory`` (or its figures), used as it is instead of building one from
        the memory spec (:func:`array_figures`).  With ``hierarchy="memory"``: one
        bank (a Memory or its figures), or an Array whose very bitcell builds the
        bank (:func:`spinaps.architecture.memory.memory_figures` by default).

    Returns
    -------
    xarray.Dataset
        Breakdowns ``area_breakdown`` [m^2] (area_component), ``energy_breakdown`` [J]
        (energy_component, per inference per core), ``latency_breakdown`` [s]
        (latency_component, per step), ``leakage_breakdown`` [W] (leakage_component);
        totals ``area`` [m^2], ``energy_per_inference`` [J], ``energy_per_step`` [J],
        ``latency_per_step`` [s], ``latency_per_inference`` [s], ``leakage`` [W],
        ``dynamic_power`` [W], ``power`` [W]; throughput ``inferences_per_second``
        [1/s], ``sops_per_inference`` [-], ``sops_per_second`` [SOP/s]; efficiency
        ``gsops`` [GSOP/s], ``gsops_per_w`` [GSOP/s/W], ``pj_per_sop`` [pJ],
        ``gsops_per_w_per_mm2`` [GSOP/s/W/mm^2], ``tops_per_w`` [TOP/s/W];
        ``array_read_duty`` [-]; the mapping (``n_arrays``, ``parallel_reads``,
        ``accesses_per_word``, ``load_imbalance``, ``cell_utilization`` [-]).  With
        ``hierarchy="memory"`` the breakdowns have a ``memory_routing`` component
        (area: predecoders and output drivers; energy: predecoders, H-tree, output
        drivers).  The attributes hold the design (JSON), the activity, the hierarchy
        and the memory's organisation (``memory_organisation``), the SOP and TOPS
        definitions and the citations.

    Raises
    ------
    TypeError
        If ``acc`` is not an :class:`Accelerator`, ``activity`` not an
        :class:`Activity`, or ``array`` neither an Array nor a Dataset.
    ValueError
        If the activity does not fit the network (other ``n_inputs``, ``tau`` or
        ``n_steps``; more steps than T; more input spikes per step than inputs; more
        window inputs than tau x the spikes), ``activity.input_rates`` does not have one
        value per input, or ``array`` lacks a variable of :data:`ARRAY_SCHEMA` (or has
        other units) or another organisation (rows, cols, access_bits) than
        ``acc.memory``; with ``hierarchy="memory"``, if ``array`` is a memory of
        another capacity or word or not a memory's figures, or no organisation of the
        search tiles a bank.

    Notes
    -----
    With R the inferences per second of one core (utilisation / latency per
    inference), :math:`E_\mathrm{dyn}` the dynamic energy per inference,
    :math:`N_\mathrm{SOP}` = input spikes per inference x n_outputs and A the chip
    area:

    .. math::

        P = \mathrm{cores}\, R\, E_\mathrm{dyn} + P_\mathrm{leak}, \qquad
        \mathrm{GSOPS} = 10^{-9}\, \mathrm{cores}\, R\, N_\mathrm{SOP}, \qquad
        \mathrm{pJ/SOP} = 10^{12}\, \frac{P}{\mathrm{SOP/s}}, \qquad
        \mathrm{TOPS/W} = \frac{2 K\, \mathrm{SOP/s}}{10^{12} P},

    and GSOPS/W/mm^2 = GSOPS/W / A [mm^2].  ``energy_per_inference`` adds the core's
    leakage while the inference runs to :math:`E_\mathrm{dyn}`, so that power = rate x
    energy per inference at utilisation 1.

    References
    ----------
    * A. V. Babu, O. Simeone, B. Rajendran, "SpinAPS: A High-Performance Spintronic
      Accelerator for Probabilistic Spiking Neural Networks", arXiv:2008.02189 (2020)
      (citation key ``Babu2020``).
    * M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC
      2014, 10-14: the digital operation energies (citation key ``Horowitz2014``).
    * X. Dong, C. Xu, Y. Xie, N. P. Jouppi, "NVSim: A Circuit-Level Performance,
      Energy, and Area Model for Emerging Nonvolatile Memory", IEEE TCAD 31(7),
      994-1007 (2012) (citation key ``Dong2012``).
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee, V. Srinivas,
      "CACTI 7: New Tools for Interconnect Exploration in Innovative Off-Chip
      Memories", ACM TACO 14(2), 14:1-14:25 (2017) (citation key
      ``Balasubramonian2017``).

    Examples
    --------
    >>> ds = figures(Accelerator().sram_equivalent(), Activity(102.6, 2.5))
    >>> float(ds.sops_per_inference), float(ds.parallel_reads)    # four banks
    (2565.0, 4.0)
    """
    return _assemble([_layer(acc, activity, array)])


def _per_access(acc, array):
    """The weight memory's figures per access and per core: read energy by component,
    write energy, read latency, area by component, leakage (all powered, and what one
    access powers, x the parallel units), sub-arrays and the mapping."""
    if acc.memory.hierarchy == "memory":
        ds = memory_figures(acc) if array is None else given_memory(array, acc)
        t = memory_terms(ds, acc.memory.banks)
        return {
            "read_energy": t["read_energy"],
            "write_energy": t["write_energy"],
            "read_latency": t["read_latency"],
            "area": t["area"],
            "leakage": t["leakage"],
            "gated_leakage": acc.memory.banks * t["access_leakage"],
            "memory": ds,
        }
    arr = array_figures(acc.memory, acc.node) if array is None else _given_array(array, acc)
    return {
        "read_energy": {"array_read": float(arr.read_energy)},
        "write_energy": float(arr.write_energy),
        "read_latency": float(arr.read_latency),
        "array": arr,
        "memory": None,
    }


def _memory_note(acc, ds) -> str:
    """The weight memory in words: the sub-arrays, or the banks and their organisation."""
    mem = acc.memory
    if ds is None:
        return f"independent {mem.rows} x {mem.cols} sub-arrays, {mem.access_bits} bits per access, no routing"
    a = ds.attrs
    return (
        f"{mem.banks} banks of {a['capacity_bytes']} B, {a['word_bits']}-bit words, each: mats {a['mats']} "
        f"({a['active_mats']} active), sub-arrays per mat {a['subarrays']} ({a['active_subarrays']} active) of "
        f"{a['rows']} x {a['cols']}, sense-amp mux {a['sense_amp_mux']}, H-tree ({a['repeaters']} repeaters); "
        f"organisation {a['organisation']}"
    )


def _layer(acc, activity, array=None, *, decides=True) -> dict:
    """One layer's arrays and neuron units, per core: area, per-step latency, array read
    time, dynamic energy per inference and leakage terms (arguments checked here)."""
    if not isinstance(acc, Accelerator):
        raise TypeError(f"acc must be an Accelerator, got {type(acc).__name__}")
    if not isinstance(activity, Activity):
        raise TypeError(f"activity must be an Activity, got {type(activity).__name__}")
    _check_activity(acc, activity)
    tech = technology(acc.node, acc.logic)
    per = _per_access(acc, array)
    mapped_ds = mapping(acc, activity.input_rates, memory=per["memory"])
    mapped = {name: da.item() for name, da in mapped_ds.data_vars.items()}
    logic_area = _neuron_logic(acc, tech, decides)
    n_arr = mapped["n_arrays"]
    if per["memory"] is None:
        arr = per["array"]
        cells = float(arr.area_breakdown.sel(area_component="cells"))
        memory_area = {"array_cells": n_arr * cells, "array_periphery": n_arr * (float(arr.area) - cells)}
        leak_all = gated = n_arr * float(arr.leakage)
    else:
        memory_area, leak_all, gated = per["area"], per["leakage"], per["gated_leakage"]
    lat, read_busy = _latency(acc, activity, mapped, per)
    logic_transistors = sum(logic_area.values()) / (TRANSISTOR_AREA_F2 * ROUTING_FACTOR * tech.feature_size**2)
    i_off = 0.5 * (tech.i_off_n + tech.i_off_p) * LOGIC_LEAK_WIDTH_F * tech.feature_size
    return {
        "acc": acc,
        "activity": activity,
        "mapping": mapped_ds,
        "area": {
            **memory_area,
            "neuron_logic": logic_area["accumulate"] + logic_area["kernel"] + logic_area["fire_decide"],
            "sigmoid": logic_area["sigmoid"],
            "prng": logic_area["prng"],
            "buffers": logic_area["buffers"],
            "control": logic_area["control"],
        },
        "latency": lat,
        "read_busy": read_busy,
        "n_arrays": n_arr,
        "parallel": mapped["parallel_reads"],
        "array_leakage": leak_all,
        "gated_leakage": gated,
        "logic_leakage": logic_transistors * LOGIC_OFF_FRACTION * i_off * tech.vdd,
        "gated": acc.memory.kind == "mtj" and acc.memory.power_gating,
        "memory_note": _memory_note(acc, per["memory"]),
        "dynamic": _energies(acc, tech, activity, mapped, per, decides),
        "sops": activity.spikes_per_inference() * acc.network.n_outputs,
    }


def _assemble(layers, names=None):
    """Chip totals of the layers of one core (one layer: :func:`figures`; several:
    :func:`layered_figures`, pipelined over the time steps)."""
    first = layers[0]
    acc, activity = first["acc"], first["activity"]
    cores, run, steps = acc.cores, activity.utilization, activity.steps_per_inference
    t_steps = [sum(layer["latency"].values()) for layer in layers]
    t_step = max(t_steps)
    t_inf = steps * t_step + (sum(t_steps) - t_step)  # the pipeline fills once per inference
    rate_core = run / t_inf if t_inf > 0 else 0.0  # inferences per second of one core
    area, lat, dyn = {}, {}, {}
    leak_running = leak_arrays_mean = leak_logic = busy = 0.0
    for layer in layers:
        _add(area, layer["area"])
        _add(lat, layer["latency"])
        _add(dyn, layer["dynamic"])
        # leakage of one core while it runs: gated MTJ arrays (or banks) only while
        # reading, and then only what an access powers
        duty = layer["read_busy"] / (layer["parallel"] * t_step) if t_step > 0 else 0.0
        arrays = layer["gated_leakage"] * duty if layer["gated"] else layer["array_leakage"]
        leak_running += arrays + layer["logic_leakage"]
        leak_arrays_mean += arrays * run if layer["gated"] else arrays
        leak_logic += layer["logic_leakage"]
        busy += layer["read_busy"]
    area = {name: cores * v for name, v in area.items()}
    leakage = {"arrays": cores * leak_arrays_mean, "logic": cores * leak_logic}
    n_par = sum(layer["parallel"] for layer in layers)
    duty = busy / (n_par * t_step) if t_step > 0 else 0.0  # mean fraction of a step an array (bank) reads
    # an inference costs its dynamic energy and the core's leakage while it runs
    energy = dyn | {"leakage": leak_running * t_inf}
    e_inf = sum(energy.values())
    p_dyn = cores * rate_core * sum(dyn.values())
    power = p_dyn + sum(leakage.values())
    sops_inf = sum(layer["sops"] for layer in layers)
    ops_inf = sum(2 * layer["acc"].network.n_basis * layer["sops"] for layer in layers)
    rate = cores * rate_core
    sops = rate * sops_inf
    area_total = sum(area.values())
    gsops_per_w = sops / 1e9 / power if power > 0 else 0.0
    totals = {
        "area": (area_total, "m^2", "chip area"),
        "energy_per_inference": (
            e_inf,
            "J",
            "energy per inference of one core, with its leakage while running (power = rate x this at utilisation 1)",
        ),
        "energy_per_step": (e_inf / steps if steps > 0 else 0.0, "J", "energy per time step"),
        "latency_per_step": (t_step, "s", "latency of one time step"),
        "latency_per_inference": (t_inf, "s", "latency of one inference"),
        "leakage": (sum(leakage.values()), "W", "leakage power of the chip (average)"),
        "dynamic_power": (p_dyn, "W", "dynamic power of the chip"),
        "power": (power, "W", "average power of the chip"),
        "inferences_per_second": (rate, "1/s", "inferences per second (chip)"),
        "sops_per_inference": (sops_inf, "1", "synaptic operations per inference"),
        "sops_per_second": (sops, "SOP/s", "synaptic operations per second (chip)"),
        "gsops": (sops / 1e9, "GSOP/s", "giga synaptic operations per second"),
        "gsops_per_w": (gsops_per_w, "GSOP/s/W", "GSOPS per watt"),
        "pj_per_sop": (power / sops * 1e12 if sops > 0 else np.inf, "pJ", "energy per SOP"),
        "gsops_per_w_per_mm2": (
            gsops_per_w / (area_total * 1e6),
            "GSOP/s/W/mm^2",
            "GSOPS per watt per square millimetre",
        ),
        "tops_per_w": (
            rate * ops_inf / 1e12 / power if power > 0 else 0.0,
            "TOP/s/W",
            "tera operations per second per watt, 2 K operations per SOP",
        ),
        "array_read_duty": (duty, "1", "mean fraction of a step an array (or bank) is reading"),
    }
    note = "; ".join(dict.fromkeys(layer["memory_note"] for layer in layers))
    ds = _dataset(acc, activity, _mapping_of(layers), area, energy, lat, leakage, totals, note)
    if len(layers) > 1:
        ds = _with_layers(ds, layers, names, t_steps, t_inf)
    return ds


def _add(total, terms):
    """total[name] += terms[name] for every component."""
    for name, value in terms.items():
        total[name] = total.get(name, 0.0) + value


def _mapping_of(layers):
    """The mapping of one layer, or of several: arrays summed, the other figures of the
    layer with the most arrays (load imbalance: the largest)."""
    if len(layers) == 1:
        return layers[0]["mapping"]
    maps = [layer["mapping"] for layer in layers]
    out = max(maps, key=lambda m: int(m.n_arrays)).copy()
    out["n_arrays"] = sum(m.n_arrays for m in maps)
    out["parallel_reads"] = sum(m.parallel_reads for m in maps)
    out["load_imbalance"] = max(m.load_imbalance for m in maps)
    weights = sum(int(m.weight_bits_total) for m in maps)
    cells = sum(int(m.weight_bits_total) / float(m.cell_utilization) for m in maps)
    out["cell_utilization"] = weights / cells
    for name in ("n_arrays", "parallel_reads", "load_imbalance", "cell_utilization"):
        out[name].attrs = maps[0][name].attrs
    return out


def _with_layers(ds, layers, names, t_steps, t_inf):
    """``ds`` with the per-layer figures along ``layer``: area, dynamic energy per
    inference, latency per step, arrays, SOPs per inference."""
    coord = xr.DataArray(list(names), dims="layer", name="layer")
    per_layer = {
        "layer_area": (
            [sum(layer["area"].values()) * layer["acc"].cores for layer in layers],
            "m^2",
            "area of each layer",
        ),
        "layer_dynamic_energy": (
            [sum(layer["dynamic"].values()) for layer in layers],
            "J",
            "dynamic energy per inference of each layer (one core)",
        ),
        "layer_latency_per_step": (t_steps, "s", "latency of one time step of each layer (alone)"),
        "layer_n_arrays": ([layer["n_arrays"] for layer in layers], "1", "sub-arrays of each layer (per core)"),
        "layer_sops_per_inference": ([layer["sops"] for layer in layers], "1", "synaptic operations of each layer"),
    }
    for name, (values, units, long_name) in per_layer.items():
        ds[name] = annotate(
            xr.DataArray(np.asarray(values, dtype=float), dims="layer", coords={"layer": coord}), units, long_name
        )
    annotate(ds["layer"], "1", "network layer (the arrays of its synapses and the neurons they drive)")
    ds.attrs["layers"] = ", ".join(names)
    ds.attrs["layer_designs"] = json.dumps([layer["acc"].to_dict() for layer in layers])
    ds.attrs["layer_activities"] = json.dumps([repr(layer["activity"]) for layer in layers])
    ds.attrs["pipeline"] = (
        "the layers run as a pipeline over the time steps: a step takes the slowest layer's step time, and the "
        "pipeline fills once per inference (latency = steps x max + sum - max)"
    )
    return ds


def _dataset(acc, activity, mapped_ds, area, energy, lat, leakage, totals, memory_note):
    def component(values, dim, units, name):
        return breakdown(values, dim, units, name, component=dim.replace("_", " "))

    ds = xr.Dataset(
        {
            "area_breakdown": component(area, "area_component", "m^2", "chip area by component"),
            "energy_breakdown": component(energy, "energy_component", "J", "energy per inference of one core"),
            "latency_breakdown": component(lat, "latency_component", "s", "latency of one time step"),
            "leakage_breakdown": component(leakage, "leakage_component", "W", "chip leakage power (average)"),
        }
    )
    for name, (value, units, long_name) in totals.items():
        ds[name] = annotate(xr.DataArray(float(value)), units, long_name)
    for name in ("n_arrays", "parallel_reads", "accesses_per_word", "load_imbalance", "cell_utilization"):
        ds[name] = mapped_ds[name].astype(float)
    return finalize(
        ds,
        cite=("Babu2020", "Horowitz2014", "Dong2012", "Balasubramonian2017"),
        design=json.dumps(acc.to_dict()),
        memory=acc.memory.kind,
        hierarchy=acc.memory.hierarchy,
        memory_organisation=memory_note,
        node_nm=acc.node,
        dataflow=acc.dataflow,
        activity=repr(activity),
        sop_definition="one input spike delivered to one output neuron (K basis weights of B bits read once per SOP)",
        tops_definition="2 operations per SOP and basis weight (1 MAC = 2 ops)",
    )


def compare(
    acc: Accelerator, activity: Activity, other: Accelerator | None = None, *, arrays=(None, None)
) -> xr.Dataset:
    """Figures of ``acc`` and of ``other`` (default its SRAM equivalent) along a
    ``design`` dimension, and ``ratio`` = acc / other of every total.

    ``arrays`` = (array of acc, array of other): sub-arrays (or their figures) built by
    the circuit layer, handed to :func:`figures`; None builds one from the memory spec.

    Parameters
    ----------
    acc : Accelerator
        The design.
    activity : Activity
        The activity that drives both designs.
    other : Accelerator, optional
        The reference (default ``acc.sram_equivalent()``).
    arrays : tuple
        ``(array of acc, array of other)``, each a :class:`spinaps.circuit.Array`, its
        figures or ``None`` (default ``(None, None)``).

    Returns
    -------
    xarray.Dataset
        Every variable of :func:`figures` along ``design``, labelled by the memory
        kinds (``"mtj"``, ``"sram"``; ``"design"``, ``"reference"`` when both are of
        one kind); breakdown components missing in one design are 0; and
        ``ratio_{name}`` [-] = acc / other of every scalar total (NaN where the
        reference is 0).

    Raises
    ------
    TypeError, ValueError
        As :func:`figures`, for either design.

    References
    ----------
    * A. V. Babu, O. Simeone, B. Rajendran, "SpinAPS: A High-Performance Spintronic
      Accelerator for Probabilistic Spiking Neural Networks", arXiv:2008.02189 (2020)
      (citation key ``Babu2020``); the works of :func:`figures`.

    Examples
    --------
    >>> both = compare(Accelerator(), Activity(102.6, 2.5))   # doctest: +SKIP
    >>> float(both.ratio_gsops_per_w_per_mm2)                 # doctest: +SKIP
    """
    if not isinstance(acc, Accelerator):
        raise TypeError(f"acc must be an Accelerator, got {type(acc).__name__}")
    if other is not None and not isinstance(other, Accelerator):
        raise TypeError(f"other must be an Accelerator, got {type(other).__name__}")
    other = acc.sram_equivalent() if other is None else other
    a, b = figures(acc, activity, array=arrays[0]), figures(other, activity, array=arrays[1])
    return _side_by_side(a, b, acc.memory.kind, other.memory.kind)


def _side_by_side(a, b, kind_a, kind_b):
    """Figures a and b along ``design`` with the ratio a / b of every scalar total."""
    labels = [kind_a, kind_b] if kind_a != kind_b else ["design", "reference"]
    both = xr.concat(
        [a, b],
        dim=xr.DataArray(labels, dims="design", name="design"),
        coords="minimal",
        compat="override",
        join="outer",
        fill_value=0.0,
        combine_attrs="drop",
    )
    annotate(both["design"], "1", "design")
    scalars = [v for v in a.data_vars if a[v].ndim == 0]
    ratio = xr.Dataset(
        {
            v: annotate(
                xr.DataArray(float(a[v]) / float(b[v]) if float(b[v]) != 0 else np.nan),
                "1",
                f"ratio {labels[0]} / {labels[1]} of {a[v].attrs['long_name']}",
            )
            for v in scalars
        }
    )
    out = both.merge(ratio.rename({v: f"ratio_{v}" for v in scalars}))
    for name in out.data_vars:
        out[name].attrs.update(a[name].attrs if name in a else ratio[name.removeprefix("ratio_")].attrs)
    extra = {k: a.attrs[k] for k in ("layers", "layer_designs", "layer_activities", "pipeline") if k in a.attrs}
    return finalize(
        out,
        cite=("Babu2020",),
        design=a.attrs["design"],
        reference=b.attrs["design"],
        design_memory=a.attrs["memory_organisation"],
        reference_memory=b.attrs["memory_organisation"],
        activity=a.attrs["activity"],
        **extra,
    )


def layered_figures(layers, *, names=None, arrays=None) -> xr.Dataset:
    r"""Figures of a network of several layers held by one core (e.g. inputs -> hidden
    -> outputs): each layer its own weight arrays and neuron units, the spikes of one
    layer the input spikes of the next.

    Each layer is mapped, read and updated as a 2-layer network is by :func:`figures`
    (its own :class:`Accelerator` and :class:`Activity`); only the last layer holds
    the first-to-spike selector.  The layers run as a pipeline over the time steps
    (assumed): layer l + 1 processes step t while layer l processes step t + 1, the
    spikes of a step passing through the next layer's spike FIFO, so a step takes the
    slowest layer's step time and the pipeline fills once per inference:

    .. math::

        t_\mathrm{inf} = n\, \max_l t_l + \Big(\sum_l t_l - \max_l t_l\Big),

    with n the steps per inference and t_l layer l's step time alone.  Energy per
    inference is the sum of the layers' dynamic energies plus the core's leakage over
    t_inf (gated MTJ arrays leak only while reading); SOPs are summed over the layers,
    so GSOPS/W/mm^2 counts every synaptic operation of the network over the whole area.

    Parameters
    ----------
    layers : sequence of (Accelerator, Activity)
        The layers from the input on (e.g. :func:`spinaps.architecture.hidden_network`):
        the same ``node``, ``cores`` and ``clock_hz``, each layer's inputs the outputs of
        the one before, one steps-per-inference and utilisation for all.
    names : sequence of str, optional
        Layer names (default ``"layer 1"``, ...).
    arrays : sequence, optional
        Per layer, a sub-array (or its figures) for :func:`figures`'s ``array``, or None.

    Returns
    -------
    xarray.Dataset
        Every variable of :func:`figures` for the whole network (breakdowns summed over
        the layers), and along ``layer``: ``layer_area`` [m^2],
        ``layer_dynamic_energy`` [J], ``layer_latency_per_step`` [s],
        ``layer_n_arrays`` [-], ``layer_sops_per_inference`` [-].  Attributes record
        every layer's design and activity and the pipeline rule.

    Raises
    ------
    TypeError, ValueError
        As :func:`figures` for each layer; ValueError if ``layers`` is empty, the layers
        differ in node, cores or clock, a layer's inputs are not the previous layer's
        outputs, or the activities differ in steps per inference or utilisation.

    Examples
    --------
    >>> from spinaps.architecture import Accelerator, Activity, NetworkSpec
    >>> hidden = Accelerator(network=NetworkSpec(n_outputs=400, n_basis=1, tau=4))
    >>> out = Accelerator(network=NetworkSpec(n_inputs=400, tau=4))
    >>> ds = layered_figures([(hidden, Activity(100.0, 4.0)), (out, Activity(85.0, 4.0))])
    >>> ds.layer_sops_per_inference.values.tolist()
    [160000.0, 3400.0]
    """
    layers = list(layers)
    if not layers:
        raise ValueError("layers is empty: give at least one (Accelerator, Activity) pair")
    names = [f"layer {i + 1}" for i in range(len(layers))] if names is None else list(names)
    arrays = [None] * len(layers) if arrays is None else list(arrays)
    if len(names) != len(layers) or len(arrays) != len(layers):
        raise ValueError(f"{len(layers)} layers, {len(names)} names and {len(arrays)} arrays: give one per layer")
    for i, pair in enumerate(layers):
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"layers[{i}] must be an (Accelerator, Activity) pair, got {type(pair).__name__}")
    first_acc, first_act = layers[0]
    for i, (acc, act) in enumerate(layers[1:], start=1):
        for name in ("node", "cores", "clock_hz"):
            if getattr(acc, name, None) != getattr(first_acc, name, None):
                raise ValueError(
                    f"layers[{i}] has {name} = {getattr(acc, name, None)}; layers[0] has "
                    f"{getattr(first_acc, name, None)}: one core holds every layer"
                )
        prev = layers[i - 1][0].network.n_outputs
        if isinstance(acc, Accelerator) and acc.network.n_inputs != prev:
            raise ValueError(f"layers[{i}] has n_inputs = {acc.network.n_inputs}; the layer before has {prev} outputs")
        for name in ("steps_per_inference", "utilization"):
            a, b = getattr(act, name, None), getattr(first_act, name, None)
            if a is None or b is None or abs(a - b) > 1e-9 * max(abs(b), 1.0):
                raise ValueError(
                    f"layers[{i}]'s activity has {name} = {a}; layers[0]'s has {b}: one inference "
                    "runs through every layer"
                )
    terms = [
        _layer(acc, act, array, decides=(i == len(layers) - 1))
        for i, ((acc, act), array) in enumerate(zip(layers, arrays))
    ]
    return _assemble(terms, names)


def compare_layered(layers, *, names=None, arrays=(None, None)) -> xr.Dataset:
    """:func:`layered_figures` of ``layers`` against the same layers in SRAM
    (:meth:`Accelerator.sram_equivalent` of every layer), with the ratio of every total
    (as :func:`compare`).

    Parameters
    ----------
    layers : sequence of (Accelerator, Activity)
        As :func:`layered_figures`.
    names : sequence of str, optional
        Layer names.
    arrays : tuple
        ``(array of the layers, array of their SRAM equivalents)`` as in
        :func:`compare`: one sub-array (or its figures, or ``None``) for every layer of
        each design, which share their memory spec.

    Returns
    -------
    xarray.Dataset
        As :func:`compare`, with the per-layer variables of :func:`layered_figures`
        along ``design`` and ``layer``.

    Raises
    ------
    TypeError, ValueError
        As :func:`layered_figures`.
    """
    layers = list(layers)
    a = layered_figures(layers, names=names, arrays=[arrays[0]] * len(layers))
    b = layered_figures(
        [(acc.sram_equivalent(), act) for acc, act in layers], names=names, arrays=[arrays[1]] * len(layers)
    )
    return _side_by_side(a, b, layers[0][0].memory.kind, "sram")
