"""The offline copy: the whole built site as one zip, browsable and searchable from disk (file://).

Readers without internet access (intranets, offices) unpack it and double-click ``index.html``.
Made from the site just built (``write_zip``), file by file in memory, never touching the site:

- **links to folders** (``use_directory_urls: true`` writes ``../catalog/``, which on file:// opens a
  folder listing) get their ``index.html`` (``../catalog/index.html``), in every ``href``/``src``
  of every HTML page, only where that ``index.html`` exists (anything else is left as written);
  inline scripts are left alone (the Content-Security-Policy allows them by their hash);
- **search**: browsers refuse a worker and ``fetch`` on file://; each index file of
  ``search/regbook/`` is replaced by its ``.js`` twin (``regbook.search.scripts``), which the search
  loads with ``<script src>`` on the page's main thread
  (``overrides/assets/javascripts/regbook-search-local.js``), and the theme's stub index gets the
  ``search/search_index.js`` the theme reads on file://;
- the home page's link to the zip itself (an element with class ``SELF_LINK_CLASS``) is removed,
  and the zip is not in itself, nor ``404.html`` (a web server's page, with root-absolute links
  that lead nowhere on disk); the PDFs are (the book and the per-document PDFs are useful offline).

Reproducible: entries sorted, one top folder (the zip's name without ``.zip``), every timestamp the
edition date, fixed permissions, the same compression: two builds of one commit give one zip.
The Content-Security-Policy is unchanged: Chromium matches ``'self'`` on file:// against file://
addresses, so the theme's bundle, our scripts and the index shards all load
(``tests/test_offline.py`` checks that no request leaves the disk and nothing is refused).

No MkDocs here: the ``regbook`` plugin calls ``write_zip`` after the book and the search index
are written (``on_post_build``).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from regbook.search import scripts

SUFFIX = "-离线版.zip"
SELF_LINK_CLASS = "regbook-offline-download"
"""Class of the ``<li>`` that links the zip on the website's pages: dropped from the copy."""
THEME_INDEX = "search/search_index.json"
LEFT_OUT = {"404.html"}
"""Site files a copy on disk has no use for."""
STORED = {".pdf", ".gz", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".docx", ".xlsx"}
"""Already compressed: stored as they are (deflate gains a few percent at a noticeable cost)."""

_SCRIPT_RE = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>)", re.S | re.I)
_TAG_RE = re.compile(r"<[A-Za-z][^<>]*>")
_ATTR_RE = re.compile(r'(\s(?:href|src)=")([^"]*)(")', re.I)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SELF_LINK_RE = re.compile(rf'<li class="{SELF_LINK_CLASS}">.*?</li>', re.S)


@dataclass(frozen=True)
class OfflineResult:
    file: str
    size: int
    entries: int
    seconds: float


def zip_name(book_file_stem: str) -> str:
    """``吉林省国防动员法律法规汇编-2024-01-03`` → ``吉林省国防动员法律法规汇编-2024-01-03-离线版.zip``."""
    return f"{book_file_stem}{SUFFIX}"


def _with_index(url: str, page_dir: str, folders: set[str]) -> str:
    """A relative link to a folder that holds ``index.html``, pointed at that file."""
    if not url or url.startswith(("#", "/", "?")) or _SCHEME_RE.match(url):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    name = path.rsplit("/", 1)[-1]
    if not (path.endswith("/") or name in (".", "..")):
        return url
    target = posixpath.normpath(posixpath.join(page_dir, unquote(path)))
    if target not in folders:
        return url
    return f"{path if path.endswith('/') else path + '/'}index.html{rest}"


def offline_html(html: str, page: str, folders: set[str]) -> str:
    """One page for the offline copy: folder links get ``index.html`` (outside inline scripts),
    the link to the zip itself is gone. ``page``: its path in the site (``catalog/index.html``);
    ``folders``: the site's folders that hold an ``index.html`` (``.`` for the root)."""
    page_dir = posixpath.dirname(page) or "."

    def attr(m: re.Match[str]) -> str:
        return f"{m[1]}{_with_index(m[2], page_dir, folders)}{m[3]}"

    def tags(text: str) -> str:
        return _TAG_RE.sub(lambda t: _ATTR_RE.sub(attr, t[0]), text)

    out, last = [], 0
    for m in _SCRIPT_RE.finditer(html):
        out += [tags(html[last : m.start()]), tags(m[1]), m[2], m[3]]
        last = m.end()
    out.append(tags(html[last:]))
    return _SELF_LINK_RE.sub("", "".join(out))


def _site_files(site: Path) -> list[str]:
    """Every regular file below ``site`` (relative POSIX paths, sorted); links are not followed."""
    found = []
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(site).as_posix())
    return sorted(found)


def _info(name: str, date: dt.date) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(date.year, date.month, date.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED if Path(name).suffix.lower() in STORED else zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so that the permissions below are read
    info.external_attr = 0o100644 << 16
    return info


def write_zip(site: Path, target: Path, date: dt.date, *, index_dir: str = "search/regbook") -> OfflineResult:
    """Write the offline copy of the built ``site`` as the zip ``target`` (usually in ``site/downloads/``).

    ``date``: every entry's timestamp (the edition date); ``index_dir``: the search index's folder
    in the site (``regbook.mkdocs_plugin.search.INDEX_DIR``)."""
    started = time.perf_counter()
    top = target.name.removesuffix(".zip")
    files = [rel for rel in _site_files(site) if not rel.endswith(SUFFIX) and rel not in LEFT_OUT]
    folders = {posixpath.dirname(rel) or "." for rel in files if posixpath.basename(rel) == "index.html"}
    entries: dict[str, tuple[str, bytes | None]] = {}  # name in the copy → (site file, new bytes or None: as is)
    for rel in files:
        folder, name = posixpath.split(rel)
        if folder == index_dir and (twin := scripts.script_name(name)):
            raw = (site / rel).read_bytes()
            content = scripts.head_script(raw) if name == "index.json" else scripts.shard_script(twin[:-3], raw)
            entries[f"{folder}/{twin}"] = (rel, content)
            continue
        if rel == THEME_INDEX:
            entries[rel.removesuffix(".json") + ".js"] = (rel, scripts.theme_index_script((site / rel).read_bytes()))
        if rel.endswith(".html"):
            text = (site / rel).read_text(encoding="utf-8")
            entries[rel] = (rel, offline_html(text, rel, folders).encode("utf-8"))
        else:
            entries[rel] = (rel, None)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    with zipfile.ZipFile(partial, "w") as zf:
        for name in sorted(entries):
            rel, data = entries[name]
            info = _info(f"{top}/{name}", date)
            if data is not None:
                zf.writestr(info, data)
            else:
                with (site / rel).open("rb") as src, zf.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    partial.replace(target)
    return OfflineResult(target.name, target.stat().st_size, len(entries), round(time.perf_counter() - started, 2))
