"""A source → ``Draft``: the front matter values a regulation file gets, by the rules listed in
``regbook.importer`` (公布日期, 施行日期, 成文日期, 发文字号, 制定机关, 版本, 时效性, id)."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regbook import clock, frontmatter
from regbook.importer.history import (
    _FROM_PUBLICATION_RE,
    _ORGAN_SUFFIX,
    AMENDMENT,
    EFFECTIVE,
    NOT_STATED,
    PROMULGATION,
    Event,
    organ_of,
    parse_history,
)
from regbook.importer.text import (
    _CN_NUM,
    _FW_DIGITS,
    SENTINEL,
    body_effective,
    file_date,
    markdown_body,
    normalise_line,
    split_layout,
)
from regbook.model import ID_RE, Level, Status
from regbook.problems import Problem

LEVEL_FOLDERS: dict[str, Level] = {
    **{
        name: Level.LAW
        for name in (
            *("宪法", "宪法相关法", "民法典", "民法商法", "行政法"),
            *("经济法", "社会法", "刑法", "诉讼与非诉讼程序法", "法律"),
        )
    },
    "行政法规": Level.ADMIN_REGULATION,
    "地方性法规": Level.LOCAL_REGULATION,
    "部门规章": Level.RULE,
    "规章": Level.RULE,
    "司法解释": Level.OTHER_NORMATIVE,
    "案例": Level.OTHER_NORMATIVE,
    "其他": Level.OTHER_NORMATIVE,
}
"""Corpus folder (or level name) → 效力位阶. Our vocabulary has no 司法解释: it and the
案例/其他 folders become 其他规范性文件."""
_NUMBER_RE = re.compile(
    r"((?:中华人民共和国)?[\u4e00-\u9fff、]{1,30}令(?:（[^）]*）)?第[\d" + _CN_NUM + r"千]+号"
    r"|[\u4e00-\u9fff]{1,12}[〔［\[(（]\d{4}[〕］\])）]\s*\d+\s*号)"
)
_TITLE_ORGAN_RE = re.compile(
    r"^((?:[\u4e00-\u9fff]+" + _ORGAN_SUFFIX + r"、)*[\u4e00-\u9fff]+?" + _ORGAN_SUFFIX + r")关于"
)
_PLACE_RE = re.compile(r"^([\u4e00-\u9fff]{2,10}?(?:省|市|自治区|自治州|自治县|县))")
SAME_VERSION_DAYS = 92
MAX_TITLE = 300
"""Characters of a 标题: the longest in the national database has about 220; a longer first line
is a paragraph typed as the title (and would make a huge id)."""
"""A file-name date at most this much later than the header's last date is the same version,
published after adoption; later, the header is missing the version's own event."""


@dataclass
class Draft:
    """One document ready to be written: front matter values (in order) and body."""

    source: str
    id: str
    title: str
    level: Level
    published: dt.date
    effective: dt.date | None
    data: dict[str, Any]
    body: str
    amended: bool
    fallbacks: list[str] = field(default_factory=list)



def level_for(path: Path, override: str | None = None) -> Level | None:
    """效力位阶 from ``--level`` (a level or a corpus folder name) or the nearest known folder."""
    if override:
        text = unicodedata.normalize("NFKC", override).strip()
        for level in Level:
            if level.value == text or level.slug == text:
                return level
        return LEVEL_FOLDERS.get(text)
    parts = path.parent.parts
    if "案例" in parts:
        # Case summaries are filed by field (案例/民法典, 案例/劳动人事): all 其他规范性文件.
        return LEVEL_FOLDERS["案例"]
    for part in reversed(parts):
        if part in LEVEL_FOLDERS:
            return LEVEL_FOLDERS[part]
    return None


def level_choices() -> str:
    return "、".join(level.value for level in Level)


def short_title(title: str) -> str:
    return title.removeprefix("中华人民共和国") or title


def make_id(title: str, date: dt.date) -> str:
    """Pinyin of the short title, then the date: ``lifafa-2023-03-13``.

    Han characters become toneless pinyin run together (no word segmentation is available
    without a dictionary); any other run of characters becomes a hyphen or stays when it is
    a letter or digit. Titles longer than 48 letters are cut at 40 and get the first 6 hex
    digits of the SHA-1 of the full title, so the id stays short, unique and reproducible.
    """
    out = f"{pinyin_slug(short_title(title), title)}-{date.isoformat()}"
    assert ID_RE.match(out), out
    return out


