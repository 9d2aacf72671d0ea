"""A problem of one day: built from DataFrames, a dict or JSON, and shown as frames."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from . import _core
from .errors import InvalidProblemError
from .frames import Origin, backend_of, problem_from_frames, problem_to_frames

__all__ = ["Frames", "Problem"]

_BACKENDS = ("pandas", "polars")


class Frames(NamedTuple):
    """The jobs and technicians of a problem as two DataFrames."""

    jobs: Any
    technicians: Any


class Problem:
    """A ``fieldopt-problem/1`` document, with the frames it came from.

    Build one with :meth:`from_frames`, :meth:`from_json` or :meth:`from_dict`, and pass
    it to :func:`fieldopt.solve`. A problem built from frames remembers which column and
    row each field came from, so that an error of the engine (``jobs[3].time_windows[0]``)
    names the column (``tw_start``/``tw_end``) and the row; and the result's tables use the
    frames' library (pandas or polars).

    Parameters
    ----------
    doc : dict
        The problem document (kept as is; :meth:`from_dict` copies).
    backend : {"pandas", "polars"}, default "pandas"
        Library of the result tables.

    Attributes
    ----------
    doc : dict
        The problem document.
    backend : str
        ``"pandas"`` or ``"polars"``.
    ignored_columns : list of str
        Columns of the input frames that no convention reads (``"jobs.notes"``).

    Examples
    --------
    >>> import pandas as pd
    >>> jobs = pd.DataFrame({"id": ["J1", "J2"], "lat": [52.37, 52.36], "lon": [4.89, 4.90],
    ...                      "duration": [1800, 3600], "tw_start": ["09:00", None],
    ...                      "tw_end": ["12:00", None], "skill_hvac": [2, 0]})
    >>> techs = pd.DataFrame({"id": ["T1"], "lat": [52.35], "lon": [4.88],
    ...                       "shift_start": ["08:00"], "shift_end": ["17:00"],
    ...                       "skill_hvac": [3]})
    >>> problem = Problem.from_frames(jobs=jobs, technicians=techs, date="2026-11-24")
    >>> problem.doc["jobs"][0]["time_windows"]
    [[32400.0, 43200.0]]
    """

    def __init__(self, doc: dict[str, Any], *, backend: str = "pandas") -> None:
        if not isinstance(doc, dict):
            raise TypeError(f"doc must be a dict (a problem document), not {type(doc).__name__}")
        if backend not in _BACKENDS:
            raise ValueError(f"backend must be 'pandas' or 'polars', got {backend!r}")
        self.doc = doc
        self.backend = backend
        self.ignored_columns: list[str] = []
        self._origin: Origin | None = None

    # --- constructors -----------------------------------------------------------------

    @classmethod
    def from_frames(
        cls,
        jobs: Any,
        technicians: Any,
        *,
        date: Any,
        travel: Any = None,
        name: str | None = None,
        policy: Mapping[str, Any] | None = None,
        validate: bool = True,
        backend: str | None = None,
    ) -> Problem:
        """Builds a problem from a jobs frame and a technicians frame.

        Parameters
        ----------
        jobs : pandas.DataFrame or polars.DataFrame
            One row per job. Columns (see ``docs/input-format.md``): ``id`` and
            ``duration`` required; ``lat``/``lon`` (or ``x``/``y``, or ``location``);
            ``customer``, ``priority``, ``unassigned_cost``, ``kind``, ``demand``;
            ``skills`` (a dict column ``{"hvac": 2}``, a list column, text
            ``"hvac:2, gas"``) or one ``skill_<name>`` column per skill (0 or missing:
            not required); ``time_windows`` (a list column of ``[start, end]``, or text
            ``"08:00-12:00"``) or ``tw_start``/``tw_end``; ``certifications``,
            ``preferred_technicians``, ``excluded_technicians`` (list columns or text
            separated by commas), ``pinned_technician``.
        technicians : pandas.DataFrame or polars.DataFrame
            One row per technician: ``id``; ``lat``/``lon`` (start; ``end_lat``/
            ``end_lon`` for a different end); ``shift_start``/``shift_end`` (or a
            ``shift`` pair); ``max_overtime``; skills as for jobs; ``certifications``
            (a dict column name -> last valid day, or names without expiry) or
            ``cert_<name>`` columns of last valid days; ``capacity``, ``max_jobs``;
            ``break_start``/``break_end``/``break_duration``; ``fixed_cost``,
            ``cost_per_hour``, ``cost_per_km``; ``rating``, ``kind``, ``team``.
        date : str, datetime.date or datetime
            The plan day; datetimes in the frames are read relative to its midnight.
        travel : str, dict or matrix, optional
            ``"haversine"`` (great circle x 1.3 at 40 km/h), ``"euclidean"`` (speed 1),
            the spec's travel dict, or a square matrix of durations (numpy array,
            nested lists or a DataFrame; locations are then row numbers). Default:
            ``"haversine"`` for ``lat``/``lon`` frames, ``"euclidean"`` for ``x``/``y``.
        name : str, optional
            Name of the problem, echoed in the plan.
        policy : dict, optional
            Objective weights (the document's ``policy``).
        validate : bool, default True
            Validate with the engine now, so that errors show where the frames are
            built.
        backend : {"pandas", "polars"}, optional
            Library of the result tables; default the library of ``jobs``.

        Returns
        -------
        Problem

        Raises
        ------
        fieldopt.frames.InvalidFrameError
            A value cannot be read or is not valid; ``.path`` is the document path
            (``jobs[3].time_windows``), ``.row`` and ``.column`` name the cell, and the
            message names both. It is an :class:`~fieldopt.InvalidProblemError`.
        TypeError
            A frame of an unsupported type.
        """
        doc, origin, ignored = problem_from_frames(
            jobs, technicians, date=date, travel=travel, name=name, policy=policy
        )
        problem = cls(doc, backend=backend or backend_of(jobs) or "pandas")
        problem._origin = origin
        problem.ignored_columns = ignored
        if validate:
            problem.validate()
        return problem

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], *, backend: str = "pandas") -> Problem:
        """A problem from a document given as a dict (deep-copied).

        Parameters
        ----------
        doc : dict
            A ``fieldopt-problem/1`` document.
        backend : {"pandas", "polars"}, default "pandas"
            Library of the result tables.

        Returns
        -------
        Problem
        """
        if not isinstance(doc, Mapping):
            raise TypeError(f"doc must be a dict, not {type(doc).__name__}")
        return cls(copy.deepcopy(dict(doc)), backend=backend)

    @classmethod
    def from_json(
        cls, source: str | bytes | os.PathLike[str], *, backend: str = "pandas"
    ) -> Problem:
        """A problem from a JSON file or JSON text.

        Parameters
        ----------
        source : str, bytes or os.PathLike
            A path, or JSON text (a ``str`` starting with ``{``, or ``bytes``).
        backend : {"pandas", "polars"}, default "pandas"
            Library of the result tables.

        Returns
        -------
        Problem

        Raises
        ------
        InvalidProblemError
            Not JSON, or not a JSON object.
        FileNotFoundError
            ``source`` names a missing file.
        """
        if isinstance(source, (bytes, bytearray)):
            text = bytes(source).decode("utf-8")
        elif isinstance(source, str) and source.lstrip().startswith("{"):
            text = source
        else:
            with open(source, encoding="utf-8") as f:
                text = f.read()
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise InvalidProblemError(f"not JSON: {e}") from e
        if not isinstance(doc, dict):
            raise InvalidProblemError("a problem document must be a JSON object")
        return cls(doc, backend=backend)

    # --- views ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of the problem document."""
        return copy.deepcopy(self.doc)

    def to_json(self, indent: int | None = 2) -> str:
        """The problem document as JSON text (numpy scalars written as numbers).

        Parameters
        ----------
        indent : int or None, default 2
            Indentation, or ``None`` for the most compact form.
        """
        try:
            return json.dumps(self.doc, indent=indent, allow_nan=False, default=_json_default)
        except (TypeError, ValueError) as e:
            raise InvalidProblemError(f"problem cannot be written as JSON: {e}") from e

    def to_frames(self, backend: str | None = None) -> Frames:
        """The jobs and technicians as DataFrames, in the conventions of
        :meth:`from_frames` (so ``Problem.from_frames(*p.to_frames(), date=...)`` gives
        the same document back).

        Parameters
        ----------
        backend : {"pandas", "polars"}, optional
            Default :attr:`backend`.

        Returns
        -------
        Frames
            ``(jobs, technicians)``, a named tuple. Columns with no value in any row
            are left out; dict columns (skills, certifications) are object columns in
            pandas and struct columns in polars.
        """
        jobs, techs = problem_to_frames(self.doc, backend or self.backend)
        return Frames(jobs, techs)

    @property
    def name(self) -> str | None:
        """The problem's name, if any."""
        value = self.doc.get("name")
        return None if value is None else str(value)

    @property
    def date(self) -> str | None:
        """The plan day, ``YYYY-MM-DD``."""
        value = self.doc.get("date")
        return None if value is None else str(value)

    @property
    def n_jobs(self) -> int:
        """Number of jobs."""
        return len(self.doc.get("jobs") or [])

    @property
    def n_technicians(self) -> int:
        """Number of technicians."""
        return len(self.doc.get("technicians") or [])

    # --- checks -----------------------------------------------------------------------

    def validate(self) -> None:
        """Validates the document with the engine, without solving.

        Raises
        ------
        InvalidProblemError
            The first problem found; for a frame-built problem an
            :class:`~fieldopt.frames.InvalidFrameError` naming the row and column.
        """
        try:
            _core.validate_json(self.to_json(indent=None))
        except InvalidProblemError as e:
            raise self.explain_error(e) from None

    def explain_error(self, err: InvalidProblemError) -> InvalidProblemError:
        """``err`` with the frame row and column named when the problem came from frames
        and its path points into a row; else ``err`` itself."""
        if self._origin is None:
            return err
        return self._origin.translate(err)

    # --- dunder -----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.doc == other.doc

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        parts = [f"name={self.name!r}"] if self.name else []
        parts += [
            f"date={self.date!r}",
            f"jobs={self.n_jobs}",
            f"technicians={self.n_technicians}",
        ]
        travel = self.doc.get("travel")
        if isinstance(travel, Mapping):
            parts.append(f"travel={travel.get('kind')!r}")
        if self.backend != "pandas":
            parts.append(f"backend={self.backend!r}")
        return f"Problem({', '.join(parts)})"


def _json_default(value: Any) -> Any:
    """Numpy and pandas scalars (and arrays) as plain Python values."""
    for attr in ("tolist", "item"):
        method = getattr(value, attr, None)
        if callable(method):
            return method()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
