"""Names the commands choose: ids, disclosure file names, the next free 索引号.

- **A new document's id** (CONTRIBUTING 第四部分: lower-case pinyin of the title, words joined by
  hyphens, as ``guofang-jiaoyu-fa``): the office's name at the start of a title as the existing
  ids write it (吉林省国防动员办公室 → ``jilin-guodongban``, 吉林省人民防空办公室 → ``jilin-renfang``,
  吉林省 → ``jilin``); 中华人民共和国, 关于, 的 and the 年 after a year dropped; then every run of
  Han characters cut into two-character words (most words of titles have two characters: no
  dictionary is at hand to find the others), each in toneless pinyin by the importer's code
  (``importer.drafting.pinyin_slug``), letters and digits kept. Long titles keep whole words up to
  64 characters and always the last word (通知, 办法, 条例, 试行). This gives the existing ids for
  most titles (国防教育法 → ``guofang-jiaoyu-fa``, 吉林省国防教育条例 → ``jilin-guofang-jiaoyu-tiaoli``);
  ``--id`` chooses another. An id already taken gets the year of 公布日期, then the full date.
- **A new version's id** (第四部分: versions add the year at the end): the old id without its
  year (``-2018``) or date (``-2018-04-27``) suffix, then ``-YYYY`` of the new 公布日期; the full
  date when that is taken.
- **索引号**: the office's code as the existing content writes it (the commonest code among all
  索引号), the year of the document's date (成文日期, else 公布日期 / 发布日期: the year the checker
  compares with), and the next number after the highest of that code and year across regulations
  and disclosure items, as wide as the existing numbers (5 digits when there are none).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

from regbook.corpus import Corpus
from regbook.editing.plan import Refusal
from regbook.importer.drafting import pinyin_slug, short_title
from regbook.model import ID_RE
from regbook.rules.fields import INDEX_NO_RE

OFFICE = "吉林省国防动员办公室"
"""The office: default 制定机关 of a 行政规范性文件 and 发布机构 of disclosure items."""
PREFIXES = {"吉林省国防动员办公室": "jilin-guodongban", "吉林省人民防空办公室": "jilin-renfang", "吉林省": "jilin"}
"""How the existing ids write the office's names (and the province) at the start of a title."""
MAX_SLUG = 64
"""An id's length before a year suffix: whole words up to this many characters."""
_DROPPED_RE = re.compile(r"中华人民共和国|关于|的|(?<=\d)年")
_HAN_RUN_RE = re.compile(r"([\u4e00-\u9fff]+)")
INDEX_WIDTH = 5
"""Digits of a 索引号's number where the content has none yet (``…/2023-00005``)."""
_VERSION_SUFFIX_RE = re.compile(r"-\d{4}(?:-\d{2}-\d{2})?$")


def taken_ids(corpus: Corpus) -> set[str]:
    """Ids of regulations and cleanup records, and of files that could not be loaded."""
    return {r.id for r in corpus.regulations} | {c.id for c in corpus.cleanups} | set(corpus.unloaded)


def title_slug(title: str) -> str:
    """The pinyin id part of a title (see the module docstring)."""
    text = short_title(title.strip())
    words: list[str] = []
    for name, abbreviation in PREFIXES.items():
        if text.startswith(name) and len(text) > len(name):
            words.append(abbreviation)
            text = text.removeprefix(name)
            break
    for piece in _HAN_RUN_RE.split(_DROPPED_RE.sub("", text)):
        if _HAN_RUN_RE.fullmatch(piece):
            words += [pinyin_slug(piece[i : i + 2]) for i in range(0, len(piece), 2)]
        else:
            words += re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", piece).lower())
    if not words:
        return "wenjian"
    last, slug = words[-1], ""
    for word in words[:-1]:  # whole words; the last one (通知, 办法, 条例, 试行 …) always stays
        if len(slug) + len(word) + len(last) + 2 > MAX_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word
    return f"{slug}-{last}" if slug else last[:MAX_SLUG]


