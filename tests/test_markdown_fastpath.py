"""``regbook.markup``'s quicker Markdown: the same HTML as Python-Markdown's own passes.

The quick inline pass (a pattern is tried on a text only when the text holds a literal the
pattern's expression requires) and the cheaper CJK line joining must not change one byte: every
construct the site's extensions support is converted with the quick pass and with Python-Markdown's
own (``quick_inline: false``), and the joining is compared with its first, plain version.
"""

from __future__ import annotations

import copy
import random
import xml.etree.ElementTree as ET
from typing import Any

import markdown
import pytest
from markdown.extensions import Extension
from markdown.inlinepatterns import HtmlInlineProcessor, SimpleTagInlineProcessor
from mkdocs.config import load_config

from regbook import markup
from tests.conftest import FIXTURE, copy_project

SAMPLES = [
    # Chinese law text as the site writes it: article anchors, strong, lists, hard-wrapped lines.
    '<a id="第一条" class="regbook-article"></a>**第一条** 为了加强国防动员建设，根据《中华人民共和国国防动员法》，制定本条例。\n\n'
    '<a id="第二条之一" class="regbook-article"></a>**第二条之一** 本条例适用于\n本省行政区域内的\n国防动员活动。\n\n'
    "（一）组织实施；\n（二）保障措施。\n\n第三条 本条例自公布之日起施行。",
    "本条例自公布之日起\n施行，由省人民政府\n负责解释。\n\n依照 GB\n50038 执行\n\n中文  \n硬换行\n\n"
    "中文\\\n反斜杠换行\n\nEnglish  \nbreak and back\\\nslash\n\n行尾两个空格  ",
    "第一段结尾是中文\n\n第二段开头是中文\n\n- 列表项一\n  续行\n- 列表项二\n\n1. 第一\n2. 第二\n   续行\n\n> 引文\n> 续行",
    # Links, images, autolinks, references.
    '见[国防动员法](https://example.org/law?a=1&b=2 "标题")和[第十条](#第十条)。\n\n'
    "![图片说明](img/a.png){ width=300 }和![参考图][pic]和![pic]\n\n[参考][ref]、[ref]、[不是链接]、[^不存在]\n\n"
    "<https://example.org/a_b*c>、<mail@example.org>、<不是链接>、a < b、c > d\n\n"
    '[ref]: https://example.org/ref "参考"\n[pic]: img/b.png',
    # Emphasis and code.
    "*强调*、_下划线_、**加粗**、__加粗__、***都有***、snake_case_name、2*3*4、* 空格 *、中文*中文*中文\n\n"
    "`代码 *不* 强调`、``含`反引号``、\\`不是代码\\`、\\*不是强调\\*、\\\\反斜杠、`a\\`\n\n"
    "```python\nprint('中文\\n')\n  # 缩进\n```\n\n    缩进代码\n    第二行\n\n~~~\n波浪线围栏 *不* 处理\n~~~",
    # Footnotes, abbreviations, attribute lists, definition lists.
    "正文有脚注[^1]和第二个[^说明]。\n\n[^1]: 脚注内容，含**加粗**。\n[^说明]: 第二个脚注\n    多段。\n\n"
    "*[HTML]: 超文本标记语言\n*[国动办]: 国防动员办公室\n\nHTML 和国动办都有缩写。\n\n"
    "段落带属性\n{: .regbook-note #para-id }\n\n## 标题 { #custom-id .cls }\n\n"
    "术语\n:   定义内容\n:   第二个定义\n\n另一个术语\n:   定义",
    # Tables.
    "| 标题 | 发文字号 | 说明 |\n| --- | :---: | ---: |\n"
    '| <span class="regbook-row" data-title="a&amp;b" hidden></span>[条例](a.md) | 吉政发〔2020〕1号 | `代码` |\n'
    "| 中文 | **加粗** | a \\| b |\n",
    # Admonitions, details, superfences inside them, md_in_html.
    '!!! note "注意"\n\n    提示内容，含[链接](a.md)。\n\n    ```\n    代码\n    ```\n\n'
    '??? note "制定和修改情况"\n\n    - 2020年1月1日 省人大常委会通过\n    - 2021年 修正\n\n'
    '???+ warning "清理情况"\n\n    - 2023年，[清理决定](../cleanup/a.md)：继续有效（理由）\n\n'
    '<div class="regbook-box" markdown="1">\n**块内** Markdown\n\n第二段\n</div>\n\n'
    '<span markdown="span">行内 *强调*</span>\n\n<p markdown>段落 `代码`</p>',
    # Raw HTML, comments, entities, emoji.
    '<div class="raw">\n<p>原样 *不* 处理</p>\n</div>\n\n<!-- regbook:cleanup-list -->\n\n'
    "行内 <span>HTML</span>、<br>、<!-- 注释 -->、<?pi x?>、<![CDATA[x]]>\n\n"
    "&amp;、&copy;、&#26412;、&#x672C;、&不是实体;、& 单独、&&\n\n"
    ":smile: 和 :thumbsup: 和 :不是表情: 和 10:30:00 和 a:b:c 和 ：全角：",
    # An entity is kept from the later passes (here: abbr) as one piece.
    "*[amp]: 缩写\n*[x5F]: 缩写\n\n甲&amp;乙&#x5F;丙",
    # Headings (toc slugs, permalinks) with inline markup.
    "# 标题一\n\n## 第一章 总则 `代码` *强调*\n\n### 第一节\n\n正文\n\n## 重复\n\n## 重复\n\n#### <span>HTML</span> 标题",
    # Pathological and mixed.
    "\n".join(f"第{i}行中文，无任何标记" for i in range(50)),
    "*未闭合强调、[未闭合链接、`未闭合代码、<未闭合、&未闭合、:未闭合\n\n"
    '**a*b**c*、_a_b_、[a [b] c](d)、![a](b "c")d、[x]: 不是定义\n\n\t制表符开头\n\n中文\t中文\n  \n中文',
]
"""Markdown exercising every construct of the site's extensions, with and without Chinese."""


