"""One vocabulary, enforced: every public name is in ``docs/glossary.md``.

* API names: for each module of :data:`MODULES`, every callable of its ``__all__``
  (constants and submodules listed there are skipped): the parameters of a function;
  for a class, the constructor's parameters (the dataclass fields), the parameters of
  every public method, classmethod and staticmethod defined on the class, and the names
  of its public properties.  ``*args``/``**kwargs`` names count (``kw``, ``options``);
  ``self`` and ``cls`` do not, nor do the alias properties that
  :func:`spinaps.deprecation.renamed_fields` adds for old field names (those are
  checked against the renamed table instead).
* Output names: every data variable, coordinate and dimension of every netCDF file
  ``spinaps run`` writes.  The run is the small design
  (:data:`tests.integration.small.SMALL`: 2,000 training and 500 test digits, 6 chips, small
  Monte-Carlo ensembles; everything else the default design) through
  :meth:`spinaps.Chain.run` into an output folder, once per test session (shared with
  tests/integration/test_chain.py).  It writes the
  same datasets as the default design: a default ``spinaps run`` and this design
  both write the 18 files ``ann``, ``architecture``, ``array_mtj``, ``array_sram``,
  ``bitcell_mtj``, ``cell_faults``, ``device_properties``, ``llg_ensemble``,
  ``network``, ``network_fault_free``, ``network_homogeneous``, ``network_nominal``,
  ``pulse_for_wer``, ``read_disturb``, ``retention``, ``switching_map``,
  ``variability``, ``wer_map`` (``.nc``) with the same variable, coordinate and
  dimension names in each (sizes only differ) -- checked by hand against a default
  run; the sizes of a design do not add or remove names.
* A name is accepted if it is in the first column of a glossary table, or matches a
  pattern of its "Derived names" table (``{name}_mean``, ``ratio_{name}``, ...) whose
  ``{name}`` is itself accepted.
* The "Renamed (deprecated) names" table is checked against the code both ways: every
  deprecated name an object accepts (``spinaps.deprecation.deprecated_names``) is a row
  of the table, naming that object, and its signature shows the new name, not the
  old; every row names objects (or output files) that do so.
"""

from __future__ import annotations

import collections
import functools
import importlib
import inspect
import pathlib
import re

import pytest
import xarray as xr

from spinaps.deprecation import deprecated_names

GLOSSARY = pathlib.Path(__file__).resolve().parents[2] / "docs" / "glossary.md"

#: The modules whose ``__all__`` is the public API checked here.
MODULES = (
    "spinaps",
    "spinaps.design",
    "spinaps.chain",
    "spinaps.sweep",
    "spinaps.threads",
    "spinaps.params",
    "spinaps.deprecation",
    "spinaps.device",
    "spinaps.circuit",
    "spinaps.architecture",
    "spinaps.network",
)

RENAMED_SECTION = "Renamed (deprecated) names"
DERIVED_SECTION = "Derived names"
_BACKTICKED = re.compile(r"`([^`]+)`")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")


# --------------------------------------------------------------------------- the glossary
class Glossary:
    """The parsed glossary: names (with their section), derived patterns, renamed rows."""

    def __init__(self, text: str):
        self.names: dict[str, str] = {}  # name -> section
        self.duplicates: list[str] = []
        self.patterns: list[tuple[str, re.Pattern]] = []
        self.renamed: list[tuple[str, str, tuple[str, ...]]] = []  # (old, new, where...)
        self.rows_without_unit: list[str] = []
        self.sections: list[str] = []
        section, in_table = "", False
        for line in text.splitlines():
            heading = _HEADING.match(line)
            if heading:
                section, in_table = heading.group(1), False
                self.sections.append(section)
                continue
            if not line.lstrip().startswith("|"):
                in_table = False
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not in_table:  # the header row of a table
                in_table = True
                continue
            if all(set(c) <= set("-: ") for c in cells):  # the separator row
                continue
            self._row(section, cells)

    def _row(self, section, cells):
        first = _BACKTICKED.findall(cells[0])
        if section == RENAMED_SECTION:
            (old,), (new,) = _BACKTICKED.findall(cells[0]), _BACKTICKED.findall(cells[1])
            self.renamed.append((old, new, tuple(_BACKTICKED.findall(cells[2]))))
            return
        if not re.search(r"\[[^\]]+\]", cells[-1]):
            self.rows_without_unit.append(cells[0])
        for name in first:
            if "{name}" in name:
                regex = re.escape(name).replace(re.escape("{name}"), "(?P<base>.+)")
                self.patterns.append((name, re.compile(f"^{regex}$")))
            elif name in self.names:
                self.duplicates.append(name)
            else:
                self.names[name] = section

    def accepts(self, name: str, depth: int = 3) -> bool:
        """True if ``name`` is a glossary name or a derived name of one."""
        if name in self.names:
            return True
        return depth > 0 and any(
            (m := regex.match(name)) and self.accepts(m.group("base"), depth - 1) for _, regex in self.patterns
        )


