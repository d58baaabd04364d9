"""The searchable text of a rendered page: its article, without permalinks, scripts or chrome.

Navigation, header, footer and the table of contents are outside ``article.md-content__inner``
and are never read. Block elements (paragraphs, headings, table cells, list items) are separated
by a space, so a term (which never contains a space) cannot match across two blocks; inline
elements (links, bold, badges) join their neighbours, as a reader sees them.
"""

from __future__ import annotations

import lxml.html
from lxml.etree import _Element

INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var".split()
)
"""Elements that do not break a word; everything else (p, td, li, h1, br, …) separates blocks."""

SKIP_TAGS = frozenset({"script", "style", "template", "svg", "noscript"})
SKIP_CLASSES = frozenset({"headerlink", "md-content__button"})


def _skipped(el: _Element) -> bool:
    if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
        return True
    return bool(SKIP_CLASSES.intersection((el.get("class") or "").split()))


def _walk(el: _Element, out: list[str]) -> None:
    block = el.tag not in INLINE_TAGS
    if block:
        out.append(" ")
    if el.text:
        out.append(el.text)
    for child in el:
        if not _skipped(child):
            _walk(child, out)
        if child.tail:
            out.append(child.tail)
    if block:
        out.append(" ")


def article_text(html: str) -> str:
    """The raw (not yet normalised) searchable text of a Material page; empty when it has no article."""
    root = lxml.html.fromstring(html)
    found = root.xpath('//article[contains(concat(" ", normalize-space(@class), " "), " md-content__inner ")]')
    if not found:
        return ""
    out: list[str] = []
    _walk(found[0], out)
    return "".join(out)
