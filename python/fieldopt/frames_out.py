"""The other direction of :mod:`fieldopt.frames`: a problem document to a jobs and a
technicians DataFrame (pandas or polars) with the documented column conventions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _loc_columns(loc: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(loc, Mapping):
        return {f"{prefix}{k}": v for k, v in loc.items()}
    return {(prefix + "location") if not prefix else prefix.rstrip("_"): loc}


def _job_record(j: Mapping[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": j.get("id"), "customer": j.get("customer")}
    rec.update(_loc_columns(j.get("location")))
    rec["duration"] = j.get("duration")
    rec["time_windows"] = j.get("time_windows")
    rec["skills"] = j.get("skills")
    rec["certifications"] = j.get("certifications")
    rec["demand"] = j.get("demand")
    rec["priority"] = j.get("priority")
    rec["unassigned_cost"] = j.get("unassigned_cost")
    rec["preferred_technicians"] = j.get("preferred_technicians")
    rec["excluded_technicians"] = j.get("excluded_technicians")
    rec["pinned_technician"] = j.get("pinned_technician")
    rec["kind"] = j.get("kind")
    return rec


def _tech_record(t: Mapping[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": t.get("id")}
    start = t.get("start")
    rec.update(_loc_columns(start) if isinstance(start, Mapping) else {"start": start})
    end = t.get("end")
    if end is not None:
        rec.update(_loc_columns(end, "end_") if isinstance(end, Mapping) else {"end": end})
    shift = t.get("shift") or [None, None]
    rec["shift_start"], rec["shift_end"] = shift[0], shift[1]
    rec["max_overtime"] = t.get("max_overtime")
    rec["skills"] = t.get("skills")
    rec["certifications"] = t.get("certifications")
    rec["capacity"] = t.get("capacity")
    rec["max_jobs"] = t.get("max_jobs")
    brk = t.get("break") or {}
    window = brk.get("window") or [None, None]
    rec["break_start"], rec["break_end"] = window[0], window[1]
    rec["break_duration"] = brk.get("duration")
    cost = t.get("cost") or {}
    rec["fixed_cost"] = cost.get("fixed")
    rec["cost_per_hour"] = cost.get("per_hour")
    rec["cost_per_km"] = cost.get("per_km")
    rec["rating"] = t.get("rating")
    rec["kind"] = t.get("kind")
    rec["team"] = t.get("team")
    return rec


def _records_to_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Columns of the records, keeping only the columns with at least one value."""
    names: dict[str, None] = {}
    for r in records:
        names.update(dict.fromkeys(r))
    cols = {n: [r.get(n) for r in records] for n in names}
    return {n: v for n, v in cols.items() if n == "id" or any(x is not None for x in v)}


def problem_to_frames(doc: Mapping[str, Any], backend: str = "pandas") -> tuple[Any, Any]:
    """The jobs and technicians of a problem document as two frames, in the column
    conventions that :func:`problem_from_frames` reads (dict and list columns for skills,
    certifications and time windows)."""
    jobs = _records_to_columns([_job_record(j) for j in doc.get("jobs", [])])
    techs = _records_to_columns([_tech_record(t) for t in doc.get("technicians", [])])
    if backend == "polars":
        import polars as pl

        return _polars_frame(pl, jobs), _polars_frame(pl, techs)
    if backend != "pandas":
        raise ValueError(f"backend must be 'pandas' or 'polars', got {backend!r}")
    import pandas as pd

    return pd.DataFrame(jobs), pd.DataFrame(techs)


def _polars_frame(pl: Any, cols: dict[str, list[Any]]) -> Any:
    series = []
    for name, values in cols.items():
        if any(isinstance(v, Mapping) for v in values):
            # Skills and certifications as a struct column; a row without a key reads
            # back as null there, which from_frames skips.
            keys: dict[str, None] = {}
            for v in values:
                keys.update(dict.fromkeys(v or {}))
            inner = [x for v in values for x in (v or {}).values()]
            kind = pl.Int64 if all(isinstance(x, int) for x in inner) else pl.String
            dtype = pl.Struct({k: kind for k in keys})
            series.append(pl.Series(name, values, dtype=dtype))
        elif any(isinstance(v, float) for v in values) and all(
            v is None or isinstance(v, (int, float)) for v in values
        ):
            series.append(pl.Series(name, values, dtype=pl.Float64))
        else:
            series.append(pl.Series(name, values, strict=False))
    return pl.DataFrame(series)
