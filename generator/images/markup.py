"""``<picture>`` for the images of article bodies, and the image data articles carry to templates.

Both Markdown engines write an image as ``<img src alt [title]>``; after
either has run (and after the sanitiser, which this markup never meets),
each image of this site that was made in several widths becomes a
``<picture>`` with a ``<source>`` per modern format and the ``<img>`` in the
original format, sized by ``width``/``height`` so the page does not jump as
it loads, lazy because it is below the headline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup, escape

from generator import urls
from generator.config.model import Config
from generator.content.article import Article
from generator.images.cards import CROPS
from generator.images.model import RESIZED_SUFFIXES, Card, ImageIndex, ImageSet
from generator.images.publish import body_sources, image_output

CARDS_OUTPUT = "cards"
_IMG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?')
_SET_BY_US = frozenset({"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"})


def picture(image: ImageSet, alt: str, sizes: str, *, lead: bool = False, attributes: str = "") -> Markup:
    """The ``<picture>`` for ``image``: the lead image loads first, any other lazily."""
    sizes_attribute = f' sizes="{escape(sizes)}"'
    sources = "".join(f'<source type="{kind}" srcset="{escape(srcset)}"{sizes_attribute}>' for kind, srcset in image.sources)
    loading = ' fetchpriority="high"' if lead else ' loading="lazy" decoding="async"'
    return Markup(f'<picture>{sources}<img src="{escape(image.fallback)}" srcset="{escape(image.srcset)}"'
                  f'{sizes_attribute} width="{image.width}" height="{image.height}" alt="{escape(alt)}"'
                  f"{attributes}{loading}></picture>")


def with_pictures(html: str, page_url: str, sets: Mapping[str, ImageSet], config: Config) -> tuple[str, tuple[str, ...]]:
    """``html`` with each image of ``sets`` as a ``<picture>``, and the keys of the sets it shows."""
    keys: list[str] = []

    def rewrite(match: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match[0][4:].rstrip("/>")))
        src = attributes.get("src")
        output = image_output(config, page_url, src) if src and "srcset" not in attributes else None
        image = sets.get(output) if output else None
        if image is None:
            return match[0]
        keys.append(image.key)
        # Engines escape attribute values already: they are kept as written.
        rest = "".join(f' {name}="{value}"' for name, value in attributes.items()
                       if name not in _SET_BY_US and name != "alt")
        alt = Markup(attributes.get("alt", ""))  # already escaped
        written = attributes.get("width", "")
        if written.isdigit() and 0 < int(written) < image.width:  # raw HTML that sets its width: shown that wide
            height = max(1, round(image.height * int(written) / image.width))
            image = replace(image, width=int(written), height=height)
            return str(picture(image, alt, f"{written}px", attributes=rest))
        return str(picture(image, alt, config.images.sizes, attributes=rest))

    if "<img" not in html:
        return html, ()
    return _IMG.sub(rewrite, html), tuple(keys)


_PICTURE = re.compile(r"<picture>(?:<source [^>]*>)*(<img [^>]*>)\s*</picture>")
_RESPONSIVE = re.compile(r'\s(?:srcset|sizes|loading|decoding|fetchpriority)="[^"]*"')


def plain_images(html: str) -> str:
    """``html`` with each ``<picture>`` of ours as its ``<img>`` alone, for feeds.

    Feed readers drop ``<source>`` and do not make ``srcset`` absolute; the
    image in its original format at the widest width made is what they show.
    """
    if "<picture>" not in html:
        return html
    return _PICTURE.sub(lambda match: _RESPONSIVE.sub("", match[1]), html)


def with_images(article: Article, index: ImageIndex, config: Config) -> Article:
    """``article`` with its body's images as ``<picture>`` and its lead image's set (itself if neither)."""
    body, keys = with_pictures(article.body_html.decode("utf-8", "surrogatepass"), article.url, index.sets, config)
    summary, _ = with_pictures(str(article.summary), article.url, index.sets, config)
    lead = index.sets.get(image_output(config, article.url, article.image) or "") if article.image else None
    if not keys and lead is None:
        return article
    if not keys:
        return replace(article, lead_image=lead)
    return replace(article, body_html=body.encode("utf-8", "surrogatepass"), summary=Markup(summary),
                   lead_image=lead, image_keys=tuple(keys))


def social_card(config: Config, article: Article) -> Card:
    """Where ``article``'s card is published: ``/cards/2024/05/slug.png`` for ``/2024/05/slug/``.

    A lead image made in several widths is cropped into a JPEG, with its JSON-LD crops beside it
    (``/cards/2024/05/slug-16x9.jpg``…); any other article gets a drawn PNG.
    """
    page = urls.output_file(config, article.url)
    stem = page.removesuffix("index.html").removesuffix(".html").rstrip("/") or "index"
    output = f"{CARDS_OUTPUT}/{stem}{'.jpg' if article.lead_image else '.png'}"
    crops = tuple(f"{CARDS_OUTPUT}/{stem}-{suffix}.jpg" for suffix, _, _ in CROPS) if article.lead_image else ()
    return Card(output=output, url=urls.site_path(config, output), photo=article.lead_image is not None,
                crops=tuple(urls.site_path(config, crop) for crop in crops), crop_outputs=crops)


def shows_new_image(article: Article, index: ImageIndex, published: Callable[[], Container[str]],
                    config: Config) -> bool:
    """Whether ``article`` shows an image of ``published()`` that was not made in several widths.

    A body edit that adds one needs the full build, which makes it.
    ``published`` is asked only if the article shows an image at all: the
    site's copied files are as many as its articles.
    """
    for src in body_sources(article):
        output = image_output(config, article.url, src)
        if (output is not None and output in published() and Path(output).suffix.lower() in RESIZED_SUFFIXES
                and output not in index.sets):
            return True
    return False
