"""Device-to-device variability: sampling MTJ ensembles and their worst-case statistics.

* :func:`sample_variability` -- an ensemble :class:`~spinaps.device.MTJParams` of ``n``
  devices around a nominal device, with normal or log-normal marginals of given
  relative spread, optionally correlated through a Gaussian copula;
* :func:`summarize` -- mean, standard deviation and quantiles of the derived device
  quantities (Delta, I_c0, R_P, R_AP, tau_D) and optionally of a write error rate;
* :func:`worst_of_n`, :func:`worst_of_n_pulse` -- the write pulse width that the worst
  device of an array of ``n_array`` devices needs, at a given confidence.

All quantities are SI.  Spreads are *relative* standard deviations sigma / mean of the
sampled fields (there is no absolute-spread option: a relative spread is the same for
every preset and keeps a field's sign).

Internal API
------------
The sampling steps are shared with :mod:`spinaps.circuit.cells` (chip cells) under
public names; they are not part of :data:`spinaps.device.__all__` and may change
without deprecation: :func:`parse_spread`, :func:`correlation_matrix`,
:func:`cholesky`, :func:`marginal`, :func:`couple_anisotropy`, :func:`invalid_masks`,
:func:`too_many_invalid`.
"""

from __future__ import annotations

import dataclasses
import numbers
import warnings
from collections.abc import Mapping

import numpy as np
import xarray as xr
from scipy import stats

from ..constants import MU0
from ..deprecation import renamed
from ..params import as_float_array, check_range, check_seed
from ..provenance import annotate, finalize
from .demag import demag_factor_difference
from .error_rates import pulse_for_wer
from .llg import MAX_DEVICES
from .mtj import MTJParams, anisotropy_at_thickness

__all__ = ["sample_variability", "summarize", "worst_of_n", "worst_of_n_pulse", "VARIABLE_FIELDS", "DISTRIBUTIONS"]

#: Fields of :class:`MTJParams` that :func:`sample_variability` can vary.
VARIABLE_FIELDS = ("diameter", "thickness", "ms", "ku", "alpha", "ra", "tmr0", "polarization", "v_half")
#: Marginal distributions of the sampled fields.
DISTRIBUTIONS = ("normal", "lognormal")

# Valid range (low, high, low_inclusive, high_inclusive) of each variable field.  It
# mirrors MTJParams.__post_init__ (a test keeps the two equal) so that invalid devices can
# be found for a whole batch at once; the returned MTJParams re-validates everything.
_BOUNDS = {
    "diameter": (0.0, 1e-5, False, True),
    "thickness": (0.0, 1e-7, False, True),
    "ms": (0.0, 1e7, False, False),
    "ku": (0.0, 1e8, True, False),
    "alpha": (0.0, 1.0, False, False),
    "polarization": (0.0, 1.0, False, True),
    "ra": (0.0, 1e-6, False, True),
    "tmr0": (0.0, 100.0, True, True),
    "v_half": (0.0, 100.0, False, True),
}
# Largest aspect ratio t_F / d of the demagnetising factors (spinaps.device.demag).
_MAX_ASPECT = 1e6
#: Largest fraction of invalid sampled devices tolerated: above it the requested spread
#: mostly describes devices that cannot exist and truncating it would distort it badly.
MAX_INVALID_FRACTION = 0.5
# Smallest batch of devices drawn at once: the invalid fraction is estimated from at
# least this many draws (binomial standard error <= 1.6 % at 50 %).
_MIN_BATCH = 1024
# Batches drawn at most.  Each batch holds twice the devices still missing and at least
# half of the draws are valid, so running out is practically impossible (it is a guard).
_MAX_BATCHES = 30


