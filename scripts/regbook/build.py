"""Building the site: check first, build elsewhere, then swap, so a failure leaves ``site/`` as it was.

The folders: ``site`` (published), ``.site-new`` (the build being written), ``.site-old`` (the
previous site during the swap), all beside each other, and the lock file ``.regbook-build.lock``.
The build empties and replaces them, so it refuses to run when any of them is a symlink (a
committed link would make it empty a folder elsewhere) or not a folder, before touching anything.
Two builds of one site folder are serialised by ``fcntl.flock`` on the lock file: the second waits,
saying so. A folder the build cannot delete or rename (read-only, ``chattr +i``) is a Chinese error
naming it, and the old site stays in place.

The content is checked once: the build tells its MkDocs process (``CHECKED_ENV``: its pid and the
content's fingerprint, taken before loading and again after checking) that it has checked this very
content, and the plugin skips its own check only for that content and only as the build's child.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import stat
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from regbook import clock, corpus, rules
from regbook.problems import render
from regbook.rules import history


LOCK_NAME = ".regbook-build.lock"
"""The build lock, beside the site folder (in the project for the default ``site/``)."""


CHECKED_ENV = "REGBOOK_CHECKED"
"""Set by ``regbook build`` for its MkDocs process: ``<build pid>:<content fingerprint>`` of the
content it has just checked without errors, so that the plugin does not check it a second time
(``checked_by_parent``)."""
CHECKED_FOLDERS = ("regulations", "docs", "CONTRIBUTING.md")
"""What the content check reads (``corpus.load``): the fingerprint covers all of it."""


def content_fingerprint(root: Path, today: dt.date) -> str:
    """A digest of everything the content check reads, and the build date: every entry below
    ``regulations/`` and ``docs/`` and ``CONTRIBUTING.md`` (path, kind, a link's target, a regular
    file's bytes), walked without following links."""
    digest = hashlib.sha256(today.isoformat().encode())
    for name in CHECKED_FOLDERS:
        top = root / name
        entries = [top]
        if top.is_dir() and not top.is_symlink():
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames.sort()
                entries += [Path(dirpath) / n for n in sorted(dirnames + filenames)]
        for path in entries:
            try:
                mode = path.lstat().st_mode
            except OSError:
                digest.update(f"\0{path.relative_to(root)}\0missing".encode())
                continue
            kind = "link" if stat.S_ISLNK(mode) else "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"
            digest.update(f"\0{path.relative_to(root)}\0{kind}\0".encode())
            try:
                if kind == "link":
                    digest.update(os.readlink(path).encode(errors="surrogateescape"))
                elif kind == "file":
                    digest.update(str(path.lstat().st_size).encode() + b"\0" + corpus.read_regular(path))
            except OSError:
                digest.update(b"\0unreadable")
    return digest.hexdigest()


def checked_by_parent(root: Path, today: dt.date) -> bool:
    """Whether this process was started by ``regbook build`` (its parent) after it had checked
    exactly this content on this date: ``CHECKED_ENV`` names the parent's pid and the content's
    fingerprint. Anything else (``mkdocs build``, ``serve``, a stale variable, content edited
    since) checks again."""
    pid, _, digest = os.environ.get(CHECKED_ENV, "").partition(":")
    return pid == str(os.getppid()) and bool(digest) and digest == content_fingerprint(root, today)


class FolderError(Exception):
    """A build folder the build must not or cannot touch; the message is Chinese and names it."""


@dataclass(frozen=True)
class Folders:
    """The site folder and its companions, beside it (two site folders in one parent share the lock)."""

    site: Path
    staging: Path
    old: Path
    lock: Path

    @classmethod
    def of(cls, site_dir: Path) -> "Folders":
        """The folders of ``site_dir``; its parent is resolved, the folder itself never (a link
        named ``site`` must be seen as a link, not followed)."""
        absolute = Path(os.path.abspath(site_dir))
        site = absolute.parent.resolve() / absolute.name
        return cls(
            site,
            site.with_name(f".{site.name}-new"),
            site.with_name(f".{site.name}-old"),
            site.with_name(LOCK_NAME),
        )


def source_date_epoch(root: Path) -> str:
    """The commit time of HEAD (reproducible builds), or now outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if out:
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return str(int(time.time()))


def refuse_links(folders: Folders) -> None:
    """``FolderError`` if the site, staging or old folder is a symlink or not a folder."""
    for path in (folders.site, folders.staging, folders.old):
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            raise FolderError(
                f"{path} 是符号链接（指向 {target}）。构建会清空并替换这个文件夹，不能让它指向别处：请删去这个链接"
                f"（rm {path}），构建会自己建立文件夹。什么都没有改动"
            )
        if path.exists() and not path.is_dir():
            raise FolderError(f"{path} 不是文件夹：构建要用这个名字存放网站，请删去或改名这个文件。什么都没有改动")


@contextlib.contextmanager
def locked(folders: Folders) -> Iterator[None]:
    """Hold the site folder's build lock; a second build waits for the first, saying so."""
    try:
        fd = os.open(folders.lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise FolderError(
            f"无法打开构建锁文件 {folders.lock}（{exc.strerror}）：它不能是链接或文件夹，所在文件夹须可写。请删去它后重新构建"
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            print(f"另一个构建（进程 {holder}）正在生成 {folders.site}，等它结束后再开始……", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
            print("上一个构建已结束，开始构建。", file=sys.stderr, flush=True)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)


def _rmtree(path: Path) -> None:
    """``shutil.rmtree``, raising the first failure with the full path of the file that failed
    (Python reports it relative to its folder otherwise)."""
    failed: list[OSError] = []

    def note(function: object, name: str, info: tuple[type[BaseException], BaseException, object]) -> None:
        exc = info[1]
        if not failed and isinstance(exc, OSError):
            failed.append(OSError(exc.errno, exc.strerror, name))

    shutil.rmtree(path, onerror=note)
    if failed:
        raise failed[0]


def _remove(path: Path, what: str) -> None:
    """Delete a leftover build folder, or ``FolderError`` naming it."""
    if not path.exists():
        return
    try:
        _rmtree(path)
    except OSError as exc:
        where = exc.filename or path
        raise FolderError(
            f"无法删除{what} {path}（{exc.strerror}：{where}）：它或其中的文件可能是只读的或不可删除（chattr +i）。"
            f"请改好权限后删去 {path}，再重新构建"
        ) from exc


def swap(folders: Folders) -> str | None:
    """Put the staging folder in place of the site; the old site stays if that fails.

    Returns a notice when the previous site could not be deleted afterwards (the new site is
    published; the next build asks for the folder to be cleaned), raises ``FolderError`` when the
    site could not be replaced."""
    site, staging, old = folders.site, folders.staging, folders.old
    moved = False
    if site.exists():
        try:
            site.rename(old)
            moved = True
        except OSError as exc:
            raise FolderError(
                f"无法替换网站文件夹 {site}（{exc.strerror}）：它或其上级文件夹可能是只读的或不可删除（chattr +i）。"
                "请改好权限后重新构建"
            ) from exc
    try:
        staging.rename(site)
    except OSError as exc:
        if moved:
            with contextlib.suppress(OSError):
                old.rename(site)
        raise FolderError(f"无法把新网站 {staging} 放到 {site}（{exc.strerror}）：请检查文件夹权限后重新构建") from exc
    try:
        if old.exists():
            _rmtree(old)
    except OSError as exc:
        return f"提示：旧网站文件夹 {old} 无法删除（{exc.strerror}），下次构建前请改好权限并删去它"
    return None


def render_site(root: Path, staging: Path, env: dict[str, str]) -> int:
    """``mkdocs build`` of ``root`` into ``staging``; its exit code."""
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(root / "mkdocs.yml")]
    return subprocess.run([*command, "--site-dir", str(staging)], cwd=root, env=env).returncode


def build(root: Path, site_dir: Path | None = None, since: str | None = None, today: dt.date | None = None) -> int:
    """Check the content, build the site into a new folder, then swap it in. Returns an exit code.

    ``since``: the deletion guard's revision, as ``regbook check --since`` (default: the main
    branch's merge-base; ``"none"``: off). It runs with the other rules, before anything is written.
    """
    root = root.resolve()
    folders = Folders.of(site_dir or root / "site")
    try:
        refuse_links(folders)
        with locked(folders):
            refuse_links(folders)  # again, now that no other build can change them
            return _build_locked(root, folders, since, today)
    except FolderError as exc:
        print(f"构建失败：{exc}", file=sys.stderr)
        print(f"网站未更新（{folders.site} 保持原样）。", file=sys.stderr)
        return 1


def _build_locked(root: Path, folders: Folders, since: str | None, today: dt.date | None) -> int:
    site_dir, staging = folders.site, folders.staging
    started = time.perf_counter()
    today = today or clock.today()  # one date for the check and the MkDocs subprocess (REGBOOK_TODAY)
    before = content_fingerprint(root, today)
    loaded = corpus.load(root)
    found = rules.check(loaded, today)
    # Unchanged while it was loaded and checked: the plugin may skip its own check of it.
    checked = f"{os.getpid()}:{before}" if content_fingerprint(root, today) == before else ""
    try:
        lost, notice = history.guard(loaded, since)
    except history.HistoryError as exc:
        print(f"regbook build --since：{exc}", file=sys.stderr)
        return 2
    found = sorted(set(found) | set(lost))
    if notice:
        print(notice, file=sys.stderr)
    if found:
        print(render(found), file=sys.stderr)
    if any(p.is_error for p in found):
        print(f"内容检查未通过：{sum(p.is_error for p in found)} 个错误。网站未更新（{site_dir} 保持原样）。", file=sys.stderr)
        return 1
    _remove(staging, "上次构建留下的临时文件夹")
    _remove(folders.old, "上次构建留下的旧网站文件夹")
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch(root)}
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env[clock.ENV] = today.isoformat()
    env[CHECKED_ENV] = checked
    code = render_site(root, staging, env)
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"网站生成失败（mkdocs 退出码 {code}）。网站未更新（{site_dir} 保持原样）。", file=sys.stderr)
        return 1
    try:
        notice = swap(folders)
    except FolderError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if notice:
        print(notice, file=sys.stderr)
    print(f"网站已生成：{site_dir}（用时 {time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    return 0
