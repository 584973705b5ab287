"""Writing the output folder so that a failed or killed build loses nothing.

``write_output`` makes ``output/`` hold exactly the build's files, with one of
two strategies, chosen by the size of the change:

* **Swap**, for site-wide changes (and when there is no output yet): the whole
  site is staged in a sibling folder ``.output.staging-PID``, files whose
  bytes did not change hard-linked from the old output, and the folder is
  swapped in with one atomic ``renameat2(RENAME_EXCHANGE)``. Readers go from
  the old site to the new one in a single step.
* **Journal**, for small changes (at most ``max(50, 10%)`` of the files to
  write or remove, see ``_is_small``): only the new and changed files are
  staged and flushed to disk; then a journal naming the files to move in and
  to delete is flushed and renamed to ``journal`` in the staging folder. That
  rename is the commit point. The apply step renames each staged file over
  its target, deletes the removed files and their emptied folders, and drops
  the staging folder. Its cost follows the change, not the size of the site.

The guarantee is the same for both. A build that fails or is killed before
the commit point (nearly all of its run) leaves ``output/`` untouched; its
staging folder is discarded at once on an error, by the next build after a
kill. (For the swap, the commit point is the exchange itself, so there is
nothing after it to finish.) A build killed during the journal's apply step
(milliseconds long) leaves a committed journal, which the next build rolls
forward before anything else (``remove_leftovers``), so once the next build
has run the output is always exactly one build's output. Every file is
replaced by a rename, so a reader never sees a half-written file, though
during an apply step it may see some files new and others still old.

What is current is found by comparing sizes first and bytes only when the
sizes agree; files that did not change are never rewritten, so they keep
their inode and timestamps and deploy tools see only real changes. When
nothing changed, nothing is touched, not even a staging folder.

For callers that know exactly what changed, ``apply_changes`` (journalled)
and ``update_in_place`` (file by file, for the dev server) look only at the
listed files and removals and never walk the output folder. The dev
server's ``write_in_place`` replaces file by file too: every file atomic,
the whole not, which is fine while it holds requests during a build.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.output.changes import in_place
from generator.output.files import UNCHANGED, Changes, OutputFile, WriteResult, plan_all, plan_listed, reported
from generator.output.journal import journalled, remove_leftovers
from generator.output.staging import Staging
from generator.output.swap import swapped

SMALL_CHANGE_FILES = 50
SMALL_CHANGE_PERCENT = 10


def is_small(plan: Changes, total: int) -> bool:
    """Whether the journal suits this change better than the swap.

    The journal costs what the change costs, the swap what the site costs
    (a link per unchanged file). But while the journal is applied, readers of
    ``output/`` see a mix of old and new files, and a crash in that window
    leaves the finishing to the next build. Capping it at 50 files or a tenth
    of the site keeps that window to milliseconds; a change beyond that (a
    template or the config edited) rewrites most pages anyway, so the links
    cost little extra and readers switch in one atomic step.
    """
    return len(plan.write) + len(plan.remove) <= max(SMALL_CHANGE_FILES, total * SMALL_CHANGE_PERCENT // 100)


def write_output(output: Path, files: Iterable[OutputFile], staging: Staging | None = None) -> WriteResult:
    """Make ``output`` hold exactly ``files``: journalled if the change is small, else swapped in whole.

    ``staging`` holds the files marked ``staged`` (see ``Staging``). A build
    that fails leaves the previous output; see the module docstring.
    """
    remove_leftovers(output, spare=staging.folder if staging else None)
    items = list(files)
    with reported(output, UNCHANGED, discard=staging.folder if staging else None):
        plan = plan_all(output, items)
    if plan.empty and output.is_dir():
        if staging:
            staging.discard()
        return plan.result()
    if output.is_dir() and not output.is_symlink() and is_small(plan, len(items)):
        journalled(output, plan)
    else:
        swapped(output, items, plan)
    return plan.result()


def apply_changes(output: Path, changes: Iterable[OutputFile], removals: Iterable[str] = ()) -> WriteResult:
    """Write ``changes`` and delete ``removals`` through a journal; no other file is looked at.

    For builds that know exactly what changed: the same guarantee as
    ``write_output``, with a cost that follows the change.
    """
    remove_leftovers(output)
    with reported(output, UNCHANGED):
        plan = plan_listed(output, changes, removals)
    if not plan.empty:
        journalled(output, plan)
    return plan.result()


def write_in_place(output: Path, files: Iterable[OutputFile], staging: Staging | None = None) -> WriteResult:
    """Make ``output`` hold exactly ``files``, file by file; each file is replaced atomically by rename.

    Cheaper than ``write_output``, but a crash can leave a mix of old and new
    files, so only the dev server (which makes requests wait while it
    writes) uses it. ``staging`` holds the files marked ``staged``: they are
    renamed into place, and the folder is gone afterwards.
    """
    remove_leftovers(output, spare=staging.folder if staging else None)
    with reported(output, UNCHANGED, discard=staging.folder if staging else None):
        output.mkdir(parents=True, exist_ok=True)
        plan = plan_all(output, list(files))
    try:
        in_place(output, plan, staging.location if staging else None)
    finally:
        if staging:
            staging.discard()
    return plan.result()


def update_in_place(output: Path, changes: Iterable[OutputFile], removals: Iterable[str] = ()) -> WriteResult:
    """Like ``write_in_place`` for the listed files only: no walk of ``output``, no other file removed.

    For the dev server, which knows what it changed since its last build of
    ``output``; it trusts that knowledge, so it neither rolls forward nor
    discards what a killed CLI build left (the next full build does).
    """
    with reported(output, UNCHANGED):
        plan = plan_listed(output, changes, removals)
    in_place(output, plan)
    return plan.result()
