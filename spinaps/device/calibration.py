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

Several measurements are fitted jointly by passing a list: one parameter set, the
residuals of all of them stacked (each weighted by its own uncertainties).  Switching
data can be fitted in the switching parameters Delta, I_c0 and tau_D
(``fit=("delta", "ic0", "tau_d")``, :mod:`spinaps.device.switching_fit`), from several
starts (``starts=``: a global stage ranks them by cost, local fits run from the best),
with errors scaled by chi^2/dof (``errors="scaled"``).  Switching
data taken at a pulse *voltage* (kinds ``psw_vs_voltage``, ``psw_vs_pulse_width`` with a
``voltage`` condition) are driven by the current of :func:`current_from_voltage`, through
the junction's bias-dependent resistance in its initial state.  :func:`predict_v50` carries
a calibrated device to other temperatures (its 50 % switching voltage V_50(T) and
dV_50/dT, with standard errors).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import xarray as xr
from scipy import optimize

from ..constants import MU0
from ..deprecation import REMOVED_IN, renamed, renamed_fields
from ..params import check_choice, check_range, check_temperature
from ..provenance import annotate, finalize
from . import fokker_planck as fp
from .measurements import KINDS, Measurement, validate
from .mtj import MTJParams
from .switching import tau_escape, thermal_escape_time, wer_precessional
from .switching_fit import DERIVED, SOLVES_FOR, switching_parameter, with_switching_parameters
from .tools import check_params, increasing_root, operating_point

__all__ = [
    "calibrate",
    "CalibrationResult",
    "DEFAULT_FIT",
    "INITIAL_STATES",
    "METHODS",
    "TEMPERATURE_LAW_FIELDS",
    "current_from_voltage",
    "predict",
    "predict_v50",
    "voltage_for_current",
]

#: Fields fitted linearly (they may be zero); all others are fitted in log space.
_LINEAR = {"tmr_bloch_coefficient", "field_like_ratio"}
#: Upper bounds of log-fitted fields that have one (from MTJParams' allowed ranges).
_UPPER = {"polarization": 1.0, "alpha": 0.999, "delta": 300.0}
#: Starting values for optional fields that are None in the initial parameters (assumed).
_START = {"attempt_time": 1e-9, "curie_temperature": 1000.0, "tmr_bloch_coefficient": 1e-5}

