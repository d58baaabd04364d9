"""``regbook-search`` MkDocs plugin: the adapter between rendered pages and ``regbook.search``.

- ``on_post_page``: takes each rendered page's searchable text (``regbook.search.extract``) with its
  title, 发文字号 (``regbook_number``) and 时效性 (``regbook_status``) from the page's front matter,
  all as text (``page.title`` is HTML to MkDocs: its entities are decoded here, and the worker
  escapes what it shows);
  the print page and pages with ``search: {exclude: true}`` are left out;
- ``on_config``: the theme's search plugin stays enabled (the theme shows its search box only then)
  but indexes nothing: its index is replaced by one that skips every page (``_NoIndex``), since
  regbook's index answers the box; indexing the 2,600 pages of a national corpus cost tens of
  seconds for a file nobody downloads;
- ``on_post_build``: writes the sharded index into ``search/regbook/`` and replaces Material's
  ``search/search_index.json`` (which the theme downloads on every page) with a stub that carries
  only the configuration the theme's highlighter reads.
  Under ``serve --dirty`` (``make serve``) only the first build writes the index: later rebuilds
  render only the changed pages, and the preview's search keeps the first index.

The theme keeps its search box; ``overrides/main.html`` points the theme's search worker at
``assets/javascripts/workers/regbook-search.js`` while this plugin is enabled. With
``enabled: false`` the theme's own search (lunr) is left untouched, for comparison.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.pages import Page
from material.plugins.search.plugin import SearchIndex

from regbook import escape
from regbook.search import SearchDoc, build_index, normalise
from regbook.search.extract import article_text

log = get_plugin_logger(__name__)

INDEX_DIR = "search/regbook"
# The theme's highlighter splits the h= parameter with this separator: whitespace only, so that
# 〔2023〕5号 or GB/T 2260 are highlighted as typed.
STUB_CONFIG = {"lang": ["zh"], "separator": r"[\s]+", "pipeline": []}


class _NoIndex(SearchIndex):
    """The theme's search index, left empty: pages are not parsed (regbook's index answers the box)."""

    def add_entry_from_context(self, page: Page) -> None:
        return None


class RegbookSearchConfig(base.Config):
    enabled = c.Type(bool, default=True)


class RegbookSearchPlugin(BasePlugin[RegbookSearchConfig]):
    """Collects page texts and writes the exact-substring search index."""

    def __init__(self) -> None:
        self.docs: list[SearchDoc] = []
        self.dirty = False
        """``serve --dirty`` (``make serve``): rebuilds render only the changed pages, so the index of
        the first build is kept (a preview's search may miss an edit until the server restarts)."""
        self.indexed = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = command == "serve" and dirty

    @event_priority(-100)  # after the theme's search plugin has made its index (its on_config)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        theme_search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(theme_search, "search_index", None)
        if self.config.enabled and type(index) is SearchIndex:
            theme_search.search_index = _NoIndex(**index.config)  # type: ignore[union-attr]
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.docs = []

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        print_site = config.plugins.get("print-site")
        excluded = page.meta.get("search")
        if page is getattr(print_site, "print_page", None) or (isinstance(excluded, dict) and excluded.get("exclude")):
            return output
        self.docs.append(
            SearchDoc(
                url=page.url,
                title=html.unescape(escape.one_line(page.title)),
                number=escape.one_line(page.meta.get("regbook_number")),
                status=escape.one_line(page.meta.get("regbook_status")),
                text=normalise(article_text(output)),
            )
        )
        return output

    @event_priority(-100)  # after the theme's search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        started = time.perf_counter()
        site = Path(config.site_dir)
        stub = {"config": STUB_CONFIG, "docs": []}
        (site / "search").mkdir(exist_ok=True)
        (site / "search" / "search_index.json").write_text(json.dumps(stub), encoding="utf-8")
        if self.dirty and self.indexed:
            log.info("检索索引沿用预览首次生成的索引（只重新生成了改动的页面；重新启动预览即可更新检索）")
            return
        stats = build_index(self.docs, site / INDEX_DIR)
        self.indexed = True
        log.info(
            f"检索索引：{stats.docs} 个页面，{stats.files} 个文件，{stats.bytes_on_disk / 1e6:.1f} MB，"
            f"用时 {time.perf_counter() - started:.1f} 秒"
        )
