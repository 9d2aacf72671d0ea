"""Cell converters for :mod:`fieldopt.frames`: one DataFrame cell (a number, a string, a
datetime, a dict or list column) to the value the problem document wants, or a
``_CellError`` saying why not (the caller adds the row and column)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from math import isnan as math_isnan
from typing import Any

#: Expiry written for a certification given without a date (never expires).
NO_EXPIRY = "9999-12-31"


class _CellError(Exception):
    """A value that cannot be converted; the row loop adds the row and column."""


# --- frames as columns ----------------------------------------------------------------


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
