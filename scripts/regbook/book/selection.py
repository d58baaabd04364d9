"""What goes in the compendium (法律法规汇编), in which order, and in which volume.

Pure functions over the model: no rendering, no files. The rules, decided by metadata alone:

- statuses are those on the build date (``regbook.status.status_on``), as on the site: a 尚未生效
  document whose 施行日期 has come is printed as 现行有效, one past its 有效期至 goes to the appendix;
- the body holds the 现行有效 documents and the 尚未生效 ones (marked as such), grouped by
  效力位阶 in ``Level`` order (法律, 行政法规, 地方性法规, 规章, 行政规范性文件, 其他规范性文件),
  and within a group in the editor's order (``regulations/汇编目录.yml``, ``regbook.outline``: the
  documents listed there first, in that order; then basic laws first, national before local, by
  成文日期 (else 公布日期) ascending, ties by id) — the order of the site's catalog too;
- ``示例: 是`` in the outline makes the book a sample: its cover and page headers say 示例;
- an appendix lists the 已废止 / 已失效 / 已修改 documents (标题, 发文字号, 日期, 依据), without text;
- a book over ``max_pages`` (estimated) is split into volumes (分册) along 效力位阶 groups; a group
  too large for one volume is cut between documents into parts 「（一）」「（二）」…; the appendix
  goes into the last volume.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.clock import date_of_epoch
from regbook.model import Level, Regulation, Status
from regbook.status import EXPIRED_REASON, Shown, status_on

BOOK_TITLE = "吉林省国防动员法律法规汇编"
ISSUER = "吉林省国防动员办公室"
MAX_VOLUME_PAGES = 1000
"""Estimated pages per volume (the issue's 「over 1,000 pages」). Measured on the imported defense
corpus: 553 pages took 505 MB peak RSS in the rendering process (~0.85 MB a page), so a volume
stays under the 1.5 GB budget even if the estimate is 30 % short (see benchmarks/book.py)."""

CHARS_PER_PAGE = 820
"""Characters of Markdown body per page of the book layout (小四 serif in the GB/T 9704 版心),
calibrated on Typst, the default engine: the pages each document takes (start-page differences)
against this estimate, summed, are +0.2 % on the imported defense set (55 documents, 492 estimated
for 491 rendered) and +0.2 % on the imported bulk corpus (2,439 documents, 18,198 for 18,160), and
its 22 volumes' estimates fall within −2.4 % … +2.3 % of their rendered pages (780, calibrated for
WeasyPrint, was +5 %: dev-docs/book-engines.md). WeasyPrint (``REGBOOK_BOOK_ENGINE=weasyprint``)
sets about 5 % more pages (defense: 554 against Typst's 528), so its volumes come out about 5 %
longer than planned (a 1,000-page estimate: about 1,050 pages, still inside ``MAX_VOLUME_PAGES``'s
memory margin); the cut points are the same for both engines."""

_CN_NUMERALS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Entry:
    """One document printed in the book, with its status on the build date."""

    regulation: Regulation
    shown: Shown | None = None

    @property
    def id(self) -> str:
        return self.regulation.id

    @property
    def title(self) -> str:
        return self.regulation.display_title

    @property
    def pending(self) -> bool:
        return (self.shown.status if self.shown else self.regulation.status) is Status.PENDING

    @property
    def pending_note(self) -> str:
        """「尚未生效，自 2027年3月1日起施行」 for a 尚未生效 document, else ``""``."""
        if not self.pending:
            return ""
        when = self.regulation.effective
        return f"尚未生效，自{cn_date(when)}起施行" if when else "尚未生效"

    @property
    def anchor(self) -> str:
        return doc_anchor(self.id)


@dataclass(frozen=True)
class Group:
    """The documents of one 效力位阶 in a volume (``part`` > 0: one part of a split group)."""

    level: Level
    entries: tuple[Entry, ...]
    part: int = 0

    @property
    def title(self) -> str:
        return self.level.value + (f"（{cn_number(self.part)}）" if self.part else "")

    @property
    def anchor(self) -> str:
        return f"grp-{self.level.slug}" + (f"-{self.part}" if self.part else "")


@dataclass(frozen=True)
class AppendixRow:
    """One 已废止 / 已失效 / 已修改 document in the appendix; ``status``: on the build date."""

    regulation: Regulation
    date: dt.date | None
    basis: str
    status: Status | None = None

    @property
    def status_text(self) -> str:
        """The 时效性 printed in the appendix's table."""
        return (self.status or self.regulation.status).value

    @property
    def title(self) -> str:
        return self.regulation.display_title


@dataclass(frozen=True)
class Volume:
    """One PDF: its own cover and table of contents. ``number`` is 0 for a one-volume book."""

    number: int
    groups: tuple[Group, ...]
    appendix: tuple[AppendixRow, ...] = ()
    of: int = 1

    @property
    def label(self) -> str:
        """「第一分册　法律、行政法规」, or ``""`` for a one-volume book."""
        if not self.number:
            return ""
        return f"第{cn_number(self.number)}分册　" + "、".join(g.title for g in self.groups)

    @property
    def entries(self) -> list[Entry]:
        return [e for g in self.groups for e in g.entries]


@dataclass(frozen=True)
class Book:
    """The whole compendium before it is cut into volumes."""

    title: str
    issuer: str
    edition: dt.date
    groups: tuple[Group, ...]
    appendix: tuple[AppendixRow, ...]
    volumes: tuple[Volume, ...] = field(default=())
    sample: bool = False
    """Made from illustrative content (``示例: 是`` in the outline): cover and headers say 示例."""

    @property
    def edition_text(self) -> str:
        """「截至2024年1月3日」 (no space inside Chinese text)."""
        return f"截至{cn_date(self.edition)}"

    @property
    def entries(self) -> list[Entry]:
        return [e for g in self.groups for e in g.entries]

    def file_name(self, volume: Volume) -> str:
        """``吉林省国防动员法律法规汇编-2024-01-03.pdf`` (``-第1分册`` added for a volume)."""
        suffix = f"-第{volume.number}分册" if volume.number else ""
        return f"{self.title}-{self.edition.isoformat()}{suffix}.pdf"


def doc_anchor(reg_id: str) -> str:
    """The ASCII anchor of a document in the book: ``doc-<id>``."""
    return f"doc-{reg_id}"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (1–99; volume and part numbers)."""
    if n < 10:
        return _CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_NUMERALS[tens]) + "十" + (_CN_NUMERALS[ones] if ones else "")


_CN_DIGIT = {c: i for i, c in enumerate(_CN_NUMERALS)} | {"〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(text: str) -> int | None:
    """Chinese numeral → int: 四十八 → 48, 一百零三 → 103, 十 → 10; ``None`` if not a numeral."""
    if not text:
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            total += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


_ARTICLE = re.compile(r"^第([一二三四五六七八九十百千零〇两]+)条(?:之([一二三四五六七八九十]+))?$")


def article_key(label: str) -> str | None:
    """「第四十八条」 → ``"48"``, 「第十条之一」 → ``"10-1"``; ``None`` for anything else."""
    m = _ARTICLE.match(label)
    if not m or (n := cn_to_int(m[1])) is None:
        return None
    return f"{n}-{cn_to_int(m[2])}" if m[2] else str(n)


def article_anchor(reg_id: str, label: str) -> str | None:
    """The ASCII anchor of an article: ``doc-<id>-art-48`` for 「第四十八条」."""
    key = article_key(label)
    return f"{doc_anchor(reg_id)}-art-{key}" if key else None


def edition_date(corpus: Corpus, source_date_epoch: str | None = None) -> dt.date:
    """The book's 「截至」 date: the build's SOURCE_DATE_EPOCH as a Beijing date, reproducible for one
    commit; without it, the newest date in the content (公布/施行/废止 dates, cleanup announcements)."""
    if source_date_epoch and source_date_epoch.strip().isdigit():
        return date_of_epoch(int(source_date_epoch))
    dates = [r.published for r in corpus.regulations]
    dates += [d for r in corpus.regulations for d in (r.written, r.ended) if d]
    dates += [c.announced for c in corpus.cleanups]
    return max(dates, default=dt.date(1970, 1, 1))


def in_body(reg: Regulation, today: dt.date | None = None) -> bool:
    """Printed with its text: 现行有效 and 尚未生效 on ``today`` (``None``: as written)."""
    return status_on(reg, today).status in (Status.CURRENT, Status.PENDING)


def in_appendix(reg: Regulation, today: dt.date | None = None) -> bool:
    """Listed in the appendix without text: 已废止, 已失效, 已修改 on ``today`` (``None``: as written)."""
    return status_on(reg, today).status in (Status.REPEALED, Status.EXPIRED, Status.AMENDED)


def basis_text(corpus: Corpus, reg: Regulation, today: dt.date | None = None) -> str:
    """The appendix's 依据: a cleanup record's or a document's title, or the text as written; for an
    已修改 document without 依据, its current version; 有效期届满 for one the date made 已失效."""
    if status_on(reg, today).by_date:
        return EXPIRED_REASON
    if reg.basis:
        if record := corpus.cleanup(reg.basis):
            return f"《{record.title}》"
        if other := corpus.regulation(reg.basis):
            return f"《{other.display_title}》"
        return reg.basis
    if reg.status is Status.AMENDED and (current := corpus.regulation(reg.current_version or "")):
        return f"现行版本：《{current.display_title}》"
    return ""


def appendix_date(corpus: Corpus, reg: Regulation, today: dt.date | None = None) -> dt.date | None:
    """废止或失效日期; for an 已修改 document without one, the 公布日期 of its current version; for
    one the date made 已失效 (有效期届满), the day after 有效期至."""
    shown = status_on(reg, today)
    if shown.by_date:
        return shown.since
    if reg.ended:
        return reg.ended
    if reg.status is Status.AMENDED and (current := corpus.regulation(reg.current_version or "")):
        return current.published
    return None


def select(corpus: Corpus, edition: dt.date, today: dt.date | None = None) -> Book:
    """The compendium's content and order, as one volume (see ``plan_volumes`` to split it).

    ``today``: the build date the statuses are taken on (``None``: as written)."""
    order = corpus.outline.sort_key()
    body = sorted((r for r in corpus.regulations if in_body(r, today)), key=order)
    groups = tuple(
        Group(level, tuple(Entry(r, status_on(r, today)) for r in body if r.level is level))
        for level in Level
        if any(r.level is level for r in body)
    )
    ended = sorted((r for r in corpus.regulations if in_appendix(r, today)), key=order)
    appendix = tuple(
        AppendixRow(r, appendix_date(corpus, r, today), basis_text(corpus, r, today), status_on(r, today).status)
        for r in ended
    )
    return Book(BOOK_TITLE, ISSUER, edition, groups, appendix, (Volume(0, groups, appendix),), corpus.outline.sample)


def estimate_pages(reg: Regulation, chars_per_page: int = CHARS_PER_PAGE) -> int:
    """Pages a document takes in the book, from the length of its text (each starts a new page)."""
    chars = len(reg.body) + 120  # the title block
    return max(1, math.ceil(chars / chars_per_page))


def plan_volumes(
    book: Book,
    pages_of: Callable[[Regulation], int] = estimate_pages,
    max_pages: int = MAX_VOLUME_PAGES,
    front_pages: int = 3,
) -> Book:
    """The book cut into volumes of at most ``max_pages`` (estimated, front matter included).

    One volume if everything fits. Otherwise volumes follow 效力位阶 groups: consecutive whole
    groups share a volume while they fit; a group that does not fit in a volume of its own is cut
    between documents into parts; a document is never cut. The appendix is in the last volume.
    """
    appendix_pages = math.ceil(len(book.appendix) / 25) if book.appendix else 0
    toc_pages = lambda n: math.ceil(n / 30)  # noqa: E731 - entries per TOC page
    total = sum(pages_of(e.regulation) for e in book.entries) + appendix_pages
    if total + front_pages + toc_pages(len(book.entries)) <= max_pages:
        return replace(book, volumes=(Volume(0, book.groups, book.appendix),))

    def cost(entries: Sequence[Entry]) -> int:
        return front_pages + toc_pages(len(entries)) + sum(pages_of(e.regulation) for e in entries)

    # Parts: each group whole, or cut into runs that fit a volume.
    parts: list[Group] = []
    for group in book.groups:
        if cost(group.entries) <= max_pages:
            parts.append(group)
            continue
        runs: list[list[Entry]] = [[]]
        run_pages = 0  # pages_of over runs[-1], kept as it grows (cost() per entry: quadratic in a run)
        for entry in group.entries:
            pages = pages_of(entry.regulation)
            if runs[-1] and front_pages + toc_pages(len(runs[-1]) + 1) + run_pages + pages > max_pages:
                runs.append([])
                run_pages = 0
            runs[-1].append(entry)
            run_pages += pages
        parts.extend(Group(group.level, tuple(run), i) for i, run in enumerate(runs, 1))
    # Volumes: consecutive parts while they fit; a split group's parts never share a volume.
    packed: list[list[Group]] = []
    for part in parts:
        current = packed[-1] if packed else None
        fits = current is not None and cost([e for g in (*current, part) for e in g.entries]) <= max_pages
        if current is not None and fits and not part.part and not current[-1].part:
            current.append(part)
        else:
            packed.append([part])
    n = len(packed)
    volumes = tuple(
        Volume(i, tuple(groups), book.appendix if i == n else (), n) for i, groups in enumerate(packed, 1)
    )
    return replace(book, volumes=volumes)
