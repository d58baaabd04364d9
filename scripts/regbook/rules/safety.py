"""Safety: content comes from pull requests, so published HTML may only contain what is allowed.

This is an allowlist, not a denylist: whatever is not listed here is an error, the build
refuses, and nothing is published. It reads; it does not sanitise. What is checked is the page
as it will be published: each text is rendered like the site renders it and parsed as a
browser parses it (see ``_markdown``), so the same rules catch raw HTML, Markdown links and
images, reference-style links, autolinks and attribute lists (``{: onclick=… }``).

- elements: ``ALLOWED_TAGS``, what Markdown and the configured extensions produce plus a few
  raw-HTML ones (``br``, ``sup``, ``sub``, ``u``, ``del`` …);
- attributes: per element (``ATTRIBUTES``); no ``style`` from content (the only ``style`` is
  the one the tables extension writes for column alignment, ``text-align: left|right|center;``
  on ``th``/``td``), no event handlers, no ``data-*`` (the theme and the search index read them);
- classes: ``ALLOWED_CLASSES`` only — the admonition/details types, what the extensions write
  (``headerlink``, ``footnote`` …, code highlighting inside ``pre``), the theme's card grid, and
  the layout classes we offer (``regbook-right``, ``regbook-center``, ``regbook-indent``, styled
  in ``regbook.css`` and ``book.css``); ``md-*``, ``mermaid`` and every other ``regbook-*`` are
  the theme's or the program's;
- ids: ``SAFE_ID_RE``, not reserved (the theme's ``__config``, ``__search``, ``__drawer`` …; the
  book's ``doc-…``, ``grp-…``, ``appendix``);
- attribute text the theme shows as HTML (``title``: its tooltips, including abbreviations
  ``*[X]: …``; ``alt``) is plain text: no ``<``, ``>``, ``&``;
- URLs: links (``href``) are relative inside the site, ``#anchors``, ``https:``/``http:``,
  ``mailto:`` or ``tel:``; images (``src``) only from the site itself (relative, no ``//host``,
  no ``data:``); a backslash is refused (browsers read ``/\\host`` as ``//host``);
- emoji shortcodes (``:smile:``) are errors: the theme turns them into images from a public
  CDN; the inline icons (``:material-…:``, ``:octicons-…:``, ``:fontawesome-…:``) are fine;
- markers ``<!-- regbook:… -->`` only on the pages that use them (``markup.CONTENT_MARKERS``),
  alone on a line; any other ``regbook:`` comment is an error;
- bounded work: a body Python-Markdown would take minutes on (``_markdown.costly``: runs of
  unmatched ``[``, ``](``, ``<``) is refused before it is rendered.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Iterator

from regbook import markup
from regbook.corpus import Corpus, Text
from regbook.problems import Problem
from regbook.rules import _markdown

ALLOWED_TAGS = frozenset(
    """
    a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span
    strong sub summary sup table tbody td tfoot th thead tr u ul var
    """.split()
)
"""Elements Python-Markdown and the configured extensions emit, and the raw-HTML ones allowed."""

GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align", "valign", "style"}),
    "th": frozenset({"colspan", "rowspan", "align", "valign", "scope", "style"}),
    "tr": frozenset({"align", "valign"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
}
"""Attributes per element, besides ``GLOBAL_ATTRIBUTES``."""

TABLE_ALIGN_RE = re.compile(r"^text-align: (?:left|right|center);$")
"""The one ``style`` allowed: what the tables extension writes for ``|:--|--:|`` columns."""

ADMONITION_TYPES = frozenset(
    """
    note abstract summary tldr info todo tip hint important success check done question help faq
    warning caution attention failure fail missing danger error bug example quote cite
    """.split()
)
LAYOUT_CLASSES = frozenset({"regbook-right", "regbook-center", "regbook-indent"})
"""Layout classes offered to documents (署名、成文日期右对齐；居中；首行缩进), in regbook.css and book.css."""

ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "div": ADMONITION_TYPES | LAYOUT_CLASSES | {"admonition", "inline", "end", "footnote", "highlight", "grid", "cards"},
    "details": ADMONITION_TYPES | {"inline", "end"},
    "p": LAYOUT_CLASSES | {"admonition-title"},
    "a": frozenset({"headerlink", "footnote-ref", "footnote-backref"}),
    "span": frozenset({"filename"}),
    "h1": LAYOUT_CLASSES,
    "h2": LAYOUT_CLASSES,
    "h3": LAYOUT_CLASSES,
    "h4": LAYOUT_CLASSES,
    "h5": LAYOUT_CLASSES,
    "h6": LAYOUT_CLASSES,
    "td": LAYOUT_CLASSES,
    "th": LAYOUT_CLASSES,
}
"""Classes per element. Code highlighting's token classes (``k``, ``nf``, ``l-Scalar`` …) are
allowed on ``span`` inside ``pre`` (``PYGMENTS_CLASS_RE``)."""

PYGMENTS_CLASS_RE = re.compile(r"^[a-z]{1,3}[0-9]?(?:-[A-Z][A-Za-z0-9]*)*$")

SAFE_ID_RE = re.compile(r"^[^\W_][\w\-:.]{0,99}$")
"""An id: a letter or digit (any script: headings make Chinese ids), then letters, digits,
``-``, ``_``, ``:`` (footnotes' ``fn:1``) and ``.``; at most 100 characters."""
RESERVED_IDS = frozenset({"appendix"})
RESERVED_ID_PREFIXES = ("doc-", "grp-")
"""The book's anchors (``book.selection``, ``book.html``). The theme's ids (``__config``,
``__search``, ``__drawer``, ``__toc``, ``__settings``, ``__consent``, ``__analytics``,
``__palette_N``, ``__nav_…``, ``__code_N``) all start with ``_``, which ``SAFE_ID_RE`` refuses."""

LINK_SCHEMES = ("https", "http", "mailto", "tel")
PLAIN_TEXT_ATTRIBUTES = ("title", "alt")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
_ICON_PREFIXES = ("material-", "octicons-", "fontawesome-", "simple-")
_SHORTCODE_RE = re.compile(r"(?<![\w:/]):([a-z0-9_+\-]{2,}):(?![\w/])")
_MARKUP_TEXT_RE = re.compile(r"[<>]|&(?:#|[A-Za-z][A-Za-z0-9]*;)")
"""Markup in attribute text: a tag, or a character reference the tooltip would decode."""
_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.S)


