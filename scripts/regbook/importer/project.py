"""The project side of an import: which file a draft goes to, version chains, the run's report.

A draft goes to the file with its id; a file of the same title and 公布日期 under another id is
the same version: merged into when it carries an import record (it was imported, maybe under an
id chosen with ``--id``), else left alone with a warning (a hand-made file). Writing and merging
are ``regbook.importer.writing``'s.

Version chains: the versions of one 标题 are told apart by 版本 (``group_labels``); the newest
(by 公布日期) is current, and every older one, plus any 已修改 file whose 现行版本 points into
the chain (an older version filed under another 标题), gets 时效性 已修改 and 现行版本 = the
newest. 已废止 and 已失效 versions are left as they are.

Hostile or broken input never stops a run: each source is read on its own (``read_source``
bounds what it reads and turns every failure into a problem naming the file), a folder is walked
without following links out of it (``collect_sources``), a generated file larger than
``frontmatter.MAX_BYTES`` is not written, and anything unexpected while importing one source
becomes that source's error; the other sources are still imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ruamel.yaml.error import YAMLError

from regbook import clock, frontmatter
from regbook.importer import writing
from regbook.importer.drafting import Draft, group_labels, level_choices, level_for, os_reason, read_source
from regbook.model import ID_RE, Status
from regbook.problems import Problem

SOURCE_SUFFIXES = (".md", ".txt", ".docx")
RESOLVE_CHOICES = ("edits", "source")
"""``resolve``: on a conflict keep the editor's values, or take the source's."""


@dataclass
class Existing:
    """What the importer needs to know about a regulation file already in the project."""

    id: str
    title: str
    published: dt.date | None
    status: str
    label: str | None
    path: Path
    effective: dt.date | None = None
    current: str | None = None
    """现行版本."""
    record: dict[str, str] | None = None
    """The import record (``None``: a hand-made file, or one imported before records existed)."""


@dataclass
class Report:
    """What an import did: counts, per-file outcome lines, problems and fallbacks."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    """Project files left alone: edited where the source changed too (or not safely editable)."""
    problems: list[Problem] = field(default_factory=list)
    fallbacks: Counter[str] = field(default_factory=Counter)
    files_with_fallback: int = 0
    problems_shown: bool = False
    """Set once ``on_file`` has been handed each file's problems (the CLI printed them)."""

    @property
    def failed(self) -> int:
        """Sources (or arguments) with an error; conflicts are counted apart."""
        return len({p.path for p in self.problems if p.is_error} - set(self.conflicts))


def shown(path: Path | str) -> str:
    """A file name as messages show it: bytes that are not UTF-8 as ``\\xff``, and control or
    invisible characters (a newline, a right-to-left override) escaped, so every message stays
    one ``path:line: …`` line that says which file is meant."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c).startswith("C") or c in "\u2028\u2029" else c
        for c in text
    )


def _is_source(name: str) -> bool:
    return Path(name).suffix.lower() in SOURCE_SUFFIXES and not name.startswith((".", "~$"))


def collect_sources(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given, folders expanded (sorted) to their .md/.txt/.docx files, and problems.

    A file given by name is read even through a link (an editor's own choice). Inside a folder,
    links are never followed out of it: a linked folder is not entered (a warning; this also
    makes link loops harmless), a linked file is read only when it points inside the folder,
    and a broken link or one pointing outside is an error. A subfolder that cannot be listed is
    an error; the rest of the folder is still imported.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        try:
            folder = p.is_dir()
        except (OSError, ValueError):
            folder = False  # read_source explains it
        if folder:
            found, trouble = _walk(p)
            files += found
            problems += trouble
        else:
            files.append(p)
    return files, problems


def _walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The sources under ``folder`` (iteratively: any depth), see ``collect_sources``."""
    top = folder.resolve()
    found: list[Path] = []
    problems: list[Problem] = []
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem.error(shown(here), 1, f"无法读取文件夹：{os_reason(exc)}，其中的文件未导入"))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                if path.is_dir():
                    if not entry.name.startswith("."):
                        problems.append(
                            Problem.warning(
                                shown(path),
                                1,
                                "是指向文件夹的链接，未进入：导入文件夹时不跟随文件夹链接；需要时请把链接指向的文件夹直接作为来源",
                            )
                        )
                elif _is_source(entry.name):
                    problem = _outside(path, top)
                    if problem is None:
                        found.append(path)
                    else:
                        problems.append(problem)
            elif entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif _is_source(entry.name):
                found.append(path)
    return sorted(found), problems