@functools.cache
def glossary() -> Glossary:
    return Glossary(GLOSSARY.read_text(encoding="utf-8"))


def missing_names(found: dict[str, set[str]], gloss: Glossary) -> dict[str, set[str]]:
    """The names of ``found`` (name -> where it was found) the glossary does not accept."""
    return {name: where for name, where in sorted(found.items()) if not gloss.accepts(name)}


def _report(missing: dict[str, set[str]], what: str) -> str:
    lines = [f"{len(missing)} {what} not in docs/glossary.md (add them, with their meaning and unit):"]
    for name, where in missing.items():
        places = sorted(where)
        more = f", ... ({len(places) - 4} more)" if len(places) > 4 else ""
        lines.append(f"  {name}: {', '.join(places[:4])}{more}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the API
def public_objects():
    """``(dotted path, object)`` of every callable in the ``__all__`` of :data:`MODULES`."""
    for modname in MODULES:
        module = importlib.import_module(modname)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.ismodule(obj) or not callable(obj):
                continue  # submodules and constants have no signature
            yield f"{modname}.{attr}", obj


def _parameters(func) -> list[str]:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):  # a builtin without a signature
        return []
    return [p.name for p in sig.parameters.values() if p.name not in ("self", "cls")]


def _members(cls):
    """``(name, function or None for a property)`` of the public members defined on ``cls``."""
    for attr, member in vars(cls).items():
        if attr.startswith("_"):
            continue
        if isinstance(member, (property, functools.cached_property)):
            yield attr, None
        elif isinstance(member, (classmethod, staticmethod)):
            yield attr, member.__func__
        elif inspect.isfunction(member):
            yield attr, member


def api_names() -> dict[str, set[str]]:
    """Every parameter, field and property name of the public API -> where it is."""
    found = collections.defaultdict(set)
    for where, obj in public_objects():
        if inspect.isclass(obj):
            aliases = deprecated_names(obj)
            for name in _parameters(obj):
                found[name].add(f"{where}()")
            for attr, func in _members(obj):
                if func is None:
                    if attr not in aliases:  # an old field name's alias: see the renamed table
                        found[attr].add(f"{where}.{attr}")
                else:
                    for name in _parameters(func):
                        found[name].add(f"{where}.{attr}()")
        else:
            for name in _parameters(obj):
                found[name].add(f"{where}()")
    return dict(found)


def signature_names(obj) -> set[str]:
    """The names an object shows: the parameters of a function; for a class, the
    constructor's parameters and its public properties other than deprecated aliases
    (a renamed property, such as ``CircuitResult.t_pulse``, is a property)."""
    names = set(_parameters(obj))
    if inspect.isclass(obj):
        aliases = deprecated_names(obj)
        names |= {attr for attr, func in _members(obj) if func is None and attr not in aliases}
    return names


def deprecated_objects():
    """``(dotted path, object, {old: new})`` of every public callable, class and method
    that still accepts deprecated names (one path per object)."""
    seen = set()
    for where, obj in public_objects():
        candidates = [(where, obj)]
        if inspect.isclass(obj):
            candidates += [(f"{where}.{attr}", func) for attr, func in _members(obj) if func is not None]
        for path, thing in candidates:
            names = deprecated_names(thing)
            if names and id(thing) not in seen:
                seen.add(id(thing))
                yield path, thing, names


