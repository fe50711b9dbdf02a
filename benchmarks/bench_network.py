"""Speed of the first-to-spike network: training epochs and many-chip inference.

Workload: the embedded MNIST split (8,000 train / 2,000 test), the default network
(784 -> 10, T = 8, K = 4, tau = 8, the window of all T steps).  Timed, each as the median of ``--repeats`` runs:

* ``train_epoch``: one epoch of :func:`spinaps.network.train_snn` (float weights) and
  ``train_epoch_qat4``: one quantisation-aware 4-bit epoch;
* ``infer_100_chips``: :func:`spinaps.network.evaluate` of the 2,000 test digits on 100
  chip instances of a 4-bit model, each with its own faults (bit error rate 1e-3);
* reference in the same run: one epoch of the equivalent logistic regression
  (:func:`spinaps.network.train_ann`) on the same inputs, so the ratio carries over
  between machines.

Issue targets (two cores, idle): a float epoch <= 0.2 s, 2,000 samples x 100 chips
<= 1 s.  The JSON records the machine load (``os.getloadavg`` at the start and the
end: the figures are only comparable between runs at similar load), the BLAS threads
the network used and ``threadpoolctl``'s view of the thread pools.  Nothing here
asserts on timing.

Usage::

    python benchmarks/bench_network.py [--repeats 3] [--threads N] [--out benchmarks/results/network.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from threadpoolctl import threadpool_info

from spinaps.network import evaluate, train_ann, train_snn
from spinaps.network.datasets import load
from spinaps.network.tools import blas_threads


def median_time(fn, repeats):
    """The median wall-clock time [s] of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def threads_record(threads):
    """The network's BLAS threads for ``threads``, the thread variables of the
    environment and ``threadpoolctl``'s view of the thread pools."""
    return {
        "network_blas_threads": blas_threads(threads),
        "env": {k: os.environ.get(k) for k in ("SPINAPS_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
        "threadpoolctl": [
            {k: info.get(k) for k in ("user_api", "internal_api", "num_threads", "version")}
            for info in threadpool_info()
        ],
    }


def machine_record(load_start):
    """CPUs, platform, Python and the load average at the start (given) and now."""
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_start": list(load_start),
        "loadavg_end": list(os.getloadavg()),
    }


def write_result(result, path):
    """Write ``result`` as indented JSON to ``path`` and print it."""
    text = json.dumps(result, indent=2)
    Path(path).write_text(text + "\n")
    print(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="BLAS threads of the network (default: the package's)")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "network.json"))
    args = ap.parse_args(argv)
    load_start = os.getloadavg()
    ds = load("mnist")
    x, y, xt, yt = ds.x_train.values, ds.y_train.values, ds.x_test.values, ds.y_test.values
    th = args.threads
    model = train_snn(x, y, weight_bits=4, epochs=2, final_epochs=0, threads=th)  # also compiles the kernels
    times = {
        "train_epoch": median_time(lambda: train_snn(x, y, epochs=1, final_epochs=0, threads=th), args.repeats),
        "train_epoch_qat4": median_time(
            lambda: train_snn(x, y, epochs=1, final_epochs=0, weight_bits=4, threads=th), args.repeats
        ),
        "infer_100_chips": median_time(
            lambda: evaluate(model, xt, yt, n_chips=100, bit_error_rate=1e-3, threads=th), args.repeats
        ),
        "ann_epoch_reference": median_time(lambda: train_ann(x, y, epochs=1), args.repeats),
    }
    result = {
        "seconds": times,
        "ratio_snn_epoch_to_ann_epoch": times["train_epoch"] / times["ann_epoch_reference"],
        "ratio_qat4_epoch_to_ann_epoch": times["train_epoch_qat4"] / times["ann_epoch_reference"],
        "ratio_infer_100_chips_to_ann_epoch": times["infer_100_chips"] / times["ann_epoch_reference"],
        "samples_x_chips_per_second": len(xt) * 100 / times["infer_100_chips"],
        "threads": threads_record(th),
        "machine": machine_record(load_start),
    }
    write_result(result, args.out)


if __name__ == "__main__":
    main()
