"""Calibration of :class:`MTJParams` to measured data by weighted least squares.

:func:`calibrate` adjusts chosen fields of an :class:`MTJParams` so that a device model
reproduces a :class:`~spinaps.device.measurements.Measurement`, using
:func:`scipy.optimize.least_squares` (trust-region reflective, finite-difference
Jacobian).  Positive fields are fitted in log space (so they stay positive and their
scale does not matter); fields that may be zero are fitted linearly.

Residuals per kind: relative (model / data - 1) for currents, resistances, TMR, Delta
and M_s; logarithmic (ln model - ln data) for times and write error rates, which span
decades; absolute for switching probabilities.  With published one-sigma
uncertainties the residuals are divided by them and the covariance is absolute;
without, it is scaled by the residual variance SSR / (n - p) (the usual
least-squares estimate).  In both cases

    cov(u) = s^2 (J^T J)^-1,  u the fitted coordinates,

and for a log-fitted field theta = e^u the standard error is theta sigma_u (delta
method).  The standard errors are those of the model as stated: they do not include
the model's own error (e.g. of the macrospin picture).

The device model of a kind is chosen with ``method=`` (:data:`METHODS`; ``model=`` is a
deprecated alias, as are :data:`MODELS` and :attr:`CalibrationResult.model`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import xarray as xr
from scipy import optimize

from ..constants import MU0
from ..deprecation import REMOVED_IN, renamed, renamed_fields
from ..provenance import annotate, finalize
from .measurements import KINDS, Measurement, validate
from .mtj import MTJParams
from .switching import tau_escape, thermal_escape_time, wer_precessional
from .tools import check_params, increasing_root, operating_point

__all__ = ["calibrate", "CalibrationResult", "DEFAULT_FIT", "METHODS", "predict"]

#: Fields fitted linearly (they may be zero); all others are fitted in log space.
_LINEAR = {"tmr_bloch_coefficient", "field_like_ratio"}
#: Upper bounds of log-fitted fields that have one (from MTJParams' allowed ranges).
_UPPER = {"polarization": 1.0, "alpha": 0.999}
#: Starting values for optional fields that are None in the initial parameters (assumed).
_START = {"attempt_time": 1e-9, "curie_temperature": 1000.0, "tmr_bloch_coefficient": 1e-5}

#: Fields fitted by default for each kind: those the kind constrains best.
DEFAULT_FIT = {
    "ic_vs_pulse_width": ("ku", "polarization"),
    "psw_vs_pulse_width": ("ku", "polarization"),
    "psw_vs_current": ("ku", "polarization"),
    "wer_vs_current": ("ku", "polarization"),
    "wer_vs_pulse_width": ("ku", "polarization"),
    "resistance_vs_bias": ("ra", "tmr0", "v_half"),
    "tmr_vs_bias": ("tmr0", "v_half"),
    "tmr_vs_temperature": ("tmr0", "tmr_bloch_coefficient"),
    "delta_vs_temperature": ("ku", "curie_temperature"),
    "ms_vs_temperature": ("ms", "curie_temperature"),
    "keff_t_vs_temperature": ("ms", "curie_temperature", "ku", "anisotropy_exponent"),
    "delta_vs_diameter": ("ku",),
    "ic0_vs_diameter": ("polarization",),
    "dwell_time_vs_current": ("ku", "attempt_time"),
    "retention_time_vs_temperature": ("ku", "attempt_time"),
}

#: Methods (device models) available per kind (the first is the default).
METHODS = {kind: ("fokker_planck", "llg") if kind.startswith(("psw", "wer")) else ("analytic",) for kind in KINDS}
METHODS["ic_vs_pulse_width"] = ("thermal", "precessional", "fokker_planck")


def __getattr__(name):
    if name == "MODELS":  # deprecated alias of METHODS
        warnings.warn(
            f"spinaps.device.calibration.MODELS is deprecated, use METHODS (the old name is removed in "
            f"spinaps {REMOVED_IN})",
            DeprecationWarning,
            stacklevel=2,
        )
        return METHODS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_LOG_RESIDUAL = {"tau", "wer"}
_ABSOLUTE_RESIDUAL = {"p_switch"}


# --------------------------------------------------------------------------- models
#: Range of the reduced current searched for the thermal 50 % current.
_J_RANGE = (-0.999, 0.999)


def _ln2_tau_gap(j, t, delta, tau_d, *attempt_time):
    """ln t - ln(ln 2 tau_esc(j)) [1]: increasing in the reduced current j up to :func:`_j_peak`."""
    tau = tau_escape(j, delta, tau_d, attempt_time[0] if attempt_time else None)
    return np.log(t) - np.log(np.log(2.0) * tau)


def _brown_slope(j, delta):
    """d ln tau_esc / dj of Brown's escape time [1] (increasing in j)."""
    return -2.0 * delta * (1.0 - j) + 2.0 / (1.0 - j) - 1.0 / (1.0 + j)


