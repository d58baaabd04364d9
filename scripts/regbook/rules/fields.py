"""Field requirements that depend on other fields: per 效力位阶, per 时效性, per issuer.

The field tables in ``regbook.model`` say what every document needs (id, 标题, 制定机关,
效力位阶, 时效性, 公布日期). On top of that, decided here and documented in the editors' guide:

- 行政规范性文件 need 发文字号, 成文日期 and 施行日期: they are 公文 (GB/T 9704), and their
  dates drive 有效期 and 尚未生效. So do the office's own 其他规范性文件; those of other bodies
  (national agencies' documents, 司法解释 imported from the national database) often come without
  them, and the office cannot invent them, so there they are optional;
- the office's own documents (制定机关 is the office or its predecessor, alone or jointly) need
  索引号: they are listed on the office's disclosure platform, and 索引号 is their key there;
- the office's own 行政规范性文件 need 有效期至 while they apply (现行有效, 尚未生效): the office
  sets a validity period (DOMAIN.md §4: usually at most 5 years) and the checker warns before it
  ends. Documents that no longer apply (已废止, 已失效, 已修改) are exempt: many were issued
  before periods were set, and a date the document never stated must not be invented (one
  that lapsed because its period ran out, 依据 有效期届满, needs it: ``rules.cleanup``);
- 尚未生效 needs 施行日期; 废止或失效日期 and 依据 belong to 已废止 / 已失效 documents only;
  现行版本 to 已修改 documents only;
- 索引号 is written ``<机构代码>/<年份>-<流水号>`` (an error otherwise), the code being an
  18-character 统一社会信用代码 (GB 32100) or a 9-character 组织机构代码 (DOMAIN.md §3);
- a regulation file is named after its id and sits in its 效力位阶's folder (warnings).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Iterator

from regbook import invisible
from regbook.corpus import Corpus
from regbook.model import Level, Regulation, Status
from regbook.problems import Problem

NORMATIVE = (Level.NORMATIVE, Level.OTHER_NORMATIVE)

OFFICE_ISSUERS = ("吉林省国防动员办公室", "吉林省人民防空办公室")
"""The office and its predecessor: their documents carry the office's 索引号."""

_USCC = "[0-9A-HJ-NPQRTUWXY]"
"""Characters of a 统一社会信用代码 (GB 32100-2015: no I, O, Z, S, V)."""
INDEX_NO_RE = re.compile(rf"^(?:{_USCC}{{2}}[0-9]{{6}}{_USCC}{{10}}|[0-9A-Z]{{8}}[0-9X])/(\d{{4}})-\d{{1,10}}$")
VALIDITY_YEARS = 5
"""The usual validity period (DOMAIN.md §4), for the example in the 有效期至 message."""
_ISSUER_SPLIT = re.compile(r"[、，,；;\s]+")


def is_office_document(reg: Regulation) -> bool:
    """Issued by the office or its predecessor, alone or jointly with others."""
    return is_office_issuer(reg.issuer)


def is_office_issuer(issuer: str) -> bool:
    """A 制定机关 naming the office or its predecessor, alone or jointly with others."""
    return any(part in OFFICE_ISSUERS for part in _ISSUER_SPLIT.split(issuer))


def _missing(reg: Regulation, key: str, why: str, example: str) -> Problem:
    return Problem.error(reg.path, reg.line_of("效力位阶"), f"缺少“{key}”：{why}必须填写，如 {key}: {example}")


