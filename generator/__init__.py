"""Dateline: a static site generator for news blogs.

The build is one forward pipeline of plain, frozen data::

    sources -> articles -> site -> pages -> rendered files -> output/

Each stage lives in its own module; ``build.py`` is the only orchestrator.
"""

__version__ = "0.1.0"
