"""Rendering the book with WeasyPrint: volumes, checksums, per-document PDFs, a manifest.

Each volume is laid out in its own child process (``python -m regbook.book.pdf JOB``), one after
the other, so the memory WeasyPrint takes for a volume (about 1.4 GB for 1,050 pages) is given
back before the next one; ``selection.plan_volumes`` bounds a volume's pages. From the laid-out
volume the child also writes one PDF per document (``Document.copy`` of the document's pages:
no second layout, fonts subset to what those pages use).

Output in ``out_dir`` (the site's ``downloads/``)::

    吉林省国防动员法律法规汇编-2024-01-03.pdf        (or …-第1分册.pdf, …-第2分册.pdf)
    吉林省国防动员法律法规汇编-2024-01-03.pdf.sha256  (``sha256sum`` format)
    regulations/<id>.pdf                            (one per document in the book)
    book.json                                       (manifest: files, sizes, pages, documents)

The renderer reads files only from the project and the site being built (``url_fetcher``): no
network, nothing outside them.

Every PDF is tagged for screen readers (``PDF_OPTIONS``: WeasyPrint's ``pdf/ua-1`` variant): a
structure tree from the HTML (H1–H6, P, L/LI, Table/TR/TH/TD, Link, in the boxes' order), ``/Lang``
from ``<html lang="zh-CN">``, ``/MarkInfo << /Marked true >>``, the title from ``<title>`` in the
info dictionary and the XMP metadata (``pdfuaid:part 1``), shown as the window title
(``DisplayDocTitle``), and the bookmarks. The per-document PDFs are written from the laid-out pages
by WeasyPrint (``Document.copy``), which builds their structure tree from those pages: cutting
keeps the tags (``tests/test_tagged_pdf.py``). Not checked by a PDF/UA validator (veraPDF is not
installable here). Known gaps, WeasyPrint's: a paragraph that runs over a page break becomes two
``P`` elements; the running header and page numbers (margin boxes) are marked content left out of
the tree rather than ``/Artifact``. Tagging adds to writing the PDFs only, not to the layout (the
README gives the measurement).

Output is reproducible: the PDF dates come from the edition date, WeasyPrint writes no random
file identifier, so two builds of one commit give identical bytes.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import hashlib
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from regbook.book import selection
from regbook.book.html import Renderer
from regbook.corpus import Corpus
from regbook.dates import cn_date

MANIFEST = "book.json"
PER_DOCUMENT_DIR = "regulations"
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
"""WeasyPrint's options for every PDF written: tagged PDF aiming at PDF/UA-1 (PDF 1.7)."""

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class VolumeResult:
    """What rendering one volume produced."""

    file: str
    label: str
    pages: int
    size: int
    sha256: str
    starts: dict[str, int] = field(default_factory=dict)
    """Document id → first page (1-based) in the volume."""
    documents: dict[str, str] = field(default_factory=dict)
    """Document id → per-document PDF path, relative to ``out_dir``."""
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


@dataclass
class BookResult:
    edition: str
    title: str
    volumes: list[VolumeResult]
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(v.pages for v in self.volumes)

    def manifest(self) -> dict[str, object]:
        """The reproducible part (no timings, no memory figures)."""
        return {
            "title": self.title,
            "edition": self.edition,
            "volumes": [
                {k: v for k, v in asdict(vol).items() if k not in ("seconds", "peak_rss_mb")} for vol in self.volumes
            ],
        }


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def human_size(size: int) -> str:
    """``1536`` → ``1.5 KB``; ``3_200_000`` → ``3.1 MB``."""
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class _PageProgress(logging.Handler):
    """Turns WeasyPrint's progress log into a line every ``every`` pages, naming the document that
    page falls in by the page estimate (WeasyPrint's log gives page numbers only)."""

    def __init__(self, log: Log, label: str, estimates: list[tuple[int, str]] | None = None, every: int = 50):
        super().__init__()
        self.log, self.label, self.every, self.started = log, label, every, time.perf_counter()
        self.estimates = estimates or []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "Step 5 - Creating layout - Page %d" and record.args:
            page = int(record.args[0])  # type: ignore[index, call-overload]
            if page % self.every == 0:
                at = bisect.bisect_right([start for start, _ in self.estimates], page) - 1
                where = f"，约在《{self.estimates[at][1]}》" if at >= 0 else ""
                self.log(f"  {self.label}排版：已排 {page} 页（{time.perf_counter() - self.started:.0f} 秒{where}）")
        elif str(record.msg).startswith("Step 5 - Creating layout - Repagination"):
            self.log(f"  {self.label}排版：重排页码以填写目录页码")


class FetchRefused(RuntimeError):
    """The book asked for something outside the project and the site being built (Chinese message)."""


