"""Search: exact-substring semantics, the index format, and the theme's search box in Chromium.

The browser tests type queries into the site's own search box and compare the result list with
the truth computed from the built pages' text (``test_search_support``): no false hit, no miss.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regbook.search import SearchDoc, build_index, normalise, split_terms
from regbook.search.extract import _fast_text, article_text, reference_text
from regbook.search import index as search_index
from regbook.search.index import gram_hash
from regbook.search.text import matches
from tests.conftest import copy_project, serve
from tests.test_search_support import SearchBox, expected, import_corpus, site_texts

# --- semantics ------------------------------------------------------------------------------


def test_terms_are_split_on_any_whitespace_and_latin_is_case_insensitive() -> None:
    assert split_terms("  人民防空\u3000GB 50038  人民防空 ") == ["人民防空", "gb", "50038"]
    assert split_terms("") == []


def test_normalisation_folds_nothing_but_whitespace_and_ascii_case() -> None:
    assert normalise("吉国动办发〔2023〕5号\n\n第十条　　ＧＢ") == "吉国动办发〔2023〕5号 第十条 ＧＢ"
    text = normalise("依据吉国动办发〔2023〕5号")
    assert matches(text, split_terms("〔2023〕5号"))
    assert not matches(text, split_terms("[2023]5号"))  # brackets are not folded (documented)
    assert not matches(text, split_terms("（2023）5号"))
    assert not matches(text, [])


def test_article_text_leaves_out_permalinks_and_chrome_and_separates_blocks() -> None:
    html = """<html><body><nav>人民防空导航</nav><article class="md-content__inner md-typeset">
    <h1 id="t">标题<a class="headerlink" href="#t">¶</a></h1><p><strong>第十条</strong> 人民<em>防空</em></p>
    <p>第十</p><p>一条</p><script>var 脚本 = 1</script></article><footer>页脚</footer></body></html>"""
    text = normalise(article_text(html))
    assert "第十条 人民防空" in text
    assert "¶" not in text and "导航" not in text and "页脚" not in text and "脚本" not in text
    assert "第十一条" not in text  # two paragraphs never join into one word


_TEXTS = ["人民", "防空", " ", "\n", "&amp;", "&lt;", "&#160;", "&#x4eba;", "<br />", '<img src="x.png" alt="图" />',
          '<svg viewBox="0 0 1 1"><path d="M0"/></svg>', '<a class="headerlink" href="#t" title="本段链接">&para;</a>', "<!-- regbook:x -->"]
_PAIRS = ["p", "div", "span", "strong", "a", "sup", "li", "ul", "h2", "td", "tr", "table", "dl", "dt", "dd", "details", "summary", "mark", "pre", "code", "b", "wbr"]
_ODD = ["<p>", "</p>", "</div>", "<li>", "</li>", "<td>", "<br>", "<wbr>", "<hr>", "<p/>", "<span/>", "<P>", "</P>", "<o:p>", "</article>",
        "&apos;", "&nbsp", "&", "&#128;", "&#0;", "<", ">", "\x01", "<a class='headerlink'>¶</a>", '<a class="headerlink"><b>¶</b></a>',
        "<!-- a", '<a title="a>b">', "<svg>", "</svg>", "<script>var x = '<p>';</script>", "<x-y>", "</x-y>"]


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    """Article markup: mostly well-nested elements and text, sometimes a stray or odd token."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind < 4 and depth < 4:
            tag = draw(st.sampled_from(_PAIRS))
            parts.append(f"<{tag}>{draw(_markup(depth + 1))}</{tag}>")
        elif kind < 9:
            parts.append(draw(st.sampled_from(_TEXTS)))
        else:
            parts.append(draw(st.sampled_from(_ODD)))
    return "".join(parts)


def _page(article: str) -> str:
    return (
        '<html><head><title>t</title><script>var a = "<article>";</script></head><body><nav>导航</nav>'
        f'<div class="md-content"><article class="md-content__inner md-typeset">{article}</article></div>'
        "<footer>页脚</footer></body></html>"
    )


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_the_fast_extraction_reads_any_markup_as_lxml_does(article: str) -> None:
    """``article_text`` takes regular expressions where they read the markup as lxml (the reference)
    does and lxml elsewhere: the same normalised text either way."""
    page = _page(article)
    assert normalise(article_text(page)) == normalise(reference_text(page))


def test_the_fast_extraction_takes_well_formed_articles_and_leaves_doubtful_ones_to_lxml() -> None:
    fine = '<h2 id="t">第一章<a class="headerlink" href="#t">&para;</a></h2><p><strong>第一条</strong> 人民&amp;防空<br />下文</p>'
    assert normalise(_fast_text(_page(fine)) or "") == "第一章 第一条 人民&防空 下文"
    for doubtful in ["<p>甲<p>乙</p>丙</p>", "甲</div>乙", "<b><p>甲</p></b>", "&apos;", "<source>甲", "<li>甲<li>乙</li></li>"]:
        assert _fast_text(_page(doubtful)) is None, doubtful


