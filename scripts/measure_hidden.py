"""The hidden-layer network (784 -> 400 -> 10) in binary MTJ cells, on the embedded MNIST.

Trains the default recipe (:func:`spinaps.network.train_hidden_snn`, float weights), then
quantisation-aware fine-tunes to B = 1 and 4 bits in both layers (8 epochs at 1.5e-3,
the last 2 at 1.5e-4, seed 0: the recipe of the tests), and evaluates on the 2,000 test
digits:

* fault free over ``--passes`` stochastic passes (accuracy, by a deadline of 4 steps,
  the activity of both layers until the decision);
* a plain bit error rate 1e-5 ... 1e-1 in the cells of both layers, and in one layer at
  a time at 1e-2, over ``--chips`` chips (mean and 5th percentile).

Every accuracy is printed with its binomial standard error sqrt(p (1 - p) / n) over the
n = 2,000 test digits (of one pass; the spread over passes or chips is printed too).

Usage::

    python scripts/measure_hidden.py [--passes 20] [--chips 20] [--out hidden.json]
"""

from __future__ import annotations

import argparse
import json
import time

from spinaps.network import FaultModel, evaluate_hidden, train_hidden_snn
from spinaps.network.datasets import load
from spinaps.network.tools import binomial_se

#: Quantisation-aware fine-tune of both layers from the float model (tests/unit/network/conftest.py).
QAT = {"epochs": 8, "lr": 1.5e-3, "lr_final": 1.5e-4, "final_epochs": 2, "seed": 0}
BERS = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
ACTIVITY = (
    "input_spikes_per_step",
    "hidden_spikes_per_step",
    "steps_per_inference",
    "input_spikes_per_inference",
    "hidden_spikes_per_inference",
    "sops_per_inference",
    "window_inputs_per_inference",
    "window_hidden_per_inference",
    "no_spike",
    "tie_rate",
)


def summary(ds, n):
    final = ds.accuracy.isel(deadline=-1)
    p = float(final.mean())
    out = {
        "accuracy": p,
        "se": binomial_se(p, n),
        "chip_std": float(final.std()),
        "p5": float(final.quantile(0.05)),
        "by_step_4": float(ds.accuracy.sel(deadline=4).mean()),
    }
    return out | {name: float(ds[name].mean()) for name in ACTIVITY}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--chips", type=int, default=20)
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    ds = load("mnist")
    x, y, xt, yt = ds.x_train.values, ds.y_train.values, ds.x_test.values, ds.y_test.values
    n = len(yt)
    out = {"n_test": n, "passes": args.passes, "chips": args.chips}
    start = time.perf_counter()
    models = {"float": train_hidden_snn(x, y, seed=0)}
    out["train_seconds_float"] = time.perf_counter() - start
    for bits in (4, 1):
        start = time.perf_counter()
        models[bits] = train_hidden_snn(x, y, weight_bits=bits, init=models["float"], **QAT)
        out[f"train_seconds_{bits}bit"] = time.perf_counter() - start
    for name, model in models.items():
        start = time.perf_counter()
        r = summary(evaluate_hidden(model, xt, yt, n_chips=args.passes, seed=1), n)
        r["evaluate_seconds"] = time.perf_counter() - start
        out[f"{name}"] = r
        print(
            f"{name}: {r['accuracy']:.4f} +- {r['se']:.4f} (pass std {r['chip_std']:.4f}), by step 4 "
            f"{r['by_step_4']:.4f}; steps {r['steps_per_inference']:.2f}, input spikes/inference "
            f"{r['input_spikes_per_inference']:.1f}, hidden spikes/step {r['hidden_spikes_per_step']:.1f}, "
            f"hidden spikes/inference {r['hidden_spikes_per_inference']:.1f}, SOPs {r['sops_per_inference']:.0f}; "
            f"evaluated in {r['evaluate_seconds']:.1f} s"
        )
    for bits in (4, 1):
        rows = []
        for ber in BERS:
            start = time.perf_counter()
            r = summary(evaluate_hidden(models[bits], xt, yt, n_chips=args.chips, bit_error_rate=ber, seed=2), n)
            r |= {"bit_error_rate": ber, "seconds": time.perf_counter() - start}
            rows.append(r)
            print(
                f"{bits}-bit, BER {ber:g} in both layers: mean {r['accuracy']:.4f}, p5 {r['p5']:.4f} "
                f"({r['seconds']:.1f} s)"
            )
        for layer in ("hidden", "output"):
            r = summary(
                evaluate_hidden(
                    models[bits], xt, yt, n_chips=args.chips, seed=2, faults={layer: FaultModel(flip=1e-2)}
                ),
                n,
            )
            r |= {"bit_error_rate": 1e-2, "layer": layer}
            rows.append(r)
            print(f"{bits}-bit, BER 1e-2 in the {layer} layer only: mean {r['accuracy']:.4f}, p5 {r['p5']:.4f}")
        out[f"ber_{bits}bit"] = rows
    if args.out:
        with open(args.out, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
