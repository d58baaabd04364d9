"""政府信息公开年报: published on time, in the national format, its figures adding up and agreeing
with the catalog.

A 年报 states its figures in its front matter (``表二``, ``表三``, ``表四``; read and typed by
``corpus``, rendered by ``regbook.report`` at the marker lines ``<!-- regbook:nianbao-table-N -->``);
表二's 第二十条第（一）项 is computed from the catalog (``regbook.stats``). Decided here and
documented in the editors' guide (第八部分):

- 发布日期 (warning): 《政府信息公开条例》第四十九条 has each 县级以上人民政府部门 publish its
  previous year's report by 1月31日. The report's year is the year in its title (「吉林省国防动员
  办公室2023年政府信息公开工作年度报告」 → 2023, so due by 2024-01-31); the messages say that the
  title's year was used. A report published after the deadline, or before its year has ended
  (the title's year is then most likely the publication year by mistake), is a warning: the
  date is a fact of record and cannot be made right by editing; a title without a year is a
  warning too, since nothing can be checked.
- tables present (warning): a report on 2021 or later (the year 30号 took effect) without ``表二``,
  ``表三`` or ``表四`` gets a warning; a table written without its marker line (it would not
  show) is a warning, a marker without its table an error. Hand-written Markdown tables with the
  format's rows are errors: the figures belong in the front matter, where they are checked.
- table 三 (error): 国办公开办函〔2021〕30号's built-in check, per column: 一、本年新收 + 二、上年结转
  = 三、本年度办理结果's （七）总计 + 四、结转下年度继续办理 (rows 一, 二, （七）, 四 are required);
  （七）总计 is the sum of （一）予以公开 … （六）其他处理 (rows left out count as 0); in every row
  the 总计 column is the sum of the other columns.
- table 四 (error): in each group (行政复议, 未经复议直接起诉, 复议后起诉) 总计 is the sum of the other four.
- across years (error): a report's 二、上年结转 equals the previous year's report's
  四、结转下年度继续办理, column by column, when both reports are in the repository.
- the catalog (error): figures of 第二十条第（一）项 that a report states (front matter ``表二``
  rows 规章 / 行政规范性文件) equal the computed ones.
- the text (error): figures typed in the report's sentences equal the tables' and the catalog's
  (``TEXT_FIGURES``: 新收…申请N件, 上年结转N件, 结转下年度N件, 制发/废止/现行有效(的)行政规范性文件N件,
  行政许可/处罚/强制决定N件, 行政复议/诉讼N件; in a sentence about 清理, 保留/废止/宣布失效/修改N件
  are the cleanup records' decisions of the year).
- 现行有效 across years (notice): when last year's report is present and 现行有效 ≠ last year's +
  本年制发 − 本年废止 (documents made but not yet in force at a year's end, amended versions), the
  documents that account for it are named, so the text can explain the figures.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterator

from regbook import markup, stats
from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import (
    REPORT_FOUR_COLUMNS,
    REPORT_FOUR_GROUPS,
    REPORT_THREE_COLUMNS,
    REPORT_THREE_REQUIRED,
    REPORT_THREE_ROWS,
    Column,
    DisclosureItem,
    Level,
    Outcome,
    ReportData,
)
from regbook.problems import Problem
from regbook.rules._markdown import prose_lines

DEADLINE_MONTH, DEADLINE_DAY = 1, 31
"""第四十九条: a department's report on year Y is published by Y+1-01-31."""
FORMAT_SINCE = 2021
"""国办公开办函〔2021〕30号 applies to reports on 2021 and later."""
FORMAT = "国办公开办函〔2021〕30号"

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_TITLE_YEAR_RE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")

ONE, TWO, TOTAL, FOUR = REPORT_THREE_REQUIRED
COLUMNS = REPORT_THREE_COLUMNS
_RESULT_ROWS = REPORT_THREE_ROWS[2:-2]
"""（一）予以公开 … （六）其他处理: the rows （七）总计 adds up."""
_SHORT = {ONE: "一、本年新收", TWO: "二、上年结转", TOTAL: "（七）总计", FOUR: "四、结转下年度继续办理"}
_FULL = {TOTAL: "三、本年度办理结果（七）总计"}


