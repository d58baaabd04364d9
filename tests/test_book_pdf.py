"""The rendered PDF book, read back with pypdf and poppler (pdftotext, pdffonts).

The sample content is rendered once (session fixture, ~20 documents) and every check reads that PDF.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from regbook import corpus as corpus_mod
from regbook.book import pdf, selection
from regbook.book.html import APPENDIX_TITLE
from regbook.book.selection import Book
from regbook.corpus import Corpus

from .conftest import FIXTURE
from .test_book import ended_sentences

pytestmark = pytest.mark.slow
EPOCH = "1704240000"  # 2024-01-03 in Beijing


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"需要 poppler-utils（{tool}）")


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return corpus_mod.load(FIXTURE)


@pytest.fixture(scope="module")
def book(sample: Corpus) -> Book:
    return pdf.plan(sample, EPOCH)


@pytest.fixture(scope="module")
def built(sample: Corpus, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pdf.BookResult]:
    out = tmp_path_factory.mktemp("book")
    lines: list[str] = []
    result = pdf.build_book(sample, out, EPOCH, per_document=True, log=lines.append, cache=False)
    assert any("页" in line and "用时" in line for line in lines)
    return out, result


@pytest.fixture(scope="module")
def pdf_path(built: tuple[Path, pdf.BookResult]) -> Path:
    out, result = built
    return out / result.volumes[0].file


@pytest.fixture(scope="module")
def pages_text(pdf_path: Path) -> list[str]:
    _need("pdftotext")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sample(book: Book) -> str:
    """The running header's 示例 of a book made from sample content (汇编目录: 示例: 是)."""
    return "示例" if book.sample else ""


def first_body_page(book: Book, pages_text: list[str]) -> int:
    """1-based number of the first page whose running header names the first group."""
    first = _sample(book) + book.groups[0].title + book.entries[0].title
    return next(i for i, t in enumerate(pages_text, 1) if flat(t).startswith(first))


def start_pages(book: Book, pages_text: list[str]) -> dict[str, int]:
    """Where each document starts, found by its running header (group + title) in the page text."""
    starts: dict[str, int] = {}
    for group in book.groups:
        for entry in group.entries:
            head = _sample(book) + group.title + entry.title
            starts[entry.id] = next(i for i, t in enumerate(pages_text, 1) if flat(t).startswith(head))
    return starts


def test_one_volume_with_checksum_and_manifest(built: tuple[Path, pdf.BookResult], pdf_path: Path) -> None:
    """Check the file name (edition date), the .sha256 beside it and the manifest."""
    out, result = built
    assert pdf_path.name == "吉林省国防动员法律法规汇编-2024-01-03.pdf"
    digest = hashlib.sha256(pdf_path.read_bytes()).hexdigest()
    assert (out / f"{pdf_path.name}.sha256").read_text(encoding="utf-8") == f"{digest}  {pdf_path.name}\n"
    manifest = pdf.read_manifest(out)
    assert manifest and manifest["edition"] == "2024-01-03"
    assert len(PdfReader(pdf_path).pages) == result.volumes[0].pages


def test_cover_has_title_issuer_and_edition(pages_text: list[str]) -> None:
    """Check the cover: title, issuing office, 「截至2024年1月3日」, no page number."""
    cover = flat(pages_text[0])
    assert "吉林省国防动员法律法规汇编" in cover and "吉林省国防动员办公室" in cover and "截至2024年1月3日" in cover
    assert "—1—" not in cover


def test_titles_present_in_book_order(book: Book, pages_text: list[str]) -> None:
    """Check that every 现行有效 / 尚未生效 title starts a page, in the book's order."""
    starts = start_pages(book, pages_text)
    ordered = [starts[e.id] for e in book.entries]
    assert ordered == sorted(ordered) and len(set(ordered)) == len(ordered)
    for entry in book.entries:
        assert flat(entry.title) in flat(pages_text[starts[entry.id] - 1])


