"""Compiled activity statistics of a block of input spike frames (for
:func:`spinaps.network.evaluate`).

One pass over the 0/1 float32 frames gives what the evaluation otherwise takes from
three numpy passes (two matrix-vector products and the kernel-window OR of
``window_inputs``): the spikes of each input, the spikes of each frame, and the inputs
that spiked within the kernel window of each output step.  All three are exact integer
counts, equal to the numpy ones (checked in ``tests/unit/network/test_activity_kernel.py``).
"""

from __future__ import annotations

import numpy as np

from .._jit import njit

__all__ = []


@njit(nogil=True)
def frame_activity(frames, n_steps, tau, per_input, per_frame, window):  # pragma: no cover - compiled
    """Spike counts of a block of frames, added to ``per_input`` and set in the others.

    Parameters
    ----------
    frames : numpy.ndarray of float32 (b T, N)
        The frames, sample-major: frames[s T + t', i] = 1 if input i of sample s spiked
        in frame t' (0 otherwise).
    n_steps : int
        T.
    tau : int [time steps]
        The kernel window: output step t (0-based) sees frames t - tau + 1 ... t
        (``window_inputs``).
    per_input : numpy.ndarray of int64 (N,)
        Incremented by each input's spikes over the block.
    per_frame, window : numpy.ndarray of int64 (b, T)
        Set to the spikes of each frame, and to the inputs that spiked at least once in
        frames t - tau + 1 ... t.
    """
    n_in = frames.shape[1]
    last = np.empty(n_in, dtype=np.int64)
    for s in range(per_frame.shape[0]):
        last[:] = -tau  # no spike yet: t - last >= tau for every t >= 0
        for t in range(n_steps):
            row = frames[s * n_steps + t]
            spikes = 0
            active = 0
            for i in range(n_in):
                if row[i] != 0.0:
                    last[i] = t
                    per_input[i] += 1
                    spikes += 1
                if t - last[i] < tau:
                    active += 1
            per_frame[s, t] = spikes
            window[s, t] = active
