"""The ``regbook.markup`` Markdown extension: hard-wrapped Chinese lines join without a space."""

from __future__ import annotations

import markdown

from regbook.markup import EXTENSIONS


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def test_chinese_lines_join_without_a_space() -> None:
    assert render("本条例自公布之日起\n施行，由省人民政府\n负责解释。") == "<p>本条例自公布之日起施行，由省人民政府负责解释。</p>"


def test_latin_lines_keep_their_space() -> None:
    assert render("GB 50038\nis a standard") == "<p>GB 50038\nis a standard</p>"
    assert render("依照 GB\n50038 执行") == "<p>依照 GB\n50038 执行</p>"


def test_breaks_around_inline_markup_join_too() -> None:
    assert render("依照**第十条**\n的规定") == "<p>依照<strong>第十条</strong>的规定</p>"


def test_code_stays_as_written() -> None:
    html = render("```\n标题: 示例\n效力位阶: 法律\n```")
    assert "标题: 示例\n效力位阶: 法律" in html


def test_a_break_before_inline_markup_joins() -> None:
    assert render("依照\n**第十条**的规定") == "<p>依照<strong>第十条</strong>的规定</p>"
