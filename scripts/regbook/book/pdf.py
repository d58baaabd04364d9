"""Rendering the book: volumes, checksums, per-document PDFs, a manifest, a render cache.

Two engines behind ``render_volume`` (``REGBOOK_BOOK_ENGINE``, default ``typst``):

- **Typst** (``typst`` on PyPI; ``book/typst.py`` writes the volume's HTML as Typst markup for the
  template ``book/book.typ``). The volume is compiled in a temporary root that holds only its
  source and the images it uses (copied after the checks ``url_fetcher`` makes); no package path,
  fonts only from ``FONT_DIRS``. The start pages are read back from the compiled book with one
  query; each document is then compiled alone, its page numbers continued from the book's. Tagged
  as PDF/UA-1 (``TYPST_STANDARDS``). An unchanged volume or document is not compiled again: the
  ``RenderCache`` (``<project>/.regbook-cache/book``, ``REGBOOK_BOOK_CACHE``) keeps each PDF under
  a hash of its Typst source (template, text, edition, 示例 and start page included), the images'
  hashes, Typst's version, the font files and the options. After a build of the whole book the
  entries it did not use are deleted (``prune_cache``): the cache stays the size of one book's
  PDFs (defense: 14 MB, the book and its 56 documents) instead of growing with every edit. About 10× WeasyPrint (README).
- **WeasyPrint** (``REGBOOK_BOOK_ENGINE=weasyprint``), kept one release for comparison; what
  follows describes it.

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
import os
import re
import resource
import stat
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from regbook.book import selection
from regbook.book.html import Renderer
from regbook.corpus import Corpus
from regbook.dates import cn_date

MANIFEST = "book.json"
PER_DOCUMENT_DIR = "regulations"
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
"""WeasyPrint's options for every PDF written: tagged PDF aiming at PDF/UA-1 (PDF 1.7)."""

ENGINES = ("typst", "weasyprint")
DEFAULT_ENGINE = "typst"
ENGINE_ENV = "REGBOOK_BOOK_ENGINE"
"""``REGBOOK_BOOK_ENGINE=weasyprint`` renders with WeasyPrint (kept one release for comparison)."""
CACHE_ENV = "REGBOOK_BOOK_CACHE"
"""The render cache's folder (default ``<project>/.regbook-cache/book``); ``off`` turns it off."""
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"),)
"""Where Debian's fonts-noto-cjk puts Noto Serif/Sans CJK; Typst reads fonts from these only."""
TYPST_STANDARDS: list[str] = ["ua-1"]
"""Typst's PDF standards for every PDF written: PDF/UA-1 (tagged)."""
DOCUMENT_THREADS = min(2, os.cpu_count() or 1)
"""Per-document PDFs are compiled by this many threads, each with its own ``typst.Compiler`` (one
font set shared): Typst releases the GIL while it compiles, and the threads share the process's
memory, so the second one costs little memory (``dev-docs/book-engines.md``)."""
PARALLEL_FROM = 4
"""Fewer documents to compile than this: one thread (a cached rebuild after one edit)."""

Log = Callable[[str], None]


def engine_name(engine: str | None = None) -> str:
    """The engine to render with: ``engine``, else ``REGBOOK_BOOK_ENGINE``, else Typst."""
    name = (engine or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise RuntimeError(f"未知的汇编排版引擎“{name}”（环境变量 {ENGINE_ENV}）：只能是 {' 或 '.join(ENGINES)}")
    return name


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
    rendered: int = 0
    """PDFs rendered by this build (Typst; the volume and each document)."""
    reused: int = 0
    """PDFs copied from the render cache, unchanged."""
    cache_keys: list[str] = field(default_factory=list)
    """The render cache's entries this volume used (read or written): ``prune_cache`` keeps them."""


_UNREPRODUCIBLE = ("seconds", "peak_rss_mb", "rendered", "reused", "cache_keys")


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
                {k: v for k, v in asdict(vol).items() if k not in _UNREPRODUCIBLE} for vol in self.volumes
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
    engine: str | None = None,
    cache_dir: Path | None = None,
) -> VolumeResult:
    """Render one volume with the chosen engine (``engine_name``): the PDF, its ``.sha256`` and
    (optionally) one PDF per document. ``cache_dir``: the Typst render cache (``None``: none).
    Raises ``FetchRefused`` when the HTML asks for a file it may not read."""
    if engine_name(engine) == "typst":
        return _render_typst(html, out_dir, file_name, doc_ids, titles, per_document, label, log, roots, tagged, cache_dir)
    return _render_weasyprint(html, out_dir, file_name, doc_ids, titles, per_document, label, log, estimates, roots, tagged)


