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
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import xarray as xr
from scipy import optimize

from ..provenance import annotate, finalize
from .measurements import KINDS, Measurement, validate
from .mtj import MTJParams
from .switching import _derived, _tau_escape, _wer_precessional, thermal_escape_time

__all__ = ["calibrate", "CalibrationResult", "DEFAULT_FIT", "MODELS", "predict"]

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
    "delta_vs_diameter": ("ku",),
    "ic0_vs_diameter": ("polarization",),
    "dwell_time_vs_current": ("ku", "attempt_time"),
    "retention_time_vs_temperature": ("ku", "attempt_time"),
}

#: Models available per kind (the first is the default).
MODELS = {kind: ("fokker_planck", "llg") if kind.startswith(("psw", "wer")) else ("analytic",) for kind in KINDS}
MODELS["ic_vs_pulse_width"] = ("thermal", "precessional", "fokker_planck")

_LOG_RESIDUAL = {"tau", "wer"}
_ABSOLUTE_RESIDUAL = {"p_switch"}


# --------------------------------------------------------------------------- models
def _bisect(f, lo, hi, n=80):
    """Vectorised bisection for the root of an increasing f on [lo, hi] (elementwise)."""
    lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
    lo, hi = lo.copy(), hi.copy()
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        up = f(mid) > 0
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return 0.5 * (lo + hi)


def _ic50(params, t, temperature, model):
    """Current switching half of the devices in a pulse ``t`` [A] (50 % criterion)."""
    dev = _derived(params, temperature)
    if model == "thermal":
        # Brown escape time over the current-lowered barrier: ln 2 tau(j) = t.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            j = _bisect(lambda j: np.log(t) - np.log(np.log(2.0) * _tau_escape(dev, j)), -0.999, 0.999)
        return j * dev.ic0
    if model == "precessional":
        ln_i = _bisect(lambda u: 0.5 - _wer_precessional(dev, 1.0 + np.exp(u), t), np.log(1e-6), np.log(1e3))
        return (1.0 + np.exp(ln_i)) * dev.ic0
    from .error_rates import current_for_wer
    return np.array([float(current_for_wer(params, tk, 0.5, temperature=temperature)) for tk in t])


def _probability(params, m, x, model, options):
    from .error_rates import write_error_rate
    temperature = m.condition("temperature", 300.0)
    kw = dict(temperature=temperature, method=model, **options)
    if m.kind.endswith("vs_current"):
        wer = write_error_rate(params, x, m.condition("t_pulse"), **kw).values
    else:
        wer = write_error_rate(params, m.condition("current"), x, **kw).values
    return {"wer": wer} if m.kind.startswith("wer") else {"p_switch": 1.0 - wer}


def predict(params: MTJParams, m: Measurement, x=None, *, model=None, **options) -> dict:
    """Model values of the measured columns of ``m`` at ``x`` (default: the measured x).

    Returns a dict {column: ndarray}.  ``options`` go to the write-error-rate solver for
    the switching kinds (e.g. ``direction``, ``stt_form``, ``criterion``).
    """
    x = m.x if x is None else np.asarray(x, dtype=float)
    model = MODELS[m.kind][0] if model is None else model
    if model not in MODELS[m.kind]:
        raise ValueError(f"model = {model!r} for kind {m.kind}; allowed: {', '.join(MODELS[m.kind])}")
    temperature = m.condition("temperature", 300.0)
    k = m.kind
    if k == "ic_vs_pulse_width":
        return {"current": _ic50(params, x, temperature, model)}
    if k.startswith(("psw", "wer")):
        return _probability(params, m, x, model, options)
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
    if k in ("delta_vs_diameter", "ic0_vs_diameter"):
        p = replace(params, diameter=x)
        return {"delta": p.delta(temperature)} if k == "delta_vs_diameter" else {
            "ic0": np.asarray(p.at_temperature(temperature).ic0)}
    if k == "dwell_time_vs_current":
        return {"tau": thermal_escape_time(params, x, temperature=temperature)}
    return {"tau": np.array([float(thermal_escape_time(params, 0.0, temperature=t)) for t in x])}


