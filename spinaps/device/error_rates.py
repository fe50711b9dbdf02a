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

import inspect
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import xarray as xr
from scipy import optimize

from ..deprecation import renamed
from ..params import check_choice, check_range, check_temperature
from ..provenance import annotate, finalize
from ..threads import resolve
from . import fokker_planck as fp
from . import heating
from .mtj import STATES, MTJParams
from .switching import FLIP_QUANTITIES, analytic_probability, commit_probability, llg_probability, thermal_failure
from .tools import (
    DIRECTIONS,
    STT_FORMS,
    OperatingPoint,
    check_current,
    check_params,
    device_coord,
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
def _check_reduced_current(i):
    """Raise ``ValueError`` naming ``i_write`` unless |I/I_c0| <= 1000 (the Fokker-Planck solver's range)."""
    if not np.all(np.abs(i) <= 1e3):
        worst = float(np.max(np.abs(i)))
        raise ValueError(f"i_write = {worst:.4g} x I_c0 is outside the supported range [-1000, 1000] x I_c0")


def _warn_ignored(method, ignored, stacklevel):
    """Warn that ``method`` cannot honour the arguments ``ignored`` (name -> value, the
    non-default ones only; nothing if empty); ``stacklevel`` as for :func:`warnings.warn`
    called by the caller of this function."""
    if ignored:
        listed = ", ".join(f"{name}={value!r}" for name, value in ignored.items())
        warnings.warn(
            f"method={method!r} ignores {listed}: only method='fokker_planck' uses "
            f"{'it' if len(ignored) == 1 else 'them'}",
            stacklevel=stacklevel + 1,
        )


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
    # the applied field and the reference layer's offset field, along +z of the reversal
    h = np.broadcast_to(op.write_field(direction, h_applied), (n,)).copy()
    return delta, op.per_device("tau_d"), op.per_device("ic0"), h, c


def _check_fieldless(method, op, h_applied, stt_form, direction):
    """Raise ``ValueError`` unless the analytic ``method`` can honour the drive: the
    constant efficiency and no field along z (applied or the reference layer's offset,
    ``h_offset``), which the closed forms do not include."""
    if stt_form != "constant" or h_applied != 0.0:
        raise ValueError(f"method = {method!r} supports only stt_form='constant' and h_applied=0")
    if np.any(op.h_offset != 0.0):
        worst = float(np.max(np.abs(op.params.h_offset)))
        raise ValueError(
            f"method = {method!r} does not include the reference layer's offset field (h_offset = {worst:.4g} A/m, "
            f"along the reference layer; direction = {direction!r}): use method='fokker_planck' (or 'llg'), "
            "or h_offset = 0"
        )


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


# --------------------------------------------------------------------------- joule heating
#: Arguments of the per-point calls of :func:`_heated` (the temperature is already T_j).
_UNHEATED = {"joule_heating": False, "thermal_resistance": None}


def _heating_requested(joule_heating, thermal_resistance) -> bool:
    """Whether Joule heating is on; ``ValueError`` for a non-bool ``joule_heating`` or a
    ``thermal_resistance`` given with heating off (it would be silently ignored)."""
    if not isinstance(joule_heating, bool | np.bool_):
        raise ValueError(f"joule_heating = {joule_heating!r} must be True or False")
    if not joule_heating and thermal_resistance is not None:
        raise ValueError(
            f"thermal_resistance = {thermal_resistance!r} K/W is given but joule_heating is False; "
            "pass joule_heating=True to use it"
        )
    return bool(joule_heating)


def _heated(func, call):
    """``func(**call)`` with every (device, current) point at its own junction temperature.

    The junction temperature T_j of each device and write current
    (:func:`spinaps.device.heating.solve_junction_temperature`, ambient
    ``call["temperature"]``) replaces the temperature of one call per point (so every
    temperature-dependent parameter goes through ``at_temperature`` at T_j); the results
    are put back on the (device, i_write) axes, with the coordinate ``t_junction`` [K]
    and the attributes ``joule_heating``, ``thermal_resistance`` and ``temperature``
    (the ambient).
    """
    params, i_write, t0 = call["params"], call["i_write"], call["temperature"]
    r_th = call["thermal_resistance"]
    tj = heating.solve_junction_temperature(params, i_write, t0, r_th, call["direction"])
    cur = np.asarray(i_write, dtype=float)
    rows = []
    for k in range(params.n_devices):
        p = params if params.n_devices == 1 else params.device(k)
        cols = [
            func(**{**call, "params": p, "i_write": float(i), "temperature": float(tj[k, j]), **_UNHEATED})
            for j, i in enumerate(np.atleast_1d(cur))
        ]
        if cur.ndim:
            i_coord = annotate(xr.Variable("i_write", cur), "A", "write current")
            cols = xr.concat(cols, dim=xr.DataArray(i_coord, dims="i_write", name="i_write"), combine_attrs="override")
            rows.append(cols)
        else:
            rows.append(cols[0])
    da = rows[0] if params.n_devices == 1 else xr.concat(rows, dim="device", combine_attrs="override")
    if params.n_devices > 1:
        da = da.assign_coords(device=device_coord(params.n_devices))
    dims = [d for d in ("device", "i_write") if d in da.dims]
    t_values = tj if params.n_devices > 1 else tj[0]
    t_values = t_values if cur.ndim else t_values[..., 0]
    da.coords["t_junction"] = annotate(xr.Variable(dims, t_values), "K", "junction temperature during the pulse")
    cites = [c for c in da.attrs.get("citation_keys", "").split(", ") if c] + list(heating.HEATING_CITES)
    keep = {k: v for k, v in da.attrs.items() if k not in ("citation_keys", "citations", "parameters", "temperature")}
    da.attrs = {}
    return finalize(
        da,
        params=params,
        cite=cites,
        **{k: v for k, v in keep.items() if k not in ("spinaps_version", "created", "seed")},
        seed=call.get("seed") if call.get("method") == "llg" else None,
        temperature=float(t0),
        joule_heating=1,
        thermal_resistance=heating.describe_thermal_resistance(r_th),
    )


def _heated_current(call):
    """:func:`current_for_wer` with the junction at its steady temperature T_j(I) at each
    trial current (Brent's method on ln WER(I, T_j(I)) - ln target, one Fokker-Planck
    solve per evaluation through :func:`write_error_rate`).  The search stops below the
    currents whose junction temperature has no solution."""
    params, t0, target, r_th, tp = (call[k] for k in ("params", "temperature", "target", "thermal_resistance", "tp"))
    heating.resolve_thermal_resistance(params, r_th)
    direction = call["direction"]
    skip = ("params", "i_write", "t_pulse", "temperature", "target", "i_max", "threads", "method")
    kw = {k: v for k, v in call.items() if k in inspect.signature(write_error_rate).parameters and k not in skip}
    kw.update(_UNHEATED)
    ic = float(np.asarray(operating_point(params, t0).ic0))

    def t_junction(i):
        return float(heating.solve_junction_temperature(params, i, t0, r_th, direction)[0, 0])

    i_hi = float(call["i_max"]) * ic
    for _ in range(200):  # the largest current with a steady junction temperature
        try:
            t_junction(i_hi)
            break
        except ValueError:
            i_hi *= 0.9
    currents, temps = [], []
    for t in tp:

        def f(i, t=t):
            wer = float(write_error_rate(params, i, t, temperature=t_junction(i), **kw))
            return np.log(max(wer, 1e-300)) - np.log(target)

        if f(i_hi) > 0:
            warnings.warn(f"t_pulse = {t:.3g} s: WER {target:g} not reached below {i_hi:.4g} A", stacklevel=3)
            currents.append(np.inf)
            temps.append(np.nan)
            continue
        i = optimize.brentq(f, 0.0, i_hi, xtol=1e-6 * ic, rtol=1e-6) if f(0.0) > 0 else 0.0
        currents.append(i)
        temps.append(t_junction(i))
    dims = ["t_pulse"] if np.ndim(call["t_pulse"]) else []
    coords = {"t_pulse": annotate(xr.Variable("t_pulse", tp), "s", "pulse width")} if dims else {}
    values, temps = (np.array(currents), np.array(temps)) if dims else (currents[0], temps[0])
    da = xr.DataArray(values, dims=dims, coords=coords, name="i_write")
    annotate(da, "A", f"write current for WER = {target:g}")
    da.coords["t_junction"] = annotate(xr.Variable(dims, temps), "K", "junction temperature during the pulse")
    return finalize(
        da,
        params=params,
        cite=_FP_CITES + heating.HEATING_CITES,
        target_wer=float(target),
        criterion=call["criterion"],
        temperature=float(t0),
        stt_form=call["stt_form"],
        direction=direction,
        joule_heating=1,
        thermal_resistance=heating.describe_thermal_resistance(r_th),
    )


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
    joule_heating=False,
    thermal_resistance=None,
):
    r"""Write error rate of a rectangular current pulse: 1 - switching probability.

    The device starts in the +z well (thermal equilibrium) and a rectangular pulse of
    ``i_write`` lasting ``t_pulse`` tries to reverse it; the result is the probability
    that it has not.  By default the 1-D Fokker-Planck equation of m_z is solved, which
    is accurate far into the tail (WER = 1e-15) where Monte Carlo cannot go.

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dimension ``device``).
    i_write : float or 1-D array [A]
        Write current, positive = destabilising the initial (+z) state (dimension
        ``i_write`` if 1-D).  (``current`` is a deprecated alias, accepted with a
        ``DeprecationWarning`` until spinaps 0.2.0.)
    t_pulse : float or 1-D array [s]
        Pulse width (dimension ``t_pulse`` if 1-D), >= 0 (WER = 1 at 0).
    temperature : float [K]
        Device temperature, in (0, 2000]; Ms, Ku and TMR follow it if the parameters
        carry a temperature law (:meth:`MTJParams.at_temperature`).
    method : {"fokker_planck", "llg", "butler", "precessional", "thermal", "auto"}
        * ``"fokker_planck"`` (default): the 1-D Fokker-Planck equation of the polar
          angle from the thermal initial distribution
          (:mod:`spinaps.device.fokker_planck`); relative accuracy better than 1 %
          down to WER = 1e-15 (grid and time-step convergence tests);
        * ``"llg"``: stochastic-LLG Monte Carlo with ``n_samples`` devices per point,
          the Wilson interval at ``confidence`` as coordinates ``ci_low``/``ci_high``;
        * ``"butler"``: the closed form quoted from Butler et al. (2012) (Notes);
        * ``"precessional"``, ``"thermal"``, ``"auto"``: the analytic models of
          :func:`spinaps.device.switching_probability`.

        Which arguments apply: ``criterion`` to ``"fokker_planck"`` and ``"llg"``
        (``"butler"`` and the analytic methods compute first passage); ``stt_form``
        to ``"fokker_planck"`` and ``"llg"`` (the others take only the constant
        form); ``direction`` and ``h_applied`` (with the offset field
        ``params.h_offset``) to every method but ``"butler"``, which refuses a field;
        ``n_cells`` to ``"fokker_planck"`` only (a
        warning says so for the others); ``threads`` to ``"fokker_planck"`` and
        ``"llg"`` (the others have nothing to share out); ``n_samples``, ``dt``,
        ``seed`` and ``confidence`` to ``"llg"`` only.
    criterion : {"end_state", "first_passage"}
        ``"end_state"``: error = m_z still > 0 when the pulse ends (the device then
        relaxes back); ``"first_passage"``: error = m_z never reached 0 during the
        pulse (the LLG ``t_switch`` criterion).  ``"butler"`` and the analytic
        methods compute first passage whatever is given (recorded in the attribute
        ``criterion``).
    stt_form : {"constant", "slonczewski"}
        Spin-torque efficiency form, see :func:`spinaps.device.simulate`.  The
        Slonczewski form makes the AP->P and P->AP error rates differ.
    direction : {"ap_to_p", "p_to_ap"}
        Which write the +z -> -z reversal is, see :func:`spinaps.device.simulate`;
        it sets the Slonczewski efficiency and the sign of the reference layer's
        offset field ``params.h_offset`` along +z (-1 for AP->P, +1 for P->AP).
        Irrelevant for the constant form without an offset field.
    h_applied : float [A/m]
        Field along the easy axis (+z stabilises the initial state); the offset
        field is added to it: h = (h_applied + s h_offset) / H_K,eff.
    n_cells : int, optional [-]
        Theta cells per hemisphere of the Fokker-Planck grid, in [8, 20000] (default
        max(160, 25 sqrt(Delta) pi / 2)); ``method="fokker_planck"`` only.
    threads : int, optional [-]
        Threads for the Fokker-Planck solves or the LLGS ensembles (default
        :func:`spinaps.threads.get_threads`: all cores unless set); the results do not
        depend on it.
    n_samples : int [-]
        Monte-Carlo devices per point (``method="llg"``), in [1, 1e8].
    dt : float [s]
        LLGS time step (``method="llg"``).
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the Monte Carlo (``method="llg"``); recorded in the output.
    confidence : float [-]
        Level of the Monte-Carlo Wilson interval, in (0, 1).
    joule_heating : bool
        Whether the write current heats the junction (default False): each (device,
        current) point is then evaluated at its steady junction temperature T_j =
        T_0 + R_th I^2 R (:func:`spinaps.device.heating.junction_temperature`, the
        resistance of the initial state), with ``temperature`` the ambient T_0; the
        output gains the coordinate ``t_junction`` [K].  One solve per point (no
        reduced-variable table for large ensembles); with ``method="llg"`` every point
        draws its own Monte-Carlo ensemble from ``seed``.
    thermal_resistance : float or array or None [K/W]
        Thermal resistance R_th with ``joule_heating`` (one value or one per device;
        default None: :func:`spinaps.device.heating.default_thermal_resistance`, an
        assumed 1e-9 K m^2/W over the junction area).  Only with ``joule_heating``.

    Returns
    -------
    xarray.DataArray
        ``wer`` [1] with dims among (device, i_write, t_pulse) (0-d for a single
        device and scalar arguments).  With ``method="llg"`` also the coordinates
        ``ci_low``, ``ci_high`` [1].  Attributes: ``method``, ``temperature``,
        ``stt_form``, ``direction``, ``h_applied``, ``criterion``, for the
        Fokker-Planck solver ``table_max_rel_error``, for Monte Carlo ``n_samples``,
        ``dt``, ``confidence`` and the seed, and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        For an unknown ``method``, ``criterion``, ``stt_form`` or ``direction``; for
        ``"butler"``, ``"precessional"``, ``"thermal"`` or ``"auto"`` with
        ``stt_form != "constant"``, for ``"butler"`` with ``h_applied != 0`` or a
        non-zero ``params.h_offset``; for a temperature outside
        (0, 2000] K, a non-finite ``h_applied``, ``i_write`` or ``t_pulse`` that is not
        a finite scalar or 1-D array, ``i_write`` outside [-1, 1] A (every method), a
        negative ``t_pulse``, Delta > 300, a reduced current I / I_c0 or field beyond
        1e3 in magnitude, ``n_cells`` not an integer in [8, 20000]; for
        ``method="thermal"`` a current at or above I_c0; for
        ``method="llg"`` ``n_samples`` not an integer in [1, 1e8], ``confidence`` not
        in (0, 1), or no positive ``t_pulse``.

    Warns
    -----
    UserWarning
        ``method="auto"``: for points in the thermal/precessional crossover
        Delta (1 - i)^2 < ``CROSSOVER_BARRIER``; ``method="thermal"``: where the
        reduced barrier is below ``CROSSOVER_BARRIER``; a method other than
        ``"fokker_planck"`` given ``n_cells``, which it ignores.

    See Also
    --------
    pulse_for_wer, current_for_wer : the inverse problems.
    switching_probability : the analytic and Monte-Carlo models.

    Notes
    -----
    The Fokker-Planck solver integrates Brown's equation for x = m_z,

    .. math::

       \frac{\partial W}{\partial s} = \frac{\partial}{\partial x} \left\{
       \frac{1 - x^2}{2 \Delta} \left[ \frac{\partial W}{\partial x} + U'(x) W
       \right] \right\}, \qquad U'(x) = 2 \Delta [i g(x) - x - h],

    s = t / tau_D, i = I / I_c0, h = H_z / H_K,eff, g = 1 (constant efficiency) or
    1 / (1 + c x) with c = -/+ P^2 (Slonczewski form, AP->P / P->AP), with
    Scharfetter-Gummel fluxes; every probability is a sum of cell masses, so there is
    no 1 - P cancellation.

    ``method="butler"`` is the closed form in the form usually quoted from Butler et
    al. (2012),

    .. math::

       \mathrm{WER} = 1 - \exp\left[ -\frac{\pi^2 \Delta}{4}
       \frac{i - 1}{i\, e^{2 (i - 1) s} - 1} \right], \qquad i > 1,

    and 1 for i <= 1.  Its decay rate 2 (i - 1) / tau_D is the one Butler et al.
    derive; the prefactor pi^2 Delta / 4 is taken as quoted in the compact-model
    literature (the paper's own text could not be checked).

    An ensemble with more than ``DIRECT_MAX`` distinct (device, current) points is
    solved on a grid of the reduced variables and interpolated; the interpolation is
    checked against direct solves and its largest relative error is recorded in the
    attribute ``table_max_rel_error``.

    References
    ----------
    * Brown, W. F., "Thermal Fluctuations of a Single-Domain Particle", Phys. Rev.
      130, 1677-1686 (1963); citation key ``Brown1963``.
    * Butler, W. H., et al., "Switching Distributions for Perpendicular Spin-Torque
      Devices Within the Macrospin Approximation", IEEE Trans. Magn. 48, 4684-4700
      (2012); citation key ``Butler2012``.
    * Scharfetter, D. L. and Gummel, H. K., "Large-signal analysis of a silicon Read
      diode oscillator", IEEE Trans. Electron Devices 16, 64-77 (1969); citation key
      ``ScharfetterGummel1969``.
    * ``method="llg"``: also Garcia-Palacios, J. L. and Lazaro, F. J., Phys. Rev. B 58,
      14937-14958 (1998) (``GarciaPalacios1998``); Slonczewski, J. C., J. Magn. Magn.
      Mater. 159, L1-L7 (1996) (``Slonczewski1996``); Sun, J. Z., Phys. Rev. B 62,
      570-578 (2000) (``Sun2000``); Wilson, E. B., "Probable inference, the law of
      succession, and statistical inference", J. Am. Stat. Assoc. 22, 209-212 (1927):
      the confidence interval (not in ``spinaps/references.bib``).
    * The analytic methods cite as :func:`spinaps.device.switching_probability`.
    * The Slonczewski form: Slonczewski, J. C., Phys. Rev. B 71, 024411 (2005);
      citation key ``Slonczewski2005``.

    Examples
    --------
    >>> from spinaps.device import preset, write_error_rate
    >>> p = preset("Ikeda2010")  # I_c0 = 49 uA, tau_D = 1.3 ns
    >>> wer = write_error_rate(p, [60e-6, 100e-6], [5e-9, 10e-9])
    >>> wer.dims, wer.attrs["units"]
    (('i_write', 't_pulse'), '1')
    >>> [f"{x:.2g}" for x in wer.values.ravel()]
    ['0.67', '0.092', '0.011', '3.4e-06']
    """
    if _heating_requested(joule_heating, thermal_resistance):  # each point at its junction temperature
        return _heated(write_error_rate, dict(locals()))
    check_choice("method", method, WER_METHODS)
    check_choice("criterion", criterion, fp.CRITERIA)
    check_current("i_write", i_write)
    if method != "fokker_planck":
        _warn_ignored(method, {} if n_cells is None else {"n_cells": n_cells}, stacklevel=3)  # 3: past @renamed
    if method in ("precessional", "thermal", "auto"):
        op = operating_point(params, temperature)
        if stt_form != "constant":
            raise ValueError(f"method = {method!r} supports only stt_form='constant'")
        h_applied = _check_drive(temperature, h_applied, stt_form, direction)
        da = analytic_probability(
            op,
            i_write,
            t_pulse,
            method=method,
            complement=True,
            params=params,
            stacklevel=4,
            caller="write_error_rate",
            h=op.write_field(direction, h_applied),
        )
        return da.assign_attrs(
            stt_form=stt_form, direction=direction, h_applied=float(h_applied), criterion="first_passage"
        )
    op, (delta, tau_d, ic0, h, c) = _operating(params, temperature, h_applied, stt_form, direction)
    dims, coords, full, g = write_grid(op.n_devices, i_write, t_pulse)
    i = g["i_write"][:, :, 0] / ic0[:, None]
    s = g["t_pulse"][:, 0, :] / tau_d[:, None]
    extra, attrs = {}, {}
    if method == "fokker_planck":
        _check_reduced_current(i)
        wer, _, check = _fp_probabilities(delta, i, np.maximum(s, 1e-12), h, c, criterion, n_cells, threads)
        wer = np.where(s[:, None, :] > 0, wer, 1.0)
        cites = _FP_CITES
        attrs["table_max_rel_error"] = float(check)
        attrs["criterion"] = criterion
    elif method == "butler":
        _check_fieldless(method, op, h_applied, stt_form, direction)
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
            threads=threads,
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
    joule_heating=False,
    thermal_resistance=None,
):
    """Shortest pulse width reaching write error rate ``target`` at write current ``i_write`` [s].

    The inverse of :func:`write_error_rate` (Fokker-Planck solver) in the pulse width:
    the smallest t_pulse with WER(i_write, t_pulse) = ``target``.

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    i_write : float or 1-D array [A]
        Write current (dim ``i_write`` if 1-D), positive = destabilising the initial
        (+z) state.  (``current`` is a deprecated alias, accepted with a
        ``DeprecationWarning`` until spinaps 0.2.0.)
    target : float [-]
        Target WER in (1e-300, 1).
    temperature : float [K]
        Device temperature, in (0, 2000] (the parameters' temperature law applies).
    criterion : {"end_state", "first_passage"}
        As in :func:`write_error_rate`.
    stt_form : {"constant", "slonczewski"}
        As in :func:`write_error_rate`.
    direction : {"ap_to_p", "p_to_ap"}
        As in :func:`write_error_rate`.
    h_applied : float [A/m]
        Field along the easy axis (+z stabilises the initial state).
    n_cells : int, optional [-]
        Theta cells per hemisphere of the Fokker-Planck grid (see
        :func:`write_error_rate`).
    threads : int, optional [-]
        Threads for the Fokker-Planck solves (default
        :func:`spinaps.threads.get_threads`).
    joule_heating : bool
        Whether the write current heats the junction (default False): each (device,
        current) point is then evaluated at its steady junction temperature T_j =
        T_0 + R_th I^2 R (:func:`spinaps.device.heating.junction_temperature`, the
        resistance of the initial state), with ``temperature`` the ambient T_0; the
        output gains the coordinate ``t_junction`` [K].  One pulse search per point.
    thermal_resistance : float or array or None [K/W]
        Thermal resistance R_th with ``joule_heating`` (one value or one per device;
        default None: :func:`spinaps.device.heating.default_thermal_resistance`, an
        assumed 1e-9 K m^2/W over the junction area).  Only with ``joule_heating``.

    Returns
    -------
    xarray.DataArray
        ``t_pulse`` [s] with dims among (device, i_write); ``inf`` where the WER never
        falls to the target (e.g. below the critical current the end-state WER
        saturates at the stationary occupation of the +z side), with a warning.
        Attributes ``target_wer``, ``criterion``, ``temperature``, ``stt_form``,
        ``direction``, ``table_max_rel_error`` and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``target`` is not in (1e-300, 1), ``i_write`` is outside [-1, 1] A, or for
        the invalid arguments listed under :func:`write_error_rate` (Fokker-Planck
        solver).

    Warns
    -----
    UserWarning
        If some operating points never reach the target (their pulse width is inf).

    See Also
    --------
    current_for_wer : the inverse in the current.
    worst_of_n_pulse : the pulse the worst device of an array needs.

    Notes
    -----
    WER(s) is computed on 400 log-spaced reduced times up to a bound that is
    multiplied by 4 until the target is crossed, and inverted by log-log interpolation; the result is
    then refined with direct solves (two secant steps) to a relative WER error below
    1e-3.  The refinement is done when there are at most ``DIRECT_MAX`` (device,
    current) points.

    References
    ----------
    * Brown, W. F., Phys. Rev. 130, 1677-1686 (1963); citation key ``Brown1963``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012``.
    * Scharfetter, D. L. and Gummel, H. K., IEEE Trans. Electron Devices 16, 64-77
      (1969); citation key ``ScharfetterGummel1969``.

    Examples
    --------
    >>> from spinaps.device import preset, pulse_for_wer
    >>> t = pulse_for_wer(preset("Ikeda2010"), 100e-6, 1e-9)
    >>> t.name, f"{float(t):.2g} s"
    ('t_pulse', '1.5e-08 s')
    """
    if _heating_requested(joule_heating, thermal_resistance):  # each point at its junction temperature
        return _heated(pulse_for_wer, dict(locals()))
    check_range("target", target, low=1e-300, high=1.0)
    check_current("i_write", i_write)
    op, (delta, tau_d, ic0, h, c) = _operating(params, temperature, h_applied, stt_form, direction)
    dims, coords, full, g = write_grid(op.n_devices, i_write, 0.0)
    i = g["i_write"][:, :, 0] / ic0[:, None]
    _check_reduced_current(i)
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
    t = s_needed * tau_d[:, None]
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
    """Two secant steps in ln s on ln WER - ln target with direct solves (all points in
    one :func:`~spinaps.device.fokker_planck.solve_many` call, in ``threads``)."""
    out = s_needed.copy()
    rows = [(d, k) for d in range(s_needed.shape[0]) for k in range(s_needed.shape[1])]
    rows = [(d, k) for d, k in rows if np.isfinite(s_needed[d, k]) and s_needed[d, k] > 1e-3]
    if not rows:
        return out
    s0 = np.array([s_needed[d, k] for d, k in rows])
    s_try = np.stack([0.98 * s0, s0], axis=1)
    points = np.array([[delta[d], i[d, k], h[d], c[d]] for d, k in rows])
    wer, _ = fp.solve_many(points, s_try, criterion, n_cells, threads)
    lw = np.log(np.maximum(wer, 1e-300))
    slope = (lw[:, 1] - lw[:, 0]) / (np.log(s_try[:, 1]) - np.log(s_try[:, 0]))
    for (d, k), s_k, lw_k, slope_k in zip(rows, s0, lw[:, 1], slope):
        if slope_k < 0:
            out[d, k] = s_k * np.exp((np.log(target) - lw_k) / slope_k)
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
    joule_heating=False,
    thermal_resistance=None,
):
    """Smallest write current reaching write error rate ``target`` with pulse ``t_pulse`` [A].

    The inverse of :func:`write_error_rate` (Fokker-Planck solver) in the current: the
    smallest i_write with WER(i_write, t_pulse) = ``target``.

    Parameters
    ----------
    params : MTJParams
        A single device (use :func:`pulse_for_wer` for ensembles).
    t_pulse : float or 1-D array [s]
        Pulse width (dim ``t_pulse`` if 1-D), > 0.
    target : float [-]
        Target WER in (1e-300, 1).
    temperature : float [K]
        Device temperature, in (0, 2000] (the parameters' temperature law applies).
    criterion : {"end_state", "first_passage"}
        As in :func:`write_error_rate`.
    stt_form : {"constant", "slonczewski"}
        As in :func:`write_error_rate`.
    direction : {"ap_to_p", "p_to_ap"}
        As in :func:`write_error_rate`.
    h_applied : float [A/m]
        Field along the easy axis (+z stabilises the initial state).
    n_cells : int, optional [-]
        Theta cells per hemisphere of the Fokker-Planck grid (see
        :func:`write_error_rate`).
    threads : int, optional [-]
        Threads the pulse widths are solved in, one root search per pulse width
        (default :func:`spinaps.threads.get_threads`); the results do not depend on
        it.
    i_max : float [-]
        Largest reduced current I / I_c0 searched (default 20), in (1, 1e3).
    joule_heating : bool
        Whether the write current heats the junction (default False): each trial
        current is evaluated at its steady junction temperature T_j(I)
        (:func:`spinaps.device.heating.junction_temperature`), ``temperature`` being
        the ambient, and the output gains the coordinate ``t_junction`` [K]; the
        search stops below the currents whose junction temperature has no solution.
    thermal_resistance : float or None [K/W]
        Thermal resistance R_th with ``joule_heating`` (default None: the area-scaled
        :func:`spinaps.device.heating.default_thermal_resistance`).

    Returns
    -------
    xarray.DataArray
        ``i_write`` [A] with dim ``t_pulse`` if 1-D (0-d otherwise); ``inf`` where
        the target is not reached below ``i_max`` I_c0 (with a warning), 0 where the
        WER at zero current is already below the target.  Attributes ``target_wer``,
        ``criterion``, ``temperature``, ``stt_form``, ``direction`` and the citation
        keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``params`` is an ensemble, ``target`` is not in (1e-300, 1), ``i_max`` is
        not in (1, 1e3), a ``t_pulse`` is not > 0, ``threads`` is not an integer
        >= 1, or for the invalid arguments listed under :func:`write_error_rate`
        (Fokker-Planck solver).

    Warns
    -----
    UserWarning
        For each pulse width whose target is not reached below ``i_max`` I_c0.

    See Also
    --------
    pulse_for_wer : the inverse in the pulse width (ensembles too).

    Notes
    -----
    Brent's method on ln WER(i) - ln target for each pulse width, each evaluation one
    Fokker-Planck solve (WER decreases monotonically with current), to a tolerance of
    1e-6 in the reduced current.  The root searches of different pulse widths are
    independent and run in ``threads`` threads; one search is sequential.

    References
    ----------
    * Brown, W. F., Phys. Rev. 130, 1677-1686 (1963); citation key ``Brown1963``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012``.
    * Scharfetter, D. L. and Gummel, H. K., IEEE Trans. Electron Devices 16, 64-77
      (1969); citation key ``ScharfetterGummel1969``.
    * Brent, R. P., *Algorithms for Minimization without Derivatives*, Prentice-Hall
      (1973): the root finder (:func:`scipy.optimize.brentq`; not in
      ``spinaps/references.bib``).

    Examples
    --------
    >>> from spinaps.device import current_for_wer, preset
    >>> i = current_for_wer(preset("Ikeda2010"), [5e-9, 10e-9], 1e-9)
    >>> i.dims, [f"{x * 1e6:.0f} uA" for x in i.values]
    (('t_pulse',), ['210 uA', '128 uA'])
    """
    heated = _heating_requested(joule_heating, thermal_resistance)
    check_range("target", target, low=1e-300, high=1.0)
    check_params(params)
    if params.n_devices != 1:
        raise ValueError(
            "current_for_wer takes a single device; for an ensemble use pulse_for_wer or loop over params.device(k)"
        )
    check_range("i_max", i_max, low=1.0, high=1e3)
    tp = np.atleast_1d(np.asarray(t_pulse, dtype=float))
    check_range("t_pulse", tp, low=0.0, units="s")
    if heated:  # the junction temperature at each trial current
        return _heated_current(dict(locals()))
    n_threads = resolve(threads)
    _, (delta, tau_d, ic0, h, c) = _operating(params, temperature, h_applied, stt_form, direction)
    d0, t0, ic, h0, c0 = float(delta[0]), float(tau_d[0]), float(ic0[0]), float(h[0]), float(c[0])

    def current(t):
        """The current [A] reaching the target at pulse width ``t`` [s] (inf if not below ``i_max``)."""
        s = np.array([t / t0])

        def f(i_red):
            r = fp.solve_reduced(d0, i_red, s, h=h0, c=c0, criterion=criterion, n_cells=n_cells)
            return np.log(max(float(r.wer[0]), 1e-300)) - np.log(target)

        if f(i_max) > 0:
            return np.inf
        return ic * optimize.brentq(f, 0.0, i_max, xtol=1e-6, rtol=1e-6) if f(0.0) > 0 else 0.0

    if n_threads == 1 or tp.size == 1:
        currents = np.array([current(t) for t in tp])
    else:
        with ThreadPoolExecutor(max_workers=min(n_threads, tp.size)) as pool:
            currents = np.array(list(pool.map(current, tp)))
    for t in tp[np.isinf(currents)]:  # warned here, in the caller's thread and in order
        warnings.warn(f"t_pulse = {t:.3g} s: WER {target:g} not reached below {i_max} I_c0", stacklevel=2)
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
#: Default quantity of each method when ``quantity`` is not given (the previous behaviour).
_DEFAULT_QUANTITY = {"thermal": "p_escape", "fokker_planck": "p_flipped"}
#: The Fokker-Planck criterion behind each quantity.
_QUANTITY_CRITERION = {"p_flipped": "end_state", "p_escape": "first_passage"}


