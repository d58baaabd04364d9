"""What the site, the checker and the book agree on about the Markdown of a content file.

The site renders through MkDocs with ``mkdocs.yml``'s extensions; the checker (to see what the
site will publish) and the book (to lay documents out without MkDocs) render the same bodies with
Python-Markdown directly, so the extension list and the article pattern live here, once. The
extension ``regbook.markup`` (in that list) joins hard-wrapped Chinese lines and makes the inline
pass skip patterns a text cannot match: the same HTML, and about a quarter less CPU time to
convert a law text (measured on the national bulk corpus, issue 15).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Callable, Iterable, Mapping

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import Pattern
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString
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


def _join(text: str, before: str = "", after: str = "") -> str:
    """``text`` (holding a line break) without breaks between CJK characters; ``before``/``after``:
    the characters around it. A break is removed only between two CJK characters, so the context
    characters themselves are never part of a removed run."""
    joined = CJK_BREAK_RE.sub("", before + text + after)
    return joined[len(before) : len(joined) - len(after)]


def _first_char(element: ET.Element) -> str:
    """The first character of ``"".join(element.itertext())``, without joining it."""
    if element.text:
        return element.text[0]
    for child in element:
        if found := _first_char(child):
            return found
        if child.tail:
            return child.tail[0]
    return ""


def _last_char(element: ET.Element) -> str:
    """The last character of ``"".join(element.itertext())``, without joining it."""
    for child in reversed(element):
        if child.tail:
            return child.tail[-1]
        if found := _last_char(child):
            return found
    return element.text[-1] if element.text else ""


class _JoinCjkLines(Treeprocessor):
    """Drops the line breaks between CJK characters from every text and tail outside code. Only
    a text holding a line break is looked at, and only then are its neighbours' first and last
    characters found (joining never changes those: a removed run lies between two kept CJK
    characters of the same element)."""

    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        if element.tag in _VERBATIM:
            return
        children = list(element)
        text = element.text
        if text and "\n" in text:
            element.text = _join(text, after=_first_char(children[0]) if children else "")
        for i, child in enumerate(children):
            if len(child) or (child.text and "\n" in child.text):
                self._walk(child)
            tail = child.tail
            if tail and "\n" in tail:
                following = _first_char(children[i + 1]) if i + 1 < len(children) else ""
                child.tail = _join(tail, before=_last_char(child), after=following)


# --- the inline pass, skipping patterns a text cannot match ---------------------------------
# Python-Markdown's inline pass tries every registered inline pattern on every text; law texts
# are long runs of Chinese paragraphs in which almost none can match. Each pattern below can only
# match a text holding one of its needles (a literal its regular expression requires, read in
# the installed markdown and pymdownx sources), and Python-Markdown calls a pattern's
# ``handleMatch`` only on a match of that expression, so skipping it changes nothing. A pattern
# not in this table (another class, another expression: a new extension, an upgrade) turns the
# shortcut off for the whole conversion: the plain inline pass runs.

_NEEDLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("markdown.inlinepatterns.BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): ("`",),
    ("markdown.inlinepatterns.EscapeInlineProcessor", r"\\(.)"): ("\\",),
    ("markdown.extensions.footnotes.FootnoteInlineProcessor", r"\[\^([^\]]*)\]"): ("[^",),
    ("markdown.inlinepatterns.ReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("markdown.inlinepatterns.LinkInlineProcessor", r"(?<!\!)\["): ("[",),
    ("markdown.inlinepatterns.ImageInlineProcessor", r"\!\["): ("![",),
    ("markdown.inlinepatterns.ImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("markdown.inlinepatterns.ShortReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("markdown.inlinepatterns.ShortImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("markdown.inlinepatterns.AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): ("://",),
    ("markdown.inlinepatterns.AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>"): ("@",),
    ("markdown.inlinepatterns.SubstituteTagInlineProcessor", r"  \n"): ("  \n",),
    (
        "markdown.inlinepatterns.HtmlInlineProcessor",
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|"""
        r"!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)",
    ): ("<",),
    ("markdown.inlinepatterns.HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): ("&",),
    ("pymdownx.emoji.EmojiPattern", r"(:[+\-\w]+:)"): (":",),
}
"""(class, regular expression) of a known inline pattern → the literals one of which any match
holds. ``DelimiterProcessor`` (``*``/``_`` emphasis) is known by its tokens instead."""

_DELIMITERS = "markdown.inlinepatterns.DelimiterProcessor"

_Plan = tuple[tuple[tuple[Pattern, tuple[str, ...]], ...], re.Pattern[str]]


def _needles(pattern: Pattern) -> tuple[str, ...] | None:
    """The literals one of which any match of ``pattern`` holds; None for an unknown pattern."""
    kind = f"{type(pattern).__module__}.{type(pattern).__qualname__}"
    compiled = getattr(pattern, "compiled_re", None)
    if not isinstance(compiled, re.Pattern):
        return None
    if kind == _DELIMITERS:
        tokens = tuple(getattr(pattern, "tokens", ()))
        known = all(isinstance(t, str) and t for t in tokens)
        return tokens if known and compiled.pattern == "|".join(re.escape(t) for t in tokens) else None
    return _NEEDLES.get((kind, compiled.pattern))


