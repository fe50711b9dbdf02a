"""Every notebook in ``notebooks/`` is stored with the outputs of its current code, and
still runs top to bottom (executed here off-screen; the stored copy is not changed)."""

import importlib.util
from pathlib import Path

import nbclient  # the test extra (pyproject.toml): missing, the notebook checks fail rather than skip
import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "execute_notebooks.py"
_spec = importlib.util.spec_from_file_location("execute_notebooks", _SCRIPT)
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_with_the_outputs_of_its_code(path):
    """The stored outputs were made by the code cells as they are now (their hash, written
    by scripts/execute_notebooks.py), every code cell ran, none failed, and the figures
    are stored as images."""
    nb = nbformat.read(path, as_version=4)
    rerun = f"run `python scripts/execute_notebooks.py {path.name[:2]}` and commit the notebook"
    stored = nb.metadata.get("spinaps", {}).get("source_sha256")
    assert stored == execute_notebooks.source_sha256(nb), f"{path.name}: outputs are not of the current code; {rerun}"
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert all(c.execution_count for c in code), f"{path.name}: a code cell was not executed; {rerun}"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"], f"{path.name}: a stored cell failed"
    if "plt." in "".join(c.source for c in code):
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{path.name}: no figure is stored; {rerun}"


def test_the_source_hash_sees_a_changed_cell():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    before = execute_notebooks.source_sha256(nb)
    nb.cells[0].source = "x = 2"
    assert execute_notebooks.source_sha256(nb) != before


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch):
    # The kernel inherits this process's environment: render figures off-screen.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{path.name} failed:\n{err}", pytrace=False)
