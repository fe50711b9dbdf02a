"""An accelerator described as data: the network it holds, its memory, neuron unit,
buffers, cores and clock (frozen dataclasses, loadable from TOML).

Every default below is an **assumed** design choice of this package (the SpinAPS
paper's internal numbers are not available; Babu, Simeone, Rajendran, arXiv
2008.02189, 2020): the network is the default first-to-spike GLM network of
:mod:`spinaps.network` on MNIST, the node is 28 nm (the node of the same group's
STT-RAM SNN core, ICECS 2019), the weights sit in four banks of memories with H-tree
routing (``hierarchy = "memory"``) read 32 bits per access, their organisation searched
for the read energy-delay product (the ``"subarray"`` hierarchy: 256 x 256 sub-arrays
without routing), the MTJ is the package's default preset (the same device as
``spinaps run``).

TOML layout (every key optional; tables name the nested dataclasses)::

    node = 28
    cores = 1
    clock_hz = 500e6
    dataflow = "trace"
    [network]
    n_inputs = 784
    weight_bits = 4
    [memory]
    kind = "mtj"
    hierarchy = "memory"     # or "subarray" (rows x cols sub-arrays, no routing)
    banks = 4
    mtj = "Ikeda2010"        # or a table of MTJParams fields
    [memory.organisation]    # optional: a forced organisation of one bank
    rows = 128
    cols = 128
    mats = [2, 1]
    sense_amp_mux = 4
    [neuron]
    sigmoid = "lut"
"""

from __future__ import annotations

import dataclasses
import tomllib
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..circuit import SENSING, Array, MTJBitcell, Organisation, SRAMBitcell, technology
from ..circuit.memory import TARGETS
from ..circuit.sram import AREA_CONVENTIONS
from ..deprecation import renamed_fields
from ..device.mtj import MTJParams
from ..device.presets import DEFAULT_PRESET, presets
from ..params import check_choice, check_int, check_range, check_temperature, is_integer, to_dict

__all__ = ["NetworkSpec", "MemorySpec", "NeuronSpec", "Accelerator", "DATAFLOWS", "MEMORIES", "HIERARCHIES"]

#: How input spikes reach the neurons (see :mod:`spinaps.architecture.core`).
DATAFLOWS = ("trace", "window")
#: Memory technologies of the weight arrays.
MEMORIES = ("mtj", "sram")
#: How the weight memory is modelled: independent sub-arrays without routing, or banks
#: of :class:`spinaps.circuit.Memory` (mats, sub-arrays, predecoders, H-tree).
HIERARCHIES = ("memory", "subarray")
#: The fields of :class:`spinaps.circuit.Organisation` that are pairs (rows, columns).
_ORGANISATION_PAIRS = ("mats", "active_mats", "subarrays", "active_subarrays")
#: Longest kernel window of the window dataflow [time steps] (its table has 2^tau x K
#: coefficients).
MAX_WINDOW_TAU = 10


def _check_int(obj, name, low, high):
    check_int(name, getattr(obj, name), low, high)


def _check_choice(obj, name, allowed):
    check_choice(name, getattr(obj, name), allowed)


@dataclass(frozen=True)
class NetworkSpec:
    """The network the accelerator holds: inputs -> one GLM neuron per class.

    Defaults: the default first-to-spike GLM network of :mod:`spinaps.network` on MNIST
    (assumed).

    Parameters
    ----------
    n_inputs, n_outputs : int [-]
        Input features (e.g. 784 pixels), in [1, 1e7], and output neurons (classes), in
        [1, 1e5] (default 784 and 10).
    n_basis : int [-]
        K basis kernels per synapse (K weights per synapse), in [1, 32] (default 4).
    tau : int [time steps]
        Kernel window, in [n_basis, 1000] (default 8, the window of all T steps).
    weight_bits : int [bit]
        B bits per stored weight (B binary cells), in [1, 8] (default 4).
    n_steps : int [time steps]
        T, the time steps allowed per inference, in [1, 1000] (default 8).

    Attributes
    ----------
    word_bits : int [bit]
        Bits of one input's synapses, n_outputs x K x B.
    weight_count : int [-]
        Weights of the network, n_inputs x n_outputs x K.

    Raises
    ------
    ValueError
        If a field is not an integer in its range (naming it).

    Examples
    --------
    >>> net = NetworkSpec()
    >>> net.word_bits, net.weight_count
    (160, 31360)
    """

    n_inputs: int = 784
    n_outputs: int = 10
    n_basis: int = 4
    tau: int = 8
    weight_bits: int = 4
    n_steps: int = 8

    def __post_init__(self):
        _check_int(self, "n_inputs", 1, 10_000_000)
        _check_int(self, "n_outputs", 1, 100_000)
        _check_int(self, "n_basis", 1, 32)
        _check_int(self, "tau", self.n_basis, 1000)
        _check_int(self, "weight_bits", 1, 8)
        _check_int(self, "n_steps", 1, 1000)

    @property
    def word_bits(self) -> int:
        """int [bit]: bits of one input's synapses, n_outputs x K x B (one row word)."""
        return self.n_outputs * self.n_basis * self.weight_bits

    @property
    def weight_count(self) -> int:
        """int [-]: weights of the network, n_inputs x n_outputs x K (each of B bits)."""
        return self.n_inputs * self.n_outputs * self.n_basis


