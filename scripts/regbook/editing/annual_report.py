"""The next 年报, drafted from the structure of the latest existing one, its figures 0.

The structure of a report (国办公开办函〔2021〕30号: six parts, the tables of parts 二, 三, 四) is
taken from the newest report in the content, whatever way it writes its tables (Markdown tables
in the body, or figures in the front matter with marker lines in the body), so a draft always
has the form the checker expects of the content at hand:

- the front matter: 索引号, 标题, 发布机构, 成文日期, 发布日期 new; every other key (the report's
  figures) kept with each number 0, except figures the checker computes from the catalog
  (表二's 规章 and 行政规范性文件 rows, when stated) which are left out;
- the body: headings, marker lines (``<!-- regbook:… -->``) and tables kept, each number cell 0;
  each paragraph of text becomes ``……`` for the editor to write; boxes (``!!!``) are dropped; the
  text before the first heading becomes the usual opening sentence with the report's year;
- carried over: when the latest report is the previous year's, its 四、结转下年度继续办理 row is the
  new report's 二、上年结转 (the checker compares them) and, to keep table 三 balanced, its 四 as
  well, until the editor fills in the year's figures.

Without any report in the content, ``templates.annual_report_body`` (the 30号 format as Markdown
tables) is used.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from regbook.editing import templates
from regbook.importer import writing
from regbook.model import DISCLOSURE_FIELDS

CARRIED_IN = "二、上年结转政府信息公开申请数量"
CARRIED_OUT = "四、结转下年度继续办理"
COMPUTED = ("规章", "行政规范性文件")
"""表二 rows the checker computes from the catalog: a draft does not state them."""
_NUMBER_CELL_RE = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


def _label(cell: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell)).replace("(", "（").replace(")", "）")


def _zero(value: Any) -> Any:
    """``value`` with every number 0 (in place for mappings and lists, so their style stays)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return 0
    if isinstance(value, (CommentedMap, dict)):
        for key in list(value):
            value[key] = _zero(value[key])
    elif isinstance(value, (CommentedSeq, list)):
        for i, item in enumerate(value):
            value[i] = _zero(item)
    return value


def _carry(node: CommentedMap, carried: list[Any]) -> None:
    """Set rows 二 and 四 of a front-matter 表三 to ``carried`` (in place, keeping the list style)."""
    for table in node.values():
        if isinstance(table, CommentedMap):
            for key in (CARRIED_IN, CARRIED_OUT):
                row = table.get(key)
                if isinstance(row, CommentedSeq) and len(row) == len(carried):
                    for i, value in enumerate(carried):
                        row[i] = value


def _carried_in_front(node: CommentedMap) -> list[Any] | None:
    for table in node.values():
        if isinstance(table, CommentedMap) and isinstance(row := table.get(CARRIED_OUT), CommentedSeq):
            return list(row)
    return None


def front(previous_front: list[str], fields: dict[str, Any], carry: bool) -> list[str]:
    """The new report's front matter lines from the previous report's (see the module docstring)."""

    def change(node: CommentedMap) -> None:
        carried = _carried_in_front(node) if carry else None
        for key in list(node):
            if key in DISCLOSURE_FIELDS:
                if key not in fields:
                    del node[key]
                continue
            if isinstance(node[key], CommentedMap):
                for row in COMPUTED:
                    node[key].pop(row, None)
            node[key] = _zero(node[key])
        for key, value in fields.items():
            if key in node:
                node[key] = value
            else:
                node.insert(list(DISCLOSURE_FIELDS).index(key), key, value)
        if carried is not None:
            _carry(node, carried)

    return writing.edit_front_with(previous_front, change)


def _table_line(line: str, carried: list[str] | None) -> str:
    cells = line.strip().strip("|").split("|")
    label = _label(cells[0]) if cells else ""
    numbers = [c for c in cells[1:] if _NUMBER_CELL_RE.match(c)]
    if carried is not None and label in (CARRIED_IN, CARRIED_OUT) and len(numbers) == len(carried):
        values = iter(carried)
        return "| " + " | ".join([cells[0].strip(), *(next(values) if _NUMBER_CELL_RE.match(c) else c.strip() for c in cells[1:])]) + " |"
    if not numbers:
        return line
    return "| " + " | ".join([cells[0].strip(), *("0" if _NUMBER_CELL_RE.match(c) else c.strip() for c in cells[1:])]) + " |"


def _carried_in_body(body: str) -> list[str] | None:
    for line in body.split("\n"):
        if line.lstrip().startswith("|"):
            cells = line.strip().strip("|").split("|")
            if cells and _label(cells[0]) == CARRIED_OUT:
                return [c.strip() for c in cells[1:] if _NUMBER_CELL_RE.match(c)]
    return None


def body(previous_body: str, year: int, carry: bool) -> str:
    """The new report's body from the previous report's (see the module docstring)."""
    carried = _carried_in_body(previous_body) if carry else None
    out: list[str] = []
    in_box = seen_heading = False
    for line in previous_body.split("\n"):
        stripped = line.strip()
        if in_box and (line.startswith((" ", "\t")) or not stripped):
            continue
        in_box = stripped.startswith("!!!")
        if in_box:
            continue
        if stripped.startswith("#"):
            seen_heading = True
            out += ["", line, ""]
        elif stripped.startswith("<!--") or stripped.startswith("|"):
            out.append(_table_line(line, carried) if stripped.startswith("|") else line)
        elif stripped and seen_heading:
            if next((x for x in reversed(out) if x), "") != "……":
                out += ["", "……"]
        elif not stripped:
            out.append("")
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return f"{templates.annual_report_opening(year)}\n\n{text}\n"
