"""Atomic, reproducible publication: a failed check or build leaves ``site/`` exactly as it was;
two builds of one commit are byte-identical; published HTML carries no script from content."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import subprocess
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import ROOT, build_site, copy_project

pytestmark = pytest.mark.slow

REG = "regulations/xingzheng-guifanxing-wenjian/jilin-renfang-jingbao-sheshi-guanli-tongzhi.md"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (relative path → sha256), and every directory."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project with an existing site/ (a stand-in for the last publication)."""
    root = copy_project(tmp_path / "project")
    site = root / "site"
    (site / "regulations" / "old").mkdir(parents=True)
    (site / "index.html").write_text("<h1>上次发布的网站</h1>", encoding="utf-8")
    (site / "regulations" / "old" / "index.html").write_bytes(os.urandom(64))
    return root


def _append_to_body(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _assert_untouched(root: Path, before: dict[str, str]) -> None:
    assert snapshot(root / "site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith(".site-")], "no staging folder left behind"


@pytest.mark.parametrize(
    "breakage",
    [
        "\n<script>alert(document.cookie)</script>\n",
        '\n[附件](javascript:alert(1))\n\n<img src="x.png" onerror="alert(1)">\n',
        "\n[下载][f]\n\n[f]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\n",
        '\n[通知](../falv/renmin-fangkong-fa.md){: onclick="alert(1)" }\n',
    ],
    ids=["script", "javascript-and-onerror", "reference-data-url", "attribute-list"],
)
def test_unsafe_content_is_never_published(project: Path, breakage: str) -> None:
    """Check that content with scripts fails `regbook build` and leaves the old site byte-identical."""
    _append_to_body(project / REG, breakage)
    before = snapshot(project / "site")
    result = build_site(project, project / "site")
    assert result.returncode == 1
    assert f"{REG}:" in result.stderr and "网站未更新" in result.stderr
    _assert_untouched(project, before)


def test_plugin_refuses_unsafe_content_too(project: Path) -> None:
    """Check that `mkdocs build` alone (as `mkdocs serve` runs it) refuses content with a script."""
    _append_to_body(project / REG, "\n<script>alert(1)</script>\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0"}
    result = subprocess.run(
        [str(Path(os.sys.executable)), "-m", "mkdocs", "build", "--site-dir", str(project / "other-site")],
        cwd=project, capture_output=True, text=True, env=env,
    )
    assert result.returncode != 0 and "不允许使用 HTML 元素 <script>" in result.stderr
    assert not (project / "other-site" / "index.html").exists()


def test_failed_mkdocs_build_leaves_site_untouched(project: Path) -> None:
    """Check that a build failing after a clean check (here: a plugin that is not installed) changes nothing."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "plugins:\n" in text
    config.write_text(text.replace("plugins:\n", "plugins:\n  - no-such-plugin-regbook-test\n", 1), encoding="utf-8")
    before = snapshot(project / "site")
    result = build_site(project, project / "site")
    assert result.returncode == 1 and "网站未更新" in result.stderr
    _assert_untouched(project, before)


def test_two_builds_of_one_commit_are_identical(tmp_path: Path) -> None:
    """Check that building the same commit twice gives byte-identical files (site and book)."""
    root = copy_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "content"], check=True, env=env)
    first, second = tmp_path / "first", tmp_path / "second"
    for site in (first, second):
        result = subprocess.run(
            [os.sys.executable, "-m", "regbook.cli", "build", "--root", str(root), "--site-dir", str(site)],
            capture_output=True, text=True, env={**env, "NO_MKDOCS_2_WARNING": "1"},
        )
        assert result.returncode == 0, result.stderr
    a, b = snapshot(first), snapshot(second)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert len(a) > 50


_THEME_INLINE = (
    re.compile(r"^\s*__md_scope=new URL\("),
    re.compile(r"^\s*var palette=__md_get\(\"__palette\"\)"),
    re.compile(r"^\s*var target=document\.getElementById\(location\.hash\.slice\(1\)\)"),
)


def _from_our_templates(script: str) -> bool:
    """Whether an inline script comes from the project's theme overrides (its first line is there verbatim)."""
    first = next((line.strip() for line in script.splitlines() if line.strip()), "")
    templates = [p.read_text(encoding="utf-8") for p in (ROOT / "overrides").rglob("*.html")]
    return bool(first) and any(first in t for t in templates)


def test_published_html_has_only_the_themes_scripts(sample_site: Path) -> None:
    """Check that every <script> in the sample site is the theme's: assets/ files, its config, its inline
    helpers (Material's, or the project's own from overrides/), never one that content brought in."""
    pages = sorted(sample_site.rglob("*.html"))
    assert pages
    seen = 0
    for path in pages:
        url = path.relative_to(sample_site).as_posix()
        for script in lxml.html.fromstring(path.read_bytes()).iter("script"):
            seen += 1
            src = script.get("src")
            if src is not None:
                assert "//" not in src and ":" not in src, f"{url}: {src}"
                target = posixpath.normpath(posixpath.join(posixpath.dirname(url), src)).lstrip("/")
                if src.startswith("/"):
                    target = src.lstrip("/")
                assert target.startswith(("assets/", "js/")) and (sample_site / target).is_file(), f"{url}: {src}"
            elif script.get("id") == "__config":
                assert script.get("type") == "application/json"
            else:
                text = script.text or ""
                assert any(p.match(text) for p in _THEME_INLINE) or _from_our_templates(text), f"{url}: {text[:80]!r}"
        for el in lxml.html.fromstring(path.read_bytes()).iter():
            if isinstance(el.tag, str):
                handlers = [a for a in el.attrib if a.lower().startswith("on")]
                assert not handlers, f"{url}: <{el.tag} {handlers}>"
    assert seen > len(pages)
