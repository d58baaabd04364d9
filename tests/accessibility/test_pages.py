"""Every kind of page, at desktop and phone width, with the site's Content-Security-Policy enforced:
no serious or critical axe-core violation (GB/T 37668-2019 follows WCAG 2.0 AA), no request to
another host, no console error, no broken link, anchor or image, and no sideways page scrolling on a
390 px phone (wide tables scroll inside their own box)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.accessibility.support import (
    ASSET_LINKS,
    BROKEN_IMAGES,
    PAGE_KINDS,
    PHONE,
    SEARCH_QUERY,
    VIEWPORTS,
    SiteFiles,
    Watch,
    blocking,
    run_axe,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site_files(a11y_site: Path) -> SiteFiles:
    return SiteFiles(a11y_site)


def search(page: Any, query: str) -> None:
    """Type a query into the theme's search box as a reader does and wait for its results."""
    box = page.locator("input.md-search__input")
    opener = page.locator("label.md-header__button[for='__search']")
    if opener.is_visible():  # phone: the box opens from the header's search button
        opener.click()
    box.click()
    box.press_sequentially(query, delay=20)
    page.keyboard.press("End")  # CJK arrives as text input; the theme searches on keyup
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)


def use_catalog_filters(page: Any) -> bool:
    """Operate the catalog's filter controls when the page has any (a select, a text box or
    checkboxes in the article); returns whether there were any."""
    selects = page.locator("article select")
    texts = page.locator("article input[type='search'], article input[type='text']")
    boxes = page.locator("article input[type='checkbox'], article input[type='radio']")
    used = False
    for i in range(selects.count()):
        if selects.nth(i).is_visible() and selects.nth(i).locator("option").count() > 1:
            selects.nth(i).select_option(index=1)
            used = True
    if texts.count() and texts.first.is_visible():
        texts.first.fill("人民防空")
        used = True
    if boxes.count() and boxes.first.is_visible():
        boxes.first.check()
        used = True
    if used:
        page.wait_for_timeout(300)
    return used


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_is_accessible_self_contained_and_intact(  # type: ignore[no-untyped-def]
    browser, a11y_url: str, a11y_paths: dict[str, str], site_files: SiteFiles, kind: str, viewport: str
) -> None:
    own = urlsplit(a11y_url).netloc
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    watch = Watch(own).attach(page)
    url = a11y_url + a11y_paths[kind]
    response = page.goto(url, wait_until="networkidle")
    assert response is not None
    if kind == "404":
        assert response.status == 404 and "404" in page.locator("article").inner_text()
        # The browser logs the missing page itself (the status a reader's browser also sees).
        watch.failed = [f for f in watch.failed if f != f"404 {url}"]
        watch.errors = [e for e in watch.errors if "status of 404" not in e or url not in e]
    else:
        assert response.ok, response.status
    if kind == "search":
        search(page, SEARCH_QUERY)
    problems: list[str] = blocking(run_axe(page))
    if kind.startswith("catalog") and use_catalog_filters(page):
        problems += [f"(filtered) {p}" for p in blocking(run_axe(page))]
        if viewport == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not problems, "\n".join(problems)
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width} px"
    links = page.evaluate(ASSET_LINKS)
    broken = site_files.broken(links, own, urlsplit(url).path)
    assert not broken, f"broken links or anchors: {broken}"
    assert not page.evaluate(BROKEN_IMAGES), "images that did not load"
    page.wait_for_load_state("networkidle")
    assert watch.foreign == [], f"requests to other hosts: {watch.foreign}"
    assert watch.failed == [], f"failed requests: {watch.failed}"
    assert watch.errors == [], "\n".join(watch.errors)
    context.close()
