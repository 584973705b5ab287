"""Doing only what changed: fingerprints of every output, the short path for body edits,
the build state and its cache, and the up-to-date check.

``fingerprints`` decides which outputs must be rendered again and
``render_changed`` renders them; ``plan`` and ``body_edits`` update the
previous plan after an edit of an article's text; ``state`` is what one
build hands the next, ``cache`` keeps it in ``.dateline/`` between CLI
builds, and ``uptodate`` answers "nothing changed" from file metadata alone.
"""
