"""Loading a project's content into the model, once.

Layout of a project folder:

- ``regulations/**/*.md``: one regulation per file (sub-folders by 效力位阶);
- ``docs/cleanup/*.md``: one cleanup record per file (``index.md`` is a hand-written page);
- ``docs/disclosure/**/*.md``: disclosure items (``index.md`` files are hand-written pages);
- every other ``docs/**/*.md`` and ``CONTRIBUTING.md``: hand-written pages.

Every published Markdown text (bodies and hand-written pages) is also kept as a ``Text`` for
the link and safety rules. Files in ``regulations/`` that are not ``.md`` are warned about
(they would be silently left out).

Files: nothing is read through a symlink (a link to ``/proc/self/environ`` or to a file outside
the project would publish the build machine): links to files or folders, and special files, are
errors on line 1 and stay unread (``O_NOFOLLOW`` when reading). ``docs/`` publishes Markdown and
``ATTACHMENTS`` recognised by content; a file that would replace a theme or build file
(``overrides/``, the theme's folder, the generated ``GENERATED_FOLDERS``) is an error.
``publish_refusal`` is the same decision for one file, for the MkDocs plugin's own check.

A file that cannot be loaded is reported once: its id
goes to ``Corpus.unloaded`` so that rules looking it up stay quiet.

``load`` never raises for bad content: it returns the corpus of everything that could be
read, and the problems of everything that could not.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import importlib.util
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from regbook import frontmatter, invisible
from regbook.outline import OUTLINE_PATH, Outline, parse as parse_outline
from regbook.cleanup_history import Rulings, rulings_by_document
from regbook.frontmatter import Document
from regbook.model import (
    CLEANUP_FIELDS,
    DECISION_FIELDS,
    DISCLOSURE_FIELDS,
    HISTORY_FIELDS,
    ID_RE,
    REGULATION_FIELDS,
    REPORT_FOUR_COLUMNS,
    REPORT_FOUR_GROUPS,
    REPORT_KEYS,
    REPORT_THREE_COLUMNS,
    REPORT_THREE_ROWS,
    REPORT_TWO_COLUMNS,
    REPORT_TWO_FEE,
    REPORT_TWO_ITEMS,
    REPORT_TWO_STATED,
    VOCABULARIES,
    CleanupRecord,
    Column,
    Decision,
    DisclosureItem,
    HistoryEvent,
    Regulation,
    ReportData,
)
from regbook.problems import Problem

REGULATIONS_DIR = "regulations"
CLEANUP_DIR = "docs/cleanup"
DISCLOSURE_DIR = "docs/disclosure"

_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Text:
    """Markdown that gets published: a content file's body or a hand-written page.

    ``uri`` is where MkDocs sees it (relative to ``docs/``: regulations become
    ``regulations/<id>.md``); ``path`` is the file, relative to the project folder, and
    ``line`` the file line of the text's first line.
    """

    path: str
    uri: str
    body: str
    line: int


@dataclass
class Corpus:
    """All content of one project, as the model sees it."""

    root: Path
    regulations: list[Regulation] = field(default_factory=list)
    cleanups: list[CleanupRecord] = field(default_factory=list)
    disclosures: list[DisclosureItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    """Every published Markdown text (bodies and hand-written pages), for links and safety."""
    files: list[str] = field(default_factory=list)
    """Every regular file below ``regulations/`` and ``docs/`` (project-relative), for name rules."""
    unloaded: set[str] = field(default_factory=set)
    """Ids (and file names) of content files that could not be loaded: rules that look a
    document up by id stay quiet about these, so one mistake is reported once."""
    outline: Outline = field(default_factory=Outline)
    """The compendium's order (``regulations/汇编目录.yml``, ``regbook.outline``): catalog and book."""

    def regulation(self, id_: str) -> Regulation | None:
        return self.by_id.get(id_)

    @cached_property
    def by_id(self) -> dict[str, Regulation]:
        """Regulations by id (the first of duplicates; duplicates are a rule's problem)."""
        out: dict[str, Regulation] = {}
        for r in self.regulations:
            out.setdefault(r.id, r)
        return out

    @cached_property
    def duplicate_ids(self) -> set[str]:
        """Ids used by more than one regulation: lookups by these ids are ambiguous."""
        seen: set[str] = set()
        return {r.id for r in self.regulations if r.id in seen or seen.add(r.id)}  # type: ignore[func-returns-value]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def cleanup(self, id_: str) -> CleanupRecord | None:
        return next((c for c in self.cleanups if c.id == id_), None)

    @cached_property
    def cleanup_history(self) -> dict[str, Rulings]:
        """Per document id, the cleanup decisions on it in date order (``regbook.cleanup_history``)."""
        return rulings_by_document(self.cleanups)


def parse_date(value: Any) -> dt.date | None:
    """A calendar date from YAML: a date, ``YYYY-MM-DD`` or ``YYYY年M月D日`` (full-width digits too)."""
    return date_or_reason(value)[0]


