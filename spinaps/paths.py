"""Where the package keeps files of its own outside a run's output folder.

The user cache directory holds compiled kernels (numba) and the chain's step results.
It is ``$SPINAPS_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/spinaps``, else
``~/.cache/spinaps`` (the XDG base-directory convention).  Nothing is ever written
inside the installed package.
"""

from __future__ import annotations

import os
import pathlib

__all__ = ["user_cache_dir"]


def user_cache_dir() -> pathlib.Path:
    """The user cache directory of spinaps (not created here)."""
    explicit = os.environ.get("SPINAPS_CACHE_DIR")
    if explicit:
        return pathlib.Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base).expanduser() / "spinaps"
