"""Writing regulation files, and merging a re-import into a file an editor may have changed.

**The import record.** To tell an editor's change from a source's change, an import leaves in
each file it writes a record of what it wrote: one YAML comment, the last line of the front
matter::

    # 导入记录（regbook import 据此辨认手工修改，请勿改动）: id=6f1c2a9e 标题=… 正文=0b7d…

one short fingerprint (the first 8 hex digits of SHA-256 over the value as canonical JSON, or
the body text) per field the import wrote, and one for the body (``正文``). A field the
import did not write has no entry. Why a comment in the file, and not a sidecar file:

- it travels with the file: ``git clone``, a rename, a move to another folder, a file copied
  to another project, a branch merged: the record is wherever the file is, and two editors'
  pull requests never conflict over one shared record file;
- the checker cannot trip over it: comments are not data to any YAML reader (``regbook check``
  and the site read the front matter as before), and there is no extra file to explain;
- fingerprints, not values: the line stays short (no second copy of the body), and an editor
  reading it sees at once that it is not something to edit. The cost: a conflict message can
  show the editor's and the source's values, not the value of the previous import.

**The merge** (``merge``), per field and for the body, with *base* the recorded fingerprint,
*mine* the file's value, *theirs* the new draft's value:

- mine = theirs: nothing to do;
- mine = base (the editor did not touch it): the source's new value is written;
- theirs = base (the source did not change it): the editor's value stays;
- otherwise both changed it: a conflict. The file is left alone, and each conflict is an error
  naming the file, the line and both values. ``resolve="edits"`` keeps the editor's values,
  ``resolve="source"`` takes the source's (the CLI's ``--keep-edits`` / ``--use-source``).

A file without a record (written by hand, or by an importer before the record existed) has no
base: every field where it differs from the source is a conflict, so nothing is overwritten
on a guess. After a merge the record holds the new draft's fingerprints.

**Byte for byte.** Existing files are changed through ruamel.yaml's round-trip mode (comments,
quoting such as ``'国防\\人民防空'``, key order and the file's own indentation are kept); only
changed fields are re-emitted. Before changing anything, the unchanged front matter is dumped
once: if ruamel.yaml would not write it back identically (an unusual layout), the file is
left alone and the first line that would change is reported. The body is replaced only as a
whole, and only when the merge takes the source's body. A BOM and CRLF line endings are kept.
New files are written by ``render`` in one fixed layout.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from regbook import frontmatter
from regbook.problems import Problem

FIELDS = ("id", "标题", "发文字号", "制定机关", "效力位阶", "时效性", "现行版本", "成文日期", "公布日期", "施行日期", "版本", "修订历史")
"""Every front matter key the importer writes, in the order it writes them."""
BODY = "正文"
"""The record's name for the body."""
RECORD_HEAD = "# 导入记录（regbook import 据此辨认手工修改，请勿改动）: "
_RECORD_RE = re.compile(r"^# 导入记录[^:：]*[:：]\s*(.*?)\s*$")
_RECORD_ITEM_RE = re.compile(r"(\S+?)=([0-9a-f]{8,64})(?=\s|$)")
_BOM = "\ufeff"
_KEEP_OR_TAKE = "请二选一后重新导入：保留本文件的值，加 --keep-edits；采用来源的值，加 --use-source（或把本文件改成来源的值）"


# --- fingerprints and the record -------------------------------------------------------------


def fingerprint(value: Any) -> str:
    """8 hex digits of SHA-256 over a value (a field's or the body's) as canonical JSON, dates tagged."""
    raw = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_tagged)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8]


def _tagged(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return {"date": value.isoformat()}
    raise TypeError(type(value).__name__)


def record_of(data: dict[str, Any], body: str) -> dict[str, str]:
    """The record of a draft: a fingerprint per field, then the body's."""
    return {key: fingerprint(value) for key, value in data.items()} | {BODY: fingerprint(body)}


def record_line(record: dict[str, str]) -> str:
    return RECORD_HEAD + " ".join(f"{key}={value}" for key, value in record.items())


def parse_record(line: str) -> dict[str, str] | None:
    """The record on a front matter line, or ``None`` when the line is not a record."""
    m = _RECORD_RE.match(line)
    return dict(_RECORD_ITEM_RE.findall(m[1])) if m else None


@dataclass
class Parts:
    """A regulation file's text cut where the merge needs it."""

    front: list[str]
    """The lines between the fences, without the record line."""
    record: dict[str, str] | None
    close: str
    body: str
    """The text after the closing fence, without the one blank line the importer puts there."""
    blank: bool
    """Whether that blank line was there."""

    def text(self, record: dict[str, str] | None) -> str:
        lines = ["---", *self.front, *([record_line(record)] if record is not None else []), self.close]
        return "\n".join(lines) + "\n" + ("\n" if self.blank else "") + self.body


def split(text: str) -> Parts | None:
    """Cut a file's (LF) text into ``Parts``; ``None`` without a front matter block."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None
    front, record = [], None
    for line in lines[1:end]:
        found = parse_record(line)
        if found is None:
            front.append(line)
        else:
            record = found
    body = "\n".join(lines[end + 1 :])
    blank = body.startswith("\n")
    return Parts(front, record, lines[end], body[1:] if blank else body, blank)


def record_in(text: str) -> dict[str, str] | None:
    parts = split(text)
    return parts.record if parts else None


# --- new files ---------------------------------------------------------------------------------


_RESOLVER = YAML(typ="rt").resolver
_PLAIN_BAD_START = tuple("-?:,[]{}#&*!|>'\"%@`")
_YAML_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def _scalar(value: Any) -> str:
    """One YAML scalar: dates as ISO dates, text plain when YAML reads it back as the same
    text, else double-quoted (JSON escapes are valid YAML; unprintable characters escaped)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, SingleQuotedScalarString):  # as the guide writes 主题分类: '国防\人民防空'
        return "'" + value.replace("'", "''") + "'"
    text = str(value)
    plain = (
        text
        and text == text.strip()
        and not text.startswith(_PLAIN_BAD_START)
        and not re.search(r": |:$| #|[\x00-\x1f\x7f\x85\u2028\u2029\ufeff]", text)
        and _RESOLVER.resolve(ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    )
    if plain:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: "\\u%04x" % ord(m[0]) if ord(m[0]) < 0x10000 else "\\U%08x" % ord(m[0]), quoted)


