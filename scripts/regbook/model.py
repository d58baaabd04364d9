"""The metadata model: regulations, cleanup records and disclosure items.

Front-matter keys are Chinese (what editors type); attributes are English. The mapping
between them lives in one place, the ``*_FIELDS`` tables below, and the editors' guide
(``CONTRIBUTING.md``) documents the same keys.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum


class Level(str, Enum):
    """效力位阶, in the order the compendium prints them."""

    LAW = "法律"
    ADMIN_REGULATION = "行政法规"
    LOCAL_REGULATION = "地方性法规"
    RULE = "规章"
    NORMATIVE = "行政规范性文件"
    OTHER_NORMATIVE = "其他规范性文件"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def slug(self) -> str:
        return _LEVEL_SLUGS[self]


_LEVEL_SLUGS = {
    Level.LAW: "falv",
    Level.ADMIN_REGULATION: "xingzheng-fagui",
    Level.LOCAL_REGULATION: "difangxing-fagui",
    Level.RULE: "guizhang",
    Level.NORMATIVE: "xingzheng-guifanxing-wenjian",
    Level.OTHER_NORMATIVE: "qita-guifanxing-wenjian",
}


class Status(str, Enum):
    """时效性."""

    CURRENT = "现行有效"
    AMENDED = "已修改"
    REPEALED = "已废止"
    EXPIRED = "已失效"
    PENDING = "尚未生效"

    @property
    def is_ended(self) -> bool:
        """已废止 and 已失效: the document no longer applies at all."""
        return self in (Status.REPEALED, Status.EXPIRED)


class Outcome(str, Enum):
    """清理结果 of one decision in a cleanup record."""

    KEEP = "保留"
    AMEND = "修改"
    REPEAL = "废止"
    DECLARE_EXPIRED = "宣布失效"

    @property
    def resulting_status(self) -> Status | None:
        return {Outcome.REPEAL: Status.REPEALED, Outcome.DECLARE_EXPIRED: Status.EXPIRED}.get(self)


class Column(str, Enum):
    """栏目 of the disclosure column (国办公开办函〔2019〕61号: four first-level columns)."""

    GUIDE = "政府信息公开指南"
    SYSTEM = "政府信息公开制度"
    STATUTORY = "法定主动公开内容"
    ANNUAL_REPORT = "政府信息公开年报"


ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class HistoryEvent:
    """One dated line of a document's history: 通过, 公布, 修正, 修订, 施行 …"""

    date: dt.date
    event: str
    by: str = ""


@dataclass
class Regulation:
    """One document of the compendium (one file under ``regulations/``)."""

    id: str
    title: str
    level: Level
    status: Status
    issuer: str
    published: dt.date
    path: str
    body: str = ""
    body_line: int = 1
    number: str | None = None
    written: dt.date | None = None
    effective: dt.date | None = None
    ended: dt.date | None = None
    basis: str | None = None
    current_version: str | None = None
    valid_until: dt.date | None = None
    index_no: str | None = None
    topic: str | None = None
    version_label: str | None = None
    history: list[HistoryEvent] = field(default_factory=list)
    source: str | None = None
    """来源: where the metadata was checked (a gazette, a database, the issuer's site), or
    「示例（虚构）」 for an invented example; shown on the page, never interpreted."""
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def display_title(self) -> str:
        """The title as shown everywhere: versions of one law are told apart."""
        return f"{self.title}（{self.version_label}）" if self.version_label else self.title

    @property
    def url(self) -> str:
        return f"regulations/{self.id}/"

    @property
    def src_uri(self) -> str:
        return f"regulations/{self.id}.md"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def sort_date(self) -> dt.date:
        return self.written or self.published


@dataclass(frozen=True)
class Decision:
    """One document's fate in a cleanup batch."""

    document: str
    outcome: Outcome
    reason: str
    line: int


@dataclass
class CleanupRecord:
    """行政规范性文件清理: one batch, announced and filed (报送备案)."""

    id: str
    title: str
    announced: dt.date
    filed_with: str
    filed_on: dt.date | None
    decisions: list[Decision]
    path: str
    src_uri: str
    body: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    notice_no: str = ""
    """公告编号 of the announcement (e.g. 吉国动办公告〔2023〕3号), empty when not given."""

    @property
    def url(self) -> str:
        uri = self.src_uri.removesuffix(".md")
        return uri.removesuffix("index") if uri.endswith("index") else uri + "/"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


# --- 年报: the national format's tables (国办公开办函〔2021〕30号) --------------------------------
# A 年报 states its figures in its front matter (``表二``, ``表三``, ``表四``); the program renders
# the tables from them (``regbook.report``) and computes 第二十条第（一）项 from the catalog
# (``regbook.stats``). Labels are the format's own.

