"""The grouping of the suite's tests for pytest-xdist (``tests/conftest.py``): modules
that share a costly session fixture land in one group, every other module in its own,
and the notebooks are handed out one by one."""

import os
from types import SimpleNamespace

from tests import conftest


def item(nodeid, *fixtures):
    marks = []
    return SimpleNamespace(nodeid=nodeid, fixturenames=list(fixtures), add_marker=marks.append, marks=marks)


def test_modules_sharing_a_costly_fixture_are_one_group():
    items = [
        item("tests/unit/a.py::t1", "hidden_model"),
        item("tests/unit/a.py::t2"),
        item("tests/unit/b.py::t1", "hidden_qat", "hidden_model", "float_model"),  # the closure, as pytest gives it
        item("tests/unit/c.py::t1", "float_model"),
        item("tests/unit/d.py::t1", "tmp_path"),
        item("tests/integration/test_notebooks.py::test_notebook_runs[02]"),
    ]
    conftest.pytest_collection_modifyitems(None, items)
    assert items[-1].marks == []  # a notebook: its own scope
    group = {i.nodeid: i.marks[0].args[0] for i in items[:-1]}
    # a and b share hidden_model, b and c float_model: one group
    assert len({group[f"tests/unit/{m}.py::t1"] for m in "abc"}) == 1
    assert group["tests/unit/a.py::t2"] == group["tests/unit/a.py::t1"]
    assert group["tests/unit/d.py::t1"] not in {group["tests/unit/a.py::t1"]}


def test_each_worker_gets_its_share_of_the_cores(monkeypatch):
    from spinaps import threads

    monkeypatch.delenv(threads.ENV, raising=False)
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    monkeypatch.setattr(threads, "available_cpus", lambda: 5)
    conftest.pytest_configure(None)
    assert os.environ[threads.ENV] == "2"
    monkeypatch.setenv(threads.ENV, "3")  # a setting of the user's is kept
    conftest.pytest_configure(None)
    assert os.environ[threads.ENV] == "3"
    assert conftest.pytest_xdist_auto_num_workers(None) == 5