@renamed_fields(t_write="t_pulse")
@dataclass(frozen=True)
class MemorySpec:
    """The weight memory: technology, organisation, and the MTJ cell's operating point.

    Every default is assumed (see the module notes); the MTJ fields are ignored for
    ``kind="sram"``.

    Parameters
    ----------
    kind : {"mtj", "sram"}
        Technology of the weight arrays (default ``"mtj"``).
    hierarchy : {"memory", "subarray"}
        How the weight memory is modelled (:mod:`spinaps.architecture.memory`).
        ``"memory"`` (the default): ``banks`` independent banks, each a
        :class:`spinaps.circuit.Memory` (sub-arrays in mats with predecoders, H-tree
        routing and output drivers) holding its share of the weights, read
        ``access_bits`` at a time, its organisation forced (``organisation``) or
        searched for ``search_target``; read energy and latency include the routing
        between sub-arrays, the area the predecoders and drivers.  ``"subarray"``:
        independent ``rows`` x ``cols`` sub-arrays (:class:`spinaps.circuit.Array`)
        without routing, each serving reads in parallel (the model before the memory
        hierarchy, kept for comparison).  The default is the memory because a real
        macro has the routing (NVSim's 8 MB sample spends 60 % of its read energy in
        the H-tree; Dong et al., IEEE TCAD 2012) and packs the weights into a flat
        address space instead of one 160-bit word per 256-bit row.
    rows, cols : int [-]
        Sub-array size of ``hierarchy="subarray"`` (powers of two in [4, 8192];
        default 256 x 256); with ``"memory"`` the sub-arrays are the organisation's.
    access_bits : int [-]
        Bits sensed per access (divides ``cols``, so a power of two; default 32); the
        word of the memory with ``hierarchy="memory"``.
    banks : int [-]
        Independent banks of the weight memory with ``hierarchy="memory"``, in
        [1, 1024] (default 4, assumed: the read parallelism of the four 256 x 256
        sub-arrays of the default ``"subarray"`` design).  Inputs are interleaved over
        the banks (input i in bank i mod banks); each bank serves one access at a time
        and the banks serve different spikes in parallel.
    organisation : Organisation, dict or None
        Forced organisation of one bank (a :class:`spinaps.circuit.Organisation`, or a
        dict of its fields, a TOML table, pairs as lists), with ``banks = 1`` (the
        bank count is ``banks``); it must tile the bank's capacity with
        ``access_bits`` words.  None (the default): searched.
    search_target : str
        Target of the organisation search, one of
        :data:`spinaps.circuit.memory.TARGETS` (default ``"read_edp"``, as NVSim's
        sample configurations).
    sram_area : str or float
        SRAM cell-area convention (see :data:`spinaps.circuit.sram.AREA_CONVENTIONS`:
        ``"cacti"``, the default, or ``"silicon28"``) or a cell area in F^2 [-], in
        (50, 1000).
    periphery : {"hp", "lstp"}
        Device flavour of the array periphery (default ``"hp"``).
    mtj : str or MTJParams
        The MTJ of the cells: a preset name of :mod:`spinaps.device.presets` (default
        :data:`~spinaps.device.presets.DEFAULT_PRESET`, the same default as
        ``spinaps run``) or the device itself -- an :class:`~spinaps.device.MTJParams`,
        e.g. calibrated or an ensemble (array figures are then the worst device's).
        A dict of :class:`~spinaps.device.MTJParams` fields (a TOML table) is
        converted to one.
    mtj_preset : str, optional
        Deprecated name of ``mtj`` (a preset name); moved to ``mtj`` with a
        :class:`DeprecationWarning`, then ``None``.
    i_write_ic0 : float [-]
        Write current as a multiple of the device's I_c0 at ``temperature`` (the
        largest I_c0 of an ensemble), in (1, 20) (default 1.5).
    v_write : float [V]
        Write supply and gate voltage, in (0.1, 5) (default 1.2).
    target_wer : float [-]
        Write error rate the pulse is sized for, in (1e-30, 0.5) (default 1e-9;
        ignored when ``t_pulse`` is given).
    t_pulse : float, optional [s]
        A given write pulse width instead of the one sized for ``target_wer``, in
        (0, 1e-3).
    stt_form : {"slonczewski", "constant"}
        Spin-torque efficiency form of the cells' write error rates (default
        ``"slonczewski"``).
    v_read : float [V]
        Read voltage across the cell, in (0, 1) (default 0.1).
    sense_offset : float [A]
        Standard deviation of the sense amplifier's input current offset, in [0, 1e-4)
        (default 1e-7).
    sensing : {"voltage", "current"}
        The MTJ read scheme of every sub-array (:class:`spinaps.circuit.Array`):
        ``"voltage"`` (default) develops the signal on the bitline, ``"current"``
        clamps the bitline and senses through a current mirror.  SRAM arrays sense
        their bitline pair whatever this is.
    joule_heating : bool
        Whether the cells' write current heats the junction (default False; see
        :class:`~spinaps.circuit.MTJBitcell`).
    thermal_resistance : float or None [K/W]
        Junction thermal resistance with ``joule_heating`` (default None: the
        area-scaled default of :mod:`spinaps.device.heating`).
    mtj_min_area_f2 : float [-]
        Layout floor of the MTJ cell in F^2, in [0, 1000) (0, the default: the circuit
        layer's transistor rule, which lies below silicon; about 100 for Intel's 22FFL
        cell, :data:`spinaps.circuit.bitcell.INTEL_22FFL_CELL_F2`).
    temperature : float [K]
        Operating temperature of the MTJ cells (their I_c0, write pulse, read figures),
        in (0, 2000] (default 300).
    power_gating : bool
        Non-volatile (MTJ) arrays are powered only while they are read (leakage x duty
        cycle); SRAM arrays must stay powered to keep their weights (default True).

    Raises
    ------
    ValueError
        If a value is outside its range or not one of its choices (naming the field),
        ``rows`` or ``cols`` is not a power of two, ``access_bits`` does not divide
        ``cols``, or the forced ``organisation`` is not a valid organisation of one
        bank.
    TypeError
        If ``mtj`` is neither a preset name, a dict of fields nor an
        :class:`~spinaps.device.MTJParams`, or ``organisation`` neither an
        Organisation, a dict nor None.

    Warns
    -----
    DeprecationWarning
        For ``mtj_preset`` and for the deprecated field name ``t_write`` (now
        ``t_pulse``, removed in the release :data:`spinaps.deprecation.REMOVED_IN`).

    References
    ----------
    * L. Wei et al., ISSCC 2019: the 22FFL MTJ cell area (citation key ``Wei2019``).
    * R. Balasubramonian et al., "CACTI 7", ACM TACO 14(2) (2017): the HP and LSTP
      periphery and the ``"cacti"`` SRAM cell (citation key ``Balasubramonian2017``).

    Examples
    --------
    >>> mem = MemorySpec(kind="sram", sram_area="silicon28")
    >>> mem.to_dict()["kind"], mem.rows
    ('sram', 256)
    """

    kind: str = "mtj"
    rows: int = 256
    cols: int = 256
    access_bits: int = 32
    hierarchy: str = "memory"
    banks: int = 4
    organisation: Organisation | dict | None = None
    search_target: str = "read_edp"
    sram_area: str | float = "cacti"
    periphery: str = "hp"
    mtj: str | MTJParams = DEFAULT_PRESET
    mtj_preset: str | None = None
    i_write_ic0: float = 1.5
    v_write: float = 1.2
    target_wer: float = 1e-9
    mtj_min_area_f2: float = 0.0
    temperature: float = 300.0
    power_gating: bool = True
    t_pulse: float | None = None
    stt_form: str = "slonczewski"
    v_read: float = 0.1
    sense_offset: float = 1e-7
    joule_heating: bool = False
    thermal_resistance: float | None = None
    sensing: str = "voltage"

    def __post_init__(self):
        _check_choice(self, "kind", MEMORIES)
        _check_choice(self, "sensing", SENSING)
        for name in ("rows", "cols"):
            _check_int(self, name, 4, 8192)
            if getattr(self, name) & (getattr(self, name) - 1):
                raise ValueError(f"{name} = {getattr(self, name)} must be a power of two")
        _check_int(self, "access_bits", 1, self.cols)
        if self.cols % self.access_bits:
            raise ValueError(f"access_bits = {self.access_bits} must divide cols = {self.cols}")
        _check_choice(self, "hierarchy", HIERARCHIES)
        _check_int(self, "banks", 1, 1024)
        _check_choice(self, "search_target", TARGETS)
        self._check_organisation()
        _check_choice(self, "periphery", ("hp", "lstp"))
        if isinstance(self.sram_area, str):
            _check_choice(self, "sram_area", tuple(AREA_CONVENTIONS))
        else:
            check_range("sram_area", self.sram_area, low=50.0, high=1000.0)
        if self.mtj_preset is not None:
            warnings.warn("MemorySpec(mtj_preset=...) is deprecated; use mtj=...", DeprecationWarning, stacklevel=3)
            _check_choice(self, "mtj_preset", tuple(presets))
            object.__setattr__(self, "mtj", self.mtj_preset)
            object.__setattr__(self, "mtj_preset", None)
        if isinstance(self.mtj, str):
            _check_choice(self, "mtj", tuple(presets))
        elif isinstance(self.mtj, dict):
            object.__setattr__(self, "mtj", MTJParams(**self.mtj))
        elif not isinstance(self.mtj, MTJParams):
            raise TypeError(f"mtj must be a preset name or an MTJParams, got {type(self.mtj).__name__}")
        _check_choice(self, "stt_form", ("slonczewski", "constant"))
        if self.t_pulse is not None:
            check_range("t_pulse", self.t_pulse, low=0.0, high=1e-3, units="s")
        check_range("v_read", self.v_read, low=0.0, high=1.0, units="V")
        check_range("sense_offset", self.sense_offset, low=0.0, high=1e-4, low_inclusive=True, units="A")
        if not isinstance(self.power_gating, bool):
            raise ValueError(f"power_gating = {self.power_gating!r} must be true or false")
        check_range("i_write_ic0", self.i_write_ic0, low=1.0, high=20.0)
        check_range("v_write", self.v_write, low=0.1, high=5.0, units="V")
        check_range("target_wer", self.target_wer, low=1e-30, high=0.5)
        check_range("mtj_min_area_f2", self.mtj_min_area_f2, low=0.0, high=1000.0, low_inclusive=True)
        check_temperature(self.temperature, allow_zero=False)

    def _check_organisation(self):
        """A forced organisation becomes an Organisation of one bank (dict converted)."""
        org = self.organisation
        if org is None:
            return
        if isinstance(org, dict):
            known = {f.name for f in dataclasses.fields(Organisation)}
            unknown = sorted(set(org) - known)
            if unknown:
                raise ValueError(
                    f"organisation has unknown keys {', '.join(unknown)}; allowed: {', '.join(sorted(known))}"
                )
            values = {k: tuple(v) if k in _ORGANISATION_PAIRS and isinstance(v, list) else v for k, v in org.items()}
            try:
                org = Organisation(**values)
            except TypeError as err:  # a required field (rows, cols) missing
                raise ValueError(f"organisation = {dict(org)!r}: {err}; rows and cols are required") from None
            object.__setattr__(self, "organisation", org)
        elif not isinstance(org, Organisation):
            raise TypeError(
                f"organisation must be an Organisation, a dict of its fields or None, got {type(org).__name__}"
            )
        if org.banks != 1:
            raise ValueError(
                f"organisation.banks = {org.banks}: the organisation describes one bank; give the bank count as banks"
            )

    def device(self) -> MTJParams:
        """The MTJ of the cells (the preset's parameters for a preset name).

        Returns
        -------
        MTJParams
            The device (or ensemble), at its reference temperature.
        """
        return presets[self.mtj] if isinstance(self.mtj, str) else self.mtj

    def bitcell(self, node: int):
        """The bitcell of these arrays at ``node`` [nm]: an :class:`~spinaps.circuit.MTJBitcell`
        at the write point, or an :class:`~spinaps.circuit.SRAMBitcell`.

        Parameters
        ----------
        node : int [nm]
            Technology node (45, 32, 28 or 22).

        Returns
        -------
        spinaps.circuit.MTJBitcell or spinaps.circuit.SRAMBitcell
            For MTJ arrays the cell at ``i_write = i_write_ic0 x`` the largest I_c0 of
            the device(s) at ``temperature``, with ``v_write``, ``t_pulse`` or
            ``target_wer``, ``mtj_min_area_f2``, ``stt_form``, ``v_read`` and
            ``sense_offset``; for SRAM the cell of area ``sram_area``.

        Raises
        ------
        ValueError
            If there is no technology preset for ``node``, or the circuit layer refuses
            the operating point.
        """
        tech = technology(node)
        if self.kind == "sram":
            return SRAMBitcell(tech, area=self.sram_area)
        mtj = self.device()
        ic0 = float(np.max(mtj.at_temperature(self.temperature).ic0))
        return MTJBitcell(
            mtj,
            tech,
            i_write=self.i_write_ic0 * ic0,
            v_write=self.v_write,
            t_pulse=self.t_pulse,
            target_wer=self.target_wer,
            min_area_f2=self.mtj_min_area_f2,
            temperature=self.temperature,
            stt_form=self.stt_form,
            v_read=self.v_read,
            sense_offset=self.sense_offset,
            joule_heating=self.joule_heating,
            thermal_resistance=self.thermal_resistance,
        )

    def array(self, node: int) -> Array:
        """One sub-array of these arrays at ``node`` [nm] (:class:`~spinaps.circuit.Array`).

        Parameters
        ----------
        node : int [nm]
            Technology node (45, 32, 28 or 22).

        Returns
        -------
        spinaps.circuit.Array
            ``rows`` x ``cols`` cells of :meth:`bitcell`, ``access_bits`` per access,
            with the ``periphery`` devices, read by :attr:`read_scheme`.

        Raises
        ------
        ValueError
            As :meth:`bitcell`.
        """
        return Array(
            self.bitcell(node),
            self.rows,
            self.cols,
            self.access_bits,
            periphery=self.periphery,
            sensing=self.read_scheme,
        )

    @property
    def read_scheme(self) -> str:
        """str: the sub-arrays' read scheme: ``sensing`` for MTJ arrays, ``"voltage"``
        for SRAM (its bitline pair)."""
        return self.sensing if self.kind == "mtj" else "voltage"

    def to_dict(self) -> dict:
        """Plain values; the device is its preset name or its fields.

        Returns
        -------
        dict
            ``{field: value}`` without the deprecated ``mtj_preset``; ``mtj`` is the
            preset name or the dict of the device's fields
            (:func:`spinaps.params.to_dict`); ``organisation`` the dict of a forced
            organisation's fields (pairs as lists), absent when searched (TOML has no
            null).
        """
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "mtj_preset"}
        if isinstance(self.mtj, MTJParams):
            out["mtj"] = to_dict(self.mtj)
        if self.organisation is not None:
            out["organisation"] = {
                f.name: list(v) if isinstance(v := getattr(self.organisation, f.name), tuple) else v
                for f in dataclasses.fields(Organisation)
            }
        else:
            out.pop("organisation")
        return out