#: Fields fitted by default for each kind: those the kind constrains best.
DEFAULT_FIT = {
    "ic_vs_pulse_width": ("ku", "polarization"),
    "psw_vs_pulse_width": ("ku", "polarization"),
    "psw_vs_current": ("ku", "polarization"),
    "psw_vs_voltage": ("ku", "polarization"),
    "dpdv_vs_pulse_width": ("ku", "polarization"),
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
METHODS["dpdv_vs_pulse_width"] = ("fokker_planck",)

#: Initial state of a voltage-driven switching measurement -> the write it is.
INITIAL_STATES = {"p": "p_to_ap", "ap": "ap_to_p"}
#: The fields of MTJParams that make its temperature law (see MTJParams.at_temperature).
TEMPERATURE_LAW_FIELDS = ("curie_temperature", "anisotropy_exponent", "tmr_bloch_coefficient")


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


def _initial_resistance(params, voltage, initial_state):
    """Resistance [Ohm] of the initial state at bias ``voltage`` [V] (R_P is bias independent)."""
    if initial_state == "p":
        return np.broadcast_to(params.r_p, np.shape(voltage)).astype(float)
    return np.asarray(params.r_ap_at(voltage), dtype=float)


def current_from_voltage(params: MTJParams, voltage, *, initial_state="p", temperature=300.0):
    r"""Current [A] a pulse of ``voltage`` drives through the junction in its initial state.

    .. math::

       I = \frac{V}{R_0(V)}, \qquad R_P = \frac{RA}{A}, \qquad
       R_{AP}(V) = R_P \left(1 + \frac{\mathrm{TMR}_0(T)}{1 + V^2 / V_h^2}\right),

    with the resistance of the state the device is in when the pulse starts (the
    state it is switched out of): ``"p"`` (a P -> AP write) or ``"ap"`` (AP -> P).  The
    TMR follows the parameters' temperature law at ``temperature``
    (:meth:`MTJParams.at_temperature`); R_P (RA) is held constant (assumed).  The
    resistance is taken at the start of the pulse, i.e. the current the initial state
    carries; its change as the magnetisation turns is neglected (it matters only
    once the device has switched).

    ``temperature`` is the junction temperature during the pulse: a Joule-heating
    model enters by passing the heated temperature here (and to the switching
    solver); none is applied in this module.

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble.
    voltage : float or array [V]
        Pulse amplitude across the junction (finite; the sign passes to the current).
    initial_state : {"p", "ap"}
        State of the junction when the pulse starts (default ``"p"``).
    temperature : float [K]
        Junction temperature, in [0, T_MAX] (``spinaps.params.T_MAX``).

    Returns
    -------
    numpy.ndarray [A]
        The current, broadcast over ``voltage`` and the ensemble.

    Raises
    ------
    ValueError
        If ``initial_state`` is not ``"p"`` or ``"ap"``, ``voltage`` is not finite, or
        ``temperature`` is outside [0, T_MAX] K (or at or above the Curie temperature).

    Examples
    --------
    >>> from spinaps.device import preset
    >>> from spinaps.device.calibration import current_from_voltage
    >>> p = preset("Ikeda2010")  # R_P = 7958 Ohm, TMR0 = 1.2, V_h = 0.5 V
    >>> [f"{i * 1e6:.1f} uA" for i in current_from_voltage(p, [0.5, 0.5], initial_state="p").tolist()]
    ['62.8 uA', '62.8 uA']
    >>> f"{float(current_from_voltage(p, 0.5, initial_state='ap')) * 1e6:.1f} uA"
    '39.3 uA'
    """
    check_choice("initial_state", initial_state, tuple(INITIAL_STATES))
    check_temperature(temperature)
    v = np.asarray(voltage, dtype=float)
    if not np.all(np.isfinite(v)):
        raise ValueError(f"voltage must be finite [V], got {voltage!r}")
    return v / _initial_resistance(params.at_temperature(temperature), v, initial_state)


def voltage_for_current(params: MTJParams, current, *, initial_state="p", temperature=300.0):
    r"""Pulse voltage [V] that drives ``current`` through the junction: the inverse of
    :func:`current_from_voltage`.

    For ``"p"``: V = I R_P.  For ``"ap"``: the root of V / R_AP(V) = I, which is
    increasing in V (R_AP falls with bias) and lies in [I R_P, I R_AP(0)] (Brent's
    method, to 1e-12 V).

    Parameters
    ----------
    params : MTJParams
        A single device.
    current : float or array [A]
        Current, >= 0 and finite.
    initial_state : {"p", "ap"}
        State of the junction when the pulse starts (default ``"p"``).
    temperature : float [K]
        Junction temperature, in [0, T_MAX].

    Returns
    -------
    numpy.ndarray [V]
        The voltage, shaped as ``current``.

    Raises
    ------
    ValueError
        For an ensemble ``params``, a negative or non-finite ``current``, or the
        invalid arguments of :func:`current_from_voltage`.

    Examples
    --------
    >>> from spinaps.device import preset
    >>> from spinaps.device.calibration import current_from_voltage, voltage_for_current
    >>> p = preset("Ikeda2010")
    >>> i = current_from_voltage(p, 0.4, initial_state="ap")
    >>> round(float(voltage_for_current(p, i, initial_state="ap")), 9)
    0.4
    """
    check_choice("initial_state", initial_state, tuple(INITIAL_STATES))
    check_temperature(temperature)
    if params.n_devices != 1:
        raise ValueError(f"params must be a single device, got an ensemble of {params.n_devices}")
    i = np.asarray(current, dtype=float)
    check_range("current", i, low=0.0, low_inclusive=True, units="A")
    p = params.at_temperature(temperature)
    r_p, r_ap0 = float(p.r_p), float(p.r_ap)
    if initial_state == "p":
        return i * r_p

    def one(current_a):
        if current_a == 0.0:
            return 0.0
        gap = lambda v: v / float(p.r_ap_at(v)) - current_a  # noqa: E731
        return optimize.brentq(gap, current_a * r_p, current_a * r_ap0, xtol=1e-12, rtol=1e-13)

    return np.vectorize(one, otypes=[float])(i)


def _drive(params, m, x, temperature, initial_state):
    """(currents [A], pulse widths [s]) of a switching measurement at its x values."""
    kind = m.kind
    if kind.endswith("vs_current"):
        return x, m.condition("t_pulse")
    if kind == "psw_vs_voltage":
        return current_from_voltage(params, x, initial_state=initial_state, temperature=temperature), m.condition(
            "t_pulse"
        )
    if "voltage" in m.conditions:
        v = m.condition("voltage")
        return float(current_from_voltage(params, v, initial_state=initial_state, temperature=temperature)), x
    return m.condition("current"), x


def _switching_options(m, options):
    """(initial state, write-error-rate options): a voltage drive fixes ``direction``."""
    options = dict(options)
    initial_state = options.pop("initial_state", "p")
    check_choice("initial_state", initial_state, tuple(INITIAL_STATES))
    voltage_driven = m.kind in ("psw_vs_voltage", "dpdv_vs_pulse_width") or "voltage" in m.conditions
    if voltage_driven:
        direction = INITIAL_STATES[initial_state]
        if options.get("direction", direction) != direction:
            raise ValueError(
                f"direction = {options['direction']!r} contradicts initial_state = {initial_state!r} "
                f"(a pulse out of the {initial_state.upper()} state is the {direction} write)"
            )
        options["direction"] = direction
    return initial_state, options


def _probability(params, m, x, method, options):
    from .error_rates import write_error_rate

    temperature = m.condition("temperature", 300.0)
    initial_state, options = _switching_options(m, options)
    current, t_pulse = _drive(params, m, x, temperature, initial_state)
    wer = write_error_rate(params, current, t_pulse, temperature=temperature, method=method, **options).values
    return {"wer": wer} if m.kind.startswith("wer") else {"p_switch": 1.0 - wer}


#: Relative voltage step of the central difference of dp/dV at V_50 [-].
_DPDV_STEP = 1e-3


def _v50(params, t_pulse, temperature, initial_state, options):
    """V_50 [V] of single pulses of width ``t_pulse`` [s] (array): p_switch(V_50) = 1/2."""
    from .error_rates import current_for_wer

    kw = {k: v for k, v in options.items() if k in ("criterion", "stt_form", "direction", "h_applied", "n_cells")}
    i50 = np.asarray(current_for_wer(params, t_pulse, 0.5, temperature=temperature, **kw).values, dtype=float)
    return voltage_for_current(params, i50, initial_state=initial_state, temperature=temperature)


def _dpdv(params, m, x, options):
    """dp/dV at V_50 [1/V] for pulse widths ``x`` [s]: a central difference of +-0.1 % in V."""
    from .error_rates import write_error_rate

    temperature = m.condition("temperature", 300.0)
    initial_state, options = _switching_options(m, options)
    v50 = _v50(params, x, temperature, initial_state, options)
    out = []
    for t, v in zip(np.atleast_1d(x), np.atleast_1d(v50)):
        v_pm = v * np.array([1.0 - _DPDV_STEP, 1.0 + _DPDV_STEP])
        i_pm = current_from_voltage(params, v_pm, initial_state=initial_state, temperature=temperature)
        wer = write_error_rate(params, i_pm, float(t), temperature=temperature, **options).values
        out.append((wer[0] - wer[1]) / (v_pm[1] - v_pm[0]))
    return {"dp_dv": np.array(out)}


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
        ``direction``, ``stt_form``, ``criterion``, ``n_cells``); for voltage-driven
        data also ``initial_state`` (``"p"``, default, or ``"ap"``: the state whose
        resistance turns the voltage into a current, :func:`current_from_voltage`;
        it fixes ``direction``).

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
    if k == "dpdv_vs_pulse_width":
        return _dpdv(params, m, x, options)
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
        The (validated) data fitted; of a joint fit, the first of them.
    method : str [choice]
        The device model used (of a joint fit: that of the first measurement;
        ``model`` is a deprecated alias, readable with a ``DeprecationWarning`` until
        spinaps 0.2.0).
    options : dict
        The options passed to the model (including the Fokker-Planck grid
        ``n_cells`` the fit held fixed, if it did).
    measurements : tuple of Measurement
        All data fitted, in the order their residuals are stacked (one element for a
        single measurement).
    methods : tuple of str [choice]
        The device model of each of ``measurements``.
    error_scale : float [-]
        The factor s^2 the covariance carries: 1 for absolute errors with published
        uncertainties, max(1, chi^2 / dof) with ``errors="scaled"``, SSR / (n - p)
        without uncertainties.
    n_starts : int [-]
        Number of local least-squares fits run (the best is kept).

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
    measurements: tuple = ()
    methods: tuple = ()
    error_scale: float = 1.0
    n_starts: int = 1

    def __post_init__(self):
        if not self.measurements:  # built by hand with one measurement
            object.__setattr__(self, "measurements", (self.measurement,))
        if not self.methods:
            object.__setattr__(self, "methods", (self.method,) * len(self.measurements))

    @property
    def chi2(self) -> float:
        """Sum of the squared residuals, chi^2 [-] (with published uncertainties: the
        chi-square of the fit)."""
        return float(np.sum(np.asarray(self.residuals) ** 2))

    @property
    def chi2_dof(self) -> float:
        """Reduced chi-square chi^2 / dof [-] (NaN without degrees of freedom).

        About 1 when the model describes the data within their stated uncertainties;
        much larger means the model (or the uncertainties) misses something.
        """
        return self.chi2 / self.dof if self.dof > 0 else float("nan")

    def residuals_by_measurement(self) -> dict:
        """The final residuals split by measurement: ``{name: array}`` [-].

        In the order of :attr:`measurements`, each of length ``n_points``; normalised as
        in the fit (divided by the uncertainties when given).
        """
        edges = np.cumsum([0] + [m.n_points for m in self.measurements])
        return {m.name: np.asarray(self.residuals)[a:b] for m, a, b in zip(self.measurements, edges[:-1], edges[1:])}

    def to_dataset(self) -> xr.Dataset:
        """Fitted, initial values and standard errors per field, with provenance.

        Returns
        -------
        xarray.Dataset
            ``value``, ``stderr``, ``initial`` (dim ``field``: the fitted field names)
            and ``covariance`` (dims ``field``, ``field2``), in the SI units of each
            field.  Attributes ``measurement``, ``kind``, ``method`` (of a joint
            fit: comma-separated, one per measurement), ``dof``, ``chi2_dof``,
            ``reference``, ``success``, the parameters and the citation keys
            (``Branch1999``, the least-squares method, and the measurements'
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
        ms = self.measurements
        keys = ("Branch1999",) + tuple(dict.fromkeys(m.citation_key for m in ms if m.citation_key))
        return finalize(
            ds,
            params=self.params,
            cite=keys,
            measurement=", ".join(m.name for m in ms),
            kind=", ".join(m.kind for m in ms),
            method=", ".join(self.methods),
            dof=self.dof,
            chi2_dof=self.chi2_dof,
            reference="; ".join(dict.fromkeys(m.reference for m in ms)),
            success=str(self.success),
        )

    def plot(self, ax=None, which=0):
        """Data versus the fitted model (log axes where the data span decades).

        The measured points of one measurement (with their uncertainties as error
        bars) and the model of its method at the fitted parameters on 60 points
        across the measured range.  The x axis is logarithmic when x spans more than a
        factor 20, the y axis when a measured column is a time or a write error rate.
        Needs matplotlib.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional [object]
            Axes to draw into (default: a new 5 x 3.5 inch figure).
        which : int or str [object]
            The measurement of a joint fit to draw: its index in
            :attr:`measurements` or its name (default 0, the first).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.

        Raises
        ------
        ValueError
            If ``which`` names no fitted measurement.
        """
        import matplotlib.pyplot as plt

        names = [mm.name for mm in self.measurements]
        k = names.index(which) if isinstance(which, str) and which in names else which
        if not isinstance(k, (int, np.integer)) or not -len(names) <= k < len(names):
            raise ValueError(f"which = {which!r} names no fitted measurement; fitted: {', '.join(names)}")
        m, method = self.measurements[k], self.methods[k]
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3.5))
        x = m.x
        span = x.max() / x.min() if np.all(x > 0) else 1.0
        dense = np.geomspace(x.min(), x.max(), 60) if span > 20 else np.linspace(x.min(), x.max(), 60)
        curve = predict(self.params, m, dense, method=method, **self.options)
        for name in m.measured:
            y = m.columns[name]
            err = m.uncertainty.get(name)
            ax.errorbar(x, y, yerr=err, fmt="o", label=f"{name} ({m.name})")
            ax.plot(dense, curve[name], "-", label=f"{name} model ({method})")
        if span > 20:
            ax.set_xscale("log")
        if any(n in _LOG_RESIDUAL for n in m.measured):
            ax.set_yscale("log")
        units = KINDS[m.kind].units
        ax.set_xlabel(f"{KINDS[m.kind].x} [{units[KINDS[m.kind].x]}]")
        ax.set_ylabel(", ".join(f"{n} [{units[n]}]" for n in m.measured))
        ax.legend(fontsize=7)
        return ax


def _residuals_of(m, pred):
    """Residuals [-] of measurement ``m`` against model values ``pred`` (module notes)."""
    out = []
    for name in m.measured:
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


def _value(params, name):
    """Value of a field or of a switching parameter (:data:`~spinaps.device.switching_fit.DERIVED`)."""
    return switching_parameter(params, name) if name in DERIVED else getattr(params, name)


def _apply(params, values):
    """``params`` with fields and switching parameters (Delta, I_c0, tau_D) set from ``values``."""
    fields = {n: v for n, v in values.items() if n not in DERIVED}
    derived = {n: v for n, v in values.items() if n in DERIVED}
    p = replace(params, **fields) if fields else params
    return with_switching_parameters(p, **derived) if derived else p


def _residual_fn(ms, methods, options, params, names, transform):
    n_total = sum(m.n_points for m in ms)

    def residuals(u):
        values = {n: (np.exp(v) if t == "log" else v) for n, v, t in zip(names, u, transform)}
        try:
            p = _apply(params, values)
            return np.concatenate(
                [_residuals_of(m, predict(p, m, method=method, **options)) for m, method in zip(ms, methods)]
            )
        except ValueError:
            return np.full(n_total, 1e6)  # outside the model's domain: a steep wall

    return residuals


def _as_measurements(measurement):
    """The validated measurements of a single one or a sequence."""
    ms = (measurement,) if isinstance(measurement, Measurement) else tuple(measurement)
    if not ms:
        raise ValueError("measurement: an empty list; give a Measurement or a list of them")
    return tuple(validate(m) for m in ms)


def _fixed_grid(params, ms, methods, options):
    """Fokker-Planck cells for the whole fit, or None if the fit solves no Fokker-Planck problem.

    The default grid depends on Delta (:func:`spinaps.device.fokker_planck.default_cells`);
    letting it change with the trial parameters would make the residuals jump, so the
    fit holds it at the default of the largest Delta among the measurements.
    """
    switching = [
        (m, meth) for m, meth in zip(ms, methods) if m.kind.startswith(("psw", "wer")) or m.kind.startswith("dpdv")
    ]
    if "n_cells" in options or not switching or any(meth != "fokker_planck" for _, meth in switching):
        return None
    deltas = [float(np.max(params.delta(m.condition("temperature", 300.0)))) for m, _ in switching]
    return fp.default_cells(max(deltas))


@renamed(model="method")
def calibrate(
    measurement: Measurement,
    params: MTJParams,
    *,
    fit=None,
    method=None,
    bounds=None,
    starts=None,
    local_starts=3,
    errors="absolute",
    **options,
) -> CalibrationResult:
    r"""Fit fields of ``params`` to ``measurement`` by least squares.

    Weighted nonlinear least squares (:func:`scipy.optimize.least_squares`,
    trust-region reflective, finite-difference Jacobian).  Positive fields are fitted
    in log space (so they stay positive and their scale does not matter); fields that
    may be zero (``tmr_bloch_coefficient``, ``field_like_ratio``) linearly.

    Parameters
    ----------
    measurement : Measurement or sequence of Measurement
        From :func:`spinaps.device.measurements.load` or
        :func:`~spinaps.device.measurements.from_columns`; a list is fitted jointly
        (one parameter set, the residuals of all measurements stacked, each weighted by
        its own uncertainties).
    params : MTJParams
        A single device: the starting point and the values of the fields not fitted.
        An optional field that is ``None`` starts from an assumed value
        (``attempt_time`` 1 ns, ``curie_temperature`` 1000 K, raised above the hottest
        measured point, ``tmr_bloch_coefficient`` 1e-5 K^-1.5).
    fit : sequence of str, optional [object]
        Fields to fit (default :data:`DEFAULT_FIT` of the kind; of a joint fit, the
        union of those of its kinds), e.g.
        ``("ku", "polarization")`` for switching data; any field of
        :class:`MTJParams` but ``t_ref``, or the switching parameters ``"delta"``
        (Delta at ``t_ref``), ``"ic0"`` [A] and ``"tau_d"`` [s]
        (:mod:`spinaps.device.switching_fit`: solved into K_u, P and alpha with M_s and
        the volume fixed; a switching parameter and the field it is solved into
        cannot both be fitted).  All are fitted in log space.
    method : str, optional [choice]
        The device model, applied to every measurement of a joint fit (default: the
        first of :data:`METHODS` of each kind): for
        ``ic_vs_pulse_width`` the ``"thermal"`` (Brown escape over the current-lowered
        barrier), ``"precessional"`` or ``"fokker_planck"`` 50 % current; for switching
        probabilities and WER the ``"fokker_planck"`` solver (or ``"llg"``); the other
        kinds ``"analytic"``.  (``model`` is a deprecated alias, accepted with a
        ``DeprecationWarning`` until spinaps 0.2.0.)
    bounds : dict, optional
        {field: (low, high)} [SI units of each field], overriding the defaults
        (``polarization`` <= 1, ``alpha`` <= 0.999, ``curie_temperature`` above the
        hottest point and ``t_ref``; ``None`` for no bound).
    starts : sequence of dict, optional
        Further starting points ``{name: value}`` giving every fitted name (a global
        stage): the cost is evaluated at ``params`` and at each start, and local fits
        run from the ``local_starts`` cheapest; the best local fit is returned.
    local_starts : int [-]
        Number of local fits of a multi-start fit (default 3), >= 1.
    errors : {"absolute", "scaled"}
        With published uncertainties: ``"absolute"`` (default) takes them as exact
        (s^2 = 1); ``"scaled"`` multiplies the covariance by max(1, chi^2 / dof), the
        usual inflation when the model does not describe the data within their
        uncertainties (recorded as :attr:`CalibrationResult.error_scale`).  Without
        uncertainties s^2 = SSR / (n - p) either way.
    **options
        Passed to :func:`spinaps.device.write_error_rate` for the switching kinds;
        ``initial_state`` (``"p"`` or ``"ap"``) for voltage-driven data (see
        :func:`predict`).  Without ``n_cells`` a Fokker-Planck fit holds the grid fixed
        at the default of the starting Delta (so the residuals are smooth in the
        parameters) and, if the fitted Delta needs a finer default grid, fits again
        from the solution on that grid.

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
        also an empty ``fit`` or list of measurements, an invalid measurement
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
    Delta, M_s and dp/dV; logarithmic (ln model - ln data) for times and write error rates;
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
    ms = _as_measurements(measurement)
    if params.n_devices != 1:
        raise ValueError(f"params must be a single device to calibrate, got an ensemble of {params.n_devices}")
    default = tuple(dict.fromkeys(n for m in ms for n in DEFAULT_FIT[m.kind]))
    names = tuple(default if fit is None else fit)
    fields = (set(MTJParams.__dataclass_fields__) - {"t_ref"}) | set(DERIVED)
    unknown = [n for n in names if n not in fields]
    if unknown or not names:
        raise ValueError(f"fit = {names!r}: unknown field(s) {unknown}; allowed: {', '.join(sorted(fields))}")
    clash = [(n, SOLVES_FOR[n]) for n in names if n in DERIVED and SOLVES_FOR[n] in names]
    if clash:
        raise ValueError(f"fit = {names!r}: {clash[0][0]!r} is solved into {clash[0][1]!r}; fit one of the two")
    check_choice("errors", errors, ("absolute", "scaled"))
    check_range("local_starts", local_starts, low=1, low_inclusive=True)
    n_points = sum(m.n_points for m in ms)
    if n_points < len(names):
        label = ms[0].name if len(ms) == 1 else f"{len(ms)} measurements"
        raise ValueError(
            f"measurement {label!r} has {n_points} points, fewer than the {len(names)} fitted parameters {names}"
        )
    methods = tuple(_check_method(method, m.kind) for m in ms)
    for m, meth in zip(ms, methods):  # errors in the options surface here, not as a failed fit
        predict(params, m, method=meth, **options)
    temperature_x = [m for m in ms if KINDS[m.kind].x == "temperature"]
    hottest = max(
        [float(np.max(m.x)) for m in temperature_x] + [m.condition("temperature", 300.0) for m in ms],
    )
    start = np.array([float(_value(params, n)) if _value(params, n) is not None else _START[n] for n in names])
    if "curie_temperature" in names and temperature_x:  # start above the hottest point so the Bloch law is defined
        k = names.index("curie_temperature")
        start[k] = max(start[k], 1.5 * hottest)
    transform = ["lin" if n in _LINEAR else "log" for n in names]
    lo, hi = [], []
    floor = {"curie_temperature": 1.001 * max(hottest, float(np.max(params.t_ref)))}
    for n, t in zip(names, transform):
        b_lo, b_hi = (bounds or {}).get(n, (0.0 if t == "lin" else floor.get(n), _UPPER.get(n)))
        if t == "log":
            lo.append(np.log(b_lo) if b_lo else -np.inf)
            hi.append(np.log(b_hi) if b_hi else np.inf)
        else:
            lo.append(-np.inf if b_lo is None else b_lo)
            hi.append(np.inf if b_hi is None else b_hi)
    to_u = lambda vals: np.array([np.log(v) if t == "log" else v for v, t in zip(vals, transform)])  # noqa: E731
    clip = lambda u: np.clip(u, np.array(lo) + 1e-9, np.array(hi) - 1e-9)  # noqa: E731
    options = dict(options)
    cells = _fixed_grid(params, ms, methods, options)
    run = options if cells is None else {**options, "n_cells": cells}
    candidates = [clip(to_u(start))] + [clip(to_u([s[n] for n in names])) for s in _check_starts(starts, names)]
    if len(candidates) > 1:  # global stage: the cost at every start, local fits from the best few
        fun = _residual_fn(ms, methods, run, params, names, transform)
        costs = [float(np.sum(fun(u) ** 2)) for u in candidates]
        candidates = [candidates[k] for k in np.argsort(costs, kind="stable")[: int(local_starts)]]
    best = None
    for u0 in candidates:
        sol, cells_k = _local_fit(ms, methods, options, params, names, transform, u0, (lo, hi), cells)
        if best is None or sol.cost < best[0].cost:
            best = (sol, cells_k)
    sol, cells = best
    run = options if cells is None else {**options, "n_cells": cells}
    values = np.array([np.exp(v) if t == "log" else v for v, t in zip(sol.x, transform)])
    fitted = _apply(params, dict(zip(names, values)))
    dof = n_points - len(names)
    with np.errstate(divide="ignore", invalid="ignore"):
        cov_u = np.linalg.pinv(sol.jac.T @ sol.jac)
    if all(m.uncertainty for m in ms):
        scale = max(1.0, 2.0 * sol.cost / dof) if errors == "scaled" and dof > 0 else 1.0
    elif dof > 0:
        scale = 2.0 * sol.cost / dof
    else:
        scale = np.nan
        warnings.warn(
            f"calibrate: {n_points} points for {len(names)} parameters and no published "
            "uncertainties: the fit interpolates the data; standard errors are undefined (NaN)",
            stacklevel=3,
        )
    d = np.array([v if t == "log" else 1.0 for v, t in zip(values, transform)])
    cov = scale * cov_u * np.outer(d, d)
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
        measurement=ms[0],
        method=methods[0],
        options=dict(run),
        measurements=ms,
        methods=methods,
        error_scale=float(scale),
        n_starts=len(candidates),
    )


