"""Type stubs of the Rust extension module ``fieldopt._core``.

Low-level: documents cross as JSON text, input frames as Arrow C streams. Use :func:`fieldopt.solve` and friends.
"""

from collections.abc import Callable
from typing import Any

from fieldopt.errors import FieldoptError as FieldoptError
from fieldopt.errors import InvalidProblemError as InvalidProblemError
from fieldopt.errors import SolveInterrupted as SolveInterrupted
from fieldopt.errors import SolverError as SolverError

__all__ = [
    "FieldoptError",
    "InvalidProblemError",
    "SolveInterrupted",
    "SolverError",
    "__version__",
    "affinity_json",
    "check_json",
    "explain_json",
    "frames_to_documents",
    "policy_presets",
    "rank_technicians_json",
    "solve_json",
    "validate_json",
    "version",
]

__version__: str

def solve_json(
    problem_json: str,
    seed: int = 0,
    time_limit: float | None = None,
    iterations: int | None = None,
    threads: int | None = None,
    policy_json: str | None = None,
    progress: Callable[[int, float | None, int, float], object] | None = None,
    mode: str = "route",
    lower_bound: bool = False,
    decompose: str = "auto",
    bound_seconds: float | None = None,
) -> str:
    """Solves a problem document (JSON text) and returns the plan document (JSON text).

    ``decompose`` is ``"auto"``, ``"off"`` or a number of parts as text (see
    ``fieldopt.solve``); another value raises :class:`InvalidProblemError`
    with ``.path == "decompose"``.

    ``mode`` is ``"route"`` (the search) or ``"assign"`` (exact assignment MIP,
    then sequencing); another value raises :class:`InvalidProblemError` with
    ``.path == "mode"``. ``lower_bound`` also writes ``kpis.lower_bound`` and
    ``kpis.gap`` (needs the LP backend the package was built with);
    ``bound_seconds`` (>= 0, default 30) is the time its column generation may
    take, and implies ``lower_bound``; a negative or non-finite value raises
    ``ValueError``.

    ``policy_json`` (a JSON object of policy weights) replaces the problem's own
    ``policy``. ``progress``, if given, is called from the calling thread about
    every 0.2 s as ``progress(iterations, best_objective, assigned, elapsed_s)``
    (``best_objective`` is None before the first solution); an exception it
    raises cancels the solve.

    Parsing and solving run with the GIL released; the calling thread checks
    for signals about every 0.2 s. On Ctrl-C the search is cancelled and
    :class:`SolveInterrupted` is raised with the best plan so far in
    ``.plan_json``.

    Raises
    ------
    InvalidProblemError
        Invalid problem; ``.path`` names the field.
    SolverError
        Internal failure (a panic in the engine is reported as this).
    SolveInterrupted
        Ctrl-C during the solve.
    ValueError
        ``time_limit`` negative or not finite, ``threads`` zero.
    OverflowError
        ``seed``, ``iterations`` or ``threads`` negative.
    """

def validate_json(problem_json: str) -> None:
    """Parses and validates a problem document; raises :class:`InvalidProblemError`."""

def check_json(problem_json: str, plan_json: str) -> str:
    """Checks a plan against a problem; returns ``{"feasible", "violations", "kpis"}`` as JSON."""

def policy_presets() -> str:
    """The named policy presets as JSON text: ``{name: {weight: value, ...}, ...}``."""

def version() -> str:
    """The engine's version."""

def explain_json(
    problem_json: str, plan_json: str, job: str, policy_json: str | None = None
) -> str:
    """Why job ``job`` is where it is in a plan, as JSON (an ``Explanation``): the
    binding reason, every technician ranked with the rule that excludes them or the cost
    of the job in their day by objective term, and for an unassigned job the relaxations
    that would place it, cheapest first.

    Raises
    ------
    InvalidProblemError
        Invalid problem, plan or policy; an unknown job id has ``.path == "job"``.
    """

def rank_technicians_json(
    problem_json: str,
    job: str,
    plan_json: str | None = None,
    policy_json: str | None = None,
) -> str:
    """Every technician for one job as a JSON array (``TechnicianFit`` objects), against
    the days of ``plan_json`` when given, else against empty days."""

def affinity_json(
    problem_json: str,
    plan_json: str,
    policy_json: str | None = None,
    favourite_first_plan_json: str | None = None,
) -> str:
    """The price of affinity of a plan as JSON (``summary``, ``jobs`` and, with the plan
    of the same problem under ``favourite_first``, ``favourite_first``)."""

def frames_to_documents(
    jobs: Any,
    technicians: Any,
    date: str,
    job_columns: list[str],
    technician_columns: list[str],
) -> tuple[Any, ...]:
    """Reads a jobs and a technicians table (objects with ``__arrow_c_stream__``) into
    the ``jobs`` and ``technicians`` lists of a problem document (the Arrow path of
    :func:`fieldopt.frames.problem_from_frames`), for the plan day ``date``
    (``YYYY-MM-DD``). Only ``job_columns`` / ``technician_columns`` (and ``skill_<name>``,
    ``cert_<name>`` columns) are read.

    Returns ``("ok", jobs, technicians, jobs_origin, technicians_origin, jobs_columns,
    technicians_columns)``; ``("error", frame, row, column, field, message, id)`` for an
    invalid value (``row`` None for a missing required column); or
    ``("unsupported", reason)`` when a column has an Arrow type this path does not read.
    """