def date_or_reason(value: Any) -> tuple[dt.date | None, str]:
    """A calendar date, or ``None`` and why not (in the words an editor needs)."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if not isinstance(value, str):
        return None, "不是日期"
    text = unicodedata.normalize("NFKC", value).strip()
    m = _ISO_DATE.match(text) or _CN_DATE.match(text)
    if not m:
        return None, "不是日期格式"
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    if not 1 <= month <= 12:
        return None, f"没有 {month} 月"
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        return None, f"{year} 年 {month} 月没有 {day} 日"


# Words editors use for a vocabulary value, mapped to the value the model uses.
_NEAR_MISSES: dict[str, str] = {
    "有效": "现行有效",
    "继续有效": "现行有效",
    "废止": "已废止",
    "失效": "已失效",
    "宣布失效": "已失效",
    "修改": "已修改",
    "未生效": "尚未生效",
    "部门规章": "规章",
    "政府规章": "规章",
    "地方政府规章": "规章",
    "规范性文件": "行政规范性文件",
    "法规": "行政法规",
    "确认继续执行": "保留",
    "宣布废止": "废止",
    "拟修改": "修改",
}


class _Reader:
    """Converts a ``Document``'s data to typed values by a field table, collecting problems.

    Unknown keys are errors but do not drop the document (so that other rules still see it);
    a missing required field or a value of the wrong type does.
    """

    def __init__(self, doc: Document, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    def error(self, key: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem.error(self.doc.path, self.doc.line(*key), message))

    def fields(
        self, data: Any, table: dict[str, tuple[str, str, bool]], where: tuple[str | int, ...] = (), what: str = ""
    ) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.error(where, f"{what or '元数据'}应为“字段: 值”的形式，实际为 {_shown(data)}")
            return None
        out: dict[str, Any] = {}
        ok = True
        in_what = f"（{what}）" if what else ""
        for key in data:
            if key not in table:
                close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.5)
                guess = f"是不是“{close[0]}”？" if close else ""
                self.error((*where, key), f"未知字段“{key}”{in_what}：{guess}允许的字段为 {'、'.join(table)}")
        for key, (attr, kind, required) in table.items():
            value = data.get(key)
            if value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}:
                if required:
                    line_key = (*where, key) if key in data else where
                    found = "是空的" if key in data else "没有填写"
                    self.error(line_key, f"缺少必填字段“{key}”{in_what}：{found}，请填写{_EXAMPLES.get(key, '')}")
                    ok = False
                continue
            converted = self.convert((*where, key), key, kind, value)
            if converted is None:
                ok = False
            else:
                out[attr] = converted
        return out if ok else None

    def convert(self, where: tuple[str | int, ...], key: str, kind: str, value: Any) -> Any:
        if kind == "str":
            if isinstance(value, (dict, list)):
                self.error(where, f"“{key}”应为一行文字，实际为 {_shown(value)}")
                return None
            if isinstance(value, (bool, dt.date, int, float)):
                self.error(
                    where,
                    f"“{key}”应为文字，实际被 YAML 读成了 {_shown(value)}：请给值加引号，如 {key}: \"…\"",
                )
                return None
            return str(value).strip()
        if kind == "id":
            if isinstance(value, str) and invisible.hidden_characters(value):
                self.error(
                    where,
                    f"id“{invisible.shown(value)}”含有看不见的字符：{invisible.describe(value)}。请删去该字符："
                    "id 只由小写字母、数字和连字符组成",
                )
                return None
            if not isinstance(value, str) or not ID_RE.fullmatch(value):
                self.error(
                    where,
                    f"id 应由小写字母、数字和连字符组成（如 renmin-fangkong-fa），实际为 {_shown(value)}",
                )
                return None
            return value
        if kind == "date":
            date, why = date_or_reason(value)
            if date is None:
                self.error(
                    where,
                    f"“{key}”不是有效日期：实际为 {_shown(value)}（{why}）；应写作 YYYY-MM-DD，如 2023-05-06",
                )
            return date
        if kind in VOCABULARIES:
            enum: type[Enum] = VOCABULARIES[kind]
            text = unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else None
            for member in enum:
                if member.value == text:
                    return member
            allowed = "、".join(m.value for m in enum)
            near = _NEAR_MISSES.get(text or "")
            guess = f"是不是“{near}”？" if near and near in {m.value for m in enum} else ""
            self.error(where, f"“{key}”的值 {_shown(value)} 不在允许范围内：{guess}应为 {allowed} 之一")
            return None
        if kind == "history":
            return self.items(where, key, value, HISTORY_FIELDS, lambda d, line: HistoryEvent(**d))
        if kind == "decisions":
            return self.items(
                where, key, value, DECISION_FIELDS, lambda d, line: Decision(reason=d.pop("reason", ""), line=line, **d)
            )
        raise AssertionError(kind)

    def items(
        self,
        where: tuple[str | int, ...],
        key: str,
        value: Any,
        table: dict[str, tuple[str, str, bool]],
        make: Callable[[dict[str, Any], int], Any],
    ) -> list[Any] | None:
        if not isinstance(value, list):
            self.error(where, f"“{key}”应为列表（每项以“- ”开头），实际为 {_shown(value)}")
            return None
        out, ok = [], True
        for i, item in enumerate(value):
            converted = self.fields(item, table, (*where, i), f"“{key}”第 {i + 1} 项")
            if converted is None:
                ok = False
            else:
                out.append(make(converted, self.doc.line(*where, i)))
        return out if ok else None


_EXAMPLES: dict[str, str] = {
    "id": "，如 id: renmin-fangkong-fa（小写字母、数字、连字符，与文件名一致）",
    "标题": "文件的完整名称",
    "制定机关": "，如 制定机关: 吉林省国防动员办公室",
    "效力位阶": "：法律、行政法规、地方性法规、规章、行政规范性文件、其他规范性文件之一",
    "时效性": "：现行有效、已修改、已废止、已失效、尚未生效之一",
    "公布日期": "，如 公布日期: 2023-05-06",
    "公告日期": "，如 公告日期: 2023-11-24",
    "发布日期": "，如 发布日期: 2023-05-06",
    "报送备案机关": "，如 报送备案机关: 吉林省司法厅",
    "决定": "：每个文件一项，含“文件”（id）和“结果”",
    "文件": "被清理文件的 id",
    "结果": "：保留、修改、废止、宣布失效之一",
    "索引号": "，如 索引号: 11220000MB1949XXXX/2023-00001",
    "栏目": "：政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报之一",
    "发布机构": "，如 发布机构: 吉林省国防动员办公室",
    "日期": "，如 日期: 2023-05-06",
    "事件": "，如 事件: 通过",
}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return f"{str(value).lower()}（YAML 的真假值）"
    if isinstance(value, dt.date):
        return f"日期 {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "一组字段"
    return "空值"


def _line_map(doc: Document) -> dict[str, int]:
    return {str(k[0]): line for k, line in doc.lines.items() if len(k) == 1}


def regulation_from(doc: Document, problems: list[Problem]) -> Regulation | None:
    values = _Reader(doc, problems).fields(doc.data, REGULATION_FIELDS)
    if values is None:
        return None
    return Regulation(path=doc.path, body=doc.body, body_line=doc.body_line, lines=_line_map(doc), **values)


def cleanup_from(doc: Document, src_uri: str, problems: list[Problem]) -> CleanupRecord | None:
    values = _Reader(doc, problems).fields(doc.data, CLEANUP_FIELDS)
    if values is None:
        return None
    values.setdefault("filed_on", None)
    return CleanupRecord(path=doc.path, src_uri=src_uri, body=doc.body, lines=_line_map(doc), **values)


def disclosure_from(doc: Document, src_uri: str, problems: list[Problem]) -> DisclosureItem | None:
    data = {k: v for k, v in doc.data.items() if k not in REPORT_KEYS} if isinstance(doc.data, dict) else doc.data
    values = _Reader(doc, problems).fields(data, DISCLOSURE_FIELDS)
    if values is None:
        return None
    report = _report_from(doc, values["column"], problems)
    return DisclosureItem(
        path=doc.path, src_uri=src_uri, body=doc.body, body_line=doc.body_line, lines=_line_map(doc), report=report, **values
    )


# --- a 年报's tables in its front matter (model.REPORT_*) ----------------------------------------

_REPORT_HINT = {
    "表二": "表二: {行政许可: 0, 行政处罚: 0, 行政强制: 0, 行政事业性收费: 0}（每项一行）",
    "表三": "表三: {一、本年新收政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0], ……}（每行一项，7 个数）",
    "表四": "表四: {行政复议: [0, 0, 0, 0, 0], 未经复议直接起诉: [0, 0, 0, 0, 0], 复议后起诉: [0, 0, 0, 0, 0]}（每项一行）",
}


def _label_key(text: str) -> str:
    """A row label compared loosely: NFKC (full-/half-width brackets, colons, dots alike), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _row_label(written: str, labels: tuple[str, ...]) -> str | None:
    """The format's label an editor's row key stands for: the same label, or the start of exactly one."""
    key = _label_key(written)
    exact = [label for label in labels if _label_key(label) == key]
    if exact:
        return exact[0]
    starts = [label for label in labels if len(key) >= 4 and _label_key(label).startswith(key)]
    return starts[0] if len(starts) == 1 else None


