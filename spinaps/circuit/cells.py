"""Chip instances cell by cell: every cell its own device, hence its own error probabilities.

* :func:`chip_cells` -- ``n_chips`` chips whose cells hold given bits; every cell gets
  its own MTJ drawn from the design's device-to-device distribution around the nominal
  device of a :class:`~spinaps.circuit.MTJBitcell`, and with it its own write error
  probability (in the direction it is programmed in), retention failure probability,
  read-disturb probability per read and read decision error;
* :func:`homogeneous_cells` -- the comparison population: chips whose cells all carry
  the nominal device's probabilities, or the same *mean* probabilities (per direction
  and state) as a variable population;
* :class:`ChipCells` -- the per-cell arrays, with :meth:`ChipCells.dataset`, a per-chip
  summary as an ``xarray.Dataset``;
* :func:`chip_devices` -- one chip's devices and write conditions, cell by cell (the
  same streams as :func:`chip_cells`), to inspect or re-solve individual cells.

:meth:`spinaps.network.FaultModel.from_cells` turns a :class:`ChipCells` into the
network's cell faults.

Speed: no cell is solved on its own.  The Fokker-Planck solution depends on a device
only through the reduced variables (Delta, i, c, s = t / tau_D) (see
:mod:`spinaps.device.fokker_planck`); each probability is tabulated once per call on a
grid spanning the distribution's range and interpolated for every cell with
vectorised numpy in float32 (see :func:`chip_cells`, Notes).
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import xarray as xr
from scipy import special
from scipy.interpolate import make_interp_spline

from ..deprecation import renamed_fields, warn_renamed
from ..device import MTJParams, heating
from ..device import fokker_planck as fp
from ..device.switching import thermal_escape_time
from ..device.tools import STT_FORMS as _STT_FORMS
from ..device.variability import DISTRIBUTIONS, VARIABLE_FIELDS
from ..device.variability import cholesky as _cholesky
from ..device.variability import correlation_matrix as _correlation_matrix
from ..device.variability import couple_anisotropy as _couple_anisotropy
from ..device.variability import invalid_masks as _invalid_masks
from ..device.variability import marginal as _marginal
from ..device.variability import parse_spread as _parse_spread
from ..device.variability import too_many_invalid as _too_many_invalid
from ..params import check_choice, check_int, check_range
from ..provenance import annotate, finalize
from ..threads import get_threads
from .bitcell import DIRECTIONS, MTJBitcell

__all__ = [
    "chip_cells",
    "homogeneous_cells",
    "chip_devices",
    "ChipCells",
    "CYCLE_FIELDS",
    "READ_DISTURB_STATES",
    "MAX_RESULT_BYTES",
    "BYTES_PER_CELL",
    "Z_RANGE",
    "CHECK_FLOOR",
]

#: Cycle-to-cycle fields: the write current and the pulse width seen by one write
#: (``"t_write"`` is a deprecated name of ``"t_pulse"``).
CYCLE_FIELDS = ("i_write", "t_pulse")
_CYCLE_ALIASES = {"t_write": "t_pulse"}
#: The state the read current destabilises (as :attr:`spinaps.network.FaultModel.read_disturb_state`).
READ_DISTURB_STATES = ("ap", "p")
#: Bytes kept per cell and chip: five float32 arrays (wer, retention, read_disturb,
#: read_error, delta).
BYTES_PER_CELL = 20
#: Largest size of the per-cell result arrays of one call [bytes] (assumed: a budget
#: that leaves room on an 8 GB machine for the working blocks, the network's faulty
#: copies and the rest of a study).
MAX_RESULT_BYTES = 2 * 2**30
#: Cells processed at once (chips are grouped into blocks of at most this many cells,
#: at least one chip each); about 0.3 kB of working memory per cell and block (assumed:
#: about 150 MB per block, large enough for numpy to run at full speed).
BLOCK_CELLS = 2**19
#: The tables span mean +- Z_RANGE standard deviations of every reduced coordinate
#: (assumed: a Gaussian coordinate falls outside with probability 2e-9 per cell; such
#: cells, and any other outside the table, are solved directly).
Z_RANGE = 6.0
#: Widening of the standard deviations estimated from the pilot sample (assumed: 10 %
#: against the 1.1 % standard error of a standard deviation from 4096 draws and mild
#: non-Gaussian tails).
_SIGMA_MARGIN = 1.10
#: Pilot sample that sets the tables' ranges and check points: its size and its fixed
#: seed (assumed; the tables depend on the design only, never on ``seed`` or ``n_chips``).
_PILOT_N = 4096
#: Cells per pilot chip when chips have their own nominal device (chip_spread): 64
#: pilot chips of 64 cells (assumed).
_PILOT_CELLS = 64
_PILOT_SEED = 0x5A11_CE11
#: The self-check covers probabilities in [CHECK_FLOOR, 0.999]: the solver is validated
#: to 1 % down to 1e-15 (:func:`spinaps.device.write_error_rate`) and a probability
#: below 1e-20 gives less than 1e-10 expected faults in the largest population one call
#: can hold (1e8 cells); below it the table follows the solver's tail only roughly.
CHECK_FLOOR = 1e-20
#: Grid coordinates of each table and their coarse node spacing: u is Delta or ln Delta,
#: w is i or ln i, c the Slonczewski coefficient; (transform, step, relative) with the
#: step in the transformed coordinate, relative to the nominal value if ``relative``.
#: ln H is near-linear in Delta and quadratic in i in the thermal regime (read disturb,
#: retention: ln H ~ ln s - Delta (1 - i / (1 + c))^2), and smooth in (ln Delta, ln i)
#: across the thermal and precessional regimes of a write.  At least 4 nodes (cubic
#: splines) and at most _MAX_NODES per varying coordinate.  Chosen so the benchmark
#: design checks at about 1 % (assumed defaults; the self-check refines the grid once
#: when it fails).
_WRITE_SPEC = {"u": ("log", 0.3, False), "w": ("log", 0.2, False), "c": ("lin", 0.05, False)}
_SPECS = {
    "p_to_ap": _WRITE_SPEC,
    "ap_to_p": _WRITE_SPEC,
    "read_disturb": {"u": ("lin", 0.3, True), "w": ("lin", 0.25, True), "c": ("lin", 0.05, False)},
    "retention": {"u": ("lin", 0.15, True), "w": ("lin", 1.0, False), "c": ("lin", 0.05, False)},
}
_MIN_NODES, _MAX_NODES = 4, 25
#: Fine uniform grid the splines are sampled on, per coordinate, and the number of
#: reduced times solved (ln s); lookups are multilinear on this grid (assumed: its
#: linear-interpolation error stays below about 0.2 % at the benchmark design, a tenth
#: of the tolerance, for 4.3 MB per table).
_FINE_NODES = {"u": 65, "w": 129, "c": 17}
_S_NODES = 129
#: Cells outside the tables are solved directly; above this many a warning says so
#: (assumed: about 10 s of direct solves).
_DIRECT_WARN = 200
#: Tables of the last few designs, kept for repeated calls (a design's tables are a
#: pure function of the design and the distribution).
_TABLE_CACHE: dict = {}
#: What each table holds: the write's probability of staying, the read-disturb flip
#: probability, and the retention flip, which relaxes towards 1/2 (no current, no field).
_KINDS = {"p_to_ap": "stay", "ap_to_p": "stay", "read_disturb": "flip", "retention": "flip2"}
_TABLE_CACHE_SIZE = 8
#: The per-cell arrays of a ChipCells, each (n_chips,) + bits.shape.
_PER_CELL = ("wer", "retention", "read_disturb", "read_error", "delta")
_CITES = ("Brown1963", "Butler2012", "ScharfetterGummel1969", "Coffey1994", "Slonczewski2005", "Dong2012", "Nelsen2006")


# =========================================================================== result
@renamed_fields(t_write="t_pulse")
@dataclass(frozen=True, eq=False, repr=False)
class ChipCells:
    """Per-cell error probabilities of ``n_chips`` chip instances.

    Every per-cell array has shape ``(n_chips,) + bits.shape`` and dtype float32
    (relative precision 6e-8; probabilities below 1.4e-45 are stored as 0, which no
    population can tell from 0).  Build it with :func:`chip_cells` or
    :func:`homogeneous_cells`; :meth:`dataset` summarises it per chip and
    :meth:`spinaps.network.FaultModel.from_cells` turns it into the network's cell
    faults.

    Parameters
    ----------
    bits : ndarray of uint8, shape S
        The programmed values (1 = AP, 0 = P), the same on every chip.
    wer : ndarray (n_chips,) + S [1]
        Write error probability of the cell's write, in the direction it is programmed
        in (bit 1: P->AP, bit 0: AP->P).
    retention : ndarray [1]
        Probability that the stored state flips during ``t_storage``.
    read_disturb : ndarray [1]
        Flip probability per read while the cell is in ``read_disturb_state`` (the other
        state is not disturbed).
    read_error : ndarray [1]
        Read decision error in the programmed state (bit 1: AP read as P; bit 0: P read
        as AP).
    delta : ndarray [1]
        The cell's thermal stability factor Delta at ``temperature``.
    n_chips : int
        Number of chip instances.
    t_pulse, i_write : float [s], [A]
        The design's write pulse and current (before cycle-to-cycle jitter).
        ``t_write`` is the deprecated name of ``t_pulse``.
    t_storage, t_read, temperature : float [s], [s], [K]
        Storage time of the retention probability, read duration, and the temperature
        of every probability.
    spread, distribution, correlation, cycle_spread, chip_spread
        The device-to-device, cycle-to-cycle and chip-to-chip distribution (as given).
    seed : int or str
        The seed (a SeedSequence is recorded as text).
    read_disturb_state : {"ap", "p"}
        The state the read current destabilises.
    stt_form : str
        Spin-torque efficiency of the device model (``bitcell.stt_form``).
    nominal : mapping
        The nominal device's values: ``wer_p_to_ap``, ``wer_ap_to_p``, ``retention``,
        ``read_disturb``, ``read_error_p``, ``read_error_ap`` [1], ``delta`` [1],
        ``i_read_p``, ``i_read_ap``, ``i_ref`` [A].
    population : str
        What the cells are ("device-to-device variability", "homogeneous, nominal device",
        "homogeneous, same mean probabilities as ...").
    mtj : MTJParams
        The nominal device.
    table_max_rel_error : float [1]
        Largest relative error of the interpolation tables against direct solves at
        their check points (0 where no table was needed).
    n_direct : int
        Cells outside the tables, solved directly.

    Attributes
    ----------
    cell_shape : tuple of int
        Shape S of one chip's cells (``bits.shape``).
    n_cells : int
        Cells per chip (``bits.size``).

    Raises
    ------
    ValueError
        If a per-cell array does not have the shape ``(n_chips,) + bits.shape``.

    References
    ----------
    The probabilities follow the models cited by :func:`chip_cells` (Brown, Phys.
    Rev. 130, 1677 (1963); Butler et al., IEEE Trans. Magn. 48, 4684 (2012);
    Scharfetter and Gummel, IEEE Trans. Electron Devices 16, 64 (1969); Coffey et al.,
    Phys. Rev. E 49, 1869 (1994); Slonczewski, Phys. Rev. B 71, 024411 (2005); Dong et
    al., IEEE Trans. Comput.-Aided Des. 31, 994 (2012); Nelsen, *An Introduction to
    Copulas* (2006)); citation keys ``Brown1963``, ``Butler2012``,
    ``ScharfetterGummel1969``, ``Coffey1994``, ``Slonczewski2005``, ``Dong2012``,
    ``Nelsen2006``, recorded by :meth:`dataset`.
    """

    bits: np.ndarray
    wer: np.ndarray
    retention: np.ndarray
    read_disturb: np.ndarray
    read_error: np.ndarray
    delta: np.ndarray
    n_chips: int
    t_pulse: float
    i_write: float
    t_storage: float
    t_read: float
    temperature: float
    spread: Mapping
    distribution: str
    correlation: object
    cycle_spread: Mapping | None
    chip_spread: Mapping | None
    seed: object
    read_disturb_state: str
    stt_form: str
    nominal: Mapping
    population: str
    mtj: MTJParams
    table_max_rel_error: float = 0.0
    n_direct: int = 0

    def __post_init__(self):
        shape = (self.n_chips,) + self.bits.shape
        for name in _PER_CELL:
            value = getattr(self, name)
            if value.shape != shape:
                raise ValueError(
                    f"ChipCells.{name} has shape {value.shape}; expected (n_chips,) + bits.shape = {shape}"
                )

    @property
    def cell_shape(self) -> tuple:
        """Shape S of one chip's cells."""
        return self.bits.shape

    @property
    def n_cells(self) -> int:
        """Cells per chip."""
        return int(self.bits.size)

    def __repr__(self):
        return (
            f"ChipCells({self.population!r}, n_chips={self.n_chips}, cells per chip {self.cell_shape}, "
            f"t_pulse={self.t_pulse:.4g} s, i_write={self.i_write:.4g} A, t_storage={self.t_storage:.4g} s)"
        )

    def split(self, shapes) -> list:
        """The chips' cells as consecutive parts, e.g. the layers of a network whose
        flattened bit planes were concatenated into one chip's cells (so that a chip's
        chip-to-chip draw is shared by all its layers).

        Parameters
        ----------
        shapes : sequence of tuple of int
            The shape of each part; their sizes must add up to :attr:`n_cells`.

        Returns
        -------
        list of ChipCells
            One per shape, in order: the same chips and design point, the part's bits
            and per-cell arrays reshaped to ``shape`` (views where numpy can: a
            homogeneous population stays a broadcast view).

        Raises
        ------
        ValueError
            If the sizes of ``shapes`` do not add up to the cells per chip.

        Examples
        --------
        >>> import numpy as np
        >>> from spinaps.circuit import MTJBitcell, homogeneous_cells, technology
        >>> from spinaps.device import preset
        >>> mtj = preset("Ikeda2010")
        >>> bitcell = MTJBitcell(mtj, technology(28), i_write=1.5 * float(mtj.ic0), v_write=1.2, t_pulse=60e-9)
        >>> cells = homogeneous_cells(bitcell, np.ones(10, np.uint8), 2, t_storage=1.0)
        >>> [part.cell_shape for part in cells.split([(2, 3), (4,)])]
        [(2, 3), (4,)]
        """
        shapes = [tuple(int(n) for n in shape) for shape in shapes]
        sizes = [int(np.prod(shape)) for shape in shapes]
        if sum(sizes) != self.n_cells:
            raise ValueError(f"shapes {shapes} hold {sum(sizes)} cells; the chips have {self.n_cells} per chip")
        flat = {name: getattr(self, name).reshape(self.n_chips, -1) for name in _PER_CELL}
        bits = self.bits.reshape(-1)
        parts, start = [], 0
        for shape, size in zip(shapes, sizes):
            cut = slice(start, start + size)
            per_cell = {name: a[:, cut].reshape((self.n_chips, *shape)) for name, a in flat.items()}
            parts.append(dataclasses.replace(self, bits=bits[cut].reshape(shape), **per_cell))
            start += size
        return parts

    # ------------------------------------------------------------------ summary
    def dataset(self, quantiles=(0.5, 0.95, 0.99, 0.999)) -> xr.Dataset:
        """Per-chip summary of the cells' probabilities.

        Parameters
        ----------
        quantiles : sequence of float
            Probabilities in [0, 1] of the quantiles over a chip's cells (dimension
            ``quantile``; numpy's default linear interpolation).

        Returns
        -------
        xarray.Dataset
            For X in ``wer`` (dims chip, direction: the cells programmed in each
            direction), ``retention`` and ``read_error`` (chip, state: the cells
            programmed to each state) and ``read_disturb`` (chip: every cell, for its
            ``read_disturb_state``): ``X_mean``, ``X_max`` and ``X_quantile`` (with
            dim quantile) over the chip's cells; ``delta_mean``, ``delta_std`` (chip);
            ``cells`` (direction): cells per chip programmed in each direction; and the
            nominal device's values ``nominal_wer`` (direction), ``nominal_retention``,
            ``nominal_read_error`` (state), ``nominal_read_disturb``.  Coordinates:
            ``chip``, ``direction`` (p_to_ap = bit 1, ap_to_p = bit 0), ``state``
            (ap = bit 1, p = bit 0), ``quantile``.  Every variable and coordinate has
            ``units`` and ``long_name``; attrs record the seed, the distribution, the
            design point and the citations.

        Raises
        ------
        ValueError
            If ``quantiles`` is empty, not 1-D, or has a value outside [0, 1].

        References
        ----------
        Citation keys recorded in the attributes: ``Brown1963``, ``Butler2012``,
        ``ScharfetterGummel1969``, ``Coffey1994``, ``Slonczewski2005``, ``Dong2012``,
        ``Nelsen2006`` (see :func:`chip_cells`).
        """
        q = np.atleast_1d(np.asarray(quantiles, dtype=float))
        if q.ndim != 1 or q.size == 0:
            raise ValueError(f"quantiles must be a non-empty 1-D sequence, got shape {q.shape}")
        check_range("quantiles", q, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
        flat_bits = self.bits.reshape(-1)
        groups = {1: flat_bits == 1, 0: flat_bits == 0}
        n = self.n_chips

        def stats(values, mask):
            """(mean, max, quantiles) over the masked cells of each chip, float64."""
            x = values.reshape(n, -1)
            if mask is not None:
                if not np.any(mask):
                    nan = np.full(n, np.nan)
                    return nan, nan, np.full((n, q.size), np.nan)
                x = x[:, mask]
            return (
                x.mean(axis=1, dtype=np.float64),
                x.max(axis=1).astype(np.float64),
                np.quantile(x, q, axis=1).T.astype(np.float64),
            )

        data = {}

        def put(name, parts, dims, long_name):
            mean, mx, qu = parts
            data[f"{name}_mean"] = annotate(xr.Variable(dims, mean), "1", f"mean {long_name} over the chip's cells")
            data[f"{name}_max"] = annotate(xr.Variable(dims, mx), "1", f"largest {long_name} of the chip's cells")
            data[f"{name}_quantile"] = annotate(
                xr.Variable(dims + ("quantile",), qu), "1", f"quantiles of {long_name} over the chip's cells"
            )

        def by(values, keys):
            parts = [stats(values, groups[k]) for k in keys]
            return tuple(np.stack([p[j] for p in parts], axis=1) for j in range(3))

        put("wer", by(self.wer, (1, 0)), ("chip", "direction"), "write error probability")
        put(
            "retention",
            by(self.retention, (1, 0)),
            ("chip", "state"),
            f"retention failure probability over {self.t_storage:.4g} s",
        )
        put("read_error", by(self.read_error, (1, 0)), ("chip", "state"), "read decision error probability")
        put(
            "read_disturb",
            stats(self.read_disturb, None),
            ("chip",),
            f"read-disturb flip probability per read in the {self.read_disturb_state.upper()} state",
        )
        d = self.delta.reshape(n, -1)
        data["delta_mean"] = annotate(
            xr.Variable("chip", d.mean(axis=1, dtype=np.float64)),
            "1",
            "mean thermal stability factor Delta of the chip's cells",
        )
        data["delta_std"] = annotate(
            xr.Variable("chip", d.std(axis=1, dtype=np.float64)),
            "1",
            "standard deviation of Delta over the chip's cells",
        )
        data["cells"] = annotate(
            xr.Variable("direction", [int(groups[1].sum()), int(groups[0].sum())]),
            "1",
            "cells per chip programmed in each direction",
        )
        nom = self.nominal
        data["nominal_wer"] = annotate(
            xr.Variable("direction", [nom["wer_p_to_ap"], nom["wer_ap_to_p"]]),
            "1",
            "write error probability of the nominal device",
        )
        data["nominal_retention"] = annotate(
            xr.Variable((), nom["retention"]), "1", "retention failure probability of the nominal device"
        )
        data["nominal_read_error"] = annotate(
            xr.Variable("state", [nom["read_error_ap"], nom["read_error_p"]]),
            "1",
            "read decision error probability of the nominal device",
        )
        data["nominal_read_disturb"] = annotate(
            xr.Variable((), nom["read_disturb"]), "1", "read-disturb flip probability per read of the nominal device"
        )
        coords = {
            "chip": annotate(xr.Variable("chip", np.arange(n)), "1", "chip instance"),
            "direction": annotate(
                xr.Variable("direction", list(DIRECTIONS)), "1", "write direction (p_to_ap: bit 1, ap_to_p: bit 0)"
            ),
            "state": annotate(xr.Variable("state", ["ap", "p"]), "1", "programmed state (ap: bit 1, p: bit 0)"),
            "quantile": annotate(xr.Variable("quantile", q), "1", "probability of the quantile over cells"),
        }
        ds = xr.Dataset(data, coords=coords)
        return finalize(
            ds,
            params=self.mtj,
            seed=self.seed,
            cite=_CITES,
            population=self.population,
            n_chips=int(n),
            cells_per_chip=self.n_cells,
            t_pulse=float(self.t_pulse),
            i_write=float(self.i_write),
            t_storage=float(self.t_storage),
            t_read=float(self.t_read),
            temperature=float(self.temperature),
            stt_form=self.stt_form,
            spread=json.dumps(dict(self.spread)),
            distribution=self.distribution,
            correlation=_correlation_text(self.correlation),
            cycle_spread=json.dumps(dict(self.cycle_spread or {})),
            chip_spread=json.dumps(dict(self.chip_spread or {})),
            read_disturb_state=self.read_disturb_state,
            table_max_rel_error=float(self.table_max_rel_error),
            n_direct=int(self.n_direct),
        )


def _correlation_text(correlation):
    if correlation is None:
        return "none"
    if isinstance(correlation, Mapping):
        return json.dumps(
            {":".join(map(str, k)) if isinstance(k, tuple) else str(k): float(v) for k, v in correlation.items()}
        )
    return json.dumps(np.asarray(correlation, dtype=float).tolist())


# =========================================================================== design point
@dataclass(frozen=True)
class _Context:
    """Everything about the design that every cell shares (all SI)."""

    mtj: MTJParams
    temperature: float
    stt_form: str
    sform: float  # 1 for the Slonczewski efficiency, 0 for the constant one
    i_write: float
    t_pulse: float
    t_read: float
    v_read: float
    r_t: float  # on-resistance of the access transistor sized for the nominal device
    sense_offset: float
    i_ref: float
    t_storage: float
    read_disturb_state: str
    thermal: bool  # attempt_time set: retention and read disturb by the thermal law
    #: temperature [K] of the writes per direction: the nominal cell's junction temperature
    #: with bitcell.joule_heating, else ``temperature``
    t_write: tuple = ()

    def write_temperature(self, direction) -> float:
        """The temperature [K] the writes of ``direction`` are evaluated at."""
        return dict(self.t_write).get(direction, self.temperature)

    @property
    def read_direction(self):
        """The write direction the read current pushes (the one destabilising the state)."""
        return "ap_to_p" if self.read_disturb_state == "ap" else "p_to_ap"

    def key(self):
        return (
            self.mtj.__repr__(),
            self.temperature,
            self.stt_form,
            self.i_write,
            self.t_pulse,
            self.t_read,
            self.v_read,
            self.r_t,
            self.t_storage,
            self.read_disturb_state,
            self.t_write,
        )


def _write_temperatures(bitcell) -> tuple:
    """((direction, T_j), ...): the nominal cell's junction temperature [K] during each
    direction's write (:func:`spinaps.device.heating.solve_junction_temperature`), or
    ``()`` without Joule heating.  Every cell is written at its direction's nominal T_j
    (the cell-to-cell spread of the heating itself is neglected)."""
    if not bitcell.joule_heating:
        return ()
    return tuple(
        (
            d,
            float(
                heating.solve_junction_temperature(
                    bitcell.mtj, bitcell.write_current, bitcell.temperature, bitcell.thermal_resistance, d
                )[0, 0]
            ),
        )
        for d in DIRECTIONS
    )


def _context(bitcell, t_storage, read_disturb_state) -> _Context:
    if not isinstance(bitcell, MTJBitcell):
        raise TypeError(f"bitcell must be an MTJBitcell, got {type(bitcell).__name__}")
    mtj = bitcell.mtj
    arrays = [f.name for f in dataclasses.fields(mtj) if isinstance(getattr(mtj, f.name), np.ndarray)]
    if arrays:
        raise ValueError(
            f"bitcell.mtj must be the nominal device (scalar fields), got an ensemble of "
            f"{mtj.n_devices} devices (array fields: {', '.join(arrays)}); the spread goes in `spread`"
        )
    if float(mtj.h_offset) != 0.0:
        raise ValueError(
            f"bitcell.mtj.h_offset = {float(mtj.h_offset)!r} A/m: the chip-cell tables are built at zero "
            "field, so a reference-layer offset field is not modelled here (allowed: 0); the device functions "
            "and MTJBitcell.figures() include it"
        )
    check_range("t_storage", t_storage, low=0.0, high=1e12, low_inclusive=True, high_inclusive=True, units="s")
    check_choice("read_disturb_state", read_disturb_state, READ_DISTURB_STATES)
    width = float(np.maximum(bitcell.access_width("p_to_ap"), bitcell.access_width("ap_to_p")))
    i_p, i_ap = bitcell.read_currents(width)
    return _Context(
        mtj=mtj,
        temperature=float(bitcell.temperature),
        stt_form=bitcell.stt_form,
        sform=float(_STT_FORMS[bitcell.stt_form]),
        i_write=float(bitcell.write_current),
        t_pulse=float(bitcell.write_pulse()),
        t_read=float(bitcell.t_read),
        v_read=float(bitcell.v_read),
        r_t=float(bitcell.tech.r_on(width)),
        sense_offset=float(bitcell.sense_offset),
        i_ref=0.5 * (float(i_p) + float(i_ap)),
        t_storage=float(t_storage),
        read_disturb_state=read_disturb_state,
        thermal=mtj.attempt_time is not None,
        t_write=_write_temperatures(bitcell),
    )


def _read_currents(p, r_t, v_read):
    """Cell currents in P and AP at ``v_read`` through the access transistor r_t: the
    fixed point R_AP = R_P (1 + TMR(I_AP R_AP)) of :meth:`MTJBitcell.read_currents`,
    iterated until it moves by less than 1e-14 relative (at most its 30 steps; the map
    contracts by about 1e-3 per step at read bias)."""
    r_p = np.asarray(p.r_p, dtype=float)
    i_p = v_read / (r_p + r_t)
    r_ap = np.asarray(p.r_ap, dtype=float)
    for _ in range(30):
        new = r_p * (1.0 + np.asarray(p.tmr(v_read / (r_ap + r_t) * r_ap), dtype=float))
        converged = np.all(np.abs(new - r_ap) <= 1e-14 * new)
        r_ap = new
        if converged:
            break
    return i_p, v_read / (r_ap + r_t)


def _decision_errors(i_p, i_ap, i_ref, sigma):
    """(P read as AP, AP read as P) with a fixed reference and a Gaussian offset sigma."""
    sigma = max(sigma, 1e-30)
    return (
        0.5 * special.erfc((i_p - i_ref) / (np.sqrt(2.0) * sigma)),
        0.5 * special.erfc((i_ref - i_ap) / (np.sqrt(2.0) * sigma)),
    )


def _coordinates(ctx, params, m_i=1.0, m_t=1.0):
    """Per-device reduced variables and read currents (float64 arrays or scalars).

    Delta(T); i = I / I_c0 of the write (``m_i`` its cycle factor) and of the read;
    ln s = ln(t / tau_D) of the write (``m_t``), the read and the storage; c2 = the
    magnitude (form) P^2 of the Slonczewski coefficient.
    """
    p = params.at_temperature(ctx.temperature)
    delta = np.asarray(p.delta(ctx.temperature), dtype=float)
    ic0 = np.asarray(p.ic0, dtype=float)
    tau = np.asarray(p.tau_d, dtype=float)
    i_p, i_ap = _read_currents(p, ctx.r_t, ctx.v_read)
    i_read = i_ap if ctx.read_disturb_state == "ap" else i_p
    with np.errstate(divide="ignore"):
        s_storage = np.log(ctx.t_storage / tau) if ctx.t_storage > 0 else None
    writes = {}
    for d in DIRECTIONS:  # the write variables at each direction's write temperature
        t_w = ctx.write_temperature(d)
        q = p if t_w == ctx.temperature else params.at_temperature(t_w)
        q_ic0, q_tau = np.asarray(q.ic0, dtype=float), np.asarray(q.tau_d, dtype=float)
        writes[f"delta_{d}"] = delta if q is p else np.asarray(q.delta(t_w), dtype=float)
        writes[f"i_write_{d}"] = ctx.i_write * m_i / q_ic0
        writes[f"s_write_{d}"] = np.log(ctx.t_pulse * m_t / q_tau)
        writes[f"c2_{d}"] = ctx.sform * np.asarray(q.polarization, dtype=float) ** 2
        writes[f"tau_{d}"] = q_tau
    return {
        **writes,
        "delta": delta,
        "ic0": ic0,
        "tau": tau,
        "i_write": ctx.i_write * m_i / ic0,
        "s_write": np.log(ctx.t_pulse * m_t / tau),
        "i_read": i_read / ic0,
        "s_read": np.log(ctx.t_read / tau),
        "s_storage": s_storage,
        "c2": ctx.sform * np.asarray(p.polarization, dtype=float) ** 2,
        "i_p": i_p,
        "i_ap": i_ap,
        "read_current": i_read,
    }


# =========================================================================== the tables
def _hazard(stay, flip, kind="stay"):
    """The hazard H of a probability: H = -ln(stay), computed from whichever of
    stay = 1 - flip is accurate ("stay", "flip"), or for a relaxation towards the
    symmetric equilibrium 1/2 (retention: flip = (1 - exp(-H)) / 2), H = -ln(1 - 2 flip)
    ("flip2")."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "flip2":
            return -np.log1p(-2.0 * np.minimum(np.asarray(flip, dtype=float), 0.5))
        return np.where(stay < 0.5, -np.log(np.maximum(stay, 1e-300)), -np.log1p(-np.minimum(flip, 0.5)))


def _from_hazard(h, kind):
    """The probability of hazard H (inverse of :func:`_hazard`)."""
    if kind == "stay":
        return np.exp(-h)
    return -np.expm1(-h) if kind == "flip" else -0.5 * np.expm1(-h)


def _direct(points, s):
    """Direct Fokker-Planck solves (stay, flip) at rows (Delta, i, h, c), each at its own s."""
    points = np.asarray(points, dtype=float)
    stay, flip = fp.solve_many(points, np.asarray(s, dtype=float).reshape(-1, 1), "end_state", None, None)
    return stay[:, 0], flip[:, 0]


#: Above this hazard the retention probability is 1/2 to 2e-9 and 1 - 2 p from the solver
#: (a difference of numbers near 1/2) no longer resolves it: such nodes are replaced by
#: the linear extrapolation in Delta of ln H from the resolved ones (ln H is near-linear
#: in Delta: ln H ~ ln(2 s) - ln tau_esc(Delta)), so the splines see no kink.
_H_SATURATED = 20.0


def _extend_saturated(grid, axis):
    """Replace the nodes with H > _H_SATURATED along ``axis`` by the linear extrapolation
    of the two nearest resolved nodes (ln H)."""
    g = np.moveaxis(grid, axis, 0).copy()
    lines = g.reshape(g.shape[0], -1)
    limit = np.log(_H_SATURATED)
    x = np.arange(lines.shape[0], dtype=float)
    for r in range(lines.shape[1]):
        line = lines[:, r]
        good = np.flatnonzero(line <= limit)
        if good.size == line.size:
            continue
        if good.size < 2:
            line[line > limit] = limit
            continue
        bad = np.flatnonzero(line > limit)
        lo, hi = good[:2], good[-2:]
        for j in bad:
            a, b = lo if j < good[0] else hi if j > good[-1] else (good[good < j][-1], good[good > j][0])
            line[j] = line[a] + (line[b] - line[a]) * (x[j] - x[a]) / (x[b] - x[a])
    return np.moveaxis(g, 0, axis)


class _Table:
    """ln H(u, w, c, ln s), H = -ln(probability of staying), on a grid; multilinear lookup.

    ``coords`` maps each coordinate ("u", "w", "c", "s") to the pilot's values (array)
    or to a fixed value; ``has_current`` is False for retention (i = 0).  Coordinates
    whose pilot values do not vary are fixed; the others get a coarse uniform grid over
    mean +- Z_RANGE sigma, solved with the Fokker-Planck solver, sampled by cubic
    splines onto a fine uniform grid and looked up multilinearly.  The reduced time is
    solved directly at _S_NODES points.
    """

    KEYS = ("u", "w", "c", "s")

    def __init__(self, name, kind, pilot, nominal, *, has_current, scale=1):
        self.name, self.kind, self.has_current = name, kind, has_current
        self.spec = _SPECS[name]
        self.nominal = {k: float(v) for k, v in nominal.items()}
        self.axes = {}
        for key in self.KEYS:
            values = np.atleast_1d(np.asarray(pilot[key], dtype=float))
            centre = float(nominal[key])
            spread = float(np.max(values) - np.min(values))
            if spread <= 1e-12 * max(1.0, abs(centre)):
                self.axes[key] = ("fixed", centre)
                continue
            # Delta and i are near log-normal: their range is set in ln, whatever the grid
            positive = key in ("u", "w") and self.spec[key][0] == "lin" and np.all(values > 0)
            v = np.log(values) if positive else values
            half = Z_RANGE * _SIGMA_MARGIN * float(np.std(v))
            lo = min(float(np.mean(v)) - half, float(np.min(v)))
            hi = max(float(np.mean(v)) + half, float(np.max(v)))
            if positive:
                lo, hi = np.exp(lo), np.exp(hi)
            lo, hi = min(lo, centre), max(hi, centre)
            pad = 0.01 * (hi - lo)
            lo, hi = lo - pad, hi + pad
            if key in ("u", "w") and self.spec[key][0] == "lin":  # Delta > 0, i >= 0
                lo = max(lo, 0.02 * centre if key == "u" else 0.0)
            self.axes[key] = ("range", float(lo), float(hi))
        self._validate_ranges()
        self._build(scale)

    # -------------------------------------------------------------- build
    def _physical(self, key, x):
        """Delta (u) or i (w) from the grid coordinate."""
        return np.exp(x) if self.spec[key][0] == "log" else np.asarray(x, dtype=float)

    def _validate_ranges(self):
        d_hi = float(self._physical("u", self._bound("u", 1)))
        if d_hi > 300.0:
            raise ValueError(
                f"spread: the cells' Delta reaches about {d_hi:.4g} (mean + {Z_RANGE:g} sigma), beyond "
                "the Fokker-Planck solver's range (0, 300]; reduce the spread"
            )
        i_hi = float(self._physical("w", self._bound("w", 1)))
        if self.has_current and i_hi > 1e3:
            raise ValueError(
                f"{self.name}: reduced currents up to {i_hi:.4g} I_c0 exceed the solver's range (at most 1000)"
            )
        if abs(self._bound("c", 0)) > 0.999 or abs(self._bound("c", 1)) > 0.999:
            raise ValueError(
                "spread: the Slonczewski coefficient P^2 of some cells reaches 0.999; reduce the spread of polarization"
            )

    def _bound(self, key, side):
        axis = self.axes[key]
        return axis[1] if axis[0] == "fixed" else axis[1 + side]

    def _build(self, scale):
        varying = [k for k in ("u", "w", "c") if self.axes[k][0] == "range"]
        coarse = {}
        for k in varying:
            _, lo, hi = self.axes[k]
            _, step, relative = self.spec[k]
            step = step * max(abs(self.nominal[k]), 1e-12) if relative else step
            n = int(np.clip(np.ceil((hi - lo) / step) + 1, _MIN_NODES, _MAX_NODES))
            coarse[k] = np.linspace(lo, hi, scale * (n - 1) + 1)
        if self.axes["s"][0] == "range":
            s_nodes = np.linspace(self.axes["s"][1], self.axes["s"][2], _S_NODES)
        else:
            s_nodes = np.array([self.axes["s"][1]])
        mesh = np.meshgrid(*[coarse[k] for k in varying], indexing="ij") if varying else []
        n_points = int(np.prod([len(coarse[k]) for k in varying])) if varying else 1
        full = {}
        for k in ("u", "w", "c"):
            full[k] = mesh[varying.index(k)].ravel() if k in varying else np.full(n_points, self.axes[k][1])
        points = self._points(full["u"], full["w"], full["c"])
        stay, flip = fp.solve_many(points, np.exp(s_nodes), "end_state", None, None)
        q = np.log(np.maximum(_hazard(stay, flip, self.kind), 1e-300))
        grid = q.reshape(tuple(len(coarse[k]) for k in varying) + (len(s_nodes),))
        if self.kind == "flip2" and "u" in varying:
            grid = _extend_saturated(grid, varying.index("u"))
        self.grid_axes = []  # (key, lo, step, n) of every looked-up axis, grid order
        for a, k in enumerate(varying):
            fine = np.linspace(coarse[k][0], coarse[k][-1], _FINE_NODES[k])
            grid = make_interp_spline(coarse[k], grid, k=3, axis=a)(fine)
            self.grid_axes.append((k, fine[0], fine[1] - fine[0], len(fine)))
        if len(s_nodes) > 1:
            self.grid_axes.append(("s", s_nodes[0], s_nodes[1] - s_nodes[0], len(s_nodes)))
        else:
            grid = grid[..., 0]
        self.grid = np.array(grid, dtype=np.float32, order="C")  # (ascontiguousarray makes 0-d 1-d)
        self.strides = np.array([int(np.prod(self.grid.shape[a + 1 :])) for a in range(self.grid.ndim)], dtype=np.int64)
        self.n_solves = n_points

    def _points(self, u, w, c):
        delta = self._physical("u", u)
        i = self._physical("w", w) if self.has_current else np.zeros_like(delta)
        return np.stack(
            [delta, np.broadcast_to(i, delta.shape), np.zeros_like(delta), np.broadcast_to(c, delta.shape)], axis=1
        )

    # -------------------------------------------------------------- lookup
    def inside(self, coords):
        """Mask of the cells the table covers."""
        ok = np.ones(np.shape(coords["u"]), dtype=bool)
        for key in self.KEYS:
            axis, x = self.axes[key], coords[key]
            if axis[0] == "fixed":
                ok &= np.abs(x - axis[1]) <= 1e-9 * max(1.0, abs(axis[1]))
            else:
                ok &= (x >= axis[1]) & (x <= axis[2])
        return ok

    def log_hazard(self, coords):
        """Interpolated ln H at the cells (float32), cells assumed inside."""
        m = np.shape(coords["u"])[0]
        if self.grid.ndim == 0:
            return np.full(m, self.grid, dtype=np.float32)
        index = np.zeros(m, dtype=np.int64)
        fracs = []
        for (key, lo, step, n), stride in zip(self.grid_axes, self.strides):
            t = (np.asarray(coords[key], dtype=float) - lo) * (1.0 / step)
            np.clip(t, 0.0, n - 1 - 1e-9, out=t)
            i0 = t.astype(np.int64)  # floor, t >= 0
            fracs.append((t - i0).astype(np.float32))
            index += i0 * stride
        flat = self.grid.reshape(-1)
        offsets = [0]
        for stride in self.strides:  # each axis doubles the corners (its upper node added)
            offsets = offsets + [o + int(stride) for o in offsets]
        return self._reduce([np.take(flat, index + o) for o in offsets], fracs)

    @staticmethod
    def _reduce(values, fracs):
        """Multilinear combination of the 2^d corner values; corner j has the upper node
        of axis a where bit a of j is set."""
        d = len(fracs)
        for a in range(d - 1, -1, -1):
            half = len(values) // 2
            f = fracs[a]
            values = [v0 + f * (v1 - v0) for v0, v1 in zip(values[:half], values[half:])]
        return values[0]

    def probability(self, coords, log_h):
        """The table's probability from ln H: stay (write error) or flip."""
        return _from_hazard(np.exp(np.asarray(log_h, dtype=np.float32)), self.kind)

    def direct(self, coords):
        """(ln H) by direct solves at the cells (float64)."""
        points = self._points(coords["u"], coords["w"], coords["c"])
        stay, flip = _direct(points, np.exp(coords["s"]))
        return np.log(np.maximum(_hazard(stay, flip, self.kind), 1e-300))

    def check(self, coords, direct_log_h=None):
        """Largest relative error of the table's probability against direct solves at the
        check points, over probabilities in [CHECK_FLOOR, 0.999]."""
        if direct_log_h is None:
            direct_log_h = self.direct(coords)
        exact = _from_hazard(np.exp(np.asarray(direct_log_h, dtype=float)), self.kind)
        table = _from_hazard(np.exp(self.log_hazard(coords).astype(np.float64)), self.kind)
        ok = (exact >= CHECK_FLOOR) & (exact <= 0.999)
        return float(np.max(np.abs(table[ok] / exact[ok] - 1.0))) if np.any(ok) else 0.0


# =========================================================================== sampling
@dataclass(frozen=True)
class _Sampling:
    """The device-to-device and cycle-to-cycle distribution, validated."""

    names: tuple
    cvs: np.ndarray
    dists: tuple
    chol: np.ndarray
    correlated: bool
    cycle: tuple  # ((field, cv), ...) in the order drawn
    chip: tuple = ()  # ((field, cv), ...): chip-to-chip factors, in VARIABLE_FIELDS order

    def key(self):
        return (self.names, tuple(self.cvs.tolist()), self.dists, self.chol.tobytes(), self.cycle, self.chip)

    @property
    def fields(self) -> tuple:
        """Every field that differs from the nominal device: spread or chip-to-chip, and
        ``ku`` and ``interfacial_fraction`` when the thickness is drawn (K_u follows the
        thickness by its origin, :func:`spinaps.device.variability.couple_anisotropy`)."""
        drawn = self.names + tuple(name for name, _ in self.chip if name not in self.names)
        if "thickness" in drawn:
            drawn += tuple(name for name in ("ku", "interfacial_fraction") if name not in drawn)
        return drawn


def _sampling(spread, distribution, correlation, cycle_spread, chip_spread=None) -> _Sampling:
    check_choice("distribution", distribution, DISTRIBUTIONS)
    if not isinstance(spread, Mapping):
        raise ValueError(
            f"spread must be a dict {{field: sigma_rel}} (empty for no device-to-device spread), got {spread!r}"
        )
    if spread:
        names, cvs, dists = _parse_spread(spread, distribution)
        chol = _cholesky(_correlation_matrix(correlation, names), names)
    else:
        if correlation is not None and len(correlation):
            raise ValueError("correlation is given but spread is empty: correlated fields must be spread fields")
        names, cvs, dists, chol = (), np.zeros(0), (), np.zeros((0, 0))
    cycle = {}
    if cycle_spread is not None:
        if not isinstance(cycle_spread, Mapping):
            raise ValueError(
                f"cycle_spread must be None or a dict {{field: sigma_rel}} with fields among "
                f"{', '.join(CYCLE_FIELDS)}, got {cycle_spread!r}"
            )
        for key, value in cycle_spread.items():
            name = _CYCLE_ALIASES.get(key, key)
            if name != key:
                warn_renamed("cycle_spread", key, name, stacklevel=3)
            check_choice("cycle_spread field", name, CYCLE_FIELDS)
            if name in cycle:
                raise ValueError(f"cycle_spread gives {name!r} twice (as 't_write' and 't_pulse')")
            check_range(f"cycle_spread[{key!r}]", value, low=0.0, high=1.0, low_inclusive=True, units="(sigma/mean)")
            cycle[name] = float(value)
    order = tuple((name, cycle[name]) for name in CYCLE_FIELDS if name in cycle)
    chip = {}
    if chip_spread is not None:
        if not isinstance(chip_spread, Mapping):
            raise ValueError(f"chip_spread must be None or a dict {{field: sigma_rel}}, got {chip_spread!r}")
        for key, value in chip_spread.items():
            check_choice("chip_spread field", key, VARIABLE_FIELDS)
            check_range(f"chip_spread[{key!r}]", value, low=0.0, high=1.0, low_inclusive=True, units="(sigma/mean)")
            if value > 0:
                chip[key] = float(value)
    return _Sampling(
        tuple(names),
        np.asarray(cvs, dtype=float),
        tuple(dists),
        np.asarray(chol, dtype=float),
        bool(len(names)) and not np.allclose(chol, np.eye(len(names)), rtol=0.0, atol=0.0),
        order,
        tuple((name, chip[name]) for name in VARIABLE_FIELDS if name in chip),
    )


#: Redraw rounds for invalid devices (each round redraws only the invalid ones; the pilot
#: has checked that at most half are invalid, so this is a guard).
_MAX_ROUNDS = 60


def _sample_fields(nominal, n, sampling, rng, *, check_fraction=False):
    """``n`` devices' sampled fields, ``{name: float64 (n,)}``, with the semantics of
    :func:`spinaps.device.sample_variability`: correlated standard normals Z = G L^T,
    mapped to their marginals, K_u following a drawn thickness by the anisotropy's
    origin (:func:`spinaps.device.variability.couple_anisotropy`, which adds ``ku`` and
    ``interfacial_fraction``); devices that MTJParams would reject are discarded with
    all their fields and redrawn (the joint distribution conditioned on validity).
    Unlike it, exactly the missing devices are redrawn, so one chip costs n draws."""
    k = len(sampling.names)
    values = {}
    missing = np.arange(n)
    for round_ in range(_MAX_ROUNDS):
        m = missing.size
        z = rng.standard_normal((m, k))
        if sampling.correlated:
            z = z @ sampling.chol.T
        draw = {
            name: _marginal(z[:, j], getattr(nominal, name), sampling.cvs[j], sampling.dists[j])
            for j, name in enumerate(sampling.names)
        }
        draw = _couple_anisotropy(draw, nominal)
        masks = _invalid_masks(draw, nominal, m)
        invalid = np.logical_or.reduce(list(masks.values()))
        if round_ == 0 and check_fraction and (message := _too_many_invalid(masks, invalid)):
            raise ValueError(message)
        keep = ~invalid
        for name, x in draw.items():
            values.setdefault(name, np.empty(n))[missing[keep]] = x[keep]
        missing = missing[invalid]
        if missing.size == 0:
            return values
    raise RuntimeError(  # pragma: no cover - guarded by the pilot's invalid-fraction check
        f"chip_cells: {missing.size} of {n} devices still invalid after {_MAX_ROUNDS} rounds"
    )


def _chip_nominal(nominal, sampling, rng):
    """The chip's own nominal device: every field of ``sampling.chip`` times a
    log-normal factor of mean 1 (std / mean = its chip-to-chip spread), drawn once per
    chip from ``rng`` and shared by all the chip's cells (die-to-die variation); a chip
    whose device would be invalid (e.g. in-plane) is redrawn.  A chip thickness carries
    the chip's K_u with it, as in :func:`_sample_fields`."""
    if not sampling.chip:
        return nominal
    for _ in range(_MAX_ROUNDS):
        factors = {
            name: float(_marginal(rng.standard_normal(1), 1.0, cv, "lognormal")[0]) for name, cv in sampling.chip
        }
        values = {name: np.atleast_1d(getattr(nominal, name) * f) for name, f in factors.items()}
        values = _couple_anisotropy(values, nominal)
        if not np.logical_or.reduce(list(_invalid_masks(values, nominal, 1).values()))[0]:
            return dataclasses.replace(nominal, **{name: float(v[0]) for name, v in values.items()})
    raise ValueError(
        f"chip_spread {dict(sampling.chip)} gives invalid chips (e.g. in-plane devices) in "
        f"{_MAX_ROUNDS} draws in a row: lower it"
    )


def _cell_fields(nominal, n, sampling, device_rng, chip_rng, *, check_fraction=False):
    """The ``n`` cells' fields of one chip, ``{name: float64 (n,)}`` over
    ``sampling.fields``: the chip's nominal device (chip-to-chip factors from
    ``chip_rng``), then the device-to-device draws around it (``device_rng``)."""
    chip = _chip_nominal(nominal, sampling, chip_rng)
    fields = _sample_fields(chip, n, sampling, device_rng, check_fraction=check_fraction) if sampling.names else {}
    return {
        name: fields[name] if name in fields else np.full(n, float(getattr(chip, name))) for name in sampling.fields
    }


def _cycle_factors(n, sampling, rng):
    """Cycle-to-cycle factors (m_i, m_t) of one write per cell: log-normal, mean 1,
    std / mean = the cycle spread, drawn in the order i_write, t_pulse."""
    factors = {"i_write": 1.0, "t_pulse": 1.0}
    for name, cv in sampling.cycle:
        factors[name] = _marginal(rng.standard_normal(n), 1.0, cv, "lognormal")
    return factors["i_write"], factors["t_pulse"]


def _root_seed(seed):
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        raise ValueError(
            "seed must be an integer >= 0 or a numpy.random.SeedSequence, not a Generator: every chip "
            "needs its own stream that does not depend on how many chips are asked for"
        )
    check_int("seed", seed, 0, 2**128 - 1)
    return np.random.SeedSequence(int(seed))


def _seed_record(seed):
    if isinstance(seed, np.random.SeedSequence):
        return f"SeedSequence(entropy={seed.entropy}, spawn_key={tuple(seed.spawn_key)})"
    return int(seed)


def _chip_sequence(root, k):
    """Chip k's SeedSequence: the k-th child of ``root``, i.e. ``root.spawn(n)[k]`` for a
    fresh root, for any n (and without advancing ``root``)."""
    return np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + (int(k),), pool_size=root.pool_size)


