"""Open data: the catalog and the disclosure items as JSON and CSV, with a JSON Schema and a page
that documents every field.

Floor 2: bytes from the corpus and the build date, nothing else (no MkDocs, no clock): the same
corpus and date give byte-identical files. The MkDocs plugin publishes them at the site root
(``DATA_FILES``) and the page at ``data/index.md``.

- Every front-matter field appears as text (``""`` where it is not written; dates ``YYYY-MM-DD``;
  ``修订历史`` a list in JSON, one cell in CSV), plus what the site shows on the build date
  (``status_on``: 当前时效性 with its reason and start) and where to read it (网页, PDF).
- Addresses are relative to the site's root (the folder holding these files), or absolute where
  ``mkdocs.yml`` sets ``site_url``.
- CSV: UTF-8 with a byte order mark (Excel then reads Chinese), CRLF rows (RFC 4180), one row per
  document; a text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab,
  carriage return at its start) gets a leading ``'`` (OWASP "CSV injection"); JSON keeps the text as it is.
- The fields are described once (``CATALOG_FIELDS``, ``DISCLOSURE_FIELDS``): the records, the CSV
  header, the JSON Schema and the documentation page all read the same tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import quote, urljoin

from regbook.corpus import Corpus, site_path
from regbook.dates import cn_date
from regbook.escape import md_text
from regbook.model import Column, DisclosureItem, Level, Regulation, Status
from regbook.status import status_on

DATA_PAGE = "data/index.md"
"""The documentation page of the data and feeds (generated)."""
CATALOG_JSON, CATALOG_CSV, CATALOG_SCHEMA = "catalog.json", "catalog.csv", "catalog.schema.json"
DISCLOSURE_JSON, DISCLOSURE_CSV, DISCLOSURE_SCHEMA = "disclosure.json", "disclosure.csv", "disclosure.schema.json"
DATA_FILES = (CATALOG_JSON, CATALOG_CSV, CATALOG_SCHEMA, DISCLOSURE_JSON, DISCLOSURE_CSV, DISCLOSURE_SCHEMA)
RECORDS = "记录"
"""The JSON key of the list of records."""
_DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Field:
    """One field of a record: its name (JSON key and CSV column), meaning and format."""

    name: str
    meaning: str
    form: str = "text"
    """``text``, ``date`` (``YYYY-MM-DD`` or empty), ``url`` (address or empty), ``history``, ``enum``."""
    values: tuple[str, ...] = ()
    """For ``enum``: the allowed values."""
    required: bool = False
    """Never empty."""

    @property
    def format_text(self) -> str:
        """The format, in words, for the documentation page."""
        if self.form == "date":
            return "日期，YYYY-MM-DD" + ("" if self.required else "；可为空")
        if self.form == "url":
            return "网址，相对于本站首页（设置了网站地址时为完整网址）；没有时为空"
        if self.form == "history":
            return "JSON 中为列表，每项含“日期”“事件”“机关”；CSV 中为一格文字，各项以“；”分隔"
        if self.form == "enum":
            return "以下之一：" + "、".join(self.values)
        return "文字" + ("" if self.required else "；可为空")


_STATUSES = tuple(s.value for s in Status)
CATALOG_FIELDS: tuple[Field, ...] = (
    Field("id", "文件的标识，也是网页地址的一部分（regulations/<id>/）", required=True),
    Field("标题", "文件的完整名称", required=True),
    Field("版本", "同一法律有多个版本时的版本说明，如“2023年修正”"),
    Field("发文字号", "如“吉国动办发〔2023〕5号”"),
    Field("制定机关", "制定机关或发文机关", required=True),
    Field("效力位阶", "效力位阶", "enum", tuple(level.value for level in Level), True),
    Field("时效性", "元数据中填写的时效性", "enum", _STATUSES, True),
    Field("成文日期", "成文日期", "date"),
    Field("公布日期", "公布日期", "date", required=True),
    Field("施行日期", "施行日期", "date"),
    Field("废止或失效日期", "废止或失效日期", "date"),
    Field("依据", "废止、失效或修改的依据：清理记录或文件的 id，或一段说明（如“有效期届满”）"),
    Field("依据网页", "依据是本站的清理记录或文件时，其网页", "url"),
    Field("现行版本", "已修改的文件：现行版本的 id"),
    Field("有效期至", "有效期的最后一天", "date"),
    Field("索引号", "政府信息公开的索引号"),
    Field("主题分类", "主题分类"),
    Field("修订历史", "制定和修改情况，按日期排列", "history"),
    Field("来源", "元数据的核对来源"),
    Field("当前时效性", "数据日期当天的时效性（本站页面和目录显示的时效性）", "enum", _STATUSES, True),
    Field(
        "当前时效性说明",
        "当前时效性由日期决定、与元数据中填写的不同时的原因（“施行日期已到”或“有效期届满”）；相同时为空",
    ),
    Field("当前时效性起始日期", "当前时效性开始的日期（施行日期、废止或失效日期、有效期届满的次日），不知道时为空", "date"),
    Field("数据日期", "判断当前时效性的日期，即本数据生成的日期", "date", required=True),
    Field("网页", "文件在本站的网页", "url", required=True),
    Field("PDF", "本文件的 PDF（摘自 PDF 汇编；只有收入汇编的文件才有）", "url"),
)
DISCLOSURE_FIELDS: tuple[Field, ...] = (
    Field("索引号", "政府信息公开的索引号", required=True),
    Field("标题", "标题", required=True),
    Field("栏目", "政府信息公开专栏的栏目", "enum", tuple(c.value for c in Column), True),
    Field("发布机构", "发布机构", required=True),
    Field("成文日期", "成文日期", "date"),
    Field("发布日期", "发布日期", "date", required=True),
    Field("数据日期", "本数据生成的日期", "date", required=True),
    Field("网页", "在本站的网页", "url", required=True),
)


@dataclass(frozen=True)
class Site:
    """Where pages are on the built site: what the records' addresses need to know."""

    directory_urls: bool = True
    """``use_directory_urls`` of mkdocs.yml (``a/b.md`` → ``a/b/`` or ``a/b.html``)."""
    base_url: str = ""
    """``site_url`` of mkdocs.yml: addresses are absolute where it is set, relative to the root otherwise."""
    pdfs: Mapping[str, str] = field(default_factory=dict)
    """Document id → its own PDF (root-relative path), for the documents that have one."""

    def page(self, src_uri: str) -> str:
        """The address of the page built from ``src_uri`` (``regulations/x.md``, ``disclosure/a/b.md``)."""
        if self.directory_urls:
            path = site_path(src_uri).removesuffix("index.html")
        else:
            path = src_uri.removesuffix(".md") + ".html"
        return self.address(path)

    def address(self, path: str) -> str:
        """A root-relative site path as written in the data: percent-encoded, absolute with ``base_url``."""
        encoded = quote(path, safe="/.-_~")
        if not self.base_url:
            return encoded
        return urljoin(self.base_url.rstrip("/") + "/", encoded)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _basis_page(corpus: Corpus, reg: Regulation, site: Site) -> str:
    if not reg.basis:
        return ""
    if record := corpus.cleanup(reg.basis):
        return site.page(record.src_uri)
    if other := corpus.regulation(reg.basis):
        return site.page(other.src_uri)
    return ""


