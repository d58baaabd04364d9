"""Nothing lost: content that existed at a git revision is still there, under the same id.

Documents are abolished (时效性 → 已废止, with 依据), never deleted: their pages are cited
and linked from elsewhere. A file may move (its URL depends on its id, not its folder), but
an id that existed at the revision must still exist. Disclosure items have no id; their
索引号 plays that part.

This rule needs git, so it is not in ``RULES``: ``regbook check --since REF`` runs it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from regbook import frontmatter
from regbook.corpus import CLEANUP_DIR, DISCLOSURE_DIR, REGULATIONS_DIR, Corpus
from regbook.problems import Problem

FOLDERS = (REGULATIONS_DIR, CLEANUP_DIR, DISCLOSURE_DIR)


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


def nothing_lost(corpus: Corpus, ref: str) -> list[Problem]:
    """Errors for every id (索引号) present at ``ref`` that the working tree no longer has."""
    root = corpus.root
    now: dict[str, str] = {r.id: r.path for r in corpus.regulations}
    now.update({c.id: c.path for c in corpus.cleanups})
    now.update({d.index_no: d.path for d in corpus.disclosures})
    problems: list[Problem] = []
    for path, raw in sorted(files_at(root, ref).items()):
        old = _identity(path, raw)
        if old is None or old in now or old in corpus.unloaded:
            continue
        key = "索引号" if path.startswith(DISCLOSURE_DIR + "/") else "id"
        if (root / path).is_file():
            current = root / path
            doc, _ = frontmatter.read(path, current.read_bytes())
            line = doc.line(key) if doc else 1
            new = _identity(path, current.read_bytes()) or "（空）"
            problems.append(
                Problem.error(
                    path,
                    line,
                    f"{key} 被修改：在 {ref} 中为“{old}”，现在为“{new}”。{key}是网址和引用的依据，发布后不能修改；"
                    f"请改回“{old}”（新文件请另建）",
                )
            )
        else:
            problems.append(
                Problem.error(
                    path,
                    1,
                    f"文件被删除：{path}（{key}“{old}”）在 {ref} 中存在，现在没有了。已发布的文件不能删除："
                    "不再有效的文件请保留文件，把时效性改为“已废止”或“已失效”并填写依据和日期（见编辑指南）",
                )
            )
    return problems
