"""Analytic and semi-analytic switching models of the collinear perpendicular MTJ.

Reduced variables: i = I / I_c0 (current), h = H_z / H_K,eff (field along +z),
x = m_z, s = t / tau_D with tau_D = (1 + alpha^2) / (alpha gamma0 H_K,eff).

* Thermal activation (Neel-Brown) with the current-lowered barrier Delta (1 - i)^2
  (the exponent 2 is exact for the collinear macrospin) and Brown's high-barrier
  prefactor [1]_ [2]_.
* Precessional switching: the exact zero-temperature switching time from an initial
  angle theta_0 [3]_ [4]_ averaged over the Boltzmann distribution of theta_0 (Sun's
  thermal-initial-angle model).
* Exact mean first-passage times of the axially symmetric Fokker-Planck equation in
  m_z (quadrature), valid at any current.

References
----------
.. [1] W. F. Brown, Phys. Rev. 130, 1677 (1963).
.. [2] W. T. Coffey et al., Phys. Rev. E 49, 1869 (1994).
.. [3] J. Z. Sun, Phys. Rev. B 62, 570 (2000).
.. [4] W. H. Butler et al., IEEE Trans. Magn. 48, 4684 (2012).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import xarray as xr
from scipy import integrate, special

from ..constants import EULER_GAMMA
from ..params import as_float_array, check_range, seed_sequence
from ..provenance import annotate, finalize
from .mtj import MTJParams

__all__ = ["reduced_current", "thermal_escape_time", "precessional_switching_time",
           "first_passage_time", "mean_first_passage_reduced", "mean_switching_time", "switching_probability", "CROSSOVER_BARRIER"]

#: Reduced barrier Delta (1 - i)^2 below which the thermal model leaves its range of
#: validity (Brown's high-barrier asymptote is 27 % off at a barrier of 5, Coffey 1994).
CROSSOVER_BARRIER = 4.0

_THERMAL_CITES = ("Brown1963", "Coffey1994", "Butler2012")
_PRECESSIONAL_CITES = ("Sun2000", "Koch2004", "Butler2012")


def _check_params(params):
    if not isinstance(params, MTJParams):
        raise TypeError(f"params must be an MTJParams, got {type(params).__name__}")


@dataclass(frozen=True)
class _Derived:
    """The derived quantities the analytic models need, as arrays shaped for broadcasting."""

    delta: np.ndarray
    tau0: np.ndarray
    ic0: np.ndarray
    attempt_time: np.ndarray | None


def _derived(params, temperature, shape=None):
    """Derived quantities of ``params`` at ``temperature``, optionally reshaped (e.g. (-1, 1, 1))."""
    def r(a):
        a = np.asarray(a, dtype=float)
        return a if shape is None or a.ndim == 0 else a.reshape(shape)
    params = params.at_temperature(temperature)
    at = None if params.attempt_time is None else r(params.attempt_time)
    return _Derived(r(params.delta(temperature)), r(params.tau0), r(params.ic0), at)


def reduced_current(params: MTJParams, current):
    """i = I / I_c0 (broadcasts)."""
    _check_params(params)
    current = np.asarray(current, dtype=float)
    check_range("current", current, low=-1.0, high=1.0, low_inclusive=True, high_inclusive=True, units="A")
    return current / params.ic0


def thermal_escape_time(params: MTJParams, current=0.0, *, temperature=300.0, h=0.0):
    """Mean time to escape the +z well by thermal activation [s].

    Parameters
    ----------
    params : MTJParams
    current : float or array [A]
        Sub-critical current (|i| < 1 after the field shift).
    temperature : float [K]
    h : float
        Reduced field H_z / H_K,eff along +z (stabilising for h > 0).

    Notes
    -----
    With the effective potential U(x) = Delta (2 (i - h) x - x^2) the barrier from
    x = +1 is Delta (1 - j)^2, j = i - h, and Brown's high-barrier escape time is

        tau = tau_D sqrt(pi / Delta) exp[Delta (1 - j)^2] / ((1 - j)^2 (1 + j)),

    which at j = 0 is Brown's tau_D sqrt(pi/Delta) e^Delta.  If ``params.attempt_time``
    is set, the calibrated Neel-Brown law tau = tau_0 exp[Delta (1 - j)^2] is used
    instead.  Valid for Delta (1 - j)^2 >> 1 (a warning is issued below
    ``CROSSOVER_BARRIER``); the high-barrier asymptote underestimates the exact
    escape time by about 27 %, 12 % and 8 % at Delta = 5, 10, 15 (Coffey et al. 1994).
    """
    params = params.at_temperature(temperature)
    j = reduced_current(params, current) - h
    return _tau_escape(_derived(params, temperature), j)


def _tau_escape(dev, j):
    """Escape time [s] at reduced drive j = i - h (see :func:`thermal_escape_time`)."""
    delta = dev.delta
    if np.any(j >= 1.0):
        raise ValueError(f"thermal_escape_time needs a sub-critical drive I/I_c0 - h < 1, got up to {np.max(j):.4g}; "
                         "use the precessional model or mean_switching_time above I_c0")
    barrier = delta * (1.0 - j) ** 2
    if np.any(barrier < CROSSOVER_BARRIER):
        warnings.warn(f"reduced barrier Delta (1 - i)^2 = {np.min(barrier):.3g} < {CROSSOVER_BARRIER}: "
                      "outside the high-barrier range of the thermal-activation model", stacklevel=2)
    if dev.attempt_time is not None:
        return dev.attempt_time * np.exp(barrier)
    return dev.tau0 * np.sqrt(np.pi / delta) * np.exp(barrier) / ((1.0 - j) ** 2 * (1.0 + j))


def _sun_exact_time(theta0, i):
    """Zero-temperature time from theta_0 to the equator, in units of tau_D (i > 1).

    dtheta/ds = sin theta (i - cos theta); with u = cos theta and u0 = cos theta0,
    s = A ln[1/(1-u0)] - B ln[1/(1+u0)] + C ln[i/(i-u0)],
    A = 1/(2(i-1)), B = 1/(2(i+1)), C = 1/(1-i^2).
    """
    u0 = np.cos(theta0)
    one_minus_u0 = 2.0 * np.sin(0.5 * theta0) ** 2
    a = 0.5 / (i - 1.0)
    b = 0.5 / (i + 1.0)
    c = 1.0 / (1.0 - i * i)
    return -a * np.log(one_minus_u0) + b * np.log1p(u0) + c * np.log(i / (i - u0))


def precessional_switching_time(params: MTJParams, current, theta0):
    """Zero-temperature time for the magnetisation to reach the equator [s].

    Exact solution of the collinear macrospin LLGS from the initial angle ``theta0``
    [rad] at supercritical current (I > I_c0); Sun's approximation
    tau_D ln(pi / (2 theta_0)) / (i - 1) overestimates it by 4-20 %.
    """
    i = reduced_current(params, current)
    if np.any(i <= 1.0):
        raise ValueError(f"precessional switching needs I > I_c0, got I/I_c0 down to {np.min(i):.4g}")
    theta0 = np.asarray(theta0, dtype=float)
    check_range("theta0", theta0, low=0.0, high=np.pi / 2, high_inclusive=True, units="rad")
    return params.tau0 * _sun_exact_time(theta0, i)


def _critical_angle(s, i):
    """theta_c with _sun_exact_time(theta_c, i) = s (vectorised bisection in log theta)."""
    s, i = np.broadcast_arrays(np.asarray(s, float), np.asarray(i, float))
    lo = np.full(s.shape, np.log(1e-150))
    hi = np.full(s.shape, np.log(np.pi / 2))
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        too_slow = _sun_exact_time(np.exp(mid), i) > s  # slower than s: need a larger angle
        lo = np.where(too_slow, mid, lo)
        hi = np.where(too_slow, hi, mid)
    return np.exp(0.5 * (lo + hi))


def _well_tail(theta_c, delta):
    """P(theta_0 < theta_c) = P(x0 > cos theta_c) for x0 in [0, 1] with density ~ exp(Delta x^2).

    Computed without cancellation for tiny angles: with y = 1 - x,
    numerator = int_0^{y_c} exp(Delta (y^2 - 2 y)) dy (16-point Gauss-Legendre, exact to
    rounding while Delta y_c <= 1), denominator = int_0^1 exp(Delta (x^2 - 1)) dx
    = dawsn(sqrt Delta) / sqrt Delta.  Larger y_c use the closed form via Dawson's function.
    """
    delta, theta_c = np.broadcast_arrays(np.asarray(delta, float), np.asarray(theta_c, float))
    yc = 2.0 * np.sin(0.5 * theta_c) ** 2
    sd = np.sqrt(delta)
    denom = special.dawsn(sd) / sd
    nodes, weights = np.polynomial.legendre.leggauss(16)
    y = 0.5 * yc[..., None] * (nodes + 1.0)
    small = 0.5 * yc * np.sum(weights * np.exp(delta[..., None] * (y * y - 2.0 * y)), axis=-1)
    xc = 1.0 - yc
    large = denom - np.exp(delta * (xc * xc - 1.0)) * special.dawsn(sd * xc) / sd
    return np.where(delta * yc <= 1.0, small, large) / denom


def _wer_precessional(dev, i, t):
    """Deterministic reversal from a thermal initial angle: 1 - P; 1 for i <= 1.

    Thermal noise also acts during the reversal, while the magnetisation is still near
    the pole where the spin torque is weak.  For the linearised small-angle dynamics
    (growth rate (i - 1) / tau_D, diffusion 1 / (2 Delta tau_D) per component) the
    variance of the angle grows as if the initial Boltzmann distribution had

        1 / Delta_eff = (1 / Delta) [1 + (1 - exp(-2 (i - 1) s)) / (i - 1)],  s = t / tau_D,

    which tends to Delta (i - 1) / i for long pulses (the factor in Butler et al.'s
    2012 WER expression) and stays finite as i -> 1; the nonlinear part of the
    trajectory is then deterministic.
    """
    s = t / dev.tau0
    supercritical = i > 1.0
    i_safe = np.where(supercritical, i, 2.0)
    theta_c = _critical_angle(np.maximum(s, 1e-300), i_safe)
    delta_eff = dev.delta / (1.0 - np.expm1(-2.0 * (i_safe - 1.0) * s) / (i_safe - 1.0))
    return np.where((s > 0) & supercritical, _well_tail(theta_c, delta_eff), 1.0)


def _wer_thermal(dev, i, t):
    return np.exp(-t / _tau_escape(dev, i))


def first_passage_time(params: MTJParams, current=0.0, *, temperature=300.0, h=0.0, mz_target=0.0,
                       mz_start=None, n_grid=4001):
    """Exact mean first-passage time of m_z to ``mz_target`` [s] (collinear macrospin).

    Solves the axially symmetric Fokker-Planck (Brown) problem by quadrature:

        T(x0 -> x_t) = 2 tau_N int_{x_t}^{x0} dx e^{U(x)} / (1 - x^2) int_x^1 e^{-U(y)} dy,

    U(x) = Delta (2 (i - h) x - x^2), tau_N = Delta tau_D, reflecting at x = 1.  With
    ``mz_start=None`` the start is averaged over the Boltzmann distribution of the +z
    well (m_z > max(x_t, 0)); otherwise it starts at ``mz_start``.  The quadrature runs in
    theta = arccos x on ``n_grid`` points (relative error below 1e-5 for Delta <= 100).

    Parameters
    ----------
    params : MTJParams (scalar or ensemble)
    current : float or array [A]
    temperature : float [K]
    h : float
        Reduced applied field along +z.
    mz_target : float in (-1, 1)
        Absorbing level of m_z.
    mz_start : float in (mz_target, 1], optional
    n_grid : int
    """
    check_range("mz_target", mz_target, low=-1.0, high=1.0)
    if mz_start is not None:
        check_range("mz_start", mz_start, low=mz_target, high=1.0, high_inclusive=True)
    params = params.at_temperature(temperature)
    i = reduced_current(params, current)
    delta, tau_d = np.broadcast_arrays(params.delta(temperature), params.tau0)
    i, delta, tau_d = np.broadcast_arrays(i, delta, tau_d)
    t = tau_d * mean_first_passage_reduced(delta, i - h, mz_target=mz_target, mz_start=mz_start,
                                             n_grid=n_grid)
    return t


def mean_first_passage_reduced(delta, j, *, mz_target=0.0, mz_start=None, n_grid=4001):
    """Mean first-passage time T / tau_D of m_z from the +z well to ``mz_target``.

    Reduced form of :func:`first_passage_time`: ``delta`` (Delta) and ``j`` = i - h
    broadcast; ``mz_start=None`` averages the start over the Boltzmann distribution of
    the +z well.
    """
    delta, j = np.broadcast_arrays(np.asarray(delta, float), np.asarray(j, float))
    shape = j.shape
    j, delta = (a.reshape(-1, 1) for a in (j, delta))
    if np.any(delta > 300):
        raise ValueError(f"first_passage_time supports Delta <= 300 (exp overflow), got {np.max(delta):.4g}")
    theta = np.linspace(0.0, np.arccos(mz_target), n_grid)[None, :]
    x = np.cos(theta)
    u = delta * (2.0 * j * x - x * x)
    u1 = delta * (2.0 * j - 1.0)  # U(1): subtract it to keep the exponentials in range
    sin = np.sin(theta)
    inner = integrate.cumulative_trapezoid(np.exp(-(u - u1)) * sin, theta, axis=1, initial=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(sin > 0, np.exp(u - u1) * inner / np.where(sin > 0, sin, 1.0), 0.0)
    big_g = integrate.cumulative_trapezoid(g, theta, axis=1, initial=0.0)  # G(theta)
    if mz_start is None:
        w = np.exp(delta * (x * x - 1.0)) * sin * (x >= max(mz_target, 0.0))
        mean_g0 = integrate.trapezoid(w * big_g, theta, axis=1) / integrate.trapezoid(w, theta, axis=1)
        t = 2.0 * delta[:, 0] * (big_g[:, -1] - mean_g0)
    else:
        g0 = np.array([np.interp(np.arccos(mz_start), theta[0], row) for row in big_g])
        t = 2.0 * delta[:, 0] * (big_g[:, -1] - g0)
    return t.reshape(shape)


def mean_switching_time(params: MTJParams, current, *, temperature=300.0, model="exact"):
    """Mean time for a constant current to switch the device (reach m_z = 0) [s].

    Parameters
    ----------
    params : MTJParams
    current : float or array [A]
    temperature : float [K]
    model : {"exact", "sun", "thermal"}
        * ``"exact"``: Fokker-Planck mean first-passage time to the equator from the
          thermal initial distribution (:func:`first_passage_time`), any current;
        * ``"sun"``: Sun's thermally averaged precessional time
          tau_D [ln(pi^2 Delta / 4) + gamma_E] / (2 (i - 1)), for i > 1 (Sun 2000);
        * ``"thermal"``: half of Brown's escape time (the mean time to reach the
          barrier top, from which the magnetisation leaves either way with equal
          probability), for i < 1.

    Returns
    -------
    xarray.DataArray [s]
    """
    _check_params(params)
    params = params.at_temperature(temperature)
    if model == "exact":
        t = first_passage_time(params, current, temperature=temperature)
        cites = ("Brown1963", "Coffey1994")
    elif model == "sun":
        i = reduced_current(params, current)
        if np.any(i <= 1.0):
            raise ValueError(f"model='sun' needs I > I_c0, got I/I_c0 down to {np.min(i):.4g}")
        delta = params.delta(temperature)
        t = params.tau0 * (np.log(np.pi ** 2 * delta / 4.0) + EULER_GAMMA) / (2.0 * (i - 1.0))
        cites = _PRECESSIONAL_CITES
    elif model == "thermal":
        t = 0.5 * thermal_escape_time(params, current, temperature=temperature)
        cites = _THERMAL_CITES
    else:
        raise ValueError(f"model = {model!r}; allowed: 'exact', 'sun', 'thermal'")
    da = xr.DataArray(np.asarray(t, float))
    annotate(da, "s", "mean switching time (first passage of m_z through 0)")
    return finalize(da, params=params, cite=cites, model=model, temperature=float(temperature))


def _labelled(params, current, t_pulse):
    """Outer-product broadcasting with named dims (device, current, t_pulse)."""
    dims, coords = [], {}
    n_dev = params.n_devices
    cur = np.asarray(as_float_array(current, "current"))
    tp = np.asarray(as_float_array(t_pulse, "t_pulse"))
    for name, arr in (("current", cur), ("t_pulse", tp)):
        if arr.ndim > 1:
            raise ValueError(f"{name} must be a scalar or 1-D, got shape {arr.shape}")
    check_range("t_pulse", tp, low=0.0, low_inclusive=True, units="s")
    if not np.all(np.isfinite(cur)):
        raise ValueError(f"current must be finite [A], got {cur!r}")
    if n_dev > 1:
        dims.append("device")
        coords["device"] = annotate(xr.Variable("device", np.arange(n_dev)), "1", "device index")
    if cur.ndim == 1:
        dims.append("current")
        coords["current"] = annotate(xr.Variable("current", cur), "A", "write current")
    if tp.ndim == 1:
        dims.append("t_pulse")
        coords["t_pulse"] = annotate(xr.Variable("t_pulse", tp), "s", "pulse width")
    full = (n_dev, cur.size, tp.size)
    grids = {
        "device": np.arange(n_dev).reshape(-1, 1, 1),
        "current": cur.reshape(1, -1, 1),
        "t_pulse": tp.reshape(1, 1, -1),
    }
    return dims, coords, full, grids


def switching_probability(params: MTJParams, current, t_pulse, *, temperature=300.0, model="auto",
                          n_samples=1000, dt=1e-12, seed=None, confidence=0.95, complement=False):
    """Probability that a rectangular current pulse switches the device.

    Parameters
    ----------
    params : MTJParams
        A scalar device or an ensemble (dimension ``device`` in the output).
    current : float or 1-D array [A]
        Pulse current (dimension ``current`` if 1-D).
    t_pulse : float or 1-D array [s]
        Pulse width (dimension ``t_pulse`` if 1-D).
    temperature : float [K]
    model : {"auto", "thermal", "precessional", "llg"}
        * ``"thermal"``: P = 1 - exp(-t / tau(i)) with Brown's escape time at the
          current-lowered barrier Delta (1 - i)^2 (i < 1);
        * ``"precessional"``: P = P[theta_0 > theta_c(t)] with theta_c the initial
          angle whose exact zero-temperature switching time is t and theta_0 drawn
          from a Boltzmann distribution with Delta_eff (-> Delta (i - 1) / i for
          long pulses), which adds the noise absorbed near the pole during the reversal (Sun 2000,
          Butler 2012); the deterministic reversal cannot happen at i <= 1 (gives 0);
        * ``"llg"``: Monte Carlo with :func:`spinaps.device.simulate`, ``n_samples``
          devices per point, switched meaning m_z crossed zero within the pulse; the
          Wilson confidence interval is returned as coordinates ``ci_low``/``ci_high``;
        * ``"auto"``: thermal for i < 1, precessional for i >= 1, with a warning for
          points in the crossover Delta (1 - i)^2 < ``CROSSOVER_BARRIER``.
    n_samples, dt, seed : Monte-Carlo settings for ``model="llg"``.
    confidence : float
        Confidence level of the Monte-Carlo interval.
    complement : bool
        Return the write error rate 1 - P instead, computed without cancellation
        (accurate to rounding far into the tail, e.g. 1e-15).

    Returns
    -------
    xarray.DataArray
        ``p_switch`` (or ``wer`` with ``complement=True``) with dims among
        (device, current, t_pulse).
    """
    _check_params(params)
    params = params.at_temperature(temperature)
    if model not in ("auto", "thermal", "precessional", "llg"):
        raise ValueError(f"model = {model!r}; allowed: 'auto', 'thermal', 'precessional', 'llg'")
    dims, coords, full, g = _labelled(params, current, t_pulse)
    dev = _derived(params, temperature, shape=(-1, 1, 1))
    i = reduced_current(params, g["current"]) if params.n_devices == 1 else g["current"] / dev.ic0
    t = g["t_pulse"]
    extra = {}
    if model == "llg":
        p, lo, hi = _p_llg(params, g["current"].ravel(), t.ravel(), temperature, n_samples, dt, seed, confidence)
        if complement:
            p, lo, hi = 1.0 - p, 1.0 - hi, 1.0 - lo
        cites = ("Brown1963", "GarciaPalacios1998", "Slonczewski1996", "Sun2000")
        extra = {"ci_low": lo, "ci_high": hi}
    else:
        i_b, t_b = np.broadcast_arrays(i, t)
        q = np.full(full, np.nan)  # 1 - P
        use_thermal = (i_b < 1.0) if model == "auto" else np.full(i_b.shape, model == "thermal")
        if model == "auto":
            crossover = dev.delta * (1.0 - np.broadcast_to(i, full)) ** 2 < CROSSOVER_BARRIER
            if np.any(crossover):
                warnings.warn(f"{int(crossover.sum())} points lie in the thermal/precessional crossover "
                              f"(Delta (1 - i)^2 < {CROSSOVER_BARRIER}) where neither asymptotic model is "
                              "accurate; use model='llg' there", stacklevel=2)
        if np.any(use_thermal):
            with warnings.catch_warnings():
                if model == "auto":  # the crossover warning above already covers these points
                    warnings.simplefilter("ignore")
                q = np.where(use_thermal, _wer_thermal(dev, np.where(use_thermal, i_b, 0.0), t_b), q)
        if np.any(~use_thermal):
            q = np.where(use_thermal, q, _wer_precessional(dev, i_b, t_b))
        p = q if complement else 1.0 - q
        cites = {"thermal": _THERMAL_CITES, "precessional": _PRECESSIONAL_CITES}.get(
            model, _THERMAL_CITES + _PRECESSIONAL_CITES)
    squeeze = tuple(ax for ax, name in enumerate(("device", "current", "t_pulse")) if name not in dims)
    da = xr.DataArray(np.squeeze(np.broadcast_to(p, full), axis=squeeze), dims=dims, coords=coords,
                      name="wer" if complement else "p_switch")
    for name, arr in extra.items():
        da.coords[name] = annotate(xr.Variable(dims, np.squeeze(np.broadcast_to(arr, full), axis=squeeze)),
                                   "1", f"{name.replace('_', ' ')} of the {confidence:.0%} Wilson interval")
    annotate(da, "1", "write error rate 1 - P" if complement else "switching probability")
    return finalize(da, params=params, seed=seed if model == "llg" else None, cite=cites, model=model,
                    temperature=float(temperature))


def _wilson(k, n, confidence):
    z = special.ndtri(0.5 + confidence / 2.0)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(np.minimum(centre - half, p), 0, 1), np.clip(np.maximum(centre + half, p), 0, 1)


def _p_llg(params, currents, t_pulses, temperature, n_samples, dt, seed, confidence, criterion="first_passage",
           stt_form="constant", direction="ap_to_p", h_applied=0.0):
    """Monte-Carlo switching probability (device, current, t_pulse) and its Wilson interval.

    ``criterion="first_passage"``: switched if m_z crossed 0 before the pulse ended (one
    run per current, read off ``t_switch``); ``"end_state"``: switched if m_z < 0 when
    the pulse ends (one run per pulse width, all with the same random streams).
    """
    from .llg import simulate
    if int(n_samples) < 1:
        raise ValueError(f"n_samples = {n_samples} must be >= 1")
    n_dev = params.n_devices
    t_pulses = np.asarray(t_pulses, dtype=float)
    if float(np.max(t_pulses)) <= 0:
        raise ValueError("model='llg' needs at least one positive t_pulse")
    seqs = seed_sequence(seed).spawn(len(currents))
    k = np.zeros((n_dev, len(currents), len(t_pulses)))
    ens, n = (params, n_samples) if n_dev == 1 else (_repeat(params, n_samples), n_dev * n_samples)
    opts = dict(dt=dt, n_devices=n, temperature=temperature, stt_form=stt_form, direction=direction,
                h_applied=(0.0, 0.0, float(h_applied)))
    for c, (cur, sq) in enumerate(zip(currents, seqs)):
        if criterion == "first_passage":
            ds = simulate(ens, cur, float(np.max(t_pulses)), seed=sq, **opts)
            ts = ds.t_switch.values.reshape(n_dev, n_samples)
            k[:, c, :] = (ts[:, :, None] <= t_pulses[None, None, :]).sum(axis=1)
        else:
            for m, t in enumerate(t_pulses):
                if t <= 0:
                    continue
                ds = simulate(ens, cur, float(t), seed=np.random.SeedSequence(sq.entropy, spawn_key=sq.spawn_key),
                              **opts)
                k[:, c, m] = (ds.mz.values[:, -1] < 0.0).reshape(n_dev, n_samples).sum(axis=1)
    p = k / n_samples
    lo, hi = _wilson(k, n_samples, confidence)
    return p, lo, hi


def _repeat(params, n_samples):
    """Ensemble with every device of ``params`` repeated ``n_samples`` times."""
    changes = {name: np.repeat(value, n_samples) for name, value in params.broadcast().items()}
    return replace(params, **changes)


def _thermal_failure(params, current, t, temperature, tname, tlong, long_name):
    """P = 1 - exp(-t / tau_esc(current)) as a labelled DataArray (retention, read disturb)."""
    _check_params(params)
    t = np.asarray(t, dtype=float)
    check_range(tname, t, low=0.0, low_inclusive=True, units="s")
    if t.ndim > 1 or np.ndim(current) > 0:
        raise ValueError(f"{tname} and the current must be scalars or {tname} 1-D")
    tau = np.atleast_1d(thermal_escape_time(params, current, temperature=temperature))
    p = -np.expm1(-np.atleast_1d(t)[None, :] / tau[:, None])
    da = _device_time_array(p, params.n_devices, t, tname, tlong, long_name)
    return finalize(da, params=params, cite=_THERMAL_CITES, temperature=float(temperature))


def _device_time_array(p, n_devices, t, tname, tlong, long_name):
    """Label a (device, time) probability array, dropping the axes that are scalars."""
    dims, coords = [], {}
    if n_devices > 1:
        dims.append("device")
        coords["device"] = annotate(xr.Variable("device", np.arange(n_devices)), "1", "device index")
    else:
        p = p[0]
    if t.ndim == 1:
        dims.append(tname)
        coords[tname] = annotate(xr.Variable(tname, t), "s", tlong)
    else:
        p = p[..., 0]
    return annotate(xr.DataArray(p, dims=dims, coords=coords), "1", long_name)
