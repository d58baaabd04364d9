"""One clock: the build date ("today") that everything depending on the date asks for.

A document's status on the site, in the catalogs, the search index and the book, and the
checker's date rules all depend on the build date. They get it from here, read once at the
edge (``regbook check`` / ``regbook build`` / the MkDocs plugin) and passed down; no rule reads
the system clock itself.

Where the date comes from, first match wins:

1. ``--today YYYY-MM-DD`` on ``regbook check`` / ``regbook build`` (the caller passes it to
   ``parse``); ``regbook build`` hands the date to its MkDocs subprocess as ``REGBOOK_TODAY``;
2. the environment variable ``REGBOOK_TODAY`` (tests move time with it);
3. the system clock, as a calendar date in Beijing time (the office's date, whatever the
   machine's time zone).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Mapping

ENV = "REGBOOK_TODAY"
BEIJING = dt.timezone(dt.timedelta(hours=8))
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ClockError(ValueError):
    """A build date that is not a date; the message is for people (Chinese)."""


def parse(text: str, source: str) -> dt.date:
    """``YYYY-MM-DD`` → date; anything else raises ``ClockError`` naming ``source`` (e.g. ``--today``)."""
    value = text.strip()
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ClockError(f"{source}：“{text}”不是有效日期，应写作 YYYY-MM-DD（如 2027-03-02）")


def system_today() -> dt.date:
    """The calendar date in Beijing now (the only place that reads the system clock for a date)."""
    return dt.datetime.now(BEIJING).date()


def today(environ: Mapping[str, str] | None = None) -> dt.date:
    """The build date: ``REGBOOK_TODAY`` when set, else the system's date in Beijing.

    Raises ``ClockError`` when ``REGBOOK_TODAY`` is set but not a date."""
    value = (os.environ if environ is None else environ).get(ENV, "").strip()
    return parse(value, f"环境变量 {ENV}") if value else system_today()


def resolve(option: str | None, environ: Mapping[str, str] | None = None) -> dt.date:
    """The build date for a command: its ``--today`` option when given, else ``today()``."""
    return parse(option, "--today") if option else today(environ)


def date_of_epoch(epoch: int) -> dt.date:
    """A Unix time (e.g. ``SOURCE_DATE_EPOCH``) as a calendar date in Beijing."""
    return dt.datetime.fromtimestamp(epoch, BEIJING).date()
