"""Solomon / Gehring-Homberger instances and the integer data every solver is given.

Stdlib only: imported both by the driver (any Python 3.9+) and by the peer worker that runs
inside the peers' virtualenv.

Fair integer data (the same for every solver):
- distance(i, j) = round(euclid(i, j) * SCALE)
- travel time(i, j) = ceil(euclid(i, j) * SCALE)  (rounded up: a schedule feasible on these
  times is feasible in exact arithmetic)
- ready times, due dates and service times times SCALE (they are integers in the files).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

SCALE = 1000


@dataclass
class Instance:
    """One VRPTW instance; node 0 is the depot, nodes 1..n are the customers."""

    name: str
    vehicles: int
    capacity: int
    x: list[float]
    y: list[float]
    demand: list[int]
    ready: list[float]
    due: list[float]
    service: list[float]
    _euclid: list[list[float]] | None = field(default=None, repr=False)

    @property
    def customers(self) -> int:
        return len(self.x) - 1

    def euclid(self) -> list[list[float]]:
        """Exact (unrounded) Euclidean distances between all nodes."""
        if self._euclid is None:
            n = len(self.x)
            self._euclid = [
                [math.hypot(self.x[i] - self.x[j], self.y[i] - self.y[j]) for j in range(n)]
                for i in range(n)
            ]
        return self._euclid

    def int_distances(self) -> list[list[int]]:
        return [[round(d * SCALE) for d in row] for row in self.euclid()]

    def int_durations(self) -> list[list[int]]:
        return [[math.ceil(d * SCALE) for d in row] for row in self.euclid()]

    def int_ready(self) -> list[int]:
        return [round(v * SCALE) for v in self.ready]

    def int_due(self) -> list[int]:
        return [round(v * SCALE) for v in self.due]

    def int_service(self) -> list[int]:
        return [round(v * SCALE) for v in self.service]

    def route_distance(self, route: list[int]) -> float:
        """Exact distance of one route (customer node ids), depot to depot."""
        e = self.euclid()
        prev, total = 0, 0.0
        for node in route:
            total += e[prev][node]
            prev = node
        return total + e[prev][0]


def read_instance(path: str | Path) -> Instance:
    """Reads the Solomon text format (also used for the Gehring-Homberger files)."""
    lines = [ln.strip() for ln in Path(path).read_text().splitlines()]
    lines = [ln for ln in lines if ln]
    name = lines[0]
    i = next(k for k, ln in enumerate(lines) if ln.upper().startswith("NUMBER"))
    vehicles, capacity = (int(v) for v in lines[i + 1].split()[:2])
    cols: list[list[float]] = [[] for _ in range(7)]
    for ln in lines[i + 2 :]:
        parts = ln.split()
        if len(parts) < 7 or not parts[0].isdigit():
            continue  # the CUSTOMER and column-title lines
        for c in range(7):
            cols[c].append(float(parts[c]))
    ids = [int(v) for v in cols[0]]
    if ids != list(range(len(ids))):
        raise ValueError(f"{path}: customer numbers are not 0..n in order")
    return Instance(
        name=name,
        vehicles=vehicles,
        capacity=capacity,
        x=cols[1],
        y=cols[2],
        demand=[int(v) for v in cols[3]],
        ready=cols[4],
        due=cols[5],
        service=cols[6],
    )
