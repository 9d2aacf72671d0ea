#!/usr/bin/env python3
"""Scale benchmark (not a test): large generated days and the road-graph matrix build.

For each size (jobs 1k, 2k, 5k, 10k, 20k; one technician per ten jobs, from
`fieldopt generate --seed 7`) and thread count (1, 2), one process runs
`examples/scale_run.rs`: parse time, time to the first complete plan (every plan of the
engine is feasible; the first exists once construction is done), the best objective over
time, the assigned share and the peak resident memory. Then `examples/road_matrix.rs`
builds the travel matrix of 2,000 locations on a 50,000-node road grid with our CSR
Dijkstra kernel (1 and 2 threads) and petgraph's dijkstra.

Writes `benches/results/scale.csv`, `scale.json` (with the objective curves),
`scale_road_matrix.json`, `scale.md` and `scale.png` (when matplotlib is installed).

    cargo build --release --no-default-features --features cli --examples --bin fieldopt
    python3 benches/scale.py [--sizes 1000,2000,5000] [--threads 1,2] [--time-limit 30]
                             [--cap 900] [--target DIR]

`--cap` is a wall-clock ceiling per run in seconds: a run that has not finished by then
(construction is not bounded by the time limit) is recorded as not finished. The machine
the committed results come from is noted in scale.md: numbers from a shared 2-core box
are indicative.

`--append` keeps the rows already in scale.json (other sizes or thread counts, e.g. a
separate 20,000-job run with `--time-limit 300`) and replaces only those measured now.
When `benches/results/scale_before.json` exists (rows of an earlier version of the
solver), scale.md also gets a before/after table by size and thread count.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benches" / "results"


def target_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("CARGO_TARGET_DIR")
    return Path(env) if env else ROOT / "target"


def run_json(cmd: list[str], cap: float) -> dict | None:
    """Runs `cmd`, returns the JSON object it prints, or None on a timeout or failure.
    Adds `cpu_s`: CPU seconds (user + system) the run used, all its threads together,
    which depends far less on the load of a shared machine than wall-clock times do."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        out = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        print(out.stderr[-2000:], file=sys.stderr)
        return None
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,2000,5000,10000,20000")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--cap", type=float, default=900.0)
    ap.add_argument(
        "--target", default=None, help="cargo target dir (default $CARGO_TARGET_DIR or target/)"
    )
    ap.add_argument("--data", default="/tmp/fieldopt-scale", help="where generated problems go")
    ap.add_argument("--no-road", action="store_true", help="skip the road-graph matrix build")
    ap.add_argument(
        "--append",
        action="store_true",
        help="keep rows of scale.json not measured now (other sizes, threads or limits)",
    )
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="only rewrite scale.md and scale.png from scale.json and scale_road_matrix.json",
    )
    a = ap.parse_args()
    if a.render_only:
        rows = json.loads((RESULTS / "scale.json").read_text())
        road_file = RESULTS / "scale_road_matrix.json"
        road_res = json.loads(road_file.read_text()) if road_file.exists() else None
        write_markdown(rows, road_res, a)
        plot(rows)
        return 0

    release = target_dir(a.target) / "release"
    cli, runner, road = (
        release / "fieldopt",
        release / "examples" / "scale_run",
        release / "examples" / "road_matrix",
    )
    for exe in (cli, runner) + (() if a.no_road else (road,)):
        if not exe.exists():
            print(
                f"missing {exe}: build with cargo build --release --no-default-features "
                "--features cli --examples --bin fieldopt",
                file=sys.stderr,
            )
            return 2
    data = Path(a.data)
    data.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)

    rows: list[dict] = []
    for n in [int(x) for x in a.sizes.split(",")]:
        doc = data / f"gen_{n}.json"
        if not doc.exists():
            subprocess.run(
                [
                    str(cli),
                    "generate",
                    "--jobs",
                    str(n),
                    "--techs",
                    str(max(1, n // 10)),
                    "--seed",
                    "7",
                    "-o",
                    str(doc),
                ],
                check=True,
            )
        for t in [int(x) for x in a.threads.split(",")]:
            print(f"{n} jobs, {t} thread(s) ...", file=sys.stderr, flush=True)
            r = run_json([str(runner), str(doc), str(t), str(a.time_limit)], a.cap)
            if r is None:
                r = {"jobs": n, "technicians": n // 10, "threads": t, "finished": False}
            else:
                r["finished"] = True
            rows.append(r)
            print("   ", {k: v for k, v in r.items() if k != "curve"}, file=sys.stderr, flush=True)

    if a.append and (RESULTS / "scale.json").exists():
        new_keys = {(r["jobs"], r["threads"], r.get("time_limit_s", a.time_limit)) for r in rows}
        kept = [
            r
            for r in json.loads((RESULTS / "scale.json").read_text())
            if (r["jobs"], r["threads"], r.get("time_limit_s")) not in new_keys
        ]
        rows = sorted(
            kept + rows, key=lambda r: (r.get("time_limit_s") or 0, r["jobs"], r["threads"])
        )

    road_res = None
    road_file = RESULTS / "scale_road_matrix.json"
    if a.no_road and road_file.exists():
        road_res = json.loads(road_file.read_text())
    if not a.no_road:
        print("road graph 50,000 nodes x 2,000 locations ...", file=sys.stderr, flush=True)
        road_res = run_json([str(road), "50000", "2000", "200"], a.cap)
        (RESULTS / "scale_road_matrix.json").write_text(json.dumps(road_res, indent=2) + "\n")

    cols = [
        "jobs",
        "technicians",
        "threads",
        "time_limit_s",
        "finished",
        "dense_travel",
        "parse_s",
        "first_plan_s",
        "solve_s",
        "iterations",
        "assigned",
        "assigned_share",
        "objective",
        "cpu_s",
        "peak_rss_mib",
    ]
    with open(RESULTS / "scale.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    (RESULTS / "scale.json").write_text(json.dumps(rows, indent=1) + "\n")
    write_markdown(rows, road_res, a)
    plot(rows)
    return 0


def fmt(v: object, spec: str = ".2f") -> str:
    return "-" if v is None else format(v, spec) if isinstance(v, float) else str(v)


def write_markdown(rows: list[dict], road: dict | None, a: argparse.Namespace) -> None:
    lines = [
        "# Scale benchmark",
        "",
        (
            f"`python3 benches/scale.py --sizes {a.sizes} --threads {a.threads} "
            f"--time-limit {a.time_limit} --cap {a.cap}`; machine: {platform.machine()}, "
            f"{os.cpu_count()} cores, shared with other builds (load varied), so times are indicative."
        ),
        "",
        (
            "Generated days (`fieldopt generate --seed 7`, one technician per ten jobs, haversine "
            "travel). *first plan*: seconds from the start of the solve to the first plan the "
            "solver publishes: the end of construction (every plan of the engine is feasible, "
            "each job routed or unassigned), or the time limit cutting construction short, in "
            "which case *assigned* is low and *iterations* 0; *solve*: including the search up "
            "to the time limit; *CPU s*: CPU time of the whole process, all threads (less "
            "sensitive to the machine's load than the wall-clock columns; at 2 threads on a "
            "machine shared with other jobs it shows how much of the two cores the run got); "
            "*peak*: peak resident memory of the whole process (parse + solve)."
        ),
        "",
        (
            "Solver: regret construction over each job's 32 nearest candidate technicians (all "
            "candidates as a fallback), ruin-and-recreate steps that touch only nearby routes and "
            "undo rejected changes in place; above 3,000 jobs the day is split into geographic "
            "parts of about 1,500 jobs solved in parallel (dense travel inside each part), merged, "
            "then searched as a whole. *iterations* counts the steps of the part searches and of "
            "the whole-plan search together."
        ),
        "",
        (
            "| jobs | techs | threads | limit s | travel | parse s | first plan s | solve s "
            "| CPU s | iterations | assigned | peak MiB |"
        ),
        "| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        limit = fmt(r.get("time_limit_s", a.time_limit), ".0f")
        if not r.get("finished"):
            lines.append(
                f"| {r['jobs']} | {r['technicians']} | {r['threads']} | {limit} | | | not "
                f"within {a.cap:.0f} s | | | | | |"
            )
            continue
        lines.append(
            f"| {r['jobs']} | {r['technicians']} | {r['threads']} | {limit} | "
            f"{'dense' if r['dense_travel'] else 'on demand'} | {fmt(r['parse_s'])} | "
            f"{fmt(r['first_plan_s'])} | {fmt(r['solve_s'])} | {fmt(r.get('cpu_s'), '.0f')} | "
            f"{r['iterations']} | {100 * r['assigned_share']:.1f} % | "
            f"{fmt(r['peak_rss_mib'], '.0f')} |"
        )
    before_file = RESULTS / "scale_before.json"
    if before_file.exists():
        before = {
            (b["jobs"], b["threads"]): b
            for b in json.loads(before_file.read_text())
            if b.get("finished")
        }
        lines += [
            "",
            "## Before and after (issue 7, one machine)",
            "",
            (
                "*Before*: `scale_before.json`, the solver without candidate pruning, in-place "
                "steps or decomposition, same script, same generated days, 30 s limit. "
                "Both measured on the shared 2-core machine under varying load."
            ),
            "",
            (
                "| jobs | threads | first plan s before / after | iterations before / after "
                "| assigned before / after | peak MiB before / after |"
            ),
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in rows:
            b = before.get((r["jobs"], r["threads"]))
            if b is None or not r.get("finished") or r.get("time_limit_s") != b.get("time_limit_s"):
                continue
            lines.append(
                f"| {r['jobs']} | {r['threads']} | {fmt(b['first_plan_s'])} / "
                f"{fmt(r['first_plan_s'])} | {b['iterations']} / {r['iterations']} | "
                f"{100 * b['assigned_share']:.1f} % / {100 * r['assigned_share']:.1f} % | "
                f"{fmt(b['peak_rss_mib'], '.0f')} / {fmt(r['peak_rss_mib'], '.0f')} |"
            )
    if road:
        lines += [
            "",
            "## Road-graph matrix build",
            "",
            (
                f"Synthetic grid (`generate::road_grid`): {road['nodes']} nodes, {road['edges']} "
                f"directed edges; {road['locations']} random locations snapped to "
                f"{road['distinct_nodes']} distinct nodes (snap {road['snap_s']:.3f} s, graph "
                f"build {road['graph_build_s']:.2f} s)."
            ),
            "",
            "| kernel | threads | seconds | ms per source and thread |",
            "| --- | ---: | ---: | ---: |",
            (
                f"| own CSR Dijkstra | 1 | {road['own_kernel_1_thread_s']:.1f} | "
                f"{1000 * road['own_kernel_1_thread_s'] / road['distinct_nodes']:.1f} |"
            ),
            (
                f"| own CSR Dijkstra | 2 | {road['own_kernel_2_threads_s']:.1f} | "
                f"{2000 * road['own_kernel_2_threads_s'] / road['distinct_nodes']:.1f} |"
            ),
            (
                f"| petgraph dijkstra (estimated from {road['petgraph_sources_timed']} sources) | 2 | "
                f"{road['petgraph_2_threads_s_est']:.1f} | "
                f"{2000 * road['petgraph_2_threads_s_est'] / road['distinct_nodes']:.1f} |"
            ),
            "",
            f"Matrix: {road['matrix_mb']:.0f} MB; reachable pairs {100 * road['reachable_share']:.1f} %.",
        ]
    (RESULTS / "scale.md").write_text("\n".join(lines) + "\n")


def plot(rows: list[dict]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot", file=sys.stderr)
        return
    done = [r for r in rows if r.get("finished")]
    if not done:
        return
    # Size curves from the shortest limit (the sweep); longer single runs only in panel 3.
    short = min(r.get("time_limit_s") or 0 for r in done)
    fig, axes = plt.subplots(1, 4, figsize=(19, 4.2))
    for t in sorted({r["threads"] for r in done}):
        rs = sorted(
            (r for r in done if r["threads"] == t and (r.get("time_limit_s") or 0) == short),
            key=lambda r: r["jobs"],
        )
        xs = [r["jobs"] for r in rs]
        axes[0].plot(xs, [r["first_plan_s"] for r in rs], "o-", label=f"{t} thread(s)")
        axes[1].plot(xs, [r["peak_rss_mib"] for r in rs], "o-", label=f"{t} thread(s)")
        axes[3].plot(xs, [100 * r["assigned_share"] for r in rs], "o-", label=f"{t} thread(s)")
    for r in done:
        if r["threads"] == max(x["threads"] for x in done) and r.get("curve"):
            ts = [c[0] for c in r["curve"]]
            obj = [c[1] / r["curve"][-1][1] for c in r["curve"]]
            axes[2].plot(ts, obj, label=f"{r['jobs']} jobs, {r.get('time_limit_s', 0):.0f} s")
    axes[0].set(
        xscale="log",
        yscale="log",
        xlabel="jobs",
        ylabel="s",
        title="time to first plan (cut by the limit?)",
    )
    axes[1].set(xscale="log", xlabel="jobs", ylabel="MiB", title="peak resident memory")
    axes[2].set(
        xlabel="s since solve start",
        ylabel="best objective / final",
        title="objective over time (most threads)",
    )
    axes[3].set(xscale="log", xlabel="jobs", ylabel="%", title="jobs assigned at the end")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(RESULTS / "scale.png", dpi=110)


if __name__ == "__main__":
    sys.exit(main())