def pinyin_slug(text: str, key: str | None = None) -> str:
    """The id part of ``make_id``: ``text`` in toneless pinyin, at most 48 letters (see there);
    the hash of a cut slug is taken over ``key`` (default ``text``). Also used by ``regbook new``."""
    from pypinyin import lazy_pinyin

    parts: list[str] = []
    for token in lazy_pinyin(text, errors=lambda s: [s]):  # type: ignore[arg-type, return-value]
        token = unicodedata.normalize("NFKC", token).lower()
        word = re.sub(r"[^a-z0-9]+", "-", token)
        if re.fullmatch(r"[a-z]+", token) and parts and parts[-1] not in ("-",):
            parts.append(word)
        else:
            parts.append(word if word.strip("-") else "-")
    slug = re.sub(r"-+", "-", "".join(parts)).strip("-") or "wenjian"
    if len(slug) > 48:
        digest = hashlib.sha1((text if key is None else key).encode("utf-8")).hexdigest()[:6]
        slug = slug[:40].strip("-") + "-" + digest
    return slug


_YEAR_LABEL_RE = re.compile(r"^(\d{4})年(修正|修订|修改|版)$")


def group_labels(members: dict[str, tuple[dt.date | None, str | None]]) -> dict[str, str]:
    """版本 of every version of one title: {id: (公布日期, current label)} → {id: label}.

    A version keeps its label (an amendment's “2023年修正”, or an editor's); one without gets
    “YYYY年版” when there are several versions. Two versions whose year labels clash both get the
    full date (“2022年4月1日修正”), so the result does not depend on the order of import.
    """
    if len(members) < 2:
        return {i: label for i, (_, label) in members.items() if label}
    wanted = {i: label or (version_label("", date) if date else None) for i, (date, label) in members.items()}
    counts = Counter(label for label in wanted.values() if label)
    out: dict[str, str] = {}
    for i, label in wanted.items():
        if not label:
            continue
        date = members[i][0]
        m = _YEAR_LABEL_RE.match(label)
        if counts[label] > 1 and m and date and int(m[1]) == date.year:
            label = version_label("" if m[2] == "版" else m[2], date, full=True)
        out[i] = label
    return out


def version_label(kind: str, date: dt.date, full: bool = False) -> str:
    when = f"{date.year}年{date.month}月{date.day}日" if full else f"{date.year}年"
    return f"{when}{kind}" if kind in AMENDMENT else f"{when}版"



