"""Rendering published Markdown the way the site does, for the link and safety rules.

The rules look at what will be published, not at a guess from the source: the text is
rendered with Python-Markdown and the same extensions as ``mkdocs.yml`` (so reference-style
links, autolinks, attribute lists and raw HTML all appear as they will on the site), then
parsed with an HTML5 parser that builds the tree a browser builds (tinyhtml5). Source lines
are found afterwards by searching the source for what was found.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Iterator

import markdown
import tinyhtml5
from pymdownx.slugs import slugify

from regbook.corpus import Text

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
]
"""``mkdocs.yml``'s Markdown extensions, less pymdownx.emoji (checked separately: see safety)."""

_SLUGIFY = slugify(case="lower")


def slug(text: str) -> str:
    """A heading's id, as the site's toc extension (pymdownx.slugs, lower case) makes it."""
    return str(_SLUGIFY(text, "-"))


@lru_cache(maxsize=4096)
def to_html(body: str) -> str:
    """The body's HTML as MkDocs renders it (without the theme)."""
    md = markdown.Markdown(
        extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True, "slugify": _SLUGIFY}}
    )
    return md.convert(body)


@lru_cache(maxsize=4096)
def tree(body: str) -> ET.Element:
    """The browser's element tree of the rendered body."""
    return tinyhtml5.parse(to_html(body), namespace_html_elements=False)


def elements(body: str) -> Iterator[ET.Element]:
    """Every element of the rendered body (the wrapping html/head/body excluded)."""
    root = tree(body)
    for el in root.iter():
        if el is root or not isinstance(el.tag, str):
            continue
        if el.tag in ("head", "body") and el in list(root):
            continue
        yield el


def ids(body: str) -> set[str]:
    """Every id in the rendered body: headings, attribute lists, raw HTML."""
    return {el.attrib["id"] for el in elements(body) if "id" in el.attrib}


def line_of(text: Text, *needles: str) -> int:
    """The file line where one of ``needles`` first occurs (case-insensitive), else the text's first line."""
    lowered = text.body.lower()
    best: int | None = None
    for needle in needles:
        if not needle:
            continue
        at = lowered.find(needle.lower())
        if at >= 0 and (best is None or at < best):
            best = at
    if best is None:
        return text.line
    return text.line + text.body.count("\n", 0, best)


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
