"""Markdown for the generated pages: regulation pages, catalogs, cleanup and disclosure blocks.

Pure functions over the model; the MkDocs plugin only hands their output to MkDocs. Links
are relative ``.md`` links so that MkDocs resolves (and checks) them.

Every metadata value goes through ``regbook.escape``: ``md_text``/``md_link`` where Markdown is
parsed (headings, tables, lists, admonitions), ``html_text`` inside raw HTML blocks, and
``front_matter`` for the page's metadata. No value is ever put into Markdown or HTML as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from functools import lru_cache
from typing import Iterable

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.escape import front_matter, html_text, md_link, md_text
from regbook.markup import ARTICLE_RE
from regbook.model import CleanupRecord, Column, Decision, DisclosureItem, Level, Outcome, Regulation, Status
from regbook.outline import Outline
from regbook.status import Shown, status_on

_STATUS_CLASS = {
    Status.CURRENT: "current",
    Status.AMENDED: "amended",
    Status.REPEALED: "repealed",
    Status.EXPIRED: "expired",
    Status.PENDING: "pending",
}

# An article paragraph starts with 第X条 (Chinese numerals) and a space.


@lru_cache(maxsize=65536)  # the catalogs link every regulation on each build and preview rebuild
def link(from_uri: str, to_uri: str) -> str:
    """A relative link between two source files, as MkDocs expects it."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def status_badge(status: Status) -> str:
    return f'<span class="regbook-status regbook-status--{_STATUS_CLASS[status]}">{html_text(status.value)}</span>'


def _basis_link(corpus: Corpus, reg: Regulation) -> str:
    if not reg.basis:
        return ""
    if record := corpus.cleanup(reg.basis):
        return md_link(record.title, link(reg.src_uri, record.src_uri))
    if other := corpus.regulation(reg.basis):
        return md_link(other.display_title, link(reg.src_uri, other.src_uri))
    return md_text(reg.basis)  # free text: an instrument's name or a reason such as 有效期届满


def banner(corpus: Corpus, reg: Regulation, today: dt.date | None = None) -> str:
    """The status banner for a document that is not 现行有效 on ``today`` (empty otherwise;
    ``today=None``: the status as written)."""
    shown = status_on(reg, today)
    if shown.status.is_ended:
        verb = "废止" if shown.status is Status.REPEALED else "失效"
        if shown.by_date and reg.valid_until:  # 有效期届满 before any editor changed the file
            text = f"本文件有效期至 {cn_date(reg.valid_until)}，已于 {cn_date(shown.since)}失效（{md_text(shown.reason)}）"
        else:
            text = f"本文件已于 {cn_date(shown.since)}{verb}" if shown.since else f"本文件已{verb}"
            basis = _basis_link(corpus, reg)
            if basis:
                text += f"，依据：{basis}"
        return f'!!! danger "{shown.status.value}"\n\n    {text}。本页仅供查阅历史文本，不再作为行政管理依据。\n\n'
    if shown.status is Status.AMENDED:
        current = corpus.regulation(reg.current_version or "")
        where = f"，现行版本：{md_link(current.display_title, link(reg.src_uri, current.src_uri))}" if current else ""
        return f'!!! warning "已修改"\n\n    本文件已被修改{where}。本页为修改前的文本。\n\n'
    if shown.status is Status.PENDING:
        when = f"，将自{cn_date(reg.effective)}起施行" if reg.effective else ""
        return f'!!! info "尚未生效"\n\n    本文件已公布，尚未生效{when}。\n\n'
    return ""


def metadata_block(reg: Regulation, today: dt.date | None = None) -> str:
    """The metadata table Chinese government portals put above a document (时效性 on ``today``):
    laws, regulations and 规章 have a 制定机关, 规范性文件 a 发文机关; 来源 says where it was checked."""
    organ = "发文机关" if reg.level in (Level.NORMATIVE, Level.OTHER_NORMATIVE) else "制定机关"
    rows: list[tuple[str, str]] = [
        ("索引号", reg.index_no or ""),
        ("主题分类", reg.topic or ""),
        (organ, reg.issuer),
        ("发文字号", reg.number or ""),
        ("成文日期", cn_date(reg.written)),
        ("公布日期", cn_date(reg.published)),
        ("施行日期", cn_date(reg.effective)),
        ("效力位阶", reg.level.value),
        ("有效期至", cn_date(reg.valid_until)),
        ("来源", reg.source or ""),
    ]
    cells = [(k, html_text(v)) for k, v in rows if v]
    cells.append(("时效性", status_badge(status_on(reg, today).status)))
    return _meta_table(cells)


