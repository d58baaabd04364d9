"""The book's selection, order, volumes and HTML: no PDF rendering here (see test_book_pdf.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regbook import corpus as corpus_mod
from regbook.book import selection
from regbook.book.html import Renderer, drop_dead_links
from regbook.book.selection import Book, plan_volumes, select
from regbook.book.site import download_block, fill_sizes, href, switch
from regbook.corpus import Corpus
from regbook.model import Level, Regulation, Status

from .conftest import FIXTURE

EDITION = dt.date(2024, 1, 3)


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return corpus_mod.load(FIXTURE)


@pytest.fixture(scope="module")
def book(sample: Corpus) -> Book:
    return select(sample, EDITION)


def reg(id_: str, level: Level, status: Status = Status.CURRENT, published: dt.date = dt.date(2020, 1, 1), body: str = "") -> Regulation:
    return Regulation(id=id_, title=f"标题{id_}", level=level, status=status, issuer="机关", published=published, path=f"regulations/{id_}.md", body=body)


def test_body_holds_current_and_pending_only(sample: Corpus, book: Book) -> None:
    """Check that the body has every 现行有效 and 尚未生效 document and nothing else."""
    ids = [e.id for e in book.entries]
    expected = {r.id for r in sample.regulations if r.status in (Status.CURRENT, Status.PENDING)}
    assert set(ids) == expected and len(ids) == len(expected)
    assert "jilin-renfang-chufa-cailiang-jizhun-shixing" not in ids  # 已废止
    assert "jilin-renfang-shenpi-wangshang-banli-tongzhi" not in ids  # 已失效
    assert "guofang-jiaoyu-fa-2018" not in ids  # 已修改


def test_groups_follow_level_order_then_the_outline_then_dates(sample: Corpus, book: Book) -> None:
    """Check that groups are in 法律 … 其他规范性文件 order, that the documents the outline
    (regulations/汇编目录.yml) lists come first in its order, and the others by date (成文 or 公布)
    ascending, national before local."""
    ranks = [g.level.rank for g in book.groups]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert [g.level for g in book.groups][0] is Level.LAW
    for group in book.groups:
        listed = [i.id for i in sample.outline.order.get(group.level, [])]
        ids = [e.id for e in group.entries]
        head = [i for i in ids if i in listed]
        assert head == [i for i in listed if i in ids] and ids[: len(head)] == head
        rest = [e.regulation for e in group.entries if e.id not in listed]
        keys = [(r.issuer.startswith("吉林"), r.sort_date, r.id) for r in rest]
        assert keys == sorted(keys)
        assert all(e.regulation.level is group.level for e in group.entries)


def test_order_within_group_uses_written_date_first() -> None:
    """Check that 成文日期 decides before 公布日期 (Regulation.sort_date)."""
    a = reg("a", Level.NORMATIVE, published=dt.date(2023, 5, 1))
    a.written = dt.date(2023, 1, 1)
    b = reg("b", Level.NORMATIVE, published=dt.date(2023, 2, 1))
    c = reg("c", Level.LAW, published=dt.date(2024, 1, 1))
    book = select(Corpus(FIXTURE, regulations=[b, a, c]), EDITION)
    assert [e.id for e in book.entries] == ["c", "a", "b"]


def test_pending_document_is_marked(book: Book) -> None:
    """Check that a 尚未生效 document carries 「尚未生效，自 YYYY年M月D日起施行」."""
    pending = [e for e in book.entries if e.pending]
    assert [e.id for e in pending] == ["jilin-guodongban-zhifa-anjuan-pingcha-banfa"]
    assert pending[0].pending_note == "尚未生效，自2027年3月1日起施行"
    assert all(e.pending_note == "" for e in book.entries if not e.pending)


def test_appendix_lists_ended_and_amended_with_basis(book: Book) -> None:
    """Check the appendix: 已废止 / 已失效 / 已修改, with 依据 resolved to titles and the dates."""
    rows = {r.regulation.id: r for r in book.appendix}
    assert set(rows) == {"guofang-jiaoyu-fa-2018", "jilin-renfang-chufa-cailiang-jizhun-shixing", "jilin-renfang-shenpi-wangshang-banli-tongzhi"}
    repealed = rows["jilin-renfang-chufa-cailiang-jizhun-shixing"]
    assert repealed.basis == "《吉林省国防动员办公室关于行政规范性文件清理结果的公告》"
    assert repealed.date == dt.date(2023, 11, 24)
    assert rows["jilin-renfang-shenpi-wangshang-banli-tongzhi"].basis == "有效期届满"
    amended = rows["guofang-jiaoyu-fa-2018"]
    assert amended.basis == "现行版本：《中华人民共和国国防教育法（2024年修订）》"
    assert amended.date == dt.date(2024, 9, 13)
    assert amended.title == "中华人民共和国国防教育法（2018年修正）"


def test_edition_date_from_source_date_epoch_in_beijing_time(sample: Corpus) -> None:
    """Check that SOURCE_DATE_EPOCH gives the Beijing calendar date, else the newest content date."""
    assert selection.edition_date(sample, "1704240000") == dt.date(2024, 1, 3)
    # 2023-12-31 17:00 UTC is already 2024-01-01 in Beijing.
    assert selection.edition_date(sample, str(int(dt.datetime(2023, 12, 31, 17, tzinfo=dt.timezone.utc).timestamp()))) == dt.date(2024, 1, 1)
    newest = max(r.published for r in sample.regulations)
    assert selection.edition_date(sample, None) >= newest
    assert selection.edition_date(sample, "") == selection.edition_date(sample, None)


def test_book_file_name_and_cover_text(book: Book) -> None:
    """Check the download's file name (edition date in it) and 「截至 …」."""
    assert book.file_name(book.volumes[0]) == "吉林省国防动员法律法规汇编-2024-01-03.pdf"
    assert book.edition_text == "截至2024年1月3日"


