"""fieldopt: field-service technician assignment and routing.

Decides which technician does which job, and in what order, for one day: skills
and levels, certifications, bans, pins, time windows, shifts, breaks and capacity
are never broken; travel, labour cost and unassigned jobs make up the objective.

Problems and plans follow the JSON format ``fieldopt-problem/1`` /
``fieldopt-plan/1``. The engine is Rust (``fieldopt._core``); it releases the
GIL while it works, so other Python threads keep running.

Examples
--------
>>> import fieldopt
>>> problem = {
...     "format": "fieldopt-problem/1", "date": "2026-11-24",
...     "travel": {"kind": "euclidean", "speed": 1.0},
...     "technicians": [{"id": "T1", "start": {"x": 0, "y": 0}, "shift": [0, 1000]}],
...     "jobs": [{"id": "J1", "location": {"x": 3, "y": 4}, "duration": 10}],
... }
>>> res = fieldopt.solve(problem, seed=0)     # doctest: +SKIP
>>> res.routes[["technician", "job", "start"]]  # doctest: +SKIP
"""

from __future__ import annotations

import json
import operator
import os
from collections.abc import Mapping
from typing import Any, Union

from . import _core
from .compare import compare
from .errors import FieldoptError, InvalidProblemError, SolveInterrupted, SolverError
from .explain import Explanation, rank_technicians
from .frames import InvalidFrameError
from .policy import Policy, PolicyLike, policy_json, presets
from .problem import Problem
from .progress import ProgressCallback, make_progress
from .result import Result

__all__ = [
    "Explanation",
    "FieldoptError",
    "InvalidFrameError",
    "InvalidProblemError",
    "Policy",
    "Problem",
    "Result",
    "SolveInterrupted",
    "SolverError",
    "__version__",
    "check",
    "compare",
    "presets",
    "rank_technicians",
    "solve",
    "validate",
]

__version__: str = _core.version()

#: What :func:`solve`, :func:`validate` and :func:`check` accept as a document: a path to a
#: JSON file (``str`` or ``os.PathLike``), a dict, or JSON text (a ``str`` starting with ``{``,
#: or ``bytes``).
Document = Union[str, "os.PathLike[str]", Mapping[str, Any], bytes]


