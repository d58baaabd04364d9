"""Hostile and broken inputs to ``regbook import``: every failure is one ``file:1: 错误: …`` line
in Chinese naming the source, never a traceback; the good files beside a bad one are imported;
the run ends non-zero with the failures counted; nothing written is larger than the checker reads.

Every hostile .docx is built here with ``zipfile`` (no binary fixtures). Permission failures are
simulated (the tests run as root, which reads every file).
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from regbook import docx_reader, frontmatter, importer
from regbook.cli import main

TODAY = "2026-11-28"
SENTINEL = importer.SENTINEL

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    b"</Relationships>"
)
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
LAW = ["中华人民共和国某某防护法", "2019年4月3日 第十三届全国人民代表大会常务委员会第十次会议通过", "第一条 为了防护，制定本法。"]
GOOD_TEXT = f"# 中华人民共和国国防法\n\n2020年12月26日 第十三届全国人民代表大会常务委员会第二十四次会议修订\n\n{SENTINEL}\n\n第一条 为了建设和巩固国防，制定本法。\n"
GOOD_FILE = "regulations/falv/guofangfa-2020-12-26.md"


def paragraphs(texts: list[str]) -> bytes:
    return b"".join(b"<w:p><w:r><w:t>" + t.encode() + b"</w:t></w:r></w:p>" for t in texts)


def document(inner: bytes, prolog: bytes = HEAD) -> bytes:
    return prolog + b"<w:document " + W + b"><w:body>" + inner + b"</w:body></w:document>"


def docx(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``parts`` (name → bytes), with the content types and package relationships first."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, **parts}.items():
            z.writestr(name, data)
    return buf.getvalue()


def good_docx() -> bytes:
    return docx({"word/document.xml": document(paragraphs(LAW))})


def streamed_docx(prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> bytes:
    """A .docx whose document.xml is ``prefix + chunk * times + suffix``, written in pieces."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(prefix)
            for _ in range(times):
                f.write(chunk)
            f.write(suffix)
    return buf.getvalue()


def patched(raw: bytes, offset: int, fmt: str, value: int) -> bytes:
    """``raw`` with one field of document.xml's central directory entry set to ``value``."""
    out = bytearray(raw)
    entry = out.find(b"PK\x01\x02")
    while out[entry + 46 : entry + 46 + 17] != b"word/document.xml":
        entry = out.find(b"PK\x01\x02", entry + 1)
    struct.pack_into(fmt, out, entry + offset, value)
    return bytes(out)


def lying_size() -> bytes:
    """document.xml's directory entry says 100 bytes; the data unpacks to far more."""
    return patched(docx({"word/document.xml": document(paragraphs([*LAW, "第二条 " + "内容" * 50_000]))}), 24, "<I", 100)


def encrypted() -> bytes:
    """document.xml flagged as encrypted (general purpose bit 0)."""
    return patched(good_docx(), 8, "<H", 0x1)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w:document ['
    b'<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
    + b"]>"
)
SECRET = "绝密口令-7f3a"


def xxe(secret_file: Path) -> bytes:
    prolog = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret_file}">]>'.encode()
    return docx({"word/document.xml": document(paragraphs([*LAW, "&x;"]), prolog)})


