"""Boltzmann equilibrium of a uniaxial macrospin.

For the energy E = -K_eff V m_z^2 - mu0 M_s H_z V m_z the equilibrium density over the
unit sphere is uniform in the azimuth and, in x = m_z (uniform solid-angle measure),

    p(x) propto exp[Delta (x^2 + 2 h x)],   h = H_z / H_K,eff

(Brown 1963; Garcia-Palacios and Lazaro 1998).
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, special

__all__ = ["sample_well", "mz2_mean", "fraction_up", "sample_initial_state"]


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


def sample_initial_state(delta, rng, n):
    """Unit vectors (n, 3) drawn from thermal equilibrium in the +z well (uniform azimuth)."""
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
