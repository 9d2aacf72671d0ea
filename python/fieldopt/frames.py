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

The conversion runs in Python, about 35-80 ms per 1,000 jobs (measured in
``benches/results/python_layer.md``: 1 % of a solve at 5,000 jobs; an Arrow crossing
alone would save little, the time being in the per-row conventions).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from math import isnan as math_isnan
from typing import Any

from .errors import InvalidProblemError

__all__ = [
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

#: Last valid day written for a certification given without an expiry date.
NO_EXPIRY = "9999-12-31"


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


class _CellError(Exception):
    """A value that cannot be converted; the row loop adds the row and column."""


# --- frames as columns ----------------------------------------------------------------


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


# --- cell converters ------------------------------------------------------------------


def _missing(v: Any) -> bool:
    """None, NaN, pandas NA/NaT."""
    if v is None:
        return True
    if isinstance(v, float):
        return math_isnan(v)
    return type(v).__name__ in ("NAType", "NaTType")


def _plain(v: Any) -> Any:
    """Numpy scalars and arrays, polars Series as plain Python values."""
    if isinstance(v, (str, bool, int, float, list, dict, tuple)):
        return v
    name = type(v).__name__
    if name in ("datetime64", "timedelta64"):
        return v.astype(f"{name}[us]").item()
    for attr in ("to_list", "tolist", "item"):
        method = getattr(v, attr, None)
        if callable(method):
            return method()
    return v


def _number(v: Any) -> float | int:
    v = _plain(v)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        if isinstance(v, str):
            try:
                return float(v)
            except ValueError:
                pass
        raise _CellError(f"expected a number, got {v!r}")
    return v


def _int(v: Any) -> int:
    n = _number(v)
    if isinstance(n, float):
        if not n.is_integer():
            raise _CellError(f"expected an integer, got {n!r}")
        return int(n)
    return n


def _float(v: Any) -> float:
    return float(_number(v))


def _str(v: Any) -> str:
    v = _plain(v)
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        raise _CellError(f"expected text, got {v!r}")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float)):
        return str(v)
    raise _CellError(f"expected text, got {v!r}")


def _str_list(v: Any) -> list[str]:
    """A list column, or text separated by commas or semicolons."""
    v = _plain(v)
    if isinstance(v, str):
        return [p.strip() for p in re.split(r"[,;]", v) if p.strip()]
    if isinstance(v, (list, tuple)):
        return [_str(x) for x in v if not _missing(x)]
    raise _CellError(f"expected a list of ids (or text separated by commas), got {v!r}")


_HMS = re.compile(r"^\s*(\d{1,3}):(\d{2})(?::(\d{2}(?:\.\d*)?))?\s*$")


def _hms(text: str) -> float:
    m = _HMS.match(text)
    if not m:
        try:
            return float(text)
        except ValueError:
            raise _CellError(
                f"cannot read {text!r} as a time (expected 'HH:MM' or seconds)"
            ) from None
    h, mi, s = int(m.group(1)), int(m.group(2)), float(m.group(3) or 0)
    if mi >= 60 or s >= 60:
        raise _CellError(f"cannot read {text!r} as a time (minutes and seconds must be < 60)")
    return h * 3600 + mi * 60 + s


def _time(v: Any, date: dt.date) -> float:
    """Seconds from midnight of ``date``."""
    v = _plain(v)
    if isinstance(v, dt.datetime):
        midnight = dt.datetime.combine(date, dt.time(), v.tzinfo)
        return (v - midnight).total_seconds()
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
    if isinstance(v, dt.date):
        raise _CellError(f"expected a time, got the date {v.isoformat()}")
    if isinstance(v, str):
        return _hms(v)
    return _float(v)


def _duration(v: Any) -> float:
    v = _plain(v)
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, str):
        return _hms(v)
    if isinstance(v, (dt.datetime, dt.time, dt.date)):
        raise _CellError(f"expected a duration, got {v!r}")
    return _float(v)


def _num_or_int(v: Any) -> float | int:
    n = _number(v)
    return int(n) if isinstance(n, float) and n.is_integer() else n


def _numbers(v: Any) -> list[float | int]:
    """A number or a list of numbers (capacity, demand)."""
    v = _plain(v)
    if isinstance(v, (list, tuple)):
        return [_num_or_int(x) for x in v]
    return [_num_or_int(v)]


def _skills(v: Any) -> dict[str, int]:
    """``{"hvac": 2}``; ``["hvac", "gas"]`` (level 1); ``[["hvac", 2]]``; ``"hvac:2, gas"``."""
    v = _plain(v)
    out: dict[str, int] = {}
    if isinstance(v, Mapping):
        for name, level in v.items():
            if not _missing(level):
                out[str(name)] = _int(level)
        return out
    if isinstance(v, str):
        v = [p.strip() for p in re.split(r"[,;]", v) if p.strip()]
        items: list[Any] = [tuple(p.split(":", 1)) if ":" in p else p for p in v]
    elif isinstance(v, (list, tuple)):
        items = list(v)
    else:
        raise _CellError(f"expected skills as a dict, a list or text like 'hvac:2', got {v!r}")
    for item in items:
        item = _plain(item)
        if isinstance(item, str):
            out[item.strip()] = 1
        elif isinstance(item, Mapping) and "name" in item:
            out[str(item["name"])] = _int(item.get("level", 1))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            out[str(item[0]).strip()] = _int(item[1])
        else:
            raise _CellError(f"cannot read the skill {item!r}")
    return out


