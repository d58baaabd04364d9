"""The compendium's outline (``regulations/汇编目录.yml``): the editor's order of documents.

A real 汇编 is ordered by an editor, not by a date sort: the basic law of the field first, national
documents before provincial ones. One order serves the site's catalog and the PDF book.

The file (optional) maps a 效力位阶 to the ids in the order they are printed; documents not listed
follow the listed ones in the default order. ``示例: 是`` marks an illustrative content set: the
book's cover and page headers then say 示例 (the real office writes ``示例: 否`` or deletes it)::

    示例: 是
    法律:
      - guofang-fa
      - guofang-dongyuan-fa

Default order within a 效力位阶 (``default_key``): the basic laws (``BASIC_LAWS``: 宪法, 国防法)
first, then national documents before local ones (by the first 制定机关: a local organ names a
province, city or county — ``is_local``), then by date (成文日期, else 公布日期) ascending, then id.

Parsing is pure (text in, ``Outline`` and ``Problem`` out, lines kept for the checker's messages);
``corpus.load`` reads the file, ``rules.outline`` checks its ids against the corpus.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from regbook.model import Level, Regulation
from regbook.problems import Problem

OUTLINE_PATH = "regulations/汇编目录.yml"
SAMPLE_KEY = "示例"
_YES = {"是": True, "否": False, True: True, False: False}

_YAML_ERROR = (
    "汇编目录在这一行附近写法不对（YAML 格式：缩进、“- ”或“:”的位置）：每个效力位阶顶格写“法律:”，"
    "其下每行缩进两格写“- 文件 id”；请对照 CONTRIBUTING.md“汇编目录”一节改正"
)
BASIC_LAWS = ("中华人民共和国宪法", "中华人民共和国国防法")
"""Titles printed first within their 效力位阶 when the outline does not say otherwise."""

_LOCAL_RE = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|县|自治县|旗|区)")
"""A local organ's name starts with its place: 吉林省…, 长春市…, 延边朝鲜族自治州…"""
_NATIONAL_PREFIXES = ("中华人民共和国", "全国", "国务院", "中央", "国家", "中共中央")


@dataclass(frozen=True)
class Item:
    """One id of the outline, with its file line."""

    id: str
    line: int


@dataclass
class Outline:
    """The editor's order per 效力位阶 and the sample mark (empty when there is no file)."""

    path: str = OUTLINE_PATH
    order: dict[Level, list[Item]] = field(default_factory=dict)
    sample: bool = False
    sample_line: int = 0
    present: bool = False

    @property
    def items(self) -> list[tuple[Level, Item]]:
        return [(level, item) for level, items in self.order.items() for item in items]

    def position(self, reg: Regulation) -> int | None:
        """The document's place in its 效力位阶's list (first listing), or ``None`` if not listed."""
        for i, item in enumerate(self.order.get(reg.level, ())):
            if item.id == reg.id:
                return i
        return None

    def sort_key(self) -> Callable[[Regulation], tuple[Any, ...]]:
        """The compendium order: 效力位阶, listed documents in their order, then the default order."""

        def key(reg: Regulation) -> tuple[Any, ...]:
            pos = self.position(reg)
            return (reg.level.rank, 0 if pos is not None else 1, pos or 0, *default_key(reg))

        return key

    def sorted(self, regs: list[Regulation]) -> list[Regulation]:
        return sorted(regs, key=self.sort_key())


def is_local(issuer: str) -> bool:
    """A provincial, city or county organ (吉林省人民政府, 长春市…); national organs are not."""
    first = re.split(r"[、，,\s]", issuer.strip(), maxsplit=1)[0]
    if first.startswith(_NATIONAL_PREFIXES):
        return False
    return bool(_LOCAL_RE.match(first))


def default_key(reg: Regulation) -> tuple[int, int, dt.date, str]:
    """Basic laws first, national before local, then oldest first, then id."""
    basic = BASIC_LAWS.index(reg.title) if reg.title in BASIC_LAWS else len(BASIC_LAWS)
    return (basic, 1 if is_local(reg.issuer) else 0, reg.sort_date, reg.id)


def parse(text: str, path: str = OUTLINE_PATH) -> tuple[Outline, list[Problem]]:
    """The outline file's text → ``Outline`` and the problems of its form (file:line)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    outline, problems = Outline(path=path, present=True), []
    levels = {level.value: level for level in Level}
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem.error(path, line, _YAML_ERROR))
        return outline, problems
    except YAMLError:
        problems.append(Problem.error(path, 1, _YAML_ERROR))
        return outline, problems
    if data is None:
        return outline, problems
    if not isinstance(data, CommentedMap):
        problems.append(Problem.error(path, 1, "汇编目录应当是“效力位阶: 文件 id 列表”的形式（如“法律:”下一行“  - guofang-fa”）"))
        return outline, problems
    for key in data:
        line = data.lc.key(key)[0] + 1
        value = data[key]
        if key == SAMPLE_KEY:
            if isinstance(value, (str, bool)) and value in _YES:
                outline.sample, outline.sample_line = _YES[value], line
            else:
                problems.append(Problem.error(path, line, f"“示例”只能写“是”或“否”，这里写的是“{value}”"))
            continue
        level = levels.get(str(key))
        if level is None:
            known = "、".join(levels)
            problems.append(
                Problem.error(path, line, f"“{key}”不是效力位阶：汇编目录只能按 {known} 分组列出文件（另可写“示例: 是/否”）")
            )
            continue
        if value is None:
            continue
        if not isinstance(value, CommentedSeq):
            problems.append(Problem.error(path, line, f"“{key}:”下应当逐行列出文件 id，每行以“- ”开头（如“  - guofang-fa”）"))
            continue
        items = outline.order.setdefault(level, [])
        for i, entry in enumerate(value):
            at = value.lc.item(i)[0] + 1
            if not isinstance(entry, str) or not entry.strip():
                problems.append(Problem.error(path, at, f"这一行应当是一个文件 id（如“guofang-fa”），这里写的是“{entry}”"))
                continue
            items.append(Item(entry.strip(), at))
    return outline, problems
