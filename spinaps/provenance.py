"""xarray outputs with units and provenance.

Every result a user looks at is an ``xarray.Dataset`` or ``DataArray`` whose variables
and coordinates carry ``units`` and ``long_name`` attributes, and whose attributes
record the parameters, the seed, the package version and the citations used.
"""

from __future__ import annotations

import datetime

import numpy as np
import xarray as xr

from . import citations
from ._version import __version__
from .params import to_json

__all__ = ["annotate", "breakdown", "finalize", "missing_units", "require"]


def annotate(obj, units: str, long_name: str):
    """Set ``units`` and ``long_name`` on a DataArray/Variable and return it."""
    obj.attrs["units"] = units
    obj.attrs["long_name"] = long_name
    return obj


def breakdown(parts: dict, dim: str, units: str, long_name: str, component: str = "component"):
    """A DataArray of the values of ``parts`` along the dimension ``dim``, whose
    coordinate holds the part names (long name ``component``)."""
    da = xr.DataArray(np.array(list(parts.values()), dtype=float), dims=dim, coords={dim: list(parts)})
    annotate(da[dim], "1", component)
    return annotate(da, units, long_name)


def finalize(obj, *, params=None, seed=None, cite=(), **extra):
    """Attach provenance attributes to an xarray object and return it.

    Parameters
    ----------
    obj : xarray.Dataset or xarray.DataArray
        Output to annotate (modified in place and returned).
    params : dataclass instance or mapping of name -> dataclass, optional
        Parameter set(s) used; stored as JSON text.
    seed : int or None
        Seed of the random stream (``None`` is recorded as ``"none"``).
    cite : iterable of str
        Citation keys the computation relies on; registered with
        :mod:`spinaps.citations` and stored as keys and formatted text.
    **extra
        Further attributes (numbers or strings), e.g. the model name.
    """
    keys = tuple(dict.fromkeys(cite))
    citations.register(*keys)
    obj.attrs["spinaps_version"] = __version__
    obj.attrs["created"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    obj.attrs["seed"] = "none" if seed is None else str(seed)
    if params is not None:
        if isinstance(params, dict):
            for name, p in params.items():
                obj.attrs[f"parameters_{name}"] = to_json(p)
        else:
            obj.attrs["parameters"] = to_json(params)
    obj.attrs["citation_keys"] = ", ".join(keys)
    obj.attrs["citations"] = citations.format_citations(keys)
    for key, value in extra.items():
        obj.attrs[key] = value if isinstance(value, (str, int, float, np.number)) else str(value)
    return obj


def missing_units(obj) -> list[str]:
    """Names of variables/coordinates lacking a ``units`` attribute (empty if all have one)."""
    if isinstance(obj, xr.DataArray):
        obj = obj.to_dataset(name=obj.name or "value")
    return [str(name) for name, var in {**obj.data_vars, **obj.coords}.items() if "units" not in var.attrs]


def require(ds, schema: dict, what: str):
    """Check a Dataset handed across a layer boundary against its schema.

    Parameters
    ----------
    ds : xarray.Dataset
    schema : dict
        ``{variable: units}`` that ``ds`` must hold.
    what : str
        What the Dataset should be (named in the message), e.g. ``"the evaluation of
        spinaps.network.evaluate"``.

    Raises
    ------
    TypeError
        If ``ds`` is not a Dataset.
    ValueError
        Naming the first missing variable or the first variable with other units.
    """
    if not isinstance(ds, xr.Dataset):
        raise TypeError(f"expected {what} (an xarray.Dataset), got {type(ds).__name__}")
    for name, units in schema.items():
        if name not in ds.variables:
            raise ValueError(f"{what} lacks the variable {name!r} [{units}]")
        got = ds[name].attrs.get("units")
        if got != units:
            raise ValueError(f"{what}: variable {name!r} has units {got!r}, expected {units!r}")
