"""Markers ``<!-- regbook:… -->`` work only where they belong: the checker refuses them elsewhere
(golden ``safety/markers-misplaced``), and the plugin, whatever the checker said, fills lists only
on their pages and the book only on the generated print pages, by the page's own volume number
(a wrong number in a body cannot crash the build)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from regbook import corpus as corpus_mod
from regbook import markup
from regbook.book import pdf as book_pdf
from regbook.book import site as book_site
from regbook.mkdocs_plugin.plugin import RegbookPlugin
from tests.conftest import FIXTURE, FIXTURE_TODAY


@pytest.fixture(scope="module")
def plugin() -> RegbookPlugin:
    p = RegbookPlugin()
    p.load_config({})
    p.corpus = corpus_mod.load(FIXTURE)
    p.plan = book_pdf.plan(p.corpus, today=FIXTURE_TODAY)
    return p


def _page(uri: str, content: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri, dest_uri=uri.replace(".md", "/index.html")), meta={}, content=content)


def _fill(plugin: RegbookPlugin, uri: str, html: str) -> str:
    """The page's HTML after the plugin fills the print page (``on_page_context``, once every page is converted)."""
    page = _page(uri, html)
    plugin._fill_print_page({}, page=page, config=SimpleNamespace(use_directory_urls=True), nav=None)  # type: ignore[arg-type,typeddict-item]
    return page.content  # type: ignore[no-any-return]


@pytest.mark.parametrize("number", ["0", "99", "100000000000000000000"])
def test_print_marker_in_a_body_stays_text(plugin: RegbookPlugin, number: str) -> None:
    html = f"<p>x</p>\n<!-- regbook:print-book:{number} -->\n"
    uri = plugin.corpus.regulations[0].src_uri  # type: ignore[union-attr]
    assert plugin.on_page_content(html, page=_page(uri), config=None, files=None) == html  # type: ignore[arg-type]
    assert _fill(plugin, uri, html) == html


def test_print_page_uses_its_own_volume(plugin: RegbookPlugin) -> None:
    html = "<!-- regbook:print-book:99 -->"  # a wrong number: the page's own volume is printed
    out = _fill(plugin, book_site.PRINT_PAGE, html)
    assert 'class="regbook-book"' in out and "print-book" not in out


@pytest.mark.parametrize("marker", [markup.DISCLOSURE_LIST, markup.CLEANUP_LIST])
def test_lists_only_on_their_pages(plugin: RegbookPlugin, marker: str) -> None:
    body = f"# 标题\n\n{marker}\n"
    reg_uri = plugin.corpus.regulations[0].src_uri  # type: ignore[union-attr]
    for uri in (reg_uri, "about.md", "index.md"):
        out = plugin.on_page_markdown(body, page=_page(uri), config=None, files=None)  # type: ignore[arg-type]
        assert out is not None and marker in out and "| --- |" not in out, uri
    home = next(iter(markup.CONTENT_MARKERS[marker]))
    out = plugin.on_page_markdown(body, page=_page(home), config=None, files=None)  # type: ignore[arg-type]
    assert out is not None and marker not in out and "| --- |" in out
