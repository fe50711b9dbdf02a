"""Execute the notebooks and store their outputs, figures included, in the files.

Usage::

    python scripts/execute_notebooks.py               # every notebook in notebooks/
    python scripts/execute_notebooks.py 03 05         # the notebooks whose names start so

Each notebook runs top to bottom in a fresh ``python3`` kernel with matplotlib's inline
backend (so the figures are stored as PNG outputs) in the notebooks' folder.  The hash
of its code cells is recorded in ``metadata.spinaps.source_sha256``: the test suite
checks that the stored outputs belong to the current code (tests/integration/test_notebooks.py).
Per-cell timing metadata is dropped so that a re-run changes only what changed.  A
notebook is replaced only once it has run through (written to a temporary file, then
renamed).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pathlib
import sys
import tempfile
import time

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parents[1] / "notebooks"


def source_sha256(nb) -> str:
    """SHA-256 of a notebook's code cells (their sources, in order)."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode())
            digest.update(b"\0")
    return digest.hexdigest()


def execute(path: pathlib.Path, timeout: int = 3600) -> float:
    """Execute one notebook in place; returns the run time [s]."""
    import nbclient
    import nbformat

    from spinaps import __version__

    nb = nbformat.read(path, as_version=4)
    os.environ.pop("MPLBACKEND", None)  # the kernel inherits it: keep the inline default
    start = time.perf_counter()
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=timeout, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata["spinaps"] = {"source_sha256": source_sha256(nb), "version": __version__}
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".ipynb", delete=False) as tmp:
        nbformat.write(nb, tmp)
    os.replace(tmp.name, path)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="run only the notebooks whose names start so")
    args = parser.parse_args(argv)
    paths = [
        p
        for p in sorted(NOTEBOOK_DIR.glob("*.ipynb"))
        if not args.prefixes or any(p.name.startswith(x) for x in args.prefixes)
    ]
    if not paths:
        parser.error(f"no notebook in {NOTEBOOK_DIR.name}/ starts with {' or '.join(args.prefixes)}")
    for path in paths:
        print(f"{path.name}: {execute(path):.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
