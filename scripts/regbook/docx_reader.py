"""Word (.docx) law texts → the text layout ``regbook.importer`` parses.

python-docx reads the paragraphs (no hand-parsing of XML). The mapping:

- the title: the first paragraph styled Title or Heading 1, else the first non-empty one → ``# 标题``;
  a second Heading 1 right after it (民法典's 编) → a second ``# `` line;
- then the history lines, as long as paragraphs start with a date (``2019年4月3日 …``);
- the end-of-header line (``regbook.importer.text.SENTINEL``);
- the body: Heading N paragraphs → ``#``×N (at least ``##``); everything else as paragraphs.
  章/节 written as plain paragraphs are recognised by the importer itself.

**Hostile files.** A .docx is a zip of XML parts, and anyone can hand an editor one. Before
python-docx sees the bytes, ``check_package`` opens the zip itself and refuses, as a problem
naming the file (line 1; the message names the part and its XML line):

- anything that is not a readable zip (an old .doc, an encrypted Word file, a truncated zip, an
  unsupported compression method, a CRC error);
- a zip bomb: more than ``MAX_MEMBERS`` parts, more than ``MAX_UNPACKED`` bytes unpacked in all,
  more than ``MAX_XML`` bytes of XML, or one large part packed more than ``MAX_RATIO`` times.
  The sizes are the ones the zip's directory declares, and Python's ``zipfile`` never returns
  more bytes than declared (a lying entry fails its CRC check), so they bound what is read;
- a package without ``[Content_Types].xml`` or ``word/document.xml`` (another file renamed);
- XML that is malformed, or that has a DOCTYPE at all. Word never writes a DTD; refusing it
  outright rules out entity expansion (“billion laughs”) and external entities. Every XML part
  is parsed once with lxml (already pinned: python-docx's own parser; actively maintained) with
  ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``, so even the
  refused file's entities are never expanded nor fetched. defusedxml was not chosen: its lxml
  support is deprecated, and a second XML library would add nothing to these settings.

Then the extracted text is bounded: ``MAX_TEXT`` bytes (the largest regulation file
``regbook check`` reads, ``frontmatter.MAX_BYTES``). This is how a 300 KB .docx became a
180 MB regulation file: nothing bounded the unpacked size, and a few hundred paragraphs of one
repeated megabyte of text pack about a thousand times smaller. (Tables are not read at all, so
merged cells cannot multiply text; numbering is not expanded.)
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from regbook import frontmatter
from regbook.problems import Problem

SENTINEL = "<!-- INFO " + "END -->"  # as in regbook.importer.text (which imports this module lazily)

MAX_FILE = 20 * 1024 * 1024
"""A .docx larger than this on disk is refused before reading (a law text with a few scanned
seals is far smaller)."""
MAX_MEMBERS = 1000
"""Parts in the zip; Word writes a dozen or two (one per image beyond)."""
MAX_UNPACKED = 100 * 1024 * 1024
"""Bytes of all parts unpacked (python-docx reads every part into memory)."""
MAX_XML = 32 * 1024 * 1024
"""Bytes of all XML parts unpacked: the 民法典's document.xml is a few MB."""
MAX_RATIO = 100
"""Unpacked ÷ packed size above which a part larger than ``RATIO_FLOOR`` is a zip bomb (Word's
XML packs about 5–20 times)."""
RATIO_FLOOR = 1024 * 1024
MAX_TEXT = frontmatter.MAX_BYTES
"""Bytes of text in the layout: a longer text would make a regulation file ``regbook check``
refuses."""

_DATE_START = re.compile(r"^\s*[（(]?\s*[0-9０-９]{4}\s*年")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RESAVE = "请在 Word 或 WPS 中打开后另存为 .docx"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


def _heading_level(style_name: str) -> int | None:
    name = (style_name or "").strip().lower()
    if name == "title":
        return 1
    m = re.match(r"^(?:heading|标题)\s*(\d)$", name)
    return int(m[1]) if m else None


def _mb(size: int) -> str:
    """A limit in bytes, as messages show it: ``1,048,576 字节（1 MB）``."""
    return f"{size:,} 字节（{size // 1024 // 1024} MB）"


