"""Atom feeds (RFC 4287) of publications and status changes, from the corpus and the build date.

Floor 2: bytes from the corpus and the build date (no MkDocs, no clock). Events:

- ``publish``: a document on its 公布日期 (a later version of a law names the versions before it);
- ``in-force``: a document whose 施行日期 is after its 公布日期, on that day (尚未生效 → 现行有效);
- ``repeal`` / ``expire``: a document 已废止 / 已失效 on the build date, on the day its status began
  (废止或失效日期, or the day after 有效期至), linking the cleanup record (or document) it rests on;
- ``cleanup``: a cleanup record on its 公告日期;
- ``disclose``: a disclosure item on its 发布日期.

Events after the build date are not yet events. A feed lists the ``LIMIT`` latest, newest first.

Stability (a rebuild gives the same bytes; a reader never sees an entry twice):

- an entry's id is a ``tag:`` URI (RFC 4151) of the authority (``TAG_AUTHORITY``, fixed once and
  for all: it does not follow ``site_url``, so setting the site's address later changes no id),
  the event kind, the document's id and the event's date;
- ``updated`` is the event's date (midnight, Beijing time), never the time of the build; a feed's
  ``updated`` is its newest entry's, or, for a feed without entries, the newest event of the corpus
  (the build date only when the corpus has no event at all).

Links: absolute where ``mkdocs.yml`` sets ``site_url``; otherwise relative references, resolved
against the feed's own address (RFC 4287 §1.2 and RFC 3986 §5.1.3: no ``xml:base`` is needed, and
every feed is at the site's root so that the references are the same as the data files').
XML is written by lxml (every text and attribute escaped by the library; ElementTree cannot write
Atom's unprefixed attributes under a default namespace).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.escape import one_line
from regbook.model import CleanupRecord, Column, DisclosureItem, Outcome, Regulation, Status
from regbook.opendata import Site
from regbook.status import status_on

ATOM = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
LIMIT = 30
TAG_AUTHORITY = "xxgk.jl.gov.cn,2026"
"""The ``tag:`` authority of every id (RFC 4151: a domain and a date). Never change it: readers
know entries by their ids."""
MAIN_FEED = "feed.xml"
COLUMN_SLUGS: dict[Column, str] = {
    Column.GUIDE: "zhinan",
    Column.SYSTEM: "zhidu",
    Column.STATUTORY: "fading",
    Column.ANNUAL_REPORT: "nianbao",
}
"""Each 栏目's feed is ``feed-<slug>.xml`` (the slugs of the column's folders under ``docs/disclosure/``)."""
DISCLOSURE_PAGE = "disclosure/index.md"
_KIND_ORDER = ("repeal", "expire", "in-force", "publish", "cleanup", "disclose")
_TZ = "T00:00:00+08:00"
_NOT_XML_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all (``one_line`` has already made control characters spaces)."""


@dataclass(frozen=True)
class Event:
    """One publication or status change, as a feed entry."""

    kind: str
    """``publish``, ``in-force``, ``repeal``, ``expire``, ``cleanup`` or ``disclose``."""
    date: dt.date
    key: str
    """What the event is about: a document's or cleanup record's id, a disclosure page's path."""
    title: str
    summary: str
    page: str
    """The src_uri of the page the entry links to."""
    category: str
    related: tuple[str, ...] = ()
    """src_uris of related pages (the record a document was repealed by, earlier versions)."""
    column: Column | None = None

    @property
    def tag(self) -> str:
        """The entry's id: never changes for the same event."""
        return f"tag:{TAG_AUTHORITY}:regbook/{self.kind}/{quote(self.key, safe='')}/{self.date.isoformat()}"

    @property
    def order(self) -> tuple[int, int, str]:
        """Newest first, then a fixed order of kinds, then the key: a total order."""
        return (-self.date.toordinal(), _KIND_ORDER.index(self.kind), self.key)


def _describe(reg: Regulation) -> str:
    parts = [reg.level.value, reg.issuer] + ([reg.number] if reg.number else [])
    dates = f"{cn_date(reg.published)}公布" + (f"，自{cn_date(reg.effective)}起施行" if reg.effective else "")
    return "，".join(parts) + f"；{dates}。"


def _publish(reg: Regulation, same_title: list[Regulation]) -> Event:
    """``reg``'s publication; ``same_title``: the regulations with its title (itself included)."""
    earlier = sorted(
        (o for o in same_title if o.id != reg.id and o.published < reg.published),
        key=lambda o: (o.published, o.id),
    )
    summary = _describe(reg)
    if earlier:
        summary += "修改前的版本：" + "、".join(f"《{o.display_title}》" for o in earlier) + "。"
    title = ("公布新版本：" if earlier else "公布：") + reg.display_title
    return Event("publish", reg.published, reg.id, title, summary, reg.src_uri, "公布", tuple(o.src_uri for o in earlier))


def _basis(corpus: Corpus, reg: Regulation) -> tuple[str, str]:
    """What an ended document rests on: (its name, its page's src_uri or ``""``)."""
    rulings = corpus.cleanup_history.get(reg.id)
    record: CleanupRecord | None = corpus.cleanup(reg.basis or "")
    if record is None and rulings is not None and rulings.ending is not None:
        record = rulings.ending.record
    if record is not None:
        return record.title, record.src_uri
    if reg.basis and (other := corpus.regulation(reg.basis)):
        return other.display_title, other.src_uri
    return reg.basis or "", ""