def _plan(patterns: Iterable[Pattern]) -> _Plan | None:
    """Each registered pattern with its needles, and an expression finding any needle; None
    (the plain inline pass) when a pattern is not known."""
    plan = []
    for pattern in patterns:
        needles = _needles(pattern)
        if needles is None:
            return None
        plan.append((pattern, needles))
    every = sorted({n for _, needles in plan for n in needles})
    return tuple(plan), re.compile("|".join(re.escape(n) for n in every) or r"(?!)")


class _QuickInlineProcessor(InlineProcessor):
    """Python-Markdown's ``inline`` tree processor, trying a pattern on a text only when the text
    holds one of the pattern's needles; a text holding none is returned as it is."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self._quick: _Plan | None = None

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        outer, self._quick = self._quick, _plan(self.inlinePatterns)
        try:
            result: ET.Element = super().run(tree, ancestors)
        finally:
            self._quick = outer
        return result

    # Python-Markdown's private ``__handleInline`` (name-mangled): ``run`` and ``__applyPattern``
    # call it for every text. Same loop (Markdown 3.11, pinned), but a pattern whose needles the
    # text lacks is not tried: trying it would return (data, False, 0), i.e. next pattern from
    # index 0. Should an upgrade rename it, this is never called (the plain pass); should it change
    # the loop, tests/test_markdown_fastpath.py compares the two passes on every construct.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        quick = self._quick
        if quick is None:
            plain: str = super()._InlineProcessor__handleInline(data, patternIndex)
            return plain
        plan, anywhere = quick
        if isinstance(data, AtomicString) or not anywhere.search(data):
            return data
        apply = self._InlineProcessor__applyPattern
        start = 0
        while patternIndex < len(plan):
            pattern, needles = plan[patternIndex]
            for needle in needles:
                if needle in data:
                    data, matched, start = apply(pattern, data, patternIndex, start)
                    break
            else:
                matched = False
            if not matched:
                start = 0
                patternIndex += 1
        return data


class MarkupExtension(Extension):
    """Python-Markdown extension ``regbook.markup``: no stray spaces in hard-wrapped Chinese text,
    and the quicker inline pass (``quick_inline=False``: Python-Markdown's own)."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {"quick_inline": [True, "Skip inline patterns a text cannot match"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_JoinCjkLines(md), "regbook_join_cjk_lines", 5)
        if self.getConfig("quick_inline"):
            md.treeprocessors.register(_QuickInlineProcessor(md), "inline", 20)


def makeExtension(**kwargs: object) -> MarkupExtension:  # noqa: N802 (Python-Markdown's name)
    return MarkupExtension(**kwargs)


# --- markers of generated content -----------------------------------------------------------
# Hand-written pages say where a generated list goes with a marker line such as
# ``<!-- regbook:cleanup-list -->``. The editors' guide quotes the markers in inline code and
# code blocks; only a marker standing alone on a line outside code is one.

DISCLOSURE_LIST = "<!-- regbook:disclosure-list -->"
CLEANUP_LIST = "<!-- regbook:cleanup-list -->"
BOOK_DOWNLOAD = "<!-- regbook:book-download -->"
CONTENT_MARKERS: dict[str, frozenset[str]] = {
    DISCLOSURE_LIST: frozenset({"disclosure/index.md"}),
    CLEANUP_LIST: frozenset({"cleanup/index.md"}),
    BOOK_DOWNLOAD: frozenset({"index.md"}),
}
"""The markers a hand-written page may hold, and the pages (URIs below ``docs/``) that may hold
them. Every other ``regbook:`` comment (the print page's ``print-book:N``, the download sizes'
``size:…``) is generated by the program, never written in a file; the checker refuses it."""

NIANBAO_TABLES = {
    "表二": "<!-- regbook:nianbao-table-2 -->",
    "表三": "<!-- regbook:nianbao-table-3 -->",
    "表四": "<!-- regbook:nianbao-table-4 -->",
}
"""Where a 年报 shows its tables (``regbook.report``), on the 年报 pages only."""
NIANBAO_FOLDER = "disclosure/nianbao/"
CONTENT_MARKERS.update({marker: frozenset({NIANBAO_FOLDER}) for marker in NIANBAO_TABLES.values()})


def marker_allowed(marker: str, uri: str) -> bool:
    """Whether a page (URI below ``docs/``) may hold a marker: one of its pages, or a page in one of
    its folders (entries ending in ``/``)."""
    pages = CONTENT_MARKERS.get(marker, frozenset())
    return uri in pages or any(p.endswith("/") and uri.startswith(p) and uri != p + "index.md" for p in pages)


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
