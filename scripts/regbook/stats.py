"""The annual report's statistics from the metadata: 表二 第二十条第（一）项, as of 31 December.

国办公开办函〔2021〕30号's table 二 counts, for the office's own 规章 and 行政规范性文件
(``rules.fields.is_office_document``: issued by the office or its predecessor, alone or jointly),
本年制发件数, 本年废止件数 and 现行有效件数. ``table_two(corpus, year)`` computes them from the
catalog **as it was on 31 December of that year**, whatever the documents' 时效性 says today.
Decided here and documented in the editors' guide (第八部分):

- **本年制发**: documents whose 公布日期 falls in the year. 制发 is 制定并发布; table 二 is the
  report's 主动公开 part, so a document counts in the year it was made public, not in the year it
  was signed (成文日期: a document signed in December and published in January was not public in
  December; 公布日期 is also the date its 索引号 and disclosure follow). A new version of an
  amended document is issued anew (重新公布, its own 公布日期): it is 制发 in its year.
- **本年废止**: documents that stopped applying in the year by 废止 **or** 失效 (the date it
  began: 废止或失效日期, the cleanup record that ended it, or the day after 有效期至). The form has
  one column for documents leaving force and no 失效 column; the 现行有效 column drops for both,
  and platforms list them together (废止和失效行政规范性文件). An **amended** version replaced by
  a new one is not counted (修改 is not 废止: the document lives on as its new version, counted
  as 制发 when issued).
- **现行有效**: documents whose status on 31 December was 现行有效 (``status_as_of``): published,
  施行日期 reached, not ended, not expired, not replaced by a version in force. A document
  published in the year but not yet in force on 31 December is 制发 but not 现行有效.

``status_as_of(reg, date, …)`` derives a past date's status from dates, never from the written
时效性 alone: a document written 已废止 today was 现行有效 before its end. The end of a document
is the earliest of its 废止或失效日期 (written 已废止/已失效), the 公告日期 of the cleanup record
that ended it (``Corpus.cleanup_history``: a record of next January leaves it 现行有效 on 31
December), the day after its 有效期至, and, for a 已修改 version, the day its successor (the next
version of the same 标题, or its 现行版本) came into force.

Because of pending documents and amendments, 现行有效 = 上年现行有效 + 本年制发 − 本年废止 does not
always hold for these figures; ``differences`` names the documents that account for the gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from regbook.cleanup_history import Rulings
from regbook.corpus import Corpus
from regbook.model import Level, Outcome, Regulation, Status
from regbook.rules.fields import is_office_document

LEVELS = (Level.RULE, Level.NORMATIVE)
"""第二十条第（一）项's rows: 规章, 行政规范性文件."""


@dataclass(frozen=True)
class End:
    """When and how a document stopped being in force (``on``: the first day it no longer was)."""

    on: dt.date | None
    status: Status
    why: str


def status_as_of(
    reg: Regulation,
    date: dt.date,
    rulings: Rulings | None = None,
    successor_from: dt.date | None = None,
) -> Status | None:
    """The status ``reg`` had on ``date`` (``None``: not yet published then). ``rulings``: its
    cleanup decisions (``Corpus.cleanup_history``); ``successor_from``: for a 已修改 version, the day
    the version that replaced it came into force (``successors``)."""
    if reg.published > date:
        return None
    end = first_end(reg, rulings, successor_from)
    if end is not None and (end.on is None or end.on <= date):
        return end.status
    if reg.effective is not None and reg.effective > date:
        return Status.PENDING
    return Status.CURRENT


def ends(reg: Regulation, rulings: Rulings | None = None, successor_from: dt.date | None = None) -> list[End]:
    """Everything that ended ``reg``, with its date (``None`` where the metadata gives none)."""
    found: list[End] = []
    if reg.status.is_ended:
        found.append(End(reg.ended, reg.status, "废止或失效日期"))
    if rulings is not None and (ending := rulings.ending) is not None:
        status = ending.outcome.resulting_status
        assert status is not None
        found.append(End(ending.date, status, f"清理记录 {ending.record.id}"))
    if reg.valid_until is not None:
        found.append(End(reg.valid_until + dt.timedelta(days=1), Status.EXPIRED, "有效期至"))
    if reg.status is Status.AMENDED:
        found.append(End(successor_from, Status.AMENDED, "新版本施行"))
    return found


def first_end(reg: Regulation, rulings: Rulings | None = None, successor_from: dt.date | None = None) -> End | None:
    """The earliest end of ``reg`` (an end without a date counts as having always been there)."""
    found = ends(reg, rulings, successor_from)
    dated = sorted((e for e in found if e.on is not None), key=lambda e: e.on or dt.date.min)
    undated = [e for e in found if e.on is None]
    if reg.status.is_ended and not any(e.status.is_ended for e in dated):
        return undated[0] if undated else None  # written ended, no date anywhere: ended always
    return dated[0] if dated else (undated[0] if undated else None)


def successors(regulations: Iterable[Regulation]) -> dict[str, dt.date]:
    """For each 已修改 version, the day its successor came into force: the next version of the same
    标题 by 公布日期 (else its 现行版本), from that version's 施行日期 (else 公布日期)."""
    regs = list(regulations)
    by_id = {r.id: r for r in regs}
    works: dict[str, list[Regulation]] = {}
    for reg in regs:
        works.setdefault(reg.title, []).append(reg)
    out: dict[str, dt.date] = {}
    for reg in regs:
        if reg.status is not Status.AMENDED:
            continue
        later = sorted((v for v in works[reg.title] if (v.published, v.id) > (reg.published, reg.id)), key=lambda v: v.published)
        successor = later[0] if later else by_id.get(reg.current_version or "")
        if successor is not None:
            out[reg.id] = successor.effective or successor.published
    return out


