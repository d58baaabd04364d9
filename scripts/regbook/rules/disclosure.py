"""政府信息公开年报: published on time, in the national format, with table 三 adding up.

Decided here and documented in the editors' guide (第八部分):

- 发布日期 (warning): 《政府信息公开条例》第四十九条 has each 县级以上人民政府部门 publish its
  previous year's report by 1月31日. The report's year is the year in its title (「吉林省国防动员
  办公室2023年政府信息公开工作年度报告」 → 2023, so due by 2024-01-31); the messages say that the
  title's year was used. A report published after the deadline, or before its year has ended
  (the title's year is then most likely the publication year by mistake), is a warning: the
  date is a fact of record and cannot be made right by editing; a title without a year is a
  warning too, since nothing can be checked.
- table 三 (error): 国办公开办函〔2021〕30号's built-in check (DOMAIN.md §2), per column:
  一、本年新收 + 二、上年结转 = 三、本年度办理结果's （七）总计 + 四、结转下年度继续办理.
  Row 三 itself is only a heading: its total is the （七）总计 row. The table is found by its
  row labels in the body's Markdown tables; a cell of these four rows that is not a number, or
  a missing row, is an error too (the check cannot be made). A report on 2021 or later (the
  year 30号 took effect) without a recognisable table 三 gets a warning.
- table 三's own sums (error): the form adds up inside too: （七）总计 is the sum of the rows
  （一）予以公开 … （六）其他处理 (every sub-row of （三）（四）（五）（六）), and in every number row
  the 总计 column is the sum of the other columns (自然人 + the five 法人或其他组织 columns).
- across years (error): a report's 二、上年结转 equals the previous year's report's
  四、结转下年度继续办理, column by column, when both reports are in the repository.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import Column, DisclosureItem
from regbook.problems import Problem

DEADLINE_MONTH, DEADLINE_DAY = 1, 31
"""第四十九条: a department's report on year Y is published by Y+1-01-31."""
FORMAT_SINCE = 2021
"""国办公开办函〔2021〕30号 applies to reports on 2021 and later."""
FORMAT = "国办公开办函〔2021〕30号"

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_TITLE_YEAR_RE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")

ONE, TWO, TOTAL, FOUR = "一、本年新收", "二、上年结转", "（七）总计", "四、结转下年度"
ROW_NAMES = {
    ONE: "一、本年新收政府信息公开申请数量",
    TWO: "二、上年结转政府信息公开申请数量",
    TOTAL: "三、本年度办理结果（七）总计",
    FOUR: "四、结转下年度继续办理",
}
"""Table 三's rows in the check, by label prefix (after normalising), with their full names."""
COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
"""Table 三's number columns in the national format (申请人情况)."""
_SEPARATOR_RE = re.compile(r"^:?-+:?$")
_NUMBER_RE = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Row:
    """One Markdown table row: its cells (without the outer pipes) and its file line."""

    cells: tuple[str, ...]
    line: int

    @property
    def label(self) -> str:
        """The first cell, normalised: no spaces, full-width brackets."""
        text = unicodedata.normalize("NFKC", self.cells[0]) if self.cells else ""
        return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def title_year(title: str) -> int | None:
    """The report's year: the first year written in the title (「2023年」 or 「二〇二三年」)."""
    m = _TITLE_YEAR_RE.search(title)
    return int(m[1].translate(_CN_DIGITS)) if m else None


def _reports(corpus: Corpus) -> Iterator[DisclosureItem]:
    return (d for d in corpus.disclosures if d.column is Column.ANNUAL_REPORT)


