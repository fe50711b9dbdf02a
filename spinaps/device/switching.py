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

Internal API
------------
Shared with the other device modules under public names (not part of
:data:`spinaps.device.__all__`; they take an
:class:`~spinaps.device.tools.OperatingPoint` or reduced variables and never convert
the parameters to a temperature again):

* :func:`tau_escape` -- Brown / Neel-Brown escape time [s] at reduced drive j;
* :func:`barrier_top`, :func:`commit_probability`, :func:`equator_passage_time` --
  the barrier top, the splitting probability at the equator and the mean thermal
  first-passage time to the equator;
* :func:`wer_precessional` -- 1 - P of the precessional model in reduced time;
* :func:`analytic_probability` -- the switching probability or WER map of the
  analytic and Monte-Carlo methods (behind :func:`switching_probability` and
  :func:`spinaps.device.write_error_rate`);
* :func:`llg_probability` -- Monte-Carlo switching probability with its Wilson interval;
* :func:`thermal_failure`, :func:`two_state_probability`, :data:`FLIP_QUANTITIES` --
  the thermal two-state flip probabilities (``p_escape``, ``p_flipped``) of
  retention and read disturb.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import xarray as xr
from scipy import integrate, special

from ..constants import EULER_GAMMA
from ..deprecation import renamed
from ..params import check_choice, check_int, check_range, seed_sequence
from ..provenance import annotate, finalize
from .llg import simulate_at_temperature
from .mtj import MTJParams
from .tools import (
    DIRECTIONS,
    OperatingPoint,
    check_current,
    check_params,
    device_time_array,
    increasing_root,
    operating_point,
    outer_axes,
    squeeze_grid,
    write_grid,
)

__all__ = [
    "reduced_current",
    "thermal_escape_time",
    "precessional_switching_time",
    "first_passage_time",
    "mean_first_passage_reduced",
    "mean_switching_time",
    "switching_probability",
    "CROSSOVER_BARRIER",
    "METHODS",
]

#: Reduced barrier Delta (1 - i)^2 below which the thermal model leaves its range of
#: validity (Brown's high-barrier asymptote is 27 % off at a barrier of 5, Coffey 1994).
CROSSOVER_BARRIER = 4.0

#: The methods of :func:`switching_probability` and :func:`mean_switching_time`.
METHODS = {
    "switching_probability": ("auto", "thermal", "precessional", "llg"),
    "mean_switching_time": ("exact", "sun", "thermal"),
}

_THERMAL_CITES = ("Brown1963", "Coffey1994", "Butler2012")
_PRECESSIONAL_CITES = ("Sun2000", "Koch2004", "Butler2012")
_LLG_CITES = ("Brown1963", "GarciaPalacios1998", "Slonczewski1996", "Sun2000")


def _scalar_field(h):
    """The reduced field h as a finite float (it must be a scalar)."""
    if np.ndim(h):
        raise ValueError(f"h must be a scalar reduced field H_z / H_K,eff, got shape {np.shape(h)}")
    check_range("h", h)
    return float(h)


def reduced_current(params: MTJParams, current):
    """Reduced current i = I / I_c0 at the reference temperature (broadcasts).

    I_c0 (:attr:`MTJParams.ic0`) includes the field-like torque's factor
    1 / (1 + alpha r), so i is the drive of the collinear macrospin with the
    field-like torque (r = ``field_like_ratio``) included: i = (1 + alpha r) I / I_c0(r = 0).

    Parameters
    ----------
    params : MTJParams
    current : float or array [A]
        Current through the junction, in [-1, 1] A.

    Returns
    -------
    numpy.ndarray [1]
        I / I_c0 with I_c0 of ``params`` as given (no temperature conversion).
    """
    check_params(params)
    return check_current("current", current) / params.ic0


def _current_axes(op, name, current, long_name):
    """Output axes of a device ensemble and a scalar or 1-D current [A] (one current per
    device when its length is the ensemble size), the operating point shaped to them."""
    axes = outer_axes(op.n_devices, (name, check_current(name, current), "A", long_name, True))
    dev = op.shaped(axes.device_shape) if axes.device_shape else op
    return axes, dev, axes.values[0]


# --------------------------------------------------------------------------- thermal activation
def _check_subcritical(caller, i, instead):
    """Raise ``ValueError`` unless every reduced write current ``i`` = I / I_c0 is below 1,
    naming the function the user called (``caller``, with ``method='thermal'``),
    ``i_write`` and the methods to use ``instead``."""
    if np.any(i >= 1.0):
        raise ValueError(
            f"{caller}(method='thermal'): i_write reaches {np.max(i):.4g} x I_c0, but thermal activation "
            f"needs a sub-critical current I < I_c0; use {instead}"
        )


def tau_escape(j, delta, tau_d, attempt_time=None):
    """Escape time from the +z well at reduced drive j = i - h [s] (internal API).

    Parameters
    ----------
    j : float or array [1]
        Reduced drive I / I_c0 - H_z / H_K,eff, < 1.
    delta : float or array [1]
        Thermal stability factor Delta.
    tau_d : float or array [s]
        Damping time tau_D.
    attempt_time : float or array or None [s]
        Calibrated attempt time tau_0 (``None``: Brown's prefactor).

    Returns
    -------
    numpy.ndarray [s]
        See :func:`thermal_escape_time`.

    Warns
    -----
    UserWarning
        Where the reduced barrier Delta (1 - j)^2 is below ``CROSSOVER_BARRIER``.
    """
    if np.any(j >= 1.0):
        raise ValueError(
            f"thermal_escape_time needs a sub-critical drive I/I_c0 - h < 1, got up to {np.max(j):.4g}; "
            "use the precessional model or mean_switching_time above I_c0"
        )
    barrier = delta * (1.0 - j) ** 2
    if np.any(barrier < CROSSOVER_BARRIER):
        warnings.warn(
            f"reduced barrier Delta (1 - i)^2 = {np.min(barrier):.3g} < {CROSSOVER_BARRIER}: "
            "outside the high-barrier range of the thermal-activation model",
            stacklevel=2,
        )
    if attempt_time is not None:
        return attempt_time * np.exp(barrier)
    return tau_d * np.sqrt(np.pi / delta) * np.exp(barrier) / ((1.0 - j) ** 2 * (1.0 + j))


def barrier_top(i, h=0.0, c=0.0):
    """Barrier top x_b of the +z well and the curvature -U''(x_b) / Delta there (internal API).

    The drift dx/ds = (1 - x^2)(x + h - i g(x)), g(x) = 1 / (1 + c x), vanishes at the
    barrier top, the root of c x^2 + (1 + c h) x + h - i = 0 near x = i - h (x_b = i - h
    for the constant efficiency c = 0).

    Parameters
    ----------
    i, h, c : float or array [1]
        Reduced current, reduced field along +z, Slonczewski angular coefficient.

    Returns
    -------
    x_b, curvature : numpy.ndarray [1]
        The barrier top and 2 (1 + i c / (1 + c x_b)^2) = -U''(x_b) / Delta.
    """
    i, h, c = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (i, h, c)))
    b = 1.0 + c * h
    x_b = 2.0 * (i - h) / (b + np.sqrt(np.maximum(b * b + 4.0 * c * (i - h), 0.0)))
    return x_b, 2.0 * (1.0 + i * c / (1.0 + c * x_b) ** 2)