def _typst_fonts() -> Any:
    """Typst's fonts: the Noto CJK files of ``FONT_DIRS`` only (no system scan, no embedded fonts)."""
    import typst as typst_lib

    return typst_lib.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(d) for d in FONT_DIRS])


def _engine_fingerprint(tagged: bool) -> str:
    """What besides the source decides the bytes: Typst's version, the font files, the options."""
    from importlib.metadata import version

    fonts = sorted(
        f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for d in FONT_DIRS if d.is_dir() for p in d.iterdir() if p.is_file()
    )
    return json.dumps({"typst": version("typst"), "fonts": fonts, "tagged": tagged, "standards": TYPST_STANDARDS})


CACHE_FILE_RE = re.compile(r"(?P<key>[0-9a-f]{64})\.(?:pdf|json)|\.[0-9a-f]{64}\.(?:pdf|json)\.\d+\.tmp")
"""The names of the files ``RenderCache`` writes (an entry's PDF and JSON; ``key``: the entry's key),
and of the temporary files it writes them through (left behind only by a build that was killed):
pruning deletes nothing else."""


class RenderCache:
    """PDFs already rendered, by a hash of (Typst source, template, fonts, Typst version, options):
    an unchanged document or volume is copied, not rendered again. ``hits``/``misses`` count;
    ``used``: the keys this build read or wrote (``prune_cache`` keeps those)."""

    def __init__(self, folder: Path | None, fingerprint: str):
        self.folder, self.fingerprint = folder, fingerprint
        self.hits = self.misses = 0
        self.used: list[str] = []

    def key(self, source: str, images: dict[str, str]) -> str:
        h = hashlib.sha256(self.fingerprint.encode())
        h.update(source.encode())
        for name in sorted(set(images.values())):
            h.update(name.encode())  # names are the images' sha256
        return h.hexdigest()

    def get(self, key: str) -> tuple[bytes, dict[str, Any]] | None:
        """The entry, or ``None`` (a miss) when it is absent or vanishes while being read (pruned by
        a concurrent build of another site folder). A hit touches the entry: in use."""
        if self.folder is None:
            self.misses += 1
            return None
        pdf_file, info = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            found = json.loads(info.read_text(encoding="utf-8")), pdf_file.read_bytes()
            for path in (pdf_file, info):
                os.utime(path)
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        self.used.append(key)
        return found[1], found[0]

    def put(self, key: str, data: bytes, info: dict[str, Any]) -> None:
        if self.folder is None:
            return
        self.used.append(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, payload in ((f"{key}.pdf", data), (f"{key}.json", json.dumps(info).encode())):
            tmp = self.folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(payload)
            tmp.replace(self.folder / name)  # atomic: a concurrent build never reads half a file


def prune_cache(folder: Path, keep: set[str], since: float) -> tuple[int, int]:
    """Delete the render cache's entries a build did not use: files named as ``RenderCache`` names
    them (``CACHE_FILE_RE``), not in ``keep``, regular files (never a link: it is left alone, its
    target untouched), not modified since ``since`` (``time.time()`` at the build's start: what a
    concurrent build wrote or read meanwhile stays). Nothing when ``folder`` is itself a link.
    Returns (files deleted, bytes freed)."""
    deleted = freed = 0
    if folder.is_symlink() or not folder.is_dir():
        return 0, 0
    with os.scandir(folder) as entries:
        for entry in entries:
            name = CACHE_FILE_RE.fullmatch(entry.name)
            if name is None or name["key"] in keep:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode) or info.st_mtime >= since:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue  # gone already, or not ours to delete
            deleted, freed = deleted + 1, freed + info.st_size
    return deleted, freed


def _lanes(todo: list[tuple[str, str, str]], count: int) -> list[list[tuple[str, str, str]]]:
    """``todo`` (id, Typst source, key) split into ``count`` lanes of about equal work: longest
    source first, each to the lane with the least text so far (the first lane: the volume's own
    compiler). Empty lanes are dropped; at least one lane."""
    lanes: list[list[tuple[str, str, str]]] = [[] for _ in range(max(1, count))]
    loads = [0] * len(lanes)
    for job in sorted(todo, key=lambda j: len(j[1]), reverse=True):
        i = loads.index(min(loads))
        lanes[i].append(job)
        loads[i] += len(job[1])
    return [lane for lane in lanes if lane] or [[]]


