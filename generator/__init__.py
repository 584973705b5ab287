"""Dateline: a static site generator for news blogs.

A build is one forward pipeline of plain, frozen data::

    files -> Source -> Article -> Site -> Page/Feed -> bytes -> output/

``config`` reads ``config.toml``; ``content`` turns files into ``Article``
(``markdown`` renders the bodies); ``site`` groups articles and plans every
page and feed; ``render`` turns plans into bytes; ``output`` writes them
without ever leaving a half-written site. ``load`` and ``build`` run those
phases; ``incremental`` makes a build do only what changed; ``session`` is
the one way the CLI (``cli``) and the dev server (``serve``) build. See the
README's Development section for the whole map.
"""

__version__ = "0.1.0"
