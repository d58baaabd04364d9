"""``regbook abolish``: end a document by a cleanup record or by another document (an instrument).

Every edit the checker would otherwise ask for (``rules.cleanup``, ``rules.fields``):

- the document: 时效性 已废止 (已失效 with ``expired``), 废止或失效日期, 依据;
- by a cleanup record: 依据 is the record's id and the date its 公告日期; the record's decision
  on the document becomes 废止 (宣布失效), or is added (with an empty 理由 to fill). Records are
  history: a **published** record must not be rewritten, so only a record that is new relative to
  the deletion guard's base (``rules.history``: the main branch's merge-base, or ``--since``) can
  be changed; for a published one the answer is a new record (``regbook cleanup new``);
- by an instrument (a document in ``regulations/`` that repeals this one): 依据 is its id and the
  date ``date``, by default the instrument's 施行日期 (else its 公布日期): the day the repealing
  document takes effect is usually the day the old one ends.

Version chains: only a version in force (or pending) can be ended. Ending the current version
of a work ends the work: its older versions stay 已修改 with 现行版本 pointing to it (the chain's
end is the ended version, which is what ``rules.versions`` asks). An older version (已修改) is
refused with the id of its current version.

Refused too, as the checker would reject the result: an end date in the future, not after the
document's 施行日期, or not after a later cleanup record that kept the document; a record
announced before the document was published; a later record that already decided on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from regbook.corpus import Corpus
from regbook.editing import checks
from regbook.editing.plan import FileEdit, Plan, Refusal, edit_fields, edit_front, read
from regbook.model import CleanupRecord, Outcome, Regulation, Status
from regbook.rules import history


@dataclass(frozen=True)
class Published:
    """The content files published at the guard's base: ``paths`` ``None`` when unknown (no git)."""

    paths: frozenset[str] | None
    label: str
    """The base in messages (``origin/main 的提交 abc1234``), or why it is unknown."""


def published(root: Path, since: str | None) -> Published:
    """The published content files, by the deletion guard's base (``None``: the default base)."""
    if since is not None and since.strip().lower() == history.OFF:
        return Published(None, "--since none")
    try:
        if since is not None:
            return Published(frozenset(history.files_at(root, since)), since)
        base = history.default_base(root)
        if isinstance(base, str):
            return Published(None, base)
        return Published(frozenset(history.files_at(root, base.ref)), base.label)
    except history.HistoryError as exc:
        raise Refusal(f"--since：{exc}") from exc


def draft(
    corpus: Corpus,
    document_id: str,
    by: str,
    *,
    expired: bool = False,
    date: dt.date | None = None,
    today: dt.date,
    base: Published,
) -> Plan:
    """The plan of ``regbook abolish``; raises ``Refusal``."""
    reg = checks.document(corpus, document_id)
    status = Status.EXPIRED if expired else Status.REPEALED
    if reg.status is Status.AMENDED:
        raise Refusal(
            f"本文件是旧版本（时效性“已修改”，现行版本为 {reg.current_version}）：要废止的是现行版本，"
            f"请对 {reg.current_version} 运行 regbook abolish；旧版本不用改动，仍指向它",
            reg.path,
            reg.line_of("时效性"),
        )
    if reg.status.is_ended:
        raise Refusal(f"本文件已经是“{reg.status.value}”（依据 {reg.basis}）", reg.path, reg.line_of("时效性"))
    record = corpus.cleanup(by)
    if record is not None:
        if date is not None and date != record.announced:
            raise Refusal(
                f"由清理记录 {record.id} 废止或宣布失效时，废止或失效日期就是它的公告日期 {record.announced.isoformat()}："
                "请去掉 --date（文件由其他文件废止时才用 --date）"
            )
        return _by_record(corpus, reg, record, status, today, base)
    instrument = corpus.regulation(by)
    if instrument is None:
        raise Refusal(
            f"--by“{by}”既不是清理记录的 id，也不是 regulations/ 下文件的 id：请写清理记录的 id（如 "
            f"{corpus.cleanups[-1].id if corpus.cleanups else '2025-guifanxing-wenjian-qingli'}）或废止本文件的文件的 id"
        )
    if instrument.id == reg.id:
        raise Refusal("--by 不能是本文件自己：请写清理记录或废止本文件的另一文件的 id")
    when = date or instrument.effective or instrument.published
    if when < instrument.published:
        raise Refusal(
            f"废止或失效日期 {when.isoformat()} 早于 {instrument.id} 的公布日期 {instrument.published.isoformat()}：请核对 --date"
        )
    plan = Plan(_document_edit(corpus, reg, status, when, instrument.id, today))
    if date is None:
        which = "施行日期" if instrument.effective else "公布日期"
        plan.notes.append(f"废止或失效日期取 {instrument.id} 的{which} {when.isoformat()}；不是这一天的，请加 --date YYYY-MM-DD。")
    return plan