def _report_from(doc: Document, column: Column, problems: list[Problem]) -> ReportData | None:
    """The 年报 tables of a disclosure item's front matter; every mistake an error on its line."""
    written = [key for key in REPORT_KEYS if key in doc.data]
    if not written:
        return None
    if column is not Column.ANNUAL_REPORT:
        for key in written:
            problems.append(
                Problem.error(doc.path, doc.line(key), f"“{key}”只能写在政府信息公开年报中（栏目: 政府信息公开年报）：请删去这一项")
            )
        return None
    report = ReportData(tables=frozenset(written))
    report.lines.update({(key, ""): doc.line(key) for key in written})
    for key in written:
        value = doc.data[key]
        if not isinstance(value, dict):
            problems.append(
                Problem.error(
                    doc.path, doc.line(key), f"“{key}”应为一组“行名: 数字”，实际为 {_shown(value)}：应写作 {_REPORT_HINT[key]}"
                )
            )
            continue
        for row, cells in value.items():
            line = doc.line(key, row)
            report.lines[(key, str(row))] = line
            _report_row(doc.path, line, key, str(row), cells, report, problems)
    return report


def _report_row(
    path: str, line: int, table: str, row: str, cells: Any, report: ReportData, problems: list[Problem]
) -> None:
    """One row of 表二/三/四 into ``report`` (by the format's label), or an error naming what to write."""
    if table == "表二":
        labels: tuple[str, ...] = (*REPORT_TWO_ITEMS, *REPORT_TWO_STATED)
    else:
        labels = REPORT_THREE_ROWS if table == "表三" else REPORT_FOUR_GROUPS
    label = _row_label(row, labels)
    if label is None:
        if _label_key(row).startswith(_label_key("三、本年度办理结果")):
            hint = "“三、本年度办理结果”只是标题，不填数字，请删去这一行；办理结果写在“（一）予以公开”……“（七）总计”各行"
        else:
            close = difflib.get_close_matches(row, labels, n=1, cutoff=0.4)
            guess = f"是不是“{close[0]}”？" if close else ""
            allowed = "（各行行名见编辑指南第八部分）" if table == "表三" else f"，可以写 {'、'.join(labels)}"
            hint = f"{guess}行名照抄国办公开办函〔2021〕30号的格式{allowed}"
        problems.append(Problem.error(path, line, f"{table}中没有“{row}”一行：{hint}"))
        return
    report.lines[(table, label)] = line
    if table == "表二" and label in REPORT_TWO_ITEMS:
        report.two[label] = _report_number(path, line, f"{table}“{label}”", cells, problems, amount=label == REPORT_TWO_FEE)
        return
    columns = REPORT_TWO_COLUMNS if table == "表二" else REPORT_THREE_COLUMNS if table == "表三" else REPORT_FOUR_COLUMNS
    if not isinstance(cells, list) or len(cells) != len(columns):
        got = f" {len(cells)} 个数" if isinstance(cells, list) else _shown(cells)
        problems.append(
            Problem.error(
                path,
                line,
                f"{table}“{label}”一行应为 {len(columns)} 个数，依次为{'、'.join(columns)}，实际为{got}："
                f"写作 {label}: [{', '.join('0' * len(columns))}]",
            )
        )
        return
    values = tuple(
        _report_count(path, line, f"{table}“{label}”一行“{name}”列", cell, problems) for name, cell in zip(columns, cells)
    )
    {"表二": report.stated, "表三": report.three, "表四": report.four}[table][label] = values


