"""Trained networks on disk: ``.npz`` files of named float arrays and JSON hyper-parameters.

:func:`save_model` writes the arrays and the hyper-parameters (as JSON text in the
array ``meta``, with the package version); :func:`load_model` reads them back with
``allow_pickle=False`` (a model file holds numbers and text only; nothing in it is
ever unpickled) and checks what it reads against the model's layout: the file is a
zip archive numpy can read, it holds exactly the expected arrays, each a finite
floating-point array of the expected number of dimensions with sizes that agree
between arrays (e.g. the classes of the weights and of the bias), and ``meta`` is a
JSON object with only the expected keys of the expected types.  Any problem is reported
as a ``ValueError`` naming the file and the problem.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .._version import __version__

__all__ = ["save_model", "load_model"]

_ZIP_MAGIC = b"PK\x03\x04"


def save_model(path, arrays, **meta):
    """Write named arrays and JSON-able hyper-parameters (plus the package version) to
    an ``.npz`` file.

    Parameters
    ----------
    path : str or path-like
        The file (:func:`numpy.savez_compressed` adds ``.npz`` if missing).
    arrays : dict of str to ndarray
        Arrays stored under their names.
    **meta
        Hyper-parameters, stored as JSON text in the array ``meta``.
    """
    np.savez_compressed(path, **arrays, meta=np.array(json.dumps(meta | {"version": __version__})))


def _fail(path, problem):
    return ValueError(f"{path}: {problem}")


def load_model(path, layout, meta_types, what="model", defaults=None):
    """(arrays, hyper-parameters) of a file written by :func:`save_model`, checked.

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` file.
    layout : dict of str to tuple of str
        Expected arrays and the names of their dimensions; a dimension named in several
        arrays must have the same size in each, e.g. ``{"weights": ("classes",
        "inputs", "kernels"), "bias": ("classes",), "history": ("epochs",)}``.
    meta_types : dict of str to type or tuple of types
        Expected hyper-parameters and their JSON types (``type(None)`` for null); all
        must be present, except those of ``defaults``.
    what : str
        The model class the file should hold, for the messages (e.g. ``"SNN"``).
    defaults : dict, optional
        Hyper-parameters of ``meta_types`` that a file may lack, with the value they
        then take: keys added to a model after files were written without them (a
        present key is checked as any other; every other key stays required).

    Returns
    -------
    arrays : dict of str to ndarray (float64)
    meta : dict
        The hyper-parameters (the package version dropped).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not a readable ``.npz`` archive, misses an array or holds an unexpected
        one, holds an array of Python objects (refused, never unpickled), of another
        dtype, number of dimensions or of sizes that disagree, non-finite values, or
        ``meta`` is not a JSON object of the expected keys and types; the message names
        the file and the problem.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such model file for {what}")
    with path.open("rb") as fh:
        head = fh.read(4)
    if head != _ZIP_MAGIC:
        raise _fail(
            path, f"not a model file for {what}: an .npz archive starts with the zip signature (found {head!r})"
        )
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise _fail(path, f"corrupt or unreadable .npz archive ({err})") from None
    with archive as f:
        names = set(f.files)
        expected = set(layout) | {"meta"}
        if names != expected:
            missing, extra = sorted(expected - names), sorted(names - expected)
            raise _fail(
                path,
                f"not a model file for {what}: "
                + "; ".join(
                    part
                    for part in (
                        f"missing array(s) {', '.join(missing)}" if missing else "",
                        f"unexpected array(s) {', '.join(extra)}" if extra else "",
                    )
                    if part
                )
                + f" (a model file for {what} holds {', '.join(sorted(expected))})",
            )
        arrays = {name: _read(f, name, path) for name in sorted(names)}
    meta = _meta(arrays.pop("meta"), meta_types, path, what, defaults or {})
    sizes = {}
    for name, dims in layout.items():
        a = arrays[name]
        if a.dtype.kind != "f":
            raise _fail(path, f"array {name!r} has dtype {a.dtype}, expected floating point")
        if a.ndim != len(dims):
            raise _fail(
                path, f"array {name!r} has {a.ndim} dimension(s) {a.shape}, expected {len(dims)} ({', '.join(dims)})"
            )
        for dim, size in zip(dims, a.shape):
            if sizes.setdefault(dim, (size, name))[0] != size:
                other = sizes[dim][1]
                raise _fail(
                    path,
                    f"array {name!r} of shape {a.shape} does not fit {other!r} of shape {arrays[other].shape} "
                    f"(their {dim} differ)",
                )
        if not np.all(np.isfinite(a)):
            raise _fail(path, f"array {name!r} holds non-finite values")
        arrays[name] = a.astype(np.float64)
    return arrays, meta


def _read(f, name, path):
    try:
        return f[name]
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise _fail(
                path, f"array {name!r} holds Python objects: refused (a model file holds numbers only)"
            ) from None
        raise _fail(path, f"array {name!r} is unreadable ({err})") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        raise _fail(path, f"array {name!r} is corrupt ({err})") from None


def _meta(raw, meta_types, path, what, defaults):
    if raw.dtype.kind != "U" or raw.ndim != 0:
        raise _fail(path, f"array 'meta' must be JSON text, got dtype {raw.dtype} and shape {raw.shape}")
    try:
        meta = json.loads(str(raw))
    except json.JSONDecodeError as err:
        raise _fail(path, f"array 'meta' is not valid JSON ({err})") from None
    if not isinstance(meta, dict):
        raise _fail(path, f"array 'meta' must be a JSON object, got {type(meta).__name__}")
    meta.pop("version", None)
    absent = {key: value for key, value in defaults.items() if key not in meta}
    if set(meta) | set(absent) != set(meta_types):
        missing = sorted(set(meta_types) - set(meta) - set(absent))
        extra = sorted(set(meta) - set(meta_types))
        raise _fail(
            path,
            f"the hyper-parameters of {what} "
            + "; ".join(
                p
                for p in (
                    f"miss {', '.join(missing)}" if missing else "",
                    f"have unknown {', '.join(extra)}" if extra else "",
                )
                if p
            ),
        )
    for key, types in meta_types.items():
        if key in absent:
            continue
        value = meta[key]
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            raise _fail(path, f"hyper-parameter {key} = {value!r} has the wrong type")
        if (
            float in (types if isinstance(types, tuple) else (types,))
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            meta[key] = float(value)
        elif not isinstance(value, types):
            raise _fail(path, f"hyper-parameter {key} = {value!r} has the wrong type (expected {_type_names(types)})")
    return meta | absent


def _type_names(types):
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join("null" if t is type(None) else t.__name__ for t in types)