def render(data: dict[str, Any], body: str, record: bool = True) -> str:
    """A new file: front matter (the layout ruamel.yaml writes), the import record (unless
    ``record`` is false: a file an editor's command drafted), the body."""
    out = ["---"]
    for key, value in data.items():
        if isinstance(value, list):
            out.append(f"{key}:")
            for item in value:
                for n, (k, v) in enumerate(item.items()):
                    out.append(f"{'  - ' if n == 0 else '    '}{k}: {_scalar(v)}")
        else:
            out.append(f"{key}: {_scalar(value)}")
    out += [*([record_line(record_of(data, body))] if record else []), "---", "", body]
    return "\n".join(out)


def read_text(path: Path) -> tuple[str, tuple[bool, bool]]:
    """A file's text with LF line endings and no BOM, and (had a BOM, had CRLF) to write it back."""
    text = path.read_bytes().decode("utf-8")
    style = (text.startswith(_BOM), "\r\n" in text)
    return text.removeprefix(_BOM).replace("\r\n", "\n"), style


def write_atomic(path: Path, text: str, style: tuple[bool, bool] = (False, False)) -> None:
    """Write through a temporary file in the same folder, then rename: never half a file."""
    bom, crlf = style
    text = (_BOM if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- changing existing files -------------------------------------------------------------------


class Unfaithful(Exception):
    """ruamel.yaml would not write a front matter back as it is; ``line`` is the file line."""

    def __init__(self, line: int, before: str, after: str):
        super().__init__(line)
        self.line, self.before, self.after = line, before, after

    @property
    def message(self) -> str:
        what = f"元数据第 {self.line} 行“{_cut(self.before)}”的写法在自动更新时无法原样保留"
        if self.after:
            return f"{what}：请把该行改写成“{_cut(self.after)}”后重新导入，或手工更新本文件"
        return f"{what}：请手工更新本文件"

    def problem(self, path: str) -> Problem:
        return Problem.error(path, self.line, self.message.replace("：请", "，本文件未改动：请", 1))


def _round_trip(front: list[str]) -> tuple[YAML, CommentedMap]:
    """The front matter loaded for round-trip editing, with the file's own indentation."""
    text = "\n".join(front) + "\n"
    _, indent, dash = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    if dash is None:
        yaml.indent(mapping=indent or 2, sequence=4, offset=2)
    else:
        yaml.indent(mapping=2, sequence=indent, offset=dash)
    yaml.representer.ignore_aliases = lambda data: True  # the same date twice is written twice
    node = yaml.load(text)
    if not isinstance(node, CommentedMap):
        raise Unfaithful(2, front[0] if front else "", "")
    again = _dump(yaml, node)
    if again != front:
        i = next((i for i, (a, b) in enumerate(zip(front, again)) if a != b), min(len(front), len(again)))
        raise Unfaithful(i + 2, front[i] if i < len(front) else "", again[i] if i < len(again) else "")
    return yaml, node


def _dump(yaml: YAML, node: CommentedMap) -> list[str]:
    buf = io.StringIO()
    yaml.dump(node, buf)
    return buf.getvalue().removesuffix("\n").split("\n")


def edit_front(front: list[str], changes: dict[str, Any], order: Sequence[str] = FIELDS) -> list[str]:
    """Set (value) or delete (``None``) top-level keys; every other line stays as it is. A new
    key goes after the nearest key that precedes it in ``order``. Raises ``Unfaithful``."""

    def change(node: CommentedMap) -> None:
        for key, value in changes.items():
            if value is None:
                node.pop(key, None)
            elif key in node:
                node[key] = value
            else:
                before = order[: list(order).index(key)] if key in order else order
                keys = list(node.keys())
                anchor = max((keys.index(k) for k in before if k in node), default=-1)
                node.insert(anchor + 1, key, value)

    return edit_front_with(front, change)


def edit_front_with(front: list[str], edit: Callable[[CommentedMap], None]) -> list[str]:
    """Run ``edit`` on the front matter loaded for round-trip editing (nested values too, e.g. a
    cleanup record's 决定); every line it does not change stays as it is. Raises ``Unfaithful``."""
    yaml, node = _round_trip(front)
    edit(node)
    return _dump(yaml, node)


def edit_fields(text: str, changes: dict[str, Any]) -> str | None:
    """``text`` with some fields changed (the version chain of an older version), its record
    (if any) updated for them; ``None`` without a front matter block. Raises ``Unfaithful``."""
    parts = split(text)
    if parts is None:
        return None
    parts.front = edit_front(parts.front, changes)
    record = parts.record
    if record is not None:
        record = dict(record)
        for key, value in changes.items():
            if value is None:
                record.pop(key, None)
            else:
                record[key] = fingerprint(value)
        order = [*FIELDS, *record]
        record = {k: record[k] for k in sorted(record, key=lambda k: (k == BODY, order.index(k)))}
    return parts.text(record)


# --- merging a re-import -------------------------------------------------------------------------


@dataclass
class Merged:
    """The outcome of merging a draft into an existing file."""

    text: str | None
    """The new text (maybe unchanged); ``None``: leave the file alone (see ``problems``)."""
    problems: list[Problem] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Fields (and 正文) where the editor's value stays although the source differs."""
    taken: list[str] = field(default_factory=list)
    """Fields (and 正文) updated from the source."""


_NO_BASE = "no base"


def merge(path: str, text: str, data: dict[str, Any], body: str, resolve: str | None = None) -> Merged:
    """Merge a draft (``data``, ``body``) into a file's text; see the module docstring."""
    parts = split(text)
    doc, problems = frontmatter.split(path, text)
    if parts is None or doc is None:
        why = problems[0].message if problems else "没有元数据块"
        return Merged(None, [Problem.error(path, problems[0].line if problems else 1, f"无法读取元数据，本文件未改动：{why}")])
    base = parts.record
    mine = {key: fingerprint(value) for key, value in doc.data.items()} | {BODY: fingerprint(parts.body)}
    theirs = record_of(data, body)
    keys = [k for k in (*FIELDS, *data, *(base or {})) if k != BODY]
    out = Merged(None)
    for key in [*dict.fromkeys(keys), BODY]:
        m, t = mine.get(key), theirs.get(key)
        if m == t:
            continue
        b = base.get(key) if base is not None else _NO_BASE
        if m == b:
            out.taken.append(key)
        elif t == b or resolve == "edits":
            out.kept.append(key)
        elif resolve == "source":
            out.taken.append(key)
        elif key == BODY:
            out.problems.append(_body_conflict(path, doc.body_line + (1 if parts.blank else 0), parts.body, body, base))
        else:
            out.problems.append(_field_conflict(path, doc, key, data.get(key), base))
    if out.problems:
        return out
    changes = {key: data.get(key) for key in out.taken if key != BODY}
    if changes:
        try:
            parts.front = edit_front(parts.front, changes)
        except (Unfaithful, YAMLError) as exc:
            problem = exc.problem(path) if isinstance(exc, Unfaithful) else Problem.error(path, 1, "元数据无法自动更新，本文件未改动：请手工更新本文件")
            return Merged(None, [problem])
    if BODY in out.taken:
        parts.body, parts.blank = body, True
    out.text = parts.text(theirs)
    return out


def _field_conflict(path: str, doc: frontmatter.Document, key: str, new: Any, base: dict[str, str] | None) -> Problem:
    gone = "没有" if base is None else "已删去"
    here = f"本文件为{_shown(doc.data[key])}" if key in doc.data else f"本文件{gone}该字段"
    there = f"来源为{_shown(new)}" if new is not None else f"来源中{gone}该字段"
    if base is None:
        why = f"导入冲突：“{key}”{here}，{there}；本文件没有导入记录（手工建立或由旧版导入），无法判断哪一方修改过"
    else:
        why = f"导入冲突：“{key}”编辑已修改（{here}），来源也已改动（{there}）"
    return Problem.error(path, doc.line(key), f"{why}。本文件未改动，{_KEEP_OR_TAKE}")


def _body_conflict(path: str, first_line: int, mine: str, theirs: str, base: dict[str, str] | None) -> Problem:
    a, b = mine.split("\n"), theirs.split("\n")
    op = next(op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal")
    here = a[op[1]] if op[1] < len(a) and op[0] != "insert" else "（无此行）"
    there = b[op[3]] if op[3] < len(b) and op[0] != "delete" else "（无此行）"
    who = "本文件没有导入记录（手工建立或由旧版导入），正文与来源不同" if base is None else "正文编辑已修改，来源的正文也已改动"
    return Problem.error(
        path,
        first_line + op[1],
        f"导入冲突：{who}；第一处不同：本文件为“{_cut(here)}”，来源为“{_cut(there)}”。本文件未改动，{_KEEP_OR_TAKE}",
    )


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        items = [" ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item) for item in value]
        return f"{len(value)} 项（{_cut('；'.join(items))}）"
    return f"“{_cut(str(value))}”"


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
