"""The site's gettext catalogue: the theme chain's ``.po`` files with the site's own merged over them.

Each theme may ship ``locale/<lang>/LC_MESSAGES/messages.po``; a parent's
messages come first, then the theme's, then the site's ``locale/`` folder,
so a site can reword any string of its theme. The merged messages are
compiled (Babel's ``write_mo``) into bytes held by the build: a build that
finds the same ``.po`` bytes as the previous one reuses them, and the digest
of those bytes is part of every page's fingerprint, so an edited ``.po``
re-renders every page and nothing else does.
"""

from __future__ import annotations

import gettext
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from generator.errors import BuildError, BuildFailed
from generator.i18n.locales import catalogue_names, locale_of

DOMAIN = "messages"
CATALOGUE_FOLDER = "locale"


def catalogue_path(folder: Path, name: str) -> Path:
    """``folder/locale/<name>/LC_MESSAGES/messages.po``."""
    return folder / CATALOGUE_FOLDER / name / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    """The compiled catalogue of one build, as plain bytes (the build state is pickled)."""

    language: str
    mo: bytes = b""  # empty: no catalogue for the language, strings stay as written
    digest: str = ""
    sources: tuple[str, ...] = ()  # the .po files merged, as shown in messages

    def translations(self) -> gettext.NullTranslations:
        """Translations for Jinja's i18n extension and for Python-side strings."""
        if not self.mo:
            return gettext.NullTranslations()
        return Translations(io.BytesIO(self.mo), domain=DOMAIN)


@dataclass(frozen=True, kw_only=True)
class PoFile:
    """One ``.po`` file found for the language: where it is, how to name it, its bytes."""

    path: Path
    shown: str
    data: bytes


def find_po_files(folders: Sequence[tuple[Path, str]], language: str) -> list[PoFile]:
    """The ``.po`` files for ``language`` under each ``(folder, shown)``, in merge order.

    ``folders`` go from the lowest priority (the farthest parent theme) to
    the highest (the site); within a folder the general language (``pt``)
    comes before the specific one (``pt_BR``).
    """
    found: list[PoFile] = []
    for folder, shown in folders:
        for name in reversed(catalogue_names(language)):
            path = catalogue_path(folder, name)
            named = "/".join(part for part in (shown, path.relative_to(folder).as_posix()) if part)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise BuildFailed([BuildError(named, None, f"cannot read file: {exc.strerror or exc}")]) from None
            found.append(PoFile(path=path, shown=named, data=data))
    return found


def digest_of(files: Sequence[PoFile]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for po in files:
        hasher.update(po.shown.encode("utf-8", "surrogatepass") + b"\x00" + po.data + b"\x00")
    return hasher.hexdigest()


def load_catalogue(files: Sequence[PoFile], language: str, previous: Catalogue | None = None) -> Catalogue:
    """Merge and compile ``files`` (from ``find_po_files``); raises ``BuildFailed`` naming a bad file's line.

    ``previous`` is reused when it was made from the same bytes.
    """
    digest = digest_of(files)
    if previous is not None and previous.digest == digest and previous.language == language:
        return previous
    if not files:
        return Catalogue(language=language, digest=digest)
    locale = locale_of(language)
    merged: dict[tuple[object, str | None], Message] = {}
    errors: list[BuildError] = []
    for po in files:
        try:
            catalog = read_po(io.BytesIO(po.data), locale=locale, abort_invalid=True)
        except PoFileError as exc:
            line = getattr(exc, "lineno", None)  # Babel counts lines from 0
            what = str(exc).split(" on ")[0]  # "Unknown or misformatted keyword on 3": the line is ours to say
            errors.append(BuildError(po.shown, None if line is None else line + 1,
                                     f"not a valid .po file: {what}: {getattr(exc, 'line', '')!r}"))
            continue
        except (UnicodeDecodeError, ValueError) as exc:
            errors.append(BuildError(po.shown, None, f"not a valid .po file: {exc}"))
            continue
        for message in catalog:
            if message.id and not message.fuzzy and _translated(message):
                merged[(message.id, message.context)] = message
    if errors:
        raise BuildFailed(errors)
    compiled = Catalog(locale=locale, domain=DOMAIN, fuzzy=False)
    for message in merged.values():
        compiled.add(message.id, message.string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, compiled, use_fuzzy=False)
    return Catalogue(language=language, mo=buffer.getvalue(), digest=digest,
                     sources=tuple(po.shown for po in files))


def _translated(message: Message) -> bool:
    """Every form has a translation: a half-translated plural would show English for some counts."""
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return all(strings)
