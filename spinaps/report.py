"""The run report: ``report.md`` and a self-contained ``report.html``.

The report is what a user reads first after a run.  In order: whether the run is
complete, the key table (computed from the result Datasets), the figures of every layer
(:func:`spinaps.figures.make_figures`) with captions, the assumptions that move the
result most, the resolved design (TOML) and the citations.

``report.md`` refers to its figures as PNG files in ``figures/`` beside it;
``report.html`` embeds them as base64 ``data:`` URIs and carries its CSS inline, so it
opens anywhere with no network and no other file.  Every file is written atomically
(a temporary name in the same folder, then :func:`os.replace`), so an interrupted
report never leaves a half-written file behind.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import io
import json
import pathlib
import re
from collections.abc import Mapping, Sequence

import numpy as np
import xarray as xr

from ._version import __version__
from .figures import (
    DIRECTION_LABELS,
    FIGURES,
    POPULATIONS,
    STATE_LABELS,
    VALIDATED_WER,
    accuracy_stats,
    draw_figure,
    figure_inputs,
    final_accuracy,
    format_number,
    format_quantity,
)
from .output import atomic_write

__all__ = ["write_report", "render_figures", "key_table", "key_sections", "summary_text", "INCOMPLETE", "COMPLETE"]

#: Status line of a run that did not finish.
INCOMPLETE = "INCOMPLETE: this run was interrupted"
#: Status line of a run that finished.
COMPLETE = "Complete: every step of the run finished"
#: Resolution of the figures [dots per inch].
DPI = 110
#: Deadlines (time steps) reported in the key table, when the network has them.
KEY_DEADLINES = (1, 2, 4)
#: Fraction of the final accuracy whose earliest deadline is reported (SpinAPS: 75 %
#: of the final test performance within 4 time steps).
EARLY_FRACTION = 0.75

Row = tuple[str, str, str]


# --------------------------------------------------------------------------- key table
def _row(quantity: str, value: float, units: str, note: str = "") -> Row:
    number, unit = format_quantity(value, units)
    return quantity, number + note, unit


def _scalar(ds, name, **sel):
    """``ds[name]`` at ``sel`` as a float (the maximum, i.e. the worst device, over any
    other dimension), or None if absent."""
    if ds is None or name not in ds:
        return None
    da = ds[name]
    da = da.sel({k: v for k, v in sel.items() if k in da.dims})
    return float(da.max()) if da.ndim else float(da)


def _rows(ds, specs):
    """Rows of the scalar variables ``specs`` (name, quantity, units) present in ``ds``."""
    return [_row(quantity, v, units) for name, quantity, units in specs if (v := _scalar(ds, name)) is not None]


def _device_rows(datasets):
    return _rows(
        datasets.get("device_properties"),
        (
            ("delta", "thermal stability factor Δ", "1"),
            ("ic0", "critical current I_c0", "A"),
            ("r_p", "parallel resistance R_P", "ohm"),
            ("r_ap", "antiparallel resistance R_AP (zero bias)", "ohm"),
        ),
    )


def _bitcell_rows(datasets):
    ds = datasets.get("bitcell_mtj")
    if ds is None:
        return []
    rows = _rows(ds, (("i_write", "write current I_write", "A"), ("t_pulse", "write pulse t_pulse", "s")))
    if "wer" in ds:
        for d in ds["wer"]["direction"].values:
            wer = _scalar(ds, "wer", direction=d)
            note = f" (below the validated {VALIDATED_WER:g})" if wer < VALIDATED_WER else ""
            rows.append(_row(f"WER at the write point, {DIRECTION_LABELS.get(str(d), d)}", wer, "1", note))
    return rows + _rows(
        ds,
        (
            ("write_energy", "write energy per bit", "J"),
            ("read_energy", "read energy per bit", "J"),
            ("cell_area_f2", "cell area in units of F² (F: feature size)", "F^2"),
            ("cell_area", "cell area", "m^2"),
        ),
    )


def _array_rows(datasets):
    rows = []
    for name, label in (("array_mtj", "MTJ"), ("array_sram", "SRAM")):
        ds = datasets.get(name)
        org = f" ({ds.attrs['rows']}x{ds.attrs['cols']})" if ds is not None and "rows" in ds.attrs else ""
        rows += _rows(
            ds,
            (
                ("area", f"sub-array area{org}, {label}", "m^2"),
                ("read_latency", f"sub-array read latency, {label}", "s"),
                ("write_latency", f"sub-array write latency, {label}", "s"),
                ("read_energy", f"sub-array read energy per access, {label}", "J"),
                ("write_energy", f"sub-array write energy per access, {label}", "J"),
            ),
        )
    return rows


#: Architecture metrics of the key table: variable, quantity, units (if the dataset has none).
_ARCH_METRICS = (
    ("gsops", "throughput GSOPS", "GSOP/s"),
    ("gsops_per_w", "GSOPS/W", "GSOP/s/W"),
    ("pj_per_sop", "energy per SOP", "pJ"),
    ("gsops_per_w_per_mm2", "GSOPS/W/mm²", "GSOP/s/W/mm^2"),
)


def _architecture_rows(datasets):
    ds = datasets.get("architecture")
    if ds is None or "design" not in ds.dims:
        return []
    rows = []
    for name, quantity, units in _ARCH_METRICS:
        if name not in ds:
            continue
        units = ds[name].attrs.get("units", units)
        rows += [
            _row(f"{quantity}, {str(d).upper()}", float(ds[name].sel(design=d)), units) for d in ds["design"].values
        ]
        if f"ratio_{name}" in ds:
            designs = "/".join(str(d).upper() for d in ds["design"].values)
            rows.append((f"{quantity}, ratio {designs}", format_number(float(ds[f"ratio_{name}"])), "×"))
    for layer in ds["layer"].values if "layer_sops_per_inference" in ds else ():
        at = {"layer": layer, "design": ds["design"].values[0]}
        rows.append(
            _row(f"synaptic operations per inference, {layer}", float(ds.layer_sops_per_inference.sel(at)), "1")
        )
        rows += [
            _row(
                f"dynamic energy per inference, {layer}, {str(d).upper()}",
                float(ds.layer_dynamic_energy.sel(at | {"design": d})),
                "J",
            )
            for d in ds["design"].values
        ]
    return rows


def _with_accuracy(datasets, names):
    """(name, dataset) of the chip populations ``names`` present with an ``accuracy``."""
    return [(n, datasets[n]) for n in names if datasets.get(n) is not None and "accuracy" in datasets[n]]


def _primary(datasets):
    """(name, dataset) of the main chip population: variable chips, else homogeneous,
    else fault-free; (None, None) without any."""
    found = _with_accuracy(datasets, tuple(POPULATIONS))
    return found[0] if found else (None, None)


def _deadline_rows(name, ds):
    acc = ds["accuracy"]
    if "deadline" not in acc.dims:
        return []
    mean = acc.mean([d for d in acc.dims if d != "deadline"])
    deadlines = [int(d) for d in mean["deadline"].values]
    chosen = sorted({d for d in KEY_DEADLINES if d in deadlines} | {deadlines[-1]})
    label = POPULATIONS.get(name, (name,))[0]
    rows = []
    for d in chosen:
        per_chip = np.atleast_1d(acc.sel(deadline=d).values).ravel()
        s = accuracy_stats(per_chip)
        note = (
            f" (std {100 * s['std']:.2f}, P5 {100 * s['p5']:.2f}, worst {100 * s['worst']:.2f})"
            if per_chip.size > 1
            else ""
        )
        rows.append(_row(f"accuracy with the decision due by step {d}, mean over {label}", s["mean"], "%", note))
    reached = mean.values >= EARLY_FRACTION * mean.values[-1]
    if reached.any():
        rows.append(
            (
                f"earliest deadline reaching {EARLY_FRACTION:.0%} of the final accuracy",
                str(deadlines[int(np.argmax(reached))]),
                "time steps",
            )
        )
    return rows


def _network_rows(datasets):
    rows = []
    ann = _scalar(datasets.get("ann"), "accuracy")
    name, primary = _primary(datasets)
    if primary is not None and "n_hidden" in primary.attrs:
        a = primary.attrs
        rows.append(
            (
                "neurons: inputs → GLM hidden neurons → classes",
                f"{a['n_inputs']} → {a['n_hidden']} → {a['n_classes']}",
                "1",
            )
        )
    if ann is not None:
        rows.append(_row("equivalent ANN test accuracy", ann, "%"))
        if primary is not None:
            rows.append(
                _row(
                    f"SNN minus ANN accuracy (mean over {POPULATIONS.get(name, (name,))[0]})",
                    float(final_accuracy(primary).mean()) - ann,
                    "% points",
                )
            )
    if primary is not None:
        rows += _deadline_rows(name, primary)
    for pop, ds in _with_accuracy(datasets, ("network", "network_homogeneous", "network_nominal")):
        s = accuracy_stats(final_accuracy(ds))
        label = f"{ds.sizes.get('chip', 1)} {POPULATIONS[pop][0]}"
        rows += [
            _row(f"final accuracy, mean over {label}", s["mean"], "%"),
            _row(f"final accuracy, std over {label}", s["std"], "% points"),
            _row(f"final accuracy, 5th percentile over {label}", s["p5"], "%"),
            _row(f"final accuracy, worst of {label}", s["worst"], "%"),
        ]
    for pop, ds in _with_accuracy(datasets, ("network_fault_free",)):
        rows.append(
            _row(
                f"final accuracy, mean over {ds.sizes.get('chip', 1)} {POPULATIONS[pop][0]}",
                float(final_accuracy(ds).mean()),
                "%",
            )
        )
    return rows


def key_table(datasets: Mapping[str, xr.Dataset]) -> list[Row]:
    """The key results of a run as (quantity, value, units) rows.

    Rows whose datasets or variables are absent are left out.

    Parameters
    ----------
    datasets : mapping of str to xarray.Dataset
        Results by name (``device_properties``, ``bitcell_mtj``, ``array_mtj``,
        ``array_sram``, ``architecture``, ``ann``, ``network``,
        ``network_homogeneous``, ``network_fault_free``).

    Returns
    -------
    list of (str, str, str)
        Quantity, formatted value, units (SI-prefixed where the unit takes one).
    """
    return [row for _, rows in key_sections(datasets) for row in rows]


def _cell_rows(datasets):
    """Per-cell fault probabilities of the chips with variability: the mean over their
    cells (averaged over chips) next to the nominal cell's, per direction or state."""
    ds = datasets.get("cell_faults")
    if ds is None:
        return []
    rows = []
    if "delta_std" in ds:
        rows.append(_row("spread of Δ over the cells (std, mean over chips)", float(ds["delta_std"].mean()), "1"))
    for kind, label, dim, labels in (
        ("wer", "write error rate", "direction", DIRECTION_LABELS),
        ("retention", "retention failure over storage.t_storage", None, {}),
        ("read_error", "read decision error", "state", STATE_LABELS),
        ("read_disturb", "read disturb per read", None, {}),
    ):
        mean, nominal = ds.get(f"{kind}_mean"), ds.get(f"nominal_{kind}")
        if mean is None:
            continue
        keys = mean[dim].values if dim in mean.dims else [None]
        for k in keys:
            sel = {dim: k} if k is not None else {}
            m = float(mean.sel(sel).mean()) if sel else float(mean.mean())
            where = f", {labels.get(str(k), k)}" if k is not None else ""
            note = ""
            if nominal is not None:
                nom = nominal.sel({d: v for d, v in sel.items() if d in nominal.dims})
                note = f" (nominal cell {format_number(float(nom.max()))})"
            rows.append(_row(f"{label}{where}, mean over the cells", m, "1", note))
    return rows


