"""Technician routes on a map."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..result import Result
from ._common import axes, colours, problem_of

__all__ = ["plot_routes"]


def _xy(loc: Any) -> tuple[float, float] | None:
    """(x, y) to draw: (lon, lat) for geographic locations."""
    if isinstance(loc, Mapping):
        if "lat" in loc:
            return float(loc["lon"]), float(loc["lat"])
        if "x" in loc:
            return float(loc["x"]), float(loc["y"])
    return None


def plot_routes(
    result: Result,
    problem: Any = None,
    ax: Any = None,
    *,
    technicians: Sequence[str] | None = None,
    show_unassigned: bool = True,
    legend: bool | None = None,
) -> Any:
    """Draws each technician's route on a map: start, jobs in visiting order, end.

    Longitude and latitude are drawn with the aspect ``1 / cos(mean latitude)``, so
    distances look right at the problem's latitude (planar ``x``/``y`` problems are
    drawn with equal axes). Jobs left unassigned are grey crosses.

    Parameters
    ----------
    result : fieldopt.Result
        The plan.
    problem : fieldopt.Problem, dict or path, optional
        Its problem (for the coordinates); default ``result.problem``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    technicians : sequence of str, optional
        Only these technicians' routes.
    show_unassigned : bool, default True
        Draw the unassigned jobs.
    legend : bool, optional
        Show a legend of technicians; default when there are at most 12 routes.

    Returns
    -------
    matplotlib.axes.Axes
        One line per route drawn (``ax.lines``), one scatter of the route's jobs
        and one of its start (``ax.collections``), and one scatter of the unassigned
        jobs when there are any.

    Raises
    ------
    ValueError
        The problem has matrix travel (no coordinates), or is unknown.

    Examples
    --------
    >>> from fieldopt.plotting import plot_routes
    >>> ax = plot_routes(result)  # doctest: +SKIP
    """
    doc = problem_of(result, problem)
    travel = doc.get("travel") or {}
    if travel.get("kind") == "matrix":
        raise ValueError("plot_routes needs coordinates; this problem has matrix travel")
    geo = travel.get("kind") == "haversine"
    jobs = {j.get("id"): j for j in doc.get("jobs", [])}
    techs = {t.get("id"): t for t in doc.get("technicians", [])}
    routes = [
        r
        for r in result.plan.get("routes", [])
        if r.get("stops") and (technicians is None or r.get("technician") in technicians)
    ]
    ax = axes(ax, (8.0, 7.0))
    palette = colours(len(routes))
    for route, colour in zip(routes, palette):
        tech = techs.get(route.get("technician")) or {}
        start = _xy(tech.get("start"))
        end = _xy(tech.get("end", tech.get("start")))
        stops = [
            _xy((jobs.get(s.get("job")) or {}).get("location"))
            for s in route["stops"]
            if not s.get("break", False)
        ]
        points = [p for p in stops if p is not None]
        path = ([start] if start else []) + points + ([end] if end else [])
        if not path:
            continue
        xs, ys = zip(*path)
        ax.plot(xs, ys, "-", color=colour, lw=1.2, alpha=0.8, label=route.get("technician"))
        if points:
            px, py = zip(*points)
            ax.scatter(px, py, s=14, color=colour, zorder=3)
        if start:
            ax.scatter(
                [start[0]],
                [start[1]],
                marker="s",
                s=46,
                color=colour,
                edgecolor="black",
                zorder=4,
            )
    if show_unassigned:
        left = [
            _xy((jobs.get(u.get("job")) or {}).get("location"))
            for u in result.plan.get("unassigned", [])
        ]
        left_points = [p for p in left if p is not None]
        if left_points:
            ux, uy = zip(*left_points)
            ax.scatter(ux, uy, marker="x", s=22, color="0.55", zorder=2, label="unassigned")
    if geo:
        lats = [p[1] for t in techs.values() if (p := _xy(t.get("start")))]
        lats += [p[1] for j in jobs.values() if (p := _xy(j.get("location")))]
        mean = sum(lats) / len(lats) if lats else 0.0
        ax.set_aspect(1.0 / max(math.cos(math.radians(mean)), 1e-6))
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
    else:
        ax.set_aspect("equal")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    name = result.plan.get("problem") or doc.get("name")
    ax.set_title(f"Routes{f' - {name}' if name else ''}")
    if legend if legend is not None else len(routes) <= 12:
        ax.legend(loc="best", fontsize="small")
    return ax