# --------------------------------------------------------------------------- argument checks
def _check_count(name, value):
    """Raise ``ValueError`` unless ``value`` is an integer >= 1; return it as int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer in [1, inf), got {value!r}")
    if value < 1:
        raise ValueError(f"{name} = {value!r} is outside the allowed range [1, inf)")
    return int(value)


def _check_mtj(params):
    if not isinstance(params, MTJParams):
        raise TypeError(f"params must be an MTJParams, got {type(params).__name__}")


def _check_nominal(params):
    """The nominal device must be scalar: sampling around an ensemble is ambiguous."""
    _check_mtj(params)
    arrays = [f.name for f in dataclasses.fields(params) if isinstance(getattr(params, f.name), np.ndarray)]
    if arrays:
        raise ValueError(
            f"params must be a single nominal device with scalar fields, got an ensemble of "
            f"{params.n_devices} device(s) (array fields: {', '.join(arrays)}); pass e.g. "
            "params.device(0)"
        )


def _check_distribution(name, value):
    if value not in DISTRIBUTIONS:
        raise ValueError(f"{name} = {value!r}; allowed: {', '.join(DISTRIBUTIONS)}")
    return value


def parse_spread(spread, distribution):
    """Check a ``spread`` dict (internal API).

    Parameters
    ----------
    spread : dict
        ``{field: sigma_rel}`` or ``{field: (sigma_rel, distribution)}``, see
        :func:`sample_variability`.
    distribution : {"lognormal", "normal"}
        Default marginal distribution.

    Returns
    -------
    names : tuple of str
        The varied fields.
    cvs : numpy.ndarray [1]
        Their relative standard deviations sigma / mean.
    dists : tuple of str
        The distribution of each field.
    """
    if not isinstance(spread, Mapping) or not spread:
        raise ValueError(
            f"spread must be a non-empty dict {{field: sigma_rel}} with fields among "
            f"{', '.join(VARIABLE_FIELDS)}, got {spread!r}"
        )
    names, cvs, dists = [], [], []
    for name, value in spread.items():
        if name not in VARIABLE_FIELDS:
            raise ValueError(f"spread has unknown field {name!r}; allowed: {', '.join(VARIABLE_FIELDS)}")
        if isinstance(value, tuple) and len(value) != 2:
            raise ValueError(f"spread[{name!r}] must be sigma_rel or (sigma_rel, distribution), got {value!r}")
        cv, dist = value if isinstance(value, tuple) else (value, distribution)
        cv = as_float_array(cv, f"spread[{name!r}]")
        if np.ndim(cv):
            raise ValueError(f"spread[{name!r}] must be a scalar relative sigma, got shape {np.shape(cv)}")
        check_range(f"spread[{name!r}]", cv, low=0.0, high=1.0, low_inclusive=True, units="(sigma/mean)")
        names.append(name)
        cvs.append(cv)
        dists.append(_check_distribution(f"distribution of spread[{name!r}]", dist))
    return tuple(names), np.array(cvs), tuple(dists)


def correlation_matrix(correlation, names):
    """Correlation matrix of the copula's standard normals, in the order of ``names`` (internal API).

    Parameters
    ----------
    correlation : dict, array or None
        ``{(field_a, field_b): rho}``, a k x k matrix over ``names``, or ``None``
        (independent fields).
    names : sequence of str
        The spread fields, in order.

    Returns
    -------
    numpy.ndarray (k, k) [1]
    """
    k = len(names)
    if correlation is None:
        return np.eye(k)
    if isinstance(correlation, Mapping):
        matrix = _matrix_from_pairs(correlation, names)
    else:
        matrix = np.asarray(as_float_array(correlation, "correlation"), dtype=float)
        if matrix.shape != (k, k):
            raise ValueError(
                f"correlation must be a dict {{(field_a, field_b): rho}} or a {k} x {k} matrix over "
                f"the spread fields ({', '.join(names)}), got shape {matrix.shape}"
            )
        if not np.allclose(matrix, matrix.T, rtol=0.0, atol=1e-12):
            raise ValueError("correlation matrix must be symmetric")
        if not np.allclose(np.diag(matrix), 1.0, rtol=0.0, atol=1e-12):
            raise ValueError(f"correlation matrix must have a unit diagonal, got {np.diag(matrix)!r}")
    check_range("correlation", matrix, low=-1.0, high=1.0, low_inclusive=True, high_inclusive=True)
    return matrix


def _matrix_from_pairs(pairs, names):
    matrix, seen = np.eye(len(names)), {}
    for key, rho in pairs.items():
        if not (isinstance(key, tuple) and len(key) == 2 and key[0] != key[1]):
            raise ValueError(f"correlation keys must be pairs (field_a, field_b) of distinct fields, got {key!r}")
        missing = [f for f in key if f not in names]
        if missing:
            raise ValueError(
                f"correlation names {', '.join(map(repr, missing))}, not in spread; correlated "
                f"fields must be among the spread fields {', '.join(names)}"
            )
        rho = as_float_array(rho, f"correlation[{key!r}]")
        check_range(f"correlation[{key!r}]", rho, low=-1.0, high=1.0, low_inclusive=True, high_inclusive=True)
        pair = frozenset(key)
        if seen.get(pair, rho) != rho:
            raise ValueError(f"correlation of {key[0]!r} and {key[1]!r} is given twice with different values")
        seen[pair] = rho
        a, b = names.index(key[0]), names.index(key[1])
        matrix[a, b] = matrix[b, a] = rho
    return matrix


def cholesky(matrix, names):
    """Lower Cholesky factor of a correlation ``matrix`` (internal API).

    Parameters
    ----------
    matrix : numpy.ndarray (k, k) [1]
    names : sequence of str
        The fields of its rows, for the error message.

    Returns
    -------
    numpy.ndarray (k, k)

    Raises
    ------
    ValueError
        If the matrix is not positive definite.
    """
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        smallest = float(np.min(np.linalg.eigvalsh(matrix)))
        raise ValueError(
            f"correlation matrix over ({', '.join(names)}) is not positive definite (smallest "
            f"eigenvalue {smallest:.3g}, allowed range (0, inf)); a Gaussian copula needs a valid "
            "correlation matrix"
        ) from None


# --------------------------------------------------------------------------- sampling
def marginal(z, nominal, cv, distribution):
    """Map standard normals ``z`` to a field with mean ``nominal`` and std/mean ``cv`` (internal API).

    normal: x = nominal (1 + cv z);  lognormal: x = exp(mu + s z) with
    s^2 = ln(1 + cv^2), mu = ln(nominal) - s^2 / 2, written as nominal exp(s z - s^2 / 2).

    Parameters
    ----------
    z : numpy.ndarray [1]
        Standard normal draws.
    nominal : float [units of the field]
    cv : float [1]
        Relative standard deviation.
    distribution : {"normal", "lognormal"}

    Returns
    -------
    numpy.ndarray [units of the field]
    """
    if distribution == "normal":
        return nominal * (1.0 + cv * z)
    s2 = np.log1p(cv**2)
    return nominal * np.exp(np.sqrt(s2) * z - 0.5 * s2)


def couple_anisotropy(values, params):
    """Sampled fields with K_u following a drawn thickness (internal API).

    When ``thickness`` is drawn, K_u of each device follows the anisotropy's origin
    (:func:`spinaps.device.mtj.anisotropy_at_thickness`): K_u(t) = K_u [f t_0 / t + 1 - f],
    f = ``params.interfacial_fraction``, t_0 = ``params.thickness``, applied to the
    drawn K_u if ``ku`` is spread too (a K_u spread then scales K_i and K_b alike), and
    the per-device ``interfacial_fraction`` is added.  Without a thickness draw
    ``values`` is returned unchanged.

    Parameters
    ----------
    values : dict of str -> numpy.ndarray (m,)
        Sampled fields (SI).
    params : MTJParams
        The scalar nominal device.

    Returns
    -------
    dict of str -> numpy.ndarray (m,)
    """
    if "thickness" not in values:
        return values
    t = np.asarray(values["thickness"], dtype=float)
    # an invalid draw (t <= 0, a normal marginal's tail) is rejected by invalid_masks; it
    # keeps the nominal K_u factor here
    t_valid = np.where(np.isfinite(t) & (t > 0), t, params.thickness)
    ku, fraction = anisotropy_at_thickness(
        values.get("ku", params.ku), params.interfacial_fraction, params.thickness, t_valid
    )
    return {
        **values,
        "ku": np.broadcast_to(ku, t.shape).copy(),
        "interfacial_fraction": np.broadcast_to(fraction, t.shape).copy(),
    }


def invalid_masks(values, params, m):
    """Per-reason masks (length ``m``) of the devices that MTJParams would reject (internal API).

    Parameters
    ----------
    values : dict of str -> numpy.ndarray (m,)
        Sampled fields (SI); the other fields are taken from ``params``.
    params : MTJParams
        The scalar nominal device.
    m : int
        Number of sampled devices.

    Returns
    -------
    dict of str -> numpy.ndarray of bool (m,)
        ``{reason: mask}``.
    """
    masks = {}
    for name, x in values.items():
        if name not in _BOUNDS:
            continue  # derived (interfacial_fraction from couple_anisotropy): valid by construction
        low, high, low_inc, high_inc = _BOUNDS[name]
        bad = ~np.isfinite(x)
        bad |= (x < low) if low_inc else (x <= low)
        bad |= (x > high) if high_inc else (x >= high)
        masks[f"{name} outside {'[' if low_inc else '('}{low:g}, {high:g}{']' if high_inc else ')'}"] = bad
    ku, ms = values.get("ku", params.ku), values.get("ms", params.ms)
    d, t = values.get("diameter", params.diameter), values.get("thickness", params.thickness)
    with np.errstate(over="ignore", invalid="ignore"):
        d, t = np.asarray(d, dtype=float), np.asarray(t, dtype=float)
        shape_ok = (d > 0) & (t > 0) & np.isfinite(d) & np.isfinite(t) & (t <= _MAX_ASPECT * d)
        dn = demag_factor_difference(np.where(shape_ok, d, 1.0), np.where(shape_ok, t, 1.0))
        in_plane = ~(np.asarray(ku) > 0.5 * MU0 * np.asarray(ms) ** 2 * dn)
    masks[f"thickness / diameter outside (0, {_MAX_ASPECT:g}]"] = np.broadcast_to(~shape_ok, (m,))
    masks["in-plane (ku <= (mu0 ms^2 / 2)(N_zz - N_xx))"] = np.broadcast_to(in_plane & shape_ok, (m,))
    return masks


def _draw(rng, m, params, names, cvs, dists, chol):
    """``m`` devices: correlated standard normals -> marginals.  Returns {name: (m,)}."""
    z = rng.standard_normal((m, len(names))) @ chol.T
    values = {name: marginal(z[:, j], getattr(params, name), cvs[j], dists[j]) for j, name in enumerate(names)}
    return couple_anisotropy(values, params)


def too_many_invalid(masks, invalid):
    """Error message if the invalid fraction exceeds MAX_INVALID_FRACTION, else None (internal API).

    Parameters
    ----------
    masks : dict of str -> numpy.ndarray of bool
        From :func:`invalid_masks`.
    invalid : numpy.ndarray of bool
        Their union.

    Returns
    -------
    str or None
    """
    fraction = invalid.mean()
    if fraction <= MAX_INVALID_FRACTION:
        return None
    reasons = "; ".join(f"{reason}: {np.mean(bad):.1%}" for reason, bad in masks.items() if np.any(bad))
    return (
        f"spread: {fraction:.1%} of the sampled devices are invalid (allowed at most "
        f"{MAX_INVALID_FRACTION:.0%}, estimated from {invalid.size} draws): {reasons}. Reduce the spread of "
        "these fields, or correlate ku with ms"
    )


def sample_variability(
    params: MTJParams, n, *, spread, seed=0, distribution="lognormal", correlation=None
) -> MTJParams:
    r"""An ensemble of ``n`` devices whose fields scatter around a nominal device.

    Parameters
    ----------
    params : MTJParams
        The nominal device (all fields scalar; an ensemble is rejected).
    n : int [-]
        Number of devices, in [1, 1e8] (``spinaps.device.llg.MAX_DEVICES``).
    spread : dict [object]
        ``{field: sigma_rel}``: relative standard deviation sigma / mean, in [0, 1), of
        each field to vary, among ``diameter``, ``thickness``, ``ms``, ``ku``, ``alpha``,
        ``ra``, ``tmr0``, ``polarization``, ``v_half``.  Spreads are relative only (a
        1 nm sigma on a 40 nm diameter is ``{"diameter": 0.025}``).  A value may be a
        tuple ``(sigma_rel, "normal" | "lognormal")`` to override ``distribution`` for
        that field.  Fields not named keep their scalar nominal value.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the ``numpy.random.Generator`` (default 0); the same seed gives the same
        ensemble (``None``: fresh entropy, not reproducible).
    distribution : {"lognormal", "normal"}
        Default marginal distribution; both have mean = nominal and std / mean =
        sigma_rel before truncation (below).

        * ``"lognormal"``: ln x ~ N(mu, s^2) with s^2 = ln(1 + sigma_rel^2),
          mu = ln(nominal) - s^2 / 2; always positive.
        * ``"normal"``: x = nominal (1 + sigma_rel z), z ~ N(0, 1), truncated to the
          field's valid range (values outside it are redrawn).
    correlation : dict or array, optional [-]
        Correlations rho of the underlying standard normals (Gaussian copula, Nelsen 2006):
        ``{(field_a, field_b): rho}`` (unnamed pairs are uncorrelated), or the full
        symmetric matrix over the fields of ``spread`` in their order.  It must be
        positive definite; for log-normal fields rho is the Pearson correlation of
        ln x, for normal fields that of x (before truncation).

    Returns
    -------
    MTJParams
        The ensemble: the spread fields are float64 arrays of length ``n``, the others
        the nominal scalars.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        For an invalid ``n``, ``spread``, ``distribution`` or ``correlation``, an
        ensemble ``params``, or if more than ``MAX_INVALID_FRACTION`` (50 %) of the
        sampled devices are invalid; also for an invalid ``seed``.

    Notes
    -----
    All devices are drawn in one vectorised call: Z = G L^T, G an (m, k) array of
    independent standard normals and L the Cholesky factor of the correlation matrix,
    then each column is mapped to its marginal.  A device is invalid if any field lies
    outside the range :class:`MTJParams` accepts (e.g. a negative normal draw, P > 1)
    or if the layer is not perpendicular, K_u <= (mu0 M_s^2 / 2)(N_zz - N_xx).  Invalid devices are
    discarded *with all their fields* (so the copula's correlations are kept) and more
    devices drawn; the result is the joint distribution conditioned on validity.  This
    truncation biases the mean, spread and correlations slightly when the valid-range
    edges are within a few sigma of the nominal values; the independent spreads of
    K_u and M_s in particular broaden K_eff = K_u - (mu0 M_s^2 / 2)(N_zz - N_xx) by
    the factor K_u / K_eff (about 9.5 for the Ikeda 2010 device), so a few per cent of
    K_u spread already puts devices in-plane.  If more than 50 % of a batch of at least
    1024 draws are invalid a ``ValueError`` reports the fraction per reason.

    Thickness and the anisotropy's origin: a drawn thickness t carries K_u with it
    (:func:`couple_anisotropy`), K_u(t) = K_u [f t_0 / t + 1 - f] with
    f = ``params.interfacial_fraction`` (1 by default: CoFeB/MgO anisotropy is
    interfacial, Ikeda et al. 2010), and the demagnetising factors follow t / d.  Then
    K_eff t = f K_u t_0 + [(1 - f) K_u - K_d Delta N(t)] t with K_d = mu0 M_s^2 / 2,
    Delta N = N_zz - N_xx, and to first order

    .. math::

       \frac{\sigma_\Delta}{\Delta} \approx \left|\frac{d \ln \Delta}{d \ln t}\right|
       \frac{\sigma_t}{t}, \qquad
       \frac{d \ln \Delta}{d \ln t} = \frac{(1 - f) K_u - K_d \Delta N
       - K_d\, d\Delta N / d\ln t}{K_\mathrm{eff}}.

    For Ikeda2010 (f = 1, K_d / K_eff = 9.79, Delta N = 0.866, d Delta N / d ln t =
    -0.103) the sensitivity is -7.47: Delta *falls* as the layer thickens, and a 3 %
    thickness spread gives a 22 % Delta spread (29 % with the thin-film Delta N = 1),
    where a bulk anisotropy (f = 0) would give +2.0, i.e. 6 %.

    References
    ----------
    * Nelsen, R. B., *An Introduction to Copulas*, 2nd ed., Springer Series in
      Statistics, Springer, New York (2006): the Gaussian copula; citation key
      ``Nelsen2006`` (registered by the chain when ``correlation`` is given).

    Examples
    --------
    >>> from spinaps.device import preset
    >>> ens = sample_variability(preset("Ikeda2010"), 1000, spread={"diameter": 0.05, "thickness": 0.03},
    ...                          correlation={("diameter", "thickness"): 0.3}, seed=1)
    >>> ens.n_devices
    1000

    A 3 % thickness spread of an interfacial-PMA device spreads Delta by about 22 %,
    with Delta falling as the thickness grows:

    >>> ens = sample_variability(preset("Ikeda2010"), 20000, spread={"thickness": 0.03}, seed=1)
    >>> delta = ens.delta(300.0)
    >>> round(float(delta.std() / delta.mean()), 2), bool(np.corrcoef(ens.thickness, delta)[0, 1] < -0.99)
    (0.22, True)
    """
    _check_nominal(params)
    n = _check_count("n", n)
    if n > MAX_DEVICES:
        raise ValueError(f"n = {n!r} is outside the allowed range [1, {MAX_DEVICES:.0e}]")
    _check_distribution("distribution", distribution)
    names, cvs, dists = parse_spread(spread, distribution)
    chol = cholesky(correlation_matrix(correlation, names), names)
    rng = np.random.default_rng(check_seed(seed))
    kept = {}
    missing = n
    for batch in range(_MAX_BATCHES):
        m = max(_MIN_BATCH, 2 * missing)
        values = _draw(rng, m, params, names, cvs, dists, chol)
        masks = invalid_masks(values, params, m)
        invalid = np.logical_or.reduce(list(masks.values()))
        if batch == 0 and (message := too_many_invalid(masks, invalid)):
            raise ValueError(message)
        take = np.flatnonzero(~invalid)[:missing]
        for name, x in values.items():
            kept.setdefault(name, []).append(x[take])
        missing -= take.size
        if missing == 0:
            break
    else:  # pragma: no cover - guarded by the invalid-fraction check above
        raise RuntimeError(f"sample_variability: {missing} of {n} devices still invalid after {_MAX_BATCHES} batches")
    return dataclasses.replace(params, **{name: np.concatenate(parts) for name, parts in kept.items()})


# --------------------------------------------------------------------------- summaries
# name -> (function of the parameters at temperature T, units, long name)
_QUANTITIES = {
    "delta": (lambda p, t: p.delta(t), "1", "thermal stability factor Delta(T)"),
    "ic0": (lambda p, t: p.ic0, "A", "zero-temperature critical current I_c0"),
    "r_p": (lambda p, t: p.r_p, "ohm", "parallel-state resistance R_P"),
    "r_ap": (lambda p, t: p.r_ap, "ohm", "zero-bias antiparallel-state resistance R_AP"),
    "tau_d": (lambda p, t: p.tau_d, "s", "damping time tau_D"),
}


def _statistics(da, name, units, long_name, quantiles):
    """``{name_mean, name_std, name_quantile}`` of ``da`` over its ``device`` dim."""
    return {
        f"{name}_mean": annotate(da.mean("device"), units, f"mean {long_name}"),
        f"{name}_std": annotate(da.std("device"), units, f"standard deviation of {long_name}"),
        f"{name}_quantile": annotate(da.quantile(quantiles, dim="device"), units, f"quantiles of {long_name}"),
    }


def summarize(
    params: MTJParams, *, temperature=300.0, quantiles=(0.001, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999), wer=None
) -> xr.Dataset:
    r"""Ensemble statistics of the derived device quantities.

    Parameters
    ----------
    params : MTJParams
        An ensemble (e.g. from :func:`sample_variability`); a single device gives
        zero spread.
    temperature : float [K]
        Temperature of Delta(T) (and of M_s, K_u, TMR with a temperature law), in
        (0, 2000].
    quantiles : float or 1-D sequence of float [-]
        Probabilities in [0, 1] (dimension ``quantile``).
    wer : xarray.DataArray, optional [-]
        Per-device write error rate with a ``device`` dimension of length
        ``params.n_devices``, e.g. from :func:`spinaps.device.write_error_rate`; other
        dimensions (i_write, t_pulse) are kept.

    Returns
    -------
    xarray.Dataset
        For each quantity X in ``delta`` [1], ``ic0`` [A], ``r_p`` [Ohm], ``r_ap``
        [Ohm], ``tau_d`` [s] (and ``wer`` [1]): ``X_mean``, ``X_std`` (population
        standard deviation, ddof = 0) and ``X_quantile`` (dim ``quantile``; numpy's
        default linear interpolation between order statistics).  Attributes
        ``temperature``, ``n_devices``, the parameters and the citation keys
        (registered with :mod:`spinaps.citations`).

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``quantiles`` is more than 1-D or outside [0, 1], the temperature is
        invalid for the parameters (:meth:`MTJParams.at_temperature`,
        :meth:`MTJParams.delta`), or ``wer`` is not a DataArray with a ``device``
        dimension of length ``params.n_devices``.

    Notes
    -----
    Evaluated per device at ``temperature`` (see :class:`MTJParams`):

    .. math::

       \Delta = \frac{K_\mathrm{eff} V}{k_B T}, \qquad
       I_{c0} = \frac{2 e \alpha}{\hbar P} \mu_0 M_s H_{K,\mathrm{eff}} V, \qquad
       \tau_D = \frac{1 + \alpha^2}{\alpha \gamma_0 H_{K,\mathrm{eff}}},

    R_P = RA / A, R_AP = R_P (1 + TMR0).

    References
    ----------
    * Sun, J. Z., Phys. Rev. B 62, 570-578 (2000): I_c0 and tau_D of the macrospin;
      citation key ``Sun2000``.
    * With a TMR temperature law (``tmr_bloch_coefficient``), R_AP at ``temperature``
      follows it (:meth:`MTJParams.at_temperature`): Julliere, M., Phys. Lett. A 54,
      225-226 (1975), citation key ``Julliere1975``; Shang, C. H., et al., Phys. Rev.
      B 58, R2917-R2920 (1998), citation key ``Shang1998``.
    * The ``wer`` statistics are not cited here: ``wer`` carries its own citation keys.

    Examples
    --------
    >>> from spinaps.device import preset, sample_variability, summarize
    >>> ens = sample_variability(preset("Ikeda2010"), 1000, spread={"diameter": 0.05}, seed=1)
    >>> stats = summarize(ens, quantiles=[0.5, 0.99])
    >>> stats.delta_quantile.dims, stats.ic0_mean.attrs["units"]
    (('quantile',), 'A')
    """
    _check_mtj(params)
    q = np.atleast_1d(as_float_array(quantiles, "quantiles"))
    if q.ndim != 1:
        raise ValueError(f"quantiles must be a scalar or 1-D, got shape {q.shape}")
    check_range("quantiles", q, low=0.0, high=1.0, low_inclusive=True, high_inclusive=True)
    n = params.n_devices
    p_t = params.at_temperature(temperature)
    data = {}
    for name, (fn, units, long_name) in _QUANTITIES.items():
        per_device = xr.DataArray(np.broadcast_to(np.asarray(fn(p_t, temperature), float), (n,)), dims="device")
        data.update(_statistics(per_device, name, units, long_name, q))
    if wer is not None:
        data.update(_statistics(_checked_wer(wer, n), "wer", "1", "write error rate", q))
    ds = xr.Dataset(data)
    annotate(ds["quantile"], "1", "probability")
    cite = ("Sun2000",) + (("Julliere1975", "Shang1998") if params.tmr_bloch_coefficient is not None else ())
    return finalize(ds, params=params, cite=cite, temperature=float(temperature), n_devices=n)


def _checked_wer(wer, n):
    if not isinstance(wer, xr.DataArray) or "device" not in wer.dims:
        raise ValueError(
            f"wer must be an xarray.DataArray with a 'device' dimension (from write_error_rate of "
            f"an ensemble), got {type(wer).__name__} with dims {getattr(wer, 'dims', None)}"
        )
    if wer.sizes["device"] != n:
        raise ValueError(f"wer has {wer.sizes['device']} devices but params has {n}")
    return wer


# --------------------------------------------------------------------------- worst of n
def _linear_quantile(values, q):
    """numpy's default ("linear") quantile along axis 0, exact when some values are +inf.

    Interpolates between the order statistics x_(floor(h)) and x_(floor(h)+1),
    h = q (n - 1); the result is +inf when the upper one is +inf and the weight is > 0.
    """
    s = np.sort(values, axis=0)
    h = q * (s.shape[0] - 1)
    lo = int(np.floor(h))
    frac = h - lo
    hi = min(lo + 1, s.shape[0] - 1)
    if frac == 0.0:
        return s[lo]
    with np.errstate(invalid="ignore"):
        return np.where(np.isinf(s[hi]), np.inf, s[lo] + frac * (s[hi] - s[lo]))


def _lognormal_quantile(values, tail):
    """t_q = exp(mu + sigma Phi^-1(q)) from the mean and std (ddof = 1) of ln t, with
    Phi^-1(q) = Phi^-1_upper(1 - q) evaluated from the tail probability directly."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_t = np.log(values)
        mu, sigma = log_t.mean(axis=0), log_t.std(axis=0, ddof=1)
        return np.exp(mu + sigma * stats.norm.isf(tail))


def worst_of_n(values: xr.DataArray, n_array, *, confidence=0.5) -> xr.DataArray:
    r"""Value that all of ``n_array`` devices stay below, with probability ``confidence``.

    If each device of an array independently draws its value from the sampled
    distribution F, the largest of ``n_array`` is <= x with probability F(x)^n_array;
    the answer is therefore the quantile q = confidence^(1 / n_array) of the sample:

    .. math::

       F(x)^{n_\mathrm{array}} = \mathrm{confidence}
       \quad \Rightarrow \quad q = \mathrm{confidence}^{1 / n_\mathrm{array}}

    Parameters
    ----------
    values : xarray.DataArray
        Per-device values (larger = worse, e.g. pulse widths) with a ``device``
        dimension of at least 2 devices; other dimensions are kept.  +inf is allowed.
    n_array : int [-]
        Number of devices in the array, >= 1.
    confidence : float [-]
        Probability in (0, 1) that all ``n_array`` devices are covered.

    Returns
    -------
    xarray.DataArray
        Same units; attrs ``n_array``, ``confidence``, ``quantile``, ``method``
        (``"empirical"`` or ``"lognormal_extrapolation"``), ``n_samples``,
        ``n_unreachable`` (number of infinite values).

    Raises
    ------
    ValueError
        If ``n_array`` is not an integer >= 1, ``confidence`` is not in (0, 1), or
        ``values`` is not a DataArray with a ``device`` dimension of at least 2.

    Warns
    -----
    UserWarning
        When q > 1 - 1 / (n_samples + 1), beyond what the sample resolves: the
        quantile is then extrapolated from a log-normal fit, t_q = exp(mu + sigma
        Phi^-1(q)) with mu, sigma the mean and standard deviation of ln t.  Also when
        the result is infinite because the quantile reaches infinite sample values.

    Notes
    -----
    Within the sample the empirical quantile (numpy's linear interpolation) is used.
    Infinite values (devices that never reach the target) make the result infinite
    whenever the quantile reaches them, and always when extrapolating (then
    q > 1 - 1 / n_samples, beyond the finite fraction of the sample).  1 - q is
    computed directly (q is within 1e-16 of 1 for large arrays).

    References
    ----------
    * The distribution of the maximum of n independent draws, F(x)^n, is standard
      order statistics (e.g. David, H. A. and Nagaraja, H. N., *Order Statistics*, 3rd
      ed., Wiley (2003); not in ``spinaps/references.bib``).

    Examples
    --------
    >>> import numpy as np, xarray as xr
    >>> from spinaps.device import worst_of_n
    >>> values = xr.DataArray(np.arange(1.0, 101.0), dims="device")
    >>> worst = worst_of_n(values, 10, confidence=0.5)
    >>> round(float(worst), 2), round(worst.attrs["quantile"], 4), worst.attrs["method"]
    (93.37, 0.933, 'empirical')
    """
    return _worst_of_n(values, n_array, confidence, stacklevel=3)


def _worst_of_n(values, n_array, confidence, *, stacklevel):
    """:func:`worst_of_n`, warning at ``stacklevel`` (the caller of the public function)."""
    n_array = _check_count("n_array", n_array)
    check_range("confidence", confidence, low=0.0, high=1.0)
    if not isinstance(values, xr.DataArray) or "device" not in values.dims or values.sizes["device"] < 2:
        raise ValueError("values must be an xarray.DataArray with a 'device' dimension of at least 2 devices")
    samples = values.transpose("device", ...)
    n = samples.sizes["device"]
    raw = samples.values.astype(float)
    # 1 - q computed directly: q is within 1e-16 of 1 for large arrays (conventions.md, 8).
    tail = -np.expm1(np.log(confidence) / n_array)
    q = float(confidence) ** (1.0 / n_array)
    infinite = np.isinf(raw)
    if tail < 1.0 / (n + 1):
        method = "lognormal_extrapolation"
        result = np.where(infinite.any(axis=0), np.inf, _lognormal_quantile(raw, tail))
        warnings.warn(
            f"worst_of_n: the quantile q = 1 - {tail:.3g} for n_array = {n_array} at confidence "
            f"{confidence:g} is beyond what {n} samples resolve (q <= 1 - 1/{n + 1}); extrapolated "
            f"with a log-normal fit to the {n} samples",
            stacklevel=stacklevel,
        )
    else:
        method = "empirical"
        result = _linear_quantile(raw, q)
    n_unreachable = int(infinite.sum())
    if np.any(np.isinf(result)):
        warnings.warn(
            f"worst_of_n: {n_unreachable} of {n} sampled values are infinite (e.g. never reach the "
            "target); the worst-of-n value is inf",
            stacklevel=stacklevel,
        )
    out = samples.isel(device=0, drop=True).copy(data=np.asarray(result, float))
    out.attrs = {key: samples.attrs[key] for key in ("units", "long_name") if key in samples.attrs}
    out.attrs.update(
        n_array=n_array,
        confidence=float(confidence),
        quantile=q,
        method=method,
        n_samples=n,
        n_unreachable=n_unreachable,
    )
    return out


@renamed(current="i_write")
def worst_of_n_pulse(
    params: MTJParams, i_write, target, n_array, *, temperature=300.0, confidence=0.5, **kw
) -> xr.DataArray:
    """Write pulse width [s] such that the worst of ``n_array`` devices meets WER <= ``target``.

    The per-device pulses t_k of the ensemble come from
    :func:`spinaps.device.pulse_for_wer`; the result is their quantile
    q = confidence^(1 / n_array) (:func:`worst_of_n`): with probability
    ``confidence``, all ``n_array`` devices of an array drawn from the same
    distribution write with WER <= ``target``.

    Parameters
    ----------
    params : MTJParams
        An ensemble of at least 2 devices, e.g. from :func:`sample_variability`; it
        should be large enough to resolve q (n_samples >= 1 / (1 - q)).
    i_write : float or 1-D array [A]
        Write current (dimension ``i_write`` if 1-D).  (``current`` is a deprecated
        alias, accepted with a ``DeprecationWarning`` until spinaps 0.2.0.)
    target : float [-]
        Target write error rate per device, in (1e-300, 1).
    n_array : int [-]
        Number of devices in the array (e.g. 2**20 for a 1 Mb array), >= 1.
    temperature : float [K]
        Device temperature, in (0, 2000]; the parameters' temperature law applies.
    confidence : float [-]
        Probability in (0, 1) that every device of the array meets the target;
        0.5 gives the median array.
    **kw
        Passed to :func:`spinaps.device.pulse_for_wer` (``criterion``, ``stt_form``,
        ``direction``, ``h_applied``, ``n_cells``, ``threads``).

    Returns
    -------
    xarray.DataArray
        ``t_pulse`` [s] with dims among (i_write); attrs ``target``, ``n_array``,
        ``confidence``, ``quantile``, ``method`` (``"empirical"`` |
        ``"lognormal_extrapolation"``), ``n_samples``, ``n_unreachable`` and provenance.

    Raises
    ------
    TypeError
        If ``params`` is not an :class:`MTJParams`.
    ValueError
        If ``params`` has fewer than 2 devices, ``n_array`` is not an integer >= 1,
        ``confidence`` is not in (0, 1), or for the arguments
        :func:`spinaps.device.pulse_for_wer` refuses.

    Warns
    -----
    UserWarning
        When the quantile is extrapolated (q > 1 - 1 / (n_samples + 1)) and when the
        result is infinite because sampled devices never reach the target.

    Notes
    -----
    The log-normal extrapolation fits ln t_k by a normal distribution; it is a model
    assumption for the tail of the pulse distribution beyond the sample, not a result.

    References
    ----------
    * The Fokker-Planck pulse widths cite as :func:`spinaps.device.pulse_for_wer`:
      Brown, W. F., Phys. Rev. 130, 1677-1686 (1963) (``Brown1963``); Butler, W. H., et
      al., IEEE Trans. Magn. 48, 4684-4700 (2012) (``Butler2012``); Scharfetter, D. L.
      and Gummel, H. K., IEEE Trans. Electron Devices 16, 64-77 (1969)
      (``ScharfetterGummel1969``); the result carries the same citation keys.

    Examples
    --------
    >>> from spinaps.device import preset, sample_variability, worst_of_n_pulse
    >>> ens = sample_variability(preset("Ikeda2010"), 100, spread={"diameter": 0.03}, seed=1)
    >>> t = worst_of_n_pulse(ens, 100e-6, 1e-9, 64)  # doctest: +SKIP
    >>> f"{float(t):.2g} s", t.attrs["method"]  # doctest: +SKIP
    ('1.9e-08 s', 'empirical')
    """
    _check_mtj(params)
    if params.n_devices < 2:
        raise ValueError(
            f"params must be an ensemble of at least 2 devices (e.g. from sample_variability), got {params.n_devices}"
        )
    _check_count("n_array", n_array)
    check_range("confidence", confidence, low=0.0, high=1.0)
    pulses = pulse_for_wer(params, i_write, target, temperature=temperature, **kw)
    out = _worst_of_n(pulses, n_array, confidence, stacklevel=4)
    out.name = "t_pulse"
    annotate(out, "s", f"pulse width for WER <= {target:g} on all of {n_array} devices (confidence {confidence:g})")
    cite = [key for key in pulses.attrs.get("citation_keys", "").split(", ") if key]
    return finalize(
        out,
        params=params,
        cite=cite,
        target=float(target),
        temperature=float(temperature),
        criterion=pulses.attrs.get("criterion", "end_state"),
    )