def check_package(path: str, raw: bytes) -> list[Problem]:
    """Problems that make the bytes unsafe or impossible to read as a .docx (see the module
    docstring); empty when python-docx may open them."""

    def refuse(message: str) -> list[Problem]:
        return [Problem.error(path, 1, message)]

    if len(raw) > MAX_FILE:
        return refuse(f"Word 文件过大：{len(raw):,} 字节，上限 {_mb(MAX_FILE)}；请删去图片后另存，或把正文另存为 UTF-8 纯文本（.txt）导入")
    if raw.startswith(_OLE_MAGIC):
        return refuse(f"这是旧版 Word（.doc）文件或设置了密码的 Word 文件，无法读取：{_RESAVE}（并取消密码）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return refuse(f"不是有效的 Word（.docx）文件：不是完整的 zip 压缩包（可能已损坏或下载不完整）；旧版 .doc {_RESAVE}")
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            return refuse(f"不是有效的 Word（.docx）文件：压缩包内有 {len(members):,} 个部分，上限 {MAX_MEMBERS:,}；疑似恶意构造的文件，未读取")
        names = {m.filename for m in members}
        for needed in ("[Content_Types].xml", "word/document.xml"):
            if needed not in names:
                return refuse(f"不是有效的 Word（.docx）文件：缺少 {needed}（可能是改了扩展名的其他文件）；{_RESAVE}")
        if any(m.flag_bits & 0x1 for m in members):
            return refuse("Word 文件含有加密的部分，无法读取：请取消密码后另存为 .docx")
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED:
            return refuse(
                f"Word 文件解压后过大：{total:,} 字节，上限 {_mb(MAX_UNPACKED)}；疑似压缩炸弹，未读取"
                "（如果是含有大量图片的正常文件，请删去图片后另存，或把正文另存为 UTF-8 纯文本导入）"
            )
        xml = [m for m in members if m.filename.endswith((".xml", ".rels"))]
        xml_total = sum(m.file_size for m in xml)
        if xml_total > MAX_XML:
            return refuse(f"Word 文件的文字部分解压后过大：{xml_total:,} 字节，上限 {_mb(MAX_XML)}；疑似压缩炸弹，未读取")
        for m in members:
            if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                ratio = m.file_size // max(m.compress_size, 1)
                return refuse(
                    f"Word 文件中的 {m.filename} 压缩比异常（{ratio:,} 倍，正常的 Word 文件不超过 {MAX_RATIO} 倍）；疑似压缩炸弹，未读取"
                )
        for m in xml:
            problem = _check_xml(path, archive, m)
            if problem is not None:
                return [problem]
    return []


def _check_xml(path: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Problem | None:
    """Parse one XML part safely; a problem when it cannot be read, is malformed or has a DTD."""
    try:
        data = archive.read(member)
    except NotImplementedError:
        return Problem.error(path, 1, f"Word 文件的 {member.filename} 使用了不支持的压缩方式；{_RESAVE}")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        return Problem.error(path, 1, f"Word 文件已损坏，无法解压 {member.filename}（校验不符或数据不完整）；{_RESAVE}")
    if not data.strip():
        return Problem.error(path, 1, f"Word 文件已损坏：{member.filename} 是空的；{_RESAVE}")
    dtd = Problem.error(
        path,
        1,
        f"Word 文件的 {member.filename} 含有文档类型定义（DOCTYPE、实体声明）：Word 从不写这种内容，"
        "疑似恶意构造的文件（实体展开、读取外部文件），未读取",
    )
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return dtd  # not even parsed; other encodings (UTF-16) are caught after the safe parse
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        where = f"第 {exc.lineno or 1} 行第 {exc.offset or 1} 列"
        return Problem.error(path, 1, f"Word 文件已损坏：{member.filename} {where}不是合法的 XML；{_RESAVE}")
    info = root.getroottree().docinfo
    return dtd if info.doctype or info.internalDTD is not None else None


def layout_text(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The .docx bytes as text in the corpus layout, or a problem naming ``path``."""
    try:
        from docx import Document
    except ImportError:  # pragma: no cover - python-docx is pinned in requirements.txt
        return None, [Problem.error(path, 1, "读取 Word 文件需要 python-docx：请先运行 make deps")]
    problems = check_package(path, raw)
    if problems:
        return None, problems
    try:
        document = Document(io.BytesIO(raw))
        paragraphs = [
            (p.text.replace("\u000b", "\n").strip(), _heading_level(p.style.name if p.style is not None else ""))
            for p in document.paragraphs
        ]
    except Exception as exc:  # a third-party reader on hostile input: any failure is this file's problem
        return None, [Problem.error(path, 1, f"不是有效的 Word（.docx）文件：{type(exc).__name__}: {exc}；{_RESAVE}")]
    paragraphs = [(t, lvl) for t, lvl in paragraphs if t]
    if not paragraphs:
        return None, [Problem.error(path, 1, "Word 文件没有文字内容")]
    size = sum(len(t.encode("utf-8")) + 2 for t, _ in paragraphs)
    if size > MAX_TEXT:
        return None, [
            Problem.error(
                path,
                1,
                f"Word 文件的文字过多：约 {size:,} 字节，上限 {_mb(MAX_TEXT)}（regbook check 能读取的法规文件大小）；"
                "请检查是否有重复粘贴的内容，过长的文件请拆分后分别导入",
            )
        ]
    start = next((i for i, (_, lvl) in enumerate(paragraphs) if lvl == 1), 0)
    if start and any(lvl for _, lvl in paragraphs[:start]):
        start = 0
    lines = [f"# {paragraphs[start][0]}", ""]
    i = start + 1
    if i < len(paragraphs) and paragraphs[i][1] == 1:
        lines += [f"# {paragraphs[i][0]}", ""]
        i += 1
    while i < len(paragraphs) and paragraphs[i][1] is None and _DATE_START.match(paragraphs[i][0]):
        lines += [paragraphs[i][0], ""]
        i += 1
    lines += [SENTINEL, ""]
    for text, lvl in paragraphs[i:]:
        if lvl:
            lines += ["#" * max(lvl, 2) + " " + text, ""]
        else:
            lines += [*text.split("\n"), ""]
    return "\n".join(lines), []
