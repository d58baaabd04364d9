"""Nothing lost: content that existed at a git revision is still there, under the same id.

Documents are abolished (时效性 → 已废止, with 依据), never deleted: their pages are cited
and linked from elsewhere. A regulation may move (its URL depends on its id, not its folder),
but an id that existed at the revision must still exist. Disclosure items have no id; their
索引号 plays that part. Cleanup records and disclosure items are published at their file's
path, so they may not move either.

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
from regbook.corpus import CLEANUP_DIR, DISCLOSURE_DIR, REGULATIONS_DIR, Corpus
from regbook.problems import Problem

FOLDERS = (REGULATIONS_DIR, CLEANUP_DIR, DISCLOSURE_DIR)
MAIN_BRANCHES = ("origin/main", "main")
"""Where published content lives, in the order the default guard looks for it."""
OFF = "none"
"""``--since none``: no deletion guard."""


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
        kind, sha = meta.split()[1:3]
        path = name.decode("utf-8", "surrogateescape").removeprefix(prefix)
        if kind == b"blob" and path.endswith(".md") and not path.endswith("/index.md"):
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


def nothing_lost(corpus: Corpus, ref: str, label: str | None = None) -> list[Problem]:
    """Errors for every id (索引号) present at ``ref`` that the working tree no longer has.

    ``label`` names the revision in the messages (default: ``ref`` itself).
    """
    root, label = corpus.root, label or ref
    now: dict[str, tuple[str, int]] = {r.id: (r.path, r.line_of("id")) for r in corpus.regulations}
    now.update({c.id: (c.path, c.line_of("id")) for c in corpus.cleanups})
    now.update({d.index_no: (d.path, d.line_of("索引号")) for d in corpus.disclosures})
    problems: list[Problem] = []
    for path, raw in sorted(files_at(root, ref).items()):
        old = _identity(path, raw)
        if old is None:
            continue
        key = _key(path)
        if old in now or old in corpus.unloaded:
            moved_to, line = now.get(old, (path, 1))
            if moved_to != path and not path.startswith(REGULATIONS_DIR + "/"):
                problems.append(
                    Problem.error(
                        moved_to,
                        line,
                        f"文件被移动或改名：{key}“{old}”在 {label} 中是 {path}，现在是 {moved_to}。"
                        f"清理记录和政府信息公开内容的网址由文件位置决定，发布后不能移动或改名：请把文件移回 {path}",
                    )
                )
            continue
        current = root / path
        if current.is_file():
            doc, _ = frontmatter.read(path, current.read_bytes())
            new = _identity(path, current.read_bytes())
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
        else:
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
