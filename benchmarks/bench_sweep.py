"""Sweep throughput and overheads on two cores.

Workload: the small design of ``tests/test_chain.py`` (2,000 training and 500 test
digits, 6 chips) swept over ``storage.t_storage`` (8 values): every point recomputes its
cell faults and evaluations; device, circuit and the trained network come from a step
cache warmed once and copied afresh for every measurement, and every measurement runs in
a fresh process (the cell tables are also cached in memory), so each starts from the
same state.  Timed:

* ``reference``: the points' computations in a plain loop (``run_point``), no store, no
  scheduler -- the work itself;
* ``serial``: ``sweep(scheduler="synchronous")`` in this process (store writes included);
* ``workers_1``, ``workers_2``: ``sweep`` on a ``LocalCluster`` of 1 and 2 worker
  processes;
* ``resume_100``: opening a finished 100-point store and finding nothing to do.

Figures: points per minute, the store and scheduler overhead (serial / reference - 1,
workers_1 / reference - 1), the scaling efficiency workers_1 / (2 workers_2).  Issue
targets: efficiency >= 80 %, overhead under 5 %, resume under 5 s.  Nothing here
asserts on timing.

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

BASE = {"network": {"train_samples": 2000, "test_samples": 500, "epochs": 6, "qat_epochs": 2, "ann_epochs": 5},
        "study": {"chips": 6, "llg_devices": 50, "variability_devices": 50}}
SWEEP = {"sweep": {"seed": 0}, "design": BASE, "axes": {"storage.t_storage": {"geomspace": [3600.0, 3.6e6, 8]}}}


def _timed_process(code):
    """Wall time of ``code`` run by a fresh Python process [s]."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
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
        run_point(sw.base.to_toml(), warm)                  # device, circuit, training cached once

        def fresh(name):
            target = work / f"cache-{name}"
            shutil.copytree(warm, target)
            return target

        setup = ("from spinaps.sweep import Sweep, run_point, sweep; "
                 f"sw = Sweep.from_dict({SWEEP!r}); ")
        seconds = {"reference": _timed_process(setup + f"[run_point(sw.point(i).to_toml(), {str(fresh('ref'))!r}) "
                                                       "for i in sw.indices()]")}
        runs = (("serial", ", scheduler='synchronous'"), ("workers_1", ", workers=1"), ("workers_2", ", workers=2"))
        for name, kw in runs:
            seconds[name] = _timed_process(setup + f"sweep(sw, {str(work / (name + '.zarr'))!r}, "
                                                   f"cache_dir={str(fresh(name))!r}, progress=False{kw})")
        big = Sweep.from_dict({"sweep": {"seed": 0}, "design": BASE,
                               "axes": {"architecture.clock_hz": {"linspace": [1e8, 1e9, 100]}}})
        store = work / "finished.zarr"
        _prepare_store(big, store)
        values = {name: 1.0 for name in METRICS}
        for index in big.indices():                          # a finished sweep's store
            _write_point(store, big, index, values)
        start = time.perf_counter()
        sweep(big, store, progress=False)
        seconds["resume_100"] = time.perf_counter() - start
    result = {"points": n, "seconds": seconds,
              "points_per_minute": {k: 60.0 * n / seconds[k] for k in ("reference", "serial", "workers_1",
                                                                       "workers_2")},
              "overhead_serial": seconds["serial"] / seconds["reference"] - 1.0,
              "overhead_workers_1": seconds["workers_1"] / seconds["reference"] - 1.0,
              "scaling_efficiency_2_workers": seconds["workers_1"] / (2.0 * seconds["workers_2"]),
              "targets": {"scaling_efficiency_2_workers": 0.8, "overhead": 0.05, "resume_100_s": 5.0},
              "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                          "python": platform.python_version(), "numpy": np.__version__}}
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
