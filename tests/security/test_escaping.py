"""Golden test of the escaping boundary (``regbook.escape``): hostile metadata stays inert text.

Every string field of every kind of document (regulation, history event, cleanup record and its
decisions, disclosure item) and hand-written pages' ``title:`` hold markup, YAML-special
characters, line breaks, and text that reads as a number, boolean, date or null
(``tests/security/hostile.py``). One build (``REGBOOK_BOOK=0``; the print page is built anyway)
must succeed, and on every page (regulation pages, catalogs, cleanup and disclosure pages and
lists, print page): no element or attribute comes from a value, each value reads literally, and
the page's title and search entry are intact strings. What the checker refuses instead (with
file:line) is asserted at the end.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import lxml.html
import markdown
import pytest
import yaml
from lxml.etree import _Element
from mkdocs.utils.meta import get_data

from regbook import corpus as corpus_mod
from regbook import escape, pages, rules
from regbook.markup import EXTENSIONS
from tests.conftest import FIXTURE_TODAY, build_site, copy_project
from tests.security.hostile import INVALID_INDEX_NO, PAGE_TITLES, VALUES, basis, build_project, number, shown

SITE_NAME = "吉林省国防动员法律法规汇编"
MD_EXTENSIONS = [*EXTENSIONS, "admonition", "tables", "attr_list", "abbr", "def_list", "md_in_html", "toc"]


# --- the serialiser alone ----------------------------------------------------------------------


def _fragment(html: str) -> _Element:
    return lxml.html.fragment_fromstring(html, create_parent="div")


@pytest.mark.parametrize("key", sorted(VALUES))
def test_markdown_text_renders_literally_in_every_context(key: str) -> None:
    """Heading, table cell, link text, list item in an admonition: only our own elements."""
    value = VALUES[key]
    source = (
        f"# {escape.md_text(value)}\n\n| a | b |\n| --- | --- |\n"
        f"| {escape.md_link(value, 'x y(1).md')} | {escape.md_text(value)} |\n\n"
        f'!!! note "t"\n\n    - {escape.md_text(value)}\n'
    )
    root = _fragment(markdown.markdown(source, extensions=MD_EXTENSIONS))
    tags = sorted({el.tag for el in root.iter() if isinstance(el.tag, str)})
    assert tags == ["a", "div", "h1", "li", "p", "table", "tbody", "td", "th", "thead", "tr", "ul"]
    assert [a.get("href") for a in root.iter("a")] == ["x%20y%281%29.md"]
    texts = [root.find("h1"), *root.iter("td"), root.find(".//li")]
    assert [" ".join(el.text_content().split()) for el in texts] == [shown(value)] * 4
    assert all(not k.startswith("on") for el in root.iter() for k in el.attrib)


@pytest.mark.parametrize("key", sorted(VALUES))
def test_html_text_and_tooltip_attribute(key: str) -> None:
    value = VALUES[key]
    root = _fragment(f'<p title="{escape.html_text(value)}">{escape.html_text(value)}</p>')
    (p,) = root
    assert p.text == shown(value) and p.get("title") == shown(value) and len(p) == 0
    # The theme puts a tooltip's title into innerHTML: decoded once, it must still be text.
    twice = _fragment(f'<abbr title="{escape.tooltip_attr(value)}">x</abbr>')[0].get("title")
    assert len(_fragment(twice)) == 0 and _fragment(twice).text_content() == shown(value)


def test_front_matter_values_stay_strings() -> None:
    """YAML specials, line breaks, and number/bool/date/null-like text come back as the same strings
    through the reader MkDocs uses."""
    fields = {f"k{i}": v for i, v in enumerate(VALUES.values())}
    block = escape.front_matter(fields | {"empty": ""}, settings={"search": {"exclude": True}})
    _, meta = get_data(block + "正文\n")
    assert meta == fields | {"search": {"exclude": True}}
    assert all(type(v) is str for k, v in meta.items() if k != "search")
    assert yaml.safe_load(block.split("---\n")[1]) == meta


def test_text_of_yaml_values() -> None:
    assert [escape.text(v) for v in (123, 1e5, True, dt.date(2023, 1, 1), None, "a")] == [
        "123",
        "100000.0",
        "true",
        "2023-01-01",
        "",
        "a",
    ]


# --- the built site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    project = build_project(base / "project")
    site = base / "site"
    result = build_site(project, site, book=False)
    assert result.returncode == 0, result.stderr
    return site


def _page(site: Path, url: str) -> _Element:
    return lxml.html.fromstring((site / url / "index.html").read_text(encoding="utf-8"))


def _text(el: _Element) -> str:
    """What a reader sees in ``el`` (permalinks ¶ left out), whitespace collapsed."""
    parts = el.xpath('.//text()[not(ancestor::a[contains(@class, "headerlink")])]')
    return " ".join("".join(parts).split())


def _article(root: _Element) -> _Element:
    (article,) = root.xpath('//article[contains(@class, "md-content__inner")]')
    return article


def _assert_inert(root: _Element, where: str) -> None:
    """Nothing on the page comes from a value: no planted element, handler, link or script."""
    planted = [
        f"<{el.tag} {dict(el.attrib)}>"
        for el in root.iter()
        if isinstance(el.tag, str)
        and (
            (el.tag == "img" and el.get("src") == "x")
            or any(k.lower().startswith("on") for k in el.attrib)
            or (el.get("href") or "").strip().lower().startswith("javascript:")
            or (el.tag == "script" and "alert" in (el.text or ""))
            or el.tag in ("abbr", "del", "em")
        )
    ]
    assert planted == [], where


def _site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_page_has_planted_markup(hostile_site: Path) -> None:
    found = _site_pages(hostile_site)
    assert len(found) > 5 * len(VALUES)
    for path in found:
        _assert_inert(lxml.html.fromstring(path.read_text(encoding="utf-8")), str(path.relative_to(hostile_site)))


def _search_rows(site: Path) -> dict[str, list[object]]:
    rows: dict[str, list[object]] = {}
    for shard in sorted((site / "search" / "regbook").glob("m*.bin")):
        for row in json.loads(gzip.decompress(shard.read_bytes())):
            rows[row[0]] = row
    return rows


@pytest.mark.parametrize("key", sorted(VALUES))
def test_regulation_page(hostile_site: Path, key: str) -> None:
    """标题 (with 版本), 发文字号, 制定机关, 主题分类, 修订历史: literal text; title and search intact."""
    value, display = VALUES[key], f"{shown(VALUES[key])}（{shown(VALUES[key])}）"
    root = _page(hostile_site, f"regulations/hostile-law-{key}")
    article = _article(root)
    assert root.findtext(".//title") == f"{display} - {SITE_NAME}"
    assert _text(article.find(".//h1")) == display
    meta = {_text(d.find("dt")): _text(d.find("dd")) for d in article.xpath('.//dl[@class="regbook-meta"]/div')}
    organ = meta.get("制定机关", meta.get("发文机关"))
    assert meta["主题分类"] == organ == shown(value)
    assert meta["发文字号"] == shown(number(key))
    assert meta["时效性"] == "现行有效"
    history = article.xpath('.//details[summary[text()="制定和修改情况"]]//li')
    assert [_text(li) for li in history] == [f"{_history_date(key)} {shown(value)}{shown(value)}"]
    row = _search_rows(hostile_site)[f"regulations/hostile-law-{key}/"]
    assert row == [f"regulations/hostile-law-{key}/", display, number(key), "现行有效"]


def _history_date(key: str) -> str:
    return f"2020年1月{list(VALUES).index(key) + 1}日"


@pytest.mark.parametrize("key", sorted(VALUES))
def test_ended_and_cleaned_up_pages(hostile_site: Path, key: str) -> None:
    """依据 as free text in the banner; the cleanup record's 标题 and 理由 in the 清理情况 block."""
    value = shown(VALUES[key])
    ended = _article(_page(hostile_site, f"regulations/hostile-ended-{key}"))
    (banner,) = ended.xpath('.//div[contains(@class, "admonition") and contains(@class, "danger")]')
    assert f"依据：{shown(basis(key))}。" in _text(banner)
    assert _search_rows(hostile_site)[f"regulations/hostile-ended-{key}/"][1:] == [f"已废止 {value}", "", "已废止"]
    doc = _article(_page(hostile_site, f"regulations/hostile-doc-{key}"))
    (banner,) = doc.xpath('.//div[contains(@class, "admonition") and contains(@class, "danger")]')
    assert [_text(a) for a in banner.iter("a")] == [value]
    (block,) = doc.xpath('.//details[summary[text()="清理情况"]]')
    assert [_text(a) for a in block.iter("a")] == [value]
    assert _text(block).endswith(f"：废止（{value}）")


