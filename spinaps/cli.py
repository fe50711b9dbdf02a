"""Command-line interface: ``spinaps run``, ``spinaps presets``, ``spinaps --version``."""

from __future__ import annotations

import argparse
import json
import sys

from ._version import __version__


def _parser():
    parser = argparse.ArgumentParser(
        prog="spinaps",
        description="Multiscale models of a spintronic accelerator for probabilistic spiking neural networks.")
    parser.add_argument("--version", action="version", version=f"spinaps {__version__}")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the model chain on a preset and write results and figures")
    from .device.presets import DEFAULT_PRESET
    run.add_argument("--preset", default=DEFAULT_PRESET, help=f"MTJ preset (default {DEFAULT_PRESET})")
    run.add_argument("--output", "-o", default=None,
                     help="output folder (default spinaps-output/run-<timestamp>)")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument("--n-devices", type=int, default=2000, help="devices per LLGS ensemble (default 2000)")
    run.add_argument("--temperature", type=float, default=300.0, help="temperature in K (default 300)")
    run.add_argument("--network-model", default=None,
                     help="trained network file (.npz) to reuse; written there after training if absent")
    run.add_argument("--no-progress", action="store_true", help="hide progress bars")
    sub.add_parser("presets", help="list the MTJ presets with their sources")
    return parser


def main(argv=None) -> int:
    """Entry point of the ``spinaps`` command."""
    args = _parser().parse_args(argv)
    if args.command == "run":
        from .chain import run
        try:
            out = run(args.preset, args.output, seed=args.seed, n_devices=args.n_devices,
                      temperature=args.temperature, progress=not args.no_progress,
                      network_model=args.network_model)
        except (KeyError, ValueError) as err:
            print(f"spinaps run: error: {err.args[0] if err.args else err}", file=sys.stderr)
            return 2
        summary = json.loads((out / "summary.json").read_text())
        print(f"preset {summary['preset']}: delta = {summary['delta']:.1f}, I_c0 = {summary['ic0_A'] * 1e6:.2f} uA, "
              f"tau_D = {summary['tau0_s'] * 1e9:.3f} ns, R_P = {summary['r_p_Ohm']:.0f} Ohm, "
              f"R_AP = {summary['r_ap_Ohm']:.0f} Ohm")
        for label, p in summary["p_switch_llg"].items():
            print(f"LLGS switching probability at {label}: {p:.4f}")
        net = summary["network"]
        print(f"network: test accuracy {net['accuracy_fault_free']:.4f} fault-free, "
              f"{net['accuracy_chips_mean']:.4f} +- {net['accuracy_chips_std']:.4f} on chips with the bitcell's faults")
        arch = summary["architecture"]
        print(f"accelerator (MTJ): {arch['mtj_gsops']:.3g} GSOPS, {arch['mtj_gsops_per_w']:.4g} GSOPS/W, "
              f"{arch['mtj_pj_per_sop']:.3g} pJ/SOP, {arch['mtj_area'] * 1e6:.3g} mm^2; GSOPS/W/mm^2 "
              f"{arch['ratio_gsops_per_w_per_mm2']:.3g}x the SRAM design")
        print(f"results written to {out}")
        return 0
    if args.command == "presets":
        from .device.presets import presets, sources
        for name, params in presets.items():
            print(f"{name}: delta(300 K) = {float(params.delta()):.1f}, I_c0 = {float(params.ic0) * 1e6:.1f} uA"
                  f" -- {sources[name].reference}")
        return 0
    _parser().print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
