"""Runs one peer solver on one instance; started by ``compare_peers.py`` with the peers'
virtualenv's Python, so a crash or a hang of a peer cannot take the driver down.

    python worker.py SOLVER INSTANCE.txt --budget S --threads T --seed N --out RESULT.json
    python worker.py --versions        (prints {peer: version or null} as JSON)

RESULT.json: {"solver", "status", "routes" (customer node ids per route), "unassigned",
"objective" (solver's own, scaled x1000), "version", "wall_s" and "cpu_s" of the adapter
call (model building + solve; cpu_s is the process CPU time of all threads), "note"}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peers.instance import read_instance
from peers.solvers import PEERS

DISTRIBUTIONS = {"pyvrp": "pyvrp", "vroom": "pyvroom", "ortools": "ortools", "vrp-cli": "vrp-cli"}
MODULES = {"pyvrp": "pyvrp", "vroom": "vroom", "ortools": "ortools", "vrp-cli": "vrp_cli"}


def versions() -> dict[str, str | None]:
    """Version of each peer that imports here, None for one that does not."""
    from importlib import import_module
    from importlib.metadata import version

    out: dict[str, str | None] = {}
    for peer, module in MODULES.items():
        try:
            import_module(module)
            out[peer] = version(DISTRIBUTIONS[peer])
        except Exception:  # noqa: BLE001 - any failure means "unavailable"
            out[peer] = None
    return out


def run(solver: str, instance: str, budget: float, threads: int, seed: int) -> dict:
    inst = read_instance(instance)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        res = PEERS[solver](inst, budget, threads, seed)
    except Exception as exc:  # noqa: BLE001 - reported, the driver goes on
        return {
            "solver": solver,
            "status": "error",
            "routes": [],
            "unassigned": [],
            "note": f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}",
            "wall_s": time.perf_counter() - wall0,
            "cpu_s": time.process_time() - cpu0,
        }
    return {
        "solver": solver,
        "status": res.status,
        "routes": res.routes,
        "unassigned": res.unassigned,
        "objective": res.objective,
        "version": res.version,
        "note": res.note,
        "wall_s": time.perf_counter() - wall0,
        "cpu_s": time.process_time() - cpu0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("solver", nargs="?", choices=sorted(PEERS))
    ap.add_argument("instance", nargs="?")
    ap.add_argument("--budget", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out")
    ap.add_argument("--versions", action="store_true")
    args = ap.parse_args()
    if args.versions:
        print(json.dumps(versions()))
        return 0
    if not (args.solver and args.instance and args.out):
        ap.error("SOLVER, INSTANCE and --out are required")
    result = run(args.solver, args.instance, args.budget, args.threads, args.seed)
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
