"""Files and paths: nothing is read through a symlink, ``docs/`` publishes Markdown and attachments
recognised by content, never a file of the theme or of the build, and the build never empties a
folder a committed link points to.

Each refusal names the file and line 1, and nothing outside the test's project changes (an
``outside`` folder beside the project plays the victim; ``/etc/passwd`` is hashed before and after).
The last test builds with the checker switched off, to show the plugin's own defense."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import zipfile
from pathlib import Path

import pytest

from regbook import corpus, rules
from tests.conftest import FIXTURE_TODAY, ROOT, build_site, copy_project

SECRET = "REGBOOK-TEST-SECRET-7f3a9c"
"""Planted in the environment and in files outside the project: it must never come out."""
PASSWD = Path("/etc/passwd")
ENVIRON = Path("/proc/self/environ")
REG = "regulations/xingzheng-guifanxing-wenjian/jilin-renfang-jingbao-sheshi-guanli-tongzhi.md"
OUTSIDE_MD = f"""---
id: waibu-wenjian
标题: 项目之外的文件 {SECRET}
制定机关: 吉林省国防动员办公室
效力位阶: 法律
时效性: 现行有效
公布日期: 2020-01-01
---

{SECRET}
"""


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry below ``folder``: file hashes, link targets, folders."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = f"link {os.readlink(path)}"
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(project, outside): a copy of the sample project, and a folder beside it that holds a
    secret Markdown file and a folder with files (what a committed link would point to)."""
    monkeypatch.setenv("REGBOOK_TEST_SECRET", SECRET)  # so that /proc/self/environ holds it
    project = copy_project(tmp_path / "project")
    outside = tmp_path / "outside"
    (outside / "victim").mkdir(parents=True)
    (outside / "secret.md").write_text(OUTSIDE_MD, encoding="utf-8")
    (outside / "victim" / "keep.txt").write_text(f"不能被删的文件 {SECRET}", encoding="utf-8")
    return project, outside


def _check(project: Path) -> list[str]:
    return [p.as_text() for p in rules.check(corpus.load(project), FIXTURE_TODAY)]


def _loaded_text(project: Path) -> str:
    """Everything the loader kept: bodies, titles, pages."""
    loaded = corpus.load(project)
    parts = [t.body for t in loaded.texts] + [r.title for r in loaded.regulations]
    return "\n".join(parts)


LINKS = [
    ("docs/files/passwd.pdf", lambda outside: PASSWD),
    ("docs/environ.md", lambda outside: ENVIRON),
    ("docs/files/environ.png", lambda outside: ENVIRON),
    ("regulations/falv/waibu.md", lambda outside: outside / "secret.md"),
    ("docs/disclosure/fading/waibu.md", lambda outside: outside / "secret.md"),
    ("docs/waibu", lambda outside: outside),
    ("regulations/waibu", lambda outside: outside),
    ("CONTRIBUTING.md", lambda outside: outside / "secret.md"),
]


@pytest.mark.parametrize("rel, target", LINKS, ids=[rel for rel, _ in LINKS])
def test_symlink_is_refused_and_never_read(tree: tuple[Path, Path], rel: str, target: object) -> None:
    """Check that a symlink (to /etc/passwd, /proc/self/environ, an outside .md, a folder) is an
    error on line 1 of the link, and that nothing from its target reaches the corpus or the messages."""
    project, outside = tree
    to = target(outside)  # type: ignore[operator]
    link = project / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.exists():
        link.unlink()
    link.symlink_to(to)
    before, passwd = snapshot(outside), _digest(PASSWD)
    found = _check(project)
    assert f"{rel}:1: 错误: “{rel}”是符号链接（指向 {to}），不会读取，也不会发布" in "\n".join(found), found
    assert SECRET not in "\n".join(found) and SECRET not in _loaded_text(project)
    assert "root:x:0:0" not in _loaded_text(project)
    assert snapshot(outside) == before and _digest(PASSWD) == passwd


def test_build_with_a_symlink_publishes_nothing(tree: tuple[Path, Path]) -> None:
    """Check that `regbook build` refuses a link to /proc/self/environ, naming it, without leaking."""
    project, _ = tree
    (project / "docs" / "env.md").symlink_to(ENVIRON)
    result = build_site(project, project / "site", book=False)
    assert result.returncode == 1
    assert "docs/env.md:1: 错误: “docs/env.md”是符号链接（指向 /proc/self/environ）" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert not (project / "site").exists()


