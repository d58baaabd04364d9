"""Nothing lost: content that existed at a git revision is still there, under the same id.

Documents are abolished (时效性 → 已废止, with 依据), never deleted: their pages are cited
and linked from elsewhere. A regulation may move (its URL depends on its id, not its folder),
but an id that existed at the revision must still exist. Disclosure items have no id; their
索引号 plays that part. Cleanup records and disclosure items are published at their file's
path, so they may not move either.

Every way a published id can disappear counts: a regulation stored under any file name
(``index.md`` included) is tracked; an id stays with its kind of document, so a cleanup record
(or a regulation, a disclosure item) taking over the id of a deleted document is an error, not a
move; a published file replaced by a symlink is never read (the loader reports the link).
Hand-written pages cannot take a regulation's address (``docs/regulations/`` is refused by
``regbook.corpus``), and ids are unique across regulations and cleanup records
(``rules.uniqueness``).

This rule needs git, so it is not in ``RULES``: ``guard`` runs it for ``regbook check`` and
``regbook build``. By default they compare with the main branch's merge-base (``origin/main``,
else ``main``; on main itself that is HEAD, so uncommitted deletions are caught); without git
history they skip it with one notice; ``--since REF`` names the revision, ``--since none``
turns the guard off.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from regbook import frontmatter
from regbook.corpus import CLEANUP_DIR, DISCLOSURE_DIR, REGULATIONS_DIR, Corpus, read_regular
from regbook.problems import Problem

FOLDERS = (REGULATIONS_DIR, CLEANUP_DIR, DISCLOSURE_DIR)
MAIN_BRANCHES = ("origin/main", "main")
"""Where published content lives, in the order the default guard looks for it."""
OFF = "none"
"""``--since none``: no deletion guard."""


_REGULAR = (b"100644", b"100755")
"""Git modes of regular files (a committed symlink, mode 120000, is never content)."""
REGULATION, CLEANUP, DISCLOSURE = "法规", "清理记录", "政府信息公开内容"


def _kind(path: str) -> str | None:
    """What a content file at ``path`` is: every ``.md`` below ``regulations/`` is a regulation
    (``index.md`` too); below ``docs/cleanup/`` and ``docs/disclosure/``, ``index.md`` is a page."""
    if path.startswith(REGULATIONS_DIR + "/"):
        return REGULATION
    if path.endswith("/index.md"):
        return None
    if path.startswith(CLEANUP_DIR + "/"):
        return CLEANUP
    if path.startswith(DISCLOSURE_DIR + "/"):
        return DISCLOSURE
    return None


class HistoryError(Exception):
    """The revision cannot be read (not a git checkout, unknown revision): a usage error."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise HistoryError(f"无法运行 git：{exc.strerror}") from exc
    if done.returncode != 0:
        raise HistoryError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return done.stdout


def files_at(root: Path, ref: str) -> dict[str, bytes]:
    """Content files (path → bytes) at ``ref``, read with two git processes whatever their number."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except HistoryError as exc:
        raise HistoryError(f"找不到 git 版本“{ref}”：请写分支名、标签或提交号（如 origin/main）") from exc
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", ref, "--", *(prefix + f for f in FOLDERS))
    entries: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha = meta.split()[:3]
        path = name.decode("utf-8", "surrogateescape").removeprefix(prefix)
        if kind == b"blob" and mode in _REGULAR and path.endswith(".md") and _kind(path) is not None:
            entries.append((path, sha.decode()))
    if not entries:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in entries).encode())
    files: dict[str, bytes] = {}
    pos = 0
    for path, _ in entries:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        files[path] = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return files


def _identity(path: str, raw: bytes) -> str | None:
    """The id (regulations, cleanup records) or 索引号 (disclosure items) of a file's text."""
    doc, _ = frontmatter.read(path, raw)
    if doc is None:
        return None
    key = "索引号" if path.startswith(DISCLOSURE_DIR + "/") else "id"
    value = doc.data.get(key)
    return str(value).strip() if isinstance(value, (str, int)) else None


def _key(path: str) -> str:
    return "索引号" if path.startswith(DISCLOSURE_DIR + "/") else "id"


def _published(corpus: Corpus) -> dict[str, dict[str, tuple[str, int]]]:
    """Per kind of document, its ids (索引号 for disclosure items) now: value → (path, line)."""
    ids: dict[str, dict[str, tuple[str, int]]] = {REGULATION: {}, CLEANUP: {}, DISCLOSURE: {}}
    for r in corpus.regulations:
        ids[REGULATION].setdefault(r.id, (r.path, r.line_of("id")))
    for c in corpus.cleanups:
        ids[CLEANUP].setdefault(c.id, (c.path, c.line_of("id")))
    for d in corpus.disclosures:
        ids[DISCLOSURE].setdefault(d.index_no, (d.path, d.line_of("索引号")))
    return ids