#: Sections of the key table: title, row builder.
_SECTIONS = (
    ("Device", _device_rows),
    ("Bitcell (1T-1MTJ)", _bitcell_rows),
    ("Sub-arrays", _array_rows),
    ("Accelerator", _architecture_rows),
    ("Cells of the chips with variability", _cell_rows),
    ("Network", _network_rows),
)


def key_sections(datasets: Mapping[str, xr.Dataset]) -> list[tuple[str, list[Row]]]:
    """The rows of :func:`key_table` by layer: (section title, rows), non-empty ones only."""
    return [(title, rows) for title, build in _SECTIONS if (rows := build(datasets))]


def summary_text(datasets: Mapping[str, xr.Dataset]) -> str:
    """A few lines for the terminal: accuracy over chips, GSOPS/W/mm^2 MTJ vs SRAM.

    Parameters
    ----------
    datasets : mapping of str to xarray.Dataset

    Returns
    -------
    str
    """
    lines = []
    ann = _scalar(datasets.get("ann"), "accuracy")
    populations = _with_accuracy(datasets, ("network", "network_homogeneous", "network_nominal")) or _with_accuracy(
        datasets, ("network_fault_free",)
    )
    for pop, ds in populations:
        s = accuracy_stats(final_accuracy(ds))
        versus = f" (equivalent ANN {100 * ann:.2f} %)" if ann is not None and not lines else ""
        lines.append(
            f"accuracy over {ds.sizes.get('chip', 1)} {POPULATIONS[pop][0]}: mean {100 * s['mean']:.2f} %, "
            f"5th percentile {100 * s['p5']:.2f} %, worst {100 * s['worst']:.2f} %{versus}"
        )
    arch = datasets.get("architecture")
    if arch is not None and "gsops_per_w_per_mm2" in arch and "design" in arch.dims:
        values = ", ".join(
            f"{str(d).upper()} {format_number(float(arch['gsops_per_w_per_mm2'].sel(design=d)))}"
            for d in arch["design"].values
        )
        ratio = (
            f", ratio {format_number(float(arch['ratio_gsops_per_w_per_mm2']))}×"
            if "ratio_gsops_per_w_per_mm2" in arch
            else ""
        )
        lines.append(f"GSOPS/W/mm²: {values}{ratio}")
    return "\n".join(lines) if lines else "no headline results (network and architecture steps absent)"


