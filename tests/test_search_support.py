"""Shared by the search tests and ``benchmarks/search.py`` (no tests here): the truth computed from
the built pages, and a driver that types into the theme's search box in headless Chromium.

The truth is computed independently of ``regbook.search.extract`` (``html.parser`` here, lxml
there) from the same documented definition (docs/dev/search.md): the text of
``article.md-content__inner`` without permalinks, scripts and icons; block elements separated by
a space; whitespace collapsed; ASCII letters lower-cased. A page is a hit iff it contains every
whitespace-separated term of the query.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

INLINE = set("a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var wbr".split())
SKIP = {"script", "style", "template", "svg", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


class _ArticleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.depth_in_article = 0
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in VOID:
            if self._inside() and tag not in INLINE:
                self.parts.append(" ")
            return
        if not self.depth_in_article and tag == "article" and "md-content__inner" in classes and not self.found:
            self.depth_in_article = len(self.stack) + 1
            self.found = True
        skipped = bool(self.stack and self.stack[-1][1]) or tag in SKIP or "headerlink" in classes
        self.stack.append((tag, skipped))
        if self._inside() and tag not in INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        while self.stack:
            open_tag, _ = self.stack[-1]
            if self._inside() and open_tag not in INLINE:
                self.parts.append(" ")
            self.stack.pop()
            if self.depth_in_article and len(self.stack) < self.depth_in_article:
                self.depth_in_article = 0
            if open_tag == tag:
                break

    def _inside(self) -> bool:
        return bool(self.depth_in_article) and not self.stack[-1][1] if self.stack else False

    def handle_data(self, data: str) -> None:
        if self._inside():
            self.parts.append(data)


def normalise(text: str) -> str:
    return re.sub("[A-Z]+", lambda m: m[0].lower(), SPACE.sub(" ", text)).strip()


def page_text(html: str) -> str | None:
    parser = _ArticleText()
    parser.feed(html)
    return normalise("".join(parser.parts)) if parser.found else None


def site_texts(site: Path) -> dict[str, str]:
    """Searchable text of every page of a built site, by its URL (as the search returns it)."""
    texts: dict[str, str] = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        # Not searchable: the print page, and the developer pages formerly under docs/dev/ (now dev-docs/, not published; their front matter
        # says ``search: {exclude: true}``, which the built HTML does not show).
        if rel.startswith(("print_page", "search", "dev/")):
            continue
        text = page_text(path.read_text(encoding="utf-8"))
        if text is not None:
            texts["" if rel == "." else rel + "/"] = text
    return texts


def expected(texts: dict[str, str], query: str) -> set[str]:
    terms = [t for t in normalise(query).split(" ") if t]
    return {url for url, text in texts.items() if terms and all(t in text for t in terms)}


INIT_SCRIPT = """
(() => {
  const log = window.__regbookSearch = { queries: [], results: [], keyups: [], mutations: [] };
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(url, options) {
      super(url, options);
      this.addEventListener("message", ev => {
        if (ev.data && ev.data.type === 3)
          log.results.push({ t: performance.now(), query: ev.data.data.regbookQuery,
                             // a page (the theme's own worker may lead with a section: page.html#part)
                             locations: [...new Set(ev.data.data.items.map(item => item[0].location.split("#")[0]))] });
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) log.queries.push({ t: performance.now(), query: message.data });
      return super.postMessage(message, ...rest);
    }
  };
  document.addEventListener("keyup", () => log.keyups.push(performance.now()), true);
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.querySelector(".md-search-result");
    if (el) new MutationObserver(() => log.mutations.push(performance.now()))
      .observe(el, { childList: true, subtree: true, characterData: true });
  });
})();
"""

_DONE = """
(q) => {
  const log = window.__regbookSearch;
  const last = log.queries.at(-1);
  if (!last || last.query !== q) return null;
  const result = log.results.find(r => r.t >= last.t && r.query === q)
    || (log.results.length >= log.queries.length && log.results.at(-1).query === undefined
        ? log.results.at(-1) : null);
  if (!result) return null;
  const rendered = log.mutations.find(t => t >= result.t);
  if (rendered === undefined) return null;
  // the keystroke that produced the query (later keys, such as End, change nothing)
  const keyup = log.keyups.filter(t => t <= last.t).at(-1);
  return { locations: result.locations, keyup, result: result.t, rendered };
}
"""


@dataclass
class Answer:
    locations: list[str]
    latency_ms: float
    """From the last keystroke to the result list changing on screen."""
    shown: str
    """The result count line the theme shows."""


class SearchBox:
    """Types into the theme's search box of one page, as a reader does."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.input = page.locator("input.md-search__input")

    def open(self, url: str) -> None:
        self.page.add_init_script(INIT_SCRIPT)
        self.page.goto(url, wait_until="load")
        self.input.click()

    def query(self, text: str, timeout: float = 30.0) -> Answer:
        self.input.fill("")
        self.page.keyboard.press("End")
        # Latin letters and digits are real key presses; CJK characters arrive as text input, as from
        # an input method, and the theme searches on keyup: "End" ends the input as a reader's key would.
        self.input.press_sequentially(text, delay=20)
        self.page.keyboard.press("End")
        deadline = time.monotonic() + timeout
        while True:
            done = self.page.evaluate(_DONE, text)
            if done:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"no search result for {text!r}")
            time.sleep(0.02)
        shown = self.page.locator(".md-search-result__meta").inner_text()
        return Answer(done["locations"], done["rendered"] - done["keyup"], shown)


