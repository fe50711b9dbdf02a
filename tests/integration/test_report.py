"""Tests of the run figures (spinaps.figures) and the run report (spinaps.report).

Every dataset is synthetic, built here with the schema of the chain step that makes
it, so the tests run in seconds and do not depend on a full run.
"""

from __future__ import annotations

import base64
import re
import shutil
import struct
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from spinaps import figures, report

IC0 = 49e-6
DELTA = 40.0
DURATION = 4e-9
CHIPS = 6
T = 8
DIRECTIONS = ["p_to_ap", "ap_to_p"]


def _var(dims, values, units, long_name=""):
    return xr.Variable(dims, np.asarray(values, dtype=float), {"units": units, "long_name": long_name})


def _scalars(items):
    """Dataset of scalar variables from {name: (value, units)}."""
    return xr.Dataset({k: _var((), v, u, k) for k, (v, u) in items.items()})


# --------------------------------------------------------------------------- synthetic results
def _device_properties():
    return _scalars(
        {
            "delta": (DELTA, "1"),
            "ic0": (IC0, "A"),
            "tau_d": (1.3e-9, "s"),
            "r_p": (7960.0, "ohm"),
            "r_ap": (17500.0, "ohm"),
        }
    )


def _switching_map():
    """Analytic-model-like map with the singular row p = 0 at exactly I = I_c0."""
    i = np.round(np.linspace(0.2, 3.0, 29), 10)
    t = np.logspace(-10, -2, 30)
    tau = 1e-9 * np.exp(DELTA * (1 - np.minimum(i, 1.0)) ** 2)[:, None]
    thermal = -np.expm1(-t[None, :] / tau)
    precessional = -np.expm1(-((t[None, :] * np.maximum(i - 1.0, 0.0)[:, None] / 1e-9) ** 2))
    p = np.where(i[:, None] < 1.0, thermal, precessional)
    p[i == 1.0] = 0.0
    assert (i == 1.0).any()
    return xr.Dataset(
        {"p_switch": (("i_write", "t_pulse"), p, {"units": "1"})},
        coords={"i_write": ("i_write", i * IC0, {"units": "A"}), "t_pulse": ("t_pulse", t, {"units": "s"})},
        attrs={"method": "auto"},
    )


def _wer_map():
    i = np.linspace(1.1, 4.0, 20)
    t = np.geomspace(4e-10, 4e-8, 25)
    wer = 10.0 ** -np.minimum(3.0 * (t[None, :] / 1e-9) * (i[:, None] - 1.0) ** 0.7, 77.0)
    return xr.Dataset(
        {"wer": (("i_write", "t_pulse"), wer, {"units": "1"})},
        coords={"i_write": ("i_write", i * IC0, {"units": "A"}), "t_pulse": ("t_pulse", t, {"units": "s"})},
        attrs={"method": "fokker_planck", "direction": "ap_to_p"},
    )


def _pulse_for_wer():
    targets = np.array([1e-6, 1e-9, 1e-12, 1e-15])
    currents = np.array([1.5, 2.0, 3.0]) * IC0
    t = 1e-9 * (-np.log10(targets))[:, None] / (currents / IC0 - 1.0)[None, :]
    return xr.Dataset(
        {"t_pulse": (("target_wer", "i_write"), t, {"units": "s"})},
        coords={
            "target_wer": ("target_wer", targets, {"units": "1"}),
            "i_write": ("i_write", currents, {"units": "A"}),
        },
        attrs={"direction": "ap_to_p"},
    )


def _llg_ensemble():
    rng = np.random.default_rng(1)
    t = rng.normal([[3.0e-9], [2.2e-9]], 0.7e-9, (2, 500))
    t[t > DURATION] = np.nan
    return xr.Dataset(
        {"t_switch": (("i_write", "device"), t, {"units": "s"}), "switched": (("i_write", "device"), np.isfinite(t))},
        coords={"i_write": ("i_write", [1.5 * IC0, 2.0 * IC0], {"units": "A"}), "device": np.arange(500)},
        attrs={"duration": DURATION},
    )


