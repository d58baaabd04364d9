"""Safety: content comes from pull requests, so published HTML may only contain harmless markup.

What is checked is the page as it will be published: each text is rendered like the site
renders it and parsed as a browser parses it (see ``_markdown``), so the same rules catch raw
HTML, Markdown links and images, reference-style links, autolinks and attribute lists
(``{: onclick=… }``). This reads; it does not sanitise: anything not allowed is an error,
the build refuses, and nothing is published.

- elements: only ``ALLOWED_TAGS`` (tables, lists, text formatting, images, details …);
  ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<form>``, ``<style>`` and
  everything else are errors;
- attributes: only ``ALLOWED_ATTRIBUTES`` (plus ``aria-*`` and ``data-*``); any ``on…``
  event handler is an error; ``style`` may not load anything (``url(``, ``expression(``);
- URLs (``href``, ``src``): ``http(s)``, ``mailto``, ``tel`` or relative; ``javascript:``,
  ``data:``, ``vbscript:`` … are errors, however they are spelled (entities, tabs, case);
  images must come from the site itself (the site makes no request to other hosts);
- emoji shortcodes (``:smile:``) are errors: the theme turns them into images from a public
  CDN; the inline icons (``:material-…:``, ``:octicons-…:``, ``:fontawesome-…:``) are fine.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Iterator

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
"""Markup an editor may use, and everything Python-Markdown itself emits."""

ALLOWED_ATTRIBUTES = frozenset(
    """
    class id title lang dir href src alt width height colspan rowspan scope align valign
    start reversed type open cite datetime name style
    """.split()
)

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
URL_ATTRIBUTES = ("href", "src", "cite")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
_STYLE_BAD = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding", re.I)
_ICON_PREFIXES = ("material-", "octicons-", "fontawesome-", "simple-")
_SHORTCODE_RE = re.compile(r"(?<![\w:/]):([a-z0-9_+\-]{2,}):(?![\w/])")


def _scheme(url: str) -> str | None:
    """The URL's scheme as a browser reads it (control characters and spaces dropped), or None."""
    m = _SCHEME_RE.match(_CONTROL_RE.sub("", url).lower())
    return m[1] if m else None


def _shown(text: str) -> str:
    """Text for a message: control characters made visible, long values cut."""
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m[0]):02x}", text)
    return text if len(text) <= 60 else text[:57] + "…"


_ALLOWED_SUMMARY = "表格（table、tr、th、td 等）、列表、图片、链接、段落和文字格式（strong、em、sup、sub 等）、details/summary"


def check_text(text: Text) -> Iterator[Problem]:
    """Every unsafe element, attribute, URL and emoji shortcode of one published text."""
    where = _markdown.Locator(text)
    for top in _markdown.top_elements(text.body):
        yield from _check_element(text, where, top)
    if text.body in _markdown.FAILURES:
        yield Problem.error(
            text.path,
            text.line,
            f"正文无法按 Markdown 解析（{_markdown.FAILURES[text.body]}）：通常是列表或引用（>）嵌套过深，请简化结构",
        )
    yield from _shortcodes(text)


def _check_element(text: Text, where: _markdown.Locator, el: ET.Element) -> Iterator[Problem]:
    """One element, its attributes and (when it is allowed) its children."""
    tag = _markdown.local_name(str(el.tag))
    if tag not in ALLOWED_TAGS:
        line = where.line(f"<{tag}")
        if ":" in tag:
            yield Problem.error(
                text.path,
                line,
                f"不允许的链接“<{_shown(tag)}>”：尖括号中的地址只能是 http://、https:// 或 mailto:；请删去",
            )
        else:
            yield Problem.error(
                text.path,
                line,
                f"不允许使用 HTML 元素 <{_shown(tag)}>：内容来自合并请求，网页中只能使用安全的元素——{_ALLOWED_SUMMARY}；"
                "请删去它，或改用 Markdown 写法",
            )
        return  # its attributes and children go with it
    for name, value in el.attrib.items():
        lname = _markdown.local_name(name).lower()
        if lname.startswith("on"):
            yield Problem.error(
                text.path,
                where.line(f"{lname}=", lname),
                f"不允许使用事件属性 {_shown(lname)}=（元素 <{tag}>）：它会在网页上执行脚本；请删去",
            )
        elif not (lname in ALLOWED_ATTRIBUTES or lname.startswith(("aria-", "data-"))):
            yield Problem.error(
                text.path,
                where.line(f"{lname}=", lname),
                f"不允许使用 HTML 属性 {_shown(lname)}（元素 <{tag}>）：允许的属性为 "
                f"{'、'.join(sorted(ALLOWED_ATTRIBUTES))}、aria-*、data-*",
            )
        elif lname == "style" and _STYLE_BAD.search(value):
            yield Problem.error(
                text.path,
                where.line("style="),
                f"style 属性中不能加载外部内容或脚本（url(、expression( 等），实际为“{_shown(value)}”：请删去",
            )
        elif lname in URL_ATTRIBUTES:
            yield from _check_url(text, where, tag, lname, value)
    for child in el:
        if isinstance(child.tag, str):
            yield from _check_element(text, where, child)


def _check_url(text: Text, where: _markdown.Locator, tag: str, attr: str, url: str) -> Iterator[Problem]:
    scheme = _scheme(url)
    if scheme is None:
        return
    raw = url.split(":", 1)[0]
    if scheme not in SAFE_SCHEMES:
        yield Problem.error(
            text.path,
            where.line(url, f"{raw}:", url.split(":", 1)[1][:40], raw[:4], f"{scheme}:"),
            f"不允许的链接地址“{_shown(url)}”（{scheme}: 地址，元素 <{tag}>）：只能链接到 http://、https://、mailto: "
            "或本站的相对路径；请删去这个链接",
        )
    elif tag == "img" and attr == "src" and scheme in ("http", "https"):
        yield Problem.error(
            text.path,
            where.line(url),
            f"图片“{_shown(url)}”来自其他网站：网站不能向其他主机请求内容；请把图片放到 docs/ 下，用相对路径引用",
        )


def _shortcodes(text: Text) -> Iterator[Problem]:
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
