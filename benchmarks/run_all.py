"""Every benchmark, idle and with one competing busy process, in one table.

Each benchmark script of this folder is run twice in a fresh process, with the same
arguments and environment:

* ``idle``: nothing else started by this script (the machine's load average before and
  after is recorded, so a busy machine shows);
* ``loaded``: with one other process spinning on one core for the whole run (a pure
  Python ``while True`` loop, as a user's other job would), the situation of a
  two-core laptop with something else running, or of a cluster node shared with
  another task.

Every run writes its own JSON (``results/<name>.json`` and ``results/<name>.loaded.json``);
this script then reads the hot paths from them and writes one table, ``docs/performance.md``
(between its two ``run_all.py`` markers, keeping the prose around them; and
``results/run_all.json``): per hot path the idle and loaded time, their ratio
(target: loaded <= 2.2 x idle, a fair share of two cores being at most 2 x), the ratio
to its reference measured in the same run, and the issue's target.  Also recorded: the
machine (CPU model, cores, Python and library versions, BLAS libraries and their
threads as ``threadpoolctl`` reports them), the thread settings
(``SPINAPS_NUM_THREADS`` and the BLAS/OpenMP variables, as given to the runs), and the
load averages around every run.  Nothing here asserts on timing.

Usage::

    python benchmarks/run_all.py                        # every benchmark, idle and loaded
    python benchmarks/run_all.py --only network,wer_map # some of them
    python benchmarks/run_all.py --table-only           # rewrite the table from the JSON files
    python benchmarks/run_all.py --list                 # the benchmarks and their hot paths

The Arm Fokker--Planck comparison needs a checkout of their framework
(``--arm-src PATH``, passed on to ``bench_fp_arm.py``); without one its rows say so.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
TABLE = HERE.parent / "docs" / "performance.md"
#: Largest loaded / idle ratio accepted (one of two cores taken: a fair share is 2 x).
LOADED_TARGET = 2.2
#: The variables that set threads, recorded and passed on unchanged.
THREAD_VARIABLES = (
    "SPINAPS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
)


def _get(data, dotted, default=None):
    """``data["a"]["b"]`` for ``"a.b"``; ``default`` if any part is missing."""
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return default
        data = data[part]
    return data


@dataclass(frozen=True)
class HotPath:
    """One row of the table: where its time is in the benchmark's JSON (dotted key),
    the reference measured in the same run (dotted key of its time, or of a ready
    ratio), and the target as text."""

    name: str
    seconds: str
    reference: str | None = None
    reference_label: str = ""
    ratio: str | None = None  # a dotted key of a ratio the benchmark computed itself (of the row, with "rows:")
    invert: bool = False  # the ratio is reference / ours (a speed-up) rather than ours / reference
    target: str = ""

    def values(self, data):
        if self.seconds.startswith("rows:"):  # "rows:<implementation prefix>:<field>"
            _, prefix, key = self.seconds.split(":")
            row = next((r for r in data.get("rows", []) if str(r.get("implementation", "")).startswith(prefix)), {})
            return row.get(key), row.get(self.ratio) if self.ratio else None
        seconds = _get(data, self.seconds)
        if self.ratio is not None:
            ratio = _get(data, self.ratio)
        else:
            ref = _get(data, self.reference) if self.reference else None
            numbers = all(isinstance(v, (int, float)) and v for v in (seconds, ref))  # e.g. "not measured"
            ratio = None if not numbers else (ref / seconds if self.invert else seconds / ref)
        return seconds, ratio


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    paths: tuple[HotPath, ...]
    args: tuple[str, ...] = ()
    needs: str = ""  # a requirement stated in the table when the benchmark could not run
    out_flag: str = "--out"
    extra: dict = field(default_factory=dict)


BENCHMARKS = (
    Benchmark(
        "llg_cmtj",
        "bench_llg_cmtj.py",
        (
            HotPath(
                "LLGS ensemble (per trajectory, 1e4 steps)",
                "rows:spinaps:s_per_trajectory",
                ratio="speedup_vs_cmtj_serial",
                reference_label="cmtj Heun (serial), speed-up per trajectory",
                target=">= 25 x cmtj",
            ),
        ),
        needs="cmtj (pip install -e '.[bench]')",
        out_flag="--output",
    ),
    Benchmark(
        "wer_map",
        "bench_wer_map.py",
        (
            HotPath("Fokker-Planck WER map, 50 x 50", "fp_map_s", target="< 1 s"),
            HotPath("WER table map, 50 x 50", "fp_table_map_s"),
            HotPath("WER of 1e4 sampled devices", "ensemble_1e4_devices_s"),
        ),
    ),
    Benchmark(
        "fp_arm",
        "bench_fp_arm.py",
        (
            HotPath(
                "Fokker-Planck WER map, 6 x 50, vs Arm FVM",
                "ours_s",
                ratio="arm_comparison.speed_ratio_fvm_over_ours",
                reference_label="Arm MRAM framework FVM, speed-up",
                target="keep the lead",
            ),
            HotPath(
                "Fokker-Planck WER map, 6 x 50, vs Arm analytical",
                "ours_s",
                ratio="arm_comparison.speed_ratio_analytical_over_ours",
                reference_label="Arm MRAM framework analytical, speed-up",
                target="keep the lead",
            ),
        ),
        needs="a checkout of ARM-software/mram_simulation_framework (--arm-src)",
    ),
    Benchmark(
        "network",
        "bench_network.py",
        (
            HotPath(
                "float training epoch (8,000 digits)",
                "seconds.train_epoch",
                reference="seconds.ann_epoch_reference",
                reference_label="logistic-regression epoch",
                target="<= 0.2 s",
            ),
            HotPath(
                "4-bit QAT epoch",
                "seconds.train_epoch_qat4",
                reference="seconds.ann_epoch_reference",
                reference_label="logistic-regression epoch",
            ),
            HotPath(
                "2,000 digits x 100 faulty chips",
                "seconds.infer_100_chips",
                reference="seconds.ann_epoch_reference",
                reference_label="logistic-regression epoch",
                target="<= 1 s",
            ),
        ),
    ),
    Benchmark(
        "hidden",
        "bench_hidden.py",
        (
            HotPath(
                "hidden-layer training, H = 400 (default recipe)",
                "seconds.hidden_train",
                reference="seconds.ann_epoch_reference",
                reference_label="logistic-regression epoch",
                target="< 60 s",
            ),
            HotPath(
                "2,000 digits x 1 fault-free chip (2-layer)",
                "seconds.infer_1_chip",
                reference="seconds.ann_epoch_reference",
                reference_label="logistic-regression epoch",
                target="<= 0.067 s (30,000 samples/s)",
            ),
        ),
    ),
    Benchmark(
        "memory",
        "bench_memory.py",
        (
            HotPath(
                "8 MB memory, organisation searched for read EDP",
                "seconds.search_8MB_read_edp",
                reference="nvsim_search_seconds",
                reference_label="NVSim's own search, speed-up",
                invert=True,
                target="< 2 s",
            ),
        ),
    ),
    Benchmark(
        "variability",
        "bench_variability.py",
        (
            HotPath(
                "cell-by-cell faults, 100 chips, cold",
                "seconds.chip_cells_cold",
                reference="seconds.direct_wer_solve_reference",
                reference_label="one direct WER solve",
                target="< 30 s",
            ),
            HotPath(
                "cell-by-cell faults, 100 chips, warm",
                "seconds.chip_cells_warm",
                reference="seconds.direct_wer_solve_reference",
                reference_label="one direct WER solve",
            ),
        ),
    ),
    Benchmark(
        "chain",
        "bench_chain.py",
        (
            HotPath(
                "spinaps run, cold",
                "seconds.cold",
                reference="seconds.import_reference",
                reference_label="import spinaps.chain",
                target="< 45 s",
            ),
            HotPath(
                "spinaps run, warm (same design)",
                "seconds.same_design",
                reference="seconds.import_reference",
                reference_label="import spinaps.chain",
                target="< 10 s",
            ),
            HotPath(
                "spinaps run, architecture changed",
                "seconds.architecture_changed",
                reference="seconds.import_reference",
                reference_label="import spinaps.chain",
            ),
        ),
    ),
    Benchmark(
        "sweep",
        "bench_sweep.py",
        (
            HotPath(
                "sweep, 8 points, default cluster",
                "seconds.default",
                reference="seconds.reference",
                reference_label="the points in a plain loop",
            ),
        ),
    ),
)


# ---------------------------------------------------------------------- the machine
def machine() -> dict:
    """CPU, cores, versions, BLAS libraries and thread settings of this machine."""
    info = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "thread_variables": {k: os.environ.get(k) for k in THREAD_VARIABLES},
    }
    for module in ("numpy", "numba", "scipy", "spinaps", "cmtj"):
        try:
            info[module] = __import__(module).__version__
        except (ImportError, AttributeError):
            info[module] = None
    try:
        import numpy  # noqa: F401  (loads the BLAS threadpoolctl reports)
        from threadpoolctl import threadpool_info

        info["threadpools"] = [
            {k: pool.get(k) for k in ("user_api", "internal_api", "num_threads", "version")}
            for pool in threadpool_info()
        ]
    except ImportError:
        info["threadpools"] = None
    try:
        from spinaps import threads

        info["spinaps_threads"] = threads.get_threads()
    except ImportError:
        info["spinaps_threads"] = None
    return info


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


@contextlib.contextmanager
def busy_process():
    """One process spinning on one core inside the block (killed on leaving it)."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(1.0)  # let it take its core
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------------- running
def run_one(bench: Benchmark, mode: str, extra_args=()) -> dict:
    """Run one benchmark script in a fresh process; its record (JSON path, times, load)."""
    out = RESULTS / (f"{bench.name}.json" if mode == "idle" else f"{bench.name}.{mode}.json")
    root = HERE.parent  # run from the repository root with relative paths (no machine paths in the records)
    rel = out.relative_to(root)
    script = str((HERE / bench.script).relative_to(root))
    args = [sys.executable, script, *bench.args, *extra_args, bench.out_flag, str(rel)]
    record = {"mode": mode, "command": " ".join([Path(a).name if a == sys.executable else a for a in args])}
    context = busy_process() if mode == "loaded" else contextlib.nullcontext()
    with context as pid:
        record["busy_pid"] = pid
        record["loadavg_before"] = list(os.getloadavg())
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, cwd=root)
        record["wall_s"] = time.perf_counter() - start
        record["loadavg_after"] = list(os.getloadavg())
    record["returncode"] = proc.returncode
    if proc.returncode != 0:
        record["error"] = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
    record["json"] = str(rel)
    return record


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def rows(benchmarks) -> list[dict]:
    """The table's rows, from the JSON files in ``results/``."""
    table = []
    for bench in benchmarks:
        idle = _load(RESULTS / f"{bench.name}.json")
        loaded = _load(RESULTS / f"{bench.name}.loaded.json")
        for path in bench.paths:
            s_idle, r_idle = path.values(idle) if idle else (None, None)
            s_loaded, r_loaded = path.values(loaded) if loaded else (None, None)
            table.append(
                {
                    "benchmark": bench.name,
                    "hot_path": path.name,
                    "idle_s": s_idle,
                    "loaded_s": s_loaded,
                    "loaded_over_idle": s_loaded / s_idle if s_idle and s_loaded else None,
                    "reference": path.reference_label,
                    "ratio_idle": r_idle,
                    "ratio_loaded": r_loaded,
                    "target": path.target,
                    "needs": bench.needs if idle is None else "",
                }
            )
    return table


