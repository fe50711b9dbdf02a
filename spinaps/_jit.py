"""numba compilation with the on-disk cache in the user cache directory.

``numba.njit(cache=True)`` writes its cache beside the source file, i.e. into the
installed package's ``__pycache__``; pip does not know those files, so a later
reinstall leaves a half-removed package behind.  :func:`njit` compiles the same way
but keeps the cache under :func:`spinaps.paths.user_cache_dir` ``/numba``, for this
package's functions only (the process-wide ``NUMBA_CACHE_DIR`` of other libraries is
not touched).  If that directory cannot be written, the function is compiled without
a cache.
"""

from __future__ import annotations

import functools
import hashlib
import pathlib

import numba
from numba.core import caching

from .paths import user_cache_dir

__all__ = ["njit"]


@functools.cache
def _folder_stamp(folder: str) -> str:
    """A SHA-256 of every ``.py`` file of ``folder`` (names and contents)."""
    h = hashlib.sha256()
    for path in sorted(pathlib.Path(folder).glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class _UserCacheLocator(caching._SourceFileBackedLocatorMixin, caching._CacheLocator):
    """Cache files of a function under the user cache directory, one folder per source folder.

    The cache is valid for the contents of every module of the function's folder, not
    only of its own file: a kernel inlines compiled helpers from its neighbours (e.g.
    the LLGS kernel the normal-number generator of ``_normal.py``), and numba's own
    stamp (the file's modification time and size) would keep a stale kernel when only
    a helper changed.
    """

    def __init__(self, py_func, py_file):
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = str(user_cache_dir() / "numba" / self.get_suitable_cache_subpath(py_file))

    def get_cache_path(self):
        return self._cache_path

    def get_source_stamp(self):
        return _folder_stamp(str(pathlib.Path(self._py_file).parent))


class _CacheImpl(caching.CompileResultCacheImpl):
    _locator_classes = [_UserCacheLocator]


class _FunctionCache(caching.FunctionCache):
    _impl_class = _CacheImpl


def njit(**options):
    """``numba.njit(**options)`` with its cache in the user cache directory."""

    def wrap(func):
        dispatcher = numba.njit(**options)(func)
        try:
            dispatcher._cache = _FunctionCache(dispatcher.py_func)
        except RuntimeError:  # no writable cache directory: compile on every run
            pass
        return dispatcher

    return wrap