def _j_peak(delta, attempt_time):
    """Largest reduced current [1] up to which Brown's escape time decreases.

    Brown's prefactor 1 / ((1 - j)^2 (1 + j)) makes tau_esc(j) rise again where
    Delta (1 - j)^2 is about 1, far outside the high-barrier range; the 50 % current is
    sought below that turning point.  The calibrated law tau_0 exp[Delta (1 - j)^2]
    decreases up to j = 1 (the upper end of the search range is returned).
    """
    if attempt_time is not None:
        return np.broadcast_to(_J_RANGE[1], np.shape(delta))
    return increasing_root(_brown_slope, *_J_RANGE, args=(delta,), xatol=1e-14)


def _half_switched_gap(u, t, delta, tau_d):
    """1/2 - WER of the precessional model at i = 1 + e^u [1]: increasing in u."""
    return 0.5 - wer_precessional(delta, 1.0 + np.exp(u), t / tau_d)


def _ic50(params, t, temperature, method):
    """Current switching half of the devices in a pulse ``t`` [s], in [A] (50 % criterion).

    The thermal and precessional currents are vectorised roots in the reduced current
    (:func:`~spinaps.device.tools.increasing_root`): ln 2 tau_esc(j) = t on
    j in [-0.999, 0.999], and WER(1 + e^u, t) = 1/2 on u in [ln 1e-6, ln 1e3].
    """
    t = np.asarray(t, dtype=float)
    if method == "fokker_planck":
        from .error_rates import current_for_wer

        return np.asarray(current_for_wer(params, t, 0.5, temperature=temperature).values, dtype=float)
    dev = operating_point(params, temperature)
    if method == "thermal":
        # Brown escape time over the current-lowered barrier: ln 2 tau(j) = t, on the
        # branch where tau decreases with j; a pulse too short for any sub-critical
        # current gives the upper end of the range, a pulse long enough at the lower
        # end gives the lower end.
        extra = () if dev.attempt_time is None else (dev.attempt_time,)
        args = (t, dev.delta, dev.tau_d, *extra)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            j_hi = _j_peak(dev.delta, dev.attempt_time)
            j = increasing_root(_ln2_tau_gap, _J_RANGE[0], j_hi, args=args, xatol=1e-14)
            j = np.where(_ln2_tau_gap(np.broadcast_to(j_hi, j.shape), *args) <= 0, _J_RANGE[1], j)
        return j * dev.ic0
    ln_i = increasing_root(_half_switched_gap, np.log(1e-6), np.log(1e3), args=(t, dev.delta, dev.tau_d))
    return (1.0 + np.exp(ln_i)) * dev.ic0


def _probability(params, m, x, method, options):
    from .error_rates import write_error_rate

    temperature = m.condition("temperature", 300.0)
    kw = dict(temperature=temperature, method=method, **options)
    if m.kind.endswith("vs_current"):
        wer = write_error_rate(params, x, m.condition("t_pulse"), **kw).values
    else:
        wer = write_error_rate(params, m.condition("current"), x, **kw).values
    return {"wer": wer} if m.kind.startswith("wer") else {"p_switch": 1.0 - wer}


def _check_method(method, kind):
    """The method of ``kind`` (default: the first of :data:`METHODS`), checked."""
    method = METHODS[kind][0] if method is None else method
    if method not in METHODS[kind]:
        raise ValueError(f"method = {method!r} for kind {kind}; allowed: {', '.join(METHODS[kind])}")
    return method


