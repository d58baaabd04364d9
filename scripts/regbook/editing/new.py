"""``regbook new``: a new regulation, disclosure item or 年报, from a few facts.

The editor gives the facts only a person knows (标题, 发文字号, the dates, 主题分类); the rest
comes from the rules and the content:

- the folder (``regulations/<效力位阶 folder>/``, ``docs/disclosure/<栏目 folder>/``) and the id
  or file name (``regbook.editing.ids``);
- 时效性: 尚未生效 while 施行日期 is after the build date, else 现行有效;
- 制定机关 by 效力位阶 where there is one usual organ (法律 → 全国人民代表大会常务委员会,
  行政法规 → 国务院, 地方性法规 → 吉林省人民代表大会常务委员会, 规章 → 吉林省人民政府,
  行政规范性文件 → the office); 其他规范性文件 asks for it;
- 索引号 (the office's documents, every disclosure item): the next free one (``ids.next_index_no``);
- 有效期至 (the office's 行政规范性文件, ``rules.fields``): 施行日期 plus 5 years minus one day;
- the body: a skeleton marked for the editor to replace (``templates``).

Facts are checked as the checker would (dates in order and not in the future, a GB/T 9704
发文字号 whose year is the 成文日期's, unique numbers), so the file passes ``regbook check``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml.scalarstring import SingleQuotedScalarString

from regbook.corpus import DISCLOSURE_DIR, REGULATIONS_DIR, Corpus, date_or_reason
from regbook.editing import annual_report, checks, ids, templates
from regbook.editing.plan import FileEdit, Plan, Refusal
from regbook.importer import writing
from regbook.model import ID_RE, Column, Level, Status
from regbook.rules.disclosure import title_year
from regbook.rules.fields import is_office_issuer, usual_end

DISCLOSURE = "公开"
ANNUAL_REPORT = "年报"
KINDS: tuple[str, ...] = (*(level.value for level in Level), DISCLOSURE, ANNUAL_REPORT)
"""What ``regbook new`` makes: a regulation of each 效力位阶, a disclosure item, a 年报."""

COLUMN_FOLDERS = {
    Column.GUIDE: "zhinan",
    Column.SYSTEM: "zhidu",
    Column.STATUTORY: "fading",
    Column.ANNUAL_REPORT: "nianbao",
}
"""``docs/disclosure/<folder>/`` of each 栏目 (CONTRIBUTING 第一部分)."""

DEFAULT_ISSUERS = {
    Level.LAW: "全国人民代表大会常务委员会",
    Level.ADMIN_REGULATION: "国务院",
    Level.LOCAL_REGULATION: "吉林省人民代表大会常务委员会",
    Level.RULE: "吉林省人民政府",
    Level.NORMATIVE: ids.OFFICE,
}
"""制定机关 when the editor gives none; 其他规范性文件 has no usual organ and asks."""


@dataclass
class Facts:
    """What the editor says about the new file (``None``: not given)."""

    title: str | None = None
    number: str | None = None
    issuer: str | None = None
    written: dt.date | None = None
    date: dt.date | None = None
    effective: dt.date | None = None
    valid_until: dt.date | None = None
    topic: str | None = None
    index_no: str | None = None
    id: str | None = None
    column: Column | None = None
    year: int | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Fact:
    """One fact a command can ask for: its ``Facts`` attribute, option, words and example."""

    name: str
    option: str
    label: str
    example: str
    kind: str = "text"
    """text, date, year, column or number (a 发文字号)."""

    def prompt(self) -> str:
        return f"{self.label}（如 {self.example}）"


FACTS = {
    f.name: f
    for f in (
        Fact("title", "--title", "标题", "吉林省国防动员办公室关于加强人民防空工程维护管理的通知"),
        Fact("number", "--number", "发文字号", "吉国动办发〔2026〕5号", "number"),
        Fact("issuer", "--issuer", "制定机关", "吉林省国防动员办公室"),
        Fact("written", "--written", "成文日期", "2026-11-20", "date"),
        Fact("date", "--date", "公布日期", "2026-11-25", "date"),
        Fact("effective", "--effective", "施行日期", "2027-01-01", "date"),
        Fact("valid_until", "--valid-until", "有效期至", "2031-12-31", "date"),
        Fact("topic", "--topic", "主题分类", "国防\\人民防空"),
        Fact("index_no", "--index-no", "索引号", "11220000MB1949XXXX/2026-00012"),
        Fact("id", "--id", "id", "jilin-guodongban-renfang-gongcheng-weihu-tongzhi"),
        Fact("column", "--column", "栏目", "法定主动公开内容", "column"),
        Fact("year", "--year", "报告年度", "2026", "year"),
        Fact("publisher", "--publisher", "发布机构", ids.OFFICE),
    )
}


def fact_for(kind: str, name: str) -> Fact:
    """The fact as this kind words it (a disclosure item's date is its 发布日期)."""
    fact = FACTS[name]
    if name == "date" and kind in (DISCLOSURE, ANNUAL_REPORT):
        return replace(fact, label="发布日期")
    return fact


def parse(fact: Fact, text: str) -> tuple[Any, str]:
    """An option's or an answer's text → (value, "") or (None, why not, in Chinese)."""
    text = unicodedata.normalize("NFKC", text).strip() if fact.kind != "text" else text.strip()
    if not text:
        return None, f"{fact.label}不能为空"
    if fact.kind == "date":
        date, why = date_or_reason(text)
        if date is None:
            return None, f"{fact.label}“{text}”不是有效日期（{why}）：应写作 YYYY-MM-DD，如 {fact.example}"
        return date, ""
    if fact.kind == "year":
        if not text.isdigit() or len(text) != 4:
            return None, f"{fact.label}应为四位年份，如 {fact.example}，实际为“{text}”"
        return int(text), ""
    if fact.kind == "column":
        for column in Column:
            if text in (column.value, COLUMN_FOLDERS[column], column.value.removeprefix("政府信息公开")):
                return column, ""
        allowed = "、".join(c.value for c in Column)
        return None, f"{fact.label}“{text}”不在允许范围内：应为 {allowed} 之一"
    return text, ""  # a 发文字号's form depends on the level: see _number


def _level(kind: str) -> Level | None:
    return next((level for level in Level if level.value == kind), None)


def _issuer(kind: str, facts: Facts) -> str | None:
    level = _level(kind)
    return facts.issuer or (DEFAULT_ISSUERS.get(level) if level else None)


def _office_normative(kind: str, facts: Facts) -> bool:
    issuer = _issuer(kind, facts)
    return kind == Level.NORMATIVE.value and issuer is not None and is_office_issuer(issuer)


def _gbt9704(kind: str, facts: Facts) -> bool:
    """Whether the new document is a 公文 whose 发文字号, 成文日期 and 施行日期 are required."""
    level, issuer = _level(kind), _issuer(kind, facts)
    return level is not None and issuer is not None and checks.needs_gbt9704(level, issuer)


def needed(kind: str, facts: Facts) -> list[Fact]:
    """The facts still missing for ``kind``, in the order to ask them (asking may add more:
    a 其他规范性文件's 制定机关 decides whether it needs a 发文字号)."""
    if kind == ANNUAL_REPORT:
        names = ["date"]
    elif kind == DISCLOSURE:
        names = ["title", "column", "date"]
    else:
        names = ["title"]
        if kind == Level.OTHER_NORMATIVE.value:
            names.append("issuer")
        if _gbt9704(kind, facts):
            names += ["number", "written"]
        names += ["date", "effective"]
        if _office_normative(kind, facts):
            names.append("topic")
    return [fact_for(kind, n) for n in names if getattr(facts, n) is None]


def draft(corpus: Corpus, kind: str, facts: Facts, today: dt.date) -> Plan:
    """The plan of ``regbook new <kind>``; raises ``Refusal`` for missing or inconsistent facts."""
    if kind not in KINDS:
        raise Refusal(f"不能新建“{kind}”：可以新建 {'、'.join(KINDS)}")
    missing = needed(kind, facts)
    if missing:
        raise Refusal("缺少：" + "、".join(f"{f.label}（{f.option}）" for f in missing))
    if kind == ANNUAL_REPORT:
        return _annual_report(corpus, facts, today)
    if kind == DISCLOSURE:
        return _disclosure(corpus, facts, today)
    level = _level(kind)
    assert level is not None
    return _regulation(corpus, level, facts, today)


def _regulation(corpus: Corpus, level: Level, facts: Facts, today: dt.date) -> Plan:
    assert facts.title and facts.date
    title = facts.title.strip()
    same = next((r for r in corpus.regulations if r.title == title), None)
    if same is not None:
        raise Refusal(
            f"已有标题相同的文件 {same.path}：同一文件的新版本请用 regbook amend {same.id} --version …（如 2026年修订）--date …"
        )
    issuer = _issuer(level.value, facts)
    assert issuer is not None
    published, effective, written = facts.date, facts.effective, facts.written
    checks.not_after("公布日期", published, today)
    if written:
        checks.not_after("成文日期", written, today)
    checks.in_order(("成文日期", written), ("公布日期", published))
    checks.in_order(("公布日期", published), ("施行日期", effective))
    office = is_office_issuer(issuer)
    dated = written or published
    number = checks.number(corpus, level, facts.number, dated) if facts.number else None
    valid_until = facts.valid_until
    if valid_until is None and level is Level.NORMATIVE and office:
        valid_until = usual_end(effective or published)
    checks.in_order(
        ("施行日期" if effective else "公布日期", effective or published), ("有效期至", valid_until), strict=True
    )
    index_no = None
    if facts.index_no:
        index_no = ids.chosen_index_no(corpus, facts.index_no, dated.year)
    elif office:
        index_no = ids.next_index_no(corpus, dated.year)
    taken = ids.taken_ids(corpus)
    id_ = ids.chosen_id(facts.id, taken) if facts.id else ids.document_id(title, published, taken)
    status = Status.PENDING if effective and effective > today else Status.CURRENT
    data: dict[str, Any] = {"id": id_, "标题": title}
    optional: list[tuple[str, Any]] = [
        ("发文字号", number),
        ("制定机关", issuer),
        ("效力位阶", level.value),
        ("时效性", status.value),
        ("成文日期", written),
        ("公布日期", published),
        ("施行日期", effective),
        ("有效期至", valid_until),
        ("索引号", index_no),
        ("主题分类", SingleQuotedScalarString(facts.topic.strip()) if facts.topic else None),
    ]
    data.update({key: value for key, value in optional if value is not None})
    path = f"{REGULATIONS_DIR}/{level.slug}/{id_}.md"
    text = writing.render(data, templates.regulation_body(level, effective), record=False)
    notes = ["请打开文件，把正文换成正式文本（删去“待替换”提示框）；核对元数据后运行 regbook check。"]
    if valid_until and facts.valid_until is None:
        notes.append(f"有效期至按施行之日起5年计为 {valid_until.isoformat()}；文件另有规定的，请改“有效期至”。")
    return Plan([FileEdit(path, None, text)], notes)


def _disclosure_data(corpus: Corpus, facts: Facts, title: str, column: Column, today: dt.date) -> dict[str, Any]:
    assert facts.date
    published, written = facts.date, facts.written
    checks.not_after("发布日期", published, today)
    if written:
        checks.not_after("成文日期", written, today)
    checks.in_order(("成文日期", written), ("发布日期", published))
    year = (written or published).year
    index_no = ids.chosen_index_no(corpus, facts.index_no, year) if facts.index_no else ids.next_index_no(corpus, year)
    data: dict[str, Any] = {
        "索引号": index_no,
        "标题": title,
        "栏目": column.value,
        "发布机构": facts.publisher or _publisher(corpus),
    }
    if written:
        data["成文日期"] = written
    data["发布日期"] = published
    return data


def _publisher(corpus: Corpus) -> str:
    """The 发布机构 the existing disclosure items name most often (else the office)."""
    names = [d.publisher for d in corpus.disclosures]
    return max(set(names), key=names.count) if names else ids.OFFICE


def _disclosure(corpus: Corpus, facts: Facts, today: dt.date) -> Plan:
    assert facts.title and facts.column
    title, column = facts.title.strip(), facts.column
    if column is Column.ANNUAL_REPORT:
        raise Refusal("政府信息公开年报请用 regbook new 年报 --date 发布日期 新建（按国家规定的格式生成表格）")
    same = next((d for d in corpus.disclosures if d.title == title), None)
    if same is not None:
        raise Refusal(f"已有标题相同的政府信息公开内容 {same.path}：请直接修改该文件，或换一个标题")
    folder = f"{DISCLOSURE_DIR}/{COLUMN_FOLDERS[column]}"
    name = _chosen_name(corpus.root, folder, facts.id) if facts.id else ids.file_name(title, corpus.root / folder)
    data = _disclosure_data(corpus, facts, title, column, today)
    text = writing.render(data, templates.disclosure_body(), record=False)
    notes = ["请打开文件写正文（删去“待替换”提示框），然后运行 regbook check。"]
    return Plan([FileEdit(f"{folder}/{name}.md", None, text)], notes)


def _chosen_name(root: Path, folder: str, name: str) -> str:
    if not ID_RE.match(name):
        raise Refusal(f"--id“{name}”不能作文件名：只用小写字母、数字和连字符，如 jigou-zhineng")
    if (root / folder / f"{name}.md").exists():
        raise Refusal(f"{folder}/{name}.md 已存在：请换一个文件名")
    return name


def _annual_report(corpus: Corpus, facts: Facts, today: dt.date) -> Plan:
    assert facts.date
    year = facts.year if facts.year is not None else facts.date.year - 1
    publisher = facts.publisher or _publisher(corpus)
    title = facts.title.strip() if facts.title else f"{publisher}{year}年政府信息公开工作年度报告"
    if title_year(title) != year:
        raise Refusal(f"年报标题应写明报告年度 {year} 年，如“{publisher}{year}年政府信息公开工作年度报告”")
    for item in corpus.disclosures:
        if item.column is Column.ANNUAL_REPORT and title_year(item.title) == year:
            raise Refusal(f"{year} 年的年报已有：{item.path}；请直接修改该文件")
    folder = f"{DISCLOSURE_DIR}/{COLUMN_FOLDERS[Column.ANNUAL_REPORT]}"
    name = facts.id or f"{year}-zhengfu-xinxi-gongkai-niandu-baogao"
    name = _chosen_name(corpus.root, folder, name)
    data = _disclosure_data(corpus, replace(facts, publisher=publisher), title, Column.ANNUAL_REPORT, today)
    reports = [d for d in corpus.disclosures if d.column is Column.ANNUAL_REPORT and (title_year(d.title) or 0) < year]
    latest = max(reports, key=lambda d: (title_year(d.title) or 0, d.published), default=None)
    parts = writing.split(writing.read_text(corpus.root / latest.path)[0]) if latest else None
    if latest is not None and parts is not None:
        carry = title_year(latest.title) == year - 1
        lines = annual_report.front(parts.front, data, carry)
        text = "\n".join(["---", *lines, "---", "", annual_report.body(parts.body, year, carry)])
    else:
        head, sep, rest = writing.render(data, templates.annual_report_body(year), record=False).partition("\n---\n")
        text = "\n".join([head, *templates.annual_report_tables()]) + sep + rest
    notes = [
        f"请打开文件填写{year}年的文字和表中数字（删去“待替换”提示框），然后运行 regbook check（核对表三是否平衡）。"
    ]
    return Plan([FileEdit(f"{folder}/{name}.md", None, text)], notes)


def facts_from(values: dict[str, str | None], kind: str, on_error: Callable[[str], None]) -> Facts:
    """``Facts`` from option texts (``None``: not given); each bad value is passed to ``on_error``."""
    out = Facts()
    for f in fields(Facts):
        text = values.get(f.name)
        if text is None:
            continue
        value, why = parse(fact_for(kind, f.name), text)
        if why:
            on_error(f"{fact_for(kind, f.name).option}：{why}")
        else:
            setattr(out, f.name, value)
    return out
