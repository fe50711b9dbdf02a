"""Fokker-Planck solver for the polar angle of the collinear perpendicular macrospin.

With the field and the reference layer along the easy axis the stochastic LLGS
dynamics of x = m_z decouple from the azimuth, and the probability density W(x, s) of
m_z obeys Brown's Fokker-Planck equation [1]_ [2]_ (reduced time s = t / tau_D,
tau_D = (1 + alpha^2) / (alpha gamma0 H_K,eff)):

    dW/ds = d/dx { (1 - x^2) / (2 Delta) [ dW/dx + U'(x) W ] },

    U'(x) = 2 Delta [ i g(x) - x - h ],

i = I / I_c0 (I_c0 includes the field-like torque's factor 1 / (1 + alpha r), which is
exact in this geometry: see :class:`~spinaps.device.MTJParams`), h = H_z / H_K,eff the
field along +z (applied and the reference layer's offset field ``h_offset``, whose
sign is set by the write direction; the callers add it through
:meth:`~spinaps.device.tools.OperatingPoint.write_field`), g(x) = 1 for the
constant-efficiency torque and
g(x) = 1 / (1 + c x), c = -/+ P^2 for the Slonczewski (2005) tunnel-junction
efficiency of the AP->P / P->AP write.  The drift is dx/ds = (1 - x^2)(x + h - i g(x))
and the stationary density exp(-U).

Discretisation
--------------
* Finite volumes on cells uniform in the polar angle theta (cells in x are fine near
  the poles, where the density of a long pulse's survivors is flat);
* Scharfetter-Gummel fluxes, which make exp(-U) the exact discrete equilibrium and the
  generator an M-matrix satisfying detailed balance;
* backward Euler with adaptive steps (local error control on the surviving and the
  flipped probability, and a cap on the step relative to the tail decay rate), run
  with steps ds and ds/2 and Richardson-extrapolated in log space (second order); the
  difference of the two runs is returned as an error estimate.

Every probability is a sum of non-negative cell masses, never a difference of
numbers near one, so write error rates of 1e-15 and flip probabilities of 1e-30 are
computed to a relative accuracy set by the grid, not by rounding.

Two switching criteria:

* ``"end_state"`` (default): the domain is the whole sphere; the write error rate is
  the probability that m_z is still positive when the pulse ends (after the pulse the
  barrier top is at m_z = 0, so these devices relax back); the flip probability of a
  read or of storage is the probability that m_z < 0.
* ``"first_passage"``: m_z = 0 is absorbing; the write error rate is the probability
  that m_z has never reached the equator (the LLG ``t_switch`` criterion).

References
----------
.. [1] W. F. Brown, Phys. Rev. 130, 1677 (1963).
.. [2] W. H. Butler et al., IEEE Trans. Magn. 48, 4684 (2012).
.. [3] D. L. Scharfetter and H. K. Gummel, IEEE Trans. Electron Devices 16, 64 (1969).

Internal API
------------
:func:`solve_many` (many operating points in threads) is shared with
:mod:`spinaps.device.error_rates` and :mod:`spinaps.circuit.cells`; it is not part of
:data:`spinaps.device.__all__` and may change without deprecation.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from ..params import check_choice, check_int
from ..threads import resolve
from . import _fp_kernel
from .switching import mean_first_passage_reduced

__all__ = ["CRITERIA", "FPResult", "solve_reduced", "default_cells", "ReducedTable", "TABLE_TOLERANCE"]

CRITERIA = ("end_state", "first_passage")

#: Time stepping: local relative tolerance of each backward-Euler step (on the
#: surviving and on the flipped probability), smallest step, and the cap on
#: (tail decay rate x step) while the survival is above 1e-_TAIL_DECADES.  The
#: convergence tests in tests/unit/device/test_fokker_planck.py tighten them tenfold.
_TOL = 1e-3
_DS_FIRST = 1e-6
_RATE_STEP = 0.02
_TAIL_DECADES = 25


#: Most theta cells per hemisphere a caller may ask for (the default is at most about 700).
MAX_CELLS = 20_000


def default_cells(delta):
    """Default number of theta cells per hemisphere: enough to resolve the well width
    1 / sqrt(Delta) with about 25 cells (>= 160)."""
    return int(max(160, np.ceil(25.0 * np.sqrt(np.max(delta)) * np.pi / 2.0 / 1.0)))


@dataclass(frozen=True)
class FPResult:
    """Reduced-time solution at the requested times.

    Attributes
    ----------
    s : ndarray
        Reduced times t / tau_D.
    wer : ndarray
        Probability of still being in the initial (+z) state (see the criteria).
    p_flip : ndarray
        1 - wer, computed as a sum of masses (no cancellation).
    err_wer, err_flip : ndarray
        Relative differences between the ds and ds/2 marches (an error estimate of the
        un-extrapolated solution; the extrapolated values are more accurate).
    """

    s: np.ndarray
    wer: np.ndarray
    p_flip: np.ndarray
    err_wer: np.ndarray
    err_flip: np.ndarray


def _bernoulli(z):
    """B(z) = z / (exp(z) - 1), with B(0) = 1."""
    z = np.asarray(z, dtype=float)
    small = np.abs(z) < 1e-8
    safe = np.where(small, 1.0, z)
    return np.where(small, 1.0 - 0.5 * z, safe / np.expm1(safe))


def _grid(n_cells, criterion):
    """Face and centre positions in x, increasing; index of the first cell with x > 0."""
    n_half = int(n_cells)
    n = 2 * n_half if criterion == "end_state" else n_half
    theta_max = np.pi if criterion == "end_state" else np.pi / 2
    theta = np.linspace(theta_max, 0.0, n + 1)  # decreasing theta = increasing x
    faces = np.cos(theta)
    if criterion == "end_state":
        faces[n_half] = 0.0
    faces[0], faces[-1] = (-1.0 if criterion == "end_state" else 0.0), 1.0
    centres = np.cos(0.5 * (theta[:-1] + theta[1:]))
    split = n_half if criterion == "end_state" else 0
    return faces, centres, split


def _potential(x, delta, i, h, c):
    """U(x) = Delta [2 i G(x) - x^2 - 2 h x], G' = g (constant or Slonczewski efficiency)."""
    g_int = x if c == 0.0 else np.log1p(c * x) / c
    return delta * (2.0 * i * g_int - x * x - 2.0 * h * x)


