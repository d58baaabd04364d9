"""What the site, the checker and the book agree on about the Markdown of a content file.

The site renders through MkDocs with ``mkdocs.yml``'s extensions; the checker (to see what the
site will publish) and the book (to lay documents out without MkDocs) render the same bodies with
Python-Markdown directly, so the extension list and the article pattern live here, once.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Callable, Mapping

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "regbook.markup",
]
"""``mkdocs.yml``'s Markdown extensions, less pymdownx.emoji (the checker refuses emoji shortcodes)."""

SLUGIFY = slugify(case="lower")
"""Heading ids as the site makes them (``toc.slugify`` in ``mkdocs.yml``): readable Chinese ids."""

ARTICLE_RE = re.compile(r"^(第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?)(?=[ \u3000])", re.M)
"""An article paragraph: 第X条 (Chinese numerals, 之一 suffixes) at a line start, then a space."""


# --- joining hard-wrapped Chinese lines -----------------------------------------------------
# A line break inside a paragraph becomes a space in HTML; between two Chinese characters that
# space shows as a gap in the middle of a sentence. Editors (and the dev pages) wrap long lines,
# so the break is dropped where both sides are CJK (or CJK punctuation). Code stays as written.

_CJK = "\u2014\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK_RE = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")
_VERBATIM = {"pre", "code", "script", "style"}


def _join(text: str | None, before: str = "", after: str = "") -> str | None:
    """``text`` without breaks between CJK characters; ``before``/``after``: the characters around it."""
    if not text:
        return text
    joined = CJK_BREAK_RE.sub("", before + text + after)
    return joined[len(before) : len(joined) - len(after)]


class _JoinCjkLines(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        if element.tag in _VERBATIM:
            return
        children = list(element)
        inner = ["".join(child.itertext()) for child in children]
        element.text = _join(element.text, after=inner[0][:1] if inner else "")
        for i, child in enumerate(children):
            self._walk(child)
            following = inner[i + 1][:1] if i + 1 < len(children) else ""
            child.tail = _join(child.tail, before=inner[i][-1:], after=following)


class JoinCjkLinesExtension(Extension):
    """Python-Markdown extension ``regbook.markup``: no stray spaces in hard-wrapped Chinese text."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_JoinCjkLines(md), "regbook_join_cjk_lines", 5)


def makeExtension(**kwargs: object) -> JoinCjkLinesExtension:  # noqa: N802 (Python-Markdown's name)
    return JoinCjkLinesExtension(**kwargs)


# --- markers of generated content -----------------------------------------------------------
# Hand-written pages say where a generated list goes with a marker line such as
# ``<!-- regbook:cleanup-list -->``. The editors' guide quotes the markers in inline code and
# code blocks; only a marker standing alone on a line outside code is one.

MARKER_RE = re.compile(r"^ {0,3}(<!-- regbook:[a-z][a-z0-9-]* -->)[ \t]*$")
"""A marker line: the marker alone, indented less than an indented code block (4 spaces)."""
_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")


def standalone_markers(markdown: str) -> dict[int, str]:
    """The markers standing alone on a line outside fenced code: line index → marker."""
    found: dict[int, str] = {}
    fence = ""
    for i, line in enumerate(markdown.split("\n")):
        if m := _FENCE_RE.match(line):
            if not fence and not (m[1][0] == "`" and "`" in m[2]):
                fence = m[1]
                continue
            if fence and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not m[2].strip():
                fence = ""
                continue
        if not fence and (m := MARKER_RE.match(line)):
            found[i] = m[1]
    return found


def fill_markers(markdown: str, fills: Mapping[str, Callable[[], str]]) -> str:
    """``markdown`` with each marker line of ``fills`` replaced by its generated text; markers in
    inline code, in code blocks or inside a sentence stay as written."""
    lines = markdown.split("\n")
    for i, marker in standalone_markers(markdown).items():
        if marker in fills:
            lines[i] = fills[marker]()
    return "\n".join(lines)
