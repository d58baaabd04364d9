"""Importing law texts: the national database's text layout or a Word file → regulation files.

Two halves:

- **Parsing** (pure functions): a source's text → ``Draft`` (front matter values, Markdown
  body, the fallbacks that were needed) or ``Problem`` objects. The text layout is the one of
  ``../shared/corpus`` (``# 标题``, dated history lines, the end-of-header line ``SENTINEL``, then the body);
  a ``.docx`` is first turned into the same layout by ``regbook.docx_reader``.
- **Writing** (``Importer``): places drafts into a project's ``regulations/`` folder, keeps
  version chains right (an older version of the same 标题 becomes 已修改 with 现行版本), and
  writes atomically (temporary file + rename); nothing is written for a bad source.

Rules chosen here (documented for editors in README.md, “导入法律文本”):

- 公布日期: the latest promulgation-type event of the history (通过/公布/发布/修正/修订/修改/批准/
  印发). Fallbacks, each counted: the file-name date ``名称(YYYY-MM-DD)`` when the history has
  none, or when it is later (within ``SAME_VERSION_DAYS``: the same version, published after
  adoption; beyond: the header lacks the version's event); then the body's 施行日期 (flagged
  in the text); then ``--date`` (flagged). Nothing at all: error.
- 施行日期: the latest dated 施行/实施/生效/执行 event if not before 公布日期; else the body's
  last “自YYYY年M月D日起施行” if not before 公布日期; else 公布日期 when the text says
  自公布之日起施行 and has no amendment history. Otherwise left out.
- 成文日期 (only for 规范性文件 levels, GB/T 9704: the adopting meeting's date): the last 通过
  date when only 公布/发布 follows it.
- 发文字号: only a decree or 〔年〕号 number in the event that made this version.
- 制定机关: the organ of the latest promulgation event (批准 excluded), normalised (届/次会议
  dropped). Fallbacks, counted: a signature line (“最高人民法院发布”), the title (“X关于…”), the
  部门规章 folder, the level (行政法规 → 国务院; 法律 → 全国人民代表大会常务委员会; 地方性法规 →
  the title's place + 人民代表大会常务委员会), else “（原文未注明）”.
- 版本: ``YYYY年修正`` / ``YYYY年修订`` / ``YYYY年修改`` when the version comes from an
  amendment; ``YYYY年版`` for other versions when the 标题 has several; the full date when
  two versions' labels would clash (``group_labels``).
- 时效性: 现行有效, or 尚未生效 before 施行日期; older versions of the same 标题 已修改 with
  现行版本 = the newest (by 公布日期). The corpus' ``expired`` flag is not used.
- id: pinyin of the short title (without 中华人民共和国) plus ``-YYYY-MM-DD`` of 公布日期;
  long titles are cut and get a 6-hex hash of the title; see ``make_id``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.nodes import ScalarNode

from regbook import frontmatter
from regbook.model import ID_RE, Level, Status
from regbook.problems import Problem

SENTINEL = "<!-- INFO " + "END -->"
"""The corpus layout's end-of-header line, spelled in two parts: no committed file may contain it
(the repository's guard against committing corpus texts)."""
SOURCE_SUFFIXES = (".md", ".txt", ".docx")

LEVEL_FOLDERS: dict[str, Level] = {
    **{
        name: Level.LAW
        for name in (
            *("宪法", "宪法相关法", "民法典", "民法商法", "行政法"),
            *("经济法", "社会法", "刑法", "诉讼与非诉讼程序法", "法律"),
        )
    },
    "行政法规": Level.ADMIN_REGULATION,
    "地方性法规": Level.LOCAL_REGULATION,
    "部门规章": Level.RULE,
    "规章": Level.RULE,
    "司法解释": Level.OTHER_NORMATIVE,
    "案例": Level.OTHER_NORMATIVE,
    "其他": Level.OTHER_NORMATIVE,
}
"""Corpus folder (or level name) → 效力位阶. Our vocabulary has no 司法解释: it and the
案例/其他 folders become 其他规范性文件."""

PROMULGATION = ("通过", "公布", "发布", "修正", "修订", "修改", "批准", "印发")
AMENDMENT = ("修正", "修订", "修改")
EFFECTIVE = ("施行", "实施", "生效", "执行")
_VERBS = PROMULGATION + EFFECTIVE

_FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_NUM = "〇零一二三四五六七八九十百两"

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_START_RE = re.compile(r"^\s*[（(]?\s*(?:根据\s*)?\d{4}\s*年")
_FILE_DATE_RE = re.compile(r"\((\d{4})-(\d{1,2})-(\d{1,2})\)$")
_VERB_RE = re.compile(r"(第[一二三四五六七八九十]+次)?(" + "|".join(_VERBS) + ")")
_FROM_PUBLICATION_RE = re.compile(r"(?:公布|发布|印发)之日起?(?:施行|实施|生效)")
_BODY_EFFECTIVE_RE = re.compile(
    r"自\s*(\d{4}|[" + _CN_NUM + r"]{4})\s*年\s*([\d" + _CN_NUM + r"]{1,3})\s*月"
    r"\s*([\d" + _CN_NUM + r"]{1,3})\s*日\s*起?\s*(?:施行|实施|生效|执行)"
)
_HEADING_RE = re.compile(r"^(#{1,6})[ \t\u3000]*(.*?)$")
_DIVISION_RE = re.compile(r"^(第[" + _CN_NUM + r"千\d]+(分编|编|章|节))[ \t\u3000]*(.*)$")
_DIVISION_ORDER = ("编", "分编", "章", "节")
_ARTICLE_RE = re.compile(r"^第[" + _CN_NUM + r"千]+条")
_NUMBER_RE = re.compile(
    r"((?:中华人民共和国)?[\u4e00-\u9fff、]{1,30}令(?:（[^）]*）)?第[\d" + _CN_NUM + r"千]+号"
    r"|[\u4e00-\u9fff]{1,12}[〔［\[(（]\d{4}[〕］\])）]\s*\d+\s*号)"
)
_ORGAN_SUFFIX = r"(?:委员会|人民政府|办公厅|办公室|总局|法院|检察院|银行|部|委|局|署|院|会|厅|所|军委|政府)"
_TITLE_ORGAN_RE = re.compile(
    r"^((?:[\u4e00-\u9fff]+" + _ORGAN_SUFFIX + r"、)*[\u4e00-\u9fff]+?" + _ORGAN_SUFFIX + r")关于"
)
_PLACE_CONGRESS_RE = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:省|市|自治区|自治州|自治县|县|区|州|盟))?(?:第[一二三四五六七八九十]+届)?"
    r"(全国)?人民代表大会(常务委员会)?"
)
_DECREE_ORGAN_RE = re.compile(r"(?:中华人民共和国)?([\u4e00-\u9fff、]{2,30}?)令(?:（[^）]*）)?第")
_MEETING_ORGAN_RE = re.compile(
    r"(?:中华人民共和国)?([\u4e00-\u9fff、]{2,30}?" + _ORGAN_SUFFIX + r")"
    r"(?:第[\d" + _CN_NUM + r"]+次)?(?:部长|局长|主任|署长|行长|主席)?"
    r"(?:办公会议|常务会议|务会议|委员会会议|审判委员会|检察委员会|全体会议|会议)"
)
_PLAIN_ORGAN_RE = re.compile(r"^(?:中华人民共和国)?([\u4e00-\u9fff、]{2,30}" + _ORGAN_SUFFIX + r")$")
_TRIM_RE = re.compile(r"^[\s（(，,。；;、）)]+|[\s（(，,。；;、）)]+$|(?:\s*根据)+\s*$")
_PLACE_RE = re.compile(r"^([\u4e00-\u9fff]{2,10}?(?:省|市|自治区|自治州|自治县|县))")
NOT_STATED = "（原文未注明）"
SAME_VERSION_DAYS = 92
"""A file-name date at most this much later than the header's last date is the same version,
published after adoption; later, the header is missing the version's own event."""
_ORGAN_ALIASES = {"中央军委": "中央军事委员会"}


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One dated history line, split into 日期 / 事件 / 机关 and the verb that classifies it."""

    date: dt.date
    event: str
    by: str
    kind: str
    line: int
    text: str

    def as_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"日期": self.date, "事件": self.event}
        if self.by:
            out["机关"] = self.by
        return out


@dataclass
class Layout:
    """A source in the text layout: titles, header lines (with file lines), body lines."""

    titles: list[tuple[str, int]]
    header: list[tuple[str, int]]
    body: list[str]
    body_line: int


@dataclass
class Draft:
    """One document ready to be written: front matter values (in order) and body."""

    source: str
    id: str
    title: str
    level: Level
    published: dt.date
    effective: dt.date | None
    data: dict[str, Any]
    body: str
    amended: bool
    fallbacks: list[str] = field(default_factory=list)


# --- small parsers ------------------------------------------------------------------------


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


def level_for(path: Path, override: str | None = None) -> Level | None:
    """效力位阶 from ``--level`` (a level or a corpus folder name) or the nearest known folder."""
    if override:
        text = unicodedata.normalize("NFKC", override).strip()
        for level in Level:
            if level.value == text or level.slug == text:
                return level
        return LEVEL_FOLDERS.get(text)
    parts = path.parent.parts
    if "案例" in parts:
        # Case summaries are filed by field (案例/民法典, 案例/劳动人事): all 其他规范性文件.
        return LEVEL_FOLDERS["案例"]
    for part in reversed(parts):
        if part in LEVEL_FOLDERS:
            return LEVEL_FOLDERS[part]
    return None


def level_choices() -> str:
    return "、".join(level.value for level in Level)


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


def _depth_zero_dates(text: str) -> list[re.Match[str]]:
    """Date matches that are not inside 《…》 (a decision's name may contain a date)."""
    out, depth, pos = [], 0, 0
    for m in DATE_RE.finditer(text):
        segment = text[pos : m.start()]
        depth += segment.count("《") - segment.count("》")
        pos = m.start()
        if depth <= 0:
            out.append(m)
    return out


def _last_verb(desc: str) -> re.Match[str] | None:
    """The last classifying verb outside 《…》."""
    best, depth, pos = None, 0, 0
    for m in _VERB_RE.finditer(desc):
        segment = desc[pos : m.start()]
        depth += segment.count("《") - segment.count("》")
        pos = m.start()
        if depth <= 0 and not desc[m.end() : m.end() + 1] in ("法", "条", "案"):
            best = m
    return best


def split_event(desc: str) -> tuple[str, str, str]:
    """``第十三届全国人民代表大会常务委员会第二次会议《关于修改…的决定》修正`` →
    (机关 ``第十三届…会议``, 事件 ``《关于修改…的决定》修正``, kind ``修正``).

    The kind is the last verb outside 《…》, ignoring “自公布之日起施行”; 机关 is the text
    before the first 《 or that verb; 事件 the rest. No verb: (desc, "", "").
    """
    core = _FROM_PUBLICATION_RE.sub(lambda m: "\x00" * len(m[0]), desc)
    verb = _last_verb(core)
    if verb is None:
        if _FROM_PUBLICATION_RE.search(desc):
            cut = _FROM_PUBLICATION_RE.search(desc).start()  # type: ignore[union-attr]
            return desc[:cut].strip(), desc[cut:].strip(), "施行"
        return desc, "", ""
    kind = verb[2]
    first_book = desc.find("《")
    cut = first_book if 0 <= first_book < verb.start() else verb.start()
    by, event = desc[:cut].strip(), desc[cut:].strip()
    by = re.sub(r"^(?:经|由)", "", by).strip()
    if m := re.search(r"(?:通过|批准|公布|发布)的$", by):
        # “…会议通过的《关于修改…的决定》修正”: the adopting verb belongs to the event.
        by, event = by[: m.start()].strip(), by[m.start() :] + event
    if kind in EFFECTIVE and by.endswith(("起", "自")):
        by, event = by[:-1].strip(), by[-1] + event
    return by, event, kind


def parse_history(path: str, header: list[tuple[str, int]]) -> tuple[list[Event], list[str], list[Problem]]:
    """Header lines → dated events (in source order), undated notes, problems.

    Each date outside 《…》 starts an event; a line that does not start with a date continues
    the previous event (a decision's name over two lines, “发布之日施行”), or, before the first
    date, is a note (a repeated title, “最高人民法院发布”, a 文号). A line that starts like a date
    but is not one (“2019年4月 通过”, “2019年13月45日”) is an error.
    """
    segments: list[tuple[str, int]] = []
    notes: list[str] = []
    problems: list[Problem] = []
    for raw, line in header:
        text = normalise_line(raw).strip()
        if not text or text.startswith("#"):
            continue
        matches = _depth_zero_dates(text)
        if _DATE_START_RE.match(text):
            if not matches or _TRIM_RE.sub("", text[: matches[0].start()]):
                problems.append(Problem.error(path, line, f"无法识别的日期：“{text[:30]}”，应写作“YYYY年M月D日 事件”"))
                continue
        else:
            head = text[: matches[0].start()] if matches else text
            if segments:
                joiner = " " if re.match(r"^\S{0,4}之日", head) else ""
                segments[-1] = (segments[-1][0] + joiner + head, segments[-1][1])
            elif head.strip():
                notes.append(head.strip())
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
            segments.append((text[m.start() : end], line))
    events: list[Event] = []
    for text, line in segments:
        dm = DATE_RE.match(text)
        assert dm is not None
        try:
            date = dt.date(int(dm[1]), int(dm[2]), int(dm[3]))
        except ValueError:
            problems.append(Problem.error(path, line, f"日期无效：“{dm[0]}”不是真实存在的日期"))
            continue
        desc = _TRIM_RE.sub("", _TRIM_RE.sub("", text[dm.end() :]))
        desc = re.sub(r"\s+", " ", desc)
        by, event, kind = split_event(desc)
        if kind == "通过" and events and event.startswith("通过的《"):
            # “根据…通过的《…修正案》/《…决定》”: an amendment adopted by another act (刑法, 宪法).
            kind = "修正"
        if not event:
            event = NOT_STATED
        events.append(Event(date, event, by, kind, line, desc))
    return events, notes, problems


def organ_of(text: str) -> str | None:
    """The issuing body named in a history line's 机关 part, normalised (届/次会议 dropped,
    中华人民共和国 dropped from joint names, 中央军委 spelled out)."""
    found = _organ_of(text)
    if found is None:
        return None
    if "、" in found:
        found = "、".join(part.removeprefix("中华人民共和国") for part in found.split("、"))
    for short, full in _ORGAN_ALIASES.items():
        found = re.sub(short + r"(?!事)", full, found)
    return found


def _organ_of(text: str) -> str | None:
    text = text.translate(_FW_DIGITS)
    if "最高人民法院" in text and "最高人民检察院" in text:
        return "最高人民法院、最高人民检察院"
    for organ in ("最高人民法院", "最高人民检察院"):
        if organ in text:
            return organ
    m = _PLACE_CONGRESS_RE.search(text)
    if m:
        place = "全国" if m[2] else (m[1] or "")
        if place or m[2]:
            return f"{place}人民代表大会{m[3] or ''}"
    m = _DECREE_ORGAN_RE.search(text)
    if m:
        return m[1]
    m = _MEETING_ORGAN_RE.search(text)
    if m:
        return m[1]
    m = _PLAIN_ORGAN_RE.match(re.sub(r"(发布|公布|批准|印发)$", "", text.strip()))
    if m:
        return m[1]
    if "国务院" in text:
        return "国务院"
    return None


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


def short_title(title: str) -> str:
    return title.removeprefix("中华人民共和国") or title


def make_id(title: str, date: dt.date) -> str:
    """Pinyin of the short title, then the date: ``lifafa-2023-03-13``.

    Han characters become toneless pinyin run together (no word segmentation is available
    without a dictionary); any other run of characters becomes a hyphen or stays when it is
    a letter or digit. Titles longer than 48 letters are cut at 40 and get the first 6 hex
    digits of the SHA-1 of the full title, so the id stays short, unique and reproducible.
    """
    from pypinyin import lazy_pinyin

    parts: list[str] = []
    for token in lazy_pinyin(short_title(title), errors=lambda s: [s]):  # type: ignore[arg-type, return-value]
        token = unicodedata.normalize("NFKC", token).lower()
        word = re.sub(r"[^a-z0-9]+", "-", token)
        if re.fullmatch(r"[a-z]+", token) and parts and parts[-1] not in ("-",):
            parts.append(word)
        else:
            parts.append(word if word.strip("-") else "-")
    slug = re.sub(r"-+", "-", "".join(parts)).strip("-") or "wenjian"
    if len(slug) > 48:
        digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:6]
        slug = slug[:40].strip("-") + "-" + digest
    out = f"{slug}-{date.isoformat()}"
    assert ID_RE.match(out), out
    return out