def title_year(title: str) -> int | None:
    """The report's year: the first year written in the title (「2023年」 or 「二〇二三年」)."""
    m = _TITLE_YEAR_RE.search(title)
    return int(m[1].translate(_CN_DIGITS)) if m else None


def _reports(corpus: Corpus) -> Iterator[DisclosureItem]:
    return (d for d in corpus.disclosures if d.column is Column.ANNUAL_REPORT)


def _by_year(corpus: Corpus) -> dict[int, DisclosureItem]:
    """Reports by their title's year (the first of two for one year)."""
    out: dict[int, DisclosureItem] = {}
    for item in _reports(corpus):
        year = title_year(item.title)
        if year is not None:
            out.setdefault(year, item)
    return out


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


# --- the tables and their markers --------------------------------------------------------------

_TABLE_NAMES = {
    "表二": "表二（主动公开政府信息情况）",
    "表三": "表三（收到和处理政府信息公开申请情况）",
    "表四": "表四（政府信息公开行政复议、行政诉讼情况）",
}
_HAND_ROWS = {
    "表二": re.compile(r"^(?:规章|行政规范性文件|行政许可|行政处罚|行政强制|行政事业性收费)$"),
    "表三": re.compile(r"^(?:一、本年新收|二、上年结转|（七）总计|四、结转下年度)"),
    "表四": re.compile(r"^(?:行政复议|行政诉讼)"),
}
"""First cells of a hand-written table's rows, per table (normalised: no spaces, full-width brackets)."""


def _label(cell: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell))
    return text.replace("(", "（").replace(")", "）").replace(":", "：")


def _body_lines(item: DisclosureItem) -> Iterator[tuple[int, str]]:
    """(file line, text) of the body's lines outside fenced code."""
    for i, text in prose_lines(item.body):
        yield item.body_line + i, text