_MISSING = re.compile("缺少“([^”]+)”")


def import_corpus(project: Path, source: Path, env: dict[str, str]) -> tuple[int, list[str], list[str]]:
    """``regbook import`` of ``source`` into ``project``, then make the imported files buildable.

    The site refuses to build while any file has a content error. Search tests and benchmarks need
    the texts, not perfect metadata: a missing required field (发文字号, 成文日期, 施行日期) is filled
    with a placeholder (dates: the file's 公布日期); files with other errors are left out.
    Returns (files imported, files patched, files left out).
    """
    import json
    import subprocess
    import sys

    regbook = [sys.executable, "-m", "regbook.cli"]
    before = len(list((project / "regulations").rglob("*.md")))
    # --date: the publication date for the few sources (案例) that carry no date at all.
    command = [*regbook, "import", "--root", str(project), "--date", "2000-01-01", str(source)]
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    imported = len(list((project / "regulations").rglob("*.md"))) - before
    if imported == 0 and any(source.rglob("*.md")):
        raise RuntimeError(run.stderr[-3000:])
    patched: list[str] = []
    dropped: list[str] = []
    for _ in range(2):
        check = subprocess.run(
            [*regbook, "check", "--root", str(project), "--format", "json"], capture_output=True, text=True, env=env
        )
        errors = [p for p in json.loads(check.stdout or "[]") if p["severity"] == "错误"]
        if not errors:
            break
        by_path: dict[str, list[str]] = {}
        for p in errors:
            by_path.setdefault(p["path"], []).append(p["message"])
        for rel, messages in by_path.items():
            path = project / rel
            fields = [m[1] for msg in messages if (m := _MISSING.match(msg))]
            if len(fields) != len(messages) or rel in patched:
                path.unlink(missing_ok=True)
                dropped.append(rel)
                continue
            text = path.read_text(encoding="utf-8")
            head, sep, body = text[4:].partition("\n---\n")
            published = re.search(r"^公布日期: *(\S+)", head, re.M)
            written = re.search(r"^成文日期: *(\d{4})", head, re.M) or re.search(r"^公布日期: *(\d{4})", head, re.M)
            # GB/T 9704 form, the year of 成文日期, unique (发文字号 must not repeat), 9000+ (not a real-looking one)
            placeholder = f"导入占位〔{written[1] if written else 2000}〕{9001 + len(patched)}号"
            lines = [f"{f}: {published[1] if f.endswith('日期') and published else placeholder}" for f in fields]
            path.write_text("---\n" + head + "\n" + "\n".join(lines) + sep + body, encoding="utf-8")
            patched.append(rel)
    return imported, patched, dropped
