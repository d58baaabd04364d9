"""Atom feeds (``regbook.feeds``): parsed by feedparser from the served sample site; entries newest
first with stable ``tag:`` ids and dates from the events (never the build clock), links that resolve
in the built site, a feed per 栏目, and ``<link rel="alternate">`` in the pages' heads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from regbook import corpus as corpus_mod
from regbook import feeds
from regbook.model import Column
from regbook.opendata import Site
from tests.conftest import FIXTURE, FIXTURE_TODAY

pytestmark = pytest.mark.slow
ATOM = "{http://www.w3.org/2005/Atom}"
SITE_NAME = "吉林省国防动员法律法规汇编"


@pytest.fixture(scope="module")
def corpus() -> corpus_mod.Corpus:
    return corpus_mod.load(FIXTURE)


def _parse(sample_url: str, name: str) -> feedparser.FeedParserDict:
    with urllib.request.urlopen(sample_url + name) as response:
        assert response.headers.get_content_type() in ("application/xml", "text/xml", "application/atom+xml")
        body, headers = response.read(), {"content-type": response.headers["Content-Type"]}
    parsed = feedparser.parse(body, response_headers={**headers, "content-location": sample_url + name})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _resolves(site: Path, sample_url: str, href: str) -> bool:
    """An absolute link into the served site names a built file (a folder: its index.html)."""
    assert href.startswith(sample_url), href
    path = urlsplit(href).path.lstrip("/")
    return (site / path / "index.html").is_file() if path.endswith("/") or not path else (site / path).is_file()


def test_main_feed_lists_the_30_latest_events_newest_first(sample_site: Path, sample_url: str, corpus) -> None:  # type: ignore[no-untyped-def]
    parsed = _parse(sample_url, feeds.MAIN_FEED)
    entries = parsed.entries
    expected = feeds.events(corpus, FIXTURE_TODAY)
    assert len(expected) > feeds.LIMIT and len(entries) == feeds.LIMIT
    assert [e.id for e in entries] == [e.tag for e in expected[: feeds.LIMIT]]
    assert all(e.id.startswith(f"tag:{feeds.TAG_AUTHORITY}:regbook/") for e in entries)
    assert len({e.id for e in entries}) == len(entries)
    dates = [e.updated_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    # The feed's updated is its newest entry's: a date of the content, not of the build (2026-12-02).
    assert parsed.feed.updated_parsed == dates[0]
    assert parsed.feed.updated == entries[0].updated == "2026-11-16T00:00:00+08:00"
    assert parsed.feed.title == f"{SITE_NAME}：最新公布和时效性变化" and parsed.feed.author == "吉林省国防动员办公室"
    for entry in entries:
        assert entry.title and entry.summary
        for link in entry.links:
            assert _resolves(sample_site, sample_url, link.href), link.href
    assert _resolves(sample_site, sample_url, parsed.feed.link)
    assert any(link.rel == "self" and link.href == sample_url + feeds.MAIN_FEED for link in parsed.feed.links)


def test_publications_and_status_changes(corpus) -> None:  # type: ignore[no-untyped-def]
    by_tag = {e.tag: e for e in feeds.events(corpus, FIXTURE_TODAY)}
    tag = f"tag:{feeds.TAG_AUTHORITY}:regbook"
    repeal = by_tag[f"{tag}/repeal/jilin-renfang-chufa-cailiang-jizhun-shixing/2023-11-24"]
    assert repeal.title.startswith("废止：") and repeal.related == ("cleanup/2023-guifanxing-wenjian-qingli.md",)
    assert "依据：吉林省国防动员办公室关于行政规范性文件清理结果的公告" in repeal.summary
    version = by_tag[f"{tag}/publish/guofang-jiaoyu-fa-2024/2024-09-13"]
    assert version.title == "公布新版本：中华人民共和国国防教育法（2024年修订）"
    assert version.related == ("regulations/guofang-jiaoyu-fa-2018.md",)
    assert f"{tag}/cleanup/2023-guifanxing-wenjian-qingli/2023-11-24" in by_tag
    assert f"{tag}/in-force/guofang-jiaoyu-fa-2024/2024-09-21" in by_tag
    # A 尚未生效 document: published, not yet in force on the build date.
    assert f"{tag}/publish/jilin-guodongban-zhifa-anjuan-pingcha-banfa/2026-11-16" in by_tag
    assert not any("/in-force/jilin-guodongban-zhifa-anjuan-pingcha-banfa/" in t for t in by_tag)
    assert all(e.date <= FIXTURE_TODAY for e in by_tag.values())


def test_ids_and_dates_do_not_depend_on_the_build(corpus) -> None:  # type: ignore[no-untyped-def]
    site = Site()
    first = feeds.feed_files(corpus, FIXTURE_TODAY, site, SITE_NAME, "本办")
    assert first == feeds.feed_files(corpus_mod.load(FIXTURE), FIXTURE_TODAY, site, SITE_NAME, "本办")
    # A later build: the document comes into force (a new entry); every other entry is unchanged.
    later = feeds.feed_files(corpus, dt.date(2027, 3, 1), site, SITE_NAME, "本办")

    def entries(data: bytes) -> dict[str, bytes]:
        root = etree.fromstring(data)
        return {e.findtext(f"{ATOM}id"): etree.tostring(e, with_tail=False) for e in root.iter(f"{ATOM}entry")}

    before, after = entries(first[feeds.MAIN_FEED]), entries(later[feeds.MAIN_FEED])
    new = [tag for tag in after if tag not in before]
    assert new == [f"tag:{feeds.TAG_AUTHORITY}:regbook/in-force/jilin-guodongban-zhifa-anjuan-pingcha-banfa/2027-03-01"]
    assert all(after[tag] == before[tag] for tag in after if tag in before)
    assert etree.fromstring(later[feeds.MAIN_FEED]).findtext(f"{ATOM}updated") == "2027-03-01T00:00:00+08:00"


@pytest.mark.parametrize("column", list(Column))
def test_a_feed_per_column(sample_site: Path, sample_url: str, corpus, column: Column) -> None:  # type: ignore[no-untyped-def]
    parsed = _parse(sample_url, f"feed-{feeds.COLUMN_SLUGS[column]}.xml")
    items = sorted((d for d in corpus.disclosures if d.column is column), key=lambda d: d.published, reverse=True)
    assert items, "the sample has an item in every column"
    assert [e.title for e in parsed.entries] == [f"{column.value}：{d.title}" for d in items]
    assert all(e.tags[0].label == column.value for e in parsed.entries)
    for entry in parsed.entries:
        assert _resolves(sample_site, sample_url, entry.link)
    assert parsed.feed.title == f"{SITE_NAME}：{column.value}"


def test_empty_feed_is_dated_by_the_content(corpus) -> None:  # type: ignore[no-untyped-def]
    empty = dataclasses.replace(corpus, disclosures=[d for d in corpus.disclosures if d.column is not Column.GUIDE])
    data = feeds.feed_files(empty, FIXTURE_TODAY, Site(), SITE_NAME, "本办")["feed-zhinan.xml"]
    root = etree.fromstring(data)
    assert root.find(f"{ATOM}entry") is None
    assert root.findtext(f"{ATOM}updated") == "2026-11-16T00:00:00+08:00"


def test_links_are_absolute_with_a_site_url(corpus) -> None:  # type: ignore[no-untyped-def]
    site = Site(True, "https://example.gov.cn/fg/")
    root = etree.fromstring(feeds.feed_files(corpus, FIXTURE_TODAY, site, SITE_NAME, "本办")[feeds.MAIN_FEED])
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert hrefs[:2] == ["https://example.gov.cn/fg/feed.xml", "https://example.gov.cn/fg/"]
    assert all(h.startswith("https://example.gov.cn/fg/") for h in hrefs)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", [feeds.MAIN_FEED]),
        ("catalog/index.html", [feeds.MAIN_FEED]),
        ("regulations/renmin-fangkong-fa/index.html", [feeds.MAIN_FEED]),
        ("disclosure/index.html", [feeds.MAIN_FEED] + [f"feed-{s}.xml" for s in feeds.COLUMN_SLUGS.values()]),
    ],
)
def test_pages_announce_their_feeds(sample_site: Path, sample_url: str, path: str, expected: list[str]) -> None:
    root = lxml_html.fromstring((sample_site / path).read_text(encoding="utf-8"))
    links = root.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]')
    page_url = urljoin(sample_url, path)
    assert [urljoin(page_url, link.get("href")) for link in links] == [sample_url + name for name in expected]
    assert all(link.get("title") for link in links)
    # The Content-Security-Policy stays the first element of the head.
    assert root.xpath("//head/*[1]")[0].get("http-equiv") == "Content-Security-Policy"


def test_metadata_is_text_in_the_feed(corpus) -> None:  # type: ignore[no-untyped-def]
    """Markup, XML syntax, line breaks and characters XML cannot hold stay text, on one line."""
    title = 'A]]><entry><id>x</id></entry> &amp; <img src=x onerror=alert(1)>\n第二行\x0b\ufffe"'
    newest = "jilin-guodongban-zhifa-anjuan-pingcha-banfa"  # the newest event
    regs = [dataclasses.replace(r, title=title) if r.id == newest else r for r in corpus.regulations]
    data = feeds.feed_files(dataclasses.replace(corpus, regulations=regs), FIXTURE_TODAY, Site(), SITE_NAME, "本办")[feeds.MAIN_FEED]
    parsed = feedparser.parse(data)
    assert not parsed.bozo and len(parsed.entries) == feeds.LIMIT
    root = etree.fromstring(data)
    assert root.findtext(f"{ATOM}entry/{ATOM}title") == (
        '公布：A]]><entry><id>x</id></entry> &amp; <img src=x onerror=alert(1)> 第二行 \ufffd"'
    )
