"""有效期: documents with a validity period (有效期至) are re-evaluated before it ends.

Common local practice (DOMAIN.md §4): a period of at most 5 years, evaluated 6 months before
expiry. Jilin's exact rule is not known, so nothing forces a period; where one is given:

- past 有效期至 and still written 现行有效 (or 尚未生效) → a warning, never an error (time alone
  did it): the site and the book already show it 已失效 (``regbook.status``), and the warning
  names the edit (时效性 已失效, 废止或失效日期 the next day, 依据 有效期届满) or a renewal;
- within 6 months of 有效期至 → a notice (提示), which never fails a check.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import Status
from regbook.problems import Problem
from regbook.status import EXPIRED_REASON, status_on

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
    """Warn where 有效期至 has passed (with the exact edit); a notice within 6 months of it."""
    for reg in corpus.regulations:
        if reg.valid_until is None or reg.status not in (Status.CURRENT, Status.PENDING):
            continue
        until = f"{reg.valid_until.isoformat()}（{cn_date(reg.valid_until)}）"
        shown = status_on(reg, today)
        if shown.status is Status.EXPIRED and shown.since:
            line = reg.line_of("时效性")
            yield Problem.warning(
                reg.path,
                line,
                f"有效期已于 {until}届满，网站和汇编已按“已失效”显示：请把第 {line} 行“时效性: {reg.status.value}”"
                f"改为“时效性: 已失效”，并加上“废止或失效日期: {shown.since.isoformat()}”和“依据: {EXPIRED_REASON}”"
                f"；如已延长有效期，请改第 {reg.line_of('有效期至')} 行“有效期至”",
            )
        elif shown.status is Status.CURRENT and today >= months_before(reg.valid_until, NOTICE_MONTHS):
            days = (reg.valid_until - today).days
            yield Problem.notice(
                reg.path, reg.line_of("有效期至"), f"有效期将于 {until}届满（还有 {days} 天）：请在届满前评估是否继续施行"
            )


RULES = [validity_periods]
