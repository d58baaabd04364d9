"""Identifiers without invisible characters: 发文字号, 索引号, and the names of content files.

A zero width space or a word joiner copied from a web page makes ``吉国动办发〔2025〕3号`` and
``吉国动办发〔2025〕3号`` (with one hidden inside) different strings that look the same: a
duplicate would slip past the uniqueness rules, and a file name would differ from its link.
``regbook.invisible`` says which characters are refused; each is named (``unicodedata.name``)
with its position, and the value is shown with ``⟨U+200B⟩`` where it stands.

ids are checked when they are read (``regbook.corpus``): one with a hidden character is not an id.
The uniqueness rules compare values in ``invisible.comparison_key`` form as well, so a disguised
duplicate is reported even before this rule's error is fixed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Iterator

from regbook import invisible
from regbook.corpus import Corpus
from regbook.problems import Problem

_WHY = "这类字符多从网页或 Word 复制而来，会让看起来相同的编号被当作不同"


def _field(path: str, line: int, key: str, value: str) -> Problem:
    return Problem.error(
        path,
        line,
        f"{key}“{invisible.shown(value)}”含有看不见的字符：{invisible.describe(value)}。{_WHY}：请删去该字符（或整个重新输入）",
    )


def hidden_in_fields(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """发文字号 and 索引号 of regulations, 索引号 of disclosure items."""
    for reg in corpus.regulations:
        for key, value in (("发文字号", reg.number), ("索引号", reg.index_no)):
            if value and invisible.hidden_characters(value):
                yield _field(reg.path, reg.line_of(key), key, value)
    for item in corpus.disclosures:
        if invisible.hidden_characters(item.index_no):
            yield _field(item.path, item.line_of("索引号"), "索引号", item.index_no)


def hidden_in_file_names(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Names of files and folders below ``regulations/`` and ``docs/`` (a folder is reported once)."""
    folders: set[str] = set()
    for rel in corpus.files:
        parts = PurePosixPath(rel).parts
        for depth, part in enumerate(parts, start=1):
            if not _has_hidden(part):
                continue
            where, is_file = "/".join(parts[:depth]), depth == len(parts)
            if not is_file and where in folders:
                break
            folders.add(where)
            what = "文件名" if is_file else "文件夹名"
            yield Problem.error(
                where,
                1,
                f"{what}“{invisible.shown(part)}”含有看不见的字符：{invisible.describe(part)}。"
                f"网址和链接会因此对不上：请给{'文件' if is_file else '文件夹'}改名，重新输入名字",
            )
            break


@lru_cache(maxsize=16384)  # the preview checks every name on each rebuild
def _has_hidden(name: str) -> bool:
    """Whether a file or folder name holds a refused character."""
    return bool(invisible.hidden_characters(name))


RULES = [hidden_in_fields, hidden_in_file_names]