def _curve(name, dim, t, p):
    return xr.Dataset(
        {name: ((dim,), p, {"units": "1", "long_name": name.replace("_", " ") + " probability"})},
        coords={dim: (dim, t, {"units": "s"})},
        attrs={"temperature": 300.0},
    )


def _variability(per_device=True):
    rng = np.random.default_rng(2)
    n = 300
    values = {
        "delta": (rng.normal(DELTA, 3.0, n), "1"),
        "ic0": (rng.normal(IC0, 5e-6, n), "A"),
        "r_p": (rng.normal(7960.0, 600.0, n), "ohm"),
        "r_ap": (rng.normal(17500.0, 1400.0, n), "ohm"),
        "wer": (10.0 ** rng.normal(-8.0, 1.5, n), "1"),
    }
    q = np.array([0.001, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999])
    data = {}
    for name, (v, units) in values.items():
        if per_device:
            data[name] = _var("device", v, units)
        data[f"{name}_mean"] = _var((), v.mean(), units)
        data[f"{name}_quantile"] = _var("quantile", np.quantile(v, q), units)
    return xr.Dataset(
        data,
        coords={"quantile": ("quantile", q, {"units": "1"})},
        attrs={"n_devices": n, "wer_current": 2 * IC0, "wer_t_pulse": 13e-9},
    )


def _bitcell():
    ds = _scalars(
        {
            "cell_area_f2": (27.8, "1"),
            "cell_area": (2.18e-14, "m^2"),
            "i_write": (73.5e-6, "A"),
            "t_pulse": (61.4e-9, "s"),
            "write_energy": (5.41e-12, "J"),
            "read_energy": (2.39e-15, "J"),
            "read_latency": (2e-9, "s"),
            "read_disturb": (1.4e-15, "1"),
            "read_error_p": (1e-54, "1"),
            "read_error_ap": (1e-54, "1"),
            "retention_failure": (0.5, "1"),
        }
    )
    ds["wer"] = _var("direction", [1e-9, 4.04e-46], "1")
    return ds.assign_coords(direction=DIRECTIONS).assign_attrs(technology="28nm", t_storage=3.156e8)


def _array(kind):
    mtj = kind == "mtj"
    parts = {
        "area": {"cells": 1.43e-9 if mtj else 7.5e-9, "decoder": 9.1e-10, "sense_amps": 3e-12},
        "read_latency": {"decoder": 1.5e-11, "bitline": 1.43e-9 if mtj else 5.3e-11, "sense_amp": 1.3e-12},
        "write_latency": {"decoder": 1.5e-11, "cell": 6.14e-8 if mtj else 2.4e-10},
        "read_energy": {"decoder": 7.4e-16, "bitline": 7.1e-14 if mtj else 5.1e-13, "cells": 4.7e-13 if mtj else 0.0},
        "write_energy": {"decoder": 7.4e-16, "bitline": 5.9e-13, "cells": 1.73e-10 if mtj else 0.0},
    }
    units = {"area": "m^2", "read_latency": "s", "write_latency": "s", "read_energy": "J", "write_energy": "J"}
    data = {}
    for name, comp in parts.items():
        data[f"{name}_breakdown"] = xr.DataArray(
            list(comp.values()),
            dims=f"{name}_component",
            coords={f"{name}_component": list(comp)},
            attrs={"units": units[name]},
        )
        data[name] = _var((), sum(comp.values()), units[name])
    return xr.Dataset(data, attrs={"rows": 256, "cols": 256, "access_bits": 32, "cell": kind.upper()})


