"""The example notebooks execute (nbclient); skipped when nbclient/ipykernel are missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

NOTEBOOKS = ["quickstart.ipynb", "policy_comparison.ipynb"]

#: Plots each notebook must draw: quickstart the route map and two schedules;
#: policy_comparison the KPI bars, the day lengths and the price-of-affinity histogram.
MIN_IMAGES = {"quickstart.ipynb": 3, "policy_comparison.ipynb": 3}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_outputs_are_stripped(name: str) -> None:
    nb = json.loads((REPO / "examples" / name).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes(name: str, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    path = REPO / "examples" / name
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    images = sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    )
    assert images >= MIN_IMAGES[name], f"{images} plots"