# --------------------------------------------------------------------------- fit
@dataclass(frozen=True)
class CalibrationResult:
    """Outcome of :func:`calibrate`.

    Attributes
    ----------
    params : MTJParams
        The initial parameters with the fitted fields replaced.
    names : tuple of str
        The fitted fields.
    values, stderr : ndarray
        Fitted values and one-sigma standard errors [units of each field]
        (NaN when the fit has no degrees of freedom and no published uncertainties).
    cov : ndarray (p, p)
        Covariance of the fitted values.
    initial : ndarray
        Starting values.
    residuals : ndarray
        Final residuals (see the module notes for their form per kind).
    dof : int
        Points minus fitted parameters.
    success : bool
    message : str
    measurement : Measurement
    model : str
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
    model: str
    options: dict

    def to_dataset(self) -> xr.Dataset:
        """Fitted, initial values and standard errors per field, with provenance."""
        coord = {"field": list(self.names)}
        ds = xr.Dataset({
            "value": ("field", self.values), "stderr": ("field", self.stderr),
            "initial": ("field", self.initial), "covariance": (("field", "field2"), self.cov)},
            coords={**coord, "field2": list(self.names)})
        for name, long in (("value", "fitted value"), ("stderr", "one-sigma standard error"),
                           ("initial", "starting value"), ("covariance", "covariance")):
            annotate(ds[name], "SI units of each field", long)
        m = self.measurement
        keys = ("Branch1999",) + ((m.citation_key,) if m.citation_key else ())
        return finalize(ds, params=self.params, cite=keys, measurement=m.name, kind=m.kind, model=self.model,
                        dof=self.dof, reference=m.reference, success=str(self.success))

    def plot(self, ax=None):
        """Data versus the fitted model (log axes where the data span decades)."""
        import matplotlib.pyplot as plt
        m = self.measurement
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3.5))
        x = m.x
        span = x.max() / x.min() if np.all(x > 0) else 1.0
        dense = np.geomspace(x.min(), x.max(), 60) if span > 20 else np.linspace(x.min(), x.max(), 60)
        curve = predict(self.params, m, dense, model=self.model, **self.options)
        for name in m.measured:
            y = m.columns[name]
            err = m.uncertainty.get(name)
            ax.errorbar(x, y, yerr=err, fmt="o", label=f"{name} ({m.name})")
            ax.plot(dense, curve[name], "-", label=f"{name} model ({self.model})")
        if span > 20:
            ax.set_xscale("log")
        if any(n in _LOG_RESIDUAL for n in m.measured):
            ax.set_yscale("log")
        units = KINDS[m.kind].units
        ax.set_xlabel(f"{KINDS[m.kind].x} [{units[KINDS[m.kind].x]}]")
        ax.set_ylabel(", ".join(f"{n} [{units[n]}]" for n in m.measured))
        ax.legend(fontsize=7)
        return ax


def _residual_fn(m, model, options, params, names, transform):
    measured = m.measured

    def residuals(u):
        values = {n: (np.exp(v) if t == "log" else v) for n, v, t in zip(names, u, transform)}
        try:
            p = replace(params, **values)
            pred = predict(p, m, model=model, **options)
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


def calibrate(measurement: Measurement, params: MTJParams, *, fit=None, model=None, bounds=None,
              **options) -> CalibrationResult:
    """Fit fields of ``params`` to ``measurement`` by least squares.

    Parameters
    ----------
    measurement : Measurement
        From :func:`spinaps.device.measurements.load` or
        :func:`~spinaps.device.measurements.from_columns`.
    params : MTJParams
        A single device: the starting point and the values of the fields not fitted.
    fit : sequence of str, optional
        Fields to fit (default :data:`DEFAULT_FIT` of the kind), e.g.
        ``("ku", "polarization")`` for switching data.
    model : str, optional
        The device model (default the first of :data:`MODELS` of the kind): for
        ``ic_vs_pulse_width`` the ``"thermal"`` (Brown escape over the current-lowered
        barrier), ``"precessional"`` or ``"fokker_planck"`` 50 % current; for switching
        probabilities and WER the ``"fokker_planck"`` solver.
    bounds : dict, optional
        {field: (low, high)} in SI units, overriding the defaults.
    **options
        Passed to :func:`spinaps.device.write_error_rate` for the switching kinds.

    Returns
    -------
    CalibrationResult

    Raises
    ------
    ValueError
        Unknown fields, an ensemble ``params``, fewer points than fitted parameters.
    """
    m = validate(measurement)
    if not isinstance(params, MTJParams):
        raise TypeError(f"params must be an MTJParams, got {type(params).__name__}")
    if params.n_devices != 1:
        raise ValueError(f"params must be a single device to calibrate, got an ensemble of {params.n_devices}")
    names = tuple(DEFAULT_FIT[m.kind] if fit is None else fit)
    fields = set(MTJParams.__dataclass_fields__) - {"t_ref"}
    unknown = [n for n in names if n not in fields]
    if unknown or not names:
        raise ValueError(f"fit = {names!r}: unknown field(s) {unknown}; allowed: {', '.join(sorted(fields))}")
    if m.n_points < len(names):
        raise ValueError(f"measurement {m.name!r} has {m.n_points} points, fewer than the {len(names)} "
                         f"fitted parameters {names}")
    model = MODELS[m.kind][0] if model is None else model
    if model not in MODELS[m.kind]:
        raise ValueError(f"model = {model!r} for kind {m.kind}; allowed: {', '.join(MODELS[m.kind])}")
    predict(params, m, model=model, **options)  # errors in the options surface here, not as a failed fit
    start = np.array([float(getattr(params, n)) if getattr(params, n) is not None else _START[n] for n in names])
    if "curie_temperature" in names:  # start above the hottest point so the Bloch law is defined
        k = names.index("curie_temperature")
        start[k] = max(start[k], 1.5 * float(np.max(m.x)) if KINDS[m.kind].x == "temperature" else start[k])
    transform = ["lin" if n in _LINEAR else "log" for n in names]
    lo, hi = [], []
    hottest = float(np.max(m.x)) if KINDS[m.kind].x == "temperature" else m.condition("temperature", 300.0)
    floor = {"curie_temperature": 1.001 * max(hottest, float(np.max(params.t_ref)))}
    for n, v, t in zip(names, start, transform):
        b_lo, b_hi = (bounds or {}).get(n, (0.0 if t == "lin" else floor.get(n), _UPPER.get(n)))
        if t == "log":
            lo.append(np.log(b_lo) if b_lo else -np.inf)
            hi.append(np.log(b_hi) if b_hi else np.inf)
        else:
            lo.append(-np.inf if b_lo is None else b_lo)
            hi.append(np.inf if b_hi is None else b_hi)
    u0 = np.array([np.log(v) if t == "log" else v for v, t in zip(start, transform)])
    u0 = np.clip(u0, np.array(lo) + 1e-9, np.array(hi) - 1e-9)
    fun = _residual_fn(m, model, options, params, names, transform)
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
        warnings.warn(f"calibrate: {m.n_points} points for {len(names)} parameters and no published "
                      "uncertainties: the fit interpolates the data; standard errors are undefined (NaN)",
                      stacklevel=2)
    d = np.array([v if t == "log" else 1.0 for v, t in zip(values, transform)])
    cov = scale * cov_u * np.outer(d, d)
    fitted = replace(params, **dict(zip(names, values)))
    return CalibrationResult(params=fitted, names=names, values=values, stderr=np.sqrt(np.diag(cov)), cov=cov,
                             initial=start, residuals=sol.fun, dof=dof, success=bool(sol.success),
                             message=str(sol.message), measurement=m, model=model, options=dict(options))
