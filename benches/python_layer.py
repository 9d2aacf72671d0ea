"""Where the Python layer spends its time, against the engine: DataFrames in
(``Problem.from_frames``), the document across the boundary (JSON text), the engine's
parse and validation, the solve, and the result tables out.

    python benches/python_layer.py --jobs 100000 --techs 1000 --no-solve
    python benches/python_layer.py --jobs 5000 --techs 250 --time-limit 60

Prints one line per step (best of ``--repeat`` runs, seconds) and, with ``--csv``,
appends them to a CSV file. ``from_frames`` is timed on both paths (the per-row Python
conversion and the Arrow path read in Rust; ``fieldopt.frames.CONVERSION``), which must
give the same document. Nothing here asserts a time: it measures.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections.abc import Callable
from typing import Any

import fieldopt
from fieldopt import _core


def frames(
    n_jobs: int, n_techs: int, seed: int = 1
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Columns of a jobs and a technicians frame in the documented conventions: lat/lon,
    "HH:MM" windows, one ``skill_<name>`` column per skill, preferred technicians."""
    rng = random.Random(seed)
    skills = ["hvac", "electrical", "plumbing"]
    jobs: dict[str, list[Any]] = {
        c: []
        for c in [
            "id",
            "customer",
            "lat",
            "lon",
            "duration",
            "priority",
            "tw_start",
            "tw_end",
            "preferred_technicians",
        ]
    }
    for s in skills:
        jobs[f"skill_{s}"] = []
    for j in range(n_jobs):
        jobs["id"].append(f"J{j:06d}")
        jobs["customer"].append(f"C{rng.randrange(n_jobs // 3 + 1):05d}")
        jobs["lat"].append(52.37 + rng.uniform(-0.3, 0.3))
        jobs["lon"].append(4.89 + rng.uniform(-0.4, 0.4))
        jobs["duration"].append(rng.choice([1800, 2700, 3600]))
        jobs["priority"].append(rng.randint(0, 3))
        if rng.random() < 0.5:
            h = rng.choice([8, 10, 12, 14])
            jobs["tw_start"].append(f"{h:02d}:00")
            jobs["tw_end"].append(f"{h + 4:02d}:00")
        else:
            jobs["tw_start"].append(None)
            jobs["tw_end"].append(None)
        jobs["preferred_technicians"].append(
            [f"T{rng.randrange(n_techs):04d}"] if rng.random() < 0.3 else []
        )
        need = rng.choice(skills + [None])
        for s in skills:
            jobs[f"skill_{s}"].append(rng.randint(1, 3) if s == need else 0)
    techs: dict[str, list[Any]] = {
        c: [] for c in ["id", "lat", "lon", "shift_start", "shift_end", "cost_per_hour"]
    }
    for s in skills:
        techs[f"skill_{s}"] = []
    for t in range(n_techs):
        techs["id"].append(f"T{t:04d}")
        techs["lat"].append(52.37 + rng.uniform(-0.3, 0.3))
        techs["lon"].append(4.89 + rng.uniform(-0.4, 0.4))
        techs["shift_start"].append("08:00")
        techs["shift_end"].append("17:00")
        techs["cost_per_hour"].append(40.0)
        for s in skills:
            techs[f"skill_{s}"].append(rng.randint(0, 5))
    return jobs, techs