CASES = [pytest.param(text, id=f"sample-{i}") for i, text in enumerate(SAMPLES)] + [
    pytest.param(path.read_text(encoding="utf-8"), id=str(path.relative_to(FIXTURE)))
    for path in sorted(FIXTURE.rglob("*.md"))
]
"""The samples, and every content file of the frozen fixture (front matter and all)."""


@pytest.fixture(scope="module")
def site_markdown(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], dict[str, Any]]:
    """``mkdocs.yml``'s Markdown extensions and their configuration, as MkDocs loads them."""
    project = copy_project(tmp_path_factory.mktemp("fastpath") / "project")
    config = load_config(str(project / "mkdocs.yml"))
    assert "regbook.markup" in config["markdown_extensions"]
    return list(config["markdown_extensions"]), dict(config["mdx_configs"] or {})


def _convert(text: str, extensions: list[Any], configs: dict[str, Any], *, quick: bool) -> str:
    configs = {**configs, "regbook.markup": {"quick_inline": quick}}
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text)


@pytest.mark.parametrize("text", CASES)
def test_the_quick_inline_pass_writes_the_same_html(text: str, site_markdown: tuple[list[Any], dict[str, Any]]) -> None:
    extensions, configs = site_markdown
    assert _convert(text, extensions, configs, quick=True) == _convert(text, extensions, configs, quick=False)


def test_the_quick_pass_knows_every_pattern_of_the_site(site_markdown: tuple[list[Any], dict[str, Any]]) -> None:
    extensions, configs = site_markdown
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    inline = md.treeprocessors["inline"]
    assert isinstance(inline, markup._QuickInlineProcessor)
    plan = markup._plan(md.inlinePatterns)
    assert plan is not None, "a pattern of mkdocs.yml's extensions is not in markup._NEEDLES: the quick pass is off"
    assert len(plan[0]) == len(md.inlinePatterns) >= 16
    assert "emoji" in md.inlinePatterns and "footnote" in md.inlinePatterns


def test_the_book_and_the_checker_get_the_quick_pass_too() -> None:
    md = markdown.Markdown(extensions=markup.EXTENSIONS)
    assert isinstance(md.treeprocessors["inline"], markup._QuickInlineProcessor)
    assert markup._plan(md.inlinePatterns) is not None


class _Strike(Extension):
    """An inline pattern the quick pass does not know: ``~~删除~~`` → ``<del>``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 65)


class _Mustache(Extension):
    """A known class with an expression the quick pass does not know: ``{{…}}`` kept as it is."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(HtmlInlineProcessor(r"(\{\{[^}]*\}\})", md), "mustache", 85)


@pytest.mark.parametrize(
    ("extension", "text", "expected"),
    [(_Strike(), "中文~~删除~~中文", "<del>删除</del>"), (_Mustache(), "中文{{*值*}}中文", "中文{{*值*}}中文")],
    ids=["new-class", "known-class-new-expression"],
)
def test_an_unknown_inline_pattern_turns_the_quick_pass_off(extension: Extension, text: str, expected: str) -> None:
    md = markdown.Markdown(extensions=[*markup.EXTENSIONS, extension])
    assert markup._plan(md.inlinePatterns) is None
    assert expected in md.convert(text)