def published_on_time(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Warnings: 年报 published after 1月31日 of the year after its title's year, or too early."""
    for item in _reports(corpus):
        year = title_year(item.title)
        if year is None:
            yield Problem.warning(
                item.path,
                item.line_of("标题"),
                f"年报标题中没有年份，无法检查发布期限：标题应写明报告年度，如“吉林省国防动员办公室{item.published.year - 1}年政府信息公开工作年度报告”",
            )
            continue
        deadline = dt.date(year + 1, DEADLINE_MONTH, DEADLINE_DAY)
        published = f"{item.published.isoformat()}（{cn_date(item.published)}）"
        if item.published > deadline:
            yield Problem.warning(
                item.path,
                item.line_of("发布日期"),
                f"年报发布日期 {published}晚于法定期限 {cn_date(deadline)}：按标题中的年份，这是{year}年度的报告，"
                f"《政府信息公开条例》第四十九条要求在次年1月31日前公布。请核对发布日期；标题中的年份不对时，请改正标题",
            )
        elif item.published.year <= year:
            yield Problem.warning(
                item.path,
                item.line_of("发布日期"),
                f"年报发布日期 {published}在报告年度结束之前：按标题中的年份，这是{year}年度的报告，应在 {year + 1}年1月1日至"
                f"{cn_date(deadline)}之间发布。标题应写统计年度（如{item.published.year - 1}年度的报告于{item.published.year}年1月发布），"
                "请核对标题中的年份或发布日期",
            )


def _tables(body: str, first_line: int) -> list[list[Row]]:
    """The body's Markdown tables (separator rows left out), each row with its file line."""
    tables: list[list[Row]] = []
    current: list[Row] = []
    for offset, raw in enumerate(body.splitlines()):
        text = raw.strip()
        if not text.startswith("|"):
            if current:
                tables.append(current)
            current = []
            continue
        inner = text[1:-1] if text.endswith("|") and len(text) > 1 else text[1:]
        cells = tuple(cell.strip() for cell in inner.split("|"))
        if all(_SEPARATOR_RE.match(cell) for cell in cells if cell) and any(cells):
            continue
        current.append(Row(cells, first_line + offset))
    if current:
        tables.append(current)
    return tables


def _find(table: list[Row], prefix: str) -> Row | None:
    return next((row for row in table if row.label.startswith(prefix)), None)


def _column(index: int, width: int) -> str:
    return f"“{COLUMNS[index]}”列" if width == len(COLUMNS) else f"第 {index + 2} 列"


def _numbers(row: Row, name: str, path: str) -> tuple[list[int | None], list[Problem]]:
    """The row's number cells (``None`` where a cell is not a number, with an error for it)."""
    values: list[int | None] = []
    problems: list[Problem] = []
    width = len(row.cells) - 1
    for index, cell in enumerate(row.cells[1:]):
        text = unicodedata.normalize("NFKC", cell).replace(",", "").strip()
        if _NUMBER_RE.match(text):
            values.append(int(text))
            continue
        values.append(None)
        shown = f"“{cell}”" if cell else "空"
        problems.append(
            Problem.error(
                path,
                row.line,
                f"表三“{name}”一行{_column(index, width)}应为数字，实际为{shown}：请填写件数，没有的填 0（{FORMAT}）",
            )
        )
    return values, problems


def table_three_balances(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where table 三's rows 一 + 二 ≠ （七）总计 + 四 in some column (国办公开办函〔2021〕30号)."""
    body_lines = {text.path: text.line for text in corpus.texts}
    for item in _reports(corpus):
        tables = [t for t in _tables(item.body, body_lines.get(item.path, 1)) if _find(t, ONE)]
        year = title_year(item.title)
        if not tables:
            if year is not None and year >= FORMAT_SINCE:
                yield Problem.warning(
                    item.path,
                    item.line_of("标题"),
                    f"年报中没有找到表三（收到和处理政府信息公开申请情况）：请按{FORMAT}的格式，用 Markdown 表格填写，"
                    f"第一列依次为“{ROW_NAMES[ONE]}”“{ROW_NAMES[TWO]}”……“（七）总计”“{ROW_NAMES[FOUR]}”，程序据此核对数字",
                )
            continue
        for table in tables:
            yield from _balance(item.path, table)


def _balance(path: str, table: list[Row]) -> Iterator[Problem]:
    rows = {prefix: _find(table, prefix) for prefix in ROW_NAMES}
    one = rows[ONE]
    assert one is not None
    missing = [ROW_NAMES[prefix] for prefix, row in rows.items() if row is None]
    if missing:
        yield Problem.error(
            path,
            one.line,
            "表三缺少" + "、".join(f"“{name}”" for name in missing) + f"一行，无法核对：请按{FORMAT}的格式补上",
        )
        return
    numbers: dict[str, list[int | None]] = {}
    for prefix, row in rows.items():
        assert row is not None
        numbers[prefix], problems = _numbers(row, ROW_NAMES[prefix], path)
        yield from problems
    width = min(len(values) for values in numbers.values())
    wrong: list[str] = []
    for index in range(width):
        one_, two, total, four = (numbers[prefix][index] for prefix in (ONE, TWO, TOTAL, FOUR))
        if one_ is None or two is None or total is None or four is None:
            continue
        if one_ + two != total + four:
            wrong.append(f"{_column(index, width)} {one_} + {two} = {one_ + two}，而 {total} + {four} = {total + four}")
    if wrong:
        lines = "、".join(str(row.line) for row in rows.values() if row is not None)
        four_row = rows[FOUR]
        assert four_row is not None
        yield Problem.error(
            path,
            four_row.line,
            f"表三数字对不上：应满足“一、本年新收”+“二、上年结转”=“（七）总计”+“四、结转下年度继续办理”（{FORMAT}），"
            f"{'；'.join(wrong)}。请核对第 {lines} 行",
        )


_RESULT_ROW_RE = re.compile(r"^（[一二三四五六]）")
"""The result rows that （七）总计 adds up: （一）予以公开 … （六）其他处理 and their sub-rows."""


def _values(row: Row) -> list[int] | None:
    """The row's number cells, or ``None`` if any is not a number (``_numbers`` reports those)."""
    out: list[int] = []
    for cell in row.cells[1:]:
        text = unicodedata.normalize("NFKC", cell).replace(",", "").strip()
        if not _NUMBER_RE.match(text):
            return None
        out.append(int(text))
    return out


def _number_rows(table: list[Row]) -> list[Row]:
    """The rows of table 三 that hold numbers: 一, 二, the result rows, （七）总计 and 四."""
    prefixes = (ONE, TWO, TOTAL, FOUR)
    return [r for r in table if r.label.startswith(prefixes) or _RESULT_ROW_RE.match(r.label)]


def _main_table(item: DisclosureItem, body_line: int) -> list[Row] | None:
    """The report's table 三 (the first table with a row 一、本年新收), if any."""
    return next((t for t in _tables(item.body, body_line) if _find(t, ONE)), None)


def table_three_sums(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where （七）总计 ≠ the sum of （一）…（六）, or a row's 总计 ≠ the sum of its columns."""
    body_lines = {text.path: text.line for text in corpus.texts}
    for item in _reports(corpus):
        table = _main_table(item, body_lines.get(item.path, 1))
        if table is None:
            continue
        for row in _number_rows(table):
            values = _values(row)
            if values is None or len(values) != len(COLUMNS):
                continue
            if sum(values[:-1]) != values[-1]:
                yield Problem.error(
                    item.path,
                    row.line,
                    f"表三“{row.cells[0]}”一行的“总计”为 {values[-1]}，而各列之和为 "
                    f"{' + '.join(map(str, values[:-1]))} = {sum(values[:-1])}：“总计”应等于自然人和法人或其他组织各列之和（{FORMAT}），请核对第 {row.line} 行",
                )
        total = _find(table, TOTAL)
        results = [r for r in table if _RESULT_ROW_RE.match(r.label)]
        total_values = _values(total) if total else None
        if total is None or total_values is None or not results:
            continue
        rows = [v for v in (_values(r) for r in results) if v is not None and len(v) == len(total_values)]
        if len(rows) != len(results):
            continue  # a cell that is not a number: reported by table_three_balances
        wrong = []
        for index, value in enumerate(total_values):
            added = sum(v[index] for v in rows)
            if added != value:
                wrong.append(f"{_column(index, len(total_values))}（七）总计为 {value}，（一）至（六）之和为 {added}")
        if wrong:
            yield Problem.error(
                item.path,
                total.line,
                f"表三“（七）总计”不等于（一）至（六）各项之和（{FORMAT}）：{'；'.join(wrong)}。"
                f"请核对第 {results[0].line}–{results[-1].line} 行和第 {total.line} 行",
            )


def carried_over_between_years(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where a report's 二、上年结转 differs from the previous report's 四、结转下年度继续办理."""
    body_lines = {text.path: text.line for text in corpus.texts}
    by_year: dict[int, tuple[DisclosureItem, list[Row]]] = {}
    for item in _reports(corpus):
        year = title_year(item.title)
        table = _main_table(item, body_lines.get(item.path, 1))
        if year is not None and table is not None:
            by_year.setdefault(year, (item, table))
    for year, (item, table) in sorted(by_year.items()):
        if year - 1 not in by_year:
            continue
        before, before_table = by_year[year - 1]
        two, four = _find(table, TWO), _find(before_table, FOUR)
        two_values = _values(two) if two else None
        four_values = _values(four) if four else None
        if two is None or four is None or two_values is None or four_values is None or two_values == four_values:
            continue
        width = min(len(two_values), len(four_values))
        wrong = [
            f"{_column(i, width)}本表为 {two_values[i]}，上年为 {four_values[i]}"
            for i in range(width)
            if two_values[i] != four_values[i]
        ]
        yield Problem.error(
            item.path,
            two.line,
            f"表三“二、上年结转政府信息公开申请数量”应等于{year - 1}年度报告（{before.path} 第 {four.line} 行）的"
            f"“四、结转下年度继续办理”：{'；'.join(wrong) or '列数不同'}。请核对本行或上年报告",
        )


RULES = [published_on_time, table_three_balances, table_three_sums, carried_over_between_years]
