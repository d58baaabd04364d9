"""The offline copy (``regbook.offline``): the zip in ``downloads/``, unpacked into a temporary folder
and opened from disk (file://) in headless Chromium — navigation, a banner's link, and the search
box, exact on the same queries as the served site (truth from the pages' text, as
``test_search``), with every request staying on the disk and nothing refused by the
Content-Security-Policy.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from regbook import offline
from regbook.book.pdf import human_size
from regbook.search import scripts
from tests.test_search import DEFENSE_QUERIES, SAMPLE_QUERIES, defense_site  # noqa: F401  (fixture)
from tests.test_search_support import SearchBox, expected, site_texts

EDITION = dt.date(2026, 12, 2)  # FIXTURE_TODAY: the sample site's edition

# The theme's search hook of test_search_support, for file://: there the page replaces window.Worker
# (assets/javascripts/regbook-search-local.js) after this runs, so the hook wraps whatever
# constructor is installed, and logs the same queries and results.
FILE_INIT_SCRIPT = """
(() => {
  const log = window.__regbookSearch = { queries: [], results: [], keyups: [], mutations: [], workers: [] };
  let current = window.Worker;
  const wrap = Ctor => function (url, options) {
    const worker = new Ctor(url, options);
    log.workers.push({ url: String(url), native: worker instanceof Ctor && Ctor === window.__nativeWorker });
    worker.addEventListener("message", ev => {
      if (ev.data && ev.data.type === 3)
        log.results.push({ t: performance.now(), query: ev.data.data.regbookQuery,
                           locations: [...new Set(ev.data.data.items.map(item => item[0].location.split("#")[0]))] });
    });
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      if (message && message.type === 2) log.queries.push({ t: performance.now(), query: message.data });
      return post(message, ...rest);
    };
    return worker;
  };
  window.__nativeWorker = current;
  Object.defineProperty(window, "Worker", { configurable: true, get: () => wrap(current), set: v => { current = v; } });
  window.__regbookViolations = [];
  document.addEventListener("securitypolicyviolation", ev => window.__regbookViolations.push(ev.violatedDirective + " " + ev.blockedURI));
  document.addEventListener("keyup", () => log.keyups.push(performance.now()), true);
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.querySelector(".md-search-result");
    if (el) new MutationObserver(() => log.mutations.push(performance.now()))
      .observe(el, { childList: true, subtree: true, characterData: true });
  });
})();
"""


class FileSearchBox(SearchBox):
    """``SearchBox`` on a page opened from disk."""

    def open(self, url: str) -> None:
        self.page.add_init_script(FILE_INIT_SCRIPT)
        self.page.goto(url, wait_until="load")
        self.input.click()


def _zip_of(site: Path) -> Path:
    found = sorted((site / "downloads").glob(f"*{offline.SUFFIX}"))
    assert len(found) == 1, found
    return found[0]


def _unpack(zip_path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(dest)
    (top,) = list(dest.iterdir())
    return top


@pytest.fixture(scope="module")
def offline_root(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site's offline zip, unpacked into a temporary folder."""
    return _unpack(_zip_of(sample_site), tmp_path_factory.mktemp("offline"))


# --- the zip ------------------------------------------------------------------------------


def test_zip_is_linked_from_the_home_page_with_its_size(sample_site: Path) -> None:
    """Check the home page's download block links the zip (relative address) with its real size."""
    path = _zip_of(sample_site)
    assert path.name == f"吉林省国防动员法律法规汇编-{EDITION.isoformat()}-离线版.zip"
    home = lxml.html.fromstring((sample_site / "index.html").read_bytes())
    (item,) = home.xpath(f'//li[@class="{offline.SELF_LINK_CLASS}"]')
    link = item.find("a")
    assert unquote(link.get("href")) == f"downloads/{path.name}" and link.text == path.name
    assert f"（{human_size(path.stat().st_size)}）" in item.text_content() and "index.html" in item.text_content()


