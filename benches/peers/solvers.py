"""One adapter per peer solver, run inside the peers' virtualenv by ``worker.py``.

Each adapter takes the instance, the wall budget in seconds, the thread count and a seed,
gives the solver the shared integer data of ``instance.py`` (distance x1000 rounded,
travel time x1000 rounded up, windows and service x1000), minimises distance only (no
vehicle cost: the DIMACS / PyVRP convention), limits the fleet to the file's vehicle count,
and returns a ``Result``: routes as lists of customer node ids (1..n), in visiting order.
The peer libraries are imported inside the adapters, so one missing peer does not stop the
others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .instance import Instance


@dataclass
class Result:
    routes: list[list[int]]
    version: str
    # Solver's own objective in scaled integer units (distance x1000), for cross-checks.
    objective: float | None = None
    # What the solver reported about unserved customers or failure.
    unassigned: list[int] = field(default_factory=list)
    status: str = "ok"
    note: str = ""


def _pkg_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def solve_pyvrp(inst: Instance, budget: float, threads: int, seed: int) -> Result:
    """PyVRP (hybrid genetic search / ILS); single-threaded, gets the whole wall budget."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    del threads  # PyVRP's solve() runs on one thread.
    dist, dur = inst.int_distances(), inst.int_durations()
    ready, due, service = inst.int_ready(), inst.int_due(), inst.int_service()
    m = Model()
    locs = [m.add_location(inst.x[i], inst.y[i], name=str(i)) for i in range(len(inst.x))]
    depot = m.add_depot(locs[0], tw_early=ready[0], tw_late=due[0])
    for i in range(1, len(locs)):
        m.add_client(
            locs[i],
            delivery=[inst.demand[i]],
            service_duration=service[i],
            tw_early=ready[i],
            tw_late=due[i],
            name=str(i),
        )
    m.add_vehicle_type(
        num_available=inst.vehicles,
        capacity=[inst.capacity],
        start_depot=depot,
        end_depot=depot,
        tw_early=ready[0],
        tw_late=due[0],
    )
    for i, frm in enumerate(locs):
        for j, to in enumerate(locs):
            if i != j:
                m.add_edge(frm, to, distance=dist[i][j], duration=dur[i][j])
    res = m.solve(stop=MaxRuntime(budget), seed=seed, display=False)
    data = m.data()
    routes = [
        [int(data.client(a.idx).name) for a in r.schedule() if a.is_client()]
        for r in res.best.routes()
    ]
    status = "ok" if res.is_feasible() else "infeasible"
    return Result(routes, _pkg_version("pyvrp"), float(res.best.distance()), status=status)


def solve_vroom(inst: Instance, budget: float, threads: int, seed: int) -> Result:
    """VROOM through pyvroom: maximal exploration level, the given threads, the budget as a
    timeout (VROOM usually stops on its own well before it)."""
    import vroom

    del seed  # VROOM is deterministic for a given input and thread count.
    dist, dur = inst.int_distances(), inst.int_durations()
    ready, due, service = inst.int_ready(), inst.int_due(), inst.int_service()
    inp = vroom.Input()
    inp.set_durations_matrix("car", dur)
    inp.set_distances_matrix("car", dist)
    inp.set_costs_matrix("car", dist)
    for k in range(inst.vehicles):
        inp.add_vehicle(
            vroom.Vehicle(
                k + 1,
                start=0,
                end=0,
                capacity=[inst.capacity],
                time_window=vroom.TimeWindow(ready[0], due[0]),
            )
        )
    for i in range(1, len(inst.x)):
        inp.add_job(
            vroom.Job(
                i,
                location=i,
                default_service=service[i],
                delivery=[inst.demand[i]],
                time_windows=[vroom.TimeWindow(ready[i], due[i])],
            )
        )
    sol = inp.solve(exploration_level=5, nb_threads=threads, timeout=timedelta(seconds=budget))
    df = sol.routes
    jobs = df[df["type"] == "job"]
    routes = [[int(v) for v in grp["id"]] for _, grp in jobs.groupby("vehicle_id", sort=True)]
    unassigned = [int(u["id"]) for u in sol.to_dict().get("unassigned", [])]
    return Result(
        routes,
        _pkg_version("pyvroom"),
        float(sol.summary.cost),
        unassigned=unassigned,
        status="ok" if not unassigned else "incomplete",
    )