def _meta_table(cells: list[tuple[str, str]]) -> str:
    """Label/value pairs as a ``regbook-meta`` list (values already escaped); CSS lays it out in a grid.

    A 索引号 may break only after its "/" (机构代码/年份-流水号), never inside a number."""
    items = "".join(f"<div><dt>{k}</dt><dd>{_index_no(v) if k == '索引号' else v}</dd></div>" for k, v in cells)
    return f'<dl class="regbook-meta">{items}</dl>\n\n'


def _index_no(escaped: str) -> str:
    """An escaped 索引号 whose parts never break inside: 机构代码/ then 年份-流水号."""
    return "<wbr>".join(f'<span class="regbook-nowrap">{part}</span>' for part in re.split(r"(?<=/)", escaped) if part)


def pdf_link(href: str) -> str:
    """「下载本文件 PDF」 under the metadata block (raw HTML: MkDocs does not check links to downloads)."""
    if not href:
        return ""
    return f'<p class="regbook-pdf"><a href="{html_text(href)}" download>下载本文件 PDF</a>（摘自 PDF 汇编）</p>\n\n'


def anchor_articles(body: str) -> str:
    """Give every 第X条 paragraph an anchor, so ``…/#第十条`` links to it."""
    return ARTICLE_RE.sub(lambda m: f'<a id="{m[1]}" class="regbook-article"></a>**{m[1]}**', body)


def history_block(reg: Regulation) -> str:
    if not reg.history:
        return ""
    items = "\n".join(f"- {cn_date(e.date)} {md_text(e.by)}{md_text(e.event)}" for e in reg.history)
    return '??? note "制定和修改情况"\n\n' + "\n".join("    " + line for line in items.split("\n")) + "\n\n"


def cleanup_history_block(corpus: Corpus, reg: Regulation) -> str:
    """「清理情况」: every cleanup record that decided on the document, oldest first (empty if none)."""
    rulings = corpus.cleanup_history.get(reg.id)
    if rulings is None:
        return ""
    items = []
    for r in rulings.rulings:
        reason = f"（{md_text(r.decision.reason)}）" if r.decision.reason else ""
        title = md_link(r.record.title, link(reg.src_uri, r.record.src_uri))
        items.append(f"- {cn_date(r.date)}，{title}：{r.outcome.value}{reason}")
    return '???+ note "清理情况"\n\n' + "\n".join("    " + line for line in items) + "\n\n"


def strip_title(body: str) -> str:
    """Drop a leading ``# 标题`` from the body: the page title is written by us."""
    lines = body.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines)


def regulation_page(
    corpus: Corpus, reg: Regulation, pdf_href: str = "", *, today: dt.date | None = None, body_mark: str = ""
) -> str:
    """The whole Markdown of a regulation's page; ``pdf_href``: this document's PDF (from the book);
    ``today``: the build date the banner, badge and search metadata show the status on;
    ``body_mark``: an HTML comment alone before the body, where the plugin cuts the body's HTML out
    of the page and removes the comment (``regbook.book.from_site``)."""
    shown = status_on(reg, today).status
    return (
        _page_front(reg.display_title, shown.value, reg.number)
        + f"# {md_text(reg.display_title)}\n\n"
        + banner(corpus, reg, today)
        + metadata_block(reg, today)
        + pdf_link(pdf_href)
        + history_block(reg)
        + cleanup_history_block(corpus, reg)
        + (f"{body_mark}\n\n" if body_mark else "")
        + regulation_body(corpus, reg)
        + "\n"
    )


def regulation_body(corpus: Corpus, reg: Regulation) -> str:
    """The body part of a regulation's page: site links, no ``# 标题``, anchored articles."""
    return _page_body(_site_links(corpus, reg))


# The preview (make serve) makes every regulation's page again on each rebuild: the parts that
# depend on their arguments alone are kept (the bodies of a national corpus are the same objects
# from one rebuild to the next: regbook.corpus.LoadCache).


@lru_cache(maxsize=8192)
def _page_front(title: str, status: str, number: str | None) -> str:
    """A regulation page's front matter: title (text: the plugin turns it into the theme's HTML)
    and regbook_* (for search)."""
    return front_matter({"title": title, "regbook_status": status, "regbook_number": number})


@lru_cache(maxsize=8192)
def _page_body(linked: str) -> str:
    """A regulation page's text (the body with site links): no title, anchored articles."""
    return anchor_articles(strip_title(linked)).strip()


