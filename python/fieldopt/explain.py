"""Why a job is where it is, who else could do it, and what customers' favourites cost.

The engine computes everything (``fieldopt._core.explain_json``, ``rank_technicians_json``
and ``affinity_json``) with the same hard rules and objective terms as the search; this
module turns its answers into DataFrames and readable text.

Examples
--------
>>> res = fieldopt.solve("examples/data/sample_day.json", iterations=2000)  # doctest: +SKIP
>>> print(res.explain(res.unassigned["job"][0]))                           # doctest: +SKIP
>>> fieldopt.rank_technicians(res.problem, "J0042", plan=res)               # doctest: +SKIP
>>> res.affinity.sort_values("extra_travel_minutes")                       # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import _core
from .policy import PolicyLike, policy_json

if TYPE_CHECKING:
    from .result import Result

__all__ = [
    "AFFINITY_COLUMNS",
    "FIT_COLUMNS",
    "Explanation",
    "affinity_frame",
    "rank_technicians",
]

#: Columns of :func:`rank_technicians` and :attr:`Explanation.technicians`, in order; one
#: ``term_<name>`` column per objective term follows (what the term adds, currency).
FIT_COLUMNS = (
    "technician",
    "rank",
    "eligible",
    "rule",
    "why_not",
    "fits",
    "limit",
    "assigned",
    "preferred",
    "rating",
    "overqualification",
    "cost",
    "extra_travel_minutes",
    "position",
)

#: Columns of :attr:`fieldopt.Result.affinity`, in order.
AFFINITY_COLUMNS = (
    "job",
    "preferred",
    "technician",
    "status",
    "favourite",
    "extra_travel_minutes",
    "extra_cost",
    "jobs_pushed_out",
    "displaced",
    "displaced_to",
    "pushed_out",
    "reason",
)


def _frame(rows: list[dict[str, Any]], columns: Sequence[str], backend: str) -> Any:
    """A DataFrame of dict rows with the given column order, in ``backend``."""
    if backend == "polars":
        import polars as pl

        return pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], schema=list(columns))
    import pandas as pd

    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=list(columns))


def _fit_rows(fits: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of technician fits with ``why_not`` joined and terms spread into columns."""
    terms = sorted({k for f in fits for k in (f.get("terms") or {})})
    rows = []
    for f in fits:
        row = {c: f.get(c) for c in FIT_COLUMNS}
        row["why_not"] = "; ".join(f.get("why_not") or [])
        for t in terms:
            value = (f.get("terms") or {}).get(t)
            row[f"term_{t}"] = (0.0 if f.get("fits") else math.nan) if value is None else value
        rows.append(row)
    return rows, [*FIT_COLUMNS, *(f"term_{t}" for t in terms)]


@dataclasses.dataclass(frozen=True)
class Explanation:
    """Why one job is where it is in a plan (see :meth:`fieldopt.Result.explain`).

    Attributes
    ----------
    job : str
        The job id.
    status : str
        ``"assigned"`` or ``"unassigned"``.
    technician : str or None
        Who does it.
    code : str
        The binding reason. Assigned: ``"pinned"``, ``"only_eligible"`` (nobody else
        passes the hard rules), ``"only_room"`` (the only qualified technician with
        room), ``"cheapest"`` (adds the least to a day), ``"not_cheapest"`` (another
        technician would add less as a single move: the search stopped at a local
        optimum). Unassigned: the plan's reason code (``"skill"``, ``"days_full"``, ...).
    reason : str
        The binding reason as a sentence.
    technicians : DataFrame
        Every technician (:data:`FIT_COLUMNS` plus ``term_<name>`` columns): the rule
        that excludes them, or what the job adds to their day (``cost``, currency;
        ``extra_travel_minutes``) split by objective term. Technicians that could take
        the job come first, cheapest first (``rank`` 1, 2, ...).
    relaxations : list of dict
        For an unassigned job, the changes that would place it, cheapest first: keys
        ``kind`` (``window``, ``shift``, ``max_jobs``, ``capacity``, ``certification``,
        ``skill``, ``excluded``, ``pinned``, ``priority``), ``technician``, ``minutes``,
        ``description`` and ``cost``.
    """

    job: str
    status: str
    technician: str | None
    code: str
    reason: str
    technicians: Any
    relaxations: list[dict[str, Any]]

    @property
    def cheapest_relaxation(self) -> dict[str, Any] | None:
        """The first relaxation (the smallest change that places the job), if any."""
        return self.relaxations[0] if self.relaxations else None

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], backend: str = "pandas") -> Explanation:
        """From the engine's JSON object (``fieldopt::plan::explain::Explanation``)."""
        rows, columns = _fit_rows(list(doc.get("technicians") or []))
        return cls(
            job=str(doc["job"]),
            status=str(doc["status"]),
            technician=doc.get("technician"),
            code=str(doc.get("code", "")),
            reason=str(doc.get("reason", "")),
            technicians=_frame(rows, columns, backend),
            relaxations=list(doc.get("relaxations") or []),
        )

    def _lines(self) -> list[str]:
        head = (
            f"{self.job}: assigned to {self.technician} ({self.code})"
            if self.technician
            else f"{self.job}: unassigned ({self.code})"
        )
        lines = [head, f"  {self.reason}"]
        if self.relaxations:
            lines.append(f"  cheapest relaxation: {self.relaxations[0]['description']}")
            lines += [f"  also: {r['description']}" for r in self.relaxations[1:4]]
        return lines

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        lines = self._lines()
        text = "<br>".join(html.escape(line.strip()) for line in lines)
        table = getattr(self.technicians, "head", None)
        shown = table(8) if callable(table) else self.technicians
        inner = getattr(shown, "_repr_html_", None)
        body = inner() if callable(inner) else html.escape(str(shown))
        return f"<div><p>{text}</p>{body}</div>"