@renamed(model="method")
def predict(params: MTJParams, m: Measurement, x=None, *, method=None, **options) -> dict:
    """Model values of the measured columns of ``m`` at ``x`` (default: the measured x).

    Parameters
    ----------
    params : MTJParams
    m : Measurement
    x : array, optional [SI units of the kind's x column]
        Where to evaluate (default ``m.x``).
    method : str, optional
        The device model (default: the first of :data:`METHODS` of the kind).
    **options
        Passed to the write-error-rate solver for the switching kinds (e.g.
        ``direction``, ``stt_form``, ``criterion``).

    Returns
    -------
    dict of str -> numpy.ndarray
        ``{column: values}`` in the SI units of :data:`~spinaps.device.measurements.KINDS`.
    """
    x = m.x if x is None else np.asarray(x, dtype=float)
    method = _check_method(method, m.kind)
    temperature = m.condition("temperature", 300.0)
    k = m.kind
    if k == "ic_vs_pulse_width":
        return {"current": _ic50(params, x, temperature, method)}
    if k.startswith(("psw", "wer")):
        return _probability(params, m, x, method, options)
    if k == "resistance_vs_bias":
        p = params.at_temperature(temperature)
        return {"r_p": np.broadcast_to(p.r_p, x.shape).astype(float), "r_ap": p.r_ap_at(x)}
    if k == "tmr_vs_bias":
        return {"tmr": params.at_temperature(temperature).tmr(x)}
    if k == "tmr_vs_temperature":
        return {"tmr": np.array([float(params.at_temperature(t).tmr0) for t in x])}
    if k == "delta_vs_temperature":
        return {"delta": params.delta(x)}
    if k == "ms_vs_temperature":
        return {"ms": params.ms * params.ms_ratio(x)}
    if k == "keff_t_vs_temperature":
        return _ms_and_keff_t(params, x)
    if k in ("delta_vs_diameter", "ic0_vs_diameter"):
        p = replace(params, diameter=x)
        return (
            {"delta": p.delta(temperature)}
            if k == "delta_vs_diameter"
            else {"ic0": np.asarray(p.at_temperature(temperature).ic0)}
        )
    if k == "dwell_time_vs_current":
        return {"tau": thermal_escape_time(params, x, temperature=temperature).values}
    return {"tau": np.array([float(thermal_escape_time(params, 0.0, temperature=t)) for t in x])}


def _ms_and_keff_t(params, temperature):
    r"""M_s(T) [A/m] and K_eff(T) t_F [J/m^2] of the temperature laws of ``params``.

    M_s(T) = M_s r(T) (Bloch), K_eff(T) t_F = [K_u r^n - (mu0 (M_s r)^2 / 2) Delta N] t_F
    (Callen-Callen, :meth:`MTJParams.delta`); for an interfacial layer K_u t_F = K_i, so
    K_eff t_F = K_i(T) - (mu0 M_s(T)^2 / 2) Delta N t_F with K_i proportional to M_s^n.
    """
    r = params.ms_ratio(temperature)
    k_eff = (
        params.ku * r**params.anisotropy_exponent - 0.5 * MU0 * (params.ms * r) ** 2 * params.demag_factor_difference
    )
    return {"ms": params.ms * r, "keff_t": k_eff * params.thickness}


