"""The catalog filter (overrides/assets/javascripts/catalog-filter.js) in headless Chromium, on the
served sample site: two filters together give exactly the documents the catalog data says; the
state is in the address (shared, restored, back button); labels, keyboard and a phone work; without
JavaScript the full tables stay; no console error and no CSP violation."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html
from markdown import Markdown
from playwright.sync_api import expect

from regbook import corpus as corpus_mod
from regbook import markup, pages
from regbook.status import status_on
from tests.conftest import FIXTURE, FIXTURE_TODAY


_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
"""
_VISIBLE = """() => [...document.querySelectorAll("article .regbook-row")]
  .map(m => m.closest("tr")).filter(tr => tr.offsetParent !== null)
  .map(tr => tr.querySelector("a").getAttribute("href").split("/").filter(Boolean).pop())"""


@pytest.fixture(scope="module")
def records(sample_site: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((sample_site / "catalog.json").read_text(encoding="utf-8"))["记录"]
    return data


class Watched:
    """A page whose console errors, uncaught errors and CSP violations are collected."""

    def __init__(self, page: Any) -> None:
        self.page, self.problems = page, []
        page.on("console", lambda m: self.problems.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.add_init_script(_VIOLATIONS)

    def clean(self) -> bool:
        return self.problems == [] and self.page.evaluate("window.__cspViolations") == []


@pytest.fixture
def watched(browser) -> Iterator[Watched]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Watched(context.new_page())
    context.close()


def _visible(page: Any) -> list[str]:
    ids: list[str] = page.evaluate(_VISIBLE)
    return ids


def _count(page: Any) -> str:
    text: str = page.locator(".regbook-filter [role=status][aria-live=polite]").inner_text()
    return text


@pytest.mark.browser
@pytest.mark.slow
def test_two_filters_shared_restored_and_back(browser, watched: Watched, sample_url: str, records) -> None:  # type: ignore[no-untyped-def]
    page = watched.page
    page.goto(sample_url + "catalog/", wait_until="networkidle")
    every = [r["id"] for r in records]
    assert sorted(_visible(page)) == sorted(every)
    assert _count(page) == f"共 {len(every)} 件，未筛选。"
    fieldset = page.locator(".regbook-filter fieldset")
    assert fieldset.locator("legend").inner_text() == "筛选文件"

    page.get_by_label("效力位阶").select_option("行政规范性文件")
    page.get_by_label("时效性").select_option("现行有效")
    expected = [r["id"] for r in records if r["效力位阶"] == "行政规范性文件" and r["当前时效性"] == "现行有效"]
    level_only = [r["id"] for r in records if r["效力位阶"] == "行政规范性文件"]
    assert 0 < len(expected) < len(level_only)
    assert sorted(_visible(page)) == sorted(expected)
    assert _count(page) == f"符合条件的文件 {len(expected)} 件（共 {len(every)} 件）。"
    # Groups without a match are hidden with their headings.
    headings = [t.replace("¶", "").strip() for t in page.locator("article h2:visible").all_inner_texts()]
    assert headings == [f"行政规范性文件（{len(level_only)} 件）"]
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"level": ["行政规范性文件"], "status": ["现行有效"]}

    # The shared address, opened elsewhere, shows the same rows and says so in the form.
    other = browser.new_context()
    shared = Watched(other.new_page())
    shared.page.goto(page.url, wait_until="networkidle")
    assert sorted(_visible(shared.page)) == sorted(expected)
    assert shared.page.get_by_label("效力位阶").input_value() == "行政规范性文件"
    assert shared.page.get_by_label("时效性").input_value() == "现行有效"
    assert shared.clean(), shared.problems
    other.close()

    # Typing in the title box narrows further; the back button steps back through the filters.
    page.get_by_label("标题或发文字号").press_sequentially("处罚")
    typed = [i for i in expected if "处罚" in next(r["标题"] + r["发文字号"] for r in records if r["id"] == i)]
    assert sorted(_visible(page)) == sorted(typed) and parse_qs(urlsplit(page.url).query)["q"] == ["处罚"]
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"[?&]q="))  # no eval in the page: its CSP forbids it
    assert sorted(_visible(page)) == sorted(expected)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"[?&]status="))
    assert sorted(_visible(page)) == sorted(level_only)
    assert page.get_by_label("时效性").input_value() == ""
    page.get_by_role("button", name="清除筛选").click()
    expect(page).to_have_url(re.compile(r"^[^?]*$"))
    assert sorted(_visible(page)) == sorted(every)
    assert watched.clean(), watched.problems


@pytest.mark.browser
@pytest.mark.slow
def test_issuer_and_year_and_no_match(watched: Watched, sample_url: str, records) -> None:  # type: ignore[no-untyped-def]
    page = watched.page
    issuer = "全国人民代表大会常务委员会"
    year = max(r["公布日期"][:4] for r in records if r["制定机关"] == issuer)
    page.goto(sample_url + f"catalog/?issuer={issuer}&year={year}", wait_until="networkidle")
    expected = [r["id"] for r in records if r["制定机关"] == issuer and r["公布日期"].startswith(year)]
    assert expected and sorted(_visible(page)) == sorted(expected)
    # A value the catalog does not have (an old shared link) is shown, and nothing matches.
    page.goto(sample_url + "catalog/?year=1800", wait_until="networkidle")
    assert _visible(page) == [] and page.get_by_label("年份（公布日期）").input_value() == "1800"
    assert _count(page).startswith("没有符合条件的文件")
    assert watched.clean(), watched.problems


@pytest.mark.browser
@pytest.mark.slow
def test_keyboard_order_and_phone(browser, sample_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(sample_url + "catalog/", wait_until="networkidle")
    page.get_by_label("标题或发文字号").focus()
    order = [page.evaluate("document.activeElement.id || document.activeElement.textContent")]
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent"))
    assert order == [
        "regbook-filter-q",
        "regbook-filter-level",
        "regbook-filter-status",
        "regbook-filter-issuer",
        "regbook-filter-year",
        "清除筛选",
    ]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back on the title box
    page.keyboard.type("国防")
    assert all("国防" in t for t in page.locator("article tr:visible td:first-child").all_inner_texts())
    # The form fits the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    box = page.locator(".regbook-filter fieldset").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_without_javascript_the_full_tables_stay(browser, sample_url: str, records) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_url + "catalog/?level=法律", wait_until="networkidle")
    assert page.locator("article table tbody tr:visible").count() == len(records)
    assert page.locator(".regbook-filter").is_hidden()
    context.close()


def test_row_facets_are_text_whatever_the_metadata() -> None:
    """The data attributes of a row carry hostile values as text: the cell is not split by ``|``, no
    attribute or element is added, and the browser reads back exactly what the editor wrote."""
    corpus = corpus_mod.load(FIXTURE)
    reg = corpus.regulation("renmin-fangkong-fa")
    assert reg is not None
    hostile = 'A|B" onmouseover="alert(1)" <img src=x onerror=alert(1)> &amp; {: .x } `c` *d*'
    reg.issuer, reg.number = hostile, hostile + "|"
    html = Markdown(extensions=markup.EXTENSIONS).convert(pages._table([(reg, status_on(reg, FIXTURE_TODAY))], "catalog/index.md"))
    rows = lxml_html.fromstring(html).xpath("//tbody/tr")
    assert len(rows) == 1 and len(rows[0].xpath("td")) == 5
    span = rows[0].xpath("td[1]/span")[0]
    assert span.get("data-issuer") == hostile and span.get("data-number") == hostile + "|"
    assert span.get("hidden") is not None and span.get("onmouseover") is None
    assert not rows[0].xpath(".//img")
