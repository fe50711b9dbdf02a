"""Figures of every layer of a run, drawn from its result Datasets.

One function per figure, each taking the Dataset(s) a step of the chain returns and
giving back a :class:`matplotlib.figure.Figure` built with the object-oriented API
(no pyplot state: safe in notebooks, threads and headless runs), with
``layout="constrained"`` so that titles, labels and legends are never clipped.
:func:`make_figures` draws every figure whose datasets are present.

Conventions of the drawings: probabilities that span decades are on log scales; values
the models do not cover are masked and marked, never drawn as data (the
thermal/precessional crossover of the analytic switching models, write error rates
below the validated 1e-15 of the Fokker-Planck solver).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import xarray as xr
from matplotlib import colormaps
from matplotlib.colors import LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter, PercentFormatter

from .device.switching import CROSSOVER_BARRIER

__all__ = [
    "switching_map",
    "wer_map",
    "pulse_for_wer",
    "switching_times",
    "retention",
    "read_disturb",
    "variability",
    "bitcell",
    "array_breakdown",
    "cell_faults",
    "accuracy_vs_deadline",
    "accuracy_distribution",
    "architecture",
    "make_figures",
    "draw_figure",
    "figure_inputs",
    "accuracy_stats",
    "final_accuracy",
    "crossover_band",
    "format_quantity",
    "format_number",
    "FIGURES",
    "FigureSpec",
    "VALIDATED_WER",
    "WER_CONTOURS",
]

#: Smallest write error rate the Fokker-Planck solver is validated for (grid and
#: time-step convergence tests, :func:`spinaps.device.write_error_rate`).
VALIDATED_WER = 1e-15
#: Contour levels of the write-error-rate map.
WER_CONTOURS = (1e-15, 1e-12, 1e-9, 1e-6, 1e-3)
#: One (Julian) year [s].
YEAR = 3.15576e7
#: Storage times marked on the retention curve [s].
STORAGE_MARKS = {"1 day": 86400.0, "1 year": YEAR, "10 years": 10 * YEAR}
#: Labels of the write directions and read states.
DIRECTION_LABELS = {"p_to_ap": "P → AP", "ap_to_p": "AP → P"}
STATE_LABELS = {"p": "P", "ap": "AP"}
#: Colours of the designs and of the chip populations (one per name, across figures).
DESIGN_COLOURS = {"mtj": "tab:blue", "sram": "tab:orange"}
POPULATIONS = {
    "network": ("chips with cell-by-cell variability", "tab:red"),
    "network_homogeneous": ("homogeneous chips (same mean error rates)", "tab:blue"),
    "network_nominal": ("homogeneous chips of the nominal device", "tab:purple"),
    "network_fault_free": ("fault-free chips", "tab:green"),
}

_SIZE = (6.4, 4.4)
_HATCH = "///"
_MASK_GREY = "0.82"
_TINY = 1e-300
_SI_UNITS = {"A", "V", "s", "J", "W", "ohm", "F", "Hz"}
_PREFIXES = {-5: "f", -4: "p", -3: "n", -2: "µ", -1: "m", 0: "", 1: "k", 2: "M", 3: "G", 4: "T"}
_AREAS = (("m²", 1.0), ("mm²", 1e-6), ("µm²", 1e-12), ("nm²", 1e-18))
_PRETTY = {"ohm": "Ω", "m^2": "m²", "F^2": "F²", "GSOP/s/W/mm^2": "GSOP/s/W/mm²"}
_CONTOUR = "tab:cyan"
_METHODS = {"fokker_planck": "Fokker-Planck", "analytic": "analytic", "llg": "LLGS Monte Carlo"}


# --------------------------------------------------------------------------- helpers
def _figure(nrows=1, ncols=1, *, size=_SIZE, **kw):
    """A constrained-layout Figure and its axes (a single Axes or an array)."""
    fig = Figure(figsize=size, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kw)
    return fig, axes


def _value(ds, name, default=None):
    """``ds[name]`` as a float (the maximum, i.e. the worst device, if it has
    dimensions) if that variable exists, else ``default``."""
    if ds is None or name not in ds.variables:
        return default
    return float(np.nanmax(ds[name].values))


def _reduced_current(ds, properties, dim="i_write"):
    """Current coordinate for a y-axis: (values, label, I_c0 or None); I / I_c0 when
    ``properties`` gives I_c0, else the current in uA."""
    ic0 = _value(properties, "ic0")
    current = ds[dim].values
    if ic0:
        return current / ic0, r"write current $I\,/\,I_{c0}$", ic0
    return current * 1e6, r"write current $I$ [µA]", None


def _add_current_axis(ax, ic0):
    """A secondary y-axis in uA to the right of an I / I_c0 axis (none without I_c0)."""
    if not ic0:
        return
    scale = ic0 * 1e6
    sec = ax.secondary_yaxis("right", functions=(lambda r: r * scale, lambda a: a / scale))
    sec.set_ylabel(r"$I$ [µA]")


def _log_safe(values):
    """Array with non-positive values masked (for log axes)."""
    values = np.asarray(values, dtype=float)
    return np.ma.masked_where(~(values > 0), values)


def format_number(x: float) -> str:
    """Three significant digits: plain between 1e-3 and 1e6, else scientific."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    magnitude = math.floor(math.log10(abs(x)))
    if 2 <= magnitude < 6:
        return f"{round(x, 2 - magnitude):.0f}"
    if -3 <= magnitude < 2:
        return f"{x:.3g}"
    return f"{x:.3g}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def format_quantity(value: float, units: str) -> tuple[str, str]:
    """``(value, units)`` as text, with an SI prefix where the unit takes one.

    Parameters
    ----------
    value : float
        In the SI unit ``units`` (or a fraction for ``"%"`` and ``"% points"``).
    units : str
        ``"A"``, ``"s"``, ``"J"``, ``"ohm"``, ... take an SI prefix (``4.9e-5, "A"`` ->
        ``("49", "µA")``); ``"m^2"`` is given in m², mm², µm² or nm²; ``"%"`` multiplies
        a fraction by 100 (two decimals); anything else keeps its unit with three
        significant digits.

    Returns
    -------
    tuple of str
    """
    value = float(value)
    if units in ("%", "% points"):
        return f"{100.0 * value:.2f}", units
    finite = value != 0 and math.isfinite(value)
    if units in _SI_UNITS and finite:
        exp3 = max(-5, min(4, math.floor(math.log10(abs(value)) / 3.0)))
        return format_number(value / 10.0 ** (3 * exp3)), _PREFIXES[exp3] + _PRETTY.get(units, units)
    if units == "m^2" and finite:
        name, scale = next(((n, f) for n, f in _AREAS if abs(value) / f >= 0.01), _AREAS[-1])
        return format_number(value / scale), name
    return format_number(value), _PRETTY.get(units, units)