def _chip_rngs(root, k):
    """(device, cycle-to-cycle, chip-to-chip) streams of chip k: three children of its
    sequence, so the devices do not change when a cycle or a chip spread is added."""
    return tuple(np.random.default_rng(s) for s in _chip_sequence(root, k).spawn(3))


# =========================================================================== nominal, tables
def _thermal_flip(ctx, params, current, t):
    """1 - exp(-t / tau_esc) with the calibrated Neel-Brown escape time (attempt_time set)."""
    if t <= 0:
        return np.zeros_like(np.asarray(current, dtype=float))
    tau = thermal_escape_time(params, current, temperature=ctx.temperature)
    return -np.expm1(-t / np.asarray(tau, dtype=float))


def _nominal(ctx):
    """The nominal device's probabilities (direct solves) and its ln H per table."""
    co = _coordinates(ctx, ctx.mtj)
    delta, ic0, tau, c2 = (float(co[k]) for k in ("delta", "ic0", "tau", "c2"))
    c_read = c2 * (-1.0 if ctx.read_direction == "ap_to_p" else 1.0)
    rows = {
        d: (
            (float(co[f"delta_{d}"]), float(co[f"i_write_{d}"]), 0.0, sign * float(co[f"c2_{d}"])),
            ctx.t_pulse / float(co[f"tau_{d}"]),
        )
        for d, sign in (("p_to_ap", 1.0), ("ap_to_p", -1.0))
    }
    if not ctx.thermal:
        rows["read_disturb"] = ((delta, float(co["i_read"]), 0.0, c_read), ctx.t_read / tau)
        if ctx.t_storage > 0:
            rows["retention"] = ((delta, 0.0, 0.0, 0.0), ctx.t_storage / tau)
    stay, flip = _direct([r[0] for r in rows.values()], [r[1] for r in rows.values()])
    got = {name: (stay[j], flip[j]) for j, name in enumerate(rows)}
    log_h = {name: float(np.log(max(float(_hazard(*got[name], _KINDS.get(name, "stay"))), 1e-300))) for name in got}
    if ctx.thermal:
        read_disturb = float(_thermal_flip(ctx, ctx.mtj, float(co["read_current"]), ctx.t_read))
        retention = float(_thermal_flip(ctx, ctx.mtj, 0.0, ctx.t_storage))
    else:
        read_disturb = float(got["read_disturb"][1])
        retention = float(got["retention"][1]) if ctx.t_storage > 0 else 0.0
    p_as_ap, ap_as_p = _decision_errors(float(co["i_p"]), float(co["i_ap"]), ctx.i_ref, ctx.sense_offset)
    values = {
        "wer_p_to_ap": float(got["p_to_ap"][0]),
        "wer_ap_to_p": float(got["ap_to_p"][0]),
        "retention": retention,
        "read_disturb": read_disturb,
        "read_error_p": float(p_as_ap),
        "read_error_ap": float(ap_as_p),
        "delta": delta,
        "i_read_p": float(co["i_p"]),
        "i_read_ap": float(co["i_ap"]),
        "i_ref": ctx.i_ref,
    }
    return values, log_h, co


