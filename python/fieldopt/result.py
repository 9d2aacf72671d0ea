"""The result of a solve: the plan document with tabular views for notebooks."""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .timeline import day_segments

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "ROUTE_COLUMNS",
    "SEGMENT_COLUMNS",
    "TECHNICIAN_COLUMNS",
    "UNASSIGNED_COLUMNS",
    "Result",
    "day_segments",
]

#: Columns of :attr:`Result.routes`, in order.
ROUTE_COLUMNS = ("technician", "sequence", "kind", "job", "arrival", "start", "end")
#: Columns of :attr:`Result.unassigned`, in order.
UNASSIGNED_COLUMNS = ("job", "reason", "code")
#: Columns of :attr:`Result.assignments`, in order.
ASSIGNMENT_COLUMNS = ("job", "technician", "sequence", "start", "end", "reason", "code")
#: Columns of :attr:`Result.technicians`, in order.
TECHNICIAN_COLUMNS = (
    "technician",
    "kind",
    "jobs",
    "shift_start",
    "shift_end",
    "start",
    "end",
    "hours",
    "work_hours",
    "travel_hours",
    "waiting_hours",
    "break_hours",
    "overtime_hours",
    "distance",
    "utilisation",
)
#: Columns of :attr:`Result.segments`, in order.
SEGMENT_COLUMNS = ("technician", "segment", "start", "end", "job", "job_kind")

