"""Problem.from_frames (pandas and polars): column conventions, round trips, errors that
name the row and the column, and results in the input's library."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import time
from pathlib import Path
from typing import Any

import fieldopt
import pandas as pd
import pytest
from conftest import TINY, city_day
from fieldopt import InvalidFrameError, InvalidProblemError, Problem

ITERS = 300
DATE = "2026-11-24"


def jobs_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["J1", "J2", "J3", "J4"],
            "customer": ["C1", "C1", None, "C2"],
            "lat": [52.37, 52.36, 52.38, 52.35],
            "lon": [4.89, 4.90, 4.91, 4.87],
            "duration": [1800, "01:00", pd.Timedelta(minutes=45), 900],
            "tw_start": ["09:00", None, dt.datetime(2026, 11, 24, 13), 36000],
            "tw_end": ["12:00", None, dt.datetime(2026, 11, 24, 15, 30), 43200],
            "skill_hvac": [2, 0, None, 1],
            "skill_gas": [None, None, 1, None],
            "priority": [1, 2, None, 3],
            "certifications": [["gas-safe"], None, "gas-safe", None],
            "preferred_technicians": [None, "T1, T2", ["T2"], None],
            "excluded_technicians": [None, None, None, ["T1"]],
            "pinned_technician": [None, None, None, "T2"],
            "kind": ["repair", "install", None, "repair"],
            "notes": ["ring twice", "", "", ""],
        }
    )


def techs_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["T1", "T2"],
            "lat": [52.35, 52.34],
            "lon": [4.88, 4.87],
            "shift_start": ["08:00", dt.time(8, 30)],
            "shift_end": ["17:00", "16:00"],
            "skill_hvac": [3, 1],
            "skill_gas": [None, 2],
            "cert_gas-safe": [None, dt.date(2027, 1, 31)],
            "break_start": ["12:00", None],
            "break_end": ["13:30", None],
            "break_duration": [1800, None],
            "cost_per_hour": [38.0, 40.0],
            "fixed_cost": [None, 25.0],
            "rating": [4.5, None],
            "kind": ["employee", "contractor"],
        }
    )


def test_conventions_pandas() -> None:
    p = Problem.from_frames(jobs=jobs_frame(), technicians=techs_frame(), date=DATE)
    j1, j2, j3, j4 = p.doc["jobs"]
    assert j1["time_windows"] == [[32400.0, 43200.0]]
    assert j1["skills"] == {"hvac": 2} and j1["certifications"] == ["gas-safe"]
    assert j1["location"] == {"lat": 52.37, "lon": 4.89}
    assert j2["duration"] == 3600 and "time_windows" not in j2 and "skills" not in j2
    assert j2["preferred_technicians"] == ["T1", "T2"] and j2["priority"] == 2
    assert j3["duration"] == 2700 and j3["time_windows"] == [[46800.0, 55800.0]]
    assert j3["skills"] == {"gas": 1} and "priority" not in j3 and "customer" not in j3
    assert j4["pinned_technician"] == "T2" and j4["excluded_technicians"] == ["T1"]
    t1, t2 = p.doc["technicians"]
    assert t1["shift"] == [28800.0, 61200.0] and t2["shift"] == [30600.0, 57600.0]
    assert t1["break"] == {"window": [43200.0, 48600.0], "duration": 1800.0}
    assert "break" not in t2
    assert t2["certifications"] == {"gas-safe": "2027-01-31"} and "certifications" not in t1
    assert t1["cost"] == {"per_hour": 38.0} and t2["cost"] == {"fixed": 25.0, "per_hour": 40.0}
    assert t2["kind"] == "contractor" and "rating" not in t2
    assert p.doc["travel"]["kind"] == "haversine" and p.doc["date"] == DATE
    assert p.ignored_columns == ["jobs.notes"]
    assert p.backend == "pandas"


def test_dict_and_list_columns() -> None:
    jobs = pd.DataFrame(
        {
            "id": [1, 2],
            "x": [3.0, 5.0],
            "y": [4.0, 5.0],
            "duration": [10, 10],
            "skills": [{"hvac": 2}, ["electrical"]],
            "time_windows": [[[0, 100], [200, 300]], [0, 50]],
        }
    )
    techs = pd.DataFrame(
        {
            "id": ["A"],
            "x": [0.0],
            "y": [0.0],
            "shift": [[0, 1000]],
            "skills": ["hvac:3, electrical"],
            "certifications": [{"gas-safe": "2027-01-31"}],
        }
    )
    p = Problem.from_frames(jobs, techs, date=dt.date(2026, 11, 24))
    assert p.doc["travel"] == {"kind": "euclidean", "speed": 1.0}
    a, b = p.doc["jobs"]
    assert a["id"] == "1" and a["location"] == {"x": 3.0, "y": 4.0}
    assert a["time_windows"] == [[0.0, 100.0], [200.0, 300.0]]
    assert b["skills"] == {"electrical": 1} and b["time_windows"] == [[0.0, 50.0]]
    assert p.doc["technicians"][0]["skills"] == {"hvac": 3, "electrical": 1}
    res = fieldopt.solve(p, iterations=ITERS, progress=False)
    assert res.kpis["jobs"] == 2


def test_records_and_column_dicts() -> None:
    jobs = [{"id": "J1", "x": 1, "y": 1, "duration": 5}]
    techs = {"id": ["A"], "x": [0], "y": [0], "shift_start": [0], "shift_end": [100]}
    p = Problem.from_frames(jobs, techs, date=DATE)
    assert p.doc["jobs"][0]["location"] == {"x": 1.0, "y": 1.0}


@pytest.mark.parametrize("doc", [TINY, city_day(40, 5)], ids=["tiny", "city"])
@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_round_trip_through_frames(doc: dict[str, Any], backend: str) -> None:
    if backend == "polars":
        pytest.importorskip("polars")
    p = Problem.from_dict(doc)
    jobs, techs = p.to_frames(backend)
    assert type(jobs).__module__.split(".")[0] == backend
    back = Problem.from_frames(jobs, techs, date=p.date, travel=p.doc["travel"], name=p.name)
    assert back.doc == p.doc
    assert back.backend == backend


def test_sample_day_round_trip(sample_day: Path) -> None:
    p = Problem.from_json(sample_day)
    back = Problem.from_frames(*p.to_frames(), date=p.date, travel=p.doc["travel"], name=p.name)
    assert back.doc == p.doc
    assert back == p


def test_polars_input_gives_polars_results() -> None:
    pl = pytest.importorskip("polars")
    jobs = pl.from_pandas(
        jobs_frame().drop(
            columns=[
                "duration",
                "tw_start",
                "tw_end",
                "certifications",
                "preferred_technicians",
                "excluded_technicians",
                "notes",
            ]
        )
    )
    jobs = jobs.with_columns(
        pl.Series("duration", [1800, 3600, 2700, 900]),
        pl.Series("tw_start", [dt.datetime(2026, 11, 24, 9), None, None, None]),
        pl.Series("tw_end", [dt.datetime(2026, 11, 24, 12), None, None, None]),
    )
    techs = pl.DataFrame(
        {
            "id": ["T1", "T2"],
            "lat": [52.35, 52.34],
            "lon": [4.88, 4.87],
            "shift_start": ["08:00", "08:00"],
            "shift_end": ["17:00", "17:00"],
            "skills": [{"hvac": 3, "gas": None}, {"hvac": 1, "gas": 2}],
        }
    )
    p = Problem.from_frames(jobs, techs, date=DATE)
    assert p.backend == "polars"
    assert p.doc["jobs"][0]["time_windows"] == [[32400.0, 43200.0]]
    assert p.doc["technicians"][0]["skills"] == {"hvac": 3}
    res = fieldopt.solve(p, iterations=ITERS, progress=False)
    for frame in (res.routes, res.assignments, res.unassigned, res.technicians):
        assert isinstance(frame, pl.DataFrame)
    assert res.assignments.height == 4
    assert res.technicians["technician"].to_list() == ["T1", "T2"]
    res.backend = "pandas"
    assert isinstance(res.assignments, pd.DataFrame)


@pytest.mark.parametrize(
    ("frame", "row", "column", "value", "path", "in_message"),
    [
        ("jobs", 0, "tw_start", "25:99", "jobs[0].time_windows", "'tw_start'"),
        ("jobs", 2, "duration", "soon", "jobs[2].duration", "'duration'"),
        ("jobs", 0, "skill_hvac", 2.5, "jobs[0].skills.hvac", "'skill_hvac'"),
        ("technicians", 1, "shift_end", "late", "technicians[1].shift", "'shift_end'"),
    ],
)
def test_conversion_errors_name_row_and_column(
    frame: str, row: int, column: str, value: Any, path: str, in_message: str
) -> None:
    frames = {"jobs": jobs_frame(), "technicians": techs_frame()}
    df = frames[frame]
    df[column] = df[column].astype(object)
    df.loc[row, column] = value
    with pytest.raises(InvalidFrameError) as info:
        Problem.from_frames(frames["jobs"], frames["technicians"], date=DATE)
    err = info.value
    assert isinstance(err, InvalidProblemError) and isinstance(err, ValueError)
    assert err.path == path
    assert (err.frame, err.row, err.column) == (frame, row, column)
    assert in_message in str(err) and f"{frame} row {row}" in str(err)


@pytest.mark.parametrize(
    ("frame", "row", "changes", "path", "column"),
    [
        (
            "jobs",
            3,
            {"tw_start": "14:00", "tw_end": "10:00"},
            "jobs[3].time_windows[0]",
            "tw_start/tw_end",
        ),
        ("jobs", 1, {"skill_hvac": 7}, "jobs[1].skills.hvac", "skill_hvac"),
        (
            "jobs",
            0,
            {"pinned_technician": "nobody"},
            "jobs[0].pinned_technician",
            "pinned_technician",
        ),
        ("jobs", 2, {"id": "J1"}, "jobs[2].id", "id"),
        (
            "technicians",
            0,
            {"break_start": "14:00", "break_end": "13:00"},
            "technicians[0].break.window",
            "break_start/break_end",
        ),
        (
            "technicians",
            1,
            {"cost_per_hour": -3.0},
            "technicians[1].cost.per_hour",
            "cost_per_hour",
        ),
    ],
)
def test_engine_errors_mapped_to_row_and_column(
    frame: str, row: int, changes: dict[str, Any], path: str, column: str
) -> None:
    frames = {"jobs": jobs_frame(), "technicians": techs_frame()}
    df = frames[frame]
    for col, value in changes.items():
        df[col] = df[col].astype(object)
        df.loc[row, col] = value
    with pytest.raises(InvalidFrameError) as info:
        Problem.from_frames(frames["jobs"], frames["technicians"], date=DATE)
    err = info.value
    assert err.path == path
    assert (err.frame, err.row, err.column) == (frame, row, column)
    for c in column.split("/"):
        assert f"'{c}'" in str(err)
    # Unvalidated, the same error comes from solve (and from validate).
    p = Problem.from_frames(frames["jobs"], frames["technicians"], date=DATE, validate=False)
    with pytest.raises(InvalidFrameError) as again:
        fieldopt.solve(p, iterations=10, progress=False)
    assert again.value.path == path and again.value.column == column
    with pytest.raises(InvalidFrameError):
        fieldopt.validate(p)


def test_index_label_and_id_in_message() -> None:
    jobs = jobs_frame().set_index(pd.Index(list("abcd")))
    jobs.loc["c", "tw_start"] = "nope"
    with pytest.raises(InvalidFrameError, match=r"jobs row 2 \(index 'c'\) \(id 'J3'\)"):
        Problem.from_frames(jobs, techs_frame(), date=DATE)


def test_missing_required_columns_and_bad_types() -> None:
    with pytest.raises(InvalidFrameError, match="'duration'"):
        Problem.from_frames(jobs_frame().drop(columns="duration"), techs_frame(), date=DATE)
    with pytest.raises(InvalidFrameError, match="'id'"):
        Problem.from_frames(jobs_frame(), techs_frame().drop(columns="id"), date=DATE)
    with pytest.raises(InvalidProblemError, match="date"):
        Problem.from_frames(jobs_frame(), techs_frame(), date="tomorrow")
    with pytest.raises(TypeError):
        Problem.from_frames(42, techs_frame(), date=DATE)
    jobs = jobs_frame()
    jobs.loc[0, "tw_end"] = None
    with pytest.raises(InvalidFrameError, match="'tw_end' is missing") as info:
        Problem.from_frames(jobs, techs_frame(), date=DATE)
    assert info.value.column == "tw_end"


def test_frame_errors_pickle() -> None:
    err = InvalidFrameError("bad", "jobs[1].duration", "jobs", 1, "duration")
    back = pickle.loads(pickle.dumps(err))
    assert (back.path, back.frame, back.row, back.column) == (
        "jobs[1].duration",
        "jobs",
        1,
        "duration",
    )


def test_problem_json_round_trip(tmp_path: Path) -> None:
    p = Problem.from_frames(jobs_frame(), techs_frame(), date=DATE, name="demo")
    path = tmp_path / "p.json"
    path.write_text(p.to_json(), encoding="utf-8")
    assert Problem.from_json(path) == p
    assert Problem.from_json(p.to_json(indent=None)) == p
    assert Problem.from_json(p.to_json().encode()) == p
    assert Problem.from_dict(p.to_dict()) == p
    assert p.to_dict() is not p.doc
    assert "jobs=4" in repr(p) and "demo" in repr(p)
    with pytest.raises(InvalidProblemError):
        Problem.from_json("{not json")


def test_result_tables_pandas() -> None:
    p = Problem.from_frames(jobs_frame(), techs_frame(), date=DATE)
    res = fieldopt.solve(p, iterations=ITERS, progress=False)
    a = res.assignments
    assert list(a.columns) == list(fieldopt.result.ASSIGNMENT_COLUMNS)
    assert a["job"].tolist() == ["J1", "J2", "J3", "J4"]
    done = a[a["technician"].notna()]
    assert (done["end"] > done["start"]).all()
    left = a[a["technician"].isna()]
    assert left["reason"].notna().all()
    t = res.technicians
    assert list(t.columns) == list(fieldopt.result.TECHNICIAN_COLUMNS)
    assert t["jobs"].sum() == res.kpis["assigned"]
    assert t["travel_hours"].sum() * 3600 == pytest.approx(res.kpis["travel_time"], rel=1e-6)
    assert t["overtime_hours"].sum() * 3600 == pytest.approx(res.kpis["overtime"], abs=1e-3)
    assert ((t["utilisation"] >= 0) & (t["utilisation"] <= 1.5)).all()
    html = res._repr_html_()
    assert "of 4 jobs assigned" in html and html.startswith("<table>")
    back = pickle.loads(pickle.dumps(res))
    assert back == res and back.technicians.equals(t)
    assert json.loads(res.to_json())["format"] == "fieldopt-plan/1"


def test_technicians_match_engine_kpis(city: dict[str, Any]) -> None:
    res = fieldopt.solve(city, iterations=ITERS, progress=False)
    t = res.technicians
    k = res.kpis
    assert t["travel_hours"].sum() * 3600 == pytest.approx(k["travel_time"], rel=1e-6)
    assert t["distance"].sum() * 1000 == pytest.approx(k["travel_distance"], rel=1e-6)
    assert t["overtime_hours"].sum() * 3600 == pytest.approx(k["overtime"], abs=1e-3)
    assert (t["jobs"] > 0).sum() == k["technicians_used"]


def test_technicians_needs_the_problem(tiny: dict[str, Any]) -> None:
    res = fieldopt.solve(tiny, iterations=ITERS, progress=False)
    bare = fieldopt.Result(res.plan)
    with pytest.raises(ValueError, match="needs the problem"):
        _ = bare.technicians
    bare.problem = tiny
    assert bare.technicians["technician"].tolist() == ["A", "B"]
    assert len(bare.assignments) == 4


def test_conversion_time_5000_jobs() -> None:
    """Not a timed assert: prints the Python conversion time (see the issue's note)."""
    doc = city_day(5000, 250)
    jobs, techs = Problem.from_dict(doc).to_frames()
    t0 = time.perf_counter()
    p = Problem.from_frames(jobs, techs, date=DATE, travel=doc["travel"], validate=False)
    t1 = time.perf_counter()
    p.to_json(indent=None)
    t2 = time.perf_counter()
    assert p.n_jobs == 5000
    print(f"from_frames 5000 jobs: {t1 - t0:.3f} s, to_json {t2 - t1:.3f} s")
