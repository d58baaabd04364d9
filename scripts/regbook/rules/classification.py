"""Classification and internal consistency: is a 行政规范性文件 one, and does a document agree
with itself?

What is a 行政规范性文件 is settled by 国办发〔2018〕37号 (DOMAIN.md §4): a document an
administrative organ makes and publishes under its powers, binding on citizens and organisations
and applied repeatedly. Internal management rules, work systems and work plans are not, and a
议事协调机构 (a coordinating committee) has no powers of its own to make them. Counting such
documents inflates the 年报's table 二, so they are 其他规范性文件 (warnings, with the reason):

- ``office_numbers``: an office's 行政规范性文件 carries the office's own 发文字号 (its agency
  abbreviation, ``OFFICE_CODES``: 吉国动办… for the office, 吉人防… for its predecessor);
- ``internal_titles``: a 行政规范性文件 titled as an internal 清单, 工作制度, 方案, 评查办法 …;
- ``coordination_offices``: a 行政规范性文件 issued by a 议事协调机构's office (…委员会联合办公室,
  …领导小组办公室).

A document must not contradict itself (errors: one of the two statements is wrong, and a reader
cannot tell which):

- ``caption_matches_metadata``: the 题注 (the dated line in brackets under the title of a law:
  “（2010年2月26日第十一届全国人民代表大会常务委员会第十三次会议通过）”) names this version's date,
  which is the 公布日期 (or up to ``SAME_VERSION_DAYS`` before it: adopted, then published), and the
  same dated events as 修订历史. Parsed by the importer's history parser, as the corpus headers are;
- ``effective_clause``: the body's own 施行 clause (“本法自2021年1月1日起施行”, “本办法自公布之日起
  施行”) gives the 施行日期 — unless the history has an amendment after that date (a 修正 keeps the
  original clause, and the amended version's 施行日期 is another).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterator

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.importer.drafting import SAME_VERSION_DAYS
from regbook.importer.history import AMENDMENT, EFFECTIVE, Event, parse_history, split_event
from regbook.model import Level, Regulation
from regbook.problems import Problem
from regbook.rules.fields import OFFICE_ISSUERS
from regbook.rules.numbers import GBT9704_RE

BASIS = "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）"

OFFICE_CODES: dict[str, tuple[str, ...]] = {
    "吉林省国防动员办公室": ("吉国动办",),
    "吉林省人民防空办公室": ("吉人防",),
}
"""机关代字 the office and its predecessor number their documents with (the sample's 发文字号)."""
assert set(OFFICE_CODES) == set(OFFICE_ISSUERS)

INTERNAL_TITLES = ("清单", "工作制度", "管理制度", "方案", "评查办法", "考核办法", "工作规则", "议事规则")
"""Title endings of internal documents (37号: 内部管理规范、工作制度、工作方案 are not 规范性文件)."""
_TITLE_SUFFIXES = re.compile(r"(?:（(?:示例|试行|暂行|修订|征求意见稿)）)+$")

COORDINATION_OFFICE_RE = re.compile(r"(?:委员会联合办公室|领导小组办公室|指挥部办公室|联席会议办公室)$")
"""The office of a 议事协调机构 (国防动员委员会, a 领导小组 …): it has no powers to make 规范性文件."""

_ISSUER_SPLIT = re.compile(r"[、，,；;\s]+")
_ARTICLE_OR_HEADING = re.compile(r"^(?:#|第[一二三四五六七八九十百零〇]+条)")
_CAPTION_START = re.compile(r"^[（(]\s*(?:根据\s*)?\d{4}\s*年")
_CLAUSE_RE = re.compile(
    r"本[\u4e00-\u9fff]{0,8}?自\s*(?:(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(公布)之日)\s*起\s*(?:施行|实施|试行|生效)"
)


def _issuers(reg: Regulation) -> list[str]:
    return [part for part in _ISSUER_SPLIT.split(reg.issuer) if part]


def office_numbers(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """An office's own 行政规范性文件 is numbered with the office's 机关代字."""
    for reg in corpus.regulations:
        issuers = _issuers(reg)
        if reg.level is not Level.NORMATIVE or not reg.number or not issuers:
            continue
        if not all(i in OFFICE_CODES for i in issuers):  # joint with another body: its number may lead
            continue
        m = GBT9704_RE.match(reg.number)
        if m is None:  # rules.numbers explains the form
            continue
        codes = tuple(code for i in issuers for code in OFFICE_CODES[i])
        if not m["agency"].startswith(codes):
            example = f"{codes[0]}发〔{m['year']}〕{m['seq']}号"
            yield Problem.warning(
                reg.path,
                reg.line_of("发文字号"),
                f"发文字号“{reg.number}”不是制定机关的文号：{reg.issuer}制定的行政规范性文件以本机关代字"
                f"“{'”或“'.join(codes)}”编号，如 {example}；请核对发文字号或制定机关",
            )


def internal_titles(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """A 清单, 工作制度, 方案 or 评查办法 is internal, not a 行政规范性文件."""
    for reg in corpus.regulations:
        if reg.level is not Level.NORMATIVE:
            continue
        title = _TITLE_SUFFIXES.sub("", reg.title)
        ending = next((e for e in INTERNAL_TITLES if title.endswith(e)), None)
        if ending is None:
            continue
        yield Problem.warning(
            reg.path,
            reg.line_of("效力位阶"),
            f"标题以“{ending}”结尾的文件一般是内部文件，不是行政规范性文件：按照{BASIS}，内部管理规范、工作制度、"
            f"工作方案、清单等不属于行政规范性文件，也不计入年报表二。请把效力位阶改为“其他规范性文件”"
            f"（文件移到 regulations/{Level.OTHER_NORMATIVE.slug}/，id 不变）；确属行政规范性文件的，请核对标题",
        )


def coordination_offices(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """A 议事协调机构's office does not make 行政规范性文件."""
    for reg in corpus.regulations:
        if reg.level is not Level.NORMATIVE:
            continue
        office = next((i for i in _issuers(reg) if COORDINATION_OFFICE_RE.search(i)), None)
        if office is None:
            continue
        yield Problem.warning(
            reg.path,
            reg.line_of("制定机关"),
            f"“{office}”是议事协调机构的办事机构，不制定行政规范性文件（{BASIS}）：请把效力位阶改为"
            f"“其他规范性文件”（文件移到 regulations/{Level.OTHER_NORMATIVE.slug}/，id 不变），"
            "或者核对制定机关（由本办以自己的名义印发的，制定机关写本办，发文字号用本办的机关代字）",
        )


def _paragraphs(body: str, body_line: int) -> Iterator[tuple[int, str]]:
    """(file line, text) of the body's paragraphs (its first line is the file's ``body_line``)
    before its first heading or article, admonitions (``!!!``/``???`` and their indented lines) left out."""
    start: int | None = None
    lines: list[str] = []
    in_admonition = False
    for i, raw in enumerate(body.split("\n")):
        line = body_line + i
        if raw.startswith(("!!!", "???")):
            in_admonition = True
            continue
        if in_admonition and (raw.startswith(("    ", "\t")) or not raw.strip()):
            continue
        in_admonition = False
        text = raw.strip()
        if _ARTICLE_OR_HEADING.match(text):
            break
        if not text:
            if lines:
                yield start or line, "".join(lines)
            start, lines = None, []
            continue
        start = start or line
        lines.append(text)
    if lines:
        yield start or body_line, "".join(lines)


def caption(reg: Regulation) -> tuple[int, list[Event]] | None:
    """The 题注 (file line, its dated events), if the body has one that can be read."""
    found = _caption(reg.path, reg.body, reg.body_line)
    return None if found is None else (found[0], list(found[1]))


@lru_cache(maxsize=8192)  # the preview checks every body on each rebuild
def _caption(path: str, body: str, body_line: int) -> tuple[int, tuple[Event, ...]] | None:
    """``caption`` of a regulation's file, body and first line of the body."""
    for line, text in _paragraphs(body, body_line):
        if not _CAPTION_START.match(text) or not text.endswith(("）", ")")):
            continue
        events, _notes, problems = parse_history(path, [(text[1:-1], line)])
        return (line, tuple(events)) if events and not problems else None
    return None


def _made(events: list[Event]) -> list[Event]:
    """The events that make or amend a text (施行 and the like left out)."""
    return [e for e in events if e.kind and e.kind not in EFFECTIVE]


def _history_kind(event: str) -> str:
    return split_event(event)[2] or event


def _label(when: dt.date, what: str) -> str:
    return f"{cn_date(when)}{what}"


def caption_matches_metadata(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """The 题注 names this version's date (公布日期) and the same events as 修订历史."""
    for reg in corpus.regulations:
        found = caption(reg)
        if found is None:
            continue
        line, events = found
        made = _made(events)
        if not made:
            continue
        last = max(made, key=lambda e: e.date)
        gap = (reg.published - last.date).days
        if not 0 <= gap <= SAME_VERSION_DAYS:
            yield Problem.error(
                reg.path,
                reg.line_of("公布日期"),
                f"公布日期（{reg.published.isoformat()}）与正文第{line}行的题注不一致：题注中本版本的日期是"
                f"{_label(last.date, last.kind)}；请核对公布日期或题注",
            )
        if not reg.history:
            continue
        in_history = {(e.date, _history_kind(e.event)) for e in reg.history}
        history_dates = {e.date for e in reg.history if _history_kind(e.event) not in EFFECTIVE}
        caption_dates = {e.date for e in made}
        for e in made:
            if e.date not in history_dates:
                yield Problem.error(
                    reg.path,
                    reg.line_of("修订历史"),
                    f"正文第{line}行的题注有“{_label(e.date, e.kind)}”，修订历史中没有这一日期：请核对题注或修订历史",
                )
        for when, kind in sorted(in_history):
            if kind not in EFFECTIVE and when not in caption_dates:
                yield Problem.error(
                    reg.path,
                    reg.line_of("修订历史"),
                    f"修订历史有“{_label(when, kind)}”，正文第{line}行的题注中没有这一日期：请核对题注或修订历史",
                )


def _clause(reg: Regulation) -> tuple[int, str, dt.date | None] | None:
    """The body's last 施行 clause: (file line, its text, its date; None for 自公布之日)."""
    found = _body_clause(reg.body)
    return None if found is None else (reg.body_line + found[0], found[1], found[2])


@lru_cache(maxsize=8192)  # the preview checks every body on each rebuild
def _body_clause(body: str) -> tuple[int, str, dt.date | None] | None:
    """``_clause`` of a body: (0-based line in the body, its text, its date)."""
    found = None
    for i, text in enumerate(body.split("\n")):
        for m in _CLAUSE_RE.finditer(text):
            when = None
            if not m[4]:
                try:
                    when = dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    continue
            found = (i, m[0], when)
    return found


def effective_clause(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """“本…自YYYY年M月D日起施行” (or 自公布之日) in the body agrees with 施行日期."""
    for reg in corpus.regulations:
        if reg.effective is None:
            continue
        found = _clause(reg)
        if found is None:
            continue
        line, text, when = found
        amendments = [e.date for e in reg.history if _history_kind(e.event) in AMENDMENT]
        if when is None:  # 自公布之日起施行: the 公布日期 of the text that says so
            if amendments:
                continue
            when = reg.published
        elif any(a > when for a in amendments):  # the clause of an earlier version, kept by a 修正
            continue
        if when != reg.effective:
            yield Problem.error(
                reg.path,
                reg.line_of("施行日期"),
                f"施行日期（{reg.effective.isoformat()}）与正文第{line}行“{text}”不一致（正文的日期为{cn_date(when)}）："
                "请核对施行日期或正文",
            )


RULES = [office_numbers, internal_titles, coordination_offices, caption_matches_metadata, effective_clause]
