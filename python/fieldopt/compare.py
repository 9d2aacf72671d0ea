"""Compare dispatch policies on one problem: one solve per policy, one KPI row each."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pandas as pd

from .policy import PolicyLike, policy_json

if TYPE_CHECKING:
    from . import Document
    from .result import Result

__all__ = ["KPI_COLUMNS", "compare"]

#: Columns of the :func:`compare` table, in order (the plan's ``kpis.policy`` object,
#: then the objective and the spec's ``unassigned`` count).
KPI_COLUMNS = (
    "assigned",
    "priority_assigned",
    "travel_hours",
    "labor_cost",
    "labor_cost_per_job",
    "overtime_hours",
    "preferred_rate",
    "overqualification",
    "expert_hours_basic",
    "workload_spread_hours",
    "workload_std_hours",
    "customer_concentration",
    "customer_hhi",
    "contractor_share",
    "mean_rating",
    "expert_hours",
    "preferred_jobs",
    "outsourced",
    "unassigned",
    "objective",
)


def compare(
    problem: Document,
    policies: Mapping[str, PolicyLike] | Iterable[str],
    *,
    seed: int = 0,
    time_limit: float | None = None,
    iterations: int | None = None,
    threads: int | None = 1,
    max_workers: int | None = None,
) -> pd.DataFrame:
    """Solves ``problem`` once per policy and returns their KPIs side by side.

    Parameters
    ----------
    problem : str, os.PathLike, dict or bytes
        As for :func:`fieldopt.solve`.
    policies : mapping or iterable of str
        ``{"row name": policy}`` where a policy is a preset name, a
        :class:`fieldopt.Policy` or a dict of weights; or just preset names.
    seed, time_limit, iterations
        As for :func:`fieldopt.solve`, the same for every policy. With
        ``iterations`` (and no ``time_limit``) the table is reproducible.
    threads : int, optional
        Worker threads per solve (default 1: the policies run in parallel instead).
    max_workers : int, optional
        Solves run at once (default: the number of cores). The GIL is released
        during each solve, so they really run in parallel.

    Returns
    -------
    pandas.DataFrame
        One row per policy (index ``policy``, in the order given) and the
        :data:`KPI_COLUMNS`; hours are real hours, money is the problem's
        currency, rates and shares are in [0, 1]. ``df.attrs["results"]`` holds
        the :class:`fieldopt.Result` of each policy.

    Raises
    ------
    ValueError
        An unknown preset name (before anything is solved), or no policy.
    InvalidProblemError
        The problem, or a policy's weights, are invalid (``.path`` names the field).

    Examples
    --------
    >>> df = fieldopt.compare("examples/data/sample_day.json",
    ...                       ["favourite_first", "best_skill_fit"], iterations=2000)  # doctest: +SKIP
    >>> df[["preferred_rate", "overqualification"]]                                     # doctest: +SKIP
    """
    from . import _document_text, solve

    named = dict(policies) if isinstance(policies, Mapping) else {p: p for p in policies}
    if not named:
        raise ValueError("compare needs at least one policy")
    for p in named.values():
        policy_json(p)  # unknown names and bad types fail before any solve
    text = _document_text(problem, "problem")
    workers = max(1, min(len(named), max_workers or os.cpu_count() or 1))

    def run(item: tuple[str, PolicyLike]) -> Result:
        return solve(
            text,
            policy=item[1],
            seed=seed,
            time_limit=time_limit,
            iterations=iterations,
            threads=threads,
        )

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fieldopt-compare") as pool:
        results = list(pool.map(run, named.items()))
    rows = [_row(r) for r in results]
    df = pd.DataFrame(rows, index=pd.Index(list(named), name="policy"), columns=list(KPI_COLUMNS))
    df.attrs["results"] = dict(zip(named, results))
    return df


def _row(result: Result) -> dict[str, Any]:
    """The KPI row of one result."""
    kpis = result.kpis
    row: dict[str, Any] = dict(kpis.get("policy") or {})
    row["unassigned"] = kpis.get("unassigned")
    row["objective"] = kpis.get("objective")
    return {k: (float("nan") if row.get(k) is None else row[k]) for k in KPI_COLUMNS}