def solve_ortools(inst: Instance, budget: float, threads: int, seed: int) -> Result:
    """OR-Tools routing: parallel cheapest insertion, then guided local search until the time
    limit. Its routing search is single-threaded."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    del threads, seed  # single-threaded and deterministic
    dist, dur = inst.int_distances(), inst.int_durations()
    ready, due, service = inst.int_ready(), inst.int_due(), inst.int_service()
    n, fleet = len(dist), inst.vehicles
    mgr = pywrapcp.RoutingIndexManager(n, fleet, 0)
    routing = pywrapcp.RoutingModel(mgr)

    def distance_cb(i: int, j: int) -> int:
        return dist[mgr.IndexToNode(i)][mgr.IndexToNode(j)]

    def time_cb(i: int, j: int) -> int:
        u, v = mgr.IndexToNode(i), mgr.IndexToNode(j)
        return service[u] + dur[u][v]

    def demand_cb(i: int) -> int:
        return inst.demand[mgr.IndexToNode(i)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance_cb))
    horizon = due[0]
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for node in range(1, n):
        time_dim.CumulVar(mgr.NodeToIndex(node)).SetRange(ready[node], due[node])
    for v in range(fleet):
        time_dim.CumulVar(routing.Start(v)).SetRange(ready[0], due[0])
        time_dim.CumulVar(routing.End(v)).SetRange(ready[0], due[0])
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand_cb), 0, [inst.capacity] * fleet, True, "Load"
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(budget * 1000))
    sol = routing.SolveWithParameters(params)
    version = _pkg_version("ortools")
    if sol is None:
        return Result([], version, status="no_solution", note=f"routing status {routing.status()}")
    routes = []
    for v in range(fleet):
        idx = sol.Value(routing.NextVar(routing.Start(v)))
        route = []
        while not routing.IsEnd(idx):
            route.append(mgr.IndexToNode(idx))
            idx = sol.Value(routing.NextVar(idx))
        if route:
            routes.append(route)
    return Result(routes, version, float(sol.ObjectiveValue()))


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _timestamp(t: int) -> str:
    return (_EPOCH + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")


def vrp_cli_documents(inst: Instance, budget: float, threads: int) -> tuple[dict, dict, dict]:
    """The pragmatic problem, routing matrix and solver config of vrp-cli (reinterpretcat/vrp).

    Locations are matrix indices; times are whole seconds from an arbitrary epoch (the
    scaled data are integers); cost = distance only; objectives: serve every job first,
    then cost (no tour-count objective, the same distance-only goal as the others)."""
    dist, dur = inst.int_distances(), inst.int_durations()
    ready, due, service = inst.int_ready(), inst.int_due(), inst.int_service()
    n = len(dist)
    jobs = [
        {
            "id": str(i),
            "deliveries": [
                {
                    "places": [
                        {
                            "location": {"index": i},
                            "duration": service[i],
                            "times": [[_timestamp(ready[i]), _timestamp(due[i])]],
                        }
                    ],
                    "demand": [inst.demand[i]],
                }
            ],
        }
        for i in range(1, n)
    ]
    vehicle = {
        "typeId": "vehicle",
        "vehicleIds": [f"v{k + 1}" for k in range(inst.vehicles)],
        "profile": {"matrix": "car"},
        "costs": {"fixed": 0, "distance": 1, "time": 0},
        "shifts": [
            {
                "start": {"earliest": _timestamp(ready[0]), "location": {"index": 0}},
                "end": {"latest": _timestamp(due[0]), "location": {"index": 0}},
            }
        ],
        "capacity": [inst.capacity],
    }
    problem = {
        "plan": {"jobs": jobs},
        "fleet": {"vehicles": [vehicle], "profiles": [{"name": "car"}]},
        "objectives": [[{"type": "minimize-unassigned"}], [{"type": "minimize-cost"}]],
    }
    matrix = {
        "profile": "car",
        "travelTimes": [dur[i][j] for i in range(n) for j in range(n)],
        "distances": [dist[i][j] for i in range(n) for j in range(n)],
    }
    config = {
        "termination": {"maxTime": max(1, round(budget)), "maxGenerations": 1_000_000_000},
        "environment": {
            "parallelism": {"numThreadPools": 1, "threadsPerPool": threads},
            "logging": {"enabled": False},
        },
        "telemetry": {
            "progress": {
                "enabled": False,
                "logBest": 100,
                "logPopulation": 1000,
                "dumpPopulation": False,
            },
        },
    }
    return problem, matrix, config


def solve_vrp_cli(inst: Instance, budget: float, threads: int, seed: int) -> Result:
    """vrp-cli (reinterpretcat/vrp, rosomaxa evolutionary search) through its Python module,
    with its own pragmatic JSON format, the budget as maxTime (whole seconds)."""
    import vrp_cli

    del seed  # not exposed by the Python module
    problem, matrix, config = vrp_cli_documents(inst, budget, threads)
    out = vrp_cli.solve_pragmatic(
        problem=json.dumps(problem), matrices=[json.dumps(matrix)], config=json.dumps(config)
    )
    sol = json.loads(out)
    routes = []
    for tour in sol.get("tours", []):
        route = [
            int(act["jobId"])
            for stop in tour["stops"]
            for act in stop["activities"]
            if act["type"] == "delivery"
        ]
        if route:
            routes.append(route)
    unassigned = [int(u["jobId"]) for u in sol.get("unassigned", []) or []]
    return Result(
        routes,
        _pkg_version("vrp-cli"),
        float(sol["statistic"]["distance"]),
        unassigned=unassigned,
        status="ok" if not unassigned else "incomplete",
    )


PEERS = {
    "pyvrp": solve_pyvrp,
    "vroom": solve_vroom,
    "ortools": solve_ortools,
    "vrp-cli": solve_vrp_cli,
}
