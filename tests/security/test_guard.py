"""The deletion guard against its bypasses, in a temporary git repository (``tests/golden/_base``):
a regulation stored as ``index.md``, an id handed to another kind of document, a published
address taken by a hand-written page, a published file replaced by a symlink. Each is an error
naming the file and line, and ``regbook check`` (the default guard, main's merge-base) fails."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regbook import corpus, rules
from regbook.rules import history

BASE = Path(__file__).parents[1] / "golden" / "_base"
TODAY = "2025-06-01"
ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull}
REG = "regulations/xingzheng-guifanxing-wenjian/tongzhi-a.md"
LAW = "regulations/falv/renmin-fangkong-fa.md"
INDEX_LAW = "regulations/falv/index.md"
RECORD = "docs/cleanup/2023-qingli.md"
SECRET = "REGBOOK-GUARD-SECRET-51c2"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=ENV)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The golden base committed on main, with the law 人民防空法 stored as ``regulations/falv/index.md``."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / LAW).rename(root / INDEX_LAW)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _lost(root: Path) -> list[str]:
    return [p.as_text() for p in history.nothing_lost(corpus.load(root), "main")]


def _cli(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "regbook.cli", "check", "--root", str(root), "--today", TODAY],
        capture_output=True, text=True, env=ENV,
    )


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def test_base_passes(repo: Path) -> None:
    """Check that the untouched repository (a regulation named index.md included) passes the guard."""
    assert _lost(repo) == []


def test_regulation_stored_as_index_md_is_tracked(repo: Path) -> None:
    """Check that deleting a regulation stored as index.md is caught, by the guard and by `regbook check`."""
    (repo / INDEX_LAW).unlink()
    assert _lost(repo) == [
        f"{INDEX_LAW}:1: 错误: 文件被删除：{INDEX_LAW}（id“renmin-fangkong-fa”）在 main 中存在，现在没有了。"
        "已发布的文件不能删除：不再有效的文件请保留文件，把时效性改为“已废止”或“已失效”并填写依据和日期（见编辑指南）"
    ]
    done = _cli(repo)
    assert done.returncode == 1 and f"{INDEX_LAW}:1: 错误: 文件被删除" in done.stdout


def test_regulation_moved_out_of_index_md_is_a_move(repo: Path) -> None:
    """Check that a regulation may still move (its address is its id): index.md → <id>.md passes."""
    (repo / INDEX_LAW).rename(repo / LAW)
    assert _lost(repo) == []


def test_cleanup_record_taking_a_regulations_id(repo: Path) -> None:
    """Check that a deleted regulation's id given to a new cleanup record is an error at the record's id."""
    (repo / REG).unlink()
    record = "docs/cleanup/tongzhi-a.md"
    _write(repo, record, "---\nid: tongzhi-a\n标题: 假的清理记录\n公告日期: 2024-01-01\n报送备案机关: 吉林省司法厅\n决定:\n  - 文件: banfa-b\n    结果: 保留\n---\n")
    assert _lost(repo) == [
        f"{record}:2: 错误: id“tongzhi-a”在 main 中属于法规 {REG}，现在被清理记录 {record} 使用：已发布文件的id不能转给别的文件。"
        f"请恢复法规 {REG}（不再有效的文件改为“已废止”或“已失效”，不能删除），本文件另取id"
    ]


def test_regulation_taking_a_cleanup_records_id(repo: Path) -> None:
    """Check that a deleted cleanup record's id taken by a regulation is an error, not a move."""
    text = (repo / REG).read_text(encoding="utf-8").replace("id: tongzhi-a", "id: 2023-qingli")
    (repo / RECORD).unlink()
    _write(repo, "regulations/xingzheng-guifanxing-wenjian/2023-qingli.md", text)
    found = _lost(repo)
    assert any(
        line.startswith("regulations/xingzheng-guifanxing-wenjian/2023-qingli.md:2: 错误: id“2023-qingli”在 main 中属于清理记录 ")
        for line in found
    ), found


def test_ids_are_unique_across_regulations_and_cleanup_records(repo: Path) -> None:
    """Check that a cleanup record with a live regulation's id is a duplicate (the uniqueness rule)."""
    _write(repo, "docs/cleanup/renmin-fangkong-fa.md",
           "---\nid: renmin-fangkong-fa\n标题: 假的清理记录\n公告日期: 2024-01-01\n报送备案机关: 吉林省司法厅\n决定:\n  - 文件: banfa-b\n    结果: 保留\n---\n")
    found = [p.as_text() for p in rules.check(corpus.load(repo), dt.date(2025, 6, 1))]
    assert any("id“renmin-fangkong-fa”重复" in line for line in found), found


def test_hand_written_page_taking_a_regulations_address(repo: Path) -> None:
    """Check that replacing a regulation by a hand-written page at its address (docs/regulations/<id>.md)
    is refused twice: the regulation is gone (guard), and the page's path is the build's (checker)."""
    (repo / REG).unlink()
    _write(repo, "docs/regulations/tongzhi-a.md", "# 吉林省国防动员办公室关于测试的通知\n\n假的正文。\n")
    assert _lost(repo)[0].startswith(f"{REG}:1: 错误: 文件被删除")
    done = _cli(repo)
    assert done.returncode == 1
    assert "docs/regulations/tongzhi-a.md:1: 错误: docs/regulations/tongzhi-a.md 与构建程序生成的网站文件夹 regulations/ 冲突" in done.stdout


def test_hand_written_page_taking_a_disclosure_items_address(repo: Path) -> None:
    """Check that a disclosure item replaced by a hand-written page at the same address
    (zhinan.md → zhinan/index.md, with the same 索引号 in its front matter) is a deletion."""
    item = "docs/disclosure/zhinan/zhinan.md"
    text = (repo / item).read_text(encoding="utf-8")
    (repo / item).unlink()
    _write(repo, "docs/disclosure/zhinan/zhinan/index.md", text)
    assert _lost(repo) == [
        f"{item}:1: 错误: 文件被删除：{item}（索引号“11220000MB1949XXXX/2024-00001”）在 main 中存在，现在没有了。"
        "已发布的文件不能删除：不再有效的文件请保留文件，把时效性改为“已废止”或“已失效”并填写依据和日期（见编辑指南）"
    ]


def test_published_file_replaced_by_a_symlink_is_never_read(repo: Path, tmp_path: Path) -> None:
    """Check that a published file replaced by a link to an outside file (with another id and a secret)
    is reported by the loader as a link, and the guard reads nothing through it."""
    outside = tmp_path / "outside.md"
    outside.write_text((repo / REG).read_text(encoding="utf-8").replace("id: tongzhi-a", f"id: x{SECRET.lower()}"),
                       encoding="utf-8")
    (repo / REG).unlink()
    (repo / REG).symlink_to(outside)
    assert _lost(repo) == []
    done = _cli(repo)
    assert done.returncode == 1
    assert f"{REG}:1: 错误: “{REG}”是符号链接（指向 {outside}），不会读取" in done.stdout
    assert SECRET.lower() not in done.stdout + done.stderr


def test_committed_symlink_is_not_content(tmp_path: Path) -> None:
    """Check that a symlink committed at the base revision (mode 120000) is not read as a document."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / "regulations/falv/lianjie.md").symlink_to("/etc/passwd")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base with a link")
    assert "regulations/falv/lianjie.md" not in history.files_at(root, "main")
