r"""The 561 UCI HAR features of a window, in UCI's order and with UCI's names.

UCI HAR (Anguita et al., ESANN 2013) describes each 2.56 s window by 561 time- and
frequency-domain variables (its ``features_info.txt`` and ``features.txt``).
:func:`features` computes the same list, in the same order, from the nine raw
channels of a window (:data:`spinaps.network.har.CHANNELS`), so that feature ``i``
here is feature ``i + 1`` of UCI's ``features.txt`` (:data:`FEATURE_NAMES` are UCI's
names; the only change: the ``bandsEnergy()`` names, repeated for X, Y and Z in
UCI's list, get the axis appended, e.g. ``fBodyAcc-bandsEnergy()-1,8-X``, so that
every name is unique).  UCI gives the functions by a phrase each; where that leaves
the definition open, the choice below is ours (marked *ours*), so the values are in
the spirit of UCI's, not equal to them.

Signals (per window of N = 128 samples at f_s = 50 Hz)
------------------------------------------------------
* ``tBodyAcc-XYZ`` = body_acc, ``tGravityAcc-XYZ`` = total_acc - body_acc (the 0.3 Hz
  low-pass), ``tBodyGyro-XYZ`` = body_gyro;
* jerks ``tBodyAccJerk-XYZ``, ``tBodyGyroJerk-XYZ``: the time derivative, f_s times
  :func:`numpy.gradient` along the window (central differences, one-sided at the two
  ends; *ours*);
* magnitudes ``t...Mag``: the Euclidean norm over x, y, z;
* spectra ``f...``: abs(FFT) / N of the window, the first 64 bins k = 0 ... 63
  (frequencies k f_s / N = 0 ... 24.6 Hz; UCI's "64 bins"), no window function, the
  mean not removed (*ours*).  ``fBodyAccMag``, ``fBodyBodyAccJerkMag``,
  ``fBodyBodyGyroMag``, ``fBodyBodyGyroJerkMag`` are the spectra of the magnitudes
  (UCI's names, with its doubled "Body").

Functions (over the N samples, or the 64 bins of a spectrum)
------------------------------------------------------------
* ``mean()``, ``std()`` (population, ddof = 0; *ours*), ``max()``, ``min()``;
* ``mad()``: median absolute deviation, median(abs(x - median(x)));
* ``sma()``: signal magnitude area, mean of abs(x) + abs(y) + abs(z) (of abs(x) for a magnitude);
* ``energy()``: sum of squares / number of values (UCI's definition);
* ``iqr()``: interquartile range, 75th - 25th percentile (linear interpolation);
* ``entropy()``: Shannon entropy (nats) of the energy distribution
  p_i = x_i^2 / sum x^2 over the samples or bins (*ours*: UCI says "signal entropy");
* ``arCoeff()``: the 4 coefficients a_1 ... a_4 of the autoregressive model
  x_t + a_1 x_{t-1} + ... + a_4 x_{t-4} = e_t by Burg's method (UCI: "Burg order equal
  to 4"; the sign convention of MATLAB's ``arburg``);
* ``correlation()``: Pearson correlation of two axes (0 if one is constant);
* ``maxInds``: the bin k of the largest magnitude;
* ``meanFreq()``: sum_k f_k abs(X_k) / sum_k abs(X_k) [Hz];
* ``skewness()``, ``kurtosis()``: of the 64 magnitudes taken as samples (kurtosis not
  in excess: 3 for a normal sample; *ours*);
* ``bandsEnergy()``: ``energy()`` of the bins a ... b (1-based, UCI's 14 bands 1-8,
  9-16, ..., 57-64, 1-16, ..., 49-64, 1-24, 25-48) of each axis;
* ``angle(u, v)``: arccos(u . v / (norm(u) norm(v))) [rad] between window means:
  tBodyAccMean, tBodyAccJerkMean, tBodyGyroMean, tBodyGyroJerkMean or the X, Y, Z
  axis, against gravityMean (the mean of tGravityAcc).

Block sizes (as UCI): 40 per t-XYZ signal (5 signals: 200), 13 per t-magnitude (5:
65), 79 per f-XYZ signal (3: 237), 13 per f-magnitude (4: 52), 7 angles: 561.

References
----------
* D. Anguita, A. Ghio, L. Oneto, X. Parra and J. L. Reyes-Ortiz, "A public domain
  dataset for human activity recognition using smartphones", ESANN (2013); citation
  key ``Anguita2013``.
* J. P. Burg, "Maximum entropy spectral analysis", 37th Meeting of the Society of
  Exploration Geophysicists (1967) (the AR estimate; not in ``references.bib``).
"""

