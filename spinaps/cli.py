"""Command-line interface: ``spinaps run``, ``spinaps config``, ``spinaps sweep``, ``spinaps presets``.

``spinaps run [design.toml] [-o folder] [--set key=value ...]`` runs a design (the
built-in default without a file) through every layer and writes its output folder;
``spinaps config --default`` prints the default design with a comment per key;
``spinaps config --check design.toml`` validates a design without running it.
Configuration errors are reported in one line naming the dotted key, before any work.
"""

from __future__ import annotations

import argparse
import sys
import tomllib

from ._version import __version__

#: Shortcut options of ``spinaps run`` and the design keys they set.
SHORTCUTS = {
    "preset": "device.preset",
    "seed": "study.seed",
    "temperature": "storage.temperature",
    "chips": "study.chips",
}


def _parser():
    parser = argparse.ArgumentParser(
        prog="spinaps",
        description="Multiscale models of a spintronic accelerator for probabilistic spiking neural networks.",
    )
    parser.add_argument("--version", action="version", version=f"spinaps {__version__}")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run a design through every layer and write results, figures and a report")
    run.add_argument("design", nargs="?", default=None, help="design file (TOML); default: the built-in design")
    run.add_argument("--output", "-o", default=None, help="output folder (default spinaps-output/run-<timestamp>)")
    _add_set(run)
    for name, key in SHORTCUTS.items():
        run.add_argument(f"--{name}", default=None, help=f"shortcut for --set {key}=VALUE")
    run.add_argument("--no-cache", action="store_true", help="recompute every step (no step cache)")
    run.add_argument("--no-progress", action="store_true", help="hide progress bars")
    config = sub.add_parser("config", help="print the default design, or check a design file")
    config.add_argument("design", nargs="?", default=None, help="design file to print resolved (with --set)")
    group = config.add_mutually_exclusive_group()
    group.add_argument("--default", action="store_true", help="print the default design with a comment per key")
    group.add_argument("--check", metavar="FILE", default=None, help="validate a design file without running it")
    _add_set(config)
    sweep = sub.add_parser("sweep", help="run a sweep file over design values into a resumable Zarr store")
    sweep.add_argument("sweep", help="sweep file (TOML; see spinaps.sweep)")
    sweep.add_argument("--store", "-o", default=None, help="Zarr store (default: [sweep] store, else <file>.zarr)")
    sweep.add_argument(
        "--scheduler",
        default=None,
        help="address of a dask.distributed scheduler, e.g. tcp://host:8786, or 'synchronous' "
        "(in this process); default: a local Dask cluster of one worker per core",
    )
    sweep.add_argument("--workers", type=int, default=None, help="start a local Dask cluster of N worker processes")
    sweep.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    sub.add_parser("presets", help="list the MTJ presets with their sources")
    return parser


def _add_set(parser):
    parser.add_argument(
        "--set",
        dest="values",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change one design value by its dotted key, e.g. --set circuit.node=22 (repeatable)",
    )


def parse_value(text: str):
    """A ``--set`` value: a TOML value (number, boolean, string in quotes, array,
    inline table) or else the text itself as a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _overrides(args) -> dict:
    values = {}
    for item in args.values:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--set {item!r}: expected KEY=VALUE, e.g. circuit.node=22")
        values[key.strip()] = parse_value(text.strip())
    for name, key in SHORTCUTS.items():
        if getattr(args, name, None) is not None:
            values[key] = parse_value(getattr(args, name))
    return values


def _design(path, args):
    from .design import Design

    design = Design() if path is None else Design.from_toml(path)
    values = _overrides(args)
    return design.with_values(values) if values else design


def _run(args) -> int:
    from .chain import Chain, default_output_dir
    from .output import OutputFolder

    design = _design(args.design, args)
    out = default_output_dir() if args.output is None else args.output
    OutputFolder(out, design.fingerprint())  # refuse an unusable folder before any work
    chain = Chain(design, cache=not args.no_cache, progress=not args.no_progress)
    try:
        result = chain.run(out)
    except KeyboardInterrupt:
        print(
            f"spinaps run: interrupted; the results in {out} are marked incomplete (run.json, report.md). "
            "Run again to resume from the finished steps.",
            file=sys.stderr,
        )
        return 130
    from .report import summary_text

    print(summary_text(result.datasets))
    print(f"results written to {out} (report.html)")
    return 0


def _config(args) -> int:
    from .design import Design

    if args.default:
        print(Design().to_toml(comments=True))
        return 0
    if args.check is not None:
        design = _design(args.check, args)
        from .chain import check_resources

        check_resources(design)
        print(f"{args.check}: valid design (fingerprint {design.fingerprint()})")
        return 0
    print(_design(args.design, args).to_toml(comments=False))
    return 0


def _sweep(args) -> int:
    import pathlib

    from .sweep import Sweep, sweep

    sw = Sweep.from_toml(args.sweep)
    if args.workers is not None and (args.workers < 1 or args.scheduler is not None):
        raise ValueError(f"--workers = {args.workers}: an integer >= 1, and not together with --scheduler")
    store = args.store
    if store is None:
        with open(args.sweep, "rb") as f:
            store = tomllib.load(f).get("sweep", {}).get("store") or str(pathlib.Path(args.sweep).with_suffix(".zarr"))
    n_points = len(sw.indices())
    before = _done_points(store)
    try:
        ds = sweep(sw, store, scheduler=args.scheduler, workers=args.workers, progress=not args.no_progress)
    except KeyboardInterrupt:
        print(
            f"spinaps sweep: interrupted; the finished points are in {store}. Run the same command again to resume.",
            file=sys.stderr,
        )
        return 130
    if before == n_points:
        print(f"the sweep in {store} is complete ({n_points} points): nothing to compute")
    else:
        print(f"{int(ds.done.sum())} of {n_points} points done in {store} (xarray.open_zarr)")
    return 0


def _done_points(store):
    """Points already done in an existing store of this sweep (None if there is none)."""
    import pathlib

    if not pathlib.Path(store).exists():
        return None
    try:
        import xarray as xr

        with xr.open_zarr(store) as ds:
            return int(ds.done.sum())
    except Exception:  # noqa: BLE001 - an unreadable store is refused by sweep() itself
        return None


def main(argv=None) -> int:
    """Entry point of the ``spinaps`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command in ("run", "config", "sweep"):
        try:
            return {"run": _run, "config": _config, "sweep": _sweep}[args.command](args)
        except (KeyError, ValueError, OSError) as err:
            print(f"spinaps {args.command}: error: {err.args[0] if err.args else err}", file=sys.stderr)
            return 2
    if args.command == "presets":
        from .device.presets import presets, sources

        for name, params in presets.items():
            ap_to_p, p_to_ap = (float(params.ic0_direction(d, "slonczewski")) * 1e6 for d in ("ap_to_p", "p_to_ap"))
            print(
                f"{name}: delta(300 K) = {float(params.delta()):.1f}, I_c0 = {float(params.ic0) * 1e6:.1f} uA"
                f" (Slonczewski: AP->P {ap_to_p:.1f} uA, P->AP {p_to_ap:.1f} uA)"
                f" -- {sources[name].reference}"
            )
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