def _resolve_quantity(method, quantity, criterion, params):
    """The method, quantity and Fokker-Planck criterion of a retention or read-disturb call.

    ``criterion`` is the deprecated way of choosing the Fokker-Planck quantity: given
    (not ``None``) without ``quantity`` it selects it ("end_state" -> "p_flipped",
    "first_passage" -> "p_escape") with a ``DeprecationWarning``.
    """
    if method is None:
        method = "thermal" if params.attempt_time is not None else "fokker_planck"
    if method not in _DEFAULT_QUANTITY:
        raise ValueError(f"method = {method!r}; allowed: 'fokker_planck', 'thermal'")
    if criterion is not None:
        check_choice("criterion", criterion, fp.CRITERIA)
        chosen = {v: k for k, v in _QUANTITY_CRITERION.items()}[criterion]
        if quantity is None:
            warnings.warn(
                f"criterion={criterion!r} is deprecated for retention and read disturb: pass "
                f"quantity={chosen!r} instead (accepted until spinaps 0.2.0)",
                DeprecationWarning,
                stacklevel=4,
            )
            quantity = chosen
        elif chosen != quantity:
            raise ValueError(
                f"criterion = {criterion!r} contradicts quantity = {quantity!r} "
                f"(quantity {quantity!r} uses criterion {_QUANTITY_CRITERION[quantity]!r}); pass quantity only"
            )
    if quantity is None:
        quantity = _DEFAULT_QUANTITY[method]
    check_choice("quantity", quantity, FLIP_QUANTITIES)
    return method, quantity, _QUANTITY_CRITERION[quantity]