from __future__ import annotations

import numpy as np

from .har import SAMPLE_RATE, WINDOW

__all__ = ["FEATURE_NAMES", "N_FEATURES", "N_BINS", "BANDS", "burg", "features"]

#: Spectrum bins used per window (UCI: "the 64 bins of the FFT of each window").
N_BINS = 64
#: UCI's bandsEnergy() intervals of bins, 1-based inclusive.
BANDS = tuple([(a, a + 7) for a in range(1, 64, 8)] + [(a, a + 15) for a in range(1, 64, 16)] + [(1, 24), (25, 48)])
_AXES = "XYZ"
_T_XYZ = ("tBodyAcc", "tGravityAcc", "tBodyAccJerk", "tBodyGyro", "tBodyGyroJerk")
_T_MAG = ("tBodyAccMag", "tGravityAccMag", "tBodyAccJerkMag", "tBodyGyroMag", "tBodyGyroJerkMag")
_F_XYZ = ("fBodyAcc", "fBodyAccJerk", "fBodyGyro")
_F_MAG = ("fBodyAccMag", "fBodyBodyAccJerkMag", "fBodyBodyGyroMag", "fBodyBodyGyroJerkMag")
_ANGLES = (
    "angle(tBodyAccMean,gravity)",
    "angle(tBodyAccJerkMean),gravityMean)",
    "angle(tBodyGyroMean,gravityMean)",
    "angle(tBodyGyroJerkMean,gravityMean)",
    "angle(X,gravityMean)",
    "angle(Y,gravityMean)",
    "angle(Z,gravityMean)",
)
_BASIC = ("mean", "std", "mad", "max", "min")


def _names():
    names = []
    for s in _T_XYZ:
        names += [f"{s}-{fn}()-{a}" for fn in _BASIC for a in _AXES] + [f"{s}-sma()"]
        names += [f"{s}-{fn}()-{a}" for fn in ("energy", "iqr", "entropy") for a in _AXES]
        names += [f"{s}-arCoeff()-{a},{k}" for a in _AXES for k in range(1, 5)]
        names += [f"{s}-correlation()-{p}" for p in ("X,Y", "X,Z", "Y,Z")]
    for s in _T_MAG:
        names += [f"{s}-{fn}()" for fn in (*_BASIC, "sma", "energy", "iqr", "entropy")]
        names += [f"{s}-arCoeff(){k}" for k in range(1, 5)]
    for s in _F_XYZ:
        names += [f"{s}-{fn}()-{a}" for fn in _BASIC for a in _AXES] + [f"{s}-sma()"]
        names += [f"{s}-{fn}()-{a}" for fn in ("energy", "iqr", "entropy") for a in _AXES]
        names += [f"{s}-maxInds-{a}" for a in _AXES] + [f"{s}-meanFreq()-{a}" for a in _AXES]
        names += [f"{s}-{fn}()-{a}" for a in _AXES for fn in ("skewness", "kurtosis")]
        names += [f"{s}-bandsEnergy()-{lo},{hi}-{a}" for a in _AXES for lo, hi in BANDS]
    for s in _F_MAG:
        names += [f"{s}-{fn}()" for fn in (*_BASIC, "sma", "energy", "iqr", "entropy")]
        names += [f"{s}-maxInds", f"{s}-meanFreq()", f"{s}-skewness()", f"{s}-kurtosis()"]
    return tuple(names + list(_ANGLES))


