"""Cleanup consistency: the cleanup records and the documents' 时效性 must agree."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import PurePosixPath
from typing import Iterator

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import ID_RE, Outcome, Status
from regbook.problems import Problem


def decisions_name_documents(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Every decision names an existing document, at most once per record."""
    for record in corpus.cleanups:
        seen: dict[str, int] = {}
        for d in record.decisions:
            if corpus.regulation(d.document) is None and d.document not in corpus.unloaded:
                yield Problem.error(
                    record.path,
                    d.line,
                    f"清理决定中的文件“{d.document}”不存在：“文件”应为 regulations/ 下某个文件的 id{_guess(corpus, d.document)}",
                )
            if d.document in seen:
                yield Problem.error(
                    record.path, d.line, f"文件“{d.document}”在本批清理中被决定了两次（另一次在第 {seen[d.document]} 行）"
                )
            seen.setdefault(d.document, d.line)


def _guess(corpus: Corpus, name: str) -> str:
    """A hint naming the id the editor probably meant (by id, or by title)."""
    by_title = next((r.id for r in corpus.regulations if name.strip("《》") in (r.title, r.display_title)), None)
    if by_title:
        return f"；这是文件标题，请写它的 id：{by_title}"
    renamed = next((r for r in corpus.regulations if PurePosixPath(r.path).stem == name), None)
    if renamed is not None:
        return f"；文件 {renamed.path} 的 id 现在是“{renamed.id}”（id 应与文件名一致）"
    close = difflib.get_close_matches(name, list(corpus.by_id), n=1, cutoff=0.6)
    return f"；是不是“{close[0]}”？" if close else ""


def decisions_match_status(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """废止 / 宣布失效 decisions are reflected in the document; 保留 only for documents in force."""
    for record in corpus.cleanups:
        for d in record.decisions:
            reg = corpus.regulation(d.document)
            if reg is None or d.document in corpus.duplicate_ids:  # duplicates: see uniqueness
                continue
            expected = d.outcome.resulting_status
            if expected is not None:
                if reg.status is not expected:
                    yield Problem.error(
                        reg.path,
                        reg.line_of("时效性"),
                        f"清理记录 {record.path} 第 {d.line} 行决定“{d.outcome.value}”本文件，"
                        f"时效性应为“{expected.value}”，实际为“{reg.status.value}”",
                    )
                if reg.basis != record.id:
                    yield Problem.error(
                        reg.path,
                        reg.line_of("依据") if reg.basis else reg.line_of("时效性"),
                        f"本文件由清理记录“{record.id}”{d.outcome.value}，“依据”应为 {record.id}，实际为“{reg.basis or '（空）'}”",
                    )
                if reg.ended != record.announced:
                    yield Problem.error(
                        reg.path,
                        reg.line_of("废止或失效日期") if reg.ended else reg.line_of("时效性"),
                        f"“废止或失效日期”应为清理记录的公告日期 {record.announced.isoformat()}（{cn_date(record.announced)}），"
                        f"实际为 {reg.ended.isoformat() if reg.ended else '（空）'}",
                    )
            elif d.outcome is Outcome.KEEP and reg.status is not Status.CURRENT:
                yield Problem.error(
                    record.path, d.line, f"决定“保留”的文件“{d.document}”时效性为“{reg.status.value}”，保留的文件应为“现行有效”"
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
    return any(d.document == reg_id and d.outcome.resulting_status for c in corpus.cleanups for d in c.decisions)


def basis_is_consistent(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """A 依据 naming a cleanup record is backed by a decision there; an id-like 依据 exists."""
    for reg in corpus.regulations:
        if not reg.basis or not reg.status.is_ended:
            continue
        record = corpus.cleanup(reg.basis)
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
                "或用文字说明（如“有效期届满”）",
            )


RULES = [decisions_name_documents, decisions_match_status, ended_documents_have_basis, basis_is_consistent]
