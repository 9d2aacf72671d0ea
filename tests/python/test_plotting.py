"""fieldopt.plotting on the Agg backend: artists counted."""

from __future__ import annotations

from typing import Any

import fieldopt
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt
from fieldopt.plotting import plot_comparison, plot_routes, plot_schedule


@pytest.fixture(scope="module")
def solved() -> fieldopt.Result:
    from conftest import city_day

    return fieldopt.solve(city_day(40, 5), iterations=300, progress=False)


@pytest.fixture(autouse=True)
def _close() -> Any:
    yield
    plt.close("all")


def used_routes(res: fieldopt.Result) -> list[dict[str, Any]]:
    return [r for r in res.plan["routes"] if r["stops"]]


def test_plot_routes_geo(solved: fieldopt.Result) -> None:
    ax = plot_routes(solved)
    n = len(used_routes(solved))
    assert len(ax.lines) == n
    left = 1 if solved.plan["unassigned"] else 0
    assert len(ax.collections) == 2 * n + left
    assert ax.get_xlabel() == "longitude"
    assert ax.get_aspect() == pytest.approx(1 / 0.61, rel=0.02)  # 1 / cos(52.37 deg)


def test_plot_routes_on_given_axes_and_subset(solved: fieldopt.Result) -> None:
    _, axs = plt.subplots(1, 2)
    first = used_routes(solved)[0]["technician"]
    out = plot_routes(solved, solved.problem, ax=axs[1], technicians=[first], show_unassigned=False)
    assert out is axs[1] and len(axs[1].lines) == 1 and len(axs[0].lines) == 0


def test_plot_routes_planar_and_matrix(tiny: dict[str, Any]) -> None:
    res = fieldopt.solve(tiny, iterations=100, progress=False)
    ax = plot_routes(res)
    assert ax.get_aspect() == 1.0 and len(ax.lines) == len(used_routes(res))
    matrix = {**tiny, "travel": {"kind": "matrix", "durations": [[0] * 6 for _ in range(6)]}}
    for i, t in enumerate(matrix["technicians"]):
        t["start"] = i
    for i, j in enumerate(matrix["jobs"]):
        j["location"] = i + 2
    res = fieldopt.solve(matrix, iterations=100, progress=False)
    with pytest.raises(ValueError, match="matrix"):
        plot_routes(res)


def test_plot_schedule(solved: fieldopt.Result) -> None:
    ax = plot_schedule(solved)
    segs = solved.segments
    rows = segs["technician"].unique().tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == rows
    expected = 0
    for tid in rows:
        mine = segs[segs["technician"] == tid]
        expected += mine.loc[mine["segment"] != "work", "segment"].nunique()
        work = mine[mine["segment"] == "work"]
        expected += work["job_kind"].fillna("job").nunique()
    assert len(ax.collections) == expected
    assert len(ax.patches) == len(rows)  # shift outlines
    assert ax.get_legend() is not None


def test_plot_schedule_needs_problem(solved: fieldopt.Result) -> None:
    bare = fieldopt.Result(solved.plan)
    with pytest.raises(ValueError, match="problem"):
        plot_schedule(bare)
    ax = plot_schedule(bare, solved.problem, legend=False)
    assert ax.get_legend() is None


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_plot_comparison(solved: fieldopt.Result, backend: str) -> None:
    k = {key: v for key, v in solved.kpis.items() if not isinstance(v, dict)}
    rows = [
        {"policy": "cheapest", **k},
        {"policy": "favourite first", **k, "travel_time": k["travel_time"] * 1.2},
        {"policy": "best skill fit", **k, "overqualification": 0},
    ]
    if backend == "polars":
        pl = pytest.importorskip("polars")
        frame: Any = pl.DataFrame(rows)
    else:
        import pandas as pd

        frame = pd.DataFrame(rows)
    ax = plot_comparison(frame)
    assert len(ax.containers) == 3
    n_kpis = len(ax.get_xticks())
    assert all(len(c) == n_kpis for c in ax.containers)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r["policy"] for r in rows]
    ax2 = plot_comparison(frame, kpis=["assigned", "travel_time"], annotate=False)
    assert len(ax2.get_xticks()) == 2 and len(ax2.texts) == 0
    with pytest.raises(KeyError):
        plot_comparison(frame, kpis=["nope"])