def _ended(corpus: Corpus, reg: Regulation, today: dt.date) -> Event | None:
    shown = status_on(reg, today)
    if not shown.status.is_ended or shown.since is None or shown.since > today:
        return None
    repealed = shown.status is Status.REPEALED
    verb = "废止" if repealed else "失效"
    if shown.by_date and reg.valid_until:
        summary = f"有效期至{cn_date(reg.valid_until)}，自{cn_date(shown.since)}起失效（{shown.reason}）。"
        related: tuple[str, ...] = ()
    else:
        name, page = _basis(corpus, reg)
        summary = f"于{cn_date(shown.since)}{verb}" + (f"，依据：{name}" if name else "") + "。"
        related = (page,) if page else ()
    return Event(
        "repeal" if repealed else "expire",
        shown.since,
        reg.id,
        f"{verb}：{reg.display_title}",
        summary + _describe(reg),
        reg.src_uri,
        verb,
        related,
    )


def _cleanup(record: CleanupRecord) -> Event:
    counts = "，".join(f"{o.value} {n} 件" for o in Outcome if (n := sum(d.outcome is o for d in record.decisions)))
    summary = f"{cn_date(record.announced)}公告，清理结果：{counts}。"
    return Event("cleanup", record.announced, record.id, f"规范性文件清理：{record.title}", summary, record.src_uri, "清理")


def _disclose(item: DisclosureItem) -> Event:
    summary = f"{item.column.value}，{item.publisher}，索引号 {item.index_no}，{cn_date(item.published)}发布。"
    key = item.src_uri.removesuffix(".md")
    return Event("disclose", item.published, key, f"{item.column.value}：{item.title}", summary, item.src_uri, item.column.value, column=item.column)


def events(corpus: Corpus, today: dt.date) -> list[Event]:
    """Every event up to ``today``, newest first."""
    found: list[Event] = []
    by_title: dict[str, list[Regulation]] = {}
    for reg in corpus.regulations:
        by_title.setdefault(reg.title, []).append(reg)
    for reg in corpus.regulations:
        found.append(_publish(reg, by_title[reg.title]))
        if reg.effective and reg.published < reg.effective <= today:
            found.append(
                Event("in-force", reg.effective, reg.id, f"施行：{reg.display_title}", _describe(reg), reg.src_uri, "施行")
            )
        if (ended := _ended(corpus, reg, today)) is not None:
            found.append(ended)
    found += [_cleanup(record) for record in corpus.cleanups]
    found += [_disclose(item) for item in corpus.disclosures]
    return sorted((e for e in found if e.date <= today), key=lambda e: e.order)


@dataclass(frozen=True)
class Feed:
    """One feed: where it is published, its title, and which events it lists."""

    path: str
    title: str
    subtitle: str
    home: str
    """The src_uri of the page the feed is about (its ``alternate`` link)."""
    column: Column | None = None

    @property
    def tag(self) -> str:
        return f"tag:{TAG_AUTHORITY}:regbook/{self.path}"

    def selects(self, event: Event) -> bool:
        return self.column is None or event.column is self.column


def feeds(site_name: str) -> list[Feed]:
    """The main feed, then one per 栏目 of the disclosure column."""
    main = Feed(MAIN_FEED, f"{site_name}：最新公布和时效性变化", "新公布的文件、施行、废止和失效、规范性文件清理和政府信息公开", "index.md")
    return [main] + [
        Feed(f"feed-{slug}.xml", f"{site_name}：{column.value}", f"政府信息公开：{column.value}", DISCLOSURE_PAGE, column)
        for column, slug in COLUMN_SLUGS.items()
    ]


def _stamp(date: dt.date) -> str:
    return date.isoformat() + _TZ


def _xml_text(value: str) -> str:
    """A metadata text as XML can hold it: on one line, without characters XML 1.0 forbids."""
    return _NOT_XML_RE.sub("\ufffd", one_line(value))


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def _href(site: Site, src_uri: str) -> str:
    return site.page(src_uri) or site.address("") or "./"


def feed_xml(feed: Feed, listed: list[Event], fallback: dt.date, site: Site, author: str) -> bytes:
    """One Atom document: ``listed`` (newest first, at most ``LIMIT``); ``fallback``: its ``updated``
    when it lists nothing."""
    root = etree.Element(f"{{{ATOM}}}feed", {f"{{{XML_NS}}}lang": "zh-CN"}, nsmap={None: ATOM})
    _sub(root, "id", feed.tag)
    _sub(root, "title", feed.title)
    _sub(root, "subtitle", feed.subtitle)
    _sub(root, "updated", _stamp(listed[0].date if listed else fallback))
    _sub(_sub(root, "author"), "name", author)
    _sub(root, "link", rel="self", type="application/atom+xml", href=site.address(feed.path))
    _sub(root, "link", rel="alternate", type="text/html", href=_href(site, feed.home))
    for event in listed:
        entry = _sub(root, "entry")
        _sub(entry, "id", event.tag)
        _sub(entry, "title", event.title)
        _sub(entry, "published", _stamp(event.date))
        _sub(entry, "updated", _stamp(event.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=_href(site, event.page))
        for related in event.related:
            _sub(entry, "link", rel="related", type="text/html", href=_href(site, related))
        _sub(entry, "category", term=event.kind, label=event.category)
        _sub(entry, "summary", event.summary, type="text")
    etree.indent(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def feed_files(corpus: Corpus, today: dt.date, site: Site, site_name: str, author: str) -> dict[str, bytes]:
    """Every feed, by its path in the site."""
    found = events(corpus, today)
    fallback = found[0].date if found else today
    return {
        feed.path: feed_xml(feed, [e for e in found if feed.selects(e)][:LIMIT], fallback, site, author)
        for feed in feeds(site_name)
    }
