"""``regbook verify``: laws and administrative regulations against a reference corpus.

The corpus here is a few files in the national database's layout written by the test (the real
one, ``../shared/corpus``, is checked against the live content in ``test_live_content.py``); the
project is the golden base (``tests/golden/_base``), whose metadata agrees with them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from regbook import corpus, pages
from regbook.importer import SENTINEL  # built from parts: no corpus marker in this file
from regbook.verify import verify

BASE = Path(__file__).parent / "golden" / "_base"
TODAY = dt.date(2025, 6, 1)

RENFANG = f"""# 中华人民共和国人民防空法

1996年10月29日 第八届全国人民代表大会常务委员会第二十二次会议通过

{SENTINEL}

## 第一章 总则

第一条 测试条文。

第五十三条 本法自1997年1月1日起施行。"""

JIAOYU_2018 = f"""# 中华人民共和国国防教育法

2001年4月28日 第九届全国人民代表大会常务委员会第二十一次会议通过

2018年4月27日 第十三届全国人民代表大会常务委员会第二次会议《关于修改〈中华人民共和国国境卫生检疫法〉等六部法律的决定》修正

{SENTINEL}

第一条 测试条文。

第三十八条 本法自公布之日起施行。"""

JIAOYU_2024 = f"""# 中华人民共和国国防教育法

2001年4月28日 第九届全国人民代表大会常务委员会第二十一次会议通过

2018年4月27日 第十三届全国人民代表大会常务委员会第二次会议《关于修改〈中华人民共和国国境卫生检疫法〉等六部法律的决定》修正

2024年9月13日 第十四届全国人民代表大会常务委员会第十一次会议修订

{SENTINEL}

第一条 测试条文。

第四十二条 本法自2024年9月21日起施行。"""


def _project(tmp_path: Path, **replace: tuple[str, str]) -> Path:
    """The golden base; ``replace``: {file stem under regulations/falv: (old, new)}."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    for stem, (old, new) in replace.items():
        path = root / "regulations" / "falv" / f"{stem.replace('_', '-')}.md"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _corpus(tmp_path: Path, *files: tuple[str, str]) -> Path:
    root = tmp_path / "corpus"
    for name, text in files:
        (root / "行政法").mkdir(parents=True, exist_ok=True)
        (root / "行政法" / name).write_text(text, encoding="utf-8")
    return root


def _lines(root: Path, reference: Path) -> list[str]:
    return [p.as_text() for p in sorted(verify(corpus.load(root), reference, TODAY).problems)]


def test_agreeing_metadata_gives_nothing(tmp_path: Path) -> None:
    """Check that the base's 人民防空法 and 国防教育法 (2018) agree with their corpus versions, and that
    the 2024 version, which the corpus lacks, is counted as not checked."""
    reference = _corpus(tmp_path, ("人民防空法(1996-10-29).md", RENFANG), ("国防教育法(2018-04-27).md", JIAOYU_2018))
    report = verify(corpus.load(_project(tmp_path)), reference, TODAY)
    assert report.problems == []
    assert sorted(report.checked) == ["guofang-jiaoyu-fa-2018", "renmin-fangkong-fa"]
    assert report.absent == ["guofang-jiaoyu-fa-2024"]  # newer than the corpus: not checked
    assert "核对了2件" in report.summary()


def test_wrong_effective_date_is_reported_at_its_line(tmp_path: Path) -> None:
    """Check that a 施行日期 differing from the body's “自1997年1月1日起施行” in the corpus is an error
    at the 施行日期 line, naming both values and the corpus file."""
    root = _project(tmp_path, renmin_fangkong_fa=("施行日期: 1997-01-01", "施行日期: 1997-02-01"))
    reference = _corpus(tmp_path, ("人民防空法(1996-10-29).md", RENFANG))
    assert _lines(root, reference) == [
        "regulations/falv/renmin-fangkong-fa.md:9: 错误: 施行日期与语料不一致：本文件为“1997-02-01”，"
        "语料（行政法/人民防空法(1996-10-29).md）为“1997-01-01”；请核对官方文本后改正"
    ]


