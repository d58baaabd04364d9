"""Loading a project's content into the model, once.

Layout of a project folder:

- ``regulations/**/*.md``: one regulation per file (sub-folders by 效力位阶);
- ``docs/cleanup/*.md``: one cleanup record per file (``index.md`` is a hand-written page);
- ``docs/disclosure/**/*.md``: disclosure items (``index.md`` files are hand-written pages).

``load`` never raises for bad content: it returns the corpus of everything that could be
read, and the problems of everything that could not.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from regbook import frontmatter
from regbook.frontmatter import Document
from regbook.model import (
    CLEANUP_FIELDS,
    DECISION_FIELDS,
    DISCLOSURE_FIELDS,
    HISTORY_FIELDS,
    ID_RE,
    REGULATION_FIELDS,
    VOCABULARIES,
    CleanupRecord,
    Decision,
    DisclosureItem,
    HistoryEvent,
    Regulation,
)
from regbook.problems import Problem

REGULATIONS_DIR = "regulations"
CLEANUP_DIR = "docs/cleanup"
DISCLOSURE_DIR = "docs/disclosure"

_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass
class Corpus:
    """All content of one project, as the model sees it."""

    root: Path
    regulations: list[Regulation] = field(default_factory=list)
    cleanups: list[CleanupRecord] = field(default_factory=list)
    disclosures: list[DisclosureItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def regulation(self, id_: str) -> Regulation | None:
        return self.by_id.get(id_)

    @cached_property
    def by_id(self) -> dict[str, Regulation]:
        """Regulations by id (the first of duplicates; duplicates are a rule's problem)."""
        out: dict[str, Regulation] = {}
        for r in self.regulations:
            out.setdefault(r.id, r)
        return out

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def cleanup(self, id_: str) -> CleanupRecord | None:
        return next((c for c in self.cleanups if c.id == id_), None)


def parse_date(value: Any) -> dt.date | None:
    """A calendar date from YAML: a date, ``YYYY-MM-DD`` or ``YYYY年M月D日`` (full-width digits too)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    m = _ISO_DATE.match(text) or _CN_DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


class _Reader:
    """Converts a ``Document``'s data to typed values by a field table, collecting problems."""

    def __init__(self, doc: Document, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    def error(self, key: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem.error(self.doc.path, self.doc.line(*key), message))

    def fields(
        self, data: Any, table: dict[str, tuple[str, str, bool]], where: tuple[str | int, ...] = (), what: str = ""
    ) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.error(where, f"{what}应为“字段: 值”的形式，实际为 {_shown(data)}")
            return None
        out: dict[str, Any] = {}
        ok = True
        for key, value in data.items():
            if key not in table:
                known = "、".join(table)
                self.error((*where, key), f"未知字段“{key}”{what and '（' + what + '）'}：允许的字段为 {known}")
                ok = False
        for key, (attr, kind, required) in table.items():
            value = data.get(key)
            if value is None or value == "" or value == []:
                if required:
                    self.error(where or (key,), f"缺少必填字段“{key}”{what and '（' + what + '）'}")
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
            if isinstance(value, (dict, list)) or isinstance(value, bool):
                self.error(where, f"“{key}”应为文字，实际为 {_shown(value)}")
                return None
            if isinstance(value, (dt.date, int, float)):
                self.error(where, f"“{key}”应为文字，实际被 YAML 读成了 {_shown(value)}：请加引号，如 {key}: \"{value}\"")
                return None
            return str(value).strip()
        if kind == "id":
            if not isinstance(value, str) or not ID_RE.match(value):
                self.error(where, f"id 应由小写字母、数字和连字符组成（如 renmin-fangkong-fa），实际为 {_shown(value)}")
                return None
            return value
        if kind == "date":
            date = parse_date(value)
            if date is None:
                self.error(where, f"“{key}”应为日期，写作 YYYY-MM-DD（如 2023-05-06），实际为 {_shown(value)}")
            return date
        if kind in VOCABULARIES:
            enum: type[Enum] = VOCABULARIES[kind]
            text = unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else None
            for member in enum:
                if member.value == text:
                    return member
            allowed = "、".join(m.value for m in enum)
            self.error(where, f"“{key}”的值 {_shown(value)} 不在允许范围内：应为 {allowed} 之一")
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
    values = _Reader(doc, problems).fields(doc.data, DISCLOSURE_FIELDS)
    if values is None:
        return None
    return DisclosureItem(path=doc.path, src_uri=src_uri, body=doc.body, lines=_line_map(doc), **values)


def _content_files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*.md") if p.is_file())


def read_document(root: Path, path: Path, problems: list[Problem]) -> Document | None:
    rel = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem.error(rel, 1, f"无法读取文件：{exc.strerror}"))
        return None
    doc, found = frontmatter.read(rel, raw)
    problems.extend(found)
    return doc


def load(root: Path | str) -> Corpus:
    """Load every content file below ``root``; bad files become problems, never exceptions."""
    root = Path(root).resolve()
    corpus = Corpus(root)
    problems = corpus.problems
    for path in _content_files(root, REGULATIONS_DIR):
        doc = read_document(root, path, problems)
        if doc and (reg := regulation_from(doc, problems)):
            corpus.regulations.append(reg)
    docs_dir = root / "docs"
    for folder, target in ((CLEANUP_DIR, corpus.cleanups), (DISCLOSURE_DIR, corpus.disclosures)):
        for path in _content_files(root, folder):
            if path.name == "index.md":
                continue
            doc = read_document(root, path, problems)
            if doc is None:
                continue
            src_uri = path.relative_to(docs_dir).as_posix()
            item = (cleanup_from if folder == CLEANUP_DIR else disclosure_from)(doc, src_uri, problems)
            if item is not None:
                target.append(item)  # type: ignore[arg-type]
    corpus.regulations.sort(key=lambda r: (r.level.rank, r.sort_date, r.id))
    corpus.cleanups.sort(key=lambda c: (c.announced, c.id))
    corpus.disclosures.sort(key=lambda d: (d.column.value, d.published, d.index_no))
    return corpus