def _eng(value, unit):
    """``value`` with an SI prefix, e.g. ``_eng(4.9e-5, "A") == "49 µA"``."""
    return " ".join(format_quantity(value, unit))


def _probability_axis(ax, probabilities, which="x"):
    """Put cumulative probabilities on a logit scale (tails spread out) with ticks at
    ``probabilities`` labelled in percent, when all lie strictly inside (0, 1)."""
    p = np.unique(np.asarray(probabilities, dtype=float))
    if p.size < 2 or not np.all((p > 0) & (p < 1)):
        return
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("logit")
    axis.set_major_locator(FixedLocator(p))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.3g} %"))
    axis.set_minor_formatter(NullFormatter())


def _duration(seconds):
    """A storage time in years, days or SI seconds, e.g. ``"10 yr"``."""
    if seconds >= YEAR:
        return f"{seconds / YEAR:.3g} yr"
    if seconds >= 86400.0:
        return f"{seconds / 86400.0:.3g} d"
    return _eng(seconds, "s")


def _legend_below(ax, **kw):
    """A legend under the axes (kept inside the figure by the constrained layout)."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False, **kw)


# --------------------------------------------------------------------------- device
def crossover_band(delta, barrier=CROSSOVER_BARRIER):
    """Reduced currents (i_low, i_high) between which neither analytic model holds.

    The "auto" switching model (:func:`spinaps.device.switching_probability`) uses
    thermal activation below I_c0, valid while the reduced barrier
    Delta (1 - i)^2 >= ``barrier``, and precessional switching above, valid from the
    same margin: the crossover is |1 - i| < sqrt(barrier / Delta).
    """
    half = math.sqrt(barrier / float(delta))
    return 1.0 - half, 1.0 + half


def switching_map(
    ds: xr.Dataset, properties: xr.Dataset | None = None, *, barrier: float = CROSSOVER_BARRIER
) -> Figure:
    """Switching probability over current x pulse width, crossover band masked.

    Parameters
    ----------
    ds : xarray.Dataset
        ``p_switch`` (i_write [A], t_pulse [s]).
    properties : xarray.Dataset, optional
        Device properties (``ic0`` [A], ``delta`` [1]); without them the current is in
        uA and the crossover band cannot be located (stated in the title).
    barrier : float
        Reduced barrier below which the analytic models leave their validity range.
    """
    p = ds["p_switch"].transpose("i_write", "t_pulse")
    y, ylabel, ic0 = _reduced_current(ds, properties)
    delta = _value(properties, "delta")
    values = np.ma.masked_invalid(p.values)
    handles = []
    fig, ax = _figure()
    if ic0 and delta:
        lo, hi = crossover_band(delta, barrier)
        values = np.ma.masked_where(np.broadcast_to(((y > lo) & (y < hi))[:, None], values.shape), values)
        ax.axhspan(lo, hi, facecolor=_MASK_GREY, edgecolor="0.35", hatch=_HATCH, lw=0.0, zorder=3)
        handles.append(
            Patch(
                facecolor=_MASK_GREY,
                edgecolor="0.35",
                hatch=_HATCH,
                label=rf"crossover $\Delta(1-i)^2 < {barrier:g}$: neither model valid "
                f"({lo:.2f} < I/I$_{{c0}}$ < {hi:.2f})",
            )
        )
        ax.text(
            0.02,
            lo - 0.03,
            "thermal activation",
            transform=ax.get_yaxis_transform(),
            va="top",
            color="w",
            fontsize=8,
            zorder=4,
        )
        ax.text(
            0.02,
            hi + 0.03,
            "precessional",
            transform=ax.get_yaxis_transform(),
            va="bottom",
            color="w",
            fontsize=8,
            zorder=4,
        )
    mesh = ax.pcolormesh(
        p["t_pulse"].values, y, values, shading="nearest", cmap="viridis", norm=Normalize(0.0, 1.0), rasterized=True
    )
    levels = [0.01, 0.5, 0.99]
    cs = ax.contour(p["t_pulse"].values, y, values, levels=levels, colors="w", linewidths=0.8)
    ax.clabel(cs, fmt={lv: f"{lv:g}" for lv in levels}, fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel(r"pulse width $t_\mathrm{pulse}$ [s]")
    ax.set_ylabel(ylabel)
    _add_current_axis(ax, ic0)
    fig.colorbar(mesh, ax=ax, label=r"switching probability $p_\mathrm{switch}$", pad=0.02)
    model = ds.attrs.get("method", ds["p_switch"].attrs.get("method", "analytic"))
    note = "" if handles else " (I_c0/Delta unknown: crossover not marked)"
    ax.set_title(f"Switching probability ({model} model){note}")
    if handles:
        _legend_below(ax, handles=handles, fontsize=8)
    return fig


def wer_map(
    ds: xr.Dataset,
    properties: xr.Dataset | None = None,
    *,
    floor: float = VALIDATED_WER,
    validated: float = VALIDATED_WER,
    levels=WER_CONTOURS,
) -> Figure:
    """Write error rate over current x pulse width on a log colour scale.

    Values below ``floor`` are drawn in the colour bar's "below" extension; the region
    below ``validated`` is hatched as outside the validated range; contours at
    ``levels`` are labelled.

    Parameters
    ----------
    ds : xarray.Dataset
        ``wer`` (i_write [A], t_pulse [s]).
    properties : xarray.Dataset, optional
        Device properties (``ic0`` [A]) for a reduced-current axis.
    floor, validated : float
        Floor of the colour scale, and the smallest validated WER.
    levels : sequence of float
        WER contour levels.
    """
    wer = ds["wer"].transpose("i_write", "t_pulse")
    y, ylabel, ic0 = _reduced_current(ds, properties)
    x = wer["t_pulse"].values
    values = np.ma.masked_invalid(wer.values)
    log_wer = np.log10(np.maximum(values.filled(np.nan), _TINY))
    cmap = colormaps["magma"].with_extremes(under=_MASK_GREY, bad="w")
    fig, ax = _figure()
    mesh = ax.pcolormesh(x, y, values, shading="nearest", cmap=cmap, norm=LogNorm(floor, 1.0), rasterized=True)
    below = np.nanmin(log_wer) < math.log10(validated)
    if below:
        ax.contourf(
            x, y, log_wer, levels=[np.nanmin(log_wer) - 1.0, math.log10(validated)], colors="none", hatches=[_HATCH]
        )
    lv = sorted(math.log10(v) for v in levels)
    cs = ax.contour(x, y, log_wer, levels=lv, colors=_CONTOUR, linewidths=0.9, linestyles="solid")
    ax.clabel(cs, fmt={v: f"1e{v:.0f}" for v in lv}, fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel(r"pulse width $t_\mathrm{pulse}$ [s]")
    ax.set_ylabel(ylabel)
    _add_current_axis(ax, ic0)
    lowest = float(np.nanmin(values.filled(np.nan)))
    fig.colorbar(
        mesh, ax=ax, extend="min", pad=0.02, label=f"write error rate (floor {floor:g}; data reach {lowest:.1e})"
    )
    direction = DIRECTION_LABELS.get(str(ds.attrs.get("direction", "")), "")
    method = _METHODS.get(str(ds.attrs.get("method", "")), str(ds.attrs.get("method", "")))
    ax.set_title(" ".join(part for part in ("Write error rate", direction, f"({method})" if method else "") if part))
    contours = ", ".join(f"{v:g}" for v in sorted(levels, reverse=True))
    handles = [Line2D([], [], color=_CONTOUR, lw=0.9, label=f"contours {contours}")]
    if below:
        handles.insert(
            0,
            Patch(
                facecolor=_MASK_GREY, edgecolor="k", hatch=_HATCH, label=f"below the validated range ({validated:g})"
            ),
        )
    _legend_below(ax, handles=handles, fontsize=8)
    return fig


def pulse_for_wer(ds: xr.Dataset, properties: xr.Dataset | None = None) -> Figure:
    """Pulse width needed for a target write error rate, one curve per current (and per
    write direction: solid P->AP, dashed AP->P), the design's write current in bold.

    Parameters
    ----------
    ds : xarray.Dataset
        ``t_pulse`` (target_wer, i_write) or (direction, target_wer, i_write) [s];
        attribute ``design_current`` [A] (optional).
    properties : xarray.Dataset, optional
        Device properties (``ic0`` [A]) to label the currents in units of I_c0.
    """
    t = ds["t_pulse"]
    if "direction" not in t.dims:
        t = t.expand_dims(direction=[str(ds.attrs.get("direction", ""))])
    t = t.transpose("direction", "target_wer", "i_write")
    ic0 = _value(properties, "ic0")
    design = ds.attrs.get("design_current")
    fig, ax = _figure()
    colours = [f"C{k}" for k in range(t.sizes["i_write"])]
    for d, direction in enumerate(t["direction"].values):
        style = "o-" if d == 0 else "s--"
        for k, current in enumerate(t["i_write"].values):
            label = f"I = {current / ic0:.2g} I$_{{c0}}$ ({_eng(current, 'A')})" if ic0 else f"I = {_eng(current, 'A')}"
            label += f", {DIRECTION_LABELS.get(str(direction), str(direction))}" if t.sizes["direction"] > 1 else ""
            bold = design is not None and np.isclose(current, float(design), rtol=1e-9)
            ax.plot(
                t["target_wer"].values,
                _log_safe(t.values[d, :, k]),
                style,
                color=colours[k],
                lw=2.5 if bold else 1.2,
                label=label + (" (design)" if bold else ""),
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("target write error rate (more reliable →)")
    ax.set_ylabel(r"pulse width $t_\mathrm{pulse}$ [s]")
    ax.set_title("Write pulse for a target error rate")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(title="write current", fontsize=7)
    return fig


def switching_times(ds: xr.Dataset, properties: xr.Dataset | None = None, *, bins: int = 50) -> Figure:
    """Histogram of LLGS switching times per write current, the pulse end marked.

    Parameters
    ----------
    ds : xarray.Dataset
        ``t_switch`` (i_write, device) [s] (NaN/inf for devices that did not switch),
        optionally ``switched`` (i_write, device); attribute ``duration`` [s], the pulse.
    properties : xarray.Dataset, optional
        Device properties (``ic0`` [A]) to label the currents in units of I_c0.
    bins : int
    """
    ts = ds["t_switch"].transpose("i_write", "device")
    duration = float(ds.attrs["duration"]) if "duration" in ds.attrs else None
    finite = np.isfinite(ts.values)
    t_max = duration if duration else float(np.max(ts.values[finite], initial=1e-9))
    edges = np.linspace(0.0, t_max, bins + 1) * 1e9
    switched = (
        ds["switched"].transpose("i_write", "device").values.astype(bool)
        if "switched" in ds
        else finite & (np.where(finite, ts.values, np.inf) <= t_max)
    )
    ic0 = _value(properties, "ic0")
    fig, ax = _figure()
    for k, current in enumerate(ts["i_write"].values):
        t_k = ts.values[k]
        name = f"{current / ic0:.2g} I$_{{c0}}$" if ic0 else _eng(current, "A")
        ax.hist(
            t_k[np.isfinite(t_k)] * 1e9,
            bins=edges,
            histtype="step",
            lw=1.4,
            label=f"I = {name}: {1.0 - switched[k].mean():.1%} not switched by the pulse end",
        )
    if duration:
        ax.axvline(duration * 1e9, color="k", ls="--", lw=1.0, label=f"pulse end ({_eng(duration, 's')})")
    ax.set_xlabel(r"switching time $t_\mathrm{switch}$ [ns]")
    ax.set_ylabel("devices per bin")
    ax.set_title(f"LLGS switching times ({ts.sizes['device']} devices per current)")
    _legend_below(ax, fontsize=8)
    return fig


def _probability_curve(ds, name, time_dim, xlabel, title, marks=None) -> Figure:
    """Log-log curve of probability ``name`` against ``time_dim`` (one line per other
    index if the variable has further dims), with optional vertical time marks."""
    da = ds[name]
    others = [d for d in da.dims if d != time_dim]
    curves = da.stack(_curve=others).transpose(time_dim, "_curve").values if others else da.values[:, None]
    fig, ax = _figure()
    ax.plot(da[time_dim].values, _log_safe(curves), color="tab:blue", lw=1.6 if curves.shape[1] == 1 else 0.5)
    t_data = da[time_dim].values
    for label, t in ((k, v) for k, v in (marks or {}).items() if t_data.min() <= v <= t_data.max()):
        ax.axvline(t, color="0.4", ls=":", lw=1.0)
        ax.text(
            t * 1.15, 0.03, label, rotation=90, transform=ax.get_xaxis_transform(), fontsize=8, color="0.3", va="bottom"
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{da.attrs.get('long_name', name.replace('_', ' '))}")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    return fig


def retention(ds: xr.Dataset) -> Figure:
    """Retention failure probability against storage time (log-log).

    Parameters
    ----------
    ds : xarray.Dataset
        ``retention_failure`` (t_storage [s]).
    """
    temperature = ds.attrs.get("temperature")
    suffix = f" at {float(temperature):g} K" if temperature is not None else ""
    return _probability_curve(
        ds,
        "retention_failure",
        "t_storage",
        r"storage time $t_\mathrm{storage}$ [s]",
        f"Retention: probability a stored bit flips{suffix}",
        STORAGE_MARKS,
    )


def read_disturb(ds: xr.Dataset) -> Figure:
    """Read-disturb probability against read time (log-log).

    Parameters
    ----------
    ds : xarray.Dataset
        ``read_disturb`` (t_read [s]).
    """
    return _probability_curve(
        ds,
        "read_disturb",
        "t_read",
        r"read pulse $t_\mathrm{read}$ [s]",
        "Read disturb: probability a read flips the bit",
    )


#: Variability panels: (per-device variables, scale to display units, x label, log x).
_VARIABILITY_PANELS = (
    (("delta",), 1.0, r"thermal stability factor $\Delta$", False),
    (("ic0",), 1e6, r"critical current $I_{c0}$ [µA]", False),
    (("r_p", "r_ap"), 1e-3, r"resistance $R_P$, $R_{AP}$ [kΩ]", False),
    (("wer",), 1.0, "write error rate", True),
)
_SYMBOLS = {"delta": r"$\Delta$", "ic0": r"$I_{c0}$", "r_p": r"$R_P$", "r_ap": r"$R_{AP}$", "wer": "WER"}


def _spread_panel(ax, ds, names, scale, xlabel, log):
    """Histogram of the per-device values of ``names`` or, if the dataset holds only
    their quantiles, the quantile function; returns whether anything was drawn."""
    drawn = False
    for name in names:
        if name in ds and "device" in ds[name].dims:
            v = ds[name].values.ravel() * scale
            v = v[np.isfinite(v) & ((v > 0) if log else True)]
            if v.size == 0:
                continue
            edges = np.geomspace(v.min(), v.max() * (1 + 1e-9), 40) if log else 40
            ax.hist(v, bins=edges, histtype="stepfilled", alpha=0.6, label=f"{_SYMBOLS[name]}")
            ax.axvline(np.median(v), color="k", lw=0.8, ls="--")
            ax.set_ylabel("devices per bin")
            drawn = True
        elif f"{name}_quantile" in ds:
            q = ds[f"{name}_quantile"]
            dims = [d for d in q.dims if d != "quantile"]
            q = q.isel({d: 0 for d in dims})
            ax.plot(q.values * scale, q["quantile"].values, "o-", label=f"{_SYMBOLS[name]} (quantiles)")
            _probability_axis(ax, q["quantile"].values, "y")
            ax.set_ylabel("fraction of devices below (quantile)")
            drawn = True
    if drawn:
        ax.set_xscale("log" if log else "linear")
        ax.set_xlabel(xlabel)
        if len(names) > 1 or not any(n in ds and "device" in ds[n].dims for n in names):
            ax.legend(fontsize=8)
    return drawn


def variability(ds: xr.Dataset) -> Figure:
    """Device-to-device spread of Delta, I_c0, R_P / R_AP and the write error rate.

    Parameters
    ----------
    ds : xarray.Dataset
        Per-device ``delta``, ``ic0`` [A], ``r_p``, ``r_ap`` [Ohm], ``wer`` (device), or
        only their ``*_quantile`` (quantile) variables
        (:func:`spinaps.device.variability.summarize`); missing ones are left blank.
    """
    fig, axes = _figure(2, 2, size=(8.0, 6.0))
    for ax, (names, scale, xlabel, log) in zip(axes.flat, _VARIABILITY_PANELS):
        if not _spread_panel(ax, ds, names, scale, xlabel, log):
            ax.set_axis_off()
    n = ds.attrs.get("n_devices", ds.sizes.get("device"))
    where = ""
    if "wer_current" in ds.attrs and "wer_t_pulse" in ds.attrs:
        where = f"; WER at {_eng(float(ds.attrs['wer_current']), 'A')}, {_eng(float(ds.attrs['wer_t_pulse']), 's')}"
    fig.suptitle(f"Device-to-device variability ({n} devices{where})" if n else f"Device-to-device variability{where}")
    return fig


# --------------------------------------------------------------------------- circuit
def _bars(ax, labels, values, colours=None, *, log=True, width=0.7, offset=0.0, label=None, unit=None):
    """Vertical bars at positions 0 ... n-1 (+ offset); zero/NaN values are left out.
    With ``unit`` (the SI unit of the values), each bar is labelled with its value."""
    values = np.asarray(values, dtype=float)
    keep = np.isfinite(values) & ((values > 0) if log else True)
    x = np.arange(len(labels)) + offset
    bars = ax.bar(x[keep], values[keep], width=width, color=colours, label=label)
    ax.set_xticks(np.arange(len(labels)), labels, rotation=30, ha="right")
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_minor_formatter(NullFormatter())
    if unit is not None:
        ax.bar_label(bars, [_eng(v, unit) for v in values[keep]], fontsize=8)
        ax.margins(y=0.15)


def _cell_probabilities(ds):
    """Label -> worst-case probability per bit of the bitcell's error mechanisms."""
    probs = {}
    if "wer" in ds:
        for d in ds["wer"]["direction"].values:
            probs[f"WER {DIRECTION_LABELS.get(str(d), d)}"] = float(ds["wer"].sel(direction=d).max())
    storage = f" ({_duration(float(ds.attrs['t_storage']))})" if "t_storage" in ds.attrs else ""
    for name, label in (
        ("read_error_p", "read error P"),
        ("read_error_ap", "read error AP"),
        ("read_disturb", "read disturb"),
        ("retention_failure", f"retention{storage}"),
    ):
        if name in ds:
            probs[label] = float(ds[name].max())
    return probs