def _render_typst(
    html: str,
    out_dir: Path,
    file_name: str,
    doc_ids: list[str],
    titles: dict[str, str] | None,
    per_document: bool,
    label: str,
    log: Log,
    roots: list[Path] | None,
    tagged: bool,
    cache_dir: Path | None,
) -> VolumeResult:
    """The Typst engine: the volume's HTML written as Typst (``book.typst``) and compiled in a
    temporary root holding only the source and the checked images; start pages read back from the
    compiled book; each document compiled alone with its page numbers continued from the book."""
    import typst as typst_lib

    from regbook.book import typst as markup

    started = time.perf_counter()
    titles = titles or {}
    cache = RenderCache(cache_dir, _engine_fingerprint(tagged))
    standards: Any = TYPST_STANDARDS if tagged else []
    with tempfile.TemporaryDirectory(prefix="regbook-typst-") as tmp:
        root = Path(tmp, "root")
        root.mkdir()
        empty = Path(tmp, "packages")
        empty.mkdir()
        images = markup.Images(out_dir, roots or [out_dir], root / "img")
        try:
            source, meta = markup.volume_source(html, images)
        except markup.ImageRefused as exc:
            raise FetchRefused(str(exc)) from None
        stamp = int(dt.datetime.combine(meta.date, dt.time(), dt.timezone(dt.timedelta(hours=8))).timestamp())
        main = root / "book.typ"
        main.write_text(source, encoding="utf-8")
        fonts = _typst_fonts()  # loaded once, shared by every compiler of the volume

        def new_compiler() -> Any:
            return typst_lib.Compiler(
                str(main), root=str(root), font_paths=fonts, ignore_system_fonts=True,
                package_path=str(empty), package_cache_path=str(empty),
            )

        compiler = new_compiler()

        def compile_pdf(src: str | None, with_compiler: Any = compiler) -> bytes:
            data = with_compiler.compile(
                input=src.encode() if src is not None else None, format="pdf", timestamp=stamp,
                pdf_standards=standards, pdf_tags=tagged,
            )
            assert isinstance(data, bytes)
            return data

        key = cache.key(source, images.used)
        cached = cache.get(key)
        if cached is not None:
            data, info = cached
        else:
            data = compile_pdf(None)
            info = json.loads(compiler.eval(  # one query: no second layout
                "(starts: query(heading.where(level: 2)).filter(h => h.has(\"label\")).map(h => (str(h.label), h.location().page())),"
                " appendix: query(<appendix>).map(h => h.location().page()),"
                " pages: query(<book-end>).first().location().page())",
                format="json",
            ))
            cache.put(key, data, info)
        log(f"  {label}排版完成：{info['pages']} 页（{time.perf_counter() - started:.1f} 秒），写入 PDF…")
        target = out_dir / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        (out_dir / f"{file_name}.sha256").write_text(f"{digest}  {file_name}\n", encoding="utf-8")
        anchors = {selection.doc_anchor(i): i for i in doc_ids}
        starts = {anchors[anchor]: page for anchor, page in info["starts"] if anchor in anchors}
        documents: dict[str, str] = {}
        if per_document and starts:
            (out_dir / PER_DOCUMENT_DIR).mkdir(parents=True, exist_ok=True)
            sources = markup.document_sources(
                html, images, {selection.doc_anchor(i): p for i, p in starts.items()}, {selection.doc_anchor(i): t for i, t in titles.items()}
            )
            todo: list[tuple[str, str, str]] = []  # (id, source, cache key) of the documents to compile
            for doc_id, _ in sorted(starts.items(), key=lambda kv: kv[1]):
                documents[doc_id] = f"{PER_DOCUMENT_DIR}/{doc_id}.pdf"
                src = sources[selection.doc_anchor(doc_id)]
                doc_key = cache.key(src, images.used)
                hit = cache.get(doc_key)
                if hit is not None:
                    (out_dir / documents[doc_id]).write_bytes(hit[0])
                else:
                    todo.append((doc_id, src, doc_key))
            done = [0]
            lock = threading.Lock()

            def compile_lane(lane_compiler: Any, lane: list[tuple[str, str, str]]) -> None:
                for doc_id, src, doc_key in lane:
                    part = compile_pdf(src, lane_compiler)
                    (out_dir / documents[doc_id]).write_bytes(part)
                    cache.put(doc_key, part, {})
                    with lock:
                        done[0] += 1
                        if done[0] % 25 == 0 or done[0] == len(todo):
                            log(f"  {label}单篇 PDF 已排 {done[0]}/{len(todo)} 件（{time.perf_counter() - started:.1f} 秒）")

            lanes = _lanes(todo, DOCUMENT_THREADS if len(todo) >= PARALLEL_FROM else 1)
            compilers = [compiler, *(new_compiler() for _ in lanes[1:])]
            with ThreadPoolExecutor(len(lanes)) as pool:
                for future in [pool.submit(compile_lane, c, lane) for c, lane in zip(compilers, lanes)]:
                    future.result()
        if cache.folder is not None:
            log(f"  {label}缓存：{cache.hits} 个 PDF 未变直接复用，{cache.misses} 个重新排版")
    return VolumeResult(
        file=file_name,
        label=label,
        pages=int(info["pages"]),
        size=len(data),
        sha256=digest,
        starts=starts,
        documents=documents,
        seconds=round(time.perf_counter() - started, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        rendered=cache.misses,
        reused=cache.hits,
        cache_keys=cache.used,
    )


def _render_weasyprint(
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
    """The WeasyPrint engine: lay out one volume, write it, its ``.sha256`` and (optionally) one PDF per document.

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
            engine=job.get("engine"),
            cache_dir=Path(job["cache_dir"]) if job.get("cache_dir") else None,
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
    engine: str | None = None,
    cache_dir: Path | None = None,
    cache: bool = True,
    bodies: Mapping[str, str] | None = None,
) -> BookResult:
    """Select, plan volumes, render each (in a child process when ``isolate``), write the manifest.

    ``only``: render the first ``only`` volumes (a preview, or a benchmark on a large corpus);
    ``today``: the build date statuses are taken on (``regbook.clock``; ``None``: as written);
    ``tagged``: tagged PDF (``PDF_OPTIONS``); off only to measure what tagging costs;
    ``engine``: ``typst`` or ``weasyprint`` (default: ``REGBOOK_BOOK_ENGINE``, else Typst);
    ``cache_dir``/``cache``: the Typst render cache (``cache_folder``), off with ``cache=False``;
    after a build of the whole book (not ``only``) the entries it did not use are deleted
    (``prune_cache``): the cache holds one book's PDFs, not every edit's; ``bodies``: documents'
    bodies already made (by id, as ``Renderer.body`` makes them: the site's, ``book.from_site``)."""
    started, began = time.perf_counter(), time.time()
    engine = engine_name(engine)
    cache_at = (cache_dir or cache_folder(corpus.root)) if cache else None
    out_dir.mkdir(parents=True, exist_ok=True)
    book = plan(corpus, source_date_epoch, max_pages, today)
    renderer = Renderer(corpus, book, bodies)
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
                    "engine": engine,
                    "cache_dir": str(cache_at) if cache_at else None,
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
                result = render_volume(
                    html, out_dir, name, ids, titles, per_document, label, log, estimates, roots, tagged, engine, cache_at
                )
            log(
                f"{label or '汇编：'}{result.pages} 页，{human_size(result.size)}，用时 {result.seconds:.1f} 秒，"
                f"峰值内存 {result.peak_rss_mb:.0f} MB → {name}"
            )
            results.append(result)
    if cache_at is not None and engine == "typst" and only is None:
        # The whole book was built: what it did not use is stale (an older edit, template, font).
        deleted, freed = prune_cache(cache_at, {k for r in results for k in r.cache_keys}, began)
        if deleted:
            log(f"汇编缓存：删去本次未用到的 {deleted} 个旧文件（{human_size(freed)}）")
    out = BookResult(book.edition.isoformat(), book.title, results, round(time.perf_counter() - started, 2))
    (out_dir / MANIFEST).write_text(json.dumps(out.manifest(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"汇编已生成：{len(results)} 个 PDF，共 {out.pages} 页，用时 {out.seconds:.1f} 秒（{cn_date(book.edition)}版）")
    return out


def cache_folder(project: Path) -> Path | None:
    """The render cache: ``REGBOOK_BOOK_CACHE`` (``off``: none), else ``<project>/.regbook-cache/book``
    (outside the site, ignored by git)."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env.lower() in ("off", "0", "no"):
        return None
    return Path(env) if env else project / ".regbook-cache" / "book"


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
