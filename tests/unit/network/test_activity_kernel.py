"""The compiled activity counts of a block of frames against their numpy definitions
(exact integers: equality is required)."""

import numpy as np
import pytest

from spinaps.network._activity_kernel import frame_activity
from spinaps.network.snn import window_inputs


@pytest.mark.parametrize("n_steps, tau", [(8, 8), (8, 4), (8, 1), (5, 12), (16, 3)])
def test_counts_equal_the_numpy_ones(n_steps, tau):
    rng = np.random.default_rng(n_steps * 100 + tau)
    spikes = rng.random((7, n_steps, 33)) < rng.random(33)  # inputs of many rates, some never
    spikes[:, :, 0] = False
    spikes[:, :, 1] = True
    per_input = np.full(33, 5, dtype=np.int64)  # incremented, not overwritten
    per_frame, window = np.empty((7, n_steps), dtype=np.int64), np.empty((7, n_steps), dtype=np.int64)
    frame_activity(spikes.astype(np.float32).reshape(-1, 33), n_steps, tau, per_input, per_frame, window)
    np.testing.assert_array_equal(per_input, 5 + spikes.sum(axis=(0, 1)))
    np.testing.assert_array_equal(per_frame, spikes.sum(axis=2))
    np.testing.assert_array_equal(window, window_inputs(spikes, tau))
