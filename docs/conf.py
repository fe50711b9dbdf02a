"""Sphinx configuration of the spinaps documentation.

Build (from the repository root; warnings are errors, as in CI)::

    python3 -m pip install -e ".[docs]"
    python3 -m sphinx -W --keep-going -b html docs docs/_build/html

Nothing is downloaded at build time: no intersphinx inventories, the theme that comes
with Sphinx (alabaster), MathJax served from the site itself (sphinx-mathjax-offline,
no CDN), and the notebooks rendered from their stored outputs, never executed.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import shutil
import sys
from pathlib import Path

# Import spinaps from this checkout, whatever spinaps is installed in the environment.
sys.path.insert(0, os.path.abspath(".."))

import spinaps  # noqa: E402

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# -- Project -------------------------------------------------------------------------

project = "spinaps"
author = "spinaps developers"
copyright = "spinaps developers"
release = spinaps.__version__
version = release

# -- Extensions ----------------------------------------------------------------------

extensions = [
    "myst_nb",  # the Markdown pages (MyST) and the notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",  # numpydoc-style docstrings
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # copies MathJax 3 into _static: no CDN
    "sphinx.ext.viewcode",
    "sphinxcontrib.bibtex",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# -- Notebooks -----------------------------------------------------------------------
# The notebooks live in ../notebooks, outside the source directory.  docs/notebooks is
# a link to that folder, made here when it is missing (or a copy, refreshed at every
# build, where links cannot be made); it is in .gitignore.

nb_execution_mode = "off"  # render the stored outputs; never execute a notebook
nb_merge_streams = True


def _link_notebooks() -> None:
    source = ROOT / "notebooks"
    target = DOCS / "notebooks"
    if target.is_symlink():
        if target.resolve() == source.resolve():
            return
        target.unlink()
    elif target.is_file():
        target.unlink()
    if not target.exists():
        try:
            target.symlink_to(os.path.relpath(source, DOCS), target_is_directory=True)
            return
        except OSError:
            pass
    shutil.rmtree(target, ignore_errors=True)  # a copy: mirror ../notebooks exactly
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


_link_notebooks()

# -- API reference -------------------------------------------------------------------
# api.rst lists the public modules; each module's page (_templates/autosummary/
# module.rst) lists exactly its __all__ (autosummary_ignore_module_all = False), one page
# per name.  A name that a module re-exports from another documented module
# (spinaps.Design is spinaps.design.Design) links to the page in its home module instead
# of getting a second page, and references to it resolve there (_resolve).

API_MODULES = [
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
]


def _public(module) -> list[tuple[str, object]]:
    return [(name, getattr(module, name)) for name in getattr(module, "__all__", [])]


def _documented_modules(names: list[str]) -> list[str]:
    """The API modules and, recursively, the modules named in their ``__all__``."""
    seen: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name not in seen:
            seen.append(name)
            todo += [v.__name__ for _, v in _public(importlib.import_module(name)) if inspect.ismodule(v)]
    return seen


def _reexports(modules: list[str]) -> dict[str, str]:
    """``{"spinaps.Design": "spinaps.design.Design", ...}`` among the documented modules."""
    found: dict[str, str] = {}
    for name in modules:
        for member, value in _public(importlib.import_module(name)):
            home = getattr(value, "__module__", None)
            if inspect.ismodule(value) or home == name or home not in modules:
                continue
            home_module = sys.modules[home]
            if member in getattr(home_module, "__all__", []) and getattr(home_module, member) is value:
                found[f"{name}.{member}"] = f"{home}.{member}"
    return found


def _documented_names(modules: list[str], reexports: dict[str, str]) -> dict[int, str]:
    """id(module, class or function) -> the name its page documents it under."""
    names: dict[int, str] = {}
    for name in modules:
        for member, value in _public(importlib.import_module(name)):
            if inspect.ismodule(value):
                names.setdefault(id(value), value.__name__)
            elif inspect.isclass(value) or inspect.isroutine(value):
                full = f"{name}.{member}"
                names.setdefault(id(value), reexports.get(full, full))
    return names


def _long_values(modules: list[str], limit: int = 120) -> list[str]:
    """The constants whose value is too long to print on their page."""
    return [
        f"{name}.{member}"
        for name in modules
        for member, value in _public(importlib.import_module(name))
        if not (inspect.ismodule(value) or inspect.isclass(value) or callable(value)) and len(repr(value)) > limit
    ]


MODULES = _documented_modules(API_MODULES)
REEXPORTS = _reexports(MODULES)
DOCUMENTED = _documented_names(MODULES, REEXPORTS)


def _remove_stale_pages() -> None:
    """Delete the generated pages of names no longer public (each would be a page in no
    toctree, a warning); autosummary rewrites the others only when they change."""
    expected = set(MODULES)
    for name in MODULES:
        for member, value in _public(importlib.import_module(name)):
            if f"{name}.{member}" not in REEXPORTS:
                expected.add(value.__name__ if inspect.ismodule(value) else f"{name}.{member}")
    for page in (DOCS / "generated").glob("*.rst"):
        if page.stem not in expected:
            page.unlink()


_remove_stale_pages()

autosummary_generate = True
autosummary_ignore_module_all = False
autosummary_imported_members = True
autosummary_context = {"reexports": REEXPORTS, "long_values": _long_values(MODULES)}

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autoclass_content = "class"

napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_ivar = True  # an "Attributes" section must not declare the fields a second time
napoleon_use_rtype = False


def _home_comment(name: str, value) -> list[str] | None:
    """The ``#:`` comment of ``name`` in the spinaps module that defines ``value``."""
    from sphinx.errors import PycodeError
    from sphinx.pycode import ModuleAnalyzer

    for modname, module in sorted(sys.modules.items()):
        if module is None or not (modname == "spinaps" or modname.startswith("spinaps.")):
            continue
        if getattr(module, name, None) is not value:
            continue
        try:
            comment = ModuleAnalyzer.for_module(modname).find_attr_docs().get(("", name))
        except PycodeError:
            continue
        if comment:
            return list(comment)
    return None