def _outside(link: Path, top: Path) -> Problem | None:
    """A problem when the linked file ``link`` is broken or points outside the folder ``top``."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return Problem.error(shown(link), 1, "是失效的链接（指向的文件不存在，或链接成环），未读取")
    if target.is_relative_to(top):
        return None
    return Problem.error(
        shown(link),
        1,
        f"是指向所给文件夹之外（{shown(target)}）的链接，未读取：导入文件夹时不读取文件夹之外的文件；"
        "确需导入请直接指定该文件",
    )


def find_sources(paths: Iterable[Path]) -> Iterator[Path]:
    """The files ``collect_sources`` finds (without its problems)."""
    yield from collect_sources(paths)[0]


class Importer:
    """Writes drafts into a project, keeping ids unique and version chains right."""

    def __init__(self, root: Path, out: Path | None = None, today: dt.date | None = None, resolve: str | None = None):
        self.root = root.resolve()
        self.regs = self.root / "regulations"
        self.out = out.resolve() if out else None
        self.today = today or clock.today()
        self.resolve = resolve
        self.by_id: dict[str, Existing] = {}
        self.by_title: dict[str, list[Existing]] = {}
        self.written_from: dict[str, str] = {}
        if self.regs.is_dir():
            for path in sorted(self.regs.rglob("*.md")):
                if (item := _load(path)) is not None:
                    self._remember(item)

    def _remember(self, item: Existing) -> None:
        old = self.by_id.get(item.id)
        if old is not None:
            self.by_title[old.title] = [e for e in self.by_title.get(old.title, []) if e.id != item.id]
        self.by_id[item.id] = item
        self.by_title.setdefault(item.title, []).append(item)

    def target(self, draft: Draft) -> Path:
        if draft.id in self.by_id:
            return self.by_id[draft.id].path
        base = self.out or (self.regs / draft.level.slug)
        return base / f"{draft.id}.md"

    def place(self, draft: Draft, report: Report, chosen: bool = False) -> str:
        """Write or merge one draft (``chosen``: its id came from ``--id``); returns a short
        Chinese outcome for the per-file line."""
        existing = self.by_id.get(draft.id)
        if existing is not None and not _same_work(existing, draft):
            if chosen:
                report.problems.append(
                    Problem.error(
                        draft.source,
                        1,
                        f"--id {draft.id} 已被 {_rel(existing.path, self.root)}（标题“{existing.title}”）使用：请换一个 id",
                    )
                )
                return "错误"
            # Same pinyin and date, different title: disambiguate deterministically.
            digest = hashlib.sha1(draft.title.encode("utf-8")).hexdigest()[:6]
            draft.id = draft.data["id"] = f"{draft.id}-{digest}"
            existing = self.by_id.get(draft.id)
        if draft.id in self.written_from and self.written_from[draft.id] != draft.source:
            report.skipped.append(draft.source)
            report.problems.append(
                Problem.warning(draft.source, 1, f"与本次导入的 {self.written_from[draft.id]} 是同一文件（标题和公布日期相同），已跳过")
            )
            return "跳过（重复）"
        siblings = [e for e in self.by_title.get(draft.title, []) if e.id != draft.id]
        same = [e for e in siblings if e.published == draft.published]
        if same and same[0].record is not None and not chosen:
            # This version was imported before under another id (chosen with --id): merge into it.
            draft.id = draft.data["id"] = same[0].id
            existing = same[0]
            siblings = [e for e in siblings if e.id != draft.id]
            same = [e for e in siblings if e.published == draft.published]
        if same:
            report.skipped.append(draft.source)
            report.problems.append(
                Problem.warning(
                    draft.source,
                    1,
                    f"项目中已有同一版本（标题和公布日期相同）：{_rel(same[0].path, self.root)}（id {same[0].id}），未导入",
                )
            )
            return "跳过（已存在）"
        # Version labels: unamended versions get one only when siblings exist; never twice the same.
        own = (existing.label if existing is not None else None) or draft.data.get("版本")  # re-import keeps it
        labels = group_labels({e.id: (e.published, e.label) for e in siblings} | {draft.id: (draft.published, own)})
        if draft.id in labels:
            after = "施行日期" if "施行日期" in draft.data else "公布日期"
            draft.data = _with(draft.data, "版本", labels[draft.id], after=after)
        # Which version is current: the newest 公布日期 of the title.
        ended = (Status.REPEALED.value, Status.EXPIRED.value)
        versions = [(e.published or dt.date.min, e.id) for e in siblings if e.status not in ended]
        newest = max(versions + [(draft.published, draft.id)])
        if newest[1] != draft.id:
            draft.data = _with(draft.data, "时效性", Status.AMENDED.value)
            draft.data = _with(draft.data, "现行版本", newest[1], after="时效性")
        outcome, written = self._write(draft, report)
        if not written:
            return outcome
        self.written_from[draft.id] = draft.source
        # The other versions: older ones point to the newest; every one gets a label.
        older: dict[str, Existing] = {}
        if newest[1] == draft.id:
            older = {e.id: e for e in siblings if e.status not in ended}
            grown = True
            while grown:  # 已修改 files pointing into the chain from another title move too
                followers = [
                    e
                    for e in self.by_id.values()
                    if e.id not in older and e.id != draft.id and e.status == Status.AMENDED.value and e.current in older
                ]
                older.update((e.id, e) for e in followers)
                grown = bool(followers)
        for e in {e.id: e for e in [*siblings, *older.values()]}.values():
            changes: dict[str, Any] = {}
            if e.id in older:
                if e.status != Status.AMENDED.value:
                    changes["时效性"] = Status.AMENDED.value
                if e.current != draft.id:
                    changes["现行版本"] = draft.id
            if e.id in labels and labels[e.id] != e.label:
                changes["版本"] = labels[e.id]
            if changes and self._edit(e, changes, report) and "时效性" in changes:
                outcome += f"；{e.id} 标为已修改"
        return outcome

    def _write(self, draft: Draft, report: Report) -> tuple[str, bool]:
        """Create the draft's file, or merge the draft into it: (outcome, False when left alone)."""
        path = self.target(draft)
        rel = _rel(path, self.root)
        try:
            if not path.exists():
                text = writing.render(draft.data, draft.body)
                if (problem := _too_large(draft.source, rel, text)) is not None:
                    report.problems.append(problem)
                    return "错误", False
                writing.write_atomic(path, text)
                report.created.append(draft.source)
                outcome = f"已新建 {rel}"
            else:
                try:
                    old, style = writing.read_text(path)
                except (OSError, UnicodeDecodeError) as exc:
                    report.problems.append(_unreadable(rel, exc))
                    report.conflicts.append(rel)
                    return f"无法读取，未改动 {rel}", False
                merged = writing.merge(rel, old, draft.data, draft.body, self.resolve)
                if merged.text is None:
                    report.problems.extend(merged.problems)
                    report.conflicts.append(rel)
                    return f"冲突，未改动 {rel}", False
                if merged.text == old:
                    report.unchanged.append(draft.source)
                    outcome = f"未变 {rel}"
                else:
                    if (problem := _too_large(draft.source, rel, merged.text)) is not None:
                        report.problems.append(problem)
                        return "错误", False
                    writing.write_atomic(path, merged.text, style)
                    report.updated.append(draft.source)
                    outcome = f"已更新 {rel}"
                if merged.kept:
                    outcome += f"（保留编辑的修改：{'、'.join(merged.kept)}）"
        except OSError as exc:
            report.problems.append(Problem.error(draft.source, 1, f"无法写入 {rel}：{os_reason(exc)}；请检查该文件夹的权限和磁盘空间"))
            return "错误", False
        if (item := _load(path)) is not None:
            self._remember(item)
        return outcome, True

    def _edit(self, e: Existing, changes: dict[str, Any], report: Report) -> bool:
        rel = _rel(e.path, self.root)
        try:
            text, style = writing.read_text(e.path)
        except (OSError, UnicodeDecodeError) as exc:
            report.problems.append(_unreadable(rel, exc))
            return False
        why = "无法读取元数据"
        try:
            new = writing.edit_fields(text, changes)
        except writing.Unfaithful as exc:
            new, why = None, exc.message
        except YAMLError:
            new = None
        if new is None:
            wanted = "，".join(f"{k}: {v}" for k, v in changes.items())
            report.problems.append(Problem.warning(rel, 1, f"{why}，未能自动更新本文件：请手工填写 {wanted}"))
            return False
        if new != text:
            try:
                writing.write_atomic(e.path, new, style)
            except OSError as exc:
                wanted = "，".join(f"{k}: {v}" for k, v in changes.items())
                report.problems.append(Problem.warning(rel, 1, f"无法写入（{os_reason(exc)}），未能自动更新本文件：请手工填写 {wanted}"))
                return False
            report.marked.append(rel)
        if (item := _load(e.path)) is not None:
            self._remember(item)
        return True


