"""``make serve`` with a content error: the browser gets a Chinese page listing each error as
``file:line``, at every address, and the site again as soon as the file is fixed; ``build`` still
refuses. ``make serve`` renders again only the pages whose Markdown changed (``--dirty``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterator

from tests.conftest import build_site, copy_project

BROKEN = "regulations/falv/guofang-dongyuan-fa.md"
GOOD_LINE = "标题: 中华人民共和国国防动员法"
BAD_LINE = "标题：中华人民共和国国防动员法"
GONE = "regulations/qita-guifanxing-wenjian/renfang-xuanchuan-jiaoyu-yijian.md"
"""A regulation no other document refers to: deleting it leaves the content without errors."""
GONE_URL = "regulations/renfang-xuanchuan-jiaoyu-yijian/"
GONE_TITLE = "国家人民防空办公室关于加强人民防空宣传教育工作的意见"
WAIT = 60.0
"""Longest wait for the server to answer or to rebuild (a failure guard, never a measurement)."""
SERVE = ["serve", "--livereload", "--dirty"]
"""``make serve``'s arguments (the Makefile is checked to say the same)."""


def _break(project: Path) -> str:
    """Write a full-width colon into a regulation; returns the ``file:line`` the error names."""
    path = project / BROKEN
    text = path.read_text(encoding="utf-8")
    assert GOOD_LINE in text
    path.write_text(text.replace(GOOD_LINE, BAD_LINE, 1), encoding="utf-8")
    return f"{BROKEN}:{text[: text.index(GOOD_LINE)].count(chr(10)) + 1}"


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(
    url: str, ready: Callable[[str], bool], server: subprocess.Popen[bytes], log: Path, status: int = 200
) -> str:
    """Poll ``url`` until it answers ``status`` with a page where ``ready(page)``; fails after ``WAIT``
    seconds or if the server exits."""
    deadline, answered, page = time.monotonic() + WAIT, 0, ""
    while time.monotonic() < deadline:
        assert server.poll() is None, f"mkdocs serve 退出了：\n{log.read_text(encoding='utf-8')}"
        try:
            answered, page = _fetch(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            answered = 0
        if answered == status and ready(page):
            return page
        time.sleep(0.5)
    raise AssertionError(
        f"{url} 在 {WAIT} 秒内没有得到期望的页面（期望 {status}，最后是 {answered}）：\n{page[-2000:]}\n{log.read_text(encoding='utf-8')}"
    )


@contextmanager
def _serving(project: Path, log: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``make serve``'s command on ``project`` (no book; ``env`` added), its output in ``log``: the
    base address and the server, stopped on leaving."""
    port = _free_port()
    mkdocs = Path(sys.executable).parent / "mkdocs"
    command = [str(mkdocs), *SERVE, "-a", f"127.0.0.1:{port}", "--config-file", str(project / "mkdocs.yml")]
    environment = {**os.environ, "REGBOOK_BOOK": "0", "NO_MKDOCS_2_WARNING": "1", **env}
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment, cwd=project)
    try:
        yield f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_serve_shows_errors_then_the_site(tmp_path: Path) -> None:
    """Check that serve answers 200 with the Chinese error list (file:line and what to type) at
    the home page, a regulation's page and an unknown address, then the normal page once fixed."""
    project = copy_project(tmp_path / "project")
    where, log = _break(project), tmp_path / "serve.log"
    with _serving(project, log) as (base, server):
        page = _wait_for(base, lambda p: "内容有错误" in p, server, log)
        assert where in page and "把全角冒号‘：’改为半角冒号加一个空格" in page
        assert "内容检查发现 1 个错误" in page
        status, other = _fetch(base + "regulations/renmin-fangkong-fa/")
        assert status == 200 and where in other
        status, unknown = _fetch(base + "no/such/page/")
        assert status == 404 and where in unknown and "内容有错误" in unknown
        path = project / BROKEN
        path.write_text(path.read_text(encoding="utf-8").replace(BAD_LINE, GOOD_LINE, 1), encoding="utf-8")
        page = _wait_for(base, lambda p: "内容有错误" not in p, server, log)
        assert "法规目录" in page and where not in page
        status, regulation = _fetch(base + "regulations/guofang-dongyuan-fa/")
        assert status == 200 and "中华人民共和国国防动员法" in regulation and "内容有错误" not in regulation


def test_serve_renders_again_only_the_changed_page(tmp_path: Path) -> None:
    """Check that after an edit to one regulation its page shows the edit while another
    regulation's page is not rendered again (its output file is untouched); then that a deleted
    regulation's page is gone, and that an error comes and goes (``_follows_deletion_and_errors``)."""
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    assert "mkdocs " + " ".join(SERVE) + "\n" in makefile
    project = copy_project(tmp_path / "project")
    temp = tmp_path / "tmp"  # mkdocs serve builds into a new folder here
    temp.mkdir()
    log = tmp_path / "serve.log"
    with _serving(project, log, TMPDIR=str(temp)) as (base, server):
        _wait_for(base, lambda p: "法规目录" in p, server, log)
        (site,) = temp.glob("mkdocs_*")
        other = site / "regulations" / "guofang-fa" / "index.html"
        before = other.stat().st_mtime_ns
        edited = "预览改动标记：本段为测试所加。"
        path = project / BROKEN
        path.write_text(path.read_text(encoding="utf-8") + f"\n{edited}\n", encoding="utf-8")
        page = _wait_for(base + "regulations/guofang-dongyuan-fa/", lambda p: edited in p, server, log)
        assert "中华人民共和国国防动员法" in page
        assert other.stat().st_mtime_ns == before
        status, unchanged = _fetch(base + "regulations/guofang-fa/")
        assert status == 200 and edited not in unchanged
        _follows_a_title(project, base, server, log)
        _follows_deletion_and_errors(project, base, server, log, edited)


def _follows_a_title(project: Path, base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """A new title shows in the catalog, the open data and the feed, which the body edit before
    left as they were (the plugin reuses them while only bodies change)."""
    path = project / "regulations/falv/guofang-fa.md"
    text = path.read_text(encoding="utf-8")
    assert "标题: 中华人民共和国国防法\n" in text
    path.write_text(text.replace("标题: 中华人民共和国国防法\n", "标题: 中华人民共和国国防法改题\n", 1), encoding="utf-8")
    for address in ("catalog/", "catalog.json", "feed.xml"):
        _wait_for(base + address, lambda p: "中华人民共和国国防法改题" in p, server, log)


def _follows_deletion_and_errors(project: Path, base: str, server: subprocess.Popen[bytes], log: Path, edited: str) -> None:
    """A deleted regulation's page is gone and the catalog no longer lists it; an error written
    into a file shows on every page, and the pages come back (with the earlier edit) once fixed."""
    assert GONE_TITLE in _fetch(base + "catalog/")[1] and _fetch(base + GONE_URL)[0] == 200
    (project / GONE).unlink()
    _wait_for(base + GONE_URL, lambda _: True, server, log, status=404)
    status, catalog = _fetch(base + "catalog/")
    assert status == 200 and GONE_TITLE not in catalog and "中华人民共和国国防法" in catalog
    where = _break(project)
    page = _wait_for(base + "regulations/guofang-fa/", lambda p: "内容有错误" in p, server, log)
    assert where in page
    path = project / BROKEN
    path.write_text(path.read_text(encoding="utf-8").replace(BAD_LINE, GOOD_LINE, 1), encoding="utf-8")
    page = _wait_for(base + "regulations/guofang-dongyuan-fa/", lambda p: "内容有错误" not in p, server, log)
    assert edited in page
    status, other = _fetch(base + "regulations/guofang-fa/")
    assert status == 200 and "内容有错误" not in other and "中华人民共和国国防法" in other
    status, _ = _fetch(base + GONE_URL)
    assert status == 404


def test_build_still_refuses_content_errors(tmp_path: Path) -> None:
    """Check that outside serve the same error stops the build and names the file and line."""
    project = copy_project(tmp_path / "project")
    where = _break(project)
    result = build_site(project, tmp_path / "site", book=False)
    assert result.returncode != 0 and where in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()
