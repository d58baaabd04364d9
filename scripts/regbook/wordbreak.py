"""Titles that break between words, not inside them (「…管理的|通知」, never 「…管|理的通知」).

Chinese has no spaces: browsers and WeasyPrint may break a line between any two characters. A
word segmenter (``rjieba``, the Rust jieba-rs with jieba's dictionary; maintained, typed, no cache
files) splits a title into words; each word of two or more characters is wrapped in
``<span class="regbook-word">`` (``white-space: nowrap`` in book.css and regbook.css), so a line
can only break between words. ``word-break: keep-all`` with ``<wbr>`` would say the same in a
browser, but WeasyPrint ignores ``keep-all``; nowrap spans work in both (checked on WeasyPrint 70
and Chromium). Punctuation stays with its word (an opening bracket with the next word, a closing
one with the previous), and the field's terms (``TERMS``) are never cut.

The spans hold the same text: copying, search and screen readers see the title unchanged.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

WORD_CLASS = "regbook-word"
TERMS = (
    "人民防空",
    "国防动员",
    "国防教育",
    "军事设施",
    "防空警报",
    "行政处罚",
    "行政规范性文件",
    "规范性文件",
    "裁量基准",
    "政府信息公开",
    "国防动员委员会",
    "人民防空办公室",
    "国防动员办公室",
    "全国人民代表大会常务委员会",
)
"""Terms of the field kept whole (the general dictionary would split 人民|防空)."""

_OPENING = "（《〈「『“‘【〔(["
_CLOSING = "）》〉」』”’】〕)]，、。：；！？,.:;!?"
_UNITS = "年月日号条款项件"
"""Units kept with the number before them: 2024年, 第3号."""
_TAG_RE = re.compile(r"(<[^>]*>)")


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import rjieba

    seg = rjieba.Jieba()
    for term in TERMS:
        seg.add_word(term, None, None)
    return seg


def words(text: str) -> list[str]:
    """``text`` cut into the pieces a line may break between (punctuation joined to its word)."""
    if not text:
        return []
    out: list[str] = []
    glue_next = False
    for token in _segmenter().cut(text):
        if out and (glue_next or token[0] in _CLOSING or (token[0] in _UNITS and out[-1][-1].isdigit())):
            out[-1] += token
        else:
            out.append(token)
        glue_next = token[-1] in _OPENING
    return out


def title_html(text: str) -> str:
    """A title as escaped HTML whose lines break only between words."""
    return "".join(
        f'<span class="{WORD_CLASS}">{html.escape(w, quote=False)}</span>' if len(w) > 1 else html.escape(w, quote=False)
        for w in words(text)
    )


def in_html(fragment: str) -> str:
    """``title_html`` applied to the text between the tags of an HTML fragment (a heading's inside)."""
    return "".join(
        part if part.startswith("<") or not part.strip() else title_html(html.unescape(part))
        for part in _TAG_RE.split(fragment)
    )


_H1_RE = re.compile(r"(<h1\b[^>]*>)(.*?)(</h1>)", re.S)


def headings(page_html: str) -> str:
    """Every ``<h1>`` of a page breaks between words (its permalink and other tags kept)."""
    return _H1_RE.sub(lambda m: m[1] + in_html(m[2]) + m[3], page_html)