REPORT_TWO_ITEMS: dict[str, tuple[str, str]] = {
    "行政许可": ("第二十条第（五）项", "本年处理决定数量"),
    "行政处罚": ("第二十条第（六）项", "本年处理决定数量"),
    "行政强制": ("第二十条第（六）项", "本年处理决定数量"),
    "行政事业性收费": ("第二十条第（八）项", "本年收费金额（单位：万元）"),
}
"""表二's rows other than 第（一）项: front-matter key → (the 第二十条 item, the column)."""
REPORT_TWO_FEE = "行政事业性收费"
"""The one 表二 figure that is an amount (万元, may have decimals), not a count."""
REPORT_TWO_STATED = ("规章", "行政规范性文件")
"""第（一）项's rows: computed from the catalog; a report may state them (``[制发, 废止, 现行有效]``)."""
REPORT_TWO_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
REPORT_THREE_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
"""表三's number columns (申请人情况: 自然人, 法人或其他组织's five, 总计)."""
REPORT_THREE_ROWS = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
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
"""表三's number rows in the format's order (三、本年度办理结果 is only a heading). Rows
（一）…（六） left out of a report count as 0; 一, 二, （七）总计 and 四 are required."""
REPORT_THREE_REQUIRED = (REPORT_THREE_ROWS[0], REPORT_THREE_ROWS[1], REPORT_THREE_ROWS[-2], REPORT_THREE_ROWS[-1])
REPORT_FOUR_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
"""表四's three groups (the last two under 行政诉讼), each with ``REPORT_FOUR_COLUMNS``."""
REPORT_FOUR_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REPORT_KEYS = ("表二", "表三", "表四")


@dataclass
class ReportData:
    """A 年报's figures as its front matter states them (``None``: a cell that is not a number,
    already reported). ``lines``: file line per ``(table, row)``, ``(table, "")`` for the table key."""

    two: dict[str, float | int | None] = field(default_factory=dict)
    stated: dict[str, tuple[int | None, ...]] = field(default_factory=dict)
    three: dict[str, tuple[int | None, ...]] = field(default_factory=dict)
    four: dict[str, tuple[int | None, ...]] = field(default_factory=dict)
    tables: frozenset[str] = frozenset()
    """The tables written (``表二`` …), even where their rows had mistakes."""
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def line(self, table: str, row: str = "") -> int:
        return self.lines.get((table, row)) or self.lines.get((table, ""), 1)


@dataclass
class DisclosureItem:
    """政府信息公开 content: 指南, 制度, 法定主动公开内容, 年报."""

    index_no: str
    title: str
    column: Column
    publisher: str
    published: dt.date
    path: str
    src_uri: str
    written: dt.date | None = None
    body: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    report: ReportData | None = None
    """A 年报's tables (``REPORT_KEYS`` in its front matter), ``None`` when it has none."""
    body_line: int = 1
    summary: str = ""
    """内容概述 (条例第十二条: the 目录 lists it), empty when not given."""

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


# --- front-matter schema --------------------------------------------------------------------
# key → (attribute, kind, required). Kinds: str, date, level, status, history, id.
# Requirements that depend on other fields (e.g. 发文字号 for normative documents,
# 废止或失效日期 for ended documents) are rules, in ``regbook.rules``.

REGULATION_FIELDS: dict[str, tuple[str, str, bool]] = {
    "id": ("id", "id", True),
    "标题": ("title", "str", True),
    "发文字号": ("number", "str", False),
    "制定机关": ("issuer", "str", True),
    "效力位阶": ("level", "level", True),
    "时效性": ("status", "status", True),
    "成文日期": ("written", "date", False),
    "公布日期": ("published", "date", True),
    "施行日期": ("effective", "date", False),
    "废止或失效日期": ("ended", "date", False),
    "依据": ("basis", "str", False),
    "现行版本": ("current_version", "str", False),
    "有效期至": ("valid_until", "date", False),
    "索引号": ("index_no", "str", False),
    "主题分类": ("topic", "str", False),
    "版本": ("version_label", "str", False),
    "修订历史": ("history", "history", False),
    "来源": ("source", "str", False),
}

CLEANUP_FIELDS: dict[str, tuple[str, str, bool]] = {
    "id": ("id", "id", True),
    "标题": ("title", "str", True),
    "公告日期": ("announced", "date", True),
    "报送备案机关": ("filed_with", "str", True),
    "报送备案日期": ("filed_on", "date", False),
    "公告编号": ("notice_no", "str", False),
    "决定": ("decisions", "decisions", True),
}

DECISION_FIELDS: dict[str, tuple[str, str, bool]] = {
    "文件": ("document", "str", True),
    "结果": ("outcome", "outcome", True),
    "理由": ("reason", "str", False),
}

DISCLOSURE_FIELDS: dict[str, tuple[str, str, bool]] = {
    "索引号": ("index_no", "str", True),
    "标题": ("title", "str", True),
    "栏目": ("column", "column", True),
    "发布机构": ("publisher", "str", True),
    "成文日期": ("written", "date", False),
    "发布日期": ("published", "date", True),
    "内容概述": ("summary", "str", False),
}

HISTORY_FIELDS: dict[str, tuple[str, str, bool]] = {
    "日期": ("date", "date", True),
    "事件": ("event", "str", True),
    "机关": ("by", "str", False),
}

VOCABULARIES: dict[str, type[Enum]] = {
    "level": Level,
    "status": Status,
    "outcome": Outcome,
    "column": Column,
}