_YEAR_LABEL_RE = re.compile(r"^(\d{4})年(修正|修订|修改|版)$")


def group_labels(members: dict[str, tuple[dt.date | None, str | None]]) -> dict[str, str]:
    """版本 of every version of one title: {id: (公布日期, current label)} → {id: label}.

    A version keeps its label (an amendment's “2023年修正”, or an editor's); one without gets
    “YYYY年版” when there are several versions. Two versions whose year labels clash both get the
    full date (“2022年4月1日修正”), so the result does not depend on the order of import.
    """
    if len(members) < 2:
        return {i: label for i, (_, label) in members.items() if label}
    wanted = {i: label or (version_label("", date) if date else None) for i, (date, label) in members.items()}
    counts = Counter(label for label in wanted.values() if label)
    out: dict[str, str] = {}
    for i, label in wanted.items():
        if not label:
            continue
        date = members[i][0]
        m = _YEAR_LABEL_RE.match(label)
        if counts[label] > 1 and m and date and int(m[1]) == date.year:
            label = version_label("" if m[2] == "版" else m[2], date, full=True)
        out[i] = label
    return out


def version_label(kind: str, date: dt.date, full: bool = False) -> str:
    when = f"{date.year}年{date.month}月{date.day}日" if full else f"{date.year}年"
    return f"{when}{kind}" if kind in AMENDMENT else f"{when}版"


