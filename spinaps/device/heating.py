r"""Joule heating of the junction during a write pulse.

A write current I through the tunnel barrier dissipates P = I^2 R = V^2 / R in the
junction; the heat flows out through the electrodes, and in steady state the junction
sits at

.. math:: T_j = T_0 + R_\mathrm{th} P(T_j), \qquad
          P(T_j) = I^2 R(V, T_j), \qquad V = I R(V, T_j),

with R the resistance of the junction in its *initial* state (the state the pulse
writes away from: AP for ``"ap_to_p"``, P for ``"p_to_ap"``), the bias-dependent TMR
:meth:`~spinaps.device.MTJParams.tmr` and, when the parameters carry one, the TMR(T)
law of :meth:`~spinaps.device.MTJParams.at_temperature`.  T_j is a self-consistent
fixed point; :func:`junction_temperature` solves it by bracketing (Brent) and says when
it has no solution in the valid temperature range.

Thermal resistance.  In the vertical-heat-flow picture of a nanopillar (heat generated
at the barrier leaves vertically through the electrodes to the leads; Sousa et al.
2004; Lee and Lim 2008) the thermal resistance scales as the inverse of the junction
area, R_th = r_th / A with a specific thermal resistance r_th [K m^2 / W] set by the
stack.  :data:`THERMAL_RESISTANCE_AREA` is an *assumed* r_th = 1e-9 K m^2/W (about
40 nm of a thin-film metal electrode of thermal conductivity 20 W/(m K) on each side
of the barrier, the two paths in parallel).  It gives R_th = 8.0e5 K/W for a 40 nm disk
and a temperature rise of tens of kelvin at a write current density of a few MA/cm^2
and RA = 10 Ohm um^2, inside the range the literature reports: finite-element
calculations give up to 145 K at the critical switching conditions of an MgO MTJ
(Lee and Lim 2008), measurements of perpendicular MgO MTJs exclude substantial heating
(more than about 60 K) at spin-torque switching voltages (Le Goff et al. 2016), and
real-time measurements show ns-scale heating dynamics (Chavent et al. 2016).  Give
the thermal resistance of the actual stack where it is known.

Steady state is assumed within the pulse.  The junction heats up with the thermal time
constant of the pillar and its electrodes, of the order of a nanosecond (Chavent et al.
2016 resolve the heating dynamics in real time on that scale; the value depends on the
stack and is not a constant of this module); for pulses of a few ns and longer the
steady state is a good description, for sub-ns pulses it overestimates the heating
(the junction temperature would still be rising when the magnetisation switches).

Internal helpers other device modules use: :func:`solve_junction_temperature`
(numpy arrays, no labels) and :func:`resolve_thermal_resistance`.

References
----------
* Sousa, R. C., et al., "Tunneling hot spots and heating in magnetic tunnel
  junctions", J. Appl. Phys. 95, 6783-6785 (2004); citation key ``Sousa2004``.
* Lee, D. H. and Lim, S. H., "Increase of temperature due to Joule heating during
  current-induced magnetization switching of an MgO-based magnetic tunnel junction",
  Appl. Phys. Lett. 92, 233502 (2008); citation key ``LeeLim2008``.
* Le Goff, A., Nikitin, V. and Devolder, T., "Spin-wave thermal population as
  temperature probe in magnetic tunnel junctions", arXiv:1603.02591 (2016);
  citation key ``LeGoff2016``.
* Chavent, A., et al., "Steady state and dynamics of Joule heating in magnetic tunnel
  junctions observed via the temperature dependence of RKKY coupling", Phys. Rev.
  Applied 6, 034003 (2016); citation key ``Chavent2016``.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import optimize

from ..params import T_MAX, as_float_array, check_choice, check_range, check_temperature
from ..provenance import annotate, finalize
from .tools import DIRECTIONS, check_current, check_params, device_coord, operating_point

__all__ = ["junction_temperature", "default_thermal_resistance", "THERMAL_RESISTANCE_AREA"]

#: Specific thermal resistance r_th = R_th A of the junction [K m^2 / W] (assumed; see
#: the module notes: vertical heat flow, R_th proportional to 1 / area, bracketed by
#: Lee and Lim 2008 and Le Goff et al. 2016).
THERMAL_RESISTANCE_AREA = 1.0e-9

#: Citation keys of the heating model.
HEATING_CITES = ("Sousa2004", "LeeLim2008", "LeGoff2016", "Chavent2016")

#: Initial state of the junction for each write direction (the state written away from).
INITIAL_STATE = {"ap_to_p": "ap", "p_to_ap": "p"}


def default_thermal_resistance(params):
    """The default thermal resistance R_th = r_th / A of ``params`` [K/W].

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble.

    Returns
    -------
    float or numpy.ndarray [K/W]
        :data:`THERMAL_RESISTANCE_AREA` divided by the junction area (per device for
        an ensemble).

    Examples
    --------
    >>> from spinaps.device import preset
    >>> f"{float(default_thermal_resistance(preset('Ikeda2010'))):.3g} K/W"  # 40 nm disk
    '7.96e+05 K/W'
    """
    check_params(params)
    return THERMAL_RESISTANCE_AREA / params.area


def resolve_thermal_resistance(params, thermal_resistance) -> np.ndarray:
    """Per-device thermal resistances [K/W], shape (n_devices,): the given value(s),
    checked to lie in [0, 1e12] K/W, or :func:`default_thermal_resistance` for ``None``."""
    n = params.n_devices
    if thermal_resistance is None:
        r = np.asarray(default_thermal_resistance(params), dtype=float)
    else:
        r = np.asarray(as_float_array(thermal_resistance, "thermal_resistance"), dtype=float)
        check_range("thermal_resistance", r, low=0.0, high=1e12, low_inclusive=True, high_inclusive=True, units="K/W")
        if r.ndim > 1 or (r.ndim == 1 and r.size not in (1, n)):
            raise ValueError(
                f"thermal_resistance must be a scalar or one value per device ({n}) [K/W], got shape {r.shape}"
            )
    return np.broadcast_to(r.reshape(-1) if r.ndim else r, (n,)).astype(float)


def junction_resistance(params, current, state):
    """Resistance [Ohm] of the junction carrying ``current`` [A] in ``state`` ("p" or "ap").

    R_P = RA / A is bias independent; in AP the bias V solves V = |I| R_P (1 + TMR(V))
    (:meth:`MTJParams.tmr`), by bisection to 1e-12 relative (the left side minus the
    right is increasing in V, so the root is unique).  ``params`` is one device and
    ``current`` a 1-D array; the result has the shape of ``current``.
    """
    current = np.abs(np.asarray(current, dtype=float))
    r_p = float(params.r_p)
    if state == "p":
        return np.full_like(current, r_p)
    lo, hi = current * r_p, current * r_p * (1.0 + float(params.tmr0))  # TMR(V) in [0, TMR0]
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        too_low = mid < current * r_p * (1.0 + params.tmr(mid))
        lo, hi = np.where(too_low, mid, lo), np.where(too_low, hi, mid)
        if np.all(hi - lo <= 1e-12 * np.maximum(hi, 1e-300)):
            break
    v = 0.5 * (lo + hi)
    return np.where(current > 0, v / np.maximum(current, 1e-300), r_p * (1.0 + float(params.tmr0)))


def _upper_temperature(params) -> float:
    """Highest temperature [K] the parameters can be taken to: below T_MAX, below T_C (Bloch
    law) and below the temperature where the TMR law's polarisation vanishes."""
    t = T_MAX * (1.0 - 1e-9)
    if params.curie_temperature is not None:
        t = min(t, float(np.min(params.curie_temperature)) * (1.0 - 1e-9))
    if params.tmr_bloch_coefficient is not None and float(np.max(params.tmr_bloch_coefficient)) > 0:
        t = min(t, float(np.max(params.tmr_bloch_coefficient)) ** (-2.0 / 3.0) * (1.0 - 1e-9))
    return t


