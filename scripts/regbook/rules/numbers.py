"""发文字号: GB/T 9704-2012 §7.2.5 for 规范性文件; the other levels' own numbering.

Only 行政规范性文件 and 其他规范性文件 are 公文 with a GB/T 9704 发文字号:
``机关代字〔YYYY〕N号``: the full year in 六角括号 〔〕 (U+3014/U+3015, not [] () 【】),
a sequence number without leading zeros and without 第. Its year must be the year of the
成文日期 (the date the document was signed), which is what the year in a 文号 records.

Laws, administrative regulations and 规章 are promulgated by an order, numbered
differently, so the 9704 rule does not apply to them:

- 法律: ``中华人民共和国主席令第二十五号`` (Chinese numerals);
- 行政法规: ``中华人民共和国国务院令第711号``, sometimes with 中央军事委员会 (jointly issued);
- 规章: ``吉林省人民政府令第286号`` (Arabic numerals);
- 地方性法规: a 公告 of the standing committee, numbered in many ways.

For those only the general shape is checked, as warnings: a 〔YYYY〕 文号 on a law is
probably a copy-paste slip, but the checker cannot know every historical form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from regbook import invisible
from regbook.corpus import Corpus
from regbook.model import Level
from regbook.problems import Problem

GBT9704_RE = re.compile(r"^(?P<agency>[^\s〔〕\[\]()（）【】［］]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")

_BRACKETS = re.compile(r"[\[［(（【〈<{｛]\s*(\d{2,4})\s*[\]］)）】〉>}｝]")
_CN_NUM = "零〇一二三四五六七八九十百千"
ORDER_PATTERNS: dict[Level, tuple[re.Pattern[str], str]] = {
    Level.LAW: (
        re.compile(rf"^中华人民共和国主席令(?:（第[{_CN_NUM}]+届）)?第[{_CN_NUM}]+号$"),
        "中华人民共和国主席令第二十五号",
    ),
    Level.ADMIN_REGULATION: (
        re.compile(r"^(?:中华人民共和国)?国务院(?:、(?:中华人民共和国)?中央军事委员会)?令第[1-9]\d*号$"),
        "中华人民共和国国务院令第711号",
    ),
    Level.RULE: (re.compile(r"^\S+令第[1-9]\d*号$"), "吉林省人民政府令第286号"),
}


def gbt9704_problems(number: str) -> list[str]:
    """What is wrong with a 规范性文件's 发文字号, one reason per mistake (empty: well formed)."""
    text = number.strip()
    found: list[str] = []
    if text != number or re.search(r"\s", text):
        found.append("不能含有空格")
    if m := _BRACKETS.search(text):
        found.append(f"年份应使用六角括号〔〕（不是 [ ]、( )、【 】等），实际写作“{m[0]}”；可从本提示中复制〔〕")
        text = _BRACKETS.sub(lambda b: f"〔{b[1]}〕", text)  # so that the checks below see the rest
    if re.search(r"〔\d{1,3}〕", text) or re.search(r"〔\d{5,}〕", text):
        found.append("年份应写全四位，如〔2023〕")
    if "第" in text.split("〕")[-1] or "字第" in text:
        found.append("序号前不加“第”（也不加“字”），如〔2023〕5号")
    if m := re.search(r"〕(0+)(\d*)号", text):
        found.append(f"序号不编虚位：写 {m[2] or '0'}号，不写 {m[1]}{m[2]}号")
    if not text.endswith("号"):
        found.append("应以“号”结尾")
    if text.startswith("〔"):
        found.append("缺少机关代字（“〔”前应有发文机关代字）")
    if not found and not GBT9704_RE.match(text):
        found.append("应为“机关代字〔年份〕序号号”的形式")
    return found


def suggest(number: str) -> str | None:
    """The 发文字号 with the usual slips repaired, if that gives a well-formed one."""
    text = re.sub(r"\s+", "", number)
    text = _BRACKETS.sub(lambda m: f"〔{m[1]}〕", text)
    text = re.sub(r"〕字?第?0*(\d+)号?$", lambda m: f"〕{m[1]}号", text)
    return text if GBT9704_RE.match(text) and text != number else None


def normative_numbers(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """GB/T 9704 文号 for 行政规范性文件 and 其他规范性文件; its year is the 成文日期's year."""
    for reg in corpus.regulations:
        if reg.level not in (Level.NORMATIVE, Level.OTHER_NORMATIVE) or not reg.number:
            continue
        if invisible.hidden_characters(reg.number):  # rules.identifiers names the character
            continue
        line = reg.line_of("发文字号")
        reasons = gbt9704_problems(reg.number)
        if reasons:
            fixed = suggest(reg.number)
            fix = f"应写作“{fixed}”" if fixed else "正确写法如 吉国动办发〔2023〕5号"
            yield Problem.error(
                reg.path, line, f"发文字号“{reg.number}”不符合 GB/T 9704：{'；'.join(reasons)}。{fix}"
            )
            continue
        m = GBT9704_RE.match(reg.number)
        assert m is not None
        dated = reg.written or reg.published
        if int(m["year"]) != dated.year:
            key = "成文日期" if reg.written else "公布日期"
            yield Problem.error(
                reg.path,
                line,
                f"发文字号中的年份 {m['year']} 与{key}（{dated.isoformat()}）的年份 {dated.year} 不一致：请核对发文字号或{key}",
            )


def _looks_like_gbt9704(number: str) -> bool:
    return bool(re.search(r"[〔\[［(（【]\d{4}[〕\]］)）】]", number))


def order_numbers(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """Laws, 行政法规 and 规章 carry an order number, not a 〔YYYY〕 文号 (warnings)."""
    for reg in corpus.regulations:
        if reg.level not in ORDER_PATTERNS or not reg.number or invisible.hidden_characters(reg.number):
            continue
        pattern, example = ORDER_PATTERNS[reg.level]
        if pattern.match(reg.number):
            continue
        why = "看起来是公文的发文字号" if _looks_like_gbt9704(reg.number) else "格式少见"
        yield Problem.warning(
            reg.path,
            reg.line_of("发文字号"),
            f"{reg.level.value}的发文字号“{reg.number}”{why}：{reg.level.value}以令公布，应写作如“{example}”；请核对",
        )


RULES = [normative_numbers, order_numbers]