# --- a source → a draft -------------------------------------------------------------------


def draft_from_text(
    path: str,
    text: str,
    level: Level | None,
    *,
    stem: str = "",
    folders: tuple[str, ...] = (),
    fallback_date: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[Draft | None, list[Problem]]:
    """Decoded text in the corpus layout → ``Draft``; problems name ``path`` and a line."""
    today = today or dt.date.today()
    if not text.strip():
        return None, [Problem.error(path, 1, "文件是空的：没有可导入的内容")]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    layout, why, line = split_layout(lines)
    if layout is None:
        return None, [Problem.error(path, line, why)]
    title = normalise_line(layout.titles[0][0])
    if len(layout.titles) > 1 and layout.titles[1][0]:
        # 民法典: “# 中华人民共和国民法典” then “# 侵权责任编”: one document per 编.
        title = f"{title}·{normalise_line(layout.titles[1][0])}"
    title = re.sub(r"[ \t\u3000]+", " ", title).strip()
    if level is None:
        return None, [Problem.error(path, 1, f"无法确定效力位阶：来源文件夹不是已知类别，请用 --level 指定（{level_choices()}）")]
    events, notes, problems = parse_history(path, layout.header)
    if problems:
        return None, problems
    fallbacks: list[str] = []
    body = markdown_body(layout.body)
    if not body.strip():
        return None, [Problem.error(path, max(layout.body_line - 1, 1), f"没有正文：{SENTINEL} 之后没有内容")]

    promulgations = [e for e in events if e.kind in PROMULGATION]
    defining = max(promulgations, key=lambda e: e.date, default=None)
    in_body = body_effective(body)
    dated = _publication(defining, file_date(stem), in_body, fallback_date)
    if dated is None:
        return None, [
            Problem.error(
                path,
                layout.titles[0][1],
                "无法确定公布日期：修订历史、文件名和正文都没有日期；请核对来源，或用 --date YYYY-MM-DD 指定",
            )
        ]
    published, defining, fallback, pending_note = dated
    if fallback:
        fallbacks.append(fallback)
    if published > today:
        return None, [Problem.error(path, defining.line if defining else 1, f"公布日期 {published} 晚于今天，请核对来源")]
    amended = any(e.kind in AMENDMENT for e in events)
    effective = _effective(events, published, in_body, body, original=not amended and defining is not None)
    written: dt.date | None = None
    if level in (Level.NORMATIVE, Level.OTHER_NORMATIVE) and defining is not None:
        written = _adopted(events, published)
    issuer, fallback = _issuer(promulgations, notes, published, title, level, folders)
    if fallback:
        fallbacks.append(fallback)
    # 发文字号: only from the event that made this version, or a lone undated number line.
    number = None
    if defining is not None and (m := _NUMBER_RE.search(defining.by + defining.event)):
        number = re.sub(r"^.*[以经由]", "", m[1].translate(_FW_DIGITS).replace(" ", ""))
    elif defining is not None:
        found = [m[1] for n in notes if (m := _NUMBER_RE.fullmatch(n.strip("（）() ")))]
        if len(found) == 1:
            number = found[0]
    if any(e.event == NOT_STATED for e in events):
        fallbacks.append("修订历史：有日期行未注明事件，事件写作“（原文未注明）”")

    status = Status.PENDING if effective and effective > today else Status.CURRENT
    label = None
    if defining is not None and amended and defining.kind in AMENDMENT:
        label = version_label(defining.kind, published)
    elif defining is None and amended:
        label = version_label("", published)
    id_ = make_id(title, published)
    data: dict[str, Any] = {"id": id_, "标题": title}
    if number:
        data["发文字号"] = number
    data["制定机关"] = issuer
    data["效力位阶"] = level.value
    data["时效性"] = status.value
    if written:
        data["成文日期"] = written
    data["公布日期"] = published
    if effective:
        data["施行日期"] = effective
    if label:
        data["版本"] = label
    # A 施行 still ahead is in 施行日期; the history holds what has happened.
    history = [e for e in sorted(events, key=lambda e: e.date) if e.date <= today]
    if history:
        data["修订历史"] = [e.as_yaml() for e in history]
    if pending_note:
        body = f'!!! warning "元数据待核"\n\n    {pending_note}\n\n' + body
    return Draft(path, id_, title, level, published, effective, data, body, amended, fallbacks), []


def _publication(
    defining: Event | None, name_date: dt.date | None, in_body: dt.date | None, fallback_date: dt.date | None
) -> tuple[dt.date, Event | None, str, str] | None:
    """(公布日期, the event that made this version or None, fallback reason, note for the text)."""
    header_date = defining.date if defining else None
    if header_date and name_date and name_date > header_date:
        if (name_date - header_date).days <= SAME_VERSION_DAYS:
            # Adopted (通过/修正) on the header's date, published a few days later.
            return name_date, defining, "公布日期：修订历史只有通过或修改日期，取自文件名（数日后公布）", ""
        return name_date, None, "公布日期：修订历史缺少最新版本的日期，取自文件名", ""
    if header_date:
        return header_date, defining, "", ""
    if name_date:
        return name_date, None, "公布日期：修订历史没有公布类日期，取自文件名", ""
    if in_body:
        return (
            in_body,
            None,
            "公布日期：来源没有任何公布日期，暂取正文规定的施行日期（已在正文顶部提示核对）",
            "来源没有注明公布日期，本文件的公布日期暂取正文规定的施行日期，请核对后修改。",
        )
    if fallback_date:
        return (
            fallback_date,
            None,
            "公布日期：来源没有任何日期，采用 --date 指定的日期（已在正文顶部提示核对）",
            "来源没有注明公布日期，本文件的公布日期是导入时指定的，请核对后修改。",
        )
    return None


def _effective(
    events: list[Event], published: dt.date, in_body: dt.date | None, body: str, original: bool
) -> dt.date | None:
    """施行日期 as stated: a dated 施行 line, the body's “自…起施行”, or 自公布之日起施行."""
    stated = [e.date for e in events if e.kind in EFFECTIVE and e.date >= published]
    stated += [e.date for e in events if _FROM_PUBLICATION_RE.search(e.text) and e.date >= published]
    if stated:
        return max(stated)
    if in_body and in_body >= published:
        return in_body
    if original and re.search(r"自(?:公布|发布|印发)之日起(?:施行|实施|生效)", body):
        return published
    return None


def _adopted(events: list[Event], published: dt.date) -> dt.date | None:
    """成文日期: the last 通过 up to 公布日期, when only 公布/发布/印发 follows it."""
    passes = [e for e in events if e.kind == "通过" and e.date <= published]
    if not passes:
        return None
    last = max(passes, key=lambda e: e.date)
    later = [e for e in events if last.date < e.date <= published]
    return last.date if all(e.kind in ("公布", "发布", "印发") for e in later) else None


def _issuer(
    promulgations: list[Event], notes: list[str], published: dt.date, title: str, level: Level, folders: tuple[str, ...]
) -> tuple[str, str]:
    """(制定机关, fallback reason or "")."""
    for e in sorted((e for e in promulgations if e.kind != "批准"), key=lambda e: e.date, reverse=True):
        if e.date <= published and (issuer := organ_of(e.by)):
            return issuer, ""
    for note in notes:
        m = re.match(r"^(.+?)(?:发布|公布|印发)$", note)
        if m and (issuer := organ_of(m[1]) or (m[1] if len(m[1]) <= 20 else None)):
            return issuer, "制定机关：取自来源的署名行"
    if m := _TITLE_ORGAN_RE.match(title):
        return m[1].removeprefix("中华人民共和国"), "制定机关：取自标题（“X关于……”）"
    if level is Level.RULE and len(folders) >= 2 and folders[-2] == "部门规章":
        return folders[-1], "制定机关：取自部门规章的部门文件夹"
    if level is Level.ADMIN_REGULATION:
        return "国务院", "制定机关：按效力位阶（行政法规 → 国务院）"
    if level is Level.LAW:
        return "全国人民代表大会常务委员会", "制定机关：按效力位阶（法律 → 全国人民代表大会常务委员会）"
    if level is Level.LOCAL_REGULATION and (m := _PLACE_RE.match(title)):
        return f"{m[1]}人民代表大会常务委员会", "制定机关：按效力位阶和标题中的地名（地方性法规 → 该地人民代表大会常务委员会）"
    return NOT_STATED, "制定机关：来源未注明，写作“（原文未注明）”"


def read_source(
    path: Path,
    display: str,
    level: Level | None,
    fallback_date: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[Draft | None, list[Problem]]:
    """A file (text layout or .docx) → ``Draft`` or problems naming ``display``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem.error(display, 1, f"无法读取文件：{exc.strerror}")]
    if not raw.strip():
        return None, [Problem.error(display, 1, "文件是空的：没有可导入的内容")]
    if path.suffix.lower() == ".docx":
        from regbook import docx_reader

        text, problems = docx_reader.layout_text(display, raw)
        if text is None:
            return None, problems
    else:
        text, problems = frontmatter.decode(display, raw)
        if text is None:
            return None, problems
        if text.lstrip().startswith("---\n"):
            return None, [Problem.error(display, 1, "文件已有 YAML 元数据块，看起来已是本站的法规文件，不需要导入")]
    folders = tuple(path.resolve().parent.parts)
    return draft_from_text(
        display, text, level, stem=path.stem, folders=folders, fallback_date=fallback_date, today=today
    )


# --- front matter -------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda data: True  # the same date twice is written twice
    return yaml


_RESOLVER = YAML(typ="rt").resolver
_PLAIN_BAD_START = tuple("-?:,[]{}#&*!|>'\"%@`")
_YAML_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def _scalar(value: Any) -> str:
    """One YAML scalar: dates as ISO dates, text plain when YAML reads it back as the same
    text, else double-quoted (JSON escapes are valid YAML; unprintable characters escaped)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain = (
        text
        and text == text.strip()
        and not text.startswith(_PLAIN_BAD_START)
        and not re.search(r": |:$| #|[\x00-\x1f\x7f\x85\u2028\u2029\ufeff]", text)
        and _RESOLVER.resolve(ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    )
    if plain:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: "\\u%04x" % ord(m[0]) if ord(m[0]) < 0x10000 else "\\U%08x" % ord(m[0]), quoted)


def render(data: dict[str, Any], body: str) -> str:
    """Front matter + body as the file's text (the same layout ruamel.yaml would write)."""
    out = ["---"]
    for key, value in data.items():
        if isinstance(value, list):
            out.append(f"{key}:")
            for item in value:
                for n, (k, v) in enumerate(item.items()):
                    out.append(f"{'  - ' if n == 0 else '    '}{k}: {_scalar(v)}")
        else:
            out.append(f"{key}: {_scalar(value)}")
    out += ["---", "", body]
    return "\n".join(out)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def edit_front_matter(text: str, changes: dict[str, Any]) -> str | None:
    """Set (value) or delete (None) keys in a file's front matter, keeping everything else,
    including key order, comments and the body; ``None`` if the front matter can't be read."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        return None
    yaml = _yaml()
    node = yaml.load("\n".join(lines[1:end]))
    if not isinstance(node, CommentedMap):
        return None
    for key, value in changes.items():
        if value is None:
            node.pop(key, None)
        elif key in node:
            node[key] = value
        else:
            anchor = {"现行版本": "时效性", "版本": "施行日期"}.get(key)
            keys = list(node.keys())
            pos = keys.index(anchor) + 1 if anchor in keys else len(keys)
            if anchor == "施行日期" and anchor not in keys and "公布日期" in keys:
                pos = keys.index("公布日期") + 1
            node.insert(pos, key, value)
    buf = io.StringIO()
    yaml.dump(node, buf)
    return "---\n" + buf.getvalue() + "\n".join(lines[end:])


# --- the project side ---------------------------------------------------------------------


@dataclass
class Existing:
    """What the importer needs to know about a regulation file already in the project."""

    id: str
    title: str
    published: dt.date | None
    status: str
    label: str | None
    path: Path
    effective: dt.date | None = None


@dataclass
class Report:
    """What an import did: counts, per-file outcome lines, problems and fallbacks."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fallbacks: Counter[str] = field(default_factory=Counter)
    files_with_fallback: int = 0
    problems_shown: bool = False
    """Set once ``on_file`` has been handed each file's problems (the CLI printed them)."""

    @property
    def failed(self) -> int:
        return len({p.path for p in self.problems if p.is_error})


def find_sources(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, folders expanded (sorted) to their .md/.txt/.docx files."""
    for p in paths:
        if p.is_dir():
            yield from sorted(
                q
                for q in p.rglob("*")
                if q.is_file() and q.suffix.lower() in SOURCE_SUFFIXES and not q.name.startswith((".", "~$"))
            )
        else:
            yield p


class Importer:
    """Writes drafts into a project, keeping ids unique and version chains right."""

    def __init__(self, root: Path, out: Path | None = None, today: dt.date | None = None):
        self.root = root.resolve()
        self.regs = self.root / "regulations"
        self.out = out.resolve() if out else None
        self.today = today or dt.date.today()
        self.by_id: dict[str, Existing] = {}
        self.by_title: dict[str, list[Existing]] = {}
        self.written_from: dict[str, str] = {}
        self._scan()

    def _scan(self) -> None:
        if not self.regs.is_dir():
            return
        for path in sorted(self.regs.rglob("*.md")):
            doc, _ = frontmatter.read(str(path), path.read_bytes())
            if doc is None or not isinstance(doc.data.get("id"), str):
                continue
            self._remember(_existing(doc.data, path))

    def _remember(self, item: Existing) -> None:
        old = self.by_id.get(item.id)
        if old is not None:
            self.by_title[old.title] = [e for e in self.by_title.get(old.title, []) if e.id != item.id]
        self.by_id[item.id] = item
        self.by_title.setdefault(item.title, []).append(item)

    def target(self, draft: Draft) -> Path:
        if draft.id in self.by_id:
            return self.by_id[draft.id].path
        base = self.out or (self.regs / draft.level.slug)
        return base / f"{draft.id}.md"

    def place(self, draft: Draft, report: Report) -> str:
        """Write one draft; returns a short Chinese outcome for the per-file line."""
        existing = self.by_id.get(draft.id)
        if existing is not None and existing.title != draft.title:
            # Same pinyin and date, different title: disambiguate deterministically.
            digest = hashlib.sha1(draft.title.encode("utf-8")).hexdigest()[:6]
            draft.id = draft.data["id"] = f"{draft.id}-{digest}"
            existing = self.by_id.get(draft.id)
        if draft.id in self.written_from and self.written_from[draft.id] != draft.source:
            report.skipped.append(draft.source)
            report.problems.append(
                Problem.warning(draft.source, 1, f"与本次导入的 {self.written_from[draft.id]} 是同一文件（标题和公布日期相同），已跳过")
            )
            return "跳过（重复）"
        siblings = [e for e in self.by_title.get(draft.title, []) if e.id != draft.id]
        same = [e for e in siblings if e.published == draft.published]
        if same:
            report.skipped.append(draft.source)
            report.problems.append(
                Problem.warning(
                    draft.source,
                    1,
                    f"项目中已有同一版本（标题和公布日期相同）：{_rel(same[0].path, self.root)}（id {same[0].id}），未导入",
                )
            )
            return "跳过（已存在）"
        # Version labels: unamended versions get one only when siblings exist; never twice the same.
        own = (existing.label if existing is not None else None) or draft.data.get("版本")  # re-import keeps it
        labels = group_labels({e.id: (e.published, e.label) for e in siblings} | {draft.id: (draft.published, own)})
        if draft.id in labels:
            after = "施行日期" if "施行日期" in draft.data else "公布日期"
            draft.data = _with(draft.data, "版本", labels[draft.id], after=after)
        # Which version is current: the newest 公布日期 of the title.
        ended = (Status.REPEALED.value, Status.EXPIRED.value)
        versions = [(e.published or dt.date.min, e.id) for e in siblings if e.status not in ended]
        newest = max(versions + [(draft.published, draft.id)])
        if newest[1] != draft.id:
            draft.data = _with(draft.data, "时效性", Status.AMENDED.value)
            draft.data = _with(draft.data, "现行版本", newest[1], after="时效性")
        path = self.target(draft)
        text = render(draft.data, draft.body)
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
        if old_text == text:
            outcome = "未变"
            report.unchanged.append(draft.source)
        else:
            write_atomic(path, text)
            outcome = "已更新" if old_text is not None else "已新建"
            (report.updated if old_text is not None else report.created).append(draft.source)
        outcome += f" {_rel(path, self.root)}"
        self.written_from[draft.id] = draft.source
        self._remember(_existing(draft.data, path))
        # The other versions: older ones point to the newest; every one gets a label.
        for e in siblings:
            changes: dict[str, Any] = {}
            if newest[1] == draft.id and e.status not in ended:
                if e.status != Status.AMENDED.value:
                    changes["时效性"] = Status.AMENDED.value
                if _current_of(e.path) != draft.id:
                    changes["现行版本"] = draft.id
            if e.id in labels and labels[e.id] != e.label:
                changes["版本"] = labels[e.id]
            if changes and self._edit(e, changes, report) and "时效性" in changes:
                outcome += f"；{e.id} 标为已修改"
        return outcome

    def _edit(self, e: Existing, changes: dict[str, Any], report: Report) -> bool:
        text = e.path.read_text(encoding="utf-8")
        new = _edit_own(text, changes) or edit_front_matter(text, changes)
        if new is None:
            report.problems.append(
                Problem.warning(_rel(e.path, self.root), 1, "无法读取元数据，未能标为“已修改”：请手工填写时效性和现行版本")
            )
            return False
        if new != text:
            write_atomic(e.path, new)
            report.marked.append(_rel(e.path, self.root))
        doc, _ = frontmatter.read(str(e.path), new.encode("utf-8"))
        if doc is not None:
            self._remember(_existing(doc.data, e.path))
        return True


_ANCHORS = {"现行版本": ("时效性",), "版本": ("施行日期", "公布日期")}
"""Where a key that is added goes: after the first of these keys present."""


def _edit_own(text: str, changes: dict[str, Any]) -> str | None:
    """The file re-rendered with ``changes`` if it is exactly as the importer writes it (so that
    importing versions in any order gives the same bytes); ``None`` for hand-written files."""
    doc, problems = frontmatter.read("", text.encode("utf-8"))
    if doc is None or problems or not doc.body.startswith("\n"):
        return None
    body = doc.body[1:]
    if render(doc.data, body) != text:
        return None
    data = dict(doc.data)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            after = next((a for a in _ANCHORS.get(key, ()) if a in data), None)
            data = _with(data, key, value, after=after)
    return render(data, body)


def _with(data: dict[str, Any], key: str, value: Any, after: str | None = None) -> dict[str, Any]:
    """A copy of ``data`` with ``key`` set, inserted after ``after`` when new."""
    if key in data or after is None or after not in data:
        return {**data, key: value}
    out: dict[str, Any] = {}
    for k, v in data.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


def _existing(data: dict[str, Any], path: Path) -> Existing:
    from regbook.corpus import parse_date

    label = data.get("版本")
    return Existing(
        id=str(data.get("id")),
        title=str(data.get("标题", "")).strip(),
        published=parse_date(data.get("公布日期")),
        status=str(data.get("时效性", "")).strip(),
        label=str(label) if label else None,
        path=path,
        effective=parse_date(data.get("施行日期")),
    )


def _current_of(path: Path) -> str | None:
    doc, _ = frontmatter.read(str(path), path.read_bytes())
    value = doc.data.get("现行版本") if doc else None
    return str(value) if value else None


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def import_sources(
    root: Path,
    sources: list[Path],
    *,
    level: str | None = None,
    out: Path | None = None,
    fallback_date: dt.date | None = None,
    today: dt.date | None = None,
    on_file: Callable[[int, int, str, str, list[Problem]], None] | None = None,
) -> Report:
    """Import every source into the project at ``root``; bad sources become problems.

    ``on_file(i, n, source, outcome, problems)`` is called after each file with that file's
    problems (for progress display); the report still collects every problem.
    """
    report = Report()
    root = root.resolve()
    if out is not None:
        out = (root / out).resolve() if not out.is_absolute() else out.resolve()
        if not out.is_relative_to(root / "regulations"):
            report.problems.append(Problem.error(str(out), 1, "--out 应位于项目的 regulations/ 目录下，否则检查和建站都看不到导入的文件"))
            return report
    if level is not None and level_for(Path("."), level) is None:
        report.problems.append(
            Problem.error("--level", 1, f"未知的效力位阶“{level}”：应为 {level_choices()} 之一（或来源文件夹名，如 行政法、部门规章）")
        )
        return report
    importer = Importer(root, out, today)
    files = list(find_sources(sources))
    if not files:
        names = "、".join(str(s) for s in sources) or "（未指定）"
        report.problems.append(Problem.warning(names, 1, "没有找到可导入的文件（.md、.txt、.docx）"))
    for i, path in enumerate(files, 1):
        display = str(path)
        seen = len(report.problems)
        draft, problems = read_source(path, display, level_for(path, level), fallback_date, importer.today)
        if draft is None:
            report.problems.extend(problems)
            outcome = "错误"
        else:
            if draft.fallbacks:
                report.files_with_fallback += 1
                report.fallbacks.update(draft.fallbacks)
            outcome = importer.place(draft, report)
        if on_file:
            on_file(i, len(files), display, outcome, report.problems[seen:])
            report.problems_shown = True
    return report
