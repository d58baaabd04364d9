"""Shared fixtures: the project root, the frozen sample content, the shared corpus (skipped where
absent), a built sample site, and headless Chromium (Debian's, never a downloaded browser).

Tests never read the live content (``regulations/``, ``docs/``, ``CONTRIBUTING.md``): a project is
the repository's code and configuration plus ``tests/fixtures/sample`` (see tests/fixtures/README.md),
so a content-only pull request cannot turn ``make test`` red. Only ``test_live_content.py`` reads
the live content, to check that it passes ``regbook check`` and builds."""

from __future__ import annotations

import datetime as dt
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
"""The repository: its code and configuration only (its content is the live content)."""
FIXTURE = ROOT / "tests" / "fixtures" / "sample"
"""The frozen sample content: ``regulations/``, ``docs/`` and ``CONTRIBUTING.md``."""
FIXTURE_TODAY = dt.date(2026, 12, 2)
"""The build date of the fixture's builds (the day it was frozen): its 尚未生效 and 有效期至 dates
stay in the future whatever the calendar says."""
PROJECT_CODE = ("mkdocs.yml", "pyproject.toml", "overrides", "scripts")
"""What a project takes from the repository: configuration, theme overrides, and the code that
``mkdocs.yml`` names (``watch: scripts/regbook``)."""
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


def build_site(
    project: Path, site_dir: Path, *, book: bool = True, today: dt.date | None = FIXTURE_TODAY
) -> subprocess.CompletedProcess[str]:
    """Run ``regbook build`` on a project folder, as ``make build`` does (``book=False``: no PDFs).

    The build date is ``today`` (``REGBOOK_TODAY``, and ``SOURCE_DATE_EPOCH`` at noon in Beijing
    for the book's edition date), so a build of the frozen fixture does not change with the
    calendar; ``today=None``: the real date, as ``make build``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not book:
        env["REGBOOK_BOOK"] = "0"
    if today is not None:
        noon = dt.datetime.combine(today, dt.time(12), tzinfo=dt.timezone(dt.timedelta(hours=8)))
        env["REGBOOK_TODAY"] = today.isoformat()
        env["SOURCE_DATE_EPOCH"] = str(int(noon.timestamp()))
    return subprocess.run(
        [sys.executable, "-m", "regbook.cli", "build", "--root", str(project), "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        env=env,
    )


def assemble_project(dest: Path, content: Path = FIXTURE) -> Path:
    """A new project folder ``dest``: the repository's code and configuration plus ``content``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache")
    dest.mkdir(parents=True)
    for name in PROJECT_CODE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    shutil.copytree(content, dest, ignore=ignore, dirs_exist_ok=True)
    return dest


def copy_project(dest: Path) -> Path:
    """A project with the frozen sample content (never the live content), to break or extend."""
    return assemble_project(dest)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen sample content built once (with the book) into a temporary folder."""
    base = tmp_path_factory.mktemp("sample")
    site = base / "site"
    result = build_site(copy_project(base / "project"), site)
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
