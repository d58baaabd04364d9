"""Screenshots at phone width of the home page and a regulation page with 长者模式 on and with the
largest 字号, written to tests/screenshots/ (ignored by git) for a person to look at."""

from __future__ import annotations

import pytest

from tests.accessibility.support import ELDER_KEY, PHONE, SIZE_KEY
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "tests" / "screenshots"
MODES = {"elder": {ELDER_KEY: "on"}, "large": {SIZE_KEY: "large"}, "elder-large": {ELDER_KEY: "on", SIZE_KEY: "large"}}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("kind", ["home", "regulation-现行有效"])
def test_phone_screenshot(browser, a11y_url: str, a11y_paths: dict[str, str], kind: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
    context.add_init_script("".join(f"localStorage.setItem({k!r}, {v!r});" for k, v in MODES[mode].items()))
    page = context.new_page()
    page.goto(a11y_url + a11y_paths[kind], wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The bar fits on one line at phone width (its buttons share one row).
    tops = page.evaluate("[...document.querySelectorAll('.regbook-access button')].map(b => b.getBoundingClientRect().top)")
    assert len(tops) == 4 and max(tops) - min(tops) < 2, tops
    SHOTS.mkdir(exist_ok=True)
    name = "home" if kind == "home" else "regulation"
    shot = SHOTS / f"{name}-{mode}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    context.close()