def test_a_line_break_opportunity_does_not_split_a_word() -> None:
    """The 索引号 may break after its "/" on screen (``<wbr>``); it is found as typed."""
    dd = '<dl><div><dt>索引号</dt><dd><span class="regbook-nowrap">11220000MB1949XXXX/</span><wbr><span class="regbook-nowrap">2022-00004</span></dd></div></dl>'
    for read in (_fast_text, reference_text):
        assert "索引号 11220000mb1949xxxx/2022-00004" in normalise(read(_page(dd)) or "")


# --- index format: decode the postings in Python and compare with the texts ---------------


def _varints(data: bytes) -> Iterator[int]:
    value, shift = 0, 0
    for b in data:
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            yield value
            value, shift = 0, 0


def _decode(folder: Path) -> dict[str, dict[int, list[int]]]:
    """gram → {doc: positions} (positions empty for 1- and 2-character grams)."""
    head = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    out: dict[str, dict[int, list[int]]] = {}
    for shard in range(head["gramShards"]):
        it = _varints(gzip.decompress((folder / f"g{shard}.bin").read_bytes()))
        for k in it:
            cps = [next(it) for _ in range(k)]
            gram = "".join(map(chr, cps))
            assert gram_hash(cps) % head["gramShards"] == shard  # the worker looks for it there
            docs: dict[int, list[int]] = {}
            doc = 0
            for _ in range(next(it)):
                doc += next(it)
                positions: list[int] = []
                if k == 3:
                    pos = 0
                    for _ in range(next(it)):
                        pos += next(it)
                        positions.append(pos)
                docs[doc] = positions
            assert gram not in out
            out[gram] = docs
    return out


ALPHABET = "人民防空地下室〔〕2035号第十条gb 　\n"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=6))
def test_postings_list_exactly_the_grams_of_every_text(tmp_path_factory: pytest.TempPathFactory, raw: list[str]) -> None:
    folder = tmp_path_factory.mktemp("index")
    docs = [SearchDoc(f"d{i}/", f"文件{i}", "", "现行有效", normalise(t)) for i, t in enumerate(raw)]
    stats = build_index(docs, folder, target_shard_bytes=64)
    decoded = _decode(folder)
    truth: dict[str, dict[int, list[int]]] = {}
    for i, d in enumerate(docs):
        for k in (1, 2, 3):
            for p in range(len(d.text) - k + 1):
                gram = d.text[p : p + k]
                if " " not in gram:
                    truth.setdefault(gram, {}).setdefault(i, [])
                    if k == 3:
                        truth[gram][i].append(p)
    assert decoded == truth
    assert stats.docs == len(docs)
    meta = json.loads(gzip.decompress((folder / "m0.bin").read_bytes()))
    assert meta[0] == ["d0/", "文件0", "", "现行有效"]



@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=6))
def test_the_index_is_the_same_bytes_whatever_the_encoding_chunk_or_sort(tmp_path_factory: pytest.TempPathFactory, raw: list[str]) -> None:
    """The postings are encoded a few million occurrences at a time (bounded memory): chunks of
    a handful of occurrences write exactly the bytes of one chunk; sorting (gram, low) as two
    arrays writes the bytes of the packed sort."""
    docs = [SearchDoc(f"d{i}/", f"文件{i}", "", "现行有效", normalise(t)) for i, t in enumerate(raw)]
    whole, chunked, unpacked = (tmp_path_factory.mktemp(name) for name in ("whole", "chunked", "unpacked"))
    build_index(docs, whole, target_shard_bytes=64)
    saved = search_index.CHUNK_OCCURRENCES, search_index.PACK_BITS
    search_index.CHUNK_OCCURRENCES = 3
    try:
        build_index(docs, chunked, target_shard_bytes=64)
        search_index.PACK_BITS = 0  # (gram, low) sorted as two arrays, as for a corpus of very many distinct characters
        build_index(docs, unpacked, target_shard_bytes=64)
    finally:
        search_index.CHUNK_OCCURRENCES, search_index.PACK_BITS = saved
    files = sorted(f.name for f in whole.iterdir())
    for other in (chunked, unpacked):
        assert files == sorted(f.name for f in other.iterdir())
        assert all((whole / f).read_bytes() == (other / f).read_bytes() for f in files)

# --- the search box in headless Chromium ----------------------------------------------------

