"""The book's bodies taken from the site's pages: each body is converted from Markdown once a build.

MkDocs converts every regulation page; the print page and the PDF need the same bodies as the
book's HTML (``Renderer.body``). Converting them a second time was a fifth of the site build, so
the plugin cuts each body's HTML out of its page and this module derives the book's from it, by
HTML post-processing, exactly (byte for byte) what ``Renderer.body`` gives:

- the page's Markdown has a comment alone before the body (``body_mark``: a random token of the
  build, so that no body can write it; the checker refuses ``regbook:`` comments anyway); the body
  is everything after it (``cut``), and the comment is removed from the page;
- the site's permalinks (``headerlink``) go; every article anchor with its bold label
  (``pages.anchor_articles``) becomes the book's ``<span class="art-no" id="doc-<id>-art-N">``;
- the body's 题注 is dropped when 修订历史 gives the official one (``drop_body_caption``), the
  主送机关 and 落款 get the book's classes (``layout_body``);
- ids and links go through ``Renderer.finish`` as the book's own conversion does, links that the
  site made site URLs (``rules.links.site_href`` and MkDocs) resolved back to book anchors.

Where the derivation could differ from the conversion (an emoji shortcode the site converts and the
book does not, raw HTML, images, footnotes, a heading sharing the page title's id, a link the site
resolves differently from the book, a 题注 or 落款 not laid out as usual …) it gives ``None`` and
the book converts that body itself: correctness first, speed for the common case. Every step
that edits the HTML first checks that the HTML is the one it expects.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from dataclasses import dataclass
from typing import Iterator, Mapping
from urllib.parse import unquote, urlsplit

from regbook.book.html import (
    ARTICLE_LINE_RE,
    TITLE_LINE_RE,
    ADDRESSEE_CLASS,
    SIGN_CLASSES,
    Renderer,
    article_label,
    drop_body_caption,
    layout_body,
    layout_lines,
)
from regbook.book.selection import article_anchor, doc_anchor
from regbook.corpus import Corpus, Text
from regbook.markup import CJK_BREAK_RE
from regbook.model import Regulation
from regbook.pages import strip_title
from regbook.rules.classification import caption as body_caption
from regbook.rules.links import site_href

MARK_PREFIX = "<!-- regbook:body:"


def body_mark(token: str | None = None) -> str:
    """The comment put before a page's body: ``<!-- regbook:body:<token> -->`` (random by default)."""
    return f"{MARK_PREFIX}{token or secrets.token_hex(16)} -->"


@dataclass(frozen=True)
class SiteBody:
    """A regulation's body as its site page rendered it."""

    html: str
    """The body's HTML: everything after the mark, stripped."""
    title_id: str
    """The id of the page's ``<h1>``: the one id before the body that a body heading can clash with."""
    source: str
    """The page's Markdown it was rendered from: a capture is used only for that very Markdown."""


_H1_ID_RE = re.compile(r'<h1 id="([^"]*)"')


def cut(html: str, mark: str, source: str) -> tuple[str, SiteBody | None]:
    """The page's HTML as it is without the mark, and its body (``None`` when the mark is not
    there once). Python-Markdown writes the comment, a raw HTML block, as ``<!-- … -->\\n`` and a
    line break after it (nothing at the end of the page, which it strips)."""
    before, found, after = html.partition(mark)
    if not found:
        return html, None
    if mark in after or not before.endswith("\n") or (after and not after.startswith("\n\n")):
        return html.replace(f"{mark}\n\n", ""), None
    page = before + after[2:] if after else before.rstrip("\n")
    title = _H1_ID_RE.search(before)
    return page, SiteBody(after.strip(), title[1] if title else "", source)


# --- what the derivation does not take on --------------------------------------------------

