"""The UCI HAR protocol rebuilt from the raw HAPT recordings: filters, windows, split.

UCI HAR (Anguita, Ghio, Oneto, Parra and Reyes-Ortiz, ESANN 2013) cut the 50 Hz
smartphone signals of 30 volunteers into windows of 2.56 s (128 samples) with 50 %
overlap, after noise filters, and separated gravity from body acceleration with a
0.3 Hz Butterworth low-pass; its README and ``features_info.txt`` state the noise
filters as "a median filter and a 3rd order low pass Butterworth filter with a corner
frequency of 20 Hz".  The raw recordings it was cut from are those of UCI HAPT
(Reyes-Ortiz, Oneto, Sama, Parra and Anguita, Neurocomputing 2016), read by
:mod:`spinaps.network.hapt`.  Here, per recording:

1. **Noise filters** on the accelerometer and the gyroscope: a running median of
   :data:`MEDIAN_KERNEL` = 3 samples (the kernel size is assumed: UCI does not state
   it), then a 3rd-order Butterworth low-pass at 20 Hz (UCI), applied forward and
   backward (zero phase; assumed: UCI does not say whether its filters were causal).
   The filtered accelerometer is ``total_acc`` [g], the filtered gyroscope
   ``body_gyro`` [rad/s] (UCI's names).
2. **Gravity**: a Butterworth low-pass at :data:`GRAVITY_CUTOFF` = 0.3 Hz (UCI) of
   ``total_acc``, of order :data:`GRAVITY_ORDER` = 3 (assumed: UCI does not state the
   order), zero phase; ``body_acc = total_acc - gravity``.
3. **Windows**: every maximal run of consecutive samples with the same label 1-6 (the
   six activities; the transitions 7-12 and unlabelled samples -1 are left out) is cut
   into windows of :data:`WINDOW` = 128 samples starting every :data:`STEP` = 64
   samples from the run's first sample; a run's tail shorter than a window is dropped.
   The filters run over the whole recording first, so a window's filtered values near
   a run's ends have seen the neighbouring samples (as filtering before windowing
   does).
4. **Split**: UCI's subject-wise split -- test subjects :data:`TEST_SUBJECTS` (2, 4,
   9, 10, 12, 13, 18, 20, 24: the ``subject_test.txt`` of the UCI HAR distribution,
   9 of 30 volunteers, 2,947 of its 10,299 windows), the other 21 for training.

The published window counts per class (:data:`UCI_COUNTS`) are the reference against
which :func:`windows` is compared in the tests and in ``docs/network.md``.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import median_filter
from scipy.signal import butter, sosfiltfilt

from ..params import check_int

__all__ = [
    "ACTIVITIES",
    "CHANNELS",
    "GRAVITY_CUTOFF",
    "GRAVITY_ORDER",
    "MEDIAN_KERNEL",
    "NOISE_CUTOFF",
    "NOISE_ORDER",
    "SAMPLE_RATE",
    "STEP",
    "TEST_SUBJECTS",
    "UCI_COUNTS",
    "WINDOW",
    "labelled_runs",
    "separate",
    "window_starts",
    "windows",
]

#: Sampling rate of the smartphone's accelerometer and gyroscope [Hz] (Anguita et al. 2013).
SAMPLE_RATE = 50.0
#: Window length and hop [samples]: 2.56 s with 50 % overlap (Anguita et al. 2013).
WINDOW, STEP = 128, 64
#: Noise low-pass: 3rd-order Butterworth at 20 Hz (UCI HAR ``features_info.txt``).
NOISE_ORDER, NOISE_CUTOFF = 3, 20.0
#: Median filter kernel [samples] (assumed; UCI names a median filter without its size).
MEDIAN_KERNEL = 3
#: Gravity low-pass: Butterworth at 0.3 Hz (UCI HAR); the order 3 is assumed.
GRAVITY_ORDER, GRAVITY_CUTOFF = 3, 0.3
#: UCI HAR's test volunteers (``subject_test.txt`` of the UCI HAR distribution).
TEST_SUBJECTS = (2, 4, 9, 10, 12, 13, 18, 20, 24)
#: The six activities, labels 1 ... 6 (UCI HAR ``activity_labels.txt``).
ACTIVITIES = ("WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING", "STANDING", "LAYING")
#: UCI HAR's published windows per activity (``y_train.txt``, ``y_test.txt``): 7,352 + 2,947.
UCI_COUNTS = {"train": (1226, 1073, 986, 1286, 1374, 1407), "test": (496, 471, 420, 491, 532, 537)}
#: The nine channels of a raw window, in the order of UCI HAR's "Inertial Signals" files.
CHANNELS = tuple(f"{s}_{a}" for s in ("body_acc", "body_gyro", "total_acc") for a in "xyz")


def _lowpass(x, order, cutoff):
    sos = butter(order, cutoff, btype="low", fs=SAMPLE_RATE, output="sos")
    return sosfiltfilt(sos, x, axis=0)


def separate(acc, gyro):
    """The filtered signals of one recording: body and total acceleration, angular velocity.

    Parameters
    ----------
    acc : array_like (n, 3) [g]
        Raw accelerometer x, y, z at :data:`SAMPLE_RATE`.
    gyro : array_like (n, 3) [rad/s]
        Raw gyroscope x, y, z.

    Returns
    -------
    ndarray (n, 9)
        ``body_acc`` x, y, z [g], ``body_gyro`` x, y, z [rad/s], ``total_acc`` x, y, z
        [g] (:data:`CHANNELS`): median filter and 20 Hz Butterworth noise filter, then
        ``body_acc = total_acc - lowpass_0.3Hz(total_acc)`` (module notes).

    Raises
    ------
    ValueError
        If the signals are not (n, 3) of the same n, or too short to filter (n < 30).
    """
    acc, gyro = np.asarray(acc, dtype=np.float64), np.asarray(gyro, dtype=np.float64)
    if acc.ndim != 2 or acc.shape[1] != 3 or gyro.shape != acc.shape:
        raise ValueError(f"acc and gyro must both be (n, 3); got {acc.shape}, {gyro.shape}")
    if len(acc) < 30:
        raise ValueError(f"a recording of {len(acc)} samples is too short to filter (at least 30)")

    def denoise(x):
        return _lowpass(median_filter(x, size=(MEDIAN_KERNEL, 1), mode="nearest"), NOISE_ORDER, NOISE_CUTOFF)

    total, body_gyro = denoise(acc), denoise(gyro)
    body = total - _lowpass(total, GRAVITY_ORDER, GRAVITY_CUTOFF)
    return np.concatenate([body, body_gyro, total], axis=1)


def labelled_runs(label):
    """Maximal runs of consecutive samples with the same activity label 1 ... 6.

    Parameters
    ----------
    label : array_like of int (n,)
        Per-sample labels (1-6 activities; anything else ends a run and is skipped).

    Returns
    -------
    list of (int, int, int)
        (start, stop, activity) with ``label[start:stop] == activity``.

    Examples
    --------
    >>> from spinaps.network.har import labelled_runs
    >>> labelled_runs([-1, 5, 5, 5, 7, 7, 5, 1, 1])
    [(1, 4, 5), (6, 7, 5), (7, 9, 1)]
    """
    label = np.asarray(label)
    edges = np.flatnonzero(np.diff(label)) + 1
    starts = np.concatenate([[0], edges])
    stops = np.concatenate([edges, [len(label)]])
    return [(int(a), int(b), int(label[a])) for a, b in zip(starts, stops) if len(label) and 1 <= label[a] <= 6]


def window_starts(length, window=WINDOW, step=STEP):
    """Start offsets of the windows of ``window`` samples every ``step`` in a run.

    Parameters
    ----------
    length : int [samples]
        The run's length.
    window, step : int [samples]
        Window length and hop (default 128 and 64).

    Returns
    -------
    ndarray of int
        0, step, 2 step, ... while ``start + window <= length``:
        ``floor((length - window) / step) + 1`` windows (none if the run is shorter).

    Examples
    --------
    >>> from spinaps.network.har import window_starts
    >>> window_starts(300).tolist(), window_starts(127).tolist()
    ([0, 64, 128], [])
    """
    check_int("window", window, 1, 1_000_000)
    check_int("step", step, 1, 1_000_000)
    return np.arange(0, max(int(length) - window + 1, 0), step)


def windows(recordings):
    """The UCI HAR windows of the HAPT recordings (module notes).

    Parameters
    ----------
    recordings : sequence of spinaps.network.hapt.Recording
        The raw recordings (:func:`spinaps.network.hapt.read_recordings`).

    Returns
    -------
    dict of str to ndarray
        ``signals`` (windows, 9, 128) float32 in the :data:`CHANNELS` order ([g] for
        the accelerations, [rad/s] for the angular velocity); ``label`` (windows,)
        the activity 1-6; ``subject`` (windows,); ``recording`` (windows,) the
        recording's index; ``start`` (windows,) the first sample in the recording.
    """
    parts = {k: [] for k in ("signals", "label", "subject", "recording", "start")}
    for rec in recordings:
        filtered = separate(rec.acc, rec.gyro)
        for start, stop, activity in labelled_runs(rec.label):
            offsets = start + window_starts(stop - start)
            if not len(offsets):
                continue
            idx = offsets[:, None] + np.arange(WINDOW)
            parts["signals"].append(filtered[idx].transpose(0, 2, 1).astype(np.float32))
            parts["label"].append(np.full(len(offsets), activity, dtype=np.int64))
            parts["subject"].append(np.full(len(offsets), rec.subject, dtype=np.int64))
            parts["recording"].append(np.full(len(offsets), rec.index, dtype=np.int64))
            parts["start"].append(offsets.astype(np.int64))
    if not parts["signals"]:
        raise ValueError("no labelled run of activities 1-6 is as long as one window (128 samples)")
    return {k: np.concatenate(v) for k, v in parts.items()}
