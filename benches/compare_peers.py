#!/usr/bin/env python3
"""Side-by-side VRPTW benchmark of fieldopt and its peers (PyVRP, VROOM, OR-Tools, vrp-cli).

    python3 benches/compare_peers.py --set solomon --sample 2 --budget 5 --threads 2
    python3 benches/compare_peers.py --set solomon --budget 5            # all 56
    python3 benches/compare_peers.py --set homberger --sample 2 --budget 30
    python3 benches/compare_peers.py --instances C101,R101 --solvers fieldopt,pyvrp

The driver itself needs only the standard library. Peers are installed from PyPI into
their own virtualenv (``--venv``, default ``~/.cache/fieldopt/peers-venv``) and each solve
runs in a separate process of that virtualenv (``benches/peers/worker.py``); a peer that
does not install or import is reported as unavailable and the others go on. fieldopt runs
through its release CLI (built with ``cargo build --release --features cli``).

Fairness (see benches/README.md): every solver gets the same integer data (distance =
round(euclid x 1000), travel time = ceil(euclid x 1000), windows and service x 1000), the
same wall budget and thread count, the fleet of the file, and minimises distance only.
Every solver's routes are then turned into a fieldopt plan in the instance's own units and
checked by one checker (../shared/tools/check_plan.py) on the exact Euclidean problem; the
distance reported is recomputed from the routes in exact arithmetic.

Output: benches/results/<name>.csv (one row per instance and solver) and <name>.md
(setup, summary, per-class means, per-instance table), rewritten after every instance.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peers.instance import SCALE, Instance, read_instance

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
WORKER = REPO / "benches" / "peers" / "worker.py"

ALL_SOLVERS = ["fieldopt", "pyvrp", "vroom", "ortools", "vrp-cli"]
ALIASES = {"pyvroom": "vroom", "or-tools": "ortools", "vrp": "vrp-cli", "vrpcli": "vrp-cli"}
PIP_PACKAGES = {"pyvrp": "pyvrp", "vroom": "pyvroom", "ortools": "ortools", "vrp-cli": "vrp-cli"}
CLASSES = ["C1", "C2", "R1", "R2", "RC1", "RC2"]
SETS = {
    "solomon": SHARED / "benchmarks" / "solomon",
    "homberger": SHARED / "benchmarks" / "homberger" / "200",
}
CSV_FIELDS = [
    "instance",
    "class",
    "solver",
    "status",
    "feasible",
    "complete",
    "vehicles",
    "distance",
    "gap_bks_pct",
    "gap_dimacs_pct",
    "fieldopt_ratio",
    "bks_vehicles",
    "bks_distance",
    "dimacs_vehicles",
    "dimacs_distance",
    "solver_distance",
    "wall_s",
    "cpu_s",
    "budget_s",
    "threads",
    "violations",
    "note",
]


# --------------------------------------------------------------------------- data


@dataclass
class Bks:
    vehicles: int | None
    distance: float | None
    dimacs_vehicles: int | None
    dimacs_distance: float | None


@dataclass
class Row:
    instance: str
    cls: str
    solver: str
    status: str
    feasible: bool = False
    complete: bool = False
    vehicles: int | None = None
    distance: float | None = None
    solver_distance: float | None = None
    wall_s: float | None = None
    cpu_s: float | None = None
    violations: int = 0
    note: str = ""
    routes: list[list[int]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        """A plan that counts: feasible by the checker and serving every customer."""
        return self.feasible and self.complete and self.distance is not None


def instance_class(name: str) -> str:
    m = re.match(r"^(RC|R|C)(\d)", name.upper())
    return f"{m.group(1)}{m.group(2)}" if m else "?"


def _sort_key(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


def read_bks(path: Path) -> dict[str, Bks]:
    def num(v: str | None, kind: type) -> int | float | None:
        return kind(float(v)) if v not in (None, "") else None

    out = {}
    with path.open() as f:
        for r in csv.DictReader(f):
            out[r["instance"]] = Bks(
                num(r.get("vehicles"), int),
                num(r.get("distance"), float),
                num(r.get("dimacs_vehicles"), int),
                num(r.get("dimacs_distance_trunc1"), float),
            )
    return out


def select_instances(data_dir: Path, names: str | None, sample: int | None) -> list[Path]:
    files = sorted(data_dir.glob("*.txt"), key=lambda p: _sort_key(p.stem))
    files = [p for p in files if instance_class(p.stem) in CLASSES]
    if names:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        by_name = {p.stem.upper(): p for p in files}
        missing = [n for n in wanted if n.upper() not in by_name]
        if missing:
            raise SystemExit(f"unknown instance(s) in {data_dir}: {', '.join(missing)}")
        return [by_name[n.upper()] for n in wanted]
    if sample:
        # `sample` per class, evenly spread over the class (2: the first and the middle one).
        chosen = []
        for cls in CLASSES:
            members = [p for p in files if instance_class(p.stem) == cls]
            idx = sorted({min(len(members) - 1, k * len(members) // sample) for k in range(sample)})
            chosen += [members[i] for i in idx]
        return chosen
    return files


# --------------------------------------------------------------------------- environment


def run_quiet(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)


def ensure_venv(venv: Path, peers: list[str], install: bool) -> dict[str, str | None]:
    """Creates the virtualenv if needed, installs each missing peer on its own (so one
    failure does not block the others) and returns {peer: version or None}."""
    python = venv / "bin" / "python"
    if not python.exists():
        if not install:
            return {p: None for p in peers}
        print(f"creating virtualenv {venv}", file=sys.stderr)
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        run_quiet([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"])

    def probe() -> dict[str, str | None]:
        res = run_quiet([str(python), str(WORKER), "--versions"])
        return json.loads(res.stdout) if res.returncode == 0 else {}

    found = probe()
    missing = [p for p in peers if not found.get(p)]
    if missing and install:
        for peer in missing:
            print(f"pip install {PIP_PACKAGES[peer]} into {venv}", file=sys.stderr)
            res = run_quiet([str(python), "-m", "pip", "install", "-q", PIP_PACKAGES[peer]])
            if res.returncode != 0:
                tail = (res.stderr or res.stdout).strip().splitlines()[-3:]
                print(
                    f"  {PIP_PACKAGES[peer]} did not install: {' | '.join(tail)}", file=sys.stderr
                )
        found = probe()
    return {p: found.get(p) for p in peers}


def build_fieldopt(skip: bool) -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    binary = (target if target.is_absolute() else REPO / target) / "release" / "fieldopt"
    if not skip:
        print("cargo build --release --features cli", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--features", "cli"], cwd=REPO, check=True)
    if not binary.exists():
        raise SystemExit(f"{binary} is missing (build with cargo build --release --features cli)")
    return binary


def git_description() -> str:
    head = run_quiet(["git", "rev-parse", "--short", "HEAD"], cwd=REPO).stdout.strip()
    dirty = (
        run_quiet(["git", "status", "--porcelain", "--", "src", "Cargo.toml"], cwd=REPO)
        .stdout.strip()
        .splitlines()
    )
    return f"{head}" + (f" + uncommitted changes in {len(dirty)} file(s) of src/" if dirty else "")


def fieldopt_version(binary: Path) -> str:
    res = run_quiet([str(binary), "--version"])
    return res.stdout.strip() or "?"


# --------------------------------------------------------------------------- solvers


def fieldopt_problem(inst: Instance) -> dict:
    """The instance as a fieldopt problem with the shared integer matrices (x SCALE)."""
    ready, due, service = inst.int_ready(), inst.int_due(), inst.int_service()
    return {
        "format": "fieldopt-problem/1",
        "name": f"{inst.name}-x{SCALE}",
        "date": "2026-01-01",
        "travel": {
            "kind": "matrix",
            "durations": inst.int_durations(),
            "distances": inst.int_distances(),
        },
        "technicians": [
            {
                "id": f"V{k + 1}",
                "start": 0,
                "end": 0,
                "shift": [ready[0], due[0]],
                "capacity": [inst.capacity],
            }
            for k in range(inst.vehicles)
        ],
        "jobs": [
            {
                "id": str(i),
                "location": i,
                "duration": service[i],
                "time_windows": [[ready[i], due[i]]],
                "demand": [inst.demand[i]],
            }
            for i in range(1, len(inst.x))
        ],
        # Distance only. travel_distance is a cost per 1000 distance units: 1.0 on distances
        # x1000 is 1 per unit of the instance, the same objective (and the same trade-off
        # against the unassigned penalty) as `fieldopt convert solomon` writes (1000 on the
        # unscaled Euclidean problem).
        "policy": {"travel_time": 0, "travel_distance": 1.0, "labor": 0},
    }


def run_fieldopt(
    binary: Path, inst: Instance, work: Path, budget: float, threads: int, seed: int
) -> dict:
    problem = work / f"{inst.name}.fieldopt-matrix.json"
    plan = work / f"{inst.name}.fieldopt.plan.json"
    problem.write_text(json.dumps(fieldopt_problem(inst)))
    cmd = [
        str(binary),
        "solve",
        str(problem),
        "-o",
        str(plan),
        "--time-limit",
        f"{budget:g}",
        "--threads",
        str(threads),
        "--seed",
        str(seed),
        "--quiet",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        res = run_quiet(cmd, timeout=budget * 3 + 120)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "routes": [], "wall_s": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if res.returncode != 0 or not plan.exists():
        return {
            "status": "error",
            "routes": [],
            "wall_s": wall,
            "cpu_s": cpu,
            "note": f"exit {res.returncode}: {res.stderr.strip()[-300:]}",
        }
    doc = json.loads(plan.read_text())
    routes = [[int(s["job"]) for s in r["stops"] if "job" in s] for r in doc.get("routes", [])]
    routes = [r for r in routes if r]
    unassigned = [int(u["job"]) for u in doc.get("unassigned", [])]
    objective = (doc.get("kpis") or {}).get("travel_distance")
    return {
        "status": "ok" if not unassigned else "incomplete",
        "routes": routes,
        "unassigned": unassigned,
        "objective": objective,
        "wall_s": wall,
        "cpu_s": cpu,
    }


def run_peer(
    venv: Path, solver: str, inst_file: Path, work: Path, budget: float, threads: int, seed: int
) -> dict:
    out = work / f"{inst_file.stem}.{solver}.result.json"
    cmd = [
        str(venv / "bin" / "python"),
        str(WORKER),
        solver,
        str(inst_file),
        "--budget",
        f"{budget:g}",
        "--threads",
        str(threads),
        "--seed",
        str(seed),
        "--out",
        str(out),
    ]
    t0 = time.perf_counter()
    try:
        res = run_quiet(cmd, timeout=budget * 3 + 120)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "routes": [], "wall_s": time.perf_counter() - t0}
    if res.returncode != 0 or not out.exists():
        return {
            "status": "error",
            "routes": [],
            "wall_s": time.perf_counter() - t0,
            "note": f"worker exit {res.returncode}: {res.stderr.strip()[-300:]}",
        }
    return json.loads(out.read_text())


# --------------------------------------------------------------------------- checking


def plan_document(
    inst: Instance,
    technicians: list[str],
    routes: list[list[int]],
    unassigned: list[int],
    solver: str,
) -> dict:
    """A fieldopt plan in the instance's own units (exact Euclidean schedule; the checker
    recomputes it anyway). Customers in no route are listed as unassigned."""
    e = inst.euclid()
    served = {c for r in routes for c in r}
    missing = sorted(set(range(1, len(inst.x))) - served)
    doc_routes = []
    for tech, route in zip(technicians, routes):
        now, prev, stops = inst.ready[0], 0, []
        for c in route:
            arrival = now + e[prev][c]
            start = max(arrival, inst.ready[c])
            now, prev = start + inst.service[c], c
            stops.append({"job": str(c), "arrival": arrival, "start": start, "end": now})
        doc_routes.append({"technician": tech, "stops": stops})
    reason = {c: "left out by the solver" for c in unassigned}
    return {
        "format": "fieldopt-plan/1",
        "problem": inst.name,
        "routes": doc_routes,
        "unassigned": [
            {"job": str(c), "reason": reason.get(c, f"not in any {solver} route")} for c in missing
        ],
    }


def check_routes(
    checker: Path,
    problem: Path,
    inst: Instance,
    technicians: list[str],
    result: dict,
    solver: str,
    work: Path,
) -> Row:
    routes = result.get("routes") or []
    row = Row(
        instance=inst.name,
        cls=instance_class(inst.name),
        solver=solver,
        status=result.get("status", "error"),
        wall_s=result.get("wall_s"),
        cpu_s=result.get("cpu_s"),
        note=(result.get("note") or "").strip()[:300],
        routes=routes,
    )
    obj = result.get("objective")
    # The solver's own objective, on the scaled integer data: back to instance units.
    row.solver_distance = obj / SCALE if isinstance(obj, (int, float)) else None
    if row.status in ("error", "timeout", "no_solution") or not routes:
        return row
    if len(routes) > len(technicians):
        row.note = f"{len(routes)} routes for a fleet of {len(technicians)}; " + row.note
        routes = routes[: len(technicians)]  # the checker then reports the missing jobs
    plan = work / f"{inst.name}.{solver}.plan.json"
    plan.write_text(
        json.dumps(plan_document(inst, technicians, routes, result.get("unassigned") or [], solver))
    )
    res = run_quiet([sys.executable, str(checker), str(problem), str(plan), "--json"])
    try:
        rep = json.loads(res.stdout)
    except json.JSONDecodeError:
        row.note = f"checker failed (exit {res.returncode}): {res.stderr.strip()[-200:]}"
        return row
    kpis = rep.get("kpis") or {}
    row.feasible = bool(rep.get("feasible"))
    row.violations = len(rep.get("violations") or [])
    if row.violations:
        row.note = (rep["violations"][0].get("message", "") + "; " + row.note).strip("; ")
    row.complete = kpis.get("unassigned", 1) == 0
    row.vehicles = sum(1 for r in routes if r)
    row.distance = sum(inst.route_distance(r) for r in routes)
    checked = kpis.get("travel_distance")
    if checked is not None and abs(checked - row.distance) > 1e-6 * max(1.0, row.distance):
        row.note = f"checker distance {checked:.4f} != recomputed; " + row.note
    return row


# --------------------------------------------------------------------------- reporting


def pct(value: float | None, ref: float | None) -> float | None:
    if value is None or not ref:
        return None
    return 100.0 * (value - ref) / ref


def fmt(v, digits: int = 2) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        text = f"{v:.{digits}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text
    return str(v)


def write_csv(
    path: Path, rows: list[Row], bks: dict[str, Bks], budget: float, threads: int
) -> None:
    fo = {r.instance: r for r in rows if r.solver == "fieldopt"}
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        w.writeheader()
        for r in rows:
            b = bks.get(r.instance, Bks(None, None, None, None))
            ref = fo.get(r.instance)
            ratio = ref.distance / r.distance if ref and ref.ok and r.ok else None
            dist = r.distance if r.distance is not None else None
            w.writerow(
                {
                    "instance": r.instance,
                    "class": r.cls,
                    "solver": r.solver,
                    "status": r.status,
                    "feasible": str(r.feasible).lower(),
                    "complete": str(r.complete).lower(),
                    "vehicles": fmt(r.vehicles),
                    "distance": fmt(dist, 3),
                    "gap_bks_pct": fmt(pct(dist, b.distance), 3) if r.ok else "",
                    "gap_dimacs_pct": fmt(pct(dist, b.dimacs_distance), 3) if r.ok else "",
                    "fieldopt_ratio": fmt(ratio, 4),
                    "bks_vehicles": fmt(b.vehicles),
                    "bks_distance": fmt(b.distance, 2),
                    "dimacs_vehicles": fmt(b.dimacs_vehicles),
                    "dimacs_distance": fmt(b.dimacs_distance, 1),
                    "solver_distance": fmt(r.solver_distance, 3),
                    "wall_s": fmt(r.wall_s),
                    "cpu_s": fmt(r.cpu_s),
                    "budget_s": f"{budget:g}",
                    "threads": threads,
                    "violations": r.violations,
                    "note": r.note.replace("\n", " "),
                }
            )


def mean(xs: list[float]) -> float | None:
    return statistics.fmean(xs) if xs else None


def summarise(rows: list[Row], solvers: list[str], bks: dict[str, Bks]) -> dict:
    """Per-solver aggregates over the common set: instances where every solver that ran
    has a feasible, complete plan (so means compare like with like)."""
    by = {(r.instance, r.solver): r for r in rows}
    instances = list(dict.fromkeys(r.instance for r in rows))
    common = [i for i in instances if all(by.get((i, s)) and by[(i, s)].ok for s in solvers)]
    out = {"instances": instances, "common": common, "solvers": {}}
    for s in solvers:
        mine = [by[(i, s)] for i in instances if (i, s) in by]
        ok = [r for r in mine if r.ok]
        com = [by[(i, s)] for i in common]
        fo = [by[(i, "fieldopt")] for i in common if (i, "fieldopt") in by]
        ratios = [f.distance / r.distance for f, r in zip(fo, com)] if fo else []
        best = 0
        for i in common:
            d = by[(i, s)].distance
            if d <= min(by[(i, t)].distance for t in solvers) + 1e-6:
                best += 1
        out["solvers"][s] = {
            "ran": len(mine),
            "feasible": sum(r.feasible for r in mine),
            "ok": len(ok),
            "mean_vehicles": mean([r.vehicles for r in com]),
            "mean_distance": mean([r.distance for r in com]),
            "gap_bks": mean(
                [
                    pct(r.distance, bks[r.instance].distance)
                    for r in com
                    if r.instance in bks and bks[r.instance].distance
                ]
            ),
            "gap_dimacs": mean(
                [
                    pct(r.distance, bks[r.instance].dimacs_distance)
                    for r in com
                    if r.instance in bks and bks[r.instance].dimacs_distance
                ]
            ),
            "ratio": mean(ratios) if s != "fieldopt" else None,
            "best": best,
            "wall": mean([r.wall_s for r in mine if r.wall_s is not None]),
            "cpu": mean([r.cpu_s for r in mine if r.cpu_s is not None]),
        }
    return out


SUMMARY_NOTE = (
    "Every plan is checked by `shared/tools/check_plan.py` on the exact Euclidean problem and "
    "its distance recomputed from the routes. Gaps: to the hierarchical BKS (vehicles first) "
    "and to the distance-only DIMACS BKS (distances truncated to 1 decimal, so a negative gap "
    "against it is possible). fieldopt/peer: mean over instances of fieldopt's distance "
    "divided by the peer's (< 1: fieldopt shorter). best: instances where the solver has the "
    "shortest distance (ties count for each). wall / CPU: seconds per solve (CPU of all "
    "threads; below wall x threads when the machine is busy)."
)
SUMMARY_HEADER = (
    "| solver | version | feasible+complete | mean vehicles | mean distance | gap BKS % "
    "| gap DIMACS % | fieldopt/peer | best | wall s | CPU s |"
)
INSTANCE_NOTE = (
    "`INF` infeasible, `INC` incomplete (customers left out), `ERR`/`NONE`/`TIME` error, no "
    "solution, time-out. Bold: shortest feasible complete plan."
)


def write_md(
    path: Path, rows: list[Row], solvers: list[str], bks: dict[str, Bks], meta: dict
) -> str:
    s = summarise(rows, solvers, bks)
    by = {(r.instance, r.solver): r for r in rows}
    title = f"# fieldopt vs peers: {meta['set']}, {meta['budget']:g} s, {meta['threads']} thread(s)"
    lines = [title, ""]
    lines += [f"- {k}: {v}" for k, v in meta["setup"].items()]
    common = (
        f"Means over the {len(s['common'])} of {len(s['instances'])} instance(s) where every "
        "solver has a feasible, complete plan."
    )
    lines += [
        "",
        "## Summary",
        "",
        common,
        "",
        SUMMARY_NOTE,
        "",
        SUMMARY_HEADER,
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in solvers:
        a = s["solvers"][name]
        lines.append(
            f"| {name} | {meta['versions'].get(name) or '?'} | {a['ok']}/{a['ran']} | "
            f"{fmt(a['mean_vehicles'])} | {fmt(a['mean_distance'])} | {fmt(a['gap_bks'])} | "
            f"{fmt(a['gap_dimacs'])} | {fmt(a['ratio'], 4) or '-'} | {a['best']} | "
            f"{fmt(a['wall'])} | {fmt(a['cpu'])} |"
        )
    # Per class: mean distance and vehicles over the common set.
    lines += [
        "",
        "## Per class (common set): mean distance (mean vehicles)",
        "",
        "| class | n | " + " | ".join(solvers) + " |",
        "|---|---|" + "---|" * len(solvers),
    ]
    for cls in CLASSES:
        inst = [i for i in s["common"] if instance_class(i) == cls]
        if not inst:
            continue
        cells = []
        best = min(mean([by[(i, t)].distance for i in inst]) for t in solvers)
        for name in solvers:
            d = mean([by[(i, name)].distance for i in inst])
            v = mean([by[(i, name)].vehicles for i in inst])
            cell = f"{d:.2f} ({v:.1f})"
            cells.append(f"**{cell}**" if d <= best + 1e-6 else cell)
        lines.append(f"| {cls} | {len(inst)} | " + " | ".join(cells) + " |")
    # Per instance.
    lines += [
        "",
        "## Per instance: vehicles / distance (gap to hierarchical BKS %)",
        "",
        INSTANCE_NOTE,
        "",
        "| instance | BKS | DIMACS | " + " | ".join(solvers) + " |",
        "|---|---|---|" + "---|" * len(solvers),
    ]
    for i in s["instances"]:
        b = bks.get(i, Bks(None, None, None, None))
        oks = [by[(i, t)].distance for t in solvers if (i, t) in by and by[(i, t)].ok]
        best = min(oks) if oks else None
        cells = []
        for name in solvers:
            r = by.get((i, name))
            if r is None:
                cells.append("")
                continue
            if r.ok:
                cell = f"{r.vehicles} / {r.distance:.2f} ({fmt(pct(r.distance, b.distance))})"
                cells.append(f"**{cell}**" if r.distance <= best + 1e-6 else cell)
            elif r.distance is not None:
                tag = "INF" if not r.feasible else "INC"
                cells.append(f"{tag} {r.vehicles} / {r.distance:.2f}")
            else:
                tag = {"timeout": "TIME", "no_solution": "NONE"}.get(r.status, "ERR")
                cells.append(tag)
        dimacs = f"{fmt(b.dimacs_vehicles)} / {fmt(b.dimacs_distance, 1)}".strip(" /")
        lines.append(
            f"| {i} | {fmt(b.vehicles)} / {fmt(b.distance)} | {dimacs} | "
            + " | ".join(cells)
            + " |"
        )
    problems = [r for r in rows if not r.ok]
    if problems:
        lines += ["", "## Plans that do not count", ""]
        lines += [
            f"- {r.instance} {r.solver}: status {r.status}, feasible {fmt(r.feasible)}, "
            f"complete {fmt(r.complete)}, {r.violations} violation(s). "
            f"{r.note.splitlines()[0] if r.note else ''}"
            for r in problems
        ]
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Benchmark fieldopt against PyVRP, VROOM, OR-Tools and vrp-cli on "
        "Solomon / Gehring-Homberger VRPTW instances, with one checker."
    )
    ap.add_argument("--set", choices=sorted(SETS), default="solomon")
    pick = ap.add_mutually_exclusive_group()
    pick.add_argument("--instances", help="comma-separated names, e.g. C101,R101")
    pick.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="N instances per class (C1 C2 R1 R2 RC1 RC2), evenly spread",
    )
    ap.add_argument("--budget", type=float, default=5.0, help="wall seconds per solve")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--solvers",
        default=",".join(ALL_SOLVERS),
        help=f"comma-separated subset of {','.join(ALL_SOLVERS)}",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--venv", type=Path, default=Path.home() / ".cache/fieldopt/peers-venv")
    ap.add_argument(
        "--no-install",
        action="store_true",
        help="do not create the virtualenv or pip-install missing peers",
    )
    ap.add_argument("--no-build", action="store_true", help="use target/release/fieldopt as is")
    ap.add_argument("--out-dir", type=Path, default=REPO / "benches" / "results")
    ap.add_argument("--name", help="output stem (default peers_<set>_<budget>s[_sampleN])")
    ap.add_argument(
        "--work-dir",
        type=Path,
        help="keep problems, plans and raw results here (default: a temp dir)",
    )
    args = ap.parse_args(argv)
    solvers = []
    for s in args.solvers.split(","):
        s = ALIASES.get(s.strip().lower(), s.strip().lower())
        if s not in ALL_SOLVERS:
            ap.error(f"unknown solver {s!r}; choose from {','.join(ALL_SOLVERS)}")
        if s not in solvers:
            solvers.append(s)
    args.solvers = solvers
    if args.name is None:
        stem = f"peers_{args.set}_{args.budget:g}s"
        if args.sample:
            stem += f"_sample{args.sample}"
        elif args.instances:
            stem += "_custom"
        args.name = stem
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = SETS[args.set]
    checker = SHARED / "tools" / "check_plan.py"
    bks = read_bks(data_dir / "bks.csv")
    files = select_instances(data_dir, args.instances, args.sample)

    peers = [s for s in args.solvers if s != "fieldopt"]
    versions: dict[str, str | None] = {}
    if peers:
        versions.update(ensure_venv(args.venv, peers, install=not args.no_install))
    unavailable = [p for p in peers if not versions.get(p)]
    for p in unavailable:
        print(
            f"{p}: unavailable (not installed or does not import in {args.venv}); skipped",
            file=sys.stderr,
        )
    solvers = [s for s in args.solvers if s not in unavailable]
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="fieldopt-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    # A private copy of the CLI: the shared target/ may be rebuilt by someone else mid-run.
    binary = work / "fieldopt"
    built = build_fieldopt(args.no_build)
    shutil.copy2(built, binary)
    digest = hashlib.sha256(binary.read_bytes()).hexdigest()[:12]
    if "fieldopt" in solvers:
        versions["fieldopt"] = (
            f"{fieldopt_version(binary)} ({git_description()}; binary sha256 {digest})"
        )
    args.out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = args.out_dir / f"{args.name}.csv", args.out_dir / f"{args.name}.md"
    load_start = os.getloadavg()
    started = dt.datetime.now().astimezone()
    meta = {
        "set": args.set,
        "budget": args.budget,
        "threads": args.threads,
        "versions": versions,
        "setup": {
            "run": f"`python3 benches/compare_peers.py {' '.join(argv or sys.argv[1:])}`",
            "date": started.strftime("%Y-%m-%d %H:%M %Z"),
            "instances": f"{len(files)}: {', '.join(p.stem for p in files)}",
            "machine": f"{platform.machine()}, {os.cpu_count()} cores shared with other "
            "engineers' builds and tests during the run: timings are noisy "
            f"(load average {load_start[0]:.1f} at the start)",
            "budget": f"{args.budget:g} s wall per solve, {args.threads} thread(s) offered to "
            "every solver, one solver at a time, normal priority. PyVRP and "
            "OR-Tools are single-threaded (they use one of the threads for the whole "
            "budget); VROOM stops on its own when its search ends (often well "
            "before the budget); vrp-cli gets whole seconds",
            "fleet": "the file's vehicle count (25 Solomon, 50 Homberger 200); every solver "
            "minimises distance only (no vehicle cost)",
            "data": f"distance round(euclid x {SCALE}), travel time ceil(euclid x {SCALE}), "
            f"windows and service x {SCALE}, identical for all solvers",
            "unavailable": ", ".join(unavailable) or "none",
        },
    }

    unavailable_note = ""
    if unavailable:
        unavailable_note = f" (unavailable: {', '.join(unavailable)})"
    print(
        f"{len(files)} instance(s) x {', '.join(solvers)}{unavailable_note}, "
        f"{args.budget:g} s, {args.threads} thread(s); work dir {work}",
        file=sys.stderr,
    )
    rows: list[Row] = []
    for n, path in enumerate(files, 1):
        inst = read_instance(path)
        problem = work / f"{inst.name}.problem.json"
        subprocess.run(
            [
                str(binary),
                "convert",
                "solomon",
                str(path),
                "-o",
                str(problem),
            ],
            check=True,
            capture_output=True,
        )
        technicians = [t["id"] for t in json.loads(problem.read_text())["technicians"]]
        for solver in solvers:
            if solver == "fieldopt":
                result = run_fieldopt(binary, inst, work, args.budget, args.threads, args.seed)
            else:
                result = run_peer(
                    args.venv, solver, path, work, args.budget, args.threads, args.seed
                )
            row = check_routes(checker, problem, inst, technicians, result, solver, work)
            rows.append(row)
            print(
                f"[{n}/{len(files)}] {inst.name:8} {solver:8} {row.status:10} "
                f"feasible={fmt(row.feasible):3} complete={fmt(row.complete):3} "
                f"veh={fmt(row.vehicles):>3} dist={fmt(row.distance):>9} "
                f"wall={fmt(row.wall_s)} cpu={fmt(row.cpu_s)} {row.note[:80]}",
                file=sys.stderr,
            )
        (work / "rows.json").write_text(json.dumps([asdict(r) for r in rows]))
        meta["setup"]["load"] = (
            f"{load_start[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the last instance"
        )
        write_csv(csv_path, rows, bks, args.budget, args.threads)
        write_md(md_path, rows, solvers, bks, meta)
    took = (dt.datetime.now().astimezone() - started).total_seconds()
    meta["setup"]["took"] = f"{took / 60:.1f} min"
    print(write_md(md_path, rows, solvers, bks, meta))
    print(f"wrote {csv_path} and {md_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