def _rates(faces, centres, delta, i, h, c, criterion):
    widths = np.diff(faces)
    u = _potential(centres, delta, i, h, c)
    xf = faces[1:-1]
    d_face = (1.0 - xf * xf) / (2.0 * delta)
    gap = np.diff(centres)
    du = np.diff(u)
    n = centres.size
    r_up = np.zeros(n)
    r_down = np.zeros(n)
    r_up[:-1] = d_face * _bernoulli(du) / (gap * widths[:-1])
    r_down[1:] = d_face * _bernoulli(-du) / (gap * widths[1:])
    out = np.zeros(n)
    if criterion == "first_passage":  # absorbing (W = 0) at the face x = 0
        du0 = _potential(0.0, delta, i, h, c) - u[0]
        out[0] = _bernoulli(du0) / (2.0 * delta * centres[0] * widths[0])
    return r_up, r_down, out


def _initial(faces, centres, split, delta, h):
    """Discrete thermal equilibrium of the +z well at zero current, normalised to one."""
    widths = np.diff(faces)
    u0 = _potential(centres, delta, 0.0, h, 0.0)
    m = np.zeros(centres.size)
    well = slice(split, None)
    m[well] = widths[well] * np.exp(-(u0[well] - u0[well].min()))
    return m / m.sum()


