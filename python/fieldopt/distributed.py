"""Many solves on a Dask cluster: several problems (regions, days) or a sweep of policies
and seeds over one problem.

Each solve is one Dask task running :func:`fieldopt.solve` on a worker. Problems travel
to the workers as JSON documents (a path is read on the client, so workers need no shared
file system); results come back as pickled :class:`fieldopt.Result` objects, equal to
what the same local call returns (same seed and ``iterations`` give the same plan on
any machine). A failing task is reported with the problem it belongs to, and the other
results are kept.

Needs ``dask[distributed]`` (``pip install "fieldopt[dask]"``). Without a ``client``
a :class:`distributed.LocalCluster` with one single-threaded worker process per core is
started for the call and closed afterwards. See ``docs/distributed.md`` for real
clusters (dask-kubernetes, dask-jobqueue) and how to size them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from .compare import KPI_COLUMNS, _row
from .errors import FieldoptError
from .policy import PolicyLike, policy_json

if TYPE_CHECKING:
    from distributed import Client

    from .result import Result

__all__ = ["SolveManyError", "solve_many", "sweep"]


class SolveManyError(FieldoptError):
    """Some solves of :func:`solve_many` or :func:`sweep` failed; the others succeeded.

    Attributes
    ----------
    failures : dict
        Key of each failed problem (its index, its name in a mapping, or
        ``(policy, seed)`` for a sweep) -> the exception it raised (for example an
        :class:`InvalidProblemError` with its ``.path``).
    results : list or dict
        What :func:`solve_many` would have returned, with ``None`` for the failed ones.
    frame : pandas.DataFrame or None
        For :func:`sweep`: the KPI table, with NaN rows for the failed runs.
    """

    def __init__(
        self,
        failures: dict[Any, BaseException],
        results: Any,
        frame: pd.DataFrame | None = None,
    ) -> None:
        lines = [f"{k!r}: {type(e).__name__}: {e}" for k, e in failures.items()]
        super().__init__(f"{len(failures)} solve(s) failed: " + "; ".join(lines))
        self.failures = failures
        self.results = results
        self.frame = frame

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.failures, self.results, self.frame))


def _solve_task(
    text: str,
    policy: str | None,
    seed: int,
    time_limit: float | None,
    iterations: int | None,
    threads: int | None,
) -> Result:
    """Runs on a worker: one solve, returned without its problem (the client has it).
    ``policy`` is the weights' JSON text (from :func:`policy_json`) or ``None``."""
    import fieldopt

    res = fieldopt.solve(
        text,
        policy=None if policy is None else json.loads(policy),
        seed=seed,
        time_limit=time_limit,
        iterations=iterations,
        threads=threads,
        progress=False,
    )
    res.problem = None
    return res