def regulation_record(corpus: Corpus, reg: Regulation, today: dt.date, site: Site) -> dict[str, Any]:
    """One document as a record (``CATALOG_FIELDS``, in order)."""
    shown = status_on(reg, today)
    record: dict[str, Any] = {
        "id": reg.id,
        "标题": reg.title,
        "版本": reg.version_label or "",
        "发文字号": reg.number or "",
        "制定机关": reg.issuer,
        "效力位阶": reg.level.value,
        "时效性": reg.status.value,
        "成文日期": _date(reg.written),
        "公布日期": _date(reg.published),
        "施行日期": _date(reg.effective),
        "废止或失效日期": _date(reg.ended),
        "依据": reg.basis or "",
        "依据网页": _basis_page(corpus, reg, site),
        "现行版本": reg.current_version or "",
        "有效期至": _date(reg.valid_until),
        "索引号": reg.index_no or "",
        "主题分类": reg.topic or "",
        "修订历史": [{"日期": _date(e.date), "事件": e.event, "机关": e.by} for e in reg.history],
        "来源": reg.source or "",
        "当前时效性": shown.status.value,
        "当前时效性说明": shown.reason,
        "当前时效性起始日期": _date(shown.since),
        "数据日期": today.isoformat(),
        "网页": site.page(reg.src_uri),
        "PDF": site.address(site.pdfs[reg.id]) if reg.id in site.pdfs else "",
    }
    return record


