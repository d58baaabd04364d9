"""The status a document has on a given date: the one function every display asks.

Editors write a 时效性; some of it changes by the date alone, before anyone edits the file:

- a 尚未生效 document whose 施行日期 has come is 现行有效 from that day;
- a 现行有效 (or 尚未生效) document whose 有效期至 has passed is 已失效 from the next day
  (有效期届满; CONTRIBUTING: 废止或失效日期 is the day after 有效期至).

The page banner and badge, the catalogs, the search index's metadata and the book's selection
show ``status_on(reg, build_date)``, so they agree with each other on the build date. The checker's
date rules warn where the written 时效性 differs from it (time never turns into an error), and
the consistency rules keep checking what the editor wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from regbook.model import Regulation, Status

EXPIRED_REASON = "有效期届满"


@dataclass(frozen=True)
class Shown:
    """A status as shown: ``reason`` is set where the date alone made it (e.g. 有效期届满);
    ``since`` is the day it began, where known (施行日期, 废止或失效日期, the day after 有效期至)."""

    status: Status
    reason: str = ""
    since: dt.date | None = None

    @property
    def by_date(self) -> bool:
        """Whether the date, not the editor, made this status (it differs from the written one)."""
        return bool(self.reason)


def status_on(reg: Regulation, date: dt.date | None) -> Shown:
    """The status of ``reg`` on ``date``; ``None``: the status as written (no build date at hand)."""
    written = _as_written(reg)
    if date is None or reg.status not in (Status.PENDING, Status.CURRENT):
        return written
    if reg.valid_until is not None and reg.valid_until < date:
        return Shown(Status.EXPIRED, EXPIRED_REASON, reg.valid_until + dt.timedelta(days=1))
    if reg.status is Status.PENDING and reg.effective is not None and reg.effective <= date:
        return Shown(Status.CURRENT, "施行日期已到", reg.effective)
    return written


def _as_written(reg: Regulation) -> Shown:
    if reg.status.is_ended:
        return Shown(reg.status, since=reg.ended)
    if reg.status is Status.CURRENT:
        return Shown(reg.status, since=reg.effective)
    return Shown(reg.status)