def test_toc_page_numbers_are_the_start_pages(book: Book, pages_text: list[str]) -> None:
    """Check that each TOC entry's printed page number is the page where the document starts."""
    body = first_body_page(book, pages_text)
    toc = flat("".join(pages_text[1 : body - 1])).replace(".", "")
    starts = start_pages(book, pages_text)
    pos = 0
    for group in book.groups:
        m = re.compile(re.escape(group.title) + r"(\d+)").search(toc, pos)
        assert m, group.title
        assert int(m[1]) == starts[group.entries[0].id]
        pos = m.end()
        for entry in group.entries:
            m = re.compile(re.escape(flat(entry.title)) + r"(?:（[^）]*）)?(\d+)").search(toc, pos)
            assert m, entry.title
            assert int(m[1]) == starts[entry.id], entry.title
            pos = m.end()
    assert flat(APPENDIX_TITLE) in toc[pos:]


def test_manifest_starts_match_the_pages(book: Book, built: tuple[Path, pdf.BookResult], pages_text: list[str]) -> None:
    """Check that the start pages WeasyPrint reports (used to cut per-document PDFs) are the real ones."""
    assert built[1].volumes[0].starts == start_pages(book, pages_text)


def test_pending_marked_in_toc_and_under_title(book: Book, pages_text: list[str]) -> None:
    """Check 「尚未生效，自2027年3月1日起施行」 in the TOC and on the document's first page."""
    entry = next(e for e in book.entries if e.pending)
    start = start_pages(book, pages_text)[entry.id]
    assert flat(entry.pending_note) in flat(pages_text[start - 1])
    assert flat(entry.title + "（" + entry.pending_note + "）") in flat("".join(pages_text[1:4])).replace(".", "")


def test_no_ended_text_in_body_and_appendix_lists_them(book: Book, pages_text: list[str], pdf_path: Path) -> None:
    """Check that no 已废止 / 已失效 / 已修改 text is printed and the appendix lists each one in order."""
    everything = flat("".join(pages_text))
    for reg, sentence in ended_sentences(book):
        assert flat(sentence) not in everything, (reg.id, sentence)
    last = PdfReader(pdf_path).pages[-1]
    appendix = flat(last.extract_text())  # pypdf follows the content stream: cell by cell
    # (Typst writes the running head 「示例　附录…」 before the page's text; WeasyPrint after it)
    head = re.match(f"(?:{_sample(book)})?(?:{re.escape(flat(APPENDIX_TITLE))})?(?={re.escape(flat(APPENDIX_TITLE))})", appendix)
    assert head, appendix[:80]
    appendix = appendix[head.end() :]
    assert appendix.startswith(flat(APPENDIX_TITLE))
    pos = 0
    for i, row in enumerate(book.appendix, 1):
        cells = [str(i), row.title, row.regulation.number or "", row.regulation.status.value]
        for cell in cells:
            at = appendix.find(flat(cell), pos)
            assert at >= 0, (cell, appendix)
            pos = at + len(flat(cell))