_BACKENDS = ("pandas", "polars")

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
    backend : {"pandas", "polars"}, default "pandas"
        Library of the tables. :func:`fieldopt.solve` picks the library of the
        problem's frames.
    problem : dict, fieldopt.Problem, str or os.PathLike, optional
        The problem the plan belongs to; needed by :attr:`technicians`,
        :attr:`segments` and the plots, and set by :func:`fieldopt.solve`.
    policy : str, optional
        The policy weights the plan was solved with, as JSON text (``None``: the
        problem's own); set by :func:`fieldopt.solve` and used by :meth:`explain` and
        :attr:`affinity` to price alternatives the way the search did.

    Attributes
    ----------
    plan : dict
        The plan document: ``routes``, ``unassigned`` and ``kpis``.
    backend : str
        ``"pandas"`` or ``"polars"``; may be changed.
    problem : dict or None
        The problem document, when known.

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

    def __init__(
        self,
        plan: dict[str, Any],
        *,
        backend: str = "pandas",
        problem: Any = None,
        policy: str | None = None,
    ) -> None:
        if not isinstance(plan, dict):
            raise TypeError(f"plan must be a dict (a plan document), not {type(plan).__name__}")
        self.plan = plan
        self.policy = policy
        self._backend = "pandas"
        self._problem_src: dict[str, Any] | str | None = None
        self.backend = backend
        self.problem = problem

    @property
    def backend(self) -> str:
        """Library of the tables: ``"pandas"`` or ``"polars"``."""
        return self._backend

    @backend.setter
    def backend(self, value: str) -> None:
        if value not in _BACKENDS:
            raise ValueError(f"backend must be 'pandas' or 'polars', got {value!r}")
        self._backend = value

    @property
    def problem(self) -> dict[str, Any] | None:
        """The problem document, when known (set by :func:`fieldopt.solve`)."""
        src = self._problem_src
        if isinstance(src, str):
            # JSON text from fieldopt.solve: parsed on first use only.
            src = self._problem_src = _problem_doc(src)
        return src

    @problem.setter
    def problem(self, value: Any) -> None:
        if value is None or (isinstance(value, str) and value.lstrip().startswith("{")):
            self._problem_src = value
        else:
            self._problem_src = _problem_doc(value)

    @property
    def _problem(self) -> dict[str, Any] | None:
        return self.problem

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pickles of older versions carry only ``plan``.
        state.setdefault("_backend", "pandas")
        state.setdefault("_problem_src", None)
        state.setdefault("policy", None)
        self.__dict__.update(state)

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        backend: str = "pandas",
        problem: Any = None,
        policy: str | None = None,
    ) -> Result:
        """Builds a result from plan JSON text.

        Parameters
        ----------
        text : str or bytes
            A plan document (``fieldopt-plan/1``).
        backend : {"pandas", "polars"}, default "pandas"
            Library of the tables.
        problem : dict or fieldopt.Problem, optional
            The problem of the plan.
        policy : str, optional
            The policy weights of the solve, as JSON text.

        Returns
        -------
        Result
        """
        return cls(json.loads(text), backend=backend, problem=problem, policy=policy)

    @property
    def routes(self) -> Any:
        """One row per stop, routes in plan order and stops in visiting order.

        Returns
        -------
        pandas.DataFrame or polars.DataFrame
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
        return _frame(
            rows,
            ROUTE_COLUMNS,
            {"sequence": "int", "arrival": "float", "start": "float", "end": "float"},
            self._backend,
        )

    @property
    def unassigned(self) -> Any:
        """Jobs left out of every route, with the reason.

        Returns
        -------
        pandas.DataFrame or polars.DataFrame
            Columns ``job`` (job id), ``reason`` (a sentence such as
            ``"no technician has skill hvac >= 4"``) and ``code`` (a stable
            reason code such as ``"no_eligible_technician"``).
        """
        rows = [
            (u.get("job"), u.get("reason", ""), u.get("code", ""))
            for u in self.plan.get("unassigned", [])
        ]
        return _frame(rows, UNASSIGNED_COLUMNS, {}, self._backend)

    @property
    def assignments(self) -> Any:
        """One row per job: who does it and when, or why nobody does.

        Returns
        -------
        pandas.DataFrame or polars.DataFrame
            Columns ``job``, ``technician`` (missing when unassigned), ``sequence``
            (position in the route, counting breaks), ``start``, ``end`` (seconds
            from midnight; missing when unassigned), ``reason`` and ``code`` (missing
            when assigned). Jobs in the problem's order when the problem is known,
            else routed jobs first.
        """
        done: dict[str, tuple[Any, ...]] = {}
        for route in self.plan.get("routes", []):
            tech = route.get("technician")
            for seq, stop in enumerate(route.get("stops", [])):
                if not stop.get("break", False):
                    job = stop.get("job")
                    done[job] = (
                        job,
                        tech,
                        seq,
                        _num(stop.get("start")),
                        _num(stop.get("end")),
                        None,
                        None,
                    )
        for u in self.plan.get("unassigned", []):
            job = u.get("job")
            done[job] = (job, None, None, math.nan, math.nan, u.get("reason", ""), u.get("code"))
        order: list[Any] = list(done)
        if self._problem is not None:
            known = [j.get("id") for j in self._problem.get("jobs", [])]
            known_set = set(known)  # once: a set per element made this quadratic
            order = [j for j in known if j in done] + [j for j in done if j not in known_set]
        rows = [done[j] for j in order]
        return _frame(
            rows,
            ASSIGNMENT_COLUMNS,
            {"sequence": "int?", "start": "float", "end": "float"},
            self._backend,
        )

    @property
    def segments(self) -> Any:
        """Each technician's day cut into segments: travel, waiting, work, break,
        and the return home (``travel``), as the spec's schedule (leave at the
        shift start, wait at the job when early).

        Needs :attr:`problem` (for the travel times).

        Returns
        -------
        pandas.DataFrame or polars.DataFrame
            Columns ``technician``, ``segment`` (``"travel"``, ``"waiting"``,
            ``"work"``, ``"break"`` or ``"overtime"``, the last overlapping the others
            after the shift end), ``start``, ``end``, ``job`` and ``job_kind`` (for
            work). Seconds from midnight.
        """
        segs = day_segments(self.plan, self._require_problem("segments"))
        rows = [tuple(seg.get(c) for c in SEGMENT_COLUMNS) for seg in segs]
        return _frame(rows, SEGMENT_COLUMNS, {"start": "float", "end": "float"}, self._backend)

    @property
    def technicians(self) -> Any:
        """One row per technician of the problem: the day in hours.

        Needs :attr:`problem`.

        Returns
        -------
        pandas.DataFrame or polars.DataFrame
            Columns ``technician``, ``kind`` (``employee``/``contractor``), ``jobs``
            (count), ``shift_start``, ``shift_end``, ``start`` (leaves) and ``end``
            (back; seconds from midnight, missing when the technician stays home),
            ``hours`` (from leaving to coming back), ``work_hours`` (on site),
            ``travel_hours``, ``waiting_hours``, ``break_hours``, ``overtime_hours``
            (back after the shift end), ``distance`` (km for haversine travel, else
            the instance's units) and ``utilisation`` (work hours / shift hours).
            Hours are seconds / 3600 (instance units / 3600 for planar instances).
        """
        problem = self._require_problem("technicians")
        segs = day_segments(self.plan, problem)
        by_tech: dict[str, dict[str, float]] = {}
        for seg in segs:
            acc = by_tech.setdefault(seg["technician"], {})
            acc[seg["segment"]] = acc.get(seg["segment"], 0.0) + seg["end"] - seg["start"]
            acc["distance"] = acc.get("distance", 0.0) + seg.get("distance", 0.0)
            if seg["segment"] == "work":
                acc["jobs"] = acc.get("jobs", 0) + 1
            acc["first"] = min(acc.get("first", math.inf), seg["start"])
            acc["last"] = max(acc.get("last", -math.inf), seg["end"])
        km = 1000.0 if (problem.get("travel") or {}).get("kind") == "haversine" else 1.0
        rows = []
        for t in problem.get("technicians", []):
            tid = t.get("id")
            shift = t.get("shift") or [math.nan, math.nan]
            acc = by_tech.get(tid, {})
            used = acc.get("jobs", 0) > 0
            s0, s1 = float(shift[0]), float(shift[1])
            rows.append(
                (
                    tid,
                    t.get("kind", "employee"),
                    int(acc.get("jobs", 0)),
                    s0,
                    s1,
                    acc["first"] if used else math.nan,
                    acc["last"] if used else math.nan,
                    (acc["last"] - acc["first"]) / 3600 if used else 0.0,
                    acc.get("work", 0.0) / 3600,
                    acc.get("travel", 0.0) / 3600,
                    acc.get("waiting", 0.0) / 3600,
                    acc.get("break", 0.0) / 3600,
                    acc.get("overtime", 0.0) / 3600,
                    acc.get("distance", 0.0) / km,
                    acc.get("work", 0.0) / (s1 - s0) if s1 > s0 else math.nan,
                )
            )
        types = {c: "float" for c in TECHNICIAN_COLUMNS[3:]}
        types["jobs"] = "int"
        return _frame(rows, TECHNICIAN_COLUMNS, types, self._backend)

    def _require_problem(self, what: str) -> dict[str, Any]:
        if self._problem is None:
            raise ValueError(
                f"Result.{what} needs the problem: solve with fieldopt.solve, or set "
                "result.problem = problem (a Problem, a dict or a path)"
            )
        return self._problem

    def explain(self, job: str) -> Any:
        """Why ``job`` is where it is: its technician and why, or why it is unassigned and
        the cheapest change that would place it.

        Needs :attr:`problem`. Costs use the policy of the solve (:attr:`policy`).

        Parameters
        ----------
        job : str
            A job id of the problem.

        Returns
        -------
        fieldopt.explain.Explanation
            ``.code`` and ``.reason`` (the binding reason), ``.technicians`` (every
            technician: the rule that excludes them, or what the job adds to their day,
            by objective term), ``.relaxations`` and ``.cheapest_relaxation`` (for an
            unassigned job: e.g. "its time windows 30 min wider on each side", "T07
            renews gas-safe (expired 2026-11-20)"). ``print()`` it for a summary.

        Raises
        ------
        KeyError
            ``job`` is not a job of the problem.
        """
        from .explain import explain

        return explain(self, job)

    @property
    def affinity(self) -> Any:
        """The price of affinity: for each job with favourite technicians that none of
        them does, what sending a favourite would cost.

        Each job is priced alone against this plan: moved into a favourite's day at its
        cheapest place, or, when that day is full, after moving one or two of its jobs
        to other technicians (or out of the plan). Needs :attr:`problem`; computed on
        first access unless the solve had ``affinity=True``.

        Returns
        -------
        pandas.DataFrame or polars.DataFrame
            Columns ``job``, ``preferred`` (comma-separated ids), ``technician`` (who
            does it now, missing when unassigned), ``status`` (``fits``, ``displaces``,
            ``no_room``, ``not_allowed``), ``favourite`` (the cheapest favourite to
            send), ``extra_travel_minutes``, ``extra_cost`` (objective change without
            the preference term, currency), ``jobs_pushed_out``, ``displaced`` (jobs
            moved out of the favourite's day), ``displaced_to`` (where each goes, ``-``
            when pushed out), ``pushed_out`` and ``reason``.
        """
        from .explain import affinity_frame

        return affinity_frame(self)

    @property
    def affinity_summary(self) -> dict[str, Any]:
        """Totals of :attr:`affinity` (``jobs_with_favourites``, ``honoured``,
        ``not_honoured``, ``honourable``, ``extra_travel_minutes``, ``extra_cost``,
        ``jobs_pushed_out``), plus ``favourite_first``: what a whole ``favourite_first``
        solve costs against this plan (``extra_travel_minutes``, ``jobs_pushed_out``,
        ``extra_labor_cost``, preferred rates), present after ``solve(...,
        affinity=True)``."""
        from .explain import affinity

        doc = affinity(self)
        out: dict[str, Any] = dict(doc.get("summary") or {})
        if doc.get("favourite_first") is not None:
            out["favourite_first"] = dict(doc["favourite_first"])
        return out

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
        # Nested KPI groups (dicts) are left to .kpis: the summary stays compact.
        flat = {key: v for key, v in k.items() if not isinstance(v, (dict, list))}
        keys = [key for key in _KPI_ORDER if key in flat]
        keys += [key for key in flat if key not in _KPI_ORDER]
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(key)}</th>"
            f"<td style='text-align:right'>{html.escape(_fmt(flat[key]))}</td></tr>"
            for key in keys
        )
        caption = [f"<b>{html.escape(str(self.plan.get('problem') or 'fieldopt plan'))}</b>"]
        if "jobs" in k:
            caption.append(
                f"{k.get('assigned', 0)} of {k['jobs']} jobs assigned"
                f" to {k.get('technicians_used', '?')} technician(s)"
            )
        codes: dict[str, int] = {}
        for u in self.plan.get("unassigned", []):
            code = str(u.get("code") or "unassigned")
            codes[code] = codes.get(code, 0) + 1
        if codes:
            listed = ", ".join(f"{html.escape(c)} {n}" for c, n in sorted(codes.items()))
            caption.append(f"unassigned: {listed}")
        return (
            f"<table><caption style='text-align:left'>{'<br>'.join(caption)}</caption>"
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


def _problem_doc(value: Any) -> dict[str, Any]:
    """The problem document of a Problem, a dict, a path or JSON text."""
    doc = getattr(value, "doc", None)
    if isinstance(doc, dict):
        return doc
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (bytes, bytearray)):
        loaded = json.loads(bytes(value).decode("utf-8"))
    elif isinstance(value, str) and value.lstrip().startswith("{"):
        loaded = json.loads(value)
    elif isinstance(value, (str, os.PathLike)):
        with open(value, encoding="utf-8") as f:
            loaded = json.load(f)
    else:
        raise TypeError(f"problem must be a Problem, a dict or a path, not {type(value).__name__}")
    if not isinstance(loaded, dict):
        raise TypeError("a problem document must be a JSON object")
    return loaded


def _frame(
    rows: Sequence[tuple[Any, ...]],
    columns: Sequence[str],
    types: Mapping[str, str],
    backend: str,
) -> Any:
    """A DataFrame of ``rows``; ``types`` maps columns to ``"int"``, ``"int?"`` (nullable)
    or ``"float"``; other columns are text (object in pandas, String in polars)."""
    if backend == "polars":
        import polars as pl

        kinds = {"int": pl.Int64, "int?": pl.Int64, "float": pl.Float64}
        schema = {c: kinds.get(types.get(c, ""), pl.String) for c in columns}
        # NaN marks missing values in pandas; null is the polars way.
        data = [
            tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r) for r in rows
        ]
        return pl.DataFrame(data, schema=schema, orient="row")
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    casts: dict[str, str] = {}
    for c, kind in types.items():
        casts[c] = {"int": "int64", "int?": "Int64", "float": "float64"}[kind]
    return frame.astype(casts) if casts else frame
