"""Characters: Unicode private-use code points in published text and metadata (warnings).

Imported law texts sometimes hold a private-use character (U+E000–U+F8FF, planes 15 and 16:
``invisible.PRIVATE_USE_RE``) where the source's own font had a rare 汉字. No font of the site or
the book has a glyph for it: the book prints it as 〓 (``book.typst``/``book.html``), the site shows whatever the reader's
browser can (usually a box). The checker warns, once per line, naming each code point and where
it stands, so that an editor can put the right character in from the original. Existing content
keeps building (``regbook check --strict`` fails on warnings).

发文字号 and 索引号 are left out: ``identifiers`` already refuses any private-use character there.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from regbook.corpus import Corpus, Text
from regbook.invisible import PRIVATE_USE_RE
from regbook.model import CLEANUP_FIELDS, DISCLOSURE_FIELDS, REGULATION_FIELDS
from regbook.problems import Problem


_IDENTIFIER_KEYS = frozenset({"发文字号", "索引号"})
_WHAT = "字库中没有对应的字，网站上可能显示为方框，汇编中印作“〓”"
_DO = "请对照原件改为正确的汉字；原件也无法辨认的，可直接写“〓”"


def _listed(text: str) -> str:
    """``第 5、9 个字符是私用区字符 U+E003、U+E004``: where ``text``'s private-use characters stand, and which."""
    found = list(PRIVATE_USE_RE.finditer(text))
    where = "、".join(str(m.start() + 1) for m in found)
    return f"第 {where} 个字符是私用区字符 " + "、".join(f"U+{ord(m[0]):04X}" for m in found)


def check_text(text: Text) -> Iterator[Problem]:
    """One warning per body line holding private-use characters."""
    if PRIVATE_USE_RE.search(text.body) is None:  # nearly every text: one scan, no split
        return
    for i, line in enumerate(text.body.split("\n")):
        if PRIVATE_USE_RE.search(line):
            n = text.line + i
            yield Problem.warning(text.path, n, f"第 {n} 行{_listed(line)}（{_WHAT}）：{_DO}")


def _value(path: str, line: int, key: str, value: str | None) -> Iterator[Problem]:
    if value and PRIVATE_USE_RE.search(value):
        yield Problem.warning(path, line, f"{key}的{_listed(value)}（{_WHAT}）：{_DO}")


def _text_fields(schema: dict[str, tuple[str, str, bool]]) -> list[tuple[str, str]]:
    """(front-matter key, attribute) of the schema's text values, identifiers left out."""
    return [(key, attr) for key, (attr, kind, _) in schema.items() if kind == "str" and key not in _IDENTIFIER_KEYS]


def private_use_in_metadata(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Text values of the front matter: regulations (修订历史 included), cleanup records, disclosure items."""
    for reg in corpus.regulations:
        for key, attr in _text_fields(REGULATION_FIELDS):
            yield from _value(reg.path, reg.line_of(key), key, getattr(reg, attr))
        for event in reg.history:
            for value in (event.event, event.by):
                yield from _value(reg.path, reg.line_of("修订历史"), "修订历史", value)
    for record in corpus.cleanups:
        for key, attr in _text_fields(CLEANUP_FIELDS):
            yield from _value(record.path, record.line_of(key), key, getattr(record, attr))
        for decision in record.decisions:
            yield from _value(record.path, decision.line, "决定的理由", decision.reason)
    for item in corpus.disclosures:
        for key, attr in _text_fields(DISCLOSURE_FIELDS):
            yield from _value(item.path, item.line_of(key), key, getattr(item, attr))


RULES = [private_use_in_metadata]
