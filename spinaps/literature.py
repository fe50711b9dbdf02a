"""Values from the literature: the package's tables of published numbers (:func:`load`).

Every table of published numbers the models use -- the MTJ presets, CACTI 7's
technology nodes, Horowitz's operation energies, published memory cells and macros, the
published accelerators -- is a TOML file in ``spinaps/data/literature/``, one file per
table, in one format (described in the ``README.md`` beside the files and in
``docs/conventions.md``, "Values from the literature").  The model code keeps the logic
(back-solving, interpolation, derived figures) and reads the numbers from here.

A table is::

    [table]                      # title, description, further table-wide provenance
    title = "..."
    description = "..."

    [units]                      # the units of every numeric key of the entries
    diameter = "m"

    [entries.Ikeda2010]          # one entry per item: values, source, notes
    diameter = 40e-9

    [entries.Ikeda2010.source]   # authors, venue, year; keys into references.bib
    reference = "S. Ikeda et al., ..., Nature Materials 9, 721 (2010)"
    bibkeys = ["Ikeda2010"]

    [entries.Ikeda2010.assumed]  # optional note groups: published, assumed, derived
    thickness = "1.3 nm, within the 1.0-1.7 nm CoFeB electrodes of the stack"

:func:`load` reads a table with :mod:`tomllib` through :mod:`importlib.resources`,
validates it (:func:`read` does the same for a file anywhere) and returns a frozen
:class:`Table` of :class:`Entry` objects; a malformed table raises a ``ValueError``
naming the file, the entry and the key.

Examples
--------
>>> from spinaps import literature
>>> table = literature.load("mtj_presets")
>>> table.units["diameter"], table.entries["Ikeda2010"]["diameter"]
('m', 4e-08)
>>> table.entries["Ikeda2010"].source.bibkeys
('Ikeda2010',)
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

__all__ = ["load", "read", "tables", "Table", "Entry", "Source", "KNOWN_UNITS", "NOTE_GROUPS", "DIRECTORY"]

#: Folder of the tables inside the package.
DIRECTORY = "data/literature"

#: Units a ``[units]`` table may name: SI (``"1"`` for dimensionless numbers), and the
#: non-SI units that published figures are quoted in, each spelled one way.  ``F`` and
#: ``F^2`` are multiples of the feature size of the technology node (a length and an
#: area), ``K^-1.5`` the unit of a Bloch-law coefficient.
KNOWN_UNITS = frozenset(
    {
        # SI
        "1",
        "m",
        "m^2",
        "s",
        "K",
        "V",
        "A",
        "W",
        "J",
        "Ohm",
        "F/m",
        "F/m^2",
        "A/m",
        "Ohm m",
        "Ohm m^2",
        "Ohm/m",
        "S/m",
        "m^2/(V s)",
        "J/m^3",
        "K^-1.5",
        "bit",
        # layout units: multiples of the feature size
        "F",
        "F^2",
        # as published (the key names the unit too)
        "nm",
        "mm^2",
        "pJ",
        "GSOP/s",
        "GSOP/s/W",
        "GSOP/s/W/mm^2",
        "TOP/s",
        "TOP/s/W",
        "TOP/s/mm^2",
        "TOP/s/W/mm^2",
    }
)

#: Sub-tables of an entry holding notes (key -> text): ``published`` (the figure as the
#: source states it), ``assumed`` (a value not from the source, with the reason for the
#: choice), ``derived`` (a value computed from published ones, and how).
NOTE_GROUPS = ("published", "assumed", "derived")

_SOURCE_KEYS = ("reference", "bibkeys", "location")


@dataclass(frozen=True)
class Source:
    """Where an entry's values come from.

    Attributes
    ----------
    reference : str
        Authors, venue and year in words.
    bibkeys : tuple of str
        Keys into the package bibliography (``spinaps/references.bib``,
        :mod:`spinaps.citations`) of the works cited; empty when the package does not
        cite the work.
    location : str or None
        Where in the source the values are (file, table, column, page), when recorded.
    """

    reference: str
    bibkeys: tuple[str, ...] = ()
    location: str | None = None


@dataclass(frozen=True)
class Entry:
    """One entry of a table: its values, its source and its notes.

    Attributes
    ----------
    name : str
        Identifier of the entry in its table.
    values : Mapping[str, float | int | str | bool]
        The entry's values; a numeric value is in the units of :attr:`Table.units` for
        its key.  A value that is not published is absent, never NaN.
    source : Source
    notes : Mapping[str, Mapping[str, str]]
        The note groups of :data:`NOTE_GROUPS` present in the entry, each key -> text.
    file : str
        The table's file, for messages.

    ``entry[key]`` is ``entry.values[key]``; :meth:`get` and ``key in entry`` work as for
    a dict.
    """

    name: str
    values: Mapping[str, object]
    source: Source
    notes: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    file: str = ""

    def __getitem__(self, key):
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(
                f"{self.file}: entry {self.name!r} has no key {key!r}; keys: {', '.join(self.values)}"
            ) from None

    def __contains__(self, key):
        return key in self.values

    def get(self, key, default=None):
        return self.values.get(key, default)

    def note(self, group: str) -> Mapping[str, str]:
        """The note group ``group`` (one of :data:`NOTE_GROUPS`; empty when absent)."""
        if group not in NOTE_GROUPS:
            raise ValueError(f"note group {group!r} is not allowed; allowed values: {', '.join(NOTE_GROUPS)}")
        return self.notes.get(group, MappingProxyType({}))

    def require(self, *keys: str) -> Entry:
        """Check that the entry has ``keys``; return the entry.

        Raises
        ------
        ValueError
            Naming the file, the entry and the first missing key.
        """
        for key in keys:
            if key not in self.values:
                raise ValueError(f"{self.file}: entry {self.name!r}, key {key!r}: required key missing")
        return self


@dataclass(frozen=True)
class Table:
    """A validated table of values from the literature.

    Attributes
    ----------
    name : str
        The file's stem (``load(name)``).
    title, description : str
    info : Mapping[str, str | Mapping[str, str]]
        Further table-wide provenance of the ``[table]`` section (strings, or tables of
        strings), e.g. a method common to all entries.
    units : Mapping[str, str]
        Units of every numeric key of the entries (members of :data:`KNOWN_UNITS`).
    entries : Mapping[str, Entry]
        The entries in file order.
    file : str
        The file, for messages.
    """

    name: str
    title: str
    description: str
    info: Mapping[str, object]
    units: Mapping[str, str]
    entries: Mapping[str, Entry]
    file: str = ""

    def __getitem__(self, name) -> Entry:
        try:
            return self.entries[name]
        except KeyError:
            raise KeyError(f"{self.file}: no entry {name!r}; entries: {', '.join(self.entries)}") from None

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)


def _fail(file, where, problem):
    raise ValueError(f"{file}: {where}: {problem}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _strings(file, where, value) -> Mapping[str, str]:
    """A table of strings (key -> text), or a ValueError."""
    if not isinstance(value, dict):
        _fail(file, where, f"must be a table of strings, got {type(value).__name__}")
    for key, text in value.items():
        if not isinstance(text, str) or not text.strip():
            _fail(file, f"{where}, key {key!r}", f"must be a non-empty string, got {text!r}")
    return MappingProxyType(dict(value))


def _source(file, where, value, known_bibkeys) -> Source:
    if not isinstance(value, dict):
        _fail(file, f"{where}, key 'source'", "must be a table with 'reference' (authors, venue, year)")
    for key in value:
        if key not in _SOURCE_KEYS:
            _fail(file, f"{where}, key 'source.{key}'", f"unknown key; allowed keys: {', '.join(_SOURCE_KEYS)}")
    reference = value.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        _fail(file, f"{where}, key 'source.reference'", "required: a non-empty string (authors, venue, year)")
    bibkeys = value.get("bibkeys", [])
    if not isinstance(bibkeys, list) or not all(isinstance(k, str) for k in bibkeys):
        _fail(file, f"{where}, key 'source.bibkeys'", f"must be a list of strings, got {bibkeys!r}")
    for key in bibkeys:
        if key not in known_bibkeys:
            _fail(
                file,
                f"{where}, key 'source.bibkeys'",
                f"{key!r} is not a key of spinaps/references.bib (spinaps.citations.known_keys())",
            )
    location = value.get("location")
    if location is not None and (not isinstance(location, str) or not location.strip()):
        _fail(file, f"{where}, key 'source.location'", f"must be a non-empty string, got {location!r}")
    return Source(reference=reference, bibkeys=tuple(bibkeys), location=location)


def _validate(data: dict, file: str, name: str, required=()) -> Table:
    """Check the parsed TOML ``data`` against the format; build the :class:`Table`."""
    from .citations import known_keys

    for key in data:
        if key not in ("table", "units", "entries"):
            _fail(file, f"top-level key {key!r}", "unknown; allowed: [table], [units], [entries.<name>]")
    head = data.get("table")
    if not isinstance(head, dict):
        _fail(file, "[table]", "required: a table with 'title' and 'description'")
    for key in ("title", "description"):
        if not isinstance(head.get(key), str) or not head[key].strip():
            _fail(file, f"[table], key {key!r}", "required: a non-empty string")
    info = {}
    for key, value in head.items():
        if key in ("title", "description"):
            continue
        info[key] = value if isinstance(value, str) else _strings(file, f"[table], key {key!r}", value)

    units = data.get("units")
    if not isinstance(units, dict):
        _fail(file, "[units]", "required: a table of key -> units string")
    for key, unit in units.items():
        if not isinstance(unit, str) or unit not in KNOWN_UNITS:
            _fail(
                file, f"[units], key {key!r}", f"unknown units {unit!r}; known units: {', '.join(sorted(KNOWN_UNITS))}"
            )

    raw_entries = data.get("entries")
    if not isinstance(raw_entries, dict) or not raw_entries:
        _fail(file, "[entries]", "required: at least one [entries.<name>] table")
    known_bibkeys = set(known_keys())
    entries = {}
    used_units = set()
    for entry_name, raw in raw_entries.items():
        where = f"entry {entry_name!r}"
        if not isinstance(raw, dict):
            _fail(file, where, f"must be a table, got {type(raw).__name__}")
        if "source" not in raw:
            _fail(file, f"{where}, key 'source'", "required: every entry names its source")
        source = _source(file, where, raw["source"], known_bibkeys)
        values, notes = {}, {}
        for key, value in raw.items():
            if key == "source":
                continue
            at = f"{where}, key {key!r}"
            if isinstance(value, dict):
                if key not in NOTE_GROUPS:
                    _fail(file, at, f"a sub-table must be a note group, one of {', '.join(NOTE_GROUPS)}")
                notes[key] = _strings(file, at, value)
            elif key in units:
                if not _is_number(value):
                    _fail(file, at, f"must be a number in {units[key]!r}, got {value!r}")
                if not math.isfinite(value):
                    _fail(file, at, f"must be finite, got {value!r} (leave an unpublished value out)")
                values[key] = value
                used_units.add(key)
            elif _is_number(value):
                _fail(file, at, "a number needs its units: add the key to [units]")
            elif isinstance(value, (str, bool)):
                values[key] = value
            else:
                _fail(file, at, f"must be a number, a string, a boolean or a note group, got {type(value).__name__}")
        entry = Entry(
            name=entry_name, values=MappingProxyType(values), source=source, notes=MappingProxyType(notes), file=file
        )
        entry.require(*required)
        entries[entry_name] = entry
    for key in units:
        if key not in used_units:
            _fail(file, f"[units], key {key!r}", "no entry has this key (a misspelt key?)")
    return Table(
        name=name,
        title=head["title"],
        description=head["description"],
        info=MappingProxyType(info),
        units=MappingProxyType(dict(units)),
        entries=MappingProxyType(entries),
        file=file,
    )


def _parse(text: str, file: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{file}: not valid TOML: {err}") from None


def read(path, *, required=()) -> Table:
    """Read and validate the table in the TOML file ``path`` (anywhere on disk).

    Parameters
    ----------
    path : str or os.PathLike
        A ``.toml`` file in the format of :mod:`spinaps.literature`.
    required : sequence of str
        Keys every entry must have.

    Returns
    -------
    Table

    Raises
    ------
    ValueError
        If the file is not valid TOML or not in the format; the message names the file,
        the entry and the key.
    """
    path = Path(path)
    return _validate(_parse(path.read_text(encoding="utf-8"), str(path)), str(path), path.stem, tuple(required))


def _folder():
    folder = resources.files("spinaps")
    for part in DIRECTORY.split("/"):
        folder = folder.joinpath(part)
    return folder


def tables() -> tuple[str, ...]:
    """Names of the package's tables (the files' stems), sorted."""
    return tuple(sorted(p.name.removesuffix(".toml") for p in _folder().iterdir() if p.name.endswith(".toml")))


@cache
def _load(name: str, required: tuple[str, ...]) -> Table:
    resource = _folder().joinpath(f"{name}.toml")
    file = f"spinaps/{DIRECTORY}/{name}.toml"
    if not resource.is_file():
        raise ValueError(f"no literature table {name!r}; available tables: {', '.join(tables())}")
    return _validate(_parse(resource.read_text(encoding="utf-8"), file), file, name, required)


def load(name: str, *, required=()) -> Table:
    """The package's table ``name`` (a file stem of ``spinaps/data/literature``), validated.

    Parameters
    ----------
    name : str
        Table name, e.g. ``"mtj_presets"``, ``"cacti7_technology"``; see :func:`tables`.
    required : sequence of str
        Keys every entry must have.

    Returns
    -------
    Table
        Read once per process (the table is frozen).

    Raises
    ------
    ValueError
        If there is no such table, or it is malformed (the message names the file, the
        entry and the key).
    """
    return _load(str(name), tuple(required))
