"""Published accelerators, for placing a design point honestly (:func:`published_accelerators`).

A table of published figures for SNN chips (TrueNorth, Loihi, ODIN, SpiNNaker, SNE,
Darwin3), memristive accelerators (ISAAC, PRIME, RESPARC), MRAM compute-in-memory macros
and GPUs, each with its technology node, how the figure was obtained (silicon, simulation,
datasheet peak), the metric *as the source defines it*, whether that metric is like-for-like
with an SNN GSOPS/W figure, the citation, and an evidence tag saying how far we checked it.
:func:`plot_published` places the comparable designs on a log-log plot.

Conventions
-----------
* SOP (synaptic operation): one input spike delivered across one synapse to one neuron
  (one weight accumulated into one membrane potential), counted only for spikes that
  occur.  GSOPS = 1e9 SOP/s.
* GSOPS/W = SOP per nJ, hence ``pj_per_sop = 1000 / gsops_per_w`` exactly.
* TOPS/W as published by each source; GPU and CIM figures count one multiply-accumulate as
  two operations (1 MAC = 2 ops), and the bit widths are given in ``metric_definition``.
  A TOPS/W figure of a dense DNN is *not* a GSOPS/W figure: a dense op is performed whether
  or not its input is non-zero, a SOP only when a spike arrives.
* GSOPS/W/mm² divides GSOPS/W by the area the source gives (``area_basis``: whole die,
  processor core or macro).  GSOPS/W is to first order independent of size, so this figure
  rewards small designs; compare it only between designs of similar capacity.
* NaN means "not published" (or not derivable); we never fill a gap with a guess.
* Derived values (listed per design in ``derived``) follow arithmetically from published
  ones: ``pj_per_sop`` <-> ``gsops_per_w``; ``gsops_per_w_per_mm2 = gsops_per_w / area``;
  ``tops_per_w = tops / power``; ``tops_per_mm2 = tops / area``;
  ``tops_per_w_per_mm2 = tops_per_w / area``.

Evidence tags
-------------
``primary``
    read in the source itself as publicly stored (title, abstract, vendor page).
``secondary``
    quoted verbatim, with its location in the paper, by a public note or code that read the
    primary PDF; or a vendor specification reproduced by a third party.
``unverified``
    from background notes, not found in any stored source; kept so the gap is visible, not
    to be cited as it stands.

The tag of a design is that of its *weakest* stored number; ``evidence_note`` says which
number was checked where.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from .. import literature
from ..provenance import annotate, finalize

__all__ = ["published_accelerators", "plot_published", "PLOT_VARIABLES"]

_NAN = math.nan

#: Numeric variables of the table: name -> (units, long name).
_NUMERIC = {
    "year": ("1", "year of publication"),
    "node_nm": ("nm", "CMOS technology node"),
    "gsops": ("GSOP/s", "synaptic operations per second (1e9 SOP/s)"),
    "gsops_per_w": ("GSOP/s/W", "synaptic operations per second per watt (= SOP per nJ)"),
    "pj_per_sop": ("pJ", "energy per synaptic operation"),
    "gsops_per_w_per_mm2": ("GSOP/s/W/mm^2", "GSOPS/W per mm^2 of the area in area_basis"),
    "tops": ("TOP/s", "operations per second as published (1 MAC = 2 ops)"),
    "tops_per_w": ("TOP/s/W", "operations per second per watt as published (1 MAC = 2 ops)"),
    "tops_per_mm2": ("TOP/s/mm^2", "operations per second per mm^2 as published"),
    "tops_per_w_per_mm2": ("TOP/s/W/mm^2", "TOPS/W per mm^2 of the area in area_basis"),
    "area_mm2": ("mm^2", "area (see area_basis: die, core or macro)"),
    "power_w": ("W", "power at the published operating point"),
}

#: String variables of the table: name -> long name.
_TEXT = {
    "name": "display name",
    "kind": "class of design (snn_chip, memristive, memristive_snn, mram_cim, gpu)",
    "node": "technology as published",
    "measurement": "how the figures were obtained (silicon, simulated, datasheet_peak, not_stated)",
    "evidence": "how far we checked the stored numbers (primary, secondary, unverified)",
    "evidence_note": "which number was checked where",
    "metric_definition": "the metric exactly as the source defines it, operating point and bit widths",
    "area_basis": "what area_mm2 measures",
    "comparability_note": "why the figure is or is not like-for-like with an SNN GSOPS/W figure",
    "derived": "variables computed from published ones (comma-separated)",
    "citation": "authors, venue, year",
    "notes": "further published figures and caveats",
}

#: Variables :func:`plot_published` accepts for ``x`` and ``y`` (all positive, log-scaled).
PLOT_VARIABLES = (
    "area_mm2",
    "gsops_per_w",
    "pj_per_sop",
    "gsops_per_w_per_mm2",
    "gsops",
    "power_w",
    "node_nm",
    "tops_per_w",
    "tops_per_mm2",
    "tops_per_w_per_mm2",
)

_AXIS_LABELS = {
    "area_mm2": "area [mm²] (die, core or macro, as published)",
    "gsops_per_w": "GSOPS/W [1e9 SOP/s per W]\nSOP = one input spike delivered to one neuron",
    "pj_per_sop": "energy per SOP [pJ]\nSOP = one input spike delivered to one neuron",
    "gsops_per_w_per_mm2": "GSOPS/W/mm² [1e9 SOP/s per W per mm²]\nSOP = one spike to one neuron; published area",
    "gsops": "GSOPS [1e9 SOP/s]",
    "power_w": "power [W] at the published operating point",
    "node_nm": "technology node [nm]",
    "tops_per_w": "TOPS/W as published [1e12 op/s per W]\n1 MAC = 2 ops; dense, not spike-driven",
    "tops_per_mm2": "TOPS/mm² as published [1e12 op/s per mm²]\n1 MAC = 2 ops",
    "tops_per_w_per_mm2": "TOPS/W/mm² [1e12 op/s per W per mm²]\n1 MAC = 2 ops; published area",
}

_KIND_STYLE = {
    "snn_chip": ("tab:blue", "o"),
    "memristive": ("tab:green", "s"),
    "memristive_snn": ("tab:olive", "s"),
    "mram_cim": ("tab:purple", "D"),
    "gpu": ("tab:gray", "^"),
}

#: The published figures, one entry per design, from the literature table
#: ``published_accelerators`` (``spinaps/data/literature/published_accelerators.toml``,
#: :mod:`spinaps.literature`).  Only published numbers are stored; derived ones are
#: computed (:func:`_derive`).
_TABLE = literature.load(
    "published_accelerators",
    required=(
        "name",
        "kind",
        "year",
        "node",
        "measurement",
        "evidence",
        "evidence_note",
        "metric_definition",
        "comparable",
        "comparability_note",
    ),
)


def _check_units(table):
    """The table's units must be those of the dataset variables (:data:`_NUMERIC`)."""
    for key, unit in table.units.items():
        expected = _NUMERIC[key][0] if key in _NUMERIC else None
        if unit != expected:
            raise ValueError(
                f"{table.file}: [units], key {key!r}: {unit!r} is not the units of the dataset variable ({expected!r})"
            )


