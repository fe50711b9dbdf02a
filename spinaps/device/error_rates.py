"""Write error rates, read disturb and retention from the Fokker-Planck solver.

Public entry points (all broadcast over an MTJ ensemble and return labelled
``xarray.DataArray`` objects with units and provenance):

* :func:`write_error_rate` -- WER of a rectangular write pulse, by Fokker-Planck
  (default), stochastic-LLG Monte Carlo with a confidence interval, or the analytic
  approximations (Butler et al. 2012 closed form, precessional, thermal);
* :func:`pulse_for_wer`, :func:`current_for_wer` -- the pulse width or current that
  reaches a target WER;
* :func:`read_disturb_probability`, :func:`retention_failure_probability` -- the
  probability that a read or a storage period flips the bit, from the same solver.

The reduced variables are Delta(T), i = I / I_c0(T), h = H_z / H_K,eff(T), the
Slonczewski angular coefficient c and s = t / tau_D(T); see
:mod:`spinaps.device.fokker_planck`.  Every public function converts the parameters
to the operating temperature once (:func:`spinaps.device.tools.operating_point`) and
hands the derived quantities down.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr
from scipy import optimize

from ..deprecation import renamed
from ..params import check_choice, check_range, check_temperature
from ..provenance import annotate, finalize
from . import fokker_planck as fp
from .mtj import MTJParams
from .switching import analytic_probability, llg_probability, thermal_failure
from .tools import (
    DIRECTIONS,
    STT_FORMS,
    OperatingPoint,
    check_params,
    device_time_array,
    grid_dataarray,
    operating_point,
    squeeze_grid,
    write_grid,
)

__all__ = [
    "write_error_rate",
    "pulse_for_wer",
    "current_for_wer",
    "read_disturb_probability",
    "retention_failure_probability",
    "WER_METHODS",
]

WER_METHODS = ("fokker_planck", "llg", "butler", "precessional", "thermal", "auto")
_FP_CITES = ("Brown1963", "Butler2012", "ScharfetterGummel1969")
#: Up to this many distinct operating points (devices x currents, with their reduced
#: times) are solved directly; more use a
#: :class:`~spinaps.device.fokker_planck.ReducedTable`.
DIRECT_MAX = 64


# --------------------------------------------------------------------------- reduced variables
def _check_drive(temperature, h_applied, stt_form, direction):
    """Check the operating conditions of the Fokker-Planck solver; ``h_applied`` [A/m] as float."""
    check_temperature(temperature, allow_zero=False)
    check_choice("stt_form", stt_form, STT_FORMS)
    check_choice("direction", direction, DIRECTIONS)
    h_applied = float(h_applied)
    if not np.isfinite(h_applied):
        raise ValueError(f"h_applied = {h_applied!r} A/m must be finite")
    return h_applied


def _operating(params, temperature, h_applied, stt_form, direction):
    """Checked conditions, the operating point (one conversion) and its reduced variables."""
    check_params(params)
    h_applied = _check_drive(temperature, h_applied, stt_form, direction)
    op = operating_point(params, temperature)
    return op, _reduced(op, h_applied, stt_form, direction)


def _reduced(op: OperatingPoint, h_applied, stt_form, direction):
    """Per-device (Delta, tau_D [s], I_c0 [A], h, c) arrays of shape (n_devices,) of ``op``."""
    n = op.n_devices
    delta = op.per_device("delta")
    if np.any(delta > 300.0):
        raise ValueError(f"the Fokker-Planck solver supports Delta <= 300, got {np.max(delta):.4g}")
    c = np.broadcast_to(STT_FORMS[stt_form] * DIRECTIONS[direction] * op.polarization**2, (n,)).copy()
    h = np.broadcast_to(np.asarray(float(h_applied) / op.hk_eff, dtype=float), (n,)).copy()
    return delta, op.per_device("tau0"), op.per_device("ic0"), h, c


def _fp_probabilities(delta, i, s, h, c, criterion, n_cells, threads):
    """WER and flip probability for devices x currents x times.

    delta, h, c : (n_dev,); i : (n_dev, n_cur); s : (n_dev, n_t).  Returns two arrays
    (n_dev, n_cur, n_t) and the table's interpolation check (0 for direct solves).
    """
    check_choice("criterion", criterion, fp.CRITERIA)
    n_dev, n_cur = i.shape
    points = np.stack([np.repeat(delta, n_cur), i.ravel(), np.repeat(h, n_cur), np.repeat(c, n_cur)], axis=1)
    s_rows = np.repeat(s, n_cur, axis=0)
    rows, inverse = np.unique(np.concatenate([points, s_rows], axis=1), axis=0, return_inverse=True)
    if len(rows) <= DIRECT_MAX:
        wer, flip = fp.solve_many(rows[:, :4], rows[:, 4:], criterion, n_cells, threads)
        wer, flip = wer[inverse.ravel()], flip[inverse.ravel()]
        check = 0.0
    else:
        table = fp.ReducedTable(points, (s.min(), s.max()), criterion=criterion, n_cells=n_cells, threads=threads)
        wer, flip = table(points, s_rows)
        check = table.max_rel_error
    shape = (n_dev, n_cur, s.shape[1])
    return wer.reshape(shape), flip.reshape(shape), check


def _butler_wer(delta, i, s):
    """Closed-form WER in the form usually quoted from Butler et al. (2012),

        WER = 1 - exp{ -(pi^2 Delta / 4) (i - 1) / (i exp[2 (i - 1) s] - 1) },  i > 1,

    evaluated as -expm1(-x) so that the tail is free of cancellation.  Its decay rate
    2 (i - 1) / tau_D is the one Butler et al. derive; the prefactor pi^2 Delta / 4 is
    taken as quoted in the compact-model literature (the paper's own text could not be
    checked).  Returns 1 for i <= 1 (no deterministic reversal).
    """
    sup = i > 1.0
    i_s = np.where(sup, i, 2.0)
    x = (np.pi**2 * delta / 4.0) * (i_s - 1.0) / (i_s * np.exp(np.minimum(2.0 * (i_s - 1.0) * s, 700.0)) - 1.0)
    return np.where(sup, -np.expm1(-x), 1.0)


# --------------------------------------------------------------------------- write error rate
@renamed(current="i_write")
def write_error_rate(
    params: MTJParams,
    i_write,
    t_pulse,
    *,
    temperature=300.0,
    method="fokker_planck",
    criterion="end_state",
    stt_form="constant",
    direction="ap_to_p",
    h_applied=0.0,
    n_cells=None,
    threads=None,
    n_samples=1000,
    dt=1e-12,
    seed=None,
    confidence=0.95,
):
    """Write error rate of a rectangular current pulse: 1 - switching probability.

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dimension ``device``).
    i_write : float or 1-D array [A]
        Write current, positive = destabilising the initial (+z) state (dimension
        ``i_write`` if 1-D).
    t_pulse : float or 1-D array [s]
        Pulse width (dimension ``t_pulse`` if 1-D), >= 0.
    temperature : float [K]
        Device temperature; Ms, Ku and TMR follow it if the parameters carry a
        temperature law (:meth:`MTJParams.at_temperature`).
    method : {"fokker_planck", "llg", "butler", "precessional", "thermal", "auto"}
        * ``"fokker_planck"`` (default): the 1-D Fokker-Planck equation of the polar
          angle from the thermal initial distribution
          (:mod:`spinaps.device.fokker_planck`); relative accuracy better than 1 %
          down to WER = 1e-15 (grid and time-step convergence tests);
        * ``"llg"``: stochastic-LLG Monte Carlo with ``n_samples`` devices per point,
          the Wilson interval at ``confidence`` as coordinates ``ci_low``/``ci_high``;
        * ``"butler"``: the closed form quoted from Butler et al. (2012);
        * ``"precessional"``, ``"thermal"``, ``"auto"``: the analytic models of
          :func:`spinaps.device.switching_probability`.
    criterion : {"end_state", "first_passage"}
        ``"end_state"``: error = m_z still > 0 when the pulse ends (the device then
        relaxes back); ``"first_passage"``: error = m_z never reached 0 during the
        pulse (the LLG ``t_switch`` criterion).  The analytic methods use
        first passage.
    stt_form, direction : see :func:`spinaps.device.simulate`
        The Slonczewski form makes the AP->P and P->AP error rates differ.
    h_applied : float [A/m]
        Field along the easy axis (+z stabilises the initial state).
    n_cells : int, optional
        Theta cells per hemisphere of the Fokker-Planck grid.
    threads : int, optional
        Threads for the Fokker-Planck solves (default: all cores).
    n_samples : int
        Monte-Carlo devices per point (``method="llg"``).
    dt : float [s]
        LLGS time step (``method="llg"``).
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the Monte Carlo (``method="llg"``).
    confidence : float [1]
        Level of the Monte-Carlo Wilson interval.

    Returns
    -------
    xarray.DataArray
        ``wer`` [1] with dims among (device, i_write, t_pulse).

    Notes
    -----
    An ensemble with more than ``DIRECT_MAX`` distinct (device, current) points is
    solved on a grid of the reduced variables and interpolated; the interpolation is
    checked against direct solves and its largest relative error is recorded in the
    attribute ``table_max_rel_error``.
    """
    check_choice("method", method, WER_METHODS)
    check_choice("criterion", criterion, fp.CRITERIA)
    if method in ("precessional", "thermal", "auto"):
        if stt_form != "constant" or h_applied != 0.0:
            raise ValueError(f"method = {method!r} supports only stt_form='constant' and h_applied=0")
        op = operating_point(params, temperature)
        return analytic_probability(op, i_write, t_pulse, method=method, complement=True, params=params, stacklevel=4)
    op, (delta, tau0, ic0, h, c) = _operating(params, temperature, h_applied, stt_form, direction)
    dims, coords, full, g = write_grid(op.n_devices, i_write, t_pulse)
    i = g["i_write"][:, :, 0] / ic0[:, None]
    s = g["t_pulse"][:, 0, :] / tau0[:, None]
    extra, attrs = {}, {}
    if method == "fokker_planck":
        wer, _, check = _fp_probabilities(delta, i, np.maximum(s, 1e-12), h, c, criterion, n_cells, threads)
        wer = np.where(s[:, None, :] > 0, wer, 1.0)
        cites = _FP_CITES
        attrs["table_max_rel_error"] = float(check)
        attrs["criterion"] = criterion
    elif method == "butler":
        if stt_form != "constant" or h_applied != 0.0:
            raise ValueError("method = 'butler' supports only stt_form='constant' and h_applied=0")
        wer = _butler_wer(delta[:, None, None], i[:, :, None], s[:, None, :])
        cites = ("Butler2012",)
        attrs["criterion"] = "first_passage"
    else:  # llg
        p, lo, hi = llg_probability(
            op,
            g["i_write"].ravel(),
            g["t_pulse"].ravel(),
            n_samples=n_samples,
            dt=dt,
            seed=seed,
            confidence=confidence,
            criterion=criterion,
            stt_form=stt_form,
            direction=direction,
            h_applied=h_applied,
        )
        wer, extra = 1.0 - p, {"ci_low": 1.0 - hi, "ci_high": 1.0 - lo}
        cites = ("Brown1963", "GarciaPalacios1998", "Slonczewski1996", "Sun2000")
        attrs.update(criterion=criterion, n_samples=int(n_samples), dt=float(dt), confidence=float(confidence))
    da = grid_dataarray(wer, dims, coords, full, "wer", "1", "write error rate 1 - P_switch")
    for name, arr in extra.items():
        da.coords[name] = annotate(
            xr.Variable(dims, squeeze_grid(arr, dims, full)),
            "1",
            f"{name.replace('_', ' ')} of the {confidence:.0%} Wilson interval",
        )
    return finalize(
        da,
        params=params,
        seed=seed if method == "llg" else None,
        cite=cites,
        method=method,
        temperature=float(temperature),
        stt_form=stt_form,
        direction=direction,
        h_applied=float(h_applied),
        **attrs,
    )


# --------------------------------------------------------------------------- inverse problems
def _wer_curve_root(s_grid, wer_rows, target):
    """Smallest s on each row with WER(s) = target (log-log interpolation; inf if never)."""
    lt = np.log(target)
    lw = np.log(np.maximum(wer_rows, 1e-300))
    ls = np.log(s_grid)
    below = lw <= lt
    j = np.argmax(below, axis=1)
    rows = np.arange(lw.shape[0])
    jm = np.maximum(j - 1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (lw[rows, jm] - lt) / (lw[rows, jm] - lw[rows, j])
    inner = np.exp(ls[jm] + np.nan_to_num(frac) * (ls[j] - ls[jm]))
    return np.where(~below.any(axis=1), np.inf, np.where(j == 0, s_grid[0], inner))


@renamed(current="i_write")
def pulse_for_wer(
    params: MTJParams,
    i_write,
    target,
    *,
    temperature=300.0,
    criterion="end_state",
    stt_form="constant",
    direction="ap_to_p",
    h_applied=0.0,
    n_cells=None,
    threads=None,
):
    """Shortest pulse width reaching write error rate ``target`` at write current ``i_write`` [s].

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    i_write : float or 1-D array [A]
        Write current (dim ``i_write`` if 1-D).
    target : float [1]
        Target WER in (1e-300, 1).
    temperature : float [K]
    criterion, stt_form, direction : str
        As in :func:`write_error_rate` (Fokker-Planck solver).
    h_applied : float [A/m]
    n_cells, threads : int, optional

    Returns
    -------
    xarray.DataArray
        ``t_pulse`` [s] with dims among (device, i_write); ``inf`` where the WER never
        falls to the target (e.g. below the critical current the end-state WER
        saturates at the stationary occupation of the +z side), with a warning.

    Notes
    -----
    WER(s) is computed on 400 log-spaced reduced times up to a bound that is
    multiplied by 4 until the target is crossed, and inverted by log-log interpolation; the result is
    then refined with direct solves (two secant steps) to a relative WER error below
    1e-3.
    """
    check_range("target", target, low=1e-300, high=1.0)
    op, (delta, tau0, ic0, h, c) = _operating(params, temperature, h_applied, stt_form, direction)
    dims, coords, full, g = write_grid(op.n_devices, i_write, 0.0)
    i = g["i_write"][:, :, 0] / ic0[:, None]
    n_dev, n_cur = i.shape
    s_hi = _s_upper(delta, i, h, c, target)
    s_needed = np.full((n_dev, n_cur), np.inf)
    todo = np.ones((n_dev, n_cur), bool)
    check = 0.0
    for _ in range(6):
        s_grid = np.geomspace(1e-3, float(np.max(s_hi[todo])), 400)
        wer, _, check = _fp_probabilities(
            delta, i, np.broadcast_to(s_grid, (n_dev, s_grid.size)), h, c, criterion, n_cells, threads
        )
        roots = _wer_curve_root(s_grid, wer.reshape(-1, s_grid.size), target).reshape(n_dev, n_cur)
        s_needed = np.where(todo, roots, s_needed)
        todo = ~np.isfinite(s_needed) & (wer[:, :, -1] > target) & _still_decaying(wer)
        if not np.any(todo):
            break
        s_hi = s_hi * 4.0
    if n_dev * n_cur <= DIRECT_MAX:
        s_needed = _polish_pulse(delta, i, h, c, s_needed, target, criterion, n_cells, threads)
    if np.any(~np.isfinite(s_needed)):
        warnings.warn(
            f"{int(np.sum(~np.isfinite(s_needed)))} operating points never reach WER = {target:g} "
            "(current too low): their pulse width is inf",
            stacklevel=3,
        )
    t = s_needed * tau0[:, None]
    dims = [d for d in dims if d != "t_pulse"]
    coords = {k: v for k, v in coords.items() if k != "t_pulse"}
    da = grid_dataarray(
        t[:, :, None], dims, coords, (n_dev, n_cur, 1), "t_pulse", "s", f"pulse width for WER = {target:g}"
    )
    return finalize(
        da,
        params=params,
        cite=_FP_CITES,
        target_wer=float(target),
        criterion=criterion,
        temperature=float(temperature),
        stt_form=stt_form,
        direction=direction,
        table_max_rel_error=float(check),
    )


def _still_decaying(wer):
    """Rows whose WER still falls at the end of the time grid (not at a plateau)."""
    last, before = wer[:, :, -1], wer[:, :, -20]
    return last < before * (1.0 - 1e-6)


def _s_upper(delta, i, h, c, target):
    """A first upper bound on the reduced pulse width: the supercritical tail estimate
    (ln(Delta / target) + 5) / (2 (j - 1)) or a multiple of the mean first-passage time."""
    j = i / (1.0 + c[:, None]) - h[:, None]
    tail = np.log(delta[:, None] / target) + 5.0
    sup = np.where(j > 1.05, tail / (2.0 * np.maximum(j - 1.0, 1e-9)), np.inf)
    with np.errstate(over="ignore", invalid="ignore"):
        mfpt = fp.mean_first_passage_reduced(np.minimum(delta[:, None], 300.0) + 0 * j, j, n_grid=1001)
    therm = np.where(np.isfinite(mfpt), mfpt * (np.log(1.0 / target) + 3.0), 1e30)
    return np.minimum(sup, therm) * 1.5 + 1.0


def _polish_pulse(delta, i, h, c, s_needed, target, criterion, n_cells, threads):
    """Two secant steps in ln s on ln WER - ln target with direct solves."""
    out = s_needed.copy()
    for d in range(s_needed.shape[0]):
        for k in range(s_needed.shape[1]):
            s0 = s_needed[d, k]
            if not np.isfinite(s0) or s0 <= 1e-3:
                continue
            s_try = np.array([0.98 * s0, s0])
            r = fp.solve_reduced(delta[d], i[d, k], s_try, h=h[d], c=c[d], criterion=criterion, n_cells=n_cells)
            lw = np.log(np.maximum(r.wer, 1e-300))
            slope = (lw[1] - lw[0]) / (np.log(s_try[1]) - np.log(s_try[0]))
            if slope < 0:
                out[d, k] = s0 * np.exp((np.log(target) - lw[1]) / slope)
    return out


def current_for_wer(
    params: MTJParams,
    t_pulse,
    target,
    *,
    temperature=300.0,
    criterion="end_state",
    stt_form="constant",
    direction="ap_to_p",
    h_applied=0.0,
    n_cells=None,
    threads=None,
    i_max=20.0,
):
    """Smallest write current reaching write error rate ``target`` with pulse ``t_pulse`` [A].

    Parameters
    ----------
    params : MTJParams
        A single device (use :func:`pulse_for_wer` for ensembles).
    t_pulse : float or 1-D array [s]
        Pulse width (dim ``t_pulse`` if 1-D), > 0.
    target : float [1]
        Target WER in (1e-300, 1).
    temperature : float [K]
    criterion, stt_form, direction : str
        As in :func:`write_error_rate`.
    h_applied : float [A/m]
    n_cells, threads : int, optional
    i_max : float [1]
        Largest reduced current I / I_c0 searched (default 20).

    Returns
    -------
    xarray.DataArray
        ``i_write`` [A] with dim ``t_pulse`` if 1-D.

    Notes
    -----
    Brent's method on ln WER(i) - ln target for each pulse width, each evaluation one
    Fokker-Planck solve (WER decreases monotonically with current).
    """
    check_range("target", target, low=1e-300, high=1.0)
    check_params(params)
    if params.n_devices != 1:
        raise ValueError(
            "current_for_wer takes a single device; for an ensemble use pulse_for_wer or loop over params.device(k)"
        )
    check_range("i_max", i_max, low=1.0, high=1e3)
    tp = np.atleast_1d(np.asarray(t_pulse, dtype=float))
    check_range("t_pulse", tp, low=0.0, units="s")
    _, (delta, tau0, ic0, h, c) = _operating(params, temperature, h_applied, stt_form, direction)
    d0, t0, ic, h0, c0 = float(delta[0]), float(tau0[0]), float(ic0[0]), float(h[0]), float(c[0])
    currents = np.empty(tp.size)
    for k, t in enumerate(tp):
        s = np.array([t / t0])

        def f(i_red, s=s):
            r = fp.solve_reduced(d0, i_red, s, h=h0, c=c0, criterion=criterion, n_cells=n_cells)
            return np.log(max(float(r.wer[0]), 1e-300)) - np.log(target)

        if f(i_max) > 0:
            currents[k] = np.inf
            warnings.warn(f"t_pulse = {t:.3g} s: WER {target:g} not reached below {i_max} I_c0", stacklevel=2)
            continue
        lo = 0.0 if f(0.0) > 0 else None
        currents[k] = ic * optimize.brentq(f, lo, i_max, xtol=1e-6, rtol=1e-6) if lo is not None else 0.0
    vals = currents if np.ndim(t_pulse) else currents[:1]
    dims = ["t_pulse"] if np.ndim(t_pulse) else []
    coords = {"t_pulse": annotate(xr.Variable("t_pulse", tp), "s", "pulse width")} if dims else {}
    da = xr.DataArray(vals if dims else vals[0], dims=dims, coords=coords, name="i_write")
    annotate(da, "A", f"write current for WER = {target:g}")
    return finalize(
        da,
        params=params,
        cite=_FP_CITES,
        target_wer=float(target),
        criterion=criterion,
        temperature=float(temperature),
        stt_form=stt_form,
        direction=direction,
    )


# --------------------------------------------------------------------------- read disturb, retention
def _flip_probability(
    op,
    params,
    current,
    t,
    method,
    criterion,
    n_cells,
    threads,
    tname,
    tlong,
    long_name,
    stt_form="constant",
    direction="ap_to_p",
):
    """Flip probability (m_z < 0) after ``t`` [s] at ``current`` [A] of the operating point ``op``."""
    t = np.asarray(t, dtype=float)
    check_range(tname, t, low=0.0, low_inclusive=True, units="s")
    if t.ndim > 1:
        raise ValueError(f"{tname} must be a scalar or 1-D, got shape {t.shape}")
    if method is None:
        method = "thermal" if params.attempt_time is not None else "fokker_planck"
    if method == "thermal":
        return thermal_failure(op, current, t, tname, tlong, long_name, params=params)
    if method != "fokker_planck":
        raise ValueError(f"method = {method!r}; allowed: 'fokker_planck', 'thermal'")
    _check_drive(op.temperature, 0.0, stt_form, direction)
    delta, tau0, ic0, h, c = _reduced(op, 0.0, stt_form, direction)
    i = (float(current) / ic0)[:, None]
    s = np.atleast_1d(t)[None, :] / tau0[:, None]
    _, flip, check = _fp_probabilities(delta, i, np.maximum(s, 1e-12), h, c, criterion, n_cells, threads)
    flip = np.where(s[:, None, :] > 0, flip, 0.0)[:, 0, :]
    da = device_time_array(flip, params.n_devices, t, tname, tlong, long_name)
    return finalize(
        da,
        params=params,
        cite=_FP_CITES + ("Coffey1994",),
        method=method,
        criterion=criterion,
        temperature=op.temperature,
        table_max_rel_error=float(check),
    )


def retention_failure_probability(
    params: MTJParams, t_storage, *, temperature=300.0, method=None, criterion="end_state", n_cells=None, threads=None
):
    """Probability that a stored bit has flipped after ``t_storage`` [s] at zero current.

    Parameters
    ----------
    params : MTJParams (device or ensemble)
    t_storage : float or 1-D array [s]
    temperature : float [K]
        Storage temperature (e.g. 358.15 for 85 C); the parameters' temperature law
        applies.
    method : {"fokker_planck", "thermal"}, optional
        ``"fokker_planck"`` (default unless ``params.attempt_time`` is set): the
        probability that m_z < 0 at ``t_storage`` from the Fokker-Planck solution,
        computed as a sum of masses (accurate for 1e-30 and below);
        ``"thermal"``: 1 - exp(-t / tau) with Brown's high-barrier escape time or the
        calibrated attempt time (default when ``attempt_time`` is set, since the
        Fokker-Planck prefactor is the macrospin one).
    criterion, n_cells, threads : see :func:`write_error_rate`.

    Returns
    -------
    xarray.DataArray [1], dims among (device, t_storage).
    """
    check_params(params)
    op = operating_point(params, temperature)
    return _flip_probability(
        op,
        params,
        0.0,
        t_storage,
        method,
        criterion,
        n_cells,
        threads,
        "t_storage",
        "storage time",
        "retention failure probability",
    )


def read_disturb_probability(
    params: MTJParams,
    i_read,
    t_read,
    *,
    temperature=300.0,
    method=None,
    criterion="end_state",
    stt_form="constant",
    direction="ap_to_p",
    n_cells=None,
    threads=None,
):
    """Probability that one read of current ``i_read`` [A] lasting ``t_read`` [s] flips the bit.

    The read current is taken in the destabilising direction (the worst case).  Methods
    as for :func:`retention_failure_probability`; at zero read current both functions
    agree exactly.
    """
    i_read = np.asarray(i_read, dtype=float)
    if i_read.ndim:
        raise ValueError(f"i_read must be a scalar current [A], got shape {i_read.shape}")
    check_params(params)
    op = operating_point(params, temperature)
    if abs(float(i_read)) >= float(np.min(op.ic0)):
        raise ValueError(
            f"i_read = {float(i_read):.4g} A is at or above I_c0 = {float(np.min(op.ic0)):.4g} A: "
            "a read would switch the device deterministically"
        )
    return _flip_probability(
        op,
        params,
        float(i_read),
        t_read,
        method,
        criterion,
        n_cells,
        threads,
        "t_read",
        "read duration",
        "read disturb probability per read",
        stt_form,
        direction,
    )
