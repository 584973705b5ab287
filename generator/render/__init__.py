"""Planned pages and feeds to bytes.

``environment`` makes the build's Jinja environment with the ``helpers``
templates call; ``themes`` resolves the theme chain; ``page`` renders one
page, ``recording`` notes what it read; ``feeds``, ``sitemap`` and ``seo``
write the machine-readable outputs; ``speedups`` holds the reaches into
Jinja's internals.
"""
