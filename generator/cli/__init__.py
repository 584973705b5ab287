"""The ``dateline`` command line: ``arguments`` parses, ``build`` and ``commands`` run, ``report`` prints."""

from generator.cli.main import main, run

__all__ = ["main", "run"]