def commit_probability(delta, i, h=0.0, c=0.0):
    r"""Probability that a trajectory at the equator m_z = 0 goes on into the other well (internal API).

    The splitting probability of the one-dimensional diffusion in m_z (Hanggi, Talkner
    and Borkovec 1990, Sec. IV) evaluated at the equator in the barrier-top Gaussian
    (high-barrier) approximation,

    .. math::

       \pi_0 = \Phi\left(x_b \sqrt{\Delta\, \kappa_b}\right), \qquad
       \kappa_b = -U''(x_b) / \Delta,

    with Phi the standard normal distribution function and x_b, kappa_b from
    :func:`barrier_top`.  It is 1/2 at zero drive (the barrier top is the equator) and
    tends to 1 once the barrier top lies several widths 1 / sqrt(Delta) above the
    equator (x_b sqrt(Delta) >> 1).  For the constant efficiency it is
    (1 + erf((i - h) sqrt(Delta))) / 2.

    Parameters
    ----------
    delta : float or array [1]
        Thermal stability factor.
    i, h, c : float or array [1]
        Reduced current, reduced field along +z, Slonczewski angular coefficient.

    Returns
    -------
    numpy.ndarray [1]
    """
    x_b, curvature = barrier_top(i, h, c)
    return special.ndtr(x_b * np.sqrt(np.asarray(delta, dtype=float) * curvature))


def equator_passage_time(j, delta, tau_d, attempt_time=None):
    """Mean first-passage time to the equator m_z = 0 by thermal activation [s] (internal API).

    tau_escape(j) x pi_0(j): every arrival at the equator goes on into the other well
    with the probability pi_0 (:func:`commit_probability`), so the equator is reached
    1 / pi_0 times as often as the well is left.  Half of the escape time at j = 0,
    the full escape time for j sqrt(Delta) >> 1 (constant efficiency, reduced drive
    j = i - h < 1).
    """
    return tau_escape(j, delta, tau_d, attempt_time) * commit_probability(delta, j)


def thermal_escape_time(
    params: MTJParams, current=0.0, *, temperature=300.0, h=0.0, direction="ap_to_p"
) -> xr.DataArray:
    r"""Mean time to escape the +z well by thermal activation [s].

    Neel-Brown thermal activation over the current- and field-lowered barrier, with
    Brown's high-barrier prefactor (or a calibrated attempt time).

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    current : float or 1-D array [A]
        Sub-critical current through the junction (I / I_c0 - h < 1), in [-1, 1] A,
        positive = destabilising +z: a scalar, one value per device (length
        ``params.n_devices``), or a sweep (dim ``current``).
    temperature : float [K]
        Device temperature, in (0, 2000]; the parameters' temperature law applies.
    h : float [-]
        Reduced applied field H_z / H_K,eff along +z (stabilising for h > 0), a scalar;
        the reference layer's offset field ``params.h_offset`` is added to it.
    direction : {"ap_to_p", "p_to_ap"}
        Which state the +z well is: ``"ap_to_p"`` the AP state (the reference layer
        points along -z, so the offset field enters as -h_offset / H_K,eff),
        ``"p_to_ap"`` the P state (+h_offset / H_K,eff).  Irrelevant without an
        offset field.

    Returns
    -------
    xarray.DataArray
        ``tau`` [s] with dims among (device, current); 0-d for scalar inputs.
        Attributes ``temperature``, ``h`` (the applied field as given),
        ``direction`` and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If the drive is not sub-critical (I / I_c0 - h >= 1: use the precessional
        model or :func:`mean_switching_time` there), ``h`` is not a finite scalar,
        ``current`` is outside [-1, 1] A or more than 1-D, or the temperature is
        outside (0, 2000] K.

    Warns
    -----
    UserWarning
        Where the reduced barrier Delta (1 - j)^2 is below ``CROSSOVER_BARRIER``.

    Notes
    -----
    With the effective potential U(x) = Delta (2 (i - h) x - x^2) the barrier from
    x = +1 is Delta (1 - j)^2, j = i - h, and Brown's high-barrier escape time is

    .. math::

       \tau = \tau_D \sqrt{\frac{\pi}{\Delta}}
       \frac{e^{\Delta (1 - j)^2}}{(1 - j)^2 (1 + j)},

    which at j = 0 is Brown's tau_D sqrt(pi/Delta) e^Delta.  If ``params.attempt_time``
    is set, the calibrated Neel-Brown law tau = tau_0 exp[Delta (1 - j)^2] is used
    instead.  Valid for Delta (1 - j)^2 >> 1 (a warning is issued below
    ``CROSSOVER_BARRIER``); the high-barrier asymptote underestimates the exact
    escape time by about 27 %, 12 % and 8 % at Delta = 5, 10, 15 (Coffey et al. 1994).
    The exponent 2 of (1 - j) is exact for the collinear macrospin.

    References
    ----------
    * Brown, W. F., "Thermal Fluctuations of a Single-Domain Particle", Phys. Rev.
      130, 1677-1686 (1963); citation key ``Brown1963``.
    * Coffey, W. T., Crothers, D. S. F., Kalmykov, Yu. P., Massawe, E. S. and Waldron,
      J. T., "Exact analytic formula for the correlation time of a single-domain
      ferromagnetic particle", Phys. Rev. E 49, 1869-1882 (1994); citation key
      ``Coffey1994``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012``.

    Examples
    --------
    >>> from spinaps.device import preset, thermal_escape_time
    >>> p = preset("Ikeda2010")  # Delta = 40, I_c0 = 49 uA
    >>> tau = thermal_escape_time(p, [0.0, 20e-6])
    >>> tau.dims, [f"{x:.2g}" for x in tau.values]
    (('current',), ['8.6e+07', '0.0009'])
    """
    op = operating_point(params, temperature)
    h = _scalar_field(h)
    check_choice("direction", direction, DIRECTIONS)
    axes, dev, cur = _current_axes(op, "current", current, "current through the junction")
    h_total = h + dev.write_field(direction)
    tau = tau_escape(cur / dev.ic0 - h_total, dev.delta, dev.tau_d, dev.attempt_time)
    da = axes.dataarray(tau, "tau", "s", "mean thermal escape time from the +z well")
    return finalize(da, params=params, cite=_THERMAL_CITES, temperature=op.temperature, h=h, direction=direction)


# --------------------------------------------------------------------------- precessional switching
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


