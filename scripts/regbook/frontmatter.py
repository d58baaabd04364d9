"""Reading a content file: bytes → front matter (with line numbers) and body, or problems.

Everything an editor can get wrong in the file itself is reported here, with the line:
encoding (GBK saved on Windows), BOM and CRLF (accepted), missing, empty or unterminated
front matter, malformed YAML, duplicate keys, an empty or a huge file.

YAML is read deliberately, not with a stock loader. libyaml (through PyYAML's C parser; its
pure-Python twin where the C extension is missing) only *composes* the text into nodes, with
their lines; this module resolves the scalars itself, by the YAML 1.2 core schema:

- ``no``/``yes``/``on``/``off`` stay text; only ``true``/``false`` are booleans;
- ``2023-05-06`` becomes a ``datetime.date`` (a deliberate addition to the core schema); an
  impossible date such as ``2023-02-30`` stays text, so that the corpus can say it is not a
  calendar date (a stock loader crashes);
- numbers (``12``, ``012``, ``1.5``) become ``int``/``float``: the corpus asks for quotes where
  text was meant;
- quoted scalars are always text;
- a key written twice is an error naming both lines (a stock loader silently keeps the last);
- anchors and aliases (``&a`` / ``*a``), merge keys (``<<``) and explicit tags (``!!binary``,
  ``!!python/…``) are refused: front matter never needs them, and aliases can make a
  small file expand without bound;
- nesting deeper than any front matter needs is refused, not a ``RecursionError``.

When the YAML does not parse, the parser's English text is never shown. The parser stops where
it can no longer go on, often a line or more after the mistake (a full-width colon ``标题：…``
makes the *next* line look wrong), so ``_diagnose`` looks for the typical mistakes (a tab in the
indentation, a full-width colon, no space after a colon, an unclosed quote or bracket, a
backslash in double quotes, a misaligned line) on every line up to there, confirms each guess by
parsing the text with that line repaired, and names the line and character to change and what
to type there.

Composing with libyaml is about 100 times faster than with ruamel.yaml's pure-Python
composer (0.09 ms against 9 ms for a typical front matter, measured here), which matters for
thousands of files.

``read`` never raises for any input: every outcome is a ``Document`` or problems.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from regbook.problems import Problem

MAX_BYTES = 1024 * 1024
"""Larger files are refused: no regulation is this long (the longest of the 2,585 national texts in
../shared/corpus/bulk is 313 KB), the site must stay light, and a body of this size, however dense
with links and markup, is checked in seconds (the worst measured: 1 MB of short links, about 6 s on
a loaded 2-core machine)."""

MAX_DEPTH = 20
"""Front matter nests three levels deep (决定 → item → 字段); anything near this is a mistake."""

Key = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")}
"""Tags the loader's (YAML 1.1) resolver gives plain scalars; any other tag was written explicitly."""
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution) for plain scalars.
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?.*)?$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATETIME_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d*)?)?")
_FENCE = "---"

