"""Re-importing never loses an editor's work: the import record, the three-way merge of fields
and body, byte-for-byte preservation of what the import does not change, conflicts, ``--id``,
and moving every older version's 现行版本 to the newest. Sources are written here, in tmp."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from regbook import corpus, importer, rules
from regbook.cli import main
from regbook.importer import writing

TODAY = dt.date(2026, 11, 28)
END = "%%END%%"
"""Stands for the corpus' end-of-header line (no committed file may contain the line itself)."""

SOURCE = """# 某某防护条例

2007年4月5日 中华人民共和国国务院令第492号公布

2019年4月3日 中华人民共和国国务院令第711号修订

%%END%%

## 第一章 总则

第一条 为了规范某某防护工作，制定本条例。

第二条 本条例适用于某某防护。

第三条 本条例由国务院某某部门负责解释。
"""
FILE = "regulations/xingzheng-fagui/moumoufanghutiaoli-2019-04-03.md"


def write_source(folder: Path, text: str, name: str = "某某防护条例(2019-04-03).md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text.replace(END, importer.SENTINEL), encoding="utf-8")
    return path


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.invalid", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def regbook_import(root: Path, source: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["import", "--root", str(root), *extra, str(source)])
    return code, capsys.readouterr().err


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def edited(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A git project with the source imported and committed, then edited by hand and committed:
    发文字号 corrected, 施行日期 added (the source has none), a body line changed, plus a quoted
    主题分类, a comment line and an unusual key order."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    root = tmp_path / "proj"
    (root / "regulations").mkdir(parents=True)
    source = write_source(tmp_path / "下载" / "行政法规", SOURCE)
    code, _ = regbook_import(root, source, capsys=capsys)
    assert code == 0
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "导入")
    path = root / FILE
    edit(
        path,
        ("id: moumoufanghutiaoli-2019-04-03\n", "效力位阶: 行政法规\nid: moumoufanghutiaoli-2019-04-03\n# 编辑：文号按原件核对\n"),
        ("效力位阶: 行政法规\n时效性", "主题分类: '国防\\人民防空'\n时效性"),
        ("发文字号: 中华人民共和国国务院令第711号", "发文字号: 国务院令第711号"),
        ("公布日期: 2019-04-03\n", "公布日期: 2019-04-03\n施行日期: 2019-05-15  # 见公报\n"),
        ("第二条 本条例适用于某某防护。", "第二条 本条例适用于本省行政区域内的某某防护。"),
    )
    git(root, "commit", "-q", "-am", "编辑核对")
    return root, source


def test_reimport_keeps_every_edit_byte_for_byte(
    edited: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Check that re-importing the unchanged source keeps the three edits, the quoting, the comment
    and the key order: the file is untouched (git sees no change), exit 0, and the checker passes."""
    root, source = edited
    code, err = regbook_import(root, source, capsys=capsys)
    assert code == 0, err
    assert "保留编辑的修改：发文字号、施行日期、正文" in err
    assert git(root, "status", "--porcelain") == ""
    text = (root / FILE).read_text(encoding="utf-8")
    assert "主题分类: '国防\\人民防空'\n" in text and "# 编辑：文号按原件核对\n" in text
    assert text.startswith("---\n效力位阶: 行政法规\nid: ")
    loaded = corpus.load(root)
    assert loaded.problems == []
    assert [p.as_text() for p in rules.check(loaded, TODAY) if p.is_error or p.is_warning] == []


def test_source_change_of_an_untouched_field_changes_only_that_field(
    edited: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Check that a source change the editor did not touch (a new history line) is written, and
    every other line of the file stays byte for byte."""
    root, source = edited
    before = (root / FILE).read_text(encoding="utf-8").split("\n")
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("2019年4月3日", "2010年1月8日 中华人民共和国国务院令第570号修正\n\n2019年4月3日"), encoding="utf-8"
    )
    code, err = regbook_import(root, source, capsys=capsys)
    assert code == 0, err
    after = (root / FILE).read_text(encoding="utf-8").split("\n")
    diff = git(root, "diff", "-U0", "--no-color").split("\n")
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    assert [line for line in added if not line.startswith("# 导入记录")] == [
        "  - 日期: 2010-01-08",
        "    事件: 修正",
        "    机关: 中华人民共和国国务院令第570号",
    ]
    assert [line for line in removed if not line.startswith("# 导入记录")] == []
    assert len(after) == len(before) + 3
    assert "已更新" in err and "保留编辑的修改：发文字号、施行日期、正文" in err


def test_source_change_of_an_edited_field_is_a_conflict(
    edited: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Check that when the source changes 发文字号 and the edited body line too, the file is left
    alone, both values are listed with file:line, and the import exits non-zero; --keep-edits and
    --use-source then settle it."""
    root, source = edited
    edited_bytes = (root / FILE).read_bytes()
    source.write_text(
        source.read_text(encoding="utf-8")
        .replace("第711号修订", "第712号修订")
        .replace("第二条 本条例适用于某某防护。", "第二条 本条例适用于全国的某某防护。"),
        encoding="utf-8",
    )
    code, err = regbook_import(root, source, capsys=capsys)
    assert code == 1
    assert (root / FILE).read_bytes() == edited_bytes
    lines = edited_bytes.decode("utf-8").split("\n")
    number_line = lines.index("发文字号: 国务院令第711号") + 1
    body_line = lines.index("第二条 本条例适用于本省行政区域内的某某防护。") + 1
    assert (
        f"{FILE}:{number_line}: 错误: 导入冲突：“发文字号”编辑已修改（本文件为“国务院令第711号”），"
        "来源也已改动（来源为“中华人民共和国国务院令第712号”）。本文件未改动" in err
    )
    assert (
        f"{FILE}:{body_line}: 错误: 导入冲突：正文编辑已修改，来源的正文也已改动；第一处不同："
        "本文件为“第二条 本条例适用于本省行政区域内的某某防护。”，来源为“第二条 本条例适用于全国的某某防护。”" in err
    )
    assert "冲突未改动 1 件" in err and "--keep-edits" in err
    # 施行日期 (added by the editor, still absent from the source) is no conflict.
    assert "“施行日期”" not in err

    code, err = regbook_import(root, source, "--keep-edits", capsys=capsys)
    assert code == 0, err
    text = (root / FILE).read_text(encoding="utf-8")
    assert "发文字号: 国务院令第711号\n" in text and "本省行政区域内" in text
    assert "机关: 中华人民共和国国务院令第712号" in text  # the untouched history follows the source
    code, err = regbook_import(root, source, capsys=capsys)
    assert code == 0 and "未变" in err  # settled: the next import is quiet

    source.write_text(source.read_text(encoding="utf-8").replace("第712号修订", "第713号修订"), encoding="utf-8")
    code, err = regbook_import(root, source, "--use-source", capsys=capsys)
    assert code == 0, err
    text = (root / FILE).read_text(encoding="utf-8")
    assert "发文字号: 中华人民共和国国务院令第713号\n" in text
    assert "本省行政区域内" in text  # the body: the source's body did not change since --keep-edits
    assert "主题分类: '国防\\人民防空'\n" in text


def test_file_without_record_is_never_overwritten(tmp_path: Path) -> None:
    """Check that a file with the draft's id but no import record (hand-made, or imported by an
    older regbook) is left alone where it differs from the source, with a located error."""
    root = tmp_path / "proj"
    source = write_source(tmp_path / "行政法规", SOURCE)
    importer.import_sources(root, [source], today=TODAY)
    path = root / FILE
    text = path.read_text(encoding="utf-8")
    old = "\n".join(line for line in text.split("\n") if not line.startswith("# 导入记录"))
    path.write_text(old.replace("制定机关: 国务院", "制定机关: 国务院办公厅"), encoding="utf-8")
    report = importer.import_sources(root, [source], today=TODAY)
    assert report.conflicts == [FILE] and report.failed == 0
    (problem,) = report.problems
    assert problem.line == 5 and "“制定机关”本文件为“国务院办公厅”，来源为“国务院”；本文件没有导入记录" in problem.message
    assert path.read_text(encoding="utf-8") == old.replace("制定机关: 国务院", "制定机关: 国务院办公厅")


def test_layout_ruamel_cannot_keep_is_left_alone(tmp_path: Path) -> None:
    """Check that a front matter ruamel.yaml would rewrite (here: extra spaces after a colon) is not
    rewritten when a field must change: the file stays as it is and the line is named."""
    root = tmp_path / "proj"
    source = write_source(tmp_path / "行政法规", SOURCE)
    importer.import_sources(root, [source], today=TODAY)
    path = root / FILE
    edit(path, ("标题: 某某防护条例", "标题:   某某防护条例"))
    before = path.read_bytes()
    source.write_text(source.read_text(encoding="utf-8").replace("第711号修订", "第712号修订"), encoding="utf-8")
    report = importer.import_sources(root, [source], today=TODAY)
    assert path.read_bytes() == before and report.conflicts == [FILE]
    (problem,) = report.problems
    assert (problem.line, problem.is_error) == (3, True)
    assert "元数据第 3 行“标题:   某某防护条例”的写法在自动更新时无法原样保留，本文件未改动：请把该行改写成“标题: 某某防护条例”" in problem.message


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    """Check that a file saved with a BOM and CRLF line endings keeps both when a field changes."""
    root = tmp_path / "proj"
    source = write_source(tmp_path / "行政法规", SOURCE)
    importer.import_sources(root, [source], today=TODAY)
    path = root / FILE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    source.write_text(source.read_text(encoding="utf-8").replace("第711号修订", "第712号修订"), encoding="utf-8")
    report = importer.import_sources(root, [source], today=TODAY)
    assert report.updated and report.problems == []
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf---\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert "第712号".encode() in raw


# --- the version chain ------------------------------------------------------------------------

V2010 = SOURCE.replace("2019年4月3日 中华人民共和国国务院令第711号修订", "2010年1月8日 中华人民共和国国务院令第570号修订")
V2015 = SOURCE.replace("2019年4月3日 中华人民共和国国务院令第711号修订", "2015年6月1日 中华人民共和国国务院令第600号修订")


def test_every_older_version_moves_to_the_newest(tmp_path: Path) -> None:
    """Check that importing three versions oldest first leaves both older ones 已修改 with 现行版本 =
    the newest, and that an older version filed by hand under another title, pointing at the middle
    version, moves to the newest too."""
    root = tmp_path / "proj"
    folder = tmp_path / "行政法规"
    importer.import_sources(root, [write_source(folder, V2010, "某某防护条例(2010-01-08).md")], today=TODAY)
    importer.import_sources(root, [write_source(folder, V2015, "某某防护条例(2015-06-01).md")], today=TODAY)
    hand = root / "regulations/xingzheng-fagui/moumou-fanghu-1990.md"
    hand.write_text(
        "---\nid: moumou-fanghu-1990\n标题: 某某防护暂行条例\n制定机关: 国务院\n效力位阶: 行政法规\n"
        "时效性: 已修改\n现行版本: moumoufanghutiaoli-2015-06-01  # 手工\n公布日期: 1990-05-01\n---\n\n示例正文。\n",
        encoding="utf-8",
    )
    report = importer.import_sources(root, [write_source(folder, SOURCE)], today=TODAY)
    assert report.problems == []
    loaded = corpus.load(root)
    chain = {r.id: (r.status.value, r.current_version) for r in loaded.regulations}
    newest = "moumoufanghutiaoli-2019-04-03"
    assert chain == {
        "moumoufanghutiaoli-2010-01-08": ("已修改", newest),
        "moumoufanghutiaoli-2015-06-01": ("已修改", newest),
        "moumou-fanghu-1990": ("已修改", newest),
        newest: ("现行有效", None),
    }
    assert "现行版本: moumoufanghutiaoli-2019-04-03  # 手工\n" in hand.read_text(encoding="utf-8")
    assert sorted(report.marked) == sorted(
        f"regulations/xingzheng-fagui/{name}.md"
        for name in ("moumoufanghutiaoli-2010-01-08", "moumoufanghutiaoli-2015-06-01", "moumou-fanghu-1990")
    )
    assert [p.as_text() for p in rules.check(loaded, TODAY) if p.is_error] == []
    # The chain edits are recorded as the import's: re-importing the older versions changes nothing.
    again = importer.import_sources(root, [folder], today=TODAY)
    assert (again.created, again.updated, again.marked, again.conflicts) == ([], [], [], [])


# --- --id -----------------------------------------------------------------------------------------


def test_chosen_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check `regbook import --id`: the file takes the id; a later import without --id merges into it;
    several sources or an id the checker would refuse are Chinese errors."""
    root = tmp_path / "proj"
    (root / "regulations").mkdir(parents=True)
    folder = tmp_path / "行政法规"
    source = write_source(folder, SOURCE)
    code, err = regbook_import(root, source, "--id", "moumou-fanghu-tiaoli", capsys=capsys)
    assert code == 0, err
    path = root / "regulations/xingzheng-fagui/moumou-fanghu-tiaoli.md"
    assert path.read_text(encoding="utf-8").startswith("---\nid: moumou-fanghu-tiaoli\n")
    report = importer.import_sources(root, [folder], today=TODAY)
    assert (report.created, len(report.unchanged), report.problems) == ([], 1, [])
    assert [p.name for p in (root / "regulations").rglob("*.md")] == ["moumou-fanghu-tiaoli.md"]

    write_source(folder, V2015, "某某防护条例(2015-06-01).md")
    code, err = regbook_import(root, folder, "--id", "moumou-2015", capsys=capsys)
    assert code == 1 and "--id:1: 错误: --id 只能用于单个来源文件：本次有 2 个来源文件" in err
    code, err = regbook_import(root, source, "--id", "Moumou_2019", capsys=capsys)
    assert code == 1
    assert "--id:1: 错误: id 应由小写字母、数字和连字符组成（如 renmin-fangkong-fa），实际为“Moumou_2019”" in err


def test_record_is_a_comment_the_checker_ignores(tmp_path: Path) -> None:
    """Check the record's form: the last front matter line, a YAML comment (no key for any reader),
    one fingerprint per written field and for the body."""
    root = tmp_path / "proj"
    importer.import_sources(root, [write_source(tmp_path / "行政法规", SOURCE)], today=TODAY)
    text = (root / FILE).read_text(encoding="utf-8")
    lines = text.split("\n")
    record_line = lines[lines.index("---", 1) - 1]
    record = writing.parse_record(record_line)
    assert record is not None and record_line.startswith("# 导入记录")
    doc, problems = corpus.frontmatter.read(FILE, text.encode("utf-8"))
    assert problems == [] and doc is not None
    assert list(record) == [*doc.data, "正文"]
    assert record["发文字号"] == writing.fingerprint("中华人民共和国国务院令第711号")
    assert main(["check", "--root", str(root), "--today", TODAY.isoformat(), "--since", "none"]) == 0
