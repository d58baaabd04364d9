"""``regbook`` speaks Chinese: its help and its usage errors carry none of argparse's English words."""

from __future__ import annotations

import argparse
import ast
import gettext
import re
from pathlib import Path

import pytest

from regbook import cli, cli_zh


def _argparse_messages() -> tuple[set[str], set[str]]:
    """Every message argparse translates: ``_('…')`` and ``ngettext('…', …)`` calls in its source."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    single: set[str] = set()
    plural: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if node.func.id == "_":
                    single.add(first.value)
                elif node.func.id == "ngettext":
                    plural.add(first.value)
    return single, plural


MESSAGES, PLURALS = _argparse_messages()
ENGLISH = {
    word.lower()
    for message in (*MESSAGES, *PLURALS, "show program's version number and exit")
    for word in re.findall(r"[A-Za-z]{3,}", re.sub(r"%\([a-z_]+\)[rsd]", "", message))
}
"""argparse's own English words (usage, positional, arguments, options, required, invalid …)."""
COMMANDS = [[], ["check"], ["build"], ["import"], ["new"], ["cleanup"], ["cleanup", "new"], ["abolish"], ["amend"]]


def english_words(text: str) -> set[str]:
    """argparse's words left in ``text``, option names (``--help``, ``--version``) aside."""
    text = re.sub(r"--?[a-z][a-z-]*", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)} & ENGLISH


def test_every_argparse_message_is_translated() -> None:
    """Check that the translation table covers every message of this Python's argparse."""
    assert MESSAGES, "argparse's messages were not found"
    assert MESSAGES - set(cli_zh.MESSAGES) == set()
    assert PLURALS - set(cli_zh.PLURALS) == set()
    assert {"usage", "positional", "arguments", "options", "required", "invalid", "choice"} <= ENGLISH


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "regbook")
def test_help_is_chinese(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Check that `regbook [command] --help` has no English words of argparse."""
    with pytest.raises(SystemExit) as exit_:
        cli.main([*command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：regbook")
    assert "显示本帮助并退出" in out and "选项:" in out
    assert english_words(out) == set(), out


def test_regbook_alone_shows_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """Check that `regbook` without arguments prints the whole Chinese help."""
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：regbook") and "位置参数:" in out and "abolish" in out
    assert english_words(out) == set(), out


USAGE_ERRORS = {
    "no command": (["cleanup"], "缺少必需的参数：命令"),
    "unknown command": (["bogus"], "无效的选择 'bogus'（可选："),
    "invalid kind": (["new", "法规"], "参数 类别：无效的选择 '法规'"),
    "missing positional": (["new"], "缺少必需的参数：类别"),
    "missing option": (["abolish", "x"], "缺少必需的参数：--by"),
    "unknown option": (["check", "--verbose"], "无法识别的参数：--verbose"),
    "missing value": (["check", "--root"], "参数 --root：需要一个值"),
    "invalid format": (["check", "--format", "xml"], "参数 --format：无效的选择 'xml'"),
    "mutually exclusive": (["import", "x", "--keep-edits", "--use-source"], "不能与参数 --keep-edits 同时使用"),
    "bad year": (["cleanup", "new", "26", "--date", "2026-11-30"], "参数 年份：年份应为四位数字"),
    "ambiguous option": (["amend", "x", "--version", "2026年修正", "--date", "2026-06-28", "--e", "x"], "有歧义"),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_usage_errors_are_chinese(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that usage errors are Chinese, with the usage line, and exit with status 2."""
    argv, expected = USAGE_ERRORS[case]
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：regbook")
    assert "：错误：" in err and expected in err, err
    assert english_words(err) == set(), err


def test_argparse_is_english_again_afterwards(capsys: pytest.CaptureFixture[str]) -> None:
    """Check that the Chinese words are bound only while regbook's parser works (pytest's own
    argparse, or any other parser in the process, stays as it was)."""
    with pytest.raises(SystemExit):
        cli.main(["new"])
    capsys.readouterr()
    assert argparse.__dict__["_"] is gettext.gettext
    other = argparse.ArgumentParser(prog="other")
    assert other.format_usage().startswith("usage: other")


def test_help_columns_align_with_chinese_placeholders(capsys: pytest.CaptureFixture[str]) -> None:
    """Check that every option's help starts in the same terminal column, Chinese placeholders or not."""
    with pytest.raises(SystemExit):
        cli.main(["new", "--help"])
    out = capsys.readouterr().out
    columns = {
        cli_zh.display_width(m[1])
        for line in out.splitlines()
        if (m := re.match(r"^(  \S.*?\s{2,})\S", line)) and not line.startswith("    ")
    }
    assert len(columns) == 1, out
