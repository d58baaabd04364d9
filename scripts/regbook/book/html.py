"""The book as HTML: one self-contained document per volume, with the print CSS inlined.

Bodies are rendered with Python-Markdown and the site's extensions (tables, attr_list,
admonition, toc with ``pymdownx.slugs.slugify(case=lower)`` …). Every id in the book is ASCII
and generated here (``doc-<id>``, ``doc-<id>-art-48``, ``doc-<id>-3``): Chinese anchors get
percent-encoded on the way to a PDF and then match nothing. Links between documents are
resolved to those ids when the target is in the same volume; any other link becomes plain text,
so every link left in the PDF works.

Metadata (titles, 发文字号, history, 依据 …) is written with ``regbook.escape.html_text``: text, never
markup; titles through ``regbook.wordbreak`` (lines break between words, never inside one).

Official text forms (the reader of a government 汇编 expects them):

- the 题注 under a title is made from 修订历史 in the official form: 「（1996年10月29日第八届…会议通过
  根据2009年8月27日…《关于修改部分法律的决定》修正）」 — 通过/公布/修正/修订 with organ and date,
  「根据」 before an amendment by a 决定, joined by a full-width space, no 施行 entries; the body's own
  题注 (checked against 修订历史 by ``rules.classification``) is then left out, so it is printed once;
- in a 通知-like body, the 主送机关 (the first paragraph, a list of organs ending in 「：」) is flush
  left, and the 落款 (the last short lines: the issuing organ, then a date like 「2022年8月15日」)
  is on the right (GB/T 9704 §7.3; ``layout_body``); ``{: .regbook-right }`` written by an editor
  is kept as written;
- the book opens with a 编辑说明 page (scope, 截至 date, order, which text governs);
- a sample book (``Book.sample``) says 示例 on its cover and in every page header.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import unquote, urlsplit

import markdown

from regbook.book.selection import Book, Entry, Group, Volume, article_anchor, doc_anchor
from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.escape import html_text as escape
from regbook.importer.history import EFFECTIVE, split_event
from regbook.markup import ARTICLE_RE, EXTENSIONS, SLUGIFY
from regbook.model import HistoryEvent, Regulation
from regbook.rules.classification import caption as body_caption
from regbook.wordbreak import title_html

CSS_PATH = Path(__file__).with_name("book.css")

EXTENSION_CONFIGS = {"toc": {"slugify": SLUGIFY, "permalink": False}}

ARTICLE_LINE_RE = re.compile(ARTICLE_RE.pattern + r"[ \u3000]+", re.M)
"""「第X条」 at a line start with the spaces after it (the book prints one 「　」; ``from_site`` reads it too)."""
_ID_RE = re.compile(r'\bid="([^"]*)"')
_HREF_RE = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
TITLE_LINE_RE = re.compile(r"\A\s*#\s+[^\n]*\n")
"""A body's own ``# 标题`` line, which the book leaves out (it prints the title itself)."""


Resolver = Callable[[Regulation, dict[str, str], str], "str | None"]
"""How a body's link (document, renamed ids, ``href``) becomes a book anchor, or ``None``."""


