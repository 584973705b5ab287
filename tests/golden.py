"""The sample site's golden output, built with a fixed clock.

``make golden`` (``python -m tests.golden``) rewrites ``tests/golden/sample``
from the current code; ``tests/test_golden.py`` fails when a build differs
from it. Regenerate only after checking that the difference is intended.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from generator.build import BuildResult, build
from generator.options import BuildOptions

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"
FIXED_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def build_sample(output: Path) -> BuildResult:
    return build(BuildOptions(site_dir=REPO, output=output, now=FIXED_NOW))


def main() -> None:
    result = build_sample(GOLDEN)
    print(f"Wrote {result.files} files to {GOLDEN.relative_to(REPO)} "
          f"({result.written} changed, {result.removed} removed)")


if __name__ == "__main__":
    main()
