"""Validation rules: small pure functions over a loaded corpus, one module per family.

Each rule takes a ``Corpus`` and the build date and yields ``Problem`` objects. ``check``
runs them all and returns every problem, loading problems included, sorted by file and line.

Families: ``fields`` (requirements per 效力位阶 / 时效性), ``dates``, ``numbers`` (发文字号),
``identifiers`` (no invisible characters), ``uniqueness``, ``cleanup`` (records ⇄ 时效性),
``versions`` (已修改 chains), ``validity``
(有效期), ``links`` (internal links and anchors), ``safety`` (HTML allowlist), ``disclosure``
(年报: deadline, table 三), ``characters`` (private-use code points: warnings), ``classification`` (what is a 行政规范性文件; 题注 and 施行 clause
agree with the metadata), ``outline`` (the 汇编目录's ids). ``history`` (nothing deleted since a git revision) needs git: the
commands run it through ``history.guard``.

The rules that look at one published text alone (``TEXT_RULES``: the safety and characters
families' ``check_text``) run text by text; ``CheckCache``, kept by the preview (``make serve``) between
rebuilds, keeps their findings for the texts that did not change. Every other rule runs on the
whole corpus every time: they compare documents with each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from regbook import clock
from regbook.corpus import Corpus, Text
from regbook.problems import Problem
from regbook.rules import (
    characters,
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
TextRule = Callable[[Text], Iterable[Problem]]

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
    *classification.RULES,
    *outline.RULES,
    *characters.RULES,
]
"""The rules over the whole corpus."""

TEXT_RULES: list[TextRule] = [safety.check_text, characters.check_text]
"""The rules over one published text (``Corpus.texts``): what they find depends on the text alone
(its path, line and body), so ``CheckCache`` may keep it. ``safety.RULES`` is its own, over a corpus."""


class CheckCache:
    """What ``TEXT_RULES`` found in each text at earlier checks: ``make serve`` keeps one between
    rebuilds, so that a rebuild checks again only the texts that changed.

    Keyed by the whole text (path, line and body compared, not a timestamp), so a changed text is
    never answered from the cache; texts the latest check did not see (deleted or renamed files)
    are forgotten after it."""

    def __init__(self) -> None:
        self._found: dict[Text, tuple[Problem, ...]] = {}
        self.checked_texts = 0
        """Texts checked (not taken from the cache), in all."""

    def text_problems(self, texts: Iterable[Text]) -> list[Problem]:
        """Every problem ``TEXT_RULES`` find in ``texts``, from the cache where the text is unchanged."""
        found: dict[Text, tuple[Problem, ...]] = {}
        for text in texts:
            if text in found:
                continue
            kept = self._found.get(text)
            if kept is None:
                self.checked_texts += 1
                kept = tuple(p for rule in TEXT_RULES for p in rule(text))
            found[text] = kept
        self._found = found
        return [p for problems in found.values() for p in problems]

    def __len__(self) -> int:
        return len(self._found)


def check(corpus: Corpus, today: dt.date | None = None, cache: CheckCache | None = None) -> list[Problem]:
    """Every problem in the corpus: what loading found, then what each rule finds.

    ``today``: the build date; default ``regbook.clock.today()`` (``REGBOOK_TODAY`` or the date in
    Beijing). Callers that also show statuses pass the date they show them on. ``cache``: the
    text rules' findings of earlier checks (``CheckCache``)."""
    today = today or clock.today()
    found = list(corpus.problems)
    found.extend((cache if cache is not None else CheckCache()).text_problems(corpus.texts))
    for rule in RULES:
        found.extend(rule(corpus, today))
    return sorted(set(found))