def test_version_found_by_label_reports_the_date(tmp_path: Path) -> None:
    """Check that a version found by its 版本 label (“2018年修正”) with another 公布日期 reports the
    公布日期; and that a date before the corpus' newest version, matching none, without a label, says so."""
    root = _project(
        tmp_path,
        guofang_jiaoyu_fa_2018=("公布日期: 2018-04-27", "公布日期: 2018-04-28"),
        renmin_fangkong_fa=("公布日期: 1996-10-29", "公布日期: 1996-10-28"),
    )
    reference = _corpus(tmp_path, ("人民防空法(1996-10-29).md", RENFANG), ("国防教育法(2018-04-27).md", JIAOYU_2018))
    assert _lines(root, reference) == [
        "regulations/falv/guofang-jiaoyu-fa-2018.md:9: 错误: 公布日期与语料不一致：本文件为“2018-04-28”，"
        "语料（行政法/国防教育法(2018-04-27).md）为“2018-04-27”；请核对官方文本后改正",
        "regulations/falv/renmin-fangkong-fa.md:8: 错误: 语料中没有《中华人民共和国人民防空法》公布日期为1996-10-28的版本"
        "（语料中的版本：1996-10-29）：请核对公布日期和版本",
    ]


def test_history_differences_both_ways(tmp_path: Path) -> None:
    """Check that an event of the corpus missing from 修订历史 is an error, and one the corpus does not
    have is a notice (it cannot be checked): here 2018 is missing and 2024-09-12 is not the 2024-09-13 修订."""
    root = _project(tmp_path, guofang_jiaoyu_fa_2024=("  - 日期: 2024-09-13\n", "  - 日期: 2024-09-12\n"))
    reference = _corpus(tmp_path, ("国防教育法(2018-04-27).md", JIAOYU_2018), ("国防教育法(2024-09-13).md", JIAOYU_2024))
    source = "语料（行政法/国防教育法(2024-09-13).md）"
    assert _lines(root, reference) == [
        f"regulations/falv/guofang-jiaoyu-fa-2024.md:11: 提示: 修订历史中的“2024年9月12日修订”在{source}中没有，无法核对："
        "请核对日期和事件，并在“来源”中写明所依据的官方来源",
        f"regulations/falv/guofang-jiaoyu-fa-2024.md:11: 错误: 修订历史缺少{source}中的“2018年4月27日修正”：请核对后补上",
        f"regulations/falv/guofang-jiaoyu-fa-2024.md:11: 错误: 修订历史缺少{source}中的“2024年9月13日修订”：请核对后补上",
    ]


def test_command_line(tmp_path: Path) -> None:
    """Check ``regbook verify``: problems on stdout as ``file:line``, the summary on stderr, exit 1 on
    an error, 0 without, 2 for a corpus folder that does not exist."""
    reference = _corpus(tmp_path, ("人民防空法(1996-10-29).md", RENFANG))
    wrong = _project(tmp_path, renmin_fangkong_fa=("施行日期: 1997-01-01", "施行日期: 1997-02-01"))

    def run(root: Path, ref: Path) -> subprocess.CompletedProcess[str]:
        args = ["verify", "--corpus", str(ref), "--root", str(root), "--today", TODAY.isoformat()]
        return subprocess.run([sys.executable, "-m", "regbook.cli", *args], capture_output=True, text=True)

    result = run(wrong, reference)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("regulations/falv/renmin-fangkong-fa.md:9: 错误: 施行日期与语料不一致")
    assert "核对完成：与语料核对了1件法律、行政法规，发现1处不一致" in result.stderr
    shutil.rmtree(wrong)
    right = _project(tmp_path)
    result = run(right, reference)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    result = run(right, tmp_path / "无此文件夹")
    assert result.returncode == 2 and "不是文件夹" in result.stderr


def test_metadata_block_shows_source_and_the_right_organ(tmp_path: Path) -> None:
    """Check that the page's metadata block names 制定机关 for a law and 发文机关 for a 规范性文件, and
    shows 来源 when the file has one."""
    root = _project(tmp_path, renmin_fangkong_fa=("施行日期: 1997-01-01\n", "施行日期: 1997-01-01\n来源: 国家法律法规数据库\n"))
    loaded = corpus.load(root)
    law = pages.metadata_block(loaded.regulation("renmin-fangkong-fa"))  # type: ignore[arg-type]
    notice = pages.metadata_block(loaded.regulation("tongzhi-a"))  # type: ignore[arg-type]
    assert "<dt>制定机关</dt><dd>全国人民代表大会常务委员会</dd>" in law and "发文机关" not in law
    assert "<dt>来源</dt><dd>国家法律法规数据库</dd>" in law
    assert "<dt>发文机关</dt><dd>吉林省国防动员办公室</dd>" in notice and "来源" not in notice
