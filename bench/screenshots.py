"""Screenshots of the newsroom theme in other languages and of highlighted code.

    .venv/bin/python bench/screenshots.py [FOLDER]

Builds small sites with the golden tests' fixed clock, serves each over
real HTTP on 127.0.0.1 and photographs pages in Debian's Chromium at a
phone's and a laptop's width:

- a Russian article (the site's ``language = "ru"``), for plural forms,
  month names and the translated theme, and a story of the sample site's
  Russian edition, with its language switcher;
- an Arabic article (``language = "ar"``), for the right-to-left layout;
- the sample site's article with code, in the light and the dark colour
  scheme, for the highlighting.

The pictures go to FOLDER (default ``bench/results/screenshots``). This is
a record for people, not a test: the tests assert the same things
(``test_i18n_browser``, ``test_highlight_browser``).
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402
from generator.options import BuildOptions  # noqa: E402

FIXED_NOW = datetime(2026, 1, 1, tzinfo=UTC)
CHROMIUM = Path("/usr/bin/chromium")
CODE_ARTICLE = "how-we-measured-which-buses-run-late"  # the start of the slug of the sample article with code

RUSSIAN = """\
---
slug: ferries
title: Паромы в Кестрел-Бей отменены из-за шторма
date: 2025-10-21T07:40:00+03:00
author: Анна Соколова
section: Город
tags: [Транспорт, Погода]
summary: Три утренних рейса отменены, портовые власти обещают восстановить расписание к вечеру.
---
Портовые власти Кестрел-Бей отменили три утренних паромных рейса: порывы ветра
у входа в гавань утром достигали 90 километров в час.

«Мы не выпускаем суда, пока ветер не стихнет до безопасного уровня», —
сказала начальник смены диспетчерской службы порта.

## Что известно

- Отменены рейсы в 06:30, 07:15 и 08:00.
- Билеты на отменённые рейсы действуют до конца недели.
- Автобусы-шаттлы ходят до северного причала каждые 20 минут.

По данным метеослужбы, ветер начнёт ослабевать после полудня. Следующее
обновление расписания порт опубликует в 14:00.
"""

ARABIC = """\
---
slug: ferries
title: إلغاء رحلات العبّارات في خليج كيستريل بسبب العاصفة
date: 2025-10-21T07:40:00+03:00
author: ليلى حداد
section: المدينة
tags: [النقل, الطقس]
summary: أُلغيت ثلاث رحلات صباحية، وتعد سلطات الميناء باستئناف الجدول مساءً.
---
ألغت سلطات ميناء خليج كيستريل ثلاث رحلات صباحية للعبّارات بعد أن بلغت سرعة
الرياح عند مدخل الميناء تسعين كيلومترًا في الساعة.

وقالت مسؤولة المناوبة في مركز المراقبة: «لن نسمح للسفن بالإبحار قبل أن تهدأ
الرياح إلى مستوى آمن».

## ما نعرفه حتى الآن

- أُلغيت رحلات الساعة 06:30 و07:15 و08:00.
- تبقى التذاكر صالحة حتى نهاية الأسبوع.
- تنطلق حافلات مكوكية إلى الرصيف الشمالي كل عشرين دقيقة.

وتتوقع هيئة الأرصاد أن تضعف الرياح بعد الظهر، وسينشر الميناء تحديثًا للجدول
عند الساعة الثانية ظهرًا.
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` over real HTTP on 127.0.0.1, on a free port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def without_editions(config: str) -> str:
    """``config`` without its ``[languages.*]`` tables: each site here is in one language."""
    kept, skipping = [], False
    for line in config.splitlines(keepends=True):
        if line.startswith("["):
            skipping = line.startswith("[languages.")
        if not skipping:
            kept.append(line)
    return "".join(kept)


def one_article_site(root: Path, language: str, text: str) -> Path:
    """The sample site's configuration and theme in ``language``, with one article written in it."""
    site = root / language
    (site / "content/articles").mkdir(parents=True)
    config = (REPO / "config.toml").read_text(encoding="utf-8")
    config = config.replace('language = "en"', f'language = "{language}"', 1)
    if f'language = "{language}"' not in config:
        raise SystemExit("config.toml has no `language = \"en\"` line to replace")
    (site / "config.toml").write_text(without_editions(config), encoding="utf-8")
    for shared in ("media",):
        if (REPO / "content" / shared).is_dir():
            shutil.copytree(REPO / "content" / shared, site / "content" / shared)
    (site / "content/articles/ferries.md").write_text(text, encoding="utf-8")
    build(BuildOptions(site_dir=site, output=site / "output", now=FIXED_NOW))
    return site / "output"


def sample_site(root: Path) -> Path:
    output = root / "sample"
    build(BuildOptions(site_dir=REPO, output=output, now=FIXED_NOW))
    return output


def photograph(output: Path, page: str, target: Path, *, width: int,
               scheme: Literal["light", "dark"] = "light", element: str | None = None) -> None:
    """``page`` in Chromium: the top of the window, or ``element`` (a CSS selector) with some room around it."""
    from playwright.sync_api import sync_playwright

    with serving(output) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
            tab.goto(url + page, wait_until="load")
            if element is None:
                tab.screenshot(path=str(target))
            else:
                found = tab.locator(element).first
                found.scroll_into_view_if_needed()
                box = found.bounding_box()
                assert box is not None, f"{element} is not shown on {page}"
                margin = 24
                tab.screenshot(path=str(target), clip={"x": max(0, box["x"] - margin), "y": max(0, box["y"] - 120),
                                                       "width": box["width"] + 2 * margin,
                                                       "height": box["height"] + 120 + margin})
        finally:
            browser.close()
    print(f"{target.name}: {page} at {width} px, {scheme}")


def main(folder: Path) -> None:
    if not CHROMIUM.is_file():
        raise SystemExit(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        ferries = "2025/10/ferries/"
        photograph(one_article_site(root, "ru", RUSSIAN), ferries, folder / "article-ru.png", width=1100)
        photograph(one_article_site(root, "ar", ARABIC), ferries, folder / "article-ar.png", width=1100)
        sample = sample_site(root)
        photograph(sample, "ru/2024/05/kestrel-bay-elects-new-mayor/", folder / "edition-ru.png", width=1100)
        code_page = next(sample.rglob(f"{CODE_ARTICLE}*/index.html")).parent.relative_to(sample).as_posix()
        for scheme in ("light", "dark"):
            photograph(sample, f"{code_page}/", folder / f"code-{scheme}.png", width=1100,
                       scheme=scheme, element="pre.highlight.linenos")  # type: ignore[arg-type]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "bench/results/screenshots")