def _by_record(
    corpus: Corpus, reg: Regulation, record: CleanupRecord, status: Status, today: dt.date, base: Published
) -> Plan:
    if base.paths is not None and record.path in base.paths:
        raise Refusal(
            f"清理记录 {record.id} 已经发布（在 {base.label} 中），已公告的清理记录不能改写：请新建清理记录"
            f"（regbook cleanup new 年份 --date 公告日期），再用 --by 新记录的 id",
            record.path,
            record.line_of("决定"),
        )
    if reg.published > record.announced:
        raise Refusal(
            f"本文件公布于 {reg.published.isoformat()}，晚于清理记录 {record.id} 的公告日期 {record.announced.isoformat()}："
            "清理只能针对公告前已公布的文件",
            reg.path,
            reg.line_of("公布日期"),
        )
    rulings = corpus.cleanup_history.get(reg.id)
    later = [r for r in (rulings.rulings if rulings else ()) if r.record is not record and r.date > record.announced]
    if later:
        raise Refusal(
            f"清理记录 {later[0].record.path}（公告日期 {later[0].date.isoformat()}，晚于 {record.id}）已对本文件决定"
            f"“{later[0].outcome.value}”：本文件被废止或宣布失效后，以后的清理不能再对它作出决定；请核对 --by",
            reg.path,
        )
    outcome = Outcome.REPEAL if status is Status.REPEALED else Outcome.DECLARE_EXPIRED
    edits = _document_edit(corpus, reg, status, record.announced, record.id, today, skip=record)
    text, style = read(corpus.root, record.path)
    after = edit_front(record.path, text, lambda node: _decide(node, reg.id, outcome))
    plan = Plan([*edits, FileEdit(record.path, text, after, style)])
    decided = next((d for d in record.decisions if d.document == reg.id), None)
    if decided is None:
        plan.notes.append(f"已在清理记录 {record.path} 中加上本文件的决定“{outcome.value}”：请填写理由。")
    elif decided.reason and decided.outcome is not outcome:
        plan.notes.append(f"清理记录 {record.path} 中本文件的决定已改为“{outcome.value}”：请核对原来的理由“{decided.reason}”。")
    return plan


def _decide(node: CommentedMap, document: str, outcome: Outcome) -> None:
    """Set the record's decision on ``document`` (or add one, 理由 empty)."""
    decisions = node.get("决定")
    if not isinstance(decisions, CommentedSeq):
        raise Refusal("清理记录的“决定”不是列表：请先运行 regbook check 改正")
    for item in decisions:
        if isinstance(item, CommentedMap) and item.get("文件") == document:
            item["结果"] = outcome.value
            return
    decisions.append(CommentedMap([("文件", document), ("结果", outcome.value), ("理由", "")]))


def _document_edit(
    corpus: Corpus,
    reg: Regulation,
    status: Status,
    when: dt.date,
    basis: str,
    today: dt.date,
    skip: CleanupRecord | None = None,
) -> list[FileEdit]:
    """The document's edit, after checking the end date as the checker will."""
    if when > today:
        raise Refusal(
            f"废止或失效日期 {when.isoformat()} 晚于今天 {today.isoformat()}：文件在该日之后才废止或失效，请到那一天再运行",
            reg.path,
        )
    start_key, start = ("施行日期", reg.effective) if reg.effective else ("公布日期", reg.published)
    if when <= start:
        raise Refusal(
            f"废止或失效日期 {when.isoformat()} 不晚于本文件的{start_key} {start.isoformat()}：废止或失效应在{start_key}之后",
            reg.path,
            reg.line_of(start_key),
        )
    rulings = corpus.cleanup_history.get(reg.id)
    kept = [r for r in (rulings.rulings if rulings else ()) if r.record is not skip and r.outcome is Outcome.KEEP]
    if kept and kept[-1].date >= when:
        raise Refusal(
            f"清理记录 {kept[-1].record.path}（公告日期 {kept[-1].date.isoformat()}）决定“保留”本文件，"
            f"废止或失效日期 {when.isoformat()} 应晚于该公告日期：请核对日期",
            reg.path,
        )
    text, style = read(corpus.root, reg.path)
    after = edit_fields(reg.path, text, {"时效性": status.value, "废止或失效日期": when, "依据": basis})
    return [FileEdit(reg.path, text, after, style)]
