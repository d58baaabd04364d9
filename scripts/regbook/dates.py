"""Date display in the form Chinese official documents use: 2023年5月6日 (no leading zeros)."""

from __future__ import annotations

import datetime as dt


def cn_date(date: dt.date | None) -> str:
    """``2023-05-06`` → ``2023年5月6日``; ``None`` → ``""``."""
    return f"{date.year}年{date.month}月{date.day}日" if date else ""
