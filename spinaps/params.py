"""Shared machinery for frozen SI parameter dataclasses.

Parameter sets are frozen dataclasses whose fields are SI base-unit scalars or numpy
arrays (an array-valued parameter set is an ensemble of devices).  Each class declares
the allowed range of its fields with :func:`check_range`, called from
``__post_init__``; a violation raises a ``ValueError`` that names the field, the
offending value and the allowed range.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np

__all__ = [
    "check_range",
    "check_int",
    "check_choice",
    "check_seed",
    "seed_sequence",
    "check_temperature",
    "T_MAX",
    "is_integer",
    "as_float_array",
    "to_dict",
    "to_json",
    "ensemble_size",
]


def as_float_array(value, name: str):
    """Convert a field to float (scalar) or a float64 array, rejecting non-numbers.

    Parameters
    ----------
    value : float or array_like
        The value of a parameter field (in its own units).
    name : str
        Field name, quoted in the error message.

    Returns
    -------
    float or numpy.ndarray
        A Python ``float`` for a 0-d value, else a float64 array of the same shape.

    Raises
    ------
    ValueError
        If ``value`` cannot be converted to float (e.g. a complex number or text that
        is not a number), naming ``name``.

    Notes
    -----
    The conversion is :func:`numpy.asarray` with ``dtype=float``: a bool becomes 0.0 or
    1.0, numeric text such as ``"3"`` becomes 3.0 and ``None`` becomes NaN (refused later
    by :func:`check_range`, which rejects NaN).

    Examples
    --------
    >>> as_float_array(3, "n")
    3.0
    >>> as_float_array([45e-9, 50e-9], "diameter")
    array([4.5e-08, 5.0e-08])
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number or an array of real numbers, got {value!r}") from None
    return float(arr) if arr.ndim == 0 else arr


