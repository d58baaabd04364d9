"""argparse in Chinese: its own words ("usage:", "options", "the following arguments are required" …).

argparse looks up every word it prints through the module-level names ``_`` and ``ngettext``
(``from gettext import gettext as _, ngettext``), at the time it prints. ``ChineseParser`` binds
them to the table below while it builds itself, parses and formats help and errors, and puts
the originals back afterwards, so nothing else in the process (pytest's own argparse, say) is
affected. A message missing from the table (a future Python's new wording) falls back to
argparse's English; ``tests/test_cli_help.py`` reads argparse's messages from its source and
fails on any that is not translated here.

Metavariables derived from option names (``--root ROOT``) are English words too: options without
a ``metavar`` show ``值`` (or a word from ``METAVARS``) instead.
"""

from __future__ import annotations

import argparse
import unicodedata
from contextlib import contextmanager
from typing import Any, Iterator, NoReturn, Sequence

MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r（应为 %(type)s）",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项 %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    'argument "-" with mode %r': "参数“-”不能用于模式 %r",
    "cannot have multiple subparser arguments": "不能有多组子命令",
    "conflicting subparser: %s": "子命令重复：%s",
    "conflicting subparser alias: %s": "子命令别名重复：%s",
    "cannot merge actions - two groups are named %r": "无法合并：两个参数组都叫 %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": "无效的选项 %(option)r：应以 %(prefix_chars)r 开头",
    "dest= is required for options like %r": "像 %r 这样的选项需要 dest=",
    "invalid conflict_resolution value: %r": "无效的 conflict_resolution 值：%r",
    "mutually exclusive arguments must be optional": "互斥的参数必须是选项",
    "%r is not callable": "%r 不可调用",
    ".__call__() not defined": "没有定义 .__call__()",
    "'required' is an invalid argument for positionals": "位置参数不能使用 'required'",
}
"""argparse's messages (Python 3.11–3.13) → Chinese."""
PLURALS: dict[str, str] = {"expected %s argument": "需要 %s 个值", "conflicting option string: %s": "选项重复：%s"}
"""argparse's ``ngettext`` messages, by their singular form."""
METAVARS: dict[str, str] = {"root": "目录", "site_dir": "目录", "format": "格式"}
"""The word shown for an option's value where the option has no ``metavar``."""


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


@contextmanager
def chinese() -> Iterator[None]:
    """argparse speaks Chinese inside this block (see the module docstring)."""
    saved = argparse.__dict__["_"], argparse.__dict__["ngettext"]
    setattr(argparse, "_", _gettext)
    setattr(argparse, "ngettext", _ngettext)
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])
        setattr(argparse, "ngettext", saved[1])


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class ChineseFormatter(argparse.HelpFormatter):
    """Help with Chinese placeholders for option values, its columns aligned on a terminal
    (argparse pads by ``len``, so a Chinese placeholder would push its help to the right)."""

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, "值")

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = display_width(header) - len(header)
        first, newline, rest = text.partition("\n")
        at = first.find(header)
        if extra > 0 and at >= 0:
            after = first[at + len(header) :]
            if after.strip() and len(after) - len(after.lstrip(" ")) - extra >= 2:
                first = first[: at + len(header)] + after[extra:]
        return first + newline + rest


class ChineseParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose every word is Chinese; sub-commands are made of the same class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseFormatter)
        with chinese():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with chinese():
            super().error(message)
