"""The switch for every speed-up, and the gate each one passes before it is used.

A speed-up is code that reaches into what a library does not promise to
keep: a private method, CPython internals, the C library through ctypes.
Each lives in the ``speedups`` module of the package it serves
(``markdown``, ``render``, ``output``, ``parallel``) and nowhere else, and is
used only when its gate opens: the libraries it touches are at versions it
was tested with, the platform is one it works on, and
``DATELINE_NO_SPEEDUPS=1`` is not set. Otherwise Dateline uses the stock
code: the same output, only slower. Gates are decided once, at import.

``dateline --version`` lists the gates, and the tests assert that every
gate is open in the test environment, so a speed-up cannot vanish unnoticed
after an upgrade.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata

SWITCH = "DATELINE_NO_SPEEDUPS"


def switched_off() -> bool:
    """Whether the environment asks for the stock code everywhere."""
    return os.environ.get(SWITCH, "").strip() not in ("", "0")


@dataclass(frozen=True, kw_only=True)
class Gate:
    """Whether one speed-up is in use here, and why not if it is not."""

    name: str
    active: bool
    reason: str  # why it is off; "" when active

    def __str__(self) -> str:
        return f"{self.name}: {'on' if self.active else 'off (' + self.reason + ')'}"


def installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def gate(name: str, *, tested: Mapping[str, tuple[str, ...]], pythons: tuple[tuple[int, int], ...] = (),
         platforms: tuple[str, ...] = (), works: Callable[[], bool] | None = None) -> Gate:
    """Open the gate of speed-up ``name`` if this installation is one it was tested on.

    ``tested`` maps each distribution the speed-up reaches into to the exact
    versions it was tested with; ``pythons`` and ``platforms``
    (``sys.platform`` values) narrow it further when not empty; ``works`` is
    a last check that the thing it needs is really there (a C function, say).
    """
    if switched_off():
        return Gate(name=name, active=False, reason=f"{SWITCH} is set")
    for distribution, versions in tested.items():
        version = installed_version(distribution)
        if version not in versions:
            return Gate(name=name, active=False,
                        reason=f"tested with {distribution} {', '.join(versions)}, not {version}")
    if pythons and sys.version_info[:2] not in pythons:
        shown = ", ".join(f"{major}.{minor}" for major, minor in pythons)
        return Gate(name=name, active=False, reason=f"tested on Python {shown} only")
    if platforms and sys.platform not in platforms:
        return Gate(name=name, active=False, reason=f"not available on {sys.platform}")
    if works is not None and not works():
        return Gate(name=name, active=False, reason="what it needs is missing on this system")
    return Gate(name=name, active=True, reason="")


def all_gates() -> list[Gate]:
    """Every speed-up's gate (importing the modules that decide them)."""
    from generator.markdown import speedups as markdown_speedups
    from generator.output import speedups as output_speedups
    from generator.parallel import speedups as parallel_speedups
    from generator.render import speedups as render_speedups

    return [*markdown_speedups.GATES, *render_speedups.GATES, *output_speedups.GATES, *parallel_speedups.GATES]
