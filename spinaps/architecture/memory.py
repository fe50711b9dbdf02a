r"""The accelerator's weight memory as banks of :class:`spinaps.circuit.Memory`.

With ``MemorySpec.hierarchy = "memory"`` the weights of one core sit in ``banks``
identical, independent banks, each a :class:`~spinaps.circuit.Memory` (sub-arrays in
mats with predecoders, H-tree routing on the global wires and output drivers; Dong et
al., IEEE TCAD 2012) read and written ``access_bits`` at a time.

Capacity
--------
Input i's word of W = n_outputs K B bits is padded to a = ceil(W / access_bits)
accesses; inputs are interleaved over the banks (input i in bank i mod banks), so a bank
holds ceil(n_inputs / banks) words, laid out in its flat address space one access after
the other.  A memory's organisation tiles a power of two of cells (every count of
:class:`~spinaps.circuit.Organisation` is one), so a bank's capacity is the next power
of two of bits, at least one byte and four words (a sub-array has at least 4 rows):

.. math:: C_\mathrm{bank} = 2^{\lceil \log_2(\lceil n_\mathrm{in} / \mathrm{banks}\rceil\,
          a\, \mathrm{access\_bits}) \rceil}.

Organisation: ``MemorySpec.organisation`` (forced, one bank) or
:func:`~spinaps.circuit.search_organisation` for ``MemorySpec.search_target`` over the
search's default candidate space (sub-arrays of 32 to 2,048 rows and 32 to 4,096
columns); a bank too small for it (below 1,024 bits) is searched down to sub-arrays of 4
rows and columns (:data:`SMALL_ROWS`, :data:`SMALL_COLS`).

What runs in parallel
---------------------
Each bank serves one access at a time: its H-tree, predecoders and output drivers are
shared by all its mats, and an access occupies the bank for its whole read latency
(address in, data out; not pipelined, assumed, as the sub-arrays of
``hierarchy="subarray"``).  The banks serve different spikes in parallel, the busiest
bank setting the pace.  Routing between the banks and the neuron units is not modelled
(one bank is what :class:`~spinaps.circuit.Memory` models, as NVSim).

Figures taken from the memory (per bank, :meth:`Memory.figures`)
----------------------------------------------------------------
* area: banks x the memory's area, split into ``array_cells`` (the cells),
  ``memory_routing`` (predecoders and output drivers; the H-tree's wires run on upper
  metal and take no silicon, as NVSim) and ``array_periphery`` (the rest: the
  sub-arrays' decoders, multiplexers, precharge, sense amplifiers, write drivers);
* read energy per access: ``array_read`` (the active sub-arrays' components) and
  ``memory_routing`` (predecoders, H-tree and output drivers);
* write energy per access and read latency: the memory's totals;
* leakage: banks x the memory's leakage when powered throughout (SRAM, or MTJ without
  power gating).  Gated MTJ banks (non-volatile) power, while an access runs, only
  what it uses: the active sub-arrays, the active mats' predecoders and the bank's
  H-tree drivers,

  .. math:: P_\mathrm{access} = P_\mathrm{sub}\,\frac{n_\mathrm{active}}{n_\mathrm{sub}}
            + P_\mathrm{pred}\,\frac{m_\mathrm{active}}{m} + P_\mathrm{drivers}

  (assumed gating granularity: the sub-array, as the powered sub-array of
  ``hierarchy="subarray"``, and the bank's tree).
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import xarray as xr

from .. import citations
from ..circuit import Array, Memory, search_organisation
from ..provenance import require

__all__ = ["bank_capacity_bits", "weight_memory", "memory_figures", "memory_terms", "MEMORY_SCHEMA"]

#: What the accelerator reads from a memory's figures (variable: units), checked on entry.
MEMORY_SCHEMA = {
    "area": "m^2",
    "area_breakdown": "m^2",
    "read_latency": "s",
    "read_energy": "J",
    "read_energy_breakdown": "J",
    "write_energy": "J",
    "leakage": "W",
    "leakage_breakdown": "W",
}
#: Components of a memory's figures that belong to the hierarchy above the sub-arrays.
ROUTING_COMPONENTS = ("predecoders", "htree", "output_drivers")

#: Sub-array bounds (rows, cols) of the search for a bank too small for the search's
#: default candidate space (sub-arrays of at least 32 rows and columns): down to the
#: smallest :class:`~spinaps.circuit.Array` (choice).
SMALL_ROWS, SMALL_COLS = (4, 2048), (4, 4096)

_CACHE: dict[str, xr.Dataset] = {}
_CACHE_SIZE = 64


def content_key(memory, node, *extra) -> str:
    """A key of the memory spec's content (ensembles hashed by their values), the node
    and ``extra``."""

    def plain(value):
        if isinstance(value, (list, np.ndarray)):
            arr = np.asarray(value, dtype=float)
            return hashlib.sha256(arr.tobytes()).hexdigest() + str(arr.shape)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return json.dumps({"memory": plain(memory.to_dict()), "node": node, "extra": extra}, sort_keys=True, default=str)


def bank_capacity_bits(acc) -> int:
    """Capacity [bit] of one bank of ``acc``'s weight memory (module notes).

    Parameters
    ----------
    acc : Accelerator
        The design (its network, ``memory.access_bits`` and ``memory.banks``).

    Returns
    -------
    int [bit]
        The next power of two of the bank's padded words, at least one byte and four
        words (a sub-array has at least 4 rows).

    Examples
    --------
    >>> from spinaps.architecture import Accelerator
    >>> bank_capacity_bits(Accelerator())   # 196 words of 5 x 32 bits in each of 4 banks
    32768
    """
    net, mem = acc.network, acc.memory
    accesses = math.ceil(net.word_bits / mem.access_bits)
    used = math.ceil(net.n_inputs / mem.banks) * accesses * mem.access_bits
    return max(8, 4 * mem.access_bits, 1 << (used - 1).bit_length())


def weight_memory(acc, bitcell=None) -> Memory:
    """One bank of ``acc``'s weight memory as a :class:`spinaps.circuit.Memory`.

    Parameters
    ----------
    acc : Accelerator
        The design; ``acc.memory.hierarchy`` is not checked (any spec has a memory).
    bitcell : MTJBitcell or SRAMBitcell, optional
        The cell (e.g. the circuit layer's live object); default
        ``acc.memory.bitcell(acc.node)``.

    Returns
    -------
    spinaps.circuit.Memory
        Capacity :func:`bank_capacity_bits`, word ``access_bits``, the forced
        ``organisation`` or searched for ``search_target``, the ``periphery`` devices and
        the memory's read scheme (``MemorySpec.read_scheme``).

    Raises
    ------
    ValueError
        If the forced organisation does not tile the bank's capacity with
        ``access_bits`` words, no organisation of the search's candidate space does,
        or the circuit layer refuses the cell.
    """
    mem = acc.memory
    cell = mem.bitcell(acc.node) if bitcell is None else bitcell
    bits = bank_capacity_bits(acc)
    org = mem.organisation
    if org is None:
        search = dict(target=mem.search_target, periphery=mem.periphery, sensing=mem.read_scheme)
        try:
            found = search_organisation(cell, bits // 8, mem.access_bits, **search)
        except ValueError:  # a bank too small for sub-arrays of 32 rows and columns
            try:
                small = dict(rows=SMALL_ROWS, cols=SMALL_COLS)
                found = search_organisation(cell, bits // 8, mem.access_bits, **small, **search)
            except ValueError as err:
                raise ValueError(
                    f"the weight memory's bank of {bits} bits in {mem.access_bits}-bit words has no searched "
                    f"organisation ({err}); force memory.organisation or use memory.hierarchy = 'subarray'"
                ) from None
        org, searched = found.organisation, mem.search_target
    else:
        searched = None
    return Memory(
        cell, bits // 8, mem.access_bits, org, periphery=mem.periphery, sensing=mem.read_scheme, searched_for=searched
    )


def memory_figures(acc) -> xr.Dataset:
    """:meth:`spinaps.circuit.Memory.figures` of one bank of ``acc``'s weight memory
    (:func:`weight_memory`), computed once per content of (memory spec, node, bank
    capacity) and returned as an independent copy, its citations registered on every
    call (up to 64 results are kept, the oldest dropped first).

    Parameters
    ----------
    acc : Accelerator
        The design.

    Returns
    -------
    xarray.Dataset
        The memory's totals and breakdowns (area [m^2], read and write latency [s],
        read and write energy per access [J], leakage [W]) and its organisation in the
        attributes.

    Raises
    ------
    ValueError
        As :func:`weight_memory`.
    """
    key = content_key(acc.memory, acc.node, bank_capacity_bits(acc))
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = weight_memory(acc).figures()
    return registered(_CACHE[key].copy(deep=True))


def registered(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` after registering the citations it records."""
    citations.register(*[k for k in ds.attrs.get("citation_keys", "").split(", ") if k])
    return ds


