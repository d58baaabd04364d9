"""Uniqueness: one id, one 发文字号, one 索引号 per document.

ids are shared by regulations and cleanup records (a document's 依据 names either), so a
cleanup record may not take a regulation's id. 发文字号 are unique among 规范性文件 (GB/T 9704
文号); laws, 行政法规 and 规章 share order numbers when one order promulgates a package amendment. 索引号 are shared by regulations and
disclosure items (one disclosure platform). Every later occurrence is reported, pointing
at the first.

Values are compared in ``invisible.comparison_key`` form (NFKC, without whitespace and invisible
characters): ``吉国动办发〔2025〕3号`` with a zero width space or a word joiner inside, or with
full-width digits, is the same 发文字号 (``rules.identifiers`` also reports the hidden character).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Iterator

from regbook import invisible
from regbook.corpus import Corpus
from regbook.model import Level
from regbook.problems import Problem

Entry = tuple[str, str, int]
"""(value, path, line)."""


def _duplicates(entries: Iterable[Entry], key: str, fix: str) -> Iterator[Problem]:
    first: dict[str, tuple[str, int, str]] = {}
    for value, path, line in sorted(entries, key=lambda e: (e[1], e[2])):
        norm = invisible.comparison_key(value)
        if norm in first:
            where, at, seen = first[norm]
            same = "" if seen == value else f"（写法不同，实为同一个：“{invisible.shown(seen)}”）"
            yield Problem.error(path, line, f"{key}“{invisible.shown(value)}”重复：{where} 第 {at} 行已使用{same}。{fix}")
        else:
            first[norm] = (path, line, value)


def unique_ids(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    entries = [(r.id, r.path, r.line_of("id")) for r in corpus.regulations]
    entries += [(c.id, c.path, c.line_of("id")) for c in corpus.cleanups]
    yield from _duplicates(entries, "id", "每个文件的 id 必须唯一（同一法律的不同版本可在 id 末尾加年份，如 guofang-jiaoyu-fa-2024）")


def unique_numbers(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """One GB/T 9704 文号 per 规范性文件. Order numbers may repeat: one 主席令, 国务院令 or 省政府令
    promulgates a package decision (e.g. 《关于修改〈…〉等六部法律的决定》), and every law it
    amends carries that number in its new version."""
    entries = [
        (r.number, r.path, r.line_of("发文字号"))
        for r in corpus.regulations
        if r.number and r.level in (Level.NORMATIVE, Level.OTHER_NORMATIVE)
    ]
    yield from _duplicates(entries, "发文字号", "两个文件不能有相同的发文字号：请核对原件")


def unique_index_numbers(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    entries = [(r.index_no, r.path, r.line_of("索引号")) for r in corpus.regulations if r.index_no]
    entries += [(d.index_no, d.path, d.line_of("索引号")) for d in corpus.disclosures]
    yield from _duplicates(entries, "索引号", "索引号在政府信息公开平台上唯一：请改用下一个流水号")


RULES = [unique_ids, unique_numbers, unique_index_numbers]
