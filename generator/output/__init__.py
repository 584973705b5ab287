"""Writing the output folder so that a failed or killed build loses nothing.

``writer`` chooses between the ``journal`` (small changes) and the ``swap``
(site-wide ones); ``staging`` takes files as they are rendered; ``files``
and ``changes`` compare and change files; ``paths`` keeps every path inside
the output folder; ``lock`` makes builds into one folder take turns.
"""