def required_by_level(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """发文字号, 成文日期, 施行日期 for 规范性文件; 索引号 for the office's documents."""
    for reg in corpus.regulations:
        if reg.level is Level.NORMATIVE or (reg.level is Level.OTHER_NORMATIVE and is_office_document(reg)):
            why = f"效力位阶为“{reg.level.value}”的文件"
            if not reg.number:
                yield _missing(reg, "发文字号", why, "吉国动办发〔2023〕5号")
            if reg.written is None:
                yield _missing(reg, "成文日期", why, "2023-05-06")
            if reg.effective is None and reg.status is not Status.PENDING:  # 尚未生效: required_by_status
                yield _missing(reg, "施行日期", why, "2023-06-01")
        if is_office_document(reg) and not reg.index_no:
            yield Problem.error(
                reg.path,
                reg.line_of("制定机关"),
                f"缺少“索引号”：制定机关为“{reg.issuer}”的文件在本办政府信息公开平台上公开，必须填写索引号，"
                "如 索引号: 11220000MB1949XXXX/2023-00001",
            )


def usual_end(start: dt.date) -> dt.date:
    """The last day of a ``VALIDITY_YEARS`` period starting on ``start`` (29 February → 28th)."""
    try:
        end = start.replace(year=start.year + VALIDITY_YEARS)
    except ValueError:
        end = start.replace(year=start.year + VALIDITY_YEARS, day=28)
    return end - dt.timedelta(days=1)


def validity_period_required(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """有效期至 for the office's own 行政规范性文件 while they apply (现行有效, 尚未生效)."""
    for reg in corpus.regulations:
        if reg.level is not Level.NORMATIVE or not is_office_document(reg) or reg.valid_until is not None:
            continue
        if reg.status in (Status.CURRENT, Status.PENDING):  # lapsed by the period (依据 有效期届满): rules.cleanup
            start, which = (reg.effective, "施行日期") if reg.effective else (reg.published, "公布日期")
            example = usual_end(start).isoformat()
            yield Problem.error(
                reg.path,
                reg.line_of("效力位阶"),
                f"缺少“有效期至”：本办制定的行政规范性文件，时效性为“{reg.status.value}”时必须填写有效期至（文件规定的有效期的最后一天，"
                f"一般为施行之日起{VALIDITY_YEARS}年；本文件{which}为 {start.isoformat()}），如 有效期至: {example}",
            )


def required_by_status(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Fields that only make sense for some 时效性, and 施行日期 for 尚未生效."""
    for reg in corpus.regulations:
        if reg.status is Status.PENDING and reg.effective is None:
            yield Problem.error(
                reg.path, reg.line_of("时效性"), "时效性为“尚未生效”的文件必须填写“施行日期”（将来的日期）"
            )
        if not reg.status.is_ended:
            for key, value in (("废止或失效日期", reg.ended), ("依据", reg.basis)):
                if value:
                    yield Problem.error(
                        reg.path,
                        reg.line_of(key),
                        f"“{key}”只用于已废止或已失效的文件，本文件时效性为“{reg.status.value}”："
                        f"请删去“{key}”，或把时效性改为“已废止”/“已失效”",
                    )
        if reg.current_version and reg.status is not Status.AMENDED:
            yield Problem.error(
                reg.path,
                reg.line_of("现行版本"),
                f"“现行版本”只用于已修改的文件，本文件时效性为“{reg.status.value}”：请删去“现行版本”，或把时效性改为“已修改”",
            )


def _index_no_hint(value: str) -> str:
    """What is wrong with a malformed 索引号, in words, where it can be told."""
    if any(c.isspace() for c in value):
        return "去掉其中的空格"
    if any("\uff01" <= c <= "\uff5e" for c in value) or any(c in value for c in "—–－"):
        return "斜线、连字符、数字和字母都用半角字符"
    code, slash, rest = value.partition("/")
    if not slash:
        return "缺少机构代码和“/”"
    if code != code.upper():
        return "机构代码中的字母应大写"
    if len(code) not in (9, 18):
        return f"机构代码应为18位统一社会信用代码或9位组织机构代码，实际为{len(code)}位"
    if len(code) == 18 and not re.fullmatch(rf"{_USCC}{{2}}[0-9]{{6}}{_USCC}{{10}}", code):
        return "统一社会信用代码第3至8位是数字，且不使用字母 I、O、Z、S、V"
    if not re.fullmatch(r"\d{4}-\d{1,10}", rest):
        return "“/”后应为四位年份、“-”和流水号，如 2023-00001"
    return ""


def index_numbers_well_formed(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """索引号 ``<机构代码>/<年份>-<流水号>``; its year is the document's year (warning)."""
    items = [(r.path, r.line_of("索引号"), r.index_no, r.written or r.published) for r in corpus.regulations]
    items += [(d.path, d.line_of("索引号"), d.index_no, d.written or d.published) for d in corpus.disclosures]
    for path, line, index_no, date in items:
        if not index_no or invisible.hidden_characters(index_no):  # rules.identifiers names the character
            continue
        m = INDEX_NO_RE.match(index_no)
        if m is None:
            hint = _index_no_hint(index_no)
            yield Problem.error(
                path,
                line,
                f"索引号格式不对：应为“机构代码/年份-流水号”，如 11220000MB1949XXXX/2023-00001，实际为“{index_no}”"
                + (f"（{hint}）" if hint else ""),
            )
        elif int(m[1]) != date.year:
            yield Problem.warning(
                path, line, f"索引号中的年份 {m[1]} 与文件的日期（{date.year} 年）不一致：请核对索引号或日期"
            )


def file_named_by_id(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """``regulations/<效力位阶 folder>/<id>.md``: names and folders that editors can predict."""
    for reg in corpus.regulations:
        path = PurePosixPath(reg.path)
        if path.stem != reg.id:
            yield Problem.warning(
                reg.path, reg.line_of("id"), f"文件名应与 id 一致：id 为“{reg.id}”，文件名为“{path.name}”；请把文件改名为 {reg.id}.md"
            )
        folder = path.parent.name
        if len(path.parts) > 2 and folder != reg.level.slug:
            yield Problem.warning(
                reg.path,
                reg.line_of("效力位阶"),
                f"效力位阶为“{reg.level.value}”的文件应放在 regulations/{reg.level.slug}/ 下，实际在 {path.parent}/",
            )


RULES = [required_by_level, validity_period_required, required_by_status, index_numbers_well_formed, file_named_by_id]