def new_markdown() -> markdown.Markdown:
    """A Markdown converter with the site's extensions (emoji left out: it would fetch images)."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


class Renderer:
    """Renders the documents of one book; holds the Markdown converter and the corpus's path index."""

    def __init__(self, corpus: Corpus, book: Book, bodies: Mapping[str, str] | None = None):
        self.corpus = corpus
        self.book = book
        self.md = new_markdown()
        self.bodies: Mapping[str, str] = {} if bodies is None else bodies
        """Bodies already made (by id), as ``body`` would make them: taken as they are."""

    @cached_property
    def by_path(self) -> dict[str, Regulation]:
        return {r.path: r for r in self.corpus.regulations}

    # --- one document -----------------------------------------------------------------------

    def body(self, reg: Regulation) -> str:
        """A document's body as HTML, ids made ASCII and unique, links resolved to book anchors:
        the one given in ``bodies`` (derived from its site page, ``regbook.book.from_site``), else
        converted here."""
        found = self.bodies.get(reg.id)
        if found is not None:
            return found
        self.md.reset()
        return self.finish(reg, self.md.convert(with_article_spans(reg, book_markdown(reg))), self.resolve)

    def finish(self, reg: Regulation, html: str, resolve: Resolver) -> str:
        """A converted body made the book's: every id not already the document's renamed
        ``doc-<id>-N`` in order, every link resolved by ``resolve`` (``None``: plain text)."""
        prefix = doc_anchor(reg.id)
        renamed: dict[str, str] = {}

        def rename(m: re.Match[str]) -> str:
            old = m[1]
            if old.startswith(prefix):
                return m[0]
            new = renamed.setdefault(old, f"{prefix}-{len(renamed) + 1}")
            return f'id="{new}"'

        html = _ID_RE.sub(rename, html)

        def link(m: re.Match[str]) -> str:
            before, href, after, text = m[1], m[2], m[3], m[4]
            target = resolve(reg, renamed, href)
            if target is None:
                return f'<span class="xref">{text}</span>'
            return f'<a{before}href="{target}"{after}>{text}</a>'

        return _HREF_RE.sub(link, html)

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
        head = [f'<h2 class="doc-title">{title_html(entry.title)}</h2>']
        if reg.number:
            head.append(f'<p class="doc-number">{escape(reg.number)}</p>')
        if dates := dates_line(reg):  # each date whole on a line
            spans = "　".join(f'<span class="regbook-word">{escape(part)}</span>' for part in dates.split("　"))
            head.append(f'<p class="doc-dates">{spans}</p>')
        if text := caption(reg.history):
            head.append(f'<p class="doc-history">{escape(text)}</p>')
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
        sample = f'<p class="cover-sample">{escape(SAMPLE_MARK)}</p>' if self.book.sample else ""
        notice = SAMPLE_NOTICE if self.book.sample else "本汇编依据网站公布的元数据自动生成，正式文本以标准文本为准（见编辑说明）"
        return (
            '<section class="cover">'
            f'<p class="cover-title">{title}</p>{sample}{label}'
            f'<p class="cover-edition">（{escape(self.book.edition_text)}）</p>'
            f'<p class="cover-issuer">{escape(self.book.issuer)}</p>'
            f'<p class="cover-notice">{cn_date(self.book.edition)}编印　{escape(notice)}</p>'
            "</section>\n"
        )

    def preface(self, volume: Volume) -> str:
        """The 编辑说明: scope and 截至 date, order, appendix, and which text governs (立法法)."""
        book, body = self.book, self.book.entries
        levels = [g.level.value for g in book.groups]
        count = f"共{len(body)}件" + (f"，本册收录其中{len(volume.entries)}件" if volume.number else "")
        items = [
            f"本汇编收录截至{cn_date(book.edition)}现行有效和已公布尚未施行的国防动员、人民防空法律法规和规范性文件{count}。"
            "尚未施行的文件在标题下注明“尚未生效”和施行日期。",
            "本汇编按效力位阶分为" + "、".join(levels) + "。同一效力位阶内，基本法律在前，全国性文件在前、本省文件在后，"
            "其余按成文日期（没有成文日期的按公布日期）先后排列；编者另有安排的，依编者确定的顺序。网站法规目录与本汇编顺序相同。",
            "每件文件的标题下依次载明发文字号、成文日期、公布日期、施行日期和有效期，以及制定和修改情况（题注）。",
        ]
        if book.appendix:
            items.append(
                f"截至{cn_date(book.edition)}已废止、已失效和已被修改的文件共{len(book.appendix)}件，列入附录目录，"
                "载明标题、发文字号、日期和依据，不收录文本。"
            )
        items.append(
            "本汇编所收文本仅供学习、查阅。根据《中华人民共和国立法法》第六十二条、第七十八条、第八十九条、第九十七条，"
            "在全国人民代表大会常务委员会公报上刊登的法律文本、在国务院公报上刊登的行政法规文本、在本级人民代表大会常务委员会公报上"
            "刊登的地方性法规文本、在国务院公报或者部门公报和地方人民政府公报上刊登的规章文本为标准文本；"
            "规范性文件以发文机关公布的文本为准。本汇编文本与标准文本不一致的，以标准文本为准。"
        )
        if book.sample:
            items.append(SAMPLE_NOTICE + "。")
        paras = "".join(f"<p>{_CN_ORDINALS[i]}、{escape(t)}</p>" for i, t in enumerate(items))
        return (
            '<section class="preface" id="preface"><h1 class="preface-title">编辑说明</h1>'
            f'{paras}<p class="preface-sign">{escape(book.issuer)}<br>{escape(cn_date(book.edition))}</p></section>\n'
        )

    def toc(self, volume: Volume) -> str:
        items: list[str] = []
        for group in volume.groups:
            items.append(f'<li class="toc-group"><a href="#{group.anchor}">{escape(group.title)}</a></li>')
            for entry in group.entries:
                mark = f'<span class="toc-mark">（{title_html(entry.pending_note)}）</span>' if entry.pending else ""
                items.append(f'<li class="toc-doc"><a href="#{entry.anchor}">{title_html(entry.title)}{mark}</a></li>')
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
            + self.preface(volume)
            + self.toc(volume)
            + "".join(self.group(g) for g in volume.groups)
            + self.appendix(volume)
        )

    def volume_html(self, volume: Volume, css: str | None = None) -> str:
        """One volume as a self-contained HTML document, ready for WeasyPrint."""
        css = CSS_PATH.read_text(encoding="utf-8") if css is None else css
        if self.book.sample:
            css += SAMPLE_CSS
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
SAMPLE_MARK = "示例"
SAMPLE_NOTICE = "本汇编由示例内容生成，正文为示例文本，不是正式文本，不得作为依据"
SAMPLE_CSS = """
/* A sample book (汇编目录: 示例: 是): 示例 in every page header, the front pages' too. */
@page :right { @top-right { content: "示例　" string(group) "　" string(doctitle); } }
@page :left { @top-left { content: "示例　" string(group) "　" string(doctitle); } }
@page front:right { @top-right { content: "示例"; border-bottom: 0.5pt solid #555; } }
@page front:left { @top-left { content: "示例"; border-bottom: 0.5pt solid #555; } }
@page cover:right { @top-right { content: "示例"; border: none; } }
@page cover:left { @top-left { content: "示例"; border: none; } }
"""
_CN_ORDINALS = "一二三四五六七八九十"


