"""The Python API of fieldopt: inputs, result tables, errors, pickling, the GIL, Ctrl-C,
and plans accepted by the independent checker."""

from __future__ import annotations

import json
import math
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import fieldopt
import pandas as pd
import pytest
from conftest import SPEC_KPIS, city_day, run_check_plan

ITERS = 300  # a small, reproducible budget


def job_ids(problem: dict[str, Any]) -> list[str]:
    return [j["id"] for j in problem["jobs"]]


def assert_every_job_once(res: fieldopt.Result, problem: dict[str, Any]) -> None:
    routed = res.routes.query("kind == 'job'")["job"].tolist()
    left = res.unassigned["job"].tolist()
    seen = routed + left
    assert sorted(seen) == sorted(job_ids(problem)), "each job exactly once in routes or unassigned"


# --- inputs -------------------------------------------------------------------------------


def test_solve_from_dict(tiny: dict[str, Any]) -> None:
    res = fieldopt.solve(tiny, iterations=ITERS)
    assert isinstance(res, fieldopt.Result)
    assert res.plan["format"] == "fieldopt-plan/1"
    assert_every_job_once(res, tiny)


def test_solve_from_path_str_and_pathlike(tiny: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny), encoding="utf-8")
    by_dict = fieldopt.solve(tiny, iterations=ITERS)
    assert fieldopt.solve(path, iterations=ITERS) == by_dict
    assert fieldopt.solve(str(path), iterations=ITERS) == by_dict


def test_solve_from_json_text_and_bytes(tiny: dict[str, Any]) -> None:
    text = json.dumps(tiny, indent=2)
    by_dict = fieldopt.solve(tiny, iterations=ITERS)
    assert fieldopt.solve("\n  " + text, iterations=ITERS) == by_dict
    assert fieldopt.solve(text.encode(), iterations=ITERS) == by_dict


def test_numpy_scalars_in_dict(tiny: dict[str, Any]) -> None:
    np = pytest.importorskip("numpy")
    tiny["jobs"][0]["duration"] = np.int64(10)
    tiny["technicians"][0]["shift"] = np.array([0, 1000])
    assert_every_job_once(fieldopt.solve(tiny, iterations=ITERS), tiny)


def test_solve_sample_day(sample_day: Path) -> None:
    problem = json.loads(sample_day.read_text(encoding="utf-8"))
    assert_every_job_once(fieldopt.solve(sample_day, iterations=ITERS), problem)


