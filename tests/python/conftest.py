"""Shared fixtures of the Python tests: small problem documents built in code, and the
paths of the sample day and of the independent checker (tests needing them skip when
they are missing)."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import fieldopt
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DAY = REPO / "examples" / "data" / "sample_day.json"
CHECK_PLAN = REPO.parent / "shared" / "tools" / "check_plan.py"

#: The KPIs the spec lists, plus the engine's objective.
SPEC_KPIS = {
    "jobs",
    "assigned",
    "unassigned",
    "priority_assigned",
    "technicians_used",
    "travel_time",
    "travel_distance",
    "work_time",
    "overtime",
    "labor_cost",
    "unassigned_cost",
    "preferred_rate",
    "overqualification",
    "workload_spread",
    "objective",
}

TINY: dict[str, Any] = {
    "format": "fieldopt-problem/1",
    "name": "tiny",
    "date": "2026-11-24",
    "travel": {"kind": "euclidean", "speed": 1.0},
    "technicians": [
        {"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 1000], "skills": {"hvac": 3}},
        {"id": "B", "start": {"x": 10, "y": 0}, "shift": [0, 1000], "cost": {"per_hour": 36.0}},
    ],
    "jobs": [
        {"id": "J1", "location": {"x": 3, "y": 4}, "duration": 10, "skills": {"hvac": 2}},
        {"id": "J2", "location": {"x": 10, "y": 5}, "duration": 10, "time_windows": [[0, 100]]},
        {"id": "J3", "location": {"x": 5, "y": 5}, "duration": 10, "priority": 3},
        # Nobody has hvac 5: must come back unassigned with a reason.
        {"id": "J4", "location": {"x": 1, "y": 1}, "duration": 10, "skills": {"hvac": 5}},
    ],
}


def city_day(n_jobs: int, n_techs: int, seed: int = 7) -> dict[str, Any]:
    """A realistic day around a city centre (haversine travel, shifts 08:00-17:00, lunch
    breaks, skills with levels, time windows, priorities)."""
    rng = random.Random(seed)
    lat0, lon0 = 52.37, 4.89

    def loc() -> dict[str, float]:
        return {"lat": lat0 + rng.uniform(-0.08, 0.08), "lon": lon0 + rng.uniform(-0.12, 0.12)}

    skills = ["hvac", "electrical", "plumbing"]
    techs = [
        {
            "id": f"T{t:02d}",
            "start": loc(),
            "shift": [28800, 61200],
            "skills": {s: rng.randint(1, 5) for s in rng.sample(skills, 2)},
            "break": {"window": [43200, 48600], "duration": 1800},
            "cost": {"per_hour": 38.0, "per_km": 0.25},
        }
        for t in range(n_techs)
    ]
    jobs = []
    for j in range(n_jobs):
        job: dict[str, Any] = {
            "id": f"J{j:03d}",
            "location": loc(),
            "duration": rng.choice([1800, 2700, 3600]),
            "priority": rng.randint(1, 3),
        }
        if rng.random() < 0.5:
            job["skills"] = {rng.choice(skills): rng.randint(1, 3)}
        if rng.random() < 0.5:
            start = rng.choice([28800, 36000, 43200, 50400])
            job["time_windows"] = [[start, start + 14400]]
        jobs.append(job)
    return {
        "format": "fieldopt-problem/1",
        "name": f"city-{n_jobs}x{n_techs}",
        "date": "2026-11-24",
        "travel": {"kind": "haversine", "speed_kmh": 30.0, "detour_factor": 1.3},
        "technicians": techs,
        "jobs": jobs,
    }


@pytest.fixture
def tiny() -> dict[str, Any]:
    """A fresh copy of the tiny problem (tests may change it)."""
    return copy.deepcopy(TINY)


@pytest.fixture
def city() -> dict[str, Any]:
    """A 40-job, 5-technician day."""
    return city_day(40, 5)


@pytest.fixture
def sample_day() -> Path:
    """``examples/data/sample_day.json``; skips when the repository has none."""
    if not SAMPLE_DAY.exists():
        pytest.skip(f"{SAMPLE_DAY} is missing")
    return SAMPLE_DAY


@pytest.fixture
def check_plan_tool() -> Path:
    """``../shared/tools/check_plan.py``; skips when it is missing."""
    if not CHECK_PLAN.exists():
        pytest.skip(f"{CHECK_PLAN} is missing")
    return CHECK_PLAN


def run_check_plan(
    tool: Path, problem: dict[str, Any], res: fieldopt.Result, tmp: Path
) -> dict[str, Any]:
    """Runs check_plan.py --json on `res` for `problem` and returns its report."""
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
