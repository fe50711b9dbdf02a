"""Published MTJ measurements: the data-set format, its validation, and the shipped sets.

A measurement is one series of one *kind* (for example the TMR ratio versus
temperature, or the write error rate versus current), in SI units, with the fixed
conditions under which it was taken and its source.  The JSON format is documented in
``spinaps/device/data/measurements/README.md``; :func:`load` reads a shipped set by
name or any file in that format, :func:`list` names the shipped sets, and
:func:`from_columns` builds one in code (e.g. from a user's own data).

Every loader path goes through :func:`validate`, which names the problem: an unknown
kind, a missing column, a column in the wrong units, unequal column lengths, negative
pulse widths, probabilities outside [0, 1], non-finite numbers, too few points.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

__all__ = ["Measurement", "KINDS", "Kind", "load", "list", "from_columns", "validate", "binomial_uncertainty"]


@dataclass(frozen=True)
class Kind:
    """What a kind of measurement holds: the independent column ``x``, the measured
    column(s) ``y`` and the SI units of every column.

    The entries of :data:`KINDS`.

    Parameters
    ----------
    x : str [object]
        Name of the independent column (e.g. ``"t_pulse"``, ``"temperature"``).
    y : tuple of str [object]
        Names of the measured columns; a data set holds at least one of them.
    units : dict of str -> str [object]
        SI units of every column, e.g. ``{"t_pulse": "s", "current": "A"}`` (``"1"``
        for a dimensionless one).
    conditions : tuple of str [object]
        Fixed conditions a data set of this kind must state (e.g. ``("t_pulse",)``
        for a write error rate versus current).
    one_of : tuple of str [object]
        Conditions of which a data set states exactly one (the drive of
        ``psw_vs_pulse_width``: a ``current`` [A] or a pulse ``voltage`` [V]); empty
        for the other kinds.

    Examples
    --------
    >>> from spinaps.device.measurements import KINDS
    >>> KINDS["wer_vs_current"]
    Kind(x='current', y=('wer',), units={'current': 'A', 'wer': '1'}, conditions=('t_pulse',), one_of=())
    """

    x: str
    y: tuple[str, ...]
    units: dict
    conditions: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()


_PROBABILITY = {"p_switch", "wer"}
_POSITIVE = {"t_pulse", "current", "diameter", "temperature", "tau", "ic0", "r_p", "r_ap", "ms", "n_pulses", "dp_dv"}

#: The measurement kinds calibration understands (columns and their SI units).
KINDS = {
    "ic_vs_pulse_width": Kind("t_pulse", ("current",), {"t_pulse": "s", "current": "A"}),
    "psw_vs_pulse_width": Kind(
        "t_pulse", ("p_switch",), {"t_pulse": "s", "p_switch": "1"}, one_of=("current", "voltage")
    ),
    "psw_vs_current": Kind("current", ("p_switch",), {"current": "A", "p_switch": "1"}, ("t_pulse",)),
    "psw_vs_voltage": Kind("voltage", ("p_switch",), {"voltage": "V", "p_switch": "1"}, ("t_pulse", "temperature")),
    "dpdv_vs_pulse_width": Kind("t_pulse", ("dp_dv",), {"t_pulse": "s", "dp_dv": "1/V"}, ("temperature",)),
    "wer_vs_current": Kind("current", ("wer",), {"current": "A", "wer": "1"}, ("t_pulse",)),
    "wer_vs_pulse_width": Kind("t_pulse", ("wer",), {"t_pulse": "s", "wer": "1"}, ("current",)),
    "resistance_vs_bias": Kind("voltage", ("r_p", "r_ap"), {"voltage": "V", "r_p": "ohm", "r_ap": "ohm"}),
    "tmr_vs_bias": Kind("voltage", ("tmr",), {"voltage": "V", "tmr": "1"}),
    "tmr_vs_temperature": Kind("temperature", ("tmr",), {"temperature": "K", "tmr": "1"}),
    "delta_vs_temperature": Kind("temperature", ("delta",), {"temperature": "K", "delta": "1"}),
    "ms_vs_temperature": Kind("temperature", ("ms",), {"temperature": "K", "ms": "A/m"}),
    # M_s(T) and K_eff t_F(T) of a free layer (Rehm et al. 2021): the Bloch and
    # Callen-Callen temperature laws.
    "keff_t_vs_temperature": Kind(
        "temperature", ("ms", "keff_t"), {"temperature": "K", "ms": "A/m", "keff_t": "J/m^2"}
    ),
    "delta_vs_diameter": Kind("diameter", ("delta",), {"diameter": "m", "delta": "1"}),
    "ic0_vs_diameter": Kind("diameter", ("ic0",), {"diameter": "m", "ic0": "A"}),
    "dwell_time_vs_current": Kind("current", ("tau",), {"current": "A", "tau": "s"}),
    "retention_time_vs_temperature": Kind("temperature", ("tau",), {"temperature": "K", "tau": "s"}),
}
_CONDITION_UNITS = {
    "t_pulse": "s",
    "current": "A",
    "voltage": "V",
    "temperature": "K",
    "field": "A/m",
    "diameter": "m",
    "n_pulses": "1",
}

#: Fewest points of a data set (a fit needs more points than parameters as well).
MIN_POINTS = 2


@dataclass(frozen=True)
class Measurement:
    """One measured series, in SI units.

    Build it with :func:`load` (a shipped set or a JSON file) or :func:`from_columns`
    (arrays in code); both check it with :func:`validate`.  A frozen dataclass.

    Parameters
    ----------
    name : str [object]
        Name of the data set (for a file: the file name without ``.json``).
    kind : str [choice]
        One of :data:`KINDS`.
    columns : dict of str -> numpy.ndarray [SI units of each column]
        The independent column ``KINDS[kind].x`` and at least one measured column,
        1-D and of equal length.
    conditions : dict of str -> float [SI units of each condition]
        Fixed conditions in SI (``temperature`` [K], ``t_pulse`` [s], ``current`` [A], ...).
    uncertainty : dict of str -> numpy.ndarray [SI units of each column]
        Published one-sigma uncertainties of measured columns (may be empty).
    reference : str [object]
        The source: authors, title, venue and year.
    citation_key : str [object]
        Its key in ``spinaps/references.bib``.
    how_taken : str [object]
        Exactly where each number comes from and every unit conversion.
    notes : str [object]
        Caveats.
    device : dict [object]
        What the source states about the device.

    Examples
    --------
    >>> from spinaps.device import measurements
    >>> m = measurements.load("Skowronski2017_tmr_vs_temperature")
    >>> m.kind, m.x.tolist(), m.measured, m.n_points, m.citation_key
    ('tmr_vs_temperature', [20.0, 300.0], ('tmr',), 2, 'Skowronski2017')
    """

    name: str
    kind: str
    columns: dict
    conditions: dict = field(default_factory=dict)
    uncertainty: dict = field(default_factory=dict)
    reference: str = ""
    citation_key: str = ""
    how_taken: str = ""
    notes: str = ""
    device: dict = field(default_factory=dict)

    @property
    def x(self) -> np.ndarray:
        """The independent column ``columns[KINDS[kind].x]`` [its SI units]."""
        return self.columns[KINDS[self.kind].x]

    @property
    def measured(self) -> tuple[str, ...]:
        """The measured columns present (e.g. ``("r_p", "r_ap")`` or ``("tmr",)``)."""
        return tuple(y for y in KINDS[self.kind].y if y in self.columns)

    @property
    def n_points(self) -> int:
        """Number of measured values, summed over the measured columns [-].

        Each measured column has one value per point of :attr:`x`, so
        ``resistance_vs_bias`` with ``r_p`` and ``r_ap`` counts two values per bias.
        """
        return int(sum(self.columns[y].size for y in self.measured))

    def condition(self, name, default=None):
        """A fixed condition [SI]; a clear error if it is required and absent.

        Parameters
        ----------
        name : str [object]
            Name of the condition (``"temperature"``, ``"t_pulse"``, ``"current"``,
            ...).
        default : float, optional [SI units of the condition]
            Value if the measurement does not state it; ``None``: the condition is
            required.

        Returns
        -------
        float
            The condition [its SI units], or ``default``.

        Raises
        ------
        ValueError
            If the condition is absent and ``default`` is ``None`` (the message names
            the condition and its units).

        Examples
        --------
        >>> from spinaps.device import measurements
        >>> m = measurements.from_columns("tmr_vs_bias", voltage=[0.0, 0.5], tmr=[1.2, 0.6])
        >>> m.condition("temperature", 300.0)
        300.0
        """
        if name in self.conditions:
            return self.conditions[name]
        if default is None:
            raise ValueError(
                f"measurement {self.name!r} ({self.kind}) needs the condition {name!r} "
                f"[{_CONDITION_UNITS.get(name, 'SI')}]"
            )
        return default


def _value(entry, name, where):
    """A number from ``{"value": v, "units": u}`` (checked against SI) or a bare number."""
    if isinstance(entry, dict):
        units = entry.get("units")
        if name in _CONDITION_UNITS and units != _CONDITION_UNITS[name]:
            raise ValueError(f"{where}: condition {name!r} must be in {_CONDITION_UNITS[name]!r}, got {units!r}")
        entry = entry.get("value")
    try:
        return float(entry)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: condition {name!r} must be a number, got {entry!r}") from None


def validate(m: Measurement) -> Measurement:
    """Check a measurement and return it; raise ``ValueError`` naming the problem.

    Parameters
    ----------
    m : Measurement
        The measurement to check.

    Returns
    -------
    Measurement
        ``m`` itself, unchanged.

    Raises
    ------
    TypeError
        If ``m`` is not a :class:`Measurement`.
    ValueError
        Naming the problem: an unknown kind; a missing independent or measured
        column; a column that does not belong to the kind, is not 1-D, has another
        length than ``x`` or holds non-finite values; a non-positive value of a
        positive column (times, currents, diameters, temperatures, resistances, M_s,
        I_c0); a probability outside [0, 1]; an uncertainty of a column the set does
        not hold, not 1-D, of another length than ``x``, or with non-finite or
        non-positive values (the columns are checked as well as their
        uncertainties); fewer than :data:`MIN_POINTS` points; a missing required
        condition, or not exactly one of the conditions ``one_of`` of the kind (the
        drive of ``psw_vs_pulse_width``: ``current`` or ``voltage``); a non-finite (or,
        for a positive quantity, non-positive) condition.

    Examples
    --------
    >>> import numpy as np
    >>> from spinaps.device.measurements import Measurement, validate
    >>> bad = Measurement("mine", "tmr_vs_bias", {"voltage": np.array([0.0]), "tmr": np.array([1.2])})
    >>> validate(bad)
    Traceback (most recent call last):
        ...
    ValueError: measurement 'mine': 1 point(s); a data set needs at least 2
    """
    if not isinstance(m, Measurement):
        raise TypeError(f"measurement must be a Measurement, got {type(m).__name__}")
    where = f"measurement {m.name!r}"
    if m.kind not in KINDS:
        raise ValueError(f"{where}: unknown kind {m.kind!r}; known kinds: {', '.join(KINDS)}")
    kind = KINDS[m.kind]
    if kind.x not in m.columns:
        raise ValueError(f"{where}: missing column {kind.x!r} [{kind.units[kind.x]}] of kind {m.kind}")
    if not any(y in m.columns for y in kind.y):
        raise ValueError(f"{where}: missing measured column {' or '.join(map(repr, kind.y))} of kind {m.kind}")
    length = m.columns[kind.x].size

    def check_shape(label, values):
        if values.ndim != 1 or values.size != length:
            raise ValueError(f"{where}: {label} has {values.size} values, {kind.x!r} has {length}")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{where}: {label} contains non-finite values")

    for name, values in m.columns.items():
        if name not in kind.units:
            raise ValueError(
                f"{where}: column {name!r} does not belong to kind {m.kind} (columns: {', '.join(kind.units)})"
            )
        check_shape(f"column {name!r}", values)
        if name in _POSITIVE and np.any(values <= 0):
            raise ValueError(
                f"{where}: column {name!r} must be > 0 [{kind.units[name]}], got {float(values[values <= 0][0])!r}"
            )
        if name in _PROBABILITY and np.any((values < 0) | (values > 1)):
            raise ValueError(f"{where}: column {name!r} is a probability and must lie in [0, 1]")
    for name, sigma in m.uncertainty.items():  # checked apart: an uncertainty qualifies its column, never replaces it
        if name not in m.columns:
            raise ValueError(
                f"{where}: uncertainty of {name!r} qualifies no column {name!r} (columns: {', '.join(m.columns)})"
            )
        check_shape(f"uncertainty of {name!r}", sigma)
        if np.any(sigma <= 0):
            raise ValueError(
                f"{where}: uncertainty of {name!r} must be > 0 [{kind.units[name]}] (the fit divides by it), "
                f"got {float(sigma[sigma <= 0][0])!r}"
            )
    if length < MIN_POINTS:
        raise ValueError(f"{where}: {length} point(s); a data set needs at least {MIN_POINTS}")
    for name in kind.conditions:
        m.condition(name)
    if kind.one_of and sum(name in m.conditions for name in kind.one_of) != 1:
        stated = [name for name in kind.one_of if name in m.conditions]
        raise ValueError(
            f"{where}: kind {m.kind} needs exactly one of the conditions "
            f"{' or '.join(f'{n!r} [{_CONDITION_UNITS[n]}]' for n in kind.one_of)}, got {stated or 'none'}"
        )
    for name, value in m.conditions.items():
        if not np.isfinite(value) or (name in _POSITIVE and value <= 0):
            raise ValueError(f"{where}: condition {name!r} = {value!r} must be finite and > 0")
    return m


def _canonical(units):
    """Units as the package spells them (``Ohm`` is accepted for ``ohm``)."""
    return units.replace("Ohm", "ohm") if isinstance(units, str) else units


def _columns(raw, units_of, where, label):
    out = {}
    for name, entry in (raw or {}).items():
        if not isinstance(entry, dict) or "values" not in entry:
            raise ValueError(f"{where}: {label} {name!r} must be {{'units': ..., 'values': [...]}}")
        expected = units_of.get(name)
        if expected is not None and _canonical(entry.get("units")) != expected:
            raise ValueError(f"{where}: {label} {name!r} must be in {expected!r} (SI), got {entry.get('units')!r}")
        try:
            out[name] = np.asarray(entry["values"], dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: {label} {name!r} holds non-numbers") from None
    return out


def from_dict(d: dict, *, source="<dict>") -> Measurement:
    """A :class:`Measurement` from the JSON structure of the data-set format."""
    where = f"measurement file {source}"
    for key in ("name", "kind", "columns"):
        if key not in d:
            raise ValueError(f"{where}: missing field {key!r}")
    if d["kind"] not in KINDS:
        raise ValueError(f"{where}: unknown kind {d['kind']!r}; known kinds: {', '.join(KINDS)}")
    units = KINDS[d["kind"]].units
    conditions = {
        k: _value(v, k, where)
        for k, v in (d.get("conditions") or {}).items()
        if isinstance(v, (int, float)) or (isinstance(v, dict) and "value" in v)
    }
    return validate(
        Measurement(
            name=d["name"],
            kind=d["kind"],
            columns=_columns(d["columns"], units, where, "column"),
            conditions=conditions,
            uncertainty=_columns(d.get("uncertainty"), units, where, "uncertainty"),
            reference=d.get("reference", ""),
            citation_key=d.get("citation_key", ""),
            how_taken=d.get("how_taken", ""),
            notes=d.get("notes", ""),
            device=d.get("device") or {},
        )
    )


def from_columns(kind, *, name="user", conditions=None, uncertainty=None, **columns) -> Measurement:
    """A :class:`Measurement` from arrays in SI units, e.g.
    ``from_columns("tmr_vs_bias", voltage=v, tmr=tmr)``.

    Parameters
    ----------
    kind : str [choice]
        One of :data:`KINDS`.
    name : str [object]
        Name of the data set (default ``"user"``).
    conditions : dict of str -> float, optional [SI units of each condition]
        Fixed conditions, e.g. ``{"t_pulse": 10e-9}`` for ``wer_vs_current``.
    uncertainty : dict of str -> array, optional [SI units of each column]
        Published one-sigma uncertainties of measured columns.
    **columns : array [SI units of each column]
        The columns of the kind (see ``KINDS[kind].units``), 1-D and of equal length;
        scalars become one-element arrays.

    Returns
    -------
    Measurement
        The validated measurement.

    Raises
    ------
    ValueError
        If a value is not a number, or for any problem :func:`validate` names.

    Examples
    --------
    >>> from spinaps.device import measurements
    >>> m = measurements.from_columns("tmr_vs_bias", voltage=[0.0, 0.5], tmr=[1.2, 0.6])
    >>> m.kind, m.n_points, m.measured
    ('tmr_vs_bias', 2, ('tmr',))
    """
    return validate(
        Measurement(
            name=name,
            kind=kind,
            columns={k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in columns.items()},
            conditions={k: float(v) for k, v in (conditions or {}).items()},
            uncertainty={k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in (uncertainty or {}).items()},
        )
    )


def _data_dir():
    return resources.files("spinaps.device") / "data" / "measurements"


def list() -> builtins.list[str]:  # noqa: A001 - the issue's name for the listing
    """Names of the shipped published data sets.

    Returns
    -------
    list of str
        The names, sorted; each loads with :func:`load`.  The files are in
        ``spinaps/device/data/measurements`` (its ``README.md`` documents the format).

    Examples
    --------
    >>> from spinaps.device import measurements
    >>> names = measurements.list()
    >>> names[0], "Skowronski2017_tmr_vs_temperature" in names
    ('Hayakawa2006_tmr_vs_temperature', True)
    """
    return sorted(p.name[:-5] for p in _data_dir().iterdir() if p.name.endswith(".json"))


def load(name) -> Measurement:
    """A shipped data set by name (see :func:`list`) or a data-set JSON file by path.

    Parameters
    ----------
    name : str or pathlib.Path [object]
        The name of a shipped data set, or the path of a JSON file in the data-set
        format (a name ending in ``.json`` or an existing path is read as a file).

    Returns
    -------
    Measurement
        The validated measurement.

    Raises
    ------
    FileNotFoundError
        If a ``.json`` path does not exist.
    ValueError
        If ``name`` is neither a shipped data set nor a file, the file is not valid
        JSON, a field is missing or wrong (units not SI, non-numbers), its ``name``
        differs from the shipped file name, or :func:`validate` refuses it.

    References
    ----------
    * The shipped data sets cite their sources in ``reference`` and
      ``citation_key``: Hayakawa et al., Appl. Phys. Lett. (2006) (``Hayakawa2006``);
      Scheike et al., arXiv 2011.08739 (2020) (``Scheike2020``); Skowronski et al.,
      arXiv 1701.06411 (2017) (``Skowronski2017``); Yuasa et al., Jpn. J. Appl. Phys.
      43, L588 (2004) (``Yuasa2004``).

    Examples
    --------
    >>> from spinaps.device import measurements
    >>> m = measurements.load("Skowronski2017_tmr_vs_temperature")
    >>> m.columns["tmr"].tolist(), m.conditions
    ([2.8, 1.8], {})
    """
    path = Path(name)
    if path.suffix == ".json" or path.exists():
        if not path.is_file():
            raise FileNotFoundError(f"measurement file {str(path)!r} does not exist")
        text, source = path.read_text(), path.name
    else:
        shipped = list()
        if name not in shipped:
            raise ValueError(f"no shipped measurement {name!r}; available: {', '.join(shipped)}")
        text, source = (_data_dir() / f"{name}.json").read_text(), f"{name}.json"
    try:
        d = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"measurement file {source}: not valid JSON ({err})") from None
    m = from_dict(d, source=source)
    if path.suffix != ".json" and m.name != name:
        raise ValueError(f"measurement file {source}: field name {m.name!r} differs from the file name")
    return m


def binomial_uncertainty(p, n_trials, z=1.0):
    r"""One-sigma uncertainty of a switching probability counted over ``n_trials`` pulses.

    The half-width of the Wilson score interval (Wilson, J. Am. Stat. Assoc. 1927) at
    ``z`` standard normal deviates (default 1: a one-sigma interval):

    .. math::

       \sigma_p = \frac{z}{1 + z^2 / n}
       \sqrt{\frac{\hat p (1 - \hat p)}{n} + \frac{z^2}{4 n^2}}.

    It tends to the Wald value sqrt(p (1 - p) / n) for n p (1 - p) >> z^2 and stays
    positive at p = 0 and p = 1 (there it is z^2 / (2 n) / (1 + z^2 / n), about
    1 / (2 n) at z = 1), so a fit can divide by it: a point counted 0 times in 1e4 pulses
    carries sigma = 5e-5, not 0.  The interval itself is not centred on p_hat; only its
    half-width is used as the weight.

    Parameters
    ----------
    p : float or array [-]
        Measured switching probabilities (counts / n_trials), in [0, 1].
    n_trials : int or array [-]
        Pulses per point, >= 1.
    z : float [-]
        Width of the interval in standard deviations, > 0 (default 1).

    Returns
    -------
    numpy.ndarray [-]
        sigma_p, shaped as the broadcast of ``p`` and ``n_trials``.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1] or not finite, ``n_trials`` < 1 or ``z`` <= 0.

    References
    ----------
    * Wilson, E. B., "Probable inference, the law of succession, and statistical
      inference", J. Am. Stat. Assoc. 22, 209-212 (1927); citation key
      ``Wilson1927``.

    Examples
    --------
    >>> from spinaps.device.measurements import binomial_uncertainty
    >>> [f"{s:.3g}" for s in binomial_uncertainty([0.0, 0.5, 1.0], 10_000)]
    ['5e-05', '0.005', '5e-05']
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n_trials, dtype=float)
    if not np.all(np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    if not np.all(np.isfinite(n)) or np.any(n < 1):
        raise ValueError(f"n_trials must be >= 1, got {n!r}")
    if not (np.isfinite(z) and z > 0):
        raise ValueError(f"z must be > 0, got {z!r}")
    return z / (1.0 + z**2 / n) * np.sqrt(p * (1.0 - p) / n + z**2 / (4.0 * n**2))