def bitcell(ds: xr.Dataset) -> Figure:
    """Energy, latency and error probabilities of one 1T-1MTJ bitcell.

    Parameters
    ----------
    ds : xarray.Dataset
        :meth:`spinaps.circuit.MTJBitcell.figures`: ``write_energy``, ``read_energy``
        [J], ``t_pulse``, ``read_latency`` [s], ``wer`` (direction),
        ``read_disturb``, ``read_error_p``, ``read_error_ap``, ``retention_failure``.
    """
    fig, (ax_e, ax_t, ax_p) = _figure(1, 3, size=(10.0, 4.4), width_ratios=(1, 1, 2))
    for ax, items, unit, ylabel, title in (
        (ax_e, {"write": "write_energy", "read": "read_energy"}, "J", "energy per bit [J]", "energy per bit"),
        (ax_t, {"write pulse": "t_pulse", "read": "read_latency"}, "s", "latency [s]", "latency"),
    ):
        _bars(ax, list(items), [_value(ds, v, np.nan) for v in items.values()], ["tab:red", "tab:blue"], unit=unit)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
    probs = _cell_probabilities(ds)
    y = np.arange(len(probs))
    ax_p.plot(_log_safe(list(probs.values())), y, "o", color="tab:purple", ms=7)
    for k, v in enumerate(probs.values()):
        ax_p.annotate(f"{v:.2g}", (v, k), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
    ax_p.axvline(VALIDATED_WER, color="0.3", ls="--", lw=0.8, label=f"validated WER limit ({VALIDATED_WER:g})")
    ax_p.set_yticks(y, list(probs))
    ax_p.invert_yaxis()
    ax_p.set_xscale("log")
    ax_p.margins(y=0.15)
    ax_p.set_xlabel("probability per bit (per write, read or storage time)")
    ax_p.set_title("error probabilities")
    ax_p.grid(True, axis="x", alpha=0.3)
    ax_p.legend(fontsize=8, loc="lower right")
    cell = ", ".join(
        s
        for s in (
            ds.attrs.get("technology"),
            f"I_write = {_eng(_value(ds, 'i_write'), 'A')}" if "i_write" in ds else None,
            f"{_value(ds, 'cell_area_f2'):.3g} F²" if "cell_area_f2" in ds else None,
        )
        if s
    )
    fig.suptitle(f"1T-1MTJ bitcell ({cell})" if cell else "1T-1MTJ bitcell")
    return fig


#: Array panels: (breakdown variable, display scale, axis label, title).
_ARRAY_PANELS = (
    ("read_energy", 1e12, "energy per access [pJ]", "read energy"),
    ("write_energy", 1e12, "energy per access [pJ]", "write energy"),
    ("read_latency", 1e9, "latency [ns]", "read latency"),
    ("write_latency", 1e9, "latency [ns]", "write latency"),
)


def _components(datasets, variable):
    """Union of the component names of ``{variable}_breakdown`` over ``datasets``, in order."""
    names = []
    for ds in datasets.values():
        if f"{variable}_breakdown" in ds:
            comp = ds[f"{variable}_breakdown"]
            names += [str(c) for c in comp[comp.dims[0]].values if str(c) not in names]
    return names


def _breakdown_values(ds, variable, components):
    """Values of the breakdown of ``variable`` at ``components`` (NaN where absent)."""
    if f"{variable}_breakdown" not in ds:
        return np.full(len(components), np.nan)
    da = ds[f"{variable}_breakdown"]
    index = {str(c): float(v) for c, v in zip(da[da.dims[0]].values, da.values)}
    return np.array([index.get(c, np.nan) for c in components])


def _grouped_breakdown(ax, designs, variable, scale):
    """Grouped log-scale bars of a breakdown and its total, one bar per design."""
    components = _components(designs, variable)
    labels = [c.replace("_", " ") for c in components] + ["total"]
    width = 0.8 / max(len(designs), 1)
    for k, (name, ds) in enumerate(designs.items()):
        values = np.append(_breakdown_values(ds, variable, components), _value(ds, variable, np.nan)) * scale
        _bars(
            ax,
            labels,
            values,
            DESIGN_COLOURS.get(name),
            width=width,
            offset=(k - (len(designs) - 1) / 2) * width,
            label=name.upper(),
        )


def array_breakdown(ds: xr.Dataset, sram: xr.Dataset | None = None) -> Figure:
    """Read/write energy and latency of a sub-array by component, MTJ against SRAM.

    Parameters
    ----------
    ds : xarray.Dataset
        MTJ sub-array, :meth:`spinaps.circuit.Array.figures` (``*_breakdown`` with
        ``*_component`` dims, and totals).
    sram : xarray.Dataset, optional
        The SRAM sub-array of the same organisation.
    """
    designs = {"mtj": ds} | ({"sram": sram} if sram is not None else {})
    fig, axes = _figure(2, 2, size=(9.0, 7.0))
    for ax, (variable, scale, ylabel, title) in zip(axes.flat, _ARRAY_PANELS):
        _grouped_breakdown(ax, designs, variable, scale)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, axis="y", which="major", alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    org = f" {ds.attrs['rows']}x{ds.attrs['cols']}" if {"rows", "cols"} <= set(ds.attrs) else ""
    words = f", {ds.attrs['access_bits']}-bit accesses" if "access_bits" in ds.attrs else ""
    fig.suptitle(f"Sub-array{org}{words}: MTJ vs SRAM by component (zero components omitted)")
    return fig


#: Per-cell fault statistics of ``cell_faults``: name, dimension, labels of its values.
_FAULTS = (
    ("wer", "direction", DIRECTION_LABELS),
    ("retention", "direction", DIRECTION_LABELS),
    ("read_disturb", "direction", DIRECTION_LABELS),
    ("read_error", "state", STATE_LABELS),
)


def _per_chip(da, dim, key):
    """Values over chips of ``da`` at ``dim = key`` (all of ``da`` for key None; NaN if
    ``da`` is None)."""
    if da is None:
        return np.array([np.nan])
    return np.atleast_1d((da.sel({dim: key}) if key is not None else da).values).ravel()


def _fault_items(ds):
    """(label, chip means, chip maxima) of the per-cell fault statistics in ``ds``."""
    items = []
    for name, dim, labels in _FAULTS:
        mean, worst = ds.get(f"{name}_mean"), ds.get(f"{name}_max")
        ref = mean if mean is not None else worst
        if ref is None:
            continue
        for key in ref[dim].values if dim in ref.dims else [None]:
            suffix = f" {labels.get(str(key), key)}" if key is not None else ""
            items.append((f"{name.replace('_', ' ')}{suffix}", _per_chip(mean, dim, key), _per_chip(worst, dim, key)))
    return items


def cell_faults(ds: xr.Dataset) -> Figure:
    """Distribution over a chip's cells of the WER per direction, against the nominal cell.

    Parameters
    ----------
    ds : xarray.Dataset
        ``wer_quantile`` (chip, direction, quantile), ``wer_mean``, ``wer_max`` (chip,
        direction), ``nominal_wer`` (direction), and the same statistics of
        ``retention``, ``read_disturb`` (direction) and ``read_error`` (state); any of
        them may be missing.
    """
    items = _fault_items(ds)
    fig, axes = _figure(1, 2 if items else 1, size=(10.0, 4.4) if items else _SIZE)
    ax_q, ax_s = (axes[0], axes[1]) if items else (axes, None)
    directions = [str(d) for d in ds["direction"].values] if "direction" in ds.coords else []
    colours = dict(zip(directions, ("tab:red", "tab:blue", "tab:green")))
    if "wer_quantile" in ds:
        q = ds["wer_quantile"]
        qs = q["quantile"].values
        for d in directions:
            per_chip = q.sel(direction=d).transpose("quantile", ...).values.reshape(len(qs), -1)
            ax_q.plot(qs, _log_safe(per_chip), color=colours[d], lw=0.6, alpha=0.5)
            ax_q.plot(
                qs,
                _log_safe(np.median(per_chip, axis=1)),
                "o-",
                color=colours[d],
                lw=1.6,
                label=f"{DIRECTION_LABELS.get(d, d)}: cells (median over chips; thin: each chip)",
            )
        _probability_axis(ax_q, qs, "x")
    if "nominal_wer" in ds:
        for d in directions:
            ax_q.axhline(
                float(ds["nominal_wer"].sel(direction=d)),
                color=colours.get(d, "k"),
                ls="--",
                lw=1.0,
                label=f"{DIRECTION_LABELS.get(d, d)}: nominal cell",
            )
    ax_q.axhline(VALIDATED_WER, color="0.5", ls=":", lw=0.8, label=f"validated range ({VALIDATED_WER:g})")
    ax_q.set_yscale("log")
    ax_q.set_xlabel("quantile over the cells of a chip")
    ax_q.set_ylabel("write error rate per cell")
    ax_q.set_title("WER of the cells against the nominal cell")
    _legend_below(ax_q, fontsize=7)
    if ax_s is not None:
        labels = [lab for lab, _, _ in items]
        for k, (_, mean, worst) in enumerate(items):
            ax_s.plot(
                _log_safe(mean),
                np.full(mean.size, k),
                "o",
                color="tab:blue",
                ms=4,
                label="mean over cells (each chip)" if k == 0 else None,
            )
            ax_s.plot(
                _log_safe(worst),
                np.full(worst.size, k),
                "x",
                color="tab:red",
                ms=5,
                label="worst cell (each chip)" if k == 0 else None,
            )
        ax_s.set_yticks(range(len(labels)), labels)
        ax_s.invert_yaxis()
        ax_s.set_xscale("log")
        ax_s.set_xlabel("fault probability per cell (per write, storage or read)")
        ax_s.set_title("fault probabilities per chip")
        _legend_below(ax_s, fontsize=7)
    n_chips = ds.sizes.get("chip")
    fig.suptitle(
        f"Cell-by-cell fault probabilities ({n_chips} chips)" if n_chips else "Cell-by-cell fault probabilities"
    )
    return fig


# --------------------------------------------------------------------------- network
def final_accuracy(ds: xr.Dataset) -> np.ndarray:
    """Accuracy per chip at the last deadline (1-D) of a network evaluation."""
    acc = ds["accuracy"]
    if "deadline" in acc.dims:
        acc = acc.isel(deadline=-1)
    return np.atleast_1d(acc.values).ravel()


def _populations(ds, homogeneous, fault_free, nominal=None):
    """name -> dataset of the chip populations present, main population first (drawn
    on top: see :func:`_zorder`)."""
    pops = {
        "network": ds,
        "network_homogeneous": homogeneous,
        "network_nominal": nominal,
        "network_fault_free": fault_free,
    }
    return {name: p for name, p in pops.items() if p is not None and "accuracy" in p}


def _zorder(name):
    """Drawing order of a population: the variable chips on top."""
    return 3.0 - list(POPULATIONS).index(name) * 0.1


def accuracy_vs_deadline(
    ds: xr.Dataset,
    *,
    homogeneous: xr.Dataset | None = None,
    fault_free: xr.Dataset | None = None,
    ann: xr.Dataset | None = None,
    nominal: xr.Dataset | None = None,
) -> Figure:
    """Test accuracy against the decision deadline: mean and 5-95 % band over chips.

    Parameters
    ----------
    ds : xarray.Dataset
        Chips with cell-by-cell variability (:func:`spinaps.network.evaluate`):
        ``accuracy`` (chip, deadline).
    homogeneous, fault_free, nominal : xarray.Dataset, optional
        The homogeneous (same mean error rates), fault-free and nominal-device
        populations, same schema.
    ann : xarray.Dataset, optional
        ``accuracy`` (scalar) of the equivalent ANN, drawn as a horizontal line.
    """
    fig, ax = _figure()
    for name, pop in _populations(ds, homogeneous, fault_free, nominal).items():
        label, colour = POPULATIONS[name]
        acc = pop["accuracy"].transpose("chip", "deadline")
        d = acc["deadline"].values
        lo, hi = np.quantile(acc.values, [0.05, 0.95], axis=0)
        ax.fill_between(d, lo, hi, color=colour, alpha=0.2, lw=0, zorder=_zorder(name) - 1)
        ax.plot(
            d,
            acc.values.mean(axis=0),
            "o-",
            color=colour,
            ms=3,
            zorder=_zorder(name),
            label=f"{label}, {acc.sizes['chip']} chips",
        )
    if ann is not None and "accuracy" in ann:
        ax.axhline(
            _value(ann, "accuracy"), color="k", ls="--", lw=1.0, label=f"equivalent ANN ({_value(ann, 'accuracy'):.1%})"
        )
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Patch(color="0.5", alpha=0.2, label="5th-95th percentile over chips"))
    ax.set_xlabel("decision deadline [time steps]")
    ax.set_ylabel("test accuracy [%]")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Accuracy against the decision deadline (first to spike)")
    ax.grid(True, alpha=0.3)
    _legend_below(ax, handles=handles, fontsize=8)
    return fig


