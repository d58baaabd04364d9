"""The book's bodies taken from the site's pages (``regbook.book.from_site``, issue 15): byte for
byte what ``Renderer.body`` converts, on the sample, on its variants (题注, a heading sharing the
title's id, a link the site reads differently) and on the imported defense texts; the print page
the same as converted; a fallback wherever the derivation could differ."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Iterator, Mapping

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from regbook import importer
from regbook.book import from_site
from regbook.book import site as book_site
from regbook.book.html import Renderer
from regbook.mkdocs_plugin.plugin import RegbookPlugin
from tests.conftest import FIXTURE_TODAY, copy_project


@pytest.fixture(scope="module")
def build_env() -> Iterator[None]:
    """The environment of ``build_site(book=False)``, for a build in this process."""
    saved = dict(os.environ)
    os.environ.update({"NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0", "REGBOOK_TODAY": FIXTURE_TODAY.isoformat()})
    os.environ.pop("REGBOOK_CHECKED", None)
    yield
    os.environ.clear()
    os.environ.update(saved)


def built(project: Path, site: Path) -> RegbookPlugin:
    """``mkdocs build`` of ``project`` in this process; a snapshot of its regbook plugin, holding the
    site's bodies. A snapshot: MkDocs keeps one instance of a plugin with ``on_startup`` for the
    whole process (``config_options.Plugins.plugin_cache``, for ``serve``), and the bodies it keeps
    between builds would otherwise be those of whichever fixture built last."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    plugin = config.plugins["regbook"]
    assert isinstance(plugin, RegbookPlugin)
    snapshot = copy.copy(plugin)
    snapshot.site_bodies, snapshot.page_sources = dict(plugin.site_bodies), dict(plugin.page_sources)
    if plugin.book_bodies is not None:
        snapshot.book_bodies = from_site.Bodies(plugin.book_bodies.deriver, snapshot.site_bodies, snapshot.page_sources)
    return snapshot


def derived(plugin: RegbookPlugin) -> dict[str, str | None]:
    """Every regulation's body derived from its page (``None``: the book converts it itself)."""
    assert plugin.corpus is not None and plugin.plan is not None
    deriver = from_site.Deriver(plugin.corpus, Renderer(plugin.corpus, plugin.plan))
    return {r.id: deriver.body(r, plugin.site_bodies[r.id]) for r in plugin.corpus.regulations}


def assert_exact(plugin: RegbookPlugin, bodies: dict[str, str | None]) -> None:
    assert plugin.corpus is not None and plugin.plan is not None
    renderer = Renderer(plugin.corpus, plugin.plan)
    for reg in plugin.corpus.regulations:
        body = bodies[reg.id]
        assert body is None or body == renderer.body(reg), reg.path


