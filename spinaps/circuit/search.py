"""Organisation search of a memory for an optimisation target (:func:`search_organisation`).

As NVSim's and CACTI's exhaustive searches (Dong et al., IEEE TCAD 2012;
Balasubramonian et al., ACM TACO 2017), over a stated candidate space, vectorised: the
distinct sub-arrays of all candidates are evaluated once each
(:func:`~spinaps.circuit.memory.subarray_table`) and the hierarchy of every candidate at
once (:func:`~spinaps.circuit.memory.evaluate_organisations`).

Candidate space (one bank, output mux 1, as NVSim's free searches in the reference runs
chose): mats per bank 2^a x 2^b up to ``max_mats`` in each direction; sub-arrays per mat
1 x 1, 1 x 2, 2 x 1 or 2 x 2 (NVSim's mats); in each direction either one mat (one
sub-array) or all of them active; sense-amplifier mux 1 ... ``max_sense_amp_mux``; the
sub-array's columns follow from the word's share and the mux, its rows from the
capacity, and a candidate is kept if rows and columns are powers of two within
``rows`` and ``cols``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..params import check_choice, check_int
from ..provenance import annotate, finalize
from .array import check_sensing
from .bitcell import MTJBitcell
from .htree import REPEATERS
from .memory import (
    FIGURE_UNITS,
    TARGETS,
    cell_pitch,
    check_memory_inputs,
    evaluate_organisations,
    periphery_technology,
    subarray_pool,
    subarray_table,
    target_values,
)
from .memory import SUB_FIGURES as _FIGURES
from .organisation import Organisation, is_power_of_two

__all__ = ["SearchResult", "search_organisation", "candidate_organisations"]

_BATCH = 8  # sub-arrays evaluated per round of the branch and bound, per worker


def _lower_bound(tech, cell, bitcell, shapes, index, cand, word_bits, bits, repeaters, target, known, ref):
    """A lower bound of ``target`` for every candidate, from the sub-arrays computed so far.

    The hierarchy of each candidate is evaluated on its bare cells (footprint rows h_cell
    x cols w_cell): every hierarchy figure grows with the sub-array's footprint (longer
    predecode lines and H-tree segments, larger drivers), so this bounds the hierarchy.
    The sub-array's own figures are bounded by those of ``ref``, the computed sub-array
    with the same columns and sense amplifiers and the most rows not above its own:
    every figure of :class:`Array` is nondecreasing in the rows at fixed columns and
    sense amplifiers (longer bitlines, more decoder stages, more cells; a test of this
    module checks it), and the cells' own area and leakage are exact.

    ``known`` holds the computed sub-arrays' totals (``<figure>``) and cells' area and
    leakage (``cells_area``, ``cells_leakage``), NaN where not computed.
    """
    area_cell = float(np.max(np.asarray(cell.cell_area)))
    w_cell, h_cell = cell_pitch(bitcell, cell)
    rows, cols = shapes[:, 0].astype(float), shapes[:, 1].astype(float)
    leak_cell = 0.0 if isinstance(bitcell, MTJBitcell) else float(np.max(np.asarray(cell.leakage_power)))
    table = {
        "width": cols * w_cell,
        "height": rows * h_cell,
        "area": np.stack([rows * cols * area_cell, (known["area"] - known["cells_area"])[ref]], axis=1),
        "leakage": np.stack([rows * cols * leak_cell, (known["leakage"] - known["cells_leakage"])[ref]], axis=1),
        "area_components": ["cells", "periphery"],
        "leakage_components": ["cells", "periphery"],
    }
    for name in ("read_latency", "write_latency", "read_energy", "write_energy"):
        table[name], table[f"{name}_components"] = known[name][ref][:, None], ["subarray"]
    return target_values(evaluate_organisations(tech, table, index, cand, word_bits, bits, repeaters), target)


def _references(shapes, group, done):
    """For each sub-array, the computed one of its group with the most rows not above its own."""
    ref = np.empty(len(shapes), dtype=int)
    for g in np.unique(group):
        members = np.flatnonzero(group == g)
        computed = members[done[members]]
        computed = computed[np.argsort(shapes[computed, 0])]
        pos = np.searchsorted(shapes[computed, 0], shapes[members, 0], side="right") - 1
        ref[members] = computed[pos]
    return ref


@dataclass(frozen=True)
class SearchResult:
    """The best organisation and every candidate's figures.

    Attributes
    ----------
    organisation : Organisation
        The candidate with the smallest target value.
    target : str
        The optimisation target.
    candidates : xarray.Dataset
        Along ``candidate``: the organisation fields and the totals ``area`` [m^2],
        ``read_latency``, ``write_latency`` [s], ``read_energy``, ``write_energy``
        [J], ``leakage`` [W], ``read_edp`` [J s] and ``objective`` (the target's
        value); attribute ``best`` (the index of the best candidate) and
        ``subarrays_evaluated`` (distinct sub-arrays computed).
    """

    organisation: Organisation
    target: str
    candidates: xr.Dataset

    def organisations(self):
        """Every candidate as an :class:`Organisation`, in the order of ``candidates``."""
        c = self.candidates
        return [_organisation(c, i) for i in range(c.sizes["candidate"])]


def _organisation(c, i):
    g = {k: int(c[k].values[i]) for k in c.data_vars if c[k].dtype.kind in "iu"}
    return Organisation(
        g["rows"],
        g["cols"],
        mats=(g["mats_r"], g["mats_c"]),
        active_mats=(g["active_mats_r"], g["active_mats_c"]),
        subarrays=(g["sub_r"], g["sub_c"]),
        active_subarrays=(g["active_sub_r"], g["active_sub_c"]),
        sense_amp_mux=g["sense_amp_mux"],
        banks=g["banks"],
    )


#: Default bounds of the candidate space (choices): sub-arrays of 32-2048 rows and
#: 32-4096 columns hold every sub-array NVSim chose or was forced to in the reference
#: runs (64 to 1024 rows and columns) except its 2 x 4-cell SRAM sub-arrays (a bitline
#: of a few cells, outside what Array is meant for);
#: 64 mats a side (4,096 per bank) and a sense-amplifier mux up to 32 bound the search
#: of the 8 MB sample at a few hundred distinct sub-arrays (NVSim's choice there is
#: 8 x 4 mats and mux 16).
DEFAULT_ROWS = (32, 2048)
DEFAULT_COLS = (32, 4096)
DEFAULT_MAX_MATS = 64
DEFAULT_MAX_SENSE_AMP_MUX = 32


def candidate_organisations(
    capacity_bits,
    word_bits,
    *,
    rows=DEFAULT_ROWS,
    cols=DEFAULT_COLS,
    max_mats=DEFAULT_MAX_MATS,
    max_sa_mux=DEFAULT_MAX_SENSE_AMP_MUX,
):
    """The candidate space of the module notes, as arrays over candidates.

    Returns
    -------
    dict of numpy.ndarray of int
        ``rows``, ``cols``, ``sense_amp_mux``, ``mats_r``, ``mats_c``,
        ``active_mats_r``, ``active_mats_c``, ``sub_r``, ``sub_c``, ``active_sub_r``,
        ``active_sub_c``, ``banks``.
    """
    p2 = lambda hi: 2 ** np.arange(int(np.log2(hi)) + 1)  # noqa: E731
    grids = np.meshgrid(
        p2(max_mats), p2(max_mats), [1, 2], [1, 2], [0, 1], [0, 1], [0, 1], [0, 1], p2(max_sa_mux), indexing="ij"
    )
    mr, mc, sr, sc, amr_all, amc_all, asr_all, asc_all, mux = (g.ravel() for g in grids)
    amr, amc = np.where(amr_all == 1, mr, 1), np.where(amc_all == 1, mc, 1)
    asr, asc = np.where(asr_all == 1, sr, 1), np.where(asc_all == 1, sc, 1)
    # drop duplicates: "all active" of a single mat / sub-array is "one active"
    keep = ~(((amr_all == 1) & (mr == 1)) | ((amc_all == 1) & (mc == 1)))
    keep &= ~(((asr_all == 1) & (sr == 1)) | ((asc_all == 1) & (sc == 1)))
    n_active = amr * amc * asr * asc
    keep &= (word_bits % n_active == 0) & (n_active <= word_bits)
    share = np.where(keep, word_bits // n_active, 1)
    c = share * mux
    n_sub = mr * mc * sr * sc
    r = np.where(keep, capacity_bits // np.maximum(n_sub * c, 1), 0)
    keep &= (n_sub * c * r == capacity_bits) & (r >= rows[0]) & (r <= rows[1]) & (c >= cols[0]) & (c <= cols[1])
    keep &= (r & (r - 1)) == 0
    out = dict(
        rows=r,
        cols=c,
        sense_amp_mux=mux,
        mats_r=mr,
        mats_c=mc,
        active_mats_r=amr,
        active_mats_c=amc,
        sub_r=sr,
        sub_c=sc,
        active_sub_r=asr,
        active_sub_c=asc,
        banks=np.ones_like(mr),
    )
    return {k: np.asarray(v[keep], dtype=int) for k, v in out.items()}


def _check_bounds(rows, cols, max_mats, max_sense_amp_mux):
    """Raise on bad search bounds, naming the parameter, its value and the allowed range."""
    for name, pair in (("rows", rows), ("cols", cols)):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise ValueError(f"{name} = {pair!r} must be a pair (lowest, highest) of powers of two in [4, 8192]")
        lo, hi = pair
        check_int(f"{name}[0]", lo, 4, 8192)
        check_int(f"{name}[1]", hi, lo, 8192)
        for i, x in enumerate(pair):
            if not is_power_of_two(x):
                raise ValueError(f"{name}[{i}] = {x!r} must be a power of two in [4, 8192]")
    for name, value, high in (("max_mats", max_mats, 4096), ("max_sense_amp_mux", max_sense_amp_mux, 1024)):
        check_int(name, value, 1, high)
        if not is_power_of_two(value):
            raise ValueError(f"{name} = {value!r} must be a power of two in [1, {high}]")


def search_organisation(
    bitcell,
    capacity: int,
    word_bits: int,
    target: str = "read_edp",
    *,
    repeaters: str = "none",
    periphery=None,
    rows=DEFAULT_ROWS,
    cols=DEFAULT_COLS,
    max_mats: int = DEFAULT_MAX_MATS,
    max_sense_amp_mux: int = DEFAULT_MAX_SENSE_AMP_MUX,
    workers: int = 1,
    prune: bool = True,
    sensing: str = "voltage",
) -> SearchResult:
    """The organisation of a memory that minimises ``target`` (module notes).

    Parameters
    ----------
    bitcell : MTJBitcell or SRAMBitcell
        The cell.
    capacity : int [byte]
        Capacity, a multiple of the word.
    word_bits : int [bit]
        Bits per access, a power of two.
    target : str
        One of :data:`~spinaps.circuit.memory.TARGETS`.
    repeaters : {"none", "optimal"}
        The H-tree's wires.
    periphery : Technology or {"hp", "lstp"}, optional
        As :class:`~spinaps.circuit.Array`.
    rows, cols : tuple of 2 int
        Bounds (lowest, highest) of the sub-array's rows and columns, powers of two in
        [4, 8192] (defaults :data:`DEFAULT_ROWS`, :data:`DEFAULT_COLS`: choices, see
        there).
    max_mats : int
        Most mats per bank in each direction, a power of two in [1, 4096] (default
        :data:`DEFAULT_MAX_MATS`).
    max_sense_amp_mux : int
        Largest sense-amplifier mux, a power of two in [1, 1024] (default
        :data:`DEFAULT_MAX_SENSE_AMP_MUX`).
    workers : int
        Processes computing the distinct sub-arrays: one pool for the whole search
        (:func:`~spinaps.circuit.memory.subarray_pool`), ``_BATCH`` sub-arrays per
        worker and round.
    prune : bool
        Branch and bound (default); False evaluates every candidate exactly.
    sensing : {"voltage", "current"}
        The MTJ read scheme of every sub-array, as :class:`~spinaps.circuit.Array`.

    Returns
    -------
    SearchResult

    Raises
    ------
    ValueError
        On bad inputs (naming the parameter, value and range), or if no candidate
        tiles the capacity (with the bounds to widen).

    Examples
    --------
    >>> from spinaps.circuit import SRAMBitcell, search_organisation, technology
    >>> r = search_organisation(SRAMBitcell(technology(22)), 8 * 1024, 64, "read_latency")
    >>> r.organisation.word_bits
    64
    """
    check_memory_inputs(bitcell, capacity, word_bits)
    check_choice("target", target, TARGETS)
    check_choice("repeaters", repeaters, REPEATERS)
    check_sensing(sensing, bitcell)
    _check_bounds(rows, cols, max_mats, max_sense_amp_mux)
    check_int("workers", workers, 1, 64)
    if not isinstance(prune, bool):
        raise ValueError(f"prune = {prune!r} must be True or False")
    bits = 8 * capacity
    cand = candidate_organisations(
        bits, word_bits, rows=rows, cols=cols, max_mats=max_mats, max_sa_mux=max_sense_amp_mux
    )
    n = len(cand["rows"])
    if n == 0:
        raise ValueError(
            f"no organisation of {capacity} B with {word_bits}-bit words has sub-arrays of rows in {rows} and "
            f"cols in {cols} with at most {max_mats} mats a side; widen the bounds"
        )
    sensed = cand["cols"] // cand["sense_amp_mux"]
    shapes, index = np.unique(np.stack([cand["rows"], cand["cols"], sensed], axis=1), axis=0, return_inverse=True)
    index = index.ravel()
    tech = periphery_technology(bitcell, periphery)
    cell = bitcell.figures()
    objective = np.full(n, np.nan)
    scheduled_bound = np.full(n, np.nan)  # each candidate's bound when its sub-array was scheduled
    figs_all = {name: {} for name in _FIGURES}
    done = np.zeros(len(shapes), bool)

    known = {k: np.full(len(shapes), np.nan) for k in (*_FIGURES, "cells_area", "cells_leakage")}

    def evaluate(batch, table):
        local = np.full(len(shapes), -1)
        local[batch] = np.arange(len(batch))
        sel = np.flatnonzero(np.isin(index, batch))
        sub_cand = {k: v[sel] for k, v in cand.items()}
        figs = evaluate_organisations(tech, table, local[index[sel]], sub_cand, word_bits, bits, repeaters)
        objective[sel] = target_values(figs, target)
        for name in _FIGURES:
            for comp, val in figs[name].items():
                figs_all[name].setdefault(comp, np.full(n, np.nan))[sel] = val
            known[name][batch] = table[name].sum(axis=1)
        for name in ("area", "leakage"):
            known[f"cells_{name}"][batch] = table[name][:, table[f"{name}_components"].index("cells")]
        done[batch] = True

    pool = subarray_pool(bitcell, cell, periphery, workers, sensing)
    try:

        def compute(batch):
            shapes_of = [tuple(shapes[i]) for i in batch]
            table = subarray_table(bitcell, shapes_of, periphery, workers, cell=cell, pool=pool, sensing=sensing)
            evaluate(batch, table)

        if not prune:
            compute(np.arange(len(shapes)))
        # the fewest rows of each (columns, sense amplifiers) first: they bound the others
        group = np.unique(shapes[:, 1:], axis=0, return_inverse=True)[1].ravel()
        if prune:
            first = [np.flatnonzero(group == g)[np.argmin(shapes[group == g, 0])] for g in np.unique(group)]
            compute(np.array(first))
        # branch and bound: the other sub-arrays in the order of their best candidate's bound,
        # the bounds tightened after every round, until no bound is below the best exact value
        while True:
            ref = _references(shapes, group, done)
            bound = _lower_bound(
                tech, cell, bitcell, shapes, index, cand, word_bits, bits, repeaters, target, known, ref
            )
            shape_bound = np.full(len(shapes), np.inf)
            np.minimum.at(shape_bound, index, bound)
            open_ = np.flatnonzero(~done & (shape_bound < np.nanmin(objective)))
            if len(open_) == 0:
                break
            batch = open_[np.argsort(shape_bound[open_], kind="stable")][: _BATCH * workers]
            scheduled = np.isin(index, batch)
            scheduled_bound[scheduled] = bound[scheduled]
            compute(batch)
    finally:
        if pool is not None:
            pool.shutdown()
    # pruned candidates keep their final bound, computed ones the bound they were scheduled on
    scheduled_bound = np.where(done[index], scheduled_bound, bound)
    best = int(np.nanargmin(objective))
    figs = figs_all
    data = {k: xr.DataArray(v, dims="candidate") for k, v in cand.items()}
    for k in data:
        annotate(data[k], "1", k.replace("_", " "))
    for name in (*_FIGURES, "read_edp"):
        values = target_values(figs, name)
        data[name] = annotate(xr.DataArray(values, dims="candidate"), *FIGURE_UNITS[name])
    units = FIGURE_UNITS[target][0]
    data["objective"] = annotate(xr.DataArray(objective, dims="candidate"), units, f"target {target} (NaN: pruned)")
    data["lower_bound"] = annotate(
        xr.DataArray(scheduled_bound, dims="candidate"),
        units,
        f"lower bound of {target}: when scheduled (computed), final (pruned); NaN: first round, unbounded",
    )
    ds = finalize(
        xr.Dataset(data),
        cite=("Dong2012", "Balasubramonian2017"),
        target=target,
        best=best,
        subarrays_evaluated=int(done.sum()),
        subarrays_considered=len(shapes),
        capacity_bytes=capacity,
        word_bits=word_bits,
        repeaters=repeaters,
        pruned=int(prune),
    )
    return SearchResult(_organisation(ds, best), target, ds)
