"""The Content-Security-Policy (``overrides/main.html`` + ``regbook.csp``): on every built page, and
in Chromium, where the site keeps working under it (search, navigation, tooltips) without a
single violation, and an injected inline script does not run."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from regbook import csp

EXPECTED = {
    "default-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def test_hashes_name_the_theme_scripts_only() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'; '
        "object-src 'none'\"><script>var a = 1;</script><script src=\"x.js\"></script>"
        '<script id="c" type="application/json">{"a": 1}</script></head><body>'
        "<article><p>x</p><script>alert(1)</script></article><script>var a = 1;</script></body></html>"
    )
    content = "<p>x</p><script>alert(1)</script>"
    policy = csp.policy_of(csp.with_script_hashes(page, content=content))
    assert policy["script-src"] == ["'self'", csp.sha256_source("var a = 1;")]
    assert policy["object-src"] == ["'none'"]
    assert csp.policy_of(csp.with_script_hashes(page, serving=True))["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp.with_script_hashes("<html><script>x</script></html>") == "<html><script>x</script></html>"
    # the digest of the exact text (RFC 7636-style base64 of SHA-256), as browsers compute it
    assert csp.sha256_source("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_every_page_carries_the_policy_with_its_script_hashes(sample_site: Path) -> None:
    pages = _pages(sample_site)
    assert any(p.name == "404.html" for p in pages) and len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        where = str(path.relative_to(sample_site))
        assert len(csp.META_RE.findall(html)) == 1, where
        root = lxml.html.fromstring(html)
        first = root.find("head")[0]
        assert first.tag == "meta" and first.get("http-equiv") == "Content-Security-Policy", where
        policy = csp.policy_of(html)
        script_src = policy.pop("script-src")
        assert policy == EXPECTED, where
        assert script_src[0] == "'self'" and "'unsafe-inline'" not in script_src, where
        article = root.xpath('//article[contains(@class, "md-content__inner")]')
        content_scripts = {s.text or "" for a in article for s in a.iter("script")}
        theme_scripts = [
            s.text or ""
            for s in root.iter("script")
            if not s.get("src") and s.get("type") in (None, "", "text/javascript", "module")
            and (s.text or "") not in content_scripts
        ]
        assert theme_scripts, where
        assert sorted(script_src[1:]) == sorted({csp.sha256_source(t) for t in theme_scripts}), where


_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`), true);
"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", ["", "regulations/renmin-fangkong-fa/", "catalog/", "cleanup/2023-guifanxing-wenjian-qingli/"])
def test_pages_work_without_violations(browser, sample_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    from tests.test_search_support import SearchBox

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(_VIOLATIONS)
    page.goto(sample_url + path, wait_until="networkidle")
    # The theme's scripts ran: hovering a permalink shows the theme's tooltip, not the browser's.
    link = page.locator("article .headerlink").first
    if link.count():
        link.hover()
        page.wait_for_selector(".md-tooltip2", state="attached")
    box = SearchBox(page)
    box.open(sample_url + path)
    answer = box.query("人民防空")
    assert answer.locations, "search found nothing"
    assert page.locator(".md-search-result__item").count() > 0
    # Navigation: the first result opens.
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").count() == 1
    assert page.evaluate("window.__cspViolations") == []
    assert console == [] and errors == []
    # The policy is enforced: an inline script added now does not run, and is reported.
    ran = page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                   document.body.append(s); return window.__ran === 1; }"""
    )
    assert ran is False
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")
    page.close()
