"""Government-grade fidelity (issue 12, part 2): the official text forms in the book (题注, 主送机关,
落款, titles broken between words), the compendium's order and front matter (outline, 编辑说明,
示例), and a site that looks like a Chinese government site (footer, 政府网站 meta tags, no English
in the chrome, no developer or editors' pages)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest

from regbook import corpus as corpus_mod
from regbook import govsite, outline, wordbreak
from regbook.book import html as book_html
from regbook.book.selection import select
from regbook.model import HistoryEvent, Level, Regulation
from regbook.pages import catalog_page

from .conftest import FIXTURE, FIXTURE_TODAY, build_site, copy_project

SAMPLE = corpus_mod.load(FIXTURE)
_CAPTION_EVENT = re.compile(r"^(?:根据)?\d{4}年\d{1,2}月\d{1,2}日.+(?:通过|公布|发布|修正|修订)$")


# --- 题注 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reg", [r for r in SAMPLE.regulations if r.level is Level.LAW and r.history], ids=lambda r: r.id)
def test_law_caption_is_the_official_form(reg: Regulation) -> None:
    """Check that each national law's 题注 is 「（…通过　根据…《…决定》修正　…修订）」: full-width
    brackets, events joined by one full-width space, each a dated 通过/修正/修订, no 施行."""
    text = book_html.caption(reg.history)
    assert text.startswith("（") and text.endswith("）")
    events = text[1:-1].split("　")
    assert all(_CAPTION_EVENT.match(e) for e in events), events
    assert "施行" not in text and "  " not in text and " " not in text
    made = [e for e in reg.history if not e.event.endswith(("施行", "实施", "生效"))]
    assert len(events) == len(made)
    for event, source in zip(events, made):
        assert event.startswith("根据") == source.event.startswith("《"), event


def test_caption_of_the_air_defence_law_word_for_word() -> None:
    """Check the 人民防空法's 题注 against the official text (its 施行 entry left out)."""
    reg = SAMPLE.regulation("renmin-fangkong-fa")
    assert reg is not None and any(e.event == "施行" for e in reg.history)
    assert book_html.caption(reg.history) == (
        "（1996年10月29日第八届全国人民代表大会常务委员会第二十二次会议通过　根据2009年8月27日"
        "第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》修正）"
    )


def test_caption_of_only_effective_events_is_empty() -> None:
    assert book_html.caption([HistoryEvent(dt.date(2020, 1, 1), "施行")]) == ""


def test_book_prints_the_caption_once() -> None:
    """Check that a body with its own 题注 gets the official one from 修订历史 only (not twice)."""
    reg = SAMPLE.regulation("renmin-fangkong-fa")
    assert reg is not None
    body = "（1996年10月29日第八届全国人民代表大会常务委员会第二十二次会议通过　根据2009年8月27日第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》修正）\n\n第一条 正文。\n"
    with_caption = Regulation(**{**reg.__dict__, "body": body, "body_line": 20})
    book = select(corpus_mod.Corpus(FIXTURE, regulations=[with_caption]), FIXTURE_TODAY)
    html = book_html.Renderer(corpus_mod.Corpus(FIXTURE, regulations=[with_caption]), book).document(book.entries[0])
    assert html.count("第二十二次会议通过") == 1 and 'class="doc-history"' in html


# --- 主送机关 and 落款 ---------------------------------------------------------------------


NOTICE = """!!! note "示例文本"

    示例。

各市（州）、长白山管委会、梅河口市人民防空办公室：

为做好工作，现就有关事项通知如下：

一、按时报送。

吉林省人民防空办公室
2022年8月15日
"""


def _render(md: str) -> lxml.html.HtmlElement:
    converter = book_html.new_markdown()
    return lxml.html.fromstring(f"<div>{converter.convert(book_html.layout_body(md))}</div>")


def test_notice_addressee_left_and_signature_right() -> None:
    """Check the 主送机关 (flush left) and the 落款 (organ, date: separate lines on the right)."""
    root = _render(NOTICE)
    addressee = root.cssselect("p.doc-addressee")
    assert [p.text_content() for p in addressee] == ["各市（州）、长白山管委会、梅河口市人民防空办公室："]
    sign = [p.text_content() for p in root.cssselect("p.regbook-right.doc-sign")]
    assert sign == ["吉林省人民防空办公室", "2022年8月15日"]
    assert "如下" not in " ".join(p.text_content() for p in addressee)


def test_no_addressee_or_signature_in_a_law_or_a_sentence() -> None:
    """Check that an intro ending in 「：」 with a comma, articles and a last sentence are left alone."""
    root = _render("为保证设施完好，现就有关事项通知如下：\n\n第一条 本法自2021年1月1日起施行。\n")
    assert not root.cssselect(".doc-addressee") and not root.cssselect(".doc-sign")
    root = _render("各有关单位：\n\n正文。\n\n本通知自印发之日起施行。\n")
    assert root.cssselect(".doc-addressee") and not root.cssselect(".doc-sign")


