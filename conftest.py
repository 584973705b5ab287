"""Loads the browser tests' shared fixtures (tests/browser_fixtures.py) for the whole suite.

pytest takes ``pytest_plugins`` from the top-level conftest, and
tests/conftest.py must stay free of the suite's own modules:
tests/test_harness.py runs that file on its own, in an empty folder.
"""

pytest_plugins = ["tests.browser_fixtures"]
