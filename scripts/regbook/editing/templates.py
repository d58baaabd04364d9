"""Body skeletons of drafted files: visibly marked for the editor to replace.

Each starts with a warning box saying what to replace (it shows on the preview site too, so a
forgotten skeleton is seen). The 年报 follows the structure of 国办公开办函〔2021〕30号: six parts, the
tables of parts 二, 三 and 四 in the front matter with every figure 0, shown at their marker lines.
"""

from __future__ import annotations

import datetime as dt

from regbook.dates import cn_date
from regbook.model import (
    REPORT_FOUR_COLUMNS,
    REPORT_FOUR_GROUPS,
    REPORT_THREE_COLUMNS,
    REPORT_THREE_ROWS,
    REPORT_TWO_ITEMS,
    Level,
)

MARK = "待替换"
"""The word in every skeleton's warning box."""


def _box(text: str) -> str:
    return f'!!! warning "{MARK}"\n\n    {text}\n'


def regulation_body(level: Level, effective: dt.date | None) -> str:
    """A regulation's body skeleton: a box, then articles in the form the guide describes."""
    when = f"自{cn_date(effective)}起施行" if effective else "自公布之日起施行"
    box = _box(
        "本文件由 regbook new 生成，下面的正文只是格式示例：请换成正式文本（条以“第X条”开头，章用 ## 标题），并删去本提示框。"
    )
    if level in (Level.NORMATIVE, Level.OTHER_NORMATIVE):
        return f"{box}\n第一条 为了……，根据……，结合本省实际，制定本办法。\n\n第二条 ……\n\n第三条 本办法{when}。\n"
    return f"{box}\n## 第一章 总则\n\n第一条 为了……，制定本条例。\n\n第二条 ……\n\n## 第二章 附则\n\n第三条 本条例{when}。\n"


def amended_body(previous: str, command: str = "regbook amend") -> str:
    """A new version's body: the previous version's text under a box asking for the amended text."""
    box = _box(f"本文件由 {command} 从上一版本复制：请换成修改后的全文，并删去本提示框。")
    return f"{box}\n{previous.lstrip(chr(10))}"


def disclosure_body() -> str:
    return f"{_box('本文件由 regbook new 公开 生成：请写正文，并删去本提示框。')}\n（正文）\n"


def cleanup_body(office: str, year: int, date: dt.date, filed_with: str) -> str:
    """A cleanup announcement's skeleton (CONTRIBUTING 第七部分: scope and cut-off date, counts, and
    that documents not listed as continuing are no longer a basis of administration)."""
    box = _box(
        "本清理记录由 regbook cleanup new 生成：请在上方“决定”中逐件填写理由，需要废止或宣布失效的文件用 "
        "regbook abolish <文件id> --by 本记录id 处理；定稿时核对本公告中的范围、日期和件数，并删去本提示框。"
    )
    return (
        f"{box}\n根据《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）和省政府有关要求，"
        f"本办于{year}年对截至……本办（含原吉林省人民防空办公室）制定的、现行有效的行政规范性文件进行了全面清理。"
        "现将清理结果公告如下：\n\n"
        "一、继续有效的行政规范性文件……件，见附件1《继续有效目录》。\n\n"
        "二、决定废止的行政规范性文件……件，见附件《废止（失效）目录》，自本公告发布之日起废止。\n\n"
        "三、未列入继续有效目录的行政规范性文件，自本公告发布之日起不再作为行政管理的依据。\n\n"
        f"四、本次清理结果将报送{filed_with}备案。\n\n特此公告。\n\n{office}\n\n{cn_date(date)}\n"
    )


def annual_report_tables() -> list[str]:
    """A 年报's 表二, 表三 and 表四 as front-matter lines, every figure 0 (the keys ``regbook.model``
    defines and ``regbook.report`` renders at the marker lines)."""
    lines = ["表二:", *(f"  {item}: 0" for item in REPORT_TWO_ITEMS), "表三:"]
    lines += [f"  {row}: [{', '.join(['0'] * len(REPORT_THREE_COLUMNS))}]" for row in REPORT_THREE_ROWS]
    lines += ["表四:", *(f"  {group}: [{', '.join(['0'] * len(REPORT_FOUR_COLUMNS))}]" for group in REPORT_FOUR_GROUPS)]
    return lines


def annual_report_opening(year: int) -> str:
    """A 年报's box and opening sentence (the period its figures cover)."""
    box = _box(
        f"本报告由 regbook new 年报 生成：数字均为 0（上年结转的除外），文字为提纲。请按{year}年的实际情况填写文字和数字"
        "（表三中“一”+“二”应等于“（七）总计”+“四”），并删去本提示框。"
    )
    return (
        f"{box}\n本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第四十九条、第五十条的规定编制。"
        f"报告中所列数据的统计期限为{year}年1月1日至12月31日。"
    )


def annual_report_body(year: int) -> str:
    """The 年报 of ``year`` where the content has none to start from: the national format's six
    parts, the tables at their marker lines (their figures are in the front matter:
    ``annual_report_tables``)."""
    parts = [
        annual_report_opening(year),
        "## 一、总体情况",
        "（一）主动公开。……",
        "（二）依申请公开。……",
        "（三）政府信息管理。……",
        "（四）平台建设。……",
        "（五）监督保障。……",
        "## 二、主动公开政府信息情况",
        "<!-- regbook:nianbao-table-2 -->",
        "## 三、收到和处理政府信息公开申请情况",
        "<!-- regbook:nianbao-table-3 -->",
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "<!-- regbook:nianbao-table-4 -->",
        "## 五、存在的主要问题及改进情况",
        "……",
        "## 六、其他需要报告的事项",
        "……",
    ]
    return "\n\n".join(parts) + "\n"
