"""notebooks/tour.ipynb runs top to bottom (so it cannot rot)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "tour.ipynb"


def test_tour_notebook_runs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # "python3" is ipykernel's own spec; jupyter_client runs it with this interpreter
    # (sys.executable), so the kernel sees the same environment as the tests.
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=300,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the coverage matrix plot is missing"