def _report_count(path: str, line: int, what: str, value: Any, problems: list[Problem]) -> int | None:
    """A count: a whole number ≥ 0 (else an error and ``None``)."""
    number = _report_number(path, line, what, value, problems)
    return number if isinstance(number, int) else None


def _report_number(
    path: str, line: int, what: str, value: Any, problems: list[Problem], amount: bool = False
) -> int | float | None:
    """A count (a whole number ≥ 0) or, with ``amount``, an amount in 万元 (≥ 0, decimals allowed)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if amount and isinstance(value, float) and value >= 0:
        return value
    shown = "空" if value is None or value == "" else _shown(value)
    need = "金额（万元，可以有小数）" if amount else "件数（0 或正整数）"
    problems.append(
        Problem.error(path, line, f"{what}应为{need}，实际为{shown}：请填写数字，不加引号和单位，没有的填 0（国办公开办函〔2021〕30号）")
    )
    return None


@dataclass
class _Scan:
    """A content folder walked without following links: regular files, and the entries refused."""

    files: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def _link_message(root: Path, path: Path) -> str:
    """Why a symlink in the content is refused, naming where it points."""
    rel = path.relative_to(root).as_posix()
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    what = "文件夹" if path.is_dir() else "文件"
    return (
        f"“{rel}”是符号链接（指向 {target}），不会读取，也不会发布：内容中不能有链接（{what}的链接可能把本机的其他文件"
        f"发布出去）。请删去这个链接，放入{what}本身"
    )


def _scan(root: Path, folder: str) -> _Scan:
    """Every entry below ``root/folder``, never through a symlink: links and special files are refused."""
    found = _Scan()
    base = root / folder
    if base.is_symlink():
        found.refused.append((base, _link_message(root, base)))
        return found
    if not base.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                found.refused.append((here / name, _link_message(root, here / name)))
                dirnames.remove(name)
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found.refused.append((path, _link_message(root, path)))
            elif stat.S_ISREG(mode):
                found.files.append(path)
            else:
                found.refused.append(
                    (path, f"“{path.relative_to(root).as_posix()}”不是普通文件（可能是管道或设备），不会读取：请删去")
                )
    return found


def _content_files(scan: _Scan) -> list[Path]:
    return [p for p in scan.files if p.suffix == ".md"]


def _stray_files(root: Path, scan: _Scan) -> list[Path]:
    """Files in ``regulations/`` that are not Markdown (hidden files aside): they would be ignored."""
    base = root / REGULATIONS_DIR
    outline = root / OUTLINE_PATH
    return [
        p
        for p in scan.files
        if p.suffix != ".md" and p != outline and not any(part.startswith(".") for part in p.relative_to(base).parts)
    ]


def _read_bytes(root: Path, path: Path, problems: list[Problem]) -> tuple[str, bytes] | None:
    """A file's project-relative path and bytes, never through a symlink; an unreadable file is a problem."""
    rel = path.relative_to(root).as_posix()
    try:
        return rel, read_regular(path)
    except OSError as exc:
        problems.append(Problem.error(rel, 1, f"无法读取文件：{exc.strerror or exc}"))
        return None


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file, refusing (``OSError``) a symlink in the last component or a
    special file: content is never read through a link (``O_NOFOLLOW``), whatever was checked before."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(0, "不是普通文件")
        return fh.read()


