"""The book as HTML: one self-contained document per volume, with the print CSS inlined.

Bodies are rendered with Python-Markdown and the site's extensions (tables, attr_list,
admonition, toc with ``pymdownx.slugs.slugify(case=lower)`` …). Every id in the book is ASCII
and generated here (``doc-<id>``, ``doc-<id>-art-48``, ``doc-<id>-3``): Chinese anchors get
percent-encoded on the way to a PDF and then match nothing. Links between documents are
resolved to those ids when the target is in the same volume; any other link becomes plain text,
so every link left in the PDF works.

Metadata (titles, 发文字号, history, 依据 …) is written with ``regbook.escape.html_text``: text, never
markup.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown

from regbook.book.selection import Book, Entry, Group, Volume, article_anchor, doc_anchor
from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.escape import html_text as escape
from regbook.markup import ARTICLE_RE, EXTENSIONS, SLUGIFY
from regbook.model import Regulation

CSS_PATH = Path(__file__).with_name("book.css")

EXTENSION_CONFIGS = {"toc": {"slugify": SLUGIFY, "permalink": False}}

_ARTICLE_RE = re.compile(ARTICLE_RE.pattern + r"[ \u3000]+", re.M)
_ID_RE = re.compile(r'\bid="([^"]*)"')
_HREF_RE = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
_H1_RE = re.compile(r"\A\s*#\s+[^\n]*\n")


def new_markdown() -> markdown.Markdown:
    """A Markdown converter with the site's extensions (emoji left out: it would fetch images)."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


