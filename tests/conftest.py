"""Shared fixtures: the project root, the shared corpus (skipped where absent), a built sample site,
and headless Chromium (Debian's, never a downloaded browser)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """``../shared/corpus``: real law texts, read at test time, never committed."""
    if not (SHARED_CORPUS / "defense").is_dir():
        pytest.skip(f"需要 ../shared/corpus（真实法律文本），本机没有：{SHARED_CORPUS}")
    return SHARED_CORPUS


def build_site(project: Path, site_dir: Path, *, book: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``regbook build`` on a project folder, as ``make build`` does (``book=False``: no PDFs)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not book:
        env["REGBOOK_BOOK"] = "0"
    return subprocess.run(
        [sys.executable, "-m", "regbook.cli", "build", "--root", str(project), "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        env=env,
    )


def copy_project(dest: Path) -> Path:
    """A copy of this project's content and configuration (no .venv, no site) to break or extend."""
    ignore = shutil.ignore_patterns(".venv", "site", ".site-*", ".git", "__pycache__", ".pytest_cache", "*.egg-info")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built once into a temporary folder."""
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build_site(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(directory: Path) -> tuple[socketserver.TCPServer, str]:
    """Serve a folder on 127.0.0.1 (random port); returns the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def sample_url(sample_site: Path) -> Iterator[str]:
    server, url = serve(sample_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("需要 Debian 软件包 chromium（/usr/bin/chromium）：make test 以 root 运行时会自动安装")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