@dataclass(frozen=True)
class NeuronSpec:
    """The digital GLM neuron unit (one per output neuron).

    Every default is assumed.

    Parameters
    ----------
    accumulator_bits : int [bit]
        Width of the trace, potential and bias registers and adders, in [2, 64]
        (default 16).
    basis_bits : int [bit]
        Fixed-point width of the basis coefficients a_k(d) (taps equal to 0 or 1 need
        no multiplier), in [1, 32] (default 8).
    sigmoid : {"lut", "pwl"}
        sigma(u) by a look-up table (``lut_entries`` x ``probability_bits``; the
        default) or a piecewise-linear unit (assumed: 2 adders, 2 comparators, a 4:1
        multiplexer).
    lut_entries : int [-]
        Entries of the sigmoid look-up table, in [2, 65536] (default 256).
    probability_bits : int [bit]
        Width of the spike probability and of the uniform random number it is compared
        with, in [1, 32] (default 8).
    prng : {"per_neuron", "shared"}
        One LFSR per neuron (default), or one per core stepped once per neuron per time
        step.
    control_overhead : float [-]
        Control logic (sequencer, address generation) as a fraction of the core's other
        logic area and energy, in [0, 1) (assumed 10 %).
    spike_fifo_depth : int [-]
        Input spike address buffer entries, in [1, 1e6] (default 128).

    Raises
    ------
    ValueError
        If a field is outside its range or not one of its choices (naming it).
    """

    accumulator_bits: int = 16
    basis_bits: int = 8
    sigmoid: str = "lut"
    lut_entries: int = 256
    probability_bits: int = 8
    prng: str = "per_neuron"
    control_overhead: float = 0.1
    spike_fifo_depth: int = 128

    def __post_init__(self):
        _check_int(self, "accumulator_bits", 2, 64)
        _check_int(self, "basis_bits", 1, 32)
        _check_choice(self, "sigmoid", ("lut", "pwl"))
        _check_int(self, "lut_entries", 2, 65536)
        _check_int(self, "probability_bits", 1, 32)
        _check_choice(self, "prng", ("per_neuron", "shared"))
        check_range("control_overhead", self.control_overhead, low=0.0, high=1.0, low_inclusive=True)
        _check_int(self, "spike_fifo_depth", 1, 1_000_000)