# --------------------------------------------------------------------------- figures
def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def render_figures(datasets: Mapping[str, xr.Dataset], cache=None) -> dict[str, bytes]:
    """The PNG image of every figure of :data:`spinaps.figures.FIGURES` whose main
    dataset is present, by figure name.

    With ``cache = (folder, key)``, where ``key`` identifies the datasets (e.g. a hash of
    the inputs they were computed from), an image is read from ``folder`` when it was
    drawn before under the same key from the same dataset names with the same package
    and matplotlib versions, and stored there (atomically) after drawing; an unwritable
    folder only turns the cache off.

    Parameters
    ----------
    datasets : mapping of str to xarray.Dataset
        Results by name.
    cache : tuple of (path-like, str), optional
        Folder of the cached images and the key of ``datasets``; ``None``: draw every
        figure.

    Returns
    -------
    dict of str to bytes
        Figure name -> PNG bytes, in the order of :data:`~spinaps.figures.FIGURES`.
    """
    import matplotlib

    from .chain import code_id

    folder, key = (None, None) if cache is None else (pathlib.Path(cache[0]), str(cache[1]))
    out = {}
    for name in FIGURES:
        inputs = figure_inputs(name, datasets)
        if inputs is None:
            continue
        path = None
        if folder is not None:
            blob = json.dumps([code_id(), matplotlib.__version__, DPI, name, key, sorted(inputs)])
            path = folder / f"{name}-{hashlib.sha256(blob.encode()).hexdigest()[:24]}.png"
            if path.is_file():
                out[name] = path.read_bytes()
                continue
        fig = draw_figure(name, datasets)
        if fig is None:
            continue
        out[name] = _png(fig)
        if path is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                _write_bytes(path, out[name])
            except OSError:
                folder = None
    return out


