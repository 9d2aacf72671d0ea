"""Type stubs of the Rust extension module ``fieldopt._core``.

Low-level: documents cross as JSON text. Use :func:`fieldopt.solve` and friends.
"""

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
    "check_json",
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
) -> str:
    """Solves a problem document (JSON text) and returns the plan document (JSON text).

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

def version() -> str:
    """The engine's version."""
