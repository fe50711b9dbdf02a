"""The number of threads the package uses, set in one place.

Three kinds of threads run spinaps' hot paths: the package's own thread pools (the LLGS
ensemble chunks, the Fokker--Planck solves of a table, the blocks of chip cells; their
compiled kernels and numpy release the GIL), and the BLAS threads of numpy's matrix
products (network training and evaluation).  All of them follow one number:

1. the ``threads`` argument of a function that takes one;
2. else the value set with :func:`set_threads` (or inside ``with limit(n):``);
3. else the environment variable ``SPINAPS_NUM_THREADS``;
4. else the CPUs this process may run on (``os.sched_getaffinity``, else
   ``os.cpu_count()``).

Results never depend on the number of threads (every random stream is tied to its
device, chip or block, not to a thread).  A sweep's Dask workers are given
``SPINAPS_NUM_THREADS`` so that workers x threads stay within the cores of a machine
(:mod:`spinaps.sweep`).
"""

from __future__ import annotations

import contextlib
import os

from .params import check_int

__all__ = ["ENV", "available_cpus", "configured", "get_threads", "set_threads", "limit", "resolve", "blas_limit"]

#: The environment variable read when no number was set in the process.
ENV = "SPINAPS_NUM_THREADS"

_set: int | None = None


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one).

    Returns
    -------
    int
        ``len(os.sched_getaffinity(0))`` where available, else ``os.cpu_count()``;
        at least 1.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _check(name: str, value) -> int:
    check_int(name, value, 1)
    return int(value)


def get_threads() -> int:
    """The number of threads the package uses now (see the module notes for the order).

    Returns
    -------
    int
        The value set with :func:`set_threads` (or inside :func:`limit`), else the
        environment variable ``SPINAPS_NUM_THREADS``, else :func:`available_cpus`.

    Raises
    ------
    ValueError
        If ``SPINAPS_NUM_THREADS`` is set but is not an integer >= 1 (the message names
        the variable).
    """
    if _set is not None:
        return _set
    text = os.environ.get(ENV, "").strip()
    if text:
        try:
            value = int(text)
        except ValueError:
            value = text
        return _check(ENV, value)
    return available_cpus()


def configured() -> int | None:
    """The number of threads the user set, if any: the value of :func:`set_threads` (or
    inside :func:`limit`), else ``SPINAPS_NUM_THREADS``; ``None`` if neither is set
    (then :func:`get_threads` falls back to the CPUs, and a hot path may choose its own
    default by measurement, e.g. :func:`spinaps.network.tools.blas_threads`).

    Returns
    -------
    int or None

    Raises
    ------
    ValueError
        If ``SPINAPS_NUM_THREADS`` is set but is not an integer >= 1.

    Examples
    --------
    >>> with limit(3):
    ...     configured()
    3
    """
    if _set is None and not os.environ.get(ENV, "").strip():
        return None
    return get_threads()


def set_threads(n: int | None) -> None:
    """Use ``n`` threads from now on (``None``: back to ``SPINAPS_NUM_THREADS`` or the CPUs).

    Parameters
    ----------
    n : int or None [-]
        Threads, an integer >= 1; ``None`` removes the setting.

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 1 (the message names ``threads``).

    Examples
    --------
    >>> set_threads(2)
    >>> get_threads()
    2
    >>> set_threads(None)
    """
    global _set
    _set = None if n is None else _check("threads", n)


@contextlib.contextmanager
def limit(n: int | None):
    """Use ``n`` threads inside the ``with`` block (``None``: leave the setting as it is).

    The previous setting is restored on leaving the block, also on an exception.

    Parameters
    ----------
    n : int or None [-]
        Threads inside the block, an integer >= 1; ``None`` leaves the setting as it
        is.

    Yields
    ------
    None

    Raises
    ------
    ValueError
        If ``n`` is not an integer >= 1 (raised on entering the block).

    Examples
    --------
    >>> with limit(1):
    ...     get_threads()
    1
    """
    global _set
    before = _set
    if n is not None:
        set_threads(n)
    try:
        yield
    finally:
        _set = before


def resolve(threads=None, name: str = "threads") -> int:
    """The threads of one call: ``threads`` if given (checked), else :func:`get_threads`.

    Parameters
    ----------
    threads : int, optional [-]
        The ``threads`` argument of the calling function; ``None``: the package
        setting.
    name : str
        Name quoted in the error message (default ``"threads"``).

    Returns
    -------
    int
        The number of threads to use [-], at least 1.

    Raises
    ------
    ValueError
        If ``threads`` is given but is not an integer >= 1, or if it is ``None`` and
        ``SPINAPS_NUM_THREADS`` is invalid (:func:`get_threads`).

    Examples
    --------
    >>> resolve(3)
    3
    """
    return get_threads() if threads is None else _check(name, threads)


@contextlib.contextmanager
def blas_limit(threads=None):
    """Limit numpy's BLAS threads to :func:`resolve` (``threads``) inside the block.

    Uses ``threadpoolctl``; the previous limits are restored on exit.

    Parameters
    ----------
    threads : int, optional [-]
        BLAS threads; ``None``: :func:`get_threads`.

    Yields
    ------
    None

    Raises
    ------
    ValueError
        If ``threads`` is not an integer >= 1 (:func:`resolve`).
    ImportError
        If ``threadpoolctl`` is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> with blas_limit(1):
    ...     float(np.ones((2, 2)) @ np.ones(2) @ np.ones(2))
    4.0
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=resolve(threads), user_api="blas"):
        yield
