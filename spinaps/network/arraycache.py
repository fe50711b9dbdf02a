"""Arrays converted once from a source file, kept in the user cache directory.

A conversion that is slow compared with reading its result (the HAR windows and
features from the raw recordings: a few seconds against a fraction of one) is run once
and its arrays are stored as an ``.npz`` file (numeric and text arrays only, read with
``allow_pickle=False``) in ``<user cache dir>/datasets`` (:func:`spinaps.paths.user_cache_dir`).
The SHA-256 of the source file is part of the file name and recorded inside; a cached
file is used only if the recorded checksum and conversion version match the source as
it is now, and is rebuilt otherwise (a changed, replaced or corrupt cache is never
used).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
import zipfile

import numpy as np

from ..paths import user_cache_dir

__all__ = ["cached_arrays", "sha256_of", "cache_file"]

_BLOCK = 1 << 20


def sha256_of(path):
    """The SHA-256 of a file's bytes, as 64 hexadecimal digits.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    str
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def cache_file(name, version, sha256):
    """Where the converted arrays of a source with checksum ``sha256`` live.

    Parameters
    ----------
    name : str
        What is converted (e.g. ``"har"``).
    version : int
        Version of the conversion (a new one ignores older files).
    sha256 : str
        Checksum of the source file.

    Returns
    -------
    pathlib.Path
        ``<user cache dir>/datasets/<name>-v<version>-<first 16 digits of sha256>.npz``.
    """
    return user_cache_dir() / "datasets" / f"{name}-v{int(version)}-{sha256[:16]}.npz"


def _read(path, sha256, version):
    """The cached arrays, or None if absent, unreadable or not for this source and version."""
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    if str(arrays.pop("source_sha256", "")) != sha256 or int(arrays.pop("conversion_version", -1)) != version:
        return None
    return arrays


def cached_arrays(source, name, version, build):
    """The arrays ``build()`` makes from ``source``, converted once and then read from the cache.

    Parameters
    ----------
    source : str or path-like
        The source file (its SHA-256 keys and checks the cache).
    name : str
        What is converted (part of the cache file's name).
    version : int
        Version of the conversion, recorded and checked.
    build : callable
        ``build()`` returns a dict of str to numeric (or text) ndarray.

    Returns
    -------
    arrays : dict of str to ndarray
        The converted arrays.
    sha256 : str
        The source's checksum.

    Warns
    -----
    UserWarning
        If the cache directory cannot be written (the arrays are still returned).
    """
    sha = sha256_of(source)
    path = cache_file(name, version, sha)
    arrays = _read(path, sha, version)
    if arrays is not None:
        return arrays, sha
    arrays = build()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(
                fh, **arrays, source_sha256=np.array(sha), conversion_version=np.array(version, dtype=np.int64)
            )
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        warnings.warn(f"could not cache the converted {name} arrays in {path.parent} ({err})", stacklevel=2)
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return arrays, sha
