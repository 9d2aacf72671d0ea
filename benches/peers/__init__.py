"""Helpers of ``benches/compare_peers.py``: instance reading and one adapter per peer solver."""
