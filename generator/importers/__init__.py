"""``dateline import KIND SOURCE -s NEW_SITE``: another generator's site as a Dateline site.

One module per source generator reads the old site into plain ``Post``
records (``model``); the shared pieces convert what every source has in
common, find template syntax no converter understood (``leftovers``), and
write the new site and its report (``writer``, ``report``). Everything an
importer reads goes through ``SourceTree``, which never leaves SOURCE.
"""

from __future__ import annotations

KINDS = ("jekyll", "hugo", "zola", "pelican", "wordpress")