def document_id(title: str, date: dt.date, taken: set[str]) -> str:
    """A free id for a new document titled ``title``, published on ``date``."""
    slug = title_slug(title)
    for candidate in (slug, f"{slug}-{date.year}", f"{slug}-{date.isoformat()}"):
        if candidate not in taken:
            return candidate
    raise Refusal(f"id“{slug}”“{slug}-{date.isoformat()}”都已被使用：请用 --id 指定一个 id")


def version_id(old_id: str, date: dt.date, taken: set[str]) -> str:
    """A free id for the version of ``old_id`` published on ``date``."""
    base = _VERSION_SUFFIX_RE.sub("", old_id)
    for candidate in (f"{base}-{date.year}", f"{base}-{date.isoformat()}"):
        if candidate not in taken:
            return candidate
    raise Refusal(f"id“{base}-{date.isoformat()}”已被使用：请用 --id 指定新版本的 id")


def chosen_id(value: str, taken: set[str]) -> str:
    """An id the editor chose (``--id``), checked."""
    if not ID_RE.match(value):
        raise Refusal(f"--id“{value}”不是有效的 id：只用小写字母、数字和连字符，以字母或数字开头和结尾，如 renmin-fangkong-fa")
    if value in taken:
        raise Refusal(f"id“{value}”已被使用：id 在全站唯一，请换一个")
    return value


def file_name(title: str, folder: Path) -> str:
    """A free file name (without ``.md``) in ``folder`` for a disclosure item titled ``title``."""
    slug = title_slug(title).removeprefix(PREFIXES[OFFICE] + "-")
    name, n = slug, 2
    while (folder / f"{name}.md").exists():
        name, n = f"{slug}-{n}", n + 1
    return name


def _index_numbers(corpus: Corpus) -> list[str]:
    return [r.index_no for r in corpus.regulations if r.index_no] + [d.index_no for d in corpus.disclosures]


def office_code(corpus: Corpus) -> str | None:
    """The commonest 机构代码 of the well-formed 索引号 in the content."""
    codes = Counter(n.split("/")[0] for n in _index_numbers(corpus) if INDEX_NO_RE.match(n))
    return codes.most_common(1)[0][0] if codes else None


def next_index_no(corpus: Corpus, year: int) -> str:
    """The next free 索引号 of the office for ``year``."""
    code = office_code(corpus)
    if code is None:
        raise Refusal(
            "内容中还没有格式正确的索引号，无法得知本办的机构代码：请用 --index-no 指定完整的索引号，"
            f"如 --index-no 11220000MB1949XXXX/{year}-00001"
        )
    widths: Counter[int] = Counter()
    highest = 0
    for value in _index_numbers(corpus):
        m = INDEX_NO_RE.match(value)
        if m and value.split("/")[0] == code:
            number = value.rsplit("-", 1)[1]
            widths[len(number)] += 1
            if int(m[1]) == year:
                highest = max(highest, int(number))
    width = widths.most_common(1)[0][0] if widths else INDEX_WIDTH
    return f"{code}/{year}-{highest + 1:0{width}d}"


def chosen_index_no(corpus: Corpus, value: str, year: int) -> str:
    """A 索引号 the editor chose (``--index-no``), checked like the checker does."""
    m = INDEX_NO_RE.match(value)
    if m is None:
        raise Refusal(f"--index-no“{value}”格式不对：应为“机构代码/年份-流水号”，如 11220000MB1949XXXX/{year}-00001")
    if int(m[1]) != year:
        raise Refusal(f"--index-no“{value}”中的年份 {m[1]} 与文件的日期（{year} 年）不一致：请核对")
    if value in _index_numbers(corpus):
        raise Refusal(f"索引号“{value}”已被使用：索引号全站唯一，请改用下一个流水号 {next_index_no(corpus, year)}")
    return value
