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

__all__ = ["check_range", "check_int", "check_choice", "check_seed", "seed_sequence", "check_temperature", "T_MAX",
           "is_integer", "as_float_array", "to_dict", "to_json", "ensemble_size"]


def as_float_array(value, name: str):
    """Convert a field to float (scalar) or a float64 array, rejecting non-numbers."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number or an array of real numbers, got {value!r}") from None
    return float(arr) if arr.ndim == 0 else arr


def check_range(name: str, value, *, low=None, high=None, low_inclusive=False,
                high_inclusive=False, units: str = "") -> None:
    """Raise ``ValueError`` unless every element of ``value`` lies in the range.

    Parameters
    ----------
    name : str
        Field name, quoted in the error message.
    value : float or numpy.ndarray
        Value(s) to check; NaN is always rejected.
    low, high : float, optional
        Bounds of the allowed interval (``None`` for unbounded).
    low_inclusive, high_inclusive : bool
        Whether the bounds themselves are allowed.
    units : str
        Units printed in the message.
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number or an array of real numbers{f' [{units}]' if units else ''}, "
                         f"got {value!r}") from None
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
    """The one temperature check: ``value`` [K] in [0, :data:`T_MAX`], or (0, T_MAX] where
    ``allow_zero`` is False because a quantity diverges at 0 K (a thermal stability
    factor, a Boltzmann rate); ``ValueError`` naming ``name`` otherwise."""
    check_range(name, value, low=0.0, low_inclusive=allow_zero, high=T_MAX, high_inclusive=True, units="K")


def is_integer(value) -> bool:
    """True for a Python or numpy integer, False for a bool, a float (even 2.0) or text."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(name: str, value, low: int, high: int | None = None) -> None:
    """Raise ``ValueError`` unless ``value`` is an integer (:func:`is_integer`) in
    [low, high] (``high=None``: no upper bound); a count is refused, never rounded."""
    if not (is_integer(value) and low <= value and (high is None or value <= high)):
        interval = f"[{low}, inf)" if high is None else f"[{low}, {high}]"
        raise ValueError(f"{name} = {value!r} must be an integer in {interval}")


def check_seed(seed, name: str = "seed"):
    """Return ``seed`` after checking it follows the package's one seed rule.

    A seed is an integer >= 0 (not a bool), a ``numpy.random.SeedSequence``, a
    ``numpy.random.Generator``, or ``None`` (fresh entropy: not reproducible); see
    ``docs/conventions.md``.  Anything else raises ``ValueError`` naming ``name``."""
    if seed is None or isinstance(seed, (np.random.SeedSequence, np.random.Generator)):
        return seed
    if is_integer(seed) and seed >= 0:
        return seed
    raise ValueError(f"{name} = {seed!r}: must be an integer >= 0, a numpy.random.SeedSequence, a "
                     "numpy.random.Generator or None")


def seed_sequence(seed, name: str = "seed") -> np.random.SeedSequence:
    """The ``SeedSequence`` of a seed (:func:`check_seed`): an integer or ``None`` seeds a
    new one, a ``SeedSequence`` is used as it is, a ``Generator`` gives fresh entropy
    from its stream (so that successive calls with one generator differ, reproducibly)."""
    check_seed(seed, name)
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2 ** 63, size=4).tolist())
    return np.random.SeedSequence(seed)


def check_choice(name: str, value, allowed) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed`` (listed in the message)."""
    if value not in allowed:
        raise ValueError(f"{name} = {value!r}; allowed: {', '.join(map(str, allowed))}")


def ensemble_size(params) -> int:
    """Number of devices described by a parameter set (1 if all fields are scalars).

    Raises ``ValueError`` if array fields have incompatible shapes.
    """
    shapes = [np.shape(getattr(params, f.name)) for f in dataclasses.fields(params)
              if isinstance(getattr(params, f.name), np.ndarray)]
    try:
        shape = np.broadcast_shapes(*shapes) if shapes else ()
    except ValueError:
        raise ValueError(f"array fields of {type(params).__name__} have incompatible shapes {shapes}") from None
    if len(shape) > 1:
        raise ValueError(f"{type(params).__name__} ensembles must be one-dimensional, got shape {shape}")
    return int(shape[0]) if shape else 1


def to_dict(params) -> dict:
    """Plain ``{field: value}`` dict (arrays become lists), for provenance records."""
    out = {}
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        out[f.name] = value.tolist() if isinstance(value, np.ndarray) else value
    return out


def to_json(params) -> str:
    """JSON text of :func:`to_dict`, with the class name; ensembles are summarised."""
    data = to_dict(params)
    for key, value in data.items():
        if isinstance(value, list) and len(value) > 16:
            arr = np.asarray(value)
            data[key] = {"ensemble_size": arr.size, "mean": float(arr.mean()), "std": float(arr.std())}
    return json.dumps({"class": type(params).__name__, **data}, sort_keys=False)
