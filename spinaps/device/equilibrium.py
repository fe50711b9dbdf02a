"""Boltzmann equilibrium of a uniaxial macrospin.

For the energy E = -K_eff V m_z^2 - mu0 M_s V H.m the equilibrium density over the unit
sphere (uniform solid-angle measure) is

    p(m) propto exp[Delta (m_z^2 + 2 h.m)],   h = H / H_K,eff

(Brown 1963; Garcia-Palacios and Lazaro 1998).  With the field along z it is uniform in
the azimuth and, in x = m_z, p(x) propto exp[Delta (x^2 + 2 h_z x)].  The initial well
of a device is the +z hemisphere m_z > 0, as in the Fokker-Planck solver
(:mod:`spinaps.device.fokker_planck`) and the switching criteria (m_z crossing 0).

Internal API: :func:`sample_quadratic_exponential` (x in [0, 1] with density
propto exp(a x^2 + b x), exactly), used by the samplers here.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, special, stats

from ..params import as_float_array

__all__ = ["sample_well", "sample_well_in_field", "mz2_mean", "fraction_up", "sample_initial_state"]


def sample_well(delta, rng, size=None):
    """Sample m_z from the Boltzmann density restricted to the +z well.

    Draws x in [0, 1] with density propto exp(Delta x^2), exactly, by rejection from
    the proposal propto exp(Delta x) (x^2 <= x on [0, 1]); the acceptance is >= 1/2.

    Parameters
    ----------
    delta : float or array
        Thermal stability factor(s) (> 0); an array gives one value per sample.
    rng : numpy.random.Generator
    size : int, optional
        Number of samples (default: ``len(delta)``).
    """
    delta = np.asarray(delta, dtype=float)
    size = delta.size if size is None else size
    delta = np.broadcast_to(delta, (size,))
    out = np.empty(size)
    todo = np.arange(size)
    while todo.size:
        d = delta[todo]
        u = rng.random(todo.size)
        # inverse CDF of the truncated exponential propto exp(d x) on [0, 1]
        x = 1.0 + np.log1p(-u * -np.expm1(-d)) / d
        x = np.where(d < 1e-12, rng.random(todo.size), x)
        accept = rng.random(todo.size) < np.exp(d * (x * x - x))
        out[todo[accept]] = x[accept]
        todo = todo[~accept]
    return np.clip(out, 0.0, 1.0)


def sample_quadratic_exponential(a, b, rng):
    """Exact samples of x in [0, 1] with density propto exp(a x^2 + b x) (internal API).

    One sample per element of the broadcast of ``a`` and ``b``.

    * a >= 0 (convex exponent): rejection from the chord, exp(a x^2 + b x) <=
      exp((a + b) x) on [0, 1] (x^2 <= x), i.e. a truncated exponential proposal drawn
      by its inverse CDF and accepted with probability exp(a (x^2 - x)).  The
      acceptance is (a + b) / (2 a + b) when the mass sits near x = 1 (a + b >> 1);
      it is at least 1/2 for b >= 0.
    * a < 0 (concave exponent): a normal of mean -b / (2 a) and variance 1 / (2 |a|)
      truncated to [0, 1], drawn by its inverse CDF (:data:`scipy.stats.truncnorm`).

    Parameters
    ----------
    a, b : float or array [1]
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray [1]
        Shaped as the broadcast of ``a`` and ``b``.
    """
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    shape = a.shape
    a, b = a.ravel(), b.ravel()
    out = np.empty(a.size)
    concave = a < 0
    if np.any(concave):
        ac, bc = a[concave], b[concave]
        mu, sd = -bc / (2.0 * ac), 1.0 / np.sqrt(-2.0 * ac)
        u = rng.random(ac.size)
        out[concave] = stats.truncnorm.ppf(u, (0.0 - mu) / sd, (1.0 - mu) / sd, loc=mu, scale=sd)
    todo = np.flatnonzero(~concave)
    while todo.size:
        lam, aa = a[todo] + b[todo], a[todo]
        u = rng.random(todo.size)
        small = np.abs(lam) < 1e-12
        safe = np.where(small, 1.0, lam)
        # inverse CDF of the truncated exponential propto exp(lam x) on [0, 1]
        with np.errstate(over="ignore"):
            x = np.where(
                safe > 0,
                1.0 + np.log1p(-u * -np.expm1(-safe)) / safe,
                np.log1p(u * np.expm1(safe)) / safe,
            )
        x = np.clip(np.where(small, u, x), 0.0, 1.0)
        accept = rng.random(todo.size) < np.exp(aa * (x * x - x))
        out[todo[accept]] = x[accept]
        todo = todo[~accept]
    return np.clip(out, 0.0, 1.0).reshape(shape)


def _log_i0(kappa):
    """ln I_0(kappa) without overflow (scipy's exponentially scaled i0e)."""
    kappa = np.asarray(kappa, dtype=float)
    return np.log(special.i0e(kappa)) + np.abs(kappa)


def _i0_tangent_slope(s0):
    """d ln I_0(sqrt s) / ds at s0: I_1(k) / (2 k I_0(k)), k = sqrt(s0) (1/4 at s0 = 0)."""
    k = np.sqrt(np.asarray(s0, dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = special.i1e(k) / (2.0 * k * special.i0e(k))
    return np.where(k < 1e-6, 0.25 - k * k / 32.0, slope)


def _typical_sin2(delta, hz, hp, n_grid=129):
    """A typical 1 - m_z^2 of the +z well in the field (the tangent point of the
    envelope of :func:`sample_well_in_field`; it sets the efficiency only).

    The mode x* of ln p(x) = Delta (x^2 + 2 h_z x) + ln I_0(2 Delta h_p sqrt(1 - x^2)) on a
    grid of [0, 1], per distinct (Delta, h_z, h_p); 1 - x*^2, but at least the thermal
    width 1 / (Delta (1 + |h_z|) + 1) of a well at the pole.
    """
    rows, inverse = np.unique(np.stack([delta, hz, hp], axis=1), axis=0, return_inverse=True)
    x = np.linspace(0.0, 1.0, n_grid)[None, :]
    out = np.empty(len(rows))
    for lo in range(0, len(rows), 4096):
        d, z, p = (rows[lo : lo + 4096, k : k + 1] for k in range(3))
        logp = d * (x * x + 2.0 * z * x) + _log_i0(2.0 * d * p * np.sqrt(1.0 - x * x))
        mode = x[0, np.argmax(logp, axis=1)]
        out[lo : lo + 4096] = np.maximum(1.0 - mode**2, 1.0 / (d[:, 0] * (1.0 + np.abs(z[:, 0])) + 1.0))
    return out[inverse.ravel()]


def sample_well_in_field(delta, h, rng, n):
    r"""Unit vectors (n, 3) from the Boltzmann equilibrium of the +z well in a field.

    Exact samples of the density propto exp[Delta (m_z^2 + 2 h.m)] restricted to
    m_z > 0, for a reduced field h = H / H_K,eff with any direction.

    Parameters
    ----------
    delta : float or array [1]
        Thermal stability factor(s) Delta (> 0), one per sample or shared.
    h : array-like, shape (3,) or (n, 3) [1]
        Reduced field H / H_K,eff (x, y, z), shared or one per sample.
    rng : numpy.random.Generator
    n : int
        Number of samples.

    Returns
    -------
    numpy.ndarray, shape (n, 3) [1]

    Notes
    -----
    With h_p = |(h_x, h_y)| and psi its azimuth, the density in (x = m_z, phi) is

    .. math::

       p(x, \phi) \propto e^{\Delta (x^2 + 2 h_z x)}\,
       e^{\kappa(x) \cos(\phi - \psi)}, \qquad \kappa(x) = 2 \Delta h_p \sqrt{1 - x^2},

    so the marginal of x is propto exp[Delta (x^2 + 2 h_z x)] I_0(kappa(x)) and, given x,
    phi - psi is von Mises distributed with concentration kappa(x) (drawn exactly by
    :meth:`numpy.random.Generator.vonmises`).  The marginal is sampled by rejection:
    ln I_0(sqrt s) is concave in s (I_1(k) / (k I_0(k)) decreases in k; Amos 1974), so
    its tangent at s_0 bounds it from above, and with s = kappa^2, linear in x^2, the
    envelope exp[a x^2 + b x] is of the same family as the axial density
    (:func:`sample_quadratic_exponential`), a = Delta - 4 beta Delta^2 h_p^2,
    b = 2 Delta h_z, beta the tangent slope.  A sample is accepted with probability
    exp[ln I_0(kappa) - tangent] <= 1.  The tangent point s_0 is the value of kappa^2
    at a typical 1 - x^2 of the well (at its mode, or its thermal width at the pole),
    where the envelope touches; it sets the efficiency only, never the distribution.

    References
    ----------
    * Brown, W. F., Phys. Rev. 130, 1677-1686 (1963); citation key ``Brown1963``.
    * Amos, D. E., "Computation of modified Bessel functions and their ratios",
      Math. Comp. 28, 239-251 (1974) (the monotone ratio I_1 / (k I_0)).
    """
    delta = np.broadcast_to(np.asarray(delta, dtype=float), (n,))
    h = np.asarray(as_float_array(h, "h"), dtype=float)
    h = np.broadcast_to(h, (n, 3))
    hz = h[:, 2]
    hp = np.hypot(h[:, 0], h[:, 1])
    psi = np.arctan2(h[:, 1], h[:, 0])
    coef = 4.0 * delta**2 * hp**2  # kappa^2 = coef (1 - x^2)
    s0 = coef * _typical_sin2(delta, hz, hp)
    beta = _i0_tangent_slope(s0)
    a = delta - beta * coef
    b = 2.0 * delta * hz
    mz = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        x = sample_quadratic_exponential(a[todo], b[todo], rng)
        s = coef[todo] * (1.0 - x * x)
        log_ratio = _log_i0(np.sqrt(s)) - (_log_i0(np.sqrt(s0[todo])) + beta[todo] * (s - s0[todo]))
        accept = rng.random(todo.size) < np.exp(np.minimum(log_ratio, 0.0))
        mz[todo[accept]] = x[accept]
        todo = todo[~accept]
    sin_t = np.sqrt(np.clip(1.0 - mz * mz, 0.0, 1.0))
    kappa = 2.0 * delta * hp * sin_t
    phi = np.where(hp > 0, psi + rng.vonmises(0.0, kappa), rng.uniform(0.0, 2.0 * np.pi, n))
    return np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), mz], axis=1)


