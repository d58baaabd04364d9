"""Dates: in order, not in the future, and 尚未生效 exactly while 施行日期 is ahead.

Compared with the build date (``today``, from ``regbook.clock``). Time never turns into an error:
a 尚未生效 document whose 施行日期 has come is shown 现行有效 (``regbook.status``) and the
checker warns, naming the line to edit. What an editor wrote wrongly stays an error: a
现行有效 document whose 施行日期 is still ahead, or a 公布日期 in the future.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import Status
from regbook.problems import Problem
from regbook.status import status_on


def _d(date: dt.date) -> str:
    return f"{date.isoformat()}（{cn_date(date)}）"


def regulation_dates_in_order(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """成文日期 ≤ 公布日期 ≤ 施行日期 < 废止或失效日期; 有效期至 after 施行日期."""
    for reg in corpus.regulations:
        pairs = [
            ("成文日期", reg.written, "公布日期", reg.published),
            ("公布日期", reg.published, "施行日期", reg.effective),
        ]
        for a, da, b, db in pairs:
            if da and db and da > db:
                yield Problem.error(
                    reg.path, reg.line_of(b), f"“{b}”{_d(db)}早于“{a}”{_d(da)}：应满足 {a} ≤ {b}，请核对两个日期"
                )
        start_key, start = ("施行日期", reg.effective) if reg.effective else ("公布日期", reg.published)
        if reg.ended and reg.ended <= start:
            yield Problem.error(
                reg.path,
                reg.line_of("废止或失效日期"),
                f"“废止或失效日期”{_d(reg.ended)}不晚于“{start_key}”{_d(start)}：废止或失效应在{start_key}之后",
            )
        if reg.valid_until and reg.valid_until <= start:
            yield Problem.error(
                reg.path,
                reg.line_of("有效期至"),
                f"“有效期至”{_d(reg.valid_until)}不晚于“{start_key}”{_d(start)}：有效期应在{start_key}之后结束",
            )
        for i, event in enumerate(reg.history):
            if i and event.date < reg.history[i - 1].date:
                yield Problem.warning(
                    reg.path,
                    reg.line_of("修订历史"),
                    f"“修订历史”应按日期先后排列：第 {i + 1} 项 {_d(event.date)}早于第 {i} 项 {_d(reg.history[i - 1].date)}",
                )


def nothing_in_the_future(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Only the 施行日期 of a 尚未生效 document (and 有效期至) may lie ahead of the build date."""
    ahead = f"晚于今天 {today.isoformat()}"
    for reg in corpus.regulations:
        for key, date in (("成文日期", reg.written), ("公布日期", reg.published), ("废止或失效日期", reg.ended)):
            if date and date > today:
                yield Problem.error(reg.path, reg.line_of(key), f"“{key}”{_d(date)}{ahead}：只有尚未生效文件的施行日期可以是将来的日期")
        for event in reg.history:
            if event.date > today:
                yield Problem.error(reg.path, reg.line_of("修订历史"), f"“修订历史”中的日期 {_d(event.date)}{ahead}")
        if reg.status is Status.PENDING:
            shown = status_on(reg, today)
            if reg.effective and shown.status is Status.CURRENT:  # 有效期届满 too: rules.validity says so
                line = reg.line_of("时效性")
                yield Problem.warning(
                    reg.path,
                    line,
                    f"施行日期 {_d(reg.effective)}已到，网站和汇编已按“现行有效”显示：请把第 {line} 行"
                    "“时效性: 尚未生效”改为“时效性: 现行有效”",
                )
        elif reg.effective and reg.effective > today:
            yield Problem.error(
                reg.path,
                reg.line_of("施行日期"),
                f"“施行日期”{_d(reg.effective)}{ahead}，时效性却为“{reg.status.value}”：未到施行日期的文件时效性应为“尚未生效”，"
                f"请把第 {reg.line_of('时效性')} 行“时效性: {reg.status.value}”改为“时效性: 尚未生效”；施行日期写错的，请改正本行",
            )
    for record in corpus.cleanups:
        for key, date in (("公告日期", record.announced), ("报送备案日期", record.filed_on)):
            if date and date > today:
                yield Problem.error(record.path, record.line_of(key), f"“{key}”{_d(date)}{ahead}")
        if record.filed_on and record.filed_on < record.announced:
            yield Problem.warning(
                record.path,
                record.line_of("报送备案日期"),
                f"“报送备案日期”{_d(record.filed_on)}早于“公告日期”{_d(record.announced)}：清理结果应先公告、后备案",
            )
    for item in corpus.disclosures:
        for key, date in (("成文日期", item.written), ("发布日期", item.published)):
            if date and date > today:
                yield Problem.error(item.path, item.line_of(key), f"“{key}”{_d(date)}{ahead}")
        if item.written and item.written > item.published:
            yield Problem.error(
                item.path,
                item.line_of("发布日期"),
                f"“发布日期”{_d(item.published)}早于“成文日期”{_d(item.written)}：应满足 成文日期 ≤ 发布日期",
            )


RULES = [regulation_dates_in_order, nothing_in_the_future]
