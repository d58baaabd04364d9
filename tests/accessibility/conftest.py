"""One sample site (no PDF book: the print page does not need it) built once for the whole
accessibility package, served as it is hosted (a missing page answered by 404.html)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.accessibility.support import page_paths, serve_site
from tests.conftest import build_site, copy_project


@pytest.fixture(scope="package")
def a11y_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("a11y")
    site = base / "site"
    result = build_site(copy_project(base / "project"), site, book=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.fixture(scope="package")
def a11y_url(a11y_site: Path) -> Iterator[str]:
    server, url = serve_site(a11y_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
def a11y_paths(a11y_site: Path) -> dict[str, str]:
    """Each kind of page → its path (tests.accessibility.support.PAGE_KINDS)."""
    return page_paths(a11y_site)