def accuracy_stats(values) -> dict[str, float]:
    """Mean, standard deviation (ddof = 0), 5th percentile and worst of ``values``."""
    v = np.asarray(values, dtype=float).ravel()
    return {"mean": float(v.mean()), "std": float(v.std()), "p5": float(np.quantile(v, 0.05)), "worst": float(v.min())}


def accuracy_distribution(
    ds: xr.Dataset,
    *,
    homogeneous: xr.Dataset | None = None,
    fault_free: xr.Dataset | None = None,
    nominal: xr.Dataset | None = None,
) -> Figure:
    """Empirical distribution over chips of the final test accuracy (ECDF), with the
    mean, the 5th percentile and the worst chip marked.

    Parameters
    ----------
    ds : xarray.Dataset
        Chips with cell-by-cell variability: ``accuracy`` (chip, deadline).
    homogeneous, fault_free, nominal : xarray.Dataset, optional
        The homogeneous (same mean error rates), fault-free and nominal-device
        populations, same schema.
    """
    fig, ax = _figure()
    for name, pop in _populations(ds, homogeneous, fault_free, nominal).items():
        label, colour = POPULATIONS[name]
        v = np.sort(final_accuracy(pop))
        s = accuracy_stats(v)
        ax.step(
            np.concatenate([[v[0]], v]),
            np.arange(v.size + 1) / v.size,
            where="post",
            color=colour,
            zorder=_zorder(name),
            label=f"{label} ({v.size}): mean {s['mean']:.2%}, P5 {s['p5']:.2%}, worst {s['worst']:.2%}",
        )
        ax.axvline(s["mean"], color=colour, ls="--", lw=0.9)
        ax.axvline(s["p5"], color=colour, ls=":", lw=0.9)
        ax.plot(s["worst"], 0.0, "v", color=colour, ms=8, clip_on=False)
    handles, labels = ax.get_legend_handles_labels()
    handles += [
        Line2D([], [], color="0.3", ls="--"),
        Line2D([], [], color="0.3", ls=":"),
        Line2D([], [], color="0.3", marker="v", ls=""),
    ]
    labels += ["mean", "5th percentile", "worst chip"]
    ax.set_xlabel("final test accuracy [%]")
    ax.set_ylabel("fraction of chips ≤ accuracy")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0.0, 1.02)
    ax.set_title("Accuracy over chips at the last deadline")
    ax.grid(True, alpha=0.3)
    _legend_below(ax, handles=handles, labels=labels, fontsize=7)
    return fig


