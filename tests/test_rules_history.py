"""The deletion guard: `regbook check` / `regbook build` (default: the main branch's merge-base; `--since REF`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regbook import corpus
from regbook.rules import history

BASE = Path(__file__).parent / "golden" / "_base"
REG = "regulations/xingzheng-guifanxing-wenjian/tongzhi-a.md"
ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=ENV)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _check(root: Path, ref: str = "main") -> list[str]:
    return [p.as_text() for p in history.nothing_lost(corpus.load(root), ref)]


def test_unchanged_tree_passes(repo: Path) -> None:
    """Check that an untouched checkout has nothing lost."""
    assert _check(repo) == []


def test_deleted_document(repo: Path) -> None:
    """Check that deleting a published regulation is an error naming the file, its id and the fix."""
    (repo / REG).unlink()
    assert _check(repo) == [
        f"{REG}:1: 错误: 文件被删除：{REG}（id“tongzhi-a”）在 main 中存在，现在没有了。已发布的文件不能删除："
        "不再有效的文件请保留文件，把时效性改为“已废止”或“已失效”并填写依据和日期（见编辑指南）"
    ]


def test_changed_id(repo: Path) -> None:
    """Check that changing an id is an error on the id's line."""
    path = repo / "docs/cleanup/2023-qingli.md"
    path.write_text(path.read_text(encoding="utf-8").replace("id: 2023-qingli", "id: qingli-2023"), encoding="utf-8")
    assert _check(repo) == [
        "docs/cleanup/2023-qingli.md:2: 错误: id 被修改：在 main 中为“2023-qingli”，现在为“qingli-2023”。"
        "id是网址和引用的依据，发布后不能修改；请改回“2023-qingli”（新文件请另建）"
    ]


def test_deleted_disclosure_item_and_moved_regulation(repo: Path) -> None:
    """Check that a disclosure item is tracked by 索引号, and that moving a regulation keeps its id."""
    (repo / "docs/disclosure/zhinan/zhinan.md").unlink()
    (repo / "regulations/falv/renmin-fangkong-fa.md").rename(repo / "regulations/renmin-fangkong-fa.md")
    problems = _check(repo)
    assert len(problems) == 1 and "索引号“11220000MB1949XXXX/2024-00001”" in problems[0]


def test_broken_file_is_not_reported_as_deleted(repo: Path) -> None:
    """Check that a file that exists but fails to load is reported once (by the loader), not as lost."""
    (repo / REG).write_bytes((repo / REG).read_text(encoding="utf-8").encode("gbk"))
    assert _check(repo) == []


def test_unknown_revision(repo: Path) -> None:
    """Check that an unknown REF is a usage error with a Chinese message."""
    with pytest.raises(history.HistoryError, match="找不到 git 版本“nope”"):
        _check(repo, "nope")


def test_cli_since(repo: Path) -> None:
    """Check the command line: exit 1 with the message on a deletion, exit 2 on an unknown REF."""
    (repo / REG).unlink()
    cmd = [sys.executable, "-m", "regbook.cli", "check", "--root", str(repo), "--today", "2025-06-01", "--since"]
    lost = subprocess.run([*cmd, "main"], capture_output=True, text=True)
    assert lost.returncode == 1 and "文件被删除" in lost.stdout
    bad = subprocess.run([*cmd, "nope"], capture_output=True, text=True)
    assert bad.returncode == 2 and "找不到 git 版本" in bad.stderr


def _cli(root: Path, *args: str, command: str = "check") -> subprocess.CompletedProcess[str]:
    extra = ["--today", "2025-06-01"] if command == "check" else []
    return subprocess.run(
        [sys.executable, "-m", "regbook.cli", command, "--root", str(root), *extra, *args],
        capture_output=True,
        text=True,
        env={**ENV, "REGBOOK_BOOK": "0"},
    )


def test_default_guard_on_a_branch(repo: Path) -> None:
    """Check that plain `regbook check` on a branch compares with main's merge-base and names the file."""
    _git(repo, "checkout", "-q", "-b", "feature")
    _git(repo, "rm", "-q", REG)
    _git(repo, "commit", "-q", "-m", "delete a published file")
    done = _cli(repo)
    assert done.returncode == 1
    assert f"{REG}:1: 错误: 文件被删除：{REG}（id“tongzhi-a”）在 main 的提交 " in done.stdout
    assert "跳过删除检查" not in done.stderr


def test_default_guard_on_main_catches_uncommitted_deletion(repo: Path) -> None:
    """Check that on main itself the guard compares with HEAD, so an uncommitted deletion fails."""
    (repo / REG).unlink()
    done = _cli(repo)
    assert done.returncode == 1 and f"{REG}:1: 错误: 文件被删除" in done.stdout


def test_origin_main_is_preferred(repo: Path) -> None:
    """Check that origin/main (what is published) is the base when it exists, before local main."""
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repo, "rm", "-q", REG)
    _git(repo, "commit", "-q", "-m", "delete on local main")
    done = _cli(repo)
    assert done.returncode == 1 and "在 origin/main 的提交 " in done.stdout


def test_renamed_disclosure_item(repo: Path) -> None:
    """Check that moving a disclosure page (its URL is its path) is an error at the new file."""
    new = "docs/disclosure/zhinan/gongkai-zhinan.md"
    _git(repo, "mv", "docs/disclosure/zhinan/zhinan.md", new)
    done = _cli(repo)
    assert done.returncode == 1
    assert (
        f"{new}:2: 错误: 文件被移动或改名：索引号“11220000MB1949XXXX/2024-00001”在 main 的提交 " in done.stdout
        and "请把文件移回 docs/disclosure/zhinan/zhinan.md" in done.stdout
    )


def test_since_none_turns_the_guard_off(repo: Path) -> None:
    """Check that `--since none` skips the guard silently (without it, the same deletion fails)."""
    (repo / "regulations/guizhang/jilin-renfang-guiding.md").unlink()
    assert _cli(repo).returncode == 1
    done = _cli(repo, "--since", "none")
    assert done.returncode == 0 and done.stdout == "" and "跳过" not in done.stderr


def test_without_git_one_notice(tmp_path: Path) -> None:
    """Check that a folder without git history passes with exactly one Chinese notice on stderr."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    done = _cli(root)
    assert done.returncode == 0, done.stdout + done.stderr
    notices = [line for line in done.stderr.splitlines() if "跳过删除检查" in line]
    assert notices == [
        "提示：项目目录没有 git 历史（不在 git 仓库中），已跳过删除检查（已发布的文件是否被删除、改名，id 或索引号是否被修改）。"
        "可用 --since REF 指定比较的 git 版本，--since none 关闭此项检查"
    ]
    assert done.stdout == ""


def test_without_main_branch_notice(repo: Path) -> None:
    """Check that a repository without a main branch skips the guard with a notice naming why."""
    _git(repo, "branch", "-q", "-m", "main", "trunk")
    done = _cli(repo)
    assert done.returncode == 0 and "没有 main 分支（origin/main 或 main），已跳过删除检查" in done.stderr


def test_build_runs_the_guard_before_writing(repo: Path, tmp_path: Path) -> None:
    """Check that `regbook build` refuses a deletion before it writes anything."""
    (repo / REG).unlink()
    site = tmp_path / "site"
    done = _cli(repo, "--site-dir", str(site), command="build")
    assert done.returncode == 1 and f"{REG}:1: 错误: 文件被删除" in done.stderr
    assert not site.exists() and not (tmp_path / ".site-new").exists()