def given_memory(memory, acc) -> xr.Dataset:
    """A bank handed in by the caller: a Memory, its figures, or an Array whose bitcell
    builds the bank (the circuit layer's live cell); checked against ``acc``."""
    if isinstance(memory, Array):
        return registered(weight_memory(acc, memory.bitcell).figures())
    if not isinstance(memory, (Memory, xr.Dataset)):
        raise TypeError(
            "array must be a spinaps.circuit.Memory, its figures() Dataset or an Array (whose bitcell builds the "
            f"memory) with hierarchy = 'memory', got {type(memory).__name__}"
        )
    ds = memory.figures() if isinstance(memory, Memory) else registered(memory.copy(deep=True))
    if "capacity_bytes" not in ds.attrs:
        raise ValueError(
            "the given figures are not a memory's (no capacity_bytes attribute): with hierarchy = 'memory' give a "
            "spinaps.circuit.Memory, its figures or an Array"
        )
    require(ds, MEMORY_SCHEMA, "the figures of spinaps.circuit.Memory")
    own = {"capacity_bytes": bank_capacity_bits(acc) // 8, "word_bits": acc.memory.access_bits}
    for name, value in own.items():
        if int(ds.attrs[name]) != value:
            raise ValueError(f"the given memory has {name} = {ds.attrs[name]}; a bank of the accelerator has {value}")
    return ds


def _counts(text: str) -> int:
    """The product of an organisation attribute "r x c" (e.g. "8x1" -> 8)."""
    r, c = (int(x) for x in text.split("x"))
    return r * c


def memory_terms(ds: xr.Dataset, banks: int) -> dict:
    """What the accelerator takes from a bank's figures ``ds`` (module notes).

    Parameters
    ----------
    ds : xarray.Dataset
        :meth:`spinaps.circuit.Memory.figures` of one bank.
    banks : int
        Banks of the core.

    Returns
    -------
    dict
        ``area`` {array_cells, array_periphery, memory_routing} [m^2] of all banks;
        ``read_energy`` {array_read, memory_routing} [J] per access; ``write_energy``
        [J] per access; ``read_latency`` [s]; ``leakage`` [W] of all banks powered;
        ``access_leakage`` [W] of what one access powers; ``n_arrays`` sub-arrays of
        all banks.
    """

    def parts(name):
        return {str(c): float(v) for c, v in zip(ds[f"{name}_component"].values, ds[f"{name}_breakdown"].values)}

    area, read, leak = parts("area"), parts("read_energy"), parts("leakage")
    routing_area = sum(area.get(c, 0.0) for c in ROUTING_COMPONENTS)
    cells = area["cells"]
    n_sub, n_active = _counts(ds.attrs["mats"]) * _counts(ds.attrs["subarrays"]), 0
    n_mats, n_active_mats = _counts(ds.attrs["mats"]), _counts(ds.attrs["active_mats"])
    n_active = n_active_mats * _counts(ds.attrs["active_subarrays"])
    pred, drivers = leak.get("predecoders", 0.0), leak.get("output_drivers", 0.0)
    sub_leak = float(ds.leakage) - pred - drivers
    return {
        "area": {
            "array_cells": banks * cells,
            "array_periphery": banks * (float(ds.area) - cells - routing_area),
            "memory_routing": banks * routing_area,
        },
        "read_energy": {
            "array_read": sum(v for c, v in read.items() if c not in ROUTING_COMPONENTS),
            "memory_routing": sum(read.get(c, 0.0) for c in ROUTING_COMPONENTS),
        },
        "write_energy": float(ds.write_energy),
        "read_latency": float(ds.read_latency),
        "leakage": banks * float(ds.leakage),
        "access_leakage": sub_leak * n_active / n_sub + pred * n_active_mats / n_mats + drivers,
        "n_arrays": banks * n_sub * int(ds.attrs["banks"]),
    }