# --------------------------------------------------------------------------- fit
@renamed_fields(model="method")
@dataclass(frozen=True)
class CalibrationResult:
    """Outcome of :func:`calibrate`.

    Built by :func:`calibrate`; the fields below are its attributes.  A frozen
    dataclass.

    Parameters
    ----------
    params : MTJParams
        The initial parameters with the fitted fields replaced.
    names : tuple of str
        The fitted fields, in the order of ``values``.
    values : numpy.ndarray (p,) [units of each field]
        Fitted values.
    stderr : numpy.ndarray (p,) [units of each field]
        One-sigma standard errors (NaN when the fit has no degrees of freedom and no
        published uncertainties).
    cov : numpy.ndarray (p, p) [products of the units of the fields]
        Covariance of the fitted values: s^2 (J^T J)^-1 in the fitted coordinates,
        carried to the fields by the delta method (s^2 = 1 with published
        uncertainties, else SSR / (n - p)).
    initial : numpy.ndarray (p,) [units of each field]
        Starting values.
    residuals : numpy.ndarray [-]
        Final residuals (see the module notes for their form per kind: relative,
        logarithmic or absolute, divided by the uncertainties when given).
    dof : int [-]
        Points minus fitted parameters.
    success : bool [flag]
        Whether :func:`scipy.optimize.least_squares` reports convergence.
    message : str [object]
        Its termination message.
    measurement : Measurement
        The (validated) data fitted.
    method : str [choice]
        The device model used (``model`` is a deprecated alias, readable with a
        ``DeprecationWarning`` until spinaps 0.2.0).
    options : dict
        The options passed to the model.

    Examples
    --------
    >>> import warnings
    >>> from spinaps.device import calibrate, measurements, preset
    >>> data = measurements.load("Skowronski2017_tmr_vs_temperature")  # two points
    >>> with warnings.catch_warnings():  # no degrees of freedom: stderr is NaN
    ...     warnings.simplefilter("ignore")
    ...     result = calibrate(data, preset("Ikeda2010"))
    >>> result.names, result.dof, result.success
    (('tmr0', 'tmr_bloch_coefficient'), 0, True)
    >>> round(float(result.params.tmr0), 6)
    1.8
    """

    params: MTJParams
    names: tuple
    values: np.ndarray
    stderr: np.ndarray
    cov: np.ndarray
    initial: np.ndarray
    residuals: np.ndarray
    dof: int
    success: bool
    message: str
    measurement: Measurement
    method: str
    options: dict

    def to_dataset(self) -> xr.Dataset:
        """Fitted, initial values and standard errors per field, with provenance.

        Returns
        -------
        xarray.Dataset
            ``value``, ``stderr``, ``initial`` (dim ``field``: the fitted field names)
            and ``covariance`` (dims ``field``, ``field2``), in the SI units of each
            field.  Attributes ``measurement``, ``kind``, ``method``, ``dof``,
            ``reference``, ``success``, the parameters and the citation keys
            (``Branch1999``, the least-squares method, and the measurement's
            ``citation_key``).
        """
        coord = {"field": list(self.names)}
        ds = xr.Dataset(
            {
                "value": ("field", self.values),
                "stderr": ("field", self.stderr),
                "initial": ("field", self.initial),
                "covariance": (("field", "field2"), self.cov),
            },
            coords={**coord, "field2": list(self.names)},
        )
        for name, long in (
            ("value", "fitted value"),
            ("stderr", "one-sigma standard error"),
            ("initial", "starting value"),
            ("covariance", "covariance"),
        ):
            annotate(ds[name], "SI units of each field", long)
        m = self.measurement
        keys = ("Branch1999",) + ((m.citation_key,) if m.citation_key else ())
        return finalize(
            ds,
            params=self.params,
            cite=keys,
            measurement=m.name,
            kind=m.kind,
            method=self.method,
            dof=self.dof,
            reference=m.reference,
            success=str(self.success),
        )

    def plot(self, ax=None):
        """Data versus the fitted model (log axes where the data span decades).

        The measured points (with their published uncertainties as error bars) and
        the model of :attr:`method` at the fitted parameters on 60 points across the
        measured range.  The x axis is logarithmic when x spans more than a factor 20,
        the y axis when a measured column is a time or a write error rate.  Needs
        matplotlib.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional [object]
            Axes to draw into (default: a new 5 x 3.5 inch figure).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.
        """
        import matplotlib.pyplot as plt

        m = self.measurement
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3.5))
        x = m.x
        span = x.max() / x.min() if np.all(x > 0) else 1.0
        dense = np.geomspace(x.min(), x.max(), 60) if span > 20 else np.linspace(x.min(), x.max(), 60)
        curve = predict(self.params, m, dense, method=self.method, **self.options)
        for name in m.measured:
            y = m.columns[name]
            err = m.uncertainty.get(name)
            ax.errorbar(x, y, yerr=err, fmt="o", label=f"{name} ({m.name})")
            ax.plot(dense, curve[name], "-", label=f"{name} model ({self.method})")
        if span > 20:
            ax.set_xscale("log")
        if any(n in _LOG_RESIDUAL for n in m.measured):
            ax.set_yscale("log")
        units = KINDS[m.kind].units
        ax.set_xlabel(f"{KINDS[m.kind].x} [{units[KINDS[m.kind].x]}]")
        ax.set_ylabel(", ".join(f"{n} [{units[n]}]" for n in m.measured))
        ax.legend(fontsize=7)
        return ax


def _residual_fn(m, method, options, params, names, transform):
    measured = m.measured

    def residuals(u):
        values = {n: (np.exp(v) if t == "log" else v) for n, v, t in zip(names, u, transform)}
        try:
            p = replace(params, **values)
            pred = predict(p, m, method=method, **options)
        except ValueError:
            return np.full(m.n_points, 1e6)  # outside the model's domain: a steep wall
        out = []
        for name in measured:
            y, f = m.columns[name], np.asarray(pred[name], dtype=float)
            sigma = m.uncertainty.get(name)
            if name in _LOG_RESIDUAL:
                r = np.log(np.maximum(f, 1e-300) / y)
                r = r / (sigma / y) if sigma is not None else r
            elif name in _ABSOLUTE_RESIDUAL:
                r = (f - y) / sigma if sigma is not None else f - y
            else:
                r = (f - y) / sigma if sigma is not None else f / y - 1.0
            out.append(r)
        return np.concatenate(out)

    return residuals


