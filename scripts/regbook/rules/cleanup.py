"""Cleanup consistency: the cleanup records, read as history, and the documents' 时效性 agree.

Records are published announcements and stay as published; their decisions apply in the order
of their 公告日期 (``regbook.cleanup_history``, read through ``Corpus.cleanup_history``). So:

- a document is checked against its **effective** decision: the one that ended it (废止 /
  宣布失效: 时效性, 依据 and 废止或失效日期 must name that record), else its latest one;
- a 保留 says the document was in force on the record's date: it may have been amended, repealed
  or have expired *after* that date (by another instrument, or 有效期届满), not before;
- errors within the records: a document decided twice in one record, two records on the same
  公告日期 (their order would be undefined), a record deciding on a document published after
  the record, and any decision after a record ended the document (an ended document is no
  longer cleaned up: a later record cannot keep, amend or end it again);
- an office 行政规范性文件 is ended only through a cleanup record or a named instrument (依据 is
  the id of a record or of another regulation), or by 有效期届满: 时效性 已失效, 有效期至 set
  and 废止或失效日期 the day after it (on 有效期至 itself the document is still in force, as in
  ``rules.validity`` and ``regbook.status``).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from regbook.cleanup_history import Ruling
from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import ID_RE, Level, Outcome, Regulation, Status
from regbook.problems import Problem
from regbook.rules.fields import is_office_document

EXPIRY_BASIS = "有效期届满"
"""The 依据 of a document that expired by its own 有效期至 (CONTRIBUTING, ``regbook.status``)."""


def _d(date: dt.date) -> str:
    return f"{date.isoformat()}（{cn_date(date)}）"


def _where(ruling: Ruling) -> str:
    return f"清理记录 {ruling.record.path} 第 {ruling.decision.line} 行"


def decisions_name_documents(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Every decision names an existing document, at most once per record."""
    for record in corpus.cleanups:
        seen: dict[str, int] = {}
        for d in record.decisions:
            if corpus.regulation(d.document) is None and d.document not in corpus.unloaded:
                yield Problem.error(record.path, d.line, _missing_document(corpus, d.document))
            if d.document in seen:
                yield Problem.error(
                    record.path, d.line, f"文件“{d.document}”在本批清理中被决定了两次（另一次在第 {seen[d.document]} 行）"
                )
            seen.setdefault(d.document, d.line)


def _missing_document(corpus: Corpus, name: str) -> str:
    """Why a decision's document is missing, and what to do: restore the file, never rewrite a published record.

    The record may be a draft (the editor wrote a title or mistyped an id) or a published
    announcement whose document was deleted or renamed since; the message serves both.
    """
    head = f"清理决定中的文件“{name}”不存在"
    by_title = next((r for r in corpus.regulations if name.strip("《》 ") in (r.title, r.display_title)), None)
    if by_title is not None:
        return (
            f"{head}：“{name.strip('《》 ')}”是文件标题，该文件的 id 是“{by_title.id}”。尚未公告的清理记录请写“文件: {by_title.id}”；"
            "已公告的清理记录不能改写"
        )
    renamed = next((r for r in corpus.regulations if r.path.rsplit("/", 1)[-1] == f"{name}.md"), None)
    if renamed is not None:
        return (
            f"{head}：文件 {renamed.path} 的 id 被改成了“{renamed.id}”。id 发布后不能修改，已公告的清理记录也不能改写："
            f"请把该文件的 id 改回“{name}”"
        )
    return (
        f"{head}。已公告的清理记录不能改写：如果该文件被删除或改名，请恢复它"
        f"（如 git checkout <删除前的提交> -- regulations/<效力位阶文件夹>/{name}.md，或把文件名和 id 改回“{name}”）；"
        "尚未公告的清理记录中，“文件”应为 regulations/ 下某个文件的 id"
    )