def _fp_escape(wer, flip, delta, i, h, c):
    """Committed escape probability from the first-passage (absorbing equator) solution.

    Of the trajectories that reach the equator the fraction pi_0
    (:func:`spinaps.device.switching.commit_probability`) goes on into the other well,
    so the survival against escape is S_eq^pi_0, with S_eq the survival against the
    equator (``wer``; ``flip`` = 1 - S_eq, both sums of masses).  Exact when S_eq
    decays at a single rate (high barrier, t beyond a few tau_D).
    """
    pi0 = commit_probability(delta, i, h, c)[:, None]
    with np.errstate(divide="ignore"):
        log_s = np.where(flip < 0.5, np.log1p(-np.minimum(flip, 0.5)), np.log(np.maximum(wer, 1e-300)))
    return -np.expm1(pi0 * log_s)


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
    quantity=None,
    h_applied=0.0,
):
    """Flip probability ``quantity`` after ``t`` [s] at ``current`` [A] of the operating
    point ``op`` (see :func:`retention_failure_probability`); a warning (pointing at the
    caller of the public function) lists the Fokker-Planck arguments ``method="thermal"``
    cannot honour."""
    t = np.asarray(t, dtype=float)
    check_range(tname, t, low=0.0, low_inclusive=True, units="s")
    if t.ndim > 1:
        raise ValueError(f"{tname} must be a scalar or 1-D, got shape {t.shape}")
    method, quantity, criterion = _resolve_quantity(method, quantity, criterion, params)
    h_applied = _check_drive(op.temperature, h_applied, stt_form, direction)
    if method == "thermal":
        h = np.asarray(op.write_field(direction, h_applied), dtype=float)  # applied field and offset
        given = {"n_cells": n_cells, "stt_form": stt_form}
        default = {"n_cells": None, "stt_form": "constant"}
        if stt_form != "constant":
            given["direction"], default["direction"] = direction, None  # it matters only in the Slonczewski form
        _warn_ignored(method, {k: v for k, v in given.items() if v != default[k]}, stacklevel=3)
        return thermal_failure(op, current, t, tname, tlong, long_name, params=params, quantity=quantity, h=h)
    delta, tau_d, ic0, h, c = _reduced(op, h_applied, stt_form, direction)
    i = (float(current) / ic0)[:, None]
    s = np.atleast_1d(t)[None, :] / tau_d[:, None]
    wer, flip, check = _fp_probabilities(delta, i, np.maximum(s, 1e-12), h, c, criterion, n_cells, threads)
    if quantity == "p_escape":
        flip = _fp_escape(wer[:, 0, :], flip[:, 0, :], delta, i[:, 0], h, c)[:, None, :]
    flip = np.where(s[:, None, :] > 0, flip, 0.0)[:, 0, :]
    da = device_time_array(flip, params.n_devices, t, tname, tlong, long_name)
    return finalize(
        da,
        params=params,
        cite=_FP_CITES + ("Coffey1994",) + (("Hanggi1990",) if quantity == "p_escape" else ()),
        method=method,
        criterion=criterion,
        quantity=quantity,
        temperature=op.temperature,
        table_max_rel_error=float(check),
    )


