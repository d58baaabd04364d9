"""A regulation page printed from the browser (@media print in regbook.css and the theme): on paper
the title, the metadata block and the text; no accessibility bar, header, navigation, search, skip
link or footer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.accessibility.support import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFF_PAPER = (
    ".regbook-access",
    ".md-skip",
    ".md-header",
    ".md-tabs",
    ".md-search",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-top",
)
ON_PAPER = ("article h1", "dl.regbook-meta", ".regbook-status")


def test_regulation_page_prints_without_site_controls(browser, a11y_url: str, a11y_paths: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.add_init_script("localStorage.setItem('regbook.access.elder', 'on')")  # the reader's mode is on
    page = context.new_page()
    page.goto(a11y_url + a11y_paths["regulation-已废止"], wait_until="networkidle")
    title = page.locator("article h1").first.inner_text().replace("¶", "").strip()
    page.emulate_media(media="print")
    shown = {s: page.evaluate("s => [...document.querySelectorAll(s)].map(e => getComputedStyle(e).display)", s) for s in OFF_PAPER}
    assert all(shown[s] for s in (".regbook-access", ".md-header", ".md-footer")), shown
    printed = {s: d for s, d in shown.items() if any(x != "none" for x in d)}
    assert not printed, f"on paper: {printed}"
    for selector in ON_PAPER:
        assert page.locator(selector).first.is_visible(), f"{selector} is not on paper"

    if not shutil.which("pdftotext"):
        pytest.skip("需要 Debian 软件包 poppler-utils（pdftotext）")
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "".join(title.split()) in flat and "时效性" in flat and "已废止" in flat
    for control in ("长者模式", "跳转至", "无障碍", "搜索"):
        assert control not in flat, f"{control} printed"
    context.close()
