"""Identifiers without invisible characters, where golden cases cannot go: file and folder names
(a golden case's expected output would hold the invisible character in its path), and the
character table itself. Field values (id, 发文字号, 索引号) and disguised duplicates are golden
cases: ``tests/golden/identifiers/`` and ``tests/golden/uniqueness/``."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from regbook import corpus, invisible, rules

BASE = Path(__file__).parents[1] / "golden" / "_base"
TODAY = dt.date(2025, 6, 1)
REG = "regulations/xingzheng-guifanxing-wenjian/tongzhi-a.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def _check(root: Path) -> list[str]:
    return [p.as_text() for p in rules.check(corpus.load(root), TODAY)]


@pytest.mark.parametrize(
    "char, name",
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE（零宽空格）"),
        ("\u2060", "U+2060 WORD JOINER（词连接符）"),
        ("\u200c", "U+200C ZERO WIDTH NON-JOINER（零宽不连字）"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE（文字方向控制符）"),
    ],
)
def test_hidden_character_in_a_docs_file_name(project: Path, char: str, name: str) -> None:
    """Check that a docs/ file whose name hides a character is an error naming it and its position."""
    path = project / "docs" / f"guan{char}yu.md"
    path.write_text("# 关于\n", encoding="utf-8")
    rel = path.relative_to(project).as_posix()
    assert _check(project) == [
        f"{rel}:1: 错误: 文件名“guan⟨U+{ord(char):04X}⟩yu.md”含有看不见的字符：第 5 个字符 {name}。"
        "网址和链接会因此对不上：请给文件改名，重新输入名字"
    ]


def test_hidden_character_in_a_folder_name_is_reported_once(project: Path) -> None:
    """Check that a folder whose name hides a soft hyphen is one error, however many files it holds."""
    folder = project / "docs" / "fu\u00adjian"
    folder.mkdir()
    (folder / "a.md").write_text("# 甲\n", encoding="utf-8")
    (folder / "b.md").write_text("# 乙\n", encoding="utf-8")
    assert _check(project) == [
        "docs/fu\u00adjian:1: 错误: 文件夹名“fu⟨U+00AD⟩jian”含有看不见的字符：第 3 个字符 U+00AD SOFT HYPHEN（软连字符）。"
        "网址和链接会因此对不上：请给文件夹改名，重新输入名字"
    ]


def test_hidden_character_in_a_regulation_file_name(project: Path) -> None:
    """Check that a regulation file named with a BOM inside is reported (besides the id/name warning)."""
    new = REG.replace("tongzhi-a", "tongzhi\ufeff-a")
    (project / REG).rename(project / new)
    found = _check(project)
    assert f"{new}:1: 错误: 文件名“tongzhi⟨U+FEFF⟩-a.md”含有看不见的字符：第 8 个字符 U+FEFF ZERO WIDTH NO-BREAK SPACE（字节顺序标记 BOM）。" in "\n".join(found)


def test_a_disguised_id_is_not_an_id(project: Path) -> None:
    """Check that an id with a zero width space is refused when read (not loaded as a regulation)."""
    path = project / REG
    path.write_text(path.read_text(encoding="utf-8").replace("id: tongzhi-a", 'id: "tongzhi\u200b-a"'), encoding="utf-8")
    loaded = corpus.load(project)
    assert all(r.path != REG for r in loaded.regulations)
    assert f"{REG}:2: 错误: id“tongzhi⟨U+200B⟩-a”含有看不见的字符：第 8 个字符 U+200B ZERO WIDTH SPACE（零宽空格）。" in "\n".join(
        p.as_text() for p in loaded.problems
    )


def test_an_id_with_a_trailing_line_break_is_refused(project: Path) -> None:
    """Check that `id: "abc\\n"` (ID_RE's `$` accepts a final newline) is refused as a control character."""
    path = project / REG
    path.write_text(path.read_text(encoding="utf-8").replace("id: tongzhi-a", 'id: "tongzhi-a\\n"'), encoding="utf-8")
    assert any("第 10 个字符 U+000A（控制字符）" in p.as_text() for p in corpus.load(project).problems)


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("吉国动办发〔2025〕3号", []),
        ("吉林省　国防动员办公室", []),  # the ideographic space is visible; rules on spaces decide
        ("a\u00a0b", [2]),
        ("a\u3164b", [2]),  # Hangul filler: a letter that prints as nothing
        ("a\ufe0fb", [2]),  # variation selector
        ("\U000e0041x", [1]),  # tag character
        ("a\u2028b", [2]),  # line separator
    ],
)
def test_which_characters_are_hidden(text: str, hidden: list[int]) -> None:
    """Check the table: which characters count as invisible."""
    assert [h.position for h in invisible.hidden_characters(text)] == hidden


def test_comparison_key() -> None:
    """Check that values differing only by hidden characters, whitespace or width compare equal."""
    key = invisible.comparison_key
    assert key("吉国动办发〔2025〕3号") == key("吉国动办发\u200b〔２０２５〕 3号\u2060") == key("吉国动办发〔2025〕3号\u3000")
    assert key("吉国动办发〔2025〕3号") != key("吉国动办发〔2025〕8号")
