"""The searchable text of a rendered page: its article, without permalinks, scripts or chrome.

Navigation, header, footer and the table of contents are outside ``article.md-content__inner``
and are never read. Block elements (paragraphs, headings, table cells, list items) are separated
by a space, so a term (which never contains a space) cannot match across two blocks; inline
elements (links, bold, badges) join their neighbours, as a reader sees them.

Two ways to the same text. The reference (``reference_text``) parses the whole page with lxml and
walks the article; it took 5 % of the bulk site's build (a 37 KB page parsed again for a 21 KB
article, an lxml proxy object per element). ``article_text`` first tries ``_fast_text``: regular
expressions over the article's markup only, which give the same text whenever the markup is one
lxml reads exactly as written — tags well nested and closed, no comment or entity lxml and
``html.unescape`` could read differently, skipped elements that end where they seem to. Anything
else (a page whose raw HTML an editor left unclosed) goes to the reference.
``tests/test_search.py`` compares the two on generated markup, well-formed and not.
"""

from __future__ import annotations

import html
import re
from html.entities import name2codepoint

import lxml.html
from lxml.etree import _Element

INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var wbr".split()
)
"""Elements that do not break a word; everything else (p, td, li, h1, br, …) separates blocks. ``wbr``
(a line may break here: the 索引号 ``机构代码/<wbr>年份-流水号``) reads as one word, as on screen."""

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


def reference_text(html_page: str) -> str:
    """The raw (not yet normalised) searchable text of a Material page, by lxml; empty when it has no article."""
    root = lxml.html.fromstring(html_page)
    found = root.xpath('//article[contains(concat(" ", normalize-space(@class), " "), " md-content__inner ")]')
    if not found:
        return ""
    out: list[str] = []
    _walk(found[0], out)
    return "".join(out)


ARTICLE_START = '<article class="md-content__inner md-typeset">'
"""The theme's article element, as its template writes it."""
_ARTICLE_END = "</article>"

_ATTRS = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
"""A tag's attributes (quoted values may hold ``>``); possessive: scanned once, never backtracked."""
_NAME = r"[A-Za-z][A-Za-z0-9:_.-]*+"
_TAG_RE = re.compile(rf"""<(/?)({_NAME})(?:[^>"'/]++|/(?!>)|"[^"]*+"|'[^']*+')*+(/?)>""")
"""A tag: ``/`` if it ends one, its name, ``/`` if it is written ``<x/>``."""
_SKIPPED_RE = re.compile(
    r"<!--.*?-->"
    rf"|<(script|style|template|svg|noscript)\b{_ATTRS}>(?:(?!<\1[\s/>]).)*?</\1>"  # none inside: nested, they are left
    r'''|<a(?:[^>"'\s]++|\s++(?!class=)|"[^"]*+"|'[^']*+')*+\s++class="(?:[^"]*\s)?(?:headerlink|md-content__button)(?:\s[^"]*)?"'''
    rf"{_ATTRS}>[^<]*+</a>",
    re.S,
)
_LEFT = ("headerlink", "md-content__button")
"""Left after ``_SKIPPED_RE`` only when a skipped element did not end where it seemed to (skipped
tags left over are found among the tags, a comment left over by its ``<``)."""
_DOUBTFUL_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));|&")
_VOID = frozenset("area base basefont br col embed frame hr img input isindex link meta param wbr".split())
"""Elements lxml (libxml2's HTML 4 parser) closes by itself, and ``wbr``: unknown to it, it holds what
follows up to its parent's end, which changes no text (it is inline and closes nothing)."""
_INLINE_TAG_RE = re.compile(rf"</?(?:{'|'.join(sorted(INLINE_TAGS))})(?![A-Za-z0-9:_.-]){_ATTRS}>")


def _plain_char(code: int) -> bool:
    return code in (9, 10, 13) or 0x20 <= code < 0x7F or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def _plain_entities(text: str) -> bool:
    """Every ``&`` starts an HTML 4 entity or a character reference to a character both readers keep."""
    for m in _ENTITY_RE.finditer(text):
        decimal, hexadecimal, name = m.groups()
        if name is not None:
            if name not in name2codepoint:
                return False
        elif decimal is not None or hexadecimal is not None:
            if not _plain_char(int(decimal, 10) if decimal is not None else int(hexadecimal, 16)):
                return False
        else:
            return False  # a bare "&"
    return True


