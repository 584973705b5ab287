"""Another generator's template syntax left in a source file: readers would see it as text.

A Jekyll, Hugo, Zola, Pelican or WordPress file copied into ``content/``
keeps its Liquid tags, shortcodes and links (``{% highlight %}``,
``{{ site.baseurl }}``, ``[caption]``, ``<!-- wp:image -->``,
``{filename}``, ``@/post.md``). Dateline renders them as the words they
are, so ``dateline check`` points at each, by line. Code blocks and code
spans are left alone: a post about templates shows them on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SYNTAX = re.compile(
    r"\{%-?\s*[A-Za-z_]\w*"  # Liquid, Jinja, Tera tags
    r"|\{\{[-<%]?\s*[A-Za-z_.$][\w.$]*"  # Liquid variables, Hugo shortcodes ({{< x >}}, {{% x %}})
    r"|\[/?(?:caption|embed|gallery|audio|video|playlist)\b"  # WordPress shortcodes
    r"|<!--\s*/?wp:[\w/-]+"  # Gutenberg block comments
    r"|\{(?:filename|static|attach|tag|category|author)\}"  # Pelican's links
    r"|\]\(@/"  # Zola's internal links
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def template_syntax(text: str) -> Iterator[tuple[int, str]]:
    """``(line, what)`` for each piece of template syntax outside code, in a file's text."""
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith(("    ", "\t")):
            continue  # an indented code block (or a list's continuation, where a tag is as unlikely)
        for found in _SYNTAX.finditer(_CODE_SPAN.sub(lambda span: " " * len(span.group()), line)):
            yield number, found.group()