_UNUSUAL_RE = re.compile(
    r":[+\-\w]+:"  # an emoji shortcode (pymdownx.emoji's pattern): the site converts it, the book does not
    r"|<|&\#"  # raw HTML, character references: the HTML's text is then not the text Markdown joins
    r"|!\["  # images (MkDocs rewrites their addresses)
    r"|\[\^|\[TOC\]"  # footnotes (moved to the end), a table of contents (of the whole page)
    r"|headerlink|regbook-article|regbook:|art-no",  # what the derivation itself looks for
    re.M | re.I,
)
_HEADERLINK_RE = re.compile(r'<a class="headerlink" href="[^"]*" title="[^"]*">[^<]*</a>(</h[1-6]>)(\n?)')
_SITE_ARTICLE_RE = re.compile(
    r'<a id="([^"]*)" class="regbook-article"></a><strong>([^<]*)</strong>[ \u3000]+'
)
_ARTICLE_IN_HEADING_RE = re.compile(r"<h[1-6]\b(?:(?!</h[1-6]>).)*regbook-article", re.S)
_SITE_ID_RE = re.compile(r'\bid="([^"]*)"')
_PLAIN_RE = re.compile(r"[^\x00-\x20\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f](?:[^\x00-\x1f\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*[^\x00-\x20\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f])?")
"""A line Markdown shows as it is: no ASCII punctuation, no space at either end."""
_LINK_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]*)|\]:\s*<?([^\s>]*)")
_UNSAFE_HREF_RE = re.compile(r"[&\"'<>\\()]")
_DIR_URL_RE = re.compile(r"\.\./([^/#?]+)/(?:#(.*))?")
_FILE_URL_RE = re.compile(r"([^/#?]+)\.html(?:#(.*))?")


def _plain(line: str) -> bool:
    return _PLAIN_RE.fullmatch(line) is not None


def _gap(before: str, after: str) -> str:
    """What separates two blocks in the HTML: a line break, dropped between CJK characters
    (``regbook.markup``'s joining of hard-wrapped Chinese lines)."""
    return "" if CJK_BREAK_RE.search(f"{before[-1:]}\n{after[:1]}") else "\n"


def _paragraph_text(lines: list[str]) -> str:
    """A paragraph of plain lines as the site writes it: Chinese lines joined without a break."""
    return CJK_BREAK_RE.sub("", "\n".join(lines))


# --- the derivation ---------------------------------------------------------------------------


class Deriver:
    """Derives the book's bodies of one corpus from their site pages."""

    def __init__(self, corpus: Corpus, renderer: Renderer, directory_urls: bool = True):
        self.corpus = corpus
        self.renderer = renderer
        self.page_url = _DIR_URL_RE if directory_urls else _FILE_URL_RE

    def body(self, reg: Regulation, site: SiteBody) -> str | None:
        """``Renderer.body(reg)`` made from the site's body, or ``None`` where it might differ."""
        if _UNUSUAL_RE.search(reg.body) or not self._links_agree(reg):
            return None
        html = _converted(reg, site)
        return None if html is None else self.renderer.finish(reg, html, self._resolve)

    def _links_agree(self, reg: Regulation) -> bool:
        """Whether every link of the body leads, from the URL the site made of it, where the book
        takes it (``Renderer.resolve`` reads the link as written, relative to the file)."""
        if "](" not in reg.body and "]:" not in reg.body:
            return True
        text = Text(reg.path, reg.src_uri, reg.body, 1)
        for m in _LINK_TARGET_RE.finditer(reg.body):
            href = m[1] if m[1] is not None else m[2]
            if _UNSAFE_HREF_RE.search(href):
                return False
            parts = urlsplit(href)
            if not href or parts.scheme or parts.netloc or not parts.path:
                continue  # the same URL on the site and in the book
            if self.renderer.resolve(reg, {}, href) != self._site_target(reg, site_href(self.corpus, text, href)):
                return False
        return True

    def _site_target(self, reg: Regulation, href: str) -> str | None:
        """What ``_resolve`` makes of the URL MkDocs writes for a site-form link: a regulation's
        page (``x.md`` from ``regulations/``) as its book anchor, else ``None``."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or parts.query or not parts.path.endswith(".md"):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(reg.src_uri), unquote(parts.path)))
        other = self.corpus.regulation(posixpath.basename(target).removesuffix(".md"))
        if other is None or other.src_uri != target or other.path not in self.renderer.by_path:
            return None
        return _anchor(other, unquote(parts.fragment))

    def _resolve(self, reg: Regulation, renamed: dict[str, str], href: str) -> str | None:
        """``Renderer.resolve`` for the site's URLs: ``#fragment`` alike, a regulation's page as
        its book anchor, anything else ``None``."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        if not parts.path:
            return self.renderer.resolve(reg, renamed, href)
        m = self.page_url.fullmatch(href)
        other = self.corpus.regulation(unquote(m[1])) if m else None
        if m is None or other is None or other.path not in self.renderer.by_path:
            return None
        return _anchor(other, unquote(m[2] or ""))