def _table_coords(name, co, ctx):
    """The grid coordinates (u, w, c, s) of table ``name`` from the per-device variables
    ``co`` of :func:`_coordinates`."""
    spec = _SPECS[name]
    delta = co[f"delta_{name}"] if name in DIRECTIONS else co["delta"]
    if name in DIRECTIONS:
        i, s = co[f"i_write_{name}"], co[f"s_write_{name}"]
        c = (1.0 if name == "p_to_ap" else -1.0) * co[f"c2_{name}"]
    elif name == "read_disturb":
        i, c, s = co["i_read"], (-1.0 if ctx.read_direction == "ap_to_p" else 1.0) * co["c2"], co["s_read"]
    else:
        i, c, s = np.zeros_like(delta), np.zeros_like(delta), co["s_storage"]
    u = np.log(delta) if spec["u"][0] == "log" else delta
    w = np.log(i) if spec["w"][0] == "log" else i
    return {"u": u, "w": w, "c": c, "s": s}


def _check_indices(table, coords, rng):
    """Check points among the pilot devices: the extremes of every varying coordinate
    and three random devices."""
    n = len(coords["u"])
    idx = list(rng.choice(n, size=min(3, n), replace=False))
    for key in table.KEYS:
        if table.axes[key][0] == "range":
            idx += [int(np.argmin(coords[key])), int(np.argmax(coords[key]))]
    return np.unique(idx)


