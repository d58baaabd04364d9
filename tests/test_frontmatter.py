"""The reader: bytes → front matter with lines, or problems (the golden cases in
tests/golden/reader cover the messages; these pin the values and lines)."""

from __future__ import annotations

import datetime as dt

import pytest

from regbook import frontmatter
from regbook.frontmatter import resolve_plain

SAMPLE = "---\nid: a\n标题: 测试\n公布日期: 2023-05-06\n决定:\n  - 文件: x\n    结果: 保留\n---\n\n正文第一行\n"


def test_lines_of_keys_and_body() -> None:
    """Check that every key, nested ones included, carries its file line, and the body its first line."""
    doc, problems = frontmatter.read("a.md", SAMPLE.encode())
    assert problems == [] and doc is not None
    assert doc.line("id") == 2 and doc.line("公布日期") == 4
    assert doc.line("决定", 0) == 6 and doc.line("决定", 0, "结果") == 7
    assert doc.line("missing") == 1
    assert doc.body_line == 9 and doc.body.split("\n")[1] == "正文第一行"


@pytest.mark.parametrize(
    "raw",
    [
        SAMPLE.encode("utf-8-sig"),
        SAMPLE.replace("\n", "\r\n").encode(),
        SAMPLE.replace("\n", "\r").encode(),
        SAMPLE.replace("\n", "\r\n").encode("utf-8-sig"),
    ],
    ids=["bom", "crlf", "cr", "bom-crlf"],
)
def test_bom_and_line_endings_are_accepted(raw: bytes) -> None:
    """Check that BOM and CRLF/CR files read exactly like the plain UTF-8 LF file."""
    plain, _ = frontmatter.read("a.md", SAMPLE.encode())
    doc, problems = frontmatter.read("a.md", raw)
    assert problems == [] and doc is not None and plain is not None
    assert (doc.data, doc.lines, doc.body, doc.body_line) == (plain.data, plain.lines, plain.body, plain.body_line)
    assert "\r" not in doc.body


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("012", 12),
        ("0x1F", 31),
        ("0o17", 15),
        ("1_000", "1_000"),
        ("1.5", 1.5),
        ("2023-05-06", dt.date(2023, 5, 6)),
        ("2023-5-6", dt.date(2023, 5, 6)),
        ("2023-02-30", "2023-02-30"),
        ("2023-05-06 10:30", dt.datetime(2023, 5, 6, 10, 30)),
        ("吉国动办发〔2023〕5号", "吉国动办发〔2023〕5号"),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    """Check the deliberate YAML 1.2 resolution: no/yes stay text, impossible dates stay text."""
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_quoted_scalars_are_text() -> None:
    """Check that quoting keeps numbers, booleans and dates as text."""
    doc, _ = frontmatter.read("a.md", b"---\na: '2023'\nb: \"true\"\nc: '2023-05-06'\n---\n")
    assert doc is not None and doc.data == {"a": "2023", "b": "true", "c": "2023-05-06"}


def test_aliases_cannot_expand() -> None:
    """Check that a billion-laughs style alias chain is refused at once, not expanded."""
    lol = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
    ) + "---\n"
    doc, problems = frontmatter.read("a.md", lol.encode())
    assert doc is None and "别名" in problems[0].message and problems[0].line == 3


def test_size_limit() -> None:
    """Check that a file one byte over the limit is refused and one at the limit is read."""
    head = b"---\nid: a\n---\n"
    ok, _ = frontmatter.read("a.md", head + b" " * (frontmatter.MAX_BYTES - len(head)))
    big, problems = frontmatter.read("a.md", head + b" " * (frontmatter.MAX_BYTES - len(head) + 1))
    assert ok is not None and big is None and "文件过大" in problems[0].message


def test_gbk_is_recognised() -> None:
    """Check that GBK text is named as GBK, on the line of its first non-UTF-8 byte."""
    doc, problems = frontmatter.read("a.md", "---\nid: a\n标题: 测试\n---\n".encode("gbk"))
    assert doc is None and problems[0].line == 3 and "GBK" in problems[0].message


@pytest.mark.parametrize(
    ("front", "line", "column", "words"),
    [
        ("id: a\n标题：测试\n公布日期: 2023-01-01\n", 3, 3, "把全角冒号‘：’改为半角冒号加一个空格，写作“标题: 测试”"),
        ("id: a\n公布日期: 2023-01-01\n标题：测试\n", 4, 3, "写作“标题: 测试”"),
        ("标题：测试\nid: a\n", 2, 3, "写作“标题: 测试”"),
        ("id: a\n时效性:现行有效\n公布日期: 2023-01-01\n", 3, 4, "写作“时效性: 现行有效”"),
        ("id: a\n主题分类: \"国防\\人民防空\"\n", 3, 10, "写作“主题分类: '国防\\人民防空'”；或者把每个“\\”写成两个“\\\\”"),
        ("id: a\n标题: '测试\n公布日期: 2023-01-01\nb: 'x'\n", 3, 5, "单引号“'”没有闭合"),
        ("id: a\n标题: \"测试\n公布日期: 2023-01-01\n", 3, 5, "双引号“\"”没有闭合"),
        ("决定:\n  - 文件: a\n\t结果: 保留\n", 4, 1, "Tab"),
        ("决定:\n  - 文件: a\n   结果: 保留\n", 4, 4, "应与第 3 行的“文件”对齐（缩进 4 个空格）"),
        ("id: a\n时效性: 现行有效\n  成文: x\n", 4, 3, "应与第 3 行的“时效性”对齐（顶格，不缩进）"),
        ("id: a\n标签: [a, b\nc: d\n", 3, 5, "没有对应的“]”"),
    ],
    ids=["fullwidth", "fullwidth-last", "fullwidth-first", "no-space", "backslash", "unclosed-single",
         "unclosed-double", "tab", "indent-less", "indent-more", "bracket"],
)
def test_yaml_mistakes_name_the_line_to_change(front: str, line: int, column: int, words: str) -> None:
    """Check that a YAML mistake is reported on the line the editor must change (not where the
    parser gave up), with its character, what to type, and no English parser text."""
    doc, problems = frontmatter.read("a.md", f"---\n{front}---\n正文\n".encode())
    assert doc is None and len(problems) == 1
    problem = problems[0]
    assert problem.line == line, problem.as_text()
    assert f"本行第 {column} 个字符" in problem.message and words in problem.message, problem.message
    assert not any("a" <= ch.lower() <= "z" for ch in problem.message.replace("Tab", "").replace("YAML", "")), problem.message
