"""Helpers shared by the network modules (internal API: not in ``spinaps.network``).

The numerically stable log-sigmoids of the GLM likelihoods, the check of a data set's
arrays and of its labels against the number of classes, used by the one-layer
(:mod:`~spinaps.network.snn`) and the hidden-layer (:mod:`~spinaps.network.hidden`)
networks and the equivalent ANNs (:mod:`~spinaps.network.baselines`) alike.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import threads as _threads

__all__ = [
    "log_sigmoid",
    "log_not_sigmoid",
    "check_data",
    "check_labels",
    "check_test_labels",
    "ClassCoverageWarning",
    "RARE_FRACTION",
    "blas_threads",
    "DEFAULT_BLAS_THREADS",
    "binomial_se",
]

#: A class with fewer training samples than this fraction of the median class count is
#: reported when the number of classes is inferred from the labels (a stray label).
RARE_FRACTION = 0.01

#: BLAS threads of the network's matrix products when nothing was set (no ``threads``
#: argument, no :func:`spinaps.threads.set_threads`, no ``SPINAPS_NUM_THREADS``).
#: Chosen by measurement on the two-core machine of ``benchmarks/results/network.json``
#: the products are small (512 x 784 by 784 x 40 per training mini-batch), and a
#: second BLAS thread competing with other work for the cores costs far more than it
#: gains.  Medians of 3 (2026-12-01, load average 3.5 to 5.0 from other processes):
#: float epoch 0.47 s with 1 thread against 3.18 s with 2; 4-bit QAT epoch 0.79 s
#: against 3.35 s; 2,000 digits x 100 chips 1.31 s against 2.34 s.
DEFAULT_BLAS_THREADS = 1


class ClassCoverageWarning(UserWarning):
    """A training set leaves a class without samples, or has a suspiciously rare class."""


def log_sigmoid(u):
    r"""log sigma(u), stable for any u.

    .. math:: \log \sigma(u) = -\log(1 + e^{-u})

    Parameters
    ----------
    u : array_like [-]
        Membrane potentials.

    Returns
    -------
    ndarray [-]
        Log spike probabilities (<= 0).
    """
    return -np.logaddexp(0.0, -u)


def log_not_sigmoid(u):
    r"""log(1 - sigma(u)), stable for any u.

    .. math:: \log(1 - \sigma(u)) = -\log(1 + e^{u})

    Parameters
    ----------
    u : array_like [-]
        Membrane potentials.

    Returns
    -------
    ndarray [-]
        Log probabilities of no spike (<= 0).
    """
    return -np.logaddexp(0.0, u)


def binomial_se(p, n):
    """Binomial standard error of an accuracy p over n samples, sqrt(p (1 - p) / n) [-].

    Parameters
    ----------
    p : float [-]
        The accuracy, in [0, 1].
    n : int [-]
        The samples it was measured on, >= 1.

    Returns
    -------
    float
    """
    return float(np.sqrt(p * (1.0 - p) / n))


def check_data(x, y, n_inputs=None, names=("x", "y")):
    """Check a data set's features and labels and return them as float32 and int64.

    Parameters
    ----------
    x : array_like (samples, features) [-]
        Features (input spike probabilities per frame divided by ``p_max``).
    y : array_like (samples,)
        Non-negative integer class labels.
    n_inputs : int, optional
        Features the model expects.
    names : tuple of str
        The caller's names of ``x`` and ``y`` (e.g. ``("x_train", "y_train")``), used in
        the messages.

    Returns
    -------
    x : ndarray float32 (samples, features)
    y : ndarray int64 (samples,)

    Raises
    ------
    ValueError
        If the shapes disagree, the data set is empty, the feature count differs from
        ``n_inputs``, a feature is outside [0, 1] or not a number, or the labels are not
        non-negative integers.
    """
    xn, yn = names
    try:
        x = np.asarray(x, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"x must be an array of numbers (samples, features), got {xn} = {type(x).__name__}") from None
    y = np.asarray(y)
    if x.ndim != 2 or y.ndim != 1 or len(x) != len(y) or len(y) == 0:
        raise ValueError(
            f"x must be (samples, features) and y (samples,) of the same non-zero length; "
            f"got {xn} {x.shape}, {yn} {y.shape}"
        )
    if n_inputs is not None and x.shape[1] != n_inputs:
        raise ValueError(f"{xn} has {x.shape[1]} features; the model has {n_inputs} inputs")
    if not np.all(np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise ValueError(f"{xn}: features must lie in [0, 1] (rescale signed features first)")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError(f"y must hold non-negative integer class labels (in {yn})")
    return x, y.astype(np.int64)


#: A training set whose largest feature is below this gets a warning (:func:`warn_unused_range`).
INPUT_RANGE_WARN = 0.9


def warn_unused_range(x, name="x_train", stacklevel=4):
    r"""Warn when the features of a training set leave part of [0, 1] unused.

    A Bernoulli frame tells two feature values x_1, x_2 apart with a signal-to-noise
    ratio (x_1 - x_2)^2 / (x (1 - x)); multiplying every feature by a gain g > 1
    (keeping g x <= 1) raises it to g (x_1 - x_2)^2 / (x (1 - g x)), so features whose
    largest value is m < 1 give the spike code less than it could carry (the embedded
    MNIST at half intensity: 3.5 points below logistic regression instead of level,
    docs/network.md, "Limits").  Warns if max(x) < :data:`INPUT_RANGE_WARN`.

    Parameters
    ----------
    x : ndarray (samples, features) [-]
        Checked features (:func:`check_data`).
    name : str
        The caller's name of ``x``, used in the message.
    stacklevel : int
        Of :func:`warnings.warn`: the default 4 points at the code that called a
        training function wrapped by :func:`~spinaps.deprecation.renamed`.

    Warns
    -----
    UserWarning
        Naming ``name``, its largest feature and the gain that would use the whole range.
    """
    top = float(x.max())
    if top == 0.0:
        warnings.warn(f"{name}: every feature is 0, so no input ever spikes", UserWarning, stacklevel=stacklevel)
    elif top < float(np.float32(INPUT_RANGE_WARN)):  # the features are float32 (check_data)
        warnings.warn(
            f"{name}: the largest feature is {top:.3g}, so the input spike probabilities use only [0, {top:.3g}] "
            f"of [0, 1]; multiplying the features (training and test alike) by {1.0 / top:.3g} gives every "
            "frame more information (docs/network.md, Limits)",
            UserWarning,
            stacklevel=stacklevel,
        )


def check_labels(y, n_classes=None, name="y_train"):
    """The number of classes of a training set, with its labels checked against it.

    With ``n_classes`` given, every label must lie in [0, n_classes - 1]; without it,
    the number is inferred as the largest label + 1.  Either way the classes the labels
    leave without a sample are reported (a :class:`ClassCoverageWarning`, not an
    error: a small subset may legitimately miss a class, whose output neuron is then
    never trained); when the number is inferred, so is a class with fewer samples than
    :data:`RARE_FRACTION` of the median class count (one stray label ``10`` among
    thousands of digits 0-9 would otherwise silently add an eleventh class).

    Parameters
    ----------
    y : ndarray of int (samples,)
        Non-negative integer labels (as :func:`check_data` returns them).
    n_classes : int, optional
        The number of classes the model has.
    name : str
        The caller's name of ``y``, used in the messages.

    Returns
    -------
    int
        ``n_classes``, or the inferred number.

    Raises
    ------
    ValueError
        If a label is outside [0, n_classes - 1] (the message names ``name``, the
        label and the allowed range).

    Warns
    -----
    ClassCoverageWarning
        For classes without a sample, and (number inferred) for a rare class.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.network.tools import check_labels
    >>> check_labels(np.array([0, 1, 2, 1]))
    3
    >>> check_labels(np.array([0, 1, 10]), n_classes=10)
    Traceback (most recent call last):
    ...
    ValueError: y_train: label 10 is outside the 10 classes; labels must lie in [0, 9] (n_classes = 10)
    """
    y = np.asarray(y)
    top = int(y.max())
    inferred = n_classes is None
    n = top + 1 if inferred else int(n_classes)
    if top >= n:
        bad = np.unique(y[y >= n])
        shown = ", ".join(map(str, bad[:5].tolist())) + (", ..." if len(bad) > 5 else "")
        raise ValueError(
            f"{name}: label {shown} is outside the {n} classes; labels must lie in [0, {n - 1}] (n_classes = {n})"
        )
    counts = np.bincount(y, minlength=n)
    missing = np.flatnonzero(counts == 0)
    if len(missing):
        listed = ", ".join(map(str, missing[:10].tolist())) + (", ..." if len(missing) > 10 else "")
        warnings.warn(
            f"{name}: {'classes' if len(missing) > 1 else 'class'} {listed} of the {n} classes"
            f"{' (inferred from the largest label)' if inferred else ''} {'have' if len(missing) > 1 else 'has'} "
            f"no training sample, so {'their output neurons are' if len(missing) > 1 else 'its output neuron is'} "
            "never trained" + ("; pass n_classes to state the number of classes" if inferred else ""),
            ClassCoverageWarning,
            stacklevel=3,
        )
    if inferred:
        present = counts[counts > 0]
        typical = float(np.median(present))
        rare = np.flatnonzero((counts > 0) & (counts < RARE_FRACTION * typical))
        if len(rare):
            listed = ", ".join(f"{k} ({counts[k]} sample{'s' if counts[k] > 1 else ''})" for k in rare[:10])
            warnings.warn(
                f"{name}: n_classes was inferred as {n} from the largest label {top}, but "
                f"{'classes' if len(rare) > 1 else 'class'} {listed} against a median of {typical:g} per class "
                f"{'are' if len(rare) > 1 else 'is'} suspiciously rare: if a label is a mistake, fix it, or pass "
                "n_classes so that the labels are checked against it",
                ClassCoverageWarning,
                stacklevel=3,
            )
    return n


def check_test_labels(y, n_classes, name="y_test"):
    """Evaluation labels must name one of the model's classes (a class they lack is fine).

    Parameters
    ----------
    y : ndarray of int (samples,)
        Non-negative integer labels.
    n_classes : int
        The model's classes.
    name : str
        The caller's name of ``y``.

    Raises
    ------
    ValueError
        If a label is outside [0, n_classes - 1] (naming ``name``, the label and the
        range).
    """
    top = int(np.max(y))
    if top >= n_classes:
        raise ValueError(
            f"{name}: label {top} is outside the model's {n_classes} classes; labels must lie in [0, {n_classes - 1}]"
        )


def blas_threads(threads=None):
    """The BLAS threads of a network call: ``threads`` if given, else the package setting
    (:func:`spinaps.threads.set_threads` or ``SPINAPS_NUM_THREADS``) if there is one, else
    :data:`DEFAULT_BLAS_THREADS` (at most the available CPUs).

    Parameters
    ----------
    threads : int, optional [-]
        The ``threads`` argument of the call.

    Returns
    -------
    int
        BLAS threads [-], at least 1.

    Raises
    ------
    ValueError
        If ``threads`` (or ``SPINAPS_NUM_THREADS``) is not an integer >= 1.

    Examples
    --------
    >>> from spinaps.network.tools import blas_threads
    >>> blas_threads(2)
    2
    """
    if threads is not None or _threads.configured() is not None:
        return _threads.resolve(threads)
    return min(DEFAULT_BLAS_THREADS, _threads.available_cpus())
