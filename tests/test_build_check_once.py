"""The content is checked once per ``regbook build``: the plugin skips its check only for the content
its parent ``regbook build`` has just checked; the theme's search plugin keeps its box but indexes nothing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config

from regbook import build
from regbook.mkdocs_plugin import search as search_plugin
from tests.conftest import FIXTURE_TODAY, copy_project

REG = "regulations/xingzheng-guifanxing-wenjian/jilin-renfang-jingbao-sheshi-guanli-tongzhi.md"
BROKEN = "\n<script>alert(1)</script>\n"


def test_fingerprint_changes_with_any_content_file_link_or_date(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    first = build.content_fingerprint(root, FIXTURE_TODAY)
    assert build.content_fingerprint(root, FIXTURE_TODAY) == first
    assert build.content_fingerprint(root, FIXTURE_TODAY + dt.timedelta(days=1)) != first
    changed = []
    for edit in (
        lambda: (root / REG).write_text((root / REG).read_text(encoding="utf-8") + "\n", encoding="utf-8"),
        lambda: (root / "docs" / "about.md").write_bytes(b"# x\n"),
        lambda: (root / "CONTRIBUTING.md").write_bytes(b"# y\n"),
        lambda: (root / "docs" / "elsewhere").symlink_to("/etc"),
        lambda: (root / "regulations" / "new-folder").mkdir(),
    ):
        edit()
        changed.append(build.content_fingerprint(root, FIXTURE_TODAY))
    assert len({first, *changed}) == 1 + len(changed)


def _mkdocs_build(root: Path, site: Path, checked: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` as a child of this test process, with ``REGBOOK_CHECKED`` set to ``checked``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0", "REGBOOK_TODAY": FIXTURE_TODAY.isoformat()}
    env[build.CHECKED_ENV] = checked
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site)]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_the_plugin_trusts_only_its_parent_and_only_for_the_content_it_checked(tmp_path: Path) -> None:
    """Content with an error builds only when the parent vouches for exactly this content: the
    plugin skipped its check. A stale variable (another pid) or edited content is checked again."""
    root = copy_project(tmp_path / "project")
    (root / REG).write_text((root / REG).read_text(encoding="utf-8") + BROKEN, encoding="utf-8")
    digest = build.content_fingerprint(root, FIXTURE_TODAY)
    for stale in (f"{os.getpid() + 1}:{digest}", f"{os.getpid()}:{'0' * 64}", f"{os.getpid()}:"):
        refused = _mkdocs_build(root, tmp_path / "refused", stale)
        assert refused.returncode != 0 and "内容检查发现" in refused.stderr, stale
    trusted = _mkdocs_build(root, tmp_path / "trusted", f"{os.getpid()}:{digest}")
    assert trusted.returncode == 0, trusted.stderr[-2000:]


def test_the_theme_search_plugin_stays_but_indexes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = load_config(str(root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    theme_search = config.plugins["material/search"]
    assert theme_search.config.enabled, "the theme shows its search box only with its plugin enabled"
    assert type(theme_search.search_index) is search_plugin._NoIndex  # type: ignore[attr-defined]

    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("  - regbook-search\n", "  - regbook-search:\n      enabled: false\n"), encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert type(config.plugins["material/search"].search_index) is not search_plugin._NoIndex  # type: ignore[attr-defined]