def solve(
    problem: Document,
    policy: PolicyLike | None = None,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    iterations: int | None = None,
    threads: int | None = None,
    progress: bool | ProgressCallback | None = True,
    affinity: bool = False,
    mode: str = "route",
    lower_bound: bool = False,
    decompose: str | int = "auto",
    bound_seconds: float | None = None,
) -> Result:
    """Solves a problem: assigns and sequences the jobs of one day.

    Parameters
    ----------
    problem : Problem, str, os.PathLike, dict or bytes
        A :class:`Problem` (for example from :meth:`Problem.from_frames`), or a
        ``fieldopt-problem/1`` document: a path to a JSON file, the document
        as a dict, or its JSON text (a ``str`` whose first non-blank character
        is ``{``).
    policy : str, Policy or dict, optional
        Objective weights instead of the problem's own ``policy``: a preset
        name (``"best_skill_fit"``, see :func:`presets`), a :class:`Policy`, or
        a dict of weights. An unknown name raises ``ValueError``; an unknown or
        negative weight raises :class:`InvalidProblemError` naming it.
    seed : int, default 0
        Seed of every random choice; the same seed and ``iterations`` give the
        same plan.
    time_limit : float, optional
        Wall-clock ceiling in seconds. A run stopped by it is not reproducible.
    iterations : int, optional
        Search iterations in total, over all threads. With ``iterations`` the
        plan depends only on the problem, the seed and this budget (not on
        ``threads`` or machine speed). Default: scaled to the problem size
        when there is no ``time_limit``.
    threads : int, optional
        Worker threads; default all cores.
    progress : bool or callable, default True
        ``True``: a progress bar (``tqdm.auto``, a widget in Jupyter) with the
        best objective, the jobs assigned and the elapsed time, shown once the
        solve has run 0.2 s; ``False``: none; a callable: called about every
        0.2 s as ``progress(iterations, best_objective, assigned, elapsed_s)``
        (an exception it raises stops the solve and propagates).
    affinity : bool, default False
        Also price the customers' favourites: :attr:`Result.affinity` per job and
        :attr:`Result.affinity_summary` with ``favourite_first``, what a whole
        ``favourite_first`` solve (same seed, budget and threads; it doubles the
        solve time) costs against this plan. Stored in the plan as ``affinity``.
    mode : {"route", "assign"}, default "route"
        ``"route"``: assign and sequence by the search. ``"assign"``: solve the
        job-to-technician assignment exactly as a MIP (skills, certifications,
        bans, pins, capacity, ``max_jobs``, hours; policy costs), then sequence
        each technician's jobs into a feasible route. Exact for dispatch waves
        (``max_jobs`` 1) and co-located hours allocations; the MIP obeys
        ``time_limit``. Another value raises :class:`InvalidProblemError`
        (``.path == "mode"``).
    lower_bound : bool, default False
        Also compute a lower bound on the objective with the LP:
        ``kpis["lower_bound"]``, ``kpis["gap"]`` (the plan is at most that
        fraction above the optimum) and ``kpis["bound_method"]``
        (``"enumeration"``: the bound is the optimum; ``"column_generation"``;
        ``"arc_flow"``: the loosest, when column generation certified nothing
        better in time).
    bound_seconds : float, optional
        Seconds the bound's column generation may take (default 30; 0 keeps
        only the arc-flow LP); implies ``lower_bound``. Hard days certify
        later: on Solomon the mean gap to the best known is 3.2 % with 20 s and
        1.6 % with 60 s (R2/RC2 8-10 % and 4-5 %). Days with many distinct
        technicians get the arc-flow LP, a loose floor (48 % below a 500-job
        plan; docs/lp.md). Negative or non-finite raises ``ValueError``.
    decompose : {"auto", "off"} or int, default "auto"
        Splitting of very large days into parts solved in parallel and then
        improved as one plan: ``"auto"`` above 3,000 servable jobs (parts of
        about 1,500 jobs, technicians grouped by ``team`` first, then by the
        geography of their starts), ``"off"`` never, an int that many parts.
        Another value raises :class:`InvalidProblemError` (``.path ==
        "decompose"``).

    Returns
    -------
    Result
        The plan: every job is in exactly one route or in ``unassigned`` with a
        reason. Its tables use the library of the problem's frames (pandas or
        polars), and it knows its problem (for ``.technicians`` and the plots).

    Raises
    ------
    InvalidProblemError
        The problem is not valid; ``.path`` names the field, e.g.
        ``"jobs[0].time_windows[0]"``. Also a ``ValueError``.
    SolverError
        The engine failed (a bug; please report it).
    SolveInterrupted
        Ctrl-C during the solve (a ``KeyboardInterrupt``): the search stops and
        the best plan so far is in ``.result``.
    FileNotFoundError
        ``problem`` names a file that does not exist.
    ValueError, TypeError
        Bad parameter values or types.

    Notes
    -----
    The GIL is released during parsing and solving, and Ctrl-C is checked
    about every 0.2 s.

    Examples
    --------
    >>> res = fieldopt.solve("examples/data/sample_day.json", seed=1, time_limit=5)  # doctest: +SKIP
    >>> res.unassigned                                                            # doctest: +SKIP
    """
    text = _document_text(problem, "problem")
    weights = policy_json(policy)
    seed = _non_negative_int(seed, "seed")
    if iterations is not None:
        iterations = _non_negative_int(iterations, "iterations")
    if threads is not None:
        threads = _non_negative_int(threads, "threads")
    if time_limit is not None:
        time_limit = float(time_limit)
    if isinstance(decompose, bool) or not isinstance(decompose, (str, int)):
        raise TypeError(f"decompose must be 'auto', 'off' or an int, not {decompose!r}")
    decompose = str(decompose)
    bar = make_progress(
        progress, iterations=iterations, time_limit=time_limit, jobs=_n_jobs(problem)
    )
    try:
        plan_json = _core.solve_json(
            text,
            seed,
            time_limit,
            iterations,
            threads,
            policy_json=weights,
            progress=bar,
            mode=mode,
            lower_bound=bool(lower_bound),
            decompose=decompose,
            bound_seconds=None if bound_seconds is None else float(bound_seconds),
        )
    except SolveInterrupted as stop:
        stop.result = _result(stop.plan_json, problem, text, weights)
        if bar is not None:
            bar.close(stop.result.kpis)
        raise
    except InvalidProblemError as e:
        if bar is not None:
            bar.close()
        if isinstance(problem, Problem):
            raise problem.explain_error(e) from None
        raise
    except BaseException:
        if bar is not None:
            bar.close()
        raise
    result = _result(plan_json, problem, text, weights)
    if bar is not None:
        bar.close(result.kpis)
    if affinity:
        try:
            ff_plan = _core.solve_json(
                text,
                seed,
                time_limit,
                iterations,
                threads,
                policy_json=policy_json("favourite_first"),
                decompose=decompose,
            )
        except SolveInterrupted as stop:
            stop.result = result  # the plan asked for, without the price of affinity
            raise
        result.plan["affinity"] = json.loads(
            _core.affinity_json(text, plan_json, weights, favourite_first_plan_json=ff_plan)
        )
    return result