def _kind(event: HistoryEvent) -> str:
    """通过, 公布, 修正, 修订, 施行 … of a history entry (its last verb)."""
    return split_event(event.event)[2] or event.event


def caption(history: list[HistoryEvent]) -> str:
    """The official 题注 from 修订历史: 「（1996年10月29日第八届全国人民代表大会常务委员会第二十二次会议通过
    根据2009年8月27日…《关于修改部分法律的决定》修正）」 — no 施行 entries; ``""`` when nothing is left."""
    parts = []
    for e in history:
        if _kind(e) in EFFECTIVE:
            continue
        by_decision = "根据" if e.event.startswith("《") and not e.by.startswith("根据") else ""
        parts.append(f"{by_decision}{cn_date(e.date)}{e.by}{e.event}")
    return f"（{'　'.join(parts)}）" if parts else ""


def drop_body_caption(reg: Regulation) -> str:
    """The body without its own 题注 paragraph (the book prints the official one from 修订历史)."""
    found = body_caption(reg)
    if found is None:
        return reg.body
    lines = reg.body.split("\n")
    start = found[0] - reg.body_line
    if not 0 <= start < len(lines):
        return reg.body
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return "\n".join(lines[:start] + lines[end:])



def book_markdown(reg: Regulation) -> str:
    """A body's Markdown as the book converts it: without its 题注 when 修订历史 gives the official
    one (``drop_body_caption``), without its ``# 标题``, 主送机关 and 落款 marked (``layout_body``)."""
    text = reg.body if not reg.history else drop_body_caption(reg)
    return layout_body(TITLE_LINE_RE.sub("", text.lstrip("\n"), count=1))