def _data_docstring(app, what, name, obj, options, lines):
    """A constant that a package re-exports (spinaps.circuit.OPERATIONS) is documented by
    the ``#:`` comment where it is defined; autodoc reads only the package's own source,
    finds none there and falls back to the docstring of the value's type (``dict``'s,
    ``str``'s), which is not about the constant.  Use the comment at home, else nothing."""
    if what not in ("data", "attribute"):
        return
    type_doc = inspect.getdoc(type(obj)) or ""
    if type_doc and "\n".join(lines).strip() != type_doc.strip():
        return  # the constant's own documentation
    comment = _home_comment(name.rpartition(".")[2], obj)
    lines[:] = comment if comment else []


_MISSING = object()


def _documented_name(path: str, base: str | None = None) -> str | None:
    """The documented name of the object at dotted ``path`` (looked up inside module
    ``base`` if given): the page of its longest documented prefix plus the rest
    (``FaultModel.from_bitcell`` -> ``spinaps.network.weights.FaultModel.from_bitcell``).
    Imports nothing but spinaps modules."""
    parts = path.split(".")
    if base is not None:
        obj, rest = sys.modules.get(base, _MISSING), parts
    else:
        obj, rest = _MISSING, parts
        for i in range(len(parts), 0, -1):
            head = ".".join(parts[:i])
            if head == "spinaps" or head.startswith("spinaps."):
                try:
                    obj, rest = importlib.import_module(head), parts[i:]
                except ImportError:
                    continue
                break
    found = DOCUMENTED.get(id(obj)) if obj is not _MISSING else None
    tail: list[str] = []
    for part in rest:
        obj = getattr(obj, part, _MISSING)
        if obj is _MISSING:
            return None
        if id(obj) in DOCUMENTED:
            found, tail = DOCUMENTED[id(obj)], []
        else:
            tail.append(part)
    return ".".join([found, *tail]) if found else None


def _resolve(app, env, node, contnode):
    """A reference to a public object under another name (``spinaps.Design``, ``Design``
    inside :mod:`spinaps.chain`, ``glm.potentials`` inside :mod:`spinaps.network.hidden`)
    goes to the page that documents it (``spinaps.design.Design``, ...)."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    module = node.get("py:module")
    bases = [module, module.rpartition(".")[0] or None] if module else []
    for base in [*bases, None]:
        name = _documented_name(target, base)
        if name and name != target:
            return env.get_domain("py").resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], name, node, contnode
            )
    return None


# -- Glossary links ------------------------------------------------------------------
# Every name in the first column of a glossary table gets an anchor ``term-NAME`` on the
# glossary page, and every documented parameter that is a glossary name links to it.

_GLOSSARY_ROW = re.compile(r"^\|\s*(`[^|]*`)\s*\|")


def _glossary_names() -> set[str]:
    names = set()
    for line in (DOCS / "glossary.md").read_text().splitlines():
        row = _GLOSSARY_ROW.match(line)
        if row:
            names.update(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", row.group(1)))
    return names


GLOSSARY_NAMES = _glossary_names()


def _glossary_anchors(app, docname, source):
    """Anchors ``term-NAME`` before the names of the glossary's table rows."""
    if docname != "glossary":
        return

    def anchor(row):
        first = re.sub(r"`([A-Za-z_][A-Za-z0-9_]*)`", r'<span id="term-\1"></span>`\1`', row.group(1))
        return f"| {first} |"

    source[0] = "\n".join(_GLOSSARY_ROW.sub(anchor, line) for line in source[0].splitlines())


def _glossary_links(app, what, name, obj, options, lines):
    """After napoleon: a parameter named in the glossary links to its entry."""
    depth = name.count(".") and 1  # the API pages live in generated/
    for k in reversed(range(len(lines))):
        field = re.match(r"^(\s*:param ([A-Za-z_][A-Za-z0-9_]*):)(.*)$", lines[k])
        if not (field and field.group(2) in GLOSSARY_NAMES):
            continue
        link = f"(`glossary <{'../' * depth}glossary.html#term-{field.group(2)}>`__)"
        rest = field.group(3).strip()
        if (not rest or rest.startswith(("* ", "- "))) and k + 1 < len(lines):
            # a description that opens with a list (on this line or the next): the list
            # follows the link as a paragraph of its own
            indent = lines[k + 1][: len(lines[k + 1]) - len(lines[k + 1].lstrip())]
            lines[k : k + 1] = [f"{field.group(1)} {link}", ""] + ([indent + rest] if rest else [])
        else:
            lines[k] = f"{field.group(1)} {link} {rest}"


def setup(app):
    # Before napoleon (priority 500), which would reformat the type's docstring first.
    app.connect("autodoc-process-docstring", _data_docstring, priority=100)
    app.connect("autodoc-process-docstring", _glossary_links, priority=600)
    app.connect("source-read", _glossary_anchors)
    app.connect("missing-reference", _resolve)


# -- Bibliography --------------------------------------------------------------------

bibtex_bibfiles = ["../spinaps/references.bib"]
bibtex_default_style = "plain"

# -- HTML ----------------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"spinaps {release}"
html_theme_options = {
    "description": "MTJ physics to circuit, architecture and network",
    "fixed_sidebar": True,
}
