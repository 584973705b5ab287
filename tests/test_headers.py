"""``_headers``: the HTTP headers the build writes for Netlify and Cloudflare Pages, and ``[headers]`` over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.render.headers import read_headers_file
from tests.helpers import NOW, age, article, make_site, run_dateline

CONFIG = 'title = "T"\nbase_url = "https://example.org/"\n'


def headers_of(tmp_path: Path, config: str) -> dict[str, str]:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")}, config=config)
    build(BuildOptions(site_dir=site, now=NOW))
    text = (site / "output/_headers").read_text()
    assert text.startswith("/*\n  Content-Security-Policy: ") or "Content-Security-Policy" not in text
    return read_headers_file(text.encode())


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_the_default_policy_allows_no_inline_code_and_frames_only_from_embed_hosts(tmp_path: Path) -> None:
    headers = headers_of(tmp_path, CONFIG + '[content.trust]\nembed_hosts = ["player.vimeo.com"]\n')
    policy = directives(headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["frame-src"] == ["https://player.vimeo.com"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_headers_in_config_replace_or_drop_the_defaults(tmp_path: Path) -> None:
    headers = headers_of(tmp_path, CONFIG + ('[headers]\ncontent-security-policy = "default-src \'self\' https:"\n'
                                             'Permissions-Policy = ""\nX-Frame-Options = "DENY"\n'))
    assert headers == {"content-security-policy": "default-src 'self' https:", "X-Content-Type-Options": "nosniff",
                       "Referrer-Policy": "strict-origin-when-cross-origin", "X-Frame-Options": "DENY"}


def test_a_header_that_cannot_be_sent_is_an_error_on_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")},
                     config=CONFIG + '[headers]\n"Bad Name" = "x"\nX-Two = "a\\nb"\nX-Three = 3\n')
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site_dir=site, now=NOW))
    assert [str(e) for e in failure.value.errors] == [
        "config.toml:4: 'headers.Bad Name' is not an HTTP header name",
        "config.toml:5: 'headers.X-Two' must be one line without control characters",
        "config.toml:6: 'headers.X-Three' must be a string",
    ]


def test_a_sites_own_headers_file_comes_first_and_keeps_the_policy(tmp_path: Path) -> None:
    """Like ``_redirects``: the site's own rules are kept, Dateline's rule for every page follows."""
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")}, config=CONFIG)
    own = site / "static/_headers"
    own.parent.mkdir()
    own.write_text("/media/*\n  Cache-Control: public, max-age=31536000, immutable", encoding="utf-8")
    assert run_dateline("build", "-q", cwd=site).returncode == 0
    text = (site / "output/_headers").read_text(encoding="utf-8")
    assert text.startswith("/media/*\n  Cache-Control: public, max-age=31536000, immutable\n/*\n")
    assert "script-src 'self'" in read_headers_file(text.encode())["Content-Security-Policy"]
    age(site)
    own.write_text("/media/*\n  Cache-Control: public, max-age=600\n", encoding="utf-8")
    assert run_dateline("build", "-q", cwd=site).returncode == 0  # an edit of the file alone is seen
    text = (site / "output/_headers").read_text(encoding="utf-8")
    assert text.startswith("/media/*\n  Cache-Control: public, max-age=600\n/*\n") and text.count("\n/*\n") == 1
