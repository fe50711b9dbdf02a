"""One setting for the package's threads: precedence, bad values, the BLAS limit, and
the thread pools of the hot paths following it."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from spinaps import threads
from spinaps.device import llg, preset, simulate


@pytest.fixture(autouse=True)
def no_setting(monkeypatch):
    monkeypatch.delenv(threads.ENV, raising=False)
    threads.set_threads(None)
    yield
    threads.set_threads(None)


def test_argument_then_setting_then_environment_then_cpus(monkeypatch):
    assert threads.get_threads() == threads.available_cpus()
    monkeypatch.setenv(threads.ENV, "3")
    assert threads.get_threads() == 3
    threads.set_threads(2)
    assert threads.get_threads() == 2 and threads.resolve(5) == 5
    with threads.limit(1):
        assert threads.get_threads() == 1
    assert threads.get_threads() == 2
    threads.set_threads(None)
    assert threads.get_threads() == 3


@pytest.mark.parametrize("value", [0, -1, 2.5, "4", True])
def test_bad_thread_counts_name_the_parameter(value):
    with pytest.raises(ValueError, match=r"threads = .* must be an integer in \[1, inf\)"):
        threads.set_threads(value)
    with pytest.raises(ValueError, match=r"threads = "):
        threads.resolve(value)


def test_a_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv(threads.ENV, "many")
    with pytest.raises(ValueError, match="SPINAPS_NUM_THREADS = 'many'"):
        threads.get_threads()


def test_blas_limit_limits_numpys_blas_and_restores_it():
    blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
    if not blas:
        pytest.fail("numpy reports no BLAS library to threadpoolctl")
    before = [p["num_threads"] for p in blas]
    with threads.limit(1), threads.blas_limit():
        assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before


def test_the_llg_ensemble_follows_the_setting(monkeypatch):
    """With one thread the ensemble runs without a pool (the ``threads`` argument used to
    be ignored), and the result does not depend on the number of threads."""
    mtj = preset("Ikeda2010")
    kw = dict(n_devices=llg.CHUNK + 16, seed=3, dt=1e-12)  # two chunks: a pool with two threads
    two = simulate(mtj, 1.5 * float(mtj.ic0), 5e-11, threads=2, **kw)

    class NoPool:
        def __init__(self, *args, **kwargs):
            raise AssertionError("a thread pool was started with one thread")

    monkeypatch.setattr(llg, "ThreadPoolExecutor", NoPool)
    with threads.limit(1):
        one = simulate(mtj, 1.5 * float(mtj.ic0), 5e-11, **kw)
    for name in ("mx", "my", "mz"):
        np.testing.assert_array_equal(one[name].values, two[name].values)