@pytest.mark.parametrize(
    ("label", "key"),
    [("第一条", "1"), ("第十条", "10"), ("第四十八条", "48"), ("第一百零三条", "103"), ("第二百条", "200"), ("第十条之一", "10-1"), ("第条", None), ("附则", None)],
)
def test_article_keys(label: str, key: str | None) -> None:
    """Check that 第X条 labels become ASCII anchor keys."""
    assert selection.article_key(label) == key


# --- volumes ---------------------------------------------------------------------------------


def _big_book(pages: dict[str, int]) -> tuple[Book, dict[str, int]]:
    levels = list(Level)
    regs = [reg(id_, levels[int(id_.split("-")[0])], published=dt.date(2000, 1, 1) + dt.timedelta(days=i)) for i, id_ in enumerate(pages)]
    return select(Corpus(FIXTURE, regulations=regs), EDITION), pages


def test_small_book_is_one_volume(book: Book) -> None:
    """Check that a book under the limit is one volume without a 分册 label."""
    planned = plan_volumes(book)
    assert len(planned.volumes) == 1 and planned.volumes[0].number == 0 and planned.volumes[0].label == ""
    assert planned.volumes[0].appendix == book.appendix


def test_large_book_splits_by_group_into_volumes() -> None:
    """Check a synthetic 2,400-page book: whole groups per volume, a too-large group cut into parts."""
    pages = {f"0-{i:03}": 10 for i in range(30)}  # 法律: 300 pages
    pages |= {f"1-{i:03}": 12 for i in range(150)}  # 行政法规: 1,800 pages
    pages |= {f"2-{i:03}": 5 for i in range(20)}  # 地方性法规: 100 pages
    pages |= {f"4-{i:03}": 4 for i in range(50)}  # 行政规范性文件: 200 pages
    book, _ = _big_book(pages)
    planned = plan_volumes(book, lambda r: pages[r.id], max_pages=1000)
    vols = planned.volumes
    labels = [v.label for v in vols]
    assert labels == ["第一分册　法律", "第二分册　行政法规（一）", "第三分册　行政法规（二）", "第四分册　地方性法规、行政规范性文件"]
    for v in vols:
        assert 3 + -(-len(v.entries) // 30) + sum(pages[e.id] for e in v.entries) <= 1000
    assert [e.id for v in vols for e in v.entries] == [e.id for e in book.entries]
    assert file_names(planned)[1] == "吉林省国防动员法律法规汇编-2024-01-03-第2分册.pdf"


def test_a_split_group_fills_each_volume() -> None:
    """Check that a group cut into parts gives each part every document that fits, a part that
    reaches the limit exactly included (the cut is made with a running page count)."""
    pages = {f"1-{i:03}": 99 for i in range(20)}  # a part of n documents: 3 + 1 + 99 n pages
    book, _ = _big_book(pages)
    planned = plan_volumes(book, lambda r: pages[r.id], max_pages=4 + 99 * 7)
    assert [len(v.entries) for v in planned.volumes] == [7, 7, 6]


def file_names(book: Book) -> list[str]:
    return [book.file_name(v) for v in book.volumes]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 400)), min_size=1, max_size=60), st.integers(420, 1500))