def _doc_text(problem: Any) -> str:
    """JSON text of a problem (a Problem, a dict, a path or JSON text)."""
    from . import _document_text

    return _document_text(problem, "problem")


def _plan_text(plan: Any) -> str:
    """JSON text of a plan (a Result, a dict, a path or JSON text)."""
    from . import _document_text
    from .result import Result

    if isinstance(plan, Result):
        return json.dumps(plan.plan)
    return _document_text(plan, "plan")


def rank_technicians(
    problem: Any,
    job: str,
    plan: Any = None,
    *,
    policy: PolicyLike | None = None,
    backend: str | None = None,
) -> Any:
    """Every technician for one job: who may do it, at what cost, and who may not, why.

    Parameters
    ----------
    problem : Problem, dict, str or os.PathLike
        The problem (as for :func:`fieldopt.solve`).
    job : str
        The job id.
    plan : Result, dict, str or os.PathLike, optional
        Rank against the technicians' days in this plan (the cost of adding the job to
        each day as it is); default: empty days. A :class:`fieldopt.Result` also gives
        its policy and backend.
    policy : str, Policy or dict, optional
        Objective weights for the costs; default the plan's (for a Result), else the
        problem's own.
    backend : {"pandas", "polars"}, optional
        Library of the table; default the plan's or the problem's.

    Returns
    -------
    DataFrame
        One row per technician, :data:`FIT_COLUMNS` then ``term_<name>`` columns:
        ``eligible`` and ``rule``/``why_not`` (the hard rule that excludes them: which
        skill at which level, which certification expired when), ``fits`` and ``limit``
        (``time``, ``capacity`` or ``max_jobs`` when the day has no room), ``preferred``,
        ``rating``, ``overqualification`` (levels above the requirement), ``cost``
        (currency the job adds to their day; for the technician doing it in the plan,
        the day with it minus without it), ``extra_travel_minutes``, ``position``.
        Technicians that could take it first, cheapest first.

    Raises
    ------
    KeyError
        ``job`` is not a job of the problem.
    InvalidProblemError
        The problem, plan or policy is invalid.
    """
    from .problem import Problem
    from .result import Result

    weights = policy_json(policy)
    if weights is None and isinstance(plan, Result):
        weights = plan.policy
    if backend is None:
        if isinstance(plan, Result):
            backend = plan.backend
        elif isinstance(problem, Problem):
            backend = problem.backend
        else:
            backend = "pandas"
    text = _doc_text(problem)
    plan_text = None if plan is None else _plan_text(plan)
    out = _call(_core.rank_technicians_json, text, job, plan_text, weights, job=job)
    rows, columns = _fit_rows(json.loads(out))
    return _frame(rows, columns, backend)


def explain(result: Result, job: str) -> Explanation:
    """The :class:`Explanation` of ``job`` in ``result`` (see :meth:`Result.explain`)."""
    problem = result._require_problem("explain")
    out = _call(
        _core.explain_json,
        json.dumps(problem),
        json.dumps(result.plan),
        job,
        result.policy,
        job=job,
    )
    return Explanation.from_dict(json.loads(out), result.backend)


def _call(fn: Any, *args: Any, job: str) -> str:
    """Calls the engine; an unknown job id becomes a ``KeyError``."""
    from .errors import InvalidProblemError

    try:
        out: str = fn(*args)
    except InvalidProblemError as e:
        if getattr(e, "path", None) == "job":
            raise KeyError(job) from None
        raise
    return out


def affinity(result: Result) -> dict[str, Any]:
    """The engine's price-of-affinity object for ``result``; computed (without the
    ``favourite_first`` comparison) and stored in ``result.plan["affinity"]`` when the
    plan has none."""
    stored = result.plan.get("affinity")
    if isinstance(stored, dict):
        return stored
    problem = result._require_problem("affinity")
    plan = {k: v for k, v in result.plan.items() if k != "affinity"}
    out = _core.affinity_json(json.dumps(problem), json.dumps(plan), result.policy)
    doc: dict[str, Any] = json.loads(out)
    result.plan["affinity"] = doc
    return doc


def affinity_frame(result: Result) -> Any:
    """The per-job rows of the price of affinity as a DataFrame (:data:`AFFINITY_COLUMNS`)."""
    rows = []
    for r in affinity(result).get("jobs", []):
        row = dict(r)
        for key in ("preferred", "displaced", "pushed_out"):
            row[key] = ", ".join(r.get(key) or [])
        row["displaced_to"] = ", ".join(t or "-" for t in r.get("displaced_to") or [])
        rows.append(row)
    return _frame(rows, AFFINITY_COLUMNS, result.backend)
