"""The 适老化 controls (字号 大/中/小, 长者模式; overrides/partials/regbook-access.html and
assets/javascripts/regbook-access.js), the skip link, visible focus, and contrast in every mode
and colour scheme — in headless Chromium with the site's Content-Security-Policy enforced."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.accessibility.support import DESKTOP, ELDER_KEY, PHONE, SIZE_KEY, blocking, run_axe
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BAR = "section.regbook-access"
BUTTONS = {"大": "large", "中": "medium", "小": "small"}
MIN_TARGET = 44
"""CSS pixels: the pointer target size of WCAG 2.5.5, which 长者模式 meets."""

RECORD_FIRST_PAINT = """
window.__regbookAtBody = null;
new MutationObserver((_, observer) => {
  if (document.body && window.__regbookAtBody === null) {
    const root = document.documentElement;
    window.__regbookAtBody = {text: root.getAttribute('data-regbook-text'),
                              mode: root.getAttribute('data-regbook-mode')};
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
"""Records <html>'s mode attributes when <body> first appears: before anything is painted."""


def new_page(browser: Any, viewport: dict[str, int], *, size: str | None = None, elder: bool = False) -> Any:
    """A page in a fresh context (own localStorage), optionally with a saved choice."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    saved = {SIZE_KEY: size, ELDER_KEY: "on" if elder else None}
    script = "".join(f"localStorage.setItem({k!r}, {v!r});" for k, v in saved.items() if v)
    if script:
        context.add_init_script(script)
    return context.new_page()


def tab_to(page: Any, selector: str, limit: int = 40) -> list[str]:
    """Press Tab until the element matching ``selector`` has focus; returns what got focus on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate("sel => document.activeElement.matches(sel)", selector):
            return seen
    raise AssertionError(f"{selector} not reached by Tab: {seen}")


def pressed(page: Any) -> dict[str, str | None]:
    out = {label: page.locator(f"{BAR} button", has_text=label).get_attribute("aria-pressed") for label in BUTTONS}
    out["长者模式"] = page.locator(f"{BAR} button[data-regbook-elder]").get_attribute("aria-pressed")
    return out


def status_text(page: Any) -> str:
    return str(page.locator(f"{BAR} [role='status']").inner_text()).strip()


def test_controls_work_by_keyboard_and_are_announced(browser, a11y_url: str, a11y_paths: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser, DESKTOP)
    page.goto(a11y_url + a11y_paths["regulation-现行有效"], wait_until="networkidle")
    bar = page.locator(BAR)
    assert bar.get_attribute("aria-label") == "无障碍浏览" and bar.is_visible()
    assert pressed(page) == {"大": "false", "中": "true", "小": "false", "长者模式": "false"}
    live = page.locator(f"{BAR} [role='status']")
    assert live.get_attribute("aria-live") == "polite"
    box = live.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1, "the live region is visually hidden"
    heading = page.locator("article h1").first
    normal_height = heading.bounding_box()["height"]
    normal_root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    tab_to(page, f"{BAR} button[data-regbook-size='large']")
    page.keyboard.press("Enter")
    assert pressed(page) == {"大": "true", "中": "false", "小": "false", "长者模式": "false"}
    assert status_text(page) == "字号已设为大"
    assert heading.bounding_box()["height"] > normal_height * 1.15, "大: the article's text is larger"

    tab_to(page, f"{BAR} button[data-regbook-elder]")
    page.keyboard.press("Space")
    assert pressed(page)["长者模式"] == "true"
    assert status_text(page) == "已开启长者模式"
    root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root >= normal_root * 1.15, "长者模式: everything is larger"
    line = page.evaluate("(() => { const p = document.querySelector('article p'); const s = getComputedStyle(p);"
                         " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()")
    assert line >= 1.95, f"长者模式: line spacing {line}"
    fg = page.evaluate("getComputedStyle(document.querySelector('article p')).color")
    assert fg == "rgb(0, 0, 0)", f"长者模式: body text is black ({fg})"

    page.keyboard.press("Space")
    assert pressed(page)["长者模式"] == "false" and status_text(page) == "已关闭长者模式"
    page.locator(f"{BAR} button", has_text="小").click()
    assert heading.bounding_box()["height"] < normal_height, "小: the article's text is smaller"
    page.context.close()


def test_choice_persists_across_pages_before_the_first_paint(browser, a11y_url: str, a11y_paths: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser, PHONE)
    page.goto(a11y_url, wait_until="networkidle")
    page.locator(f"{BAR} button", has_text="大").click()
    page.locator(f"{BAR} button[data-regbook-elder]").click()
    page.context.add_init_script(RECORD_FIRST_PAINT)
    for kind in ("regulation-已废止", "catalog", "404"):
        page.goto(a11y_url + a11y_paths[kind], wait_until="networkidle")
        assert page.evaluate("window.__regbookAtBody") == {"text": "large", "mode": "elder"}, kind
        assert pressed(page) == {"大": "true", "中": "false", "小": "false", "长者模式": "true"}, kind
    page.context.close()


def schemes() -> list[str]:
    """The colour schemes of mkdocs.yml's palette (a dark ``slate`` is checked once enabled)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    palette = config["theme"].get("palette") or [{"scheme": "default"}]
    palette = palette if isinstance(palette, list) else [palette]
    return [p.get("scheme", "default") for p in palette]


@pytest.mark.parametrize("mode", ["standard", "elder"])
@pytest.mark.parametrize("scheme", schemes())
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_contrast_in_every_mode_and_scheme(  # type: ignore[no-untyped-def]
    browser, a11y_url: str, a11y_paths: dict[str, str], mode: str, scheme: str, viewport: str
) -> None:
    page = new_page(browser, DESKTOP if viewport == "desktop" else PHONE, size="large", elder=mode == "elder")
    problems = []
    kinds = ["home", "catalog", "cleanup", *(k for k in a11y_paths if k.startswith("regulation-"))]
    for kind in kinds:
        page.goto(a11y_url + a11y_paths[kind], wait_until="networkidle")
        page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        assert page.evaluate("document.documentElement.getAttribute('data-regbook-mode')") == mode
        problems += [f"{kind}: {p}" for p in blocking(run_axe(page, {"runOnly": ["color-contrast", "link-in-text-block"]}))]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert viewport == "desktop" or width <= PHONE["width"], f"{kind} scrolls sideways: {width} px"
    assert not problems, "\n".join(problems)
    page.context.close()


def test_elder_mode_enlarges_pointer_targets(browser, a11y_url: str, a11y_paths: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    small = []
    for viewport, selectors in (
        (PHONE, f"{BAR} button, .md-header__button"),
        (DESKTOP, f"{BAR} button, .md-tabs__link, .md-sidebar--primary .md-nav__link, .md-footer__link"),
    ):
        page = new_page(browser, viewport, elder=True)
        page.goto(a11y_url + a11y_paths["regulation-现行有效"], wait_until="networkidle")
        for element in page.locator(selectors).all():
            if element.is_visible():
                box = element.bounding_box()
                if box["height"] < MIN_TARGET or box["width"] < MIN_TARGET:
                    small.append(f"{viewport['width']}px {element.evaluate('e => e.outerHTML.slice(0, 90)')}: {box}")
        page.context.close()
    assert not small, "\n".join(small)


def test_skip_link_is_first_says_so_in_chinese_and_moves_focus(browser, a11y_url: str, a11y_paths: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser, DESKTOP)
    page.goto(a11y_url + a11y_paths["regulation-现行有效"], wait_until="networkidle")
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')"), "Tab first reaches the skip link"
    assert skip.inner_text().strip() == "跳转至"
    box = skip.bounding_box()
    assert box is not None and box["width"] > 10 and box["y"] >= 0, "the focused skip link is on screen"
    target = str(skip.get_attribute("href")).split("#", 1)[1]
    page.keyboard.press("Enter")
    page.wait_for_function("t => decodeURIComponent(location.hash.slice(1)) === t", arg=target)
    heading = page.locator(f"[id='{target}']")
    assert heading.is_visible() and heading.evaluate("e => e.getBoundingClientRect().top < innerHeight / 2")
    page.context.close()


FOCUS_STYLE = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  let opacity = 1;
  for (let p = e; p instanceof Element; p = p.parentElement) opacity *= parseFloat(getComputedStyle(p).opacity);
  return {html: e.outerHTML.slice(0, 90), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          transparent: s.outlineColor === 'transparent' || /rgba\\(.*, 0\\)$/.test(s.outlineColor),
          shown: r.width >= 1 && r.height >= 1 && opacity > 0.1 && s.visibility === 'visible'};
}"""
"""The focused element: its outline, and whether it is shown at all (a Tab stop nobody can see fails)."""


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_focus_is_visible(browser, a11y_url: str, a11y_paths: dict[str, str], mode: str) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser, DESKTOP, elder=mode == "elder")
    page.goto(a11y_url + a11y_paths["catalog"], wait_until="networkidle")
    invisible = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if not focus["shown"]:  # the theme fades some in (skip link, permalinks): after the fade
            page.wait_for_timeout(400)
            focus = page.evaluate(FOCUS_STYLE)
        if not focus["shown"] or focus["style"] == "none" or focus["width"] < 2 or focus["transparent"]:
            invisible.append(focus)
    assert not invisible, invisible
    page.context.close()


def test_wide_tables_scroll_inside_their_box_on_a_phone(browser, a11y_url: str, a11y_paths: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser, PHONE, size="large", elder=True)
    wide = 0
    for kind in ("catalog", "annual-report", "print"):
        page.goto(a11y_url + a11y_paths[kind], wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], kind
        for box in page.locator(".md-typeset__scrollwrap").all():
            if box.evaluate("b => b.scrollWidth > b.clientWidth + 1"):
                wide += 1
                # A keyboard reader can reach the box to scroll it, and a screen reader names it.
                assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label"), kind
    assert wide, "no table is wider than a phone here: the test would prove nothing"
    page.context.close()


def test_screenshots_dir_is_ignored_by_git() -> None:
    from tests.accessibility.test_screenshots import SHOTS

    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"/{SHOTS.relative_to(ROOT).as_posix()}/" in ignored
