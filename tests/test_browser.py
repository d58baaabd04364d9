"""The built site in headless Chromium: pages render, and nothing is asked of any other host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("", None),
        ("regulations/renmin-fangkong-fa/", "中华人民共和国人民防空法（2009年修正）"),
        ("regulations/jilin-renfang-chufa-cailiang-jizhun-shixing/", None),
        ("catalog/", "法律法规目录"),
    ],
)
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_page_loads_only_from_its_own_host(browser, sample_url: str, path: str, heading: str | None, viewport) -> None:  # type: ignore[no-untyped-def]
    own = urlsplit(sample_url).netloc
    requests: list[str] = []
    page = browser.new_page(viewport=viewport)
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(sample_url + path, wait_until="networkidle")
    assert response is not None and response.ok
    h1 = page.locator("article h1").first.inner_text().replace("¶", "")
    if heading:
        assert h1.strip() == heading
    assert page.locator("article").inner_text().strip()
    foreign = [u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert not errors
    # The page fits the phone: no horizontal scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.close()


def test_banner_link_leads_to_the_cleanup_record(browser, sample_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(sample_url + "regulations/jilin-renfang-chufa-cailiang-jizhun-shixing/")
    page.locator(".admonition.danger a").first.click()
    page.wait_for_load_state()
    assert "/cleanup/" in page.url
    assert "废止" in page.locator("article").inner_text()
    page.close()
