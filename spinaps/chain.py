"""The chain: one :class:`~spinaps.design.Design` through device -> circuit -> network ->
architecture -> report.

``Chain(design)`` has one method per step, each callable on its own and returning a
typed result; a step calls the steps it depends on.  Every step's result is cached on
disk under the user cache directory (:func:`spinaps.paths.user_cache_dir` ``/steps``),
keyed by a hash of exactly the design values it depends on and of the code
(:func:`code_id`), so a re-run with only a network or architecture value changed reuses
the device and circuit results, and an interrupted run resumes from the steps it finished.
:meth:`Chain.run` runs every step and writes an output folder
(:class:`spinaps.output.OutputFolder`): each step's Datasets as netCDF as soon as the
step is done, then the figures, the report (``report.md``, ``report.html``), the
resolved design (``design.toml``), ``summary.json``, ``citations.bib``, and finally the
manifest's status ``complete``.

Live objects travel between the layers: the circuit step's bitcell is built from the
design's device, its sub-arrays are the ones the accelerator is evaluated with, the
network's bits are the ones whose cells get their own devices.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import json
import os
import pathlib
import shutil
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from . import citations, steps, threads
from ._version import __version__
from .deprecation import renamed_fields
from .design import Design
from .output import OutputFolder, atomic_write
from .paths import user_cache_dir
from .threads import blas_limit

__all__ = [
    "Chain",
    "ChainResult",
    "StepResult",
    "CircuitResult",
    "NetworkResult",
    "run",
    "default_output_dir",
    "estimate_resources",
]


def default_output_dir() -> pathlib.Path:
    """``spinaps-output/run-YYYYmmdd-HHMMSS`` in the current directory.

    Returns
    -------
    pathlib.Path
        A relative path stamped with the local date and time (not created here).
    """
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return pathlib.Path("spinaps-output") / f"run-{stamp}"


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class StepResult:
    """The Datasets of one step, the cache key of its inputs and whether it came from the cache.

    Parameters
    ----------
    name : str
        The step: ``"device"``, ``"circuit"``, ``"training"``, ``"evaluation"`` (the
        result of :meth:`Chain.network`) or ``"architecture"``.
    key : str
        Cache key of the step (:meth:`Chain.keys`): 20 hexadecimal digits of a SHA-256
        of exactly the design values the step depends on and of the code.
    datasets : dict of str to xarray.Dataset
        The step's results by name, each with units, the study's seed
        (``study_seed``) and the design's fingerprint (``design_fingerprint``) in its
        attributes.
    cached : bool
        Whether every part of the step was read from the on-disk cache (default False).
    """

    name: str
    key: str
    datasets: dict
    cached: bool = False


@renamed_fields(t_write="t_pulse")
@dataclass(frozen=True)
class CircuitResult(StepResult):
    """The circuit step, with the live objects the next layers use: the MTJ bitcell at
    the write point, the MTJ and SRAM sub-arrays and the architecture's memory spec.

    The fields of :class:`StepResult` (``datasets``: ``bitcell_mtj``, ``array_mtj``,
    ``array_sram``), and:

    Parameters
    ----------
    name, key, datasets, cached
        As in :class:`StepResult`.
    bitcell : spinaps.circuit.MTJBitcell
        The 1T-1MTJ cell at the write point (write current and pulse of the design).
    arrays : dict of str to spinaps.circuit.Array
        The sub-arrays the accelerator is evaluated with, ``{"mtj": ..., "sram": ...}``.
    memory : spinaps.architecture.MemorySpec
        The MTJ weight arrays as the architecture layer describes them, with the chip's
        write pulse.

    Attributes
    ----------
    t_pulse : float [s]
        The chip's write pulse (``t_write``: deprecated alias, removed in the release
        :data:`spinaps.deprecation.REMOVED_IN`).
    """

    bitcell: object = None
    arrays: dict = field(default_factory=dict)
    memory: object = None

    @property
    def t_pulse(self) -> float:
        """float [s]: the chip's write pulse, as sized by the circuit step (the
        ``t_pulse`` of the ``bitcell_mtj`` Dataset)."""
        return float(self.datasets["bitcell_mtj"].t_pulse)


@dataclass(frozen=True)
class NetworkResult(StepResult):
    """The trained network (a :class:`spinaps.network.SNN` or
    :class:`spinaps.network.HiddenSNN`) and its evaluations.

    The result of :meth:`Chain.training` (``datasets``: ``ann``, the equivalent ANN's
    test accuracy) and of :meth:`Chain.network` (step ``"evaluation"``; ``datasets``:
    ``cell_faults``, ``network``, ``network_homogeneous``, ``network_nominal``,
    ``network_fault_free``).

    Parameters
    ----------
    name, key, datasets, cached
        As in :class:`StepResult`.
    model : spinaps.network.SNN or spinaps.network.HiddenSNN
        The trained network.
    """

    model: object = None


@dataclass(frozen=True)
class ChainResult:
    """Every step's results with the resolved design, seed, version and citations.

    Parameters
    ----------
    design : Design
        The resolved design that was run.
    steps : dict of str to StepResult
        The steps run, by name (``device``, ``circuit``, ``training``, ``evaluation``,
        ``architecture``), in this order.
    citations : list of str
        Citation keys of ``spinaps/references.bib`` of exactly the works the run
        relied on (:func:`spinaps.citations.used`).
    timings : dict of str to float [s]
        Wall-clock time of each step (a cached step: the time to load it), and after
        :meth:`Chain.run` of the ``sensitivity`` table and, in ``run.json``, of writing
        the ``report``.
    sensitivity : list of dict
        The sensitivity table (:meth:`Chain.sensitivity`): per assumption its ``key``,
        ``value``, ``units``, ``effect`` (text) and ``ratios``; empty when not computed.
    version : str
        The package version that produced the results.

    Attributes
    ----------
    datasets : dict of str to xarray.Dataset
        All Datasets of all steps by name.
    seed : int
        The study's seed, ``design.study.seed``.
    """

    design: Design
    steps: dict
    citations: list
    timings: dict
    sensitivity: list = field(default_factory=list)
    version: str = __version__

    @property
    def datasets(self) -> dict:
        """dict of str to xarray.Dataset: all Datasets of all steps by name."""
        return {name: ds for step in self.steps.values() for name, ds in step.datasets.items()}

    @property
    def seed(self) -> int:
        """int: the study's seed (``design.study.seed``), of every random stream."""
        return self.design.study.seed

    def summary(self) -> dict:
        """The key figures as plain numbers (also written as ``summary.json``).

        Returns
        -------
        dict
            JSON-ready: ``spinaps_version``, ``design_fingerprint``, ``seed``,
            ``design`` (its tables), ``timings_s`` [s] and ``citations``; and, for the
            steps run, ``device`` (``delta`` [-], ``ic0`` [A], ``tau_d`` [s], ``r_p``,
            ``r_ap`` [Ohm]), ``bitcell`` (``i_write_A``, ``t_pulse_s``,
            ``pulse_sizing``, the worst ``wer`` per direction [-], ``write_energy_J``,
            ``read_energy_J``, ``cell_area_f2``), ``pulse_for_wer_at_design_current_s``
            [s], ``accuracy_network``, ``accuracy_network_homogeneous``,
            ``accuracy_network_nominal``, ``accuracy_network_fault_free`` (``mean``,
            ``std``, ``p5``, ``worst`` over chips at the last deadline, ``chips``,
            ``deadlines`` and ``by_deadline``), ``accuracy_ann`` [-],
            ``architecture`` (area [m^2], power [W], energy per inference [J], GSOPS,
            GSOPS/W, pJ/SOP, GSOPS/W/mm^2 of the ``mtj`` and ``sram`` designs and their
            ``ratio_*``) and ``sensitivity``.
        """
        return _summary(self)

    def save(self, folder, *, complete=True) -> pathlib.Path:
        """Write everything to ``folder`` (see the module notes); returns the folder.

        Parameters
        ----------
        folder : path-like
            The output folder (created; it may hold only an earlier run of the same
            design).
        complete : bool
            Mark the folder ``complete`` (default) or ``incomplete`` in its manifest.

        Returns
        -------
        pathlib.Path
            The folder.

        Raises
        ------
        spinaps.output.OutputError
            If the folder cannot be used (an empty path, a file, a folder holding
            another design's results or files that are not a spinaps run's) or cannot
            be created.
        """
        out = OutputFolder(folder, self.design.fingerprint())
        out.start()
        _write_all(self, out, complete)
        return out.path


