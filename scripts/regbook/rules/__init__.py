"""Validation rules: small pure functions over a loaded corpus, one module per family.

Each rule takes a ``Corpus`` and the build date and yields ``Problem`` objects. ``check``
runs them all and returns every problem, loading problems included, sorted by file and line.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from regbook.corpus import Corpus
from regbook.problems import Problem
from regbook.rules import cleanup, versions

Rule = Callable[[Corpus, dt.date], Iterable[Problem]]

RULES: list[Rule] = [
    *cleanup.RULES,
    *versions.RULES,
]


def check(corpus: Corpus, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the corpus: what loading found, then what each rule finds."""
    today = today or dt.date.today()
    found = list(corpus.problems)
    for rule in RULES:
        found.extend(rule(corpus, today))
    return sorted(set(found))
