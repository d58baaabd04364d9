"""The live content (``regulations/``, ``docs/``, ``CONTRIBUTING.md``): the only tests that read it.

They ask what a content pull request must satisfy and nothing more: ``regbook check`` finds no
error (warnings are allowed) and the project builds, book included, as ``make build`` does. Every
other test uses the frozen copy in ``tests/fixtures/sample``, so valid content changes cannot
break them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site


def test_live_content_passes_regbook_check() -> None:
    """Check that `regbook check` on the repository's own content exits 0 (warnings allowed)."""
    result = subprocess.run(
        [sys.executable, "-m", "regbook.cli", "check", "--root", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, f"regbook check 退出码 {result.returncode}：\n{result.stdout}\n{result.stderr}"


@pytest.mark.slow
def test_live_content_builds(tmp_path: Path) -> None:
    """Check that the repository's own content builds with the book (into a temporary site folder)."""
    site = tmp_path / "site"
    result = build_site(ROOT, site, today=None)
    assert result.returncode == 0, f"regbook build 退出码 {result.returncode}：\n{result.stdout}\n{result.stderr}"
    assert (site / "index.html").is_file()
    assert list((site / "downloads").glob("*.pdf")), "没有生成 PDF 汇编（downloads/*.pdf）"


def test_live_content_agrees_with_the_reference_corpus() -> None:
    """Check that `regbook verify` finds no difference between the live content's laws and administrative
    regulations and the national database's texts in ../shared/corpus (nothing reported at all)."""
    reference = ROOT.parent / "shared" / "corpus"
    if not reference.is_dir():
        pytest.skip(f"没有参考语料 {reference}（国家法律法规数据库的文本），无法核对")
    result = subprocess.run(
        [sys.executable, "-m", "regbook.cli", "verify", "--corpus", str(reference), "--root", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (0, ""), f"regbook verify 退出码 {result.returncode}：\n{result.stdout}\n{result.stderr}"
    assert "核对了" in result.stderr and "0处不一致" in result.stderr, result.stderr
