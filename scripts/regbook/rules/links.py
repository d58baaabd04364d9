"""Internal links and anchors resolve, in regulations and in the pages under ``docs/``.

Links are read from the rendered text (inline, reference-style, autolinks and raw HTML
alike; see ``_markdown``). A relative link resolves in one of two ways:

- as MkDocs sees the site (``docs/`` is the root; every regulation is published as
  ``regulations/<id>.md``): ``../catalog/index.md`` from a docs page, ``renmin-fangkong-fa.md``
  between regulations;
- in a regulation's body, also as the files lie in the repository
  (``../falv/renmin-fangkong-fa.md#第十条`` from ``regulations/guizhang/x.md``), so that
  links work in an editor and on GitHub too; ``rewrite_links`` rewrites them for the site.

Anchors: a regulation's articles (paragraphs starting ``第X条``) and every heading (ids from
pymdownx.slugs, lower case) and explicit id. Generated pages (catalogs, the print page) are
link targets without anchor checks.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import PurePosixPath
from typing import Iterator
from urllib.parse import unquote, urlsplit

from regbook.corpus import Corpus, Text
from regbook.model import Regulation
from regbook.opendata import DATA_PAGE
from regbook.pages import CATALOG_PAGES, anchor_articles
from regbook.problems import Problem
from regbook.rules import _markdown

GENERATED = frozenset({*CATALOG_PAGES, "print_page.md", "guide.md", DATA_PAGE})
"""Pages the plugins generate: valid targets, anchors not checked."""


class _Site:
    """What links can point to: published pages by URI, with their anchors."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.texts = {t.uri: t for t in corpus.texts}
        self.by_path = {r.path: r for r in corpus.regulations}
        self.titles: dict[str, str] = {r.src_uri: r.display_title for r in corpus.regulations}
        self.titles.update({c.src_uri: c.title for c in corpus.cleanups})
        self.titles.update({d.src_uri: d.title for d in corpus.disclosures})
        self._anchors: dict[str, set[str]] = {}

    def anchors(self, uri: str) -> set[str] | None:
        """Ids on a published page; None where they are not known (generated pages)."""
        if uri not in self.texts:
            return None
        if uri not in self._anchors:
            text = self.texts[uri]
            body = anchor_articles(text.body) if uri.startswith("regulations/") else text.body
            found = _markdown.ids(body)
            if uri in self.titles:
                found.add(_markdown.slug(self.titles[uri]))
            self._anchors[uri] = found
        return self._anchors[uri]

    def exists(self, uri: str) -> bool:
        if uri in self.texts or uri in GENERATED:
            return True
        if uri.startswith("regulations/") and PurePosixPath(uri).stem in self.corpus.unloaded:
            return True  # reported where it fails to load
        return (self.corpus.root / "docs" / uri).is_file()

    def resolve(self, text: Text, path: str) -> tuple[str | None, str | None]:
        """(published URI, source-form URI) of a relative path; None where it leads nowhere."""
        published = posixpath.normpath(posixpath.join(posixpath.dirname(text.uri), path))
        if published.endswith("/") or path.endswith("/"):
            published = posixpath.join(published, "index.md")
        found = published if not published.startswith("../") and self.exists(published) else None
        source: str | None = None
        if text.path.startswith("regulations/"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(text.path), path))
            if (reg := self.by_path.get(target)) is not None:
                source = reg.src_uri
            elif target.startswith("regulations/") and PurePosixPath(target).stem in self.corpus.unloaded:
                source = f"regulations/{PurePosixPath(target).stem}.md"
            elif target.startswith("docs/") and self.exists(target.removeprefix("docs/")):
                source = target.removeprefix("docs/")
        return found, source


def _site(corpus: Corpus) -> _Site:
    """One ``_Site`` per corpus (the plugin rewrites every regulation's links)."""
    site = corpus.__dict__.get("_links_site")
    if site is None:
        site = corpus.__dict__["_links_site"] = _Site(corpus)
    return site