@dataclass(frozen=True)
class Accelerator:
    """A SpinAPS-style accelerator: ``cores`` identical cores, each holding the whole
    network and processing one inference at a time (cores work on different inputs).

    Every default is an assumed design choice (see the module notes); the figures are
    :func:`~spinaps.architecture.figures` and :func:`~spinaps.architecture.compare`.

    Parameters
    ----------
    network : NetworkSpec
        The network the accelerator holds (default ``NetworkSpec()``).
    memory : MemorySpec
        The weight arrays (default ``MemorySpec()``: MTJ).
    neuron : NeuronSpec
        The digital neuron unit (default ``NeuronSpec()``).
    node : int [nm]
        Technology node (45, 32, 28 or 22; default 28).
    cores : int [-]
        Identical cores, in [1, 1e6] (default 1).
    clock_hz : float [Hz]
        Clock frequency, in (1e3, 1e11) (default 500e6).
    dataflow : {"trace", "window"}
        ``"trace"``: every input spike reads its row once and adds its weights into
        per-kernel traces; the kernels are applied to the traces once per step.
        ``"window"``: every step reads the rows of all inputs that spiked within the
        kernel window and multiplies by the filtered spike history.
        The window dataflow needs ``tau`` <= :data:`MAX_WINDOW_TAU` (default
        ``"trace"``).
    inferences_per_weight_write : float [-]
        Inferences served per programming of the weights (write energy is amortised),
        >= 1 (default 1e9).
    logic : {"hp", "lstp"}
        Device flavour of the neuron logic and buffers (CACTI 7 high-performance or
        low-standby-power transistors: energy scales with V_dd^2, leakage with I_off;
        default ``"hp"``).

    Raises
    ------
    TypeError
        If ``network``, ``memory`` or ``neuron`` is not of its class.
    ValueError
        If a field is outside its range or not one of its choices (naming it), or the
        window dataflow is asked for with ``tau`` > :data:`MAX_WINDOW_TAU`.

    References
    ----------
    * A. V. Babu, O. Simeone, B. Rajendran, "SpinAPS: A High-Performance Spintronic
      Accelerator for Probabilistic Spiking Neural Networks", arXiv:2008.02189 (2020)
      (citation key ``Babu2020``).

    Examples
    --------
    >>> acc = Accelerator()
    >>> acc.sram_equivalent().memory.kind
    'sram'
    >>> acc.replace(node=22, memory={"sram_area": "silicon28"}).memory.sram_area
    'silicon28'
    """

    network: NetworkSpec = field(default_factory=NetworkSpec)
    memory: MemorySpec = field(default_factory=MemorySpec)
    neuron: NeuronSpec = field(default_factory=NeuronSpec)
    node: int = 28
    cores: int = 1
    clock_hz: float = 500e6
    dataflow: str = "trace"
    inferences_per_weight_write: float = 1e9
    logic: str = "hp"

    def __post_init__(self):
        for name, cls in (("network", NetworkSpec), ("memory", MemorySpec), ("neuron", NeuronSpec)):
            if not isinstance(getattr(self, name), cls):
                raise TypeError(f"{name} must be a {cls.__name__}, got {type(getattr(self, name)).__name__}")
        if not is_integer(self.node):
            raise ValueError(f"node = {self.node!r} must be an integer; allowed: 45, 32, 28, 22")
        _check_choice(self, "node", (45, 32, 28, 22))
        _check_int(self, "cores", 1, 1_000_000)
        check_range("clock_hz", self.clock_hz, low=1e3, high=1e11, units="Hz")
        _check_choice(self, "dataflow", DATAFLOWS)
        if self.dataflow == "window" and self.network.tau > MAX_WINDOW_TAU:
            raise ValueError(
                f"tau = {self.network.tau}: the window dataflow's coefficient table has 2^tau entries; "
                f"allowed tau <= {MAX_WINDOW_TAU} (use the trace dataflow)"
            )
        check_range("inferences_per_weight_write", self.inferences_per_weight_write, low=1.0, low_inclusive=True)
        _check_choice(self, "logic", ("hp", "lstp"))

    def replace(self, **changes):
        """A copy with top-level fields changed; ``network=dict(...)`` etc. change
        nested fields.

        Parameters
        ----------
        **changes
            New values of fields of :class:`Accelerator`; for ``network``, ``memory``
            and ``neuron`` either a new spec or a dict of the fields of the current one
            to change.

        Returns
        -------
        Accelerator
            The validated copy.

        Raises
        ------
        TypeError
            For a field name that does not exist.
        ValueError
            For a value that is not allowed.
        """
        for name in ("network", "memory", "neuron"):
            if isinstance(changes.get(name), dict):
                changes[name] = dataclasses.replace(getattr(self, name), **changes[name])
        return dataclasses.replace(self, **changes)

    def sram_equivalent(self):
        """The same accelerator with SRAM weight arrays (same node, network, logic).

        Returns
        -------
        Accelerator
            A copy with ``memory.kind = "sram"`` (every other field kept: organisation,
            periphery, ``sram_area``, power gating, which SRAM arrays ignore).
        """
        return self.replace(memory={"kind": "sram"})

    def to_dict(self) -> dict:
        """Plain nested values, the tables of the TOML layout.

        Returns
        -------
        dict
            ``network``, ``memory`` (:meth:`MemorySpec.to_dict`) and ``neuron`` as
            dicts, and the top-level fields; :meth:`from_dict` builds the accelerator
            back.
        """
        return {
            "network": dataclasses.asdict(self.network),
            "memory": self.memory.to_dict(),
            "neuron": dataclasses.asdict(self.neuron),
            **{
                f.name: getattr(self, f.name)
                for f in dataclasses.fields(self)
                if f.name not in ("network", "memory", "neuron")
            },
        }

    @classmethod
    def from_dict(cls, data: dict):
        """Build from a nested dict (unknown keys raise a ValueError naming them).

        Parameters
        ----------
        data : dict
            Top-level fields and the tables ``network``, ``memory`` and ``neuron`` (each
            optional; absent keys take the defaults).

        Returns
        -------
        Accelerator

        Raises
        ------
        ValueError
            For unknown keys (named, by table) or values that are not allowed.
        TypeError
            For a ``memory.mtj`` that is neither a preset name nor a table of fields.
        """
        data = dict(data)
        nested = {}
        for name, sub in (("network", NetworkSpec), ("memory", MemorySpec), ("neuron", NeuronSpec)):
            values = data.pop(name, {})
            unknown = set(values) - {f.name for f in dataclasses.fields(sub)}
            if unknown:
                raise ValueError(f"unknown keys in [{name}]: {', '.join(sorted(unknown))}")
            nested[name] = sub(**values)
        unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
        return cls(**nested, **data)

    @classmethod
    def from_toml(cls, path):
        """Read a design from a TOML file (layout in the module notes).

        Parameters
        ----------
        path : path-like
            The TOML file.

        Returns
        -------
        Accelerator

        Raises
        ------
        OSError
            If the file cannot be read.
        tomllib.TOMLDecodeError
            If it is not valid TOML (a :class:`ValueError`).
        ValueError
            As :meth:`from_dict`.
        """
        with open(path, "rb") as f:
            return cls.from_dict(tomllib.load(f))