def check_range(
    name: str, value, *, low=None, high=None, low_inclusive=False, high_inclusive=False, units: str = ""
) -> None:
    """Raise ``ValueError`` unless every element of ``value`` lies in the range.

    The one range check of the parameter dataclasses (called from their
    ``__post_init__``): both bounds are exclusive unless said otherwise, and NaN or an
    infinite value is always rejected.

    Parameters
    ----------
    name : str
        Field name, quoted in the error message.
    value : float or numpy.ndarray
        Value(s) to check, in the units ``units``; NaN and +-inf are always rejected.
    low, high : float, optional
        Bounds of the allowed interval (``None`` for unbounded), in the units of ``value``.
    low_inclusive, high_inclusive : bool
        Whether the bounds themselves are allowed (default False: open interval).
    units : str
        Units printed in the message (e.g. ``"m"``, ``"K"``).

    Raises
    ------
    ValueError
        If ``value`` is not a real number or an array of real numbers, or an element
        lies outside the interval; the message names the field, the first offending
        value (and its element index for an array) and the allowed interval.

    Examples
    --------
    >>> check_range("alpha", 0.01, low=0.0, high=1.0)
    >>> check_range("diameter", [45e-9, -1.0], low=0.0, units="m")
    Traceback (most recent call last):
        ...
    ValueError: diameter = -1.0 m (element 1 of 2) is outside the allowed range (0, inf) m
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a real number or an array of real numbers{f' [{units}]' if units else ''}, got {value!r}"
        ) from None
    bad = ~np.isfinite(arr)
    if low is not None:
        bad |= (arr < low) if low_inclusive else (arr <= low)
    if high is not None:
        bad |= (arr > high) if high_inclusive else (arr >= high)
    if np.any(bad):
        offending = float(arr[bad].flat[0]) if arr.ndim else float(arr)
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        interval = f"{'[' if low_inclusive else '('}{lo}, {hi}{']' if high_inclusive else ')'}"
        where = "" if arr.ndim == 0 else f" (element {int(np.flatnonzero(bad.ravel())[0])} of {arr.size})"
        unit = f" {units}" if units else ""
        raise ValueError(f"{name} = {offending!r}{unit}{where} is outside the allowed range {interval}{unit}")


#: Highest temperature any function accepts [K] (assumed: above the Curie temperature of
#: every ferromagnet modelled, so no physical operating point is refused).
T_MAX = 2000.0


def check_temperature(value, name: str = "temperature", *, allow_zero: bool = True) -> None:
    """The one temperature check: ``value`` [K] in [0, :data:`T_MAX`] (or (0, T_MAX]).

    Every temperature of the package is checked here: in [0, T_MAX] K, or in (0, T_MAX]
    K where ``allow_zero`` is False because a quantity diverges at 0 K (a thermal
    stability factor, a Boltzmann rate).

    Parameters
    ----------
    value : float or numpy.ndarray [K]
        The temperature(s) to check.
    name : str
        Name quoted in the error message (default ``"temperature"``).
    allow_zero : bool
        Whether 0 K is allowed (default True).

    Raises
    ------
    ValueError
        If a value is outside the allowed range or not a real number, naming ``name``
        (see :func:`check_range`).

    Examples
    --------
    >>> check_temperature(300.0)
    >>> check_temperature(0.0, allow_zero=False)
    Traceback (most recent call last):
        ...
    ValueError: temperature = 0.0 K is outside the allowed range (0, 2000] K
    """
    check_range(name, value, low=0.0, low_inclusive=allow_zero, high=T_MAX, high_inclusive=True, units="K")


def is_integer(value) -> bool:
    """True for a Python or numpy integer, False for a bool, a float (even 2.0) or text.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
        Whether ``value`` is an ``int`` or a :class:`numpy.integer` that is not a bool.

    Examples
    --------
    >>> import numpy as np
    >>> is_integer(3), is_integer(np.int64(3)), is_integer(True), is_integer(2.0)
    (True, True, False, False)
    """
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(name: str, value, low: int, high: int | None = None) -> None:
    """Raise ``ValueError`` unless ``value`` is an integer in [low, high].

    A count given as a float (even ``2.0``) or a bool is refused, never rounded
    (:func:`is_integer`).

    Parameters
    ----------
    name : str
        Name quoted in the error message.
    value : int [-]
        The count to check.
    low : int
        Smallest allowed value (inclusive).
    high : int, optional
        Largest allowed value (inclusive); ``None``: no upper bound.

    Raises
    ------
    ValueError
        If ``value`` is not an integer or lies outside [low, high], naming ``name``.

    Examples
    --------
    >>> check_int("rows", 256, 4, 8192)
    >>> check_int("chips", 2.0, 1)
    Traceback (most recent call last):
        ...
    ValueError: chips = 2.0 must be an integer in [1, inf)
    """
    if not (is_integer(value) and low <= value and (high is None or value <= high)):
        interval = f"[{low}, inf)" if high is None else f"[{low}, {high}]"
        raise ValueError(f"{name} = {value!r} must be an integer in {interval}")


def check_seed(seed, name: str = "seed"):
    """Return ``seed`` after checking it follows the package's one seed rule.

    A seed is an integer >= 0 (not a bool), a ``numpy.random.SeedSequence``, a
    ``numpy.random.Generator``, or ``None`` (fresh entropy: not reproducible); see
    ``docs/conventions.md``.

    Parameters
    ----------
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        The seed to check.
    name : str
        Name quoted in the error message (default ``"seed"``).

    Returns
    -------
    int, numpy.random.SeedSequence, numpy.random.Generator or None
        ``seed`` itself, unchanged.

    Raises
    ------
    ValueError
        For anything else (a negative integer, a bool, a float, text), naming ``name``.

    See Also
    --------
    seed_sequence : the ``SeedSequence`` of a checked seed.

    Examples
    --------
    >>> check_seed(7)
    7
    >>> check_seed(-1)
    Traceback (most recent call last):
        ...
    ValueError: seed = -1: must be an integer >= 0, a numpy.random.SeedSequence, a numpy.random.Generator or None
    """
    if seed is None or isinstance(seed, (np.random.SeedSequence, np.random.Generator)):
        return seed
    if is_integer(seed) and seed >= 0:
        return seed
    raise ValueError(
        f"{name} = {seed!r}: must be an integer >= 0, a numpy.random.SeedSequence, a numpy.random.Generator or None"
    )


def seed_sequence(seed, name: str = "seed") -> np.random.SeedSequence:
    """The ``SeedSequence`` of a seed that follows the package's seed rule.

    An integer or ``None`` seeds a new one, a ``SeedSequence`` is used as it is, a
    ``Generator`` gives fresh entropy from its stream (four 63-bit integers drawn from
    it, so that successive calls with one generator differ, reproducibly).

    Parameters
    ----------
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        The seed (checked with :func:`check_seed`).
    name : str
        Name quoted in the error message (default ``"seed"``).

    Returns
    -------
    numpy.random.SeedSequence
        The sequence to spawn the random streams from.

    Raises
    ------
    ValueError
        If ``seed`` does not follow the seed rule (:func:`check_seed`).

    Examples
    --------
    >>> seed_sequence(3).entropy
    3
    """
    check_seed(seed, name)
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4).tolist())
    return np.random.SeedSequence(seed)


def check_choice(name: str, value, allowed) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed``.

    Parameters
    ----------
    name : str
        Name quoted in the error message.
    value : object
        The value to check.
    allowed : collection
        The allowed values (listed in the message).

    Raises
    ------
    ValueError
        If ``value not in allowed``, naming ``name`` and listing ``allowed``.

    Examples
    --------
    >>> check_choice("kind", "dram", ("mtj", "sram"))
    Traceback (most recent call last):
        ...
    ValueError: kind = 'dram'; allowed: mtj, sram
    """
    if value not in allowed:
        raise ValueError(f"{name} = {value!r}; allowed: {', '.join(map(str, allowed))}")


