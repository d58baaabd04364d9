"""有效期: 行政规范性文件 with a validity period (有效期至) are re-evaluated before it ends.

Common local practice (DOMAIN.md §4): a period of at most 5 years, evaluated 6 months before
expiry. Jilin's exact rule is not known, so nothing forces a period; where one is given:

- past 有效期至 and still 现行有效 → a warning: declare it 失效 in a cleanup, or renew it;
- within 6 months of 有效期至 → a notice (提示), which never fails a check.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import Level, Status
from regbook.problems import Problem

NOTICE_MONTHS = 6


def months_before(date: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day where that day does not exist)."""
    index = date.year * 12 + date.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in range(date.day, 0, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError(date)


def validity_periods(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    for reg in corpus.regulations:
        if reg.valid_until is None or reg.status is not Status.CURRENT:
            continue
        if reg.level not in (Level.NORMATIVE, Level.OTHER_NORMATIVE):
            continue
        until = f"{reg.valid_until.isoformat()}（{cn_date(reg.valid_until)}）"
        line = reg.line_of("有效期至")
        if reg.valid_until < today:
            yield Problem.warning(
                reg.path,
                line,
                f"有效期已于 {until}届满，时效性仍为“现行有效”：请在清理记录中宣布失效（时效性改为“已失效”），"
                "或重新发布后更新“有效期至”",
            )
        elif today >= months_before(reg.valid_until, NOTICE_MONTHS):
            days = (reg.valid_until - today).days
            yield Problem.notice(
                reg.path, line, f"有效期将于 {until}届满（还有 {days} 天）：请在届满前评估是否继续施行"
            )


RULES = [validity_periods]