@dataclass(frozen=True)
class Row:
    """One row of 第二十条第（一）项: the documents behind each figure."""

    level: Level
    made: tuple[Regulation, ...]
    ended: tuple[Regulation, ...]
    in_force: tuple[Regulation, ...]

    @property
    def figures(self) -> tuple[int, int, int]:
        """本年制发件数, 本年废止件数, 现行有效件数."""
        return len(self.made), len(self.ended), len(self.in_force)


@dataclass(frozen=True)
class TableTwo:
    """第二十条第（一）项 of ``year``'s report, as of 31 December of that year."""

    year: int
    rows: tuple[Row, ...]

    @property
    def as_of(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def row(self, level: Level) -> Row:
        return next(r for r in self.rows if r.level is level)

    def as_json(self) -> dict[str, object]:
        """The table with the ids behind every figure (``regbook stats --format json``)."""
        return {
            "年度": self.year,
            "截至": self.as_of.isoformat(),
            "表二": "第二十条第（一）项",
            "行": [
                {
                    "信息内容": row.level.value,
                    "本年制发件数": len(row.made),
                    "本年废止件数": len(row.ended),
                    "现行有效件数": len(row.in_force),
                    "本年制发": [r.id for r in row.made],
                    "本年废止": [r.id for r in row.ended],
                    "现行有效": [r.id for r in row.in_force],
                }
                for row in self.rows
            ],
        }


def office_documents(corpus: Corpus, level: Level) -> list[Regulation]:
    """The office's own documents of one 效力位阶 (duplicated ids left out: a rule reports them)."""
    return [r for r in corpus.regulations if r.level is level and is_office_document(r) and r.id not in corpus.duplicate_ids]


def table_two(corpus: Corpus, year: int) -> TableTwo:
    """第二十条第（一）项 for ``year``: 规章 and 行政规范性文件, as of ``year``-12-31."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    replaced = successors(corpus.regulations)
    rows = []
    for level in LEVELS:
        docs = office_documents(corpus, level)
        made = tuple(r for r in docs if start <= r.published <= end)
        ended = []
        in_force = []
        for reg in docs:
            rulings, successor = corpus.cleanup_history.get(reg.id), replaced.get(reg.id)
            stop = first_end(reg, rulings, successor)
            if stop is not None and stop.status.is_ended and stop.on is not None and start <= stop.on <= end:
                ended.append(reg)
            if status_as_of(reg, end, rulings, successor) is Status.CURRENT:
                in_force.append(reg)
        rows.append(Row(level, made, tuple(ended), tuple(in_force)))
    return TableTwo(year, tuple(rows))


def cleanup_counts(corpus: Corpus, year: int) -> dict[Outcome, int]:
    """Decisions of the cleanup records announced in ``year``, per 清理结果."""
    counts = {outcome: 0 for outcome in Outcome}
    for record in corpus.cleanups:
        if record.announced.year == year:
            for decision in {d.document: d for d in reversed(record.decisions)}.values():
                counts[decision.outcome] += 1
    return counts


@dataclass(frozen=True)
class Difference:
    """Why 现行有效 moved other than by 本年制发 − 本年废止: documents made but not yet in force at a
    year's end, and versions replacing an older one."""

    pending_before: tuple[Regulation, ...]
    """Not yet in force on the previous 31 December, in force (or ended) since: + to the change."""
    pending_now: tuple[Regulation, ...]
    """Made, still not in force on this 31 December: − (made, not in force)."""
    replaced: tuple[Regulation, ...]
    """Versions replaced by a new one in the year: − (the new one was counted as made)."""

    @property
    def amount(self) -> int:
        return len(self.pending_before) - len(self.pending_now) - len(self.replaced)


def differences(corpus: Corpus, level: Level, year: int) -> Difference:
    """What makes 现行有效(year) − 现行有效(year − 1) differ from 制发 − 废止 for one row."""
    before, end = dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
    replaced_on = successors(corpus.regulations)
    pending_before, pending_now, replaced = [], [], []
    for reg in office_documents(corpus, level):
        rulings, successor = corpus.cleanup_history.get(reg.id), replaced_on.get(reg.id)
        then, now = status_as_of(reg, before, rulings, successor), status_as_of(reg, end, rulings, successor)
        if then is Status.PENDING and now is not Status.PENDING:
            pending_before.append(reg)
        if now is Status.PENDING:
            pending_now.append(reg)
        if then is not Status.AMENDED and now is Status.AMENDED:
            replaced.append(reg)
    return Difference(tuple(pending_before), tuple(pending_now), tuple(replaced))


def text_table(table: TableTwo) -> str:
    """The table as Chinese text for the terminal (``regbook stats``)."""
    header = ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
    rows: list[tuple[str, ...]] = [header, *((r.level.value, *map(str, r.figures)) for r in table.rows)]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"{table.year}年政府信息公开工作年度报告 表二 第二十条第（一）项（截至{table.year}年12月31日，本办制发的文件）",
        "",
    ]
    for cells in rows:
        lines.append("  ".join(_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(cells)).rstrip())
    lines.append("")
    for row in table.rows:
        for what, docs in (("本年制发", row.made), ("本年废止", row.ended), ("现行有效", row.in_force)):
            if docs:
                lines.append(f"{row.level.value}·{what}：" + "、".join(r.id for r in docs))
    return "\n".join(lines).rstrip() + "\n"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space
