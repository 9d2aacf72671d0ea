"""Progress of a solve: a tqdm bar (notebook-aware) fed by the engine's progress callback.

The engine calls a progress callable from the thread that called
:func:`fieldopt.solve`, about every 0.2 s, as ``callback(iterations, best_objective,
assigned, elapsed_s)``; the search itself runs on worker threads that never take the GIL,
so the bar costs the search nothing measurable. A solve that ends within the first 0.2 s
shows no bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["ProgressCallback", "TqdmProgress", "make_progress"]

#: What the engine calls: ``(iterations, best_objective or None, assigned, elapsed_s)``.
ProgressCallback = Callable[[int, "float | None", int, float], object]


class TqdmProgress:
    """A progress bar for one solve (``tqdm.auto``: a widget in Jupyter, text elsewhere).

    The bar runs over the iteration budget when ``iterations`` is given, over the
    seconds of ``time_limit`` when that is given instead, and counts iterations
    otherwise. Its postfix shows the best objective and the jobs assigned; tqdm shows the
    elapsed time.

    Parameters
    ----------
    iterations : int, optional
        The solve's iteration budget.
    time_limit : float, optional
        The solve's time limit in seconds.
    jobs : int, optional
        Number of jobs of the problem (shown as ``assigned=480/500``).
    **tqdm_kwargs
        Passed to ``tqdm.auto.tqdm`` (``file=``, ``leave=``, ``disable=``...).

    Examples
    --------
    >>> bar = TqdmProgress(iterations=20_000, jobs=500)             # doctest: +SKIP
    >>> fieldopt._core.solve_json(text, iterations=20_000, progress=bar)  # doctest: +SKIP
    >>> bar.close()                                                 # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        iterations: int | None = None,
        time_limit: float | None = None,
        jobs: int | None = None,
        **tqdm_kwargs: Any,
    ) -> None:
        self.iterations = iterations
        self.time_limit = time_limit
        self.jobs = jobs
        self.tqdm_kwargs = tqdm_kwargs
        self.bar: Any = None
        self.calls = 0
        self.last: tuple[int, float | None, int, float] | None = None

    def _open(self, initial: float) -> Any:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]

        kwargs: dict[str, Any] = {"desc": "fieldopt", "dynamic_ncols": True, "initial": initial}
        if self.iterations:
            kwargs.update(total=self.iterations, unit="it")
        elif self.time_limit:
            kwargs.update(
                total=round(self.time_limit, 1),
                unit="s",
                bar_format="{l_bar}{bar}| {n:.1f}/{total:.1f} s{postfix}",
            )
        else:
            kwargs.update(total=None, unit="it")
        kwargs.update(self.tqdm_kwargs)
        return tqdm(**kwargs)

    def __call__(
        self, iterations: int, best_objective: float | None, assigned: int, elapsed: float
    ) -> None:
        self.calls += 1
        self.last = (iterations, best_objective, assigned, elapsed)
        if self.iterations or not self.time_limit:
            n: float = min(iterations, self.iterations) if self.iterations else iterations
        else:
            n = min(round(elapsed, 1), round(self.time_limit, 1))
        if self.bar is None:
            self.bar = self._open(n)
        bar = self.bar
        bar.n = n
        postfix: dict[str, Any] = {}
        if best_objective is not None:
            postfix["best"] = f"{best_objective:,.1f}"
        postfix["assigned"] = f"{assigned}/{self.jobs}" if self.jobs is not None else assigned
        if not self.iterations:
            postfix["iter"] = iterations
        bar.set_postfix(postfix, refresh=False)
        bar.refresh()

    def close(self, kpis: dict[str, Any] | None = None) -> None:
        """Closes the bar (if one was opened), showing the final objective and
        assignments from ``kpis`` and filling a bar that stopped early."""
        if self.bar is None:
            return
        bar = self.bar
        if kpis:
            postfix: dict[str, Any] = {}
            if kpis.get("objective") is not None:
                postfix["best"] = f"{float(kpis['objective']):,.1f}"
            if "assigned" in kpis:
                postfix["assigned"] = f"{kpis['assigned']}/{kpis.get('jobs', self.jobs)}"
            if not self.iterations and self.last is not None:
                postfix["iter"] = self.last[0]
            bar.set_postfix(postfix, refresh=False)
            if bar.total is not None:
                bar.n = bar.total
        bar.refresh()
        bar.close()
        self.bar = None


class _UserCallback:
    """A user's callable, with the same ``close`` as :class:`TqdmProgress`."""

    def __init__(self, fn: ProgressCallback) -> None:
        self.fn = fn

    def __call__(
        self, iterations: int, best_objective: float | None, assigned: int, elapsed: float
    ) -> object:
        return self.fn(iterations, best_objective, assigned, elapsed)

    def close(self, kpis: dict[str, Any] | None = None) -> None:
        """Nothing to close."""


def make_progress(
    progress: bool | ProgressCallback | None,
    *,
    iterations: int | None = None,
    time_limit: float | None = None,
    jobs: int | None = None,
) -> TqdmProgress | _UserCallback | None:
    """The callback for ``fieldopt.solve(progress=...)``.

    Parameters
    ----------
    progress : bool, callable or None
        ``True``: a :class:`TqdmProgress` bar (nothing when tqdm is not installed);
        ``False``/``None``: nothing; a callable: called as ``progress(iterations,
        best_objective, assigned, elapsed_s)`` about every 0.2 s (an exception it
        raises stops the solve and propagates).
    iterations, time_limit, jobs
        The solve's budget and the problem's size, for the bar.

    Returns
    -------
    TqdmProgress, a wrapper of the callable, or None
        Pass it as ``progress=`` to ``fieldopt._core.solve_json`` and call ``.close()``
        after the solve.
    """
    if progress is None or progress is False:
        return None
    if progress is True:
        try:
            import tqdm.auto  # type: ignore[import-untyped]  # noqa: F401
        except ImportError:
            return None
        return TqdmProgress(iterations=iterations, time_limit=time_limit, jobs=jobs)
    if isinstance(progress, TqdmProgress):
        return progress
    if callable(progress):
        return _UserCallback(progress)
    raise TypeError(f"progress must be a bool or a callable, not {type(progress).__name__}")
