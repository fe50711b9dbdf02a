"""The table of published accelerators (spinaps.architecture.published)."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinaps.architecture.published import (  # noqa: E402
    PLOT_VARIABLES,
    plot_published,
    published_accelerators,
)
from spinaps.provenance import missing_units  # noqa: E402


@pytest.fixture(scope="module")
def ds():
    return published_accelerators()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _value(ds, design, name):
    return float(ds[name].sel(design=design))


def test_every_variable_has_units_and_the_conventions_are_stated(ds):
    assert missing_units(ds) == []
    for key in (
        "sop_definition",
        "conversion",
        "ops_convention",
        "area_convention",
        "comparable_convention",
        "evidence_convention",
        "missing",
    ):
        assert ds.attrs[key]
    assert "1 MAC = 2 ops" in ds.attrs["ops_convention"]


def test_every_entry_has_citation_node_evidence_and_definition(ds):
    for design in ds.design.values:
        row = ds.sel(design=design)
        for name in (
            "name",
            "kind",
            "node",
            "citation",
            "evidence",
            "evidence_note",
            "metric_definition",
            "measurement",
            "comparability_note",
        ):
            assert str(row[name].values).strip(), (design, name)
        assert str(row.evidence.values) in {"primary", "secondary", "unverified"}
        assert str(row.measurement.values) in {"silicon", "simulated", "datasheet_peak", "not_stated"}
        # a citation names a year
        assert any(ch.isdigit() for ch in str(row.citation.values)), design
        # a numeric node, when given, is also written out in the node text
        if math.isfinite(float(row.node_nm)):
            assert f"{float(row.node_nm):g} nm" in str(row.node.values), design


def test_design_identifiers_are_unique(ds):
    assert len(set(ds.design.values)) == ds.sizes["design"]


def test_energy_per_sop_and_gsops_per_w_are_reciprocal(ds):
    # 1 GSOP/s/W = 1 SOP/nJ, so pJ/SOP x GSOPS/W = 1000 exactly (float rounding only)
    both = np.isfinite(ds.pj_per_sop) & np.isfinite(ds.gsops_per_w)
    assert int(both.sum()) >= 6
    product = (ds.pj_per_sop * ds.gsops_per_w).where(both, drop=True)
    np.testing.assert_allclose(product.values, 1000.0, rtol=1e-12)
    # neither is published without the other being filled in
    assert bool((np.isfinite(ds.pj_per_sop) == np.isfinite(ds.gsops_per_w)).all())


def test_area_normalised_figures_follow_from_their_parts(ds):
    ok = np.isfinite(ds.gsops_per_w_per_mm2)
    np.testing.assert_allclose(
        (ds.gsops_per_w / ds.area_mm2).where(ok, drop=True), ds.gsops_per_w_per_mm2.where(ok, drop=True), rtol=1e-12
    )
    ok = np.isfinite(ds.tops_per_w_per_mm2)
    np.testing.assert_allclose(
        (ds.tops_per_w / ds.area_mm2).where(ok, drop=True), ds.tops_per_w_per_mm2.where(ok, drop=True), rtol=1e-12
    )


def test_derived_lists_only_known_variables_and_never_overwrites_a_published_value(ds):
    for design in ds.design.values:
        names = [n for n in str(ds.derived.sel(design=design).values).split(", ") if n]
        for name in names:
            assert name in ds.data_vars
            assert math.isfinite(_value(ds, design, name))

    # published anchors are not listed as derived
    def derived(design):
        return str(ds.derived.sel(design=design).values).split(", ")

    assert "gsops_per_w" not in derived("truenorth_typical")
    assert "pj_per_sop" in derived("truenorth_typical")
    assert "pj_per_sop" not in derived("loihi")
    assert "pj_per_sop" not in derived("odin")
    assert derived("spinnaker") == [""]  # nothing follows from power and area alone


def test_published_anchors(ds):
    # Tolerance: these are the printed numbers, stored as published, so they must match to
    # float precision; a looser check would hide a transcription error.
    exact = dict(rel=1e-12)
    assert _value(ds, "truenorth_typical", "gsops_per_w") == pytest.approx(46.0, **exact)
    assert _value(ds, "truenorth_typical", "power_w") == pytest.approx(0.065, **exact)
    assert _value(ds, "truenorth_peak", "gsops_per_w") == pytest.approx(400.0, **exact)
    assert _value(ds, "truenorth_peak", "gsops") == pytest.approx(58.0, **exact)
    assert _value(ds, "truenorth_5x", "gsops_per_w") == pytest.approx(70.0, **exact)
    assert _value(ds, "truenorth_all_in", "pj_per_sop") == pytest.approx(26.0, **exact)
    assert _value(ds, "truenorth_typical", "area_mm2") == pytest.approx(430.0, **exact)
    assert _value(ds, "loihi", "pj_per_sop") == pytest.approx(23.6, **exact)
    assert _value(ds, "loihi", "area_mm2") == pytest.approx(60.0, **exact)
    assert _value(ds, "odin", "pj_per_sop") == pytest.approx(12.7, **exact)
    assert _value(ds, "odin", "area_mm2") == pytest.approx(0.086, **exact)
    assert _value(ds, "sne", "pj_per_sop") == pytest.approx(0.221, **exact)
    assert _value(ds, "spinnaker", "area_mm2") == pytest.approx(102.0, **exact)
    # Derived values: the notes' conversion table rounds to 3 significant figures
    # (21.7 pJ, 2.5 pJ, 42 GSOPS/W, 79 GSOPS/W), so compare at that rounding.
    assert _value(ds, "truenorth_typical", "pj_per_sop") == pytest.approx(21.7, abs=0.05)
    assert _value(ds, "truenorth_peak", "pj_per_sop") == pytest.approx(2.5, abs=0.005)
    assert _value(ds, "loihi", "gsops_per_w") == pytest.approx(42.4, abs=0.05)
    assert _value(ds, "odin", "gsops_per_w") == pytest.approx(78.7, abs=0.05)
    # SNE's 4.5 TOP/s/W counts one SOP as one op: 1000 / 0.221 pJ = 4525 GSOPS/W, which
    # the abstract rounds to 4.5 TOP/s/W (0.6 %).
    assert _value(ds, "sne", "gsops_per_w") / 1000 == pytest.approx(_value(ds, "sne", "tops_per_w"), rel=0.01)


def test_gpu_peaks_and_their_ratio(ds):
    # datasheet peaks over board power; 1 FMA = 2 FLOPs
    assert _value(ds, "v100", "tops_per_w") == pytest.approx(125 / 300, rel=1e-12)
    assert _value(ds, "a100_fp16", "tops_per_w") == pytest.approx(0.78, rel=1e-12)
    assert _value(ds, "a100_int8", "tops_per_w") == pytest.approx(1.56, rel=1e-12)


def test_comparable_flag_follows_the_kind(ds):
    comparable = ds.comparable.values.astype(bool)
    kinds = ds.kind.values.astype(str)
    assert not comparable[np.isin(kinds, ["gpu", "mram_cim", "memristive"])].any()
    assert comparable[kinds == "snn_chip"].all()
    # a non-comparable design never carries a GSOPS/W figure
    assert not np.isfinite(ds.gsops_per_w.values[~comparable]).any()


def test_unverified_values_are_tagged(ds):
    # numbers we could not find in a stored source are kept but marked
    assert str(ds.evidence.sel(design="isaac").values) == "unverified"
    assert str(ds.evidence.sel(design="jung2022").values) == "unverified"
    assert str(ds.measurement.sel(design="loihi").values) == "simulated"


def _gids(ax):
    return [c.get_gid() for c in ax.collections]


def test_plot_draws_one_point_per_design_with_both_values(ds):
    ax = plot_published(x="area_mm2", y="gsops_per_w")
    expected = [
        str(d)
        for d in ds.design.values
        if np.isfinite(_value(ds, d, "area_mm2")) and np.isfinite(_value(ds, d, "gsops_per_w"))
    ]
    assert sorted(_gids(ax)) == sorted(expected)
    assert len(expected) == 6  # four TrueNorth points, Loihi, ODIN
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "SOP" in ax.get_ylabel() and "mm" in ax.get_xlabel()
    assert ax.get_legend() is not None


def test_plot_with_ours_and_hollow_noncomparable_points(ds):
    ours = {"SpinAPS (model)": (2.0, 300.0), "SRAM twin": (5.0, 80.0)}
    ax = plot_published(ours=ours, x="area_mm2", y="tops_per_w")
    gids = _gids(ax)
    expected = [
        str(d)
        for d in ds.design.values
        if np.isfinite(_value(ds, d, "area_mm2")) and np.isfinite(_value(ds, d, "tops_per_w"))
    ]
    assert len(gids) == len(expected) + len(ours)
    assert {"ours:SpinAPS (model)", "ours:SRAM twin"} <= set(gids)
    for coll in ax.collections:
        gid = coll.get_gid()
        if gid.startswith("ours:"):
            continue
        hollow = coll.get_facecolors().size == 0 or coll.get_facecolors()[0, 3] == 0
        assert hollow == (not bool(ds.comparable.sel(design=gid)))
    ax2 = plot_published(x="area_mm2", y="tops_per_w", include_noncomparable=False)
    assert len(ax2.collections) == 0  # only non-comparable designs have TOPS/W and an area


def test_plot_into_given_axes():
    fig, ax = plt.subplots()
    assert plot_published(ax=ax, x="node_nm", y="pj_per_sop") is ax


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        (dict(x="watts"), "x"),
        (dict(y="year"), "y"),
        (dict(x=3), "x"),
        (dict(x="gsops_per_w", y="gsops_per_w"), "x"),
        (dict(ax="not axes"), "ax"),
        (dict(ours=[(1.0, 2.0)]), "ours"),
        (dict(ours={"a": (1.0,)}), "ours"),
        (dict(ours={"a": (0.0, 2.0)}), "ours"),
        (dict(ours={"a": (1.0, float("nan"))}), "ours"),
    ],
)
def test_bad_arguments_name_the_parameter_and_allowed_values(kwargs, parameter):
    with pytest.raises(ValueError) as err:
        plot_published(**kwargs)
    message = str(err.value)
    assert message.startswith(parameter)
    assert "allowed values" in message
    if parameter in ("x", "y"):
        assert repr(kwargs[parameter]) in message
        assert all(name in message for name in PLOT_VARIABLES)
