"""The LP features from Python: ``mode="assign"`` returns a complete plan that the
independent checker accepts, ``lower_bound=True`` reports a bound no larger than the
objective, and a bad mode raises ``InvalidProblemError`` naming ``mode``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fieldopt
import pytest
from conftest import run_check_plan


@pytest.mark.parametrize("name", ["tiny", "city"])
def test_assign_mode_plan_is_complete_and_feasible(
    name: str, request: pytest.FixtureRequest, check_plan_tool: Path, tmp_path: Path
) -> None:
    problem = request.getfixturevalue(name)
    res = fieldopt.solve(problem, mode="assign", progress=False, time_limit=30)
    report = run_check_plan(check_plan_tool, problem, res, tmp_path)
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
    assert res.kpis["bound_method"] in {"enumeration", "column_generation", "arc_flow"}
    plain = fieldopt.solve(tiny, iterations=500, progress=False)
    assert "lower_bound" not in plain.kpis
    assert "bound_method" not in plain.kpis


def test_bound_seconds_implies_the_bound_and_is_checked(
    tiny: dict[str, Any],
) -> None:
    res = fieldopt.solve(tiny, iterations=500, bound_seconds=0.5, progress=False)
    assert res.kpis["lower_bound"] <= res.kpis["objective"] * (1 + 1e-9) + 1e-6
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="bound_seconds"):
            fieldopt.solve(tiny, iterations=10, bound_seconds=bad, progress=False)


def test_bad_mode_names_the_field(tiny: dict[str, Any]) -> None:
    with pytest.raises(fieldopt.InvalidProblemError) as err:
        fieldopt.solve(tiny, mode="fastest", progress=False)
    assert err.value.path == "mode"
