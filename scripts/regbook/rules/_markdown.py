"""Rendering published Markdown the way the site does, for the link and safety rules.

The rules look at what will be published, not at a guess from the source: the text is
rendered with Python-Markdown and the same extensions as ``mkdocs.yml`` (so reference-style
links, autolinks, attribute lists and raw HTML all appear as they will on the site), then
parsed with an HTML5 parser that builds the tree a browser builds (tinyhtml5). Source lines
are found afterwards by searching the source for what was found.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Iterator

import markdown
import tinyhtml5

from regbook.corpus import Text
from regbook.markup import EXTENSIONS, SLUGIFY



def slug(text: str) -> str:
    """A heading's id, as the site's toc extension (pymdownx.slugs, lower case) makes it."""
    return str(SLUGIFY(text, "-"))


_MD: list[markdown.Markdown] = []


@lru_cache(maxsize=4096)
def to_html(body: str) -> str:
    """The body's HTML as MkDocs renders it (without the theme)."""
    if not _MD:
        _MD.append(
            markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True, "slugify": SLUGIFY}})
        )
    md = _MD[0]
    try:
        return md.reset().convert(body)
    except (RecursionError, ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        # Python-Markdown gives up on some inputs (e.g. hundreds of nested list markers); that is
        # the content's problem, reported by the safety rule, never a traceback.
        _MD.clear()
        FAILURES[body] = type(exc).__name__
        return ""


FAILURES: dict[str, str] = {}
"""Bodies Python-Markdown could not render (body → exception name)."""


_MARKUP_RE = re.compile(r"<|\]\(|\]:|\]\[|\{|&")
"""Without any of these a text has no link, image, raw HTML, attribute list or entity."""


def has_markup(body: str) -> bool:
    """Whether rendering can produce links, images or HTML beyond plain paragraphs and headings."""
    return _MARKUP_RE.search(body) is not None


@lru_cache(maxsize=4096)
def tree(body: str) -> ET.Element:
    """The browser's element tree of the rendered body."""
    return tinyhtml5.parse(to_html(body), namespace_html_elements=False)


def local_name(tag: str) -> str:
    """``{http://www.w3.org/2000/svg}svg`` → ``svg``."""
    return tag.rsplit("}", 1)[-1]


def top_elements(body: str) -> list[ET.Element]:
    """The rendered body's top-level elements (inside the parser's html/head/body).

    Texts without markup characters are not rendered: plain paragraphs and headings can hold
    no link and no HTML (``ids`` renders them when their anchors are needed).
    """
    if not has_markup(body):
        return []
    return _top(body)


def _top(body: str) -> list[ET.Element]:
    root = tree(body)
    out: list[ET.Element] = []
    for part in root:  # head, body
        out.extend(el for el in part if isinstance(el.tag, str))
    return out


def elements(body: str) -> Iterator[ET.Element]:
    """Every element of the rendered body, in document order (the wrapping html/head/body excluded)."""
    for top in top_elements(body):
        for el in top.iter():
            if isinstance(el.tag, str):
                yield el


def ids(body: str) -> set[str]:
    """Every id in the rendered body: headings, attribute lists, raw HTML."""
    return {html.unescape(m[1] or m[2] or m[3]) for m in _ID_RE.finditer(to_html(body))}


_ID_RE = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'=<`]+))""", re.I)
"""An id attribute in rendered HTML (cheaper than a full HTML5 parse, which only safety needs)."""


class Locator:
    """Finds the source line of things found in the rendered text, in document order.

    Rendering loses lines, so the source is searched (case-insensitively) for what was found;
    searching on from the previous find keeps repeated things on their own lines.
    """

    def __init__(self, text: Text):
        self.text = text
        self.lowered = text.body.lower()
        self.cursor = 0

    def line(self, *needles: str) -> int:
        """The line of the first needle found after the previous find (or anywhere), else the first line."""
        for start in (self.cursor, 0):
            for needle in needles:
                if not needle:
                    continue
                at = self.lowered.find(needle.lower(), start)
                if at >= 0:
                    self.cursor = at + 1
                    return self.text.line + self.text.body.count("\n", 0, at)
        return self.text.line


def line_of(text: Text, *needles: str) -> int:
    """The file line where one of ``needles`` first occurs (case-insensitive), else the text's first line."""
    return Locator(text).line(*needles)


_FENCE_RE = re.compile(r"^(```|~~~)")


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, text) of lines outside fenced code blocks, with inline code removed."""
    fence: str | None = None
    for i, line in enumerate(body.split("\n")):
        stripped = line.strip()
        m = _FENCE_RE.match(stripped)
        if fence is None and m:
            fence = m[1]
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        yield i, re.sub(r"`+[^`]*`+", "", line)