def test_volume_plan_invariants(docs: list[tuple[int, int]], max_pages: int) -> None:
    """Check for any page counts: every document once, in book order, volumes within the limit,
    groups never mixed with a part of a split group, the appendix in the last volume."""
    pages = {f"{level}-{i:03}": n for i, (level, n) in enumerate(docs)}
    book, _ = _big_book(pages)
    planned = plan_volumes(book, lambda r: pages[r.id], max_pages=max_pages)
    vols = planned.volumes
    assert [e.id for v in vols for e in v.entries] == [e.id for e in book.entries]
    assert vols[-1].appendix == book.appendix and all(not v.appendix for v in vols[:-1])
    if len(vols) > 1:
        for v in vols:
            if len(v.entries) > 1:
                assert 3 + -(-len(v.entries) // 30) + sum(pages[e.id] for e in v.entries) <= max_pages
            if any(g.part for g in v.groups):
                assert len(v.groups) == 1
        assert [v.number for v in vols] == list(range(1, len(vols) + 1))


def test_estimate_pages_grows_with_text() -> None:
    """Check that the page estimate is at least one page and grows with the text."""
    assert selection.estimate_pages(reg("a", Level.LAW)) == 1
    assert selection.estimate_pages(reg("a", Level.LAW, body="字" * 9000)) >= 10


# --- HTML ------------------------------------------------------------------------------------


def test_book_html_ids_are_ascii_unique_and_every_link_has_a_target(sample: Corpus, book: Book) -> None:
    """Check the percent-encoded-Chinese-anchor trap: ids ASCII, unique, and all #links resolve."""
    html = Renderer(sample, book).volume_html(book.volumes[0])
    ids = re.findall(r'\bid="([^"]*)"', html)
    assert ids and all(i.isascii() for i in ids), [i for i in ids if not i.isascii()]
    assert len(ids) == len(set(ids))
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") and h[1:] in set(ids) for h in hrefs), hrefs
    for entry in book.entries:
        assert f'href="#{entry.anchor}"' in html  # TOC entry
    assert 'id="doc-renmin-fangkong-fa-art-48"' in html


def test_cross_reference_to_a_chinese_article_anchor_becomes_ascii(sample: Corpus, book: Book) -> None:
    """Check that ``../falv/renmin-fangkong-fa.md#第四十八条`` (raw or percent-encoded) links to
    ``#doc-renmin-fangkong-fa-art-48``, and links out of the book become plain text."""
    renderer = Renderer(sample, book)
    source = sample.regulation("jilin-guofang-dongyuan-chufa-cailiang-jizhun")
    assert source is not None
    assert renderer.resolve(source, {}, "../falv/renmin-fangkong-fa.md#第四十八条") == "#doc-renmin-fangkong-fa-art-48"
    assert renderer.resolve(source, {}, "../falv/renmin-fangkong-fa.md#%E7%AC%AC%E5%9B%9B%E5%8D%81%E5%85%AB%E6%9D%A1") == "#doc-renmin-fangkong-fa-art-48"
    assert renderer.resolve(source, {}, "../falv/xingzheng-chufa-fa.md") == "#doc-xingzheng-chufa-fa"
    assert renderer.resolve(source, {}, "https://example.org/") is None
    assert renderer.resolve(source, {}, "../../docs/cleanup/index.md") is None
    citing = sample.regulation("jilin-guodongban-zhifa-anjuan-pingcha-banfa")
    assert citing is not None and "chufa-cailiang-jizhun.md#第三条" in citing.body
    assert 'href="#doc-jilin-guofang-dongyuan-chufa-cailiang-jizhun-art-3"' in renderer.body(citing)


def test_dead_article_link_falls_back_to_its_document() -> None:
    """Check that a link to a missing article goes to the document; to a missing document, no link."""
    html = '<p id="doc-a">x</p><a href="#doc-a-art-9">A</a><a href="#doc-b">B</a>'
    out = drop_dead_links(html)
    assert '<a href="#doc-a">A</a>' in out and '<span class="xref">B</span>' in out


def ended_sentences(book: Book) -> list[tuple[Regulation, str]]:
    """A 25-character piece of every body line of each 已废止 / 已失效 document in the appendix
    (an 已修改 text may share sentences with its current version, so those are left out)."""
    found = []
    for row in book.appendix:
        if not row.regulation.status.is_ended:
            continue
        lines = [line for line in row.regulation.body.splitlines() if len(line) > 25 and not line.startswith((" ", "!", "#", "|"))]
        assert lines, row.regulation.id
        found += [(row.regulation, line[2:27]) for line in lines]
    return found


def test_book_html_excludes_repealed_text(sample: Corpus, book: Book) -> None:
    """Check that no text of an 已废止 / 已失效 / 已修改 document is in the book's HTML body."""
    html = Renderer(sample, book).volume_html(book.volumes[0])
    body = html.split('id="appendix"')[0]
    for reg, sentence in ended_sentences(book):
        assert sentence not in body, (reg.id, sentence)


def test_download_block_links_and_size_placeholder(book: Book) -> None:
    """Check the download links (relative, percent-encoded) and the size filled in after the build."""
    block = download_block(book, "catalog/index.html")
    name = book.file_name(book.volumes[0])
    assert href("catalog/index.html", f"downloads/{name}") in block
    assert "../downloads/%E5%90%89" in block and "截至2024年1月3日" in block
    filled = fill_sizes(block, {name: (1536 * 1024, 26)})
    assert "1.5 MB，26 页" in filled and "regbook:size" not in filled


@pytest.mark.parametrize(
    ("configured", "env", "serving", "expected"),
    [(True, None, False, True), (True, None, True, False), (True, "1", True, True), (True, "0", False, False), (False, None, False, False), (False, "1", False, True)],
)
def test_switch(configured: bool, env: str | None, serving: bool, expected: bool) -> None:
    """Check REGBOOK_BOOK / serve handling."""
    assert switch(configured, env, serving) is expected


def test_print_pages_one_per_volume(sample: Corpus) -> None:
    """Check the print pages: one for a one-volume book; one per volume, linked to each other, when split."""
    from regbook.book.site import print_page_markdown, print_pages

    single = plan_volumes(select(sample, EDITION))
    assert print_pages(single) == ["print_page.md"]
    page = print_page_markdown(single, 0, True)
    assert "<!-- regbook:print-book:0 -->" in page and "<!-- regbook:book-download -->" in page
    assert "search:\n  exclude: true" in page
    split = plan_volumes(select(sample, EDITION), max_pages=12)
    uris = print_pages(split)
    assert uris[0] == "print_page.md" and uris[1:] == [f"print_page/{n}.md" for n in range(2, len(split.volumes) + 1)]
    second = print_page_markdown(split, 1, False)
    assert "<!-- regbook:print-book:1 -->" in second and "(../print_page.md)" in second and "<!-- regbook:book-download -->" not in second
    assert f"**{split.volumes[1].label}**（本页）" in second


def test_layout_progress_names_pages_and_document() -> None:
    """Check the progress line: pages so far, time, and the document that page falls in (by estimate)."""
    import logging

    from regbook.book.pdf import _PageProgress

    lines: list[str] = []
    handler = _PageProgress(lines.append, "第一分册：", [(4, "甲法"), (10, "乙条例")], every=5)
    for page in (5, 6, 10):
        handler.emit(logging.LogRecord("weasyprint.progress", logging.INFO, "", 0, "Step 5 - Creating layout - Page %d", (page,), None))
    assert len(lines) == 2
    assert "已排 5 页" in lines[0] and "甲法" in lines[0] and "乙条例" in lines[1]
