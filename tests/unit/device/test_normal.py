"""The counter-based normal numbers of the LLGS kernel (spinaps.device._normal).

Statistical checks use a fixed seed and k = 4 sigma bounds on N = 3 x 2048 x 400 =
2,457,600 numbers, so each bound fails by chance with probability about 6e-5 per draw
of the seed and never for the fixed one; a wrong transform (a 1 % error in the
variance, a missing tail) exceeds them many times over.
"""

import math

import numpy as np
import pytest
from numba import njit
from scipy import stats

from spinaps.device import _normal

SEED = np.uint64(20261201)
N_DEV, N_STEP = 2048, 400


@pytest.fixture(scope="module")
def draws():
    out = np.empty((N_STEP, 3, N_DEV))
    _normal.fill(out, SEED, 0, 0)
    return out


@njit(error_model="numpy")
def _log_of(u):
    out = np.empty_like(u)
    for i in range(u.size):
        out[i] = _normal.log_unit(u[i])
    return out


@njit(error_model="numpy")
def _direction_of(a):
    c = np.empty(a.size)
    s = np.empty(a.size)
    for i in range(a.size):
        c[i], s[i] = _normal.direction(a[i])
    return c, s


@njit(error_model="numpy")
def _radius_of(r):
    out = np.empty(r.size)
    for i in range(r.size):
        out[i] = _normal.radius(r[i])
    return out


def test_moments_are_those_of_the_standard_normal(draws):
    x = draws.ravel()
    n = x.size
    # sampling standard deviations of the k-th moment estimates: sqrt(Var(x^k) / n) with
    # Var(x) = 1, Var(x^2) = 2, Var(x^3) = 15, Var(x^4) = 105 - 9 = 96
    assert abs(x.mean()) < 4 * math.sqrt(1 / n)
    assert abs((x**2).mean() - 1.0) < 4 * math.sqrt(2 / n)
    assert abs((x**3).mean()) < 4 * math.sqrt(15 / n)
    assert abs((x**4).mean() - 3.0) < 4 * math.sqrt(96 / n)


@pytest.mark.parametrize("k", [1.0, 2.0, 3.0, 4.0, 4.5])
def test_tail_probabilities(draws, k):
    x = draws.ravel()
    p = 2 * stats.norm.sf(k)  # P(|X| > k): 0.317 ... 6.8e-6 (17 expected beyond 4.5)
    observed = np.count_nonzero(np.abs(x) > k)
    assert abs(observed - p * x.size) < 4 * math.sqrt(x.size * p * (1 - p))


def test_distribution_passes_kolmogorov_smirnov(draws):
    # fixed seed: the p-value is a fixed number; 1e-3 rejects a 0.5 % scale error of this size
    assert stats.kstest(draws[:, :, :256].ravel(), "norm").pvalue > 1e-3


def test_components_steps_and_devices_are_uncorrelated(draws):
    def corr(a, b):
        a, b = a.ravel(), b.ravel()
        r = np.corrcoef(a, b)[0, 1]
        return abs(r) * math.sqrt(a.size)  # ~ N(0, 1) for independent numbers

    assert corr(draws[:, 0], draws[:, 1]) < 4  # x, y: the same Box-Muller pair
    assert corr(draws[:, 0], draws[:, 2]) < 4
    assert corr(draws[:, 1], draws[:, 2]) < 4
    assert corr(draws[1:, 2], draws[:-1, 2]) < 4  # consecutive steps
    assert corr(draws[:, :, 1:], draws[:, :, :-1]) < 4  # neighbouring devices
    # squares: Box-Muller pairs share a radius, so dependence would show in x^2, y^2
    assert corr(draws[:, 0] ** 2, draws[:, 1] ** 2) < 4


def test_stream_of_a_device_does_not_depend_on_the_chunk(draws):
    part = np.empty((50, 3, 100))
    _normal.fill(part, SEED, 1000, 200)  # devices 1000..1099 from step 200
    np.testing.assert_array_equal(part, draws[200:250, :, 1000:1100])
    other = np.empty((50, 3, 100))
    _normal.fill(other, SEED + np.uint64(1), 1000, 200)
    assert not np.any(other == part)


def test_logarithm_is_accurate_to_rounding():
    # 1e6 uniforms and the extremes of the radius input 2^-53 and 1 - 2^-53; the
    # atanh series is truncated below 1e-15 relative (module notes), plus rounding
    rng = np.random.default_rng(0)
    u = np.r_[rng.random(10**6) + 2.0**-53, 2.0**-53, 1 - 2.0**-53, 0.7071067811865476, 1.4142135623730951 / 2]
    ref = np.log(u)
    assert np.max(np.abs(_log_of(u) - ref) / np.abs(ref)) < 4e-15


def test_direction_is_a_unit_vector_at_the_right_angle():
    a = np.random.default_rng(1).integers(0, 2**32, 10**5, dtype=np.uint64)
    c, s = _direction_of(a)
    q = (a >> np.uint64(30)).astype(float)
    v = ((a & np.uint64(2**30 - 1)).astype(float) + 0.5) * 2.0**-30
    theta = (v - 0.5) * math.pi / 2 + q * math.pi / 2
    # Taylor remainders below 5e-17 (module notes); the rest is rounding of |phi| <= pi/4
    np.testing.assert_allclose(c, np.cos(theta), rtol=0, atol=1e-15)
    np.testing.assert_allclose(s, np.sin(theta), rtol=0, atol=1e-15)


def test_radius_range_is_that_of_53_bit_uniforms():
    r = _radius_of(np.array([0, 2**64 - 1], dtype=np.uint64))
    # U = 2^-53 (smallest) gives sqrt(2 * 53 ln 2) = 8.57; U = 1 - 2^-53 (largest, not 1)
    # gives sqrt(2 * 2^-53) = 2^-26 = 1.49e-8; rel: rounding of ln near 1 and of sqrt
    assert r[0] == pytest.approx(math.sqrt(2 * 53 * math.log(2)), rel=1e-14)
    assert r[1] == pytest.approx(2.0**-26, rel=1e-12)
