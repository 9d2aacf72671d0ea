"""fieldopt.solve(progress=...): the tqdm bar, user callbacks, and what they cost."""

from __future__ import annotations

import io
import time
from typing import Any

import fieldopt
import pytest
from conftest import city_day
from fieldopt.progress import TqdmProgress, make_progress


@pytest.fixture(scope="module")
def day() -> dict[str, Any]:
    return city_day(150, 12)


def test_user_callback_is_called_with_counts(day: dict[str, Any]) -> None:
    calls: list[tuple[Any, ...]] = []
    res = fieldopt.solve(day, time_limit=1.2, threads=2, progress=lambda *a: calls.append(a))
    assert len(calls) >= 3, "about every 0.2 s"
    iters = [c[0] for c in calls]
    elapsed = [c[3] for c in calls]
    assert iters == sorted(iters) and iters[-1] > 0
    assert elapsed == sorted(elapsed) and elapsed[-1] < 2.5
    for it, best, assigned, _ in calls:
        assert isinstance(it, int) and isinstance(assigned, int)
        assert best is None or isinstance(best, float)
        assert 0 <= assigned <= res.kpis["jobs"]
    assert calls[-1][1] is not None and calls[-1][1] >= res.objective - 1e-6


def test_callback_exception_stops_the_solve(day: dict[str, Any]) -> None:
    def stop(*_: Any) -> None:
        raise RuntimeError("enough")

    t0 = time.perf_counter()
    with pytest.raises(RuntimeError, match="enough"):
        fieldopt.solve(day, time_limit=20, threads=2, progress=stop)
    assert time.perf_counter() - t0 < 5


def test_tqdm_bar_shows_best_and_assigned(day: dict[str, Any]) -> None:
    pytest.importorskip("tqdm")
    out = io.StringIO()
    bar = TqdmProgress(time_limit=1.0, jobs=150, file=out)
    res = fieldopt.solve(day, time_limit=1.0, threads=2, progress=bar)
    assert bar.calls >= 2
    text = out.getvalue()
    assert "best=" in text and f"/{res.kpis['jobs']}" in text
    assert bar.bar is None, "closed after the solve"


def test_progress_true_writes_a_bar_and_false_nothing(
    day: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    fieldopt.solve(day, iterations=200_000, time_limit=0.8, threads=2, progress=True)
    assert "fieldopt" in capsys.readouterr().err
    fieldopt.solve(day, time_limit=0.8, threads=2, progress=False)
    assert capsys.readouterr().err == ""


def test_short_solve_opens_no_bar(tiny: dict[str, Any]) -> None:
    bar = make_progress(True, iterations=50, jobs=4)
    if bar is None:
        pytest.skip("tqdm is not installed")
    fieldopt.solve(tiny, iterations=50, progress=bar)
    assert isinstance(bar, TqdmProgress) and bar.bar is None


def test_make_progress_rejects_junk() -> None:
    assert make_progress(False) is None and make_progress(None) is None
    with pytest.raises(TypeError):
        make_progress(3)  # type: ignore[arg-type]


def test_progress_does_not_slow_the_search() -> None:
    """Not a timed assert on the ratio (machines are noisy): the same iteration budget
    with and without the bar; prints iterations per second for the note."""
    pytest.importorskip("tqdm")
    day = city_day(200, 15, seed=3)
    iterations = 3000
    timings: dict[str, list[float]] = {"none": [], "tqdm": []}
    for _ in range(2):
        for mode in ("none", "tqdm"):
            progress: Any = (
                False if mode == "none" else TqdmProgress(iterations=iterations, file=io.StringIO())
            )
            t0 = time.perf_counter()
            fieldopt.solve(day, iterations=iterations, threads=2, progress=progress)
            timings[mode].append(time.perf_counter() - t0)
    best = {m: min(v) for m, v in timings.items()}
    print(
        f"iterations/s without progress {iterations / best['none']:.0f}, "
        f"with tqdm {iterations / best['tqdm']:.0f} "
        f"({(best['tqdm'] / best['none'] - 1) * 100:+.1f} %)"
    )
    assert best["tqdm"] < best["none"] * 3, "a gross slowdown only"