def sample_initial_state(delta, rng, n, h=None):
    """Unit vectors (n, 3) drawn from thermal equilibrium in the +z well.

    Parameters
    ----------
    delta : float or array [1]
        Thermal stability factor(s).
    rng : numpy.random.Generator
    n : int
        Number of samples.
    h : array-like, shape (3,) or (n, 3), optional [1]
        Reduced applied field H / H_K,eff; ``None`` (or zero) gives the zero-field
        state, uniform in the azimuth (:func:`sample_well`).  Otherwise
        :func:`sample_well_in_field`.
    """
    if h is not None and np.any(np.asarray(h, dtype=float) != 0.0):
        return sample_well_in_field(delta, h, rng, n)
    mz = sample_well(delta, rng, n)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    sin_t = np.sqrt(np.clip(1.0 - mz * mz, 0.0, 1.0))
    return np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), mz], axis=1)


def mz2_mean(delta):
    """<m_z^2> at equilibrium, zero field: e^Delta / (2 Delta F) - 1 / (2 Delta).

    F(Delta) = int_0^1 e^{Delta x^2} dx = e^Delta D(sqrt Delta) / sqrt Delta with D the
    Dawson function, so <m_z^2> = sqrt(Delta) / (2 Delta D(sqrt Delta)) - 1 / (2 Delta).
    """
    delta = np.asarray(delta, dtype=float)
    s = np.sqrt(delta)
    return s / (2.0 * delta * special.dawsn(s)) - 1.0 / (2.0 * delta)


def fraction_up(delta, h=0.0):
    """Equilibrium probability P(m_z > 0) with a reduced field h = H_z / H_K,eff along +z."""

    def weight(lo, hi):
        return integrate.quad(
            lambda x: np.exp(delta * (x * x + 2 * h * x - 1 - 2 * abs(h))), lo, hi, epsabs=0, epsrel=1e-12
        )[0]

    up, down = weight(0.0, 1.0), weight(-1.0, 0.0)
    return up / (up + down)