def _scheme(url: str) -> str | None:
    """The URL's scheme as a browser reads it (control characters and spaces dropped), or None."""
    m = _SCHEME_RE.match(_CONTROL_RE.sub("", url).lower())
    return m[1] if m else None


def _shown(text: str) -> str:
    """Text for a message: control characters made visible, long values cut."""
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m[0]):02x}", text)
    return text if len(text) <= 60 else text[:57] + "…"


_ALLOWED_SUMMARY = "表格（table、tr、th、td 等）、列表、图片、链接、段落和文字格式（strong、em、sup、sub 等）、details/summary"
_LAYOUT_HINT = "右对齐（署名、成文日期）写 {: .regbook-right }，居中写 {: .regbook-center }，首行缩进写 {: .regbook-indent }（写在段落的下一行）"


def check_text(text: Text) -> Iterator[Problem]:
    """Every element, attribute, URL, marker and emoji shortcode of one published text not allowed."""
    if (costly := _markdown.costly(text.body)) is not None:
        yield Problem.error(text.path, text.line + text.body.count("\n", 0, costly.at), costly.message)
        return  # not rendered: it would keep the checker and the site busy for minutes
    where = _markdown.Locator(text)
    for top in _markdown.top_elements(text.body):
        yield from _check_tree(text, where, top)
    if text.body in _markdown.FAILURES:
        yield Problem.error(
            text.path,
            text.line,
            f"正文无法按 Markdown 解析（{_markdown.FAILURES[text.body]}）：通常是列表或引用（>）嵌套过深，请简化结构",
        )
    yield from _markers(text)
    yield from _shortcodes(text)


def _check_tree(text: Text, where: _markdown.Locator, top: ET.Element) -> Iterator[Problem]:
    """The element and its allowed descendants, in document order (iterative: no depth limit)."""
    stack: list[tuple[ET.Element, bool]] = [(top, False)]
    while stack:
        el, in_pre = stack.pop()
        tag = _markdown.local_name(str(el.tag))
        if tag not in ALLOWED_TAGS:
            yield _element_problem(text, where, tag)
            continue  # its attributes and children go with it
        yield from _check_attributes(text, where, el, tag, in_pre)
        children = [c for c in el if isinstance(c.tag, str)]
        stack.extend((c, in_pre or tag == "pre") for c in reversed(children))


def _element_problem(text: Text, where: _markdown.Locator, tag: str) -> Problem:
    line = where.line(f"<{tag}")
    if ":" in tag:
        return Problem.error(
            text.path,
            line,
            f"不允许的链接“<{_shown(tag)}>”：尖括号中的地址只能是 https://、http:// 或 mailto:；请删去",
        )
    return Problem.error(
        text.path,
        line,
        f"不允许使用 HTML 元素 <{_shown(tag)}>：内容来自合并请求，网页中只能使用安全的元素——{_ALLOWED_SUMMARY}；"
        "请删去它，或改用 Markdown 写法",
    )