#: The 561 feature names, UCI's (``features.txt`` order; bandsEnergy with the axis appended).
FEATURE_NAMES = _names()
N_FEATURES = len(FEATURE_NAMES)


def burg(x, order=4):
    """Autoregressive coefficients of each row by Burg's method.

    Parameters
    ----------
    x : array_like (..., N)
        Signals (the last axis is time).
    order : int
        Model order p (default 4).

    Returns
    -------
    ndarray (..., p)
        a_1 ... a_p of x_t + a_1 x_{t-1} + ... + a_p x_{t-p} = e_t (for a stationary
        AR(1) x_t = phi x_{t-1} + e_t, a_1 -> -phi).  A row that is all zeros gives
        zeros.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.har_features import burg
    >>> rng = np.random.default_rng(0)
    >>> e, x = rng.normal(size=20000), np.zeros(20000)
    >>> for t in range(1, 20000):
    ...     x[t] = 0.6 * x[t - 1] + e[t]
    >>> round(float(burg(x, 1)[0]), 2)
    -0.6
    """
    x = np.asarray(x, dtype=np.float64)
    f, b = x[..., 1:], x[..., :-1]
    a = np.ones(x.shape[:-1] + (1,))
    for _ in range(order):
        num = -2.0 * np.sum(f * b, axis=-1)
        den = np.sum(f * f + b * b, axis=-1)
        k = np.divide(num, den, out=np.zeros_like(num), where=den > 0)[..., None]
        padded = np.concatenate([a, np.zeros_like(a[..., :1])], axis=-1)
        a = padded + k * padded[..., ::-1]
        f, b = (f + k * b)[..., 1:], (b + k * f)[..., :-1]
    return a[..., 1:]


def _entropy(x):
    e = x * x
    total = e.sum(axis=-1, keepdims=True)
    p = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0), axis=-1)


def _quantile(xs, q):
    """The q-quantile of sorted rows (linear interpolation, as numpy's default)."""
    pos = q * (xs.shape[-1] - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, xs.shape[-1] - 1)
    return xs[..., lo] + (pos - lo) * (xs[..., hi] - xs[..., lo])


def _common(x):
    """[mean, std, mad, max, min] and [energy, iqr, entropy] over the last axis."""
    xs = np.sort(x, axis=-1)
    med = _quantile(xs, 0.5)
    mad = _quantile(np.sort(np.abs(x - med[..., None]), axis=-1), 0.5)
    q75, q25 = _quantile(xs, 0.75), _quantile(xs, 0.25)
    basic = [x.mean(-1), x.std(-1), mad, xs[..., -1], xs[..., 0]]
    return basic, [np.mean(x * x, axis=-1), q75 - q25, _entropy(x)]


def _xyz(basic, sma, more):
    """UCI's order for a 3-axis signal: each of ``basic`` per axis, sma, each of ``more`` per axis."""
    return [c[:, a] for c in basic for a in range(3)] + [sma] + [c[:, a] for c in more for a in range(3)]


def _split(common, sma):
    basic, more = common
    return basic, sma, more


def _correlations(x):
    """Pearson correlations X-Y, X-Z, Y-Z of (..., 3, N)."""
    d = x - x.mean(axis=-1, keepdims=True)
    s = np.sqrt(np.sum(d * d, axis=-1))
    out = []
    for i, j in ((0, 1), (0, 2), (1, 2)):
        den = s[..., i] * s[..., j]
        num = np.sum(d[..., i, :] * d[..., j, :], axis=-1)
        out.append(np.divide(num, den, out=np.zeros_like(num), where=den > 0))
    return out


def _spectrum(x):
    return np.abs(np.fft.rfft(x, axis=-1))[..., :N_BINS] / x.shape[-1]


