"""Reading a pickle from outside without running its code: a restricted unpickler.

Unpickling calls whatever callables the file names (its ``GLOBAL`` / ``STACK_GLOBAL``
opcodes), so a downloaded pickle can run any code -- ``os.system``, ``builtins.eval``
-- the moment it is loaded.  :class:`RestrictedUnpickler` resolves every global the
file names through an explicit allow-list, ``{"module.name": object}``, and refuses
any other with :class:`ForbiddenGlobalError` (naming the file and the ``module.name``)
before anything is called.  The objects of the allow-list are the reader's own
reconstruction functions, so the file can only build what the reader lets it build.

Everything else a pickle can do is data: the other opcodes push numbers, strings,
lists, tuples and dicts, or call the callables on the stack -- which only the
allow-list can put there (``GLOBAL``, ``STACK_GLOBAL``, ``INST``, ``OBJ`` and the
extension registry's ``EXT`` all resolve through :meth:`~pickle.Unpickler.find_class`;
persistent ids are refused by :meth:`RestrictedUnpickler.persistent_load`).
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Mapping

import numpy as np

__all__ = ["ForbiddenGlobalError", "RestrictedUnpickler", "numpy_array_globals", "restricted_load"]


class ForbiddenGlobalError(pickle.UnpicklingError):
    """A pickle names a global that is not on the reader's allow-list.

    Attributes
    ----------
    global_name : str
        The refused ``module.name``.
    """

    def __init__(self, message, global_name):
        super().__init__(message)
        self.global_name = global_name


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves globals only through an allow-list.

    Parameters
    ----------
    file : binary file object
        The open pickle stream.
    allowed : mapping of str to object
        ``"module.name"`` (as the file spells it, e.g. ``"copy_reg._reconstructor"``
        in a protocol-2 pickle) to the object it stands for.
    source : str
        The file's name, for the messages.

    Notes
    -----
    ``fix_imports`` is off: the allow-list sees the names exactly as written in the
    file, so a Python 2 name (``__builtin__``, ``copy_reg``) is admitted only if it is
    listed as such.
    """

    def __init__(self, file, allowed: Mapping[str, object], source: str = "pickle"):
        super().__init__(file, fix_imports=False, encoding="latin1")
        self._allowed = dict(allowed)
        self._source = source

    def find_class(self, module, name):
        """The allow-listed object for ``module.name``; refuse any other.

        Raises
        ------
        ForbiddenGlobalError
            If ``module.name`` is not on the allow-list.
        """
        key = f"{module}.{name}"
        try:
            return self._allowed[key]
        except KeyError:
            raise ForbiddenGlobalError(
                f"{self._source}: refused to load the global {key!r}: it is not one of the "
                f"{len(self._allowed)} constructors this reader allows ({', '.join(sorted(self._allowed))}); "
                "the file was not unpickled",
                key,
            ) from None

    def persistent_load(self, pid):
        """Refuse persistent ids (references to objects outside the file)."""
        raise pickle.UnpicklingError(f"{self._source}: refused a persistent id ({pid!r:.60}): not allowed")


def restricted_load(data, allowed: Mapping[str, object], source: str = "pickle"):
    """Unpickle ``data`` (bytes or a binary file) resolving globals only through ``allowed``.

    Parameters
    ----------
    data : bytes or binary file object
        The pickle.
    allowed : mapping of str to object
        ``"module.name"`` to the object it stands for (see :class:`RestrictedUnpickler`).
    source : str
        The file's name, for the messages.

    Returns
    -------
    object
        What the pickle builds from the allowed objects and plain data.

    Raises
    ------
    ForbiddenGlobalError
        If the pickle names a global that is not allowed (nothing it names is called).
    pickle.UnpicklingError
        If the pickle is malformed or uses a persistent id.

    Examples
    --------
    >>> import pickle
    >>> from spinaps.network.pickles import restricted_load
    >>> restricted_load(pickle.dumps({"a": [1, 2.5, "x"]}), {})
    {'a': [1, 2.5, 'x']}
    >>> from spinaps.network.pickles import ForbiddenGlobalError
    >>> try:
    ...     restricted_load(b"cos\\nsystem\\n(S'echo hi'\\ntR.", {})
    ... except ForbiddenGlobalError as err:
    ...     err.global_name
    'os.system'
    """
    fh = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    return RestrictedUnpickler(fh, allowed, source).load()


_NUMPY_RECONSTRUCT = np.zeros(0).__reduce__()[0]


def numpy_array_globals(dtypes, error=pickle.UnpicklingError):
    """The allow-list entries of a pickle of plain numpy arrays of the given dtypes.

    numpy pickles an array as ``numpy.core.multiarray._reconstruct(numpy.ndarray, (0,),
    b"b")`` (an empty placeholder whose state then brings the data, with its size checked
    against its shape by numpy) and its dtype as ``numpy.dtype(spec, align, copy)``.  The
    entries admit exactly that: the placeholder of a plain ``ndarray`` (no subclass) and
    the dtypes ``dtypes``; anything else raises ``error``.

    Parameters
    ----------
    dtypes : collection of str
        The dtype codes the file may use (e.g. ``{"u1", "i8"}``).
    error : type of Exception
        Raised, with a message naming what was refused, for any other array or dtype.

    Returns
    -------
    dict
        ``{"numpy.core.multiarray._reconstruct": ..., "numpy.ndarray": numpy.ndarray,
        "numpy.dtype": ...}``, for :func:`restricted_load`.
    """
    allowed = frozenset(dtypes)

    def reconstruct(cls, shape, typecode):
        if cls is not np.ndarray:
            raise error(f"unexpected array class {cls!r}")
        if tuple(shape) != (0,) or typecode not in (b"b", "b"):
            raise error(f"unexpected array placeholder {shape!r}, {typecode!r}")
        return _NUMPY_RECONSTRUCT(np.ndarray, (0,), b"b")

    def dtype(spec, align=False, copy=True):
        if spec not in allowed:
            raise error(f"unexpected dtype {spec!r} (allowed: {', '.join(sorted(allowed))})")
        return np.dtype(spec, bool(align), True)

    return {"numpy.core.multiarray._reconstruct": reconstruct, "numpy.ndarray": np.ndarray, "numpy.dtype": dtype}