def _check_attributes(text: Text, where: _markdown.Locator, el: ET.Element, tag: str, in_pre: bool) -> Iterator[Problem]:
    for name, value in el.attrib.items():
        lname = _markdown.local_name(name).lower()
        if lname.startswith("on"):
            yield Problem.error(
                text.path,
                where.line(f"{lname}=", lname),
                f"不允许使用事件属性 {_shown(lname)}=（元素 <{tag}>）：它会在网页上执行脚本；请删去",
            )
        elif lname == "style":
            if not (tag in ("td", "th") and TABLE_ALIGN_RE.match(value)):
                yield _style_problem(text, where, tag, value)
        elif not (lname in GLOBAL_ATTRIBUTES or lname in ATTRIBUTES.get(tag, ())):
            allowed = sorted(GLOBAL_ATTRIBUTES | ATTRIBUTES.get(tag, frozenset()))
            yield Problem.error(
                text.path,
                where.line(f"{lname}=", lname),
                f"不允许使用 HTML 属性 {_shown(lname)}（元素 <{tag}>）：<{tag}> 只能使用 {'、'.join(allowed)}；请删去",
            )
        elif lname == "class":
            yield from _check_classes(text, where, tag, value, in_pre)
        elif lname == "id":
            yield from _check_id(text, where, tag, value)
        elif lname in PLAIN_TEXT_ATTRIBUTES and _MARKUP_TEXT_RE.search(value):
            yield Problem.error(
                text.path,
                where.line(value[:20], f"{lname}=", '"'),
                f"{lname} 文字“{_shown(value)}”（元素 <{tag}>）不能含“<”“>”或“&…;”这样的字符引用：网站把这段文字显示为提示框，"
                "只能是纯文字；请改用文字（如用书名号《》代替尖括号）",
            )
        elif lname == "href":
            yield from _check_link(text, where, tag, value)
        elif lname == "src":
            yield from _check_image(text, where, tag, value)


def _style_problem(text: Text, where: _markdown.Locator, tag: str, value: str) -> Problem:
    lowered = value.lower().replace(" ", "")
    if "text-align:right" in lowered:
        hint = "要右对齐，请删去 style，在段落的下一行写 {: .regbook-right }"
    elif "text-align:center" in lowered:
        hint = "要居中，请删去 style，在段落的下一行写 {: .regbook-center }"
    elif any(k in lowered for k in ("text-indent", "padding-left", "margin-left")):
        hint = "要缩进，请删去 style，在段落的下一行写 {: .regbook-indent }"
    else:
        hint = f"请删去 style；版式只能用本站提供的样式：{_LAYOUT_HINT}"
    return Problem.error(
        text.path,
        where.line("style=", "style"),
        f"不允许使用 style 属性（元素 <{tag}>，“{_shown(value)}”）：正文不能自定样式（它能遮盖页面、加载外部内容）；{hint}",
    )


def _check_classes(text: Text, where: _markdown.Locator, tag: str, value: str, in_pre: bool) -> Iterator[Problem]:
    allowed = ALLOWED_CLASSES.get(tag, frozenset())
    for name in value.split():
        if name in allowed or (in_pre and tag == "span" and PYGMENTS_CLASS_RE.match(name)):
            continue
        if name.startswith("md-") or name == "mermaid":
            why = "它属于网站主题（会改变页面结构或从外部网站加载脚本）"
        elif name.startswith("regbook-"):
            why = "它属于本站程序"
        else:
            why = "它不在允许的样式名中"
        yield Problem.error(
            text.path,
            where.line(f".{name}", name),
            f"不允许使用样式名（class）“{_shown(name)}”（元素 <{tag}>）：{why}。请删去；需要版式时：{_LAYOUT_HINT}；"
            "提示框用 !!! note 写法",
        )


def _check_id(text: Text, where: _markdown.Locator, tag: str, value: str) -> Iterator[Problem]:
    if value.startswith("_"):
        why = "以“_”开头的 id 属于网站主题（如 __config、__search），会使页面的脚本失效"
    elif value in RESERVED_IDS or value.startswith(RESERVED_ID_PREFIXES):
        why = "appendix、doc-…、grp-… 是 PDF 汇编的锚点"
    elif not SAFE_ID_RE.match(value):
        why = "id 只能由文字、数字和 - _ : . 组成（以文字或数字开头，不超过 100 个字符）"
    else:
        return
    yield Problem.error(
        text.path,
        where.line(f"#{value}", f'id="{value}', value),
        f"不允许的 id“{_shown(value)}”（元素 <{tag}>）：{why}；请删去或改用别的 id（如 {{#fujian-1}}）",
    )


def _url_line(where: _markdown.Locator, url: str) -> int:
    """The line of a URL found in the rendered text (searched only when it is reported): the URL,
    else parts of it (written with entities or tabs, the source differs from the rendered URL)."""
    raw, _, rest = url.partition(":")
    scheme = _scheme(url)
    return where.line(url, f"{raw}:", rest[:40], raw[:4], f"{scheme}:" if scheme else "", url[:40])