def disclosure_record(item: DisclosureItem, today: dt.date, site: Site) -> dict[str, Any]:
    """One disclosure item as a record (``DISCLOSURE_FIELDS``, in order)."""
    record: dict[str, Any] = {
        "索引号": item.index_no,
        "标题": item.title,
        "栏目": item.column.value,
        "发布机构": item.publisher,
        "成文日期": _date(item.written),
        "发布日期": _date(item.published),
        "数据日期": today.isoformat(),
        "网页": site.page(item.src_uri),
    }
    return record


def catalog_records(corpus: Corpus, today: dt.date, site: Site) -> list[dict[str, Any]]:
    """Every regulation, by 效力位阶 (compendium order), then newest 公布日期 first, then id."""
    regs = sorted(corpus.regulations, key=lambda r: (r.level.rank, -r.published.toordinal(), r.id))
    return [regulation_record(corpus, r, today, site) for r in regs]


def disclosure_records(corpus: Corpus, today: dt.date, site: Site) -> list[dict[str, Any]]:
    """Every disclosure item, by 栏目 (the column's order), then newest 发布日期 first, then 索引号."""
    columns = list(Column)
    items = sorted(
        corpus.disclosures, key=lambda d: (columns.index(d.column), -d.published.toordinal(), d.index_no, d.src_uri)
    )
    return [disclosure_record(d, today, site) for d in items]


