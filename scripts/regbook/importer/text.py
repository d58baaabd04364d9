"""The text layout of a law source: ``# 标题`` line(s), dated history lines, the end-of-header
line ``SENTINEL``, then the body (see README.md, “导入法律文本”, and ``../shared/corpus/SOURCE.md``).

Splits a source's lines into titles, header and body, and turns the body into normalised
Markdown. A ``.docx`` is first turned into this same layout by ``regbook.docx_reader``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SENTINEL = "<!-- INFO " + "END -->"
"""The corpus layout's end-of-header line, spelled in two parts: no committed file may contain it
(the repository's guard against committing corpus texts)."""

_FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_NUM = "〇零一二三四五六七八九十百两"

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DATE_START_RE = re.compile(r"^\s*[（(]?\s*(?:根据\s*)?\d{4}\s*年")
_FILE_DATE_RE = re.compile(r"\((\d{4})-(\d{1,2})-(\d{1,2})\)$")
_BODY_EFFECTIVE_RE = re.compile(
    r"自\s*(\d{4}|[" + _CN_NUM + r"]{4})\s*年\s*([\d" + _CN_NUM + r"]{1,3})\s*月"
    r"\s*([\d" + _CN_NUM + r"]{1,3})\s*日\s*起?\s*(?:施行|实施|生效|执行)"
)
_HEADING_RE = re.compile(r"^(#{1,6})[ \t\u3000]*(.*?)$")
_DIVISION_RE = re.compile(r"^(第[" + _CN_NUM + r"千\d]+(分编|编|章|节))[ \t\u3000]*(.*)$")
_DIVISION_ORDER = ("编", "分编", "章", "节")
_ARTICLE_RE = re.compile(r"^第[" + _CN_NUM + r"千]+条")


@dataclass
class Layout:
    """A source in the text layout: titles, header lines (with file lines), body lines."""

    titles: list[tuple[str, int]]
    header: list[tuple[str, int]]
    body: list[str]
    body_line: int


def normalise_line(line: str) -> str:
    """Full-width digits → ASCII; control characters dropped; trailing (full-width) spaces removed."""
    return _CONTROL_RE.sub("", line.translate(_FW_DIGITS)).rstrip(" \t\u3000\u00a0\ufeff")


def cn_number(text: str) -> int | None:
    """``2019``, ``一九九四`` (digit by digit), ``十一``, ``二十三`` → int; None if not a number."""
    text = text.translate(_FW_DIGITS)
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    return None


def file_date(stem: str) -> dt.date | None:
    """The version date of a corpus file name ``名称(YYYY-MM-DD)``, if any."""
    m = _FILE_DATE_RE.search(stem)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def split_layout(lines: list[str]) -> tuple[Layout | None, str, int]:
    """Lines of the text layout → ``Layout``, or ``None`` and why (with the file line)."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    titles: list[tuple[str, int]] = []
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("# "):
            titles.append((line[2:].strip(), i + 1))
        elif line:
            break
        i += 1
    if not titles or not titles[0][0]:
        return None, "没有标题：第一行应为“# 标题”（一级标题）", i + 1 if i < len(lines) else 1
    try:
        end = next(j for j in range(i, len(lines)) if lines[j].strip() == SENTINEL)
        header = [(lines[j].strip(), j + 1) for j in range(i, end) if lines[j].strip()]
        start = end + 1
    except StopIteration:
        # No sentinel (a hand-made text or a Word file): the header is the run of dated lines.
        header = []
        j = i
        while j < len(lines) and (not lines[j].strip() or _DATE_START_RE.match(lines[j])):
            if lines[j].strip():
                header.append((lines[j].strip(), j + 1))
            j += 1
        start = j
    return Layout(titles, header, lines[start:], start + 1), "", 0



def body_effective(body: str) -> dt.date | None:
    """The last “自YYYY年M月D日起施行” of the body (Arabic or Chinese numerals)."""
    found = None
    for m in _BODY_EFFECTIVE_RE.finditer(body):
        y, mo, d = cn_number(m[1]), cn_number(m[2]), cn_number(m[3])
        if y and mo and d:
            try:
                found = dt.date(y, mo, d)
            except ValueError:
                continue
    return found


def markdown_body(lines: list[str]) -> str:
    """Body lines → normalised Markdown: trimmed lines, one blank line between blocks,
    章/节/编 as headings with consistent levels and single spaces, final newline."""
    cleaned: list[str] = []
    for raw in lines:
        line = normalise_line(raw).strip(" \t\u3000\u00a0")
        if line == SENTINEL:
            continue
        cleaned.append(line)
    cleaned = _without_contents(cleaned)
    kinds: list[str] = []
    for line in cleaned:
        kind = _division_kind(line)
        if kind and kind not in kinds:
            kinds.append(kind)
    levels = {k: 2 + i for i, k in enumerate(sorted(kinds, key=_DIVISION_ORDER.index))}
    blocks: list[str] = []
    for line in cleaned:
        if not line:
            continue
        kind = _division_kind(line)
        if kind:
            text = line.lstrip("#").strip(" \t\u3000")
            m = _DIVISION_RE.match(text)
            assert m is not None
            name = re.sub(r"[ \t\u3000]+", "", m[3])
            blocks.append("#" * min(levels[kind], 6) + f" {m[1]}" + (f" {name}" if name else ""))
        elif line.startswith("#"):
            hm = _HEADING_RE.match(line)
            assert hm is not None
            text = re.sub(r"[ \t\u3000]+", " ", hm[2]).strip()
            if text:
                blocks.append("#" * max(len(hm[1]), 2) + " " + text)
        else:
            blocks.append(line)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _without_contents(lines: list[str]) -> list[str]:
    """Drop a table of contents (“目录” then the chapter list) that Word downloads put before
    the text: everything from “目录” until its first entry appears a second time."""
    for i, line in enumerate(lines):
        if re.sub(r"[\s#]+", "", line) in ("目录", "目次"):
            entries = [x for x in lines[i + 1 :] if x.strip()]
            if not entries:
                return lines
            first = re.sub(r"[\s#]+", "", entries[0])
            for j in range(i + 1, len(lines)):
                if lines[j].strip() and re.sub(r"[\s#]+", "", lines[j]) == first and lines[j] is not entries[0]:
                    return lines[:i] + lines[j:]
            return lines
        if _ARTICLE_RE.match(line):
            break
    return lines


def _division_kind(line: str) -> str | None:
    """编/分编/章/节 when the line is such a heading (Markdown heading or a short bare line)."""
    text = line.lstrip("#").strip(" \t\u3000")
    m = _DIVISION_RE.match(text)
    if not m:
        return None
    if line.startswith("#"):
        return m[2]
    # A bare line is a heading only when short and not a sentence.
    if len(text) <= 40 and not re.search(r"[。；，：]", text):
        return m[2]
    return None

