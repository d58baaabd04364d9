"""Version chains: 已修改 documents point to an existing current version, without cycles."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from regbook.corpus import Corpus
from regbook.model import Status
from regbook.problems import Problem


def amended_points_to_current(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
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
        seen = {reg.id}
        while target is not None and target.current_version:
            if target.id in seen:
                yield Problem.error(reg.path, reg.line_of("现行版本"), f"“现行版本”形成循环：{reg.id} → … → {target.id}")
                break
            seen.add(target.id)
            target = corpus.regulation(target.current_version)


RULES = [amended_points_to_current]
