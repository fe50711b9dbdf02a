"""Speed of the cell-by-cell variability path: :func:`spinaps.circuit.chip_cells`.

Workload: 100 chips of the default network's cells, 10 x 784 x 4 x 4 = 125,440 per chip
(12.5 M cells), programmed with the bit planes of a random 4-bit level array; the
Ikeda 2010 pMTJ in a 28 nm 1T-1MTJ cell written at 1.5 I_c0 from 1.2 V, the pulse sized
for WER 1e-9; device-to-device spread {diameter 3 %, Ku 0.5 %, Ms 0.25 %, alpha 5 %,
RA 5 %, TMR 5 %} (log-normal), one day of storage.  Timed:

* ``chip_cells_cold``: the whole call with empty table cache (pulse sizing, the
  nominal solves, the pilot sample, the Fokker-Planck tables and their self-check,
  then every cell), once;
* ``chip_cells_warm``: the same call again (tables cached: sampling and lookups only),
  the median of ``--repeats``;
* ``fault_model_and_apply``: :meth:`FaultModel.from_cells` and one
  :meth:`FaultModel.apply` of the 12.5 M cells;
* memory: the peak of numpy's allocations during one warm call (``tracemalloc``) and
  the process's peak resident size;
* reference in the same run: one direct Fokker-Planck write-error solve of the nominal
  device (:func:`spinaps.device.write_error_rate`), so ratios carry over between
  machines.

Issue target (two cores): the whole call for 100 chips under 30 s.  Nothing here
asserts on timing.

Usage::

    python benchmarks/bench_variability.py [--repeats 3] [--chips 100] [--out benchmarks/results/variability.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
import tracemalloc
from pathlib import Path

import numpy as np

from spinaps.circuit import MTJBitcell, chip_cells, technology
from spinaps.circuit import cells as cells_module
from spinaps.device import preset, write_error_rate
from spinaps.network import FaultModel
from spinaps.network.weights import to_bit_planes

SPREAD = {"diameter": 0.03, "ku": 0.005, "ms": 0.0025, "alpha": 0.05, "ra": 0.05, "tmr0": 0.05}
T_STORAGE = 86400.0


def _median_time(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2], out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--chips", type=int, default=100)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "variability.json"))
    args = ap.parse_args(argv)
    mtj = preset("Ikeda2010")
    ic0 = float(mtj.ic0)
    cell = MTJBitcell(mtj, technology(28), i_write=1.5 * ic0, v_write=1.2, target_wer=1e-9)
    levels = np.random.default_rng(0).integers(-7, 8, size=(10, 784, 4))
    bits = to_bit_planes(levels, 4)  # (10, 784, 4, 4)
    n_cells = args.chips * bits.size

    def run():
        return chip_cells(cell, bits, args.chips, spread=SPREAD, t_storage=T_STORAGE, seed=1)

    cells_module._TABLE_CACHE.clear()
    cold, cells = _median_time(run, 1)
    tables = next(iter(cells_module._TABLE_CACHE.values()))[0]
    warm, cells = _median_time(run, args.repeats)
    t_pulse = cells.t_pulse
    reference, _ = _median_time(
        lambda: write_error_rate(mtj, 1.5 * ic0, t_pulse, stt_form="slonczewski", direction="p_to_ap"), args.repeats
    )
    del cells  # peak memory of one warm call (tables cached), untimed
    tracemalloc.start()
    cells = run()
    call_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    start = time.perf_counter()
    faults = FaultModel.from_cells(cells)
    faults.apply(bits, args.chips, np.random.default_rng(0))
    apply_time = time.perf_counter() - start
    ones = bits == 1
    result = {
        "workload": {
            "chips": args.chips,
            "cells_per_chip": int(bits.size),
            "cells": int(n_cells),
            "preset": "Ikeda2010",
            "node_nm": 28,
            "i_write_over_ic0": 1.5,
            "v_write": 1.2,
            "target_wer": 1e-9,
            "t_pulse": t_pulse,
            "spread": SPREAD,
            "t_storage": T_STORAGE,
        },
        "seconds": {
            "chip_cells_cold": cold,
            "chip_cells_warm": warm,
            "fault_model_and_apply": apply_time,
            "direct_wer_solve_reference": reference,
        },
        "cells_per_second_cold": n_cells / cold,
        "cells_per_second_warm": n_cells / warm,
        "ratio_cold_call_to_one_direct_solve": cold / reference,
        "tables": {
            "max_rel_error": cells.table_max_rel_error,
            "cells_solved_directly": cells.n_direct,
            "solves": {name: t.n_solves for name, t in tables.items()},
        },
        "result_bytes": int(
            sum(getattr(cells, k).nbytes for k in ("wer", "retention", "read_disturb", "read_error", "delta"))
        ),
        "chip_cells_peak_traced_bytes": int(call_peak),
        "peak_rss_bytes": int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024,
        "population": {
            "mean_wer_p_to_ap": float(cells.wer[:, ones].mean(dtype=np.float64)),
            "nominal_wer_p_to_ap": cells.nominal["wer_p_to_ap"],
            "mean_retention": float(cells.retention.mean(dtype=np.float64)),
            "nominal_retention": cells.nominal["retention"],
        },
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
