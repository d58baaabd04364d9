"""Checks the commands make before planning, as the checker would judge their result.

A command refuses (``Refusal``) what ``regbook check`` would reject, saying what to give instead:
dates in the future or out of order, a malformed or reused 发文字号, an unknown document.
"""

from __future__ import annotations

import datetime as dt
import difflib

from regbook.corpus import Corpus
from regbook.editing.plan import Refusal
from regbook.model import Level, Regulation
from regbook.rules.fields import is_office_issuer
from regbook.rules.numbers import GBT9704_RE, gbt9704_problems, suggest

GBT9704_LEVELS = (Level.NORMATIVE, Level.OTHER_NORMATIVE)


def needs_gbt9704(level: Level, issuer: str) -> bool:
    """Whether 发文字号, 成文日期 and 施行日期 are required (``rules.fields.required_by_level``)."""
    return level is Level.NORMATIVE or (level is Level.OTHER_NORMATIVE and is_office_issuer(issuer))


def document(corpus: Corpus, document_id: str) -> Regulation:
    """The regulation with this id, or a refusal suggesting the id meant."""
    reg = corpus.regulation(document_id)
    if reg is None:
        ids = [r.id for r in corpus.regulations]
        close = difflib.get_close_matches(document_id, ids, n=1, cutoff=0.6)
        by_title = next((r.id for r in corpus.regulations if document_id.strip("《》 ") in (r.title, r.display_title)), None)
        guess = by_title or (close[0] if close else None)
        hint = f"是不是“{guess}”？" if guess else "请写 regulations/ 下文件的 id（文件名去掉 .md）"
        raise Refusal(f"没有 id 为“{document_id}”的文件：{hint}")
    if document_id in corpus.duplicate_ids:
        raise Refusal(f"id“{document_id}”被多个文件使用：请先运行 regbook check 改正重复的 id", reg.path, reg.line_of("id"))
    return reg


def not_after(label: str, date: dt.date, today: dt.date) -> None:
    """Only 施行日期 and 有效期至 may lie ahead of the build date (``rules.dates``)."""
    if date > today:
        raise Refusal(f"{label} {date.isoformat()} 晚于今天 {today.isoformat()}：只有施行日期和有效期至可以是将来的日期")


def in_order(earlier: tuple[str, dt.date | None], later: tuple[str, dt.date | None], strict: bool = False) -> None:
    """``earlier`` ≤ ``later`` (< with ``strict``) where both are given."""
    (a, da), (b, db) = earlier, later
    if da is not None and db is not None and (da >= db if strict else da > db):
        relation = "早于" if strict else "不晚于"
        raise Refusal(f"{a} {da.isoformat()} 应{relation}{b} {db.isoformat()}：请核对两个日期")


def number(corpus: Corpus, level: Level, value: str, dated: dt.date) -> str:
    """A 发文字号: for 规范性文件 in GB/T 9704 form, of ``dated``'s year, not used before."""
    if level not in GBT9704_LEVELS:
        return value
    reasons = gbt9704_problems(value)
    if reasons:
        fixed = suggest(value)
        fix = f"应写作“{fixed}”" if fixed else "正确写法如 吉国动办发〔2026〕5号"
        raise Refusal(f"发文字号“{value}”不符合 GB/T 9704：{'；'.join(reasons)}。{fix}")
    m = GBT9704_RE.match(value)
    assert m is not None
    if int(m["year"]) != dated.year:
        raise Refusal(f"发文字号中的年份 {m['year']} 与成文日期的年份 {dated.year} 不一致：请核对发文字号或成文日期")
    used = next((r for r in corpus.regulations if r.number == value and r.level in GBT9704_LEVELS), None)
    if used is not None:
        raise Refusal(f"发文字号“{value}”已用于 {used.path}：两个文件不能有相同的发文字号，请核对原件")
    return value