# --------------------------------------------------------------------------- architecture
#: Headline metrics of the architecture comparison: variable -> (label, higher is better).
HEADLINE_METRICS = {
    "gsops": ("GSOPS", True),
    "gsops_per_w": ("GSOPS/W", True),
    "pj_per_sop": ("pJ/SOP", False),
    "gsops_per_w_per_mm2": ("GSOPS/W/mm²", True),
}


def _stacked(ax, ds, variable, scale):
    """Stacked bars of ``variable`` (design, component) per design, totals on top."""
    da = ds[variable].transpose("design", ...)
    comp_dim = da.dims[1]
    designs = [str(d) for d in da["design"].values]
    bottom = np.zeros(len(designs))
    colours = colormaps["tab20"].colors
    for k, comp in enumerate(da[comp_dim].values):
        v = da.sel({comp_dim: comp}).values * scale
        if np.all(v == 0):
            continue
        ax.bar(designs, v, bottom=bottom, color=colours[k % len(colours)], label=str(comp).replace("_", " "))
        bottom += v
    for x, total in enumerate(bottom):
        ax.annotate(f"{total:.3g}", (x, total), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(designs)), [d.upper() for d in designs])
    ax.set_ylim(0, 1.12 * max(bottom.max(), 1e-300))
    _legend_below(ax, fontsize=7, ncols=2)


