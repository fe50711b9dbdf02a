"""How the suite is shared between pytest-xdist workers (``-n auto --dist loadgroup``,
``pyproject.toml``).

A session or module fixture is built once per worker that runs a test asking for it.
So that each is built once per test run, the tests are grouped before they are handed
out (a group runs on one worker): the tests of a module form one group, and modules
whose tests use the same costly session fixture (:data:`SHARED`: the small design's
chain run, the default trained networks, the serial sweep) are merged into one group.
The notebooks are the exception: each is long and shares nothing, so each runs on its
own.

Each worker gets its share of the cores (``SPINAPS_NUM_THREADS``, the package's thread
setting, which the notebooks' kernels inherit), so that workers x threads stay within
the machine, as for a sweep's Dask workers.

Without xdist (``-n 0``) the marks change nothing and the threads are the package's
default.
"""

import os

import pytest

from spinaps import threads

#: Session fixtures costing tens of seconds each.
SHARED = ("result", "run_folder", "float_model", "qat4_model", "hidden_model", "hidden_qat", "serial")

#: Modules whose tests are handed out one by one.
ONE_BY_ONE = ("tests/integration/test_notebooks.py",)


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per CPU this process may run on (its affinity mask, as
    the package counts them), not psutil's count of the host's physical cores."""
    return threads.available_cpus()


def pytest_configure(config):
    workers = os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if workers and not os.environ.get(threads.ENV):
        os.environ[threads.ENV] = str(max(1, threads.available_cpus() // int(workers)))


def _module(item):
    """The test file of ``item`` (its node id up to the first ``::``)."""
    return item.nodeid.split("::")[0]


def _groups(items):
    """The group of each module: modules that share a fixture of SHARED, merged."""
    parent = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for item in items:
        for name in SHARED:
            if name in item.fixturenames:
                parent[find(_module(item))] = find(name)
    return find


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks into the test ids
def pytest_collection_modifyitems(config, items):
    find = _groups(items)
    for item in items:
        if _module(item) not in ONE_BY_ONE:
            item.add_marker(pytest.mark.xdist_group(find(_module(item))))
