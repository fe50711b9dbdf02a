r"""A memory above the sub-array: mats, banks, predecoders and H-tree (:class:`Memory`).

An NVSim-class hierarchy (Dong et al., IEEE TCAD 2012) built on
:class:`~spinaps.circuit.Array`: sub-arrays grouped into mats, mats into a bank, banks
side by side (:class:`~spinaps.circuit.Organisation`).  The cell stays driven by the
device physics: every sub-array is an :class:`Array` of the same bitcell, so an MTJ
memory keeps the device layer's write pulse, WER, read margin and read errors.  The
evaluation is vectorised over organisations, so the same code gives one memory's figures
and an organisation search (:func:`~spinaps.circuit.search_organisation`).

Sub-array
---------
One :class:`Array` of ``rows`` x ``cols`` with ``cols / sense_amp_mux`` sense
amplifiers; its figures, by component, count once per active sub-array (energies) and
once per sub-array (area, leakage).  Its footprint: the cell array's width cols w_cell
and height rows h_cell, both stretched by sqrt(A_sub / A_cells) for the periphery
(assumed: the periphery spread evenly around the cells).

Mat and predecoder
------------------
A mat's sub-arrays share one row predecoder: ceil(log2(rows) / 2) 2-to-4 blocks of four
NAND2 gates, each output driving a predecode line along the mat's height that feeds
rows / 4 NAND2 inputs (logical effort 4/3 of the minimum inverter's C_0; Sutherland,
Sproull and Harris, *Logical Effort*, 1999) in every sub-array of the mat, through a
driver chain (:func:`~spinaps.circuit.htree.driver_chain`).  Delay: the chain plus the
line's 0.38 r c l^2 on local wire; energy per active mat: one line per block switches,
(C_line + the chain's switched capacitance) V_dd^2; area and leakage from the NAND2s
(four minimum devices each, assumed: the sub-array decoder's rule) and the chains, with
the sub-array's transistor area rule (W + 2F) 4F and leakage V_dd I_off W / 2.  The
predecoder delay adds to read and write in series (as NVSim).  Its sub-arrays are
built with ``Array(..., predecoded=True)``: their row decoder is only the final NAND
stage, so the address is decoded once, not twice.

H-tree (:mod:`.htree`)
----------------------
One tree over the bank's grid of sub-arrays, G_c = mats_c subarrays_c columns and G_r
rows, on global wire: log2(G_c) horizontal levels first, then log2(G_r) vertical levels,
NVSim's segment lengths (``BankWithHtree.cpp``): horizontal level k of n_h has
w 2^(n_h - 1 - k), vertical level j of n_v has (h / 2) 2^(n_v - 1 - j) (w, h the
sub-array pitch in the mat).  A wire at level i has passed i branching nodes.  In each
direction the first log2(mats) nodes choose among mats and the nodes below among the
mat's sub-arrays; at a mat node the word splits in two (half the data bits on each of
twice the branches) while active mats remain to be separated, at a sub-array node while
active sub-arrays remain, otherwise the node consumes one address bit.
The root carries A = log2(capacity / word) address bits and the word's D data bits.
Each routed bit of each active branch switches once per access (as NVSim): energy
b_i (A_i + D_i) (E_wire + E_driver) per level; read latency twice the levels' delays
(address in, data out), write once (as NVSim).  Every node has a buffer per bit
(``output_drivers``: the sub-array, mat and bank output drivers of the tree), sized by
:func:`~spinaps.circuit.htree.driver_chain` for the segment it drives; their leakage and
area count every branch, active or not.  The wires themselves run on upper metal above
the arrays and take no silicon area (as NVSim for unrepeated wires).

Not modelled: inter-bank routing (one bank is accessed; NVSim models one bank), the
output multiplexer's own delay and energy (it selects among sensed bits), bank
control and I/O pads (the column-mux decoder is the sub-array's, :mod:`.decoder`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..params import check_choice, check_int, check_range
from ..provenance import annotate, breakdown, finalize
from .array import Array, check_sensing, device_area
from .bitcell import MTJBitcell
from .htree import ELMORE_DISTRIBUTED, REPEATERS, driver_chain, min_inverter, wire_segment
from .organisation import Organisation, is_power_of_two
from .sram import SRAMBitcell
from .technology import Technology

__all__ = ["Memory", "TARGETS", "evaluate_organisations"]

#: Optimisation targets: name -> how the figure is formed from the totals.
TARGETS = ("read_latency", "read_energy", "read_edp", "write_latency", "write_energy", "area", "leakage")

#: Sub-array figures (Array.figures breakdowns) used per component.
SUB_FIGURES = ("area", "read_latency", "write_latency", "read_energy", "write_energy", "leakage")
#: Units and long names of the figures (the memory's and the search's datasets).
FIGURE_UNITS = {
    "area": ("m^2", "area"),
    "read_latency": ("s", "read latency"),
    "write_latency": ("s", "write latency"),
    "read_energy": ("J", "read energy per access"),
    "write_energy": ("J", "write energy per access"),
    "leakage": ("W", "leakage power"),
    "read_edp": ("J s", "read energy-delay product"),
}

#: Logical effort of a NAND2 input: 4/3 of the inverter's input capacitance at equal
#: drive (Sutherland, Sproull and Harris, *Logical Effort*, 1999).
_NAND2_EFFORT = 4.0 / 3.0
#: Devices of one predecoder NAND2: four of minimum width F (assumed, as the sub-array
#: decoder's NAND gates; an equal-drive NAND2 would have NMOS of 2F).
_NAND2_DEVICES = 4


def periphery_technology(bitcell, periphery=None) -> Technology:
    """The periphery's technology of ``bitcell`` with ``periphery`` (:class:`Array`'s rule)."""
    return Array(bitcell, 4, 4, 4, periphery=periphery).periphery_tech


def cell_pitch(bitcell, cell) -> tuple:
    """Width and height [m] of one cell of ``bitcell`` (figures ``cell``), Array's rule.

    The worst device's area, split by the aspect ratio (height / width; a cell without
    one is square).
    """
    area_cell = float(np.max(np.asarray(cell.cell_area)))
    ar = bitcell.aspect_ratio or 1.0
    return math.sqrt(area_cell / ar), math.sqrt(area_cell * ar)


def _subarray_rows(shapes, bitcell, cell, periphery, sensing="voltage", keep=False):
    """Breakdowns, footprint (and optionally datasets) of the sub-arrays ``shapes``.

    ``cell`` is ``bitcell.figures()``, computed once: it does not depend on the
    organisation, and the device layer's WER and read errors are its costly part.
    """
    w_cell, h_cell = cell_pitch(bitcell, cell)
    out = {name: [] for name in SUB_FIGURES}
    out.update(width=[], height=[], components={}, datasets=[])
    for rows, cols, sensed in shapes:
        array = Array(bitcell, int(rows), int(cols), int(sensed), periphery=periphery, predecoded=True, sensing=sensing)
        ds = array.figures(cell_figures=cell)
        v = ds.variables  # the raw variables: no DataArray built per figure
        for name in SUB_FIGURES:
            out[name].append(v[f"{name}_breakdown"].values)
        if not out["components"]:
            out["components"] = {name: [str(c) for c in v[f"{name}_component"].values] for name in SUB_FIGURES}
        area = v["area_breakdown"].values
        stretch = math.sqrt(area.sum() / area[out["components"]["area"].index("cells")])
        out["width"].append(cols * w_cell * stretch)
        out["height"].append(rows * h_cell * stretch)
        if keep:
            out["datasets"].append(ds)
    return out


_WORKER = None  # (bitcell, cell figures, periphery, sensing) of a worker process of subarray_pool


def _init_worker(bitcell, cell, periphery, sensing="voltage"):
    global _WORKER
    _WORKER = (bitcell, cell, periphery, sensing)


def _worker_rows(shapes):
    return _subarray_rows(shapes, *_WORKER)


def subarray_pool(bitcell, cell, periphery, workers: int, sensing: str = "voltage"):
    """A pool of ``workers`` processes for :func:`subarray_table`, or None for one worker.

    The processes are forked where the platform has ``fork`` (POSIX) and spawned
    elsewhere; each receives the cell and its figures once, so one pool serves every
    round of a search.  Use it as a context manager (it is a
    :class:`concurrent.futures.ProcessPoolExecutor`).
    """
    check_int("workers", workers, 1, 64)
    if workers == 1:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(bitcell, cell, periphery, sensing),
    )


def subarray_table(bitcell, shapes, periphery=None, workers: int = 1, *, cell=None, pool=None, sensing="voltage"):
    """Figures of the distinct sub-arrays ``shapes`` = [(rows, cols, sensed_bits), ...].

    Every sub-array is an :class:`Array` with ``predecoded=True``: the mat's predecoder
    (:func:`evaluate_organisations`) does the rest of the row decoding.

    Parameters
    ----------
    bitcell : MTJBitcell or SRAMBitcell
        The cell.
    shapes : sequence of (int, int, int)
        Rows, columns and sense amplifiers of each sub-array.
    periphery : Technology or str, optional
        As :class:`Array`.
    workers : int
        Processes sharing the sub-arrays, in contiguous chunks (1: in this process, and
        the Array datasets are kept).  Without ``pool``, a pool of
        :func:`subarray_pool` is made for this call.
    cell : xarray.Dataset, optional
        ``bitcell.figures()`` if already computed.
    pool : concurrent.futures.ProcessPoolExecutor, optional
        A pool of :func:`subarray_pool` for the same cell, periphery and sensing, reused.
    sensing : {"voltage", "current"}
        The MTJ read scheme, as :class:`Array`.

    Returns
    -------
    dict
        ``"<figure>"``: array (n_shapes, n_components) of the :class:`Array` breakdowns,
        ``"<figure>_components"``: their names, ``width`` and ``height`` [m] of each
        sub-array, ``datasets``: the Array datasets (in this process only).
    """
    check_int("workers", workers, 1, 64)
    cell = bitcell.figures() if cell is None else cell
    shapes = [tuple(int(x) for x in s) for s in shapes]
    if workers == 1 or len(shapes) < 2 * workers:
        out = _subarray_rows(shapes, bitcell, cell, periphery, sensing, keep=True)
    else:
        size = -(-len(shapes) // workers)
        chunks = [shapes[i : i + size] for i in range(0, len(shapes), size)]
        if pool is None:
            with subarray_pool(bitcell, cell, periphery, workers, sensing) as own:
                parts = list(own.map(_worker_rows, chunks))
        else:
            parts = list(pool.map(_worker_rows, chunks))
        out = {key: [v for part in parts for v in part[key]] for key in (*SUB_FIGURES, "width", "height")}
        out.update(components=parts[0]["components"], datasets=[])
    table = {name: np.array(out[name], dtype=float).reshape(len(shapes), -1) for name in SUB_FIGURES}
    for name in SUB_FIGURES:
        table[f"{name}_components"] = out["components"][name]
    table.update(width=np.array(out["width"]), height=np.array(out["height"]), datasets=out["datasets"])
    return table


def _log2(x):
    return np.round(np.log2(np.asarray(x, dtype=float))).astype(int)


def _splits(nodes, mat_nodes, active_mat_levels, active_sub_levels):
    """Splits of the word among the ``nodes`` passed in one direction of the H-tree.

    The first ``mat_nodes`` nodes choose among mats: the first ``active_mat_levels``
    of them split the word between active mats; the nodes below choose among the
    mat's sub-arrays, the first ``active_sub_levels`` of them splitting the word
    between active sub-arrays.  Every other node consumes an address bit.
    """
    return np.minimum(nodes, active_mat_levels) + np.minimum(np.maximum(nodes - mat_nodes, 0), active_sub_levels)


def evaluate_organisations(
    tech: Technology, table, index, org, word_bits: int, capacity_bits: int, repeaters="none"
) -> dict:
    """The hierarchy's figures for many organisations at once (module notes).

    Parameters
    ----------
    tech : Technology
        The periphery's devices and the global wires.
    table : dict
        :func:`subarray_table` of the distinct sub-arrays.
    index : numpy.ndarray of int
        For each organisation, its sub-array's row in ``table``.
    org : dict of numpy.ndarray of int
        Per organisation: ``rows``, ``mats_r``, ``mats_c``, ``active_mats_r``,
        ``active_mats_c``, ``sub_r``, ``sub_c``, ``active_sub_r``, ``active_sub_c``,
        ``banks``.
    word_bits, capacity_bits : int
        The word [bit] and the capacity of all banks [bit].
    repeaters : {"none", "optimal"}
        The H-tree's wires (:func:`~spinaps.circuit.htree.wire_segment`).

    Returns
    -------
    dict
        For each figure of ``SUB_FIGURES``, a dict component -> array over the
        organisations (the totals are their sums).
    """
    p, f, v = tech, tech.feature_size, tech.vdd
    n_org = len(index)
    mr, mc = org["mats_r"], org["mats_c"]
    sr, sc = org["sub_r"], org["sub_c"]
    n_mats = mr * mc
    n_sub = n_mats * sr * sc
    n_active_mats = org["active_mats_r"] * org["active_mats_c"]
    n_active = n_active_mats * org["active_sub_r"] * org["active_sub_c"]
    banks = org["banks"]
    w_sub, h_sub = table["width"][index], table["height"][index]

    # ---- predecoder, one per mat
    rows = org["rows"]
    blocks = np.ceil(_log2(rows) / 2.0)
    c0 = min_inverter(p)[0]
    l_line = sr * h_sub
    c_line = sr * sc * (rows / 4.0) * c0 * _NAND2_EFFORT + p.wire_c_local * l_line
    chain = driver_chain(p, c_line)
    t_pred = chain["delay"] + ELMORE_DISTRIBUTED * p.wire_r_local * p.wire_c_local * l_line**2
    e_pred = n_active_mats * blocks * (c_line + chain["c_switched"]) * v**2
    w_pred = blocks * 4.0 * (_NAND2_DEVICES * f + chain["width"])
    a_pred = blocks * 4.0 * (_NAND2_DEVICES * device_area(f, f) + device_area(chain["width"], f))
    leak_pred = v * p.i_off_n * w_pred / 2.0

    # ---- mat and bank footprint (the predecoder's area stretches the mat)
    a_sub = table["area"][index].sum(axis=1)
    a_mat = sr * sc * a_sub + a_pred
    stretch = np.sqrt(a_mat / (sr * sc * a_sub))
    w_pitch, h_pitch = w_sub * stretch, h_sub * stretch

    # ---- H-tree over the grid of sub-arrays
    n_h, n_v = _log2(mc * sc), _log2(mr * sr)
    # per direction: the mat nodes (log2 mats) come first, then the sub-array nodes
    col_levels = (_log2(mc), _log2(org["active_mats_c"]), _log2(org["active_sub_c"]))
    row_levels = (_log2(mr), _log2(org["active_mats_r"]), _log2(org["active_sub_r"]))
    address = np.maximum(np.log2(capacity_bits / banks / word_bits), 0.0)
    t_tree, t_drv = np.zeros(n_org), np.zeros(n_org)
    e_tree, e_drv = np.zeros(n_org), np.zeros(n_org)
    w_drv, a_drv = np.zeros(n_org), np.zeros(n_org)
    for i in range(int(np.max(n_h + n_v, initial=0))):
        horizontal = i < n_h
        present = i < n_h + n_v
        k = np.where(horizontal, i, i - n_h)
        n_dir = np.where(horizontal, n_h, n_v)
        length = np.where(horizontal, w_pitch, h_pitch / 2.0) * 2.0 ** np.maximum(n_dir - 1 - k, 0)
        length = np.where(present, length, 0.0)
        splits = _splits(np.minimum(i, n_h), *col_levels) + _splits(np.maximum(i - n_h, 0), *row_levels)
        branches = 2.0**splits
        bits = np.maximum(address - (i - splits), 0.0) + word_bits / branches
        seg = wire_segment(p, length, repeaters)
        active_bits = np.where(present, branches * bits, 0.0)
        all_bits = np.where(present, 2.0**i * bits, 0.0)
        t_tree += seg["wire_delay"]
        t_drv += seg["driver_delay"]
        e_tree += active_bits * seg["wire_energy"]
        e_drv += active_bits * seg["driver_energy"]
        w_drv += all_bits * seg["driver_width"]
        a_drv += np.where(seg["driver_width"] > 0, all_bits * device_area(seg["driver_width"], f), 0.0)
    leak_drv = v * p.i_off_n * w_drv / 2.0

    def sub(name, count):
        comps = table[f"{name}_components"]
        values = table[name][index]
        return {c: values[:, j] * count for j, c in enumerate(comps)}

    area = sub("area", n_sub * banks)
    area.update(predecoders=banks * n_mats * a_pred, output_drivers=banks * a_drv)
    read_latency = {"htree": 2.0 * t_tree, "output_drivers": 2.0 * t_drv, "predecoders": t_pred}
    read_latency.update(sub("read_latency", 1))
    write_latency = {"htree": t_tree, "output_drivers": t_drv, "predecoders": t_pred}
    write_latency.update(sub("write_latency", 1))
    read_energy = sub("read_energy", n_active)
    read_energy.update(predecoders=e_pred, htree=e_tree, output_drivers=e_drv)
    write_energy = sub("write_energy", n_active)
    write_energy.update(predecoders=e_pred, htree=e_tree, output_drivers=e_drv)
    leakage = sub("leakage", n_sub * banks)
    leakage.update(predecoders=banks * n_mats * leak_pred, output_drivers=banks * leak_drv)
    return dict(
        area=area,
        read_latency=read_latency,
        write_latency=write_latency,
        read_energy=read_energy,
        write_energy=write_energy,
        leakage=leakage,
        geometry=dict(width=mc * sc * w_pitch, height=mr * sr * h_pitch, subarray_width=w_sub, subarray_height=h_sub),
    )


def target_values(figures: dict, target: str) -> np.ndarray:
    """The optimisation target of :data:`TARGETS` from :func:`evaluate_organisations`' output."""
    check_choice("target", target, TARGETS)
    total = {name: sum(figures[name].values()) for name in SUB_FIGURES}
    if target == "read_edp":
        return total["read_energy"] * total["read_latency"]
    return total[target]