THEME_OVERRIDES = "overrides"
"""The theme's ``custom_dir`` (mkdocs.yml): theme changes are code, reviewed as code, never content."""
THEME_PACKAGES = ("material", "mkdocs")
"""Packages whose ``templates/`` folder the theme serves files from (mkdocs-material, MkDocs)."""
GENERATED_FOLDERS = ("regulations/", "catalog/", "print_page/", "guide/", "search/", "assets/", "downloads/", "data/")
"""Site folders the build writes itself (regulation pages, catalogs, print pages, the guide,
search index, theme assets, PDF downloads, the open-data page): no file of ``docs/`` may land in them."""
GENERATED_FILES = ("print_page.md", "guide.md")


@dataclass(frozen=True)
class Attachment:
    """A kind of file ``docs/`` may publish besides Markdown, recognised by its content."""

    what: str
    """What editors call it, in messages."""
    extensions: tuple[str, ...]
    is_it: Callable[[bytes, Path], bool]
    """Whether a file's first bytes (and the file, for zip containers) are this kind."""


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The compound-file header of Word 97–2003, Excel 97–2003 and WPS 表格 files."""


def _zip_with(member: Callable[[str], bool]) -> Callable[[bytes, Path], bool]:
    """A zip container (``PK``) holding a member the predicate accepts (OOXML parts, OFD.xml)."""

    def is_it(head: bytes, path: Path) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as fh, zipfile.ZipFile(fh) as archive:
                return any(member(name) for name in archive.namelist())
        except (OSError, zipfile.BadZipFile):
            return False

    return is_it


ATTACHMENTS: tuple[Attachment, ...] = (
    Attachment("PNG 图片", (".png",), lambda head, _: head.startswith(b"\x89PNG\r\n\x1a\n")),
    Attachment("JPEG 图片", (".jpg", ".jpeg"), lambda head, _: head.startswith(b"\xff\xd8\xff")),
    Attachment("GIF 图片", (".gif",), lambda head, _: head[:6] in (b"GIF87a", b"GIF89a")),
    Attachment("WebP 图片", (".webp",), lambda head, _: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    Attachment("PDF 文件", (".pdf",), lambda head, _: head.startswith(b"%PDF-")),
    Attachment("Word 文档", (".doc",), lambda head, _: head.startswith(_OLE)),
    Attachment("Word 文档", (".docx",), _zip_with(lambda name: name.startswith("word/"))),
    Attachment("Excel 表格", (".xls",), lambda head, _: head.startswith(_OLE)),
    Attachment("Excel 表格", (".xlsx",), _zip_with(lambda name: name.startswith("xl/"))),
    Attachment("WPS 表格", (".et",), lambda head, _: head.startswith(_OLE)),
    Attachment("OFD 版式文件", (".ofd",), _zip_with(lambda name: name == "OFD.xml")),
)
"""What ``docs/`` publishes besides Markdown, checked by content (a ``.png`` that is HTML is
refused). Images that cannot carry script only: SVG is XML that may hold ``<script>``. PDF, Word,
spreadsheets and OFD (GB/T 33190, the format of many government documents) are downloads.
A small signature table, not a library: ``filetype`` (PyPI) knows no .et or .ofd and recognises
.doc/.xls by fixed offsets that real files do not always have."""
ALLOWED_HINT = (
    "docs/ 只能放 Markdown 页面（.md）和这些附件：PNG、JPEG、GIF、WebP 图片，PDF 文件，Word 文档（.doc、.docx），"
    "表格（.xls、.xlsx、.et），OFD 版式文件（.ofd）"
)
_EXTENSION_HINTS = {
    ".svg": "SVG 图片可能带有脚本，请另存为 PNG 图片",
    ".html": "网页代码属于网站主题，由开发人员放在 overrides/ 中",
    ".htm": "网页代码属于网站主题，由开发人员放在 overrides/ 中",
    ".js": "脚本属于网站主题，由开发人员放在 overrides/ 中",
    ".css": "样式属于网站主题，由开发人员放在 overrides/ 中",
    ".markdown": "Markdown 页面请用 .md 扩展名",
    ".wps": "请另存为 .docx 或 PDF",
}


def _sniffed(head: bytes, path: Path) -> str:
    """What a file's content looks like, in words, for a message."""
    for kind in ATTACHMENTS:
        if kind.is_it(head, path):
            return kind.what
    if head.startswith(b"PK\x03\x04"):
        return "zip 压缩包"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<", b"<!")) or b"<script" in text or b"<svg" in text or b"<html" in text:
        return "HTML 或 XML 文本"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "无法识别的格式"
    return "文字"


def theme_dirs(root: Path) -> list[Path]:
    """The folders the theme serves files from: ``overrides/`` and the theme packages' templates
    (found without importing them: the domain does not import MkDocs)."""
    dirs = [root / THEME_OVERRIDES]
    for package in THEME_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            dirs.append(Path(next(iter(spec.submodule_search_locations))) / "templates")
    return dirs


