"""Dispatch policies: the objective weights of a solve, by preset name or custom.

A policy is a set of non-negative weights (currency units) on the objective terms;
see ``docs/problem-format.md`` for each weight's unit. The named presets live in the
engine (``fieldopt._core.policy_presets``), so Python, the CLI and Rust agree.

Examples
--------
>>> from fieldopt.policy import Policy, presets
>>> sorted(presets())                                     # doctest: +SKIP
['balanced', 'best_skill_fit', 'default', 'favourite_first', 'lowest_cost', 'min_travel']
>>> Policy.preset("best_skill_fit").skill_fit             # doctest: +SKIP
60.0
>>> Policy(travel_time=50.0).to_dict()["travel_time"]     # doctest: +SKIP
50.0
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from . import _core

__all__ = ["Policy", "PolicyLike", "policy_json", "presets"]


@dataclasses.dataclass(frozen=True)
class Policy:
    """Objective weights (currency units, each >= 0; 0 switches a term off).

    Attributes
    ----------
    travel_time : float
        Per hour of driving.
    travel_distance : float
        Per km driven (per 1000 distance units on planar instances).
    labor : float
        Multiplier on the technicians' own cost (call-out fee, hourly, per km).
    unassigned : float
        Leaving out a job of priority p costs ``unassigned * (1 + p)``.
    outsourcing : float
        Multiplier on a job's own ``unassigned_cost``; 0 ignores it.
    preferred : float
        Per job served by someone other than its favourite (capped so that
        favourites never cost a job).
    skill_fit : float
        Per scarcity-weighted skill level above the requirement.
    rating : float
        Per rating point below 5, times ``(1 + priority)``.
    workload : float
        Per squared hour of a route span above the even share of the work, and
        half of it per squared hour below (linear beyond 1 hour).
    fairness : float
        Per expert hour on a basic job, times the customer's job count (max 10).
    """

    travel_time: float = 20.0
    travel_distance: float = 0.5
    labor: float = 1.0
    unassigned: float = 10_000.0
    outsourcing: float = 0.0
    preferred: float = 30.0
    skill_fit: float = 1.0
    rating: float = 1.0
    workload: float = 0.0
    fairness: float = 0.0

    @classmethod
    def preset(cls, name: str) -> Policy:
        """The named preset (see :func:`presets`); ``ValueError`` for an unknown name."""
        table = presets()
        key = str(name).strip().lower().replace("-", "_")
        if key not in table:
            raise ValueError(f"unknown policy {name!r}; choose one of {', '.join(table)}")
        return cls(**table[key])

    def replace(self, **weights: float) -> Policy:
        """A copy with some weights changed, e.g. ``Policy.preset("balanced").replace(workload=50)``."""
        return dataclasses.replace(self, **weights)

    def to_dict(self) -> dict[str, float]:
        """The weights as a dict (the problem document's ``policy`` object)."""
        return dataclasses.asdict(self)


#: What ``policy=`` accepts: a preset name, a :class:`Policy`, or a dict of weights
#: (unknown keys and negative weights are rejected by the engine, naming the key).
PolicyLike = str | Policy | Mapping[str, Any]


def presets() -> dict[str, dict[str, float]]:
    """Every named preset: ``{name: {weight: value}}``, in the engine's order."""
    table: dict[str, dict[str, float]] = json.loads(_core.policy_presets())
    return table


def policy_json(policy: PolicyLike | None) -> str | None:
    """JSON text of the weights for ``fieldopt._core.solve_json`` (``None`` stays ``None``).

    Raises
    ------
    ValueError
        Unknown preset name.
    TypeError
        Not a name, a :class:`Policy` or a mapping.
    """
    if policy is None:
        return None
    if isinstance(policy, str):
        return json.dumps(Policy.preset(policy).to_dict())
    if isinstance(policy, Policy):
        return json.dumps(policy.to_dict())
    if isinstance(policy, Mapping):
        return json.dumps(dict(policy))
    raise TypeError(
        f"policy must be a preset name, a fieldopt.Policy or a dict, not {type(policy).__name__}"
    )