@pytest.fixture(scope="module")
def sample(build_env: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[RegbookPlugin, Path]:
    base = tmp_path_factory.mktemp("from-site")
    return built(copy_project(base / "project"), base / "site"), base / "site"


def test_every_sample_body_is_derived_exactly(sample: tuple[RegbookPlugin, Path]) -> None:
    """All 22: articles, links (same folder and repository form), 主送机关 and 落款, a heading
    followed by Chinese text (the permalink kept a line break the book drops)."""
    plugin, _ = sample
    bodies = derived(plugin)
    assert len(bodies) == 22 and all(b is not None for b in bodies.values())
    assert_exact(plugin, bodies)


def test_print_page_is_the_converted_book(sample: tuple[RegbookPlugin, Path]) -> None:
    """The print page built from the site's bodies holds exactly the book converted from Markdown."""
    plugin, site = sample
    assert plugin.corpus is not None and plugin.plan is not None
    page = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    assert book_site.print_page_html(plugin.corpus, plugin.plan, 0) in page
    assert plugin.book_bodies is not None and all(e.id in plugin.book_bodies for e in plugin.plan.entries)


def test_no_mark_is_left_on_the_site(sample: tuple[RegbookPlugin, Path]) -> None:
    _, site = sample
    pages = [p.read_text(encoding="utf-8") for p in (site / "regulations").rglob("index.html")]
    assert len(pages) == 22 and not any(from_site.MARK_PREFIX in p for p in pages)


def test_a_stale_body_is_not_used(sample: tuple[RegbookPlugin, Path]) -> None:
    """Under ``serve --dirty`` a page not rendered again keeps its body only while its Markdown
    is the one it was rendered from."""
    plugin, _ = sample
    source = plugin.page_sources["guofang-fa"]
    try:
        plugin.page_sources["guofang-fa"] = source + "\n第九十九条 新加的条文。\n"
        plugin.book_bodies = None
        bodies = plugin._book_bodies(directory_urls=True)
        stale, fresh = "guofang-fa" in bodies, "guofang-dongyuan-fa" in bodies
    finally:
        plugin.page_sources["guofang-fa"] = source
        plugin.book_bodies = None
    assert not stale and fresh


CAPTION = "（2010年2月26日第十一届全国人民代表大会常务委员会第十三次会议通过）"


@pytest.fixture(scope="module")
def variants(build_env: None, tmp_path_factory: pytest.TempPathFactory) -> RegbookPlugin:
    """The sample with a 题注 after the 示例文本 note (as the live content has them), a heading
    with the page title's id, and a link that works on the site only (另一文件夹, site form)."""
    base = tmp_path_factory.mktemp("from-site-variants")
    project = copy_project(base / "project")
    regs = project / "regulations"
    path = regs / "falv" / "guofang-dongyuan-fa.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n## 第一章 总则\n", f"\n{CAPTION}\n\n## 第一章 总则\n", 1), encoding="utf-8")
    path = regs / "falv" / "guofang-fa.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n## 第一章 总则\n", "\n## 中华人民共和国国防法（2020年修订）\n\n## 第一章 总则\n", 1), encoding="utf-8")
    path = regs / "falv" / "renmin-fangkong-fa.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\n参见[行政规章](jilin-renfang-gongcheng-jianshe-guanli-guiding.md)。\n", encoding="utf-8")
    return built(project, base / "site")


def test_variants_derive_exactly_or_fall_back(variants: RegbookPlugin) -> None:
    bodies = derived(variants)
    assert_exact(variants, bodies)
    assert {k for k, v in bodies.items() if v is None} == {"guofang-fa", "renmin-fangkong-fa"}
    body = bodies["guofang-dongyuan-fa"]
    assert body is not None and CAPTION not in body  # the book prints the 题注 from 修订历史