def _split(href: str) -> tuple[str, str] | None:
    """(path, fragment) of an internal link, None for external ones and mailto/tel."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    return unquote(parts.path), unquote(parts.fragment)


_INLINE_TARGET_RE = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_REF_DEF_RE = re.compile(r"^( {0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?)(?=\s|$)", re.M)


def rewrite_links(corpus: Corpus, reg: Regulation, body: str) -> str:
    """A regulation's body with repository-form links (``../falv/x.md#第十条``) made site-form.

    Links that already resolve on the site, external links and broken links (reported by
    ``links_resolve``) are left as they are.
    """
    if "](" not in body and "]:" not in body:  # neither pattern can match: most bodies, quickly
        return body
    text = Text(reg.path, reg.src_uri, body, 1)
    body = _INLINE_TARGET_RE.sub(lambda m: m[1] + site_href(corpus, text, m[2]), body)
    return _REF_DEF_RE.sub(lambda m: m[1] + site_href(corpus, text, m[2]) + m[3], body)


def site_href(corpus: Corpus, text: Text, href: str) -> str:
    """One link of a regulation's body (``text``) as ``rewrite_links`` writes it for the site."""
    split = _split(href)
    if split is None or not split[0]:
        return href
    path, fragment = split
    found, source = _site(corpus).resolve(text, path)
    if found is not None or source is None:
        return href
    rel = posixpath.relpath(source, posixpath.dirname(text.uri))
    return rel + (f"#{fragment}" if fragment else "")


def _regulation_at(corpus: Corpus, uri: str | None) -> Regulation | None:
    """The regulation published at ``uri`` (``regulations/<id>.md``), if any."""
    if uri is None or not uri.startswith("regulations/"):
        return None
    return corpus.regulation(PurePosixPath(uri).stem)


def _candidates(site: _Site, text: Text, wanted: str) -> str:
    """A hint: regulation files with the same name, written the way this text should link them."""
    name = PurePosixPath(wanted).name
    same = [r for r in site.corpus.regulations if PurePosixPath(r.path).name == name]
    if same:
        rel = posixpath.relpath(same[0].path, posixpath.dirname(text.path))
        return f"；是不是 {rel}？"
    if text.path.startswith("docs/") and name.endswith(".md"):
        return "；路径相对于当前页面，法规写作 regulations/<id>.md（从 docs/ 算起）"
    return "；路径相对于当前文件" + ("，写到 .md 为止" if name.endswith(".md") else "")


def links_resolve(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    site = _site(corpus)
    for text in corpus.texts:
        where = _markdown.Locator(text)
        for el in _markdown.elements(text.body):
            attr = "href" if el.tag == "a" else "src" if el.tag == "img" else None
            href = el.attrib.get(attr or "", "").strip()
            if not href or (split := _split(href)) is None:
                continue
            path, fragment = split
            line = where.line(f"({href}", href, path or f"#{fragment}")
            if not path:
                target: str | None = text.uri
            else:
                found, source = site.resolve(text, path)
                target = found or source
                if target is None:
                    what = "图片" if el.tag == "img" else "链接"
                    yield Problem.error(
                        text.path, line, f"{what}“{href}”指向的文件不存在{_candidates(site, text, path)}"
                    )
                    continue
                if source is None and text.path.startswith("regulations/") and (reg := _regulation_at(corpus, found)):
                    rel = posixpath.relpath(reg.path, posixpath.dirname(text.path))
                    yield Problem.warning(
                        text.path,
                        line,
                        f"链接“{href}”在网站上有效，但在编辑器和 GitHub 中打不开：路径应从当前文件所在文件夹写起，"
                        f"写作 {rel}" + (f"#{fragment}" if fragment else ""),
                    )
            if fragment and target is not None and (anchors := site.anchors(target)) is not None and fragment not in anchors:
                near = sorted(a for a in anchors if fragment in a or a in fragment)
                hint = f"；是不是“#{near[0]}”？" if near else "：锚点应为条文（如 #第十条）或标题"
                yield Problem.error(
                    text.path, line, f"链接“{href}”中的锚点“#{fragment}”在 {target} 中不存在{hint}"
                )


RULES = [links_resolve]