def _too_large(source: str, rel: str, text: str) -> Problem | None:
    """An error naming the source when the file to write is larger than ``regbook check`` reads."""
    size = len(text.encode("utf-8"))
    if size <= frontmatter.MAX_BYTES:
        return None
    return Problem.error(
        source,
        1,
        f"生成的法规文件 {rel} 将有 {size:,} 字节，超过上限 {frontmatter.MAX_BYTES:,} 字节"
        f"（{frontmatter.MAX_BYTES // 1024 // 1024} MB，regbook check 能读取的大小），未写入；"
        "请检查来源是否有重复粘贴的内容，过长的文件请拆分后分别导入",
    )


def _unreadable(rel: str, exc: OSError | UnicodeDecodeError) -> Problem:
    """An existing project file the import cannot read back: left alone."""
    why = "不是 UTF-8 编码" if isinstance(exc, UnicodeDecodeError) else os_reason(exc)
    return Problem.error(rel, 1, f"无法读取本文件（{why}），未改动：请修复本文件后重新导入")


def _same_work(existing: Existing, draft: Draft) -> bool:
    """The file is this draft's document: same 标题, or the 标题 its import record names."""
    if existing.title == draft.title:
        return True
    return existing.record is not None and existing.record.get("标题") == writing.fingerprint(draft.data["标题"])