def _cell_faults(chips=4):
    q = np.array([0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999])
    nominal = np.array([1e-9, 1e-40])
    rng = np.random.default_rng(3)
    wq = nominal[None, :, None] * np.exp(rng.normal(0.0, 0.3, (chips, 2, 1)) + 8.0 * (q - 0.5))
    dims = ("chip", "direction")
    return xr.Dataset(
        {
            "wer_quantile": (dims + ("quantile",), wq, {"units": "1"}),
            "wer_mean": (dims, wq.mean(-1), {"units": "1"}),
            "wer_max": (dims, 10 * wq.max(-1), {"units": "1"}),
            "nominal_wer": (("direction",), nominal, {"units": "1"}),
            "retention_mean": (dims, np.full((chips, 2), 1e-6), {"units": "1"}),
            "retention_max": (dims, np.full((chips, 2), 1e-4), {"units": "1"}),
            "read_error_mean": (("chip", "state"), np.full((chips, 2), 1e-50), {"units": "1"}),
        },
        coords={"chip": np.arange(chips), "direction": DIRECTIONS, "state": ["p", "ap"], "quantile": q},
    )


#: Final accuracy of each chip of the variable population (5th percentile and worst known).
FINAL_VARIABLE = np.array([0.905, 0.910, 0.912, 0.915, 0.918, 0.920])


def _network(final):
    """``accuracy`` (chip, deadline) rising to ``final`` at the last deadline."""
    rise = np.array([0.2, 0.55, 0.72, 0.9, 0.95, 0.98, 0.99, 1.0])
    acc = np.asarray(final)[:, None] * rise[None, :]
    frac = np.tile(np.diff(np.concatenate([[0.0], rise])) * 0.98, (len(final), 1))
    return xr.Dataset(
        {
            "accuracy": (("chip", "deadline"), acc, {"units": "1"}),
            "decision_fraction": (("chip", "step"), frac, {"units": "1"}),
        },
        coords={"chip": np.arange(len(final)), "deadline": np.arange(1, T + 1), "step": np.arange(1, T + 1)},
    )


def _architecture():
    area = {"array_cells": [5.7e-9, 3.0e-8], "array_periphery": [3.7e-9, 3.8e-9], "neuron_logic": [2.1e-9, 2.1e-9]}
    energy = {"array_read": [8.6e-10, 1.0e-9], "accumulate": [5.9e-10, 5.9e-10], "leakage": [1.9e-9, 4.9e-9]}
    totals = {
        "gsops": ([3.75, 3.75], "GSOP/s"),
        "gsops_per_w": ([743.0, 393.0], "GSOP/s/W"),
        "pj_per_sop": ([1.35, 2.54], "pJ"),
        "gsops_per_w_per_mm2": ([49904.0, 10004.0], "GSOP/s/W/mm^2"),
        "area": ([1.15e-8, 3.59e-8], "m^2"),
    }
    ds = xr.Dataset(
        {
            "area_breakdown": (("design", "area_component"), np.array(list(area.values())).T, {"units": "m^2"}),
            "energy_breakdown": (("design", "energy_component"), np.array(list(energy.values())).T, {"units": "J"}),
        },
        coords={"design": ["mtj", "sram"], "area_component": list(area), "energy_component": list(energy)},
    )
    for name, (values, units) in totals.items():
        ds[name] = _var("design", values, units)
        ds[f"ratio_{name}"] = _var((), values[0] / values[1], "1")
    return ds


@pytest.fixture(scope="module")
def datasets():
    t_store = np.logspace(-3, 9, 25)
    t_read = np.logspace(-9, -6, 13)
    return {
        "device_properties": _device_properties(),
        "switching_map": _switching_map(),
        "wer_map": _wer_map(),
        "pulse_for_wer": _pulse_for_wer(),
        "llg_ensemble": _llg_ensemble(),
        "retention": _curve("retention_failure", "t_storage", t_store, -0.5 * np.expm1(-t_store / 1e8)),
        "read_disturb": _curve("read_disturb", "t_read", t_read, t_read * 1e-7),
        "variability": _variability(),
        "bitcell_mtj": _bitcell(),
        "array_mtj": _array("mtj"),
        "array_sram": _array("sram"),
        "cell_faults": _cell_faults(),
        "network": _network(FINAL_VARIABLE),
        "network_homogeneous": _network(FINAL_VARIABLE + 0.004),
        "network_fault_free": _network(np.full(CHIPS, 0.925)),
        "ann": xr.Dataset({"accuracy": _var((), 0.93, "1")}),
        "architecture": _architecture(),
    }


@pytest.fixture(scope="module")
def drawn(datasets):
    return figures.make_figures(datasets)


