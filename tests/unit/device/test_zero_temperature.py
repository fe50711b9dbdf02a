"""Zero temperature (the thermal field off) works for every preset, including those with
a temperature law: ``MTJParams.at_temperature(0)`` re-expresses the parameters at 0 K
(``t_ref = 0``) instead of refusing them."""

import numpy as np
import pytest

from spinaps.device import preset, presets, simulate


@pytest.mark.parametrize("name", sorted(presets))
def test_simulate_at_zero_kelvin_for_every_preset(name):
    ds = simulate(preset(name), 0.0, 2e-11, dt=2e-13, temperature=0.0, m0=[0.05, 0.0, 0.9987])
    mz = ds.mz.values
    # No current, no thermal field: the tilted state relaxes towards +z, |m| stays 1.
    assert np.all(np.isfinite(mz)) and mz[..., -1].item() >= mz[..., 0].item() - 1e-12
    assert ds.attrs["temperature"] == 0.0


def test_zero_kelvin_round_trip_of_a_temperature_law():
    """At 0 K the Bloch and Shang laws give M_s(0) and TMR(0); converting back to the
    reference temperature recovers the preset (relative 1e-12: two float conversions)."""
    p = preset("Ikeda2010")
    assert p.tmr_bloch_coefficient is not None
    cold = p.at_temperature(0.0)
    assert float(cold.t_ref) == 0.0 and float(cold.tmr0) > float(p.tmr0)  # TMR rises on cooling
    back = cold.at_temperature(float(p.t_ref))
    for field in ("ms", "ku", "tmr0"):
        assert float(getattr(back, field)) == pytest.approx(float(getattr(p, field)), rel=1e-12), field


def test_the_cold_state_without_a_tilt_is_exactly_up():
    ds = simulate(preset("Ikeda2010"), 0.0, 1e-11, dt=2e-13, temperature=0.0, n_devices=3)
    np.testing.assert_array_equal(ds.mz.isel(time=0).values, 1.0)