@contextmanager
def _client(client: Client | None) -> Iterator[Client]:
    """``client``, or a LocalCluster client for the duration of the call."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as own,  # type: ignore[no-untyped-call]
    ):
        yield own


def _collect(futures: dict[Any, Any]) -> tuple[dict[Any, Result], dict[Any, BaseException]]:
    """Waits for every future; splits results and failures by key."""
    from distributed import wait

    wait(list(futures.values()))  # type: ignore[no-untyped-call]
    done: dict[Any, Result] = {}
    failed: dict[Any, BaseException] = {}
    for key, fut in futures.items():
        if fut.status == "finished":
            done[key] = fut.result()
        else:
            exc = fut.exception()
            failed[key] = exc if exc is not None else FieldoptError(f"task {fut.status}")
    return done, failed


def solve_many(
    problems: Sequence[Any] | Mapping[Any, Any],
    client: Client | None = None,
    *,
    policy: PolicyLike | None = None,
    seed: int = 0,
    time_limit: float | None = None,
    iterations: int | None = None,
    threads: int | None = 1,
    errors: Literal["raise", "return"] = "raise",
) -> list[Any] | dict[Any, Any]:
    """Solves several problems on a Dask cluster, one task each.

    Parameters
    ----------
    problems : sequence or mapping
        Documents as :func:`fieldopt.solve` takes them (path, dict, JSON text,
        :class:`fieldopt.Problem`), in a list or a ``{name: problem}`` mapping. A
        problem that cannot even be read (a missing file, a bad type) fails on the
        client, before anything is sent.
    client : distributed.Client, optional
        Where to run; default a LocalCluster for this call (one worker process per
        core).
    policy, seed, time_limit, iterations
        As for :func:`fieldopt.solve`, the same for every problem. With
        ``iterations`` (and no ``time_limit``) every plan is reproducible.
    threads : int, optional
        Threads per solve (default 1: one solve per worker thread).
    errors : {"raise", "return"}, default "raise"
        ``"raise"``: if any solve failed, raise :class:`SolveManyError` after all
        have finished (its ``.results`` keeps the successful ones). ``"return"``:
        the exception takes the failed problem's place in the result.

    Returns
    -------
    list or dict
        :class:`fieldopt.Result` per problem, in the order (or with the keys) given;
        each knows its problem, as from :func:`fieldopt.solve`.

    Examples
    --------
    >>> from distributed import Client                                        # doctest: +SKIP
    >>> results = solve_many({"north": "north.json", "south": "south.json"},
    ...                      Client("tcp://scheduler:8786"), iterations=20000)  # doctest: +SKIP
    >>> results["north"].kpis["assigned"]                                     # doctest: +SKIP
    """
    from . import _document_text

    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return', got {errors!r}")
    keyed = dict(problems) if isinstance(problems, Mapping) else dict(enumerate(problems))
    weights = policy_json(policy)
    texts = {k: _document_text(p, f"problems[{k!r}]") for k, p in keyed.items()}
    with _client(client) as c:
        futures = {
            k: c.submit(_solve_task, t, weights, seed, time_limit, iterations, threads, pure=False)
            for k, t in texts.items()
        }
        done, failed = _collect(futures)
    out: dict[Any, Any] = {}
    for k in keyed:
        if k in done:
            done[k].problem = texts[k]
            out[k] = done[k]
        else:
            out[k] = failed[k] if errors == "return" else None
    shaped: list[Any] | dict[Any, Any] = (
        out if isinstance(problems, Mapping) else list(out.values())
    )
    if failed and errors == "raise":
        raise SolveManyError(failed, shaped)
    return shaped


def sweep(
    problem: Any,
    policies: Mapping[str, PolicyLike] | Iterable[str],
    seeds: Iterable[int],
    client: Client | None = None,
    *,
    time_limit: float | None = None,
    iterations: int | None = None,
    threads: int | None = 1,
    errors: Literal["raise", "return"] = "raise",
) -> pd.DataFrame:
    """Solves one problem under every policy and seed on a Dask cluster.

    The problem is sent to the workers once (scattered), then one task per
    (policy, seed) pair runs.

    Parameters
    ----------
    problem : str, os.PathLike, dict, bytes or fieldopt.Problem
        As for :func:`fieldopt.solve`.
    policies : mapping or iterable of str
        As for :func:`fieldopt.compare`: ``{"row name": policy}`` or preset names.
    seeds : iterable of int
        Seeds to run each policy with.
    client : distributed.Client, optional
        Where to run; default a LocalCluster for this call.
    time_limit, iterations, threads
        As for :func:`fieldopt.compare`.
    errors : {"raise", "return"}, default "raise"
        ``"raise"``: if any run failed, raise :class:`SolveManyError` after all
        have finished (its ``.frame`` holds the table, NaN rows for the failures).
        ``"return"``: return the table with NaN rows and the exceptions in
        ``df.attrs["failures"]``.

    Returns
    -------
    pandas.DataFrame
        One row per (policy, seed) (a MultiIndex ``policy``, ``seed``, in the order
        given) with :data:`fieldopt.compare.KPI_COLUMNS`: for each seed the rows
        equal :func:`fieldopt.compare` with that seed. ``df.attrs["results"]`` holds
        the :class:`fieldopt.Result` per ``(policy, seed)``.

    Examples
    --------
    >>> df = sweep("region.json", ["default", "min_travel"], range(10),
    ...            iterations=5000)                                        # doctest: +SKIP
    >>> df.groupby(level="policy")[["travel_hours", "assigned"]].mean()    # doctest: +SKIP
    """
    from . import _document_text, _non_negative_int

    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return', got {errors!r}")
    named = dict(policies) if isinstance(policies, Mapping) else {p: p for p in policies}
    if not named:
        raise ValueError("sweep needs at least one policy")
    weights = {name: policy_json(p) for name, p in named.items()}
    seed_list = [_non_negative_int(s, "seeds") for s in seeds]
    if not seed_list:
        raise ValueError("sweep needs at least one seed")
    text = _document_text(problem, "problem")
    keys = [(name, s) for name in named for s in seed_list]
    with _client(client) as c:
        [shared] = c.scatter([text], broadcast=True, hash=False)  # type: ignore[no-untyped-call]
        futures = {
            (name, s): c.submit(
                _solve_task, shared, weights[name], s, time_limit, iterations, threads, pure=False
            )
            for name, s in keys
        }
        done, failed = _collect(futures)
    for r in done.values():
        r.problem = text
    nan_row = dict.fromkeys(KPI_COLUMNS, float("nan"))
    rows = [_row(done[k]) if k in done else nan_row for k in keys]
    index = pd.MultiIndex.from_tuples(keys, names=["policy", "seed"])
    df = pd.DataFrame(rows, index=index, columns=list(KPI_COLUMNS))
    df.attrs["results"] = done
    df.attrs["failures"] = failed
    if failed and errors == "raise":
        raise SolveManyError(failed, done, df)
    return df
