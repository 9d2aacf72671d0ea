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
from .errors import FieldoptError, InvalidProblemError, SolveInterrupted, SolverError
from .result import Result

__all__ = [
    "FieldoptError",
    "InvalidProblemError",
    "Result",
    "SolveInterrupted",
    "SolverError",
    "__version__",
    "check",
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
    *,
    seed: int = 0,
    time_limit: float | None = None,
    iterations: int | None = None,
    threads: int | None = None,
) -> Result:
    """Solves a problem: assigns and sequences the jobs of one day.

    Parameters
    ----------
    problem : str, os.PathLike, dict or bytes
        A ``fieldopt-problem/1`` document: a path to a JSON file, the document
        as a dict, or its JSON text (a ``str`` whose first non-blank character
        is ``{``).
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

    Returns
    -------
    Result
        The plan: every job is in exactly one route or in ``unassigned`` with a
        reason.

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
    seed = _non_negative_int(seed, "seed")
    if iterations is not None:
        iterations = _non_negative_int(iterations, "iterations")
    if threads is not None:
        threads = _non_negative_int(threads, "threads")
    if time_limit is not None:
        time_limit = float(time_limit)
    try:
        plan_json = _core.solve_json(text, seed, time_limit, iterations, threads)
    except SolveInterrupted as stop:
        stop.result = Result.from_json(stop.plan_json)
        raise
    return Result.from_json(plan_json)


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