@renamed(current="i_write")
def precessional_switching_time(params: MTJParams, i_write, theta0, *, direction="ap_to_p") -> xr.DataArray:
    r"""Zero-temperature time for the magnetisation to reach the equator [s].

    Exact solution of the collinear macrospin LLGS from the initial angle ``theta0``
    at supercritical current (I > I_c0); Sun's approximation
    tau_D ln(pi / (2 theta_0)) / (i - 1) overestimates it by 4-20 %.  I_c0 and tau_D
    are those of ``params`` as given (no temperature conversion).

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    i_write : float or 1-D array [A]
        Write current, > I_c0 and in [-1, 1] A: a scalar, one value per device (length
        ``params.n_devices``) or a sweep (dim ``i_write``).  (``current`` is a
        deprecated alias, accepted with a ``DeprecationWarning`` until spinaps 0.2.0.)
    theta0 : float or 1-D array [rad]
        Initial polar angle in (0, pi/2] (dim ``theta0`` if 1-D).
    direction : {"ap_to_p", "p_to_ap"}
        The write, which sets the sign of the reference layer's offset field
        ``params.h_offset`` along +z (-1 for AP->P, +1 for P->AP; see
        :meth:`MTJParams.reduced_field`).  Irrelevant without an offset field.

    Returns
    -------
    xarray.DataArray
        ``t_switch`` [s] with dims among (device, i_write, theta0), with the
        citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If I <= I_c0 (1 + h) anywhere, ``theta0`` is outside (0, pi/2], or an
        argument is more than 1-D or ``i_write`` outside [-1, 1] A.

    Notes
    -----
    With u = cos theta the macrospin obeys d theta / ds = sin theta (j - cos theta),
    s = t / tau_D, j = I / I_c0 - h with h the reduced offset field along +z, whose
    time from u0 = cos theta0 to the equator is

    .. math::

       \frac{t}{\tau_D} = \frac{1}{2 (j - 1)} \ln \frac{1}{1 - u_0}
       - \frac{1}{2 (j + 1)} \ln \frac{1}{1 + u_0}
       + \frac{1}{1 - j^2} \ln \frac{j}{j - u_0}.

    I_c0 includes the field-like torque (:attr:`MTJParams.ic0`).

    References
    ----------
    * Sun, J. Z., "Spin-current interaction with a monodomain magnetic body: A model
      study", Phys. Rev. B 62, 570-578 (2000); citation key ``Sun2000``.
    * Koch, R. H., Katine, J. A. and Sun, J. Z., "Time-Resolved Reversal of
      Spin-Transfer Switching in a Nanomagnet", Phys. Rev. Lett. 92, 088302 (2004);
      citation key ``Koch2004``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012``.

    Examples
    --------
    >>> from spinaps.device import precessional_switching_time, preset
    >>> t = precessional_switching_time(preset("Ikeda2010"), 100e-6, [0.01, 0.1])
    >>> t.dims, [f"{x:.3g}" for x in t.values]
    (('theta0',), ['6.08e-09', '3.19e-09'])
    """
    check_params(params)
    axes = outer_axes(
        params.n_devices,
        ("i_write", check_current("i_write", i_write), "A", "write current", True),
        ("theta0", theta0, "rad", "initial polar angle", False),
    )
    cur, th = axes.values

    def shaped(a):
        a = np.asarray(a, dtype=float)
        return a.reshape(axes.device_shape) if axes.device_shape and a.ndim else a

    check_choice("direction", direction, DIRECTIONS)
    i = cur / shaped(params.ic0) - shaped(params.reduced_field(direction))
    if np.any(i <= 1.0):
        raise ValueError(
            f"i_write: precessional switching needs I > I_c0 (1 + h), got I/I_c0 - h down to {np.min(i):.4g}"
        )
    check_range("theta0", th, low=0.0, high=np.pi / 2, high_inclusive=True, units="rad")
    t = shaped(params.tau_d) * _sun_exact_time(th, i)
    da = axes.dataarray(t, "t_switch", "s", "zero-temperature time to reach the equator m_z = 0")
    return finalize(da, params=params, cite=_PRECESSIONAL_CITES)


def _critical_angle(s, i):
    """theta_c [rad] with _sun_exact_time(theta_c, i) = s, elementwise (i > 1).

    The root in ln theta on [ln 1e-150, ln(pi/2)] by Chandrupatla's method
    (:func:`~spinaps.device.tools.increasing_root`) to 1e-13 in ln theta; outside
    the bracket the nearer end.
    """
    s, i = np.broadcast_arrays(np.asarray(s, float), np.asarray(i, float))
    ln_theta = increasing_root(
        lambda lt, s, i: s - _sun_exact_time(np.exp(lt), i), np.log(1e-150), np.log(np.pi / 2), args=(s, i)
    )
    return np.exp(ln_theta)


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


def wer_precessional(delta, i, s, h=0.0):
    """Deterministic reversal from a thermal initial angle: 1 - P (internal API).

    Parameters
    ----------
    delta : float or array [1]
        Thermal stability factor Delta.
    i : float or array [1]
        Reduced write current I / I_c0 (1 - P = 1 for i - h <= 1).
    s : float or array [1]
        Reduced pulse width t / tau_D (1 - P = 1 for s <= 0).
    h : float or array [1]
        Reduced field along +z (applied and offset), in (-1, 1).

    Returns
    -------
    numpy.ndarray [1]
        The write error rate of the precessional model, broadcast.

    Notes
    -----
    Thermal noise also acts during the reversal, while the magnetisation is still near
    the pole where the spin torque is weak.  For the linearised small-angle dynamics
    (growth rate (i - 1) / tau_D, diffusion 1 / (2 Delta tau_D) per component) the
    variance of the angle grows as if the initial Boltzmann distribution had

        1 / Delta_eff = (1 / Delta) [1 + (1 - exp(-2 (i - 1) s)) / (i - 1)],  s = t / tau_D,

    which tends to Delta (i - 1) / i for long pulses (the factor in Butler et al.'s
    2012 WER expression) and stays finite as i -> 1; the nonlinear part of the
    trajectory is then deterministic.

    A field h along +z enters exactly as the drive j = i - h of
    d theta / ds = sin theta (j - cos theta) and as the stiffness Delta (1 + h) of the
    initial Boltzmann distribution near the pole,

        1 / Delta_eff = 1 / (Delta (1 + h)) + (1 - exp(-2 (j - 1) s)) / (Delta (j - 1)).
    """
    j = i - h
    supercritical = j > 1.0
    j_safe = np.where(supercritical, j, 2.0)
    theta_c = _critical_angle(np.maximum(s, 1e-300), j_safe)
    inv = 1.0 / (1.0 + h) - np.expm1(-2.0 * (j_safe - 1.0) * s) / (j_safe - 1.0)
    delta_eff = delta / inv
    return np.where((s > 0) & supercritical, _well_tail(theta_c, delta_eff), 1.0)


