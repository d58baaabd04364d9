"""Markup planted in every metadata field of accepted documents (``tests/security/hostile.py``),
seen in headless Chromium: the documents' pages, the catalogs, the cleanup and disclosure pages
and lists, the print page and search hits. No dialog opens, no request leaves 127.0.0.1, and the
console stays free of errors and warnings (a CSP violation would be one)."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import build_site, serve
from tests.security.hostile import MARKUP, VALUES, build_project, shown

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("planted")
    site = base / "site"
    result = build_site(build_project(base / "project"), site, book=False)
    assert result.returncode == 0, result.stderr
    server, url = serve(site)
    yield url
    server.shutdown()
    server.server_close()


PAGES = [
    *(f"regulations/hostile-law-{k}/" for k in sorted(MARKUP)),
    *(f"regulations/hostile-ended-{k}/" for k in sorted(MARKUP)),
    *(f"regulations/hostile-doc-{k}/" for k in sorted(MARKUP)),
    *(f"cleanup/hostile-cleanup-{k}/" for k in sorted(MARKUP)),
    *(f"disclosure/fading/hostile-{k}/" for k in sorted(MARKUP)),
    "hostile-title-img/",
    "hostile-title-close/",
    "hostile-heading/",
    "catalog/",
    "catalog/current/",
    "catalog/repealed/",
    "cleanup/",
    "disclosure/",
    "print_page/",
]


class _Watch:
    """Everything a page does that planted markup could cause."""

    def __init__(self, page, own: str) -> None:  # type: ignore[no-untyped-def]
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.console: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: self._request(r.url, own))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def _request(self, url: str, own: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("data", "blob") and parts.netloc != own:
            self.foreign.append(url)

    def assert_quiet(self, where: str) -> None:
        assert (self.dialogs, self.foreign, self.console) == ([], [], []), where


def test_planted_markup_stays_text_in_the_browser(browser, hostile_url: str) -> None:  # type: ignore[no-untyped-def]
    own = urlsplit(hostile_url).netloc
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = _Watch(page, own)
    for path in PAGES:
        response = page.goto(hostile_url + path, wait_until="networkidle")
        assert response is not None and response.ok, path
        # hover what the theme turns into tooltips (permalinks' title attributes)
        for link in page.query_selector_all("article [title]")[:3]:  # handles: hovering removes the title
            link.hover(force=True, timeout=5000)
        page.wait_for_timeout(50)
        assert page.locator("img[src='x']").count() == 0, path
        key = next((k for k in MARKUP if path.rstrip("/").endswith(f"-{k}")), None)
        if key and "hostile-title" not in path:  # the value reads as written
            text = " ".join(page.locator("article.md-content__inner").inner_text().split())
            assert shown(VALUES[key]) in text, path
        watch.assert_quiet(path)
    page.close()


@pytest.mark.parametrize("query", ["onerror", "javascript", "第一行"])
def test_search_hits_show_planted_markup_as_text(browser, hostile_url: str, query: str) -> None:  # type: ignore[no-untyped-def]
    from tests.test_search_support import SearchBox

    own = urlsplit(hostile_url).netloc
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = _Watch(page, own)
    box = SearchBox(page)
    box.open(hostile_url)
    answer = box.query(query)
    assert len(answer.locations) >= 4, answer.locations
    items = page.locator(".md-search-result__item")
    titles = [t.inner_text() for t in page.locator(".md-search-result__item h1").all()]
    assert items.count() > 0
    assert any(query in t for t in titles), titles
    expected = {shown(v) for v in VALUES.values() if query in v}
    assert expected & {t.strip() for t in titles}, titles
    assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    # open the first hit
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("networkidle")
    watch.assert_quiet(query)
    page.close()