def _site_links(corpus: Corpus, reg: Regulation) -> str:
    """The body with links written as the files lie in the repository made to work on the site."""
    from regbook.rules.links import rewrite_links  # rules import this module

    return rewrite_links(corpus, reg, reg.body)


def _row_facets(reg: Regulation, shown: Shown) -> str:
    """What the catalog filter (``overrides/assets/javascripts/catalog-filter.js``) reads of a row: an
    empty hidden span in its first cell (a Markdown table row has no attributes of its own). Values
    through ``md_text``: no ``|`` ends the cell, and its character references are what an attribute
    value decodes (no quote, ``<`` or ``&`` is left as it is)."""
    facets = {
        "level": reg.level.value,
        "status": shown.status.value,
        "issuer": reg.issuer,
        "year": str(reg.published.year),
        "title": reg.display_title,
        "number": reg.number or "",
    }
    data = " ".join(f'data-{k}="{md_text(v)}"' for k, v in facets.items())
    return f'<span class="regbook-row" {data} hidden></span>'


def filter_box(from_uri: str) -> str:
    """The catalog filter's place (filled by catalog-filter.js, hidden without JavaScript: the full
    tables stay) with the vocabularies' order, and a link to the same catalog as open data."""
    order = {"level": [v.value for v in Level], "status": [s.value for s in Status]}
    data = link(from_uri, "data/index.md")
    return (
        f'<div class="regbook-filter" data-regbook-filter data-order="{html_text(json.dumps(order, ensure_ascii=False))}" hidden></div>\n\n'
        f"本目录也提供可下载的数据（JSON、CSV）和订阅（Atom）：见{md_link('开放数据和订阅', data)}。\n"
    )


def _table(rows: Iterable[tuple[Regulation, Shown]], from_uri: str) -> str:
    out = ["| 标题 | 发文字号 | 公布日期 | 施行日期 | 时效性 |", "| --- | --- | --- | --- | --- |"]
    for r, shown in rows:
        out.append(
            f"| {_row_facets(r, shown)}{md_link(r.display_title, link(from_uri, r.src_uri))} | {md_text(r.number)} | {cn_date(r.published)} "
            f"| {cn_date(r.effective)} | {status_badge(shown.status)} |"
        )
    return "\n".join(out) + "\n"


def grouped(regs: Iterable[Regulation], outline: Outline | None = None) -> list[tuple[Level, list[Regulation]]]:
    """Regulations by 效力位阶, each group in the compendium's order (``regbook.outline``: the
    editor's 汇编目录, then basic laws first, national before local, oldest first) — the PDF book's order."""
    key = (outline or Outline()).sort_key()
    groups: dict[Level, list[Regulation]] = {}
    for r in regs:
        groups.setdefault(r.level, []).append(r)
    return [(level, sorted(groups[level], key=key)) for level in Level if level in groups]


CATALOG_PAGES: dict[str, tuple[str, str]] = {
    "catalog/index.md": ("法律法规目录", "全部文件，按效力位阶分组，同组内的顺序与 PDF 汇编相同。"),
    "catalog/current.md": ("现行有效文件", "时效性为“现行有效”的文件。"),
    "catalog/repealed.md": ("已废止、已失效文件", "已废止或已失效的文件，仅供查阅历史文本。"),
}


def catalog_page(corpus: Corpus, uri: str, today: dt.date | None = None) -> str:
    """A catalog page; statuses (and so which catalog lists a document) as on ``today``."""
    title, intro = CATALOG_PAGES[uri]
    shown = {r.id: status_on(r, today) for r in corpus.regulations}
    selected: list[Regulation] = {
        "catalog/index.md": corpus.regulations,
        "catalog/current.md": [r for r in corpus.regulations if shown[r.id].status is Status.CURRENT],
        "catalog/repealed.md": [r for r in corpus.regulations if shown[r.id].status.is_ended],
    }[uri]
    statuses = [shown[r.id].status for r in selected]
    counts = "、".join(f"{s.value} {statuses.count(s)} 件" for s in Status if s in statuses)
    out = [f"# {title}\n", f"{intro}共 {len(selected)} 件{('（' + counts + '）') if counts else ''}。\n"]
    if not selected:
        out.append("暂无文件。\n")
    else:
        out.append(filter_box(uri))
    for level, regs in grouped(selected, corpus.outline):
        out.append(f"## {level.value}（{len(regs)} 件）\n")
        rows = [(r, shown[r.id]) for r in regs]
        out.append('<div class="regbook-catalog" markdown>\n\n' + _table(rows, uri) + "\n</div>\n")
    return "\n".join(out)


