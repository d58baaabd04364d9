"""The book on the website: download links, the print page's content, sizes filled in after the PDF
exists. HTML strings only; the MkDocs plugin decides where they go.

Site pages are rendered before the PDF exists, so the links (file names follow from the edition
date and the volume plan alone) are written at page time with a placeholder for the size,
``<!--regbook:size:FILE-->``, which ``fill_sizes`` replaces once the PDF is written.
"""

from __future__ import annotations

import posixpath
import re
from html import escape
from urllib.parse import quote

from regbook.book.html import Renderer, drop_dead_links
from regbook.book.pdf import PER_DOCUMENT_DIR, human_size
from regbook.book.selection import Book, Volume
from regbook.corpus import Corpus

DOWNLOADS = "downloads"
PRINT_PAGE = "print_page.md"
PRINT_MARKER = "<!-- regbook:print-book -->"
DOWNLOAD_MARKER = "<!-- regbook:book-download -->"
_SIZE_RE = re.compile(r"<!--regbook:size:([^>]*?)-->")


def href(from_dest: str, target: str) -> str:
    """A relative, percent-encoded link from a built page (``catalog/index.html``) to a site file."""
    rel = posixpath.relpath(target, posixpath.dirname(from_dest) or ".")
    return quote(rel, safe="/.-_~")


def document_pdf(reg_id: str) -> str:
    """Where a document's own PDF is, relative to the site root."""
    return f"{DOWNLOADS}/{PER_DOCUMENT_DIR}/{reg_id}.pdf"


def download_block(book: Book, from_dest: str) -> str:
    """「PDF 汇编」 links with size, pages and edition date (raw HTML: MkDocs does not check it)."""
    items = []
    for volume in book.volumes:
        name = book.file_name(volume)
        target = f"{DOWNLOADS}/{name}"
        label = escape(volume.label) + "：" if volume.label else ""
        items.append(
            f'<li>{label}<a href="{href(from_dest, target)}" download>{escape(name)}</a>'
            f'（<!--regbook:size:{escape(name)}-->，<a href="{href(from_dest, target + ".sha256")}">SHA-256 校验值</a>）</li>'
        )
    several = f"分 {len(book.volumes)} 册，" if len(book.volumes) > 1 else ""
    return (
        '<div class="regbook-download" data-pagefind-ignore="all">\n'
        f"<p><strong>下载 PDF 汇编</strong>：《{escape(book.title)}》（{escape(book.edition_text)}），"
        f"{several}A4 版式，含目录页码和书签，可直接打印。</p>\n"
        f"<ul>{''.join(items)}</ul>\n</div>\n\n"
    )


def fill_sizes(html: str, sizes: dict[str, tuple[int, int]]) -> str:
    """Replace the size placeholders: file name → (bytes, pages) gives 「1.2 MB，26 页」."""

    def size(m: re.Match[str]) -> str:
        found = sizes.get(m[1].replace("&amp;", "&"))
        return f"{human_size(found[0])}，{found[1]} 页" if found else "PDF"

    return _SIZE_RE.sub(size, html)


PRINT_CSS = """
.regbook-book .cover { text-align: center; padding: 3rem 0; border-bottom: 1px solid #ccc; }
.regbook-book .cover-title { font-size: 2em; font-weight: 700; margin: 1em 0; }
.regbook-book .cover-edition, .regbook-book .cover-issuer { font-size: 1.2em; }
.regbook-book .cover-notice { font-size: .8em; color: #555; }
.regbook-book .toc ol { list-style: none; padding: 0; margin: 0; }
.regbook-book .toc li { margin: 0; }
.regbook-book .toc .toc-group { font-weight: 700; margin-top: .8em; }
.regbook-book .toc .toc-doc { padding-left: 2em; }
.regbook-book .toc-title, .regbook-book .group-title, .regbook-book .appendix-title { text-align: center; }
.regbook-book .doc-title { text-align: center; margin-top: 2em; }
.regbook-book .doc-number, .regbook-book .doc-dates, .regbook-book .doc-history, .regbook-book .doc-pending { text-align: center; margin: .2em 0; }
.regbook-book .doc-pending { font-weight: 700; }
.regbook-book .doc-body p { text-indent: 2em; }
.regbook-book .art-no { font-weight: 700; }
.regbook-book table { display: table; width: 100%; }
@media print {
  .regbook-download { display: none; }
  .regbook-book { font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; font-size: 12pt; }
  .regbook-book .toc, .regbook-book .group, .regbook-book .doc, .regbook-book .appendix { break-before: page; }
  .regbook-book .group > .group-title + .doc { break-before: auto; }
  .regbook-book .doc-title { margin-top: 0; }
  .regbook-book h2, .regbook-book h3 { break-after: avoid; }
  .regbook-book tr { break-inside: avoid; }
  .regbook-book thead { display: table-header-group; }
}
"""


def print_page_markdown(book: Book | None) -> str:
    """The print page's Markdown: a title, the download links, and a marker for the book's HTML."""
    head = "---\ntitle: 打印版汇编\nsearch:\n  exclude: true\n---\n\n# 打印版汇编\n\n"
    intro = "本页收录与 PDF 汇编相同的文件，顺序相同，可用浏览器打印（打印时不显示网站导航）。\n\n"
    return head + intro + (DOWNLOAD_MARKER + "\n\n" if book else "") + PRINT_MARKER + "\n"


def print_page_html(corpus: Corpus, book: Book) -> str:
    """The whole book (all volumes as one: cover, TOC, groups, appendix) for browser printing."""
    renderer = Renderer(corpus, book)
    whole = Volume(0, book.groups, book.appendix)

    body = drop_dead_links(renderer.sections(whole))
    return f'<style>{PRINT_CSS}</style>\n<div class="regbook-book" data-pagefind-ignore="all">\n{body}</div>\n'


def switch(configured: bool, env: str | None, serving: bool = False) -> bool:
    """Whether to build something: an environment value ``0``/``1`` wins over the configuration;
    ``mkdocs serve`` skips it unless the environment asks (a rebuild must stay fast)."""
    if env is not None and env.strip() in ("0", "1"):
        return env.strip() == "1"
    return configured and not serving


def regulation_dest(reg_id: str, use_directory_urls: bool) -> str:
    """The built file of a regulation page."""
    return f"regulations/{reg_id}/index.html" if use_directory_urls else f"regulations/{reg_id}.html"