@renamed(model="method")
def calibrate(
    measurement: Measurement, params: MTJParams, *, fit=None, method=None, bounds=None, **options
) -> CalibrationResult:
    r"""Fit fields of ``params`` to ``measurement`` by least squares.

    Weighted nonlinear least squares (:func:`scipy.optimize.least_squares`,
    trust-region reflective, finite-difference Jacobian).  Positive fields are fitted
    in log space (so they stay positive and their scale does not matter); fields that
    may be zero (``tmr_bloch_coefficient``, ``field_like_ratio``) linearly.

    Parameters
    ----------
    measurement : Measurement
        From :func:`spinaps.device.measurements.load` or
        :func:`~spinaps.device.measurements.from_columns`.
    params : MTJParams
        A single device: the starting point and the values of the fields not fitted.
        An optional field that is ``None`` starts from an assumed value
        (``attempt_time`` 1 ns, ``curie_temperature`` 1000 K, raised above the hottest
        measured point, ``tmr_bloch_coefficient`` 1e-5 K^-1.5).
    fit : sequence of str, optional [object]
        Fields to fit (default :data:`DEFAULT_FIT` of the kind), e.g.
        ``("ku", "polarization")`` for switching data; any field of
        :class:`MTJParams` but ``t_ref``.
    method : str, optional [choice]
        The device model (default the first of :data:`METHODS` of the kind): for
        ``ic_vs_pulse_width`` the ``"thermal"`` (Brown escape over the current-lowered
        barrier), ``"precessional"`` or ``"fokker_planck"`` 50 % current; for switching
        probabilities and WER the ``"fokker_planck"`` solver (or ``"llg"``); the other
        kinds ``"analytic"``.  (``model`` is a deprecated alias, accepted with a
        ``DeprecationWarning`` until spinaps 0.2.0.)
    bounds : dict, optional
        {field: (low, high)} [SI units of each field], overriding the defaults
        (``polarization`` <= 1, ``alpha`` <= 0.999, ``curie_temperature`` above the
        hottest point and ``t_ref``; ``None`` for no bound).
    **options
        Passed to :func:`spinaps.device.write_error_rate` for the switching kinds.

    Returns
    -------
    CalibrationResult
        The fitted parameters, values, standard errors, covariance and residuals.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams` or ``measurement`` not a
        :class:`~spinaps.device.measurements.Measurement`.
    ValueError
        Unknown fields, an ensemble ``params``, fewer points than fitted parameters;
        also an empty ``fit``, an invalid measurement
        (:func:`spinaps.device.measurements.validate`), a method the kind does not
        have, a missing measurement condition, or ``options`` the model refuses
        (checked with one model evaluation before the fit).

    Warns
    -----
    UserWarning
        If there are as many points as parameters and no published uncertainties:
        the fit interpolates the data and the standard errors are NaN.

    Notes
    -----
    Residuals per kind: relative (model / data - 1) for currents, resistances, TMR,
    Delta and M_s; logarithmic (ln model - ln data) for times and write error rates;
    absolute for switching probabilities; each divided by its published one-sigma
    uncertainty when given.  A parameter set outside the model's domain gives
    residuals of 1e6 (a steep wall).  The covariance of the fitted coordinates u is

    .. math:: \mathrm{cov}(u) = s^2 (J^T J)^{-1},

    with s^2 = 1 with published uncertainties (absolute covariance), else
    s^2 = SSR / (n - p); for a log-fitted field theta = e^u the standard error is
    theta sigma_u (delta method).  The standard errors are those of the model as
    stated: they do not include the model's own error (e.g. of the macrospin
    picture).

    References
    ----------
    * Branch, M. A., Coleman, T. F. and Li, Y., "A subspace, interior, and conjugate
      gradient method for large-scale bound-constrained minimization problems", SIAM
      J. Sci. Comput. 21, 1-23 (1999): the trust-region reflective method; citation
      key ``Branch1999`` (recorded by :meth:`CalibrationResult.to_dataset`).
    * The device models: the switching and escape-time kinds register the keys of
      the functions they call (Brown 1963, ``Brown1963``; Coffey et al. 1994,
      ``Coffey1994``; Butler et al. 2012, ``Butler2012``; Scharfetter and Gummel 1969,
      ``ScharfetterGummel1969``); the TMR and M_s temperature laws are those of
      :meth:`MTJParams.at_temperature` (Julliere 1975, ``Julliere1975``; Shang et al.
      1998, ``Shang1998``).

    Examples
    --------
    A synthetic TMR(V) curve of a device with TMR0 = 1.5 and V_h = 0.4 V:

    >>> import numpy as np
    >>> from spinaps.device import calibrate, measurements, preset
    >>> v = np.array([0.0, 0.2, 0.4, 0.6, 0.8])
    >>> data = measurements.from_columns("tmr_vs_bias", voltage=v, tmr=1.5 / (1 + (v / 0.4) ** 2))
    >>> result = calibrate(data, preset("Ikeda2010"))
    >>> result.names, np.round(result.values, 4).tolist()
    (('tmr0', 'v_half'), [1.5, 0.4])
    """
    check_params(params)
    m = validate(measurement)
    if params.n_devices != 1:
        raise ValueError(f"params must be a single device to calibrate, got an ensemble of {params.n_devices}")
    names = tuple(DEFAULT_FIT[m.kind] if fit is None else fit)
    fields = set(MTJParams.__dataclass_fields__) - {"t_ref"}
    unknown = [n for n in names if n not in fields]
    if unknown or not names:
        raise ValueError(f"fit = {names!r}: unknown field(s) {unknown}; allowed: {', '.join(sorted(fields))}")
    if m.n_points < len(names):
        raise ValueError(
            f"measurement {m.name!r} has {m.n_points} points, fewer than the {len(names)} fitted parameters {names}"
        )
    method = _check_method(method, m.kind)
    predict(params, m, method=method, **options)  # errors in the options surface here, not as a failed fit
    start = np.array([float(getattr(params, n)) if getattr(params, n) is not None else _START[n] for n in names])
    if "curie_temperature" in names:  # start above the hottest point so the Bloch law is defined
        k = names.index("curie_temperature")
        start[k] = max(start[k], 1.5 * float(np.max(m.x)) if KINDS[m.kind].x == "temperature" else start[k])
    transform = ["lin" if n in _LINEAR else "log" for n in names]
    lo, hi = [], []
    hottest = float(np.max(m.x)) if KINDS[m.kind].x == "temperature" else m.condition("temperature", 300.0)
    floor = {"curie_temperature": 1.001 * max(hottest, float(np.max(params.t_ref)))}
    for n, t in zip(names, transform):
        b_lo, b_hi = (bounds or {}).get(n, (0.0 if t == "lin" else floor.get(n), _UPPER.get(n)))
        if t == "log":
            lo.append(np.log(b_lo) if b_lo else -np.inf)
            hi.append(np.log(b_hi) if b_hi else np.inf)
        else:
            lo.append(-np.inf if b_lo is None else b_lo)
            hi.append(np.inf if b_hi is None else b_hi)
    u0 = np.array([np.log(v) if t == "log" else v for v, t in zip(start, transform)])
    u0 = np.clip(u0, np.array(lo) + 1e-9, np.array(hi) - 1e-9)
    fun = _residual_fn(m, method, options, params, names, transform)
    sol = optimize.least_squares(fun, u0, bounds=(lo, hi), x_scale="jac", method="trf")
    values = np.array([np.exp(v) if t == "log" else v for v, t in zip(sol.x, transform)])
    dof = m.n_points - len(names)
    with np.errstate(divide="ignore", invalid="ignore"):
        cov_u = np.linalg.pinv(sol.jac.T @ sol.jac)
    if m.uncertainty:
        scale = 1.0
    elif dof > 0:
        scale = 2.0 * sol.cost / dof
    else:
        scale = np.nan
        warnings.warn(
            f"calibrate: {m.n_points} points for {len(names)} parameters and no published "
            "uncertainties: the fit interpolates the data; standard errors are undefined (NaN)",
            stacklevel=3,
        )
    d = np.array([v if t == "log" else 1.0 for v, t in zip(values, transform)])
    cov = scale * cov_u * np.outer(d, d)
    fitted = replace(params, **dict(zip(names, values)))
    return CalibrationResult(
        params=fitted,
        names=names,
        values=values,
        stderr=np.sqrt(np.diag(cov)),
        cov=cov,
        initial=start,
        residuals=sol.fun,
        dof=dof,
        success=bool(sol.success),
        message=str(sol.message),
        measurement=m,
        method=method,
        options=dict(options),
    )
