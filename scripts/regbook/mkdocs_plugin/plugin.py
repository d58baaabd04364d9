"""``regbook`` MkDocs plugin: a thin adapter over the domain.

- ``on_files``: loads the corpus once, refuses to build on any content error (not checked again
  when ``regbook build``, its parent, has just checked the same content: ``build.checked_by_parent``), and adds the
  regulation pages (from ``regulations/``, outside ``docs_dir``) and the catalog pages as
  generated files (the editors' guide, CONTRIBUTING.md, stays in the repository: not published); under ``serve`` a
  content error does not stop the server: every page, and the 404 page, lists the errors
  (``file:line``) until the files are fixed;
- ``make serve`` is ``mkdocs serve --dirty``: a rebuild renders again only the generated pages whose
  Markdown changed since the previous build (``_ServedFile``) and the hand-written pages MkDocs finds
  modified, so an edited document's page reloads in about two seconds on a national corpus; every
  page when the error list comes or goes; the output of a file that is gone is removed
  (``_remove_stale``). The plugin instance lives as long as the server: it keeps the parsed files
  (``corpus.LoadCache``: only files whose bytes changed are parsed again) and the text rules'
  findings (``rules.CheckCache``), the compiled theme templates (``_TemplateCode``), and the catalog
  pages, open data and regulation pages' Markdown, reused while their inputs are the same
  (``_listings_key``: after an edit of a regulation's body, only its page is made again), and
  at the first rebuild it takes what the first build left out of the garbage collector's full
  collections (``_freeze_long_lived``); the rules comparing documents run on the whole corpus each time;
- files (defense in depth, whatever the checker said): ``on_pre_build`` refuses a symlinked
  folder in ``docs/`` before MkDocs walks it (MkDocs follows such links), and ``on_files`` drops
  every ``docs/`` file that ``corpus.publish_refusal`` refuses (links, non-allowed types by
  content, theme or build paths), bringing back the theme file a dropped one shadowed;
- ``on_page_markdown``: puts the metadata blocks on cleanup-record and disclosure pages and
  fills the ``<!-- regbook:… -->`` marker lines of hand-written pages with generated lists
  (``markup.fill_markers``: a marker quoted in code stays as written);
- page titles: every front-matter ``title`` (and the other keys the theme prints unescaped:
  ``description``, ``author``, ``subtitle``) is text, turned into escaped HTML here, once
  (``regbook.escape``); cleanup-record and disclosure pages get their 标题 as title;
- a government site's furniture (``regbook.govsite``): every page and template gets the footer
  (``regbook_footer``) and the 政府网站 meta tags (``regbook_meta``) from ``extra: 网站信息:`` and
  the page's metadata (``on_page_context``, ``on_template_context``);
- open data and feeds (``regbook.opendata``, ``regbook.feeds``): ``on_files`` adds the data files
  (``catalog.json`` …), the Atom feeds (``feed.xml`` …) and their page (``data/index.md``) as
  generated files, and lists the feeds for ``overrides/main.html``'s ``<link rel="alternate">``;
- ``on_post_page``: the Content-Security-Policy of ``overrides/main.html`` gets the hashes of the
  theme's inline scripts on that page (``regbook.csp``);
- the book (``regbook.book``): ``print_page.md`` (``print_page/N.md`` for further volumes)
  holds the book's HTML for browser printing (filled in ``on_page_context``, once every page is
  converted); ``on_post_build`` renders the PDF book into ``downloads/`` of the site
  being built (before ``regbook build`` swaps it in) and fills in the download sizes; both take
  each document's body from its regulation page (``on_page_content`` cuts it out at a mark,
  ``regbook.book.from_site`` derives the book's HTML), so a build converts each body once;
- the offline copy (``regbook.offline``): after the book and the search index, the whole site as
  ``downloads/<book>-离线版.zip``, browsable and searchable from disk, linked with its size.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import html as html_mod
import logging
import os
import re
from pathlib import Path

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from regbook import build, clock, csp, escape, offline
from regbook import corpus as corpus_mod
from regbook import feeds, markup, opendata, pages, report, rules
from regbook.model import CleanupRecord, Column, DisclosureItem, Regulation
from regbook.rules import disclosure as disclosure_rules
from regbook.book import pdf as book_pdf
from regbook.book import site as book_site
from regbook.book import from_site
from regbook.book.html import Renderer
from regbook.book.selection import Book
from regbook.corpus import Corpus
from regbook.problems import Problem, render, render_html
from regbook.status import status_on
from regbook import govsite, wordbreak

log = get_plugin_logger(__name__)

_H1_RE = re.compile(r"\A\s*#\s+[^\n]*\n")
_TAG_RE = re.compile(r"<[^>]*>")
NOT_FOUND_HEADING = "<h1>404 - 找不到该页面</h1>"
"""The heading of overrides/404.html, replaced by the error list under ``serve``."""
DISCLOSURE_LIST = markup.DISCLOSURE_LIST
_SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ERROR_TITLE = "内容有错误，网站暂不显示"
_ERROR_INTRO = (
    "本地预览发现下面的错误，所以每个网址都显示本页。请按说明改正文件并保存，改好后本页会自动换成网站。"
    "改正之前，正式构建（make build）不会生成网站。"
)
CLEANUP_LIST = markup.CLEANUP_LIST


class RegbookConfig(base.Config):
    enabled = c.Type(bool, default=True)
    root = c.Optional(c.Type(str))
    """Project folder holding ``regulations/`` and ``docs/``; default: the folder of mkdocs.yml."""
    book = c.Type(bool, default=True)
    """Render the PDF book into ``downloads/`` (env ``REGBOOK_BOOK=0/1`` overrides; off under ``serve``)."""
    book_documents = c.Type(bool, default=True)
    """Also one PDF per document, linked from its page (env ``REGBOOK_BOOK_DOCUMENTS=0/1`` overrides)."""
    offline = c.Type(bool, default=True)
    """The offline copy's zip in ``downloads/``, when the book is built (env ``REGBOOK_OFFLINE=0/1`` overrides)."""