def _check_starts(starts, names):
    """The starting points of a multi-start fit: dicts giving every fitted name."""
    out = list(starts or ())
    for s in out:
        missing = [n for n in names if n not in s]
        if not isinstance(s, dict) or missing:
            raise ValueError(f"starts: every start must be a dict giving {names}; {s!r} misses {missing}")
    return out


def _local_fit(ms, methods, options, params, names, transform, u0, bounds, cells):
    """Trust-region least squares from ``u0``, refitted on a finer grid while the fitted
    Delta asks for one: (solution, Fokker-Planck cells used or None)."""
    for _ in range(3):
        run = options if cells is None else {**options, "n_cells": cells}
        fun = _residual_fn(ms, methods, run, params, names, transform)
        sol = optimize.least_squares(fun, u0, bounds=bounds, x_scale="jac", method="trf")
        values = np.array([np.exp(v) if t == "log" else v for v, t in zip(sol.x, transform)])
        needed = None if cells is None else _fixed_grid(_apply(params, dict(zip(names, values))), ms, methods, options)
        if needed is None or needed <= cells:
            break
        cells, u0 = needed, sol.x
    return sol, cells


# --------------------------------------------------------------------------- temperature prediction
#: Temperature step of the central difference dV_50/dT [K].
_DT_STEP = 5.0
#: Relative step of the parameter derivatives of the error propagation [-].
_PARAM_STEP = 3e-3


