"""What sorts the suite into an inner loop and the rest.

``pytest -m "not slow"`` is the inner loop, under a minute on two cores;
plain ``pytest`` (``make test``) runs everything. A test that needs
Chromium, the validators, timed kills or load says so with its marker, and
each of those markers implies ``slow`` (below); any other slow test is
marked ``slow`` with its reason beside the mark. The markers are registered
in pyproject.toml, where ``--strict-markers`` makes a misspelt one an error.
"""

from __future__ import annotations

import pytest

IMPLY_SLOW = ("browser", "validators", "faults", "load")  # markers registered in pyproject.toml


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") is None and any(item.get_closest_marker(name) for name in IMPLY_SLOW):
            item.add_marker(pytest.mark.slow)
