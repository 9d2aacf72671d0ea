"""Helpers shared by the plotting functions."""

from __future__ import annotations

from typing import Any

from ..result import Result, _problem_doc


def problem_of(result: Result, problem: Any) -> dict[str, Any]:
    """The problem document: ``problem`` when given, else the one the result knows."""
    if problem is not None:
        return _problem_doc(problem)
    doc = result.problem
    if doc is None:
        raise ValueError(
            "the plot needs the problem: pass problem=..., or solve with fieldopt.solve"
        )
    return doc


def axes(ax: Any, figsize: tuple[float, float]) -> Any:
    """``ax``, or the axes of a new figure."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize)
    return new


def colours(n: int) -> list[Any]:
    """``n`` distinct colours (tab20, then cycled)."""
    import matplotlib

    cmap = matplotlib.colormaps["tab20" if n > 10 else "tab10"]
    size = 20 if n > 10 else 10
    return [cmap(i % size) for i in range(n)]
