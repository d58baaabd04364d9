"""The sample content built into a site: regulation pages, banners, catalogs, page size."""

from __future__ import annotations

import posixpath
from pathlib import Path

import lxml.html
import pytest

from regbook import corpus
from regbook.book.selection import select
from regbook.model import Regulation, Status
from tests.conftest import FIXTURE, FIXTURE_TODAY, build_site, copy_project

pytestmark = pytest.mark.slow

SAMPLE = corpus.load(FIXTURE)


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return lxml.html.fromstring(path.read_bytes())


def resolve(site: Path, from_url: str, href: str) -> Path:
    """The file a relative link of a page at ``from_url`` points to."""
    target = posixpath.normpath(posixpath.join(from_url, href.split("#")[0]))
    path = site / target
    return path / "index.html" if path.is_dir() else path


def test_sample_is_rich_enough() -> None:
    """Check that the sample covers every 效力位阶 and the statuses the issue asks for."""
    assert len(SAMPLE.regulations) >= 15
    assert {r.level for r in SAMPLE.regulations} == set(type(SAMPLE.regulations[0].level))
    statuses = {r.status for r in SAMPLE.regulations}
    assert {Status.CURRENT, Status.REPEALED, Status.AMENDED, Status.PENDING} <= statuses
    assert SAMPLE.cleanups and SAMPLE.disclosures


@pytest.mark.parametrize("reg", SAMPLE.regulations, ids=lambda r: r.id)
def test_every_regulation_has_its_page(sample_site: Path, reg: Regulation) -> None:
    doc = page(sample_site, reg.url)
    assert doc.find(".//h1").text_content().rstrip("¶").strip() == reg.display_title  # word spans: same text
    meta = {dt.text_content(): dd.text_content() for dt, dd in zip(doc.cssselect("dl.regbook-meta dt"), doc.cssselect("dl.regbook-meta dd"))}
    organ = "发文机关" if reg.level.value.endswith("规范性文件") else "制定机关"  # laws and 规章 are 制定
    assert meta[organ] == reg.issuer
    assert meta["效力位阶"] == reg.level.value
    assert meta["时效性"] == reg.status.value
    assert meta["公布日期"] == f"{reg.published.year}年{reg.published.month}月{reg.published.day}日"
    if reg.number:
        assert meta["发文字号"] == reg.number
    admonitions = doc.cssselect(".admonition")
    titles = [a.findtext("p").strip() for a in admonitions]
    banner = {Status.REPEALED: "已废止", Status.EXPIRED: "已失效", Status.AMENDED: "已修改", Status.PENDING: "尚未生效"}
    if reg.status is Status.CURRENT:
        assert not set(titles) & set(banner.values())
        return
    first = admonitions[0]
    assert titles[0] == banner[reg.status], "the banner is the first thing under the title"
    text = first.text_content()
    if reg.status.is_ended:
        assert f"{reg.ended.year}年{reg.ended.month}月{reg.ended.day}日" in text
    if reg.status is Status.AMENDED:
        target = SAMPLE.regulation(reg.current_version)
        assert target.display_title in text
    if reg.status is Status.PENDING:
        assert f"{reg.effective.year}年{reg.effective.month}月{reg.effective.day}日起施行" in text
    for a in first.cssselect("a[href]"):
        assert resolve(sample_site, reg.url, a.get("href")).is_file(), a.get("href")


def _listed(site: Path, url: str) -> list[str]:
    doc = page(site, url)
    hrefs = [a.get("href") for a in doc.cssselect(".md-content table a[href]")]
    return [posixpath.basename(posixpath.normpath(posixpath.join(url, h))) for h in hrefs]


@pytest.mark.parametrize(
    ("url", "selected"),
    [
        ("catalog/", lambda r: True),
        ("catalog/current/", lambda r: r.status is Status.CURRENT),
        ("catalog/repealed/", lambda r: r.status.is_ended),
    ],
)
def test_catalogs_list_exactly_their_documents(sample_site: Path, url: str, selected) -> None:  # type: ignore[no-untyped-def]
    listed = _listed(sample_site, url)
    expected = [r.id for r in SAMPLE.regulations if selected(r)]
    assert sorted(listed) == sorted(expected)
    assert len(listed) == len(set(listed))


