"""Version chains: one version of a work in force, and every 现行版本 link at the chain's end.

The versions of one work share a 标题 (``版本`` tells them apart). Decided here and documented
in the editors' guide (第三部分):

- at most one version of a work is 现行有效, and at most one is 尚未生效 (a revision that is
  published but not yet in force sits beside the version in force until its 施行日期); each
  older extra version is an error naming the newest, with the edit that makes it 已修改;
- 已修改 needs a 现行版本 that exists, and the link points at the **end** of the chain: when a
  newer version appears, every older file whose link now stops short is named, with the exact
  edit. An older version still marked 现行有效 beside a newer one counts as superseded by it,
  so both errors show at once;
- the links never form a cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import Regulation, Status
from regbook.problems import Problem

LIVE = (Status.CURRENT, Status.PENDING)
"""The statuses of which a work has at most one version each."""


def _newest_first(reg: Regulation) -> tuple[dt.date, str]:
    return reg.published, reg.id


def superseded(corpus: Corpus) -> dict[str, Regulation]:
    """Versions marked 现行有效 (尚未生效) beside a newer one of the same 标题 → that newest one."""
    works: dict[str, list[Regulation]] = {}
    for reg in corpus.regulations:
        if reg.id not in corpus.duplicate_ids:  # duplicates: see uniqueness
            works.setdefault(reg.title, []).append(reg)
    out: dict[str, Regulation] = {}
    for versions in works.values():
        numbers = [v.number for v in versions if v.number]
        versions = [v for v in versions if not v.number or numbers.count(v.number) == 1]  # copies: see uniqueness
        for status in LIVE:
            live = sorted((v for v in versions if v.status is status), key=_newest_first)
            out.update({old.id: live[-1] for old in live[:-1]})
    return out


def one_version_in_force(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """An older version still 现行有效 (尚未生效) beside a newer one of the same work."""
    for old_id, newest in superseded(corpus).items():
        old = corpus.by_id[old_id]
        status = old.status.value
        yield Problem.error(
            old.path,
            old.line_of("时效性"),
            f"标题为“{old.title}”的文件有两个“{status}”的版本：本文件（公布日期 {cn_date(old.published)}）和更新的 "
            f"{newest.path}（公布日期 {cn_date(newest.published)}）。本文件是旧版本：请把第 {old.line_of('时效性')} 行"
            f"“时效性: {status}”改为“时效性: 已修改”，并加上一行“现行版本: {newest.id}”",
        )


def amended_points_to_current(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """已修改 has a 现行版本; the link exists, ends the chain, and forms no cycle."""
    moved = superseded(corpus)
    for reg in corpus.regulations:
        if reg.status is Status.AMENDED and not reg.current_version:
            yield Problem.error(reg.path, reg.line_of("时效性"), "时效性为“已修改”的文件必须填写“现行版本”：修改后版本的 id")
        if not reg.current_version:
            continue
        target = corpus.regulation(reg.current_version)
        if target is None and reg.current_version in corpus.unloaded:
            continue
        if target is None:
            yield Problem.error(reg.path, reg.line_of("现行版本"), f"“现行版本”指向的文件“{reg.current_version}”不存在")
            continue
        yield from _chain_end(corpus, reg, target, moved)


def _chain_end(corpus: Corpus, reg: Regulation, target: Regulation, moved: dict[str, Regulation]) -> Iterator[Problem]:
    """Follow the chain from ``target``: a cycle, or an end other than ``target``, is an error."""
    seen = {reg.id}
    node = target
    while True:
        if node.id in seen:
            yield Problem.error(reg.path, reg.line_of("现行版本"), f"“现行版本”形成循环：{reg.id} → … → {node.id}")
            return
        seen.add(node.id)
        if node.current_version:
            following = corpus.regulation(node.current_version)
            if following is None:  # a broken link further on: reported on that file
                return
        elif (following := moved.get(node.id)) is None:
            break
        node = following
    if node is not target:
        line = reg.line_of("现行版本")
        yield Problem.error(
            reg.path,
            line,
            f"“现行版本”应指向最新版本：“{target.id}”已不是现行版本，最新版本是 {node.path}；"
            f"请把第 {line} 行“现行版本: {target.id}”改为“现行版本: {node.id}”",
        )


RULES = [one_version_in_force, amended_points_to_current]
