"""``python -m generator.i18n update|check``: see ``generator.i18n.tool``."""

from __future__ import annotations

import sys

from generator.i18n.tool import main

sys.exit(main(sys.argv[1:]))
