"""Shared devices for the device-layer tests."""

import dataclasses

import numpy as np
import pytest

from spinaps.device import MTJParams, preset
from spinaps.device.presets import ku_for_delta


def small_device(delta, alpha, diameter=10e-9, thickness=1e-9, ms=1e6):
    """A 10 nm x 1 nm free layer with thermal stability ``delta`` at 300 K.

    Its small volume gives a large H_K,eff (about 4e5 A/m at Delta = 5) and a damping
    time of tens of ps, so thermally activated escapes happen within nanoseconds.
    """
    return MTJParams(
        diameter=diameter,
        thickness=thickness,
        ms=ms,
        ku=ku_for_delta(delta, diameter=diameter, thickness=thickness, ms=ms),
        alpha=alpha,
        polarization=0.6,
        ra=5e-12,
        tmr0=1.0,
        v_half=0.5,
    )


def with_delta(p, delta):
    """``p`` with K_u re-solved for thermal stability ``delta`` at 300 K."""
    return dataclasses.replace(p, ku=ku_for_delta(delta, diameter=p.diameter, thickness=p.thickness, ms=p.ms))


@pytest.fixture
def bench():
    """The benchmark device: 40 nm x 1.3 nm, Delta = 50, alpha = 0.01, P = 0.6."""
    return preset("benchmark")


def tilt(theta):
    """Unit vector at polar angle ``theta`` [rad] in the x-z plane."""
    return np.array([np.sin(theta), 0.0, np.cos(theta)])
