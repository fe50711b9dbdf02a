"""Cross-cutting machinery: citations, parameter validation, provenance."""

import numpy as np
import pytest
import xarray as xr

import spinaps
from spinaps import citations
from spinaps.params import check_range
from spinaps.provenance import annotate, finalize, missing_units


def test_citation_registry_and_bibtex():
    citations.reset()
    citations.register("Sun2000", "Brown1963")
    assert citations.used() == ["Sun2000", "Brown1963"]
    assert "@article{Sun2000" in citations.bibtex()
    assert "Physical Review B" in citations.format_citations(["Sun2000"])
    with pytest.raises(KeyError, match="unknown citation key 'Nobody1999'"):
        citations.register("Nobody1999")
    assert len(citations.known_keys()) >= 15


def test_check_range_messages():
    with pytest.raises(ValueError, match=r"x = -1.0 m is outside the allowed range \(0, inf\) m"):
        check_range("x", -1.0, low=0.0, units="m")
    with pytest.raises(ValueError, match=r"x = nan"):
        check_range("x", float("nan"), low=0.0)
    check_range("x", np.array([0.5, 1.0]), low=0.0, high=1.0, high_inclusive=True)


def test_provenance_and_units():
    da = annotate(xr.DataArray(np.ones(3), dims="t"), "s", "a time")
    ds = finalize(xr.Dataset({"a": da}), seed=4, cite=("Brown1963",))
    assert missing_units(ds) == []  # the dim 't' has no coordinate variable
    assert ds.attrs["seed"] == "4" and ds.attrs["spinaps_version"] == spinaps.__version__
    assert "Brown" in ds.attrs["citations"]
    ds["b"] = xr.DataArray(np.zeros(3), dims="t")
    assert missing_units(ds) == ["b"]


def test_citations_recording_collects_keys_registered_before():
    """A step's recorder gets every key registered inside it, also keys the run had
    already registered (so a cached step can re-register all the works it relies on)."""
    citations.reset()
    citations.register("Sun2000")
    with citations.recording() as outer:
        citations.register("Brown1963")
        with citations.recording() as inner:
            citations.register("Sun2000", "Brown1963")
    assert outer == ["Brown1963", "Sun2000"] and inner == ["Sun2000", "Brown1963"]
    assert citations.used() == ["Sun2000", "Brown1963"]
