"""Rendering one planned page through its templates, every failure an author error with its line."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import jinja2

from generator.config.model import Config
from generator.config.themes import BUILTIN_THEMES
from generator.errors import BuildError
from generator.render.environment import TemplateFileError
from generator.render.recording import RecordingEnvironment, SiteAccess
from generator.site.model import Site
from generator.site.pages import Page


@dataclass(frozen=True, kw_only=True)
class RenderedPage:
    """A page's HTML, and what rendering it read (see ``recording``)."""

    html: bytes | BuildError  # UTF-8, or an error naming the template and line
    used_site: bool  # the templates read the global ``site``
    read_full: bool  # they read more of another article than its card


def render_page(page: Page, env: jinja2.Environment, site: Site) -> RenderedPage:
    """Render one planned page through its templates."""
    access = SiteAccess(site)
    if isinstance(env, RecordingEnvironment):
        env.own_article, env.read_full = page.context.get("article"), False
    html, used_site = _render(page, env, access)
    return RenderedPage(html=html, used_site=used_site, read_full=bool(getattr(env, "read_full", True)))


def _render(page: Page, env: jinja2.Environment, access: SiteAccess) -> tuple[bytes | BuildError, bool]:
    try:
        template = env.select_template(list(page.templates))
    except jinja2.TemplatesNotFound as exc:
        return BuildError(page.origin.path, None,
                          f"no template for {page.url}: looked for {', '.join(map(str, exc.templates))}"), access.used
    except (jinja2.TemplateSyntaxError, TemplateFileError) as exc:
        return _file_error(env, exc), access.used
    try:
        html = template.render({**page.context, "page": page, "site": access})
    except (jinja2.TemplateSyntaxError, TemplateFileError) as exc:
        return _file_error(env, exc), access.used
    except Exception as exc:  # noqa: BLE001 - any template runtime failure becomes an author error
        path, line = _template_frame(env, sys.exc_info()[2])
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        if isinstance(exc, jinja2.UndefinedError):
            message = f"undefined variable: {message}"
        elif isinstance(exc, RecursionError):  # Python's wording depends on where the limit is hit
            message = "maximum recursion depth exceeded (a template or macro calls itself without end)"
        elif isinstance(exc, jinja2.TemplateNotFound):
            message = f"template {' or '.join(map(repr, exc.templates))} not found in templates/ or the theme"
        return BuildError(path, line, f"template error while rendering {page.url}: {message}"), access.used
    return html.encode("utf-8"), access.used


def _file_error(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError | TemplateFileError) -> BuildError:
    """A template that does not parse or cannot be read, named with its line."""
    if isinstance(exc, TemplateFileError):
        return BuildError(_template_path(env, exc.filename, None), exc.lineno, exc.message or "")
    return BuildError(_template_path(env, exc.filename, exc.name), exc.lineno, f"template syntax error: {exc.message}")


def _template_path(env: jinja2.Environment, filename: str | None, name: str | None) -> str:
    if filename:
        return _relative_to_site(env, Path(filename))
    return f"templates/{name}" if name else "templates"


def _relative_to_site(env: jinja2.Environment, path: Path) -> str:
    config = env.globals["config"]
    site_dir: Path = config.site_dir if isinstance(config, Config) else Path.cwd()
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        try:
            return "<built-in>/" + path.resolve().relative_to(BUILTIN_THEMES.parent.resolve()).as_posix()
        except ValueError:
            return str(path)


def _template_frame(env: jinja2.Environment, tb: TracebackType | None) -> tuple[str, int | None]:
    """The innermost template file and line in a traceback."""
    found: tuple[str, int | None] = ("templates", None)
    for frame, line in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".htm", ".j2", ".jinja")):
            found = (_relative_to_site(env, Path(filename)), line)
    return found
