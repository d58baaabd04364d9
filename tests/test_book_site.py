"""The book on the built site: downloads, links with size and date, per-document PDFs, print page."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from regbook import corpus as corpus_mod
from regbook.book import selection
from regbook.model import Status

from .conftest import FIXTURE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def manifest(sample_site: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((sample_site / "downloads" / "book.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def book(manifest: dict) -> selection.Book:  # type: ignore[type-arg]
    sample = corpus_mod.load(FIXTURE)
    import datetime as dt

    return selection.plan_volumes(selection.select(sample, dt.date.fromisoformat(manifest["edition"])))


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def links(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', text)]


def test_book_and_checksum_are_in_downloads(sample_site: Path, manifest: dict, book: selection.Book) -> None:  # type: ignore[type-arg]
    """Check the PDF named with its edition date and its .sha256 in site/downloads/."""
    (volume,) = manifest["volumes"]
    name = volume["file"]
    assert re.fullmatch(r"吉林省国防动员法律法规汇编-\d{4}-\d{2}-\d{2}\.pdf", name)
    assert manifest["edition"] in name
    path = sample_site / "downloads" / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (sample_site / "downloads" / f"{name}.sha256").read_text(encoding="utf-8") == f"{digest}  {name}\n"
    assert set(volume["documents"]) == {e.id for e in book.entries}


@pytest.mark.parametrize("url", ["", "catalog/", "print_page/"])
def test_pages_link_the_book_with_size_and_edition(sample_site: Path, manifest: dict, url: str) -> None:  # type: ignore[type-arg]
    """Check the home page, the catalog and the print page: link, size, pages, edition date."""
    text = page(sample_site, url)
    (volume,) = manifest["volumes"]
    base = f"http://x/{url}"
    targets = {unquote(urljoin(base, h)) for h in links(text)}
    assert f"http://x/downloads/{volume['file']}" in targets
    assert f"http://x/downloads/{volume['file']}.sha256" in targets
    assert "regbook:size" not in text
    assert re.search(r"\d+\.\d (KB|MB)，\d+ 页", text)
    y, m, d = (int(x) for x in manifest["edition"].split("-"))
    assert f"截至{y}年{m}月{d}日" in text


def test_regulation_pages_link_their_own_pdf(sample_site: Path, book: selection.Book) -> None:
    """Check 「下载本文件 PDF」 on pages of documents in the book (file exists), and not on others."""
    sample = corpus_mod.load(FIXTURE)
    in_book = {e.id for e in book.entries}
    for reg in sample.regulations:
        text = page(sample_site, f"regulations/{reg.id}")
        if reg.id in in_book:
            assert "下载本文件 PDF" in text, reg.id
            (pdf,) = [h for h in links(text) if h.endswith(".pdf")]
            target = (sample_site / f"regulations/{reg.id}" / unquote(pdf)).resolve()
            assert target.is_file() and target.read_bytes().startswith(b"%PDF"), pdf
        else:
            assert "下载本文件 PDF" not in text, reg.id


def test_print_page_has_the_book_selection_and_order(sample_site: Path, book: selection.Book) -> None:
    """Check the print page: the same documents in the same order, working TOC links, no ended text."""
    text = page(sample_site, "print_page")
    titles = [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r'<h2 class="doc-title">(.*?)</h2>', text)]
    assert titles == [e.title for e in book.entries]
    ids = set(re.findall(r'\bid="([^"]*)"', text))
    toc = re.search(r'<nav class="toc">(.*?)</nav>', text, re.S)
    assert toc
    hrefs = re.findall(r'href="#([^"]*)"', toc[1])
    assert len(hrefs) == len(book.entries) + len(book.groups) + 1 and all(h in ids for h in hrefs)
    sample = corpus_mod.load(FIXTURE)
    for reg in sample.regulations:
        if reg.status in (Status.REPEALED, Status.EXPIRED):
            lines = [line for line in reg.body.splitlines() if len(line) > 25 and not line.startswith((" ", "!", "#", "|"))]
            assert lines, reg.id
            for line in lines:
                assert line[2:27] not in text, (reg.id, line)
    assert 'data-pagefind-ignore="all"' in text