def words(pdf_path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of one page, from ``pdftotext -bbox``."""
    _need("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in found]


def test_bookmarks_match_groups_and_documents(book: Book, pdf_path: Path, pages_text: list[str]) -> None:
    """Check the PDF outline: 目录, each group with its documents (in order, on their pages), 附录."""
    reader = PdfReader(pdf_path)
    outline = reader.outline
    top = [o for o in outline if isinstance(o, Destination)]
    assert [o.title for o in top] == ["编辑说明", "目录", *[g.title for g in book.groups], APPENDIX_TITLE]
    starts = start_pages(book, pages_text)
    children = [o for o in outline if isinstance(o, list)]
    assert len(children) == len(book.groups)
    for group, kids in zip(book.groups, children):
        assert [k.title for k in kids] == [e.title for e in group.entries]
        assert [reader.get_destination_page_number(k) + 1 for k in kids] == [starts[e.id] for e in group.entries]


def test_every_link_is_internal_and_lands_on_the_right_page(book: Book, pdf_path: Path, pages_text: list[str]) -> None:
    """Check every link annotation: no URI (nothing leaves the PDF), each TOC entry goes to its page."""
    reader = PdfReader(pdf_path)
    named = reader.named_destinations
    starts = start_pages(book, pages_text)
    targets: list[int] = []
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            assert "/URI" not in (a.get("/A") or {}), a
            dest = a.get("/Dest") or (a.get("/A") or {}).get("/D")
            assert dest is not None, a
            if isinstance(dest, str) or hasattr(dest, "original_bytes"):
                assert str(dest) in named, dest
                target = reader.get_destination_page_number(named[str(dest)]) + 1
            else:
                target = reader.get_page_number(dest[0].get_object()) + 1
            if number in (2, 3):
                targets.append(target)
    expected = sorted({*starts.values(), *(starts[g.entries[0].id] for g in book.groups)})
    assert sorted(set(targets)) == sorted({*expected, len(pages_text)})


def test_fonts_are_embedded(pdf_path: Path) -> None:
    """Check with pdffonts that every font is embedded (and is a CJK serif or sans face)."""
    _need("pdffonts")
    out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row
        # (WeasyPrint names the faces 「Noto-Serif-CJK-SC」, Typst by their PostScript name 「NotoSerifCJKsc」)
        assert re.search(r"Noto-?(Serif|Sans)-?CJK-?SC", row, re.I), row
    assert any(re.search(r"Noto-?Serif-?CJK-?SC-Bold", r, re.I) for r in rows)


def test_page_numbers_and_no_blank_or_overflowing_pages(pdf_path: Path, pages_text: list[str]) -> None:
    """Check 「— N —」 on every page but the cover, text on every page, nothing outside the 版心."""
    for number, text in enumerate(pages_text, 1):
        if number > 1:
            assert f"—{number}—" in flat(text), number
        assert len(flat(text)) > 12, f"第 {number} 页几乎是空白"
    width = float(PdfReader(pdf_path).pages[0].mediabox.width)
    for number in range(1, len(pages_text) + 1):
        for x0, _, x1, _, word in words(pdf_path, number):
            # Punctuation at a line's start or end is set half-width (Typst, as clreq allows): its glyph
            # box reaches half an em (≤ 6 pt) past the 版心, its ink (the other half) stays inside.
            early = 6 if word[:1] in "（《“‘〔【「『〈［" else 0
            late = 6 if word[-1:] in "，。、；：？！）》”’〕】」』〉］" else 0
            assert x0 >= 26 / 25.4 * 72 - 2 - early and x1 <= width - 26 / 25.4 * 72 + 2 + late, (number, word, x0, x1)


def test_text_extracts_in_reading_order(book: Book, pages_text: list[str], sample: Corpus) -> None:
    """Check that article paragraphs come out of pdftotext in order (第一条 before 第二条 …)."""
    entry = book.entries[0]
    text = flat("".join(pages_text[start_pages(book, pages_text)[entry.id] - 1 :]))
    positions = [text.find(a) for a in ("第一条", "第二条", "第三条")]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_per_document_pdfs_are_cut_from_the_book(book: Book, built: tuple[Path, pdf.BookResult]) -> None:
    """Check one PDF per document: the document's pages, its title first, fonts subset small."""
    out, result = built
    vol = result.volumes[0]
    assert set(vol.documents) == {e.id for e in book.entries}
    ordered = sorted(vol.starts.values())
    for entry in book.entries:
        path = out / vol.documents[entry.id]
        reader = PdfReader(path)
        start = vol.starts[entry.id]
        following = [s for s in ordered if s > start]
        assert len(reader.pages) == (following[0] if following else vol.pages) - start or entry is book.entries[-1]
        assert flat(entry.title) in flat(reader.pages[0].extract_text())
        assert reader.metadata and reader.metadata.title == entry.title
        assert path.stat().st_size < vol.size


@pytest.mark.parametrize("engine", pdf.ENGINES)
def test_render_is_reproducible(sample: Corpus, tmp_path: Path, engine: str) -> None:
    """Check that two renders (no cache) of the same content and edition give byte-identical PDFs."""
    a, b = (
        pdf.build_book(sample, tmp_path / n, EPOCH, per_document=False, isolate=False, log=lambda _: None, engine=engine, cache=False)
        for n in "ab"
    )
    assert a.volumes[0].sha256 == b.volumes[0].sha256


def test_per_document_pdfs_do_not_depend_on_the_compiling_threads(
    sample: Corpus, built: tuple[Path, pdf.BookResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check that per-document PDFs compiled by one thread are byte-identical to those the module
    fixture compiled with ``DOCUMENT_THREADS`` threads (each with its own Typst compiler)."""
    out, result = built
    if pdf.DOCUMENT_THREADS < 2:
        pytest.skip("one CPU: the fixture used one thread too")
    assert len(result.volumes[0].documents) >= pdf.PARALLEL_FROM  # the fixture used the threads
    monkeypatch.setattr(pdf, "DOCUMENT_THREADS", 1)
    alone = pdf.build_book(sample, tmp_path, EPOCH, per_document=True, isolate=False, log=lambda _: None, cache=False)
    for doc_id, rel in alone.volumes[0].documents.items():
        assert (tmp_path / rel).read_bytes() == (out / rel).read_bytes(), doc_id
    assert alone.volumes[0].documents == result.volumes[0].documents


def test_volumes_render_with_their_own_cover_and_toc(sample: Corpus, tmp_path: Path) -> None:
    """Check a forced split (tiny page limit): each volume a PDF with its own cover, TOC, bookmarks."""
    book = selection.plan_volumes(pdf.plan(sample, EPOCH), max_pages=12)
    assert len(book.volumes) > 2
    renderer_result = pdf.build_book(sample, tmp_path, EPOCH, per_document=False, max_pages=12, isolate=False, log=lambda _: None, cache=False)
    assert [v.file for v in renderer_result.volumes] == [book.file_name(v) for v in book.volumes]
    for volume, result in zip(book.volumes, renderer_result.volumes):
        reader = PdfReader(tmp_path / result.file)
        cover = flat(reader.pages[0].extract_text())
        assert flat(volume.label) in cover and "截至2024年1月3日" in cover
        titles = [o.title for o in reader.outline if isinstance(o, Destination)]
        assert titles[:2] == ["编辑说明", "目录"] and titles[2:2 + len(volume.groups)] == [g.title for g in volume.groups]
    assert "附录" in flat(PdfReader(tmp_path / renderer_result.volumes[-1].file).pages[-1].extract_text())


def test_render_cache_reuses_unchanged_documents(tmp_path: Path) -> None:
    """Check the Typst render cache: a second build renders nothing (same bytes); after one
    document's text changes (same length: no page moves), only that document and the volume are
    rendered again."""
    from .conftest import copy_project

    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"

    def build(out: str) -> pdf.BookResult:
        corpus = corpus_mod.load(project)
        return pdf.build_book(corpus, tmp_path / out, EPOCH, isolate=False, log=lambda _: None, engine="typst", cache_dir=cache)

    first = build("a").volumes[0]
    assert first.reused == 0 and first.rendered == 1 + len(first.documents)
    again = build("b").volumes[0]
    assert again.rendered == 0 and again.reused == first.rendered and again.sha256 == first.sha256
    entry = pdf.plan(corpus_mod.load(project), EPOCH).entries[0]
    path = project / entry.regulation.path
    text = path.read_text(encoding="utf-8")
    at = text.index("。", text.index("第一条"))
    path.write_text(text[:at] + "；" + text[at + 1 :], encoding="utf-8")
    changed = build("c").volumes[0]
    assert changed.starts == first.starts
    assert changed.rendered == 2 and changed.reused == len(first.documents) - 1
    assert changed.sha256 != first.sha256
    for doc_id, rel in first.documents.items():
        same = (tmp_path / "a" / rel).read_bytes() == (tmp_path / "c" / rel).read_bytes()
        assert same == (doc_id != entry.id), doc_id
    # Pruned: the old volume and the old text's PDF are gone; the cache holds build c's PDFs only.
    kept = {p.read_bytes() for p in cache.glob("*.pdf")}
    assert len(list(cache.glob("*.pdf"))) == len(list(cache.glob("*.json"))) == 1 + len(first.documents)
    assert kept == {(tmp_path / "c" / rel).read_bytes() for rel in [first.file, *changed.documents.values()]}


def test_private_use_characters_print_as_the_missing_mark(tmp_path: Path) -> None:
    """Check that a Private Use Area code point (an imported text's vendor-font 汉字, which no book
    font has and PDF/UA-1 refuses) in a title and a body prints as 〓 instead of failing the volume."""
    from .conftest import copy_project

    _need("pdftotext")
    project = copy_project(tmp_path / "project")
    entry = pdf.plan(corpus_mod.load(project), EPOCH).entries[0]
    path = project / entry.regulation.path
    text = path.read_text(encoding="utf-8")
    at = text.index("第一条")
    text = text[:at] + "第一条　甲\ue493乙" + text[at + 3 :]
    path.write_text(text.replace(f"标题: {entry.regulation.title}", f"标题: {entry.regulation.title}\U000f0001", 1), encoding="utf-8")
    result = pdf.build_book(corpus_mod.load(project), tmp_path / "out", EPOCH, isolate=False, log=lambda _: None, engine="typst", cache=False)
    vol = result.volumes[0]
    for rel in (vol.file, vol.documents[entry.id]):
        printed = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "out" / rel), "-"], capture_output=True, text=True, check=True).stdout
        assert "甲〓乙" in flat(printed) and f"{entry.regulation.title}〓" in flat(printed), rel


def test_render_cache_prune_deletes_only_stale_cache_files(tmp_path: Path) -> None:
    """Check ``prune_cache``: it deletes the cache's own files that the build did not use and that
    are older than the build; it keeps used entries, entries written or read since the build began,
    other files, folders, and links (their targets untouched); nothing through a linked folder."""
    import os

    cache, outside = tmp_path / "cache", tmp_path / "outside"
    cache.mkdir()
    outside.mkdir()
    used, stale, fresh = "a" * 64, "b" * 64, "c" * 64
    names = [f"{k}.{ext}" for k in (used, stale, fresh) for ext in ("pdf", "json")]
    names += [f".{stale}.pdf.123.tmp", "notes.txt", f"{'d' * 64}.PDF", f"{'e' * 64}.pdf.bak"]
    for name in names:
        (cache / name).write_bytes(b"x")
    target = outside / "precious.pdf"
    target.write_bytes(b"keep")
    (cache / f"{'f' * 64}.pdf").symlink_to(target)
    (cache / f"{'9' * 64}.json").mkdir()
    began = 1_000_000.0
    for path in cache.iterdir():
        if not path.is_symlink():
            os.utime(path, (began - 60, began - 60))
    for ext in ("pdf", "json"):
        os.utime(cache / f"{fresh}.{ext}", (began + 1, began + 1))  # a concurrent build's

    linked = tmp_path / "linked"
    linked.symlink_to(cache)
    assert pdf.prune_cache(linked, {used}, began) == (0, 0)

    assert pdf.prune_cache(cache, {used}, began) == (3, 3)
    left = sorted(p.name for p in cache.iterdir())
    gone = {f"{stale}.pdf", f"{stale}.json", f".{stale}.pdf.123.tmp"}
    assert left == sorted({*names, f"{'f' * 64}.pdf", f"{'9' * 64}.json"} - gone)
    assert target.read_bytes() == b"keep"


def test_every_plain_body_line_is_printed(book: Book, pdf_path: Path) -> None:
    """Check that no block goes missing (notes, paragraphs, signatures): every plain line of every
    document's Markdown (no markup characters) is in the book's text (pypdf: content order)."""
    bodies = []  # each page without its running head (first line) and its page number
    for number, page in enumerate(PdfReader(pdf_path).pages, 1):
        text = page.extract_text()
        lines = [line for line in text.splitlines() if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line)]
        if number > 1 and book.sample and lines and lines[0].startswith("示例"):
            lines = lines[1:]
        bodies.append("".join(lines))
    everything = flat("".join(bodies)).replace("-", "")
    checked = 0
    for entry in book.entries:
        for line in entry.regulation.body.splitlines():
            text = line.strip()
            if not text or re.search(r"[\[\]*_`#<>|!{}()]", text) or text.startswith(("- ", "1. ")):
                continue
            assert flat(text).replace("-", "") in everything, (entry.id, text)
            checked += 1
    assert checked > 50
