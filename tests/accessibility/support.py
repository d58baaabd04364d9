"""Shared by the accessibility tests (no tests here): the kinds of page to visit, a server that
answers a missing page with the site's 404 page, axe-core, and a watch over what a page asks for.

axe-core comes from the ``axe-playwright-python`` wheel, which ships ``axe.min.js`` and injects it
with ``page.evaluate`` (Chrome DevTools Protocol, outside the page's Content-Security-Policy): no
CDN, no ``bypass_csp``; every check here runs with the site's policy enforced.
"""

from __future__ import annotations

import functools
import http.server
import socketserver
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

STATUSES = ("现行有效", "已修改", "已废止", "已失效", "尚未生效")
"""Every 时效性 a regulation page can show: one page of each is visited."""

PAGE_KINDS = (
    "home",
    "catalog",
    "catalog-current",
    "catalog-repealed",
    *(f"regulation-{s}" for s in STATUSES),
    "cleanup",
    "disclosure",
    "annual-report",
    "search",
    "print",
    "404",
)
SEARCH_QUERY = "人民防空"
"""Typed into the theme's search box for the ``search`` kind (several hits in the sample)."""

BLOCKING = ("serious", "critical")
"""axe impacts that fail a page (moderate and minor ones are reported, not failed)."""

SIZE_KEY = "regbook.access.size"
ELDER_KEY = "regbook.access.elder"
"""localStorage keys of overrides/assets/javascripts/regbook-access.js."""


def page_paths(site: Path) -> dict[str, str]:
    """Each kind of page (``PAGE_KINDS``) → its path in the built site, found from the built files
    (so the visit follows the fixture: a regulation of each 时效性 as its metadata block shows it)."""
    paths = {
        "home": "",
        "catalog": "catalog/",
        "catalog-current": "catalog/current/",
        "catalog-repealed": "catalog/repealed/",
        "search": "",
        "print": "print_page/",
        "404": "no-such-page/",
    }
    for page in sorted((site / "regulations").glob("*/index.html")):
        tree = lxml_html.fromstring(page.read_bytes())
        badge = tree.xpath("//dl[contains(@class,'regbook-meta')]//*[contains(@class,'regbook-status')]")
        status = badge[0].text_content().strip() if badge else ""
        paths.setdefault(f"regulation-{status}", f"regulations/{page.parent.name}/")
    for kind, pattern in (
        ("cleanup", "cleanup/*/index.html"),
        ("annual-report", "disclosure/nianbao/*/index.html"),
        ("disclosure", "disclosure/zhidu/*/index.html"),
    ):
        found = sorted(site.glob(pattern))
        if found:
            paths[kind] = found[0].parent.relative_to(site).as_posix() + "/"
    missing = [k for k in PAGE_KINDS if k not in paths]
    assert not missing, f"the sample site has no page of kind {missing}"
    return paths


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """A static server as the site is hosted: a missing page gets ``404.html`` with status 404."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_site(directory: Path) -> tuple[socketserver.TCPServer, str]:
    """Serve a built site on 127.0.0.1 (random port), missing pages answered by its 404 page."""
    handler = functools.partial(_SiteHandler, directory=str(directory))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_axe(page: Any, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (all rules unless ``options`` limit them)."""
    from axe_playwright_python.sync_playwright import Axe

    return list(Axe().run(page, options=options or {"resultTypes": ["violations"]}).response["violations"])


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """Serious and critical violations, one readable line per element."""
    return [
        f"{v['id']} ({v['impact']}): {node['target']} — {node.get('failureSummary', '').splitlines()[-1].strip()}"
        for v in violations
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


@dataclass
class Watch:
    """What a page asked for and what it logged: requests to other hosts, same-host responses with
    an error status, console errors and uncaught exceptions."""

    own: str
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> Watch:
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("console", lambda m: self.errors.append(f"console: {m.text} @ {m.location}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        return self

    def _request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.netloc != self.own:
            self.foreign.append(request.url)

    def _response(self, response: Any) -> None:
        if response.status >= 400 and urlsplit(response.url).netloc == self.own:
            self.failed.append(f"{response.status} {response.url}")


ASSET_LINKS = """() => [
  ...Array.from(document.querySelectorAll('a[href]'), a => a.href),
  ...Array.from(document.querySelectorAll('link[href]'), l => l.href),
  ...Array.from(document.querySelectorAll('script[src]'), s => s.src),
  ...Array.from(document.querySelectorAll('img[src]'), i => i.src),
]"""
BROKEN_IMAGES = """() => Array.from(document.images)
  .filter(i => !(i.complete && i.naturalWidth > 0))
  .map(i => i.currentSrc || i.src)"""


class SiteFiles:
    """The built site's files and each page's anchors (``id`` and ``a[name]``), read once."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._anchors: dict[Path, set[str]] = {}

    def file_of(self, path: str) -> Path | None:
        """The file a same-site URL path serves (a folder serves its index.html), or None."""
        target = self.site / unquote(path).lstrip("/")
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def anchors(self, file: Path) -> set[str]:
        if file not in self._anchors:
            tree = lxml_html.fromstring(file.read_bytes())
            self._anchors[file] = {*tree.xpath("//@id"), *tree.xpath("//a/@name")}
        return self._anchors[file]

    def broken(self, urls: list[str], own: str, current: str) -> list[str]:
        """Same-site URLs that name no built file, or an anchor that the target page lacks.

        ``current``: the URL path of the page they are on (a missing page shows 404.html). Links to other
        hosts are not followed (no network); ``javascript:`` links are broken by definition."""
        bad = []
        for url in dict.fromkeys(urls):
            parts = urlsplit(url)
            if parts.scheme == "javascript":
                bad.append(url)
                continue
            if parts.scheme not in ("http", "https") or parts.netloc != own:
                continue
            file = self.file_of(parts.path)
            if file is None and parts.path.rstrip("/") == current.rstrip("/"):
                file = self.site / "404.html"  # the 404 page's own address (its #anchors)
            if file is None:
                bad.append(url)
                continue
            fragment = unquote(parts.fragment)
            if fragment and file.suffix == ".html" and fragment not in self.anchors(file):
                bad.append(url)
        return bad
