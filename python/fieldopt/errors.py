"""Exceptions raised by fieldopt.

The Rust core (``fieldopt._core``) raises these very classes, so ``except
fieldopt.InvalidProblemError`` catches errors from both the Python layer and the
engine.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "FieldoptError",
    "InvalidProblemError",
    "SolveInterrupted",
    "SolverError",
]


class FieldoptError(Exception):
    """Base class of every error fieldopt raises on purpose."""


class InvalidProblemError(FieldoptError, ValueError):
    """The problem (or plan) document is not valid.

    Parameters
    ----------
    message : str
        What is wrong.
    path : str, default ""
        Field path of the offending value in the document, for example
        ``"jobs[0].time_windows[0]"``; empty when the document as a whole is
        wrong (for example, not JSON at all).

    Attributes
    ----------
    path : str
        Field path of the offending value (``""`` for the whole document).
    message : str
        What is wrong with it, without the path.

    Examples
    --------
    >>> err = InvalidProblemError("start 50400 is after end 43200", "jobs[0].time_windows[0]")
    >>> str(err)
    'jobs[0].time_windows[0]: start 50400 is after end 43200'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message, path)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.path))


class SolverError(FieldoptError):
    """The solver could not run: bad parameters or an internal failure.

    An internal failure (a bug in the engine) is reported as this error, never as
    a crash of the Python process.
    """


class SolveInterrupted(KeyboardInterrupt):
    """A solve was stopped by Ctrl-C (``KeyboardInterrupt``).

    The engine stops its search, and this exception carries the best plan found
    until then. It is a ``KeyboardInterrupt``, so a script still stops unless
    the caller catches it.

    Parameters
    ----------
    plan_json : str
        The best plan found before the interrupt, as a plan document.

    Attributes
    ----------
    plan_json : str
        The best plan so far (``fieldopt-plan/1`` JSON).
    result : fieldopt.Result or None
        The same plan as a :class:`fieldopt.Result`; set by :func:`fieldopt.solve`,
        ``None`` when raised by the low-level ``fieldopt._core.solve_json``.

    Examples
    --------
    >>> try:                                                  # doctest: +SKIP
    ...     res = fieldopt.solve(problem, time_limit=600)
    ... except fieldopt.SolveInterrupted as stop:
    ...     res = stop.result
    """

    def __init__(self, plan_json: str) -> None:
        super().__init__("solve interrupted; the best plan so far is in .result")
        self.plan_json = plan_json
        self.result: Any = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.plan_json,))
