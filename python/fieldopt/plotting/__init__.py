"""Plots of plans and policy comparisons on matplotlib (one function per module, each
taking an optional ``ax``).

Needs matplotlib (``pip install fieldopt[plot]``); importing this package without it
works, calling a function raises ``ImportError``.
"""

from __future__ import annotations

from .plot_comparison import plot_comparison
from .plot_routes import plot_routes
from .plot_schedule import plot_schedule

__all__ = ["plot_comparison", "plot_routes", "plot_schedule"]