# --------------------------------------------------------------------------- first passage
def first_passage_time(
    params: MTJParams,
    current=0.0,
    *,
    temperature=300.0,
    h=0.0,
    mz_target=0.0,
    mz_start=None,
    n_grid=4001,
    direction="ap_to_p",
) -> xr.DataArray:
    r"""Exact mean first-passage time of m_z to ``mz_target`` [s] (collinear macrospin).

    Solves the axially symmetric Fokker-Planck (Brown) problem by quadrature:

    .. math::

       T(x_0 \to x_t) = 2 \tau_N \int_{x_t}^{x_0} \frac{e^{U(x)}}{1 - x^2}
       \int_x^1 e^{-U(y)}\, dy\, dx,

    U(x) = Delta (2 (i - h) x - x^2), tau_N = Delta tau_D, reflecting at x = 1.  With
    ``mz_start=None`` the start is averaged over the Boltzmann distribution of the +z
    well (m_z > max(x_t, 0)); otherwise it starts at ``mz_start``.  The quadrature runs in
    theta = arccos x on ``n_grid`` points (relative error below 1e-5 for Delta <= 100).
    Valid at any current, sub- or supercritical.

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    current : float or 1-D array [A]
        Current through the junction, in [-1, 1] A, positive = destabilising +z: a
        scalar, one value per device (length ``params.n_devices``) or a sweep (dim
        ``current``).
    temperature : float [K]
        Device temperature, in (0, 2000]; the parameters' temperature law applies.
    h : float [-]
        Reduced applied field H_z / H_K,eff along +z, a scalar; the reference layer's
        offset field ``params.h_offset`` is added to it (see ``direction``).
    mz_target : float in (-1, 1) [-]
        Absorbing level of m_z (default 0, the equator).
    mz_start : float in (mz_target, 1], optional [-]
        Starting m_z; ``None`` (default) averages over the Boltzmann distribution of
        the +z well.
    n_grid : int [-]
        Quadrature points, in [101, 1e6] (default 4001).
    direction : {"ap_to_p", "p_to_ap"}
        Which state the +z well is (AP or P), which sets the sign of the offset field
        along +z, as in :func:`thermal_escape_time`.  Irrelevant without an offset.

    Returns
    -------
    xarray.DataArray
        ``t_first_passage`` [s] with dims among (device, current).  Attributes
        ``temperature``, ``h`` (the applied field as given), ``direction``,
        ``mz_target``, ``mz_start`` (``"thermal"`` for the Boltzmann average) and the
        citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``mz_target`` is not in (-1, 1), ``mz_start`` not in (mz_target, 1],
        ``n_grid`` not an integer in [101, 1e6],
        ``h`` not a finite scalar, ``current`` outside [-1, 1] A or more than 1-D, the
        temperature outside (0, 2000] K, or Delta > 300 (exponential overflow).

    See Also
    --------
    mean_switching_time : the same first passage to the equator for a write current.

    References
    ----------
    * Brown, W. F., "Thermal Fluctuations of a Single-Domain Particle", Phys. Rev.
      130, 1677-1686 (1963); citation key ``Brown1963``.
    * Coffey, W. T., et al., "Exact analytic formula for the correlation time of a
      single-domain ferromagnetic particle", Phys. Rev. E 49, 1869-1882 (1994);
      citation key ``Coffey1994``.

    Examples
    --------
    At zero current the mean time to reach the equator is about half of Brown's escape
    time (:func:`thermal_escape_time`: 8.6e7 s); above I_c0 it is nanoseconds:

    >>> from spinaps.device import first_passage_time, preset
    >>> p = preset("Ikeda2010")
    >>> f"{float(first_passage_time(p)):.3g}", f"{float(first_passage_time(p, 100e-6)):.3g}"
    ('4.42e+07', '2.58e-09')
    """
    check_range("mz_target", mz_target, low=-1.0, high=1.0)
    check_int("n_grid", n_grid, 101, 10**6)
    if mz_start is not None:
        check_range("mz_start", mz_start, low=mz_target, high=1.0, high_inclusive=True)
    op = operating_point(params, temperature)
    h = _scalar_field(h)
    check_choice("direction", direction, DIRECTIONS)
    axes, dev, cur = _current_axes(op, "current", current, "current through the junction")
    t = dev.tau_d * mean_first_passage_reduced(
        dev.delta, cur / dev.ic0 - h - dev.write_field(direction), mz_target=mz_target, mz_start=mz_start, n_grid=n_grid
    )
    da = axes.dataarray(t, "t_first_passage", "s", f"mean first-passage time of m_z to {float(mz_target):g}")
    return finalize(
        da,
        params=params,
        cite=("Brown1963", "Coffey1994"),
        temperature=op.temperature,
        h=h,
        direction=direction,
        mz_target=float(mz_target),
        mz_start="thermal" if mz_start is None else float(mz_start),
    )


