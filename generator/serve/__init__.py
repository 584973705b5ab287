"""``dateline serve``, the author's desk: ``app`` runs it, ``desk`` rebuilds on each save, ``watch``
sees the saves, ``http`` serves the output (``paths``) with live reload and the error ``overlay``,
and ``status`` is what the builder and the request threads share."""