def _result(plan_json: str, problem: Any, text: str, policy: str | None = None) -> Result:
    """The result of a solve, in the problem's backend, with the problem and the policy
    weights (JSON text) attached."""
    backend = problem.backend if isinstance(problem, Problem) else "pandas"
    source = problem.doc if isinstance(problem, Problem) else text
    return Result.from_json(plan_json, backend=backend, problem=source, policy=policy)


def _n_jobs(problem: Any) -> int | None:
    """Number of jobs of a Problem or a dict document (None for a path or text)."""
    if isinstance(problem, Problem):
        return problem.n_jobs
    if isinstance(problem, Mapping):
        return len(problem.get("jobs") or [])
    return None


def validate(problem: Document) -> None:
    """Checks that a problem document is valid, without solving it.

    Parameters
    ----------
    problem : str, os.PathLike, dict or bytes
        As for :func:`solve`.

    Raises
    ------
    InvalidProblemError
        The first problem found; ``.path`` names the field.

    Examples
    --------
    >>> fieldopt.validate({"format": "fieldopt-problem/1"})  # doctest: +SKIP
    Traceback (most recent call last):
    InvalidProblemError: ...
    """
    if isinstance(problem, Problem):
        problem.validate()
        return
    _core.validate_json(_document_text(problem, "problem"))


def check(problem: Document, plan: Document | Result) -> dict[str, Any]:
    """Checks a plan against its problem with the engine's verifier.

    The rules and KPIs are those of the spec's "Feasibility" section, the same
    as ``shared/tools/check_plan.py``: the schedule is recomputed from the stop
    order alone; the times written in the plan are not trusted.

    Parameters
    ----------
    problem : str, os.PathLike, dict or bytes
        As for :func:`solve`.
    plan : Result, str, os.PathLike, dict or bytes
        A plan document, or a :class:`Result`.

    Returns
    -------
    dict
        ``{"feasible": bool, "violations": [...], "kpis": {...}}``; each
        violation has ``type`` and ``message``, and where it applies
        ``route``, ``technician``, ``stop`` and ``job``.

    Raises
    ------
    InvalidProblemError
        The problem or the plan is not a valid document.
    """
    plan_text = (
        plan.to_json(indent=None) if isinstance(plan, Result) else _document_text(plan, "plan")
    )
    report: dict[str, Any] = json.loads(
        _core.check_json(_document_text(problem, "problem"), plan_text)
    )
    return report


def _document_text(doc: Any, what: str) -> str:
    """JSON text of a document given as a path, a mapping, JSON text or bytes."""
    if isinstance(doc, Problem):
        return doc.to_json(indent=None)
    if isinstance(doc, Mapping):
        try:
            return json.dumps(doc, allow_nan=False, default=_json_default)
        except (TypeError, ValueError) as e:
            raise InvalidProblemError(f"{what} cannot be written as JSON: {e}") from e
    if isinstance(doc, (bytes, bytearray)):
        return bytes(doc).decode("utf-8")
    if isinstance(doc, str) and doc.lstrip().startswith("{"):
        return doc
    if isinstance(doc, (str, os.PathLike)):
        with open(doc, encoding="utf-8") as f:
            return f.read()
    raise TypeError(f"{what} must be a path, a dict or JSON text, not {type(doc).__name__}")


def _json_default(value: Any) -> Any:
    """Numpy and pandas scalars (and arrays) as plain Python values."""
    for attr in ("tolist", "item"):
        method = getattr(value, attr, None)
        if callable(method):
            return method()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _non_negative_int(value: Any, name: str) -> int:
    """``value`` as an int >= 0, or a ValueError / TypeError naming the parameter."""
    try:
        n = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if n < 0:
        raise ValueError(f"{name} must be >= 0, got {n}")
    return n