# --------------------------------------------------------------------------- figures
def _data_axes(fig):
    """Axes of ``fig`` that draw data (not colour bars, not switched off)."""
    return [
        ax
        for ax in fig.axes
        if ax.axison and not hasattr(ax, "_colorbar") and (ax.lines or ax.collections or ax.patches or ax.images)
    ]


def _labelled(axis):
    """An axis is labelled by its label text or, if categorical, by words in its tick
    labels (numbers and mathtext such as $10^{-9}$ do not count)."""
    words = [re.sub(r"\$[^$]*\$", "", t.get_text()) for t in axis.get_ticklabels()]
    return bool(axis.get_label_text().strip()) or any(re.search(r"[A-Za-z]", w) for w in words)


def _check_figure(fig):
    assert isinstance(fig, Figure)
    axes = _data_axes(fig)
    assert axes, "figure draws nothing"
    for ax in axes:
        assert _labelled(ax.xaxis) and _labelled(ax.yaxis), f"unlabelled axis in {ax.get_title()!r}"
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    assert suptitle or all(ax.get_title() for ax in axes), "figure without a title"
    assert fig.get_layout_engine() is not None  # constrained layout: titles and legends not clipped


def _legend_texts(fig):
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def test_every_figure_is_drawn_labelled_and_titled(drawn):
    assert list(drawn) == list(figures.FIGURES)
    for fig in drawn.values():
        _check_figure(fig)


@pytest.mark.parametrize(
    "call",
    [
        lambda d: figures.switching_map(d["switching_map"]),
        lambda d: figures.wer_map(d["wer_map"]),
        lambda d: figures.pulse_for_wer(d["pulse_for_wer"]),
        lambda d: figures.switching_times(d["llg_ensemble"].drop_vars("switched")),
        lambda d: figures.variability(_variability(per_device=False)),
        lambda d: figures.array_breakdown(d["array_mtj"]),
        lambda d: figures.cell_faults(d["cell_faults"][["wer_quantile", "nominal_wer"]]),
        lambda d: figures.cell_faults(d["cell_faults"][["wer_mean", "wer_max", "read_error_mean"]]),
        lambda d: figures.accuracy_vs_deadline(d["network"]),
        lambda d: figures.accuracy_distribution(d["network"]),
        lambda d: figures.architecture(d["architecture"].drop_vars(["energy_breakdown", "ratio_gsops"])),
    ],
    ids=[
        "switching_map-no-properties",
        "wer_map-no-properties",
        "pulse_for_wer-no-properties",
        "switching_times-no-switched",
        "variability-quantiles-only",
        "array-mtj-only",
        "cell_faults-quantiles-only",
        "cell_faults-statistics-only",
        "accuracy-variable-only",
        "distribution-variable-only",
        "architecture-partial",
    ],
)
def test_figures_without_optional_data(datasets, call):
    _check_figure(call(datasets))


def _mesh(fig):
    from matplotlib.collections import QuadMesh

    return next(c for ax in fig.axes for c in ax.collections if isinstance(c, QuadMesh))


def test_switching_map_masks_the_crossover_band(datasets, drawn):
    fig = drawn["switching_map"]
    lo, hi = figures.crossover_band(DELTA)
    assert (lo, hi) == pytest.approx((1 - np.sqrt(0.1), 1 + np.sqrt(0.1)))
    values = _mesh(fig).get_array().reshape(datasets["switching_map"]["p_switch"].shape)
    i = datasets["switching_map"]["i_write"].values / IC0
    inside = (i > lo) & (i < hi)
    assert np.all(values.mask[inside]), "crossover rows (and the singular row at I = I_c0) drawn as data"
    assert not np.any(values.mask[~inside])
    assert any("crossover" in t and "neither model valid" in t for t in _legend_texts(fig))