@pytest.mark.parametrize("name", ["site", ".site-new", ".site-old"])
def test_build_refuses_a_linked_site_folder(tree: tuple[Path, Path], name: str) -> None:
    """Check that a committed `site`/`.site-new`/`.site-old` link makes the build stop before
    touching anything: the folder it points to keeps its files, no build folder appears."""
    project, outside = tree
    (project / name).symlink_to(outside / "victim", target_is_directory=True)
    before = snapshot(outside)
    result = build_site(project, project / "site", book=False)
    assert result.returncode == 1
    assert f"{project / name} 是符号链接（指向 {outside / 'victim'}）" in result.stderr
    assert "什么都没有改动" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(outside) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith((".site", "site"))) == [name]


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
GOOD_ATTACHMENTS = {
    "tu.png": b"\x89PNG\r\n\x1a\n" + bytes(24),
    "tu.JPG": b"\xff\xd8\xff\xe0" + bytes(16),
    "tu.gif": b"GIF89a" + bytes(16),
    "tu.webp": b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(8),
    "wenjian.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "tongzhi.doc": OLE,
    "biao.xls": OLE,
    "biao.et": OLE,
    "tongzhi.docx": _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
    "biao.xlsx": _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
    "gongwen.ofd": _zip({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"}),
}


def test_allowed_attachments_pass(tree: tuple[Path, Path]) -> None:
    """Check that images, PDF, Word, spreadsheets and OFD whose content matches their name pass."""
    project, _ = tree
    for name, data in GOOD_ATTACHMENTS.items():
        (project / "docs" / "files").mkdir(exist_ok=True)
        (project / "docs" / "files" / name).write_bytes(data)
    assert [line for line in _check(project) if "docs/files/" in line] == []


BAD_ATTACHMENTS = {
    "tu.png": (b"<html><script>alert(1)</script></html>", "内容却不是 PNG 图片（实际内容：HTML 或 XML 文本）"),
    "tu.gif": (b"\x89PNG\r\n\x1a\n" + bytes(8), "内容却不是 GIF 图片（实际内容：PNG 图片）"),
    "tongzhi.docx": (_zip({"index.html": "<script>alert(1)</script>"}), "内容却不是 Word 文档（实际内容：zip 压缩包）"),
    "biao.xlsx": (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), "实际内容：Word 文档"),
    "biao.et": (b"\x00\x01binary\xff\xfe", "内容却不是 WPS 表格（实际内容：无法识别的格式）"),
    "tubiao.svg": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG 图片可能带有脚本，请另存为 PNG 图片"),
    "ye.html": (b"<p>hi</p>", "不能发布“.html”文件"),
    "gongwen.ofd": (_zip({"Doc_0/Document.xml": "<x/>"}), "内容却不是 OFD 版式文件（实际内容：zip 压缩包）"),
}


@pytest.mark.parametrize("name", sorted(BAD_ATTACHMENTS))
def test_attachment_checked_by_content(tree: tuple[Path, Path], name: str) -> None:
    """Check that an attachment whose content is not what its name says (or a refused type) is an
    error on line 1 naming the file."""
    project, _ = tree
    data, words = BAD_ATTACHMENTS[name]
    (project / "docs" / "files").mkdir()
    (project / "docs" / "files" / name).write_bytes(data)
    found = [line for line in _check(project) if "docs/files/" in line]
    assert len(found) == 1 and found[0].startswith(f"docs/files/{name}:1: 错误: docs/files/{name}：")
    assert words in found[0], found


def _material_worker() -> str:
    """The file name of mkdocs-material's search worker (it carries a hash)."""
    workers = next(d for d in corpus.theme_dirs(ROOT) if d.name == "templates") / "assets" / "javascripts" / "workers"
    return next(p.name for p in workers.iterdir() if p.name.startswith("search.") and p.suffix == ".js")


@pytest.mark.parametrize(
    "rel, words",
    [
        ("docs/assets/stylesheets/regbook.css", "与主题中的同名文件 assets/stylesheets/regbook.css 冲突"),
        ("docs/assets/javascripts/workers/regbook-search.js", "与主题中的同名文件 assets/javascripts/workers/regbook-search.js 冲突"),
        ("docs/assets/javascripts/workers/{worker}", "与主题中的同名文件 assets/javascripts/workers/{worker} 冲突"),
        ("docs/main.html", "与主题中的同名文件 main.html 冲突"),
        ("docs/assets/images/logo.png", "与构建程序生成的网站文件夹 assets/ 冲突"),
        ("docs/downloads/汇编.pdf", "与构建程序生成的网站文件夹 downloads/ 冲突"),
        ("docs/search/search_index.json", "与构建程序生成的网站文件夹 search/ 冲突"),
        ("docs/guide.md", "与构建程序生成的网站文件夹 guide/ 冲突"),
        ("docs/regulations/guofang-fa.md", "与构建程序生成的网站文件夹 regulations/ 冲突"),
        ("docs/catalog/index.md", "与构建程序生成的网站文件夹 catalog/ 冲突"),
        ("docs/print_page/2.md", "与构建程序生成的网站文件夹 print_page/ 冲突"),
    ],
)
def test_theme_and_build_files_cannot_be_replaced(tree: tuple[Path, Path], rel: str, words: str) -> None:
    """Check that a docs/ file at a theme path (overrides/, mkdocs-material) or a generated path is an
    error on line 1, whatever its content (a real PNG too)."""
    project, _ = tree
    worker = _material_worker()
    rel, words = rel.format(worker=worker), words.format(worker=worker)
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" if rel.endswith(".png") else b".admonition.warning { display: none }\n")
    found = _check(project)
    assert f"{rel}:1: 错误: {rel} {words}。docs/ 中的文件不能替换主题或构建程序生成的文件" in "\n".join(found), found


def test_plugin_drops_refused_files_even_without_the_checker(
    tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Check that MkDocs itself, with the checker switched off, publishes none of: a link to
    /proc/self/environ, a link to an outside page, an HTML file named .png, a stylesheet replacing the
    site's own, a file replacing the search worker; the theme's own files are published instead."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project, outside = tree
    files = project / "docs" / "files"
    files.mkdir()
    (files / "env.txt").symlink_to(ENVIRON)
    (project / "docs" / "waibu.md").symlink_to(outside / "secret.md")
    (files / "tu.png").write_bytes(b"<html><script>alert(1)</script></html>")
    (files / "ok.png").write_bytes(GOOD_ATTACHMENTS["tu.png"])
    css = project / "docs" / "assets" / "stylesheets" / "regbook.css"
    css.parent.mkdir(parents=True)
    css.write_text(".regbook-banner { display: none }\n", encoding="utf-8")
    worker = project / "docs" / "assets" / "javascripts" / "workers" / "regbook-search.js"
    worker.parent.mkdir(parents=True)
    worker.write_text("postMessage('evil')\n", encoding="utf-8")
    monkeypatch.setattr(rules, "check", lambda *args, **kwargs: [])  # the checker is skipped
    monkeypatch.setenv("REGBOOK_BOOK", "0")
    monkeypatch.setenv("REGBOOK_TODAY", FIXTURE_TODAY.isoformat())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 2, 4).timestamp())))
    site = project / "site"
    caplog.set_level(logging.WARNING)
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=False))
    published = snapshot(site)
    assert "files/ok.png" in published
    assert "files/env.txt" not in published and "files/tu.png" not in published and "waibu/index.html" not in published
    assert (site / css.relative_to(project / "docs")).read_bytes() == (ROOT / "overrides" / css.relative_to(project / "docs")).read_bytes()
    assert (site / worker.relative_to(project / "docs")).read_bytes() == (ROOT / "overrides" / worker.relative_to(project / "docs")).read_bytes()
    assert not any(SECRET.encode() in p.read_bytes() for p in site.rglob("*") if p.is_file())
    warned = "\n".join(r.getMessage() for r in caplog.records)
    for rel in ("files/env.txt", "waibu.md", "files/tu.png", "assets/stylesheets/regbook.css"):
        assert f"未发布 docs/{rel}：" in warned, warned


def test_plugin_refuses_a_linked_folder_before_mkdocs_walks_it(tree: tuple[Path, Path]) -> None:
    """Check that `mkdocs build` alone stops on a symlinked folder in docs/ (MkDocs would follow it)."""
    import subprocess
    import sys

    project, outside = tree
    (project / "docs" / "waibu").symlink_to(outside, target_is_directory=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0", "REGBOOK_TODAY": FIXTURE_TODAY.isoformat()}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "other-site")],
        cwd=project, capture_output=True, text=True, env=env,
    )
    assert result.returncode != 0
    assert "docs/ 中有指向别处的文件夹链接" in result.stderr and str(project / "docs" / "waibu") in result.stderr
    assert SECRET not in result.stderr and not (project / "other-site" / "waibu").exists()