def tables_present(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Each table in the front matter and at its marker line; none written by hand in the body."""
    for item in _reports(corpus):
        data = item.report or ReportData()
        markers = set(markup.standalone_markers(item.body).values())
        marker_lines = {m: item.body_line + i for i, m in markup.standalone_markers(item.body).items()}
        year = title_year(item.title)
        hand: dict[str, int] = {}
        for line, text in _body_lines(item):
            if text.strip().startswith("|"):
                first = _label(text.strip().strip("|").split("|")[0])
                for table, pattern in _HAND_ROWS.items():
                    if pattern.match(first):
                        hand.setdefault(table, line)
        for table, marker in markup.NIANBAO_TABLES.items():
            name = _TABLE_NAMES[table]
            if table in hand:
                yield Problem.error(
                    item.path,
                    hand[table],
                    f"{name}由程序生成，不要手写表格：请删去这个 Markdown 表格，在原处单独写一行 {marker}，"
                    f"把数字写在元数据“{table}”中（写法见编辑指南第八部分），程序据此核对和生成表格",
                )
            if table not in data.tables and table not in hand:
                if marker in markers and table != "表二":
                    yield Problem.error(
                        item.path,
                        marker_lines[marker],
                        f"这里的标记 {marker} 要显示{name}，但元数据中没有“{table}”：请在元数据中填写“{table}”（写法见编辑指南第八部分），"
                        "或删去这一行",
                    )
                elif year is not None and year >= FORMAT_SINCE:
                    yield Problem.warning(
                        item.path,
                        item.line_of("标题"),
                        f"年报元数据中没有“{table}”，无法生成和核对{name}：请按{FORMAT}的格式在元数据中填写“{table}”"
                        f"（写法见编辑指南第八部分），并在正文相应位置单独写一行 {marker}",
                    )
            elif table in data.tables and marker not in markers:
                yield Problem.warning(
                    item.path,
                    data.line(table),
                    f"元数据中有“{table}”，正文中却没有标记 {marker}：{name}不会显示。请在正文相应位置单独写一行 {marker}",
                )


# --- table 三 ------------------------------------------------------------------------------------


def _column(index: int) -> str:
    return f"“{COLUMNS[index]}”列"


def table_three_balances(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where table 三's rows 一 + 二 ≠ （七）总计 + 四 in some column (国办公开办函〔2021〕30号)."""
    for item in _reports(corpus):
        data = item.report
        if data is None or "表三" not in data.tables:
            continue
        missing = [_FULL.get(row, row) for row in REPORT_THREE_REQUIRED if row not in data.three]
        if missing:
            if all(row not in data.lines for row in (("表三", r) for r in REPORT_THREE_REQUIRED if r not in data.three)):
                yield Problem.error(
                    item.path,
                    data.line("表三"),
                    "表三缺少" + "、".join(f"“{name}”" for name in missing) + f"一行，无法核对：请按{FORMAT}的格式补上",
                )
            continue
        wrong: list[str] = []
        for index in range(len(COLUMNS)):
            one, two, total, four = (data.three[row][index] for row in (ONE, TWO, TOTAL, FOUR))
            if one is None or two is None or total is None or four is None:
                continue
            if one + two != total + four:
                wrong.append(f"{_column(index)} {one} + {two} = {one + two}，而 {total} + {four} = {total + four}")
        if wrong:
            lines = "、".join(str(data.line("表三", row)) for row in REPORT_THREE_REQUIRED)
            yield Problem.error(
                item.path,
                data.line("表三", FOUR),
                f"表三数字对不上：应满足“一、本年新收”+“二、上年结转”=“（七）总计”+“四、结转下年度继续办理”（{FORMAT}），"
                f"{'；'.join(wrong)}。请核对第 {lines} 行",
            )


def _unread_rows(data: ReportData) -> bool:
    """Whether some row written in 表三 could not be read (unknown label, wrong number of cells)."""
    return any(table == "表三" and row and row not in data.three for table, row in data.lines)


def _complete(values: tuple[int | None, ...]) -> list[int] | None:
    return None if any(v is None for v in values) else [v for v in values if v is not None]


def table_three_sums(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where （七）总计 ≠ the sum of （一）…（六）, or a row's 总计 ≠ the sum of its columns."""
    for item in _reports(corpus):
        data = item.report
        if data is None:
            continue
        for row in REPORT_THREE_ROWS:
            values = _complete(data.three.get(row, ()))
            if not values or sum(values[:-1]) == values[-1]:
                continue
            line = data.line("表三", row)
            yield Problem.error(
                item.path,
                line,
                f"表三“{row}”一行的“总计”为 {values[-1]}，而各列之和为 "
                f"{' + '.join(map(str, values[:-1]))} = {sum(values[:-1])}：“总计”应等于自然人和法人或其他组织各列之和（{FORMAT}），请核对第 {line} 行",
            )
        total = _complete(data.three.get(TOTAL, ()))
        results = [_complete(data.three[r]) for r in _RESULT_ROWS if r in data.three]
        if total is None or any(r is None for r in results) or _unread_rows(data):
            continue  # a cell or a row that could not be read: reported where the front matter is read
        wrong = []
        for index, value in enumerate(total):
            added = sum(r[index] for r in results if r is not None)
            if added != value:
                wrong.append(f"{_column(index)}（七）总计为 {value}，（一）至（六）之和为 {added}")
        if wrong:
            written = [data.line("表三", r) for r in _RESULT_ROWS if r in data.three]
            where = f"第 {min(written)}–{max(written)} 行和" if written else ""
            yield Problem.error(
                item.path,
                data.line("表三", TOTAL),
                f"表三“（七）总计”不等于（一）至（六）各项之和（{FORMAT}）：{'；'.join(wrong)}。"
                f"请核对{where}第 {data.line('表三', TOTAL)} 行（没有写出的行按 0 计）",
            )


def carried_over_between_years(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where a report's 二、上年结转 differs from the previous report's 四、结转下年度继续办理."""
    by_year = _by_year(corpus)
    for year, item in sorted(by_year.items()):
        before = by_year.get(year - 1)
        if before is None or item.report is None or before.report is None:
            continue
        two, four = item.report.three.get(TWO), before.report.three.get(FOUR)
        if two is None or four is None:
            continue
        wrong = [
            f"{_column(i)}本表为 {a}，上年为 {b}"
            for i, (a, b) in enumerate(zip(two, four))
            if a is not None and b is not None and a != b
        ]
        if wrong:
            yield Problem.error(
                item.path,
                item.report.line("表三", TWO),
                f"表三“二、上年结转政府信息公开申请数量”应等于{year - 1}年度报告（{before.path} 第 {before.report.line('表三', FOUR)} 行）的"
                f"“四、结转下年度继续办理”：{'；'.join(wrong)}。请核对本行或上年报告",
            )


# --- table 四 ------------------------------------------------------------------------------------


def table_four_sums(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where a group's 总计 ≠ 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    for item in _reports(corpus):
        if item.report is None:
            continue
        for group in REPORT_FOUR_GROUPS:
            values = _complete(item.report.four.get(group, ()))
            if values and sum(values[:-1]) != values[-1]:
                parts = " + ".join(f"{n} {v}" for n, v in zip(REPORT_FOUR_COLUMNS, values))
                yield Problem.error(
                    item.path,
                    item.report.line("表四", group),
                    f"表四“{group}”的“总计”为 {values[-1]}，而{parts.rsplit(' + ', 1)[0]} 之和为 {sum(values[:-1])}："
                    f"“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和（{FORMAT}）",
                )


# --- 表二 第二十条第（一）项 against the catalog ------------------------------------------------------

_TWO_FIGURES = ("本年制发件数", "本年废止件数", "现行有效件数")


def _documents(docs: tuple[object, ...]) -> str:
    ids = [getattr(d, "id", "") for d in docs]
    return f"（{'、'.join(ids)}）" if ids else ""


def stated_table_two(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where the figures of 第二十条第（一）项 a report states differ from the catalog's."""
    for item in _reports(corpus):
        year = title_year(item.title)
        if item.report is None or year is None or not item.report.stated:
            continue
        computed = stats.table_two(corpus, year)
        for level in stats.LEVELS:
            stated = item.report.stated.get(level.value)
            if stated is None:
                continue
            row = computed.row(level)
            groups = (row.made, row.ended, row.in_force)
            wrong = [
                f"“{name}”写的是 {s}，目录中为 {len(docs)} 件{_documents(docs)}"
                for name, s, docs in zip(_TWO_FIGURES, stated, groups)
                if s is not None and s != len(docs)
            ]
            if wrong:
                yield Problem.error(
                    item.path,
                    item.report.line("表二", level.value),
                    f"表二第二十条第（一）项“{level.value}”与法规目录不符（截至{year}年12月31日，本办制发的文件）：{'；'.join(wrong)}。"
                    f"请改为 {level.value}: [{', '.join(map(str, row.figures))}]，或删去这一行（表中显示按目录计算的数字）；"
                    "目录有误时，请改正相应文件的元数据（计算方法见编辑指南第八部分，可用 regbook stats 查看）",
                )


# --- figures typed in the text ---------------------------------------------------------------------

_N = r"(?P<n>[0-9]+|[零〇一二两三四五六七八九十百]+)"
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SENTENCE_RE = re.compile(r"[^。；;！？!?]+")
_CLEANUP_WORD = "清理"


def _number(text: str) -> int | None:
    """Arabic digits, or a Chinese numeral below 1000 (「十二」「二十」「一百零五」)."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_VALUES:
            digit = _CN_VALUES[ch]
        elif ch in "十百":
            total += (digit or 1) * (10 if ch == "十" else 100)
            digit = 0
        else:
            return None
    return total + digit


@dataclass(frozen=True)
class Figure:
    """A figure a sentence may state: its pattern, and where the true value comes from."""

    pattern: re.Pattern[str]
    value: Callable[["_Facts", re.Match[str]], tuple[int | None, str] | None]
    """(the true value or ``None`` if unknown, what it is and where it comes from)."""
    cleanup: bool | None = None
    """``True``: only in sentences about 清理; ``False``: only outside them; ``None``: anywhere."""


@dataclass
class _Facts:
    corpus: Corpus
    year: int
    report: ReportData
    path: str

    def three(self, row: str) -> tuple[int | None, str] | None:
        values = self.report.three.get(row)
        if values is None:
            return None
        return values[-1], f"元数据表三“{row}”的“总计”（第 {self.report.line('表三', row)} 行）"

    def two(self, kind: str, index: int) -> tuple[int | None, str]:
        level = Level(kind)
        row = stats.table_two(self.corpus, self.year).row(level)
        docs = (row.made, row.ended, row.in_force)[index]
        return len(docs), f"按法规目录计算的{self.year}年表二“{kind}”的“{_TWO_FIGURES[index]}”{_documents(docs)}"

    def item(self, name: str) -> tuple[int | None, str] | None:
        value = self.report.two.get(name)
        if value is None or isinstance(value, float):
            return None
        return value, f"元数据表二“{name}”（第 {self.report.line('表二', name)} 行）"

    def four(self, groups: tuple[str, ...], what: str) -> tuple[int | None, str] | None:
        totals = [self.report.four.get(g) for g in groups]
        if any(t is None or t[-1] is None for t in totals):
            return None
        return sum(t[-1] or 0 for t in totals if t is not None), f"元数据表四“{what}”的“总计”（第 {self.report.line('表四', groups[0])} 行）"

    def cleanup(self, outcome: Outcome) -> tuple[int | None, str]:
        counts = stats.cleanup_counts(self.corpus, self.year)
        return counts[outcome], f"{self.year}年公告的清理记录中清理结果为“{outcome.value}”的文件数"


_OPT = r"(?:了)?(?:的)?(?:共|共计|合计)?"
_KIND = r"(?P<kind>行政规范性文件|规章)"
_OUTCOMES = {"保留": Outcome.KEEP, "继续有效": Outcome.KEEP, "废止": Outcome.REPEAL, "宣布失效": Outcome.DECLARE_EXPIRED, "修改": Outcome.AMEND}

TEXT_FIGURES: tuple[Figure, ...] = (
    Figure(re.compile(rf"新收(?:政府信息公开)?申请{_OPT}{_N}件"), lambda f, m: f.three(ONE)),
    Figure(re.compile(rf"上年结转(?:的)?(?:政府信息公开)?(?:申请)?{_OPT}{_N}件"), lambda f, m: f.three(TWO)),
    Figure(re.compile(rf"结转下年度(?:继续办理)?(?:的)?(?:申请)?{_OPT}{_N}件"), lambda f, m: f.three(FOUR)),
    Figure(re.compile(rf"(?:制发|印发|出台){_OPT}{_KIND}{_OPT}{_N}件"), lambda f, m: f.two(m["kind"], 0)),
    Figure(re.compile(rf"废止(?:和失效|或失效|、失效)?{_OPT}{_KIND}{_OPT}{_N}件"), lambda f, m: f.two(m["kind"], 1), cleanup=False),
    Figure(re.compile(rf"现行有效{_OPT}{_KIND}{_OPT}{_N}件"), lambda f, m: f.two(m["kind"], 2)),
    Figure(re.compile(rf"(?P<item>行政许可|行政处罚|行政强制)(?:处理)?决定{_OPT}{_N}件"), lambda f, m: f.item(m["item"])),
    Figure(re.compile(rf"行政复议(?:案件)?{_OPT}{_N}件"), lambda f, m: f.four(REPORT_FOUR_GROUPS[:1], "行政复议")),
    Figure(re.compile(rf"行政诉讼(?:案件)?{_OPT}{_N}件"), lambda f, m: f.four(REPORT_FOUR_GROUPS[1:], "行政诉讼")),
    Figure(
        re.compile(rf"(?P<outcome>{'|'.join(_OUTCOMES)}){_OPT}(?:行政规范性文件)?{_OPT}{_N}件"),
        lambda f, m: f.cleanup(_OUTCOMES[m["outcome"]]),
        cleanup=True,
    ),
)
"""The statements found in a report's sentences (a few patterns near the keywords)."""

_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def text_figures(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Errors where a sentence of a report states a figure that differs from its table or the catalog."""
    for item in _reports(corpus):
        year = title_year(item.title)
        if year is None:
            continue
        facts = _Facts(corpus, year, item.report or ReportData(), item.path)
        for line, text in _body_lines(item):
            if text.lstrip().startswith(("|", "<!--")):
                continue
            for sentence in _SENTENCE_RE.finditer(text.translate(_FULL_DIGITS)):
                about_cleanup = _CLEANUP_WORD in sentence[0]
                for figure in TEXT_FIGURES:
                    if figure.cleanup is not None and figure.cleanup != about_cleanup:
                        continue
                    for m in figure.pattern.finditer(sentence[0]):
                        yield from _compare(item.path, line, m, figure, facts)


def _compare(path: str, line: int, m: re.Match[str], figure: Figure, facts: _Facts) -> Iterator[Problem]:
    stated = _number(m["n"])
    found = figure.value(facts, m)
    if stated is None or found is None or found[0] is None or found[0] == stated:
        return
    value, source = found
    fixed = m[0][: m.start("n") - m.start()] + str(value) + m[0][m.end("n") - m.start() :]
    yield Problem.error(
        path,
        line,
        f"正文写的“{m[0]}”与{source}不符，后者为 {value}：请改为“{fixed}”，或核对{'元数据' if '元数据' in source else '法规目录和清理记录'}",
    )


# --- 现行有效 across years --------------------------------------------------------------------------


def in_force_between_years(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Notices where 现行有效 ≠ last year's 现行有效 + 本年制发 − 本年废止, naming the documents that
    account for it (both years' reports present)."""
    by_year = _by_year(corpus)
    for year, item in sorted(by_year.items()):
        if year - 1 not in by_year:
            continue
        now, before = stats.table_two(corpus, year), stats.table_two(corpus, year - 1)
        markers = {m: i for i, m in markup.standalone_markers(item.body).items()}
        line = item.body_line + markers[markup.NIANBAO_TABLES["表二"]] if markup.NIANBAO_TABLES["表二"] in markers else item.line_of("标题")
        for level in stats.LEVELS:
            made, ended, in_force = now.row(level).figures
            last = before.row(level).figures[2]
            if in_force == last + made - ended:
                continue
            diff = stats.differences(corpus, level, year)
            reasons = []
            if diff.pending_before:
                reasons.append(f"上年已制发、本年开始施行的 {len(diff.pending_before)} 件{_documents(diff.pending_before)}")
            if diff.pending_now:
                reasons.append(f"本年制发、截至12月31日尚未施行的 {len(diff.pending_now)} 件{_documents(diff.pending_now)}")
            if diff.replaced:
                reasons.append(f"本年被新版本替代（已修改）的 {len(diff.replaced)} 件{_documents(diff.replaced)}")
            yield Problem.notice(
                item.path,
                line,
                f"表二“{level.value}”：{year}年现行有效 {in_force} 件，不等于上年现行有效 {last} 件 + 本年制发 {made} 件 − 本年废止 {ended} 件"
                f" = {last + made - ended} 件，差额来自{'；'.join(reasons) or '目录中日期不全的文件'}。"
                "读者会核对这几个数，请在正文中说明",
            )


RULES = [
    published_on_time,
    tables_present,
    table_three_balances,
    table_three_sums,
    carried_over_between_years,
    table_four_sums,
    stated_table_two,
    text_figures,
    in_force_between_years,
]