def _with(data: dict[str, Any], key: str, value: Any, after: str | None = None) -> dict[str, Any]:
    """A copy of ``data`` with ``key`` set, inserted after ``after`` when new."""
    if key in data or after is None or after not in data:
        return {**data, key: value}
    out: dict[str, Any] = {}
    for k, v in data.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


def _load(path: Path) -> Existing | None:
    """A project file as ``Existing``; ``None`` when it has no readable id (or cannot be read:
    ``regbook check`` reports such files)."""
    from regbook.corpus import parse_date
    from regbook.importer.drafting import read_bounded

    raw, _ = read_bounded(path, str(path), frontmatter.MAX_BYTES)
    if raw is None:
        return None
    doc, _ = frontmatter.read(str(path), raw)
    if doc is None or not isinstance(doc.data.get("id"), str):
        return None
    data = doc.data
    label, current = data.get("版本"), data.get("现行版本")
    return Existing(
        id=str(data["id"]),
        title=str(data.get("标题", "")).strip(),
        published=parse_date(data.get("公布日期")),
        status=str(data.get("时效性", "")).strip(),
        label=str(label) if label else None,
        path=path,
        effective=parse_date(data.get("施行日期")),
        current=str(current) if current else None,
        record=writing.record_in(raw.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")),
    )


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def import_sources(
    root: Path,
    sources: list[Path],
    *,
    level: str | None = None,
    out: Path | None = None,
    fallback_date: dt.date | None = None,
    today: dt.date | None = None,
    chosen_id: str | None = None,
    resolve: str | None = None,
    on_file: Callable[[int, int, str, str, list[Problem]], None] | None = None,
) -> Report:
    """Import every source into the project at ``root``; bad sources become problems.

    ``chosen_id`` (``--id``) names the document of a single source; ``resolve`` (``"edits"`` or
    ``"source"``) settles conflicts between an editor's and the source's changes. ``on_file(i, n,
    source, outcome, problems)`` is called after each file with that file's problems (for
    progress display); the report still collects every problem.
    """
    report = Report()
    root = root.resolve()
    if out is not None:
        out = (root / out).resolve() if not out.is_absolute() else out.resolve()
        if not out.is_relative_to(root / "regulations"):
            report.problems.append(Problem.error(str(out), 1, "--out 应位于项目的 regulations/ 目录下，否则检查和建站都看不到导入的文件"))
            return report
    if level is not None and level_for(Path("."), level) is None:
        report.problems.append(
            Problem.error("--level", 1, f"未知的效力位阶“{level}”：应为 {level_choices()} 之一（或来源文件夹名，如 行政法、部门规章）")
        )
        return report
    if chosen_id is not None and not ID_RE.match(chosen_id):
        report.problems.append(
            Problem.error("--id", 1, f"id 应由小写字母、数字和连字符组成（如 renmin-fangkong-fa），实际为“{chosen_id}”")
        )
        return report
    assert resolve in (None, *RESOLVE_CHOICES), resolve
    files, walk_problems = collect_sources(sources)
    report.problems += walk_problems
    if chosen_id is not None and len(files) != 1:
        counted = f"本次有 {len(files)} 个来源文件" if files else "没有找到来源文件"
        report.problems.append(Problem.error("--id", 1, f"--id 只能用于单个来源文件：{counted}；请一次导入一个文件"))
        return report
    importer = Importer(root, out, today, resolve)
    if not files and not walk_problems:
        names = "、".join(shown(s) for s in sources) or "（未指定）"
        report.problems.append(Problem.warning(names, 1, "没有找到可导入的文件（.md、.txt、.docx）"))
    for i, path in enumerate(files, 1):
        display = shown(path)
        seen = 0 if i == 1 else len(report.problems)  # the first file's line also shows the folders' problems
        try:
            outcome = _import_one(importer, report, path, display, level, fallback_date, chosen_id)
        except Exception as exc:  # one source must never stop the others: this is its error
            report.problems.append(
                Problem.error(
                    display,
                    1,
                    f"导入此文件时出现意外错误（{type(exc).__name__}: {shown(str(exc))[:200]}），已跳过；"
                    "请把该文件和这条消息报告给维护者",
                )
            )
            outcome = "错误"
        if on_file:
            on_file(i, len(files), display, outcome, report.problems[seen:])
            report.problems_shown = True
    return report


def _import_one(
    importer: Importer,
    report: Report,
    path: Path,
    display: str,
    level: str | None,
    fallback_date: dt.date | None,
    chosen_id: str | None,
) -> str:
    """Read one source and place it; its problems go to ``report``. Returns the outcome."""
    draft, problems = read_source(path, display, level_for(path, level), fallback_date, importer.today)
    if draft is None:
        report.problems.extend(problems)
        return "错误"
    if draft.fallbacks:
        report.files_with_fallback += 1
        report.fallbacks.update(draft.fallbacks)
    if chosen_id is not None:
        draft.id = draft.data["id"] = chosen_id
    return importer.place(draft, report, chosen=chosen_id is not None)
