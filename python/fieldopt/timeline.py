"""A technician's day rebuilt from a plan: travel, waiting, break and service segments with
start and end times, for `Result.segments`, `Result.technicians` and the Gantt plots."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def _point(loc: Any) -> tuple[float, float] | int | None:
    if isinstance(loc, Mapping):
        if "lat" in loc:
            return (float(loc["lat"]), float(loc["lon"]))
        if "x" in loc:
            return (float(loc["x"]), float(loc["y"]))
        return None
    if isinstance(loc, int):
        return loc
    return None


def _travel(travel: Mapping[str, Any]) -> Any:
    """``(a, b) -> (seconds, distance)`` for the problem's travel model (float, as the spec;
    the engine rounds travel times up to 1/1000 s)."""
    kind = travel.get("kind")
    if kind == "haversine":
        speed = float(travel.get("speed_kmh", 40.0)) / 3.6
        detour = float(travel.get("detour_factor", 1.0))

        def hav(a: Any, b: Any) -> tuple[float, float]:
            (la1, lo1), (la2, lo2) = a, b
            p1, p2 = math.radians(la1), math.radians(la2)
            h = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo2 - lo1) / 2) ** 2
            )
            d = 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h))) * detour
            return d / speed, d

        return hav
    if kind == "euclidean":
        speed = float(travel.get("speed", 1.0))

        def euc(a: Any, b: Any) -> tuple[float, float]:
            d = math.hypot(a[0] - b[0], a[1] - b[1])
            return d / speed, d

        return euc
    if kind == "matrix":
        durations = travel.get("durations") or []
        distances = travel.get("distances") or durations

        def mat(a: Any, b: Any) -> tuple[float, float]:
            return float(durations[a][b]), float(distances[a][b])

        return mat
    raise ValueError(f"unknown travel kind {kind!r}")


def day_segments(plan: Mapping[str, Any], problem: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each route's day as segments, following the spec's schedule: leave the start at
    the shift start, travel, wait at the job when early, work; a break is taken where
    the technician is; then travel back to the end. A segment ``overtime`` covers the
    part of the day after the shift end (it overlaps the others).

    Parameters
    ----------
    plan, problem : dict
        The plan and problem documents.

    Returns
    -------
    list of dict
        Keys ``technician``, ``segment``, ``start``, ``end``, ``job``, ``job_kind``
        and ``distance`` (travel segments).
    """
    travel = _travel(problem.get("travel") or {})
    techs = {t.get("id"): t for t in problem.get("technicians", [])}
    jobs = {j.get("id"): j for j in problem.get("jobs", [])}
    out: list[dict[str, Any]] = []
    for route in plan.get("routes", []):
        tid = route.get("technician")
        t = techs.get(tid)
        stops = route.get("stops") or []
        if t is None or not stops:
            continue
        shift = t.get("shift") or [0.0, math.inf]
        here = _point(t.get("start"))
        now = float(shift[0])

        def seg(kind: str, a: float, b: float, tid: Any = tid, **extra: Any) -> None:
            if b > a:
                out.append(
                    {
                        "technician": tid,
                        "segment": kind,
                        "start": a,
                        "end": b,
                        "job": None,
                        "job_kind": None,
                        **extra,
                    }
                )

        for stop in stops:
            if stop.get("break", False):
                start, end = float(stop["start"]), float(stop["end"])
                seg("waiting", now, start)
                seg("break", start, end)
                now = max(now, end)
                continue
            job = jobs.get(stop.get("job")) or {}
            there = _point(job.get("location"))
            secs, dist = travel(here, there) if here is not None and there is not None else (0, 0)
            start, end = float(stop["start"]), float(stop["end"])
            arrive = min(now + secs, start)
            if secs > 0:
                out.append(
                    {
                        "technician": tid,
                        "segment": "travel",
                        "start": now,
                        "end": arrive,
                        "job": job.get("id"),
                        "job_kind": None,
                        "distance": dist,
                    }
                )
            seg("waiting", arrive, start)
            seg("work", start, end, job=job.get("id"), job_kind=job.get("kind"))
            now, here = end, there
        home = _point(t.get("end", t.get("start")))
        secs, dist = travel(here, home) if here is not None and home is not None else (0, 0)
        if secs > 0:
            out.append(
                {
                    "technician": tid,
                    "segment": "travel",
                    "start": now,
                    "end": now + secs,
                    "job": None,
                    "job_kind": None,
                    "distance": dist,
                }
            )
        back = now + secs
        seg("overtime", float(shift[1]), back)
    return out
