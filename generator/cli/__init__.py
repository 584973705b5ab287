"""The ``dateline`` command line: ``arguments`` parses, ``build`` and ``commands`` run, ``report`` prints."""

from generator.cli.main import main

__all__ = ["main"]
