"""Validation rules: small pure functions over a loaded corpus, one module per family.

Each rule takes a ``Corpus`` and the build date and yields ``Problem`` objects. ``check``
runs them all and returns every problem, loading problems included, sorted by file and line.

Families: ``fields`` (requirements per 效力位阶 / 时效性), ``dates``, ``numbers`` (发文字号),
``identifiers`` (no invisible characters), ``uniqueness``, ``cleanup`` (records ⇄ 时效性),
``versions`` (已修改 chains), ``validity``
(有效期), ``links`` (internal links and anchors), ``safety`` (HTML allowlist), ``disclosure``
(年报: deadline, table 三), ``classification`` (what is a 行政规范性文件; 题注 and 施行 clause
agree with the metadata), ``outline`` (the 汇编目录's ids). ``history`` (nothing deleted since a git revision) needs git: the
commands run it through ``history.guard``.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from regbook import clock
from regbook.corpus import Corpus
from regbook.problems import Problem
from regbook.rules import (
    classification,
    cleanup,
    dates,
    disclosure,
    fields,
    identifiers,
    links,
    numbers,
    outline,
    safety,
    uniqueness,
    validity,
    versions,
)

Rule = Callable[[Corpus, dt.date], Iterable[Problem]]

RULES: list[Rule] = [
    *fields.RULES,
    *dates.RULES,
    *numbers.RULES,
    *identifiers.RULES,
    *uniqueness.RULES,
    *cleanup.RULES,
    *versions.RULES,
    *disclosure.RULES,
    *validity.RULES,
    *links.RULES,
    *safety.RULES,
    *classification.RULES,
    *outline.RULES,
]


def check(corpus: Corpus, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the corpus: what loading found, then what each rule finds.

    ``today``: the build date; default ``regbook.clock.today()`` (``REGBOOK_TODAY`` or the date in
    Beijing). Callers that also show statuses pass the date they show them on."""
    today = today or clock.today()
    found = list(corpus.problems)
    for rule in RULES:
        found.extend(rule(corpus, today))
    return sorted(set(found))
