"""Speed of the Fokker-Planck write-error-rate map against the LLG Monte Carlo in the same run.

Workload: the benchmark device (``spinaps.device.preset("benchmark")``: 40 nm x 1.3 nm,
Delta = 50, alpha = 0.01, P = 0.6) and a 50 x 50 map of currents 1.1-4 I_c0 and pulse
widths 1-50 ns at 300 K, end-state criterion; the map reaches WER far below 1e-15.

Timed, each as the median of ``--repeats`` runs:

* ``fp_map``: :func:`spinaps.device.write_error_rate` on the whole map (50 currents of
  one device: one direct solve per current, each giving all 50 pulse widths);
* ``fp_table``: the same map through the reduced-variable interpolation table (the
  path of large ensembles), with its self-check against direct solves;
* ``ensemble``: the WER of 10^4 devices sampled with the default design's spread (``Design().variability.spread``)
  around the Ikeda 2010 preset at one operating point (2 I_c0, 20 ns);
* ``llg_column``: the stochastic-LLG Monte Carlo of one current of the map (1.5 I_c0)
  with ``--samples`` trajectories over the longest pulse, first-passage criterion
  (one run gives all 50 pulse widths), dt = 0.25 ps (at 1 ps the Heun scheme's bias
  lowers this low-damping device's WER by about 2.5 % near the median, more than the
  95 % interval of 10^4 samples); it resolves WER >= 1 / samples only.  The
  ratio quoted scales it to the 50 currents of the map.

The script also reports the largest relative difference between the table and the
direct map over WER in [1e-15, 0.999], the process CPU time of the direct map
(``fp_map_cpu_s``: on a busy machine the wall time mostly measures the other load),
the thread setting (:func:`spinaps.threads.get_threads`) and the machine load
(``os.getloadavg``) at start and end.  Nothing here asserts on timing.

Usage::

    python benchmarks/bench_wer_map.py [--repeats 3] [--samples 10000] [--out benchmarks/results/wer_map.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

import spinaps
import spinaps.threads
from spinaps.design import Design
from spinaps.device import error_rates, preset, sample_variability, write_error_rate

#: The spread of the default design's device-to-device variability.
RUN_SPREAD = Design().variability.spread


def _median_time(fn, repeats, cpu=None):
    times, cpus, result = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    if cpu is not None:
        cpu.append(float(np.median(cpus)))
    return float(np.median(times)), result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument(
        "--dt",
        type=float,
        default=0.25e-12,
        help="LLG time step [s]; at 1 ps the Heun bias shifts this device's WER by ~2.5 %%",
    )
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "wer_map.json"))
    args = ap.parse_args(argv)
    load_start = list(os.getloadavg())

    dev = preset("benchmark")
    ic = float(dev.ic0)
    currents = np.linspace(1.1, 4.0, 50) * ic
    pulses = np.geomspace(1e-9, 50e-9, 50)

    write_error_rate(dev, currents[:2], pulses[:2])  # compile the kernels outside the timing
    cpu_map = []
    t_map, direct = _median_time(lambda: write_error_rate(dev, currents, pulses), args.repeats, cpu_map)

    direct_max = error_rates.DIRECT_MAX
    error_rates.DIRECT_MAX = 0  # force the interpolation table
    try:
        t_table, table = _median_time(lambda: write_error_rate(dev, currents, pulses), args.repeats)
    finally:
        error_rates.DIRECT_MAX = direct_max
    ok = (direct.values > 1e-15) & (direct.values < 0.999)
    table_error = float(np.max(np.abs(table.values[ok] / direct.values[ok] - 1.0)))

    nominal = preset("Ikeda2010")
    ens = sample_variability(nominal, 10_000, spread=dict(RUN_SPREAD), seed=1)
    t_ens, wer_ens = _median_time(lambda: write_error_rate(ens, 2.0 * float(nominal.ic0), 20e-9), args.repeats)

    i_mc = 1.5 * ic
    t_llg, mc = _median_time(
        lambda: write_error_rate(
            dev, i_mc, pulses, method="llg", n_samples=args.samples, seed=1, criterion="first_passage", dt=args.dt
        ),
        1,
    )
    fp_col = write_error_rate(dev, i_mc, pulses, criterion="first_passage")
    resolved = mc.values >= 1e-4
    inside = (fp_col.values >= mc.ci_low.values) & (fp_col.values <= mc.ci_high.values)

    result = {
        "spinaps_version": spinaps.__version__,
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "workload": {
            "device": "benchmark",
            "n_currents": 50,
            "n_pulses": 50,
            "current_range_ic0": [1.1, 4.0],
            "pulse_range_s": [1e-9, 50e-9],
            "criterion": "end_state",
        },
        "loadavg_1_5_15_min_at_start": load_start,
        "threads": {"spinaps": spinaps.threads.get_threads(), "env": os.environ.get(spinaps.threads.ENV)},
        "fp_map_s": t_map,
        "fp_map_cpu_s": cpu_map[0],
        "fp_table_map_s": t_table,
        "table_max_rel_error_vs_direct": table_error,
        "table_self_check": float(table.attrs["table_max_rel_error"]),
        "smallest_wer_in_map": float(direct.values.min()),
        "ensemble_1e4_devices_s": t_ens,
        "ensemble_table_self_check": float(wer_ens.attrs["table_max_rel_error"]),
        "ensemble_spread": dict(RUN_SPREAD),
        "llg_one_current_s": t_llg,
        "llg_samples": args.samples,
        "llg_dt_s": args.dt,
        "llg_map_estimate_s": 50 * t_llg,
        "speed_ratio_llg_map_over_fp_map": 50 * t_llg / t_map,
        "llg_points_resolved": int(resolved.sum()),
        "fp_inside_llg_ci_of_resolved": int((inside & resolved).sum()),
        "repeats": args.repeats,
        "loadavg_1_5_15_min_at_end": list(os.getloadavg()),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