# ---------------------------------------------------------------------- the cache
class _Cache:
    """Step results on disk: one folder per (step, key), written whole or not at all."""

    def __init__(self, root):
        self.root = None if root is None else pathlib.Path(root)

    def folder(self, step, key):
        return None if self.root is None else self.root / f"{step}-{key}"

    def has(self, step, key):
        """Whether the step's result is in the cache (written whole)."""
        folder = self.folder(step, key)
        return folder is not None and (folder / "done").is_file()

    def load(self, step, key):
        folder = self.folder(step, key)
        if not self.has(step, key):
            return None
        datasets = {}
        for path in sorted(folder.glob("*.nc")):
            with xr.open_dataset(path, engine="h5netcdf") as ds:
                datasets[path.stem] = ds.load()
        meta = json.loads((folder / "done").read_text(encoding="utf-8"))
        citations.register(*meta.get("citations", []))  # the works the step relied on when computed
        return datasets, meta, folder

    def store(self, step, key, datasets, meta=None, extra=None):
        """Write a step's Datasets (and ``extra``: name -> writer(path)) atomically."""
        folder = self.folder(step, key)
        if folder is None:
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = pathlib.Path(tempfile.mkdtemp(dir=self.root, prefix=f".{step}-{key}."))
        except OSError as err:
            warnings.warn(
                f"step cache {self.root} is not writable ({err.strerror}); results are not cached", stacklevel=3
            )
            self.root = None
            return
        try:
            for name, ds in datasets.items():
                ds.to_netcdf(tmp / f"{name}.nc", engine="h5netcdf")
            for name, writer in (extra or {}).items():
                writer(tmp / name)
            (tmp / "done").write_text(json.dumps(meta or {}), encoding="utf-8")
            if folder.exists():
                if (folder / "done").is_file():
                    return  # another process stored the same step meanwhile: keep its copy
                shutil.rmtree(folder)  # a leftover without "done" (never complete)
            try:
                os.replace(tmp, folder)
            except OSError:  # another process's copy arrived first
                pass
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@functools.cache
def code_id() -> str:
    """The package version and a hash of its Python sources and its literature tables
    (``data/literature/*.toml``, the numbers the models read): a step cached by another
    version of the code or of the tables -- a release or an edited editable install -- is
    never reused.

    Computed once per process (:func:`functools.cache`).

    Returns
    -------
    str
        ``"VERSION+HASH"``, HASH the first 12 hexadecimal digits of a SHA-256 of every
        ``.py`` file and literature table of the package (relative path and content).
    """
    h = hashlib.sha256()
    root = pathlib.Path(__file__).parent
    for path in sorted([*root.rglob("*.py"), *root.joinpath("data", "literature").glob("*.toml")]):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def _key(*parts) -> str:
    blob = json.dumps([code_id(), *parts], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def _file_hash(path) -> str:
    return hashlib.sha256(pathlib.Path(path).expanduser().read_bytes()).hexdigest()


# ---------------------------------------------------------------------- resources
def _available_memory() -> float:
    """Memory available to this process [bytes] (MemAvailable, else physical memory)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


#: Bytes per (chip, cell) [B] of the cell-by-cell faults: per-cell probabilities, the
#: faulty bits and their working copies (measured peak of the evaluation step, rounded
#: up: 78 B per cell for 60 chips of the default hidden-layer network, 6.2 GB).
BYTES_PER_CHIP_CELL = 80


def cell_memory_limit() -> float:
    """The most [B] the per-cell arrays of the chain's chips may take
    (:func:`spinaps.circuit.chip_cells`'s ``max_bytes``): their share
    (:data:`~spinaps.circuit.cells.BYTES_PER_CELL` of :data:`BYTES_PER_CHIP_CELL`) of
    the 80 % of the available memory that :func:`check_resources` allows a run."""
    from .circuit.cells import BYTES_PER_CELL

    return 0.8 * _available_memory() * BYTES_PER_CELL / BYTES_PER_CHIP_CELL


#: Bytes per device [B] of an LLGS ensemble (state, noise blocks, outputs; rounded up).
BYTES_PER_LLG_DEVICE = 400
#: LLGS device-steps per second [1/s] used for the time estimate (two cores, numba kernel;
#: benchmarks/results/llg_cmtj.json).
LLG_STEPS_PER_S = 5e7


#: (inputs, classes) of each data set's network.
_SHAPES = {"mnist": (784, 10), "digits": (64, 10), "har": (561, 6)}


def estimate_resources(design: Design) -> dict:
    """Peak memory [bytes] and the LLGS work [device-steps, s] the design asks for.

    Parameters
    ----------
    design : Design
        The design to estimate.

    Returns
    -------
    dict
        ``memory`` [B]: the largest of the cell-by-cell faults (``study.chips`` x the
        cells per chip x :data:`BYTES_PER_CHIP_CELL`), the LLGS ensemble
        (``study.llg_devices`` x :data:`BYTES_PER_LLG_DEVICE`) and the sampled ensemble
        (``study.variability_devices`` x 2000 B); ``cells_per_chip`` [-]: the weight
        bits of the network (10 x 784 x K x B for MNIST, 6 x 561 x K x B otherwise);
        ``llg_device_steps`` [-]: two ensembles of ``study.llg_devices`` devices over
        4 tau_d in steps of 1 ps; ``llg_seconds`` [s]: those at
        :data:`LLG_STEPS_PER_S`.

    Examples
    --------
    >>> est = estimate_resources(Design())
    >>> est["cells_per_chip"]
    125440
    """
    n = design.network
    inputs, classes = _SHAPES[n.dataset]
    if n.model == "hidden":
        cells = (inputs * n.n_basis_hidden + classes * n.n_basis) * n.n_hidden * n.weight_bits
    else:
        cells = classes * inputs * n.n_basis * n.weight_bits
    p = design.device.params().at_temperature(design.storage.temperature)
    llg_steps = 2 * design.study.llg_devices * 4.0 * float(p.tau_d) / 1e-12
    return {
        "memory": max(
            design.study.chips * cells * BYTES_PER_CHIP_CELL,
            design.study.llg_devices * BYTES_PER_LLG_DEVICE,
            design.study.variability_devices * 2000.0,
        ),
        "cells_per_chip": cells,
        "llg_device_steps": llg_steps,
        "llg_seconds": llg_steps / LLG_STEPS_PER_S,
    }


def check_resources(design: Design):
    """Refuse a design that would not fit in memory; warn of a very long run.

    Parameters
    ----------
    design : Design
        The design about to run (:func:`estimate_resources`).

    Raises
    ------
    ValueError
        If the estimated memory exceeds 80 % of the memory available to this process
        (``MemAvailable``, else the physical memory); the message gives both and the
        values of ``study.chips`` and ``study.llg_devices``.

    Warns
    -----
    UserWarning
        If the LLGS ensembles would take more than 600 s at
        :data:`LLG_STEPS_PER_S`.
    """
    est = estimate_resources(design)
    avail = _available_memory()
    if est["memory"] > 0.8 * avail:
        raise ValueError(
            f"study.chips / study.llg_devices: this design needs about {est['memory'] / 2**30:.3g} GiB "
            f"of memory; this machine has {avail / 2**30:.3g} GiB available (lower study.chips, now "
            f"{design.study.chips}, or study.llg_devices, now {design.study.llg_devices})"
        )
    if est["llg_seconds"] > 600:
        warnings.warn(
            f"study.llg_devices = {design.study.llg_devices}: the LLGS ensembles take about "
            f"{est['llg_device_steps']:.3g} device-steps, roughly {est['llg_seconds'] / 60:.0f} minutes",
            stacklevel=3,
        )


# ---------------------------------------------------------------------- the chain
def _kept(name):
    """Decorate the method of step ``name``: a second call returns the chain's result
    and registers again the works the first relied on (:meth:`Chain.run` resets the
    citation registry, and a kept result is neither recomputed nor reloaded)."""

    def decorate(method):
        @functools.wraps(method)
        def step(self):
            if name in self._done:
                citations.register(*self._cited.get(name, ()))
                return self._done[name]
            with citations.recording() as cited:
                result = method(self)
            self._cited[name] = cited
            return result

        return step

    return decorate


class Chain:
    """Run a :class:`Design` through every layer, step by step.

    One method per step, each callable on its own and returning a typed result; a step
    calls the steps it depends on, and every result is kept for the chain's lifetime
    (a second call returns it and registers again the works it relied on with
    :mod:`spinaps.citations`).  Results are cached on disk, keyed by
    :meth:`keys` (see the module notes); if the cache folder is not writable, a
    warning says so and the chain's results are no longer cached.

    Parameters
    ----------
    design : Design, optional
        Default: ``Design()``, the built-in default design.
    cache : bool
        Cache step results on disk (default True).
    cache_dir : path-like, optional
        Where (default ``user_cache_dir() / "steps"``).
    progress : bool
        Progress bars on the long steps.

    Attributes
    ----------
    design : Design
        The design the chain runs.
    progress : bool
        Whether the long steps show progress bars.
    timings : dict of str to float [s]
        Wall-clock time of each step run so far (and of the ``sensitivity`` table
        after :meth:`run`).
    on_step : callable or None
        Called with each finished :class:`StepResult` (set by :meth:`run` to write it).

    Raises
    ------
    TypeError
        If ``design`` is not a :class:`~spinaps.design.Design`.

    See Also
    --------
    run : a design through every step into an output folder, in one call.

    Examples
    --------
    >>> chain = Chain(Design().with_values({"circuit.node": 22}))   # doctest: +SKIP
    >>> chain.circuit().datasets["array_mtj"].read_energy          # doctest: +SKIP
    >>> result = chain.run("results/")                              # doctest: +SKIP
    """

    def __init__(self, design: Design | None = None, *, cache: bool = True, cache_dir=None, progress: bool = False):
        self.design = Design() if design is None else design
        if not isinstance(self.design, Design):
            raise TypeError(f"design must be a spinaps.Design, got {type(self.design).__name__}")
        self._cache = _Cache((pathlib.Path(cache_dir) if cache_dir else user_cache_dir() / "steps") if cache else None)
        self.progress = progress
        self._done: dict = {}
        self._cited: dict = {}  # step name -> the citation keys its result relied on
        self._keys: tuple | None = None  # (design, keys): computed once per design
        self._data = None
        self.timings: dict = {}
        self.on_step = None  # called with each finished StepResult (used by run() to write it)
        self._local = threading.local()  # .background: a step run ahead in its own thread

    # ------------------------------------------------------------ keys
    def keys(self) -> dict:
        """The cache key of every step (and of the device step's two parts): a hash of
        exactly the design values the step depends on and of the code (computed once per
        design: the model file is hashed once).

        Returns
        -------
        dict of str to str
            Keys (20 hexadecimal digits) of ``device_nominal`` (device, temperature,
            write current, seed, ``study.llg_devices``), ``variability`` (device,
            variability, temperature, write current and pulse, seed,
            ``study.variability_devices``), ``device`` (both), ``circuit`` (device,
            circuit, temperature, seed; and variability for ``worst_of_n`` sizing),
            ``training`` (network, the model file's SHA-256, seed) and ``evaluation``
            (training, circuit, variability, storage, study); each also hashes
            :func:`code_id`.

        Raises
        ------
        OSError
            If ``network.model_file`` can no longer be read.
        """
        if self._keys is None or self._keys[0] is not self.design:
            self._keys = (self.design, self._compute_keys())
        return self._keys[1]

    def _compute_keys(self) -> dict:
        d = self.design
        c = d.circuit
        current = {k: getattr(c, k) for k in ("i_write", "i_write_ic0")}
        pulse = {k: getattr(c, k) for k in ("t_pulse", "target_wer")}
        nominal = _key("device", d.device.to_dict(), d.storage.temperature, current, d.study.seed, d.study.llg_devices)
        spread = _key(
            "variability",
            d.device.to_dict(),
            d.variability.to_dict(),
            d.storage.temperature,
            current,
            pulse,
            d.study.seed,
            d.study.variability_devices,
        )
        circuit = _key(
            "circuit",
            d.device.to_dict(),
            c.to_dict(),
            d.storage.temperature,
            d.study.seed,
            d.variability.to_dict() if c.pulse_sizing == "worst_of_n" else None,
        )
        net = d.network.to_dict()
        if d.network.model_file is not None:
            net["model_file"] = _file_hash(d.network.model_file)
        training = _key("training", net, d.study.seed)
        evaluation = _key(
            "evaluation", training, circuit, d.variability.to_dict(), d.storage.to_dict(), d.study.to_dict()
        )
        return {
            "device_nominal": nominal,
            "variability": spread,
            "device": _key(nominal, spread),
            "circuit": circuit,
            "training": training,
            "evaluation": evaluation,
        }

    def _stamp(self, datasets: dict) -> dict:
        """The study's seed and the design's fingerprint on every Dataset of a step."""
        for ds in datasets.values():
            ds.attrs.update(study_seed=self.design.study.seed, design_fingerprint=self.design.fingerprint())
        return datasets

    def _finish(self, name, result, start):
        """Record a finished step: its time, its result, and hand it to ``on_step``."""
        self.timings[name] = time.perf_counter() - start
        self._done[name] = result
        if self.on_step is not None and not getattr(self._local, "background", False):
            self.on_step(result)  # a step run ahead is handed over by the thread that waits for it

    def _prepare_evaluation(self):
        """Build the evaluation's cell tables now (:func:`spinaps.steps.prepare_evaluation`)
        unless the evaluation step is in the cache; a failure is left for the step itself
        to report."""
        if self._cache.has("evaluation", self.keys()["evaluation"]):
            return
        try:
            steps.prepare_evaluation(self.design, self.circuit().bitcell)
        except Exception:  # noqa: BLE001 -- the evaluation step raises it with its context
            pass

    def _prerender_figures(self):
        """Draw the report's figures of the steps done so far into the figure cache
        (:func:`spinaps.report.render_figures`), so that the report reads them from
        there; a figure that also shows a later step's results is drawn again by the
        report (its cache entry names its inputs).  A failure is left for the report."""
        cache = self._figure_cache()
        if cache is None:
            return
        from .report import render_figures

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the report meets them again and warns
                render_figures(self._result([]).datasets, cache=cache)
        except Exception:  # noqa: BLE001 -- the report step raises it with its context
            pass

    def _training_ahead(self):
        """Start the training step ahead of the device and circuit steps; returns the
        function that waits for it and returns its result.

        With a step cache, the training is computed in a process of its own
        (:func:`_train_into_cache`: this design's :meth:`training`, which stores its
        result in the cache), so that the two share no interpreter lock; the waiting
        function then reads the step from the cache (its citations included).  If that
        process fails for any reason, the step is computed here (and raises here).
        Without a cache, in a daemonic process (which may not start processes) or where
        no process can be started, it runs in a thread (:meth:`_ahead`).
        """
        if self._cache.root is None:
            return self._ahead("training")
        if self._cache.has("training", self.keys()["training"]):
            return self.training  # cached already: nothing to compute ahead
        import multiprocessing

        if multiprocessing.current_process().daemon:  # e.g. a pool's worker: it may not start processes
            return self._ahead("training")
        ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited threads or locks
        process = ctx.Process(
            target=_train_into_cache,
            args=(self.design.to_toml(comments=False), str(self._cache.root)),
            name="spinaps-training",
            daemon=True,  # an interrupted run does not wait for it
        )
        start = time.perf_counter()
        try:
            process.start()
        except OSError:  # no process could be started (resources): train in a thread instead
            return self._ahead("training")

        def wait():
            try:
                while process.is_alive():
                    process.join(0.1)  # short joins keep Ctrl-C responsive
            finally:
                if process.is_alive():
                    process.terminate()
            result = self.training()  # from the cache, or computed here if the process failed
            if result.cached:  # computed by this run, in the training process
                result = self._done["training"] = dataclasses.replace(result, cached=False)
            self.timings["training"] = time.perf_counter() - start  # its wall-clock time, started ahead
            return result

        return wait

    def _ahead(self, name):
        """Start step ``name`` in a daemon thread; returns the function that waits for it,
        hands its result to ``on_step`` and returns it (or raises what the step raised).

        :meth:`run` computes the training (mostly one core of numpy) while the device and
        circuit steps (Fokker--Planck solves in their own thread pools) run: their
        citation records are per thread (:mod:`spinaps.citations`), and the BLAS thread
        limit is set once around the run.  The thread is a daemon, so an interrupted run
        does not wait for it.
        """
        box = {}

        def target():
            self._local.background = True
            try:
                box["result"] = getattr(self, name)()
            except BaseException as err:  # handed to the waiting thread
                box["error"] = err

        thread = threading.Thread(target=target, name=f"spinaps-{name}", daemon=True)
        thread.start()

        def wait():
            while thread.is_alive():
                thread.join(0.1)  # short joins keep Ctrl-C responsive
            if "error" in box:
                raise box["error"]
            if self.on_step is not None:
                self.on_step(box["result"])
            return box["result"]

        return wait

    def _figure_cache(self):
        """(folder, key) of the report's figure images beside the step cache, the key a
        hash of every step's key and the whole design (``None`` without a cache)."""
        if self._cache.root is None:
            return None
        return self._cache.root / "figures", _key("figures", self.keys(), self.design.to_dict())

    def _load_or_compute(self, part, compute, blas=True) -> tuple[dict, bool]:
        """A cached part's Datasets, or ``compute()``'s (inside :func:`blas_limit` if
        ``blas``), stored; and whether cached."""
        key = self.keys()[part]
        hit = self._cache.load(part, key)
        if hit is not None:
            return hit[0], True
        with citations.recording() as used, blas_limit() if blas else contextlib.nullcontext():
            datasets = compute()
        self._cache.store(part, key, datasets, {"citations": used})
        return datasets, False

    def _step(self, name, compute, cls=StepResult, parts=None, blas=True, **live):
        """Run (or load) step ``name``, made of cached ``parts`` (name -> compute;
        default: one part, the step itself); ``blas``: the step's numpy products are
        worth the BLAS thread limit (the device and circuit steps leave it alone, so
        that they can run beside the training)."""
        if name in self._done:
            return self._done[name]
        start = time.perf_counter()
        datasets, cached = {}, True
        for part, part_compute in (parts or {name: compute}).items():
            ds, hit = self._load_or_compute(part, part_compute, blas)
            datasets.update(ds)
            cached = cached and hit
        result = cls(name=name, key=self.keys()[name], datasets=self._stamp(datasets), cached=cached, **live)
        self._finish(name, result, start)
        return result

    # ------------------------------------------------------------ steps
    @_kept("device")
    def device(self) -> StepResult:
        """Device-layer results: the nominal device (:func:`spinaps.steps.device_step`) and
        the spread of a sampled ensemble (:func:`spinaps.steps.variability_step`), cached
        apart so that a change of the variability or of the write pulse recomputes only
        the spread.

        Returns
        -------
        StepResult
            Step ``"device"``, Datasets ``device_properties``, ``switching_map``,
            ``wer_map``, ``pulse_for_wer`` (per direction and target WER, at the
            design's write current and torque form), ``llg_ensemble`` (1.5 and 2 I_c0),
            ``retention``, ``read_disturb`` and ``variability`` (the spread of Delta,
            I_c0, R_P, R_AP and of the WER at the write point over
            ``study.variability_devices`` devices).

        References
        ----------
        The works the step's models rely on are registered with
        :mod:`spinaps.citations`, among them (citation keys) ``Sun2000`` and
        ``Julliere1975`` (device properties), ``Brown1963``, ``GarciaPalacios1998`` and
        ``Sun2000`` (the stochastic LLG ensemble) and ``Nelsen2006`` (correlated
        spreads); each Dataset lists its own in ``citation_keys``.
        """
        return self._step(
            "device",
            None,
            parts={
                "device_nominal": lambda: steps.device_step(self.design, self.progress),
                "variability": lambda: steps.variability_step(self.design),
            },
            blas=False,
        )

    @_kept("circuit")
    def circuit(self) -> CircuitResult:
        """The bitcell at the write point and the MTJ/SRAM sub-arrays (built once).

        The write pulse is ``circuit.t_pulse``, or sized for ``circuit.target_wer`` in
        the worse write direction (for the nominal device, or for the worst cell of a
        sub-array with ``pulse_sizing = "worst_of_n"``).  From the cache, the live
        objects are rebuilt from the design with the cached pulse (no re-sizing).

        Returns
        -------
        CircuitResult
            Step ``"circuit"``, Datasets ``bitcell_mtj``, ``array_mtj``,
            ``array_sram``, and the live bitcell, sub-arrays and memory spec.

        References
        ----------
        Registered with :mod:`spinaps.citations` by the circuit models (citation keys):
        ``Dong2012`` (NVSim), ``Balasubramonian2017`` (CACTI 7), ``SakuraiNewton1990``
        (the access transistor) and ``Pelgrom1989`` (sense-amplifier mismatch), with
        the device works of the write error rates.
        """
        if "circuit" in self._done:
            return self._done["circuit"]
        key = self.keys()["circuit"]
        hit = self._cache.load("circuit", key)
        built = {}

        def compute():
            built.update(steps.circuit_step(self.design))
            return built["datasets"]

        if hit is not None:
            t_pulse = float(hit[0]["bitcell_mtj"].t_pulse)  # the cached pulse: no re-sizing
            memory = steps.memory_spec(self.design, "mtj", t_pulse)
            node = self.design.circuit.node
            live = {
                "memory": memory,
                "arrays": {"mtj": memory.array(node), "sram": steps.memory_spec(self.design, "sram").array(node)},
            }
        else:
            live = {}
        result = self._step("circuit", compute, CircuitResult, blas=False, **live)
        if built:
            result = dataclasses.replace(
                result, bitcell=built["bitcell"], arrays=built["arrays"], memory=built["memory"]
            )
        else:
            result = dataclasses.replace(result, bitcell=result.arrays["mtj"].bitcell)
        self._done["circuit"] = result
        return result

    def data(self):
        """The design's data set as (x_train, y_train, x_test, y_test).

        Loaded once per chain (``network.dataset``, ``network.data_path``, limited to
        ``network.train_samples`` / ``network.test_samples``); every call re-registers
        the data set's citation.

        Returns
        -------
        tuple of numpy.ndarray
            ``x_train`` (samples, inputs), ``y_train`` (samples,), ``x_test``,
            ``y_test``.
        """
        if self._data is None:
            with citations.recording() as used:
                self._data = steps.load_data(self.design)
            self._data_citations = used
        citations.register(*self._data_citations)  # every step that uses the data cites it
        return self._data

    @_kept("training")
    def training(self) -> NetworkResult:
        """The trained network (cached as an .npz file) and the equivalent ANN.

        Float training, then quantisation-aware fine-tuning at ``network.weight_bits``
        with the design's recipe (or ``network.model_file``, checked against the
        design); the equivalent ANN is a logistic regression on the same inputs.

        Returns
        -------
        NetworkResult
            Step ``"training"``, Dataset ``ann`` (its test accuracy [-]) and the
            trained :class:`~spinaps.network.SNN` (or :class:`~spinaps.network.HiddenSNN`
            with ``network.model = "hidden"``).

        Raises
        ------
        ValueError
            If ``network.model_file`` holds a network whose ``n_steps``, ``tau``,
            ``n_basis``, ``weight_bits``, ``code``, inputs (and for the hidden-layer
            network ``n_hidden``, ``n_basis_hidden``) differ from the design's, or is not
            a model file of ``network.model``.

        References
        ----------
        * A. Bagheri, O. Simeone, B. Rajendran, "Training probabilistic spiking neural
          networks with first-to-spike decoding", ICASSP 2018 (citation key
          ``Bagheri2018``).
        """
        if "training" in self._done:
            return self._done["training"]
        key = self.keys()["training"]
        start = time.perf_counter()
        hit = self._cache.load("training", key)
        if hit is not None:
            model = steps.model_class(self.design).load(hit[2] / "model.npz")
            result = NetworkResult("training", key, self._stamp(hit[0]), cached=True, model=model)
        else:
            with citations.recording() as used, blas_limit():
                model, ann = steps.training_step(self.design, self.data(), self.progress)
            result = NetworkResult("training", key, self._stamp({"ann": ann}), model=model)
            self._cache.store(
                "training",
                key,
                result.datasets,
                {"citations": used},
                extra={"model.npz": lambda p: _save_model(model, p)},
            )
        self._finish("training", result, start)
        return result

    @_kept("evaluation")
    def network(self) -> NetworkResult:
        """Accuracy over chips: cell by cell with variability, homogeneous with the same
        mean error probabilities, fault free (:func:`spinaps.steps.evaluation_step`).

        Returns
        -------
        NetworkResult
            Step ``"evaluation"``: Datasets ``cell_faults`` (the per-cell fault
            probabilities of ``study.chips`` chips), ``network`` (accuracy over those
            chips, per deadline), ``network_homogeneous`` (homogeneous chips with the
            same mean error probabilities), ``network_nominal`` (homogeneous chips of
            the nominal device) and ``network_fault_free``; and the model.

        References
        ----------
        * A. Bagheri, O. Simeone, B. Rajendran, ICASSP 2018 (citation key
          ``Bagheri2018``), with the device and circuit works of the cell faults.
        """
        model = self.training().model
        return self._step(
            "evaluation",
            lambda: steps.evaluation_step(self.design, model, self.data(), self.circuit().bitcell, self.progress),
            NetworkResult,
            model=model,
        )

    @_kept("architecture")
    def architecture(self) -> StepResult:
        """The accelerator in the circuit's cells (banks of memories built from the
        circuit step's bitcells, or its very sub-arrays with ``circuit.hierarchy =
        "subarray"``) against its SRAM equivalent.

        Driven by the activity measured on the chips with variability
        (:meth:`spinaps.architecture.Activity.from_evaluation`); not cached on disk (it
        takes about a second).

        Returns
        -------
        StepResult
            Step ``"architecture"``, Dataset ``architecture``: the figures of the MTJ
            and SRAM designs along ``design`` and their ``ratio_*``
            (:func:`spinaps.architecture.compare`).

        References
        ----------
        * A. V. Babu, O. Simeone, B. Rajendran, "SpinAPS: A High-Performance Spintronic
          Accelerator for Probabilistic Spiking Neural Networks", arXiv:2008.02189
          (2020) (citation key ``Babu2020``); with ``Horowitz2014``, ``Dong2012`` and
          ``Balasubramonian2017`` (see :func:`spinaps.architecture.figures`).
        """

        def compute():
            evaluation, circuit, model = self.network().datasets["network"], self.circuit(), self.training().model
            if circuit.memory.hierarchy == "memory":  # banks of memories of the very cells
                arrays = circuit.arrays["mtj"], circuit.arrays["sram"]
            else:
                arrays = circuit.datasets["array_mtj"], circuit.datasets["array_sram"]
            return {
                "architecture": steps.architecture_step(
                    self.design, circuit.memory, arrays, evaluation, model.n_inputs, model.n_classes
                )
            }

        if "architecture" in self._done:
            return self._done["architecture"]
        start = time.perf_counter()
        result = StepResult(
            "architecture",
            _key("architecture", self.keys(), self.design.architecture.to_dict()),
            self._stamp(compute()),
        )
        self._finish("architecture", result, start)
        return result

    def sensitivity(self) -> list:
        """The GSOPS/W/mm^2 ratio at other values of the assumptions that move it most.

        Returns
        -------
        list of dict
            One row per assumption of :data:`spinaps.steps.SENSITIVITY`: ``key``
            (dotted design key), ``value`` (the design's), ``units``, ``effect`` (text
            with the ratios) and ``ratios`` (``{value: MTJ / SRAM GSOPS/W/mm^2 ratio}``
            [-], everything else as designed, the write pulse kept).

        Notes
        -----
        The table is cached beside the steps (a JSON file keyed by every step's key and
        the whole design), so that a rerun of the same design does not recompute it.
        """
        model = self.training().model
        path = None
        if self._cache.root is not None:
            path = self._cache.root / f"sensitivity-{_key('sensitivity', self.keys(), self.design.to_dict())}.json"
            if path.is_file():
                stored = json.loads(path.read_text(encoding="utf-8"))
                citations.register(*stored["citations"])  # the works the table relied on when computed
                return [row | {"ratios": dict(row["ratios"])} for row in stored["rows"]]
        with citations.recording() as used:
            rows = steps.sensitivity(
                self.design, self.circuit().t_pulse, self.network().datasets["network"], model.n_inputs, model.n_classes
            )
        if path is not None:
            text = json.dumps(
                {"rows": [row | {"ratios": list(row["ratios"].items())} for row in rows], "citations": used}
            )
            try:
                self._cache.root.mkdir(parents=True, exist_ok=True)
                atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
            except OSError:
                pass  # an unwritable cache only costs the recomputation
        return rows

    # ------------------------------------------------------------ the whole run
    def run(self, output=None) -> ChainResult:
        """Run every step (each from the cache when it can) and, if ``output`` is given,
        write the output folder; returns the :class:`ChainResult`.

        The folder is checked before any work starts; each step's Datasets are written
        as soon as it finishes, the folder is marked complete only at the end, and an
        interrupted run leaves it marked ``interrupted`` with a report saying so.

        Parameters
        ----------
        output : path-like, optional
            The output folder (see the module notes); ``None``: nothing is written.

        Returns
        -------
        ChainResult
            Every step's results, with the sensitivity table.

        Raises
        ------
        spinaps.output.OutputError
            If the output folder cannot be used (checked before any work).
        ValueError
            If the design would not fit in memory (:func:`check_resources`).
        Exception
            Whatever a step raises, after the folder has been marked ``failed`` (or
            ``interrupted`` on :class:`KeyboardInterrupt`) and a partial report written.

        Warns
        -----
        UserWarning
            If the LLGS ensembles would take more than 10 minutes.

        Notes
        -----
        The citation registry is reset when the run starts, and
        :attr:`ChainResult.citations` lists (by key, alphabetically) the works registered
        by the steps afterwards, also by the steps this chain had already done (they
        register the works of their kept results again).

        The training step runs in a thread of its own while the device and circuit
        steps run (it needs neither), so on a multi-core machine the run takes about the
        longer of the two rather than their sum; the step timings are each step's own
        wall-clock time.
        """
        folder = None
        if output is not None:
            folder = OutputFolder(output, self.design.fingerprint())
        check_resources(self.design)
        citations.reset()
        if folder is not None:
            folder.start()
            folder.write_text("design.toml", self.design.to_toml(comments=False))
            self.on_step = lambda step: [folder.write_dataset(n, ds) for n, ds in step.datasets.items()]
        names = ("device", "circuit", "training", "network", "architecture")
        bar = _progress(len(names) + 1, self.progress)
        self.keys()  # once, before the training starts ahead
        try:
            with blas_limit():
                ahead = {"training": self._training_ahead()} if "training" not in self._done else {}
                # while the training runs ahead it takes one of the package's threads
                n_beside = max(1, threads.get_threads() - 1)
                for name in names:
                    bar.set_description(f"spinaps: {name}")
                    with threads.limit(n_beside if "training" in ahead else None):
                        if name not in ahead:
                            getattr(self, name)()
                        else:  # while the training still runs
                            self._prepare_evaluation()
                            if folder is not None:
                                self._prerender_figures()
                    if name in ahead:
                        ahead.pop(name)()
                    bar.update()
                bar.set_description("spinaps: sensitivity")
                start = time.perf_counter()
                sens = self.sensitivity()
                self.timings["sensitivity"] = time.perf_counter() - start
                bar.update()
        except BaseException as err:
            if folder is not None:
                status = "interrupted" if isinstance(err, KeyboardInterrupt) else "failed"
                folder.mark(status, error=f"{type(err).__name__}: {err}")
                partial = self._result([])
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _write_report(partial, folder, complete=False, figure_cache=self._figure_cache())
            raise
        finally:
            bar.close()
            self.on_step = None
        result = self._result(sens)
        if folder is not None:
            _write_all(result, folder, complete=True, datasets_written=True, figure_cache=self._figure_cache())
        return result

    def result(self) -> ChainResult:
        """The :class:`ChainResult` of the steps run so far (no sensitivity table).

        Returns
        -------
        ChainResult
            The steps already done, the citations registered so far and the timings.
        """
        return self._result([])

    def _result(self, sens) -> ChainResult:
        order = ("device", "circuit", "training", "evaluation", "architecture")
        return ChainResult(
            design=self.design,
            steps={n: self._done[n] for n in order if n in self._done},
            citations=sorted(citations.used()),  # steps may finish in either order (run() trains ahead)
            timings=dict(self.timings),
            sensitivity=sens,
        )


def _train_into_cache(design_toml: str, cache_dir: str) -> None:
    """The training step of a design, computed into the step cache ``cache_dir`` (the
    body of the process :meth:`Chain._training_ahead` starts)."""
    Chain(Design.from_toml_text(design_toml), cache_dir=cache_dir).training()


def _save_model(model, path):
    model.save(path)
    produced = pathlib.Path(str(path) + ".npz")  # numpy appends .npz to a name without it
    if produced.exists():
        os.replace(produced, path)


def _progress(total, show):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not show, unit="step")


# ---------------------------------------------------------------------- writing
def _write_all(
    result: ChainResult, folder: OutputFolder, complete: bool, datasets_written: bool = False, figure_cache=None
):
    d = result.design
    if not datasets_written:
        folder.write_text("design.toml", d.to_toml(comments=False))
        for name, ds in result.datasets.items():
            folder.write_dataset(name, ds)
    training = result.steps.get("training")
    if training is not None:
        atomic_write(folder.path / "network_model.npz", lambda p: _save_model(training.model, p))
    folder.write_text("citations.bib", citations.bibtex(result.citations))
    folder.write_text("summary.json", json.dumps(result.summary(), indent=2, default=float))
    start = time.perf_counter()
    _write_report(result, folder, complete, figure_cache)
    result.timings["report"] = time.perf_counter() - start
    folder.mark("complete" if complete else "incomplete", timings=result.timings)


def _write_report(result: ChainResult, folder: OutputFolder, complete: bool, figure_cache=None):
    from .report import write_report

    write_report(
        folder.path,
        datasets=result.datasets,
        design_toml=result.design.to_toml(comments=False),
        assumptions=result.sensitivity or _fixed_assumptions(result.design),
        citations=citations.format_citations(result.citations).split("\n") if result.citations else [],
        complete=complete,
        title=f"spinaps run (design {result.design.fingerprint()})",
        figure_cache=figure_cache,
    )


def _fixed_assumptions(design) -> list:
    return [
        {"key": key, "value": design.value(key), "units": units, "effect": why}
        for key, _, units, why in steps.SENSITIVITY
    ]


def _scalar(ds, name, **sel):
    da = ds[name]
    return float(da.sel(**sel)) if sel else float(da)


def _accuracy_stats(ds) -> dict:
    """Mean, std, 5th percentile and worst over chips of the final accuracy, and of the
    accuracy at every deadline (lists by deadline)."""
    acc = ds.accuracy.transpose("chip", "deadline").values
    stats = {
        "mean": acc.mean(axis=0),
        "std": acc.std(axis=0),
        "p5": np.percentile(acc, 5, axis=0),
        "worst": acc.min(axis=0),
    }
    return {
        **{k: float(v[-1]) for k, v in stats.items()},
        "chips": int(acc.shape[0]),
        "deadlines": [int(d) for d in ds.deadline.values],
        "by_deadline": {k: [float(x) for x in v] for k, v in stats.items()},
    }


def _summary(result: ChainResult) -> dict:
    d, data = result.design, result.datasets
    out = {
        "spinaps_version": result.version,
        "design_fingerprint": d.fingerprint(),
        "seed": d.study.seed,
        "design": d.to_dict(),
        "timings_s": result.timings,
        "citations": result.citations,
    }
    if "device_properties" in data:
        p = data["device_properties"]
        out["device"] = {k: _scalar(p, k) for k in ("delta", "ic0", "tau_d", "r_p", "r_ap")}
    if "bitcell_mtj" in data:
        b = data["bitcell_mtj"]
        out["bitcell"] = {
            "i_write_A": float(b.i_write),
            "t_pulse_s": float(b.t_pulse),
            "pulse_sizing": b.attrs.get("pulse_sizing", ""),
            "wer": {str(k): float(np.max(b.wer.sel(direction=k).values)) for k in b.direction.values},
            "write_energy_J": float(b.write_energy),
            "read_energy_J": float(np.max(b.read_energy)),
            "cell_area_f2": float(np.max(b.cell_area_f2)),
        }
    if "pulse_for_wer" in data:
        pw = data["pulse_for_wer"]
        i_w = pw.attrs.get("design_current")
        if i_w is not None:
            at = pw.t_pulse.sel(i_write=i_w, method="nearest")
            out["pulse_for_wer_at_design_current_s"] = {
                f"{float(t):g}": {str(dd): float(at.sel(target_wer=t, direction=dd)) for dd in pw.direction.values}
                for t in pw.target_wer.values
            }
    for name in ("network", "network_homogeneous", "network_nominal", "network_fault_free"):
        if name in data:
            out[f"accuracy_{name}"] = _accuracy_stats(data[name])
    if "ann" in data:
        out["accuracy_ann"] = float(data["ann"].accuracy)
    if "architecture" in data:
        a = data["architecture"]
        keys = ("area", "power", "energy_per_inference", "gsops", "gsops_per_w", "pj_per_sop", "gsops_per_w_per_mm2")
        out["architecture"] = {f"{kind}_{k}": float(a[k].sel(design=kind)) for kind in ("mtj", "sram") for k in keys}
        out["architecture"].update({f"ratio_{k}": float(a[f"ratio_{k}"]) for k in keys})
        if "layer_sops_per_inference" in a:  # a network of several layers
            out["architecture"]["layers"] = {
                str(layer): {
                    "sops_per_inference": float(a.layer_sops_per_inference.sel(layer=layer, design="mtj")),
                    **{
                        f"{kind}_dynamic_energy_J": float(a.layer_dynamic_energy.sel(layer=layer, design=kind))
                        for kind in ("mtj", "sram")
                    },
                }
                for layer in a.layer.values
            }
    if result.sensitivity:
        out["sensitivity"] = [
            {k: v for k, v in row.items() if k != "ratios"} | {"ratios": {str(a): b for a, b in row["ratios"].items()}}
            for row in result.sensitivity
        ]
    return out


def run(
    design: Design | None = None, output=None, *, cache: bool = True, cache_dir=None, progress: bool = True
) -> ChainResult:
    """Run ``design`` (default: the built-in default design) and write ``output``
    (default :func:`default_output_dir`); returns the :class:`ChainResult`.

    Parameters
    ----------
    design : Design, optional
        The study (default ``Design()``).
    output : path-like, optional
        The output folder (default :func:`default_output_dir`).
    cache : bool
        Use the on-disk step cache (default True).
    cache_dir : path-like, optional
        Where the steps are cached (default ``user_cache_dir() / "steps"``).
    progress : bool
        Progress bars (default True).

    Returns
    -------
    ChainResult
        Every step's results, also written to ``output``.

    Raises
    ------
    TypeError
        If ``design`` is not a :class:`~spinaps.design.Design`.
    spinaps.output.OutputError
        If the output folder cannot be used.
    ValueError
        If the design would not fit in memory.

    See Also
    --------
    Chain.run : the same, step by step.

    Examples
    --------
    >>> result = run(Design().with_values({"study.chips": 10}), "results/")  # doctest: +SKIP
    >>> result.summary()["accuracy_network"]["mean"]                        # doctest: +SKIP
    """
    return Chain(design, cache=cache, cache_dir=cache_dir, progress=progress).run(
        default_output_dir() if output is None else output
    )