DOCX_CASES: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "not-a-zip": (lambda _: b"PK\x03\x04 not really a zip", "不是有效的 Word（.docx）文件：不是完整的 zip 压缩包"),
    "truncated": (lambda _: good_docx()[:300], "不是完整的 zip 压缩包"),
    "old-doc": (lambda _: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "这是旧版 Word（.doc）文件或设置了密码的 Word 文件"),
    "no-document": (lambda _: docx({"word/styles.xml": HEAD + b"<a/>"}), "缺少 word/document.xml"),
    "no-content-types": (
        lambda _: zip_of({"word/document.xml": document(paragraphs(LAW))}),
        "缺少 [Content_Types].xml",
    ),
    "malformed-xml": (lambda _: docx({"word/document.xml": HEAD + b"<w:document " + W + b"><w:body><w:p>"}), "word/document.xml 第 1 行第"),
    "deep-xml": (lambda _: docx({"word/document.xml": document(b"<w:p>" * 5000 + b"</w:p>" * 5000)}), "不是合法的 XML"),
    "billion-laughs": (
        lambda _: docx({"word/document.xml": document(paragraphs([*LAW, "&j;"]), BILLION_LAUGHS)}),
        "word/document.xml 含有文档类型定义（DOCTYPE、实体声明）",
    ),
    "xxe": (lambda tmp: xxe(tmp / "outside" / "secret.txt"), "含有文档类型定义"),
    "dtd-in-rels": (
        lambda _: docx({"word/document.xml": document(paragraphs(LAW)), "word/_rels/document.xml.rels": BILLION_LAUGHS + b"<r/>"}),
        "word/_rels/document.xml.rels 含有文档类型定义",
    ),
    "too-many-parts": (
        lambda _: docx({"word/document.xml": document(paragraphs(LAW)), **{f"customXml/item{i}.xml": b"<a/>" for i in range(1000)}}),
        "压缩包内有 1,003 个部分，上限 1,000",
    ),
    "zip-bomb": (
        lambda _: streamed_docx(document(b"")[:-22], b" " * (1 << 20), 101, b"</w:body></w:document>"),
        "Word 文件解压后过大：105,",
    ),
    "xml-bomb": (
        lambda _: streamed_docx(document(b"")[:-22], b"<w:p/>" * 174763, 33, b"</w:body></w:document>"),
        "Word 文件的文字部分解压后过大",
    ),
    "ratio": (
        lambda _: docx({"word/document.xml": document(paragraphs(LAW)), "word/media/image1.png": b"\x00" * (3 << 20)}),
        "word/media/image1.png 压缩比异常",
    ),
    "lying-size": (lambda _: lying_size(), "无法解压 word/document.xml（校验不符或数据不完整）"),
    "encrypted": (lambda _: encrypted(), "含有加密的部分"),
    "not-word": (
        lambda _: zip_of(
            {
                "[Content_Types].xml": CONTENT_TYPES.replace(b"wordprocessingml.document.main", b"spreadsheetml.sheet.main"),
                "_rels/.rels": RELS,
                "word/document.xml": document(paragraphs(LAW)),
            }
        ),
        "不是有效的 Word（.docx）文件：ValueError",
    ),
    "no-text": (lambda _: docx({"word/document.xml": document(b"<w:p/>")}), "Word 文件没有文字内容"),
    "empty": (lambda _: b"", "文件是空的"),
    "too-much-text": (
        # Stored, not deflated: 3 MB of text in a 3 MB file, under every zip limit.
        lambda _: docx({"word/document.xml": document(paragraphs([*LAW, *["第二条 " + "国防" * 170_000] * 3]))}, zipfile.ZIP_STORED),
        "Word 文件的文字过多：约 3,",
    ),
}


def zip_of(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "proj" / "regulations").mkdir(parents=True)
    return tmp_path / "proj"


