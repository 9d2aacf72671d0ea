"""The LP features from Python: ``mode="assign"`` returns a complete plan that the
independent checker accepts, ``lower_bound=True`` reports a bound no larger than the
objective, and a bad mode raises ``InvalidProblemError`` naming ``mode``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import fieldopt


def check(tool: Path, problem: dict[str, Any], res: fieldopt.Result, tmp: Path) -> dict[str, Any]:
    (tmp / "problem.json").write_text(json.dumps(problem), encoding="utf-8")
    (tmp / "plan.json").write_text(res.to_json(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(tool), str(tmp / "problem.json"), str(tmp / "plan.json"), "--json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


@pytest.mark.parametrize("name", ["tiny", "city"])
def test_assign_mode_plan_is_complete_and_feasible(
    name: str, request: pytest.FixtureRequest, check_plan_tool: Path, tmp_path: Path
) -> None:
    problem = request.getfixturevalue(name)
    res = fieldopt.solve(problem, mode="assign", progress=False, time_limit=30)
    report = check(check_plan_tool, problem, res, tmp_path)
    assert report["feasible"], report["violations"][:5]
    assert res.kpis["assigned"] + res.kpis["unassigned"] == len(problem["jobs"])
    assert res.kpis["assigned"] == report["kpis"]["assigned"]


def test_lower_bound_is_reported_and_below_the_objective(
    tiny: dict[str, Any],
) -> None:
    res = fieldopt.solve(tiny, iterations=500, lower_bound=True, progress=False)
    lb = res.kpis["lower_bound"]
    assert lb <= res.kpis["objective"] * (1 + 1e-9) + 1e-6
    assert res.kpis["gap"] == pytest.approx(
        max(0.0, (res.kpis["objective"] - lb) / res.kpis["objective"]), abs=1e-9
    )
    plain = fieldopt.solve(tiny, iterations=500, progress=False)
    assert "lower_bound" not in plain.kpis


def test_bad_mode_names_the_field(tiny: dict[str, Any]) -> None:
    with pytest.raises(fieldopt.InvalidProblemError) as err:
        fieldopt.solve(tiny, mode="fastest", progress=False)
    assert err.value.path == "mode"
