"""KPI bars across policies."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._common import axes, colours

__all__ = ["plot_comparison"]

#: KPIs drawn by default, when the frame has them (in this order).
DEFAULT_KPIS = (
    "assigned",
    "travel_time",
    "labor_cost",
    "overtime",
    "preferred_rate",
    "overqualification",
    "workload_spread",
    "objective",
)


def _columns(frame: Any) -> dict[str, list[Any]]:
    """A pandas or polars frame (or a dict of columns) as lists; a pandas index that is
    not a plain range becomes the ``policy`` column when there is none."""
    if hasattr(frame, "to_dict") and hasattr(frame, "index"):  # pandas
        cols = {str(c): frame[c].tolist() for c in frame.columns}
        if "policy" not in cols and not (
            frame.index.dtype.kind == "i" and list(frame.index) == list(range(len(frame)))
        ):
            cols["policy"] = [str(i) for i in frame.index]
        return cols
    if hasattr(frame, "to_dict"):  # polars
        return {str(k): v for k, v in frame.to_dict(as_series=False).items()}
    return {str(k): list(v) for k, v in dict(frame).items()}


def plot_comparison(
    kpi_frame: Any,
    ax: Any = None,
    *,
    kpis: Sequence[str] | None = None,
    policy_column: str = "policy",
    annotate: bool = True,
) -> Any:
    """Draws KPI bars across policies, as returned by :func:`fieldopt.compare`.

    KPIs have different units, so each KPI group is scaled to its largest absolute
    value across policies (1.0 = the largest); the bars are labelled with the actual
    values.

    Parameters
    ----------
    kpi_frame : pandas.DataFrame or polars.DataFrame
        One row per policy, one column per KPI, and the policy name in
        ``policy_column`` (or the pandas index).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.
    kpis : sequence of str, optional
        KPI columns to draw; default those of :data:`DEFAULT_KPIS` present, else every
        numeric column.
    policy_column : str, default "policy"
        Column naming the policies.
    annotate : bool, default True
        Write each bar's value above it.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per policy (``ax.containers``), with one bar per KPI.

    Examples
    --------
    >>> kpis = fieldopt.compare(problem, {"cheapest": ..., "favourite first": ...})  # doctest: +SKIP
    >>> plot_comparison(kpis)                                                       # doctest: +SKIP
    """
    cols = _columns(kpi_frame)
    n = len(next(iter(cols.values()), []))
    names = [str(x) for x in cols.get(policy_column, [f"policy {i}" for i in range(n)])]

    def numeric(c: str) -> bool:
        return c != policy_column and all(
            isinstance(v, (int, float)) and not isinstance(v, bool)
            for v in cols[c]
            if v is not None
        )

    if kpis is None:
        chosen = [k for k in DEFAULT_KPIS if k in cols and numeric(k)]
        kpis = chosen or [c for c in cols if numeric(c)]
    missing = [k for k in kpis if k not in cols]
    if missing:
        raise KeyError(f"KPI column(s) not in the frame: {', '.join(missing)}")
    ax = axes(ax, (max(6.0, 1.3 * len(kpis) + 2), 4.5))
    width = 0.8 / max(n, 1)
    for i, (name, colour) in enumerate(zip(names, colours(n))):
        values = [cols[k][i] for k in kpis]
        heights = []
        for k, v in zip(kpis, values):
            top = max((abs(float(x)) for x in cols[k] if x is not None), default=0.0)
            fv = math.nan if v is None else float(v)
            heights.append(fv / top if top > 0 else 0.0)
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(kpis))]
        bars = ax.bar(xs, heights, width=width * 0.95, color=colour, label=name)
        if annotate:
            ax.bar_label(
                bars,
                labels=[_fmt(v) for v in values],
                fontsize="x-small",
                rotation=90,
                padding=2,
            )
    ax.set_xticks(range(len(kpis)))
    ax.set_xticklabels(list(kpis), rotation=20, ha="right")
    ax.set_ylabel("relative to the largest")
    ax.set_ylim(min(0.0, ax.get_ylim()[0]), 1.35)
    ax.axhline(0, color="0.3", lw=0.6)
    ax.set_title("Policies compared")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    v = float(value)
    if math.isnan(v):
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v.is_integer():
        return f"{v:.0f}"
    return f"{v:.3g}"