def url_fetcher(roots: list[Path]) -> Any:
    """A WeasyPrint URL fetcher that reads only files inside ``roots`` (symlinks resolved).

    Content is checked before the book is built (no external images, no ``style``), so the book
    should fetch nothing but the site's own files; this makes sure of it: ``http:``, ``https:``,
    ``ftp:``, ``data:`` and every other scheme, and any file outside ``roots`` (``../../etc/…``, a
    symlink pointing out), stop the rendering with an error naming the address."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    allowed = [Path(root).resolve() for root in roots]

    class _Refused(FatalURLFetchingError):
        pass

    class _ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise _Refused(f"汇编 PDF 不从网络或其他地址读取内容，拒绝读取“{url[:200]}”：图片请放在 docs/ 下，用相对路径引用")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed):
                raise _Refused(f"汇编 PDF 只能读取本项目和本次生成的网站中的文件，拒绝读取“{path}”（地址“{url[:200]}”）")
            return super().fetch(path.as_uri(), headers)

    return _ProjectFetcher(allow_redirects=False, allowed_protocols=("file",))


def render_volume(
    html: str,
    out_dir: Path,
    file_name: str,
    doc_ids: list[str],
    titles: dict[str, str] | None = None,
    per_document: bool = True,
    label: str = "",
    log: Log = _stderr,
    estimates: list[tuple[int, str]] | None = None,
    roots: list[Path] | None = None,
    tagged: bool = True,
) -> VolumeResult:
    """Lay out one volume, write it, its ``.sha256`` and (optionally) one PDF per document.

    ``estimates``: (estimated first page, title) of each document, for the progress lines;
    ``roots``: the folders files may be read from (``url_fetcher``; default ``out_dir`` only);
    ``tagged``: ``PDF_OPTIONS`` (off only to measure what tagging costs).
    Raises ``FetchRefused`` when the HTML asks for anything else."""
    from weasyprint import HTML
    from weasyprint.logger import PROGRESS_LOGGER
    from weasyprint.urls import FatalURLFetchingError

    started = time.perf_counter()
    handler = _PageProgress(log, label, estimates)
    PROGRESS_LOGGER.addHandler(handler)
    PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        fetcher = url_fetcher(roots or [out_dir])
        document = HTML(string=html, base_url=str(out_dir), url_fetcher=fetcher).render()
    except FatalURLFetchingError as exc:
        raise FetchRefused(str(exc)) from None
    finally:
        PROGRESS_LOGGER.removeHandler(handler)
    pages = document.pages
    log(f"  {label}排版完成：{len(pages)} 页（{time.perf_counter() - started:.1f} 秒），写入 PDF…")
    target = out_dir / file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    options = PDF_OPTIONS if tagged else {}
    document.write_pdf(target, **options)
    digest = sha256_file(target)
    (out_dir / f"{file_name}.sha256").write_text(f"{digest}  {file_name}\n", encoding="utf-8")

    anchors = {selection.doc_anchor(i): i for i in doc_ids}
    starts: dict[str, int] = {}
    for number, page in enumerate(pages, 1):
        for anchor in page.anchors:
            if anchor in anchors and anchors[anchor] not in starts:
                starts[anchors[anchor]] = number
    documents: dict[str, str] = {}
    if per_document:
        ordered = sorted(starts.items(), key=lambda kv: kv[1])
        ends = [s for _, s in ordered[1:]] + [_last_body_page(pages, len(pages))]
        (out_dir / PER_DOCUMENT_DIR).mkdir(parents=True, exist_ok=True)
        for k, ((doc_id, start), end) in enumerate(zip(ordered, ends), 1):
            rel = f"{PER_DOCUMENT_DIR}/{doc_id}.pdf"
            last = max(start, end - 1)
            part = document.copy(pages[start - 1 : last])
            part.metadata = copy.copy(document.metadata)  # the document's own title in the PDF
            part.metadata.title = (titles or {}).get(doc_id, doc_id)
            part.write_pdf(out_dir / rel, **options)
            documents[doc_id] = rel
            if k % 25 == 0 or k == len(ordered):
                title = (titles or {}).get(doc_id, doc_id)
                log(f"  {label}单篇 PDF {k}/{len(ordered)}：{title}（第 {start}–{last} 页）")
    return VolumeResult(
        file=file_name,
        label=label,
        pages=len(pages),
        size=target.stat().st_size,
        sha256=digest,
        starts=starts,
        documents=documents,
        seconds=round(time.perf_counter() - started, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def _last_body_page(pages: list, total: int) -> int:  # type: ignore[type-arg]
    """One past the last page of the last document: the appendix (if any) is not part of it."""
    for number, page in enumerate(pages, 1):
        if "appendix" in page.anchors:
            return number
    return total + 1


def _child(job_path: str) -> int:
    """Child-process entry: render the volume described by a JSON job, print the result as JSON."""
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    try:
        result = render_volume(
            Path(job["html"]).read_text(encoding="utf-8"),
            Path(job["out_dir"]),
            job["file"],
            job["doc_ids"],
            job["titles"],
            job["per_document"],
            job["label"],
            estimates=[tuple(e) for e in job.get("estimates", [])],  # type: ignore[misc]
            roots=[Path(r) for r in job.get("roots", [])] or None,
            tagged=job.get("tagged", True),
        )
    except FetchRefused as exc:
        _stderr(str(exc))
        return 3
    Path(job["result"]).write_text(json.dumps(asdict(result), ensure_ascii=False), encoding="utf-8")
    return 0


def build_book(
    corpus: Corpus,
    out_dir: Path,
    source_date_epoch: str | None = None,
    per_document: bool = True,
    max_pages: int = selection.MAX_VOLUME_PAGES,
    isolate: bool = True,
    log: Log = _stderr,
    only: int | None = None,
    today: dt.date | None = None,
    tagged: bool = True,
) -> BookResult:
    """Select, plan volumes, render each (in a child process when ``isolate``), write the manifest.

    ``only``: render the first ``only`` volumes (a preview, or a benchmark on a large corpus);
    ``today``: the build date statuses are taken on (``regbook.clock``; ``None``: as written);
    ``tagged``: tagged PDF (``PDF_OPTIONS``); off only to measure what tagging costs."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    book = plan(corpus, source_date_epoch, max_pages, today)
    renderer = Renderer(corpus, book)
    results: list[VolumeResult] = []
    log(
        f"汇编：{book.title}（{book.edition_text}），正文 {len(book.entries)} 件，附录 {len(book.appendix)} 件，"
        f"共 {len(book.volumes)} 册" + (f"（只生成前 {only} 册）" if only else "")
    )
    # Files the book may read: the project, and the site being built (``out_dir`` is its downloads/).
    roots = [corpus.root, out_dir.parent if out_dir.name == "downloads" else out_dir]
    with tempfile.TemporaryDirectory(prefix="regbook-book-") as tmp:
        for volume in book.volumes[:only]:
            label = f"{volume.label}：" if volume.label else ""
            name = book.file_name(volume)
            entries = volume.entries
            log(f"{label or '汇编：'}排版 {len(entries)} 件（{entries[0].title if entries else ''} …）")
            html = renderer.volume_html(volume)
            ids = [e.id for e in entries]
            titles = {e.id: e.title for e in entries}
            estimates, page = [], 3  # cover and TOC first
            for entry in entries:
                estimates.append((page + 1, entry.title))
                page += selection.estimate_pages(entry.regulation)
            if isolate:
                job: dict[str, Any] = {
                    "html": str(Path(tmp) / "volume.html"),
                    "out_dir": str(out_dir),
                    "file": name,
                    "doc_ids": ids,
                    "titles": titles,
                    "per_document": per_document,
                    "label": label,
                    "estimates": estimates,
                    "result": str(Path(tmp) / "result.json"),
                    "roots": [str(r) for r in roots],
                    "tagged": tagged,
                }
                Path(job["html"]).write_text(html, encoding="utf-8")
                del html
                Path(tmp, "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
                proc = subprocess.run([sys.executable, "-m", "regbook.book.pdf", str(Path(tmp, "job.json"))])
                if proc.returncode == 3:
                    raise FetchRefused(f"汇编 PDF 生成失败：{name}：排版时要读取不允许的地址（见上面的说明）")
                if proc.returncode != 0:
                    raise RuntimeError(f"汇编 PDF 生成失败：{name}（子进程退出码 {proc.returncode}）")
                result = VolumeResult(**json.loads(Path(job["result"]).read_text(encoding="utf-8")))
            else:
                result = render_volume(html, out_dir, name, ids, titles, per_document, label, log, estimates, roots, tagged)
            log(
                f"{label or '汇编：'}{result.pages} 页，{human_size(result.size)}，用时 {result.seconds:.1f} 秒，"
                f"峰值内存 {result.peak_rss_mb:.0f} MB → {name}"
            )
            results.append(result)
    out = BookResult(book.edition.isoformat(), book.title, results, round(time.perf_counter() - started, 2))
    (out_dir / MANIFEST).write_text(json.dumps(out.manifest(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"汇编已生成：{len(results)} 个 PDF，共 {out.pages} 页，用时 {out.seconds:.1f} 秒（{cn_date(book.edition)}版）")
    return out


def plan(
    corpus: Corpus,
    source_date_epoch: str | None = None,
    max_pages: int = selection.MAX_VOLUME_PAGES,
    today: dt.date | None = None,
) -> selection.Book:
    """The book to build: selection (statuses on ``today``), edition date and volumes (no rendering).

    The edition (「截至」) date is the build date when there is one: the statuses printed are those
    of that day, so the cover must not name another (one clock). Without it, the commit's date."""
    edition = today or selection.edition_date(corpus, source_date_epoch)
    return selection.plan_volumes(selection.select(corpus, edition, today), max_pages=max_pages)


def read_manifest(out_dir: Path) -> dict[str, object] | None:
    path = out_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