_QUANTITY_DOC = r"""
    Two quantities (``quantity``), both from both methods:

    * ``"p_flipped"`` -- the bit is *currently* flipped: the probability that m_z < 0
      at the end of the interval (the occupation of the other well).  It tends to the
      equilibrium occupation of the other well (1/2 at zero current and field).  A
      stored bit is lost when it is flipped at the moment it is read, so this is the
      quantity of the circuit and network layers
      (:meth:`spinaps.circuit.MTJBitcell.figures`, :func:`spinaps.steps.device_step`).
    * ``"p_escape"`` -- the bit has *ever* escaped: the probability that it has left
      its well for the other one at least once (a first-passage probability, tending
      to 1).  Equal to ``p_flipped`` to first order in t / tau, an upper bound on it.

    Thermal method: the two-state rate equations with the Neel-Brown rates out of
    each well, :math:`k_+ = 1 / \tau(j)`, :math:`k_- = 1 / \tau(-j)`, j = i - h
    (:func:`spinaps.device.switching.two_state_probability`; unequal for a current or
    a field),

    .. math::

       p_\mathrm{escape} = 1 - e^{-k_+ t}, \qquad
       p_\mathrm{flipped} = \frac{k_+}{k_+ + k_-} \left[1 - e^{-(k_+ + k_-) t}\right].

    Fokker-Planck method: ``p_flipped`` is the mass at m_z < 0 of the solution on the
    whole sphere (criterion ``"end_state"``); ``p_escape`` comes from the solution
    with the equator absorbing (criterion ``"first_passage"``, survival S_eq), of
    whose arrivals the fraction pi_0 goes on into the other well (the splitting
    probability at the equator, Hanggi, Talkner and Borkovec 1990; 1/2 at zero
    drive): p_escape = 1 - S_eq^pi_0, exact once S_eq decays at a single rate (beyond
    the first few tau_D).

    ``quantity=None`` keeps the previous behaviour of each method: ``"p_escape"`` for
    ``"thermal"``, ``"p_flipped"`` for ``"fokker_planck"``; pass it explicitly (the
    default method depends on ``params.attempt_time``).
"""


