"""Pure planning, no files touched: ``collect`` groups the articles into a ``Site`` (``model``),
``related`` finds related stories, ``pages`` and ``feeds`` plan every output with its URL, and
``collisions`` refuses two outputs claiming one file. ``replace`` updates a ``Site`` after a body edit."""