# --- titles break between words -----------------------------------------------------------


@pytest.mark.parametrize("title", [r.display_title for r in SAMPLE.regulations])
def test_title_words_keep_the_text_and_terms(title: str) -> None:
    """Check that word spans hold the title unchanged, the field's terms whole, brackets attached."""
    words = wordbreak.words(title)
    assert "".join(words) == title
    for term in ("人民防空", "国防动员"):
        if term in title:
            assert any(term in w for w in words), (term, words)
    assert not any(w[0] in "）》〉，、" for w in words[1:]) and not any(w[-1] in "（《〈" for w in words[:-1])
    assert lxml.html.fromstring(f"<p>{wordbreak.title_html(title)}</p>").text_content() == title


def test_page_headings_get_word_spans_and_keep_their_permalink() -> None:
    html = '<h1 id="a">吉林省人民防空办公室关于加强&lt;b&gt;管理的通知<a class="headerlink" href="#a" title="本段链接">¶</a></h1>'
    out = wordbreak.headings(html)
    assert '<span class="regbook-word">人民防空办公室</span>' in out and "&lt;b&gt;" in out and "<b>" not in out
    assert out.endswith('<a class="headerlink" href="#a" title="本段链接">¶</a></h1>')


# --- order, outline and front matter -------------------------------------------------------


def test_default_order_puts_the_basic_law_first_and_national_before_local() -> None:
    """Check the default order (no outline): 国防法 before older laws; national before local."""
    laws = [r for r in SAMPLE.regulations if r.level is Level.LAW]
    ordered = outline.Outline().sorted(laws)
    assert ordered[0].id == "guofang-fa"
    others = [r for r in SAMPLE.regulations if r.level is Level.OTHER_NORMATIVE]
    locality = [outline.is_local(r.issuer) for r in outline.Outline().sorted(others)]
    assert locality == sorted(locality)
    assert outline.is_local("吉林省人民防空办公室") and outline.is_local("长春市人民政府")
    assert not outline.is_local("国家人民防空办公室") and not outline.is_local("国务院、中央军事委员会")
    assert not outline.is_local("住房和城乡建设部") and not outline.is_local("全国人民代表大会常务委员会")


def test_book_and_catalog_start_in_outline_order() -> None:
    """Check that the book's first documents and the catalog's laws follow the outline file."""
    listed = [i.id for i in SAMPLE.outline.order[Level.LAW]]
    book = select(SAMPLE, FIXTURE_TODAY, FIXTURE_TODAY)
    assert [e.id for e in book.entries[: len(listed)]] == listed
    catalog = catalog_page(SAMPLE, "catalog/index.md", FIXTURE_TODAY)
    law_section = catalog.split("## 法律", 1)[1].split("## ", 1)[0]
    linked = re.findall(r"\]\(\.\./regulations/([^/)]+)\.md\)", law_section)
    assert linked[: len(listed)] == listed


def test_outline_file_is_loaded_not_warned_about_and_marks_the_sample() -> None:
    assert SAMPLE.outline.present and SAMPLE.outline.sample
    assert not [p for p in SAMPLE.problems if "汇编目录" in p.path]


def test_outline_parse_sample_off_and_empty_groups() -> None:
    parsed, problems = outline.parse("示例: 否\n法律:\n  - a\n规章:\n")
    assert not problems and parsed.sample is False and [i.id for i in parsed.order[Level.LAW]] == ["a"]


def test_preface_and_sample_marks_in_the_book_html() -> None:
    """Check the 编辑说明 (截至 date, 立法法's 标准文本 articles, order) and the 示例 marks."""
    book = select(SAMPLE, FIXTURE_TODAY, FIXTURE_TODAY)
    html = book_html.Renderer(SAMPLE, book).volume_html(book.volumes[0])
    preface = html[html.index('<section class="preface"') : html.index('<nav class="toc"')]
    assert "编辑说明" in preface and "截至2026年12月2日" in preface
    assert "第六十二条、第七十八条" in preface and "为标准文本" in preface and "基本法律在前" in preface
    assert html.index('class="cover"') < html.index('class="preface"') < html.index('class="toc"')
    assert 'class="cover-sample">示例<' in html and 'content: "示例　" string(group)' in html
    unmarked = select(corpus_mod.Corpus(FIXTURE, regulations=SAMPLE.regulations), FIXTURE_TODAY, FIXTURE_TODAY)
    plain = book_html.Renderer(SAMPLE, unmarked).volume_html(unmarked.volumes[0])
    assert 'class="cover-sample"' not in plain and '"示例　"' not in plain