def _url_problem(url: str) -> str | None:
    """Why a URL cannot be used at all (backslashes), else None."""
    if "\\" in url:
        return "地址中不能有反斜杠“\\”（浏览器会把它当作“/”，指向其他网站）；请改为“/”"
    return None


def _check_link(text: Text, where: _markdown.Locator, tag: str, url: str) -> Iterator[Problem]:
    scheme = _scheme(url)
    cleaned = _CONTROL_RE.sub("", url)
    if (why := _url_problem(url)) is not None:
        yield Problem.error(text.path, _url_line(where, url), f"不允许的链接地址“{_shown(url)}”（元素 <{tag}>）：{why}")
    elif scheme is not None and scheme not in LINK_SCHEMES:
        yield Problem.error(
            text.path,
            _url_line(where, url),
            f"不允许的链接地址“{_shown(url)}”（{scheme}: 地址，元素 <{tag}>）：只能链接到 https://、http://、mailto: "
            "或本站的相对路径；请删去这个链接",
        )
    elif scheme is None and cleaned.startswith("//"):
        yield Problem.error(
            text.path,
            _url_line(where, url),
            f"链接地址“{_shown(url)}”以“//”开头：链接其他网站请写完整地址 https://…，本站的页面请用相对路径",
        )


def _check_image(text: Text, where: _markdown.Locator, tag: str, url: str) -> Iterator[Problem]:
    scheme = _scheme(url)
    cleaned = _CONTROL_RE.sub("", url)
    if (why := _url_problem(url)) is not None:
        yield Problem.error(text.path, _url_line(where, url), f"不允许的图片地址“{_shown(url)}”（元素 <{tag}>）：{why}")
    elif scheme in ("http", "https") or (scheme is None and cleaned.startswith("//")):
        yield Problem.error(
            text.path,
            _url_line(where, url),
            f"图片“{_shown(url)}”来自其他网站：网站不能向其他主机请求内容；请把图片放到 docs/ 下，用相对路径引用",
        )
    elif scheme is not None:
        yield Problem.error(
            text.path,
            _url_line(where, url),
            f"不允许的图片地址“{_shown(url)}”（{scheme}: 地址，元素 <{tag}>）：图片只能是本站的文件；"
            "请把图片放到 docs/ 下，用相对路径引用",
        )


def _markers(text: Text) -> Iterator[Problem]:
    """``regbook:`` comments: only the known markers, alone on a line, on the pages that use them."""
    if "regbook:" not in text.body:
        return
    standalone = Counter(markup.standalone_markers(text.body).values())
    where = _markdown.Locator(text)
    for m in _COMMENT_RE.finditer(_markdown.to_html(text.body)):
        if "regbook:" not in m[1]:
            continue
        marker = m[0]
        standalone[marker] -= 1  # the n-th occurrence is fine while there are n marker lines
        line = where.line(marker, m[1].strip()[:30], "regbook:")
        pages = markup.CONTENT_MARKERS.get(marker)
        if pages is None and re.search(r"regbook:(?:print-book|size)\b", marker):
            yield Problem.error(
                text.path, line, f"标记“{_shown(marker)}”由程序生成（打印页、下载文件大小），不能写在文件中；请删去这一行"
            )
            continue
        if pages is None:
            yield Problem.error(
                text.path,
                line,
                f"未知的标记“{_shown(marker)}”：regbook: 注释是程序的标记，只能用编辑指南列出的几个"
                "（如 docs/cleanup/index.md 中的 <!-- regbook:cleanup-list -->），并且不能改写；请删去这一行",
            )
        elif not markup.marker_allowed(marker, text.uri):
            yield Problem.error(
                text.path,
                line,
                f"标记“{marker}”只能用在 {'、'.join('docs/' + p for p in sorted(pages))}（程序在那里插入自动生成的内容）；"
                "请删去这一行",
            )
        elif standalone[marker] < 0:
            yield Problem.error(
                text.path,
                line,
                f"标记“{marker}”必须单独占一行（行首最多 3 个空格，前后没有其他文字，不在代码块中）；请把它移到单独的一行",
            )


def _shortcodes(text: Text) -> Iterator[Problem]:
    if ":" not in text.body:  # a shortcode is between two ASCII colons (most bodies have none)
        return
    for i, line in _markdown.prose_lines(text.body):
        for m in _SHORTCODE_RE.finditer(line):
            if m[1].startswith(_ICON_PREFIXES) or m[1].isdigit():
                continue
            yield Problem.error(
                text.path,
                text.line + i,
                f"表情代码“{m[0]}”会变成从外部网站加载的图片：请删去，或改用文字（图标可用 :material-…: 形式）",
            )


def safe_html(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    for text in corpus.texts:
        yield from check_text(text)


RULES = [safe_html]
