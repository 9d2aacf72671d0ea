"""Problems from DataFrames: the column conventions of :meth:`fieldopt.Problem.from_frames`.

A jobs frame and a technicians frame (pandas or polars, or anything with the same
columns as a dict of lists or a list of records) become a ``fieldopt-problem/1``
document. One row is one job or one technician; the columns are listed in
``docs/input-format.md`` and in :data:`JOB_COLUMNS` / :data:`TECHNICIAN_COLUMNS`.
Columns not listed are ignored (they are reported in
:attr:`fieldopt.Problem.ignored_columns`), and a missing optional column, or a missing
value in a row (``None``, ``NaN``, ``NaT``), takes the spec's default.

Times (time windows, shifts, breaks) may be seconds from midnight of ``date``,
``"HH:MM"`` or ``"HH:MM:SS"`` strings, ``datetime.time`` values, timedeltas from
midnight, or datetimes (then relative to midnight of ``date``, in the datetime's own
time zone). Durations may be seconds, timedeltas or ``"HH:MM"`` strings.

Every error is an :class:`InvalidFrameError` (an
:class:`~fieldopt.InvalidProblemError`) naming the document path, the frame, the row
and the column, for example ``jobs[3].time_windows: column 'tw_start' of jobs row 3
(id 'J3'): cannot read '25:99' as a time``.

Two paths give the same document and the same errors (:data:`CONVERSION` chooses):

* **Arrow** (pandas >= 2.2 and polars DataFrames, or anything with
  ``__arrow_c_stream__``): the frames cross into Rust as Arrow C streams and the column
  conventions are read there (``fieldopt._core.frames_to_documents``), with 3-6x less
  CPU time than per row (``benches/results/python_layer.md``).
* **Python, per row**: dicts of columns, lists of records, older pandas, and frames the
  Arrow path cannot take (a pandas ``object`` column mixing numbers and text that pyarrow
  cannot type, or an Arrow type the Rust reader does not know, such as decimals or maps).

:attr:`Origin.conversion` of the result says which path ran and, after a fallback,
:attr:`Origin.fallback` why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .cells import (
    NO_EXPIRY,
    Converter,
    _break,
    _CellError,
    _cost,
    _day,
    _duration,
    _float,
    _int,
    _location,
    _missing,
    _numbers,
    _pair,
    _plain,
    _skills,
    _str,
    _str_list,
    _tech_certs,
    _time,
    _windows,
)
from .errors import InvalidProblemError
from .frames_out import problem_to_frames

__all__ = [
    "CONVERSION",
    "DEFAULT_HAVERSINE",
    "JOB_COLUMNS",
    "TECHNICIAN_COLUMNS",
    "InvalidFrameError",
    "backend_of",
    "problem_from_frames",
    "problem_to_frames",
]

#: Travel model used when ``travel`` is not given and the frames have ``lat``/``lon``
#: columns: great circle x 1.3 at 40 km/h (a typical urban service day).
DEFAULT_HAVERSINE: dict[str, Any] = {"kind": "haversine", "speed_kmh": 40.0, "detour_factor": 1.3}

#: How :func:`problem_from_frames` reads frames unless told otherwise: ``"auto"`` (the
#: Arrow path when both frames can take it, else the per-row Python path), ``"arrow"``
#: (the Arrow path, or a ``TypeError`` saying why it cannot) or ``"python"`` (per row).
CONVERSION = "auto"

_CONVERSIONS = ("auto", "arrow", "python")

#: Columns read from a jobs frame (besides ``skill_<name>`` columns).
JOB_COLUMNS = (
    "id",
    "customer",
    "lat",
    "lon",
    "x",
    "y",
    "location",
    "duration",
    "time_windows",
    "tw_start",
    "tw_end",
    "skills",
    "certifications",
    "demand",
    "priority",
    "unassigned_cost",
    "preferred_technicians",
    "excluded_technicians",
    "pinned_technician",
    "kind",
)

#: Columns read from a technicians frame (besides ``skill_<name>`` and ``cert_<name>``).
TECHNICIAN_COLUMNS = (
    "id",
    "lat",
    "lon",
    "x",
    "y",
    "start",
    "end_lat",
    "end_lon",
    "end_x",
    "end_y",
    "end",
    "shift",
    "shift_start",
    "shift_end",
    "max_overtime",
    "skills",
    "certifications",
    "capacity",
    "max_jobs",
    "break",
    "break_start",
    "break_end",
    "break_duration",
    "cost",
    "fixed_cost",
    "cost_per_hour",
    "cost_per_km",
    "rating",
    "kind",
    "team",
)


class InvalidFrameError(InvalidProblemError):
    """A value of an input frame is not valid.

    An :class:`~fieldopt.InvalidProblemError` (and so a ``ValueError``) that also
    names where the value came from.

    Parameters
    ----------
    message : str
        What is wrong, naming the column(s) and the row.
    path : str
        Document path of the value, e.g. ``"jobs[3].time_windows"``.
    frame : str, optional
        ``"jobs"`` or ``"technicians"``.
    row : int, optional
        0-based position of the row in its frame (the document index).
    column : str, optional
        The column (or columns, joined by ``"/"``) the value was read from.

    Attributes
    ----------
    frame, row, column
        As the parameters.
    """

    def __init__(
        self,
        message: str,
        path: str = "",
        frame: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message, path)
        self.frame = frame
        self.row = row
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.path, self.frame, self.row, self.column))


def backend_of(frame: Any) -> str | None:
    """``"pandas"`` or ``"polars"`` for a DataFrame of that library, else ``None``."""
    root = type(frame).__module__.split(".", 1)[0]
    return root if root in ("pandas", "polars") else None


def _columns(frame: Any, what: str) -> tuple[dict[str, list[Any]], list[Any] | None, int]:
    """The columns of ``frame`` as Python lists, the row labels (pandas index, when it is
    not the default range) and the number of rows."""
    backend = backend_of(frame)
    labels: list[Any] | None = None
    if backend == "polars":
        if hasattr(frame, "collect") and not hasattr(frame, "to_dict"):
            frame = frame.collect()  # a LazyFrame
        cols: dict[str, list[Any]] = {str(k): v for k, v in frame.to_dict(as_series=False).items()}
        return cols, None, int(frame.height)
    if backend == "pandas":
        if len(set(frame.columns)) != len(frame.columns):
            raise InvalidFrameError(f"the {what} frame has duplicate column names", what, what)
        cols = {str(c): frame[c].tolist() for c in frame.columns}
        index = frame.index
        if not (index.dtype.kind == "i" and list(index) == list(range(len(frame)))):
            labels = list(index)
        return cols, labels, len(frame)
    if isinstance(frame, Mapping):
        cols = {str(k): list(v) for k, v in frame.items()}
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1:
            raise InvalidFrameError(f"the {what} columns have different lengths", what, what)
        return cols, None, lengths.pop() if lengths else 0
    if isinstance(frame, Sequence) and not isinstance(frame, (str, bytes)):
        rows = list(frame)
        if not all(isinstance(r, Mapping) for r in rows):
            raise TypeError(f"{what} must be a DataFrame, a dict of columns or a list of dicts")
        names: dict[str, None] = {}
        for r in rows:
            names.update(dict.fromkeys(str(k) for k in r))
        cols = {n: [r.get(n) for r in rows] for n in names}
        return cols, None, len(rows)
    raise TypeError(
        f"{what} must be a pandas or polars DataFrame, a dict of columns or a list of dicts, "
        f"not {type(frame).__name__}"
    )


def _cell_error(
    what: str,
    i: int,
    column: str,
    message: str,
    field: str,
    labels: list[Any] | None,
    ident: Any,
) -> InvalidFrameError:
    """The error of the value in ``column`` (columns joined by ``/``) of row ``i``, at
    document sub-path ``field``; both paths word it with this."""
    where = f"{what} row {i}"
    if labels is not None:
        where += f" (index {labels[i]!r})"
    if not _missing(ident):
        where += f" (id {ident!r})"
    cols = "/".join(f"'{c}'" for c in column.split("/"))
    kind = "columns" if "/" in column else "column"
    path = f"{what}[{i}].{field}" if field else f"{what}[{i}]"
    return InvalidFrameError(f"{kind} {cols} of {where}: {message}", path, what, i, column)


# --- cell converters ------------------------------------------------------------------


class _Rows:
    """Reads one frame row by row; every error names the row and the column."""

    def __init__(self, frame: Any, what: str, known: Iterable[str], prefixes: Sequence[str]):
        self.what = what
        self.cols, self.labels, self.n = _columns(frame, what)
        self.origin: dict[str, str] = {}  # document sub-path -> column(s)
        prefix = tuple(prefixes)
        known_set = set(known)
        self.ignored = [c for c in self.cols if c not in known_set and not c.startswith(prefix)]
        self.ids: list[Any] = self.cols.get("id", [None] * self.n)
        self.row = 0

    def has(self, *names: str) -> bool:
        return all(n in self.cols for n in names)

    def fail(self, column: str, message: str, field: str) -> InvalidFrameError:
        i = self.row
        ident = self.ids[i] if i < len(self.ids) else None
        return _cell_error(self.what, i, column, message, field, self.labels, ident)

    def get(self, column: str) -> Any:
        """The value of ``column`` in the current row, or None when missing."""
        col = self.cols.get(column)
        if col is None:
            return None
        v = col[self.row]
        if isinstance(v, (list, tuple, dict)):
            return v
        return None if _missing(v) else v

    def put(
        self, out: dict[str, Any], field: str, column: str, conv: Converter, path: str = ""
    ) -> None:
        """``out[field] = conv(row[column])`` unless the value is missing."""
        v = self.get(column)
        if v is None:
            return
        self.origin.setdefault(path or field, column)
        try:
            out[field] = conv(v)
        except _CellError as e:
            raise self.fail(column, str(e), path or field) from None

    def convert(self, column: str, field: str, conv: Converter, v: Any) -> Any:
        self.origin.setdefault(field, column)
        try:
            return conv(v)
        except _CellError as e:
            raise self.fail(column, str(e), field) from None

    def point(self, a: str, b: str, field: str) -> dict[str, float] | None:
        """``{a: row[a], b: row[b]}`` from two columns, None when both are missing."""
        va, vb = self.get(a), self.get(b)
        if va is None and vb is None:
            return None
        self.origin.setdefault(field, f"{a}/{b}")
        if va is None or vb is None:
            raise self.fail(f"{a}/{b}", f"'{a}' and '{b}' must both be given", field)
        try:
            return {a: _float(va), b: _float(vb)}
        except _CellError as e:
            raise self.fail(f"{a}/{b}", str(e), field) from None

    def location(self, field: str, pairs: Sequence[tuple[str, str]], column: str) -> Any:
        for a, b in pairs:
            if self.has(a, b):
                p = self.point(a, b, field)
                if p is not None:
                    return {k.removeprefix("end_"): v for k, v in p.items()}
        if column in self.cols:
            v = self.get(column)
            if v is not None:
                return self.convert(column, field, _location, v)
        return None

    def span(self, out: dict[str, Any], field: str, a: str, b: str, date: dt.date) -> None:
        """``out[field] = [time(row[a]), time(row[b])]``; both or neither."""
        va, vb = self.get(a), self.get(b)
        if va is None and vb is None:
            return
        both = f"{a}/{b}"
        self.origin.setdefault(field, both)
        if va is None or vb is None:
            missing = a if va is None else b
            raise self.fail(
                missing, f"'{missing}' is missing while '{b if va is None else a}' is set", field
            )
        col = a
        try:
            first = _time(va, date)
            col = b
            out[field] = [first, _time(vb, date)]
        except _CellError as e:
            raise self.fail(col, str(e), field) from None

    def skill_columns(self, prefix: str) -> list[tuple[str, str]]:
        return [(c, c[len(prefix) :]) for c in self.cols if c.startswith(prefix)]


def _date(value: Any) -> dt.date:
    value = _plain(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InvalidProblemError(f"date must be a date or 'YYYY-MM-DD', got {value!r}", "date")


def _travel(travel: Any, jobs: list[dict[str, Any]], techs: list[dict[str, Any]]) -> Any:
    if travel is None:
        sample = next((t["start"] for t in techs if "start" in t), None)
        if isinstance(sample, Mapping) and "x" in sample:
            return {"kind": "euclidean", "speed": 1.0}
        return dict(DEFAULT_HAVERSINE)
    if isinstance(travel, str):
        if travel == "haversine":
            return dict(DEFAULT_HAVERSINE)
        if travel == "euclidean":
            return {"kind": "euclidean", "speed": 1.0}
        raise InvalidProblemError(
            f"travel must be 'haversine', 'euclidean', a travel dict or a matrix, got {travel!r}",
            "travel",
        )
    if isinstance(travel, Mapping):
        return {str(k): _plain(v) for k, v in travel.items()}
    if hasattr(travel, "shape") or isinstance(travel, (list, tuple)):
        values = travel.to_numpy() if hasattr(travel, "to_numpy") else travel
        rows = _plain(values)
        return {"kind": "matrix", "durations": [[float(x) for x in r] for r in rows]}
    raise TypeError(f"travel must be a str, a dict or a matrix, not {type(travel).__name__}")


def _job_rows(frame: Any, date: dt.date) -> _Rows:
    r = _Rows(frame, "jobs", JOB_COLUMNS, ["skill_"])
    if "id" not in r.cols:
        raise InvalidFrameError("the jobs frame has no 'id' column", "jobs", "jobs", None, "id")
    if "duration" not in r.cols:
        raise InvalidFrameError(
            "the jobs frame has no 'duration' column", "jobs", "jobs", None, "duration"
        )
    return r


def _build_jobs(r: _Rows, date: dt.date) -> list[dict[str, Any]]:
    skill_cols = r.skill_columns("skill_")
    windows_col = "time_windows" in r.cols
    tw_cols = r.has("tw_start") or r.has("tw_end")
    d = date
    jobs: list[dict[str, Any]] = []
    for i in range(r.n):
        r.row = i
        job: dict[str, Any] = {}
        r.put(job, "id", "id", _str)
        if "id" not in job:
            raise r.fail("id", "the id is missing", "id")
        r.put(job, "customer", "customer", _str)
        loc = r.location("location", [("lat", "lon"), ("x", "y")], "location")
        if loc is not None:
            job["location"] = loc
        r.put(job, "duration", "duration", _duration)
        if windows_col:
            r.put(job, "time_windows", "time_windows", lambda v: _windows(v, d))
        if tw_cols and "time_windows" not in job:
            span: dict[str, Any] = {}
            r.span(span, "time_windows", "tw_start", "tw_end", date)
            if span:
                job["time_windows"] = [span["time_windows"]]
        r.put(job, "skills", "skills", _skills)
        for col, name in skill_cols:
            level = r.get(col)
            if level is None:
                continue
            lv = r.convert(col, f"skills.{name}", _int, level)
            if lv:  # 0 = not required
                job.setdefault("skills", {})[name] = lv
        r.put(job, "certifications", "certifications", _str_list)
        r.put(job, "demand", "demand", _numbers)
        r.put(job, "priority", "priority", _int)
        r.put(job, "unassigned_cost", "unassigned_cost", _float)
        r.put(job, "preferred_technicians", "preferred_technicians", _str_list)
        r.put(job, "excluded_technicians", "excluded_technicians", _str_list)
        r.put(job, "pinned_technician", "pinned_technician", _str)
        r.put(job, "kind", "kind", _str)
        jobs.append(job)
    if skill_cols:
        r.origin.setdefault("skills", "/".join(c for c, _ in skill_cols))
    return jobs


def _build_techs(r: _Rows, date: dt.date) -> list[dict[str, Any]]:
    if "id" not in r.cols:
        raise InvalidFrameError(
            "the technicians frame has no 'id' column", "technicians", "technicians", None, "id"
        )
    skill_cols = r.skill_columns("skill_")
    cert_cols = r.skill_columns("cert_")
    d = date
    techs: list[dict[str, Any]] = []
    for i in range(r.n):
        r.row = i
        t: dict[str, Any] = {}
        r.put(t, "id", "id", _str)
        if "id" not in t:
            raise r.fail("id", "the id is missing", "id")
        start = r.location("start", [("lat", "lon"), ("x", "y")], "start")
        if start is not None:
            t["start"] = start
        end = r.location("end", [("end_lat", "end_lon"), ("end_x", "end_y")], "end")
        if end is not None:
            t["end"] = end
        r.put(t, "shift", "shift", lambda v: _pair(v, d))
        if "shift" not in t:
            r.span(t, "shift", "shift_start", "shift_end", date)
        r.put(t, "max_overtime", "max_overtime", _duration)
        r.put(t, "skills", "skills", _skills)
        for col, name in skill_cols:
            level = r.get(col)
            if level is None:
                continue
            lv = r.convert(col, f"skills.{name}", _int, level)
            if lv:
                t.setdefault("skills", {})[name] = lv
        r.put(t, "certifications", "certifications", _tech_certs)
        for col, name in cert_cols:
            until = r.get(col)
            if until is None or until is False:
                continue
            day = (
                NO_EXPIRY
                if until is True
                else r.convert(col, f"certifications.{name}", _day, until)
            )
            t.setdefault("certifications", {})[name] = day
        r.put(t, "capacity", "capacity", _numbers)
        r.put(t, "max_jobs", "max_jobs", _int)
        r.put(t, "break", "break", lambda v: _break(v, d))
        if "break" not in t:
            brk: dict[str, Any] = {}
            r.span(brk, "break.window", "break_start", "break_end", date)
            if "break.window" in brk:
                b: dict[str, Any] = {"window": brk["break.window"]}
                r.put(b, "duration", "break_duration", _duration, "break.duration")
                if "duration" not in b:
                    raise r.fail(
                        "break_duration", "the break has a window but no duration", "break.duration"
                    )
                t["break"] = b
        r.put(t, "cost", "cost", _cost)
        if "cost" not in t:
            cost: dict[str, Any] = {}
            r.put(cost, "fixed", "fixed_cost", _float, "cost.fixed")
            r.put(cost, "per_hour", "cost_per_hour", _float, "cost.per_hour")
            r.put(cost, "per_km", "cost_per_km", _float, "cost.per_km")
            if cost:
                t["cost"] = cost
        r.put(t, "rating", "rating", _float)
        r.put(t, "kind", "kind", _str)
        r.put(t, "team", "team", _str)
        techs.append(t)
    for col, name in skill_cols:
        r.origin.setdefault(f"skills.{name}", col)
    for col, name in cert_cols:
        r.origin.setdefault(f"certifications.{name}", col)
    return techs


class Origin:
    """Where each document field of a frame-built problem came from: maps the engine's
    error paths (``jobs[3].time_windows[0]``) back to a frame row and column.

    Attributes
    ----------
    conversion : {"arrow", "python"}
        The path that read the frames.
    fallback : str or None
        Why the Arrow path was not used (None when it was, or when ``"python"`` was asked).
    """

    _PATH = re.compile(r"^(jobs|technicians)\[(\d+)\](?:\.(.*))?$")

    def __init__(
        self,
        columns: dict[str, dict[str, str]],
        ids: dict[str, list[Any]],
        labels: dict[str, list[Any] | None],
        conversion: str = "python",
        fallback: str | None = None,
    ) -> None:
        self.columns = columns
        self.ids = ids
        self.labels = labels
        self.conversion = conversion
        self.fallback = fallback

    def column_of(self, what: str, sub: str) -> tuple[str, str] | None:
        """(column, matched sub-path) for a field path inside a row, longest match first."""
        table = self.columns.get(what, {})
        parts = re.split(r"\.|\[", sub)
        for k in range(len(parts), 0, -1):
            key = ".".join(p for p in parts[:k] if not p.endswith("]"))
            if key in table:
                return table[key], key
        return None

    def translate(self, err: InvalidProblemError) -> InvalidProblemError:
        """``err`` with the frame row and column named, when its path points into a frame."""
        m = self._PATH.match(err.path or "")
        if not m:
            return err
        what, i, sub = m.group(1), int(m.group(2)), m.group(3) or ""
        found = self.column_of(what, sub) if sub else None
        where = f"{what} row {i}"
        labels = self.labels.get(what)
        if labels is not None and i < len(labels):
            where += f" (index {labels[i]!r})"
        ids = self.ids.get(what, [])
        if i < len(ids) and not _missing(ids[i]):
            where += f" (id {ids[i]!r})"
        if found is None:
            message = f"{where}: {err.message}"
            return InvalidFrameError(message, err.path, what, i, None)
        column = found[0]
        cols = "/".join(f"'{c}'" for c in column.split("/"))
        kind = "columns" if "/" in column else "column"
        message = f"{kind} {cols} of {where}: {err.message}"
        return InvalidFrameError(message, err.path, what, i, column)


def _ignored(
    what: str, columns: Iterable[str], known: Sequence[str], prefixes: tuple[str, ...]
) -> list[str]:
    known_set = set(known)
    return [f"{what}.{c}" for c in columns if c not in known_set and not c.startswith(prefixes)]


def problem_from_frames(
    jobs: Any,
    technicians: Any,
    *,
    date: Any,
    travel: Any = None,
    name: str | None = None,
    policy: Mapping[str, Any] | None = None,
    conversion: str | None = None,
) -> tuple[dict[str, Any], Origin, list[str]]:
    """The problem document of two frames, the origin of its fields, the ignored columns.

    See :meth:`fieldopt.Problem.from_frames` for the parameters. ``conversion``
    (default :data:`CONVERSION`) is ``"auto"``, ``"arrow"`` or ``"python"``; the path
    taken is recorded in :attr:`Origin.conversion`.
    """
    mode = CONVERSION if conversion is None else conversion
    if mode not in _CONVERSIONS:
        raise ValueError(f"conversion must be one of {_CONVERSIONS}, got {mode!r}")
    day = _date(date)
    fallback: str | None = None
    if mode != "python":
        from .frames_arrow import from_arrow  # imports this module: bound at call time

        got = from_arrow(jobs, technicians, day)
        if isinstance(got, str):
            if mode == "arrow":
                raise TypeError(f"the Arrow path cannot read these frames: {got}")
            fallback = got
        else:
            job_docs, tech_docs, origins, labels, columns = got
            origin = Origin(
                origins,
                {"jobs": [j["id"] for j in job_docs], "technicians": [t["id"] for t in tech_docs]},
                labels,
                "arrow",
            )
            ignored = _ignored("jobs", columns["jobs"], JOB_COLUMNS, ("skill_",))
            ignored += _ignored(
                "technicians", columns["technicians"], TECHNICIAN_COLUMNS, ("skill_", "cert_")
            )
            doc = _document(job_docs, tech_docs, day, travel, name, policy)
            return doc, origin, ignored
    jr = _job_rows(jobs, day)
    tr = _Rows(technicians, "technicians", TECHNICIAN_COLUMNS, ["skill_", "cert_"])
    job_docs = _build_jobs(jr, day)
    tech_docs = _build_techs(tr, day)
    doc = _document(job_docs, tech_docs, day, travel, name, policy)
    origin = Origin(
        {"jobs": jr.origin, "technicians": tr.origin},
        {"jobs": [j["id"] for j in job_docs], "technicians": [t["id"] for t in tech_docs]},
        {"jobs": jr.labels, "technicians": tr.labels},
        "python",
        fallback,
    )
    ignored = [f"jobs.{c}" for c in jr.ignored] + [f"technicians.{c}" for c in tr.ignored]
    return doc, origin, ignored


def _document(
    job_docs: list[dict[str, Any]],
    tech_docs: list[dict[str, Any]],
    day: dt.date,
    travel: Any,
    name: str | None,
    policy: Mapping[str, Any] | None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "fieldopt-problem/1"}
    if name is not None:
        doc["name"] = str(name)
    doc["date"] = day.isoformat()
    doc["travel"] = _travel(travel, job_docs, tech_docs)
    doc["technicians"] = tech_docs
    doc["jobs"] = job_docs
    if policy is not None:
        doc["policy"] = dict(policy)
    return doc


# --- document -> frames ---------------------------------------------------------------
