"""Small bodies that used to stall the pipeline: each is refused with a ``file:line`` error or
checked, and the build stops at the checker.

Python-Markdown scans from every ``[`` for its ``]``, from every ``](`` for its ``)`` and
(html.parser) from every ``<`` + letter for the tag's end; ``rules._markdown.costly`` bounds
that work before a body is rendered. The work bound is asserted on ``costly`` itself; the
subprocess runs below have a 20-second timeout as a *hang guard* (a regression shows up as a
timeout instead of a stuck test run), not as a speed assertion."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regbook.rules import _markdown
from tests.conftest import copy_project

BASE = Path(__file__).parent.parent / "golden" / "_base"
TARGET = "regulations/xingzheng-guifanxing-wenjian/tongzhi-a.md"
HANG_GUARD = 20  # seconds; see the module docstring

BODIES = {
    "brackets-30k": ("[" * 30_000, "方括号“[”过多"),
    "image-brackets-40k": ("![" * 20_000, "方括号“[”过多"),
    "nested-brackets": ("[" * 15_000 + "]" * 15_000, "方括号层层嵌套"),
    "footnote-refs": ("[^" * 20_000, "方括号“[”过多"),
    "abbreviations": ("*[" * 20_000, "方括号“[”过多"),
    "link-parens": ("[a](" * 10_000, "链接的圆括号未配对"),
    "link-title-quotes": ('[a]("x)' * 8_000, "链接的圆括号未配对"),
    "open-tags": ("<a " * 15_000, "尖括号“<”过多"),
    "open-tags-quoted": ('<a "' * 12_000 + ">", "尖括号“<”过多"),
    "stars-50k": ("*" * 50_000, None),
    "lt-50k": ("<" * 50_000, None),
    "backticks": ("`" * 50_000, None),
    "backtick-pairs": ("`a" * 25_000, None),
    "underscores": ("_a" * 25_000, None),
    "deep-quotes": (">" * 3_000 + " x", None),
    "deep-lists": ("".join("  " * i + "- x\n" for i in range(300)), None),
    "table-row-1mb": ("| a | b |\n| - | - |\n| " + "x | " * 250_000 + "\n", None),
    "comments": ("<!--" * 12_000, None),
}


@pytest.mark.parametrize("name", [n for n, (_, refused) in BODIES.items() if refused])
def test_costly_refuses_quadratic_bodies(name: str) -> None:
    body, message = BODIES[name]
    found = _markdown.costly(body)
    assert found is not None and message is not None and message in found.message
    assert _markdown.to_html(body) == ""  # never handed to Python-Markdown


def test_real_documents_are_far_below_the_bounds() -> None:
    """A long document dense with links, escaped brackets and HTML passes."""
    para = "第一条 见[《中华人民共和国国防法》](../falv/guofang-fa.md \"国防法\")第二条，\\[注\\]，<sup>1</sup>，a<b。\n\n"
    assert _markdown.costly(para * 5_000) is None
    assert _markdown.costly("[" + "x" * 100_000) is None  # one stray "[" in a long paragraph


def _check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "regbook.cli", "check", "--root", str(project), "--since", "none", "--today", "2025-06-01"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )


@pytest.mark.parametrize("name", list(BODIES))
def test_check_finishes(tmp_path: Path, name: str) -> None:
    body, message = BODIES[name]
    project = tmp_path / "p"
    shutil.copytree(BASE, project)
    path = project / TARGET
    path.write_text(path.read_text(encoding="utf-8") + "\n" + body + "\n", encoding="utf-8")
    result = _check(project)
    if message:
        assert result.returncode == 1
        assert f"{TARGET}:" in result.stdout and message in result.stdout, result.stdout[-2000:]
    else:
        assert result.returncode in (0, 1), result.stderr[-2000:]
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_build_stops_at_the_checker(tmp_path: Path) -> None:
    """``regbook build``, and ``mkdocs build`` through the plugin, refuse before any page is rendered."""
    project = copy_project(tmp_path / "p")
    target = next((project / "regulations").rglob("*.md"))
    target.write_text(target.read_text(encoding="utf-8") + "\n" + "![" * 20_000 + "\n", encoding="utf-8")
    env = {**os.environ, "REGBOOK_BOOK": "0", "REGBOOK_TODAY": "2026-12-02", "NO_MKDOCS_2_WARNING": "1"}
    commands = {
        "regbook": [sys.executable, "-m", "regbook.cli", "build", "--root", str(project), "--site-dir", str(tmp_path / "s1"), "--since", "none"],
        "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "s2")],
    }
    for name, command in commands.items():
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=HANG_GUARD * 3)
        assert result.returncode != 0, name
        assert "方括号“[”过多" in result.stdout + result.stderr, name
    assert not (tmp_path / "s1").exists()
    assert not (tmp_path / "s2" / "index.html").exists()
