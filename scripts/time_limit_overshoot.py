#!/usr/bin/env python3
"""How far past `--time-limit` does a solve run? 100 solves of generated problems of mixed
sizes (100 / 500 / 2000 jobs) with limits of 1-5 s, measured two ways:

* in-process (`examples/time_limit.rs`): time spent inside `fieldopt::solve`, which is what
  the limit bounds, with the phases (construction, search loop, final repair + plan);
* end to end (`target/release/fieldopt solve`): process wall time. `--time-limit` of the
  CLI covers the whole run (reading, validating, the travel matrices, the solve, writing
  and checking the plan), so this is what it must hold too. The jobs the plan assigns are
  recorded as well: a limit that reading uses up gives a complete but poor plan.

Usage:  scripts/time_limit_overshoot.py [--runs 100] [--threads 2] [--cli-runs 20] [--csv OUT]
Needs:  cargo build --release --features cli && cargo build --release --example time_limit
        (in $CARGO_TARGET_DIR when set, else target/; or --target-dir DIR)
Takes about (sum of limits) + overshoot: ~6 minutes for 100 runs, ~1 more for 20 CLI runs.
The CSV holds the in-process rows (mode in_process) and then the CLI rows (mode cli: only
file, jobs, limit, solve_s = process wall time, over_s, over_pct and assigned).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = [(100, 10), (500, 50), (2000, 100)]  # (jobs, technicians)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cli-runs", type=int, default=20, help="end-to-end CLI runs (0: none)")
    ap.add_argument("--csv", type=Path, help="write the in-process rows here")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--target-dir",
        type=Path,
        default=Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")),
        help="cargo target directory (default: $CARGO_TARGET_DIR, else target/)",
    )
    a = ap.parse_args()
    target = a.target_dir / "release"
    fo, ex = target / "fieldopt", target / "examples" / "time_limit"
    for exe, how in [(fo, "--features cli"), (ex, "--example time_limit")]:
        if not exe.exists():
            sys.exit(f"{exe} missing: cargo build --release {how}")
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory(prefix="fieldopt-tl-") as tmp:
        files = {}
        for jobs, techs in SIZES:
            p = Path(tmp) / f"gen_{jobs}.json"
            subprocess.run(
                [
                    str(fo),
                    "generate",
                    "--jobs",
                    str(jobs),
                    "--techs",
                    str(techs),
                    "--seed",
                    "11",
                    "-o",
                    str(p),
                ],
                check=True,
            )
            files[jobs] = p
        plan = [(rng.choice(SIZES)[0], rng.randint(1, 5)) for _ in range(a.runs)]
        args = [str(ex), "--threads", str(a.threads)] + [f"{files[j]}:{lim}" for j, lim in plan]
        load0 = _load()
        t0 = time.time()
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        took = time.time() - t0
        rows = list(csv.DictReader(io.StringIO(out.replace(tmp + "/", ""))))
        print(
            f"in-process: {len(rows)} solves, threads {a.threads}, {took:.0f} s, load average {load0} -> {_load()}"
        )
        _summary(rows)
        if a.cli_runs:
            cli = []
            for j, lim in plan[: a.cli_runs]:
                outp = Path(tmp) / "plan.json"
                t = time.perf_counter()
                subprocess.run(
                    [
                        str(fo),
                        "solve",
                        str(files[j]),
                        "-o",
                        str(outp),
                        "--quiet",
                        "--time-limit",
                        str(lim),
                        "--threads",
                        str(a.threads),
                    ],
                    check=True,
                )
                wall = time.perf_counter() - t
                assigned = json.loads(outp.read_text(encoding="utf-8"))["kpis"]["assigned"]
                cli.append((j, lim, wall, assigned))
            worst = max(cli, key=lambda r: (r[2] - r[1]) / r[1])
            over5 = sum(1 for r in cli if r[2] > 1.05 * r[1])
            print(
                f"end to end (CLI process, {len(cli)} runs, load average {_load()}): worst {worst[2]:.3f} s for a "
                f"{worst[1]} s limit on {worst[0]} jobs ({worst[2] - worst[1]:+.3f} s, "
                f"{100 * (worst[2] - worst[1]) / worst[1]:+.1f} %); runs over 5 %: {over5} of {len(cli)}"
            )
            for jobs in sorted({r[0] for r in cli}):
                rs = [r for r in cli if r[0] == jobs]
                over = [r[2] - r[1] for r in rs]
                pct = [100 * (r[2] - r[1]) / r[1] for r in rs]
                print(
                    f"  {jobs:5} jobs, {len(rs):2} runs: overshoot max {max(over):+.3f} s ({max(pct):+.1f} %), "
                    f"mean {sum(over) / len(over):+.3f} s; assigned {min(r[3] for r in rs)}-{max(r[3] for r in rs)}"
                )
            for r in cli:
                rows.append(
                    {
                        "file": f"gen_{r[0]}.json",
                        "jobs": str(r[0]),
                        "limit": str(r[1]),
                        "solve_s": f"{r[2]:.4f}",
                        "over_s": f"{r[2] - r[1]:.4f}",
                        "over_pct": f"{100 * (r[2] - r[1]) / r[1]:.2f}",
                        "mode": "cli",
                        "assigned": str(r[3]),
                    }
                )
        if a.csv:
            fields = list(csv.DictReader(io.StringIO(out)).fieldnames or [])
            with a.csv.open("w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=fields + ["mode", "assigned"], restval="")
                w.writeheader()
                for r in rows:
                    w.writerow({**r, "mode": r.get("mode", "in_process")})
    return 0


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def _summary(rows: list[dict[str, str]]) -> None:
    f = lambda r, k: float(r[k])  # noqa: E731
    worst = max(rows, key=lambda r: f(r, "over_pct"))
    over5 = [r for r in rows if f(r, "over_pct") > 5.0]
    print(
        f"worst overshoot: {f(worst, 'over_s'):+.3f} s ({f(worst, 'over_pct'):+.1f} %) on {worst['jobs']} jobs, "
        f"limit {worst['limit']} s; runs over 5 %: {len(over5)} of {len(rows)}"
    )
    print(
        "  jobs  runs  parse_s  over_s max  over_% max  over_s mean  construct_s max  tail_s max  write_s max"
    )
    for jobs in sorted({int(r["jobs"]) for r in rows}):
        rs = [r for r in rows if int(r["jobs"]) == jobs]
        m = lambda k: max(f(r, k) for r in rs)  # noqa: E731
        mean = sum(f(r, "over_s") for r in rs) / len(rs)
        print(
            f"  {jobs:5} {len(rs):4}  {m('parse_s'):7.3f}  {m('over_s'):+10.3f}  {m('over_pct'):+9.1f}  "
            f"{mean:+11.3f}  {m('construct_s'):15.3f}  {m('tail_s'):10.3f}  {m('write_s'):10.3f}"
        )
    if over5:
        print("runs over 5 % (where the time went):")
        for r in sorted(over5, key=lambda r: -f(r, "over_pct"))[:10]:
            print(
                f"  {r['jobs']} jobs, limit {r['limit']} s: solve {f(r, 'solve_s'):.3f} s; first solution at "
                f"{f(r, 'construct_s'):.3f} s, search loop ended {f(r, 'search_end_s'):.3f} s, "
                f"final repair + local search + plan {f(r, 'tail_s'):.3f} s"
            )


if __name__ == "__main__":
    sys.exit(main())