def _spectral(m):
    """maxInds, meanFreq, skewness, kurtosis of magnitudes (..., N_BINS)."""
    freq = np.arange(N_BINS) * SAMPLE_RATE / WINDOW
    total = m.sum(axis=-1)
    mean_freq = np.divide(m @ freq, total, out=np.zeros_like(total), where=total > 0)
    d = m - m.mean(axis=-1, keepdims=True)
    d2 = d * d
    var = np.mean(d2, axis=-1)
    safe = np.where(var > 0, var, 1.0)
    skew = np.where(var > 0, np.mean(d2 * d, axis=-1) / safe**1.5, 0.0)
    kurt = np.where(var > 0, np.mean(d2 * d2, axis=-1) / safe**2, 0.0)
    return np.argmax(m, axis=-1).astype(np.float64), mean_freq, skew, kurt


def _angle(u, v):
    den = np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1)
    c = np.divide(np.sum(u * v, axis=-1), den, out=np.zeros(den.shape), where=den > 0)
    return np.arccos(np.clip(c, -1.0, 1.0))


def features(signals):
    """The 561 features (module notes) of raw windows.

    Parameters
    ----------
    signals : array_like (windows, 9, N)
        The channels of :data:`spinaps.network.har.CHANNELS` (body_acc x, y, z [g],
        body_gyro x, y, z [rad/s], total_acc x, y, z [g]); N = 128 at 50 Hz for UCI's
        windows (N >= 2 * 64 so that 64 bins exist).

    Returns
    -------
    ndarray (windows, 561) float64
        In the order of :data:`FEATURE_NAMES`, in the signals' own units (not scaled).

    Raises
    ------
    ValueError
        If ``signals`` is not (windows, 9, N) with N >= 128, or holds non-finite values.
    """
    s = np.asarray(signals, dtype=np.float64)
    if s.ndim != 3 or s.shape[1] != 9 or s.shape[2] < 2 * N_BINS:
        raise ValueError(f"signals must be (windows, 9, N >= {2 * N_BINS}); got {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("signals: every value must be finite")
    body, gyro, total = s[:, 0:3], s[:, 3:6], s[:, 6:9]
    gravity = total - body
    jerk_acc = np.gradient(body, axis=-1) * SAMPLE_RATE
    jerk_gyro = np.gradient(gyro, axis=-1) * SAMPLE_RATE
    cols = []
    for x in (body, gravity, jerk_acc, gyro, jerk_gyro):
        cols += _xyz(*_split(_common(x), np.abs(x).sum(axis=1).mean(axis=-1)))
        ar = burg(x)
        cols += [ar[:, a, k] for a in range(3) for k in range(4)] + _correlations(x)
    mags = [np.linalg.norm(x, axis=1) for x in (body, gravity, jerk_acc, gyro, jerk_gyro)]
    for m in mags:
        basic, more = _common(m)
        cols += basic + [np.abs(m).mean(axis=-1)] + more + list(burg(m).T)
    for x in (body, jerk_acc, gyro):
        f = _spectrum(x)
        cols += _xyz(*_split(_common(f), f.sum(axis=1).mean(axis=-1)))
        max_inds, mean_freq, skew, kurt = _spectral(f)
        cols += [max_inds[:, a] for a in range(3)] + [mean_freq[:, a] for a in range(3)]
        cols += [c[:, a] for a in range(3) for c in (skew, kurt)]
        cols += [np.mean(f[:, a, lo - 1 : hi] ** 2, axis=-1) for a in range(3) for lo, hi in BANDS]
    for m in (mags[0], mags[2], mags[3], mags[4]):
        f = _spectrum(m)
        basic, more = _common(f)
        cols += basic + [f.mean(axis=-1)] + more + list(_spectral(f))
    g = gravity.mean(axis=-1)
    for x in (body, jerk_acc, gyro, jerk_gyro):
        cols.append(_angle(x.mean(axis=-1), g))
    for a in range(3):
        cols.append(_angle(np.eye(3)[a][None, :], g))
    out = np.stack(cols, axis=1)
    if out.shape[1] != N_FEATURES:  # pragma: no cover - the layout is fixed above
        raise AssertionError(f"computed {out.shape[1]} features, expected {N_FEATURES}")
    return out