def article_label(reg: Regulation, label: str, seen: set[str]) -> str:
    """The HTML of an article's 「第X条」 in the book: its anchor on the first 第X条 of that number
    (``seen``: the anchors given so far), a plain label on any other."""
    anchor = article_anchor(reg.id, label)
    if anchor is None or anchor in seen:
        return f'<span class="art-no">{label}</span>\u3000'
    seen.add(anchor)
    return f'<span class="art-no" id="{anchor}">{label}</span>\u3000'


def with_article_spans(reg: Regulation, text: str) -> str:
    """Every 「第X条 」 at a line start as ``article_label`` (the spaces after it as one 「　」)."""
    seen: set[str] = set()
    return ARTICLE_LINE_RE.sub(lambda m: article_label(reg, m[1], seen), text)


_ADDRESSEE_RE = re.compile(
    r"^(?:各[^，。；]*|[^，。；]*(?:办公室|委员会|管委会|人民政府|政府|部门|单位|机关|局|厅|委|部|处|室|院|会|公司|队))[：:]$"
)
_DATE_LINE_RE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
_SIGNATURE_RE = re.compile(r"^[^，。；：:！？!?\s|#<>\[\]{}*]{2,40}$")
_SKIP_RE = re.compile(r"^(?:[ \t]|!!!|\?\?\?|\{:)")
_TEXT_START_RE = re.compile(r"^(?:[ \t]|!!!|\?\?\?|#|\||[-*+] |\d+\. |<|```|\{:|第[一二三四五六七八九十百零〇]+条)")


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of the blocks separated by blank lines."""
    out, start = [], None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            out.append((start, i))
            start = None
    return out


def layout_lines(lines: list[str]) -> tuple[int | None, list[int]]:
    """Where ``layout_body`` puts its classes: the 主送机关's line (the first text block, one line
    naming organs and ending in 「：」) and the 落款's lines (the last lines: a date, after one to
    three short lines without punctuation; none unless there are two or more)."""
    blocks = _blocks(lines)
    sign: list[int] = []
    tail = [i for a, b in blocks[-4:] for i in range(a, b)]
    if tail and _DATE_LINE_RE.match(lines[tail[-1]].strip()):
        sign = [tail[-1]]
        for i in reversed(tail[:-1]):
            if len(sign) > 3 or not _SIGNATURE_RE.match(lines[i].strip()) or _TEXT_START_RE.match(lines[i]):
                break
            sign.insert(0, i)
    addressee = None
    for a, b in blocks:
        if _SKIP_RE.match(lines[a]):  # admonitions (the 示例文本 note) and attribute lists come first
            continue
        if b - a == 1 and _ADDRESSEE_RE.match(lines[a].strip()) and "如下" not in lines[a]:
            addressee = a
        break
    return addressee, sign if len(sign) > 1 else []


SIGN_CLASSES = ("regbook-right doc-sign doc-sign-first", "regbook-right doc-sign")
"""The classes of the 落款's first line and of the others."""
ADDRESSEE_CLASS = "doc-addressee"


def layout_body(text: str) -> str:
    """Mark a 通知-like body's 主送机关 (flush left) and 落款 (organ and date, on the right) with
    attribute lists for Markdown: detected, never required; an editor's ``{: …}`` is left alone."""
    lines = text.split("\n")
    addressee, sign = layout_lines(lines)
    for n, i in enumerate(sign):
        cls = SIGN_CLASSES[0 if n == 0 else 1]
        lines[i] = f"\n{lines[i].strip()}\n{{: .{' .'.join(cls.split())} }}\n"
    if addressee is not None:
        lines[addressee] = f"{lines[addressee].strip()}\n{{: .{ADDRESSEE_CLASS} }}"
    return "\n".join(lines)


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