def _device_temperatures(p, current, t0, r_th, state, index):
    """Junction temperatures [K] of one device ``p`` (at ``t0``) at the currents ``current`` (1-D)."""
    rise0 = r_th * current**2 * junction_resistance(p, current, state)  # the rise with R at T0
    t_cap = _upper_temperature(p)
    if p.tmr_bloch_coefficient is None:  # R does not depend on T: the closed form
        t = t0 + rise0
        for tj, i in zip(t, current, strict=True):
            if tj > t_cap:
                _no_solution(p, i, t0, r_th, index, tj)
            _valid_at(p, tj, i, t0, r_th, index)
        return t
    out = np.empty_like(current)
    for k, i in enumerate(current):

        def residual(t, i=i):
            q = _valid_at(p, t, i, t0, r_th, index)
            return t - t0 - r_th * i**2 * float(junction_resistance(q, np.array([i]), state)[0])

        if rise0[k] <= 0.0:  # no current or no thermal resistance
            out[k] = t0
            continue
        t_hi = min(t0 + 1.5 * rise0[k], t_cap)  # expanded until the residual changes sign
        while residual(t_hi) < 0.0:
            if t_hi >= t_cap:
                _no_solution(p, i, t0, r_th, index, t_cap)
            t_hi = min(t0 + 2.0 * (t_hi - t0), t_cap)
        out[k] = optimize.brentq(residual, t0, t_hi, xtol=1e-9, rtol=1e-12)
    return out