def nothing_lost(corpus: Corpus, ref: str, label: str | None = None) -> list[Problem]:
    """Errors for every id (索引号) present at ``ref`` that the working tree no longer has.

    An id stays with its kind of document: a regulation's id must still be a regulation's (under
    any file name, ``index.md`` included), a cleanup record's a cleanup record's at the same path;
    another kind of document taking it over is an error. ``label`` names the revision in the
    messages (default: ``ref`` itself).
    """
    root, label = corpus.root, label or ref
    now = _published(corpus)
    problems: list[Problem] = []
    for path, raw in sorted(files_at(root, ref).items()):
        old, kind = _identity(path, raw), _kind(path)
        if old is None or kind is None:
            continue
        key = _key(path)
        if old in now[kind] or old in corpus.unloaded:
            moved_to, line = now[kind].get(old, (path, 1))
            if moved_to != path and kind != REGULATION:
                problems.append(
                    Problem.error(
                        moved_to,
                        line,
                        f"文件被移动或改名：{key}“{old}”在 {label} 中是 {path}，现在是 {moved_to}。"
                        f"清理记录和政府信息公开内容的网址由文件位置决定，发布后不能移动或改名：请把文件移回 {path}",
                    )
                )
            continue
        taker = next(((other, *where) for other, found in now.items() if (where := found.get(old))), None)
        if taker is not None:
            other, taken_at, line = taker
            problems.append(
                Problem.error(
                    taken_at,
                    line,
                    f"{key}“{old}”在 {label} 中属于{kind} {path}，现在被{other} {taken_at} 使用：已发布文件的{key}"
                    f"不能转给别的文件。请恢复{kind} {path}（不再有效的文件改为“已废止”或“已失效”，不能删除），"
                    f"本文件另取{key}",
                )
            )
            continue
        current = root / path
        if not current.is_symlink() and current.is_file():  # a link is the loader's error, and is never read
            try:
                data = read_regular(current)
            except OSError:
                continue
            doc, _ = frontmatter.read(path, data)
            new = _identity(path, data)
            if doc is None or new == old:  # unreadable (the loader reports it) or the same, not loaded
                continue
            problems.append(
                Problem.error(
                    path,
                    doc.line(key),
                    f"{key} 被修改：在 {label} 中为“{old}”，现在为“{new or '（空）'}”。{key}是网址和引用的依据，发布后不能修改；"
                    f"请改回“{old}”（新文件请另建）",
                )
            )
        elif not current.is_symlink():
            problems.append(
                Problem.error(
                    path,
                    1,
                    f"文件被删除：{path}（{key}“{old}”）在 {label} 中存在，现在没有了。已发布的文件不能删除："
                    "不再有效的文件请保留文件，把时效性改为“已废止”或“已失效”并填写依据和日期（见编辑指南）",
                )
            )
    return problems


@dataclass(frozen=True)
class Base:
    """The revision the guard compares with: ``ref`` for git, ``label`` for messages."""

    ref: str
    label: str


def default_base(root: Path) -> Base | str:
    """The merge-base of HEAD and the main branch, or why there is none (a Chinese phrase).

    ``origin/main`` first (what is published), else ``main``. On main itself the merge-base is
    HEAD, so the working tree's uncommitted deletions are caught.
    """
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except HistoryError:
        return "项目目录没有 git 历史（不在 git 仓库中）"
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except HistoryError:
        return "git 仓库中还没有提交"
    for branch in MAIN_BRANCHES:
        try:
            _git(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}")
        except HistoryError:
            continue
        try:
            sha = _git(root, "merge-base", "HEAD", branch).decode().strip()
        except HistoryError:
            return f"当前提交与 {branch} 没有共同的历史"
        return Base(sha, f"{branch} 的提交 {sha[:7]}")
    return "git 仓库中没有 main 分支（origin/main 或 main）"


def guard(corpus: Corpus, since: str | None = None) -> tuple[list[Problem], str | None]:
    """The deletion guard as ``regbook check`` and ``regbook build`` run it: (problems, notice).

    ``since`` is ``None`` for the default (the main branch's merge-base; where there is no git
    history, no problems and a one-line Chinese notice saying the guard was skipped), ``"none"``
    for no guard, or a revision (an unknown one raises ``HistoryError``, a usage error).
    """
    if since is not None and since.strip().lower() == OFF:
        return [], None
    if since is not None:
        return nothing_lost(corpus, since), None
    base = default_base(corpus.root)
    if isinstance(base, str):
        notice = (
            f"提示：{base}，已跳过删除检查（已发布的文件是否被删除、改名，id 或索引号是否被修改）。"
            "可用 --since REF 指定比较的 git 版本，--since none 关闭此项检查"
        )
        return [], notice
    return nothing_lost(corpus, base.ref, base.label), None