def to_json(title: str, today: dt.date, records: list[dict[str, Any]]) -> bytes:
    """The JSON file: a title, the data date, the count and the records (UTF-8, no BOM, LF, stable)."""
    data = {"标题": title, "数据日期": today.isoformat(), "记录数": len(records), RECORDS: records}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    if isinstance(value, list):  # 修订历史
        value = "；".join(" ".join(x for x in (e["日期"], e["机关"] + e["事件"]) if x) for e in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(fields: tuple[Field, ...], records: list[dict[str, Any]]) -> bytes:
    """The CSV file: a header of field names, one row per record; UTF-8 with BOM, CRLF."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.name for f in fields])
    for record in records:
        writer.writerow([_cell(record[f.name]) for f in fields])
    return out.getvalue().encode("utf-8-sig")


def _field_schema(f: Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if f.form == "history":
        item = {k: {"type": "string"} for k in ("日期", "事件", "机关")}
        item["日期"] = {"type": "string", "pattern": _DATE_PATTERN.replace("?", "")}
        schema = {
            "type": "array",
            "items": {"type": "object", "properties": item, "required": list(item), "additionalProperties": False},
        }
    elif f.form == "enum":
        schema = {"type": "string", "enum": list(f.values)}
    elif f.form == "date":
        schema = {"type": "string", "pattern": _DATE_PATTERN.replace("?", "") if f.required else _DATE_PATTERN}
    else:
        schema = {"type": "string"}
        if f.required:
            schema["minLength"] = 1
    return {"description": f.meaning, **schema}


def json_schema(name: str, title: str, fields: tuple[Field, ...]) -> bytes:
    """The JSON Schema (draft 2020-12) of one JSON file, from its field table."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": name,
        "title": title,
        "type": "object",
        "properties": {
            "标题": {"type": "string"},
            "数据日期": {"type": "string", "pattern": _DATE_PATTERN.replace("?", "")},
            "记录数": {"type": "integer", "minimum": 0},
            RECORDS: {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {f.name: _field_schema(f) for f in fields},
                    "required": [f.name for f in fields],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["标题", "数据日期", "记录数", RECORDS],
        "additionalProperties": False,
    }
    return (json.dumps(schema, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def data_files(corpus: Corpus, today: dt.date, site: Site, site_name: str) -> dict[str, bytes]:
    """Every data file, by its path in the site (``DATA_FILES``)."""
    regs, items = catalog_records(corpus, today, site), disclosure_records(corpus, today, site)
    catalog_title, disclosure_title = f"{site_name}：法规目录", f"{site_name}：政府信息公开"
    return {
        CATALOG_JSON: to_json(catalog_title, today, regs),
        CATALOG_CSV: to_csv(CATALOG_FIELDS, regs),
        CATALOG_SCHEMA: json_schema(CATALOG_SCHEMA, catalog_title, CATALOG_FIELDS),
        DISCLOSURE_JSON: to_json(disclosure_title, today, items),
        DISCLOSURE_CSV: to_csv(DISCLOSURE_FIELDS, items),
        DISCLOSURE_SCHEMA: json_schema(DISCLOSURE_SCHEMA, disclosure_title, DISCLOSURE_FIELDS),
    }


def _field_table(fields: tuple[Field, ...]) -> str:
    rows = ["| 字段 | 含义 | 格式 |", "| --- | --- | --- |"]
    rows += [f"| {md_text(f.name)} | {md_text(f.meaning)} | {md_text(f.format_text)} |" for f in fields]
    return "\n".join(rows) + "\n"


def data_page(corpus: Corpus, today: dt.date, feeds: list[tuple[str, str]]) -> str:
    """The Markdown of ``data/index.md``: the files, the feeds (``(path, title)``) and every field."""

    def link(path: str) -> str:
        return f"[{md_text(path)}](../{quote(path, safe='/.-_~')})"

    feed_items = "\n".join(f"- {link(path)}：{md_text(title)}" for path, title in feeds)
    return (
        "---\ntitle: 开放数据和订阅\n---\n\n# 开放数据和订阅\n\n"
        f"本站的法规目录和政府信息公开内容以机器可读的格式提供，供下载、统计和订阅。"
        f"数据随网站一起生成，本次数据日期为{cn_date(today)}"
        f"（共 {len(corpus.regulations)} 件文件、{len(corpus.disclosures)} 条政府信息公开内容）。\n\n"
        "## 数据文件\n\n"
        "| 内容 | JSON | CSV | 字段定义（JSON Schema） |\n| --- | --- | --- | --- |\n"
        f"| 法规目录：每件文件一条 | {link(CATALOG_JSON)} | {link(CATALOG_CSV)} | {link(CATALOG_SCHEMA)} |\n"
        f"| 政府信息公开：每条内容一条 | {link(DISCLOSURE_JSON)} | {link(DISCLOSURE_CSV)} | {link(DISCLOSURE_SCHEMA)} |\n\n"
        "- JSON 文件是一个对象：“标题”“数据日期”“记录数”和“记录”（列表，每条记录的字段见下表）；"
        "字段和格式由 JSON Schema（2020-12 版）文件定义，可用于校验。\n"
        "- CSV 文件的第一行是字段名，以后每行一条记录，字段与 JSON 相同、顺序相同。"
        "文件为 UTF-8 编码并带字节顺序标记（BOM），可以直接用 Excel 或 WPS 表格打开。"
        "以 =、+、-、@ 开头的文字前加了一个单引号（'），以免电子表格把它当作公式；JSON 中为原文。\n"
        "- 所有值都是文字：日期写作 YYYY-MM-DD，没有填写的字段为空文字。"
        "“当前时效性”是数据日期当天的时效性，与本站页面和目录显示的一致；"
        "“时效性”是元数据中填写的值，两者可能因施行日期已到或有效期届满而不同。\n"
        "- 网址是相对于本站首页的地址（与这些文件所在的位置相同）；网站配置了正式网址时为完整网址。\n\n"
        "## 订阅（Atom）\n\n"
        "用 RSS 阅读器订阅下面的地址，可以及时得知新公布的文件和时效性的变化。"
        "每个订阅列出最近 30 条，按日期由新到旧排列；每条的标识（id）固定不变，重新生成网站不会产生重复的条目。\n\n"
        f"{feed_items}\n\n"
        "总订阅包括：新公布的文件（公布日期；法律的新版本注明修改前的版本）、开始施行（施行日期晚于公布日期的文件）、"
        "废止和失效（废止或失效日期，链接到依据的清理记录）、行政规范性文件清理（公告日期）和政府信息公开内容（发布日期）。"
        "日期以北京时间当天零时表示。\n\n"
        "## 法规目录的字段\n\n"
        f"{_field_table(CATALOG_FIELDS)}\n"
        "## 政府信息公开的字段\n\n"
        f"{_field_table(DISCLOSURE_FIELDS)}\n"
        "政府信息公开年报中的统计表格不在数据文件中，请查阅年报页面。\n"
    )