@lru_cache(maxsize=65536)  # open data, catalogs and checks ask for every page on each build and preview rebuild
def site_path(src_uri: str) -> str:
    """Where a ``docs/`` file lands in the site (``use_directory_urls``): ``a/b.md`` → ``a/b/index.html``,
    ``a/index.md`` and ``a/README.md`` → ``a/index.html``; other files where they are."""
    path = PurePosixPath(src_uri)
    if path.suffix != ".md":
        return src_uri
    folder = "" if path.parent == PurePosixPath(".") else f"{path.parent}/"
    return f"{folder}index.html" if path.stem in ("index", "README") else f"{folder}{path.stem}/index.html"


def reserved_reason(src_uri: str, themes: list[Path]) -> str | None:
    """Why a ``docs/`` path would clash with a file of the theme or of the build (``None``: it would not)."""
    dest = site_path(src_uri)
    for theme in themes:
        if os.path.lexists(theme / src_uri):
            return f"与主题中的同名文件 {src_uri} 冲突"
    if src_uri in GENERATED_FILES or any(p.startswith(GENERATED_FOLDERS) for p in (src_uri, dest)):
        folder = next((f for f in GENERATED_FOLDERS if dest.startswith(f) or src_uri.startswith(f)), src_uri)
        return f"与构建程序生成的网站文件夹 {folder} 冲突"
    return None


RESERVED_FIX = (
    "docs/ 中的文件不能替换主题或构建程序生成的文件：主题的修改由开发人员放在 overrides/ 中，"
    "附件请放在别的文件夹（如 docs/files/）"
)


def attachment_refusal(path: Path, src_uri: str) -> str | None:
    """Why a regular non-Markdown ``docs/`` file may not be published (``None``: an allowed attachment)."""
    suffix = PurePosixPath(src_uri).suffix.lower()
    kind = next((k for k in ATTACHMENTS if suffix in k.extensions), None)
    if kind is None:
        hint = _EXTENSION_HINTS.get(suffix, "")
        named = f"“{suffix}”文件" if suffix else "没有扩展名的文件"
        return f"不能发布{named}：{ALLOWED_HINT}" + (f"；{hint}" if hint else "")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        return f"无法读取文件：{exc.strerror or exc}"
    if kind.is_it(head, path):
        return None
    return (
        f"扩展名是 {suffix}，内容却不是 {kind.what}（实际内容：{_sniffed(head, path)}）。附件按内容检查："
        "请放入原始文件，不要只改扩展名"
    )


def publish_refusal(docs: Path, src_uri: str, themes: list[Path]) -> str | None:
    """Why ``docs/<src_uri>`` must not be published, or ``None``: the MkDocs plugin's own check, so
    that nothing refused is published even if the checker was skipped. Refused: a symlink anywhere
    on the path, anything but a regular file, a path of the theme (``themes``: its folders) or of
    the build, a file that is neither Markdown nor an allowed attachment by content."""
    path = docs
    for part in PurePosixPath(src_uri).parts:
        path = path / part
        if path.is_symlink():
            return _link_message(docs.parent, path)
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return "不是普通文件"
    except OSError as exc:
        return f"无法读取文件：{exc.strerror or exc}"
    reason = reserved_reason(src_uri, themes)
    if reason:
        return f"{reason}。{RESERVED_FIX}"
    if src_uri.endswith(".md"):
        return None
    return attachment_refusal(path, src_uri)


def linked_folders(folder: Path) -> list[Path]:
    """Symlinks to folders in ``folder`` (itself included), found without following any: MkDocs
    walks ``docs/`` following them, so the plugin refuses to build before it does."""
    if folder.is_symlink():
        return [folder]
    found: list[Path] = []
    for dirpath, dirnames, _ in os.walk(folder):
        for name in list(dirnames):
            if (Path(dirpath) / name).is_symlink():
                found.append(Path(dirpath) / name)
                dirnames.remove(name)
    return sorted(found)


PAGE_FILES = ("CONTRIBUTING.md",)
"""Project files published as pages (the plugin publishes CONTRIBUTING.md as guide.md)."""


def _hidden(rel: PurePosixPath) -> bool:
    """A path MkDocs leaves out (a part starting with a dot): not published, not checked as a file."""
    return any(part.startswith(".") for part in rel.parts)


def _refused(root: Path, scans: list[_Scan], problems: list[Problem]) -> None:
    """Symlinks and special files anywhere in the content, and a symlinked page file: line 1 errors."""
    for scan in scans:
        for path, message in scan.refused:
            problems.append(Problem.error(path.relative_to(root).as_posix(), 1, message))
    for name in PAGE_FILES:
        if (root / name).is_symlink():
            problems.append(Problem.error(name, 1, _link_message(root, root / name)))