# --- the built site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("official")
    result = build_site(copy_project(base / "project"), base / "site", book=False)
    assert result.returncode == 0, result.stderr
    return base / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("assets/"))


def _metas(doc: lxml.html.HtmlElement) -> dict[str, str]:
    return {m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@name]")}


def test_no_developer_or_guide_pages(site: Path) -> None:
    assert not (site / "dev").exists() and not (site / "guide").exists()
    assert not [p for p in _pages(site) if "/dev/" in p.as_posix() or "/guide/" in p.as_posix()]
    assert "guide/" not in (site / "index.html").read_text(encoding="utf-8")


def test_footer_and_meta_tags_on_every_page(site: Path) -> None:
    """Check every page type (home, catalog, regulation, cleanup, disclosure, print, 404): the
    footer's 主办单位, 网站标识码 and ICP link, no 'Made with', and the site and column meta tags."""
    kinds = {"index.html", "catalog/index.html", "regulations/guofang-fa/index.html", "404.html", "print_page/index.html"}
    seen = set()
    for path in _pages(site):
        rel = path.relative_to(site).as_posix()
        seen.add(rel)
        text = path.read_text(encoding="utf-8")
        doc = lxml.html.fromstring(text)
        footer = " ".join(doc.xpath("string(//footer)").split())
        assert "主办单位：吉林省国防动员办公室" in footer and "网站标识码：" in footer, rel
        assert doc.xpath('//footer//a[@href="https://beian.miit.gov.cn/"]'), rel
        assert "Made with" not in text and "Material for MkDocs" not in footer, rel
        meta = _metas(doc)
        assert meta.get("SiteName") == "吉林省国防动员法律法规汇编" and meta.get("SiteIDCode"), rel
        assert meta.get("ColumnName") and meta.get("ColumnType"), rel
        head = text[: text.index("</head>")]
        assert head.index('http-equiv="Content-Security-Policy"') < head.index('name="SiteName"'), rel
    assert kinds <= seen
    assert any(r.startswith("cleanup/") for r in seen) and any(r.startswith("disclosure/") for r in seen)


def test_article_meta_tags_from_the_metadata(site: Path) -> None:
    reg = SAMPLE.regulation("jilin-renfang-jingbao-sheshi-guanli-tongzhi")
    assert reg is not None
    meta = _metas(lxml.html.fromstring((site / "regulations" / reg.id / "index.html").read_text(encoding="utf-8")))
    assert meta["ArticleTitle"] == reg.display_title and meta["PubDate"] == reg.published.isoformat()
    assert meta["ContentSource"] == reg.issuer and meta["ColumnName"] == "法规目录"
    assert reg.number and reg.number in meta["Description"]
    item = SAMPLE.disclosures[0]
    dest = site / item.src_uri.removesuffix(".md") / "index.html"
    meta = _metas(lxml.html.fromstring(dest.read_text(encoding="utf-8")))
    assert meta["ArticleTitle"] == item.title and meta["PubDate"] == item.published.isoformat()
    assert meta["ColumnName"] == "政府信息公开"


def test_meta_values_are_escaped() -> None:
    tags = govsite.meta_tags(govsite.SiteInfo('a"><script>'), "regulations/x.md", govsite.Article('t"<b>', dt.date(2020, 1, 2)))
    assert "<script>" not in tags and "<b>" not in tags and '&quot;' in tags
    assert 'name="PubDate" content="2020-01-02"' in tags


ALLOWED_ENGLISH = re.compile(r"^(?:PDF|GB/T|ICP|Atom|JSON|CSV|SHA-256|ZIP|id|HTML|A4)$")


class _Chrome(HTMLParser):
    """English words in what a reader sees outside the article text: text nodes and the
    attributes browsers show or read aloud (aria-label, title, placeholder, alt)."""

    SKIP = {"script", "style", "code", "pre", "svg", "article", "head"}
    VOID = {"meta", "link", "input", "img", "br", "hr", "wbr", "source", "path"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.found: list[str] = []

    def _words(self, text: str) -> None:
        self.found += [w for w in re.findall(r"[A-Za-z][A-Za-z/-]+", text) if not ALLOWED_ENGLISH.match(w)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)
        for key, value in attrs:
            if key in ("aria-label", "title", "placeholder", "alt") and value:
                self._words(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.SKIP & set(self.stack):
            self._words(data)


def test_no_english_in_the_visible_chrome(site: Path) -> None:
    """Check header, navigation, footer, 404 and theme labels of every page: Chinese only."""
    english: dict[str, list[str]] = {}
    for path in _pages(site):
        parser = _Chrome()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.found:
            english[path.relative_to(site).as_posix()] = sorted(set(parser.found))
    assert not english, english
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in not_found and "找不到该页面" in not_found
