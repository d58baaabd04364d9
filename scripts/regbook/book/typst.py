"""The book's HTML (``html.Renderer.volume_html``, the one document both engines start from) written
as Typst markup for the template ``book.typ``.

Content never becomes Typst code: every piece of text goes through ``escape`` (a backslash before
each markup character), strings in code through ``quote``, and labels are checked ASCII ids. The
generated source has no ``#import``, ``#include`` or ``read(``; the only file it names is an image
copied into the compile root under a name made from its hash (``Images``), after the checks the
WeasyPrint ``url_fetcher`` made: no scheme but ``file:``, nothing outside the allowed folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from regbook.invisible import PRIVATE_USE_RE

TEMPLATE_PATH = Path(__file__).with_name("book.typ")
_VOID = {"br", "col", "img", "meta", "hr", "link", "input", "wbr"}
_MARKUP = re.compile(r"([\\#*_$@<>\[\]`~=\-+/\"'.:])")
_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*")
MISSING_MARK = "〓"
"""Printed for a Private Use Area code point (U+E000–U+F8FF, planes 15–16): the 缺字 mark of
Chinese typesetting. Such a code point is no character: what it shows depends on a vendor font (an
imported text's rare 汉字; ``../shared/corpus/bulk`` has 5 of them, in 8 files), the book's fonts have no
glyph for it, and PDF/UA-1 refuses text it cannot display, so one of them failed a whole volume."""
_IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
APPENDIX_COLUMNS = ("7%", "31%", "17%", "9%", "15%", "21%")


class ImageRefused(RuntimeError):
    """An image the book may not read (another scheme, or outside the allowed folders); Chinese message."""


def escape(text: str) -> str:
    """Text as Typst markup that prints it literally: a backslash before every markup character.

    The one escaping function for content (titles, bodies, cells, the cover): ``#``, ``$``, ``*``,
    ``_``, `````, ``<``, ``>``, ``@``, ``=``, ``-``, ``+``, ``/``, ``\\``, ``[``, ``]``, ``~``,
    ``"``, ``'``, ``.`` (``1.`` lists, ``...``) and ``:``; newlines (Markdown's soft breaks inside
    Chinese text) are dropped; a Private Use Area code point prints as ``MISSING_MARK``."""
    return _MARKUP.sub(r"\\\1", PRIVATE_USE_RE.sub(MISSING_MARK, text.replace("\r", "").replace("\n", "")))


def quote(text: str) -> str:
    """A Typst string literal holding ``text`` (a Private Use Area code point: ``MISSING_MARK``)."""
    return '"' + PRIVATE_USE_RE.sub(MISSING_MARK, text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def label(name: str) -> str:
    """``<name>`` for an id the book made (ASCII); anything else is refused."""
    if not _LABEL.fullmatch(name):
        raise ValueError(f"not a book id: {name!r}")
    return f"<{name}>"


class Node:
    """An element of the parsed book HTML."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def cls(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self, tag: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (tag is None or c.tag == tag)]

    def ids(self) -> set[str]:
        """Every id in this element and below."""
        found = {self.attrs["id"]} if self.attrs.get("id") else set()
        for child in self.elements():
            found |= child.ids()
        return found


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in _VOID:
            self.cur = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data: str) -> None:
        self.cur.children.append(data)


def parse(html: str) -> Node:
    """The HTML as a tree of ``Node``."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.root


@dataclass
class Images:
    """Images the book uses, checked and copied into the compile root as ``img/<sha256>.<ext>``."""

    base: Path
    """The folder relative addresses start from (the site's ``downloads/``)."""
    roots: list[Path]
    """Folders images may be read from."""
    target: Path | None = None
    """The compile root's ``img/`` folder (``None``: check only, copy nothing)."""
    used: dict[str, str] = field(default_factory=dict)

    def add(self, src: str) -> str:
        """The root-relative path of ``src`` after the checks; ``ImageRefused`` otherwise."""
        url = urljoin(self.base.resolve().as_uri() + "/", src)
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ImageRefused(f"汇编 PDF 不从网络或其他地址读取内容，拒绝读取“{src[:200]}”：图片请放在 docs/ 下，用相对路径引用")
        path = Path(unquote(parts.path)).resolve()
        allowed = [Path(r).resolve() for r in self.roots]
        if not any(path.is_relative_to(root) for root in allowed):
            raise ImageRefused(f"汇编 PDF 只能读取本项目和本次生成的网站中的文件，拒绝读取“{path}”（地址“{src[:200]}”）")
        if path.suffix.lower() not in _IMAGE_TYPES or not path.is_file():
            raise ImageRefused(f"汇编 PDF 找不到图片或不支持它的格式：“{path}”（地址“{src[:200]}”）")
        data = path.read_bytes()
        name = f"img/{hashlib.sha256(data).hexdigest()}{path.suffix.lower()}"
        if self.target is not None and name not in self.used.values():
            self.target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.target.parent / name)
        self.used[src] = name
        return name


def _refuse_styles(node: Node) -> None:
    """A ``style`` attribute that names an address (``url(…)``) is refused, as WeasyPrint's fetcher did."""
    style = node.attrs.get("style", "")
    m = re.search(r"url\(\s*['\"]?([^'\")]*)", style)
    if m:
        raise ImageRefused(f"汇编 PDF 不从网络或其他地址读取内容，拒绝读取“{m[1][:200]}”：图片请放在 docs/ 下，用相对路径引用")


class Writer:
    """Typst markup for the book's HTML elements (block and inline)."""

    def __init__(self, images: Images, labels: set[str] | None = None):
        self.images = images
        self.labels = labels
        """Ids a link may point at (``None``: all of them, i.e. the whole volume)."""
        self.doc: str = ""

    def _target(self, href: str) -> str | None:
        if not href.startswith("#") or not _LABEL.fullmatch(href[1:]):
            return None
        if self.labels is not None and href[1:] not in self.labels:
            return None
        return href[1:]

    def inline(self, node: Node | str) -> str:
        """Inline content (text, emphasis, article numbers, links …)."""
        if isinstance(node, str):
            return escape(node)
        _refuse_styles(node)
        inner = "".join(self.inline(c) for c in node.children)
        tag, cls, ident = node.tag, node.cls, node.attrs.get("id", "")
        if tag == "br":
            return "#linebreak()"
        if tag == "img":
            return self.image(node)
        if tag == "span" and "art-no" in cls:
            return f"#art[{inner}]" + (f" {label(ident)}" if ident else "")
        if tag == "span" and "toc-mark" in cls:
            return f"#text(size: 9pt)[{inner}]"
        if tag == "span" and "regbook-word" in cls:
            return f"#box[{inner}]"
        if tag in ("strong", "b"):
            return f"#strong[{inner}]"
        if tag in ("em", "i"):
            return f"#emph[{inner}]"
        if tag == "code":
            return f"#raw({quote(node.text())})"
        if tag == "sup":
            return f"#super[{inner}]"
        if tag == "sub":
            return f"#sub[{inner}]"
        if tag == "a":
            target = self._target(node.attrs.get("href", ""))
            return f"#link({label(target)})[{inner}]" if target else inner
        if ident and tag == "span" and _LABEL.fullmatch(ident):
            return f"#[{inner}] {label(ident)}"
        return inner

    def image(self, node: Node) -> str:
        name = self.images.add(node.attrs.get("src", ""))
        alt = node.attrs.get("alt", "").strip()
        if not alt:  # decorative: left out of the structure tree (PDF/UA-1 wants alt text otherwise)
            return f"#pdf.artifact(image({quote(name)}))"
        return f"#image({quote(name)}, alt: {quote(alt)})"

    def table(self, node: Node, widths: tuple[str, ...] | None = None) -> str:
        header: list[list[Node]] = []
        rows: list[list[Node]] = []
        for part in node.elements():
            trs = [part] if part.tag == "tr" else part.elements("tr")
            for tr in trs:
                cells = [c for c in tr.elements() if c.tag in ("td", "th")]
                (header if part.tag == "thead" else rows).append(cells)
        count = max((sum(int(c.attrs.get("colspan") or 1) for c in r) for r in header + rows), default=1)
        columns = f"({', '.join(widths)})" if widths else str(count)

        def cell(c: Node, head: bool = False) -> str:
            body = "#parbreak()".join(self.inline(x) for x in c.children if not (isinstance(x, str) and not x.strip()))
            span = int(c.attrs.get("colspan") or 1), int(c.attrs.get("rowspan") or 1)
            align = "center" if head or "n" in c.cls or c.tag == "th" else "auto"
            if head:
                body = f"#set text(font: sans, weight: \"bold\"); {body}"
            return f"table.cell(colspan: {span[0]}, rowspan: {span[1]}, align: {align})[{body}]"

        head = ""
        if header:
            head = "table.header(" + ", ".join(cell(c, True) for r in header for c in r) + "), "
        return f"#table(columns: {columns}, {head}" + ", ".join(cell(c) for r in rows for c in r) + ")"

    def blocks(self, node: Node) -> str:
        return "\n\n".join(b for b in (self.block(c) for c in node.children) if b)

    def block(self, node: Node | str) -> str:
        """Block content; book-specific classes map to the template's functions."""
        if isinstance(node, str):
            return "" if not node.strip() else escape(node)
        _refuse_styles(node)
        tag, cls = node.tag, node.cls
        if tag in ("head", "style", "title", "meta", "script", "link"):
            return ""
        if tag == "section" and "cover" in cls:
            return self.cover(node)
        if tag == "section" and "preface" in cls:
            return "#pagebreak(weak: true)\n" + self.blocks(node)
        if tag == "h1" and "preface-title" in cls:
            return f"#heading(level: 1, outlined: false, bookmarked: true)[#text(size: 22pt, tracking: 0.3em)[{self.inline(node)}]] <preface>\n#v(2mm)"
        if tag == "p" and "preface-sign" in cls:
            return f"#v(8mm)\n#align(right)[#pad(right: 2em)[#par(first-line-indent: 0pt, justify: false)[{self.inline(node)}]]]"
        if tag == "nav" and "toc" in cls:
            return self.toc(node)
        if tag == "section" and "group" in cls:
            title = node.elements("h1")[0]
            first = node.elements("article")[0]
            return self.states(self.inline(title), self.doc_title(first)) + "#pagebreak(weak: true)\n" + self.blocks(node)
        if tag == "h1" and "group-title" in cls:
            anchor = node.parent.attrs.get("id", "") if node.parent else ""
            return f"#heading(level: 1)[{self.inline(node)}]" + (f" {label(anchor)}" if anchor else "")
        if tag == "h1" and "appendix-title" in cls:
            return f"#heading(level: 1)[#text(tracking: 0pt)[{self.inline(node)}]] <appendix>\n#v(-3mm)"
        if tag == "article" and "doc" in cls:
            self.doc = node.attrs["id"]
            opens_group = node.parent is not None and node.parent.elements("article")[0] is node
            head = "" if opens_group else self.states(None, self.doc_title(node)) + "#pagebreak(weak: true)\n"
            return head + self.blocks(node)
        if tag == "header":
            return self.blocks(node) + "\n#v(6mm, weak: true)"
        if tag == "h2" and "doc-title" in cls:
            return f"#heading(level: 2)[{self.inline(node)}] {label(self.doc)}"
        if tag == "p" and cls & {"doc-number", "doc-dates"}:
            return f"#centered(size: {'12pt' if 'doc-number' in cls else '10.5pt'})[{self.inline(node)}]"
        if tag == "p" and "doc-history" in cls:
            return f"#history[{self.inline(node)}]"
        if tag == "p" and "doc-pending" in cls:
            return f"#pending[{self.inline(node)}]"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            ident = node.attrs.get("id", "")
            return f"#subhead[{self.inline(node)}]" + (f" {label(ident)}" if ident and _LABEL.fullmatch(ident) else "")
        if tag == "p":
            body = self.inline(node)
            if "doc-sign" in cls:
                return f"#signline(first: {'true' if 'doc-sign-first' in cls else 'false'})[{body}]"
            if "regbook-right" in cls:
                return f"#flushright[{body}]"
            if "regbook-center" in cls:
                return f"#centerpar[{body}]"
            if "doc-addressee" in cls:
                return f"#flushleft[{body}]"
            if "appendix-intro" in cls:
                return f"#block(below: 2mm)[#text(size: 10.5pt)[{body}]]"
            if "admonition-title" in cls:
                return f"#flushleft[#strong[{body}]]"
            return f"#par[{body}]" if body.strip() else ""
        if tag == "table":
            if node.parent is not None and "appendix" in node.parent.cls:
                return "#text(size: 9.5pt)[" + self.table(node, APPENDIX_COLUMNS) + "]"
            return "#text(size: 10.5pt)[" + self.table(node) + "]"
        if tag in ("ul", "ol"):
            items = node.elements("li")
            kind = "enum" if tag == "ol" else "list"
            return f"#{kind}(" + ", ".join(f"[{self.blocks(li) or self.inline(li)}]" for li in items) + ")"
        if tag == "div" and "admonition" in cls:
            return f"#note[{self.blocks(node)}]"
        if tag == "blockquote":
            return f"#pad(x: 2em)[{self.blocks(node)}]"
        if tag == "pre":
            return f"#raw(block: true, {quote(node.text())})"
        if tag == "section" and "appendix" in cls:
            title = node.elements("h1")[0]
            return self.states(self.inline(title), "") + "#pagebreak(weak: true)\n" + self.blocks(node)
        if tag == "img":
            return f"#align(center)[{self.image(node)}]"
        if tag in ("html", "body", "#root", "section", "div", "main", "colgroup", "li", "figure", "span"):
            return self.blocks(node)
        return f"#par[{self.inline(node)}]"

    def doc_title(self, article: Node) -> str:
        return self.inline(article.elements("header")[0].elements("h2")[0])

    @staticmethod
    def states(group: str | None, doc: str) -> str:
        """Running-head state updates, placed just before the page break of a document."""
        return (f"#grpst.update([{group}])" if group is not None else "") + f"#docst.update([{doc}])\n"

    def cover(self, node: Node) -> str:
        parts = {sorted(c.cls)[0]: self.inline(c) for c in node.elements()}
        sample = (
            f"#v(8mm) #box(stroke: 1.5pt + red3, inset: (left: 5mm, right: 3mm, y: 1mm))"
            f"[#text(size: 22pt, weight: \"bold\", fill: red3, tracking: 0.5em)[{parts['cover-sample']}]]\n"
            if "cover-sample" in parts else ""
        )
        volume = f"#v(10mm) #text(size: 18pt, weight: \"bold\")[{parts['cover-volume']}]\n" if "cover-volume" in parts else ""
        return (
            "#align(center)[\n#v(45mm)\n"
            "#block(width: 100%, stroke: (bottom: 1.5pt + red3), inset: (bottom: 8mm), "
            f"par(first-line-indent: 0pt, justify: false, text(size: 30pt, weight: \"bold\", tracking: 0.08em, ..lh(1.5))[{parts['cover-title']}]))\n"
            f"{sample}{volume}#v(10mm) #text(size: 16pt)[{parts['cover-edition']}]\n"
            f"#v(85mm) #text(size: 18pt, weight: \"bold\", tracking: 0.1em)[{parts['cover-issuer']}]\n"
            f"#v(6mm) #par(first-line-indent: 0pt, justify: false, text(size: 9pt, fill: rgb(\"#444\"), ..lh(1.5))[{parts['cover-notice']}])\n]\n"
            "#set page(header: fronthead, footer: pagenum)"
        )

    def toc(self, node: Node) -> str:
        lines = []
        for li in node.elements("ol")[0].elements("li"):
            link = li.elements("a")[0]
            target = self._target(link.attrs.get("href", ""))
            if target is None:
                continue
            text = self.inline(link)
            entry = (
                f"#link({label(target)})[{text}#box(width: 1fr, repeat[.#h(2pt)])"
                f"#context counter(page).at({label(target)}).first()]"
            )
            if "toc-group" in li.cls:
                lines.append(f"[#block(above: 3mm)[#strong[{entry}]]]")
            else:
                lines.append(f"[#pad(left: 2em)[#par(hanging-indent: 1em)[{entry}]]]")
        return (
            "#pagebreak(weak: true)\n"
            "#heading(level: 1, outlined: false, bookmarked: true)[#text(size: 22pt, tracking: 1em)[目录]] <toc>\n#v(2mm)\n"
            "#[#set par(first-line-indent: 0pt, justify: false)\n#set text(..lh(1.6))\n"
            "#list(marker: none, indent: 0pt, body-indent: 0pt, spacing: 0pt,\n" + ",\n".join(lines) + ")\n]\n"
            "#set page(header: runhead, footer: pagenum)"
        )


@dataclass
class Meta:
    """The PDF's metadata and the template's switches."""

    title: str
    author: str
    description: str
    date: dt.date
    sample: bool

    def typst(self) -> str:
        return (
            f"#let meta = (title: {quote(self.title)}, author: {quote(self.author)}, "
            f"description: {quote(self.description)}, "
            f"date: datetime(year: {self.date.year}, month: {self.date.month}, day: {self.date.day}), "
            f"sample: {'true' if self.sample else 'false'})\n"
        )


def meta_of(html: str, root: Node) -> Meta:
    """Title, author, description, date and the 示例 switch from the book HTML's head."""
    metas = {}
    title = ""

    def walk(node: Node) -> None:
        nonlocal title
        for child in node.elements():
            if child.tag == "meta" and child.attrs.get("name"):
                metas[child.attrs["name"]] = child.attrs.get("content", "")
            elif child.tag == "title":
                title = child.text()
            elif child.tag in ("html", "head"):
                walk(child)

    walk(root)
    created = metas.get("dcterms.created", "1970-01-01")[:10]
    sample = 'class="cover-sample"' in html
    return Meta(title.strip() or "汇编", metas.get("author", ""), metas.get("description", ""), dt.date.fromisoformat(created), sample)


def template() -> str:
    return TEMPLATE_PATH.read_text(encoding="utf-8")


def volume_source(html: str, images: Images) -> tuple[str, Meta]:
    """The whole volume as Typst source (template included)."""
    root = parse(html)
    meta = meta_of(html, root)
    body = Writer(images).blocks(root)
    return meta.typst() + template() + "\n" + body + "\n#metadata(none) <book-end>\n", meta


def _articles(root: Node) -> list[tuple[Node, Node | None]]:
    """Each document's ``<article>`` with its group ``<section>``."""
    found: list[tuple[Node, Node | None]] = []

    def walk(node: Node, group: Node | None) -> None:
        for child in node.elements():
            if child.tag == "article" and "doc" in child.cls:
                found.append((child, group))
            else:
                walk(child, child if child.tag == "section" and "group" in child.cls else group)

    walk(root, None)
    return found


def document_sources(html: str, images: Images, starts: dict[str, int], titles: dict[str, str]) -> dict[str, str]:
    """One Typst source per document, its page numbers continuing from ``starts`` (the book's), the
    group title above a group's first document, links only to what the document holds."""
    root = parse(html)
    meta = meta_of(html, root)
    out: dict[str, str] = {}
    for article, group in _articles(root):
        ident = article.attrs["id"]
        if ident not in starts:
            continue
        writer = Writer(images, article.ids())
        doc_meta = Meta(titles.get(ident, ident), meta.author, meta.description, meta.date, meta.sample)
        group_title = writer.inline(group.elements("h1")[0]) if group is not None else ""
        if group is not None and group.elements("article")[0] is article:
            header, head = "runhead", f"#heading(level: 1)[{group_title}]\n"  # as in the book
        else:
            header, head = "laterhead", "#openhead\n"
        writer.doc = ident
        body = "\n\n".join(b for b in (writer.block(c) for c in article.children) if b)
        out[ident] = (
            doc_meta.typst() + template() + "\n"
            + Writer.states(group_title, writer.doc_title(article))
            + f"#set page(header: {header}, footer: pagenum)\n"
            # Typst mirrors the margins by the physical page: a document starting on an even
            # (left) page of the book keeps that page's margins.
            + ("#set page(margin: (inside: 26mm, outside: 28mm))\n" if int(starts[ident]) % 2 == 0 else "")
            + f"#counter(page).update({int(starts[ident])})\n" + head + body + "\n"
        )
    return out