def mean_first_passage_reduced(delta, j, *, mz_target=0.0, mz_start=None, n_grid=4001):
    """Mean first-passage time T / tau_D of m_z from the +z well to ``mz_target``.

    Reduced form of :func:`first_passage_time`.

    Parameters
    ----------
    delta : float or array [1]
        Thermal stability factor Delta (<= 300).
    j : float or array [1]
        Reduced drive i - h (broadcast with ``delta``).
    mz_target : float [1]
    mz_start : float or None [1]
        ``None`` averages the start over the Boltzmann distribution of the +z well.
    n_grid : int

    Returns
    -------
    numpy.ndarray [1]
        T / tau_D, shaped as the broadcast of ``delta`` and ``j``.
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


@renamed(current="i_write", model="method")
def mean_switching_time(params: MTJParams, i_write, *, temperature=300.0, method="exact") -> xr.DataArray:
    r"""Mean time for a constant write current to switch the device (reach m_z = 0) [s].

    Parameters
    ----------
    params : MTJParams
        A device or an ensemble (dim ``device``).
    i_write : float or 1-D array [A]
        Write current, in [-1, 1] A: a scalar, one value per device (length
        ``params.n_devices``) or a sweep (dim ``i_write``).  (``current`` is a
        deprecated alias, accepted with a ``DeprecationWarning`` until spinaps 0.2.0.)
    temperature : float [K]
        Device temperature, in (0, 2000]; the parameters' temperature law applies.
    method : {"exact", "sun", "thermal"}
        * ``"exact"``: Fokker-Planck mean first-passage time to the equator from the
          thermal initial distribution (:func:`first_passage_time`), any current;
        * ``"sun"``: Sun's thermally averaged precessional time
          tau_D [ln(pi^2 Delta / 4) + gamma_E] / (2 (i - 1)), for i > 1 (Sun 2000);
        * ``"thermal"``: Brown's escape time times the probability pi_0 that a
          trajectory at the equator goes on into the other well (the splitting
          probability, see Notes), for i < 1: half of the escape time at i = 0, where
          the barrier top is the equator, and the full escape time once the barrier
          top m_z = i lies well above the equator (i sqrt(Delta) >> 1).

        (``model`` is a deprecated alias of ``method``, accepted with a
        ``DeprecationWarning`` until spinaps 0.2.0.)

    Returns
    -------
    xarray.DataArray
        Mean switching time ``t_switch`` [s] with dims among (device, i_write).
        Attributes ``method``, ``temperature`` and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        For an unknown ``method``; ``method="sun"`` with I <= I_c0;
        ``method="thermal"`` with I >= I_c0 (the message names the methods that
        apply there); ``method="exact"`` with Delta > 300;
        ``i_write`` outside [-1, 1] A or more than 1-D; a temperature outside
        (0, 2000] K.

    Warns
    -----
    UserWarning
        ``method="thermal"``: where the reduced barrier Delta (1 - i)^2 is below
        ``CROSSOVER_BARRIER``.

    Notes
    -----
    Sun's thermally averaged precessional time (``"sun"``), with Euler's constant
    gamma_E:

    .. math::

       \langle t \rangle = \tau_D \frac{\ln(\pi^2 \Delta / 4) + \gamma_E}{2 (i - 1)}

    Thermal activation (``"thermal"``): the barrier top of the +z well is at m_z = i;
    the equator is reached at the rate 1 / (pi_0 tau), where tau is Brown's escape time
    (:func:`thermal_escape_time`) and pi_0 the splitting probability at the equator in
    the barrier-top Gaussian approximation (Hanggi, Talkner and Borkovec 1990),

    .. math::

       \langle t \rangle = \pi_0 \tau, \qquad
       \pi_0 = \tfrac{1}{2} \left[ 1 + \operatorname{erf}(i \sqrt{\Delta}) \right].

    Against the exact quadrature (``"exact"``) it is within 1.5 / (Delta (1 - i)^2)
    relative (the order of the high-barrier error of Brown's prefactor; 4 % at
    Delta = 40 and i = 0.2, 20 % at i = 0.6).

    References
    ----------
    * Brown, W. F., Phys. Rev. 130, 1677-1686 (1963); citation key ``Brown1963``.
    * Coffey, W. T., et al., Phys. Rev. E 49, 1869-1882 (1994); citation key
      ``Coffey1994`` (``"exact"``, ``"thermal"``).
    * Sun, J. Z., "Spin-current interaction with a monodomain magnetic body: A model
      study", Phys. Rev. B 62, 570-578 (2000); citation key ``Sun2000``
      (``"sun"``, with ``Koch2004`` and ``Butler2012``).
    * Koch, R. H., Katine, J. A. and Sun, J. Z., Phys. Rev. Lett. 92, 088302 (2004);
      citation key ``Koch2004``.
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012`` (``"sun"``, ``"thermal"``).
    * Hanggi, P., Talkner, P. and Borkovec, M., "Reaction-rate theory: fifty years
      after Kramers", Rev. Mod. Phys. 62, 251-341 (1990); citation key ``Hanggi1990``
      (``"thermal"``: the splitting probability at the equator).

    Examples
    --------
    >>> from spinaps.device import mean_switching_time, preset
    >>> p = preset("Ikeda2010")  # I_c0 = 49 uA
    >>> [f"{float(mean_switching_time(p, 100e-6, method=m)):.3g}" for m in ("exact", "sun")]
    ['2.58e-09', '3.24e-09']
    """
    check_params(params)
    allowed = METHODS["mean_switching_time"]
    if method not in allowed:
        raise ValueError(f"method = {method!r}; allowed: {', '.join(map(repr, allowed))}")
    op = operating_point(params, temperature)
    axes, dev, cur = _current_axes(op, "i_write", i_write, "write current")
    i = cur / dev.ic0
    if method == "exact":
        t = dev.tau_d * mean_first_passage_reduced(dev.delta, i)
        cites = ("Brown1963", "Coffey1994")
    elif method == "sun":
        if np.any(i <= 1.0):
            raise ValueError(f"i_write: method='sun' needs I > I_c0, got I/I_c0 down to {np.min(i):.4g}")
        t = dev.tau_d * (np.log(np.pi**2 * dev.delta / 4.0) + EULER_GAMMA) / (2.0 * (i - 1.0))
        cites = _PRECESSIONAL_CITES
    else:
        _check_subcritical("mean_switching_time", i, "method='exact' (any current) or method='sun' (I > I_c0)")
        t = equator_passage_time(i, dev.delta, dev.tau_d, dev.attempt_time)
        cites = _THERMAL_CITES + ("Hanggi1990",)
    da = axes.dataarray(t, "t_switch", "s", "mean switching time (first passage of m_z through 0)")
    return finalize(da, params=params, cite=cites, method=method, temperature=op.temperature)


# --------------------------------------------------------------------------- switching probability
@renamed(current="i_write", model="method")
def switching_probability(
    params: MTJParams,
    i_write,
    t_pulse,
    *,
    temperature=300.0,
    method="auto",
    n_samples=1000,
    dt=1e-12,
    seed=None,
    confidence=0.95,
    complement=False,
) -> xr.DataArray:
    r"""Probability that a rectangular current pulse switches the device.

    The analytic asymptotic models (thermal activation below I_c0, precessional
    reversal from a thermal initial angle above it) or a stochastic-LLG Monte Carlo;
    :func:`spinaps.device.write_error_rate` adds the Fokker-Planck solver, accurate in
    the crossover between them.

    Parameters
    ----------
    params : MTJParams
        A scalar device or an ensemble (dimension ``device`` in the output).
    i_write : float or 1-D array [A]
        Write current of the pulse, in [-1, 1] A (dimension ``i_write`` if 1-D).
        (``current`` is a deprecated alias, accepted with a ``DeprecationWarning``
        until spinaps 0.2.0.)
    t_pulse : float or 1-D array [s]
        Pulse width, >= 0 (dimension ``t_pulse`` if 1-D).
    temperature : float [K]
        Device temperature, in (0, 2000]; the parameters' temperature law applies.
    method : {"auto", "thermal", "precessional", "llg"}
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
        * ``"auto"``: thermal for i < 1, precessional for i >= 1, and inside the
          crossover band Delta (1 - i)^2 < ``CROSSOVER_BARRIER`` (abs(1 - i) <
          2 / sqrt(Delta)), where neither holds and both degenerate at i = 1, the
          Fokker-Planck solution (end-state criterion, as
          :func:`spinaps.device.write_error_rate`), with a warning naming the number
          of such points (attribute ``crossover_points``).  Below the band Brown's
          escape time holds (barrier >= 4 kT); above it the precessional model.

        (``model`` is a deprecated alias of ``method``, accepted with a
        ``DeprecationWarning`` until spinaps 0.2.0.)
    n_samples : int [-]
        Monte-Carlo devices per point (``method="llg"``), in [1, 1e8].
    dt : float [s]
        LLGS time step (``method="llg"``).
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the Monte Carlo (``method="llg"``); recorded in the output.
    confidence : float [-]
        Confidence level of the Monte-Carlo interval, in (0, 1).
    complement : bool [flag]
        Return the write error rate 1 - P instead, computed without cancellation
        (accurate to rounding far into the tail, e.g. 1e-15).

    Returns
    -------
    xarray.DataArray
        ``p_switch`` (or ``wer`` with ``complement=True``) [1] with dims among
        (device, i_write, t_pulse); with ``method="llg"`` the coordinates ``ci_low``
        and ``ci_high`` [1].  Attributes ``method``, ``temperature``, the seed
        (``method="llg"``) and the citation keys.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        For an unknown ``method``; ``method="thermal"`` with I >= I_c0; ``i_write``
        outside [-1, 1] A; an argument more than 1-D; a negative ``t_pulse``; a
        temperature outside (0, 2000] K; for ``method="llg"`` ``n_samples`` not an
        integer in [1, 1e8], ``confidence`` not in (0, 1), or no positive ``t_pulse``;
        for a non-zero ``params.h_offset`` (the offset field's sign depends on the
        write direction, which this function does not take: use
        :func:`spinaps.device.write_error_rate` with ``direction``).

    Warns
    -----
    UserWarning
        ``method="auto"``: for points in the thermal/precessional crossover, where
        neither asymptotic model is accurate and the Fokker-Planck solver is used;
        ``method="thermal"``: where the reduced barrier is below
        ``CROSSOVER_BARRIER``.

    Notes
    -----
    Precessional model: thermal noise also acts during the reversal, while the
    magnetisation is still near the pole; for the linearised small-angle dynamics it
    widens the initial Boltzmann distribution to

    .. math::

       \frac{1}{\Delta_\mathrm{eff}} = \frac{1}{\Delta} \left[ 1 +
       \frac{1 - e^{-2 (i - 1) s}}{i - 1} \right], \qquad s = t / \tau_D,

    which tends to Delta (i - 1) / i for long pulses and stays finite as i -> 1.  The
    model is accurate for i of about 2 and above (within 0.03 of the LLGS Monte Carlo at
    i = 2 and 0.01 at i = 3); its WER tail decays as exp(-2 (i - 1) t / tau_D).

    References
    ----------
    * Brown, W. F., Phys. Rev. 130, 1677-1686 (1963); citation key ``Brown1963``.
    * Coffey, W. T., et al., Phys. Rev. E 49, 1869-1882 (1994); citation key
      ``Coffey1994`` (thermal).
    * Sun, J. Z., Phys. Rev. B 62, 570-578 (2000); citation key ``Sun2000``
      (precessional, LLG).
    * Koch, R. H., Katine, J. A. and Sun, J. Z., Phys. Rev. Lett. 92, 088302 (2004);
      citation key ``Koch2004`` (precessional).
    * Butler, W. H., et al., IEEE Trans. Magn. 48, 4684-4700 (2012); citation key
      ``Butler2012`` (thermal, precessional).
    * Scharfetter, D. L. and Gummel, H. K., IEEE Trans. Electron Devices 16, 64-77
      (1969) (the Fokker-Planck solver of the crossover band, ``method="auto"``);
      citation key ``ScharfetterGummel1969``.
    * ``method="llg"``: Garcia-Palacios, J. L. and Lazaro, F. J., Phys. Rev. B 58,
      14937-14958 (1998) (``GarciaPalacios1998``); Slonczewski, J. C., J. Magn. Magn.
      Mater. 159, L1-L7 (1996) (``Slonczewski1996``); and for the interval Wilson,
      E. B., J. Am. Stat. Assoc. 22, 209-212 (1927) (not in ``spinaps/references.bib``).

    Examples
    --------
    >>> from spinaps.device import preset, switching_probability
    >>> p = preset("Ikeda2010")  # I_c0 = 49 uA: one thermal, one precessional point
    >>> ps = switching_probability(p, [30e-6, 100e-6], 10e-9)
    >>> ps.name, [f"{x:.3g}" for x in ps.values]
    ('p_switch', ['0.0161', '1'])
    >>> f"{float(switching_probability(p, 100e-6, 10e-9, complement=True)):.2g}"
    '3.8e-06'
    """
    check_params(params)
    op = operating_point(params, temperature)
    allowed = METHODS["switching_probability"]
    if method not in allowed:
        raise ValueError(f"method = {method!r}; allowed: {', '.join(map(repr, allowed))}")
    return analytic_probability(
        op,
        i_write,
        t_pulse,
        method=method,
        complement=complement,
        params=params,
        n_samples=n_samples,
        dt=dt,
        seed=seed,
        confidence=confidence,
        stacklevel=4,
    )


def analytic_probability(
    op: OperatingPoint,
    i_write,
    t_pulse,
    *,
    method,
    complement,
    params,
    n_samples=1000,
    dt=1e-12,
    seed=None,
    confidence=0.95,
    stacklevel=2,
    caller="switching_probability",
    h=None,
) -> xr.DataArray:
    """The switching probability (or WER) map of :func:`switching_probability` (internal API).

    Parameters
    ----------
    op : OperatingPoint
        The device(s) at the operating temperature.
    i_write : float or 1-D array [A]
    t_pulse : float or 1-D array [s]
    method : {"auto", "thermal", "precessional", "llg"}
    complement : bool
        Return 1 - P (``wer``) instead of P (``p_switch``).
    params : MTJParams
        The parameters as the user gave them, recorded in the provenance.
    n_samples, dt, seed, confidence
        Monte-Carlo settings of ``method="llg"`` (``dt`` [s]).
    stacklevel : int
        Stack level of the crossover warning (2: the caller of this function).
    caller : str
        The public function, named in the error of ``method="thermal"`` at or above
        I_c0.
    h : float or array (n_devices,) or None [1]
        Reduced field along +z of the write (applied and offset,
        :meth:`~spinaps.device.tools.OperatingPoint.write_field`).  ``None`` (the
        caller knows no write direction): zero, and a non-zero offset field
        ``h_offset`` is refused.  Not with ``method="llg"`` (use
        :func:`llg_probability` with a direction).

    Returns
    -------
    xarray.DataArray [1]
    """
    if h is None:
        if np.any(op.h_offset != 0.0):
            raise ValueError(
                f"{caller}: the reference layer's offset field h_offset = "
                f"{float(np.max(np.abs(op.params.h_offset))):.4g} A/m needs a write direction, which "
                f"{caller} does not take; use write_error_rate(..., direction=...) or h_offset = 0"
            )
        h = 0.0
    dims, coords, full, g = write_grid(op.n_devices, i_write, t_pulse)
    cur = check_current("i_write", g["i_write"])
    dev = op.shaped((-1, 1, 1))
    h = np.asarray(h, dtype=float)
    h = h.reshape(-1, 1, 1) if h.ndim else h
    if method == "llg" and np.any(h != 0.0):
        raise ValueError(f"{caller}: method='llg' here takes no field; use llg_probability with a direction")
    # The closed forms see the drive j = i - h (exact for the thermal barrier, see wer_precessional)
    i = cur / dev.ic0 - h
    t = g["t_pulse"]
    extra = {}
    extra_attrs = {}
    if method == "llg":
        p, lo, hi = llg_probability(
            op, cur.ravel(), t.ravel(), n_samples=n_samples, dt=dt, seed=seed, confidence=confidence
        )
        if complement:
            p, lo, hi = 1.0 - p, 1.0 - hi, 1.0 - lo
        cites = _LLG_CITES
        extra = {"ci_low": lo, "ci_high": hi}
    else:
        if method == "thermal":
            _check_subcritical(caller, i, "method='auto' (precessional above I_c0) or method='llg'")
        i_b, t_b = np.broadcast_arrays(i, t)
        q = np.full(full, np.nan)  # 1 - P
        use_thermal = (i_b < 1.0) if method == "auto" else np.full(i_b.shape, method == "thermal")
        crossover = np.zeros(full, dtype=bool)
        if method == "auto":
            crossover = np.broadcast_to(in_crossover(dev.delta, i), full)
            if np.any(crossover):
                warnings.warn(
                    f"{int(crossover.sum())} points lie in the thermal/precessional crossover "
                    f"(Delta (1 - i)^2 < {CROSSOVER_BARRIER}) where neither asymptotic model is "
                    "accurate; method='auto' solves them with the Fokker-Planck equation",
                    stacklevel=stacklevel,
                )
            use_thermal = use_thermal & ~crossover
        if np.any(use_thermal):
            with warnings.catch_warnings():
                if method == "auto":  # the crossover warning above already covers these points
                    warnings.simplefilter("ignore")
                tau = tau_escape(np.where(use_thermal, i_b, 0.0), dev.delta, dev.tau_d, dev.attempt_time)
                q = np.where(use_thermal, np.exp(-t_b / tau), q)
        if np.any(~use_thermal):
            q = np.where(use_thermal, q, wer_precessional(dev.delta, i_b + h, t_b / dev.tau_d, h))
        if np.any(crossover):
            i_full, t_full = np.broadcast_to(i_b, full), np.broadcast_to(t_b, full)
            h_full = np.broadcast_to(h, full)
            q = np.where(crossover, crossover_wer(dev, i_full + h_full, t_full, crossover, h=h_full), q)
            extra_attrs["crossover_points"] = int(crossover.sum())
        p = q if complement else 1.0 - q
        cites = {"thermal": _THERMAL_CITES, "precessional": _PRECESSIONAL_CITES}.get(
            method, _THERMAL_CITES + _PRECESSIONAL_CITES + (("ScharfetterGummel1969",) if np.any(crossover) else ())
        )
    da = xr.DataArray(squeeze_grid(p, dims, full), dims=dims, coords=coords, name="wer" if complement else "p_switch")
    for name, arr in extra.items():
        da.coords[name] = annotate(
            xr.Variable(dims, squeeze_grid(arr, dims, full)),
            "1",
            f"{name.replace('_', ' ')} of the {confidence:.0%} Wilson interval",
        )
    annotate(da, "1", "write error rate 1 - P" if complement else "switching probability")
    return finalize(
        da,
        params=params,
        seed=seed if method == "llg" else None,
        cite=cites,
        method=method,
        temperature=op.temperature,
        **extra_attrs,
    )


def in_crossover(delta, i):
    """Whether reduced currents i lie in the thermal/precessional crossover band (internal API).

    The band is Delta (1 - i)^2 < ``CROSSOVER_BARRIER``, i.e. abs(1 - i) < 2 / sqrt(Delta):
    below it Brown's high-barrier escape time holds (barrier >= 4 kT; its error is
    about 27 % at a barrier of 5, Coffey et al. 1994); above it the drive i - 1 exceeds
    the thermal spread 2 / sqrt(Delta) of the critical drive and the precessional model
    applies.  At the band edges both models are within 0.12 (absolute, in P, pulses of
    0.1 ns to 1 us) of the Fokker-Planck solution for the ``benchmark`` (Delta = 50) and
    ``Ikeda2010`` (Delta = 40) presets (tests/unit/device/test_fixes_crossover.py).
    At i = 1 both models degenerate (zero barrier; an infinite deterministic
    switching time).
    """
    return np.asarray(delta, dtype=float) * (1.0 - np.asarray(i, dtype=float)) ** 2 < CROSSOVER_BARRIER


def crossover_wer(dev: OperatingPoint, i, t, mask, h=0.0, threads=None):
    """1 - P at the ``mask`` points of a (device, i_write, t_pulse) grid by Fokker-Planck (internal API).

    The end-state criterion of :func:`spinaps.device.write_error_rate` (the default):
    the probability that m_z > 0 when the pulse ends, constant efficiency.  Elsewhere
    the result is NaN.  ``dev`` is the operating point shaped (-1, 1, 1); ``i``, ``t``
    the reduced currents and the pulse widths [s] and ``h`` the reduced field along +z,
    broadcast to the grid.
    """
    from . import fokker_planck as fp  # deferred: fokker_planck imports this module

    shape = mask.shape
    delta = np.broadcast_to(dev.delta, shape)
    tau_d = np.broadcast_to(dev.tau_d, shape)
    h = np.broadcast_to(np.asarray(h, dtype=float), shape)
    out = np.full(shape, np.nan)
    rows = np.argwhere(mask.any(axis=2))  # (device, current) pairs with crossover points
    if np.any(delta[mask] > 300.0):
        raise ValueError(
            f"the Fokker-Planck solver of the crossover band supports Delta <= 300, got {np.max(delta[mask]):.4g}; "
            "use method='llg' there"
        )
    # one solve per (device, current) pair at its positive reduced times, all pairs in
    # one call (threads); rows are padded with their last time (solved once)
    todo, times = [], []
    for d, c in rows:
        sel = mask[d, c]
        s = t[d, c, sel] / tau_d[d, c, sel]
        out[d, c, sel] = 1.0
        if np.any(s > 0):
            todo.append((d, c, sel, s > 0))
            times.append(s[s > 0])
    if todo:
        width = max(len(s) for s in times)
        s_rows = np.array([np.pad(s, (0, width - len(s)), mode="edge") for s in times])
        points = np.array([[delta[d, c, 0], i[d, c, 0], h[d, c, 0], 0.0] for d, c, _, _ in todo])
        wer = fp.solve_many(points, s_rows, "end_state", None, threads)[0]
        for (d, c, sel, positive), w, s in zip(todo, wer, times):
            row = out[d, c, sel]
            row[positive] = w[: len(s)]
            out[d, c, sel] = row
    return out


def _wilson(k, n, confidence):
    """Wilson score interval (low, high) [1] of k successes in n trials at ``confidence``."""
    z = special.ndtri(0.5 + confidence / 2.0)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(np.minimum(centre - half, p), 0, 1), np.clip(np.maximum(centre + half, p), 0, 1)


def llg_probability(
    op: OperatingPoint,
    i_write,
    t_pulse,
    *,
    n_samples,
    dt,
    seed,
    confidence,
    criterion="first_passage",
    stt_form="constant",
    direction="ap_to_p",
    h_applied=0.0,
    threads=None,
):
    """Monte-Carlo switching probability (device, i_write, t_pulse) and its Wilson interval (internal API).

    Parameters
    ----------
    op : OperatingPoint
        The device(s) at the operating temperature (not converted again).
    i_write : 1-D array [A]
        Write currents.
    t_pulse : 1-D array [s]
        Pulse widths (at least one > 0).
    n_samples : int
        Devices simulated per device of ``op`` and current.
    dt : float [s]
        LLGS time step.
    seed : seed of :func:`spinaps.params.seed_sequence`
    confidence : float [1]
        Level of the Wilson interval.
    criterion : {"first_passage", "end_state"}
        ``"first_passage"``: switched if m_z crossed 0 before the pulse ended (one
        run per current, read off ``t_switch``); ``"end_state"``: switched if m_z < 0
        when the pulse ends (one run per pulse width, all with the same random streams).
    stt_form, direction : see :func:`spinaps.device.simulate`
    h_applied : float [A/m]
        Field along +z.
    threads : int, optional [-]
        Threads of the LLGS ensembles (:func:`spinaps.threads.resolve`; the result does
        not depend on it).

    Returns
    -------
    p, low, high : numpy.ndarray, shape (n_devices, n_i_write, n_t_pulse) [1]
    """
    check_int("n_samples", n_samples, 1, 10**8)
    check_range("confidence", confidence, low=0.0, high=1.0)
    params = op.params
    n_dev = params.n_devices
    t_pulses = np.asarray(t_pulse, dtype=float)
    currents = np.asarray(i_write, dtype=float)
    if float(np.max(t_pulses)) <= 0:
        raise ValueError("method='llg' needs at least one positive t_pulse")
    seqs = seed_sequence(seed).spawn(len(currents))
    k = np.zeros((n_dev, len(currents), len(t_pulses)))
    ens, n = (params, n_samples) if n_dev == 1 else (_repeat(params, n_samples), n_dev * n_samples)
    opts = dict(
        dt=dt,
        n_devices=n,
        temperature=op.temperature,
        stt_form=stt_form,
        direction=direction,
        h_applied=(0.0, 0.0, float(h_applied)),
        threads=threads,
    )
    for c, (cur, sq) in enumerate(zip(currents, seqs)):
        if criterion == "first_passage":
            ds = simulate_at_temperature(ens, cur, float(np.max(t_pulses)), seed=sq, **opts)
            ts = ds.t_switch.values.reshape(n_dev, n_samples)
            k[:, c, :] = (ts[:, :, None] <= t_pulses[None, None, :]).sum(axis=1)
        else:
            for m, t in enumerate(t_pulses):
                if t <= 0:
                    continue
                ds = simulate_at_temperature(
                    ens, cur, float(t), seed=np.random.SeedSequence(sq.entropy, spawn_key=sq.spawn_key), **opts
                )
                k[:, c, m] = (ds.mz.values[:, -1] < 0.0).reshape(n_dev, n_samples).sum(axis=1)
    p = k / n_samples
    lo, hi = _wilson(k, n_samples, confidence)
    return p, lo, hi


def _repeat(params, n_samples):
    """Ensemble with every device of ``params`` repeated ``n_samples`` times."""
    changes = {name: np.repeat(value, n_samples) for name, value in params.broadcast().items()}
    return replace(params, **changes)


#: The two flip quantities of retention and read disturb (see :func:`two_state_probability`).
FLIP_QUANTITIES = ("p_flipped", "p_escape")


def two_state_probability(quantity, t, j, delta, tau_d, attempt_time=None):
    r"""Flip probability of the thermal two-state rate equations (internal API).

        The +z and -z wells exchange population at the Neel-Brown rates
        k_+ = 1 / tau(j) (out of +z) and k_- = 1 / tau(-j) (out of -z, where the drive
        j = i - h acts with the opposite sign), :func:`tau_escape`.  Starting in +z:

        .. math::

           p_\mathrm{escape}(t) = 1 - e^{-k_+ t}, \qquad
           p_\mathrm{flipped}(t) = rac{k_+}{k_+ + k_-} \left[1 - e^{-(k_+ + k_-) t}
    ight].

        ``p_escape`` tends to 1, ``p_flipped`` to the equilibrium occupation of the other
        well, k_+ / (k_+ + k_-) (1/2 at j = 0).  Both are evaluated with ``expm1`` (no
        cancellation for small t).

        Parameters
        ----------
        quantity : {"p_flipped", "p_escape"}
        t : array [s]
            Times, broadcast with the other arguments.
        j : float or array [1]
            Reduced drive i - h, |j| < 1.
        delta, tau_d, attempt_time
            As for :func:`tau_escape` (``tau_d`` [s], ``attempt_time`` [s] or ``None``).

        Returns
        -------
        numpy.ndarray [1]
    """
    k_up = 1.0 / tau_escape(j, delta, tau_d, attempt_time)
    if quantity == "p_escape":
        return -np.expm1(-k_up * t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the -z barrier Delta (1 + j)^2 is the higher one for j >= 0
        k_down = 1.0 / tau_escape(-np.asarray(j, dtype=float), delta, tau_d, attempt_time)
    k = k_up + k_down
    return k_up / k * -np.expm1(-k * t)


def thermal_failure(
    op: OperatingPoint, current, t, tname, tlong, long_name, *, params, quantity="p_escape", h=0.0
) -> xr.DataArray:
    """Thermal flip probability of retention and read disturb as a labelled DataArray (internal API).

    Parameters
    ----------
    op : OperatingPoint
    current : float [A]
        Current through the junction (scalar).
    t : float or 1-D array [s]
        Times (dim ``tname`` if 1-D), >= 0.
    tname, tlong : str
        Name and long name of the time dim.
    long_name : str
        Long name of the probability.
    params : MTJParams
        The parameters as the user gave them (provenance).
    quantity : {"p_escape", "p_flipped"}
        :func:`two_state_probability`; ``"p_escape"`` (1 - exp(-t / tau_esc)) is the
        previous behaviour.
    h : float or array [1]
        Reduced field H_z / H_K,eff along +z (per device).

    Returns
    -------
    xarray.DataArray [1]
        Dims among (device, ``tname``).
    """
    t = np.asarray(t, dtype=float)
    check_range(tname, t, low=0.0, low_inclusive=True, units="s")
    if t.ndim > 1 or np.ndim(current) > 0:
        raise ValueError(f"{tname} and the current must be scalars or {tname} 1-D")
    if quantity not in FLIP_QUANTITIES:
        raise ValueError(f"quantity = {quantity!r}; allowed: {', '.join(map(repr, FLIP_QUANTITIES))}")
    j = np.atleast_1d(check_current("current", current) / op.ic0 - h)
    delta, tau_d = np.atleast_1d(op.delta), np.atleast_1d(op.tau_d)
    at = None if op.attempt_time is None else np.atleast_1d(op.attempt_time)[:, None]
    p = two_state_probability(quantity, np.atleast_1d(t)[None, :], j[:, None], delta[:, None], tau_d[:, None], at)
    p = np.broadcast_to(p, (op.n_devices, np.atleast_1d(t).size))
    da = device_time_array(p, op.n_devices, t, tname, tlong, long_name)
    return finalize(da, params=params, cite=_THERMAL_CITES, temperature=op.temperature, quantity=quantity)