# --------------------------------------------------------------------------- document


def _text(value) -> str:
    """A table cell: numbers with three significant digits, anything else as str."""
    if isinstance(value, (float, np.floating)):
        return format_number(value)
    return str(value)


def _blocks(datasets, design_toml, assumptions, citations, complete, title, figure_cache=None):
    """The report as a list of blocks, (kind, *content), shared by both renderers."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    blocks = [
        ("title", title),
        ("status", complete),
        ("paragraph", f"spinaps {__version__}, report written {stamp}."),
        ("heading", "Key results"),
    ]
    sections = key_sections(datasets)
    for section, rows in sections:
        blocks += [("subheading", section), ("table", ("Quantity", "Value", "Units"), rows)]
    if not sections:
        blocks.append(("paragraph", "No key results: the datasets they come from are absent."))
    blocks.append(("heading", "Figures"))
    figures = render_figures(datasets, figure_cache)
    for k, (name, png) in enumerate(figures.items(), start=1):
        blocks.append(("figure", name, f"Figure {k}. {FIGURES[name].caption}", png))
    if not figures:
        blocks.append(("paragraph", "No figures: the datasets they come from are absent."))
    blocks.append(("heading", "Assumptions that move the result most"))
    table = [
        (str(a.get("key", "")), _text(a.get("value", "")), str(a.get("units", "")), str(a.get("effect", "")))
        for a in assumptions
    ]
    blocks.append(
        ("table", ("Design key", "Value", "Units", "Effect"), table)
        if table
        else ("paragraph", "No assumptions were listed.")
    )
    blocks += [("heading", "Resolved design"), ("code", design_toml, "toml"), ("heading", "Citations")]
    blocks.append(("list", [str(c) for c in citations]) if citations else ("paragraph", "No citations were recorded."))
    return blocks


def _status(complete):
    return COMPLETE if complete else INCOMPLETE


def _md_cell(text):
    return str(text).replace("|", r"\|").replace("\n", " ")


def _markdown(blocks) -> str:
    out = []
    for kind, *content in blocks:
        if kind == "title":
            out.append(f"# {content[0]}")
        elif kind == "status":
            out.append(f"**Status: {_status(content[0])}.**")
        elif kind == "heading":
            out.append(f"## {content[0]}")
        elif kind == "subheading":
            out.append(f"### {content[0]}")
        elif kind == "paragraph":
            out.append(content[0])
        elif kind == "table":
            header, rows = content
            lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "figure":
            name, caption, _ = content
            out.append(f"![{_md_cell(caption)}](figures/{name}.png)\n\n*{caption}*")
        elif kind == "code":
            text, language = content
            fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
            out.append(f"{fence}{language}\n{text.rstrip()}\n{fence}")
        elif kind == "list":
            out.append("\n".join(f"- {item}" for item in content[0]))
    return "\n\n".join(out) + "\n"


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1.5em; color: #1a1a1a; background: #ffffff;
       line-height: 1.45; }
h1 { border-bottom: 2px solid #2c5d8f; padding-bottom: 0.2em; }
h2 { color: #2c5d8f; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; }
h3 { margin: 1.2em 0 0.3em; font-size: 1.05em; }
.status { padding: 0.6em 1em; border-radius: 4px; font-weight: 600; }
.status.complete { background: #e6f4ea; border: 1px solid #34a853; color: #1e6b34; }
.status.incomplete { background: #fdecea; border: 2px solid #d93025; color: #a50e0e; font-size: 1.15em; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; font-size: 0.95em; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { background: #f0f3f6; }
tr:nth-child(even) td { background: #fafbfc; }
td.value { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: 1%; }
td.units { white-space: nowrap; width: 1%; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e1e4e8; }
figcaption { font-size: 0.92em; color: #444444; margin-top: 0.4em; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 0.8em; overflow-x: auto; font-size: 0.88em; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
"""