class Bodies(Mapping[str, str]):
    """The book's bodies (by id) for ``Renderer(bodies=…)``: derived when asked for, not kept (the
    print page asks once, the PDF once: deriving again costs less than holding them all), for the
    documents whose page was rendered from the Markdown it has now (``sources``)."""

    def __init__(self, deriver: Deriver, site: Mapping[str, SiteBody], sources: Mapping[str, str]):
        self.deriver = deriver
        self.site = site
        self.sources = sources

    def __getitem__(self, key: str) -> str:
        site, reg = self.site.get(key), self.deriver.corpus.regulation(key)
        body = None
        if site is not None and reg is not None and site.source == self.sources.get(key):
            body = self.deriver.body(reg, site)
        if body is None:
            raise KeyError(key)
        return body

    def __iter__(self) -> Iterator[str]:
        return (key for key in list(self.site) if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _converted(reg: Regulation, site: SiteBody) -> str | None:
    """The HTML the book's Markdown of the body converts to (before ``Renderer.finish``), made
    from the site's: permalinks out, article anchors as the book's, 题注 dropped, layout classes."""
    before_layout = TITLE_LINE_RE.sub("", _dropped(reg).lstrip("\n"), count=1)
    kept = _site_text_kept(reg)
    if kept is None or kept.strip("\n") != before_layout.strip("\n"):
        return None  # the site and the book read the title or the 题注 differently
    html = _HEADERLINK_RE.sub(_without_permalink, site.html)
    base = re.sub(r"(?:_\d+)+$", "", site.title_id)
    if any(i == base or i.startswith(f"{base}_") for i in _SITE_ID_RE.findall(html)):
        return None  # a heading whose id the page's title made different on the site
    result = _articles(reg, html, layout_body(before_layout))
    if result is not None and _dropped(reg) != reg.body:
        result = _drop_caption(reg, result)
    lines = before_layout.split("\n")
    addressee, sign = layout_lines(lines)
    if result is not None and addressee is not None:
        result = _addressee(lines[addressee], result)
    if result is not None and sign:
        result = _signature(lines, sign, result)
    return result


def _without_permalink(m: re.Match[str]) -> str:
    """A heading's end without its permalink. The permalink's 「¶」 kept the line break after the
    heading; without it the break goes when the heading ends and what follows begins with CJK
    characters (``regbook.markup``), as in the book."""
    html = m.string
    joined = m[2] and _cjk(_last_char(html, m.start())) and _cjk(_first_char(html, m.end()))
    return m[1] + ("" if joined else m[2])


def _last_char(html: str, end: int) -> str:
    """The last character of the text before ``end`` (tags skipped; the body has no raw HTML, so
    the HTML's text is the text Markdown's tree holds)."""
    i = end - 1
    while i >= 0 and html[i] == ">":
        i = html.rfind("<", 0, i) - 1
    return html[i] if i >= 0 else ""


def _first_char(html: str, start: int) -> str:
    """The first character of the next element's text from ``start`` (``""`` at a closing tag:
    there is no next element; an article label's span counts as a raw HTML placeholder)."""
    i = start
    while html.startswith("<", i):
        if html.startswith("</", i):
            return ""
        if html.startswith('<span class="art-no"', i):
            return "\x02"
        i = html.find(">", i) + 1
        if i == 0:
            return ""
    return html[i] if i < len(html) else ""


def _site_text_kept(reg: Regulation) -> str | None:
    """The body's text on the site (before links and anchors: ``pages.regulation_body``) without
    the 题注 the book drops; ``None`` where dropping it could change how the rest reads."""
    text = strip_title(reg.body)
    if text.strip("\n") != text.strip():
        return None  # the site strips spaces the book keeps
    if _dropped(reg) == reg.body:
        return text
    lines, site_lines = reg.body.split("\n"), text.split("\n")
    start, end = _caption_lines(reg)
    offset = len(lines) - len(site_lines)
    if start < offset or (start > offset and lines[start - 1].strip()):
        return None
    following = next((line for line in lines[end:] if line.strip()), "")
    if following and not (following[0] == "#" or _plain(following[0])):
        return None  # a list item or indented text might join what came before the 题注
    if not all(_plain(line) for line in lines[start:end]):
        return None
    return "\n".join(site_lines[: start - offset] + site_lines[end - offset :])


def _caption_lines(reg: Regulation) -> tuple[int, int]:
    """The body lines ``drop_body_caption`` leaves out (first, end)."""
    found = body_caption(reg)
    assert found is not None  # drop_body_caption changed the body
    lines = reg.body.split("\n")
    start = end = found[0] - reg.body_line
    while end < len(lines) and lines[end].strip():
        end += 1
    return start, end


def _articles(reg: Regulation, html: str, text: str) -> str | None:
    """The site's article anchors and bold labels as the book's spans: the same articles in the
    same order as the book's Markdown (``text``) has them, none in a heading."""
    if _ARTICLE_IN_HEADING_RE.search(html):
        return None
    found: list[str] = []
    seen: set[str] = set()

    def span(m: re.Match[str]) -> str:
        found.append(m[1])
        return article_label(reg, m[2], seen) if m[1] == m[2] else m[0]

    html = _SITE_ARTICLE_RE.sub(span, html)
    if "regbook-article" in html or found != [m[1] for m in ARTICLE_LINE_RE.finditer(text)]:
        return None
    return html


def _drop_caption(reg: Regulation, html: str) -> str | None:
    """The site's 题注 paragraph left out, as ``drop_body_caption`` leaves it out of the book."""
    start, end = _caption_lines(reg)
    inner = _paragraph_text(reg.body.split("\n")[start:end])
    paragraph = f"<p>{inner}</p>"
    at = html.find(paragraph)
    if at < 0 or html.find(paragraph, at + 1) >= 0 or not (_cjk(inner[0]) and _cjk(inner[-1])):
        return None
    head, tail = html[:at], html[at + len(paragraph) :]
    if head.rstrip().endswith("</pre>"):
        return None  # the blank lines left behind would lengthen a code block
    before, after = head[len(head.rstrip("\n")) :], tail[: len(tail) - len(tail.lstrip("\n"))]
    if before not in ("", "\n") or after not in ("", "\n"):
        return None
    # Both breaks around the 题注 were dropped only between CJK characters, and it begins and ends
    # with one: the break between what came before and what follows is dropped when both were.
    gap = "\n" if before == "\n" else after
    return (head.rstrip("\n") + gap + tail.lstrip("\n")).strip()


def _addressee(line: str, html: str) -> str | None:
    """The 主送机关's paragraph with the book's class (``layout_body``)."""
    paragraph = f"<p>{line}</p>"
    at = html.find(paragraph)
    if not _plain(line) or at < 0 or html.find(paragraph, at + 1) >= 0:
        return None
    return f'{html[:at]}<p class="{ADDRESSEE_CLASS}">{line}</p>{html[at + len(paragraph):]}'


def _signature(lines: list[str], sign: list[int], html: str) -> str | None:
    """The 落款's lines, the body's last blocks on the site, as the book's paragraphs, one a line
    with its classes (``layout_body``)."""
    first = sign[0]
    rest = [i for i in range(first, len(lines)) if lines[i].strip()]
    if rest != sign or (first > 0 and lines[first - 1].strip()) or not all(_plain(lines[i]) for i in sign):
        return None
    blocks: list[list[str]] = []
    for n, i in enumerate(sign):
        if n and sign[n - 1] == i - 1:
            blocks[-1].append(lines[i])
        else:
            blocks.append([lines[i]])
    site = _paragraphs([(_paragraph_text(b), "") for b in blocks])
    if not html.endswith(site) or html[: -len(site)].rstrip().endswith("</pre>"):
        return None
    book = _paragraphs([(lines[i], SIGN_CLASSES[0 if n == 0 else 1]) for n, i in enumerate(sign)])
    return html[: -len(site)] + book


def _paragraphs(texts: list[tuple[str, str]]) -> str:
    """Paragraphs (text, class) one after another as Python-Markdown writes them here."""
    out = ""
    for n, (text, cls) in enumerate(texts):
        if n:
            out += _gap(texts[n - 1][0], text)
        out += f'<p class="{cls}">{text}</p>' if cls else f"<p>{text}</p>"
    return out


def _anchor(other: Regulation, fragment: str) -> str:
    """A link into another document, as ``Renderer.resolve`` writes it."""
    if fragment and (anchor := article_anchor(other.id, fragment)):
        return f"#{anchor}"
    return f"#{doc_anchor(other.id)}"


def _dropped(reg: Regulation) -> str:
    """The body as the book reads it before its title: without the 题注 when 修订历史 has one."""
    return reg.body if not reg.history else drop_body_caption(reg)


def _cjk(char: str) -> bool:
    return CJK_BREAK_RE.search(f"{char}\n{char}") is not None
