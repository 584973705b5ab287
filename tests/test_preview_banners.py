"""The author's desk marks drafts and scheduled stories with a banner in the site's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_site
from generator.options import BuildOptions
from generator.serve.preview import banners
from tests.helpers import NOW, article, make_site


@pytest.mark.parametrize(("language", "draft", "scheduled"), [
    ("en", "Draft — not published", "Scheduled for 5 May 2027 09:00"),
    ("ru", "Черновик — не опубликовано", "Запланировано на 5 мая 2027\u202fг. 09:00"),  # CLDR's narrow space
    ("de", "Entwurf – nicht veröffentlicht", "Geplant für 5. Mai 2027 09:00"),
])
def test_banners_speak_the_sites_language(tmp_path: Path, language: str, draft: str, scheduled: str) -> None:
    site = make_site(tmp_path, {
        "articles/draft.md": article("Draft story", "2025-01-02 09:00", draft="true"),
        "articles/later.md": article("Later story", "2027-05-05 09:00"),
    }, config=f'title = "T"\nbase_url = "https://example.org/"\nlanguage = "{language}"\ntimezone = "UTC"\n')
    loaded = load_site(BuildOptions(site_dir=site, now=NOW, drafts=True, future=True))
    assert sorted(banners(loaded, NOW).values()) == sorted([draft, scheduled])
