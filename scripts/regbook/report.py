"""The 年报's tables, rendered from its front matter and the catalog: pure functions, like ``pages``.

A 年报 (栏目: 政府信息公开年报) says where each table goes with a marker line in its Markdown:

- ``<!-- regbook:nianbao-table-2 -->``: 表二 主动公开政府信息情况. 第二十条第（一）项 (规章 and
  行政规范性文件: 本年制发, 本年废止, 现行有效) is computed from the catalog as of 31 December of
  the report's year (``regbook.stats``); 第（五）（六）（八）项 come from the front matter's ``表二``;
- ``<!-- regbook:nianbao-table-3 -->``: 表三 收到和处理政府信息公开申请情况, from ``表三``, with the
  format's header and its 勾稽关系 note (第一项加第二项之和，等于第三项加第四项之和);
- ``<!-- regbook:nianbao-table-4 -->``: 表四 政府信息公开行政复议、行政诉讼情况, from ``表四``: one
  data row of 15 cells (行政复议 5, 行政诉讼 未经复议直接起诉 5, 复议后起诉 5).

The tables are HTML (the format merges header cells, which Markdown tables cannot); every value
goes through ``regbook.escape``. Rows of 表三 that a report leaves out show as 0.
"""

from __future__ import annotations

from typing import Callable

from regbook import escape, markup
from regbook.corpus import Corpus
from regbook.model import (
    REPORT_FOUR_COLUMNS,
    REPORT_FOUR_GROUPS,
    REPORT_THREE_COLUMNS,
    REPORT_THREE_ROWS,
    REPORT_TWO_ITEMS,
    DisclosureItem,
    ReportData,
)
from regbook.stats import TableTwo, table_two

TABLE_TWO = markup.NIANBAO_TABLES["表二"]
TABLE_THREE = markup.NIANBAO_TABLES["表三"]
TABLE_FOUR = markup.NIANBAO_TABLES["表四"]
MARKERS = markup.NIANBAO_TABLES
"""Each table's marker line (``markup.CONTENT_MARKERS``: only on 年报 pages, ``docs/disclosure/nianbao/``)."""
THREE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
"""Table 三's top-left header cell in 国办公开办函〔2021〕30号."""


def fills(corpus: Corpus, item: DisclosureItem, year: int | None) -> dict[str, Callable[[], str]]:
    """The marker fills of one 年报 page (``markup.fill_markers``); ``year``: the report's year."""
    report = item.report or ReportData()
    out: dict[str, Callable[[], str]] = {
        TABLE_THREE: lambda: table_three_html(report),
        TABLE_FOUR: lambda: table_four_html(report),
    }
    if year is not None:
        out[TABLE_TWO] = lambda: table_two_html(table_two(corpus, year), report)
    return out


def _cell(value: object, tag: str = "td", span: str = "") -> str:
    shown = "" if value is None else _number(value)
    return f"<{tag}{span}>{escape.html_text(shown)}</{tag}>"


def _number(value: object) -> str:
    """A figure as written: whole numbers plainly, amounts without a trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return escape.text(value)


def _th(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    span = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f"<th{span}>{escape.html_text(text)}</th>"


def _table(rows: list[str], head: int) -> str:
    """A ``<table>`` on consecutive lines (a blank line would end the Markdown HTML block)."""
    thead = "".join(f"<tr>{r}</tr>" for r in rows[:head])
    tbody = "".join(f"<tr>{r}</tr>" for r in rows[head:])
    head_html = f"<thead>{thead}</thead>\n" if thead else ""
    return f"<table>\n{head_html}<tbody>{tbody}</tbody>\n</table>"


def table_two_html(computed: TableTwo, report: ReportData) -> str:
    """表二: 第（一）项 from the catalog, 第（五）（六）（八）项 from the front matter."""
    rows = [
        _th("第二十条第（一）项", 4),
        _th("信息内容") + _th("本年制发件数") + _th("本年废止件数") + _th("现行有效件数"),
    ]
    for row in computed.rows:
        rows.append(_th(row.level.value) + "".join(_cell(n) for n in row.figures))
    by_item: dict[str, list[str]] = {}
    for name, (item, _column) in REPORT_TWO_ITEMS.items():
        by_item.setdefault(item, []).append(name)
    for item, names in by_item.items():
        column = REPORT_TWO_ITEMS[names[0]][1]
        rows.append(_th(item, 4))
        rows.append(_th("信息内容") + _th(column, 3))
        for name in names:
            rows.append(_th(name) + _cell(report.two.get(name), span=' colspan="3"'))
    return _table(rows, 0)


def _three_label_cells() -> list[str]:
    """The label cells of each of 表三's number rows: the format's three label columns, merged."""
    cells: list[str] = []
    groups: dict[str, int] = {}
    for label in REPORT_THREE_ROWS:
        if "：" in label:
            groups[label.split("：")[0]] = groups.get(label.split("：")[0], 0) + 1
    results = len(REPORT_THREE_ROWS) - 3  # （一）…（七）总计
    seen: set[str] = set()
    for i, label in enumerate(REPORT_THREE_ROWS):
        if i < 2 or i == len(REPORT_THREE_ROWS) - 1:
            cells.append(_th(label, 3))
            continue
        lead = _th("三、本年度办理结果", rowspan=results) if i == 2 else ""
        if "：" not in label:
            cells.append(lead + _th(label, 2))
            continue
        group, item = label.split("：", 1)
        first = "" if group in seen else _th(group, rowspan=groups[group])
        seen.add(group)
        cells.append(lead + first + _th(item))
    return cells


def table_three_html(report: ReportData) -> str:
    """表三 with the format's header (申请人情况, 法人或其他组织's five columns) and 勾稽关系 note."""
    corporate = REPORT_THREE_COLUMNS[1:-1]
    rows = [
        _th(THREE_NOTE, 3, 3) + _th("申请人情况", len(REPORT_THREE_COLUMNS)),
        _th("自然人", rowspan=2) + _th("法人或其他组织", len(corporate)) + _th("总计", rowspan=2),
        "".join(_th(name) for name in corporate),
    ]
    for label, head in zip(REPORT_THREE_ROWS, _three_label_cells()):
        values = report.three.get(label, (0,) * len(REPORT_THREE_COLUMNS))
        rows.append(head + "".join(_cell(v) for v in values))
    return _table(rows, 3)


def table_four_html(report: ReportData) -> str:
    """表四: 行政复议 | 行政诉讼（未经复议直接起诉 | 复议后起诉）, one data row of 15 cells."""
    width = len(REPORT_FOUR_COLUMNS)
    review, direct, after = REPORT_FOUR_GROUPS
    rows = [
        _th(review, width) + _th("行政诉讼", 2 * width),
        "".join(_th(name, rowspan=2) for name in REPORT_FOUR_COLUMNS) + _th(direct, width) + _th(after, width),
        "".join(_th(name) for name in REPORT_FOUR_COLUMNS) * 2,
    ]
    cells: list[int | None] = []
    for group in REPORT_FOUR_GROUPS:
        cells.extend(report.four.get(group, (0,) * width))
    rows.append("".join(_cell(v) for v in cells))
    return _table(rows, 3)
