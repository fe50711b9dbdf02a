"""Sweeps: a design run over axes of any of its values, on Dask, into a resumable Zarr store.

A :class:`Sweep` is a base :class:`~spinaps.design.Design` and axes over its dotted keys:
outer-product axes (one dimension each) and zipped groups (several keys varied together
along one dimension), plus replicates (independent seeds per point).  Every point is the
base design with the point's values; it runs through :class:`~spinaps.chain.Chain`, whose
on-disk step cache shares the work of points that differ only downstream (a network
trained once per distinct network configuration, device and circuit results once per
distinct device and circuit).

Random streams: every replicate ``r`` uses ``study.seed`` = the r-th child of
``SeedSequence(sweep.seed)`` (replicate 0: the sweep seed itself; see
:meth:`Sweep.replicate_seed`), the same at every point of the sweep (common random numbers:
differences between points come from the swept values, not from noise).  A point's result
thus depends on its coordinates and the sweep seed only, whatever the scheduler, the
number of workers or the order in which points finish.

Execution: on a ``dask.distributed.LocalCluster`` of one worker process per core
(default), of ``workers`` processes, on a cluster at ``scheduler`` (an address or a
``Client``), or one point after another in this process (``scheduler="synchronous"``).
On a cluster the steps several points share (nominal device, circuit, trained network)
are tasks the points wait for, so each is computed once.  Workers return each point's
scalars to the driver, which writes them into the Zarr store as they arrive: one region per point,
values first, then its ``done`` flag, so a point whose write was interrupted is
recomputed.  Re-running a sweep against its store computes only the missing points; a
store of another sweep definition is refused.

TOML layout::

    [sweep]
    design = "d.toml"          # or an inline [design] table (absent: the default design)
    seed = 0
    replicates = 1
    chips = 100                # chip instances per point (study.chips of the base design)
    store = "sweep.zarr"

    [axes]                     # outer product, one dimension per key
    "variability.spread.diameter" = [0.0, 0.02, 0.04, 0.06]
    "circuit.t_pulse" = {geomspace = [5e-9, 50e-9, 8]}

    [zip.node]                 # one dimension "node", keys varied together
    "circuit.node" = [45, 28]
    "circuit.rows" = [512, 256]
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import os
import pathlib
import tomllib
import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

from . import threads
from ._version import __version__
from .design import Design, DesignError
from .params import check_int
from .provenance import annotate, finalize

__all__ = ["Sweep", "Axis", "sweep", "open_store", "METRICS"]

#: The scalars stored per point: name -> (path in ChainResult.summary(), units, long name).
METRICS = {
    "accuracy_mean": (("accuracy_network", "mean"), "1", "final accuracy, mean over chips with variability"),
    "accuracy_std": (("accuracy_network", "std"), "1", "final accuracy, std over chips with variability"),
    "accuracy_p5": (("accuracy_network", "p5"), "1", "final accuracy, 5th percentile over chips with variability"),
    "accuracy_worst": (("accuracy_network", "worst"), "1", "final accuracy, worst chip with variability"),
    "accuracy_homogeneous_mean": (
        ("accuracy_network_homogeneous", "mean"),
        "1",
        "final accuracy, mean over homogeneous chips with the same mean error rates",
    ),
    "accuracy_homogeneous_p5": (
        ("accuracy_network_homogeneous", "p5"),
        "1",
        "final accuracy, 5th percentile over homogeneous chips (same mean error rates)",
    ),
    "accuracy_nominal_mean": (
        ("accuracy_network_nominal", "mean"),
        "1",
        "final accuracy, mean over homogeneous chips of the nominal device",
    ),
    "accuracy_fault_free": (("accuracy_network_fault_free", "mean"), "1", "final accuracy without faults"),
    "accuracy_ann": (("accuracy_ann",), "1", "test accuracy of the equivalent ANN"),
    "t_pulse": (("bitcell", "t_pulse_s"), "s", "write pulse width"),
    "i_write": (("bitcell", "i_write_A"), "A", "write current"),
    "write_energy": (("bitcell", "write_energy_J"), "J", "write energy per bit"),
    "read_energy": (("bitcell", "read_energy_J"), "J", "read energy per bit"),
    "cell_area_f2": (("bitcell", "cell_area_f2"), "1", "MTJ cell area in F^2"),
    "wer_p_to_ap": (("bitcell", "wer", "p_to_ap"), "1", "write error rate of the nominal cell, P to AP"),
    "wer_ap_to_p": (("bitcell", "wer", "ap_to_p"), "1", "write error rate of the nominal cell, AP to P"),
    "gsops_mtj": (("architecture", "mtj_gsops"), "GSOP/s", "throughput, MTJ design"),
    "gsops_per_w_mtj": (("architecture", "mtj_gsops_per_w"), "GSOP/s/W", "GSOPS per watt, MTJ design"),
    "pj_per_sop_mtj": (("architecture", "mtj_pj_per_sop"), "pJ", "energy per SOP, MTJ design"),
    "gsops_per_w_per_mm2_mtj": (
        ("architecture", "mtj_gsops_per_w_per_mm2"),
        "GSOP/s/W/mm^2",
        "GSOPS/W/mm^2, MTJ design",
    ),
    "gsops_per_w_per_mm2_sram": (
        ("architecture", "sram_gsops_per_w_per_mm2"),
        "GSOP/s/W/mm^2",
        "GSOPS/W/mm^2, SRAM design",
    ),
    "ratio_gsops_per_w_per_mm2": (("architecture", "ratio_gsops_per_w_per_mm2"), "1", "GSOPS/W/mm^2 ratio MTJ / SRAM"),
}
#: Generated axes: {name = [start, stop, count]}.
_GENERATORS = {"linspace": np.linspace, "geomspace": np.geomspace, "logspace": np.logspace}
#: Most points of a sweep (and values of one generated axis).
MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class Axis:
    """One dimension of a sweep: ``name``, the dotted ``keys`` varied along it (one key,
    or several for a zipped group) and their ``values`` (a tuple per key).

    Parameters
    ----------
    name : str
        Name of the dimension: the dotted key of an outer-product axis, the group name
        of a zipped group (``[zip.NAME]``).
    keys : tuple of str
        The dotted design keys varied along the dimension.
    values : tuple of tuple
        The values of each key along the dimension, one tuple per key, in the key's
        units; all of the same length.

    Attributes
    ----------
    size : int
        Number of values along the dimension.

    Examples
    --------
    >>> Axis("node", ("circuit.node", "circuit.rows"), ((45, 28), (512, 256))).size
    2
    """

    name: str
    keys: tuple
    values: tuple

    @property
    def size(self) -> int:
        """int: the number of values along the dimension [-] (those of the first key)."""
        return len(self.values[0])


def _axis_values(key, spec):
    """A list of values from a list or a generator table {linspace|geomspace|logspace = [a, b, n]}."""
    if isinstance(spec, dict):
        if len(spec) != 1 or next(iter(spec)) not in _GENERATORS:
            raise DesignError(
                f"axes.{key}",
                f"{spec!r}: a list of values or one of {{{', '.join(_GENERATORS)} = [start, stop, count]}}",
            )
        ((name, args),) = spec.items()
        if not (
            isinstance(args, list)
            and len(args) == 3
            and isinstance(args[2], int)
            and 1 <= args[2] <= MAX_POINTS
            and all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args)
        ):
            raise DesignError(
                f"axes.{key}",
                f"{name} = {args!r}: expected [start, stop, count] with an integer count in [1, {MAX_POINTS}]",
            )
        if name == "geomspace" and (args[0] <= 0 or args[1] <= 0):
            raise DesignError(f"axes.{key}", f"geomspace = {args!r}: start and stop must be positive")
        return [float(v) for v in _GENERATORS[name](*args)]
    if not isinstance(spec, list):
        raise DesignError(f"axes.{key}", f"{spec!r}: a list of values or a generator table")
    if not spec:
        raise DesignError(f"axes.{key}", "an empty axis")
    return spec


@dataclass(frozen=True)
class Sweep:
    """A base design, its axes, the sweep seed and the replicates per point.

    Validated on construction, before any work: every key must be a design key and every
    value valid for it (the point's design is built), an axis may not be empty, an axis
    must change something, and zipped keys must have equal lengths.

    Parameters
    ----------
    base : Design
        The base design; every point is it with the point's values.
    axes : tuple of Axis
        The dimensions of the sweep (outer product of the axes; at least one).
    seed : int [-]
        The sweep seed, an integer >= 0 (default 0): ``study.seed`` of replicate 0 at
        every point, the other replicates' seeds derived from it
        (:meth:`replicate_seed`); it replaces the base design's ``study.seed``.
    replicates : int [-]
        Independent seeds per point, in [1, 1000] (default 1); more than one adds a
        ``replicate`` dimension.

    Attributes
    ----------
    dims : tuple of str
        Dimension names: the axes' names, then ``"replicate"`` when ``replicates > 1``.
    shape : tuple of int
        Their lengths.

    Raises
    ------
    TypeError
        If ``base`` is not a :class:`~spinaps.design.Design`.
    DesignError
        ``sweep.seed`` or ``sweep.replicates`` for a value not allowed; ``axes`` for no
        axis or more than 1,000,000 points; ``axes.NAME`` for a dimension name used
        twice (or ``"replicate"``), an empty axis or an axis whose every value equals
        the base design's; ``zip.NAME`` for zipped keys of unequal lengths; the dotted
        key of a value the design does not allow.

    Examples
    --------
    >>> sw = Sweep(Design(), (Axis("circuit.node", ("circuit.node",), ((45, 22),)),), replicates=2)
    >>> sw.dims, sw.shape
    (('circuit.node', 'replicate'), (2, 2))
    >>> sw.point((1, 0)).circuit.node
    22
    """

    base: Design
    axes: tuple
    seed: int = 0
    replicates: int = 1

    def __post_init__(self):
        if not isinstance(self.base, Design):
            raise TypeError(f"base must be a Design, got {type(self.base).__name__}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise DesignError("sweep.seed", f"{self.seed!r}: an integer >= 0")
        if (
            isinstance(self.replicates, bool)
            or not isinstance(self.replicates, int)
            or not 1 <= self.replicates <= 1000
        ):
            raise DesignError("sweep.replicates", f"{self.replicates!r}: an integer in [1, 1000]")
        if not self.axes:
            raise DesignError("axes", "a sweep needs at least one axis")
        n = int(np.prod([a.size for a in self.axes], dtype=float)) * self.replicates
        if n > MAX_POINTS:
            raise DesignError("axes", f"{n} points: at most 1,000,000")
        seen = set()
        for axis in self.axes:
            if axis.name in seen or axis.name == "replicate":
                raise DesignError(f"axes.{axis.name}", "a dimension name used twice (or 'replicate')")
            seen.add(axis.name)
            if len({len(v) for v in axis.values}) != 1:
                raise DesignError(f"zip.{axis.name}", "zipped keys must have the same number of values")
            if axis.size == 0:
                raise DesignError(f"axes.{axis.name}", "an empty axis")
            for key, values in zip(axis.keys, axis.values):
                for value in values:
                    self.base.with_values({key: value})  # a DesignError names the key
                if all(_same(self.base, key, v) for v in values):
                    raise DesignError(
                        f"axes.{key}",
                        f"every value equals the base design's {self.base.value(key)!r}: the axis changes nothing",
                    )

    # ------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: dict, root=None) -> Sweep:
        """From the TOML tables (see the module notes); ``root`` resolves a relative design path.

        Parameters
        ----------
        data : dict
            Tables ``sweep`` (keys ``design``, ``seed``, ``replicates``, ``chips``,
            ``store``; ``store`` is read by the command line, not here), ``design``
            (an inline base design), ``axes`` (dotted key = list of values or
            ``{linspace|geomspace|logspace = [start, stop, count]}``) and ``zip``
            (``NAME = {key = values, ...}``).  Absent design: the default design.
        root : path-like, optional
            Folder against which a relative ``sweep.design`` path is resolved (default:
            the current directory).

        Returns
        -------
        Sweep

        Raises
        ------
        DesignError
            For an unknown table or ``[sweep]`` key, a base design given both as a path
            and as a table, a bad ``sweep.chips``, an axis that is neither a list nor a
            generator table (``axes.KEY``; also for a key of a zipped group), a zipped
            group that is not a table (``zip.NAME``), and every check of the
            constructor and of :meth:`Design.from_toml`.

        Examples
        --------
        >>> sw = Sweep.from_dict({"axes": {"circuit.t_pulse": {"geomspace": [5e-9, 50e-9, 3]}}})
        >>> sw.shape
        (3,)
        """
        if not isinstance(data, dict):
            raise DesignError("sweep", "a sweep file must be a table")
        unknown = set(data) - {"sweep", "design", "axes", "zip"}
        if unknown:
            raise DesignError(sorted(unknown)[0], "unknown table; allowed: [sweep], [design], [axes], [zip.NAME]")
        head = dict(data.get("sweep", {}))
        bad = set(head) - {"design", "seed", "replicates", "store", "chips"}
        if bad:
            raise DesignError(f"sweep.{sorted(bad)[0]}", "unknown key; allowed: design, seed, replicates, chips, store")
        if "design" in head and "design" in data:
            raise DesignError("sweep.design", "give the base design as a path or as a [design] table, not both")
        if "design" in head:
            path = pathlib.Path(head["design"])
            base = Design.from_toml(path if path.is_absolute() or root is None else pathlib.Path(root) / path)
        else:
            base = Design.from_dict(data.get("design", {}))
        if "chips" in head:
            try:
                base = base.with_values({"study.chips": head["chips"]})
            except DesignError as err:
                raise DesignError("sweep.chips", str(err).split(": ", 1)[1]) from None
        axes = [Axis(key, (key,), (tuple(_axis_values(key, spec)),)) for key, spec in data.get("axes", {}).items()]
        for name, group in data.get("zip", {}).items():
            if not isinstance(group, dict) or not group:
                raise DesignError(f"zip.{name}", "a table of keys = lists of values")
            axes.append(Axis(name, tuple(group), tuple(tuple(_axis_values(k, v)) for k, v in group.items())))
        return cls(base, tuple(axes), seed=head.get("seed", 0), replicates=head.get("replicates", 1))

    @classmethod
    def from_toml(cls, path) -> Sweep:
        """Read a sweep file (layout in the module notes).

        Parameters
        ----------
        path : path-like
            The TOML file; a relative ``sweep.design`` path is resolved against its
            folder.

        Returns
        -------
        Sweep

        Raises
        ------
        DesignError
            ``sweep`` if ``path`` is not a file or not valid TOML; otherwise as
            :meth:`from_dict`.
        """
        path = pathlib.Path(path)
        if not path.is_file():
            raise DesignError("sweep", f"{str(path)!r} is not a file")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise DesignError("sweep", f"{path} is not valid TOML: {err}") from None
        return cls.from_dict(data, root=path.parent)

    # ------------------------------------------------------------ points
    @property
    def dims(self) -> tuple:
        """tuple of str: the dimension names, the axes' then ``"replicate"`` (if
        ``replicates > 1``)."""
        return tuple(a.name for a in self.axes) + (("replicate",) if self.replicates > 1 else ())

    @property
    def shape(self) -> tuple:
        """tuple of int: the length of each dimension of :attr:`dims` [-]."""
        return tuple(a.size for a in self.axes) + ((self.replicates,) if self.replicates > 1 else ())

    def replicate_seed(self, r: int) -> int:
        """study.seed of replicate r: the r-th child of SeedSequence(seed) (r = 0: ``seed`` itself).

        The same at every point of the sweep (common random numbers).

        Parameters
        ----------
        r : int [-]
            Index of the replicate, in [0, replicates).

        Returns
        -------
        int
            The seed [-]: ``seed`` for r = 0, else the first 64-bit word of the state of
            ``SeedSequence(seed).spawn(r + 1)[r]`` shifted right by one bit (a value in
            [0, 2^63), allowed for ``study.seed``).
        """
        if r == 0:
            return self.seed
        return int(np.random.SeedSequence(self.seed).spawn(r + 1)[r].generate_state(1, np.uint64)[0] >> 1)

    def point(self, index: tuple) -> Design:
        """The design of the point at ``index`` (one integer per dimension).

        Parameters
        ----------
        index : tuple of int
            One index per dimension of :attr:`dims` (the replicate last, if any).

        Returns
        -------
        Design
            The base design with the point's values and ``study.seed`` =
            :meth:`replicate_seed` of its replicate.

        Raises
        ------
        IndexError
            If an index is out of range.
        """
        values = {}
        for axis, i in zip(self.axes, index):
            values.update({key: vals[i] for key, vals in zip(axis.keys, axis.values)})
        r = index[len(self.axes)] if self.replicates > 1 else 0
        values["study.seed"] = self.replicate_seed(r)
        return self.base.with_values(values)

    def indices(self):
        """Every point's index.

        Returns
        -------
        list of tuple of int
            The indices of all points, the last dimension varying fastest.
        """
        return list(itertools.product(*(range(n) for n in self.shape)))

    def definition(self) -> dict:
        """The sweep as plain data (stored with its results).

        Returns
        -------
        dict
            ``base`` (the base design's tables), ``seed``, ``replicates`` and ``axes``
            (a list of ``{"name", "keys", "values"}``); JSON-ready.
        """
        return {
            "base": self.base.to_dict(),
            "seed": self.seed,
            "replicates": self.replicates,
            "axes": [{"name": a.name, "keys": list(a.keys), "values": [list(v) for v in a.values]} for a in self.axes],
        }

    def fingerprint(self) -> str:
        """The identity of the sweep, stored in its Zarr store.

        Returns
        -------
        str
            The first 20 hexadecimal digits of the SHA-256 of :meth:`definition` and of
            the package version; a store holding another fingerprint is refused.
        """
        blob = json.dumps({"version": __version__, **self.definition()}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:20]


def _same(design, key, value) -> bool:
    try:
        return design.with_values({key: value}) == design
    except DesignError:
        return False


# ---------------------------------------------------------------------- one point
def _task_threads():
    """Threads for a task on a Dask worker without ``SPINAPS_NUM_THREADS``: the worker's
    CPUs shared among its task slots; ``None`` (the setting as it is) otherwise."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return None
    if os.environ.get(threads.ENV, "").strip():
        return None  # spinaps.threads reads it
    return max(1, threads.available_cpus() // max(1, int(worker.state.nthreads)))


def run_point(design_toml: str, cache_dir=None) -> dict:
    """Run one point (a design as TOML text, so that it travels to any worker) and
    return its :data:`METRICS` as floats (NaN where absent).

    Runs the chain's steps (device, circuit, training, network, architecture) with the
    threads of the task (:mod:`spinaps.threads`), not the sensitivity table.

    Parameters
    ----------
    design_toml : str
        The point's design as TOML text (:meth:`Design.to_toml`).
    cache_dir : path-like, optional
        The chain's step cache (default the user cache directory).

    Returns
    -------
    dict of str to float
        ``{metric: value}`` for every name of :data:`METRICS`, in its units.
    """
    from .chain import Chain

    chain = Chain(Design.from_toml_text(design_toml), cache_dir=cache_dir)
    with threads.limit(_task_threads()):
        for step in ("device", "circuit", "training", "network", "architecture"):
            getattr(chain, step)()
    summary = chain.result().summary()
    out = {}
    for name, (path, _, _) in METRICS.items():
        node = summary
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        out[name] = float(node) if isinstance(node, (int, float)) else float("nan")
    return out


# ---------------------------------------------------------------------- the store
def _template(sw: Sweep) -> xr.Dataset:
    coords = {}
    for axis in sw.axes:
        if len(axis.keys) == 1:
            coords[axis.name] = annotate(
                xr.Variable(axis.name, np.asarray(axis.values[0])), _units(axis.keys[0]), axis.keys[0]
            )
        else:
            coords[axis.name] = annotate(xr.Variable(axis.name, np.arange(axis.size)), "1", "zipped group index")
            for key, vals in zip(axis.keys, axis.values):
                coords[key] = annotate(xr.Variable(axis.name, np.asarray(vals)), _units(key), key)
    if sw.replicates > 1:
        coords["replicate"] = annotate(xr.Variable("replicate", np.arange(sw.replicates)), "1", "replicate (seed)")
    shape = sw.shape
    data = {
        name: annotate(xr.Variable(sw.dims, np.full(shape, np.nan)), units, long_name)
        for name, (_, units, long_name) in METRICS.items()
    }
    data["done"] = annotate(xr.Variable(sw.dims, np.zeros(shape, dtype=bool)), "1", "point finished and written")
    ds = xr.Dataset(data, coords=coords)
    return finalize(
        ds,
        seed=sw.seed,
        sweep_fingerprint=sw.fingerprint(),
        sweep=json.dumps(sw.definition()),
        base_design=sw.base.to_toml(),
        random_streams="study.seed of replicate r at every point: the "
        "r-th child of SeedSequence(sweep seed) (common random numbers across points)",
    )


def _units(key):
    from .design import SECTIONS

    section, _, rest = key.partition(".")
    cls = SECTIONS.get(section)
    name = rest.split(".")[0]
    fields = {f.name: f for f in dataclasses.fields(cls)} if cls else {}
    meta = fields[name].metadata if name in fields else {}
    return meta.get("units") or ("1" if section == "variability" else "")


def open_store(path) -> xr.Dataset:
    """The results of a sweep store (readable while the sweep runs; see ``done``).

    Parameters
    ----------
    path : path-like
        The Zarr store.

    Returns
    -------
    xarray.Dataset
        Lazily loaded: the :data:`METRICS` and ``done`` (point finished and written)
        over the sweep's dimensions, with the swept keys as coordinates (a zipped group:
        its index and one coordinate per key) and the sweep's definition, fingerprint,
        seed and base design in the attributes.

    Raises
    ------
    FileNotFoundError
        If there is no store at ``path``.
    """
    return xr.open_zarr(path)


def _prepare_store(sw: Sweep, path):
    path = pathlib.Path(path)
    if path.exists():
        try:
            held = xr.open_zarr(path).attrs.get("sweep_fingerprint")
        except Exception as err:  # noqa: BLE001 - any unreadable store is refused the same way
            raise ValueError(f"store {str(path)!r} exists but is not a sweep store ({type(err).__name__})") from None
        if held != sw.fingerprint():
            raise ValueError(
                f"store {str(path)!r} holds another sweep (fingerprint {held}); this sweep is "
                f"{sw.fingerprint()}: choose a new store (a store is never mixed or overwritten)"
            )
        return
    template = _template(sw)
    chunks = {name: {"chunks": (1,) * len(sw.dims)} for name in template.data_vars}  # one chunk per point
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zarr 3: consolidated metadata is an extension
        template.to_zarr(path, mode="w-", encoding=chunks)  # numpy data: written here, not on a cluster


def _write_point(path, sw: Sweep, index, values):
    region = {d: slice(i, i + 1) for d, i in zip(sw.dims, index)}
    shape = (1,) * len(sw.dims)
    data = {name: (sw.dims, np.full(shape, values[name])) for name in METRICS}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        xr.Dataset(data).to_zarr(path, region=region, mode="r+")
        xr.Dataset({"done": (sw.dims, np.ones(shape, dtype=bool))}).to_zarr(path, region=region, mode="r+")


# ---------------------------------------------------------------------- running
def sweep(sw: Sweep, store, *, scheduler=None, workers=None, cache_dir=None, progress=True) -> xr.Dataset:
    """Run the missing points of ``sw`` into the Zarr ``store`` and return its results.

    Parameters
    ----------
    sw : Sweep
        The sweep.
    store : path-like
        The Zarr store (created; an existing store of the same sweep is resumed).
    scheduler : str or dask.distributed.Client, optional
        Where the points run: a cluster address (``"tcp://host:8786"``) or a client of a
        ``dask.distributed`` cluster; ``"synchronous"``: one after another in this
        process (Dask's name for it).  Default: a ``LocalCluster`` with one single-threaded
        worker process per core of this machine (:func:`spinaps.threads.get_threads`,
        at most one per point to run; in this process if one point or one core).
    workers : int, optional
        A ``LocalCluster`` of this many single-task worker processes, each point with
        CPUs // workers threads (:func:`spinaps.threads.get_threads` // workers,
        :mod:`spinaps.threads`; not with ``scheduler``).
    cache_dir : path-like, optional
        The chain's step cache (default the user cache directory); workers on other
        machines need it on a shared file system to share steps.
    progress : bool
        A progress bar of points done / total with the time left.

    Returns
    -------
    xarray.Dataset
        The store's results (:func:`open_store`), every point done.

    Raises
    ------
    TypeError
        If ``sw`` is not a :class:`Sweep`.
    ValueError
        If ``workers`` is not an integer >= 1 or is given with ``scheduler``, if
        ``scheduler`` is a string that is neither an address nor ``"synchronous"``, or
        if ``store`` exists and is not a store of this sweep (never mixed or
        overwritten).
    RuntimeError
        If the local Dask cluster cannot start (typically: a script without an
        ``if __name__ == "__main__":`` guard).

    Notes
    -----
    On a cluster the steps several points share are tasks of their own, which the points
    wait for: each distinct nominal device, circuit and trained network is computed once
    (:func:`shared_steps`), then the points use it from the step cache.

    Each point's values are written to the store as it arrives, then its ``done`` flag:
    an interrupted sweep run again computes only the points not done.  An exception of a
    point is raised here once the points before it have been written.

    Examples
    --------
    >>> sw = Sweep.from_toml("sweep.toml")                 # doctest: +SKIP
    >>> ds = sweep(sw, "spread.zarr", workers=2)           # doctest: +SKIP
    >>> ds.accuracy_p5.sel({"circuit.t_pulse": 5e-9}, method="nearest")  # doctest: +SKIP
    """
    if not isinstance(sw, Sweep):
        raise TypeError(f"sw must be a Sweep, got {type(sw).__name__}")
    if workers is not None:
        check_int("workers", workers, 1)
        if scheduler is not None:
            raise ValueError(f"workers = {workers} and scheduler = {scheduler!r}: give one of them")
    if isinstance(scheduler, str) and scheduler != "synchronous" and "://" not in scheduler:
        raise ValueError(
            f"scheduler = {scheduler!r}: a scheduler address such as 'tcp://host:8786', a "
            "dask.distributed.Client, or 'synchronous'"
        )
    _prepare_store(sw, store)
    with xr.open_zarr(store) as ds:
        done = ds["done"].values.copy()
    todo = [idx for idx in sw.indices() if not done[idx]]
    cache = None if cache_dir is None else str(cache_dir)
    bar = _bar(len(sw.indices()), int(done.sum()), progress)
    try:
        if todo:
            for index, values in _execute(sw, todo, scheduler, workers, cache):
                _write_point(store, sw, index, values)
                bar.update()
    finally:
        bar.close()
    return open_store(store)


def _bar(total, done, show):
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=done, disable=not show, unit="point", desc="sweep")


#: The steps points share, by the chain key that decides whether two points share them.
SHARED_STEPS = {"device": "device_nominal", "circuit": "circuit", "training": "training"}


def shared_steps(designs: dict) -> dict:
    """The steps several of ``designs`` (index -> Design) share.

    Parameters
    ----------
    designs : dict
        ``{index: Design}`` of the points to run.

    Returns
    -------
    dict
        ``{(step, key): [indices]}`` for every step of :data:`SHARED_STEPS` whose
        cache key (:meth:`spinaps.chain.Chain.keys`) two or more designs have in common.
    """
    from .chain import Chain

    groups: dict = {}
    for idx, design in designs.items():
        keys = Chain(design, cache=False).keys()
        for step, part in SHARED_STEPS.items():
            groups.setdefault((step, keys[part]), []).append(idx)
    return {k: v for k, v in groups.items() if len(v) > 1}


def run_step(design_toml: str, step: str, cache_dir=None) -> None:
    """Compute one step of a design into the step cache (a task the points wait for).

    Parameters
    ----------
    design_toml : str
        The design as TOML text.
    step : str
        A method of :class:`~spinaps.chain.Chain` (``"device"``, ``"circuit"``,
        ``"training"``).
    cache_dir : path-like, optional
        The step cache (default the user cache directory).
    """
    from .chain import Chain

    with threads.limit(_task_threads()):
        getattr(Chain(Design.from_toml_text(design_toml), cache_dir=cache_dir), step)()


def _run_after(design_toml, cache_dir, *after):
    """:func:`run_point`, once the tasks ``after`` (shared steps) have finished."""
    return run_point(design_toml, cache_dir)


def _local_cluster(workers):
    """A LocalCluster of ``workers`` single-task processes sharing this machine's CPUs.

    Each point uses CPUs // workers threads (``SPINAPS_NUM_THREADS``, and the same for
    BLAS and OpenMP), so that workers x threads never exceed the CPUs.  Dask's nanny
    would also set ``MALLOC_TRIM_THRESHOLD_``, which turns off glibc's dynamic mmap
    threshold: every large numpy temporary is then mapped and unmapped afresh, measured
    9 % slower per point than in the driver process (2 % without it); it is left unset."""
    import dask
    from dask.distributed import LocalCluster

    per_worker = str(max(1, threads.get_threads() // int(workers)))
    env = {
        threads.ENV: per_worker,
        "OMP_NUM_THREADS": per_worker,
        "OPENBLAS_NUM_THREADS": per_worker,
        "MKL_NUM_THREADS": per_worker,
    }
    try:
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            return LocalCluster(
                n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=None, env=env
            )
    except RuntimeError as err:  # typically: a script without a main guard, re-run by every worker
        raise RuntimeError(
            f"could not start a local Dask cluster of {workers} worker processes ({err}). In a "
            'script, call sweep() under `if __name__ == "__main__":` (each worker process '
            'imports the script again), or run in this process with scheduler="synchronous"'
        ) from err


def _execute(sw, todo, scheduler, workers, cache):
    """(index, values) of every point of ``todo`` as they finish."""
    designs = {idx: sw.point(idx) for idx in todo}
    tomls = {idx: d.to_toml() for idx, d in designs.items()}
    if scheduler is None and workers is None:
        cores = threads.get_threads()
        if cores > 1 and len(todo) > 1:
            workers = min(cores, len(todo))
        else:
            scheduler = "synchronous"
    if scheduler == "synchronous":
        for idx in todo:
            yield idx, run_point(tomls[idx], cache)
        return
    from dask.distributed import Client, as_completed

    own = []
    if isinstance(scheduler, Client):
        client = scheduler
    elif scheduler is not None:
        client = Client(scheduler)
        own.append(client)
    else:
        cluster = _local_cluster(workers)
        client = Client(cluster)
        own += [client, cluster]
    tag = f"sweep-{sw.fingerprint()[:10]}"
    try:
        after = {idx: [] for idx in todo}
        for (step, key), members in shared_steps(designs).items():
            task = client.submit(run_step, tomls[members[0]], step, cache, pure=False, key=f"{tag}-{step}-{key}")
            for idx in members:
                after[idx].append(task)
        futures = {
            client.submit(
                _run_after, tomls[idx], cache, *after[idx], pure=False, key=f"{tag}-point-{'-'.join(map(str, idx))}"
            ): idx
            for idx in todo
        }
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        for obj in own:
            obj.close()
