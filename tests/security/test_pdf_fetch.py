"""The PDF renderer reads only the project's and the site's own files (``book.pdf.url_fetcher``):
no network, no file outside them, symlinks resolved. A small render that asks for an outside
file and for URLs on a local HTTP server (127.0.0.1, recording every request) fetches nothing
and stops with a Chinese error naming the address."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Iterator

import pytest
from weasyprint.urls import FatalURLFetchingError

from regbook.book import pdf

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
    "0000000a49444154789c636000000002000148afa4710000000049454e44ae426082"
)  # a valid 1×1 grey PNG (Typst checks the CRCs)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    _Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(project, site, outside), each holding ``a.png``; ``project/link.png`` points outside."""
    project, site, outside = tmp_path / "project", tmp_path / "site", tmp_path / "outside"
    for folder in (project, site / "downloads", outside):
        folder.mkdir(parents=True)
    for folder in (project, site, outside):
        (folder / "a.png").write_bytes(PNG)
    (project / "link.png").symlink_to(outside / "a.png")
    return project, site, outside


def test_fetcher_reads_files_inside_the_roots(roots: tuple[Path, Path, Path]) -> None:
    project, site, _ = roots
    fetch = pdf.url_fetcher([project, site])
    for path in (project / "a.png", site / "a.png", site / "downloads" / ".." / "a.png"):
        response = fetch(path.as_uri())
        assert response.read() == PNG
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file://example.com/etc/passwd",
        "file:///etc/passwd",
    ],
)
def test_fetcher_refuses_other_addresses(roots: tuple[Path, Path, Path], url: str) -> None:
    project, site, _ = roots
    with pytest.raises(FatalURLFetchingError, match="汇编 PDF"):
        pdf.url_fetcher([project, site])(url)


def test_fetcher_refuses_escapes_from_the_roots(roots: tuple[Path, Path, Path]) -> None:
    project, site, outside = roots
    fetch = pdf.url_fetcher([project, site])
    for url in ((outside / "a.png").as_uri(), f"{project.as_uri()}/../outside/a.png", (project / "link.png").as_uri()):
        with pytest.raises(FatalURLFetchingError, match=r"只能读取本项目.*outside"):
            fetch(url)


@pytest.mark.parametrize("engine", pdf.ENGINES)
@pytest.mark.parametrize("what", ["outside", "http", "css"])
def test_render_fetches_nothing_outside(
    roots: tuple[Path, Path, Path], server: tuple[str, list[str]], what: str, engine: str
) -> None:
    project, site, outside = roots
    base, hits = server
    body = {
        "outside": f'<img src="{(outside / "a.png").as_uri()}">',
        "http": f'<img src="{base}/img.png">',
        "css": f'<p style="background: url({base}/bg.png)">x</p>',
    }[what]
    html = f"<html><body><p>正文</p>{body}</body></html>"
    with pytest.raises(pdf.FetchRefused) as refused:
        pdf.render_volume(
            html, site / "downloads", "t.pdf", [], per_document=False, roots=[project, site], log=lambda m: None, engine=engine
        )
    assert hits == []
    assert ("outside" if what == "outside" else base) in str(refused.value)
    assert not (site / "downloads" / "t.pdf").exists()


@pytest.mark.parametrize("engine", pdf.ENGINES)
def test_render_reads_the_sites_own_image(roots: tuple[Path, Path, Path], server: tuple[str, list[str]], engine: str) -> None:
    project, site, _ = roots
    html = '<html><body><p>正文</p><img src="../a.png"></body></html>'
    result = pdf.render_volume(
        html, site / "downloads", "t.pdf", [], per_document=False, roots=[project, site], log=lambda m: None, engine=engine
    )
    assert result.pages == 1
    assert server[1] == []
