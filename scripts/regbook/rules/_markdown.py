"""Rendering published Markdown the way the site does, for the link and safety rules.

The rules look at what will be published, not at a guess from the source: the text is
rendered with Python-Markdown and the same extensions as ``mkdocs.yml`` (so reference-style
links, autolinks, attribute lists and raw HTML all appear as they will on the site), then
parsed with an HTML5 parser that builds the tree a browser builds (tinyhtml5). Source lines
are found afterwards by searching the source for what was found.
"""

from __future__ import annotations

import bisect
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Iterator

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
    """The body's HTML as MkDocs renders it (without the theme); ``""`` for a body ``costly``
    refuses (the safety rule reports it) or Python-Markdown gives up on (``FAILURES``)."""
    if costly(body) is not None:
        return ""
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


# --- bounded work ---------------------------------------------------------------------------
# Python-Markdown scans forward from every "[" for its "]" (``LinkInlineProcessor.getText``, once
# per link/image/reference pattern), from every "](" for its ")" (``getLink``), and the standard
# library's html.parser scans from every "<" + letter for the tag's end. Each scan is linear, so a
# run of openers that never close costs the square of the text: 30 KB of "[" kept the checker
# busy for 196 s, 40 KB of "![" the site build for 342 s. ``costly`` estimates those scans in
# linear time (an upper bound: the length each scan covers, up to its closer or the end of the
# paragraph) and refuses a body over the limits before Python-Markdown sees it. Real documents
# stay far below (a link costs the length of its text and address).

BRACKET_WORK_LIMIT = 1_000_000
"""Characters the "[" and "](" scans may cover in one body (about a second of Python-Markdown)."""
TAG_WORK_LIMIT = 4_000_000
"""Characters html.parser's start-tag scans may cover in one body (a regular expression: faster)."""

_CHUNK_END_RE = re.compile(r"\n[ \t]*\n")
_ESCAPE_RE = re.compile(r"\\[^\n]")
_TAG_START_RE = re.compile(r"<[a-zA-Z]")
_TAG_END_RE = re.compile(r"""[^'">]*(?:(?:'[^']*'|"[^"]*")[^'">]*)*>""")


@dataclass(frozen=True)
class Costly:
    """Why a body is refused unrendered: ``at``, the offset (in the body) of the worst opener."""

    at: int
    message: str


@lru_cache(maxsize=8192)  # every text of a national corpus: the preview checks them all on each rebuild
def costly(body: str) -> Costly | None:
    """A ``Costly`` when rendering ``body`` would take Python-Markdown minutes, else None."""
    plain = _ESCAPE_RE.sub("\0\0", body)  # "\[" is an escaped bracket: no scan starts there
    ends = [m.start() for m in _CHUNK_END_RE.finditer(plain)] + [len(plain)]
    work, at, unmatched, depth = _pair_work(plain, "[", "]", ends, lambda p: True)
    if work > BRACKET_WORK_LIMIT:
        return Costly(
            at,
            "方括号“[”过多：从这一行起，"
            + (f"有 {unmatched:,} 个“[”没有对应的“]”" if unmatched else f"方括号层层嵌套（最深 {depth:,} 层）")
            + "，"
            "网站排版这样的文字要几分钟，已拒绝。请删去多余的“[”，或写成“\\[”；公文中的方括号请用〔〕或【】",
        )
    quotes = [m.start() for m in re.finditer("[\"']", plain)]
    work, at, _, _ = _pair_work(plain, "(", ")", ends, lambda p: p > 0 and plain[p - 1] == "]", quotes)
    if work > BRACKET_WORK_LIMIT:
        return Costly(
            at,
            "链接的圆括号未配对：从这一行起，有很多“](”后的“(”没有对应的“)”（或地址中有未配对的引号），"
            "网站排版这样的文字要几分钟，已拒绝。链接请写成 [文字](地址)；不是链接的“](”请写成“]\\(”",
        )
    work, worst, at = 0, 0, 0
    for m in _TAG_START_RE.finditer(plain):
        end = _TAG_END_RE.match(plain, m.end())
        span = (end.end() if end else len(plain)) - m.start()
        work += span
        if span > worst:
            worst, at = span, m.start()
        if work > TAG_WORK_LIMIT:
            return Costly(
                at,
                "尖括号“<”过多：从这一行起，有很多“<”后面紧跟字母却没有对应的“>”，网站会把每一个都当作 HTML 标签查找结尾，"
                "要几分钟，已拒绝。不是 HTML 的“<”请写成“&lt;”，或改用书名号《》",
            )
    return None


def _pair_work(
    text: str,
    opener: str,
    closer: str,
    ends: list[int],
    counted: Callable[[int], bool],
    quotes: list[int] | None = None,
) -> tuple[int, int, int, int]:
    """(work, offset of the opener with the longest scan, openers never closed, deepest nesting) of
    the scans from each counted opener to its closer, or to the end of its paragraph (``ends``).
    With ``quotes``: a scan that meets a quote runs to the end of the paragraph (``getLink``)."""
    work = worst = at = unmatched = depth = 0
    stack: list[int] = []
    chunk = 0
    pattern = re.compile(f"[{re.escape(opener)}{re.escape(closer)}]")

    def close(p: int, q: int) -> None:
        nonlocal work, worst, at
        if not counted(p):
            return
        if quotes is not None and q < ends[chunk]:
            i = bisect.bisect_right(quotes, p)
            if i < len(quotes) and quotes[i] < q:
                q = ends[chunk]
        work += q - p
        if q - p > worst:
            worst, at = q - p, p

    for m in pattern.finditer(text):
        pos = m.start()
        while pos >= ends[chunk]:  # a new paragraph: what stayed open scanned to the old one's end
            unmatched += sum(1 for p in stack if counted(p))
            for p in stack:
                close(p, ends[chunk])
            stack.clear()
            chunk += 1
        if m[0] == opener:
            stack.append(pos)
            depth = max(depth, len(stack))
        elif stack:
            close(stack.pop(), pos)
    unmatched += sum(1 for p in stack if counted(p))
    for p in stack:
        close(p, ends[chunk])
    return work, at, unmatched, depth


_MARKUP_RE = re.compile(r"<|\]\(|\]:|\]\[|\{|&")
"""Without any of these a text has no link, image, raw HTML, attribute list or entity."""


@lru_cache(maxsize=8192)
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
        self.cursor = 0
        self._starts: list[int] | None = None

    @cached_property
    def lowered(self) -> str:
        """The body in lower case, made on the first search (most texts have nothing to locate)."""
        return self.text.body.lower()

    def line(self, *needles: str) -> int:
        """The line of the first needle found after the previous find (or anywhere), else the first line."""
        for start in (self.cursor, 0):
            for needle in needles:
                if not needle:
                    continue
                at = self.lowered.find(needle.lower(), start)
                if at >= 0:
                    self.cursor = at + 1
                    return self.text.line + self._line_index(at)
        return self.text.line

    def _line_index(self, offset: int) -> int:
        """The 0-based line of ``offset`` in the body (line starts found once, then bisected)."""
        if self._starts is None:
            self._starts = [m.end() for m in re.finditer("\n", self.text.body)]
        return bisect.bisect_right(self._starts, offset)


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
        yield i, re.sub(r"`+[^`]*`+", "", line) if "`" in line else line