class Renderer:
    """Renders the documents of one book; holds the Markdown converter and the corpus's path index."""

    def __init__(self, corpus: Corpus, book: Book):
        self.corpus = corpus
        self.book = book
        self.md = new_markdown()

    @cached_property
    def by_path(self) -> dict[str, Regulation]:
        return {r.path: r for r in self.corpus.regulations}

    # --- one document -----------------------------------------------------------------------

    def body(self, reg: Regulation) -> str:
        """A document's body as HTML, ids made ASCII and unique, links resolved to book anchors."""
        prefix = doc_anchor(reg.id)
        text = _H1_RE.sub("", reg.body.lstrip("\n"), count=1)
        seen: set[str] = set()

        def article(m: re.Match[str]) -> str:
            anchor = article_anchor(reg.id, m[1])
            if anchor is None or anchor in seen:
                return f'<span class="art-no">{m[1]}</span>\u3000'
            seen.add(anchor)
            return f'<span class="art-no" id="{anchor}">{m[1]}</span>\u3000'

        self.md.reset()
        html = self.md.convert(_ARTICLE_RE.sub(article, text))
        renamed: dict[str, str] = {}

        def rename(m: re.Match[str]) -> str:
            old = m[1]
            if old.startswith(prefix):
                return m[0]
            new = renamed.setdefault(old, f"{prefix}-{len(renamed) + 1}")
            return f'id="{new}"'

        html = _ID_RE.sub(rename, html)
        return _HREF_RE.sub(lambda m: self._link(reg, renamed, m), html)

    def _link(self, reg: Regulation, renamed: dict[str, str], m: re.Match[str]) -> str:
        before, href, after, text = m[1], m[2], m[3], m[4]
        target = self.resolve(reg, renamed, href)
        if target is None:
            return f'<span class="xref">{text}</span>'
        return f'<a{before}href="{target}"{after}>{text}</a>'

    def resolve(self, reg: Regulation, renamed: dict[str, str], href: str) -> str | None:
        """A body link as a book anchor (``#doc-…``), or ``None`` when it leads outside the book."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        fragment = unquote(parts.fragment)
        if not parts.path:
            return f"#{renamed[fragment]}" if fragment in renamed else None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(reg.path), unquote(parts.path)))
        other = self.by_path.get(path)
        if other is None:
            return None
        if fragment and (anchor := article_anchor(other.id, fragment)):
            return f"#{anchor}"
        return f"#{doc_anchor(other.id)}"

    def document(self, entry: Entry) -> str:
        reg = entry.regulation
        head = [f'<h2 class="doc-title">{escape(entry.title)}</h2>']
        if reg.number:
            head.append(f'<p class="doc-number">{escape(reg.number)}</p>')
        if dates := dates_line(reg):
            head.append(f'<p class="doc-dates">{escape(dates)}</p>')
        if reg.history:
            events = "　".join(f"{cn_date(e.date)}{e.by}{e.event}" for e in reg.history)
            head.append(f'<p class="doc-history">（{escape(events)}）</p>')
        if entry.pending:
            head.append(f'<p class="doc-pending">{escape(entry.pending_note)}</p>')
        return (
            f'<article class="doc" id="{entry.anchor}">\n<header class="doc-head">{"".join(head)}</header>\n'
            f'<div class="doc-body">\n{self.body(reg)}\n</div>\n</article>\n'
        )

    # --- a volume ---------------------------------------------------------------------------

    def cover(self, volume: Volume) -> str:
        title = escape(self.book.title)
        label = f'<p class="cover-volume">{escape(volume.label)}</p>' if volume.label else ""
        return (
            '<section class="cover">'
            f'<p class="cover-title">{title}</p>{label}'
            f'<p class="cover-edition">（{escape(self.book.edition_text)}）</p>'
            f'<p class="cover-issuer">{escape(self.book.issuer)}</p>'
            f'<p class="cover-notice">{cn_date(self.book.edition)}编印　本汇编依据网站公布的元数据自动生成，正式文本以发文机关公布的文本为准</p>'
            "</section>\n"
        )

    def toc(self, volume: Volume) -> str:
        items: list[str] = []
        for group in volume.groups:
            items.append(f'<li class="toc-group"><a href="#{group.anchor}">{escape(group.title)}</a></li>')
            for entry in group.entries:
                mark = f'<span class="toc-mark">（{escape(entry.pending_note)}）</span>' if entry.pending else ""
                items.append(f'<li class="toc-doc"><a href="#{entry.anchor}">{escape(entry.title)}{mark}</a></li>')
        if volume.appendix:
            items.append(f'<li class="toc-group"><a href="#appendix">{escape(APPENDIX_TITLE)}</a></li>')
        return '<nav class="toc"><h1 class="toc-title">目录</h1><ol>\n' + "\n".join(items) + "\n</ol></nav>\n"

    def group(self, group: Group) -> str:
        docs = "".join(self.document(e) for e in group.entries)
        return f'<section class="group" id="{group.anchor}">\n<h1 class="group-title">{escape(group.title)}</h1>\n{docs}</section>\n'

    def appendix(self, volume: Volume) -> str:
        if not volume.appendix:
            return ""
        rows = []
        for i, row in enumerate(volume.appendix, 1):
            reg = row.regulation
            rows.append(
                f'<tr><td class="n">{i}</td><td>{escape(row.title)}</td><td>{escape(reg.number or "")}</td>'
                f"<td>{escape(row.status_text)}</td><td>{escape(cn_date(row.date))}</td><td>{escape(row.basis)}</td></tr>"
            )
        return (
            '<section class="appendix" id="appendix">'
            f'<h1 class="appendix-title">{escape(APPENDIX_TITLE)}</h1>'
            '<p class="appendix-intro">下列文件已废止、已失效或已被修改，不再作为依据，本汇编不收录其文本，仅列目录备查。</p>'
            '<table><colgroup><col class="n"><col class="t"><col class="no"><col class="s"><col class="d"><col class="b"></colgroup>'
            "<thead><tr><th>序号</th><th>标题</th><th>发文字号</th><th>时效性</th><th>日期</th><th>依据</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>\n"
        )

    def sections(self, volume: Volume) -> str:
        """Cover, TOC, groups and appendix of a volume (the ``<body>`` content)."""
        return (
            self.cover(volume)
            + self.toc(volume)
            + "".join(self.group(g) for g in volume.groups)
            + self.appendix(volume)
        )

    def volume_html(self, volume: Volume, css: str | None = None) -> str:
        """One volume as a self-contained HTML document, ready for WeasyPrint."""
        css = CSS_PATH.read_text(encoding="utf-8") if css is None else css
        stamp = dt.datetime.combine(self.book.edition, dt.time(), dt.timezone(dt.timedelta(hours=8))).isoformat()
        title = self.book.title + (f"（{volume.label}）" if volume.label else "")
        html = (
            '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            f'<meta name="author" content="{escape(self.book.issuer)}">'
            f'<meta name="description" content="{escape(self.book.edition_text)}">'
            f'<meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">'
            f"<style>\n{css}\n</style></head>\n<body>\n{self.sections(volume)}</body></html>\n"
        )
        return drop_dead_links(html)


APPENDIX_TITLE = "附录　已废止、已失效和已修改的文件目录"


def dates_line(reg: Regulation) -> str:
    """「2021年12月20日成文　2021年12月28日公布　自2022年3月1日起施行　有效期至…」."""
    parts = []
    if reg.written:
        parts.append(f"{cn_date(reg.written)}成文")
    parts.append(f"{cn_date(reg.published)}公布")
    if reg.effective:
        parts.append(f"自{cn_date(reg.effective)}起施行")
    if reg.valid_until:
        parts.append(f"有效期至{cn_date(reg.valid_until)}")
    return "　".join(parts)


def drop_dead_links(html: str) -> str:
    """Turn ``#anchor`` links whose target is not in the document into plain text; an article link
    whose article is missing falls back to its document."""
    ids = set(_ID_RE.findall(html))

    def fix(m: re.Match[str]) -> str:
        href = m[2]
        if not href.startswith("#") or href[1:] in ids:
            return m[0]
        fallback = re.sub(r"-art-[0-9-]+$", "", href[1:])
        if fallback in ids:
            return f'<a{m[1]}href="#{fallback}"{m[3]}>{m[4]}</a>'
        return f'<span class="xref">{m[4]}</span>'

    return _HREF_RE.sub(fix, html)
