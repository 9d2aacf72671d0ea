"""Dispatch policies from Python: by preset name, dict or Policy object; bad names and
weights; compare() with one KPI row per policy; every plan checked by the checker."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import fieldopt
import pandas as pd
import pytest
from fieldopt.compare import KPI_COLUMNS

ITERS = 150

#: NEAR is next to the job, FAV (the customer's favourite) farther away; EXPERT/BASIC
#: for the skill-fit case.
FAVOURITE: dict[str, Any] = {
    "format": "fieldopt-problem/1",
    "date": "2026-11-24",
    "travel": {"kind": "euclidean", "speed": 1.0},
    "technicians": [
        {"id": "NEAR", "start": {"x": 0, "y": 0}, "shift": [0, 36000], "skills": {"hvac": 5}},
        {"id": "FAV", "start": {"x": 300, "y": 0}, "shift": [0, 36000], "skills": {"hvac": 1}},
    ],
    "jobs": [
        {
            "id": "J",
            "location": {"x": 100, "y": 0},
            "duration": 600,
            "skills": {"hvac": 1},
            "preferred_technicians": ["FAV"],
        }
    ],
}


@pytest.fixture
def favourite() -> dict[str, Any]:
    return copy.deepcopy(FAVOURITE)


def who(res: fieldopt.Result, job: str) -> str:
    rows = res.routes.query("job == @job")
    return str(rows["technician"].iloc[0]) if len(rows) else ""


def assert_checked(problem: dict[str, Any], res: fieldopt.Result, tool: Path, d: Path) -> None:
    """The engine's verifier and the independent ``check_plan.py`` both accept the plan."""
    assert fieldopt.check(problem, res)["feasible"]
    (d / "p.json").write_text(json.dumps(problem))
    (d / "plan.json").write_text(res.to_json())
    out = subprocess.run(
        [sys.executable, str(tool), str(d / "p.json"), str(d / "plan.json")],
        capture_output=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout


def test_presets_are_listed_and_default_matches_the_dataclass() -> None:
    names = fieldopt.presets()
    for name in (
        "default",
        "favourite_first",
        "best_skill_fit",
        "min_travel",
        "lowest_cost",
        "balanced",
    ):
        assert name in names
    assert fieldopt.Policy() == fieldopt.Policy.preset("default")
    assert fieldopt.Policy.preset("Best-Skill-Fit").skill_fit > fieldopt.Policy().skill_fit


def test_policy_by_name_dict_and_object(
    favourite: dict[str, Any], tmp_path: Path, check_plan_tool: Path
) -> None:
    by_name = fieldopt.solve(favourite, "min_travel", iterations=ITERS)
    assert who(by_name, "J") == "NEAR"
    assert_checked(favourite, by_name, check_plan_tool, tmp_path)
    fav = fieldopt.solve(favourite, policy="favourite_first", iterations=ITERS)
    assert who(fav, "J") == "FAV"
    assert fav.kpis["policy"]["preferred_rate"] == 1.0
    assert_checked(favourite, fav, check_plan_tool, tmp_path)
    as_dict = fieldopt.solve(favourite, fieldopt.presets()["favourite_first"], iterations=ITERS)
    assert as_dict == fav
    as_object = fieldopt.solve(
        favourite, fieldopt.Policy.preset("min_travel").replace(preferred=1e6), iterations=ITERS
    )
    assert who(as_object, "J") == "FAV"


def test_bad_policy_name_and_weights(favourite: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown policy 'fastest'.*best_skill_fit"):
        fieldopt.solve(favourite, policy="fastest")
    with pytest.raises(fieldopt.InvalidProblemError) as e:
        fieldopt.solve(favourite, policy={"skil_fit": 2})
    assert e.value.path == "policy.skil_fit"
    with pytest.raises(fieldopt.InvalidProblemError) as e:
        fieldopt.solve(favourite, policy={"workload": -1})
    assert e.value.path == "policy.workload"
    with pytest.raises(TypeError):
        fieldopt.solve(favourite, policy=3)  # type: ignore[arg-type]


def test_compare_one_row_per_policy(
    favourite: dict[str, Any], check_plan_tool: Path, tmp_path: Path
) -> None:
    policies = {
        "fav": "favourite_first",
        "fit": "best_skill_fit",
        "travel": fieldopt.Policy.preset("min_travel"),
        "custom": {"travel_time": 100, "preferred": 0},
    }
    df = fieldopt.compare(favourite, policies, iterations=ITERS)
    assert isinstance(df, pd.DataFrame)
    assert list(df.index) == list(policies)
    assert list(df.columns) == list(KPI_COLUMNS)
    assert df.loc["fav", "preferred_rate"] == 1.0
    assert df.loc["travel", "preferred_rate"] == 0.0
    assert df.loc["fit", "overqualification"] == 0
    assert df.loc["travel", "overqualification"] == 4
    assert (df["assigned"] == 1).all()
    for res in df.attrs["results"].values():
        assert_checked(favourite, res, check_plan_tool, tmp_path)
    # Same seed and budget: the same table again (the solves ran in parallel threads).
    again = fieldopt.compare(favourite, policies, iterations=ITERS, max_workers=1)
    pd.testing.assert_frame_equal(df, again)


def test_compare_with_preset_names_and_errors(favourite: dict[str, Any]) -> None:
    df = fieldopt.compare(favourite, ["default", "balanced"], iterations=ITERS)
    assert list(df.index) == ["default", "balanced"]
    with pytest.raises(ValueError, match="unknown policy"):
        fieldopt.compare(favourite, ["default", "nope"], iterations=ITERS)
    with pytest.raises(ValueError, match="at least one"):
        fieldopt.compare(favourite, {}, iterations=ITERS)