def _html_table(header, rows):
    classes = {"Value": ' class="value"', "Units": ' class="units"'} if header[0] == "Quantity" else {}
    cells = [f"<td{classes.get(h, '')}>" for h in header]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "\n".join(
        "<tr>" + "".join(f"{cell}{html.escape(str(c))}</td>" for cell, c in zip(cells, row)) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _html(blocks, title) -> str:
    out = []
    for kind, *content in blocks:
        if kind == "title":
            out.append(f"<h1>{html.escape(content[0])}</h1>")
        elif kind == "status":
            cls = "complete" if content[0] else "incomplete"
            out.append(f'<p class="status {cls}">Status: {html.escape(_status(content[0]))}.</p>')
        elif kind == "heading":
            out.append(f"<h2>{html.escape(content[0])}</h2>")
        elif kind == "subheading":
            out.append(f"<h3>{html.escape(content[0])}</h3>")
        elif kind == "paragraph":
            out.append(f"<p>{html.escape(content[0])}</p>")
        elif kind == "table":
            out.append(_html_table(*content))
        elif kind == "figure":
            name, caption, png = content
            data = base64.b64encode(png).decode("ascii")
            out.append(
                f'<figure id="{html.escape(name)}"><img src="data:image/png;base64,{data}" '
                f'alt="{html.escape(caption)}"><figcaption>{html.escape(caption)}</figcaption></figure>'
            )
        elif kind == "code":
            text, language = content
            out.append(f'<pre><code class="language-{language}">{html.escape(text.rstrip())}</code></pre>')
        elif kind == "list":
            out.append("<ul>\n" + "\n".join(f"<li>{html.escape(i)}</li>" for i in content[0]) + "\n</ul>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(out)
        + "\n</body>\n</html>\n"
    )


def _write_bytes(path: pathlib.Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def write_report(
    folder,
    *,
    datasets: Mapping[str, xr.Dataset],
    design_toml: str,
    assumptions: Sequence[Mapping],
    citations: Sequence[str],
    complete: bool,
    title: str = "spinaps run",
    figure_cache=None,
) -> tuple[pathlib.Path, pathlib.Path]:
    """Write ``report.md`` (figures in ``figures/``) and a self-contained ``report.html``.

    Parameters
    ----------
    folder : path-like
        Output folder (created if needed).
    datasets : mapping of str to xarray.Dataset
        The run's results by name; absent ones leave out their rows and figures.
    design_toml : str
        The resolved design as TOML text.
    assumptions : sequence of mapping
        The assumptions that move the result most, each with keys ``key`` (dotted
        design key), ``value``, ``units`` and ``effect`` (text).
    citations : sequence of str
        Formatted citations, one per work.
    complete : bool
        False marks the report "INCOMPLETE: this run was interrupted".
    title : str
    figure_cache : tuple of (path-like, str), optional
        Folder of figure images drawn before and the key of ``datasets``
        (:func:`render_figures`); ``None``: draw every figure.

    Returns
    -------
    tuple of pathlib.Path
        Paths of ``report.md`` and ``report.html``.
    """
    folder = pathlib.Path(folder)
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    blocks = _blocks(datasets, design_toml, assumptions, citations, complete, title, figure_cache)
    for kind, *content in blocks:
        if kind == "figure":
            _write_bytes(folder / "figures" / f"{content[0]}.png", content[2])
    md, page = folder / "report.md", folder / "report.html"
    _write_bytes(md, _markdown(blocks).encode("utf-8"))
    _write_bytes(page, _html(blocks, title).encode("utf-8"))
    return md, page
