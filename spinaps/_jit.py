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

import numba
from numba.core import caching

from .paths import user_cache_dir

__all__ = ["njit"]


class _UserCacheLocator(caching._SourceFileBackedLocatorMixin, caching._CacheLocator):
    """Cache files of a function under the user cache directory, one folder per source folder."""

    def __init__(self, py_func, py_file):
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = str(user_cache_dir() / "numba" / self.get_suitable_cache_subpath(py_file))

    def get_cache_path(self):
        return self._cache_path


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