def test_zip_entries_are_sorted_dated_and_hold_the_whole_site_but_the_zip(sample_site: Path) -> None:
    """Check one top folder, sorted entries, the edition date on each, no zip inside, the index as scripts."""
    path = _zip_of(sample_site)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    top = path.name.removesuffix(".zip") + "/"
    assert names == sorted(names) and all(n.startswith(top) for n in names)
    assert {i.date_time for i in infos} == {(EDITION.year, EDITION.month, EDITION.day, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    inside = {n.removeprefix(top) for n in names}
    assert not [n for n in inside if n.endswith(".zip")]
    assert {"index.html", "catalog/index.html", "search/search_index.js", "search/regbook/index.js"} <= inside
    assert not [n for n in inside if n.startswith("search/regbook/") and not n.endswith(".js")]
    assert f"downloads/吉林省国防动员法律法规汇编-{EDITION.isoformat()}.pdf" in inside
    site_files = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file()}
    missing = {f for f in site_files - inside if not f.startswith("search/regbook/") and f != f"downloads/{path.name}"}
    assert missing == offline.LEFT_OUT


def test_zip_is_reproducible(sample_site: Path, tmp_path: Path) -> None:
    """Check two zips of one site are byte-identical, whatever the files' own times."""
    first = offline.write_zip(sample_site, tmp_path / "a" / "x-离线版.zip", EDITION)
    for path in list(sample_site.rglob("*.html"))[:5]:
        path.touch()
    second = offline.write_zip(sample_site, tmp_path / "b" / "x-离线版.zip", EDITION)
    assert (tmp_path / "a" / first.file).read_bytes() == (tmp_path / "b" / second.file).read_bytes()


def test_index_files_become_scripts_that_carry_the_same_bytes() -> None:
    """Check the .js twins: names, the gzip bytes in base64, the head as an object, the theme's stub."""
    assert scripts.script_name("g12.bin") == "g12.js" and scripts.script_name("index.json") == "index.js"
    assert scripts.script_name("notes.txt") is None and scripts.script_name(".bin") is None
    packed = gzip.compress(b"\x03\xe4\xba\xba", mtime=0)
    m = re.fullmatch(
        r'\(self\.regbookSearchFiles = self\.regbookSearchFiles \|\| \{\}\)\["g12"\] = "([^"]*)";\n',
        scripts.shard_script("g12", packed).decode("ascii"),
    )
    assert m and base64.b64decode(m[1]) == packed
    head = scripts.head_script('{"docs": 3, "whitespace": "\u3000\u2028"}'.encode()).decode("ascii")
    assert head.endswith('["index"] = {"docs":3,"whitespace":"\\u3000\\u2028"};\n'), head
    assert scripts.theme_index_script(b'{"config": {}, "docs": []}') == b'var __index = {"config":{},"docs":[]};\n'


def test_offline_html_points_folder_links_at_their_index_file() -> None:
    """Check which addresses get index.html: relative folder links that have one, nothing else."""
    folders = {".", "catalog", "regulations/a"}
    page = (
        '<a href="../catalog/">目录</a><a href="../catalog/#x">节</a><a href="..">首页</a>'
        '<a href="../regulations/a/?h=%E4%BA%BA">文件</a><a href="../missing/">无</a>'
        '<a href="https://example.org/">外</a><a href="#top">顶</a><link href="../assets/x.css">'
        '<script>var s = \'<a href="../catalog/">\';</script><code>href="../catalog/"</code>'
        f'<li class="{offline.SELF_LINK_CLASS}"><a href="../downloads/x.zip">x</a></li>'
    )
    out = offline.offline_html(page, "about/index.html", folders)
    assert '<a href="../catalog/index.html">' in out and '<a href="../catalog/index.html#x">' in out
    assert '<a href="../index.html">' in out and '<a href="../regulations/a/index.html?h=%E4%BA%BA">' in out
    for same in ('href="../missing/"', 'href="https://example.org/"', 'href="#top"', 'href="../assets/x.css"'):
        assert same in out
    assert "var s = '<a href=\"../catalog/\">';" in out  # scripts are never touched (CSP hashes)
    assert '<code>href="../catalog/"</code>' in out  # text, not a tag
    assert "x.zip" not in out


def test_every_local_link_of_the_offline_copy_names_a_file(offline_root: Path) -> None:
    """Check no href/src of any page leads to a folder (a listing on file://) or nowhere."""
    broken = []
    for path in sorted(offline_root.rglob("*.html")):
        rel = path.relative_to(offline_root).as_posix()
        for el, attr, url, _ in lxml.html.fromstring(path.read_bytes()).iterlinks():
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = offline_root / posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
            if not target.is_file():
                broken.append(f"{rel}: <{el.tag} {attr}={url}>")
    assert broken == [], "\n".join(broken[:20])


# --- in Chromium, from disk ---------------------------------------------------------------


def _file_url(path: Path) -> str:
    return path.as_uri()


def _watch(page: Any) -> tuple[list[str], list[str]]:
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(m.text))
    return requests, console