SAMPLE_QUERIES = [
    "人民防空",
    "防空地下室",
    "行政处罚",
    "吉国动办发〔2023〕5号",  # a whole 发文字号
    "〔2023〕5号",  # part of one
    "[2023]5号",  # other brackets do not match 〔〕 (documented)
    "第四十八条",
    "国务院令第711号",
    "NPC",  # Latin, upper case typed, lower case on the page
    "2023",
    "吉人防发〔2019〕6号",  # a repealed document
    "人民防空 裁量",  # two terms
    "GB/T 9704",  # a standard's number (two terms: gb/t and 9704)
    "9704-2012",
    "11220000MB1949XXXX/2022-00004",  # a 索引号, which may break after its "/" (<wbr>) on screen
]

DEFENSE_QUERIES = [
    "人民防空",
    "防空地下室",
    "行政处罚",
    "第十条",
    "国务院令第711号",
    "〔2015〕9号",
    "中华人民共和国",
    "2023",
    "兵役 征集",
    "预备役 第五十三条",
    "行政处罚法",  # its trigrams occur in more pages than the phrase: only aligned positions count
    "NPC",
]


def _check_queries(browser, site: Path, url: str, queries: list[str]) -> None:  # type: ignore[no-untyped-def]
    texts = site_texts(site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    box = SearchBox(page)
    box.open(url)
    wrong = {}
    for q in queries:
        answer = box.query(q)
        truth = expected(texts, q)
        got = answer.locations
        assert len(got) == len(set(got)), f"{q}: duplicate results"
        if set(got) != truth:
            wrong[q] = {"false hits": sorted(set(got) - truth), "misses": sorted(truth - set(got))}
        shown = answer.shown
        assert (str(len(truth)) in shown) if truth else ("没有" in shown), f"{q}: the theme shows {shown!r}"
    page.close()
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)




@pytest.mark.browser
@pytest.mark.slow
def test_search_box_finds_exactly_the_pages_that_contain_the_query(browser, sample_site: Path, sample_url: str) -> None:  # type: ignore[no-untyped-def]
    _check_queries(browser, sample_site, sample_url, SAMPLE_QUERIES)


@pytest.mark.browser
@pytest.mark.slow
def test_results_rank_title_and_number_first_show_status_and_highlight_the_opened_page(browser, sample_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    box = SearchBox(page)
    box.open(sample_url)
    box.query("〔2023〕5号")
    first = page.locator(".md-search-result__item").first
    assert "〔2023〕5号" in first.locator(".regbook-search-meta").inner_text()
    assert "现行有效" in first.locator(".regbook-status").inner_text()
    answer = box.query("吉人防发")
    statuses = [s.inner_text() for s in page.locator(".md-search-result__item .regbook-status").all()]
    assert len(statuses) >= 2 and statuses.index("已废止") > statuses.index("现行有效"), statuses
    assert answer.locations
    # Enter opens the best result; the opened page marks the exact query text.
    box.query("防空地下室")
    page.keyboard.press("Enter")
    page.wait_for_url("**/regulations/**h=**")
    page.wait_for_selector("article mark[data-md-highlight]")
    marks = {m.inner_text() for m in page.locator("article mark[data-md-highlight]").all()}
    assert marks == {"防空地下室"}, marks
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_search_fetches_from_its_own_host_only_and_reuses_what_it_fetched(browser, sample_url: str) -> None:  # type: ignore[no-untyped-def]
    own = urlsplit(sample_url).netloc
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    box = SearchBox(page)
    box.open(sample_url)
    box.query("防空地下室")
    box.query("人民防空 裁量")
    page.wait_for_load_state("networkidle")
    fetched = [u for u in requests if "/search/regbook/" in u]
    assert fetched and len(fetched) == len(set(fetched)), fetched  # shards are fetched once
    before = len(requests)
    box.query("防空地下室")
    page.wait_for_load_state("networkidle")
    assert requests[before:] == [], "a repeated query fetched again"
    foreign = [u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own]
    assert foreign == []
    page.close()


REGBOOK = [sys.executable, "-m", "regbook.cli"]


@pytest.fixture(scope="session")
def defense_site(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project plus ``regbook import`` of ../shared/corpus/defense, built once (no PDF)."""
    project = copy_project(tmp_path_factory.mktemp("defense") / "project")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0"}
    if subprocess.run([*REGBOOK, "import", "--help"], capture_output=True, env=env).returncode != 0:
        pytest.skip("regbook import 尚不可用：无法导入 defense 语料")
    imported, patched, dropped = import_corpus(project, shared_corpus / "defense", env)
    assert imported >= 50 and len(dropped) <= 3, (imported, patched, dropped)  # 63 texts, some already in the sample
    site = project / "site"
    built = subprocess.run(
        [*REGBOOK, "build", "--root", str(project), "--site-dir", str(site)], capture_output=True, text=True, env=env
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return site


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.corpus
def test_search_box_is_exact_on_the_imported_defense_corpus(browser, defense_site: Path) -> None:  # type: ignore[no-untyped-def]
    server, url = serve(defense_site)
    try:
        _check_queries(browser, defense_site, url, DEFENSE_QUERIES)
    finally:
        server.shutdown()
        server.server_close()