#: Step names of the two from_frames paths (``fieldopt.frames.CONVERSION``).
PATHS = {"python": "Python, per row", "arrow": "Arrow, read in Rust"}


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last value; the CPU time of the best
    call (this process, all threads) is kept in ``LAST_CPU``."""
    global LAST_CPU
    times, out = [], None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    wall, LAST_CPU = min(times)
    return wall, out


#: CPU seconds of the best call of the last :func:`best` (less sensitive than wall time
#: to other work on a shared machine).
LAST_CPU = 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=5000)
    ap.add_argument("--techs", type=int, default=250)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--time-limit", type=float, default=None, help="solve by time instead")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-solve", action="store_true", help="skip the solve (large inputs)")
    ap.add_argument("--csv", default=None, help="append the rows to this CSV file")
    a = ap.parse_args()
    rows: list[tuple[str, str, float, float]] = []

    def note(step: str, backend: str, secs: float, cpu: float | None = None) -> None:
        cpu = LAST_CPU if cpu is None else cpu
        rows.append((step, backend, secs, cpu))
        print(f"{step:<40} {backend:<8} {secs:9.3f} s  (cpu {cpu:.3f} s)", flush=True)

    jobs_cols, tech_cols = frames(a.jobs, a.techs)
    import pandas as pd

    backends: dict[str, tuple[Any, Any]] = {
        "pandas": (pd.DataFrame(jobs_cols), pd.DataFrame(tech_cols))
    }
    try:
        import polars as pl

        backends["polars"] = (pl.DataFrame(jobs_cols), pl.DataFrame(tech_cols))
    except ImportError:
        pass
    problem = None
    for name, (jobs, techs) in backends.items():
        docs = {}
        for path in ("python", "arrow"):
            fieldopt.frames.CONVERSION = path
            secs, problem = best(
                lambda jobs=jobs, techs=techs: fieldopt.Problem.from_frames(
                    jobs=jobs, technicians=techs, date="2026-11-24", validate=False
                ),
                a.repeat,
            )
            assert problem._origin is not None and problem._origin.conversion == path
            docs[path] = json.dumps(problem.doc)
            note(f"from_frames ({PATHS[path]})", name, secs)
        fieldopt.frames.CONVERSION = "auto"
        assert docs["arrow"] == docs["python"], "the two paths disagree"
        secs, _ = best(lambda p=problem, n=name: p.to_frames(backend=n), a.repeat)
        note("to_frames", name, secs)
    assert problem is not None
    secs, text = best(lambda: problem.to_json(indent=None), a.repeat)
    note("document -> JSON text", "-", secs)
    print(f"{'  (JSON text, MB)':<40} {'-':<8} {len(text) / 1e6:9.1f}")
    secs, _ = best(lambda: _core.validate_json(text), a.repeat)
    note("engine parse + validate (Rust)", "-", secs)
    if a.no_solve:
        plan_json = synthetic_plan(problem.doc)
    else:
        c0, t0 = time.process_time(), time.perf_counter()
        if a.time_limit is not None:
            plan_json = _core.solve_json(text, 0, a.time_limit, None, a.threads)
            what = f"time limit {a.time_limit:g} s"
        else:
            plan_json = _core.solve_json(text, 0, None, a.iterations, a.threads)
            what = f"{a.iterations} iterations"
        note(f"solve ({what})", "-", time.perf_counter() - t0, time.process_time() - c0)
        kpis = json.loads(plan_json).get("kpis", {})
        print(f"  (assigned {kpis.get('assigned')} of {kpis.get('jobs')})", flush=True)
    secs, _ = best(lambda: json.loads(plan_json), a.repeat)
    note("plan JSON text -> dict", "-", secs)
    for name in backends:
        res = fieldopt.Result.from_json(plan_json, backend=name, problem=problem.doc)
        for table in ("routes", "assignments", "unassigned"):
            secs, frame = best(lambda res=res, table=table: getattr(res, table), a.repeat)
            note(f"Result.{table} ({len(frame)} rows)", name, secs)
    if a.csv:
        with open(a.csv, "a", newline="") as f:
            w = csv.writer(f)
            for step, backend, secs, cpu in rows:
                w.writerow([a.jobs, a.techs, step, backend, f"{secs:.4f}", f"{cpu:.4f}"])


def synthetic_plan(doc: dict[str, Any]) -> str:
    """A plan document routing every job (round robin over the technicians), for timing
    the result tables without a solve."""
    techs = [t["id"] for t in doc["technicians"]]
    routes: dict[str, list[dict[str, Any]]] = {t: [] for t in techs}
    for k, j in enumerate(doc["jobs"]):
        t = techs[k % len(techs)]
        s = 28800.0 + 60.0 * len(routes[t])
        routes[t].append({"job": j["id"], "arrival": s, "start": s, "end": s + 30.0})
    return json.dumps(
        {
            "format": "fieldopt-plan/1",
            "routes": [{"technician": t, "stops": stops} for t, stops in routes.items()],
            "unassigned": [],
            "kpis": {},
        }
    )


if __name__ == "__main__":
    main()