_FAST_TAGS = frozenset(
    """
    a abbr article b blockquote br caption cite code col colgroup dd del details dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp section small
    span strong sub summary sup table tbody td tfoot th thead tr u ul var wbr
    """.split()
)
"""Tags the fast path reads (what the article holds: Markdown's, the allowed raw HTML's, the theme's)."""
_PHRASING = INLINE_TAGS | {"br", "img"}
"""Tags libxml2 lets stay inside a paragraph (any other start tag may close it)."""
_TEXT_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 pre dt caption".split())
_CLOSE_THEIR_LIKE = frozenset("p li dt dd tr td th a thead tbody tfoot caption colgroup h1 h2 h3 h4 h5 h6".split())
"""Tags whose start closes an open element of the same name (and headings each other)."""
_CHILDREN = {
    "ul": frozenset({"li"}),
    "ol": frozenset({"li"}),
    "dl": frozenset({"dt", "dd", "div"}),  # <div> groups a <dt> and its <dd> (the metadata table)
    "table": frozenset({"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
    "colgroup": frozenset({"col"}),
}
_PARENTS = {child: frozenset(p for p, kids in _CHILDREN.items() if child in kids) for kids in _CHILDREN.values() for child in kids}
_PARENTS.update(dt=frozenset({"dl", "div"}), dd=frozenset({"dl", "div"}))
del _PARENTS["div"]
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())


def _plain_start(name: str, parent: str) -> bool:
    """``<name>`` inside ``parent`` closes nothing in libxml2's HTML parser (conservatively: a
    paragraph, heading or inline element holds only phrasing, a list or table only its own parts)."""
    if name not in _FAST_TAGS:
        return False
    if name == parent and name in _CLOSE_THEIR_LIKE or (name in _HEADINGS and parent in _HEADINGS):
        return False
    if (parent in _TEXT_BLOCKS or parent in INLINE_TAGS) and name not in _PHRASING:
        return False
    if parent in _CHILDREN and name not in _CHILDREN[parent]:
        return False
    return name not in _PARENTS or parent in _PARENTS[name]


def _well_nested(markup: str) -> bool:
    """Every ``<`` starts a tag (Markdown writes ``&lt;`` in text, comments are gone); the tags open
    and close in order, the article's own end tag last, and no start tag closes an open element
    (``_plain_start``); no element but a void one is written ``<x/>`` (lxml would close it elsewhere)."""
    tags = _TAG_RE.findall(markup)
    if len(tags) != markup.count("<"):
        return False
    stack: list[str] = [""]
    last = len(tags) - 1
    for i, (close, name, selfclose) in enumerate(tags):
        name = name.lower()
        if close:
            if selfclose or stack.pop() != name or (len(stack) == 1 and i != last):
                return False
        elif not _plain_start(name, stack[-1]):
            return False
        elif name not in _VOID:
            if selfclose:
                return False
            stack.append(name)
    return stack == [""]


def _fast_text(page: str) -> str | None:
    """The article's raw text by regular expressions, or ``None`` where they might not read the
    markup as lxml does (see the module docstring)."""
    start = page.find(ARTICLE_START)
    end = page.rfind(_ARTICLE_END)
    if start < 0 or end < start:
        return None
    markup = _SKIPPED_RE.sub("", page[start : end + len(_ARTICLE_END)])
    if any(x in markup for x in _LEFT) or _DOUBTFUL_CHAR_RE.search(markup) or not _well_nested(markup):
        return None
    text = _TAG_RE.sub(" ", _INLINE_TAG_RE.sub("", markup))
    if "&" in text:
        if not _plain_entities(text):
            return None
        text = html.unescape(text)
    return text


def article_text(html_page: str) -> str:
    """The raw (not yet normalised) searchable text of a Material page; empty when it has no article."""
    fast = _fast_text(html_page)
    return fast if fast is not None else reference_text(html_page)