@pytest.mark.parametrize("key", sorted(VALUES))
def test_cleanup_and_disclosure_pages(hostile_site: Path, key: str) -> None:
    """标题, 报送备案机关, 理由; disclosure 标题 and 发布机构: literal, and the page titles intact."""
    value = shown(VALUES[key])
    root = _page(hostile_site, f"cleanup/hostile-cleanup-{key}")
    article = _article(root)
    assert root.findtext(".//title") == f"{value} - {SITE_NAME}"
    assert _text(article.find(".//h1")) == value
    meta = {_text(d.find("dt")): _text(d.find("dd")) for d in article.xpath('.//dl[@class="regbook-meta"]/div')}
    assert meta["报送备案"] == f"{value}，2024年2月1日"
    (row,) = article.xpath(".//table//tbody/tr")
    assert [_text(td) for td in row.iter("td")] == ["1", f"规范性文件 {value}", "吉国动办发〔2020〕" + str(list(VALUES).index(key) + 1) + "号", "废止", value]
    assert _search_rows(hostile_site)[f"cleanup/hostile-cleanup-{key}/"][1] == value
    root = _page(hostile_site, f"disclosure/fading/hostile-{key}")
    assert root.findtext(".//title") == f"{value} - {SITE_NAME}"
    article = _article(root)
    assert _text(article.find(".//h1")) == value
    meta = {_text(d.find("dt")): _text(d.find("dd")) for d in article.xpath('.//dl[@class="regbook-meta"]/div')}
    assert meta["发布机构"] == value
    assert _search_rows(hostile_site)[f"disclosure/fading/hostile-{key}/"][1] == value