def _decay_rate(delta, i, h, c):
    """Slowest relevant decay rate of the solution [1 / tau_D]: the supercritical tail
    rate 2 (i g(1) - 1 - h) (Butler 2012) or the inverse exact mean first-passage time
    to the equator, whichever is larger."""
    j = i / (1.0 + c) - h  # drive at the pole, where the efficiency is g(1) = 1 / (1 + c)
    tail = 2.0 * (j - 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        mfpt = float(mean_first_passage_reduced(min(delta, 300.0), j, n_grid=2001))
    if not np.isfinite(mfpt) or mfpt <= 0.0:
        mfpt = np.inf
    return max(tail, 1.0 / mfpt, 1e-300)


def solve_reduced(delta, i, s_out, *, h=0.0, c=0.0, criterion="end_state", n_cells=None):
    """Write error rate and flip probability in reduced variables.

    Parameters
    ----------
    delta : float
        Thermal stability factor Delta (> 0).
    i : float
        Reduced current I / I_c0 (>= 0 destabilises +z; negative stabilises).
    s_out : array of float
        Reduced times t / tau_D (> 0) at which to report.
    h : float
        Reduced field H_z / H_K,eff along +z.
    c : float
        Angular coefficient of the Slonczewski efficiency (0: constant efficiency).
    criterion : {"end_state", "first_passage"}
    n_cells : int, optional
        Cells per hemisphere (default :func:`default_cells`).

    Returns
    -------
    FPResult
    """
    s_out = np.atleast_1d(np.asarray(s_out, dtype=float))
    if np.any(~np.isfinite(s_out)) or np.any(s_out <= 0):
        raise ValueError(f"reduced times s_out must be finite and > 0, got {s_out[~(s_out > 0)][:3]!r}")
    check_choice("criterion", criterion, CRITERIA)
    if not 0.0 < delta <= 300.0:
        raise ValueError(f"delta = {delta!r} outside the supported range (0, 300]")
    for name, value, bound in (("i", i, 1e3), ("h", h, 1e3), ("c", c, 0.999)):
        if not abs(value) <= bound:
            raise ValueError(f"{name} = {value!r} outside the supported range [-{bound}, {bound}]")
    if n_cells is not None:
        check_int("n_cells", n_cells, 8, MAX_CELLS)
    n_cells = default_cells(delta) if n_cells is None else int(n_cells)
    faces, centres, split = _grid(n_cells, criterion)
    r_up, r_down, out = _rates(faces, centres, delta, i, h, c, criterion)
    m0 = _initial(faces, centres, split, delta, h)
    order = np.argsort(s_out)
    s_sorted, inverse = np.unique(s_out[order], return_inverse=True)
    rate = _decay_rate(delta, i, h, c)
    res, _ = _fp_kernel.march(
        r_up,
        r_down,
        out,
        m0,
        s_sorted,
        split,
        _TOL,
        _DS_FIRST,
        _RATE_STEP / rate,
        np.inf,
        _TAIL_DECADES * np.log(10.0) / rate,
    )
    back = np.empty_like(order)
    back[order] = np.arange(order.size)
    idx = inverse[back]
    wer_c, wer_f = res[0, 0, idx], res[1, 0, idx]
    flip_c, flip_f = res[0, 1, idx], res[1, 1, idx]
    return FPResult(
        s_out,
        np.clip(_extrapolate(wer_c, wer_f), 0.0, 1.0),
        np.clip(_extrapolate(flip_c, flip_f), 0.0, 1.0),
        _rel(wer_c, wer_f),
        _rel(flip_c, flip_f),
    )


def _extrapolate(coarse, fine):
    """Richardson extrapolation of a first-order result in log space (both positive)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        good = (coarse > 0) & (fine > 0)
        extrapolated = np.exp(2.0 * np.log(np.where(good, fine, 1.0)) - np.log(np.where(good, coarse, 1.0)))
    return np.where(good, extrapolated, fine)


def _rel(coarse, fine):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(fine > 0, np.abs(fine - coarse) / fine, 0.0)


# --------------------------------------------------------------------------- many points
def solve_many(points, s_out, criterion, n_cells, threads):
    """Solve at many operating points (internal API).

    The compiled march releases the GIL, so the solves run in ``threads`` threads.

    Parameters
    ----------
    points : array (n, 4)
        Rows (Delta, i, h, c) [1] (see :func:`solve_reduced`).
    s_out : array (n, m) or (m,) [1]
        Reduced times t / tau_D, one row per point or shared.
    criterion : {"end_state", "first_passage"}
    n_cells : int or None
        Cells per hemisphere (None: :func:`default_cells`).
    threads : int or None
        Worker threads (:func:`spinaps.threads.resolve`).

    Returns
    -------
    wer, p_flip : numpy.ndarray, shape (n, m) [1]
    """
    s_rows = np.broadcast_to(np.atleast_2d(s_out), (len(points), np.atleast_2d(s_out).shape[-1]))

    def one(k):
        d, i, h, c = points[k]
        r = solve_reduced(d, i, s_rows[k], h=h, c=c, criterion=criterion, n_cells=n_cells)
        return r.wer, r.p_flip

    threads = resolve(threads)
    if threads == 1 or len(points) == 1:
        res = [one(k) for k in range(len(points))]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            res = list(pool.map(one, range(len(points))))
    return np.array([r[0] for r in res]), np.array([r[1] for r in res])


#: Interpolation check: relative error allowed between the table and direct solves.
TABLE_TOLERANCE = 0.02
_FLOOR = 1e-300
#: The self-check covers probabilities above this floor: the accuracy the solver is
#: validated for reaches 1e-15, and below 1e-30 the interpolated ln WER of a steep
#: tail may be off by more than the tolerance without consequence for any design.
_CHECK_FLOOR = 1e-30
#: The table is not refined beyond this many grid solves (it warns instead).
MAX_TABLE_SOLVES = 800


class ReducedTable:
    """Write error rate and flip probability on a grid of reduced variables, interpolated.

    The Fokker-Planck solution depends on the device and the drive only through
    (Delta, i, h, c) and the reduced time s = t / tau_D, so an ensemble of thousands of
    devices needs solves only on a grid spanning the ensemble's range of these
    variables.  ln(WER) and ln(p_flip) are interpolated with cubic splines in each
    variable that varies (and in ln s), and the table checks itself against direct
    solves at ``n_check`` points drawn from the queried ones (probabilities between
    1e-30 and 0.999); if the largest relative error exceeds :data:`TABLE_TOLERANCE`
    the grid is refined (twice at most) and a warning is issued if it still does.

    Parameters
    ----------
    points : ndarray (n, 4)
        The (Delta, i, h, c) values that will be queried.
    s_range : (float, float)
        Smallest and largest reduced time queried.
    criterion, n_cells, threads : see :func:`solve_reduced`.
    nodes : dict, optional
        Grid nodes per varying variable (default Delta 7, i 13, h 5, c 5).
    """

    _NAMES = ("delta", "i", "h", "c")

    def __init__(
        self, points, s_range, *, criterion="end_state", n_cells=None, threads=None, nodes=None, n_check=12, seed=0
    ):
        self.points = np.asarray(points, dtype=float)
        self.criterion, self.n_cells, self.threads = criterion, n_cells, threads
        s_lo, s_hi = float(s_range[0]), float(s_range[1])
        self.ln_s = np.linspace(np.log(s_lo) - 0.01, np.log(s_hi) + 0.01, 200)
        counts = {"delta": 7, "i": 13, "h": 5, "c": 5, **(nodes or {})}
        rng = np.random.default_rng(seed)
        check = self.points[rng.choice(len(self.points), size=min(n_check, len(self.points)), replace=False)]
        check_s = np.exp(rng.uniform(np.log(s_lo), np.log(s_hi), size=(len(check), 4)))
        for _attempt in range(3):
            self._build(counts)
            self.max_rel_error = self._check(check, check_s)
            if self.max_rel_error <= TABLE_TOLERANCE:
                break
            counts = {k: 2 * v - 1 for k, v in counts.items()}
            if np.prod([counts[self._NAMES[k]] for k in self.varying]) > MAX_TABLE_SOLVES:
                break
        if self.max_rel_error > TABLE_TOLERANCE:
            warnings.warn(
                f"Fokker-Planck table interpolation error {self.max_rel_error:.3g} exceeds "
                f"{TABLE_TOLERANCE} after refinement",
                stacklevel=3,
            )

    @property
    def n_solves(self):
        return self._n_solves

    def _build(self, counts):
        lo, hi = self.points.min(axis=0), self.points.max(axis=0)
        self.varying = [k for k in range(4) if hi[k] - lo[k] > 1e-12 * max(1.0, abs(hi[k]))]
        axes = [self._nodes(self.points[:, k], max(4, counts[self._NAMES[k]])) for k in self.varying]
        mesh = np.meshgrid(*axes, indexing="ij") if axes else []
        n_nodes = int(np.prod([len(a) for a in axes])) if axes else 1
        grid_points = np.tile(lo, (n_nodes, 1))
        for a, k in enumerate(self.varying):
            grid_points[:, k] = mesh[a].ravel()
        grid_points[:, 0] = np.maximum(grid_points[:, 0], 1e-3)  # Delta > 0 after padding
        wer, flip = solve_many(grid_points, np.exp(self.ln_s), self.criterion, self.n_cells, self.threads)
        self._n_solves = n_nodes
        shape = tuple(len(a) for a in axes) + (len(self.ln_s),)
        method = "cubic"
        self._wer = RegularGridInterpolator(
            (*axes, self.ln_s), np.log(np.maximum(wer, _FLOOR)).reshape(shape), method=method
        )
        self._flip = RegularGridInterpolator(
            (*axes, self.ln_s), np.log(np.maximum(flip, _FLOOR)).reshape(shape), method=method
        )

    @staticmethod
    def _nodes(values, count):
        """``count`` nodes spanning ``values`` (padded by 2 %), spaced as the average of
        uniform spacing and the quantiles of ``values`` (in log space for positive values
        spanning more than a factor 4): a wide ensemble with a dense core is resolved
        where its devices are without losing its extremes."""
        log = values.min() > 0 and values.max() > 4.0 * values.min()
        v = np.log(values) if log else values
        lo, hi = v.min(), v.max()
        pad = 0.02 * (hi - lo)
        u = np.linspace(0.0, 1.0, count)
        nodes = 0.5 * (lo + u * (hi - lo) + np.quantile(v, u))
        nodes[0], nodes[-1] = lo - pad, hi + pad
        nodes = np.maximum.accumulate(nodes + 1e-9 * (hi - lo + 1.0) * u)
        return np.exp(nodes) if log else nodes

    def __call__(self, points, s):
        """(wer, p_flip) at rows of ``points`` (n, 4) and reduced times ``s`` (n, m) or (m,)."""
        points = np.asarray(points, dtype=float)
        s = np.broadcast_to(np.atleast_2d(s), (len(points), np.atleast_2d(s).shape[-1]))
        cols = [np.broadcast_to(points[:, k : k + 1], s.shape) for k in self.varying]
        xi = np.stack([*cols, np.log(s)], axis=-1).reshape(-1, len(self.varying) + 1)
        wer = np.exp(self._wer(xi)).reshape(s.shape)
        flip = np.exp(self._flip(xi)).reshape(s.shape)
        return np.clip(wer, 0.0, 1.0), np.clip(flip, 0.0, 1.0)

    def _check(self, check, check_s):
        wer_d, flip_d = solve_many(check, check_s, self.criterion, self.n_cells, self.threads)
        wer_t, flip_t = self(check, check_s)
        errs = []
        for direct, table in ((wer_d, wer_t), (flip_d, flip_t)):
            ok = (direct > _CHECK_FLOOR) & (direct < 0.999)
            if np.any(ok):
                errs.append(np.max(np.abs(table[ok] / direct[ok] - 1.0)))
        return max(errs) if errs else 0.0
