"""Reading a content file: bytes → front matter (with line numbers) and body, or problems.

Everything an editor can get wrong in the file itself is reported here, with the line:
encoding (GBK saved on Windows), BOM and CRLF (accepted), missing or unterminated front
matter, malformed YAML, duplicate keys. YAML 1.2 (ruamel.yaml) is used deliberately:
``no``/``yes`` stay strings, and ISO dates become ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from regbook.problems import Problem

MAX_BYTES = 2 * 1024 * 1024
"""Larger files are refused: no regulation is this long, and the site must stay light."""

Key = tuple[str | int, ...]


@dataclass
class Document:
    """A content file split into front matter and body."""

    path: str
    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, *key: str | int) -> int:
        """The file line of a key (or of the nearest enclosing key that has one)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (with or without BOM), normalise line endings; explain anything else."""
    if len(raw) > MAX_BYTES:
        return None, [Problem.error(path, 1, f"文件过大（{len(raw) // 1024} KB），上限为 {MAX_BYTES // 1024} KB：请检查是否误存了二进制或重复内容")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "文件不是 UTF-8 编码"
        try:
            raw.decode("gb18030")
            hint += "，看起来是 GBK/GB18030（Windows 记事本常见）；请用“UTF-8”编码另存"
        except UnicodeDecodeError:
            hint += "，也不是 GBK；可能是二进制文件"
        return None, [Problem.error(path, line, hint)]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem.error(path, line, "文件含有空字符（NUL），不是文本文件")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _plain(node: Any, key: Key, offset: int, lines: dict[Key, int]) -> Any:
    """Turn ruamel's round-trip nodes into plain Python, recording each key's file line."""
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for k, v in node.items():
            sub = (*key, str(k))
            lines[sub] = node.lc.key(k)[0] + offset
            out[str(k)] = _plain(v, sub, offset, lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, v in enumerate(node):
            sub = (*key, i)
            lines[sub] = node.lc.item(i)[0] + offset
            items.append(_plain(v, sub, offset, lines))
        return items
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    return node


def split(path: str, text: str) -> tuple[Document | None, list[Problem]]:
    """Split decoded text into a ``Document``; problems carry file lines."""
    if not text.strip():
        return None, [Problem.error(path, 1, "文件是空的：应以 --- 开头的 YAML 元数据块，然后是正文")]
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, [Problem.error(path, 1, f"缺少元数据块：第一行应为 ---，实际为“{lines[0][:40]}”")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        return None, [Problem.error(path, 1, "元数据块没有结束：开头的 --- 之后缺少另一行 ---")]
    yaml_text = "\n".join(lines[1:end])
    if not yaml_text.strip():
        return None, [Problem.error(path, 1, "元数据块是空的：两行 --- 之间应填写字段，如“标题: …”")]
    try:
        node = _yaml().load(yaml_text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark is not None else 2
        what = exc.problem or "语法错误"
        if "duplicate key" in str(exc):
            key = str(exc).split('found duplicate key "')[-1].split('"')[0]
            return None, [Problem.error(path, line, f"字段“{key}”重复出现：每个字段只能写一次（YAML 不会报错而是悄悄保留后一个值）")]
        return None, [Problem.error(path, line, f"元数据不是有效的 YAML：{what}（常见原因：冒号后缺空格、引号未闭合、缩进不一致）")]
    except YAMLError as exc:
        return None, [Problem.error(path, 2, f"元数据不是有效的 YAML：{exc}")]
    if not isinstance(node, CommentedMap):
        return None, [Problem.error(path, 2, "元数据应为“字段: 值”的列表，实际不是")]
    key_lines: dict[Key, int] = {}
    data = _plain(node, (), 2, key_lines)
    body = "\n".join(lines[end + 1 :])
    return Document(path, data, body, end + 2, key_lines), []


def read(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """bytes → ``Document`` or problems; never raises for any input."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    return split(path, text)
