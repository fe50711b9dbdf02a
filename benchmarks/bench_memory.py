"""Speed of the memory organisation search (issue target: an 8 MB memory in under 2 s on two cores).

Workload: NVSim's 8 MB sample cache data array (22 nm, 512-bit line, its
``sample_STTRAM.cell`` read at 0.03 V, see :mod:`spinaps.circuit.memory_validation`),
searched for the read energy-delay product as NVSim's file asks
(:func:`spinaps.circuit.search_organisation`).  Timed, each as the median of
``--repeats`` runs, each on a fresh bitcell (so the cell's device figures are part of
the time; the device layer's compiled kernels are warmed up once first):

* ``search_8MB_read_edp``: one worker process; ``search_8MB_read_edp_2_workers``: the
  distinct sub-arrays shared by two processes of one pool for the whole search;
* ``search_8MB_<target>`` for the other targets (one worker);
* ``array_figures``: one :meth:`spinaps.circuit.Array.figures` of a 1024 x 512
  sub-array with the cell's figures cached (the unit of the search's cost; the
  reference in the same run, so the ratio carries over between machines).

NVSim's printed results carry no search time; ``--nvsim PATH`` runs an NVSim binary
on the same configuration and records its wall time (otherwise the row says it was not
measured).  The JSON records the machine load at the start and the end.  Nothing here
asserts on timing.

Usage::

    python benchmarks/bench_memory.py [--repeats 3] [--nvsim PATH] [--out benchmarks/results/memory.json]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

from bench_network import machine_record, median_time, write_result

from spinaps.circuit import Array, from_nvsim_cfg, search_organisation
from spinaps.circuit.memory_validation import NVSIM_RUNS
from spinaps.circuit.validation import NVSIM_DATA

RUN = "sample_STTRAM_cache"


def _cell():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        cfg = from_nvsim_cfg(NVSIM_DATA / f"{RUN}.cfg")
        return cfg, replace(cfg.to_bitcell(), v_read=NVSIM_RUNS[RUN])


def _nvsim_time(binary):
    """Wall time of NVSim's own search on the same files, or None."""
    if binary is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for name in (f"{RUN}.cfg", "sample_STTRAM.cell"):
            shutil.copy(NVSIM_DATA / name, Path(tmp) / name)
        start = time.perf_counter()
        subprocess.run([str(Path(binary).resolve()), f"{RUN}.cfg"], cwd=tmp, check=True, capture_output=True)
        return time.perf_counter() - start


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--nvsim", default=None, help="an NVSim binary to time on the same configuration")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "memory.json"))
    args = ap.parse_args(argv)
    load_start = os.getloadavg()
    cfg, cell = _cell()
    cell.figures()  # compiles the device layer's kernels
    bits, word = cfg.capacity, cfg.word_width

    def search(target, workers=1):
        fresh = replace(cell)  # a new bitcell: its figures are recomputed
        return search_organisation(fresh, bits, word, target, workers=workers)

    result_edp = search("read_edp")
    cell_figures = cell.figures()
    times = {
        "search_8MB_read_edp": median_time(lambda: search("read_edp"), args.repeats),
        "search_8MB_read_edp_2_workers": median_time(lambda: search("read_edp", 2), args.repeats),
        "search_8MB_read_latency": median_time(lambda: search("read_latency"), args.repeats),
        "search_8MB_read_energy": median_time(lambda: search("read_energy"), args.repeats),
        "search_8MB_area": median_time(lambda: search("area"), args.repeats),
        "array_figures": median_time(
            lambda: Array(cell, 1024, 512, 32, predecoded=True).figures(cell_figures), 5 * args.repeats
        ),
    }
    nvsim = _nvsim_time(args.nvsim)
    c = result_edp.candidates
    result = {
        "seconds": times,
        "nvsim_search_seconds": nvsim if nvsim is not None else "not measured (pass --nvsim PATH)",
        "ratio_search_to_array_figures": times["search_8MB_read_edp"] / times["array_figures"],
        "search": {
            "candidates": int(c.sizes["candidate"]),
            "subarrays_considered": int(c.attrs["subarrays_considered"]),
            "subarrays_evaluated": int(c.attrs["subarrays_evaluated"]),
            "best": repr(result_edp.organisation),
        },
        "machine": machine_record(load_start),
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
