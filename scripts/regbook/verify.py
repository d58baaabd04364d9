"""``regbook verify``: the content's laws and administrative regulations checked against a reference
corpus of official texts (``../shared/corpus``: the national database's layout, see its SOURCE.md).

Each 法律 or 行政法规 in the content is matched with the corpus text of the same 标题 and version:
the corpus file whose 公布日期 is the document's, else the one whose 版本 label is the document's.
The corpus text is read by the importer (``regbook.importer.read_source``: the same header parsing
and metadata rules as ``regbook import``), so what ``verify`` expects is exactly what an import
would write. Compared, each difference a ``Problem`` at the document's line:

- 公布日期 (when the version was found by its 版本 label), 施行日期, 发文字号: where the corpus
  states one, the document must say the same (a value the corpus does not state cannot be
  checked and is not reported: the national database has no 主席令 numbers);
- 版本: where both have a label, unless the corpus' label is the importer's guess (its header
  lacks the version's own event);
- 修订历史: where the document has one, every dated event of the corpus (date and kind: 通过,
  公布, 修正, 修订, 施行 …; 发布/印发 count as 公布); an event the corpus does not have is a notice
  (提示: it cannot be checked; the corpus' header may be incomplete).

Documents whose 标题 the corpus does not have, or whose 公布日期 is later than its newest version
of that 标题, are counted, not reported: the corpus is a reference, not the catalogue, and may be
older than the content. A 公布日期 between or before the corpus' versions matches none of them: an
error. Only the corpus files whose name (``简称(YYYY-MM-DD).md``, the
title without 中华人民共和国) matches a document are parsed, so a 2,600-file corpus is quick.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.importer import Draft, level_for, read_source, split_event
from regbook.model import Level, Regulation
from regbook.problems import Problem

LEVELS = (Level.LAW, Level.ADMIN_REGULATION)
"""What the national database holds and the office cannot have written itself."""
_NAME_RE = re.compile(r"^(?P<name>.+?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?$")
_SAME_KIND = {"发布": "公布", "印发": "公布"}


@dataclass
class Report:
    """What ``verify`` found: problems, and how many documents were checked or not found."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    """ids of the documents compared with a corpus version."""
    absent: list[str] = field(default_factory=list)
    """ids of 法律/行政法规 the corpus does not have: no text of that 标题, or only older versions."""

    def summary(self) -> str:
        """One Chinese line for the terminal."""
        errors = sum(p.is_error for p in self.problems)
        unchecked = len(self.problems) - errors
        text = f"核对完成：与语料核对了{len(self.checked)}件法律、行政法规，发现{errors}处不一致"
        if unchecked:
            text += f"，{unchecked}处语料中没有、无法核对"
        if self.absent:
            text += f"；语料中没有{len(self.absent)}件（{'、'.join(self.absent)}），未核对"
        return text


def _short(title: str) -> str:
    return title.removeprefix("中华人民共和国")


def reference(corpus_root: Path, titles: set[str], today: dt.date) -> tuple[dict[str, list[Draft]], list[Problem]]:
    """The corpus versions of ``titles``: {标题: drafts}, and the problems of files that could not
    be read (named relative to ``corpus_root``)."""
    wanted = {_short(t) for t in titles}
    found: dict[str, list[Draft]] = {}
    problems: list[Problem] = []
    for path in sorted(corpus_root.rglob("*.md")):
        m = _NAME_RE.match(path.stem)
        if m is None or m["name"] not in wanted:
            continue
        level = level_for(path)
        if level not in LEVELS:
            continue
        shown = path.relative_to(corpus_root).as_posix()
        draft, found_problems = read_source(path, shown, level, today=today)
        problems += found_problems
        if draft is not None and draft.title in titles:
            found.setdefault(draft.title, []).append(draft)
    return found, problems


def _kind(event: str) -> str:
    kind = split_event(event)[2] or event
    return _SAME_KIND.get(kind, kind)


def _draft_history(draft: Draft) -> set[tuple[dt.date, str]]:
    return {(e["日期"], _kind(str(e["事件"]))) for e in draft.data.get("修订历史", [])}


def _guessed_version(draft: Draft) -> bool:
    """The corpus header lacks this version's own event: its 版本 label is the importer's guess."""
    return any(f.startswith("公布日期：修订历史缺少") for f in draft.fallbacks)


def _version(reg: Regulation, drafts: list[Draft]) -> tuple[Draft | None, bool]:
    """(the corpus version of ``reg``, whether it was found by its 版本 label rather than its date)."""
    for d in drafts:
        if d.published == reg.published:
            return d, False
    for d in drafts:
        if reg.version_label and d.data.get("版本") == reg.version_label and not _guessed_version(d):
            return d, True
    return None, False


def _differs(reg: Regulation, key: str, mine: str, theirs: str, source: str) -> Problem:
    line = reg.line_of(key) if key in reg.lines else reg.line_of("公布日期")
    return Problem.error(
        reg.path,
        line,
        f"{key}与语料不一致：本文件为“{mine or '（未填写）'}”，语料（{source}）为“{theirs}”；请核对官方文本后改正",
    )


def compare(reg: Regulation, draft: Draft, by_label: bool) -> list[Problem]:
    """Every difference between a document and its corpus version."""
    source = draft.source
    out: list[Problem] = []
    if by_label:
        out.append(_differs(reg, "公布日期", reg.published.isoformat(), draft.published.isoformat(), source))
    if draft.effective and reg.effective != draft.effective:
        mine = reg.effective.isoformat() if reg.effective else ""
        out.append(_differs(reg, "施行日期", mine, draft.effective.isoformat(), source))
    number = draft.data.get("发文字号")
    if number and reg.number != number:
        out.append(_differs(reg, "发文字号", reg.number or "", str(number), source))
    label = draft.data.get("版本")
    if reg.version_label and label and reg.version_label != label and not _guessed_version(draft):
        out.append(_differs(reg, "版本", reg.version_label, str(label), source))
    if reg.history:
        mine_events = {(e.date, _kind(e.event)) for e in reg.history}
        theirs = _draft_history(draft)
        line = reg.line_of("修订历史")
        for when, kind in sorted(theirs - mine_events):
            out.append(
                Problem.error(
                    reg.path, line, f"修订历史缺少语料（{source}）中的“{cn_date(when)}{kind}”：请核对后补上"
                )
            )
        for when, kind in sorted(mine_events - theirs):
            out.append(
                Problem.notice(
                    reg.path,
                    line,
                    f"修订历史中的“{cn_date(when)}{kind}”在语料（{source}）中没有，无法核对：请核对日期和事件，"
                    "并在“来源”中写明所依据的官方来源",
                )
            )
    return out


def verify(loaded: Corpus, corpus_root: Path, today: dt.date) -> Report:
    """Compare each 法律/行政法规 of ``loaded`` with ``corpus_root``'s text of the same title and version."""
    regs = [r for r in loaded.regulations if r.level in LEVELS]
    drafts, unreadable = reference(corpus_root, {r.title for r in regs}, today)
    report = Report()
    for reg in regs:
        versions = drafts.get(reg.title)
        if not versions:
            report.absent.append(reg.id)
            continue
        draft, by_label = _version(reg, versions)
        if draft is None and reg.published > max(d.published for d in versions):
            report.absent.append(reg.id)  # newer than the corpus' newest version: not checked
            continue
        if draft is None:
            dates = "、".join(sorted(d.published.isoformat() for d in versions))
            report.problems.append(
                Problem.error(
                    reg.path,
                    reg.line_of("公布日期"),
                    f"语料中没有《{reg.title}》公布日期为{reg.published.isoformat()}的版本（语料中的版本：{dates}）："
                    "请核对公布日期和版本",
                )
            )
            continue
        report.checked.append(reg.id)
        report.problems += compare(reg, draft, by_label)
    # A corpus file the importer refuses is the corpus' problem, reported only if it was needed.
    needed = {_short(r.title) for r in regs if r.id in report.absent}
    report.problems += [p for p in unreadable if any(n in p.path for n in needed)]
    return report
