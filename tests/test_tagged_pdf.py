"""Tagged PDF (``regbook.book.pdf.PDF_OPTIONS``, WeasyPrint's ``pdf/ua-1``): the book and the
per-document PDFs read back with pypdf — document language, title (info and XMP), ``MarkInfo``,
bookmarks, and a structure tree whose headings, paragraphs, lists and tables carry the text of
the book in reading order. No PDF/UA validator is installed (veraPDF is not available here), so
this checks the structure, not conformance.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from regbook import corpus as corpus_mod
from regbook.book import pdf, selection

from .conftest import FIXTURE

pytestmark = pytest.mark.slow
EPOCH = "1704240000"  # 2024-01-03 in Beijing
_SPACE = re.compile(r"\s+")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pdf.BookResult, selection.Book]:
    sample = corpus_mod.load(FIXTURE)
    out = tmp_path_factory.mktemp("tagged")
    result = pdf.build_book(sample, out, EPOCH, per_document=True, log=lambda _: None, cache=False)
    return out, result, pdf.plan(sample, EPOCH)


def _mcid_texts(page: Any) -> dict[int, str]:
    """The text of each marked-content id on a page (pypdf's text visitor, inside BDC … EMC)."""
    out: dict[int, str] = {}
    stack: list[int | None] = []

    def before(op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            stack.append(props.get("/MCID") if hasattr(props, "get") else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(t: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and t:
            out[mcid] = out.get(mcid, "") + t

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return out


def structure(reader: PdfReader) -> list[tuple[str, str, int]]:
    """Every structure element below /Document, depth-first (the reading order): (tag, its text
    without whitespace, depth)."""
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    texts: dict[int, dict[int, str]] = {}

    def page_text(index: int, mcid: int) -> str:
        if index not in texts:
            texts[index] = _mcid_texts(reader.pages[index])
        return texts[index].get(mcid, "")

    out: list[tuple[str, str, int]] = []

    def walk(element: Any, depth: int) -> str:
        element = element.get_object()
        page = pages.get(element.raw_get("/Pg").idnum) if "/Pg" in element else None
        slot = len(out)
        out.append((str(element["/S"]), "", depth))
        kids = element.get("/K", [])
        text = ""
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                text += page_text(page, kid) if page is not None else ""
            else:
                obj = kid.get_object()
                if obj.get("/Type") == "/MCR":
                    text += page_text(pages[obj.raw_get("/Pg").idnum], int(obj["/MCID"]))
                elif "/S" in obj:
                    text += walk(obj, depth + 1)
        out[slot] = (out[slot][0], _SPACE.sub("", text), depth)
        return text

    (document,) = [k.get_object() for k in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]]
    assert document["/S"] == "/Document"
    for kid in document["/K"]:
        walk(kid, 0)
    return out


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def _assert_tagged(reader: PdfReader, title: str) -> None:
    root = reader.trailer["/Root"]
    assert reader.pdf_header == "%PDF-1.7"
    assert root["/Lang"] == "zh-CN"
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert reader.metadata is not None and reader.metadata.title == title
    xmp = _xmp(reader)
    # (WeasyPrint writes the part as an attribute, Typst as an element)
    assert f">{title}<" in xmp and re.search(r'pdfuaid:part(="1"|>1<)', xmp), xmp[:500]
    assert reader.outline, "bookmarks"


def test_book_declares_language_title_marking_and_bookmarks(built: tuple[Path, pdf.BookResult, selection.Book]) -> None:
    out, result, book = built
    _assert_tagged(PdfReader(out / result.volumes[0].file), book.title)


def test_book_structure_has_headings_paragraphs_lists_and_tables_in_reading_order(
    built: tuple[Path, pdf.BookResult, selection.Book],
) -> None:
    out, result, book = built
    elements = structure(PdfReader(out / result.volumes[0].file))
    tags = [tag for tag, _, _ in elements]
    for needed in ("/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD", "/Link"):
        assert needed in tags, needed
    # Document titles are H2 headings, in the book's order, each one whole.
    titles = [_SPACE.sub("", e.title) for e in book.entries]
    headings = [text for tag, text, _ in elements if tag == "/H2" and text in titles]
    assert headings == titles
    # Within the first documents: the title, then its 第一条 paragraph, then its 第二条 paragraph.
    for entry in book.entries[:3]:
        start = next(
            i for i, (tag, text, _) in enumerate(elements) if tag == "/H2" and text == _SPACE.sub("", entry.title)
        )
        end = next(
            (i for i, (tag, text, _) in enumerate(elements[start + 1 :], start + 1) if tag == "/H2" and text in titles),
            len(elements),
        )
        paragraphs = [text for tag, text, _ in elements[start:end] if tag == "/P"]
        firsts = [i for i, text in enumerate(paragraphs) if text.startswith("第一条")]
        seconds = [i for i, text in enumerate(paragraphs) if text.startswith("第二条")]
        if firsts and seconds:
            assert firsts[0] < seconds[0], entry.title
        assert paragraphs, entry.title
    # A table: header cells before data cells, both with text.
    table = tags.index("/Table")
    depth = elements[table][2]
    cells = []
    for tag, text, d in elements[table + 1 :]:
        if d <= depth:
            break
        if tag in ("/TH", "/TD"):
            cells.append((tag, text))
    assert cells and cells[0][0] == "/TH" and any(t == "/TD" for t, _ in cells)
    assert all(text for _, text in cells[:3])


def test_per_document_pdfs_are_tagged_with_their_own_title(built: tuple[Path, pdf.BookResult, selection.Book]) -> None:
    out, result, book = built
    documents = result.volumes[0].documents
    for entry in book.entries[:3]:
        reader = PdfReader(out / documents[entry.id])
        _assert_tagged(reader, entry.title)
        elements = structure(reader)
        # (the first document of a group shares its first page with the group's H1 title)
        first_title = next(text for tag, text, _ in elements if tag == "/H2")
        assert first_title == _SPACE.sub("", entry.title)
        assert any(tag == "/P" for tag, _, _ in elements)


def test_untagged_rendering_has_no_structure(tmp_path: Path) -> None:
    """Check the switch the measurement uses: without tags there is no structure tree (so the
    checks above see what tagging adds)."""
    sample = corpus_mod.load(FIXTURE)
    result = pdf.build_book(sample, tmp_path, EPOCH, per_document=False, log=lambda _: None, tagged=False, cache=False)
    root = PdfReader(tmp_path / result.volumes[0].file).trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root