def draft_from_text(
    path: str,
    text: str,
    level: Level | None,
    *,
    stem: str = "",
    folders: tuple[str, ...] = (),
    fallback_date: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[Draft | None, list[Problem]]:
    """Decoded text in the corpus layout → ``Draft``; problems name ``path`` and a line."""
    today = today or clock.today()
    if not text.strip():
        return None, [Problem.error(path, 1, "文件是空的：没有可导入的内容")]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    layout, why, line = split_layout(lines)
    if layout is None:
        return None, [Problem.error(path, line, why)]
    title = normalise_line(layout.titles[0][0])
    if len(layout.titles) > 1 and layout.titles[1][0]:
        # 民法典: “# 中华人民共和国民法典” then “# 侵权责任编”: one document per 编.
        title = f"{title}·{normalise_line(layout.titles[1][0])}"
    title = re.sub(r"[ \t\u3000]+", " ", title).strip()
    if len(title) > MAX_TITLE:
        return None, [
            Problem.error(
                path,
                layout.titles[0][1],
                f"标题过长：{len(title):,} 字，上限 {MAX_TITLE} 字；第一行“# ”之后应只写标题，正文另起一行",
            )
        ]
    if level is None:
        return None, [Problem.error(path, 1, f"无法确定效力位阶：来源文件夹不是已知类别，请用 --level 指定（{level_choices()}）")]
    events, notes, problems = parse_history(path, layout.header)
    if problems:
        return None, problems
    fallbacks: list[str] = []
    body = markdown_body(layout.body)
    if not body.strip():
        return None, [Problem.error(path, max(layout.body_line - 1, 1), f"没有正文：{SENTINEL} 之后没有内容")]

    promulgations = [e for e in events if e.kind in PROMULGATION]
    defining = max(promulgations, key=lambda e: e.date, default=None)
    in_body = body_effective(body)
    dated = _publication(defining, file_date(stem), in_body, fallback_date)
    if dated is None:
        return None, [
            Problem.error(
                path,
                layout.titles[0][1],
                "无法确定公布日期：修订历史、文件名和正文都没有日期；请核对来源，或用 --date YYYY-MM-DD 指定",
            )
        ]
    published, defining, fallback, pending_note = dated
    if fallback:
        fallbacks.append(fallback)
    if published > today:
        return None, [Problem.error(path, defining.line if defining else 1, f"公布日期 {published} 晚于今天，请核对来源")]
    amended = any(e.kind in AMENDMENT for e in events)
    effective = _effective(events, published, in_body, body, original=not amended and defining is not None)
    written: dt.date | None = None
    if level in (Level.NORMATIVE, Level.OTHER_NORMATIVE) and defining is not None:
        written = _adopted(events, published)
    issuer, fallback = _issuer(promulgations, notes, published, title, level, folders)
    if fallback:
        fallbacks.append(fallback)
    # 发文字号: only from the event that made this version, or a lone undated number line.
    number = None
    if defining is not None and (m := _NUMBER_RE.search(defining.by + defining.event)):
        number = re.sub(r"^.*[以经由]", "", m[1].translate(_FW_DIGITS).replace(" ", ""))
    elif defining is not None:
        found = [m[1] for n in notes if (m := _NUMBER_RE.fullmatch(n.strip("（）() ")))]
        if len(found) == 1:
            number = found[0]
    if any(e.event == NOT_STATED for e in events):
        fallbacks.append("修订历史：有日期行未注明事件，事件写作“（原文未注明）”")

    status = Status.PENDING if effective and effective > today else Status.CURRENT
    label = None
    if defining is not None and amended and defining.kind in AMENDMENT:
        label = version_label(defining.kind, published)
    elif defining is None and amended:
        label = version_label("", published)
    id_ = make_id(title, published)
    data: dict[str, Any] = {"id": id_, "标题": title}
    if number:
        data["发文字号"] = number
    data["制定机关"] = issuer
    data["效力位阶"] = level.value
    data["时效性"] = status.value
    if written:
        data["成文日期"] = written
    data["公布日期"] = published
    if effective:
        data["施行日期"] = effective
    if label:
        data["版本"] = label
    # A 施行 still ahead is in 施行日期; the history holds what has happened.
    history = [e for e in sorted(events, key=lambda e: e.date) if e.date <= today]
    if history:
        data["修订历史"] = [e.as_yaml() for e in history]
    if pending_note:
        body = f'!!! warning "元数据待核"\n\n    {pending_note}\n\n' + body
    return Draft(path, id_, title, level, published, effective, data, body, amended, fallbacks), []


def _publication(
    defining: Event | None, name_date: dt.date | None, in_body: dt.date | None, fallback_date: dt.date | None
) -> tuple[dt.date, Event | None, str, str] | None:
    """(公布日期, the event that made this version or None, fallback reason, note for the text)."""
    header_date = defining.date if defining else None
    if header_date and name_date and name_date > header_date:
        if (name_date - header_date).days <= SAME_VERSION_DAYS:
            # Adopted (通过/修正) on the header's date, published a few days later.
            return name_date, defining, "公布日期：修订历史只有通过或修改日期，取自文件名（数日后公布）", ""
        return name_date, None, "公布日期：修订历史缺少最新版本的日期，取自文件名", ""
    if header_date:
        return header_date, defining, "", ""
    if name_date:
        return name_date, None, "公布日期：修订历史没有公布类日期，取自文件名", ""
    if in_body:
        return (
            in_body,
            None,
            "公布日期：来源没有任何公布日期，暂取正文规定的施行日期（已在正文顶部提示核对）",
            "来源没有注明公布日期，本文件的公布日期暂取正文规定的施行日期，请核对后修改。",
        )
    if fallback_date:
        return (
            fallback_date,
            None,
            "公布日期：来源没有任何日期，采用 --date 指定的日期（已在正文顶部提示核对）",
            "来源没有注明公布日期，本文件的公布日期是导入时指定的，请核对后修改。",
        )
    return None


def _effective(
    events: list[Event], published: dt.date, in_body: dt.date | None, body: str, original: bool
) -> dt.date | None:
    """施行日期 as stated: a dated 施行 line, the body's “自…起施行”, or 自公布之日起施行."""
    stated = [e.date for e in events if e.kind in EFFECTIVE and e.date >= published]
    stated += [e.date for e in events if _FROM_PUBLICATION_RE.search(e.text) and e.date >= published]
    if stated:
        return max(stated)
    if in_body and in_body >= published:
        return in_body
    if original and re.search(r"自(?:公布|发布|印发)之日起(?:施行|实施|生效)", body):
        return published
    return None


def _adopted(events: list[Event], published: dt.date) -> dt.date | None:
    """成文日期: the last 通过 up to 公布日期, when only 公布/发布/印发 follows it."""
    passes = [e for e in events if e.kind == "通过" and e.date <= published]
    if not passes:
        return None
    last = max(passes, key=lambda e: e.date)
    later = [e for e in events if last.date < e.date <= published]
    return last.date if all(e.kind in ("公布", "发布", "印发") for e in later) else None


def _issuer(
    promulgations: list[Event], notes: list[str], published: dt.date, title: str, level: Level, folders: tuple[str, ...]
) -> tuple[str, str]:
    """(制定机关, fallback reason or "")."""
    for e in sorted((e for e in promulgations if e.kind != "批准"), key=lambda e: e.date, reverse=True):
        if e.date <= published and (issuer := organ_of(e.by)):
            return issuer, ""
    for note in notes:
        m = re.match(r"^(.+?)(?:发布|公布|印发)$", note)
        if m and (issuer := organ_of(m[1]) or (m[1] if len(m[1]) <= 20 else None)):
            return issuer, "制定机关：取自来源的署名行"
    if m := _TITLE_ORGAN_RE.match(title):
        return m[1].removeprefix("中华人民共和国"), "制定机关：取自标题（“X关于……”）"
    if level is Level.RULE and len(folders) >= 2 and folders[-2] == "部门规章":
        return folders[-1], "制定机关：取自部门规章的部门文件夹"
    if level is Level.ADMIN_REGULATION:
        return "国务院", "制定机关：按效力位阶（行政法规 → 国务院）"
    if level is Level.LAW:
        return "全国人民代表大会常务委员会", "制定机关：按效力位阶（法律 → 全国人民代表大会常务委员会）"
    if level is Level.LOCAL_REGULATION and (m := _PLACE_RE.match(title)):
        return f"{m[1]}人民代表大会常务委员会", "制定机关：按效力位阶和标题中的地名（地方性法规 → 该地人民代表大会常务委员会）"
    return NOT_STATED, "制定机关：来源未注明，写作“（原文未注明）”"


def read_source(
    path: Path,
    display: str,
    level: Level | None,
    fallback_date: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[Draft | None, list[Problem]]:
    """A file (text layout or .docx) → ``Draft`` or problems naming ``display``."""
    from regbook import docx_reader

    docx = path.suffix.lower() == ".docx"
    raw, problems = read_bounded(path, display, docx_reader.MAX_FILE if docx else frontmatter.MAX_BYTES)
    if raw is None:
        return None, problems
    if not raw.strip():
        return None, [Problem.error(display, 1, "文件是空的：没有可导入的内容")]
    if docx:
        text, problems = docx_reader.layout_text(display, raw)
        if text is None:
            return None, problems
    else:
        binary = _binary(display, raw)
        if binary is not None:
            return None, [binary]
        text, problems = frontmatter.decode(display, raw)
        if text is None:
            return None, problems
        if text.lstrip().startswith("---\n"):
            return None, [Problem.error(display, 1, "文件已有 YAML 元数据块，看起来已是本站的法规文件，不需要导入")]
    folders = tuple(path.resolve().parent.parts)
    return draft_from_text(
        display, text, level, stem=path.stem, folders=folders, fallback_date=fallback_date, today=today
    )


_OS_REASONS = {
    errno.ENOENT: "文件不存在（或是失效的链接）",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ELOOP: "链接成环",
    errno.EISDIR: "这是文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "已有同名的文件（应为文件夹）",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "磁盘读写错误",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统只读",
    errno.EMFILE: "打开的文件过多",
}


def os_reason(exc: OSError | ValueError) -> str:
    """Why a file could not be read or written, in Chinese (the system's text is English)."""
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if isinstance(exc, OSError):
        return f"系统错误 {exc.errno}（{exc.strerror or exc}）"
    return f"文件名无效（{exc}）"


def _binary(display: str, raw: bytes) -> Problem | None:
    """A problem when a text source's bytes are a zip (a Word file named .txt) or binary."""
    if raw.startswith(b"PK\x03\x04"):
        return Problem.error(display, 1, "这是 Word（.docx）或其他压缩文件，不是文本：Word 文件请把扩展名改为 .docx")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in raw:
        return None  # UTF-16 with a BOM: frontmatter.decode explains it
    line = raw[: raw.index(b"\x00")].count(b"\n") + 1
    return Problem.error(
        display, line, "文件含有空字符（NUL）：这是二进制文件（或没有 BOM 的 UTF-16 文本），不是 UTF-8 纯文本；请另存为 UTF-8 纯文本"
    )


def read_bounded(path: Path, display: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    """At most ``limit`` bytes of a regular file, or a problem naming ``display``: not a regular
    file (a FIFO or a device would block or never end), unreadable, or larger than ``limit``.

    Opened without blocking and checked on the open file, so nothing can be swapped in between."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None, [Problem.error(display, 1, "不是普通文件（文件夹、设备或管道），未读取")]
            raw = f.read(limit + 1)
    except PermissionError:
        return None, [Problem.error(display, 1, "无法读取文件：没有读取权限；请检查文件权限（或先把文件复制到自己的文件夹）")]
    except (OSError, ValueError) as exc:
        return None, [Problem.error(display, 1, f"无法读取文件：{os_reason(exc)}")]
    if len(raw) > limit:
        return None, [
            Problem.error(
                display,
                1,
                f"文件过大：超过 {limit:,} 字节（{limit // 1024 // 1024} MB），未读取。"
                "请检查是否误存了二进制文件、图片或重复粘贴的内容；过长的文件请拆分",
            )
        ]
    return raw, []