def regbook_import(
    root: Path, *args: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    """``regbook import`` in-process (an exception would fail the test), non-terminal output."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    code = main(["import", "--root", str(root), "--level", "法律", "--today", TODAY, *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def assert_bounded(root: Path) -> None:
    """Nothing in the project is larger than the checker reads, and no secret leaked into it."""
    for path in root.rglob("*"):
        if path.is_file():
            assert path.stat().st_size <= frontmatter.MAX_BYTES, path
            assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("case", sorted(DOCX_CASES))
def test_hostile_docx_is_one_located_error_and_the_good_file_is_imported(
    case: str, root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check that each hostile .docx gives `file:1: 错误: …` naming it, the good text beside it is
    imported, the run exits 1 counting one failure, and nothing large or secret is written."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "下载"
    folder.mkdir()
    build, message = DOCX_CASES[case]
    bad = folder / f"{case}.docx"
    bad.write_bytes(build(tmp_path))
    (folder / "国防法.md").write_text(GOOD_TEXT, encoding="utf-8")
    code, out = regbook_import(root, str(folder), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1, out
    errors = [line for line in out.splitlines() if ": 错误: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{bad}:1: 错误: "), out
    assert message in errors[0], out
    assert "Traceback" not in out and SECRET not in out
    assert "新建 1 件" in out and "出错 1 件" in out
    assert [p.relative_to(root).as_posix() for p in root.rglob("*.md")] == [GOOD_FILE]
    assert_bounded(root)


def test_the_300_kb_docx_that_made_a_180_mb_file_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check the reported attack itself: sixty paragraphs of one repeated 3 MB text pack into about
    350 KB (the old reader wrote all 180 MB out); now refused from the zip's directory."""
    para = b"<w:p><w:r><w:t>" + ("国防动员" * 250_000).encode() + b"</w:t></w:r></w:p>"
    raw = streamed_docx(document(paragraphs(LAW[:2]))[:-22], para, 60, b"</w:body></w:document>")
    assert len(raw) < 500_000
    src = tmp_path / "下载" / "某某防护法.docx"
    src.parent.mkdir()
    src.write_bytes(raw)
    code, out = regbook_import(root, str(src), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    assert f"{src}:1: 错误: Word 文件解压后过大：180,00" in out and "疑似压缩炸弹，未读取" in out
    assert list(root.rglob("*.md")) == []


def test_a_generated_file_larger_than_the_checker_reads_is_not_written(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check the bound on output: a 0.6 MB source whose history needs escaping in YAML (each `"`
    becomes `\\"`) would give a file over 1 MB; it is refused, naming the source."""
    src = tmp_path / "下载" / "某法.md"
    src.parent.mkdir()
    src.write_text(f'# 某法\n\n2019年4月3日 {chr(34) * 600_000}通过\n\n{SENTINEL}\n\n第一条 内容。\n', encoding="utf-8")
    code, out = regbook_import(root, str(src), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    assert f"{src}:1: 错误: 生成的法规文件 regulations/falv/moufa-2019-04-03.md 将有 1,2" in out
    assert "超过上限 1,048,576 字节（1 MB，regbook check 能读取的大小），未写入" in out
    assert list(root.rglob("*.md")) == []


TEXT_CASES: dict[str, tuple[bytes, int, str]] = {
    "gbk.md": (f"# 某法\n\n{SENTINEL}\n\n第一条 内容。".encode("gbk"), 1, "文件不是 UTF-8 编码，看起来是 GBK/GB18030"),
    "gbk-line-5.txt": (f"# Law\n\n{SENTINEL}\n\n第一条 内容。".encode("gbk"), 5, "文件不是 UTF-8 编码"),
    "utf16.md": ("# 某法".encode("utf-16"), 1, "文件是 UTF-16 编码，应为 UTF-8"),
    "binary.md": (b"# x\n\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 5, "文件含有空字符（NUL）：这是二进制文件"),
    "word-as-text.txt": (b"PK\x03\x04" + b"\x00" * 40, 1, "这是 Word（.docx）或其他压缩文件，不是文本"),
    "empty.md": (b"", 1, "文件是空的"),
    "blank.md": (b" \n\r\n\t\n", 1, "文件是空的"),
    "huge.md": (("# 某法\n\n" + "第一条 内容。\n" * 200_000).encode(), 1, "文件过大：超过 1,048,576 字节（1 MB），未读取"),
    "long-title.md": (f"# {'国防' * 100_000}\n\n2019年4月3日 通过\n\n{SENTINEL}\n\n第一条 内容。".encode(), 1, "标题过长：200,000 字，上限 300 字"),
    "front-matter.md": (b"---\nid: x\n---\n\ntext\n", 1, "文件已有 YAML 元数据块"),
    "换行\n名.md": (b"no title", 1, "没有标题"),
    "\u202etxt.md": (b"no title", 1, "没有标题"),
}


def test_bad_text_sources_each_give_a_located_error(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check a folder of bad text sources (encodings, binary, empty, too large, a paragraph as
    title, odd names): one error line each, naming the file (control and invisible characters in
    names escaped, so each message stays one line) and its line; the good file is imported."""
    folder = tmp_path / "下载"
    folder.mkdir()
    for name, (raw, _, _) in TEXT_CASES.items():
        (folder / name).write_bytes(raw)
    (folder / "国防法 (2020) [下载].md").write_text(GOOD_TEXT, encoding="utf-8")
    code, out = regbook_import(root, str(folder), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1 and "Traceback" not in out
    errors = [line for line in out.splitlines() if ": 错误: " in line]
    for name, (_, line, message) in TEXT_CASES.items():
        shown = str(folder / name).replace("\n", "\\n").replace("\u202e", "\\u202e")
        assert [e for e in errors if e.startswith(f"{shown}:{line}: 错误: ") and message in e], (name, out)
    assert len(errors) == len(TEXT_CASES)
    assert f"新建 1 件，更新 0 件，未变 0 件，跳过 0 件，出错 {len(TEXT_CASES)} 件" in out
    assert [p.relative_to(root).as_posix() for p in root.rglob("*.md")] == [GOOD_FILE]
    assert_bounded(root)


def test_a_name_that_is_not_utf8_is_shown_escaped(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "下载"
    folder.mkdir()
    (folder / os.fsdecode(b"\xb9\xfa\xb7\xc0.md")).write_bytes(b"no title")  # 国防 in GBK
    code, out = regbook_import(root, str(folder), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1 and f"{folder}/\\xb9\\xfa\\xb7\\xc0.md:1: 错误: 没有标题" in out


def test_links_never_lead_out_of_the_folder(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check the folder walk: a linked file pointing outside and a broken link are errors; a linked
    folder (outside, or a loop) is not entered, a warning; a link inside the folder is read; a
    FIFO is refused without blocking. A linked file given by name is the editor's choice: read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "国防法.md").write_text(GOOD_TEXT, encoding="utf-8")
    folder = tmp_path / "下载"
    (folder / "子").mkdir(parents=True)
    (folder / "子" / "防护法.md").write_text(GOOD_TEXT.replace("国防法", "防护法"), encoding="utf-8")
    (folder / "外面.md").symlink_to(outside / "国防法.md")
    (folder / "断.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "环").symlink_to(folder)
    (folder / "外部文件夹").symlink_to(outside)
    (folder / "内部.md").symlink_to(folder / "子" / "防护法.md")
    os.mkfifo(folder / "管道.md")
    code, out = regbook_import(root, str(folder), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1 and "Traceback" not in out
    assert f"{folder}/外面.md:1: 错误: 是指向所给文件夹之外（{outside}/国防法.md）的链接，未读取" in out
    assert f"{folder}/断.md:1: 错误: 是失效的链接" in out
    assert f"{folder}/管道.md:1: 错误: 不是普通文件" in out
    assert f"{folder}/环:1: 警告: 是指向文件夹的链接，未进入" in out
    assert f"{folder}/外部文件夹:1: 警告: 是指向文件夹的链接，未进入" in out
    assert "新建 1 件" in out and "出错 3 件" in out
    assert [p.name for p in root.rglob("*.md")] == ["fanghufa-2020-12-26.md"]
    # Given by name, a link is read wherever it points.
    code, out = regbook_import(root, str(folder / "外面.md"), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0 and "已新建 regulations/falv/guofangfa-2020-12-26.md" in out


def test_a_folder_with_only_a_looping_link_warns_and_succeeds(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "下载"
    folder.mkdir()
    (folder / "国防法.md").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "环").symlink_to("..")
    code, out = regbook_import(root, str(folder), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0 and f"{folder}/环:1: 警告: 是指向文件夹的链接" in out and "新建 1 件" in out


def test_unreadable_files_and_folders_are_reported_and_skipped(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check (simulated: tests run as root) a file and a subfolder without read permission."""
    folder = tmp_path / "下载"
    (folder / "锁住的文件夹").mkdir(parents=True)
    (folder / "锁住的文件夹" / "某法.md").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "锁住的.md").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "国防法.md").write_text(GOOD_TEXT, encoding="utf-8")
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path: str | os.PathLike[str], flags: int, *args: int, **kw: int) -> int:
        if Path(path).name == "锁住的.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)

    def fake_scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "锁住的文件夹":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    code, out = regbook_import(root, str(folder), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1 and "Traceback" not in out
    assert f"{folder}/锁住的.md:1: 错误: 无法读取文件：没有读取权限" in out
    assert f"{folder}/锁住的文件夹:1: 错误: 无法读取文件夹：没有权限，其中的文件未导入" in out
    assert "新建 1 件" in out and "出错 2 件" in out


def test_an_unexpected_failure_is_that_files_error(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check that a bug met on one source (simulated) is its error; the next source is imported."""
    folder = tmp_path / "下载"
    folder.mkdir()
    (folder / "a.md").write_text(GOOD_TEXT.replace("国防法", "人民防空法"), encoding="utf-8")
    (folder / "b.md").write_text(GOOD_TEXT, encoding="utf-8")
    real = importer.project.read_source

    def flaky(path: Path, *args: object) -> object:
        if path.name == "a.md":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer.project, "read_source", flaky)
    code, out = regbook_import(root, str(folder), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    assert f"{folder}/a.md:1: 错误: 导入此文件时出现意外错误（RecursionError: maximum recursion depth exceeded），已跳过" in out
    assert "新建 1 件" in out and "出错 1 件" in out


def test_an_unwritable_output_folder_is_an_error_not_a_crash(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "下载" / "国防法.md"
    src.parent.mkdir()
    src.write_text(GOOD_TEXT, encoding="utf-8")
    (root / "regulations" / "falv").write_text("a file where the folder should be", encoding="utf-8")
    code, out = regbook_import(root, str(src), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1 and "Traceback" not in out
    assert f"{src}:1: 错误: 无法写入 {GOOD_FILE}：" in out


def test_the_command_never_prints_a_traceback(tmp_path: Path) -> None:
    """Check the real command (a subprocess: what an editor sees) on one folder holding every
    hostile input above, a header line of 300,000 commas (a regular expression used to take time
    quadratic in it) and a good file: exit 1, no traceback, one error per bad file."""
    root = tmp_path / "proj"
    (root / "regulations").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "下载"
    folder.mkdir()
    for case, (build, _) in DOCX_CASES.items():
        (folder / f"{case}.docx").write_bytes(build(tmp_path))
    for name, (raw, _, _) in TEXT_CASES.items():
        (folder / name).write_bytes(raw)
    long_line = f"# 某法\n\n2019年4月3日 通过 x{'，' * 300_000}x\n\n{SENTINEL}\n\n第一条 内容。\n"
    (folder / "长行.md").write_text(long_line, encoding="utf-8")
    (folder / "国防法.md").write_text(GOOD_TEXT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "regbook.cli", "import", "--root", str(root), "--level", "法律", "--today", TODAY, str(folder)],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a measurement: the whole run takes seconds
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and SECRET not in result.stderr
    failed = len(DOCX_CASES) + len(TEXT_CASES)
    assert f"新建 2 件，更新 0 件，未变 0 件，跳过 0 件，出错 {failed} 件" in result.stderr
    assert len([line for line in result.stderr.splitlines() if ": 错误: " in line]) == failed
    assert sorted(p.name for p in root.rglob("*.md")) == ["guofangfa-2020-12-26.md", "moufa-2019-04-03.md"]
    assert_bounded(root)


def test_limits_are_what_the_docstring_says() -> None:
    """The output bound is the checker's input bound (a larger file could never be checked)."""
    assert docx_reader.MAX_TEXT == frontmatter.MAX_BYTES == 1024 * 1024