def _with_quantity_doc(doc):
    """``doc`` with its ``{quantity_doc}`` line replaced by the shared notes on the quantities."""
    return doc.replace("    {quantity_doc}\n", _QUANTITY_DOC.lstrip("\n") + "\n")


#: The write direction that leaves each stored state (its retention failure).
_LEAVING = {"ap": "ap_to_p", "p": "p_to_ap"}


def retention_failure_probability(
    params: MTJParams,
    t_storage,
    *,
    temperature=300.0,
    method=None,
    quantity=None,
    h_applied=0.0,
    state="ap",
    criterion=None,
    n_cells=None,
    threads=None,
):
    r"""Probability that a stored bit is lost after ``t_storage`` [s] at zero current.

    The device starts in thermal equilibrium in the +z well (m_z > 0) of the stored
    ``state`` and is left alone (no current; an optional field ``h_applied`` along +z,
    plus the reference layer's offset ``params.h_offset`` along that state's
    magnetisation: the barrier is Delta (1 + h)^2 for P and Delta (1 - h)^2 for AP).

    {quantity_doc}
    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    t_storage : float or 1-D array [s]
        Storage time(s), >= 0 (dim ``t_storage`` if 1-D; the probability is 0 at 0).
    temperature : float [K]
        Storage temperature (e.g. 358.15 for 85 C), in (0, 2000]; the parameters'
        temperature law applies.
    method : {"fokker_planck", "thermal"}, optional
        ``"fokker_planck"`` (default unless ``params.attempt_time`` is set): the
        Fokker-Planck solution, computed as sums of masses (accurate for 1e-30 and
        below); ``"thermal"``: the two-state rate equations with Brown's high-barrier
        escape time or the calibrated attempt time (default when ``attempt_time`` is
        set, since the Fokker-Planck prefactor is the macrospin one).  ``n_cells``
        and ``threads`` apply to the Fokker-Planck method only; ``"thermal"`` warns
        that it ignores a non-default ``n_cells``.
    quantity : {"p_flipped", "p_escape"}, optional
        ``"p_flipped"``: currently flipped (m_z < 0 at ``t_storage``);
        ``"p_escape"``: ever escaped into the other well.  Default: the previous
        behaviour of the method (see above).
    h_applied : float [A/m]
        Field along +z during storage (stabilising for > 0).
    state : {"ap", "p"}
        The stored state (default ``"ap"``): it matters only with an offset field
        ``params.h_offset``, which stabilises P (h_offset > 0) and destabilises AP.
    criterion : {"end_state", "first_passage"}, optional
        Deprecated (until spinaps 0.2.0, with a ``DeprecationWarning``): selects
        ``quantity`` ``"p_flipped"`` / ``"p_escape"``.
    n_cells : int, optional [-]
        Theta cells per hemisphere of the Fokker-Planck grid, see
        :func:`write_error_rate` (Fokker-Planck method only).
    threads : int, optional [-]
        Threads for the Fokker-Planck solves, see :func:`write_error_rate`
        (Fokker-Planck method only; it does not change the result).

    Returns
    -------
    xarray.DataArray
        ``retention_failure`` [1], the retention failure probability (``quantity``),
        with dims among (device, t_storage); attributes ``method``, ``quantity``,
        ``state``, ``temperature`` (and for the Fokker-Planck method ``criterion``,
        ``table_max_rel_error``) and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``t_storage`` is negative, not finite or more than 1-D; for an unknown
        ``method``, ``quantity`` or ``criterion``, or a ``criterion`` that contradicts
        ``quantity``; a non-finite ``h_applied``; a temperature outside (0, 2000] K;
        Delta > 300 (Fokker-Planck method).

    Warns
    -----
    UserWarning
        ``method="thermal"``: if Delta is below ``CROSSOVER_BARRIER`` (outside the
        high-barrier range of Brown's law), or given a non-default ``n_cells``, which
        it ignores.
    DeprecationWarning
        If ``criterion`` is given without ``quantity``.

    See Also
    --------
    read_disturb_probability : the same with a read current.
    thermal_escape_time : the mean escape time tau.

    Notes
    -----
    Brown's high-barrier escape time is tau = tau_D sqrt(pi / Delta) e^Delta at zero
    drive, or the calibrated Neel-Brown law tau = tau_0 e^Delta with ``attempt_time``.
    The Fokker-Planck method resolves the first few tau_D as well, where the thermal
    law does not hold; below about 1e-30 in that early regime it converges slowly (up
    to 10 % between grids).

    References
    ----------
    * Brown, W. F., "Thermal Fluctuations of a Single-Domain Particle", Phys. Rev.
      130, 1677-1686 (1963); citation key ``Brown1963``.
    * Coffey, W. T., et al., "Exact analytic formula for the correlation time of a
      single-domain ferromagnetic particle", Phys. Rev. E 49, 1869-1882 (1994);
      citation key ``Coffey1994``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012``.
    * Scharfetter, D. L. and Gummel, H. K., IEEE Trans. Electron Devices 16, 64-77
      (1969) (Fokker-Planck method); citation key ``ScharfetterGummel1969``.
    * Hanggi, P., Talkner, P. and Borkovec, M., Rev. Mod. Phys. 62, 251-341 (1990)
      (the splitting probability of ``p_escape`` by Fokker-Planck); citation key
      ``Hanggi1990``.

    Examples
    --------
    >>> from spinaps.device import preset, retention_failure_probability
    >>> p = preset("Ikeda2010")  # Delta = 40: tau of about 2.7 years at 300 K
    >>> f"{float(retention_failure_probability(p, 1.0, quantity='p_flipped')):.2g}"
    '1.1e-08'
    >>> f"{float(retention_failure_probability(p, 1.0, method='thermal', quantity='p_flipped')):.2g}"
    '1.2e-08'

    After ten escape times the bit has almost surely escaped once, but it is flipped
    only with the equilibrium probability 1/2:

    >>> [round(float(retention_failure_probability(p, 8.6e8, method="thermal", quantity=q)), 3)
    ...  for q in ("p_escape", "p_flipped")]
    [1.0, 0.5]
    """
    check_params(params)
    check_choice("state", state, STATES)
    op = operating_point(params, temperature)
    da = _flip_probability(
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
        direction=_LEAVING[state],
        quantity=quantity,
        h_applied=h_applied,
    ).rename("retention_failure")
    da.attrs["state"] = state
    return da


