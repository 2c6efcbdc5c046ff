"""Every notebook in analysis/notebooks runs from top to bottom without an error (each runs its own
simulations with the binary under test). Notebooks are committed without outputs."""
import os

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import BINARY, SOURCE_DIR

NOTEBOOKS = sorted((SOURCE_DIR / "analysis" / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [path.name[:2] for path in NOTEBOOKS] == ["01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_the_notebook_runs_and_is_committed_without_outputs(path, monkeypatch):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") and not cell.get("execution_count")
               for cell in notebook.cells if cell.cell_type == "code"), "strip the outputs before committing"
    monkeypatch.setenv("REACHSIM_BINARY", BINARY)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert not errors