def cleanup_block(corpus: Corpus, record: CleanupRecord) -> str:
    """The decisions put at the top of a cleanup record's page: the table, then the 附件 as offices publish them."""
    counts = "，".join(f"{o} {n} 件" for o, n in _outcome_counts(record))
    filed = html_text(record.filed_with) + (f"，{cn_date(record.filed_on)}" if record.filed_on else "")
    meta = [("公告编号", html_text(record.notice_no))] if record.notice_no else []
    head = [
        _meta_table([*meta, ("公告日期", cn_date(record.announced)), ("报送备案", filed)]),
        f"本批清理结果：{counts}。\n",
        "| 序号 | 文件名称 | 发文字号 | 清理结果 | 理由 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for i, d in enumerate(record.decisions, 1):
        name, number = _decision_document(corpus, record, d)
        head.append(f"| {i} | {name} | {number} | {d.outcome.value} | {md_text(d.reason)} |")
    head.append("")
    for n, (heading, outcomes) in enumerate(_annexes(record), 1):
        decisions = [d for d in record.decisions if d.outcome in outcomes]
        head.append(f"**附件{n}　{heading}**\n")
        for i, d in enumerate(decisions, 1):
            name, number = _decision_document(corpus, record, d)
            head.append(f"{i}. {name}" + (f"（{number}）" if number else ""))
        head.append("")
    return "\n".join(head) + "\n"


_ANNEXES: tuple[tuple[str, frozenset[Outcome]], ...] = (
    ("继续有效目录", frozenset({Outcome.KEEP})),
    ("修改目录", frozenset({Outcome.AMEND})),
    ("废止（失效）目录", frozenset({Outcome.REPEAL, Outcome.DECLARE_EXPIRED})),
)


def _annexes(record: CleanupRecord) -> list[tuple[str, frozenset[Outcome]]]:
    """The 附件 a cleanup announcement has (继续有效, 修改, 废止（失效）), those with decisions only."""
    return [(h, o) for h, o in _ANNEXES if any(d.outcome in o for d in record.decisions)]


def _decision_document(corpus: Corpus, record: CleanupRecord, d: Decision) -> tuple[str, str]:
    """(文件名称 linked when the catalog has it, 发文字号), both escaped Markdown."""
    reg = corpus.regulation(d.document)
    name = md_link(reg.display_title, link(record.src_uri, reg.src_uri)) if reg else md_text(d.document)
    return name, md_text(reg.number) if reg and reg.number else ""


def disclosure_block(item: DisclosureItem) -> str:
    rows = [
        ("索引号", item.index_no),
        ("栏目", item.column.value),
        ("发布机构", item.publisher),
        ("成文日期", cn_date(item.written)),
        ("发布日期", cn_date(item.published)),
    ]
    return _meta_table([(k, html_text(v)) for k, v in rows if v])


def disclosure_list(corpus: Corpus, from_uri: str) -> str:
    """The 目录 by 栏目 (条例第十二条: 索引号、名称、内容概述、生成日期), for the column's landing page."""
    out = []
    for column in Column:
        items = [d for d in corpus.disclosures if d.column is column]
        out.append(f"## {column.value}\n")
        if not items:
            out.append("暂无内容。\n")
            continue
        out.append("| 索引号 | 名称 | 内容概述 | 生成日期 |\n| --- | --- | --- | --- |")
        for d in sorted(items, key=lambda d: d.published, reverse=True):
            name = md_link(d.title, link(from_uri, d.src_uri))
            made = cn_date(d.written or d.published)
            out.append(f"| {md_text(d.index_no)} | {name} | {md_text(d.summary)} | {made} |")
        out.append("")
    return "\n".join(out) + "\n"


def cleanup_list(corpus: Corpus, from_uri: str) -> str:
    out = ["| 公告日期 | 清理批次 | 清理结果 |", "| --- | --- | --- |"]
    for c in sorted(corpus.cleanups, key=lambda c: c.announced, reverse=True):
        summary = "，".join(f"{o} {n} 件" for o, n in _outcome_counts(c))
        out.append(f"| {cn_date(c.announced)} | {md_link(c.title, link(from_uri, c.src_uri))} | {summary} |")
    return "\n".join(out) + "\n"


def _outcome_counts(record: CleanupRecord) -> list[tuple[str, int]]:
    """(清理结果, count) in the vocabulary's order, outcomes that occur only."""
    return [(o.value, n) for o in Outcome if (n := sum(d.outcome is o for d in record.decisions))]