retention_failure_probability.__doc__ = _with_quantity_doc(retention_failure_probability.__doc__)


def read_threshold(op: OperatingPoint, stt_form="constant", direction="ap_to_p") -> np.ndarray:
    """The read current [A] at which the stored +z state loses its stability, per device (internal API).

    The drift at the pole, (1 - x^2)(x + h - i g(x)) with g(1) = 1 / (1 + c), changes
    sign at i = 1 + c (zero field): I_th = I_c0 (1 + c), c = -/+ P^2 for a read in the
    AP->P / P->AP direction in the Slonczewski form (Slonczewski 2005) and 0 for the
    constant efficiency.  In the AP->P direction it is below I_c0.
    """
    c = STT_FORMS[stt_form] * DIRECTIONS[direction] * op.polarization**2
    return np.asarray(op.ic0 * (1.0 + c), dtype=float)


def read_disturb_probability(
    params: MTJParams,
    i_read,
    t_read,
    *,
    temperature=300.0,
    method=None,
    quantity=None,
    h_applied=0.0,
    criterion=None,
    stt_form="constant",
    direction="ap_to_p",
    n_cells=None,
    threads=None,
):
    r"""Probability that one read of current ``i_read`` [A] lasting ``t_read`` [s] flips the bit.

    The read current is taken in the destabilising direction (the worst case): a
    positive ``i_read`` destabilises the stored (+z) state, as ``i_write`` does; its
    sign is used as given.  Methods and quantities as for
    :func:`retention_failure_probability`; at zero read current both functions agree
    exactly.

    {quantity_doc}
    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    i_read : float [A]
        Read current, a scalar with ``|i_read|`` below the smallest threshold of the
        ensemble in the read's own direction, I_c0 (1 + c) (:func:`read_threshold`:
        I_c0 for the constant efficiency, I_c0 (1 - P^2) for an AP->P read in the
        Slonczewski form); positive = destabilising.
    t_read : float or 1-D array [s]
        Read duration(s), >= 0 (dim ``t_read`` if 1-D).
    temperature : float [K]
        Device temperature, in (0, 2000]; the parameters' temperature law applies.
    method : {"fokker_planck", "thermal"}, optional
        As in :func:`retention_failure_probability` (default ``"thermal"`` if
        ``params.attempt_time`` is set, else ``"fokker_planck"``).  The thermal
        method uses the current-lowered barriers Delta (1 -/+ j)^2 of the constant
        torque efficiency; ``stt_form``, ``direction``, ``n_cells`` and ``threads``
        apply to the Fokker-Planck method only, and ``"thermal"`` warns that it
        ignores a non-default ``n_cells`` or ``stt_form`` (with its ``direction``).
    quantity : {"p_flipped", "p_escape"}, optional
        See :func:`retention_failure_probability`.
    h_applied : float [A/m]
        Field along +z during the read (stabilising for > 0).
    criterion : {"end_state", "first_passage"}, optional
        Deprecated, see :func:`retention_failure_probability`.
    stt_form : {"constant", "slonczewski"}
        Spin-torque efficiency form, see :func:`spinaps.device.simulate` (the
        Fokker-Planck method, and the read-current threshold of both methods).
    direction : {"ap_to_p", "p_to_ap"}
        Which state the read destabilises in the Slonczewski form: ``"ap_to_p"`` a
        stored AP state, ``"p_to_ap"`` a stored P state.
    n_cells : int, optional [-]
        Theta cells per hemisphere of the Fokker-Planck grid, see
        :func:`write_error_rate` (Fokker-Planck method only).
    threads : int, optional [-]
        Threads for the Fokker-Planck solves, see :func:`write_error_rate`
        (Fokker-Planck method only; it does not change the result).

    Returns
    -------
    xarray.DataArray
        ``read_disturb`` [1], the read disturb probability per read (``quantity``),
        with dims among (device, t_read); attributes as
        :func:`retention_failure_probability` and ``read_threshold`` [A] (the
        smallest threshold of the ensemble).

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``i_read`` is not a finite scalar, or ``|i_read|`` is at or above the
        threshold I_c0 (1 + c) of the read's direction (a read would switch the device
        deterministically); if ``t_read`` is negative, not finite or more than 1-D; for
        an unknown ``method``, ``quantity``, ``criterion``, ``stt_form`` or
        ``direction``; a non-finite ``h_applied``; a temperature outside (0, 2000] K;
        Delta > 300 (Fokker-Planck method).

    Warns
    -----
    UserWarning
        ``method="thermal"``: if the reduced barrier Delta (1 - i)^2 is below
        ``CROSSOVER_BARRIER``, or given a non-default ``n_cells`` or ``stt_form``,
        which it ignores (the threshold still uses ``stt_form``).
    DeprecationWarning
        If ``criterion`` is given without ``quantity``.

    See Also
    --------
    retention_failure_probability : the same at zero current.

    Notes
    -----
    Known limitation of the Fokker-Planck method: during the first few tau_D of a
    sub-critical read, where the flip probability is below about 1e-30, it converges
    slowly (up to 10 % between grids); from 1e-20 up it is within 3 %.

    References
    ----------
    * Brown, W. F., "Thermal Fluctuations of a Single-Domain Particle", Phys. Rev.
      130, 1677-1686 (1963); citation key ``Brown1963``.
    * Coffey, W. T., et al., Phys. Rev. E 49, 1869-1882 (1994); citation key
      ``Coffey1994``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012``.
    * Scharfetter, D. L. and Gummel, H. K., IEEE Trans. Electron Devices 16, 64-77
      (1969) (Fokker-Planck method); citation key ``ScharfetterGummel1969``.
    * Slonczewski, J. C., Phys. Rev. B 71, 024411 (2005) (the angular efficiency and
      the read threshold I_c0 (1 + c)); citation key ``Slonczewski2005``.
    * Hanggi, P., Talkner, P. and Borkovec, M., Rev. Mod. Phys. 62, 251-341 (1990);
      citation key ``Hanggi1990``.

    Examples
    --------
    >>> from spinaps.device import preset, read_disturb_probability
    >>> p = preset("Ikeda2010")  # I_c0 = 49 uA
    >>> f"{float(read_disturb_probability(p, 10e-6, 5e-9, quantity='p_flipped')):.2g}"
    '5.1e-12'
    """
    check_range("i_read", i_read, units="A")
    i_read = np.asarray(i_read, dtype=float)
    if i_read.ndim:
        raise ValueError(f"i_read must be a scalar current [A], got shape {i_read.shape}")
    check_params(params)
    check_choice("stt_form", stt_form, STT_FORMS)
    check_choice("direction", direction, DIRECTIONS)
    op = operating_point(params, temperature)
    threshold = float(np.min(read_threshold(op, stt_form, direction)))
    if abs(float(i_read)) >= threshold:
        form = "" if stt_form == "constant" else f" (stt_form={stt_form!r}, direction={direction!r})"
        raise ValueError(
            f"i_read = {float(i_read):.4g} A is at or above the read threshold I_c0 (1 + c) = {threshold:.4g} A"
            f"{form}: a read would switch the device deterministically"
        )
    da = _flip_probability(
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
        quantity=quantity,
        h_applied=h_applied,
    ).rename("read_disturb")
    da.attrs["read_threshold"] = threshold
    return da


read_disturb_probability.__doc__ = _with_quantity_doc(read_disturb_probability.__doc__)
