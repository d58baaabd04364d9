"""``regbook`` MkDocs plugin: a thin adapter over the domain.

- ``on_files``: loads the corpus once, refuses to build on any content error, and adds the
  regulation pages (from ``regulations/``, outside ``docs_dir``), the catalog pages and the
  editors' guide (``CONTRIBUTING.md``, as ``guide.md``) as generated files;
- ``on_page_markdown``: puts the metadata blocks on cleanup-record and disclosure pages and
  fills the ``<!-- regbook:… -->`` markers of hand-written pages with generated lists.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from regbook import corpus as corpus_mod
from regbook import pages, rules
from regbook.corpus import Corpus
from regbook.problems import render

log = get_plugin_logger(__name__)

_H1_RE = re.compile(r"\A\s*#\s+[^\n]*\n")


class RegbookConfig(base.Config):
    enabled = c.Type(bool, default=True)
    root = c.Optional(c.Type(str))
    """Project folder holding ``regulations/`` and ``docs/``; default: the folder of mkdocs.yml."""


class RegbookPlugin(BasePlugin[RegbookConfig]):
    """Publishes regulations, catalogs, cleanup records and disclosure items."""

    def __init__(self) -> None:
        self.corpus: Corpus | None = None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        root = Path(self.config.root or Path(config.config_file_path).parent)
        self.corpus = corpus = corpus_mod.load(root)
        problems = rules.check(corpus)
        errors = [p for p in problems if p.is_error]
        for p in problems:
            if not p.is_error:
                log.warning(p.as_text())
        if errors:
            raise PluginError(f"内容检查发现 {len(errors)} 个错误，未生成网站：\n{render(errors)}")
        for reg in corpus.regulations:
            files.append(File.generated(config, reg.src_uri, content=pages.regulation_page(corpus, reg)))
        generated = {uri: pages.catalog_page(corpus, uri) for uri in pages.CATALOG_PAGES}
        guide = root / "CONTRIBUTING.md"
        if guide.is_file():
            generated["guide.md"] = guide.read_text(encoding="utf-8")
        for uri, content in generated.items():
            if (existing := files.get_file_from_path(uri)) is not None:
                files.remove(existing)
            files.append(File.generated(config, uri, content=content))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.corpus is None:
            return markdown
        corpus, uri = self.corpus, page.file.src_uri
        if "<!-- regbook:disclosure-list -->" in markdown:
            markdown = markdown.replace("<!-- regbook:disclosure-list -->", pages.disclosure_list(corpus, uri))
        if "<!-- regbook:cleanup-list -->" in markdown:
            markdown = markdown.replace("<!-- regbook:cleanup-list -->", pages.cleanup_list(corpus, uri))
        record = next((r for r in corpus.cleanups if r.src_uri == uri), None)
        if record is not None:
            return f"# {record.title}\n\n{pages.cleanup_block(corpus, record)}{_H1_RE.sub('', markdown, count=1)}"
        item = next((d for d in corpus.disclosures if d.src_uri == uri), None)
        if item is not None:
            return f"# {item.title}\n\n{pages.disclosure_block(item)}{_H1_RE.sub('', markdown, count=1)}"
        return markdown