def records_on_distinct_days(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Two records on the same 公告日期 would leave the order of their decisions undefined."""
    by_day: dict[dt.date, list[str]] = {}
    for record in corpus.cleanups:
        by_day.setdefault(record.announced, []).append(record.path)
    for record in corpus.cleanups:
        others = [p for p in by_day[record.announced] if p != record.path]
        if others:
            yield Problem.error(
                record.path,
                record.line_of("公告日期"),
                f"清理记录 {'、'.join(others)} 的公告日期也是 {_d(record.announced)}：清理决定按公告日期先后生效，"
                "两批清理的公告日期不能相同；同一天公告的清理结果请合并为一个清理记录，日期写错的请改正“公告日期”",
            )


def decisions_on_published_documents(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """A record decides only on documents published before (or on) its 公告日期."""
    for record in corpus.cleanups:
        for d in record.decisions:
            reg = corpus.regulation(d.document)
            if reg is not None and reg.published > record.announced:
                yield Problem.error(
                    record.path,
                    d.line,
                    f"文件“{d.document}”公布于 {_d(reg.published)}，晚于本清理记录的公告日期 {_d(record.announced)}："
                    "清理只能针对公告前已公布的文件；请核对“文件”的 id 和两个日期",
                )


def nothing_decided_after_end(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Once a record has repealed or declared a document expired, no later record decides on it."""
    for rulings in corpus.cleanup_history.values():
        ending = rulings.ending
        for later in rulings.after_ending:
            assert ending is not None
            yield Problem.error(
                later.record.path,
                later.decision.line,
                f"文件“{rulings.document}”已由清理记录 {ending.record.path}（公告日期 {_d(ending.date)}）"
                f"决定“{ending.outcome.value}”，之后的清理不能再决定“{later.outcome.value}”："
                "已废止或失效的文件不再参加清理，请在尚未公告的记录中删去这一项",
            )


def decisions_match_status(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """The document's 时效性 (and 依据, 废止或失效日期) agree with its effective decision."""
    for document, rulings in corpus.cleanup_history.items():
        reg = corpus.regulation(document)
        if reg is None or document in corpus.duplicate_ids:  # duplicates: see uniqueness
            continue
        ruling = rulings.effective
        if ruling.ends:
            yield from _ended_as_decided(reg, ruling)
        elif ruling.outcome is Outcome.KEEP:
            yield from _kept_as_decided(corpus, reg, ruling)


def _ended_as_decided(reg: Regulation, ruling: Ruling) -> Iterator[Problem]:
    record, expected = ruling.record, ruling.outcome.resulting_status
    assert expected is not None
    if reg.status is not expected:
        yield Problem.error(
            reg.path,
            reg.line_of("时效性"),
            f"{_where(ruling)}决定“{ruling.outcome.value}”本文件，时效性应为“{expected.value}”，实际为“{reg.status.value}”",
        )
    if reg.basis != record.id:
        yield Problem.error(
            reg.path,
            reg.line_of("依据") if reg.basis else reg.line_of("时效性"),
            f"本文件由清理记录“{record.id}”{ruling.outcome.value}，“依据”应为 {record.id}，实际为“{reg.basis or '（空）'}”",
        )
    if reg.ended != record.announced:
        yield Problem.error(
            reg.path,
            reg.line_of("废止或失效日期") if reg.ended else reg.line_of("时效性"),
            f"“废止或失效日期”应为清理记录的公告日期 {_d(record.announced)}，"
            f"实际为 {reg.ended.isoformat() if reg.ended else '（空）'}",
        )


def _kept_as_decided(corpus: Corpus, reg: Regulation, ruling: Ruling) -> Iterator[Problem]:
    """保留 on a date: in force then; amended, repealed or expired only after that date."""
    kept = f"{_where(ruling)}（公告日期 {cn_date(ruling.date)}）决定“保留”本文件"
    if reg.status is Status.PENDING:
        yield Problem.error(
            reg.path,
            reg.line_of("时效性"),
            f"{kept}，保留的文件应为“现行有效”，实际为“尚未生效”：请核对时效性和施行日期",
        )
    elif reg.status.is_ended and reg.ended is not None and reg.ended <= ruling.date:
        verb = "废止" if reg.status is Status.REPEALED else "失效"
        yield Problem.error(
            reg.path,
            reg.line_of("废止或失效日期"),
            f"{kept}，本文件的“废止或失效日期”{_d(reg.ended)}却不晚于该公告日期：保留时本文件应尚未{verb}；"
            f"请核对“废止或失效日期”（在该次清理之后{verb}的，日期应晚于 {ruling.date.isoformat()}）",
        )
    elif reg.status is Status.AMENDED and (new := corpus.regulation(reg.current_version or "")) is not None:
        if new.published <= ruling.date:
            yield Problem.error(
                reg.path,
                reg.line_of("现行版本"),
                f"{kept}，但现行版本“{new.id}”公布于 {_d(new.published)}，不晚于该次清理：保留时本文件应尚未被修改，"
                "请核对“现行版本”和时效性",
            )


def ended_documents_have_basis(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """已废止 / 已失效 documents name what ended them, and when."""
    for reg in corpus.regulations:
        if not reg.status.is_ended:
            continue
        if not reg.basis:
            yield Problem.error(
                reg.path,
                reg.line_of("时效性"),
                f"时效性为“{reg.status.value}”的文件必须填写“依据”：清理记录的 id 或废止它的文件名称",
            )
        if reg.ended is None:
            yield Problem.error(reg.path, reg.line_of("时效性"), f"时效性为“{reg.status.value}”的文件必须填写“废止或失效日期”")


def _ended_by_a_record(corpus: Corpus, reg_id: str) -> bool:
    rulings = corpus.cleanup_history.get(reg_id)
    return rulings is not None and rulings.ending is not None


def basis_is_consistent(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """A 依据 naming a cleanup record is backed by a decision there; an id-like 依据 exists."""
    for reg in corpus.regulations:
        if not reg.basis or not reg.status.is_ended:
            continue
        record = corpus.cleanup(reg.basis)
        ending = rulings.ending if (rulings := corpus.cleanup_history.get(reg.id)) else None
        if record is not None and ending is not None and ending.record is not record:
            continue  # ended by another record: decisions_match_status names the right 依据
        if record is not None:
            decided = [d for d in record.decisions if d.document == reg.id]
            if not decided:
                yield Problem.error(
                    reg.path,
                    reg.line_of("依据"),
                    f"“依据”为清理记录“{record.id}”，但该记录中没有关于本文件的决定：请在 {record.path} 的“决定”中"
                    f"加上“文件: {reg.id}”，或改正“依据”",
                )
            elif all(d.outcome.resulting_status is None for d in decided):
                outcomes = "、".join(d.outcome.value for d in decided)
                yield Problem.error(
                    reg.path,
                    reg.line_of("依据"),
                    f"“依据”为清理记录“{record.id}”，该记录对本文件的决定是“{outcomes}”，不是废止或宣布失效："
                    f"请核对时效性“{reg.status.value}”或清理结果",
                )
        elif (
            ID_RE.match(reg.basis)
            and corpus.regulation(reg.basis) is None
            and reg.basis not in corpus.unloaded
            and not _ended_by_a_record(corpus, reg.id)  # decisions_match_status names the right 依据
        ):
            yield Problem.error(
                reg.path,
                reg.line_of("依据"),
                f"“依据”“{reg.basis}”看起来是 id，但没有这个清理记录或文件：请写清理记录或废止它的文件的 id，"
                f"或用文字说明（如“{EXPIRY_BASIS}”）",
            )


def office_documents_ended_by_record_or_instrument(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """The office's 行政规范性文件 end through a cleanup record, a named instrument, or 有效期届满."""
    for reg in corpus.regulations:
        if reg.level is not Level.NORMATIVE or not is_office_document(reg) or not reg.status.is_ended:
            continue
        basis = reg.basis
        if not basis or ID_RE.match(basis):  # empty: ended_documents_have_basis; ids: basis_is_consistent
            continue
        if basis == EXPIRY_BASIS:
            yield from _expired_by_period(reg)
            continue
        example = corpus.cleanups[-1].id if corpus.cleanups else "2023-guifanxing-wenjian-qingli"
        yield Problem.error(
            reg.path,
            reg.line_of("依据"),
            f"本办的行政规范性文件只能由清理记录或有权机关的文件废止或宣布失效：“依据”应为清理记录的 id（如 {example}）"
            f"或废止它的文件的 id（该文件须收入 regulations/），实际为“{basis}”；因有效期届满而失效的，"
            f"时效性写“已失效”，“依据”写“{EXPIRY_BASIS}”，并填写“有效期至”",
        )


def _expired_by_period(reg: Regulation) -> Iterator[Problem]:
    """已失效 by 有效期届满: 有效期至 set, 废止或失效日期 the day after it."""
    if reg.status is not Status.EXPIRED:
        yield Problem.error(
            reg.path,
            reg.line_of("时效性"),
            f"“依据”为“{EXPIRY_BASIS}”的文件时效性应为“已失效”，实际为“{reg.status.value}”：请改为“时效性: 已失效”",
        )
    if reg.valid_until is None:
        yield Problem.error(
            reg.path,
            reg.line_of("依据"),
            f"“依据”为“{EXPIRY_BASIS}”，但没有填写“有效期至”：请填写文件规定的有效期的最后一天，"
            "如 有效期至: 2027-03-20（废止或失效日期为其次日）",
        )
    elif reg.ended is not None and reg.ended != (after := reg.valid_until + dt.timedelta(days=1)):
        yield Problem.error(
            reg.path,
            reg.line_of("废止或失效日期"),
            f"因有效期届满而失效的文件，“废止或失效日期”应为有效期至 {_d(reg.valid_until)}的次日 {_d(after)}"
            f"（有效期至当天仍然有效），实际为 {reg.ended.isoformat()}：请改为“废止或失效日期: {after.isoformat()}”",
        )


RULES = [
    decisions_name_documents,
    records_on_distinct_days,
    decisions_on_published_documents,
    nothing_decided_after_end,
    decisions_match_status,
    ended_documents_have_basis,
    basis_is_consistent,
    office_documents_ended_by_record_or_instrument,
]
