#!/usr/bin/env python3
"""Wall time of a 200-scenario sweep (`fieldopt.distributed.sweep`) on a LocalCluster of
1 and of 2 single-threaded worker processes (a benchmark, not a test).

The problem is a generated day (`fieldopt generate --jobs JOBS --techs JOBS/10 --seed 7`,
through the CLI of the cargo target directory); the scenarios are the 4 presets
default, min_travel, best_skill_fit and favourite_first x 50 seeds, each with a fixed
iteration budget, so both runs compute the very same 200 plans (checked).

    python3 benches/sweep_dask.py [--jobs 100] [--iterations 1000] [--target DIR]

Writes benches/results/sweep_dask.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benches" / "results"
POLICIES = ["default", "min_travel", "best_skill_fit", "favourite_first"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=100)
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--seeds", type=int, default=50)
    ap.add_argument("--target", default=os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target")))
    a = ap.parse_args()

    import distributed
    from fieldopt.distributed import sweep

    cli = Path(a.target) / "release" / "fieldopt"
    out = subprocess.run(
        [str(cli), "generate", "--jobs", str(a.jobs), "--techs", str(max(1, a.jobs // 10))]
        + ["--seed", "7"],
        check=True,
        capture_output=True,
        text=True,
    )
    problem = out.stdout
    runs = []
    frames = []
    for workers in (1, 2):
        with (
            distributed.LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            t0 = time.perf_counter()
            df = sweep(problem, POLICIES, range(a.seeds), client, iterations=a.iterations)
            wall = time.perf_counter() - t0
        frames.append(df)
        runs.append({"workers": workers, "scenarios": len(df), "wall_s": wall})
        print(runs[-1], file=sys.stderr, flush=True)
    same = frames[0].equals(frames[1])
    RESULTS.mkdir(parents=True, exist_ok=True)
    info = {
        "jobs": a.jobs,
        "iterations": a.iterations,
        "runs": runs,
        "same_table": same,
        "cores": os.cpu_count(),
    }
    (RESULTS / "sweep_dask.json").write_text(json.dumps(info, indent=2) + "\n")
    lines = [
        "# 200-scenario sweep on a LocalCluster",
        "",
        (
            f"`python3 benches/sweep_dask.py --jobs {a.jobs} --iterations {a.iterations}`: "
            f"{len(POLICIES)} presets x {a.seeds} seeds on a generated day of {a.jobs} jobs, "
            f"{a.iterations} iterations per solve, {os.cpu_count()} cores shared with other "
            "work (indicative)."
        ),
        "",
        "| workers | scenarios | wall s | s per scenario |",
        "| ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['workers']} | {r['scenarios']} | {r['wall_s']:.1f} | "
        f"{r['wall_s'] / r['scenarios']:.2f} |"
        for r in runs
    ]
    lines += ["", f"Both runs gave the same KPI table: {same}."]
    (RESULTS / "sweep_dask.md").write_text("\n".join(lines) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