def org_arrays(orgs) -> dict:
    """The organisations as the arrays :func:`evaluate_organisations` takes."""
    get = {
        "rows": lambda o: o.rows,
        "mats_r": lambda o: o.mats[0],
        "mats_c": lambda o: o.mats[1],
        "active_mats_r": lambda o: o.active_mats[0],
        "active_mats_c": lambda o: o.active_mats[1],
        "sub_r": lambda o: o.subarrays[0],
        "sub_c": lambda o: o.subarrays[1],
        "active_sub_r": lambda o: o.active_subarrays[0],
        "active_sub_c": lambda o: o.active_subarrays[1],
        "banks": lambda o: o.banks,
    }
    return {k: np.array([g(o) for o in orgs], dtype=int) for k, g in get.items()}


def check_memory_inputs(bitcell, capacity, word_bits):
    """Raise on a bad bitcell, capacity [byte] or word [bit] (names, values, ranges)."""
    if not isinstance(bitcell, (MTJBitcell, SRAMBitcell)):
        raise TypeError(f"bitcell must be an MTJBitcell or SRAMBitcell, got {type(bitcell).__name__}")
    check_int("capacity", capacity, 1)
    check_int("word_bits", word_bits, 1, 8192)
    if not is_power_of_two(word_bits):
        raise ValueError(f"word_bits = {word_bits!r} must be a power of two in [1, 8192]")
    if (8 * capacity) % word_bits:
        raise ValueError(f"capacity = {capacity} B ({8 * capacity} bits) is not a multiple of word_bits = {word_bits}")


