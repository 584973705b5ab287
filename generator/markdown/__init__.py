"""Markdown bodies to HTML: one interface (``engine``), two engines behind it.

``python_markdown`` (the default, with Dateline's extensions) and
``pulldown`` (pulldown-cmark through pyromark, for large sites) produce the
same heading ids, footnotes and tables of contents (``headings``);
``speedups`` holds the one reach into Python-Markdown's internals.
"""
