"""Speed of `spinaps run` on the default design, as a user meets it.

Timed (wall clock, each a fresh process, as ``spinaps run`` is):

* ``cold``: the default design from an empty step cache (every step computed; the
  numba kernels are already compiled in the user cache, as after a user's first run:
  a small run compiles them, and its step results are removed);
* ``architecture_changed``: then the default design with ``architecture.clock_hz``
  changed (device, circuit, training and evaluation served from the step cache);
* ``same_design``: the same design again into a new folder (every cached step reused).

Reference in the same run: ``python -c "import spinaps.chain"`` (the import cost that
every run pays).  Recorded too: each step's own time in the cold and the warm run (from
their ``run.json``: the steps, the sensitivity table and the report), the load average
and the thread variables.  Targets (two cores): cold under 45 s, the same design again
under 10 s.  Nothing here asserts on timing.

Usage::

    python benchmarks/bench_chain.py [--out benchmarks/results/chain.json]
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


def _timed(args, env):
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "chain.json"))
    args = parser.parse_args(argv)
    load_start = list(os.getloadavg())
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        env = dict(os.environ, SPINAPS_CACHE_DIR=str(work / "cache"))
        run = [sys.executable, "-m", "spinaps.cli", "run", "--no-progress"]
        # compile every numba kernel of the chain into this cache first (a user's first
        # run does it once): a small run, whose step results are then thrown away
        small = ["--set", "study.chips=2", "--set", "network.epochs=1", "--set", "network.qat_epochs=1"]
        subprocess.run(run + ["-o", str(work / "compile")] + small, check=True, env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(work / "cache" / "steps")
        run = [sys.executable, "-m", "spinaps.cli", "run", "--no-progress"]
        seconds = {
            "import_reference": _timed([sys.executable, "-c", "import spinaps.chain"], env),
            "cold": _timed(run + ["-o", str(work / "a")], env),
            "architecture_changed": _timed(run + ["-o", str(work / "b"), "--set", "architecture.clock_hz=250e6"], env),
            "same_design": _timed(run + ["-o", str(work / "c")], env),
        }
        timings = json.loads((work / "a" / "run.json").read_text())["timings"]
        warm = json.loads((work / "c" / "run.json").read_text())["timings"]
    result = {
        "seconds": seconds,
        "cold_steps_seconds": timings,
        "warm_steps_seconds": warm,
        "targets_seconds": {"cold": 45, "same_design": 10},
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_1_5_15_min_at_start": load_start,
            "loadavg_1_5_15_min_at_end": list(os.getloadavg()),
            "thread_variables": {k: os.environ.get(k) for k in ("SPINAPS_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
        },
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
