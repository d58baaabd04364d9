"""Body skeletons of drafted files: visibly marked for the editor to replace.

Each starts with a warning box saying what to replace (it shows on the preview site too, so a
forgotten skeleton is seen). The 年报 follows the structure of 国办公开办函〔2021〕30号 as the
existing report (``docs/disclosure/nianbao/2023-…``) does: six parts, the tables of parts 二, 三
and 四 with every figure 0, and table 三's rows named as ``regbook.rules.disclosure`` reads them.
"""

from __future__ import annotations

import datetime as dt

from regbook.dates import cn_date
from regbook.model import Level

MARK = "待替换"
"""The word in every skeleton's warning box."""


def _box(text: str) -> str:
    return f'!!! warning "{MARK}"\n\n    {text}\n'


def regulation_body(level: Level, effective: dt.date | None) -> str:
    """A regulation's body skeleton: a box, then articles in the form the guide describes."""
    when = f"自{cn_date(effective)}起施行" if effective else "自公布之日起施行"
    box = _box("本文件由 regbook new 生成，下面的正文只是格式示例：请换成正式文本（条以“第X条”开头，章用 ## 标题），并删去本提示框。")
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
        "一、继续有效的行政规范性文件……件，见上表中清理结果为“保留”的文件。\n\n"
        "二、决定废止的行政规范性文件……件，见上表中清理结果为“废止”的文件，自本公告发布之日起废止。\n\n"
        "三、未列入继续有效目录的行政规范性文件，自本公告发布之日起不再作为行政管理的依据。\n\n"
        f"四、本次清理结果已报送{filed_with}备案。\n\n特此公告。\n\n{office}\n\n{cn_date(date)}\n"
    )


_TABLE_THREE_ROWS = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开：1．属于国家秘密",
    "（三）不予公开：2．其他法律行政法规禁止公开",
    "（三）不予公开：3．危及“三安全一稳定”",
    "（三）不予公开：4．保护第三方合法权益",
    "（三）不予公开：5．属于三类内部事务信息",
    "（三）不予公开：6．属于四类过程性信息",
    "（三）不予公开：7．属于行政执法案卷",
    "（三）不予公开：8．属于行政查询事项",
    "（四）无法提供：1．本机关不掌握相关政府信息",
    "（四）无法提供：2．没有现成信息需要另行制作",
    "（四）无法提供：3．补正后申请内容仍不明确",
    "（五）不予处理：1．信访举报投诉类申请",
    "（五）不予处理：2．重复申请",
    "（五）不予处理：3．要求提供公开出版物",
    "（五）不予处理：4．无正当理由大量反复申请",
    "（五）不予处理：5．要求行政机关确认或重新出具已获取信息",
    "（六）其他处理：1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "（六）其他处理：2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "（六）其他处理：3．其他",
    "（七）总计",
    "四、结转下年度继续办理",
)
"""Table 三's rows (国办公开办函〔2021〕30号), as in the existing report."""


def _row(label: str, cells: int) -> str:
    return f"| {label} | " + " | ".join(["0"] * cells) + " |"


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
    parts and tables as Markdown tables, every figure 0."""
    three = [
        "| 申请人情况 | 自然人 | 法人或其他组织 | | | | | 总计 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        "| | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |",
        *(f"| {label} | | | | | | | |" if label == "三、本年度办理结果" else _row(label, 7) for label in _TABLE_THREE_ROWS),
    ]
    parts = [
        annual_report_opening(year),
        "## 一、总体情况",
        "（一）主动公开。……",
        "（二）依申请公开。……",
        "（三）政府信息管理。……",
        "（四）平台建设。……",
        "（五）监督保障。……",
        "## 二、主动公开政府信息情况",
        "\n".join(
            [
                "| 第二十条第（一）项 | | | |",
                "| --- | --- | --- | --- |",
                "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
                _row("规章", 3),
                _row("行政规范性文件", 3),
            ]
        ),
        "\n".join(["| 第二十条第（五）项 | |", "| --- | --- |", "| 信息内容 | 本年处理决定数量 |", _row("行政许可", 1)]),
        "\n".join(
            [
                "| 第二十条第（六）项 | |",
                "| --- | --- |",
                "| 信息内容 | 本年处理决定数量 |",
                _row("行政处罚", 1),
                _row("行政强制", 1),
            ]
        ),
        "\n".join(
            [
                "| 第二十条第（八）项 | |",
                "| --- | --- |",
                "| 信息内容 | 本年收费金额（单位：万元） |",
                _row("行政事业性收费", 1),
            ]
        ),
        "## 三、收到和处理政府信息公开申请情况",
        "\n".join(three),
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "\n".join(
            [
                "| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
                "| --- | --- | --- | --- | --- | --- |",
                _row("行政复议", 5),
                _row("行政诉讼（未经复议直接起诉）", 5),
                _row("行政诉讼（复议后起诉）", 5),
            ]
        ),
        "## 五、存在的主要问题及改进情况",
        "……",
        "## 六、其他需要报告的事项",
        "……",
    ]
    return "\n\n".join(parts) + "\n"