def _day(v: Any) -> str:
    """A last valid day as ``YYYY-MM-DD``."""
    v = _plain(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return v.strip()[:10]
    raise _CellError(f"expected a date, got {v!r}")


def _tech_certs(v: Any) -> dict[str, str]:
    """``{"gas-safe": "2027-01-31"}``, or names only (valid without expiry)."""
    v = _plain(v)
    if isinstance(v, Mapping):
        return {str(k): _day(d) for k, d in v.items() if not _missing(d)}
    return dict.fromkeys(_str_list(v), NO_EXPIRY)


def _pair(v: Any, date: dt.date) -> list[float]:
    v = _plain(v)
    if isinstance(v, str):
        parts = re.split(r"\s*-\s*|\s+to\s+", v.strip())
        if len(parts) != 2:
            raise _CellError(f"cannot read {v!r} as a time window (expected '08:00-12:00')")
        return [_time(parts[0], date), _time(parts[1], date)]
    if isinstance(v, Mapping) and "start" in v and "end" in v:
        return [_time(v["start"], date), _time(v["end"], date)]
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return [_time(v[0], date), _time(v[1], date)]
    raise _CellError(f"expected a [start, end] pair, got {v!r}")


def _windows(v: Any, date: dt.date) -> list[list[float]]:
    """``[[s, e], ...]``, one ``[s, e]``, or text ``"08:00-12:00, 14:00-16:00"``."""
    v = _plain(v)
    if isinstance(v, str):
        return [_pair(p, date) for p in re.split(r"[,;]", v) if p.strip()]
    if isinstance(v, (list, tuple)):
        items = [_plain(x) for x in v]
        if len(items) == 2 and not any(isinstance(x, (list, tuple, Mapping)) for x in items):
            return [_pair(items, date)]
        return [_pair(x, date) for x in items]
    raise _CellError(f"expected time windows as a list of [start, end] pairs, got {v!r}")


def _location(v: Any) -> Any:
    """A location column: a dict (``lat``/``lon`` or ``x``/``y``) or a matrix index."""
    v = _plain(v)
    if isinstance(v, Mapping):
        return {str(k): _float(x) for k, x in v.items() if not _missing(x)}
    return _int(v)


def _cost(v: Any) -> dict[str, float]:
    v = _plain(v)
    if not isinstance(v, Mapping):
        raise _CellError(f"expected a dict like {{'per_hour': 38}}, got {v!r}")
    return {str(k): _float(x) for k, x in v.items() if not _missing(x)}


def _break(v: Any, date: dt.date) -> dict[str, Any]:
    v = _plain(v)
    if not isinstance(v, Mapping) or "window" not in v:
        raise _CellError(f"expected a dict like {{'window': [s, e], 'duration': d}}, got {v!r}")
    return {"window": _pair(v["window"], date), "duration": _duration(v.get("duration", 0))}


# --- the row builder ------------------------------------------------------------------

Converter = Callable[[Any], Any]


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
        where = f"{self.what} row {i}"
        if self.labels is not None:
            where += f" (index {self.labels[i]!r})"
        ident = self.ids[i] if i < len(self.ids) else None
        if not _missing(ident):
            where += f" (id {ident!r})"
        cols = "/".join(f"'{c}'" for c in column.split("/"))
        kind = "columns" if "/" in column else "column"
        path = f"{self.what}[{i}].{field}" if field else f"{self.what}[{i}]"
        return InvalidFrameError(f"{kind} {cols} of {where}: {message}", path, self.what, i, column)

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
    error paths (``jobs[3].time_windows[0]``) back to a frame row and column."""

    _PATH = re.compile(r"^(jobs|technicians)\[(\d+)\](?:\.(.*))?$")

    def __init__(
        self,
        columns: dict[str, dict[str, str]],
        ids: dict[str, list[Any]],
        labels: dict[str, list[Any] | None],
    ) -> None:
        self.columns = columns
        self.ids = ids
        self.labels = labels

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


def problem_from_frames(
    jobs: Any,
    technicians: Any,
    *,
    date: Any,
    travel: Any = None,
    name: str | None = None,
    policy: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], Origin, list[str]]:
    """The problem document of two frames, the origin of its fields, the ignored columns.

    See :meth:`fieldopt.Problem.from_frames` for the parameters.
    """
    day = _date(date)
    jr = _job_rows(jobs, day)
    tr = _Rows(technicians, "technicians", TECHNICIAN_COLUMNS, ["skill_", "cert_"])
    job_docs = _build_jobs(jr, day)
    tech_docs = _build_techs(tr, day)
    doc: dict[str, Any] = {"format": "fieldopt-problem/1"}
    if name is not None:
        doc["name"] = str(name)
    doc["date"] = day.isoformat()
    doc["travel"] = _travel(travel, job_docs, tech_docs)
    doc["technicians"] = tech_docs
    doc["jobs"] = job_docs
    if policy is not None:
        doc["policy"] = dict(policy)
    origin = Origin(
        {"jobs": jr.origin, "technicians": tr.origin},
        {"jobs": [j["id"] for j in job_docs], "technicians": [t["id"] for t in tech_docs]},
        {"jobs": jr.labels, "technicians": tr.labels},
    )
    ignored = [f"jobs.{c}" for c in jr.ignored] + [f"technicians.{c}" for c in tr.ignored]
    return doc, origin, ignored


# --- document -> frames ---------------------------------------------------------------


def _loc_columns(loc: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(loc, Mapping):
        return {f"{prefix}{k}": v for k, v in loc.items()}
    return {(prefix + "location") if not prefix else prefix.rstrip("_"): loc}


def _job_record(j: Mapping[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": j.get("id"), "customer": j.get("customer")}
    rec.update(_loc_columns(j.get("location")))
    rec["duration"] = j.get("duration")
    rec["time_windows"] = j.get("time_windows")
    rec["skills"] = j.get("skills")
    rec["certifications"] = j.get("certifications")
    rec["demand"] = j.get("demand")
    rec["priority"] = j.get("priority")
    rec["unassigned_cost"] = j.get("unassigned_cost")
    rec["preferred_technicians"] = j.get("preferred_technicians")
    rec["excluded_technicians"] = j.get("excluded_technicians")
    rec["pinned_technician"] = j.get("pinned_technician")
    rec["kind"] = j.get("kind")
    return rec


def _tech_record(t: Mapping[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": t.get("id")}
    start = t.get("start")
    rec.update(_loc_columns(start) if isinstance(start, Mapping) else {"start": start})
    end = t.get("end")
    if end is not None:
        rec.update(_loc_columns(end, "end_") if isinstance(end, Mapping) else {"end": end})
    shift = t.get("shift") or [None, None]
    rec["shift_start"], rec["shift_end"] = shift[0], shift[1]
    rec["max_overtime"] = t.get("max_overtime")
    rec["skills"] = t.get("skills")
    rec["certifications"] = t.get("certifications")
    rec["capacity"] = t.get("capacity")
    rec["max_jobs"] = t.get("max_jobs")
    brk = t.get("break") or {}
    window = brk.get("window") or [None, None]
    rec["break_start"], rec["break_end"] = window[0], window[1]
    rec["break_duration"] = brk.get("duration")
    cost = t.get("cost") or {}
    rec["fixed_cost"] = cost.get("fixed")
    rec["cost_per_hour"] = cost.get("per_hour")
    rec["cost_per_km"] = cost.get("per_km")
    rec["rating"] = t.get("rating")
    rec["kind"] = t.get("kind")
    rec["team"] = t.get("team")
    return rec


def _records_to_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Columns of the records, keeping only the columns with at least one value."""
    names: dict[str, None] = {}
    for r in records:
        names.update(dict.fromkeys(r))
    cols = {n: [r.get(n) for r in records] for n in names}
    return {n: v for n, v in cols.items() if n == "id" or any(x is not None for x in v)}


def problem_to_frames(doc: Mapping[str, Any], backend: str = "pandas") -> tuple[Any, Any]:
    """The jobs and technicians of a problem document as two frames, in the column
    conventions that :func:`problem_from_frames` reads (dict and list columns for skills,
    certifications and time windows)."""
    jobs = _records_to_columns([_job_record(j) for j in doc.get("jobs", [])])
    techs = _records_to_columns([_tech_record(t) for t in doc.get("technicians", [])])
    if backend == "polars":
        import polars as pl

        return _polars_frame(pl, jobs), _polars_frame(pl, techs)
    if backend != "pandas":
        raise ValueError(f"backend must be 'pandas' or 'polars', got {backend!r}")
    import pandas as pd

    return pd.DataFrame(jobs), pd.DataFrame(techs)


def _polars_frame(pl: Any, cols: dict[str, list[Any]]) -> Any:
    series = []
    for name, values in cols.items():
        if any(isinstance(v, Mapping) for v in values):
            # Skills and certifications as a struct column; a row without a key reads
            # back as null there, which from_frames skips.
            keys: dict[str, None] = {}
            for v in values:
                keys.update(dict.fromkeys(v or {}))
            inner = [x for v in values for x in (v or {}).values()]
            kind = pl.Int64 if all(isinstance(x, int) for x in inner) else pl.String
            dtype = pl.Struct({k: kind for k in keys})
            series.append(pl.Series(name, values, dtype=dtype))
        elif any(isinstance(v, float) for v in values) and all(
            v is None or isinstance(v, (int, float)) for v in values
        ):
            series.append(pl.Series(name, values, dtype=pl.Float64))
        else:
            series.append(pl.Series(name, values, strict=False))
    return pl.DataFrame(series)