def test_wer_map_states_its_floor_and_marks_the_unvalidated_region(drawn):
    fig = drawn["wer_map"]
    mesh = _mesh(fig)
    assert isinstance(mesh.norm, LogNorm) and mesh.norm.vmin == figures.VALIDATED_WER
    cbar = next(ax._colorbar for ax in fig.axes if hasattr(ax, "_colorbar"))
    assert cbar.extend == "min" and "floor 1e-15" in cbar.ax.get_ylabel()
    assert "below the validated range (1e-15)" in _legend_texts(fig)
    labels = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"1e-3", "1e-9", "1e-15"} <= labels


def test_switching_times_marks_the_pulse_end(datasets, drawn):
    fig = drawn["switching_times"]
    ax = _data_axes(fig)[0]
    assert any(np.allclose(line.get_xdata(), DURATION * 1e9) for line in ax.lines)
    not_switched = 1.0 - datasets["llg_ensemble"]["switched"].values.mean(axis=1)
    texts = _legend_texts(fig)
    for frac in not_switched:
        assert any(f"{frac:.1%} not switched" in t for t in texts)
    assert any("pulse end" in t for t in texts)


def test_make_figures_skips_absent_datasets(datasets):
    assert figures.make_figures({}) == {}
    assert list(figures.make_figures({"retention": datasets["retention"]})) == ["retention"]
    some = figures.make_figures({k: datasets[k] for k in ("network", "wer_map")})
    assert list(some) == ["wer_map", "accuracy_vs_deadline", "accuracy_distribution"]


def test_make_figures_warns_on_a_malformed_dataset(datasets):
    with pytest.warns(RuntimeWarning, match="retention"):
        out = figures.make_figures({"retention": xr.Dataset(), "read_disturb": datasets["read_disturb"]})
    assert list(out) == ["read_disturb"]


def test_figures_leave_pyplot_alone(datasets):
    before = sys.modules.get("matplotlib.pyplot")
    nums = before.get_fignums() if before else None
    figures.make_figures(datasets)
    if before is None:
        assert "matplotlib.pyplot" not in sys.modules
    else:
        assert before.get_fignums() == nums


# --------------------------------------------------------------------------- key table
@pytest.mark.parametrize(
    "value, units, expected",
    [
        (4.9e-5, "A", ("49", "µA")),
        (7960.0, "ohm", ("7.96", "kΩ")),
        (6.14e-8, "s", ("61.4", "ns")),
        (2.18e-14, "m^2", ("0.0218", "µm²")),
        (2.34e-9, "m^2", ("2340", "µm²")),
        (1.5e-5, "m^2", ("15", "mm²")),
        (49904.0, "GSOP/s/W/mm^2", ("49900", "GSOP/s/W/mm²")),
        (4.04e-46, "1", ("4.04e-46", "1")),
        (0.9129, "%", ("91.29", "%")),
        (40.0, "1", ("40", "1")),
    ],
)
def test_format_quantity(value, units, expected):
    assert figures.format_quantity(value, units) == expected


