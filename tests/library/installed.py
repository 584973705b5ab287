"""The check both suite plugins make first: the library under test is the installed copy."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest


def require_installed_copy(module: ModuleType, distribution: str) -> None:
    """Fail early unless ``module`` is the installed ``distribution``, not the source beside its tests."""
    installed = Path(str(metadata.distribution(distribution).locate_file(f"{module.__name__}/__init__.py"))).resolve()
    if Path(module.__file__ or "").resolve() != installed:
        raise pytest.UsageError(f"{module.__name__} was imported from {module.__file__}, not the installed {installed}")