def test_missing_file_and_wrong_type() -> None:
    with pytest.raises(FileNotFoundError):
        fieldopt.solve("no/such/problem.json")
    with pytest.raises(TypeError):
        fieldopt.solve(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seed": -1},
        {"threads": 0},
        {"time_limit": -1.0},
        {"time_limit": math.nan},
        {"iterations": -5},
    ],
)
def test_bad_parameters_raise_value_error(tiny: dict[str, Any], kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        fieldopt.solve(tiny, **kwargs)


# --- result -------------------------------------------------------------------------------


def test_routes_and_unassigned_frames(city: dict[str, Any]) -> None:
    res = fieldopt.solve(city, iterations=ITERS)
    routes, unassigned = res.routes, res.unassigned
    assert list(routes.columns) == [
        "technician",
        "sequence",
        "kind",
        "job",
        "arrival",
        "start",
        "end",
    ]
    assert list(unassigned.columns) == ["job", "reason", "code"]
    assert set(routes["kind"]) <= {"job", "break"}
    assert len(routes) > 0
    assert (routes["end"] >= routes["start"]).all()
    jobs = routes[routes["kind"] == "job"]
    assert (jobs["start"] >= jobs["arrival"]).all()
    breaks = routes[routes["kind"] == "break"]
    assert breaks["job"].isna().all() and breaks["arrival"].isna().all()
    for _, stops in routes.groupby("technician", sort=False):
        assert stops["sequence"].tolist() == list(range(len(stops)))
    assert_every_job_once(res, city)


def test_unassigned_has_reason_and_code(tiny: dict[str, Any]) -> None:
    res = fieldopt.solve(tiny, iterations=ITERS)
    row = res.unassigned.set_index("job").loc["J4"]
    assert row["reason"] and row["code"]
    assert "J4" not in set(res.routes["job"].dropna())


def test_empty_problem_gives_empty_frames(tiny: dict[str, Any]) -> None:
    tiny["jobs"] = []
    res = fieldopt.solve(tiny, iterations=ITERS)
    assert res.routes.empty and res.routes.columns[0] == "technician"
    assert res.unassigned.empty and list(res.unassigned.columns) == ["job", "reason", "code"]


def test_kpis(tiny: dict[str, Any]) -> None:
    res = fieldopt.solve(tiny, iterations=ITERS)
    kpis = res.kpis
    assert SPEC_KPIS <= set(kpis)
    assert kpis["jobs"] == 4
    assert kpis["assigned"] + kpis["unassigned"] == 4
    assert kpis["assigned"] == len(res.routes.query("kind == 'job'"))
    assert res.objective == pytest.approx(kpis["objective"])
    kpis["jobs"] = -1
    assert res.kpis["jobs"] == 4, "kpis is a copy"


def test_to_json_round_trip_and_reprs(tiny: dict[str, Any]) -> None:
    res = fieldopt.solve(tiny, iterations=ITERS)
    assert json.loads(res.to_json()) == res.plan
    assert fieldopt.Result.from_json(res.to_json(indent=None)) == res
    assert repr(res).startswith("Result(problem='tiny', assigned=")
    html = res._repr_html_()
    assert html.startswith("<table") and "travel_distance" in html and "objective" in html


def test_same_seed_same_plan(city: dict[str, Any]) -> None:
    a = fieldopt.solve(city, seed=3, iterations=ITERS)
    b = fieldopt.solve(city, seed=3, iterations=ITERS)
    assert a.plan == b.plan


def test_pickle_round_trip(city: dict[str, Any]) -> None:
    res = fieldopt.solve(city, iterations=ITERS)
    back = pickle.loads(pickle.dumps(res))
    assert back == res
    pd.testing.assert_frame_equal(back.routes, res.routes)
    pd.testing.assert_frame_equal(back.unassigned, res.unassigned)


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda p: p["jobs"][0].update(time_windows=[[500, 100]]), "jobs[0].time_windows[0]"),
        (
            lambda p: p["jobs"][2].update(time_windows=[[0, 50], [900, 800]]),
            "jobs[2].time_windows[1]",
        ),
        (lambda p: p["jobs"][1].update(duration=-5), "jobs[1].duration"),
        (lambda p: p["technicians"][1].update(shift=[900, 100]), "technicians[1].shift"),
    ],
)
def test_invalid_problem_names_the_path(tiny: dict[str, Any], change: Any, path: str) -> None:
    change(tiny)
    with pytest.raises(fieldopt.InvalidProblemError) as info:
        fieldopt.solve(tiny)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, fieldopt.FieldoptError)
    assert err.path == path
    assert err.message and str(err).startswith(path + ": ")
    with pytest.raises(fieldopt.InvalidProblemError):
        fieldopt.validate(tiny)


def test_validate_accepts_valid_and_rejects_bad_json(tiny: dict[str, Any]) -> None:
    fieldopt.validate(tiny)  # no exception
    with pytest.raises(ValueError):
        fieldopt.validate("{not json")
    with pytest.raises(fieldopt.InvalidProblemError):
        fieldopt.validate({"format": "fieldopt-problem/1", "bad": math.nan})


def test_exceptions_pickle_with_path() -> None:
    err = fieldopt.InvalidProblemError("start 500 is after end 100", "jobs[0].time_windows[0]")
    back = pickle.loads(pickle.dumps(err))
    assert (back.path, back.message, str(back)) == (err.path, err.message, str(err))
    assert issubclass(fieldopt.SolverError, fieldopt.FieldoptError)
    assert issubclass(fieldopt.SolveInterrupted, KeyboardInterrupt)
    from fieldopt import _core

    assert _core.InvalidProblemError is fieldopt.InvalidProblemError


# --- runtime: GIL and Ctrl-C --------------------------------------------------------------


def test_gil_released_during_solve() -> None:
    problem = city_day(120, 8)
    count = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal count
        while not stop.is_set():
            count += 1

    worker = threading.Thread(target=spin, daemon=True)
    worker.start()
    try:
        time.sleep(0.05)
        before, t0 = count, time.perf_counter()
        time.sleep(0.3)  # sleeping releases the GIL: the other thread's free-running rate
        baseline_rate = (count - before) / (time.perf_counter() - t0)
        before, t0 = count, time.perf_counter()
        fieldopt.solve(problem, time_limit=2.0, threads=1)
        during, elapsed = count - before, time.perf_counter() - t0
    finally:
        stop.set()
        worker.join()
    assert elapsed > 0.5, f"the solve took only {elapsed:.2f} s, too short to tell"
    # With the GIL held, the other thread runs only for a switch interval now and then
    # (measured: under 1 % of its free rate); released, it runs at a good share of it.
    rate = during / elapsed
    assert rate > 0.05 * baseline_rate, f"{rate:.0f}/s during the solve vs {baseline_rate:.0f}/s"


