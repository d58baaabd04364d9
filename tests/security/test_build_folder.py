"""The build folder: two builds of one site are serialised by a lock, and a site folder the build
cannot replace or clean (``chattr +i``, or a failing rename where the file system has no such
attribute) is a Chinese error naming the folder, never a traceback, with the old site in place.

MkDocs itself is replaced by a stub (``build.render_site``) that writes a one-page site: these
tests are about the folders, and the checker runs on ``tests/golden/_base`` (a clean project)."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from regbook import build as build_mod

BASE = Path(__file__).parents[1] / "golden" / "_base"
TODAY = dt.date(2025, 6, 1)
NEW_PAGE = "<h1>新网站</h1>"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def fake_render(root: Path, staging: Path, env: dict[str, str]) -> int:
    """What `mkdocs build` would leave: a site folder with one page."""
    staging.mkdir()
    (staging / "index.html").write_text(NEW_PAGE, encoding="utf-8")
    return 0


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean project with a published site (the last publication)."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / "site" / "regulations").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<h1>上次发布的网站</h1>", encoding="utf-8")
    (root / "site" / "regulations" / "a.html").write_bytes(os.urandom(32))
    monkeypatch.setattr(build_mod, "render_site", fake_render)
    return root


def _build(root: Path) -> int:
    return build_mod.build(root, since="none", today=TODAY)


def _assert_old_site_kept(root: Path, before: dict[str, str]) -> None:
    assert snapshot(root / "site") == before
    assert not (root / ".site-new").exists(), "no staging folder left behind"


def test_build_swaps_in_the_new_site(project: Path) -> None:
    """Check the stubbed build itself: the new site replaces the old, no folder is left behind."""
    assert _build(project) == 0
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == NEW_PAGE
    assert not (project / ".site-new").exists() and not (project / ".site-old").exists()


def test_second_build_waits_for_the_first(project: Path) -> None:
    """Check that a build started while another holds the lock says so, waits, then builds."""
    lock = os.open(project / build_mod.LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    os.write(lock, f"{os.getpid()}\n".encode())
    script = textwrap.dedent(
        f"""
        import datetime as dt, sys
        from pathlib import Path
        from regbook import build
        from tests.security.test_build_folder import fake_render
        build.render_site = fake_render
        sys.exit(build.build(Path({str(project)!r}), since="none", today=dt.date(2025, 6, 1)))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2]
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first.strip() == f"另一个构建（进程 {os.getpid()}）正在生成 {project / 'site'}，等它结束后再开始……"
        assert proc.poll() is None and not (project / ".site-new").exists(), "it waits before building"
    finally:
        os.close(lock)  # the first build ends
    _, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, rest
    assert rest.startswith("上一个构建已结束，开始构建。")
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == NEW_PAGE


def test_linked_lock_file_is_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that a lock file that is a link is not opened through: a Chinese error, its target untouched."""
    target = tmp_path / "elsewhere.txt"
    target.write_text("不能被改写", encoding="utf-8")
    (project / build_mod.LOCK_NAME).symlink_to(target)
    before = snapshot(project / "site")
    assert _build(project) == 1
    err = capsys.readouterr().err
    assert f"构建失败：无法打开构建锁文件 {project / build_mod.LOCK_NAME}" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "不能被改写"
    _assert_old_site_kept(project, before)


def _chattr(flag: str, path: Path) -> bool:
    try:
        return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0
    except OSError:
        return False


def test_immutable_site_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that an undeletable site/ (chattr +i) is a Chinese error naming it; the old site stays."""
    site = project / "site"
    if not _chattr("+i", site):
        pytest.skip("chattr +i is not available on this file system (test_site_rename_fails covers the same path)")
    try:
        before = snapshot(site)
        assert _build(project) == 1
    finally:
        _chattr("-i", site)
    err = capsys.readouterr().err
    assert f"构建失败：无法替换网站文件夹 {site}（Operation not permitted）" in err and "Traceback" not in err
    assert f"网站未更新（{site} 保持原样）" in err
    _assert_old_site_kept(project, before)


def test_site_rename_fails(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Check the same refusal where the file system says no to renaming site/ (read-only, permissions)."""
    site = project / "site"
    real_rename = Path.rename

    def rename(self: Path, target: str | Path) -> Path:
        if self == site:
            raise PermissionError(13, "Permission denied", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    before = snapshot(site)
    assert _build(project) == 1
    err = capsys.readouterr().err
    assert f"构建失败：无法替换网站文件夹 {site}（Permission denied）" in err and "Traceback" not in err
    _assert_old_site_kept(project, before)


def test_undeletable_old_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that a leftover .site-old the build cannot delete stops the build before it renders,
    naming the folder (a file in it is immutable; simulated where chattr is unavailable)."""
    old = project / ".site-old"
    old.mkdir()
    stuck = old / "stuck.html"
    stuck.write_text("x", encoding="utf-8")
    before = snapshot(project / "site")
    immutable = _chattr("+i", stuck)
    try:
        if immutable:
            code = _build(project)
        else:
            with pytest.MonkeyPatch.context() as mp:
                real = shutil.rmtree

                def rmtree(path: str | Path, *args: object, **kwargs: object) -> None:
                    if Path(path) == old:
                        raise PermissionError(1, "Operation not permitted", str(stuck))
                    real(path)

                mp.setattr(shutil, "rmtree", rmtree)
                code = _build(project)
    finally:
        if immutable:
            _chattr("-i", stuck)
    assert code == 1
    err = capsys.readouterr().err
    assert f"构建失败：无法删除上次构建留下的旧网站文件夹 {old}（Operation not permitted：{stuck}）" in err
    assert "Traceback" not in err
    _assert_old_site_kept(project, before)


def test_old_site_that_cannot_be_removed_after_the_swap(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Check that when the previous site cannot be deleted after the swap, the new site is published
    and a notice names the leftover folder."""
    old = project / ".site-old"
    real = shutil.rmtree

    def rmtree(path: str | Path, *args: object, **kwargs: object) -> None:
        if Path(path) == old:
            raise PermissionError(13, "Permission denied", str(old))
        real(path)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert _build(project) == 0
    err = capsys.readouterr().err
    assert f"提示：旧网站文件夹 {old} 无法删除（Permission denied），下次构建前请改好权限并删去它" in err
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == NEW_PAGE
