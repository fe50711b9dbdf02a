"""Output folders that can be trusted: refused paths, atomic files, run status, and the
numba cache outside the package."""

import json
import pathlib

import numpy as np
import pytest
import xarray as xr

import spinaps
from spinaps.output import MANIFEST, OutputError, OutputFolder, atomic_write


def test_unusable_paths_are_refused_before_any_work(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(OutputError, match="empty path"):
        OutputFolder("", "abc")
    with pytest.raises(OutputError, match="is a file"):
        OutputFolder(a_file, "abc")
    with pytest.raises(OutputError, match="runs through the file"):
        OutputFolder(a_file / "sub", "abc")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not a spinaps run"):
        OutputFolder(foreign, "abc")


def test_another_designs_folder_is_refused(tmp_path):
    out = OutputFolder(tmp_path / "run", "design-a")
    out.start()
    assert out.status() == "running"
    OutputFolder(tmp_path / "run", "design-a")  # the same design may write again
    with pytest.raises(OutputError, match="another design"):
        OutputFolder(tmp_path / "run", "design-b")
    out.mark("complete")
    data = json.loads((tmp_path / "run" / MANIFEST).read_text())
    assert data["status"] == "complete" and data["spinaps_version"] == spinaps.__version__


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "x.nc"

    def fail(tmp):
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, fail)
    assert list(tmp_path.iterdir()) == []
    out = OutputFolder(tmp_path / "r", "k")
    out.start()
    ds = xr.Dataset({"a": ("t", np.arange(3.0), {"units": "s", "long_name": "a"})})
    out.write_dataset("a", ds)
    with xr.open_dataset(tmp_path / "r" / "a.nc") as back:
        np.testing.assert_array_equal(back.a.values, ds.a.values)
    assert not [p for p in (tmp_path / "r").iterdir() if p.name.endswith(".part")]


def test_numba_cache_lives_in_the_user_cache_dir(tmp_path, monkeypatch):
    """The compiled kernels cache under SPINAPS_CACHE_DIR (the user cache directory),
    never beside the installed sources (pip does not know such files)."""
    from spinaps._jit import _UserCacheLocator
    from spinaps.device import _kernel
    from spinaps.paths import user_cache_dir

    monkeypatch.setenv("SPINAPS_CACHE_DIR", str(tmp_path / "cache"))
    assert user_cache_dir() == tmp_path / "cache"
    locator = _UserCacheLocator(_kernel.advance.py_func, _kernel.__file__)
    assert pathlib.Path(locator.get_cache_path()).is_relative_to(tmp_path / "cache" / "numba")
    package = pathlib.Path(spinaps.__file__).parent
    impl = _kernel.advance._cache._impl
    assert not pathlib.Path(impl.locator.get_cache_path()).is_relative_to(package)
    monkeypatch.delenv("SPINAPS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / "spinaps"


def test_a_kernel_cache_is_stale_when_a_neighbouring_module_changes(tmp_path):
    """A compiled kernel inlines helpers from the modules beside it (the LLGS kernel the
    normal-number generator), so its cache stamp covers every module of its folder, not
    only its own file's time and size: changing a helper invalidates it."""
    from spinaps import _jit

    (tmp_path / "kernel.py").write_text("def f():\n    return 1\n")
    (tmp_path / "helper.py").write_text("def g():\n    return 2\n")
    before = _jit._folder_stamp(str(tmp_path))
    _jit._folder_stamp.cache_clear()
    (tmp_path / "helper.py").write_text("def g():\n    return 3\n")
    after = _jit._folder_stamp(str(tmp_path))
    assert before != after
    _jit._folder_stamp.cache_clear()
    assert _jit._folder_stamp(str(tmp_path)) == after  # a function of the contents only

    def func():
        return 1

    locator = _jit._UserCacheLocator(func, str(tmp_path / "kernel.py"))
    assert locator.get_source_stamp() == after
