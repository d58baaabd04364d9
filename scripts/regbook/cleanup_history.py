"""Cleanup records as history: every document's cleanup decisions in the order of the records' dates.

A cleanup record is a published announcement: it stays as it was published. A later record
may decide again on a document an earlier record kept, and its decision then supersedes the
earlier one; the earlier record stays valid, it describes the document as it was on its date.

- Records apply in the order of their 公告日期 (ties broken by id, so the order is always
  defined; two records on the same day are a rule's error, ``rules.cleanup``).
- A document's **effective** decision is its latest one, except that nothing comes after an
  end: once a record has decided 废止 or 宣布失效, the document stays ended, and every later
  decision on it is an error (``Rulings.after_ending``), not a new effective decision.
- A document decided twice within one record counts once here (its first decision): the
  duplicate is a rule's error.

Rules and pages read this view (``Corpus.cleanup_history``), never the records' order themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from regbook.model import CleanupRecord, Decision, Outcome


@dataclass(frozen=True)
class Ruling:
    """One decision on a document, with the record that made it."""

    record: CleanupRecord
    decision: Decision

    @property
    def date(self) -> dt.date:
        return self.record.announced

    @property
    def outcome(self) -> Outcome:
        return self.decision.outcome

    @property
    def ends(self) -> bool:
        """废止 or 宣布失效: the document no longer applies after this decision."""
        return self.outcome.resulting_status is not None


@dataclass(frozen=True)
class Rulings:
    """A document's cleanup decisions, oldest first (at least one)."""

    document: str
    rulings: tuple[Ruling, ...]

    @property
    def ending(self) -> Ruling | None:
        """The first 废止 / 宣布失效 decision, if any: the one that ended the document."""
        return next((r for r in self.rulings if r.ends), None)

    @property
    def latest(self) -> Ruling:
        """The last decision in date order, whatever it says."""
        return self.rulings[-1]

    @property
    def effective(self) -> Ruling:
        """The decision that holds: the ending one if the document was ended, else the latest."""
        return self.ending or self.latest

    @property
    def after_ending(self) -> tuple[Ruling, ...]:
        """Decisions made after the document was ended: each one contradicts the end."""
        ending = self.ending
        return () if ending is None else self.rulings[self.rulings.index(ending) + 1 :]


def in_date_order(records: Iterable[CleanupRecord]) -> list[CleanupRecord]:
    """Records in the order their decisions apply: by 公告日期, then by id."""
    return sorted(records, key=lambda c: (c.announced, c.id))


def rulings_by_document(records: Iterable[CleanupRecord]) -> dict[str, Rulings]:
    """Per document id, its decisions in date order (one per record)."""
    found: dict[str, list[Ruling]] = {}
    for record in in_date_order(records):
        seen: set[str] = set()
        for decision in record.decisions:
            if decision.document not in seen:
                seen.add(decision.document)
                found.setdefault(decision.document, []).append(Ruling(record, decision))
    return {doc: Rulings(doc, tuple(rulings)) for doc, rulings in found.items()}