def _valid_at(p, t, i, t0, r_th, index):
    """``p`` at ``t`` [K] via the operating-point helper; a ValueError naming the
    heating if the parameters are invalid there (e.g. the layer turns in-plane)."""
    try:
        return operating_point(p, float(t)).params
    except ValueError as err:
        raise ValueError(
            f"joule heating: i_write = {i:.4g} A with thermal_resistance = {r_th:.4g} K/W heats "
            f"device {index} from {t0:g} K to {float(t):.4g} K, where its parameters are invalid ({err})"
        ) from None


def _no_solution(p, i, t0, r_th, index, t_reached):
    raise ValueError(
        f"joule heating: no steady junction temperature for i_write = {i:.4g} A with "
        f"thermal_resistance = {r_th:.4g} K/W on device {index} (ambient {t0:g} K): the "
        f"fixed point T = T0 + R_th I^2 R(T) lies above {t_reached:.4g} K, beyond the "
        f"allowed range [{t0:g}, {_upper_temperature(p):.4g}] K (thermal runaway or a "
        "junction past its Curie temperature); lower the current or the thermal resistance"
    )


def solve_junction_temperature(params, i_write, temperature, thermal_resistance=None, direction="ap_to_p"):
    """Steady junction temperatures [K], shape (n_devices, n_currents) (internal API).

    Parameters as :func:`junction_temperature`; ``i_write`` a scalar or 1-D array.
    """
    check_params(params)
    check_temperature(temperature, allow_zero=True)
    check_choice("direction", direction, DIRECTIONS)
    current = np.atleast_1d(np.abs(check_current("i_write", i_write)))
    if current.ndim > 1:
        raise ValueError(f"i_write must be a scalar or 1-D [A], got shape {np.shape(i_write)}")
    r_th = resolve_thermal_resistance(params, thermal_resistance)
    state = INITIAL_STATE[direction]
    t0 = float(temperature)
    devices = [params] if params.n_devices == 1 else [params.device(k) for k in range(params.n_devices)]
    rows = []
    for k, p in enumerate(devices):
        p0 = operating_point(p, t0).params  # the TMR (and resistance) at the ambient temperature
        rows.append(_device_temperatures(p0, current, t0, float(r_th[k]), state, k))
    return np.array(rows)