def _links(root: _Element) -> dict[str, str]:
    return {a.get("href"): _text(a) for a in _article(root).iter("a") if a.get("href")}


def test_catalogs_and_lists(hostile_site: Path) -> None:
    """Catalog tables (标题 link, 发文字号), the cleanup list and the disclosure list."""
    catalog = _page(hostile_site, "catalog")
    rows = {_text(tr.find("td")): [_text(td) for td in tr.iter("td")] for tr in _article(catalog).xpath(".//tbody/tr")}
    for k, v in VALUES.items():
        display = f"{shown(v)}（{shown(v)}）"
        assert rows[display][1] == shown(number(k))
        assert rows[f"已废止 {shown(v)}"][4] == "已废止"
    current = {_text(tr.find("td")) for tr in _article(_page(hostile_site, "catalog/current")).xpath(".//tbody/tr")}
    assert {f"{shown(v)}（{shown(v)}）" for v in VALUES.values()} <= current
    cleanup = _links(_page(hostile_site, "cleanup"))
    disclosure = _links(_page(hostile_site, "disclosure"))
    for k, v in VALUES.items():
        assert cleanup[f"hostile-cleanup-{k}/"] == shown(v)
        assert disclosure[f"fading/hostile-{k}/"] == shown(v)


def test_print_page(hostile_site: Path) -> None:
    """The book's HTML on the print page: document titles, 发文字号 and history as text."""
    root = _page(hostile_site, "print_page")
    titles = {_text(h) for h in root.xpath('//h2[@class="doc-title"]')}
    numbers = {_text(p) for p in root.xpath('//p[@class="doc-number"]')}
    history = " ".join(_text(p) for p in root.xpath('//p[@class="doc-history"]'))
    for k, v in VALUES.items():
        assert f"{shown(v)}（{shown(v)}）" in titles
        assert shown(number(k)) in numbers
        assert f"{_history_date(k)}{shown(v)}{shown(v)}" in history


@pytest.mark.parametrize("key", sorted(PAGE_TITLES))
def test_hand_written_title(hostile_site: Path, key: str) -> None:
    """A docs page's ``title:`` (a YAML number, date, boolean, or markup) is shown as text."""
    title = PAGE_TITLES[key][1]
    root = _page(hostile_site, f"hostile-title-{key}")
    assert root.findtext(".//title") == f"{title} - {SITE_NAME}"
    assert _search_rows(hostile_site)[f"hostile-title-{key}/"][1] == title


def test_heading_title_is_not_unescaped(hostile_site: Path) -> None:
    """A page titled by its heading: the theme's ``striptags`` decodes entities; our override
    escapes again, so ``&lt;/title&gt;`` cannot close the <title> element."""
    root = _page(hostile_site, "hostile-heading")
    assert root.findtext(".//title") == f"</title><script>alert(1)</script> - {SITE_NAME}"
    assert [s.text for s in root.iter("script") if "alert" in (s.text or "")] == []


def test_generated_front_matter(tmp_path: Path) -> None:
    """The regulation page's front matter, as MkDocs reads it: strings, the right title and status."""
    project = build_project(tmp_path / "project")
    corpus = corpus_mod.load(project)
    assert [p for p in rules.check(corpus, FIXTURE_TODAY) if p.is_error] == []
    for k, v in VALUES.items():
        reg = corpus.regulation(f"hostile-law-{k}")
        assert reg is not None
        _, meta = get_data(pages.regulation_page(corpus, reg, today=FIXTURE_TODAY))
        assert meta == {"title": f"{v}（{v}）", "regbook_status": "现行有效", "regbook_number": number(k)}


def test_checker_refuses_what_is_genuinely_invalid(tmp_path: Path) -> None:
    """索引号 has a form; a bare 依据 ``123`` reads as an id; a 发文字号 may not hold a line break."""
    project = copy_project(tmp_path / "project")
    path = project / "regulations" / "falv" / "guofang-fa.md"
    text = path.read_text(encoding="utf-8").replace(
        "主题分类:", f"索引号: {json.dumps(INVALID_INDEX_NO)}\n主题分类:", 1
    ).replace("发文字号: 中华人民共和国主席令第六十七号", '发文字号: "主席令\\n第六十七号"', 1)
    path.write_text(text, encoding="utf-8")
    errors = [p.as_text() for p in rules.check(corpus_mod.load(project), FIXTURE_TODAY) if p.is_error]
    assert any(e.startswith("regulations/falv/guofang-fa.md:10: 错误: 索引号格式不对") for e in errors), errors
    assert any(e.startswith("regulations/falv/guofang-fa.md:4: 错误: 发文字号") for e in errors), errors