def _tables(ctx, sampling):
    """(tables, nominal values, largest check error), cached per design."""
    key = (ctx.key(), sampling.key())
    if key in _TABLE_CACHE:
        return _TABLE_CACHE[key]
    nominal, nominal_log_h, nominal_co = _nominal(ctx)
    rng = np.random.default_rng(np.random.SeedSequence(_PILOT_SEED))
    if sampling.fields:
        # pilot chips of _PILOT_CELLS cells each: the table spans the chip-to-chip and the
        # device-to-device spread together
        per_chip = _PILOT_CELLS if sampling.chip else _PILOT_N
        chips = [
            _cell_fields(ctx.mtj, per_chip, sampling, rng, rng, check_fraction=True)
            for _ in range(_PILOT_N // per_chip)
        ]
        params = dataclasses.replace(
            ctx.mtj, **{name: np.concatenate([c[name] for c in chips]) for name in sampling.fields}
        )
    else:
        params = ctx.mtj
    m_i, m_t = _cycle_factors(_PILOT_N, sampling, rng)
    co = {
        k: (None if v is None else np.broadcast_to(v, (_PILOT_N,)))
        for k, v in _coordinates(ctx, params, m_i, m_t).items()
    }
    names = list(DIRECTIONS)
    if not ctx.thermal:
        names.append("read_disturb")
        if ctx.t_storage > 0:
            names.append("retention")
    tables, worst = {}, 0.0
    check_rng = np.random.default_rng(_PILOT_SEED + 1)
    for name in names:
        coords = _table_coords(name, co, ctx)
        centre = {k: float(np.ravel(v)[0]) for k, v in _table_coords(name, nominal_co, ctx).items()}
        kind = _KINDS[name]
        table = _Table(name, kind, coords, centre, has_current=name != "retention")
        idx = _check_indices(table, coords, check_rng)
        check = {k: np.concatenate([[centre[k]], np.asarray(v)[idx]]) for k, v in coords.items()}
        exact = np.concatenate([[nominal_log_h[name]], table.direct({k: v[1:] for k, v in check.items()})])
        error = table.check(check, exact)
        if error > fp.TABLE_TOLERANCE:
            table = _Table(name, kind, coords, centre, has_current=name != "retention", scale=2)
            error = table.check(check, exact)
            if error > fp.TABLE_TOLERANCE:
                warnings.warn(
                    f"chip_cells: the {name} table's interpolation error {error:.3g} exceeds "
                    f"{fp.TABLE_TOLERANCE} after refinement",
                    stacklevel=3,
                )
        table.error = error
        tables[name] = table
        worst = max(worst, error)
    result = (tables, nominal, worst)
    while len(_TABLE_CACHE) >= _TABLE_CACHE_SIZE:
        _TABLE_CACHE.pop(next(iter(_TABLE_CACHE)))
    _TABLE_CACHE[key] = result
    return result


def _lookup(table, coords):
    """The table's probability at the cells (float32); cells outside it are solved
    directly.  Returns (probabilities, number solved directly)."""
    inside = table.inside(coords)
    n_out = int(inside.size - np.count_nonzero(inside))
    if n_out == 0:
        return table.probability(coords, table.log_hazard(coords)).astype(np.float32), 0
    log_h = np.empty(inside.size, dtype=np.float32)
    log_h[inside] = table.log_hazard({k: v[inside] for k, v in coords.items()})
    log_h[~inside] = table.direct({k: v[~inside] for k, v in coords.items()})
    return table.probability(coords, log_h).astype(np.float32), n_out


# =========================================================================== checks
def _check_bits(bits):
    arr = np.asarray(bits)
    if arr.size == 0:
        raise ValueError("bits must hold at least one cell")
    if not (np.issubdtype(arr.dtype, np.integer) or arr.dtype == bool):
        raise ValueError(f"bits must be integers 0 (P) and 1 (AP), got dtype {arr.dtype}")
    bad = (arr != 0) & (arr != 1)
    if np.any(bad):
        raise ValueError(f"bits must hold only 0 (P) and 1 (AP); found {arr[bad].flat[0]!r}")
    out = arr.astype(np.uint8)
    out.setflags(write=False)
    return out


def _check_memory(n_chips, n_cells, max_bytes=MAX_RESULT_BYTES):
    need = n_chips * n_cells * BYTES_PER_CELL
    if need > max_bytes:
        most = int(max_bytes // (n_cells * BYTES_PER_CELL))
        raise ValueError(
            f"n_chips = {n_chips} chips x {n_cells} cells = {n_chips * n_cells:.4g} cells need about "
            f"{need / 1e9:.3g} GB for the per-cell arrays ({BYTES_PER_CELL} bytes per cell), above the "
            f"allowed {max_bytes / 1e9:.3g} GB: ask for at most {most} chips per call (allowed "
            f"range [1, {most}])"
        )


def _readonly(a):
    a.setflags(write=False)
    return a


# =========================================================================== public API
def cell_tables(
    bitcell: MTJBitcell,
    *,
    spread: dict,
    distribution="lognormal",
    correlation=None,
    cycle_spread: dict | None = None,
    chip_spread: dict | None = None,
    t_storage: float,
    read_disturb_state="ap",
) -> float:
    """Build the Fokker--Planck tables :func:`chip_cells` uses for this design ahead of
    time (they are kept in memory for the process, for up to eight designs).

    The tables depend on the design and the variability only, not on the programmed
    bits nor on the chips, so they can be built while the bits are still being trained
    (:meth:`spinaps.chain.Chain.run` does); a later :func:`chip_cells` with the same
    arguments then only samples and looks up.  The numbers do not change.

    Parameters
    ----------
    bitcell, spread, distribution, correlation, cycle_spread, chip_spread, t_storage, read_disturb_state
        As :func:`chip_cells`.

    Returns
    -------
    float
        The largest relative error of the tables' self-check [-].

    Raises
    ------
    ValueError
        As :func:`chip_cells`, for the same arguments.
    """
    ctx = _context(bitcell, t_storage, read_disturb_state)
    sampling = _sampling(spread, distribution, correlation, cycle_spread, chip_spread)
    return float(_tables(ctx, sampling)[2])


def chip_cells(
    bitcell: MTJBitcell,
    bits: np.ndarray,
    n_chips: int,
    *,
    spread: dict,
    distribution="lognormal",
    correlation=None,
    cycle_spread: dict | None = None,
    chip_spread: dict | None = None,
    t_storage: float,
    seed,
    read_disturb_state="ap",
    block_cells: int | None = None,
    progress=False,
    max_bytes: float | None = None,
) -> ChipCells:
    """``n_chips`` chip instances, cell by cell: every cell its own device and probabilities.

    A chip instance is the set of cells holding ``bits``.  Every cell of every chip gets
    its own MTJ drawn from the distribution ``spread`` around the nominal device
    ``bitcell.mtj`` (device-to-device variability, fixed for the chip), hence its own
    Delta, I_c0, tau_D, R_P and R_AP, and from them its own probabilities at the
    design's write pulse, write current, read and storage conditions.

    Parameters
    ----------
    bitcell : MTJBitcell
        The design: nominal device (scalar fields), write current
        ``bitcell.write_current`` [A] and pulse ``bitcell.write_pulse()`` [s] (the same
        for every cell), read voltage and duration, sense offset, temperature and
        spin-torque form.
    bits : array of {0, 1}, any shape S
        The programmed values (1 = AP, 0 = P), e.g. a network's bit planes
        (classes, inputs, K, B); the same on every chip.
    n_chips : int
        Number of chips, >= 1 (and within the memory guard, see Raises).
    spread : dict
        ``{field: sigma_rel}`` relative standard deviations of the device-to-device
        distribution, as :func:`spinaps.device.sample_variability` (fields among
        diameter, thickness, ms, ku, alpha, polarization, ra, tmr0, v_half; a value may
        be ``(sigma_rel, distribution)``); empty for no device-to-device spread.  A
        drawn thickness (device-to-device or chip-to-chip) carries K_u with it by the
        anisotropy's origin (``MTJParams.interfacial_fraction``), as in
        :func:`spinaps.device.sample_variability`.
    distribution : {"lognormal", "normal"}
        Default marginal distribution (mean = nominal, std / mean = sigma_rel).
    correlation : dict or array, optional
        Gaussian-copula correlations of the spread fields [1]_, as
        :func:`spinaps.device.sample_variability`.
    cycle_spread : dict, optional
        Cycle-to-cycle relative spreads ``{"i_write": sigma_rel, "t_pulse": sigma_rel}``
        (``"t_write"`` is a deprecated name of ``"t_pulse"``): log-normal factors of mean 1
        on the write current and the pulse width, redrawn at every write.
    chip_spread : dict, optional
        Chip-to-chip (die-to-die) relative spreads ``{field: sigma_rel}`` (fields as
        ``spread``): each chip first draws its own nominal device, every such field
        times a log-normal factor of mean 1 shared by all its cells (wafer-level
        variation of thickness, K_u, RA, ...), and its cells scatter around that chip
        nominal by ``spread``.  Chips then differ in their mean error probabilities,
        which widens the accuracy distribution over chips.
    t_storage : float [s]
        Storage time of the retention probability, in [0, 1e12] (0: no retention
        failure).
    seed : int or numpy.random.SeedSequence
        Chip k draws from the k-th child of ``SeedSequence(seed)`` only, so its cells do
        not depend on ``n_chips`` or on the blocks.
    read_disturb_state : {"ap", "p"}
        The state the read current destabilises (default "ap", as
        :class:`spinaps.network.FaultModel`; assumed).
    block_cells : int, optional
        Cells processed at once (default :data:`BLOCK_CELLS`, 2^19; whole chips,
        at least one).  The numbers do not depend on it.
    progress : bool
        Show a progress bar over the blocks.
    max_bytes : float, optional [B]
        The most the per-cell arrays may take (default :data:`MAX_RESULT_BYTES`, 2 GiB;
        a caller that has checked the machine's memory may allow more, as the chain
        does).

    Returns
    -------
    ChipCells
        Per-cell float32 arrays (n_chips,) + S: ``wer``, ``retention``,
        ``read_disturb``, ``read_error``, ``delta``; :meth:`ChipCells.dataset` summarises
        them per chip.

    Raises
    ------
    TypeError
        If ``bitcell`` is not an :class:`MTJBitcell`.
    ValueError
        For invalid inputs (the message names the parameter, the value and the allowed
        range; among them a ``bitcell.mtj`` that is an ensemble rather than the nominal
        device, ``bits`` other than 0 and 1, a ``numpy.random.Generator`` as ``seed``,
        a ``progress`` other than True or False), more than half of the sampled devices
        invalid, a ``chip_spread`` that keeps drawing invalid chips, cells beyond the
        solver's range (Delta > 300, reduced currents above 1000, P^2 reaching 0.999),
        or ``n_chips`` x cells above ``max_bytes`` (default :data:`MAX_RESULT_BYTES`, 2 GiB,
        at :data:`BYTES_PER_CELL` = 20 bytes per cell).

    Warns
    -----
    UserWarning
        If an interpolation table stays above the 2 % tolerance after refinement, or
        many cells fall outside the tables (they are then solved directly, slowly).
    DeprecationWarning
        If ``cycle_spread`` uses the old name ``"t_write"``.

    Notes
    -----
    *Devices.*  The fields of ``spread`` are drawn per cell as
    :func:`spinaps.device.sample_variability` does (Z = G L^T with L the Cholesky factor
    of the copula's correlation, log-normal x = x_0 exp(s z - s^2 / 2) with
    s^2 = ln(1 + sigma_rel^2), or normal x = x_0 (1 + sigma_rel z); devices MTJParams
    rejects are redrawn with all their fields).  The other fields keep their nominal
    values.  Device-to-device variability is fixed per chip (the k-th chip's devices);
    cycle-to-cycle variability is the jitter of one write of one cell, drawn from a
    separate stream of the chip (adding it leaves the devices unchanged).

    *Write error* of a cell: the probability that its write, in the direction it is
    programmed in (bit 1: P->AP, c = +P^2; bit 0: AP->P, c = -P^2 with the
    Slonczewski efficiency, c = 0 with the constant one [2]_), leaves it in the
    initial state, from the Fokker-Planck equation of the polar angle [3]_ [4]_ with the
    end-state criterion, at i = I_write m_i / I_c0 and s = t_pulse m_t / tau_D
    (m_i, m_t the cycle factors, 1 without cycle spread).  Every write starts from the
    opposite state (as :class:`spinaps.network.FaultModel`).  The current is that of the
    write driver, the same for every cell (a current-driven write: the cell's own
    resistance does not change it).

    *Retention*: the probability that m_z has crossed the equator after t_storage at
    zero current (s = t_storage / tau_D) [5]_, the same for both states (no field).
    *Read disturb*: the flip probability of one read of duration t_read at the cell's own
    read current in ``read_disturb_state`` (i = I_read / I_c0, in the write direction
    that destabilises that state); only that state is disturbed.  With a calibrated
    ``attempt_time`` both use the thermal law 1 - exp(-t / tau_esc), as the device
    layer does.

    *Read decision*: the cell's read current I_P or I_AP at v_read through the access
    transistor sized for the nominal device (the fixed point of
    :meth:`MTJBitcell.read_currents`) against a reference fixed by design, the
    midpoint I_ref = (I_P,0 + I_AP,0) / 2 of the nominal device's currents (reference
    cells sized for the nominal device [6]_), with a Gaussian sense-amplifier offset of
    standard deviation sigma = ``bitcell.sense_offset``:
    P(P read as AP) = erfc((I_P - I_ref) / (sqrt 2 sigma)) / 2,
    P(AP read as P) = erfc((I_ref - I_AP) / (sqrt 2 sigma)) / 2.
    ``read_error`` is that of the programmed state.

    No field is applied (h = 0); every probability is taken at ``bitcell.temperature``
    (Delta, I_c0, tau_D and the TMR follow the device's temperature law, if any).

    *Tables.*  The solution depends on a cell only through Delta, i, c and s.  The
    hazard H = -ln(probability of staying) is smooth in them in both the thermal and
    the precessional regime (ln H ~ ln s - Delta (1 - i / (1 + c))^2 below the critical
    current, ~ ln(2 (i / (1 + c) - 1) s) above), so ln H is tabulated (for retention,
    which relaxes towards 1/2, H = -ln(1 - 2 p)): on a coarse uniform grid in
    (ln Delta, ln i) for the writes and in (Delta, i) for read disturb and retention,
    over mean +- 6 sigma of each coordinate (sigma from a pilot sample of 4096 devices
    with a fixed seed, widened by 10 %; coordinates that do not vary are fixed),
    solved with :mod:`spinaps.device.fokker_planck` [7]_ at 129 reduced times, sampled by
    cubic splines onto a fine uniform grid and looked up multilinearly in float32.
    Each table is checked against direct solves at the nominal point and at the pilot
    devices with the extreme coordinates; it is refined once if the relative error
    exceeds 2 % (:data:`spinaps.device.fokker_planck.TABLE_TOLERANCE`) for a
    probability in [1e-20, 0.999] (:data:`CHECK_FLOOR`), and the largest error is
    recorded (``table_max_rel_error``).  Cells outside a table are solved directly
    (``n_direct``).  The tables depend on the design and the distribution only (not on
    ``seed`` or ``n_chips``) and are cached for repeated calls.

    *Storage.*  Every per-cell array is float32 (relative precision 6e-8; the float32
    ln H bounds the relative error of p = exp(-H) by about H x 6e-8, 4e-6 at
    p = 1e-30), and probabilities below 1.4e-45 are stored as 0; chips are processed in
    blocks of :data:`BLOCK_CELLS` cells, as many blocks at once as the thread setting
    allows (:mod:`spinaps.threads`; the numbers do not depend on it).

    References
    ----------
    .. [1] R. B. Nelsen, *An Introduction to Copulas*, 2nd ed., Springer (2006);
       citation key ``Nelsen2006``.
    .. [2] J. C. Slonczewski, Phys. Rev. B 71, 024411 (2005); citation key
       ``Slonczewski2005``.
    .. [3] W. F. Brown, Phys. Rev. 130, 1677 (1963); citation key ``Brown1963``.
    .. [4] W. H. Butler et al., IEEE Trans. Magn. 48, 4684 (2012); citation key
       ``Butler2012``.
    .. [5] W. T. Coffey et al., Phys. Rev. E 49, 1869 (1994); citation key
       ``Coffey1994``.
    .. [6] X. Dong et al., IEEE Trans. Comput.-Aided Des. 31, 994 (2012) (NVSim);
       citation key ``Dong2012``.
    .. [7] D. L. Scharfetter and H. K. Gummel, IEEE Trans. Electron Devices 16, 64
       (1969) (the discretisation of the solver); citation key
       ``ScharfetterGummel1969``.

    (:meth:`ChipCells.dataset` records these citations.)

    Examples
    --------
    >>> from spinaps.circuit import MTJBitcell, technology, chip_cells   # doctest: +SKIP
    >>> from spinaps.device import preset                                 # doctest: +SKIP
    >>> cell = MTJBitcell(preset("Ikeda2010"), technology(28), t_pulse=60e-9, v_write=1.2)  # doctest: +SKIP
    >>> cells = chip_cells(cell, bits, 10, spread={"diameter": 0.03}, t_storage=86400.0, seed=1)  # doctest: +SKIP
    """
    ctx = _context(bitcell, t_storage, read_disturb_state)
    bits = _check_bits(bits)
    check_int("n_chips", n_chips, 1, 10**7)
    n = bits.size
    if max_bytes is not None:
        check_range("max_bytes", max_bytes, low=0.0, low_inclusive=False)
    _check_memory(int(n_chips), n, MAX_RESULT_BYTES if max_bytes is None else float(max_bytes))
    sampling = _sampling(spread, distribution, correlation, cycle_spread, chip_spread)
    root = _root_seed(seed)
    if block_cells is None:
        block_cells = BLOCK_CELLS
    check_int("block_cells", block_cells, 1, 2**40)
    if not isinstance(progress, (bool, np.bool_)):
        raise ValueError(f"progress must be True or False, got {progress!r}")
    tables, nominal, max_error = _tables(ctx, sampling)

    outs = {
        name: np.empty((n_chips, n), dtype=np.float32)
        for name in ("wer", "retention", "read_disturb", "read_error", "delta")
    }
    per_block = max(1, int(block_cells) // n)
    blocks = [range(start, min(n_chips, start + per_block)) for start in range(0, n_chips, per_block)]
    flat_bits = bits.reshape(-1)
    workers = max(1, min(get_threads(), len(blocks)))  # blocks in threads: spinaps.threads
    with ThreadPoolExecutor(max_workers=workers) as pool:  # numpy releases the GIL; blocks write disjoint rows
        futures = [pool.submit(_fill_block, ctx, sampling, tables, root, chips, flat_bits, outs) for chips in blocks]
        done = as_completed(futures)
        if progress:
            from tqdm.auto import tqdm

            done = tqdm(done, total=len(futures), desc="chip cells", unit="block")
        n_direct = sum(f.result() for f in done)
    if n_direct > _DIRECT_WARN:
        warnings.warn(
            f"chip_cells: {n_direct} cell probabilities fell outside the tables and were solved directly", stacklevel=2
        )
    shape = (n_chips,) + bits.shape
    arrays = {name: _readonly(a.reshape(shape)) for name, a in outs.items()}
    return ChipCells(
        bits=bits,
        **arrays,
        n_chips=int(n_chips),
        t_pulse=ctx.t_pulse,
        i_write=ctx.i_write,
        t_storage=ctx.t_storage,
        t_read=ctx.t_read,
        temperature=ctx.temperature,
        spread=MappingProxyType(dict(spread)),
        distribution=distribution,
        correlation=correlation,
        cycle_spread=None if cycle_spread is None else MappingProxyType(dict(cycle_spread)),
        chip_spread=None if chip_spread is None else MappingProxyType(dict(chip_spread)),
        seed=_seed_record(seed),
        read_disturb_state=read_disturb_state,
        stt_form=ctx.stt_form,
        nominal=MappingProxyType(dict(nominal)),
        population="device-to-device variability, cell by cell"
        + (", around each chip's own nominal device (chip-to-chip spread)" if sampling.chip else ""),
        mtj=ctx.mtj,
        table_max_rel_error=float(max_error),
        n_direct=int(n_direct),
    )


def _fill_block(ctx, sampling, tables, root, chips, flat_bits, outs):
    """Sample and evaluate the cells of ``chips`` (consecutive), writing into ``outs``.
    Every operation is per cell, so the result does not depend on the grouping."""
    n = flat_bits.size
    m = len(chips) * n
    fields = {name: np.empty(m) for name in sampling.fields}
    jitter = {name: np.ones(m) for name, _ in sampling.cycle}
    for j, k in enumerate(chips):
        part = slice(j * n, (j + 1) * n)
        device_rng, cycle_rng, chip_rng = _chip_rngs(root, k)
        for name, values in _cell_fields(ctx.mtj, n, sampling, device_rng, chip_rng).items():
            fields[name][part] = values
        if sampling.cycle:
            m_i, m_t = _cycle_factors(n, sampling, cycle_rng)
            for name, values in (("i_write", m_i), ("t_pulse", m_t)):
                if name in jitter:
                    jitter[name][part] = values
    params = dataclasses.replace(ctx.mtj, **fields) if fields else ctx.mtj
    co = _coordinates(ctx, params, jitter.get("i_write", 1.0), jitter.get("t_pulse", 1.0))
    co = {k: (None if v is None else np.broadcast_to(v, (m,))) for k, v in co.items()}
    bit = np.tile(flat_bits, len(chips))
    rows = slice(chips.start, chips.stop)
    n_direct = 0

    wer = np.empty(m, dtype=np.float32)
    for direction, b in (("p_to_ap", 1), ("ap_to_p", 0)):
        sel = bit == b
        if np.any(sel):
            coords = {k: np.ascontiguousarray(v[sel]) for k, v in _table_coords(direction, co, ctx).items()}
            wer[sel], count = _lookup(tables[direction], coords)
            n_direct += count
    outs["wer"][rows] = wer.reshape(-1, n)

    if ctx.t_storage <= 0:
        retention = np.zeros(m, dtype=np.float32)
    elif ctx.thermal:
        retention = _thermal_flip(ctx, params, 0.0, ctx.t_storage)
    else:
        retention, count = _lookup(tables["retention"], _table_coords("retention", co, ctx))
        n_direct += count
    outs["retention"][rows] = np.broadcast_to(retention, (m,)).reshape(-1, n)

    if ctx.thermal:
        disturb = _thermal_flip(ctx, params, co["read_current"], ctx.t_read)
    else:
        disturb, count = _lookup(tables["read_disturb"], _table_coords("read_disturb", co, ctx))
        n_direct += count
    outs["read_disturb"][rows] = np.broadcast_to(disturb, (m,)).reshape(-1, n)

    p_as_ap, ap_as_p = _decision_errors(co["i_p"], co["i_ap"], ctx.i_ref, ctx.sense_offset)
    outs["read_error"][rows] = np.where(bit == 1, ap_as_p, p_as_ap).reshape(-1, n)
    outs["delta"][rows] = co["delta"].reshape(-1, n)
    return n_direct


def chip_devices(
    bitcell: MTJBitcell,
    n_cells: int,
    chip: int,
    *,
    spread: dict,
    distribution="lognormal",
    correlation=None,
    cycle_spread: dict | None = None,
    chip_spread: dict | None = None,
    seed,
):
    """The devices and write conditions of one chip of :func:`chip_cells`, cell by cell.

    Parameters
    ----------
    bitcell : MTJBitcell
    n_cells : int
        Cells per chip (``bits.size`` of the :func:`chip_cells` call), >= 1.
    chip : int
        Chip index k >= 0.
    spread, distribution, correlation, cycle_spread, chip_spread, seed
        As :func:`chip_cells`.

    Returns
    -------
    devices : MTJParams
        The chip's devices in the order of ``bits.ravel()`` (an ensemble of ``n_cells``;
        the nominal device if ``spread`` is empty).
    i_write : ndarray [A]
        Each cell's write current (``bitcell.write_current`` times its cycle-to-cycle
        factor).
    t_pulse : ndarray [s]
        Each cell's write pulse width.

    Raises
    ------
    TypeError
        If ``bitcell`` is not an :class:`MTJBitcell`.
    ValueError
        If ``n_cells`` or ``chip`` is not an integer in its range, the distribution is
        invalid (as :func:`chip_cells`), or ``seed`` is a ``numpy.random.Generator``.

    Notes
    -----
    The same streams as :func:`chip_cells` (chip k's children of ``SeedSequence(seed)``),
    so ``write_error_rate(devices.device(j), i_write[j], t_pulse[j], ...)`` is the
    direct solve of cell j's tabulated write error.
    """
    if not isinstance(bitcell, MTJBitcell):
        raise TypeError(f"bitcell must be an MTJBitcell, got {type(bitcell).__name__}")
    check_int("n_cells", n_cells, 1, 2**40)
    check_int("chip", chip, 0, 10**7)
    sampling = _sampling(spread, distribution, correlation, cycle_spread, chip_spread)
    device_rng, cycle_rng, chip_rng = _chip_rngs(_root_seed(seed), chip)
    mtj = bitcell.mtj
    fields = _cell_fields(mtj, n_cells, sampling, device_rng, chip_rng)
    devices = dataclasses.replace(mtj, **fields) if fields else mtj
    m_i, m_t = _cycle_factors(n_cells, sampling, cycle_rng) if sampling.cycle else (1.0, 1.0)
    return (
        devices,
        np.broadcast_to(bitcell.write_current * np.asarray(m_i), (n_cells,)).copy(),
        np.broadcast_to(bitcell.write_pulse() * np.asarray(m_t), (n_cells,)).copy(),
    )


def homogeneous_cells(
    bitcell: MTJBitcell,
    bits: np.ndarray,
    n_chips: int,
    *,
    t_storage: float,
    match_mean_of: ChipCells | None = None,
    read_disturb_state=None,
) -> ChipCells:
    """Homogeneous chips: every cell carries the same probabilities (per direction and state).

    Parameters
    ----------
    bitcell, bits, n_chips, t_storage
        As :func:`chip_cells`.
    match_mean_of : ChipCells, optional
        A population (e.g. from :func:`chip_cells`) whose mean probabilities to copy.
        Without it every cell carries the nominal device's probabilities.
    read_disturb_state : {"ap", "p"}, optional
        Default: that of ``match_mean_of``, else "ap".

    Returns
    -------
    ChipCells
        Per-cell arrays (read-only broadcast views: no memory per cell).  Without
        ``match_mean_of``: the nominal device's write error of each direction,
        retention, read disturb and read error of each state (direct Fokker-Planck
        solves, the same as :func:`chip_cells` with no spread).  With it, per direction
        and state, the mean over all chips and cells of the population:
        ``wer`` of the cells programmed to 1 (P->AP) and to 0 (AP->P); ``retention`` and
        ``read_error`` of the cells programmed to AP and to P; ``read_disturb`` of the
        cells programmed to ``read_disturb_state`` (the ones it acts on); ``delta`` is
        the nominal one.

    Raises
    ------
    TypeError
        If ``bitcell`` is not an :class:`MTJBitcell` or ``match_mean_of`` not a
        :class:`ChipCells`.
    ValueError
        For invalid inputs (as :func:`chip_cells`), or if ``match_mean_of`` holds other
        bits, another ``t_storage``, ``t_pulse`` or ``i_write`` (relative tolerance
        1e-12) or another ``read_disturb_state`` than this design.

    Notes
    -----
    Faults are drawn independently per cell (:class:`spinaps.network.FaultModel`), so a
    homogeneous population with the same mean as a population of independent,
    identically distributed devices has, cell by cell, the same fault probability
    E[p]; the two then differ only through terms in which a probability enters
    non-linearly (e.g. read disturb over n reads, 1 - (1 - p)^n) or through
    correlations between a cell's probabilities.
    """
    if match_mean_of is not None and not isinstance(match_mean_of, ChipCells):
        raise TypeError(f"match_mean_of must be a ChipCells, got {type(match_mean_of).__name__}")
    if read_disturb_state is None:
        read_disturb_state = "ap" if match_mean_of is None else match_mean_of.read_disturb_state
    ctx = _context(bitcell, t_storage, read_disturb_state)
    bits = _check_bits(bits)
    check_int("n_chips", n_chips, 1, 10**7)
    nominal, _, _ = _nominal(ctx)
    ones = bits == 1
    if match_mean_of is None:
        per_bit = {
            "wer": (nominal["wer_p_to_ap"], nominal["wer_ap_to_p"]),
            "retention": (nominal["retention"], nominal["retention"]),
            "read_error": (nominal["read_error_ap"], nominal["read_error_p"]),
        }
        disturb = nominal["read_disturb"]
        population = "homogeneous, nominal device"
        source_seed = "none"
    else:
        src = match_mean_of
        if src.bits.shape != bits.shape or not np.array_equal(src.bits, bits):
            raise ValueError(
                "match_mean_of holds other bits than `bits`: the means per direction and state must be "
                "those of the same programmed values"
            )
        for name, own, theirs in (
            ("t_storage", ctx.t_storage, src.t_storage),
            ("t_pulse", ctx.t_pulse, src.t_pulse),
            ("i_write", ctx.i_write, src.i_write),
        ):
            if not np.isclose(own, theirs, rtol=1e-12, atol=0.0):
                raise ValueError(
                    f"{name} = {own!r} differs from that of match_mean_of ({theirs!r}): match the mean "
                    "of a population of the same design"
                )
        if read_disturb_state != src.read_disturb_state:
            raise ValueError(
                f"read_disturb_state = {read_disturb_state!r} differs from that of match_mean_of "
                f"({src.read_disturb_state!r})"
            )
        flat = bits.reshape(-1)
        groups = (flat == 1, flat == 0)

        def mean(values, mask, fallback):
            x = values.reshape(src.n_chips, -1)
            return float(x[:, mask].mean(dtype=np.float64)) if np.any(mask) else fallback

        per_bit = {
            "wer": (mean(src.wer, groups[0], nominal["wer_p_to_ap"]), mean(src.wer, groups[1], nominal["wer_ap_to_p"])),
            "retention": (
                mean(src.retention, groups[0], nominal["retention"]),
                mean(src.retention, groups[1], nominal["retention"]),
            ),
            "read_error": (
                mean(src.read_error, groups[0], nominal["read_error_ap"]),
                mean(src.read_error, groups[1], nominal["read_error_p"]),
            ),
        }
        disturbed = groups[0] if read_disturb_state == "ap" else groups[1]
        disturb = mean(src.read_disturb, disturbed, float(src.read_disturb.reshape(src.n_chips, -1).mean()))
        population = f"homogeneous, same mean probabilities per direction and state as: {src.population}"
        source_seed = src.seed
    shape = (int(n_chips),) + bits.shape

    def cells(value):
        return np.broadcast_to(np.asarray(value, dtype=np.float32), shape)

    arrays = {name: cells(np.where(ones, v1, v0)) for name, (v1, v0) in per_bit.items()}
    return ChipCells(
        bits=bits,
        **arrays,
        read_disturb=cells(disturb),
        delta=cells(nominal["delta"]),
        n_chips=int(n_chips),
        t_pulse=ctx.t_pulse,
        i_write=ctx.i_write,
        t_storage=ctx.t_storage,
        t_read=ctx.t_read,
        temperature=ctx.temperature,
        spread=MappingProxyType({}),
        distribution="none",
        correlation=None,
        cycle_spread=None,
        chip_spread=None,
        seed=source_seed,
        read_disturb_state=read_disturb_state,
        stt_form=ctx.stt_form,
        nominal=MappingProxyType(dict(nominal)),
        population=population,
        mtj=ctx.mtj,
    )
