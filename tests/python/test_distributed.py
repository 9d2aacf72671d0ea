"""fieldopt.distributed on a LocalCluster with 2 single-threaded worker processes:
results equal the local calls, failures name their problem and keep the others, results
pickle, and every plan passes the independent checker (``../shared/tools/check_plan.py``,
skipped when it is missing)."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

import fieldopt
from conftest import CHECK_PLAN, city_day
from fieldopt.compare import KPI_COLUMNS
from fieldopt.distributed import SolveManyError, solve_many, sweep

ITERS = 300


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def assert_checked(problem: dict[str, Any], result: fieldopt.Result, tmp_path: Path) -> None:
    """Every job exactly once; no violation for check_plan.py when it exists."""
    ids = [j["id"] for j in problem["jobs"]]
    routed = [s["job"] for r in result.plan["routes"] for s in r["stops"] if "job" in s]
    left = [u["job"] for u in result.plan["unassigned"]]
    assert sorted(routed + left) == sorted(ids)
    if not CHECK_PLAN.exists():
        return
    p, q = tmp_path / "problem.json", tmp_path / "plan.json"
    p.write_text(json.dumps(problem))
    q.write_text(result.to_json())
    out = subprocess.run(
        [sys.executable, str(CHECK_PLAN), str(p), str(q)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_solve_many_equals_local_solves(client: Any, tmp_path: Path) -> None:
    problems = [city_day(25, 3, seed=s) for s in range(3)]
    results = solve_many(problems, client, seed=4, iterations=ITERS)
    assert isinstance(results, list) and len(results) == 3
    for prob, res in zip(problems, results):
        local = fieldopt.solve(prob, seed=4, iterations=ITERS, threads=1, progress=False)
        assert res == local
        assert res.problem == local.problem  # the problem is re-attached on the client
        assert_checked(prob, res, tmp_path)
    # Different problems, different plans: the keys were not mixed up.
    assert results[0].plan != results[1].plan


def test_mapping_keys_and_policy(client: Any) -> None:
    problems = {"north": city_day(20, 3, seed=1), "south": city_day(20, 3, seed=2)}
    results = solve_many(problems, client, policy="min_travel", iterations=ITERS)
    assert isinstance(results, dict) and list(results) == ["north", "south"]
    local = fieldopt.solve(
        problems["south"], policy="min_travel", iterations=ITERS, threads=1, progress=False
    )
    assert results["south"] == local


def test_a_failing_problem_is_named_and_the_others_kept(client: Any, tiny: dict) -> None:
    bad = copy.deepcopy(tiny)
    bad["jobs"][1]["duration"] = -5
    problems = {"ok1": tiny, "broken": bad, "ok2": city_day(15, 2)}
    with pytest.raises(SolveManyError) as info:
        solve_many(problems, client, iterations=ITERS)
    err = info.value
    assert list(err.failures) == ["broken"]
    cause = err.failures["broken"]
    assert isinstance(cause, fieldopt.InvalidProblemError)
    assert cause.path == "jobs[1].duration"
    assert "broken" in str(err) and "jobs[1].duration" in str(err)
    assert err.results["broken"] is None
    assert err.results["ok1"] == fieldopt.solve(tiny, iterations=ITERS, threads=1, progress=False)
    assert err.results["ok2"].kpis["jobs"] == 15
    # errors="return": the exception takes the failed problem's place.
    out = solve_many([tiny, bad], client, iterations=ITERS, errors="return")
    assert isinstance(out[0], fieldopt.Result)
    assert isinstance(out[1], fieldopt.InvalidProblemError)


def test_sweep_rows_equal_compare_per_seed(client: Any, tmp_path: Path) -> None:
    prob = city_day(25, 3, seed=5)
    policies = {"default": "default", "travel": {"travel_time": 200.0}}
    df = sweep(prob, policies, [0, 1], client, iterations=ITERS)
    assert list(df.index) == [("default", 0), ("default", 1), ("travel", 0), ("travel", 1)]
    assert list(df.columns) == list(KPI_COLUMNS)
    for s in (0, 1):
        local = fieldopt.compare(prob, policies, seed=s, iterations=ITERS)
        mine = df.xs(s, level="seed")
        pd_testing = pytest.importorskip("pandas.testing")
        pd_testing.assert_frame_equal(mine, local, check_names=False)
    res = df.attrs["results"][("travel", 1)]
    assert isinstance(res, fieldopt.Result)
    assert_checked(prob, res, tmp_path)


def test_sweep_reports_a_bad_policy_run(client: Any, tiny: dict) -> None:
    # A negative weight passes the client (only names and types are checked there) and
    # fails that run in the engine; the other run is kept.
    policies = {"ok": "default", "bad": {"travel_time": -1.0}}
    df = sweep(tiny, policies, [0], client, iterations=ITERS, errors="return")
    fails = df.attrs["failures"]
    assert list(fails) == [("bad", 0)]
    assert isinstance(fails[("bad", 0)], fieldopt.InvalidProblemError)
    assert fails[("bad", 0)].path == "policy.travel_time"
    assert df.loc[("ok", 0), "assigned"] > 0
    assert df.loc[("bad", 0)].isna().all()
    with pytest.raises(SolveManyError) as info:
        sweep(tiny, policies, [0], client, iterations=ITERS)
    assert info.value.frame is not None and list(info.value.failures) == [("bad", 0)]


def test_result_pickles(client: Any, tiny: dict) -> None:
    [res] = solve_many([tiny], client, iterations=ITERS)
    back = pickle.loads(pickle.dumps(res))
    assert back == res
    assert back.problem == res.problem
    assert back.routes.equals(res.routes)


def test_default_local_cluster(tiny: dict) -> None:
    # No client: a LocalCluster is started for the call and closed afterwards.
    [res] = solve_many([tiny], iterations=ITERS)
    assert res == fieldopt.solve(tiny, iterations=ITERS, threads=1, progress=False)


def test_bad_arguments_fail_before_anything_runs(tiny: dict) -> None:
    with pytest.raises(ValueError):
        sweep(tiny, ["no_such_preset"], [0], client=object())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        sweep(tiny, ["default"], [], client=object())  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        solve_many(["/no/such/problem.json"], client=object())  # type: ignore[arg-type]
