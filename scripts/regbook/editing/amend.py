"""``regbook amend``: a new version of a document, and the version chain moved to it.

CONTRIBUTING 第三部分, done in one step:

- the new version's file is the old one's, in the same folder, with a new id (``ids.version_id``:
  the old id's year replaced, ``renmin-fangkong-fa`` → ``renmin-fangkong-fa-2025``), its 版本,
  公布日期 and 施行日期 (``effective``, else the 公布日期), 时效性 (尚未生效 before 施行日期),
  发文字号 (``number``; the old one is dropped: it belongs to the old version), a 修订历史 event
  for the amendment (事件 from the label: 修正, 修订 or 修改; the old version's 公布 first when it
  had no history), and for the office's 行政规范性文件 a new 成文日期, 有效期至 and 索引号. Its body
  is the old text under a box asking for the amended text; the old file's import record, if any,
  is not copied (it describes the old file);
- the old version: 时效性 已修改, 现行版本 the new id, and a 版本 where it had none (``YYYY年版``, as
  the importer labels versions);
- every older version whose 现行版本 chain reaches the old version now points to the new one, so
  each link ends the chain (``rules.versions``).

Only the version in force (or pending) can be amended; an 已修改 version is refused with the id
of the current one, an ended one (已废止, 已失效) is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from regbook.corpus import Corpus
from regbook.editing import checks, ids, templates
from regbook.editing.plan import FileEdit, Plan, Refusal, edit_fields, edit_front, read
from regbook.importer import writing
from regbook.importer.drafting import version_label
from regbook.model import Level, Regulation, Status
from regbook.rules.fields import is_office_document, usual_end

_KIND_RE = re.compile(r"(修正|修订|修改)$")


def chain_members(corpus: Corpus, reg: Regulation) -> list[Regulation]:
    """Every other document whose 现行版本 chain reaches ``reg`` (its older versions)."""
    out = []
    for other in corpus.regulations:
        seen: set[str] = set()
        node = other
        while node.current_version and node.id not in seen and node is not reg:
            seen.add(node.id)
            following = corpus.regulation(node.current_version)
            if following is None:
                break
            node = following
        if node is reg and other is not reg:
            out.append(other)
    return out


def draft(
    corpus: Corpus,
    old_id: str,
    label: str,
    date: dt.date,
    today: dt.date,
    *,
    number: str | None = None,
    effective: dt.date | None = None,
    written: dt.date | None = None,
    valid_until: dt.date | None = None,
    index_no: str | None = None,
    new_id: str | None = None,
    event: str | None = None,
) -> Plan:
    """The plan of ``regbook amend``; raises ``Refusal``."""
    old = checks.document(corpus, old_id)
    if old.status is Status.AMENDED:
        raise Refusal(
            f"本文件已修改，现行版本为 {old.current_version}：请对现行版本运行 regbook amend {old.current_version} …",
            old.path,
            old.line_of("时效性"),
        )
    if old.status.is_ended:
        raise Refusal(f"本文件已经“{old.status.value}”，不能再修改：新的文件请用 regbook new", old.path, old.line_of("时效性"))
    label = label.strip()
    versions = [r for r in corpus.regulations if r.title == old.title]
    if not label or any(r.version_label == label for r in versions):
        raise Refusal(f"--version“{label}”{'已被本文件的另一版本使用' if label else '不能为空'}：请写新版本的版本，如 {date.year}年修正")
    if date > today:
        raise Refusal(f"公布日期 {date.isoformat()} 晚于今天 {today.isoformat()}：请在新版本公布后运行")
    if date <= old.published:
        raise Refusal(f"新版本的公布日期 {date.isoformat()} 应晚于本版本的公布日期 {old.published.isoformat()}", old.path, old.line_of("公布日期"))
    effective_given, effective = effective, effective or date
    if effective < date:
        raise Refusal(f"施行日期 {effective.isoformat()} 早于公布日期 {date.isoformat()}：请核对 --effective")
    taken = ids.taken_ids(corpus)
    id_ = ids.chosen_id(new_id, taken) if new_id else ids.version_id(old.id, date, taken)
    normative = checks.needs_gbt9704(old.level, old.issuer)
    office = is_office_document(old)
    written = written or (date if old.written or normative else None)
    if written and written > date:
        raise Refusal(f"成文日期 {written.isoformat()} 晚于公布日期 {date.isoformat()}：请核对 --written")
    if normative and not number:
        raise Refusal(f"{old.level.value}的新版本必须有自己的发文字号：请加 --number，如 --number 吉国动办发〔{date.year}〕5号")
    checked_number = checks.number(corpus, old.level, number, written or date) if number else None
    if valid_until is None and old.level is Level.NORMATIVE and office:
        valid_until = usual_end(effective)
    if valid_until is not None and valid_until <= effective:
        raise Refusal(f"有效期至 {valid_until.isoformat()} 应晚于施行日期 {effective.isoformat()}")
    index = None
    if old.index_no or office:
        year = (written or date).year
        index = ids.chosen_index_no(corpus, index_no, year) if index_no else ids.next_index_no(corpus, year)
    kind = m[1] if (m := _KIND_RE.search(label)) else "修改"
    changes: dict[str, Any] = {
        "id": id_,
        "发文字号": checked_number,
        "时效性": (Status.PENDING if effective > today else Status.CURRENT).value,
        "成文日期": written,
        "公布日期": date,
        "施行日期": effective,
        "有效期至": valid_until,
        "索引号": index,
        "版本": label,
    }
    text, style = read(corpus.root, old.path)
    parts = writing.split(text)
    if parts is None:
        raise Refusal("没有元数据块，无法复制：请手工新建新版本", old.path)
    parts.body, parts.blank = templates.amended_body(parts.body), True
    copy = edit_fields(old.path, parts.text(None), changes)
    history_event = CommentedMap([("日期", date), ("事件", event or kind)])
    copy = edit_front(old.path, copy, lambda node: _add_event(node, old, history_event))
    new_path = f"{old.path.rsplit('/', 1)[0]}/{id_}.md"
    old_changes: dict[str, Any] = {"时效性": Status.AMENDED.value, "现行版本": id_}
    if not old.version_label:
        old_changes["版本"] = version_label("", old.published)
    plan = Plan(
        [
            FileEdit(new_path, None, copy, body=f"正文复制自 {old.id}，待替换为修改后的全文"),
            FileEdit(old.path, text, edit_fields(old.path, text, old_changes), style),
        ]
    )
    for member in chain_members(corpus, old):
        member_text, member_style = read(corpus.root, member.path)
        plan.edits.append(
            FileEdit(member.path, member_text, edit_fields(member.path, member_text, {"现行版本": id_}), member_style)
        )
    plan.notes.append(f"请把 {new_path} 的正文换成修改后的全文（删去“待替换”提示框），核对修订历史中新加的一项（可补“机关”）。")
    if effective_given is None:
        plan.notes.append(f"施行日期取公布日期 {date.isoformat()}；另有施行日期的，请加 --effective YYYY-MM-DD 重新运行。")
    if old.number and not number:
        plan.notes.append("新版本没有发文字号（旧版本的不再沿用）；有的请补上。")
    return plan


def _add_event(node: CommentedMap, old: Regulation, event: CommentedMap) -> None:
    """Append the amendment to 修订历史 (made from the old version's 公布 when there was none)."""
    history = node.get("修订历史")
    if isinstance(history, CommentedSeq):
        history.append(event)
        return
    node["修订历史"] = CommentedSeq([CommentedMap([("日期", old.published), ("事件", "公布")]), event])