CTRL_C_CHILD = textwrap.dedent(
    """
    import json, signal, sys, time
    # A shell that starts the tests in the background makes children ignore SIGINT, and
    # Python then installs no KeyboardInterrupt handler: restore it, as a terminal has it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.path.insert(0, sys.argv[1])
    import fieldopt
    from conftest import city_day
    problem = city_day(120, 8)
    print("ready", flush=True)
    t0 = time.perf_counter()
    try:
        fieldopt.solve(problem, time_limit=60, threads=1)
        print(json.dumps({"interrupted": False}))
    except fieldopt.SolveInterrupted as stop:
        res = stop.result
        seen = res.routes.query("kind == 'job'")["job"].tolist() + res.unassigned["job"].tolist()
        print(json.dumps({"interrupted": True, "seconds": time.perf_counter() - t0,
                          "complete": sorted(seen) == sorted(j["id"] for j in problem["jobs"]),
                          "is_ki": isinstance(stop, KeyboardInterrupt)}))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_stops_the_solve_with_best_plan() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_CHILD, str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(1.0)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["interrupted"] and report["is_ki"] and report["complete"], report
    assert report["seconds"] < 30, report


# --- the plan against checkers ------------------------------------------------------------


@pytest.mark.parametrize("name", ["tiny", "city"])
def test_plan_passes_check_plan(
    name: str, request: pytest.FixtureRequest, check_plan_tool: Path, tmp_path: Path
) -> None:
    problem = request.getfixturevalue(name)
    res = fieldopt.solve(problem, seed=1, iterations=ITERS)
    report = run_check_plan(check_plan_tool, problem, res, tmp_path)
    assert report["feasible"], report["violations"][:5]
    for key in ("assigned", "unassigned", "technicians_used"):
        assert res.kpis[key] == report["kpis"][key], key
    assert res.kpis["travel_distance"] == pytest.approx(report["kpis"]["travel_distance"], rel=1e-6)


def test_sample_day_passes_check_plan(
    sample_day: Path, check_plan_tool: Path, tmp_path: Path
) -> None:
    problem = json.loads(sample_day.read_text(encoding="utf-8"))
    res = fieldopt.solve(sample_day, iterations=ITERS)
    assert run_check_plan(check_plan_tool, problem, res, tmp_path)["feasible"]


def test_check_agrees_with_solve(city: dict[str, Any]) -> None:
    res = fieldopt.solve(city, iterations=ITERS)
    report = fieldopt.check(city, res)
    assert report["feasible"], report["violations"][:5]
    assert report["kpis"]["assigned"] == res.kpis["assigned"]
    assert fieldopt.check(city, res.to_json())["feasible"]


def test_check_finds_violations(tiny: dict[str, Any]) -> None:
    plan = {
        "format": "fieldopt-plan/1",
        "routes": [
            {"technician": "B", "stops": [{"job": "J1", "arrival": 0, "start": 0, "end": 10}]}
        ],
        "unassigned": [],
    }
    report = fieldopt.check(tiny, plan)
    assert not report["feasible"]
    kinds = {v["type"] for v in report["violations"]}
    assert "skill" in kinds and "missing_job" in kinds
    with pytest.raises(fieldopt.InvalidProblemError) as info:
        fieldopt.check(tiny, {"format": "fieldopt-plan/1", "routes": [{"stops": []}]})
    assert info.value.path.startswith("routes[0]")


# --- decomposition of large days ------------------------------------------------------------


def test_decompose_forced_parts_give_a_checked_plan_on_any_thread_count(
    check_plan_tool: Path, tmp_path: Path
) -> None:
    problem = city_day(60, 6, seed=3)
    plans = [
        fieldopt.solve(problem, seed=2, iterations=400, threads=t, decompose=2, progress=False)
        for t in (1, 2)
    ]
    assert plans[0].to_json() == plans[1].to_json()
    report = run_check_plan(check_plan_tool, problem, plans[0], tmp_path)
    assert report["feasible"], report["violations"][:5]
    assert plans[0].kpis["assigned"] == report["kpis"]["assigned"]
    # "off" and "auto" are the same below the automatic threshold (3,000 jobs).
    off = fieldopt.solve(problem, seed=2, iterations=400, decompose="off", progress=False)
    auto = fieldopt.solve(problem, seed=2, iterations=400, progress=False)
    assert off.to_json() == auto.to_json()


@pytest.mark.parametrize("bad", ["sometimes", "-1", 2.5, True])
def test_decompose_rejects_bad_values(city: dict[str, Any], bad: object) -> None:
    if isinstance(bad, str):
        with pytest.raises(fieldopt.InvalidProblemError) as info:
            fieldopt.solve(city, iterations=10, decompose=bad, progress=False)
        assert info.value.path == "decompose"
    else:
        with pytest.raises(TypeError, match="decompose"):
            fieldopt.solve(city, iterations=10, decompose=bad, progress=False)  # type: ignore[arg-type]