class RegbookPlugin(BasePlugin[RegbookConfig]):
    """Publishes regulations, catalogs, cleanup records and disclosure items."""

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.book: Book | None = None
        self.plan: Book | None = None
        self.serving = False
        self.download_pages: list[str] = []
        self.failed: list[Problem] = []
        """Under ``serve``: the content errors that every page shows instead of the site."""
        self.today: dt.date | None = None
        self.offline = False
        """Write the offline copy (``regbook.offline``) after the build."""
        self.by_uri: dict[str, Regulation | CleanupRecord | DisclosureItem] = {}
        """The corpus's documents by page (``src_uri``): one lookup per page, not a walk of the corpus."""
        self.dirty = False
        """``serve --dirty`` (``make serve``): a rebuild renders only the pages whose Markdown changed."""
        self.served: dict[str, str | bytes] = {}
        """Under ``serve --dirty``: each generated file's content at the previous build."""
        self.served_failed = False
        """Under ``serve --dirty``: whether the previous build showed the error list."""
        self.body_mark = from_site.body_mark()
        """The comment before each regulation page's body (a random token: no body can write it)."""
        self.site_bodies: dict[str, from_site.SiteBody] = {}
        """The regulations' bodies as their pages rendered them (by id), kept from one
        ``serve`` rebuild to the next: a page not rendered again keeps its body, used only while
        the page's Markdown is the one it was rendered from (``page_sources``)."""
        self.page_sources: dict[str, str] = {}
        """This build's Markdown of the regulations' pages, by id."""
        self.book_bodies: from_site.Bodies | None = None
        """The book's bodies derived from the site's (``from_site``), for this build."""
        self.served_dests: set[str] = set()
        """Under ``serve --dirty``: the output file of every file of the previous build."""
        self.load_cache: corpus_mod.LoadCache | None = None
        self.check_cache: rules.CheckCache | None = None
        """Under ``serve``: the parsed files and the text rules' findings of the previous builds,
        so that a rebuild parses and checks again only the files that changed."""
        self.template_code: _TemplateCode | None = None
        self.listings: tuple[bytes, _Listings] | None = None
        """Under ``serve``: the catalog pages and open data of the previous build, with the digest of
        their inputs (``_listings_key``)."""
        self.listings_reused = 0
        """Builds that took the catalog pages and open data from the previous one."""
        self.pages_key: bytes | None = None
        self.regulation_pages: dict[str, tuple[Regulation, str, str]] = {}
        """Under ``serve``: each regulation's page Markdown at the previous build (with the document
        and its PDF link), reused for an equal document while ``pages_key`` (``_listings_key``: the
        metadata of every document, the date, the site's settings) is the same: a page reads its own
        document whole and only the metadata of the others."""
        self.digest_parts: dict[int, tuple[Regulation, bytes]] = {}
        """Under ``serve``: each regulation's part of ``corpus.metadata_digest`` at the previous build."""
        self.regulation_pages_made = 0
        """Regulation pages made (not taken from ``regulation_pages``), in all."""
        self.frozen = False
        """Under ``serve``: whether the objects kept from the first build are out of the garbage
        collector's reach (``_freeze_long_lived``)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = self.serving and dirty
        if self.serving and self.load_cache is None:
            self.load_cache, self.check_cache = corpus_mod.LoadCache(), rules.CheckCache()
            self.template_code = _TemplateCode()
        build_log = logging.getLogger("mkdocs.commands.build")
        if self.dirty and not any(isinstance(f, _DirtyNotice) for f in build_log.filters):
            build_log.addFilter(_DirtyNotice())

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        if self.template_code is not None:  # serve: each rebuild's new environment reuses the compiled templates
            env.bytecode_cache = self.template_code
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.serving and self.corpus is not None and not self.frozen:
            _freeze_long_lived()  # the first rebuild: the first build's garbage is gone
            self.frozen = True
        if self.config.enabled and (links := corpus_mod.linked_folders(Path(config.docs_dir))):
            listed = "\n".join(f"  {link}（指向 {os.readlink(link)}）" for link in links)
            raise PluginError(f"docs/ 中有指向别处的文件夹链接，未生成网站（请删去这些链接，放入文件夹本身）：\n{listed}")

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        root = Path(self.config.root or Path(config.config_file_path).parent)
        _drop_unpublishable(files, config)
        try:  # one build date for the checker, the pages, the catalogs, search and the book
            self.today = today = clock.today()
        except clock.ClockError as exc:
            raise PluginError(str(exc)) from exc
        # regbook build has just checked this very content (unchanged before and after loading it here)
        trusted = build.checked_by_parent(root, today)
        self.corpus = corpus = corpus_mod.load(root, self.load_cache)
        self.by_uri = _by_uri(corpus)
        trusted = trusted and build.checked_by_parent(root, today)
        problems = [] if trusted else rules.check(corpus, today, self.check_cache)
        errors = [p for p in problems if p.is_error]
        for p in problems:
            if not p.is_error:
                # info, not warning: mkdocs.yml has strict: true, and a content warning (e.g. an
                # expired 有效期) must not stop the site; `regbook check --strict` fails on it.
                log.info(p.as_text())
        if errors and self.serving:
            return self._error_site(files, config, corpus, errors)
        if errors:
            raise PluginError(f"内容检查发现 {len(errors)} 个错误，未生成网站：\n{render(errors)}")
        self.failed = []
        self.plan = book_pdf.plan(corpus, os.environ.get("SOURCE_DATE_EPOCH"), today=today)
        self.book, self.download_pages = None, []
        if book_site.switch(self.config.book, os.environ.get("REGBOOK_BOOK"), self.serving):
            self.book = self.plan
        self.offline = book_site.switch(self.config.offline and self.book is not None, os.environ.get("REGBOOK_OFFLINE"), self.serving)
        with_pdf = {e.id for e in self.book.entries} if self.book and self._documents() else set()
        self.page_sources, self.book_bodies = {}, None
        key = _listings_key(config, corpus, today, with_pdf, self.digest_parts) if self.serving else None
        kept = self.regulation_pages if key is not None and key == self.pages_key else {}
        self.pages_key, self.regulation_pages = key, {}
        for reg in corpus.regulations:
            href = ""  # this document's PDF, when the book has it (relpath: not for every page)
            if reg.id in with_pdf:
                href = book_site.href(book_site.regulation_dest(reg.id, config.use_directory_urls), book_site.document_pdf(reg.id))
            if (old := kept.get(reg.id)) is not None and old[0] == reg and old[1] == href:
                content = old[2]  # under serve: the same document (body too) among the same metadata
            else:
                content = pages.regulation_page(corpus, reg, href, today=today, body_mark=self.body_mark)
                self.regulation_pages_made += 1
            if key is not None:
                self.regulation_pages[reg.id] = (reg, href, content)
            self.page_sources[reg.id] = content
            files.append(self._generated(config, reg.src_uri, content))
        for gone in self.site_bodies.keys() - self.page_sources.keys():  # serve: a deleted document
            del self.site_bodies[gone]
        catalogs, open_data = self._listings(config, corpus, today, with_pdf, key)
        generated: dict[str, str | bytes] = dict(catalogs)
        for i, uri in enumerate(book_site.print_pages(self.plan)):
            generated[uri] = book_site.print_page_markdown(self.plan, i, self.book is not None)
        generated.update(open_data)
        for uri, data in generated.items():
            if (existing := files.get_file_from_path(uri)) is not None:
                files.remove(existing)
            files.append(self._generated(config, uri, data))
        self._after_dirty_failure(files, False)
        self._remove_stale(files, config)
        return files

    def _generated(self, config: MkDocsConfig, uri: str, content: str | bytes) -> File:
        """A generated file; under ``serve --dirty``, one that MkDocs renders again only when its
        content differs from the previous build's (or its output is missing)."""
        if not self.dirty:
            return File.generated(config, uri, content=content)
        file = _ServedFile.generated(config, uri, content=content)
        assert isinstance(file, _ServedFile)
        file.changed = self.served.get(uri) != content
        self.served[uri] = content
        return file

    def _after_dirty_failure(self, files: Files, failed: bool) -> None:
        """Under ``serve --dirty``, when the error list appears or goes away every page changes: the
        hand-written pages' output is removed so that MkDocs renders them again (generated ones
        differ in content anyway)."""
        if not self.dirty or failed == self.served_failed:
            return
        self.served_failed = failed
        for file in files:
            if file.is_documentation_page() and not file.generated_by and os.path.isfile(file.abs_dest_path):
                os.remove(file.abs_dest_path)

    def _remove_stale(self, files: Files, config: MkDocsConfig) -> None:
        """Under ``serve --dirty``, the output of every file the previous build had and this one has
        not (a deleted or renamed document or page, the print pages while the error list shows),
        with the folders it leaves empty: a dirty build leaves them, and the preview would still
        show a document that is gone."""
        if not self.dirty:
            return
        site = os.path.normpath(config.site_dir)
        dests = {os.path.normpath(f.abs_dest_path) for f in files}
        for dest in sorted(self.served_dests - dests):
            if not dest.startswith(site + os.sep):
                continue
            with contextlib.suppress(OSError):
                os.remove(dest)
            folder = os.path.dirname(dest)
            while folder.startswith(site + os.sep):
                try:
                    os.rmdir(folder)  # only when empty
                except OSError:
                    break
                folder = os.path.dirname(folder)
        self.served_dests = dests
        for uri in self.served.keys() - {f.src_uri for f in files}:
            del self.served[uri]

    def _listings(self, config: MkDocsConfig, corpus: Corpus, today: dt.date, with_pdf: set[str], key: bytes | None) -> _Listings:
        """The catalog pages and the open data (``_open_data``); under ``serve`` (``key``: the digest
        of their inputs, ``_listings_key``), those of the previous rebuild when it had the same key
        (an edit of a body only)."""
        if key is not None and self.listings is not None and self.listings[0] == key:
            self.listings_reused += 1
            catalogs, open_data = self.listings[1]
        else:
            catalogs = {uri: pages.catalog_page(corpus, uri, today) for uri in pages.CATALOG_PAGES}
            open_data = self._open_data(config, corpus, today, with_pdf)
            self.listings = None if key is None else (key, (catalogs, open_data))
        listed = feeds.feeds(config.site_name)  # each rebuild reads mkdocs.yml again: a new config.extra
        config.extra["regbook_feeds"] = [
            {"path": f.path, "title": f.title, "under": "" if f.column is None else "disclosure/"} for f in listed
        ]
        return catalogs, open_data

    def _open_data(self, config: MkDocsConfig, corpus: Corpus, today: dt.date, with_pdf: set[str]) -> dict[str, str | bytes]:
        """The data files, the Atom feeds and their page (``regbook.opendata``, ``regbook.feeds``); the
        feeds' ``<link rel="alternate">`` for every page's head are set by ``_listings``
        (``config.extra.regbook_feeds``, read by ``overrides/main.html``: the main feed everywhere,
        the 栏目 feeds on the disclosure pages)."""
        pdfs = {reg_id: book_site.document_pdf(reg_id) for reg_id in with_pdf}
        site = opendata.Site(config.use_directory_urls, config.site_url or "", pdfs)
        author = config.site_author or config.site_name
        out: dict[str, str | bytes] = {}
        out.update(opendata.data_files(corpus, today, site, config.site_name))
        out.update(feeds.feed_files(corpus, today, site, config.site_name, author))
        listed = feeds.feeds(config.site_name)
        out[opendata.DATA_PAGE] = opendata.data_page(corpus, today, [(f.path, f.title) for f in listed])
        return out

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return markdown
        _meta_as_text(page)
        if self.corpus is None:
            return markdown
        if self.failed:
            return f"# {_ERROR_TITLE}\n\n{_ERROR_INTRO}\n\n{self._error_list()}"
        corpus, uri = self.corpus, page.file.src_uri
        if self.book and (uri in ("index.md", "catalog/index.md") or uri in book_site.print_pages(self.book)):
            block = book_site.download_block(self.book, page.file.dest_uri, self.offline)
            self.download_pages.append(page.file.dest_uri)
            if book_site.DOWNLOAD_MARKER in markup.standalone_markers(markdown).values():
                markdown = markup.fill_markers(markdown, {book_site.DOWNLOAD_MARKER: lambda: block})
            else:  # before the first section, or at the end
                head, sep, tail = markdown.partition("\n## ")
                markdown = f"{head}\n{block}{sep}{tail}" if sep else f"{markdown}\n\n{block}"
        fills = {
            DISCLOSURE_LIST: lambda: pages.disclosure_list(corpus, uri),
            CLEANUP_LIST: lambda: pages.cleanup_list(corpus, uri),
        }  # only on the pages that hold them (the checker refuses a marker anywhere else)
        markdown = markup.fill_markers(markdown, {k: f for k, f in fills.items() if markup.marker_allowed(k, uri)})
        found = self.by_uri.get(uri)
        record = found if isinstance(found, CleanupRecord) else None
        if record is not None:
            page.meta["title"] = escape.page_title_html(record.title)
            return f"# {escape.md_text(record.title)}\n\n{pages.cleanup_block(corpus, record)}{_H1_RE.sub('', markdown, count=1)}"
        item = found if isinstance(found, DisclosureItem) else None
        if item is not None and item.column is Column.ANNUAL_REPORT:  # 年报: tables at their markers
            markdown = markup.fill_markers(markdown, report.fills(corpus, item, disclosure_rules.title_year(item.title)))
        if item is not None:
            page.meta["title"] = escape.page_title_html(item.title)
            return f"# {escape.md_text(item.title)}\n\n{pages.disclosure_block(item)}{_H1_RE.sub('', markdown, count=1)}"
        return markdown

    @event_priority(-100)  # last: no later change to the page may add a script
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output
        return csp.with_script_hashes(output, content=page.content or "", serving=self.serving)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str | None:
        if self.failed and template_name == "404.html":  # any other address shows the errors too
            output_content = output_content.replace(
                NOT_FOUND_HEADING, f"<h1>{_ERROR_TITLE}</h1>\n<p>{_ERROR_INTRO}</p>\n{self._error_list()}", 1
            )
        if self.config.enabled and template_name.endswith(".html"):
            return csp.with_script_hashes(output_content, serving=self.serving)
        return output_content

    def _error_site(self, files: Files, config: MkDocsConfig, corpus: Corpus, errors: list[Problem]) -> Files:
        """Under ``serve``, content errors do not stop the server: every page (the navigation's, the
        regulations', unknown addresses) shows the list of errors, and live reload brings the site
        back as soon as they are fixed. ``mkdocs build`` and ``regbook build`` still refuse."""
        log.info(f"内容检查发现 {len(errors)} 个错误，预览网站的每个页面都显示错误列表：\n{render(errors)}")
        self.failed, self.plan, self.book, self.download_pages = errors, None, None, []
        uris = {reg.src_uri for reg in corpus.regulations} | set(pages.CATALOG_PAGES)
        uris |= {f"regulations/{name}.md" for name in corpus.unloaded if _SAFE_NAME_RE.match(name)}
        for uri in sorted(uris):
            if (existing := files.get_file_from_path(uri)) is not None:
                files.remove(existing)
            files.append(self._generated(config, uri, f"# {_ERROR_TITLE}\n"))
        self._after_dirty_failure(files, True)
        self._remove_stale(files, config)
        return files

    def _error_list(self) -> str:
        title = f"内容检查发现 {len(self.failed)} 个错误，请逐个改正（文件:行号）"
        return f'<div class="admonition failure">\n<p class="admonition-title">{title}</p>\n{render_html(self.failed)}</div>\n'

    def _page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext | None:
        if self.config.enabled:
            section = page.parent.title if page.parent is not None else None
            self._furnish(context, page.file.src_uri, config, self._article(page), section)
        return context

    def on_template_context(self, context: TemplateContext, /, *, template_name: str, config: MkDocsConfig) -> TemplateContext | None:
        if self.config.enabled:
            self._furnish(context, template_name, config, None, None)
        return context

    def _furnish(
        self, context: TemplateContext, src_uri: str, config: MkDocsConfig, article: govsite.Article | None, section: str | None
    ) -> None:
        """The footer and the 政府网站 meta tags (``regbook.govsite``) for one page or template."""
        site = govsite.SiteInfo.from_config(config.extra, config.site_name, config.site_url, config.site_description or "")
        badge = ""
        if site.badge and any((Path(d) / site.badge).is_file() for d in (config.docs_dir, *config.theme.dirs[:1])):
            badge = f"{context.get('base_url') or '.'}/{site.badge}"
        context["regbook_footer"] = govsite.footer_html(site, badge)  # type: ignore[typeddict-unknown-key]
        context["regbook_meta"] = govsite.meta_tags(site, src_uri, article, section)  # type: ignore[typeddict-unknown-key]

    def _article(self, page: Page) -> govsite.Article:
        """ArticleTitle, PubDate, ContentSource … of a page: a document's metadata, else its title."""
        found = self.by_uri.get(page.file.src_uri) if self.corpus else None
        if isinstance(found, Regulation):
            reg = found
            status = status_on(reg, self.today).status.value
            words = "，".join(x for x in (reg.level.value, reg.topic or "", reg.number or "", status) if x)
            return govsite.Article(reg.display_title, reg.published, reg.issuer, reg.topic or reg.level.value, f"{reg.display_title}（{words}）")
        if isinstance(found, CleanupRecord):
            record = found
            return govsite.Article(record.title, record.announced, keywords="行政规范性文件清理")
        if isinstance(found, DisclosureItem):
            item = found
            return govsite.Article(item.title, item.published, item.publisher, item.column.value)
        title = _TAG_RE.sub("", page.title or "")
        return govsite.Article(html_mod.unescape(title), description=escape.text(page.meta.get("description")))

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.corpus is not None and isinstance(self.by_uri.get(page.file.src_uri), Regulation):
            html = self._keep_body(html, page)
        if self.config.enabled:  # titles break between words (regbook.wordbreak)
            html = wordbreak.headings(html)
        return html

    def _keep_body(self, html: str, page: Page) -> str:
        """A regulation page's HTML without the body mark; its body kept for the book (``from_site``)."""
        found = self.by_uri.get(page.file.src_uri)
        assert isinstance(found, Regulation)
        source = self.page_sources.get(found.id)
        html, body = from_site.cut(html, self.body_mark, source or "")
        if source is not None and body is not None:
            self.site_bodies[found.id] = body
        return html

    @event_priority(100)  # before the search plugins read the page
    def _fill_print_page(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext | None:
        """The print page's book, once every page has been converted (MkDocs converts them all
        before it builds any): the bodies taken from the regulation pages (``from_site``)."""
        if self.corpus is None or self.plan is None or page.content is None:
            return context
        uris = book_site.print_pages(self.plan)  # generated pages only: the marker in a body is text
        if page.file.src_uri not in uris or not (m := book_site.PRINT_MARKER_RE.search(page.content)):
            return context
        index = uris.index(page.file.src_uri)
        book = book_site.print_page_html(self.corpus, self.plan, index, self._book_bodies(config.use_directory_urls))
        page.content = page.content.replace(m[0], book, 1)
        return context

    def _book_bodies(self, directory_urls: bool) -> from_site.Bodies:
        """The book's bodies taken from this build's pages (``from_site``): of the documents whose
        page was rendered from the Markdown it has now, where the derivation is exact (the book
        converts the others)."""
        if self.book_bodies is None:
            assert self.corpus is not None and self.plan is not None
            deriver = from_site.Deriver(self.corpus, Renderer(self.corpus, self.plan), directory_urls)
            self.book_bodies = from_site.Bodies(deriver, self.site_bodies, self.page_sources)
        return self.book_bodies

    on_page_context = CombinedEvent(_fill_print_page, _page_context)

    def _post_build_book(self, *, config: MkDocsConfig) -> None:
        if self.corpus is None or self.book is None:
            return
        site_dir = Path(config.site_dir)
        try:
            result = book_pdf.build_book(
                self.corpus,
                site_dir / book_site.DOWNLOADS,
                os.environ.get("SOURCE_DATE_EPOCH"),
                self._documents(),
                today=self.today,
                bodies=self._book_bodies(config.use_directory_urls),
            )
        except (OSError, RuntimeError) as exc:
            raise PluginError(f"PDF 汇编生成失败：{exc}") from exc
        sizes = {v.file: (v.size, v.pages) for v in result.volumes}
        for dest in self.download_pages:
            path = site_dir / dest
            path.write_text(book_site.fill_sizes(path.read_text(encoding="utf-8"), sizes), encoding="utf-8")

    @event_priority(-200)  # after the book (0) and regbook-search's index (-100)
    def _post_build_offline(self, *, config: MkDocsConfig) -> None:
        if not self.offline or self.plan is None or self.failed:
            return
        site_dir = Path(config.site_dir)
        name = book_site.offline_name(self.plan)
        try:
            result = offline.write_zip(site_dir, site_dir / book_site.DOWNLOADS / name, self.plan.edition)
        except OSError as exc:
            raise PluginError(f"离线版生成失败：{exc}") from exc
        log.info(f"离线版：{result.entries} 个文件，{book_pdf.human_size(result.size)}，用时 {result.seconds:.1f} 秒 → {name}")
        for dest in self.download_pages:
            path = site_dir / dest
            path.write_text(book_site.fill_offline_size(path.read_text(encoding="utf-8"), result.size), encoding="utf-8")

    on_post_build = CombinedEvent(_post_build_book, _post_build_offline)

    def _documents(self) -> bool:
        return book_site.switch(self.config.book_documents, os.environ.get("REGBOOK_BOOK_DOCUMENTS"))


THEME_HTML_META = ("title", "description", "author", "subtitle")
"""Front-matter keys the theme prints without escaping (``page.meta.title`` …): written as text by
editors and by ``regbook.pages``, escaped once by ``_meta_as_text``."""
SEARCH_META = ("regbook_status", "regbook_number")


def _meta_as_text(page: Page) -> None:
    """Front-matter values the theme prints or search reads, as text (a YAML number, date or
    boolean as written: ``title: 2023-01-01`` no longer crashes the build); those the theme prints
    unescaped (``THEME_HTML_META``) escaped for HTML, so that markup in them shows as written."""
    for key in THEME_HTML_META + SEARCH_META:
        if key not in page.meta:
            continue
        value = page.meta[key]
        if value is None or isinstance(value, (dict, list)):
            del page.meta[key]
            continue
        page.meta[key] = escape.page_title_html(value) if key in THEME_HTML_META else escape.one_line(value)


_Listings = tuple[dict[str, str | bytes], dict[str, str | bytes]]
"""The catalog pages and the open data files (data, feeds, their page), by ``src_uri``."""


def _listings_key(
    config: MkDocsConfig, corpus: Corpus, today: dt.date, with_pdf: set[str], kept: dict[int, tuple[Regulation, bytes]] | None = None
) -> bytes:
    """A digest of every input of the catalog pages (``pages.catalog_page``: the regulations'
    metadata, the outline, the build date) and of the open data (``opendata.data_files``,
    ``feeds.feed_files``, ``opendata.data_page``: the documents' metadata, the cleanup records and
    disclosure items, the date, the PDFs linked, and the site's addresses, name and author): none
    of them reads a regulation's body, which ``corpus.metadata_digest`` leaves out."""
    settings = (today, sorted(with_pdf), config.use_directory_urls, config.site_url, config.site_name, config.site_author)
    return corpus_mod.metadata_digest(corpus, kept) + repr(settings).encode()


def _freeze_long_lived() -> None:
    """Under ``serve``, at the first rebuild: collect the first build's garbage, then move every
    object left (the caches above, the parsed corpus, MkDocs' own) to the collector's permanent
    generation (``gc.freeze``, meant for long-lived processes), so that the full collections of
    later rebuilds no longer walk them: on a national corpus one took 0.1–0.2 s of each rebuild.
    Frozen objects are still freed when nothing refers to them; only a cycle among them (one
    corpus with its link table) stays, once."""
    gc.collect()
    gc.freeze()


class _DirtyNotice(logging.Filter):
    """MkDocs' warning that a ``--dirty`` build may leave stale navigation, as information: it would
    stop the strict preview at once, and here every page whose Markdown changed is rendered again
    (the chrome is the same on every page; the hand-written pages when the error list comes or goes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and record.getMessage().startswith("A 'dirty' build"):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class _TemplateCode(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory from one ``serve`` rebuild to the next (each
    rebuild makes a new Jinja environment, which would compile every template again). Jinja reuses
    an entry only for the same template file with the same source (its checksum) and Jinja
    version; the key adds the environment's extensions."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, tuple[str, ...]], bytes] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple[str, tuple[str, ...]]:
        return bucket.key, tuple(sorted(bucket.environment.extensions))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.code.get(self._key(bucket))) is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja if the checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[self._key(bucket)] = bucket.bytecode_to_string()


class _ServedFile(File):
    """A generated file under ``serve --dirty`` that knows whether its content changed."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


def _by_uri(corpus: Corpus) -> dict[str, Regulation | CleanupRecord | DisclosureItem]:
    """Every document by its page's ``src_uri``; the first of two on one page, as a walk would find."""
    out: dict[str, Regulation | CleanupRecord | DisclosureItem] = {}
    docs: list[Regulation | CleanupRecord | DisclosureItem] = [*corpus.regulations, *corpus.cleanups, *corpus.disclosures]
    for doc in docs:
        out.setdefault(doc.src_uri, doc)
    return out


def _drop_unpublishable(files: Files, config: MkDocsConfig) -> None:
    """Remove every ``docs/`` file ``corpus.publish_refusal`` refuses (a warning each: ``strict``
    builds then fail), then add back the theme files such a file had shadowed."""
    docs, themes = Path(config.docs_dir), [Path(d) for d in config.theme.dirs]
    dropped = False
    for file in list(files):
        if file.generated_by or file.inclusion is InclusionLevel.EXCLUDED or file.src_dir is None:
            continue
        if Path(file.src_dir) != docs:
            continue
        if reason := corpus_mod.publish_refusal(docs, file.src_uri, themes):
            files.remove(file)
            dropped = True
            log.warning(f"未发布 docs/{file.src_uri}：{reason}")
    if dropped:
        files.add_files_from_theme(config.theme.get_env(), config)
