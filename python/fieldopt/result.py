"""The result of a solve: the plan document with tabular views for notebooks."""

from __future__ import annotations

import html
import json
import math
from typing import Any

import pandas as pd

__all__ = ["ROUTE_COLUMNS", "UNASSIGNED_COLUMNS", "Result"]

#: Columns of :attr:`Result.routes`, in order.
ROUTE_COLUMNS = ("technician", "sequence", "kind", "job", "arrival", "start", "end")
#: Columns of :attr:`Result.unassigned`, in order.
UNASSIGNED_COLUMNS = ("job", "reason", "code")

# KPIs shown first (in this order) by ``_repr_html_``; any other KPI follows.
_KPI_ORDER = (
    "objective",
    "jobs",
    "assigned",
    "unassigned",
    "technicians_used",
    "travel_time",
    "travel_distance",
    "work_time",
    "overtime",
    "labor_cost",
    "unassigned_cost",
    "preferred_rate",
    "overqualification",
    "workload_spread",
)


class Result:
    """A plan returned by :func:`fieldopt.solve`.

    A plain Python object holding the plan document (``fieldopt-plan/1``) as a
    dict, so it pickles (for multiprocessing and Dask) and compares by value.
    The DataFrame views are built on each access; change them freely.

    Parameters
    ----------
    plan : dict
        A plan document, as parsed from JSON.

    Attributes
    ----------
    plan : dict
        The plan document: ``routes``, ``unassigned`` and ``kpis``.

    See Also
    --------
    fieldopt.solve : Produces a ``Result``.
    fieldopt.check : Checks a plan against its problem.

    Examples
    --------
    >>> res = fieldopt.solve("examples/data/sample_day.json", seed=1)  # doctest: +SKIP
    >>> res.routes.head()                                              # doctest: +SKIP
    >>> res.kpis["assigned"], res.objective                            # doctest: +SKIP
    """

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __init__(self, plan: dict[str, Any]) -> None:
        if not isinstance(plan, dict):
            raise TypeError(f"plan must be a dict (a plan document), not {type(plan).__name__}")
        self.plan = plan

    @classmethod
    def from_json(cls, text: str | bytes) -> Result:
        """Builds a result from plan JSON text.

        Parameters
        ----------
        text : str or bytes
            A plan document (``fieldopt-plan/1``).

        Returns
        -------
        Result
        """
        return cls(json.loads(text))

    @property
    def routes(self) -> pd.DataFrame:
        """One row per stop, routes in plan order and stops in visiting order.

        Returns
        -------
        pandas.DataFrame
            Columns ``technician`` (str), ``sequence`` (int, 0-based position of
            the stop in its route), ``kind`` (``"job"`` or ``"break"``), ``job``
            (job id, missing for a break), ``arrival`` (float, missing for a
            break), ``start`` and ``end`` (float). Times are seconds from
            midnight of the plan date (instance units for benchmark instances).
        """
        rows: list[tuple[Any, ...]] = []
        for route in self.plan.get("routes", []):
            tech = route.get("technician")
            for seq, stop in enumerate(route.get("stops", [])):
                is_break = bool(stop.get("break", False))
                rows.append(
                    (
                        tech,
                        seq,
                        "break" if is_break else "job",
                        None if is_break else stop.get("job"),
                        math.nan if is_break else _num(stop.get("arrival")),
                        _num(stop.get("start")),
                        _num(stop.get("end")),
                    )
                )
        frame = pd.DataFrame.from_records(rows, columns=list(ROUTE_COLUMNS))
        return frame.astype(
            {"sequence": "int64", "arrival": "float64", "start": "float64", "end": "float64"}
        )

    @property
    def unassigned(self) -> pd.DataFrame:
        """Jobs left out of every route, with the reason.

        Returns
        -------
        pandas.DataFrame
            Columns ``job`` (job id), ``reason`` (a sentence such as
            ``"no technician has skill hvac >= 4"``) and ``code`` (a stable
            reason code such as ``"no_eligible_technician"``).
        """
        rows = [
            (u.get("job"), u.get("reason", ""), u.get("code", ""))
            for u in self.plan.get("unassigned", [])
        ]
        return pd.DataFrame.from_records(rows, columns=list(UNASSIGNED_COLUMNS))

    @property
    def kpis(self) -> dict[str, Any]:
        """The engine's KPIs (see the spec's KPI list) plus ``objective``.

        Returns
        -------
        dict
            A copy; changing it does not change the plan.
        """
        return dict(self.plan.get("kpis") or {})

    @property
    def objective(self) -> float:
        """The engine's objective value in currency units (lower is better).

        Returns
        -------
        float
            ``nan`` when the plan carries no objective.
        """
        value = (self.plan.get("kpis") or {}).get("objective")
        return math.nan if value is None else float(value)

    def to_json(self, indent: int | None = 2) -> str:
        """The plan document as JSON text.

        Parameters
        ----------
        indent : int or None, default 2
            Indentation, or ``None`` for the most compact form.

        Returns
        -------
        str
            A ``fieldopt-plan/1`` document, readable by ``fieldopt.check`` and
            ``shared/tools/check_plan.py``.
        """
        return json.dumps(self.plan, indent=indent)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return self.plan == other.plan

    def __repr__(self) -> str:
        k = self.plan.get("kpis") or {}
        name = self.plan.get("problem")
        parts = [f"problem={name!r}"] if name else []
        jobs = k.get("jobs")
        if jobs is not None:
            parts.append(f"assigned={k.get('assigned', 0)}/{jobs}")
        if "technicians_used" in k:
            parts.append(f"technicians_used={k['technicians_used']}")
        parts.append(f"objective={self.objective:.6g}")
        return f"Result({', '.join(parts)})"

    def _repr_html_(self) -> str:
        k = self.plan.get("kpis") or {}
        keys = [key for key in _KPI_ORDER if key in k] + [key for key in k if key not in _KPI_ORDER]
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(key)}</th>"
            f"<td style='text-align:right'>{html.escape(_fmt(k[key]))}</td></tr>"
            for key in keys
        )
        title = html.escape(str(self.plan.get("problem") or "fieldopt plan"))
        return (
            f"<table><caption style='text-align:left'><b>{title}</b></caption>"
            f"<tbody>{cells}</tbody></table>"
        )


def _num(value: Any) -> float:
    """A JSON number as float; missing values become ``nan``."""
    return math.nan if value is None else float(value)


def _fmt(value: Any) -> str:
    """A KPI value for display."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)
    return str(value)
