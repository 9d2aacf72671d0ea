"""The Arrow path of :func:`fieldopt.frames.problem_from_frames`: pandas (>= 2.2) and
polars tables cross into Rust as Arrow C streams and come back as problem rows, with the
same documents and errors as the per-row path in :mod:`fieldopt.frames`."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

from ._core import frames_to_documents as _frames_to_documents
from .frames import (
    JOB_COLUMNS,
    TECHNICIAN_COLUMNS,
    InvalidFrameError,
    _cell_error,
    backend_of,
)


class _Stream:
    """An Arrow C stream already exported (a PyCapsule), handed on as an
    ``__arrow_c_stream__`` object."""

    def __init__(self, capsule: Any) -> None:
        self._capsule = capsule

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._capsule


def _pandas_labels(frame: Any) -> list[Any] | None:
    """Row labels worth naming in messages: None for the default 0..n-1 index."""
    index = frame.index
    if type(index).__name__ == "RangeIndex" and index.start == 0 and index.step == 1:
        return None
    if index.dtype.kind == "i" and list(index) == list(range(len(frame))):
        return None
    return list(index)


def _arrow_input(frame: Any, what: str) -> tuple[_Stream, list[Any] | None] | str:
    """The frame as an Arrow C stream with its row labels, or why it cannot be one."""
    backend = backend_of(frame)
    labels: list[Any] | None = None
    if backend == "polars" and hasattr(frame, "collect") and not hasattr(frame, "to_dict"):
        frame = frame.collect()  # a LazyFrame
    if not hasattr(frame, "__arrow_c_stream__"):
        if backend == "pandas":
            return f"the {what} frame has no __arrow_c_stream__ (pandas < 2.2)"
        return f"the {what} frame is not an Arrow-capable table ({type(frame).__name__})"
    if backend == "pandas":
        if len(set(frame.columns)) != len(frame.columns):
            return f"the {what} frame has duplicate column names"
        labels = _pandas_labels(frame)
        if type(frame.index).__name__ != "RangeIndex":
            frame = frame.reset_index(drop=True)  # labels stay in Python, not as a column
    try:
        capsule = frame.__arrow_c_stream__()
    except Exception as e:  # pyarrow cannot type a column (mixed object values), ...
        return f"the {what} frame cannot be exported to Arrow ({type(e).__name__}: {e})"
    return _Stream(capsule), labels


def from_arrow(jobs: Any, technicians: Any, day: dt.date) -> tuple[Any, ...] | str:
    """``(job_docs, tech_docs, origins, labels, columns)`` read by the Arrow path, or the
    reason it cannot read these frames; invalid values raise :class:`InvalidFrameError`."""
    inputs = []
    for frame, what in ((jobs, "jobs"), (technicians, "technicians")):
        got = _arrow_input(frame, what)
        if isinstance(got, str):
            return got
        inputs.append(got)
    (jstream, jlabels), (tstream, tlabels) = inputs
    # The reader builds one dict per row (all acyclic): pausing the cyclic garbage
    # collector meanwhile halves the time at 10k+ rows (it would rescan them repeatedly).
    paused = gc.isenabled()
    gc.disable()
    try:
        out = _frames_to_documents(
            jstream, tstream, day.isoformat(), list(JOB_COLUMNS), list(TECHNICIAN_COLUMNS)
        )
    finally:
        if paused:
            gc.enable()
    if out[0] == "unsupported":
        return str(out[1])
    labels = {"jobs": jlabels, "technicians": tlabels}
    if out[0] == "error":
        what, i, column, field, message, ident = out[1:]
        if i is None:
            raise InvalidFrameError(message, what, what, None, column)
        raise _cell_error(what, i, column, message, field, labels[what], ident)
    _, job_docs, tech_docs, jorigin, torigin, jcols, tcols = out
    origins = {"jobs": jorigin, "technicians": torigin}
    return job_docs, tech_docs, origins, labels, {"jobs": jcols, "technicians": tcols}
