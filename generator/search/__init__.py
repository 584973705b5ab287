"""Site search: finding and running Pagefind (``tool``), and its index as part of a build (``index``)."""
