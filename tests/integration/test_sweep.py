"""Sweeps: validation before any work, the Zarr store, identical results on a Dask
LocalCluster, and resuming after the driver is killed with SIGKILL."""

import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr

from spinaps.design import DesignError
from spinaps.sweep import METRICS, Sweep, open_store, shared_steps, sweep

#: The small design of tests/test_chain.py as the base of a sweep file.
BASE = """
[sweep]
seed = 2
[design.network]
train_samples = 2000
test_samples = 500
epochs = 6
qat_epochs = 2
ann_epochs = 5
[design.study]
chips = 6
llg_devices = 50
variability_devices = 50
"""
#: Points that differ only in the architecture: after the first, every point reuses the
#: device, circuit, training and evaluation steps from the cache.
AXES = """
[axes]
"architecture.clock_hz" = [125e6, 250e6, 500e6]
[zip.bits]
"architecture.neuron.accumulator_bits" = [12, 16]
"architecture.neuron.probability_bits" = [6, 8]
"""


def _sweep_file(tmp_path, text=BASE + AXES, name="s.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("sweep-cache")


@pytest.fixture(scope="module")
def user_cache(serial, cache, tmp_path_factory):
    """A user cache directory (``SPINAPS_CACHE_DIR``) holding the serial run's steps, so
    that the command's points take about a second each."""
    root = tmp_path_factory.mktemp("user-cache")
    shutil.copytree(cache, root / "steps")
    return root


@pytest.fixture(scope="module")
def serial(cache, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serial")
    sw = Sweep.from_toml(_sweep_file(folder))
    return sw, sweep(sw, folder / "serial.zarr", scheduler="synchronous", cache_dir=cache, progress=False).load()


def test_the_store_holds_every_point_with_units(serial):
    sw, ds = serial
    assert sw.dims == ("architecture.clock_hz", "bits") and sw.shape == (3, 2)
    assert bool(ds.done.all())
    for name in METRICS:
        assert ds[name].attrs["units"] is not None, name
    assert ds["architecture.neuron.accumulator_bits"].values.tolist() == [12, 16]
    # the swept value moves the architecture and nothing upstream
    gsops = ds.gsops_mtj.isel(bits=1).values
    assert gsops[0] < gsops[1] < gsops[2]
    assert np.unique(ds.accuracy_mean.values).size == 1 and np.unique(ds.t_pulse.values).size == 1
    assert ds.attrs["sweep_fingerprint"] == sw.fingerprint() and "[device]" in ds.attrs["base_design"]


def test_a_local_cluster_gives_the_same_store(serial, cache, tmp_path):
    """Two worker processes, points finishing in any order: exactly the serial numbers."""
    sw, ds = serial
    other = sweep(sw, tmp_path / "cluster.zarr", workers=2, cache_dir=cache, progress=False).load()
    for name in METRICS:
        np.testing.assert_array_equal(other[name].values, ds[name].values, err_msg=name)


#: The command as a user runs it, in a child process whose third point's write waits
#: (after a marker file is written) until the signal arrives: the interruption always
#: lands mid-sweep, with exactly two points done, however fast the points are.
_HELD_SWEEP = """
import pathlib, sys, time
import spinaps.sweep
from spinaps.cli import main

write, written = spinaps.sweep._write_point, []

def held(*args):
    if len(written) == 2:
        pathlib.Path({marker!r}).touch()
        time.sleep(600)
    write(*args)
    written.append(args[2])

spinaps.sweep._write_point = held
sys.exit(main(["sweep", {path!r}, "--store", {store!r}, "--no-progress"]))
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_resume_after_an_interruption_equals_an_uninterrupted_run(sig, serial, user_cache, tmp_path):
    """Interrupt ``spinaps sweep`` (default scheduler: a local cluster) once two points are
    written -- SIGKILL, or Ctrl-C, which is reported with exit status 130 -- and the same
    command then computes only the missing points: the store equals the uninterrupted one."""
    sw, ds = serial
    path = _sweep_file(tmp_path)
    store = tmp_path / "interrupted.zarr"
    marker = tmp_path / "two-points-written"
    code = _HELD_SWEEP.format(marker=str(marker), path=str(path), store=str(store))
    env = dict(os.environ, SPINAPS_CACHE_DIR=str(user_cache))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not marker.exists():
        time.sleep(0.1)
    assert marker.exists(), f"the sweep ended (status {proc.poll()}) before its third point"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "Run the same command again to resume" in err, err
    with xr.open_zarr(store) as part:
        assert int(part.done.sum()) == 2
    resumed = sweep(
        Sweep.from_toml(path), store, scheduler="synchronous", cache_dir=user_cache / "steps", progress=False
    ).load()
    for name in METRICS:
        np.testing.assert_array_equal(resumed[name].values, ds[name].values, err_msg=name)
    assert bool(resumed.done.all())


def test_a_finished_sweep_is_a_no_op_and_another_sweep_is_refused(serial, cache, tmp_path, capsys):
    from spinaps.cli import main

    sw, ds = serial
    store = tmp_path / "again.zarr"
    sweep(sw, store, cache_dir=cache, progress=False)
    stamp = (store / "zarr.json").stat().st_mtime_ns if (store / "zarr.json").exists() else None
    path = _sweep_file(tmp_path)
    assert main(["sweep", str(path), "--store", str(store), "--no-progress"]) == 0
    assert "nothing to compute" in capsys.readouterr().out
    if stamp is not None:
        assert (store / "zarr.json").stat().st_mtime_ns == stamp
    changed = _sweep_file(tmp_path, BASE + AXES.replace("500e6", "400e6"), "changed.toml")
    assert main(["sweep", str(changed), "--store", str(store), "--no-progress"]) == 2
    assert "holds another sweep" in capsys.readouterr().err
    xr.testing.assert_equal(open_store(store).load(), ds.assign_attrs(open_store(store).attrs))


@pytest.mark.parametrize(
    "text, key, match",
    [
        ('[axes]\n"circuit.nod" = [22, 28]', "circuit.nod", "did you mean circuit.node"),
        ('[axes]\n"circuit.node" = [22, 23]', "circuit.node", "23 is not allowed"),
        ('[axes]\n"circuit.node" = []', "axes.circuit.node", "an empty axis"),
        ('[axes]\n"circuit.node" = [28, 28]', "axes.circuit.node", "changes nothing"),
        ('[axes]\n"circuit.t_pulse" = {geomspace = [0, 5e-8, 4]}', "axes.circuit.t_pulse", "must be positive"),
        ('[axes]\n"circuit.t_pulse" = {range = [1, 2, 3]}', "axes.circuit.t_pulse", "a list of values or one of"),
        ('[zip.g]\n"circuit.node" = [22, 28]\n"circuit.rows" = [256]', "zip.g", "same number of values"),
        ('[sweep]\nseeds = 2\n[axes]\n"circuit.node" = [22, 28]', "sweep.seeds", "unknown key"),
        ('[sweep]\nreplicates = 0\n[axes]\n"circuit.node" = [22, 28]', "sweep.replicates", "an integer in"),
        ("[sweep]\nseed = 1", "axes", "at least one axis"),
        ('[sweep]\nchips = 0\n[axes]\n"circuit.node" = [22, 28]', "sweep.chips", "an integer in"),
    ],
)
def test_bad_sweeps_are_refused_before_any_work(text, key, match, tmp_path):
    path = _sweep_file(tmp_path, text)
    with pytest.raises(DesignError, match=match) as info:
        Sweep.from_toml(path)
    assert info.value.key == key


def test_replicates_have_their_own_seeds():
    sw = Sweep.from_dict({"sweep": {"seed": 5, "replicates": 3, "chips": 7}, "axes": {"circuit.node": [22, 28]}})
    assert sw.base.study.chips == 7
    seeds = [sw.point((0, r)).study.seed for r in range(3)]
    assert seeds[0] == 5 and len(set(seeds)) == 3
    assert sw.point((1, 2)).study.seed == seeds[2] and sw.point((1, 2)).circuit.node == 28
    assert sw.dims == ("circuit.node", "replicate")


def test_a_killed_worker_does_not_lose_the_sweep(serial, cache, tmp_path):
    """A worker process killed with SIGKILL mid-sweep: the nanny restarts it, Dask
    reschedules its point, and the store still equals the serial one."""
    import threading

    from dask.distributed import Client, LocalCluster

    sw, ds = serial
    store = tmp_path / "worker-killed.zarr"
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        result = {}
        runner = threading.Thread(
            target=lambda: result.update(ds=sweep(sw, store, scheduler=client, cache_dir=cache, progress=False).load())
        )
        runner.start()
        deadline = time.monotonic() + 300
        killed = False
        while time.monotonic() < deadline and runner.is_alive() and not killed:
            time.sleep(0.2)
            busy = [addr for addr, tasks in client.processing().items() if tasks]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed = True
        runner.join(timeout=300)
    assert killed and "ds" in result
    for name in METRICS:
        np.testing.assert_array_equal(result["ds"][name].values, ds[name].values, err_msg=name)


def test_shared_steps_run_once_before_the_points_that_use_them(cache, tmp_path):
    """Two network configurations x two clock rates on a cluster: one task per distinct
    nominal device, circuit and training, each finished before its points start."""
    from dask.distributed import Client, LocalCluster, get_task_stream

    text = BASE + '[axes]\n"network.qat_epochs" = [1, 2]\n"architecture.clock_hz" = [125e6, 250e6]\n'
    sw = Sweep.from_toml(_sweep_file(tmp_path, text))
    groups = shared_steps({idx: sw.point(idx) for idx in sw.indices()})
    assert sorted((step, sorted(members)) for (step, _), members in groups.items()) == [
        ("circuit", sw.indices()),
        ("device", sw.indices()),
        ("training", [(0, 0), (0, 1)]),
        ("training", [(1, 0), (1, 1)]),
    ]
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
        get_task_stream(client) as stream,
    ):
        sweep(sw, tmp_path / "shared.zarr", scheduler=client, cache_dir=cache, progress=False)
        # the scheduler's own order of transitions: the compute spans' times come from two
        # worker processes, each shifted by its own estimate of the scheduler's clock, so
        # across workers they order the tasks only to within that estimate's error
        order = [(t.key, t.finish) for t in cluster.scheduler.transition_log]
    tag = f"sweep-{sw.fingerprint()[:10]}"
    spans = {}
    for task in (t for t in stream.data if str(t["key"]).startswith(tag)):
        for span in task["startstops"]:
            if span["action"] == "compute":
                spans.setdefault(task["key"], []).append((span["start"], span["stop"]))
    assert sorted(k for k in spans if "-point-" not in k) == sorted(f"{tag}-{step}-{key}" for step, key in groups)
    assert all(len(v) == 1 for v in spans.values())  # every task ran once
    for (step, key), members in groups.items():
        done = order.index((f"{tag}-{step}-{key}", "memory"))
        for idx in members:
            assert order.index((f"{tag}-point-{idx[0]}-{idx[1]}", "processing")) > done


def test_the_command_runs_against_a_scheduler_address(serial, user_cache, tmp_path, capsys, monkeypatch):
    """``spinaps sweep FILE --scheduler tcp://...`` on a running cluster: the serial store."""
    from dask.distributed import LocalCluster

    from spinaps.cli import main

    sw, ds = serial
    monkeypatch.setenv("SPINAPS_CACHE_DIR", str(user_cache))  # the workers inherit it
    path = _sweep_file(tmp_path)
    store = tmp_path / "address.zarr"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        assert main(["sweep", str(path), "--store", str(store), "--scheduler", address, "--no-progress"]) == 0
    assert "6 of 6 points" in capsys.readouterr().out
    for name in METRICS:
        np.testing.assert_array_equal(open_store(store)[name].values, ds[name].values, err_msg=name)


@pytest.mark.parametrize(
    "args, match",
    [
        (["--workers", "0"], "--workers = 0"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not together with --scheduler"),
        (["--scheduler", "threads"], "scheduler = 'threads'"),
    ],
)
def test_bad_scheduler_options_are_refused_before_any_work(args, match, tmp_path, capsys):
    from spinaps.cli import main

    path = _sweep_file(tmp_path)
    assert main(["sweep", str(path), "--store", str(tmp_path / "never.zarr"), "--no-progress", *args]) == 2
    assert match in capsys.readouterr().err
    assert not (tmp_path / "never.zarr").exists()


def test_a_script_without_a_main_guard_gets_a_clear_message(tmp_path):
    """Worker processes re-import the user's script: without ``if __name__ ==
    "__main__":`` the cluster cannot start, and the message says what to do."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from spinaps.sweep import Sweep, sweep\n"
        "sw = Sweep.from_dict({'axes': {'circuit.node': [22, 28]}})\n"
        f"sweep(sw, {str(tmp_path / 'never.zarr')!r}, workers=2, progress=False)\n"
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert 'if __name__ == "__main__":' in run.stderr and 'scheduler="synchronous"' in run.stderr