def _fmt(value, digits=3):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def write_table(table, info, runs) -> str:
    """``docs/performance.md``: the table, the machine and the runs."""
    ok = [r for r in table if r["loaded_over_idle"] is not None]
    worst = max(ok, key=lambda r: r["loaded_over_idle"]) if ok else None
    lines = [
        "## The table",
        "",
        "Written by `python benchmarks/run_all.py` "
        f"on {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}; every figure is "
        "a wall-clock time from the benchmark's own JSON in `benchmarks/results/` "
        "(`<name>.json` idle, `<name>.loaded.json` with one busy process). "
        "Each benchmark's docstring states its workload and what it times.",
        "",
        "*Loaded*: the same benchmark with one other process spinning on one core for the "
        f"whole run. Target: loaded <= {LOADED_TARGET} x idle (a fair share of the two "
        "cores is at most 2 x). *Ratio*: the hot path against its reference measured in "
        "the same run (a speed-up where the reference is another code), so that it carries "
        "over between machines.",
        "",
        "| hot path | idle [s] | loaded [s] | loaded / idle | reference | ratio (idle) | ratio (loaded) | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in table:
        if r["idle_s"] is None and r["needs"]:
            lines.append(f"| {r['hot_path']} | not run: needs {r['needs']} | | | | | | {r['target']} |")
            continue
        lines.append(
            "| "
            + " | ".join(
                [
                    r["hot_path"],
                    _fmt(r["idle_s"]),
                    _fmt(r["loaded_s"]),
                    _fmt(r["loaded_over_idle"], 2),
                    r["reference"] or "–",
                    _fmt(r["ratio_idle"]),
                    _fmt(r["ratio_loaded"]),
                    r["target"] or "–",
                ]
            )
            + " |"
        )
    if worst is not None:
        verdict = "meets" if worst["loaded_over_idle"] <= LOADED_TARGET else "misses"
        lines += [
            "",
            f"Largest loaded / idle ratio: {worst['loaded_over_idle']:.2f} ({worst['hot_path']}); "
            f"the table {verdict} the {LOADED_TARGET} x target.",
        ]
    chain = [_load(RESULTS / f"chain{suffix}.json") for suffix in ("", ".loaded")]
    if chain[0] and chain[0].get("cold_steps_seconds"):
        steps = chain[0]["cold_steps_seconds"]
        loaded = (chain[1] or {}).get("cold_steps_seconds", {})
        lines += [
            "",
            "### Where the time of a cold `spinaps run` goes",
            "",
            "Each step's own wall-clock time (`run.json`); the training runs in its own thread "
            "beside the device and circuit steps, so the steps add up to more than the run.",
            "",
            "| step | idle [s] | loaded [s] |",
            "|---|---|---|",
        ]
        lines += [f"| {k} | {_fmt(v)} | {_fmt(loaded.get(k))} |" for k, v in steps.items()]
    lines += ["", "### Machine and thread settings", "", "```json", json.dumps(info, indent=2), "```"]
    if runs:
        lines += [
            "",
            "### Runs",
            "",
            "| benchmark | mode | wall [s] | load (1 min) before | after | exit |",
            "|---|---|---|---|---|---|",
        ]
        for run in runs:
            lines.append(
                f"| {run['benchmark']} | {run['mode']} | {run['wall_s']:.1f} | {run['loadavg_before'][0]:.2f} | "
                f"{run['loadavg_after'][0]:.2f} | {run['returncode']} |"
            )
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- run_all.py: begin -->", "<!-- run_all.py: end -->"


def merge_table(path: Path, generated: str) -> str:
    """The text of ``path`` with the part between the markers replaced by ``generated``
    (the prose around it is kept); the generated part alone if the file or its markers
    are absent."""
    block = f"{BEGIN}\n{generated}{END}\n"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return block
    if BEGIN not in text or END not in text:
        return block
    head, rest = text.split(BEGIN, 1)
    return head + block + rest.split(END, 1)[1].lstrip("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    ap.add_argument("--skip", default="", help="comma-separated benchmark names to leave out")
    ap.add_argument("--modes", default="idle,loaded", help="idle, loaded or both (default)")
    ap.add_argument("--arm-src", default=None, help="checkout of ARM-software/mram_simulation_framework")
    ap.add_argument("--table-only", action="store_true", help="only rewrite the table from the JSON files")
    ap.add_argument("--list", action="store_true", help="list the benchmarks and their hot paths")
    args = ap.parse_args(argv)
    names = {b.name for b in BENCHMARKS}
    chosen = [n for n in args.only.split(",") if n] or sorted(names)
    skipped = [n for n in args.skip.split(",") if n]
    unknown = sorted(set(chosen + skipped) - names)
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    modes = [m for m in args.modes.split(",") if m]
    if not set(modes) <= {"idle", "loaded"}:
        ap.error(f"--modes {args.modes!r}: use idle, loaded or idle,loaded")
    selected = [b for b in BENCHMARKS if b.name in chosen and b.name not in skipped]
    if args.list:
        for b in BENCHMARKS:
            print(f"{b.name:12s} {b.script:22s} " + "; ".join(p.name for p in b.paths))
        return 0
    record_path = RESULTS / "run_all.json"
    previous = _load(record_path) or {}
    rerun = set() if args.table_only else {b.name for b in selected}
    runs = [r for r in previous.get("runs", []) if r["benchmark"] not in rerun]
    info = machine()
    if not args.table_only:
        RESULTS.mkdir(exist_ok=True)
        for bench in selected:
            extra = ("--arm-src", args.arm_src) if bench.name == "fp_arm" and args.arm_src else ()
            for mode in modes:
                print(f"{bench.name} ({mode}) ...", flush=True)
                run = run_one(bench, mode, extra) | {"benchmark": bench.name}
                print(f"  {run['wall_s']:.1f} s, exit {run['returncode']}", flush=True)
                runs.append(run)
    table = rows(BENCHMARKS)
    ran = {r["benchmark"] for r in runs}
    for row in table:  # figures of a benchmark this table's runs did not include say so
        if row["benchmark"] not in ran and row["idle_s"] is not None:
            row["hot_path"] += " (an earlier run, not part of these runs)"
    record = {"machine": info, "loaded_target": LOADED_TARGET, "rows": table, "runs": runs}
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    TABLE.write_text(merge_table(TABLE, write_table(table, info, runs)), encoding="utf-8")
    print(TABLE.read_text(encoding="utf-8"))
    return 0 if all(r["returncode"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