_check_units(_TABLE)
_ENTRIES: tuple[dict, ...] = tuple(
    dict(entry.values, design=name, citation=entry.source.reference) for name, entry in _TABLE.entries.items()
)


def _derive(entry: dict) -> dict:
    """Fill the numeric fields that follow arithmetically; record which ones."""
    row = {key: entry.get(key, _NAN) for key in _NUMERIC}
    row = {k: (float(v) if v is not None else _NAN) for k, v in row.items()}
    derived = []

    def fill(name, value):
        if math.isnan(row[name]) and not math.isnan(value):
            row[name] = value
            derived.append(name)

    fill("pj_per_sop", 1000.0 / row["gsops_per_w"])
    fill("gsops_per_w", 1000.0 / row["pj_per_sop"])
    fill("gsops_per_w_per_mm2", row["gsops_per_w"] / row["area_mm2"])
    fill("tops_per_w", row["tops"] / row["power_w"])
    fill("tops_per_mm2", row["tops"] / row["area_mm2"])
    fill("tops_per_w_per_mm2", row["tops_per_w"] / row["area_mm2"])
    row["derived"] = ", ".join(derived)
    return row


def published_accelerators() -> xr.Dataset:
    """Published figures of SNN chips, memristive accelerators, MRAM CIM macros and GPUs.

    Only published numbers are stored; the others that follow arithmetically from them
    are derived (listed per design in ``derived``), and a gap stays NaN, never a guess.

    Returns
    -------
    xarray.Dataset
        Dimension ``design`` (short identifiers).  Numeric variables, NaN when not
        published: ``year``, ``node_nm`` [nm], ``gsops`` [GSOP/s], ``gsops_per_w``
        [GSOP/s/W], ``pj_per_sop`` [pJ], ``gsops_per_w_per_mm2`` [GSOP/s/W/mm²], ``tops``
        [TOP/s], ``tops_per_w`` [TOP/s/W], ``tops_per_mm2`` [TOP/s/mm²],
        ``tops_per_w_per_mm2`` [TOP/s/W/mm²], ``area_mm2`` [mm²], ``power_w`` [W].
        Boolean ``comparable``: True when the figure is an SNN SOP metric like-for-like with
        a GSOPS/W figure.  String variables: ``name``, ``kind``, ``node``, ``measurement``,
        ``evidence``, ``evidence_note``, ``metric_definition``, ``area_basis``,
        ``comparability_note``, ``derived``, ``citation``, ``notes``.  The dataset attrs
        state the conventions (SOP definition, 1 MAC = 2 ops, evidence tags).

    Notes
    -----
    pJ/SOP = 1000 / (GSOPS/W) exactly, since 1 GSOP/s/W = 1 SOP/nJ.  Derived values are
    listed per design in ``derived``; see the module docstring for the rules.

    References
    ----------
    The sources of the main entries (every entry's full citation is its ``citation``
    variable; none of them is in ``spinaps/references.bib``, and the table registers no
    citation key):

    * Merolla et al., Science 345(6197):668-673, 2014 (TrueNorth).
    * Akopyan et al., IEEE Trans. Computer-Aided Design 34(10):1537-1557, 2015
      (TrueNorth).
    * Davies et al., IEEE Micro 38(1):82-99, 2018 (Loihi).
    * Frenkel et al., IEEE Trans. Biomedical Circuits and Systems 13(1):145-158, 2019
      (ODIN).
    * Painkras et al., IEEE J. Solid-State Circuits 48(8), 2013 (SpiNNaker).
    * Shafiee et al., ISCA 2016; Chi et al., ISCA 2016; Ankit et al., DAC 2017 (ISAAC,
      PRIME, RESPARC).
    * Jung et al., Nature 601:211-216, 2022; Cai et al., ISSCC 2023 (MRAM
      compute-in-memory).

    Examples
    --------
    >>> ds = published_accelerators()
    >>> float(ds.pj_per_sop.sel(design="odin"))
    12.7
    """
    rows = [_derive(e) for e in _ENTRIES]
    designs = [e["design"] for e in _ENTRIES]
    data = {}
    for name, (units, long_name) in _NUMERIC.items():
        values = np.array([r[name] for r in rows])
        if name == "year":  # always known
            values = values.astype(np.int64)
        data[name] = annotate(xr.DataArray(values, dims="design"), units, long_name)
    data["comparable"] = annotate(
        xr.DataArray(np.array([bool(e["comparable"]) for e in _ENTRIES]), dims="design"),
        "1",
        "figure is an SNN SOP metric, like-for-like with a GSOPS/W figure",
    )
    for name, long_name in _TEXT.items():
        values = [r["derived"] if name == "derived" else str(e.get(name, "")) for e, r in zip(_ENTRIES, rows)]
        data[name] = annotate(xr.DataArray(np.array(values, dtype=object), dims="design"), "1", long_name)
    ds = xr.Dataset(data, coords={"design": annotate(xr.DataArray(designs, dims="design"), "1", "design identifier")})
    return finalize(
        ds,
        title="Published accelerator figures for comparison",
        sop_definition=(
            "SOP: one input spike delivered across one synapse to one neuron "
            "(one weight accumulated into one membrane potential), counted only "
            "for spikes that occur; GSOPS = 1e9 SOP/s"
        ),
        conversion="pj_per_sop = 1000 / gsops_per_w (1 GSOP/s/W = 1 SOP/nJ)",
        ops_convention=(
            "TOPS and TOPS/W as published; 1 MAC = 2 ops; bit widths in metric_definition; dense ops are not SOPs"
        ),
        area_convention=(
            "gsops_per_w_per_mm2 = gsops_per_w / area_mm2 for the area in "
            "area_basis (die, core or macro); it favours small designs"
        ),
        comparable_convention=(
            "comparable is True only for SNN figures counting synaptic "
            "operations on actual spikes; read comparability_note for the "
            "caveats (minimum vs typical, incremental vs all-in)"
        ),
        evidence_convention=(
            "primary: read in the source; secondary: quoted with location by "
            "a public note that read the source, or vendor values reproduced; "
            "unverified: background notes only, not to be cited as is"
        ),
        missing="NaN = not published or not derivable; never guessed",
    )


