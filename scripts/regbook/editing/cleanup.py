"""``regbook cleanup new``: the draft of a cleanup record, every document to decide on listed.

The record is ``docs/cleanup/<YEAR>-guifanxing-wenjian-qingli.md`` (the existing record's
name), announced on the given date. Its 决定 list every office 行政规范性文件 in force on that
date (``regbook.status.status_on``: 尚未生效 documents whose 施行日期 has come count, documents
past their 有效期至 do not) as 保留 with an empty 理由 for the editor to fill; documents to end are
then marked with ``regbook abolish <id> --by <record>``, which changes their decision here.
报送备案机关 is the latest record's (else 吉林省司法厅); 报送备案日期 is left for the editor.

Refused: a record of that year (the file or the id) or of that 公告日期 exists (two records on one
day would leave the order of their decisions undefined); the date lies after the build date (the
checker allows no future 公告日期); no office document is in force on that date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from regbook.cleanup_history import in_date_order
from regbook.corpus import CLEANUP_DIR, Corpus
from regbook.editing import ids, templates
from regbook.editing.plan import FileEdit, Plan, Refusal
from regbook.importer import writing
from regbook.model import Level, Outcome, Status
from regbook.rules.fields import is_office_document
from regbook.status import status_on

FILED_WITH = "吉林省司法厅"
"""Where the office files its cleanup results (报送备案机关) when no earlier record says."""


def record_id(year: int) -> str:
    return f"{year}-guifanxing-wenjian-qingli"


def draft(corpus: Corpus, year: int, date: dt.date, today: dt.date, filed_with: str | None = None) -> Plan:
    """The plan of ``regbook cleanup new YEAR --date DATE``; raises ``Refusal``."""
    id_ = record_id(year)
    path = f"{CLEANUP_DIR}/{id_}.md"
    if (corpus.root / path).exists() or id_ in ids.taken_ids(corpus):
        raise Refusal(f"清理记录 {path}（id {id_}）已存在：请直接修改它（尚未公告时），或另选年份")
    same_day = next((c for c in corpus.cleanups if c.announced == date), None)
    if same_day is not None:
        raise Refusal(
            f"清理记录 {same_day.path} 的公告日期也是 {date.isoformat()}：两批清理的公告日期不能相同，"
            "同一天公告的结果请写在同一个清理记录中"
        )
    if date > today:
        raise Refusal(f"公告日期 {date.isoformat()} 晚于今天 {today.isoformat()}：清理记录请在公告当天（或之后）新建")
    documents = sorted(
        (
            r
            for r in corpus.regulations
            if r.level is Level.NORMATIVE
            and is_office_document(r)
            and r.published <= date
            and status_on(r, date).status is Status.CURRENT
        ),
        key=lambda r: (r.sort_date, r.id),
    )
    if not documents:
        raise Refusal(f"{date.isoformat()} 没有现行有效的本办行政规范性文件，无需清理")
    records = in_date_order(corpus.cleanups)
    filed = filed_with or (records[-1].filed_with if records else FILED_WITH)
    data: dict[str, Any] = {
        "id": id_,
        "标题": f"{ids.OFFICE}关于{year}年行政规范性文件清理结果的公告",
        "公告日期": date,
        "报送备案机关": filed,
        "决定": [{"文件": r.id, "结果": Outcome.KEEP.value, "理由": ""} for r in documents],
    }
    body = templates.cleanup_body(ids.OFFICE, year, date, filed)
    notes = [
        f"列出了 {date.isoformat()} 现行有效的本办行政规范性文件 {len(documents)} 件，均暂定为“保留”：请逐件填写理由。",
        f"要废止的文件：regbook abolish <文件id> --by {id_}；要宣布失效的：再加 --expired。",
        "公告后请填写“报送备案日期”。清理记录一经发布（合并到主分支）就不能改写。",
    ]
    notes += [
        f"{r.path}：施行日期 {r.effective.isoformat() if r.effective else ''} 已到，时效性仍写作“尚未生效”："
        "保留的文件应为“现行有效”，请改正时效性"
        for r in documents
        if r.status is Status.PENDING
    ]
    return Plan([FileEdit(path, None, writing.render(data, body, record=False))], notes)