def test_an_unknown_pattern_would_be_skipped_by_the_quick_pass() -> None:
    """The case the turning off guards: with the table stretched over the unknown class, the
    pattern is never tried (so the turning off above is what keeps ``~~`` working)."""
    md = markdown.Markdown(extensions=[*markup.EXTENSIONS, _Strike()])
    strike = md.inlinePatterns["strike"]
    key = (f"{type(strike).__module__}.{type(strike).__qualname__}", strike.compiled_re.pattern)
    markup._NEEDLES[key] = ("~~~~",)
    try:
        assert "<del>" not in md.convert("中文~~删除~~中文")
    finally:
        del markup._NEEDLES[key]
    assert "<del>删除</del>" in md.convert("中文~~删除~~中文")


def test_a_delimiter_added_by_an_extension_is_tried() -> None:
    md = markdown.Markdown(extensions=markup.EXTENSIONS)
    md.delimiters.add("~", "del")
    plan = markup._plan(md.inlinePatterns)
    assert plan is not None and ("*", "_", "~") in [needles for _, needles in plan[0]]
    assert md.convert("中文~删除~中文") == "<p>中文<del>删除</del>中文</p>"


# --- the CJK line joining against its first version -------------------------------------------


def _reference_join(root: ET.Element) -> None:
    """``regbook.markup._JoinCjkLines`` as first written: every child's text joined and looked at."""

    def join(text: str | None, before: str = "", after: str = "") -> str | None:
        if not text:
            return text
        joined = markup.CJK_BREAK_RE.sub("", before + text + after)
        return joined[len(before) : len(joined) - len(after)]

    def walk(element: ET.Element) -> None:
        if element.tag in markup._VERBATIM:
            return
        children = list(element)
        inner = ["".join(child.itertext()) for child in children]
        element.text = join(element.text, after=inner[0][:1] if inner else "")
        for i, child in enumerate(children):
            walk(child)
            following = inner[i + 1][:1] if i + 1 < len(children) else ""
            child.tail = join(child.tail, before=inner[i][-1:], after=following)

    walk(root)


_PIECES = ["", "", "中", "文\n", "\n字", "a", " \n ", "\n", "中\n文", "。\n（", "x\ny", "\t\n\t中"]
_TAGS = ["p", "strong", "em", "code", "pre", "a", "span", "li", ET.Comment]


def _random_tree(rng: random.Random, depth: int = 0) -> ET.Element:
    tag = rng.choice(_TAGS)
    element = ET.Comment(rng.choice(_PIECES)) if tag is ET.Comment else ET.Element(tag)
    if tag is not ET.Comment:
        element.text = rng.choice(_PIECES) or None
    for _ in range(rng.randrange(4) if depth < 4 else 0):
        child = _random_tree(rng, depth + 1)
        child.tail = rng.choice(_PIECES) or None
        element.append(child)
    return element


@pytest.mark.parametrize("seed", range(400))
def test_the_joining_is_the_first_version_on_any_tree(seed: int) -> None:
    rng = random.Random(seed)
    root = ET.Element("div")
    for _ in range(rng.randrange(1, 5)):
        child = _random_tree(rng)
        child.tail = rng.choice(_PIECES) or None
        root.append(child)
    expected = copy.deepcopy(root)
    for element in root.iter():
        assert markup._first_char(element) == "".join(element.itertext())[:1]
        assert markup._last_char(element) == "".join(element.itertext())[-1:]
    _reference_join(expected)
    markup._JoinCjkLines(markdown.Markdown()).run(root)
    assert ET.tostring(root) == ET.tostring(expected)


@pytest.mark.parametrize("text", CASES)
def test_the_joining_is_the_first_version_on_the_samples(text: str) -> None:
    class Reference(Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
            class Join(markup._JoinCjkLines):
                def run(self, root: ET.Element) -> None:
                    _reference_join(root)

            md.treeprocessors.register(Join(md), "regbook_join_cjk_lines", 5)

    plain = [e for e in markup.EXTENSIONS if e != "regbook.markup"]
    quick = markdown.Markdown(extensions=[*plain, markup.MarkupExtension(quick_inline=False)]).convert(text)
    first = markdown.Markdown(extensions=[*plain, Reference()]).convert(text)
    assert quick == first
