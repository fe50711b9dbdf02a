"""Renamed keywords and fields: the old names keep working for one release.

When a public name changes to follow ``docs/glossary.md``, the old keyword argument
(or dataclass field) is still accepted until :data:`REMOVED_IN`, with a
:class:`DeprecationWarning` that names the old and the new name.  Passing both is a
``TypeError``.  The signature that :func:`inspect.signature` reports, and that the
glossary test reads, carries only the new names.

Examples
--------
>>> @renamed(current="i_write")
... def wer(params, i_write): ...
>>> import warnings
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter("always")
...     wer(None, current=1e-4)
...     print(w[0].category.__name__)
DeprecationWarning
"""

from __future__ import annotations

import dataclasses
import functools
import warnings

__all__ = ["REMOVED_IN", "renamed", "renamed_fields", "deprecated_names", "warn_renamed"]

#: Release in which the deprecated names stop working.
REMOVED_IN = "0.2.0"


def warn_renamed(where, old, new, stacklevel=2):
    """Warn that ``old`` is deprecated in favour of ``new`` (the one message of the package).

    Parameters
    ----------
    where : str
        The function, class or table the name belongs to (starts the message).
    old, new : str
        The deprecated and the new name.
    stacklevel : int
        As in :func:`warnings.warn`.
    """
    warnings.warn(
        f"{where}: {old!r} is deprecated, use {new!r} (the old name is removed in spinaps {REMOVED_IN})",
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )


def _rename_kwargs(where, kwargs, old_to_new):
    for old, new in old_to_new.items():
        if old in kwargs:
            if new in kwargs:
                raise TypeError(f"{where} got both {old!r} (deprecated) and {new!r}; pass only {new!r}")
            warn_renamed(where, old, new, stacklevel=3)
            kwargs[new] = kwargs.pop(old)
    return kwargs


def renamed(**old_to_new):
    """Decorate a function whose keyword arguments were renamed ``old=new``.

    The wrapped function accepts each old keyword until :data:`REMOVED_IN`, with a
    :class:`DeprecationWarning` that names the old and the new name, and passes its
    value on under the new name.  :func:`inspect.signature` of the wrapped function
    shows the new names only.

    Parameters
    ----------
    **old_to_new : str
        The new name of each deprecated keyword.

    Returns
    -------
    callable
        A decorator; the wrapped function accepts the old keywords with a
        :class:`DeprecationWarning` and records them in ``__deprecated_names__``
        (merged with those of an already decorated function).

    Raises
    ------
    TypeError
        Raised by the wrapped function, when it is called with both an old keyword and
        its new name.

    Examples
    --------
    >>> @renamed(t_write="t_pulse")
    ... def energy(i_write, *, t_pulse):
    ...     return i_write * t_pulse
    >>> deprecated_names(energy)
    {'t_write': 't_pulse'}
    >>> energy(1e-4, t_write=1e-8, t_pulse=1e-8)
    Traceback (most recent call last):
        ...
    TypeError: energy() got both 't_write' (deprecated) and 't_pulse'; pass only 't_pulse'
    """

    def decorate(func):
        where = f"{func.__qualname__}()"

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **_rename_kwargs(where, kwargs, old_to_new))

        wrapper.__deprecated_names__ = {**getattr(func, "__deprecated_names__", {}), **old_to_new}
        return wrapper

    return decorate


def renamed_fields(**old_to_new):
    """Decorate a dataclass whose fields (or properties) were renamed ``old=new``.

    The constructor accepts the old keywords, and reading the old attribute returns
    the new field's value; both warn with a :class:`DeprecationWarning`.
    (:func:`dataclasses.replace` takes the new names only.)  Apply it above
    ``@dataclass``.

    Parameters
    ----------
    **old_to_new : str
        The new field name of each deprecated field (or the name of a property or
        other attribute of the class: then only the attribute alias is added, the
        constructor does not take the old name).

    Returns
    -------
    callable
        A class decorator; the decorated class records the names in
        ``__deprecated_names__``.

    Raises
    ------
    TypeError
        Raised by the decorator, if a new name is neither a field nor an attribute of
        the class; raised by the constructor, when it is given both an old name and
        its new one.

    Examples
    --------
    >>> import dataclasses, warnings
    >>> @renamed_fields(t_write="t_pulse")
    ... @dataclasses.dataclass(frozen=True)
    ... class Pulse:
    ...     t_pulse: float
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     Pulse(t_write=1e-8).t_write
    1e-08
    """

    def decorate(cls):
        fields = {f.name for f in dataclasses.fields(cls)}
        missing = sorted(new for new in old_to_new.values() if new not in fields and not hasattr(cls, new))
        if missing:
            raise TypeError(f"{cls.__name__} has no field or attribute {missing} to rename to")
        in_init = {old: new for old, new in old_to_new.items() if new in fields}
        init = cls.__init__
        where = f"{cls.__qualname__}()"

        @functools.wraps(init)
        def __init__(self, *args, **kwargs):
            init(self, *args, **_rename_kwargs(where, kwargs, in_init))

        cls.__init__ = __init__
        for old, new in old_to_new.items():
            setattr(cls, old, _alias_property(cls.__qualname__, old, new))
        cls.__deprecated_names__ = {**getattr(cls, "__deprecated_names__", {}), **old_to_new}
        return cls

    return decorate


def _alias_property(owner, old, new):
    def get(self):
        warn_renamed(f"{owner}.{old}", old, new, stacklevel=2)
        return getattr(self, new)

    return property(get, doc=f"Deprecated alias of ``{new}`` (removed in spinaps {REMOVED_IN}).")


def deprecated_names(obj) -> dict:
    """The deprecated names ``{old: new}`` an object still accepts (empty if none).

    Parameters
    ----------
    obj : callable or type
        A function decorated with :func:`renamed`, a class decorated with
        :func:`renamed_fields` (or an instance of one), or anything else.

    Returns
    -------
    dict
        ``{old name: new name}``, a copy; empty if ``obj`` has no deprecated names.

    Examples
    --------
    >>> deprecated_names(len)
    {}
    """
    return dict(getattr(obj, "__deprecated_names__", {}))