def test_catalog_groups_by_level_in_the_books_order(sample_site: Path) -> None:
    """Check that the catalog groups by 效力位阶 and lists each group in the compendium's order (the
    outline's, as the PDF book): 国防法 first among the laws, and the book's documents in its order."""
    doc = page(sample_site, "catalog/")
    headings = [h.text_content().split("（")[0] for h in doc.cssselect(".md-content h2")]
    levels = [level.value for level in sorted({r.level for r in SAMPLE.regulations}, key=lambda level: level.rank)]
    assert headings == levels
    listed: list[str] = []
    for table, level in zip(doc.cssselect(".md-content table"), levels):
        ids = [posixpath.basename(posixpath.normpath(a.get("href"))) for a in table.cssselect("a[href]")]
        regs = [r for r in SAMPLE.regulations if r.level.value == level]
        assert ids == [r.id for r in SAMPLE.outline.sorted(regs)], level
        listed += ids
    assert listed[0] == "guofang-fa" and listed.index("guofang-fa") < listed.index("renmin-fangkong-fa")
    book = select(SAMPLE, FIXTURE_TODAY, FIXTURE_TODAY)
    assert [i for i in listed if i in {e.id for e in book.entries}] == [e.id for e in book.entries]


def test_chinese_headings_get_readable_ids(sample_site: Path) -> None:
    ids = [h.get("id") for reg in SAMPLE.regulations for h in page(sample_site, reg.url).cssselect(".md-content h2[id]")]
    assert ids, "the sample has chapter headings"
    assert all(not i.startswith("_") for i in ids)
    assert any(i.startswith("第一章") for i in ids)


def test_regulations_are_not_in_the_navigation(sample_site: Path) -> None:
    doc = page(sample_site, "")
    nav_links = [a.get("href") for a in doc.cssselect("nav.md-nav a[href]")]
    assert not [h for h in nav_links if "regulations/" in h]


def test_page_size_does_not_grow_with_the_number_of_regulations(tmp_path: Path) -> None:
    """Check that a regulation page and the home page keep their size with 150 more regulations."""
    project = copy_project(tmp_path / "project")
    result = build_site(project, tmp_path / "small", book=False)
    assert result.returncode == 0, result.stderr
    template = (FIXTURE / "regulations/falv/guofang-dongyuan-fa.md").read_text(encoding="utf-8")
    for i in range(150):
        text = template.replace("id: guofang-dongyuan-fa", f"id: extra-{i}").replace("发文字号: ", f"发文字号: 测试{i}")
        text = text.replace("标题: 中华人民共和国国防动员法", f"标题: 测试法{i}")  # one current version per title
        (project / f"regulations/falv/extra-{i}.md").write_text(text, encoding="utf-8")
    result = build_site(project, tmp_path / "large", book=False)
    assert result.returncode == 0, result.stderr
    for url in (SAMPLE.regulation("renmin-fangkong-fa").url, ""):
        small = (tmp_path / "small" / url / "index.html").stat().st_size
        large = (tmp_path / "large" / url / "index.html").stat().st_size
        assert abs(large - small) < 200, (url, small, large)


def test_cleanup_page_has_the_annexes_and_disclosure_catalog_its_columns(sample_site: Path) -> None:
    """The sample cleanup record's page ends its block with 附件1 继续有效目录 and 附件2 废止（失效）目录 as
    numbered lists of linked documents; the disclosure landing page's 目录 has 条例第十二条's columns."""
    record = SAMPLE.cleanups[0]
    html = page(sample_site, record.url)
    annexes = [p.text_content() for p in html.xpath("//article//p[strong]") if "附件" in p.text_content()]
    assert annexes == ["附件1　继续有效目录", "附件2　废止（失效）目录"]
    lists = html.xpath("//article//p[strong[contains(., '附件')]]/following-sibling::ol[1]")
    kept = [d for d in record.decisions if d.outcome.value == "保留"]
    assert len(lists) == 2 and len(lists[0].xpath("li")) == len(kept)
    for item in lists[0].xpath("li"):
        assert resolve(sample_site, record.url, item.xpath("a/@href")[0]).is_file()
    disclosure = page(sample_site, "disclosure/")
    heads = [th.text_content() for th in disclosure.xpath("//article//table[1]//th")]
    assert heads == ["索引号", "名称", "内容概述", "生成日期"]
