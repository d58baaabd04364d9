"""Links written the way the files lie in the repository are rewritten for the site."""

from __future__ import annotations

from pathlib import Path

from regbook import corpus, pages
from regbook.rules.links import rewrite_links

BASE = Path(__file__).parent / "golden" / "_base"


def test_repository_form_links_are_rewritten_for_the_site() -> None:
    """Check that ../falv/x.md#第十条 becomes x.md#第十条 (all regulations are siblings on the site)."""
    loaded = corpus.load(BASE)
    reg = loaded.regulation("jilin-renfang-guiding")
    assert reg is not None
    body = reg.body + "\n[细则][c]\n\n[c]: ../xingzheng-guifanxing-wenjian/xize-c.md\n"
    out = rewrite_links(loaded, reg, body)
    assert "](renmin-fangkong-fa.md#第十条)" in out
    assert "[c]: xize-c.md" in out
    assert "renmin-fangkong-fa.md#第十条" in pages.regulation_page(loaded, reg)


def test_site_form_external_and_broken_links_are_kept() -> None:
    """Check that links already right for the site, external links and broken links stay as written."""
    loaded = corpus.load(BASE)
    reg = loaded.regulation("guofang-jiaoyu-fa-2024")
    assert reg is not None
    body = "[a](guofang-jiaoyu-fa-2018.md) [b](https://www.gov.cn/) [c](../falv/nothing.md) [d](#第一条)"
    assert rewrite_links(loaded, reg, body) == body