@dataclass(frozen=True)
class Memory:
    """A memory of ``capacity`` bytes read and written ``word_bits`` at a time.

    Sub-arrays (:class:`~spinaps.circuit.Array`) in mats in banks with predecoders,
    an H-tree on the global wires and its output drivers (module notes).  The
    organisation is forced (``organisation``) or searched for ``target``
    (:func:`~spinaps.circuit.search_organisation`).

    Parameters
    ----------
    bitcell : MTJBitcell or SRAMBitcell
        The cell of every sub-array.
    capacity : int [byte]
        Capacity of all banks, a multiple of the word.
    word_bits : int [bit]
        Bits per access, a power of two in [1, 8192].
    organisation : Organisation, optional
        Forced organisation; it must tile ``capacity`` with ``word_bits`` words.
        Default: searched.
    target : str
        Optimisation target of the search, one of :data:`TARGETS` (default
        ``"read_edp"``, as NVSim's sample configurations).
    repeaters : {"none", "optimal"}
        The H-tree's global wires (NVSim's ``RepeatedNone`` or optimal repeaters).
    periphery : Technology or {"hp", "lstp"}, optional
        As :class:`Array`.
    sensing : {"voltage", "current"}
        The MTJ read scheme of every sub-array, as :class:`Array` (default
        ``"voltage"``).
    read_fraction : float [1]
        The access pattern: the share of reads among accesses, in [0, 1] (default 0.5,
        assumed); it weights ``access_energy`` and ``access_latency``.
    searched_for : str, optional
        The target of :data:`TARGETS` a search found ``organisation`` for (set by
        :meth:`~spinaps.circuit.NVSimConfig.to_memory`); it labels the figures'
        ``organisation`` attribute "searched for <target>" rather than "forced".

    Raises
    ------
    TypeError
        If ``bitcell`` is not an MTJ or SRAM cell, or ``organisation`` not an
        :class:`Organisation`.
    ValueError
        Naming the parameter, its value and the allowed range: a capacity that is not a
        multiple of the word, an organisation that does not tile the capacity or the
        word, an unknown target or repeater option, a read fraction outside [0, 1], a
        read scheme not one of :data:`~spinaps.circuit.array.SENSING` or ``"current"``
        for an SRAM cell.

    Examples
    --------
    >>> from spinaps.circuit import Memory, Organisation, SRAMBitcell, technology
    >>> org = Organisation(256, 256, subarrays=(2, 2), sense_amp_mux=4)
    >>> ds = Memory(SRAMBitcell(technology(22)), 32 * 1024, 64, org).figures()
    >>> bool(abs(float(ds.read_energy_breakdown.sum()) - float(ds.read_energy)) < 1e-25)
    True
    """

    bitcell: MTJBitcell | SRAMBitcell
    capacity: int
    word_bits: int
    organisation: Organisation | None = None
    target: str = "read_edp"
    repeaters: str = "none"
    periphery: Technology | str | None = None
    read_fraction: float = 0.5
    searched_for: str | None = None
    sensing: str = "voltage"

    def __post_init__(self):
        check_memory_inputs(self.bitcell, self.capacity, self.word_bits)
        check_choice("target", self.target, TARGETS)
        if self.searched_for is not None:
            check_choice("searched_for", self.searched_for, TARGETS)
        check_choice("repeaters", self.repeaters, REPEATERS)
        check_sensing(self.sensing, self.bitcell)
        check_range("read_fraction", self.read_fraction, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
        if self.organisation is not None:
            if not isinstance(self.organisation, Organisation):
                raise TypeError(f"organisation must be an Organisation, got {type(self.organisation).__name__}")
            self.organisation.check_fits(8 * self.capacity, self.word_bits)

    @property
    def capacity_bits(self) -> int:
        """Capacity [bit]."""
        return 8 * self.capacity

    def _organisation_label(self) -> str:
        if self.searched_for is not None:
            return f"searched for {self.searched_for}"
        return "forced" if self.organisation is not None else f"searched for {self.target}"

    def resolved_organisation(self) -> Organisation:
        """The forced organisation, or the search's best for ``target``."""
        if self.organisation is not None:
            return self.organisation
        from .search import search_organisation

        return search_organisation(
            self.bitcell,
            self.capacity,
            self.word_bits,
            self.target,
            repeaters=self.repeaters,
            periphery=self.periphery,
            sensing=self.sensing,
        ).organisation

    def figures(self) -> xr.Dataset:
        """Area, latencies, energies and leakage with component breakdowns.

        Returns
        -------
        xarray.Dataset
            Every variable has ``units`` and ``long_name``.  Totals and breakdowns along
            ``<name>_component``: ``area`` [m^2] (the sub-arrays' cells, decoder,
            column_mux, precharge, sense_amps, write_drivers; predecoders,
            output_drivers), ``read_latency`` and ``write_latency`` [s] (htree,
            output_drivers, predecoders and the sub-array's components),
            ``read_energy`` and ``write_energy`` [J] per access (the active sub-arrays'
            components, predecoders, htree, output_drivers), ``leakage`` [W] (cells,
            periphery, predecoders, output_drivers).  Further: ``read_edp`` [J s],
            ``access_energy`` [J] and ``access_latency`` [s] weighted by
            ``read_fraction``, ``width`` and ``height`` [m] of a bank, the sub-array's
            ``subarray_width`` and ``subarray_height`` [m], and the error
            probabilities of the sub-array's cells per bit and per word of
            ``word_bits`` (``bit_read_error``, ``bit_write_error``,
            ``word_read_error``, ``word_write_error``).  Attributes: the organisation,
            the cell kind, the technology, ``repeaters``, ``target`` (when searched)
            and the citations.
        """
        org = self.resolved_organisation()
        sensed = org.cols // org.sense_amp_mux
        table = subarray_table(self.bitcell, [(org.rows, org.cols, sensed)], self.periphery, sensing=self.sensing)
        sub_ds = table["datasets"][0]
        tech = periphery_technology(self.bitcell, self.periphery)
        figs = evaluate_organisations(
            tech, table, np.array([0]), org_arrays([org]), self.word_bits, self.capacity_bits, self.repeaters
        )
        data = {}
        for name in SUB_FIGURES:
            units, long_name = FIGURE_UNITS[name]
            parts = {k: float(np.asarray(val)[0]) for k, val in figs[name].items()}
            data[f"{name}_breakdown"] = breakdown(parts, f"{name}_component", units, f"{long_name} by component")
            data[name] = annotate(xr.DataArray(sum(parts.values())), units, long_name)
        rf = self.read_fraction
        t_r, t_w = float(data["read_latency"]), float(data["write_latency"])
        e_r, e_w = float(data["read_energy"]), float(data["write_energy"])
        extra = {
            "read_edp": (e_r * t_r, *FIGURE_UNITS["read_edp"]),
            "access_energy": (rf * e_r + (1 - rf) * e_w, "J", "energy per access of the access pattern"),
            "access_latency": (rf * t_r + (1 - rf) * t_w, "s", "mean latency of the access pattern"),
        }
        for key, value in figs["geometry"].items():
            extra[key] = (float(np.asarray(value)[0]), "m", key.replace("_", " ") + " (one bank)")
        for name, (value, units, long_name) in extra.items():
            data[name] = annotate(xr.DataArray(value), units, long_name)
        for name in ("bit_read_error", "bit_write_error"):
            p_bit = float(sub_ds[name])
            data[name] = sub_ds[name].copy()
            word = name.replace("bit_", "word_")
            p_word = -math.expm1(self.word_bits * math.log1p(-p_bit)) if p_bit < 1 else 1.0
            data[word] = annotate(xr.DataArray(p_word), "1", f"{word.replace('_', ' ')} probability per word")
        attrs = dict(
            capacity_bytes=self.capacity,
            word_bits=self.word_bits,
            rows=org.rows,
            cols=org.cols,
            mats=f"{org.mats[0]}x{org.mats[1]}",
            active_mats=f"{org.active_mats[0]}x{org.active_mats[1]}",
            subarrays=f"{org.subarrays[0]}x{org.subarrays[1]}",
            active_subarrays=f"{org.active_subarrays[0]}x{org.active_subarrays[1]}",
            sense_amp_mux=org.sense_amp_mux,
            output_mux=org.output_mux,
            banks=org.banks,
            organisation=self._organisation_label(),
            repeaters=self.repeaters,
            read_fraction=rf,
            cell=sub_ds.attrs["cell"],
            technology=sub_ds.attrs["technology"],
            periphery=sub_ds.attrs["periphery"],
        )
        return finalize(
            xr.Dataset(data),
            params=self.bitcell.mtj if isinstance(self.bitcell, MTJBitcell) else None,
            cite=("Dong2012", "Balasubramonian2017"),
            **attrs,
        )
