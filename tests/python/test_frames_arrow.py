"""Problem.from_frames through Arrow (the frames cross into Rust as Arrow C streams) against
the per-row Python path: identical documents for every column shape, identical errors
naming the row and the column, and an explicit fallback to the Python path."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import fieldopt
import pandas as pd
import pytest
from fieldopt import InvalidFrameError, Problem
from fieldopt import frames as fr

pa = pytest.importorskip("pyarrow")
DATE = "2026-11-24"
DAY = dt.date(2026, 11, 24)


def at(h: int, m: int = 0, tz: Any = None) -> dt.datetime:
    return dt.datetime(2026, 11, 24, h, m, tzinfo=tz)


# --- frames: each column one type (as pyarrow can type it), all shapes across cases ------


def jobs_basic() -> pd.DataFrame:
    """lat/lon, seconds, "HH:MM" windows, skill_<name> columns with gaps, list and text
    id columns, an ignored column."""
    return pd.DataFrame(
        {
            "id": ["J1", "J2", "J3", "J4"],
            "customer": ["C1", "C1", None, "C2"],
            "lat": [52.37, 52.36, 52.38, 52.35],
            "lon": [4.89, 4.90, 4.91, 4.87],
            "duration": [1800, 3600, 2700, 900],
            "tw_start": ["09:00", None, "13:00:30", " 8:00 "],
            "tw_end": ["12:00", None, "15:30", "10:00"],
            "skill_hvac": [2, 0, None, 1],
            "skill_gas": [None, None, 1.0, None],
            "priority": [1, 2, None, 3],
            "demand": [1, 2, 3, 4],
            "unassigned_cost": [1000.0, None, 250.5, None],
            "certifications": [["gas-safe"], None, ["a", "b"], []],
            "preferred_technicians": [None, "T1, T2", "T2;T1", ""],
            "excluded_technicians": [None, None, None, ["T1"]],
            "pinned_technician": [None, None, None, "T2"],
            "kind": ["repair", "install", None, "repair"],
            "notes": ["ring twice", "", "", ""],
        }
    )


def jobs_nested() -> pd.DataFrame:
    """Integer ids, x/y, timedeltas, a dict (struct) skills column, a list column of
    windows (nested pairs and one flat pair)."""
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "x": [3.0, 5.0, 1.0],
            "y": [4.0, 5.0, 1.0],
            "duration": pd.to_timedelta([600, 1200, 90], unit="s"),
            "skills": [{"hvac": 2, "gas": None}, {"hvac": None, "gas": 1}, {"hvac": 0, "gas": 3}],
            "time_windows": [[[0.0, 100.0], [200.0, 300.0]], [[0.0, 50.0]], [[5.0, 10.0]]],
            "demand": [[1, 2], [3, 4], [0, 1]],
        }
    )


def jobs_text() -> pd.DataFrame:
    """ "HH:MM" durations, text windows and skills, datetimes and times of day."""
    return pd.DataFrame(
        {
            "id": ["A", "B", "C"],
            "lat": [52.0, 52.1, 52.2],
            "lon": [4.0, 4.1, 4.2],
            "duration": ["01:00", "00:45", "0:30:30"],
            "time_windows": ["08:00-12:00, 14:00-16:00", "09:00 to 10:00", None],
            "tw_start": [None, None, at(13)],
            "tw_end": [None, None, at(15, 30)],
            "skills": ["hvac:2, gas", "electrical", None],
            "priority": [1.0, 2.0, 3.0],
        }
    )


def jobs_times() -> pd.DataFrame:
    """Times of day, time-zone aware datetimes, a flat pair of "HH:MM" texts as the
    windows, a list column of skill names."""
    ams = ZoneInfo("Europe/Amsterdam")
    return pd.DataFrame(
        {
            "id": ["A", "B"],
            "x": [0.0, 1.0],
            "y": [0.0, 1.0],
            "duration": [30.5, 60.0],
            "tw_start": [at(8, 30, tz=ams), at(9, tz=ams)],
            "tw_end": [dt.time(12), dt.time(17, 15)],
            "skills": [["hvac", "gas"], []],
            "time_windows": [["08:00", "10:00"], None],
        }
    )


def techs_basic() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["T1", "T2"],
            "lat": [52.35, 52.34],
            "lon": [4.88, 4.87],
            "end_lat": [52.30, None],
            "end_lon": [4.80, None],
            "shift_start": ["08:00", "08:30"],
            "shift_end": ["17:00", "16:00"],
            "max_overtime": ["01:00", None],
            "skill_hvac": [3, 1],
            "skill_gas": [None, 2],
            "cert_gas-safe": [None, dt.date(2027, 1, 31)],
            "cert_ladder": [True, False],
            "break_start": ["12:00", None],
            "break_end": ["13:30", None],
            "break_duration": [1800, None],
            "cost_per_hour": [38.0, 40.0],
            "fixed_cost": [None, 25.0],
            "cost_per_km": [0.25, 0.3],
            "rating": [4.5, None],
            "kind": ["employee", "contractor"],
            "team": ["north", None],
            "capacity": [10, 12],
            "max_jobs": [8, None],
            "phone": ["1", "2"],
        }
    )


def techs_nested() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["A", "B"],
            "start": [{"x": 0.0, "y": 0.0}, {"x": 10.0, "y": 0.0}],
            "shift": [[0.0, 1000.0], [100.0, 900.0]],
            "skills": [{"hvac": 3, "electrical": 1}, {"hvac": None, "electrical": 2}],
            "certifications": [{"gas-safe": dt.date(2027, 1, 31)}, {"gas-safe": None}],
            "break": [{"window": [400.0, 600.0], "duration": 60.0}, None],
            "cost": [{"per_hour": 36.0, "fixed": None}, {"per_hour": 30.0, "fixed": 5.0}],
            "capacity": [[10, 2], [8, 1]],
        }
    )


def techs_text() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["A", "B"],
            "lat": [52.0, 52.1],
            "lon": [4.0, 4.1],
            "shift": ["08:00-17:00", "07:30 - 16:00"],
            "skills": ["hvac:3, electrical", "gas:2"],
            "certifications": ["gas-safe, ladder", None],
            "shift_start": [at(6), at(6)],
            "shift_end": [at(7), at(7)],
        }
    )


CASES = {
    "basic": (jobs_basic, techs_basic),
    "nested": (jobs_nested, techs_nested),
    "text": (jobs_text, techs_text),
    "times": (jobs_times, techs_nested),
}


def as_backend(df: pd.DataFrame, backend: str) -> Any:
    if backend == "pandas":
        return df
    pl = pytest.importorskip("polars")
    return pl.from_pandas(df)


def both(jobs: Any, techs: Any, **kw: Any) -> tuple[Any, Any]:
    """(document, origin, ignored) by the Python path and by the Arrow path."""
    py = fr.problem_from_frames(jobs, techs, date=DATE, conversion="python", **kw)
    arrow = fr.problem_from_frames(jobs, techs, date=DATE, conversion="arrow", **kw)
    return py, arrow


@pytest.mark.parametrize("backend", ["pandas", "polars"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_arrow_and_python_paths_give_identical_documents(case: str, backend: str) -> None:
    jobs_of, techs_of = CASES[case]
    jobs, techs = as_backend(jobs_of(), backend), as_backend(techs_of(), backend)
    (pdoc, porigin, pignored), (adoc, aorigin, aignored) = both(jobs, techs, name=case)
    assert porigin.conversion == "python" and aorigin.conversion == "arrow"
    assert aorigin.fallback is None
    # Same keys in the same order, same int/float types: the JSON texts match.
    assert json.dumps(adoc) == json.dumps(pdoc)
    assert aorigin.columns == porigin.columns
    assert aorigin.ids == porigin.ids
    assert aignored == pignored
    # "auto" takes the Arrow path for these frames.
    _, auto, _ = fr.problem_from_frames(jobs, techs, date=DATE)
    assert auto.conversion == "arrow"


def test_documents_hold_the_expected_values() -> None:
    """The shared result is right, not just shared (spot checks per shape)."""
    doc, origin, ignored = fr.problem_from_frames(
        jobs_basic(), techs_basic(), date=DATE, conversion="arrow"
    )
    j1, j2, j3, j4 = doc["jobs"]
    assert j1["time_windows"] == [[32400.0, 43200.0]] and j1["skills"] == {"hvac": 2}
    assert j3["time_windows"] == [[46830.0, 55800.0]] and j3["skills"] == {"gas": 1}
    assert j4["time_windows"] == [[28800.0, 36000.0]] and j4["certifications"] == []
    assert j2["preferred_technicians"] == ["T1", "T2"] and "skills" not in j2
    assert j3["preferred_technicians"] == ["T2", "T1"] and j4["preferred_technicians"] == []
    assert isinstance(j1["priority"], int) and isinstance(j1["duration"], float)
    t1, t2 = doc["technicians"]
    assert t1["end"] == {"lat": 52.30, "lon": 4.80} and "end" not in t2
    assert t1["certifications"] == {"ladder": "9999-12-31"}
    assert t2["certifications"] == {"gas-safe": "2027-01-31"}
    assert t1["break"] == {"window": [43200.0, 48600.0], "duration": 1800.0}
    assert t1["cost"] == {"per_hour": 38.0, "per_km": 0.25}
    assert t2["cost"] == {"fixed": 25.0, "per_hour": 40.0, "per_km": 0.3}
    assert t1["max_overtime"] == 3600.0 and t1["capacity"] == [10] and t1["max_jobs"] == 8
    assert ignored == ["jobs.notes", "technicians.phone"]
    assert origin.columns["jobs"]["time_windows"] == "tw_start/tw_end"
    assert origin.columns["technicians"]["certifications.gas-safe"] == "cert_gas-safe"
    doc, _, _ = fr.problem_from_frames(jobs_nested(), techs_nested(), date=DATE, conversion="arrow")
    a, b, c = doc["jobs"]
    assert a["id"] == "1" and a["duration"] == 600.0 and a["skills"] == {"hvac": 2}
    assert a["time_windows"] == [[0.0, 100.0], [200.0, 300.0]] and a["demand"] == [1, 2]
    assert c["skills"] == {"hvac": 0, "gas": 3}  # a dict keeps its 0 (as per row)
    ta, tb = doc["technicians"]
    assert ta["break"] == {"window": [400.0, 600.0], "duration": 60.0} and "break" not in tb
    assert ta["cost"] == {"per_hour": 36.0} and tb["certifications"] == {}
    doc, _, _ = fr.problem_from_frames(jobs_times(), techs_text(), date=DATE, conversion="arrow")
    assert doc["jobs"][0]["time_windows"] == [[28800.0, 36000.0]]
    assert doc["jobs"][1]["time_windows"] == [[32400.0, 62100.0]]
    assert doc["technicians"][1]["shift"] == [27000.0, 57600.0]


def test_problem_from_frames_uses_arrow_and_solves() -> None:
    p = Problem.from_frames(jobs_basic(), techs_basic(), date=DATE)
    assert p._origin is not None and p._origin.conversion == "arrow"
    res = fieldopt.solve(p, iterations=200, progress=False)
    assert res.kpis["jobs"] == 4


# --- errors -------------------------------------------------------------------------------


def frame_error(jobs: Any, techs: Any, conversion: str) -> InvalidFrameError:
    with pytest.raises(InvalidFrameError) as info:
        fr.problem_from_frames(jobs, techs, date=DATE, conversion=conversion)
    return info.value


@pytest.mark.parametrize("backend", ["pandas", "polars"])
@pytest.mark.parametrize(
    ("frame", "row", "column", "value", "path", "in_message"),
    [
        ("jobs", 0, "tw_start", "25:99", "jobs[0].time_windows", "minutes and seconds"),
        ("jobs", 2, "tw_end", "late", "jobs[2].time_windows", "'late' as a time"),
        ("jobs", 1, "skill_hvac", 2.5, "jobs[1].skills.hvac", "expected an integer, got 2.5"),
        ("jobs", 3, "tw_end", None, "jobs[3].time_windows", "'tw_end' is missing"),
        ("jobs", 1, "lon", None, "jobs[1].location", "must both be given"),
        ("jobs", 2, "id", None, "jobs[2].id", "the id is missing"),
        ("jobs", 1, "priority", 1.5, "jobs[1].priority", "expected an integer, got 1.5"),
        ("technicians", 1, "shift_end", "late", "technicians[1].shift", "'late'"),
        ("technicians", 0, "break_duration", None, "technicians[0].break.duration", "no dur"),
        ("technicians", 1, "max_overtime", "1:5", "technicians[1].max_overtime", "'1:5'"),
        ("technicians", 0, "shift_start", "8h", "technicians[0].shift", "'HH:MM' or seconds"),
    ],
)
def test_errors_name_row_and_column_on_both_paths(
    backend: str, frame: str, row: int, column: str, value: Any, path: str, in_message: str
) -> None:
    frames = {"jobs": jobs_basic(), "technicians": techs_basic()}
    df = frames[frame]
    col = df[column].tolist()
    col[row] = value
    df[column] = pd.Series(col, dtype=object if isinstance(value, str) else None)
    jobs, techs = as_backend(frames["jobs"], backend), as_backend(frames["technicians"], backend)
    arrow = frame_error(jobs, techs, "arrow")
    python = frame_error(jobs, techs, "python")
    assert str(arrow) == str(python)
    assert arrow.path == python.path == path
    assert (arrow.frame, arrow.row) == (frame, row)
    assert arrow.column == python.column
    assert column in arrow.column.split("/")
    assert in_message in str(arrow) and f"{frame} row {row}" in str(arrow)


TRICKY = {
    "duration": ["1_000", " 90 ", "1e3", "01:30:15.5", "1:5", "", "nan", "-5", "12:60"],
    "time_windows": [
        "08:00-12:00; 13:00 - 14:00",
        "8:00 to 9:00",
        "8:00to9:00",
        "-5-10",
        "08:00",
        ",",
        "25:00-26:00",
    ],
    "skills": ["hvac:2, gas", "hvac:x", " a ; b:3 ", "hvac:2.5", "hvac:1e1"],
    "preferred_technicians": [" T1 ,, T2 ", ";", "T1"],
}


@pytest.mark.parametrize("backend", ["pandas", "polars"])
@pytest.mark.parametrize(
    ("column", "value"), [(c, v) for c, values in TRICKY.items() for v in values]
)
def test_text_cells_read_alike(backend: str, column: str, value: str) -> None:
    """Text cells with odd spellings: both paths give the same value or the same error."""
    jobs = jobs_basic()
    jobs[column] = [value] * len(jobs)
    jobs, techs = as_backend(jobs, backend), as_backend(techs_basic(), backend)
    results = []
    for conversion in ("python", "arrow"):
        try:
            doc, _, _ = fr.problem_from_frames(jobs, techs, date=DATE, conversion=conversion)
            results.append(json.dumps(doc["jobs"][0]))
        except InvalidFrameError as e:
            results.append(f"{e.path}: {e}")
    assert results[0] == results[1]


def test_error_names_index_label_and_id() -> None:
    jobs = jobs_basic().set_index(pd.Index(list("abcd")))
    jobs.loc["c", "tw_start"] = "nope"
    err = frame_error(jobs, techs_basic(), "arrow")
    assert "jobs row 2 (index 'c') (id 'J3')" in str(err)
    assert str(err) == str(frame_error(jobs, techs_basic(), "python"))


@pytest.mark.parametrize(
    ("drop", "column"), [("jobs.id", "id"), ("jobs.duration", "duration"), ("technicians.id", "id")]
)
def test_missing_required_columns(drop: str, column: str) -> None:
    frames = {"jobs": jobs_basic(), "technicians": techs_basic()}
    what, col = drop.split(".")
    frames[what] = frames[what].drop(columns=col)
    arrow = frame_error(frames["jobs"], frames["technicians"], "arrow")
    python = frame_error(frames["jobs"], frames["technicians"], "python")
    assert str(arrow) == str(python) and arrow.path == python.path == what
    assert (arrow.frame, arrow.row, arrow.column) == (what, None, column)


def test_engine_errors_map_back_through_the_arrow_origin() -> None:
    jobs = jobs_basic()
    jobs.loc[3, "tw_start"] = "14:00"
    with pytest.raises(InvalidFrameError) as info:
        Problem.from_frames(jobs, techs_basic(), date=DATE)
    err = info.value
    assert err.path == "jobs[3].time_windows[0]" and err.column == "tw_start/tw_end"
    assert "'tw_start'" in str(err) and "(id 'J4')" in str(err)


# --- the choice of path -------------------------------------------------------------------


def test_mixed_object_column_falls_back_to_python() -> None:
    jobs = jobs_basic()
    jobs["duration"] = pd.Series([1800, "01:00", pd.Timedelta(minutes=45), 900], dtype=object)
    doc, origin, _ = fr.problem_from_frames(jobs, techs_basic(), date=DATE)
    assert origin.conversion == "python"
    assert origin.fallback is not None and "jobs frame cannot be exported" in origin.fallback
    assert [j["duration"] for j in doc["jobs"]] == [1800.0, 3600.0, 2700.0, 900.0]
    with pytest.raises(TypeError, match="Arrow path cannot read"):
        fr.problem_from_frames(jobs, techs_basic(), date=DATE, conversion="arrow")


def test_plain_python_inputs_take_the_python_path() -> None:
    jobs = [{"id": "J1", "x": 1, "y": 1, "duration": 5}]
    techs = {"id": ["A"], "x": [0], "y": [0], "shift_start": [0], "shift_end": [100]}
    doc, origin, _ = fr.problem_from_frames(jobs, techs, date=DATE)
    assert origin.conversion == "python" and "not an Arrow-capable table" in str(origin.fallback)
    assert doc["jobs"][0]["location"] == {"x": 1.0, "y": 1.0}


def test_arrow_type_the_reader_does_not_know_falls_back() -> None:
    """A map column (pyarrow map type) is read per row in Python; an ignored column of
    any type does not stop the Arrow path."""
    jobs = jobs_basic().drop(columns=["skill_hvac", "skill_gas"])
    skills = pa.array([[("hvac", 2)], [], [("gas", 1)], None], pa.map_(pa.string(), pa.int64()))
    jobs["skills"] = pd.Series(skills.to_pylist(), dtype=pd.ArrowDtype(skills.type))
    doc, origin, _ = fr.problem_from_frames(jobs, techs_basic(), date=DATE)
    assert origin.conversion == "python"
    assert 'column "skills" of the jobs frame' in str(origin.fallback)
    assert "map" in str(origin.fallback).lower()
    assert doc["jobs"][0]["skills"] == {"hvac": 2} and doc["jobs"][2]["skills"] == {"gas": 1}
    jobs = jobs_basic()
    jobs["notes"] = pd.Series(skills.to_pylist(), dtype=pd.ArrowDtype(skills.type))
    _, origin, ignored = fr.problem_from_frames(jobs, techs_basic(), date=DATE)
    assert origin.conversion == "arrow" and "jobs.notes" in ignored


def test_conversion_setting_is_explicit(monkeypatch: pytest.MonkeyPatch) -> None:
    _, origin, _ = fr.problem_from_frames(jobs_basic(), techs_basic(), date=DATE)
    assert origin.conversion == "arrow"
    monkeypatch.setattr(fr, "CONVERSION", "python")
    _, origin, _ = fr.problem_from_frames(jobs_basic(), techs_basic(), date=DATE)
    assert origin.conversion == "python" and origin.fallback is None
    p = Problem.from_frames(jobs_basic(), techs_basic(), date=DATE)
    assert p._origin is not None and p._origin.conversion == "python"
    with pytest.raises(ValueError, match="conversion must be one of"):
        fr.problem_from_frames(jobs_basic(), techs_basic(), date=DATE, conversion="rust")


def test_polars_lazy_frames_and_large_strings() -> None:
    pl = pytest.importorskip("polars")
    jobs = pl.from_pandas(jobs_basic()).lazy()
    techs = pl.from_pandas(techs_basic()).with_columns(
        pl.col("kind").cast(pl.Categorical),
        # a fixed-size list (Arrow FixedSizeList) of shift pairs, sliced
        pl.Series("shift", [[0.0, 1000.0], [100.0, 900.0]], dtype=pl.Array(pl.Float64, 2)),
    )
    for t in (techs, pl.concat([techs.head(0), techs.slice(1, 1)])):
        (pdoc, _, _), (adoc, aorigin, _) = both(jobs, t)
        assert aorigin.conversion == "arrow" and json.dumps(adoc) == json.dumps(pdoc)
    assert adoc["technicians"][0]["shift"] == [100.0, 900.0]


def test_many_batches_and_empty_frames() -> None:
    """A stream of several record batches is read as one table; empty frames work."""
    table = pa.Table.from_pandas(jobs_basic())
    batches = pa.Table.from_batches(table.to_batches(max_chunksize=1))
    assert batches.num_rows == 4 and len(batches.to_batches()) == 4
    techs = pa.Table.from_pandas(techs_basic())
    doc, origin, _ = fr.problem_from_frames(batches, techs, date=DATE, conversion="arrow")
    expect, _, _ = fr.problem_from_frames(jobs_basic(), techs_basic(), date=DATE)
    assert json.dumps(doc) == json.dumps(expect) and origin.conversion == "arrow"
    empty, _, _ = fr.problem_from_frames(
        jobs_basic().iloc[:0], techs_basic(), date=DATE, conversion="arrow"
    )
    assert empty["jobs"] == []
