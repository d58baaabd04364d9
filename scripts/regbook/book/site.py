"""The book on the website: download links, the print page's content, sizes filled in after the PDF
exists. HTML strings only; the MkDocs plugin decides where they go.

Site pages are rendered before the PDF exists, so the links (file names follow from the edition
date and the volume plan alone) are written at page time with a placeholder for the size,
``<!--regbook:size:FILE-->``, which ``fill_sizes`` replaces once the PDF is written.
"""

from __future__ import annotations

import posixpath
import re
from typing import Mapping
from urllib.parse import quote

from regbook.book.html import Renderer, drop_dead_links
from regbook.book.pdf import PER_DOCUMENT_DIR, human_size
from regbook.book.selection import Book
from regbook import offline
from regbook.corpus import Corpus
from regbook.escape import front_matter, md_text
from regbook.escape import html_text as escape

DOWNLOADS = "downloads"
PRINT_PAGE = "print_page.md"
PRINT_MARKER_RE = re.compile(r"<!-- regbook:print-book:(\d+) -->")
DOWNLOAD_MARKER = "<!-- regbook:book-download -->"
_SIZE_RE = re.compile(r"<!--regbook:size:([^>]*?)-->")
_ZIP_SIZE = "<!--regbook:zip-size-->"


def href(from_dest: str, target: str) -> str:
    """A relative, percent-encoded link from a built page (``catalog/index.html``) to a site file."""
    rel = posixpath.relpath(target, posixpath.dirname(from_dest) or ".")
    return quote(rel, safe="/.-_~")


def document_pdf(reg_id: str) -> str:
    """Where a document's own PDF is, relative to the site root."""
    return f"{DOWNLOADS}/{PER_DOCUMENT_DIR}/{reg_id}.pdf"


def offline_name(book: Book) -> str:
    """The offline copy's zip: ``吉林省国防动员法律法规汇编-2024-01-03-离线版.zip`` (as the book's PDF)."""
    return offline.zip_name(f"{book.title}-{book.edition.isoformat()}")


def download_block(book: Book, from_dest: str, with_offline: bool = False) -> str:
    """「PDF 汇编」 links with size, pages and edition date (raw HTML: MkDocs does not check it);
    ``with_offline``: and the offline copy's zip (its size filled in by ``fill_offline_size``)."""
    items = []
    for volume in book.volumes:
        name = book.file_name(volume)
        target = f"{DOWNLOADS}/{name}"
        label = escape(volume.label) + "：" if volume.label else ""
        items.append(
            f'<li>{label}<a href="{href(from_dest, target)}" download>{escape(name)}</a>'
            f'（<!--regbook:size:{escape(name)}-->，<a href="{href(from_dest, target + ".sha256")}">SHA-256 校验值</a>）</li>'
        )
    if with_offline:
        name = offline_name(book)
        items.append(
            f'<li class="{offline.SELF_LINK_CLASS}">离线版（整个网站，供无法上网的电脑使用：解压后双击其中的 index.html，'
            f'即可浏览、检索，不需要联网）：<a href="{href(from_dest, f"{DOWNLOADS}/{name}")}" download>{escape(name)}</a>'
            f"（{_ZIP_SIZE}）</li>"
        )
    several = f"分 {len(book.volumes)} 册，" if len(book.volumes) > 1 else ""
    return (
        '<div class="regbook-download" data-pagefind-ignore="all">\n'
        f"<p><strong>下载 PDF 汇编</strong>：《{escape(book.title)}》（{escape(book.edition_text)}），"
        f"{several}A4 版式，含目录页码和书签，可直接打印。</p>\n"
        f"<ul>{''.join(items)}</ul>\n</div>\n\n"
    )


