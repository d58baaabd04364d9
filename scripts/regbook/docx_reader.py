"""Word (.docx) law texts → the text layout ``regbook.importer`` parses.

python-docx reads the paragraphs (no hand-parsing of XML). The mapping:

- the title: the first paragraph styled Title or Heading 1, else the first non-empty one → ``# 标题``;
  a second Heading 1 right after it (民法典's 编) → a second ``# `` line;
- then the history lines, as long as paragraphs start with a date (``2019年4月3日 …``);
- the end-of-header line (``regbook.importer.text.SENTINEL``);
- the body: Heading N paragraphs → ``#``×N (at least ``##``); everything else as paragraphs.
  章/节 written as plain paragraphs are recognised by the importer itself.
"""

from __future__ import annotations

import io
import re
import zipfile

from regbook.problems import Problem

SENTINEL = "<!-- INFO " + "END -->"  # as in regbook.importer.text (which imports this module lazily)

_DATE_START = re.compile(r"^\s*[（(]?\s*[0-9０-９]{4}\s*年")


def _heading_level(style_name: str) -> int | None:
    name = (style_name or "").strip().lower()
    if name == "title":
        return 1
    m = re.match(r"^(?:heading|标题)\s*(\d)$", name)
    return int(m[1]) if m else None


def layout_text(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The .docx bytes as text in the corpus layout, or a problem naming ``path``."""
    try:
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - python-docx is pinned in requirements.txt
        return None, [Problem.error(path, 1, "读取 Word 文件需要 python-docx：请先运行 make deps")]
    try:
        document = Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return None, [Problem.error(path, 1, f"不是有效的 Word（.docx）文件：{exc}；旧版 .doc 请先在 Word 中另存为 .docx")]
    paragraphs = [
        (p.text.replace("\u000b", "\n").strip(), _heading_level(p.style.name if p.style is not None else ""))
        for p in document.paragraphs
    ]
    paragraphs = [(t, lvl) for t, lvl in paragraphs if t]
    if not paragraphs:
        return None, [Problem.error(path, 1, "Word 文件没有文字内容")]
    start = next((i for i, (_, lvl) in enumerate(paragraphs) if lvl == 1), 0)
    if start and any(lvl for _, lvl in paragraphs[:start]):
        start = 0
    lines = [f"# {paragraphs[start][0]}", ""]
    i = start + 1
    if i < len(paragraphs) and paragraphs[i][1] == 1:
        lines += [f"# {paragraphs[i][0]}", ""]
        i += 1
    while i < len(paragraphs) and paragraphs[i][1] is None and _DATE_START.match(paragraphs[i][0]):
        lines += [paragraphs[i][0], ""]
        i += 1
    lines += [SENTINEL, ""]
    for text, lvl in paragraphs[i:]:
        if lvl:
            lines += ["#" * max(lvl, 2) + " " + text, ""]
        else:
            lines += [*text.split("\n"), ""]
    return "\n".join(lines), []
