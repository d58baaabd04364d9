"""Markers of generated content (``<!-- regbook:… -->``): replaced only where they stand alone on a
line outside code, so that the editors' guide can quote them."""

from __future__ import annotations

import html
import re
from pathlib import Path

from regbook import markup
from tests.conftest import build_site, copy_project

MARKER = "<!-- regbook:cleanup-list -->"

PAGE = f"""# 页面

正文中提到 `{MARKER}` 这一行。

```markdown
{MARKER}
```

~~~
{MARKER}
~~~

    {MARKER}

{MARKER}

````
```
{MARKER}
````

 {MARKER}
"""


def test_only_marker_lines_outside_code_are_replaced() -> None:
    """Check that inline code, fenced blocks (``` and ~~~, nested), indented code and a sentence
    keep the marker, and that only the lines holding nothing but the marker are replaced."""
    filled = markup.fill_markers(PAGE, {MARKER: lambda: "列表"})
    lines = filled.split("\n")
    original = PAGE.split("\n")
    assert [i for i, line in enumerate(lines) if line == "列表"] == [14, 21]
    assert [line for i, line in enumerate(lines) if i not in (14, 21)] == [
        line for i, line in enumerate(original) if i not in (14, 21)
    ]
    assert filled.count(MARKER) == PAGE.count(MARKER) - 2


def test_markers_are_found_by_name_and_unknown_ones_stay() -> None:
    """Check that each marker gets its own text and that a marker without a filler is kept."""
    text = "<!-- regbook:a -->\n\n<!-- regbook:b -->\n\n<!-- regbook:c -->\n"
    assert markup.standalone_markers(text) == {0: "<!-- regbook:a -->", 2: "<!-- regbook:b -->", 4: "<!-- regbook:c -->"}
    filled = markup.fill_markers(text, {"<!-- regbook:a -->": lambda: "A", "<!-- regbook:b -->": lambda: "B"})
    assert filled == "A\n\nB\n\n<!-- regbook:c -->\n"


def test_unclosed_fence_hides_the_rest() -> None:
    """Check that a marker after an unclosed fence is code (as Markdown renders it), not a marker."""
    assert markup.standalone_markers(f"```\n{MARKER}\n") == {}


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_hand_written_page_shows_markers_as_written(tmp_path: Path) -> None:
    """Check that a hand-written page (about.md; the editors' guide, which quotes the markers, is no
    longer published) shows the markers it quotes (inline, fenced, indented) literally and holds no
    generated list, while the column pages still get theirs."""
    project = copy_project(tmp_path / "project")
    guide = project / "docs" / "about.md"
    guide.write_text(
        guide.read_text(encoding="utf-8")
        + "\n\n标记 `<!-- regbook:disclosure-list -->` 和 `<!-- regbook:cleanup-list -->` 只用在栏目首页。\n",
        encoding="utf-8",
    )
    quoted = (
        "\n\n## 标记的写法\n\n"
        "清理栏目首页中单独一行：\n\n"
        "```text\n<!-- regbook:cleanup-list -->\n```\n\n"
        "或者缩进的代码：\n\n"
        "    <!-- regbook:disclosure-list -->\n"
    )
    guide.write_text(guide.read_text(encoding="utf-8") + quoted, encoding="utf-8")
    source = guide.read_text(encoding="utf-8")
    assert "`<!-- regbook:disclosure-list -->`" in source and "`<!-- regbook:cleanup-list -->`" in source
    site = tmp_path / "site"
    result = build_site(project, site, book=False)
    assert result.returncode == 0, result.stderr
    assert not (site / "guide").exists()
    page = (site / "about" / "index.html").read_text(encoding="utf-8")
    article = _text(page[page.index("<article") : page.index("</article>")])
    for marker in ("<!-- regbook:disclosure-list -->", "<!-- regbook:cleanup-list -->"):
        assert article.count(marker) == source.count(marker), marker
    assert "<th>清理批次</th>" not in page and "<th>索引号</th>" not in page
    assert "<th>清理批次</th>" in (site / "cleanup" / "index.html").read_text(encoding="utf-8")
    assert "<th>索引号</th>" in (site / "disclosure" / "index.html").read_text(encoding="utf-8")
