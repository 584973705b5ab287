"""Spreading a cold build's parsing and rendering over forked worker processes (``--jobs N``)."""

from generator.parallel.pool import can_fork, default_jobs, map_in_order, workers_for

__all__ = ["can_fork", "default_jobs", "map_in_order", "workers_for"]