def fill_offline_size(html: str, size: int) -> str:
    """The offline zip's size where ``download_block`` left its placeholder."""
    return html.replace(_ZIP_SIZE, human_size(size))


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
.regbook-book .doc-title { text-align: center; margin-top: 2em; font-weight: 700; }
.regbook-book .group-title, .regbook-book .toc-title { font-weight: 700; }
.regbook-book .doc-number, .regbook-book .doc-dates, .regbook-book .doc-history, .regbook-book .doc-pending { text-align: center; margin: .2em 0; }
.regbook-book .doc-pending { font-weight: 700; }
.regbook-book .doc-body p { text-indent: 2em; }
.regbook-book .art-no { font-weight: 700; }
.regbook-book table { display: table; width: 100%; }
.regbook-book .cover-sample { font-size: 1.5em; font-weight: 700; color: #b3261e; }
.regbook-book .preface-title { text-align: center; font-weight: 700; }
.regbook-book .preface p { text-indent: 2em; }
.regbook-book .preface .preface-sign, .regbook-book .doc-sign { text-align: right; text-indent: 0; padding-right: 2em; }
.regbook-book .doc-addressee { text-indent: 0; }
.regbook-book .doc-sign-first { margin-top: 1.5em; }
.regbook-book .regbook-word { white-space: nowrap; }
@media print {
  /* The printout starts with the book's cover: the page's own title and notes stay on screen. */
  .regbook-download, .regbook-print-intro, .md-typeset > h1:first-child { display: none; }
  .regbook-book { font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; font-size: 12pt; }
  .regbook-book .preface, .regbook-book .toc, .regbook-book .group, .regbook-book .doc, .regbook-book .appendix { break-before: page; }
  .regbook-book .group > .group-title + .doc { break-before: auto; }
  .regbook-book .doc-title { margin-top: 0; }
  .regbook-book h2, .regbook-book h3 { break-after: avoid; }
  .regbook-book tr { break-inside: avoid; }
  .regbook-book thead { display: table-header-group; }
}
"""


def print_pages(book: Book) -> list[str]:
    """Source URIs of the print pages: ``print_page.md`` for a one-volume book (or volume 1), then
    ``print_page/2.md`` … for further volumes (a browser cannot print 10,000 pages at once)."""
    return [PRINT_PAGE] + [f"print_page/{v.number}.md" for v in book.volumes[1:]]


def print_page_markdown(book: Book, index: int, with_downloads: bool) -> str:
    """One print page's Markdown: title, volume links, download links, a marker for the book HTML."""
    volume = book.volumes[index]
    title = "打印版汇编" + (f"（{volume.label}）" if volume.label else "")
    head = front_matter({"title": title}, settings={"search": {"exclude": True}}) + f"# {md_text(title)}\n\n"
    intro = "本页收录与 PDF 汇编相同的文件，顺序相同，可用浏览器打印（打印时从封面开始，不显示网站导航）。\n\n"
    if len(book.volumes) > 1:
        uris = print_pages(book)
        items = [
            f"- [{md_text(v.label)}]({posixpath.relpath(uri, posixpath.dirname(uris[index]) or '.')})" if i != index else f"- **{md_text(v.label)}**（本页）"
            for i, (v, uri) in enumerate(zip(book.volumes, uris))
        ]
        intro += f"汇编共 {len(book.volumes)} 册，每册一个打印页：\n\n" + "\n".join(items) + "\n\n"
    downloads = DOWNLOAD_MARKER + "\n\n" if with_downloads else ""
    intro = f'<div class="regbook-print-intro" markdown>\n\n{intro}{downloads}</div>\n\n'
    return head + intro + f"<!-- regbook:print-book:{index} -->\n"


def print_page_html(corpus: Corpus, book: Book, index: int, bodies: Mapping[str, str] | None = None) -> str:
    """One volume (cover, TOC, groups, appendix) as HTML for browser printing; ``bodies``: the
    documents' bodies already made (``Renderer``), taken as they are."""
    body = drop_dead_links(Renderer(corpus, book, bodies).sections(book.volumes[index]))
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