def _with_law(params, law):
    """``params`` with the temperature-law fields of ``law`` (an MTJParams or a dict)."""
    if law is None:
        return params
    if isinstance(law, MTJParams):
        law = {n: getattr(law, n) for n in TEMPERATURE_LAW_FIELDS}
    unknown = sorted(set(law) - set(TEMPERATURE_LAW_FIELDS))
    if unknown:
        raise ValueError(f"law: unknown field(s) {unknown}; allowed: {', '.join(TEMPERATURE_LAW_FIELDS)}")
    return replace(params, **law)


def _v50_curve(params, temperatures, t_pulse, initial_state, options):
    """V_50 [V] at each temperature and at T +- the difference step: shape (n, 3)."""
    out = np.empty((temperatures.size, 3))
    for k, t in enumerate(temperatures):
        for j, dt in enumerate((-_DT_STEP, 0.0, _DT_STEP)):
            out[k, j] = float(_v50(params, t_pulse, t + dt, initial_state, options))
    return out


def predict_v50(
    calibration,
    temperatures,
    *,
    t_pulse=1e-9,
    initial_state=None,
    law=None,
    law_stderr=None,
    n_cells=None,
    **options,
) -> xr.Dataset:
    r"""Predicted 50 % switching voltage V_50(T) and its slope dV_50/dT, with standard errors.

    The calibrated device is carried to each temperature by its temperature laws
    (:meth:`MTJParams.at_temperature`): M_s(T) (Bloch), K_u(T) proportional to
    M_s(T)^n (Callen-Callen), TMR(T) (Shang et al. 1998; it changes R_AP and hence the
    current of an AP start); Delta(T) = K_eff(T) V / (k_B T) and the thermal
    initial spread follow.  At each temperature the Fokker-Planck solver gives the
    current I_50 that switches half of the pulses of width ``t_pulse``
    (:func:`spinaps.device.current_for_wer`, end-state criterion) and
    :func:`voltage_for_current` the pulse voltage that drives it:

    .. math::

       V_{50}(T) = I_{50}(T)\, R_0(V_{50}, T), \qquad
       \frac{dV_{50}}{dT} \approx \frac{V_{50}(T + 5\,\mathrm{K}) - V_{50}(T - 5\,\mathrm{K})}{10\,\mathrm{K}}.

    Standard errors by linear propagation (delta method): the gradient g of
    (V_50, dV_50/dT) with respect to the fitted fields (forward differences of
    0.3 %) gives var = g^T C g with the fit covariance C; with ``law_stderr``
    the independent variances of the law's fields are added the same way.  They
    are the errors of the model as stated (fit and law), not of the model itself.

    Parameters
    ----------
    calibration : CalibrationResult or MTJParams
        A calibration (its parameters, fitted fields, covariance and options), or
        bare parameters (then no fit error is propagated).
    temperatures : float or 1-D array [K]
        Temperatures, each in (5, T_MAX - 5] K and 5 K below the Curie temperature.
    t_pulse : float [s]
        Pulse width (default 1 ns), > 0.
    initial_state : {"p", "ap"}, optional
        State the pulses start from (default: the calibration's ``initial_state``
        option, else ``"p"``).
    law : MTJParams or dict, optional
        The temperature law to use: the fields ``curie_temperature``,
        ``anisotropy_exponent`` and ``tmr_bloch_coefficient``
        (:data:`TEMPERATURE_LAW_FIELDS`) taken from an :class:`MTJParams` (e.g. one
        calibrated to M_s(T) data) or given as a dict; default: those of the
        parameters.  ``curie_temperature=None`` means no M_s and K_u law (Delta then
        scales as 1 / T only).
    law_stderr : dict, optional [units of each field]
        One-sigma errors of law fields, ``{field: sigma}``, propagated as independent.
    n_cells : int, optional [-]
        Fokker-Planck cells per hemisphere (default: the grid the calibration held
        fixed, else the default of Delta at the lowest temperature; one grid for all
        temperatures so that the difference quotient is smooth).
    **options
        Passed to :func:`spinaps.device.current_for_wer` (``stt_form``,
        ``criterion``, ``h_applied``); default: the calibration's options.

    Returns
    -------
    xarray.Dataset
        Dimension ``temperature``: ``v50`` [V], ``v50_stderr`` [V], ``dv50_dt`` [V/K],
        ``dv50_dt_stderr`` [V/K].  Attributes ``t_pulse``, ``initial_state``,
        ``n_cells``, the law used (``curie_temperature``, ``anisotropy_exponent``,
        ``tmr_bloch_coefficient``; ``"none"`` where unset) and the citation keys.

    Raises
    ------
    TypeError
        If ``calibration`` is neither a :class:`CalibrationResult` nor an :class:`MTJParams`.
    ValueError
        For a temperature outside the range above, a non-positive ``t_pulse``, an
        unknown ``initial_state`` or law field, or parameters invalid at a
        temperature (:meth:`MTJParams.at_temperature`).

    References
    ----------
    * Shang, C. H., et al., Phys. Rev. B 58, R2917 (1998) (``Shang1998``); Brown, W. F.,
      Phys. Rev. 130, 1677 (1963) (``Brown1963``); Butler, W. H., et al., IEEE Trans.
      Magn. 48, 4684 (2012) (``Butler2012``).

    Examples
    --------
    >>> from spinaps.device import preset
    >>> from spinaps.device.calibration import predict_v50
    >>> ds = predict_v50(preset("Ikeda2010"), [300.0], t_pulse=5e-9, n_cells=160)
    >>> ds.v50.dims, bool(ds.dv50_dt < 0)
    (('temperature',), True)
    """
    if isinstance(calibration, CalibrationResult):
        params, names, cov = calibration.params, calibration.names, calibration.cov
        base = {k: v for k, v in calibration.options.items() if k != "direction"}
    elif isinstance(calibration, MTJParams):
        params, names, cov, base = calibration, (), np.zeros((0, 0)), {}
    else:
        raise TypeError(f"calibration must be a CalibrationResult or MTJParams, got {type(calibration).__name__}")
    check_params(params)
    base.update(options)
    state = base.pop("initial_state", "p") if initial_state is None else initial_state
    base.pop("initial_state", None)
    check_choice("initial_state", state, tuple(INITIAL_STATES))
    check_range("t_pulse", t_pulse, low=0.0, units="s")
    temps = np.atleast_1d(np.asarray(temperatures, dtype=float))
    check_range("temperatures", temps, low=_DT_STEP, high=2000.0 - _DT_STEP, high_inclusive=True, units="K")
    params = _with_law(params, law)
    for n in law_stderr or {}:
        if n not in TEMPERATURE_LAW_FIELDS or getattr(params, n) is None:
            raise ValueError(f"law_stderr: {n!r} is not a set field of the law ({', '.join(TEMPERATURE_LAW_FIELDS)})")
    cells = n_cells if n_cells is not None else base.get("n_cells")
    if cells is None:
        cells = fp.default_cells(float(np.max(params.delta(float(temps.min())))))
    run = {**base, "n_cells": int(cells), "direction": INITIAL_STATES[state]}

    def quantities(p):
        c = _v50_curve(p, temps, t_pulse, state, run)
        return c[:, 1], (c[:, 2] - c[:, 0]) / (2.0 * _DT_STEP)

    v50, slope = quantities(params)
    var_v, var_s = np.zeros_like(v50), np.zeros_like(v50)
    grads = []
    for n in names:  # gradient with respect to the fitted fields
        x = float(_value(params, n))
        h = _PARAM_STEP * (abs(x) if x != 0 else 1.0)
        v1, s1 = quantities(_apply(params, {n: x + h}))
        grads.append(((v1 - v50) / h, (s1 - slope) / h))
    if grads:
        gv = np.array([g[0] for g in grads])
        gs = np.array([g[1] for g in grads])
        var_v += np.einsum("ik,ij,jk->k", gv, cov, gv)
        var_s += np.einsum("ik,ij,jk->k", gs, cov, gs)
    for n, sigma in (law_stderr or {}).items():
        x = float(getattr(params, n))
        h = _PARAM_STEP * abs(x)
        v1, s1 = quantities(replace(params, **{n: x + h}))
        var_v += ((v1 - v50) / h * sigma) ** 2
        var_s += ((s1 - slope) / h * sigma) ** 2
    coord = annotate(xr.Variable("temperature", temps), "K", "temperature")
    ds = xr.Dataset(
        {
            "v50": ("temperature", v50),
            "v50_stderr": ("temperature", np.sqrt(var_v)),
            "dv50_dt": ("temperature", slope),
            "dv50_dt_stderr": ("temperature", np.sqrt(var_s)),
        },
        coords={"temperature": coord},
    )
    for name, units, long in (
        ("v50", "V", "pulse voltage switching half of the pulses"),
        ("v50_stderr", "V", "one-sigma standard error of v50"),
        ("dv50_dt", "V/K", "temperature coefficient of v50"),
        ("dv50_dt_stderr", "V/K", "one-sigma standard error of dv50_dt"),
    ):
        annotate(ds[name], units, long)
    law_attrs = {
        n: ("none" if getattr(params, n) is None else float(getattr(params, n))) for n in TEMPERATURE_LAW_FIELDS
    }
    return finalize(
        ds,
        params=params,
        cite=("Brown1963", "Butler2012", "Shang1998"),
        t_pulse=float(t_pulse),
        initial_state=state,
        n_cells=int(cells),
        **law_attrs,
    )