def _search_offline(browser, root: Path, queries: list[str]) -> None:  # type: ignore[no-untyped-def]
    texts = site_texts(root)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, console = _watch(page)
    box = FileSearchBox(page)
    box.open(_file_url(root / "index.html"))
    wrong = {}
    for q in queries:
        answer = box.query(q)
        got = [loc.removesuffix("index.html") for loc in answer.locations]
        assert all(loc.endswith("index.html") for loc in answer.locations), answer.locations[:5]
        truth = expected(texts, q)
        if set(got) != truth:
            wrong[q] = {"false hits": sorted(set(got) - truth), "misses": sorted(truth - set(got))}
        assert (str(len(truth)) in answer.shown) if truth else ("没有" in answer.shown), f"{q}: {answer.shown!r}"
    log = page.evaluate("window.__regbookSearch.workers")
    violations = page.evaluate("window.__regbookViolations")
    page.close()
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)
    assert log and not any(w["native"] for w in log if w["url"].endswith("regbook-search.js"))
    shards = [u for u in requests if "/search/regbook/g" in u]
    assert shards and all(u.endswith(".js") for u in shards)
    leaving = [u for u in requests if not u.startswith("file://")]
    assert leaving == [], leaving
    assert violations == [] and not [c for c in console if "Content Security Policy" in c], (violations, console)


@pytest.mark.browser
@pytest.mark.slow
def test_offline_search_is_exact_from_disk_and_never_leaves_it(browser, offline_root: Path) -> None:  # type: ignore[no-untyped-def]
    _search_offline(browser, offline_root, SAMPLE_QUERIES)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.corpus
def test_offline_search_is_exact_on_the_imported_defense_corpus(browser, defense_site: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    zip_path = tmp_path / "defense-离线版.zip"
    offline.write_zip(defense_site, zip_path, EDITION)
    _search_offline(browser, _unpack(zip_path, tmp_path / "unpacked"), DEFENSE_QUERIES)


@pytest.mark.browser
@pytest.mark.slow
def test_offline_navigation_banner_and_opened_result(browser, offline_root: Path) -> None:  # type: ignore[no-untyped-def]
    """Check the tabs, a catalog link, a banner's link and a search result open pages (not folder
    listings) from disk, the opened result highlights the query, and no request leaves the disk."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, _ = _watch(page)
    page.goto(_file_url(offline_root / "index.html"))
    page.locator(".md-tabs__link", has_text="法规目录").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/catalog/index.html"), page.url
    page.locator("article a[href*='regulations/guofang-jiaoyu-fa-2018/']").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/regulations/guofang-jiaoyu-fa-2018/index.html"), page.url
    banner = page.locator("article .admonition.warning")
    assert "已修改" in banner.inner_text()
    banner.locator("a").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/regulations/guofang-jiaoyu-fa-2024/index.html"), page.url
    assert "国防教育法" in page.locator("article h1").inner_text()
    box = FileSearchBox(page)
    box.open(_file_url(offline_root / "about" / "index.html"))
    box.query("防空地下室")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/regulations/[^/]+/index\.html\?h="))
    page.wait_for_selector("article mark[data-md-highlight]")
    assert {m.inner_text() for m in page.locator("article mark[data-md-highlight]").all()} == {"防空地下室"}
    page.close()
    assert [u for u in requests if not u.startswith("file://")] == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_site_folder_opened_from_disk_says_it_cannot_search(browser, sample_site: Path) -> None:  # type: ignore[no-untyped-def]
    """Check a copy of the site folder itself (no .js shards) tells the reader, in the header, where to search."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(_file_url(sample_site / "index.html"))
    note = page.locator(".regbook-search-offline")
    note.wait_for()
    assert "离线版" in note.inner_text()
    assert not page.locator(".md-search").is_visible()
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_policy_applies_on_disk(browser, offline_root: Path) -> None:  # type: ignore[no-untyped-def]
    """Check the Content-Security-Policy is enforced on file:// (so 'nothing refused' above means something):
    an inline script without a hash does not run."""
    page = browser.new_page()
    page.add_init_script(FILE_INIT_SCRIPT)
    page.goto(_file_url(offline_root / "index.html"))
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__regbookViolations"))
    page.close()