@pytest.fixture(scope="module")
def defense(build_env: None, shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> RegbookPlugin:
    base = tmp_path_factory.mktemp("from-site-defense")
    project = copy_project(base / "project")
    importer.import_sources(project, [shared_corpus / "defense"], today=dt.date(2026, 11, 28))
    return built(project, base / "site")


@pytest.mark.corpus
def test_defense_bodies_derive_exactly(defense: RegbookPlugin) -> None:
    """The imported defense texts (75 with the sample's): every body derived, every one exact."""
    bodies = derived(defense)
    assert len(bodies) >= 70 and all(b is not None for b in bodies.values())
    assert_exact(defense, bodies)


# --- the mark and the fallbacks, case by case ------------------------------------------------


def test_cut_gives_the_page_as_without_the_mark() -> None:
    mark = from_site.body_mark("t0")
    head = '<h1 id="标题">标题</h1>\n<dl class="regbook-meta"><div><dt>a</dt></div></dl>\n\n'
    body = "<p>第一条 正文。</p>"
    page, found = from_site.cut(f"{head}{mark}\n\n{body}", mark, "source")
    assert page == f"{head}{body}" and found == from_site.SiteBody(body, "标题", "source")
    page, found = from_site.cut(f"{head}{mark}", mark, "source")  # an empty body: the page ends before it
    assert page == head.rstrip("\n") and found is not None and found.html == ""


def test_a_body_cannot_fake_the_mark() -> None:
    """The mark's token is random: a body writing a mark writes another token, which is body text
    (and makes the derivation fall back: a comment is raw HTML); the mark twice gives no body."""
    assert from_site.body_mark() != from_site.body_mark()
    assert RegbookPlugin().body_mark != RegbookPlugin().body_mark
    mark, fake = from_site.body_mark("real"), from_site.body_mark("fake")
    page, found = from_site.cut(f"<h1 id=\"t\">t</h1>\n{mark}\n\n<p>a</p>\n{fake}\n<p>b</p>", mark, "")
    assert found is not None and fake in found.html and mark not in page
    page, found = from_site.cut(f"<h1 id=\"t\">t</h1>\n{mark}\n\n<p>a</p>\n{mark}\n\n<p>b</p>", mark, "")
    assert found is None and mark not in page


def test_unusual_bodies_fall_back(sample: tuple[RegbookPlugin, Path]) -> None:
    """An emoji shortcode (the site converts it, the book does not), a comment faking the mark, raw
    HTML, an image: the book converts such a body itself."""
    plugin, _ = sample
    assert plugin.corpus is not None and plugin.plan is not None
    deriver = from_site.Deriver(plugin.corpus, Renderer(plugin.corpus, plugin.plan))
    reg = plugin.corpus.regulation("guofang-fa")
    assert reg is not None
    site = plugin.site_bodies[reg.id]
    assert deriver.body(reg, site) is not None
    for extra in (":smile:", from_site.body_mark("fake"), "<u>重点</u>", "![图](../files/x.png)"):
        changed = dataclasses.replace(reg, body=f"{reg.body}\n\n第九十九条 {extra}\n")
        assert deriver.body(changed, site) is None, extra


def test_a_body_that_differs_from_its_page_falls_back(sample: tuple[RegbookPlugin, Path]) -> None:
    """Each check on the HTML: an article the page does not have, a 落款 not at the end, a
    主送机关 not there (the page's HTML is not what the body's Markdown makes)."""
    plugin, _ = sample
    assert plugin.corpus is not None and plugin.plan is not None
    deriver = from_site.Deriver(plugin.corpus, Renderer(plugin.corpus, plugin.plan))
    reg = plugin.corpus.regulation("jilin-renfang-jingbao-sheshi-guanli-tongzhi")
    assert reg is not None
    site = plugin.site_bodies[reg.id]
    assert deriver.body(reg, site) is not None
    missing_article = dataclasses.replace(reg, body=f"第一条 新增。\n\n{reg.body}")
    assert deriver.body(missing_article, site) is None
    other_sign = dataclasses.replace(site, html=site.html.replace("2022年8月15日", "2022年8月16日"))
    assert deriver.body(reg, other_sign) is None
    other_addressee = dataclasses.replace(site, html=site.html.replace("梅河口市人民防空办公室：", "梅河口市人防办："))
    assert deriver.body(reg, other_addressee) is None


def test_the_book_asks_for_each_body_once(sample: tuple[RegbookPlugin, Path]) -> None:
    """The bodies are derived when asked for: the book asks for each printed one once and never
    walks the mapping (which would derive every body)."""
    plugin, _ = sample
    assert plugin.corpus is not None and plugin.plan is not None
    asked: list[str] = []

    class Counting(Mapping[str, str]):
        def __getitem__(self, key: str) -> str:
            asked.append(key)
            raise KeyError(key)

        def __iter__(self) -> Iterator[str]:
            raise AssertionError("walked")

        def __len__(self) -> int:
            raise AssertionError("counted")

    Renderer(plugin.corpus, plugin.plan, Counting()).sections(plugin.plan.volumes[0])
    assert sorted(asked) == sorted(e.id for e in plugin.plan.entries)
