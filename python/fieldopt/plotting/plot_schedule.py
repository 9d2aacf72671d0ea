"""Each technician's day as a Gantt chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..result import Result, day_segments
from ._common import axes, colours, problem_of

__all__ = ["plot_schedule"]

_FIXED = {
    "travel": ("0.6", "travel"),
    "waiting": ("0.88", "waiting"),
    "break": ("#f2c14e", "break"),
}


def _clock(seconds: float, _pos: Any = None) -> str:
    h, m = divmod(round(seconds / 60), 60)
    return f"{h:02d}:{m:02d}"


def plot_schedule(
    result: Result,
    problem: Any = None,
    ax: Any = None,
    *,
    technicians: Sequence[str] | None = None,
    clock: bool | None = None,
    legend: bool = True,
) -> Any:
    """Draws each technician's day as a Gantt chart.

    One row per technician with a route: travel (grey), waiting (light grey), work
    (coloured by the job's ``kind``), breaks (yellow), the shift as an outline and the
    overtime after the shift end hatched in red. The schedule follows the spec (leave
    at the shift start, wait at the job when early); travel times come from the
    problem's travel model.

    Parameters
    ----------
    result : fieldopt.Result
        The plan.
    problem : fieldopt.Problem, dict or path, optional
        Its problem; default ``result.problem``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure sized to the number of rows.
    technicians : sequence of str, optional
        Only these technicians (in this order).
    clock : bool, optional
        Label the time axis ``HH:MM``; default for real days (not euclidean or matrix
        benchmark instances).
    legend : bool, default True
        Show a legend of segment kinds and job kinds.

    Returns
    -------
    matplotlib.axes.Axes
        One ``broken_barh`` collection per technician and segment kind present
        (``ax.collections``), and one shift outline patch per technician
        (``ax.patches``).

    Examples
    --------
    >>> from fieldopt.plotting import plot_schedule
    >>> ax = plot_schedule(result)  # doctest: +SKIP
    """
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    doc = problem_of(result, problem)
    segs = day_segments(result.plan, doc)
    used = list(dict.fromkeys(s["technician"] for s in segs))
    rows = [t for t in (technicians or used) if t in used]
    techs = {t.get("id"): t for t in doc.get("technicians", [])}
    kinds = sorted({str(s["job_kind"] or "job") for s in segs if s["segment"] == "work"})
    kind_colour = dict(zip(kinds, colours(len(kinds))))
    ax = axes(ax, (10.0, max(2.5, 0.32 * len(rows) + 1.2)))
    height = 0.7
    for y, tid in enumerate(rows):
        mine = [s for s in segs if s["technician"] == tid]
        shift = techs.get(tid, {}).get("shift")
        if shift:
            ax.add_patch(
                Rectangle(
                    (shift[0], y - 0.45),
                    shift[1] - shift[0],
                    0.9,
                    fill=False,
                    edgecolor="0.7",
                    lw=0.6,
                )
            )
        for segment, (colour, _) in _FIXED.items():
            spans = [(s["start"], s["end"] - s["start"]) for s in mine if s["segment"] == segment]
            if spans:
                ax.broken_barh(spans, (y - height / 2, height), facecolors=colour)
        for kind in kinds:
            spans = [
                (s["start"], s["end"] - s["start"])
                for s in mine
                if s["segment"] == "work" and str(s["job_kind"] or "job") == kind
            ]
            if spans:
                ax.broken_barh(
                    spans,
                    (y - height / 2, height),
                    facecolors=kind_colour[kind],
                    edgecolors="white",
                    linewidth=0.4,
                )
        over = [(s["start"], s["end"] - s["start"]) for s in mine if s["segment"] == "overtime"]
        if over:
            ax.broken_barh(
                over,
                (y - 0.45, 0.9),
                facecolors="none",
                edgecolors="red",
                hatch="////",
                linewidth=0.8,
            )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    travel_kind = (doc.get("travel") or {}).get("kind")
    if clock if clock is not None else travel_kind == "haversine":
        lo, hi = ax.get_xlim()
        ax.xaxis.set_major_locator(MultipleLocator(3600 if hi - lo <= 14 * 3600 else 7200))
        ax.xaxis.set_major_formatter(FuncFormatter(_clock))
        ax.set_xlabel("time of day")
    else:
        ax.set_xlabel("time")
    name = result.plan.get("problem") or doc.get("name")
    ax.set_title(f"Schedule{f' - {name}' if name else ''}")
    if legend and rows:
        handles = [Patch(facecolor=c, label=label) for c, label in _FIXED.values()]
        handles += [Patch(facecolor=kind_colour[k], label=k) for k in kinds]
        handles.append(Patch(facecolor="none", edgecolor="red", hatch="////", label="overtime"))
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize="small",
            frameon=False,
        )
    return ax