def resolve(path: str):
    """The object at a dotted path (``spinaps.device.simulate``, ``spinaps.circuit.Array``)."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(path)


# --------------------------------------------------------------------------- the outputs
@pytest.fixture(scope="module")
def run_folder(result):
    """The output folder of the small design's run (the session's ``result`` fixture,
    tests/integration/conftest.py; see the module notes)."""
    return result[1]


def output_names(folder) -> dict[str, set[str]]:
    """Every data variable, coordinate and dimension of every ``.nc`` file -> where."""
    found = collections.defaultdict(set)
    for path in sorted(pathlib.Path(folder).glob("*.nc")):
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            for name in ds.data_vars:
                found[name].add(f"{path.name} (variable)")
            for name in ds.coords:
                found[name].add(f"{path.name} (coordinate)")
            for name in ds.dims:
                if name not in ds.coords:
                    found[name].add(f"{path.name} (dimension)")
    return dict(found)


def _names_in(path) -> set[str]:
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return set(ds.variables) | set(ds.dims)


# --------------------------------------------------------------------------- tests
def test_the_glossary_parses():
    gloss = glossary()
    for section in (
        "Shared physical quantities",
        "Device layer",
        "Circuit layer",
        "Architecture layer",
        "Network layer",
        "Design, chain, sweep and general",
        DERIVED_SECTION,
        RENAMED_SECTION,
    ):
        assert section in gloss.sections, section
    assert len(gloss.names) > 300 and gloss.patterns and gloss.renamed
    assert gloss.duplicates == [], f"names with more than one entry (say both meanings in one): {gloss.duplicates}"
    assert gloss.rows_without_unit == [], f"entries without a [unit]: {gloss.rows_without_unit}"


def test_the_checker_reports_a_made_up_name():
    """The check can fail: made-up names, and derived names of made-up names, are reported."""
    gloss = glossary()
    found = {
        "bogus_name_xyz": {"here"},
        "ratio_bogus_name_xyz": {"there"},
        "bogus_name_xyz_mean": {"there"},
        "wer": {"a"},
        "wer_mean": {"b"},
        "ratio_gsops_per_w": {"c"},
        "read_energy_breakdown": {"d"},
    }
    missing = missing_names(found, gloss)
    assert set(missing) == {"bogus_name_xyz", "ratio_bogus_name_xyz", "bogus_name_xyz_mean"}
    assert missing["bogus_name_xyz"] == {"here"}
    assert "bogus_name_xyz: here" in _report(missing, "names")


def test_every_api_name_is_in_the_glossary():
    found = api_names()
    assert len(found) > 200  # the walk found the API
    missing = missing_names(found, glossary())
    assert not missing, _report(missing, "parameter, field or property names")


def test_every_output_name_is_in_the_glossary(run_folder):
    found = output_names(run_folder)
    assert {"wer", "accuracy", "gsops_per_w_per_mm2", "chip"} <= set(found)
    missing = missing_names(found, glossary())
    assert not missing, _report(missing, "output variable, coordinate or dimension names of spinaps run")


def test_every_deprecated_name_is_in_the_renamed_table():
    rows = collections.defaultdict(set)  # (old, new) -> ids of the objects named
    for old, new, where in glossary().renamed:
        for path in where:
            if not path.endswith(".nc"):
                rows[old, new].add(id(resolve(path)))
    problems = []
    for path, obj, names in deprecated_objects():
        params = signature_names(obj)
        for old, new in names.items():
            if old in params:
                problems.append(f"{path}: the deprecated {old!r} is still in the signature")
            if new not in params:
                problems.append(f"{path}: the new name {new!r} is not in the signature")
            if id(obj) not in rows.get((old, new), ()):
                problems.append(f"{path}: {old!r} -> {new!r} is not in the glossary's renamed table")
    assert not problems, "\n".join(problems)


def test_every_renamed_row_is_found_in_the_code():
    problems = []
    for old, new, where in glossary().renamed:
        assert where, f"renamed row {old} -> {new} names no object"
        for path in where:
            if path.endswith(".nc"):
                continue  # output names: next test
            try:
                obj = resolve(path)
            except (ImportError, AttributeError):
                problems.append(f"{path}: no such object ({old} -> {new})")
                continue
            if deprecated_names(obj).get(old) != new:
                problems.append(f"{path}: does not accept {old!r} as a deprecated name of {new!r}")
            params = signature_names(obj)
            if old in params or new not in params:
                problems.append(f"{path}: its signature should show {new!r}, not {old!r}")
    assert not problems, "\n".join(problems)


def test_every_renamed_output_row_is_found_in_the_outputs(run_folder):
    problems = []
    for old, new, where in glossary().renamed:
        for file in (w for w in where if w.endswith(".nc")):
            path = pathlib.Path(run_folder) / file
            if not path.is_file():
                problems.append(f"{file}: spinaps run writes no such file ({old} -> {new})")
                continue
            names = _names_in(path)
            if old in names:
                problems.append(f"{file}: still has the old name {old!r} (new: {new!r})")
            if new not in names:
                problems.append(f"{file}: has no {new!r}")
    assert not problems, "\n".join(problems)
