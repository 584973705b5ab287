"""The site's files to plain data: ``sources`` walks ``content/``, ``frontmatter`` splits a file,
``fields`` reads its keys, ``dates`` its dates, ``article`` makes the ``Article``, and ``parsed``
does it for every file, reusing the last build's parses."""