def _docs_files(root: Path, scan: _Scan, problems: list[Problem]) -> None:
    """Every published ``docs/`` file: not replacing a theme or build file, Markdown or an allowed
    attachment by content, and no two at one address."""
    docs, themes = root / "docs", theme_dirs(root)
    at: dict[str, str] = {}
    for path in sorted(scan.files, key=lambda p: (p.parent, p.name != "index.md", p.name)):  # index.md wins
        src = PurePosixPath(path.relative_to(docs).as_posix())
        if _hidden(src):
            continue
        rel, src_uri = path.relative_to(root).as_posix(), src.as_posix()
        reason = reserved_reason(src_uri, themes)
        if reason:
            problems.append(
                Problem.error(rel, 1, f"{rel} {reason}。{RESERVED_FIX}")
            )
            continue
        if path.suffix != ".md" and (why := attachment_refusal(path, src_uri)):
            problems.append(Problem.error(rel, 1, f"{rel}：{why}"))
            continue
        dest = site_path(src_uri)
        if (first := at.setdefault(dest, rel)) != rel:
            url = dest.removesuffix("index.html")
            problems.append(
                Problem.error(rel, 1, f"{rel} 与 {first} 发布到同一个网址 {url or '（首页）'}：只能保留一个，请给本文件改名")
            )


def load(root: Path | str, cache: LoadCache | None = None) -> Corpus:
    """Load every content file below ``root``; bad files become problems, never exceptions.

    Nothing is read through a symlink: links (to files or folders) and special files in
    ``regulations/``, ``docs/`` and ``CONTRIBUTING.md`` are errors, and their targets stay unread.
    ``cache``: the parsed files of earlier loads (``LoadCache``, kept by the preview between
    rebuilds): every file is still read, only those whose bytes changed are parsed again."""
    root = Path(root).resolve()
    corpus = Corpus(root)
    problems = corpus.problems
    regulations, docs = _scan(root, REGULATIONS_DIR), _scan(root, "docs")
    _refused(root, [regulations, docs], problems)
    _docs_files(root, docs, problems)
    corpus.files = sorted(p.relative_to(root).as_posix() for p in regulations.files + docs.files)
    for path in _stray_files(root, regulations):
        problems.append(
            Problem.warning(
                path.relative_to(root).as_posix(),
                1,
                f"“{path.name}”不是 .md 文件，不会发布：法规应保存为 UTF-8 编码的 .md 文件（Word 文档请用 regbook import 导入）",
            )
        )
    if (root / OUTLINE_PATH) in regulations.files and (read := _read_bytes(root, root / OUTLINE_PATH, problems)):
        text, found = frontmatter.decode(*read)
        problems.extend(found)
        if text is not None:
            corpus.outline, found = parse_outline(text)
            problems.extend(found)
    cache = cache if cache is not None else LoadCache()
    for path in _content_files(regulations):
        _add(corpus, cache.parsed(root, path, _parse_regulation, problems))
    for path in _content_files(docs):
        rel = path.relative_to(root).as_posix()
        folder = next((f for f in (CLEANUP_DIR, DISCLOSURE_DIR) if rel.startswith(f + "/")), None)
        parse = _parse_page if folder is None or path.name == "index.md" else _parse_record
        _add(corpus, cache.parsed(root, path, parse, problems))
    for name in PAGE_FILES:
        page = root / name
        if not page.is_symlink() and page.is_file():
            _add(corpus, cache.parsed(root, page, _parse_page, problems))
    cache.forget_unseen()
    corpus.regulations.sort(key=lambda r: (r.level.rank, r.sort_date, r.id))
    corpus.cleanups.sort(key=lambda c: (c.announced, c.id))
    corpus.disclosures.sort(key=lambda d: (d.column.value, d.published, d.index_no))
    corpus.texts.sort(key=lambda t: t.path)
    return corpus


def _page_body(text: str) -> tuple[str, int]:
    """A hand-written page without its (MkDocs) front matter, and the file line it starts on."""
    lines = text.split("\n")
    if lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is not None:
            return "\n".join(lines[end + 1 :]), end + 2
    return text, 1


# --- parsing one file, and the preview's cache of parsed files ----------------------------------


@dataclass(frozen=True)
class _Parsed:
    """What one content file contributes to the corpus: decided by its path and bytes alone."""

    problems: tuple[Problem, ...] = ()
    document: Regulation | CleanupRecord | DisclosureItem | None = None
    text: Text | None = None
    unloaded: tuple[str, ...] = ()


def _unloaded(rel: str, doc: Document | None) -> tuple[str, ...]:
    """The names a file that could not be loaded is remembered by (``Corpus.unloaded``)."""
    names = [PurePosixPath(rel).stem]
    if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
        names.append(doc.data["id"])
    return tuple(names)


def _parse_regulation(rel: str, data: bytes) -> _Parsed:
    """A file in ``regulations/``: one regulation."""
    doc, problems = frontmatter.read(rel, data)
    reg = regulation_from(doc, problems) if doc else None
    if reg is None:
        return _Parsed(tuple(problems), unloaded=_unloaded(rel, doc))
    return _Parsed(tuple(problems), reg, Text(reg.path, reg.src_uri, reg.body, reg.body_line))


def _parse_record(rel: str, data: bytes) -> _Parsed:
    """A file in ``docs/cleanup/`` or ``docs/disclosure/`` (not ``index.md``): a record or an item."""
    doc, problems = frontmatter.read(rel, data)
    src_uri = rel.removeprefix("docs/")
    item: CleanupRecord | DisclosureItem | None = None
    if doc is not None:
        item = (cleanup_from if rel.startswith(CLEANUP_DIR + "/") else disclosure_from)(doc, src_uri, problems)
    if doc is None or item is None:
        return _Parsed(tuple(problems), unloaded=_unloaded(rel, doc))
    return _Parsed(tuple(problems), item, Text(rel, src_uri, doc.body, doc.body_line))


