"""``regbook check``: all problems collected, three formats, exit codes, --strict."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).parent / "golden" / "_base"
A = "regulations/xingzheng-guifanxing-wenjian/tongzhi-a.md"


def _project(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    for rel, old, new in edits:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return root


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "regbook.cli", "check", "--root", str(root), "--today", "2025-06-01", *args],
        capture_output=True,
        text=True,
    )


BROKEN = [
    (A, "时效性: 现行有效", "时效性: 有效"),
    ("regulations/xingzheng-guifanxing-wenjian/banfa-b.md", "吉人防发〔2019〕6号", "吉人防发[2019]6号"),
]


def test_collects_every_problem_before_reporting(tmp_path: Path) -> None:
    """Check that two problems in two files are both reported, as path:line: 错误: lines, with exit 1."""
    done = _check(_project(tmp_path, *BROKEN))
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert [line.split(": ")[0:2] for line in lines] == [
        ["regulations/xingzheng-guifanxing-wenjian/banfa-b.md:4", "错误"],
        [f"{A}:7", "错误"],
    ]
    assert "2 个错误" in done.stderr


def test_github_format(tmp_path: Path) -> None:
    """Check GitHub Actions annotations: ::error file=…,line=…::message."""
    done = _check(_project(tmp_path, *BROKEN), "--format", "github")
    assert done.returncode == 1
    assert done.stdout.splitlines()[1].startswith(f"::error file={A},line=7,title=错误::“时效性”的值")


def test_json_format(tmp_path: Path) -> None:
    """Check the JSON output: a list of {path, line, severity, message}."""
    done = _check(_project(tmp_path, *BROKEN), "--format", "json")
    items = json.loads(done.stdout)
    assert [(i["path"], i["line"], i["severity"], i["level"]) for i in items][1] == (A, 7, "错误", "error")
    assert set(items[1]) == {"path", "line", "severity", "level", "message"}


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    """Check that a warning exits 0, or 1 with --strict; a notice never fails."""
    warn = _project(tmp_path, (A, "有效期至: 2027-03-20", "有效期至: 2024-03-20"))
    plain, strict = _check(warn), _check(warn, "--strict")
    assert plain.returncode == 0 and "警告" in plain.stdout
    assert strict.returncode == 1
    clean = _check(_project(tmp_path / "2"), "--strict")
    assert clean.returncode == 0 and clean.stdout == ""
