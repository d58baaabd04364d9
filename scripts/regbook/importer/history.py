"""The history lines of a source (“2019年4月3日 中华人民共和国国务院令第711号修订”) → dated
events, and the issuing organ named in them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from regbook.importer.text import _CN_NUM, _DATE_START_RE, _FW_DIGITS, normalise_line
from regbook.problems import Problem

PROMULGATION = ("通过", "公布", "发布", "修正", "修订", "修改", "批准", "印发")
AMENDMENT = ("修正", "修订", "修改")
EFFECTIVE = ("施行", "实施", "生效", "执行")
_VERBS = PROMULGATION + EFFECTIVE
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_VERB_RE = re.compile(r"(第[一二三四五六七八九十]+次)?(" + "|".join(_VERBS) + ")")
_FROM_PUBLICATION_RE = re.compile(r"(?:公布|发布|印发)之日起?(?:施行|实施|生效)")
_ORGAN_SUFFIX = r"(?:委员会|人民政府|办公厅|办公室|总局|法院|检察院|银行|部|委|局|署|院|会|厅|所|军委|政府)"
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
_TRIM_HEAD_RE = re.compile(r"[\s（(，,。；;、）)]*")
_TRIM_TAIL_RE = re.compile(r"(?:[\s（(，,。；;、）)]|据根)*")
"""Spaces, brackets and punctuation, and (at the end) a dangling 根据 — matched at the start of
the text and of the reversed text: anchored, linear in the length of any line (an unanchored
``[…]+$`` is quadratic on a long run of spaces)."""
NOT_STATED = "（原文未注明）"
_ORGAN_ALIASES = {"中央军委": "中央军事委员会"}


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



def _trim(text: str) -> str:
    """``text`` without spaces, brackets and punctuation around it, nor a trailing 根据."""
    head = _TRIM_HEAD_RE.match(text)
    text = text[head.end() if head else 0 :]
    tail = _TRIM_TAIL_RE.match(text[::-1])
    return text[: len(text) - (tail.end() if tail else 0)]


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
        if depth <= 0 and desc[m.end() : m.end() + 1] not in ("法", "条", "案"):
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
            if not matches or _trim(text[: matches[0].start()]):
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
        desc = _trim(text[dm.end() :])
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