def _check_choice(parameter, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{parameter}={value!r} is not allowed; allowed values: {', '.join(allowed)}")


def plot_published(
    ax=None, ours=None, x="area_mm2", y="gsops_per_w", *, include_noncomparable=True, annotate_names=True, dataset=None
):
    """Log-log placement of the published accelerators, with optional design points of ours.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (a new figure when None).
    ours : dict of str -> (float, float), optional
        Our design points ``{label: (x, y)}`` in the units of ``x`` and ``y``; drawn as
        highlighted stars.  Both values must be finite and positive.
    x, y : str
        Variables of :func:`published_accelerators` for the axes, one of
        :data:`PLOT_VARIABLES` (default area [mm²] against GSOPS/W [GSOP/s/W]).
    include_noncomparable : bool
        Draw designs whose figure is not like-for-like with an SNN GSOPS/W figure as hollow
        markers (when they have both values); when False they are left out.
    annotate_names : bool
        Write each design's name beside its marker ("[unverified]" appended when the
        design's evidence tag is ``unverified``).
    dataset : xarray.Dataset, optional
        Table to plot (default :func:`published_accelerators`).

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection per plotted point (its ``gid`` is the design identifier, or
        ``"ours:<label>"``); designs with a NaN in ``x`` or ``y`` are not drawn.

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not in :data:`PLOT_VARIABLES`, ``x == y``, ``ax`` is not an
        Axes, or ``ours`` is not a mapping of labels to two positive finite numbers.

    See Also
    --------
    published_accelerators : the table plotted, with its conventions.

    Examples
    --------
    >>> ax = plot_published(ours={"SpinAPS (ours)": (1.0, 100.0)})
    >>> ax.collections[-1].get_gid()
    'ours:SpinAPS (ours)'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

    _check_choice("x", x, PLOT_VARIABLES)
    _check_choice("y", y, PLOT_VARIABLES)
    if x == y:
        raise ValueError(f"x={x!r} and y={y!r} must differ; allowed values: {', '.join(PLOT_VARIABLES)}")
    if ax is not None and not isinstance(ax, Axes):
        raise ValueError(f"ax={ax!r} is not allowed; allowed values: None or a matplotlib Axes")
    points = {}
    if ours is not None:
        if not isinstance(ours, dict):
            raise ValueError(
                f"ours={ours!r} is not allowed; allowed values: None or a dict "
                "{label: (x, y)} of positive finite numbers"
            )
        for label, point in ours.items():
            try:
                px, py = (float(v) for v in point)
            except (TypeError, ValueError):
                raise ValueError(
                    f"ours[{label!r}]={point!r} is not allowed; allowed values: "
                    "a pair (x, y) of positive finite numbers"
                ) from None
            if not (math.isfinite(px) and math.isfinite(py) and px > 0 and py > 0):
                raise ValueError(
                    f"ours[{label!r}]={point!r} is not allowed; allowed values: "
                    "a pair (x, y) of positive finite numbers (log axes)"
                )
            points[str(label)] = (px, py)

    ds = published_accelerators() if dataset is None else dataset
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    kinds_seen = []
    for design in ds.design.values:
        row = ds.sel(design=design)
        vx, vy = float(row[x]), float(row[y])
        if not (math.isfinite(vx) and math.isfinite(vy) and vx > 0 and vy > 0):
            continue
        comparable = bool(row.comparable)
        if not comparable and not include_noncomparable:
            continue
        kind = str(row.kind.values)
        color, marker = _KIND_STYLE.get(kind, ("black", "o"))
        if kind not in kinds_seen:
            kinds_seen.append(kind)
        ax.scatter(
            [vx],
            [vy],
            marker=marker,
            s=50,
            zorder=3,
            gid=str(design),
            facecolors=color if comparable else "none",
            edgecolors=color,
            linewidths=1.3,
        )
        if annotate_names:
            text = str(row["name"].values)
            if str(row.evidence.values) == "unverified":
                text += " [unverified]"
            ax.annotate(text, (vx, vy), xytext=(4, 3), textcoords="offset points", fontsize=7)
    for label, (px, py) in points.items():
        ax.scatter(
            [px],
            [py],
            marker="*",
            s=220,
            zorder=4,
            gid=f"ours:{label}",
            facecolors="tab:red",
            edgecolors="black",
            linewidths=0.8,
        )
        ax.annotate(
            label, (px, py), xytext=(6, -10), textcoords="offset points", fontsize=8, fontweight="bold", color="tab:red"
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(_AXIS_LABELS[x])
    ax.set_ylabel(_AXIS_LABELS[y])
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=_KIND_STYLE.get(k, ("black", "o"))[1],
            color=_KIND_STYLE.get(k, ("black", "o"))[0],
            label=k,
        )
        for k in kinds_seen
    ]
    handles.append(
        Line2D([], [], linestyle="none", marker="o", color="black", label="filled: SNN SOP metric (comparable)")
    )
    if include_noncomparable:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markerfacecolor="none",
                color="black",
                label="hollow: not comparable (dense ops)",
            )
        )
    if points:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="*",
                markersize=12,
                markerfacecolor="tab:red",
                markeredgecolor="black",
                label="ours",
            )
        )
    ax.legend(handles=handles, fontsize=7, loc="best")
    ax.grid(True, which="major", alpha=0.3)
    return ax
