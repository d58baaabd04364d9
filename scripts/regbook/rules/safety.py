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
    return text if len(text) <= 60 else text[:57] + "…"


def _allowed_list() -> str:
    return "、".join(sorted(ALLOWED_TAGS))


def check_text(text: Text) -> Iterator[Problem]:
    """Every unsafe element, attribute, URL and emoji shortcode of one published text."""
    for el in _markdown.elements(text.body):
        tag = el.tag
        if tag not in ALLOWED_TAGS:
            line = _markdown.line_of(text, f"<{tag}")
            yield Problem.error(
                text.path,
                line,
                f"不允许使用 HTML 元素 <{_shown(tag)}>：内容来自合并请求，网页中只能使用表格、列表、图片等安全元素"
                f"（允许的元素：{_allowed_list()}）；请删去它，或改用 Markdown 写法",
            )
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                yield Problem.error(
                    text.path,
                    _markdown.line_of(text, f"{name}=", name),
                    f"不允许使用事件属性 {_shown(name)}=（元素 <{_shown(tag)}>）：它会在网页上执行脚本；请删去",
                )
                continue
            if not (lname in ALLOWED_ATTRIBUTES or lname.startswith(("aria-", "data-"))):
                yield Problem.error(
                    text.path,
                    _markdown.line_of(text, f"{name}=", name),
                    f"不允许使用 HTML 属性 {_shown(name)}（元素 <{_shown(tag)}>）：允许的属性为 "
                    f"{'、'.join(sorted(ALLOWED_ATTRIBUTES))}、aria-*、data-*",
                )
                continue
            if lname == "style" and _STYLE_BAD.search(value):
                yield Problem.error(
                    text.path,
                    _markdown.line_of(text, "style="),
                    f"style 属性中不能加载外部内容或脚本（url(、expression( 等），实际为“{_shown(value)}”：请删去",
                )
            if lname in URL_ATTRIBUTES:
                yield from _check_url(text, tag, lname, value)
    yield from _shortcodes(text)


def _check_url(text: Text, tag: str, attr: str, url: str) -> Iterator[Problem]:
    scheme = _scheme(url)
    if scheme is None:
        return
    raw = url.split(":", 1)[0]
    line = _markdown.line_of(text, url, f"{raw}:", f"{scheme}:")
    if scheme not in SAFE_SCHEMES:
        yield Problem.error(
            text.path,
            line,
            f"不允许的链接地址“{_shown(url)}”（{scheme}: 地址，元素 <{tag}>）：只能链接到 http://、https://、mailto: "
            "或本站的相对路径；请删去这个链接",
        )
    elif tag == "img" and attr == "src" and scheme in ("http", "https"):
        yield Problem.error(
            text.path,
            line,
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
