"""Citation registry.

Every model registers the works it relies on with :func:`register`; a run can then
list exactly the papers it used (:func:`used`, :func:`format_citations`) and the
xarray outputs store them in their ``citations`` attribute.  The BibTeX entries live
in ``references.bib`` inside the package; :func:`bibtex` returns them.

Examples
--------
>>> from spinaps import citations
>>> citations.register("Sun2000")
('Sun2000',)
>>> "Sun2000" in citations.used()
True
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
from functools import lru_cache
from importlib import resources

__all__ = ["register", "used", "reset", "recording", "bibtex", "format_citations", "known_keys"]

_USED: list[str] = []
_USED_LOCK = threading.Lock()
#: The open :func:`recording` lists of this thread (a context variable: two steps
#: computed at once in two threads each record their own works).
_RECORDERS: contextvars.ContextVar[tuple[list[str], ...]] = contextvars.ContextVar("spinaps_recorders", default=())


@lru_cache(maxsize=1)
def _entries() -> dict[str, str]:
    """Parse ``references.bib`` into ``{key: entry text}``."""
    text = resources.files("spinaps").joinpath("references.bib").read_text(encoding="utf-8")
    entries = {}
    for match in re.finditer(r"@\w+\{([^,]+),.*?\n\}", text, flags=re.S):
        entries[match.group(1).strip()] = match.group(0)
    return entries


def known_keys() -> list[str]:
    """All citation keys available in the bibliography."""
    return sorted(_entries())


def register(*keys: str) -> tuple[str, ...]:
    """Record that the current computation relies on the works ``keys``.

    Raises
    ------
    KeyError
        If a key is not in the package bibliography (a typo would otherwise lose a
        citation silently).
    """
    entries = _entries()
    for key in keys:
        if key not in entries:
            raise KeyError(f"unknown citation key {key!r}; known keys: {', '.join(sorted(entries))}")
        with _USED_LOCK:  # also guards the recorders, which threads of one step share
            if key not in _USED:
                _USED.append(key)
            for recorder in _RECORDERS.get():
                if key not in recorder:
                    recorder.append(key)
    return keys


@contextlib.contextmanager
def recording():
    """Collect every key registered inside the ``with`` block (even keys registered
    earlier in the run), e.g. to store the works one cached step relies on.

    >>> with recording() as keys:
    ...     _ = register("Brown1963")
    >>> keys
    ['Brown1963']
    """
    keys: list[str] = []
    token = _RECORDERS.set((*_RECORDERS.get(), keys))
    try:
        yield keys
    finally:
        _RECORDERS.reset(token)


def used() -> list[str]:
    """Keys registered since the start of the process (or the last :func:`reset`)."""
    return list(_USED)


def reset() -> None:
    """Forget the registered keys (start of a new run)."""
    with _USED_LOCK:
        _USED.clear()


def bibtex(keys=None) -> str:
    """BibTeX text of ``keys`` (default: every registered key)."""
    keys = used() if keys is None else list(keys)
    entries = _entries()
    return "\n".join(entries[k] for k in keys) + ("\n" if keys else "")


def _field(entry: str, name: str) -> str:
    match = re.search(rf"\b{name}\s*=\s*\{{(.*?)\}},?\s*\n", entry, flags=re.S)
    return re.sub(r"[{}\\']", "", match.group(1)).strip() if match else ""


def format_citations(keys=None) -> str:
    """One plain-text line per work: authors, title, venue, year."""
    keys = used() if keys is None else list(keys)
    lines = []
    for key in keys:
        entry = _entries()[key]
        venue = _field(entry, "journal") or _field(entry, "booktitle") or _field(entry, "note")
        lines.append(
            f'[{key}] {_field(entry, "author")}, "{_field(entry, "title")}", {venue}, {_field(entry, "year")}.'
        )
    return "\n".join(lines)
