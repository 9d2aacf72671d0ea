"""The documentation builds (``mkdocs build --strict``: no broken link or missing page)
and the type stubs of the extension module match it (``mypy.stubtest``). Each test skips
when its tool is not installed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def test_docs_build_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed")
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    for page in ("index.html", "policies/index.html", "api/index.html"):
        assert (tmp_path / "site" / page).exists(), page


def test_core_stubs_match_the_module() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "fieldopt._core"],
        cwd=REPO / "tests",  # not the repository root: import the installed package
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
