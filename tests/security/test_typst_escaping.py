"""Content never becomes Typst code (``book.typst.escape``, ``quote``, ``label``): Typst markup and
code planted in a book's title, a document title, a body paragraph and a table cell print
literally, nothing is imported, read or linked to, and the compile root holds only the book."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from regbook.book import pdf
from regbook.book import typst as markup

PAYLOADS = [
    '#import "@preview/cetz:0.3.0": *',
    '#read("/etc/passwd")',
    '#link("https://example.com")[点我]',
    "#image(\"/etc/hosts\")",
    "<label> @label $x^2$ // 注释 /* 注释 */",
    "= 标题 - 列表 + 编号 1. 第一 / 术语: 解释",
    "*粗体* _斜体_ `代码` ~ \\ [方括号] {花括号} ... -- --- 完",
    '"引号" \'单引号\' #{1 + 1} #(1) #let x = 1',
]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_prints_markup_literally(payload: str, tmp_path: Path) -> None:
    """Each payload, escaped, compiles and extracts as exactly itself."""
    source = '#set text(font: "Noto Sans CJK SC")\n' + markup.escape(payload) + "\n\n#par[" + markup.escape(payload) + "]\n"
    out = tmp_path / "x.pdf"
    compiler_root = tmp_path / "root"
    compiler_root.mkdir()
    import typst

    typst.Compiler(root=str(compiler_root), font_paths=pdf._typst_fonts(), ignore_system_fonts=True).compile(
        input=source.encode(), output=str(out)
    )
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert _flat(text).count(_flat(payload)) == 2, text


def test_labels_refuse_anything_but_book_ids() -> None:
    assert markup.label("doc-guofang-fa-art-3") == "<doc-guofang-fa-art-3>"
    for bad in ("x> #read(\"/etc/passwd\") <y", "文档", "a b", ""):
        with pytest.raises(ValueError):
            markup.label(bad)


def test_quote_keeps_strings_closed() -> None:
    assert markup.quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


def test_planted_code_in_a_book_prints_literally(tmp_path: Path) -> None:
    """A whole volume through the Typst engine with every payload in the PDF title, a document
    title, a paragraph and a table cell: compiles, prints each payload, has no URI link."""
    payload = " ".join(PAYLOADS)
    esc = html.escape(payload)
    page = (
        f'<html lang="zh-CN"><head><title>{esc}</title><meta name="author" content="{esc}"></head><body>'
        f'<section class="group" id="g-1"><h1 class="group-title">{esc}</h1>'
        f'<article class="doc" id="doc-x"><header class="doc-head"><h2 class="doc-title">{esc}</h2></header>'
        f'<div class="doc-body"><p>{esc}</p><p><a href="https://example.com/">{esc}</a></p>'
        f"<table><thead><tr><th>{esc}</th></tr></thead><tbody><tr><td>{esc}</td></tr></tbody></table></div>"
        "</article></section></body></html>"
    )
    out = tmp_path / "downloads"
    result = pdf.render_volume(page, out, "t.pdf", ["x"], per_document=False, log=lambda m: None, engine="typst")
    assert result.pages >= 1
    reader = PdfReader(out / "t.pdf")
    assert reader.metadata is not None and reader.metadata.title == payload
    text = _flat(subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "t.pdf"), "-"], capture_output=True, text=True, check=True).stdout)
    # the group title, the document title, the paragraph, the link text, the cells (pdftotext may
    # interleave the narrow cells and the running head, so not every copy comes out whole)
    assert text.count(_flat(payload)) >= 4, text[:400]
    assert "root:" not in text  # nothing was read
    for p in reader.pages:
        for annot in p.get("/Annots") or []:
            assert "/URI" not in (annot.get_object().get("/A") or {})
