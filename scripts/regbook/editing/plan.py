"""Planned file edits: what an editors' command will write, shown before (or instead of) writing.

Every command of ``regbook.editing`` is a pure function from the corpus (and the editor's facts)
to a ``Plan``: new files with their whole text, existing files with their text before and after.
``describe`` turns a plan into the lines the command prints (the path and fields of a new file; a
short diff-like listing of the changed lines of an edited one); ``apply`` writes it, all files or
none (each through a temporary file and a rename, BOM and CRLF line endings kept).

Existing files are changed through the importer's round-trip writer
(``regbook.importer.writing``): only the fields a command sets are re-emitted, every other
byte of the front matter and the body stays as it was. An editor's change is not an import:
an import record (if the file has one) is left as it is, so a later re-import keeps the
editor's values.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from regbook.importer import writing
from regbook.model import REGULATION_FIELDS

_KEYS = [k for k in REGULATION_FIELDS if k != "现行版本"]
REGULATION_ORDER: tuple[str, ...] = (*_KEYS[: _KEYS.index("时效性") + 1], "现行版本", *_KEYS[_KEYS.index("时效性") + 1 :])
"""Where a new key goes in a regulation's front matter: after the nearest key before it here. The
model's order, with 现行版本 right after 时效性 (as the guide and the importer write it)."""


class Refusal(Exception):
    """A command that cannot do what was asked, and why (Chinese, saying what to do instead).

    ``path`` and ``line`` locate it in a content file where the reason is there.
    """

    def __init__(self, message: str, path: str | None = None, line: int = 1):
        super().__init__(message)
        self.message, self.path, self.line = message, path, max(line, 1)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: 错误: {self.message}" if self.path else self.message


@dataclass
class FileEdit:
    """One file to write: ``before`` is ``None`` for a new file (texts with LF line endings)."""

    path: str
    """Relative to the project folder, with ``/``."""
    before: str | None
    after: str
    style: tuple[bool, bool] = (False, False)
    """(BOM, CRLF) of the file as found, kept when it is written back."""
    body: str = "正文为待替换的提纲"
    """What a new file's body is, in the listing."""

    @property
    def is_new(self) -> bool:
        return self.before is None


@dataclass
class Plan:
    """A command's result: the files to write and notes for the editor (what to fill in next)."""

    edits: list[FileEdit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [e.path for e in self.edits]


def read(root: Path, path: str) -> tuple[str, tuple[bool, bool]]:
    """A content file's text (LF, no BOM) and its style, for an edit."""
    return writing.read_text(root / path)


def edit_fields(
    path: str, text: str, changes: dict[str, Any], order: Sequence[str] = REGULATION_ORDER
) -> str:
    """``text`` with top-level fields set (or deleted: ``None``), everything else byte for byte."""
    return _edited(path, text, lambda front: writing.edit_front(front, changes, order))


def edit_front(path: str, text: str, edit: Callable[[CommentedMap], None]) -> str:
    """``text`` with ``edit`` run on its round-trip front matter (nested values too)."""
    return _edited(path, text, lambda front: writing.edit_front_with(front, edit))


def _edited(path: str, text: str, change: Callable[[list[str]], list[str]]) -> str:
    """``text`` with its front matter lines changed by ``change``; the import record stays as it was."""
    parts = writing.split(text)
    if parts is None:
        raise Refusal("没有元数据块（文件第一行应为 ---），无法自动修改：请手工修改本文件", path)
    try:
        parts.front = change(parts.front)
    except writing.Unfaithful as exc:
        fix = f"请先把该行改写成“{exc.after}”（内容不变）后重新运行" if exc.after else "请手工修改本文件"
        raise Refusal(f"元数据中“{exc.before}”的写法在自动修改时无法原样保留，本文件未改动：{fix}", path, exc.line) from exc
    except YAMLError as exc:
        raise Refusal("元数据无法读取，本文件未改动：请先运行 regbook check 改正元数据", path) from exc
    return parts.text(parts.record)


def front_lines(text: str) -> list[str]:
    """The front matter lines of a new file's text (between the fences)."""
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i] == "---"), len(lines))
    return lines[1:end]


def describe(plan: Plan) -> list[str]:
    """What a plan writes, as the lines a command prints (Chinese)."""
    out: list[str] = []
    for edit in plan.edits:
        if edit.before is None:
            out.append(f"新建 {edit.path}：")
            out += [f"    {line}" for line in front_lines(edit.after)]
            out.append("    ---")
            out.append(f"    （{edit.body}）")
        else:
            out.append(f"修改 {edit.path}：")
            out += _changed_lines(edit.before, edit.after)
    return out


def _changed_lines(before: str, after: str) -> list[str]:
    """``-  12 | old`` / ``+  12 | new`` for every changed line, with its line number in that text."""
    a, b = before.split("\n"), after.split("\n")
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        out += [f"  - 第{i + 1:>3}行 | {a[i]}" for i in range(i1, i2)]
        out += [f"  + 第{j + 1:>3}行 | {b[j]}" for j in range(j1, j2)]
    return out


def apply(root: Path, plan: Plan) -> None:
    """Write every file of ``plan``, after checking that nothing changed since it was planned."""
    for edit in plan.edits:
        target = root / edit.path
        if edit.before is None:
            if target.exists():
                raise Refusal("文件已存在，未写入任何文件：请换一个 id 或文件名", edit.path)
        elif writing.read_text(target)[0] != edit.before:
            raise Refusal("文件在此期间被修改过，未写入任何文件：请重新运行命令", edit.path)
    for edit in plan.edits:
        writing.write_atomic(root / edit.path, edit.after, edit.style)
