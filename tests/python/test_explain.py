"""Explanations, technician ranking and the price of affinity from Python. Every plan the
engine returns, and every what-if an explanation claims (the job moved to the favourite,
or placed after the proposed relaxation), is checked by ``../shared/tools/check_plan.py``."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import fieldopt
import pytest

ITERS = 150


def doc(techs: list[dict[str, Any]], jobs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "fieldopt-problem/1",
        "date": "2026-11-24",
        "travel": {"kind": "euclidean", "speed": 1.0},
        "technicians": techs,
        "jobs": jobs,
    }


def tech(tid: str, x: float, **extra: Any) -> dict[str, Any]:
    return {"id": tid, "start": {"x": x, "y": 0}, "shift": [0, 36000], **extra}


def job(jid: str, x: float, duration: float = 60, **extra: Any) -> dict[str, Any]:
    return {"id": jid, "location": {"x": x, "y": 0}, "duration": duration, **extra}


def checked(problem: dict[str, Any], plan: dict[str, Any], tool: Path, d: Path) -> bool:
    """True when ``check_plan.py`` accepts the plan."""
    (d / "p.json").write_text(json.dumps(problem))
    (d / "plan.json").write_text(json.dumps(plan))
    out = subprocess.run(
        [sys.executable, str(tool), str(d / "p.json"), str(d / "plan.json")],
        capture_output=True,
        check=False,
    )
    return out.returncode == 0


def plan_of(routes: dict[str, list[str]], unassigned: list[str]) -> dict[str, Any]:
    """A plan from technician -> job ids (times are recomputed by the checker)."""
    return {
        "format": "fieldopt-plan/1",
        "routes": [
            {
                "technician": t,
                "stops": [{"job": j, "arrival": 0.0, "start": 0.0, "end": 0.0} for j in jobs],
            }
            for t, jobs in routes.items()
        ],
        "unassigned": [{"job": j, "reason": "x"} for j in unassigned],
    }


FAV = doc(
    [tech("NEAR", 0), tech("FAV", 300)],
    [job("J", 100, 600, preferred_technicians=["FAV"]), job("K", 20)],
)


def test_affinity_prices_the_favourite_and_favourite_first(
    check_plan_tool: Path, tmp_path: Path
) -> None:
    problem = copy.deepcopy(FAV)
    res = fieldopt.solve(
        problem, policy="min_travel", iterations=ITERS, threads=1, progress=False, affinity=True
    )
    assert checked(problem, res.plan, check_plan_tool, tmp_path)
    aff = res.affinity
    assert list(aff["job"]) == ["J"]
    row = aff.iloc[0]
    assert (row["status"], row["favourite"], row["technician"]) == ("fits", "FAV", "NEAR")
    # NEAR drives 0 -> K -> J -> 0 (200 s); then NEAR 0 -> K -> 0 (40 s), FAV 300 -> J -> 300
    # (400 s): 240 s more.
    assert row["extra_travel_minutes"] == pytest.approx(4.0)
    assert row["jobs_pushed_out"] == 0
    assert (row["displaced"], row["displaced_to"]) == ("", "")
    summary = res.affinity_summary
    assert (summary["jobs_with_favourites"], summary["not_honoured"]) == (1, 1)
    ff = summary["favourite_first"]
    assert (ff["honoured"], ff["honoured_policy"], ff["jobs_pushed_out"]) == (0, 1, 0)
    assert ff["preferred_rate_policy"] == 1.0
    # The what-if of the row is a plan the checker accepts.
    what_if = plan_of({"FAV": ["J"], "NEAR": ["K"]}, [])
    assert checked(problem, what_if, check_plan_tool, tmp_path)
    # Stored in the plan, so it pickles and survives to_json.
    again = pickle.loads(pickle.dumps(res))
    assert again.affinity_summary == summary
    assert json.loads(res.to_json())["affinity"]["summary"]["honourable"] == 1


def test_affinity_is_computed_on_demand_without_favourite_first() -> None:
    res = fieldopt.solve(
        copy.deepcopy(FAV), policy="min_travel", iterations=ITERS, threads=1, progress=False
    )
    assert "affinity" not in res.plan
    assert list(res.affinity["status"]) == ["fits"]
    assert "favourite_first" not in res.affinity_summary
    # The default policy would send the favourite anyway: nothing to price.
    honoured = fieldopt.solve(copy.deepcopy(FAV), iterations=ITERS, progress=False)
    assert len(honoured.affinity) == 0
    assert honoured.affinity_summary["honoured"] == 1


def test_affinity_polars_backend() -> None:
    pl = pytest.importorskip("polars")
    res = fieldopt.solve(
        copy.deepcopy(FAV), policy="min_travel", iterations=ITERS, threads=1, progress=False
    )
    res.backend = "polars"
    assert isinstance(res.affinity, pl.DataFrame)
    assert res.affinity["favourite"].to_list() == ["FAV"]


def test_explain_unassigned_names_the_relaxation(check_plan_tool: Path, tmp_path: Path) -> None:
    problem = doc(
        [tech("T", 0, certifications={"gas-safe": "2026-11-20"}), tech("U", 0)],
        [job("G", 10, certifications=["gas-safe"]), job("W", 1000, time_windows=[[0, 900]])],
    )
    res = fieldopt.solve(problem, iterations=ITERS, progress=False)
    assert checked(problem, res.plan, check_plan_tool, tmp_path)
    g = res.explain("G")
    assert (g.status, g.code, g.technician) == ("unassigned", "certification", None)
    cheapest = g.cheapest_relaxation
    assert cheapest is not None and cheapest["technician"] == "T"
    assert "T renews gas-safe (expired 2026-11-20)" in cheapest["description"]
    assert "cheapest relaxation: T renews gas-safe" in str(g)
    relaxed = copy.deepcopy(problem)
    relaxed["technicians"][0]["certifications"] = {"gas-safe": "2027-01-31"}
    assert checked(relaxed, plan_of({"T": ["G"]}, ["W"]), check_plan_tool, tmp_path)
    w = res.explain("W")
    assert (w.code, w.cheapest_relaxation["kind"], w.cheapest_relaxation["minutes"]) == (
        "no_feasible_time",
        "window",
        5.0,
    )
    relaxed = copy.deepcopy(problem)
    relaxed["jobs"][1]["time_windows"] = [[0, 1200]]
    assert checked(relaxed, plan_of({"T": ["W"]}, ["G"]), check_plan_tool, tmp_path)
    # Every technician has a row: the rule that excludes U names the certificate.
    table = g.technicians
    u = table[table["technician"] == "U"].iloc[0]
    assert (bool(u["eligible"]), u["rule"]) == (False, "certification")
    assert u["why_not"] == "U does not hold gas-safe"
    assert "<p>" in g._repr_html_()


def test_explain_assigned_and_rank_technicians() -> None:
    problem = doc(
        [tech("A", 0, skills={"hvac": 3}), tech("B", 500, skills={"hvac": 3}), tech("C", 0)],
        [job("J", 100, skills={"hvac": 2})],
    )
    res = fieldopt.solve(problem, iterations=ITERS, progress=False)
    e = res.explain("J")
    assert (e.status, e.technician, e.code) == ("assigned", "A", "cheapest")
    assert "B, the next cheapest" in e.reason
    ranked = fieldopt.rank_technicians(problem, "J", plan=res)
    assert list(ranked["technician"]) == ["A", "B", "C"]
    assert list(ranked["rank"][:2]) == [1, 2]
    assert ranked["cost"].iloc[0] < ranked["cost"].iloc[1]
    assert ranked["rule"].iloc[2] == "skill"
    assert "term_travel_time" in ranked.columns
    # The terms add up to the cost.
    terms = [c for c in ranked.columns if c.startswith("term_")]
    for i in range(2):
        assert sum(ranked[terms].iloc[i]) == pytest.approx(ranked["cost"].iloc[i], abs=1e-6)
    # Without a plan: against empty days.
    empty = fieldopt.rank_technicians(problem, "J")
    assert list(empty["technician"][:2]) == ["A", "B"]
    with pytest.raises(KeyError):
        res.explain("NOPE")
    with pytest.raises(KeyError):
        fieldopt.rank_technicians(problem, "NOPE")


def test_explain_uses_the_policy_of_the_solve() -> None:
    problem = copy.deepcopy(FAV)
    res = fieldopt.solve(problem, policy="min_travel", iterations=ITERS, progress=False)
    # Under min_travel the favourite term is off: J's row for FAV has no preferred cost.
    rows = res.explain("J").technicians
    assert "term_preferred" not in rows.columns
    default = fieldopt.Result(res.plan, problem=problem)  # no policy: the problem's own
    assert "term_preferred" in default.explain("J").technicians.columns


def test_explain_needs_the_problem() -> None:
    res = fieldopt.solve(copy.deepcopy(FAV), iterations=ITERS, progress=False)
    bare = fieldopt.Result(res.plan)
    with pytest.raises(ValueError, match="needs the problem"):
        bare.explain("J")
