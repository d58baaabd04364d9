"""Everything the allowlist (``rules/safety.py``) offers passes the checker and is published by a
real build as written: the layout classes (styled by ``regbook.css`` and ``book.css``),
admonitions and details, tables with aligned columns, footnotes, abbreviations, code, the raw
HTML allowed (``br``, ``sup``, ``sub``, ``div`` with a layout class) and the link forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from regbook.book.html import CSS_PATH
from tests.conftest import build_site, copy_project

pytestmark = pytest.mark.slow

ALLOWED = """
吉林省国防动员办公室
{: .regbook-right }

附件标题
{: .regbook-center }

缩进的段落[^1]，见 HTML 说明
{: .regbook-indent }

*[HTML]: 超文本标记语言

[^1]: 脚注文字。

!!! note "注意"
    提示框内容。

??? warning "展开查看"
    折叠内容。

| 左列 | 右列 |
|:--|--:|
| 甲 | 乙 |

```yaml
标题: 示例
```

<div class="regbook-right" markdown>
**署名单位**<br>
2024年1月1日
</div>

上标 X<sup>2</sup>，下标 H<sub>2</sub>O，[电子邮件](mailto:office@example.gov.cn)，[政府网站](https://www.gov.cn/ "中国政府网")，[本页锚点](#附件说明)。

## 附件说明
"""

PUBLISHED = [
    '<p class="regbook-right">吉林省国防动员办公室</p>',
    '<p class="regbook-center">附件标题</p>',
    'class="regbook-indent"',
    '<abbr title="超文本标记语言">HTML</abbr>',
    'class="footnote-ref"',
    '<div class="admonition note">',
    '<details class="warning">',
    '<th style="text-align: right;">右列</th>',
    '<div class="highlight">',
    '<div class="regbook-right">',
    "<sup>2</sup>",
    "<sub>2</sub>",
    'href="mailto:office@example.gov.cn"',
    'href="https://www.gov.cn/" title="中国政府网"',
    'id="附件说明"',
]


def test_allowed_constructs_are_published(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    target = sorted((project / "regulations").rglob("*.md"))[0]
    target.write_text(target.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + ALLOWED, encoding="utf-8")
    result = build_site(project, tmp_path / "site", book=False)
    assert result.returncode == 0, result.stderr[-3000:]
    reg_id = target.stem
    page = next((tmp_path / "site" / "regulations").rglob(f"{reg_id}/index.html")).read_text(encoding="utf-8")
    missing = [snippet for snippet in PUBLISHED if snippet not in page]
    assert not missing, missing


@pytest.mark.parametrize(
    "css", [Path("overrides/assets/stylesheets/regbook.css"), CSS_PATH], ids=["site", "book"]
)
def test_layout_classes_are_styled(css: Path) -> None:
    text = (Path(__file__).parent.parent.parent / css if not css.is_absolute() else css).read_text(encoding="utf-8")
    for name in ("regbook-right", "regbook-center", "regbook-indent"):
        assert f".{name}" in text
