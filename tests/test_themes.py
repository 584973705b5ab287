"""Unit tests for theme lookup, inheritance, static files and template overrides."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timezone
from pathlib import Path

import markupsafe
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.build import build
from generator.config.themes import BUILTIN_THEMES, find_theme
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.render.themes import Theme, static_assets, theme_chain
from tests.helpers import run_dateline

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NEWSROOM = BUILTIN_THEMES / "newsroom"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_theme(site: Path, name: str, extends: str | None = None) -> Path:
    manifest = f'name = "{name}"\n' + (f'extends = "{extends}"\n' if extends is not None else "")
    return write(site, f"themes/{name}/theme.toml", manifest).parent


def chain_errors(site: Path, name: str) -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        theme_chain(site, name)
    return [str(error) for error in caught.value.errors]


def make_site(root: Path, config_extra: str = "") -> Path:
    write(root, "config.toml", f'title = "Test Times"\nbase_url = "https://example.org/"\n{config_extra}')
    write(root, "content/articles/hello.md", "---\ntitle: Hello World\ndate: 2020-08-15\n---\nBody text.\n")
    return root


def build_site(site: Path) -> Path:
    output = site / "output"
    build(BuildOptions(site_dir=site, output=output, now=NOW))
    return output


# --- find_theme ---------------------------------------------------------------


def test_builtin_theme_is_found(tmp_path: Path) -> None:
    assert find_theme(tmp_path, "newsroom") == NEWSROOM
    assert (NEWSROOM / "theme.toml").is_file()


def test_site_theme_is_found(tmp_path: Path) -> None:
    folder = make_theme(tmp_path, "child")
    assert find_theme(tmp_path, "child") == folder


def test_site_theme_shadows_builtin_of_the_same_name(tmp_path: Path) -> None:
    folder = make_theme(tmp_path, "newsroom")
    assert find_theme(tmp_path, "newsroom") == folder


def test_folder_with_only_templates_is_a_theme(tmp_path: Path) -> None:
    write(tmp_path, "themes/bare/templates/index.html", "x")
    assert find_theme(tmp_path, "bare") == tmp_path / "themes" / "bare"


def test_missing_theme_is_none(tmp_path: Path) -> None:
    (tmp_path / "themes" / "empty").mkdir(parents=True)
    assert find_theme(tmp_path, "nope") is None
    assert find_theme(tmp_path, "empty") is None  # a folder without theme.toml or templates/


# --- theme_chain --------------------------------------------------------------


def test_builtin_chain(tmp_path: Path) -> None:
    assert theme_chain(tmp_path, "newsroom") == (Theme(name="newsroom", folder=NEWSROOM),)


def test_child_theme_extends_builtin(tmp_path: Path) -> None:
    child = make_theme(tmp_path, "child", extends="newsroom")
    chain = theme_chain(tmp_path, "child")
    assert chain == (Theme(name="child", folder=child), Theme(name="newsroom", folder=NEWSROOM))
    assert chain[0].templates == child / "templates"
    assert chain[0].static == child / "static"


def test_three_level_chain_nearest_first(tmp_path: Path) -> None:
    make_theme(tmp_path, "grandchild", extends="child")
    make_theme(tmp_path, "child", extends="newsroom")
    assert [t.name for t in theme_chain(tmp_path, "grandchild")] == ["grandchild", "child", "newsroom"]


def test_theme_without_extends_ends_the_chain(tmp_path: Path) -> None:
    make_theme(tmp_path, "standalone")
    make_theme(tmp_path, "empty-extends", extends="")
    assert [t.name for t in theme_chain(tmp_path, "standalone")] == ["standalone"]
    assert [t.name for t in theme_chain(tmp_path, "empty-extends")] == ["empty-extends"]


def test_template_folders_follow_the_chain_nearest_first(tmp_path: Path) -> None:
    child = make_theme(tmp_path, "child", extends="newsroom")
    assert [theme.templates for theme in theme_chain(tmp_path, "child")] == [
        child / "templates", NEWSROOM / "templates"
    ]


def test_missing_theme_is_an_error_naming_config(tmp_path: Path) -> None:
    assert chain_errors(tmp_path, "nope") == [
        "config.toml: theme 'nope' not found in themes/ or the built-in themes"
    ]


def test_missing_parent_is_an_error_naming_the_child_manifest(tmp_path: Path) -> None:
    make_theme(tmp_path, "orphan", extends="ghost")
    assert chain_errors(tmp_path, "orphan") == [
        "themes/orphan/theme.toml: theme 'ghost' not found in themes/ or the built-in themes"
    ]


def test_extends_loop_is_an_error(tmp_path: Path) -> None:
    make_theme(tmp_path, "a", extends="b")
    make_theme(tmp_path, "b", extends="a")
    assert chain_errors(tmp_path, "a") == ["themes/b/theme.toml: themes extend each other in a loop: a -> b -> a"]


def test_theme_extending_itself_is_a_loop(tmp_path: Path) -> None:
    make_theme(tmp_path, "selfish", extends="selfish")
    assert chain_errors(tmp_path, "selfish") == [
        "themes/selfish/theme.toml: themes extend each other in a loop: selfish -> selfish"
    ]


def test_longer_loop_is_found(tmp_path: Path) -> None:
    make_theme(tmp_path, "a", extends="b")
    make_theme(tmp_path, "b", extends="c")
    make_theme(tmp_path, "c", extends="b")
    assert chain_errors(tmp_path, "a") == ["themes/c/theme.toml: themes extend each other in a loop: a -> b -> c -> b"]


def test_bad_theme_manifest_syntax(tmp_path: Path) -> None:
    write(tmp_path, "themes/bad/theme.toml", 'name = "bad"\nextends = \n')
    [message] = chain_errors(tmp_path, "bad")
    assert message.startswith("themes/bad/theme.toml:2: TOML syntax error: ")


def test_unreadable_theme_manifest_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "themes" / "latin1").mkdir(parents=True)
    (tmp_path / "themes" / "latin1" / "theme.toml").write_bytes(b'name = "caf\xe9"\n')
    [message] = chain_errors(tmp_path, "latin1")
    assert message == "themes/latin1/theme.toml:1: cannot read: not valid UTF-8 (byte 0xe9); save the file as UTF-8"


def test_extends_must_be_a_name(tmp_path: Path) -> None:
    write(tmp_path, "themes/num/theme.toml", "extends = 3\n")
    assert chain_errors(tmp_path, "num") == ["themes/num/theme.toml: 'extends' must be the name of a theme folder"]


def test_extends_cannot_leave_the_themes_folder(tmp_path: Path) -> None:
    write(tmp_path, "themes/sneaky/theme.toml", 'extends = "../../elsewhere"\n')
    assert chain_errors(tmp_path, "sneaky") == [
        "themes/sneaky/theme.toml: 'extends' must be the name of a theme folder"
    ]


def test_chain_errors_stop_a_real_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, 'theme = "child"\n')
    make_theme(site, "child", extends="missing-parent")
    with pytest.raises(BuildFailed) as caught:
        build_site(site)
    assert [str(e) for e in caught.value.errors] == [
        "themes/child/theme.toml: theme 'missing-parent' not found in themes/ or the built-in themes"
    ]
    assert not (site / "output").exists()


# --- static_assets ------------------------------------------------------------


def test_builtin_static_files(tmp_path: Path) -> None:
    assets = static_assets(tmp_path, theme_chain(tmp_path, "newsroom"))
    assert {"css/site.css", "favicon.svg"} <= set(assets)
    assert assets["css/site.css"].source == str(NEWSROOM / "static" / "css" / "site.css")
    assert assets["css/site.css"].origin == "<built-in>/themes/newsroom/static/css/site.css"


def test_site_static_overrides_theme_and_child_overrides_parent(tmp_path: Path) -> None:
    make_theme(tmp_path, "child", extends="newsroom")
    write(tmp_path, "themes/child/static/css/site.css", "child css")
    write(tmp_path, "themes/child/static/js/child.js", "child js")
    write(tmp_path, "static/favicon.svg", "site icon")
    write(tmp_path, "static/robots-extra.txt", "site only")
    assets = static_assets(tmp_path, theme_chain(tmp_path, "child"))
    assert assets["css/site.css"].source == str(tmp_path / "themes/child/static/css/site.css")
    assert assets["css/site.css"].origin == "themes/child/static/css/site.css"
    assert assets["favicon.svg"].source == str(tmp_path / "static/favicon.svg")
    assert assets["favicon.svg"].origin == "static/favicon.svg"
    assert assets["js/child.js"].output == "js/child.js"
    assert assets["robots-extra.txt"].source == str(tmp_path / "static/robots-extra.txt")


def test_hidden_and_editor_files_are_not_static_assets(tmp_path: Path) -> None:
    write(tmp_path, "static/.DS_Store", "x")
    write(tmp_path, "static/style.css~", "x")
    write(tmp_path, "static/.git/config", "x")
    write(tmp_path, "static/ok.css", "x")
    assets = static_assets(tmp_path, theme_chain(tmp_path, "newsroom"))
    site_files = {path for path, asset in assets.items() if asset.origin.startswith("static/")}
    assert site_files == {"ok.css"}


def test_site_static_override_reaches_the_output(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site, "static/css/site.css", "/* the site's own */\nbody { color: hotpink; }\n")
    output = build_site(site)
    assert (output / "css/site.css").read_text() == "body{color:hotpink}"  # the site's file, minified
    assert (output / "favicon.svg").read_bytes() == (NEWSROOM / "static/favicon.svg").read_bytes()


# --- template overrides in a real build -----------------------------------------


def test_site_template_extends_the_theme_original(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site, "templates/article.html", """
        {% extends "newsroom/article.html" %}
        {% block body_class %}custom-article{% endblock %}
    """)
    output = build_site(site)
    page = (output / "2020/08/hello-world/index.html").read_text()
    assert '<body class="custom-article">' in page
    assert '<h1 id="headline">Hello World</h1>' in page  # the rest still comes from the theme
    assert "Body text." in page
    front = (output / "index.html").read_text()
    assert "custom-article" not in front  # other templates are untouched


def test_site_template_can_call_super(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site, "templates/article.html", """
        {% extends "newsroom/article.html" %}
        {% block content %}<p class="banner">Special coverage</p>{{ super() }}{% endblock %}
    """)
    page = (build_site(site) / "2020/08/hello-world/index.html").read_text()
    assert page.index('<p class="banner">Special coverage</p>') < page.index('<h1 id="headline">Hello World</h1>')


def test_site_base_template_override_applies_to_theme_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site, "templates/base.html", """
        {% extends "newsroom/base.html" %}
        {% block masthead_title %}<p class="site-title">Custom masthead</p>{% endblock %}
    """)
    output = build_site(site)
    # Theme templates extend "base.html", which now resolves to the site's own.
    for page in ("2020/08/hello-world/index.html", "archive/index.html", "tags/index.html"):
        assert '<p class="site-title">Custom masthead</p>' in (output / page).read_text()


def test_child_theme_templates_override_the_parent(tmp_path: Path) -> None:
    site = make_site(tmp_path, 'theme = "child"\n')
    make_theme(site, "child", extends="newsroom")
    write(site, "themes/child/templates/article.html", """
        {% extends "newsroom/article.html" %}
        {% block body_class %}child-article{% endblock %}
    """)
    write(site, "themes/child/static/css/site.css", ".child { color: teal; }\n")
    output = build_site(site)
    assert '<body class="child-article">' in (output / "2020/08/hello-world/index.html").read_text()
    assert (output / "css/site.css").read_text() == ".child{color:teal}"


def test_site_template_wins_over_child_theme(tmp_path: Path) -> None:
    site = make_site(tmp_path, 'theme = "child"\n')
    make_theme(site, "child", extends="newsroom")
    write(site, "themes/child/templates/article.html", """
        {% extends "newsroom/article.html" %}
        {% block body_class %}child-article{% endblock %}
    """)
    write(site, "templates/article.html", """
        {% extends "child/article.html" %}
        {% block body_class %}site-article {{ super() }}{% endblock %}
    """)
    page = (build_site(site) / "2020/08/hello-world/index.html").read_text()
    assert '<body class="site-article child-article">' in page


def test_template_helpers_answer_repeated_calls_as_the_first() -> None:
    """The helpers remember their answers for the build; the answer must not depend on how a value was spelled."""
    import tomllib
    from datetime import timedelta

    from markupsafe import Markup

    from generator.config import parse_config
    from generator.render.helpers import Helpers

    text = 'title = "T"\nbase_url = "https://example.org/news/"\ntimezone = "Europe/Paris"\n'
    config, errors = parse_config(Path("/nonexistent"), text, tomllib.loads(text))
    assert not errors
    helpers = Helpers(config, {"css/site.css": None})  # type: ignore[dict-item]
    utc = datetime(2024, 3, 31, 0, 30, tzinfo=UTC)
    plus_two = utc.astimezone(timezone(timedelta(hours=2)))  # the same instant, another zone
    assert helpers.date(utc) == helpers.date(plus_two) == helpers.date(utc) == "31 March 2024"
    assert helpers.date(utc, "%Y") == "2024" and helpers.date(utc) == "31 March 2024"
    assert helpers.abs_url("/a/") == helpers.abs_url("/a/") == "https://example.org/a/"
    marked = Markup("x<y")
    assert helpers.abs_url(marked) is marked  # a non-root-relative URL passes through as it came
    assert helpers.static_url("css/site.css") == helpers.static_url("/css/site.css") == "/news/css/site.css"
    with pytest.raises(Exception, match="no static file"):
        helpers.static_url("missing.css")
    assert helpers.url("tags") == helpers.url("tags") == "/news/tags/"


def test_quick_context_calls_like_jinja() -> None:
    """``QuickContext`` skips Jinja's checks only where they cannot matter: every kind of callable,
    in loops, blocks and macros, gives what stock Jinja gives."""
    import jinja2

    from generator.render.recording import RecordingEnvironment

    class Greeter:
        @jinja2.pass_context
        def __call__(self, context: jinja2.runtime.Context, name: str) -> str:
            return f"{context['salute']} {name}"

    def stop() -> str:
        raise StopIteration

    helpers = {
        "plain": lambda *args, **kwargs: f"plain{args}{sorted(kwargs.items())}",
        "with_context": jinja2.pass_context(lambda context, x: f"{context.get('seen', 'none')}/{x}"),
        "with_environment": jinja2.pass_environment(lambda env, x: f"{type(env).__name__ != ''}:{x}"),
        "with_eval_context": jinja2.pass_eval_context(lambda eval_ctx, x: f"{eval_ctx.autoescape}:{x}"),
        "greet": Greeter(),
        "stop": stop,
        "upper": str.upper,
        "salute": "hello",
    }
    source = """
{%- macro tag(name, cls='x') %}<{{ name }} class="{{ cls }}"></{{ name }}>{% endmacro -%}
{%- macro wrap(name) %}<{{ name }}>{{ caller() }}</{{ name }}>{% endmacro -%}
{{ plain(1, a=2) }} {{ with_context(1) }} {{ with_environment(2) }} {{ with_eval_context(3) }}
{{ greet('you') }} {{ upper('abc') }} {{ 'a-b'.replace('-', '+') }} [{{ stop() is undefined }}]
{% for item in ['k'] %}{{ with_context(item) }}{% endfor %}
{% for item in ['i', 'j'] %}{% set seen = item ~ '!' %}{{ plain(item, k=loop.index) }} \
{{ with_context(item) }} {{ tag('b', cls=item) }}{% endfor %}
{% block body %}{% set local = 'in-block' %}{% set seen = 'seen-in-block' %}\
{{ with_context(local) }} {{ plain(local) }}{% call wrap('p') %}{{ local }}{% endcall %}{% endblock %}
{{ self.body() }}
"""
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    quick = RecordingEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    outputs = []
    for env in (stock, quick):
        env.globals.update(helpers)
        outputs.append(env.from_string(source).render())
    assert "plain(1,)[(&#39;a&#39;, 2)]" in outputs[0] and "hello you" in outputs[0] and "[True]" in outputs[0]
    assert "none/k" in outputs[0] and "i!/i" in outputs[0] and "seen-in-block/in-block" in outputs[0]
    assert outputs[1] == outputs[0]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(),
                 st.text().map(Markup), st.text().map(lambda text: type("Html", (), {"__html__": lambda self: text})())))
def test_escape_output_is_markupsafe_escape_as_text(value: object) -> None:
    from generator.render.speedups import escape_output

    escaped = escape_output(value)
    assert isinstance(escaped, str) and escaped == str(markupsafe.escape(value))
    if not hasattr(value, "__html__"):  # text made safe here is not wrapped in Markup
        assert type(escaped) is str


def test_quick_templates_escape_like_jinja() -> None:
    """Every way a template outputs text, with autoescaping on, off and switched in the template,
    gives what stock Jinja gives, and the pieces that must not be escaped twice are not."""
    import jinja2

    from generator.render.recording import RecordingEnvironment
    from generator.render.speedups import QuickTemplate

    class Html:
        def __html__(self) -> str:
            return "<i>already safe</i>"

    values = {"text": "<a href=\"x\">Tom & Jerry's</a>", "safe": Markup("<b>bold</b>"), "number": 3.5,
              "nothing": None, "html": Html(), "items": ["<1>", Markup("<2>")]}
    source = """
{%- macro tag(name) %}<{{ name }}>{{ caller() if caller else text }}</{{ name }}>{% endmacro -%}
{{ text }} {{ safe }} {{ number }} {{ nothing }} {{ html }} {{ text|e }} {{ text|safe }} {{ text ~ safe }}
{{ tag('p') }} {% call tag('q') %}{{ text }}{% endcall %} {{ tag(text) }}
{% set block %}<br>{{ text }}{% endset %}{{ block }} {{ block|e }}
{% for item in items %}{{ item }}{{ loop.index }}{% endfor %} {{ items|join(text) }}
{% autoescape false %}{{ text }} {{ tag('s') }}{% endautoescape %} {% autoescape true %}{{ text }}{% endautoescape %}
"""
    outputs = []
    for env in (jinja2.Environment(autoescape=True), RecordingEnvironment(autoescape=True),
                jinja2.Environment(autoescape=False), RecordingEnvironment(autoescape=False)):
        template = env.from_string(source)
        outputs.append(template.render(values))
    assert isinstance(RecordingEnvironment().from_string("x"), QuickTemplate)
    assert "&lt;a href=&#34;x&#34;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; <b>bold</b> 3.5 None <i>already safe</i>" in outputs[0]
    assert "<q>&lt;a href" in outputs[0] and "<br>&lt;a" in outputs[0] and "&lt;1&gt;1<2>2" in outputs[0]
    assert outputs[1] == outputs[0]
    assert outputs[3] == outputs[2]


@pytest.mark.parametrize("env_autoescape", [False, True])
def test_macros_escape_where_called_like_jinja(env_autoescape: bool) -> None:
    """A macro's output is escaped as where it is called, not where it was defined, as in stock
    Jinja: defined with autoescaping off and called with it on (Jinja2's own test_autoescape_macros),
    and the reverse, in one template, across an import and through ``{% call %}``."""
    import jinja2

    from generator.render.recording import RecordingEnvironment

    sources = {
        "m.txt": "{% macro m(x) %}<html>{{ x }}{{ caller() if caller }}</html>{% endmacro %}",  # not autoescaped
        "m.html": "{% macro m(x) %}<html>{{ x }}{{ caller() if caller }}</html>{% endmacro %}",
        "page.html": "{% from 'm.txt' import m as plain %}{% from 'm.html' import m as escaped %}"
                     "{{ plain(x) }}|{{ escaped(x) }}|{% call plain(x) %}<br>{{ x }}{% endcall %}"
                     "{% autoescape false %}|{{ plain(x) }}|{{ escaped(x) }}{% endautoescape %}",
    }
    source = """
{%- macro here(x) %}<html>{{ x }}</html>{% endmacro -%}
{{ here(x) }}
{% autoescape true %}{{ here(x) }} {{ here(x)|e }}{% endautoescape %}
{% autoescape false %}{{ here(x) }} {{ here(x)|e }}{% endautoescape %}
{% for item in [x] %}{% autoescape not env_autoescape %}{{ here(item) }}{% endautoescape %}{% endfor %}
"""
    outputs = []
    for make in (jinja2.Environment, RecordingEnvironment):
        loader = jinja2.DictLoader(sources)
        env = make(autoescape=env_autoescape, loader=loader)
        imports = make(autoescape=jinja2.select_autoescape(["html"], default_for_string=env_autoescape), loader=loader)
        outputs.append([env.from_string(source).render(x="<i>&", env_autoescape=env_autoescape),
                        imports.get_template("page.html").render(x="<i>&")])
    stock, quick = outputs
    if not env_autoescape:  # Jinja2's own case: the macro's HTML is not escaped where it is output
        assert stock[0].splitlines()[1].startswith("<html><i>&</html>")
    assert quick == stock


def test_imports_see_globals_like_jinja() -> None:
    """Template globals (``TemplateGlobals``) answer imports as Jinja's own: the environment's,
    a template's own, and ones added after the templates were loaded."""
    import jinja2

    from generator.render.recording import RecordingEnvironment
    from generator.render.speedups import TemplateGlobals

    sources = {
        "m.html": "{% macro show() %}[{{ shared }}|{{ own is defined and own }}|{{ late is defined and late }}]"
                  "{% endmacro %}",
        "page.html": "{% import 'm.html' as plain %}{% import 'm.html' as with_context with context %}"
                     "{{ plain.show() }}{{ with_context.show() }}{% from 'm.html' import show %}{{ show() }}",
    }
    sources["own.html"] = sources["page.html"]
    outputs = []
    for make in (jinja2.Environment, RecordingEnvironment):
        env = make(loader=jinja2.DictLoader(sources), autoescape=True)
        env.globals["shared"] = "env"
        page = env.get_template("page.html")
        own = env.get_template("own.html", globals={"own": "mine"})
        rendered = [page.render(), own.render()]
        env.globals["late"] = "added later"
        rendered += [page.render(), own.render()]
        outputs.append(rendered)
        globals_ = env.get_template("m.html").globals
        assert isinstance(globals_, TemplateGlobals) == (make is RecordingEnvironment)
        assert set(globals_.keys()) == {*env.globals}
    assert outputs[0][0] == "[env|False|False]" * 3
    assert outputs[0][1].count("mine") == 3 and outputs[0][3].count("added later") == 3
    assert outputs[1] == outputs[0]


def test_stylesheets_are_published_minified_and_other_files_as_they_are(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site, "static/css/extra.css", "/*! Licence: CC0 */\n/* a note */\n.box {\n  width: calc(100% - 2rem);\n"
                                         "  --gap: 1rem;\n}\n")
    (site / "static/notes.txt").write_text("  spaces  kept  \n", encoding="utf-8")
    output = build_site(site)
    assert (output / "css/extra.css").read_text() == "/*! Licence: CC0 */.box{width:calc(100% - 2rem);--gap:1rem}"
    assert (output / "notes.txt").read_text() == "  spaces  kept  \n"
    theme = (NEWSROOM / "static/css/site.css").read_text(encoding="utf-8")
    published = (output / "css/site.css").read_text(encoding="utf-8")
    assert len(published) < 0.85 * len(theme) and "/* " not in published


def test_a_stylesheet_that_is_not_utf8_is_an_error_naming_it(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "static/css").mkdir(parents=True)
    (site / "static/css/latin1.css").write_bytes(b"/* caf\xe9 */ body { color: red; }")
    result = run_dateline("build", cwd=site)
    assert result.returncode != 0 and "static/css/latin1.css: a stylesheet must be UTF-8" in result.stderr
