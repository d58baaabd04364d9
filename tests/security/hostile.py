"""A fixture project whose metadata is hostile: every string field of every kind of document holds
markup, YAML-special characters, a line break, or text that reads as a number, a boolean, a date
or null. Shared by ``test_escaping.py`` (built HTML, front matter, search metadata) and
``test_planted_markup.py`` (the same pages in Chromium).

Per value ``k`` the project gets: ``hostile-law-k`` (法律, 现行有效: 标题, 发文字号, 制定机关, 主题分类,
版本, 修订历史 事件/机关), ``hostile-ended-k`` (法律, 已废止, 依据 as free text: ``决定 <value>``),
``hostile-doc-k`` (行政规范性文件, 已废止 by the cleanup record ``hostile-cleanup-k``, whose 标题,
报送备案机关 and 理由 are the value) and a disclosure item ``hostile-k`` (标题, 发布机构).

What the checker refuses, with file:line, and so never reaches a page: a 索引号 that is not
``机构代码/年份-流水号`` (``INVALID_INDEX_NO``), and a 依据 that reads as an id but names no record or
document (``123``, ``true``, ``null``, ``2023-01-01``), and a 发文字号 with a line break (an
invisible character); hence 索引号 stays valid, 依据 has a prefix and 发文字号 is on one line.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import copy_project

VALUES: dict[str, str] = {
    "img": "<img src=x onerror=alert(1)>",
    "script": "<script>alert(1)</script>",
    "jslink": "[a](javascript:alert(1))",
    "attrlist": 'x {: onclick="alert(1)" }',
    "abbr": "*[国防]: <img src=x onerror=alert(1)>",
    "yaml": "[x: y # z &a *b !tag ' \" | > %",
    "markdown": "*b* _c_ `d` \\e |f| :smile: &amp; <!-- c --> ~~s~~ 1. #h",
    "newline": "第一行\n第二行\n\n- 第三行",
    "int": "123",
    "float": "1e5",
    "bool": "true",
    "date": "2023-01-01",
    "null": "null",
}
"""Each value, exactly as the editor wrote it (quoted in the YAML)."""

MARKUP = {"img", "script", "jslink", "attrlist", "abbr", "markdown"}


def shown(value: str) -> str:
    """What a reader sees: the value on one line (HTML collapses whitespace anyway)."""
    return " ".join(value.split())


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


INVALID_INDEX_NO = "<img src=x onerror=alert(1)>"


PAGE_TITLES: dict[str, tuple[str, str]] = {
    "int": ("title: 123", "123"),
    "date": ("title: 2023-01-01", "2023-01-01"),
    "bool": ("title: true", "true"),
    "img": ('title: "<img src=x onerror=alert(1)>"', "<img src=x onerror=alert(1)>"),
    "close": ("title: '</title><script>alert(1)</script>'", "</title><script>alert(1)</script>"),
    "yaml": ("title: '[x: y # z &a *b'", "[x: y # z &a *b"),
}
"""Hand-written pages ``docs/hostile-title-k.md``: the ``title:`` line as an editor may write it
(YAML reads a number, a date, a boolean), and the title the page must show."""


def number(k: str) -> str:
    """发文字号 of ``hostile-law-k``: the value on one line (a line break in it is refused)."""
    return shown(VALUES[k]) if "\n" in VALUES[k] else VALUES[k]


def basis(k: str) -> str:
    """依据 of ``hostile-ended-k`` (free text: a bare ``123`` would be taken for an id)."""
    return f"决定 {VALUES[k]}"


def build_project(dest: Path) -> Path:
    """The sample project plus the hostile documents."""
    project = copy_project(dest)
    for i, (k, v) in enumerate(VALUES.items(), 1):
        q = _q(v)
        (project / "regulations" / "falv" / f"hostile-law-{k}.md").write_text(
            f"---\nid: hostile-law-{k}\n标题: {q}\n发文字号: {_q(number(k))}\n制定机关: {q}\n效力位阶: 法律\n时效性: 现行有效\n"
            f"公布日期: 2020-01-{i:02d}\n施行日期: 2020-02-01\n主题分类: {q}\n索引号: 11220000MB1949XXXX/2020-{100 + i:05d}\n"
            f"版本: {q}\n"
            f"修订历史:\n  - 日期: 2020-01-{i:02d}\n    事件: {q}\n    机关: {q}\n---\n\n第一条 正文。\n",
            encoding="utf-8",
        )
        (project / "regulations" / "falv" / f"hostile-ended-{k}.md").write_text(
            f"---\nid: hostile-ended-{k}\n标题: {_q('已废止 ' + v)}\n制定机关: 全国人民代表大会\n效力位阶: 法律\n"
            f"时效性: 已废止\n公布日期: 2001-01-{i:02d}\n施行日期: 2001-02-01\n废止或失效日期: 2010-01-01\n依据: {_q(basis(k))}\n---\n\n第一条 正文。\n",
            encoding="utf-8",
        )
        (project / "regulations" / "xingzheng-guifanxing-wenjian" / f"hostile-doc-{k}.md").write_text(
            f"---\nid: hostile-doc-{k}\n标题: {_q('规范性文件 ' + v)}\n发文字号: 吉国动办发〔2020〕{i}号\n"
            f"制定机关: 吉林省国防动员办公室\n效力位阶: 行政规范性文件\n时效性: 已废止\n成文日期: 2020-01-{i:02d}\n"
            f"公布日期: 2020-01-{i:02d}\n施行日期: 2020-02-01\n废止或失效日期: 2024-01-{i:02d}\n依据: hostile-cleanup-{k}\n"
            f"索引号: 11220000MB1949XXXX/2020-{200 + i:05d}\n主题分类: '综合政务\\行政执法'\n---\n\n第一条 正文。\n",
            encoding="utf-8",
        )
        (project / "docs" / "cleanup" / f"hostile-cleanup-{k}.md").write_text(
            f"---\nid: hostile-cleanup-{k}\n标题: {q}\n公告日期: 2024-01-{i:02d}\n报送备案机关: {q}\n报送备案日期: 2024-02-01\n"
            f"决定:\n  - 文件: hostile-doc-{k}\n    结果: 废止\n    理由: {q}\n---\n\n公告正文。\n",
            encoding="utf-8",
        )
        (project / "docs" / "disclosure" / "fading" / f"hostile-{k}.md").write_text(
            f"---\n索引号: 11220000MB1949XXXX/2023-{300 + i:05d}\n标题: {q}\n栏目: 法定主动公开内容\n发布机构: {q}\n成文日期: 2023-01-{i:02d}\n"
            f"发布日期: 2023-01-{i:02d}\n---\n\n公开内容正文。\n",
            encoding="utf-8",
        )
    for k, (line, _) in PAGE_TITLES.items():
        (project / "docs" / f"hostile-title-{k}.md").write_text(f"---\n{line}\n---\n\n手写页面正文。\n", encoding="utf-8")
    heading = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"  # a heading the theme's striptags unescapes
    (project / "docs" / "hostile-heading.md").write_text(f"# {heading}\n\n手写页面正文。\n", encoding="utf-8")
    return project
