"""Helpers shared by the network modules (internal API: not in ``spinaps.network``).

The numerically stable log-sigmoids of the GLM likelihoods and the check of a data
set's arrays, used by the one-layer (:mod:`~spinaps.network.snn`) and the hidden-layer
(:mod:`~spinaps.network.hidden`) networks alike.
"""

from __future__ import annotations

import numpy as np

from .. import threads as _threads

__all__ = ["log_sigmoid", "log_not_sigmoid", "check_data", "blas_threads", "DEFAULT_BLAS_THREADS"]

#: BLAS threads of the network's matrix products when nothing was set (no ``threads``
#: argument, no :func:`spinaps.threads.set_threads`, no ``SPINAPS_NUM_THREADS``).
#: Chosen by measurement on the two-core machine of ``benchmarks/results/network.json``
#: the products are small (512 x 784 by 784 x 40 per training mini-batch), and a
#: second BLAS thread competing with other work for the cores costs far more than it
#: gains.  Medians of 3 (2026-12-01, load average 3.5 to 5.0 from other processes):
#: float epoch 0.47 s with 1 thread against 3.18 s with 2; 4-bit QAT epoch 0.79 s
#: against 3.35 s; 2,000 digits x 100 chips 1.31 s against 2.34 s.
DEFAULT_BLAS_THREADS = 1


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