def test_key_table_rows_and_values(datasets):
    rows = report.key_table(datasets)
    table = {q: (v, u) for q, v, u in rows}
    assert len(table) == len(rows), "duplicate quantities"
    assert all(u for _, _, u in rows), "a row without units"
    assert table["thermal stability factor Δ"] == ("40", "1")
    assert table["critical current I_c0"] == ("49", "µA")
    assert table["parallel resistance R_P"] == ("7.96", "kΩ")
    assert table["write pulse t_pulse"] == ("61.4", "ns")
    assert table["WER at the write point, P → AP"] == ("1e-9", "1")
    assert table["WER at the write point, AP → P"] == ("4.04e-46 (below the validated 1e-15)", "1")
    assert table["write energy per bit"] == ("5.41", "pJ")
    assert table["read energy per bit"] == ("2.39", "fJ")
    assert table["cell area in units of F² (F: feature size)"] == ("27.8", "F²")
    assert table["cell area"] == ("0.0218", "µm²")
    assert table["sub-array write latency, MTJ"] == ("61.4", "ns")
    assert table["sub-array area (256x256), SRAM"][1] == "µm²"
    assert table["GSOPS/W/mm², MTJ"] == ("49900", "GSOP/s/W/mm²")
    assert table["GSOPS/W/mm², ratio MTJ/SRAM"] == ("4.99", "×")
    assert table["energy per SOP, SRAM"] == ("2.54", "pJ")
    assert table["equivalent ANN test accuracy"] == ("93.00", "%")
    label = f"{CHIPS} chips with cell-by-cell variability"
    assert table[f"final accuracy, mean over {label}"] == (f"{100 * FINAL_VARIABLE.mean():.2f}", "%")
    assert table[f"final accuracy, 5th percentile over {label}"] == (
        f"{100 * np.quantile(FINAL_VARIABLE, 0.05):.2f}",
        "%",
    )
    assert table[f"final accuracy, worst of {label}"] == ("90.50", "%")
    assert table[f"final accuracy, std over {label}"] == (f"{100 * FINAL_VARIABLE.std():.2f}", "% points")
    assert f"final accuracy, worst of {CHIPS} homogeneous chips (same mean error rates)" in table
    at4 = 0.9 * FINAL_VARIABLE
    assert table["accuracy with the decision due by step 4, mean over chips with cell-by-cell variability"] == (
        f"{100 * at4.mean():.2f} (std {100 * at4.std():.2f}, P5 {100 * np.percentile(at4, 5):.2f}, "
        f"worst {100 * at4.min():.2f})",
        "%",
    )
    assert table["earliest deadline reaching 75% of the final accuracy"] == ("4", "time steps")
    # order: device, bitcell, arrays, accelerator, network
    order = [q for q, _, _ in rows]
    assert (
        order.index("critical current I_c0")
        < order.index("write energy per bit")
        < order.index("sub-array read latency, MTJ")
        < order.index("GSOPS/W, MTJ")
        < order.index("equivalent ANN test accuracy")
    )


def test_key_table_skips_absent_data(datasets):
    assert report.key_table({}) == []
    assert [q for q, _, _ in report.key_table({"device_properties": datasets["device_properties"]})] == [
        "thermal stability factor Δ",
        "critical current I_c0",
        "parallel resistance R_P",
        "antiparallel resistance R_AP (zero bias)",
    ]
    partial = report.key_table({"bitcell_mtj": datasets["bitcell_mtj"].drop_vars(["wer", "read_energy"])})
    assert not any(q.startswith("WER") or q == "read energy per bit" for q, _, _ in partial)


def test_summary_text(datasets):
    text = report.summary_text(datasets)
    assert len(text.splitlines()) <= 4
    assert f"mean {100 * FINAL_VARIABLE.mean():.2f} %" in text and "worst 90.50 %" in text
    assert "GSOPS/W/mm²: MTJ 49900, SRAM 10000, ratio 4.99×" in text
    assert "no headline" in report.summary_text({})


# --------------------------------------------------------------------------- report files
DESIGN_TOML = '[device]\npreset = "Ikeda2010"\n\n[circuit]\ni_write_ic0 = 1.5\n'
ASSUMPTIONS = [
    {"key": "circuit.i_write_ic0", "value": 1.5, "units": "1", "effect": "sets the write pulse and energy"},
    {"key": "storage.t_storage", "value": 86400.0, "units": "s", "effect": "retention faults"},
]
CITATIONS = [
    '[Sun2000] Sun, J. Z., "Spin-current interaction with a monodomain magnetic body", PRB, 2000.',
    '[Babu2020] Babu, A. V. et al., "SpinAPS", 2020.',
]


def _write(folder, datasets, complete=True):
    return report.write_report(
        folder,
        datasets=datasets,
        design_toml=DESIGN_TOML,
        assumptions=ASSUMPTIONS,
        citations=CITATIONS,
        complete=complete,
        title="test run",
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory, datasets):
    return _write(tmp_path_factory.mktemp("report"), datasets)