def ensemble_size(params) -> int:
    """Number of devices described by a parameter set (1 if all fields are scalars).

    The array-valued (:class:`numpy.ndarray`) fields of an ensemble broadcast against
    each other to one 1-D shape, the ``device`` dimension; scalar fields are shared by
    every device.

    Parameters
    ----------
    params : dataclass instance
        A parameter set, e.g. a :class:`spinaps.device.MTJParams`.

    Returns
    -------
    int
        The number of devices [-].

    Raises
    ------
    ValueError
        If array fields have incompatible shapes, or broadcast to more than one
        dimension.
    """
    shapes = [
        np.shape(getattr(params, f.name))
        for f in dataclasses.fields(params)
        if isinstance(getattr(params, f.name), np.ndarray)
    ]
    try:
        shape = np.broadcast_shapes(*shapes) if shapes else ()
    except ValueError:
        raise ValueError(f"array fields of {type(params).__name__} have incompatible shapes {shapes}") from None
    if len(shape) > 1:
        raise ValueError(f"{type(params).__name__} ensembles must be one-dimensional, got shape {shape}")
    return int(shape[0]) if shape else 1


def to_dict(params) -> dict:
    """Plain ``{field: value}`` dict (arrays become lists), for provenance records.

    Parameters
    ----------
    params : dataclass instance
        A parameter set.

    Returns
    -------
    dict
        ``{field name: value}`` in the fields' own (SI) units; numpy arrays are
        converted with :meth:`numpy.ndarray.tolist`, other values kept as they are.
    """
    out = {}
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        out[f.name] = value.tolist() if isinstance(value, np.ndarray) else value
    return out


def to_json(params) -> str:
    """JSON text of :func:`to_dict`, with the class name; ensembles are summarised.

    Parameters
    ----------
    params : dataclass instance
        A parameter set whose field values are JSON-serialisable once arrays are lists.

    Returns
    -------
    str
        A JSON object ``{"class": name, field: value, ...}``.  An array field of more
        than 16 values is replaced by ``{"ensemble_size", "mean", "std"}``; shorter
        ones are stored in full.

    Raises
    ------
    TypeError
        If a field value cannot be written as JSON (raised by :func:`json.dumps`).
    """
    data = to_dict(params)
    for key, value in data.items():
        if isinstance(value, list) and len(value) > 16:
            arr = np.asarray(value)
            data[key] = {"ensemble_size": arr.size, "mean": float(arr.mean()), "std": float(arr.std())}
    return json.dumps({"class": type(params).__name__, **data}, sort_keys=False)