def _parse_page(rel: str, data: bytes) -> _Parsed:
    """A hand-written page (``docs/``, or a ``PAGE_FILES`` file published as ``guide.md``): its
    decoded text (its front matter, if any, is MkDocs' business)."""
    text, problems = frontmatter.decode(rel, data)
    if text is None:
        return _Parsed(tuple(problems))
    uri = "guide.md" if rel in PAGE_FILES else rel.removeprefix("docs/")
    return _Parsed(tuple(problems), text=Text(rel, uri, *_page_body(text)))


def _add(corpus: Corpus, parsed: _Parsed | None) -> None:
    """One parsed file into the corpus (``None``: it could not be read, the problem is noted)."""
    if parsed is None:
        return
    corpus.problems.extend(parsed.problems)
    corpus.unloaded.update(parsed.unloaded)
    doc = parsed.document
    if isinstance(doc, Regulation):
        corpus.regulations.append(doc)
    elif isinstance(doc, CleanupRecord):
        corpus.cleanups.append(doc)
    elif isinstance(doc, DisclosureItem):
        corpus.disclosures.append(doc)
    if parsed.text is not None:
        corpus.texts.append(parsed.text)


class LoadCache:
    """The parsed files of earlier ``load`` calls, by project-relative path: ``make serve`` keeps one
    between rebuilds, so that a rebuild parses again only the files that changed.

    An entry is reused only when the file's bytes are the same (read afresh every time and compared
    with those kept, byte for byte: cheaper than a digest of them, for some 40 MB more memory on a
    national corpus), never on its modification time or size: a file rewritten with the same size
    within one tick of the file system's clock is parsed again too. A file that is gone, renamed
    or unreadable is forgotten at the end of the load (``forget_unseen``); what a file
    contributes depends on its path and bytes only (``_Parsed``), never on the other files, which
    the rules look at on every check. The cached objects are shared between loads: nothing may
    change a loaded document."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, _Parsed]] = {}
        self._seen: set[str] = set()
        self.parsed_files = 0
        """Files parsed (not taken from the cache), in all."""

    def parsed(self, root: Path, path: Path, parse: Callable[[str, bytes], _Parsed], problems: list[Problem]) -> _Parsed | None:
        """What ``path`` contributes, parsed by ``parse`` unless its bytes are those of the entry
        kept for it; ``None`` (and a problem) when it cannot be read."""
        if (read := _read_bytes(root, path, problems)) is None:
            return None
        rel, data = read
        self._seen.add(rel)
        if (kept := self._entries.get(rel)) is not None and kept[0] == data:
            return kept[1]
        self.parsed_files += 1
        result = parse(rel, data)
        self._entries[rel] = (data, result)
        return result

    def forget_unseen(self) -> None:
        """Drop the entries of files the load just made did not read (deleted, renamed, unreadable)."""
        for rel in self._entries.keys() - self._seen:
            del self._entries[rel]
        self._seen = set()

    def __len__(self) -> int:
        return len(self._entries)


_METADATA_FIELDS = tuple(f.name for f in fields(Regulation) if f.name != "body")


def metadata_digest(corpus: Corpus, kept: dict[int, tuple[Regulation, bytes]] | None = None) -> bytes:
    """A digest of everything ``corpus`` holds except the regulations' bodies and the texts' bodies:
    every other field of every regulation, the cleanup records and disclosure items whole (bodies
    too), the outline, the file names, the texts' paths and addresses, and the unloaded ids. What is
    computed from these alone (the catalog pages, the open data and feeds; a regulation's page
    from these and its own fields: ``make serve`` keeps them between rebuilds) can be reused while
    the digest is the same: an edit of a regulation's body changes nothing of it, any other edit
    does. Built from ``repr``, which writes every field (strings quoted): two
    different values never give the same text; a set's order may differ, which only costs a
    recomputation. ``kept``: each regulation's part by the object it was written for, from the
    previous call (updated here): a document ``LoadCache`` hands out again, unchanged (nothing may
    change a loaded document), is not written out again."""
    digest = hashlib.blake2b(digest_size=32)
    parts: dict[int, tuple[Regulation, bytes]] = {}
    for reg in corpus.regulations:
        old = kept.get(id(reg)) if kept is not None else None
        part = old[1] if old is not None and old[0] is reg else repr(tuple(getattr(reg, name) for name in _METADATA_FIELDS)).encode()
        parts[id(reg)] = (reg, part)  # the object held: its id is not reused while kept
        digest.update(part)
        digest.update(b"\0")
    if kept is not None:
        kept.clear()
        kept.update(parts)
    texts = [(t.path, t.uri) for t in corpus.texts]
    for other in (corpus.cleanups, corpus.disclosures, corpus.outline, sorted(corpus.unloaded), corpus.files, texts):
        digest.update(repr(other).encode())
        digest.update(b"\0")
    return digest.digest()