def _headline_ratios(ax, ds):
    """Bars of ratio_* (MTJ / SRAM) diverging from 1 on a log axis, green where the MTJ
    design is better, each labelled with the ratio and the two values."""
    metrics = {v: spec for v, spec in HEADLINE_METRICS.items() if f"ratio_{v}" in ds}
    ratios = np.array([_value(ds, f"ratio_{v}") for v in metrics])
    better = [(r >= 1) == up for r, (_, up) in zip(ratios, metrics.values())]
    y = np.arange(len(metrics))
    ax.barh(y, ratios - 1.0, left=1.0, color=["tab:green" if b else "tab:red" for b in better], height=0.6)
    for k, (v, r) in enumerate(zip(metrics, ratios)):
        pair = ""
        if v in ds and "design" in ds[v].dims and ds.sizes["design"] == 2:
            pair = "\n" + " vs ".join(
                f"{str(d).upper()} {format_number(x)}" for d, x in zip(ds["design"].values, ds[v].values)
            )
        ax.annotate(
            f"{r:.3g}×{pair}", (max(r, 1.0), k), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_yticks(y, [label for label, _ in metrics.values()])
    ax.invert_yaxis()
    ax.set_xscale("log")
    span = max(2.0, float(np.nanmax(np.maximum(ratios, 1.0 / ratios), initial=2.0)) ** 1.6)
    ax.set_xlim(1.0 / span, span)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("ratio MTJ / SRAM (green: MTJ better)")
    ax.set_title("headline figures")


def architecture(ds: xr.Dataset) -> Figure:
    """Chip area and energy per inference by component, MTJ against SRAM, and the
    headline ratios (GSOPS, GSOPS/W, pJ/SOP, GSOPS/W/mm^2).

    Parameters
    ----------
    ds : xarray.Dataset
        :func:`spinaps.architecture.compare`: dim ``design``, ``area_breakdown``
        (design, area_component) [m^2], ``energy_breakdown`` (design,
        energy_component) [J], the totals and ``ratio_*``.
    """
    fig, (ax_a, ax_e, ax_r) = _figure(1, 3, size=(11.0, 5.0))
    if "area_breakdown" in ds:
        _stacked(ax_a, ds, "area_breakdown", 1e6)
    ax_a.set_ylabel("chip area [mm²]")
    ax_a.set_title("area")
    if "energy_breakdown" in ds:
        _stacked(ax_e, ds, "energy_breakdown", 1e9)
    ax_e.set_ylabel("energy per inference (one core) [nJ]")
    ax_e.set_title("energy per inference")
    _headline_ratios(ax_r, ds)
    fig.suptitle("Accelerator: MTJ synapses against the SRAM equivalent")
    return fig


# --------------------------------------------------------------------------- all figures
@dataclass(frozen=True)
class FigureSpec:
    """How to draw one figure: the function, the dataset it needs, the optional
    datasets passed as keywords (keyword -> dataset name), and a caption."""

    function: Callable[..., Figure]
    needs: str
    caption: str
    options: Mapping[str, str] = field(default_factory=dict)


_PROPS = {"properties": "device_properties"}
_POPS = {"homogeneous": "network_homogeneous", "fault_free": "network_fault_free", "nominal": "network_nominal"}

#: Figure name -> how to draw it, in report order.
FIGURES: dict[str, FigureSpec] = {
    "switching_map": FigureSpec(
        switching_map,
        "switching_map",
        "Switching probability of the analytic models "
        "(thermal activation below I_c0, precessional above). The hatched band is the "
        "crossover where neither model is valid; it is masked, not drawn as data.",
        _PROPS,
    ),
    "wer_map": FigureSpec(
        wer_map,
        "wer_map",
        "Write error rate from the Fokker-Planck solver on a log colour scale "
        f"with a floor at {VALIDATED_WER:g}; the hatched grey region lies below the validated range "
        f"({VALIDATED_WER:g}). Contours 1e-3 ... 1e-15.",
        _PROPS,
    ),
    "pulse_for_wer": FigureSpec(
        pulse_for_wer,
        "pulse_for_wer",
        "Pulse width needed to reach a target write error rate, per write current.",
        _PROPS,
    ),
    "switching_times": FigureSpec(
        switching_times,
        "llg_ensemble",
        "Switching times of the stochastic LLGS ensemble; "
        "the dashed line is the end of the pulse, and the legend gives the fraction of "
        "devices not switched by then.",
        _PROPS,
    ),
    "retention": FigureSpec(
        retention, "retention", "Probability that a stored bit flips by thermal activation within the storage time."
    ),
    "read_disturb": FigureSpec(
        read_disturb, "read_disturb", "Probability that a read current flips the bit, against the read pulse width."
    ),
    "variability": FigureSpec(
        variability,
        "variability",
        "Device-to-device spread of the thermal stability factor, "
        "the critical current, the resistances and the write error rate (dashed: median).",
    ),
    "bitcell": FigureSpec(
        bitcell, "bitcell_mtj", "Energy, latency and error probabilities of one 1T-1MTJ cell at the write point."
    ),
    "array_breakdown": FigureSpec(
        array_breakdown,
        "array_mtj",
        "Read and write energy and latency of one sub-array by component, MTJ against SRAM (log scale).",
        {"sram": "array_sram"},
    ),
    "cell_faults": FigureSpec(
        cell_faults,
        "cell_faults",
        "Per-cell write error rates of each chip (quantiles over "
        "its cells) against the nominal cell, and the other fault probabilities per chip.",
    ),
    "accuracy_vs_deadline": FigureSpec(
        accuracy_vs_deadline,
        "network",
        "Test accuracy when the decision must be "
        "taken by a deadline: mean over chips and 5th-95th percentile band, against "
        "the equivalent ANN.",
        _POPS | {"ann": "ann"},
    ),
    "accuracy_distribution": FigureSpec(
        accuracy_distribution,
        "network",
        "Distribution over chips of the final test "
        "accuracy (empirical CDF): chips with cell-by-cell variability against "
        "homogeneous chips with the same mean error rates.",
        _POPS,
    ),
    "architecture": FigureSpec(
        architecture,
        "architecture",
        "Chip area and energy per inference by component, and the headline ratios, MTJ against SRAM.",
    ),
}


def make_figures(datasets: Mapping[str, xr.Dataset]) -> dict[str, Figure]:
    """Draw every figure of :data:`FIGURES` whose main dataset is present.

    Figures whose datasets are absent are skipped silently; a figure that fails on a
    malformed dataset is skipped with a ``RuntimeWarning`` naming it (a report is still
    written at the end of an expensive run).

    Parameters
    ----------
    datasets : mapping of str to xarray.Dataset
        Results by name (``switching_map``, ``wer_map``, ``network``, ...).

    Returns
    -------
    dict of str to matplotlib.figure.Figure
        Figure name -> Figure, in the order of :data:`FIGURES`.
    """
    out = {}
    for name in FIGURES:
        fig = draw_figure(name, datasets)
        if fig is not None:
            out[name] = fig
    return out


def figure_inputs(name: str, datasets: Mapping[str, xr.Dataset]) -> dict[str, xr.Dataset] | None:
    """The datasets figure ``name`` is drawn from (its main one and the optional ones
    present), by dataset name; ``None`` if its main dataset is absent.

    Parameters
    ----------
    name : str
        A key of :data:`FIGURES`.
    datasets : mapping of str to xarray.Dataset
        Results by name.

    Returns
    -------
    dict of str to xarray.Dataset or None
    """
    spec = FIGURES[name]
    if datasets.get(spec.needs) is None:
        return None
    return {key: datasets[key] for key in (spec.needs, *spec.options.values()) if datasets.get(key) is not None}


def draw_figure(name: str, datasets: Mapping[str, xr.Dataset]) -> Figure | None:
    """Draw figure ``name`` of :data:`FIGURES`, or ``None`` if its main dataset is absent
    or malformed (then with a ``RuntimeWarning`` naming it).

    Parameters
    ----------
    name : str
        A key of :data:`FIGURES`.
    datasets : mapping of str to xarray.Dataset
        Results by name.

    Returns
    -------
    matplotlib.figure.Figure or None
    """
    spec = FIGURES[name]
    ds = datasets.get(spec.needs)
    if ds is None:
        return None
    options = {kw: datasets[key] for kw, key in spec.options.items() if datasets.get(key) is not None}
    try:
        return spec.function(ds, **options)
    except (KeyError, ValueError, IndexError, TypeError) as err:
        warnings.warn(f"figure {name!r} skipped: {type(err).__name__}: {err}", RuntimeWarning, stacklevel=3)
        return None
