"""Fix 1.4: mean_switching_time(method="thermal") is the mean first passage to the equator.

At i = 0 the barrier top is the equator and half of Brown's escape time is right; at
i > 0 the barrier top is at m_z = i, so reaching m_z = 0 takes the whole escape.  The old
code used half the escape time at every current (a factor 2 short for i sqrt(Delta) >> 1).
"""

import numpy as np
import pytest

from spinaps.device.switching import (
    commit_probability,
    first_passage_time,
    mean_first_passage_reduced,
    mean_switching_time,
    thermal_escape_time,
)

from .conftest import small_device, with_delta


@pytest.mark.parametrize("delta", [40.0, 60.0])
@pytest.mark.parametrize("i", [0.0, 0.05, 0.1, 0.2, 0.4, 0.6])
def test_thermal_mean_switching_time_matches_quadrature(bench, delta, i):
    p = with_delta(bench, delta)
    current = i * float(p.at_temperature(300.0).ic0)
    thermal = float(mean_switching_time(p, current, method="thermal"))
    exact = float(first_passage_time(p, current))
    # Tolerance 1.5 / (Delta (1 - i)^2): Brown's high-barrier prefactor carries a relative
    # error of the order of 1 / barrier (Coffey et al. 1994); the measured errors are
    # 2.6 % (i = 0) to 20 % (i = 0.6) at Delta = 40, all below this bound.
    tol = 1.5 / (delta * (1.0 - i) ** 2)
    assert thermal == pytest.approx(exact, rel=tol)


@pytest.mark.parametrize("i,ratio", [(0.2, 0.977), (0.4, 1.0)])
def test_thermal_mean_switching_time_is_full_escape_above_zero_current(bench, i, ratio):
    # Regression: the old code returned 0.5 x tau at every current.  With Delta = 50 the
    # commit probability (1 + erf(i sqrt(Delta))) / 2 is 0.977 at i = 0.2 and 1 - 3e-5 at
    # i = 0.4 (tolerance 1e-3: the rounding of the quoted ratio).
    current = i * float(bench.at_temperature(300.0).ic0)
    tau = float(thermal_escape_time(bench, current))
    t = float(mean_switching_time(bench, current, method="thermal"))
    assert t / tau == pytest.approx(ratio, abs=1e-3)


def test_thermal_mean_switching_time_is_half_escape_at_zero_current(bench):
    tau = float(thermal_escape_time(bench, 0.0))
    assert float(mean_switching_time(bench, 0.0, method="thermal")) == pytest.approx(0.5 * tau, rel=1e-12)


def test_commit_probability_limits_and_quadrature():
    # Exact splitting probability of the 1-D diffusion at the equator, by quadrature of
    # exp(U) / (1 - x^2) between the well bottoms (Hanggi et al. 1990, Eq. 4.5); the
    # barrier-top Gaussian form agrees to 1 / Delta (the curvature of D(x) and the
    # non-Gaussian tails of exp(U) are the first corrections).
    delta = 60.0
    x = np.linspace(-0.98, 0.98, 200_001)
    for j in (0.0, 0.05, 0.1, 0.2):
        w = np.exp(delta * (2 * j * x - x * x) - delta * j * j) / (1 - x * x)
        cdf = np.cumsum(w)
        exact = 1.0 - cdf[np.searchsorted(x, 0.0)] / cdf[-1]
        assert float(commit_probability(delta, j)) == pytest.approx(exact, abs=1.0 / delta)
    assert float(commit_probability(delta, 0.0)) == 0.5
    assert float(commit_probability(delta, 0.9)) == pytest.approx(1.0, abs=1e-12)


def test_mean_switching_time_thermal_small_device_quadrature():
    # A second device (Delta = 30, different tau_D) through the reduced quadrature.
    p = small_device(30.0, 0.05)
    ic0 = float(p.at_temperature(300.0).ic0)
    for i in (0.1, 0.3):
        t = float(mean_switching_time(p, i * ic0, method="thermal"))
        exact = float(p.at_temperature(300.0).tau_d) * float(mean_first_passage_reduced(30.0, i))
        assert t == pytest.approx(exact, rel=1.5 / (30.0 * (1.0 - i) ** 2))  # as above