# The YAML parser's English problem texts → what an editor should do (matched by substring); used
# only when ``_diagnose`` recognises no typical mistake. The English text is never shown.
_YAML_HINTS: list[tuple[str, str]] = [
    ("tab", "行首或值中有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    ("nesting depth", f"元数据嵌套过深（最多 {MAX_DEPTH} 层）：请检查方括号和缩进"),
    ("mapping values are not allowed", "这里不能出现“: ”：检查本行的缩进（同一层的字段应左对齐），或把含冒号的值加上引号"),
    ("could not find expected ':'", "本行缺少冒号：每行应写作“字段: 值”（半角冒号，冒号后有一个空格）"),
    ("while scanning a quoted scalar", "这里开始的引号没有闭合：请在值的末尾补上同样的引号"),
    ("found unexpected end of stream", "引号或括号没有闭合：检查本行的引号（“'”或“\"”）和方括号"),
    ("found undefined alias", "“*”开头的值是 YAML 别名，这里没有对应的锚点：如果是文字，请加引号"),
    ("expected <block end>, but found", "缩进不一致：同一层的字段应左对齐，列表项以“- ”开头"),
    ("found unexpected ':'", "多余的冒号：含冒号的值请加引号"),
    ("while parsing a flow", "方括号或花括号没有闭合：含 [ ] { } 的值请加引号"),
    ("did not find expected key", "缩进不一致或缺少“- ”：检查本行的缩进"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每项应以同样缩进的“- ”开头"),
    ("cannot start any token", "值以 YAML 保留字符开头（如 @ ` % 或制表符）：请给值加引号，缩进只用空格"),
]
_FALLBACK_HINT = "常见原因：冒号后缺空格、用了全角冒号“：”、引号未闭合、缩进不一致"
_MAX_TRIALS = 40
"""Trial repairs per failed front matter (each is one more parse of a few hundred bytes)."""

# A line's key (after any "- " list markers), up to the separator the editor got wrong.
_KEY_START = r"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[^\s'\"#:：\[\]{}&*!|>%@`,?-][^:：]*?)[ ]*"
_FULLWIDTH_RE = re.compile(_KEY_START + "(?P<sep>：)")
_NO_SPACE_RE = re.compile(_KEY_START + r"(?P<sep>:)(?=[^\s])")
_FLOW_RE = re.compile(r"^[ ]*(?:-[ ]+)*(?:[^\s'\"#:][^:]*?:[ ]+)?(?P<open>[\[{])")
_CLOSING = {"[": "]", "{": "}"}
_VALUE_RE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)*(?:[^\s'\"#:][^:]*?:[ ]+)?)(?P<quote>['\"])")


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
        return None, [
            Problem.error(
                path,
                1,
                f"文件过大：{len(raw):,} 字节，上限为 {MAX_BYTES:,} 字节（{MAX_BYTES // 1024 // 1024} MB）。"
                "请检查是否误存了二进制文件、图片或重复粘贴的内容；过长的文件请拆分",
            )
        ]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem.error(path, 1, "文件是 UTF-16 编码，应为 UTF-8：请在编辑器中选择“UTF-8”编码另存")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            hint = (
                "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 记事本、WPS 常见）："
                "请用“UTF-8”编码另存（记事本：另存为 → 编码选 UTF-8）"
            )
        except UnicodeDecodeError:
            hint = "文件不是 UTF-8 编码，也不是 GBK：可能是二进制文件（如 Word 文档），请保存为 UTF-8 纯文本"
        return None, [Problem.error(path, line, f"{hint}（第一个无法识别的字节在第 {line} 行）")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem.error(path, line, "文件含有空字符（NUL）：这不是文本文件，请保存为 UTF-8 纯文本")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


@dataclass(frozen=True)
class _Diagnosis:
    """Where the YAML goes wrong (0-based line and character in the YAML text) and what to type."""

    index: int
    column: int
    message: str


def _shown(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parses_past(lines: list[str], index: int, fixed: str, failed_at: int) -> bool:
    """Whether replacing line ``index`` by ``fixed`` makes the YAML valid or moves its first error
    past line ``failed_at``: the trial that confirms a guessed mistake before naming it."""
    text = "\n".join([*lines[:index], fixed, *lines[index + 1 :]])
    try:
        yaml.compose(text, Loader=_Loader)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and mark.line > failed_at
    except (YAMLError, ValueError, TypeError, RecursionError):
        return False
    return True


def _closes(line: str, start: int, quote: str) -> bool:
    """Whether the quote opened just before ``start`` closes on this line."""
    i = start
    while i < len(line):
        ch = line[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "'" and line[i + 1 : i + 2] == "'":
                i += 2
                continue
            return True
        i += 1
    return False


def _line_fixes(line: str) -> list[tuple[int, str, str]]:
    """Typical mistakes a line may hold: (column, what to type, the line as it should be)."""
    fixes = []
    if m := _FULLWIDTH_RE.match(line):
        col = m.start("sep")
        fixed = line[: m.end("key")] + ": " + line[col + 1 :].lstrip(" ")
        fixes.append((col, f"字段名“{_shown(m['key'])}”后面是全角冒号“：”。把全角冒号‘：’改为半角冒号加一个空格，写作“{_shown(fixed)}”", fixed))
    if m := _NO_SPACE_RE.match(line):
        col = m.start("sep")
        fixed = line[: col + 1] + " " + line[col + 1 :]
        fixes.append((col, f"冒号后缺少空格。在“{_shown(m['key'])}:”的冒号后加一个空格，写作“{_shown(fixed)}”", fixed))
    if (m := _VALUE_RE.match(line)) and not _closes(line, m.end("quote"), m["quote"]):
        quote = m["quote"]
        fixed = line.rstrip() + quote
        name = "单引号" if quote == "'" else "双引号"
        fixes.append(
            (m.start("quote"), f"这里开始的{name}“{quote}”没有闭合。请在值的末尾补上“{quote}”，写作“{_shown(fixed)}”", fixed)
        )
    if (m := _FLOW_RE.match(line)) and line.count(m["open"]) > line.count(_CLOSING[m["open"]]):
        close = _CLOSING[m["open"]]
        fixed = line.rstrip() + close
        fixes.append(
            (
                m.start("open"),
                f"这里开始的“{m['open']}”没有对应的“{close}”。如果这是文字（如“[2023]5号”），请给整个值加引号；"
                f"如果是列表，请在末尾补上“{close}”",
                fixed,
            )
        )
    return fixes


def _indent_fixes(lines: list[str], index: int, offset: int) -> list[tuple[int, str, str]]:
    """Re-indentations of line ``index`` to the key or “- ” columns of the lines above it."""
    line = lines[index]
    if not line.strip():
        return []
    indent = len(line) - len(line.lstrip(" "))
    fixes, seen = [], {indent}
    for j in range(index - 1, max(index - 20, -1), -1):
        prev = lines[j]
        if not prev.strip() or prev.lstrip().startswith("#"):
            continue
        m = re.match(r"^([ ]*)((?:-[ ]+)*)", prev)
        assert m is not None  # the pattern matches every string
        for col in (len(m[1]) + len(m[2]), len(m[1])):
            if col in seen:
                continue
            seen.add(col)
            word = _shown(prev[col:].split(":", 1)[0], 12)
            where = "顶格，不缩进" if col == 0 else f"缩进 {col} 个空格"
            fixes.append(
                (indent, f"缩进不一致：本行缩进 {indent} 个空格，应与第 {j + offset} 行的“{word}”对齐（{where}）", " " * col + line.lstrip(" "))
            )
    return fixes


def _escape_fix(line: str, start: int) -> str:
    """A double-quoted value with a backslash, rewritten in single quotes (``""`` when it cannot be)."""
    end = start + 1
    while end < len(line) and line[end] != '"':
        end += 2 if line[end] == "\\" else 1
    inner = line[start + 1 : end]
    if end >= len(line) or '\\"' in inner:
        return ""
    return line[:start] + "'" + inner.replace("'", "''") + "'" + line[end + 1 :]


def _diagnose(text: str, exc: MarkedYAMLError, offset: int) -> _Diagnosis:
    """What an editor must change, and where, for YAML that does not parse.

    The parser notices a mistake where it can no longer go on, often a line or more later (a
    full-width colon makes the next line look wrong); so the typical mistakes are looked for on
    every line up to there, each confirmed by parsing the text with that line repaired."""
    lines = text.split("\n")
    problem, context = str(exc.problem or ""), str(exc.context or "")
    pmark, cmark = exc.problem_mark, exc.context_mark
    failed_at = min((pmark or cmark).line if (pmark or cmark) else len(lines) - 1, len(lines) - 1)
    if "escape" in problem and pmark is not None:
        line = lines[min(pmark.line, len(lines) - 1)]
        start = cmark.column if cmark is not None and cmark.line == pmark.line else line.find('"')
        fixed = _escape_fix(line, start) if 0 <= start < len(line) and line[start] == '"' else ""
        write = f"写作“{_shown(fixed)}”" if fixed else "即用“'”代替两端的“\"”"
        return _Diagnosis(
            pmark.line,
            pmark.column,
            f"双引号里的反斜杠“\\”是转义符号，“{line[pmark.column : pmark.column + 2]}”无法识别。值中有反斜杠时请改用单引号，"
            f"{write}；或者把每个“\\”写成两个“\\\\”",
        )
    for i in range(failed_at + 1):
        lead = len(lines[i]) - len(lines[i].lstrip(" \t"))
        if (col := lines[i].find("\t", 0, lead)) >= 0:
            return _Diagnosis(i, col, "行首有制表符（Tab）。YAML 只能用空格缩进：请把本行开头的 Tab 换成空格，与同一层的字段对齐")
    trials = 0
    for i in range(failed_at + 1):
        for col, message, fixed in _line_fixes(lines[i]):
            trials += 1
            if trials <= _MAX_TRIALS and _parses_past(lines, i, fixed, failed_at):
                return _Diagnosis(i, col, message)
    for mark in (pmark, cmark):
        if mark is not None and mark.line < len(lines):
            for col, message, fixed in _indent_fixes(lines, mark.line, offset):
                trials += 1
                if trials <= _MAX_TRIALS and _parses_past(lines, mark.line, fixed, failed_at):
                    return _Diagnosis(mark.line, col, message)
    mark = cmark if cmark is not None and context in ("while scanning a simple key", "while scanning a quoted scalar") else pmark
    mark = mark or cmark
    hint = next((h for needle, h in _YAML_HINTS if needle in f"{context} {problem}"), _FALLBACK_HINT)
    if mark is None:
        return _Diagnosis(0, 0, hint)
    index = min(mark.line, len(lines) - 1)
    return _Diagnosis(index, min(mark.column, len(lines[index])), hint)


class _Refused(Exception):
    """A YAML construct front matter does not allow; carries the problem."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Builder:
    """Turns composed YAML nodes into plain values, recording each key's file line."""

    def __init__(self, offset: int):
        self.offset = offset
        self.lines: dict[Key, int] = {}
        self.seen: set[int] = set()

    def line_of(self, node: Node) -> int:
        return node.start_mark.line + self.offset

    def value(self, node: Node, key: Key, depth: int = 0, at: int | None = None) -> Any:
        """A node's plain value; ``at`` is the line that refers to it (an alias has no line of its own)."""
        if depth > MAX_DEPTH:
            raise _Refused(self.line_of(node), f"元数据嵌套超过 {MAX_DEPTH} 层：请检查缩进")
        if id(node) in self.seen:
            raise _Refused(
                at or self.line_of(node), "不支持 YAML 别名（“*名字”）：请把内容直接写出；如果值本身以“*”开头，请加引号"
            )
        self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self.mapping(node, key, depth)
        if isinstance(node, SequenceNode):
            if node.tag != f"{_CORE}seq":
                raise _Refused(self.line_of(node), f"不支持 YAML 标签 {_short(node.tag)}：请去掉“!”开头的标记")
            items = []
            for i, item in enumerate(node.value):
                self.lines[(*key, i)] = self.line_of(item)
                items.append(self.value(item, (*key, i), depth + 1, self.line_of(node)))
            return items
        return self.scalar(node)

    def mapping(self, node: MappingNode, key: Key, depth: int) -> dict[str, Any]:
        if node.tag != f"{_CORE}map":
            raise _Refused(self.line_of(node), f"不支持 YAML 标签 {_short(node.tag)}：请去掉“!”开头的标记")
        out: dict[str, Any] = {}
        for k, v in node.value:
            line = self.line_of(k)
            if not isinstance(k, ScalarNode):
                raise _Refused(line, "字段名应为文字，实际是列表或一组字段：检查“?”、方括号或花括号")
            if k.tag == f"{_CORE}merge" and not k.style:
                raise _Refused(line, "不支持 YAML 合并键（“<<”）：请把字段直接写出")
            if k.tag not in _SCALAR_TAGS:
                raise _Refused(line, f"不支持 YAML 标签 {_short(k.tag)}：请去掉“!”开头的标记")
            name = str(k.value).strip()
            sub = (*key, name)
            if name in out:
                raise _Refused(
                    line,
                    f"字段“{name}”重复出现（第 {self.lines[sub]} 行和第 {line} 行）：每个字段只能写一次，"
                    "请删去多余的一行（YAML 读取时会悄悄保留后一个值）",
                )
            self.lines[sub] = line
            out[name] = self.value(v, sub, depth + 1, line)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, str(node.value)
        if tag not in _SCALAR_TAGS:
            raise _Refused(self.line_of(node), f"不支持 YAML 标签 {_short(tag)}：请去掉“!”开头的标记")
        if node.style:  # quoted or block scalar: always text
            return text
        return resolve_plain(text)


def resolve_plain(text: str) -> Any:
    """A plain (unquoted) scalar by the YAML 1.2 core schema, plus dates."""
    if _NULL_RE.match(text):
        return None
    if _BOOL_RE.match(text):
        return text.lower() == "true"
    if _INT_RE.match(text):
        return _int(text)
    if _FLOAT_RE.match(text):
        return _float(text)
    if _TIMESTAMP_RE.match(text):
        return _timestamp(text)
    return text


def _short(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _int(text: str) -> int | str:
    clean = text.replace("_", "")
    if clean.lstrip("+-")[:2].lower() in ("0x", "0o"):
        try:
            return int(clean, 0)
        except ValueError:
            return text
    try:
        return int(clean, 10)
    except ValueError:
        return text


def _float(text: str) -> float | str:
    lowered = text.lower().replace("_", "")
    if lowered in (".nan",):
        return float("nan")
    if lowered in (".inf", "+.inf"):
        return float("inf")
    if lowered == "-.inf":
        return float("-inf")
    try:
        return float(lowered)
    except ValueError:
        return text


def _timestamp(text: str) -> dt.date | dt.datetime | str:
    """A YAML timestamp as a date or datetime; text when it is not a real calendar date."""
    try:
        if m := _DATE_RE.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DATETIME_RE.match(text):
            return dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0))
    except ValueError:
        pass
    return text


def split(path: str, text: str) -> tuple[Document | None, list[Problem]]:
    """Split decoded text into a ``Document``; problems carry file lines."""
    if not text.strip():
        return None, [
            Problem.error(path, 1, "文件是空的：应以 --- 开头的元数据块（如“标题: …”），再以 --- 结束，然后是正文")
        ]
    lines = text.split("\n")
    first = lines[0].strip()
    if first != _FENCE:
        start = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if lines[start].strip() == _FENCE:
            return None, [
                Problem.error(path, start + 1, f"元数据块前有 {start} 行空行：文件第一行必须是 ---，请删去前面的空行")
            ]
        shown = f"“{lines[0][:40]}{'…' if len(lines[0]) > 40 else ''}”" if lines[0].strip() else "空行"
        return None, [
            Problem.error(
                path,
                1,
                f"缺少元数据块：第一行应为 ---，实际为{shown}。请在文件开头加上以 --- 开头和结束的元数据"
                "（字段见编辑指南）",
            )
        ]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (_FENCE, "...")), None)
    if end is None:
        return None, [
            Problem.error(
                path, 1, "元数据块没有结束：第 1 行的 --- 之后找不到结束的 ---。请在最后一个字段之后加一行 ---"
            )
        ]
    yaml_text = "\n".join(lines[1:end])
    empty = Problem.error(path, 1, "元数据块是空的：两行 --- 之间应填写字段，如“标题: …”")
    if not yaml_text.strip():
        return None, [empty]
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except MarkedYAMLError as exc:
        found = _diagnose(yaml_text, exc, offset=2)
        return None, [Problem.error(path, found.index + 2, f"元数据格式错误（本行第 {found.column + 1} 个字符）：{found.message}")]
    except ReaderError as exc:
        line = yaml_text[: max(exc.position, 0)].count("\n") + 2
        return None, [
            Problem.error(path, line, f"元数据中有不允许的控制字符（U+{exc.character:04X}）：请删去" if isinstance(exc.character, int) else "元数据中有不允许的字符：请删去")
        ]
    except RecursionError:
        return None, [Problem.error(path, 2, f"元数据嵌套过深：请检查方括号和缩进（最多 {MAX_DEPTH} 层）")]
    except (YAMLError, ValueError, TypeError):
        return None, [Problem.error(path, 2, f"元数据格式错误：{_FALLBACK_HINT}")]
    if node is None:
        return None, [empty]
    if not isinstance(node, MappingNode):
        return None, [
            Problem.error(path, 2, "元数据应为每行一个“字段: 值”，实际是一个单独的值或列表：请检查冒号和缩进")
        ]
    builder = _Builder(offset=2)
    try:
        data = builder.value(node, ())
    except _Refused as refused:
        return None, [Problem.error(path, refused.line, refused.message)]
    except RecursionError:
        return None, [Problem.error(path, 2, f"元数据嵌套过深：请检查方括号和缩进（最多 {MAX_DEPTH} 层）")]
    body = "\n".join(lines[end + 1 :])
    return Document(path, data, body, end + 2, builder.lines), []


def read(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """bytes → ``Document`` or problems; never raises for any input."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    return split(path, text)