def junction_temperature(params, i_write, *, temperature=300.0, thermal_resistance=None, direction="ap_to_p"):
    r"""Steady-state junction temperature during a write pulse of current ``i_write`` [K].

    Solves the self-consistent heat balance

    .. math:: T_j = T_0 + R_\mathrm{th} I^2 R(V, T_j), \qquad V = I R(V, T_j),

    with R the resistance of the initial state of the write (AP for ``"ap_to_p"``, P
    for ``"p_to_ap"``), the bias-dependent TMR(V) and, if the parameters carry one, the
    TMR(T) law (through :meth:`MTJParams.at_temperature`).  Without a TMR(T) law R does
    not depend on T and the rise is the closed form Delta T = R_th I^2 R(V).

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    i_write : float or 1-D array [A]
        Write current, in [-1, 1] A (dim ``i_write`` if 1-D); its sign does not matter.
    temperature : float [K]
        Ambient temperature T_0, in [0, 2000].
    thermal_resistance : float or array or None [K/W]
        Junction-to-ambient thermal resistance R_th, in [0, 1e12] (one value or one per
        device); ``None`` (default): :func:`default_thermal_resistance`, the assumed
        :data:`THERMAL_RESISTANCE_AREA` divided by the junction area.
    direction : {"ap_to_p", "p_to_ap"}
        Write direction, which sets the initial state whose resistance dissipates.

    Returns
    -------
    xarray.DataArray
        ``t_junction`` [K] with dims among (device, i_write); attributes
        ``temperature`` (T_0), ``direction``, ``thermal_resistance`` (``"default"`` or
        the value) and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        For ``i_write`` outside [-1, 1] A or more than 1-D, ``temperature`` outside
        [0, 2000] K, ``thermal_resistance`` negative, above 1e12 K/W or of the wrong
        shape, an unknown ``direction``; and when the fixed point has no solution in
        the valid range (the junction would pass 2000 K or the Curie temperature, or
        its parameters turn invalid on the way: thermal runaway).

    Notes
    -----
    With a TMR that falls with temperature the dissipated power I^2 R(T) falls as the
    junction heats, so T - T_0 - R_th I^2 R(T) increases with T and the root, bracketed
    in [T_0, T_upper], is unique (Brent's method, to 1e-9 K).  Steady state is assumed
    within the pulse (see the module notes on the thermal time constant).

    References
    ----------
    See :mod:`spinaps.device.heating` (citation keys ``Sousa2004``, ``LeeLim2008``,
    ``LeGoff2016``, ``Chavent2016``).

    Examples
    --------
    >>> from spinaps.device import preset
    >>> from spinaps.device.heating import junction_temperature
    >>> t = junction_temperature(preset("Ikeda2010"), 73.5e-6)  # 1.5 I_c0, AP -> P
    >>> f"{float(t):.1f} K"
    '345.3 K'
    """
    t = solve_junction_temperature(params, i_write, temperature, thermal_resistance, direction)
    cur = np.asarray(i_write, dtype=float)
    dims, coords = [], {}
    if params.n_devices > 1:
        dims.append("device")
        coords["device"] = device_coord(params.n_devices)
    else:
        t = t[0]
    if cur.ndim == 1:
        dims.append("i_write")
        coords["i_write"] = annotate(xr.Variable("i_write", cur), "A", "write current")
    else:
        t = t[..., 0]
    da = annotate(xr.DataArray(t, dims=dims, coords=coords, name="t_junction"), "K", "junction temperature")
    return finalize(
        da,
        params=params,
        cite=HEATING_CITES,
        temperature=float(temperature),
        direction=direction,
        thermal_resistance=describe_thermal_resistance(thermal_resistance),
    )


def describe_thermal_resistance(thermal_resistance):
    """The ``thermal_resistance`` attribute of an output: ``"default"`` (area scaled) or the value [K/W]."""
    if thermal_resistance is None:
        return f"default ({THERMAL_RESISTANCE_AREA:g} K m^2/W / area)"
    r = np.asarray(thermal_resistance, dtype=float)
    return float(r) if r.ndim == 0 else f"per device, {float(r.min()):.4g} to {float(r.max()):.4g} K/W"
