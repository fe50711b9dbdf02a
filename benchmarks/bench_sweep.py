"""Sweep throughput and overheads on two cores.

Workload: the small design of ``tests/integration/test_chain.py`` (2,000 training and 500 test
digits, 6 chips) swept over ``storage.t_storage`` (8 values): every point recomputes its
cell faults and evaluations; device, circuit and the trained network come from a step
cache warmed once and copied afresh for every measurement, and every measurement runs in
a fresh process (the cell tables are also cached in memory), so each starts from the
same state.  A point's own computations are multi-threaded (``spinaps.threads``), so the
runs are timed at one thread per point and at the machine's CPUs:

* ``reference_1``, ``reference``: the points' computations in a plain loop
  (``run_point``), no store, no scheduler, at 1 thread and at all CPUs -- the work itself;
* ``serial``: ``sweep(scheduler="synchronous")`` in this process (store writes included),
  all CPUs;
* ``workers_1``, ``workers_2``: ``sweep`` on a ``LocalCluster`` of 1 and 2 single-task
  worker processes, one thread per point;
* ``default``: ``sweep`` with the default scheduler (one worker per CPU, CPUs / workers
  threads per point);
* ``resume_100``: opening a finished 100-point store and finding nothing to do.

Figures: points per minute; the store overhead (serial / reference - 1); the store and
scheduler overhead (workers_1 / reference_1 - 1, cluster start-up included) and per point
(without the start-up: a one-worker cluster importing the package, less a plain import,
``cluster_start_s``); the scaling efficiency workers_1 / (2 workers_2).  Issue targets: efficiency >= 80 %,
overhead under 5 %, resume under 5 s.  Nothing here asserts on timing.

Usage::

    python benchmarks/bench_sweep.py [--out benchmarks/results/sweep.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from spinaps.sweep import METRICS, Sweep, _prepare_store, _write_point, run_point, sweep

BASE = {
    "network": {"train_samples": 2000, "test_samples": 500, "epochs": 6, "qat_epochs": 2, "ann_epochs": 5},
    "study": {"chips": 6, "llg_devices": 50, "variability_devices": 50},
}
SWEEP = {"sweep": {"seed": 0}, "design": BASE, "axes": {"storage.t_storage": {"geomspace": [3600.0, 3.6e6, 8]}}}


def _timed_process(code, threads=None):
    """Wall time of ``code`` run by a fresh Python process [s] (``threads``: its
    ``SPINAPS_NUM_THREADS``)."""
    env = dict(os.environ)
    env.pop("SPINAPS_NUM_THREADS", None)
    if threads is not None:
        env["SPINAPS_NUM_THREADS"] = str(threads)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "sweep.json"))
    args = parser.parse_args(argv)
    sw = Sweep.from_dict(SWEEP)
    n = len(sw.indices())
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        warm = work / "warm"
        run_point(sw.base.to_toml(), warm)  # device, circuit, training cached once

        def fresh(name):
            target = work / f"cache-{name}"
            shutil.copytree(warm, target)
            return target

        setup = f"from spinaps.sweep import Sweep, run_point, sweep; sw = Sweep.from_dict({SWEEP!r}); "
        seconds = {}
        for name, threads in (("reference_1", 1), ("reference", None)):
            seconds[name] = _timed_process(
                setup + f"[run_point(sw.point(i).to_toml(), {str(fresh(name))!r}) for i in sw.indices()]", threads
            )
        runs = (
            ("serial", ", scheduler='synchronous'", None),
            ("workers_1", ", workers=1", 1),
            ("workers_2", ", workers=2", 1),
            ("default", "", None),
        )
        for name, kw, threads in runs:
            seconds[name] = _timed_process(
                setup + f"sweep(sw, {str(work / (name + '.zarr'))!r}, "
                f"cache_dir={str(fresh(name))!r}, progress=False{kw})",
                threads,
            )
        # the fixed cost of a cluster: start one worker process that imports the package,
        # against a process that only imports it
        seconds["import"] = _timed_process("import spinaps.sweep")
        seconds["cluster_start"] = _timed_process(
            "import spinaps.sweep; from spinaps.sweep import _local_cluster; from dask.distributed import Client\n"
            "with _local_cluster(1) as c, Client(c) as cl: cl.submit(__import__, 'spinaps.sweep').result()",
            1,
        )
        big = Sweep.from_dict(
            {"sweep": {"seed": 0}, "design": BASE, "axes": {"architecture.clock_hz": {"linspace": [1e8, 1e9, 100]}}}
        )
        store = work / "finished.zarr"
        _prepare_store(big, store)
        values = {name: 1.0 for name in METRICS}
        for index in big.indices():  # a finished sweep's store
            _write_point(store, big, index, values)
        start = time.perf_counter()
        sweep(big, store, progress=False)
        seconds["resume_100"] = time.perf_counter() - start
    result = {
        "points": n,
        "seconds": seconds,
        "points_per_minute": {
            k: 60.0 * n / v for k, v in seconds.items() if k not in ("import", "cluster_start", "resume_100")
        },
        "overhead_serial": seconds["serial"] / seconds["reference"] - 1.0,
        "overhead_workers_1": seconds["workers_1"] / seconds["reference_1"] - 1.0,
        "cluster_start_s": seconds["cluster_start"] - seconds["import"],
        "overhead_per_point_workers_1": (
            seconds["workers_1"] - seconds["reference_1"] - (seconds["cluster_start"] - seconds["import"])
        )
        / seconds["reference_1"],
        "default_against_serial": seconds["serial"] / seconds["default"],
        "scaling_efficiency_2_workers": seconds["workers_1"] / (2.0 * seconds["workers_2"]),
        "targets": {"scaling_efficiency_2_workers": 0.8, "overhead": 0.05, "resume_100_s": 5.0},
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
