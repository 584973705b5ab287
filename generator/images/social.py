"""Making each article's social card: found in the cache, or made in the build's workers."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from generator.config.model import Config
from generator.content.article import Article
from generator.content.focus import CENTRE
from generator.content.sources import Asset
from generator.errors import BuildError
from generator.i18n.formats import Formats
from generator.i18n.locales import locale_of, text_direction
from generator.images.cards import CROPS, CardJob, card_key, crop_target, make_card, palette
from generator.images.markup import social_card
from generator.images.pruning import mark_used, prune
from generator.images.publish import image_output
from generator.parallel import map_in_order

CARDS_FOLDER = ".dateline/cards"


@dataclass(frozen=True, kw_only=True)
class Cards:
    copies: tuple[Asset, ...]
    errors: tuple[BuildError, ...]
    made: int


def publish_cards(site_dir: Path, config: Config, articles: Iterable[Article], full_copies: Mapping[str, Path],
                  jobs: int, colours: tuple[tuple[str, str], ...] = palette(())) -> Cards:
    """A card for each article (with its lead image's set, see ``markup.with_images``), and a photo card's crops.

    ``full_copies``: each image set's upright, stripped full-size file, by output path.
    """
    copies: list[Asset] = []
    to_make: list[tuple[Article, CardJob]] = []
    styles: dict[str, tuple[Config, Formats, bool]] = {}
    for article in articles:
        code = article.in_language(config)
        if code not in styles:  # each card in its article's language, as its page shows the date
            edition = config.edition(code)
            styles[code] = (edition, Formats(locale_of(edition.language), edition.date_format, edition.time_format),
                            text_direction(edition.language) == "rtl")
        edition, formats, rtl = styles[code]
        card = social_card(config, article)
        lead = image_output(config, article.url, article.image) if article.lead_image else None
        date = formats.date(article.date.astimezone(config.tz)) if article.date else ""
        job = CardJob(target="", title=article.title, section=article.section.name if article.section else "",
                      publication=config.publisher_name or edition.title, date=date,
                      photo=str(full_copies[lead]) if lead else "", colours=colours, rtl=rtl,
                      focus=article.image_focus if lead else CENTRE)
        key = card_key(job, article.lead_image.key if article.lead_image else "")
        target = site_dir / CARDS_FOLDER / f"{key}{Path(card.output).suffix}"
        copies.append(Asset(source=os.fspath(target), output=card.output, origin=article.source))
        # The crops of a photo card for the JSON-LD; made before the card, whose file ends the set.
        copies += [Asset(source=crop_target(str(target), suffix), output=output, origin=article.source)
                   for (suffix, _, _), output in zip(CROPS, card.crop_outputs, strict=True)] if card.photo else []
        if not target.is_file():
            to_make.append((article, replace(job, target=str(target))))
    problems = list(map_in_order(make_card, [job for _, job in to_make], jobs, per_worker=4))
    mark_used(copy.source for copy in copies)  # the crops too: each file is kept or pruned on its own
    prune(site_dir / CARDS_FOLDER)
    errors = [BuildError(article.source, None, f"social card: {problem}")
              for (article, _), problem in zip(to_make, problems, strict=True) if problem is not None]
    return Cards(copies=tuple(copies), errors=tuple(errors), made=len(to_make))