def _png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_markdown_report(written):
    md, _ = written
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# test run\n")
    assert report.COMPLETE in text and report.INCOMPLETE not in text
    sections = [
        "## Key results",
        "## Figures",
        "## Assumptions that move the result most",
        "## Resolved design",
        "## Citations",
    ]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    assert text.index(report.COMPLETE) < positions[0]
    assert "| critical current I_c0 | 49 | µA |" in text
    images = re.findall(r"!\[[^\]]*\]\((figures/[^)]+\.png)\)", text)
    assert [p.split("/")[1][:-4] for p in images] == list(figures.FIGURES)
    for path in images:
        assert _png_size((md.parent / path).read_bytes())[0] > 100
    assert "```toml\n" + DESIGN_TOML.rstrip() + "\n```" in text
    assert "| circuit.i_write_ic0 | 1.5 | 1 | sets the write pulse and energy |" in text
    assert all(f"- {c}" in text for c in CITATIONS)
    assert not list(md.parent.rglob("*.tmp")), "temporary files left behind"


def test_html_report_is_self_contained(written):
    _, page = written
    text = page.read_text(encoding="utf-8")
    for forbidden in ("http://", "https://", 'src="file', "<link", "@import", "url("):
        assert forbidden not in text, forbidden
    srcs = re.findall(r'<img\s[^>]*src="([^"]*)"', text)
    assert len(srcs) == len(figures.FIGURES)
    for src in srcs:
        assert src.startswith("data:image/png;base64,")
        width, height = _png_size(base64.b64decode(src.split(",", 1)[1], validate=True))
        assert width > 100 and height > 100
    assert re.findall(r"<script", text) == []
    assert "<style>" in text and report.COMPLETE in text
    assert text.count("<figcaption>") == len(figures.FIGURES)
    assert "Ikeda2010" in text and "<li>[Sun2000]" in text


def test_incomplete_run_is_marked(tmp_path, datasets):
    md, page = _write(tmp_path, {"retention": datasets["retention"]}, complete=False)
    for path in (md, page):
        text = path.read_text(encoding="utf-8")
        assert report.INCOMPLETE in text and report.COMPLETE not in text
        assert text.index(report.INCOMPLETE) < text.index("Key results")
    assert "retention.png" in md.read_text(encoding="utf-8")
    assert "No key results" in md.read_text(encoding="utf-8")


def test_report_overwrites_atomically(tmp_path, datasets):
    subset = {"device_properties": datasets["device_properties"]}
    md, page = _write(tmp_path, subset)
    first = page.read_bytes()
    md2, page2 = _write(tmp_path, subset, complete=False)
    assert (md2, page2) == (md, page) and page.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "report.html", "report.md"]


# --------------------------------------------------------------------------- in a browser
_CHECK_SCRIPT = """<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; }).length;
  var out = document.createElement("div");
  out.id = "img-check";
  out.setAttribute("data-total", imgs.length);
  out.setAttribute("data-broken", broken);
  document.body.appendChild(out);
});
</script>
"""


def _chromium(*args, tmp_path):
    cmd = [
        "chromium",
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=True)


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium is not on PATH (Debian package chromium; CI installs it)"
)
def test_html_report_renders_in_chromium(written, tmp_path):
    from matplotlib.image import imread

    _, page = written
    shot = tmp_path / "report.png"
    _chromium(f"--screenshot={shot}", "--window-size=1200,3000", page.as_uri(), tmp_path=tmp_path)
    pixels = imread(shot)[..., :3]
    assert pixels.shape[:2] == (3000, 1200)
    colours = np.unique((pixels.reshape(-1, 3) * 255).round().astype(np.uint8), axis=0)
    non_white = np.mean(pixels.min(axis=-1) < 0.95)
    assert len(colours) > 500, f"page looks blank: {len(colours)} colours"
    assert non_white > 0.05, f"page looks blank: {non_white:.1%} non-white pixels"

    probe = tmp_path / "probe.html"  # a test-only copy with a script that counts broken images
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _CHECK_SCRIPT + "</body>"), encoding="utf-8")
    dom = _chromium("--dump-dom", "--virtual-time-budget=10000", probe.as_uri(), tmp_path=tmp_path).stdout
    check = re.search(r'id="img-check" data-total="(\d+)" data-broken="(\d+)"', dom)
    assert check, "the image check did not run"
    assert int(check.group(1)) == len(figures.FIGURES)
    assert int(check.group(2)) == 0, "broken images"
