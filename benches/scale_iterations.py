#!/usr/bin/env python3
"""Time per ruin-and-recreate iteration against the size of the day (benchmark, not a test).

For each size (jobs 1k, 2k, 5k, 10k, 20k; one technician per ten jobs, the generated days
of `benches/scale.py`, `fieldopt generate --seed 7`), one process runs
`examples/iteration_time.rs`: a solve on one thread without decomposition (every iteration
works on the whole day), then the iterations done in a fixed window after the first
complete plan. It reports wall-clock and CPU milliseconds per iteration (CPU time is less
sensitive to the load of a shared machine), fits the growth exponent b of
`ms = a * jobs^b` by least squares on logarithms, and compares it with n log n, whose
local exponent over 1k..20k jobs is about 1.1.

Writes `benches/results/scale_iterations.csv` and `scale_iterations.md`.

    cargo build --release --no-default-features --features cli --example iteration_time --bin fieldopt
    python3 benches/scale_iterations.py [--sizes 1000,2000,5000,10000,20000] [--window 20]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benches" / "results"


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares (b, a) of log y = log a + b log x."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    n = len(lx)
    mx, my = sum(lx) / n, sum(ly) / n
    sxx = sum((x - mx) ** 2 for x in lx)
    b = sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sxx if sxx else float("nan")
    return b, math.exp(my - b * mx)


def nlogn_exponent(lo: float, hi: float) -> float:
    """The exponent of a power law through n log n at `lo` and `hi`."""
    return math.log((hi * math.log(hi)) / (lo * math.log(lo))) / math.log(hi / lo)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,2000,5000,10000,20000")
    ap.add_argument(
        "--window", type=float, default=20.0, help="seconds measured after the first plan"
    )
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument(
        "--travel",
        choices=["auto", "on_demand"],
        default="on_demand",
        help="travel lookups: on_demand at every size (default) or auto (dense up to 2,000 jobs)",
    )
    ap.add_argument("--target", default=os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target")))
    ap.add_argument("--data", default="/tmp/fieldopt-scale", help="where generated problems go")
    a = ap.parse_args()

    release = Path(a.target) / "release"
    cli, runner = release / "fieldopt", release / "examples" / "iteration_time"
    for exe in (cli, runner):
        if not exe.exists():
            print(f"missing {exe}: see the build line in --help", file=sys.stderr)
            return 2
    data = Path(a.data)
    data.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in [int(x) for x in a.sizes.split(",")]:
        doc = data / f"gen_{n}.json"
        if not doc.exists():
            gen = [str(cli), "generate", "--jobs", str(n), "--techs", str(max(1, n // 10))]
            subprocess.run([*gen, "--seed", "7", "-o", str(doc)], check=True)
        print(f"{n} jobs ...", file=sys.stderr, flush=True)
        out = subprocess.run(
            [str(runner), str(doc), str(a.window), str(a.threads), a.travel],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        r["load_avg"] = os.getloadavg()[0]
        print("   ", r, file=sys.stderr, flush=True)
        rows.append(r)

    keys = ["jobs", "technicians", "threads", "dense_travel", "first_plan_s", "window_s"]
    keys += ["iterations"]
    keys += ["ms_per_iteration", "cpu_ms_per_iteration", "assigned", "load_avg"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "scale_iterations.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)

    xs = [float(r["jobs"]) for r in rows]
    b_wall, _ = fit(xs, [r["ms_per_iteration"] for r in rows])
    b_cpu, _ = fit(xs, [r["cpu_ms_per_iteration"] for r in rows])
    ref = nlogn_exponent(min(xs), max(xs))
    base = rows[0]
    lines = [
        "# Time per iteration against the size of the day",
        "",
        f"`python3 benches/scale_iterations.py --sizes {a.sizes} --window {a.window:g} "
        f"--threads {a.threads} --travel {a.travel}`; machine: x86_64, 2 cores shared with other builds (load "
        "average in the table), so wall-clock times are indicative; CPU time is the steadier "
        "measure.",
        "",
        "Generated days (`fieldopt generate --seed 7`, one technician per ten jobs), solved "
        f"on {a.threads} thread(s) without decomposition, travel lookups {a.travel} (on demand: "
        "the same haversine evaluation at every size, so that the dense matrices of the "
        "small days do not pass for slower growth); iterations counted in the "
        f"{a.window:g} s after the first complete plan (ruin-and-recreate steps of the whole-"
        "day search). *vs n log n*: ms per iteration divided by n log n, relative to the "
        "smallest size (1.0 = growing exactly like n log n; below 1 = slower growth).",
        "",
        "| jobs | techs | first plan s | iterations | ms / iteration | CPU ms / iteration "
        "| CPU vs n log n | assigned | load avg |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    nl = lambda n: n * math.log(n)  # noqa: E731
    for r in rows:
        rel = (r["cpu_ms_per_iteration"] / nl(r["jobs"])) / (
            base["cpu_ms_per_iteration"] / nl(base["jobs"])
        )
        lines.append(
            f"| {r['jobs']} | {r['technicians']} | {r['first_plan_s']:.1f} | {r['iterations']} "
            f"| {r['ms_per_iteration']:.2f} | {r['cpu_ms_per_iteration']:.2f} | {rel:.2f} "
            f"| {r['assigned'] / r['jobs']:.1%} | {r['load_avg']:.1f} |"
        )
    verdict = "within" if b_cpu <= ref + 0.15 else "above"
    lines += [
        "",
        f"Fitted growth exponent (ms per iteration ~ jobs^b): **b = {b_cpu:.2f}** on CPU time, "
        f"{b_wall:.2f} on wall-clock time; n log n over {int(min(xs))}..{int(max(xs))} jobs "
        f"corresponds to b = {ref:.2f}, linear growth to 1.00. The growth is **{verdict}** "
        "about n log n (taken as b <= n log n's exponent + 0.15).",
        "",
    ]
    (RESULTS / "scale_iterations.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
